/*
 * vattr.h: puffs vattr <-> Linux struct stat (statvfs: xlate.h).  Pure code,
 * used by the vnops and the unit tests.
 */
#ifndef PUFFSD_VATTR_H
#define PUFFSD_VATTR_H

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <puffs-bridge/puffs_msgif.h>

#define VATTR_VNOVAL64	UINT64_MAX
#define VATTR_VNOVAL32	UINT32_MAX

void		vattr_null(struct puffs_kvattr *);
uint32_t	vattr_vtype(mode_t);
mode_t		vattr_fmt(uint32_t);
int		vattr_tostat(const struct puffs_kvattr *, uint32_t, uint64_t,
		    struct stat *);
const char	*vattr_vtype_name(uint32_t);

#endif
