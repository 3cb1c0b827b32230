/*
 * trace.c: observations of a scenario and the FUSE-versus-tmpfs comparison.
 *
 * A scenario is run once under the FUSE mount and once under the tmpfs
 * oracle; each side notes what it saw as text lines; hx_compare() asserts
 * the two lists are equal and prints every differing line.  Used by the
 * integration test programs only.
 */
#include "harness.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *
hx_errname(int err)
{
	const char *s = strerrorname_np(err);

	return s != NULL ? s : "E?";
}

const char *
hx_p(struct hx_ctx *c, const char *rel)
{
	char *buf = c->pbuf[c->pnext++ % G_N_ELEMENTS(c->pbuf)];

	if (rel[0] == '\0')
		snprintf(buf, PATH_MAX, "%s", c->root);
	else
		snprintf(buf, PATH_MAX, "%s/%s", c->root, rel);
	return buf;
}

void
hx_note(struct hx_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(c->lines, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

void
hx_rv(struct hx_ctx *c, const char *what, long rv, int err, int fdlike)
{
	if (rv < 0)
		hx_note(c, "%s = -1 %s", what, hx_errname(err));
	else if (fdlike)
		hx_note(c, "%s = fd", what);
	else
		hx_note(c, "%s = %ld", what, rv);
}

static const char *
hx_type(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:	return "reg";
	case S_IFDIR:	return "dir";
	case S_IFLNK:	return "lnk";
	case S_IFIFO:	return "fifo";
	case S_IFCHR:	return "chr";
	case S_IFBLK:	return "blk";
	case S_IFSOCK:	return "sock";
	}
	return "?";
}

/* What a caller may rely on: directory sizes are each fs's own business. */
static void
hx_note_stat(struct hx_ctx *c, const char *op, const char *rel,
    const struct stat *st)
{
	char size[48] = "", rdev[48] = "";

	if (!S_ISDIR(st->st_mode))
		snprintf(size, sizeof(size), " size=%lld",
		    (long long)st->st_size);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		snprintf(rdev, sizeof(rdev), " rdev=%u,%u",
		    major(st->st_rdev), minor(st->st_rdev));
	hx_note(c, "%s(%s): %s mode=%04o nlink=%lu%s uid=%u gid=%u%s", op,
	    rel, hx_type(st->st_mode), (unsigned int)(st->st_mode & 07777),
	    (unsigned long)st->st_nlink, size, (unsigned int)st->st_uid,
	    (unsigned int)st->st_gid, rdev);
}

void
hx_stat(struct hx_ctx *c, const char *rel)
{
	struct stat st;

	if (stat(hx_p(c, rel), &st) == -1)
		hx_note(c, "stat(%s) = -1 %s", rel, hx_errname(errno));
	else
		hx_note_stat(c, "stat", rel, &st);
}

void
hx_lstat(struct hx_ctx *c, const char *rel)
{
	struct stat st;

	if (lstat(hx_p(c, rel), &st) == -1)
		hx_note(c, "lstat(%s) = -1 %s", rel, hx_errname(errno));
	else
		hx_note_stat(c, "lstat", rel, &st);
}

void
hx_fstat(struct hx_ctx *c, const char *label, int fd)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		hx_note(c, "fstat(%s) = -1 %s", label, hx_errname(errno));
	else
		hx_note_stat(c, "fstat", label, &st);
}

/*
 * Times: "past" is a value the scenario set itself, "now" is within a few
 * seconds of the wall clock (the fs clock's resolution is its own), anything
 * else is printed exactly (a value set explicitly must come back as set).
 */
static void
hx_tclass(struct hx_ctx *c, char *buf, size_t len, const struct timespec *ts,
    int64_t past)
{
	int64_t now = (int64_t)time(NULL);

	if (ts->tv_sec == past && ts->tv_nsec == 0)
		snprintf(buf, len, "past");
	else if (ts->tv_sec >= c->t0 - 2 && ts->tv_sec <= now + 2)
		snprintf(buf, len, "now");
	else
		snprintf(buf, len, "%lld.%09ld", (long long)ts->tv_sec,
		    ts->tv_nsec);
}

void
hx_times(struct hx_ctx *c, const char *rel, int64_t past)
{
	char a[40], m[40], ch[40];
	struct stat st;

	if (lstat(hx_p(c, rel), &st) == -1) {
		hx_note(c, "times(%s) = -1 %s", rel, hx_errname(errno));
		return;
	}
	hx_tclass(c, a, sizeof(a), &st.st_atim, past);
	hx_tclass(c, m, sizeof(m), &st.st_mtim, past);
	hx_tclass(c, ch, sizeof(ch), &st.st_ctim, past);
	hx_note(c, "times(%s): atime=%s mtime=%s ctime=%s", rel, a, m, ch);
}

void
hx_content(struct hx_ctx *c, const char *rel)
{
	GString *all = g_string_new(NULL);
	char buf[65536], *sum;
	ssize_t n;
	int fd;

	if ((fd = open(hx_p(c, rel), O_RDONLY)) == -1) {
		hx_note(c, "content(%s) = -1 %s", rel, hx_errname(errno));
		g_string_free(all, TRUE);
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		g_string_append_len(all, buf, n);
	if (n == -1)
		hx_note(c, "content(%s): read = -1 %s", rel, hx_errname(errno));
	close(fd);
	sum = g_compute_checksum_for_data(G_CHECKSUM_SHA1, (guchar *)all->str,
	    all->len);
	if (all->len <= 64 && memchr(all->str, '\0', all->len) == NULL)
		hx_note(c, "content(%s): \"%s\"", rel, all->str);
	else
		hx_note(c, "content(%s): %zu bytes sha1 %s", rel, all->len, sum);
	g_free(sum);
	g_string_free(all, TRUE);
}

/* Run a scenario as uid in a child; its lines come back through a pipe. */
static void
hx_run_as(struct hx_ctx *c, hx_scenario scen, int uid)
{
	guint from = c->lines->len;
	GString *all = g_string_new(NULL);
	char buf[4096];
	int pfd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(pfd) == -1 || (pid = fork()) == -1)
		ck_abort_msg("pipe/fork: %s", strerror(errno));
	if (pid == 0) {
		close(pfd[0]);
		if (setgroups(0, NULL) == -1 || setresgid(uid, uid, uid) == -1 ||
		    setresuid(uid, uid, uid) == -1)
			_exit(3);
		scen(c);
		for (guint i = from; i < c->lines->len; i++) {
			const char *l = g_ptr_array_index(c->lines, i);

			if (write(pfd[1], l, strlen(l)) < 0 ||
			    write(pfd[1], "\n", 1) < 0)
				_exit(4);
		}
		_exit(0);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0)
		g_string_append_len(all, buf, n);
	close(pfd[0]);
	waitpid(pid, &status, 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "scenario child as uid %d on %s ended with status 0x%x", uid,
	    c->side, status);
	gchar **v = g_strsplit(all->str, "\n", -1);
	for (gchar **l = v; *l != NULL; l++)
		if (**l != '\0')
			g_ptr_array_add(c->lines, g_strdup(*l));
	g_strfreev(v);
	g_string_free(all, TRUE);
}

static void
hx_run_side(struct hx_ctx *c, const char *top, const char *side,
    const char *name, hx_scenario setup, hx_scenario scen, int uid)
{
	static char root[PATH_MAX];

	memset(c, 0, sizeof(*c));
	snprintf(root, sizeof(root), "%s/%s", top, name);
	c->root = g_strdup(root);
	c->side = side;
	c->lines = g_ptr_array_new_with_free_func(g_free);
	c->t0 = (int64_t)time(NULL);
	if (mkdir(c->root, 0755) == -1)
		ck_abort_msg("%s: mkdir %s: %s", side, c->root,
		    strerror(errno));
	/* The unprivileged half needs somewhere it may write. */
	if (uid >= 0)
		chmod(c->root, 0777);
	if (setup != NULL)
		setup(c);
	if (uid < 0)
		scen(c);
	else
		hx_run_as(c, scen, uid);
}

/*
 * Run both sides and print every differing line; the count of differences
 * comes back, and the first difference in *first if that is not NULL.
 */
guint
hx_compare_ndiff(const char *name, hx_scenario setup, hx_scenario scen,
    int uid, GString *first)
{
	struct hx_ctx ref, fs;
	guint n, ndiff = 0;

	/* No ck_* here: callers outside a Check test use this too. */
	if (!hx_fs.live) {
		if (first != NULL)
			g_string_assign(first, "no FUSE mount to test");
		return 1;
	}
	hx_run_side(&ref, hx_ref, "tmpfs", name, setup, scen, uid);
	hx_run_side(&fs, hx_fs.mnt, "fuse", name, setup, scen, uid);
	n = MAX(ref.lines->len, fs.lines->len);
	for (guint i = 0; i < n; i++) {
		const char *a = i < fs.lines->len ?
		    g_ptr_array_index(fs.lines, i) : "(nothing)";
		const char *b = i < ref.lines->len ?
		    g_ptr_array_index(ref.lines, i) : "(nothing)";

		if (getenv("PUFFS_TEST_TRACE") != NULL)
			fprintf(stderr, "%s [%u] %s\n", name, i, a);
		if (strcmp(a, b) == 0)
			continue;
		if (ndiff++ == 0 && first != NULL)
			g_string_printf(first, "[%u]: fuse `%s` / tmpfs `%s`",
			    i, a, b);
		fprintf(stderr, "%s [%u] DIFFERS\n  fuse : %s\n  tmpfs: %s\n",
		    name, i, a, b);
	}
	fprintf(stderr, "%s%s: %u observations, %u differ\n", name,
	    uid >= 0 ? " (as uid 65534)" : "", n, ndiff);
	g_ptr_array_unref(ref.lines);
	g_ptr_array_unref(fs.lines);
	g_free((char *)ref.root);
	g_free((char *)fs.root);
	return ndiff;
}

void
hx_compare(const char *name, hx_scenario setup, hx_scenario scen, int uid)
{
	GString *first = g_string_new(NULL);
	guint ndiff;

	ck_assert_msg(hx_fs.live, "no FUSE mount to test");
	ndiff = hx_compare_ndiff(name, setup, scen, uid, first);
	if (ndiff != 0)
		ck_abort_msg("%s: %u observations differ; first %s", name,
		    ndiff, first->str);
	g_string_free(first, TRUE);
}
