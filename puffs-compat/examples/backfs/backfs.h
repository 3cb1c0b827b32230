/*
 * backfs.h: what the files of the backfs server share: the mount's
 * private data, the node data, and the calls to the backend.
 * Included by backfs.c, backfs_vnops.c and backfs_rpc.c.
 */
#ifndef BACKFS_H
#define BACKFS_H

#include <puffs.h>

#include "backfs_proto.h"

struct backfs {
	int		 bf_fd;		/* socket to the backend */
	pid_t		 bf_backend;
	uint32_t	 bf_nextid;
	int		 bf_inflight;	/* requests waiting for an answer */
	int		 bf_maxinflight;
	const char	*bf_statsfile;	/* -S: where the maximum goes */
};

/* pn_data of every node: the backend's inode number. */
struct bnodeinfo {
	uint64_t	 bi_ino;
};

#define PN_INO(pn)	(((struct bnodeinfo *)puffs_pn_getpriv(pn))->bi_ino)

/* backfs_rpc.c */
int	backfs_readframe(struct puffs_usermount *, struct puffs_framebuf *,
	    int, int *);
int	backfs_writeframe(struct puffs_usermount *, struct puffs_framebuf *,
	    int, int *);
int	backfs_cmpframe(struct puffs_usermount *, struct puffs_framebuf *,
	    struct puffs_framebuf *, int *);
struct puffs_framebuf *backfs_req(uint32_t);
int	backfs_call(struct puffs_usermount *, struct puffs_framebuf *);
int	backfs_getattr_rep(struct puffs_framebuf *, struct bf_attr *);

/* backfs_vnops.c */
struct puffs_node *backfs_node(struct puffs_usermount *, uint64_t);
int	backfs_fs_statvfs(struct puffs_usermount *, struct puffs_statvfs *);
int	backfs_fs_unmount(struct puffs_usermount *, int);
int	backfs_node_lookup(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *);
int	backfs_node_create(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *,
	    const struct vattr *);
int	backfs_node_mkdir(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *,
	    const struct vattr *);
int	backfs_node_remove(struct puffs_usermount *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *);
int	backfs_node_rmdir(struct puffs_usermount *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *);
int	backfs_node_rename(struct puffs_usermount *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *);
int	backfs_node_getattr(struct puffs_usermount *, puffs_cookie_t,
	    struct vattr *, const struct puffs_cred *);
int	backfs_node_setattr(struct puffs_usermount *, puffs_cookie_t,
	    const struct vattr *, const struct puffs_cred *);
int	backfs_node_read(struct puffs_usermount *, puffs_cookie_t, uint8_t *,
	    off_t, size_t *, const struct puffs_cred *, int);
int	backfs_node_write(struct puffs_usermount *, puffs_cookie_t,
	    uint8_t *, off_t, size_t *, const struct puffs_cred *, int);
int	backfs_node_readdir(struct puffs_usermount *, puffs_cookie_t,
	    struct dirent *, off_t *, size_t *, const struct puffs_cred *,
	    int *, off_t *, size_t *);
int	backfs_node_reclaim(struct puffs_usermount *, puffs_cookie_t);
int	backfs_node_link(struct puffs_usermount *, puffs_cookie_t,
	    puffs_cookie_t, const struct puffs_cn *);
int	backfs_node_symlink(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *,
	    const struct vattr *, const char *);
int	backfs_node_readlink(struct puffs_usermount *, puffs_cookie_t,
	    const struct puffs_cred *, char *, size_t *);

#endif /* BACKFS_H */
