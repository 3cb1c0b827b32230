/*
 * test_mount.c: the mount status machine without a socket (Decision 4):
 * attach validation, MOUNTING -> RUNNING -> DYING, statvfs while MOUNTING
 * answers EINPROGRESS without a message, nothing is sent outside RUNNING,
 * replies are matched by id, bad errnos become EPROTO plus a notice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <glib.h>

#include "log.h"
#include "msg.h"
#include "nodetab.h"
#include "vfsops.h"

static GPtrArray *sent;

static void
fake_send(void *arg, uint8_t *frame, size_t len)
{
	(void)arg;
	(void)len;
	g_ptr_array_add(sent, frame);
}

static int ndone, lasterr;
static int32_t lastrv;

static void
done(void *arg, int error, const uint8_t *frame, size_t len)
{
	struct puffs_mount *pmp = arg;

	ndone++;
	lasterr = error;
	lastrv = msg_result(pmp, error, frame, len);
}

static uint8_t *
mkmountreq(size_t *lenp)
{
	const char *dir = "/mnt/x";
	size_t dirlen = strlen(dir) + 1;
	size_t len = sizeof(struct puffs_mountreq) + dirlen;
	struct puffs_mountreq *mr = g_malloc0(len);

	mr->pmr_pth.pth_framelen = len;
	mr->pmr_magic = PUFFS_BRIDGE_MAGIC;
	mr->pmr_version = PUFFS_BRIDGE_VERSION;
	mr->pmr_dirlen = dirlen;
	mr->pmr_kargs.pa_vers = PUFFSVERSION;
	mr->pmr_kargs.pa_root_cookie = 0x1000;
	mr->pmr_kargs.pa_root_vtype = PUFFS_VDIR;
	mr->pmr_kargs.pa_vnopmask[PUFFS_VN_READ] = 1;
	strcpy(mr->pmr_kargs.pa_typename, "test\x01");
	memcpy(mr->pmr_data, dir, dirlen);
	*lenp = len;
	return (uint8_t *)mr;
}

static void
setup(void)
{
	sent = g_ptr_array_new_with_free_func(g_free);
	ndone = 0;
	lasterr = -1;
}

static void
teardown(void)
{
	g_ptr_array_free(sent, TRUE);
}

static void
attach(struct puffs_mount *pmp)
{
	char why[256];
	uint8_t *buf;
	size_t len;

	memset(pmp, 0, sizeof(*pmp));
	pmp->pmp_send = fake_send;
	buf = mkmountreq(&len);
	ck_assert_int_eq(vfs_attach(pmp, buf, len, why, sizeof(why)), 0);
	g_free(buf);
}

/* The server's in-place answer to sent frame i. */
static void
answer(struct puffs_mount *pmp, guint i, int32_t rv)
{
	uint8_t *f = g_ptr_array_index(sent, i);
	struct puffs_req *preq = (struct puffs_req *)f;
	size_t len = preq->preq_pth.pth_framelen;
	uint8_t *copy = g_memdup2(f, len);

	preq = (struct puffs_req *)copy;
	preq->preq_opclass |= PUFFSOPFLAG_ISRESPONSE;
	preq->preq_rv = rv;
	msg_input(pmp, copy, len);
	g_free(copy);
}

START_TEST(test_attach_ok)
{
	struct puffs_mount pm;

	attach(&pm);
	ck_assert_int_eq(pm.pmp_status, PUFFSTAT_MOUNTING);
	ck_assert_str_eq(pm.pmp_mntpoint, "/mnt/x");
	ck_assert_str_eq(pm.pmp_args.pa_typename, "test.");
	ck_assert_uint_eq(pm.pmp_maxmsglen, PUFFS_MSG_MAXSIZE);
	ck_assert_uint_eq(nodetab_root(pm.pmp_nodetab)->n_cookie, 0x1000);
	ck_assert(vfs_hasop(&pm, PUFFS_VN_READ));
	ck_assert(!vfs_hasop(&pm, PUFFS_VN_WRITE));
	ck_assert(!vfs_hasop(&pm, -1));
	ck_assert(!vfs_hasop(&pm, PUFFS_VNOPMASK_LEN));
	vfs_detach(&pm);
}
END_TEST

/* Each corruption of a valid description must be refused. */
START_TEST(test_attach_bad)
{
	struct puffs_mount pm;
	struct puffs_mountreq *mr;
	char why[256];
	uint8_t *buf;
	size_t len;
	int i;

	for (i = 0; i < 11; i++) {
		memset(&pm, 0, sizeof(pm));
		buf = mkmountreq(&len);
		mr = (struct puffs_mountreq *)buf;
		switch (i) {
		case 0: mr->pmr_magic++; break;
		case 1: mr->pmr_version++; break;
		case 2: mr->pmr_kargs.pa_vers = 29; break;
		case 3: mr->pmr_kargs.pa_flags = 0x400; break;
		case 4: mr->pmr_kargs.pa_fhflags = 0x10; break;
		case 5: mr->pmr_kargs.pa_spare[31] = 1; break;
		case 6: mr->pmr_kargs.pa_root_vtype = PUFFS_VNON; break;
		case 7: mr->pmr_kargs.pa_root_vtype = PUFFS_VBAD; break;
		case 8: mr->pmr_kargs.pa_root_vsize = -1; break;
		case 9: mr->pmr_kargs.pa_fhsize = PUFFS_FHSIZE_MAX + 1; break;
		case 10: len--; break;
		}
		ck_assert_int_ne(vfs_attach(&pm, buf, len, why, sizeof(why)),
		    0);
		ck_assert_ptr_null(pm.pmp_reqtab);
		g_free(buf);
	}
	/* NOCACHE_ATTR is outside the mask but dropped, not refused. */
	buf = mkmountreq(&len);
	((struct puffs_mountreq *)buf)->pmr_kargs.pa_flags =
	    PUFFS_KFLAG_NOCACHE_ATTR;
	memset(&pm, 0, sizeof(pm));
	ck_assert_int_eq(vfs_attach(&pm, buf, len, why, sizeof(why)), 0);
	ck_assert_uint_eq(pm.pmp_args.pa_flags, 0);
	vfs_detach(&pm);
	g_free(buf);
}
END_TEST

START_TEST(test_maxmsglen)
{
	ck_assert_uint_eq(vfs_maxmsglen(0), PUFFS_MSG_MAXSIZE);
	ck_assert_uint_eq(vfs_maxmsglen(PUFFS_MSG_MAXSIZE + 1),
	    PUFFS_MSG_MAXSIZE);
	ck_assert_uint_eq(vfs_maxmsglen(PUFFS_MSG_MAXSIZE), PUFFS_MSG_MAXSIZE);
	ck_assert_uint_eq(vfs_maxmsglen(1), PUFFS_MSG_MINSIZE);
	ck_assert_uint_eq(vfs_maxmsglen(PUFFS_MSG_MINSIZE - 1),
	    PUFFS_MSG_MINSIZE);
	ck_assert_uint_eq(vfs_maxmsglen(PUFFS_MSG_MINSIZE + 1),
	    PUFFS_MSG_MINSIZE + 1);
}
END_TEST

START_TEST(test_statvfs_mounting)
{
	struct puffs_mount pm;

	attach(&pm);
	ck_assert_int_eq(vfs_statvfs(&pm, done, &pm), EINPROGRESS);
	ck_assert_uint_eq(pm.pmp_nsent, 0);
	ck_assert_uint_eq(sent->len, 0);
	ck_assert_int_eq(ndone, 0);
	/* Nothing else goes out before RUNNING either. */
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);
	ck_assert_int_eq(ndone, 1);
	ck_assert_int_eq(lasterr, ENXIO);
	ck_assert_uint_eq(sent->len, 0);
	vfs_start(&pm);
	ck_assert_int_eq(pm.pmp_status, PUFFSTAT_RUNNING);
	ck_assert_int_eq(vfs_statvfs(&pm, done, &pm), 0);
	ck_assert_uint_eq(sent->len, 1);
	answer(&pm, 0, 0);
	ck_assert_int_eq(ndone, 2);
	ck_assert_int_eq(lastrv, 0);
	vfs_detach(&pm);
}
END_TEST

START_TEST(test_replies)
{
	struct puffs_mount pm;
	struct puffs_error *perr;

	attach(&pm);
	vfs_start(&pm);
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);
	ck_assert_uint_eq(sent->len, 3);
	/* Out of order, a good errno, a bad one, a duplicate. */
	answer(&pm, 1, ENOSPC);
	ck_assert_int_eq(ndone, 1);
	ck_assert_int_eq(lastrv, ENOSPC);
	answer(&pm, 1, 0);
	ck_assert_int_eq(ndone, 1);	/* unknown id now: dropped */
	answer(&pm, 0, 5000);
	ck_assert_int_eq(ndone, 2);
	ck_assert_int_eq(lastrv, EPROTO);
	ck_assert_uint_eq(sent->len, 4);	/* the error notice */
	perr = g_ptr_array_index(sent, 3);
	ck_assert_uint_eq(perr->perr_pr.preq_opclass,
	    PUFFSOP_ERROR | PUFFSOPFLAG_FAF);
	ck_assert_uint_eq(perr->perr_pr.preq_optype, PUFFS_ERR_ERROR);
	ck_assert_int_eq(perr->perr_error, EPROTO);
	/* Server death: the last waiter gets ENXIO, new requests too. */
	msg_userdead(&pm);
	ck_assert_int_eq(pm.pmp_status, PUFFSTAT_DYING);
	ck_assert_int_eq(ndone, 3);
	ck_assert_int_eq(lasterr, ENXIO);
	ck_assert_int_eq(vfs_statvfs(&pm, done, &pm), 0);
	ck_assert_int_eq(ndone, 4);
	ck_assert_int_eq(lasterr, ENXIO);
	ck_assert_uint_eq(sent->len, 4);
	vfs_detach(&pm);
	ck_assert_int_eq(ndone, 4);
}
END_TEST

START_TEST(test_server_unmount)
{
	struct puffs_mount pm;
	struct puffs_req req, *resp;

	attach(&pm);
	vfs_start(&pm);
	memset(&req, 0, sizeof(req));
	req.preq_pth.pth_framelen = sizeof(req);
	req.preq_opclass = PUFFSOP_UNMOUNT;
	req.preq_id = PUFFS_SRVREQ_IDBIT | 7;
	msg_input(&pm, (uint8_t *)&req, sizeof(req));
	ck_assert_uint_eq(sent->len, 1);
	resp = g_ptr_array_index(sent, 0);
	ck_assert_uint_eq(resp->preq_id, PUFFS_SRVREQ_IDBIT | 7);
	ck_assert(resp->preq_opclass & PUFFSOPFLAG_ISRESPONSE);
	ck_assert_int_eq(resp->preq_rv, 0);
	/* A frame shorter than a request header is dropped. */
	msg_input(&pm, (uint8_t *)&req, sizeof(req) - 1);
	ck_assert_uint_eq(sent->len, 1);
	vfs_detach(&pm);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("mount");
	TCase *tc = tcase_create("mount");
	SRunner *sr;
	int failed;

	log_init(false);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_attach_ok);
	tcase_add_test(tc, test_attach_bad);
	tcase_add_test(tc, test_maxmsglen);
	tcase_add_test(tc, test_statvfs_mounting);
	tcase_add_test(tc, test_replies);
	tcase_add_test(tc, test_server_unmount);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
