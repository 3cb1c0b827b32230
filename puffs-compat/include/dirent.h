/*
 * dirent.h (compat): NetBSD's struct dirent and its _DIRENT_* macros, with
 * the host's directory stream functions kept usable in the same file.
 *
 * puffs servers fill readdir buffers with NetBSD records (d_fileno,
 * d_reclen, d_namlen, d_type, d_name[512]; 8-byte aligned, as
 * puffs_nextdent writes them) and walk them with _DIRENT_SIZE and
 * _DIRENT_NEXT, while the null layer and icfs-like servers read host
 * directories with opendir/readdir in the same source file.  So glibc's
 * record is renamed (struct __puffs_host_dirent) while its header is read,
 * struct dirent becomes NetBSD's, and readdir()/readdir_r() return host
 * entries converted to it.
 *
 * Differences a Linux program notices: d_off is gone (use telldir), d_ino
 * is an alias of d_fileno as on NetBSD, scandir()/alphasort() keep
 * glibc's record (struct __puffs_host_dirent), and readdir() keeps one
 * converted entry per thread (a later readdir() on any stream of the
 * thread reuses it; POSIX only promises that for the same stream).
 */
#ifndef PUFFS_COMPAT_DIRENT_H
#define PUFFS_COMPAT_DIRENT_H

#ifdef _DIRENT_H
#error "<dirent.h> was included before the puffs compat headers; include <puffs.h> first"
#endif

#define dirent		__puffs_host_dirent
#include_next <dirent.h>
#undef dirent
#undef d_fileno

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#undef MAXNAMLEN
#define MAXNAMLEN	511

struct dirent {
	uint64_t	d_fileno;
	uint16_t	d_reclen;
	uint16_t	d_namlen;
	uint8_t		d_type;
	char		d_name[MAXNAMLEN + 1];
};

#define _DIRENT_ALIGN(dp)	(sizeof((dp)->d_fileno) - 1)
#define _DIRENT_NAMEOFF(dp)	((char *)(void *)&(dp)->d_name - (char *)(void *)(dp))
#define _DIRENT_RECLEN(dp, namlen) \
	((_DIRENT_NAMEOFF(dp) + (namlen) + 1 + _DIRENT_ALIGN(dp)) & \
	    ~_DIRENT_ALIGN(dp))
#define _DIRENT_SIZE(dp)	_DIRENT_RECLEN(dp, (dp)->d_namlen)
#define _DIRENT_NEXT(dp) \
	((void *)((char *)(void *)(dp) + (dp)->d_reclen))
#define _DIRENT_MINSIZE(dp)	_DIRENT_RECLEN(dp, 0)

#ifndef IFTODT
#define IFTODT(mode)	(((mode) & 0170000) >> 12)
#define DTTOIF(dt)	((dt) << 12)
#endif

/* A host entry as a NetBSD record.  readdir is still glibc's below. */
static inline void
__puffs_dirent_conv(struct dirent *d, const struct __puffs_host_dirent *h)
{
	size_t len = strnlen(h->d_name, sizeof(h->d_name));

	d->d_fileno = h->d_ino;
	d->d_namlen = (uint16_t)len;
	d->d_type = h->d_type;
	memcpy(d->d_name, h->d_name, len);
	d->d_name[len] = '\0';
	d->d_reclen = (uint16_t)_DIRENT_SIZE(d);
}

static inline struct dirent *
__puffs_readdir(DIR *dirp)
{
	static __thread struct dirent d;
	struct __puffs_host_dirent *h = readdir(dirp);

	if (h == NULL)
		return NULL;
	__puffs_dirent_conv(&d, h);
	return &d;
}

static inline int
__puffs_readdir_r(DIR *dirp, struct dirent *entry, struct dirent **result)
{
	struct __puffs_host_dirent *h;
	int saved = errno, rv;

	errno = 0;
	h = readdir(dirp);
	rv = errno;
	errno = saved;
	if (h == NULL) {
		*result = NULL;
		return rv;
	}
	__puffs_dirent_conv(entry, h);
	*result = entry;
	return 0;
}

#define readdir		__puffs_readdir
#define readdir_r	__puffs_readdir_r
#define d_ino		d_fileno

#endif /* PUFFS_COMPAT_DIRENT_H */
