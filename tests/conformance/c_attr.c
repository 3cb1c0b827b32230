/*
 * c_attr.c: conformance cases for attribute changes: chmod, chown,
 * utimensat and truncate/ftruncate, as root and as unprivileged owners and
 * strangers.  Run by conf.c.
 */
#include "conf.h"

#include <errno.h>

static const gid_t g2[] = { G2 };

/* --- chmod --- */

static void
chmod_file(struct hx_ctx *c)
{
	static const mode_t modes[] = { 0600, 0755, 07777, 04711, 02750,
	    01644, 0 };

	cf_mkfile(c, "f", 0644, "x");
	for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
		HX_DO(c, chmod(P("f"), modes[i]));
		hx_stat(c, "f");
	}
}

static void
chmod_dir(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, chmod(P("d"), 0700));
	hx_stat(c, "d");
	HX_DO(c, chmod(P("d"), 01777));
	hx_stat(c, "d");
	HX_DO(c, chmod(P("d"), 02755));
	hx_stat(c, "d");
}

static void
chmod_symlink(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, symlink("f", P("l")));
	HX_DO(c, chmod(P("l"), 0600));
	hx_stat(c, "f");
	hx_lstat(c, "l");
	HX_DO(c, fchmodat(AT_FDCWD, P("l"), 0600, AT_SYMLINK_NOFOLLOW));
	HX_DO(c, symlink("nothing", P("dangling")));
	HX_DO(c, chmod(P("dangling"), 0600));
}

static void
chmod_fchmod(struct hx_ctx *c)
{
	int fd;

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDWR, 0644));
	HX_DO(c, fchmod(fd, 0640));
	hx_fstat(c, "f", fd);
	HX_DO(c, fchmod(fd, 0));
	HX_DO(c, write(fd, "still writable", 14));
	HX_DO(c, close(fd));
	hx_stat(c, "f");
}

static void
chmod_errors(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, chmod(P("nope"), 0644));
	HX_DO(c, chmod(P("f/x"), 0644));
	HX_DO(c, chmod(P("nodir/f"), 0644));
}

static void
chmod_ctime(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	cf_past(c, "f");
	HX_DO(c, chmod(P("f"), 0600));
	hx_times(c, "f", PAST);
}

static void
chmod_nonowner(struct hx_ctx *c)
{
	HX_DO(c, chmod(P(""), 0777));
	cf_mkfile(c, "rootf", 0666, "x");
	AS(c, U1, G1) {
		HX_DO(c, chmod(P("rootf"), 0777));
		HX_DO(c, chmod(P("rootf"), 0666));
	}
	hx_stat(c, "rootf");
}

static void
chmod_owner(struct hx_ctx *c)
{
	HX_DO(c, chmod(P(""), 0777));
	AS(c, U1, G1) {
		cf_mkfile(c, "mine", 0644, "x");
		HX_DO(c, chmod(P("mine"), 0600));
		hx_stat(c, "mine");
		HX_DO(c, chmod(P("mine"), 0));
		hx_stat(c, "mine");
		HX_DO(c, chmod(P("mine"), 04755));
		hx_stat(c, "mine");
	}
	AS(c, U2, G2) {
		HX_DO(c, chmod(P("mine"), 0777));
	}
	hx_stat(c, "mine");
	HX_DO(c, chmod(P("mine"), 0640));
	hx_stat(c, "mine");
}

/* Linux drops S_ISGID when the owner is not in the file's group. */
static void
chmod_sgid_nonmember(struct hx_ctx *c)
{
	HX_DO(c, chmod(P(""), 0777));
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, chown(P("f"), U1, G2));
	AS(c, U1, G1) {
		HX_DO(c, chmod(P("f"), 02755));
		hx_stat(c, "f");
	}
	AS_GROUPS(c, U1, G1, 1, g2) {
		HX_DO(c, chmod(P("f"), 02755));
		hx_stat(c, "f");
	}
}

/* Non-root may set the sticky bit on a regular file on Linux. */
static void
chmod_sticky_file(struct hx_ctx *c)
{
	HX_DO(c, chmod(P(""), 0777));
	AS(c, U1, G1) {
		cf_mkfile(c, "f", 0644, "x");
		HX_DO(c, chmod(P("f"), 01644));
		hx_stat(c, "f");
		HX_DO(c, mkdir(P("d"), 0755));
		HX_DO(c, chmod(P("d"), 01777));
		hx_stat(c, "d");
	}
}

/* A write by someone without CAP_FSETID clears S_ISUID (and S_ISGID with
 * group execute). */
static void
chmod_write_kills_suid(struct hx_ctx *c)
{
	int fd;

	HX_DO(c, chmod(P(""), 0777));
	AS(c, U1, G1) {
		cf_mkfile(c, "f", 0644, "x");
		HX_DO(c, chmod(P("f"), 06777));
		HX_FD(c, &fd, open(P("f"), O_WRONLY));
		HX_DO(c, write(fd, "y", 1));
		HX_DO(c, close(fd));
		hx_stat(c, "f");
		HX_DO(c, chmod(P("f"), 02747));
		HX_FD(c, &fd, open(P("f"), O_WRONLY));
		HX_DO(c, write(fd, "y", 1));
		HX_DO(c, close(fd));
		hx_stat(c, "f");
	}
	cf_mkfile(c, "g", 0644, "x");
	HX_DO(c, chmod(P("g"), 04755));
	HX_FD(c, &fd, open(P("g"), O_WRONLY));
	HX_DO(c, write(fd, "root keeps it", 13));
	HX_DO(c, close(fd));
	hx_stat(c, "g");
}

static void
chmod_truncate_kills_suid(struct hx_ctx *c)
{
	HX_DO(c, chmod(P(""), 0777));
	AS(c, U1, G1) {
		cf_mkfile(c, "f", 0644, "abc");
		HX_DO(c, chmod(P("f"), 06755));
		HX_DO(c, truncate(P("f"), 1));
		hx_stat(c, "f");
	}
}

/* --- chown --- */

static void
chown_root(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, chown(P("f"), U1, G1));
	hx_stat(c, "f");
	HX_DO(c, chown(P("f"), (uid_t)-1, G2));
	hx_stat(c, "f");
	HX_DO(c, chown(P("f"), U2, (gid_t)-1));
	hx_stat(c, "f");
	HX_DO(c, chown(P("f"), (uid_t)-1, (gid_t)-1));
	hx_stat(c, "f");
	HX_DO(c, chown(P("f"), 0, 0));
	hx_stat(c, "f");
}

static void
chown_symlink(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, symlink("f", P("l")));
	HX_DO(c, lchown(P("l"), U1, G1));
	hx_lstat(c, "l");
	hx_stat(c, "f");
	HX_DO(c, chown(P("l"), U2, G2));
	hx_lstat(c, "l");
	hx_stat(c, "f");
	HX_DO(c, fchownat(AT_FDCWD, P("l"), UN, GN, AT_SYMLINK_NOFOLLOW));
	hx_lstat(c, "l");
}

static void
chown_fchown_dir(struct hx_ctx *c)
{
	int fd;

	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, chmod(P("d"), 02775));
	HX_FD(c, &fd, open(P("d"), O_RDONLY | O_DIRECTORY));
	HX_DO(c, fchown(fd, U1, G1));
	hx_fstat(c, "d", fd);
	HX_DO(c, close(fd));
	hx_stat(c, "d");
}

static void
chown_errors(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, chown(P("nope"), U1, G1));
	HX_DO(c, chown(P("f/x"), U1, G1));
	HX_DO(c, lchown(P("nope"), U1, G1));
}

static void
chown_nonowner(struct hx_ctx *c)
{
	HX_DO(c, chmod(P(""), 0777));
	cf_mkfile(c, "rootf", 0666, "x");
	AS(c, U1, G1) {
		HX_DO(c, chown(P("rootf"), U1, (gid_t)-1));
		HX_DO(c, chown(P("rootf"), (uid_t)-1, G1));
		HX_DO(c, chown(P("rootf"), 0, 0));
		HX_DO(c, chown(P("rootf"), (uid_t)-1, (gid_t)-1));
	}
	hx_stat(c, "rootf");
}

static void
chown_owner(struct hx_ctx *c)
{
	HX_DO(c, chmod(P(""), 0777));
	AS(c, U1, G1) {
		cf_mkfile(c, "f", 0644, "x");
		HX_DO(c, chown(P("f"), U2, (gid_t)-1));
		HX_DO(c, chown(P("f"), U1, (gid_t)-1));
		HX_DO(c, chown(P("f"), (uid_t)-1, G2));
		HX_DO(c, chown(P("f"), (uid_t)-1, G1));
		hx_stat(c, "f");
	}
	AS_GROUPS(c, U1, G1, 1, g2) {
		HX_DO(c, chown(P("f"), (uid_t)-1, G2));
		hx_stat(c, "f");
		HX_DO(c, chown(P("f"), U1, G1));
		hx_stat(c, "f");
	}
}

/* chown clears S_ISUID, and S_ISGID with group execute, on non-dirs. */
static void
chown_kills_suid(struct hx_ctx *c)
{
	cf_mkfile(c, "a", 0644, "x");
	HX_DO(c, chmod(P("a"), 06755));
	HX_DO(c, chown(P("a"), U1, G1));
	hx_stat(c, "a");
	cf_mkfile(c, "b", 0644, "x");
	HX_DO(c, chmod(P("b"), 06745));
	HX_DO(c, chown(P("b"), U1, (gid_t)-1));
	hx_stat(c, "b");
	HX_DO(c, chmod(P(""), 0777));
	AS_GROUPS(c, U1, G1, 1, g2) {
		HX_DO(c, chmod(P("a"), 04755));
		HX_DO(c, chown(P("a"), (uid_t)-1, G2));
		hx_stat(c, "a");
	}
}

static void
chown_ctime(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	cf_past(c, "f");
	HX_DO(c, chown(P("f"), U1, G1));
	hx_times(c, "f", PAST);
}

/* --- utimensat --- */

static void
utime_exact(struct hx_ctx *c)
{
	struct timespec ts[2] = { { PAST + 12345, 123456789 },
	    { PAST + 54321, 987654321 } };

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, utimensat(AT_FDCWD, P("f"), ts, 0));
	hx_times(c, "f", PAST);
	ts[0] = (struct timespec){ 0, 0 };
	ts[1] = (struct timespec){ 1, 1 };
	HX_DO(c, utimensat(AT_FDCWD, P("f"), ts, 0));
	hx_times(c, "f", PAST);
}

static void
utime_null(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	cf_past(c, "f");
	HX_DO(c, utimensat(AT_FDCWD, P("f"), NULL, 0));
	hx_times(c, "f", PAST);
}

static void
utime_special(struct hx_ctx *c, long a, long m)
{
	struct timespec ts[2] = { { 0, a }, { 0, m } };

	cf_mkfile(c, "f", 0644, "x");
	cf_past(c, "f");
	HX_DO(c, utimensat(AT_FDCWD, P("f"), ts, 0));
	hx_times(c, "f", PAST);
	ts[0].tv_sec = ts[1].tv_sec = PAST + 7;
	if (a != UTIME_NOW && a != UTIME_OMIT)
		ts[0].tv_nsec = 0;
	if (m != UTIME_NOW && m != UTIME_OMIT)
		ts[1].tv_nsec = 0;
	HX_DO(c, utimensat(AT_FDCWD, P("f"), ts, 0));
	hx_times(c, "f", PAST);
}

static void
utime_now_omit(struct hx_ctx *c)
{
	utime_special(c, UTIME_NOW, UTIME_OMIT);
}

static void
utime_omit_now(struct hx_ctx *c)
{
	utime_special(c, UTIME_OMIT, UTIME_NOW);
}

static void
utime_omit_omit(struct hx_ctx *c)
{
	utime_special(c, UTIME_OMIT, UTIME_OMIT);
}

static void
utime_now_now(struct hx_ctx *c)
{
	utime_special(c, UTIME_NOW, UTIME_NOW);
}

static void
utime_set_omit(struct hx_ctx *c)
{
	utime_special(c, 5, UTIME_OMIT);
}

static void
utime_symlink(struct hx_ctx *c)
{
	struct timespec ts[2] = { { PAST + 1, 0 }, { PAST + 2, 0 } };

	cf_mkfile(c, "f", 0644, "x");
	cf_past(c, "f");
	HX_DO(c, symlink("f", P("l")));
	HX_DO(c, utimensat(AT_FDCWD, P("l"), ts, AT_SYMLINK_NOFOLLOW));
	hx_times(c, "l", PAST);
	hx_times(c, "f", PAST);
	HX_DO(c, utimensat(AT_FDCWD, P("l"), ts, 0));
	hx_times(c, "f", PAST);
}

static void
utime_futimens(struct hx_ctx *c)
{
	struct timespec ts[2] = { { PAST + 3, 300 }, { PAST + 4, 400 } };
	int fd;

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDONLY, 0444));
	HX_DO(c, futimens(fd, ts));
	hx_times(c, "f", PAST);
	HX_DO(c, close(fd));
}

static void
utime_errors(struct hx_ctx *c)
{
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, utimensat(AT_FDCWD, P("nope"), NULL, 0));
	HX_DO(c, utimensat(AT_FDCWD, P("f/x"), NULL, 0));
	HX_DO(c, utimensat(AT_FDCWD, P("f"), bad, 0));
}

/* Explicit times need ownership; "now" only write permission. */
static void
utime_perm(struct hx_ctx *c)
{
	struct timespec ts[2] = { { PAST + 9, 0 }, { PAST + 9, 0 } };
	struct timespec now_now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };

	HX_DO(c, chmod(P(""), 0777));
	cf_mkfile(c, "writable", 0666, "x");
	HX_DO(c, chmod(P("writable"), 0666));
	cf_mkfile(c, "readonly", 0644, "x");
	cf_past(c, "writable");
	cf_past(c, "readonly");
	AS(c, U1, G1) {
		HX_DO(c, utimensat(AT_FDCWD, P("writable"), ts, 0));
		HX_DO(c, utimensat(AT_FDCWD, P("writable"), NULL, 0));
		HX_DO(c, utimensat(AT_FDCWD, P("writable"), now_now, 0));
		HX_DO(c, utimensat(AT_FDCWD, P("readonly"), NULL, 0));
		HX_DO(c, utimensat(AT_FDCWD, P("readonly"), now_now, 0));
		HX_DO(c, utimensat(AT_FDCWD, P("readonly"), ts, 0));
		cf_mkfile(c, "mine", 0400, "");
		HX_DO(c, utimensat(AT_FDCWD, P("mine"), ts, 0));
		HX_DO(c, utimensat(AT_FDCWD, P("mine"), NULL, 0));
	}
	hx_times(c, "writable", PAST);
	hx_times(c, "readonly", PAST);
	hx_times(c, "mine", PAST);
}

/* A stranger with write permission may set one time to "now". */
static void
utime_perm_now_omit(struct hx_ctx *c)
{
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };

	HX_DO(c, chmod(P(""), 0777));
	cf_mkfile(c, "writable", 0666, "x");
	HX_DO(c, chmod(P("writable"), 0666));
	cf_past(c, "writable");
	AS(c, U1, G1) {
		HX_DO(c, utimensat(AT_FDCWD, P("writable"), ts, 0));
	}
	hx_times(c, "writable", PAST);
}

/* --- truncate --- */

static void
trunc_grow_shrink(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "0123456789");
	HX_DO(c, truncate(P("f"), 20));
	hx_stat(c, "f");
	hx_content(c, "f");
	HX_DO(c, truncate(P("f"), 4));
	hx_stat(c, "f");
	hx_content(c, "f");
	HX_DO(c, truncate(P("f"), 0));
	hx_content(c, "f");
	HX_DO(c, truncate(P("f"), 10 * 1024 * 1024 + 3));
	hx_stat(c, "f");
	hx_content(c, "f");
}

static void
trunc_times(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "0123456789");
	cf_past(c, "f");
	HX_DO(c, truncate(P("f"), 5));
	hx_times(c, "f", PAST);
	cf_past(c, "f");
	HX_DO(c, truncate(P("f"), 50));
	hx_times(c, "f", PAST);
}

static void
trunc_same_size(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "0123456789");
	cf_past(c, "f");
	HX_DO(c, truncate(P("f"), 10));
	hx_times(c, "f", PAST);
	cf_past(c, "f");
	HX_FD(c, &fd, open(P("f"), O_WRONLY));
	HX_DO(c, ftruncate(fd, 10));
	hx_times(c, "f", PAST);
	HX_DO(c, close(fd));
}

static void
trunc_ftruncate(struct hx_ctx *c)
{
	int fd;

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDWR, 0644));
	HX_DO(c, write(fd, "abcdefgh", 8));
	HX_DO(c, ftruncate(fd, 3));
	hx_fstat(c, "f", fd);
	HX_DO(c, lseek(fd, 0, SEEK_CUR));
	HX_DO(c, write(fd, "XY", 2));
	hx_fstat(c, "f", fd);
	HX_DO(c, ftruncate(fd, -1));
	HX_DO(c, close(fd));
	hx_content(c, "f");
	HX_FD(c, &fd, open(P("f"), O_RDONLY));
	HX_DO(c, ftruncate(fd, 0));
	HX_DO(c, close(fd));
	hx_content(c, "f");
}

/* Cached pages past a shrink must not come back. */
static void
trunc_cached(struct hx_ctx *c)
{
	char buf[9000];
	int fd;

	memset(buf, 'q', sizeof(buf));
	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDWR, 0644));
	HX_DO(c, write(fd, buf, sizeof(buf)));
	HX_DO(c, pread(fd, buf, sizeof(buf), 0));
	HX_DO(c, truncate(P("f"), 100));
	HX_DO(c, pread(fd, buf, sizeof(buf), 0));
	HX_DO(c, truncate(P("f"), 8192));
	HX_DO(c, pread(fd, buf, sizeof(buf), 0));
	hx_note(c, "byte 100 after regrow: %d, byte 99: %c", buf[100], buf[99]);
	HX_DO(c, close(fd));
	hx_content(c, "f");
}

static void
trunc_unlinked(struct hx_ctx *c)
{
	int fd;

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDWR, 0644));
	HX_DO(c, write(fd, "abcdef", 6));
	HX_DO(c, unlink(P("f")));
	HX_DO(c, ftruncate(fd, 2));
	hx_fstat(c, "f", fd);
	HX_DO(c, lseek(fd, 0, SEEK_SET));
	cf_read(c, "unlinked", fd, 10);
	HX_DO(c, close(fd));
}

static void
trunc_errors(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, truncate(P("d"), 0));
	HX_DO(c, truncate(P("nope"), 0));
	HX_DO(c, truncate(P("f/x"), 0));
	HX_DO(c, truncate(P("f"), -1));
	HX_DO(c, symlink("f", P("l")));
	HX_DO(c, truncate(P("l"), 0));
	hx_stat(c, "f");
}

static void
trunc_perm(struct hx_ctx *c)
{
	cf_mkfile(c, "ro", 0644, "keep");
	cf_mkfile(c, "rw", 0666, "lose");
	HX_DO(c, chmod(P("rw"), 0666));
	AS(c, U1, G1) {
		HX_DO(c, truncate(P("ro"), 0));
		HX_DO(c, truncate(P("rw"), 1));
	}
	hx_content(c, "ro");
	hx_content(c, "rw");
}

const struct cf_case cf_attr_cases[] = {
	{ "chmod", "file_modes", chmod_file, NULL, NULL },
	{ "chmod", "dir_modes", chmod_dir, NULL, NULL },
	{ "chmod", "symlink", chmod_symlink, NULL, NULL },
	{ "chmod", "fchmod", chmod_fchmod, NULL, NULL },
	{ "chmod", "errors", chmod_errors, NULL, NULL },
	{ "chmod", "ctime", chmod_ctime, NULL, NULL },
	{ "chmod", "nonowner", chmod_nonowner, NULL, NULL },
	{ "chmod", "owner", chmod_owner, NULL, NULL },
	{ "chmod", "sgid_nonmember", chmod_sgid_nonmember, NULL, NULL },
	{ "chmod", "sticky_file", chmod_sticky_file, NULL, NULL },
	{ "chmod", "write_kills_suid", chmod_write_kills_suid, NULL, NULL },
	{ "chmod", "truncate_kills_suid", chmod_truncate_kills_suid, NULL,
	    NULL },
	{ "chown", "root", chown_root, NULL, NULL },
	{ "chown", "symlink", chown_symlink, NULL, NULL },
	{ "chown", "fchown_dir", chown_fchown_dir, NULL, NULL },
	{ "chown", "errors", chown_errors, NULL, NULL },
	{ "chown", "nonowner", chown_nonowner, NULL, NULL },
	{ "chown", "owner", chown_owner, NULL, NULL },
	{ "chown", "kills_suid", chown_kills_suid, NULL, NULL },
	{ "chown", "ctime", chown_ctime, NULL, NULL },
	{ "utimensat", "exact", utime_exact, NULL, NULL },
	{ "utimensat", "null", utime_null, NULL, NULL },
	{ "utimensat", "now_omit", utime_now_omit, NULL, NULL },
	{ "utimensat", "omit_now", utime_omit_now, NULL, NULL },
	{ "utimensat", "omit_omit", utime_omit_omit, NULL, NULL },
	{ "utimensat", "now_now", utime_now_now, NULL, NULL },
	{ "utimensat", "set_omit", utime_set_omit, NULL, NULL },
	{ "utimensat", "symlink", utime_symlink, NULL, NULL },
	{ "utimensat", "futimens", utime_futimens, NULL, NULL },
	{ "utimensat", "errors", utime_errors, NULL, NULL },
	{ "utimensat", "perm", utime_perm, NULL, NULL },
	{ "utimensat", "perm_now_omit", utime_perm_now_omit, NULL, NULL },
	{ "truncate", "grow_shrink", trunc_grow_shrink, NULL, NULL },
	{ "truncate", "times", trunc_times, NULL, NULL },
	{ "truncate", "same_size", trunc_same_size, NULL, NULL },
	{ "truncate", "ftruncate", trunc_ftruncate, NULL, NULL },
	{ "truncate", "cached_pages", trunc_cached, NULL, NULL },
	{ "truncate", "unlinked", trunc_unlinked, NULL, NULL },
	{ "truncate", "errors", trunc_errors, NULL, NULL },
	{ "truncate", "perm", trunc_perm, NULL, NULL },
	CF_END
};
