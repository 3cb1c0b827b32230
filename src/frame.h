/*
 * frame.h: building puffs frames and reading the server's replies through
 * length-checked getters.  Pure code (no libfuse, no libevent): puffsd and
 * the unit tests both use it.  Every getter returns 0, EBADMSG (the frame
 * is shorter than the fixed part, or its putter header disagrees with the
 * bytes received) or EPROTO (a size or count the server gave is
 * impossible).
 */
#ifndef PUFFSD_FRAME_H
#define PUFFSD_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include <puffs-bridge/puffs_msgif.h>

/* Highest errno a server may return (Linux's EHWPOISON). */
#define FRAME_ERRNO_MAX	133

uint8_t	*frame_new(size_t, uint16_t, uint16_t, uint64_t);
uint8_t	*frame_mountresp(int, uint64_t, const char *, size_t *);
int	 frame_get(const uint8_t *, size_t, size_t, size_t, const void **);
int	 frame_checkerr(int32_t);

int	 frame_get_req(const uint8_t *, size_t, const struct puffs_req **);
int	 frame_get_mountreq(const uint8_t *, size_t,
	    const struct puffs_mountreq **, const char **);
int	 frame_get_lookup(const uint8_t *, size_t,
	    const struct puffs_vnmsg_lookup **);
int	 frame_get_create(const uint8_t *, size_t,
	    const struct puffs_vnmsg_create **);
int	 frame_get_symlink(const uint8_t *, size_t,
	    const struct puffs_vnmsg_symlink **);
int	 frame_get_open(const uint8_t *, size_t,
	    const struct puffs_vnmsg_open **);
int	 frame_get_getattr(const uint8_t *, size_t,
	    const struct puffs_vnmsg_getattr **);
int	 frame_get_statvfs(const uint8_t *, size_t,
	    const struct puffs_vfsmsg_statvfs **);
int	 frame_get_read(const uint8_t *, size_t, uint64_t,
	    const struct puffs_vnmsg_rw **, const uint8_t **, size_t *);
int	 frame_get_write(const uint8_t *, size_t, uint64_t,
	    const struct puffs_vnmsg_rw **);
int	 frame_get_readdir(const uint8_t *, size_t, uint64_t,
	    const struct puffs_vnmsg_readdir **, const uint8_t **, size_t *);
int	 frame_get_readlink(const uint8_t *, size_t,
	    const struct puffs_vnmsg_readlink **);

/* One validated dirent out of a READDIR reply. */
struct frame_dirent {
	uint64_t	 fileno;
	uint8_t		 type;
	uint16_t	 namlen;
	const char	*name;		/* not NUL-terminated on the wire */
};
int	 frame_dirent_next(const uint8_t *, size_t, size_t *,
	    struct frame_dirent *);

const char *frame_opname(uint16_t, uint16_t);

#endif
