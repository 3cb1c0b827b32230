/*
 * vattr.c: attribute conversions between the wire and Linux (see vattr.h).
 * The server's values are untrusted: the vtype is range-checked, VNOVAL
 * fields get safe fallbacks.
 */
#include <errno.h>
#include <string.h>

#include "vattr.h"

/* NetBSD's vattr_null(): everything VNOVAL, no flags, no type. */
void
vattr_null(struct puffs_kvattr *va)
{
	memset(va, 0xff, sizeof(*va));
	va->va_type = PUFFS_VNON;
	va->va_vaflags = 0;
}

uint32_t
vattr_vtype(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return PUFFS_VREG;
	case S_IFDIR:
		return PUFFS_VDIR;
	case S_IFBLK:
		return PUFFS_VBLK;
	case S_IFCHR:
		return PUFFS_VCHR;
	case S_IFLNK:
		return PUFFS_VLNK;
	case S_IFSOCK:
		return PUFFS_VSOCK;
	case S_IFIFO:
		return PUFFS_VFIFO;
	}
	return PUFFS_VNON;
}

mode_t
vattr_fmt(uint32_t vtype)
{
	static const mode_t fmt[] = {
		[PUFFS_VREG] = S_IFREG, [PUFFS_VDIR] = S_IFDIR,
		[PUFFS_VBLK] = S_IFBLK, [PUFFS_VCHR] = S_IFCHR,
		[PUFFS_VLNK] = S_IFLNK, [PUFFS_VSOCK] = S_IFSOCK,
		[PUFFS_VFIFO] = S_IFIFO,
	};

	if (vtype <= PUFFS_VNON || vtype >= PUFFS_VBAD)
		return 0;
	return fmt[vtype];
}

const char *
vattr_vtype_name(uint32_t vtype)
{
	static const char *const names[] = {
		"VNON", "VREG", "VDIR", "VBLK", "VCHR", "VLNK", "VSOCK",
		"VFIFO", "VBAD",
	};

	return vtype < PUFFS_VBAD + 1 ? names[vtype] : "?";
}

static void
vattr_ts(const struct puffs_ktimespec *kts, struct timespec *ts)
{
	if ((uint64_t)kts->tv_sec == VATTR_VNOVAL64) {
		ts->tv_sec = 0;
		ts->tv_nsec = 0;
		return;
	}
	ts->tv_sec = kts->tv_sec;
	ts->tv_nsec = kts->tv_nsec >= 0 && kts->tv_nsec < 1000000000 ?
	    kts->tv_nsec : 0;
}

/*
 * A GETATTR result as a struct stat.  The vtype must be valid, or VNON /
 * VNOVAL, which falls back to the type the node was made with.
 */
int
vattr_tostat(const struct puffs_kvattr *va, uint32_t nodetype,
    uint64_t nodeid, struct stat *st)
{
	uint32_t vtype = va->va_type;

	if (vtype == PUFFS_VNON || vtype == VATTR_VNOVAL32)
		vtype = nodetype;
	if (vattr_fmt(vtype) == 0)
		return EPROTO;
	memset(st, 0, sizeof(*st));
	st->st_mode = vattr_fmt(vtype) |
	    (va->va_mode == VATTR_VNOVAL32 ? 0 : (va->va_mode & 07777));
	st->st_nlink = va->va_nlink == VATTR_VNOVAL32 ? 1 : va->va_nlink;
	st->st_uid = va->va_uid == VATTR_VNOVAL32 ? 0 : va->va_uid;
	st->st_gid = va->va_gid == VATTR_VNOVAL32 ? 0 : va->va_gid;
	st->st_ino = va->va_fileid == VATTR_VNOVAL64 ? nodeid : va->va_fileid;
	st->st_size = va->va_size == VATTR_VNOVAL64 ||
	    (int64_t)va->va_size < 0 ? 0 : (off_t)va->va_size;
	if (vtype == PUFFS_VBLK || vtype == PUFFS_VCHR)
		st->st_rdev = va->va_rdev == VATTR_VNOVAL64 ? 0 : va->va_rdev;
	st->st_blksize = va->va_blocksize == VATTR_VNOVAL64 ||
	    va->va_blocksize == 0 || va->va_blocksize > (1 << 20) ?
	    4096 : (blksize_t)va->va_blocksize;
	if (va->va_bytes == VATTR_VNOVAL64)
		st->st_blocks = (st->st_size + 511) / 512;
	else
		st->st_blocks = (blkcnt_t)((va->va_bytes / 512) +
		    (va->va_bytes % 512 != 0));
	vattr_ts(&va->va_atime, &st->st_atim);
	vattr_ts(&va->va_mtime, &st->st_mtim);
	vattr_ts(&va->va_ctime, &st->st_ctim);
	return 0;
}
