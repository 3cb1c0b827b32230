/*
 * sys/vnode.h (compat): the part of NetBSD's <sys/vnode.h> that userland
 * file servers see: enum vtype, struct vattr and its va_vaflags bits.
 *
 * Included by <puffs.h>; servers that include <sys/vnode.h> directly (as
 * psshfs does) get the same definitions.  Field names and widths are
 * NetBSD's (see LIBPUFFS-API.md section 7.1), not glibc's: va_nlink is 32
 * bits wide and va_fileid 64 bits whatever the host types say.
 */
#ifndef PUFFS_COMPAT_SYS_VNODE_H
#define PUFFS_COMPAT_SYS_VNODE_H

#include <sys/types.h>
#include <stdint.h>
#include <time.h>

#include <puffs-bridge/puffs_msgif.h>

/* Same order and values as enum puffs_kvtype on the wire. */
enum vtype {
	VNON = PUFFS_VNON, VREG = PUFFS_VREG, VDIR = PUFFS_VDIR,
	VBLK = PUFFS_VBLK, VCHR = PUFFS_VCHR, VLNK = PUFFS_VLNK,
	VSOCK = PUFFS_VSOCK, VFIFO = PUFFS_VFIFO, VBAD = PUFFS_VBAD
};

struct vattr {
	enum vtype	va_type;
	mode_t		va_mode;	/* permission bits only */
	uint32_t	va_nlink;	/* NetBSD nlink_t */
	uid_t		va_uid;
	gid_t		va_gid;
	uint64_t	va_fsid;	/* dev_t */
	uint64_t	va_fileid;	/* ino_t */
	uint64_t	va_size;	/* u_quad_t */
	long		va_blocksize;
	struct timespec	va_atime;
	struct timespec	va_mtime;
	struct timespec	va_ctime;
	struct timespec	va_birthtime;
	unsigned long	va_gen;
	unsigned long	va_flags;	/* chflags(2) bits */
	dev_t		va_rdev;
	uint64_t	va_bytes;	/* u_quad_t */
	uint64_t	va_filerev;	/* u_quad_t */
	unsigned int	va_vaflags;	/* VA_UTIMES_NULL, VA_EXCLUSIVE */
	long		va_spare;
};

#ifndef VA_UTIMES_NULL
#define VA_UTIMES_NULL	PUFFS_VA_UTIMES_NULL
#endif
#ifndef VA_EXCLUSIVE
#define VA_EXCLUSIVE	PUFFS_VA_EXCLUSIVE
#endif

#endif /* PUFFS_COMPAT_SYS_VNODE_H */
