/*
 * vnlock.h: per-node reader/writer locks with NetBSD vnode-lock meaning:
 * shared for reads (READ, GETATTR), exclusive for what changes a node
 * (WRITE, SETATTR, INACTIVE), so that GETATTR never overlaps a size
 * change.  Nothing blocks: a request that cannot have the lock waits in a
 * FIFO and its callback runs when it is granted (writers are not starved:
 * a shared request queues behind any waiter).  Only ops on the same node
 * wait for each other; an op that needs two nodes takes them in node-id
 * order (vnlock_order), so no cycle can form.  Pure code for the event
 * loop and the unit tests; the vnops call it through vn_lock().
 */
#ifndef PUFFSD_VNLOCK_H
#define PUFFSD_VNLOCK_H

#include <stdbool.h>
#include <stdint.h>

enum vnlock_mode {
	VNLOCK_SHARED,
	VNLOCK_EXCL,
};

typedef void (*vnlock_fn)(void *arg);

struct vnlocks;

struct vnlocks	*vnlock_new(void);
void		 vnlock_free(struct vnlocks *);
void		 vnlock_acquire(struct vnlocks *, uint64_t, enum vnlock_mode,
		    vnlock_fn, void *);
void		 vnlock_release(struct vnlocks *, uint64_t, enum vnlock_mode);
bool		 vnlock_cancel(struct vnlocks *, uint64_t, void *);
unsigned int	 vnlock_count(struct vnlocks *);
bool		 vnlock_order(uint64_t, uint64_t);

#endif
