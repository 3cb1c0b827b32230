/*
 * peer.c: framing and queueing on the server socket (see peer.h).  The
 * server is untrusted: a frame's length is checked against the maximum
 * before any of it is buffered.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <glib.h>

#include <puffs-bridge/puffs_msgif.h>

#include "log.h"
#include "peer.h"

#define PEER_READSIZE	(64 * 1024)
/*
 * Backpressure: above OUTHIGH bytes waiting for the server, stop reading
 * from it (its requests and replies would only queue more answers) until
 * the queue is below OUTLOW.  A server that floods without reading thus
 * costs a bounded amount of memory.
 */
#define PEER_OUTHIGH	(4 * 1024 * 1024)
#define PEER_OUTLOW	(1024 * 1024)

struct peer_out {
	uint8_t		*po_buf;
	size_t		 po_len;
	size_t		 po_off;
};

struct peer {
	int		 p_fd;
	size_t		 p_maxlen;
	struct event	*p_rev;
	struct event	*p_wev;
	GByteArray	*p_in;
	GQueue		 p_out;
	size_t		 p_outbytes;	/* bytes in p_out */
	bool		 p_paused;	/* not reading: p_out over OUTHIGH */
	bool		 p_dead;
	peer_frame_fn	 p_frame;
	peer_lost_fn	 p_lost;
	void		*p_arg;
};

static void
peer_out_free(gpointer data)
{
	struct peer_out *po = data;

	g_free(po->po_buf);
	g_free(po);
}

/* Stop all I/O and tell the owner, once. */
static void
peer_die(struct peer *p, const char *why)
{
	if (p->p_dead)
		return;
	p->p_dead = true;
	event_del(p->p_rev);
	event_del(p->p_wev);
	g_queue_clear_full(&p->p_out, peer_out_free);
	p->p_outbytes = 0;
	p->p_lost(p->p_arg, why);
}

/*
 * Frames are read as structs: one that follows a frame of odd length in
 * the input buffer is copied to an aligned buffer first.
 */
static void
peer_deliver(struct peer *p, const uint8_t *frame, size_t len)
{
	uint8_t *copy;

	if ((uintptr_t)frame % _Alignof(max_align_t) == 0) {
		p->p_frame(p->p_arg, frame, len);
		return;
	}
	copy = g_memdup2(frame, len);
	p->p_frame(p->p_arg, copy, len);
	g_free(copy);
}

/* Hand every complete frame in the input buffer to the owner. */
static void
peer_frames(struct peer *p)
{
	struct putter_hdr hdr;
	size_t off = 0;

	while (!p->p_dead && p->p_in->len - off >= sizeof(hdr)) {
		if (p->p_outbytes > PEER_OUTHIGH) {
			log_debug("server input paused: %zu bytes queued for "
			    "it", p->p_outbytes);
			p->p_paused = true;
			event_del(p->p_rev);
			break;
		}
		memcpy(&hdr, p->p_in->data + off, sizeof(hdr));
		if (hdr.pth_framelen < sizeof(hdr) ||
		    hdr.pth_framelen > p->p_maxlen) {
			log_warnx("server sent a frame of %" G_GUINT64_FORMAT
			    " bytes (maximum %zu)", hdr.pth_framelen,
			    p->p_maxlen);
			peer_die(p, "framing error");
			return;
		}
		if (p->p_in->len - off < hdr.pth_framelen)
			break;
		peer_deliver(p, p->p_in->data + off, hdr.pth_framelen);
		off += hdr.pth_framelen;
	}
	if (!p->p_dead && off > 0)
		g_byte_array_remove_range(p->p_in, 0, off);
}

static void
peer_readcb(evutil_socket_t fd, short what, void *arg)
{
	struct peer *p = arg;
	size_t old = p->p_in->len;
	ssize_t n;

	(void)what;
	g_byte_array_set_size(p->p_in, old + PEER_READSIZE);
	n = read(fd, p->p_in->data + old, PEER_READSIZE);
	g_byte_array_set_size(p->p_in, old + (n > 0 ? (size_t)n : 0));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		log_warn("read from server");
		peer_die(p, "read error");
		return;
	}
	if (n == 0) {
		peer_die(p, "server closed the connection");
		return;
	}
	peer_frames(p);
}

/* The queue drained: read again, starting with what is buffered. */
static void
peer_resume(struct peer *p)
{
	p->p_paused = false;
	if (event_add(p->p_rev, NULL) != 0)
		fatalx("cannot watch the server socket");
	peer_frames(p);
}

static void
peer_writecb(evutil_socket_t fd, short what, void *arg)
{
	struct peer *p = arg;
	struct peer_out *po;
	ssize_t n;

	(void)what;
	while ((po = g_queue_peek_head(&p->p_out)) != NULL) {
		n = send(fd, po->po_buf + po->po_off, po->po_len - po->po_off,
		    MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n == -1) {
			log_warn("write to server");
			peer_die(p, "write error");
			return;
		}
		po->po_off += n;
		if (po->po_off < po->po_len)
			continue;
		p->p_outbytes -= po->po_len;
		peer_out_free(g_queue_pop_head(&p->p_out));
		if (p->p_paused && p->p_outbytes < PEER_OUTLOW)
			peer_resume(p);
		if (p->p_dead)
			return;
	}
	event_del(p->p_wev);
}

struct peer *
peer_new(struct event_base *base, int fd, size_t maxlen, peer_frame_fn frame,
    peer_lost_fn lost, void *arg)
{
	struct peer *p = g_new0(struct peer, 1);
	int fl;

	fl = fcntl(fd, F_GETFL);
	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		fatal("fcntl on the server socket");
	p->p_fd = fd;
	p->p_maxlen = maxlen;
	p->p_in = g_byte_array_new();
	g_queue_init(&p->p_out);
	p->p_frame = frame;
	p->p_lost = lost;
	p->p_arg = arg;
	p->p_rev = event_new(base, fd, EV_READ | EV_PERSIST, peer_readcb, p);
	p->p_wev = event_new(base, fd, EV_WRITE | EV_PERSIST, peer_writecb, p);
	if (p->p_rev == NULL || p->p_wev == NULL || event_add(p->p_rev, NULL))
		fatalx("cannot watch the server socket");
	return p;
}

/* Queue a frame (ownership passes to the peer); dropped once dead. */
void
peer_send(void *arg, uint8_t *buf, size_t len)
{
	struct peer *p = arg;
	struct peer_out *po;

	if (p->p_dead) {
		g_free(buf);
		return;
	}
	po = g_new0(struct peer_out, 1);
	po->po_buf = buf;
	po->po_len = len;
	p->p_outbytes += len;
	g_queue_push_tail(&p->p_out, po);
	if (g_queue_get_length(&p->p_out) == 1)
		event_add(p->p_wev, NULL);
}

/*
 * Take back a request frame not yet begun on the socket (an interrupted
 * request the server must never see).  True if it was found and dropped.
 */
bool
peer_unqueue(void *arg, uint64_t id)
{
	struct peer *p = arg;
	const struct puffs_req *preq;
	struct peer_out *po;
	GList *l;

	for (l = p->p_out.head; l != NULL; l = l->next) {
		po = l->data;
		if (po->po_off != 0 || po->po_len < sizeof(*preq))
			continue;
		preq = (const struct puffs_req *)po->po_buf;
		if (preq->preq_id != id ||
		    (preq->preq_opclass & PUFFSOPFLAG_ISRESPONSE))
			continue;
		g_queue_delete_link(&p->p_out, l);
		peer_out_free(po);
		if (g_queue_is_empty(&p->p_out))
			event_del(p->p_wev);
		return true;
	}
	return false;
}

/*
 * Flush what is queued (briefly, the loop is over) and close.  Returns
 * the number of frames that could not be written.
 */
int
peer_close(struct peer *p)
{
	struct pollfd pfd = { .fd = p->p_fd, .events = POLLOUT };
	int left;

	p->p_paused = false;	/* what is still unread stays unread */
	while (!p->p_dead && !g_queue_is_empty(&p->p_out) &&
	    poll(&pfd, 1, 1000) == 1)
		peer_writecb(p->p_fd, EV_WRITE, p);
	left = g_queue_get_length(&p->p_out);
	g_queue_clear_full(&p->p_out, peer_out_free);
	event_free(p->p_rev);
	event_free(p->p_wev);
	g_byte_array_free(p->p_in, TRUE);
	close(p->p_fd);
	g_free(p);
	return left;
}

static int
peer_readall(int fd, uint8_t *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = read(fd, buf + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno;
		if (n == 0)
			return ECONNRESET;
		off += n;
	}
	return 0;
}

/* Blocking read of one frame, for the attach before the loop runs. */
int
peer_recv_sync(int fd, size_t maxlen, uint8_t **bufp, size_t *lenp)
{
	struct putter_hdr hdr;
	uint8_t *buf;
	int error;

	*bufp = NULL;
	if ((error = peer_readall(fd, (uint8_t *)&hdr, sizeof(hdr))) != 0)
		return error;
	if (hdr.pth_framelen < sizeof(hdr) || hdr.pth_framelen > maxlen)
		return EMSGSIZE;
	buf = g_malloc(hdr.pth_framelen);
	memcpy(buf, &hdr, sizeof(hdr));
	error = peer_readall(fd, buf + sizeof(hdr),
	    hdr.pth_framelen - sizeof(hdr));
	if (error != 0) {
		g_free(buf);
		return error;
	}
	*bufp = buf;
	*lenp = hdr.pth_framelen;
	return 0;
}

int
peer_send_sync(int fd, const uint8_t *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = send(fd, buf + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno;
		off += n;
	}
	return 0;
}
