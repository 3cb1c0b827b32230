/*
 * vnlife.c: the node lifecycle FUSE does not have.  NetBSD sends INACTIVE
 * when the last use of a vnode ends; puffsd synthesises it when a node's
 * open handles and in-flight ops drop to zero (at most once per period of
 * use), honouring IAONDEMAND (only after an INACT setback) and ALLOPS.  It
 * is sent with the node held, so RECLAIM cannot overtake it.  Setbacks
 * from OPEN, REMOVE, RMDIR and INACTIVE replies are applied here: INACT
 * marks the node for INACTIVE, NOREF makes Linux drop the node (through
 * cachectl) so that forget, and then RECLAIM, arrive promptly.  Called by
 * vn_rele() and the completions of those ops, from the event loop.
 */
#include "cachectl.h"
#include "log.h"
#include "vnops.h"

/* The mount INACTIVE completions report to (there is one). */
static struct puffs_mount *vn_life_pmp;

/* Is an INACTIVE owed for n now? */
static bool
vn_inactive_owed(struct puffs_mount *pmp, const struct node *n)
{
	uint32_t fl = pmp->pmp_args.pa_flags;

	if (!n->n_used || n->n_inactive || n->n_busy != 0)
		return false;
	if (pmp->pmp_status != PUFFSTAT_RUNNING ||
	    !vfs_hasop(pmp, PUFFS_VN_INACTIVE))
		return false;
	if ((fl & PUFFS_KFLAG_IAONDEMAND) && !(fl & PUFFS_KFLAG_ALLOPS))
		return n->n_doinact;
	return true;
}

static void
vn_inactive_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct node *n = arg;
	struct puffs_mount *pmp = vn_life_pmp;
	const struct puffs_req *preq;

	n->n_inactive = false;
	if (msg_result(pmp, error, frame, len) == 0 &&
	    frame_get_req(frame, len, &preq) == 0)
		vn_setbacks(pmp, preq->preq_setbacks, n, NULL);
	/* This release does not owe another INACTIVE: n_used is clear. */
	vn_rele(pmp, n);
}

/*
 * n's last use just ended: send INACTIVE if owed.  True if it was sent
 * (n stays held until the reply).
 */
bool
vn_inactive(struct puffs_mount *pmp, struct node *n)
{
	struct puffs_vnmsg_inactive *msg;
	uint8_t *frame;

	if (!vn_inactive_owed(pmp, n)) {
		if (n->n_busy == 0 && !n->n_inactive)
			n->n_used = false;
		return false;
	}
	vn_life_pmp = pmp;
	n->n_used = false;
	n->n_doinact = false;
	n->n_inactive = true;
	n->n_busy++;
	frame = frame_new(sizeof(*msg), PUFFSOP_VN, PUFFS_VN_INACTIVE,
	    n->n_cookie);
	msg_call(pmp, frame, sizeof(*msg), sizeof(*msg), vn_inactive_done, n);
	return true;
}

static void
vn_setback1(struct puffs_mount *pmp, struct node *n, bool inact, bool noref)
{
	if (n == NULL)
		return;
	if (inact)
		n->n_doinact = true;
	if (noref && !n->n_root) {
		log_debug("NOREF on cookie %#" G_GINT64_MODIFIER "x",
		    n->n_cookie);
		n->n_noref = true;
		cachectl_drop(pmp, n);
	}
}

/* Apply a reply's setbacks: n1 is the op's node, n2 the target. */
void
vn_setbacks(struct puffs_mount *pmp, uint32_t setbacks, struct node *n1,
    struct node *n2)
{
	vn_setback1(pmp, n1, setbacks & PUFFS_SETBACK_INACT_N1,
	    setbacks & PUFFS_SETBACK_NOREF_N1);
	vn_setback1(pmp, n2, setbacks & PUFFS_SETBACK_INACT_N2,
	    setbacks & PUFFS_SETBACK_NOREF_N2);
}
