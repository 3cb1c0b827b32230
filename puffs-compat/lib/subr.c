/*
 * subr.c: utilities servers call on plain data: directory entries, vattr
 * and vtype helpers, statvfs fills, the fsnop/genfs ready-made ops, and
 * the library's own conversions between wire records and the types
 * servers see.  Callable from anywhere; no state of its own.
 */
#include <sys/stat.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "puffs_priv.h"

#define PUFFS_DEV_BSIZE	512

/* glibc's <dirent.h> renames d_fileno; the wire record keeps its name. */
#undef d_fileno

int
puffs_nextdent(struct dirent **dent, const char *name, ino_t id,
    uint8_t dtype, size_t *reslen)
{
	struct puffs_kdirent *kd = (struct puffs_kdirent *)*dent;
	size_t namlen = strlen(name);
	size_t reclen = PUFFS_DIRENT_RECLEN(namlen);

	if (namlen > UINT16_MAX || reclen > *reslen)
		return 0;
	kd->d_fileno = id;
	kd->d_reclen = (uint16_t)reclen;
	kd->d_namlen = (uint16_t)namlen;
	kd->d_type = dtype;
	memcpy(kd->d_name, name, namlen + 1);
	*reslen -= reclen;
	*dent = (struct dirent *)((uint8_t *)kd + reclen);
	return 1;
}

int
puffs_gendotdent(struct dirent **dent, ino_t id, int dotdot, size_t *reslen)
{
	return puffs_nextdent(dent, dotdot ? ".." : ".", id, DT_DIR, reslen);
}

int
puffs_vtype2dt(enum vtype vt)
{
	switch (vt) {
	case VREG:	return DT_REG;
	case VDIR:	return DT_DIR;
	case VBLK:	return DT_BLK;
	case VCHR:	return DT_CHR;
	case VLNK:	return DT_LNK;
	case VSOCK:	return DT_SOCK;
	case VFIFO:	return DT_FIFO;
	default:	return DT_UNKNOWN;
	}
}

enum vtype
puffs_mode2vt(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return VREG;
	case S_IFDIR:	return VDIR;
	case S_IFBLK:	return VBLK;
	case S_IFCHR:	return VCHR;
	case S_IFLNK:	return VLNK;
	case S_IFSOCK:	return VSOCK;
	case S_IFIFO:	return VFIFO;
	default:	return VBAD;
	}
}

mode_t
puffs_addvtype2mode(mode_t mode, enum vtype type)
{
	switch (type) {
	case VREG:	return mode | S_IFREG;
	case VDIR:	return mode | S_IFDIR;
	case VBLK:	return mode | S_IFBLK;
	case VCHR:	return mode | S_IFCHR;
	case VLNK:	return mode | S_IFLNK;
	case VSOCK:	return mode | S_IFSOCK;
	case VFIFO:	return mode | S_IFIFO;
	default:	return mode;
	}
}

/* Linux struct stat has no birth time, generation or file flags. */
void
puffs_stat2vattr(struct vattr *va, const struct stat *sb)
{
	memset(va, 0, sizeof(*va));
	va->va_type = puffs_mode2vt(sb->st_mode);
	va->va_mode = sb->st_mode & ALLPERMS;
	va->va_nlink = (uint32_t)sb->st_nlink;
	va->va_uid = sb->st_uid;
	va->va_gid = sb->st_gid;
	va->va_fsid = sb->st_dev;
	va->va_fileid = sb->st_ino;
	va->va_size = (uint64_t)sb->st_size;
	va->va_blocksize = sb->st_blksize;
	va->va_atime = sb->st_atim;
	va->va_mtime = sb->st_mtim;
	va->va_ctime = sb->st_ctim;
	va->va_birthtime = sb->st_ctim;
	va->va_rdev = sb->st_rdev;
	va->va_bytes = (uint64_t)sb->st_blocks * PUFFS_DEV_BSIZE;
}

static void
puffs_timespec_null(struct timespec *ts)
{
	ts->tv_sec = (time_t)PUFFS_VNOVAL;
	ts->tv_nsec = (long)PUFFS_VNOVAL;
}

void
puffs_vattr_null(struct vattr *va)
{
	va->va_type = VNON;
	va->va_mode = (mode_t)PUFFS_VNOVAL;
	va->va_nlink = (uint32_t)PUFFS_VNOVAL;
	va->va_uid = (uid_t)PUFFS_VNOVAL;
	va->va_gid = (gid_t)PUFFS_VNOVAL;
	va->va_fsid = (uint64_t)PUFFS_VNOVAL;
	va->va_fileid = (uint64_t)PUFFS_VNOVAL;
	va->va_size = (uint64_t)PUFFS_VNOVAL;
	va->va_blocksize = sysconf(_SC_PAGESIZE);
	puffs_timespec_null(&va->va_atime);
	puffs_timespec_null(&va->va_mtime);
	puffs_timespec_null(&va->va_ctime);
	puffs_timespec_null(&va->va_birthtime);
	va->va_gen = 0;
	va->va_flags = 0;
	va->va_rdev = (dev_t)PUFFS_VNOVAL;
	va->va_bytes = (uint64_t)PUFFS_VNOVAL;
	va->va_vaflags = 0;
}

#define SETIFVAL(dst, src, f) do {					\
	if ((src)->f != (__typeof__((src)->f))PUFFS_VNOVAL)		\
		(dst)->f = (src)->f;					\
} while (0)

static void
puffs_settime(struct timespec *dst, const struct timespec *src)
{
	SETIFVAL(dst, src, tv_sec);
	SETIFVAL(dst, src, tv_nsec);
}

void
puffs_setvattr(struct vattr *vap, const struct vattr *sva)
{
	if (sva->va_type != VNON)
		vap->va_type = sva->va_type;
	SETIFVAL(vap, sva, va_mode);
	SETIFVAL(vap, sva, va_nlink);
	SETIFVAL(vap, sva, va_uid);
	SETIFVAL(vap, sva, va_gid);
	SETIFVAL(vap, sva, va_fsid);
	SETIFVAL(vap, sva, va_size);
	SETIFVAL(vap, sva, va_fileid);
	SETIFVAL(vap, sva, va_blocksize);
	puffs_settime(&vap->va_atime, &sva->va_atime);
	puffs_settime(&vap->va_mtime, &sva->va_mtime);
	puffs_settime(&vap->va_ctime, &sva->va_ctime);
	puffs_settime(&vap->va_birthtime, &sva->va_birthtime);
	SETIFVAL(vap, sva, va_gen);
	SETIFVAL(vap, sva, va_flags);
	SETIFVAL(vap, sva, va_rdev);
	SETIFVAL(vap, sva, va_bytes);
}

void
puffs_zerostatvfs(struct puffs_statvfs *sbp)
{
	memset(sbp, 0, sizeof(*sbp));
	sbp->f_bsize = sbp->f_frsize = sbp->f_iosize = PUFFS_DEV_BSIZE;
	sbp->f_namemax = PUFFS_MAXNAMLEN;
}

int
puffs_fsnop_unmount(struct puffs_usermount *pu, int flags)
{
	(void)pu; (void)flags;
	return 0;
}

int
puffs_fsnop_statvfs(struct puffs_usermount *pu, struct puffs_statvfs *sbp)
{
	(void)pu;
	puffs_zerostatvfs(sbp);
	return 0;
}

int
puffs_fsnop_sync(struct puffs_usermount *pu, int waitfor,
    const struct puffs_cred *pcr)
{
	(void)pu; (void)waitfor; (void)pcr;
	return 0;
}

int
puffs_genfs_node_getattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct vattr *va, const struct puffs_cred *pcr)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);

	(void)pcr;
	if (pn == NULL)
		return ENOENT;
	memcpy(va, &pn->pn_va, sizeof(*va));
	return 0;
}

int
puffs_genfs_node_reclaim(struct puffs_usermount *pu, puffs_cookie_t opc)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);

	if (pn != NULL)
		puffs_pn_put(pn);
	return 0;
}

/*
 * Wire <-> server conversions.  Both sides mark "no value" with all bits
 * set, so plain casts keep VNOVAL on this LP64 host; the wire's enum
 * values are NetBSD's, as are ours.
 */
static void
puffs_kts_to_ts(struct timespec *ts, const struct puffs_ktimespec *kts)
{
	ts->tv_sec = (time_t)kts->tv_sec;
	ts->tv_nsec = (long)kts->tv_nsec;
}

static void
puffs_ts_to_kts(struct puffs_ktimespec *kts, const struct timespec *ts)
{
	kts->tv_sec = ts->tv_sec;
	kts->tv_nsec = ts->tv_nsec;
}

void
puffs__kvattr_to_vattr(struct vattr *va, const struct puffs_kvattr *kva)
{
	memset(va, 0, sizeof(*va));
	va->va_type = kva->va_type > VBAD ? VBAD : (enum vtype)kva->va_type;
	va->va_mode = kva->va_mode;
	va->va_nlink = kva->va_nlink;
	va->va_uid = kva->va_uid;
	va->va_gid = kva->va_gid;
	va->va_fsid = kva->va_fsid;
	va->va_fileid = kva->va_fileid;
	va->va_size = kva->va_size;
	va->va_blocksize = (long)kva->va_blocksize;
	puffs_kts_to_ts(&va->va_atime, &kva->va_atime);
	puffs_kts_to_ts(&va->va_mtime, &kva->va_mtime);
	puffs_kts_to_ts(&va->va_ctime, &kva->va_ctime);
	puffs_kts_to_ts(&va->va_birthtime, &kva->va_birthtime);
	va->va_gen = (unsigned long)kva->va_gen;
	va->va_flags = (unsigned long)kva->va_flags;
	va->va_rdev = (dev_t)kva->va_rdev;
	va->va_bytes = kva->va_bytes;
	va->va_filerev = kva->va_filerev;
	va->va_vaflags = kva->va_vaflags;
}

void
puffs__vattr_to_kvattr(struct puffs_kvattr *kva, const struct vattr *va)
{
	memset(kva, 0, sizeof(*kva));
	kva->va_type = (uint32_t)va->va_type;
	kva->va_mode = va->va_mode;
	kva->va_nlink = va->va_nlink;
	kva->va_uid = va->va_uid;
	kva->va_gid = va->va_gid;
	kva->va_vaflags = va->va_vaflags;
	kva->va_fsid = va->va_fsid;
	kva->va_fileid = va->va_fileid;
	kva->va_size = va->va_size;
	kva->va_blocksize = (uint64_t)va->va_blocksize;
	puffs_ts_to_kts(&kva->va_atime, &va->va_atime);
	puffs_ts_to_kts(&kva->va_mtime, &va->va_mtime);
	puffs_ts_to_kts(&kva->va_ctime, &va->va_ctime);
	puffs_ts_to_kts(&kva->va_birthtime, &va->va_birthtime);
	kva->va_gen = va->va_gen;
	kva->va_flags = va->va_flags;
	kva->va_rdev = va->va_rdev;
	kva->va_bytes = va->va_bytes;
	kva->va_filerev = va->va_filerev;
}

#define COPYNAME(dst, src) do {						\
	memcpy((dst), (src), sizeof(dst));				\
	(dst)[sizeof(dst) - 1] = '\0';					\
} while (0)

void
puffs__kstatvfs_to_statvfs(struct puffs_statvfs *sb,
    const struct puffs_kstatvfs *ksb)
{
	memset(sb, 0, sizeof(*sb));
	sb->f_flag = ksb->f_flag;
	sb->f_bsize = ksb->f_bsize;
	sb->f_frsize = ksb->f_frsize;
	sb->f_iosize = ksb->f_iosize;
	sb->f_blocks = ksb->f_blocks;
	sb->f_bfree = ksb->f_bfree;
	sb->f_bavail = ksb->f_bavail;
	sb->f_bresvd = ksb->f_bresvd;
	sb->f_files = ksb->f_files;
	sb->f_ffree = ksb->f_ffree;
	sb->f_favail = ksb->f_favail;
	sb->f_fresvd = ksb->f_fresvd;
	sb->f_syncreads = ksb->f_syncreads;
	sb->f_syncwrites = ksb->f_syncwrites;
	sb->f_asyncreads = ksb->f_asyncreads;
	sb->f_asyncwrites = ksb->f_asyncwrites;
	sb->f_fsidx.__fsid_val[0] = ksb->f_fsidx[0];
	sb->f_fsidx.__fsid_val[1] = ksb->f_fsidx[1];
	sb->f_fsid = ksb->f_fsid;
	sb->f_namemax = ksb->f_namemax;
	sb->f_owner = ksb->f_owner;
	COPYNAME(sb->f_fstypename, ksb->f_fstypename);
	COPYNAME(sb->f_mntonname, ksb->f_mntonname);
	COPYNAME(sb->f_mntfromname, ksb->f_mntfromname);
}

void
puffs__statvfs_to_kstatvfs(struct puffs_kstatvfs *ksb,
    const struct puffs_statvfs *sb)
{
	memset(ksb, 0, sizeof(*ksb));
	ksb->f_flag = sb->f_flag;
	ksb->f_bsize = sb->f_bsize;
	ksb->f_frsize = sb->f_frsize;
	ksb->f_iosize = sb->f_iosize;
	ksb->f_blocks = sb->f_blocks;
	ksb->f_bfree = sb->f_bfree;
	ksb->f_bavail = sb->f_bavail;
	ksb->f_bresvd = sb->f_bresvd;
	ksb->f_files = sb->f_files;
	ksb->f_ffree = sb->f_ffree;
	ksb->f_favail = sb->f_favail;
	ksb->f_fresvd = sb->f_fresvd;
	ksb->f_syncreads = sb->f_syncreads;
	ksb->f_syncwrites = sb->f_syncwrites;
	ksb->f_asyncreads = sb->f_asyncreads;
	ksb->f_asyncwrites = sb->f_asyncwrites;
	ksb->f_fsidx[0] = sb->f_fsidx.__fsid_val[0];
	ksb->f_fsidx[1] = sb->f_fsidx.__fsid_val[1];
	ksb->f_fsid = sb->f_fsid;
	ksb->f_namemax = sb->f_namemax;
	ksb->f_owner = sb->f_owner;
	COPYNAME(ksb->f_fstypename, sb->f_fstypename);
	COPYNAME(ksb->f_mntonname, sb->f_mntonname);
	COPYNAME(ksb->f_mntfromname, sb->f_mntfromname);
}
