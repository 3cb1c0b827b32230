/*
 * cachectl.c: Linux cache control on the server's behalf (see cachectl.h).
 *
 * Linux has no "every name under this directory" notification, so the
 * loop remembers each entry it answered (negative ones included) and turns
 * a name-cache invalidation into one notify_inval_entry per name.  Page
 * cache requests become notify_inval_inode over the page-rounded range.
 *
 * puffs FLUSH_PAGECACHE (write dirty pages back, keep them) has no exact
 * Linux counterpart.  Without the writeback cache, write(2) data is never
 * dirty in Linux; only shared-mmap pages can be.  notify_inval_inode makes
 * the kernel write those back (launder) before dropping them, so it is the
 * closest mechanism: the data reaches the server, the clean copies are
 * lost.  Likewise an INVAL of dirty mmap pages writes them back where
 * NetBSD would discard them.
 *
 * Threads: everything but cc_worker() runs in the event loop.  The worker
 * only sees the jobs (copies) and the fuse session.
 */
#define FUSE_USE_VERSION 314
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <fuse_lowlevel.h>
#include <glib.h>

#include "cachectl.h"
#include "log.h"
#include "msg.h"

#define CC_PAGE		4096
#define CC_STOPWAIT_US	(2 * G_USEC_PER_SEC)
#define CC_RESTRICT_WAIT	1	/* s; see cachectl_restrict */

/* Someone in the loop waiting for a job, with a deadline. */
struct cc_wait {
	void		(*done)(void *);
	void		*arg;
	struct event	*timer;
	int		 refs;		/* the job and the timer */
};

struct cc_ent {
	uint64_t	 parent;
	uint64_t	 child;		/* 0: a negative entry */
	char		*name;
};

struct cc_ino {
	uint64_t	 ino;
	int64_t		 off;	/* -1: attributes only */
	int64_t		 len;	/* 0: to the end */
};

struct cc_job {
	bool		 quit;
	GArray		*ents;		/* struct cc_ent */
	GArray		*inos;		/* struct cc_ino */
	bool		 respond;	/* answer the server's FLUSH */
	bool		 delete;	/* NOREF: the names are gone for good */
	struct cc_wait	*wait;		/* run once the job is done */
	struct puffs_req hdr;
	int		 rv;
};

static struct {
	bool			 started;
	struct puffs_mount	*pmp;
	struct fuse_session	*se;
	struct event_base	*base;
	GHashTable		*dirs;	/* dir nodeid -> (name -> child id) */
	GAsyncQueue		*todo;
	GAsyncQueue		*done;
	GThread			*worker;
	int			 wakefd[2];
	struct event		*wakeev;
	GMutex			 lock;
	GCond			 cond;
	bool			 exited;	/* under lock */
} cc;

static struct cc_job *
cc_job_new(void)
{
	struct cc_job *j = g_new0(struct cc_job, 1);

	j->ents = g_array_new(FALSE, FALSE, sizeof(struct cc_ent));
	j->inos = g_array_new(FALSE, FALSE, sizeof(struct cc_ino));
	return j;
}

static void
cc_wait_unref(struct cc_wait *w)
{
	if (--w->refs == 0) {
		event_free(w->timer);
		g_free(w);
	}
}

/* The job is done: the waiter runs unless its deadline came first. */
static void
cc_wait_fire(struct cc_wait *w)
{
	if (w->done != NULL) {
		w->done(w->arg);
		w->done = NULL;
		evtimer_del(w->timer);
		w->refs--;		/* the timer's: it will not fire now */
	}
	cc_wait_unref(w);
}

static void
cc_wait_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct cc_wait *w = arg;

	(void)fd;
	(void)what;
	log_warnx("cache worker slow to drop names; answering anyway");
	w->done(w->arg);
	w->done = NULL;
	cc_wait_unref(w);
}

static void
cc_job_free(struct cc_job *j)
{
	guint i;

	if (j->wait != NULL)
		cc_wait_fire(j->wait);

	for (i = 0; i < j->ents->len; i++)
		g_free(g_array_index(j->ents, struct cc_ent, i).name);
	g_array_free(j->ents, TRUE);
	g_array_free(j->inos, TRUE);
	g_free(j);
}

static void
cc_job_ent(struct cc_job *j, uint64_t parent, uint64_t child,
    const char *name)
{
	struct cc_ent e = { parent, child, g_strdup(name) };

	g_array_append_val(j->ents, e);
}

static void
cc_job_ino(struct cc_job *j, uint64_t ino, int64_t off, int64_t len)
{
	struct cc_ino i = { ino, off, len };

	g_array_append_val(j->inos, i);
}

/* ---- the worker thread ---- */

/* A notification about something Linux no longer caches is no error. */
static int
cc_notifyrv(int res)
{
	return res == 0 || res == -ENOENT ? 0 : -res;
}

static void
cc_run(struct cc_job *j)
{
	guint i;
	int rv;

	for (i = 0; i < j->ents->len; i++) {
		struct cc_ent *e = &g_array_index(j->ents, struct cc_ent, i);

		/*
		 * notify_delete also makes Linux evict the inode, so that
		 * forget (and RECLAIM) follow; a non-empty directory refuses.
		 */
		rv = ENOTEMPTY;
		if (j->delete && e->child != 0)
			rv = cc_notifyrv(fuse_lowlevel_notify_delete(cc.se,
			    e->parent, e->child, e->name, strlen(e->name)));
		if (rv == ENOTEMPTY)
			rv = cc_notifyrv(fuse_lowlevel_notify_inval_entry(
			    cc.se, e->parent, e->name, strlen(e->name)));
		if (rv != 0 && j->rv == 0)
			j->rv = rv;
	}
	for (i = 0; i < j->inos->len; i++) {
		struct cc_ino *n = &g_array_index(j->inos, struct cc_ino, i);

		rv = cc_notifyrv(fuse_lowlevel_notify_inval_inode(cc.se,
		    n->ino, n->off, n->len));
		if (rv != 0 && j->rv == 0)
			j->rv = rv;
	}
}

static gpointer
cc_worker(gpointer arg)
{
	struct cc_job *j;
	char c = 0;

	(void)arg;
	for (;;) {
		j = g_async_queue_pop(cc.todo);
		if (j->quit) {
			cc_job_free(j);
			break;
		}
		cc_run(j);
		g_async_queue_push(cc.done, j);
		if (write(cc.wakefd[1], &c, 1) == -1 && errno != EAGAIN)
			break;
	}
	g_mutex_lock(&cc.lock);
	cc.exited = true;
	g_cond_signal(&cc.cond);
	g_mutex_unlock(&cc.lock);
	return NULL;
}

/* ---- back in the loop ---- */

static void
cc_wakecb(evutil_socket_t fd, short what, void *arg)
{
	struct cc_job *j;
	char buf[64];

	(void)what;
	(void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		continue;
	while ((j = g_async_queue_try_pop(cc.done)) != NULL) {
		if (j->respond) {
			log_debug("flush op %d done: %s", (int)j->hdr.preq_optype,
			    g_strerror(j->rv));
			msg_respond(cc.pmp, &j->hdr, j->rv);
		}
		cc_job_free(j);
	}
}

static void
cc_submit(struct cc_job *j)
{
	if (!cc.started) {
		cc_job_free(j);
		return;
	}
	g_async_queue_push(cc.todo, j);
}

void
cachectl_start(struct puffs_mount *pmp, struct fuse_session *se,
    struct event_base *base)
{
	int i;

	if (cc.started)
		return;
	cc.pmp = pmp;
	cc.se = se;
	cc.base = base;
	cc.dirs = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	    (GDestroyNotify)g_hash_table_destroy);
	cc.todo = g_async_queue_new();
	cc.done = g_async_queue_new();
	if (pipe(cc.wakefd) == -1)
		fatal("pipe");
	for (i = 0; i < 2; i++)
		if (fcntl(cc.wakefd[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(cc.wakefd[i], F_SETFD, FD_CLOEXEC) == -1)
			fatal("fcntl");
	cc.wakeev = event_new(base, cc.wakefd[0], EV_READ | EV_PERSIST,
	    cc_wakecb, NULL);
	if (cc.wakeev == NULL || event_add(cc.wakeev, NULL) != 0)
		fatalx("cannot watch the cache worker");
	cc.exited = false;
	cc.worker = g_thread_new("cachectl", cc_worker, NULL);
	cc.started = true;
}

/*
 * Stop the worker.  False if it is still inside a notification after a
 * bounded wait (the kernel waits on a request nobody will answer now): the
 * caller must then leave the fuse session alone, the thread still uses it.
 */
bool
cachectl_stop(void)
{
	struct cc_job *j;
	gint64 end;
	bool exited;

	if (!cc.started)
		return true;
	cc.started = false;
	j = cc_job_new();
	j->quit = true;
	g_async_queue_push(cc.todo, j);
	end = g_get_monotonic_time() + CC_STOPWAIT_US;
	g_mutex_lock(&cc.lock);
	while (!cc.exited)
		if (!g_cond_wait_until(&cc.cond, &cc.lock, end))
			break;
	exited = cc.exited;
	g_mutex_unlock(&cc.lock);
	event_free(cc.wakeev);
	cc.wakeev = NULL;
	g_hash_table_destroy(cc.dirs);
	cc.dirs = NULL;
	if (!exited) {
		log_warnx("cache worker stuck in a notification; left behind");
		return false;
	}
	g_thread_join(cc.worker);
	while ((j = g_async_queue_try_pop(cc.done)) != NULL)
		cc_job_free(j);
	while ((j = g_async_queue_try_pop(cc.todo)) != NULL)
		cc_job_free(j);
	g_async_queue_unref(cc.todo);
	g_async_queue_unref(cc.done);
	close(cc.wakefd[0]);
	close(cc.wakefd[1]);
	return true;
}

/* Linux now caches name in dir (child 0: a negative entry). */
void
cachectl_remember(struct puffs_mount *pmp, const struct node *dir,
    const char *name, uint64_t child)
{
	GHashTable *names;
	uint64_t *key, *val;

	(void)pmp;
	if (!cc.started || dir == NULL || name == NULL)
		return;
	names = g_hash_table_lookup(cc.dirs, &dir->n_nodeid);
	if (names == NULL) {
		key = g_new(uint64_t, 1);
		*key = dir->n_nodeid;
		names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		    g_free);
		g_hash_table_insert(cc.dirs, key, names);
	}
	val = g_new(uint64_t, 1);
	*val = child;
	g_hash_table_replace(names, g_strdup(name), val);
}

/*
 * Move the remembered names of one directory (dirid != 0) or of every
 * directory into j, keeping only those naming child when child != 0.
 */
static void
cc_collect(struct cc_job *j, uint64_t dirid, uint64_t child)
{
	GHashTableIter di, ni;
	gpointer dk, dv, nk, nv;

	g_hash_table_iter_init(&di, cc.dirs);
	while (g_hash_table_iter_next(&di, &dk, &dv)) {
		if (dirid != 0 && *(uint64_t *)dk != dirid)
			continue;
		g_hash_table_iter_init(&ni, dv);
		while (g_hash_table_iter_next(&ni, &nk, &nv)) {
			if (child != 0 && *(uint64_t *)nv != child)
				continue;
			cc_job_ent(j, *(uint64_t *)dk, *(uint64_t *)nv, nk);
			g_hash_table_iter_remove(&ni);
		}
	}
}

/* The server no longer references n (NOREF): make Linux forget it. */
void
cachectl_drop(struct puffs_mount *pmp, const struct node *n)
{
	struct cc_job *j;

	(void)pmp;
	if (!cc.started || n->n_root)
		return;
	j = cc_job_new();
	j->delete = true;
	cc_collect(j, 0, n->n_nodeid);
	cc_job_ino(j, n->n_nodeid, 0, 0);
	cc_submit(j);
}

/*
 * Directory dir no longer grants search to everyone (vnops.c): make Linux
 * drop the names it cached in it, before the change is answered, or a
 * walk right after it would still pass.  Those names need dir's own lock,
 * which the chmod being answered holds; so first dir's own names go (that
 * needs only its parent's lock, and prunes the unused part of the
 * subtree), then done(arg) runs, then the names in dir go (in-use ones
 * survive the pruning).  done runs in the loop, once: after the first
 * step, or after CC_RESTRICT_WAIT seconds if that step is stuck (the
 * parent's lock held by an rmdir of dir waiting for that very chmod).
 */
void
cachectl_restrict(struct puffs_mount *pmp, const struct node *dir,
    void (*done)(void *), void *arg)
{
	struct timeval tv = { CC_RESTRICT_WAIT, 0 };
	struct cc_job *j, *jin;
	struct cc_wait *w;

	(void)pmp;
	if (!cc.started) {
		if (done != NULL)
			done(arg);
		return;
	}
	j = cc_job_new();
	cc_collect(j, 0, dir->n_nodeid);
	jin = cc_job_new();
	cc_collect(jin, dir->n_nodeid, 0);
	if (done != NULL && j->ents->len > 0) {
		w = g_new0(struct cc_wait, 1);
		w->done = done;
		w->arg = arg;
		w->refs = 2;
		w->timer = evtimer_new(cc.base, cc_wait_timeout, w);
		if (w->timer == NULL)
			fatalx("cannot make a timer");
		evtimer_add(w->timer, &tv);
		j->wait = w;
		done = NULL;
	}
	if (j->ents->len > 0)
		cc_submit(j);
	else
		cc_job_free(j);
	if (done != NULL)
		done(arg);
	if (jin->ents->len > 0)
		cc_submit(jin);
	else
		cc_job_free(jin);
}

/*
 * [start, end) as notify_inval_inode's offset and length: pages, end 0 to
 * the end of the file.  EINVAL for a negative or empty range.
 */
int
cachectl_range(int64_t start, int64_t end, int64_t *off, int64_t *len)
{
	if (start < 0 || end < 0 || (end != 0 && end <= start))
		return EINVAL;
	*off = start - start % CC_PAGE;
	if (end == 0)
		*len = 0;
	else
		*len = ((end + CC_PAGE - 1) / CC_PAGE) * CC_PAGE - *off;
	return 0;
}

/* A node the FLUSH frame names, of the type the op needs. */
static int
cc_flushnode(struct puffs_mount *pmp, uint64_t cookie, uint32_t vtype,
    struct node **np)
{
	*np = nodetab_bycookie(pmp->pmp_nodetab, cookie);
	if (*np == NULL)
		return ENOENT;
	if ((*np)->n_vtype != vtype)
		return EINVAL;
	return 0;
}

/*
 * A PUFFSOP_FLUSH frame from the server: 0 when a job will answer it, or
 * the errno to answer now (NetBSD's EINVAL/ENOENT rules).
 */
int
cachectl_flush(struct puffs_mount *pmp, const struct puffs_flush *pf)
{
	struct cc_job *j;
	struct node *n = NULL;
	int64_t off, len;
	int error = 0;

	if (!cc.started)
		return ENXIO;
	j = cc_job_new();
	switch (pf->pf_op) {
	case PUFFS_INVAL_NAMECACHE_DIR:
		if ((error = cc_flushnode(pmp, pf->pf_cookie, PUFFS_VDIR,
		    &n)) == 0) {
			cc_collect(j, n->n_nodeid, 0);
			cc_job_ino(j, n->n_nodeid, -1, 0);
		}
		break;
	case PUFFS_INVAL_NAMECACHE_NODE:
		if ((n = nodetab_bycookie(pmp->pmp_nodetab,
		    pf->pf_cookie)) == NULL)
			error = ENOENT;
		else
			cc_collect(j, 0, n->n_nodeid);
		break;
	case PUFFS_INVAL_NAMECACHE_ALL:
		cc_collect(j, 0, 0);
		break;
	case PUFFS_INVAL_PAGECACHE_NODE_RANGE:
	case PUFFS_FLUSH_PAGECACHE_NODE_RANGE:
		if ((error = cc_flushnode(pmp, pf->pf_cookie, PUFFS_VREG,
		    &n)) == 0 && (error = cachectl_range(pf->pf_start,
		    pf->pf_end, &off, &len)) == 0)
			cc_job_ino(j, n->n_nodeid, off, len);
		break;
	default:
		error = EINVAL;
		break;
	}
	if (error != 0) {
		cc_job_free(j);
		return error;
	}
	j->respond = PUFFSOP_WANTREPLY(pf->pf_req.preq_opclass);
	j->hdr = pf->pf_req;
	cc_submit(j);
	return 0;
}

/* ---- cache lifetimes for the entries and attributes Linux keeps ---- */

#define CC_ENTRY_TIMEOUT	60.0	/* NetBSD keeps names until told */

static double
cc_ts(const struct puffs_ktimespec *ts)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return 0.0;
	return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

/*
 * How long Linux may keep a name: not at all with NOCACHE_NAME, the
 * server's cn_ttl with CACHE_FS_TTL (ttl may be NULL: none given), else
 * until invalidated (a long timeout).
 */
double
cachectl_entry_ttl(const struct puffs_mount *pmp,
    const struct puffs_ktimespec *ttl)
{
	uint32_t fl = pmp->pmp_args.pa_flags;

	if (fl & PUFFS_KFLAG_NOCACHE_NAME)
		return 0.0;
	if (fl & PUFFS_KFLAG_CACHE_FS_TTL)
		return ttl != NULL ? cc_ts(ttl) : 0.0;
	return CC_ENTRY_TIMEOUT;
}

/* Attributes: NetBSD has no attribute cache unless CACHE_FS_TTL. */
double
cachectl_attr_ttl(const struct puffs_mount *pmp,
    const struct puffs_ktimespec *ttl)
{
	if ((pmp->pmp_args.pa_flags & PUFFS_KFLAG_CACHE_FS_TTL) && ttl != NULL)
		return cc_ts(ttl);
	return 0.0;
}

/*
 * A LOOKUP said ENOENT: may Linux remember that?  NetBSD keeps negative
 * entries unless NOCACHE_NAME or CACHE_FS_TTL.
 */
bool
cachectl_negative(const struct puffs_mount *pmp)
{
	return (pmp->pmp_args.pa_flags &
	    (PUFFS_KFLAG_NOCACHE_NAME | PUFFS_KFLAG_CACHE_FS_TTL)) == 0;
}
