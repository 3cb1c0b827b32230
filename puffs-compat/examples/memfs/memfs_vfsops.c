/*
 * memfs_vfsops.c: the file system wide operations of memfs: unmount,
 * statvfs and sync.  Entered only through the puffs_ops vector.
 */
#include "memfs.h"

/* Nothing to write back and no reason to refuse. */
int
memfs_fs_unmount(struct puffs_usermount *pu, int flags)
{

	(void)pu;
	(void)flags;
	return 0;
}

int
memfs_fs_statvfs(struct puffs_usermount *pu, struct puffs_statvfs *sbp)
{
	struct memfs *mfs = puffs_getspecific(pu);

	puffs_zerostatvfs(sbp);
	sbp->f_bsize = sbp->f_frsize = sbp->f_iosize = MEMFS_BSIZE;
	sbp->f_blocks = mfs->mfs_limit / MEMFS_BSIZE;
	sbp->f_bfree = sbp->f_bavail =
	    (mfs->mfs_limit - mfs->mfs_used) / MEMFS_BSIZE;
	sbp->f_bresvd = 0;
	sbp->f_files = MEMFS_MAXFILES;
	sbp->f_ffree = sbp->f_favail = MEMFS_MAXFILES - mfs->mfs_nfiles;
	sbp->f_fresvd = 0;
	sbp->f_namemax = MEMFS_NAMEMAX;
	return 0;
}

/* Memory is the backing store: every write is already "on disk". */
int
memfs_fs_sync(struct puffs_usermount *pu, int waitfor,
    const struct puffs_cred *pcr)
{

	(void)pu;
	(void)waitfor;
	(void)pcr;
	return 0;
}
