/*
 * callcontext.c: struct puffs_cc, one request being served.  For now every
 * request runs to completion on the main loop's stack; the continuations
 * of NetBSD (yield, continue, schedule on ucontext) will live here and
 * only here.  Called by the dispatcher and by servers (getcc, getcaller).
 */
#include <errno.h>
#include <stdlib.h>

#include "puffs_priv.h"

struct puffs_cc *
puffs__cc_create(struct puffs_usermount *pu, uint8_t *buf, size_t framelen)
{
	struct puffs_cc *pcc;

	pcc = calloc(1, sizeof(*pcc));
	if (pcc == NULL)
		return NULL;
	pcc->pcc_pu = pu;
	pcc->pcc_buf = buf;
	pcc->pcc_framelen = framelen;
	pcc->pcc_bufsize = framelen;
	return pcc;
}

/* Frees the context; the frame, if still attached, goes with it. */
void
puffs__cc_destroy(struct puffs_cc *pcc)
{
	free(pcc->pcc_buf);
	free(pcc);
}

/* NULL outside a request, as the manual promises. */
struct puffs_cc *
puffs_cc_getcc(struct puffs_usermount *pu)
{
	return pu->pu_curcc;
}

int
puffs_cc_getcaller(struct puffs_cc *pcc, pid_t *pid, lwpid_t *lid)
{
	if (pcc == NULL || pcc->pcc_pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	if (pid != NULL)
		*pid = pcc->pcc_pid;
	if (lid != NULL)
		*lid = pcc->pcc_lid;
	return 0;
}
