/*
 * c_rename.c: conformance cases for rename(2) and renameat2(2): every
 * pairing of a source kind (file, empty directory, non-empty directory,
 * symbolic link, missing) with a target kind (missing, file, empty and
 * non-empty directory, symbolic link), within one directory and across
 * two; then hard links to the same file, a directory into its own subtree,
 * trailing slashes, "." and "..", open files, flags, sticky directories
 * and the permission rules.  Run by conf.c.
 */
#include "conf.h"

#include <errno.h>
#include <linux/fs.h>
#include <stdio.h>

enum kind { K_MISSING, K_FILE, K_EMPTYDIR, K_FULLDIR, K_SYMLINK };

static void
make_kind(struct hx_ctx *c, const char *rel, enum kind k, const char *tag)
{
	char sub[PATH_MAX];

	switch (k) {
	case K_MISSING:
		break;
	case K_FILE:
		cf_mkfile(c, rel, 0640, tag);
		break;
	case K_EMPTYDIR:
		cf_mkdir(c, rel, 0750);
		break;
	case K_FULLDIR:
		cf_mkdir(c, rel, 0750);
		snprintf(sub, sizeof(sub), "%s/inside", rel);
		cf_mkfile(c, sub, 0644, tag);
		break;
	case K_SYMLINK:
		HX_DO(c, symlink(tag, P(rel)));
		break;
	}
}

/* What is at rel now, as far as a caller can tell. */
static void
describe(struct hx_ctx *c, const char *rel)
{
	char sub[PATH_MAX], buf[64];
	struct stat st;
	ssize_t n;

	hx_lstat(c, rel);
	if (lstat(P(rel), &st) == -1)
		return;
	if (S_ISREG(st.st_mode))
		hx_content(c, rel);
	else if (S_ISLNK(st.st_mode)) {
		n = readlink(P(rel), buf, sizeof(buf));
		hx_note(c, "readlink(%s) = \"%.*s\"", rel, n > 0 ? (int)n : 0,
		    buf);
	} else if (S_ISDIR(st.st_mode)) {
		cf_list(c, rel);
		snprintf(sub, sizeof(sub), "%s/..", rel);
		hx_stat(c, sub);
	}
}

static void
rename_combo(struct hx_ctx *c, enum kind s, enum kind d, int cross)
{
	const char *dst = cross ? "b/dst" : "a/dst";

	cf_mkdir(c, "a", 0755);
	cf_mkdir(c, "b", 0755);
	make_kind(c, "a/src", s, "source");
	make_kind(c, dst, d, "target");
	cf_past(c, "a");
	cf_past(c, "b");
	HX_DO(c, rename(P("a/src"), P(dst)));
	describe(c, "a/src");
	describe(c, dst);
	hx_stat(c, "a");
	hx_stat(c, "b");
	hx_times(c, "a", PAST);
	hx_times(c, "b", PAST);
	cf_list(c, "a");
	cf_list(c, "b");
}

#define KINDS(X, s)							\
	X(s, MISSING) X(s, FILE) X(s, EMPTYDIR) X(s, FULLDIR) X(s, SYMLINK)
#define ALL(X)								\
	KINDS(X, FILE) KINDS(X, EMPTYDIR) KINDS(X, FULLDIR)		\
	KINDS(X, SYMLINK) KINDS(X, MISSING)

#define DEFINE(s, d)							\
static void rn_##s##_##d(struct hx_ctx *c)				\
{ rename_combo(c, K_##s, K_##d, 0); }					\
static void rnx_##s##_##d(struct hx_ctx *c)				\
{ rename_combo(c, K_##s, K_##d, 1); }
ALL(DEFINE)

/* Two names of one file: rename does nothing and succeeds. */
static void
rename_hardlinks(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "one");
	HX_DO(c, link(P("f"), P("g")));
	HX_DO(c, rename(P("f"), P("g")));
	hx_stat(c, "f");
	hx_stat(c, "g");
	HX_DO(c, rename(P("f"), P("f")));
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, rename(P("d"), P("d")));
	hx_stat(c, "d");
	cf_list(c, "");
}

static void
rename_subtree(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, mkdir(P("d/e"), 0755));
	HX_DO(c, mkdir(P("d/e/f"), 0755));
	HX_DO(c, rename(P("d"), P("d/x")));
	HX_DO(c, rename(P("d"), P("d/e/x")));
	HX_DO(c, rename(P("d"), P("d/e/f")));
	HX_DO(c, rename(P("d/e"), P("d")));
	HX_DO(c, rename(P("d/e/f"), P("d")));
	HX_DO(c, rename(P("d/e/f"), P("f")));
	hx_stat(c, "f");
	hx_stat(c, "d/e");
	hx_stat(c, "d");
	HX_DO(c, rename(P("f"), P("d/e/f")));
	hx_stat(c, "d/e");
}

static void
rename_dots(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, mkdir(P("e"), 0755));
	HX_DO(c, rename(P("d/."), P("x")));
	HX_DO(c, rename(P("d/.."), P("x")));
	HX_DO(c, rename(P("d"), P("e/.")));
	HX_DO(c, rename(P("d"), P("e/..")));
	cf_list(c, "");
}

static void
rename_slashes(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, rename(P("f/"), P("g")));
	HX_DO(c, rename(P("f"), P("g/")));
	HX_DO(c, rename(P("d/"), P("e/")));
	hx_stat(c, "e");
	HX_DO(c, rename(P("e"), P("d/")));
	hx_stat(c, "d");
}

static void
rename_errors(struct hx_ctx *c)
{
	char longname[300];

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, rename(P("f"), P("nodir/g")));
	HX_DO(c, rename(P("nodir/f"), P("g")));
	HX_DO(c, rename(P("f"), P("f/g")));
	HX_DO(c, rename(P("f/x"), P("g")));
	memset(longname, 'n', sizeof(longname));
	longname[256] = '\0';
	HX_DO(c, rename(P("f"), P(longname)));
	hx_stat(c, "f");
}

/* Open descriptors follow the file through renames and replacements. */
static void
rename_open(struct hx_ctx *c)
{
	int fd, fd2;

	cf_mkfile(c, "f", 0644, "first");
	cf_mkfile(c, "g", 0644, "second");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	HX_FD(c, &fd2, open(P("g"), O_RDONLY));
	HX_DO(c, rename(P("f"), P("g")));
	cf_read(c, "moved fd", fd, 16);
	cf_read(c, "replaced fd", fd2, 16);
	hx_fstat(c, "replaced", fd2);
	HX_DO(c, write(fd, "+", 1));
	HX_DO(c, close(fd));
	HX_DO(c, close(fd2));
	hx_content(c, "g");
	hx_stat(c, "f");
}

/* A moved directory's ".." follows it. */
static void
rename_dotdot(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("p1"), 0755));
	HX_DO(c, mkdir(P("p2"), 0755));
	HX_DO(c, mkdir(P("p1/c"), 0755));
	cf_mkfile(c, "p2/mark", 0644, "in p2");
	HX_DO(c, rename(P("p1/c"), P("p2/c")));
	hx_content(c, "p2/c/../mark");
	hx_stat(c, "p1");
	hx_stat(c, "p2");
	HX_DO(c, rename(P("p2/c"), P("c")));
	hx_stat(c, "c/..");
	hx_stat(c, "p2");
}

static void
rename_noreplace(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "f");
	cf_mkfile(c, "g", 0644, "g");
	HX_DO(c, renameat2(AT_FDCWD, P("f"), AT_FDCWD, P("g"),
	    RENAME_NOREPLACE));
	HX_DO(c, renameat2(AT_FDCWD, P("f"), AT_FDCWD, P("h"),
	    RENAME_NOREPLACE));
	HX_DO(c, renameat2(AT_FDCWD, P("nope"), AT_FDCWD, P("h2"),
	    RENAME_NOREPLACE));
	HX_DO(c, renameat2(AT_FDCWD, P("g"), AT_FDCWD, P("g"),
	    RENAME_NOREPLACE));
	cf_list(c, "");
	hx_content(c, "g");
	hx_content(c, "h");
}

/* puffs has no atomic exchange; the daemon refuses it (issue 3). */
static void
rename_exchange(struct hx_ctx *c)
{
	long r;

	cf_mkfile(c, "f", 0644, "f");
	cf_mkfile(c, "g", 0644, "g");
	errno = 0;
	r = renameat2(AT_FDCWD, P("f"), AT_FDCWD, P("g"), RENAME_EXCHANGE);
	cf_expect(c, "renameat2(RENAME_EXCHANGE)", r, errno, "0", "EINVAL");
	errno = 0;
	r = renameat2(AT_FDCWD, P("f"), AT_FDCWD, P("g"), RENAME_WHITEOUT);
	cf_expect(c, "renameat2(RENAME_WHITEOUT)", r, errno, "0", "EINVAL");
	HX_DO(c, renameat2(AT_FDCWD, P("f"), AT_FDCWD, P("g"),
	    RENAME_EXCHANGE | RENAME_NOREPLACE));
}

static void
rename_perm(struct hx_ctx *c)
{
	cf_mkdir(c, "closed", 0755);
	cf_mkfile(c, "closed/f", 0666, "x");
	cf_mkdir(c, "open", 0777);
	cf_mkdir(c, "open2", 0777);
	cf_mkfile(c, "open/rootf", 0644, "x");
	cf_mkdir(c, "open/rootd", 0755);
	AS(c, U1, G1) {
		HX_DO(c, rename(P("closed/f"), P("open/f")));
		HX_DO(c, rename(P("open/rootf"), P("closed/f2")));
		HX_DO(c, rename(P("open/rootf"), P("open/rootf2")));
		HX_DO(c, rename(P("open/rootf2"), P("open2/rootf")));
		/* A directory changing parents needs write on itself
		 * (its ".." changes). */
		HX_DO(c, rename(P("open/rootd"), P("open/rootd2")));
		HX_DO(c, rename(P("open/rootd2"), P("open2/rootd")));
		HX_DO(c, mkdir(P("open/mine"), 0755));
		HX_DO(c, rename(P("open/mine"), P("open2/mine")));
	}
	cf_list(c, "open");
	cf_list(c, "open2");
	cf_list(c, "closed");
}

static void
rename_sticky(struct hx_ctx *c)
{
	cf_mkdir(c, "t", 01777);
	AS(c, U1, G1) {
		cf_mkfile(c, "t/u1", 0666, "1");
		cf_mkfile(c, "t/u1b", 0666, "1b");
	}
	AS(c, U2, G2) {
		cf_mkfile(c, "t/u2", 0666, "2");
		HX_DO(c, rename(P("t/u1"), P("t/stolen")));
		HX_DO(c, rename(P("t/u2"), P("t/u1")));
		HX_DO(c, rename(P("t/u2"), P("t/u2b")));
	}
	AS(c, U1, G1) {
		HX_DO(c, rename(P("t/u2b"), P("t/u1b")));
		HX_DO(c, rename(P("t/u1"), P("t/u2b")));
	}
	cf_list(c, "t");
}

#define ENTRY(s, d)							\
	{ "rename", #s "_to_" #d, rn_##s##_##d, NULL, NULL },		\
	{ "rename", "xdir_" #s "_to_" #d, rnx_##s##_##d, NULL, NULL },

const struct cf_case cf_rename_cases[] = {
	ALL(ENTRY)
	{ "rename", "hardlinks_same_file", rename_hardlinks, NULL, NULL },
	{ "rename", "into_own_subtree", rename_subtree, NULL, NULL },
	{ "rename", "dots", rename_dots, NULL, NULL },
	{ "rename", "trailing_slashes", rename_slashes, NULL, NULL },
	{ "rename", "errors", rename_errors, NULL, NULL },
	{ "rename", "open_files", rename_open, NULL, NULL },
	{ "rename", "dotdot_follows", rename_dotdot, NULL, NULL },
	{ "rename", "noreplace", rename_noreplace, NULL, NULL },
	{ "rename", "exchange_whiteout", rename_exchange, NULL,
	    "puffs RENAME has no exchange or whiteout; the daemon answers "
	    "EINVAL (issue 3), tmpfs does both" },
	{ "rename", "perm", rename_perm, NULL, NULL },
	{ "rename", "sticky", rename_sticky, NULL, NULL },
	CF_END
};
