/*
 * test_vnlock.c: per-node reader/writer locks: sharing, exclusion, FIFO
 * order without writer starvation, independence of nodes, cancel, and
 * re-entrant callbacks.
 */
#include <check.h>
#include <glib.h>

#include "vnlock.h"

static GString *trace;

static void
note(void *arg)
{
	g_string_append(trace, arg);
}

static struct vnlocks *
setup(void)
{
	if (trace != NULL)
		g_string_free(trace, TRUE);
	trace = g_string_new("");
	return vnlock_new();
}

START_TEST(t_shared)
{
	struct vnlocks *ls = setup();

	vnlock_acquire(ls, 5, VNLOCK_SHARED, note, "a");
	vnlock_acquire(ls, 5, VNLOCK_SHARED, note, "b");
	ck_assert_str_eq(trace->str, "ab");
	vnlock_release(ls, 5, VNLOCK_SHARED);
	vnlock_release(ls, 5, VNLOCK_SHARED);
	ck_assert_uint_eq(vnlock_count(ls), 0);
	vnlock_free(ls);
}
END_TEST

START_TEST(t_excl_fifo)
{
	struct vnlocks *ls = setup();

	vnlock_acquire(ls, 5, VNLOCK_SHARED, note, "r1");
	vnlock_acquire(ls, 5, VNLOCK_EXCL, note, "W");
	/* A reader behind a waiting writer waits: no starvation. */
	vnlock_acquire(ls, 5, VNLOCK_SHARED, note, "r2");
	vnlock_acquire(ls, 5, VNLOCK_SHARED, note, "r3");
	ck_assert_str_eq(trace->str, "r1");
	vnlock_release(ls, 5, VNLOCK_SHARED);
	ck_assert_str_eq(trace->str, "r1W");
	vnlock_release(ls, 5, VNLOCK_EXCL);
	ck_assert_str_eq(trace->str, "r1Wr2r3");
	vnlock_release(ls, 5, VNLOCK_SHARED);
	vnlock_release(ls, 5, VNLOCK_SHARED);
	ck_assert_uint_eq(vnlock_count(ls), 0);
	vnlock_free(ls);
}
END_TEST

START_TEST(t_independent)
{
	struct vnlocks *ls = setup();

	vnlock_acquire(ls, 5, VNLOCK_EXCL, note, "a");
	vnlock_acquire(ls, 6, VNLOCK_EXCL, note, "b");	/* other node */
	vnlock_acquire(ls, 5, VNLOCK_SHARED, note, "c");
	ck_assert_str_eq(trace->str, "ab");
	vnlock_release(ls, 6, VNLOCK_EXCL);
	vnlock_release(ls, 5, VNLOCK_EXCL);
	ck_assert_str_eq(trace->str, "abc");
	vnlock_release(ls, 5, VNLOCK_SHARED);
	ck_assert_uint_eq(vnlock_count(ls), 0);
	ck_assert(vnlock_order(2, 3));
	ck_assert(!vnlock_order(3, 2));
	vnlock_free(ls);
}
END_TEST

START_TEST(t_cancel)
{
	struct vnlocks *ls = setup();

	vnlock_acquire(ls, 5, VNLOCK_SHARED, note, "r1");
	vnlock_acquire(ls, 5, VNLOCK_EXCL, note, "W");
	vnlock_acquire(ls, 5, VNLOCK_SHARED, note, "r2");
	ck_assert(vnlock_cancel(ls, 5, "W"));
	/* With the writer gone the reader behind it shares at once. */
	ck_assert_str_eq(trace->str, "r1r2");
	ck_assert(!vnlock_cancel(ls, 5, "W"));
	vnlock_release(ls, 5, VNLOCK_SHARED);
	vnlock_release(ls, 5, VNLOCK_SHARED);
	ck_assert_uint_eq(vnlock_count(ls), 0);
	vnlock_free(ls);
}
END_TEST

static struct vnlocks *reent;

static void
reenter(void *arg)
{
	(void)arg;
	g_string_append(trace, "X");
	/* Done at once: release from inside the grant. */
	vnlock_release(reent, 9, VNLOCK_EXCL);
}

START_TEST(t_reentrant)
{
	struct vnlocks *ls = setup();

	reent = ls;
	vnlock_acquire(ls, 9, VNLOCK_EXCL, note, "a");
	vnlock_acquire(ls, 9, VNLOCK_EXCL, reenter, NULL);
	vnlock_acquire(ls, 9, VNLOCK_EXCL, reenter, NULL);
	vnlock_acquire(ls, 9, VNLOCK_SHARED, note, "b");
	vnlock_release(ls, 9, VNLOCK_EXCL);
	ck_assert_str_eq(trace->str, "aXXb");
	vnlock_release(ls, 9, VNLOCK_SHARED);
	ck_assert_uint_eq(vnlock_count(ls), 0);
	vnlock_free(ls);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vnlock");
	TCase *tc = tcase_create("locks");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, t_shared);
	tcase_add_test(tc, t_excl_fifo);
	tcase_add_test(tc, t_independent);
	tcase_add_test(tc, t_cancel);
	tcase_add_test(tc, t_reentrant);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
