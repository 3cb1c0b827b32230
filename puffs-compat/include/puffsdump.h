/*
 * puffsdump.h: NetBSD's debugging interface for printing puffs requests
 * and replies (what PUFFS_FLAG_OPDUMP shows).  "Debug only, unstable", as
 * on NetBSD; servers rarely include it.  Output goes to standard error.
 * Implemented in libpuffs (puffsdump.c).
 */
#ifndef PUFFS_COMPAT_PUFFSDUMP_H
#define PUFFS_COMPAT_PUFFSDUMP_H

#include <puffs.h>

#ifdef __cplusplus
extern "C" {
#endif

void	puffsdump_req(struct puffs_req *);
void	puffsdump_rv(struct puffs_req *);
void	puffsdump_cookie(puffs_cookie_t, const char *);
void	puffsdump_cn(struct puffs_kcn *);
void	puffsdump_readwrite(struct puffs_req *);
void	puffsdump_readwrite_rv(struct puffs_req *);
void	puffsdump_readdir(struct puffs_req *);
void	puffsdump_readdir_rv(struct puffs_req *);
void	puffsdump_lookup(struct puffs_req *);
void	puffsdump_lookup_rv(struct puffs_req *);
void	puffsdump_create(struct puffs_req *);
void	puffsdump_create_rv(struct puffs_req *);
void	puffsdump_open(struct puffs_req *);
void	puffsdump_attr(struct puffs_req *);
void	puffsdump_targ(struct puffs_req *);

extern const char *puffsdump_vfsop_revmap[];
extern const char *puffsdump_vnop_revmap[];
extern const char *puffsdump_errnot_revmap[];
extern const char *puffsdump_flush_revmap[];
extern const char *puffsdump_cacheop_revmap[];
extern size_t puffsdump_vfsop_count;
extern size_t puffsdump_vnop_count;
extern size_t puffsdump_errnot_count;
extern size_t puffsdump_flush_count;

#ifdef __cplusplus
}
#endif

#endif /* PUFFS_COMPAT_PUFFSDUMP_H */
