/*
 * nodetab.h: the server's cookies and the FUSE node ids puffsd gives them.
 * Node ids only grow and are never reused; the root cookie is FUSE_ROOT_ID
 * (1) and is never retired.  Each node counts the entries Linux holds
 * (fuse_nlookup, returned by forget) and the cookie hand-outs puffsd
 * accepted from the server (puffs_nlookup, returned by RECLAIM).
 */
#ifndef PUFFSD_NODETAB_H
#define PUFFSD_NODETAB_H

#include <stdbool.h>
#include <stdint.h>

#define NODETAB_ROOTID	1	/* FUSE_ROOT_ID, without including fuse */

struct node {
	uint64_t	n_nodeid;
	uint64_t	n_cookie;
	uint64_t	n_fuse_nlookup;
	uint32_t	n_puffs_nlookup;
	uint32_t	n_busy;		/* ops in flight and open handles */
	uint32_t	n_vtype;	/* enum puffs_kvtype */
	uint32_t	n_mode;		/* last st_mode seen; 0: not yet */
	bool		n_root;
	bool		n_used;		/* an op ran since the last INACTIVE */
	bool		n_inactive;	/* INACTIVE in flight */
	bool		n_doinact;	/* INACT setback: owed with IAONDEMAND */
	bool		n_noref;	/* NOREF setback: the server let go */
};

struct nodetab;

struct nodetab	*nodetab_new(uint64_t, uint32_t);
void		 nodetab_free(struct nodetab *);
struct node	*nodetab_root(struct nodetab *);
struct node	*nodetab_byid(struct nodetab *, uint64_t);
struct node	*nodetab_bycookie(struct nodetab *, uint64_t);
struct node	*nodetab_enter(struct nodetab *, uint64_t, uint32_t);
void		 nodetab_hold(struct node *);
bool		 nodetab_rele(struct node *);
bool		 nodetab_forget(struct node *, uint64_t);
bool		 nodetab_idle(const struct node *);
void		 nodetab_retire(struct nodetab *, struct node *);
unsigned int	 nodetab_count(struct nodetab *);

#endif
