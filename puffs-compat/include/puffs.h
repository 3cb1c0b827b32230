/*
 * puffs.h: the public interface of libpuffs, source-compatible with
 * NetBSD's <puffs.h> (puffs.h 1.126 plus the struct puffs_statvfs retyping
 * of later NetBSD), for servers built on Linux against puffs-bridge.
 *
 * Servers include this file and nothing of the library's internals.  The
 * wire constants (PUFFS_VN_*, PUFFS_KFLAG_*, PUFFS_SETBACK_*, PUFFS_VNOVAL,
 * PUFFS_IO_*, PUFFS_FSYNC_*, PUFFS_V*, PUFFSOP_*, PUFFS_ERR_*) come from the
 * wire header, which already names them as NetBSD does.  The NetBSD
 * userland names servers expect besides (FREAD, MNT_*, NAMEI_*, DT_*,
 * voff_t, ...) are defined here or in the compat <sys/vnode.h> and
 * <sys/namei.h>.
 *
 * Intended differences from NetBSD (documented in the man pages):
 *   - struct puffs_ops has a puffs_fs_suspend callback slot again
 *     (ARCHITECTURE.md, decision 1); it takes one of puffs_ops_spare.
 *   - struct puffs_statvfs and struct statvfs are one type (NetBSD's
 *     layout, see the compat <sys/statvfs.h>), so both spellings of the
 *     statvfs callback compile.
 *   - glibc's <sys/mount.h> is included first; after this file MNT_FORCE
 *     is NetBSD's mount flag (0x00080000), not umount2()'s.
 */
#ifndef PUFFS_COMPAT_PUFFS_H
#define PUFFS_COMPAT_PUFFS_H

#include <sys/param.h>
#include <sys/types.h>
#include <sys/ioctl.h>		/* servers call ioctl(FIONBIO) relying on it */
#include <sys/sysmacros.h>	/* makedev(), major(), minor() */
#include <sys/endian.h>		/* NetBSD's <sys/types.h> brings HTOBE32 & co. */
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/vnode.h>
#include <sys/namei.h>
#include <sys/extattr.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <puffs-bridge/puffs_msgif.h>
#include <mntopts.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* NetBSD userland names the API relies on                            */

#ifndef __dead
#define __dead		__attribute__((__noreturn__))
#endif

typedef int64_t		voff_t;
typedef unsigned long	vsize_t;
typedef int32_t		lwpid_t;
typedef int		vm_prot_t;
#ifndef __USE_MISC
/* glibc provides these itself under _DEFAULT_SOURCE. */
typedef long		register_t;
typedef uint64_t	u_quad_t;
typedef int64_t		quad_t;
#endif

#ifndef VM_PROT_NONE
#define VM_PROT_NONE	0x00
#define VM_PROT_READ	0x01
#define VM_PROT_WRITE	0x02
#define VM_PROT_EXECUTE	0x04
#define VM_PROT_ALL	(VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)
#endif

/* Open-mode bits of the kernel's file flags (O_* with FREAD/FWRITE). */
#ifndef FREAD
#define FREAD		PUFFS_FREAD
#endif
#ifndef FWRITE
#define FWRITE		PUFFS_FWRITE
#endif

/*
 * NetBSD's "no such attribute".  The wire carries Linux errnos, where a
 * missing attribute is ENODATA (as libattr spells ENOATTR on Linux).
 */
#ifndef ENOATTR
#define ENOATTR		ENODATA
#endif

/* advlock flags of NetBSD's <sys/fcntl.h> (kernel side). */
#ifndef F_WAIT
#define F_WAIT		PUFFS_ADVLOCK_WAIT
#define F_FLOCK		PUFFS_ADVLOCK_FLOCK
#define F_POSIX		PUFFS_ADVLOCK_POSIX
#endif

/* Directory entry types, the same numbers on NetBSD and Linux. */
#ifndef DT_UNKNOWN
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define DT_WHT		14
#endif

/*
 * NetBSD mount flags.  glibc's <sys/mount.h> declares MNT_FORCE, MNT_DETACH
 * and MNT_EXPIRE as umount2() enumerators (with same-named macros), which
 * a NetBSD MNT_FORCE macro defined earlier would turn into a syntax error.
 * So it is included first, here: mount(2), umount2(2) and MNT_DETACH stay
 * usable, and only the MNT_FORCE macro takes NetBSD's value from now on.
 */
#include <sys/mount.h>
#undef MNT_FORCE
#define MNT_RDONLY	PUFFS_MNT_RDONLY
#define MNT_SYNCHRONOUS	PUFFS_MNT_SYNCHRONOUS
#define MNT_NOEXEC	PUFFS_MNT_NOEXEC
#define MNT_NOSUID	PUFFS_MNT_NOSUID
#define MNT_NODEV	PUFFS_MNT_NODEV
#define MNT_UNION	0x00000020
#define MNT_ASYNC	PUFFS_MNT_ASYNC
#define MNT_NOCOREDUMP	0x00008000
#define MNT_UPDATE	0x00010000
#define MNT_RELOAD	0x00040000
#define MNT_FORCE	PUFFS_MNT_FORCE
#define MNT_IGNORE	0x00100000
#define MNT_GETARGS	0x00400000
#define MNT_NOATIME	PUFFS_MNT_NOATIME
#define MNT_SYMPERM	0x20000000
#define MNT_NODEVMTIME	0x40000000
#define MNT_SOFTDEP	0x80000000
#define MNT_WAIT	PUFFS_MNT_WAIT
#define MNT_NOWAIT	PUFFS_MNT_NOWAIT
#define MNT_LAZY	PUFFS_MNT_LAZY

#ifndef MOUNT_PUFFS
#define MOUNT_PUFFS	"puffs"
#endif
#ifndef _PATH_PUFFS
#define _PATH_PUFFS	"/dev/puffs"
#endif

/* ------------------------------------------------------------------ */
/* Types                                                              */

typedef void *puffs_cookie_t;
typedef puffs_cookie_t puffs_croissant_t;

struct puffs_usermount;
struct puffs_cc;
struct puffs_cred;
struct puffs_newinfo;
struct puffs_framebuf;
struct puffs_getreq;

struct puffs_pathobj {
	void		*po_path;
	size_t		po_len;
	uint32_t	po_hash;
};

struct puffs_pathinfo {
	struct puffs_pathobj *pi_old;
	struct puffs_pathobj *pi_new;
};

struct puffs_kcache {
	off_t		pkc_start;
	off_t		pkc_end;
	LIST_ENTRY(puffs_kcache) pkc_entries;
};

struct puffs_node {
	off_t		pn_size;
	int		pn_flags;
	int		pn_nlookup;
	struct vattr	pn_va;
	void		*pn_data;
	struct puffs_pathobj pn_po;
	struct puffs_usermount *pn_mnt;
	LIST_ENTRY(puffs_node) pn_entries;
	LIST_HEAD(, puffs_kcache) pn_cacheinfo;
};
#define PUFFS_NODE_REMOVED	0x01

/* A path component; the pcn_* macros reach into the kernel's record. */
struct puffs_cn {
	struct puffs_kcn	*pcn_pkcnp;
	struct puffs_cred	*pcn_cred;
	struct puffs_pathobj	pcn_po_full;
};
#define pcn_nameiop	pcn_pkcnp->pkcn_nameiop
#define pcn_flags	pcn_pkcnp->pkcn_flags
#define pcn_name	pcn_pkcnp->pkcn_name
#define pcn_namelen	pcn_pkcnp->pkcn_namelen
#define pcn_consume	pcn_pkcnp->pkcn_consume

/*
 * The statvfs callback's record: NetBSD's statvfs90 layout.  It is the
 * compat <sys/statvfs.h>'s struct statvfs, so servers written against the
 * 2014 API (struct statvfs *) and the current one (struct puffs_statvfs *)
 * both compile.
 */
#define puffs_statvfs	statvfs

typedef void *(*puffs_nodewalk_fn)(struct puffs_usermount *,
    struct puffs_node *, void *);
typedef void (*puffs_ml_loop_fn)(struct puffs_usermount *);
typedef void (*pu_errnotify_fn)(struct puffs_usermount *, uint8_t, int,
    const char *, puffs_cookie_t);
typedef void (*pu_prepost_fn)(struct puffs_usermount *);
typedef struct puffs_node *(*pu_cmap_fn)(struct puffs_usermount *,
    puffs_cookie_t);

/* Path framework callbacks (PUFFS_FLAG_BUILDPATH, paths.c). */
typedef int (*pu_pathbuild_fn)(struct puffs_usermount *,
    const struct puffs_pathobj *, const struct puffs_pathobj *, size_t,
    struct puffs_pathobj *);
typedef int (*pu_pathtransform_fn)(struct puffs_usermount *,
    const struct puffs_pathobj *, const struct puffs_cn *,
    struct puffs_pathobj *);
typedef int (*pu_pathcmp_fn)(struct puffs_usermount *, struct puffs_pathobj *,
    struct puffs_pathobj *, size_t, int);
typedef void (*pu_pathfree_fn)(struct puffs_usermount *,
    struct puffs_pathobj *);
typedef int (*pu_namemod_fn)(struct puffs_usermount *, struct puffs_pathobj *,
    struct puffs_cn *);

/* ------------------------------------------------------------------ */
/* The operations vector                                              */

struct puffs_ops {
	int (*puffs_fs_unmount)(struct puffs_usermount *, int);
	int (*puffs_fs_statvfs)(struct puffs_usermount *,
	    struct puffs_statvfs *);
	int (*puffs_fs_sync)(struct puffs_usermount *, int,
	    const struct puffs_cred *);
	int (*puffs_fs_fhtonode)(struct puffs_usermount *, void *, size_t,
	    struct puffs_newinfo *);
	int (*puffs_fs_nodetofh)(struct puffs_usermount *, puffs_cookie_t,
	    void *, size_t *);
	int (*puffs_fs_extattrctl)(struct puffs_usermount *, int,
	    puffs_cookie_t, int, int, const char *);

	int (*puffs_node_lookup)(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *);
	int (*puffs_node_create)(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *,
	    const struct vattr *);
	int (*puffs_node_mknod)(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *,
	    const struct vattr *);
	int (*puffs_node_open)(struct puffs_usermount *, puffs_cookie_t, int,
	    const struct puffs_cred *);
	int (*puffs_node_close)(struct puffs_usermount *, puffs_cookie_t, int,
	    const struct puffs_cred *);
	int (*puffs_node_access)(struct puffs_usermount *, puffs_cookie_t,
	    int, const struct puffs_cred *);
	int (*puffs_node_getattr)(struct puffs_usermount *, puffs_cookie_t,
	    struct vattr *, const struct puffs_cred *);
	int (*puffs_node_setattr)(struct puffs_usermount *, puffs_cookie_t,
	    const struct vattr *, const struct puffs_cred *);
	int (*puffs_node_poll)(struct puffs_usermount *, puffs_cookie_t,
	    int *);
	int (*puffs_node_mmap)(struct puffs_usermount *, puffs_cookie_t,
	    vm_prot_t, const struct puffs_cred *);
	int (*puffs_node_fsync)(struct puffs_usermount *, puffs_cookie_t,
	    const struct puffs_cred *, int, off_t, off_t);
	int (*puffs_node_seek)(struct puffs_usermount *, puffs_cookie_t,
	    off_t, off_t, const struct puffs_cred *);
	int (*puffs_node_remove)(struct puffs_usermount *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *);
	int (*puffs_node_link)(struct puffs_usermount *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *);
	int (*puffs_node_rename)(struct puffs_usermount *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *);
	int (*puffs_node_mkdir)(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *,
	    const struct vattr *);
	int (*puffs_node_rmdir)(struct puffs_usermount *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *);
	int (*puffs_node_symlink)(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *,
	    const struct vattr *, const char *);
	int (*puffs_node_readdir)(struct puffs_usermount *, puffs_cookie_t,
	    struct dirent *, off_t *, size_t *, const struct puffs_cred *,
	    int *, off_t *, size_t *);
	int (*puffs_node_readlink)(struct puffs_usermount *, puffs_cookie_t,
	    const struct puffs_cred *, char *, size_t *);
	int (*puffs_node_reclaim)(struct puffs_usermount *, puffs_cookie_t);
	int (*puffs_node_inactive)(struct puffs_usermount *, puffs_cookie_t);
	int (*puffs_node_print)(struct puffs_usermount *, puffs_cookie_t);
	int (*puffs_node_pathconf)(struct puffs_usermount *, puffs_cookie_t,
	    int, register_t *);
	int (*puffs_node_advlock)(struct puffs_usermount *, puffs_cookie_t,
	    void *, int, struct flock *, int);
	int (*puffs_node_read)(struct puffs_usermount *, puffs_cookie_t,
	    uint8_t *, off_t, size_t *, const struct puffs_cred *, int);
	int (*puffs_node_write)(struct puffs_usermount *, puffs_cookie_t,
	    uint8_t *, off_t, size_t *, const struct puffs_cred *, int);
	int (*puffs_node_abortop)(struct puffs_usermount *, puffs_cookie_t,
	    const struct puffs_cn *);
	int (*puffs_node_getextattr)(struct puffs_usermount *, puffs_cookie_t,
	    int, const char *, size_t *, uint8_t *, size_t *,
	    const struct puffs_cred *);
	int (*puffs_node_setextattr)(struct puffs_usermount *, puffs_cookie_t,
	    int, const char *, uint8_t *, size_t *,
	    const struct puffs_cred *);
	int (*puffs_node_listextattr)(struct puffs_usermount *,
	    puffs_cookie_t, int, size_t *, uint8_t *, size_t *, int,
	    const struct puffs_cred *);
	int (*puffs_node_deleteextattr)(struct puffs_usermount *,
	    puffs_cookie_t, int, const char *, const struct puffs_cred *);
	int (*puffs_node_getattr_ttl)(struct puffs_usermount *,
	    puffs_cookie_t, struct vattr *, const struct puffs_cred *,
	    struct timespec *);
	int (*puffs_node_setattr_ttl)(struct puffs_usermount *,
	    puffs_cookie_t, struct vattr *, const struct puffs_cred *,
	    struct timespec *, int);
	int (*puffs_node_write2)(struct puffs_usermount *, puffs_cookie_t,
	    uint8_t *, off_t, size_t *, const struct puffs_cred *, int, int);
	int (*puffs_node_reclaim2)(struct puffs_usermount *, puffs_cookie_t,
	    int);
	int (*puffs_node_open2)(struct puffs_usermount *, puffs_cookie_t, int,
	    const struct puffs_cred *, int *);
	int (*puffs_node_fallocate)(struct puffs_usermount *, puffs_cookie_t,
	    off_t, off_t);
	int (*puffs_node_fdiscard)(struct puffs_usermount *, puffs_cookie_t,
	    off_t, off_t);

	/* puffs-bridge extension (decision 1), taken from the spares. */
	int (*puffs_fs_suspend)(struct puffs_usermount *, int);

	void *puffs_ops_spare[25];
};

#define PUFFSOP_INIT(ops)						\
    ops = malloc(sizeof(struct puffs_ops));				\
    memset(ops, 0, sizeof(struct puffs_ops))
#define PUFFSOP_SET(ops, fsname, fsornode, opname)			\
    (ops)->puffs_##fsornode##_##opname = fsname##_##fsornode##_##opname
#define PUFFSOP_SETFSNOP(ops, opname)					\
    (ops)->puffs_fs_##opname = puffs_fsnop_##opname

/*
 * Declares every callback a server named fsname may define.  It ends with a
 * semicolon, as NetBSD's does, so "PUFFSOP_PROTOS(x)" compiles and
 * "PUFFSOP_PROTOS(x);" only adds an empty declaration.
 */
#define PUFFSOP_PROTOS(fsname)						\
    int fsname##_fs_unmount(struct puffs_usermount *, int);		\
    int fsname##_fs_statvfs(struct puffs_usermount *,			\
	struct puffs_statvfs *);					\
    int fsname##_fs_sync(struct puffs_usermount *, int,		\
	const struct puffs_cred *cred);					\
    int fsname##_fs_fhtonode(struct puffs_usermount *, void *, size_t,	\
	struct puffs_newinfo *);					\
    int fsname##_fs_nodetofh(struct puffs_usermount *, puffs_cookie_t,	\
	void *, size_t *);						\
    int fsname##_fs_extattrctl(struct puffs_usermount *, int,		\
	puffs_cookie_t, int, int, const char *);			\
    int fsname##_fs_suspend(struct puffs_usermount *, int);		\
									\
    int fsname##_node_lookup(struct puffs_usermount *, puffs_cookie_t,	\
	struct puffs_newinfo *, const struct puffs_cn *);		\
    int fsname##_node_create(struct puffs_usermount *, puffs_cookie_t,	\
	struct puffs_newinfo *, const struct puffs_cn *,		\
	const struct vattr *);						\
    int fsname##_node_mknod(struct puffs_usermount *, puffs_cookie_t,	\
	struct puffs_newinfo *, const struct puffs_cn *,		\
	const struct vattr *);						\
    int fsname##_node_open(struct puffs_usermount *, puffs_cookie_t, int, \
	const struct puffs_cred *);					\
    int fsname##_node_close(struct puffs_usermount *, puffs_cookie_t,	\
	int, const struct puffs_cred *);				\
    int fsname##_node_access(struct puffs_usermount *, puffs_cookie_t,	\
	int, const struct puffs_cred *);				\
    int fsname##_node_getattr(struct puffs_usermount *, puffs_cookie_t,	\
	struct vattr *, const struct puffs_cred *);			\
    int fsname##_node_setattr(struct puffs_usermount *, puffs_cookie_t,	\
	const struct vattr *, const struct puffs_cred *);		\
    int fsname##_node_poll(struct puffs_usermount *, puffs_cookie_t,	\
	int *);								\
    int fsname##_node_mmap(struct puffs_usermount *, puffs_cookie_t,	\
	vm_prot_t, const struct puffs_cred *);				\
    int fsname##_node_fsync(struct puffs_usermount *, puffs_cookie_t,	\
	const struct puffs_cred *, int, off_t, off_t);			\
    int fsname##_node_seek(struct puffs_usermount *, puffs_cookie_t,	\
	off_t, off_t, const struct puffs_cred *);			\
    int fsname##_node_remove(struct puffs_usermount *, puffs_cookie_t,	\
	puffs_cookie_t, const struct puffs_cn *);			\
    int fsname##_node_link(struct puffs_usermount *, puffs_cookie_t,	\
	puffs_cookie_t, const struct puffs_cn *);			\
    int fsname##_node_rename(struct puffs_usermount *, puffs_cookie_t,	\
	puffs_cookie_t, const struct puffs_cn *, puffs_cookie_t,	\
	puffs_cookie_t, const struct puffs_cn *);			\
    int fsname##_node_mkdir(struct puffs_usermount *, puffs_cookie_t,	\
	struct puffs_newinfo *, const struct puffs_cn *,		\
	const struct vattr *);						\
    int fsname##_node_rmdir(struct puffs_usermount *, puffs_cookie_t,	\
	puffs_cookie_t, const struct puffs_cn *);			\
    int fsname##_node_symlink(struct puffs_usermount *, puffs_cookie_t,	\
	struct puffs_newinfo *, const struct puffs_cn *,		\
	const struct vattr *, const char *);				\
    int fsname##_node_readdir(struct puffs_usermount *, puffs_cookie_t,	\
	struct dirent *, off_t *, size_t *, const struct puffs_cred *,	\
	int *, off_t *, size_t *);					\
    int fsname##_node_readlink(struct puffs_usermount *, puffs_cookie_t, \
	const struct puffs_cred *, char *, size_t *);			\
    int fsname##_node_reclaim(struct puffs_usermount *, puffs_cookie_t); \
    int fsname##_node_inactive(struct puffs_usermount *, puffs_cookie_t); \
    int fsname##_node_print(struct puffs_usermount *, puffs_cookie_t);	\
    int fsname##_node_pathconf(struct puffs_usermount *, puffs_cookie_t, \
	int, register_t *);						\
    int fsname##_node_advlock(struct puffs_usermount *, puffs_cookie_t,	\
	void *, int, struct flock *, int);				\
    int fsname##_node_read(struct puffs_usermount *, puffs_cookie_t,	\
	uint8_t *, off_t, size_t *, const struct puffs_cred *, int);	\
    int fsname##_node_write(struct puffs_usermount *, puffs_cookie_t,	\
	uint8_t *, off_t, size_t *, const struct puffs_cred *, int);	\
    int fsname##_node_abortop(struct puffs_usermount *, puffs_cookie_t,	\
	const struct puffs_cn *);					\
    int fsname##_node_getextattr(struct puffs_usermount *,		\
	puffs_cookie_t, int, const char *, size_t *, uint8_t *,		\
	size_t *, const struct puffs_cred *);				\
    int fsname##_node_setextattr(struct puffs_usermount *,		\
	puffs_cookie_t, int, const char *, uint8_t *, size_t *,		\
	const struct puffs_cred *);					\
    int fsname##_node_listextattr(struct puffs_usermount *,		\
	puffs_cookie_t, int, size_t *, uint8_t *, size_t *, int,	\
	const struct puffs_cred *);					\
    int fsname##_node_deleteextattr(struct puffs_usermount *,		\
	puffs_cookie_t, int, const char *, const struct puffs_cred *);	\
    int fsname##_node_getattr_ttl(struct puffs_usermount *,		\
	puffs_cookie_t, struct vattr *, const struct puffs_cred *,	\
	struct timespec *);						\
    int fsname##_node_setattr_ttl(struct puffs_usermount *,		\
	puffs_cookie_t, struct vattr *, const struct puffs_cred *,	\
	struct timespec *, int);					\
    int fsname##_node_write2(struct puffs_usermount *, puffs_cookie_t,	\
	uint8_t *, off_t, size_t *, const struct puffs_cred *, int, int); \
    int fsname##_node_reclaim2(struct puffs_usermount *,		\
	puffs_cookie_t, int);						\
    int fsname##_node_open2(struct puffs_usermount *, puffs_cookie_t,	\
	int, const struct puffs_cred *, int *);				\
    int fsname##_node_fallocate(struct puffs_usermount *,		\
	puffs_cookie_t, off_t, off_t);					\
    int fsname##_node_fdiscard(struct puffs_usermount *,		\
	puffs_cookie_t, off_t, off_t);

/* ------------------------------------------------------------------ */
/* Flags and constants                                                */

#define PUFFS_FLAG_BUILDPATH	0x80000000
#define PUFFS_FLAG_OPDUMP	0x40000000
#define PUFFS_FLAG_HASHPATH	0x20000000
#define PUFFS_FLAG_PNCOOKIE	0x10000000
#define PUFFS_FLAG_MASK		0xf0000000

#define PUFFS_FLAG_KERN(a)	((a) & PUFFS_KFLAG_MASK)
#define PUFFS_FLAG_LIB(a)	((a) & PUFFS_FLAG_MASK)

enum {
	PUFFS_STATE_BEFOREMOUNT, PUFFS_STATE_RUNNING,
	PUFFS_STATE_UNMOUNTING, PUFFS_STATE_UNMOUNTED
};

#define PUFFS_DEFER		((void *)-1)

#define PUFFS_CC_STACKSHIFT_DEFAULT 18
#define PUFFS_STACKSIZE_DEFAULT	(1 << PUFFS_CC_STACKSHIFT_DEFAULT)
#define PUFFS_STACKSIZE_MIN	((size_t)-1)

#define PUFFSDEV_BLOCK		0
#define PUFFSDEV_NONBLOCK	1

#define PUFFS_SETATTR_FAF	0x1
#define PUFFS_WRITE_FAF		0x1

#define PUFFS_FBIO_READ		0x01
#define PUFFS_FBIO_WRITE	0x02
#define PUFFS_FBIO_ERROR	0x04
#define PUFFS_FBQUEUE_URGENT	0x01

#define DENT_DOT	0
#define DENT_DOTDOT	1
#define DENT_ADJ(a)	((a) - 2)

#define PNPATH(pnode)	((pnode)->pn_po.po_path)
#define PNPLEN(pnode)	((pnode)->pn_po.po_len)
#define PCNPATH(pcnode)	((pcnode)->pcn_po_full.po_path)
#define PCNPLEN(pcnode)	((pcnode)->pcn_po_full.po_len)
#define PCNISDOTDOT(pcnode) \
	((pcnode)->pcn_namelen == 2 && strcmp((pcnode)->pcn_name, "..") == 0)

#define PUFFS_STORE_DCOOKIE(cp, ncp, off)				\
if (cp) {								\
	*((cp)++) = off;						\
	(*(ncp))++;							\
}

/* Mount options every server accepts (mntopts.c): -o [no]namecache,... */
#define PUFFSMOPT_NAMECACHE	{ "namecache", 1, PUFFS_KFLAG_NOCACHE_NAME, 1 }
#define PUFFSMOPT_PAGECACHE	{ "pagecache", 1, PUFFS_KFLAG_NOCACHE_PAGE, 1 }
#define PUFFSMOPT_ATTRCACHE	{ "attrcache", 1, PUFFS_KFLAG_NOCACHE_ATTR, 1 }
#define PUFFSMOPT_CACHE		{ "cache", 1, PUFFS_KFLAG_NOCACHE, 1 }
#define PUFFSMOPT_ALLOPS	{ "allops", 0, PUFFS_KFLAG_ALLOPS, 1 }
#define PUFFSMOPT_DUMP		{ "dump", 0, PUFFS_FLAG_OPDUMP, 1 }
#define PUFFSMOPT_STD							\
	PUFFSMOPT_NAMECACHE, PUFFSMOPT_PAGECACHE, PUFFSMOPT_ATTRCACHE,	\
	PUFFSMOPT_CACHE, PUFFSMOPT_ALLOPS, PUFFSMOPT_DUMP
extern const struct mntopt puffsmopts[];

/* BSD names puffs_access_chmod() and the null layer use. */
#ifndef S_ISTXT
#define S_ISTXT		S_ISVTX
#endif
#ifndef EFTYPE
#define EFTYPE		EINVAL	/* "inappropriate file type": Linux has none */
#endif

/* NetBSD's <sys/time.h> has them; glibc only under _GNU_SOURCE. */
#ifndef TIMEVAL_TO_TIMESPEC
#define TIMEVAL_TO_TIMESPEC(tv, ts) do {				\
	(ts)->tv_sec = (tv)->tv_sec;					\
	(ts)->tv_nsec = (tv)->tv_usec * 1000;				\
} while (0)
#endif
#ifndef TIMESPEC_TO_TIMEVAL
#define TIMESPEC_TO_TIMEVAL(tv, ts) do {				\
	(tv)->tv_sec = (ts)->tv_sec;					\
	(tv)->tv_usec = (ts)->tv_nsec / 1000;				\
} while (0)
#endif

/* NetBSD's <limits.h> has it; glibc leaves it to the file system. */
#ifndef LINK_MAX
#define LINK_MAX	32767
#endif

/* ------------------------------------------------------------------ */
/* Functions                                                          */

/* Lifetime (puffs.c) */
struct puffs_usermount *puffs_init(struct puffs_ops *, const char *,
    const char *, void *, uint32_t);
int	puffs_mount(struct puffs_usermount *, const char *, int,
    puffs_cookie_t);
int	puffs_mainloop(struct puffs_usermount *);
int	puffs_daemon(struct puffs_usermount *, int, int);
int	puffs_exit(struct puffs_usermount *, int);
void	puffs_cancel(struct puffs_usermount *, int);
int	puffs_fs_suspend(struct puffs_usermount *);

/* Getters and setters on the mount (puffs.c) */
int	puffs_getselectable(struct puffs_usermount *);
int	puffs_getstate(struct puffs_usermount *);
void	*puffs_getspecific(struct puffs_usermount *);
void	puffs_setspecific(struct puffs_usermount *, void *);
void	puffs_setroot(struct puffs_usermount *, struct puffs_node *);
struct puffs_node *puffs_getroot(struct puffs_usermount *);
void	puffs_setrootinfo(struct puffs_usermount *, enum vtype, vsize_t,
    dev_t);
void	puffs_setmaxreqlen(struct puffs_usermount *, size_t);
size_t	puffs_getmaxreqlen(struct puffs_usermount *);
void	puffs_setfhsize(struct puffs_usermount *, size_t, int);
void	puffs_setmntinfo(struct puffs_usermount *, const char *,
    const char *);
void	puffs_setncookiehash(struct puffs_usermount *, int);
void	puffs_set_errnotify(struct puffs_usermount *, pu_errnotify_fn);

/* Kernel cache control (flush.c): sent to puffsd, which notifies Linux. */
int	puffs_inval_namecache_dir(struct puffs_usermount *, puffs_cookie_t);
int	puffs_inval_namecache_all(struct puffs_usermount *);
int	puffs_inval_pagecache_node(struct puffs_usermount *, puffs_cookie_t);
int	puffs_inval_pagecache_node_range(struct puffs_usermount *,
	    puffs_cookie_t, off_t, off_t);
int	puffs_flush_pagecache_node(struct puffs_usermount *, puffs_cookie_t);
int	puffs_flush_pagecache_node_range(struct puffs_usermount *,
	    puffs_cookie_t, off_t, off_t);
void	puffs_kernerr_log(struct puffs_usermount *, uint8_t, int,
    const char *, puffs_cookie_t);
__dead void puffs_kernerr_abort(struct puffs_usermount *, uint8_t, int,
    const char *, puffs_cookie_t);
void	puffs_set_prepost(struct puffs_usermount *, pu_prepost_fn,
    pu_prepost_fn);
void	puffs_set_cmap(struct puffs_usermount *, pu_cmap_fn);

/* The request being served (callcontext.c, dispatcher.c) */
struct puffs_cc *puffs_cc_getcc(struct puffs_usermount *);
int	puffs_cc_getcaller(struct puffs_cc *, pid_t *, lwpid_t *);
void	puffs_setback(struct puffs_cc *, int);

/* Nodes (pnode.c) */
struct puffs_node *puffs_pn_new(struct puffs_usermount *, void *);
void	puffs_pn_remove(struct puffs_node *);
void	puffs_pn_put(struct puffs_node *);
void	*puffs_pn_nodewalk(struct puffs_usermount *, puffs_nodewalk_fn,
    void *);
struct vattr *puffs_pn_getvap(struct puffs_node *);
void	*puffs_pn_getpriv(struct puffs_node *);
void	puffs_pn_setpriv(struct puffs_node *, void *);
struct puffs_pathobj *puffs_pn_getpo(struct puffs_node *);
struct puffs_usermount *puffs_pn_getmnt(struct puffs_node *);
void	*puffs_pn_getmntspecific(struct puffs_node *);

/* New-node information (dispatcher.c) */
void	puffs_newinfo_setcookie(struct puffs_newinfo *, puffs_cookie_t);
void	puffs_newinfo_setvtype(struct puffs_newinfo *, enum vtype);
void	puffs_newinfo_setsize(struct puffs_newinfo *, voff_t);
void	puffs_newinfo_setrdev(struct puffs_newinfo *, dev_t);
void	puffs_newinfo_setva(struct puffs_newinfo *, struct vattr *);
void	puffs_newinfo_setvattl(struct puffs_newinfo *, struct timespec *);
void	puffs_newinfo_setcnttl(struct puffs_newinfo *, struct timespec *);

/* Credentials and access checks (creds.c) */
int	puffs_cred_getuid(const struct puffs_cred *, uid_t *);
int	puffs_cred_getgid(const struct puffs_cred *, gid_t *);
int	puffs_cred_getgroups(const struct puffs_cred *, gid_t *, short *);
bool	puffs_cred_isuid(const struct puffs_cred *, uid_t);
bool	puffs_cred_hasgroup(const struct puffs_cred *, gid_t);
bool	puffs_cred_isregular(const struct puffs_cred *);
bool	puffs_cred_iskernel(const struct puffs_cred *);
bool	puffs_cred_isfs(const struct puffs_cred *);
bool	puffs_cred_isjuggernaut(const struct puffs_cred *);
int	puffs_access(enum vtype, mode_t, uid_t, gid_t, mode_t,
    const struct puffs_cred *);
int	puffs_access_chown(uid_t, gid_t, uid_t, gid_t,
    const struct puffs_cred *);
int	puffs_access_chmod(uid_t, gid_t, enum vtype, mode_t,
    const struct puffs_cred *);
int	puffs_access_times(uid_t, gid_t, mode_t, int,
    const struct puffs_cred *);

/* Generic and no-op implementations (subr.c) */
int	puffs_fsnop_unmount(struct puffs_usermount *, int);
int	puffs_fsnop_statvfs(struct puffs_usermount *, struct puffs_statvfs *);
int	puffs_fsnop_sync(struct puffs_usermount *, int,
    const struct puffs_cred *);
void	puffs_zerostatvfs(struct puffs_statvfs *);
int	puffs_genfs_node_getattr(struct puffs_usermount *, puffs_cookie_t,
    struct vattr *, const struct puffs_cred *);
int	puffs_genfs_node_reclaim(struct puffs_usermount *, puffs_cookie_t);

/* Utilities (subr.c) */
int	puffs_nextdent(struct dirent **, const char *, ino_t, uint8_t,
    size_t *);
int	puffs_gendotdent(struct dirent **, ino_t, int, size_t *);
int	puffs_vtype2dt(enum vtype);
enum vtype puffs_mode2vt(mode_t);
mode_t	puffs_addvtype2mode(mode_t, enum vtype);
void	puffs_stat2vattr(struct vattr *, const struct stat *);
void	puffs_vattr_null(struct vattr *);
void	puffs_setvattr(struct vattr *, const struct vattr *);

/* Serving requests outside puffs_mainloop (dispatcher.c) */
int	puffs_dispatch_create(struct puffs_usermount *, struct puffs_framebuf *,
    struct puffs_cc **);
int	puffs_dispatch_exec(struct puffs_cc *, struct puffs_framebuf **);

/* Continuations (callcontext.c) */
void	puffs_cc_yield(struct puffs_cc *);
void	puffs_cc_continue(struct puffs_cc *);
void	puffs_cc_schedule(struct puffs_cc *);
void	puffs_setstacksize(struct puffs_usermount *, size_t);

/* Frame buffers and the event framework (framebuf.c) */
typedef int (*puffs_framev_readframe_fn)(struct puffs_usermount *,
    struct puffs_framebuf *, int, int *);
typedef int (*puffs_framev_writeframe_fn)(struct puffs_usermount *,
    struct puffs_framebuf *, int, int *);
typedef int (*puffs_framev_cmpframe_fn)(struct puffs_usermount *,
    struct puffs_framebuf *, struct puffs_framebuf *, int *);
typedef void (*puffs_framev_fdnotify_fn)(struct puffs_usermount *, int, int);
typedef void (*puffs_framev_gotframe_fn)(struct puffs_usermount *,
    struct puffs_framebuf *);
typedef void (*puffs_framev_cb)(struct puffs_usermount *,
    struct puffs_framebuf *, void *, int);

struct puffs_framebuf *puffs_framebuf_make(void);
void	puffs_framebuf_destroy(struct puffs_framebuf *);
int	puffs_framebuf_dup(struct puffs_framebuf *, struct puffs_framebuf **);
void	puffs_framebuf_recycle(struct puffs_framebuf *);
int	puffs_framebuf_reserve_space(struct puffs_framebuf *, size_t);
int	puffs_framebuf_putdata(struct puffs_framebuf *, const void *, size_t);
int	puffs_framebuf_putdata_atoff(struct puffs_framebuf *, size_t,
    const void *, size_t);
int	puffs_framebuf_getdata(struct puffs_framebuf *, void *, size_t);
int	puffs_framebuf_getdata_atoff(struct puffs_framebuf *, size_t,
    void *, size_t);
size_t	puffs_framebuf_telloff(struct puffs_framebuf *);
size_t	puffs_framebuf_tellsize(struct puffs_framebuf *);
size_t	puffs_framebuf_remaining(struct puffs_framebuf *);
int	puffs_framebuf_seekset(struct puffs_framebuf *, size_t);
int	puffs_framebuf_getwindow(struct puffs_framebuf *, size_t,
    void **, size_t *);

int	puffs_framev_enqueue_cc(struct puffs_cc *, int,
    struct puffs_framebuf *, int);
int	puffs_framev_enqueue_cb(struct puffs_usermount *, int,
    struct puffs_framebuf *, puffs_framev_cb, void *, int);
int	puffs_framev_enqueue_justsend(struct puffs_usermount *, int,
    struct puffs_framebuf *, int, int);
int	puffs_framev_enqueue_directreceive(struct puffs_cc *, int,
    struct puffs_framebuf *, int);
int	puffs_framev_enqueue_directsend(struct puffs_cc *, int,
    struct puffs_framebuf *, int);
int	puffs_framev_enqueue_waitevent(struct puffs_cc *, int, int *);
int	puffs_framev_framebuf_ccpromote(struct puffs_framebuf *,
    struct puffs_cc *);
void	puffs_framev_init(struct puffs_usermount *,
    puffs_framev_readframe_fn, puffs_framev_writeframe_fn,
    puffs_framev_cmpframe_fn, puffs_framev_gotframe_fn,
    puffs_framev_fdnotify_fn);
int	puffs_framev_addfd(struct puffs_usermount *, int, int);
int	puffs_framev_enablefd(struct puffs_usermount *, int, int);
int	puffs_framev_disablefd(struct puffs_usermount *, int, int);
int	puffs_framev_removefd(struct puffs_usermount *, int, int);
void	puffs_framev_removeonclose(struct puffs_usermount *, int, int);
void	puffs_framev_unmountonclose(struct puffs_usermount *, int, int);

/* The main loop (mainloop.c) */
/*
 * Old sources call puffs_mainloop(pu, flags): without PUFFSLOOP_NODAEMON
 * that form detaches first, as NetBSD's did.  The macro picks the form by
 * the number of arguments; puffs_mainloop without parentheses is still
 * the one-argument function.
 */
#define PUFFSLOOP_NODAEMON	0x01
int	puffs_mainloop_flags(struct puffs_usermount *, int);
#define PUFFS__MAINLOOP_PICK(a, b, name, ...)	name
#define puffs_mainloop(...)						\
	PUFFS__MAINLOOP_PICK(__VA_ARGS__, puffs_mainloop_flags,		\
	    puffs_mainloop, unused)(__VA_ARGS__)
int	puffs_setblockingmode(struct puffs_usermount *, int);
void	puffs_ml_setloopfn(struct puffs_usermount *, puffs_ml_loop_fn);
void	puffs_ml_settimeout(struct puffs_usermount *, struct timespec *);
int	puffs_unmountonsignal(int, bool);

/* Paths (paths.c) */
void	puffs_set_pathbuild(struct puffs_usermount *, pu_pathbuild_fn);
void	puffs_set_pathtransform(struct puffs_usermount *, pu_pathtransform_fn);
void	puffs_set_pathcmp(struct puffs_usermount *, pu_pathcmp_fn);
void	puffs_set_pathfree(struct puffs_usermount *, pu_pathfree_fn);
void	puffs_set_namemod(struct puffs_usermount *, pu_namemod_fn);
struct puffs_pathobj *puffs_getrootpathobj(struct puffs_usermount *);
int	puffs_stdpath_buildpath(struct puffs_usermount *,
    const struct puffs_pathobj *, const struct puffs_pathobj *, size_t,
    struct puffs_pathobj *);
int	puffs_stdpath_cmppath(struct puffs_usermount *, struct puffs_pathobj *,
    struct puffs_pathobj *, size_t, int);
void	puffs_stdpath_freepath(struct puffs_usermount *,
    struct puffs_pathobj *);
void	*puffs_path_walkcmp(struct puffs_usermount *, struct puffs_node *,
    void *);
void	*puffs_path_prefixadj(struct puffs_usermount *, struct puffs_node *,
    void *);
int	puffs_path_pcnbuild(struct puffs_usermount *, struct puffs_cn *,
    puffs_cookie_t);
void	puffs_path_buildhash(struct puffs_usermount *, struct puffs_pathobj *);

/* Kernel cache control (flush.c) */
int	puffs_inval_namecache_dir(struct puffs_usermount *, puffs_cookie_t);
int	puffs_inval_namecache_all(struct puffs_usermount *);
int	puffs_inval_pagecache_node(struct puffs_usermount *, puffs_cookie_t);
int	puffs_inval_pagecache_node_range(struct puffs_usermount *,
    puffs_cookie_t, off_t, off_t);
int	puffs_flush_pagecache_node(struct puffs_usermount *, puffs_cookie_t);
int	puffs_flush_pagecache_node_range(struct puffs_usermount *,
    puffs_cookie_t, off_t, off_t);

/* The null layer (null.c): a pass-through to a host directory. */
PUFFSOP_PROTOS(puffs_null)
void	puffs_null_setops(struct puffs_ops *);

#ifdef __cplusplus
}
#endif

#endif /* PUFFS_COMPAT_PUFFS_H */
