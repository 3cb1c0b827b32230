/*
 * fuzz_peer.c: libFuzzer target for puffsd's framing of the server's byte
 * stream (peer.c): the input is written to one end of a socketpair, the
 * peer reads the other end through libevent until it sees EOF or gives up
 * on a bad length.  Every frame handed out must be exactly as long as its
 * header says and within the maximum.
 *
 * Input: byte 0 scales the maximum frame length (so that the "frame over
 * the maximum" path is reached with short inputs); the rest is the stream.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <glib.h>

#include <puffs-bridge/puffs_msgif.h>

#include "peer.h"

#include "fuzz.h"

struct fz_state {
	struct event_base	*base;
	size_t			 maxlen;
	bool			 lost;
};

static volatile uint8_t fz_sink;

static void
fz_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct fz_state *st = arg;
	struct putter_hdr hdr;
	uint8_t x = 0;
	size_t i;

	if (len < sizeof(hdr) || len > st->maxlen)
		__builtin_trap();
	memcpy(&hdr, frame, sizeof(hdr));
	if (hdr.pth_framelen != len)
		__builtin_trap();
	for (i = 0; i < len; i++)
		x ^= frame[i];
	fz_sink ^= x;
}

static void
fz_lost(void *arg, const char *why)
{
	struct fz_state *st = arg;

	(void)why;
	if (st->lost)
		__builtin_trap();	/* the lost callback runs once */
	st->lost = true;
	event_base_loopbreak(st->base);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_state st = { 0 };
	struct peer *p;
	int sv[2], bufsz = 4 * 1024 * 1024;
	ssize_t n;

	if (size < 1 || size > 1024 * 1024)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		__builtin_trap();
	(void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	(void)setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	st.maxlen = data[0] == 0 ? PUFFS_MSG_MAXSIZE :
	    sizeof(struct puffs_req) + (size_t)data[0] * 16;
	st.base = event_base_new();
	/* Whatever fits in the socket buffers is the stream. */
	n = send(sv[1], data + 1, size - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	(void)n;
	shutdown(sv[1], SHUT_WR);
	p = peer_new(st.base, sv[0], st.maxlen, fz_frame, fz_lost, &st);
	event_base_dispatch(st.base);
	if (!st.lost)
		__builtin_trap();
	peer_close(p);
	close(sv[1]);
	event_base_free(st.base);
	return 0;
}
