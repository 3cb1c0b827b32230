/*
 * vnops.h: the FUSE lowlevel callbacks (one per op) and the op context
 * they share.  Each callback answers its fuse_req_t exactly once, either
 * at once or from the completion of its last puffs message.  fuse.c puts
 * them in the ops table; vnops.c, vnops_name.c and vnops_dir.c hold them.
 */
#ifndef PUFFSD_VNOPS_H
#define PUFFSD_VNOPS_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <glib.h>

#include "msg.h"
#include "nodetab.h"
#include "vattr.h"
#include "vfsops.h"

/* NetBSD's EJUSTRETURN: "go ahead and create" from a CREATE lookup. */
#define VN_EJUSTRETURN	(-2)
#define VN_MAXHELD	4

/* An open file or directory: fi->fh. */
struct vnfh {
	struct node		*fh_node;	/* held while open */
	int32_t			 fh_fflag;	/* FFLAGS */
	struct puffs_kcred	 fh_cred;	/* the opener's */
	GPtrArray		*fh_dents;	/* directory snapshot */
};

struct vndent {
	uint64_t	de_fileno;
	uint8_t		de_type;
	char		de_name[];
};

/* The context of one FUSE request across its puffs messages. */
struct vnop {
	fuse_req_t		 op_req;
	struct puffs_mount	*op_pmp;
	struct puffs_kcred	 op_cred;
	int32_t			 op_pid;
	struct node		*op_held[VN_MAXHELD];
	int			 op_nheld;
	struct node		*op_dir;	/* the directory operated on */
	struct node		*op_node;	/* the node operated on/made */
	struct node		*op_node2;	/* rename target */
	struct node		*op_dir2;	/* rename target directory */
	char			*op_name;
	char			*op_name2;
	char			*op_link;	/* symlink target */
	int			 op_optype;	/* CREATE, MKNOD, ... */
	mode_t			 op_mode;
	dev_t			 op_rdev;
	struct fuse_file_info	 op_fi;
	struct vnfh		*op_fh;
	struct stat		 op_st;
	uint8_t			*op_data;
	size_t			 op_size;
	size_t			 op_done;
	size_t			 op_chunk;
	off_t			 op_off;
	int32_t			 op_ioflag;
	uint64_t		 op_lockgen;	/* vnops_advlock.c: releases seen at send */
	uint64_t		 op_lockfh;	/* vnops_advlock.c: fi->fh of a setlk */
	int64_t			 op_dirpos;	/* readdir server offset */
	msg_done_fn		 op_next;	/* after an internal step */
	double			 op_ettl;	/* entry timeout to give Linux */
	double			 op_attl;	/* attribute timeout */
	struct node		*op_restrict;	/* dir that lost world search */
	struct node		*op_lknode;	/* locked (or waited for) */
	int			 op_lkmode;	/* enum vnlock_mode */
	bool			 op_lkheld;
	void			(*op_lkcont)(struct vnop *);
};

/* vnops.c: shared helpers */
struct vnop	*vn_new(fuse_req_t);
struct node	*vn_node(struct vnop *, fuse_ino_t);
void		 vn_hold(struct vnop *, struct node *);
void		 vn_fail(struct vnop *, int);
void		 vn_end(struct vnop *);
void		 vn_rele(struct puffs_mount *, struct node *);
uint8_t		*vn_frame(struct vnop *, size_t, int, uint64_t);
int		 vn_kcn(struct puffs_kcn *, uint32_t, const char *);
void		 vn_lookup(struct vnop *, struct node *, const char *,
		    uint32_t, msg_done_fn);
int		 vn_lookupres(struct vnop *, int, const uint8_t *, size_t,
		    struct node **);
void		 vn_getattr(struct vnop *, struct node *, msg_done_fn);
int		 vn_getattrres(struct vnop *, int, const uint8_t *, size_t,
		    struct node *);
void		 vn_reply_entry(struct vnop *, struct node *);
void		 vn_abortop(struct vnop *, struct node *, const char *,
		    uint32_t);
double		 vn_entry_timeout(struct puffs_mount *);
double		 vn_ettl(struct vnop *, double);

/* the FUSE callbacks */
void	vn_op_lookup(fuse_req_t, fuse_ino_t, const char *);
void	vn_op_forget(fuse_req_t, fuse_ino_t, uint64_t);
void	vn_op_forget_multi(fuse_req_t, size_t, struct fuse_forget_data *);
void	vn_op_getattr(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	vn_op_setattr(fuse_req_t, fuse_ino_t, struct stat *, int,
	    struct fuse_file_info *);
void	vn_op_readlink(fuse_req_t, fuse_ino_t);
void	vn_op_open(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	vn_op_read(fuse_req_t, fuse_ino_t, size_t, off_t,
	    struct fuse_file_info *);
void	vn_op_write(fuse_req_t, fuse_ino_t, const char *, size_t, off_t,
	    struct fuse_file_info *);
void	vn_op_release(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	vn_op_fsync(fuse_req_t, fuse_ino_t, int, struct fuse_file_info *);
void	vn_op_statfs(fuse_req_t, fuse_ino_t);
void	vn_op_access(fuse_req_t, fuse_ino_t, int);

void	vn_op_mknod(fuse_req_t, fuse_ino_t, const char *, mode_t, dev_t);
void	vn_op_mkdir(fuse_req_t, fuse_ino_t, const char *, mode_t);
void	vn_op_symlink(fuse_req_t, const char *, fuse_ino_t, const char *);
void	vn_op_create(fuse_req_t, fuse_ino_t, const char *, mode_t,
	    struct fuse_file_info *);
void	vn_op_link(fuse_req_t, fuse_ino_t, fuse_ino_t, const char *);
void	vn_op_unlink(fuse_req_t, fuse_ino_t, const char *);
void	vn_op_rmdir(fuse_req_t, fuse_ino_t, const char *);
void	vn_op_rename(fuse_req_t, fuse_ino_t, const char *, fuse_ino_t,
	    const char *, unsigned int);

void	vn_op_opendir(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	vn_op_readdir(fuse_req_t, fuse_ino_t, size_t, off_t,
	    struct fuse_file_info *);
void	vn_op_releasedir(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	vn_op_fsyncdir(fuse_req_t, fuse_ino_t, int, struct fuse_file_info *);

/* shared by open and create */
void	vn_open(struct vnop *, struct node *, int, bool, msg_done_fn);
int	vn_openres(struct vnop *, int, const uint8_t *, size_t);
void	vn_fh_free(struct puffs_mount *, struct vnfh *);
void	vn_fh_freeall(struct puffs_mount *);
bool	vn_fh_isopen(const struct vnfh *);
void	vn_fh_adopt(struct vnfh *);

struct vnlocks	*vn_vnlocks(void);
void		 vn_lock(struct vnop *, struct node *, int,
		    void (*)(struct vnop *));
bool		 vn_lock_cancel(struct vnop *);
void		 vn_unlock(struct vnop *);

/* vnlife.c */
bool	vn_inactive(struct puffs_mount *, struct node *);
void	vn_setbacks(struct puffs_mount *, uint32_t, struct node *,
	    struct node *);

/* vnintr.c */
void	vn_interrupt(fuse_req_t, void *);

#endif
