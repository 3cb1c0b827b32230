/*
 * cachectl.h: what Linux caches on the server's behalf, and the server's
 * requests to drop it.  Remembers every (directory, name) entry puffsd
 * gave Linux, turns PUFFSOP_FLUSH frames and NOREF setbacks into libfuse
 * cache notifications, and sends those from a worker thread: libfuse
 * forbids them inside a request, and the kernel may need puffsd's loop to
 * complete them (a dirty page written back while it is dropped).  The
 * worker posts each result back to the loop, which answers the server.
 * Started by fuse.c; the vnops call cachectl_remember/cachectl_drop.
 */
#ifndef PUFFSD_CACHECTL_H
#define PUFFSD_CACHECTL_H

#include <stdbool.h>
#include <stdint.h>

#include "mount.h"
#include "nodetab.h"

struct event_base;
struct fuse_session;

void	cachectl_start(struct puffs_mount *, struct fuse_session *,
	    struct event_base *);
bool	cachectl_stop(void);
void	cachectl_remember(struct puffs_mount *, const struct node *,
	    const char *, uint64_t);
void	cachectl_drop(struct puffs_mount *, const struct node *);
void	cachectl_restrict(struct puffs_mount *, const struct node *,
	    void (*)(void *), void *);
int	cachectl_flush(struct puffs_mount *, const struct puffs_flush *);

double	cachectl_entry_ttl(const struct puffs_mount *,
	    const struct puffs_ktimespec *);
double	cachectl_attr_ttl(const struct puffs_mount *,
	    const struct puffs_ktimespec *);
bool	cachectl_negative(const struct puffs_mount *);

/* Pure helpers, for the unit tests. */
int	cachectl_range(int64_t, int64_t, int64_t *, int64_t *);

#endif
