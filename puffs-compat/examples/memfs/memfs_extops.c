/*
 * memfs_extops.c: the operations beyond files and names: extended
 * attributes, advisory locks, poll, fsync, pathconf, fallocate and
 * fdiscard.  Called by libpuffs through the ops vector set in memfs.c.
 *
 * Extended attributes are kept per node under their full name in the
 * namespace the caller gave; reading a USER attribute needs read access,
 * writing it write access, the SYSTEM namespace is root's (as NetBSD's
 * ufs extattr checks).
 *
 * Locks: one list per node; flock and POSIX locks do not see each other,
 * as on Linux.  memfs serves one request at a time and cannot sleep in
 * one, so a conflicting request is answered EAGAIN even with F_WAIT;
 * puffs-bridge's puffsd then keeps the caller waiting and asks again
 * when a lock on the file is released, which gives the caller the
 * blocking semantics of fcntl(F_SETLKW) and flock(2).  So that a cycle of
 * POSIX waiters is refused with EDEADLK, as NetBSD's lf_advlock and Linux
 * do, memfs remembers for each owner whose F_WAIT request it refused what
 * that owner waits for (forgotten at the owner's next request, since a
 * waiter is asked again until it gets its lock), and follows the chain
 * "owner waits for a lock of owner..." before refusing another one.
 */
#include "memfs.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COOKIE2MN(c)	PN2MN((struct puffs_node *)(c))
#define MEMFS_XATTR_MAX	65536	/* bytes per value */

/* A POSIX lock owner whose F_WAIT request was refused: what it wants. */
struct mwait {
	struct mwait	*w_next;
	void		*w_owner;
	struct mnode	*w_mn;
	short		 w_type;
	off_t		 w_start;
	off_t		 w_end;
};

#define MEMFS_LOCKDEPTH	50	/* the longest chain of waiters followed */

static struct mwait *memfs_waits;

/* Forget what owner (or, owner NULL, anyone on mn) waits for. */
static void
memfs_wait_forget(void *owner, struct mnode *mn)
{
	struct mwait **wp = &memfs_waits, *w;

	while ((w = *wp) != NULL) {
		if ((owner != NULL && w->w_owner == owner) ||
		    (owner == NULL && w->w_mn == mn)) {
			*wp = w->w_next;
			free(w);
		} else
			wp = &w->w_next;
	}
}

void
memfs_ext_free(struct mnode *mn)
{
	struct mxattr *xa;
	struct mlock *lk;

	memfs_wait_forget(NULL, mn);
	while ((xa = mn->mn_xattrs) != NULL) {
		mn->mn_xattrs = xa->xa_next;
		free(xa->xa_value);
		free(xa);
	}
	while ((lk = mn->mn_locks) != NULL) {
		mn->mn_locks = lk->lk_next;
		free(lk);
	}
}

/* ------------------------------------------------------------------ */
/* Extended attributes                                                */

static int
memfs_xattr_access(struct mnode *mn, int ns, int mode,
    const struct puffs_cred *pcr)
{
	if (ns == EXTATTR_NAMESPACE_SYSTEM)
		return puffs_cred_isjuggernaut(pcr) ? 0 : EPERM;
	if (ns != EXTATTR_NAMESPACE_USER)
		return EINVAL;
	return memfs_node_vaccess(mn, mode, pcr);
}

static struct mxattr **
memfs_xattr_find(struct mnode *mn, int ns, const char *name)
{
	struct mxattr **xap;

	for (xap = &mn->mn_xattrs; *xap != NULL; xap = &(*xap)->xa_next)
		if ((*xap)->xa_ns == ns && strcmp((*xap)->xa_name, name) == 0)
			return xap;
	return NULL;
}

int
memfs_node_getextattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    int ns, const char *name, size_t *attrsize, uint8_t *attr,
    size_t *resid, const struct puffs_cred *pcr)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct mxattr **xap;
	size_t n;
	int rv;

	(void)pu;
	if ((rv = memfs_xattr_access(mn, ns, PUFFS_VREAD, pcr)) != 0)
		return rv;
	if ((xap = memfs_xattr_find(mn, ns, name)) == NULL)
		return ENOATTR;
	if (attrsize != NULL)
		*attrsize = (*xap)->xa_len;
	if (attr != NULL && resid != NULL) {
		/* NetBSD semantics: as much as fits; the size says the rest. */
		n = (*xap)->xa_len < *resid ? (*xap)->xa_len : *resid;
		memcpy(attr, (*xap)->xa_value, n);
		*resid -= n;
	}
	return 0;
}

int
memfs_node_setextattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    int ns, const char *name, uint8_t *attr, size_t *resid,
    const struct puffs_cred *pcr)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct mxattr **xap, *xa;
	size_t namelen = strlen(name);
	uint8_t *value;
	int rv;

	(void)pu;
	if ((rv = memfs_xattr_access(mn, ns, PUFFS_VWRITE, pcr)) != 0)
		return rv;
	if (namelen == 0 || namelen > EXTATTR_MAXNAMELEN)
		return EINVAL;
	if (*resid > MEMFS_XATTR_MAX)
		return E2BIG;
	if ((value = malloc(*resid ? *resid : 1)) == NULL)
		err(1, "malloc");
	memcpy(value, attr, *resid);
	if ((xap = memfs_xattr_find(mn, ns, name)) != NULL) {
		xa = *xap;
		free(xa->xa_value);
	} else {
		if ((xa = calloc(1, sizeof(*xa) + namelen + 1)) == NULL)
			err(1, "calloc");
		xa->xa_ns = ns;
		memcpy(xa->xa_name, name, namelen + 1);
		xa->xa_next = mn->mn_xattrs;
		mn->mn_xattrs = xa;
	}
	xa->xa_value = value;
	xa->xa_len = *resid;
	*resid = 0;
	memfs_node_touch(mn, false, false, true);
	return 0;
}

int
memfs_node_listextattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    int ns, size_t *attrsize, uint8_t *attrs, size_t *resid, int flag,
    const struct puffs_cred *pcr)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct mxattr *xa;
	size_t total = 0, len, rec;
	int rv;

	(void)pu;
	if ((rv = memfs_xattr_access(mn, ns, PUFFS_VREAD, pcr)) != 0)
		return rv;
	for (xa = mn->mn_xattrs; xa != NULL; xa = xa->xa_next) {
		if (xa->xa_ns != ns)
			continue;
		len = strlen(xa->xa_name);
		/* length-prefixed (extattr_list_*) or NUL-ended (listxattr) */
		rec = len + 1;
		if (attrs != NULL && resid != NULL && rec <= *resid) {
			if (flag & EXTATTR_LIST_LENPREFIX) {
				attrs[0] = (uint8_t)len;
				memcpy(attrs + 1, xa->xa_name, len);
			} else
				memcpy(attrs, xa->xa_name, len + 1);
			attrs += rec;
			*resid -= rec;
		}
		total += rec;
	}
	if (attrsize != NULL)
		*attrsize = total;
	return 0;
}

int
memfs_node_deleteextattr(struct puffs_usermount *pu, puffs_cookie_t opc,
    int ns, const char *name, const struct puffs_cred *pcr)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct mxattr **xap, *xa;
	int rv;

	(void)pu;
	if ((rv = memfs_xattr_access(mn, ns, PUFFS_VWRITE, pcr)) != 0)
		return rv;
	if ((xap = memfs_xattr_find(mn, ns, name)) == NULL)
		return ENOATTR;
	xa = *xap;
	*xap = xa->xa_next;
	free(xa->xa_value);
	free(xa);
	memfs_node_touch(mn, false, false, true);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Advisory locks                                                     */

/* The request's byte range as [*startp, *endp], end inclusive. */
static int
memfs_lock_range(struct mnode *mn, const struct flock *fl, off_t *startp,
    off_t *endp)
{
	off_t start;

	switch (fl->l_whence) {
	case SEEK_SET:
	case SEEK_CUR:	/* puffsd sends absolute offsets */
		start = fl->l_start;
		break;
	case SEEK_END:
		start = (off_t)MN2VA(mn)->va_size + fl->l_start;
		break;
	default:
		return EINVAL;
	}
	if (fl->l_len < 0) {
		if (start + fl->l_len < 0)
			return EINVAL;
		*endp = start - 1;
		start += fl->l_len;
	} else if (fl->l_len == 0)
		*endp = MEMFS_LOCK_EOF;
	else
		*endp = start + fl->l_len - 1;
	if (start < 0)
		return EINVAL;
	*startp = start;
	return 0;
}

/* The first lock of another owner that keeps this one out. */
static struct mlock *
memfs_lock_conflict(struct mnode *mn, void *owner, bool isflock, short type,
    off_t start, off_t end)
{
	struct mlock *lk;

	for (lk = mn->mn_locks; lk != NULL; lk = lk->lk_next) {
		if (lk->lk_flock != isflock || lk->lk_owner == owner)
			continue;
		if (lk->lk_end < start || lk->lk_start > end)
			continue;
		if (lk->lk_type == F_WRLCK || type == F_WRLCK)
			return lk;
	}
	return NULL;
}

static struct mlock *
memfs_lock_new(void *owner, bool isflock, short type, off_t start,
    off_t end, pid_t pid)
{
	struct mlock *lk;

	if ((lk = calloc(1, sizeof(*lk))) == NULL)
		err(1, "calloc");
	lk->lk_owner = owner;
	lk->lk_flock = isflock;
	lk->lk_type = type;
	lk->lk_start = start;
	lk->lk_end = end;
	lk->lk_pid = pid;
	return lk;
}

/* Take [start, end] out of the owner's locks, splitting where needed. */
static void
memfs_lock_cut(struct mnode *mn, void *owner, bool isflock, off_t start,
    off_t end)
{
	struct mlock **lkp = &mn->mn_locks, *lk, *tail;

	while ((lk = *lkp) != NULL) {
		if (lk->lk_owner != owner || lk->lk_flock != isflock ||
		    lk->lk_end < start || lk->lk_start > end) {
			lkp = &lk->lk_next;
			continue;
		}
		if (lk->lk_start < start && lk->lk_end > end) {
			tail = memfs_lock_new(owner, isflock, lk->lk_type,
			    end + 1, lk->lk_end, lk->lk_pid);
			tail->lk_next = lk->lk_next;
			lk->lk_next = tail;
			lk->lk_end = start - 1;
			return;
		}
		if (lk->lk_start < start) {
			lk->lk_end = start - 1;
			lkp = &lk->lk_next;
		} else if (lk->lk_end > end) {
			lk->lk_start = end + 1;
			lkp = &lk->lk_next;
		} else {
			*lkp = lk->lk_next;
			free(lk);
		}
	}
}

/*
 * Would owner id, refused because of lock blk, wait in a cycle?  Follow
 * blk's owner to the lock it waits for, to that lock's owner, and so on:
 * a cycle comes back to id.
 */
static bool
memfs_lock_deadlock(void *id, const struct mlock *blk)
{
	struct mwait *w;
	void *owner = blk->lk_owner;
	int depth;

	for (depth = 0; depth < MEMFS_LOCKDEPTH; depth++) {
		if (owner == id)
			return true;
		for (w = memfs_waits; w != NULL; w = w->w_next)
			if (w->w_owner == owner)
				break;
		if (w == NULL)
			return false;
		blk = memfs_lock_conflict(w->w_mn, owner, false, w->w_type,
		    w->w_start, w->w_end);
		if (blk == NULL)
			return false;
		owner = blk->lk_owner;
	}
	return false;
}

/* A POSIX F_SETLK that blk keeps out: EAGAIN (noted if F_WAIT), EDEADLK. */
static int
memfs_lock_refuse(struct mnode *mn, void *id, const struct flock *fl,
    off_t start, off_t end, const struct mlock *blk, int flags)
{
	struct mwait *w;

	if (!(flags & F_WAIT))
		return EAGAIN;
	if (memfs_lock_deadlock(id, blk))
		return EDEADLK;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		err(1, "calloc");
	w->w_owner = id;
	w->w_mn = mn;
	w->w_type = fl->l_type;
	w->w_start = start;
	w->w_end = end;
	w->w_next = memfs_waits;
	memfs_waits = w;
	return EAGAIN;
}

int
memfs_node_advlock(struct puffs_usermount *pu, puffs_cookie_t opc, void *id,
    int op, struct flock *fl, int flags)
{
	struct mnode *mn = COOKIE2MN(opc);
	bool isflock = (flags & F_FLOCK) != 0;
	struct mlock *lk;
	off_t start, end;
	int rv;

	(void)pu;
	if (!isflock)
		memfs_wait_forget(id, NULL);	/* it asks again, or gave up */
	if (isflock) {
		start = 0;
		end = MEMFS_LOCK_EOF;
	} else if ((rv = memfs_lock_range(mn, fl, &start, &end)) != 0)
		return rv;
	switch (op) {
	case F_GETLK:
		lk = memfs_lock_conflict(mn, id, isflock, fl->l_type, start,
		    end);
		if (lk == NULL) {
			fl->l_type = F_UNLCK;
			return 0;
		}
		fl->l_type = lk->lk_type;
		fl->l_whence = SEEK_SET;
		fl->l_start = lk->lk_start;
		fl->l_len = lk->lk_end == MEMFS_LOCK_EOF ? 0 :
		    lk->lk_end - lk->lk_start + 1;
		fl->l_pid = lk->lk_pid;
		return 0;
	case F_SETLK:
		if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK)
			return EINVAL;
		lk = memfs_lock_conflict(mn, id, isflock, fl->l_type, start,
		    end);
		if (lk != NULL && isflock)
			return EAGAIN;	/* with F_WAIT too: see above */
		if (lk != NULL)
			return memfs_lock_refuse(mn, id, fl, start, end, lk,
			    flags);
		memfs_lock_cut(mn, id, isflock, start, end);
		lk = memfs_lock_new(id, isflock, fl->l_type, start, end,
		    fl->l_pid);
		lk->lk_next = mn->mn_locks;
		mn->mn_locks = lk;
		return 0;
	case F_UNLCK:
		memfs_lock_cut(mn, id, isflock, start, end);
		return 0;
	default:
		return EINVAL;
	}
}

/* ------------------------------------------------------------------ */
/* poll, fsync, pathconf, fallocate, fdiscard                          */

/* Memory is always ready to be read and written. */
int
memfs_node_poll(struct puffs_usermount *pu, puffs_cookie_t opc, int *events)
{
	(void)pu;
	(void)opc;
	*events &= POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	return 0;
}

/* Nothing is ever only in flight: the data is the memory. */
int
memfs_node_fsync(struct puffs_usermount *pu, puffs_cookie_t opc,
    const struct puffs_cred *pcr, int flags, off_t offlo, off_t offhi)
{
	(void)pu;
	(void)opc;
	(void)pcr;
	(void)flags;
	(void)offlo;
	(void)offhi;
	return 0;
}

int
memfs_node_pathconf(struct puffs_usermount *pu, puffs_cookie_t opc,
    int name, register_t *retval)
{
	(void)pu;
	(void)opc;
	switch (name) {
	case _PC_NAME_MAX:
		*retval = MEMFS_NAMEMAX;
		return 0;
	case _PC_LINK_MAX:
		*retval = MEMFS_LINKMAX;
		return 0;
	case _PC_PATH_MAX:
		*retval = PATH_MAX;
		return 0;
	case _PC_PIPE_BUF:
		*retval = PIPE_BUF;
		return 0;
	case _PC_CHOWN_RESTRICTED:
	case _PC_NO_TRUNC:
		*retval = 1;
		return 0;
	default:
		return EINVAL;
	}
}

/* Reserve [off, off + len), growing the file if it ends past its size. */
int
memfs_node_fallocate(struct puffs_usermount *pu, puffs_cookie_t opc,
    off_t off, off_t len)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct vattr *va = MN2VA(mn);
	struct memfs *mfs = puffs_getspecific(pu);
	uint64_t end;
	int rv;

	if (va->va_type != VREG)
		return va->va_type == VDIR ? EISDIR : ENODEV;
	if (off < 0 || len <= 0)
		return EINVAL;
	end = (uint64_t)off + (uint64_t)len;
	if (end > mfs->mfs_limit || end > INT64_MAX)
		return EFBIG;
	if ((rv = memfs_node_charge(pu, mn, (uint64_t)off, (uint64_t)len)) != 0)
		return rv;
	if (end > va->va_size && (rv = memfs_node_resize(pu, mn, end)) != 0)
		return rv;
	memfs_node_touch(mn, false, false, true);
	return 0;
}

/* Zero [off, off + len) within the file; the size does not change. */
int
memfs_node_fdiscard(struct puffs_usermount *pu, puffs_cookie_t opc,
    off_t off, off_t len)
{
	struct mnode *mn = COOKIE2MN(opc);
	struct vattr *va = MN2VA(mn);
	uint64_t end;

	(void)pu;
	if (va->va_type != VREG)
		return va->va_type == VDIR ? EISDIR : ENODEV;
	if (off < 0 || len <= 0)
		return EINVAL;
	if ((uint64_t)off >= va->va_size)
		return 0;
	end = (uint64_t)off + (uint64_t)len;
	if (end > va->va_size)
		end = va->va_size;
	memset(mn->mn_data + off, 0, (size_t)(end - (uint64_t)off));
	memfs_node_touch(mn, false, true, true);
	return 0;
}
