/*
 * mainloop.c: puffs_mainloop(), the one event loop of a server.  One epoll
 * descriptor watches the socket to puffsd, every descriptor the server
 * added with puffs_framev_addfd() (framebuf.c), and a signalfd for the
 * signals of puffs_unmountonsignal().  Each round, as NetBSD's loop:
 * continue the scheduled continuations, call the server's loop function,
 * write what the queues hold, wait (puffs_ml_settimeout bounds the wait),
 * handle what arrived, free the descriptors removed meanwhile.
 *
 * Called by servers; calls transport.c (puffsd frames, which start
 * requests on their continuations), framebuf.c and callcontext.c.
 */
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "puffs_priv.h"

#define ML_MAXEVENTS	64

/* epoll tags for the two descriptors that are not framebuf fds. */
static char ml_tag_puffsd, ml_tag_signal;

/* Process-wide, as NetBSD: the signals that unmount every server. */
static sigset_t ml_unmountsigs;
static int ml_nunmountsigs;

int
puffs_unmountonsignal(int sig, bool ignoresig)
{
	if (sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	if (ignoresig && signal(sig, SIG_IGN) == SIG_ERR)
		return -1;
	if (ml_nunmountsigs == 0)
		sigemptyset(&ml_unmountsigs);
	if (sigismember(&ml_unmountsigs, sig) != 1) {
		if (sigaddset(&ml_unmountsigs, sig) == -1)
			return -1;
		ml_nunmountsigs++;
	}
	return 0;
}

void
puffs_ml_setloopfn(struct puffs_usermount *pu, puffs_ml_loop_fn lfn)
{
	pu->pu_ml_lfn = lfn;
}

void
puffs_ml_settimeout(struct puffs_usermount *pu, struct timespec *ts)
{
	if (ts == NULL) {
		pu->pu_ml_timep = NULL;
		return;
	}
	pu->pu_ml_timeout = *ts;
	pu->pu_ml_timep = &pu->pu_ml_timeout;
}

int
puffs_setblockingmode(struct puffs_usermount *pu, int mode)
{
	int flags;

	if (mode != PUFFSDEV_BLOCK && mode != PUFFSDEV_NONBLOCK) {
		errno = EINVAL;
		return -1;
	}
	if (pu->pu_fd == -1) {
		errno = ENXIO;
		return -1;
	}
	flags = fcntl(pu->pu_fd, F_GETFL);
	if (flags == -1)
		return -1;
	if (mode == PUFFSDEV_NONBLOCK)
		flags |= O_NONBLOCK;
	else
		flags &= ~O_NONBLOCK;
	return fcntl(pu->pu_fd, F_SETFL, flags);
}

/* Collects the puffsd we started, if it has finished. */
static void
ml_reap(struct puffs_usermount *pu)
{
	if (pu->pu_puffsd > 0 && waitpid(pu->pu_puffsd, NULL, WNOHANG) != 0)
		pu->pu_puffsd = 0;
}

/* Writes what is queued before the loop returns; puffsd may be gone. */
static void
ml_drain(struct puffs_usermount *pu)
{
	struct pollfd pfd = { .fd = pu->pu_fd, .events = POLLOUT };

	while (puffs__transport_pending(pu)) {
		if (puffs__transport_flush(pu) == -1)
			break;
		if (puffs__transport_pending(pu) && poll(&pfd, 1, -1) == -1 &&
		    errno != EINTR)
			break;
	}
}

/* The signals of puffs_unmountonsignal() arrive as a descriptor. */
static int
ml_signals(struct puffs_usermount *pu)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (ml_nunmountsigs == 0 || pu->pu_sigfd != -1)
		return 0;
	/* signalfd sees only blocked signals; the loop handles them now. */
	if (sigprocmask(SIG_BLOCK, &ml_unmountsigs, NULL) == -1)
		return -1;
	pu->pu_sigfd = signalfd(-1, &ml_unmountsigs,
	    SFD_NONBLOCK | SFD_CLOEXEC);
	if (pu->pu_sigfd == -1)
		return -1;
	ev.data.ptr = &ml_tag_signal;
	return epoll_ctl(pu->pu_epfd, EPOLL_CTL_ADD, pu->pu_sigfd, &ev);
}

static void
ml_gotsignal(struct puffs_usermount *pu, int *exiting)
{
	struct signalfd_siginfo ssi;

	while (read(pu->pu_sigfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi)) {
		if (*exiting)
			continue;
		*exiting = 1;
		if (puffs_exit(pu, 0) == -1)
			warn("puffs_mainloop: unmount on signal %u",
			    ssi.ssi_signo);
	}
}

static int
ml_setup(struct puffs_usermount *pu)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (puffs_setblockingmode(pu, PUFFSDEV_NONBLOCK) == -1)
		return -1;
	if (puffs__framev_epoll(pu) == -1)
		return -1;
	ev.data.ptr = &ml_tag_puffsd;
	if (epoll_ctl(pu->pu_epfd, EPOLL_CTL_ADD, pu->pu_fd, &ev) == -1 &&
	    errno != EEXIST)
		return -1;
	return ml_signals(pu);
}

/* Milliseconds for epoll: 0 if work is waiting, else the timeout. */
static int
ml_waittime(struct puffs_usermount *pu)
{
	const struct timespec *ts = pu->pu_ml_timep;
	long long ms;

	if (puffs__cc_havesched(pu))
		return 0;
	if (ts == NULL)
		return -1;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0)
		return 0;
	ms = (long long)ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* The puffsd socket: watch for output only while some is queued. */
static int
ml_armpuffsd(struct puffs_usermount *pu)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (puffs__transport_pending(pu))
		ev.events |= EPOLLOUT;
	ev.data.ptr = &ml_tag_puffsd;
	return epoll_ctl(pu->pu_epfd, EPOLL_CTL_MOD, pu->pu_fd, &ev);
}

/* One round; -1 when puffsd is gone or the loop itself failed. */
static int
ml_round(struct puffs_usermount *pu, int *exiting)
{
	struct epoll_event evs[ML_MAXEVENTS];
	int i, n;

	puffs__cc_runsched(pu);
	if (pu->pu_ml_lfn != NULL)
		pu->pu_ml_lfn(pu);
	if (pu->pu_state == PUFFS_STATE_UNMOUNTED)
		return 0;
	puffs__framev_output_all(pu);
	if (puffs__transport_flush(pu) == -1)
		return -1;
	if (puffs__framev_rearm(pu) == -1 || ml_armpuffsd(pu) == -1)
		return -1;

	n = epoll_wait(pu->pu_epfd, evs, ML_MAXEVENTS, ml_waittime(pu));
	if (n == -1)
		return errno == EINTR ? 0 : -1;
	for (i = 0; i < n && pu->pu_state != PUFFS_STATE_UNMOUNTED; i++) {
		if (evs[i].data.ptr == &ml_tag_puffsd) {
			if ((evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
			    puffs__transport_read(pu) == -1)
				return -1;
		} else if (evs[i].data.ptr == &ml_tag_signal) {
			ml_gotsignal(pu, exiting);
		} else {
			puffs__framev_event(pu, evs[i].data.ptr,
			    evs[i].events);
		}
	}
	puffs__framev_reap(pu);
	return 0;
}

/* The historical two-argument form (see <puffs.h>). */
int
puffs_mainloop_flags(struct puffs_usermount *pu, int flags)
{
	if ((flags & PUFFSLOOP_NODAEMON) == 0 && daemon(1, 0) == -1)
		return -1;
	return puffs_mainloop(pu);
}

int
(puffs_mainloop)(struct puffs_usermount *pu)
{
	int exiting = 0, error;

	if (pu->pu_state != PUFFS_STATE_RUNNING || pu->pu_fd == -1) {
		errno = ENXIO;
		return -1;
	}
	if (ml_setup(pu) == -1)
		return -1;

	pu->pu_inloop = 1;
	while (pu->pu_state != PUFFS_STATE_UNMOUNTED) {
		if (ml_round(pu, &exiting) == -1)
			goto dead;
	}
	pu->pu_inloop = 0;
	ml_drain(pu);
	ml_reap(pu);
	return 0;

 dead:
	/* puffsd is gone (or spoke nonsense) while we were mounted. */
	error = errno;
	pu->pu_inloop = 0;
	puffs__transport_free(pu);
	ml_reap(pu);
	errno = (error == EPIPE || error == ECONNRESET) ? ENXIO : error;
	return -1;
}
