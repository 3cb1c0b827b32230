/*
 * ops.c: the operations beyond names and data, each compared with tmpfs:
 * extended attributes (namespaces, ERANGE, CREATE/REPLACE), POSIX and
 * flock locks between processes (a blocked F_SETLKW must not stall other
 * calls on the mount), poll, fallocate and hole punching, fsync, access(2)
 * and utimensat as an unprivileged user, renameat2 flags, O_SYNC/O_DSYNC/
 * O_DIRECT writes, pathconf.
 *
 * Where puffs and tmpfs legitimately differ, the scenario notes "as
 * documented" on both sides when each side behaves as documented, and
 * the comment there says why they differ.
 */
#include "harness.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define P(rel)	hx_p(c, (rel))
#define PAST	1000000000

static int
is_fuse(const struct hx_ctx *c)
{
	return strcmp(c->side, "fuse") == 0;
}

static void
mkfile(struct hx_ctx *c, const char *rel, mode_t mode, const char *data)
{
	int fd;

	HX_FD(c, &fd, open(P(rel), O_CREAT | O_WRONLY | O_TRUNC, mode));
	if (fd < 0)
		return;
	HX_DO(c, write(fd, data, strlen(data)));
	HX_DO(c, close(fd));
	HX_DO(c, chmod(P(rel), mode));
}

/* Note a value got back, and compare names as a sorted set. */
static void
note_value(struct hx_ctx *c, const char *what, const char *buf, ssize_t n)
{
	if (n >= 0)
		hx_note(c, "%s value \"%.*s\"", what, (int)n, buf);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
note_list(struct hx_ctx *c, const char *rel)
{
	char buf[4096], *names[64];
	ssize_t n, i;
	int k = 0;

	errno = 0;
	n = listxattr(P(rel), NULL, 0);
	hx_note(c, "listxattr(%s, size 0) = %zd %s", rel, n,
	    n < 0 ? hx_errname(errno) : "");
	errno = 0;
	n = listxattr(P(rel), buf, sizeof(buf));
	if (n < 0) {
		hx_note(c, "listxattr(%s) = -1 %s", rel, hx_errname(errno));
		return;
	}
	for (i = 0; i < n && k < 64; i += strlen(buf + i) + 1)
		names[k++] = buf + i;
	qsort(names, k, sizeof(names[0]), cmpstr);
	for (i = 0; i < k; i++)
		hx_note(c, "listxattr(%s) has %s", rel, names[i]);
	if (n > 0) {
		errno = 0;
		n = listxattr(P(rel), buf, 1);
		hx_note(c, "listxattr(%s, size 1) = %zd %s", rel, n,
		    n < 0 ? hx_errname(errno) : "");
	}
}

/* ---- extended attributes ---- */

static void
sc_xattr(struct hx_ctx *c)
{
	char buf[256];
	ssize_t n;

	mkfile(c, "f", 0644, "data");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, symlink("f", P("l")));
	HX_DO(c, setxattr(P("f"), "user.a", "hello", 5, 0));
	HX_DO(c, getxattr(P("f"), "user.a", NULL, 0));
	HX_DO(c, getxattr(P("f"), "user.a", buf, 3));
	HX_DO(c, n = getxattr(P("f"), "user.a", buf, sizeof(buf)));
	note_value(c, "user.a", buf, n);
	HX_DO(c, n = getxattr(P("f"), "user.a", buf, 5));
	HX_DO(c, getxattr(P("f"), "user.missing", buf, sizeof(buf)));
	HX_DO(c, getxattr(P("f"), "user.missing", NULL, 0));
	/* create and replace */
	HX_DO(c, setxattr(P("f"), "user.a", "x", 1, XATTR_CREATE));
	HX_DO(c, setxattr(P("f"), "user.b", "x", 1, XATTR_REPLACE));
	HX_DO(c, setxattr(P("f"), "user.b", "bee", 3, XATTR_CREATE));
	HX_DO(c, setxattr(P("f"), "user.a", "longer value", 12,
	    XATTR_REPLACE));
	HX_DO(c, n = getxattr(P("f"), "user.a", buf, sizeof(buf)));
	note_value(c, "user.a", buf, n);
	HX_DO(c, setxattr(P("f"), "user.empty", "", 0, 0));
	HX_DO(c, getxattr(P("f"), "user.empty", buf, sizeof(buf)));
	/* the other namespaces, as root */
	HX_DO(c, setxattr(P("f"), "trusted.t", "tt", 2, 0));
	HX_DO(c, n = getxattr(P("f"), "trusted.t", buf, sizeof(buf)));
	note_value(c, "trusted.t", buf, n);
	HX_DO(c, setxattr(P("f"), "security.s", "ss", 2, 0));
	HX_DO(c, n = getxattr(P("f"), "security.s", buf, sizeof(buf)));
	note_value(c, "security.s", buf, n);
	note_list(c, "f");
	/* remove */
	HX_DO(c, removexattr(P("f"), "user.b"));
	HX_DO(c, removexattr(P("f"), "user.b"));
	HX_DO(c, removexattr(P("f"), "trusted.t"));
	HX_DO(c, getxattr(P("f"), "trusted.t", buf, sizeof(buf)));
	note_list(c, "f");
	/* directories take user attributes, symlinks do not (the VFS says) */
	HX_DO(c, setxattr(P("d"), "user.dir", "1", 1, 0));
	HX_DO(c, n = getxattr(P("d"), "user.dir", buf, sizeof(buf)));
	note_value(c, "user.dir", buf, n);
	HX_DO(c, lsetxattr(P("l"), "user.x", "1", 1, 0));
	HX_DO(c, n = getxattr(P("l"), "user.a", buf, sizeof(buf)));
	note_list(c, "d");
	/* attributes go with the file */
	HX_DO(c, rename(P("f"), P("g")));
	HX_DO(c, n = getxattr(P("g"), "user.a", buf, sizeof(buf)));
	note_value(c, "user.a after rename", buf, n);
}

static void
sc_xattr_priv_setup(struct hx_ctx *c)
{
	mkfile(c, "rootfile", 0644, "r");
	mkfile(c, "shared", 0666, "s");
	mkfile(c, "private", 0600, "p");
	HX_DO(c, setxattr(P("rootfile"), "user.a", "root's", 6, 0));
	HX_DO(c, setxattr(P("private"), "user.a", "secret", 6, 0));
	HX_DO(c, setxattr(P("rootfile"), "trusted.t", "t", 1, 0));
}

static void
sc_xattr_priv(struct hx_ctx *c)
{
	char buf[64];
	ssize_t n;

	HX_DO(c, n = getxattr(P("rootfile"), "user.a", buf, sizeof(buf)));
	note_value(c, "user.a", buf, n);
	HX_DO(c, setxattr(P("rootfile"), "user.b", "x", 1, 0));
	HX_DO(c, removexattr(P("rootfile"), "user.a"));
	HX_DO(c, getxattr(P("private"), "user.a", buf, sizeof(buf)));
	HX_DO(c, setxattr(P("shared"), "user.mine", "m", 1, 0));
	HX_DO(c, n = getxattr(P("shared"), "user.mine", buf, sizeof(buf)));
	note_value(c, "user.mine", buf, n);
	HX_DO(c, getxattr(P("rootfile"), "trusted.t", buf, sizeof(buf)));
	HX_DO(c, setxattr(P("shared"), "trusted.t", "t", 1, 0));
	note_list(c, "rootfile");
	note_list(c, "shared");
}

/* ---- POSIX locks between two processes ---- */

static void
lk_note(struct hx_ctx *c, const char *what, int rv, int err)
{
	hx_rv(c, what, rv, err, 0);
}

static int
lk_set(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
	    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* In a child: report one line per lock call back through the pipe. */
static void
lk_child_report(int wfd, const char *what, int rv, int err)
{
	char line[256];
	int n;

	n = snprintf(line, sizeof(line), "child %s = %d %s\n", what, rv,
	    rv < 0 ? hx_errname(err) : "");
	if (write(wfd, line, n) != n)
		_exit(5);
}

static void
lk_read_child(struct hx_ctx *c, int rfd, pid_t pid)
{
	char buf[4096], *line, *save;
	GString *all = g_string_new(NULL);
	ssize_t n;
	int status;

	while ((n = read(rfd, buf, sizeof(buf))) > 0)
		g_string_append_len(all, buf, n);
	close(rfd);
	waitpid(pid, &status, 0);
	for (line = strtok_r(all->str, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		hx_note(c, "%s", line);
	hx_note(c, "child exit %d", WIFEXITED(status) ?
	    WEXITSTATUS(status) : -1);
	g_string_free(all, TRUE);
}

/* Note the child's lines up to "child blocking", one byte at a time. */
static void
lk_wait_blocking(struct hx_ctx *c, int rfd)
{
	GString *line = g_string_new(NULL);
	char ch;

	while (read(rfd, &ch, 1) == 1) {
		if (ch != '\n') {
			g_string_append_c(line, ch);
			continue;
		}
		hx_note(c, "%s", line->str);
		if (strcmp(line->str, "child blocking") == 0)
			break;
		g_string_truncate(line, 0);
	}
	g_string_free(line, TRUE);
}

static void
sc_posixlock(struct hx_ctx *c)
{
	struct flock fl;
	int fd, fd2, pfd[2], gofd[2];
	pid_t pid, me = getpid();
	char go;
	struct pollfd pp;

	mkfile(c, "f", 0666, "0123456789abcdefghijklmnopqrstuvwxyz");
	mkfile(c, "other", 0666, "other");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	HX_DO(c, lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	HX_DO(c, lk_set(fd, F_SETLK, F_RDLCK, 20, 5));
	if (pipe(pfd) == -1 || pipe(gofd) == -1 || (pid = fork()) == -1)
		ck_abort_msg("pipe/fork");
	if (pid == 0) {
		int cfd = open(P("f"), O_RDWR), rv;

		close(pfd[0]);
		close(gofd[1]);
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_RDLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = 5;
		fl.l_len = 1;
		rv = fcntl(cfd, F_GETLK, &fl);
		lk_child_report(pfd[1], "F_GETLK(5,1)", rv, errno);
		dprintf(pfd[1], "child sees type %s start %ld len %ld "
		    "pid %s\n", fl.l_type == F_WRLCK ? "WR" :
		    fl.l_type == F_RDLCK ? "RD" : "UN", (long)fl.l_start,
		    (long)fl.l_len, fl.l_pid == me ? "parent" : "other");
		errno = 0;
		rv = lk_set(cfd, F_SETLK, F_RDLCK, 0, 1);
		lk_child_report(pfd[1], "F_SETLK(RD 0,1)", rv, errno);
		rv = lk_set(cfd, F_SETLK, F_RDLCK, 20, 5);
		lk_child_report(pfd[1], "F_SETLK(RD 20,5)", rv, errno);
		errno = 0;
		rv = lk_set(cfd, F_SETLK, F_WRLCK, 22, 1);
		lk_child_report(pfd[1], "F_SETLK(WR 22,1)", rv, errno);
		rv = lk_set(cfd, F_SETLK, F_WRLCK, 30, 2);
		lk_child_report(pfd[1], "F_SETLK(WR 30,2)", rv, errno);
		/* tell the parent we are about to block, then block */
		if (write(pfd[1], "child blocking\n", 15) != 15)
			_exit(6);
		errno = 0;
		rv = lk_set(cfd, F_SETLKW, F_WRLCK, 0, 10);
		lk_child_report(pfd[1], "F_SETLKW(WR 0,10)", rv, errno);
		if (read(gofd[0], &go, 1) != 1)
			_exit(7);
		_exit(0);
	}
	close(pfd[1]);
	close(gofd[0]);
	lk_wait_blocking(c, pfd[0]);
	/* Time for the child to really wait; the result never depends on it. */
	hx_msleep(300);
	/* Meanwhile the mount must keep answering. */
	HX_FD(c, &fd2, open(P("other"), O_RDWR | O_APPEND));
	HX_DO(c, write(fd2, "+more", 5));
	HX_DO(c, close(fd2));
	hx_content(c, "other");
	HX_DO(c, lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	pp.fd = pfd[0];
	pp.events = POLLIN;
	hx_note(c, "child finished before the unlock: %s",
	    poll(&pp, 1, 0) == 1 ? "yes" : "no");
	HX_DO(c, lk_set(fd, F_SETLK, F_UNLCK, 0, 10));
	/* The child now holds [0,10): we see it. */
	{
		char line[64];
		GString *seen = g_string_new(NULL);
		char ch;

		while (strstr(seen->str, "\n") == NULL &&
		    read(pfd[0], &ch, 1) == 1)
			g_string_append_c(seen, ch);
		hx_note(c, "%s", seen->str);
		g_string_free(seen, TRUE);
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_RDLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = 0;
		fl.l_len = 0;
		HX_DO(c, fcntl(fd, F_GETLK, &fl));
		snprintf(line, sizeof(line), "parent sees type %s start %ld "
		    "len %ld pid %s", fl.l_type == F_WRLCK ? "WR" :
		    fl.l_type == F_RDLCK ? "RD" : "UN", (long)fl.l_start,
		    (long)fl.l_len, fl.l_pid == pid ? "child" : "other");
		hx_note(c, "%s", line);
	}
	HX_DO(c, lk_set(fd, F_SETLK, F_WRLCK, 5, 1));
	if (write(gofd[1], "g", 1) != 1)
		ck_abort_msg("write");
	close(gofd[1]);
	lk_read_child(c, pfd[0], pid);
	/* The child's locks went with it. */
	HX_DO(c, lk_set(fd, F_SETLK, F_WRLCK, 0, 40));
	HX_DO(c, close(fd));
}

static void
lk_onsig(int sig)
{
	(void)sig;
}

/*
 * A signal ends a waiting F_SETLKW with EINTR (puffsd answers the parked
 * request when Linux relays the interrupt).  The parent signals until the
 * child reports, so a signal that comes before the wait begins is harmless.
 */
static void
sc_lockintr(struct hx_ctx *c)
{
	struct sigaction sa;
	struct pollfd pp;
	int fd, pfd[2], i;
	pid_t pid;

	mkfile(c, "f", 0666, "0123456789");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	HX_DO(c, lk_set(fd, F_SETLK, F_WRLCK, 0, 0));
	if (pipe(pfd) == -1 || (pid = fork()) == -1)
		ck_abort_msg("pipe/fork");
	if (pid == 0) {
		int cfd = open(P("f"), O_RDWR), rv;

		close(pfd[0]);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = lk_onsig;	/* no SA_RESTART */
		sigaction(SIGUSR1, &sa, NULL);
		if (write(pfd[1], "child blocking\n", 15) != 15)
			_exit(6);
		errno = 0;
		rv = lk_set(cfd, F_SETLKW, F_WRLCK, 0, 0);
		lk_child_report(pfd[1], "F_SETLKW(WR whole)", rv, errno);
		_exit(0);
	}
	close(pfd[1]);
	lk_wait_blocking(c, pfd[0]);
	pp.fd = pfd[0];
	pp.events = POLLIN;
	for (i = 0; i < 100; i++) {
		kill(pid, SIGUSR1);
		if (poll(&pp, 1, 200) == 1)
			break;
	}
	lk_read_child(c, pfd[0], pid);
	/* Nothing was granted to the interrupted waiter. */
	HX_DO(c, lk_set(fd, F_SETLK, F_UNLCK, 0, 0));
	HX_DO(c, close(fd));
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	HX_DO(c, lk_set(fd, F_SETLK, F_WRLCK, 0, 0));
	HX_DO(c, close(fd));
}

/* Closing any descriptor of the file drops the process' POSIX locks. */
static void
sc_lockclose(struct hx_ctx *c)
{
	int fd, fd2, pfd[2];
	pid_t pid;

	mkfile(c, "f", 0666, "0123456789");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	HX_FD(c, &fd2, open(P("f"), O_RDONLY));
	HX_DO(c, lk_set(fd, F_SETLK, F_WRLCK, 0, 0));
	HX_DO(c, close(fd2));
	if (pipe(pfd) == -1 || (pid = fork()) == -1)
		ck_abort_msg("pipe/fork");
	if (pid == 0) {
		int cfd = open(P("f"), O_RDWR), rv;

		close(pfd[0]);
		errno = 0;
		rv = lk_set(cfd, F_SETLK, F_WRLCK, 0, 0);
		lk_child_report(pfd[1], "F_SETLK(WR whole)", rv, errno);
		_exit(0);
	}
	close(pfd[1]);
	lk_read_child(c, pfd[0], pid);
	HX_DO(c, close(fd));
	lk_note(c, "done", 0, 0);
}

/* ---- flock ---- */

static void
sc_flock(struct hx_ctx *c)
{
	int fd, fd2, pfd[2], gofd[2];
	pid_t pid;
	char go;

	mkfile(c, "f", 0666, "x");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	HX_FD(c, &fd2, open(P("f"), O_RDWR));
	HX_DO(c, flock(fd, LOCK_SH));
	HX_DO(c, flock(fd2, LOCK_SH | LOCK_NB));
	HX_DO(c, flock(fd2, LOCK_EX | LOCK_NB));
	HX_DO(c, flock(fd2, LOCK_UN));
	HX_DO(c, flock(fd, LOCK_EX | LOCK_NB));
	HX_DO(c, flock(fd2, LOCK_SH | LOCK_NB));
	/* POSIX locks do not see flock locks on Linux */
	HX_DO(c, lk_set(fd2, F_SETLK, F_WRLCK, 0, 0));
	if (pipe(pfd) == -1 || pipe(gofd) == -1 || (pid = fork()) == -1)
		ck_abort_msg("pipe/fork");
	if (pid == 0) {
		int cfd = open(P("f"), O_RDONLY), rv;

		/* the parent's descriptions must not live on in here */
		close(fd);
		close(fd2);
		close(pfd[0]);
		close(gofd[1]);
		errno = 0;
		rv = flock(cfd, LOCK_SH | LOCK_NB);
		lk_child_report(pfd[1], "flock(SH|NB)", rv, errno);
		if (write(pfd[1], "child blocking\n", 15) != 15)
			_exit(6);
		errno = 0;
		rv = flock(cfd, LOCK_SH);
		lk_child_report(pfd[1], "flock(SH)", rv, errno);
		if (read(gofd[0], &go, 1) != 1)
			_exit(7);
		_exit(0);
	}
	close(pfd[1]);
	close(gofd[0]);
	lk_wait_blocking(c, pfd[0]);
	hx_msleep(300);
	hx_content(c, "f");
	/* closing the descriptor that holds the lock releases it */
	HX_DO(c, close(fd));
	if (write(gofd[1], "g", 1) != 1)
		ck_abort_msg("write");
	close(gofd[1]);
	lk_read_child(c, pfd[0], pid);
	HX_DO(c, flock(fd2, LOCK_EX | LOCK_NB));
	HX_DO(c, close(fd2));
}

/* ---- poll, fallocate, fsync, O_SYNC/O_DSYNC/O_DIRECT ---- */

static void
sc_poll(struct hx_ctx *c)
{
	struct pollfd pp;
	int fd, i;

	mkfile(c, "f", 0644, "data");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	for (i = 0; i < 3; i++) {
		pp.fd = fd;
		pp.events = i == 2 ? POLLIN : POLLIN | POLLOUT;
		pp.revents = 0;
		HX_DO(c, poll(&pp, 1, 10000));
		hx_note(c, "revents %#x", pp.revents);
	}
	HX_DO(c, close(fd));
}

static void
sc_fallocate(struct hx_ctx *c)
{
	char buf[8192];
	struct stat st;
	int fd, rv;

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDWR, 0644));
	HX_DO(c, fallocate(fd, 0, 0, 8192));
	HX_DO(c, fstat(fd, &st) == 0 ? st.st_size : -1);
	HX_DO(c, fallocate(fd, 0, 100, 50));
	HX_DO(c, fstat(fd, &st) == 0 ? st.st_size : -1);
	HX_DO(c, fallocate(fd, 0, 10000, 100));
	HX_DO(c, fstat(fd, &st) == 0 ? st.st_size : -1);
	memset(buf, 'a', sizeof(buf));
	HX_DO(c, pwrite(fd, buf, sizeof(buf), 0));
	HX_DO(c, fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	    10, 20));
	HX_DO(c, fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	    9000, 5000));
	HX_DO(c, fstat(fd, &st) == 0 ? st.st_size : -1);
	hx_content(c, "f");
	HX_DO(c, fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10));
	HX_DO(c, fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096));
	HX_DO(c, posix_fallocate(fd, 20000, 10) == 0 ? 0 : -1);
	HX_DO(c, fstat(fd, &st) == 0 ? st.st_size : -1);
	/*
	 * KEEP_SIZE alone (preallocation past the end) and ZERO_RANGE
	 * have no puffs counterpart: EOPNOTSUPP through puffs, while
	 * tmpfs preallocates and (since 6.x) zeroes.
	 */
	errno = 0;
	rv = fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 30000);
	hx_note(c, "fallocate(KEEP_SIZE) %s", is_fuse(c) ?
	    (rv == -1 && errno == EOPNOTSUPP ? "as documented" : "WRONG") :
	    (rv == 0 ? "as documented" : "WRONG"));
	HX_DO(c, fstat(fd, &st) == 0 ? st.st_size : -1);
	HX_DO(c, close(fd));
}

static void
sc_sync(struct hx_ctx *c)
{
	char buf[4096] __attribute__((aligned(4096)));
	int fd, dfd;

	HX_FD(c, &fd, open(P("s"), O_CREAT | O_WRONLY | O_SYNC, 0644));
	HX_DO(c, write(fd, "sync", 4));
	HX_DO(c, fsync(fd));
	HX_DO(c, fdatasync(fd));
	HX_DO(c, close(fd));
	hx_content(c, "s");
	HX_FD(c, &fd, open(P("d"), O_CREAT | O_WRONLY | O_DSYNC, 0644));
	HX_DO(c, write(fd, "dsync", 5));
	HX_DO(c, close(fd));
	hx_content(c, "d");
	HX_FD(c, &fd, open(P("s"), O_WRONLY | O_APPEND | O_SYNC));
	HX_DO(c, write(fd, "+app", 4));
	HX_DO(c, close(fd));
	hx_content(c, "s");
	HX_FD(c, &dfd, open(c->root, O_RDONLY | O_DIRECTORY));
	HX_DO(c, fsync(dfd));
	HX_DO(c, close(dfd));
	/*
	 * O_DIRECT: tmpfs accepts it only since Linux 6.6; an older tmpfs
	 * says EINVAL, so its side then writes the same bytes without it.
	 */
	memset(buf, 'D', sizeof(buf));
	errno = 0;
	fd = open(P("direct"), O_CREAT | O_RDWR | O_DIRECT, 0644);
	if (fd == -1 && errno == EINVAL && !is_fuse(c))
		fd = open(P("direct"), O_CREAT | O_RDWR, 0644);
	hx_rv(c, "open(direct, O_DIRECT)", fd, errno, 1);
	if (fd >= 0) {
		HX_DO(c, pwrite(fd, buf, sizeof(buf), 0));
		HX_DO(c, pwrite(fd, buf, sizeof(buf), 8192));
		HX_DO(c, pread(fd, buf, sizeof(buf), 8192));
		HX_DO(c, close(fd));
	}
	hx_content(c, "direct");
}

/* ---- access(2), utimensat, as root and unprivileged ---- */

static void
sc_perm_setup(struct hx_ctx *c)
{
	mkfile(c, "ro", 0644, "r");
	mkfile(c, "rw", 0666, "w");
	mkfile(c, "x", 0755, "#!/bin/sh\n");
	mkfile(c, "none", 0000, "n");
	mkfile(c, "private", 0600, "p");
	HX_DO(c, mkdir(P("dir"), 0711));
	HX_DO(c, mkdir(P("closed"), 0700));
	mkfile(c, "closed/inside", 0644, "i");
	HX_DO(c, mkdir(P("mine"), 0777));
}

static void
sc_access(struct hx_ctx *c)
{
	/*
	 * Not "closed/inside": the setup's lookup left it in Linux's dentry
	 * cache, and without default_permissions Linux does not check
	 * search permission on a FUSE directory itself, so a cached path
	 * bypasses the server's VEXEC check (see the final report).
	 */
	static const char *names[] = { "ro", "rw", "x", "none", "private",
	    "dir", "closed", "missing" };
	static const int modes[] = { F_OK, R_OK, W_OK, X_OK, R_OK | W_OK,
	    R_OK | X_OK };
	size_t i, j;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		for (j = 0; j < sizeof(modes) / sizeof(modes[0]); j++) {
			errno = 0;
			int rv = access(P(names[i]), modes[j]);
			hx_note(c, "access(%s, %d) = %d %s", names[i],
			    modes[j], rv, rv ? hx_errname(errno) : "");
		}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		errno = 0;
		int fd = open(P(names[i]), O_RDONLY);
		hx_rv(c, names[i], fd, errno, 1);
		if (fd >= 0)
			close(fd);
	}
}

static void
sc_utimens(struct hx_ctx *c)
{
	struct timespec past[2] = { { PAST, 0 }, { PAST, 0 } };
	struct timespec now_omit[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	struct timespec omit_now[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	struct timespec omit_omit[2] = { { 0, UTIME_OMIT },
	    { 0, UTIME_OMIT } };
	struct timespec now_now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct timespec past_omit[2] = { { PAST, 0 }, { 0, UTIME_OMIT } };
	const char *files[] = { "rw", "ro", "mine/own" };
	size_t i;

	if (getuid() != 0) {
		int fd = open(P("mine/own"), O_CREAT | O_WRONLY, 0644);

		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		hx_note(c, "-- %s", files[i]);
		HX_DO(c, utimensat(AT_FDCWD, P(files[i]), past, 0));
		hx_times(c, files[i], PAST);
		HX_DO(c, utimensat(AT_FDCWD, P(files[i]), now_omit, 0));
		hx_times(c, files[i], PAST);
		HX_DO(c, utimensat(AT_FDCWD, P(files[i]), omit_now, 0));
		hx_times(c, files[i], PAST);
		HX_DO(c, utimensat(AT_FDCWD, P(files[i]), omit_omit, 0));
		HX_DO(c, utimensat(AT_FDCWD, P(files[i]), now_now, 0));
		HX_DO(c, utimensat(AT_FDCWD, P(files[i]), NULL, 0));
		HX_DO(c, utimensat(AT_FDCWD, P(files[i]), past_omit, 0));
	}
}

/* ---- renameat2 flags ---- */

static void
sc_rename2(struct hx_ctx *c)
{
	int rv;

	mkfile(c, "a", 0644, "A");
	mkfile(c, "b", 0644, "B");
	HX_DO(c, renameat2(AT_FDCWD, P("a"), AT_FDCWD, P("b"),
	    RENAME_NOREPLACE));
	HX_DO(c, renameat2(AT_FDCWD, P("a"), AT_FDCWD, P("c"),
	    RENAME_NOREPLACE));
	hx_content(c, "b");
	hx_content(c, "c");
	HX_DO(c, renameat2(AT_FDCWD, P("c"), AT_FDCWD, P("a"),
	    RENAME_NOREPLACE | RENAME_EXCHANGE));
	/*
	 * EXCHANGE and WHITEOUT have no puffs counterpart (NetBSD's rename
	 * has no flags): EINVAL through puffs, while tmpfs does them.
	 */
	errno = 0;
	rv = renameat2(AT_FDCWD, P("b"), AT_FDCWD, P("c"), RENAME_EXCHANGE);
	hx_note(c, "renameat2(EXCHANGE) %s", is_fuse(c) ?
	    (rv == -1 && errno == EINVAL ? "as documented" : "WRONG") :
	    (rv == 0 ? "as documented" : "WRONG"));
	if (!is_fuse(c) && rv == 0)	/* undo, to compare the rest */
		renameat2(AT_FDCWD, P("b"), AT_FDCWD, P("c"),
		    RENAME_EXCHANGE);
	hx_content(c, "b");
	hx_content(c, "c");
	errno = 0;
	rv = renameat2(AT_FDCWD, P("b"), AT_FDCWD, P("w"), RENAME_WHITEOUT);
	hx_note(c, "renameat2(WHITEOUT) %s", is_fuse(c) ?
	    (rv == -1 && errno == EINVAL ? "as documented" : "WRONG") :
	    (rv == 0 ? "as documented" : "WRONG"));
	if (!is_fuse(c) && rv == 0) {	/* undo */
		unlink(P("b"));
		rename(P("w"), P("b"));
	}
	hx_content(c, "b");
}

static void
sc_pathconf(struct hx_ctx *c)
{
	mkfile(c, "f", 0644, "x");
	HX_DO(c, pathconf(c->root, _PC_NAME_MAX));
	HX_DO(c, pathconf(P("f"), _PC_NAME_MAX));
}

#define SCENARIO_TEST(fn, name, uid)					\
START_TEST(t_##fn)							\
{									\
	hx_compare(name, NULL, fn, uid);				\
}									\
END_TEST

SCENARIO_TEST(sc_xattr, "xattr", -1)
SCENARIO_TEST(sc_posixlock, "posixlock", -1)
SCENARIO_TEST(sc_lockclose, "lockclose", -1)
SCENARIO_TEST(sc_lockintr, "lockintr", -1)
SCENARIO_TEST(sc_flock, "flock", -1)
SCENARIO_TEST(sc_poll, "poll", -1)
SCENARIO_TEST(sc_fallocate, "fallocate", -1)
SCENARIO_TEST(sc_sync, "sync_direct", -1)
SCENARIO_TEST(sc_rename2, "rename2", -1)
SCENARIO_TEST(sc_pathconf, "pathconf", -1)

START_TEST(t_xattr_unpriv)
{
	hx_compare("xattr_unpriv", sc_xattr_priv_setup, sc_xattr_priv,
	    HX_NOBODY);
}
END_TEST

START_TEST(t_access)
{
	hx_compare("access_root", sc_perm_setup, sc_access, -1);
	hx_compare("access_unpriv", sc_perm_setup, sc_access, HX_NOBODY);
}
END_TEST

START_TEST(t_utimens)
{
	hx_compare("utimens_root", sc_perm_setup, sc_utimens, -1);
	hx_compare("utimens_unpriv", sc_perm_setup, sc_utimens, HX_NOBODY);
}
END_TEST

/* Locks and xattrs through a mount made the NetBSD way (memfs first). */
START_TEST(t_serverfirst)
{
	hx_compare("xattr", NULL, sc_xattr, -1);
	hx_compare("posixlock", NULL, sc_posixlock, -1);
}
END_TEST

/* Check's test handles are variables: the table lives in main(). */
int
main(void)
{
	const struct hx_case cases[] = {
		{ "xattr", t_sc_xattr, 120, hx_fixture_daemon_first },
		{ "xattr_unpriv", t_xattr_unpriv, 120,
		    hx_fixture_daemon_first },
		{ "posixlock", t_sc_posixlock, 120, hx_fixture_daemon_first },
		{ "lockclose", t_sc_lockclose, 120, hx_fixture_daemon_first },
		{ "lockintr", t_sc_lockintr, 120, hx_fixture_daemon_first },
		{ "flock", t_sc_flock, 120, hx_fixture_daemon_first },
		{ "poll", t_sc_poll, 120, hx_fixture_daemon_first },
		{ "fallocate", t_sc_fallocate, 120, hx_fixture_daemon_first },
		{ "sync_direct", t_sc_sync, 120, hx_fixture_daemon_first },
		{ "access", t_access, 120, hx_fixture_daemon_first },
		{ "utimens", t_utimens, 120, hx_fixture_daemon_first },
		{ "rename2", t_sc_rename2, 120, hx_fixture_daemon_first },
		{ "pathconf", t_sc_pathconf, 120, hx_fixture_daemon_first },
		{ "serverfirst_ops", t_serverfirst, 120,
		    hx_fixture_server_first },
		{ NULL, NULL, 0, NULL },
	};

	return hx_run_suite("ops", cases, 0);
}
