/*
 * fsops.c: file system calls on a memfs mount, each compared with tmpfs.
 *
 * Every test case mounts memfs (through puffsd) and a tmpfs oracle in an
 * unchecked fixture, runs one scenario on both and asserts that results,
 * errnos and visible metadata match.  Meson runs one test case per test
 * (CK_RUN_CASE), so a failure names the scenario.
 */
#include "harness.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define P(rel)	hx_p(c, (rel))
#define PAST	1000000000	/* a time no fs clock hands out today */

static void
note_buf(struct hx_ctx *c, const char *what, const char *buf, long n)
{
	if (n < 0)
		return;
	hx_note(c, "%s data: \"%.*s\"", what, (int)n, buf);
}

static void
set_past(struct hx_ctx *c, const char *rel)
{
	struct timespec ts[2] = { { PAST, 0 }, { PAST, 0 } };

	HX_DO(c, utimensat(AT_FDCWD, P(rel), ts, AT_SYMLINK_NOFOLLOW));
}

static void
mkfile(struct hx_ctx *c, const char *rel, mode_t mode, const char *data)
{
	char label[PATH_MAX + 64];
	int fd, err;

	errno = 0;
	fd = open(P(rel), O_CREAT | O_WRONLY | O_TRUNC, mode);
	err = errno;
	snprintf(label, sizeof(label), "create(%s, 0%o)", rel,
	    (unsigned int)mode);
	hx_rv(c, label, fd, err, 1);
	if (fd < 0)
		return;
	errno = 0;
	snprintf(label, sizeof(label), "write(%s, \"%s\")", rel, data);
	hx_rv(c, label, write(fd, data, strlen(data)), errno, 0);
	HX_DO(c, close(fd));
}

static int
cmp_strp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted "name:type" of a directory, "." and ".." left out. */
static void
listdir(struct hx_ctx *c, const char *rel)
{
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
	struct dirent *de;
	GString *s = g_string_new(NULL);
	DIR *d;

	if ((d = opendir(P(rel))) == NULL) {
		hx_note(c, "opendir(%s) = -1 %s", rel, hx_errname(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			g_ptr_array_add(v, g_strdup_printf("%s:%u",
			    de->d_name, de->d_type));
	closedir(d);
	g_ptr_array_sort(v, cmp_strp);
	for (guint i = 0; i < v->len; i++)
		g_string_append_printf(s, " %s",
		    (char *)g_ptr_array_index(v, i));
	hx_note(c, "list(%s):%s", rel, s->str);
out:
	g_string_free(s, TRUE);
	g_ptr_array_unref(v);
}

static void
sc_create_rw(struct hx_ctx *c)
{
	char buf[64];
	size_t big = 3 * 1024 * 1024 + 17;
	char *data;
	long n;
	int fd;

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_WRONLY, 0644));
	HX_DO(c, write(fd, "hello, world\n", 13));
	HX_DO(c, close(fd));
	hx_stat(c, "f");
	hx_content(c, "f");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	HX_DO(c, pwrite(fd, "HELLO", 5, 0));
	HX_DO(c, n = pread(fd, buf, 8, 7));
	note_buf(c, "pread", buf, n);
	HX_DO(c, lseek(fd, 0, SEEK_END));
	HX_DO(c, read(fd, buf, 8));
	HX_DO(c, pwrite(fd, "x", 1, 100));
	hx_fstat(c, "f", fd);
	HX_DO(c, close(fd));
	hx_content(c, "f");

	data = g_malloc(big);
	for (size_t i = 0; i < big; i++)
		data[i] = (char)(i * 7 + i / 4096);
	HX_FD(c, &fd, open(P("big"), O_CREAT | O_RDWR, 0600));
	HX_DO(c, write(fd, data, big));
	HX_DO(c, n = pread(fd, data, 10000, 1024 * 1024 - 5000));
	HX_DO(c, close(fd));
	g_free(data);
	hx_stat(c, "big");
	hx_content(c, "big");

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_WRONLY, 0600));
	if (fd >= 0)
		close(fd);
	hx_stat(c, "f");
	HX_FD(c, &fd, open(P("nope"), O_RDONLY));
	HX_FD(c, &fd, open(P("f/x"), O_CREAT | O_WRONLY, 0644));
	HX_FD(c, &fd, open(P(""), O_WRONLY));
	HX_FD(c, &fd, open(P("nodir/x"), O_CREAT | O_WRONLY, 0644));
	listdir(c, "");
}

static void
sc_mkdir(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("d"), 0755));
	hx_stat(c, "d");
	hx_stat(c, "");
	HX_DO(c, mkdir(P("d/e"), 0700));
	hx_stat(c, "d");
	hx_stat(c, "d/e");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, mkdir(P("x/y"), 0755));
	mkfile(c, "f", 0644, "f");
	HX_DO(c, mkdir(P("f/y"), 0755));
	HX_DO(c, mkdir(P("d2"), 01777));
	hx_stat(c, "d2");
	HX_DO(c, mkdir(P("d3"), 0777));
	hx_stat(c, "d3");
	hx_stat(c, "");
	listdir(c, "");
	listdir(c, "d");
}

static void
read_names(struct hx_ctx *c, const char *rel, int nfiles)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	unsigned int entries = 0, dups = 0, odd = 0, types[16] = { 0 };
	struct dirent *de;
	DIR *d;

	if ((d = opendir(P(rel))) == NULL) {
		hx_note(c, "opendir(%s) = -1 %s", rel, hx_errname(errno));
		g_hash_table_unref(seen);
		return;
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		entries++;
		types[de->d_type & 15]++;
		if (!g_hash_table_add(seen, g_strdup(de->d_name)))
			dups++;
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    (strncmp(de->d_name, "f", 1) || atoi(de->d_name + 1) >=
		    nfiles))
			odd++;
	}
	hx_note(c, "readdir(%s) end errno=%s", rel, errno ?
	    hx_errname(errno) : "0");
	closedir(d);
	unsigned int missing = 0;
	for (int i = 0; i < nfiles; i++) {
		char name[32];

		snprintf(name, sizeof(name), "f%05d", i);
		if ((i % 2 == 0 || nfiles == 10000) &&
		    !g_hash_table_contains(seen, name))
			missing++;
	}
	hx_note(c, "readdir(%s): entries=%u distinct=%u dups=%u "
	    "unexpected=%u missing=%u dot=%d dotdot=%d reg=%u dir=%u "
	    "unknown=%u", rel, entries, g_hash_table_size(seen), dups, odd,
	    missing, g_hash_table_contains(seen, "."),
	    g_hash_table_contains(seen, ".."), types[DT_REG], types[DT_DIR],
	    types[DT_UNKNOWN]);
	g_hash_table_unref(seen);
}

static void
sc_readdir(struct hx_ctx *c)
{
	unsigned int fails = 0;
	int dfd, fd, first = 0;

	HX_DO(c, mkdir(P("big"), 0755));
	HX_FD(c, &dfd, open(P("big"), O_DIRECTORY | O_RDONLY));
	for (int i = 0; i < 10000 && dfd >= 0; i++) {
		char name[32];

		snprintf(name, sizeof(name), "f%05d", i);
		if ((fd = openat(dfd, name, O_CREAT | O_EXCL | O_WRONLY,
		    0644)) == -1) {
			if (fails++ == 0)
				first = errno;
			continue;
		}
		close(fd);
	}
	hx_note(c, "created 10000: %u failed, first %s", fails,
	    fails ? hx_errname(first) : "-");
	hx_stat(c, "big/f09999");
	read_names(c, "big", 10000);
	fails = 0;
	for (int i = 1; i < 10000 && dfd >= 0; i += 2) {
		char name[32];

		snprintf(name, sizeof(name), "f%05d", i);
		if (unlinkat(dfd, name, 0) == -1 && fails++ == 0)
			first = errno;
	}
	hx_note(c, "removed 5000: %u failed, first %s", fails,
	    fails ? hx_errname(first) : "-");
	read_names(c, "big", 5000 * 2);
	if (dfd >= 0)
		close(dfd);
}

static void
sc_rename(struct hx_ctx *c)
{
	mkfile(c, "a", 0644, "A");
	mkfile(c, "b", 0600, "B");
	HX_DO(c, mkdir(P("d1"), 0755));
	mkfile(c, "d1/x", 0644, "X");
	HX_DO(c, mkdir(P("d2"), 0755));

	HX_DO(c, rename(P("a"), P("a2")));
	hx_stat(c, "a");
	hx_content(c, "a2");
	HX_DO(c, rename(P("a2"), P("b")));
	hx_stat(c, "a2");
	hx_stat(c, "b");
	hx_content(c, "b");
	HX_DO(c, rename(P("d2"), P("d4")));
	hx_stat(c, "d2");
	hx_stat(c, "d4");
	HX_DO(c, rename(P("d4"), P("d1")));
	HX_DO(c, mkdir(P("d5"), 0700));
	HX_DO(c, rename(P("d1"), P("d5")));
	hx_stat(c, "d5");
	hx_content(c, "d5/x");
	HX_DO(c, rename(P("b"), P("d5")));
	HX_DO(c, rename(P("d5"), P("b")));
	HX_DO(c, rename(P("nope"), P("z")));
	HX_DO(c, rename(P("b"), P("nodir/z")));
	HX_DO(c, rename(P("d5"), P("d5/sub")));
	HX_DO(c, rename(P("b"), P("b")));
	HX_DO(c, link(P("b"), P("bl")));
	HX_DO(c, rename(P("b"), P("bl")));
	hx_stat(c, "b");
	hx_stat(c, "bl");
	HX_DO(c, rename(P("d5/x"), P("b")));
	hx_stat(c, "bl");
	hx_content(c, "b");
	HX_DO(c, mkdir(P("p1"), 0755));
	HX_DO(c, mkdir(P("p2"), 0755));
	HX_DO(c, mkdir(P("p1/c"), 0755));
	mkfile(c, "p1/c/in", 0644, "in");
	hx_stat(c, "p1");
	HX_DO(c, rename(P("p1/c"), P("p2/c")));
	hx_stat(c, "p1");
	hx_stat(c, "p2");
	hx_content(c, "p2/c/in");
	HX_DO(c, rename(P("p2/c/in"), P("p1/in")));
	hx_content(c, "p1/in");
	hx_stat(c, "");
	listdir(c, "");
	listdir(c, "p2/c");
}

static void
sc_link(struct hx_ctx *c)
{
	int fd;

	mkfile(c, "f", 0644, "linked");
	HX_DO(c, link(P("f"), P("g")));
	hx_stat(c, "f");
	hx_stat(c, "g");
	HX_DO(c, link(P("f"), P("g")));
	HX_DO(c, link(P("nope"), P("h")));
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, link(P("d"), P("dl")));
	HX_DO(c, link(P("f"), P("nodir/h")));
	HX_DO(c, link(P("f"), P("d/h")));
	hx_stat(c, "d/h");
	HX_FD(c, &fd, open(P("g"), O_RDONLY));
	HX_DO(c, unlink(P("f")));
	hx_stat(c, "g");
	HX_DO(c, unlink(P("d/h")));
	if (fd >= 0) {
		hx_fstat(c, "g", fd);
		HX_DO(c, close(fd));
	}
	hx_content(c, "g");
	HX_DO(c, mkdir(P("a"), 0755));
	hx_stat(c, "a");
	HX_DO(c, mkdir(P("a/b"), 0755));
	HX_DO(c, mkdir(P("a/c"), 0755));
	mkfile(c, "a/file", 0644, "");
	hx_stat(c, "a");
	HX_DO(c, rmdir(P("a/b")));
	hx_stat(c, "a");
	hx_stat(c, "a/c");
	hx_stat(c, "");
}

static void
sc_symlink(struct hx_ctx *c)
{
	char buf[2048], longt[1001];
	long n;
	int fd;

	HX_DO(c, symlink("target", P("l1")));
	hx_lstat(c, "l1");
	HX_DO(c, n = readlink(P("l1"), buf, sizeof(buf)));
	note_buf(c, "readlink", buf, n);
	hx_stat(c, "l1");
	mkfile(c, "target", 0640, "through the link");
	hx_stat(c, "l1");
	hx_content(c, "l1");
	HX_DO(c, symlink("x", P("l1")));
	HX_DO(c, readlink(P("target"), buf, sizeof(buf)));
	HX_DO(c, readlink(P("nope"), buf, sizeof(buf)));
	HX_DO(c, n = readlink(P("l1"), buf, 3));
	note_buf(c, "short readlink", buf, n);
	memset(longt, 'a', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = '\0';
	HX_DO(c, symlink(longt, P("long")));
	hx_lstat(c, "long");
	HX_DO(c, readlink(P("long"), buf, sizeof(buf)));
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, symlink("d", P("ld")));
	HX_FD(c, &fd, open(P("ld/viaLink"), O_CREAT | O_WRONLY, 0644));
	if (fd >= 0)
		close(fd);
	hx_stat(c, "d/viaLink");
	HX_DO(c, symlink("../", P("d/up")));
	hx_stat(c, "d/up/target");
	HX_DO(c, unlink(P("l1")));
	hx_stat(c, "target");
	HX_DO(c, lchown(P("ld"), 65534, 65534));
	hx_lstat(c, "ld");
	hx_stat(c, "ld");
	listdir(c, "");
}

static void
sc_unlink_open(struct hx_ctx *c)
{
	char buf[64];
	long n;
	int fd, fd2;

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDWR, 0644));
	HX_FD(c, &fd2, open(P("f"), O_RDONLY));
	HX_DO(c, write(fd, "before unlink", 13));
	HX_DO(c, unlink(P("f")));
	hx_stat(c, "f");
	hx_fstat(c, "f", fd);
	HX_DO(c, n = pread(fd, buf, sizeof(buf), 0));
	note_buf(c, "pread after unlink", buf, n);
	HX_DO(c, pwrite(fd, " and after", 10, 13));
	HX_DO(c, n = pread(fd, buf, sizeof(buf), 0));
	note_buf(c, "pread after write", buf, n);
	hx_fstat(c, "f", fd);
	HX_DO(c, close(fd));
	HX_DO(c, n = read(fd2, buf, sizeof(buf)));
	note_buf(c, "second fd", buf, n);
	HX_DO(c, ftruncate(fd2, 5));
	HX_DO(c, close(fd2));
	listdir(c, "");
	mkfile(c, "f", 0600, "a new file under the old name");
	hx_stat(c, "f");
	hx_content(c, "f");
}

static void
sc_rmdir_errors(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("d"), 0755));
	mkfile(c, "d/f", 0644, "f");
	HX_DO(c, rmdir(P("d")));
	HX_DO(c, rmdir(P("d/f")));
	HX_DO(c, rmdir(P("nope")));
	HX_DO(c, unlink(P("d")));
	HX_DO(c, unlink(P("nope")));
	HX_DO(c, unlink(P("d/f/x")));
	HX_DO(c, rmdir(P("d/.")));
	HX_DO(c, rmdir(P("d/..")));
	HX_DO(c, mkdir(P("d/sub"), 0755));
	HX_DO(c, rmdir(P("d")));
	HX_DO(c, rmdir(P("d/sub")));
	HX_DO(c, unlink(P("d/f")));
	hx_stat(c, "d");
	HX_DO(c, rmdir(P("d")));
	hx_stat(c, "d");
	hx_stat(c, "");
	listdir(c, "");
}

static void
sc_setattr(struct hx_ctx *c)
{
	struct timespec ts[2];
	int fd;

	mkfile(c, "f", 0644, "0123456789");
	HX_DO(c, chmod(P("f"), 0600));
	hx_stat(c, "f");
	HX_DO(c, chmod(P("f"), 04755));
	hx_stat(c, "f");
	HX_DO(c, chown(P("f"), 65534, 65534));
	hx_stat(c, "f");
	HX_DO(c, chmod(P("f"), 06755));
	HX_DO(c, chown(P("f"), (uid_t)-1, 100));
	hx_stat(c, "f");
	HX_DO(c, chown(P("f"), 0, 0));
	HX_DO(c, chmod(P("f"), 0));
	hx_stat(c, "f");
	HX_DO(c, chmod(P("f"), 0644));
	HX_DO(c, chmod(P("nope"), 0644));
	HX_DO(c, chown(P("nope"), 0, 0));

	set_past(c, "f");
	hx_times(c, "f", PAST);
	ts[0] = (struct timespec){ PAST + 12345, 123456000 };
	ts[1] = (struct timespec){ PAST + 54321, 654321000 };
	HX_DO(c, utimensat(AT_FDCWD, P("f"), ts, 0));
	hx_times(c, "f", PAST);
	ts[0] = (struct timespec){ 0, UTIME_NOW };
	ts[1] = (struct timespec){ 0, UTIME_OMIT };
	HX_DO(c, utimensat(AT_FDCWD, P("f"), ts, 0));
	hx_times(c, "f", PAST);
	set_past(c, "f");
	ts[0] = (struct timespec){ 0, UTIME_OMIT };
	ts[1] = (struct timespec){ 0, UTIME_NOW };
	HX_DO(c, utimensat(AT_FDCWD, P("f"), ts, 0));
	hx_times(c, "f", PAST);
	set_past(c, "f");
	ts[0] = (struct timespec){ 0, UTIME_OMIT };
	ts[1] = (struct timespec){ 0, UTIME_OMIT };
	HX_DO(c, utimensat(AT_FDCWD, P("f"), ts, 0));
	hx_times(c, "f", PAST);
	HX_DO(c, utimensat(AT_FDCWD, P("f"), NULL, 0));
	hx_times(c, "f", PAST);

	set_past(c, "f");
	HX_DO(c, truncate(P("f"), 100000));
	hx_stat(c, "f");
	hx_times(c, "f", PAST);
	hx_content(c, "f");
	HX_DO(c, truncate(P("f"), 3));
	hx_stat(c, "f");
	hx_content(c, "f");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	set_past(c, "f");
	HX_DO(c, write(fd, "abcdef", 6));
	hx_times(c, "f", PAST);
	HX_DO(c, ftruncate(fd, 2));
	hx_fstat(c, "f", fd);
	HX_DO(c, close(fd));
	hx_content(c, "f");
	HX_FD(c, &fd, open(P("f"), O_RDONLY));
	HX_DO(c, ftruncate(fd, 0));
	if (fd >= 0)
		close(fd);
	HX_DO(c, truncate(P("f"), -1));
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, truncate(P("d"), 0));
	HX_DO(c, chmod(P("d"), 01777));
	HX_DO(c, chown(P("d"), 65534, 65534));
	hx_stat(c, "d");
	set_past(c, "d");
	mkfile(c, "d/new", 0644, "");
	hx_times(c, "d", PAST);
}

static void
sc_append_excl(struct hx_ctx *c)
{
	int fd;

	mkfile(c, "f", 0644, "abc");
	HX_FD(c, &fd, open(P("f"), O_WRONLY | O_APPEND));
	HX_DO(c, write(fd, "def", 3));
	HX_DO(c, lseek(fd, 0, SEEK_SET));
	HX_DO(c, write(fd, "gh", 2));
	HX_DO(c, lseek(fd, 0, SEEK_CUR));
	HX_DO(c, pwrite(fd, "Z", 1, 0));
	HX_DO(c, close(fd));
	hx_content(c, "f");
	HX_FD(c, &fd, open(P("f"), O_CREAT | O_EXCL | O_WRONLY, 0644));
	HX_FD(c, &fd, open(P("g"), O_CREAT | O_EXCL | O_WRONLY, 0640));
	if (fd >= 0)
		close(fd);
	hx_stat(c, "g");
	HX_DO(c, symlink("dangling", P("l")));
	HX_FD(c, &fd, open(P("l"), O_CREAT | O_EXCL | O_WRONLY, 0644));
	hx_stat(c, "dangling");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_FD(c, &fd, open(P("d"), O_CREAT | O_EXCL | O_WRONLY, 0644));
	HX_FD(c, &fd, open(P("f"), O_WRONLY | O_TRUNC));
	if (fd >= 0)
		close(fd);
	hx_stat(c, "f");
	HX_FD(c, &fd, open(P("f"), O_RDWR | O_APPEND));
	HX_DO(c, write(fd, "x", 1));
	HX_DO(c, write(fd, "y", 1));
	if (fd >= 0)
		close(fd);
	hx_content(c, "f");
}

static void
sc_mknod(struct hx_ctx *c)
{
	char buf[16];
	long n;
	int fd;

	HX_DO(c, mknod(P("fifo"), S_IFIFO | 0644, 0));
	hx_stat(c, "fifo");
	HX_DO(c, mkfifo(P("fifo"), 0644));
	HX_DO(c, mknod(P("reg"), S_IFREG | 0600, 0));
	hx_stat(c, "reg");
	HX_DO(c, mknod(P("chr"), S_IFCHR | 0600, makedev(1, 3)));
	hx_stat(c, "chr");
	HX_DO(c, mknod(P("blk"), S_IFBLK | 0640, makedev(7, 200)));
	hx_stat(c, "blk");
	HX_DO(c, mknod(P("sock"), S_IFSOCK | 0600, 0));
	hx_stat(c, "sock");
	HX_FD(c, &fd, open(P("fifo"), O_RDWR | O_NONBLOCK));
	if (fd >= 0) {
		HX_DO(c, write(fd, "pipe", 4));
		HX_DO(c, n = read(fd, buf, sizeof(buf)));
		note_buf(c, "fifo", buf, n);
		close(fd);
	}
	HX_DO(c, unlink(P("fifo")));
	HX_DO(c, mknod(P("nodir/x"), S_IFIFO | 0644, 0));
	listdir(c, "");
}

static void
sc_statfs(struct hx_ctx *c)
{
	struct statvfs sv;
	char name[1100];
	int fd, r;

	errno = 0;
	r = statvfs(P(""), &sv);
	hx_note(c, "statvfs = %d %s", r, r ? hx_errname(errno) : "");
	if (r == 0) {
		hx_note(c, "bsize>0:%d frsize>0:%d blocks>=bfree:%d "
		    "bfree>=bavail:%d files>=ffree:%d namemax>=255:%d "
		    "rdonly:%d", sv.f_bsize > 0, sv.f_frsize > 0,
		    sv.f_blocks >= sv.f_bfree, sv.f_bfree >= sv.f_bavail,
		    sv.f_files >= sv.f_ffree, sv.f_namemax >= 255,
		    (sv.f_flag & ST_RDONLY) != 0);
		memset(name, 'n', sizeof(name));
		name[sv.f_namemax < sizeof(name) - 1 ? sv.f_namemax : 10] =
		    '\0';
		HX_FD(c, &fd, open(P(name), O_CREAT | O_WRONLY, 0644));
		if (fd >= 0)
			close(fd);
		name[strlen(name)] = 'n';
		name[sv.f_namemax + 1 < sizeof(name) - 1 ? sv.f_namemax + 1 :
		    11] = '\0';
		HX_FD(c, &fd, open(P(name), O_CREAT | O_WRONLY, 0644));
	}
	mkfile(c, "f", 0644, "x");
	r = statvfs(P("f"), &sv);
	hx_note(c, "statvfs(f) = %d", r);
	r = statvfs(P("nope"), &sv);
	hx_note(c, "statvfs(nope) = %d %s", r, r ? hx_errname(errno) : "");
}

/* Owned by root, for the unprivileged half. */
static void
sc_priv_setup(struct hx_ctx *c)
{
	mkfile(c, "rootfile", 0644, "readable");
	mkfile(c, "private", 0600, "secret");
	HX_DO(c, mkdir(P("rootdir"), 0755));
	mkfile(c, "rootdir/f", 0644, "f");
	HX_DO(c, mkdir(P("sticky"), 0777));
	HX_DO(c, chmod(P("sticky"), 01777));
	mkfile(c, "sticky/rootowned", 0666, "r");
	mkfile(c, "group0", 0664, "g");
}

static void
sc_priv(struct hx_ctx *c)
{
	struct timespec ts[2] = { { PAST, 0 }, { PAST, 0 } };
	char buf[32];
	long n;
	int fd;

	HX_FD(c, &fd, open(P("rootfile"), O_RDONLY));
	if (fd >= 0) {
		HX_DO(c, n = read(fd, buf, sizeof(buf)));
		note_buf(c, "read", buf, n);
		close(fd);
	}
	HX_FD(c, &fd, open(P("rootfile"), O_WRONLY));
	HX_FD(c, &fd, open(P("private"), O_RDONLY));
	HX_DO(c, access(P("private"), R_OK));
	HX_DO(c, access(P("rootfile"), W_OK));
	HX_FD(c, &fd, open(P("rootdir/new"), O_CREAT | O_WRONLY, 0644));
	HX_DO(c, unlink(P("rootdir/f")));
	HX_DO(c, mkdir(P("rootdir/x"), 0755));
	HX_DO(c, rename(P("rootdir/f"), P("stolen")));
	HX_DO(c, chmod(P("rootfile"), 0666));
	HX_DO(c, chown(P("rootfile"), 65534, (gid_t)-1));
	HX_DO(c, utimensat(AT_FDCWD, P("rootfile"), NULL, 0));
	HX_DO(c, utimensat(AT_FDCWD, P("rootfile"), ts, 0));
	HX_DO(c, truncate(P("rootfile"), 0));
	HX_DO(c, rename(P("sticky/rootowned"), P("sticky/mine")));
	HX_DO(c, unlink(P("sticky/rootowned")));
	HX_DO(c, truncate(P("group0"), 0));

	mkfile(c, "mine", 0644, "mine");
	hx_stat(c, "mine");
	HX_DO(c, chmod(P("mine"), 0600));
	HX_DO(c, chown(P("mine"), 0, (gid_t)-1));
	HX_DO(c, chown(P("mine"), (uid_t)-1, 0));
	HX_DO(c, chown(P("mine"), 65534, 65534));
	HX_DO(c, utimensat(AT_FDCWD, P("mine"), ts, 0));
	hx_times(c, "mine", PAST);
	HX_DO(c, chmod(P("mine"), 04755));
	hx_stat(c, "mine");
	HX_FD(c, &fd, open(P("mine"), O_WRONLY | O_APPEND));
	if (fd >= 0) {
		HX_DO(c, write(fd, "!", 1));
		close(fd);
	}
	hx_stat(c, "mine");
	HX_DO(c, mkdir(P("mydir"), 02755));
	hx_stat(c, "mydir");
	mkfile(c, "sticky/mine", 0644, "ok");
	hx_stat(c, "sticky/mine");
	HX_DO(c, rename(P("sticky/mine"), P("sticky/moved")));
	HX_DO(c, unlink(P("sticky/moved")));
	listdir(c, "rootdir");
}

#define SCENARIO_TEST(fn, name)						\
START_TEST(t_##fn)							\
{									\
	hx_compare(name, NULL, fn, -1);					\
}									\
END_TEST

SCENARIO_TEST(sc_create_rw, "create_rw")
SCENARIO_TEST(sc_mkdir, "mkdir")
SCENARIO_TEST(sc_readdir, "readdir_10000")
SCENARIO_TEST(sc_rename, "rename")
SCENARIO_TEST(sc_link, "link_nlink")
SCENARIO_TEST(sc_symlink, "symlink")
SCENARIO_TEST(sc_unlink_open, "unlink_open")
SCENARIO_TEST(sc_rmdir_errors, "rmdir_errors")
SCENARIO_TEST(sc_setattr, "setattr")
SCENARIO_TEST(sc_append_excl, "append_excl")
SCENARIO_TEST(sc_mknod, "mknod")
SCENARIO_TEST(sc_statfs, "statfs")

START_TEST(t_unpriv)
{
	hx_compare("unpriv", sc_priv_setup, sc_priv, HX_NOBODY);
}
END_TEST

/* The same calls through a mount made the NetBSD way (memfs first). */
START_TEST(t_serverfirst)
{
	hx_compare("create_rw", NULL, sc_create_rw, -1);
	hx_compare("rename", NULL, sc_rename, -1);
}
END_TEST

/* Check's test handles are variables: the table lives in main(). */
int
main(void)
{
	const struct hx_case cases[] = {
		{ "create_rw", t_sc_create_rw, 120, hx_fixture_daemon_first },
		{ "mkdir", t_sc_mkdir, 120, hx_fixture_daemon_first },
		{ "readdir_10000", t_sc_readdir, 600,
		    hx_fixture_daemon_first },
		{ "rename", t_sc_rename, 120, hx_fixture_daemon_first },
		{ "link_nlink", t_sc_link, 120, hx_fixture_daemon_first },
		{ "symlink", t_sc_symlink, 120, hx_fixture_daemon_first },
		{ "unlink_open", t_sc_unlink_open, 120,
		    hx_fixture_daemon_first },
		{ "rmdir_errors", t_sc_rmdir_errors, 120,
		    hx_fixture_daemon_first },
		{ "setattr", t_sc_setattr, 120, hx_fixture_daemon_first },
		{ "append_excl", t_sc_append_excl, 120,
		    hx_fixture_daemon_first },
		{ "mknod", t_sc_mknod, 120, hx_fixture_daemon_first },
		{ "statfs", t_sc_statfs, 120, hx_fixture_daemon_first },
		{ "unpriv", t_unpriv, 120, hx_fixture_daemon_first },
		{ "serverfirst_ops", t_serverfirst, 120,
		    hx_fixture_server_first },
		{ NULL, NULL, 0, NULL },
	};

	return hx_run_suite("fsops", cases, 0);
}
