/*
 * memfs_node.c: life of a memfs node.  Owns struct mnode allocation, the
 * attributes a new node starts with, file contents (size changes and the
 * space accounting of struct memfs), symlink targets, timestamps, and
 * freeing.  Called by the op handlers in memfs_vnops.c, memfs_fileops.c
 * and memfs.c.
 */
#include "memfs.h"

#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

uint64_t
memfs_round(uint64_t n)
{

	return (n + MEMFS_BSIZE - 1) & ~(uint64_t)(MEMFS_BSIZE - 1);
}

/*
 * Owner and group of a new node, the way Linux does it (so that results
 * match a native tmpfs): the caller's ids, except that a set-group-ID
 * directory passes on its group, and its set-group-ID bit to
 * subdirectories.  An unprivileged creator outside that group loses a
 * requested setgid bit on an executable file.
 */
static void
memfs_node_owner(struct vattr *va, const struct puffs_cred *pcr,
    struct mnode *parent)
{
	struct vattr *pva;
	uid_t uid = 0;
	gid_t gid = 0;

	if (pcr == NULL) {
		/* the root: it belongs to whoever runs the server */
		va->va_uid = geteuid();
		va->va_gid = getegid();
		return;
	}
	(void)puffs_cred_getuid(pcr, &uid);
	(void)puffs_cred_getgid(pcr, &gid);
	va->va_uid = uid;
	va->va_gid = gid;
	if (parent == NULL)
		return;
	pva = MN2VA(parent);
	if ((pva->va_mode & S_ISGID) == 0)
		return;
	va->va_gid = pva->va_gid;
	if (va->va_type == VDIR)
		va->va_mode |= S_ISGID;
	else if ((va->va_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
	    !puffs_cred_isjuggernaut(pcr) &&
	    !puffs_cred_hasgroup(pcr, va->va_gid))
		va->va_mode &= ~S_ISGID;
}

/*
 * Allocate a node of type vt.  It has no name yet (nlink counts names,
 * see memfs_dir_add); a directory starts with the link of its ".".
 * The root is the node without a parent.
 * NULL with errno ENOSPC when the file count limit is reached.
 */
struct mnode *
memfs_node_new(struct puffs_usermount *pu, enum vtype vt, mode_t mode,
    const struct puffs_cred *pcr, struct mnode *parent)
{
	struct memfs *mfs = puffs_getspecific(pu);
	struct mnode *mn;
	struct vattr *va;
	struct timespec now;

	if (mfs->mfs_nfiles >= MEMFS_MAXFILES) {
		errno = ENOSPC;
		return NULL;
	}
	if ((mn = calloc(1, sizeof(*mn))) == NULL)
		err(1, "calloc");
	if ((mn->mn_pn = puffs_pn_new(pu, mn)) == NULL)
		err(1, "puffs_pn_new");
	mfs->mfs_nfiles++;

	clock_gettime(CLOCK_REALTIME, &now);
	va = MN2VA(mn);
	puffs_vattr_null(va);
	va->va_type = vt;
	va->va_mode = mode & ALLPERMS;
	/* a directory's "." counts; the root's ".." is itself */
	va->va_nlink = vt != VDIR ? 0 : parent != NULL ? 1 : 2;
	memfs_node_owner(va, pcr, parent);
	va->va_fsid = 0;
	va->va_fileid = mfs->mfs_nextino++;
	va->va_size = 0;
	va->va_blocksize = MEMFS_BSIZE;
	va->va_atime = va->va_mtime = va->va_ctime = va->va_birthtime = now;
	va->va_gen = 0;
	va->va_flags = 0;
	va->va_rdev = 0;
	va->va_bytes = 0;
	va->va_filerev = 0;
	va->va_vaflags = 0;

	if (vt == VDIR)
		memfs_dir_init(&mn->mn_dir, parent ? parent : mn);
	return mn;
}

/* Drop a node's contents and give their space back. */
void
memfs_node_release(struct puffs_usermount *pu, struct mnode *mn)
{
	struct memfs *mfs = puffs_getspecific(pu);
	struct vattr *va = MN2VA(mn);

	switch (va->va_type) {
	case VREG:
		mfs->mfs_used -= va->va_bytes;
		free(mn->mn_data);
		free(mn->mn_pagemap);
		mn->mn_data = mn->mn_pagemap = NULL;
		mn->mn_cap = mn->mn_mapbytes = 0;
		va->va_size = va->va_bytes = 0;
		break;
	case VLNK:
		mfs->mfs_used -= memfs_round(va->va_size);
		free(mn->mn_link);
		mn->mn_link = NULL;
		va->va_size = va->va_bytes = 0;
		break;
	default:
		break;
	}
}

void
memfs_node_free(struct puffs_usermount *pu, struct mnode *mn)
{
	struct memfs *mfs = puffs_getspecific(pu);

	memfs_node_release(pu, mn);
	memfs_ext_free(mn);
	if (MN2VA(mn)->va_type == VDIR)
		memfs_dir_destroy(&mn->mn_dir);
	mfs->mfs_nfiles--;
	puffs_pn_put(mn->mn_pn);
	free(mn);
}

/* Grow the buffer to hold len bytes; bytes past the size stay zero. */
static void
memfs_node_reserve(struct mnode *mn, size_t len)
{
	size_t ncap;

	if (len <= mn->mn_cap)
		return;
	ncap = mn->mn_cap ? mn->mn_cap : MEMFS_BSIZE;
	while (ncap < len)
		ncap *= 2;
	if ((mn->mn_data = realloc(mn->mn_data, ncap)) == NULL)
		err(1, "realloc");
	memset(mn->mn_data + mn->mn_cap, 0, ncap - mn->mn_cap);
	mn->mn_cap = ncap;
}

#define PG_ISSET(mn, pg)	((mn)->mn_pagemap[(pg) / 8] & (1u << ((pg) % 8)))

/*
 * Space is charged per page written, as tmpfs does: a file extended by
 * truncate or with holes costs only what was written.  The buffer itself
 * is flat; the page map keeps the accounting (and st_blocks) honest.
 */
int
memfs_node_charge(struct puffs_usermount *pu, struct mnode *mn, uint64_t off,
    uint64_t len)
{
	struct memfs *mfs = puffs_getspecific(pu);
	uint64_t pg, first, last, nnew = 0;
	size_t need;

	if (len == 0)
		return 0;
	first = off / MEMFS_BSIZE;
	last = (off + len - 1) / MEMFS_BSIZE;
	need = (size_t)(last / 8 + 1);
	if (need > mn->mn_mapbytes) {
		if (need < mn->mn_mapbytes * 2)
			need = mn->mn_mapbytes * 2;
		if ((mn->mn_pagemap = realloc(mn->mn_pagemap, need)) == NULL)
			err(1, "realloc");
		memset(mn->mn_pagemap + mn->mn_mapbytes, 0,
		    need - mn->mn_mapbytes);
		mn->mn_mapbytes = need;
	}
	for (pg = first; pg <= last; pg++)
		if (!PG_ISSET(mn, pg))
			nnew++;
	if (mfs->mfs_used + nnew * MEMFS_BSIZE > mfs->mfs_limit)
		return ENOSPC;
	for (pg = first; pg <= last; pg++)
		mn->mn_pagemap[pg / 8] |= (uint8_t)(1u << (pg % 8));
	mfs->mfs_used += nnew * MEMFS_BSIZE;
	MN2VA(mn)->va_bytes += nnew * MEMFS_BSIZE;
	return 0;
}

/* Give back the pages wholly past nsize. */
static void
memfs_node_uncharge(struct puffs_usermount *pu, struct mnode *mn,
    uint64_t nsize)
{
	struct memfs *mfs = puffs_getspecific(pu);
	uint64_t pg, npages = (uint64_t)mn->mn_mapbytes * 8;

	for (pg = memfs_round(nsize) / MEMFS_BSIZE; pg < npages; pg++) {
		if (!PG_ISSET(mn, pg))
			continue;
		mn->mn_pagemap[pg / 8] &= (uint8_t)~(1u << (pg % 8));
		mfs->mfs_used -= MEMFS_BSIZE;
		MN2VA(mn)->va_bytes -= MEMFS_BSIZE;
	}
}

/*
 * Set a regular file's size: truncation zeroes the cut tail so that a
 * later extension reads zeros, extension relies on that.  A file can not
 * outgrow the mount's limit (the buffer is not sparse).
 */
int
memfs_node_resize(struct puffs_usermount *pu, struct mnode *mn,
    uint64_t nsize)
{
	struct memfs *mfs = puffs_getspecific(pu);
	struct vattr *va = MN2VA(mn);

	if (nsize == va->va_size)
		return 0;
	if (nsize > mfs->mfs_limit)
		return EFBIG;
	if (nsize > va->va_size) {
		memfs_node_reserve(mn, (size_t)nsize);
	} else if (nsize == 0) {
		free(mn->mn_data);
		mn->mn_data = NULL;
		mn->mn_cap = 0;
	} else {
		memset(mn->mn_data + nsize, 0, va->va_size - nsize);
	}
	if (nsize < va->va_size)
		memfs_node_uncharge(pu, mn, nsize);
	va->va_size = nsize;
	return 0;
}

/* Store a symlink target (a new node: no previous target). */
int
memfs_node_setlink(struct puffs_usermount *pu, struct mnode *mn,
    const char *target)
{
	struct memfs *mfs = puffs_getspecific(pu);
	struct vattr *va = MN2VA(mn);
	size_t len = strlen(target);

	if (mfs->mfs_used + memfs_round(len) > mfs->mfs_limit)
		return ENOSPC;
	if ((mn->mn_link = strdup(target)) == NULL)
		err(1, "strdup");
	mfs->mfs_used += memfs_round(len);
	va->va_size = len;
	/* like tmpfs: a short target lives in the inode, no block */
	va->va_bytes = len < 128 ? 0 : memfs_round(len);
	return 0;
}

void
memfs_node_touch(struct mnode *mn, bool atime, bool mtime, bool ctime)
{
	struct vattr *va = MN2VA(mn);
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (atime)
		va->va_atime = now;
	if (mtime)
		va->va_mtime = now;
	if (ctime)
		va->va_ctime = now;
}

/* vaccess() on a node's own attributes. */
int
memfs_node_vaccess(struct mnode *mn, int mode, const struct puffs_cred *pcr)
{
	struct vattr *va = MN2VA(mn);

	return puffs_access(va->va_type, va->va_mode, va->va_uid, va->va_gid,
	    mode, pcr);
}

/*
 * Deleting or renaming away mn from a sticky dir takes ownership of the
 * directory or of mn (or privilege).
 */
int
memfs_node_sticky(struct mnode *dir, struct mnode *mn,
    const struct puffs_cred *pcr)
{

	if ((MN2VA(dir)->va_mode & S_ISVTX) == 0 ||
	    puffs_cred_isjuggernaut(pcr) ||
	    puffs_cred_isuid(pcr, MN2VA(dir)->va_uid) ||
	    puffs_cred_isuid(pcr, MN2VA(mn)->va_uid))
		return 0;
	return EPERM;
}

static void *
memfs_node_freeone(struct puffs_usermount *pu, struct puffs_node *pn,
    void *arg)
{

	(void)arg;
	memfs_node_free(pu, PN2MN(pn));
	return NULL;
}

/* After unmount: every node still known goes. */
void
memfs_node_freeall(struct puffs_usermount *pu)
{

	puffs_pn_nodewalk(pu, memfs_node_freeone, NULL);
}
