/*
 * puffsd.h: the daemon's process-wide state and the entry points main.c,
 * fuse.c, control.c and sync.c call in each other.  Only they include it.
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
struct control;
struct syncer;

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
	pid_t			 pd_serverpid;	/* server, by SO_PEERCRED */
	bool			 pd_byctl;	/* unmount asked by puffsctl */
	struct control		*pd_ctl;	/* control socket, or NULL */
	struct syncer		*pd_syncer;
	unsigned int		 pd_syncinterval; /* s between lazy syncs */
	unsigned int		 pd_suspendlimit; /* s a suspension may last */
};

/* fuse.c */
int	fuse_attach(struct puffsd *, const char *, bool, char *, size_t);
void	fuse_listen(struct puffsd *);
void	fuse_drain(struct puffsd *);
void	fuse_detach(struct puffsd *);

/* main.c */
void	puffsd_sessionend(struct puffsd *);
void	puffsd_ctlunmount(struct puffsd *, bool);

/* control.c */
void	control_open(struct puffsd *);
void	control_suspendchg(struct puffsd *, enum suspend_state, int);
void	control_unmounted(struct puffsd *, int, const char *);
void	control_close(struct puffsd *);

/* sync.c */
void	sync_init(struct puffsd *);
void	sync_fini(struct puffsd *);

/* stale.c */
void	stale_clean(const char *);

#endif
