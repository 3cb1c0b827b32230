/*
 * paths.h (compat): the host's <paths.h> plus NetBSD's _PATH_PUFFS.  On
 * Linux there is no puffs device: the name only has to exist for servers
 * that pass it to puffs_init() as the "mounted from" string.
 */
#ifndef PUFFS_COMPAT_PATHS_H
#define PUFFS_COMPAT_PATHS_H

#include_next <paths.h>

#ifndef _PATH_PUFFS
#define _PATH_PUFFS	"/dev/puffs"
#endif

#endif /* PUFFS_COMPAT_PATHS_H */
