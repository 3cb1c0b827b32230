/*
 * c_perm.c: conformance cases for permission checking itself: search
 * permission on every directory of a path, read permission to list,
 * owner/group/other class precedence, supplementary groups, what root may
 * skip and what it may not (execute), access(2) and faccessat(2), chdir and
 * execve.  Every case acts as unprivileged users.  Run by conf.c.
 */
#include "conf.h"

#include <sys/wait.h>

#include <dirent.h>
#include <grp.h>
#include <errno.h>
#include <stdlib.h>

static const gid_t g2[] = { G2 };

static void
perm_search(struct hx_ctx *c)
{
	int fd;

	cf_mkdir(c, "noexec", 0777);
	cf_mkfile(c, "noexec/f", 0666, "x");
	HX_DO(c, chmod(P("noexec"), 0666));
	AS(c, U1, G1) {
		hx_stat(c, "noexec/f");
		HX_FD(c, &fd, open(P("noexec/f"), O_RDONLY));
		HX_DO(c, unlink(P("noexec/f")));
		cf_list(c, "noexec");
		hx_stat(c, "noexec");
	}
}

static void
perm_search_only(struct hx_ctx *c)
{
	int fd;

	cf_mkdir(c, "xonly", 0755);
	cf_mkfile(c, "xonly/f", 0644, "reachable");
	HX_DO(c, chmod(P("xonly"), 0711));
	AS(c, U1, G1) {
		hx_stat(c, "xonly/f");
		hx_content(c, "xonly/f");
		cf_list(c, "xonly");
		HX_FD(c, &fd, open(P("xonly"), O_RDONLY | O_DIRECTORY));
		HX_FD(c, &fd, open(P("xonly/nope"), O_RDONLY));
	}
}

static void
perm_nested(struct hx_ctx *c)
{
	cf_mkdir(c, "a", 0700);
	cf_mkdir(c, "a/b", 0777);
	cf_mkfile(c, "a/b/f", 0666, "x");
	AS(c, U1, G1) {
		hx_stat(c, "a/b/f");
		hx_stat(c, "a/b");
		hx_stat(c, "a");
		HX_DO(c, mkdir(P("a/b/c"), 0755));
	}
	HX_DO(c, chmod(P("a"), 0701));
	AS(c, U1, G1) {
		hx_stat(c, "a/b/f");
		HX_DO(c, mkdir(P("a/b/c"), 0755));
		hx_stat(c, "a/b/c");
	}
}

static void
perm_classes(struct hx_ctx *c)
{
	cf_mkdir(c, "d", 0755);
	HX_DO(c, chown(P("d"), U1, G2));
	cf_mkfile(c, "d/f", 0644, "x");
	/* owner: nothing; group: search; other: search and read */
	HX_DO(c, chmod(P("d"), 0015));
	AS(c, U1, G1) {
		hx_stat(c, "d/f");
		cf_list(c, "d");
	}
	AS_GROUPS(c, U2, G1, 1, g2) {
		hx_stat(c, "d/f");
		cf_list(c, "d");
	}
	AS(c, UN, GN) {
		hx_stat(c, "d/f");
		cf_list(c, "d");
	}
}

static void
perm_access(struct hx_ctx *c)
{
	static const mode_t modes[] = { 0, 0400, 0200, 0100, 0044, 0022,
	    0011, 0777, 0640, 0604 };
	static const int how[] = { F_OK, R_OK, W_OK, X_OK, R_OK | W_OK,
	    R_OK | X_OK };
	char name[16], label[64];

	for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
		snprintf(name, sizeof(name), "m%04o", (unsigned int)modes[i]);
		cf_mkfile(c, name, 0644, "x");
		HX_DO(c, chown(P(name), U1, G2));
		HX_DO(c, chmod(P(name), modes[i]));
	}
	for (int who = 0; who < 3; who++) {
		static const int uid[] = { U1, U2, UN };

		AS_GROUPS(c, uid[who], uid[who], who == 1, g2) {
			for (size_t i = 0; i < G_N_ELEMENTS(modes); i++)
				for (size_t h = 0; h < G_N_ELEMENTS(how); h++) {
					snprintf(name, sizeof(name), "m%04o",
					    (unsigned int)modes[i]);
					snprintf(label, sizeof(label),
					    "uid %d access(%s, %d)", uid[who],
					    name, how[h]);
					errno = 0;
					hx_rv(c, label, access(P(name),
					    how[h]), errno, 0);
				}
		}
	}
}

/* Root reads and writes anything, but executes only what has some x. */
static void
perm_root(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "root sees it");
	HX_DO(c, chown(P("f"), U1, G1));
	HX_DO(c, chmod(P("f"), 0));
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	cf_read(c, "mode 0", fd, 32);
	if (fd >= 0)
		close(fd);
	HX_DO(c, access(P("f"), R_OK | W_OK));
	HX_DO(c, access(P("f"), X_OK));
	HX_DO(c, chmod(P("f"), 0010));
	HX_DO(c, access(P("f"), X_OK));
	cf_mkdir(c, "d", 0);
	HX_DO(c, access(P("d"), X_OK));
	cf_mkfile(c, "d/f", 0644, "x");
	cf_list(c, "d");
}

/* faccessat with AT_EACCESS checks the effective ids. */
static void
perm_eaccess(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0600, "x");
	HX_DO(c, chown(P("f"), U1, G1));
	AS(c, U1, G1) {
		HX_DO(c, faccessat(AT_FDCWD, P("f"), R_OK, AT_EACCESS));
		HX_DO(c, faccessat(AT_FDCWD, P("f"), X_OK, AT_EACCESS));
	}
	if (fork() == 0) {
		/* real uid U2, effective U1 */
		if (setresgid(G2, G1, G1) == -1 ||
		    setresuid(U2, U1, U1) == -1)
			_exit(2);
		_exit((access(P("f"), R_OK) == -1 ? 1 : 0) << 1 |
		    (faccessat(AT_FDCWD, P("f"), R_OK, AT_EACCESS) == -1));
	}
	int status = 0;
	wait(&status);
	hx_note(c, "real U2/effective U1: access %s, eaccess %s",
	    WEXITSTATUS(status) & 2 ? "denied" : "allowed",
	    WEXITSTATUS(status) & 1 ? "denied" : "allowed");
}

static void
perm_chdir(struct hx_ctx *c)
{
	int fd;

	cf_mkdir(c, "closed", 0700);
	cf_mkdir(c, "open", 0711);
	AS(c, U1, G1) {
		HX_DO(c, chdir(P("closed")));
		HX_DO(c, chdir(P("open")));
		HX_FD(c, &fd, open(P("closed"), O_PATH));
		HX_DO(c, fchdir(fd));
	}
}

/* execve: the file must be executable by the caller, and be read
 * through the mount. */
static void
perm_exec(struct hx_ctx *c)
{
	char *prog, *argv[] = { "true", NULL };
	gsize len;
	int status;

	if (!g_file_get_contents("/bin/true", &prog, &len, NULL)) {
		hx_note(c, "cannot read /bin/true");
		return;
	}
	if (!g_file_set_contents(P("prog"), prog, len, NULL))
		hx_note(c, "cannot write prog");
	g_free(prog);
	hx_content(c, "prog");
	static const mode_t modes[] = { 0744, 0755, 0754, 0700 };
	for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
		HX_DO(c, chmod(P("prog"), modes[i]));
		pid_t pid = fork();
		if (pid == 0) {
			if (setgroups(0, NULL) == -1 ||
			    setresgid(G1, G1, G1) == -1 ||
			    setresuid(U1, U1, U1) == -1)
				_exit(120);
			execv(P("prog"), argv);
			_exit(errno == EACCES ? 121 : 122);
		}
		waitpid(pid, &status, 0);
		hx_note(c, "exec as U1 with mode %04o: status %d",
		    (unsigned int)modes[i], WEXITSTATUS(status));
	}
	pid_t pid = fork();
	if (pid == 0) {
		execv(P("prog"), argv);
		_exit(121);
	}
	waitpid(pid, &status, 0);
	hx_note(c, "exec as root with mode 0700: status %d",
	    WEXITSTATUS(status));
}

const struct cf_case cf_perm_cases[] = {
	{ "perm", "search", perm_search, NULL, NULL },
	{ "perm", "search_only", perm_search_only, NULL, NULL },
	{ "perm", "nested", perm_nested, NULL, NULL },
	{ "perm", "classes", perm_classes, NULL, NULL },
	{ "perm", "access", perm_access, NULL, NULL },
	{ "perm", "root", perm_root, NULL, NULL },
	{ "perm", "eaccess", perm_eaccess, NULL, NULL },
	{ "perm", "chdir", perm_chdir, NULL, NULL },
	{ "perm", "exec", perm_exec, NULL, NULL },
	CF_END
};
