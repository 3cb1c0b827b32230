/*
 * sys/param.h (compat): the host's <sys/param.h> (through libbsd's overlay
 * when it is in the include path) plus what NetBSD's <sys/param.h> also
 * brings in and servers rely on without including it themselves: the
 * <inttypes.h> format macros (NetBSD includes <sys/inttypes.h>; sysctlfs
 * prints with PRId64) and <sys/syslimits.h> (LINK_MAX & co.).
 * <puffs.h> includes this header, as NetBSD's does.
 */
#ifndef PUFFS_COMPAT_SYS_PARAM_H
#define PUFFS_COMPAT_SYS_PARAM_H

#include_next <sys/param.h>

#include <inttypes.h>
#include <sys/syslimits.h>

#endif /* PUFFS_COMPAT_SYS_PARAM_H */
