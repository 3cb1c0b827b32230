/*
 * framebuf.c: NetBSD's frame buffers (puffs_framebuf_*), growable byte
 * buffers with a cursor, and the event framework (puffs_framev_*) that
 * lets a server talk to its own sockets from inside puffs_mainloop():
 * frames queued for sending, answers matched to their questions with the
 * server's cmpframe callback, continuations parked until their answer or
 * their event arrives.
 *
 * Called by servers, and by mainloop.c, which owns the epoll descriptor
 * and calls the puffs__framev_* hooks once per round: output before the
 * wait, events after it, the reaping of removed descriptors last.
 */
#include <sys/epoll.h>
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "puffs_priv.h"

struct puffs_framebuf {
	struct puffs_cc		*pcc;		/* continued on completion */
	puffs_framev_cb		 fcb;		/* or called */
	void			*fcb_arg;

	uint8_t			*buf;
	size_t			 len;		/* bytes allocated */
	size_t			 offset;	/* cursor: telloff() */
	size_t			 maxoff;	/* data size: tellsize() */

	int			 rv;		/* transfer error */
	int			 istat;
	TAILQ_ENTRY(puffs_framebuf) pfb_entries;
};
#define ISTAT_NODESTROY	0x01	/* on a queue: destroy is illegal */
#define ISTAT_INTERNAL	0x02	/* the library's own receive buffer */
#define ISTAT_NOREPLY	0x04	/* freed once written */
#define ISTAT_DIRECT	0x08	/* directsend/directreceive: no matching */
#define ISTAT_ONQUEUE	ISTAT_NODESTROY

#define FRAMEBUF_INCR	4096

/* A continuation waiting in puffs_framev_enqueue_waitevent(). */
struct puffs_fbevent {
	struct puffs_cc		*pcc;
	int			 what;
	int			 rv;
	LIST_ENTRY(puffs_fbevent) pfe_entries;
};

/* One descriptor the server handed us. */
struct puffs_fctrl_io {
	int			 io_fd;
	int			 stat;
	int			 rwait;		/* waitevent READ waiters */
	int			 wwait;		/* waitevent WRITE waiters */
	uint32_t		 evmask;	/* what epoll watches now */
	struct puffs_framebuf	*cur_in;	/* frame being read */
	TAILQ_HEAD(, puffs_framebuf) snd_qing;	/* to be written */
	TAILQ_HEAD(, puffs_framebuf) res_qing;	/* written, awaiting answer */
	LIST_HEAD(, puffs_fbevent) ev_qing;
	LIST_ENTRY(puffs_fctrl_io) fio_entries;
};
#define FIO_ENABLE_R	0x01
#define FIO_ENABLE_W	0x02
#define FIO_RDGONE	0x04
#define FIO_WRGONE	0x08
#define FIO_DEAD	0x10
#define FIO_INEPOLL	0x20

/* ------------------------------------------------------------------ */
/* Buffers                                                            */

struct puffs_framebuf *
puffs_framebuf_make(void)
{
	struct puffs_framebuf *pb;

	pb = calloc(1, sizeof(*pb));
	if (pb == NULL)
		return NULL;
	pb->buf = malloc(FRAMEBUF_INCR);
	if (pb->buf == NULL) {
		free(pb);
		return NULL;
	}
	pb->len = FRAMEBUF_INCR;
	return pb;
}

/* Destroying a queued buffer would leave a dangling queue entry. */
static void
framebuf_checkfree(struct puffs_framebuf *pb, const char *what)
{
	if (pb->istat & ISTAT_NODESTROY) {
		warnx("%s: framebuf %p is still queued", what, (void *)pb);
		abort();
	}
}

void
puffs_framebuf_destroy(struct puffs_framebuf *pb)
{
	framebuf_checkfree(pb, "puffs_framebuf_destroy");
	free(pb->buf);
	free(pb);
}

void
puffs_framebuf_recycle(struct puffs_framebuf *pb)
{
	framebuf_checkfree(pb, "puffs_framebuf_recycle");
	pb->offset = 0;
	pb->maxoff = 0;
	pb->istat = 0;
}

/* Makes [off, off + want) addressable, growing in whole increments. */
static int
framebuf_reserve(struct puffs_framebuf *pb, size_t off, size_t want)
{
	size_t need, newlen;
	uint8_t *nbuf;

	if (off <= pb->len && pb->len - off >= want)
		return 0;
	if (want > SIZE_MAX - off || off + want > SIZE_MAX - FRAMEBUF_INCR) {
		errno = ENOMEM;
		return -1;
	}
	need = off + want;
	newlen = pb->len + FRAMEBUF_INCR;
	if (newlen < need)
		newlen = (need + FRAMEBUF_INCR - 1) / FRAMEBUF_INCR *
		    FRAMEBUF_INCR;
	nbuf = realloc(pb->buf, newlen);
	if (nbuf == NULL)
		return -1;
	pb->buf = nbuf;
	pb->len = newlen;
	return 0;
}

int
puffs_framebuf_dup(struct puffs_framebuf *pb, struct puffs_framebuf **pbp)
{
	struct puffs_framebuf *npb;

	npb = puffs_framebuf_make();
	if (npb == NULL)
		return -1;
	if (framebuf_reserve(npb, 0, pb->maxoff) == -1) {
		puffs_framebuf_destroy(npb);
		return -1;
	}
	memcpy(npb->buf, pb->buf, pb->maxoff);
	npb->offset = pb->offset;
	npb->maxoff = pb->maxoff;
	*pbp = npb;
	return 0;
}

int
puffs_framebuf_reserve_space(struct puffs_framebuf *pb, size_t want)
{
	return framebuf_reserve(pb, pb->offset, want);
}

int
puffs_framebuf_putdata(struct puffs_framebuf *pb, const void *data,
    size_t dlen)
{
	if (framebuf_reserve(pb, pb->offset, dlen) == -1)
		return -1;
	memcpy(pb->buf + pb->offset, data, dlen);
	pb->offset += dlen;
	if (pb->offset > pb->maxoff)
		pb->maxoff = pb->offset;
	return 0;
}

int
puffs_framebuf_putdata_atoff(struct puffs_framebuf *pb, size_t off,
    const void *data, size_t dlen)
{
	if (framebuf_reserve(pb, off, dlen) == -1)
		return -1;
	memcpy(pb->buf + off, data, dlen);
	if (off + dlen > pb->maxoff)
		pb->maxoff = off + dlen;
	return 0;
}

/* True if [off, off + dlen) lies inside the data. */
static bool
framebuf_hasdata(const struct puffs_framebuf *pb, size_t off, size_t dlen)
{
	return off <= pb->maxoff && pb->maxoff - off >= dlen;
}

int
puffs_framebuf_getdata(struct puffs_framebuf *pb, void *data, size_t dlen)
{
	if (!framebuf_hasdata(pb, pb->offset, dlen)) {
		errno = ENOBUFS;
		return -1;
	}
	memcpy(data, pb->buf + pb->offset, dlen);
	pb->offset += dlen;
	return 0;
}

int
puffs_framebuf_getdata_atoff(struct puffs_framebuf *pb, size_t off,
    void *data, size_t dlen)
{
	if (!framebuf_hasdata(pb, off, dlen)) {
		errno = ENOBUFS;
		return -1;
	}
	memcpy(data, pb->buf + off, dlen);
	return 0;
}

size_t
puffs_framebuf_telloff(struct puffs_framebuf *pb)
{
	return pb->offset;
}

size_t
puffs_framebuf_tellsize(struct puffs_framebuf *pb)
{
	return pb->maxoff;
}

/* As NetBSD: size - cursor, which wraps if the cursor was seeked past. */
size_t
puffs_framebuf_remaining(struct puffs_framebuf *pb)
{
	return pb->maxoff - pb->offset;
}

int
puffs_framebuf_seekset(struct puffs_framebuf *pb, size_t off)
{
	if (framebuf_reserve(pb, off, 0) == -1)
		return -1;
	pb->offset = off;
	return 0;
}

int
puffs_framebuf_getwindow(struct puffs_framebuf *pb, size_t off,
    void **winp, size_t *winlen)
{
	if (framebuf_reserve(pb, off, *winlen) == -1)
		return -1;
	*winp = pb->buf + off;
	if (off + *winlen > pb->maxoff)
		pb->maxoff = off + *winlen;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Event framework: the descriptors                                   */

void
puffs_framev_init(struct puffs_usermount *pu,
    puffs_framev_readframe_fn rfb, puffs_framev_writeframe_fn wfb,
    puffs_framev_cmpframe_fn cmpfb, puffs_framev_gotframe_fn gotfb,
    puffs_framev_fdnotify_fn fdnotfn)
{
	pu->pu_framectrl.rfb = rfb;
	pu->pu_framectrl.wfb = wfb;
	pu->pu_framectrl.cmpfb = cmpfb;
	pu->pu_framectrl.gotfb = gotfb;
	pu->pu_framectrl.fdnotfn = fdnotfn;
}

/* Called from puffs_init(). */
int
puffs__framev_init(struct puffs_usermount *pu)
{
	LIST_INIT(&pu->pu_ios);
	LIST_INIT(&pu->pu_ios_rmlist);
	pu->pu_epfd = -1;
	pu->pu_sigfd = -1;
	return 0;
}

/* The epoll descriptor, made on first need. */
int
puffs__framev_epoll(struct puffs_usermount *pu)
{
	if (pu->pu_epfd == -1)
		pu->pu_epfd = epoll_create1(EPOLL_CLOEXEC);
	return pu->pu_epfd;
}

static struct puffs_fctrl_io *
getfio(struct puffs_usermount *pu, int fd)
{
	struct puffs_fctrl_io *fio;

	LIST_FOREACH(fio, &pu->pu_ios, fio_entries)
		if (fio->io_fd == fd)
			return fio;
	return NULL;
}

/* What epoll must watch for this descriptor now. */
static uint32_t
fio_wanted(const struct puffs_fctrl_io *fio)
{
	uint32_t ev = 0;

	if (fio->stat & FIO_DEAD)
		return 0;
	if ((fio->stat & FIO_RDGONE) == 0 &&
	    ((fio->stat & FIO_ENABLE_R) || fio->rwait > 0))
		ev |= EPOLLIN | EPOLLRDHUP;
	if ((fio->stat & FIO_WRGONE) == 0 &&
	    (((fio->stat & FIO_ENABLE_W) && !TAILQ_EMPTY(&fio->snd_qing)) ||
	    fio->wwait > 0))
		ev |= EPOLLOUT;
	return ev;
}

/*
 * Brings epoll in line with fio_wanted().  A descriptor nobody wants to
 * hear from is taken out entirely, as epoll would otherwise report its
 * hangup over and over.
 */
static int
fio_arm(struct puffs_usermount *pu, struct puffs_fctrl_io *fio)
{
	struct epoll_event ev = { .events = fio_wanted(fio) };
	int op;

	if (ev.events == fio->evmask && ((fio->stat & FIO_INEPOLL) != 0) ==
	    (ev.events != 0))
		return 0;
	ev.data.ptr = fio;
	if (ev.events == 0)
		op = EPOLL_CTL_DEL;
	else if (fio->stat & FIO_INEPOLL)
		op = EPOLL_CTL_MOD;
	else
		op = EPOLL_CTL_ADD;
	if (puffs__framev_epoll(pu) == -1 ||
	    epoll_ctl(pu->pu_epfd, op, fio->io_fd, &ev) == -1)
		return -1;
	fio->evmask = ev.events;
	if (ev.events == 0)
		fio->stat &= ~FIO_INEPOLL;
	else
		fio->stat |= FIO_INEPOLL;
	return 0;
}

int
puffs__framev_rearm(struct puffs_usermount *pu)
{
	struct puffs_fctrl_io *fio;
	int rv = 0;

	LIST_FOREACH(fio, &pu->pu_ios, fio_entries)
		if (fio_arm(pu, fio) == -1)
			rv = -1;
	return rv;
}

int
puffs_framev_addfd(struct puffs_usermount *pu, int fd, int what)
{
	struct puffs_fctrl_io *fio;
	struct epoll_event ev = { .events = 0 };

	if (fd < 0 || getfio(pu, fd) != NULL) {
		errno = fd < 0 ? EBADF : EEXIST;
		return -1;
	}
	/* Refuse now what epoll cannot watch (regular files), not later. */
	if (puffs__framev_epoll(pu) == -1 ||
	    epoll_ctl(pu->pu_epfd, EPOLL_CTL_ADD, fd, &ev) == -1)
		return -1;
	(void)epoll_ctl(pu->pu_epfd, EPOLL_CTL_DEL, fd, &ev);

	fio = calloc(1, sizeof(*fio));
	if (fio == NULL)
		return -1;
	fio->io_fd = fd;
	TAILQ_INIT(&fio->snd_qing);
	TAILQ_INIT(&fio->res_qing);
	LIST_INIT(&fio->ev_qing);
	if (what & PUFFS_FBIO_READ)
		fio->stat |= FIO_ENABLE_R;
	if (what & PUFFS_FBIO_WRITE)
		fio->stat |= FIO_ENABLE_W;
	LIST_INSERT_HEAD(&pu->pu_ios, fio, fio_entries);
	return 0;
}

/*
 * The mask bits enablefd and disablefd turn on or off, or -1 with errno
 * when `what' names no direction (EINVAL) or `fd' was never added (ENXIO).
 */
static int
fio_enablebits(struct puffs_usermount *pu, int fd, int what,
    struct puffs_fctrl_io **fiop)
{
	int bits = 0;

	if ((what & (PUFFS_FBIO_READ | PUFFS_FBIO_WRITE)) == 0) {
		errno = EINVAL;
		return -1;
	}
	if ((*fiop = getfio(pu, fd)) == NULL) {
		errno = ENXIO;
		return -1;
	}
	if (what & PUFFS_FBIO_READ)
		bits |= FIO_ENABLE_R;
	if (what & PUFFS_FBIO_WRITE)
		bits |= FIO_ENABLE_W;
	return bits;
}

int
puffs_framev_enablefd(struct puffs_usermount *pu, int fd, int what)
{
	struct puffs_fctrl_io *fio;
	int bits;

	if ((bits = fio_enablebits(pu, fd, what, &fio)) == -1)
		return -1;
	fio->stat |= bits;
	return 0;
}

int
puffs_framev_disablefd(struct puffs_usermount *pu, int fd, int what)
{
	struct puffs_fctrl_io *fio;
	int bits;

	if ((bits = fio_enablebits(pu, fd, what, &fio)) == -1)
		return -1;
	fio->stat &= ~bits;
	return 0;
}

/*
 * A transfer is over with `error': wake whoever waits for the buffer,
 * or hand it to its callback, or free it.
 */
static void
framebuf_errnotify(struct puffs_usermount *pu, struct puffs_framebuf *pb,
    int error)
{
	pb->rv = error;
	if (pb->pcc != NULL) {
		puffs__cc_resume(pb->pcc);
	} else if (pb->fcb != NULL) {
		pb->istat &= ~ISTAT_NODESTROY;
		pb->fcb(pu, pb, pb->fcb_arg, error);
	} else {
		pb->istat &= ~ISTAT_NODESTROY;
		puffs_framebuf_destroy(pb);
	}
}

static void
fio_fdnotify(struct puffs_usermount *pu, struct puffs_fctrl_io *fio,
    int what)
{
	if (pu->pu_framectrl.fdnotfn != NULL && pu->pu_inloop)
		pu->pu_framectrl.fdnotfn(pu, fio->io_fd, what);
}

/* The read side is gone: nothing more will be answered. */
static void
fio_readclose(struct puffs_usermount *pu, struct puffs_fctrl_io *fio,
    int error)
{
	struct puffs_framebuf *pb;

	if (fio->stat & (FIO_RDGONE | FIO_DEAD))
		return;
	fio->stat |= FIO_RDGONE;
	if ((pb = fio->cur_in) != NULL) {
		fio->cur_in = NULL;
		if (pb->istat & ISTAT_DIRECT)
			framebuf_errnotify(pu, pb, error);
		else
			puffs_framebuf_destroy(pb);
	}
	while ((pb = TAILQ_FIRST(&fio->res_qing)) != NULL) {
		TAILQ_REMOVE(&fio->res_qing, pb, pfb_entries);
		framebuf_errnotify(pu, pb, error);
	}
	(void)fio_arm(pu, fio);
	fio_fdnotify(pu, fio, PUFFS_FBIO_READ |
	    ((fio->stat & FIO_WRGONE) ? PUFFS_FBIO_WRITE : 0));
}

/* The write side is gone: nothing queued will be sent. */
static void
fio_writeclose(struct puffs_usermount *pu, struct puffs_fctrl_io *fio,
    int error)
{
	struct puffs_framebuf *pb;

	if (fio->stat & (FIO_WRGONE | FIO_DEAD))
		return;
	fio->stat |= FIO_WRGONE;
	while ((pb = TAILQ_FIRST(&fio->snd_qing)) != NULL) {
		TAILQ_REMOVE(&fio->snd_qing, pb, pfb_entries);
		framebuf_errnotify(pu, pb, error);
	}
	(void)fio_arm(pu, fio);
	fio_fdnotify(pu, fio, PUFFS_FBIO_WRITE |
	    ((fio->stat & FIO_RDGONE) ? PUFFS_FBIO_READ : 0));
}

/*
 * Unlinks fio and fails everything pending on it.  The memory stays until
 * the main loop's reap: events of the current round may still name it.
 */
static void
fio_remove(struct puffs_usermount *pu, struct puffs_fctrl_io *fio,
    int error)
{
	struct puffs_fbevent *fbev;
	struct epoll_event ev = { .events = 0 };

	LIST_REMOVE(fio, fio_entries);
	if ((fio->stat & FIO_INEPOLL) && pu->pu_epfd != -1)
		(void)epoll_ctl(pu->pu_epfd, EPOLL_CTL_DEL, fio->io_fd, &ev);
	fio->stat &= ~FIO_INEPOLL;
	fio_readclose(pu, fio, error);
	fio_writeclose(pu, fio, error);
	while ((fbev = LIST_FIRST(&fio->ev_qing)) != NULL) {
		LIST_REMOVE(fbev, pfe_entries);
		fbev->rv = error;
		puffs__cc_resume(fbev->pcc);
	}
	fio->stat |= FIO_DEAD;
	LIST_INSERT_HEAD(&pu->pu_ios_rmlist, fio, fio_entries);
}

int
puffs_framev_removefd(struct puffs_usermount *pu, int fd, int error)
{
	struct puffs_fctrl_io *fio;

	if ((fio = getfio(pu, fd)) == NULL) {
		errno = ENXIO;
		return -1;
	}
	fio_remove(pu, fio, error != 0 ? error : ECONNRESET);
	return 0;
}

void
puffs_framev_removeonclose(struct puffs_usermount *pu, int fd, int what)
{
	if (what == (PUFFS_FBIO_READ | PUFFS_FBIO_WRITE))
		(void)puffs_framev_removefd(pu, fd, ECONNRESET);
}

void
puffs_framev_unmountonclose(struct puffs_usermount *pu, int fd, int what)
{
	puffs_framev_removeonclose(pu, fd, what);
	if (what == (PUFFS_FBIO_READ | PUFFS_FBIO_WRITE))
		pu->pu_state = PUFFS_STATE_UNMOUNTED;
}

/* Frees what removefd left for after the round; and everything at exit. */
void
puffs__framev_reap(struct puffs_usermount *pu)
{
	struct puffs_fctrl_io *fio;

	while ((fio = LIST_FIRST(&pu->pu_ios_rmlist)) != NULL) {
		LIST_REMOVE(fio, fio_entries);
		free(fio);
	}
}

void
puffs__framev_exit(struct puffs_usermount *pu)
{
	struct puffs_fctrl_io *fio;

	while ((fio = LIST_FIRST(&pu->pu_ios)) != NULL)
		fio_remove(pu, fio, ENXIO);
	puffs__framev_reap(pu);
	if (pu->pu_epfd != -1) {
		close(pu->pu_epfd);
		pu->pu_epfd = -1;
	}
}

/* ------------------------------------------------------------------ */
/* Event framework: queueing                                          */

/* Common part of the enqueue calls: the fd must take writes. */
static struct puffs_fctrl_io *
enqueue_fio(struct puffs_usermount *pu, int fd)
{
	struct puffs_fctrl_io *fio;

	if ((fio = getfio(pu, fd)) == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (fio->stat & FIO_WRGONE) {
		errno = ESHUTDOWN;
		return NULL;
	}
	return fio;
}

static void
enqueue_buf(struct puffs_fctrl_io *fio, struct puffs_framebuf *pb,
    struct puffs_cc *pcc, puffs_framev_cb fcb, void *arg, int istat,
    int flags)
{
	pb->pcc = pcc;
	pb->fcb = fcb;
	pb->fcb_arg = arg;
	pb->offset = 0;
	pb->rv = 0;
	pb->istat |= ISTAT_NODESTROY | istat;
	if (flags & PUFFS_FBQUEUE_URGENT)
		TAILQ_INSERT_HEAD(&fio->snd_qing, pb, pfb_entries);
	else
		TAILQ_INSERT_TAIL(&fio->snd_qing, pb, pfb_entries);
}

/* After a wait: 0, or -1 with the transfer's error. */
static int
framebuf_waitresult(struct puffs_framebuf *pb)
{
	pb->istat &= ~(ISTAT_NODESTROY | ISTAT_DIRECT);
	if (pb->rv != 0) {
		errno = pb->rv;
		return -1;
	}
	return 0;
}

int
puffs_framev_enqueue_cc(struct puffs_cc *pcc, int fd,
    struct puffs_framebuf *pb, int flags)
{
	struct puffs_fctrl_io *fio;

	if (pcc == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((fio = enqueue_fio(pcc->pcc_pu, fd)) == NULL)
		return -1;
	enqueue_buf(fio, pb, pcc, NULL, NULL, 0, flags);
	puffs_cc_yield(pcc);
	return framebuf_waitresult(pb);
}

int
puffs_framev_enqueue_cb(struct puffs_usermount *pu, int fd,
    struct puffs_framebuf *pb, puffs_framev_cb fcb, void *arg, int flags)
{
	struct puffs_fctrl_io *fio;

	if ((fio = enqueue_fio(pu, fd)) == NULL)
		return -1;
	enqueue_buf(fio, pb, NULL, fcb, arg, 0, flags);
	return 0;
}

int
puffs_framev_enqueue_justsend(struct puffs_usermount *pu, int fd,
    struct puffs_framebuf *pb, int waitreply, int flags)
{
	struct puffs_fctrl_io *fio;

	if ((fio = enqueue_fio(pu, fd)) == NULL)
		return -1;
	enqueue_buf(fio, pb, NULL, NULL, NULL,
	    waitreply ? 0 : ISTAT_NOREPLY, flags);
	return 0;
}

int
puffs_framev_enqueue_directsend(struct puffs_cc *pcc, int fd,
    struct puffs_framebuf *pb, int flags)
{
	struct puffs_fctrl_io *fio;

	if (pcc == NULL || (flags & PUFFS_FBQUEUE_URGENT)) {
		/* NetBSD aborts on URGENT here; we refuse it. */
		errno = pcc == NULL ? EINVAL : EOPNOTSUPP;
		return -1;
	}
	if ((fio = enqueue_fio(pcc->pcc_pu, fd)) == NULL)
		return -1;
	enqueue_buf(fio, pb, pcc, NULL, NULL, ISTAT_DIRECT, 0);
	puffs_cc_yield(pcc);
	return framebuf_waitresult(pb);
}

int
puffs_framev_enqueue_directreceive(struct puffs_cc *pcc, int fd,
    struct puffs_framebuf *pb, int flags)
{
	struct puffs_fctrl_io *fio;

	(void)flags;
	if (pcc == NULL || (fio = getfio(pcc->pcc_pu, fd)) == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (fio->stat & FIO_RDGONE) {
		errno = ESHUTDOWN;
		return -1;
	}
	if (fio->cur_in != NULL) {
		/* A frame is half read already; NetBSD asserts here. */
		errno = EBUSY;
		return -1;
	}
	fio->cur_in = pb;
	pb->pcc = pcc;
	pb->fcb = NULL;
	pb->fcb_arg = NULL;
	pb->offset = 0;
	pb->rv = 0;
	pb->istat |= ISTAT_NODESTROY | ISTAT_DIRECT;
	puffs_cc_yield(pcc);
	return framebuf_waitresult(pb);
}

int
puffs_framev_framebuf_ccpromote(struct puffs_framebuf *pb,
    struct puffs_cc *pcc)
{
	if ((pb->istat & ISTAT_ONQUEUE) == 0) {
		errno = EBUSY;
		return -1;
	}
	pb->pcc = pcc;
	pb->fcb = NULL;
	pb->fcb_arg = NULL;
	pb->istat &= ~ISTAT_NOREPLY;
	puffs_cc_yield(pcc);
	return framebuf_waitresult(pb);
}

int
puffs_framev_enqueue_waitevent(struct puffs_cc *pcc, int fd, int *what)
{
	struct puffs_fctrl_io *fio;
	struct puffs_fbevent fbev;
	int want = *what & (PUFFS_FBIO_READ | PUFFS_FBIO_WRITE |
	    PUFFS_FBIO_ERROR);

	if (want == 0 || pcc == NULL ||
	    (fio = getfio(pcc->pcc_pu, fd)) == NULL) {
		errno = EINVAL;
		return -1;
	}
	fbev.pcc = pcc;
	fbev.what = want;
	fbev.rv = 0;
	if (want & PUFFS_FBIO_READ)
		fio->rwait++;
	if (want & PUFFS_FBIO_WRITE)
		fio->wwait++;
	LIST_INSERT_HEAD(&fio->ev_qing, &fbev, pfe_entries);
	puffs_cc_yield(pcc);
	/* fio may be on the reap list now, but it is still memory. */
	if (want & PUFFS_FBIO_READ)
		fio->rwait--;
	if (want & PUFFS_FBIO_WRITE)
		fio->wwait--;
	if (fbev.rv != 0) {
		*what = PUFFS_FBIO_ERROR;
		errno = fbev.rv;
		return -1;
	}
	*what = fbev.what;
	return 0;
}

/* Wakes the waitevent callers interested in `what'. */
static void
fio_notify(struct puffs_fctrl_io *fio, int what)
{
	struct puffs_fbevent *fbev;

 again:
	LIST_FOREACH(fbev, &fio->ev_qing, pfe_entries) {
		if (fbev->what & what) {
			fbev->what &= what;
			LIST_REMOVE(fbev, pfe_entries);
			puffs__cc_resume(fbev->pcc);
			goto again;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Event framework: moving frames                                     */

/* The waiting buffer that `in' answers, taken off the queue; or NULL. */
static struct puffs_framebuf *
fio_findanswer(struct puffs_usermount *pu, struct puffs_fctrl_io *fio,
    struct puffs_framebuf *in)
{
	struct puffs_framebuf *cand;
	int notresp = 0;

	if (pu->pu_framectrl.cmpfb == NULL)
		return NULL;
	TAILQ_FOREACH(cand, &fio->res_qing, pfb_entries) {
		if (pu->pu_framectrl.cmpfb(pu, in, cand, &notresp) == 0 ||
		    notresp)
			break;
	}
	if (notresp || cand == NULL)
		return NULL;
	TAILQ_REMOVE(&fio->res_qing, cand, pfb_entries);
	return cand;
}

/* The answer's bytes become the waiting buffer's contents. */
static void
framebuf_moveinfo(struct puffs_framebuf *from, struct puffs_framebuf *to)
{
	free(to->buf);
	to->buf = from->buf;
	to->len = from->len;
	to->offset = from->offset;
	to->maxoff = from->maxoff;
	from->buf = NULL;
	from->len = 0;
}

/* A whole frame is in; give it to its owner. */
static void
fio_gotframe(struct puffs_usermount *pu, struct puffs_fctrl_io *fio,
    struct puffs_framebuf *pb)
{
	struct puffs_framebuf *app = pb;

	if ((pb->istat & ISTAT_DIRECT) == 0) {
		app = fio_findanswer(pu, fio, pb);
		if (app == NULL) {
			/* Nobody asked: the server's, or dropped. */
			pb->istat &= ~ISTAT_INTERNAL;
			if (pu->pu_framectrl.gotfb != NULL)
				pu->pu_framectrl.gotfb(pu, pb);
			else
				puffs_framebuf_destroy(pb);
			return;
		}
		framebuf_moveinfo(pb, app);
		puffs_framebuf_destroy(pb);
	}
	app->istat &= ~ISTAT_NODESTROY;
	if (app->pcc != NULL)
		puffs__cc_resume(app->pcc);
	else if (app->fcb != NULL)
		app->fcb(pu, app, app->fcb_arg, 0);
	else
		puffs_framebuf_destroy(app);
}

/* Reads frames while the server's readframe completes them. */
static void
fio_input(struct puffs_usermount *pu, struct puffs_fctrl_io *fio)
{
	struct puffs_framebuf *pb;
	int rv, done;

	if (pu->pu_framectrl.rfb == NULL)
		return;
	while ((fio->stat & (FIO_DEAD | FIO_RDGONE)) == 0 &&
	    (fio->stat & FIO_ENABLE_R)) {
		if ((pb = fio->cur_in) == NULL) {
			if ((pb = puffs_framebuf_make()) == NULL)
				return;
			pb->istat |= ISTAT_INTERNAL;
			fio->cur_in = pb;
		}
		done = 0;
		rv = pu->pu_framectrl.rfb(pu, pb, fio->io_fd, &done);
		if (rv != 0) {
			fio_readclose(pu, fio, rv);
			return;
		}
		if (!done)
			return;
		fio->cur_in = NULL;
		fio_gotframe(pu, fio, pb);
	}
}

/* Writes queued frames until the socket is full or the queue empty. */
static void
fio_output(struct puffs_usermount *pu, struct puffs_fctrl_io *fio)
{
	struct puffs_framebuf *pb;
	int rv, done;

	if (pu->pu_framectrl.wfb == NULL)
		return;
	while ((pb = TAILQ_FIRST(&fio->snd_qing)) != NULL &&
	    (fio->stat & (FIO_DEAD | FIO_WRGONE)) == 0 &&
	    (fio->stat & FIO_ENABLE_W)) {
		done = 0;
		rv = pu->pu_framectrl.wfb(pu, pb, fio->io_fd, &done);
		if (rv != 0) {
			fio_writeclose(pu, fio, rv);
			return;
		}
		if (!done)
			return;
		TAILQ_REMOVE(&fio->snd_qing, pb, pfb_entries);
		if (fio->stat & FIO_RDGONE) {
			/* No answer can come back. */
			framebuf_errnotify(pu, pb, ENXIO);
		} else if (pb->istat & ISTAT_DIRECT) {
			pb->istat &= ~ISTAT_NODESTROY;
			puffs__cc_resume(pb->pcc);
		} else if ((pb->istat & ISTAT_NOREPLY) == 0) {
			TAILQ_INSERT_TAIL(&fio->res_qing, pb, pfb_entries);
		} else {
			pb->istat &= ~ISTAT_NODESTROY;
			puffs_framebuf_destroy(pb);
		}
	}
}

/* Before the wait: push out whatever the sockets take. */
void
puffs__framev_output_all(struct puffs_usermount *pu)
{
	struct puffs_fctrl_io *fio, *next;

	for (fio = LIST_FIRST(&pu->pu_ios); fio != NULL; fio = next) {
		next = LIST_NEXT(fio, fio_entries);
		if ((fio->stat & FIO_WRGONE) == 0)
			fio_output(pu, fio);
	}
}

/* After the wait: epoll said `revents' about fio. */
void
puffs__framev_event(struct puffs_usermount *pu, struct puffs_fctrl_io *fio,
    uint32_t revents)
{
	int what = 0;

	if (fio->stat & FIO_DEAD)
		return;
	if (revents & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		fio_input(pu, fio);
		what |= PUFFS_FBIO_READ;
	}
	if ((revents & (EPOLLOUT | EPOLLHUP | EPOLLERR)) &&
	    (fio->stat & FIO_DEAD) == 0) {
		fio_output(pu, fio);
		if (revents & EPOLLOUT)
			what |= PUFFS_FBIO_WRITE;
	}
	if (revents & EPOLLERR)
		what |= PUFFS_FBIO_ERROR;
	if ((fio->stat & FIO_DEAD) == 0)
		fio_notify(fio, what);
}
