/*
 * paths.c: the PUFFS_FLAG_BUILDPATH framework.  Owns the path policy
 * callbacks (build, transform, compare, free, namemod), their "/"-string
 * defaults (puffs_stdpath_*), the nodewalk helpers servers use to find or
 * re-path nodes, and the bookkeeping the dispatcher does around name ops:
 * building pcn_po_full before an op, handing it to the new node after, and
 * re-pathing a renamed subtree.  Called by servers and by dispatcher.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "puffs_priv.h"

void
puffs_set_pathbuild(struct puffs_usermount *pu, pu_pathbuild_fn fn)
{
	pu->pu_pathbuild = fn;
}

void
puffs_set_pathtransform(struct puffs_usermount *pu, pu_pathtransform_fn fn)
{
	pu->pu_pathtransform = fn;
}

void
puffs_set_pathcmp(struct puffs_usermount *pu, pu_pathcmp_fn fn)
{
	pu->pu_pathcmp = fn;
}

void
puffs_set_pathfree(struct puffs_usermount *pu, pu_pathfree_fn fn)
{
	pu->pu_pathfree = fn;
}

void
puffs_set_namemod(struct puffs_usermount *pu, pu_namemod_fn fn)
{
	pu->pu_namemod = fn;
}

struct puffs_pathobj *
puffs_getrootpathobj(struct puffs_usermount *pu)
{
	if (pu->pu_pn_root == NULL) {
		errno = ENOENT;
		return NULL;
	}
	return &pu->pu_pn_root->pn_po;
}

/* ------------------------------------------------------------------ */
/* The defaults: paths are malloc'ed "/"-separated strings            */

/* Length of the parent directory part of path[0..len), "/" kept alone. */
static size_t
stdpath_dirlen(const char *path, size_t len)
{
	while (len > 1 && path[len - 1] == '/')
		len--;
	while (len > 0 && path[len - 1] != '/')
		len--;
	while (len > 1 && path[len - 1] == '/')
		len--;
	return len;
}

int
puffs_stdpath_buildpath(struct puffs_usermount *pu,
    const struct puffs_pathobj *po_pre, const struct puffs_pathobj *po_comp,
    size_t offset, struct puffs_pathobj *newpath)
{
	const char *pre = po_pre->po_path, *comp = po_comp->po_path;
	size_t plen = po_pre->po_len, clen;
	char *path;

	(void)pu;
	if (offset > po_comp->po_len)
		return EINVAL;
	comp += offset;
	clen = po_comp->po_len - offset;
	while (clen > 0 && *comp == '/') {
		comp++;
		clen--;
	}
	while (plen > 1 && pre[plen - 1] == '/')
		plen--;

	if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
		/* ".." names the parent of the parent. */
		plen = stdpath_dirlen(pre, plen);
		clen = 0;
	}
	path = malloc(plen + 1 + clen + 1);
	if (path == NULL)
		return errno;
	memcpy(path, pre, plen);
	newpath->po_len = plen;
	if (clen > 0) {
		if (plen == 0 || pre[plen - 1] != '/')
			path[newpath->po_len++] = '/';
		memcpy(path + newpath->po_len, comp, clen);
		newpath->po_len += clen;
	}
	path[newpath->po_len] = '\0';
	newpath->po_path = path;
	newpath->po_hash = 0;
	return 0;
}

int
puffs_stdpath_cmppath(struct puffs_usermount *pu, struct puffs_pathobj *c1,
    struct puffs_pathobj *c2, size_t clen, int checkprefix)
{
	const char *p1 = c1->po_path;

	(void)pu;
	if (c1->po_len < clen || c2->po_len < clen)
		return 1;
	if (memcmp(c1->po_path, c2->po_path, clen) != 0)
		return 1;
	if (!checkprefix)
		return 0;
	/* c1 must go on below c2: a longer path with a separator there. */
	if (c1->po_len > clen && p1[clen] == '/')
		return 0;
	return 1;
}

void
puffs_stdpath_freepath(struct puffs_usermount *pu, struct puffs_pathobj *po)
{
	(void)pu;
	free(po->po_path);
	po->po_path = NULL;
	po->po_len = 0;
}

/* ------------------------------------------------------------------ */
/* Dispatch to the server's policy or the default                     */

int
puffs__path_build(struct puffs_usermount *pu,
    const struct puffs_pathobj *pre, const struct puffs_pathobj *comp,
    size_t offset, struct puffs_pathobj *newpath)
{
	if (pu->pu_pathbuild != NULL)
		return pu->pu_pathbuild(pu, pre, comp, offset, newpath);
	return puffs_stdpath_buildpath(pu, pre, comp, offset, newpath);
}

static int
puffs_path_cmp(struct puffs_usermount *pu, struct puffs_pathobj *c1,
    struct puffs_pathobj *c2, size_t clen, int checkprefix)
{
	if (pu->pu_pathcmp != NULL)
		return pu->pu_pathcmp(pu, c1, c2, clen, checkprefix);
	return puffs_stdpath_cmppath(pu, c1, c2, clen, checkprefix);
}

void
puffs__path_free(struct puffs_usermount *pu, struct puffs_pathobj *po)
{
	if (po->po_path == NULL)
		return;
	if (pu->pu_pathfree != NULL)
		pu->pu_pathfree(pu, po);
	else
		puffs_stdpath_freepath(pu, po);
	po->po_path = NULL;
	po->po_len = 0;
}

/* ------------------------------------------------------------------ */
/* Hashes and nodewalk helpers                                        */

/* FNV-1a over the bytes of the path object. */
static uint32_t
path_hash(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t h = 2166136261u;

	while (len-- > 0) {
		h ^= *p++;
		h *= 16777619u;
	}
	return h;
}

void
puffs_path_buildhash(struct puffs_usermount *pu, struct puffs_pathobj *po)
{
	if ((pu->pu_flags & PUFFS_FLAG_HASHPATH) == 0 || po->po_path == NULL)
		return;
	/* Std paths are strings; other builders get po_len raw bytes. */
	if (pu->pu_pathbuild == NULL ||
	    pu->pu_pathbuild == puffs_stdpath_buildpath)
		po->po_hash = path_hash(po->po_path, strlen(po->po_path));
	else
		po->po_hash = path_hash(po->po_path, po->po_len);
}

void *
puffs_path_walkcmp(struct puffs_usermount *pu, struct puffs_node *pn,
    void *arg)
{
	struct puffs_pathobj *po = arg;

	if (pn->pn_po.po_path == NULL || pn->pn_po.po_len != po->po_len)
		return NULL;
	if ((pu->pu_flags & PUFFS_FLAG_HASHPATH) &&
	    pn->pn_po.po_hash != po->po_hash)
		return NULL;
	if (puffs_path_cmp(pu, &pn->pn_po, po, po->po_len, 0) == 0)
		return pn;
	return NULL;
}

void *
puffs_path_prefixadj(struct puffs_usermount *pu, struct puffs_node *pn,
    void *arg)
{
	struct puffs_pathinfo *pi = arg;
	struct puffs_pathobj newpath;

	if (pn->pn_po.po_path == NULL ||
	    puffs_path_cmp(pu, &pn->pn_po, pi->pi_old, pi->pi_old->po_len,
	    1) != 0)
		return NULL;
	/* A tree whose paths cannot be rebuilt has no consistent state. */
	if (puffs__path_build(pu, pi->pi_new, &pn->pn_po, pi->pi_old->po_len,
	    &newpath) != 0)
		abort();
	puffs_path_buildhash(pu, &newpath);
	puffs__path_free(pu, &pn->pn_po);
	pn->pn_po = newpath;
	return NULL;
}

int
puffs_path_pcnbuild(struct puffs_usermount *pu, struct puffs_cn *pcn,
    puffs_cookie_t parent)
{
	struct puffs_node *pn_parent = puffs__cmap(pu, parent);
	struct puffs_pathobj comp, tmp;
	int rv;

	if (pn_parent == NULL || pn_parent->pn_po.po_path == NULL)
		return ENOENT;
	memset(&comp, 0, sizeof(comp));
	if (pu->pu_pathtransform != NULL) {
		rv = pu->pu_pathtransform(pu, &pn_parent->pn_po, pcn, &comp);
		if (rv != 0)
			return rv;
	} else {
		comp.po_path = pcn->pcn_name;
		comp.po_len = pcn->pcn_namelen;
	}
	if (pu->pu_namemod != NULL) {
		rv = pu->pu_namemod(pu, &pn_parent->pn_po, pcn);
		if (rv != 0)
			goto out;
		if (pu->pu_pathtransform == NULL)
			comp.po_len = pcn->pcn_namelen;
	}
	rv = puffs__path_build(pu, &pn_parent->pn_po, &comp, 0, &tmp);
	if (rv == 0) {
		puffs_path_buildhash(pu, &tmp);
		pcn->pcn_po_full = tmp;
	}
 out:
	if (pu->pu_pathtransform != NULL)
		puffs__path_free(pu, &comp);
	return rv;
}

/* ------------------------------------------------------------------ */
/* Around the ops                                                     */

/*
 * After lookup, create, mknod, mkdir or symlink: the new node takes the
 * full path built for it (a looked-up node keeps the one it has), and a
 * path nobody took is freed.
 */
void
puffs__path_newnode(struct puffs_usermount *pu, struct puffs_cn *pcn,
    puffs_cookie_t newcookie, int islookup, int error)
{
	struct puffs_node *pn;

	if (error == 0 && newcookie != NULL &&
	    (pn = puffs__cmap(pu, newcookie)) != NULL &&
	    (!islookup || pn->pn_po.po_path == NULL)) {
		puffs__path_free(pu, &pn->pn_po);
		pn->pn_po = pcn->pcn_po_full;
		memset(&pcn->pcn_po_full, 0, sizeof(pcn->pcn_po_full));
		return;
	}
	puffs__path_free(pu, &pcn->pcn_po_full);
}

/* Before rename: the source is the node's own path, the target a new one. */
int
puffs__path_rename_pre(struct puffs_usermount *pu, struct puffs_cn *src,
    puffs_cookie_t srccookie, struct puffs_cn *targ, puffs_cookie_t targdir)
{
	struct puffs_node *pn_src = puffs__cmap(pu, srccookie);

	if (pn_src == NULL)
		return ENOENT;
	src->pcn_po_full = pn_src->pn_po;
	return puffs_path_pcnbuild(pu, targ, targdir);
}

/* After rename: the node and everything below it move to the new path. */
void
puffs__path_rename_post(struct puffs_usermount *pu, struct puffs_cn *src,
    puffs_cookie_t srccookie, struct puffs_cn *targ, int error)
{
	struct puffs_node *pn_src = puffs__cmap(pu, srccookie);
	struct puffs_pathobj po_old;
	struct puffs_pathinfo pi;

	/* The source path object belongs to the node, never to src. */
	memset(&src->pcn_po_full, 0, sizeof(src->pcn_po_full));
	if (error != 0 || pn_src == NULL) {
		puffs__path_free(pu, &targ->pcn_po_full);
		return;
	}
	po_old = pn_src->pn_po;
	pn_src->pn_po = targ->pcn_po_full;
	memset(&targ->pcn_po_full, 0, sizeof(targ->pcn_po_full));
	pi.pi_old = &po_old;
	pi.pi_new = &pn_src->pn_po;
	puffs_pn_nodewalk(pu, puffs_path_prefixadj, &pi);
	puffs__path_free(pu, &po_old);
}
