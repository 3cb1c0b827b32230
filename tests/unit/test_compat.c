/*
 * test_compat.c: libpuffs' pure parts as servers call them: the path
 * framework (std builder, compare, pcnbuild with transform/namemod, node
 * walks and the re-pathing after a rename), credentials and the access
 * helpers, and the mount option parser with puffsmopts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "puffs_priv.h"

static struct puffs_usermount *
mkpu(uint32_t flags)
{
	struct puffs_ops *pops;
	struct puffs_usermount *pu;

	PUFFSOP_INIT(pops);
	pu = puffs_init(pops, "test", "test", NULL, flags);
	ck_assert_ptr_nonnull(pu);
	return pu;
}

static struct puffs_pathobj
po_str(const char *s)
{
	struct puffs_pathobj po = { (void *)(uintptr_t)s, strlen(s), 0 };

	return po;
}

static char *
build(const char *pre, const char *comp, size_t off)
{
	struct puffs_pathobj p = po_str(pre), c = po_str(comp), n;

	ck_assert_int_eq(puffs_stdpath_buildpath(NULL, &p, &c, off, &n), 0);
	ck_assert_uint_eq(n.po_len, strlen(n.po_path));
	return n.po_path;
}

#define CK_BUILD(pre, comp, off, want) do {				\
	char *got_ = build(pre, comp, off);				\
	ck_assert_str_eq(got_, want);					\
	free(got_);							\
} while (0)

START_TEST(test_stdpath_build)
{
	CK_BUILD("/a", "b", 0, "/a/b");
	CK_BUILD("/a/", "b", 0, "/a/b");
	CK_BUILD("/a//", "//b", 0, "/a/b");
	CK_BUILD("/", "b", 0, "/b");
	CK_BUILD("/a/b", "..", 0, "/a");
	CK_BUILD("/a", "..", 0, "/");
	CK_BUILD("rel/x", "..", 0, "rel");
	CK_BUILD("/new", "/old/c/d", 4, "/new/c/d");
}
END_TEST

START_TEST(test_stdpath_cmp)
{
	struct puffs_pathobj a = po_str("/x/y/z"), b = po_str("/x/y"),
	    c = po_str("/x/yy");

	ck_assert_int_eq(puffs_stdpath_cmppath(NULL, &a, &b, b.po_len, 0), 0);
	ck_assert_int_eq(puffs_stdpath_cmppath(NULL, &a, &b, b.po_len, 1), 0);
	ck_assert_int_eq(puffs_stdpath_cmppath(NULL, &c, &b, b.po_len, 1), 1);
	ck_assert_int_eq(puffs_stdpath_cmppath(NULL, &b, &b, b.po_len, 1), 1);
	ck_assert_int_eq(puffs_stdpath_cmppath(NULL, &b, &a, a.po_len, 0), 1);
}
END_TEST

static struct puffs_node *
mknode(struct puffs_usermount *pu, const char *path)
{
	struct puffs_node *pn = puffs_pn_new(pu, NULL);

	pn->pn_po.po_path = strdup(path);
	pn->pn_po.po_len = strlen(path);
	puffs_path_buildhash(pu, &pn->pn_po);
	return pn;
}

static int
rot_namemod(struct puffs_usermount *pu, struct puffs_pathobj *dir,
    struct puffs_cn *pcn)
{
	size_t i;

	(void)pu;
	(void)dir;
	for (i = 0; i < pcn->pcn_namelen; i++)
		if (pcn->pcn_name[i] >= 'a' && pcn->pcn_name[i] <= 'z')
			pcn->pcn_name[i] = (char)('a' +
			    (pcn->pcn_name[i] - 'a' + 13) % 26);
	return 0;
}

START_TEST(test_pcnbuild_walk)
{
	struct puffs_usermount *pu = mkpu(PUFFS_FLAG_BUILDPATH |
	    PUFFS_FLAG_HASHPATH);
	struct puffs_node *root = mknode(pu, "/host"), *d, *f;
	struct puffs_kcn kcn;
	struct puffs_cn pcn;
	struct puffs_pathobj po;

	puffs_setroot(pu, root);
	ck_assert_ptr_eq(puffs_getrootpathobj(pu), &root->pn_po);
	memset(&kcn, 0, sizeof(kcn));
	memset(&pcn, 0, sizeof(pcn));
	pcn.pcn_pkcnp = &kcn;
	strcpy(kcn.pkcn_name, "abc");
	kcn.pkcn_namelen = 3;
	ck_assert_int_eq(puffs_path_pcnbuild(pu, &pcn, root), 0);
	ck_assert_str_eq(PCNPATH(&pcn), "/host/abc");
	puffs_stdpath_freepath(pu, &pcn.pcn_po_full);

	puffs_set_namemod(pu, rot_namemod);
	ck_assert_int_eq(puffs_path_pcnbuild(pu, &pcn, root), 0);
	ck_assert_str_eq(PCNPATH(&pcn), "/host/nop");
	ck_assert_str_eq(pcn.pcn_name, "nop");

	/* walkcmp finds by path (hash first), and only an equal one. */
	d = mknode(pu, "/host/d");
	f = mknode(pu, "/host/d/f");
	po = pcn.pcn_po_full;
	ck_assert_ptr_null(puffs_pn_nodewalk(pu, puffs_path_walkcmp, &po));
	puffs_stdpath_freepath(pu, &pcn.pcn_po_full);
	po = po_str("/host/d/f");
	puffs_path_buildhash(pu, &po);
	ck_assert_ptr_eq(puffs_pn_nodewalk(pu, puffs_path_walkcmp, &po), f);

	/* A directory rename moves everything below it, nothing else. */
	{
		struct puffs_pathobj old = po_str("/host/d"),
		    new = po_str("/host/e");
		struct puffs_pathinfo pi = { &old, &new };

		ck_assert_ptr_null(puffs_pn_nodewalk(pu, puffs_path_prefixadj,
		    &pi));
	}
	ck_assert_str_eq(PNPATH(f), "/host/e/f");
	ck_assert_str_eq(PNPATH(d), "/host/d");
	ck_assert_str_eq(PNPATH(root), "/host");
	po = po_str("/host/e/f");
	puffs_path_buildhash(pu, &po);
	ck_assert_ptr_eq(puffs_pn_nodewalk(pu, puffs_path_walkcmp, &po), f);
	puffs_pn_put(f);
	puffs_pn_put(d);
	puffs_pn_put(root);
	puffs_cancel(pu, 0);
}
END_TEST

/* ------------------------------------------------------------------ */

static void
mkcred(struct puffs_cred *pcr, uid_t uid, gid_t gid, gid_t extra)
{
	memset(pcr, 0, sizeof(*pcr));
	pcr->pcr_kcred.pkcr_type = PUFFCRED_TYPE_UUC;
	pcr->pcr_kcred.pkcr_uid = uid;
	pcr->pcr_kcred.pkcr_gid = gid;
	pcr->pcr_kcred.pkcr_ngroups = 1;
	pcr->pcr_kcred.pkcr_groups[0] = extra;
}

START_TEST(test_creds)
{
	struct puffs_cred user, root, fs;
	gid_t groups[4];
	short ng = 4;
	uid_t uid;

	mkcred(&user, 1000, 100, 200);
	mkcred(&root, 0, 0, 0);
	memset(&fs, 0, sizeof(fs));
	fs.pcr_kcred.pkcr_type = PUFFCRED_TYPE_INTERNAL;
	fs.pcr_kcred.pkcr_internal = PUFFCRED_CRED_FSCRED;

	ck_assert_int_eq(puffs_cred_getuid(&user, &uid), 0);
	ck_assert_uint_eq(uid, 1000);
	ck_assert_int_eq(puffs_cred_getgroups(&user, groups, &ng), 0);
	ck_assert_int_eq(ng, 1);
	ck_assert_uint_eq(groups[0], 200);
	ck_assert(puffs_cred_hasgroup(&user, 100));
	ck_assert(puffs_cred_hasgroup(&user, 200));
	ck_assert(!puffs_cred_hasgroup(&user, 300));
	ck_assert(puffs_cred_isregular(&user));
	ck_assert(!puffs_cred_isjuggernaut(&user));
	ck_assert(puffs_cred_isjuggernaut(&root));
	ck_assert(puffs_cred_isfs(&fs) && puffs_cred_isjuggernaut(&fs));
	errno = 0;
	ck_assert_int_eq(puffs_cred_getuid(&fs, &uid), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
}
END_TEST

START_TEST(test_access)
{
	struct puffs_cred user, root;

	mkcred(&user, 1000, 100, 200);
	mkcred(&root, 0, 0, 0);
	/* One class only: the owner's bits even if "other" allows more. */
	ck_assert_int_eq(puffs_access(VREG, 0604, 1000, 5, PUFFS_VREAD, &user),
	    0);
	ck_assert_int_eq(puffs_access(VREG, 0066, 1000, 5, PUFFS_VREAD, &user),
	    EACCES);
	ck_assert_int_eq(puffs_access(VREG, 0060, 1, 200, PUFFS_VWRITE, &user),
	    0);
	ck_assert_int_eq(puffs_access(VREG, 0004, 1, 2, PUFFS_VREAD |
	    PUFFS_VWRITE, &user), EACCES);
	ck_assert_int_eq(puffs_access(VREG, 0644, 1, 2, PUFFS_VEXEC, &root),
	    EACCES);
	ck_assert_int_eq(puffs_access(VDIR, 0600, 1, 2, PUFFS_VEXEC, &root),
	    0);

	ck_assert_int_eq(puffs_access_chown(1000, 100, 1000, 200, &user), 0);
	ck_assert_int_eq(puffs_access_chown(1000, 100, 1001,
	    (gid_t)PUFFS_VNOVAL, &user), EPERM);
	ck_assert_int_eq(puffs_access_chown(1000, 100, (uid_t)PUFFS_VNOVAL,
	    300, &user), EPERM);
	ck_assert_int_eq(puffs_access_chown(1, 1, 2, 2, &root), 0);

	ck_assert_int_eq(puffs_access_chmod(1000, 100, VREG, 0644, &user), 0);
	ck_assert_int_eq(puffs_access_chmod(1, 100, VREG, 0644, &user), EPERM);
	ck_assert_int_eq(puffs_access_chmod(1000, 100, VREG, 01644, &user),
	    EFTYPE);
	ck_assert_int_eq(puffs_access_chmod(1000, 100, VDIR, 01755, &user), 0);
	ck_assert_int_eq(puffs_access_chmod(1000, 300, VREG, 02644, &user),
	    EPERM);

	ck_assert_int_eq(puffs_access_times(1000, 1, 0600, 0, &user), 0);
	ck_assert_int_eq(puffs_access_times(1, 1, 0666, 0, &user), EPERM);
	ck_assert_int_eq(puffs_access_times(1, 1, 0666, 1, &user), 0);
	ck_assert_int_eq(puffs_access_times(1, 1, 0644, 1, &user), EACCES);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_mntopts)
{
	static const struct mntopt mine[] = {
		MOPT_STDOPTS, MOPT_SYNC, MOPT_UPDATE,
		{ "flag", 0, 0x10, 1 },
		{ "size", 0, 0, 0 },
		{ "name", 0, 0, 0 },
		MOPT_NULL,
	};
	mntoptparse_t mp;
	int mnt = 0, alt = 0;

	mp = getmntopts("rdonly,nodev,noexec", puffsmopts, &mnt, &alt);
	ck_assert_ptr_nonnull(mp);
	ck_assert_int_eq(mnt, MNT_RDONLY | MNT_NODEV | MNT_NOEXEC);
	ck_assert_int_eq(alt, 0);
	freemntopts(mp);

	mnt = alt = 0;
	mp = getmntopts("nocache,dump,rw", puffsmopts, &mnt, &alt);
	ck_assert_int_eq(alt, PUFFS_KFLAG_NOCACHE | PUFFS_FLAG_OPDUMP);
	ck_assert_int_eq(mnt, 0);
	freemntopts(mp);
	mnt = MNT_RDONLY;
	alt = PUFFS_KFLAG_NOCACHE;
	mp = getmntopts("rw,namecache", puffsmopts, &mnt, &alt);
	ck_assert_int_eq(mnt, 0);
	ck_assert_int_eq(alt, PUFFS_KFLAG_NOCACHE_PAGE);
	freemntopts(mp);

	mnt = alt = 0;
	mp = getmntopts("sync,flag,size=42,name=x,update", mine, &mnt, &alt);
	ck_assert_int_eq(mnt, MNT_SYNCHRONOUS | MNT_UPDATE);
	ck_assert_int_eq(alt, 0x10);
	ck_assert_int_eq(getmntoptnum(mp, "size"), 42);
	ck_assert_str_eq(getmntoptstr(mp, "name"), "x");
	getmnt_silent = 1;
	ck_assert_ptr_null(getmntoptstr(mp, "absent"));
	ck_assert_int_eq(getmntoptnum(mp, "name"), -1);
	freemntopts(mp);
	mp = getmntopts("bogus,sync", mine, &mnt, &alt);
	ck_assert_ptr_nonnull(mp);
	freemntopts(mp);
	getmnt_silent = 0;
}
END_TEST

START_TEST(test_mntopts_unknown)
{
	int mnt = 0, alt = 0;

	/* Unknown options are fatal unless getmnt_silent: exit status 1. */
	getmntopts("bogus", puffsmopts, &mnt, &alt);
}
END_TEST

static Suite *
compat_suite(void)
{
	Suite *s = suite_create("compat");
	TCase *tc;

	tc = tcase_create("paths");
	tcase_add_test(tc, test_stdpath_build);
	tcase_add_test(tc, test_stdpath_cmp);
	tcase_add_test(tc, test_pcnbuild_walk);
	suite_add_tcase(s, tc);
	tc = tcase_create("creds");
	tcase_add_test(tc, test_creds);
	tcase_add_test(tc, test_access);
	suite_add_tcase(s, tc);
	tc = tcase_create("mntopts");
	tcase_add_test(tc, test_mntopts);
	tcase_add_exit_test(tc, test_mntopts_unknown, 1);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(compat_suite());
	int nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
