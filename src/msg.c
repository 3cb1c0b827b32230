/*
 * msg.c: the request/reply machinery puffsd shares with the unit tests.
 * Nothing goes to the server unless the mount is RUNNING (NetBSD's
 * puffs_msg_enqueue rule); every answered request goes through the request
 * table so that its completion runs exactly once.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "log.h"
#include "msg.h"
#include "stats.h"

const char *
pmp_status_name(enum pmp_status st)
{
	switch (st) {
	case PUFFSTAT_MOUNTING:
		return "MOUNTING";
	case PUFFSTAT_RUNNING:
		return "RUNNING";
	case PUFFSTAT_DYING:
		return "DYING";
	}
	return "?";
}

static void
msg_send(struct puffs_mount *pmp, uint8_t *frame, size_t len)
{
	pmp->pmp_nsent++;
	pmp->pmp_send(pmp->pmp_sendarg, frame, len);
}

/*
 * Send frame (len bytes, replies up to buflen accepted) and call done
 * exactly once.  Outside RUNNING, done gets ENXIO before this returns, so
 * a caller must not touch its context after calling msg_call.
 */
void
msg_call(struct puffs_mount *pmp, uint8_t *frame, size_t len,
    uint64_t buflen, msg_done_fn done, void *arg)
{
	struct puffs_req *preq = (struct puffs_req *)frame;

	if (pmp->pmp_status != PUFFSTAT_RUNNING) {
		log_debug("%s refused: mount %s",
		    frame_opname(preq->preq_opclass, preq->preq_optype),
		    pmp_status_name(pmp->pmp_status));
		g_free(frame);
		done(arg, ENXIO, NULL, 0);
		return;
	}
	if (buflen < len)
		buflen = len;
	if (suspend_park(pmp, frame, len, buflen, done, arg))
		return;
	preq->preq_buflen = buflen;
	preq->preq_id = reqtab_add(pmp->pmp_reqtab, preq->preq_opclass,
	    preq->preq_optype, buflen, done, arg);
	log_debug("-> %s id %" G_GUINT64_FORMAT " cookie %#" G_GINT64_MODIFIER
	    "x len %zu", frame_opname(preq->preq_opclass, preq->preq_optype),
	    preq->preq_id, preq->preq_cookie, len);
	stats_sent(pmp->pmp_stats, preq->preq_opclass, preq->preq_optype);
	msg_send(pmp, frame, len);
}

/* Send a frame nobody answers (CLOSE, RECLAIM, ABORTOP, ERROR). */
void
msg_faf(struct puffs_mount *pmp, uint8_t *frame, size_t len)
{
	struct puffs_req *preq = (struct puffs_req *)frame;

	if (pmp->pmp_status != PUFFSTAT_RUNNING) {
		g_free(frame);
		return;
	}
	preq->preq_opclass |= PUFFSOPFLAG_FAF;
	preq->preq_id = 0;
	log_debug("-> %s (faf) cookie %#" G_GINT64_MODIFIER "x",
	    frame_opname(preq->preq_opclass, preq->preq_optype),
	    preq->preq_cookie);
	msg_send(pmp, frame, len);
}

/* Tell the server one of its replies was refused (FAF, PUFFSOP_ERROR). */
void
msg_senderr(struct puffs_mount *pmp, int type, int error, uint64_t cookie,
    const char *why)
{
	struct puffs_error *perr;
	uint8_t *frame;

	frame = frame_new(sizeof(*perr), PUFFSOP_ERROR, type, cookie);
	perr = (struct puffs_error *)frame;
	perr->perr_error = error;
	g_strlcpy(perr->perr_str, why, sizeof(perr->perr_str));
	msg_faf(pmp, frame, sizeof(*perr));
}

/*
 * A reply failed validation: log it, notify the server, and return the
 * errno the FUSE caller gets (EPROTO for every kind of bad reply).
 */
int
msg_badreply(struct puffs_mount *pmp, int type, int error, uint64_t cookie,
    const char *fmt, ...)
{
	va_list ap;
	char *why;

	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	log_warnx("bad reply from server (cookie %#" G_GINT64_MODIFIER
	    "x): %s: %s", cookie, why, g_strerror(error));
	msg_senderr(pmp, type, error, cookie, why);
	g_free(why);
	return EPROTO;
}

/*
 * The first look at a reply in a completion: a transport error, an errno
 * out of range (EPROTO and a PUFFS_ERR_ERROR notice) or the server's errno.
 */
int
msg_result(struct puffs_mount *pmp, int error, const uint8_t *frame,
    size_t len)
{
	const struct puffs_req *preq;

	if (error != 0)
		return error;
	if (frame_get_req(frame, len, &preq) != 0)
		return EPROTO;
	if (frame_checkerr(preq->preq_rv) != 0)
		return msg_badreply(pmp, PUFFS_ERR_ERROR, EPROTO,
		    preq->preq_cookie, "%s returned errno %d",
		    frame_opname(preq->preq_opclass, preq->preq_optype),
		    preq->preq_rv);
	return preq->preq_rv;
}

/* Answer a request the server originated: a bare puffs_req. */
void
msg_respond(struct puffs_mount *pmp, const struct puffs_req *in, int rv)
{
	struct puffs_req *preq;
	uint8_t *frame;

	frame = frame_new(sizeof(*preq), in->preq_opclass, in->preq_optype,
	    in->preq_cookie);
	preq = (struct puffs_req *)frame;
	preq->preq_opclass |= PUFFSOPFLAG_ISRESPONSE;
	preq->preq_id = in->preq_id;
	preq->preq_rv = rv;
	msg_send(pmp, frame, sizeof(*preq));
}

static void
msg_reply(struct puffs_mount *pmp, const struct puffs_req *preq,
    const uint8_t *frame, size_t len)
{
	struct reqent *re;

	re = reqtab_take(pmp->pmp_reqtab, preq->preq_id);
	if (re == NULL) {
		log_warnx("reply with unknown id %" G_GUINT64_FORMAT
		    " dropped", preq->preq_id);
		return;
	}
	log_debug("<- %s id %" G_GUINT64_FORMAT " rv %d len %zu",
	    frame_opname(re->re_opclass, re->re_optype), re->re_id,
	    preq->preq_rv, len);
	if (len > re->re_buflen || preq->preq_optype != re->re_optype ||
	    PUFFSOP_OPCLASS(preq->preq_opclass) != re->re_opclass) {
		log_warnx("reply to %s id %" G_GUINT64_FORMAT " does not "
		    "match the request", frame_opname(re->re_opclass,
		    re->re_optype), re->re_id);
		stats_done(pmp->pmp_stats, re->re_opclass, re->re_optype,
		    re->re_start, EPROTO);
		re->re_done(re->re_arg, EPROTO, NULL, 0);
	} else {
		stats_done(pmp->pmp_stats, re->re_opclass, re->re_optype,
		    re->re_start, preq->preq_rv);
		re->re_done(re->re_arg, 0, frame, len);
	}
	g_free(re);
	suspend_check(pmp);
}

/*
 * The server wants Linux to drop cached names or pages.  The hook answers
 * later (from the cache worker); a malformed frame or a mount that is not
 * running is answered here, as NetBSD's puffsop_flush does.
 */
static void
msg_flush(struct puffs_mount *pmp, const struct puffs_req *preq,
    const uint8_t *frame, size_t len)
{
	const struct puffs_flush *pf;
	int error;

	if (frame_get(frame, len, sizeof(*pf), sizeof(*pf),
	    (const void **)&pf) != 0)
		error = EINVAL;
	else if (pmp->pmp_flush == NULL ||
	    pmp->pmp_status != PUFFSTAT_RUNNING)
		error = ENXIO;
	else
		error = pmp->pmp_flush(pmp, pf);
	if (error != 0 && PUFFSOP_WANTREPLY(preq->preq_opclass))
		msg_respond(pmp, preq, error);
}

/* One frame from the server: a reply, or a request of its own. */
void
msg_input(struct puffs_mount *pmp, const uint8_t *frame, size_t len)
{
	const struct puffs_req *preq;

	if (frame_get_req(frame, len, &preq) != 0) {
		log_warnx("frame of %zu bytes from server dropped", len);
		return;
	}
	if (preq->preq_opclass & PUFFSOPFLAG_ISRESPONSE) {
		msg_reply(pmp, preq, frame, len);
		return;
	}
	log_debug("<- server request %s", frame_opname(preq->preq_opclass,
	    preq->preq_optype));
	switch (PUFFSOP_OPCLASS(preq->preq_opclass)) {
	case PUFFSOP_UNMOUNT:
		msg_respond(pmp, preq, 0);
		if (pmp->pmp_srvunmount != NULL)
			pmp->pmp_srvunmount(pmp->pmp_hookarg);
		break;
	case PUFFSOP_FLUSH:
		msg_flush(pmp, preq, frame, len);
		break;
	case PUFFSOP_SUSPEND:
		/* As NetBSD: suspend and resume at once, busy: ignored. */
		if (PUFFSOP_WANTREPLY(preq->preq_opclass))
			msg_respond(pmp, preq, 0);
		if (suspend_start(pmp, true) != 0)
			log_info("server's suspend request ignored: %s",
			    suspend_state_name(pmp->pmp_suspend));
		break;
	default:
		/* Nothing else is relayed. */
		if (PUFFSOP_WANTREPLY(preq->preq_opclass))
			msg_respond(pmp, preq, EOPNOTSUPP);
		break;
	}
}

/*
 * The server is gone (or the unmount was accepted): DYING, and every
 * waiter gets ENXIO.  New requests fail in msg_call.
 */
void
msg_userdead(struct puffs_mount *pmp)
{
	pmp->pmp_status = PUFFSTAT_DYING;
	if (pmp->pmp_reqtab != NULL)
		reqtab_fail_all(pmp->pmp_reqtab, ENXIO);
	suspend_userdead(pmp);
}

/*
 * The request timeout (off unless configured; NetBSD waits forever):
 * every request sent before now - pmp_reqtimeout fails with EIO.  now is
 * g_get_monotonic_time(); the caller ticks (timeout.c).
 */
unsigned int
msg_expire(struct puffs_mount *pmp, int64_t now)
{
	unsigned int n;

	if (pmp->pmp_reqtimeout == 0 || pmp->pmp_reqtab == NULL)
		return 0;
	n = reqtab_expire(pmp->pmp_reqtab,
	    now - (int64_t)pmp->pmp_reqtimeout * G_USEC_PER_SEC, EIO);
	if (n > 0)
		log_warnx("%u request(s) unanswered for %u s: failed with EIO",
		    n, pmp->pmp_reqtimeout);
	return n;
}
