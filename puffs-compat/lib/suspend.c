/*
 * suspend.c: file system suspension from the server's side (ARCHITECTURE
 * decision 1: restored as a documented extension; modern NetBSD answers
 * EOPNOTSUPP).  puffs_fs_suspend() asks puffsd for a consistency point:
 * puffsd suspends the mount and resumes it at once, and the server's
 * fs_suspend callback hears START, SUSPENDED (or ERROR) and RESUME through
 * the dispatcher like any VFS op.  Called by servers.
 */

#include "puffs_priv.h"

int
puffs_fs_suspend(struct puffs_usermount *pu)
{
	return puffs__sendsrvreq(pu, PUFFSOP_SUSPEND);
}
