/*
 * vnops.c: the op context shared by every FUSE callback, and the callbacks
 * that act on one node: lookup, forget, getattr, setattr, readlink, open,
 * read, write, flush, release, fsync, statfs, access.  Called by libfuse
 * through fuse.c's ops table, always from the event loop.
 */
#define _GNU_SOURCE		/* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include "cachectl.h"
#include "log.h"
#include "validate.h"
#include "vnlock.h"
#include "vnops.h"
#include "vnops_ext.h"
#include "xlate.h"

/* Linux's __FMODE_EXEC (include/linux/fs.h): an open for execve. */
#define VN_FMODE_EXEC	040

static void vn_notemode(struct vnop *, struct node *, uint32_t);

/* Open handles, so that those Linux never released are freed at exit. */
static GHashTable *vn_fhs;

struct vnop *
vn_new(fuse_req_t req)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct vnop *op = g_new0(struct vnop, 1);
	gid_t groups[PUFFS_NGROUPS];
	int i, n;

	op->op_req = req;
	op->op_pmp = fuse_req_userdata(req);
	op->op_pid = ctx->pid;
	op->op_cred.pkcr_type = PUFFCRED_TYPE_UUC;
	op->op_cred.pkcr_uid = ctx->uid;
	op->op_cred.pkcr_gid = ctx->gid;
	n = fuse_req_getgroups(req, PUFFS_NGROUPS, groups);
	for (i = 0; i < n && i < PUFFS_NGROUPS; i++)
		op->op_cred.pkcr_groups[i] = groups[i];
	op->op_cred.pkcr_ngroups = i;
	op->op_ettl = cachectl_entry_ttl(op->op_pmp, NULL);
	op->op_attl = cachectl_attr_ttl(op->op_pmp, NULL);
	fuse_req_interrupt_func(req, vn_interrupt, op);
	return op;
}

/* The node for a FUSE id, held for the op; NULL if Linux named a stale id. */
struct node *
vn_node(struct vnop *op, fuse_ino_t ino)
{
	struct node *n = nodetab_byid(op->op_pmp->pmp_nodetab, ino);

	if (n != NULL)
		vn_hold(op, n);
	return n;
}

void
vn_hold(struct vnop *op, struct node *n)
{
	g_assert(op->op_nheld < VN_MAXHELD);
	nodetab_hold(n);
	op->op_held[op->op_nheld++] = n;
}

/* ---- per-node locks (vnlock.c) around an op's messages ---- */

static struct vnlocks *vn_locks;

struct vnlocks *
vn_vnlocks(void)
{
	if (vn_locks == NULL)
		vn_locks = vnlock_new();
	return vn_locks;
}

static void
vn_lock_granted(void *arg)
{
	struct vnop *op = arg;

	op->op_lkheld = true;
	op->op_lkcont(op);
}

/* Run cont(op) once op holds n's lock in mode; released by vn_end. */
void
vn_lock(struct vnop *op, struct node *n, int mode, void (*cont)(struct vnop *))
{
	g_assert(op->op_lknode == NULL);
	op->op_lknode = n;
	op->op_lkmode = mode;
	op->op_lkcont = cont;
	vnlock_acquire(vn_vnlocks(), n->n_nodeid, mode, vn_lock_granted, op);
}

/* Withdraw op from a lock wait (interrupt); true if it was waiting. */
bool
vn_lock_cancel(struct vnop *op)
{
	if (op->op_lknode == NULL || op->op_lkheld)
		return false;
	if (!vnlock_cancel(vn_vnlocks(), op->op_lknode->n_nodeid, op))
		return false;
	op->op_lknode = NULL;
	return true;
}

void
vn_unlock(struct vnop *op)
{
	if (op->op_lknode != NULL && op->op_lkheld)
		vnlock_release(vn_vnlocks(), op->op_lknode->n_nodeid,
		    op->op_lkmode);
	op->op_lknode = NULL;
	op->op_lkheld = false;
}

/* Give the server its cookie back (RECLAIM, FAF) and forget the node. */
static void
vn_reclaim(struct puffs_mount *pmp, struct node *n)
{
	struct puffs_vnmsg_reclaim *msg;
	uint8_t *frame;

	if (pmp->pmp_status == PUFFSTAT_RUNNING &&
	    vfs_hasop(pmp, PUFFS_VN_RECLAIM)) {
		frame = frame_new(sizeof(*msg), PUFFSOP_VN, PUFFS_VN_RECLAIM,
		    n->n_cookie);
		msg = (struct puffs_vnmsg_reclaim *)frame;
		msg->pvnr_nlookup = n->n_puffs_nlookup;
		msg_faf(pmp, frame, sizeof(*msg));
	}
	nodetab_retire(pmp->pmp_nodetab, n);
}

/* An op or handle is done with n: INACTIVE if owed, RECLAIM if idle. */
void
vn_rele(struct puffs_mount *pmp, struct node *n)
{
	bool idle = nodetab_rele(n);

	if (n->n_busy == 0 && vn_inactive(pmp, n))
		return;
	if (idle)
		vn_reclaim(pmp, n);
}

/* The op is over (its request answered): drop holds, free. */
void
vn_end(struct vnop *op)
{
	int i;

	if (op->op_restrict != NULL)
		cachectl_restrict(op->op_pmp, op->op_restrict, NULL, NULL);
	vn_unlock(op);
	for (i = 0; i < op->op_nheld; i++)
		vn_rele(op->op_pmp, op->op_held[i]);
	g_free(op->op_name);
	g_free(op->op_name2);
	g_free(op->op_link);
	g_free(op->op_data);
	g_free(op);
}

void
vn_fail(struct vnop *op, int error)
{
	fuse_reply_err(op->op_req, error);
	vn_end(op);
}

/* A VN request frame carrying the caller's pid. */
uint8_t *
vn_frame(struct vnop *op, size_t len, int optype, uint64_t cookie)
{
	uint8_t *frame = frame_new(len, PUFFSOP_VN, optype, cookie);
	struct puffs_req *preq = (struct puffs_req *)frame;

	preq->preq_pid = op->op_pid;
	preq->preq_lid = op->op_pid;
	return frame;
}

int
vn_kcn(struct puffs_kcn *cn, uint32_t nameiop, const char *name)
{
	size_t len = strlen(name);

	if (len >= sizeof(cn->pkcn_name))
		return ENAMETOOLONG;
	cn->pkcn_nameiop = nameiop;
	cn->pkcn_flags = PUFFS_NAMEI_ISLASTCN;
	if (nameiop == PUFFS_NAMEI_LOOKUP)
		cn->pkcn_flags |= PUFFS_NAMEI_MAKEENTRY;
	cn->pkcn_namelen = len;
	memcpy(cn->pkcn_name, name, len + 1);
	return 0;
}

double
vn_entry_timeout(struct puffs_mount *pmp)
{
	return cachectl_entry_ttl(pmp, NULL);
}

/* LOOKUP name in dir with nameiop; the op's tail call. */
void
vn_lookup(struct vnop *op, struct node *dir, const char *name,
    uint32_t nameiop, msg_done_fn done)
{
	struct puffs_vnmsg_lookup *msg;
	uint8_t *frame;
	int error;

	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_LOOKUP, dir->n_cookie);
	msg = (struct puffs_vnmsg_lookup *)frame;
	if ((error = vn_kcn(&msg->pvnr_cn, nameiop, name)) != 0) {
		g_free(frame);
		done(op, error, NULL, 0);
		return;
	}
	msg->pvnr_cn_cred = op->op_cred;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg), done, op);
}

/*
 * A LOOKUP reply: 0 and *np the counted, held node; or the errno (the
 * server's own, or EPROTO for a reply NetBSD would refuse).
 */
int
vn_lookupres(struct vnop *op, int error, const uint8_t *frame, size_t len,
    struct node **np)
{
	struct puffs_mount *pmp = op->op_pmp;
	const struct puffs_vnmsg_lookup *lk;
	struct vbad vb = { .vb_count = false };
	uint64_t dircookie;
	struct node *n;

	*np = NULL;
	if ((error = msg_result(pmp, error, frame, len)) != 0)
		return error;
	if ((error = frame_get_lookup(frame, len, &lk)) != 0)
		return msg_badreply(pmp, PUFFS_ERR_ERROR, error, 0,
		    "short LOOKUP reply (%zu bytes)", len);
	dircookie = lk->pvn_pr.preq_cookie;
	if (validate_lookup(lk, dircookie, &vb) != 0 && !vb.vb_count)
		return msg_badreply(pmp, vb.vb_type, vb.vb_error,
		    lk->pvnr_newnode, "%s", vb.vb_why);
	/* The server counted the hand-out: so do we, even if we refuse it. */
	n = nodetab_enter(pmp->pmp_nodetab, lk->pvnr_newnode, lk->pvnr_vtype);
	vn_hold(op, n);
	if (vb.vb_count)
		return msg_badreply(pmp, vb.vb_type, vb.vb_error, dircookie,
		    "\"%s\": %s", lk->pvnr_cn.pkcn_name, vb.vb_why);
	if (pmp->pmp_args.pa_flags & PUFFS_KFLAG_CACHE_FS_TTL) {
		op->op_ettl = cachectl_entry_ttl(pmp, &lk->pvnr_cn_ttl);
		op->op_attl = cachectl_attr_ttl(pmp, &lk->pvnr_va_ttl);
	}
	*np = n;
	return 0;
}

/* GETATTR of n; the op's tail call. */
void
vn_getattr(struct vnop *op, struct node *n, msg_done_fn done)
{
	struct puffs_vnmsg_getattr *msg;
	uint8_t *frame;

	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_GETATTR, n->n_cookie);
	msg = (struct puffs_vnmsg_getattr *)frame;
	msg->pvnr_cred = op->op_cred;
	vattr_null(&msg->pvnr_va);
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg), done, op);
}

/* A GETATTR reply into op->op_st. */
int
vn_getattrres(struct vnop *op, int error, const uint8_t *frame, size_t len,
    struct node *n)
{
	struct puffs_mount *pmp = op->op_pmp;
	const struct puffs_vnmsg_getattr *ga;

	if ((error = msg_result(pmp, error, frame, len)) != 0)
		return error;
	if ((error = frame_get_getattr(frame, len, &ga)) != 0)
		return msg_badreply(pmp, PUFFS_ERR_ERROR, error, n->n_cookie,
		    "short GETATTR reply (%zu bytes)", len);
	if (vattr_tostat(&ga->pvnr_va, n->n_vtype, n->n_nodeid,
	    &op->op_st) != 0)
		return msg_badreply(pmp, PUFFS_ERR_ERROR, EINVAL, n->n_cookie,
		    "GETATTR returned vtype %u", ga->pvnr_va.va_type);
	if (pmp->pmp_args.pa_flags & PUFFS_KFLAG_CACHE_FS_TTL)
		op->op_attl = cachectl_attr_ttl(pmp, &ga->pvnr_va_ttl);
	vn_notemode(op, n, op->op_st.st_mode);
	return 0;
}

/*
 * Search permission on cached names.  Mounted without default_permissions
 * (the server decides, as on NetBSD), Linux checks nothing when a path
 * walks through a name it has cached: only a LOOKUP lets the server check
 * VEXEC on the directory.  So a name under a directory that does not grant
 * search to everyone is given to Linux with no entry lifetime, and is
 * looked up again at each walk; names under world-searchable directories
 * (the common case) keep theirs.  A node whose mode is not known yet
 * counts as restricted.
 */
static bool
vn_searchable(const struct node *dir)
{
	return dir->n_mode != 0 && (dir->n_mode & 0111) == 0111;
}

/* The entry lifetime for a name op->op_dir gives Linux. */
double
vn_ettl(struct vnop *op, double ttl)
{
	if (op->op_dir != NULL && !vn_searchable(op->op_dir))
		return 0.0;
	return ttl;
}

/*
 * n's attributes were seen with mode.  A directory that stops granting
 * search to everyone must make Linux drop the names it cached in it:
 * those were given a lifetime.  Noted in the op: a getattr or setattr
 * answers once that is done (vn_getattr_done), other ops let it happen
 * when they end.
 */
static void
vn_notemode(struct vnop *op, struct node *n, uint32_t mode)
{
	bool was = vn_searchable(n);

	n->n_mode = mode;
	if (n->n_vtype == PUFFS_VDIR && was && !vn_searchable(n))
		op->op_restrict = n;
}

/* Answer with an entry for n; Linux holds one more reference if it took it. */
void
vn_reply_entry(struct vnop *op, struct node *n)
{
	struct fuse_entry_param e;

	memset(&e, 0, sizeof(e));
	e.ino = n->n_nodeid;
	e.attr = op->op_st;
	e.attr_timeout = op->op_attl;
	e.entry_timeout = vn_ettl(op, op->op_ettl);
	if (fuse_reply_entry(op->op_req, &e) == 0) {
		n->n_fuse_nlookup++;
		cachectl_remember(op->op_pmp, op->op_dir, op->op_name,
		    n->n_nodeid);
	}
	vn_end(op);
}

/* A namei CREATE/DELETE/RENAME lookup was abandoned: ABORTOP, FAF. */
void
vn_abortop(struct vnop *op, struct node *dir, const char *name,
    uint32_t nameiop)
{
	struct puffs_vnmsg_abortop *msg;
	uint8_t *frame;

	if (!vfs_hasop(op->op_pmp, PUFFS_VN_ABORTOP))
		return;
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_ABORTOP, dir->n_cookie);
	msg = (struct puffs_vnmsg_abortop *)frame;
	if (vn_kcn(&msg->pvnr_cn, nameiop, name) != 0) {
		g_free(frame);
		return;
	}
	msg->pvnr_cn_cred = op->op_cred;
	msg_faf(op->op_pmp, frame, sizeof(*msg));
}

/* ---- lookup ---- */

static void
vn_lookup_attrdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = vn_getattrres(op, error, frame, len, op->op_node)) != 0)
		vn_fail(op, error);
	else
		vn_reply_entry(op, op->op_node);
}

/* ENOENT that Linux may remember, as NetBSD's name cache does. */
static void
vn_reply_negative(struct vnop *op)
{
	struct fuse_entry_param e;

	memset(&e, 0, sizeof(e));
	e.ino = 0;
	e.entry_timeout = vn_ettl(op, op->op_ettl);
	if (fuse_reply_entry(op->op_req, &e) == 0)
		cachectl_remember(op->op_pmp, op->op_dir, op->op_name, 0);
	vn_end(op);
}

static void
vn_lookup_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = vn_lookupres(op, error, frame, len, &op->op_node)) != 0) {
		if (error == ENOENT && cachectl_negative(op->op_pmp))
			vn_reply_negative(op);
		else
			vn_fail(op, error);
		return;
	}
	vn_getattr(op, op->op_node, vn_lookup_attrdone);
}

/* The directory's mode is known now (or the GETATTR failed: go on). */
static void
vn_lookup_dirattr(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	(void)vn_getattrres(op, error, frame, len, op->op_dir);
	vn_lookup(op, op->op_dir, op->op_name, PUFFS_NAMEI_LOOKUP,
	    vn_lookup_done);
}

void
vn_op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct vnop *op = vn_new(req);

	if ((op->op_dir = vn_node(op, parent)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (strcmp(name, ".") == 0) {
		/* Never forwarded: the directory itself. */
		op->op_node = op->op_dir;
		vn_getattr(op, op->op_dir, vn_lookup_attrdone);
		return;
	}
	op->op_name = g_strdup(name);
	if (op->op_dir->n_mode == 0) {
		/*
		 * Only the root can be looked in before its attributes were
		 * seen: learn its mode once, or every name under it would
		 * be given no lifetime (vn_ettl).
		 */
		vn_getattr(op, op->op_dir, vn_lookup_dirattr);
		return;
	}
	vn_lookup(op, op->op_dir, name, PUFFS_NAMEI_LOOKUP, vn_lookup_done);
}

/* ---- forget ---- */

static void
vn_forget1(struct puffs_mount *pmp, fuse_ino_t ino, uint64_t count)
{
	struct node *n = nodetab_byid(pmp->pmp_nodetab, ino);

	if (n == NULL) {
		log_warnx("forget of unknown node %lu", (unsigned long)ino);
		return;
	}
	if (nodetab_forget(n, count))
		vn_reclaim(pmp, n);
}

void
vn_op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	vn_forget1(fuse_req_userdata(req), ino, nlookup);
	fuse_reply_none(req);
}

void
vn_op_forget_multi(fuse_req_t req, size_t count,
    struct fuse_forget_data *forgets)
{
	size_t i;

	for (i = 0; i < count; i++)
		vn_forget1(fuse_req_userdata(req), forgets[i].ino,
		    forgets[i].nlookup);
	fuse_reply_none(req);
}

/* ---- getattr, setattr ---- */

static void
vn_getattr_reply(void *arg)
{
	struct vnop *op = arg;

	fuse_reply_attr(op->op_req, &op->op_st, op->op_attl);
	vn_end(op);
}

static void
vn_getattr_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	struct node *dir;

	if ((error = vn_getattrres(op, error, frame, len, op->op_node)) != 0)
		vn_fail(op, error);
	else if ((dir = op->op_restrict) != NULL) {
		/* A chmod took search away: no walk may pass once it returns. */
		op->op_restrict = NULL;
		cachectl_restrict(op->op_pmp, dir, vn_getattr_reply, op);
	} else
		vn_getattr_reply(op);
}

static void
vn_getattr_start(struct vnop *op)
{
	vn_getattr(op, op->op_node, vn_getattr_done);
}

void
vn_op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);

	(void)fi;
	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	/* Shared: never overlaps a size change (NetBSD's pn_sizemtx). */
	vn_lock(op, op->op_node, VNLOCK_SHARED, vn_getattr_start);
}

static void
vn_setattr_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	vn_getattr(op, op->op_node, vn_getattr_done);
}

static void
vn_settime(struct puffs_ktimespec *kts, const struct timespec *ts, bool now)
{
	struct timespec cur;

	if (now) {
		clock_gettime(CLOCK_REALTIME, &cur);
		ts = &cur;
	}
	kts->tv_sec = ts->tv_sec;
	kts->tv_nsec = ts->tv_nsec;
}

/* FUSE's to_set bits as a vattr: VNOVAL in every field not being set. */
static void
vn_setattr_va(struct puffs_kvattr *va, const struct stat *st, int to_set)
{
	vattr_null(va);
	if (to_set & FUSE_SET_ATTR_MODE)
		va->va_mode = st->st_mode & 07777;
	if (to_set & FUSE_SET_ATTR_UID)
		va->va_uid = st->st_uid;
	if (to_set & FUSE_SET_ATTR_GID)
		va->va_gid = st->st_gid;
	if (to_set & FUSE_SET_ATTR_SIZE)
		va->va_size = st->st_size;
	if (to_set & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW))
		vn_settime(&va->va_atime, &st->st_atim,
		    to_set & FUSE_SET_ATTR_ATIME_NOW);
	if (to_set & (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW))
		vn_settime(&va->va_mtime, &st->st_mtim,
		    to_set & FUSE_SET_ATTR_MTIME_NOW);
	if (to_set & FUSE_SET_ATTR_CTIME)
		vn_settime(&va->va_ctime, &st->st_ctim, false);
	/* utimes(NULL) or both UTIME_NOW: the owner or a writer may. */
	if ((to_set & FUSE_SET_ATTR_ATIME_NOW) &&
	    (to_set & FUSE_SET_ATTR_MTIME_NOW))
		va->va_vaflags |= PUFFS_VA_UTIMES_NULL;
}

static void
vn_setattr_start(struct vnop *op)
{
	uint8_t *frame = op->op_data;

	op->op_data = NULL;
	msg_call(op->op_pmp, frame, sizeof(struct puffs_vnmsg_setattr),
	    sizeof(struct puffs_vnmsg_setattr), vn_setattr_done, op);
}

void
vn_op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
    struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);
	struct puffs_vnmsg_setattr *msg;
	uint8_t *frame;

	(void)fi;
	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_SETATTR)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_SETATTR,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_setattr *)frame;
	msg->pvnr_cred = op->op_cred;
	vn_setattr_va(&msg->pvnr_va, attr, to_set);
	op->op_data = frame;
	vn_lock(op, op->op_node, VNLOCK_EXCL, vn_setattr_start);
}

/* ---- readlink ---- */

static void
vn_readlink_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const struct puffs_vnmsg_readlink *rl;
	char buf[PUFFS_MAXPATHLEN + 1];
	struct vbad vb;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	if ((error = frame_get_readlink(frame, len, &rl)) != 0 ||
	    validate_readlink(rl, &vb) != 0) {
		if (error != 0)
			vb = (struct vbad){ PUFFS_ERR_READLINK, E2BIG, false,
			    "bad READLINK reply" };
		vn_fail(op, msg_badreply(op->op_pmp, vb.vb_type, vb.vb_error,
		    op->op_node->n_cookie, "%s", vb.vb_why));
		return;
	}
	memcpy(buf, rl->pvnr_link, rl->pvnr_linklen);
	buf[rl->pvnr_linklen] = '\0';
	fuse_reply_readlink(op->op_req, buf);
	vn_end(op);
}

void
vn_op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct vnop *op = vn_new(req);
	struct puffs_vnmsg_readlink *msg;
	uint8_t *frame;

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_READLINK)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_READLINK,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_readlink *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_linklen = sizeof(msg->pvnr_link);
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg),
	    vn_readlink_done, op);
}

/* ---- open, release ---- */

static void
vn_open_send(struct vnop *op)
{
	struct puffs_vnmsg_open *msg;
	uint8_t *frame;

	if (!vfs_hasop(op->op_pmp, PUFFS_VN_OPEN)) {
		op->op_next(op, 0, NULL, 0);
		return;
	}
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_OPEN,
	    op->op_fh->fh_node->n_cookie);
	msg = (struct puffs_vnmsg_open *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_mode = op->op_fh->fh_fflag;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg), op->op_next,
	    op);
}

static void
vn_open_accessdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		g_free(op->op_fh);
		op->op_fh = NULL;
		vn_fail(op, error);
		return;
	}
	vn_open_send(op);
}

/*
 * OPEN n with fi in op->op_fi; the tail call.  As NetBSD's vn_open does,
 * an existing file is first checked with ACCESS (if the server has it).
 */
void
vn_open(struct vnop *op, struct node *n, int flags, bool access,
    msg_done_fn done)
{
	struct puffs_vnmsg_access *msg;
	uint8_t *frame;
	int32_t mode = 0;

	/*
	 * Linux opens a program for execve with __FMODE_EXEC among the flags
	 * and, without default_permissions, checks only that some x bit is
	 * set; NetBSD's execve asks VOP_ACCESS(VEXEC), so puffsd does.  The
	 * flag itself is Linux's, not an open flag the server knows.
	 */
	if (flags & VN_FMODE_EXEC) {
		mode |= PUFFS_VEXEC;
		flags &= ~VN_FMODE_EXEC;
	}
	op->op_fh = g_new0(struct vnfh, 1);
	op->op_fh->fh_node = n;
	op->op_fh->fh_fflag = xlate_fflags(flags);
	op->op_fh->fh_cred = op->op_cred;
	op->op_next = done;
	if (op->op_fh->fh_fflag & PUFFS_FREAD)
		mode |= PUFFS_VREAD;
	if (op->op_fh->fh_fflag & (PUFFS_FWRITE | O_TRUNC))
		mode |= PUFFS_VWRITE;
	if (!access || mode == 0 || !vfs_hasop(op->op_pmp, PUFFS_VN_ACCESS)) {
		vn_open_send(op);
		return;
	}
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_ACCESS, n->n_cookie);
	msg = (struct puffs_vnmsg_access *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_mode = mode;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg),
	    vn_open_accessdone, op);
}

/*
 * An OPEN reply (frame NULL and error 0 when the server has no OPEN):
 * 0 and op->op_fi filled with a held handle, or the errno.
 */
int
vn_openres(struct vnop *op, int error, const uint8_t *frame, size_t len)
{
	const struct puffs_vnmsg_open *o = NULL;

	if (frame != NULL || error != 0) {
		error = msg_result(op->op_pmp, error, frame, len);
		if (error == 0 && frame_get_open(frame, len, &o) != 0)
			error = msg_badreply(op->op_pmp, PUFFS_ERR_ERROR,
			    EBADMSG, op->op_fh->fh_node->n_cookie,
			    "short OPEN reply (%zu bytes)", len);
	}
	if (error != 0) {
		g_free(op->op_fh);
		op->op_fh = NULL;
		return error;
	}
	if (o != NULL)
		vn_setbacks(op->op_pmp, o->pvn_pr.preq_setbacks,
		    op->op_fh->fh_node, NULL);
	if ((o != NULL && (o->pvnr_oflags & PUFFS_OPEN_IO_DIRECT)) ||
	    (op->op_pmp->pmp_args.pa_flags & PUFFS_KFLAG_NOCACHE_PAGE))
		op->op_fi.direct_io = 1;
	else
		op->op_fi.keep_cache = 1;	/* pages stay across opens */
	nodetab_hold(op->op_fh->fh_node);
	op->op_fi.fh = (uintptr_t)op->op_fh;
	vn_fh_adopt(op->op_fh);
	return 0;
}

/* Count fh among the open handles (its node already held). */
void
vn_fh_adopt(struct vnfh *fh)
{
	if (vn_fhs == NULL)
		vn_fhs = g_hash_table_new(NULL, NULL);
	g_hash_table_add(vn_fhs, fh);
}

bool
vn_fh_isopen(const struct vnfh *fh)
{
	return vn_fhs != NULL && g_hash_table_contains(vn_fhs, fh);
}

/* CLOSE (FAF, the opener's credential) and drop the handle. */
void
vn_fh_free(struct puffs_mount *pmp, struct vnfh *fh)
{
	struct puffs_vnmsg_close *msg;
	uint8_t *frame;
	guint i;

	if (vfs_hasop(pmp, PUFFS_VN_CLOSE)) {
		frame = frame_new(sizeof(*msg), PUFFSOP_VN, PUFFS_VN_CLOSE,
		    fh->fh_node->n_cookie);
		msg = (struct puffs_vnmsg_close *)frame;
		msg->pvnr_cred = fh->fh_cred;
		msg->pvnr_fflag = fh->fh_fflag;
		msg_faf(pmp, frame, sizeof(*msg));
	}
	if (fh->fh_dents != NULL) {
		for (i = 0; i < fh->fh_dents->len; i++)
			g_free(g_ptr_array_index(fh->fh_dents, i));
		g_ptr_array_free(fh->fh_dents, TRUE);
	}
	vn_rele(pmp, fh->fh_node);
	g_hash_table_remove(vn_fhs, fh);
	g_free(fh);
}

/* The mount is gone: drop the handles Linux will never release. */
void
vn_fh_freeall(struct puffs_mount *pmp)
{
	GList *all, *l;

	if (vn_fhs == NULL)
		return;
	all = g_hash_table_get_keys(vn_fhs);
	for (l = all; l != NULL; l = l->next)
		vn_fh_free(pmp, l->data);
	g_list_free(all);
	g_hash_table_destroy(vn_fhs);
	vn_fhs = NULL;
}

static void
vn_open_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = vn_openres(op, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	if (fuse_reply_open(op->op_req, &op->op_fi) != 0)
		vn_fh_free(op->op_pmp, op->op_fh);
	vn_end(op);
}

void
vn_op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	op->op_fi = *fi;
	vn_open(op, op->op_node, fi->flags, true, vn_open_done);
}

void
vn_op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vnfh *fh = (struct vnfh *)(uintptr_t)fi->fh;

	(void)ino;
	vn_advlock_release(fuse_req_userdata(req), fh->fh_node, fi);
	vn_fh_free(fuse_req_userdata(req), fh);
	fuse_reply_err(req, 0);
}

/* ---- read, write ---- */

static void vn_read_next(struct vnop *);

static void
vn_read_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const struct puffs_vnmsg_rw *rw;
	const uint8_t *data;
	size_t n;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	if ((error = frame_get_read(frame, len, op->op_chunk, &rw, &data,
	    &n)) != 0) {
		vn_fail(op, msg_badreply(op->op_pmp, PUFFS_ERR_READ, E2BIG,
		    op->op_node->n_cookie, "bad READ reply"));
		return;
	}
	memcpy(op->op_data + op->op_done, data, n);
	op->op_done += n;
	if (n < op->op_chunk || op->op_done == op->op_size) {
		fuse_reply_buf(op->op_req, (const char *)op->op_data,
		    op->op_done);
		vn_end(op);
		return;
	}
	vn_read_next(op);
}

/* READ the next chunk, at most maxmsglen - PUFFS_MSGSTRUCT_MAX bytes. */
static void
vn_read_next(struct vnop *op)
{
	struct puffs_vnmsg_rw *msg;
	uint8_t *frame;

	op->op_chunk = PUFFS_TOMOVE(op->op_size - op->op_done,
	    op->op_pmp->pmp_maxmsglen);
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_READ,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_rw *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_offset = op->op_off + op->op_done;
	msg->pvnr_resid = op->op_chunk;
	msg->pvnr_ioflag = op->op_ioflag;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg) + op->op_chunk,
	    vn_read_done, op);
}

void
vn_op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);

	(void)fi;
	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_READ)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	if (size == 0) {
		fuse_reply_buf(req, NULL, 0);
		vn_end(op);
		return;
	}
	op->op_size = size;
	op->op_off = off;
	op->op_data = g_malloc(size);
	vn_lock(op, op->op_node, VNLOCK_SHARED, vn_read_next);
}

static void vn_write_next(struct vnop *);

static void
vn_write_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const struct puffs_vnmsg_rw *rw;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	if ((error = frame_get_write(frame, len, op->op_chunk, &rw)) != 0) {
		vn_fail(op, msg_badreply(op->op_pmp, PUFFS_ERR_WRITE, E2BIG,
		    op->op_node->n_cookie, "bad WRITE reply"));
		return;
	}
	if (rw->pvnr_resid != 0) {
		/* NetBSD: a short write is an I/O error. */
		vn_fail(op, EIO);
		return;
	}
	op->op_done += op->op_chunk;
	if (op->op_done == op->op_size) {
		fuse_reply_write(op->op_req, op->op_done);
		vn_end(op);
		return;
	}
	vn_write_next(op);
}

static void
vn_write_next(struct vnop *op)
{
	struct puffs_vnmsg_rw *msg;
	uint8_t *frame;
	size_t len;

	op->op_chunk = PUFFS_TOMOVE(op->op_size - op->op_done,
	    op->op_pmp->pmp_maxmsglen);
	len = sizeof(*msg) + op->op_chunk;
	frame = vn_frame(op, len, PUFFS_VN_WRITE, op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_rw *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_offset = op->op_off + op->op_done;
	msg->pvnr_resid = op->op_chunk;
	msg->pvnr_ioflag = op->op_ioflag;
	memcpy(msg->pvnr_data, op->op_data + op->op_done, op->op_chunk);
	msg_call(op->op_pmp, frame, len, len, vn_write_done, op);
}

void
vn_op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
    off_t off, struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_WRITE)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	if (size == 0) {
		fuse_reply_write(req, 0);
		vn_end(op);
		return;
	}
	/* Page-cache writeback is the kernel's own I/O: FSCRED. */
	if (fi->writepage)
		vfs_fscred(&op->op_cred);
	op->op_ioflag = xlate_ioflag(fi->flags);
	op->op_size = size;
	op->op_off = off;
	op->op_data = g_memdup2(buf, size);
	vn_lock(op, op->op_node, VNLOCK_EXCL, vn_write_next);
}

/* ---- fsync, statfs, access ---- */

static void
vn_errdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	vn_fail(op, msg_result(op->op_pmp, error, frame, len));
}

void
vn_op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);
	struct puffs_vnmsg_fsync *msg;
	uint8_t *frame;

	(void)fi;
	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_FSYNC)) {
		vn_fail(op, 0);
		return;
	}
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_FSYNC,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_fsync *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_flags = PUFFS_FSYNC_WAIT |
	    (datasync ? PUFFS_FSYNC_DATAONLY : 0);
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg), vn_errdone,
	    op);
}

static void
vn_statfs_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const struct puffs_vfsmsg_statvfs *sv;
	struct statvfs st;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	if (frame_get_statvfs(frame, len, &sv) != 0) {
		vn_fail(op, msg_badreply(op->op_pmp, PUFFS_ERR_ERROR, EBADMSG,
		    0, "short STATVFS reply (%zu bytes)", len));
		return;
	}
	xlate_statvfs(&sv->pvfsr_sb, &st);
	if (sv->pvfsr_sb.f_namemax == 0) {
		vn_statfs_namemax(op, &st);
		return;
	}
	fuse_reply_statfs(op->op_req, &st);
	vn_end(op);
}

void
vn_op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct vnop *op = vn_new(req);
	int error;

	(void)ino;
	if ((error = vfs_statvfs(op->op_pmp, vn_statfs_done, op)) != 0)
		vn_fail(op, error);
}

void
vn_op_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	struct vnop *op = vn_new(req);
	struct puffs_vnmsg_access *msg;
	uint8_t *frame;

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	/* Without ACCESS the NetBSD kernel grants everything. */
	if (mask == F_OK || !vfs_hasop(op->op_pmp, PUFFS_VN_ACCESS)) {
		vn_fail(op, 0);
		return;
	}
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_ACCESS,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_access *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_mode = xlate_vaccess(mask);
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg), vn_errdone,
	    op);
}
