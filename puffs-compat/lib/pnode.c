/*
 * pnode.c: struct puffs_node, the library's node cookies: allocation, the
 * mount's node list, accessors, and the cookie-to-node map the dispatcher
 * uses for lookup-count bookkeeping.  Called by servers and the library.
 */
#include <stdlib.h>

#include "puffs_priv.h"

struct puffs_node *
puffs_pn_new(struct puffs_usermount *pu, void *priv)
{
	struct puffs_node *pn;

	pn = calloc(1, sizeof(*pn));
	if (pn == NULL)
		return NULL;
	pn->pn_data = priv;
	pn->pn_mnt = pu;
	puffs_vattr_null(&pn->pn_va);
	LIST_INIT(&pn->pn_cacheinfo);
	LIST_INSERT_HEAD(&pu->pu_pnodelst, pn, pn_entries);
	/* From now on cookies are nodes: count lookups for reclaim. */
	pu->pu_flags |= PUFFS_FLAG_PNCOOKIE;
	return pn;
}

void
puffs_pn_remove(struct puffs_node *pn)
{
	if (pn->pn_flags & PUFFS_NODE_REMOVED)
		return;
	LIST_REMOVE(pn, pn_entries);
	pn->pn_flags |= PUFFS_NODE_REMOVED;
}

void
puffs_pn_put(struct puffs_node *pn)
{
	struct puffs_usermount *pu = pn->pn_mnt;

	/* The path object goes back through the server's pathfree. */
	puffs__path_free(pu, &pn->pn_po);
	puffs__null_forget(pn);
	puffs_pn_remove(pn);
	if (pu->pu_pn_root == pn)
		pu->pu_pn_root = NULL;
	free(pn);
}

void *
puffs_pn_nodewalk(struct puffs_usermount *pu, puffs_nodewalk_fn fn,
    void *arg)
{
	struct puffs_node *pn, *next;
	void *rv;

	/* The next node is fetched first: fn may free the current one. */
	for (pn = LIST_FIRST(&pu->pu_pnodelst); pn != NULL; pn = next) {
		next = LIST_NEXT(pn, pn_entries);
		rv = fn(pu, pn, arg);
		if (rv != NULL)
			return rv;
	}
	return NULL;
}

struct vattr *
puffs_pn_getvap(struct puffs_node *pn)
{
	return &pn->pn_va;
}

void *
puffs_pn_getpriv(struct puffs_node *pn)
{
	return pn->pn_data;
}

void
puffs_pn_setpriv(struct puffs_node *pn, void *priv)
{
	pn->pn_data = priv;
}

struct puffs_pathobj *
puffs_pn_getpo(struct puffs_node *pn)
{
	return &pn->pn_po;
}

struct puffs_usermount *
puffs_pn_getmnt(struct puffs_node *pn)
{
	return pn->pn_mnt;
}

void *
puffs_pn_getmntspecific(struct puffs_node *pn)
{
	return puffs_getspecific(pn->pn_mnt);
}

/* The node behind a cookie: the server's map if it set one. */
struct puffs_node *
puffs__cmap(struct puffs_usermount *pu, puffs_cookie_t cookie)
{
	if (pu->pu_cmap != NULL)
		return pu->pu_cmap(pu, cookie);
	return cookie;
}
