/*
 * dispatcher.c: turns one request frame from puffsd into one call of the
 * server's ops and the frame back into the reply.  Owns the op tables, the
 * per-op handlers, the newinfo setters, setbacks, and the lookup-count
 * bookkeeping behind RECLAIM.  Called by transport.c for every frame and
 * by puffs_init (vnopmask).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <err.h>

#include "puffs_priv.h"

typedef int (*puffs_handler_fn)(struct puffs_cc *);

struct puffs_optab {
	puffs_handler_fn	 ot_handler;
	const char		*ot_name;
	size_t			 ot_size;	/* fixed part of the message */
	int			 ot_flags;
};
#define OT_SETBACK	0x01	/* the reply may carry setbacks */

#define PCC_PU(pcc)	((pcc)->pcc_pu)
#define PCC_OPS(pcc)	(&(pcc)->pcc_pu->pu_ops)
#define PCC_PREQ(pcc)	((struct puffs_req *)(void *)(pcc)->pcc_buf)
#define PCC_MSG(pcc, t)	((struct t *)(void *)(pcc)->pcc_buf)
#define PCC_COOKIE(pcc)	PUFFS__COOKIE(PCC_PREQ(pcc)->preq_cookie)
#define PCC_ISFAF(pcc)	(!PUFFSOP_WANTREPLY(PCC_PREQ(pcc)->preq_opclass))
#define PCC_KFLAGS(pcc)	((pcc)->pcc_pu->pu_kargs.pa_flags)

/* Room for data after the fixed part of a reply. */
static size_t
pcc_room(struct puffs_cc *pcc, size_t fixed)
{
	size_t buflen = (size_t)PCC_PREQ(pcc)->preq_buflen;

	if (buflen > pcc->pcc_bufsize)
		buflen = pcc->pcc_bufsize;
	return buflen > fixed ? buflen - fixed : 0;
}

/* Bytes of data that came after the fixed part of the request. */
static size_t
pcc_indata(struct puffs_cc *pcc, size_t fixed)
{
	return pcc->pcc_framelen > fixed ? pcc->pcc_framelen - fixed : 0;
}

static const struct puffs_cred *
pcc_cred(struct puffs_cc *pcc, int i, const struct puffs_kcred *kcr)
{
	puffs__cred_load(&pcc->pcc_cred[i], kcr);
	return &pcc->pcc_cred[i];
}

/* A component as servers see it; the name is made a proper C string. */
static struct puffs_cn *
pcc_cn(struct puffs_cc *pcc, int i, struct puffs_kcn *kcn,
    const struct puffs_kcred *kcr)
{
	struct puffs_cn *pcn = &pcc->pcc_pcn[i];

	kcn->pkcn_name[sizeof(kcn->pkcn_name) - 1] = '\0';
	kcn->pkcn_namelen = strlen(kcn->pkcn_name);
	memset(pcn, 0, sizeof(*pcn));
	pcn->pcn_pkcnp = kcn;
	pcn->pcn_cred = &pcc->pcc_cred[i];
	puffs__cred_load(&pcc->pcc_cred[i], kcr);
	return pcn;
}

/* PUFFS_FLAG_BUILDPATH: the full path of component i below parent. */
static int
pcc_pathpre(struct puffs_cc *pcc, int i, puffs_cookie_t parent)
{
	if (!PUFFS__BUILDPATH(PCC_PU(pcc)))
		return 0;
	return puffs_path_pcnbuild(PCC_PU(pcc), &pcc->pcc_pcn[i], parent);
}

static void
pcc_pathpost(struct puffs_cc *pcc, int i, uint64_t newcookie, int islookup,
    int error)
{
	if (PUFFS__BUILDPATH(PCC_PU(pcc)))
		puffs__path_newnode(PCC_PU(pcc), &pcc->pcc_pcn[i],
		    PUFFS__COOKIE(newcookie), islookup, error);
}

/* A successful lookup or create handed the cookie out once more. */
static void
pcc_countlookup(struct puffs_cc *pcc, uint64_t kcookie)
{
	struct puffs_usermount *pu = PCC_PU(pcc);
	struct puffs_node *pn;

	if ((pu->pu_flags & PUFFS_FLAG_PNCOOKIE) == 0 || kcookie == 0)
		return;
	pn = puffs__cmap(pu, PUFFS__COOKIE(kcookie));
	if (pn != NULL)
		pn->pn_nlookup++;
}

/* ------------------------------------------------------------------ */
/* newinfo                                                            */

void
puffs_newinfo_setcookie(struct puffs_newinfo *pni, puffs_cookie_t cookie)
{
	if (pni->pni_cookie != NULL)
		*pni->pni_cookie = PUFFS__KCOOKIE(cookie);
}

void
puffs_newinfo_setvtype(struct puffs_newinfo *pni, enum vtype vt)
{
	if (pni->pni_vtype != NULL)
		*pni->pni_vtype = (uint32_t)vt;
}

void
puffs_newinfo_setsize(struct puffs_newinfo *pni, voff_t size)
{
	if (pni->pni_size != NULL)
		*pni->pni_size = size;
}

void
puffs_newinfo_setrdev(struct puffs_newinfo *pni, dev_t rdev)
{
	if (pni->pni_rdev != NULL)
		*pni->pni_rdev = rdev;
}

void
puffs_newinfo_setva(struct puffs_newinfo *pni, struct vattr *va)
{
	if (pni->pni_va != NULL)
		puffs__vattr_to_kvattr(pni->pni_va, va);
}

static void
puffs_newinfo_setttl(struct puffs_ktimespec *kts, const struct timespec *ts)
{
	kts->tv_sec = ts->tv_sec;
	kts->tv_nsec = ts->tv_nsec;
}

void
puffs_newinfo_setvattl(struct puffs_newinfo *pni, struct timespec *va_ttl)
{
	if (pni->pni_va_ttl != NULL)
		puffs_newinfo_setttl(pni->pni_va_ttl, va_ttl);
}

void
puffs_newinfo_setcnttl(struct puffs_newinfo *pni, struct timespec *cn_ttl)
{
	if (pni->pni_cn_ttl != NULL)
		puffs_newinfo_setttl(pni->pni_cn_ttl, cn_ttl);
}

void
puffs_setback(struct puffs_cc *pcc, int whatback)
{
	if (pcc == NULL || (pcc->pcc_flags & PCC_SETBACKOK) == 0) {
		warnx("puffs_setback: not allowed in this operation");
		return;
	}
	PCC_PREQ(pcc)->preq_setbacks |= (uint32_t)whatback & PUFFS_SETBACK_MASK;
}

/* ------------------------------------------------------------------ */
/* VFS operations                                                     */

static int
dispatch_vfs_unmount(struct puffs_cc *pcc)
{
	struct puffs_vfsmsg_unmount *m = PCC_MSG(pcc, puffs_vfsmsg_unmount);
	struct puffs_usermount *pu = PCC_PU(pcc);
	int rv = 0;

	pu->pu_state = PUFFS_STATE_UNMOUNTING;
	if (PCC_OPS(pcc)->puffs_fs_unmount != NULL)
		rv = PCC_OPS(pcc)->puffs_fs_unmount(pu, m->pvfsr_flags);
	pu->pu_state = rv == 0 ? PUFFS_STATE_UNMOUNTED : PUFFS_STATE_RUNNING;
	return rv;
}

static int
dispatch_vfs_statvfs(struct puffs_cc *pcc)
{
	struct puffs_vfsmsg_statvfs *m = PCC_MSG(pcc, puffs_vfsmsg_statvfs);
	struct puffs_statvfs sb;
	int rv;

	puffs__kstatvfs_to_statvfs(&sb, &m->pvfsr_sb);
	if (PCC_OPS(pcc)->puffs_fs_statvfs != NULL)
		rv = PCC_OPS(pcc)->puffs_fs_statvfs(PCC_PU(pcc), &sb);
	else
		rv = puffs_fsnop_statvfs(PCC_PU(pcc), &sb);
	if (rv == 0)
		puffs__statvfs_to_kstatvfs(&m->pvfsr_sb, &sb);
	return rv;
}

static int
dispatch_vfs_sync(struct puffs_cc *pcc)
{
	struct puffs_vfsmsg_sync *m = PCC_MSG(pcc, puffs_vfsmsg_sync);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvfsr_cred);

	if (PCC_OPS(pcc)->puffs_fs_sync == NULL)
		return 0;
	return PCC_OPS(pcc)->puffs_fs_sync(PCC_PU(pcc), m->pvfsr_waitfor, pcr);
}

static int
dispatch_vfs_fhtovp(struct puffs_cc *pcc)
{
	struct puffs_vfsmsg_fhtonode *m = PCC_MSG(pcc, puffs_vfsmsg_fhtonode);
	struct puffs_newinfo *pni = &pcc->pcc_pni;

	if (m->pvfsr_dsize > PUFFS_FHSIZE_MAX ||
	    m->pvfsr_dsize > pcc_indata(pcc, sizeof(*m)))
		return EINVAL;
	if (PCC_OPS(pcc)->puffs_fs_fhtonode == NULL)
		return EOPNOTSUPP;
	pni->pni_cookie = &m->pvfsr_fhcookie;
	pni->pni_vtype = &m->pvfsr_vtype;
	pni->pni_size = &m->pvfsr_size;
	pni->pni_rdev = &m->pvfsr_rdev;
	return PCC_OPS(pcc)->puffs_fs_fhtonode(PCC_PU(pcc), m->pvfsr_data,
	    (size_t)m->pvfsr_dsize, pni);
}

static int
dispatch_vfs_vptofh(struct puffs_cc *pcc)
{
	struct puffs_vfsmsg_nodetofh *m = PCC_MSG(pcc, puffs_vfsmsg_nodetofh);
	size_t room = pcc_room(pcc, sizeof(*m)), fhsize;
	int rv;

	if (m->pvfsr_dsize < room)
		room = (size_t)m->pvfsr_dsize;
	if (PCC_OPS(pcc)->puffs_fs_nodetofh == NULL)
		return EOPNOTSUPP;
	fhsize = room;
	rv = PCC_OPS(pcc)->puffs_fs_nodetofh(PCC_PU(pcc),
	    PUFFS__COOKIE(m->pvfsr_fhcookie), m->pvfsr_data, &fhsize);
	m->pvfsr_dsize = fhsize;
	if (rv == 0 && fhsize <= room)
		pcc->pcc_replylen += fhsize;
	else if (rv == 0)
		rv = E2BIG;
	return rv;
}

static int
dispatch_vfs_extattrctl(struct puffs_cc *pcc)
{
	struct puffs_vfsmsg_extattrctl *m =
	    PCC_MSG(pcc, puffs_vfsmsg_extattrctl);
	puffs_cookie_t cookie = NULL;
	const char *name = NULL;

	if (PCC_OPS(pcc)->puffs_fs_extattrctl == NULL)
		return EOPNOTSUPP;
	m->pvfsr_attrname[sizeof(m->pvfsr_attrname) - 1] = '\0';
	if (m->pvfsr_flags & PUFFS_EXTATTRCTL_HASNODE)
		cookie = PCC_COOKIE(pcc);
	if (m->pvfsr_flags & PUFFS_EXTATTRCTL_HASATTRNAME)
		name = m->pvfsr_attrname;
	return PCC_OPS(pcc)->puffs_fs_extattrctl(PCC_PU(pcc), m->pvfsr_cmd,
	    cookie, m->pvfsr_flags & PUFFS_EXTATTRCTL_HASNODE,
	    m->pvfsr_attrnamespace, name);
}

static int
dispatch_vfs_suspend(struct puffs_cc *pcc)
{
	struct puffs_vfsmsg_suspend *m = PCC_MSG(pcc, puffs_vfsmsg_suspend);

	if (PCC_OPS(pcc)->puffs_fs_suspend == NULL)
		return 0;
	return PCC_OPS(pcc)->puffs_fs_suspend(PCC_PU(pcc), m->pvfsr_status);
}

#define VFSOP(op, h, t, f) \
	[PUFFS_VFS_##op] = { h, #op, sizeof(struct t), f }
static const struct puffs_optab puffs_vfstab[PUFFS_VFS_MAX + 1] = {
	VFSOP(UNMOUNT, dispatch_vfs_unmount, puffs_vfsmsg_unmount, 0),
	VFSOP(STATVFS, dispatch_vfs_statvfs, puffs_vfsmsg_statvfs, 0),
	VFSOP(SYNC, dispatch_vfs_sync, puffs_vfsmsg_sync, 0),
	VFSOP(FHTOVP, dispatch_vfs_fhtovp, puffs_vfsmsg_fhtonode, 0),
	VFSOP(VPTOFH, dispatch_vfs_vptofh, puffs_vfsmsg_nodetofh, 0),
	VFSOP(EXTATTRCTL, dispatch_vfs_extattrctl, puffs_vfsmsg_extattrctl, 0),
	VFSOP(SUSPEND, dispatch_vfs_suspend, puffs_vfsmsg_suspend, 0),
};

/* ------------------------------------------------------------------ */
/* VN operations: names and nodes                                     */

static int
dispatch_vn_lookup(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_lookup *m = PCC_MSG(pcc, puffs_vnmsg_lookup);
	struct puffs_newinfo *pni = &pcc->pcc_pni;
	const struct puffs_cn *pcn;
	int rv;

	pcn = pcc_cn(pcc, 0, &m->pvnr_cn, &m->pvnr_cn_cred);
	if (PCC_OPS(pcc)->puffs_node_lookup == NULL)
		return EOPNOTSUPP;
	pni->pni_cookie = &m->pvnr_newnode;
	pni->pni_vtype = &m->pvnr_vtype;
	pni->pni_size = &m->pvnr_size;
	pni->pni_rdev = &m->pvnr_rdev;
	pni->pni_va = &m->pvnr_va;
	pni->pni_va_ttl = &m->pvnr_va_ttl;
	pni->pni_cn_ttl = &m->pvnr_cn_ttl;
	if ((rv = pcc_pathpre(pcc, 0, PCC_COOKIE(pcc))) != 0)
		return rv;
	rv = PCC_OPS(pcc)->puffs_node_lookup(PCC_PU(pcc), PCC_COOKIE(pcc),
	    pni, pcn);
	if (rv == 0)
		pcc_countlookup(pcc, m->pvnr_newnode);
	pcc_pathpost(pcc, 0, m->pvnr_newnode, 1, rv);
	return rv;
}

/* CREATE, MKNOD and MKDIR share a message and a callback type. */
static int
dispatch_vn_create(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_create *m = PCC_MSG(pcc, puffs_vnmsg_create);
	struct puffs_newinfo *pni = &pcc->pcc_pni;
	const struct puffs_cn *pcn;
	struct vattr va;
	int (*fn)(struct puffs_usermount *, puffs_cookie_t,
	    struct puffs_newinfo *, const struct puffs_cn *,
	    const struct vattr *);
	int rv;

	switch (PCC_PREQ(pcc)->preq_optype) {
	case PUFFS_VN_CREATE:
		fn = PCC_OPS(pcc)->puffs_node_create;
		break;
	case PUFFS_VN_MKNOD:
		fn = PCC_OPS(pcc)->puffs_node_mknod;
		break;
	default:
		fn = PCC_OPS(pcc)->puffs_node_mkdir;
		break;
	}
	if (fn == NULL)
		return EOPNOTSUPP;
	pcn = pcc_cn(pcc, 0, &m->pvnr_cn, &m->pvnr_cn_cred);
	/* The server may overwrite pvnr_va through setva: copy it first. */
	puffs__kvattr_to_vattr(&va, &m->pvnr_va);
	pni->pni_cookie = &m->pvnr_newnode;
	pni->pni_va = &m->pvnr_va;
	pni->pni_va_ttl = &m->pvnr_va_ttl;
	pni->pni_cn_ttl = &m->pvnr_cn_ttl;
	if ((rv = pcc_pathpre(pcc, 0, PCC_COOKIE(pcc))) != 0)
		return rv;
	rv = fn(PCC_PU(pcc), PCC_COOKIE(pcc), pni, pcn, &va);
	if (rv == 0)
		pcc_countlookup(pcc, m->pvnr_newnode);
	pcc_pathpost(pcc, 0, m->pvnr_newnode, 0, rv);
	return rv;
}

static int
dispatch_vn_symlink(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_symlink *m = PCC_MSG(pcc, puffs_vnmsg_symlink);
	struct puffs_newinfo *pni = &pcc->pcc_pni;
	const struct puffs_cn *pcn;
	struct vattr va;
	int rv;

	if (PCC_OPS(pcc)->puffs_node_symlink == NULL)
		return EOPNOTSUPP;
	pcn = pcc_cn(pcc, 0, &m->pvnr_cn, &m->pvnr_cn_cred);
	m->pvnr_link[sizeof(m->pvnr_link) - 1] = '\0';
	puffs__kvattr_to_vattr(&va, &m->pvnr_va);
	pni->pni_cookie = &m->pvnr_newnode;
	pni->pni_va = &m->pvnr_va;
	pni->pni_va_ttl = &m->pvnr_va_ttl;
	pni->pni_cn_ttl = &m->pvnr_cn_ttl;
	if ((rv = pcc_pathpre(pcc, 0, PCC_COOKIE(pcc))) != 0)
		return rv;
	rv = PCC_OPS(pcc)->puffs_node_symlink(PCC_PU(pcc), PCC_COOKIE(pcc),
	    pni, pcn, &va, m->pvnr_link);
	if (rv == 0)
		pcc_countlookup(pcc, m->pvnr_newnode);
	pcc_pathpost(pcc, 0, m->pvnr_newnode, 0, rv);
	return rv;
}

/* REMOVE and RMDIR: the op node is the directory, targ the victim. */
static int
dispatch_vn_remove(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_remove *m = PCC_MSG(pcc, puffs_vnmsg_remove);
	const struct puffs_cn *pcn;
	int (*fn)(struct puffs_usermount *, puffs_cookie_t, puffs_cookie_t,
	    const struct puffs_cn *);
	int islink = 0, rv;

	switch (PCC_PREQ(pcc)->preq_optype) {
	case PUFFS_VN_REMOVE:
		fn = PCC_OPS(pcc)->puffs_node_remove;
		break;
	case PUFFS_VN_RMDIR:
		fn = PCC_OPS(pcc)->puffs_node_rmdir;
		break;
	default:
		fn = PCC_OPS(pcc)->puffs_node_link;
		islink = 1;
		break;
	}
	if (fn == NULL)
		return EOPNOTSUPP;
	pcn = pcc_cn(pcc, 0, &m->pvnr_cn, &m->pvnr_cn_cred);
	/* As NetBSD: only link gets a full path; remove uses PNPATH(targ). */
	if (islink && (rv = pcc_pathpre(pcc, 0, PCC_COOKIE(pcc))) != 0)
		return rv;
	rv = fn(PCC_PU(pcc), PCC_COOKIE(pcc),
	    PUFFS__COOKIE(m->pvnr_cookie_targ), pcn);
	if (islink)
		pcc_pathpost(pcc, 0, 0, 0, rv);
	return rv;
}

static int
dispatch_vn_rename(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_rename *m = PCC_MSG(pcc, puffs_vnmsg_rename);
	struct puffs_cn *src, *targ;
	puffs_cookie_t srccookie = PUFFS__COOKIE(m->pvnr_cookie_src);
	int buildpath = PUFFS__BUILDPATH(PCC_PU(pcc)), rv;

	if (PCC_OPS(pcc)->puffs_node_rename == NULL)
		return EOPNOTSUPP;
	src = pcc_cn(pcc, 0, &m->pvnr_cn_src, &m->pvnr_cn_src_cred);
	targ = pcc_cn(pcc, 1, &m->pvnr_cn_targ, &m->pvnr_cn_targ_cred);
	if (buildpath && (rv = puffs__path_rename_pre(PCC_PU(pcc), src,
	    srccookie, targ, PUFFS__COOKIE(m->pvnr_cookie_targdir))) != 0)
		return rv;
	rv = PCC_OPS(pcc)->puffs_node_rename(PCC_PU(pcc), PCC_COOKIE(pcc),
	    srccookie, src, PUFFS__COOKIE(m->pvnr_cookie_targdir),
	    PUFFS__COOKIE(m->pvnr_cookie_targ), targ);
	if (buildpath)
		puffs__path_rename_post(PCC_PU(pcc), src, srccookie, targ, rv);
	return rv;
}

static int
dispatch_vn_abortop(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_abortop *m = PCC_MSG(pcc, puffs_vnmsg_abortop);
	const struct puffs_cn *pcn;

	if (PCC_OPS(pcc)->puffs_node_abortop == NULL)
		return 0;
	pcn = pcc_cn(pcc, 0, &m->pvnr_cn, &m->pvnr_cn_cred);
	return PCC_OPS(pcc)->puffs_node_abortop(PCC_PU(pcc), PCC_COOKIE(pcc),
	    pcn);
}

static int
dispatch_vn_inactive(struct puffs_cc *pcc)
{
	if (PCC_OPS(pcc)->puffs_node_inactive == NULL)
		return EOPNOTSUPP;
	return PCC_OPS(pcc)->puffs_node_inactive(PCC_PU(pcc), PCC_COOKIE(pcc));
}

/*
 * RECLAIM carries how often puffsd accepted the cookie.  reclaim2 servers
 * count for themselves; for library nodes a lookup still in flight when
 * puffsd let go keeps the node alive, so it is reclaimed only once every
 * hand-out has been returned.
 */
static int
dispatch_vn_reclaim(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_reclaim *m = PCC_MSG(pcc, puffs_vnmsg_reclaim);
	struct puffs_usermount *pu = PCC_PU(pcc);
	struct puffs_node *pn;

	if (PCC_OPS(pcc)->puffs_node_reclaim2 != NULL)
		return PCC_OPS(pcc)->puffs_node_reclaim2(pu, PCC_COOKIE(pcc),
		    m->pvnr_nlookup);
	if (pu->pu_flags & PUFFS_FLAG_PNCOOKIE) {
		pn = puffs__cmap(pu, PCC_COOKIE(pcc));
		if (pn != NULL) {
			pn->pn_nlookup -= m->pvnr_nlookup;
			if (pn->pn_nlookup >= 1)
				return 0;
		}
	}
	if (PCC_OPS(pcc)->puffs_node_reclaim == NULL)
		return 0;
	return PCC_OPS(pcc)->puffs_node_reclaim(pu, PCC_COOKIE(pcc));
}

static int
dispatch_vn_print(struct puffs_cc *pcc)
{
	if (PCC_OPS(pcc)->puffs_node_print == NULL)
		return 0;
	return PCC_OPS(pcc)->puffs_node_print(PCC_PU(pcc), PCC_COOKIE(pcc));
}

/* ------------------------------------------------------------------ */
/* VN operations: open files and attributes                           */

static int
dispatch_vn_open(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_open *m = PCC_MSG(pcc, puffs_vnmsg_open);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	struct puffs_ops *ops = PCC_OPS(pcc);
	int oflags = 0, rv = 0;

	if (ops->puffs_node_open2 != NULL)
		rv = ops->puffs_node_open2(PCC_PU(pcc), PCC_COOKIE(pcc),
		    m->pvnr_mode, pcr, &oflags);
	else if (ops->puffs_node_open != NULL)
		rv = ops->puffs_node_open(PCC_PU(pcc), PCC_COOKIE(pcc),
		    m->pvnr_mode, pcr);
	m->pvnr_oflags = oflags;
	return rv;
}

static int
dispatch_vn_close(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_close *m = PCC_MSG(pcc, puffs_vnmsg_close);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);

	if (PCC_OPS(pcc)->puffs_node_close == NULL)
		return 0;
	return PCC_OPS(pcc)->puffs_node_close(PCC_PU(pcc), PCC_COOKIE(pcc),
	    m->pvnr_fflag, pcr);
}

static int
dispatch_vn_access(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_access *m = PCC_MSG(pcc, puffs_vnmsg_access);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);

	if (PCC_OPS(pcc)->puffs_node_access == NULL)
		return 0;
	return PCC_OPS(pcc)->puffs_node_access(PCC_PU(pcc), PCC_COOKIE(pcc),
	    m->pvnr_mode, pcr);
}

static int
dispatch_vn_getattr(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_getattr *m = PCC_MSG(pcc, puffs_vnmsg_getattr);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	struct puffs_ops *ops = PCC_OPS(pcc);
	struct timespec ttl = { 0, 0 };
	struct vattr va;
	int rv;

	puffs_vattr_null(&va);
	if ((PCC_KFLAGS(pcc) & PUFFS_KFLAG_CACHE_FS_TTL) &&
	    ops->puffs_node_getattr_ttl != NULL)
		rv = ops->puffs_node_getattr_ttl(PCC_PU(pcc), PCC_COOKIE(pcc),
		    &va, pcr, &ttl);
	else if (ops->puffs_node_getattr != NULL)
		rv = ops->puffs_node_getattr(PCC_PU(pcc), PCC_COOKIE(pcc),
		    &va, pcr);
	else
		return EOPNOTSUPP;
	if (rv == 0) {
		puffs__vattr_to_kvattr(&m->pvnr_va, &va);
		puffs_newinfo_setttl(&m->pvnr_va_ttl, &ttl);
	}
	return rv;
}

static int
dispatch_vn_setattr(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_setattr *m = PCC_MSG(pcc, puffs_vnmsg_setattr);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	struct puffs_ops *ops = PCC_OPS(pcc);
	struct timespec ttl = { 0, 0 };
	struct vattr va;
	int rv;

	puffs__kvattr_to_vattr(&va, &m->pvnr_va);
	if ((PCC_KFLAGS(pcc) & PUFFS_KFLAG_CACHE_FS_TTL) &&
	    ops->puffs_node_setattr_ttl != NULL) {
		rv = ops->puffs_node_setattr_ttl(PCC_PU(pcc), PCC_COOKIE(pcc),
		    &va, pcr, &ttl, PCC_ISFAF(pcc) ? PUFFS_SETATTR_FAF : 0);
		if (rv == 0) {
			puffs__vattr_to_kvattr(&m->pvnr_va, &va);
			puffs_newinfo_setttl(&m->pvnr_va_ttl, &ttl);
		}
		return rv;
	}
	if (ops->puffs_node_setattr == NULL)
		return EOPNOTSUPP;
	return ops->puffs_node_setattr(PCC_PU(pcc), PCC_COOKIE(pcc), &va, pcr);
}

static int
dispatch_vn_read(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_read *m = PCC_MSG(pcc, puffs_vnmsg_read);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	size_t room = pcc_room(pcc, sizeof(*m)), want, resid;
	int rv;

	if (PCC_OPS(pcc)->puffs_node_read == NULL)
		return EIO;
	want = m->pvnr_resid < room ? (size_t)m->pvnr_resid : room;
	resid = want;
	rv = PCC_OPS(pcc)->puffs_node_read(PCC_PU(pcc), PCC_COOKIE(pcc),
	    m->pvnr_data, m->pvnr_offset, &resid, pcr, m->pvnr_ioflag);
	if (resid > want)	/* the server cannot have read less than 0 */
		resid = want;
	m->pvnr_resid -= want - resid;
	pcc->pcc_replylen += want - resid;
	return rv;
}

static int
dispatch_vn_write(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_write *m = PCC_MSG(pcc, puffs_vnmsg_write);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	struct puffs_ops *ops = PCC_OPS(pcc);
	size_t resid;
	int rv;

	if (m->pvnr_resid > pcc_indata(pcc, sizeof(*m)))
		return EPROTO;
	resid = (size_t)m->pvnr_resid;
	if (ops->puffs_node_write2 != NULL)
		rv = ops->puffs_node_write2(PCC_PU(pcc), PCC_COOKIE(pcc),
		    m->pvnr_data, m->pvnr_offset, &resid, pcr, m->pvnr_ioflag,
		    PCC_ISFAF(pcc) ? PUFFS_WRITE_FAF : 0);
	else if (ops->puffs_node_write != NULL)
		rv = ops->puffs_node_write(PCC_PU(pcc), PCC_COOKIE(pcc),
		    m->pvnr_data, m->pvnr_offset, &resid, pcr, m->pvnr_ioflag);
	else
		return EIO;
	if (resid > m->pvnr_resid)
		resid = (size_t)m->pvnr_resid;
	m->pvnr_resid = resid;
	return rv;
}

static int
dispatch_vn_poll(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_poll *m = PCC_MSG(pcc, puffs_vnmsg_poll);
	int events = m->pvnr_events, rv;

	if (PCC_OPS(pcc)->puffs_node_poll == NULL) {
		m->pvnr_events &= POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
		return 0;
	}
	rv = PCC_OPS(pcc)->puffs_node_poll(PCC_PU(pcc), PCC_COOKIE(pcc),
	    &events);
	m->pvnr_events = events;
	return rv;
}

static int
dispatch_vn_mmap(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_mmap *m = PCC_MSG(pcc, puffs_vnmsg_mmap);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);

	if (PCC_OPS(pcc)->puffs_node_mmap == NULL)
		return 0;
	return PCC_OPS(pcc)->puffs_node_mmap(PCC_PU(pcc), PCC_COOKIE(pcc),
	    m->pvnr_prot, pcr);
}

static int
dispatch_vn_fsync(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_fsync *m = PCC_MSG(pcc, puffs_vnmsg_fsync);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);

	if (PCC_OPS(pcc)->puffs_node_fsync == NULL)
		return 0;
	return PCC_OPS(pcc)->puffs_node_fsync(PCC_PU(pcc), PCC_COOKIE(pcc),
	    pcr, m->pvnr_flags, m->pvnr_offlo, m->pvnr_offhi);
}

static int
dispatch_vn_seek(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_seek *m = PCC_MSG(pcc, puffs_vnmsg_seek);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);

	if (PCC_OPS(pcc)->puffs_node_seek == NULL)
		return 0;
	return PCC_OPS(pcc)->puffs_node_seek(PCC_PU(pcc), PCC_COOKIE(pcc),
	    m->pvnr_oldoff, m->pvnr_newoff, pcr);
}

/* ------------------------------------------------------------------ */
/* VN operations that return variable-size data                       */

/*
 * The reply carries the cookie slots puffsd asked for, then the records
 * the server wrote; only the bytes produced travel back.
 */
static int
dispatch_vn_readdir(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_readdir *m = PCC_MSG(pcc, puffs_vnmsg_readdir);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	size_t room = pcc_room(pcc, sizeof(*m)), space, reslen, ncookies = 0;
	off_t readoff = m->pvnr_offset, *cookies = NULL;
	struct dirent *dent;
	int eofflag = 0, rv;

	if (m->pvnr_resid > room || m->pvnr_dentoff > m->pvnr_resid ||
	    m->pvnr_dentoff % sizeof(off_t) != 0 ||
	    m->pvnr_ncookies > m->pvnr_dentoff / sizeof(off_t))
		return EPROTO;
	if (PCC_OPS(pcc)->puffs_node_readdir == NULL) {
		m->pvnr_eofflag = 1;
		m->pvnr_ncookies = 0;
		return 0;
	}
	if (m->pvnr_ncookies > 0)
		cookies = (off_t *)(void *)m->pvnr_data;
	dent = (struct dirent *)(void *)(m->pvnr_data + m->pvnr_dentoff);
	space = reslen = (size_t)(m->pvnr_resid - m->pvnr_dentoff);
	rv = PCC_OPS(pcc)->puffs_node_readdir(PCC_PU(pcc), PCC_COOKIE(pcc),
	    dent, &readoff, &reslen, pcr, &eofflag, cookies, &ncookies);
	if (rv != 0)
		return rv;
	if (reslen > space || ncookies > m->pvnr_ncookies)
		return EPROTO;
	m->pvnr_offset = readoff;
	m->pvnr_resid = reslen;
	m->pvnr_ncookies = ncookies;
	m->pvnr_eofflag = eofflag;
	pcc->pcc_replylen += m->pvnr_dentoff + (space - reslen);
	return 0;
}

static int
dispatch_vn_readlink(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_readlink *m = PCC_MSG(pcc, puffs_vnmsg_readlink);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	size_t linklen = sizeof(m->pvnr_link);
	int rv;

	if (m->pvnr_linklen < linklen)
		linklen = (size_t)m->pvnr_linklen;
	if (PCC_OPS(pcc)->puffs_node_readlink == NULL)
		return EOPNOTSUPP;
	rv = PCC_OPS(pcc)->puffs_node_readlink(PCC_PU(pcc), PCC_COOKIE(pcc),
	    pcr, m->pvnr_link, &linklen);
	if (rv != 0)
		return rv;
	if (linklen > sizeof(m->pvnr_link))
		return EPROTO;
	m->pvnr_linklen = linklen;
	return 0;
}

static int
dispatch_vn_getextattr(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_getextattr *m =
	    PCC_MSG(pcc, puffs_vnmsg_getextattr);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	size_t room = pcc_room(pcc, sizeof(*m)), want, resid, size = 0;
	int rv;

	if (PCC_OPS(pcc)->puffs_node_getextattr == NULL)
		return EOPNOTSUPP;
	m->pvnr_attrname[sizeof(m->pvnr_attrname) - 1] = '\0';
	want = resid = m->pvnr_resid < room ? (size_t)m->pvnr_resid : room;
	rv = PCC_OPS(pcc)->puffs_node_getextattr(PCC_PU(pcc), PCC_COOKIE(pcc),
	    m->pvnr_attrnamespace, m->pvnr_attrname,
	    m->pvnr_datasize ? &size : NULL,
	    want ? m->pvnr_data : NULL, want ? &resid : NULL, pcr);
	if (rv != 0)
		return rv;
	if (resid > want)
		return EPROTO;
	m->pvnr_datasize = size;
	m->pvnr_resid -= want - resid;
	pcc->pcc_replylen += want - resid;
	return 0;
}

static int
dispatch_vn_listextattr(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_listextattr *m =
	    PCC_MSG(pcc, puffs_vnmsg_listextattr);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	size_t room = pcc_room(pcc, sizeof(*m)), want, resid, size = 0;
	int rv;

	if (PCC_OPS(pcc)->puffs_node_listextattr == NULL)
		return EOPNOTSUPP;
	want = resid = m->pvnr_resid < room ? (size_t)m->pvnr_resid : room;
	rv = PCC_OPS(pcc)->puffs_node_listextattr(PCC_PU(pcc),
	    PCC_COOKIE(pcc), m->pvnr_attrnamespace,
	    m->pvnr_datasize ? &size : NULL, want ? m->pvnr_data : NULL,
	    want ? &resid : NULL, m->pvnr_flag, pcr);
	if (rv != 0)
		return rv;
	if (resid > want)
		return EPROTO;
	m->pvnr_datasize = size;
	m->pvnr_resid -= want - resid;
	pcc->pcc_replylen += want - resid;
	return 0;
}

static int
dispatch_vn_setextattr(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_setextattr *m =
	    PCC_MSG(pcc, puffs_vnmsg_setextattr);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);
	size_t resid;
	int rv;

	if (m->pvnr_resid > pcc_indata(pcc, sizeof(*m)))
		return EPROTO;
	if (PCC_OPS(pcc)->puffs_node_setextattr == NULL)
		return EOPNOTSUPP;
	m->pvnr_attrname[sizeof(m->pvnr_attrname) - 1] = '\0';
	resid = (size_t)m->pvnr_resid;
	rv = PCC_OPS(pcc)->puffs_node_setextattr(PCC_PU(pcc), PCC_COOKIE(pcc),
	    m->pvnr_attrnamespace, m->pvnr_attrname, m->pvnr_data, &resid,
	    pcr);
	m->pvnr_resid = resid <= m->pvnr_resid ? resid : m->pvnr_resid;
	return rv;
}

static int
dispatch_vn_deleteextattr(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_deleteextattr *m =
	    PCC_MSG(pcc, puffs_vnmsg_deleteextattr);
	const struct puffs_cred *pcr = pcc_cred(pcc, 0, &m->pvnr_cred);

	if (PCC_OPS(pcc)->puffs_node_deleteextattr == NULL)
		return EOPNOTSUPP;
	m->pvnr_attrname[sizeof(m->pvnr_attrname) - 1] = '\0';
	return PCC_OPS(pcc)->puffs_node_deleteextattr(PCC_PU(pcc),
	    PCC_COOKIE(pcc), m->pvnr_attrnamespace, m->pvnr_attrname, pcr);
}

static int
dispatch_vn_pathconf(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_pathconf *m = PCC_MSG(pcc, puffs_vnmsg_pathconf);
	register_t retval = 0;
	int rv;

	if (PCC_OPS(pcc)->puffs_node_pathconf == NULL)
		return 0;
	rv = PCC_OPS(pcc)->puffs_node_pathconf(PCC_PU(pcc), PCC_COOKIE(pcc),
	    m->pvnr_name, &retval);
	m->pvnr_retval = retval;
	return rv;
}

static int
dispatch_vn_advlock(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_advlock *m = PCC_MSG(pcc, puffs_vnmsg_advlock);
	struct flock fl;
	int rv;

	if (PCC_OPS(pcc)->puffs_node_advlock == NULL)
		return 0;
	memset(&fl, 0, sizeof(fl));
	fl.l_start = m->pvnr_fl.l_start;
	fl.l_len = m->pvnr_fl.l_len;
	fl.l_pid = m->pvnr_fl.l_pid;
	fl.l_type = m->pvnr_fl.l_type;
	fl.l_whence = m->pvnr_fl.l_whence;
	rv = PCC_OPS(pcc)->puffs_node_advlock(PCC_PU(pcc), PCC_COOKIE(pcc),
	    (void *)(uintptr_t)m->pvnr_id, m->pvnr_op, &fl, m->pvnr_flags);
	m->pvnr_fl.l_start = fl.l_start;
	m->pvnr_fl.l_len = fl.l_len;
	m->pvnr_fl.l_pid = fl.l_pid;
	m->pvnr_fl.l_type = fl.l_type;
	m->pvnr_fl.l_whence = fl.l_whence;
	return rv;
}

/* FALLOCATE and FDISCARD */
static int
dispatch_vn_fallocate(struct puffs_cc *pcc)
{
	struct puffs_vnmsg_fallocate *m = PCC_MSG(pcc, puffs_vnmsg_fallocate);
	int (*fn)(struct puffs_usermount *, puffs_cookie_t, off_t, off_t);

	if (PCC_PREQ(pcc)->preq_optype == PUFFS_VN_FALLOCATE)
		fn = PCC_OPS(pcc)->puffs_node_fallocate;
	else
		fn = PCC_OPS(pcc)->puffs_node_fdiscard;
	if (fn == NULL)
		return EOPNOTSUPP;
	return fn(PCC_PU(pcc), PCC_COOKIE(pcc), m->pvnr_off, m->pvnr_len);
}

#define VNOP(op, h, t, f) \
	[PUFFS_VN_##op] = { h, #op, sizeof(struct t), f }
static const struct puffs_optab puffs_vntab[PUFFS_VN_MAX + 1] = {
	VNOP(LOOKUP, dispatch_vn_lookup, puffs_vnmsg_lookup, 0),
	VNOP(CREATE, dispatch_vn_create, puffs_vnmsg_create, 0),
	VNOP(MKNOD, dispatch_vn_create, puffs_vnmsg_mknod, 0),
	VNOP(OPEN, dispatch_vn_open, puffs_vnmsg_open, OT_SETBACK),
	VNOP(CLOSE, dispatch_vn_close, puffs_vnmsg_close, 0),
	VNOP(ACCESS, dispatch_vn_access, puffs_vnmsg_access, 0),
	VNOP(GETATTR, dispatch_vn_getattr, puffs_vnmsg_getattr, 0),
	VNOP(SETATTR, dispatch_vn_setattr, puffs_vnmsg_setattr, 0),
	VNOP(READ, dispatch_vn_read, puffs_vnmsg_read, 0),
	VNOP(WRITE, dispatch_vn_write, puffs_vnmsg_write, 0),
	VNOP(POLL, dispatch_vn_poll, puffs_vnmsg_poll, 0),
	VNOP(MMAP, dispatch_vn_mmap, puffs_vnmsg_mmap, OT_SETBACK),
	VNOP(FSYNC, dispatch_vn_fsync, puffs_vnmsg_fsync, 0),
	VNOP(SEEK, dispatch_vn_seek, puffs_vnmsg_seek, 0),
	VNOP(REMOVE, dispatch_vn_remove, puffs_vnmsg_remove, OT_SETBACK),
	VNOP(LINK, dispatch_vn_remove, puffs_vnmsg_link, 0),
	VNOP(RENAME, dispatch_vn_rename, puffs_vnmsg_rename, 0),
	VNOP(MKDIR, dispatch_vn_create, puffs_vnmsg_mkdir, 0),
	VNOP(RMDIR, dispatch_vn_remove, puffs_vnmsg_rmdir, OT_SETBACK),
	VNOP(SYMLINK, dispatch_vn_symlink, puffs_vnmsg_symlink, 0),
	VNOP(READDIR, dispatch_vn_readdir, puffs_vnmsg_readdir, 0),
	VNOP(READLINK, dispatch_vn_readlink, puffs_vnmsg_readlink, 0),
	VNOP(ABORTOP, dispatch_vn_abortop, puffs_vnmsg_abortop, 0),
	VNOP(INACTIVE, dispatch_vn_inactive, puffs_vnmsg_inactive, OT_SETBACK),
	VNOP(RECLAIM, dispatch_vn_reclaim, puffs_vnmsg_reclaim, 0),
	VNOP(PRINT, dispatch_vn_print, puffs_vnmsg_print, 0),
	VNOP(PATHCONF, dispatch_vn_pathconf, puffs_vnmsg_pathconf, 0),
	VNOP(ADVLOCK, dispatch_vn_advlock, puffs_vnmsg_advlock, 0),
	VNOP(GETEXTATTR, dispatch_vn_getextattr, puffs_vnmsg_getextattr, 0),
	VNOP(LISTEXTATTR, dispatch_vn_listextattr, puffs_vnmsg_listextattr, 0),
	VNOP(DELETEEXTATTR, dispatch_vn_deleteextattr,
	    puffs_vnmsg_deleteextattr, 0),
	VNOP(SETEXTATTR, dispatch_vn_setextattr, puffs_vnmsg_setextattr, 0),
	VNOP(FALLOCATE, dispatch_vn_fallocate, puffs_vnmsg_fallocate, 0),
	VNOP(FDISCARD, dispatch_vn_fallocate, puffs_vnmsg_fdiscard, 0),
};

/* ------------------------------------------------------------------ */
/* The dispatcher proper                                              */

const char *
puffs__opname(const struct puffs_req *preq)
{
	int opclass = PUFFSOP_OPCLASS(preq->preq_opclass);

	if (opclass == PUFFSOP_VFS && preq->preq_optype <= PUFFS_VFS_MAX &&
	    puffs_vfstab[preq->preq_optype].ot_name != NULL)
		return puffs_vfstab[preq->preq_optype].ot_name;
	if (opclass == PUFFSOP_VN && preq->preq_optype <= PUFFS_VN_MAX &&
	    puffs_vntab[preq->preq_optype].ot_name != NULL)
		return puffs_vntab[preq->preq_optype].ot_name;
	return "UNKNOWN";
}

static const struct puffs_optab *
puffs_findop(const struct puffs_req *preq)
{
	const struct puffs_optab *ot = NULL;

	switch (PUFFSOP_OPCLASS(preq->preq_opclass)) {
	case PUFFSOP_VFS:
		if (preq->preq_optype <= PUFFS_VFS_MAX)
			ot = &puffs_vfstab[preq->preq_optype];
		break;
	case PUFFSOP_VN:
		if (preq->preq_optype <= PUFFS_VN_MAX)
			ot = &puffs_vntab[preq->preq_optype];
		break;
	}
	return ot != NULL && ot->ot_handler != NULL ? ot : NULL;
}

/* PUFFSOP_ERROR: puffsd refused one of our replies; tell the server. */
static void
puffs_dispatch_error(struct puffs_usermount *pu, uint8_t *buf, size_t len)
{
	struct puffs_error *perr = (struct puffs_error *)(void *)buf;

	if (len < sizeof(*perr) || pu->pu_errnotify == NULL)
		return;
	perr->perr_str[sizeof(perr->perr_str) - 1] = '\0';
	pu->pu_errnotify(pu, (uint8_t)perr->perr_pr.preq_optype,
	    perr->perr_error, perr->perr_str,
	    PUFFS__COOKIE(perr->perr_pr.preq_cookie));
}

/* Grows the frame to the reply size puffsd allows, zeroing the tail. */
static uint8_t *
puffs_growframe(uint8_t *buf, size_t len, size_t *sizep)
{
	const struct puffs_req *preq = (const struct puffs_req *)(void *)buf;
	size_t size = len;
	uint8_t *nbuf;

	if (preq->preq_buflen > size)
		size = preq->preq_buflen > PUFFS_MSG_MAXSIZE ?
		    PUFFS_MSG_MAXSIZE : (size_t)preq->preq_buflen;
	if (size == len) {
		*sizep = size;
		return buf;
	}
	nbuf = realloc(buf, size);
	if (nbuf == NULL)
		abort();
	memset(nbuf + len, 0, size - len);
	*sizep = size;
	return nbuf;
}

/* Runs the op in pcc and returns its errno for the reply. */
static int
puffs_dispatch_run(struct puffs_cc *pcc, const struct puffs_optab *ot)
{
	struct puffs_usermount *pu = pcc->pcc_pu;
	int rv;

	if (ot == NULL)
		return EINVAL;
	/* Every reply carries the whole fixed part; READLINK's includes
	 * the MAXPATHLEN link buffer, pvnr_linklen says how much is link. */
	if (pcc->pcc_framelen < ot->ot_size || pcc->pcc_bufsize < ot->ot_size)
		return EPROTO;
	pcc->pcc_replylen = ot->ot_size;
	if (ot->ot_flags & OT_SETBACK)
		pcc->pcc_flags |= PCC_SETBACKOK;

	if (pu->pu_oppre != NULL)
		pu->pu_oppre(pu);
	rv = ot->ot_handler(pcc);
	if (pu->pu_oppost != NULL)
		pu->pu_oppost(pu);
	return rv;
}

/*
 * Serves one request; runs on the request's own cc (callcontext.c), so
 * the handler may yield.  The reply goes to the transport queue.
 */
static void
puffs_dispatch_serve(struct puffs_cc *pcc)
{
	struct puffs_req *preq = PCC_PREQ(pcc);
	const struct puffs_optab *ot = puffs_findop(preq);
	size_t replylen;

	if (pcc->pcc_pu->pu_flags & PUFFS_FLAG_OPDUMP)
		puffs__dump_req(preq, (size_t)preq->preq_pth.pth_framelen);
	preq->preq_rv = puffs_dispatch_run(pcc, ot);
	if (pcc->pcc_pu->pu_flags & PUFFS_FLAG_OPDUMP)
		puffs__dump_rv(preq);
	if (!PUFFSOP_WANTREPLY(preq->preq_opclass))
		return;
	/* Never more than puffsd accepts, never less than a header. */
	replylen = pcc->pcc_replylen;
	if (replylen > preq->preq_buflen)
		replylen = (size_t)preq->preq_buflen;
	if (replylen < sizeof(struct puffs_req))
		replylen = sizeof(struct puffs_req);
	if (preq->preq_rv != 0 && ot != NULL && replylen > ot->ot_size)
		replylen = ot->ot_size;
	if (preq->preq_rv != 0 && replylen > pcc->pcc_bufsize)
		replylen = pcc->pcc_bufsize;
	preq->preq_opclass |= PUFFSOPFLAG_ISRESPONSE;
	preq->preq_pth.pth_framelen = replylen;
	if (pcc->pcc_pb != NULL) {
		/* puffs_dispatch_exec(): the caller sends it. */
		puffs_framebuf_recycle(pcc->pcc_pb);
		if (puffs_framebuf_putdata(pcc->pcc_pb, pcc->pcc_buf,
		    replylen) == -1)
			abort();
		return;
	}
	puffs__transport_enqueue(pcc->pcc_pu, pcc->pcc_buf, replylen);
	pcc->pcc_buf = NULL;
}

void
puffs__dispatch(struct puffs_usermount *pu, uint8_t *buf, size_t len)
{
	struct puffs_req *preq = (struct puffs_req *)(void *)buf;
	struct puffs_cc *pcc;

	/* Answers to our own UNMOUNT/SUSPEND requests need no action. */
	if (preq->preq_opclass & PUFFSOPFLAG_ISRESPONSE) {
		free(buf);
		return;
	}
	if (PUFFSOP_OPCLASS(preq->preq_opclass) == PUFFSOP_ERROR) {
		puffs_dispatch_error(pu, buf, len);
		free(buf);
		return;
	}

	pcc = puffs__cc_create(pu, NULL, len);
	if (pcc == NULL)
		abort();
	pcc->pcc_buf = puffs_growframe(buf, len, &pcc->pcc_bufsize);
	preq = PCC_PREQ(pcc);
	preq->preq_setbacks = 0;
	pcc->pcc_pid = preq->preq_pid;
	pcc->pcc_lid = preq->preq_lid;
	pcc->pcc_replylen = sizeof(struct puffs_req);

	/* Runs until the handler yields or is done. */
	if (puffs__cc_start(pcc, puffs_dispatch_serve) == -1)
		abort();
}

/*
 * For servers that run their own loop: the request frame in pb becomes a
 * continuation, which puffs_dispatch_exec() runs; its reply replaces pb's
 * contents (a fire-and-forget request leaves pb empty).
 */
int
puffs_dispatch_create(struct puffs_usermount *pu, struct puffs_framebuf *pb,
    struct puffs_cc **pccp)
{
	size_t len = puffs_framebuf_tellsize(pb);
	struct puffs_req *preq;
	struct puffs_cc *pcc;
	uint8_t *buf;

	if (len < sizeof(struct puffs_req) || len > PUFFS_MSG_MAXSIZE) {
		errno = EINVAL;
		return -1;
	}
	if ((buf = malloc(len)) == NULL)
		return -1;
	(void)puffs_framebuf_getdata_atoff(pb, 0, buf, len);
	preq = (struct puffs_req *)(void *)buf;
	if (preq->preq_opclass & PUFFSOPFLAG_ISRESPONSE) {
		free(buf);
		errno = EINVAL;
		return -1;
	}
	if ((pcc = puffs__cc_create(pu, NULL, len)) == NULL) {
		free(buf);
		return -1;
	}
	pcc->pcc_buf = puffs_growframe(buf, len, &pcc->pcc_bufsize);
	preq = PCC_PREQ(pcc);
	preq->preq_setbacks = 0;
	pcc->pcc_pid = preq->preq_pid;
	pcc->pcc_lid = preq->preq_lid;
	pcc->pcc_replylen = sizeof(struct puffs_req);
	pcc->pcc_pb = pb;
	if (puffs__cc_prepare_kept(pcc, puffs_dispatch_serve) == -1) {
		puffs__cc_destroy(pcc);
		return -1;
	}
	*pccp = pcc;
	return 0;
}

/* 1 when the request is done (*pbp holds the reply, pcc is gone), else 0. */
int
puffs_dispatch_exec(struct puffs_cc *pcc, struct puffs_framebuf **pbp)
{
	struct puffs_framebuf *pb = pcc->pcc_pb;
	bool reply = PUFFSOP_WANTREPLY(PCC_PREQ(pcc)->preq_opclass);

	puffs__cc_resume(pcc);
	if (!puffs__cc_isdone(pcc))
		return 0;
	if (!reply)
		puffs_framebuf_recycle(pb);
	puffs__cc_destroy(pcc);
	*pbp = pb;
	return 1;
}

/* ------------------------------------------------------------------ */
/* The op mask puffsd uses to know which node ops reach the server    */

void
puffs__vnopmask(const struct puffs_ops *o, uint8_t *mask)
{
#define HAS(slot)	(o->puffs_node_##slot != NULL)
	mask[PUFFS_VN_LOOKUP] = 1;
	mask[PUFFS_VN_CREATE] = HAS(create);
	mask[PUFFS_VN_MKNOD] = HAS(mknod);
	mask[PUFFS_VN_OPEN] = HAS(open) || HAS(open2);
	mask[PUFFS_VN_CLOSE] = HAS(close);
	mask[PUFFS_VN_ACCESS] = HAS(access);
	mask[PUFFS_VN_GETATTR] = HAS(getattr) || HAS(getattr_ttl);
	mask[PUFFS_VN_SETATTR] = HAS(setattr) || HAS(setattr_ttl);
	mask[PUFFS_VN_READ] = HAS(read);
	mask[PUFFS_VN_WRITE] = HAS(write) || HAS(write2);
	mask[PUFFS_VN_POLL] = HAS(poll);
	mask[PUFFS_VN_MMAP] = HAS(mmap);
	mask[PUFFS_VN_FSYNC] = HAS(fsync);
	mask[PUFFS_VN_SEEK] = HAS(seek);
	mask[PUFFS_VN_REMOVE] = HAS(remove);
	mask[PUFFS_VN_LINK] = HAS(link);
	mask[PUFFS_VN_RENAME] = HAS(rename);
	mask[PUFFS_VN_MKDIR] = HAS(mkdir);
	mask[PUFFS_VN_RMDIR] = HAS(rmdir);
	mask[PUFFS_VN_SYMLINK] = HAS(symlink);
	mask[PUFFS_VN_READDIR] = HAS(readdir);
	mask[PUFFS_VN_READLINK] = HAS(readlink);
	mask[PUFFS_VN_ABORTOP] = HAS(abortop);
	mask[PUFFS_VN_INACTIVE] = HAS(inactive);
	mask[PUFFS_VN_RECLAIM] = HAS(reclaim) || HAS(reclaim2);
	mask[PUFFS_VN_PRINT] = HAS(print);
	mask[PUFFS_VN_PATHCONF] = HAS(pathconf);
	mask[PUFFS_VN_ADVLOCK] = HAS(advlock);
	mask[PUFFS_VN_GETEXTATTR] = HAS(getextattr);
	mask[PUFFS_VN_LISTEXTATTR] = HAS(listextattr);
	mask[PUFFS_VN_DELETEEXTATTR] = HAS(deleteextattr);
	mask[PUFFS_VN_SETEXTATTR] = HAS(setextattr);
	mask[PUFFS_VN_FALLOCATE] = HAS(fallocate);
	mask[PUFFS_VN_FDISCARD] = HAS(fdiscard);
#undef HAS
}
