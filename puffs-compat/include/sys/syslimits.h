/*
 * sys/syslimits.h (compat): NetBSD's kernel limits header, which servers
 * include for NAME_MAX, PATH_MAX and LINK_MAX.  glibc spreads them over
 * <limits.h>; LINK_MAX, which glibc leaves to pathconf(), gets NetBSD's.
 */
#ifndef PUFFS_COMPAT_SYS_SYSLIMITS_H
#define PUFFS_COMPAT_SYS_SYSLIMITS_H

#include <limits.h>

#ifndef LINK_MAX
#define LINK_MAX	32767
#endif

#endif /* PUFFS_COMPAT_SYS_SYSLIMITS_H */
