/*
 * vnops_xattr.c: Linux xattr calls as puffs GET/SET/LIST/DELETEEXTATTR,
 * the way NetBSD's Linux-style *xattr(2) syscalls made them: the namespace
 * from the name's prefix (user. -> USER; system., security., trusted. ->
 * SYSTEM; anything else USER), the full name sent as is, the size always
 * asked for so that a short buffer gives ERANGE rather than NetBSD's
 * truncation, XATTR_CREATE/REPLACE emulated with a size probe, and lists of
 * both namespaces joined, bare names given a prefix.  Called by libfuse
 * through fuse.c's ops table.
 */
#include <errno.h>
#include <string.h>
#include <sys/xattr.h>

#include "log.h"
#include "vnops_ext.h"
#include "xlate.h"

/* Linux XATTR_SIZE_MAX and XATTR_LIST_MAX. */
#define VN_XATTR_SIZEMAX	65536
#define VN_XATTR_SECURITY	"security."

/* The reply's data: produced = asked - resid left, within the frame. */
static int
vn_xattr_data(struct vnop *op, size_t len, size_t fixed, uint64_t asked,
    uint64_t resid, int errtype, size_t *producedp)
{
	if (resid > asked || len - fixed < asked - resid) {
		*producedp = 0;
		return msg_badreply(op->op_pmp, errtype, E2BIG,
		    op->op_node->n_cookie, "%s reply: resid %" G_GUINT64_FORMAT
		    " of %" G_GUINT64_FORMAT ", %zu data bytes",
		    errtype == PUFFS_ERR_GETEXTATTR ? "GETEXTATTR" :
		    "LISTEXTATTR", resid, asked, len - fixed);
	}
	*producedp = (size_t)(asked - resid);
	return 0;
}

/* Start a xattr op on ino: the node held, NULL (answered) if it fails. */
static struct vnop *
vn_xattr_begin(fuse_req_t req, fuse_ino_t ino, int optype)
{
	struct vnop *op = vn_new(req);

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return NULL;
	}
	if (!vfs_hasop(op->op_pmp, optype)) {
		vn_fail(op, ENOTSUP);
		return NULL;
	}
	return op;
}

/* GETEXTATTR of op->op_name, asking for the size and up to resid bytes. */
static void
vn_getextattr(struct vnop *op, size_t resid, msg_done_fn done)
{
	struct puffs_vnmsg_getextattr *msg;
	uint8_t *frame;

	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_GETEXTATTR,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_getextattr *)frame;
	msg->pvnr_cred = op->op_cred;
	/*
	 * Linux leaves reading security.* to the security modules, which let
	 * anyone read (the kernel itself reads security.capability as the
	 * caller at every exec).  The VFS has decided, so puffsd asks with
	 * the kernel's own credential; a SYSTEM-namespace server would
	 * otherwise refuse non-root callers.  Writes are root's: Linux
	 * refuses the others before they get here.
	 */
	if (strncmp(op->op_name, VN_XATTR_SECURITY,
	    strlen(VN_XATTR_SECURITY)) == 0)
		vfs_fscred(&msg->pvnr_cred);
	msg->pvnr_attrnamespace = xlate_xattr_ns(op->op_name);
	g_strlcpy(msg->pvnr_attrname, op->op_name,
	    sizeof(msg->pvnr_attrname));
	msg->pvnr_datasize = 1;
	msg->pvnr_resid = resid;
	op->op_chunk = resid;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg) + resid, done,
	    op);
}

/* A GETEXTATTR reply: the size in *sizep, the bytes at *datap. */
static int
vn_getextattr_res(struct vnop *op, int error, const uint8_t *frame,
    size_t len, uint64_t *sizep, const uint8_t **datap, size_t *np)
{
	const struct puffs_vnmsg_getextattr *ga;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0)
		return xlate_xattr_errno(error);
	if (frame_get(frame, len, sizeof(*ga), PUFFS_MSG_MAXSIZE,
	    (const void **)&ga) != 0)
		return msg_badreply(op->op_pmp, PUFFS_ERR_GETEXTATTR, EBADMSG,
		    op->op_node->n_cookie, "short GETEXTATTR reply");
	if ((error = vn_xattr_data(op, len, sizeof(*ga), op->op_chunk,
	    ga->pvnr_resid, PUFFS_ERR_GETEXTATTR, np)) != 0)
		return error;
	*datap = ga->pvnr_data;
	/* A server that ignores the size question: what it gave is all. */
	*sizep = ga->pvnr_datasize > *np ? ga->pvnr_datasize : *np;
	return 0;
}

/* ---- getxattr ---- */

static void
vn_getxattr_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const uint8_t *data;
	uint64_t size;
	size_t n;

	if ((error = vn_getextattr_res(op, error, frame, len, &size, &data,
	    &n)) != 0) {
		vn_fail(op, error);
		return;
	}
	if (op->op_size == 0)
		fuse_reply_xattr(op->op_req, size);
	else if (size > op->op_size || size > n)
		fuse_reply_err(op->op_req, ERANGE);
	else
		fuse_reply_buf(op->op_req, (const char *)data, n);
	vn_end(op);
}

void
vn_op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	struct vnop *op;

	if ((op = vn_xattr_begin(req, ino, PUFFS_VN_GETEXTATTR)) == NULL)
		return;
	if (strlen(name) > PUFFS_EXTNAMELEN || xlate_xattr_bareprefix(name)) {
		vn_fail(op, xlate_xattr_bareprefix(name) ? EINVAL : ERANGE);
		return;
	}
	op->op_name = g_strdup(name);
	op->op_size = size;
	vn_getextattr(op, MIN(size, VN_XATTR_SIZEMAX), vn_getxattr_done);
}

/* ---- setxattr: probe for CREATE/REPLACE, then SETEXTATTR ---- */

static void
vn_setxattr_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const struct puffs_vnmsg_setextattr *sa;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		vn_fail(op, xlate_xattr_errno(error));
		return;
	}
	if (frame_get(frame, len, sizeof(*sa), PUFFS_MSG_MAXSIZE,
	    (const void **)&sa) != 0) {
		vn_fail(op, msg_badreply(op->op_pmp, PUFFS_ERR_ERROR, EBADMSG,
		    op->op_node->n_cookie, "short SETEXTATTR reply"));
		return;
	}
	/* NetBSD: whatever the server did not take is an I/O error. */
	vn_fail(op, sa->pvnr_resid != 0 ? EIO : 0);
}

static void
vn_setextattr(struct vnop *op)
{
	struct puffs_vnmsg_setextattr *msg;
	uint8_t *frame;
	size_t len = sizeof(*msg) + op->op_size;

	frame = vn_frame(op, len, PUFFS_VN_SETEXTATTR, op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_setextattr *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_attrnamespace = xlate_xattr_ns(op->op_name);
	g_strlcpy(msg->pvnr_attrname, op->op_name,
	    sizeof(msg->pvnr_attrname));
	msg->pvnr_resid = op->op_size;
	if (op->op_size > 0)
		memcpy(msg->pvnr_data, op->op_data, op->op_size);
	msg_call(op->op_pmp, frame, len, sizeof(*msg), vn_setxattr_done, op);
}

static void
vn_setxattr_probed(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const uint8_t *data;
	uint64_t size;
	size_t n;

	error = vn_getextattr_res(op, error, frame, len, &size, &data, &n);
	if (error == 0 && (op->op_mode & XATTR_CREATE)) {
		vn_fail(op, EEXIST);
		return;
	}
	if (error == ENODATA && (op->op_mode & XATTR_REPLACE)) {
		vn_fail(op, ENODATA);
		return;
	}
	if (error != 0 && error != ENODATA) {
		vn_fail(op, error);
		return;
	}
	vn_setextattr(op);
}

void
vn_op_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
    const char *value, size_t size, int flags)
{
	struct vnop *op;

	if ((op = vn_xattr_begin(req, ino, PUFFS_VN_SETEXTATTR)) == NULL)
		return;
	if (strlen(name) > PUFFS_EXTNAMELEN || size > VN_XATTR_SIZEMAX) {
		vn_fail(op, strlen(name) > PUFFS_EXTNAMELEN ? ERANGE : E2BIG);
		return;
	}
	/* Linux file systems refuse a bare namespace prefix ("user."). */
	if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) ||
	    xlate_xattr_bareprefix(name)) {
		vn_fail(op, EINVAL);
		return;
	}
	op->op_name = g_strdup(name);
	op->op_data = g_memdup2(value, size);
	op->op_size = size;
	op->op_mode = flags;
	/* NetBSD's setxattr(2) asks the file system first, as we do. */
	if (flags != 0 && vfs_hasop(op->op_pmp, PUFFS_VN_GETEXTATTR))
		vn_getextattr(op, 0, vn_setxattr_probed);
	else
		vn_setextattr(op);
}

/* ---- removexattr ---- */

static void
vn_removexattr_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	vn_fail(op, xlate_xattr_errno(msg_result(op->op_pmp, error, frame,
	    len)));
}

void
vn_op_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	struct puffs_vnmsg_deleteextattr *msg;
	struct vnop *op;
	uint8_t *frame;

	if ((op = vn_xattr_begin(req, ino, PUFFS_VN_DELETEEXTATTR)) == NULL)
		return;
	if (strlen(name) > PUFFS_EXTNAMELEN || xlate_xattr_bareprefix(name)) {
		vn_fail(op, xlate_xattr_bareprefix(name) ? EINVAL : ERANGE);
		return;
	}
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_DELETEEXTATTR,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_deleteextattr *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_attrnamespace = xlate_xattr_ns(name);
	g_strlcpy(msg->pvnr_attrname, name, sizeof(msg->pvnr_attrname));
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg),
	    vn_removexattr_done, op);
}

/* ---- listxattr: USER, then SYSTEM (refusal skipped), joined ---- */

static void vn_listextattr(struct vnop *, int, msg_done_fn);

static void
vn_listxattr_reply(struct vnop *op)
{
	if (op->op_size == 0)
		fuse_reply_xattr(op->op_req, op->op_done);
	else if (op->op_done > op->op_size)
		fuse_reply_err(op->op_req, ERANGE);
	else
		fuse_reply_buf(op->op_req, (const char *)op->op_data,
		    op->op_done);
	vn_end(op);
}

/* One LISTEXTATTR reply: 0 (added), an errno, or -1 (skip this ns). */
static int
vn_listxattr_res(struct vnop *op, int error, const uint8_t *frame,
    size_t len, int ns)
{
	const struct puffs_vnmsg_listextattr *la;
	size_t n;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0) {
		if (ns == XLATE_EXTATTR_SYSTEM && (error == EPERM ||
		    error == EACCES || error == EOPNOTSUPP || error == ENOTSUP))
			return -1;
		return xlate_xattr_errno(error);
	}
	if (frame_get(frame, len, sizeof(*la), PUFFS_MSG_MAXSIZE,
	    (const void **)&la) != 0)
		return msg_badreply(op->op_pmp, PUFFS_ERR_LISTEXTATTR,
		    EBADMSG, op->op_node->n_cookie, "short LISTEXTATTR reply");
	if ((error = vn_xattr_data(op, len, sizeof(*la), op->op_chunk,
	    la->pvnr_resid, PUFFS_ERR_LISTEXTATTR, &n)) != 0)
		return error;
	if (la->pvnr_datasize > n)
		return E2BIG;	/* more than Linux can list */
	if ((error = xlate_xattr_list(op->op_data, VN_XATTR_SIZEMAX,
	    &op->op_done, la->pvnr_data, n, ns)) == EPROTO)
		return msg_badreply(op->op_pmp, PUFFS_ERR_LISTEXTATTR, EPROTO,
		    op->op_node->n_cookie, "LISTEXTATTR: malformed name list");
	return error;
}

static void
vn_listxattr_sysdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	error = vn_listxattr_res(op, error, frame, len, XLATE_EXTATTR_SYSTEM);
	if (error > 0) {
		vn_fail(op, error);
		return;
	}
	vn_listxattr_reply(op);
}

static void
vn_listxattr_userdone(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	error = vn_listxattr_res(op, error, frame, len, XLATE_EXTATTR_USER);
	if (error != 0) {
		vn_fail(op, error);
		return;
	}
	vn_listextattr(op, XLATE_EXTATTR_SYSTEM, vn_listxattr_sysdone);
}

static void
vn_listextattr(struct vnop *op, int ns, msg_done_fn done)
{
	struct puffs_vnmsg_listextattr *msg;
	uint8_t *frame;

	op->op_chunk = VN_XATTR_SIZEMAX;
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_LISTEXTATTR,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_listextattr *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_attrnamespace = ns;
	msg->pvnr_flag = 0;	/* NUL-separated names, as listxattr(2) */
	msg->pvnr_datasize = 1;
	msg->pvnr_resid = op->op_chunk;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg) + op->op_chunk,
	    done, op);
}

void
vn_op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	struct vnop *op;

	if ((op = vn_xattr_begin(req, ino, PUFFS_VN_LISTEXTATTR)) == NULL)
		return;
	op->op_size = size;
	op->op_data = g_malloc(VN_XATTR_SIZEMAX);
	vn_listextattr(op, XLATE_EXTATTR_USER, vn_listxattr_userdone);
}
