/*
 * backfs_vnops.c: the file system operations of backfs.  Each one turns
 * into one or more backend requests (backfs_call), during which it
 * yields; the answers are turned back into puffs terms here.  Nodes are
 * puffs_nodes whose private data is the backend's inode number.
 * Called by libpuffs through the operations vector set in backfs.c.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backfs.h"

#define VA_SET(x)	((x) != (__typeof__(x))PUFFS_VNOVAL)

static void *
find_ino(struct puffs_usermount *pu, struct puffs_node *pn, void *arg)
{
	(void)pu;
	return PN_INO(pn) == *(uint64_t *)arg ? pn : NULL;
}

/* The node of inode `ino', made on first sight. */
struct puffs_node *
backfs_node(struct puffs_usermount *pu, uint64_t ino)
{
	struct puffs_node *pn;
	struct bnodeinfo *bi;

	if ((pn = puffs_pn_nodewalk(pu, find_ino, &ino)) != NULL)
		return pn;
	if ((bi = malloc(sizeof(*bi))) == NULL)
		return NULL;
	bi->bi_ino = ino;
	if ((pn = puffs_pn_new(pu, bi)) == NULL)
		free(bi);
	return pn;
}

static void
attr2va(struct vattr *va, const struct bf_attr *a)
{
	puffs_vattr_null(va);
	va->va_type = puffs_mode2vt(a->a_mode);
	va->va_mode = a->a_mode & 07777;
	va->va_nlink = a->a_nlink;
	va->va_uid = a->a_uid;
	va->va_gid = a->a_gid;
	va->va_fsid = 0;
	va->va_fileid = a->a_ino;
	va->va_size = a->a_size;
	va->va_blocksize = 4096;
	va->va_atime.tv_sec = a->a_atime[0];
	va->va_atime.tv_nsec = a->a_atime[1];
	va->va_mtime.tv_sec = a->a_mtime[0];
	va->va_mtime.tv_nsec = a->a_mtime[1];
	va->va_ctime.tv_sec = a->a_ctime[0];
	va->va_ctime.tv_nsec = a->a_ctime[1];
	va->va_birthtime = va->va_ctime;
	va->va_gen = 1;
	va->va_flags = 0;
	va->va_rdev = 0;
	va->va_bytes = (a->a_size + 511) & ~(uint64_t)511;
	va->va_filerev = 0;
}

/* Sends pb (consumed) and reads back an attribute answer. */
static int
call_attr(struct puffs_usermount *pu, struct puffs_framebuf *pb,
    struct bf_attr *a)
{
	int error;

	if (pb == NULL)
		return ENOMEM;
	error = backfs_call(pu, pb);
	if (error == 0)
		error = backfs_getattr_rep(pb, a);
	puffs_framebuf_destroy(pb);
	return error;
}

static int
call_void(struct puffs_usermount *pu, struct puffs_framebuf *pb)
{
	int error;

	if (pb == NULL)
		return ENOMEM;
	error = backfs_call(pu, pb);
	puffs_framebuf_destroy(pb);
	return error;
}

static void
put_name(struct puffs_framebuf *pb, const struct puffs_cn *pcn)
{
	uint32_t len = (uint32_t)pcn->pcn_namelen;

	puffs_framebuf_putdata(pb, &len, sizeof(len));
	puffs_framebuf_putdata(pb, pcn->pcn_name, len);
}

/* Fills newinfo for the node an answer named. */
static int
newnode(struct puffs_usermount *pu, struct puffs_newinfo *pni,
    const struct bf_attr *a)
{
	struct puffs_node *pn;

	if ((pn = backfs_node(pu, a->a_ino)) == NULL)
		return ENOMEM;
	attr2va(&pn->pn_va, a);
	puffs_newinfo_setcookie(pni, pn);
	puffs_newinfo_setvtype(pni, pn->pn_va.va_type);
	puffs_newinfo_setsize(pni, (voff_t)a->a_size);
	puffs_newinfo_setrdev(pni, 0);
	return 0;
}

int
backfs_fs_statvfs(struct puffs_usermount *pu, struct puffs_statvfs *sb)
{
	(void)pu;
	puffs_zerostatvfs(sb);
	sb->f_bsize = sb->f_frsize = sb->f_iosize = 4096;
	sb->f_blocks = sb->f_bfree = sb->f_bavail = 1 << 20;
	sb->f_files = sb->f_ffree = sb->f_favail = 1 << 20;
	sb->f_namemax = BF_NAMEMAX;
	return 0;
}

int
backfs_fs_unmount(struct puffs_usermount *pu, int flags)
{
	(void)pu;
	(void)flags;
	return 0;
}

int
backfs_node_lookup(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn)
{
	struct puffs_framebuf *pb = backfs_req(BF_LOOKUP);
	uint64_t dir = PN_INO((struct puffs_node *)opc);
	struct bf_attr a;
	int error;

	if (pcn->pcn_namelen > BF_NAMEMAX) {
		if (pb != NULL)
			puffs_framebuf_destroy(pb);
		return ENAMETOOLONG;
	}
	if (pb != NULL) {
		puffs_framebuf_putdata(pb, &dir, sizeof(dir));
		put_name(pb, pcn);
	}
	if ((error = call_attr(pu, pb, &a)) != 0)
		return error;
	return newnode(pu, pni, &a);
}

static int
backfs_makenode(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va, uint32_t type, const char *target)
{
	uint32_t tlen = target != NULL ? (uint32_t)strlen(target) : 0;
	struct puffs_framebuf *pb = backfs_req(BF_CREATE);
	uint64_t dir = PN_INO((struct puffs_node *)opc);
	uint32_t mode = type | (va->va_mode & 07777), id;
	uid_t uid = 0;
	gid_t gid = 0;
	struct bf_attr a;
	int error;

	if (pcn->pcn_namelen > BF_NAMEMAX || tlen > BF_LINKMAX) {
		if (pb != NULL)
			puffs_framebuf_destroy(pb);
		return ENAMETOOLONG;
	}
	(void)puffs_cred_getuid(pcn->pcn_cred, &uid);
	(void)puffs_cred_getgid(pcn->pcn_cred, &gid);
	if (pb != NULL) {
		puffs_framebuf_putdata(pb, &dir, sizeof(dir));
		puffs_framebuf_putdata(pb, &mode, sizeof(mode));
		id = (uint32_t)uid;
		puffs_framebuf_putdata(pb, &id, sizeof(id));
		id = (uint32_t)gid;
		puffs_framebuf_putdata(pb, &id, sizeof(id));
		put_name(pb, pcn);
		if (target != NULL) {
			puffs_framebuf_putdata(pb, &tlen, sizeof(tlen));
			puffs_framebuf_putdata(pb, target, tlen);
		}
	}
	if ((error = call_attr(pu, pb, &a)) != 0)
		return error;
	return newnode(pu, pni, &a);
}

int
backfs_node_create(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{
	return backfs_makenode(pu, opc, pni, pcn, va, S_IFREG, NULL);
}

int
backfs_node_mkdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{
	return backfs_makenode(pu, opc, pni, pcn, va, S_IFDIR, NULL);
}

int
backfs_node_symlink(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va, const char *target)
{
	return backfs_makenode(pu, opc, pni, pcn, va, S_IFLNK, target);
}

int
backfs_node_link(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t targ, const struct puffs_cn *pcn)
{
	struct puffs_framebuf *pb = backfs_req(BF_LINK);
	uint64_t dir = PN_INO((struct puffs_node *)opc);
	uint64_t ino = PN_INO((struct puffs_node *)targ);
	struct bf_attr a;

	if (pcn->pcn_namelen > BF_NAMEMAX) {
		if (pb != NULL)
			puffs_framebuf_destroy(pb);
		return ENAMETOOLONG;
	}
	if (pb != NULL) {
		puffs_framebuf_putdata(pb, &ino, sizeof(ino));
		puffs_framebuf_putdata(pb, &dir, sizeof(dir));
		put_name(pb, pcn);
	}
	return call_attr(pu, pb, &a);
}

/* A symlink's target is its data. */
int
backfs_node_readlink(struct puffs_usermount *pu, puffs_cookie_t opc,
    const struct puffs_cred *pcr, char *buf, size_t *linklen)
{
	size_t want = *linklen;
	int error;

	if (((struct puffs_node *)opc)->pn_va.va_type != VLNK)
		return EINVAL;
	if (want > BF_MAXIO)
		want = BF_MAXIO;
	error = backfs_node_read(pu, opc, (uint8_t *)buf, 0, &want, pcr, 0);
	if (error)
		return error;
	*linklen = (*linklen > BF_MAXIO ? BF_MAXIO : *linklen) - want;
	return 0;
}

static int
backfs_unlink(struct puffs_usermount *pu, puffs_cookie_t opc,
    const struct puffs_cn *pcn, uint32_t isdir)
{
	struct puffs_framebuf *pb = backfs_req(BF_REMOVE);
	uint64_t dir = PN_INO((struct puffs_node *)opc);

	if (pb != NULL) {
		puffs_framebuf_putdata(pb, &dir, sizeof(dir));
		puffs_framebuf_putdata(pb, &isdir, sizeof(isdir));
		put_name(pb, pcn);
	}
	return call_void(pu, pb);
}

int
backfs_node_remove(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t targ, const struct puffs_cn *pcn)
{
	(void)targ;
	return backfs_unlink(pu, opc, pcn, 0);
}

int
backfs_node_rmdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t targ, const struct puffs_cn *pcn)
{
	(void)targ;
	return backfs_unlink(pu, opc, pcn, 1);
}

int
backfs_node_rename(struct puffs_usermount *pu, puffs_cookie_t opc,
    puffs_cookie_t src, const struct puffs_cn *pcn_src,
    puffs_cookie_t targ_dir, puffs_cookie_t targ,
    const struct puffs_cn *pcn_targ)
{
	struct puffs_framebuf *pb = backfs_req(BF_RENAME);
	uint64_t sdir = PN_INO((struct puffs_node *)opc);
	uint64_t ddir = PN_INO((struct puffs_node *)targ_dir);
	uint32_t slen = (uint32_t)pcn_src->pcn_namelen;
	uint32_t dlen = (uint32_t)pcn_targ->pcn_namelen;

	(void)src;
	(void)targ;
	if (dlen > BF_NAMEMAX) {
		if (pb != NULL)
			puffs_framebuf_destroy(pb);
		return ENAMETOOLONG;
	}
	if (pb != NULL) {
		puffs_framebuf_putdata(pb, &sdir, sizeof(sdir));
		puffs_framebuf_putdata(pb, &ddir, sizeof(ddir));
		puffs_framebuf_putdata(pb, &slen, sizeof(slen));
		puffs_framebuf_putdata(pb, &dlen, sizeof(dlen));
		puffs_framebuf_putdata(pb, pcn_src->pcn_name, slen);
		puffs_framebuf_putdata(pb, pcn_targ->pcn_name, dlen);
	}
	return call_void(pu, pb);
}

int
backfs_node_getattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct vattr *va, const struct puffs_cred *pcr)
{
	struct puffs_framebuf *pb = backfs_req(BF_GETATTR);
	uint64_t ino = PN_INO((struct puffs_node *)opc);
	struct bf_attr a;
	int error;

	(void)pcr;
	if (pb != NULL)
		puffs_framebuf_putdata(pb, &ino, sizeof(ino));
	if ((error = call_attr(pu, pb, &a)) != 0)
		return error;
	attr2va(va, &a);
	return 0;
}

int
backfs_node_setattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    const struct vattr *va, const struct puffs_cred *pcr)
{
	struct puffs_framebuf *pb = backfs_req(BF_SETATTR);
	struct bf_setattr s;
	struct bf_attr a;

	(void)pcr;
	memset(&s, 0, sizeof(s));
	s.s_ino = PN_INO((struct puffs_node *)opc);
	if (VA_SET(va->va_mode)) {
		s.s_mask |= BF_SET_MODE;
		s.s_mode = va->va_mode;
	}
	if (VA_SET(va->va_uid)) {
		s.s_mask |= BF_SET_UID;
		s.s_uid = va->va_uid;
	}
	if (VA_SET(va->va_gid)) {
		s.s_mask |= BF_SET_GID;
		s.s_gid = va->va_gid;
	}
	if (VA_SET(va->va_size)) {
		s.s_mask |= BF_SET_SIZE;
		s.s_size = va->va_size;
	}
	if (VA_SET(va->va_atime.tv_sec)) {
		s.s_mask |= BF_SET_ATIME;
		s.s_atime[0] = va->va_atime.tv_sec;
		s.s_atime[1] = va->va_atime.tv_nsec;
	}
	if (VA_SET(va->va_mtime.tv_sec)) {
		s.s_mask |= BF_SET_MTIME;
		s.s_mtime[0] = va->va_mtime.tv_sec;
		s.s_mtime[1] = va->va_mtime.tv_nsec;
	}
	if (pb != NULL)
		puffs_framebuf_putdata(pb, &s, sizeof(s));
	return call_attr(pu, pb, &a);
}

int
backfs_node_read(struct puffs_usermount *pu, puffs_cookie_t opc,
    uint8_t *buf, off_t offset, size_t *resid, const struct puffs_cred *pcr,
    int ioflag)
{
	uint64_t ino = PN_INO((struct puffs_node *)opc), off;
	struct puffs_framebuf *pb;
	uint32_t len;
	size_t got;
	int error;

	(void)pcr;
	(void)ioflag;
	if (offset < 0)
		return EINVAL;
	while (*resid > 0) {
		if ((pb = backfs_req(BF_READ)) == NULL)
			return ENOMEM;
		off = (uint64_t)offset;
		len = *resid > BF_MAXIO ? BF_MAXIO : (uint32_t)*resid;
		puffs_framebuf_putdata(pb, &ino, sizeof(ino));
		puffs_framebuf_putdata(pb, &off, sizeof(off));
		puffs_framebuf_putdata(pb, &len, sizeof(len));
		if ((error = backfs_call(pu, pb)) != 0) {
			puffs_framebuf_destroy(pb);
			return error;
		}
		got = puffs_framebuf_remaining(pb);
		if (got > len ||
		    puffs_framebuf_getdata(pb, buf, got) == -1) {
			puffs_framebuf_destroy(pb);
			return EPROTO;
		}
		puffs_framebuf_destroy(pb);
		buf += got;
		offset += (off_t)got;
		*resid -= got;
		if (got < len)
			break;		/* end of file */
	}
	return 0;
}

int
backfs_node_write(struct puffs_usermount *pu, puffs_cookie_t opc,
    uint8_t *buf, off_t offset, size_t *resid, const struct puffs_cred *pcr,
    int ioflag)
{
	uint64_t ino = PN_INO((struct puffs_node *)opc), off;
	struct puffs_framebuf *pb;
	struct vattr va;
	struct bf_attr a;
	uint32_t len;
	int error;

	if (ioflag & PUFFS_IO_APPEND) {
		if ((error = backfs_node_getattr(pu, opc, &va, pcr)) != 0)
			return error;
		offset = (off_t)va.va_size;
	}
	if (offset < 0)
		return EINVAL;
	while (*resid > 0) {
		if ((pb = backfs_req(BF_WRITE)) == NULL)
			return ENOMEM;
		off = (uint64_t)offset;
		len = *resid > BF_MAXIO ? BF_MAXIO : (uint32_t)*resid;
		puffs_framebuf_putdata(pb, &ino, sizeof(ino));
		puffs_framebuf_putdata(pb, &off, sizeof(off));
		puffs_framebuf_putdata(pb, &len, sizeof(len));
		puffs_framebuf_putdata(pb, buf, len);
		if ((error = call_attr(pu, pb, &a)) != 0)
			return error;
		buf += len;
		offset += len;
		*resid -= len;
	}
	return 0;
}

/* Places the entries of one READDIR answer; false when out of room. */
static bool
place_dents(struct puffs_framebuf *pb, struct dirent **dent, off_t *readoff,
    size_t *reslen, off_t *cookies, size_t *ncookies)
{
	char name[BF_NAMEMAX + 1];
	uint64_t ino;
	uint32_t dtype, len;

	while (puffs_framebuf_remaining(pb) > 0) {
		if (puffs_framebuf_getdata(pb, &ino, sizeof(ino)) == -1 ||
		    puffs_framebuf_getdata(pb, &dtype, sizeof(dtype)) == -1 ||
		    puffs_framebuf_getdata(pb, &len, sizeof(len)) == -1 ||
		    len == 0 || len > BF_NAMEMAX ||
		    puffs_framebuf_getdata(pb, name, len) == -1)
			return false;
		name[len] = '\0';
		if (!puffs_nextdent(dent, name, (ino_t)ino, (uint8_t)dtype,
		    reslen))
			return false;
		(*readoff)++;
		PUFFS_STORE_DCOOKIE(cookies, ncookies, *readoff);
	}
	return true;
}

int
backfs_node_readdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct dirent *dent, off_t *readoff, size_t *reslen,
    const struct puffs_cred *pcr, int *eofflag, off_t *cookies,
    size_t *ncookies)
{
	uint64_t dir = PN_INO((struct puffs_node *)opc), idx;
	struct puffs_framebuf *pb;
	uint32_t eof;
	int error;

	(void)pcr;
	if (*readoff < 0)
		return EINVAL;
	*eofflag = 0;
	for (;;) {
		if ((pb = backfs_req(BF_READDIR)) == NULL)
			return ENOMEM;
		idx = (uint64_t)*readoff;
		puffs_framebuf_putdata(pb, &dir, sizeof(dir));
		puffs_framebuf_putdata(pb, &idx, sizeof(idx));
		if ((error = backfs_call(pu, pb)) != 0 ||
		    puffs_framebuf_getdata(pb, &eof, sizeof(eof)) == -1) {
			puffs_framebuf_destroy(pb);
			return error ? error : EPROTO;
		}
		if (!place_dents(pb, &dent, readoff, reslen, cookies,
		    ncookies)) {
			puffs_framebuf_destroy(pb);
			return 0;
		}
		puffs_framebuf_destroy(pb);
		if (eof) {
			*eofflag = 1;
			return 0;
		}
	}
}

/* The kernel forgot the node: so may the backend, once it has no name. */
int
backfs_node_reclaim(struct puffs_usermount *pu, puffs_cookie_t opc)
{
	struct puffs_node *pn = opc;
	struct puffs_framebuf *pb;
	uint64_t ino = PN_INO(pn);

	if (pn == puffs_getroot(pu))
		return 0;
	free(puffs_pn_getpriv(pn));
	puffs_pn_put(pn);
	if ((pb = backfs_req(BF_FORGET)) != NULL) {
		puffs_framebuf_putdata(pb, &ino, sizeof(ino));
		(void)call_void(pu, pb);
	}
	return 0;
}
