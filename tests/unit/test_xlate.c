/*
 * test_xlate.c: the Linux <-> NetBSD puffs conversions of src/xlate.c:
 * FFLAGS, IO_* flags, access masks, struct flock both ways and its
 * checks, xattr namespaces and prefixes, statvfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "xlate.h"

START_TEST(test_fflags)
{
	ck_assert_int_eq(xlate_fflags(O_RDONLY), PUFFS_FREAD);
	ck_assert_int_eq(xlate_fflags(O_WRONLY), PUFFS_FWRITE);
	ck_assert_int_eq(xlate_fflags(O_RDWR), PUFFS_FREAD | PUFFS_FWRITE);
	ck_assert_int_eq(xlate_fflags(O_RDWR | O_APPEND | O_TRUNC),
	    PUFFS_FREAD | PUFFS_FWRITE | O_APPEND | O_TRUNC);
}
END_TEST

START_TEST(test_ioflag)
{
	ck_assert_int_eq(xlate_ioflag(O_RDWR), 0);
	ck_assert_int_eq(xlate_ioflag(O_WRONLY | O_APPEND), PUFFS_IO_APPEND);
	ck_assert_int_eq(xlate_ioflag(O_WRONLY | O_SYNC), PUFFS_IO_SYNC);
	ck_assert_int_eq(xlate_ioflag(O_WRONLY | O_DSYNC), PUFFS_IO_DSYNC);
	ck_assert_int_eq(xlate_ioflag(O_WRONLY | O_DIRECT), PUFFS_IO_DIRECT);
	ck_assert_int_eq(xlate_ioflag(O_RDONLY | O_NONBLOCK),
	    PUFFS_IO_NDELAY);
}
END_TEST

START_TEST(test_vaccess)
{
	ck_assert_int_eq(xlate_vaccess(F_OK), 0);
	ck_assert_int_eq(xlate_vaccess(R_OK | W_OK | X_OK),
	    PUFFS_VREAD | PUFFS_VWRITE | PUFFS_VEXEC);
	ck_assert_int_eq(xlate_vaccess(X_OK), PUFFS_VEXEC);
}
END_TEST

START_TEST(test_flock)
{
	struct flock fl, back;
	struct puffs_kflock kfl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 1234567890123LL;
	fl.l_len = 77;
	fl.l_pid = 4242;
	xlate_flock_out(&fl, &kfl);
	ck_assert_int_eq(kfl.l_start, fl.l_start);
	ck_assert_int_eq(kfl.l_type, F_WRLCK);
	ck_assert_int_eq(xlate_flock_check(&kfl), 0);
	xlate_flock_in(&kfl, &back);
	ck_assert_int_eq(back.l_start, fl.l_start);
	ck_assert_int_eq(back.l_len, fl.l_len);
	ck_assert_int_eq(back.l_pid, fl.l_pid);
	ck_assert_int_eq(back.l_type, fl.l_type);
	ck_assert_int_eq(back.l_whence, fl.l_whence);
	kfl.l_type = 99;
	ck_assert_int_eq(xlate_flock_check(&kfl), EINVAL);
	kfl.l_type = F_RDLCK;
	kfl.l_whence = 7;
	ck_assert_int_eq(xlate_flock_check(&kfl), EINVAL);
	kfl.l_whence = SEEK_SET;
	kfl.l_len = -1;
	ck_assert_int_eq(xlate_flock_check(&kfl), EINVAL);
}
END_TEST

START_TEST(test_xattr)
{
	ck_assert_int_eq(xlate_xattr_ns("user.a"), XLATE_EXTATTR_USER);
	ck_assert_int_eq(xlate_xattr_ns("system.posix_acl_access"),
	    XLATE_EXTATTR_SYSTEM);
	ck_assert_int_eq(xlate_xattr_ns("security.selinux"),
	    XLATE_EXTATTR_SYSTEM);
	ck_assert_int_eq(xlate_xattr_ns("trusted.x"), XLATE_EXTATTR_SYSTEM);
	ck_assert_int_eq(xlate_xattr_ns("bare"), XLATE_EXTATTR_USER);
	ck_assert_int_eq(xlate_xattr_ns("user"), XLATE_EXTATTR_USER);
	ck_assert(xlate_xattr_hasprefix("user.a", 6));
	ck_assert(!xlate_xattr_hasprefix("user.", 5));	/* no name */
	ck_assert(!xlate_xattr_hasprefix("user.a", 4));
	ck_assert(!xlate_xattr_hasprefix("bare", 4));
	ck_assert(xlate_xattr_bareprefix("user."));
	ck_assert(xlate_xattr_bareprefix("security."));
	ck_assert(!xlate_xattr_bareprefix("user.a"));
	ck_assert(!xlate_xattr_bareprefix("user"));
	ck_assert(!xlate_xattr_bareprefix(""));
	ck_assert_str_eq(xlate_xattr_prefix(XLATE_EXTATTR_USER), "user.");
	ck_assert_str_eq(xlate_xattr_prefix(XLATE_EXTATTR_SYSTEM),
	    "system.");
	ck_assert_int_eq(xlate_xattr_errno(EOPNOTSUPP), ENOTSUP);
	ck_assert_int_eq(xlate_xattr_errno(ENODATA), ENODATA);
}
END_TEST

START_TEST(test_xattr_list)
{
	static const uint8_t user[] = "a\0user.b\0security.c\0";
	static const uint8_t sys[] = "acl\0";
	static const uint8_t bad[] = "x\0\0";
	uint8_t dst[64];
	size_t len = 0;

	ck_assert_int_eq(xlate_xattr_list(dst, sizeof(dst), &len, user,
	    sizeof(user) - 1, XLATE_EXTATTR_USER), 0);
	ck_assert_int_eq(xlate_xattr_list(dst, sizeof(dst), &len, sys,
	    sizeof(sys) - 1, XLATE_EXTATTR_SYSTEM), 0);
	ck_assert_uint_eq(len, sizeof("user.a\0user.b\0security.c\0"
	    "system.acl\0") - 1);
	ck_assert_mem_eq(dst, "user.a\0user.b\0security.c\0system.acl\0",
	    len);
	/* an empty name is a malformed list */
	len = 0;
	ck_assert_int_eq(xlate_xattr_list(dst, sizeof(dst), &len, bad,
	    sizeof(bad) - 1, XLATE_EXTATTR_USER), EPROTO);
	/* a name without its NUL at the very end still counts */
	len = 0;
	ck_assert_int_eq(xlate_xattr_list(dst, sizeof(dst), &len,
	    (const uint8_t *)"zz", 2, XLATE_EXTATTR_USER), 0);
	ck_assert_mem_eq(dst, "user.zz\0", 8);
	/* no room */
	len = 0;
	ck_assert_int_eq(xlate_xattr_list(dst, 7, &len, user,
	    sizeof(user) - 1, XLATE_EXTATTR_USER), E2BIG);
}
END_TEST

START_TEST(test_statvfs)
{
	struct puffs_kstatvfs ks;
	struct statvfs sv;

	memset(&ks, 0, sizeof(ks));
	ks.f_bsize = 4096;
	ks.f_blocks = 100;
	ks.f_bfree = 50;
	ks.f_namemax = 100;
	ks.f_flag = PUFFS_MNT_RDONLY | PUFFS_MNT_NOSUID | PUFFS_MNT_NOEXEC;
	xlate_statvfs(&ks, &sv);
	ck_assert_uint_eq(sv.f_frsize, 4096);
	ck_assert_uint_eq(sv.f_blocks, 100);
	ck_assert_uint_eq(sv.f_namemax, 100);
	ck_assert_uint_eq(sv.f_flag, ST_RDONLY | ST_NOSUID);
	ks.f_namemax = 100000;	/* more than Linux can name */
	xlate_statvfs(&ks, &sv);
	ck_assert_uint_eq(sv.f_namemax, 255);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("xlate");
	TCase *tc = tcase_create("xlate");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_fflags);
	tcase_add_test(tc, test_ioflag);
	tcase_add_test(tc, test_vaccess);
	tcase_add_test(tc, test_flock);
	tcase_add_test(tc, test_xattr);
	tcase_add_test(tc, test_xattr_list);
	tcase_add_test(tc, test_statvfs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
