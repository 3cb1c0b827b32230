/*
 * memfs_vfsops.c: the file system wide operations of memfs: unmount,
 * statvfs, sync and the suspend notices.  Entered only through the
 * puffs_ops vector.
 */
#include "memfs.h"

#include <errno.h>

/* Nothing to write back; refused only when asked to (-r). */
int
memfs_fs_unmount(struct puffs_usermount *pu, int flags)
{
	struct memfs *mfs = puffs_getspecific(pu);
	int rv = 0;

	if (mfs->mfs_refuse && (flags & MNT_FORCE) == 0)
		rv = EBUSY;
	memfs_log(pu, "unmount %s -> %d", (flags & MNT_FORCE) ? "force" :
	    "normal", rv);
	return rv;
}

/* Nothing to quiesce: the notices are only recorded (-l). */
int
memfs_fs_suspend(struct puffs_usermount *pu, int status)
{
	static const char *names[] = { "START", "SUSPENDED", "RESUME",
	    "ERROR" };

	memfs_log(pu, "suspend %s", status >= 0 && status < 4 ?
	    names[status] : "?");
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

	(void)pcr;
	memfs_log(pu, "sync %s", waitfor == MNT_WAIT ? "wait" :
	    waitfor == MNT_LAZY ? "lazy" : "nowait");
	return 0;
}
