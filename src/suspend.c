/*
 * suspend.c: the suspension of a mount (see suspend.h).  The order of
 * what the server sees is NetBSD's: START before anything the flush
 * produces, SUSPENDED (or ERROR) once everything dirty was delivered, and
 * RESUME before the parked requests, which go out in the order they came.
 * The requests already in flight when the suspension starts are waited
 * for (the drain); while the flush runs, the writes it produces pass the
 * gate, as NetBSD's pageflush did.
 */
#include <errno.h>

#include <glib.h>

#include "log.h"
#include "msg.h"
#include "suspend.h"

struct parked {
	uint8_t		*pk_frame;
	size_t		 pk_len;
	uint64_t	 pk_buflen;
	msg_done_fn	 pk_done;
	void		*pk_arg;
};

const char *
suspend_state_name(enum suspend_state st)
{
	switch (st) {
	case SUSPEND_NORMAL:
		return "NORMAL";
	case SUSPEND_SUSPENDING:
		return "SUSPENDING";
	case SUSPEND_SUSPENDED:
		return "SUSPENDED";
	}
	return "?";
}

static const char *
suspend_notice_name(int status)
{
	switch (status) {
	case PUFFS_SUSPEND_START:
		return "START";
	case PUFFS_SUSPEND_SUSPENDED:
		return "SUSPENDED";
	case PUFFS_SUSPEND_RESUME:
		return "RESUME";
	case PUFFS_SUSPEND_ERROR:
		return "ERROR";
	}
	return "?";
}

/* A VFS SUSPEND notice for the server's fs_suspend callback (FAF). */
static void
suspend_notice(struct puffs_mount *pmp, int status)
{
	struct puffs_vfsmsg_suspend *msg;
	uint8_t *frame;

	log_debug("suspend notice %s", suspend_notice_name(status));
	frame = frame_new(sizeof(*msg), PUFFSOP_VFS, PUFFS_VFS_SUSPEND, 0);
	msg = (struct puffs_vfsmsg_suspend *)frame;
	msg->pvfsr_status = status;
	msg_faf(pmp, frame, sizeof(*msg));
}

static void
suspend_setstate(struct puffs_mount *pmp, enum suspend_state st, int error)
{
	pmp->pmp_suspend = st;
	if (pmp->pmp_suspendchg != NULL)
		pmp->pmp_suspendchg(pmp->pmp_hookarg, st, error);
}

/* Send the parked requests, oldest first, through msg_call again. */
static void
suspend_release(struct puffs_mount *pmp)
{
	struct parked *pk;

	while ((pk = g_queue_pop_head(&pmp->pmp_parked)) != NULL) {
		msg_call(pmp, pk->pk_frame, pk->pk_len, pk->pk_buflen,
		    pk->pk_done, pk->pk_arg);
		g_free(pk);
	}
}

/*
 * Begin a suspension: 0, EBUSY if one is under way or in force, ENXIO
 * unless RUNNING.  With autoresume (the server's puffs_fs_suspend) the
 * mount resumes as soon as it is SUSPENDED: a consistency point.
 */
int
suspend_start(struct puffs_mount *pmp, bool autoresume)
{
	if (pmp->pmp_status != PUFFSTAT_RUNNING)
		return ENXIO;
	if (pmp->pmp_suspend != SUSPEND_NORMAL)
		return EBUSY;
	log_info("suspending %s", pmp->pmp_mntpoint);
	pmp->pmp_autoresume = autoresume;
	pmp->pmp_flushing = false;
	suspend_notice(pmp, PUFFS_SUSPEND_START);
	suspend_setstate(pmp, SUSPEND_SUSPENDING, 0);
	suspend_check(pmp);
	return 0;
}

/*
 * Called after every reply: once nothing is in flight any more, start
 * the flush (the pmp_suspendflush hook, which calls suspend_flushed when done;
 * without a hook there is nothing to flush).
 */
void
suspend_check(struct puffs_mount *pmp)
{
	if (pmp->pmp_suspend != SUSPEND_SUSPENDING || pmp->pmp_flushing ||
	    reqtab_count(pmp->pmp_reqtab) != 0)
		return;
	pmp->pmp_flushing = true;
	log_debug("suspend: drained, flushing");
	if (pmp->pmp_suspendflush != NULL)
		pmp->pmp_suspendflush(pmp->pmp_hookarg);
	else
		suspend_flushed(pmp, 0);
}

/* The flush ended: SUSPENDED, or ERROR and back to NORMAL. */
void
suspend_flushed(struct puffs_mount *pmp, int error)
{
	if (pmp->pmp_suspend != SUSPEND_SUSPENDING || !pmp->pmp_flushing)
		return;
	pmp->pmp_flushing = false;
	if (error != 0) {
		log_warnx("suspend of %s failed: flush: %s",
		    pmp->pmp_mntpoint, g_strerror(error));
		suspend_notice(pmp, PUFFS_SUSPEND_ERROR);
		suspend_setstate(pmp, SUSPEND_NORMAL, error);
		suspend_release(pmp);
		return;
	}
	suspend_notice(pmp, PUFFS_SUSPEND_SUSPENDED);
	log_info("%s suspended", pmp->pmp_mntpoint);
	suspend_setstate(pmp, SUSPEND_SUSPENDED, 0);
	if (pmp->pmp_autoresume)
		suspend_resume(pmp);
}

/*
 * Give up a suspension that is not complete (its time limit ran out while
 * requests in flight never drained, or the flush never ended): ERROR, then
 * NORMAL and the parked requests.  EINVAL unless SUSPENDING.
 */
int
suspend_abort(struct puffs_mount *pmp, int error)
{
	if (pmp->pmp_suspend != SUSPEND_SUSPENDING)
		return EINVAL;
	log_warnx("suspend of %s abandoned: %s", pmp->pmp_mntpoint,
	    g_strerror(error));
	pmp->pmp_flushing = false;
	pmp->pmp_autoresume = false;
	suspend_notice(pmp, PUFFS_SUSPEND_ERROR);
	suspend_setstate(pmp, SUSPEND_NORMAL, error);
	suspend_release(pmp);
	return 0;
}

/*
 * End a suspension: RESUME, then the parked requests in order.  EINVAL
 * when not suspended; while still SUSPENDING the resume is remembered
 * and happens as soon as the suspension completes.
 */
int
suspend_resume(struct puffs_mount *pmp)
{
	switch (pmp->pmp_suspend) {
	case SUSPEND_NORMAL:
		return EINVAL;
	case SUSPEND_SUSPENDING:
		pmp->pmp_autoresume = true;
		return 0;
	case SUSPEND_SUSPENDED:
		break;
	}
	log_info("resuming %s (%u parked requests)", pmp->pmp_mntpoint,
	    g_queue_get_length(&pmp->pmp_parked));
	suspend_notice(pmp, PUFFS_SUSPEND_RESUME);
	pmp->pmp_autoresume = false;
	suspend_setstate(pmp, SUSPEND_NORMAL, 0);
	suspend_release(pmp);
	return 0;
}

/*
 * What a flush produces passes the gate: the writes and attribute pushes
 * of the kernel's writeback, and whatever the flush thread itself asks.
 */
static bool
suspend_flushop(const struct puffs_mount *pmp, const struct puffs_req *preq)
{
	gint flushpid = g_atomic_int_get(&pmp->pmp_flushpid);

	if (flushpid != 0 && preq->preq_pid == flushpid)
		return true;
	if (PUFFSOP_OPCLASS(preq->preq_opclass) != PUFFSOP_VN)
		return false;
	return preq->preq_optype == PUFFS_VN_WRITE ||
	    preq->preq_optype == PUFFS_VN_SETATTR ||
	    preq->preq_optype == PUFFS_VN_FSYNC;
}

/*
 * The gate, called by msg_call for every answered request: true if the
 * request was parked (the frame and the completion are ours until it is
 * released or failed), false if it may go.
 */
bool
suspend_park(struct puffs_mount *pmp, uint8_t *frame, size_t len,
    uint64_t buflen, msg_done_fn done, void *arg)
{
	struct parked *pk;

	if (pmp->pmp_suspend == SUSPEND_NORMAL)
		return false;
	if (pmp->pmp_flushing &&
	    suspend_flushop(pmp, (const struct puffs_req *)frame))
		return false;
	pk = g_new0(struct parked, 1);
	pk->pk_frame = frame;
	pk->pk_len = len;
	pk->pk_buflen = buflen;
	pk->pk_done = done;
	pk->pk_arg = arg;
	g_queue_push_tail(&pmp->pmp_parked, pk);
	log_debug("%s parked (mount %s)", frame_opname(
	    ((struct puffs_req *)frame)->preq_opclass,
	    ((struct puffs_req *)frame)->preq_optype),
	    suspend_state_name(pmp->pmp_suspend));
	return true;
}

/* The mount is dying: every parked request fails with ENXIO. */
void
suspend_userdead(struct puffs_mount *pmp)
{
	struct parked *pk;

	pmp->pmp_flushing = false;
	if (pmp->pmp_suspend != SUSPEND_NORMAL)
		suspend_setstate(pmp, SUSPEND_NORMAL, ENXIO);
	while ((pk = g_queue_pop_head(&pmp->pmp_parked)) != NULL) {
		g_free(pk->pk_frame);
		pk->pk_done(pk->pk_arg, ENXIO, NULL, 0);
		g_free(pk);
	}
}

unsigned int
suspend_nparked(const struct puffs_mount *pmp)
{
	return g_queue_get_length((GQueue *)&pmp->pmp_parked);
}
