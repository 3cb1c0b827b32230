/*
 * mounts.c: the process's list of mount contexts.  A context lives until
 * the process exits (servers never free it, as on NetBSD), and the list
 * is what keeps it reachable, for debuggers and leak checkers alike.
 * Called by puffs.c (puffs_init, puffs_cancel).
 */
#include "puffs_priv.h"

static LIST_HEAD(, puffs_usermount) puffs_mounts =
    LIST_HEAD_INITIALIZER(puffs_mounts);

void
puffs__mount_register(struct puffs_usermount *pu)
{
	LIST_INSERT_HEAD(&puffs_mounts, pu, pu_entries);
}

void
puffs__mount_unregister(struct puffs_usermount *pu)
{
	LIST_REMOVE(pu, pu_entries);
}
