/*
 * puffsdump.c: <puffsdump.h>, one readable line per request or reply field
 * group on standard error, and the op name tables.  Called by servers
 * that debug by hand and by dump.c for PUFFS_FLAG_OPDUMP.  Never trusts
 * more of a frame than its header says is there: callers pass frames the
 * dispatcher has already size-checked for their op.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "puffs_priv.h"
#include "puffsdump.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const char *puffsdump_vfsop_revmap[] = {
	"PUFFS_VFS_MOUNT", "PUFFS_VFS_START", "PUFFS_VFS_UNMOUNT",
	"PUFFS_VFS_ROOT", "PUFFS_VFS_QUOTACTL", "PUFFS_VFS_STATVFS",
	"PUFFS_VFS_SYNC", "PUFFS_VFS_VGET", "PUFFS_VFS_FHTOVP",
	"PUFFS_VFS_VPTOFH", "PUFFS_VFS_INIT", "PUFFS_VFS_DONE",
	"PUFFS_VFS_SNAPSHOT", "PUFFS_VFS_EXTATTRCTL", "PUFFS_VFS_SUSPEND",
};
size_t puffsdump_vfsop_count = NELEM(puffsdump_vfsop_revmap);

const char *puffsdump_vnop_revmap[] = {
	"PUFFS_VN_LOOKUP", "PUFFS_VN_CREATE", "PUFFS_VN_MKNOD",
	"PUFFS_VN_OPEN", "PUFFS_VN_CLOSE", "PUFFS_VN_ACCESS",
	"PUFFS_VN_GETATTR", "PUFFS_VN_SETATTR", "PUFFS_VN_READ",
	"PUFFS_VN_WRITE", "PUFFS_VN_IOCTL", "PUFFS_VN_FCNTL",
	"PUFFS_VN_POLL", "PUFFS_VN_KQFILTER", "PUFFS_VN_REVOKE",
	"PUFFS_VN_MMAP", "PUFFS_VN_FSYNC", "PUFFS_VN_SEEK",
	"PUFFS_VN_REMOVE", "PUFFS_VN_LINK", "PUFFS_VN_RENAME",
	"PUFFS_VN_MKDIR", "PUFFS_VN_RMDIR", "PUFFS_VN_SYMLINK",
	"PUFFS_VN_READDIR", "PUFFS_VN_READLINK", "PUFFS_VN_ABORTOP",
	"PUFFS_VN_INACTIVE", "PUFFS_VN_RECLAIM", "PUFFS_VN_LOCK",
	"PUFFS_VN_UNLOCK", "PUFFS_VN_BMAP", "PUFFS_VN_STRATEGY",
	"PUFFS_VN_PRINT", "PUFFS_VN_ISLOCKED", "PUFFS_VN_PATHCONF",
	"PUFFS_VN_ADVLOCK", "PUFFS_VN_LEASE", "PUFFS_VN_WHITEOUT",
	"PUFFS_VN_GETPAGES", "PUFFS_VN_PUTPAGES", "PUFFS_VN_GETEXTATTR",
	"PUFFS_VN_LISTEXTATTR", "PUFFS_VN_OPENEXTATTR",
	"PUFFS_VN_DELETEEXTATTR", "PUFFS_VN_SETEXTATTR",
	"PUFFS_VN_CLOSEEXTATTR", "PUFFS_VN_FALLOCATE", "PUFFS_VN_FDISCARD",
};
size_t puffsdump_vnop_count = NELEM(puffsdump_vnop_revmap);

const char *puffsdump_errnot_revmap[] = {
	"PUFFS_ERR_ERROR", "PUFFS_ERR_MAKENODE", "PUFFS_ERR_LOOKUP",
	"PUFFS_ERR_READDIR", "PUFFS_ERR_READLINK", "PUFFS_ERR_READ",
	"PUFFS_ERR_WRITE", "PUFFS_ERR_VPTOFH", "PUFFS_ERR_GETEXTATTR",
	"PUFFS_ERR_LISTEXTATTR",
};
size_t puffsdump_errnot_count = NELEM(puffsdump_errnot_revmap);

const char *puffsdump_flush_revmap[] = {
	"PUFFS_INVAL_NAMECACHE_NODE", "PUFFS_INVAL_NAMECACHE_DIR",
	"PUFFS_INVAL_NAMECACHE_ALL", "PUFFS_INVAL_PAGECACHE_NODE_RANGE",
	"PUFFS_FLUSH_PAGECACHE_NODE_RANGE",
};
size_t puffsdump_flush_count = NELEM(puffsdump_flush_revmap);

const char *puffsdump_cacheop_revmap[] = {
	"PUFFS_CACHE_WRITE",
};

static const char *
dump_name(const char **map, size_t n, unsigned int i)
{
	return i < n ? map[i] : "(unknown)";
}

static const char *
dump_opname(const struct puffs_req *preq)
{
	switch (PUFFSOP_OPCLASS(preq->preq_opclass)) {
	case PUFFSOP_VFS:
		return dump_name(puffsdump_vfsop_revmap,
		    puffsdump_vfsop_count, preq->preq_optype);
	case PUFFSOP_VN:
		return dump_name(puffsdump_vnop_revmap,
		    puffsdump_vnop_count, preq->preq_optype);
	case PUFFSOP_ERROR:
		return dump_name(puffsdump_errnot_revmap,
		    puffsdump_errnot_count, preq->preq_optype);
	case PUFFSOP_FLUSH:
		return "PUFFSOP_FLUSH";
	case PUFFSOP_UNMOUNT:
		return "PUFFSOP_UNMOUNT";
	case PUFFSOP_SUSPEND:
		return "PUFFSOP_SUSPEND";
	default:
		return "(unknown class)";
	}
}

void
puffsdump_req(struct puffs_req *preq)
{
	fprintf(stderr, "reqid: %" PRIu64 ", opclass %d%s, optype: %s, "
	    "cookie: %#" PRIx64 ",\n    aux: %zu, auxlen: %" PRIu64
	    ", pid: %d, lwpid: %d\n", (uint64_t)preq->preq_id,
	    PUFFSOP_OPCLASS(preq->preq_opclass),
	    PUFFSOP_WANTREPLY(preq->preq_opclass) ? "" : " (FAF)",
	    dump_opname(preq), (uint64_t)preq->preq_cookie,
	    sizeof(*preq), (uint64_t)preq->preq_buflen, (int)preq->preq_pid,
	    (int)preq->preq_lid);
}

void
puffsdump_rv(struct puffs_req *preq)
{
	fprintf(stderr, "\tRV reqid: %" PRIu64 ", result: %d %s%s\n",
	    (uint64_t)preq->preq_id, (int)preq->preq_rv,
	    preq->preq_rv ? strerror((int)preq->preq_rv) : "",
	    preq->preq_setbacks ? " (setbacks)" : "");
}

void
puffsdump_cookie(puffs_cookie_t c, const char *cookiename)
{
	fprintf(stderr, "%scookie: at %p\n", cookiename, c);
}

void
puffsdump_cn(struct puffs_kcn *pkcn)
{
	fprintf(stderr, "\tpuffs_cn: \"%.*s\", len %" PRIu64 " op %u, "
	    "flags %#x\n", (int)strnlen(pkcn->pkcn_name,
	    sizeof(pkcn->pkcn_name)), pkcn->pkcn_name,
	    (uint64_t)pkcn->pkcn_namelen, (unsigned int)pkcn->pkcn_nameiop,
	    (unsigned int)pkcn->pkcn_flags);
}

void
puffsdump_readwrite(struct puffs_req *preq)
{
	struct puffs_vnmsg_rw *rw = (struct puffs_vnmsg_rw *)(void *)preq;

	fprintf(stderr, "\t\toffset: %" PRId64 ", resid %" PRIu64
	    ", ioflag %#x\n", (int64_t)rw->pvnr_offset,
	    (uint64_t)rw->pvnr_resid, (unsigned int)rw->pvnr_ioflag);
}

void
puffsdump_readwrite_rv(struct puffs_req *preq)
{
	struct puffs_vnmsg_rw *rw = (struct puffs_vnmsg_rw *)(void *)preq;

	fprintf(stderr, "\t\tresid after op: %" PRIu64 "\n",
	    (uint64_t)rw->pvnr_resid);
}

void
puffsdump_readdir(struct puffs_req *preq)
{
	struct puffs_vnmsg_readdir *rd =
	    (struct puffs_vnmsg_readdir *)(void *)preq;

	fprintf(stderr, "\t\tread offset: %" PRId64 ", resid %" PRIu64
	    ", cookies %" PRIu64 "\n", (int64_t)rd->pvnr_offset,
	    (uint64_t)rd->pvnr_resid, (uint64_t)rd->pvnr_ncookies);
}

void
puffsdump_readdir_rv(struct puffs_req *preq)
{
	struct puffs_vnmsg_readdir *rd =
	    (struct puffs_vnmsg_readdir *)(void *)preq;

	fprintf(stderr, "\t\tresid after op: %" PRIu64 ", eofflag %d, "
	    "cookies %" PRIu64 "\n", (uint64_t)rd->pvnr_resid,
	    (int)rd->pvnr_eofflag, (uint64_t)rd->pvnr_ncookies);
}

void
puffsdump_lookup(struct puffs_req *preq)
{
	struct puffs_vnmsg_lookup *m =
	    (struct puffs_vnmsg_lookup *)(void *)preq;

	puffsdump_cn(&m->pvnr_cn);
}

void
puffsdump_lookup_rv(struct puffs_req *preq)
{
	struct puffs_vnmsg_lookup *m =
	    (struct puffs_vnmsg_lookup *)(void *)preq;

	fprintf(stderr, "\t\tnew node %#" PRIx64 ", type %u, size %" PRId64
	    ", rdev %#" PRIx64 "\n", (uint64_t)m->pvnr_newnode,
	    (unsigned int)m->pvnr_vtype, (int64_t)m->pvnr_size,
	    (uint64_t)m->pvnr_rdev);
}

void
puffsdump_create(struct puffs_req *preq)
{
	struct puffs_vnmsg_create *m =
	    (struct puffs_vnmsg_create *)(void *)preq;

	puffsdump_cn(&m->pvnr_cn);
	fprintf(stderr, "\t\tvattr: type %u, mode %#o\n",
	    (unsigned int)m->pvnr_va.va_type, (unsigned int)m->pvnr_va.va_mode);
}

void
puffsdump_create_rv(struct puffs_req *preq)
{
	struct puffs_vnmsg_create *m =
	    (struct puffs_vnmsg_create *)(void *)preq;

	fprintf(stderr, "\t\tnew node %#" PRIx64 "\n",
	    (uint64_t)m->pvnr_newnode);
}

void
puffsdump_open(struct puffs_req *preq)
{
	struct puffs_vnmsg_open *m = (struct puffs_vnmsg_open *)(void *)preq;

	fprintf(stderr, "\t\tmode: %#x\n", (unsigned int)m->pvnr_mode);
}

void
puffsdump_attr(struct puffs_req *preq)
{
	struct puffs_vnmsg_setgetattr *m =
	    (struct puffs_vnmsg_setgetattr *)(void *)preq;
	const struct puffs_kvattr *va = &m->pvnr_va;

	fprintf(stderr, "\t\tvattr: type %u, mode %#o, nlink %u, uid %u, "
	    "gid %u, size %" PRIu64 ", fileid %" PRIu64 "\n",
	    (unsigned int)va->va_type, (unsigned int)va->va_mode,
	    (unsigned int)va->va_nlink, (unsigned int)va->va_uid,
	    (unsigned int)va->va_gid, (uint64_t)va->va_size,
	    (uint64_t)va->va_fileid);
}

void
puffsdump_targ(struct puffs_req *preq)
{
	struct puffs_vnmsg_remove *m =
	    (struct puffs_vnmsg_remove *)(void *)preq;

	puffsdump_cookie(PUFFS__COOKIE(m->pvnr_cookie_targ), "target ");
}
