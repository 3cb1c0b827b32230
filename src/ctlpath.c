/*
 * ctlpath.c: where a mount's control socket lives (see control.h).  Used
 * by puffsd and puffsctl alike, so that both compute the same name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "control.h"

/* The directory for this process's uid (not created here). */
char *
ctl_sockdir(void)
{
	const char *xdg;

	if (geteuid() == 0)
		return g_strdup(CTL_ROOTDIR);
	xdg = g_getenv("XDG_RUNTIME_DIR");
	if (xdg != NULL && xdg[0] == '/')
		return g_build_filename(xdg, "puffs", NULL);
	return g_strdup_printf("/tmp/puffs-%u", (unsigned int)geteuid());
}

/* The socket's file name for an absolute, canonical mountpoint. */
char *
ctl_sockname(const char *mntpoint)
{
	GString *s = g_string_new(NULL);
	const char *p;

	for (p = mntpoint; *p == '/'; p++)
		continue;
	if (*p == '\0')
		g_string_append_c(s, '-');
	for (; *p != '\0'; p++) {
		if (*p == '/')
			g_string_append_c(s, '-');
		else if (g_ascii_isalnum(*p) || *p == '.' || *p == '_')
			g_string_append_c(s, *p);
		else
			g_string_append_printf(s, "%%%02X", (guchar)*p);
	}
	g_string_append(s, ".sock");
	return g_string_free(s, FALSE);
}

/* dir/name, or dir/sha256-HEX.sock when that would not fit sun_path. */
char *
ctl_sockpath(const char *dir, const char *mntpoint)
{
	struct sockaddr_un sun;
	char *name, *path, *sum;

	name = ctl_sockname(mntpoint);
	path = g_build_filename(dir, name, NULL);
	g_free(name);
	if (strlen(path) < sizeof(sun.sun_path))
		return path;
	g_free(path);
	sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, mntpoint, -1);
	name = g_strdup_printf("sha256-%s.sock", sum);
	path = g_build_filename(dir, name, NULL);
	g_free(sum);
	g_free(name);
	return path;
}

const char *
ctl_cmd_name(int cmd)
{
	static const char *names[] = {
		[CTL_STATUS] = "status", [CTL_SYNC] = "sync",
		[CTL_UNMOUNT] = "unmount", [CTL_SUSPEND] = "suspend",
		[CTL_RESUME] = "resume",
	};

	if (cmd <= 0 || cmd > CTL_CMD_MAX)
		return "?";
	return names[cmd];
}
