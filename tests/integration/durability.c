/*
 * durability.c: nothing acknowledged is lost.  nullfs (the library's null
 * layer) serves a backing directory on the host's disk; files of several
 * sizes (empty, unaligned tails, over 1 MiB) are written through the
 * mount with write(2) and through a shared mapping, then the mount ends
 * badly or cleanly, and every backing file is compared byte for byte with
 * what was written:
 *   fsync_kill_server   fsync(2) returned, then the server gets SIGKILL
 *   fsync_kill_puffsd   fsync(2) returned, then puffsd gets SIGKILL
 *   clean_umount        no fsync, files closed, umount(2)
 *   clean_puffsctl      no fsync, puffsctl unmount
 *   clean_sigterm       no fsync, SIGTERM to puffsd
 * In the last two the mapped file stays open and mapped, its pages dirty
 * in the kernel's cache until puffsd has them written back.
 * Each case makes its own mount and backing directory; the harness
 * removes whatever a failing case leaves.
 */
#include "harness.h"

#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MiB		(1024 * 1024)
#define CHUNK		100003		/* odd, so writes straddle pages */

enum end { END_KILL_SERVER, END_KILL_PUFFSD, END_UMOUNT, END_PUFFSCTL,
    END_SIGTERM };

struct dfile {
	const char	*name;
	size_t		 size;
	bool		 mmap;		/* written through a shared mapping */
};

static const struct dfile dfiles[] = {
	{ "empty", 0, false },
	{ "one", 1, false },
	{ "page-less-1", 4095, false },
	{ "page", 4096, false },
	{ "odd-65537", 65537, false },
	{ "mib-plus-123", MiB + 123, false },
	{ "big-3mib-plus-7", 3 * MiB + 7, false },
	{ "mapped-mib-plus-333", MiB + 333, true },
};

static char backing[PATH_MAX];
static void *kept_map;		/* a mapping left in place, and its size */
static size_t kept_len;

/* The bytes of file i: differ per file and per case. */
static guint8 *
d_content(size_t i, enum end how)
{
	GRand *r = g_rand_new_with_seed(0x5eed0000u + i * 16 + how);
	guint8 *buf = g_malloc(dfiles[i].size + 1);
	size_t j;

	for (j = 0; j < dfiles[i].size; j++)
		buf[j] = (guint8)g_rand_int(r);
	g_rand_free(r);
	return buf;
}

static void
d_write(int fd, const guint8 *buf, size_t size, const char *name)
{
	size_t off, n;
	ssize_t w;

	for (off = 0; off < size; off += (size_t)w) {
		n = MIN((size_t)CHUNK, size - off);
		w = write(fd, buf + off, n);
		ck_assert_msg(w > 0, "write %s at %zu: %s", name, off,
		    strerror(errno));
	}
}

/* Returns the mapping when asked to keep it, else unmaps. */
static void *
d_map(int fd, const guint8 *buf, size_t size, const char *name, bool sync,
    bool keep)
{
	void *p;

	ck_assert_msg(ftruncate(fd, (off_t)size) == 0, "ftruncate %s: %s",
	    name, strerror(errno));
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_msg(p != MAP_FAILED, "mmap %s: %s", name, strerror(errno));
	memcpy(p, buf, size);
	if (sync)
		ck_assert_msg(msync(p, size, MS_SYNC) == 0, "msync %s: %s",
		    name, strerror(errno));
	if (keep)
		return p;
	ck_assert_int_eq(munmap(p, size), 0);
	return NULL;
}

/*
 * Write every file through mnt.  With fsync, each is fsynced before the
 * next; without, the file named keep stays open (returned), the others
 * are closed.
 */
static int
d_write_all(const char *mnt, enum end how, bool fsync_each,
    const char *keep)
{
	char path[PATH_MAX + 64];
	guint8 *buf;
	int fd, kept = -1;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(dfiles); i++) {
		snprintf(path, sizeof(path), "%s/%s", mnt, dfiles[i].name);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		ck_assert_msg(fd != -1, "create %s: %s", path,
		    strerror(errno));
		buf = d_content(i, how);
		if (dfiles[i].mmap &&
		    (kept_map = d_map(fd, buf, dfiles[i].size, path,
		    fsync_each, keep != NULL &&
		    strcmp(keep, dfiles[i].name) == 0)) != NULL)
			kept_len = dfiles[i].size;
		else
			d_write(fd, buf, dfiles[i].size, path);
		g_free(buf);
		if (fsync_each)
			ck_assert_msg(fsync(fd) == 0, "fsync %s: %s", path,
			    strerror(errno));
		if (keep != NULL && strcmp(keep, dfiles[i].name) == 0)
			kept = fd;
		else
			ck_assert_msg(close(fd) == 0, "close %s: %s", path,
			    strerror(errno));
	}
	return kept;
}

/* Every backing file holds exactly what was written. */
static void
d_verify(enum end how, const char *what)
{
	char path[PATH_MAX + 64];
	guint8 *want;
	gchar *got;
	gsize len;
	size_t i, at;

	for (i = 0; i < G_N_ELEMENTS(dfiles); i++) {
		snprintf(path, sizeof(path), "%s/%s", backing,
		    dfiles[i].name);
		ck_assert_msg(g_file_get_contents(path, &got, &len, NULL),
		    "%s: %s is missing from the backing directory", what,
		    dfiles[i].name);
		want = d_content(i, how);
		for (at = 0; at < MIN(len, dfiles[i].size) &&
		    (guint8)got[at] == want[at]; at++)
			continue;
		ck_assert_msg(len == dfiles[i].size && at == len,
		    "%s: %s has %zu bytes (want %zu), first difference at "
		    "byte %zu", what, dfiles[i].name, (size_t)len,
		    dfiles[i].size, at);
		g_free(want);
		g_free(got);
	}
	fprintf(stderr, "durability: %s: %zu files identical\n", what,
	    G_N_ELEMENTS(dfiles));
}

static int
d_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
d_setup(void)
{
	char tmpl[] = "/var/tmp/puffs-durability.XXXXXX";

	if (mkdtemp(tmpl) == NULL || realpath(tmpl, backing) == NULL) {
		perror("durability: backing directory");
		exit(99);
	}
}

static void
d_teardown(void)
{
	if (backing[0] != '\0')
		nftw(backing, d_rm, 16, FTW_DEPTH | FTW_PHYS);
	backing[0] = '\0';
}

static void
d_mount(struct hx_mount *m)
{
	gchar *wrap;

	wrap = g_strdup_printf("exec \"$MEMFS\" -s '%s' \"$MNT\"", backing);
	ck_assert_msg(hx_mount_start(m, HX_DAEMON_FIRST, "dur", wrap) == 0,
	    "nullfs over %s did not mount (see stderr)", backing);
	g_free(wrap);
}

/* puffsd (our child) ends by itself within the deadline. */
static void
d_wait_puffsd(struct hx_mount *m, const char *after)
{
	int status;

	ck_assert_msg(hx_wait_exit(m->pid, HX_DEADLINE, &status) == 0,
	    "puffsd still running %.0f s after %s", HX_DEADLINE, after);
	hx_untrack(m->pid);
	m->pid = 0;
}

/* A process that is not our child is gone (or a zombie). */
static void
d_wait_gone(pid_t pid, const char *who)
{
	double end = hx_now() + HX_DEADLINE;

	while (!hx_pid_gone(pid)) {
		ck_assert_msg(hx_now() < end, "%s (pid %d) still running "
		    "after %.0f s", who, (int)pid, HX_DEADLINE);
		hx_msleep(10);
	}
	hx_untrack(pid);
}

static void
d_run(enum end how, const char *what)
{
	const char *puffsctl = getenv("PUFFSCTL");
	struct hx_mount m;
	pid_t server;
	gchar *cmd;
	int kept = -1, rc;

	d_mount(&m);
	server = hx_first_child(m.pid);
	ck_assert_msg(server > 0, "no server under puffsd %d", (int)m.pid);
	hx_track(server);
	switch (how) {
	case END_KILL_SERVER:
		d_write_all(m.mnt, how, true, NULL);
		ck_assert_int_eq(kill(server, SIGKILL), 0);
		d_wait_puffsd(&m, "its server was killed");
		d_wait_gone(server, "the server");
		break;
	case END_KILL_PUFFSD:
		d_write_all(m.mnt, how, true, NULL);
		ck_assert_int_eq(kill(m.pid, SIGKILL), 0);
		d_wait_puffsd(&m, "SIGKILL");
		d_wait_gone(server, "the server of a killed puffsd");
		break;
	case END_UMOUNT:
		d_write_all(m.mnt, how, false, NULL);
		ck_assert_msg(umount(m.mnt) == 0, "umount %s: %s", m.mnt,
		    strerror(errno));
		d_wait_puffsd(&m, "umount");
		break;
	case END_PUFFSCTL:
		ck_assert_msg(puffsctl != NULL, "PUFFSCTL is not set");
		kept = d_write_all(m.mnt, how, false, "mapped-mib-plus-333");
		cmd = g_strdup_printf("'%s' unmount '%s'", puffsctl, m.mnt);
		rc = system(cmd);
		g_free(cmd);
		ck_assert_msg(rc == 0, "puffsctl unmount: status 0x%x", rc);
		d_wait_puffsd(&m, "puffsctl unmount");
		break;
	case END_SIGTERM:
		kept = d_write_all(m.mnt, how, false, "mapped-mib-plus-333");
		ck_assert_int_eq(kill(m.pid, SIGTERM), 0);
		d_wait_puffsd(&m, "SIGTERM");
		break;
	}
	if (how != END_KILL_PUFFSD)
		d_wait_gone(server, "the server");
	d_verify(how, what);
	if (kept_map != NULL)
		munmap(kept_map, kept_len);
	kept_map = NULL;
	if (kept != -1)
		close(kept);
	hx_mount_stop(&m);
}

START_TEST(t_fsync_kill_server)
{
	d_run(END_KILL_SERVER, "fsync, server killed");
}
END_TEST

START_TEST(t_fsync_kill_puffsd)
{
	d_run(END_KILL_PUFFSD, "fsync, puffsd killed");
}
END_TEST

START_TEST(t_clean_umount)
{
	d_run(END_UMOUNT, "umount");
}
END_TEST

START_TEST(t_clean_puffsctl)
{
	d_run(END_PUFFSCTL, "puffsctl unmount");
}
END_TEST

START_TEST(t_clean_sigterm)
{
	d_run(END_SIGTERM, "SIGTERM");
}
END_TEST

static void
add_case(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, d_setup, d_teardown);
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

int
main(void)
{
	Suite *s = suite_create("durability");
	SRunner *sr;
	int failed;

	hx_init();
	add_case(s, "fsync_kill_server", t_fsync_kill_server);
	add_case(s, "fsync_kill_puffsd", t_fsync_kill_puffsd);
	add_case(s, "clean_umount", t_clean_umount);
	add_case(s, "clean_puffsctl", t_clean_puffsctl);
	add_case(s, "clean_sigterm", t_clean_sigterm);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	hx_fini();
	return failed == 0 ? 0 : 1;
}
