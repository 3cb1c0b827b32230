/*
 * vnlock.c: per-node reader/writer locks (see vnlock.h).  A lock exists
 * only while held or waited for; keys are FUSE node ids.
 */
#include <glib.h>

#include "vnlock.h"

struct vnwait {
	enum vnlock_mode	 w_mode;
	vnlock_fn		 w_fn;
	void			*w_arg;
};

struct vnlock {
	uint64_t	 l_key;
	unsigned int	 l_readers;
	bool		 l_writer;
	GQueue		 l_waiters;	/* struct vnwait, FIFO */
};

struct vnlocks {
	GHashTable	*ls_locks;	/* uint64 key -> struct vnlock */
};

struct vnlocks *
vnlock_new(void)
{
	struct vnlocks *ls = g_new0(struct vnlocks, 1);

	ls->ls_locks = g_hash_table_new_full(g_int64_hash, g_int64_equal,
	    NULL, g_free);
	return ls;
}

void
vnlock_free(struct vnlocks *ls)
{
	GHashTableIter it;
	gpointer k, v;

	if (ls == NULL)
		return;
	g_hash_table_iter_init(&it, ls->ls_locks);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_queue_clear_full(&((struct vnlock *)v)->l_waiters, g_free);
	g_hash_table_destroy(ls->ls_locks);
	g_free(ls);
}

static struct vnlock *
vnlock_get(struct vnlocks *ls, uint64_t key)
{
	struct vnlock *l = g_hash_table_lookup(ls->ls_locks, &key);

	if (l == NULL) {
		l = g_new0(struct vnlock, 1);
		l->l_key = key;
		g_queue_init(&l->l_waiters);
		g_hash_table_insert(ls->ls_locks, &l->l_key, l);
	}
	return l;
}

static bool
vnlock_free_for(const struct vnlock *l, enum vnlock_mode mode)
{
	if (l->l_writer)
		return false;
	return mode == VNLOCK_SHARED || l->l_readers == 0;
}

static void
vnlock_take(struct vnlock *l, enum vnlock_mode mode)
{
	if (mode == VNLOCK_EXCL)
		l->l_writer = true;
	else
		l->l_readers++;
}

/* Call fn(arg) once the lock is ours: now, or from a later release. */
void
vnlock_acquire(struct vnlocks *ls, uint64_t key, enum vnlock_mode mode,
    vnlock_fn fn, void *arg)
{
	struct vnlock *l = vnlock_get(ls, key);
	struct vnwait *w;

	if (g_queue_is_empty(&l->l_waiters) && vnlock_free_for(l, mode)) {
		vnlock_take(l, mode);
		fn(arg);
		return;
	}
	w = g_new0(struct vnwait, 1);
	w->w_mode = mode;
	w->w_fn = fn;
	w->w_arg = arg;
	g_queue_push_tail(&l->l_waiters, w);
}

/*
 * Drop a hold and grant what can go next, in order: one writer, or every
 * reader up to the next writer.  State is settled before any callback
 * runs, so callbacks may acquire and release again.
 */
void
vnlock_release(struct vnlocks *ls, uint64_t key, enum vnlock_mode mode)
{
	struct vnlock *l = g_hash_table_lookup(ls->ls_locks, &key);
	struct vnwait *w;
	GSList *granted = NULL, *g;

	g_assert(l != NULL);
	if (mode == VNLOCK_EXCL) {
		g_assert(l->l_writer);
		l->l_writer = false;
	} else {
		g_assert(l->l_readers > 0);
		l->l_readers--;
	}
	while ((w = g_queue_peek_head(&l->l_waiters)) != NULL &&
	    vnlock_free_for(l, w->w_mode)) {
		g_queue_pop_head(&l->l_waiters);
		vnlock_take(l, w->w_mode);
		granted = g_slist_prepend(granted, w);
	}
	if (!l->l_writer && l->l_readers == 0 &&
	    g_queue_is_empty(&l->l_waiters))
		g_hash_table_remove(ls->ls_locks, &key);
	granted = g_slist_reverse(granted);
	for (g = granted; g != NULL; g = g->next) {
		w = g->data;
		w->w_fn(w->w_arg);
		g_free(w);
	}
	g_slist_free(granted);
}

/* Withdraw arg's wait on key (an interrupted op).  True if it waited. */
bool
vnlock_cancel(struct vnlocks *ls, uint64_t key, void *arg)
{
	struct vnlock *l = g_hash_table_lookup(ls->ls_locks, &key);
	GList *e;

	if (l == NULL)
		return false;
	for (e = l->l_waiters.head; e != NULL; e = e->next) {
		struct vnwait *w = e->data;

		if (w->w_arg != arg)
			continue;
		g_queue_delete_link(&l->l_waiters, e);
		g_free(w);
		/* Readers queued behind a cancelled writer may go now. */
		if (!l->l_writer) {
			vnlock_take(l, VNLOCK_SHARED);
			vnlock_release(ls, key, VNLOCK_SHARED);
		}
		return true;
	}
	return false;
}

/* Locks held or waited for (for the tests and leak checks). */
unsigned int
vnlock_count(struct vnlocks *ls)
{
	return g_hash_table_size(ls->ls_locks);
}

/* Two nodes are locked lower id first: true if a goes before b. */
bool
vnlock_order(uint64_t a, uint64_t b)
{
	return a < b;
}
