/*
 * compat.c: NetBSD system interfaces libpuffs emulates for servers where
 * Linux lacks them: fchroot().  Called by servers.
 */
#include <unistd.h>

int
fchroot(int fd)
{
	if (fchdir(fd) == -1)
		return -1;
	return chroot(".");
}
