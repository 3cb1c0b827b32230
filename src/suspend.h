/*
 * suspend.h: the mount's suspension, NetBSD's vfs_suspend/puffs_vfsop_
 * suspendctl as puffsd plays it: NORMAL -> SUSPENDING -> SUSPENDED ->
 * NORMAL, the START / SUSPENDED / ERROR / RESUME notices to the server,
 * the gate that parks new requests, the drain of the ones in flight, and
 * the flush of dirty data (through the pmp_suspendflush hook).  Pure code: msg.c
 * calls the gate and the drain check, control.c and main.c drive it, the
 * unit tests run it without a socket.
 */
#ifndef PUFFSD_SUSPEND_H
#define PUFFSD_SUSPEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reqtab.h"

struct puffs_mount;

enum suspend_state {
	SUSPEND_NORMAL = 0,
	SUSPEND_SUSPENDING,	/* gate closed, draining and flushing */
	SUSPEND_SUSPENDED,	/* gate closed, everything delivered */
};

const char	*suspend_state_name(enum suspend_state);
int		 suspend_start(struct puffs_mount *, bool);
void		 suspend_flushed(struct puffs_mount *, int);
int		 suspend_resume(struct puffs_mount *);
int		 suspend_abort(struct puffs_mount *, int);
bool		 suspend_park(struct puffs_mount *, uint8_t *, size_t,
		    uint64_t, msg_done_fn, void *);
void		 suspend_check(struct puffs_mount *);
void		 suspend_userdead(struct puffs_mount *);
unsigned int	 suspend_nparked(const struct puffs_mount *);

#endif
