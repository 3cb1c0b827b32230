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
#include "stats.h"
#include "suspend.h"
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

	/* The reason given for each refusal, in case order. */
	static const char *const reasons[] = {
		"protocol version", "protocol version", "kargs version",
		"unknown kernel flags", "unknown file handle flags",
		"spare fields", "root vtype", "root vtype", "root size",
		"file handle size", "malformed", "root cookie",
	};

	for (i = 0; i < 12; i++) {
		memset(&pm, 0, sizeof(pm));
		why[0] = '\0';
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
		case 11: mr->pmr_kargs.pa_root_cookie = 0; break;
		}
		ck_assert_int_ne(vfs_attach(&pm, buf, len, why, sizeof(why)),
		    0);
		ck_assert_msg(strstr(why, reasons[i]) != NULL,
		    "case %d: reason \"%s\", expected \"%s\"", i, why,
		    reasons[i]);
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

/* The status of suspend notice i in sent, or -1 if it is not one. */
static int
notice(guint i)
{
	struct puffs_vfsmsg_suspend *m = g_ptr_array_index(sent, i);

	if (m->pvfsr_pr.preq_opclass != (PUFFSOP_VFS | PUFFSOPFLAG_FAF) ||
	    m->pvfsr_pr.preq_optype != PUFFS_VFS_SUSPEND)
		return -1;
	return m->pvfsr_status;
}

static uint16_t
optype(guint i)
{
	return ((struct puffs_req *)g_ptr_array_index(sent, i))->preq_optype;
}

static int nchg;
static enum suspend_state lastchg;

static void
suspendchg(void *arg, enum suspend_state st, int error)
{
	(void)arg;
	(void)error;
	nchg++;
	lastchg = st;
}

/* Every transition of the status machine, and the refusals. */
START_TEST(test_status_transitions)
{
	struct puffs_mount pm;

	attach(&pm);
	ck_assert_str_eq(pmp_status_name(pm.pmp_status), "MOUNTING");
	ck_assert_int_eq(suspend_start(&pm, false), ENXIO);
	vfs_start(&pm);
	ck_assert_str_eq(pmp_status_name(pm.pmp_status), "RUNNING");
	vfs_start(&pm);			/* idempotent */
	ck_assert_int_eq(pm.pmp_status, PUFFSTAT_RUNNING);
	msg_userdead(&pm);
	ck_assert_str_eq(pmp_status_name(pm.pmp_status), "DYING");
	vfs_start(&pm);			/* no way back from DYING */
	ck_assert_int_eq(pm.pmp_status, PUFFSTAT_DYING);
	ck_assert_int_eq(suspend_start(&pm, false), ENXIO);
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);
	ck_assert_int_eq(lasterr, ENXIO);
	ck_assert_uint_eq(sent->len, 0);
	vfs_detach(&pm);
}
END_TEST

/*
 * NORMAL -> SUSPENDING (drain an in-flight request, park new ones) ->
 * SUSPENDED -> NORMAL; START, SUSPENDED, RESUME in order; parked requests
 * released in order after RESUME; a second suspend is EBUSY.
 */
START_TEST(test_suspend_cycle)
{
	struct puffs_mount pm;

	attach(&pm);
	pm.pmp_suspendchg = suspendchg;
	nchg = 0;
	vfs_start(&pm);
	ck_assert_int_eq(suspend_resume(&pm), EINVAL);
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);	/* in flight */
	ck_assert_int_eq(suspend_start(&pm, false), 0);
	ck_assert_uint_eq(sent->len, 2);
	ck_assert_int_eq(notice(1), PUFFS_SUSPEND_START);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_SUSPENDING);
	ck_assert_int_eq(lastchg, SUSPEND_SUSPENDING);
	ck_assert_int_eq(suspend_start(&pm, false), EBUSY);
	/* New requests wait at the gate. */
	ck_assert_int_eq(vfs_statvfs(&pm, done, &pm), 0);
	vfs_sync(&pm, PUFFS_MNT_LAZY, done, &pm);
	ck_assert_uint_eq(sent->len, 2);
	ck_assert_uint_eq(suspend_nparked(&pm), 2);
	/* The drain: the in-flight reply completes the suspension. */
	answer(&pm, 0, 0);
	ck_assert_int_eq(ndone, 1);
	ck_assert_uint_eq(sent->len, 3);
	ck_assert_int_eq(notice(2), PUFFS_SUSPEND_SUSPENDED);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_SUSPENDED);
	ck_assert_str_eq(suspend_state_name(pm.pmp_suspend), "SUSPENDED");
	ck_assert_int_eq(suspend_start(&pm, false), EBUSY);
	vfs_sync(&pm, PUFFS_MNT_NOWAIT, done, &pm);
	ck_assert_uint_eq(suspend_nparked(&pm), 3);
	/* RESUME, then the parked ones in their order. */
	ck_assert_int_eq(suspend_resume(&pm), 0);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_NORMAL);
	ck_assert_int_eq(lastchg, SUSPEND_NORMAL);
	ck_assert_uint_eq(sent->len, 7);
	ck_assert_int_eq(notice(3), PUFFS_SUSPEND_RESUME);
	ck_assert_uint_eq(optype(4), PUFFS_VFS_STATVFS);
	ck_assert_int_eq(((struct puffs_vfsmsg_sync *)
	    g_ptr_array_index(sent, 5))->pvfsr_waitfor, PUFFS_MNT_LAZY);
	ck_assert_int_eq(((struct puffs_vfsmsg_sync *)
	    g_ptr_array_index(sent, 6))->pvfsr_waitfor, PUFFS_MNT_NOWAIT);
	ck_assert_uint_eq(suspend_nparked(&pm), 0);
	ck_assert_int_eq(suspend_resume(&pm), EINVAL);
	ck_assert_int_eq(nchg, 3);
	answer(&pm, 4, 0);
	answer(&pm, 5, 0);
	answer(&pm, 6, 0);
	ck_assert_int_eq(ndone, 4);
	vfs_detach(&pm);
}
END_TEST

static int nflush;

static void
flushhook(void *arg)
{
	(void)arg;
	nflush++;
}

/* The flush: its writes pass the gate; a failure is ERROR and NORMAL. */
START_TEST(test_suspend_flush_error)
{
	struct puffs_mount pm;
	uint8_t *w;

	attach(&pm);
	pm.pmp_suspendflush = flushhook;
	nflush = 0;
	vfs_start(&pm);
	ck_assert_int_eq(suspend_start(&pm, false), 0);
	ck_assert_int_eq(nflush, 1);	/* nothing to drain */
	ck_assert(pm.pmp_flushing);
	w = frame_new(sizeof(struct puffs_vnmsg_rw), PUFFSOP_VN,
	    PUFFS_VN_WRITE, 0x1000);
	msg_call(&pm, w, sizeof(struct puffs_vnmsg_rw), 0, done, &pm);
	ck_assert_uint_eq(sent->len, 2);	/* START, WRITE */
	ck_assert_uint_eq(optype(1), PUFFS_VN_WRITE);
	ck_assert_int_eq(vfs_statvfs(&pm, done, &pm), 0);
	ck_assert_uint_eq(suspend_nparked(&pm), 1);
	answer(&pm, 1, 0);
	ck_assert_int_eq(nflush, 1);	/* not started twice */
	suspend_flushed(&pm, EIO);
	ck_assert_int_eq(notice(2), PUFFS_SUSPEND_ERROR);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_NORMAL);
	ck_assert_uint_eq(optype(3), PUFFS_VFS_STATVFS);
	suspend_flushed(&pm, 0);	/* late: ignored */
	ck_assert_uint_eq(sent->len, 4);
	vfs_detach(&pm);
}
END_TEST

/* A suspension that never drains is abandoned: ERROR, NORMAL, released. */
START_TEST(test_suspend_abort)
{
	struct puffs_mount pm;

	attach(&pm);
	vfs_start(&pm);
	ck_assert_int_eq(suspend_abort(&pm, ETIMEDOUT), EINVAL);
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);	/* never answered */
	ck_assert_int_eq(suspend_start(&pm, false), 0);
	ck_assert_int_eq(vfs_statvfs(&pm, done, &pm), 0);
	ck_assert_uint_eq(suspend_nparked(&pm), 1);
	ck_assert_int_eq(suspend_abort(&pm, ETIMEDOUT), 0);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_NORMAL);
	ck_assert_int_eq(notice(1), PUFFS_SUSPEND_START);
	ck_assert_int_eq(notice(2), PUFFS_SUSPEND_ERROR);
	ck_assert_uint_eq(optype(3), PUFFS_VFS_STATVFS);
	answer(&pm, 0, 0);		/* the late drain changes nothing */
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_NORMAL);
	ck_assert_uint_eq(sent->len, 4);
	ck_assert_int_eq(suspend_abort(&pm, ETIMEDOUT), EINVAL);
	vfs_detach(&pm);
}
END_TEST

/* Server death while suspended: parked requests get ENXIO. */
START_TEST(test_suspend_dead)
{
	struct puffs_mount pm;

	attach(&pm);
	vfs_start(&pm);
	ck_assert_int_eq(suspend_start(&pm, false), 0);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_SUSPENDED);
	ck_assert_int_eq(vfs_statvfs(&pm, done, &pm), 0);
	ck_assert_int_eq(ndone, 0);
	msg_userdead(&pm);
	ck_assert_int_eq(ndone, 1);
	ck_assert_int_eq(lasterr, ENXIO);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_NORMAL);
	vfs_detach(&pm);
}
END_TEST

/* Resume asked while SUSPENDING happens once SUSPENDED is reached. */
START_TEST(test_suspend_resume_early)
{
	struct puffs_mount pm;

	attach(&pm);
	vfs_start(&pm);
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);
	ck_assert_int_eq(suspend_start(&pm, false), 0);
	ck_assert_int_eq(suspend_resume(&pm), 0);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_SUSPENDING);
	answer(&pm, 0, 0);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_NORMAL);
	ck_assert_int_eq(notice(1), PUFFS_SUSPEND_START);
	ck_assert_int_eq(notice(2), PUFFS_SUSPEND_SUSPENDED);
	ck_assert_int_eq(notice(3), PUFFS_SUSPEND_RESUME);
	vfs_detach(&pm);
}
END_TEST

/* The server's puffs_fs_suspend: answered, then a full cycle at once. */
START_TEST(test_server_suspend)
{
	struct puffs_mount pm;
	struct puffs_req req, *resp;

	attach(&pm);
	memset(&req, 0, sizeof(req));
	req.preq_pth.pth_framelen = sizeof(req);
	req.preq_opclass = PUFFSOP_SUSPEND;
	req.preq_id = PUFFS_SRVREQ_IDBIT | 3;
	msg_input(&pm, (uint8_t *)&req, sizeof(req));	/* MOUNTING */
	ck_assert_uint_eq(sent->len, 1);	/* answered, ignored */
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_NORMAL);
	g_ptr_array_set_size(sent, 0);
	vfs_start(&pm);
	msg_input(&pm, (uint8_t *)&req, sizeof(req));
	ck_assert_uint_eq(sent->len, 4);
	resp = g_ptr_array_index(sent, 0);
	ck_assert(resp->preq_opclass & PUFFSOPFLAG_ISRESPONSE);
	ck_assert_int_eq(resp->preq_rv, 0);
	ck_assert_int_eq(notice(1), PUFFS_SUSPEND_START);
	ck_assert_int_eq(notice(2), PUFFS_SUSPEND_SUSPENDED);
	ck_assert_int_eq(notice(3), PUFFS_SUSPEND_RESUME);
	ck_assert_int_eq(pm.pmp_suspend, SUSPEND_NORMAL);
	vfs_detach(&pm);
}
END_TEST

/* Per-op counts and latencies for puffsctl status. */
START_TEST(test_stats)
{
	struct puffs_mount pm;
	GString *out = g_string_new(NULL);

	attach(&pm);
	vfs_start(&pm);
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);
	vfs_sync(&pm, PUFFS_MNT_WAIT, done, &pm);
	answer(&pm, 0, 0);
	answer(&pm, 1, EIO);
	stats_print(pm.pmp_stats, out);
	ck_assert_msg(g_regex_match_simple("SYNC +2 +2 +1 ", out->str, 0, 0),
	    "%s", out->str);
	g_string_free(out, TRUE);
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
	tcase_add_test(tc, test_status_transitions);
	tcase_add_test(tc, test_suspend_cycle);
	tcase_add_test(tc, test_suspend_flush_error);
	tcase_add_test(tc, test_suspend_dead);
	tcase_add_test(tc, test_suspend_abort);
	tcase_add_test(tc, test_suspend_resume_early);
	tcase_add_test(tc, test_server_suspend);
	tcase_add_test(tc, test_stats);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
