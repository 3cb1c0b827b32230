/*
 * unistd.h (compat): the host's <unistd.h> plus NetBSD's fchroot(2),
 * which libpuffs emulates with fchdir(2) and chroot(".") (the working
 * directory moves to the new root, unlike on NetBSD).
 */
#ifndef PUFFS_COMPAT_UNISTD_H
#define PUFFS_COMPAT_UNISTD_H

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif
int	fchroot(int);
#ifdef __cplusplus
}
#endif

#endif /* PUFFS_COMPAT_UNISTD_H */
