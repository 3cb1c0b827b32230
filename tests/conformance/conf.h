/*
 * conf.h: the conformance suite (tests/conformance/).
 *
 * A case is one small scenario, run by the integration harness once in a
 * directory of a mount of one example server (memfs unless --server names
 * another) and once in a directory of a native tmpfs;
 * both runs note what they observe (results, errnos, metadata) and the two
 * traces must be equal.  Cases are listed in per-area tables (c_*.c) that
 * conf.c runs as TAP, one meson test per group.
 *
 * Scenarios switch credentials themselves, in forked children (AS blocks
 * and cf_spawn), so that one case can act as root, as two unprivileged
 * users and as a group member in turn.  Only the conformance programs
 * include this file.
 */
#ifndef PUFFS_TESTS_CONF_H
#define PUFFS_TESTS_CONF_H

#include "harness.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Unprivileged identities the cases use (they need no passwd entry). */
#define U1	1000
#define G1	1000
#define U2	1001
#define G2	1001
#define UN	65534		/* nobody */
#define GN	65534

#define PAST	1000000000	/* a time no fs clock hands out today */

#define P(rel)	hx_p(c, (rel))

struct cf_case {
	const char	*group;		/* meson test: conf-<group> */
	const char	*name;		/* unique within the group */
	hx_scenario	 run;		/* as root; switches uid itself */
	/*
	 * Set when the case waits for a daemon feature this branch lacks:
	 * a failure is then reported as TAP "not ok ... # TODO <pending>",
	 * and a pass as "ok ... # TODO", which meson counts as a failure so
	 * that the mark is removed once the feature lands.
	 */
	const char	*pending;
	/*
	 * Set when the case documents a behaviour in which the mount is
	 * meant to differ from tmpfs; the scenario asserts each side's own
	 * expected result through cf_expect(), and this says why.
	 */
	const char	*differs;
};

#define CF_END	{ NULL, NULL, NULL, NULL, NULL }

/*
 * The example servers the suite mounts, and the marks that say how a case
 * fares on a server other than memfs (conf_server.c).  The pending and
 * differs fields of a case describe memfs; on another server a mark for
 * the case replaces both, and without a mark they apply as they are.
 */
struct cf_server {
	const char	*name;		/* it-conf --server NAME */
	const char	*env;		/* variable naming its binary */
	int		 backing;	/* mounts a fresh host directory */
};

enum cf_mark_kind {
	CF_LIKE_TMPFS,	/* the case's memfs marks do not apply: the mount
			 * must give tmpfs's results (cf_expect too) */
	CF_DIFFERS,	/* differs by the server's design; the case must
			 * still differ, so that a stale mark is noticed */
	CF_PENDING,	/* a bug of the server or library not fixed yet */
};

struct cf_mark {
	const char		*servers;	/* comma-separated */
	const char		*group;
	const char		*name;		/* NULL: the whole group */
	enum cf_mark_kind	 kind;
	const char		*why;
};

extern const struct cf_server	cf_servers[];
extern const size_t		cf_nservers;
const struct cf_server	*cf_server_find(const char *name);
const struct cf_mark	*cf_mark_find(const struct cf_server *,
			    const struct cf_case *);
/* Set in a case's process when the case runs under a CF_LIKE_TMPFS mark. */
extern int			 cf_like_tmpfs;

extern const struct cf_case cf_attr_cases[];
extern const struct cf_case cf_name_cases[];
extern const struct cf_case cf_open_cases[];
extern const struct cf_case cf_rename_cases[];
extern const struct cf_case cf_xattr_cases[];
extern const struct cf_case cf_lock_cases[];
extern const struct cf_case cf_io_cases[];
extern const struct cf_case cf_dir_cases[];
extern const struct cf_case cf_perm_cases[];

/* --- observations --- */

int	 cf_fuse(struct hx_ctx *);	/* 1 on the mount's side */
void	 cf_mkfile(struct hx_ctx *, const char *rel, mode_t, const char *);
void	 cf_mkdir(struct hx_ctx *, const char *rel, mode_t);
void	 cf_list(struct hx_ctx *, const char *rel);
void	 cf_past(struct hx_ctx *, const char *rel);
void	 cf_read(struct hx_ctx *, const char *what, int fd, size_t len);
/* Note "what = expected" if rv/err is what this side should give, else
 * the actual result: tmpfs_expect/fuse_expect are "0", "fd" or an errno
 * name ("EPERM"). */
void	 cf_expect(struct hx_ctx *, const char *what, long rv, int err,
	    const char *tmpfs_expect, const char *fuse_expect);

#define CF_EXPECT(c, tmpfs_expect, fuse_expect, expr) do {		\
	errno = 0;							\
	long cf_r_ = (long)(expr);					\
	cf_expect((c), #expr, cf_r_, errno, (tmpfs_expect),		\
	    (fuse_expect));						\
} while (0)

/* --- other processes and identities --- */

/*
 * AS(c, uid, gid) { body }: run body in a forked child with those ids (no
 * supplementary groups); the parent waits for it and appends its notes.
 * AS_GROUPS adds supplementary groups.  The body must not return or break.
 */
int	 cf_as_begin(struct hx_ctx *, int uid, int gid, int ngroups,
	    const gid_t *groups);
int	 cf_as_end(struct hx_ctx *);

#define AS_GROUPS(c, uid, gid, n, groups)				\
	for (int cf_in_ = cf_as_begin((c), (uid), (gid), (n), (groups));\
	    cf_in_; cf_in_ = cf_as_end(c))
#define AS(c, uid, gid)	AS_GROUPS(c, uid, gid, 0, NULL)

/* A child running at the same time as the scenario, with two pipes to
 * step the two in lockstep. */
struct cf_kid {
	pid_t	pid;
	int	lines;		/* parent: the child's notes */
	int	to_kid[2];
	int	to_parent[2];
	guint	from;		/* child: first note of its own */
};

/* 1 in the child (running as uid/gid, or as root if uid < 0), 0 in the
 * parent, -1 if it could not fork (noted). */
int	 cf_spawn(struct hx_ctx *, struct cf_kid *, int uid, int gid);
void	 cf_kid_exit(struct hx_ctx *, struct cf_kid *) __attribute__((noreturn));
void	 cf_join(struct hx_ctx *, struct cf_kid *);
/* One step of lockstep; the waits give up (noted) after 10 s. */
void	 cf_tell_parent(struct cf_kid *);
void	 cf_tell_kid(struct cf_kid *);
int	 cf_hear_parent(struct hx_ctx *, struct cf_kid *);
int	 cf_hear_kid(struct hx_ctx *, struct cf_kid *);
/* Wait until the kid sleeps inside syscall nr (a blocking lock, say);
 * 0 once it does, -1 (noted) after 10 s. */
int	 cf_wait_blocked(struct hx_ctx *, struct cf_kid *, long nr);
/* Whether a byte from the kid is waiting right now (no waiting). */
int	 cf_kid_said(struct cf_kid *);

#endif
