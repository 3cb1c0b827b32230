/*
 * hostile.c: puffsd against a server that misbehaves (tests/integration/
 * wiresrv.c speaks the wire protocol directly).  Every class of bad reply
 * fails only its request with EPROTO/EIO and reaches the server as a
 * PUFFS_ERR_* notice while the daemon goes on; cache invalidations the
 * server sends reach the Linux caches; negative entries are kept; an
 * interrupted request answers EINTR and its late reply is compensated.
 */
#include "harness.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <puffs-bridge/puffs_msgif.h>

static struct hx_mount wm;

static void
wire_start_flags(const char *kflags)
{
	char wrap[128];

	snprintf(wrap, sizeof(wrap), "WIRESRV_KFLAGS=%s exec \"$WIRESRV\"",
	    kflags);
	ck_assert_msg(hx_mount_start(&wm, HX_DAEMON_FIRST, "wire", wrap) == 0,
	    "wiresrv mount did not come up");
}

static void
wire_start(void)
{
	wire_start_flags("0");
}

static const char *
wpath(const char *rel)
{
	static char buf[4][PATH_MAX + 64];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", wm.mnt, rel);
	return buf[i];
}

/* Lines of $MNT.<what> that contain needle (begin with it: "^..."). */
static int
count_lines(const char *what, const char *needle)
{
	char path[PATH_MAX + 16], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s.%s", wm.mnt, what);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (needle[0] == '^' ? strncmp(line, needle + 1,
		    strlen(needle + 1)) == 0 : strstr(line, needle) != NULL)
			n++;
	fclose(f);
	return n;
}

/* Wait (generous deadline) until count_lines reaches want. */
static int
wait_lines(const char *what, const char *needle, int want)
{
	double end = hx_now() + HX_DEADLINE;

	while (count_lines(what, needle) < want) {
		if (hx_now() > end)
			return 0;
		hx_msleep(10);
	}
	return 1;
}

/* The daemon still answers a well-behaved request. */
static void
assert_alive(const char *after)
{
	char buf[8] = "";
	int fd;

	fd = open(wpath("good"), O_RDONLY);
	ck_assert_msg(fd >= 0, "after %s: open good: %s", after,
	    strerror(errno));
	ck_assert_int_eq(pread(fd, buf, sizeof(buf) - 1, 0), 5);
	close(fd);
}

static void
assert_proto(const char *what, int rv, int err)
{
	ck_assert_msg(rv == -1 && (err == EPROTO || err == EIO),
	    "%s: rv %d errno %s, want EPROTO/EIO", what, rv, strerror(err));
	assert_alive(what);
}

/* One read (or, for f_write*, write) of name must fail as a protocol error. */
static void
assert_io_proto(const char *name, const char *what)
{
	int wr = strncmp(name, "f_write", 7) == 0;
	char buf[64] = "abc";
	int fd, rv, err;

	fd = open(wpath(name), wr ? O_WRONLY : O_RDONLY);
	ck_assert_int_ge(fd, 0);
	errno = 0;
	if (wr)
		rv = (int)pwrite(fd, buf, 3, 0);
	else
		rv = (int)pread(fd, buf, sizeof(buf), 0);
	err = errno;
	close(fd);
	assert_proto(what, rv, err);
}

static const char *const bad_lookups[] = {
	"bad_errno", "bad_negerrno", "bad_parent", "bad_vtype", "bad_size",
	"bad_consume", "bad_short", "bad_long",
};

START_TEST(t_malformed)
{
	struct stat st;
	char buf[64];
	size_t i;
	int rv, err;
	DIR *d;

	wire_start();
	assert_alive("mount");
	for (i = 0; i < G_N_ELEMENTS(bad_lookups); i++) {
		errno = 0;
		rv = stat(wpath(bad_lookups[i]), &st);
		assert_proto(bad_lookups[i], rv, errno);
	}
	errno = 0;
	rv = stat(wpath("f_attrvtype"), &st);
	assert_proto("getattr vtype", rv, errno);

	assert_io_proto("f_readgrow", "read resid growth");
	assert_io_proto("f_readshort", "read short frame");
	assert_io_proto("f_err", "read errno out of range");
	assert_io_proto("f_writegrow", "write resid growth");

	errno = 0;
	rv = (int)readlink(wpath("l_long"), buf, sizeof(buf));
	assert_proto("readlink too long", rv, errno);
	errno = 0;
	rv = (int)readlink(wpath("l_nul"), buf, sizeof(buf));
	assert_proto("readlink with NUL", rv, errno);

	d = opendir(wpath("d_baddent"));
	ck_assert_ptr_nonnull(d);
	errno = 0;
	while (readdir(d) != NULL)
		continue;
	err = errno;
	closedir(d);
	assert_proto("readdir bad record", -1, err);
	d = opendir(wpath("d_grow"));
	ck_assert_ptr_nonnull(d);
	errno = 0;
	while (readdir(d) != NULL)
		continue;
	err = errno;
	closedir(d);
	assert_proto("readdir resid growth", -1, err);

	errno = 0;
	rv = open(wpath("c_root"), O_CREAT | O_WRONLY, 0644);
	assert_proto("create returning the root", rv, errno);
	errno = 0;
	rv = open(wpath("c_live"), O_CREAT | O_WRONLY, 0644);
	assert_proto("create returning a live cookie", rv, errno);
	errno = 0;
	rv = open(wpath("c_errno"), O_CREAT | O_WRONLY, 0644);
	assert_proto("create errno out of range", rv, errno);

	/* Every class reached the server's error notifications. */
	ck_assert_msg(count_lines("notices", "^0 ") >= 5,
	    "PUFFS_ERR_ERROR notices: %d", count_lines("notices", "^0 "));
	ck_assert_msg(wait_lines("notices", "^1 ", 4),
	    "PUFFS_ERR_MAKENODE notices missing");
	ck_assert_msg(wait_lines("notices", "^2 ", 2),
	    "PUFFS_ERR_LOOKUP notices missing");
	ck_assert_msg(wait_lines("notices", "^3 ", 2),
	    "PUFFS_ERR_READDIR notices missing");
	ck_assert_msg(wait_lines("notices", "^4 ", 2),
	    "PUFFS_ERR_READLINK notices missing");
	ck_assert_msg(wait_lines("notices", "^5 ", 2),
	    "PUFFS_ERR_READ notices missing");
	ck_assert_msg(wait_lines("notices", "^6 ", 1),
	    "PUFFS_ERR_WRITE notice missing");
	hx_mount_stop(&wm);
}
END_TEST

/* The server changes "good" behind the cache and invalidates its pages. */
START_TEST(t_inval_page)
{
	struct stat st;
	char buf[8] = "";
	int fd;

	wire_start();
	fd = open(wpath("good"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, buf, 5, 0), 5);
	ck_assert_str_eq(buf, "hello");
	/* From the page cache: the server is not asked again. */
	ck_assert_int_eq(pread(fd, buf, 5, 0), 5);
	ck_assert_str_eq(buf, "hello");
	ck_assert_int_eq(stat(wpath("poke_page"), &st), -1);
	ck_assert_msg(wait_lines("ops", "flushed 0", 1), "FLUSH not answered");
	ck_assert_int_eq(pread(fd, buf, 5, 0), 5);
	ck_assert_msg(strcmp(buf, "HELLO") == 0,
	    "read \"%s\" after the server's invalidation", buf);
	close(fd);
	hx_mount_stop(&wm);
}
END_TEST

/* ENOENT is remembered until the server invalidates the directory. */
START_TEST(t_negative)
{
	char needle[32];
	struct stat st;

	wire_start();
	snprintf(needle, sizeof(needle), "2.%d 1000 appear", PUFFS_VN_LOOKUP);
	ck_assert_int_eq(stat(wpath("appear"), &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(stat(wpath("appear"), &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_msg(count_lines("ops", needle) == 1,
	    "negative entry not cached: %d LOOKUPs",
	    count_lines("ops", needle));
	ck_assert_int_eq(stat(wpath("poke_name"), &st), -1);
	ck_assert_msg(wait_lines("ops", "flushed 0", 1), "FLUSH not answered");
	ck_assert_msg(stat(wpath("appear"), &st) == 0,
	    "stat after the server's name invalidation: %s", strerror(errno));
	ck_assert_int_eq(count_lines("ops", needle), 2);
	hx_mount_stop(&wm);
}
END_TEST

static volatile sig_atomic_t got_sig;

static void
on_usr1(int sig)
{
	got_sig = sig;
}

/* A stalled LOOKUP interrupted by a signal: EINTR; the late reply counted. */
START_TEST(t_interrupt)
{
	struct sigaction sa;
	char needle[32];
	struct stat st;
	int pfd[2], err = 0, status, fd;
	pid_t pid;

	wire_start();
	fd = open(wpath("good"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pipe(pfd), 0);
	snprintf(needle, sizeof(needle), "2.%d 1000 stall", PUFFS_VN_LOOKUP);
	if ((pid = fork()) == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;	/* no SA_RESTART */
		sigaction(SIGUSR1, &sa, NULL);
		errno = 0;
		if (stat(wpath("stall"), &st) == 0)
			errno = 0;
		err = errno;
		if (write(pfd[1], &err, sizeof(err)) != sizeof(err))
			_exit(3);
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	hx_track(pid);
	close(pfd[1]);
	ck_assert_msg(wait_lines("ops", needle, 1), "stall never reached");
	/*
	 * Other nodes are served while one request is stalled.  (Not other
	 * names in the same directory: Linux serialises those lookups, as
	 * NetBSD's directory vnode lock does.)
	 */
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, 5);
	close(fd);
	kill(pid, SIGUSR1);
	ck_assert_int_eq(read(pfd[0], &err, sizeof(err)), sizeof(err));
	close(pfd[0]);
	ck_assert_msg(err == EINTR, "interrupted stat: %s", strerror(err));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	hx_untrack(pid);
	/* The late reply hands out cookie 3000: given back with RECLAIM(1). */
	ck_assert_int_eq(stat(wpath("unstall"), &st), -1);
	snprintf(needle, sizeof(needle), "2.%d 3000 1", PUFFS_VN_RECLAIM);
	ck_assert_msg(wait_lines("ops", needle, 1),
	    "late LOOKUP reply not reclaimed");
	assert_alive("late reply");
	hx_mount_stop(&wm);
}
END_TEST

static int marker_seq;

/*
 * A request the server logs after everything puffsd sent before it: a
 * LOOKUP of a fresh name.  Wait until it is logged.
 */
static void
marker(void)
{
	char name[32], needle[48];
	struct stat st;

	snprintf(name, sizeof(name), "marker%d", marker_seq++);
	ck_assert_int_eq(stat(wpath(name), &st), -1);
	snprintf(needle, sizeof(needle), "1000 %s\n", name);
	ck_assert_msg(wait_lines("ops", needle, 1), "%s not logged", name);
}

#define INACTIVE_GOOD	"2.27 2001 \n"

/* INACTIVE when the last open and op end, not while a handle is open. */
START_TEST(t_inactive)
{
	struct stat st;
	int fd, k;

	wire_start();
	fd = open(wpath("good"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	marker();
	k = count_lines("ops", INACTIVE_GOOD);
	ck_assert_int_eq(fstat(fd, &st), 0);	/* a GETATTR, node still open */
	marker();
	ck_assert_int_eq(count_lines("ops", INACTIVE_GOOD), k);
	close(fd);
	ck_assert_msg(wait_lines("ops", INACTIVE_GOOD, k + 1),
	    "no INACTIVE after the last close");
	/* Never for a node Linux still holds: no RECLAIM of "good". */
	marker();
	ck_assert_int_eq(count_lines("ops", "2.28 2001 "), 0);
	hx_mount_stop(&wm);
}
END_TEST

/* NOREF from INACTIVE: Linux drops the node, RECLAIM(nlookup 1) follows. */
START_TEST(t_noref)
{
	struct stat st;

	wire_start();
	ck_assert_int_eq(stat(wpath("f_noref"), &st), 0);
	ck_assert_msg(wait_lines("ops", "2.28 2012 1\n", 1),
	    "NOREF node never reclaimed");
	hx_mount_stop(&wm);
}
END_TEST

/* IAONDEMAND: INACTIVE only after the server asked (INACT setback). */
START_TEST(t_iaondemand)
{
	struct stat st;
	int fd;

	wire_start_flags("0x10");
	ck_assert_int_eq(stat(wpath("good"), &st), 0);
	marker();
	ck_assert_int_eq(count_lines("ops", INACTIVE_GOOD), 0);
	fd = open(wpath("good"), O_RDONLY);	/* OPEN sets INACT_N1 */
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(wait_lines("ops", INACTIVE_GOOD, 1),
	    "no INACTIVE after the INACT setback");
	ck_assert_int_eq(stat(wpath("good"), &st), 0);
	marker();
	ck_assert_int_eq(count_lines("ops", INACTIVE_GOOD), 1);
	hx_mount_stop(&wm);
}
END_TEST

/*
 * A WRITE the server holds: GETATTR of that node waits for it (exclusive
 * vs shared node lock), other nodes are served meanwhile.
 */
/* Wait until pid sleeps on an answer from the FUSE daemon. */
static int
wait_fuse_blocked(pid_t pid)
{
	char path[64], *wchan = NULL;
	double end = hx_now() + HX_DEADLINE;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	while (!found && hx_now() < end) {
		if (g_file_get_contents(path, &wchan, NULL, NULL))
			found = strstr(wchan, "request_wait_answer") != NULL;
		g_free(wchan);
		wchan = NULL;
		if (!found)
			hx_msleep(10);
	}
	return found;
}

START_TEST(t_nodelock)
{
	char getattr[32], write[32];
	struct stat st;
	int fd, fd2, status;
	pid_t wpid, spid;

	wire_start();
	snprintf(getattr, sizeof(getattr), "2.%d 2013 ", PUFFS_VN_GETATTR);
	snprintf(write, sizeof(write), "2.%d 2013 ", PUFFS_VN_WRITE);
	fd = open(wpath("f_stallw"), O_RDWR);
	ck_assert_int_ge(fd, 0);
	fd2 = open(wpath("good"), O_RDONLY);
	ck_assert_int_ge(fd2, 0);
	if ((wpid = fork()) == 0)
		_exit(pwrite(fd, "abc", 3, 0) == 3 ? 0 : 1);
	hx_track(wpid);
	ck_assert_msg(wait_lines("ops", write, 1), "WRITE never reached");
	marker();
	int before = count_lines("ops", getattr);
	if ((spid = fork()) == 0)
		_exit(fstat(fd, &st) == 0 ? 0 : 1);
	hx_track(spid);
	ck_assert_msg(wait_fuse_blocked(spid), "fstat never reached puffsd");
	/* Another node answers while the first is locked. */
	ck_assert_int_eq(fstat(fd2, &st), 0);
	marker();
	ck_assert_msg(count_lines("ops", getattr) == before,
	    "GETATTR overtook a WRITE in progress on the same node");
	ck_assert_int_eq(stat(wpath("unstall_w"), &st), -1);
	ck_assert_int_eq(waitpid(wpid, &status, 0), wpid);
	hx_untrack(wpid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "stalled write failed");
	ck_assert_int_eq(waitpid(spid, &status, 0), spid);
	hx_untrack(spid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "queued fstat failed");
	ck_assert_int_eq(count_lines("ops", getattr), before + 1);
	close(fd);
	close(fd2);
	hx_mount_stop(&wm);
}
END_TEST

/* Check's test handles are variables: the table lives in main(). */
int
main(void)
{
	const struct hx_case cases[] = {
		{ "malformed", t_malformed, 120, NULL },
		{ "inval_page", t_inval_page, 120, NULL },
		{ "negative", t_negative, 120, NULL },
		{ "interrupt", t_interrupt, 120, NULL },
		{ "inactive", t_inactive, 120, NULL },
		{ "noref", t_noref, 120, NULL },
		{ "iaondemand", t_iaondemand, 120, NULL },
		{ "nodelock", t_nodelock, 120, NULL },
		{ NULL, NULL, 0, NULL },
	};

	return hx_run_suite("hostile", cases, 0);
}
