/*
 * creds.c: struct puffs_cred, the caller's credentials as the dispatcher
 * received them, and the UFS-style permission checks servers run on them.
 * Called by servers from inside their ops, and by the dispatcher to load
 * a credential from a request.
 */
#include <errno.h>
#include <string.h>

#include "puffs_priv.h"

#ifndef S_ISTXT
#define S_ISTXT	S_ISVTX
#endif
/* BSD's "inappropriate file type" has no Linux errno: the nearest one. */
#ifndef EFTYPE
#define EFTYPE	EINVAL
#endif

void
puffs__cred_load(struct puffs_cred *pcr, const struct puffs_kcred *kcr)
{
	pcr->pcr_kcred = *kcr;
	if (pcr->pcr_kcred.pkcr_ngroups > PUFFS_NGROUPS)
		pcr->pcr_kcred.pkcr_ngroups = PUFFS_NGROUPS;
}

static bool
puffs_cred_isuuc(const struct puffs_cred *pcr)
{
	return pcr->pcr_kcred.pkcr_type == PUFFCRED_TYPE_UUC;
}

int
puffs_cred_getuid(const struct puffs_cred *pcr, uid_t *ruid)
{
	if (!puffs_cred_isuuc(pcr)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	*ruid = pcr->pcr_kcred.pkcr_uid;
	return 0;
}

int
puffs_cred_getgid(const struct puffs_cred *pcr, gid_t *rgid)
{
	if (!puffs_cred_isuuc(pcr)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	*rgid = pcr->pcr_kcred.pkcr_gid;
	return 0;
}

int
puffs_cred_getgroups(const struct puffs_cred *pcr, gid_t *rgids, short *ngids)
{
	size_t n, i;

	if (!puffs_cred_isuuc(pcr)) {
		*ngids = 0;
		errno = EOPNOTSUPP;
		return -1;
	}
	n = pcr->pcr_kcred.pkcr_ngroups;
	if (*ngids < 0)
		n = 0;
	else if (n > (size_t)*ngids)
		n = (size_t)*ngids;
	for (i = 0; i < n; i++)
		rgids[i] = pcr->pcr_kcred.pkcr_groups[i];
	*ngids = (short)n;
	return 0;
}

bool
puffs_cred_isuid(const struct puffs_cred *pcr, uid_t uid)
{
	return puffs_cred_isuuc(pcr) && pcr->pcr_kcred.pkcr_uid == uid;
}

bool
puffs_cred_hasgroup(const struct puffs_cred *pcr, gid_t gid)
{
	const struct puffs_kcred *kcr = &pcr->pcr_kcred;
	size_t i;

	if (!puffs_cred_isuuc(pcr))
		return false;
	if (kcr->pkcr_gid == gid)
		return true;
	for (i = 0; i < kcr->pkcr_ngroups && i < PUFFS_NGROUPS; i++)
		if (kcr->pkcr_groups[i] == gid)
			return true;
	return false;
}

bool
puffs_cred_isregular(const struct puffs_cred *pcr)
{
	return puffs_cred_isuuc(pcr);
}

bool
puffs_cred_iskernel(const struct puffs_cred *pcr)
{
	return pcr->pcr_kcred.pkcr_type == PUFFCRED_TYPE_INTERNAL &&
	    pcr->pcr_kcred.pkcr_internal == PUFFCRED_CRED_NOCRED;
}

bool
puffs_cred_isfs(const struct puffs_cred *pcr)
{
	return pcr->pcr_kcred.pkcr_type == PUFFCRED_TYPE_INTERNAL &&
	    pcr->pcr_kcred.pkcr_internal == PUFFCRED_CRED_FSCRED;
}

bool
puffs_cred_isjuggernaut(const struct puffs_cred *pcr)
{
	return puffs_cred_isuid(pcr, 0) || puffs_cred_iskernel(pcr) ||
	    puffs_cred_isfs(pcr);
}

/*
 * The classic vaccess() rule: the owner's bits apply to the owner, the
 * group's to members, the others' to the rest; only one class is checked.
 * The superuser may do anything but execute a non-directory with no x bit.
 */
int
puffs_access(enum vtype type, mode_t file_mode, uid_t uid, gid_t gid,
    mode_t acc_mode, const struct puffs_cred *pcr)
{
	mode_t mask = 0;

	if (puffs_cred_iskernel(pcr) || puffs_cred_isfs(pcr))
		return 0;
	if (puffs_cred_isuid(pcr, 0)) {
		if ((acc_mode & PUFFS_VEXEC) && type != VDIR &&
		    (file_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
			return EACCES;
		return 0;
	}
	if (puffs_cred_isuid(pcr, uid)) {
		if (acc_mode & PUFFS_VEXEC)
			mask |= S_IXUSR;
		if (acc_mode & PUFFS_VREAD)
			mask |= S_IRUSR;
		if (acc_mode & PUFFS_VWRITE)
			mask |= S_IWUSR;
	} else if (puffs_cred_hasgroup(pcr, gid)) {
		if (acc_mode & PUFFS_VEXEC)
			mask |= S_IXGRP;
		if (acc_mode & PUFFS_VREAD)
			mask |= S_IRGRP;
		if (acc_mode & PUFFS_VWRITE)
			mask |= S_IWGRP;
	} else {
		if (acc_mode & PUFFS_VEXEC)
			mask |= S_IXOTH;
		if (acc_mode & PUFFS_VREAD)
			mask |= S_IROTH;
		if (acc_mode & PUFFS_VWRITE)
			mask |= S_IWOTH;
	}
	return (file_mode & mask) == mask ? 0 : EACCES;
}

/*
 * chown: only a privileged caller may give a file away; the owner may
 * change the group to one of its own groups.
 */
int
puffs_access_chown(uid_t owner, gid_t group, uid_t newowner, gid_t newgroup,
    const struct puffs_cred *pcr)
{
	if (newowner == (uid_t)PUFFS_VNOVAL)
		newowner = owner;
	if (newgroup == (gid_t)PUFFS_VNOVAL)
		newgroup = group;
	if (puffs_cred_isjuggernaut(pcr))
		return 0;
	if (!puffs_cred_isuid(pcr, owner) || newowner != owner)
		return EPERM;
	if (newgroup != group && !puffs_cred_hasgroup(pcr, newgroup))
		return EPERM;
	return 0;
}

/*
 * chmod: owner or privileged; an ordinary owner may not put the sticky
 * bit on a non-directory nor keep setgid for a group it is not in.
 */
int
puffs_access_chmod(uid_t owner, gid_t group, enum vtype type, mode_t mode,
    const struct puffs_cred *pcr)
{
	if (puffs_cred_isjuggernaut(pcr))
		return 0;
	if (!puffs_cred_isuid(pcr, owner))
		return EPERM;
	if (type != VDIR && (mode & S_ISTXT))
		return EFTYPE;
	if ((mode & S_ISGID) && !puffs_cred_hasgroup(pcr, group))
		return EPERM;
	return 0;
}

/*
 * utimes: the owner or a privileged caller may set any time; anyone with
 * write access may set "now" (utimes(NULL)).
 */
int
puffs_access_times(uid_t uid, gid_t gid, mode_t mode, int va_utimes_null,
    const struct puffs_cred *pcr)
{
	if (puffs_cred_isjuggernaut(pcr) || puffs_cred_isuid(pcr, uid))
		return 0;
	if (va_utimes_null == 0)
		return EPERM;
	return puffs_access(VNON, mode, uid, gid, PUFFS_VWRITE, pcr);
}
