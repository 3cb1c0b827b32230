/*
 * memfs_fileops.c: the per-node operations of memfs: attributes
 * (getattr, setattr, access), I/O (open, close, read, write, readdir,
 * readlink) and the end of a node's life (inactive, reclaim).  Entered
 * only through the puffs_ops vector that main() builds.
 */
#include "memfs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COOKIE2MN(c)	PN2MN((struct puffs_node *)(c))

int
memfs_node_getattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct vattr *va, const struct puffs_cred *pcr)
{

	(void)pu;
	(void)pcr;
	memcpy(va, MN2VA(COOKIE2MN(opc)), sizeof(*va));
	return 0;
}

int
memfs_node_access(struct puffs_usermount *pu, puffs_cookie_t opc,
    int mode, const struct puffs_cred *pcr)
{

	(void)pu;
	return memfs_node_vaccess(COOKIE2MN(opc), mode, pcr);
}

#define VA_SET(x)	((x) != (__typeof__(x))PUFFS_VNOVAL)
#define TS_SET(ts)	VA_SET((ts).tv_sec)

/*
 * chmod rule.  The ownership test is puffs_access_chmod()'s; the bits an
 * unprivileged owner may not set are handled the Linux way (a native tmpfs
 * is the reference): setgid without the group is dropped silently, sticky
 * on a file is allowed.  Dropping set-id bits only is allowed to anyone
 * who may write the file (Linux asks for it after a write or truncate).
 */
static int
memfs_setattr_mode(struct mnode *mn, mode_t *modep,
    const struct puffs_cred *pcr)
{
	struct vattr *va = MN2VA(mn);
	mode_t mode = *modep & ALLPERMS;

	if (mode != va->va_mode &&
	    mode == (va->va_mode & ~(mode_t)(S_ISUID | S_ISGID)) &&
	    memfs_node_vaccess(mn, PUFFS_VWRITE, pcr) == 0) {
		*modep = mode;
		return 0;
	}
	if ((mode & S_ISGID) && !puffs_cred_isjuggernaut(pcr) &&
	    !puffs_cred_hasgroup(pcr, va->va_gid))
		mode &= ~S_ISGID;
	*modep = mode;
	return puffs_access_chmod(va->va_uid, va->va_gid, va->va_type,
	    mode & ~(mode_t)S_ISVTX, pcr);
}

/* Check every requested change before applying any. */
static int
memfs_setattr_check(struct mnode *mn, const struct vattr *va, mode_t *modep,
    const struct puffs_cred *pcr)
{
	struct vattr *cur = MN2VA(mn);
	int rv;

	if (VA_SET(va->va_uid) || VA_SET(va->va_gid)) {
		rv = puffs_access_chown(cur->va_uid, cur->va_gid, va->va_uid,
		    va->va_gid, pcr);
		if (rv != 0)
			return rv;
	}
	if (VA_SET(va->va_mode) &&
	    (rv = memfs_setattr_mode(mn, modep, pcr)) != 0)
		return rv;
	if (TS_SET(va->va_atime) || TS_SET(va->va_mtime)) {
		rv = puffs_access_times(cur->va_uid, cur->va_gid, cur->va_mode,
		    (va->va_vaflags & VA_UTIMES_NULL) != 0, pcr);
		if (rv != 0)
			return rv;
	}
	if (VA_SET(va->va_size)) {
		if (cur->va_type == VDIR)
			return EISDIR;
		if (cur->va_type != VREG)
			return EINVAL;
		if ((rv = memfs_node_vaccess(mn, PUFFS_VWRITE, pcr)) != 0)
			return rv;
	}
	return 0;
}

int
memfs_node_setattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    const struct vattr *va, const struct puffs_cred *pcr)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct vattr *cur = MN2VA(mn);
	mode_t mode = va->va_mode;
	int rv;

	if ((rv = memfs_setattr_check(mn, va, &mode, pcr)) != 0)
		return rv;
	/* Like ffs: a truncation marks the file modified even when the
	 * size stays (POSIX requires it for open with O_TRUNC). */
	if (VA_SET(va->va_size)) {
		if (va->va_size != cur->va_size &&
		    (rv = memfs_node_resize(pu, mn, va->va_size)) != 0)
			return rv;
		memfs_node_touch(mn, false, true, false);
	}
	if (VA_SET(va->va_uid))
		cur->va_uid = va->va_uid;
	if (VA_SET(va->va_gid))
		cur->va_gid = va->va_gid;
	if (VA_SET(va->va_mode))
		cur->va_mode = mode;
	if (TS_SET(va->va_atime))
		cur->va_atime = va->va_atime;
	if (TS_SET(va->va_mtime))
		cur->va_mtime = va->va_mtime;
	memfs_node_touch(mn, false, false, true);
	if (TS_SET(va->va_ctime))
		cur->va_ctime = va->va_ctime;
	return 0;
}

/* Permission to open was asked through access; count the opens. */
int
memfs_node_open(struct puffs_usermount *pu, puffs_cookie_t opc, int mode,
    const struct puffs_cred *pcr)
{

	(void)pu;
	(void)mode;
	(void)pcr;
	COOKIE2MN(opc)->mn_nopen++;
	return 0;
}

int
memfs_node_close(struct puffs_usermount *pu, puffs_cookie_t opc, int flags,
    const struct puffs_cred *pcr)
{
	struct mnode *mn = COOKIE2MN(opc);

	(void)flags;
	(void)pcr;
	if (mn->mn_nopen > 0)
		mn->mn_nopen--;
	if (mn->mn_nopen > 0)
		return 0;
	if (mn->mn_reclaimed)
		memfs_node_free(pu, mn);
	else if (MN2VA(mn)->va_type == VDIR)
		memfs_dir_compact(mn);
	return 0;
}

int
memfs_node_read(struct puffs_usermount *pu, puffs_cookie_t opc,
    uint8_t *buf, off_t offset, size_t *resid, const struct puffs_cred *pcr,
    int ioflag)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct vattr *va = MN2VA(mn);
	size_t n;

	(void)pu;
	(void)pcr;
	(void)ioflag;
	if (va->va_type == VDIR)
		return EISDIR;
	if (va->va_type != VREG)
		return EINVAL;
	if (offset < 0)
		return EINVAL;
	if ((uint64_t)offset < va->va_size) {
		n = va->va_size - (uint64_t)offset;
		if (n > *resid)
			n = *resid;
		memcpy(buf, mn->mn_data + offset, n);
		*resid -= n;
	}
	memfs_node_touch(mn, true, false, false);
	return 0;
}

int
memfs_node_write(struct puffs_usermount *pu, puffs_cookie_t opc,
    uint8_t *buf, off_t offset, size_t *resid, const struct puffs_cred *pcr,
    int ioflag)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct vattr *va = MN2VA(mn);
	struct memfs *mfs = puffs_getspecific(pu);
	uint64_t end;
	int rv;

	(void)pcr;
	memfs_log(pu, "write %" PRIu64 " %jd %zu", (uint64_t)va->va_fileid,
	    (intmax_t)offset, *resid);
	/* -W: hold the write (and the whole server) until the gate opens. */
	while (mfs->mfs_wgate != NULL && access(mfs->mfs_wgate, F_OK) != 0)
		usleep(10000);
	if (va->va_type == VDIR)
		return EISDIR;
	if (va->va_type != VREG)
		return EINVAL;
	if (ioflag & PUFFS_IO_APPEND)
		offset = (off_t)va->va_size;
	if (offset < 0)
		return EINVAL;
	if (*resid == 0)
		return 0;
	end = (uint64_t)offset + *resid;
	if (end < (uint64_t)offset || end > INT64_MAX)
		return EFBIG;
	if (end > mfs->mfs_limit)
		return EFBIG;
	if ((rv = memfs_node_charge(pu, mn, (uint64_t)offset, *resid)) != 0)
		return rv;
	if (end > va->va_size && (rv = memfs_node_resize(pu, mn, end)) != 0)
		return rv;
	memcpy(mn->mn_data + offset, buf, *resid);
	*resid = 0;
	memfs_node_touch(mn, false, true, true);
	return 0;
}

/* One entry of a listing at offset off; 0 when there is no room. */
static int
memfs_dent(struct mnode *dir, off_t off, struct dirent **dentp,
    size_t *reslen)
{
	struct mdirent *de;

	if (off == DENT_DOT)
		return puffs_gendotdent(dentp, MN2VA(dir)->va_fileid, 0,
		    reslen);
	if (off == DENT_DOTDOT)
		return puffs_gendotdent(dentp,
		    MN2VA(dir->mn_dir.md_parent)->va_fileid, 1, reslen);
	de = memfs_dir_slot(&dir->mn_dir, (size_t)DENT_ADJ(off));
	return puffs_nextdent(dentp, de->de_name,
	    MN2VA(de->de_node)->va_fileid,
	    puffs_vtype2dt(MN2VA(de->de_node)->va_type), reslen);
}

/*
 * Offsets are "." and "..", then slot indices (DENT_ADJ): resuming is an
 * array index, and holes left by removals are skipped.
 */
int
memfs_node_readdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct dirent *dent, off_t *readoff, size_t *reslen,
    const struct puffs_cred *pcr, int *eofflag, off_t *cookies,
    size_t *ncookies)
{
	struct mnode *dir = COOKIE2MN(opc);
	struct mdir *md = &dir->mn_dir;
	off_t off = *readoff;

	(void)pcr;
	memfs_log(pu, "readdir %jd", (intmax_t)off);
	if (MN2VA(dir)->va_type != VDIR)
		return ENOTDIR;
	if (off < 0)
		return EINVAL;
	*eofflag = 0;
	for (;;) {
		if (off >= MEMFS_DENT_FIRST) {
			if ((size_t)DENT_ADJ(off) >= md->md_nslots) {
				*eofflag = 1;
				break;
			}
			if (memfs_dir_slot(md, (size_t)DENT_ADJ(off)) == NULL) {
				off++;
				continue;
			}
		}
		if (!memfs_dent(dir, off, &dent, reslen))
			break;
		off++;
		PUFFS_STORE_DCOOKIE(cookies, ncookies, off);
	}
	*readoff = off;
	memfs_node_touch(dir, true, false, false);
	return 0;
}

int
memfs_node_readlink(struct puffs_usermount *pu, puffs_cookie_t opc,
    const struct puffs_cred *pcr, char *buf, size_t *linklen)
{
	struct mnode *mn = COOKIE2MN(opc);
	size_t n;

	(void)pu;
	(void)pcr;
	if (MN2VA(mn)->va_type != VLNK)
		return EINVAL;
	n = MN2VA(mn)->va_size;
	if (n > *linklen)
		n = *linklen;
	memcpy(buf, mn->mn_link, n);
	*linklen = n;
	memfs_node_touch(mn, true, false, false);
	return 0;
}

/*
 * Nobody uses the node any more.  If it also has no name left, its
 * contents can go now and the kernel side may forget it.
 */
int
memfs_node_inactive(struct puffs_usermount *pu, puffs_cookie_t opc)
{
	struct mnode *mn = COOKIE2MN(opc);

	if (MN2VA(mn)->va_nlink > 0 || mn->mn_nopen > 0)
		return 0;
	memfs_node_release(pu, mn);
	puffs_setback(puffs_cc_getcc(pu), PUFFS_SETBACK_NOREF_N1);
	return 0;
}

/*
 * libpuffs calls this once the kernel side holds no lookup of the node.
 * A node that still has a name stays, to be found again; an unlinked one
 * goes, unless (against protocol) it is still open: then at last close.
 */
int
memfs_node_reclaim(struct puffs_usermount *pu, puffs_cookie_t opc)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct memfs *mfs = puffs_getspecific(pu);

	if (mn == mfs->mfs_root || MN2VA(mn)->va_nlink > 0)
		return 0;
	if (mn->mn_nopen > 0)
		mn->mn_reclaimed = true;
	else
		memfs_node_free(pu, mn);
	return 0;
}
