/*
 * puffsd.h: the daemon's process-wide state and the entry points main.c
 * and fuse.c call in each other.  Only main.c and fuse.c include it.
 */
#ifndef PUFFSD_PUFFSD_H
#define PUFFSD_PUFFSD_H

#include <stdbool.h>
#include <sys/types.h>

#include "mount.h"

struct event_base;
struct event;
struct fuse_session;
struct peer;

enum puffsd_phase {
	PHASE_SERVING,		/* mounted, relaying */
	PHASE_UNMOUNTING,	/* SYNC/UNMOUNT handshake with the server */
	PHASE_DONE,		/* leaving the loop */
};

struct puffsd {
	struct event_base	*pd_base;
	struct puffs_mount	 pd_mount;
	struct peer		*pd_peer;
	struct fuse_session	*pd_se;
	struct event		*pd_fuseev;
	struct event		*pd_timer;	/* bounds the handshake */
	struct event		*pd_sigev[4];
	bool			 pd_mounted;	/* the FUSE mount is ours */
	bool			 pd_force;	/* unmount cannot be refused */
	enum puffsd_phase	 pd_phase;
	int			 pd_exitcode;
	pid_t			 pd_child;	/* server, in daemon-first mode */
	int			 pd_srvstatus;	/* its exit status, once known */
};

/* fuse.c */
int	fuse_attach(struct puffsd *, const char *, bool, char *, size_t);
void	fuse_listen(struct puffsd *);
void	fuse_drain(struct puffsd *);
void	fuse_detach(struct puffsd *);

/* main.c */
void	puffsd_sessionend(struct puffsd *);

#endif
