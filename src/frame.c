/*
 * frame.c: puffs frames on puffsd's side.  frame_new() builds a request,
 * the frame_get_*() getters check a reply's sizes before anything reads a
 * field.  Called by msg.c, vfsops.c, the vnops and the unit tests.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "frame.h"

/* A zeroed request frame of len bytes, header filled in. */
uint8_t *
frame_new(size_t len, uint16_t opclass, uint16_t optype, uint64_t cookie)
{
	struct puffs_req *preq;
	uint8_t *buf;

	g_assert(len >= sizeof(*preq));
	buf = g_malloc0(len);
	preq = (struct puffs_req *)buf;
	preq->preq_pth.pth_framelen = len;
	preq->preq_opclass = opclass;
	preq->preq_optype = optype;
	preq->preq_cookie = cookie;
	preq->preq_buflen = len;
	return buf;
}

/* The attach answer; *lenp gets its size. */
uint8_t *
frame_mountresp(int error, uint64_t maxmsglen, const char *why, size_t *lenp)
{
	struct puffs_mountresp *resp = g_new0(struct puffs_mountresp, 1);

	resp->pmp_pth.pth_framelen = sizeof(*resp);
	resp->pmp_magic = PUFFS_BRIDGE_MAGIC;
	resp->pmp_version = PUFFS_BRIDGE_VERSION;
	resp->pmp_error = error;
	resp->pmp_maxmsglen = maxmsglen;
	if (why != NULL)
		g_strlcpy(resp->pmp_msg, why, sizeof(resp->pmp_msg));
	*lenp = sizeof(*resp);
	return (uint8_t *)resp;
}

/*
 * The generic getter: at least fixlen bytes, at most maxlen, and a putter
 * header that names exactly the bytes we hold.
 */
int
frame_get(const uint8_t *buf, size_t len, size_t fixlen, size_t maxlen,
    const void **out)
{
	struct putter_hdr hdr;

	*out = NULL;
	if (buf == NULL || len < fixlen || len < sizeof(hdr))
		return EBADMSG;
	if (len > maxlen)
		return EPROTO;
	memcpy(&hdr, buf, sizeof(hdr));
	if (hdr.pth_framelen != len)
		return EBADMSG;
	*out = buf;
	return 0;
}

/* An errno from the server, as NetBSD's checkerr sees it. */
int
frame_checkerr(int32_t rv)
{
	if (rv < 0 || rv > FRAME_ERRNO_MAX)
		return EPROTO;
	return 0;
}

#define FRAME_GETTER(name, type)					\
int									\
frame_get_##name(const uint8_t *buf, size_t len, const type **out)	\
{									\
	return frame_get(buf, len, sizeof(type), PUFFS_MSG_MAXSIZE,	\
	    (const void **)out);					\
}

FRAME_GETTER(req, struct puffs_req)
FRAME_GETTER(lookup, struct puffs_vnmsg_lookup)
FRAME_GETTER(create, struct puffs_vnmsg_create)
FRAME_GETTER(symlink, struct puffs_vnmsg_symlink)
FRAME_GETTER(open, struct puffs_vnmsg_open)
FRAME_GETTER(getattr, struct puffs_vnmsg_getattr)
FRAME_GETTER(statvfs, struct puffs_vfsmsg_statvfs)

/*
 * The mount description: fixed part, then pmr_dirlen bytes holding one
 * absolute, NUL-terminated path and nothing after it.
 */
int
frame_get_mountreq(const uint8_t *buf, size_t len,
    const struct puffs_mountreq **out, const char **dirp)
{
	const struct puffs_mountreq *mr;
	const char *dir;
	int error;

	*dirp = NULL;
	error = frame_get(buf, len, sizeof(*mr),
	    sizeof(*mr) + PUFFS_MAXPATHLEN, (const void **)&mr);
	if (error != 0)
		return error;
	*out = NULL;
	if (mr->pmr_dirlen < 2 || mr->pmr_dirlen > PUFFS_MAXPATHLEN)
		return EPROTO;
	if (len != sizeof(*mr) + mr->pmr_dirlen)
		return EBADMSG;
	dir = mr->pmr_data;
	if (dir[mr->pmr_dirlen - 1] != '\0' ||
	    strlen(dir) != mr->pmr_dirlen - 1 || dir[0] != '/')
		return EPROTO;
	*out = mr;
	*dirp = dir;
	return 0;
}

/*
 * A READ reply: asked bytes were requested; the data read is the first
 * asked - pvnr_resid bytes after the fixed part.
 */
int
frame_get_read(const uint8_t *buf, size_t len, uint64_t asked,
    const struct puffs_vnmsg_rw **out, const uint8_t **data, size_t *n)
{
	const struct puffs_vnmsg_rw *rw;
	int error;

	*data = NULL;
	*n = 0;
	error = frame_get(buf, len, sizeof(*rw), PUFFS_MSG_MAXSIZE,
	    (const void **)&rw);
	if (error != 0)
		return error;
	*out = NULL;
	if (rw->pvnr_resid > asked)
		return EPROTO;
	if (len - sizeof(*rw) < asked - rw->pvnr_resid)
		return EBADMSG;
	*out = rw;
	*data = rw->pvnr_data;
	*n = asked - rw->pvnr_resid;
	return 0;
}

/* A WRITE reply: the fixed part, resid not above what was sent. */
int
frame_get_write(const uint8_t *buf, size_t len, uint64_t sent,
    const struct puffs_vnmsg_rw **out)
{
	const struct puffs_vnmsg_rw *rw;
	int error;

	error = frame_get(buf, len, sizeof(*rw), PUFFS_MSG_MAXSIZE,
	    (const void **)&rw);
	if (error != 0)
		return error;
	*out = NULL;
	if (rw->pvnr_resid > sent)
		return EPROTO;
	*out = rw;
	return 0;
}

/*
 * A READDIR reply: the dirents are the asked - resid bytes after the
 * pvnr_dentoff bytes of cookies, all inside the frame.
 */
int
frame_get_readdir(const uint8_t *buf, size_t len, uint64_t asked,
    const struct puffs_vnmsg_readdir **out, const uint8_t **dents, size_t *n)
{
	const struct puffs_vnmsg_readdir *rd;
	uint64_t used;
	int error;

	*dents = NULL;
	*n = 0;
	error = frame_get(buf, len, sizeof(*rd), PUFFS_MSG_MAXSIZE,
	    (const void **)&rd);
	if (error != 0)
		return error;
	*out = NULL;
	if (rd->pvnr_resid > asked)
		return EPROTO;
	used = asked - rd->pvnr_resid;
	if (rd->pvnr_dentoff > used)
		return EPROTO;
	if (len - sizeof(*rd) < used)
		return EBADMSG;
	*out = rd;
	*dents = rd->pvnr_data + rd->pvnr_dentoff;
	*n = used - rd->pvnr_dentoff;
	return 0;
}

/* A READLINK reply: the length fits the link buffer. */
int
frame_get_readlink(const uint8_t *buf, size_t len,
    const struct puffs_vnmsg_readlink **out)
{
	const struct puffs_vnmsg_readlink *rl;
	int error;

	error = frame_get(buf, len, sizeof(*rl), PUFFS_MSG_MAXSIZE,
	    (const void **)&rl);
	if (error != 0)
		return error;
	*out = NULL;
	if (rl->pvnr_linklen > sizeof(rl->pvnr_link))
		return EPROTO;
	*out = rl;
	return 0;
}

/*
 * The next dirent at *offp in a READDIR data area of len bytes.  Returns
 * ENOENT at the end, EPROTO for a record a file system must not produce:
 * unaligned or overrunning reclen, namlen not below reclen, an empty name or
 * one holding NUL or '/'.
 */
int
frame_dirent_next(const uint8_t *buf, size_t len, size_t *offp,
    struct frame_dirent *de)
{
	struct puffs_kdirent hdr;
	size_t off = *offp;
	const char *name;

	if (off >= len)
		return ENOENT;
	if (len - off < PUFFS_DIRENT_NAMEOFF)
		return EPROTO;
	memcpy(&hdr, buf + off, PUFFS_DIRENT_NAMEOFF);
	if (hdr.d_reclen % 8 != 0 || hdr.d_reclen > len - off ||
	    hdr.d_reclen < PUFFS_DIRENT_NAMEOFF + 1)
		return EPROTO;
	if (hdr.d_namlen == 0 || hdr.d_namlen > PUFFS_MAXNAMLEN ||
	    PUFFS_DIRENT_NAMEOFF + (size_t)hdr.d_namlen >= hdr.d_reclen)
		return EPROTO;
	name = (const char *)buf + off + PUFFS_DIRENT_NAMEOFF;
	if (memchr(name, '\0', hdr.d_namlen) != NULL ||
	    memchr(name, '/', hdr.d_namlen) != NULL)
		return EPROTO;
	de->fileno = hdr.d_fileno;
	de->type = hdr.d_type;
	de->namlen = hdr.d_namlen;
	de->name = name;
	*offp = off + hdr.d_reclen;
	return 0;
}

static const char *const frame_vfsnames[] = {
	"MOUNT", "START", "UNMOUNT", "ROOT", "QUOTACTL", "STATVFS", "SYNC",
	"VGET", "FHTOVP", "VPTOFH", "INIT", "DONE", "SNAPSHOT", "EXTATTRCTL",
	"SUSPEND",
};

static const char *const frame_vnnames[] = {
	"LOOKUP", "CREATE", "MKNOD", "OPEN", "CLOSE", "ACCESS", "GETATTR",
	"SETATTR", "READ", "WRITE", "IOCTL", "FCNTL", "POLL", "KQFILTER",
	"REVOKE", "MMAP", "FSYNC", "SEEK", "REMOVE", "LINK", "RENAME", "MKDIR",
	"RMDIR", "SYMLINK", "READDIR", "READLINK", "ABORTOP", "INACTIVE",
	"RECLAIM", "LOCK", "UNLOCK", "BMAP", "STRATEGY", "PRINT", "ISLOCKED",
	"PATHCONF", "ADVLOCK", "LEASE", "WHITEOUT", "GETPAGES", "PUTPAGES",
	"GETEXTATTR", "LISTEXTATTR", "OPENEXTATTR", "DELETEEXTATTR",
	"SETEXTATTR", "CLOSEEXTATTR", "FALLOCATE", "FDISCARD",
};

/* A name for logs: "VN_LOOKUP", "VFS_SYNC", "ERROR", ... */
const char *
frame_opname(uint16_t opclass, uint16_t optype)
{
	switch (PUFFSOP_OPCLASS(opclass)) {
	case PUFFSOP_VFS:
		if (optype < G_N_ELEMENTS(frame_vfsnames))
			return frame_vfsnames[optype];
		return "VFS_?";
	case PUFFSOP_VN:
		if (optype < G_N_ELEMENTS(frame_vnnames))
			return frame_vnnames[optype];
		return "VN_?";
	case PUFFSOP_ERROR:
		return "ERROR";
	case PUFFSOP_FLUSH:
		return "FLUSH";
	case PUFFSOP_SUSPEND:
		return "SUSPEND";
	case PUFFSOP_UNMOUNT:
		return "UNMOUNT";
	default:
		return "?";
	}
}
