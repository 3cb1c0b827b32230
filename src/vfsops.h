/*
 * vfsops.h: the mount as the NetBSD kernel's puffs_vfsops.c runs it:
 * validating the server's mount description, negotiating the message size,
 * the MOUNTING -> RUNNING -> DYING status, and the VFS messages (STATVFS,
 * SYNC, UNMOUNT).  Pure code; called by main.c, fuse.c, the vnops and the
 * unit tests.
 */
#ifndef PUFFSD_VFSOPS_H
#define PUFFSD_VFSOPS_H

#include <stdbool.h>
#include <stddef.h>

#include "msg.h"

uint64_t vfs_maxmsglen(uint64_t);
int	 vfs_attach(struct puffs_mount *, const uint8_t *, size_t, char *,
	    size_t);
void	 vfs_detach(struct puffs_mount *);
void	 vfs_start(struct puffs_mount *);
bool	 vfs_hasop(const struct puffs_mount *, int);
int	 vfs_statvfs(struct puffs_mount *, msg_done_fn, void *);
void	 vfs_sync(struct puffs_mount *, int, msg_done_fn, void *);
void	 vfs_unmount(struct puffs_mount *, int, msg_done_fn, void *);
void	 vfs_fscred(struct puffs_kcred *);

#endif
