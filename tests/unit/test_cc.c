/*
 * test_cc.c: libpuffs continuations (callcontext.c) without a mount:
 * ccs started the way the dispatcher starts requests, then yielded,
 * continued and scheduled; the order of events, the current cc, nesting,
 * many ccs at once, deep stacks, and the stack size rules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "puffs_priv.h"

#define NLOG	64

static struct puffs_usermount *pu;
static char order[NLOG * 4];

static void
note(const char *s)
{
	strcat(order, s);
}

static void
setup(void)
{
	struct puffs_ops *ops;

	PUFFSOP_INIT(ops);
	pu = puffs_init(ops, "test", "test", NULL, 0);
	ck_assert_ptr_nonnull(pu);
	order[0] = '\0';
}

static void
teardown(void)
{
	puffs_cancel(pu, 0);
	pu = NULL;
}

static struct puffs_cc *
start(void (*fn)(struct puffs_cc *))
{
	struct puffs_cc *pcc = puffs__cc_create(pu, NULL, 0);

	ck_assert_ptr_nonnull(pcc);
	ck_assert_int_eq(puffs__cc_start(pcc, fn), 0);
	return pcc;
}

static struct puffs_cc *saved[1000];

/* Yields twice, noting where it is; saves itself for the test. */
static void
twice(struct puffs_cc *pcc)
{
	saved[0] = pcc;
	ck_assert_ptr_eq(puffs_cc_getcc(pu), pcc);
	note("a1");
	puffs_cc_yield(pcc);
	ck_assert_ptr_eq(puffs_cc_getcc(pu), pcc);
	note("a2");
	puffs_cc_yield(pcc);
	note("a3");
}

START_TEST(test_yield_continue_order)
{
	ck_assert_ptr_null(puffs_cc_getcc(pu));
	start(twice);
	note("m1");
	ck_assert_ptr_null(puffs_cc_getcc(pu));
	puffs_cc_continue(saved[0]);
	note("m2");
	puffs_cc_continue(saved[0]);
	note("m3");
	ck_assert_str_eq(order, "a1m1a2m2a3m3");
	ck_assert_ptr_null(puffs_cc_getcc(pu));
}
END_TEST

/* Child of `outer': yields back into outer, not into the test. */
static void
inner(struct puffs_cc *pcc)
{
	saved[1] = pcc;
	note("i1");
	puffs_cc_yield(pcc);
	ck_assert_ptr_eq(puffs_cc_getcc(pu), pcc);
	note("i2");
}

static void
outer(struct puffs_cc *pcc)
{
	struct puffs_cc *child = puffs__cc_create(pu, NULL, 0);

	note("o1");
	ck_assert_int_eq(puffs__cc_start(child, inner), 0);
	/* inner yielded: we are current again. */
	ck_assert_ptr_eq(puffs_cc_getcc(pu), pcc);
	note("o2");
	puffs_cc_continue(saved[1]);
	ck_assert_ptr_eq(puffs_cc_getcc(pu), pcc);
	note("o3");
}

START_TEST(test_nested_continue)
{
	start(outer);
	ck_assert_str_eq(order, "o1i1o2i2o3");
	ck_assert_ptr_null(puffs_cc_getcc(pu));
}
END_TEST

static int nrun, nfinished;

/* Parks itself on the schedule queue once, then finishes. */
static void
sched_once(struct puffs_cc *pcc)
{
	saved[nrun++] = pcc;
	puffs_cc_schedule(pcc);
	puffs_cc_yield(pcc);
	nfinished++;
}

START_TEST(test_many_scheduled)
{
	int i;

	nrun = nfinished = 0;
	for (i = 0; i < 1000; i++)
		start(sched_once);
	ck_assert_int_eq(nrun, 1000);
	ck_assert_int_eq(nfinished, 0);
	ck_assert(puffs__cc_havesched(pu));
	puffs__cc_runsched(pu);
	ck_assert_int_eq(nfinished, 1000);
	ck_assert(!puffs__cc_havesched(pu));
}
END_TEST

static int rounds;

/* Reschedules itself three times: one round of the loop each. */
static void
sched_again(struct puffs_cc *pcc)
{
	int i;

	for (i = 0; i < 3; i++) {
		puffs_cc_schedule(pcc);
		puffs_cc_yield(pcc);
		rounds++;
	}
}

START_TEST(test_schedule_one_round)
{
	rounds = 0;
	start(sched_again);
	puffs__cc_runsched(pu);
	ck_assert_int_eq(rounds, 1);
	puffs__cc_runsched(pu);
	ck_assert_int_eq(rounds, 2);
	puffs__cc_runsched(pu);
	ck_assert_int_eq(rounds, 3);
	ck_assert(!puffs__cc_havesched(pu));
}
END_TEST

/* A cc continued directly is no longer resumed by the schedule. */
START_TEST(test_continue_cancels_schedule)
{
	nrun = nfinished = 0;
	start(sched_once);
	puffs_cc_continue(saved[0]);
	ck_assert_int_eq(nfinished, 1);
	ck_assert(!puffs__cc_havesched(pu));
	puffs__cc_runsched(pu);
	ck_assert_int_eq(nfinished, 1);
}
END_TEST

static volatile unsigned long deepsum;

static unsigned long
recurse(int n)
{
	volatile char pad[512];

	pad[0] = (char)n;
	if (n == 0)
		return pad[0];
	return recurse(n - 1) + pad[0];
}

/* Uses most of a 256 KiB stack, yielding in between. */
static void
deep(struct puffs_cc *pcc)
{
	saved[nrun++] = pcc;
	deepsum = recurse(100);
	puffs_cc_yield(pcc);
	deepsum += recurse(100);
	nfinished++;
}

START_TEST(test_deep_stacks)
{
	int i;

	nrun = nfinished = 0;
	for (i = 0; i < 40; i++) {
		start(deep);
		ck_assert_ptr_null(puffs_cc_getcc(pu));
	}
	ck_assert_int_eq(nfinished, 0);
	for (i = 0; i < 40; i++)
		puffs_cc_continue(saved[i]);
	ck_assert_int_eq(nfinished, 40);
}
END_TEST

START_TEST(test_stacksize_rules)
{
	long psize = sysconf(_SC_PAGESIZE);

	ck_assert_int_eq(pu->pu_cc_stackshift, PUFFS_CC_STACKSHIFT_DEFAULT);
	puffs_setstacksize(pu, 1);
	ck_assert_uint_eq((size_t)1 << pu->pu_cc_stackshift, 4 * psize);
	puffs_setstacksize(pu, PUFFS_STACKSIZE_MIN);
	ck_assert_uint_eq((size_t)1 << pu->pu_cc_stackshift, 4 * psize);
	puffs_setstacksize(pu, 100000);
	ck_assert_int_eq(pu->pu_cc_stackshift, 17);
	puffs_setstacksize(pu, 1 << 20);
	ck_assert_int_eq(pu->pu_cc_stackshift, 20);
	/* The new size is what the next cc gets. */
	start(twice);
	puffs_cc_continue(saved[0]);
	puffs_cc_continue(saved[0]);
	ck_assert_str_eq(order, "a1a2a3");
	/* After the mount it is too late. */
	pu->pu_state = PUFFS_STATE_RUNNING;
	puffs_setstacksize(pu, 1 << 16);
	ck_assert_int_eq(pu->pu_cc_stackshift, 20);
	pu->pu_state = PUFFS_STATE_BEFOREMOUNT;
}
END_TEST

START_TEST(test_getcaller)
{
	struct puffs_cc *pcc = puffs__cc_create(pu, NULL, 0);
	pid_t pid = 0;
	lwpid_t lid = 0;

	errno = 0;
	ck_assert_int_eq(puffs_cc_getcaller(pcc, &pid, &lid), -1);
	ck_assert_int_eq(errno, ESRCH);
	pcc->pcc_pid = 42;
	pcc->pcc_lid = 7;
	ck_assert_int_eq(puffs_cc_getcaller(pcc, &pid, NULL), 0);
	ck_assert_int_eq(pid, 42);
	ck_assert_int_eq(puffs_cc_getcaller(pcc, NULL, &lid), 0);
	ck_assert_int_eq(lid, 7);
	puffs__cc_destroy(pcc);
}
END_TEST

/* A statvfs handler that yields once before it answers. */
static int
yielding_statvfs(struct puffs_usermount *u, struct puffs_statvfs *sb)
{
	struct puffs_cc *pcc = puffs_cc_getcc(u);

	ck_assert_ptr_nonnull(pcc);
	note("s1");
	puffs_cc_yield(pcc);
	note("s2");
	puffs_zerostatvfs(sb);
	sb->f_bsize = 4242;
	return 0;
}

START_TEST(test_dispatch_create_exec)
{
	struct puffs_vfsmsg_statvfs msg, reply;
	struct puffs_framebuf *pb = puffs_framebuf_make(), *out = NULL;
	struct puffs_cc *pcc = NULL;

	pu->pu_ops.puffs_fs_statvfs = yielding_statvfs;
	memset(&msg, 0, sizeof(msg));
	msg.pvfsr_pr.preq_pth.pth_framelen = sizeof(msg);
	msg.pvfsr_pr.preq_id = 77;
	msg.pvfsr_pr.preq_opclass = PUFFSOP_VFS;
	msg.pvfsr_pr.preq_optype = PUFFS_VFS_STATVFS;
	msg.pvfsr_pr.preq_buflen = sizeof(msg);

	/* Too short to be a request. */
	ck_assert_int_eq(puffs_framebuf_putdata(pb, &msg, 8), 0);
	ck_assert_int_eq(puffs_dispatch_create(pu, pb, &pcc), -1);
	ck_assert_int_eq(errno, EINVAL);

	puffs_framebuf_recycle(pb);
	ck_assert_int_eq(puffs_framebuf_putdata(pb, &msg, sizeof(msg)), 0);
	ck_assert_int_eq(puffs_dispatch_create(pu, pb, &pcc), 0);
	ck_assert_str_eq(order, "");		/* not run yet */
	ck_assert_int_eq(puffs_dispatch_exec(pcc, &out), 0);
	ck_assert_str_eq(order, "s1");
	ck_assert_ptr_null(puffs_cc_getcc(pu));
	ck_assert_int_eq(puffs_dispatch_exec(pcc, &out), 1);
	ck_assert_str_eq(order, "s1s2");
	ck_assert_ptr_eq(out, pb);
	ck_assert_uint_eq(puffs_framebuf_tellsize(out), sizeof(reply));
	ck_assert_int_eq(puffs_framebuf_getdata_atoff(out, 0, &reply,
	    sizeof(reply)), 0);
	ck_assert_uint_eq(reply.pvfsr_pr.preq_id, 77);
	ck_assert(reply.pvfsr_pr.preq_opclass & PUFFSOPFLAG_ISRESPONSE);
	ck_assert_int_eq(reply.pvfsr_pr.preq_rv, 0);
	ck_assert_uint_eq(reply.pvfsr_sb.f_bsize, 4242);
	puffs_framebuf_destroy(pb);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("callcontext");
	TCase *tc = tcase_create("cc");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_yield_continue_order);
	tcase_add_test(tc, test_nested_continue);
	tcase_add_test(tc, test_many_scheduled);
	tcase_add_test(tc, test_schedule_one_round);
	tcase_add_test(tc, test_continue_cancels_schedule);
	tcase_add_test(tc, test_deep_stacks);
	tcase_add_test(tc, test_stacksize_rules);
	tcase_add_test(tc, test_getcaller);
	tcase_add_test(tc, test_dispatch_create_exec);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
