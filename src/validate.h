/*
 * validate.h: checks of the server's replies that go beyond their sizes
 * (frame.c's getters check those): errno range, node types and sizes,
 * cookies handed out, names, resid growth, readlink results.  Pure code,
 * shared by the vnops and the unit tests.  A failed check fills a vbad
 * with the PUFFS_ERR_* notice to send, the errno for it and a reason; the
 * caller passes them to msg_badreply(), which fails the request.
 */
#ifndef PUFFSD_VALIDATE_H
#define PUFFSD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <puffs-bridge/puffs_msgif.h>

struct vbad {
	int	vb_type;	/* PUFFS_ERR_* */
	int	vb_error;	/* the errno the notice carries */
	bool	vb_count;	/* the server counted the hand-out anyway */
	char	vb_why[160];
};

int	validate_errno(int32_t, struct vbad *);
int	validate_vtype(uint32_t);
int	validate_lookup(const struct puffs_vnmsg_lookup *, uint64_t,
	    struct vbad *);
int	validate_newnode(uint64_t, uint64_t, bool, struct vbad *);
int	validate_name(const char *, size_t);
int	validate_resid(uint64_t, uint64_t);
int	validate_readlink(const struct puffs_vnmsg_readlink *, struct vbad *);

#endif
