/*
 * sys/statvfs.h (compat): NetBSD's struct statvfs, which is also the type
 * puffs servers fill in their statvfs callback (struct puffs_statvfs is
 * the same type: <puffs.h> defines it as a name for this one).  So both
 * spellings of the callback compile: the 2014 API's
 * "xx_fs_statvfs(struct puffs_usermount *, struct statvfs *)" and the
 * current "struct puffs_statvfs *", with NetBSD's fields (f_iosize,
 * f_bresvd, f_fresvd, f_owner, f_fstypename, ...).
 *
 * glibc's record is renamed (struct __puffs_host_statvfs) while its
 * header is read; statvfs() and fstatvfs() here call the host's and
 * convert.  f_flag keeps the host's ST_* bits, the fields Linux does not
 * report (I/O counters, names, f_owner) are zero, f_iosize is f_bsize.
 */
#ifndef PUFFS_COMPAT_SYS_STATVFS_H
#define PUFFS_COMPAT_SYS_STATVFS_H

#define statvfs		__puffs_host_statvfs
#define fstatvfs	__puffs_host_fstatvfs
#include_next <sys/statvfs.h>
#undef statvfs
#undef fstatvfs

#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/* NetBSD's fsid_t, under its own name so glibc's fsid_t stays usable. */
struct puffs_fsid {
	int32_t		__fsid_val[2];
};

#define _VFS_NAMELEN	32
#define _VFS_MNAMELEN	1024

struct statvfs {
	unsigned long	f_flag;
	unsigned long	f_bsize;
	unsigned long	f_frsize;
	unsigned long	f_iosize;
	uint64_t	f_blocks;
	uint64_t	f_bfree;
	uint64_t	f_bavail;
	uint64_t	f_bresvd;
	uint64_t	f_files;
	uint64_t	f_ffree;
	uint64_t	f_favail;
	uint64_t	f_fresvd;
	uint64_t	f_syncreads;
	uint64_t	f_syncwrites;
	uint64_t	f_asyncreads;
	uint64_t	f_asyncwrites;
	struct puffs_fsid f_fsidx;
	unsigned long	f_fsid;
	unsigned long	f_namemax;
	uid_t		f_owner;
	uint32_t	f_spare[4];
	char		f_fstypename[_VFS_NAMELEN];
	char		f_mntonname[_VFS_MNAMELEN];
	char		f_mntfromname[_VFS_MNAMELEN];
};

/*
 * The host's calls, bound by symbol whatever the renaming did above.  The
 * 64-bit entry points: their record has the renamed struct's layout with
 * _FILE_OFFSET_BITS=64 and on every LP64 host.  ("statvfs" itself would
 * bind to the static wrapper below.)
 */
#if !defined(__USE_FILE_OFFSET64) && __WORDSIZE != 64
#error "the puffs compat <sys/statvfs.h> needs -D_FILE_OFFSET_BITS=64 here"
#endif
extern int __puffs_hostcall_statvfs(const char *,
    struct __puffs_host_statvfs *) __asm__("statvfs64");
extern int __puffs_hostcall_fstatvfs(int,
    struct __puffs_host_statvfs *) __asm__("fstatvfs64");

static inline void
__puffs_statvfs_conv(struct statvfs *sb, const struct __puffs_host_statvfs *h)
{
	memset(sb, 0, sizeof(*sb));
	sb->f_flag = h->f_flag;
	sb->f_bsize = h->f_bsize;
	sb->f_frsize = h->f_frsize;
	sb->f_iosize = h->f_bsize;
	sb->f_blocks = h->f_blocks;
	sb->f_bfree = h->f_bfree;
	sb->f_bavail = h->f_bavail;
	sb->f_files = h->f_files;
	sb->f_ffree = h->f_ffree;
	sb->f_favail = h->f_favail;
	sb->f_fsid = h->f_fsid;
	sb->f_fsidx.__fsid_val[0] = (int32_t)h->f_fsid;
	sb->f_fsidx.__fsid_val[1] = (int32_t)((uint64_t)h->f_fsid >> 32);
	sb->f_namemax = h->f_namemax;
}

static inline int
statvfs(const char *path, struct statvfs *sb)
{
	struct __puffs_host_statvfs h;

	if (__puffs_hostcall_statvfs(path, &h) == -1)
		return -1;
	__puffs_statvfs_conv(sb, &h);
	return 0;
}

static inline int
fstatvfs(int fd, struct statvfs *sb)
{
	struct __puffs_host_statvfs h;

	if (__puffs_hostcall_fstatvfs(fd, &h) == -1)
		return -1;
	__puffs_statvfs_conv(sb, &h);
	return 0;
}

#endif /* PUFFS_COMPAT_SYS_STATVFS_H */
