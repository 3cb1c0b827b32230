/*
 * fsstress.c: our fsstress-style tool.  N processes, each in its own
 * subtree of DIR (p0, p1, ...), run random namespace and data operations
 * for a bounded time and keep a model of what their subtree must hold
 * (which names exist, every file's bytes).  Every read, readdir, readlink
 * and stat is checked against the model as it happens; at the end a
 * verification pass compares the whole subtree with the model.  Any
 * unexpected error or mismatch fails the run.
 *
 * Usage: fsstress DIR NPROC SECONDS [SEED]
 * Prints per-operation counts summed over the processes.  Test tool only.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#define NDIRS		5		/* ".", d1 .. d4 */
#define NFILES		8		/* f0 .. f7 per directory */
#define MAXSIZE		(128 * 1024)

enum op {
	OP_CREATE, OP_WRITE, OP_TRUNCATE, OP_READ, OP_RENAME, OP_UNLINK,
	OP_MKDIR, OP_RMDIR, OP_LINK, OP_SYMLINK, OP_READDIR, OP_FSYNC,
	OP_STAT, OP_MAX
};

static const char *const op_names[OP_MAX] = {
	"create", "write", "truncate", "read", "rename", "unlink", "mkdir",
	"rmdir", "link", "symlink", "readdir", "fsync", "stat",
};

struct slot {
	GByteArray	*data;		/* NULL: no such file */
};

static struct {
	char		 root[PATH_MAX];
	bool		 dir[NDIRS];
	struct slot	 f[NDIRS][NFILES];
	GRand		*rand;
	uint64_t	 count[OP_MAX];
} st;

static void __attribute__((format(printf, 1, 2), noreturn))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fsstress[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(1);
}

static const char *
dpath(int d)
{
	static char buf[PATH_MAX + 32];

	if (d == 0)
		snprintf(buf, sizeof(buf), "%s", st.root);
	else
		snprintf(buf, sizeof(buf), "%s/d%d", st.root, d);
	return buf;
}

static const char *
fpath(int d, int f, const char *prefix)
{
	static char buf[2][PATH_MAX + 96];
	static int n;
	char *p = buf[n++ & 1];

	snprintf(p, sizeof(buf[0]), "%s/%s%d", dpath(d), prefix, f);
	return p;
}

static int
rnd(int n)
{
	return g_rand_int_range(st.rand, 0, n);
}

/* A random existing directory, and a file slot in it. */
static void
pick(int *d, int *f)
{
	do
		*d = rnd(NDIRS);
	while (!st.dir[*d]);
	*f = rnd(NFILES);
}

static void
fill(uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)g_rand_int(st.rand);
}

static void
check_content(int d, int f, const char *path)
{
	GByteArray *want = st.f[d][f].data;
	uint8_t *buf = g_malloc(MAXSIZE + 1);
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		fail("open %s: %s", path, strerror(errno));
	n = read(fd, buf, MAXSIZE + 1);
	if (n == -1)
		fail("read %s: %s", path, strerror(errno));
	if ((size_t)n != want->len || memcmp(buf, want->data, n) != 0)
		fail("%s: %zd bytes read, model has %u%s", path, n, want->len,
		    (size_t)n == want->len ? " (content differs)" : "");
	close(fd);
	g_free(buf);
}

static void
op_create(void)
{
	int d, f, fd;
	size_t len;
	uint8_t *buf;

	pick(&d, &f);
	len = rnd(MAXSIZE / 2);
	buf = g_malloc(len + 1);
	fill(buf, len);
	fd = open(fpath(d, f, "f"), O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd == -1)
		fail("create %s: %s", fpath(d, f, "f"), strerror(errno));
	if (write(fd, buf, len) != (ssize_t)len)
		fail("write %s: %s", fpath(d, f, "f"), strerror(errno));
	close(fd);
	if (st.f[d][f].data == NULL)
		st.f[d][f].data = g_byte_array_new();
	g_byte_array_set_size(st.f[d][f].data, 0);
	g_byte_array_append(st.f[d][f].data, buf, len);
	g_free(buf);
}

static void
op_write(void)
{
	GByteArray *a;
	size_t off, len, old;
	uint8_t *buf;
	int d, f, fd;

	pick(&d, &f);
	if ((a = st.f[d][f].data) == NULL)
		return;
	off = rnd(MAXSIZE / 2);
	len = 1 + rnd(MAXSIZE / 2 - 1);
	buf = g_malloc(len);
	fill(buf, len);
	if ((fd = open(fpath(d, f, "f"), O_WRONLY)) == -1)
		fail("open %s: %s", fpath(d, f, "f"), strerror(errno));
	if (pwrite(fd, buf, len, off) != (ssize_t)len)
		fail("pwrite %s: %s", fpath(d, f, "f"), strerror(errno));
	close(fd);
	old = a->len;
	if (off + len > old) {
		g_byte_array_set_size(a, off + len);
		if (off > old)
			memset(a->data + old, 0, off - old);
	}
	memcpy(a->data + off, buf, len);
	g_free(buf);
}

static void
op_truncate(void)
{
	GByteArray *a;
	size_t len, old;
	int d, f;

	pick(&d, &f);
	if ((a = st.f[d][f].data) == NULL)
		return;
	len = rnd(MAXSIZE);
	if (truncate(fpath(d, f, "f"), len) == -1)
		fail("truncate %s: %s", fpath(d, f, "f"), strerror(errno));
	old = a->len;
	g_byte_array_set_size(a, len);
	if (len > old)
		memset(a->data + old, 0, len - old);
}

static void
op_read(void)
{
	int d, f;

	pick(&d, &f);
	if (st.f[d][f].data != NULL)
		check_content(d, f, fpath(d, f, "f"));
}

static void
op_rename(void)
{
	int d1, f1, d2, f2;

	pick(&d1, &f1);
	pick(&d2, &f2);
	if (st.f[d1][f1].data == NULL || (d1 == d2 && f1 == f2))
		return;
	if (rename(fpath(d1, f1, "f"), fpath(d2, f2, "f")) == -1)
		fail("rename %s %s: %s", fpath(d1, f1, "f"),
		    fpath(d2, f2, "f"), strerror(errno));
	if (st.f[d2][f2].data != NULL)
		g_byte_array_free(st.f[d2][f2].data, TRUE);
	st.f[d2][f2].data = st.f[d1][f1].data;
	st.f[d1][f1].data = NULL;
}

static void
op_unlink(void)
{
	int d, f;

	pick(&d, &f);
	if (st.f[d][f].data == NULL)
		return;
	if (unlink(fpath(d, f, "f")) == -1)
		fail("unlink %s: %s", fpath(d, f, "f"), strerror(errno));
	g_byte_array_free(st.f[d][f].data, TRUE);
	st.f[d][f].data = NULL;
}

static void
op_mkdir(void)
{
	int d = 1 + rnd(NDIRS - 1);

	if (st.dir[d])
		return;
	if (mkdir(dpath(d), 0755) == -1)
		fail("mkdir %s: %s", dpath(d), strerror(errno));
	st.dir[d] = true;
}

static void
op_rmdir(void)
{
	int d = 1 + rnd(NDIRS - 1), f;

	if (!st.dir[d])
		return;
	for (f = 0; f < NFILES; f++)
		if (st.f[d][f].data != NULL)
			return;
	if (rmdir(dpath(d)) == -1)
		fail("rmdir %s: %s", dpath(d), strerror(errno));
	st.dir[d] = false;
}

/* A hard link must show the same bytes; then it goes away again. */
static void
op_link(void)
{
	const char *l;
	int d, f;

	pick(&d, &f);
	if (st.f[d][f].data == NULL)
		return;
	l = fpath(d, f, "l");
	if (link(fpath(d, f, "f"), l) == -1)
		fail("link %s: %s", l, strerror(errno));
	check_content(d, f, l);
	if (unlink(l) == -1)
		fail("unlink %s: %s", l, strerror(errno));
}

static void
op_symlink(void)
{
	char target[64], got[64];
	const char *s;
	ssize_t n;
	int d, f;

	pick(&d, &f);
	s = fpath(d, f, "s");
	snprintf(target, sizeof(target), "target-%u", g_rand_int(st.rand));
	if (symlink(target, s) == -1)
		fail("symlink %s: %s", s, strerror(errno));
	n = readlink(s, got, sizeof(got));
	if (n != (ssize_t)strlen(target) || memcmp(got, target, n) != 0)
		fail("readlink %s: %zd bytes, not %s", s, n, target);
	if (unlink(s) == -1)
		fail("unlink %s: %s", s, strerror(errno));
}

/* The directory lists exactly the model's names. */
static void
check_dir(int d)
{
	struct dirent *de;
	bool seen[NFILES] = { false }, sub[NDIRS] = { false };
	DIR *dir;
	int i;

	if ((dir = opendir(dpath(d))) == NULL)
		fail("opendir %s: %s", dpath(d), strerror(errno));
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..")
		    == 0)
			continue;
		if (de->d_name[0] == 'f' && (i = atoi(de->d_name + 1)) >= 0 &&
		    i < NFILES && st.f[d][i].data != NULL && !seen[i])
			seen[i] = true;
		else if (d == 0 && de->d_name[0] == 'd' &&
		    (i = atoi(de->d_name + 1)) > 0 && i < NDIRS && st.dir[i] &&
		    !sub[i])
			sub[i] = true;
		else
			fail("%s: unexpected entry %s", dpath(d), de->d_name);
	}
	closedir(dir);
	for (i = 0; i < NFILES; i++)
		if ((st.f[d][i].data != NULL) != seen[i])
			fail("%s: f%d missing from readdir", dpath(d), i);
	for (i = 1; d == 0 && i < NDIRS; i++)
		if (st.dir[i] != sub[i])
			fail("%s: d%d missing from readdir", dpath(d), i);
}

static void
op_readdir(void)
{
	int d, f;

	pick(&d, &f);
	check_dir(d);
}

static void
op_fsync(void)
{
	int d, f, fd;

	pick(&d, &f);
	if (st.f[d][f].data == NULL)
		return;
	if ((fd = open(fpath(d, f, "f"), O_RDWR)) == -1)
		fail("open %s: %s", fpath(d, f, "f"), strerror(errno));
	if (fsync(fd) == -1)
		fail("fsync %s: %s", fpath(d, f, "f"), strerror(errno));
	close(fd);
}

static void
op_stat(void)
{
	struct stat sb;
	int d, f, r;

	pick(&d, &f);
	r = stat(fpath(d, f, "f"), &sb);
	if (st.f[d][f].data == NULL) {
		if (r != -1 || errno != ENOENT)
			fail("stat %s: exists, model says not",
			    fpath(d, f, "f"));
		return;
	}
	if (r == -1)
		fail("stat %s: %s", fpath(d, f, "f"), strerror(errno));
	if ((size_t)sb.st_size != st.f[d][f].data->len)
		fail("stat %s: size %jd, model %u", fpath(d, f, "f"),
		    (intmax_t)sb.st_size, st.f[d][f].data->len);
}

static void (*const ops[OP_MAX])(void) = {
	op_create, op_write, op_truncate, op_read, op_rename, op_unlink,
	op_mkdir, op_rmdir, op_link, op_symlink, op_readdir, op_fsync,
	op_stat,
};

/* One worker: random operations until the deadline, then verify. */
static void
worker(const char *dir, int i, int secs, uint32_t seed, int out)
{
	double end = g_get_monotonic_time() / 1e6 + secs;
	int d, f, op;

	snprintf(st.root, sizeof(st.root), "%s/p%d", dir, i);
	if (mkdir(st.root, 0755) == -1)
		fail("mkdir %s: %s", st.root, strerror(errno));
	st.dir[0] = true;
	st.rand = g_rand_new_with_seed(seed + i);
	while (g_get_monotonic_time() / 1e6 < end) {
		op = rnd(OP_MAX);
		ops[op]();
		st.count[op]++;
	}
	for (d = 0; d < NDIRS; d++) {
		if (!st.dir[d])
			continue;
		check_dir(d);
		for (f = 0; f < NFILES; f++)
			if (st.f[d][f].data != NULL)
				check_content(d, f, fpath(d, f, "f"));
	}
	if (write(out, st.count, sizeof(st.count)) != sizeof(st.count))
		fail("report: %s", strerror(errno));
	_exit(0);
}

int
main(int argc, char **argv)
{
	uint64_t total[OP_MAX] = { 0 }, count[OP_MAX], sum = 0;
	int nproc, secs, i, status, failed = 0, pfd[2];
	uint32_t seed;
	pid_t pid;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: fsstress DIR NPROC SECONDS [SEED]\n");
		return 2;
	}
	nproc = atoi(argv[2]);
	secs = atoi(argv[3]);
	seed = argc == 5 ? strtoul(argv[4], NULL, 0) : (uint32_t)getpid();
	if (nproc < 1 || nproc > 64 || secs < 1 || pipe(pfd) == -1)
		return 2;
	printf("fsstress: %d processes, %d s, seed %u\n", nproc, secs, seed);
	fflush(stdout);
	for (i = 0; i < nproc; i++) {
		if ((pid = fork()) == -1)
			return 2;
		if (pid == 0) {
			close(pfd[0]);
			worker(argv[1], i, secs, seed, pfd[1]);
		}
	}
	close(pfd[1]);
	while (read(pfd[0], count, sizeof(count)) == sizeof(count))
		for (i = 0; i < OP_MAX; i++)
			total[i] += count[i];
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	for (i = 0; i < OP_MAX; i++) {
		printf("%s %" G_GUINT64_FORMAT "%s", op_names[i], total[i],
		    i + 1 < OP_MAX ? ", " : "\n");
		sum += total[i];
	}
	printf("fsstress: %" G_GUINT64_FORMAT " operations, %d of %d "
	    "processes failed\n", sum, failed, nproc);
	return failed != 0;
}
