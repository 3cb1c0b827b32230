/*
 * puffs.c: the life of a mount as a server sees it: puffs_init, the
 * setters that shape the mount arguments, puffs_daemon, puffs_mount (the
 * attach to puffsd), puffs_mainloop, puffs_exit and puffs_cancel.  Called
 * by servers; the loop calls into transport.c and dispatcher.c.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <paths.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "puffs_priv.h"

static void
puffs_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

/*
 * The API has no destructor (NetBSD's has none either): a usermount lives
 * until the process exits.  Kept reachable so that leak checkers report
 * real leaks, not this one by design.
 */
static struct puffs_usermount *volatile puffs_lastpu;

struct puffs_usermount *
puffs_init(struct puffs_ops *pops, const char *mntfromname,
    const char *puffsname, void *priv, uint32_t pflags)
{
	struct puffs_usermount *pu;
	struct puffs_kargs *pargs;

	pu = calloc(1, sizeof(*pu));
	if (pu == NULL)
		return NULL;
	if (mntfromname == PUFFS_DEFER)
		mntfromname = "n/a";
	if (puffsname == PUFFS_DEFER)
		puffsname = "n/a";
	if (priv == PUFFS_DEFER)
		priv = NULL;

	pargs = &pu->pu_kargs;
	pargs->pa_vers = PUFFSVERSION;
	pargs->pa_flags = PUFFS_FLAG_KERN(pflags);
	pargs->pa_root_vtype = PUFFS_VDIR;
	puffs__vnopmask(pops, pargs->pa_vnopmask);
	puffs_setmntinfo(pu, mntfromname, puffsname);

	pu->pu_flags = PUFFS_FLAG_LIB(pflags);
	pu->pu_state = PUFFS_STATE_BEFOREMOUNT;
	pu->pu_fd = -1;
	pu->pu_dpipe = -1;
	pu->pu_privdata = priv;
	pu->pu_errnotify = puffs_kernerr_log;
	LIST_INIT(&pu->pu_pnodelst);
	STAILQ_INIT(&pu->pu_outq);

	/* As NetBSD: the vector came from PUFFSOP_INIT and is ours now. */
	pu->pu_ops = *pops;
	free(pops);
	puffs_lastpu = pu;
	return pu;
}

/* Tells a waiting puffs_daemon() parent how the mount went, once. */
static void
puffs_daemon_release(struct puffs_usermount *pu, int error)
{
	if (pu->pu_dpipe == -1)
		return;
	(void)puffs__transport_writeall(pu->pu_dpipe, &error, sizeof(error));
	close(pu->pu_dpipe);
	pu->pu_dpipe = -1;
}

int
puffs_daemon(struct puffs_usermount *pu, int nochdir, int noclose)
{
	int pfd[2], error, fd;
	ssize_t n;

	if (pu->pu_state != PUFFS_STATE_BEFOREMOUNT) {
		errno = EINVAL;
		return -1;
	}
	if (pipe2(pfd, O_CLOEXEC) == -1)
		return -1;
	switch (fork()) {
	case -1:
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	case 0:
		break;
	default:
		/* The parent lives on only to report the mount's result. */
		close(pfd[1]);
		do {
			n = read(pfd[0], &error, sizeof(error));
		} while (n == -1 && errno == EINTR);
		if (n != (ssize_t)sizeof(error))
			error = EIO;
		if (error == 0)
			_exit(0);
		errno = error;
		err(1, "puffs_daemon");
	}

	close(pfd[0]);
	pu->pu_dpipe = pfd[1];
	if (setsid() == -1)
		goto fail;
	if (!nochdir && chdir("/") == -1)
		goto fail;
	if (!noclose) {
		fd = open(_PATH_DEVNULL, O_RDWR);
		if (fd == -1)
			goto fail;
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return 0;

 fail:
	error = errno;
	puffs_daemon_release(pu, error);
	errno = error;
	return -1;
}

/* Sends the mount description and waits for puffsd's verdict. */
static int
puffs_mount_handshake(struct puffs_usermount *pu, const char *dir,
    int mntflags)
{
	struct puffs_mountreq *req;
	struct puffs_mountresp resp;
	size_t dirlen = strlen(dir) + 1, reqlen;
	int rv;

	reqlen = sizeof(*req) + dirlen;
	req = calloc(1, reqlen);
	if (req == NULL)
		return -1;
	req->pmr_pth.pth_framelen = reqlen;
	req->pmr_magic = PUFFS_BRIDGE_MAGIC;
	req->pmr_version = PUFFS_BRIDGE_VERSION;
	req->pmr_mntflags = (uint32_t)mntflags;
	req->pmr_libflags = pu->pu_flags;
	req->pmr_dirlen = (uint32_t)dirlen;
	req->pmr_kargs = pu->pu_kargs;
	memcpy(req->pmr_data, dir, dirlen);
	rv = puffs__transport_writeall(pu->pu_fd, req, reqlen);
	free(req);
	if (rv == -1)
		return -1;

	if (puffs__transport_readall(pu->pu_fd, &resp, sizeof(resp)) == -1)
		return -1;
	if (resp.pmp_pth.pth_framelen != sizeof(resp) ||
	    resp.pmp_magic != PUFFS_BRIDGE_MAGIC ||
	    resp.pmp_version != PUFFS_BRIDGE_VERSION) {
		errno = EPROTO;
		return -1;
	}
	if (resp.pmp_error != 0) {
		/* The caller reports it, as it would report mount(2). */
		errno = resp.pmp_error > 0 ? resp.pmp_error : EPROTO;
		return -1;
	}
	pu->pu_maxmsglen = resp.pmp_maxmsglen;
	return 0;
}

int
puffs_mount(struct puffs_usermount *pu, const char *dir, int mntflags,
    puffs_cookie_t cookie)
{
	char rdir[PATH_MAX];
	int error;

	if (pu->pu_state != PUFFS_STATE_BEFOREMOUNT) {
		errno = EINVAL;
		goto fail;
	}
	pu->pu_kargs.pa_root_cookie = PUFFS__KCOOKIE(cookie);
	if (geteuid() != 0)
		mntflags |= MNT_NOSUID | MNT_NODEV;
	if (realpath(dir, rdir) == NULL)
		goto fail;
	if (strlen(rdir) >= PUFFS_VFS_MNAMELEN) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	if (puffs__transport_attach(pu, &pu->pu_fd) == -1)
		goto fail;
	if (puffs_mount_handshake(pu, rdir, mntflags) == -1)
		goto fail;

	pu->pu_state = PUFFS_STATE_RUNNING;
	puffs_daemon_release(pu, 0);
	return 0;

 fail:
	error = errno;
	if (pu->pu_fd != -1) {
		close(pu->pu_fd);
		pu->pu_fd = -1;
	}
	puffs_daemon_release(pu, error);
	errno = error;
	return -1;
}

/* Collects the puffsd we started, if it has finished. */
static void
puffs_reap(struct puffs_usermount *pu)
{
	if (pu->pu_puffsd > 0 && waitpid(pu->pu_puffsd, NULL, WNOHANG) != 0)
		pu->pu_puffsd = 0;
}

/* Writes what is queued before the loop returns; puffsd may be gone. */
static void
puffs_mainloop_drain(struct puffs_usermount *pu)
{
	struct pollfd pfd = { .fd = pu->pu_fd, .events = POLLOUT };

	while (puffs__transport_pending(pu)) {
		if (puffs__transport_flush(pu) == -1)
			break;
		if (puffs__transport_pending(pu) && poll(&pfd, 1, -1) == -1 &&
		    errno != EINTR)
			break;
	}
}

int
puffs_mainloop(struct puffs_usermount *pu)
{
	struct pollfd pfd;
	int flags;

	if (pu->pu_state != PUFFS_STATE_RUNNING || pu->pu_fd == -1) {
		errno = ENXIO;
		return -1;
	}
	flags = fcntl(pu->pu_fd, F_GETFL);
	if (flags == -1 || fcntl(pu->pu_fd, F_SETFL, flags | O_NONBLOCK) == -1)
		return -1;

	while (pu->pu_state != PUFFS_STATE_UNMOUNTED) {
		if (puffs__transport_flush(pu) == -1)
			goto dead;
		pfd.fd = pu->pu_fd;
		pfd.events = POLLIN;
		if (puffs__transport_pending(pu))
			pfd.events |= POLLOUT;
		pfd.revents = 0;
		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			if (puffs__transport_read(pu) == -1)
				goto dead;
		}
	}
	puffs_mainloop_drain(pu);
	puffs_reap(pu);
	return 0;

 dead:
	/* puffsd is gone (or spoke nonsense) while we were mounted. */
	flags = errno;
	puffs__transport_free(pu);
	puffs_reap(pu);
	errno = (flags == EPIPE || flags == ECONNRESET) ? ENXIO : flags;
	return -1;
}

/* A bare request of class `opclass' from the server to puffsd. */
int
puffs__sendsrvreq(struct puffs_usermount *pu, int opclass)
{
	struct puffs_req *preq;

	if (pu->pu_fd == -1 || pu->pu_state == PUFFS_STATE_BEFOREMOUNT) {
		errno = ENXIO;
		return -1;
	}
	preq = calloc(1, sizeof(*preq));
	if (preq == NULL)
		return -1;
	preq->preq_pth.pth_framelen = sizeof(*preq);
	preq->preq_id = PUFFS_SRVREQ_IDBIT | ++pu->pu_nextid;
	preq->preq_opclass = (uint16_t)opclass;
	preq->preq_buflen = sizeof(*preq);
	puffs__transport_enqueue(pu, (uint8_t *)preq, sizeof(*preq));
	/* Outside the loop nobody else would push it out. */
	if (puffs__transport_flush(pu) == -1)
		return -1;
	return 0;
}

int
puffs_exit(struct puffs_usermount *pu, int unused)
{
	(void)unused;
	return puffs__sendsrvreq(pu, PUFFSOP_UNMOUNT);
}

void
puffs_cancel(struct puffs_usermount *pu, int error)
{
	struct puffs_node *pn;

	if (pu->pu_state >= PUFFS_STATE_RUNNING) {
		warnx("puffs_cancel: the file system is mounted");
		return;
	}
	puffs_daemon_release(pu, error);
	if (pu->pu_fd != -1)
		close(pu->pu_fd);
	puffs__transport_free(pu);
	while ((pn = LIST_FIRST(&pu->pu_pnodelst)) != NULL)
		puffs_pn_put(pn);
	free(pu);
}

int
puffs_getselectable(struct puffs_usermount *pu)
{
	return pu->pu_fd;
}

int
puffs_getstate(struct puffs_usermount *pu)
{
	return pu->pu_state;
}

void *
puffs_getspecific(struct puffs_usermount *pu)
{
	return pu->pu_privdata;
}

void
puffs_setspecific(struct puffs_usermount *pu, void *priv)
{
	pu->pu_privdata = priv;
}

void
puffs_setroot(struct puffs_usermount *pu, struct puffs_node *pn)
{
	pu->pu_pn_root = pn;
}

struct puffs_node *
puffs_getroot(struct puffs_usermount *pu)
{
	return pu->pu_pn_root;
}

/* Settings that travel in the mount arguments mean nothing afterwards. */
static bool
puffs_beforemount(struct puffs_usermount *pu, const char *what)
{
	if (pu->pu_state == PUFFS_STATE_BEFOREMOUNT)
		return true;
	warnx("%s: ignored after mount", what);
	return false;
}

void
puffs_setrootinfo(struct puffs_usermount *pu, enum vtype vt, vsize_t vsize,
    dev_t rdev)
{
	if (!puffs_beforemount(pu, "puffs_setrootinfo"))
		return;
	pu->pu_kargs.pa_root_vtype = (uint32_t)vt;
	pu->pu_kargs.pa_root_vsize = (int64_t)vsize;
	pu->pu_kargs.pa_root_rdev = rdev;
}

void
puffs_setmaxreqlen(struct puffs_usermount *pu, size_t reqlen)
{
	if (!puffs_beforemount(pu, "puffs_setmaxreqlen"))
		return;
	pu->pu_kargs.pa_maxmsglen = reqlen;
}

/* NetBSD never fills the field this returns; nor do we, see the manual. */
size_t
puffs_getmaxreqlen(struct puffs_usermount *pu)
{
	return pu->pu_maxreqlen;
}

void
puffs_setfhsize(struct puffs_usermount *pu, size_t fhsize, int flags)
{
	if (!puffs_beforemount(pu, "puffs_setfhsize"))
		return;
	pu->pu_kargs.pa_fhsize = fhsize;
	pu->pu_kargs.pa_fhflags = (uint32_t)flags;
}

void
puffs_setmntinfo(struct puffs_usermount *pu, const char *mntfromname,
    const char *puffsname)
{
	struct puffs_kargs *pargs = &pu->pu_kargs;

	/* puffsd prefixes "puffs|" to the type, so it must leave room. */
	puffs_strlcpy(pargs->pa_typename, puffsname, PUFFS_TYPELEN + 1);
	puffs_strlcpy(pargs->pa_mntfromname, mntfromname,
	    sizeof(pargs->pa_mntfromname));
}

void
puffs_setncookiehash(struct puffs_usermount *pu, int nhash)
{
	if (!puffs_beforemount(pu, "puffs_setncookiehash"))
		return;
	pu->pu_kargs.pa_nhashbuckets = nhash;
}

void
puffs_set_errnotify(struct puffs_usermount *pu, pu_errnotify_fn fn)
{
	pu->pu_errnotify = fn;
}

void
puffs_kernerr_log(struct puffs_usermount *pu, uint8_t type, int error,
    const char *str, puffs_cookie_t cookie)
{
	(void)pu;
	syslog(LOG_WARNING, "puffs: reply rejected: type %d, error %d, "
	    "cookie %p (%s)", type, error, cookie, str);
}

__dead void
puffs_kernerr_abort(struct puffs_usermount *pu, uint8_t type, int error,
    const char *str, puffs_cookie_t cookie)
{
	(void)pu;
	fprintf(stderr, "puffs: reply rejected: type %d, error %d, "
	    "cookie %p (%s)\n", type, error, cookie, str);
	abort();
}

void
puffs_set_prepost(struct puffs_usermount *pu, pu_prepost_fn pre,
    pu_prepost_fn post)
{
	pu->pu_oppre = pre;
	pu->pu_oppost = post;
}

void
puffs_set_cmap(struct puffs_usermount *pu, pu_cmap_fn fn)
{
	pu->pu_cmap = fn;
}
