/*
 * mount_puffs.c: mount.puffs and mount.fuse.puffs, the helpers mount(8)
 * runs for the file system types puffs.SERVER and fuse.puffs.  They
 * translate util-linux's helper calling convention
 *
 *	mount.puffs SPEC DIR [-sfnv] [-o OPTIONS] [-t puffs.SERVER]
 *	mount.fuse.puffs SERVER[#SPEC] DIR [-sfnv] [-o OPTIONS] [-t fuse.puffs]
 *
 * into a daemon-first start, `puffsd -b [-o OURS] -- SERVER [-o THEIRS]
 * SPEC DIR', and exec it: puffsd -b returns once the mount is live, or
 * with the server's exit status (its messages on our stderr) if not.
 *
 * Options are sorted three ways: the ones puffsd understands stay with us,
 * the ones that only steer mount(8) and fstab processing are dropped, and
 * everything else (ro, nosuid, the server's own) goes to the server, as
 * mount(8) would hand it to mount_SERVER on NetBSD.  A standalone program,
 * not part of puffsd; nothing calls into it.
 */
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#ifndef PUFFSD_PATH
#define PUFFSD_PATH		"/usr/local/sbin/puffsd"
#endif
#ifndef PUFFS_SERVERDIR
#define PUFFS_SERVERDIR		"/usr/local/libexec/puffs-bridge/servers"
#endif
#define PUFFSD_ENV		"PUFFS_BRIDGE_PUFFSD"
#define SERVERDIR_ENV		"PUFFS_BRIDGE_SERVERDIR"
#define EX_USAGE_MOUNT		1	/* mount(8): incorrect invocation */
/* mount(8) runs helpers with an empty environment PATH: search this. */
#define DEFAULT_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

enum opt_kind { OPT_OURS, OPT_DROP, OPT_SETUID, OPT_SYNCINT };

/* Options that are not the server's.  A trailing '=' matches a prefix. */
static const struct {
	const char	*name;
	enum opt_kind	 kind;
} opt_table[] = {
	{ "allow_other",	OPT_OURS },
	{ "default_permissions", OPT_OURS },
	{ "setuid=",		OPT_SETUID },
	{ "sync_interval=",	OPT_SYNCINT },
	{ "_netdev",		OPT_DROP },
	{ "nofail",		OPT_DROP },
	{ "noauto",		OPT_DROP },
	{ "auto",		OPT_DROP },
	{ "user",		OPT_DROP },
	{ "users",		OPT_DROP },
	{ "nouser",		OPT_DROP },
	{ "owner",		OPT_DROP },
	{ "group",		OPT_DROP },
	{ "defaults",		OPT_DROP },
	{ "comment=",		OPT_DROP },
	{ "x-",			OPT_DROP },
};

struct helper {
	const char	*prog;
	char		*server;	/* the server's name, from -t or SPEC */
	char		*spec;
	char		*dir;
	GString		*ours;		/* for puffsd -o */
	GString		*theirs;	/* for the server's -o */
	char		*setuid_user;
	char		*syncint;	/* --sync-interval=N for puffsd */
	gboolean	 fake, verbose, sloppy, nomtab;
};

static bool
usage(const char *prog)
{
	fprintf(stderr, "usage: %s SPEC DIR [-sfnv] [-o options] "
	    "[-t puffs.SERVER]\n"
	    "       %s SERVER[#SPEC] DIR [-sfnv] [-o options] "
	    "[-t fuse.puffs]\n", prog, prog);
	return false;
}

static bool
opt_matches(const char *opt, const char *name)
{
	size_t len = strlen(name);

	if (name[len - 1] == '=' || strcmp(name, "x-") == 0)
		return strncmp(opt, name, len) == 0;
	return strcmp(opt, name) == 0;
}

static void
opt_append(GString *s, const char *opt)
{
	if (s->len > 0)
		g_string_append_c(s, ',');
	g_string_append(s, opt);
}

/*
 * The parsing functions below print what is wrong and return false; only
 * main() exits, so that the fuzz target (tests/fuzz/fuzz_mntopts.c) can
 * run them on any input.
 */

/* sync_interval=SECONDS: puffsd's --sync-interval (0 turns it off). */
static bool
helper_syncint(struct helper *h, const char *secs)
{
	if (*secs == '\0' || strspn(secs, "0123456789") != strlen(secs) ||
	    strlen(secs) > 9) {
		fprintf(stderr, "%s: sync_interval=%s: seconds expected\n",
		    h->prog, secs);
		return false;
	}
	g_free(h->syncint);
	h->syncint = g_strdup_printf("--sync-interval=%s", secs);
	return true;
}

/* Sort one option to puffsd, to the server, or away. */
static bool
helper_option(struct helper *h, const char *opt)
{
	size_t i;

	if (*opt == '\0')
		return true;
	for (i = 0; i < G_N_ELEMENTS(opt_table); i++) {
		if (!opt_matches(opt, opt_table[i].name))
			continue;
		switch (opt_table[i].kind) {
		case OPT_OURS:
			opt_append(h->ours, opt);
			return true;
		case OPT_DROP:
			return true;
		case OPT_SETUID:
			g_free(h->setuid_user);
			h->setuid_user = g_strdup(opt + strlen("setuid="));
			return true;
		case OPT_SYNCINT:
			return helper_syncint(h,
			    opt + strlen("sync_interval="));
		}
	}
	opt_append(h->theirs, opt);
	return true;
}

/* A server name is one file name: no path, nothing a shell would mind. */
static bool
server_name_ok(const char *name)
{
	const char *p;

	if (name == NULL || *name == '\0' || *name == '.')
		return false;
	for (p = name; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && strchr("_.+-", *p) == NULL)
			return false;
	return true;
}

/* The server from the type (puffs.SERVER) or, for fuse.puffs, the SPEC. */
static bool
helper_server(struct helper *h, const char *type)
{
	char *hash;

	if (type == NULL)
		type = strcmp(h->prog, "mount.fuse.puffs") == 0 ?
		    "fuse.puffs" : NULL;
	if (type != NULL && g_str_has_prefix(type, "puffs."))
		h->server = g_strdup(type + strlen("puffs."));
	else if (type != NULL && g_str_has_prefix(type, "fuse.puffs.")) {
		h->server = g_strdup(type + strlen("fuse.puffs."));
	} else if (type != NULL && (strcmp(type, "fuse.puffs") == 0 ||
	    strcmp(type, "puffs") == 0)) {
		/* SERVER#SPEC, as mount.fuse's TYPE#SPEC; or SERVER alone. */
		if ((hash = strchr(h->spec, '#')) != NULL) {
			h->server = g_strndup(h->spec, hash - h->spec);
			memmove(h->spec, hash + 1, strlen(hash + 1) + 1);
		} else
			h->server = g_strdup(h->spec);
	} else {
		fprintf(stderr, "%s: %s: not a puffs type (want puffs.SERVER "
		    "or fuse.puffs)\n", h->prog, type != NULL ? type : "no -t");
		return false;
	}
	if (!server_name_ok(h->server)) {
		fprintf(stderr, "%s: \"%s\" is not a server name\n", h->prog,
		    h->server);
		return false;
	}
	return true;
}

static char *
exec_in(const char *dir, const char *name)
{
	struct stat st;
	char *path;

	if (dir == NULL || *dir == '\0')
		return NULL;
	path = g_build_filename(dir, name, NULL);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0)
		return path;
	g_free(path);
	return NULL;
}

/*
 * The server program: mount_SERVER, then SERVER, in the configured server
 * directory, then along PATH, or the standard one if mount(8) left none
 * (when we run set-user-ID an invoking user's PATH is ignored: it must not
 * choose what runs as root).
 */
static char *
helper_lookup(struct helper *h)
{
	const char *sdir = secure_getenv(SERVERDIR_ENV);
	const char *path = secure_getenv("PATH");
	char *names[2], *found = NULL, **dirs;
	size_t i, j;

	names[0] = g_strconcat("mount_", h->server, NULL);
	names[1] = g_strdup(h->server);
	if (sdir == NULL || *sdir == '\0')
		sdir = PUFFS_SERVERDIR;
	for (i = 0; i < 2 && found == NULL; i++)
		found = exec_in(sdir, names[i]);
	if (path == NULL || *path == '\0')
		path = DEFAULT_PATH;
	dirs = g_strsplit(path, ":", -1);
	for (i = 0; i < 2 && found == NULL; i++)
		for (j = 0; dirs[j] != NULL && found == NULL; j++)
			found = exec_in(dirs[j], names[i]);
	g_strfreev(dirs);
	if (found == NULL)
		fprintf(stderr, "%s: no server for type puffs.%s: neither %s "
		    "nor %s in %s or PATH\n", h->prog, h->server, names[0],
		    names[1], sdir);
	g_free(names[0]);
	g_free(names[1]);
	return found;
}

/* setuid=USER: run puffsd and the server as USER (mount.fuse3 does too). */
static void
helper_become(struct helper *h)
{
	struct passwd *pw;

	if (h->setuid_user == NULL)
		return;
	if (getuid() != 0) {
		fprintf(stderr, "%s: setuid=%s: only root may mount for "
		    "another user\n", h->prog, h->setuid_user);
		exit(EX_USAGE_MOUNT);
	}
	if ((pw = getpwnam(h->setuid_user)) == NULL) {
		fprintf(stderr, "%s: setuid=%s: no such user\n", h->prog,
		    h->setuid_user);
		exit(EX_USAGE_MOUNT);
	}
	if (h->fake)
		return;
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1) {
		fprintf(stderr, "%s: setuid=%s: %s\n", h->prog,
		    h->setuid_user, strerror(errno));
		exit(EX_USAGE_MOUNT);
	}
	setenv("HOME", pw->pw_dir, 1);
	setenv("USER", pw->pw_name, 1);
	setenv("LOGNAME", pw->pw_name, 1);
}

static bool
helper_parse(struct helper *h, int argc, char **argv)
{
	gchar **olist = NULL, **rest = NULL, **opts, *type = NULL;
	GOptionEntry entries[] = {
		{ "sloppy", 's', 0, G_OPTION_ARG_NONE, &h->sloppy,
		    "Tolerate options the server may not know", NULL },
		{ "fake", 'f', 0, G_OPTION_ARG_NONE, &h->fake,
		    "Show what would run, run nothing", NULL },
		{ "no-mtab", 'n', 0, G_OPTION_ARG_NONE, &h->nomtab,
		    "Accepted for mount(8); there is no mtab to write", NULL },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &h->verbose,
		    "Show the command that runs", NULL },
		{ "options", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &olist,
		    "Mount options", "OPT[,OPT...]" },
		{ "types", 't', 0, G_OPTION_ARG_STRING, &type,
		    "puffs.SERVER or fuse.puffs", "TYPE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest,
		    NULL, "SPEC DIR" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx;
	GError *err = NULL;
	size_t i, j;
	bool ok;

	ctx = g_option_context_new("SPEC DIR - mount a puffs file server");
	g_option_context_add_main_entries(ctx, entries, NULL);
	ok = g_option_context_parse(ctx, &argc, &argv, &err);
	g_option_context_free(ctx);
	if (!ok) {
		fprintf(stderr, "%s: %s\n", h->prog, err->message);
		g_error_free(err);
	} else if (rest == NULL || g_strv_length(rest) != 2)
		ok = false;
	if (!ok) {
		g_strfreev(rest);
		g_strfreev(olist);
		g_free(type);
		return usage(h->prog);
	}
	h->spec = g_strdup(rest[0]);
	h->dir = g_strdup(rest[1]);
	g_strfreev(rest);
	ok = helper_server(h, type);
	g_free(type);
	for (i = 0; ok && olist != NULL && olist[i] != NULL; i++) {
		opts = g_strsplit(olist[i], ",", -1);
		for (j = 0; ok && opts[j] != NULL; j++)
			ok = helper_option(h, opts[j]);
		g_strfreev(opts);
	}
	g_strfreev(olist);
	return ok;
}

static void
helper_free(struct helper *h)
{
	g_free(h->server);
	g_free(h->spec);
	g_free(h->dir);
	g_string_free(h->ours, TRUE);
	g_string_free(h->theirs, TRUE);
	g_free(h->setuid_user);
	g_free(h->syncint);
}

int
main(int argc, char **argv)
{
	struct helper h;
	const char *puffsd = secure_getenv(PUFFSD_ENV);
	GPtrArray *cmd;
	char *server, *shown;

	memset(&h, 0, sizeof(h));
	h.prog = basename(argv[0]);
	h.ours = g_string_new(NULL);
	h.theirs = g_string_new(NULL);
	if (!helper_parse(&h, argc, argv)) {
		helper_free(&h);
		return EX_USAGE_MOUNT;
	}
	if ((server = helper_lookup(&h)) == NULL) {
		helper_free(&h);
		return EX_USAGE_MOUNT;
	}
	if (puffsd == NULL || *puffsd == '\0')
		puffsd = PUFFSD_PATH;

	cmd = g_ptr_array_new();
	g_ptr_array_add(cmd, "puffsd");
	g_ptr_array_add(cmd, "-b");
	if (h.syncint != NULL)
		g_ptr_array_add(cmd, h.syncint);
	if (h.ours->len > 0) {
		g_ptr_array_add(cmd, "-o");
		g_ptr_array_add(cmd, h.ours->str);
	}
	g_ptr_array_add(cmd, "--");
	g_ptr_array_add(cmd, server);
	if (h.theirs->len > 0) {
		g_ptr_array_add(cmd, "-o");
		g_ptr_array_add(cmd, h.theirs->str);
	}
	g_ptr_array_add(cmd, h.spec);
	g_ptr_array_add(cmd, h.dir);
	g_ptr_array_add(cmd, NULL);

	helper_become(&h);
	if (h.verbose || h.fake) {
		shown = g_strjoinv(" ", (char **)cmd->pdata);
		fprintf(stderr, "%s: %s%s%s\n", h.prog, shown,
		    h.setuid_user != NULL ? " as " : "",
		    h.setuid_user != NULL ? h.setuid_user : "");
		g_free(shown);
	}
	if (!h.fake) {
		fflush(stderr);
		execv(puffsd, (char **)cmd->pdata);
		fprintf(stderr, "%s: cannot run %s: %s\n", h.prog, puffsd,
		    strerror(errno));
	}
	g_ptr_array_free(cmd, TRUE);
	g_free(server);
	helper_free(&h);
	return h.fake ? 0 : EX_USAGE_MOUNT;
}
