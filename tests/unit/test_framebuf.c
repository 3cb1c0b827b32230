/*
 * test_framebuf.c: libpuffs frame buffers through the public API only:
 * put and get at the cursor and at offsets, the size/cursor bookkeeping,
 * growth past the first allocation, windows, seeks and their edges, dup.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include <puffs.h>

START_TEST(test_put_get_cursor)
{
	struct puffs_framebuf *pb = puffs_framebuf_make();
	uint32_t a = 0x11223344, b = 0x55667788, x;

	ck_assert_ptr_nonnull(pb);
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 0);
	ck_assert_int_eq(puffs_framebuf_putdata(pb, &a, sizeof(a)), 0);
	ck_assert_int_eq(puffs_framebuf_putdata(pb, &b, sizeof(b)), 0);
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 8);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 8);
	ck_assert_uint_eq(puffs_framebuf_remaining(pb), 0);

	/* Nothing after the cursor: ENOBUFS, cursor unmoved. */
	errno = 0;
	ck_assert_int_eq(puffs_framebuf_getdata(pb, &x, 1), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 8);

	ck_assert_int_eq(puffs_framebuf_seekset(pb, 0), 0);
	ck_assert_uint_eq(puffs_framebuf_remaining(pb), 8);
	ck_assert_int_eq(puffs_framebuf_getdata(pb, &x, sizeof(x)), 0);
	ck_assert_uint_eq(x, a);
	ck_assert_int_eq(puffs_framebuf_getdata(pb, &x, sizeof(x)), 0);
	ck_assert_uint_eq(x, b);
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 8);

	/* Overwrite in the middle: size stays. */
	ck_assert_int_eq(puffs_framebuf_seekset(pb, 2), 0);
	ck_assert_int_eq(puffs_framebuf_putdata(pb, "zz", 2), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 8);
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 4);

	puffs_framebuf_recycle(pb);
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 0);
	puffs_framebuf_destroy(pb);
}
END_TEST

START_TEST(test_atoff)
{
	struct puffs_framebuf *pb = puffs_framebuf_make();
	char out[8];

	/* Writing past the end grows size, never the cursor. */
	ck_assert_int_eq(puffs_framebuf_putdata_atoff(pb, 100, "abcd", 4), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 104);
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 0);
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(pb, 100, out, 4), 0);
	ck_assert_int_eq(memcmp(out, "abcd", 4), 0);
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 0);

	/* Exactly to the end is fine, one byte more is not. */
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(pb, 103, out, 1), 0);
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(pb, 104, out, 0), 0);
	errno = 0;
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(pb, 103, out, 2), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(pb, 105, out, 0), -1);
	/* An offset near SIZE_MAX must not wrap into the buffer. */
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(pb, SIZE_MAX, out, 2),
	    -1);
	ck_assert_int_eq(errno, ENOBUFS);

	/* Rewriting inside the data keeps the size. */
	ck_assert_int_eq(puffs_framebuf_putdata_atoff(pb, 0, "xy", 2), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 104);
	puffs_framebuf_destroy(pb);
}
END_TEST

START_TEST(test_growth)
{
	struct puffs_framebuf *pb = puffs_framebuf_make();
	uint8_t *big = malloc(100000), *back = malloc(100000);
	size_t i;

	for (i = 0; i < 100000; i++)
		big[i] = (uint8_t)(i * 7);
	/* Many small puts across the 4 KiB steps, then one big one. */
	for (i = 0; i < 5000; i++)
		ck_assert_int_eq(puffs_framebuf_putdata(pb, &big[i], 1), 0);
	ck_assert_int_eq(puffs_framebuf_putdata(pb, big + 5000, 95000), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 100000);
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(pb, 0, back, 100000), 0);
	ck_assert_int_eq(memcmp(big, back, 100000), 0);

	ck_assert_int_eq(puffs_framebuf_seekset(pb, 0), 0);
	ck_assert_int_eq(puffs_framebuf_reserve_space(pb, 300000), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 100000);
	/* Absurd requests fail cleanly. */
	errno = 0;
	ck_assert_int_eq(puffs_framebuf_reserve_space(pb, SIZE_MAX), -1);
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_int_eq(puffs_framebuf_putdata_atoff(pb, SIZE_MAX - 2,
	    "abc", 3), -1);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 100000);
	free(big);
	free(back);
	puffs_framebuf_destroy(pb);
}
END_TEST

START_TEST(test_window)
{
	struct puffs_framebuf *pb = puffs_framebuf_make();
	void *win;
	size_t len = 10000;
	char c;

	/* A window extends the size to its end and is writable. */
	ck_assert_int_eq(puffs_framebuf_getwindow(pb, 50, &win, &len), 0);
	ck_assert_uint_ge(len, 1);
	ck_assert_uint_le(len, 10000);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 50 + len);
	memset(win, 'w', len);
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(pb, 50 + len - 1, &c, 1),
	    0);
	ck_assert_int_eq(c, 'w');
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 0);

	/* A window inside the data leaves the size alone. */
	len = 10;
	ck_assert_int_eq(puffs_framebuf_getwindow(pb, 0, &win, &len), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 10050);
	puffs_framebuf_destroy(pb);
}
END_TEST

START_TEST(test_seek_edges)
{
	struct puffs_framebuf *pb = puffs_framebuf_make();
	char c;

	ck_assert_int_eq(puffs_framebuf_putdata(pb, "abc", 3), 0);
	/* Seeking past the size allocates but does not add data. */
	ck_assert_int_eq(puffs_framebuf_seekset(pb, 20000), 0);
	ck_assert_uint_eq(puffs_framebuf_telloff(pb), 20000);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 3);
	errno = 0;
	ck_assert_int_eq(puffs_framebuf_getdata(pb, &c, 1), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	/* Putting there makes the gap part of the data. */
	ck_assert_int_eq(puffs_framebuf_putdata(pb, "z", 1), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(pb), 20001);
	ck_assert_int_eq(puffs_framebuf_seekset(pb, 3), 0);
	ck_assert_uint_eq(puffs_framebuf_remaining(pb), 19998);
	puffs_framebuf_destroy(pb);
}
END_TEST

START_TEST(test_dup)
{
	struct puffs_framebuf *pb = puffs_framebuf_make(), *cp;
	char out[5];

	ck_assert_int_eq(puffs_framebuf_putdata(pb, "hello", 5), 0);
	ck_assert_int_eq(puffs_framebuf_seekset(pb, 1), 0);
	ck_assert_int_eq(puffs_framebuf_dup(pb, &cp), 0);
	ck_assert_uint_eq(puffs_framebuf_tellsize(cp), 5);
	ck_assert_uint_eq(puffs_framebuf_telloff(cp), 1);
	/* Deep: changing the original leaves the copy alone. */
	ck_assert_int_eq(puffs_framebuf_putdata_atoff(pb, 0, "J", 1), 0);
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(cp, 0, out, 5), 0);
	ck_assert_int_eq(memcmp(out, "hello", 5), 0);
	puffs_framebuf_destroy(pb);
	puffs_framebuf_destroy(cp);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("framebuf");
	TCase *tc = tcase_create("framebuf");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_put_get_cursor);
	tcase_add_test(tc, test_atoff);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_seek_edges);
	tcase_add_test(tc, test_dup);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
