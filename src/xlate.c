/*
 * xlate.c: Linux <-> NetBSD puffs constants and structures; see xlate.h.
 * Every function is a pure conversion so that one table can be read (and
 * tested) in one place.
 */
#define _GNU_SOURCE		/* O_DIRECT */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "xlate.h"

/* Linux open flags as NetBSD FFLAGS: the access mode becomes FREAD|FWRITE. */
int32_t
xlate_fflags(int flags)
{
	return (flags & ~O_ACCMODE) + (flags & O_ACCMODE) + 1;
}

/* The IO_* flags a NetBSD write through this open file would carry. */
int32_t
xlate_ioflag(int flags)
{
	int32_t ioflag = 0;

	if (flags & O_APPEND)
		ioflag |= PUFFS_IO_APPEND;
	if ((flags & O_SYNC) == O_SYNC)
		ioflag |= PUFFS_IO_SYNC;
	else if (flags & O_DSYNC)
		ioflag |= PUFFS_IO_DSYNC;
	if (flags & O_DIRECT)
		ioflag |= PUFFS_IO_DIRECT;
	if (flags & O_NONBLOCK)
		ioflag |= PUFFS_IO_NDELAY;
	return ioflag;
}

/* An access(2) mask as VREAD|VWRITE|VEXEC (F_OK is 0: nothing to ask). */
int32_t
xlate_vaccess(int mask)
{
	return (mask & R_OK ? PUFFS_VREAD : 0) |
	    (mask & W_OK ? PUFFS_VWRITE : 0) |
	    (mask & X_OK ? PUFFS_VEXEC : 0);
}

/* struct flock in NetBSD member order; l_type keeps Linux's values. */
void
xlate_flock_out(const struct flock *fl, struct puffs_kflock *kfl)
{
	memset(kfl, 0, sizeof(*kfl));
	kfl->l_start = fl->l_start;
	kfl->l_len = fl->l_len;
	kfl->l_pid = fl->l_pid;
	kfl->l_type = fl->l_type;
	kfl->l_whence = fl->l_whence;
}

void
xlate_flock_in(const struct puffs_kflock *kfl, struct flock *fl)
{
	memset(fl, 0, sizeof(*fl));
	fl->l_start = kfl->l_start;
	fl->l_len = kfl->l_len;
	fl->l_pid = kfl->l_pid;
	fl->l_type = kfl->l_type;
	fl->l_whence = kfl->l_whence;
}

/* A flock a server returned from F_GETLK: a known type and a sane range. */
int
xlate_flock_check(const struct puffs_kflock *kfl)
{
	if (kfl->l_type != F_RDLCK && kfl->l_type != F_WRLCK &&
	    kfl->l_type != F_UNLCK)
		return EINVAL;
	if (kfl->l_whence != SEEK_SET && kfl->l_whence != SEEK_CUR &&
	    kfl->l_whence != SEEK_END)
		return EINVAL;
	if (kfl->l_start < 0 || kfl->l_len < 0)
		return EINVAL;
	return 0;
}

static const struct {
	const char	*prefix;
	int		 ns;
} xlate_xattr_prefixes[] = {
	{ "user.",	XLATE_EXTATTR_USER },
	{ "system.",	XLATE_EXTATTR_SYSTEM },
	{ "security.",	XLATE_EXTATTR_SYSTEM },
	{ "trusted.",	XLATE_EXTATTR_SYSTEM },
};
#define XLATE_NPREFIX \
	(sizeof(xlate_xattr_prefixes) / sizeof(xlate_xattr_prefixes[0]))

/*
 * The namespace NetBSD's Linux-style *xattr(2) calls pick for a name: by
 * its prefix, USER for anything unknown.  The full name is sent as is.
 */
int
xlate_xattr_ns(const char *name)
{
	size_t i;

	for (i = 0; i < XLATE_NPREFIX; i++)
		if (strncmp(name, xlate_xattr_prefixes[i].prefix,
		    strlen(xlate_xattr_prefixes[i].prefix)) == 0)
			return xlate_xattr_prefixes[i].ns;
	return XLATE_EXTATTR_USER;
}

/* Does a listed name (len bytes, no NUL) already carry a Linux prefix? */
bool
xlate_xattr_hasprefix(const char *name, size_t len)
{
	size_t i, plen;

	for (i = 0; i < XLATE_NPREFIX; i++) {
		plen = strlen(xlate_xattr_prefixes[i].prefix);
		if (len > plen && memcmp(name, xlate_xattr_prefixes[i].prefix,
		    plen) == 0)
			return true;
	}
	return false;
}

/* Is name a known prefix with nothing after it ("user.")? */
bool
xlate_xattr_bareprefix(const char *name)
{
	size_t i;

	for (i = 0; i < XLATE_NPREFIX; i++)
		if (strcmp(name, xlate_xattr_prefixes[i].prefix) == 0)
			return true;
	return false;
}

/* The prefix a bare name listed in namespace ns is shown with. */
const char *
xlate_xattr_prefix(int ns)
{
	return ns == XLATE_EXTATTR_SYSTEM ? "system." : "user.";
}

/*
 * Append a server's NUL-separated list of namespace ns (n bytes) to dst
 * (*lenp bytes used of size), giving bare names their namespace's prefix.
 * EPROTO for an empty or overlong name, E2BIG when dst is full.
 */
int
xlate_xattr_list(uint8_t *dst, size_t size, size_t *lenp,
    const uint8_t *src, size_t n, int ns)
{
	const char *prefix = xlate_xattr_prefix(ns), *name;
	size_t i = 0, nlen, plen;

	while (i < n) {
		name = (const char *)src + i;
		nlen = strnlen(name, n - i);
		if (nlen == 0 || nlen > PUFFS_EXTNAMELEN)
			return EPROTO;
		plen = xlate_xattr_hasprefix(name, nlen) ? 0 : strlen(prefix);
		if (plen + nlen + 1 > size - *lenp)
			return E2BIG;
		memcpy(dst + *lenp, prefix, plen);
		memcpy(dst + *lenp + plen, name, nlen);
		*lenp += plen + nlen;
		dst[(*lenp)++] = '\0';
		i += nlen + 1;
	}
	return 0;
}

/* NetBSD's xattr calls say ENOTSUP where extattr said EOPNOTSUPP. */
int
xlate_xattr_errno(int error)
{
	return error == EOPNOTSUPP ? ENOTSUP : error;
}

/*
 * puffs_statvfs (NetBSD statvfs90) as Linux statvfs.  Of the mount flags
 * only ST_RDONLY and ST_NOSUID mean the same on both sides.
 */
void
xlate_statvfs(const struct puffs_kstatvfs *ks, struct statvfs *sv)
{
	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = ks->f_bsize;
	sv->f_frsize = ks->f_frsize != 0 ? ks->f_frsize : ks->f_bsize;
	sv->f_blocks = ks->f_blocks;
	sv->f_bfree = ks->f_bfree;
	sv->f_bavail = ks->f_bavail;
	sv->f_files = ks->f_files;
	sv->f_ffree = ks->f_ffree;
	sv->f_favail = ks->f_favail;
	sv->f_fsid = ks->f_fsid;
	sv->f_namemax = ks->f_namemax != 0 && ks->f_namemax <= 255 ?
	    ks->f_namemax : 255;
	if (ks->f_flag & PUFFS_MNT_RDONLY)
		sv->f_flag |= ST_RDONLY;
	if (ks->f_flag & PUFFS_MNT_NOSUID)
		sv->f_flag |= ST_NOSUID;
}
