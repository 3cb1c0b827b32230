/*
 * null.c: the null layer, puffs_null_setops() and the puffs_null_* ops: a
 * file system that passes every operation through to a host directory by
 * ordinary system calls on the paths PUFFS_FLAG_BUILDPATH keeps in the
 * nodes.  Servers call puffs_null_setops() and may wrap single ops
 * (rot13fs-style); pnode.c calls puffs__null_forget() when a node goes.
 *
 * One node per path: lookup finds a node by its full path
 * (puffs_path_walkcmp) or makes one.  A hard link is one node with several
 * names; the extra names are remembered so that removing the name a node
 * is known by moves the node to a name that still exists.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "puffs_priv.h"

/* glibc's <dirent.h> renames d_fileno to d_ino on the host record. */
#define NULL_HOSTINO(dp)	((dp)->d_ino)

struct puffs_nullalias {
	LIST_ENTRY(puffs_nullalias) na_entries;
	struct puffs_node	*na_pn;
	char			*na_path;
};

/* ------------------------------------------------------------------ */
/* Nodes and names                                                    */

static void
null_alias_add(struct puffs_node *pn, const char *path)
{
	struct puffs_usermount *pu = pn->pn_mnt;
	struct puffs_nullalias *na;

	if ((na = calloc(1, sizeof(*na))) == NULL)
		return;
	if ((na->na_path = strdup(path)) == NULL) {
		free(na);
		return;
	}
	na->na_pn = pn;
	LIST_INSERT_HEAD(&pu->pu_nullaliases, na, na_entries);
}

static void
null_alias_free(struct puffs_nullalias *na)
{
	LIST_REMOVE(na, na_entries);
	free(na->na_path);
	free(na);
}

void
puffs__null_forget(struct puffs_node *pn)
{
	struct puffs_nullalias *na, *next;

	for (na = LIST_FIRST(&pn->pn_mnt->pu_nullaliases); na != NULL;
	    na = next) {
		next = LIST_NEXT(na, na_entries);
		if (na->na_pn == pn)
			null_alias_free(na);
	}
}

/*
 * The name path of pn was removed: forget it as an alias, and if it was
 * the name the node is known by, move the node to a surviving alias.
 */
static void
null_name_gone(struct puffs_usermount *pu, struct puffs_node *pn,
    const char *path)
{
	struct puffs_nullalias *na, *next;
	struct stat sb;
	char *newpath;

	for (na = LIST_FIRST(&pu->pu_nullaliases); na != NULL; na = next) {
		next = LIST_NEXT(na, na_entries);
		if (strcmp(na->na_path, path) == 0)
			null_alias_free(na);
	}
	if (pn == NULL || PNPATH(pn) == NULL || strcmp(PNPATH(pn), path) != 0)
		return;
	LIST_FOREACH(na, &pu->pu_nullaliases, na_entries) {
		if (na->na_pn != pn || lstat(na->na_path, &sb) == -1 ||
		    sb.st_ino != pn->pn_va.va_fileid)
			continue;
		if ((newpath = strdup(na->na_path)) == NULL)
			return;
		puffs__path_free(pu, &pn->pn_po);
		pn->pn_po.po_path = newpath;
		pn->pn_po.po_len = strlen(newpath);
		puffs_path_buildhash(pu, &pn->pn_po);
		null_alias_free(na);
		return;
	}
	puffs_pn_remove(pn);
}

/* The node for the object at po (lstat'ed into sb), new or known. */
static struct puffs_node *
null_getnode(struct puffs_usermount *pu, struct puffs_pathobj *po,
    const struct stat *sb)
{
	struct puffs_node *pn;

	pn = puffs_pn_nodewalk(pu, puffs_path_walkcmp, po);
	if (pn == NULL) {
		if ((pn = puffs_pn_new(pu, NULL)) == NULL)
			return NULL;
	}
	puffs_stat2vattr(&pn->pn_va, sb);
	return pn;
}

/*
 * A new object gets the attributes the kernel asked for, as NetBSD's layer
 * sets them after creating: the mode exactly (the server's umask must not
 * apply) and an owner when one is given.  On failure the object goes.
 */
static int
null_newattr(const char *path, const struct vattr *va, int isdir)
{
	mode_t keep = 0;
	struct stat sb;
	int rv = 0;

	/* A directory keeps the setgid bit it inherited from its parent. */
	if (isdir && lstat(path, &sb) == 0)
		keep = sb.st_mode & S_ISGID;
	if ((va->va_uid != (uid_t)PUFFS_VNOVAL ||
	    va->va_gid != (gid_t)PUFFS_VNOVAL) &&
	    lchown(path, va->va_uid, va->va_gid) == -1)
		rv = errno;
	else if (va->va_mode != (mode_t)PUFFS_VNOVAL &&
	    chmod(path, (va->va_mode & ALLPERMS) | keep) == -1)
		rv = errno;
	if (rv != 0)
		(void)(isdir ? rmdir(path) : unlink(path));
	return rv;
}

/* Answers a name op with the node now at PCNPATH(pcn). */
static int
null_newnode(struct puffs_usermount *pu, struct puffs_newinfo *pni,
    const struct puffs_cn *pcn)
{
	struct puffs_pathobj po = pcn->pcn_po_full;
	struct puffs_node *pn;
	struct stat sb;

	if (lstat(PCNPATH(pcn), &sb) == -1)
		return errno;
	if ((pn = null_getnode(pu, &po, &sb)) == NULL)
		return ENOMEM;
	puffs_newinfo_setcookie(pni, pn);
	puffs_newinfo_setvtype(pni, pn->pn_va.va_type);
	puffs_newinfo_setsize(pni, (voff_t)pn->pn_va.va_size);
	puffs_newinfo_setrdev(pni, pn->pn_va.va_rdev);
	return 0;
}

/*
 * The host path of the name the kernel resolved below dir, built as for
 * any other name op (the server's transform and namemod apply): the
 * dispatcher builds no full path for remove and rmdir.
 */
static int
null_namepath(struct puffs_usermount *pu, puffs_cookie_t dir,
    const struct puffs_cn *pcn, struct puffs_pathobj *po)
{
	struct puffs_cn cn = *pcn;
	int rv;

	memset(&cn.pcn_po_full, 0, sizeof(cn.pcn_po_full));
	rv = puffs_path_pcnbuild(pu, &cn, dir);
	*po = cn.pcn_po_full;
	return rv;
}

/* ------------------------------------------------------------------ */
/* VFS ops                                                            */

int
puffs_null_fs_statvfs(struct puffs_usermount *pu, struct puffs_statvfs *sbp)
{
	struct puffs_node *root = puffs_getroot(pu);
	struct statvfs sv;

	if (root == NULL || PNPATH(root) == NULL)
		return ENOENT;
	if (statvfs(PNPATH(root), &sv) == -1)
		return errno;
	puffs_zerostatvfs(sbp);
	sbp->f_flag = sv.f_flag;
	sbp->f_bsize = sv.f_bsize;
	sbp->f_frsize = sv.f_frsize;
	sbp->f_iosize = sv.f_bsize;
	sbp->f_blocks = sv.f_blocks;
	sbp->f_bfree = sv.f_bfree;
	sbp->f_bavail = sv.f_bavail;
	sbp->f_files = sv.f_files;
	sbp->f_ffree = sv.f_ffree;
	sbp->f_favail = sv.f_favail;
	sbp->f_fsid = sv.f_fsid;
	sbp->f_namemax = sv.f_namemax;
	return 0;
}

/*
 * File handles: the host's handle for the path (name_to_handle_at(2)),
 * and back by opening it (open_by_handle_at(2), needs
 * CAP_DAC_READ_SEARCH) and finding the node through /proc/self/fd.
 */
int
puffs_null_fs_nodetofh(struct puffs_usermount *pu, puffs_cookie_t opc,
    void *fid, size_t *fidsize)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);
	struct file_handle *fh;
	size_t need;
	int mntid;

	if (pn == NULL || PNPATH(pn) == NULL)
		return ENOENT;
	if ((fh = calloc(1, sizeof(*fh) + MAX_HANDLE_SZ)) == NULL)
		return ENOMEM;
	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, PNPATH(pn), fh, &mntid, 0) == -1) {
		free(fh);
		return errno;
	}
	need = sizeof(*fh) + fh->handle_bytes;
	if (need > *fidsize) {
		*fidsize = need;
		free(fh);
		return E2BIG;
	}
	memcpy(fid, fh, need);
	*fidsize = need;
	free(fh);
	return 0;
}

int
puffs_null_fs_fhtonode(struct puffs_usermount *pu, void *fid, size_t fidsize,
    struct puffs_newinfo *pni)
{
	struct file_handle *fh = fid;
	struct puffs_node *root = puffs_getroot(pu), *pn;
	struct puffs_pathobj po;
	char link[64], path[PATH_MAX];
	struct stat sb;
	ssize_t n;
	int fd, rfd;

	if (fidsize < sizeof(*fh) || sizeof(*fh) + fh->handle_bytes > fidsize)
		return EINVAL;
	if (root == NULL || (rfd = open(PNPATH(root), O_RDONLY)) == -1)
		return ENOENT;
	fd = open_by_handle_at(rfd, fh, O_PATH);
	close(rfd);
	if (fd == -1)
		return errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n == -1 || fstat(fd, &sb) == -1) {
		close(fd);
		return ESTALE;
	}
	close(fd);
	path[n] = '\0';
	po.po_path = path;
	po.po_len = (size_t)n;
	puffs_path_buildhash(pu, &po);
	if ((pn = puffs_pn_nodewalk(pu, puffs_path_walkcmp, &po)) == NULL) {
		if ((pn = puffs_pn_new(pu, NULL)) == NULL)
			return ENOMEM;
		if ((pn->pn_po.po_path = strdup(path)) == NULL) {
			puffs_pn_put(pn);
			return ENOMEM;
		}
		pn->pn_po.po_len = (size_t)n;
		pn->pn_po.po_hash = po.po_hash;
	}
	puffs_stat2vattr(&pn->pn_va, &sb);
	puffs_newinfo_setcookie(pni, pn);
	puffs_newinfo_setvtype(pni, pn->pn_va.va_type);
	puffs_newinfo_setsize(pni, (voff_t)pn->pn_va.va_size);
	puffs_newinfo_setrdev(pni, pn->pn_va.va_rdev);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Name ops                                                           */

int
puffs_null_node_lookup(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn)
{
	(void)opc;
	return null_newnode(pu, pni, pcn);
}

int
puffs_null_node_create(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{
	int fd, rv;

	(void)opc;
	fd = open(PCNPATH(pcn), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW,
	    va->va_mode & ALLPERMS);
	if (fd == -1)
		return errno;
	close(fd);
	if ((rv = null_newattr(PCNPATH(pcn), va, 0)) != 0)
		return rv;
	return null_newnode(pu, pni, pcn);
}

int
puffs_null_node_mknod(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{
	mode_t mode = puffs_addvtype2mode(va->va_mode & ALLPERMS,
	    va->va_type);
	int rv;

	(void)opc;
	if (mknod(PCNPATH(pcn), mode, va->va_rdev) == -1)
		return errno;
	if ((rv = null_newattr(PCNPATH(pcn), va, 0)) != 0)
		return rv;
	return null_newnode(pu, pni, pcn);
}

int
puffs_null_node_mkdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{
	int rv;

	(void)opc;
	if (mkdir(PCNPATH(pcn), va->va_mode & ALLPERMS) == -1)
		return errno;
	if ((rv = null_newattr(PCNPATH(pcn), va, 1)) != 0)
		return rv;
	return null_newnode(pu, pni, pcn);
}

int
puffs_null_node_symlink(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va, const char *linkname)
{
	(void)opc;
	(void)va;
	if (symlink(linkname, PCNPATH(pcn)) == -1)
		return errno;
	return null_newnode(pu, pni, pcn);
}

/* REMOVE and RMDIR: the name the kernel resolved, not the node's path. */
static int
null_unlink(struct puffs_usermount *pu, puffs_cookie_t dir,
    puffs_cookie_t targ, const struct puffs_cn *pcn, int isdir)
{
	struct puffs_pathobj po;
	int rv;

	if ((rv = null_namepath(pu, dir, pcn, &po)) != 0)
		return rv;
	if ((isdir ? rmdir(po.po_path) : unlink(po.po_path)) == -1)
		rv = errno;
	else
		null_name_gone(pu, puffs__cmap(pu, targ), po.po_path);
	puffs__path_free(pu, &po);
	return rv;
}

int
puffs_null_node_remove(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t targ, const struct puffs_cn *pcn)
{
	return null_unlink(pu, opc, targ, pcn, 0);
}

int
puffs_null_node_rmdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t targ, const struct puffs_cn *pcn)
{
	return null_unlink(pu, opc, targ, pcn, 1);
}

int
puffs_null_node_link(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t targ, const struct puffs_cn *pcn)
{
	struct puffs_node *pn = puffs__cmap(pu, targ);

	(void)opc;
	if (pn == NULL || PNPATH(pn) == NULL)
		return ENOENT;
	if (link(PNPATH(pn), PCNPATH(pcn)) == -1)
		return errno;
	null_alias_add(pn, PCNPATH(pcn));
	return 0;
}

int
puffs_null_node_rename(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t src, const struct puffs_cn *pcn_src,
    puffs_cookie_t targdir, puffs_cookie_t targ,
    const struct puffs_cn *pcn_targ)
{
	struct puffs_node *pn_targ;

	(void)opc;
	(void)targdir;
	(void)src;
	if (rename(PCNPATH(pcn_src), PCNPATH(pcn_targ)) == -1)
		return errno;
	/* The replaced node's name now belongs to the source. */
	if (targ != NULL && (pn_targ = puffs__cmap(pu, targ)) != NULL)
		null_name_gone(pu, pn_targ, PCNPATH(pcn_targ));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Attribute ops                                                      */

int
puffs_null_node_getattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct vattr *va, const struct puffs_cred *pcr)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);
	struct stat sb;

	(void)pcr;
	if (pn == NULL || PNPATH(pn) == NULL)
		return ENOENT;
	if (lstat(PNPATH(pn), &sb) == -1)
		return errno;
	puffs_stat2vattr(va, &sb);
	return 0;
}

static int
null_settimes(const char *path, const struct vattr *va)
{
	struct timespec ts[2];

	if (va->va_atime.tv_sec == (time_t)PUFFS_VNOVAL &&
	    va->va_mtime.tv_sec == (time_t)PUFFS_VNOVAL)
		return 0;
	ts[0] = va->va_atime;
	ts[1] = va->va_mtime;
	if (va->va_atime.tv_sec == (time_t)PUFFS_VNOVAL)
		ts[0].tv_nsec = UTIME_OMIT;
	if (va->va_mtime.tv_sec == (time_t)PUFFS_VNOVAL)
		ts[1].tv_nsec = UTIME_OMIT;
	if (utimensat(AT_FDCWD, path, (va->va_vaflags & VA_UTIMES_NULL) ?
	    NULL : ts, AT_SYMLINK_NOFOLLOW) == -1)
		return errno;
	return 0;
}

/*
 * A truncation marks the file modified even when its size stays, as on
 * ffs (POSIX asks it of open with O_TRUNC); Linux's truncate(2) leaves an
 * unchanged file's times alone, so the layer touches mtime itself unless
 * the caller sets one.  Before the times, so that set times stay.
 */
static int
null_truncate(const char *path, const struct vattr *va)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };

	if (truncate(path, (off_t)va->va_size) == -1)
		return errno;
	if (va->va_mtime.tv_sec == (time_t)PUFFS_VNOVAL &&
	    utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) == -1)
		return errno;
	return 0;
}

int
puffs_null_node_setattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    const struct vattr *va, const struct puffs_cred *pcr)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);
	const char *path;
	int rv;

	(void)pcr;
	if (pn == NULL || (path = PNPATH(pn)) == NULL)
		return ENOENT;
	if ((va->va_uid != (uid_t)PUFFS_VNOVAL ||
	    va->va_gid != (gid_t)PUFFS_VNOVAL) &&
	    lchown(path, va->va_uid, va->va_gid) == -1)
		return errno;
	/* Linux has no lchmod: a symlink's mode stays what it is. */
	if (va->va_mode != (mode_t)PUFFS_VNOVAL &&
	    pn->pn_va.va_type != VLNK &&
	    chmod(path, va->va_mode & ALLPERMS) == -1)
		return errno;
	if (va->va_size != (uint64_t)PUFFS_VNOVAL &&
	    (rv = null_truncate(path, va)) != 0)
		return rv;
	return null_settimes(path, va);
}

int
puffs_null_node_readlink(struct puffs_usermount *pu, puffs_cookie_t opc,
    const struct puffs_cred *pcr, char *buf, size_t *linklen)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);
	ssize_t n;

	(void)pcr;
	if (pn == NULL || PNPATH(pn) == NULL)
		return ENOENT;
	if ((n = readlink(PNPATH(pn), buf, *linklen)) == -1)
		return errno;
	*linklen = (size_t)n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Data ops                                                           */

int
puffs_null_node_readdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct dirent *dent, off_t *readoff, size_t *reslen,
    const struct puffs_cred *pcr, int *eofflag, off_t *cookies,
    size_t *ncookies)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);
	struct dirent *hd;
	off_t i;
	DIR *dirp;

	(void)pcr;
	if (pn == NULL || PNPATH(pn) == NULL)
		return ENOENT;
	if ((dirp = opendir(PNPATH(pn))) == NULL)
		return errno;
	/* Offsets are entry numbers: skip what earlier calls returned. */
	for (i = 0; i < *readoff; i++)
		if (readdir(dirp) == NULL)
			break;
	*eofflag = 0;
	for (;;) {
		errno = 0;
		if ((hd = readdir(dirp)) == NULL) {
			if (errno == 0)
				*eofflag = 1;
			break;
		}
		if (!puffs_nextdent(&dent, hd->d_name, NULL_HOSTINO(hd),
		    hd->d_type, reslen))
			break;
		(*readoff)++;
		PUFFS_STORE_DCOOKIE(cookies, ncookies, *readoff);
	}
	closedir(dirp);
	return 0;
}

int
puffs_null_node_read(struct puffs_usermount *pu, puffs_cookie_t opc,
    uint8_t *buf, off_t offset, size_t *resid, const struct puffs_cred *pcr,
    int ioflag)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);
	ssize_t n;
	int fd, rv = 0;

	(void)pcr;
	(void)ioflag;
	if (pn == NULL || PNPATH(pn) == NULL)
		return ENOENT;
	if ((fd = open(PNPATH(pn), O_RDONLY | O_NOFOLLOW)) == -1)
		return errno;
	if ((n = pread(fd, buf, *resid, offset)) == -1)
		rv = errno;
	else
		*resid -= (size_t)n;
	close(fd);
	return rv;
}

/*
 * A file may be written through a descriptor opened before its mode
 * dropped write permission (open(O_CREAT, 0444) and write): grant the
 * owner write access for the duration of the call, as NetBSD does.
 */
static int
null_openwrite(const char *path, int flags)
{
	struct stat sb;
	int fd, saved;

	if ((fd = open(path, flags)) != -1 || errno != EACCES)
		return fd;
	if (lstat(path, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    chmod(path, sb.st_mode | S_IWUSR) == -1) {
		errno = EACCES;
		return -1;
	}
	fd = open(path, flags);
	saved = errno;
	chmod(path, sb.st_mode & ALLPERMS);
	errno = saved;
	return fd;
}

int
puffs_null_node_write(struct puffs_usermount *pu, puffs_cookie_t opc,
    uint8_t *buf, off_t offset, size_t *resid, const struct puffs_cred *pcr,
    int ioflag)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);
	ssize_t n;
	int fd, rv = 0;

	(void)pcr;
	if (pn == NULL || PNPATH(pn) == NULL)
		return ENOENT;
	fd = null_openwrite(PNPATH(pn), O_WRONLY | O_NOFOLLOW |
	    ((ioflag & PUFFS_IO_APPEND) ? O_APPEND : 0));
	if (fd == -1)
		return errno;
	if (ioflag & PUFFS_IO_APPEND)
		n = write(fd, buf, *resid);
	else
		n = pwrite(fd, buf, *resid, offset);
	if (n == -1)
		rv = errno;
	else
		*resid -= (size_t)n;
	close(fd);
	return rv;
}

int
puffs_null_node_fsync(struct puffs_usermount *pu, puffs_cookie_t opc,
    const struct puffs_cred *pcr, int flags, off_t offlo, off_t offhi)
{
	struct puffs_node *pn = puffs__cmap(pu, opc);
	int fd, rv = 0;

	(void)pcr;
	(void)offlo;
	(void)offhi;
	if (pn == NULL || PNPATH(pn) == NULL)
		return ENOENT;
	if (pn->pn_va.va_type != VREG && pn->pn_va.va_type != VDIR)
		return 0;
	if ((fd = open(PNPATH(pn), O_RDONLY | O_NOFOLLOW)) == -1)
		return errno;
	if (((flags & PUFFS_FSYNC_DATAONLY) ? fdatasync(fd) : fsync(fd)) == -1)
		rv = errno;
	close(fd);
	return rv;
}

/* ------------------------------------------------------------------ */

void
puffs_null_setops(struct puffs_ops *pops)
{
	PUFFSOP_SET(pops, puffs_null, fs, statvfs);
	PUFFSOP_SETFSNOP(pops, unmount);
	PUFFSOP_SETFSNOP(pops, sync);
	PUFFSOP_SET(pops, puffs_null, fs, fhtonode);
	PUFFSOP_SET(pops, puffs_null, fs, nodetofh);

	PUFFSOP_SET(pops, puffs_null, node, lookup);
	PUFFSOP_SET(pops, puffs_null, node, create);
	PUFFSOP_SET(pops, puffs_null, node, mknod);
	PUFFSOP_SET(pops, puffs_null, node, getattr);
	PUFFSOP_SET(pops, puffs_null, node, setattr);
	PUFFSOP_SET(pops, puffs_null, node, fsync);
	PUFFSOP_SET(pops, puffs_null, node, remove);
	PUFFSOP_SET(pops, puffs_null, node, link);
	PUFFSOP_SET(pops, puffs_null, node, rename);
	PUFFSOP_SET(pops, puffs_null, node, mkdir);
	PUFFSOP_SET(pops, puffs_null, node, rmdir);
	PUFFSOP_SET(pops, puffs_null, node, symlink);
	PUFFSOP_SET(pops, puffs_null, node, readlink);
	PUFFSOP_SET(pops, puffs_null, node, readdir);
	PUFFSOP_SET(pops, puffs_null, node, read);
	PUFFSOP_SET(pops, puffs_null, node, write);
	PUFFSOP_SET(pops, puffs_genfs, node, reclaim);
}
