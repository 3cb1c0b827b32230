/*
 * sys/socket.h (compat): the host's <sys/socket.h> plus NetBSD's
 * SO_NOSIGPIPE.  Linux has no such socket option (it suppresses SIGPIPE
 * per call with MSG_NOSIGNAL, and puffs servers ignore SIGPIPE anyway), so
 * setsockopt() here accepts SO_NOSIGPIPE at SOL_SOCKET and does nothing;
 * every other option goes to the real call.
 */
#ifndef PUFFS_COMPAT_SYS_SOCKET_H
#define PUFFS_COMPAT_SYS_SOCKET_H

#include_next <sys/socket.h>

#ifndef SO_NOSIGPIPE
#define SO_NOSIGPIPE	0x0800		/* NetBSD's number */

static inline int
puffs_compat_setsockopt(int fd, int level, int name, const void *val,
    socklen_t len)
{
	if (level == SOL_SOCKET && name == SO_NOSIGPIPE)
		return 0;
	return setsockopt(fd, level, name, val, len);
}
#define setsockopt	puffs_compat_setsockopt
#endif

#endif /* PUFFS_COMPAT_SYS_SOCKET_H */
