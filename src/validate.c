/*
 * validate.c: reply checks (see validate.h).  Each returns 0, or -1 with
 * the notice described in *vb (the NetBSD kernel's choice of PUFFS_ERR_*
 * and errno for that fault).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "validate.h"

static int vbad(struct vbad *, int, int, bool, const char *, ...)
    __attribute__((format(printf, 5, 6)));

static int
vbad(struct vbad *vb, int type, int error, bool count, const char *fmt, ...)
{
	va_list ap;

	vb->vb_type = type;
	vb->vb_error = error;
	vb->vb_count = count;
	va_start(ap, fmt);
	vsnprintf(vb->vb_why, sizeof(vb->vb_why), fmt, ap);
	va_end(ap);
	return -1;
}

/* An errno a server may return: 0 .. the highest Linux errno. */
int
validate_errno(int32_t rv, struct vbad *vb)
{
	if (frame_checkerr(rv) != 0)
		return vbad(vb, PUFFS_ERR_ERROR, EPROTO, false,
		    "errno %d out of range", (int)rv);
	return 0;
}

/* A node type a server may hand out: VREG .. VFIFO. */
int
validate_vtype(uint32_t vtype)
{
	return vtype > PUFFS_VNON && vtype < PUFFS_VBAD ? 0 : -1;
}

/*
 * A successful LOOKUP reply in directory dircookie.  vb_count tells the
 * caller whether the server counted the hand-out anyway (a well-formed
 * node refused for where it was found), so that RECLAIM still returns it.
 */
int
validate_lookup(const struct puffs_vnmsg_lookup *lk, uint64_t dircookie,
    struct vbad *vb)
{
	if (lk->pvnr_newnode == 0 || validate_vtype(lk->pvnr_vtype) != 0 ||
	    lk->pvnr_size < 0)
		return vbad(vb, PUFFS_ERR_MAKENODE, EINVAL, false,
		    "LOOKUP returned cookie %#llx vtype %u size %lld",
		    (unsigned long long)lk->pvnr_newnode, lk->pvnr_vtype,
		    (long long)lk->pvnr_size);
	if (lk->pvnr_newnode == dircookie)
		return vbad(vb, PUFFS_ERR_LOOKUP, EINVAL, true,
		    "LOOKUP returned the directory itself");
	if (lk->pvnr_cn.pkcn_consume != 0)
		return vbad(vb, PUFFS_ERR_LOOKUP, EINVAL, true,
		    "LOOKUP consumed %llu more bytes; puffsd sends one "
		    "component", (unsigned long long)lk->pvnr_cn.pkcn_consume);
	return 0;
}

/*
 * The cookie of a node CREATE/MKNOD/MKDIR/SYMLINK made: never the root,
 * never one that names a live node ("cookie exists", EEXIST).
 */
int
validate_newnode(uint64_t cookie, uint64_t rootcookie, bool live,
    struct vbad *vb)
{
	if (cookie == rootcookie)
		return vbad(vb, PUFFS_ERR_MAKENODE, EEXIST, false,
		    "new node has the root cookie");
	if (live)
		return vbad(vb, PUFFS_ERR_MAKENODE, EEXIST, false,
		    "new node has the cookie %#llx of a live node",
		    (unsigned long long)cookie);
	return 0;
}

/* A file name from the server: 1..NAME_MAX (Linux's) bytes, no NUL or '/'. */
int
validate_name(const char *name, size_t len)
{
	if (len == 0 || len > NAME_MAX)
		return -1;
	if (memchr(name, '\0', len) != NULL || memchr(name, '/', len) != NULL)
		return -1;
	return 0;
}

/* Data ops: what is left must not exceed what was asked. */
int
validate_resid(uint64_t asked, uint64_t resid)
{
	return resid <= asked ? 0 : -1;
}

/* A READLINK result: 1..buffer bytes, no NUL inside. */
int
validate_readlink(const struct puffs_vnmsg_readlink *rl, struct vbad *vb)
{
	if (rl->pvnr_linklen > sizeof(rl->pvnr_link))
		return vbad(vb, PUFFS_ERR_READLINK, E2BIG, false,
		    "READLINK returned %llu bytes, room for %zu",
		    (unsigned long long)rl->pvnr_linklen,
		    sizeof(rl->pvnr_link));
	if (rl->pvnr_linklen == 0 ||
	    memchr(rl->pvnr_link, '\0', rl->pvnr_linklen) != NULL)
		return vbad(vb, PUFFS_ERR_READLINK, EINVAL, false,
		    "READLINK returned an empty link or one holding NUL");
	return 0;
}
