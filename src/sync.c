/*
 * sync.c: the daemon's timers and threads around sync and suspension:
 * the periodic lazy VFS SYNC (NetBSD's syncer), the flush of a suspension
 * (syncfs on the mountpoint from a worker thread, whose result comes back
 * through a pipe watched by the loop), and the time limit after which a
 * suspension ends by itself.  Called by main.c; installs the pmp_suspendflush and
 * pmp_suspendchg hooks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <event2/event.h>
#include <glib.h>

#include "log.h"
#include "puffsd.h"
#include "vfsops.h"

struct syncer {
	struct puffsd	*sy_pd;
	struct event	*sy_lazyev;	/* periodic MNT_LAZY sync */
	bool		 sy_lazybusy;	/* one lazy sync at a time */
	struct event	*sy_limitev;	/* suspension time limit */
	int		 sy_pipe[2];	/* flush thread -> loop */
	struct event	*sy_pipeev;
	GThread		*sy_thread;
	char		*sy_mntpoint;
};

static void
sync_lazy_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct syncer *sy = arg;

	sy->sy_lazybusy = false;
	error = msg_result(&sy->sy_pd->pd_mount, error, frame, len);
	if (error != 0 && error != ENXIO)
		log_info("lazy sync: %s", g_strerror(error));
}

static void
sync_lazy_tick(evutil_socket_t fd, short what, void *arg)
{
	struct syncer *sy = arg;
	struct puffs_mount *pmp = &sy->sy_pd->pd_mount;

	(void)fd;
	(void)what;
	if (pmp->pmp_status != PUFFSTAT_RUNNING || sy->sy_lazybusy ||
	    pmp->pmp_suspend != SUSPEND_NORMAL)
		return;
	sy->sy_lazybusy = true;
	vfs_sync(pmp, PUFFS_MNT_LAZY, sync_lazy_done, sy);
}

/* The flush thread: push what Linux holds dirty to the server. */
static gpointer
sync_flush_thread(gpointer arg)
{
	struct syncer *sy = arg;
	int fd, error = 0;

	g_atomic_int_set(&sy->sy_pd->pd_mount.pmp_flushpid,
	    (gint)syscall(SYS_gettid));
	fd = open(sy->sy_mntpoint, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 && errno == ENOTDIR)
		fd = open(sy->sy_mntpoint, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || syncfs(fd) == -1)
		error = errno;
	if (fd != -1)
		close(fd);
	if (write(sy->sy_pipe[1], &error, sizeof(error)) != sizeof(error))
		log_warn("flush thread");
	return NULL;
}

static void
sync_flush_join(struct syncer *sy)
{
	if (sy->sy_thread == NULL)
		return;
	g_thread_join(sy->sy_thread);
	sy->sy_thread = NULL;
	g_atomic_int_set(&sy->sy_pd->pd_mount.pmp_flushpid, 0);
}

static void
sync_flush_donecb(evutil_socket_t fd, short what, void *arg)
{
	struct syncer *sy = arg;
	int error;

	(void)what;
	if (read(fd, &error, sizeof(error)) != sizeof(error))
		return;
	sync_flush_join(sy);
	log_debug("suspend flush: %s", error != 0 ? g_strerror(error) : "ok");
	suspend_flushed(&sy->sy_pd->pd_mount, error);
}

/* pmp_suspendflush: drained; flush from a thread (syncfs blocks on us). */
static void
sync_flush(void *arg)
{
	struct puffsd *pd = arg;
	struct syncer *sy = pd->pd_syncer;

	/*
	 * A flush of an abandoned suspension still running reports for
	 * this one; joining it here would block the loop its syncfs needs.
	 */
	if (sy->sy_thread != NULL)
		return;
	sy->sy_thread = g_thread_new("flush", sync_flush_thread, sy);
}

static void
sync_limit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct syncer *sy = arg;
	struct puffs_mount *pmp = &sy->sy_pd->pd_mount;

	(void)fd;
	(void)what;
	log_warnx("%s suspended for %u s: %s", pmp->pmp_mntpoint,
	    sy->sy_pd->pd_suspendlimit, pmp->pmp_suspend == SUSPEND_SUSPENDING
	    ? "giving up" : "resuming");
	if (suspend_abort(pmp, ETIMEDOUT) != 0)
		suspend_resume(pmp);
}

/* pmp_suspendchg: the time limit runs from START to RESUME. */
static void
sync_suspendchg(void *arg, enum suspend_state st, int error)
{
	struct puffsd *pd = arg;
	struct syncer *sy = pd->pd_syncer;
	struct timeval tv = { pd->pd_suspendlimit, 0 };

	if (st == SUSPEND_SUSPENDING && pd->pd_suspendlimit > 0)
		evtimer_add(sy->sy_limitev, &tv);
	else if (st == SUSPEND_NORMAL)
		evtimer_del(sy->sy_limitev);
	control_suspendchg(pd, st, error);
}

void
sync_init(struct puffsd *pd)
{
	struct syncer *sy = g_new0(struct syncer, 1);
	struct timeval tv = { pd->pd_syncinterval, 0 };

	sy->sy_pd = pd;
	sy->sy_mntpoint = g_strdup(pd->pd_mount.pmp_mntpoint);
	if (pipe2(sy->sy_pipe, O_CLOEXEC) == -1)
		fatal("pipe");
	sy->sy_pipeev = event_new(pd->pd_base, sy->sy_pipe[0],
	    EV_READ | EV_PERSIST, sync_flush_donecb, sy);
	sy->sy_limitev = evtimer_new(pd->pd_base, sync_limit_cb, sy);
	sy->sy_lazyev = event_new(pd->pd_base, -1, EV_PERSIST,
	    sync_lazy_tick, sy);
	if (sy->sy_pipeev == NULL || sy->sy_limitev == NULL ||
	    sy->sy_lazyev == NULL || event_add(sy->sy_pipeev, NULL) != 0)
		fatalx("cannot set up the sync timers");
	if (pd->pd_syncinterval > 0 && event_add(sy->sy_lazyev, &tv) != 0)
		fatalx("cannot start the lazy sync timer");
	pd->pd_syncer = sy;
	pd->pd_mount.pmp_suspendflush = sync_flush;
	pd->pd_mount.pmp_suspendchg = sync_suspendchg;
}

/* After fuse_detach: a flush thread still in syncfs has failed by now. */
void
sync_fini(struct puffsd *pd)
{
	struct syncer *sy = pd->pd_syncer;

	if (sy == NULL)
		return;
	pd->pd_mount.pmp_suspendflush = NULL;
	pd->pd_mount.pmp_suspendchg = NULL;
	sync_flush_join(sy);
	event_free(sy->sy_lazyev);
	event_free(sy->sy_limitev);
	event_free(sy->sy_pipeev);
	close(sy->sy_pipe[0]);
	close(sy->sy_pipe[1]);
	g_free(sy->sy_mntpoint);
	g_free(sy);
	pd->pd_syncer = NULL;
}
