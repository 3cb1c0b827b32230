/*
 * test_framev.c: the libpuffs event framework inside the real
 * puffs_mainloop(), against a peer thread on the other end of a
 * socketpair.  Frames are [u32 length][u32 id][payload]; answers are
 * matched by id through cmpframe, id 0 is an unsolicited frame.  The
 * socket to puffsd is a second socketpair whose far end stays silent.
 */
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "puffs_priv.h"

#define NREQ	20
#define HDRLEN	8

static struct puffs_usermount *pu;
static int kern[2], back[2];
static pthread_t peer;
static double deadline;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- framing, as a server would write it ---- */

static int
rframe(struct puffs_usermount *u, struct puffs_framebuf *pb, int fd,
    int *done)
{
	size_t have, want;
	uint32_t len;
	void *win;
	ssize_t n;

	(void)u;
	for (;;) {
		have = puffs_framebuf_telloff(pb);
		want = HDRLEN;
		if (have >= 4) {
			puffs_framebuf_getdata_atoff(pb, 0, &len, 4);
			if (len < HDRLEN || len > 1 << 20)
				return EPROTO;
			want = len;
		}
		if (have == want && have >= HDRLEN) {
			puffs_framebuf_seekset(pb, HDRLEN);
			*done = 1;
			return 0;
		}
		if (have < 4)
			want = 4;
		want -= have;
		if (puffs_framebuf_getwindow(pb, have, &win, &want) == -1)
			return errno;
		n = read(fd, win, want);
		if (n == 0)
			return ECONNRESET;
		if (n == -1)
			return errno == EAGAIN ? 0 : errno;
		puffs_framebuf_seekset(pb, have + (size_t)n);
	}
}

static int
wframe(struct puffs_usermount *u, struct puffs_framebuf *pb, int fd,
    int *done)
{
	size_t off, len;
	void *win;
	ssize_t n;

	(void)u;
	for (;;) {
		off = puffs_framebuf_telloff(pb);
		len = puffs_framebuf_tellsize(pb) - off;
		if (len == 0) {
			*done = 1;
			return 0;
		}
		if (puffs_framebuf_getwindow(pb, off, &win, &len) == -1)
			return errno;
		n = send(fd, win, len, MSG_NOSIGNAL);
		if (n == -1)
			return errno == EAGAIN ? 0 : errno;
		puffs_framebuf_seekset(pb, off + (size_t)n);
	}
}

static uint32_t
frameid(struct puffs_framebuf *pb)
{
	uint32_t id = 0;

	puffs_framebuf_getdata_atoff(pb, 4, &id, 4);
	return id;
}

static int
cframe(struct puffs_usermount *u, struct puffs_framebuf *in,
    struct puffs_framebuf *cand, int *notresp)
{
	(void)u;
	if (frameid(in) == 0) {
		*notresp = 1;
		return -1;
	}
	return frameid(in) == frameid(cand) ? 0 : 1;
}

static int ngot;

static void
gotframe(struct puffs_usermount *u, struct puffs_framebuf *pb)
{
	(void)u;
	ck_assert_uint_eq(frameid(pb), 0);
	ngot++;
	puffs_framebuf_destroy(pb);
}

static int notified;

/* End the loop when the backend goes away, as a server would. */
static void
fdnotify(struct puffs_usermount *u, int fd, int what)
{
	notified |= what;
	puffs_framev_removefd(u, fd, 0);
	u->pu_state = PUFFS_STATE_UNMOUNTED;
}

static void
mkframe(struct puffs_framebuf *pb, uint32_t id, const char *payload)
{
	uint32_t len = HDRLEN + (uint32_t)strlen(payload);

	puffs_framebuf_recycle(pb);
	puffs_framebuf_putdata(pb, &len, 4);
	puffs_framebuf_putdata(pb, &id, 4);
	puffs_framebuf_putdata(pb, payload, strlen(payload));
}

/* ---- the peer (blocking I/O on back[1]) ---- */

static int
peer_read(int fd, uint32_t *id, char *payload, size_t size)
{
	uint32_t len;

	if (recv(fd, &len, 4, MSG_WAITALL) != 4 ||
	    recv(fd, id, 4, MSG_WAITALL) != 4 || len < HDRLEN ||
	    len - HDRLEN >= size)
		return -1;
	if (len > HDRLEN && recv(fd, payload, len - HDRLEN, MSG_WAITALL) !=
	    (ssize_t)(len - HDRLEN))
		return -1;
	payload[len - HDRLEN] = '\0';
	return 0;
}

static void
peer_write(int fd, uint32_t id, const char *payload)
{
	uint32_t len = HDRLEN + (uint32_t)strlen(payload);

	send(fd, &len, 4, MSG_NOSIGNAL);
	send(fd, &id, 4, MSG_NOSIGNAL);
	send(fd, payload, strlen(payload), MSG_NOSIGNAL);
}

static int peer_nread;

/* Reads every question before answering any, answers in reverse. */
static void *
peer_reverse(void *arg)
{
	uint32_t ids[NREQ], id;
	char buf[64], ans[64];
	int i;

	(void)arg;
	for (i = 0; i < NREQ; i++) {
		if (peer_read(back[1], &id, buf, sizeof(buf)) == -1)
			break;
		ids[i] = id;
		peer_nread++;
	}
	peer_write(back[1], 0, "unsolicited");
	while (--i >= 0) {
		snprintf(ans, sizeof(ans), "ans %u", ids[i]);
		peer_write(back[1], ids[i], ans);
	}
	close(back[1]);
	return NULL;
}

/* Echoes each frame back as is, until EOF. */
static void *
peer_echo(void *arg)
{
	uint32_t id;
	char buf[64];

	(void)arg;
	while (peer_read(back[1], &id, buf, sizeof(buf)) == 0)
		peer_write(back[1], id, buf);
	close(back[1]);
	return NULL;
}

/* Reads two frames, then closes without answering. */
static void *
peer_hangup(void *arg)
{
	uint32_t id;
	char buf[64];

	(void)arg;
	if (peer_read(back[1], &id, buf, sizeof(buf)) == 0 && id == 4)
		(void)peer_read(back[1], &id, buf, sizeof(buf));
	close(back[1]);
	return NULL;
}

/* Writes one byte after a pause, then waits for EOF. */
static void *
peer_poke(void *arg)
{
	char c;

	(void)arg;
	usleep(50000);
	(void)write(back[1], "x", 1);
	while (read(back[1], &c, 1) > 0)
		continue;
	close(back[1]);
	return NULL;
}

/* ---- fixture ---- */

static void
setup(void)
{
	struct puffs_ops *ops;
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	PUFFSOP_INIT(ops);
	pu = puffs_init(ops, "test", "test", NULL, 0);
	ck_assert_ptr_nonnull(pu);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, kern), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, back), 0);
	fcntl(back[0], F_SETFL, O_NONBLOCK);
	/* Mounted, as far as the library can tell. */
	pu->pu_fd = kern[0];
	pu->pu_state = PUFFS_STATE_RUNNING;
	puffs_framev_init(pu, rframe, wframe, cframe, gotframe, fdnotify);
	ck_assert_int_eq(puffs_framev_addfd(pu, back[0],
	    PUFFS_FBIO_READ | PUFFS_FBIO_WRITE), 0);
	puffs_ml_settimeout(pu, &ts);
	deadline = now() + 10;
	ngot = notified = peer_nread = 0;
}

static void
run(void *(*peerfn)(void *), puffs_ml_loop_fn lfn)
{
	ck_assert_int_eq(pthread_create(&peer, NULL, peerfn, NULL), 0);
	puffs_ml_setloopfn(pu, lfn);
	/* The historical form; the servers' tests use the modern one. */
	ck_assert_int_eq(puffs_mainloop(pu, PUFFSLOOP_NODAEMON), 0);
	ck_assert_msg(now() < deadline, "the loop hung");
	pthread_join(peer, NULL);
	close(back[0]);
	close(kern[1]);
}

/* Gives up on a hang instead of waiting for Check's timeout. */
static void
watchdog(struct puffs_usermount *u)
{
	if (now() > deadline)
		u->pu_state = PUFFS_STATE_UNMOUNTED;
}

static struct puffs_cc *
start(void (*fn)(struct puffs_cc *))
{
	struct puffs_cc *pcc = puffs__cc_create(pu, NULL, 0);

	ck_assert_int_eq(puffs__cc_start(pcc, fn), 0);
	return pcc;
}

/* ---- many questions in flight, answers matched by cmpframe ---- */

static int nanswered, maxinflight, inflight;
static uint32_t nextid;

static void
asker(struct puffs_cc *pcc)
{
	struct puffs_framebuf *pb = puffs_framebuf_make();
	uint32_t id = ++nextid;
	char want[32], got[32] = "";
	size_t n;

	snprintf(want, sizeof(want), "ans %u", id);
	mkframe(pb, id, "question");
	inflight++;
	if (inflight > maxinflight)
		maxinflight = inflight;
	ck_assert_int_eq(puffs_framev_enqueue_cc(pcc, back[0], pb, 0), 0);
	inflight--;
	ck_assert_uint_eq(frameid(pb), id);
	n = puffs_framebuf_remaining(pb);
	ck_assert_uint_lt(n, sizeof(got));
	ck_assert_int_eq(puffs_framebuf_getdata(pb, got, n), 0);
	ck_assert_str_eq(got, want);
	puffs_framebuf_destroy(pb);
	nanswered++;
}

static void
start_askers(struct puffs_usermount *u)
{
	int i;

	watchdog(u);
	if (nextid != 0)
		return;
	for (i = 0; i < NREQ; i++)
		start(asker);
}

START_TEST(test_cmp_matching_inflight)
{
	nanswered = maxinflight = inflight = 0;
	nextid = 0;
	run(peer_reverse, start_askers);
	ck_assert_int_eq(peer_nread, NREQ);
	ck_assert_int_eq(maxinflight, NREQ);
	ck_assert_int_eq(nanswered, NREQ);
	ck_assert_int_eq(ngot, 1);
	ck_assert_int_eq(notified & PUFFS_FBIO_READ, PUFFS_FBIO_READ);
}
END_TEST

/* ---- directsend and directreceive ---- */

static int direct_ok;

static void
direct(struct puffs_cc *pcc)
{
	struct puffs_framebuf *pb = puffs_framebuf_make();
	char got[16] = "";

	mkframe(pb, 7, "ping");
	ck_assert_int_eq(puffs_framev_enqueue_directsend(pcc, back[0], pb, 0),
	    0);
	/* URGENT is refused for directsend, not an abort. */
	ck_assert_int_eq(puffs_framev_enqueue_directsend(pcc, back[0], pb,
	    PUFFS_FBQUEUE_URGENT), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	puffs_framebuf_recycle(pb);
	ck_assert_int_eq(puffs_framev_enqueue_directreceive(pcc, back[0], pb,
	    0), 0);
	ck_assert_uint_eq(frameid(pb), 7);
	ck_assert_int_eq(puffs_framebuf_getdata(pb, got, 4), 0);
	ck_assert_str_eq(got, "ping");
	puffs_framebuf_destroy(pb);
	direct_ok = 1;
	/* Done: hang up, the peer sees EOF and the loop ends. */
	shutdown(back[0], SHUT_WR);
}

static void
start_direct(struct puffs_usermount *u)
{
	static int started;

	watchdog(u);
	if (!started++)
		start(direct);
}

START_TEST(test_direct)
{
	direct_ok = 0;
	run(peer_echo, start_direct);
	ck_assert_int_eq(direct_ok, 1);
	ck_assert_int_eq(ngot, 0);
}
END_TEST

/* ---- enqueue_cb, justsend; errors when the peer hangs up ---- */

static int cb_error = -1;

static void
cb(struct puffs_usermount *u, struct puffs_framebuf *pb, void *arg,
    int error)
{
	(void)u;
	ck_assert_ptr_eq(arg, &cb_error);
	cb_error = error;
	puffs_framebuf_destroy(pb);
}

static void
send_cb(struct puffs_usermount *u)
{
	static int sent;
	struct puffs_framebuf *pb;

	watchdog(u);
	if (sent++)
		return;
	pb = puffs_framebuf_make();
	mkframe(pb, 3, "never answered");
	ck_assert_int_eq(puffs_framev_enqueue_cb(u, back[0], pb, cb,
	    &cb_error, 0), 0);
	pb = puffs_framebuf_make();
	mkframe(pb, 4, "fire and forget");
	ck_assert_int_eq(puffs_framev_enqueue_justsend(u, back[0], pb, 0,
	    PUFFS_FBQUEUE_URGENT), 0);
	/* Unknown descriptors are refused. */
	ck_assert_int_eq(puffs_framev_enqueue_justsend(u, 9999, pb, 0, 0),
	    -1);
	ck_assert_int_eq(errno, EINVAL);
}

START_TEST(test_cb_hangup)
{
	cb_error = -1;
	run(peer_hangup, send_cb);
	ck_assert_int_eq(cb_error, ECONNRESET);
	ck_assert_int_eq(notified & PUFFS_FBIO_READ, PUFFS_FBIO_READ);
}
END_TEST

/* ---- waitevent, and removefd failing a waiter ---- */

static int waited, removed_err;

static void
waiter(struct puffs_cc *pcc)
{
	int what = PUFFS_FBIO_READ;

	ck_assert_int_eq(puffs_framev_enqueue_waitevent(pcc, back[0], &what),
	    0);
	ck_assert_int_eq(what, PUFFS_FBIO_READ);
	waited = 1;
	/* The byte is still there: read was disabled, nobody took it. */
	what = 0;
	ck_assert_int_eq(puffs_framev_enqueue_waitevent(pcc, back[0], &what),
	    -1);
	ck_assert_int_eq(errno, EINVAL);
}

static void
question_then_removed(struct puffs_cc *pcc)
{
	struct puffs_framebuf *pb = puffs_framebuf_make();

	mkframe(pb, 9, "q");
	ck_assert_int_eq(puffs_framev_enqueue_cc(pcc, back[0], pb, 0), -1);
	removed_err = errno;
	puffs_framebuf_destroy(pb);
}

static void
start_waiter(struct puffs_usermount *u)
{
	static int step;
	char c;

	watchdog(u);
	if (step == 0) {
		step = 1;
		start(waiter);
		start(question_then_removed);
	} else if (step == 1 && waited) {
		step = 2;
		ck_assert_int_eq(read(back[0], &c, 1), 1);
		ck_assert_int_eq(puffs_framev_removefd(u, back[0], 0), 0);
		ck_assert_int_eq(puffs_framev_removefd(u, back[0], 0), -1);
		ck_assert_int_eq(errno, ENXIO);
		shutdown(back[0], SHUT_RDWR);
		u->pu_state = PUFFS_STATE_UNMOUNTED;
	}
}

START_TEST(test_waitevent_removefd)
{
	waited = removed_err = 0;
	ck_assert_int_eq(puffs_framev_disablefd(pu, back[0], PUFFS_FBIO_READ),
	    0);
	ck_assert_int_eq(puffs_framev_disablefd(pu, 12345, PUFFS_FBIO_READ),
	    -1);
	ck_assert_int_eq(errno, ENXIO);
	run(peer_poke, start_waiter);
	ck_assert_int_eq(waited, 1);
	ck_assert_int_eq(removed_err, ECONNRESET);
	/* removefd, not a hangup: fdnotify ran for both sides. */
	ck_assert_int_eq(notified, PUFFS_FBIO_READ | PUFFS_FBIO_WRITE);
}
END_TEST

/* ---- ccpromote of a justsend buffer; EBUSY when not queued ---- */

static int promoted_ok;

static void
promoter(struct puffs_cc *pcc)
{
	struct puffs_framebuf *pb = puffs_framebuf_make(), *idle;
	char got[16] = "";

	idle = puffs_framebuf_make();
	ck_assert_int_eq(puffs_framev_framebuf_ccpromote(idle, pcc), -1);
	ck_assert_int_eq(errno, EBUSY);
	puffs_framebuf_destroy(idle);

	mkframe(pb, 5, "lazy");
	ck_assert_int_eq(puffs_framev_enqueue_justsend(pcc->pcc_pu, back[0],
	    pb, 1, 0), 0);
	/* Changed our mind: wait for the answer after all. */
	ck_assert_int_eq(puffs_framev_framebuf_ccpromote(pb, pcc), 0);
	ck_assert_uint_eq(frameid(pb), 5);
	ck_assert_int_eq(puffs_framebuf_getdata(pb, got, 4), 0);
	ck_assert_str_eq(got, "lazy");
	puffs_framebuf_destroy(pb);
	promoted_ok = 1;
	shutdown(back[0], SHUT_WR);
}

static void
start_promoter(struct puffs_usermount *u)
{
	static int started;

	watchdog(u);
	if (!started++)
		start(promoter);
}

START_TEST(test_ccpromote)
{
	promoted_ok = 0;
	run(peer_echo, start_promoter);
	ck_assert_int_eq(promoted_ok, 1);
}
END_TEST

/* ---- scheduled ccs run without any event, even with no timeout ---- */

static int sched_rounds;

static void
scheduler(struct puffs_cc *pcc)
{
	while (sched_rounds < 3) {
		puffs_cc_schedule(pcc);
		puffs_cc_yield(pcc);
		sched_rounds++;
	}
	pcc->pcc_pu->pu_state = PUFFS_STATE_UNMOUNTED;
}

static void
start_scheduler(struct puffs_usermount *u)
{
	static int started;

	(void)u;
	if (!started++)
		start(scheduler);
}

/* The peer stays silent until the server is done. */
static void *
peer_silent(void *arg)
{
	char c;

	(void)arg;
	while (read(back[1], &c, 1) > 0)
		continue;
	close(back[1]);
	return NULL;
}

START_TEST(test_schedule_in_loop)
{
	sched_rounds = 0;
	puffs_ml_settimeout(pu, NULL);
	ck_assert_int_eq(pthread_create(&peer, NULL, peer_silent, NULL), 0);
	puffs_ml_setloopfn(pu, start_scheduler);
	ck_assert_int_eq(puffs_mainloop(pu), 0);
	ck_assert_int_eq(sched_rounds, 3);
	shutdown(back[0], SHUT_RDWR);
	pthread_join(peer, NULL);
	close(back[0]);
	close(kern[1]);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("framev");
	TCase *tc = tcase_create("framev");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_cmp_matching_inflight);
	tcase_add_test(tc, test_direct);
	tcase_add_test(tc, test_cb_hangup);
	tcase_add_test(tc, test_waitevent_removefd);
	tcase_add_test(tc, test_ccpromote);
	tcase_add_test(tc, test_schedule_in_loop);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
