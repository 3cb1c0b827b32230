/*
 * puffsctl.c: the administrator's tool for puffs mounts.  Finds a mount's
 * control socket (control.h), sends one request and prints the answer.
 *
 * usage: puffsctl [-S socket] status [MOUNTPOINT]
 *        puffsctl [-S socket] list
 *        puffsctl [-S socket] sync [wait|nowait|lazy] MOUNTPOINT
 *        puffsctl [-S socket] unmount [-f] MOUNTPOINT
 *        puffsctl [-S socket] suspend|resume MOUNTPOINT
 * Exit status: 0 done, 1 refused or failed (the reason on stderr),
 * 2 usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include <puffs-bridge/puffs_msgif.h>

#include "control.h"

static const char *sockopt;	/* -S */

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr,
	    "usage: puffsctl [-S socket] status [MOUNTPOINT]\n"
	    "       puffsctl [-S socket] list\n"
	    "       puffsctl [-S socket] sync [wait|nowait|lazy] MOUNTPOINT\n"
	    "       puffsctl [-S socket] unmount [-f] MOUNTPOINT\n"
	    "       puffsctl [-S socket] suspend|resume MOUNTPOINT\n");
	exit(2);
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
readall(int fd, void *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = read(fd, (char *)buf + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += n;
	}
	return 0;
}

/* One exchange; *textp gets the answer's text.  -1: no valid answer. */
static int
ctl_ask(int fd, int cmd, int arg, int *errorp, char **textp)
{
	struct ctl_req req;
	struct ctl_resp resp;
	char *text;

	memset(&req, 0, sizeof(req));
	req.cr_magic = CTL_MAGIC;
	req.cr_version = CTL_VERSION;
	req.cr_cmd = cmd;
	req.cr_arg = arg;
	/*
	 * A refusal (EPERM) is written before our request is read: a
	 * failed send still leaves that answer to read.
	 */
	(void)send(fd, &req, sizeof(req), MSG_NOSIGNAL);
	if (readall(fd, &resp, sizeof(resp)) == -1 ||
	    resp.cs_magic != CTL_MAGIC || resp.cs_textlen > CTL_TEXTMAX)
		return -1;
	text = g_malloc(resp.cs_textlen + 1);
	if (readall(fd, text, resp.cs_textlen) == -1) {
		g_free(text);
		return -1;
	}
	text[resp.cs_textlen] = '\0';
	*errorp = resp.cs_error;
	*textp = text;
	return 0;
}

/* The directories to look in: ours first, then root's. */
static GPtrArray *
ctl_dirs(void)
{
	GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
	char *mine = ctl_sockdir();

	g_ptr_array_add(dirs, mine);
	if (strcmp(mine, CTL_ROOTDIR) != 0)
		g_ptr_array_add(dirs, g_strdup(CTL_ROOTDIR));
	return dirs;
}

/* Connect to the control socket of mntpoint; -1 with a message. */
static int
ctl_open(const char *mntpoint)
{
	char real[PATH_MAX], *names[2], *path;
	GPtrArray *dirs;
	int fd = -1, nnames = 0, i, j, err = ENOENT;

	if (sockopt != NULL) {
		if ((fd = ctl_connect(sockopt)) == -1)
			fprintf(stderr, "puffsctl: %s: %s\n", sockopt,
			    strerror(errno));
		return fd;
	}
	if (realpath(mntpoint, real) != NULL)
		names[nnames++] = g_strdup(real);
	names[nnames++] = g_canonicalize_filename(mntpoint, NULL);
	dirs = ctl_dirs();
	for (i = 0; fd == -1 && i < (int)dirs->len; i++)
		for (j = 0; fd == -1 && j < nnames; j++) {
			path = ctl_sockpath(dirs->pdata[i], names[j]);
			if ((fd = ctl_connect(path)) == -1 && errno != ENOENT)
				err = errno;
			g_free(path);
		}
	if (fd == -1 && err == EACCES)
		fprintf(stderr, "puffsctl: %s: permission denied: only root "
		    "and the user who mounted it may control it\n",
		    mntpoint);
	else if (fd == -1)
		fprintf(stderr, "puffsctl: %s: %s\n", mntpoint, err == ENOENT ?
		    "not a puffs mount (no control socket)" : strerror(err));
	for (j = 0; j < nnames; j++)
		g_free(names[j]);
	g_ptr_array_free(dirs, TRUE);
	return fd;
}

/* Run one command on fd and print the answer; the exit status. */
static int
ctl_run(int fd, const char *what, int cmd, int arg)
{
	char *text = NULL;
	int error;

	if (ctl_ask(fd, cmd, arg, &error, &text) == -1) {
		fprintf(stderr, "puffsctl: %s: no answer from puffsd\n", what);
		close(fd);
		return 1;
	}
	close(fd);
	if (error != 0)
		fprintf(stderr, "puffsctl: %s %s: %s (%s)\n", ctl_cmd_name(cmd),
		    what, g_strchomp(text), strerror(error));
	else
		fputs(text, stdout);
	g_free(text);
	return error != 0;
}

/* Every control socket: status of each (brief for list). */
static int
ctl_all(bool brief)
{
	GPtrArray *dirs = ctl_dirs();
	const char *name;
	int fd, rv = 0, n = 0;
	guint i;
	GDir *d;

	for (i = 0; i < dirs->len; i++) {
		if ((d = g_dir_open(dirs->pdata[i], 0, NULL)) == NULL)
			continue;
		while ((name = g_dir_read_name(d)) != NULL) {
			char *path;

			if (!g_str_has_suffix(name, ".sock"))
				continue;
			path = g_build_filename(dirs->pdata[i], name, NULL);
			if ((fd = ctl_connect(path)) == -1) {
				if (errno == ECONNREFUSED)
					printf("%s: stale control socket "
					    "(puffsd gone)\n", path);
				else if (errno != EACCES)
					rv |= 1;
				g_free(path);
				continue;
			}
			if (!brief && n > 0)
				putchar('\n');
			rv |= ctl_run(fd, path, CTL_STATUS, brief ? 1 : 0);
			n++;
			g_free(path);
		}
		g_dir_close(d);
	}
	g_ptr_array_free(dirs, TRUE);
	if (n == 0 && !brief)
		printf("no puffs mounts\n");
	return rv;
}

static int
syncmode(const char *s)
{
	if (strcmp(s, "wait") == 0)
		return PUFFS_MNT_WAIT;
	if (strcmp(s, "nowait") == 0)
		return PUFFS_MNT_NOWAIT;
	if (strcmp(s, "lazy") == 0)
		return PUFFS_MNT_LAZY;
	return -1;
}

static int
ctl_one(const char *mntpoint, int cmd, int arg)
{
	int fd;

	if ((fd = ctl_open(mntpoint)) == -1)
		return 1;
	return ctl_run(fd, mntpoint != NULL ? mntpoint : sockopt, cmd, arg);
}

int
main(int argc, char **argv)
{
	const char *cmd;
	int arg = 0;

	if (argc >= 3 && strcmp(argv[1], "-S") == 0) {
		sockopt = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		usage();
	cmd = argv[1];
	argc -= 2;
	argv += 2;
	if (strcmp(cmd, "list") == 0 && argc == 0 && sockopt == NULL)
		return ctl_all(true);
	if (strcmp(cmd, "status") == 0 && argc == 0)
		return sockopt != NULL ? ctl_one(NULL, CTL_STATUS, 0) :
		    ctl_all(false);
	if (strcmp(cmd, "status") == 0 && argc == 1)
		return ctl_one(argv[0], CTL_STATUS, 0);
	if (strcmp(cmd, "sync") == 0 && (argc == 1 || argc == 2)) {
		arg = argc == 2 ? syncmode(argv[0]) : PUFFS_MNT_WAIT;
		if (arg == -1)
			usage();
		return ctl_one(argv[argc - 1], CTL_SYNC, arg);
	}
	if (strcmp(cmd, "unmount") == 0 || strcmp(cmd, "umount") == 0) {
		if (argc == 2 && strcmp(argv[0], "-f") == 0) {
			arg = CTL_UNMOUNT_FORCE;
			argc--;
			argv++;
		}
		if (argc != 1)
			usage();
		return ctl_one(argv[0], CTL_UNMOUNT, arg);
	}
	if (strcmp(cmd, "suspend") == 0 && argc == 1)
		return ctl_one(argv[0], CTL_SUSPEND, 0);
	if (strcmp(cmd, "resume") == 0 && argc == 1)
		return ctl_one(argv[0], CTL_RESUME, 0);
	usage();
}
