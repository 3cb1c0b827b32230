/*
 * passthrough_ll.c: the benchmark's baseline, a native FUSE file system on
 * libfuse's lowlevel API that mirrors a host directory.  It answers every
 * request itself, so run.sh can set "what plain FUSE costs" beside puffsd,
 * which adds the hop to a puffs server.  Used only by bench/run.sh.
 *
 * usage: bench-passthrough SOURCE MOUNTPOINT
 *
 * Fairness: it asks the kernel for what puffsd asks with the example
 * servers' default flags (src/fuse.c, src/cachectl.c):
 *   - names cached 60 s, negative ones too (puffsd without NOCACHE_NAME);
 *   - attributes not cached (puffsd without CACHE_FS_TTL: NetBSD has no
 *     attribute cache), so every stat reaches the daemon;
 *   - keep_cache on open, no direct_io, no writeback cache;
 *   - no READDIRPLUS, no locks, no atomic O_TRUNC, no export support, no
 *     auto_inval_data; max_write left at libfuse's 1 MiB (puffsd clamps
 *     to its 1 MiB message payload, the same number);
 *   - allow_other and dev when run as root, as puffsd mounts;
 *   - extended attributes implemented, as the puffs servers do, so the
 *     kernel's security.capability probe before each write costs both
 *     the same round trip.
 *   - the same malloc thresholds as puffsd (src/main.c), so that its 1 MiB
 *     read buffers are reused rather than fresh page-faulted mmaps.
 * Like puffsd (one libevent loop) it is single-threaded:
 * fuse_session_loop, one request at a time.
 *
 * Nodes are the O_PATH descriptors of the host files, one per (dev, ino),
 * counted by lookups and freed on forget (so the descriptor limit is
 * raised to the hard limit: 100,000 known nodes need as many).
 */
#define FUSE_USE_VERSION 314
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fuse_lowlevel.h>
#include <glib.h>

#define PT_ENTRY_TTL	60.0	/* puffsd's CC_ENTRY_TIMEOUT */
#define PT_ATTR_TTL	0.0	/* puffsd without CACHE_FS_TTL */
#define PT_XATTR_MAX	65536

struct pt_node {
	dev_t		 dev;
	ino_t		 ino;
	int		 fd;		/* O_PATH */
	uint64_t	 nlookup;
};

struct pt_dir {
	DIR		*d;
	off_t		 pos;		/* where d stands (telldir) */
	struct dirent	*held;		/* read, did not fit the last reply */
};

static struct pt_node	 pt_root;
static GHashTable	*pt_nodes;	/* (dev, ino) -> pt_node */

static guint
pt_hash(gconstpointer k)
{
	const struct pt_node *n = k;

	return (guint)(n->ino ^ (n->ino >> 32) ^ n->dev);
}

static gboolean
pt_equal(gconstpointer a, gconstpointer b)
{
	const struct pt_node *x = a, *y = b;

	return x->dev == y->dev && x->ino == y->ino;
}

static struct pt_node *
pt_node(fuse_ino_t ino)
{
	return ino == FUSE_ROOT_ID ? &pt_root :
	    (struct pt_node *)(uintptr_t)ino;
}

static fuse_ino_t
pt_ino(struct pt_node *n)
{
	return n == &pt_root ? FUSE_ROOT_ID : (fuse_ino_t)(uintptr_t)n;
}

/* The node's path for calls that take no O_PATH descriptor. */
static void
pt_path(const struct pt_node *n, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", n->fd);
}

static int
pt_stat(const struct pt_node *n, struct stat *st)
{
	return fstatat(n->fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
}

/*
 * Find or make the node of name in parent, counting one lookup; fill e.
 * Returns 0 or an errno.
 */
static int
pt_entry(struct pt_node *parent, const char *name,
    struct fuse_entry_param *e)
{
	struct pt_node key, *n;
	int fd;

	memset(e, 0, sizeof(*e));
	fd = openat(parent->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return errno;
	if (fstatat(fd, "", &e->attr, AT_EMPTY_PATH |
	    AT_SYMLINK_NOFOLLOW) == -1) {
		int error = errno;

		close(fd);
		return error;
	}
	key.dev = e->attr.st_dev;
	key.ino = e->attr.st_ino;
	if ((n = g_hash_table_lookup(pt_nodes, &key)) != NULL) {
		close(fd);
	} else {
		n = g_new0(struct pt_node, 1);
		n->dev = key.dev;
		n->ino = key.ino;
		n->fd = fd;
		g_hash_table_add(pt_nodes, n);
	}
	n->nlookup++;
	e->ino = pt_ino(n);
	e->attr_timeout = PT_ATTR_TTL;
	e->entry_timeout = PT_ENTRY_TTL;
	return 0;
}

static void
pt_reply_entry(fuse_req_t req, struct pt_node *parent, const char *name)
{
	struct fuse_entry_param e;
	int error;

	if ((error = pt_entry(parent, name, &e)) != 0)
		fuse_reply_err(req, error);
	else if (fuse_reply_entry(req, &e) != 0)
		pt_node((fuse_ino_t)e.ino)->nlookup--;
}

static void
pt_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* What src/fuse.c turns off for a server without ADVLOCK. */
	conn->want &= ~(FUSE_CAP_READDIRPLUS | FUSE_CAP_READDIRPLUS_AUTO);
	conn->want &= ~(FUSE_CAP_POSIX_LOCKS | FUSE_CAP_FLOCK_LOCKS);
	conn->want &= ~(FUSE_CAP_ATOMIC_O_TRUNC | FUSE_CAP_EXPORT_SUPPORT);
	conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
}

static void
pt_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	int error;

	if ((error = pt_entry(pt_node(parent), name, &e)) == ENOENT) {
		/* Remembered, as puffsd lets Linux keep negative names. */
		memset(&e, 0, sizeof(e));
		e.entry_timeout = PT_ENTRY_TTL;
		fuse_reply_entry(req, &e);
	} else if (error != 0)
		fuse_reply_err(req, error);
	else if (fuse_reply_entry(req, &e) != 0)
		pt_node((fuse_ino_t)e.ino)->nlookup--;
}

static void
pt_forget1(fuse_ino_t ino, uint64_t count)
{
	struct pt_node *n = pt_node(ino);

	if (n == &pt_root)
		return;
	n->nlookup -= count < n->nlookup ? count : n->nlookup;
	if (n->nlookup == 0) {
		g_hash_table_remove(pt_nodes, n);
		close(n->fd);
		g_free(n);
	}
}

static void
pt_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	pt_forget1(ino, nlookup);
	fuse_reply_none(req);
}

static void
pt_forget_multi(fuse_req_t req, size_t count,
    struct fuse_forget_data *forgets)
{
	size_t i;

	for (i = 0; i < count; i++)
		pt_forget1(forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static void
pt_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;

	(void)fi;
	if (pt_stat(pt_node(ino), &st) == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_attr(req, &st, PT_ATTR_TTL);
}

/* One setattr change; 0 or -1 with errno. */
static int
pt_setattr1(struct pt_node *n, const struct stat *attr, int valid,
    struct fuse_file_info *fi)
{
	char path[64];
	struct timespec ts[2];
	uid_t uid = (valid & FUSE_SET_ATTR_UID) ? attr->st_uid : (uid_t)-1;
	gid_t gid = (valid & FUSE_SET_ATTR_GID) ? attr->st_gid : (gid_t)-1;

	pt_path(n, path, sizeof(path));
	if ((valid & FUSE_SET_ATTR_MODE) && (fi != NULL ?
	    fchmod((int)fi->fh, attr->st_mode) :
	    chmod(path, attr->st_mode)) == -1)
		return -1;
	if ((valid & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) &&
	    fchownat(n->fd, "", uid, gid, AT_EMPTY_PATH |
	    AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	if ((valid & FUSE_SET_ATTR_SIZE) && (fi != NULL ?
	    ftruncate((int)fi->fh, attr->st_size) :
	    truncate(path, attr->st_size)) == -1)
		return -1;
	if (valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME)) {
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
		if (valid & FUSE_SET_ATTR_ATIME_NOW)
			ts[0].tv_nsec = UTIME_NOW;
		else if (valid & FUSE_SET_ATTR_ATIME)
			ts[0] = attr->st_atim;
		if (valid & FUSE_SET_ATTR_MTIME_NOW)
			ts[1].tv_nsec = UTIME_NOW;
		else if (valid & FUSE_SET_ATTR_MTIME)
			ts[1] = attr->st_mtim;
		if ((fi != NULL ? futimens((int)fi->fh, ts) :
		    utimensat(AT_FDCWD, path, ts, 0)) == -1)
			return -1;
	}
	return 0;
}

static void
pt_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int valid,
    struct fuse_file_info *fi)
{
	if (pt_setattr1(pt_node(ino), attr, valid, fi) == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	pt_getattr(req, ino, fi);
}

static void
pt_readlink(fuse_req_t req, fuse_ino_t ino)
{
	char buf[PATH_MAX + 1];
	ssize_t n;

	n = readlinkat(pt_node(ino)->fd, "", buf, sizeof(buf) - 1);
	if (n == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	buf[n] = '\0';
	fuse_reply_readlink(req, buf);
}

static void
pt_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    dev_t rdev)
{
	struct pt_node *p = pt_node(parent);

	if (mknodat(p->fd, name, mode, rdev) == -1)
		fuse_reply_err(req, errno);
	else
		pt_reply_entry(req, p, name);
}

static void
pt_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	struct pt_node *p = pt_node(parent);

	if (mkdirat(p->fd, name, mode) == -1)
		fuse_reply_err(req, errno);
	else
		pt_reply_entry(req, p, name);
}

static void
pt_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
    const char *name)
{
	struct pt_node *p = pt_node(parent);

	if (symlinkat(link, p->fd, name) == -1)
		fuse_reply_err(req, errno);
	else
		pt_reply_entry(req, p, name);
}

static void
pt_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
    const char *newname)
{
	struct pt_node *p = pt_node(newparent);
	char path[64];

	pt_path(pt_node(ino), path, sizeof(path));
	if (linkat(AT_FDCWD, path, p->fd, newname, AT_SYMLINK_FOLLOW) == -1)
		fuse_reply_err(req, errno);
	else
		pt_reply_entry(req, p, newname);
}

static void
pt_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, unlinkat(pt_node(parent)->fd, name, 0) == -1 ?
	    errno : 0);
}

static void
pt_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, unlinkat(pt_node(parent)->fd, name,
	    AT_REMOVEDIR) == -1 ? errno : 0);
}

static void
pt_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
    fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	fuse_reply_err(req, renameat2(pt_node(parent)->fd, name,
	    pt_node(newparent)->fd, newname, flags) == -1 ? errno : 0);
}

static void
pt_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	char path[64];
	int fd;

	pt_path(pt_node(ino), path, sizeof(path));
	fd = open(path, (fi->flags & ~O_NOFOLLOW) | O_CLOEXEC);
	if (fd == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	fi->fh = (uint64_t)fd;
	fi->keep_cache = 1;
	if (fuse_reply_open(req, fi) != 0)
		close(fd);
}

static void
pt_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    struct fuse_file_info *fi)
{
	struct pt_node *p = pt_node(parent);
	struct fuse_entry_param e;
	int fd, error;

	fd = openat(p->fd, name, (fi->flags | O_CREAT | O_CLOEXEC) &
	    ~O_NOFOLLOW, mode);
	if (fd == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	if ((error = pt_entry(p, name, &e)) != 0) {
		close(fd);
		fuse_reply_err(req, error);
		return;
	}
	fi->fh = (uint64_t)fd;
	fi->keep_cache = 1;
	if (fuse_reply_create(req, &e, fi) != 0) {
		close(fd);
		pt_forget1(e.ino, 1);
	}
}

static void
pt_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	char *buf = g_malloc(size > 0 ? size : 1);
	ssize_t n;

	(void)ino;
	n = pread((int)fi->fh, buf, size, off);
	if (n == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buf, (size_t)n);
	g_free(buf);
}

static void
pt_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
    off_t off, struct fuse_file_info *fi)
{
	ssize_t n;

	(void)ino;
	n = pwrite((int)fi->fh, buf, size, off);
	if (n == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_write(req, (size_t)n);
}

static void
pt_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}

static void
pt_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	close((int)fi->fh);
	fuse_reply_err(req, 0);
}

static void
pt_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	int fd = (int)fi->fh;

	(void)ino;
	fuse_reply_err(req, (datasync ? fdatasync(fd) : fsync(fd)) == -1 ?
	    errno : 0);
}

static void
pt_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct pt_dir *d;
	int fd;

	fd = openat(pt_node(ino)->fd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	if (fd == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	d = g_new0(struct pt_dir, 1);
	if ((d->d = fdopendir(fd)) == NULL) {
		fuse_reply_err(req, errno);
		close(fd);
		g_free(d);
		return;
	}
	fi->fh = (uint64_t)(uintptr_t)d;
	if (fuse_reply_open(req, fi) != 0) {
		closedir(d->d);
		g_free(d);
	}
}

static void
pt_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct pt_dir *d = (struct pt_dir *)(uintptr_t)fi->fh;
	char *buf = g_malloc(size);
	size_t used = 0, n;
	struct stat st;

	(void)ino;
	if (off != d->pos) {
		seekdir(d->d, off);
		d->held = NULL;
		d->pos = off;
	}
	for (;;) {
		struct dirent *de = d->held;

		if (de == NULL) {
			errno = 0;
			if ((de = readdir(d->d)) == NULL)
				break;
		}
		d->held = NULL;
		memset(&st, 0, sizeof(st));
		st.st_ino = de->d_ino;
		st.st_mode = (mode_t)de->d_type << 12;
		n = fuse_add_direntry(req, buf + used, size - used, de->d_name,
		    &st, telldir(d->d));
		if (n > size - used) {
			d->held = de;	/* the next call starts with it */
			break;
		}
		used += n;
		d->pos = telldir(d->d);
	}
	if (used == 0 && errno != 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buf, used);
	g_free(buf);
}

static void
pt_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct pt_dir *d = (struct pt_dir *)(uintptr_t)fi->fh;

	(void)ino;
	closedir(d->d);
	g_free(d);
	fuse_reply_err(req, 0);
}

static void
pt_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	struct pt_dir *d = (struct pt_dir *)(uintptr_t)fi->fh;
	int fd = dirfd(d->d);

	(void)ino;
	fuse_reply_err(req, (datasync ? fdatasync(fd) : fsync(fd)) == -1 ?
	    errno : 0);
}

static void
pt_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs sv;

	if (fstatvfs(pt_node(ino)->fd, &sv) == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_statfs(req, &sv);
}

static void
pt_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	char path[64];

	pt_path(pt_node(ino), path, sizeof(path));
	fuse_reply_err(req, faccessat(AT_FDCWD, path, mask, 0) == -1 ?
	    errno : 0);
}

static void
pt_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
    const char *value, size_t size, int flags)
{
	char path[64];

	pt_path(pt_node(ino), path, sizeof(path));
	fuse_reply_err(req, setxattr(path, name, value, size, flags) == -1 ?
	    errno : 0);
}

/* getxattr and listxattr: the size for size 0, else the bytes. */
static void
pt_xattr_reply(fuse_req_t req, ssize_t n, const char *buf, size_t size)
{
	if (n == -1)
		fuse_reply_err(req, errno);
	else if (size == 0)
		fuse_reply_xattr(req, (size_t)n);
	else
		fuse_reply_buf(req, buf, (size_t)n);
}

static void
pt_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	char path[64], *buf;

	pt_path(pt_node(ino), path, sizeof(path));
	if (size > PT_XATTR_MAX)
		size = PT_XATTR_MAX;
	buf = size > 0 ? g_malloc(size) : NULL;
	pt_xattr_reply(req, getxattr(path, name, buf, size), buf, size);
	g_free(buf);
}

static void
pt_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	char path[64], *buf;

	pt_path(pt_node(ino), path, sizeof(path));
	if (size > PT_XATTR_MAX)
		size = PT_XATTR_MAX;
	buf = size > 0 ? g_malloc(size) : NULL;
	pt_xattr_reply(req, listxattr(path, buf, size), buf, size);
	g_free(buf);
}

static void
pt_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	char path[64];

	pt_path(pt_node(ino), path, sizeof(path));
	fuse_reply_err(req, removexattr(path, name) == -1 ? errno : 0);
}

static const struct fuse_lowlevel_ops pt_ops = {
	.init = pt_init,
	.lookup = pt_lookup,
	.forget = pt_forget,
	.forget_multi = pt_forget_multi,
	.getattr = pt_getattr,
	.setattr = pt_setattr,
	.readlink = pt_readlink,
	.mknod = pt_mknod,
	.mkdir = pt_mkdir,
	.symlink = pt_symlink,
	.unlink = pt_unlink,
	.rmdir = pt_rmdir,
	.rename = pt_rename,
	.link = pt_link,
	.open = pt_open,
	.create = pt_create,
	.read = pt_read,
	.write = pt_write,
	.flush = pt_flush,
	.release = pt_release,
	.fsync = pt_fsync,
	.opendir = pt_opendir,
	.readdir = pt_readdir,
	.releasedir = pt_releasedir,
	.fsyncdir = pt_fsyncdir,
	.statfs = pt_statfs,
	.access = pt_access,
	.setxattr = pt_setxattr,
	.getxattr = pt_getxattr,
	.listxattr = pt_listxattr,
	.removexattr = pt_removexattr,
};

int
main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_session *se;
	struct rlimit rl;
	struct stat st;
	int rv = 1;

	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
	/* A descriptor per known node: as many as we may have. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (argc != 3) {
		fprintf(stderr, "usage: bench-passthrough SOURCE MOUNTPOINT\n");
		return 2;
	}
	pt_root.fd = open(argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pt_root.fd == -1 || fstat(pt_root.fd, &st) == -1) {
		perror(argv[1]);
		return 1;
	}
	pt_root.dev = st.st_dev;
	pt_root.ino = st.st_ino;
	pt_root.nlookup = 1;
	pt_nodes = g_hash_table_new(pt_hash, pt_equal);

	fuse_opt_add_arg(&args, argv[0]);
	fuse_opt_add_arg(&args, "-o");
	fuse_opt_add_arg(&args, geteuid() == 0 ?
	    "fsname=passthrough,subtype=bench,allow_other,dev" :
	    "fsname=passthrough,subtype=bench");
	se = fuse_session_new(&args, &pt_ops, sizeof(pt_ops), NULL);
	fuse_opt_free_args(&args);
	if (se == NULL)
		return 1;
	if (fuse_set_signal_handlers(se) == 0) {
		if (fuse_session_mount(se, argv[2]) == 0) {
			rv = fuse_session_loop(se) != 0;
			fuse_session_unmount(se);
		}
		fuse_remove_signal_handlers(se);
	}
	fuse_session_destroy(se);
	return rv;
}
