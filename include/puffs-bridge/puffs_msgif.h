/*
 * puffs_msgif.h: the wire protocol between puffsd and a puffs file server.
 *
 * This is the one definition of every byte that crosses the socket named by
 * PUFFS_COMFD.  puffsd (src/) plays the NetBSD kernel; libpuffs
 * (puffs-compat/) plays NetBSD's libpuffs.  Both include this header and
 * nothing else of each other.
 *
 * Vocabulary and numbering follow NetBSD's sys/fs/puffs/puffs_msgif.h
 * (PUFFSVERSION 30), so that a NetBSD reader recognises every message; the
 * layouts are this port's own: fixed-width fields, explicit padding, checked
 * by the static assertions at the end.  Both ends run on the same host, so
 * integers travel in host byte order.
 *
 * Transport: a SOCK_STREAM unix socket.  Every frame begins with
 * struct putter_hdr; pth_framelen is the length of the whole frame, header
 * included, and never exceeds PUFFS_MSG_MAXSIZE.  A receiver reads the
 * putter_hdr, checks the length, then reads the rest.
 *
 * Attach sequence:
 *   1. server -> puffsd: struct puffs_mountreq (mount description).
 *   2. puffsd -> server: struct puffs_mountresp (0 or an errno and a message).
 *   3. then puffs_req frames in both directions until either side closes.
 *
 * Requests from puffsd carry a non-zero preq_id (0 for fire-and-forget).
 * The server answers in place: it sends back the request frame with
 * PUFFSOPFLAG_ISRESPONSE set in preq_opclass, preq_rv set, the OUT fields
 * filled, and pth_framelen set to the bytes it actually returns (at least the
 * fixed part of the op's struct, at most the request's preq_buflen).
 * Server-originated requests (FLUSH, UNMOUNT, SUSPEND) carry ids with bit 63
 * set; puffsd answers them with a bare struct puffs_req marked ISRESPONSE.
 *
 * Host conventions carried on the wire (the server is compiled on Linux):
 *   - errno values, mode bits, O_* flags and dev_t encoding are Linux's.
 *   - open modes (pvnr_mode, pvnr_fflag) are NetBSD FFLAGS: the Linux O_*
 *     flags with the access mode replaced by FREAD (1) | FWRITE (2).
 *   - dirents in READDIR replies are NetBSD struct dirent records (see
 *     struct puffs_kdirent).
 *   - "no value" in a vattr field is all bits set (VNOVAL).
 */
#ifndef PUFFS_BRIDGE_PUFFS_MSGIF_H
#define PUFFS_BRIDGE_PUFFS_MSGIF_H

#include <stddef.h>
#include <stdint.h>

/* Version of this port's wire protocol, checked at attach. */
#define PUFFS_BRIDGE_MAGIC	0x50554642u	/* "PUFB" */
#define PUFFS_BRIDGE_VERSION	1u

/* NetBSD's kargs version, kept in pa_vers as NetBSD does. */
#define PUFFSVERSION		30

/* Environment variable naming the attach descriptor (NetBSD's hook). */
#define PUFFS_COMFD_ENV		"PUFFS_COMFD"

/*
 * Sizes.  A message holds at most 1 MiB of data plus its fixed part; the
 * NetBSD clamping rules for pa_maxmsglen apply with this maximum.
 */
#define PUFFS_MSGSTRUCT_MAX	4096
#define PUFFS_MSG_MAXSIZE	(1024 * 1024 + PUFFS_MSGSTRUCT_MAX)
#define PUFFS_MSG_MINSIZE	(2 * PUFFS_MSGSTRUCT_MAX)
#define PUFFS_TOMOVE(n, maxmsglen) \
	((n) < (size_t)(maxmsglen) - PUFFS_MSGSTRUCT_MAX ? \
	 (n) : (size_t)(maxmsglen) - PUFFS_MSGSTRUCT_MAX)

#define PUFFS_MAXPATHLEN	1024	/* NetBSD MAXPATHLEN */
#define PUFFS_MAXNAMLEN		511	/* NetBSD MAXNAMLEN */
#define PUFFS_EXTNAMELEN	255	/* NetBSD KERNEL_NAME_MAX */
#define PUFFS_VFS_NAMELEN	32	/* NetBSD _VFS_NAMELEN */
#define PUFFS_VFS_MNAMELEN	1024	/* NetBSD _VFS_MNAMELEN */
#define PUFFSNAMESIZE		32
#define PUFFS_TYPEPREFIX	"puffs|"
#define PUFFS_TYPELEN		(PUFFS_VFS_NAMELEN - (sizeof(PUFFS_TYPEPREFIX) + 1))
#define PUFFS_NAMELEN		(PUFFS_VFS_MNAMELEN - 1)
#define PUFFS_FHSIZE_MAX	1020
#define PUFFS_NGROUPS		16	/* NetBSD NGROUPS in struct uucred */
#define PUFFS_ERRSTRLEN		256

/* Operation classes (preq_opclass) and their flag bits. */
#define PUFFSOP_VFS		0x01	/* puffsd -> server */
#define PUFFSOP_VN		0x02	/* puffsd -> server */
#define PUFFSOP_CACHE		0x03	/* unused, as in NetBSD */
#define PUFFSOP_ERROR		0x04	/* puffsd -> server, never answered */
#define PUFFSOP_FLUSH		0x05	/* server -> puffsd */
#define PUFFSOP_SUSPEND		0x06	/* server -> puffsd */
#define PUFFSOP_UNMOUNT		0x07	/* server -> puffsd */
#define PUFFSOPFLAG_FAF		0x10	/* no reply wanted */
#define PUFFSOPFLAG_ISRESPONSE	0x20	/* this frame answers a request */
#define PUFFSOP_OPCMASK		0x07
#define PUFFSOP_OPCLASS(a)	((a) & PUFFSOP_OPCMASK)
#define PUFFSOP_WANTREPLY(a)	(((a) & PUFFSOPFLAG_FAF) == 0)

/* Bit 63 marks ids chosen by the server for its own requests. */
#define PUFFS_SRVREQ_IDBIT	(UINT64_C(1) << 63)

enum puffs_vfs {
	PUFFS_VFS_MOUNT, PUFFS_VFS_START, PUFFS_VFS_UNMOUNT, PUFFS_VFS_ROOT,
	PUFFS_VFS_QUOTACTL, PUFFS_VFS_STATVFS, PUFFS_VFS_SYNC, PUFFS_VFS_VGET,
	PUFFS_VFS_FHTOVP, PUFFS_VFS_VPTOFH, PUFFS_VFS_INIT, PUFFS_VFS_DONE,
	PUFFS_VFS_SNAPSHOT, PUFFS_VFS_EXTATTRCTL, PUFFS_VFS_SUSPEND
};
#define PUFFS_VFS_MAX PUFFS_VFS_SUSPEND

enum puffs_vn {
	PUFFS_VN_LOOKUP, PUFFS_VN_CREATE, PUFFS_VN_MKNOD, PUFFS_VN_OPEN,
	PUFFS_VN_CLOSE, PUFFS_VN_ACCESS, PUFFS_VN_GETATTR, PUFFS_VN_SETATTR,
	PUFFS_VN_READ, PUFFS_VN_WRITE, PUFFS_VN_IOCTL, PUFFS_VN_FCNTL,
	PUFFS_VN_POLL, PUFFS_VN_KQFILTER, PUFFS_VN_REVOKE, PUFFS_VN_MMAP,
	PUFFS_VN_FSYNC, PUFFS_VN_SEEK, PUFFS_VN_REMOVE, PUFFS_VN_LINK,
	PUFFS_VN_RENAME, PUFFS_VN_MKDIR, PUFFS_VN_RMDIR, PUFFS_VN_SYMLINK,
	PUFFS_VN_READDIR, PUFFS_VN_READLINK, PUFFS_VN_ABORTOP, PUFFS_VN_INACTIVE,
	PUFFS_VN_RECLAIM, PUFFS_VN_LOCK, PUFFS_VN_UNLOCK, PUFFS_VN_BMAP,
	PUFFS_VN_STRATEGY, PUFFS_VN_PRINT, PUFFS_VN_ISLOCKED, PUFFS_VN_PATHCONF,
	PUFFS_VN_ADVLOCK, PUFFS_VN_LEASE, PUFFS_VN_WHITEOUT, PUFFS_VN_GETPAGES,
	PUFFS_VN_PUTPAGES, PUFFS_VN_GETEXTATTR, PUFFS_VN_LISTEXTATTR,
	PUFFS_VN_OPENEXTATTR, PUFFS_VN_DELETEEXTATTR, PUFFS_VN_SETEXTATTR,
	PUFFS_VN_CLOSEEXTATTR, PUFFS_VN_FALLOCATE, PUFFS_VN_FDISCARD
};
#define PUFFS_VN_MAX		PUFFS_VN_FDISCARD
#define PUFFS_VN_SPARE		30
#define PUFFS_VNOPMASK_LEN	(PUFFS_VN_MAX + PUFFS_VN_SPARE)	/* 78 */
#define PUFFS_HAVE_FALLOCATE	1

/* Error notices (PUFFSOP_ERROR, preq_optype): what was wrong in a reply. */
enum puffs_err {
	PUFFS_ERR_ERROR, PUFFS_ERR_MAKENODE, PUFFS_ERR_LOOKUP,
	PUFFS_ERR_READDIR, PUFFS_ERR_READLINK, PUFFS_ERR_READ,
	PUFFS_ERR_WRITE, PUFFS_ERR_VPTOFH, PUFFS_ERR_GETEXTATTR,
	PUFFS_ERR_LISTEXTATTR
};
#define PUFFS_ERR_MAX PUFFS_ERR_LISTEXTATTR

/* Kernel flags (pa_flags). */
#define PUFFS_KFLAG_NOCACHE_NAME	0x001
#define PUFFS_KFLAG_NOCACHE_PAGE	0x002
#define PUFFS_KFLAG_NOCACHE		0x003
#define PUFFS_KFLAG_ALLOPS		0x004
#define PUFFS_KFLAG_WTCACHE		0x008
#define PUFFS_KFLAG_IAONDEMAND		0x010
#define PUFFS_KFLAG_LOOKUP_FULLPNBUF	0x020
#define PUFFS_KFLAG_NOCACHE_ATTR	0x040	/* not in the mask, dropped */
#define PUFFS_KFLAG_CACHE_FS_TTL	0x080
#define PUFFS_KFLAG_CACHE_DOTDOT	0x100
#define PUFFS_KFLAG_NOFLUSH_META	0x200
#define PUFFS_KFLAG_MASK		0x3bf

#define PUFFS_FHFLAG_DYNAMIC		0x01
#define PUFFS_FHFLAG_NFSV2		0x02
#define PUFFS_FHFLAG_NFSV3		0x04
#define PUFFS_FHFLAG_PROTOMASK		0x06
#define PUFFS_FHFLAG_PASSTHROUGH	0x08
#define PUFFS_FHFLAG_MASK		0x0f

/* Setbacks (preq_setbacks in replies to OPEN, MMAP, REMOVE, RMDIR, INACTIVE). */
#define PUFFS_SETBACK_INACT_N1	0x01
#define PUFFS_SETBACK_INACT_N2	0x02
#define PUFFS_SETBACK_NOREF_N1	0x04
#define PUFFS_SETBACK_NOREF_N2	0x08
#define PUFFS_SETBACK_MASK	0x0f

/* Flush and invalidation requests (struct puffs_flush pf_op). */
#define PUFFS_INVAL_NAMECACHE_NODE		0
#define PUFFS_INVAL_NAMECACHE_DIR		1
#define PUFFS_INVAL_NAMECACHE_ALL		2
#define PUFFS_INVAL_PAGECACHE_NODE_RANGE	3
#define PUFFS_FLUSH_PAGECACHE_NODE_RANGE	4

/* Suspend notices (PUFFS_VFS_SUSPEND, pvfsr_status). */
#define PUFFS_SUSPEND_START	0
#define PUFFS_SUSPEND_SUSPENDED	1
#define PUFFS_SUSPEND_RESUME	2
#define PUFFS_SUSPEND_ERROR	3

/* Credentials. */
#define PUFFCRED_TYPE_UUC	1
#define PUFFCRED_TYPE_INTERNAL	2
#define PUFFCRED_CRED_NOCRED	1
#define PUFFCRED_CRED_FSCRED	2

/* Values inside messages. */
#define PUFFS_VNOVAL		(-1)
#define PUFFS_FREAD		0x00000001
#define PUFFS_FWRITE		0x00000002
#define PUFFS_IO_UNIT		0x00010
#define PUFFS_IO_APPEND		0x00020
#define PUFFS_IO_NDELAY		0x00100
#define PUFFS_IO_DSYNC		0x00200
#define PUFFS_IO_SYNC		(0x00040 | PUFFS_IO_DSYNC)
#define PUFFS_IO_DIRECT		0x02000
#define PUFFS_VEXEC		01
#define PUFFS_VWRITE		02
#define PUFFS_VREAD		04
#define PUFFS_FSYNC_WAIT	0x0001
#define PUFFS_FSYNC_DATAONLY	0x0002
#define PUFFS_FSYNC_RECLAIM	0x0004
#define PUFFS_FSYNC_LAZY	0x0008
#define PUFFS_FSYNC_CACHE	0x0100
#define PUFFS_OPEN_IO_DIRECT	0x01
#define PUFFS_EXTATTR_LIST_LENPREFIX	1
#define PUFFS_EXTATTRCTL_HASNODE	0x01
#define PUFFS_EXTATTRCTL_HASATTRNAME	0x02
#define PUFFS_VA_UTIMES_NULL	0x01	/* va_vaflags: utimes(NULL) */
#define PUFFS_VA_EXCLUSIVE	0x02

/* NetBSD waitfor values for VFS SYNC and the NetBSD mount flags we map. */
#define PUFFS_MNT_WAIT		1
#define PUFFS_MNT_NOWAIT	2
#define PUFFS_MNT_LAZY		3
#define PUFFS_MNT_RDONLY	0x00000001
#define PUFFS_MNT_SYNCHRONOUS	0x00000002
#define PUFFS_MNT_NOEXEC	0x00000004
#define PUFFS_MNT_NOSUID	0x00000008
#define PUFFS_MNT_NODEV		0x00000010
#define PUFFS_MNT_ASYNC		0x00000040
#define PUFFS_MNT_NOATIME	0x04000000
#define PUFFS_MNT_FORCE		0x00080000

/* namei operations and flags (struct puffs_kcn), NetBSD values. */
#define PUFFS_NAMEI_LOOKUP	0
#define PUFFS_NAMEI_CREATE	1
#define PUFFS_NAMEI_DELETE	2
#define PUFFS_NAMEI_RENAME	3
#define PUFFS_NAMEI_OPMASK	3
#define PUFFS_NAMEI_ISDOTDOT	0x0002000
#define PUFFS_NAMEI_MAKEENTRY	0x0004000
#define PUFFS_NAMEI_ISLASTCN	0x0008000
#define PUFFS_NAMEI_REQUIREDIR	0x0080000

/* enum vtype values on the wire (NetBSD order). */
enum puffs_kvtype {
	PUFFS_VNON, PUFFS_VREG, PUFFS_VDIR, PUFFS_VBLK, PUFFS_VCHR,
	PUFFS_VLNK, PUFFS_VSOCK, PUFFS_VFIFO, PUFFS_VBAD
};

/* ------------------------------------------------------------------ */
/* Common parts                                                       */

struct putter_hdr {
	uint64_t	pth_framelen;	/* whole frame, this header included */
};

struct puffs_ktimespec {
	int64_t		tv_sec;
	int64_t		tv_nsec;
};

/* The request header: every frame after the attach begins with it. */
struct puffs_req {
	struct putter_hdr preq_pth;
	uint64_t	preq_id;	/* 0 for FAF; bit 63 set if server's */
	uint64_t	preq_cookie;	/* node the op applies to */
	uint16_t	preq_opclass;	/* PUFFSOP_* | PUFFSOPFLAG_* */
	uint16_t	preq_optype;	/* PUFFS_VFS_*, PUFFS_VN_*, PUFFS_ERR_* */
	int32_t		preq_rv;	/* errno of the reply */
	uint32_t	preq_setbacks;	/* PUFFS_SETBACK_* in replies */
	int32_t		preq_pid;	/* caller */
	int32_t		preq_lid;	/* caller's thread */
	uint32_t	preq_spare;	/* zero */
	uint64_t	preq_buflen;	/* largest reply frame accepted */
};

/* struct uucred and the kernel's wrapper around it. */
struct puffs_kcred {
	uint8_t		pkcr_type;	/* PUFFCRED_TYPE_* */
	uint8_t		pkcr_internal;	/* PUFFCRED_CRED_* if INTERNAL */
	uint16_t	pkcr_ngroups;	/* <= PUFFS_NGROUPS */
	uint32_t	pkcr_uid;
	uint32_t	pkcr_gid;
	uint32_t	pkcr_groups[PUFFS_NGROUPS];
};

/* A path component, as namei hands it to the file system. */
struct puffs_kcn {
	uint32_t	pkcn_nameiop;	/* PUFFS_NAMEI_LOOKUP .. RENAME */
	uint32_t	pkcn_flags;	/* PUFFS_NAMEI_ISLASTCN, ... */
	uint64_t	pkcn_namelen;	/* strlen(pkcn_name) */
	uint64_t	pkcn_consume;	/* IN: extra bytes the server ate */
	char		pkcn_name[PUFFS_MAXPATHLEN];	/* NUL-terminated */
};

/* struct vattr with fixed widths; VNOVAL = all bits set. */
struct puffs_kvattr {
	uint32_t	va_type;	/* enum puffs_kvtype */
	uint32_t	va_mode;	/* permission bits only */
	uint32_t	va_nlink;
	uint32_t	va_uid;
	uint32_t	va_gid;
	uint32_t	va_vaflags;	/* PUFFS_VA_* */
	uint64_t	va_fsid;
	uint64_t	va_fileid;
	uint64_t	va_size;
	uint64_t	va_blocksize;
	struct puffs_ktimespec va_atime;
	struct puffs_ktimespec va_mtime;
	struct puffs_ktimespec va_ctime;
	struct puffs_ktimespec va_birthtime;
	uint64_t	va_gen;
	uint64_t	va_flags;
	uint64_t	va_rdev;	/* Linux dev_t encoding */
	uint64_t	va_bytes;
	uint64_t	va_filerev;
};

/* NetBSD's statvfs90 layout ("struct puffs_statvfs") with fixed widths. */
struct puffs_kstatvfs {
	uint64_t	f_flag;
	uint64_t	f_bsize;
	uint64_t	f_frsize;
	uint64_t	f_iosize;
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
	int32_t		f_fsidx[2];
	uint64_t	f_fsid;
	uint64_t	f_namemax;
	uint32_t	f_owner;
	uint32_t	f_spare[4];
	char		f_fstypename[PUFFS_VFS_NAMELEN];
	char		f_mntonname[PUFFS_VFS_MNAMELEN];
	char		f_mntfromname[PUFFS_VFS_MNAMELEN];
	uint32_t	f_pad;
};

/* struct flock in NetBSD member order, fixed widths. */
struct puffs_kflock {
	int64_t		l_start;
	int64_t		l_len;
	int32_t		l_pid;
	int16_t		l_type;		/* Linux F_RDLCK/F_WRLCK/F_UNLCK */
	int16_t		l_whence;
};

/*
 * A READDIR record: NetBSD's struct dirent.  d_name starts at byte 13,
 * records are 8-byte aligned, d_reclen = PUFFS_DIRENT_RECLEN(d_namlen), the
 * name is NUL-terminated.
 */
struct puffs_kdirent {
	uint64_t	d_fileno;
	uint16_t	d_reclen;
	uint16_t	d_namlen;
	uint8_t		d_type;		/* DT_* */
	char		d_name[];	/* d_namlen bytes + NUL */
} __attribute__((packed));
#define PUFFS_DIRENT_NAMEOFF	13
#define PUFFS_DIRENT_RECLEN(namlen) \
	((PUFFS_DIRENT_NAMEOFF + (size_t)(namlen) + 1 + 7) & ~(size_t)7)

/* ------------------------------------------------------------------ */
/* Attach                                                             */

/*
 * struct puffs_kargs: what NetBSD's mount(2) received.  Validated by puffsd
 * as the NetBSD kernel validates it (version, flag masks, spare fields,
 * root vtype and size, fh size).
 */
struct puffs_kargs {
	uint32_t	pa_vers;	/* PUFFSVERSION */
	uint32_t	pa_flags;	/* PUFFS_KFLAG_* */
	uint64_t	pa_maxmsglen;	/* 0: PUFFS_MSG_MAXSIZE */
	int32_t		pa_nhashbuckets;	/* ignored, as modern NetBSD */
	uint32_t	pa_fhflags;	/* PUFFS_FHFLAG_* */
	uint64_t	pa_fhsize;
	uint8_t		pa_vnopmask[PUFFS_VNOPMASK_LEN];	/* 1: implemented */
	char		pa_typename[PUFFS_VFS_NAMELEN];
	char		pa_mntfromname[PUFFS_VFS_MNAMELEN];
	uint16_t	pa_spare16;
	uint64_t	pa_root_cookie;
	uint32_t	pa_root_vtype;	/* enum puffs_kvtype */
	uint32_t	pa_time32;	/* always 0 here */
	int64_t		pa_root_vsize;
	uint64_t	pa_root_rdev;
	struct puffs_kstatvfs pa_svfsb;	/* initial statistics */
	uint32_t	pa_spare[32];	/* must be zero */
};

/*
 * struct puffs_mountreq: server -> puffsd, first frame.  NetBSD's COMFD
 * stream (dir, mntfrom, mntflags, kargs, pu_flags) made fixed-width and
 * versioned.  pmr_data holds the mountpoint (pmr_dirlen bytes, NUL
 * included) followed by nothing else; the mntfrom name is in the kargs.
 */
struct puffs_mountreq {
	struct putter_hdr pmr_pth;
	uint32_t	pmr_magic;	/* PUFFS_BRIDGE_MAGIC */
	uint32_t	pmr_version;	/* PUFFS_BRIDGE_VERSION */
	uint32_t	pmr_mntflags;	/* PUFFS_MNT_* */
	uint32_t	pmr_libflags;	/* library pflags, for status display */
	uint32_t	pmr_dirlen;	/* bytes of pmr_data, NUL included */
	uint32_t	pmr_spare;
	struct puffs_kargs pmr_kargs;
	char		pmr_data[];	/* the mountpoint, absolute path */
};

/*
 * struct puffs_mountresp: puffsd -> server, answer to puffs_mountreq.
 * pmp_error 0: mounted, status MOUNTING (RUNNING once FUSE init completes),
 * frames follow.  Otherwise the errno puffs_mount() returns, with a
 * human-readable reason; puffsd then closes the socket.
 */
struct puffs_mountresp {
	struct putter_hdr pmp_pth;
	uint32_t	pmp_magic;
	uint32_t	pmp_version;	/* puffsd's PUFFS_BRIDGE_VERSION */
	int32_t		pmp_error;
	uint32_t	pmp_spare;
	uint64_t	pmp_maxmsglen;	/* negotiated maximum frame */
	char		pmp_msg[PUFFS_ERRSTRLEN];
};

/* ------------------------------------------------------------------ */
/* VFS messages (puffsd -> server, preq_opclass PUFFSOP_VFS)          */

/* UNMOUNT: answered; the server may refuse with an errno. */
struct puffs_vfsmsg_unmount {
	struct puffs_req pvfsr_pr;
	int32_t		pvfsr_flags;	/* PUFFS_MNT_FORCE */
	uint32_t	pvfsr_spare;
};

/* STATVFS: answered with pvfsr_sb filled. */
struct puffs_vfsmsg_statvfs {
	struct puffs_req pvfsr_pr;
	struct puffs_kstatvfs pvfsr_sb;
};

/* SYNC: answered. */
struct puffs_vfsmsg_sync {
	struct puffs_req pvfsr_pr;
	struct puffs_kcred pvfsr_cred;
	int32_t		pvfsr_waitfor;	/* PUFFS_MNT_WAIT/NOWAIT/LAZY */
	uint32_t	pvfsr_spare;
};

/* FHTOVP: answered with the node for a file handle. */
struct puffs_vfsmsg_fhtonode {
	struct puffs_req pvfsr_pr;
	uint64_t	pvfsr_fhcookie;	/* IN */
	uint32_t	pvfsr_vtype;	/* IN */
	uint32_t	pvfsr_spare;
	int64_t		pvfsr_size;	/* IN */
	uint64_t	pvfsr_rdev;	/* IN */
	uint64_t	pvfsr_dsize;	/* OUT */
	uint8_t		pvfsr_data[];	/* OUT: the handle */
};

/* VPTOFH: answered with the handle of a node. */
struct puffs_vfsmsg_nodetofh {
	struct puffs_req pvfsr_pr;
	uint64_t	pvfsr_fhcookie;	/* OUT */
	uint64_t	pvfsr_dsize;	/* OUT: room, IN: used */
	uint8_t		pvfsr_data[];	/* IN */
};

/* SUSPEND: a notice to the server's fs_suspend callback (FAF). */
struct puffs_vfsmsg_suspend {
	struct puffs_req pvfsr_pr;
	int32_t		pvfsr_status;	/* PUFFS_SUSPEND_* */
	uint32_t	pvfsr_spare;
};

/* EXTATTRCTL: answered. */
struct puffs_vfsmsg_extattrctl {
	struct puffs_req pvfsr_pr;
	int32_t		pvfsr_cmd;
	int32_t		pvfsr_attrnamespace;
	int32_t		pvfsr_flags;	/* PUFFS_EXTATTRCTL_* */
	char		pvfsr_attrname[PUFFS_EXTNAMELEN + 1];
};

/* ------------------------------------------------------------------ */
/* VN messages (puffsd -> server, preq_opclass PUFFSOP_VN)            */
/* OUT: puffsd fills; IN: the server fills in its reply.              */

/* LOOKUP: answered; ENOENT means "no such name". */
struct puffs_vnmsg_lookup {
	struct puffs_req pvn_pr;
	struct puffs_kcn pvnr_cn;		/* OUT */
	struct puffs_kcred pvnr_cn_cred;	/* OUT */
	uint64_t	pvnr_newnode;		/* IN: cookie */
	uint32_t	pvnr_vtype;		/* IN */
	uint32_t	pvnr_spare;
	int64_t		pvnr_size;		/* IN */
	uint64_t	pvnr_rdev;		/* IN */
	struct puffs_kvattr pvnr_va;		/* IN, CACHE_FS_TTL */
	struct puffs_ktimespec pvnr_va_ttl;	/* IN, CACHE_FS_TTL */
	struct puffs_ktimespec pvnr_cn_ttl;	/* IN, CACHE_FS_TTL */
};

/* CREATE, MKNOD, MKDIR: answered with the new node's cookie. */
struct puffs_vnmsg_create {
	struct puffs_req pvn_pr;
	struct puffs_kcn pvnr_cn;		/* OUT */
	struct puffs_kcred pvnr_cn_cred;	/* OUT */
	struct puffs_kvattr pvnr_va;		/* OUT (IN with FS_TTL) */
	uint64_t	pvnr_newnode;		/* IN */
	struct puffs_ktimespec pvnr_va_ttl;	/* IN */
	struct puffs_ktimespec pvnr_cn_ttl;	/* IN */
};
#define puffs_vnmsg_mknod puffs_vnmsg_create
#define puffs_vnmsg_mkdir puffs_vnmsg_create

/* SYMLINK: as CREATE, with the link target. */
struct puffs_vnmsg_symlink {
	struct puffs_req pvn_pr;
	struct puffs_kcn pvnr_cn;		/* OUT */
	struct puffs_kcred pvnr_cn_cred;	/* OUT */
	struct puffs_kvattr pvnr_va;		/* OUT */
	uint64_t	pvnr_newnode;		/* IN */
	struct puffs_ktimespec pvnr_va_ttl;	/* IN */
	struct puffs_ktimespec pvnr_cn_ttl;	/* IN */
	char		pvnr_link[PUFFS_MAXPATHLEN];	/* OUT, NUL-terminated */
};

/* OPEN: answered; pvnr_oflags is the open2 extension. */
struct puffs_vnmsg_open {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;	/* OUT */
	int32_t		pvnr_mode;	/* OUT: FFLAGS */
	int32_t		pvnr_oflags;	/* IN: PUFFS_OPEN_IO_DIRECT */
};

/* CLOSE: FAF, with the opener's credential. */
struct puffs_vnmsg_close {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int32_t		pvnr_fflag;
	uint32_t	pvnr_spare;
};

/* ACCESS: answered. */
struct puffs_vnmsg_access {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int32_t		pvnr_mode;	/* PUFFS_VREAD | VWRITE | VEXEC */
	uint32_t	pvnr_spare;
};

/* GETATTR and SETATTR: answered (SETATTR may be FAF). */
struct puffs_vnmsg_setgetattr {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;		/* OUT */
	struct puffs_kvattr pvnr_va;		/* OUT (setattr) / IN (getattr) */
	struct puffs_ktimespec pvnr_va_ttl;	/* IN, CACHE_FS_TTL */
};
#define puffs_vnmsg_setattr puffs_vnmsg_setgetattr
#define puffs_vnmsg_getattr puffs_vnmsg_setgetattr

/*
 * READ and WRITE.  READ: the request carries no data, preq_buflen allows
 * the fixed part plus pvnr_resid bytes; the reply carries the data read and
 * pvnr_resid = bytes not read.  WRITE: the request carries pvnr_resid
 * bytes; the reply is the fixed part with pvnr_resid = bytes not written.
 */
struct puffs_vnmsg_rw {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int64_t		pvnr_offset;
	uint64_t	pvnr_resid;
	int32_t		pvnr_ioflag;	/* PUFFS_IO_* */
	uint32_t	pvnr_spare;
	uint8_t		pvnr_data[];
};
#define puffs_vnmsg_read puffs_vnmsg_rw
#define puffs_vnmsg_write puffs_vnmsg_rw

/* POLL: answered whenever the server likes. */
struct puffs_vnmsg_poll {
	struct puffs_req pvn_pr;
	int32_t		pvnr_events;	/* OUT/IN */
	uint32_t	pvnr_spare;
};

/* FSYNC: answered if PUFFS_FSYNC_WAIT, else FAF. */
struct puffs_vnmsg_fsync {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int64_t		pvnr_offlo;
	int64_t		pvnr_offhi;
	int32_t		pvnr_flags;	/* PUFFS_FSYNC_* */
	uint32_t	pvnr_spare;
};

/* SEEK: answered (veto). */
struct puffs_vnmsg_seek {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int64_t		pvnr_oldoff;
	int64_t		pvnr_newoff;
};

/* REMOVE, RMDIR, LINK: answered.  preq_cookie is the directory. */
struct puffs_vnmsg_remove {
	struct puffs_req pvn_pr;
	struct puffs_kcn pvnr_cn;
	struct puffs_kcred pvnr_cn_cred;
	uint64_t	pvnr_cookie_targ;
};
#define puffs_vnmsg_rmdir puffs_vnmsg_remove
#define puffs_vnmsg_link puffs_vnmsg_remove

/* RENAME: answered.  preq_cookie is the source directory. */
struct puffs_vnmsg_rename {
	struct puffs_req pvn_pr;
	struct puffs_kcn pvnr_cn_src;
	struct puffs_kcred pvnr_cn_src_cred;
	struct puffs_kcn pvnr_cn_targ;
	struct puffs_kcred pvnr_cn_targ_cred;
	uint64_t	pvnr_cookie_src;
	uint64_t	pvnr_cookie_targ;	/* 0: no target */
	uint64_t	pvnr_cookie_targdir;
};

/*
 * READDIR: the request carries no data; preq_buflen allows the fixed part
 * plus pvnr_resid bytes.  The reply carries pvnr_dentoff bytes of cookies
 * (pvnr_ncookies int64 offsets, only if asked) then struct puffs_kdirent
 * records, and pvnr_resid = room left unused.
 */
struct puffs_vnmsg_readdir {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int64_t		pvnr_offset;	/* OUT/IN: opaque position */
	uint64_t	pvnr_resid;	/* OUT/IN */
	uint64_t	pvnr_ncookies;	/* OUT/IN */
	int32_t		pvnr_eofflag;	/* IN */
	uint32_t	pvnr_spare;
	uint64_t	pvnr_dentoff;	/* OUT */
	uint8_t		pvnr_data[];
};

/* READLINK: answered with pvnr_linklen bytes (no NUL needed). */
struct puffs_vnmsg_readlink {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	uint64_t	pvnr_linklen;	/* OUT: room, IN: length */
	char		pvnr_link[PUFFS_MAXPATHLEN];
};

/* RECLAIM: FAF.  nlookup = cookie hand-outs puffsd accepted. */
struct puffs_vnmsg_reclaim {
	struct puffs_req pvn_pr;
	int32_t		pvnr_nlookup;
	uint32_t	pvnr_spare;
};

/* INACTIVE and PRINT: answered, no fields. */
struct puffs_vnmsg_inactive {
	struct puffs_req pvn_pr;
};
#define puffs_vnmsg_print puffs_vnmsg_inactive

/* PATHCONF: answered. */
struct puffs_vnmsg_pathconf {
	struct puffs_req pvn_pr;
	int32_t		pvnr_name;
	uint32_t	pvnr_spare;
	int64_t		pvnr_retval;	/* IN */
};

/* ADVLOCK: answered (a blocking F_SETLKW may take long). */
struct puffs_vnmsg_advlock {
	struct puffs_req pvn_pr;
	struct puffs_kflock pvnr_fl;	/* OUT/IN */
	uint64_t	pvnr_id;	/* lock owner */
	int32_t		pvnr_op;	/* F_GETLK, F_SETLK, F_UNLCK (Linux) */
	int32_t		pvnr_flags;	/* PUFFS_ADVLOCK_* below */
};
#define PUFFS_ADVLOCK_WAIT	0x010	/* NetBSD F_WAIT */
#define PUFFS_ADVLOCK_FLOCK	0x020	/* NetBSD F_FLOCK */
#define PUFFS_ADVLOCK_POSIX	0x040	/* NetBSD F_POSIX */

/* MMAP: answered (veto). */
struct puffs_vnmsg_mmap {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int32_t		pvnr_prot;
	uint32_t	pvnr_spare;
};

/* ABORTOP: FAF, a namei lookup was abandoned. */
struct puffs_vnmsg_abortop {
	struct puffs_req pvn_pr;
	struct puffs_kcn pvnr_cn;
	struct puffs_kcred pvnr_cn_cred;
};

/*
 * GETEXTATTR: preq_buflen allows the fixed part plus pvnr_resid bytes.
 * pvnr_datasize: OUT non-zero asks for the size, IN the size.
 */
struct puffs_vnmsg_getextattr {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int32_t		pvnr_attrnamespace;
	uint32_t	pvnr_spare;
	char		pvnr_attrname[PUFFS_EXTNAMELEN + 1];
	uint64_t	pvnr_datasize;
	uint64_t	pvnr_resid;
	uint8_t		pvnr_data[];
};

/* SETEXTATTR: carries pvnr_resid bytes; answered with pvnr_resid 0. */
struct puffs_vnmsg_setextattr {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int32_t		pvnr_attrnamespace;
	uint32_t	pvnr_spare;
	char		pvnr_attrname[PUFFS_EXTNAMELEN + 1];
	uint64_t	pvnr_resid;
	uint8_t		pvnr_data[];
};

/* LISTEXTATTR: as GETEXTATTR, without a name. */
struct puffs_vnmsg_listextattr {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int32_t		pvnr_attrnamespace;
	int32_t		pvnr_flag;	/* PUFFS_EXTATTR_LIST_LENPREFIX */
	uint64_t	pvnr_datasize;
	uint64_t	pvnr_resid;
	uint8_t		pvnr_data[];
};

/* DELETEEXTATTR: answered. */
struct puffs_vnmsg_deleteextattr {
	struct puffs_req pvn_pr;
	struct puffs_kcred pvnr_cred;
	int32_t		pvnr_attrnamespace;
	uint32_t	pvnr_spare;
	char		pvnr_attrname[PUFFS_EXTNAMELEN + 1];
};

/* FALLOCATE and FDISCARD: answered. */
struct puffs_vnmsg_fallocate {
	struct puffs_req pvn_pr;
	int64_t		pvnr_off;
	int64_t		pvnr_len;
};
#define puffs_vnmsg_fdiscard puffs_vnmsg_fallocate

/* ------------------------------------------------------------------ */
/* Other classes                                                      */

/* PUFFSOP_ERROR: puffsd -> server, FAF: a reply was refused. */
struct puffs_error {
	struct puffs_req perr_pr;	/* optype PUFFS_ERR_*, cookie */
	int32_t		perr_error;	/* what the caller got */
	uint32_t	perr_spare;
	char		perr_str[PUFFS_ERRSTRLEN];	/* NUL-terminated */
};

/* PUFFSOP_FLUSH: server -> puffsd, answered with a bare puffs_req. */
struct puffs_flush {
	struct puffs_req pf_req;
	uint64_t	pf_cookie;
	int32_t		pf_op;		/* PUFFS_INVAL_*, PUFFS_FLUSH_* */
	uint32_t	pf_spare;
	int64_t		pf_start;
	int64_t		pf_end;
};

/*
 * PUFFSOP_UNMOUNT (server -> puffsd, a bare puffs_req, from puffs_exit):
 * puffsd answers 0 and unmounts.  PUFFSOP_SUSPEND (server -> puffsd, a bare
 * puffs_req, from puffs_fs_suspend): puffsd answers and runs the suspend
 * sequence.
 */

/* ------------------------------------------------------------------ */
/* Layout checks: both halves must agree byte for byte.               */

#define PUFFS_WIRE_ASSERT(t, n) \
	_Static_assert(sizeof(t) == (n), #t " changed size: bump PUFFS_BRIDGE_VERSION")
PUFFS_WIRE_ASSERT(struct puffs_req, 56);
PUFFS_WIRE_ASSERT(struct puffs_kcred, 76);
PUFFS_WIRE_ASSERT(struct puffs_kcn, 1048);
PUFFS_WIRE_ASSERT(struct puffs_kvattr, 160);
PUFFS_WIRE_ASSERT(struct puffs_kflock, 24);
PUFFS_WIRE_ASSERT(struct puffs_kdirent, 13);

#endif /* PUFFS_BRIDGE_PUFFS_MSGIF_H */
