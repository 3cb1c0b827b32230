/*
 * lifecycle.c: how a mount ends.  Server killed under load, a server-first
 * mount (the library starts puffsd) through a create/read/unmount cycle, and
 * a clean unmount after which puffsd and the server exit 0.  Each test makes
 * its own mount; the harness cleans up whatever a failing test leaves.
 */
#include "harness.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { W_READY = 1, W_ERROR, W_NOERROR };

struct wmsg {
	int	type;
	int	err;
	char	op[16];
	double	t;
};

static void
wsend(int fd, int type, int err, const char *op)
{
	struct wmsg m = { type, err, "", hx_now() };

	snprintf(m.op, sizeof(m.op), "%s", op);
	if (write(fd, &m, sizeof(m)) != sizeof(m))
		_exit(5);
}

/* One step of the workload; 0 or the failing call's errno. */
static int
wstep(int dfd, int i, const char **op)
{
	char name[32], buf[4096];
	struct stat st;
	int fd;

	snprintf(name, sizeof(name), "w%d", i % 16);
	memset(buf, i & 0xff, sizeof(buf));
	*op = "create";
	if ((fd = openat(dfd, name, O_CREAT | O_RDWR | O_TRUNC, 0644)) == -1)
		return errno;
	*op = "write";
	if (write(fd, buf, sizeof(buf)) == -1)
		goto fail;
	*op = "read";
	if (pread(fd, buf, sizeof(buf), 0) == -1)
		goto fail;
	*op = "fstat";
	if (fstat(fd, &st) == -1)
		goto fail;
	close(fd);
	*op = "stat";
	if (fstatat(dfd, name, &st, 0) == -1)
		return errno;
	return 0;
fail:
	i = errno;
	close(fd);
	return i;
}

/* Works through an fd on the mount, so that it never falls through to the
 * directory below once the mount is detached. */
static void
workload(const char *mnt, int wfd)
{
	const char *op = "open";
	double end = hx_now() + 60;
	int dfd, err;

	if ((dfd = open(mnt, O_DIRECTORY | O_RDONLY)) == -1) {
		wsend(wfd, W_ERROR, errno, op);
		_exit(0);
	}
	for (int i = 0; hx_now() < end; i++) {
		if ((err = wstep(dfd, i, &op)) != 0) {
			wsend(wfd, W_ERROR, err, op);
			_exit(0);
		}
		if (i == 20)
			wsend(wfd, W_READY, 0, "");
	}
	wsend(wfd, W_NOERROR, 0, "");
	_exit(0);
}

static int
wrecv(int fd, struct wmsg *m, double timeout)
{
	struct pollfd pfd = { fd, POLLIN, 0 };

	if (poll(&pfd, 1, (int)(timeout * 1000)) != 1)
		return -1;
	return read(fd, m, sizeof(*m)) == sizeof(*m) ? 0 : -1;
}

static pid_t
find_server(pid_t puffsd)
{
	double end = hx_now() + HX_DEADLINE;
	pid_t pid;

	while ((pid = hx_first_child(puffsd)) == -1 && hx_now() < end)
		hx_msleep(10);
	return pid;
}

START_TEST(t_kill_server)
{
	struct hx_mount m;
	struct wmsg msg;
	pid_t server, wpid;
	double tkill, t;
	int pfd[2], status;

	if (hx_fake()) {
		fprintf(stderr, "kill_server: needs the real daemon\n");
		return;
	}
	ck_assert_msg(hx_mount_start(&m, HX_DAEMON_FIRST, "kill", NULL) == 0,
	    "daemon-first mount did not come up");
	server = find_server(m.pid);
	ck_assert_msg(server > 0, "no server process under puffsd %d",
	    (int)m.pid);
	ck_assert_int_eq(pipe(pfd), 0);
	if ((wpid = fork()) == 0) {
		close(pfd[0]);
		workload(m.mnt, pfd[1]);
	}
	close(pfd[1]);
	hx_track(wpid);
	ck_assert_msg(wrecv(pfd[0], &msg, HX_DEADLINE) == 0 &&
	    msg.type == W_READY, "workload did not get going (type %d, %s "
	    "on %s)", msg.type, hx_errname(msg.err), msg.op);
	hx_msleep(100);
	tkill = hx_now();
	ck_assert_int_eq(kill(server, SIGKILL), 0);

	ck_assert_msg(wrecv(pfd[0], &msg, HX_DEADLINE) == 0,
	    "workload still blocked or running %.0f s after SIGKILL of the "
	    "server", HX_DEADLINE);
	ck_assert_msg(msg.type == W_ERROR, "workload ran on without an error");
	fprintf(stderr, "kill_server: first error %s on %s, %.3f s after "
	    "SIGKILL (goal < 2 s)\n", hx_errname(msg.err), msg.op,
	    msg.t - tkill);
	ck_assert_msg(msg.t - tkill < HX_DEADLINE, "error after %.3f s",
	    msg.t - tkill);

	ck_assert_msg(hx_wait_gone(m.mnt, HX_DEADLINE) == 0,
	    "mount still in /proc/self/mounts %.0f s after the kill",
	    HX_DEADLINE);
	t = hx_now() - tkill;
	fprintf(stderr, "kill_server: mount gone %.3f s after SIGKILL\n", t);
	ck_assert_msg(hx_wait_exit(m.pid, HX_DEADLINE, &status) == 0,
	    "puffsd still running %.0f s after the kill", HX_DEADLINE);
	fprintf(stderr, "kill_server: puffsd exited %.3f s after SIGKILL, "
	    "status %s %d\n", hx_now() - tkill, WIFEXITED(status) ? "exit" :
	    "signal", WIFEXITED(status) ? WEXITSTATUS(status) :
	    WTERMSIG(status));
	m.pid = 0;
	ck_assert_msg(WIFEXITED(status), "puffsd died of signal %d",
	    WTERMSIG(status));
	hx_wait_exit(wpid, HX_DEADLINE, NULL);
	hx_untrack(wpid);
	close(pfd[0]);
	hx_mount_stop(&m);
}
END_TEST

static void
rw_cycle(const char *mnt)
{
	char path[PATH_MAX], buf[64];
	struct dirent *de;
	int fd, found = 0;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "%s/hello", mnt);
	fd = open(path, O_CREAT | O_RDWR, 0644);
	ck_assert_msg(fd >= 0, "create: %s", strerror(errno));
	ck_assert_int_eq(write(fd, "round trip\n", 11), 11);
	ck_assert_int_eq(close(fd), 0);
	fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "open: %s", strerror(errno));
	n = read(fd, buf, sizeof(buf));
	ck_assert_int_eq(n, 11);
	ck_assert(memcmp(buf, "round trip\n", 11) == 0);
	close(fd);
	d = opendir(mnt);
	ck_assert_msg(d != NULL, "opendir: %s", strerror(errno));
	while ((de = readdir(d)) != NULL)
		found += strcmp(de->d_name, "hello") == 0;
	closedir(d);
	ck_assert_int_eq(found, 1);
}

START_TEST(t_server_first)
{
	struct hx_mount m;
	pid_t puffsd = -1;
	int status;

	ck_assert_msg(hx_mount_start(&m, HX_SERVER_FIRST, "sf", NULL) == 0,
	    "server-first mount did not come up");
	if (!hx_fake())
		puffsd = find_server(m.pid);
	rw_cycle(m.mnt);
	ck_assert_msg(umount2(m.mnt, 0) == 0, "umount: %s", strerror(errno));
	ck_assert_msg(hx_wait_exit(m.pid, HX_DEADLINE, &status) == 0,
	    "memfs still running %.0f s after umount", HX_DEADLINE);
	m.pid = 0;
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "memfs ended with status 0x%x after umount", status);
	if (puffsd > 0) {
		double end = hx_now() + HX_DEADLINE;

		while (!hx_pid_gone(puffsd) && hx_now() < end)
			hx_msleep(10);
		ck_assert_msg(hx_pid_gone(puffsd), "puffsd %d (started by "
		    "libpuffs) still running after umount", (int)puffsd);
	}
	hx_mount_stop(&m);
}
END_TEST

START_TEST(t_clean_unmount)
{
	const char *wrap = "\"$MEMFS\" -s \"$MNT\"; echo $? > \"$MNT.status\"";
	char path[PATH_MAX + 8], *text = NULL;
	struct hx_mount m;
	double t0, end;
	int status;

	ck_assert_msg(hx_mount_start(&m, HX_DAEMON_FIRST, "clean", wrap) == 0,
	    "daemon-first mount did not come up");
	rw_cycle(m.mnt);
	snprintf(path, sizeof(path), "%s.status", m.mnt);
	t0 = hx_now();
	ck_assert_msg(umount2(m.mnt, 0) == 0, "umount: %s", strerror(errno));
	ck_assert_msg(hx_wait_exit(m.pid, HX_DEADLINE, &status) == 0,
	    "puffsd still running %.0f s after umount", HX_DEADLINE);
	m.pid = 0;
	fprintf(stderr, "clean_unmount: puffsd exited %.3f s after umount\n",
	    hx_now() - t0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "puffsd ended with status 0x%x after a clean umount", status);
	if (!hx_fake()) {
		end = hx_now() + HX_DEADLINE;
		while (!g_file_get_contents(path, &text, NULL, NULL) &&
		    hx_now() < end)
			hx_msleep(10);
		ck_assert_msg(text != NULL, "server exit status never written");
		ck_assert_msg(strcmp(text, "0\n") == 0,
		    "memfs exited with status %s after a clean umount", text);
		g_free(text);
	}
	hx_mount_stop(&m);
}
END_TEST

/* Check's test handles are variables: the table lives in main(). */
int
main(void)
{
	const struct hx_case cases[] = {
		{ "kill_server", t_kill_server, 120, NULL },
		{ "server_first", t_server_first, 120, NULL },
		{ "clean_unmount", t_clean_unmount, 120, NULL },
		{ NULL, NULL, 0, NULL },
	};

	return hx_run_suite("lifecycle", cases, 0);
}
