/*
 * vnintr.c: FUSE interrupts (ARCHITECTURE decision 8).  puffs has no
 * cancel message.  If the interrupted request's frame is still in puffsd's
 * send queue it is taken back and the server never sees it; otherwise the
 * caller gets EINTR at once and the server's late reply is only accounted
 * for: a node it hands out is counted (and given back with RECLAIM when
 * Linux never heard of it), a file it opened is closed, a lock it granted
 * is released.  Called by libfuse (vn_new registers vn_interrupt for every
 * op), always from the event loop.
 */
#include <errno.h>

#include "log.h"
#include "vnops.h"

/* A node-making reply the caller will never see: count it, hold it. */
static void
vn_late_node(struct vnop *op, uint64_t cookie, uint32_t vtype, bool mustnew)
{
	struct puffs_mount *pmp = op->op_pmp;
	struct node *n;

	if (cookie == 0 || vtype <= PUFFS_VNON || vtype >= PUFFS_VBAD)
		return;
	if (op->op_dir != NULL && cookie == op->op_dir->n_cookie)
		return;
	n = nodetab_bycookie(pmp->pmp_nodetab, cookie);
	if (mustnew && n != NULL)
		return;		/* a bad reply; nothing was handed out */
	if (op->op_nheld >= VN_MAXHELD)
		return;
	n = nodetab_enter(pmp->pmp_nodetab, cookie, vtype);
	/* vn_end's release reclaims it if Linux holds no entry for it. */
	vn_hold(op, n);
	log_debug("late reply: cookie %#" G_GINT64_MODIFIER "x counted",
	    cookie);
}

/* A lock granted to a caller that is gone: give it back. */
static void
vn_late_unlock(struct vnop *op, const uint8_t *frame, size_t len)
{
	const struct puffs_vnmsg_advlock *lk;
	struct puffs_vnmsg_advlock *msg;
	uint8_t *nframe;

	if (len < sizeof(*lk))
		return;
	lk = (const struct puffs_vnmsg_advlock *)frame;
	if (lk->pvnr_op != F_SETLK || lk->pvnr_fl.l_type == F_UNLCK)
		return;
	nframe = frame_new(sizeof(*msg), PUFFSOP_VN, PUFFS_VN_ADVLOCK,
	    lk->pvn_pr.preq_cookie);
	msg = (struct puffs_vnmsg_advlock *)nframe;
	msg->pvnr_fl = lk->pvnr_fl;
	msg->pvnr_fl.l_type = F_UNLCK;
	msg->pvnr_id = lk->pvnr_id;
	msg->pvnr_op = F_UNLCK;
	msg->pvnr_flags = lk->pvnr_flags & ~PUFFS_ADVLOCK_WAIT;
	msg_faf(op->op_pmp, nframe, sizeof(*msg));
}

/* What the late reply did on the server, undone or accounted. */
static void
vn_late_account(struct vnop *op, const uint8_t *frame, size_t len)
{
	const struct puffs_req *preq = (const struct puffs_req *)frame;
	const struct puffs_vnmsg_lookup *lk;
	const struct puffs_vnmsg_create *cr;
	const struct puffs_vnmsg_symlink *sl;

	if (PUFFSOP_OPCLASS(preq->preq_opclass) != PUFFSOP_VN ||
	    preq->preq_rv != 0)
		return;
	switch (preq->preq_optype) {
	case PUFFS_VN_LOOKUP:
		if (frame_get_lookup(frame, len, &lk) == 0 &&
		    lk->pvnr_cn.pkcn_consume == 0 && lk->pvnr_size >= 0)
			vn_late_node(op, lk->pvnr_newnode, lk->pvnr_vtype,
			    false);
		break;
	case PUFFS_VN_CREATE:
	case PUFFS_VN_MKNOD:
	case PUFFS_VN_MKDIR:
		if (frame_get_create(frame, len, &cr) == 0 &&
		    cr->pvnr_newnode != op->op_pmp->pmp_args.pa_root_cookie)
			vn_late_node(op, cr->pvnr_newnode,
			    vattr_vtype(op->op_mode), true);
		break;
	case PUFFS_VN_SYMLINK:
		if (frame_get_symlink(frame, len, &sl) == 0 &&
		    sl->pvnr_newnode != op->op_pmp->pmp_args.pa_root_cookie)
			vn_late_node(op, sl->pvnr_newnode, PUFFS_VLNK, true);
		break;
	case PUFFS_VN_OPEN:
		if (op->op_fh != NULL && !vn_fh_isopen(op->op_fh)) {
			/* Register it, then CLOSE it as a release would. */
			nodetab_hold(op->op_fh->fh_node);
			vn_fh_adopt(op->op_fh);
			vn_fh_free(op->op_pmp, op->op_fh);
			op->op_fh = NULL;
		}
		break;
	case PUFFS_VN_ADVLOCK:
		vn_late_unlock(op, frame, len);
		break;
	}
}

/* The op whose caller is gone: drop what it owns. */
static void
vn_intr_end(struct vnop *op)
{
	if (op->op_fh != NULL && !vn_fh_isopen(op->op_fh))
		g_free(op->op_fh);
	op->op_fh = NULL;
	vn_end(op);
}

/* The completion of an interrupted request: account, never answer. */
static void
vn_late(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const struct puffs_req *preq;

	if (error == 0 && frame_get_req(frame, len, &preq) == 0 &&
	    frame_checkerr(preq->preq_rv) == 0)
		vn_late_account(op, frame, len);
	vn_intr_end(op);
}

void
vn_interrupt(fuse_req_t req, void *arg)
{
	struct vnop *op = arg;
	struct puffs_mount *pmp = op->op_pmp;
	struct reqent *re;

	re = reqtab_byarg(pmp->pmp_reqtab, op);
	if (re == NULL)
		return;		/* not waiting on the server: it finishes */
	log_debug("interrupt: %s id %" G_GUINT64_FORMAT,
	    frame_opname(re->re_opclass, re->re_optype), re->re_id);
	if (pmp->pmp_unqueue != NULL &&
	    pmp->pmp_unqueue(pmp->pmp_sendarg, re->re_id)) {
		/* The server never saw it (NetBSD's ONQUEUE1 case). */
		re = reqtab_take(pmp->pmp_reqtab, re->re_id);
		g_free(re);
		fuse_reply_err(req, EINTR);
		vn_intr_end(op);
		return;
	}
	re->re_done = vn_late;
	fuse_reply_err(req, EINTR);
}
