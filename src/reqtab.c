/*
 * reqtab.c: outstanding puffs requests, keyed by the id puffsd put in
 * preq_id.  Ids start at 1, only grow, and never have bit 63 set (that bit
 * is the server's).  Used by msg.c and the unit tests.
 */
#include <glib.h>

#include <puffs-bridge/puffs_msgif.h>

#include "reqtab.h"

struct reqtab {
	GHashTable	*rt_ents;	/* uint64 id -> struct reqent */
	uint64_t	 rt_nextid;
};

struct reqtab *
reqtab_new(void)
{
	struct reqtab *rt = g_new0(struct reqtab, 1);

	rt->rt_ents = g_hash_table_new_full(g_int64_hash, g_int64_equal,
	    NULL, g_free);
	rt->rt_nextid = 1;
	return rt;
}

/* Callers fail everything first; what is left is dropped unanswered. */
void
reqtab_free(struct reqtab *rt)
{
	if (rt == NULL)
		return;
	g_hash_table_destroy(rt->rt_ents);
	g_free(rt);
}

/* Register a completion; returns the id to put in preq_id. */
uint64_t
reqtab_add(struct reqtab *rt, uint16_t opclass, uint16_t optype,
    uint64_t buflen, msg_done_fn done, void *arg)
{
	struct reqent *re = g_new0(struct reqent, 1);

	if (rt->rt_nextid & PUFFS_SRVREQ_IDBIT)
		g_error("request ids exhausted");
	re->re_id = rt->rt_nextid++;
	re->re_opclass = opclass;
	re->re_optype = optype;
	re->re_buflen = buflen;
	re->re_start = g_get_monotonic_time();
	re->re_done = done;
	re->re_arg = arg;
	re->re_start = g_get_monotonic_time();
	g_hash_table_insert(rt->rt_ents, &re->re_id, re);
	return re->re_id;
}

/* Remove and return the entry for id (caller g_free()s it), or NULL. */
struct reqent *
reqtab_take(struct reqtab *rt, uint64_t id)
{
	struct reqent *re;

	re = g_hash_table_lookup(rt->rt_ents, &id);
	if (re != NULL)
		g_hash_table_steal(rt->rt_ents, &id);
	return re;
}

/* The entry whose completion argument is arg (left in the table), or NULL. */
struct reqent *
reqtab_byarg(struct reqtab *rt, const void *arg)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, rt->rt_ents);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (((struct reqent *)v)->re_arg == arg)
			return v;
	return NULL;
}

unsigned int
reqtab_count(struct reqtab *rt)
{
	return g_hash_table_size(rt->rt_ents);
}

static gint
reqtab_cmp(gconstpointer a, gconstpointer b)
{
	const struct reqent *ra = a, *rb = b;

	return ra->re_id < rb->re_id ? -1 : ra->re_id > rb->re_id;
}

/*
 * Complete every entry with error, oldest first.  Completions may add new
 * requests (they fail at once while the mount is dying), so loop until the
 * table stays empty.
 */
void
reqtab_fail_all(struct reqtab *rt, int error)
{
	GList *all, *l;

	while (g_hash_table_size(rt->rt_ents) > 0) {
		all = g_hash_table_get_values(rt->rt_ents);
		g_hash_table_steal_all(rt->rt_ents);
		all = g_list_sort(all, reqtab_cmp);
		for (l = all; l != NULL; l = l->next) {
			struct reqent *re = l->data;

			re->re_done(re->re_arg, error, NULL, 0);
			g_free(re);
		}
		g_list_free(all);
	}
}

static gboolean
reqtab_older(gpointer key, gpointer value, gpointer arg)
{
	const struct reqent *re = value;

	(void)key;
	return re->re_start < *(const int64_t *)arg;
}

/*
 * Complete with error every entry added before cutoff (monotonic
 * microseconds), oldest first; a reply that comes later finds no entry
 * and is dropped.  Returns how many expired.
 */
unsigned int
reqtab_expire(struct reqtab *rt, int64_t cutoff, int error)
{
	GHashTableIter it;
	gpointer key, value;
	GList *old = NULL, *l;
	unsigned int n = 0;

	g_hash_table_iter_init(&it, rt->rt_ents);
	while (g_hash_table_iter_next(&it, &key, &value))
		if (reqtab_older(key, value, &cutoff)) {
			old = g_list_prepend(old, value);
			g_hash_table_iter_steal(&it);
		}
	old = g_list_sort(old, reqtab_cmp);
	for (l = old; l != NULL; l = l->next) {
		struct reqent *re = l->data;

		re->re_done(re->re_arg, error, NULL, 0);
		g_free(re);
		n++;
	}
	g_list_free(old);
	return n;
}
