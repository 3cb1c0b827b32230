/*
 * string.h (compat): the host's <string.h> plus strcasestr(3), which
 * NetBSD's <string.h> declares in its default namespace and glibc only
 * under _GNU_SOURCE (sysctlfs calls it with neither).  The function is
 * glibc's own; only its declaration is added.
 */
#ifndef PUFFS_COMPAT_STRING_H
#define PUFFS_COMPAT_STRING_H

#include_next <string.h>

#if !defined(__USE_GNU) && !defined(__cplusplus)
char	*strcasestr(const char *, const char *);
#endif

#endif /* PUFFS_COMPAT_STRING_H */
