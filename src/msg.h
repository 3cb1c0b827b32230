/*
 * msg.h: puffs messages between puffsd and the server: sending requests
 * (answered or fire-and-forget), dispatching what the server sends, error
 * notices, and the death of the server.  Pure code: the socket is behind
 * pmp_send.  Called by vfsops.c, the vnops and main.c.
 */
#ifndef PUFFSD_MSG_H
#define PUFFSD_MSG_H

#include "frame.h"
#include "mount.h"
#include "reqtab.h"

void	msg_call(struct puffs_mount *, uint8_t *, size_t, uint64_t,
	    msg_done_fn, void *);
void	msg_faf(struct puffs_mount *, uint8_t *, size_t);
void	msg_input(struct puffs_mount *, const uint8_t *, size_t);
int	msg_result(struct puffs_mount *, int, const uint8_t *, size_t);
int	msg_badreply(struct puffs_mount *, int, int, uint64_t, const char *,
	    ...) __attribute__((format(printf, 5, 6)));
void	msg_senderr(struct puffs_mount *, int, int, uint64_t, const char *);
void	msg_userdead(struct puffs_mount *);
void	msg_respond(struct puffs_mount *, const struct puffs_req *, int);
unsigned int msg_expire(struct puffs_mount *, int64_t);

#endif
