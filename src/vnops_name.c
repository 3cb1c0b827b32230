/*
 * vnops_name.c: the FUSE callbacks that change names in a directory:
 * mknod, mkdir, symlink, create, link, unlink, rmdir, rename.  As NetBSD's
 * namei does, each first runs LOOKUP with nameiop CREATE, DELETE or RENAME
 * (servers check permissions there, and remove/rename need the target's
 * cookie), then the op itself.  Called through fuse.c's ops table.
 */
#include <errno.h>
#include <string.h>

#include "cachectl.h"
#include "log.h"
#include "validate.h"
#include "vnops.h"
#include "xlate.h"

static bool
vn_maynew(int rv)
{
	return rv == ENOENT || rv == VN_EJUSTRETURN;
}

/* The raw errno of a LOOKUP reply, before msg_result judges it. */
static int32_t
vn_rawrv(const uint8_t *frame, size_t len)
{
	const struct puffs_req *preq;

	if (frame_get_req(frame, len, &preq) != 0)
		return 0;
	return preq->preq_rv;
}

/* ---- mknod, mkdir, symlink, create: LOOKUP(CREATE), make, GETATTR ---- */

static void
vn_make_attrdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = vn_getattrres(op, error, frame, len, op->op_node)) != 0)
		vn_fail(op, error);
	else
		vn_reply_entry(op, op->op_node);
}

static void
vn_create_opendone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	struct fuse_entry_param e;

	/* If OPEN fails the file still exists, as on NetBSD. */
	if ((error = vn_openres(op, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.ino = op->op_node->n_nodeid;
	e.attr = op->op_st;
	e.entry_timeout = vn_ettl(op, vn_entry_timeout(op->op_pmp));
	if (fuse_reply_create(op->op_req, &e, &op->op_fi) == 0) {
		op->op_node->n_fuse_nlookup++;
		cachectl_remember(op->op_pmp, op->op_dir, op->op_name,
		    op->op_node->n_nodeid);
	} else
		vn_fh_free(op->op_pmp, op->op_fh);
	vn_end(op);
}

static void
vn_create_attrdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = vn_getattrres(op, error, frame, len, op->op_node)) != 0) {
		vn_fail(op, error);
		return;
	}
	/* A file just made is not checked again (NetBSD vn_open). */
	vn_open(op, op->op_node, op->op_fi.flags, false, vn_create_opendone);
}

/* A CREATE/MKNOD/MKDIR/SYMLINK reply: the cookie must be new. */
static void
vn_make_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	struct puffs_mount *pmp = op->op_pmp;
	const struct puffs_vnmsg_create *cr;
	struct vbad vb;
	uint64_t cookie;

	if ((error = msg_result(pmp, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	if (frame_get_create(frame, len, &cr) != 0) {
		vn_fail(op, msg_badreply(pmp, PUFFS_ERR_ERROR, EBADMSG,
		    op->op_dir->n_cookie, "short reply (%zu bytes)", len));
		return;
	}
	cookie = cr->pvnr_newnode;
	if (cookie == 0) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	if (validate_newnode(cookie, pmp->pmp_args.pa_root_cookie,
	    nodetab_bycookie(pmp->pmp_nodetab, cookie) != NULL, &vb) != 0) {
		/* NetBSD refuses: "cookie exists". */
		vn_fail(op, msg_badreply(pmp, vb.vb_type, vb.vb_error,
		    cookie, "\"%s\": %s", op->op_name, vb.vb_why));
		return;
	}
	op->op_node = nodetab_enter(pmp->pmp_nodetab, cookie,
	    vattr_vtype(op->op_mode));
	vn_hold(op, op->op_node);
	vn_getattr(op, op->op_node, op->op_optype == PUFFS_VN_CREATE ?
	    vn_create_attrdone : vn_make_attrdone);
}

static void
vn_make_send(struct vnop *op)
{
	struct puffs_vnmsg_symlink *msg;	/* create's layout, plus a link */
	size_t len;
	uint8_t *frame;

	len = op->op_optype == PUFFS_VN_SYMLINK ?
	    sizeof(struct puffs_vnmsg_symlink) :
	    sizeof(struct puffs_vnmsg_create);
	frame = vn_frame(op, len, op->op_optype, op->op_dir->n_cookie);
	msg = (struct puffs_vnmsg_symlink *)frame;
	vn_kcn(&msg->pvnr_cn, PUFFS_NAMEI_CREATE, op->op_name);
	msg->pvnr_cn_cred = op->op_cred;
	vattr_null(&msg->pvnr_va);
	msg->pvnr_va.va_type = vattr_vtype(op->op_mode);
	msg->pvnr_va.va_mode = op->op_mode & 07777;
	if (op->op_optype == PUFFS_VN_MKNOD)
		msg->pvnr_va.va_rdev = op->op_rdev;
	if (op->op_optype == PUFFS_VN_SYMLINK)
		g_strlcpy(msg->pvnr_link, op->op_link, sizeof(msg->pvnr_link));
	msg_call(op->op_pmp, frame, len, len, vn_make_done, op);
}

static void vn_link_send(struct vnop *);

/* The LOOKUP(CREATE) before any name-creating op. */
static void
vn_make_lookupdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	struct node *n;

	if (error == 0 && vn_maynew(vn_rawrv(frame, len))) {
		if (op->op_optype == PUFFS_VN_LINK)
			vn_link_send(op);
		else
			vn_make_send(op);
		return;
	}
	error = vn_lookupres(op, error, frame, len, &n);
	if (error == 0) {
		/* The name exists after all: abandon the op. */
		vn_abortop(op, op->op_dir, op->op_name, PUFFS_NAMEI_CREATE);
		error = EEXIST;
	}
	vn_fail(op, error);
}

static void
vn_make(struct vnop *op, fuse_ino_t parent, const char *name, int optype,
    mode_t mode)
{
	op->op_optype = optype;
	op->op_mode = mode;
	op->op_name = g_strdup(name);
	if ((op->op_dir = vn_node(op, parent)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, optype)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	vn_lookup(op, op->op_dir, name, PUFFS_NAMEI_CREATE,
	    vn_make_lookupdone);
}

void
vn_op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
    mode_t mode, dev_t rdev)
{
	struct vnop *op = vn_new(req);

	op->op_rdev = rdev;
	vn_make(op, parent, name, PUFFS_VN_MKNOD, mode);
}

void
vn_op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	vn_make(vn_new(req), parent, name, PUFFS_VN_MKDIR,
	    S_IFDIR | (mode & 07777));
}

void
vn_op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
    const char *name)
{
	struct vnop *op = vn_new(req);

	if (strlen(link) >= PUFFS_MAXPATHLEN) {
		vn_fail(op, ENAMETOOLONG);
		return;
	}
	op->op_link = g_strdup(link);
	/* FUSE passes no mode: NetBSD's ACCESSPERMS & ~umask. */
	vn_make(op, parent, name, PUFFS_VN_SYMLINK,
	    S_IFLNK | (0777 & ~fuse_req_ctx(req)->umask));
}

void
vn_op_create(fuse_req_t req, fuse_ino_t parent, const char *name,
    mode_t mode, struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);

	op->op_fi = *fi;
	vn_make(op, parent, name, PUFFS_VN_CREATE, S_IFREG | (mode & 07777));
}

/* ---- link: LOOKUP(CREATE), LINK, GETATTR of the target ---- */

static void
vn_link_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	/* An entry for Linux, but no cookie hand-out from the server. */
	vn_getattr(op, op->op_node, vn_make_attrdone);
}

static void
vn_link_send(struct vnop *op)
{
	struct puffs_vnmsg_link *msg;
	uint8_t *frame;

	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_LINK,
	    op->op_dir->n_cookie);
	msg = (struct puffs_vnmsg_link *)frame;
	vn_kcn(&msg->pvnr_cn, PUFFS_NAMEI_CREATE, op->op_name);
	msg->pvnr_cn_cred = op->op_cred;
	msg->pvnr_cookie_targ = op->op_node->n_cookie;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg), vn_link_done,
	    op);
}

void
vn_op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
    const char *newname)
{
	struct vnop *op = vn_new(req);

	op->op_optype = PUFFS_VN_LINK;
	op->op_name = g_strdup(newname);
	if ((op->op_node = vn_node(op, ino)) == NULL ||
	    (op->op_dir = vn_node(op, newparent)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_LINK)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	vn_lookup(op, op->op_dir, newname, PUFFS_NAMEI_CREATE,
	    vn_make_lookupdone);
}

/* ---- unlink, rmdir: LOOKUP(DELETE) for the cookie, REMOVE/RMDIR ---- */

static void
vn_remove_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	error = msg_result(op->op_pmp, error, frame, len);
	if (error == 0)
		vn_setbacks(op->op_pmp, ((const struct puffs_req *)
		    frame)->preq_setbacks, op->op_dir, op->op_node);
	vn_fail(op, error);
}

static void
vn_remove_lookupdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	struct puffs_vnmsg_remove *msg;
	uint8_t *newframe;

	if ((error = vn_lookupres(op, error, frame, len, &op->op_node)) != 0) {
		vn_fail(op, error);
		return;
	}
	newframe = vn_frame(op, sizeof(*msg), op->op_optype,
	    op->op_dir->n_cookie);
	msg = (struct puffs_vnmsg_remove *)newframe;
	vn_kcn(&msg->pvnr_cn, PUFFS_NAMEI_DELETE, op->op_name);
	msg->pvnr_cn_cred = op->op_cred;
	msg->pvnr_cookie_targ = op->op_node->n_cookie;
	msg_call(op->op_pmp, newframe, sizeof(*msg), sizeof(*msg),
	    vn_remove_done, op);
}

static void
vn_remove(fuse_req_t req, fuse_ino_t parent, const char *name, int optype)
{
	struct vnop *op = vn_new(req);

	op->op_optype = optype;
	op->op_name = g_strdup(name);
	if ((op->op_dir = vn_node(op, parent)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, optype)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	vn_lookup(op, op->op_dir, name, PUFFS_NAMEI_DELETE,
	    vn_remove_lookupdone);
}

void
vn_op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	vn_remove(req, parent, name, PUFFS_VN_REMOVE);
}

void
vn_op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	vn_remove(req, parent, name, PUFFS_VN_RMDIR);
}

/* ---- rename: LOOKUP(RENAME) of source and target, RENAME ---- */

static void
vn_rename_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	vn_fail(op, msg_result(op->op_pmp, error, frame, len));
}

static void
vn_rename_send(struct vnop *op)
{
	struct puffs_vnmsg_rename *msg;
	uint8_t *frame;

	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_RENAME,
	    op->op_dir->n_cookie);
	msg = (struct puffs_vnmsg_rename *)frame;
	vn_kcn(&msg->pvnr_cn_src, PUFFS_NAMEI_RENAME, op->op_name);
	msg->pvnr_cn_src_cred = op->op_cred;
	vn_kcn(&msg->pvnr_cn_targ, PUFFS_NAMEI_RENAME, op->op_name2);
	msg->pvnr_cn_targ_cred = op->op_cred;
	msg->pvnr_cookie_src = op->op_node->n_cookie;
	msg->pvnr_cookie_targ = op->op_node2 != NULL ?
	    op->op_node2->n_cookie : 0;
	msg->pvnr_cookie_targdir = op->op_dir2->n_cookie;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg),
	    vn_rename_done, op);
}

static void
vn_rename_targdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if (error == 0 && vn_maynew(vn_rawrv(frame, len))) {
		vn_rename_send(op);
		return;
	}
	if ((error = vn_lookupres(op, error, frame, len,
	    &op->op_node2)) != 0) {
		vn_abortop(op, op->op_dir, op->op_name, PUFFS_NAMEI_RENAME);
		vn_fail(op, error);
		return;
	}
	/* XLATE_RENAME_NOREPLACE (op_mode): puffs has no flag, the lookup says. */
	if (op->op_mode & XLATE_RENAME_NOREPLACE) {
		vn_abortop(op, op->op_dir2, op->op_name2, PUFFS_NAMEI_RENAME);
		vn_abortop(op, op->op_dir, op->op_name, PUFFS_NAMEI_RENAME);
		vn_fail(op, EEXIST);
		return;
	}
	vn_rename_send(op);
}

static void
vn_rename_srcdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = vn_lookupres(op, error, frame, len, &op->op_node)) != 0) {
		vn_fail(op, error);
		return;
	}
	vn_lookup(op, op->op_dir2, op->op_name2, PUFFS_NAMEI_RENAME,
	    vn_rename_targdone);
}

void
vn_op_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
    fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	struct vnop *op = vn_new(req);

	op->op_name = g_strdup(name);
	op->op_name2 = g_strdup(newname);
	if ((op->op_dir = vn_node(op, parent)) == NULL ||
	    (op->op_dir2 = vn_node(op, newparent)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	/* EXCHANGE, WHITEOUT: no puffs counterpart. NOREPLACE: emulated. */
	op->op_mode = flags;
	if (flags & ~XLATE_RENAME_NOREPLACE) {
		vn_fail(op, EINVAL);
		return;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_RENAME)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	vn_lookup(op, op->op_dir, name, PUFFS_NAMEI_RENAME, vn_rename_srcdone);
}
