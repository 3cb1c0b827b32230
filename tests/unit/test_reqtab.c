/*
 * test_reqtab.c: ids are unique and never have the server's bit, each
 * completion runs once, fail_all answers everything with the error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <glib.h>

#include <puffs-bridge/puffs_msgif.h>

#include "reqtab.h"

static int ncalls[64];
static int lasterr[64];

static void
done(void *arg, int error, const uint8_t *frame, size_t len)
{
	int i = GPOINTER_TO_INT(arg);

	(void)frame;
	(void)len;
	ncalls[i]++;
	lasterr[i] = error;
}

START_TEST(test_ids)
{
	struct reqtab *rt = reqtab_new();
	GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
	uint64_t *ids = g_new(uint64_t, 1000);
	int i;

	for (i = 0; i < 1000; i++) {
		ids[i] = reqtab_add(rt, PUFFSOP_VN, 0, 100, done, NULL);
		ck_assert_uint_ne(ids[i], 0);
		ck_assert((ids[i] & PUFFS_SRVREQ_IDBIT) == 0);
		ck_assert(!g_hash_table_contains(seen, &ids[i]));
		g_hash_table_add(seen, &ids[i]);
	}
	ck_assert_uint_eq(reqtab_count(rt), 1000);
	for (i = 0; i < 1000; i++)
		g_free(reqtab_take(rt, ids[i]));
	ck_assert_uint_eq(reqtab_count(rt), 0);
	/* Ids keep growing after the table emptied. */
	ck_assert_uint_gt(reqtab_add(rt, PUFFSOP_VN, 0, 100, done, NULL),
	    ids[999]);
	g_hash_table_destroy(seen);
	g_free(ids);
	reqtab_fail_all(rt, ENXIO);
	reqtab_free(rt);
}
END_TEST

START_TEST(test_take_once)
{
	struct reqtab *rt = reqtab_new();
	struct reqent *re;
	uint64_t id;

	id = reqtab_add(rt, PUFFSOP_VN, PUFFS_VN_READ, 4096, done,
	    GINT_TO_POINTER(1));
	re = reqtab_take(rt, id);
	ck_assert_ptr_nonnull(re);
	ck_assert_uint_eq(re->re_buflen, 4096);
	ck_assert_uint_eq(re->re_optype, PUFFS_VN_READ);
	g_free(re);
	ck_assert_ptr_null(reqtab_take(rt, id));
	ck_assert_ptr_null(reqtab_take(rt, id + 1000));
	reqtab_free(rt);
}
END_TEST

START_TEST(test_fail_all)
{
	struct reqtab *rt = reqtab_new();
	uint64_t id3 = 0;
	int i;

	memset(ncalls, 0, sizeof(ncalls));
	for (i = 0; i < 10; i++) {
		uint64_t id = reqtab_add(rt, PUFFSOP_VN, 0, 100, done,
		    GINT_TO_POINTER(i));
		if (i == 3)
			id3 = id;
	}
	/* One answered normally first: it must not be failed again. */
	g_free(reqtab_take(rt, id3));
	ncalls[3] = 0;
	reqtab_fail_all(rt, ENXIO);
	for (i = 0; i < 10; i++) {
		ck_assert_int_eq(ncalls[i], i == 3 ? 0 : 1);
		if (i != 3)
			ck_assert_int_eq(lasterr[i], ENXIO);
	}
	ck_assert_uint_eq(reqtab_count(rt), 0);
	reqtab_fail_all(rt, ENXIO);
	for (i = 0; i < 10; i++)
		ck_assert_int_le(ncalls[i], 1);
	reqtab_free(rt);
}
END_TEST

/* Entries older than the cutoff fail once with the error; newer stay. */
START_TEST(test_expire)
{
	struct reqtab *rt = reqtab_new();
	struct reqent *re;
	uint64_t ids[6];
	int64_t cutoff;
	int i;

	memset(ncalls, 0, sizeof(ncalls));
	for (i = 0; i < 3; i++)
		ids[i] = reqtab_add(rt, PUFFSOP_VN, 0, 100, done,
		    GINT_TO_POINTER(i));
	g_usleep(2000);
	cutoff = g_get_monotonic_time();
	g_usleep(2000);
	for (i = 3; i < 6; i++)
		ids[i] = reqtab_add(rt, PUFFSOP_VN, 0, 100, done,
		    GINT_TO_POINTER(i));
	ck_assert_uint_eq(reqtab_expire(rt, cutoff, EIO), 3);
	for (i = 0; i < 6; i++) {
		ck_assert_int_eq(ncalls[i], i < 3 ? 1 : 0);
		if (i < 3)
			ck_assert_int_eq(lasterr[i], EIO);
	}
	/* A late reply to an expired request finds nothing. */
	ck_assert_ptr_null(reqtab_take(rt, ids[0]));
	ck_assert_uint_eq(reqtab_expire(rt, cutoff, EIO), 0);
	re = reqtab_take(rt, ids[4]);
	ck_assert_ptr_nonnull(re);
	g_free(re);
	ck_assert_uint_eq(reqtab_count(rt), 2);
	reqtab_fail_all(rt, ENXIO);
	reqtab_free(rt);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("reqtab");
	TCase *tc = tcase_create("reqtab");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_take_once);
	tcase_add_test(tc, test_fail_all);
	tcase_add_test(tc, test_expire);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
