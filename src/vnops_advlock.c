/*
 * vnops_advlock.c: POSIX (fcntl) and flock locks as puffs ADVLOCK.  Linux
 * relays locks to us only when fuse.c enabled POSIX_LOCKS/FLOCK_LOCKS,
 * which it does only for servers that implement ADVLOCK; otherwise Linux
 * keeps the locks itself, as NetBSD's lf_advlock does for such servers.
 *
 * A blocking request (F_SETLKW, flock without LOCK_NB) is sent with
 * F_WAIT and is just another request in flight: the daemon never waits.
 * A server that cannot sleep in a request (libpuffs without continuations
 * running in one thread) answers a conflicting F_WAIT request with EAGAIN;
 * puffsd then parks the FUSE request and sends it again whenever a lock on
 * that node is released through this mount (unlock, close, flock release),
 * as NetBSD's kernel re-tests a sleeping lock at each unlock.  A parked
 * request is answered EINTR when its caller is signalled.
 *
 * Open file description (OFD) locks: Linux gives them the open file as
 * owner and, unlike POSIX locks, sends no FLUSH naming that owner, and its
 * RELEASE names a lock owner only for flock.  NetBSD has no OFD locks, so
 * nothing in puffs drops them either.  puffsd therefore remembers, per open
 * handle, the owners granted a lock through it; a FLUSH of the handle
 * names (and unlocks) the POSIX ones, so those left at RELEASE are the
 * OFD owners, and puffsd unlocks them there, as Linux does at the last
 * close.
 *
 * Called by libfuse through fuse.c's ops table, and by vnops.c's release.
 */
#include <errno.h>
#include <string.h>
#include <sys/file.h>

#include "log.h"
#include "vnops_ext.h"
#include "xlate.h"

/* The parked blocking lock requests, in arrival order. */
static GQueue vn_advlock_waiters = G_QUEUE_INIT;

/*
 * Counts the releases (vn_advlock_wake calls).  A blocking request whose
 * EAGAIN comes back after a release it did not see (the release came
 * while the request was at the server) is sent again at once: parked, it
 * would wait for a release that already happened.
 */
static uint64_t vn_advlock_gen;

/*
 * (node, owner) pairs that were granted a POSIX lock: a close only costs
 * an unlock round trip for those, as NetBSD's closef only unlocks for
 * processes that used advisory locks.
 */
struct vnadvowner {
	fuse_ino_t	lo_ino;
	uint64_t	lo_owner;
};
static GHashTable *vn_advlock_owners;

static guint
vn_advlock_owner_hash(gconstpointer p)
{
	const struct vnadvowner *lo = p;

	return (guint)(lo->lo_ino * 0x9e3779b1u) ^ (guint)lo->lo_owner ^
	    (guint)(lo->lo_owner >> 32);
}

static gboolean
vn_advlock_owner_equal(gconstpointer a, gconstpointer b)
{
	const struct vnadvowner *x = a, *y = b;

	return x->lo_ino == y->lo_ino && x->lo_owner == y->lo_owner;
}

/* Remember (or, with add false, forget) that owner locked on ino. */
static bool
vn_advlock_owner(fuse_ino_t ino, uint64_t owner, bool add, bool remove)
{
	struct vnadvowner key = { ino, owner }, *lo;

	if (vn_advlock_owners == NULL)
		vn_advlock_owners = g_hash_table_new_full(vn_advlock_owner_hash,
		    vn_advlock_owner_equal, g_free, NULL);
	if (add && !g_hash_table_contains(vn_advlock_owners, &key)) {
		lo = g_new(struct vnadvowner, 1);
		*lo = key;
		g_hash_table_add(vn_advlock_owners, lo);
		return true;
	}
	if (remove)
		return g_hash_table_remove(vn_advlock_owners, &key);
	return g_hash_table_contains(vn_advlock_owners, &key);
}

/* fi->fh -> GArray of the owners granted a lock through that handle. */
static GHashTable *vn_advlock_fhowners;

/* Note (add) or forget that owner locked through handle fh. */
static void
vn_advlock_fhowner(uint64_t fh, uint64_t owner, bool add)
{
	gpointer key = (gpointer)(uintptr_t)fh;
	GArray *owners;
	guint i;

	if (vn_advlock_fhowners == NULL)
		vn_advlock_fhowners = g_hash_table_new_full(g_direct_hash,
		    g_direct_equal, NULL, (GDestroyNotify)g_array_unref);
	if ((owners = g_hash_table_lookup(vn_advlock_fhowners, key)) == NULL) {
		if (!add)
			return;
		owners = g_array_new(FALSE, FALSE, sizeof(uint64_t));
		g_hash_table_insert(vn_advlock_fhowners, key, owners);
	}
	for (i = 0; i < owners->len; i++)
		if (g_array_index(owners, uint64_t, i) == owner)
			break;
	if (add && i == owners->len)
		g_array_append_val(owners, owner);
	else if (!add && i < owners->len)
		g_array_remove_index_fast(owners, i);
}

static void vn_advlock_send(struct vnop *);

/* Put a lock in op, to be sent by vn_advlock_send. */
static void
vn_advlock_set(struct vnop *op, const struct flock *fl, uint64_t owner,
    int lkop, int flags)
{
	xlate_flock_out(fl, (struct puffs_kflock *)op->op_data);
	op->op_off = (off_t)owner;
	op->op_optype = lkop;
	op->op_ioflag = flags;
}

static struct vnop *
vn_advlock_begin(fuse_req_t req, fuse_ino_t ino)
{
	struct vnop *op = vn_new(req);

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return NULL;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_ADVLOCK)) {
		vn_fail(op, ENOLCK);
		return NULL;
	}
	op->op_data = g_malloc0(sizeof(struct puffs_kflock));
	return op;
}

/* ---- waiting ---- */

static void
vn_advlock_intr(fuse_req_t req, void *arg)
{
	struct vnop *op = arg;

	(void)req;
	g_queue_remove(&vn_advlock_waiters, op);
	vn_fail(op, EINTR);
}

/* The server said "would block" to an F_WAIT request: park it. */
static void
vn_advlock_park(struct vnop *op)
{
	if (fuse_req_interrupted(op->op_req)) {
		vn_fail(op, EINTR);
		return;
	}
	g_queue_push_tail(&vn_advlock_waiters, op);
	/* Not interrupted yet, so the callback cannot run from in here. */
	fuse_req_interrupt_func(op->op_req, vn_advlock_intr, op);
}

/* A lock on n was released: send its parked requests again. */
static void
vn_advlock_wake(struct node *n)
{
	GList *l, *next;
	struct vnop *op;

	vn_advlock_gen++;
	for (l = vn_advlock_waiters.head; l != NULL; l = next) {
		next = l->next;
		op = l->data;
		if (op->op_node != n)
			continue;
		g_queue_delete_link(&vn_advlock_waiters, l);
		/* In flight again: an interrupt is vnintr.c's from here on. */
		fuse_req_interrupt_func(op->op_req, vn_interrupt, op);
		vn_advlock_send(op);
	}
}

/* ---- ADVLOCK ---- */

static void
vn_advlock_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const struct puffs_vnmsg_advlock *al;
	struct flock fl;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		if ((error == EAGAIN || error == EWOULDBLOCK) &&
		    (op->op_ioflag & PUFFS_ADVLOCK_WAIT)) {
			if (op->op_lockgen != vn_advlock_gen)
				vn_advlock_send(op);
			else
				vn_advlock_park(op);
			return;
		}
		vn_fail(op, error);
		return;
	}
	if (op->op_optype == F_SETLK && (op->op_ioflag & PUFFS_ADVLOCK_POSIX)) {
		vn_advlock_owner(op->op_node->n_nodeid, (uint64_t)op->op_off,
		    true, false);
		vn_advlock_fhowner(op->op_lockfh, (uint64_t)op->op_off, true);
	}
	/* An unlock, or a lock that replaced one, may let a waiter in. */
	if (op->op_optype != F_GETLK)
		vn_advlock_wake(op->op_node);
	if (op->op_optype != F_GETLK) {
		vn_fail(op, 0);
		return;
	}
	if (frame_get(frame, len, sizeof(*al), PUFFS_MSG_MAXSIZE,
	    (const void **)&al) != 0 ||
	    xlate_flock_check(&al->pvnr_fl) != 0) {
		vn_fail(op, msg_badreply(op->op_pmp, PUFFS_ERR_ERROR, EPROTO,
		    op->op_node->n_cookie, "bad ADVLOCK(F_GETLK) reply"));
		return;
	}
	xlate_flock_in(&al->pvnr_fl, &fl);
	fuse_reply_lock(op->op_req, &fl);
	vn_end(op);
}

static void
vn_advlock_send(struct vnop *op)
{
	struct puffs_vnmsg_advlock *msg;
	uint8_t *frame;

	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_ADVLOCK,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_advlock *)frame;
	memcpy(&msg->pvnr_fl, op->op_data, sizeof(msg->pvnr_fl));
	msg->pvnr_id = (uint64_t)op->op_off;
	msg->pvnr_op = op->op_optype;
	msg->pvnr_flags = op->op_ioflag;
	op->op_lockgen = vn_advlock_gen;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg),
	    vn_advlock_done, op);
}

void
vn_op_getlk(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
    struct flock *lock)
{
	struct vnop *op;

	if ((op = vn_advlock_begin(req, ino)) == NULL)
		return;
	vn_advlock_set(op, lock, fi->lock_owner, F_GETLK, PUFFS_ADVLOCK_POSIX);
	vn_advlock_send(op);
}

void
vn_op_setlk(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
    struct flock *lock, int sleep)
{
	struct vnop *op;
	int lkop = lock->l_type == F_UNLCK ? F_UNLCK : F_SETLK;

	if ((op = vn_advlock_begin(req, ino)) == NULL)
		return;
	vn_advlock_set(op, lock, fi->lock_owner, lkop, PUFFS_ADVLOCK_POSIX |
	    (sleep && lkop == F_SETLK ? PUFFS_ADVLOCK_WAIT : 0));
	op->op_lockfh = fi->fh;
	vn_advlock_send(op);
}

/* flock(2): the whole file, owned by the open file description. */
void
vn_op_flock(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
    int how)
{
	struct vnop *op;
	struct flock fl;
	int lkop;

	if ((op = vn_advlock_begin(req, ino)) == NULL)
		return;
	memset(&fl, 0, sizeof(fl));
	fl.l_whence = SEEK_SET;
	switch (how & ~LOCK_NB) {
	case LOCK_SH:
		fl.l_type = F_RDLCK;
		break;
	case LOCK_EX:
		fl.l_type = F_WRLCK;
		break;
	case LOCK_UN:
		fl.l_type = F_UNLCK;
		break;
	default:
		vn_fail(op, EINVAL);
		return;
	}
	lkop = fl.l_type == F_UNLCK ? F_UNLCK : F_SETLK;
	fl.l_pid = op->op_pid;
	vn_advlock_set(op, &fl, fi->lock_owner, lkop, PUFFS_ADVLOCK_FLOCK |
	    ((how & LOCK_NB) || lkop == F_UNLCK ? 0 : PUFFS_ADVLOCK_WAIT));
	vn_advlock_send(op);
}

/*
 * flush: a descriptor was closed.  NetBSD's closef drops the closing
 * process' POSIX locks on the file; nothing else is flushed (puffs has
 * no per-descriptor close).
 */
void
vn_op_flush_locks(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);
	struct flock fl;

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	/* A POSIX owner: unlocked here, not at RELEASE. */
	vn_advlock_fhowner(fi->fh, fi->lock_owner, false);
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_ADVLOCK) ||
	    !vn_advlock_owner(ino, fi->lock_owner, false, true)) {
		vn_fail(op, 0);
		return;
	}
	op->op_data = g_malloc0(sizeof(struct puffs_kflock));
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_UNLCK;
	fl.l_whence = SEEK_SET;
	fl.l_pid = op->op_pid;
	vn_advlock_set(op, &fl, fi->lock_owner, F_UNLCK, PUFFS_ADVLOCK_POSIX);
	vn_advlock_send(op);
}

/* The session is over: answer every parked request. */
void
vn_advlock_drain(void)
{
	struct vnop *op;

	while ((op = g_queue_pop_head(&vn_advlock_waiters)) != NULL) {
		fuse_req_interrupt_func(op->op_req, NULL, NULL);
		vn_fail(op, ENXIO);
	}
	if (vn_advlock_owners != NULL) {
		g_hash_table_destroy(vn_advlock_owners);
		vn_advlock_owners = NULL;
	}
	if (vn_advlock_fhowners != NULL) {
		g_hash_table_destroy(vn_advlock_fhowners);
		vn_advlock_fhowners = NULL;
	}
}

/* Drop owner's locks of kind flags (FLOCK or POSIX) on n: FAF. */
static void
vn_advlock_unlock_faf(struct puffs_mount *pmp, struct node *n,
    uint64_t owner, int flags)
{
	struct puffs_vnmsg_advlock *msg;
	uint8_t *frame;

	frame = frame_new(sizeof(*msg), PUFFSOP_VN, PUFFS_VN_ADVLOCK,
	    n->n_cookie);
	msg = (struct puffs_vnmsg_advlock *)frame;
	msg->pvnr_fl.l_type = F_UNLCK;
	msg->pvnr_fl.l_whence = SEEK_SET;
	msg->pvnr_id = owner;
	msg->pvnr_op = F_UNLCK;
	msg->pvnr_flags = flags;
	msg_faf(pmp, frame, sizeof(*msg));
}

/*
 * release: drop the flock locks of the file (Linux says so in
 * flock_release) and the OFD locks taken through it (the owners no FLUSH
 * named), FAF and ahead of the CLOSE; then let the waiters try again.
 */
void
vn_advlock_release(struct puffs_mount *pmp, struct node *n,
    struct fuse_file_info *fi)
{
	gpointer key = (gpointer)(uintptr_t)fi->fh;
	GArray *owners = NULL;
	bool woke = false;
	uint64_t owner;
	guint i;

	if (vn_advlock_fhowners != NULL)
		owners = g_hash_table_lookup(vn_advlock_fhowners, key);
	if (!vfs_hasop(pmp, PUFFS_VN_ADVLOCK)) {
		if (owners != NULL)
			g_hash_table_remove(vn_advlock_fhowners, key);
		return;
	}
	if (fi->flock_release) {
		vn_advlock_unlock_faf(pmp, n, fi->lock_owner,
		    PUFFS_ADVLOCK_FLOCK);
		woke = true;
	}
	for (i = 0; owners != NULL && i < owners->len; i++) {
		owner = g_array_index(owners, uint64_t, i);
		vn_advlock_unlock_faf(pmp, n, owner, PUFFS_ADVLOCK_POSIX);
		vn_advlock_owner(n->n_nodeid, owner, false, true);
		woke = true;
	}
	if (owners != NULL)
		g_hash_table_remove(vn_advlock_fhowners, key);
	if (woke)
		vn_advlock_wake(n);
}
