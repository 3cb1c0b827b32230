/*
 * dump.c: PUFFS_FLAG_OPDUMP, the library's trace of every request it
 * serves and the answer it gives, through the <puffsdump.h> printers as
 * NetBSD does.  Called by dispatcher.c only.
 */
#include "puffs_priv.h"
#include "puffsdump.h"

void
puffs__dump_req(const struct puffs_req *preq, size_t len)
{
	(void)len;
	puffsdump_req((struct puffs_req *)(uintptr_t)preq);
}

void
puffs__dump_rv(const struct puffs_req *preq)
{
	puffsdump_rv((struct puffs_req *)(uintptr_t)preq);
}
