/*
 * test_validate.c: the reply checks of src/validate.c at their edges.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <check.h>

#include "validate.h"

START_TEST(t_errno)
{
	struct vbad vb;

	ck_assert_int_eq(validate_errno(0, &vb), 0);
	ck_assert_int_eq(validate_errno(ENOENT, &vb), 0);
	ck_assert_int_eq(validate_errno(133, &vb), 0);
	ck_assert_int_eq(validate_errno(134, &vb), -1);
	ck_assert_int_eq(vb.vb_type, PUFFS_ERR_ERROR);
	ck_assert_int_eq(vb.vb_error, EPROTO);
	ck_assert_int_eq(validate_errno(-1, &vb), -1);
	ck_assert_int_eq(validate_errno(INT32_MIN, &vb), -1);
}
END_TEST

START_TEST(t_vtype)
{
	ck_assert_int_eq(validate_vtype(PUFFS_VNON), -1);
	ck_assert_int_eq(validate_vtype(PUFFS_VREG), 0);
	ck_assert_int_eq(validate_vtype(PUFFS_VFIFO), 0);
	ck_assert_int_eq(validate_vtype(PUFFS_VBAD), -1);
	ck_assert_int_eq(validate_vtype(UINT32_MAX), -1);
}
END_TEST

static void
lookup_ok(struct puffs_vnmsg_lookup *lk)
{
	memset(lk, 0, sizeof(*lk));
	lk->pvnr_newnode = 7;
	lk->pvnr_vtype = PUFFS_VREG;
	lk->pvnr_size = 0;
}

START_TEST(t_lookup)
{
	struct puffs_vnmsg_lookup lk;
	struct vbad vb;

	lookup_ok(&lk);
	ck_assert_int_eq(validate_lookup(&lk, 1, &vb), 0);
	lk.pvnr_size = INT64_MAX;
	ck_assert_int_eq(validate_lookup(&lk, 1, &vb), 0);
	lk.pvnr_size = -1;			/* VSIZENOTSET */
	ck_assert_int_eq(validate_lookup(&lk, 1, &vb), -1);
	ck_assert_int_eq(vb.vb_type, PUFFS_ERR_MAKENODE);
	ck_assert(!vb.vb_count);
	lookup_ok(&lk);
	lk.pvnr_newnode = 0;
	ck_assert_int_eq(validate_lookup(&lk, 1, &vb), -1);
	lookup_ok(&lk);
	lk.pvnr_vtype = PUFFS_VBAD;
	ck_assert_int_eq(validate_lookup(&lk, 1, &vb), -1);
	ck_assert_int_eq(vb.vb_error, EINVAL);
	lookup_ok(&lk);
	ck_assert_int_eq(validate_lookup(&lk, 7, &vb), -1);	/* parent */
	ck_assert_int_eq(vb.vb_type, PUFFS_ERR_LOOKUP);
	ck_assert(vb.vb_count);
	lookup_ok(&lk);
	lk.pvnr_cn.pkcn_consume = 1;
	ck_assert_int_eq(validate_lookup(&lk, 1, &vb), -1);
	ck_assert_int_eq(vb.vb_type, PUFFS_ERR_LOOKUP);
}
END_TEST

START_TEST(t_newnode)
{
	struct vbad vb;

	ck_assert_int_eq(validate_newnode(5, 1, false, &vb), 0);
	ck_assert_int_eq(validate_newnode(1, 1, false, &vb), -1);
	ck_assert_int_eq(vb.vb_type, PUFFS_ERR_MAKENODE);
	ck_assert_int_eq(vb.vb_error, EEXIST);
	ck_assert_int_eq(validate_newnode(5, 1, true, &vb), -1);
	ck_assert_int_eq(vb.vb_error, EEXIST);
}
END_TEST

START_TEST(t_name)
{
	char name[NAME_MAX + 2];

	memset(name, 'a', sizeof(name));
	ck_assert_int_eq(validate_name(name, 0), -1);
	ck_assert_int_eq(validate_name(name, 1), 0);
	ck_assert_int_eq(validate_name(name, NAME_MAX), 0);
	ck_assert_int_eq(validate_name(name, NAME_MAX + 1), -1);
	ck_assert_int_eq(validate_name("a/b", 3), -1);
	ck_assert_int_eq(validate_name("a\0b", 3), -1);
	ck_assert_int_eq(validate_name("a\0b", 1), 0);
}
END_TEST

START_TEST(t_resid)
{
	ck_assert_int_eq(validate_resid(10, 0), 0);
	ck_assert_int_eq(validate_resid(10, 10), 0);
	ck_assert_int_eq(validate_resid(10, 11), -1);
	ck_assert_int_eq(validate_resid(0, UINT64_MAX), -1);
}
END_TEST

START_TEST(t_readlink)
{
	static struct puffs_vnmsg_readlink rl;
	struct vbad vb;

	memset(rl.pvnr_link, 'x', sizeof(rl.pvnr_link));
	rl.pvnr_linklen = 1;
	ck_assert_int_eq(validate_readlink(&rl, &vb), 0);
	rl.pvnr_linklen = sizeof(rl.pvnr_link);
	ck_assert_int_eq(validate_readlink(&rl, &vb), 0);
	rl.pvnr_linklen = sizeof(rl.pvnr_link) + 1;
	ck_assert_int_eq(validate_readlink(&rl, &vb), -1);
	ck_assert_int_eq(vb.vb_type, PUFFS_ERR_READLINK);
	ck_assert_int_eq(vb.vb_error, E2BIG);
	rl.pvnr_linklen = 0;
	ck_assert_int_eq(validate_readlink(&rl, &vb), -1);
	ck_assert_int_eq(vb.vb_type, PUFFS_ERR_READLINK);
	rl.pvnr_link[2] = '\0';
	rl.pvnr_linklen = 3;
	ck_assert_int_eq(validate_readlink(&rl, &vb), -1);
	rl.pvnr_linklen = 2;
	ck_assert_int_eq(validate_readlink(&rl, &vb), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("edges");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, t_errno);
	tcase_add_test(tc, t_vtype);
	tcase_add_test(tc, t_lookup);
	tcase_add_test(tc, t_newnode);
	tcase_add_test(tc, t_name);
	tcase_add_test(tc, t_resid);
	tcase_add_test(tc, t_readlink);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
