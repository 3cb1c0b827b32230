/*
 * vnops_dir.c: directories: opendir, readdir, releasedir, fsyncdir.
 * puffs READDIR offsets are opaque to puffsd while FUSE wants a resumable
 * offset per entry, so each open directory reads the whole directory on
 * readdir at offset 0, checks every record, and serves FUSE from that
 * snapshot with offsets index + 1.  Called through fuse.c's ops table.
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "vnops.h"

/* A directory bigger than this is refused rather than held in memory. */
#define VN_DIR_MAXENTS	(4 * 1024 * 1024)
#define VN_DIR_CHUNK	(256 * 1024)

static void
vn_opendir_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;

	if ((error = vn_openres(op, error, frame, len)) != 0) {
		vn_fail(op, error);
		return;
	}
	op->op_fh->fh_dents = g_ptr_array_new();
	if (fuse_reply_open(op->op_req, &op->op_fi) != 0)
		vn_fh_free(op->op_pmp, op->op_fh);
	vn_end(op);
}

void
vn_op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	op->op_fi = *fi;
	vn_open(op, op->op_node, fi->flags, true, vn_opendir_done);
}

void
vn_op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	vn_op_release(req, ino, fi);
}

void
vn_op_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	vn_op_fsync(req, ino, datasync, fi);
}

static void
vn_dents_clear(GPtrArray *dents)
{
	guint i;

	for (i = 0; i < dents->len; i++)
		g_free(g_ptr_array_index(dents, i));
	g_ptr_array_set_size(dents, 0);
}

/* Answer readdir(off, size) from the snapshot. */
static void
vn_readdir_reply(struct vnop *op)
{
	GPtrArray *dents = op->op_fh->fh_dents;
	char *buf = g_malloc(op->op_size);
	struct stat st;
	size_t pos = 0, n;
	guint i;

	memset(&st, 0, sizeof(st));
	for (i = op->op_off; i < dents->len; i++) {
		struct vndent *de = g_ptr_array_index(dents, i);

		st.st_ino = de->de_fileno;
		st.st_mode = DTTOIF(de->de_type);
		n = fuse_add_direntry(op->op_req, buf + pos, op->op_size - pos,
		    de->de_name, &st, i + 1);
		if (n > op->op_size - pos)
			break;
		pos += n;
	}
	fuse_reply_buf(op->op_req, buf, pos);
	g_free(buf);
	vn_end(op);
}

static void vn_readdir_next(struct vnop *);

/* Check and store every record of one READDIR reply. */
static int
vn_readdir_take(struct vnop *op, const uint8_t *dents, size_t n)
{
	GPtrArray *arr = op->op_fh->fh_dents;
	struct frame_dirent fd;
	struct vndent *de;
	size_t off = 0;
	int error;

	while ((error = frame_dirent_next(dents, n, &off, &fd)) == 0) {
		if (arr->len >= VN_DIR_MAXENTS)
			return EFBIG;
		if (fd.namlen > 255)
			continue;	/* Linux cannot name it */
		de = g_malloc(sizeof(*de) + fd.namlen + 1);
		de->de_fileno = fd.fileno;
		de->de_type = fd.type;
		memcpy(de->de_name, fd.name, fd.namlen);
		de->de_name[fd.namlen] = '\0';
		g_ptr_array_add(arr, de);
	}
	if (error != ENOENT)
		return msg_badreply(op->op_pmp, PUFFS_ERR_READDIR, EINVAL,
		    op->op_node->n_cookie, "malformed dirent at byte %zu",
		    off);
	return 0;
}

static void
vn_readdir_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct vnop *op = arg;
	const struct puffs_vnmsg_readdir *rd;
	const uint8_t *dents;
	size_t n;

	if ((error = msg_result(op->op_pmp, error, frame, len)) != 0)
		goto fail;
	if (frame_get_readdir(frame, len, op->op_chunk, &rd, &dents,
	    &n) != 0) {
		error = msg_badreply(op->op_pmp, PUFFS_ERR_READDIR, E2BIG,
		    op->op_node->n_cookie, "bad READDIR reply sizes");
		goto fail;
	}
	if ((error = vn_readdir_take(op, dents, n)) != 0)
		goto fail;
	if (rd->pvnr_eofflag || n == 0) {
		vn_readdir_reply(op);
		return;
	}
	op->op_dirpos = rd->pvnr_offset;
	vn_readdir_next(op);
	return;
fail:
	vn_dents_clear(op->op_fh->fh_dents);
	vn_fail(op, error == EPROTO ? EIO : error);
}

static void
vn_readdir_next(struct vnop *op)
{
	struct puffs_vnmsg_readdir *msg;
	uint8_t *frame;

	op->op_chunk = PUFFS_TOMOVE(VN_DIR_CHUNK, op->op_pmp->pmp_maxmsglen);
	frame = vn_frame(op, sizeof(*msg), PUFFS_VN_READDIR,
	    op->op_node->n_cookie);
	msg = (struct puffs_vnmsg_readdir *)frame;
	msg->pvnr_cred = op->op_cred;
	msg->pvnr_offset = op->op_dirpos;
	msg->pvnr_resid = op->op_chunk;
	msg_call(op->op_pmp, frame, sizeof(*msg), sizeof(*msg) + op->op_chunk,
	    vn_readdir_done, op);
}

void
vn_op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct vnop *op = vn_new(req);

	if ((op->op_node = vn_node(op, ino)) == NULL) {
		vn_fail(op, ESTALE);
		return;
	}
	if (!vfs_hasop(op->op_pmp, PUFFS_VN_READDIR)) {
		vn_fail(op, EOPNOTSUPP);
		return;
	}
	op->op_fh = (struct vnfh *)(uintptr_t)fi->fh;
	op->op_size = size;
	op->op_off = off < 0 ? 0 : off;
	/* Offset 0 (a new listing or rewinddir) takes a fresh snapshot. */
	if (off > 0 && op->op_fh->fh_dents->len > 0) {
		vn_readdir_reply(op);
		return;
	}
	vn_dents_clear(op->op_fh->fh_dents);
	op->op_dirpos = 0;
	vn_readdir_next(op);
}
