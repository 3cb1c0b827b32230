/*
 * fuse.c: the libfuse lowlevel session inside puffsd's event loop: mount
 * options, the ops table, init/destroy, and reading /dev/fuse with
 * fuse_session_receive_buf/process_buf whenever libevent says it is
 * readable.  Called by main.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "cachectl.h"
#include "log.h"
#include "puffsd.h"
#include "vnops.h"
#include "vnops_ext.h"

static struct fuse_buf fuse_rbuf;

/* FUSE_INIT done: the mount is live (NetBSD's VFS_START). */
static void
fuse_init(void *userdata, struct fuse_conn_info *conn)
{
	struct puffs_mount *pmp = userdata;
	unsigned int maxio = pmp->pmp_maxmsglen - PUFFS_MSGSTRUCT_MAX;

	if (conn->max_write > maxio)
		conn->max_write = maxio;
	/* An entry per readdir record would cost a LOOKUP+GETATTR each. */
	conn->want &= ~(FUSE_CAP_READDIRPLUS | FUSE_CAP_READDIRPLUS_AUTO);
	conn->want &= ~(FUSE_CAP_POSIX_LOCKS | FUSE_CAP_FLOCK_LOCKS);
	/* Without ADVLOCK the kernel keeps the locks, as NetBSD does. */
	if (vfs_hasop(pmp, PUFFS_VN_ADVLOCK))
		conn->want |= conn->capable &
		    (FUSE_CAP_POSIX_LOCKS | FUSE_CAP_FLOCK_LOCKS);
	conn->want &= ~(FUSE_CAP_ATOMIC_O_TRUNC | FUSE_CAP_EXPORT_SUPPORT);
	conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
	vfs_start(pmp);
	log_debug("FUSE init: max_write %u, status %s", conn->max_write,
	    pmp_status_name(pmp->pmp_status));
}

static void
fuse_destroy(void *userdata)
{
	/* The unmount handshake is driven by main.c when the session ends. */
	(void)userdata;
}

static const struct fuse_lowlevel_ops fuse_ops = {
	.init = fuse_init,
	.destroy = fuse_destroy,
	.lookup = vn_op_lookup,
	.forget = vn_op_forget,
	.forget_multi = vn_op_forget_multi,
	.getattr = vn_op_getattr,
	.setattr = vn_op_setattr,
	.readlink = vn_op_readlink,
	.mknod = vn_op_mknod,
	.mkdir = vn_op_mkdir,
	.symlink = vn_op_symlink,
	.unlink = vn_op_unlink,
	.rmdir = vn_op_rmdir,
	.rename = vn_op_rename,
	.link = vn_op_link,
	.open = vn_op_open,
	.read = vn_op_read,
	.write = vn_op_write,
	.flush = vn_op_flush_locks,
	.release = vn_op_release,
	.fsync = vn_op_fsync,
	.opendir = vn_op_opendir,
	.readdir = vn_op_readdir,
	.releasedir = vn_op_releasedir,
	.fsyncdir = vn_op_fsyncdir,
	.statfs = vn_op_statfs,
	.access = vn_op_access,
	.create = vn_op_create,
	.setxattr = vn_op_setxattr,
	.getxattr = vn_op_getxattr,
	.listxattr = vn_op_listxattr,
	.removexattr = vn_op_removexattr,
	.getlk = vn_op_getlk,
	.setlk = vn_op_setlk,
	.flock = vn_op_flock,
	.poll = vn_op_poll,
	.fallocate = vn_op_fallocate,
};

/* The fuse_args for fuse_session_new: our options, then the user's. */
static void
fuse_mkargs(struct puffsd *pd, const char *useropts, bool debug,
    struct fuse_args *args)
{
	const struct puffs_kargs *ka = &pd->pd_mount.pmp_args;
	char *opts = NULL, *fsname, *subtype;

	fuse_opt_add_arg(args, "puffsd");
	if (debug && log_debugging())
		fuse_opt_add_arg(args, "-odebug");
	fsname = g_strdup_printf("fsname=%s", ka->pa_mntfromname[0] != '\0' ?
	    ka->pa_mntfromname : "puffs");
	subtype = g_strdup_printf("subtype=%s", ka->pa_typename[0] != '\0' ?
	    ka->pa_typename : "puffs");
	fuse_opt_add_opt_escaped(&opts, fsname);
	fuse_opt_add_opt_escaped(&opts, subtype);
	/* As on NetBSD, every user may use the mount; the server checks. */
	if (geteuid() == 0)
		fuse_opt_add_opt(&opts, "allow_other");
	if (pd->pd_mount.pmp_mntflags & PUFFS_MNT_RDONLY)
		fuse_opt_add_opt(&opts, "ro");
	if (pd->pd_mount.pmp_mntflags & PUFFS_MNT_NOSUID)
		fuse_opt_add_opt(&opts, "nosuid");
	/*
	 * libfuse mounts nodev unless told "dev"; NetBSD honours device
	 * nodes unless the mount asks otherwise.  Only root may say so
	 * (fusermount3 refuses it for users).  libfuse's nosuid stays: with
	 * suid, every exec reads security.capability, which a server
	 * following NetBSD's SYSTEM namespace rules refuses to non-root
	 * callers (EPERM), and the exec fails.
	 */
	if (pd->pd_mount.pmp_mntflags & PUFFS_MNT_NODEV)
		fuse_opt_add_opt(&opts, "nodev");
	else if (geteuid() == 0)
		fuse_opt_add_opt(&opts, "dev");
	if (pd->pd_mount.pmp_mntflags & PUFFS_MNT_NOEXEC)
		fuse_opt_add_opt(&opts, "noexec");
	if (pd->pd_mount.pmp_mntflags & PUFFS_MNT_NOATIME)
		fuse_opt_add_opt(&opts, "noatime");
	if (useropts != NULL && useropts[0] != '\0')
		fuse_opt_add_opt(&opts, useropts);
	fuse_opt_add_arg(args, "-o");
	fuse_opt_add_arg(args, opts);
	free(opts);
	g_free(fsname);
	g_free(subtype);
}

/* Create the session and mount it; why gets the reason on failure. */
int
fuse_attach(struct puffsd *pd, const char *useropts, bool debug, char *why,
    size_t whylen)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	int fl;

	fuse_mkargs(pd, useropts, debug, &args);
	pd->pd_se = fuse_session_new(&args, &fuse_ops, sizeof(fuse_ops),
	    &pd->pd_mount);
	fuse_opt_free_args(&args);
	if (pd->pd_se == NULL) {
		snprintf(why, whylen, "cannot create the FUSE session "
		    "(bad -o options?)");
		return EINVAL;
	}
	if (fuse_session_mount(pd->pd_se, pd->pd_mount.pmp_mntpoint) != 0) {
		snprintf(why, whylen, "cannot mount on %s",
		    pd->pd_mount.pmp_mntpoint);
		fuse_session_destroy(pd->pd_se);
		pd->pd_se = NULL;
		return access(pd->pd_mount.pmp_mntpoint, F_OK) == 0 ?
		    EPERM : ENOENT;
	}
	pd->pd_mounted = true;
	fl = fcntl(fuse_session_fd(pd->pd_se), F_GETFL);
	if (fl == -1 || fcntl(fuse_session_fd(pd->pd_se), F_SETFL,
	    fl | O_NONBLOCK) == -1)
		fatal("fcntl on /dev/fuse");
	return 0;
}

/* Read and process one FUSE request; false once the session is over. */
static bool
fuse_one(struct puffsd *pd)
{
	int res;

	res = fuse_session_receive_buf(pd->pd_se, &fuse_rbuf);
	if (res == -EINTR || res == -EAGAIN)
		return true;
	if (res <= 0 || fuse_session_exited(pd->pd_se)) {
		if (res < 0)
			log_warnx("reading /dev/fuse: %s", strerror(-res));
		return false;
	}
	fuse_session_process_buf(pd->pd_se, &fuse_rbuf);
	return true;
}

static void
fuse_readcb(evutil_socket_t fd, short what, void *arg)
{
	struct puffsd *pd = arg;

	(void)fd;
	(void)what;
	if (!fuse_one(pd)) {
		/* Unmounted (or aborted) from outside: no mount to remove. */
		pd->pd_mounted = false;
		event_del(pd->pd_fuseev);
		puffsd_sessionend(pd);
	}
}

void
fuse_listen(struct puffsd *pd)
{
	pd->pd_fuseev = event_new(pd->pd_base, fuse_session_fd(pd->pd_se),
	    EV_READ | EV_PERSIST, fuse_readcb, pd);
	if (pd->pd_fuseev == NULL || event_add(pd->pd_fuseev, NULL) != 0)
		fatalx("cannot watch /dev/fuse");
	cachectl_start(&pd->pd_mount, pd->pd_se, pd->pd_base);
	pd->pd_mount.pmp_flush = cachectl_flush;
}

/*
 * Answer what Linux already queued (the mount is DYING: with ENXIO), so
 * that callers see our error rather than the kernel's ENOTCONN.
 */
void
fuse_drain(struct puffsd *pd)
{
	struct pollfd pfd;
	int i;

	if (pd->pd_se == NULL || !pd->pd_mounted)
		return;
	pfd.fd = fuse_session_fd(pd->pd_se);
	pfd.events = POLLIN;
	for (i = 0; i < 1024 && poll(&pfd, 1, 0) == 1; i++)
		if (!(pfd.revents & POLLIN) || !fuse_one(pd))
			break;
}

/* Remove the mount lazily (a busy mount must not keep us) and free. */
void
fuse_detach(struct puffsd *pd)
{
	if (pd->pd_fuseev != NULL) {
		event_free(pd->pd_fuseev);
		pd->pd_fuseev = NULL;
	}
	if (pd->pd_se == NULL)
		return;
	vn_lock_drain();
	/*
	 * Also after the user unmounted: libfuse then sees the dead
	 * connection, skips the umount and frees its mountpoint copy.
	 */
	pd->pd_mount.pmp_flush = NULL;
	if (!cachectl_stop()) {
		/* The worker still uses the session: unmount, keep it. */
		fuse_session_unmount(pd->pd_se);
		pd->pd_mounted = false;
		pd->pd_se = NULL;
		vn_fh_freeall(&pd->pd_mount);
		return;
	}
	fuse_session_unmount(pd->pd_se);
	pd->pd_mounted = false;
	fuse_session_destroy(pd->pd_se);
	pd->pd_se = NULL;
	vn_fh_freeall(&pd->pd_mount);
	free(fuse_rbuf.mem);
	fuse_rbuf.mem = NULL;
}
