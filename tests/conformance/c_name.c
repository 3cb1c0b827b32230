/*
 * c_name.c: conformance cases for the name space: link, mkdir, mkfifo,
 * mknod, rmdir, symlink and unlink, with their errors, link counts, parent
 * times and the permission rules (write+search on the parent, sticky
 * directories, set-group-ID directories).  Run by conf.c.
 */
#include "conf.h"

#include <sys/sysmacros.h>

#include <dirent.h>
#include <errno.h>

/* --- link --- */

static void
link_basic(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "shared");
	cf_past(c, "f");
	cf_past(c, "");
	HX_DO(c, link(P("f"), P("g")));
	hx_stat(c, "f");
	hx_stat(c, "g");
	hx_content(c, "g");
	hx_times(c, "f", PAST);
	hx_times(c, "", PAST);
	HX_DO(c, unlink(P("f")));
	hx_stat(c, "g");
	hx_content(c, "g");
}

static void
link_errors(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	cf_mkfile(c, "g", 0644, "y");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, link(P("f"), P("g")));
	HX_DO(c, link(P("f"), P("d")));
	HX_DO(c, link(P("nope"), P("h")));
	HX_DO(c, link(P("d"), P("dl")));
	HX_DO(c, link(P("f"), P("nodir/h")));
	HX_DO(c, link(P("f"), P("g/h")));
	HX_DO(c, link(P("f/x"), P("h")));
	hx_stat(c, "f");
}

static void
link_symlink(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, symlink("f", P("l")));
	HX_DO(c, linkat(AT_FDCWD, P("l"), AT_FDCWD, P("l2"), 0));
	hx_lstat(c, "l2");
	hx_stat(c, "f");
	HX_DO(c, linkat(AT_FDCWD, P("l"), AT_FDCWD, P("f2"),
	    AT_SYMLINK_FOLLOW));
	hx_lstat(c, "f2");
	hx_lstat(c, "l");
}

static void
link_many(struct hx_ctx *c)
{
	char from[32], to[32];

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, mkdir(P("d"), 0755));
	for (int i = 0; i < 20; i++) {
		snprintf(to, sizeof(to), "d/l%02d", i);
		if (link(P("f"), P(to)) == -1)
			hx_note(c, "link %d = -1 %s", i, hx_errname(errno));
	}
	hx_stat(c, "f");
	for (int i = 0; i < 20; i += 2) {
		snprintf(from, sizeof(from), "d/l%02d", i);
		if (unlink(P(from)) == -1)
			hx_note(c, "unlink %d = -1 %s", i, hx_errname(errno));
	}
	hx_stat(c, "d/l01");
	cf_list(c, "d");
}

static void
link_fifo(struct hx_ctx *c)
{
	HX_DO(c, mkfifo(P("p"), 0644));
	HX_DO(c, link(P("p"), P("q")));
	hx_stat(c, "q");
	HX_DO(c, symlink("p", P("l")));
	HX_DO(c, link(P("l"), P("l2")));
	hx_lstat(c, "l2");
}

/* Write and search permission on the target directory. */
static void
link_perm(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0666, "x");
	HX_DO(c, chmod(P("f"), 0666));
	cf_mkdir(c, "closed", 0755);
	cf_mkdir(c, "open", 0777);
	cf_mkdir(c, "noexec", 0776);
	AS(c, U1, G1) {
		HX_DO(c, link(P("f"), P("closed/l")));
		HX_DO(c, link(P("f"), P("open/l")));
		HX_DO(c, link(P("f"), P("noexec/l")));
	}
	hx_stat(c, "f");
}

/*
 * fs.protected_hardlinks: strangers may only link what they could read
 * and write.  The VFS asks inode_permission(), which a FUSE mount without
 * default_permissions answers "yes" (the server checks, as on NetBSD,
 * which has no such rule), so the mount allows these links.
 */
static void
link_protected(struct hx_ctx *c)
{
	cf_mkdir(c, "open", 0777);
	cf_mkfile(c, "ro", 0644, "x");
	cf_mkfile(c, "priv", 0600, "x");
	AS(c, U1, G1) {
		CF_EXPECT(c, "EPERM", "0", link(P("ro"), P("open/ro")));
		CF_EXPECT(c, "EPERM", "0", link(P("priv"), P("open/priv")));
		cf_mkfile(c, "open/mine", 0600, "x");
		HX_DO(c, link(P("open/mine"), P("open/mine2")));
	}
	hx_stat(c, "open/mine");
}

/* --- mkdir --- */

static void
mkdir_modes(struct hx_ctx *c)
{
	static const mode_t modes[] = { 0777, 0755, 0700, 01777, 02777,
	    04777, 0 };
	char name[16];

	for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
		snprintf(name, sizeof(name), "d%zu", i);
		HX_DO(c, mkdir(P(name), modes[i]));
		hx_stat(c, name);
	}
	umask(0);
	HX_DO(c, mkdir(P("u0"), 0777));
	hx_stat(c, "u0");
	umask(077);
	HX_DO(c, mkdir(P("u77"), 0777));
	hx_stat(c, "u77");
	umask(022);
}

static void
mkdir_nlink_times(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("p"), 0755));
	cf_past(c, "p");
	hx_stat(c, "p");
	HX_DO(c, mkdir(P("p/a"), 0755));
	HX_DO(c, mkdir(P("p/b"), 0755));
	hx_stat(c, "p");
	hx_stat(c, "p/a");
	hx_times(c, "p", PAST);
	hx_times(c, "p/a", PAST);
}

static void
mkdir_errors(struct hx_ctx *c)
{
	char longname[300];

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, symlink("nothing", P("dangling")));
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, mkdir(P("f"), 0755));
	HX_DO(c, mkdir(P("dangling"), 0755));
	HX_DO(c, mkdir(P("nodir/x"), 0755));
	HX_DO(c, mkdir(P("f/x"), 0755));
	HX_DO(c, mkdir(P("d/"), 0755));
	HX_DO(c, mkdir(P("e/"), 0755));
	hx_stat(c, "e");
	memset(longname, 'n', sizeof(longname));
	longname[256] = '\0';
	HX_DO(c, mkdir(P(longname), 0755));
	longname[255] = '\0';
	HX_DO(c, mkdir(P(longname), 0755));
	hx_stat(c, longname);
}

static void
mkdir_perm(struct hx_ctx *c)
{
	cf_mkdir(c, "closed", 0755);
	cf_mkdir(c, "open", 0777);
	cf_mkdir(c, "wonly", 0733);
	cf_mkdir(c, "noexec", 0776);
	AS(c, U1, G1) {
		HX_DO(c, mkdir(P("closed/d"), 0755));
		HX_DO(c, mkdir(P("open/d"), 0755));
		hx_stat(c, "open/d");
		HX_DO(c, mkdir(P("wonly/d"), 0755));
		HX_DO(c, mkdir(P("noexec/d"), 0755));
	}
	cf_list(c, "open");
	cf_list(c, "wonly");
}

/* A new node's group: the creator's, or the directory's when the
 * directory is set-group-ID (which a new directory inherits). */
static void
mkdir_group(struct hx_ctx *c)
{
	cf_mkdir(c, "plain", 0777);
	HX_DO(c, chown(P("plain"), 0, G2));
	cf_mkdir(c, "sgid", 0777);
	HX_DO(c, chown(P("sgid"), 0, G2));
	HX_DO(c, chmod(P("sgid"), 02777));
	AS(c, U1, G1) {
		HX_DO(c, mkdir(P("plain/d"), 0755));
		cf_mkfile(c, "plain/f", 0644, "");
		HX_DO(c, mkdir(P("sgid/d"), 0755));
		cf_mkfile(c, "sgid/f", 0644, "");
	}
	hx_stat(c, "plain/d");
	hx_stat(c, "plain/f");
	hx_stat(c, "sgid/d");
	hx_stat(c, "sgid/f");
}

/* --- mkfifo and mknod --- */

static void
mkfifo_basic(struct hx_ctx *c)
{
	char buf[16];
	int r, w;

	HX_DO(c, mkfifo(P("p"), 0666));
	hx_stat(c, "p");
	HX_DO(c, mkfifo(P("p"), 0666));
	HX_DO(c, mkfifo(P("nodir/p"), 0666));
	HX_FD(c, &r, open(P("p"), O_RDONLY | O_NONBLOCK));
	HX_FD(c, &w, open(P("p"), O_WRONLY | O_NONBLOCK));
	HX_DO(c, write(w, "through", 7));
	HX_DO(c, read(r, buf, sizeof(buf)));
	HX_DO(c, close(w));
	HX_DO(c, read(r, buf, sizeof(buf)));
	HX_DO(c, close(r));
	hx_stat(c, "p");
	umask(0);
	HX_DO(c, mkfifo(P("q"), 0777));
	hx_stat(c, "q");
	umask(022);
}

static void
mkfifo_perm(struct hx_ctx *c)
{
	cf_mkdir(c, "closed", 0755);
	cf_mkdir(c, "open", 0777);
	AS(c, U1, G1) {
		HX_DO(c, mkfifo(P("closed/p"), 0644));
		HX_DO(c, mkfifo(P("open/p"), 0644));
		hx_stat(c, "open/p");
	}
}

static void
mknod_types(struct hx_ctx *c)
{
	HX_DO(c, mknod(P("reg"), S_IFREG | 0640, 0));
	hx_stat(c, "reg");
	HX_DO(c, mknod(P("plain"), 0640, 0));
	hx_stat(c, "plain");
	HX_DO(c, mknod(P("fifo"), S_IFIFO | 0640, 0));
	hx_stat(c, "fifo");
	HX_DO(c, mknod(P("chr"), S_IFCHR | 0620, makedev(4, 64)));
	hx_stat(c, "chr");
	HX_DO(c, mknod(P("blk"), S_IFBLK | 0660, makedev(8, 17)));
	hx_stat(c, "blk");
	HX_DO(c, mknod(P("bigdev"), S_IFCHR | 0600, makedev(300, 70000)));
	hx_stat(c, "bigdev");
	HX_DO(c, mknod(P("sock"), S_IFSOCK | 0777, 0));
	hx_stat(c, "sock");
	cf_list(c, "");
}

static void
mknod_errors(struct hx_ctx *c)
{
	HX_DO(c, mknod(P("reg"), S_IFREG | 0640, 0));
	HX_DO(c, mknod(P("reg"), S_IFIFO | 0640, 0));
	HX_DO(c, mknod(P("dir"), S_IFDIR | 0755, 0));
	HX_DO(c, mknod(P("bad"), 0170000 | 0755, 0));
	HX_DO(c, mknod(P("nodir/x"), S_IFREG | 0640, 0));
	HX_DO(c, mknod(P("reg/x"), S_IFREG | 0640, 0));
}

static void
mknod_perm(struct hx_ctx *c)
{
	cf_mkdir(c, "open", 0777);
	AS(c, U1, G1) {
		HX_DO(c, mknod(P("open/chr"), S_IFCHR | 0600, makedev(1, 3)));
		HX_DO(c, mknod(P("open/fifo"), S_IFIFO | 0600, 0));
		HX_DO(c, mknod(P("open/reg"), S_IFREG | 0600, 0));
		hx_stat(c, "open/reg");
	}
	cf_list(c, "open");
}

/* The node's inode is the server's; the device behind it is not. */
static void
mknod_chr_open(struct hx_ctx *c)
{
	char buf[8];
	int fd;

	HX_DO(c, mknod(P("null"), S_IFCHR | 0666, makedev(1, 3)));
	HX_DO(c, mknod(P("zero"), S_IFCHR | 0666, makedev(1, 5)));
	HX_FD(c, &fd, open(P("null"), O_RDWR));
	HX_DO(c, write(fd, "gone", 4));
	HX_DO(c, read(fd, buf, sizeof(buf)));
	HX_DO(c, close(fd));
	HX_FD(c, &fd, open(P("zero"), O_RDONLY));
	HX_DO(c, read(fd, buf, sizeof(buf)));
	hx_note(c, "zero gives %d", buf[0] | buf[7]);
	HX_DO(c, close(fd));
}

/* --- rmdir --- */

static void
rmdir_basic(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("p"), 0755));
	HX_DO(c, mkdir(P("p/d"), 0755));
	cf_past(c, "p");
	hx_stat(c, "p");
	HX_DO(c, rmdir(P("p/d")));
	hx_stat(c, "p");
	hx_stat(c, "p/d");
	hx_times(c, "p", PAST);
	cf_list(c, "p");
	HX_DO(c, mkdir(P("p/d"), 0700));
	hx_stat(c, "p/d");
}

static void
rmdir_errors(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("d"), 0755));
	cf_mkfile(c, "d/f", 0644, "x");
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, symlink("d", P("ld")));
	HX_DO(c, rmdir(P("d")));
	HX_DO(c, rmdir(P("f")));
	HX_DO(c, rmdir(P("nope")));
	HX_DO(c, rmdir(P("ld")));
	HX_DO(c, rmdir(P("d/.")));
	HX_DO(c, rmdir(P("d/..")));
	HX_DO(c, rmdir(P("f/x")));
	HX_DO(c, unlink(P("d/f")));
	HX_DO(c, rmdir(P("ld/")));
	HX_DO(c, rmdir(P("d/")));
	hx_stat(c, "d");
}

static void
rmdir_open(struct hx_ctx *c)
{
	struct dirent *de;
	int fd, n = 0;
	DIR *d;

	HX_DO(c, mkdir(P("d"), 0755));
	HX_FD(c, &fd, open(P("d"), O_RDONLY | O_DIRECTORY));
	d = opendir(P("d"));
	HX_DO(c, rmdir(P("d")));
	hx_stat(c, "d");
	if (d != NULL) {
		while ((de = readdir(d)) != NULL)
			n++;
		closedir(d);
	}
	hx_note(c, "entries of the removed dir: %d", n);
	HX_DO(c, openat(fd, "new", O_CREAT | O_WRONLY, 0644));
	HX_DO(c, mkdirat(fd, "sub", 0755));
	HX_DO(c, close(fd));
}

static void
rmdir_perm(struct hx_ctx *c)
{
	cf_mkdir(c, "closed", 0755);
	cf_mkdir(c, "closed/d", 0777);
	cf_mkdir(c, "open", 0777);
	cf_mkdir(c, "open/rootd", 0755);
	AS(c, U1, G1) {
		HX_DO(c, rmdir(P("closed/d")));
		HX_DO(c, rmdir(P("open/rootd")));
		HX_DO(c, mkdir(P("open/mine"), 0755));
		HX_DO(c, rmdir(P("open/mine")));
	}
	cf_list(c, "closed");
	cf_list(c, "open");
}

static void
rmdir_sticky(struct hx_ctx *c)
{
	cf_mkdir(c, "t", 01777);
	AS(c, U1, G1) {
		HX_DO(c, mkdir(P("t/u1"), 0777));
		HX_DO(c, mkdir(P("t/u1b"), 0777));
	}
	AS(c, U2, G2) {
		HX_DO(c, rmdir(P("t/u1")));
		HX_DO(c, mkdir(P("t/u2"), 0777));
	}
	HX_DO(c, chown(P("t"), U2, G2));
	AS(c, U2, G2) {
		HX_DO(c, rmdir(P("t/u1")));
	}
	HX_DO(c, rmdir(P("t/u1b")));
	cf_list(c, "t");
}

/* --- symlink --- */

static void
symlink_basic(struct hx_ctx *c)
{
	char buf[PATH_MAX];
	ssize_t n;

	HX_DO(c, symlink("some/where", P("l")));
	hx_lstat(c, "l");
	errno = 0;
	n = readlink(P("l"), buf, sizeof(buf));
	hx_note(c, "readlink = %zd \"%.*s\"", n, n > 0 ? (int)n : 0, buf);
	hx_stat(c, "l");
	HX_DO(c, readlink(P("l"), buf, 4));
	hx_note(c, "short readlink: %.4s", buf);
	cf_mkfile(c, "f", 0600, "x");
	HX_DO(c, readlink(P("f"), buf, sizeof(buf)));
	HX_DO(c, readlink(P("nope"), buf, sizeof(buf)));
	HX_DO(c, symlink("/absolute/target", P("abs")));
	hx_lstat(c, "abs");
}

static void
symlink_errors(struct hx_ctx *c)
{
	char *t = g_malloc(PATH_MAX + 1);

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, symlink("x", P("f")));
	HX_DO(c, symlink("x", P("nodir/l")));
	HX_DO(c, symlink("x", P("f/l")));
	HX_DO(c, symlink("", P("empty")));
	memset(t, 'a', PATH_MAX);
	t[PATH_MAX] = '\0';
	HX_DO(c, symlink(t, P("toolong")));
	g_free(t);
}

/*
 * Targets up to NetBSD's MAXPATHLEN - 1 (1023) work on both; longer ones,
 * up to Linux's PATH_MAX - 1, only on tmpfs: the puffs SYMLINK message
 * carries at most MAXPATHLEN bytes, and NetBSD refuses longer targets.
 */
static void
symlink_long(struct hx_ctx *c)
{
	static const int lens[] = { 1000, 1023, 1024, 2048, PATH_MAX - 1 };
	char *t = g_malloc(PATH_MAX + 1), label[64], name[32];
	int r;

	for (size_t i = 0; i < G_N_ELEMENTS(lens); i++) {
		memset(t, 'a', lens[i]);
		t[lens[i]] = '\0';
		for (int k = 100; k < lens[i]; k += 100)
			t[k] = '/';
		snprintf(label, sizeof(label), "symlink(target of %d)",
		    lens[i]);
		snprintf(name, sizeof(name), "long%d", lens[i]);
		errno = 0;
		r = symlink(t, P(name));
		if (lens[i] < 1024)
			hx_rv(c, label, r, errno, 0);
		else
			cf_expect(c, label, r, errno, "0", "ENAMETOOLONG");
	}
	g_free(t);
}

static void
symlink_resolve(struct hx_ctx *c)
{
	int fd;

	HX_DO(c, mkdir(P("d"), 0755));
	cf_mkfile(c, "d/f", 0644, "deep");
	HX_DO(c, symlink("d", P("ld")));
	HX_DO(c, symlink("ld/f", P("lf")));
	HX_DO(c, symlink("../d/f", P("d/up")));
	hx_content(c, "lf");
	hx_content(c, "ld/up");
	HX_DO(c, symlink("loop2", P("loop1")));
	HX_DO(c, symlink("loop1", P("loop2")));
	hx_stat(c, "loop1");
	HX_FD(c, &fd, open(P("loop1"), O_RDONLY));
	HX_DO(c, symlink("new", P("dangling")));
	HX_FD(c, &fd, open(P("dangling"), O_CREAT | O_WRONLY, 0644));
	if (fd >= 0)
		close(fd);
	hx_stat(c, "new");
	HX_DO(c, symlink("lf", P("chain")));
	hx_content(c, "chain");
}

static void
symlink_owner(struct hx_ctx *c)
{
	cf_mkdir(c, "open", 0777);
	cf_mkdir(c, "closed", 0755);
	AS(c, U1, G1) {
		HX_DO(c, symlink("x", P("open/l")));
		hx_lstat(c, "open/l");
		HX_DO(c, symlink("x", P("closed/l")));
	}
	umask(077);
	HX_DO(c, symlink("x", P("masked")));
	umask(022);
	hx_lstat(c, "masked");
}

/* --- unlink --- */

static void
unlink_basic(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, link(P("f"), P("g")));
	cf_past(c, "");
	cf_past(c, "g");
	HX_DO(c, unlink(P("f")));
	hx_stat(c, "f");
	hx_stat(c, "g");
	hx_times(c, "", PAST);
	hx_times(c, "g", PAST);
	HX_DO(c, unlink(P("g")));
	cf_list(c, "");
}

static void
unlink_errors(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, unlink(P("d")));
	HX_DO(c, unlink(P("nope")));
	HX_DO(c, unlink(P("f/x")));
	HX_DO(c, unlink(P("f/")));
	HX_DO(c, unlink(P("d/")));
	HX_DO(c, unlink(P("")));
	hx_stat(c, "d");
}

static void
unlink_kinds(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "target");
	HX_DO(c, symlink("f", P("l")));
	HX_DO(c, unlink(P("l")));
	hx_content(c, "f");
	HX_DO(c, mkfifo(P("p"), 0644));
	HX_DO(c, unlink(P("p")));
	HX_DO(c, mknod(P("n"), S_IFCHR | 0600, makedev(1, 3)));
	HX_DO(c, unlink(P("n")));
	HX_DO(c, symlink("nothing", P("dangling")));
	HX_DO(c, unlink(P("dangling")));
	cf_list(c, "");
}

static void
unlink_open(struct hx_ctx *c)
{
	int fd;

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDWR, 0644));
	HX_DO(c, write(fd, "alive", 5));
	HX_DO(c, unlink(P("f")));
	hx_fstat(c, "f", fd);
	HX_DO(c, lseek(fd, 0, SEEK_SET));
	cf_read(c, "after unlink", fd, 16);
	HX_DO(c, fchmod(fd, 0600));
	hx_fstat(c, "f", fd);
	HX_DO(c, close(fd));
	cf_mkfile(c, "f", 0644, "new");
	hx_content(c, "f");
}

static void
unlink_perm(struct hx_ctx *c)
{
	cf_mkdir(c, "closed", 0755);
	cf_mkfile(c, "closed/f", 0666, "x");
	cf_mkdir(c, "open", 0777);
	cf_mkfile(c, "open/rootf", 0600, "x");
	cf_mkdir(c, "nox", 0776);
	cf_mkfile(c, "nox/f", 0666, "x");
	AS(c, U1, G1) {
		HX_DO(c, unlink(P("closed/f")));
		HX_DO(c, unlink(P("open/rootf")));
		HX_DO(c, unlink(P("nox/f")));
	}
	cf_list(c, "closed");
	cf_list(c, "open");
}

static void
unlink_sticky(struct hx_ctx *c)
{
	cf_mkdir(c, "t", 01777);
	AS(c, U1, G1) {
		cf_mkfile(c, "t/a", 0666, "x");
		cf_mkfile(c, "t/b", 0666, "x");
		cf_mkfile(c, "t/c", 0666, "x");
	}
	AS(c, U2, G2) {
		HX_DO(c, unlink(P("t/a")));
		cf_mkfile(c, "t/mine", 0644, "x");
		HX_DO(c, unlink(P("t/mine")));
	}
	AS(c, U1, G1) {
		HX_DO(c, unlink(P("t/a")));
	}
	HX_DO(c, chown(P("t"), U2, G2));
	AS(c, U2, G2) {
		HX_DO(c, unlink(P("t/b")));
	}
	HX_DO(c, unlink(P("t/c")));
	cf_list(c, "t");
}

const struct cf_case cf_name_cases[] = {
	{ "link", "basic", link_basic, NULL, NULL },
	{ "link", "errors", link_errors, NULL, NULL },
	{ "link", "symlink", link_symlink, NULL, NULL },
	{ "link", "many", link_many, NULL, NULL },
	{ "link", "fifo", link_fifo, NULL, NULL },
	{ "link", "perm", link_perm, NULL, NULL },
	{ "link", "protected", link_protected, NULL,
	    "fs.protected_hardlinks relies on inode_permission(), which FUSE "
	    "without default_permissions grants (the server checks; NetBSD "
	    "has no such rule): strangers may link others' files" },
	{ "mkdir", "modes", mkdir_modes, NULL, NULL },
	{ "mkdir", "nlink_times", mkdir_nlink_times, NULL, NULL },
	{ "mkdir", "errors", mkdir_errors, NULL, NULL },
	{ "mkdir", "perm", mkdir_perm, NULL, NULL },
	{ "mkdir", "group", mkdir_group, NULL, NULL },
	{ "mkfifo", "basic", mkfifo_basic, NULL, NULL },
	{ "mkfifo", "perm", mkfifo_perm, NULL, NULL },
	{ "mknod", "types", mknod_types, NULL, NULL },
	{ "mknod", "errors", mknod_errors, NULL, NULL },
	{ "mknod", "perm", mknod_perm, NULL, NULL },
	{ "mknod", "chr_open", mknod_chr_open, NULL, NULL },
	{ "rmdir", "basic", rmdir_basic, NULL, NULL },
	{ "rmdir", "errors", rmdir_errors, NULL, NULL },
	{ "rmdir", "open", rmdir_open, NULL, NULL },
	{ "rmdir", "perm", rmdir_perm, NULL, NULL },
	{ "rmdir", "sticky", rmdir_sticky, NULL, NULL },
	{ "symlink", "basic", symlink_basic, NULL, NULL },
	{ "symlink", "errors", symlink_errors, NULL, NULL },
	{ "symlink", "long_target", symlink_long, NULL,
	    "puffs carries a symlink target in MAXPATHLEN (1024) bytes as "
	    "NetBSD does: targets of 1024..4095 bytes are ENAMETOOLONG on the "
	    "mount" },
	{ "symlink", "resolve", symlink_resolve, NULL, NULL },
	{ "symlink", "owner", symlink_owner, NULL, NULL },
	{ "unlink", "basic", unlink_basic, NULL, NULL },
	{ "unlink", "errors", unlink_errors, NULL, NULL },
	{ "unlink", "kinds", unlink_kinds, NULL, NULL },
	{ "unlink", "open", unlink_open, NULL, NULL },
	{ "unlink", "perm", unlink_perm, NULL, NULL },
	{ "unlink", "sticky", unlink_sticky, NULL, NULL },
	CF_END
};
