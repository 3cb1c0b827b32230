/*
 * vnops_io.c: poll and fallocate.
 *
 * poll mirrors NetBSD's puffs_vnop_poll: events the server already
 * reported for the node (and nobody consumed yet) are answered at once;
 * otherwise POLL goes to the server asynchronously, FUSE gets "nothing
 * yet", and when the server answers (whenever it likes) its events are
 * remembered and Linux is told through fuse_lowlevel_notify_poll to ask
 * again.  A server without POLL is always ready for reading and writing,
 * as genfs_poll says.
 *
 * fallocate: mode 0 is FALLOCATE, PUNCH_HOLE|KEEP_SIZE is FDISCARD, the
 * other modes have no puffs counterpart (EOPNOTSUPP).
 *
 * Called by libfuse through fuse.c's ops table.
 */
#define _GNU_SOURCE		/* FALLOC_FL_* */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "vnops_ext.h"

#define VN_POLL_ALWAYS	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* Server-reported events not yet consumed, by nodeid. */
static GHashTable *vn_revents;

/* A POLL in flight: the handle Linux wants notified. */
struct vnpoll {
	struct puffs_mount	*vp_pmp;
	struct node		*vp_node;	/* held */
	struct fuse_pollhandle	*vp_ph;
};

static uint32_t
vn_revents_take(fuse_ino_t ino, uint32_t events)
{
	gpointer v;
	uint32_t have, got;

	if (vn_revents == NULL ||
	    !g_hash_table_lookup_extended(vn_revents, GSIZE_TO_POINTER(ino),
	    NULL, &v))
		return 0;
	have = GPOINTER_TO_UINT(v);
	got = have & events;
	if ((have & ~got) == 0)
		g_hash_table_remove(vn_revents, GSIZE_TO_POINTER(ino));
	else
		g_hash_table_insert(vn_revents, GSIZE_TO_POINTER(ino),
		    GUINT_TO_POINTER(have & ~got));
	return got;
}

static void
vn_poll_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnpoll *vp = arg;
	const struct puffs_vnmsg_poll *pm;
	gpointer v;
	uint32_t have;

	error = msg_result(vp->vp_pmp, error, frame, len);
	if (error == 0 && frame_get(frame, len, sizeof(*pm),
	    PUFFS_MSG_MAXSIZE, (const void **)&pm) == 0) {
		if (vn_revents == NULL)
			vn_revents = g_hash_table_new(NULL, NULL);
		v = g_hash_table_lookup(vn_revents,
		    GSIZE_TO_POINTER(vp->vp_node->n_nodeid));
		have = GPOINTER_TO_UINT(v) | (uint32_t)pm->pvnr_events;
		g_hash_table_insert(vn_revents,
		    GSIZE_TO_POINTER(vp->vp_node->n_nodeid),
		    GUINT_TO_POINTER(have));
	} else if (error == 0)
		msg_badreply(vp->vp_pmp, PUFFS_ERR_ERROR, EBADMSG,
		    vp->vp_node->n_cookie, "short POLL reply");
	/* Ask Linux to poll again, also on error: it then sees POLLERR. */
	if (vp->vp_ph != NULL && vp->vp_pmp->pmp_status == PUFFSTAT_RUNNING) {
		if (error != 0 && vn_revents != NULL)
			g_hash_table_insert(vn_revents,
			    GSIZE_TO_POINTER(vp->vp_node->n_nodeid),
			    GUINT_TO_POINTER(POLLERR));
		fuse_lowlevel_notify_poll(vp->vp_ph);
	}
	if (vp->vp_ph != NULL)
		fuse_pollhandle_destroy(vp->vp_ph);
	vn_rele(vp->vp_pmp, vp->vp_node);
	g_free(vp);
}

void
vn_op_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
    struct fuse_pollhandle *ph)
{
	struct vnop *op = vn_new(req);
	struct puffs_vnmsg_poll *msg;
	struct vnpoll *vp;
	uint8_t *frame;
	uint32_t events = fi->poll_events, got;

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		if (ph != NULL)
			fuse_pollhandle_destroy(ph);
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_POLL)) {
		if (ph != NULL)
			fuse_pollhandle_destroy(ph);
		fuse_reply_poll(req, events & VN_POLL_ALWAYS);
		vn_end(op);
		return;
	}
	if ((got = vn_revents_take(ino, events | POLLERR | POLLHUP)) != 0) {
		if (ph != NULL)
			fuse_pollhandle_destroy(ph);
		fuse_reply_poll(req, got);
		vn_end(op);
		return;
	}
	vp = g_new0(struct vnpoll, 1);
	vp->vp_pmp = op->op_pmp;
	vp->vp_node = op->op_node;
	vp->vp_ph = ph;
	nodetab_hold(vp->vp_node);
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_POLL, op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_poll *)frame;
	msg->pvnr_events = events;
	fuse_reply_poll(req, 0);
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg), vn_poll_done,
	    vp);
	vn_end(op);
}

/* ---- statfs: a server without f_namemax is asked PATHCONF ---- */

static void
vn_pathconf_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const struct puffs_vnmsg_pathconf *pc;
	struct statvfs *st = (struct statvfs *)op->op_data;

	if (msg_result(op->op_pmp, error, frame, len) == 0 &&
	    frame_get(frame, len, sizeof(*pc), PUFFS_MSG_MAXSIZE,
	    (const void **)&pc) == 0 && pc->pvnr_retval > 0 &&
	    pc->pvnr_retval <= 255)
		st->f_namemax = (unsigned long)pc->pvnr_retval;
	fuse_reply_statfs(op->op_req, st);
	vn_end(op);
}

/*
 * The statvfs reply gave no f_namemax: Linux's pathconf(_PC_NAME_MAX)
 * reads it from statfs, so ask the root the way NetBSD's pathconf(2)
 * would (the wire carries Linux's _PC_* numbers).
 */
void
vn_statfs_namemax(struct vnop *op, const struct statvfs *st)
{
	struct puffs_vnmsg_pathconf *msg;
	struct node *root;
	uint8_t *frame;

	op->op_data = g_memdup2(st, sizeof(*st));
	root = nodetab_byid(op->op_pmp->pmp_nodetab, FUSE_ROOT_ID);
	if (root == NULL || !vfs_hasop(op->op_pmp, PUFFS_VN_PATHCONF)) {
		fuse_reply_statfs(op->op_req, st);
		vn_end(op);
		return;
	}
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_PATHCONF, root->n_cookie);
	msg = (struct puffs_vnmsg_pathconf *)frame;
	msg->pvnr_name = _PC_NAME_MAX;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg),
	    vn_pathconf_done, op);
}

/* ---- fallocate ---- */

static void
vn_fallocate_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	error = msg_result(op->op_pmp, error, frame, len);
	/* NetBSD: a server's EAGAIN is no answer to a caller. */
	vn_fail(op, error == EAGAIN ? EIO : error);
}

void
vn_op_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t off,
    off_t len, struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);
	struct puffs_vnmsg_fallocate *msg;
	uint8_t *frame;
	int optype;

	(void)fi;
	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (mode == 0)
		optype = PUFFS_VN_FALLOCATE;
	else if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE))
		optype = PUFFS_VN_FDISCARD;
	else {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	if (!vfs_hasop(op->op_pmp, optype)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	frame = vn_frame(op, sizeof(*msg), optype, op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_fallocate *)frame;
	msg->pvnr_off = off;
	msg->pvnr_len = len;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg),
	    vn_fallocate_done, op);
}
