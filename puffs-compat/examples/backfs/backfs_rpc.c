/*
 * backfs_rpc.c: talking to the backend through libpuffs' event framework.
 * The read/write/compare callbacks that puffs_framev_init() gets, and
 * backfs_call(), which queues a request with puffs_framev_enqueue_cc()
 * and so yields the calling operation until its answer arrives: the main
 * loop meanwhile serves other requests, which is how many requests are in
 * flight at once.  Called by backfs_vnops.c and, for the callbacks, by
 * libpuffs.
 */
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backfs.h"

/*
 * Reads what is there of one frame; *done once it is whole.  The cursor
 * marks how much arrived; when done it is left just after the header.
 */
int
backfs_readframe(struct puffs_usermount *pu, struct puffs_framebuf *pb,
    int fd, int *done)
{
	size_t have, want;
	uint32_t len;
	void *win;
	ssize_t n;

	(void)pu;
	for (;;) {
		have = puffs_framebuf_telloff(pb);
		want = sizeof(struct bf_hdr);
		if (have >= sizeof(struct bf_hdr)) {
			if (puffs_framebuf_getdata_atoff(pb, 0, &len,
			    sizeof(len)) == -1)
				return errno;
			if (len < sizeof(struct bf_hdr) || len > BF_MAXFRAME)
				return EPROTO;
			want = len;
		}
		if (have == want) {
			puffs_framebuf_seekset(pb, sizeof(struct bf_hdr));
			*done = 1;
			return 0;
		}
		want -= have;
		if (puffs_framebuf_getwindow(pb, have, &win, &want) == -1)
			return errno;
		n = read(fd, win, want);
		if (n == 0)
			return ECONNRESET;
		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : errno;
		if (puffs_framebuf_seekset(pb, have + (size_t)n) == -1)
			return errno;
	}
}

/* Writes from the cursor to the end; *done when all of it went. */
int
backfs_writeframe(struct puffs_usermount *pu, struct puffs_framebuf *pb,
    int fd, int *done)
{
	size_t off, len;
	void *win;
	ssize_t n;

	(void)pu;
	for (;;) {
		off = puffs_framebuf_telloff(pb);
		len = puffs_framebuf_tellsize(pb) - off;
		if (len == 0) {
			*done = 1;
			return 0;
		}
		if (puffs_framebuf_getwindow(pb, off, &win, &len) == -1)
			return errno;
		n = send(fd, win, len, MSG_NOSIGNAL);
		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : errno;
		if (puffs_framebuf_seekset(pb, off + (size_t)n) == -1)
			return errno;
	}
}

/* An answer belongs to the request with its id. */
int
backfs_cmpframe(struct puffs_usermount *pu, struct puffs_framebuf *in,
    struct puffs_framebuf *req, int *notresp)
{
	uint32_t a, b;

	(void)pu;
	(void)notresp;
	if (puffs_framebuf_getdata_atoff(in, 4, &a, 4) == -1 ||
	    puffs_framebuf_getdata_atoff(req, 4, &b, 4) == -1)
		return -1;
	return a == b ? 0 : a < b ? -1 : 1;
}

/* A new request of `op'; the caller appends the arguments. */
struct puffs_framebuf *
backfs_req(uint32_t op)
{
	struct puffs_framebuf *pb;
	struct bf_hdr h = { 0, 0, op, 0 };

	if ((pb = puffs_framebuf_make()) == NULL)
		return NULL;
	if (puffs_framebuf_putdata(pb, &h, sizeof(h)) == -1) {
		puffs_framebuf_destroy(pb);
		return NULL;
	}
	return pb;
}

/* Records a new high-water mark of requests in flight for the tests. */
static void
backfs_stats(struct backfs *bf)
{
	char line[64];
	int fd, n;

	if (bf->bf_inflight <= bf->bf_maxinflight)
		return;
	bf->bf_maxinflight = bf->bf_inflight;
	if (bf->bf_statsfile == NULL)
		return;
	n = snprintf(line, sizeof(line), "maxinflight %d\n",
	    bf->bf_maxinflight);
	fd = open(bf->bf_statsfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644);
	if (fd == -1)
		return;
	(void)write(fd, line, (size_t)n);
	close(fd);
}

/*
 * Sends the request in pb and waits (yielding) for the answer, which
 * replaces pb's contents with the cursor after the answer's header.
 * Returns 0 or an errno, from the transfer or from the backend.
 */
int
backfs_call(struct puffs_usermount *pu, struct puffs_framebuf *pb)
{
	struct backfs *bf = puffs_getspecific(pu);
	uint32_t len = (uint32_t)puffs_framebuf_tellsize(pb);
	uint32_t id = ++bf->bf_nextid, error;
	int rv;

	if (len > BF_MAXFRAME)
		return EINVAL;
	puffs_framebuf_putdata_atoff(pb, 0, &len, sizeof(len));
	puffs_framebuf_putdata_atoff(pb, 4, &id, sizeof(id));
	bf->bf_inflight++;
	backfs_stats(bf);
	rv = puffs_framev_enqueue_cc(puffs_cc_getcc(pu), bf->bf_fd, pb, 0);
	bf->bf_inflight--;
	if (rv == -1)
		return errno;
	if (puffs_framebuf_getdata_atoff(pb, 8, &error, sizeof(error)) == -1)
		return EPROTO;
	/* The backend is another process: believe only sane errnos. */
	if (error > 4095)
		return EPROTO;
	return (int)error;
}

/* The bf_attr that follows the header of an answer. */
int
backfs_getattr_rep(struct puffs_framebuf *pb, struct bf_attr *a)
{
	if (puffs_framebuf_getdata(pb, a, sizeof(*a)) == -1)
		return EPROTO;
	return 0;
}
