/*
 * test_nodetab.c: node ids are never reused, the root is 1 and is never
 * reclaimable, lookup counts, retire and re-create with a new id.
 */
#include <stdlib.h>

#include <check.h>

#include <puffs-bridge/puffs_msgif.h>

#include "nodetab.h"

START_TEST(test_root)
{
	struct nodetab *nt = nodetab_new(0x1000, PUFFS_VDIR);
	struct node *r = nodetab_root(nt);

	ck_assert_uint_eq(r->n_nodeid, 1);
	ck_assert_ptr_eq(nodetab_byid(nt, 1), r);
	ck_assert_ptr_eq(nodetab_bycookie(nt, 0x1000), r);
	/* A lookup returning the root cookie counts on the root node. */
	ck_assert_ptr_eq(nodetab_enter(nt, 0x1000, PUFFS_VDIR), r);
	ck_assert_uint_eq(r->n_puffs_nlookup, 1);
	r->n_fuse_nlookup = 1;
	ck_assert(!nodetab_forget(r, 5));
	ck_assert(!nodetab_idle(r));
	nodetab_free(nt);
}
END_TEST

START_TEST(test_counts)
{
	struct nodetab *nt = nodetab_new(0x1000, PUFFS_VDIR);
	struct node *n;

	n = nodetab_enter(nt, 0x2000, PUFFS_VREG);
	ck_assert_uint_eq(n->n_nodeid, 2);
	ck_assert_ptr_eq(nodetab_enter(nt, 0x2000, PUFFS_VREG), n);
	ck_assert_uint_eq(n->n_puffs_nlookup, 2);
	n->n_fuse_nlookup = 2;
	nodetab_hold(n);
	ck_assert(!nodetab_forget(n, 1));
	ck_assert(!nodetab_forget(n, 1));	/* still busy */
	ck_assert(nodetab_rele(n));		/* now reclaimable */
	ck_assert_uint_eq(nodetab_count(nt), 2);
	nodetab_free(nt);
}
END_TEST

START_TEST(test_never_reuse)
{
	struct nodetab *nt = nodetab_new(0x1000, PUFFS_VDIR);
	struct node *n;
	uint64_t last = 1, id;
	int i;

	for (i = 0; i < 1000; i++) {
		/* The same cookie again and again, retired each time. */
		n = nodetab_enter(nt, 0x2000, PUFFS_VREG);
		id = n->n_nodeid;
		ck_assert_uint_gt(id, last);
		last = id;
		ck_assert(nodetab_forget(n, 0));
		nodetab_retire(nt, n);
		ck_assert_ptr_null(nodetab_byid(nt, id));
		ck_assert_ptr_null(nodetab_bycookie(nt, 0x2000));
	}
	n = nodetab_enter(nt, 0x2000, PUFFS_VREG);
	ck_assert_uint_eq(n->n_puffs_nlookup, 1);	/* a fresh count */
	ck_assert_uint_eq(n->n_nodeid, last + 1);
	ck_assert_uint_eq(nodetab_count(nt), 2);
	nodetab_free(nt);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("nodetab");
	TCase *tc = tcase_create("nodetab");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_root);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_never_reuse);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
