/*
 * harness.h: shared machinery of the integration tests (tests/integration/).
 *
 * Owns private mountpoints, starting the example server through puffsd
 * (daemon first) or through libpuffs (server first), the native tmpfs oracle,
 * and the cleanup that must happen whatever way a test ends.  Only the
 * integration test programs include it.
 *
 * Environment read here:
 *   PUFFSD, MEMFS          binaries under test (set by meson)
 *   HX_SERVER              if set, the server to run instead of MEMFS
 *   HX_SERVER_BACKING=1    give the server a fresh tmpfs directory as its
 *                          first argument (null layer servers: nullfs)
 *   PUFFS_BRIDGE_PUFFSD    passed through to libpuffs for server-first mounts
 *   PUFFS_REQUIRE_FUSE=1   fail instead of skipping without root or /dev/fuse
 *   PUFFS_TEST_FAKE=1      debug: mount a tmpfs where the FUSE mount would go,
 *                          to work on the tests without a working daemon
 */
#ifndef PUFFS_TESTS_HARNESS_H
#define PUFFS_TESTS_HARNESS_H

#include <sys/types.h>

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>

#include <glib.h>

#define HX_DEADLINE	10.0	/* seconds: the longest honest wait for a mount */
#define HX_UNMOUNT_WAIT	20.0	/* more than puffsd's own SYNC+UNMOUNT bound */
#define HX_SKIP		77	/* meson's "skipped" exit status */
#define HX_NOBODY	65534

enum hx_way {
	HX_DAEMON_FIRST,	/* puffsd -- memfs -s MNT */
	HX_SERVER_FIRST,	/* memfs -s MNT, libpuffs starts puffsd */
};

struct hx_mount {
	enum hx_way	way;
	char		mnt[PATH_MAX];
	pid_t		pid;	/* our child: puffsd, or memfs if server first */
	char		backing[PATH_MAX];	/* HX_SERVER_BACKING tmpfs */
	int		live;
};

/* Process-wide setup and teardown; hx_init() may exit 77 (skip). */
void		 hx_init(void);
void		 hx_fini(void);
int		 hx_fake(void);
const char	*hx_way_name(enum hx_way);

/* Mounts.  hx_mount_start() returns 0 once the mount is live, else -1
 * with a message on stderr.  argv_wrap, if set, is a shell command run as
 * the server instead of memfs (daemon first only), with $MEMFS and $MNT
 * in its environment. */
int		 hx_mount_start(struct hx_mount *, enum hx_way, const char *name,
		    const char *sh_wrap);
void		 hx_mount_stop(struct hx_mount *);
int		 hx_oracle_start(char *path, size_t len, const char *name);
void		 hx_oracle_stop(const char *path);
int		 hx_in_mounts(const char *path, char *fstype, size_t fslen);
int		 hx_wait_gone(const char *path, double timeout);
pid_t		 hx_first_child(pid_t parent);
int		 hx_wait_exit(pid_t, double timeout, int *status);
int		 hx_pid_gone(pid_t);
void		 hx_track(pid_t);	/* killed by cleanup if still there */
void		 hx_untrack(pid_t);
/* Poll cond(arg) every 20 ms: 0 once it returns true, -1 after timeout. */
int		 hx_wait_until(int (*cond)(void *), void *arg, double timeout);
double		 hx_now(void);
void		 hx_msleep(unsigned int ms);

/*
 * A test program's main(): one Check test case per entry, in order, ended
 * by an entry whose name is NULL.  fixture, if set, is an unchecked setup
 * paired with hx_fixture_teardown().  hx_run_suite() does hx_init() (which
 * skips with 77 without root or /dev/fuse, or fails under
 * PUFFS_REQUIRE_FUSE=1), skips with 77 under PUFFS_TEST_FAKE=1 if
 * HX_REAL_DAEMON is given, runs the cases CK_RUN_CASE selects, and returns
 * main's exit status: 0 if none failed, else 1.
 */
struct hx_case {
	const char	*name;
	const TTest	*test;
	double		 timeout;	/* seconds */
	void		(*fixture)(void);
};
#define HX_REAL_DAEMON	0x1	/* the cases need puffsd, not the fake */
int		 hx_run_suite(const char *name, const struct hx_case *,
		    int flags);

/* Shared fixtures (unchecked: they run in the Check parent, once per
 * test case, so that teardown runs even when a test dies). */
extern struct hx_mount	hx_fs;
extern char		hx_ref[PATH_MAX];
void		 hx_fixture_daemon_first(void);
void		 hx_fixture_server_first(void);
void		 hx_fixture_teardown(void);

/*
 * Traces.  A scenario runs once on the FUSE mount and once on the tmpfs
 * oracle, noting every observation as one line; the two traces must match
 * line for line.  Observations never include values that legitimately
 * differ between file systems (inode numbers, device, block counts,
 * directory sizes, exact times set by the fs clock).
 */
struct hx_ctx {
	const char	*root;	/* scenario directory on one side */
	const char	*side;	/* "fuse" or "tmpfs" */
	GPtrArray	*lines;
	int64_t		 t0;	/* wall clock when the scenario started */
	char		 pbuf[8][PATH_MAX];
	unsigned int	 pnext;
};

typedef void	(*hx_scenario)(struct hx_ctx *);

const char	*hx_p(struct hx_ctx *, const char *rel);
void		 hx_note(struct hx_ctx *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 hx_rv(struct hx_ctx *, const char *what, long rv, int err,
		    int fdlike);
void		 hx_stat(struct hx_ctx *, const char *rel);
void		 hx_lstat(struct hx_ctx *, const char *rel);
void		 hx_fstat(struct hx_ctx *, const char *label, int fd);
void		 hx_times(struct hx_ctx *, const char *rel, int64_t past);
void		 hx_content(struct hx_ctx *, const char *rel);
const char	*hx_errname(int);

/* Run setup (as root, may be NULL) then scen (as uid, unless uid < 0) on
 * both sides and assert equal traces. */
void		 hx_compare(const char *name, hx_scenario setup, hx_scenario scen,
		    int uid);
/* The same without asserting: prints the differences, returns their
 * count and the first one in *first (if not NULL). */
guint		 hx_compare_ndiff(const char *name, hx_scenario setup,
		    hx_scenario scen, int uid, GString *first);

/* Record a call's result and errno; the text of the call is the label. */
#define HX_DO(c, expr) do {						\
	errno = 0;							\
	long hx_r_ = (long)(expr);					\
	hx_rv((c), #expr, hx_r_, errno, 0);				\
} while (0)

/* Same, for calls returning a descriptor: keep it in *fdp. */
#define HX_FD(c, fdp, expr) do {					\
	errno = 0;							\
	*(fdp) = (int)(expr);						\
	hx_rv((c), #expr, *(fdp), errno, 1);				\
} while (0)

#endif
