/*
 * reqtab.h: the puffs requests puffsd is waiting on, by id.  Each entry
 * carries the completion that answers a FUSE request; the table guarantees
 * that completion runs exactly once: on the reply (reqtab_take), or with an
 * error when the server is lost or puffsd shuts down (reqtab_fail_all).
 */
#ifndef PUFFSD_REQTAB_H
#define PUFFSD_REQTAB_H

#include <stddef.h>
#include <stdint.h>

/*
 * error: 0 when frame/len hold the server's reply (valid only during the
 * call), otherwise why there is no reply (ENXIO, EPROTO, ...).
 */
typedef void (*msg_done_fn)(void *arg, int error, const uint8_t *frame,
    size_t len);

struct reqent {
	uint64_t	 re_id;
	uint64_t	 re_buflen;	/* longest reply accepted */
	uint16_t	 re_opclass;
	uint16_t	 re_optype;
	int64_t		 re_start;	/* g_get_monotonic_time() at send */
	msg_done_fn	 re_done;
	void		*re_arg;
};

struct reqtab;

struct reqtab	*reqtab_new(void);
void		 reqtab_free(struct reqtab *);
uint64_t	 reqtab_add(struct reqtab *, uint16_t, uint16_t, uint64_t,
		    msg_done_fn, void *);
struct reqent	*reqtab_take(struct reqtab *, uint64_t);
struct reqent	*reqtab_byarg(struct reqtab *, const void *);
unsigned int	 reqtab_count(struct reqtab *);
void		 reqtab_fail_all(struct reqtab *, int);
unsigned int	 reqtab_expire(struct reqtab *, int64_t, int);

#endif
