/*
 * transport.c: the socket to puffsd, the "/dev/puffs" of this port.
 * Finding or starting puffsd (PUFFS_COMFD or a socketpair and an exec),
 * blocking whole-buffer I/O for the attach, and for the main loop the
 * assembly of incoming frames by pth_framelen and the queue of outgoing
 * frames.  Called by puffs.c (attach, loop) and dispatcher.c (replies).
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "puffs_priv.h"

#ifndef PUFFSD_PATH
#define PUFFSD_PATH	"/usr/local/sbin/puffsd"
#endif
#define PUFFSD_ENV	"PUFFS_BRIDGE_PUFFSD"
#define PUFFSD_DEBUGENV	"PUFFS_BRIDGE_DEBUG"
#define PUFFSD_CHILDFD	3

/* Wait until fd is ready for `events'; the socket may be non-blocking. */
static int
puffs_transport_wait(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	for (;;) {
		if (poll(&pfd, 1, -1) >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

static ssize_t
puffs_transport_send(int fd, const void *buf, size_t len)
{
	ssize_t n;

	/* MSG_NOSIGNAL: a dead puffsd must show up as EPIPE, not a signal. */
	n = send(fd, buf, len, MSG_NOSIGNAL);
	if (n == -1 && errno == ENOTSOCK)
		n = write(fd, buf, len);
	return n;
}

int
puffs__transport_writeall(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = puffs_transport_send(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (puffs_transport_wait(fd, POLLOUT) == -1)
					return -1;
				continue;
			}
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads exactly len bytes; EOF before that is ENXIO (puffsd went away). */
int
puffs__transport_readall(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = read(fd, p, len);
		if (n == 0) {
			errno = ENXIO;
			return -1;
		}
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (puffs_transport_wait(fd, POLLIN) == -1)
					return -1;
				continue;
			}
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* PUFFS_COMFD: a descriptor number, nothing else. */
static int
puffs_transport_comfd(const char *s)
{
	char *end;
	long fd;

	errno = 0;
	fd = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || fd < 0 || fd > INT_MAX ||
	    fcntl((int)fd, F_GETFD) == -1) {
		errno = EBADF;
		return -1;
	}
	return (int)fd;
}

/*
 * In the child: keep only the daemon's end of the socketpair, as fd 3 and
 * inheritable, and the standard descriptors; then exec puffsd.
 */
static __dead void
puffs_transport_execd(int fd)
{
	const char *path = getenv(PUFFSD_ENV);
	const char *argv[6];
	int argc = 0;

	if (path == NULL || *path == '\0')
		path = PUFFSD_PATH;
	if (fd != PUFFSD_CHILDFD) {
		if (dup2(fd, PUFFSD_CHILDFD) == -1)
			_exit(127);
	} else if (fcntl(fd, F_SETFD, 0) == -1)
		_exit(127);
	close_range(PUFFSD_CHILDFD + 1, ~0U, 0);

	argv[argc++] = "puffsd";
	if (getenv(PUFFSD_DEBUGENV) != NULL)
		argv[argc++] = "-d";
	argv[argc++] = "--comfd";
	argv[argc++] = "3";
	argv[argc] = NULL;
	execv(path, (char *const *)argv);
	_exit(127);
}

/* Start puffsd on one end of a new socketpair; returns the other end. */
static int
puffs_transport_spawn(struct puffs_usermount *pu)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	pid = fork();
	if (pid == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0)
		puffs_transport_execd(sv[1]);
	close(sv[1]);
	pu->pu_puffsd = pid;
	return sv[0];
}

/*
 * The socket to puffsd: the one PUFFS_COMFD names (puffsd started us) or
 * a new one to a puffsd we start.  *fdp gets the descriptor.
 */
int
puffs__transport_attach(struct puffs_usermount *pu, int *fdp)
{
	const char *env = getenv(PUFFS_COMFD_ENV);
	int fd;

	if (env != NULL)
		fd = puffs_transport_comfd(env);
	else
		fd = puffs_transport_spawn(pu);
	if (fd == -1)
		return -1;
	/* Our children (shell-outs of the server) have no use for it. */
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	*fdp = fd;
	return 0;
}

/*
 * Reads what the socket has; hands each complete frame to the dispatcher.
 * Returns 0 when the socket is drained, -1 with ENXIO on EOF, or another
 * errno on a read error or a frame whose length is impossible.
 */
int
puffs__transport_read(struct puffs_usermount *pu)
{
	uint8_t *frame;
	size_t want;
	ssize_t n;

	for (;;) {
		if (pu->pu_inbuf == NULL) {
			want = sizeof(pu->pu_inhdr) - pu->pu_inlen;
			n = read(pu->pu_fd,
			    (uint8_t *)&pu->pu_inhdr + pu->pu_inlen, want);
		} else {
			want = pu->pu_insize - pu->pu_inlen;
			n = read(pu->pu_fd, pu->pu_inbuf + pu->pu_inlen, want);
		}
		if (n == 0) {
			errno = ENXIO;
			return -1;
		}
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		pu->pu_inlen += (size_t)n;
		if ((size_t)n < want)
			continue;

		if (pu->pu_inbuf == NULL) {
			/* Header complete: check the length, then buffer. */
			uint64_t len = pu->pu_inhdr.pth_framelen;

			if (len < sizeof(struct puffs_req) ||
			    len > PUFFS_MSG_MAXSIZE) {
				errno = EPROTO;
				return -1;
			}
			pu->pu_inbuf = malloc((size_t)len);
			if (pu->pu_inbuf == NULL)
				return -1;
			memcpy(pu->pu_inbuf, &pu->pu_inhdr,
			    sizeof(pu->pu_inhdr));
			pu->pu_insize = (size_t)len;
			continue;
		}

		frame = pu->pu_inbuf;
		want = pu->pu_insize;
		pu->pu_inbuf = NULL;
		pu->pu_inlen = 0;
		pu->pu_insize = 0;
		puffs__dispatch(pu, frame, want);
		/* An accepted unmount ends the loop; leave the rest unread. */
		if (pu->pu_state == PUFFS_STATE_UNMOUNTED)
			return 0;
	}
}

/* Queues a frame for puffsd; the queue owns buf from now on. */
void
puffs__transport_enqueue(struct puffs_usermount *pu, uint8_t *buf,
    size_t len)
{
	struct puffs_outframe *pof;

	pof = calloc(1, sizeof(*pof));
	if (pof == NULL)
		abort();
	pof->pof_buf = buf;
	pof->pof_len = len;
	STAILQ_INSERT_TAIL(&pu->pu_outq, pof, pof_entries);
}

int
puffs__transport_pending(struct puffs_usermount *pu)
{
	return !STAILQ_EMPTY(&pu->pu_outq);
}

/*
 * Writes queued frames until the queue is empty (0) or the socket is full
 * (0, more left) or broken (-1).
 */
int
puffs__transport_flush(struct puffs_usermount *pu)
{
	struct puffs_outframe *pof;
	ssize_t n;

	while ((pof = STAILQ_FIRST(&pu->pu_outq)) != NULL) {
		n = puffs_transport_send(pu->pu_fd, pof->pof_buf + pof->pof_off,
		    pof->pof_len - pof->pof_off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		pof->pof_off += (size_t)n;
		if (pof->pof_off < pof->pof_len)
			continue;
		STAILQ_REMOVE_HEAD(&pu->pu_outq, pof_entries);
		free(pof->pof_buf);
		free(pof);
	}
	return 0;
}

void
puffs__transport_free(struct puffs_usermount *pu)
{
	struct puffs_outframe *pof;

	while ((pof = STAILQ_FIRST(&pu->pu_outq)) != NULL) {
		STAILQ_REMOVE_HEAD(&pu->pu_outq, pof_entries);
		free(pof->pof_buf);
		free(pof);
	}
	free(pu->pu_inbuf);
	pu->pu_inbuf = NULL;
	pu->pu_inlen = pu->pu_insize = 0;
}
