/*
 * vnops_ext.h: the FUSE callbacks of vnops_xattr.c (extended attributes),
 * vnops_lock.c (POSIX and flock locks) and vnops_io.c (poll, fallocate),
 * and the hooks other vnops call into them.  fuse.c puts the callbacks in
 * its ops table.
 */
#ifndef PUFFSD_VNOPS_EXT_H
#define PUFFSD_VNOPS_EXT_H

#include "vnops.h"

/* vnops_xattr.c */
void	vn_op_setxattr(fuse_req_t, fuse_ino_t, const char *, const char *,
	    size_t, int);
void	vn_op_getxattr(fuse_req_t, fuse_ino_t, const char *, size_t);
void	vn_op_listxattr(fuse_req_t, fuse_ino_t, size_t);
void	vn_op_removexattr(fuse_req_t, fuse_ino_t, const char *);

/* vnops_lock.c */
void	vn_op_getlk(fuse_req_t, fuse_ino_t, struct fuse_file_info *,
	    struct flock *);
void	vn_op_setlk(fuse_req_t, fuse_ino_t, struct fuse_file_info *,
	    struct flock *, int);
void	vn_op_flock(fuse_req_t, fuse_ino_t, struct fuse_file_info *, int);
void	vn_op_flush_locks(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	vn_lock_release(struct puffs_mount *, struct node *,
	    struct fuse_file_info *);
void	vn_lock_drain(void);

/* vnops_io.c */
void	vn_op_poll(fuse_req_t, fuse_ino_t, struct fuse_file_info *,
	    struct fuse_pollhandle *);
void	vn_statfs_namemax(struct vnop *, const struct statvfs *);
void	vn_op_fallocate(fuse_req_t, fuse_ino_t, int, off_t, off_t,
	    struct fuse_file_info *);

#endif
