/*
 * test_frame.c: the frame getters at their size edges (one byte short,
 * exact, over the maximum), reply sanity checks and dirent validation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <glib.h>

#include "frame.h"

/* A zeroed frame of len bytes whose putter header says len. */
static uint8_t *
mkframe(size_t len)
{
	uint8_t *buf = g_malloc0(len < 8 ? 8 : len);
	uint64_t fl = len;

	memcpy(buf, &fl, sizeof(fl));
	return buf;
}

typedef int (*getter_fn)(const uint8_t *, size_t, const void **);

#define EDGES(name, type)						\
START_TEST(test_edges_##name)						\
{									\
	const type *out;						\
	size_t fix = sizeof(type);					\
	uint8_t *buf;							\
									\
	buf = mkframe(fix - 1);						\
	ck_assert_int_eq(frame_get_##name(buf, fix - 1, &out), EBADMSG); \
	ck_assert_ptr_null(out);					\
	g_free(buf);							\
	buf = mkframe(fix);						\
	ck_assert_int_eq(frame_get_##name(buf, fix, &out), 0);		\
	ck_assert_ptr_eq(out, buf);					\
	g_free(buf);							\
	buf = mkframe(PUFFS_MSG_MAXSIZE + 1);				\
	ck_assert_int_eq(frame_get_##name(buf, PUFFS_MSG_MAXSIZE + 1,	\
	    &out), EPROTO);						\
	g_free(buf);							\
	buf = mkframe(fix + 8);						\
	ck_assert_int_eq(frame_get_##name(buf, fix, &out), EBADMSG);	\
	g_free(buf);							\
}									\
END_TEST

EDGES(req, struct puffs_req)
EDGES(lookup, struct puffs_vnmsg_lookup)
EDGES(create, struct puffs_vnmsg_create)
EDGES(symlink, struct puffs_vnmsg_symlink)
EDGES(open, struct puffs_vnmsg_open)
EDGES(getattr, struct puffs_vnmsg_getattr)
EDGES(statvfs, struct puffs_vfsmsg_statvfs)

START_TEST(test_frame_new)
{
	uint8_t *buf = frame_new(sizeof(struct puffs_vnmsg_open), PUFFSOP_VN,
	    PUFFS_VN_OPEN, 42);
	const struct puffs_vnmsg_open *o;

	ck_assert_int_eq(frame_get_open(buf, sizeof(*o), &o), 0);
	ck_assert_uint_eq(o->pvn_pr.preq_cookie, 42);
	ck_assert_uint_eq(o->pvn_pr.preq_opclass, PUFFSOP_VN);
	ck_assert_uint_eq(o->pvn_pr.preq_optype, PUFFS_VN_OPEN);
	ck_assert_uint_eq(o->pvn_pr.preq_buflen, sizeof(*o));
	g_free(buf);
}
END_TEST

START_TEST(test_checkerr)
{
	ck_assert_int_eq(frame_checkerr(0), 0);
	ck_assert_int_eq(frame_checkerr(ENOENT), 0);
	ck_assert_int_eq(frame_checkerr(FRAME_ERRNO_MAX), 0);
	ck_assert_int_eq(frame_checkerr(FRAME_ERRNO_MAX + 1), EPROTO);
	ck_assert_int_eq(frame_checkerr(-1), EPROTO);
}
END_TEST

static uint8_t *
mkmountreq(const char *dir, size_t *lenp)
{
	size_t dirlen = strlen(dir) + 1;
	size_t len = sizeof(struct puffs_mountreq) + dirlen;
	uint8_t *buf = mkframe(len);
	struct puffs_mountreq *mr = (struct puffs_mountreq *)buf;

	mr->pmr_dirlen = dirlen;
	memcpy(mr->pmr_data, dir, dirlen);
	*lenp = len;
	return buf;
}

START_TEST(test_mountreq)
{
	const struct puffs_mountreq *mr;
	const char *dir;
	uint8_t *buf;
	size_t len;

	buf = mkmountreq("/mnt", &len);
	ck_assert_int_eq(frame_get_mountreq(buf, len, &mr, &dir), 0);
	ck_assert_str_eq(dir, "/mnt");
	/* One byte short of the path it announces. */
	ck_assert_int_eq(frame_get_mountreq(buf, len - 1, &mr, &dir),
	    EBADMSG);
	g_free(buf);
	/* Short of the fixed part. */
	buf = mkframe(sizeof(*mr) - 1);
	ck_assert_int_eq(frame_get_mountreq(buf, sizeof(*mr) - 1, &mr, &dir),
	    EBADMSG);
	g_free(buf);
	/* Relative path, embedded NUL. */
	buf = mkmountreq("mnt", &len);
	ck_assert_int_eq(frame_get_mountreq(buf, len, &mr, &dir), EPROTO);
	g_free(buf);
	buf = mkmountreq("/a/b", &len);
	((struct puffs_mountreq *)buf)->pmr_data[2] = '\0';
	ck_assert_int_eq(frame_get_mountreq(buf, len, &mr, &dir), EPROTO);
	g_free(buf);
	/* Longest path accepted, and one over. */
	{
		char path[PUFFS_MAXPATHLEN + 1];

		memset(path, 'a', sizeof(path));
		path[0] = '/';
		path[PUFFS_MAXPATHLEN - 1] = '\0';
		buf = mkmountreq(path, &len);
		ck_assert_int_eq(frame_get_mountreq(buf, len, &mr, &dir), 0);
		g_free(buf);
		path[PUFFS_MAXPATHLEN - 1] = 'a';
		path[PUFFS_MAXPATHLEN] = '\0';
		buf = mkmountreq(path, &len);
		ck_assert_int_eq(frame_get_mountreq(buf, len, &mr, &dir),
		    EPROTO);
		g_free(buf);
	}
}
END_TEST

START_TEST(test_read)
{
	const struct puffs_vnmsg_rw *rw;
	const uint8_t *data;
	size_t n, fix = sizeof(*rw);
	uint8_t *buf;

	/* Asked 100, read 60: needs fix + 60 bytes. */
	buf = mkframe(fix + 60);
	((struct puffs_vnmsg_rw *)buf)->pvnr_resid = 40;
	ck_assert_int_eq(frame_get_read(buf, fix + 60, 100, &rw, &data, &n),
	    0);
	ck_assert_uint_eq(n, 60);
	ck_assert_ptr_eq(data, buf + fix);
	g_free(buf);
	buf = mkframe(fix + 59);
	((struct puffs_vnmsg_rw *)buf)->pvnr_resid = 40;
	ck_assert_int_eq(frame_get_read(buf, fix + 59, 100, &rw, &data, &n),
	    EBADMSG);
	g_free(buf);
	/* resid grew */
	buf = mkframe(fix);
	((struct puffs_vnmsg_rw *)buf)->pvnr_resid = 101;
	ck_assert_int_eq(frame_get_read(buf, fix, 100, &rw, &data, &n),
	    EPROTO);
	/* whole resid left: EOF, zero bytes */
	((struct puffs_vnmsg_rw *)buf)->pvnr_resid = 100;
	ck_assert_int_eq(frame_get_read(buf, fix, 100, &rw, &data, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(frame_get_read(buf, fix - 1, 100, &rw, &data, &n),
	    EBADMSG);
	g_free(buf);
}
END_TEST

START_TEST(test_write)
{
	const struct puffs_vnmsg_rw *rw;
	size_t fix = sizeof(*rw);
	uint8_t *buf = mkframe(fix);

	((struct puffs_vnmsg_rw *)buf)->pvnr_resid = 10;
	ck_assert_int_eq(frame_get_write(buf, fix, 10, &rw), 0);
	ck_assert_int_eq(frame_get_write(buf, fix, 9, &rw), EPROTO);
	ck_assert_int_eq(frame_get_write(buf, fix - 1, 10, &rw), EBADMSG);
	g_free(buf);
}
END_TEST

START_TEST(test_readdir)
{
	const struct puffs_vnmsg_readdir *rd;
	const uint8_t *dents;
	size_t n, fix = sizeof(*rd);
	struct puffs_vnmsg_readdir *w;
	uint8_t *buf;

	buf = mkframe(fix + 64);
	w = (struct puffs_vnmsg_readdir *)buf;
	w->pvnr_resid = 36;		/* 64 of 100 used */
	ck_assert_int_eq(frame_get_readdir(buf, fix + 64, 100, &rd, &dents,
	    &n), 0);
	ck_assert_uint_eq(n, 64);
	ck_assert_int_eq(frame_get_readdir(buf, fix + 63, 100, &rd, &dents,
	    &n), EBADMSG);
	w->pvnr_dentoff = 16;
	ck_assert_int_eq(frame_get_readdir(buf, fix + 64, 100, &rd, &dents,
	    &n), 0);
	ck_assert_uint_eq(n, 48);
	ck_assert_ptr_eq(dents, buf + fix + 16);
	w->pvnr_dentoff = 65;
	ck_assert_int_eq(frame_get_readdir(buf, fix + 64, 100, &rd, &dents,
	    &n), EPROTO);
	w->pvnr_dentoff = 0;
	w->pvnr_resid = 101;
	ck_assert_int_eq(frame_get_readdir(buf, fix + 64, 100, &rd, &dents,
	    &n), EPROTO);
	g_free(buf);
}
END_TEST

START_TEST(test_readlink)
{
	const struct puffs_vnmsg_readlink *rl;
	size_t fix = sizeof(*rl);
	uint8_t *buf = mkframe(fix);

	((struct puffs_vnmsg_readlink *)buf)->pvnr_linklen = PUFFS_MAXPATHLEN;
	ck_assert_int_eq(frame_get_readlink(buf, fix, &rl), 0);
	((struct puffs_vnmsg_readlink *)buf)->pvnr_linklen =
	    PUFFS_MAXPATHLEN + 1;
	ck_assert_int_eq(frame_get_readlink(buf, fix, &rl), EPROTO);
	ck_assert_int_eq(frame_get_readlink(buf, fix - 1, &rl), EBADMSG);
	g_free(buf);
}
END_TEST

/* Put one dirent at off; returns the next offset. */
static size_t
putdent(uint8_t *buf, size_t off, uint64_t ino, const char *name)
{
	struct puffs_kdirent d;
	size_t nl = strlen(name);

	d.d_fileno = ino;
	d.d_namlen = nl;
	d.d_reclen = PUFFS_DIRENT_RECLEN(nl);
	d.d_type = 8;
	memcpy(buf + off, &d, PUFFS_DIRENT_NAMEOFF);
	memcpy(buf + off + PUFFS_DIRENT_NAMEOFF, name, nl + 1);
	return off + d.d_reclen;
}

START_TEST(test_dirents)
{
	uint8_t buf[256];
	struct frame_dirent de;
	size_t end, off = 0;

	memset(buf, 0, sizeof(buf));
	end = putdent(buf, 0, 1, ".");
	end = putdent(buf, end, 2, "hello");
	ck_assert_int_eq(frame_dirent_next(buf, end, &off, &de), 0);
	ck_assert_uint_eq(de.namlen, 1);
	ck_assert_int_eq(frame_dirent_next(buf, end, &off, &de), 0);
	ck_assert_uint_eq(de.fileno, 2);
	ck_assert_int_eq(memcmp(de.name, "hello", 5), 0);
	ck_assert_int_eq(frame_dirent_next(buf, end, &off, &de), ENOENT);
	/* Record cut by the buffer end. */
	off = 0;
	ck_assert_int_eq(frame_dirent_next(buf, end - 1, &off, &de), 0);
	ck_assert_int_eq(frame_dirent_next(buf, end - 1, &off, &de), EPROTO);
	/* Unaligned reclen. */
	off = 0;
	buf[8] = 17;
	ck_assert_int_eq(frame_dirent_next(buf, end, &off, &de), EPROTO);
	/* namlen not below reclen */
	end = putdent(buf, 0, 1, "abc");
	buf[10] = 3 + 16;
	off = 0;
	ck_assert_int_eq(frame_dirent_next(buf, end, &off, &de), EPROTO);
	/* '/' and NUL in the name */
	end = putdent(buf, 0, 1, "a/c");
	off = 0;
	ck_assert_int_eq(frame_dirent_next(buf, end, &off, &de), EPROTO);
	end = putdent(buf, 0, 1, "abc");
	buf[PUFFS_DIRENT_NAMEOFF + 1] = '\0';
	off = 0;
	ck_assert_int_eq(frame_dirent_next(buf, end, &off, &de), EPROTO);
	/* Fewer bytes than a header. */
	off = 0;
	ck_assert_int_eq(frame_dirent_next(buf, 12, &off, &de), EPROTO);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("frame");
	TCase *tc = tcase_create("frame");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_edges_req);
	tcase_add_test(tc, test_edges_lookup);
	tcase_add_test(tc, test_edges_create);
	tcase_add_test(tc, test_edges_symlink);
	tcase_add_test(tc, test_edges_open);
	tcase_add_test(tc, test_edges_getattr);
	tcase_add_test(tc, test_edges_statvfs);
	tcase_add_test(tc, test_frame_new);
	tcase_add_test(tc, test_checkerr);
	tcase_add_test(tc, test_mountreq);
	tcase_add_test(tc, test_read);
	tcase_add_test(tc, test_write);
	tcase_add_test(tc, test_readdir);
	tcase_add_test(tc, test_readlink);
	tcase_add_test(tc, test_dirents);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
