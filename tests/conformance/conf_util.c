/*
 * conf_util.c: what the conformance cases share: noting files, directories
 * and reads; per-side expectations for documented differences; running
 * parts of a scenario as other users, at the same time as the scenario or
 * after it.  Called by the case tables (c_*.c) only.
 */
#include "conf.h"

#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>

#define CF_WAIT	10.0	/* seconds: only a hang takes this long */

int	cf_like_tmpfs;

int
cf_fuse(struct hx_ctx *c)
{
	return strcmp(c->side, "fuse") == 0;
}

void
cf_mkfile(struct hx_ctx *c, const char *rel, mode_t mode, const char *data)
{
	int fd, err;
	ssize_t n = 0;

	errno = 0;
	/* open applies the umask; the cases want the mode they ask for
	 * (0666: others may write). */
	fd = open(P(rel), O_CREAT | O_WRONLY | O_TRUNC, mode);
	err = errno;
	if (fd >= 0 && fchmod(fd, mode) == -1) {
		err = errno;
		close(fd);
		fd = -1;
	}
	if (fd >= 0 && data != NULL && *data != '\0') {
		n = write(fd, data, strlen(data));
		err = errno;
	}
	if (fd >= 0)
		close(fd);
	if (fd < 0 || n < 0)
		hx_note(c, "mkfile(%s, 0%o) = -1 %s", rel, (unsigned int)mode,
		    hx_errname(err));
	else
		hx_note(c, "mkfile(%s, 0%o) = %zd bytes", rel,
		    (unsigned int)mode, n);
}

void
cf_mkdir(struct hx_ctx *c, const char *rel, mode_t mode)
{
	/* mkdir applies the umask; the cases want the mode they ask for. */
	if (mkdir(P(rel), mode) == -1 || chmod(P(rel), mode) == -1)
		hx_note(c, "mkdir(%s, 0%o) = -1 %s", rel, (unsigned int)mode,
		    hx_errname(errno));
	else
		hx_note(c, "mkdir(%s, 0%o) = 0", rel, (unsigned int)mode);
}

static int
cf_cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names with their d_type, "." and ".." left out. */
void
cf_list(struct hx_ctx *c, const char *rel)
{
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
	GString *s = g_string_new(NULL);
	struct dirent *de;
	DIR *d;

	if ((d = opendir(P(rel))) == NULL) {
		hx_note(c, "list(%s) = -1 %s", rel, hx_errname(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			g_ptr_array_add(v, g_strdup_printf("%s:%u",
			    de->d_name, de->d_type));
	closedir(d);
	g_ptr_array_sort(v, cf_cmp_str);
	for (guint i = 0; i < v->len; i++)
		g_string_append_printf(s, " %s",
		    (char *)g_ptr_array_index(v, i));
	hx_note(c, "list(%s):%s", rel, s->str);
out:
	g_string_free(s, TRUE);
	g_ptr_array_unref(v);
}

void
cf_past(struct hx_ctx *c, const char *rel)
{
	struct timespec ts[2] = { { PAST, 0 }, { PAST, 0 } };

	if (utimensat(AT_FDCWD, P(rel), ts, AT_SYMLINK_NOFOLLOW) == -1)
		hx_note(c, "set past times on %s = -1 %s", rel,
		    hx_errname(errno));
}

void
cf_read(struct hx_ctx *c, const char *what, int fd, size_t len)
{
	char buf[256];
	ssize_t n;

	if (len > sizeof(buf))
		len = sizeof(buf);
	errno = 0;
	n = read(fd, buf, len);
	if (n < 0)
		hx_note(c, "%s: read = -1 %s", what, hx_errname(errno));
	else
		hx_note(c, "%s: read = %zd \"%.*s\"", what, n, (int)n, buf);
}

void
cf_expect(struct hx_ctx *c, const char *what, long rv, int err,
    const char *tmpfs_expect, const char *fuse_expect)
{
	const char *want = cf_fuse(c) && !cf_like_tmpfs ? fuse_expect :
	    tmpfs_expect;
	char got[64];

	if (rv < 0)
		snprintf(got, sizeof(got), "%s", hx_errname(err));
	else if (strcmp(want, "fd") == 0)
		snprintf(got, sizeof(got), "fd");
	else
		snprintf(got, sizeof(got), "%ld", rv);
	if (strcmp(got, want) == 0)
		hx_note(c, "%s = as expected on this fs", what);
	else
		hx_note(c, "%s = %s, not the %s expected on %s", what, got,
		    want, c->side);
}

/* --- identities --- */

static int	cf_as_fd = -1;	/* in an AS child: where its notes go */
static guint	cf_as_from;

static int
cf_become(int uid, int gid, int ngroups, const gid_t *groups)
{
	if (uid < 0)
		return 0;
	if (setgroups(ngroups, groups) == -1 ||
	    setresgid(gid, gid, gid) == -1 || setresuid(uid, uid, uid) == -1)
		return -1;
	return 0;
}

static void
cf_send_lines(struct hx_ctx *c, int fd, guint from)
{
	for (guint i = from; i < c->lines->len; i++) {
		const char *l = g_ptr_array_index(c->lines, i);

		if (write(fd, l, strlen(l)) < 0 || write(fd, "\n", 1) < 0)
			_exit(4);
	}
}

/* Read a child's notes until EOF, reap it; a hang is noted and killed. */
static void
cf_collect(struct hx_ctx *c, pid_t pid, int fd, const char *who)
{
	GString *all = g_string_new(NULL);
	double end = hx_now() + CF_WAIT;
	struct pollfd pfd = { fd, POLLIN, 0 };
	char buf[4096];
	ssize_t n;
	int status = 0;

	for (;;) {
		int left = (int)((end - hx_now()) * 1000);

		if (left <= 0 || poll(&pfd, 1, left) <= 0) {
			hx_note(c, "%s: still running after %.0f s: killed",
			    who, CF_WAIT);
			kill(pid, SIGKILL);
			break;
		}
		if ((n = read(fd, buf, sizeof(buf))) <= 0)
			break;
		g_string_append_len(all, buf, n);
	}
	close(fd);
	waitpid(pid, &status, 0);
	gchar **v = g_strsplit(all->str, "\n", -1);
	for (gchar **l = v; *l != NULL; l++)
		if (**l != '\0')
			g_ptr_array_add(c->lines, g_strdup(*l));
	g_strfreev(v);
	g_string_free(all, TRUE);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		hx_note(c, "%s: ended with status 0x%x", who, status);
}

int
cf_as_begin(struct hx_ctx *c, int uid, int gid, int ngroups,
    const gid_t *groups)
{
	int pfd[2];
	pid_t pid;

	fflush(NULL);
	if (pipe(pfd) == -1 || (pid = fork()) == -1) {
		hx_note(c, "as %d: fork: %s", uid, hx_errname(errno));
		return 0;
	}
	if (pid == 0) {
		close(pfd[0]);
		if (cf_become(uid, gid, ngroups, groups) == -1)
			_exit(3);
		cf_as_fd = pfd[1];
		cf_as_from = c->lines->len;
		return 1;
	}
	close(pfd[1]);
	char who[32];
	snprintf(who, sizeof(who), "child as uid %d", uid);
	cf_collect(c, pid, pfd[0], who);
	return 0;
}

int
cf_as_end(struct hx_ctx *c)
{
	cf_send_lines(c, cf_as_fd, cf_as_from);
	_exit(0);
}

/* --- a second process at the same time --- */

int
cf_spawn(struct hx_ctx *c, struct cf_kid *k, int uid, int gid)
{
	int lfd[2];

	memset(k, 0, sizeof(*k));
	fflush(NULL);
	if (pipe(lfd) == -1 || pipe(k->to_kid) == -1 ||
	    pipe(k->to_parent) == -1 || (k->pid = fork()) == -1) {
		hx_note(c, "spawn: %s", hx_errname(errno));
		k->pid = -1;
		return -1;
	}
	if (k->pid == 0) {
		close(lfd[0]);
		close(k->to_kid[1]);
		close(k->to_parent[0]);
		if (cf_become(uid, gid, 0, NULL) == -1)
			_exit(3);
		k->lines = lfd[1];
		k->from = c->lines->len;
		return 1;
	}
	close(lfd[1]);
	close(k->to_kid[0]);
	close(k->to_parent[1]);
	k->lines = lfd[0];
	return 0;
}

void
cf_kid_exit(struct hx_ctx *c, struct cf_kid *k)
{
	cf_send_lines(c, k->lines, k->from);
	_exit(0);
}

void
cf_join(struct hx_ctx *c, struct cf_kid *k)
{
	if (k->pid <= 0)
		return;
	close(k->to_kid[1]);
	cf_collect(c, k->pid, k->lines, "second process");
	close(k->to_parent[0]);
	k->pid = 0;
}

void
cf_tell_parent(struct cf_kid *k)
{
	if (write(k->to_parent[1], "!", 1) != 1)
		_exit(5);
}

void
cf_tell_kid(struct cf_kid *k)
{
	if (write(k->to_kid[1], "!", 1) != 1)
		return;
}

static int
cf_hear(struct hx_ctx *c, int fd, const char *who)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char b;

	if (poll(&pfd, 1, (int)(CF_WAIT * 1000)) != 1 ||
	    read(fd, &b, 1) != 1) {
		hx_note(c, "%s: no word within %.0f s", who, CF_WAIT);
		return -1;
	}
	return 0;
}

int
cf_hear_parent(struct hx_ctx *c, struct cf_kid *k)
{
	return cf_hear(c, k->to_kid[0], "second process");
}

int
cf_hear_kid(struct hx_ctx *c, struct cf_kid *k)
{
	return cf_hear(c, k->to_parent[0], "scenario");
}

int
cf_kid_said(struct cf_kid *k)
{
	struct pollfd pfd = { k->to_parent[0], POLLIN, 0 };

	return poll(&pfd, 1, 0) == 1;
}

/* The kid is asleep (S or D) inside syscall nr, per /proc. */
static int
cf_blocked_in(pid_t pid, long nr)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (strtol(buf, NULL, 10) != nr || buf[0] == 'r')
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] == '\0')
		return 0;
	return p[2] == 'S' || p[2] == 'D';
}

int
cf_wait_blocked(struct hx_ctx *c, struct cf_kid *k, long nr)
{
	double end = hx_now() + CF_WAIT;

	while (!cf_blocked_in(k->pid, nr)) {
		if (hx_now() > end || cf_kid_said(k)) {
			hx_note(c, "second process did not block in syscall "
			    "%ld", nr);
			return -1;
		}
		hx_msleep(2);
	}
	return 0;
}
