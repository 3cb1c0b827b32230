/*
 * fault.c: puffsd against a server that misbehaves on command
 * (faultsrv.c): stalls, late, duplicate and unknown answers, a socket
 * closed mid-frame, a 4 GiB frame header, floods of answers and of
 * requests.  Each test makes its own daemon-first mount of faultsrv and
 * asserts what the daemon owes its users: other requests still answered,
 * a stalled one ended (EIO after --request-timeout, EINTR when the caller
 * is interrupted, an error on unmount), the server's loss turned into
 * errors and an unmount, memory bounded under a flood.  Waits are on
 * events the server notes in $FAULT_LOG, with generous deadlines.
 *
 * Environment (set by meson): PUFFSD, FAULTSRV, PUFFSCTL, and
 * PUFFSD_TIMEOUT_WRAP (a script that runs $PUFFSD_REAL --request-timeout
 * $FAULT_TIMEOUT).
 */
#include "harness.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FX_DEADLINE	30.0	/* hang detection only, never a goal */
#define FX_FLOODMAX	(64 * 1024)	/* KiB puffsd may grow under a flood */

static char fx_log[PATH_MAX];
static struct hx_mount fx_m;

/* A mount of faultsrv; timeout > 0 starts puffsd with --request-timeout. */
static void
fx_start(int timeout)
{
	static const char wrap[] = "exec \"$FAULTSRV\" \"$MNT\"";
	char *dir, num[16];

	dir = g_dir_make_tmp("puffs-fault.XXXXXX", NULL);
	ck_assert_ptr_nonnull(dir);
	snprintf(fx_log, sizeof(fx_log), "%s/log", dir);
	g_free(dir);
	setenv("FAULT_LOG", fx_log, 1);
	if (timeout > 0) {
		if (getenv("PUFFSD_REAL") == NULL)
			setenv("PUFFSD_REAL", getenv("PUFFSD"), 1);
		snprintf(num, sizeof(num), "%d", timeout);
		setenv("FAULT_TIMEOUT", num, 1);
		setenv("PUFFSD", getenv("PUFFSD_TIMEOUT_WRAP"), 1);
	}
	ck_assert_msg(hx_mount_start(&fx_m, HX_DAEMON_FIRST, "fault", wrap) ==
	    0, "faultsrv mount did not come up");
}

static void
fx_stop(void)
{
	char *dir = g_path_get_dirname(fx_log);

	hx_mount_stop(&fx_m);
	unlink(fx_log);
	rmdir(dir);
	g_free(dir);
}

/* Wait until the server noted a line containing what. */
static void
fx_wait_note(const char *what)
{
	double end = hx_now() + FX_DEADLINE;
	gchar *text;
	int found;

	for (;;) {
		text = NULL;
		found = g_file_get_contents(fx_log, &text, NULL, NULL) &&
		    strstr(text, what) != NULL;
		g_free(text);
		if (found)
			return;
		ck_assert_msg(hx_now() < end, "server never noted \"%s\"",
		    what);
		hx_msleep(10);
	}
}

static char *
fx_path(const char *name)
{
	static char path[PATH_MAX + NAME_MAX + 2];

	snprintf(path, sizeof(path), "%s/%s", fx_m.mnt, name);
	return path;
}

/* stat in this process: 0 or errno. */
static int
fx_stat(const char *name)
{
	struct stat st;

	if (stat(fx_path(name), &st) == -1)
		return errno;
	ck_assert_msg(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode),
	    "%s: mode %o", name, st.st_mode);
	return 0;
}

static void
fx_onsig(int sig)
{
	(void)sig;
}

/* stat in a child that reports 0 or errno on a pipe (*rfd). */
static pid_t
fx_stat_child(const char *name, int *rfd, bool interruptible)
{
	struct sigaction sa;
	int pfd[2], err;
	pid_t pid;

	ck_assert_int_eq(pipe(pfd), 0);
	if ((pid = fork()) == 0) {
		if (interruptible) {
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = fx_onsig;	/* no SA_RESTART */
			sigaction(SIGUSR1, &sa, NULL);
		}
		err = fx_stat(name);
		if (write(pfd[1], &err, sizeof(err)) != sizeof(err))
			_exit(2);
		_exit(0);
	}
	ck_assert_int_ne(pid, -1);
	hx_track(pid);
	close(pfd[1]);
	*rfd = pfd[0];
	return pid;
}

/* The child's result, or -1 if it did not finish within the deadline. */
static int
fx_child_result(pid_t pid, int rfd)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	int err = -1;

	if (poll(&pfd, 1, (int)(FX_DEADLINE * 1000)) == 1 &&
	    read(rfd, &err, sizeof(err)) != sizeof(err))
		err = -1;
	if (err == -1)
		kill(pid, SIGKILL);
	hx_wait_exit(pid, FX_DEADLINE, NULL);
	hx_untrack(pid);
	close(rfd);
	return err;
}

/* Peak resident size of pid, KiB. */
static long
fx_hwm(pid_t pid)
{
	char path[64], *text = NULL, *p;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (g_file_get_contents(path, &text, NULL, NULL) &&
	    (p = strstr(text, "VmHWM:")) != NULL)
		kb = strtol(p + 6, NULL, 10);
	g_free(text);
	return kb;
}

/* puffsctl status answers; its "in flight" line. */
static int
fx_ctl_inflight(void)
{
	const char *argv[] = { getenv("PUFFSCTL"), "status", fx_m.mnt, NULL };
	gchar *out = NULL, *p;
	gint status;
	int n = -1;

	ck_assert_msg(g_spawn_sync(NULL, (gchar **)argv, NULL,
	    G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
	    NULL), "cannot run puffsctl");
	ck_assert_msg(g_spawn_check_wait_status(status, NULL),
	    "puffsctl status failed");
	if ((p = strstr(out, "in flight:")) != NULL)
		n = atoi(p + 10);
	g_free(out);
	return n;
}

/* A stalled request stalls neither others nor puffsctl; unmount ends it. */
START_TEST(t_stall)
{
	pid_t pid;
	int rfd, err;

	struct stat st;
	int fd;

	fx_start(0);
	fd = open(fx_path("ok0"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fx_stat("dir1"), 0);
	pid = fx_stat_child("dir1/stall1", &rfd, false);
	fx_wait_note("stall stall1");
	ck_assert_int_eq(fx_stat("ok1"), 0);
	ck_assert_int_eq(fx_stat("dir2/ok2"), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	close(fd);
	ck_assert_int_eq(fx_ctl_inflight(), 1);
	fx_stop();
	err = fx_child_result(pid, rfd);
	ck_assert_msg(err != -1, "stalled stat still blocked after unmount");
	ck_assert_msg(err != 0, "stalled stat succeeded");
	fprintf(stderr, "stall: stalled stat ended with %s on unmount\n",
	    hx_errname(err));
}
END_TEST

/* With --request-timeout the stalled request ends with EIO. */
START_TEST(t_timeout)
{
	pid_t pid;
	int rfd, err;
	double t0;

	fx_start(2);
	t0 = hx_now();
	ck_assert_int_eq(fx_stat("dir1"), 0);
	pid = fx_stat_child("dir1/stall2", &rfd, false);
	fx_wait_note("stall stall2");
	ck_assert_int_eq(fx_stat("ok1"), 0);
	err = fx_child_result(pid, rfd);
	ck_assert_msg(err == EIO, "stalled stat ended with %s, not EIO",
	    err == -1 ? "nothing (still blocked)" : hx_errname(err));
	fprintf(stderr, "timeout: EIO after %.2f s (timeout 2 s)\n",
	    hx_now() - t0);
	ck_assert_int_eq(fx_stat("ok2"), 0);
	fx_stop();
}
END_TEST

/* An interrupted caller of a stalled request gets EINTR. */
START_TEST(t_eintr)
{
	pid_t pid;
	int rfd, err;

	fx_start(5);	/* so that a missing interrupt fails, not hangs */
	pid = fx_stat_child("stall3", &rfd, true);
	fx_wait_note("stall stall3");
	ck_assert_int_eq(kill(pid, SIGUSR1), 0);
	err = fx_child_result(pid, rfd);
	ck_assert_msg(err == EINTR, "interrupted stat ended with %s",
	    err == -1 ? "nothing (still blocked)" : hx_errname(err));
	ck_assert_int_eq(fx_stat("ok1"), 0);
	fx_stop();
}
END_TEST

/* A late answer arrives after another one; both callers succeed. */
START_TEST(t_late)
{
	pid_t pid;
	int rfd;

	fx_start(0);
	ck_assert_int_eq(fx_stat("dir1"), 0);
	pid = fx_stat_child("dir1/late1", &rfd, false);
	fx_wait_note("late late1 held");
	ck_assert_int_eq(fx_stat("ok1"), 0);
	fx_wait_note("late answered");
	ck_assert_int_eq(fx_child_result(pid, rfd), 0);
	fx_stop();
}
END_TEST

/* Duplicate and unknown ids are dropped; the daemon serves on. */
START_TEST(t_twice_unknown)
{
	fx_start(0);
	ck_assert_int_eq(fx_stat("twice1"), 0);
	fx_wait_note("twice twice1");
	ck_assert_int_eq(fx_stat("ok1"), 0);
	ck_assert_int_eq(fx_stat("unknown1"), 0);
	fx_wait_note("unknown unknown1");
	ck_assert_int_eq(fx_stat("ok2"), 0);
	ck_assert_int_eq(fx_stat("twice2"), 0);
	ck_assert_int_eq(fx_stat("ok3"), 0);
	ck_assert_int_eq(kill(fx_m.pid, 0), 0);
	fx_stop();
}
END_TEST

/* The server is lost: the caller gets an error, puffsd unmounts, exits. */
static void
fx_lost(const char *name, const char *note)
{
	int err, status;

	fx_start(0);
	err = fx_stat(name);
	ck_assert_msg(err != 0, "stat through a lost server succeeded");
	fx_wait_note(note);
	fprintf(stderr, "%s: stat ended with %s\n", name, hx_errname(err));
	ck_assert_msg(hx_wait_gone(fx_m.mnt, FX_DEADLINE) == 0,
	    "mount still there after the server was lost");
	ck_assert_msg(hx_wait_exit(fx_m.pid, FX_DEADLINE, &status) == 0,
	    "puffsd still running after the server was lost");
	ck_assert_msg(WIFEXITED(status), "puffsd died of signal %d",
	    WTERMSIG(status));
	hx_untrack(fx_m.pid);
	fx_m.pid = 0;
	fx_stop();
}

START_TEST(t_cut)
{
	fx_lost("cut1", "cut cut1");
}
END_TEST

START_TEST(t_huge)
{
	fx_lost("huge1", "huge huge1");
}
END_TEST

/* Floods: served or refused, and puffsd's peak size stays bounded. */
static void
fx_flood(const char *name, const char *note)
{
	long before, after;

	fx_start(0);
	ck_assert_int_eq(fx_stat("ok1"), 0);
	before = fx_hwm(fx_m.pid);
	ck_assert_int_eq(fx_stat(name), 0);
	fx_wait_note(note);
	ck_assert_int_eq(fx_stat("ok2"), 0);
	after = fx_hwm(fx_m.pid);
	ck_assert_int_gt(before, 0);
	fprintf(stderr, "%s: puffsd peak RSS %ld KiB before, %ld KiB after\n",
	    name, before, after);
	ck_assert_msg(after - before < FX_FLOODMAX, "puffsd grew by %ld KiB "
	    "under a flood (bound %d KiB)", after - before, FX_FLOODMAX);
	fx_stop();
}

START_TEST(t_flood)
{
	fx_flood("flood1", "flood sent");
}
END_TEST

START_TEST(t_floodreq)
{
	fx_flood("floodreq1", "floodreq sent");
}
END_TEST

/* Check's test handles are variables: the table lives in main(). */
int
main(void)
{
	const struct hx_case cases[] = {
		{ "stall", t_stall, 300, NULL },
		{ "timeout", t_timeout, 300, NULL },
		{ "eintr", t_eintr, 300, NULL },
		{ "late", t_late, 300, NULL },
		{ "twice_unknown", t_twice_unknown, 300, NULL },
		{ "cut", t_cut, 300, NULL },
		{ "huge", t_huge, 300, NULL },
		{ "flood", t_flood, 300, NULL },
		{ "floodreq", t_floodreq, 300, NULL },
		{ NULL, NULL, 0, NULL },
	};

	return hx_run_suite("fault", cases, HX_REAL_DAEMON);
}
