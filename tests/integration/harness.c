/*
 * harness.c: mounts, the tmpfs oracle and cleanup for the integration tests.
 *
 * Cleanup has three layers, because a test may end in any way:
 *   1. the normal path: fixtures and tests stop what they started;
 *   2. hx_fini() in the main process: detaches every mount under the private
 *      base directory, kills and reaps every child (the main process is a
 *      child subreaper, so orphaned servers come back to it), removes the
 *      base directory;
 *   3. a guardian process holding a pipe from the main process: when the
 *      main process dies however it dies (SIGKILL by a test runner included),
 *      the pipe reads EOF and the guardian detaches the mounts and kills the
 *      processes recorded in a registry shared by every test process.
 * Only the integration test programs call these functions.
 */
#include "harness.h"
#include "../../src/control.h"

#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HX_NSLOT	64

enum { HX_FREE, HX_BUSY, HX_MNT, HX_PID };

struct hx_slot {
	int	kind;
	pid_t	pid;
	char	path[PATH_MAX];
};

static struct hx_slot	*hx_reg;	/* MAP_SHARED: every test process */
static char		 hx_basedir[PATH_MAX];
static pid_t		 hx_owner;
static pid_t		 hx_guard;
static int		 hx_guard_fd = -1;
static unsigned int	 hx_seq;

struct hx_mount		 hx_fs;
char			 hx_ref[PATH_MAX];

double
hx_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void
hx_msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int
hx_fake(void)
{
	const char *s = getenv("PUFFS_TEST_FAKE");

	return s != NULL && strcmp(s, "1") == 0;
}

const char *
hx_way_name(enum hx_way way)
{
	return way == HX_DAEMON_FIRST ? "daemon-first" : "server-first";
}

/* --- registry of what must not outlive the tests --- */

static int
hx_reg_add(int kind, pid_t pid, const char *path)
{
	for (int i = 0; i < HX_NSLOT; i++) {
		int want = HX_FREE;

		if (!__atomic_compare_exchange_n(&hx_reg[i].kind, &want,
		    HX_BUSY, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			continue;
		hx_reg[i].pid = pid;
		snprintf(hx_reg[i].path, sizeof(hx_reg[i].path), "%s",
		    path ? path : "");
		__atomic_store_n(&hx_reg[i].kind, kind, __ATOMIC_SEQ_CST);
		return i;
	}
	fprintf(stderr, "harness: registry full\n");
	return -1;
}

static void
hx_reg_del(int kind, pid_t pid, const char *path)
{
	for (int i = 0; i < HX_NSLOT; i++) {
		if (__atomic_load_n(&hx_reg[i].kind, __ATOMIC_SEQ_CST) != kind)
			continue;
		if (kind == HX_PID && hx_reg[i].pid != pid)
			continue;
		if (kind == HX_MNT && strcmp(hx_reg[i].path, path) != 0)
			continue;
		__atomic_store_n(&hx_reg[i].kind, HX_FREE, __ATOMIC_SEQ_CST);
	}
}

void
hx_track(pid_t pid)
{
	hx_reg_add(HX_PID, pid, NULL);
}

void
hx_untrack(pid_t pid)
{
	hx_reg_del(HX_PID, pid, NULL);
}

/* --- /proc helpers --- */

/* 1 if path is a mount target in /proc/self/mounts; its fs type in fstype. */
int
hx_in_mounts(const char *path, char *fstype, size_t fslen)
{
	char line[2 * PATH_MAX], target[PATH_MAX], type[64];
	FILE *f;
	int found = 0;

	if ((f = fopen("/proc/self/mounts", "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*s %4095s %63s", target, type) != 2)
			continue;
		if (strcmp(target, path) != 0)
			continue;
		found = 1;
		if (fstype != NULL)
			snprintf(fstype, fslen, "%s", type);
	}
	fclose(f);
	return found;
}

int
hx_wait_gone(const char *path, double timeout)
{
	double end = hx_now() + timeout;

	while (hx_in_mounts(path, NULL, 0)) {
		if (hx_now() > end)
			return -1;
		hx_msleep(10);
	}
	return 0;
}

/* Detach every mount at or under dir, deepest first. */
static void
hx_detach_under(const char *dir)
{
	char line[2 * PATH_MAX], target[PATH_MAX];
	size_t dl = strlen(dir);
	int again = 1;

	for (int pass = 0; again && pass < 16; pass++) {
		FILE *f = fopen("/proc/self/mounts", "re");

		again = 0;
		if (f == NULL)
			return;
		char last[PATH_MAX] = "";
		while (fgets(line, sizeof(line), f) != NULL) {
			if (sscanf(line, "%*s %4095s", target) != 1)
				continue;
			if (strncmp(target, dir, dl) == 0 &&
			    (target[dl] == '/' || target[dl] == '\0'))
				snprintf(last, sizeof(last), "%s", target);
		}
		fclose(f);
		if (last[0] != '\0') {
			if (umount2(last, MNT_DETACH) == -1)
				fprintf(stderr, "harness: umount2 %s: %s\n",
				    last, strerror(errno));
			else
				again = 1;
		}
	}
}

pid_t
hx_first_child(pid_t parent)
{
	char path[64], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
	    (int)parent, (int)parent);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return (pid_t)strtol(buf, NULL, 10) > 0 ?
	    (pid_t)strtol(buf, NULL, 10) : -1;
}

/* 1 once pid has exited (zombie or reaped). */
int
hx_pid_gone(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] == '\0')
		return 0;
	return p[2] == 'Z' || p[2] == 'X';
}

int
hx_wait_until(int (*cond)(void *), void *arg, double timeout)
{
	double end = hx_now() + timeout;

	for (;;) {
		if (cond(arg))
			return 0;
		if (hx_now() > end)
			return -1;
		hx_msleep(20);
	}
}

int
hx_wait_exit(pid_t pid, double timeout, int *status)
{
	double end = hx_now() + timeout;
	pid_t r;

	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
		if (hx_now() > end) {
			errno = ETIMEDOUT;
			return -1;
		}
		hx_msleep(5);
	}
}

/* Kill and reap every child but the guardian, for at most a few seconds. */
static void
hx_reap_all(void)
{
	double end = hx_now() + 5;
	pid_t kid;

	for (;;) {
		while ((kid = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if (kid == -1 && errno == ECHILD)
			return;
		char path[64], buf[4096], *p, *q;
		int fd, others = 0;
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		    (int)getpid(), (int)getpid());
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			return;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		for (p = buf; (kid = (pid_t)strtol(p, &q, 10)) > 0; p = q) {
			if (kid == hx_guard)
				continue;
			others = 1;
			kill(kid, SIGKILL);
		}
		if (!others || hx_now() > end)
			return;
		hx_msleep(10);
	}
}

static int
hx_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/*
 * puffsd removes its control socket when it ends; one we had to kill
 * cannot, and the socket would stay in /run/puffs.  mnt is ours alone.
 */
static void
hx_ctl_forget(const char *mnt)
{
	char *dir = ctl_sockdir(), *path = ctl_sockpath(dir, mnt);

	if (unlink(path) == 0)
		fprintf(stderr, "harness: removed %s, left by a killed "
		    "puffsd\n", path);
	g_free(path);
	g_free(dir);
}

/* Everything that may be left behind; safe to call more than once. */
static void
hx_cleanup(int reap)
{
	if (hx_reg == NULL)
		return;
	for (int i = 0; i < HX_NSLOT; i++)
		if (__atomic_load_n(&hx_reg[i].kind, __ATOMIC_SEQ_CST) ==
		    HX_MNT)
			umount2(hx_reg[i].path, MNT_DETACH);
	if (hx_basedir[0] != '\0')
		hx_detach_under(hx_basedir);
	for (int i = 0; i < HX_NSLOT; i++)
		if (__atomic_load_n(&hx_reg[i].kind, __ATOMIC_SEQ_CST) ==
		    HX_PID && hx_reg[i].pid > 0)
			kill(hx_reg[i].pid, SIGKILL);
	if (reap)
		hx_reap_all();
	for (int i = 0; i < HX_NSLOT; i++) {
		if (hx_reg[i].kind == HX_MNT)
			hx_ctl_forget(hx_reg[i].path);
		hx_reg[i].kind = HX_FREE;
	}
	if (hx_basedir[0] != '\0')
		nftw(hx_basedir, hx_rm_one, 16, FTW_DEPTH | FTW_PHYS |
		    FTW_MOUNT);
}

static void
hx_guardian(int rfd)
{
	char c;

	setsid();
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	while (read(rfd, &c, 1) != 0 && (errno == EINTR || errno == EAGAIN))
		;
	hx_cleanup(0);
	_exit(0);
}

static void
hx_skip_or_fail(const char *why)
{
	const char *req = getenv("PUFFS_REQUIRE_FUSE");

	if (req != NULL && strcmp(req, "1") == 0) {
		fprintf(stderr, "FAIL: %s, and PUFFS_REQUIRE_FUSE=1 "
		    "(meson -Drequire_fuse=true) forbids skipping\n", why);
		exit(1);
	}
	fprintf(stderr, "SKIP: %s\n", why);
	exit(HX_SKIP);
}

void
hx_init(void)
{
	char tmpl[] = "/tmp/puffs-it.XXXXXX";
	int pfd[2];

	if (geteuid() != 0)
		hx_skip_or_fail("integration tests need root (mount)");
	if (!hx_fake() && access("/dev/fuse", R_OK | W_OK) != 0)
		hx_skip_or_fail("/dev/fuse is missing or not usable");
	if (!hx_fake() && (getenv("PUFFSD") == NULL ||
	    getenv("MEMFS") == NULL)) {
		fprintf(stderr, "harness: PUFFSD and MEMFS must name the "
		    "binaries under test (meson test sets them)\n");
		exit(99);
	}
	umask(022);
	signal(SIGPIPE, SIG_IGN);
	hx_owner = getpid();
	hx_reg = mmap(NULL, sizeof(*hx_reg) * HX_NSLOT, PROT_READ |
	    PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (hx_reg == MAP_FAILED || mkdtemp(tmpl) == NULL ||
	    realpath(tmpl, hx_basedir) == NULL) {
		perror("harness: init");
		exit(99);
	}
	/* uid 65534 must reach the mountpoints below. */
	chmod(hx_basedir, 0755);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe2(pfd, O_CLOEXEC) == -1 || (hx_guard = fork()) == -1) {
		perror("harness: guardian");
		exit(99);
	}
	if (hx_guard == 0) {
		close(pfd[1]);
		hx_guardian(pfd[0]);
	}
	close(pfd[0]);
	hx_guard_fd = pfd[1];
	atexit(hx_fini);
}

void
hx_fini(void)
{
	if (getpid() != hx_owner || hx_guard_fd == -1)
		return;
	hx_cleanup(1);
	close(hx_guard_fd);
	hx_guard_fd = -1;
	hx_wait_exit(hx_guard, 10, NULL);
}

int
hx_run_suite(const char *name, const struct hx_case *cases, int flags)
{
	Suite *s = suite_create(name);
	SRunner *sr;
	TCase *tc;
	int failed;

	hx_init();
	if ((flags & HX_REAL_DAEMON) && hx_fake()) {
		fprintf(stderr, "%s: needs the real daemon\n", name);
		hx_fini();
		return HX_SKIP;
	}
	for (; cases->name != NULL; cases++) {
		tc = tcase_create(cases->name);
		if (cases->fixture != NULL)
			tcase_add_unchecked_fixture(tc, cases->fixture,
			    hx_fixture_teardown);
		tcase_set_timeout(tc, cases->timeout);
		tcase_add_test(tc, cases->test);
		suite_add_tcase(s, tc);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	hx_fini();
	return failed == 0 ? 0 : 1;
}

/* --- mounts --- */

/* Plays puffsd and a server over a tmpfs, for PUFFS_TEST_FAKE=1 only. */
static void
hx_fake_daemon(const char *mnt)
{
	pid_t server;

	if (mount("fake", mnt, "tmpfs", 0, "mode=0755") == -1)
		_exit(2);
	if ((server = fork()) == 0) {
		for (;;)
			pause();
	}
	for (;;) {
		if (waitpid(server, NULL, WNOHANG) == server) {
			umount2(mnt, MNT_DETACH);
			_exit(1);
		}
		if (!hx_in_mounts(mnt, NULL, 0)) {
			kill(server, SIGKILL);
			waitpid(server, NULL, 0);
			_exit(0);
		}
		hx_msleep(20);
	}
}

static void
hx_exec_mount(enum hx_way way, const char *mnt, const char *sh_wrap,
    const char *backing)
{
	const char *puffsd = getenv("PUFFSD"), *memfs = getenv("MEMFS");
	const char *dbg = getenv("PUFFS_TEST_DEBUG");
	const char *extra = getenv("HX_PUFFSD_ARGS");
	const char *errpath = getenv("HX_PUFFSD_STDERR");
	gchar **xargv = NULL;
	const char *argv[32];
	int argc = 0, fd;
	const char *server = getenv("HX_SERVER");

	/* HX_SERVER: another example server in memfs's place. */
	if (server != NULL && *server != '\0')
		memfs = server;

	/* Check's handlers would answer SIGTERM by killing our process group. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	if (hx_fake())
		hx_fake_daemon(mnt);
	setenv("MNT", mnt, 1);
	unsetenv("PUFFS_COMFD");
	if (way == HX_SERVER_FIRST) {
		setenv("PUFFS_BRIDGE_PUFFSD", puffsd, 0);
		argv[argc++] = memfs;
	} else {
		argv[argc++] = "puffsd";
		if (dbg != NULL && strcmp(dbg, "1") == 0)
			argv[argc++] = "-d";
		/* HX_PUFFSD_ARGS: extra puffsd options, space-separated. */
		if (extra != NULL)
			xargv = g_strsplit(extra, " ", 16);
		for (int i = 0; xargv != NULL && xargv[i] != NULL; i++)
			argv[argc++] = xargv[i];
		/* HX_PUFFSD_STDERR: puffsd's log to a file the test reads. */
		if (errpath != NULL && (fd = open(errpath, O_WRONLY |
		    O_CREAT | O_APPEND, 0644)) != -1)
			dup2(fd, 2);
		argv[argc++] = "--";
		if (sh_wrap != NULL) {
			argv[argc++] = "/bin/sh";
			argv[argc++] = "-c";
			argv[argc++] = sh_wrap;
			argv[argc++] = "hx-server";
		} else
			argv[argc++] = memfs;
	}
	if (sh_wrap == NULL || way == HX_SERVER_FIRST) {
		argv[argc++] = "-s";
		if (backing[0] != '\0')
			argv[argc++] = backing;
		argv[argc++] = mnt;
	}
	argv[argc] = NULL;
	execv(way == HX_SERVER_FIRST ? memfs : puffsd, (char **)argv);
	fprintf(stderr, "harness: exec: %s\n", strerror(errno));
	_exit(127);
}

static int
hx_mount_live(const char *mnt)
{
	char type[64];
	struct stat sm, sb;

	if (!hx_in_mounts(mnt, type, sizeof(type)))
		return 0;
	if (strncmp(type, hx_fake() ? "tmpfs" : "fuse", hx_fake() ? 5 : 4))
		return 0;
	if (stat(mnt, &sm) == -1 || stat(hx_basedir, &sb) == -1)
		return 0;
	return sm.st_dev != sb.st_dev;
}

/* A server over a host directory (nullfs) gets a fresh tmpfs of its own. */
static int
hx_backing(void)
{
	const char *v = getenv("HX_SERVER_BACKING");

	return v != NULL && strcmp(v, "1") == 0;
}

int
hx_mount_start(struct hx_mount *m, enum hx_way way, const char *name,
    const char *sh_wrap)
{
	double t0 = hx_now(), end = t0 + HX_DEADLINE;
	int status;

	memset(m, 0, sizeof(*m));
	m->way = way;
	if (snprintf(m->mnt, sizeof(m->mnt), "%s/%s.%u.%d", hx_basedir, name,
	    hx_seq++, (int)getpid()) >= (int)sizeof(m->mnt) ||
	    mkdir(m->mnt, 0755) == -1) {
		fprintf(stderr, "harness: mkdir %s: %s\n", m->mnt,
		    strerror(errno));
		return -1;
	}
	hx_reg_add(HX_MNT, 0, m->mnt);
	if (hx_backing() && hx_oracle_start(m->backing, sizeof(m->backing),
	    "backing") == -1) {
		fprintf(stderr, "harness: cannot mount the backing tmpfs\n");
		m->backing[0] = '\0';
		hx_mount_stop(m);
		return -1;
	}
	fflush(NULL);
	if ((m->pid = fork()) == -1)
		return -1;
	if (m->pid == 0)
		hx_exec_mount(way, m->mnt, sh_wrap, m->backing);
	hx_reg_add(HX_PID, m->pid, NULL);
	while (!hx_mount_live(m->mnt)) {
		if (waitpid(m->pid, &status, WNOHANG) == m->pid) {
			fprintf(stderr, "harness: %s mount at %s: %s exited "
			    "(status 0x%x) before the mount was live\n",
			    hx_way_name(way), m->mnt, way == HX_DAEMON_FIRST ?
			    "puffsd" : "memfs", status);
			hx_reg_del(HX_PID, m->pid, NULL);
			m->pid = 0;
			hx_mount_stop(m);
			return -1;
		}
		if (hx_now() > end) {
			fprintf(stderr, "harness: %s mount at %s not live "
			    "after %.0f s\n", hx_way_name(way), m->mnt,
			    HX_DEADLINE);
			hx_mount_stop(m);
			return -1;
		}
		hx_msleep(10);
	}
	m->live = 1;
	fprintf(stderr, "harness: %s mount live at %s in %.3f s\n",
	    hx_way_name(way), m->mnt, hx_now() - t0);
	return 0;
}

/* Unmount (cleanly if possible), then make sure the processes are gone. */
void
hx_mount_stop(struct hx_mount *m)
{
	int status;

	if (m->mnt[0] == '\0')
		return;
	if (hx_in_mounts(m->mnt, NULL, 0) && umount2(m->mnt, 0) == -1) {
		fprintf(stderr, "harness: umount %s: %s; detaching\n",
		    m->mnt, strerror(errno));
		umount2(m->mnt, MNT_DETACH);
		/*
		 * Linux tells the daemon nothing until the detached mount's
		 * last user lets go, which a stalled request never does:
		 * ask our child for its own clean unmount instead.
		 */
		if (m->pid > 0)
			kill(m->pid, SIGTERM);
	}
	if (m->pid > 0) {
		/* puffsd ends by itself within its unmount bound. */
		if (hx_wait_exit(m->pid, HX_UNMOUNT_WAIT, &status) == -1) {
			fprintf(stderr, "harness: pid %d still running after "
			    "unmount; killing it\n", (int)m->pid);
			kill(m->pid, SIGKILL);
			waitpid(m->pid, &status, 0);
			hx_ctl_forget(m->mnt);
		}
		hx_reg_del(HX_PID, m->pid, NULL);
		m->pid = 0;
	}
	hx_detach_under(m->mnt);
	if (rmdir(m->mnt) == -1)
		fprintf(stderr, "harness: rmdir %s: %s\n", m->mnt,
		    strerror(errno));
	hx_reg_del(HX_MNT, 0, m->mnt);
	m->mnt[0] = '\0';
	m->live = 0;
	if (m->backing[0] != '\0')
		hx_oracle_stop(m->backing);
	m->backing[0] = '\0';
}

int
hx_oracle_start(char *path, size_t len, const char *name)
{
	if (snprintf(path, len, "%s/%s.%u", hx_basedir, name, hx_seq++) >=
	    (int)len || mkdir(path, 0755) == -1)
		return -1;
	hx_reg_add(HX_MNT, 0, path);
	if (mount("oracle", path, "tmpfs", 0, "mode=0755") == -1) {
		fprintf(stderr, "harness: mount tmpfs %s: %s\n", path,
		    strerror(errno));
		hx_reg_del(HX_MNT, 0, path);
		rmdir(path);
		return -1;
	}
	return 0;
}

void
hx_oracle_stop(const char *path)
{
	if (path[0] == '\0')
		return;
	if (umount2(path, 0) == -1)
		umount2(path, MNT_DETACH);
	rmdir(path);
	hx_reg_del(HX_MNT, 0, path);
}

/* --- shared fixtures --- */

static void
hx_fixture(enum hx_way way)
{
	if (hx_oracle_start(hx_ref, sizeof(hx_ref), "tmpfs") == -1)
		ck_abort_msg("cannot mount the tmpfs oracle");
	if (hx_mount_start(&hx_fs, way, "fuse", NULL) == -1)
		ck_abort_msg("%s mount of memfs did not come up (see stderr)",
		    hx_way_name(way));
}

void
hx_fixture_daemon_first(void)
{
	hx_fixture(HX_DAEMON_FIRST);
}

void
hx_fixture_server_first(void)
{
	hx_fixture(HX_SERVER_FIRST);
}

void
hx_fixture_teardown(void)
{
	hx_mount_stop(&hx_fs);
	hx_oracle_stop(hx_ref);
	hx_ref[0] = '\0';
}
