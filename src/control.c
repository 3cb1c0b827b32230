/*
 * control.c: puffsd's control socket (protocol and location in
 * control.h).  Owns the listening socket and the connections of puffsctl
 * clients: the SO_PEERCRED check, reading one length-checked request,
 * running it against the mount, and answering, at once or when the
 * operation completes (sync, unmount, suspend).  Called by main.c; the
 * suspend hook in sync.c and the unmount handshake in main.c report back
 * through control_suspendchg and control_unmounted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>
#include <glib.h>

#include "control.h"
#include "log.h"
#include "nodetab.h"
#include "puffsd.h"
#include "stats.h"
#include "vfsops.h"

#define CTL_IOTIMEOUT	5	/* seconds a client may take to ask */

struct control {
	struct puffsd	*c_pd;
	int		 c_fd;
	char		*c_path;
	struct event	*c_ev;
	GList		*c_conns;	/* every struct ctlconn */
};

struct ctlconn {
	struct control	*cc_ctl;
	int		 cc_fd;
	struct event	*cc_ev;
	uint8_t		 cc_buf[CTL_REQSIZE];
	size_t		 cc_len;
	int		 cc_cmd;	/* waiting for this, 0 if none */
};

static void
control_connfree(struct ctlconn *cc)
{
	struct control *ctl = cc->cc_ctl;

	ctl->c_conns = g_list_remove(ctl->c_conns, cc);
	if (cc->cc_ev != NULL)
		event_free(cc->cc_ev);
	close(cc->cc_fd);
	g_free(cc);
}

/* Answer and close.  The socket is blocking with a send timeout. */
static void
control_reply(struct ctlconn *cc, int error, const char *text)
{
	struct ctl_resp resp;
	size_t len = text != NULL ? strlen(text) : 0;
	struct iovec iov[2];
	struct msghdr mh;

	if (len > CTL_TEXTMAX)
		len = CTL_TEXTMAX;
	memset(&resp, 0, sizeof(resp));
	resp.cs_magic = CTL_MAGIC;
	resp.cs_error = error;
	resp.cs_textlen = len;
	iov[0].iov_base = &resp;
	iov[0].iov_len = sizeof(resp);
	iov[1].iov_base = (void *)(text != NULL ? text : "");
	iov[1].iov_len = len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	if (sendmsg(cc->cc_fd, &mh, MSG_NOSIGNAL) !=
	    (ssize_t)(sizeof(resp) + len))
		log_debug("control: answer to %s lost", ctl_cmd_name(
		    cc->cc_cmd));
	control_connfree(cc);
}

static void
control_replyf(struct ctlconn *cc, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
control_replyf(struct ctlconn *cc, int error, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	control_reply(cc, error, text);
	g_free(text);
}

static pid_t
control_serverpid(struct puffsd *pd)
{
	return pd->pd_child > 0 ? pd->pd_child : pd->pd_serverpid;
}

/* The text of `puffsctl status` (full) or one line of `list`. */
static char *
control_status(struct puffsd *pd, bool brief)
{
	struct puffs_mount *pmp = &pd->pd_mount;
	GString *s = g_string_new(NULL);
	unsigned int inflight;

	inflight = pmp->pmp_reqtab != NULL ? reqtab_count(pmp->pmp_reqtab) :
	    0;
	if (brief) {
		g_string_printf(s, "%s %s %s %s server %d puffsd %d\n",
		    pmp->pmp_mntpoint, pmp->pmp_args.pa_typename,
		    pmp_status_name(pmp->pmp_status),
		    suspend_state_name(pmp->pmp_suspend),
		    (int)control_serverpid(pd), (int)getpid());
		return g_string_free(s, FALSE);
	}
	g_string_append_printf(s, "mountpoint:   %s\n", pmp->pmp_mntpoint);
	g_string_append_printf(s, "source:       %s (%s)\n",
	    pmp->pmp_args.pa_mntfromname, pmp->pmp_args.pa_typename);
	g_string_append_printf(s, "status:       %s\n",
	    pmp_status_name(pmp->pmp_status));
	g_string_append_printf(s, "suspend:      %s\n",
	    suspend_state_name(pmp->pmp_suspend));
	g_string_append_printf(s, "server pid:   %d\n",
	    (int)control_serverpid(pd));
	g_string_append_printf(s, "puffsd pid:   %d\n", (int)getpid());
	g_string_append_printf(s, "owner uid:    %u\n",
	    (unsigned int)getuid());
	g_string_append_printf(s, "in flight:    %u\n", inflight);
	g_string_append_printf(s, "parked:       %u\n",
	    suspend_nparked(pmp));
	g_string_append_printf(s, "nodes:        %u\n",
	    pmp->pmp_nodetab != NULL ? nodetab_count(pmp->pmp_nodetab) : 0);
	g_string_append_printf(s, "frames sent:  %" G_GUINT64_FORMAT "\n",
	    pmp->pmp_nsent);
	g_string_append_printf(s, "sync every:   %u s%s\n",
	    pd->pd_syncinterval, pd->pd_syncinterval == 0 ? " (off)" : "");
	g_string_append_printf(s, "suspend max:  %u s\n",
	    pd->pd_suspendlimit);
	g_string_append(s, "ops:\n");
	if (pmp->pmp_stats != NULL)
		stats_print(pmp->pmp_stats, s);
	return g_string_free(s, FALSE);
}

static void
control_sync_done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct ctlconn *cc = arg;

	error = msg_result(&cc->cc_ctl->c_pd->pd_mount, error, frame, len);
	if (error != 0)
		control_replyf(cc, error, "sync failed: %s\n",
		    g_strerror(error));
	else
		control_reply(cc, 0, "synced\n");
}

static void
control_cmd_sync(struct ctlconn *cc, int waitfor)
{
	struct puffs_mount *pmp = &cc->cc_ctl->c_pd->pd_mount;

	if (waitfor != PUFFS_MNT_WAIT && waitfor != PUFFS_MNT_NOWAIT &&
	    waitfor != PUFFS_MNT_LAZY) {
		control_replyf(cc, EINVAL, "bad sync mode %d\n", waitfor);
		return;
	}
	vfs_sync(pmp, waitfor, control_sync_done, cc);
}

static void
control_cmd_suspend(struct ctlconn *cc)
{
	struct puffs_mount *pmp = &cc->cc_ctl->c_pd->pd_mount;
	int error;

	if (cc->cc_ctl->c_pd->pd_phase != PHASE_SERVING) {
		control_reply(cc, EBUSY, "the mount is being unmounted\n");
		return;
	}
	error = suspend_start(pmp, false);
	if (error == EBUSY)
		control_replyf(cc, error, "%s is already %s\n",
		    pmp->pmp_mntpoint, suspend_state_name(pmp->pmp_suspend));
	else if (error != 0)
		control_replyf(cc, error, "cannot suspend: mount is %s\n",
		    pmp_status_name(pmp->pmp_status));
	else if (pmp->pmp_suspend == SUSPEND_SUSPENDED)
		control_reply(cc, 0, "suspended\n");
	else if (pmp->pmp_suspend == SUSPEND_SUSPENDING)
		cc->cc_cmd = CTL_SUSPEND;	/* answered on the change */
	else
		control_reply(cc, EIO, "suspend failed\n");
}

static void
control_cmd_resume(struct ctlconn *cc)
{
	struct puffs_mount *pmp = &cc->cc_ctl->c_pd->pd_mount;

	if (suspend_resume(pmp) != 0)
		control_replyf(cc, EINVAL, "%s is not suspended\n",
		    pmp->pmp_mntpoint);
	else
		control_replyf(cc, 0, "%s\n", pmp->pmp_suspend ==
		    SUSPEND_NORMAL ? "resumed" : "resumes once suspended");
}

static void
control_cmd_unmount(struct ctlconn *cc, int arg)
{
	struct puffsd *pd = cc->cc_ctl->c_pd;

	cc->cc_cmd = CTL_UNMOUNT;	/* answered by control_unmounted */
	puffsd_ctlunmount(pd, (arg & CTL_UNMOUNT_FORCE) != 0);
}

/* A whole request arrived: check it and run it. */
static void
control_dispatch(struct ctlconn *cc)
{
	struct ctl_req req;
	char why[CTL_WHYMAX], *text;
	int error;

	if ((error = ctl_req_decode(cc->cc_buf, cc->cc_len, &req, why,
	    sizeof(why))) != 0) {
		control_reply(cc, error, why);
		return;
	}
	log_debug("control: %s %d", ctl_cmd_name(req.cr_cmd), req.cr_arg);
	switch (req.cr_cmd) {
	case CTL_STATUS:
		text = control_status(cc->cc_ctl->c_pd, req.cr_arg == 1);
		control_reply(cc, 0, text);
		g_free(text);
		break;
	case CTL_SYNC:
		control_cmd_sync(cc, req.cr_arg);
		break;
	case CTL_UNMOUNT:
		control_cmd_unmount(cc, req.cr_arg);
		break;
	case CTL_SUSPEND:
		control_cmd_suspend(cc);
		break;
	case CTL_RESUME:
		control_cmd_resume(cc);
		break;
	}
}

static void
control_readcb(evutil_socket_t fd, short what, void *arg)
{
	struct ctlconn *cc = arg;
	ssize_t n;

	if (what & EV_TIMEOUT) {
		control_reply(cc, ETIMEDOUT, "no request in time\n");
		return;
	}
	n = recv(fd, cc->cc_buf + cc->cc_len, sizeof(cc->cc_buf) -
	    cc->cc_len, MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		control_connfree(cc);
		return;
	}
	cc->cc_len += n;
	if (cc->cc_len < sizeof(cc->cc_buf))
		return;
	event_free(cc->cc_ev);
	cc->cc_ev = NULL;
	/* One request per connection: a longer message is refused. */
	if (recv(fd, &n, 1, MSG_DONTWAIT | MSG_PEEK) > 0) {
		control_reply(cc, EBADMSG, "request longer than expected\n");
		return;
	}
	control_dispatch(cc);
}

/* Only root and the mount's owner (our uid) may drive the mount. */
static bool
control_allowed(int fd, uid_t *uidp)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    len != sizeof(cred)) {
		*uidp = (uid_t)-1;
		return false;
	}
	*uidp = cred.uid;
	return cred.uid == 0 || cred.uid == getuid();
}

static void
control_acceptcb(evutil_socket_t lfd, short what, void *arg)
{
	struct timeval tv = { CTL_IOTIMEOUT, 0 };
	struct control *ctl = arg;
	struct ctlconn *cc;
	uid_t uid;
	int fd;

	(void)what;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("control: accept");
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	cc = g_new0(struct ctlconn, 1);
	cc->cc_ctl = ctl;
	cc->cc_fd = fd;
	ctl->c_conns = g_list_prepend(ctl->c_conns, cc);
	if (!control_allowed(fd, &uid)) {
		log_info("control: uid %d refused", (int)uid);
		control_replyf(cc, EPERM, "permission denied: uid %d is "
		    "neither root nor the owner of %s (uid %u)\n", (int)uid,
		    ctl->c_pd->pd_mount.pmp_mntpoint, (unsigned int)getuid());
		return;
	}
	cc->cc_ev = event_new(ctl->c_pd->pd_base, fd, EV_READ | EV_PERSIST,
	    control_readcb, cc);
	if (cc->cc_ev == NULL || event_add(cc->cc_ev, &tv) != 0)
		fatalx("cannot watch a control connection");
}

/* Is a puffsd listening on path?  A dead socket file is stale. */
static bool
control_alive(const char *path)
{
	struct sockaddr_un sun;
	bool alive;
	int fd;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return false;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	alive = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return alive;
}

static int
control_listen(const char *path)
{
	struct sockaddr_un sun;
	mode_t omask;
	int fd, rv;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	/*
	 * Owner only (root passes anyway): nobody else can even connect,
	 * and puffsctl says why.  The umask makes it so from the start;
	 * SO_PEERCRED still checks whoever connects.
	 */
	omask = umask(0177);
	rv = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(omask);
	if (rv == -1 || listen(fd, 8) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The socket directory must be ours and writable by nobody else: in a
 * directory another user controls, the socket could be replaced and
 * puffsctl would talk to an impostor.
 */
static bool
control_dir_safe(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) == -1)
		return false;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		errno = EPERM;
		return false;
	}
	return true;
}

/*
 * Create the mount's control socket.  A socket left by a puffsd that
 * died is replaced; one a live puffsd still answers on is left alone, and
 * this mount then has no control socket (logged).
 */
void
control_open(struct puffsd *pd)
{
	struct control *ctl;
	char *dir, *canon;

	dir = ctl_sockdir();
	if (g_mkdir_with_parents(dir, geteuid() == 0 ? 0755 : 0700) == -1 ||
	    !control_dir_safe(dir)) {
		log_warn("control socket directory %s (it must be a "
		    "directory of uid %u that no one else may write); no "
		    "control socket for this mount", dir,
		    (unsigned int)geteuid());
		g_free(dir);
		return;
	}
	ctl = g_new0(struct control, 1);
	ctl->c_pd = pd;
	canon = g_canonicalize_filename(pd->pd_mount.pmp_mntpoint, NULL);
	ctl->c_path = ctl_sockpath(dir, canon);
	g_free(canon);
	g_free(dir);
	if (control_alive(ctl->c_path)) {
		log_warnx("%s is served by another puffsd; no control socket "
		    "for this mount", ctl->c_path);
		goto fail;
	}
	unlink(ctl->c_path);
	if ((ctl->c_fd = control_listen(ctl->c_path)) == -1) {
		log_warn("control socket %s", ctl->c_path);
		goto fail;
	}
	ctl->c_ev = event_new(pd->pd_base, ctl->c_fd, EV_READ | EV_PERSIST,
	    control_acceptcb, ctl);
	if (ctl->c_ev == NULL || event_add(ctl->c_ev, NULL) != 0)
		fatalx("cannot watch the control socket");
	log_debug("control socket %s", ctl->c_path);
	pd->pd_ctl = ctl;
	return;
fail:
	g_free(ctl->c_path);
	g_free(ctl);
}

/* Answer everybody waiting for cmd. */
static void
control_answer(struct control *ctl, int cmd, int error, const char *text)
{
	GList *l, *next;

	for (l = ctl->c_conns; l != NULL; l = next) {
		struct ctlconn *cc = l->data;

		next = l->next;
		if (cc->cc_cmd == cmd)
			control_reply(cc, error, text);
	}
}

/* The suspend state changed: answer waiting `puffsctl suspend`s. */
void
control_suspendchg(struct puffsd *pd, enum suspend_state st, int error)
{
	char *text;

	if (pd->pd_ctl == NULL || st == SUSPEND_SUSPENDING)
		return;
	if (st == SUSPEND_SUSPENDED)
		text = g_strdup("suspended\n");
	else
		text = g_strdup_printf("suspend failed: %s\n",
		    g_strerror(error != 0 ? error : EIO));
	control_answer(pd->pd_ctl, CTL_SUSPEND, st == SUSPEND_SUSPENDED ? 0 :
	    (error != 0 ? error : EIO), text);
	g_free(text);
}

/* The unmount handshake ended with error (0: the mount is gone). */
void
control_unmounted(struct puffsd *pd, int error, const char *why)
{
	char *text;

	if (pd->pd_ctl == NULL)
		return;
	if (error == 0)
		text = g_strdup_printf("unmounted %s\n",
		    pd->pd_mount.pmp_mntpoint);
	else
		text = g_strdup_printf("%s\n", why);
	control_answer(pd->pd_ctl, CTL_UNMOUNT, error, text);
	g_free(text);
}

/*
 * puffsd is leaving: answer whoever still waits (the mount is gone by
 * now), remove the socket.
 */
void
control_close(struct puffsd *pd)
{
	struct control *ctl = pd->pd_ctl;

	if (ctl == NULL)
		return;
	control_unmounted(pd, 0, NULL);
	control_answer(ctl, CTL_SUSPEND, ENXIO, "mount gone\n");
	while (ctl->c_conns != NULL)
		control_connfree(ctl->c_conns->data);
	event_free(ctl->c_ev);
	close(ctl->c_fd);
	unlink(ctl->c_path);
	g_free(ctl->c_path);
	g_free(ctl);
	pd->pd_ctl = NULL;
}
