/*
 * nodetab.c: cookie <-> node id mapping with lookup counts (see nodetab.h).
 * Pure bookkeeping: deciding to send RECLAIM is the caller's job, this
 * file only says when a node has become reclaimable.  Used by the vnops
 * and the unit tests.
 */
#include <glib.h>

#include "nodetab.h"

struct nodetab {
	GHashTable	*nt_byid;	/* uint64 nodeid -> node */
	GHashTable	*nt_bycookie;	/* uint64 cookie -> node */
	uint64_t	 nt_nextid;
	struct node	*nt_root;
};

static struct node *
nodetab_insert(struct nodetab *nt, uint64_t nodeid, uint64_t cookie,
    uint32_t vtype)
{
	struct node *n = g_new0(struct node, 1);

	n->n_nodeid = nodeid;
	n->n_cookie = cookie;
	n->n_vtype = vtype;
	g_hash_table_insert(nt->nt_byid, &n->n_nodeid, n);
	g_hash_table_insert(nt->nt_bycookie, &n->n_cookie, n);
	return n;
}

struct nodetab *
nodetab_new(uint64_t rootcookie, uint32_t rootvtype)
{
	struct nodetab *nt = g_new0(struct nodetab, 1);

	nt->nt_byid = g_hash_table_new_full(g_int64_hash, g_int64_equal,
	    NULL, g_free);
	nt->nt_bycookie = g_hash_table_new(g_int64_hash, g_int64_equal);
	nt->nt_root = nodetab_insert(nt, NODETAB_ROOTID, rootcookie,
	    rootvtype);
	nt->nt_root->n_root = true;
	nt->nt_nextid = NODETAB_ROOTID + 1;
	return nt;
}

void
nodetab_free(struct nodetab *nt)
{
	if (nt == NULL)
		return;
	g_hash_table_destroy(nt->nt_bycookie);
	g_hash_table_destroy(nt->nt_byid);
	g_free(nt);
}

struct node *
nodetab_root(struct nodetab *nt)
{
	return nt->nt_root;
}

struct node *
nodetab_byid(struct nodetab *nt, uint64_t nodeid)
{
	return g_hash_table_lookup(nt->nt_byid, &nodeid);
}

struct node *
nodetab_bycookie(struct nodetab *nt, uint64_t cookie)
{
	return g_hash_table_lookup(nt->nt_bycookie, &cookie);
}

/*
 * The server handed out cookie: count it on the live node, or make a node
 * with a fresh id (a retired cookie that comes back is a new node to Linux).
 */
struct node *
nodetab_enter(struct nodetab *nt, uint64_t cookie, uint32_t vtype)
{
	struct node *n;

	n = nodetab_bycookie(nt, cookie);
	if (n == NULL)
		n = nodetab_insert(nt, nt->nt_nextid++, cookie, vtype);
	n->n_puffs_nlookup++;
	return n;
}

void
nodetab_hold(struct node *n)
{
	n->n_busy++;
	n->n_used = true;
}

/* No FUSE entry, nothing in flight: RECLAIM may go (never the root). */
bool
nodetab_idle(const struct node *n)
{
	return !n->n_root && n->n_busy == 0 && n->n_fuse_nlookup == 0;
}

/* Drop a hold; true if the node just became reclaimable. */
bool
nodetab_rele(struct node *n)
{
	g_assert(n->n_busy > 0);
	n->n_busy--;
	return nodetab_idle(n);
}

/* Linux forgot count entries; true if the node just became reclaimable. */
bool
nodetab_forget(struct node *n, uint64_t count)
{
	if (count > n->n_fuse_nlookup)
		count = n->n_fuse_nlookup;
	n->n_fuse_nlookup -= count;
	return nodetab_idle(n);
}

/* Forget the node; its id is never handed out again. */
void
nodetab_retire(struct nodetab *nt, struct node *n)
{
	g_assert(!n->n_root);
	g_hash_table_remove(nt->nt_bycookie, &n->n_cookie);
	g_hash_table_remove(nt->nt_byid, &n->n_nodeid);
}

unsigned int
nodetab_count(struct nodetab *nt)
{
	return g_hash_table_size(nt->nt_byid);
}
