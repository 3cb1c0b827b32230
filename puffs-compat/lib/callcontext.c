/*
 * callcontext.c: struct puffs_cc, one request being served, and the
 * continuations NetBSD builds on it.  Every request runs on a stack of its
 * own (ucontext), so that its handler may yield while it waits (for a
 * backend's answer through framebuf.c, or for anything the server likes)
 * and be continued later while other requests run.  All ucontext
 * machinery of the library lives in this file and nowhere else.
 *
 * Called by dispatcher.c (create, start), framebuf.c and mainloop.c
 * (resume, the schedule queue) and by servers (puffs_cc_*,
 * puffs_setstacksize).
 *
 * Stack switches are annotated for AddressSanitizer (fiber switch hooks)
 * and, when <valgrind/valgrind.h> was found at build time, every stack is
 * registered with valgrind, so that both tools stay meaningful.
 *
 * Differences from NetBSD, which runs even its main loop on a cc and finds
 * the current cc by masking the stack pointer: here the main loop keeps
 * the thread's own stack, the current cc is a field of the mount (so
 * puffs_cc_getcc() returns NULL outside a request, as the manual
 * promises), and a yielding cc returns to whoever resumed it: the main
 * loop, or the cc that called puffs_cc_continue().
 */
#include <sys/mman.h>
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "puffs_priv.h"

#if defined(__SANITIZE_ADDRESS__)
#define PUFFS_CC_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PUFFS_CC_ASAN	1
#endif
#endif

#ifdef PUFFS_CC_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

/* Set by rump-style callers: run every request on the caller's stack. */
int puffs_fakecc;

#define PUFFS_CC_MAXSTORE	32	/* stacks kept for reuse */
#define PUFFS_CC_MAXSTACK	((size_t)1 << 30)

/* One mapped stack: a PROT_NONE guard page below the usable part. */
struct puffs_ccstack {
	struct puffs_ccstack	*pcs_next;	/* in the mount's cache */
	uint8_t			*pcs_map;
	size_t			 pcs_maplen;
	uint8_t			*pcs_sp;	/* lowest usable byte */
	size_t			 pcs_size;
	unsigned int		 pcs_vgid;	/* valgrind's stack id */
};

#define PCC_ONCPU	0x01	/* resumed and not yet yielded */
#define PCC_DONE	0x02	/* its function returned */
#define PCC_SCHED	0x04	/* on pu_sched */
#define PCC_KEEP	0x08	/* done: its owner destroys it, not resume */

/* ------------------------------------------------------------------ */
/* Tool annotations                                                   */

/* About to leave the current stack for [bottom, bottom + size). */
static void
cc_asan_leave(void **fakep, const void *bottom, size_t size)
{
#ifdef PUFFS_CC_ASAN
	__sanitizer_start_switch_fiber(fakep, bottom, size);
#else
	(void)fakep;
	(void)bottom;
	(void)size;
#endif
}

/* Arrived on a stack; learn the one we came from. */
static void
cc_asan_arrive(void *fake, const void **bottomp, size_t *sizep)
{
#ifdef PUFFS_CC_ASAN
	__sanitizer_finish_switch_fiber(fake, bottomp, sizep);
#else
	(void)fake;
	(void)bottomp;
	(void)sizep;
#endif
}

static void
cc_valgrind_register(struct puffs_ccstack *pcs)
{
#ifdef HAVE_VALGRIND_VALGRIND_H
	pcs->pcs_vgid = VALGRIND_STACK_REGISTER(pcs->pcs_sp,
	    pcs->pcs_sp + pcs->pcs_size);
#else
	pcs->pcs_vgid = 0;
#endif
}

static void
cc_valgrind_deregister(struct puffs_ccstack *pcs)
{
#ifdef HAVE_VALGRIND_VALGRIND_H
	VALGRIND_STACK_DEREGISTER(pcs->pcs_vgid);
#else
	(void)pcs;
#endif
}

/* ------------------------------------------------------------------ */
/* Stacks                                                             */

static void
cc_stack_free(struct puffs_ccstack *pcs)
{
	cc_valgrind_deregister(pcs);
	munmap(pcs->pcs_map, pcs->pcs_maplen);
	free(pcs);
}

static struct puffs_ccstack *
cc_stack_get(struct puffs_usermount *pu)
{
	size_t size = (size_t)1 << pu->pu_cc_stackshift;
	size_t psize = (size_t)sysconf(_SC_PAGESIZE);
	struct puffs_ccstack *pcs;

	if ((pcs = pu->pu_cc_stackcache) != NULL) {
		pu->pu_cc_stackcache = pcs->pcs_next;
		pu->pu_cc_nstacks--;
		return pcs;
	}
	pcs = calloc(1, sizeof(*pcs));
	if (pcs == NULL)
		return NULL;
	pcs->pcs_map = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (pcs->pcs_map == MAP_FAILED) {
		free(pcs);
		return NULL;
	}
	pcs->pcs_maplen = size;
	/* An overflow must fault, not scribble over a neighbour. */
	(void)mprotect(pcs->pcs_map, psize, PROT_NONE);
	pcs->pcs_sp = pcs->pcs_map + psize;
	pcs->pcs_size = size - psize;
	cc_valgrind_register(pcs);
	return pcs;
}

static void
cc_stack_put(struct puffs_usermount *pu, struct puffs_ccstack *pcs)
{
	if (pu->pu_cc_nstacks >= PUFFS_CC_MAXSTORE ||
	    pcs->pcs_maplen != (size_t)1 << pu->pu_cc_stackshift) {
		cc_stack_free(pcs);
		return;
	}
	pcs->pcs_next = pu->pu_cc_stackcache;
	pu->pu_cc_stackcache = pcs;
	pu->pu_cc_nstacks++;
}

/* ------------------------------------------------------------------ */
/* Life of a cc                                                       */

void
puffs__cc_init(struct puffs_usermount *pu)
{
	pu->pu_cc_stackshift = PUFFS_CC_STACKSHIFT_DEFAULT;
	TAILQ_INIT(&pu->pu_sched);
}

struct puffs_cc *
puffs__cc_create(struct puffs_usermount *pu, uint8_t *buf, size_t framelen)
{
	struct puffs_cc *pcc;

	pcc = calloc(1, sizeof(*pcc));
	if (pcc == NULL)
		return NULL;
	pcc->pcc_pu = pu;
	pcc->pcc_buf = buf;
	pcc->pcc_framelen = framelen;
	pcc->pcc_bufsize = framelen;
	return pcc;
}

/* Frees the context; the frame, if still attached, goes with it. */
void
puffs__cc_destroy(struct puffs_cc *pcc)
{
	struct puffs_usermount *pu = pcc->pcc_pu;

	if (pcc->pcc_ccflags & PCC_SCHED)
		TAILQ_REMOVE(&pu->pu_sched, pcc, pcc_schedent);
	if (pcc->pcc_stack != NULL)
		cc_stack_put(pu, pcc->pcc_stack);
	free(pcc->pcc_buf);
	free(pcc);
}

/* Frees the stacks kept for reuse; the mount is going away. */
void
puffs__cc_exit(struct puffs_usermount *pu)
{
	struct puffs_ccstack *pcs;

	while ((pcs = pu->pu_cc_stackcache) != NULL) {
		pu->pu_cc_stackcache = pcs->pcs_next;
		cc_stack_free(pcs);
	}
	pu->pu_cc_nstacks = 0;
}

/*
 * First code on a new stack.  makecontext() passes int arguments only, so
 * the cc pointer arrives in two halves.
 */
static void
cc_trampoline(unsigned int hi, unsigned int lo)
{
	struct puffs_cc *pcc;

	pcc = (struct puffs_cc *)(uintptr_t)(((uint64_t)hi << 32) | lo);
	cc_asan_arrive(NULL, &pcc->pcc_ret_stack, &pcc->pcc_ret_stacksize);
	pcc->pcc_func(pcc);
	pcc->pcc_ccflags |= PCC_DONE;
	/* NULL: this stack is finished, ASan may forget its fake frames. */
	cc_asan_leave(NULL, pcc->pcc_ret_stack, pcc->pcc_ret_stacksize);
	setcontext(&pcc->pcc_uc_ret);
	abort();
}

/*
 * Gives pcc a stack on which func(pcc) will start at the first resume.
 * -1 if no stack could be had (pcc is then untouched).
 */
static int
cc_prepare(struct puffs_cc *pcc, void (*func)(struct puffs_cc *))
{
	struct puffs_usermount *pu = pcc->pcc_pu;
	uint64_t p = (uint64_t)(uintptr_t)pcc;

	pcc->pcc_func = func;
	pcc->pcc_stack = cc_stack_get(pu);
	if (pcc->pcc_stack == NULL)
		return -1;
	if (getcontext(&pcc->pcc_uc) == -1) {
		cc_stack_put(pu, pcc->pcc_stack);
		pcc->pcc_stack = NULL;
		return -1;
	}
	pcc->pcc_uc.uc_stack.ss_sp = pcc->pcc_stack->pcs_sp;
	pcc->pcc_uc.uc_stack.ss_size = pcc->pcc_stack->pcs_size;
	pcc->pcc_uc.uc_stack.ss_flags = 0;
	pcc->pcc_uc.uc_link = NULL;
	makecontext(&pcc->pcc_uc, (void (*)(void))cc_trampoline, 2,
	    (unsigned int)(p >> 32), (unsigned int)(p & 0xffffffffU));
	return 0;
}

/*
 * Starts func(pcc) on a new stack and runs it until it yields or returns;
 * a cc whose function returned is destroyed.  -1 if no stack could be had
 * (pcc is then untouched and still the caller's).
 */
int
puffs__cc_start(struct puffs_cc *pcc, void (*func)(struct puffs_cc *))
{
	struct puffs_usermount *pu = pcc->pcc_pu;
	struct puffs_cc *prev = pu->pu_curcc;

	if (puffs_fakecc) {
		/* No stack of its own, so no yielding: run it through. */
		pcc->pcc_func = func;
		pcc->pcc_ccflags |= PCC_ONCPU;
		pu->pu_curcc = pcc;
		func(pcc);
		pu->pu_curcc = prev;
		puffs__cc_destroy(pcc);
		return 0;
	}
	if (cc_prepare(pcc, func) == -1)
		return -1;
	puffs__cc_resume(pcc);
	return 0;
}

/*
 * For puffs_dispatch_create(): func(pcc) starts at the first resume, and
 * a finished cc stays for its owner (puffs__cc_isdone, then destroy).
 */
int
puffs__cc_prepare_kept(struct puffs_cc *pcc, void (*func)(struct puffs_cc *))
{
	if (puffs_fakecc) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (cc_prepare(pcc, func) == -1)
		return -1;
	pcc->pcc_ccflags |= PCC_KEEP;
	return 0;
}

int
puffs__cc_isdone(struct puffs_cc *pcc)
{
	return (pcc->pcc_ccflags & PCC_DONE) != 0;
}

/*
 * Switches into a yielded cc; returns when it yields again or finishes
 * (and then it is destroyed).  Used by the main loop, by framebuf.c when a
 * cc's answer arrives, and by puffs_cc_continue().
 */
void
puffs__cc_resume(struct puffs_cc *pcc)
{
	struct puffs_usermount *pu = pcc->pcc_pu;
	struct puffs_cc *prev = pu->pu_curcc;
	void *fake = NULL;

	if (pcc->pcc_ccflags & (PCC_ONCPU | PCC_DONE)) {
		warnx("puffs_cc_continue: cc %p is running", (void *)pcc);
		return;
	}
	if (pcc->pcc_ccflags & PCC_SCHED) {
		/* Continued by someone else first: the schedule is moot. */
		TAILQ_REMOVE(&pu->pu_sched, pcc, pcc_schedent);
		pcc->pcc_ccflags &= ~PCC_SCHED;
	}
	pcc->pcc_ccflags |= PCC_ONCPU;
	pcc->pcc_resumer = prev;
	pu->pu_curcc = pcc;
	cc_asan_leave(&fake, pcc->pcc_stack->pcs_sp,
	    pcc->pcc_stack->pcs_size);
	if (swapcontext(&pcc->pcc_uc_ret, &pcc->pcc_uc) == -1)
		abort();
	cc_asan_arrive(fake, NULL, NULL);
	pu->pu_curcc = prev;
	pcc->pcc_ccflags &= ~PCC_ONCPU;
	pcc->pcc_resumer = NULL;
	if ((pcc->pcc_ccflags & (PCC_DONE | PCC_KEEP)) == PCC_DONE)
		puffs__cc_destroy(pcc);
}

void
puffs_cc_yield(struct puffs_cc *pcc)
{
	if (puffs_fakecc) {
		warnx("puffs_cc_yield: no continuations (puffs_fakecc)");
		abort();
	}
	if (pcc == NULL || pcc->pcc_pu->pu_curcc != pcc) {
		/* Nothing sane can follow: the stacks would be crossed. */
		warnx("puffs_cc_yield: cc %p is not the one running",
		    (void *)pcc);
		abort();
	}
	cc_asan_leave(&pcc->pcc_asan_fake, pcc->pcc_ret_stack,
	    pcc->pcc_ret_stacksize);
	if (swapcontext(&pcc->pcc_uc, &pcc->pcc_uc_ret) == -1)
		abort();
	cc_asan_arrive(pcc->pcc_asan_fake, &pcc->pcc_ret_stack,
	    &pcc->pcc_ret_stacksize);
}

void
puffs_cc_continue(struct puffs_cc *pcc)
{
	if (puffs_fakecc) {
		warnx("puffs_cc_continue: no continuations (puffs_fakecc)");
		return;
	}
	puffs__cc_resume(pcc);
}

/* Resumed by the main loop at the start of its next round. */
void
puffs_cc_schedule(struct puffs_cc *pcc)
{
	struct puffs_usermount *pu = pcc->pcc_pu;

	if (pcc->pcc_ccflags & (PCC_SCHED | PCC_DONE))
		return;
	pcc->pcc_ccflags |= PCC_SCHED;
	TAILQ_INSERT_TAIL(&pu->pu_sched, pcc, pcc_schedent);
}

/*
 * Runs what was scheduled before this call; a cc that schedules itself
 * again waits for the next round, so that the loop still polls its fds.
 */
void
puffs__cc_runsched(struct puffs_usermount *pu)
{
	TAILQ_HEAD(, puffs_cc) now = TAILQ_HEAD_INITIALIZER(now);
	struct puffs_cc *pcc;

	TAILQ_CONCAT(&now, &pu->pu_sched, pcc_schedent);
	while ((pcc = TAILQ_FIRST(&now)) != NULL) {
		TAILQ_REMOVE(&now, pcc, pcc_schedent);
		pcc->pcc_ccflags &= ~PCC_SCHED;
		puffs__cc_resume(pcc);
	}
}

int
puffs__cc_havesched(struct puffs_usermount *pu)
{
	return !TAILQ_EMPTY(&pu->pu_sched);
}

/* NULL outside a request, as the manual promises. */
struct puffs_cc *
puffs_cc_getcc(struct puffs_usermount *pu)
{
	return pu->pu_curcc;
}

int
puffs_cc_getcaller(struct puffs_cc *pcc, pid_t *pid, lwpid_t *lid)
{
	if (pcc == NULL || pcc->pcc_pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	if (pid != NULL)
		*pid = pcc->pcc_pid;
	if (lid != NULL)
		*lid = pcc->pcc_lid;
	return 0;
}

/*
 * As NetBSD: at least four pages, a power of two (rounded up), and only
 * before the mount; PUFFS_STACKSIZE_MIN asks for the minimum quietly.
 */
void
puffs_setstacksize(struct puffs_usermount *pu, size_t ss)
{
	size_t minsize = 4 * (size_t)sysconf(_SC_PAGESIZE);
	int shift;

	if (pu->pu_state != PUFFS_STATE_BEFOREMOUNT) {
		warnx("puffs_setstacksize: ignored after mount");
		return;
	}
	if (ss == PUFFS_STACKSIZE_MIN)
		ss = minsize;
	if (ss < minsize) {
		warnx("puffs_setstacksize: %zu is below the minimum, "
		    "using %zu", ss, minsize);
		ss = minsize;
	}
	if (ss > PUFFS_CC_MAXSTACK) {
		warnx("puffs_setstacksize: %zu is too large, using %zu",
		    ss, PUFFS_CC_MAXSTACK);
		ss = PUFFS_CC_MAXSTACK;
	}
	for (shift = 0; ((size_t)1 << shift) < ss; shift++)
		continue;
	if (((size_t)1 << shift) != ss)
		warnx("puffs_setstacksize: %zu is not a power of two, "
		    "using %zu", ss, (size_t)1 << shift);
	pu->pu_cc_stackshift = shift;
}
