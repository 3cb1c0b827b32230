/*
 * mntopts.h (compat): NetBSD's mount option parser for "-o" arguments,
 * as mount helpers and puffs servers use it: struct mntopt tables, the
 * MOPT_* entries and getmntopts() & co. (implemented in libpuffs).
 *
 * The MOPT_* entries name NetBSD's MNT_* flags, which <puffs.h> defines;
 * include <puffs.h> (it includes this file) before expanding them.
 * Entries for NetBSD mount flags Linux mounts cannot carry (MNT_LOG,
 * MNT_EXTATTR, MNT_DISCARD, MNT_RELATIME, MNT_AUTOMOUNTED, ACL flags)
 * are left out.
 */
#ifndef PUFFS_COMPAT_MNTOPTS_H
#define PUFFS_COMPAT_MNTOPTS_H

struct mntopt {
	const char	*m_option;	/* name, without "no" */
	int		 m_inverse;	/* set by "no<name>" rather than "<name>" */
	int		 m_flag;	/* bits it sets */
	int		 m_altloc;	/* in the second flags word */
};

#define MOPT_ASYNC		{ "async",	0, MNT_ASYNC, 0 }
#define MOPT_NOCOREDUMP		{ "coredump",	1, MNT_NOCOREDUMP, 0 }
#define MOPT_NODEV		{ "dev",	1, MNT_NODEV, 0 }
#define MOPT_NODEVMTIME		{ "devmtime",	1, MNT_NODEVMTIME, 0 }
#define MOPT_NOEXEC		{ "exec",	1, MNT_NOEXEC, 0 }
#define MOPT_NOSUID		{ "suid",	1, MNT_NOSUID, 0 }
#define MOPT_RDONLY		{ "rdonly",	0, MNT_RDONLY, 0 }
#define MOPT_SYNC		{ "sync",	0, MNT_SYNCHRONOUS, 0 }
#define MOPT_UNION		{ "union",	0, MNT_UNION, 0 }
#define MOPT_USERQUOTA		{ "userquota",	0, 0, 0 }
#define MOPT_GROUPQUOTA		{ "groupquota",	0, 0, 0 }
#define MOPT_NOATIME		{ "atime",	1, MNT_NOATIME, 0 }
#define MOPT_SYMPERM		{ "symperm",	0, MNT_SYMPERM, 0 }
#define MOPT_SOFTDEP		{ "softdep",	0, MNT_SOFTDEP, 0 }
#define MOPT_IGNORE		{ "hidden",	0, MNT_IGNORE, 0 }

#define MOPT_FORCE		{ "force",	0, MNT_FORCE, 0 }
#define MOPT_UPDATE		{ "update",	0, MNT_UPDATE, 0 }
#define MOPT_RELOAD		{ "reload",	0, MNT_RELOAD, 0 }
#define MOPT_GETARGS		{ "getargs",	0, MNT_GETARGS, 0 }

#define MOPT_RO			{ "ro",		0, MNT_RDONLY, 0 }
#define MOPT_RW			{ "rw",		1, MNT_RDONLY, 0 }

#define MOPT_AUTO		{ "auto",	0, 0, 0 }
#define MOPT_RUMP		{ "rump",	0, 0, 0 }
#define MOPT_NULL		{ NULL,		0, 0, 0 }

#define MOPT_FSTAB_COMPAT	MOPT_RO, MOPT_RW, MOPT_AUTO

#define MOPT_STDOPTS							\
	MOPT_USERQUOTA, MOPT_GROUPQUOTA, MOPT_FSTAB_COMPAT,		\
	MOPT_NOCOREDUMP, MOPT_NODEV, MOPT_NOEXEC, MOPT_NOSUID,		\
	MOPT_RDONLY, MOPT_UNION, MOPT_IGNORE, MOPT_SYMPERM, MOPT_RUMP

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mntoptparse *mntoptparse_t;

mntoptparse_t	getmntopts(const char *, const struct mntopt *, int *, int *);
const char	*getmntoptstr(mntoptparse_t, const char *);
long		 getmntoptnum(mntoptparse_t, const char *);
void		 freemntopts(mntoptparse_t);

extern int	 getmnt_silent;

#ifdef __cplusplus
}
#endif

#endif /* PUFFS_COMPAT_MNTOPTS_H */
