/*
 * c_lock.c: conformance cases for advisory locks between two processes:
 * POSIX record locks (conflicts, shared locks, ranges, splitting, F_GETLK,
 * blocking F_SETLKW, release on any close and on exit) and flock(2)
 * (conflicts, sharing, blocking, conversion, release with the last
 * descriptor of the open file).  The second process runs concurrently
 * (cf_spawn); a blocked lock is recognised by the process sleeping in
 * the system call, never by timing.  Run by conf.c.
 */
#include "conf.h"

#include <sys/file.h>
#include <sys/syscall.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>

static void
lk(struct hx_ctx *c, const char *who, int fd, int cmd, short type,
    off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
	    .l_start = start, .l_len = len };
	static const char *tn[] = { "RD", "WR", "UN" };
	int r;

	errno = 0;
	r = fcntl(fd, cmd, &fl);
	hx_note(c, "%s: %s %s [%lld,+%lld) = %d %s", who,
	    cmd == F_SETLK ? "SETLK" : cmd == F_SETLKW ? "SETLKW" :
	    cmd == F_OFD_SETLK ? "OFD_SETLK" : "?", tn[type],
	    (long long)start, (long long)len, r, r ? hx_errname(errno) : "");
}

static void
getlk(struct hx_ctx *c, const char *who, int fd, short type, off_t start,
    off_t len, pid_t holder)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
	    .l_start = start, .l_len = len };
	static const char *tn[] = { "RD", "WR", "UN" };
	int r;

	errno = 0;
	r = fcntl(fd, F_GETLK, &fl);
	if (r == -1)
		hx_note(c, "%s: GETLK = -1 %s", who, hx_errname(errno));
	else if (fl.l_type == F_UNLCK)
		hx_note(c, "%s: GETLK %s [%lld,+%lld): free", who, tn[type],
		    (long long)start, (long long)len);
	else
		hx_note(c, "%s: GETLK %s [%lld,+%lld): held %s [%lld,+%lld) "
		    "by %s", who, tn[type], (long long)start, (long long)len,
		    tn[fl.l_type], (long long)fl.l_start, (long long)fl.l_len,
		    fl.l_pid == holder ? "the holder" : "someone else");
}

static int
openf(struct hx_ctx *c, int flags)
{
	int fd = open(P("f"), flags);

	if (fd == -1)
		hx_note(c, "open f = -1 %s", hx_errname(errno));
	return fd;
}

static void
posix_blocking(struct hx_ctx *c)
{
	struct cf_kid k;
	int fd;

	cf_mkfile(c, "f", 0666, "");
	fd = openf(c, O_RDWR);
	lk(c, "parent", fd, F_SETLK, F_WRLCK, 0, 10);
	if (cf_spawn(c, &k, U1, G1) == 1) {
		int kfd = openf(c, O_RDWR);

		lk(c, "kid", kfd, F_SETLKW, F_WRLCK, 5, 1);
		cf_tell_parent(&k);
		cf_hear_parent(c, &k);
		cf_kid_exit(c, &k);
	}
	if (cf_wait_blocked(c, &k, SYS_fcntl) == 0) {
		hx_note(c, "kid blocked in SETLKW");
		hx_note(c, "parent: kid done before unlock: %d",
		    cf_kid_said(&k));
		lk(c, "parent", fd, F_SETLK, F_UNLCK, 0, 10);
		cf_hear_kid(c, &k);
		lk(c, "parent", fd, F_SETLK, F_WRLCK, 0, 10);
		lk(c, "parent", fd, F_SETLK, F_WRLCK, 6, 10);
	}
	cf_tell_kid(&k);
	cf_join(c, &k);
	lk(c, "parent", fd, F_SETLK, F_WRLCK, 0, 10);
	close(fd);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/* Two processes each holding one lock and wanting the other's: the
 * second waiter gets EDEADLK (an alarm only ends a hang). */
static void
posix_deadlock(struct hx_ctx *c)
{
	struct cf_kid k;
	int fd;

	cf_mkfile(c, "f", 0666, "");
	fd = openf(c, O_RDWR);
	lk(c, "parent", fd, F_SETLK, F_WRLCK, 0, 1);
	if (cf_spawn(c, &k, -1, -1) == 1) {
		int kfd = openf(c, O_RDWR);

		lk(c, "kid", kfd, F_SETLK, F_WRLCK, 1, 1);
		cf_tell_parent(&k);
		lk(c, "kid", kfd, F_SETLKW, F_WRLCK, 0, 1);
		cf_kid_exit(c, &k);
	}
	cf_hear_kid(c, &k);
	if (cf_wait_blocked(c, &k, SYS_fcntl) == 0) {
		struct sigaction sa = { .sa_handler = on_alarm };

		sigaction(SIGALRM, &sa, NULL);
		alarm(10);
		lk(c, "parent", fd, F_SETLKW, F_WRLCK, 1, 1);
		alarm(0);
		lk(c, "parent", fd, F_SETLK, F_UNLCK, 0, 0);
	}
	cf_join(c, &k);
	close(fd);
}

/* POSIX: closing any descriptor of the file drops the process's locks. */
static void
posix_close_any(struct hx_ctx *c)
{
	struct cf_kid k;
	int fd, fd2;

	cf_mkfile(c, "f", 0666, "");
	fd = openf(c, O_RDWR);
	lk(c, "parent", fd, F_SETLK, F_WRLCK, 0, 0);
	fd2 = openf(c, O_RDONLY);
	HX_DO(c, close(fd2));
	if (cf_spawn(c, &k, -1, -1) == 1) {
		int kfd = openf(c, O_RDWR);

		lk(c, "kid", kfd, F_SETLK, F_WRLCK, 0, 0);
		cf_kid_exit(c, &k);
	}
	cf_join(c, &k);
	close(fd);
}

static void
posix_modes(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0666, "");
	fd = openf(c, O_RDONLY);
	lk(c, "rdonly", fd, F_SETLK, F_WRLCK, 0, 0);
	lk(c, "rdonly", fd, F_SETLK, F_RDLCK, 0, 0);
	close(fd);
	fd = openf(c, O_WRONLY);
	lk(c, "wronly", fd, F_SETLK, F_RDLCK, 0, 0);
	lk(c, "wronly", fd, F_SETLK, F_WRLCK, 0, 0);
	lk(c, "wronly", fd, F_SETLK, F_WRLCK, -5, 1);
	lk(c, "wronly", fd, F_SETLK, F_WRLCK, 5, -10);
	close(fd);
}

/* Open file description locks belong to the description, not the
 * process. */
static void
ofd_locks(struct hx_ctx *c)
{
	int fd, fd2;

	cf_mkfile(c, "f", 0666, "");
	fd = openf(c, O_RDWR);
	fd2 = openf(c, O_RDWR);
	lk(c, "ofd1", fd, F_OFD_SETLK, F_WRLCK, 0, 10);
	lk(c, "ofd2", fd2, F_OFD_SETLK, F_WRLCK, 5, 10);
	lk(c, "ofd2", fd2, F_OFD_SETLK, F_RDLCK, 10, 10);
	close(fd);
	lk(c, "ofd2", fd2, F_OFD_SETLK, F_WRLCK, 0, 10);
	close(fd2);
}

static void
fl(struct hx_ctx *c, const char *who, int fd, int op)
{
	int r;

	errno = 0;
	r = flock(fd, op);
	hx_note(c, "%s: flock(%s%s) = %d %s", who,
	    (op & ~LOCK_NB) == LOCK_SH ? "SH" : (op & ~LOCK_NB) == LOCK_EX ?
	    "EX" : "UN", op & LOCK_NB ? "|NB" : "", r,
	    r ? hx_errname(errno) : "");
}

static void
flock_conflict(struct hx_ctx *c)
{
	struct cf_kid k;
	int fd, fd2;

	cf_mkfile(c, "f", 0666, "");
	fd = openf(c, O_RDONLY);
	fl(c, "parent", fd, LOCK_EX | LOCK_NB);
	fd2 = openf(c, O_RDONLY);
	fl(c, "parent fd2", fd2, LOCK_SH | LOCK_NB);
	if (cf_spawn(c, &k, U1, G1) == 1) {
		int kfd = openf(c, O_RDONLY);

		fl(c, "kid", kfd, LOCK_EX | LOCK_NB);
		fl(c, "kid", kfd, LOCK_SH | LOCK_NB);
		cf_kid_exit(c, &k);
	}
	cf_join(c, &k);
	fl(c, "parent", fd, LOCK_UN);
	fl(c, "parent fd2", fd2, LOCK_SH | LOCK_NB);
	close(fd);
	close(fd2);
}

static void
flock_blocking(struct hx_ctx *c)
{
	struct cf_kid k;
	int fd;

	cf_mkfile(c, "f", 0666, "");
	fd = openf(c, O_RDONLY);
	fl(c, "parent", fd, LOCK_EX);
	if (cf_spawn(c, &k, -1, -1) == 1) {
		int kfd = openf(c, O_RDONLY);

		fl(c, "kid", kfd, LOCK_SH);
		cf_tell_parent(&k);
		cf_hear_parent(c, &k);
		cf_kid_exit(c, &k);
	}
	if (cf_wait_blocked(c, &k, SYS_flock) == 0) {
		hx_note(c, "kid blocked in flock");
		hx_note(c, "kid done before unlock: %d", cf_kid_said(&k));
		fl(c, "parent", fd, LOCK_UN);
		cf_hear_kid(c, &k);
		fl(c, "parent", fd, LOCK_EX | LOCK_NB);
		fl(c, "parent", fd, LOCK_SH | LOCK_NB);
	}
	cf_tell_kid(&k);
	cf_join(c, &k);
	close(fd);
}

/*
 * A failed non-blocking upgrade: Linux removes the shared lock before
 * trying for the exclusive one, so it is gone; BSD's lf_advlock (and so a
 * server following NetBSD, like memfs) keeps it.  Both man pages call the
 * conversion non-atomic.
 */
static void
flock_failed_upgrade(struct hx_ctx *c)
{
	struct cf_kid k;
	int fd, r;

	cf_mkfile(c, "f", 0666, "");
	fd = openf(c, O_RDONLY);
	fl(c, "parent", fd, LOCK_SH | LOCK_NB);
	if (cf_spawn(c, &k, -1, -1) == 1) {
		int kfd = openf(c, O_RDONLY);

		fl(c, "kid", kfd, LOCK_SH | LOCK_NB);
		fl(c, "kid", kfd, LOCK_EX | LOCK_NB);
		cf_tell_parent(&k);
		cf_hear_parent(c, &k);
		cf_kid_exit(c, &k);
	}
	cf_hear_kid(c, &k);
	errno = 0;
	r = flock(fd, LOCK_EX | LOCK_NB);
	cf_expect(c, "parent: flock(EX|NB) after the kid's failed upgrade",
	    r, errno, "0", "EAGAIN");
	cf_tell_kid(&k);
	cf_join(c, &k);
	close(fd);
}

/* A flock belongs to the open file: dup'ed descriptors share it, and
 * it goes with the last of them. */
static void
flock_dup_close(struct hx_ctx *c)
{
	struct cf_kid k;
	int fd, dfd;

	cf_mkfile(c, "f", 0666, "");
	fd = openf(c, O_RDONLY);
	fl(c, "parent", fd, LOCK_EX);
	dfd = dup(fd);
	HX_DO(c, close(fd));
	if (cf_spawn(c, &k, -1, -1) == 1) {
		int kfd = openf(c, O_RDONLY);

		fl(c, "kid", kfd, LOCK_EX | LOCK_NB);
		cf_tell_parent(&k);
		cf_hear_parent(c, &k);
		fl(c, "kid", kfd, LOCK_EX | LOCK_NB);
		cf_kid_exit(c, &k);
	}
	cf_hear_kid(c, &k);
	HX_DO(c, close(dfd));
	cf_tell_kid(&k);
	cf_join(c, &k);
}

/*
 * Most cases are one script: the parent opens f and locks, a kid opens f
 * and tries, and where the script has MID or KID2 steps the two take
 * turns (the kid keeps its locks while the parent runs MID); POST runs
 * after the kid has exited.
 */
enum lkwho { PRE = 1, KID, MID, KID2, POST };

struct lkstep {
	enum lkwho	who;
	char		what;	/* 'l' fcntl lock, 'g' F_GETLK, 'f' flock */
	int		cmd;	/* 'l': F_SETLK or F_SETLKW; 'f': the op */
	short		type;
	off_t		start;
	off_t		len;
};

struct lkplay {
	int		pflags;	/* the parent's open flags */
	int		kflags;	/* the kid's */
	int		kuid;	/* -1: the kid stays root */
	int		kgid;
	struct lkstep	steps[16];	/* the unused ones empty */
};

#define L(who, cmd, type, start, len)	{ who, 'l', cmd, type, start, len }
#define G(who, type, start, len)	{ who, 'g', 0, type, start, len }
#define FL(who, op)			{ who, 'f', op, 0, 0, 0 }

static bool
lk_has(const struct lkplay *p, enum lkwho who)
{
	for (size_t i = 0; i < G_N_ELEMENTS(p->steps); i++)
		if (p->steps[i].what != 0 && p->steps[i].who == who)
			return true;
	return false;
}

/* Run who's steps on fd; other is the pid F_GETLK names the holder by. */
static void
lk_steps(struct hx_ctx *c, const struct lkplay *p, enum lkwho who, int fd,
    pid_t other)
{
	const char *name = who == KID || who == KID2 ? "kid" : "parent";

	for (size_t i = 0; i < G_N_ELEMENTS(p->steps); i++) {
		const struct lkstep *s = &p->steps[i];

		if (s->what == 0 || s->who != who)
			continue;
		if (s->what == 'l')
			lk(c, name, fd, s->cmd, s->type, s->start, s->len);
		else if (s->what == 'g')
			getlk(c, name, fd, s->type, s->start, s->len, other);
		else
			fl(c, name, fd, s->cmd);
	}
}

static void
lk_play(struct hx_ctx *c, const struct lkplay *p)
{
	bool turns = lk_has(p, MID) || lk_has(p, KID2);
	struct cf_kid k;
	int fd;

	cf_mkfile(c, "f", 0666, "0123456789");
	fd = openf(c, p->pflags);
	lk_steps(c, p, PRE, fd, 0);
	if (cf_spawn(c, &k, p->kuid, p->kgid) == 1) {
		int kfd = openf(c, p->kflags);

		lk_steps(c, p, KID, kfd, getppid());
		if (turns) {
			cf_tell_parent(&k);
			cf_hear_parent(c, &k);
			lk_steps(c, p, KID2, kfd, getppid());
		}
		cf_kid_exit(c, &k);
	}
	if (turns) {
		cf_hear_kid(c, &k);
		lk_steps(c, p, MID, fd, k.pid);
		cf_tell_kid(&k);
	}
	cf_join(c, &k);
	lk_steps(c, p, POST, fd, k.pid);
	close(fd);
}

static const struct lkplay posix_conflict = { O_RDWR, O_RDWR, -1, -1, {
	L(PRE, F_SETLK, F_WRLCK, 0, 0),
	L(KID, F_SETLK, F_RDLCK, 0, 1),
	L(KID, F_SETLK, F_WRLCK, 5, 1),
	G(KID, F_RDLCK, 3, 1),
	G(POST, F_WRLCK, 0, 0),
} };

static const struct lkplay posix_shared = { O_RDWR, O_RDONLY, U1, G1, {
	L(PRE, F_SETLK, F_RDLCK, 0, 10),
	L(KID, F_SETLK, F_RDLCK, 0, 10),
	G(KID, F_WRLCK, 0, 10),
	G(KID, F_RDLCK, 0, 10),
	L(MID, F_SETLK, F_WRLCK, 0, 10),
	L(MID, F_SETLK, F_WRLCK, 10, 10),
	L(POST, F_SETLK, F_WRLCK, 0, 10),
} };

static const struct lkplay posix_ranges = { O_RDWR, O_RDWR, -1, -1, {
	L(PRE, F_SETLK, F_WRLCK, 0, 10),
	L(PRE, F_SETLK, F_RDLCK, 100, 0),
	L(KID, F_SETLK, F_WRLCK, 10, 10),
	L(KID, F_SETLK, F_WRLCK, 5, 10),
	L(KID, F_SETLK, F_RDLCK, 50, 60),
	L(KID, F_SETLK, F_RDLCK, 1000000, 1),
	L(KID, F_SETLK, F_WRLCK, 1000000, 1),
	G(KID, F_WRLCK, 5, 10),
	G(KID, F_WRLCK, 30, 10),
	G(KID, F_WRLCK, 99, 0),
} };

/* Unlocking the middle of a lock leaves two.  POSIX lets F_GETLK report
 * any one conflicting lock: the kid asks about ranges with a single one. */
static const struct lkplay posix_split = { O_RDWR, O_RDWR, -1, -1, {
	L(PRE, F_SETLK, F_WRLCK, 0, 100),
	L(PRE, F_SETLK, F_UNLCK, 40, 20),
	L(PRE, F_SETLK, F_RDLCK, 90, 10),
	L(KID, F_SETLK, F_WRLCK, 45, 10),
	L(KID, F_SETLK, F_WRLCK, 30, 15),
	L(KID, F_SETLK, F_WRLCK, 59, 2),
	L(KID, F_SETLK, F_RDLCK, 92, 2),
	L(KID, F_SETLK, F_RDLCK, 85, 2),
	G(KID, F_WRLCK, 0, 45),
	G(KID, F_WRLCK, 55, 10),
	G(KID, F_WRLCK, 95, 0),
	G(KID, F_RDLCK, 92, 0),
} };

/* A process's locks go when it exits. */
static const struct lkplay posix_exit = { O_RDWR, O_RDWR, -1, -1, {
	L(KID, F_SETLK, F_WRLCK, 0, 0),
	L(MID, F_SETLK, F_RDLCK, 0, 0),
	L(POST, F_SETLK, F_RDLCK, 0, 0),
} };

static const struct lkplay flock_shared = { O_RDONLY, O_RDONLY, -1, -1, {
	FL(PRE, LOCK_SH | LOCK_NB),
	FL(KID, LOCK_SH | LOCK_NB),
	FL(MID, LOCK_EX | LOCK_NB),
	FL(POST, LOCK_EX | LOCK_NB),
} };

static const struct lkplay flock_convert = { O_RDONLY, O_RDONLY, -1, -1, {
	FL(PRE, LOCK_SH),
	FL(PRE, LOCK_EX | LOCK_NB),
	FL(KID, LOCK_SH | LOCK_NB),
	FL(MID, LOCK_SH | LOCK_NB),
	FL(KID2, LOCK_SH | LOCK_NB),
} };

/* On Linux flock and POSIX locks do not see each other. */
static const struct lkplay flock_vs_posix = { O_RDWR, O_RDWR, -1, -1, {
	FL(PRE, LOCK_EX | LOCK_NB),
	L(KID, F_SETLK, F_WRLCK, 0, 0),
} };

/* A case per script (cf_case runs take no argument). */
#define PLAY(name)							\
static void								\
play_##name(struct hx_ctx *c)						\
{									\
	lk_play(c, &name);						\
}
PLAY(posix_conflict)
PLAY(posix_shared)
PLAY(posix_ranges)
PLAY(posix_split)
PLAY(posix_exit)
PLAY(flock_shared)
PLAY(flock_convert)
PLAY(flock_vs_posix)

const struct cf_case cf_lock_cases[] = {
	{ "lock", "posix_conflict", play_posix_conflict, NULL, NULL },
	{ "lock", "posix_shared", play_posix_shared, NULL, NULL },
	{ "lock", "posix_ranges", play_posix_ranges, NULL, NULL },
	{ "lock", "posix_split", play_posix_split, NULL, NULL },
	{ "lock", "posix_blocking", posix_blocking, NULL, NULL },
	{ "lock", "posix_deadlock", posix_deadlock, NULL, NULL },
	{ "lock", "posix_close_any", posix_close_any, NULL, NULL },
	{ "lock", "posix_exit", play_posix_exit, NULL, NULL },
	{ "lock", "posix_modes", posix_modes, NULL, NULL },
	{ "lock", "ofd", ofd_locks, NULL, NULL },
	{ "lock", "flock_conflict", flock_conflict, NULL, NULL },
	{ "lock", "flock_shared", play_flock_shared, NULL, NULL },
	{ "lock", "flock_failed_upgrade", flock_failed_upgrade, NULL,
	    "a failed LOCK_EX|LOCK_NB upgrade keeps the shared lock on the "
	    "mount (BSD lf_advlock semantics, as the server implements them) "
	    "and drops it on Linux" },
	{ "lock", "flock_blocking", flock_blocking, NULL, NULL },
	{ "lock", "flock_dup_close", flock_dup_close, NULL, NULL },
	{ "lock", "flock_convert", play_flock_convert, NULL, NULL },
	{ "lock", "flock_vs_posix", play_flock_vs_posix, NULL, NULL },
	CF_END
};
