/*
 * memfs.h: the in-memory file system's node, directory and mount
 * structures, shared by the memfs_*.c files of this example server only.
 *
 * Every node is a struct puffs_node (so cookies are puffs_node pointers and
 * libpuffs does the nlookup accounting); its attributes live in pn_va and
 * its contents in the struct mnode hung off pn_data.
 */
#ifndef MEMFS_H
#define MEMFS_H

#include <puffs.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MEMFS_BSIZE		4096
#define MEMFS_DEFAULT_LIMIT	(1024ULL * 1024 * 1024)	/* bytes */
#define MEMFS_MAXFILES		(1024 * 1024)
#define MEMFS_NAMEMAX		255
#define MEMFS_LINKMAX		32767
#define MEMFS_DIRENT_BOGOSIZE	20	/* per entry, as Linux tmpfs counts */

/* Readdir offsets: "." and ".." first, then slot i at DENT_ADJ^-1(i). */
#define MEMFS_DENT_FIRST	2

struct mnode;

/* One name in a directory. */
struct mdirent {
	struct mdirent	*de_hnext;	/* hash chain */
	struct mnode	*de_node;
	size_t		 de_slot;	/* index in md_slots: the readdir offset */
	uint32_t	 de_hash;
	size_t		 de_namelen;
	char		 de_name[];
};

/*
 * A directory: names hashed for lookup, and an append-only slot array for
 * readdir so that a resumed readdir finds its place by index.  Removal
 * leaves a hole; holes are squeezed out only while nobody has the
 * directory open, so offsets handed out stay valid.
 */
struct mdir {
	struct mdirent	**md_hash;
	size_t		  md_hashsize;	/* power of two */
	struct mdirent	**md_slots;
	size_t		  md_nslots;	/* used slots, holes included */
	size_t		  md_slotcap;
	size_t		  md_nentries;	/* live entries */
	struct mnode	 *md_parent;	/* ".." (the root: itself) */
};

/* An extended attribute: the full name as given, in its namespace. */
struct mxattr {
	struct mxattr	*xa_next;
	int		 xa_ns;		/* EXTATTR_NAMESPACE_* */
	size_t		 xa_len;
	uint8_t		*xa_value;
	char		 xa_name[];
};

/* A POSIX (byte range) or flock (whole file) lock; end inclusive. */
struct mlock {
	struct mlock	*lk_next;
	void		*lk_owner;
	bool		 lk_flock;
	short		 lk_type;	/* F_RDLCK or F_WRLCK */
	off_t		 lk_start;
	off_t		 lk_end;	/* MEMFS_LOCK_EOF: to the end */
	pid_t		 lk_pid;
};
#define MEMFS_LOCK_EOF	INT64_MAX

struct mnode {
	struct puffs_node *mn_pn;
	struct mxattr	  *mn_xattrs;
	struct mlock	  *mn_locks;
	int		   mn_nopen;	/* OPENs not yet CLOSEd */
	bool		   mn_reclaimed;	/* puffsd forgot it while open */
	union {
		struct {
			uint8_t	*data;
			size_t	 cap;
			uint8_t	*pagemap;	/* bit per written page */
			size_t	 mapbytes;
		} mn_reg;
		struct mdir	 mn_dir;
		char		*mn_link;
	} mn_u;
};
#define mn_data		mn_u.mn_reg.data
#define mn_cap		mn_u.mn_reg.cap
#define mn_pagemap	mn_u.mn_reg.pagemap
#define mn_mapbytes	mn_u.mn_reg.mapbytes
#define mn_dir		mn_u.mn_dir
#define mn_link		mn_u.mn_link

/* Per mount state, the puffs_getspecific() pointer. */
struct memfs {
	uint64_t	 mfs_limit;	/* bytes */
	uint64_t	 mfs_used;	/* bytes charged to nodes */
	uint64_t	 mfs_nfiles;
	uint64_t	 mfs_nextino;
	struct mnode	*mfs_root;
	FILE		*mfs_log;	/* -l: op order and suspend notices */
	bool		 mfs_refuse;	/* -r: refuse a non-forced unmount */
	bool		 mfs_snapshot;	/* -S: creating .snapshot suspends */
	const char	*mfs_wgate;	/* -W: writes wait until it exists */
};

#define PN2MN(pn)	((struct mnode *)(pn)->pn_data)
#define MN2VA(mn)	(&(mn)->mn_pn->pn_va)

PUFFSOP_PROTOS(memfs)

/* memfs.c */
void		 memfs_log(struct puffs_usermount *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* memfs_node.c */
struct mnode	*memfs_node_new(struct puffs_usermount *, enum vtype, mode_t,
		    const struct puffs_cred *, struct mnode *);
void		 memfs_node_free(struct puffs_usermount *, struct mnode *);
void		 memfs_node_release(struct puffs_usermount *, struct mnode *);
int		 memfs_node_resize(struct puffs_usermount *, struct mnode *,
		    uint64_t);
int		 memfs_node_charge(struct puffs_usermount *, struct mnode *,
		    uint64_t, uint64_t);
int		 memfs_node_setlink(struct puffs_usermount *, struct mnode *,
		    const char *);
void		 memfs_node_touch(struct mnode *, bool, bool, bool);
void		 memfs_node_freeall(struct puffs_usermount *);
int		 memfs_node_vaccess(struct mnode *, int,
		    const struct puffs_cred *);
int		 memfs_node_sticky(struct mnode *, struct mnode *,
		    const struct puffs_cred *);
uint64_t	 memfs_round(uint64_t);

/* memfs_extops.c */
void		 memfs_ext_free(struct mnode *);

/* memfs_dir.c */
void		 memfs_dir_init(struct mdir *, struct mnode *);
void		 memfs_dir_destroy(struct mdir *);
struct mdirent	*memfs_dir_find(struct mdir *, const char *, size_t);
int		 memfs_dir_add(struct mnode *, const char *, size_t,
		    struct mnode *);
void		 memfs_dir_remove(struct mnode *, struct mdirent *);
struct mdirent	*memfs_dir_slot(struct mdir *, size_t);
void		 memfs_dir_compact(struct mnode *);

#endif /* MEMFS_H */
