/*
 * stats.c: per-op request counts and latencies (see stats.h).  Keyed by
 * (opclass << 16 | optype); printed in op order by stats_print.
 */
#include <glib.h>

#include "frame.h"
#include "stats.h"

struct stats {
	GHashTable	*st_ops;	/* uint key -> struct stats_op */
};

struct stats *
stats_new(void)
{
	struct stats *st = g_new0(struct stats, 1);

	st->st_ops = g_hash_table_new_full(g_direct_hash, g_direct_equal,
	    NULL, g_free);
	return st;
}

void
stats_free(struct stats *st)
{
	if (st == NULL)
		return;
	g_hash_table_destroy(st->st_ops);
	g_free(st);
}

static struct stats_op *
stats_get(struct stats *st, uint16_t opclass, uint16_t optype)
{
	guint key = (guint)PUFFSOP_OPCLASS(opclass) << 16 | optype;
	struct stats_op *so;

	so = g_hash_table_lookup(st->st_ops, GUINT_TO_POINTER(key));
	if (so == NULL) {
		so = g_new0(struct stats_op, 1);
		g_hash_table_insert(st->st_ops, GUINT_TO_POINTER(key), so);
	}
	return so;
}

void
stats_sent(struct stats *st, uint16_t opclass, uint16_t optype)
{
	if (st != NULL)
		stats_get(st, opclass, optype)->so_count++;
}

/* A request ended: start is its g_get_monotonic_time(), error its result. */
void
stats_done(struct stats *st, uint16_t opclass, uint16_t optype,
    int64_t start, int error)
{
	struct stats_op *so;
	int64_t us;

	if (st == NULL)
		return;
	so = stats_get(st, opclass, optype);
	us = g_get_monotonic_time() - start;
	if (us < 0)
		us = 0;
	so->so_replies++;
	so->so_total_us += us;
	if ((uint64_t)us > so->so_max_us)
		so->so_max_us = us;
	if (error != 0)
		so->so_errors++;
}

static gint
stats_cmp(gconstpointer a, gconstpointer b)
{
	guint ka = GPOINTER_TO_UINT(a), kb = GPOINTER_TO_UINT(b);

	return ka < kb ? -1 : ka > kb;
}

/* One line per op: name, sent, replies, errors, mean and max latency. */
void
stats_print(struct stats *st, GString *out)
{
	GList *keys, *l;

	g_string_append_printf(out, "  %-14s %10s %10s %8s %10s %10s\n",
	    "op", "sent", "replies", "errors", "mean_us", "max_us");
	keys = g_list_sort(g_hash_table_get_keys(st->st_ops), stats_cmp);
	for (l = keys; l != NULL; l = l->next) {
		guint key = GPOINTER_TO_UINT(l->data);
		struct stats_op *so = g_hash_table_lookup(st->st_ops, l->data);

		g_string_append_printf(out, "  %-14s %10" G_GUINT64_FORMAT
		    " %10" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT " %10"
		    G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "\n",
		    frame_opname(key >> 16, key & 0xffff), so->so_count,
		    so->so_replies, so->so_errors, so->so_replies > 0 ?
		    so->so_total_us / so->so_replies : 0, so->so_max_us);
	}
	g_list_free(keys);
}
