/*
 * memfs_vnops.c: the name space operations of memfs: lookup, create,
 * mknod, mkdir, symlink, link, remove, rmdir and rename.  Entered only
 * through the puffs_ops vector that main() builds.  Permission checks are
 * done here, as a NetBSD file system does them in its lookup and name ops;
 * the kernel side does none.
 */
#include "memfs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define COOKIE2MN(c)	PN2MN((struct puffs_node *)(c))

static struct mnode *
memfs_root(struct puffs_usermount *pu)
{

	return ((struct memfs *)puffs_getspecific(pu))->mfs_root;
}

/*
 * namei for one component.  Searching needs VEXEC on the directory; the
 * last component of a CREATE or RENAME that does not exist answers ENOENT
 * once VWRITE is granted (the caller then creates it); the last component
 * of a DELETE or RENAME also needs VWRITE and passes the sticky rule.
 */
int
memfs_node_lookup(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn)
{
	struct mnode *dir = COOKIE2MN(opc), *mn;
	struct mdirent *de;
	uint32_t op = pcn->pcn_nameiop & NAMEI_OPMASK;
	bool islast = (pcn->pcn_flags & NAMEI_ISLASTCN) != 0;
	struct vattr *va;
	int rv;

	(void)pu;
	if (MN2VA(dir)->va_type != VDIR)
		return ENOTDIR;
	if ((rv = memfs_node_vaccess(dir, PUFFS_VEXEC, pcn->pcn_cred)) != 0)
		return rv;
	if (MN2VA(dir)->va_nlink == 0)
		return ENOENT;		/* removed: nothing lives here */

	if (PCNISDOTDOT(pcn)) {
		mn = dir->mn_dir.md_parent;
	} else if (pcn->pcn_namelen == 1 && pcn->pcn_name[0] == '.') {
		mn = dir;
	} else {
		if (pcn->pcn_namelen > MEMFS_NAMEMAX)
			return ENAMETOOLONG;
		de = memfs_dir_find(&dir->mn_dir, pcn->pcn_name,
		    pcn->pcn_namelen);
		mn = de ? de->de_node : NULL;
	}

	if (mn == NULL) {
		if (islast && (op == NAMEI_CREATE || op == NAMEI_RENAME)) {
			rv = memfs_node_vaccess(dir, PUFFS_VWRITE,
			    pcn->pcn_cred);
			if (rv != 0)
				return rv;
		}
		return ENOENT;
	}
	if (islast && (op == NAMEI_DELETE || op == NAMEI_RENAME)) {
		if ((rv = memfs_node_vaccess(dir, PUFFS_VWRITE,
		    pcn->pcn_cred)) != 0)
			return rv;
		if ((rv = memfs_node_sticky(dir, mn, pcn->pcn_cred)) != 0)
			return rv;
	}

	va = MN2VA(mn);
	puffs_newinfo_setcookie(pni, mn->mn_pn);
	puffs_newinfo_setvtype(pni, va->va_type);
	puffs_newinfo_setsize(pni, (voff_t)va->va_size);
	puffs_newinfo_setrdev(pni, va->va_rdev);
	return 0;
}

/* Can a new name pcn be entered in dir? */
static int
memfs_canenter(struct mnode *dir, const struct puffs_cn *pcn)
{
	int rv;

	if (MN2VA(dir)->va_type != VDIR)
		return ENOTDIR;
	if (MN2VA(dir)->va_nlink == 0)
		return ENOENT;
	if (pcn->pcn_namelen > MEMFS_NAMEMAX)
		return ENAMETOOLONG;
	rv = memfs_node_vaccess(dir, PUFFS_VWRITE | PUFFS_VEXEC, pcn->pcn_cred);
	if (rv != 0)
		return rv;
	if (memfs_dir_find(&dir->mn_dir, pcn->pcn_name, pcn->pcn_namelen))
		return EEXIST;
	return 0;
}

/* The common part of create, mknod, mkdir and symlink. */
static int
memfs_makenode(struct puffs_usermount *pu, struct mnode *dir,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va, enum vtype vt, struct mnode **mnp)
{
	struct mnode *mn;
	int rv;

	if ((rv = memfs_canenter(dir, pcn)) != 0)
		return rv;
	if (vt == VDIR && MN2VA(dir)->va_nlink >= MEMFS_LINKMAX)
		return EMLINK;
	if ((mn = memfs_node_new(pu, vt, va->va_mode, pcn->pcn_cred,
	    dir)) == NULL)
		return errno;
	if (vt == VBLK || vt == VCHR)
		MN2VA(mn)->va_rdev = va->va_rdev;
	memfs_dir_add(dir, pcn->pcn_name, pcn->pcn_namelen, mn);
	memfs_node_touch(dir, false, true, true);
	puffs_newinfo_setcookie(pni, mn->mn_pn);
	if (mnp != NULL)
		*mnp = mn;
	return 0;
}

int
memfs_node_create(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{
	struct memfs *mfs = puffs_getspecific(pu);
	int rv;

	rv = memfs_makenode(pu, COOKIE2MN(opc), pni, pcn, va, VREG, NULL);
	memfs_log(pu, "create %.*s", (int)pcn->pcn_namelen, pcn->pcn_name);
	/* -S: the server's own suspend (a consistency point) and exit. */
	if (rv == 0 && mfs->mfs_snapshot && pcn->pcn_namelen == 9 &&
	    memcmp(pcn->pcn_name, ".snapshot", 9) == 0 &&
	    puffs_fs_suspend(pu) == -1)
		memfs_log(pu, "puffs_fs_suspend failed");
	if (rv == 0 && mfs->mfs_snapshot && pcn->pcn_namelen == 5 &&
	    memcmp(pcn->pcn_name, ".exit", 5) == 0 &&
	    puffs_exit(pu, 0) == -1)
		memfs_log(pu, "puffs_exit failed");
	return rv;
}

int
memfs_node_mknod(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{

	switch (va->va_type) {
	case VREG:
	case VCHR:
	case VBLK:
	case VFIFO:
	case VSOCK:
		break;
	default:
		return EINVAL;
	}
	return memfs_makenode(pu, COOKIE2MN(opc), pni, pcn, va, va->va_type,
	    NULL);
}

int
memfs_node_mkdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{

	return memfs_makenode(pu, COOKIE2MN(opc), pni, pcn, va, VDIR, NULL);
}

int
memfs_node_symlink(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va, const char *target)
{
	struct memfs *mfs = puffs_getspecific(pu);
	struct mnode *mn;
	size_t len;
	int rv;

	len = strlen(target);
	if (len == 0)
		return ENOENT;
	if (len >= PUFFS_MAXPATHLEN)
		return ENAMETOOLONG;
	/* check space first: past this point nothing may fail */
	if (mfs->mfs_used + memfs_round(len) > mfs->mfs_limit)
		return ENOSPC;
	rv = memfs_makenode(pu, COOKIE2MN(opc), pni, pcn, va, VLNK, &mn);
	if (rv != 0)
		return rv;
	return memfs_node_setlink(pu, mn, target);
}

int
memfs_node_link(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t targ, const struct puffs_cn *pcn)
{
	struct mnode *dir = COOKIE2MN(opc), *mn = COOKIE2MN(targ);
	int rv;

	(void)pu;
	if (MN2VA(mn)->va_type == VDIR)
		return EPERM;
	if ((rv = memfs_canenter(dir, pcn)) != 0)
		return rv;
	if (MN2VA(mn)->va_nlink == 0)
		return ENOENT;
	if (MN2VA(mn)->va_nlink >= MEMFS_LINKMAX)
		return EMLINK;
	memfs_dir_add(dir, pcn->pcn_name, pcn->pcn_namelen, mn);
	memfs_node_touch(mn, false, false, true);
	memfs_node_touch(dir, false, true, true);
	return 0;
}

/*
 * Find the entry pcn names in dir and check that it still is targ and that
 * the caller may remove it.
 */
static int
memfs_unlinkable(struct mnode *dir, struct mnode *mn,
    const struct puffs_cn *pcn, struct mdirent **dep)
{
	struct mdirent *de;
	int rv;

	de = memfs_dir_find(&dir->mn_dir, pcn->pcn_name, pcn->pcn_namelen);
	if (de == NULL || de->de_node != mn)
		return ENOENT;
	rv = memfs_node_vaccess(dir, PUFFS_VWRITE | PUFFS_VEXEC, pcn->pcn_cred);
	if (rv != 0)
		return rv;
	if ((rv = memfs_node_sticky(dir, mn, pcn->pcn_cred)) != 0)
		return rv;
	*dep = de;
	return 0;
}

/*
 * Once a node has lost its last name and nobody has it open, tell the
 * kernel side it may let go (the contents go at inactive).
 */
static void
memfs_gone(struct puffs_usermount *pu, struct mnode *mn)
{

	memfs_node_touch(mn, false, false, true);
	if (MN2VA(mn)->va_nlink == 0 && mn->mn_nopen == 0)
		puffs_setback(puffs_cc_getcc(pu), PUFFS_SETBACK_NOREF_N2);
}

int
memfs_node_remove(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t targ, const struct puffs_cn *pcn)
{
	struct mnode *dir = COOKIE2MN(opc), *mn = COOKIE2MN(targ);
	struct mdirent *de;
	int rv;

	if (MN2VA(mn)->va_type == VDIR)
		return EPERM;
	if ((rv = memfs_unlinkable(dir, mn, pcn, &de)) != 0)
		return rv;
	memfs_dir_remove(dir, de);
	memfs_node_touch(dir, false, true, true);
	memfs_gone(pu, mn);
	return 0;
}

int
memfs_node_rmdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t targ, const struct puffs_cn *pcn)
{
	struct mnode *dir = COOKIE2MN(opc), *mn = COOKIE2MN(targ);
	struct mdirent *de;
	int rv;

	if (mn == dir)
		return EINVAL;		/* rmdir(".") */
	if (MN2VA(mn)->va_type != VDIR)
		return ENOTDIR;
	if (mn == memfs_root(pu))
		return EBUSY;
	if ((rv = memfs_unlinkable(dir, mn, pcn, &de)) != 0)
		return rv;
	if (mn->mn_dir.md_nentries > 0)
		return ENOTEMPTY;
	memfs_dir_remove(dir, de);
	MN2VA(mn)->va_nlink = 0;	/* its "." goes with it */
	memfs_node_touch(dir, false, true, true);
	memfs_gone(pu, mn);
	return 0;
}

/* Is dir the directory mn or below it? */
static bool
memfs_isbelow(struct puffs_usermount *pu, struct mnode *dir, struct mnode *mn)
{
	struct mnode *root = memfs_root(pu);

	for (; dir != root; dir = dir->mn_dir.md_parent)
		if (dir == mn)
			return true;
	return mn == root;
}

/* May the existing target tmn be replaced by smn? */
static int
memfs_canreplace(struct mnode *tdir, struct mnode *smn, struct mnode *tmn,
    const struct puffs_cn *pcn_targ)
{
	int rv;

	if ((rv = memfs_node_sticky(tdir, tmn, pcn_targ->pcn_cred)) != 0)
		return rv;
	if (MN2VA(smn)->va_type == VDIR) {
		if (MN2VA(tmn)->va_type != VDIR)
			return ENOTDIR;
		if (tmn->mn_dir.md_nentries > 0)
			return ENOTEMPTY;
	} else if (MN2VA(tmn)->va_type == VDIR) {
		return EISDIR;
	}
	return 0;
}

static int
memfs_canrename(struct puffs_usermount *pu, struct mnode *sdir,
    struct mnode *smn, const struct puffs_cn *pcn_src, struct mnode *tdir,
    struct mnode *tmn, const struct puffs_cn *pcn_targ)
{
	bool isdir = MN2VA(smn)->va_type == VDIR;
	int rv;

	if (smn == memfs_root(pu) || tmn == memfs_root(pu))
		return EBUSY;
	if (isdir && memfs_isbelow(pu, tdir, smn))
		return EINVAL;
	rv = memfs_node_vaccess(tdir, PUFFS_VWRITE | PUFFS_VEXEC,
	    pcn_targ->pcn_cred);
	if (rv != 0)
		return rv;
	if (MN2VA(tdir)->va_nlink == 0)
		return ENOENT;
	if (pcn_targ->pcn_namelen > MEMFS_NAMEMAX)
		return ENAMETOOLONG;
	/* a moved directory's ".." is rewritten: that writes to it */
	if (isdir && sdir != tdir &&
	    (rv = memfs_node_vaccess(smn, PUFFS_VWRITE, pcn_src->pcn_cred)) != 0)
		return rv;
	if (tmn != NULL)
		return memfs_canreplace(tdir, smn, tmn, pcn_targ);
	if (isdir && sdir != tdir && MN2VA(tdir)->va_nlink >= MEMFS_LINKMAX)
		return EMLINK;
	return 0;
}

/*
 * rename: our own tables say what the target is (the cookie the caller
 * passes may only be NULL or that node).  An existing target is dropped
 * first, then the source entry moves; link counts follow the entries.
 */
int
memfs_node_rename(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t src, const struct puffs_cn *pcn_src,
    puffs_cookie_t targdir, puffs_cookie_t targ,
    const struct puffs_cn *pcn_targ)
{
	struct mnode *sdir = COOKIE2MN(opc), *smn = COOKIE2MN(src);
	struct mnode *tdir = COOKIE2MN(targdir), *tmn;
	struct mdirent *sde, *tde;
	int rv;

	if (MN2VA(tdir)->va_type != VDIR)
		return ENOTDIR;
	if ((rv = memfs_unlinkable(sdir, smn, pcn_src, &sde)) != 0)
		return rv;
	tde = memfs_dir_find(&tdir->mn_dir, pcn_targ->pcn_name,
	    pcn_targ->pcn_namelen);
	tmn = tde ? tde->de_node : NULL;
	if (targ != NULL && COOKIE2MN(targ) != tmn)
		return ENOENT;		/* the caller's view is stale */
	if (tmn == smn)
		return 0;		/* two names of one file: POSIX no-op */
	rv = memfs_canrename(pu, sdir, smn, pcn_src, tdir, tmn, pcn_targ);
	if (rv != 0)
		return rv;

	if (tmn != NULL) {
		memfs_dir_remove(tdir, tde);
		if (MN2VA(tmn)->va_type == VDIR)
			MN2VA(tmn)->va_nlink = 0;
		memfs_node_touch(tmn, false, false, true);
	}
	memfs_dir_remove(sdir, sde);
	memfs_dir_add(tdir, pcn_targ->pcn_name, pcn_targ->pcn_namelen, smn);
	memfs_node_touch(smn, false, false, true);
	memfs_node_touch(sdir, false, true, true);
	memfs_node_touch(tdir, false, true, true);
	return 0;
}
