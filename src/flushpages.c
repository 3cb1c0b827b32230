/*
 * flushpages.c: the kernel's dirty pages of the mount reach the server
 * before puffsd unmounts on its own (puffsctl unmount, a signal, the
 * server's puffs_exit).  Stores through a shared mapping that nobody
 * msync'd live only in the page cache; after puffsd's lazy detach the
 * connection is gone and they could never be written.  syncfs(2) on the
 * mount writes them, but it returns only once puffsd has served the
 * WRITEs it causes, so it runs in a thread of its own and the event loop
 * learns of its end through a pipe.  A stalled server stalls the flush;
 * the unmount's own deadline in main.c still bounds it.  When the user
 * unmounted (umount(2)), Linux has already written the pages back and
 * main.c does not call this.  Called by main.c only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <event2/event.h>
#include <glib.h>

#include "flushpages.h"
#include "log.h"
#include "puffsd.h"

struct flushjob {		/* the thread's, freed by it */
	char		*fj_mnt;
	int		 fj_wfd;
};

static struct event	*flush_ev;	/* waiting for the thread */
static int		 flush_rfd = -1;
static flushpages_done_fn flush_done;
static struct puffsd	*flush_pd;

static gpointer
flush_thread(gpointer arg)
{
	struct flushjob *fj = arg;
	int fd, error = 0;

	fd = open(fj->fj_mnt, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1 || syncfs(fd) == -1)
		error = errno;
	if (fd != -1)
		close(fd);
	if (write(fj->fj_wfd, &error, sizeof(error)) != sizeof(error))
		error = errno;	/* puffsd gave up waiting: nobody to tell */
	close(fj->fj_wfd);
	g_free(fj->fj_mnt);
	g_free(fj);
	return NULL;
}

static void
flush_cleanup(void)
{
	if (flush_ev != NULL)
		event_free(flush_ev);
	flush_ev = NULL;
	if (flush_rfd != -1)
		close(flush_rfd);
	flush_rfd = -1;
}

static void
flush_readcb(evutil_socket_t fd, short what, void *arg)
{
	flushpages_done_fn done = flush_done;
	int error = EIO;

	(void)what;
	(void)arg;
	if (read(fd, &error, sizeof(error)) != sizeof(error))
		error = EIO;
	flush_cleanup();
	if (error != 0)
		log_info("flushing the mount's dirty pages: %s",
		    g_strerror(error));
	done(flush_pd);
}

/* Write the kernel's dirty pages of the mount, then call done. */
void
flushpages_start(struct puffsd *pd, flushpages_done_fn done)
{
	struct flushjob *fj;
	GThread *t;
	int p[2];

	if (flush_ev != NULL || pipe2(p, O_CLOEXEC) == -1) {
		log_warn("cannot flush the mount's dirty pages");
		done(pd);
		return;
	}
	flush_rfd = p[0];
	flush_done = done;
	flush_pd = pd;
	flush_ev = event_new(pd->pd_base, flush_rfd, EV_READ, flush_readcb,
	    NULL);
	if (flush_ev == NULL || event_add(flush_ev, NULL) != 0)
		fatalx("cannot watch the page flush");
	fj = g_new0(struct flushjob, 1);
	fj->fj_mnt = g_strdup(pd->pd_mount.pmp_mntpoint);
	fj->fj_wfd = p[1];
	t = g_thread_new("flushpages", flush_thread, fj);
	g_thread_unref(t);
}

/* puffsd is leaving: stop waiting for a flush still running. */
void
flushpages_cancel(void)
{
	flush_cleanup();
}
