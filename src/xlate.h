/*
 * xlate.h: every constant and structure that differs between what Linux
 * hands puffsd (open flags, access masks, struct flock, xattr names,
 * struct statvfs) and what a NetBSD puffs server expects on the wire
 * (FFLAGS, IO_*, VREAD/VWRITE/VEXEC, puffs_kflock, extattr namespaces,
 * puffs_statvfs).  Pure code: the vnops call it, the unit tests may too.
 *
 * Unchanged on purpose, so not here: errno values, mode bits, dev_t and
 * DT_* dirent types travel in Linux's encoding (the server is compiled on
 * Linux and its compat headers spell ENOATTR as ENODATA), see
 * puffs_msgif.h.
 */
#ifndef PUFFSD_XLATE_H
#define PUFFSD_XLATE_H

#include <sys/types.h>
#include <sys/statvfs.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>

#include <puffs-bridge/puffs_msgif.h>

/* NetBSD's extattr namespaces (<sys/extattr.h>). */
#define XLATE_EXTATTR_USER	1
#define XLATE_EXTATTR_SYSTEM	2

/* Linux renameat2 flags (<linux/fs.h>), checked by vnops_name.c. */
#define XLATE_RENAME_NOREPLACE	(1 << 0)

int32_t	xlate_fflags(int);
int32_t	xlate_ioflag(int);
int32_t	xlate_vaccess(int);
void	xlate_flock_out(const struct flock *, struct puffs_kflock *);
void	xlate_flock_in(const struct puffs_kflock *, struct flock *);
int	xlate_flock_check(const struct puffs_kflock *);
int	xlate_xattr_ns(const char *);
bool	xlate_xattr_hasprefix(const char *, size_t);
bool	xlate_xattr_bareprefix(const char *);
const char *xlate_xattr_prefix(int);
int	xlate_xattr_list(uint8_t *, size_t, size_t *, const uint8_t *,
	    size_t, int);
int	xlate_xattr_errno(int);
void	xlate_statvfs(const struct puffs_kstatvfs *, struct statvfs *);

#endif
