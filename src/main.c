/*
 * main.c: puffsd's entry point.  Options, the two ways in (daemon first:
 * start the server on a socketpair; server first: --comfd from libpuffs),
 * the attach, the event loop, signals, and the ways out: the user
 * unmounted, a signal, the server's puffs_exit, or the server's death.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>
#include <glib.h>

#include "detach.h"
#include "flushpages.h"
#include "log.h"
#include "notify.h"
#include "peer.h"
#include "puffsd.h"
#include "timeout.h"
#include "vfsops.h"

#define PUFFSD_UNMOUNT_WAIT	10	/* seconds for SYNC + UNMOUNT */
#define PUFFSD_CHILD_WAIT	50	/* x 100 ms for the server to exit */
#define PUFFSD_SYNC_INTERVAL	30	/* s between lazy syncs, as NetBSD */
#define PUFFSD_SUSPEND_LIMIT	60	/* s before a suspension ends */
/*
 * READ and WRITE buffers of up to 1 MiB come and go with every request.
 * Left to glibc's defaults they were fresh mmaps (or a heap trimmed back
 * each time) whose page faults cost more than the copies themselves:
 * keep them in the heap for reuse (bench/RESULTS.md, lever 1).
 */
#define PUFFSD_MMAP_THRESHOLD	(4 * 1024 * 1024)
#define PUFFSD_TRIM_THRESHOLD	(16 * 1024 * 1024)

static void puffsd_finish(struct puffsd *, int);

static gboolean puffsd_background;	/* -b: detach once mounted */

/* Daemon first: the server on the other end of a socketpair. */
static pid_t
puffsd_spawn(char **argv, int *fdp)
{
	char fdstr[16];
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		fatal("socketpair");
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0) {
		detach_child();
		if (fcntl(sv[1], F_SETFD, 0) == -1)
			_exit(127);
		snprintf(fdstr, sizeof(fdstr), "%d", sv[1]);
		setenv(PUFFS_COMFD_ENV, fdstr, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "puffsd: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	*fdp = sv[0];
	return pid;
}

/* Reap children; the server's exit is logged, not acted on (EOF is). */
static void
puffsd_reap(struct puffsd *pd, bool block)
{
	int status, i;
	pid_t pid;

	for (i = 0; pd->pd_child > 0; i++) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0 && block && i < PUFFSD_CHILD_WAIT) {
			g_usleep(100 * 1000);
			continue;
		}
		if (pid <= 0)
			break;
		if (pid != pd->pd_child)
			continue;
		if (WIFEXITED(status))
			pd->pd_srvstatus = WEXITSTATUS(status);
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			log_warnx("server exited with status %d",
			    WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			log_warnx("server killed by signal %d",
			    WTERMSIG(status));
		else
			log_debug("server exited");
		pd->pd_child = 0;
	}
}

static void
puffsd_unmount_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct puffsd *pd = arg;

	error = msg_result(&pd->pd_mount, error, frame, len);
	if (pd->pd_phase != PHASE_UNMOUNTING)
		return;
	if (error == 0 || pd->pd_force || !pd->pd_mounted) {
		if (error != 0)
			log_info("server answered UNMOUNT with %s; "
			    "unmounting anyway", g_strerror(error));
		puffsd_finish(pd, 0);
		return;
	}
	log_warnx("server refused to unmount: %s (%s)", g_strerror(error),
	    pd->pd_byctl ? "puffsctl unmount -f forces" :
	    "signal again to force");
	evtimer_del(pd->pd_timer);
	pd->pd_phase = PHASE_SERVING;
	pd->pd_force = !pd->pd_byctl;
	control_unmounted(pd, error, "the server refused to unmount");
}

static void
puffsd_sync_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct puffsd *pd = arg;

	error = msg_result(&pd->pd_mount, error, frame, len);
	if (pd->pd_phase != PHASE_UNMOUNTING)
		return;
	if (error != 0)
		log_info("server answered SYNC with %s", g_strerror(error));
	vfs_unmount(&pd->pd_mount, pd->pd_force ? PUFFS_MNT_FORCE : 0,
	    puffsd_unmount_done, pd);
}

static void
puffsd_handshake(struct puffsd *pd)
{
	if (pd->pd_phase == PHASE_UNMOUNTING)
		vfs_sync(&pd->pd_mount, PUFFS_MNT_WAIT, puffsd_sync_done, pd);
}

/*
 * The unmount handshake: SYNC(MNT_WAIT), then UNMOUNT, bounded in time.
 * With flush, the kernel's dirty pages are written first (the mount is
 * still there: puffsctl, a signal, the server's exit).
 */
static void
puffsd_unmount(struct puffsd *pd, const char *why, bool flush)
{
	struct timeval tv = { PUFFSD_UNMOUNT_WAIT, 0 };

	if (pd->pd_phase != PHASE_SERVING)
		return;
	if (pd->pd_mount.pmp_status != PUFFSTAT_RUNNING) {
		puffsd_finish(pd, 1);
		return;
	}
	log_info("unmounting %s: %s", pd->pd_mount.pmp_mntpoint, why);
	/* A suspended mount resumes first, NetBSD refused instead. */
	if (pd->pd_mount.pmp_suspend != SUSPEND_NORMAL)
		suspend_resume(&pd->pd_mount);
	pd->pd_phase = PHASE_UNMOUNTING;
	evtimer_add(pd->pd_timer, &tv);
	if (flush)
		flushpages_start(pd, puffsd_handshake);
	else
		puffsd_handshake(pd);
}

/*
 * The end: DYING (every waiter and every queued FUSE request gets ENXIO),
 * then leave the loop; main() removes the mount and closes the socket.
 */
static void
puffsd_finish(struct puffsd *pd, int code)
{
	if (pd->pd_phase == PHASE_DONE)
		return;
	pd->pd_phase = PHASE_DONE;
	pd->pd_exitcode = code;
	evtimer_del(pd->pd_timer);
	msg_userdead(&pd->pd_mount);
	fuse_drain(pd);
	event_base_loopbreak(pd->pd_base);
}

/*
 * The FUSE session ended: the user unmounted us (umount, fusermount3 -u).
 * Linux has already detached the mount, so the server cannot refuse: a
 * forced unmount, after SYNC(MNT_WAIT).
 */
void
puffsd_sessionend(struct puffsd *pd)
{
	if (pd->pd_phase == PHASE_SERVING) {
		pd->pd_force = true;
		puffsd_unmount(pd, "unmounted by the user", false);
	}
}

/* `puffsctl unmount [-f]`: the answer goes back through control.c. */
void
puffsd_ctlunmount(struct puffsd *pd, bool force)
{
	if (pd->pd_phase != PHASE_SERVING)
		return;		/* answered when the unmount ends */
	pd->pd_byctl = true;
	pd->pd_force = force;
	puffsd_unmount(pd, force ? "puffsctl unmount -f" :
	    "puffsctl unmount", true);
}

static void
puffsd_srvunmount(void *arg)
{
	struct puffsd *pd = arg;

	pd->pd_force = true;
	puffsd_unmount(pd, "the server asked to exit", true);
}

static void
puffsd_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct puffsd *pd = arg;

	msg_input(&pd->pd_mount, frame, len);
}

static void
puffsd_lost(void *arg, const char *why)
{
	struct puffsd *pd = arg;

	if (pd->pd_phase == PHASE_UNMOUNTING) {
		log_debug("server closed the connection while unmounting");
		puffsd_finish(pd, 0);
		return;
	}
	if (pd->pd_phase == PHASE_SERVING)
		log_warnx("server lost (%s): failing its requests with ENXIO "
		    "and unmounting %s", why, pd->pd_mount.pmp_mntpoint);
	puffsd_finish(pd, 1);
}

static void
puffsd_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct puffsd *pd = arg;

	(void)fd;
	(void)what;
	log_warnx("server did not complete the unmount in %d s; leaving",
	    PUFFSD_UNMOUNT_WAIT);
	puffsd_finish(pd, 1);
}

static void
puffsd_signal(evutil_socket_t sig, short what, void *arg)
{
	struct puffsd *pd = arg;

	(void)what;
	switch (sig) {
	case SIGCHLD:
		puffsd_reap(pd, false);
		break;
	case SIGTERM:
	case SIGINT:
	case SIGHUP:
		pd->pd_byctl = false;
		if (pd->pd_phase == PHASE_SERVING && !pd->pd_force)
			puffsd_unmount(pd, strsignal(sig), true);
		else {
			log_info("%s: unmounting now", strsignal(sig));
			puffsd_finish(pd, 0);
		}
		break;
	}
}

static void
puffsd_signals(struct puffsd *pd)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };
	struct event *ev;
	size_t i;

	G_STATIC_ASSERT(G_N_ELEMENTS(sigs) == G_N_ELEMENTS(pd->pd_sigev));
	for (i = 0; i < G_N_ELEMENTS(sigs); i++) {
		ev = evsignal_new(pd->pd_base, sigs[i], puffsd_signal, pd);
		if (ev == NULL || evsignal_add(ev, NULL) != 0)
			fatalx("cannot catch signal %d", sigs[i]);
		pd->pd_sigev[i] = ev;
	}
	signal(SIGPIPE, SIG_IGN);
}

/* Read the mount description, mount, and answer the server. */
static int
puffsd_attach(struct puffsd *pd, int fd, const char *opts, bool debug)
{
	struct puffs_mount *pmp = &pd->pd_mount;
	char why[PUFFS_ERRSTRLEN] = "";
	uint8_t *buf, *resp;
	size_t len, resplen;
	int error;

	error = peer_recv_sync(fd, sizeof(struct puffs_mountreq) +
	    PUFFS_MAXPATHLEN, &buf, &len);
	if (error != 0) {
		log_warnx("no mount description from the server: %s",
		    error == ECONNRESET ? "it closed the connection" :
		    g_strerror(error));
		return error;
	}
	error = vfs_attach(pmp, buf, len, why, sizeof(why));
	g_free(buf);
	if (error == 0) {
		stale_clean(pmp->pmp_mntpoint);
		error = fuse_attach(pd, opts, debug, why, sizeof(why));
	}
	resp = frame_mountresp(error, pmp->pmp_maxmsglen, why, &resplen);
	if (peer_send_sync(fd, resp, resplen) != 0 && error == 0) {
		log_warn("cannot answer the server");
		error = EPIPE;
	}
	g_free(resp);
	if (error != 0) {
		log_warnx("mount failed: %s (%s)", why[0] ? why : "-",
		    g_strerror(error));
		return error;
	}
	log_debug("mounted %s (%s), maxmsglen %" G_GUINT64_FORMAT,
	    pmp->pmp_mntpoint, pmp->pmp_args.pa_mntfromname,
	    pmp->pmp_maxmsglen);
	return 0;
}

/* Server first: the library made the socketpair, its pid is the server. */
static pid_t
puffsd_peerpid(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    cred.pid == getpid())
		return 0;
	return cred.pid;
}

static char **
puffsd_options(struct puffsd *pd, int *argc, char ***argv, bool *debug,
    char **opts, int *comfd, int *reqtimeout)
{
	gint syncint = PUFFSD_SYNC_INTERVAL, suslimit = PUFFSD_SUSPEND_LIMIT;
	gboolean dflag = FALSE;
	gchar **olist = NULL, **rest = NULL;
	GOptionEntry entries[] = {
		{ "debug", 'd', 0, G_OPTION_ARG_NONE, &dflag,
		    "Log every operation", NULL },
		{ "background", 'b', 0, G_OPTION_ARG_NONE, &puffsd_background,
		    "Detach once the mount is live (mount helpers)", NULL },
		{ "options", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &olist,
		    "FUSE mount options", "OPT[,OPT...]" },
		{ "comfd", 0, 0, G_OPTION_ARG_INT, comfd,
		    "Serve the server connected on descriptor N "
		    "(used by libpuffs)", "N" },
		{ "request-timeout", 0, 0, G_OPTION_ARG_INT, reqtimeout,
		    "Fail a request the server leaves unanswered for N "
		    "seconds with EIO (default 0: wait, as NetBSD)", "N" },
		{ "sync-interval", 0, 0, G_OPTION_ARG_INT, &syncint,
		    "Seconds between lazy syncs (default 30, 0: none)", "S" },
		{ "suspend-limit", 0, 0, G_OPTION_ARG_INT, &suslimit,
		    "Seconds after which a suspension ends (default 60, "
		    "0: none)", "S" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest,
		    NULL, "-- SERVER [ARGS...]" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx;
	GError *err = NULL;

	ctx = g_option_context_new("- run a NetBSD puffs file server "
	    "through FUSE");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_strict_posix(ctx, TRUE);
	if (!g_option_context_parse(ctx, argc, argv, &err)) {
		fprintf(stderr, "puffsd: %s\n", err->message);
		exit(2);
	}
	if (*reqtimeout < 0 ||
	    (*comfd >= 0) == (rest != NULL && rest[0] != NULL)) {
		fprintf(stderr, "usage: puffsd [-d] [-o opts] "
		    "[--request-timeout N] -- SERVER [ARGS...]\n"
		    "       puffsd [-d] [-o opts] [--request-timeout N] "
		    "--comfd N\n");
		exit(2);
	}
	g_option_context_free(ctx);
	if (syncint < 0 || suslimit < 0) {
		fprintf(stderr, "puffsd: --sync-interval and --suspend-limit "
		    "take seconds >= 0\n");
		exit(2);
	}
	pd->pd_syncinterval = syncint;
	pd->pd_suspendlimit = suslimit;
	*debug = dflag;
	*opts = olist != NULL ? g_strjoinv(",", olist) : NULL;
	g_strfreev(olist);
	return rest;
}

int
main(int argc, char **argv)
{
	struct puffsd pd;
	struct event *reqtimer;
	char **server, *opts;
	bool debug;
	int fd = -1, comfd = -1, reqtimeout = 0;
	size_t i;

	memset(&pd, 0, sizeof(pd));
	mallopt(M_MMAP_THRESHOLD, PUFFSD_MMAP_THRESHOLD);
	mallopt(M_TRIM_THRESHOLD, PUFFSD_TRIM_THRESHOLD);
	server = puffsd_options(&pd, &argc, &argv, &debug, &opts, &comfd,
	    &reqtimeout);
	log_init(debug);
	if (server != NULL) {
		if (puffsd_background)
			detach_begin();
		pd.pd_child = puffsd_spawn(server, &fd);
	}
	else {
		if (fcntl(comfd, F_SETFD, FD_CLOEXEC) == -1)
			fatal("--comfd %d", comfd);
		fd = comfd;
		/* Terminal signals are for the server, not for us. */
		setsid();
	}
	signal(SIGPIPE, SIG_IGN);
	if (puffsd_attach(&pd, fd, opts, debug) != 0) {
		close(fd);
		puffsd_reap(&pd, true);
		g_strfreev(server);
		g_free(opts);
		/* The server's own verdict, when it gave one, is the user's. */
		return pd.pd_srvstatus != 0 ? pd.pd_srvstatus : 1;
	}
	if ((pd.pd_base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	pd.pd_peer = peer_new(pd.pd_base, fd, pd.pd_mount.pmp_maxmsglen,
	    puffsd_frame, puffsd_lost, &pd);
	pd.pd_mount.pmp_send = peer_send;
	pd.pd_mount.pmp_sendarg = pd.pd_peer;
	pd.pd_mount.pmp_unqueue = peer_unqueue;
	pd.pd_mount.pmp_srvunmount = puffsd_srvunmount;
	pd.pd_mount.pmp_hookarg = &pd;
	pd.pd_timer = evtimer_new(pd.pd_base, puffsd_timeout, &pd);
	puffsd_signals(&pd);
	pd.pd_mount.pmp_reqtimeout = reqtimeout;
	reqtimer = timeout_start(pd.pd_base, &pd.pd_mount);
	pd.pd_serverpid = puffsd_peerpid(fd);
	sync_init(&pd);
	control_open(&pd);
	fuse_listen(&pd);
	notify_ready(pd.pd_mount.pmp_mntpoint);
	detach_ready(pd.pd_base);

	event_base_dispatch(pd.pd_base);

	notify_stopping();
	flushpages_cancel();
	msg_userdead(&pd.pd_mount);
	fuse_detach(&pd);
	sync_fini(&pd);
	control_close(&pd);
	peer_close(pd.pd_peer);
	vfs_detach(&pd.pd_mount);
	puffsd_reap(&pd, true);
	for (i = 0; i < G_N_ELEMENTS(pd.pd_sigev); i++)
		event_free(pd.pd_sigev[i]);
	event_free(pd.pd_timer);
	timeout_stop(reqtimer);
	event_base_free(pd.pd_base);
	g_strfreev(server);
	g_free(opts);
	return pd.pd_exitcode;
}
