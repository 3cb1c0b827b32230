/*
 * flush.c: the server's requests to drop or push what the kernel caches
 * (puffs_inval_namecache_*, puffs_inval_pagecache_node*,
 * puffs_flush_pagecache_node*).  Each becomes a PUFFSOP_FLUSH frame to
 * puffsd, which turns it into Linux cache notifications from a thread of
 * its own, so a server may call these from inside any callback without
 * deadlocking.  As NetBSD's library does outside a continuation, the call
 * queues the frame and returns; puffsd's answer is read by the main loop
 * and dropped (puffs__dispatch ignores responses).  Called by servers.
 */
#include <errno.h>
#include <stdlib.h>

#include "puffs_priv.h"

static int
puffs_flush_send(struct puffs_usermount *pu, puffs_cookie_t cookie, int op,
    off_t start, off_t end)
{
	struct puffs_flush *pf;

	if (pu->pu_fd == -1 || pu->pu_state != PUFFS_STATE_RUNNING) {
		errno = ENXIO;
		return -1;
	}
	if (start < 0 || end < 0 || (end != 0 && end <= start)) {
		errno = EINVAL;
		return -1;
	}
	pf = calloc(1, sizeof(*pf));
	if (pf == NULL)
		return -1;
	pf->pf_req.preq_pth.pth_framelen = sizeof(*pf);
	pf->pf_req.preq_id = PUFFS_SRVREQ_IDBIT | ++pu->pu_nextid;
	pf->pf_req.preq_opclass = PUFFSOP_FLUSH;
	pf->pf_req.preq_optype = (uint16_t)op;
	pf->pf_req.preq_cookie = PUFFS__KCOOKIE(cookie);
	pf->pf_req.preq_buflen = sizeof(*pf);
	pf->pf_cookie = PUFFS__KCOOKIE(cookie);
	pf->pf_op = op;
	pf->pf_start = start;
	pf->pf_end = end;
	puffs__transport_enqueue(pu, (uint8_t *)pf, sizeof(*pf));
	/* Called outside the loop, nothing else would push it out. */
	if (puffs__transport_flush(pu) == -1)
		return -1;
	return 0;
}

int
puffs_inval_namecache_dir(struct puffs_usermount *pu, puffs_cookie_t cookie)
{
	return puffs_flush_send(pu, cookie, PUFFS_INVAL_NAMECACHE_DIR, 0, 0);
}

int
puffs_inval_namecache_all(struct puffs_usermount *pu)
{
	return puffs_flush_send(pu, NULL, PUFFS_INVAL_NAMECACHE_ALL, 0, 0);
}

int
puffs_inval_pagecache_node(struct puffs_usermount *pu, puffs_cookie_t cookie)
{
	return puffs_flush_send(pu, cookie, PUFFS_INVAL_PAGECACHE_NODE_RANGE,
	    0, 0);
}

int
puffs_inval_pagecache_node_range(struct puffs_usermount *pu,
    puffs_cookie_t cookie, off_t start, off_t end)
{
	return puffs_flush_send(pu, cookie, PUFFS_INVAL_PAGECACHE_NODE_RANGE,
	    start, end);
}

int
puffs_flush_pagecache_node(struct puffs_usermount *pu, puffs_cookie_t cookie)
{
	return puffs_flush_send(pu, cookie, PUFFS_FLUSH_PAGECACHE_NODE_RANGE,
	    0, 0);
}

int
puffs_flush_pagecache_node_range(struct puffs_usermount *pu,
    puffs_cookie_t cookie, off_t start, off_t end)
{
	return puffs_flush_send(pu, cookie, PUFFS_FLUSH_PAGECACHE_NODE_RANGE,
	    start, end);
}
