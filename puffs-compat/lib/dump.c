/*
 * dump.c: PUFFS_FLAG_OPDUMP, the library's trace of every request it
 * serves and the answer it gives, one line each on stderr (NetBSD prints
 * the same through puffsdump).  Called by dispatcher.c only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "puffs_priv.h"

static const char *
dump_class(const struct puffs_req *preq)
{
	switch (PUFFSOP_OPCLASS(preq->preq_opclass)) {
	case PUFFSOP_VFS:	return "vfs";
	case PUFFSOP_VN:	return "vn";
	case PUFFSOP_CACHE:	return "cache";
	case PUFFSOP_ERROR:	return "error";
	default:		return "other";
	}
}

void
puffs__dump_req(const struct puffs_req *preq, size_t len)
{
	fprintf(stderr, "puffs: req %" PRIu64 " %s %s cookie %#" PRIx64
	    " len %zu%s pid %d\n", (uint64_t)preq->preq_id, dump_class(preq),
	    puffs__opname(preq), (uint64_t)preq->preq_cookie, len,
	    PUFFSOP_WANTREPLY(preq->preq_opclass) ? "" : " (faf)",
	    (int)preq->preq_pid);
}

void
puffs__dump_rv(const struct puffs_req *preq)
{
	fprintf(stderr, "puffs: rv  %" PRIu64 " %s %s: %d%s%s setbacks %#x\n",
	    (uint64_t)preq->preq_id, dump_class(preq), puffs__opname(preq),
	    (int)preq->preq_rv, preq->preq_rv ? " " : "",
	    preq->preq_rv ? strerror((int)preq->preq_rv) : "",
	    (unsigned int)preq->preq_setbacks);
}
