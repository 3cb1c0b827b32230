/*
 * backfs.c: the backfs example server (data in a backend process, driven
 * by framebufs and continuations) mounted through puffsd, under several
 * processes at once, compared with a tmpfs oracle.
 *
 *   inflight_reads	the backend holds every read answer back; N readers
 *			released together must all be in flight in the
 *			server at once (it reports its high-water mark), and
 *			read what tmpfs holds.
 *   concurrent_rw	writers and readers in several processes; afterwards
 *			every directory and file equals its tmpfs twin.
 *
 * Environment: BACKFS names the binary (meson sets it), as well as what
 * harness.h reads.
 */
#include "harness.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NREADERS	8
#define FILESIZE	(64 * 1024)
#define NWRITERS	4
#define WFILES		4
#define WSIZE		(256 * 1024)

static struct hx_mount fs;
static char ref[PATH_MAX], stats[PATH_MAX + 16];

/* Mounts backfs daemon first, with `opts' for it, and the oracle. */
static void
mount_backfs(const char *opts)
{
	char wrap[512];

	if (getenv("BACKFS") == NULL)
		ck_abort_msg("BACKFS must name the backfs binary");
	if (hx_oracle_start(ref, sizeof(ref), "tmpfs") == -1)
		ck_abort_msg("cannot mount the tmpfs oracle");
	snprintf(stats, sizeof(stats), "%s.stats", ref);
	unlink(stats);
	setenv("BACKFS_STATS", stats, 1);
	snprintf(wrap, sizeof(wrap), "exec \"$BACKFS\" -s %s "
	    "-S \"$BACKFS_STATS\" \"$MNT\"", opts);
	if (hx_mount_start(&fs, HX_DAEMON_FIRST, "backfs", wrap) == -1)
		ck_abort_msg("backfs mount did not come up (see stderr)");
}

static void
unmount_backfs(void)
{
	hx_mount_stop(&fs);
	hx_oracle_stop(ref);
	unlink(stats);
}

static void
fill(uint8_t *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)((i * 31 + seed * 7 + (i >> 9)) & 0xff);
}

static void
writefile(const char *path, const uint8_t *buf, size_t len, size_t chunk)
{
	size_t off;
	int fd;

	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	ck_assert_msg(fd != -1, "create %s: %s", path, strerror(errno));
	for (off = 0; off < len; off += chunk)
		ck_assert_int_eq(pwrite(fd, buf + off, len - off < chunk ?
		    len - off : chunk, (off_t)off), (ssize_t)(len - off < chunk ?
		    len - off : chunk));
	ck_assert_int_eq(close(fd), 0);
}

/* Whole contents, or NULL; *lenp gets the size. */
static uint8_t *
slurp(const char *path, size_t *lenp)
{
	struct stat st;
	uint8_t *buf;
	ssize_t n;
	size_t off = 0;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || (buf = malloc((size_t)st.st_size + 1)) ==
	    NULL) {
		close(fd);
		return NULL;
	}
	while (off < (size_t)st.st_size &&
	    (n = read(fd, buf + off, (size_t)st.st_size - off)) > 0)
		off += (size_t)n;
	close(fd);
	*lenp = off;
	return buf;
}

static int
samefile(const char *a, const char *b)
{
	size_t la = 0, lb = 0;
	uint8_t *pa = slurp(a, &la), *pb = slurp(b, &lb);
	int same = pa != NULL && pb != NULL && la == lb &&
	    memcmp(pa, pb, la) == 0;

	free(pa);
	free(pb);
	return same;
}

static double
maxinflight(void)
{
	FILE *f = fopen(stats, "r");
	int n = -1;

	if (f != NULL) {
		if (fscanf(f, "maxinflight %d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

START_TEST(t_inflight_reads)
{
	uint8_t buf[FILESIZE];
	char p1[2 * PATH_MAX], p2[2 * PATH_MAX];
	pid_t pids[NREADERS];
	int gate[2], i, fd, status, ok = 0;
	double t0, before;
	char c;

	mount_backfs("-r 1000");
	for (i = 0; i < NREADERS; i++) {
		fill(buf, sizeof(buf), (unsigned int)i);
		snprintf(p1, sizeof(p1), "%s/f%d", fs.mnt, i);
		snprintf(p2, sizeof(p2), "%s/f%d", ref, i);
		writefile(p1, buf, sizeof(buf), sizeof(buf));
		writefile(p2, buf, sizeof(buf), sizeof(buf));
		/* Nothing of it may come from the page cache. */
		fd = open(p1, O_RDONLY);
		ck_assert_int_ne(fd, -1);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
	before = maxinflight();

	ck_assert_int_eq(pipe(gate), 0);
	for (i = 0; i < NREADERS; i++) {
		if ((pids[i] = fork()) == 0) {
			close(gate[1]);
			(void)read(gate[0], &c, 1);	/* released at EOF */
			snprintf(p1, sizeof(p1), "%s/f%d", fs.mnt, i);
			snprintf(p2, sizeof(p2), "%s/f%d", ref, i);
			_exit(samefile(p1, p2) ? 0 : 1);
		}
		ck_assert_int_gt(pids[i], 0);
	}
	close(gate[0]);
	t0 = hx_now();
	close(gate[1]);
	for (i = 0; i < NREADERS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ok++;
	}
	fprintf(stderr, "backfs: %d readers, each answer held 1 s: %.2f s; "
	    "server saw at most %.0f requests in flight (%.0f before)\n",
	    NREADERS, hx_now() - t0, maxinflight(), before);
	ck_assert_int_eq(ok, NREADERS);
	ck_assert_msg(maxinflight() >= NREADERS,
	    "only %.0f of %d reads were in flight at once", maxinflight(),
	    NREADERS);
	unmount_backfs();
}
END_TEST

/* One writer: a directory of files written in small pieces, one renamed,
 * one removed; the same on both sides. */
static void
writer(int w)
{
	static uint8_t buf[WSIZE];
	char p[2 * PATH_MAX], q[2 * PATH_MAX];
	const char *root[2] = { fs.mnt, ref };
	int side, f;

	for (side = 0; side < 2; side++) {
		snprintf(p, sizeof(p), "%s/w%d", root[side], w);
		if (mkdir(p, 0755) == -1)
			_exit(2);
		for (f = 0; f < WFILES; f++) {
			fill(buf, sizeof(buf), (unsigned int)(w * 10 + f));
			snprintf(p, sizeof(p), "%s/w%d/f%d", root[side], w, f);
			writefile(p, buf, sizeof(buf), 4096);
		}
		snprintf(p, sizeof(p), "%s/w%d/f0", root[side], w);
		snprintf(q, sizeof(q), "%s/w%d/renamed", root[side], w);
		if (rename(p, q) == -1)
			_exit(3);
		snprintf(p, sizeof(p), "%s/w%d/f1", root[side], w);
		if (unlink(p) == -1)
			_exit(4);
	}
	_exit(0);
}

/* A reader: reads whatever of the writers' files exists, until told. */
static void
reader(int stopfd)
{
	char p[2 * PATH_MAX], c;
	uint8_t *buf;
	size_t len;
	int w, f;

	for (;;) {
		for (w = 0; w < NWRITERS; w++) {
			for (f = 0; f < WFILES; f++) {
				snprintf(p, sizeof(p), "%s/w%d/f%d", fs.mnt,
				    w, f);
				if ((buf = slurp(p, &len)) != NULL)
					free(buf);
			}
		}
		if (read(stopfd, &c, 1) == 0)
			_exit(0);
	}
}

static gint
cmpname(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of a directory, one per line. */
static char *
listing(const char *dir)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GString *out = g_string_new(NULL);
	struct dirent *de;
	DIR *d = opendir(dir);
	guint i;

	if (d == NULL)
		return g_string_free(out, FALSE);
	while ((de = readdir(d)) != NULL)
		g_ptr_array_add(names, g_strdup(de->d_name));
	closedir(d);
	g_ptr_array_sort(names, cmpname);
	for (i = 0; i < names->len; i++)
		g_string_append_printf(out, "%s\n",
		    (char *)g_ptr_array_index(names, i));
	g_ptr_array_free(names, TRUE);
	return g_string_free(out, FALSE);
}

START_TEST(t_concurrent_rw)
{
	pid_t wp[NWRITERS], rp[2];
	char p1[2 * PATH_MAX], p2[2 * PATH_MAX], *l1, *l2;
	const char *files[] = { "renamed", "f2", "f3" };
	int stop[2], i, f, status;
	double t0 = hx_now();

	mount_backfs("-r 2");
	ck_assert_int_eq(pipe(stop), 0);
	fcntl(stop[0], F_SETFL, O_NONBLOCK);
	for (i = 0; i < 2; i++) {
		if ((rp[i] = fork()) == 0) {
			close(stop[1]);
			reader(stop[0]);
		}
	}
	close(stop[0]);
	for (i = 0; i < NWRITERS; i++)
		if ((wp[i] = fork()) == 0)
			writer(i);
	for (i = 0; i < NWRITERS; i++) {
		ck_assert_int_eq(waitpid(wp[i], &status, 0), wp[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "writer %d failed (status 0x%x)", i, status);
	}
	close(stop[1]);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(waitpid(rp[i], &status, 0), rp[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "reader %d failed", i);
	}

	l1 = listing(fs.mnt);
	l2 = listing(ref);
	ck_assert_str_eq(l1, l2);
	g_free(l1);
	g_free(l2);
	for (i = 0; i < NWRITERS; i++) {
		snprintf(p1, sizeof(p1), "%s/w%d", fs.mnt, i);
		snprintf(p2, sizeof(p2), "%s/w%d", ref, i);
		l1 = listing(p1);
		l2 = listing(p2);
		ck_assert_str_eq(l1, l2);
		g_free(l1);
		g_free(l2);
		for (f = 0; f < 3; f++) {
			snprintf(p1, sizeof(p1), "%s/w%d/%s", fs.mnt, i,
			    files[f]);
			snprintf(p2, sizeof(p2), "%s/w%d/%s", ref, i,
			    files[f]);
			ck_assert_msg(samefile(p1, p2), "%s differs", p1);
		}
	}
	fprintf(stderr, "backfs: %d writers and 2 readers: %.2f s, server saw "
	    "at most %.0f requests in flight\n", NWRITERS, hx_now() - t0,
	    maxinflight());
	unmount_backfs();
}
END_TEST

/* Check's test handles are variables: the table lives in main(). */
int
main(void)
{
	const struct hx_case cases[] = {
		{ "inflight_reads", t_inflight_reads, 240, NULL },
		{ "concurrent_rw", t_concurrent_rw, 240, NULL },
		{ NULL, NULL, 0, NULL },
	};

	return hx_run_suite("backfs", cases, 0);
}
