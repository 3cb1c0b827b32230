/*
 * peer.h: the socket to the puffs server.  Frames are cut by pth_framelen
 * and bounded; outgoing frames wait in a queue written when the socket is
 * writable.  EOF, a read or write error, or a frame over the maximum makes
 * the peer dead: the lost callback runs once and nothing more is read or
 * written.  Used by main.c.
 */
#ifndef PUFFSD_PEER_H
#define PUFFSD_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct peer;

typedef void (*peer_frame_fn)(void *, const uint8_t *, size_t);
typedef void (*peer_lost_fn)(void *, const char *);

struct peer	*peer_new(struct event_base *, int, size_t, peer_frame_fn,
		    peer_lost_fn, void *);
void		 peer_send(void *, uint8_t *, size_t);
bool		 peer_unqueue(void *, uint64_t);
int		 peer_close(struct peer *);
int		 peer_recv_sync(int, size_t, uint8_t **, size_t *);
int		 peer_send_sync(int, const uint8_t *, size_t);

#endif
