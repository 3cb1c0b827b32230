/*
 * mount.h: struct puffs_mount, puffsd's one mount (NetBSD's pmp), and its
 * status machine.  Owned by vfsops.c; msg.c and the vnops read it.  The
 * transport is reached only through pmp_send, so that the unit tests can
 * run the status machine without a socket.
 */
#ifndef PUFFSD_MOUNT_H
#define PUFFSD_MOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include <puffs-bridge/puffs_msgif.h>

#include "suspend.h"

enum pmp_status {
	PUFFSTAT_MOUNTING = 1,	/* mounted, FUSE init not yet done */
	PUFFSTAT_RUNNING = 2,	/* requests flow */
	PUFFSTAT_DYING = 3,	/* server gone or unmount accepted */
};

struct reqtab;
struct nodetab;
struct stats;

struct puffs_mount {
	enum pmp_status		 pmp_status;
	struct puffs_kargs	 pmp_args;	/* validated */
	uint64_t		 pmp_maxmsglen;	/* negotiated */
	uint32_t		 pmp_mntflags;	/* PUFFS_MNT_* */
	char			 pmp_mntpoint[PUFFS_MAXPATHLEN];
	struct reqtab		*pmp_reqtab;
	struct nodetab		*pmp_nodetab;

	/* Queue a frame to the server; takes ownership of the buffer. */
	void			(*pmp_send)(void *, uint8_t *, size_t);
	void			*pmp_sendarg;
	/* Take back an unsent request frame by id (interrupts). */
	bool			(*pmp_unqueue)(void *, uint64_t);
	/* The server asked to be unmounted (puffs_exit). */
	void			(*pmp_srvunmount)(void *);
	void			*pmp_hookarg;
	/* A PUFFSOP_FLUSH frame: 0 if answered later, else the errno. */
	int			(*pmp_flush)(struct puffs_mount *,
				    const struct puffs_flush *);
	uint64_t		 pmp_nsent;	/* frames handed to pmp_send */
	unsigned int		 pmp_reqtimeout; /* seconds, 0: wait forever */

	/* Suspension (suspend.c); the hooks may be NULL. */
	enum suspend_state	 pmp_suspend;
	bool			 pmp_flushing;	/* drained, flush running */
	bool			 pmp_autoresume;
	gint			 pmp_flushpid;	/* flush thread (atomic) */
	GQueue			 pmp_parked;	/* struct parked, in order */
	void			(*pmp_suspendflush)(void *);
	void			(*pmp_suspendchg)(void *, enum suspend_state,
				    int);
	struct stats		*pmp_stats;	/* per-op counts, may be NULL */
};

const char	*pmp_status_name(enum pmp_status);

#endif
