/*
 * signal.c: puffs_unmountonsignal(), process-wide "unmount every server
 * on this signal".  The handler only writes a byte to a self-pipe (all it
 * may do in a signal handler); the main loop watches the pipe's read end
 * (puffs__signal_fd) and calls puffs_exit() when puffs__signal_take()
 * reports a delivery.  Called by servers before puffs_mainloop().
 *
 * Also the process's list of mount contexts: a context lives until the
 * process exits (servers never free it, as on NetBSD), and the list is
 * what keeps it reachable, for debuggers and leak checkers alike.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "puffs_priv.h"

static int sigpipe_fds[2] = { -1, -1 };
static LIST_HEAD(, puffs_usermount) puffs_mounts =
    LIST_HEAD_INITIALIZER(puffs_mounts);

void
puffs__mount_register(struct puffs_usermount *pu)
{
	LIST_INSERT_HEAD(&puffs_mounts, pu, pu_entries);
}

void
puffs__mount_unregister(struct puffs_usermount *pu)
{
	LIST_REMOVE(pu, pu_entries);
}

static void
puffs_signal_handler(int sig)
{
	int saved = errno;
	char c = (char)sig;

	(void)write(sigpipe_fds[1], &c, 1);
	errno = saved;
}

static int
puffs_signal_pipe(void)
{
	int i;

	if (sigpipe_fds[0] != -1)
		return 0;
	if (pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	for (i = 0; i < 2; i++)
		if (sigpipe_fds[i] == -1)
			return -1;
	return 0;
}

int
puffs_unmountonsignal(int sig, bool ignoresig)
{
	struct sigaction sa;

	if (sig <= 0 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP) {
		errno = EINVAL;
		return -1;
	}
	if (puffs_signal_pipe() == -1)
		return -1;
	/*
	 * NetBSD's kqueue sees the signal even when it is ignored; here the
	 * handler is what notices it, so "ignoresig" means the default
	 * action is replaced (the process is not killed) either way.
	 */
	(void)ignoresig;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = puffs_signal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: wake the loop's poll */
	return sigaction(sig, &sa, NULL);
}

int
puffs__signal_fd(void)
{
	return sigpipe_fds[0];
}

/* Drains the pipe; true if an unmount signal came since the last call. */
bool
puffs__signal_take(void)
{
	char buf[64];
	bool got = false;

	if (sigpipe_fds[0] == -1)
		return false;
	while (read(sigpipe_fds[0], buf, sizeof(buf)) > 0)
		got = true;
	return got;
}
