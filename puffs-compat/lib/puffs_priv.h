/*
 * puffs_priv.h: what the library's files share and servers never see: the
 * layouts behind the opaque types of <puffs.h> and the puffs__* helpers.
 * Included only by the library sources in puffs-compat/lib.
 */
#ifndef PUFFS_COMPAT_PUFFS_PRIV_H
#define PUFFS_COMPAT_PUFFS_PRIV_H

#include <sys/queue.h>
#include <stddef.h>
#include <stdint.h>

#include "puffs.h"

/* A credential: a validated copy of the wire record. */
struct puffs_cred {
	struct puffs_kcred	pcr_kcred;
};

/*
 * Where the new-node answers go: pointers into the reply frame, NULL for
 * the fields the current op does not carry (the setters then do nothing).
 */
struct puffs_newinfo {
	uint64_t		*pni_cookie;
	uint32_t		*pni_vtype;
	int64_t			*pni_size;
	uint64_t		*pni_rdev;
	struct puffs_kvattr	*pni_va;
	struct puffs_ktimespec	*pni_va_ttl;
	struct puffs_ktimespec	*pni_cn_ttl;
};

/*
 * One request being served: the frame (rewritten in place as the reply)
 * and everything a handler needs.  All per-request state lives here and
 * nowhere on the main loop's stack, so that a continuation can carry it
 * once requests may yield.
 */
struct puffs_cc {
	struct puffs_usermount	*pcc_pu;
	uint8_t			*pcc_buf;	/* the frame */
	size_t			pcc_framelen;	/* bytes received */
	size_t			pcc_bufsize;	/* bytes allocated */
	size_t			pcc_replylen;	/* bytes to send back */
	pid_t			pcc_pid;
	lwpid_t			pcc_lid;
	int			pcc_flags;
	struct puffs_cred	pcc_cred[2];	/* rename has two */
	struct puffs_cn		pcc_pcn[2];
	struct puffs_newinfo	pcc_pni;
};
#define PCC_SETBACKOK	0x01	/* this op may carry setbacks */

/* A frame waiting to be written to puffsd. */
struct puffs_outframe {
	STAILQ_ENTRY(puffs_outframe) pof_entries;
	uint8_t			*pof_buf;
	size_t			pof_len;
	size_t			pof_off;
};

struct puffs_usermount {
	struct puffs_ops	pu_ops;
	struct puffs_kargs	pu_kargs;
	uint32_t		pu_flags;	/* library part of pflags */
	int			pu_state;
	int			pu_fd;		/* the socket to puffsd */
	void			*pu_privdata;
	struct puffs_node	*pu_pn_root;
	LIST_HEAD(, puffs_node)	pu_pnodelst;

	pu_errnotify_fn		pu_errnotify;
	pu_prepost_fn		pu_oppre;
	pu_prepost_fn		pu_oppost;
	pu_cmap_fn		pu_cmap;

	size_t			pu_maxreqlen;	/* asked for, before mount */
	uint64_t		pu_maxmsglen;	/* granted by puffsd */
	int			pu_dpipe;	/* puffs_daemon parent, or -1 */
	pid_t			pu_puffsd;	/* puffsd we started, or 0 */
	uint64_t		pu_nextid;	/* ids of our own requests */
	struct puffs_cc		*pu_curcc;	/* request being served */

	/* input: the frame being assembled */
	uint8_t			*pu_inbuf;
	size_t			pu_inlen;	/* bytes in pu_inbuf */
	size_t			pu_insize;	/* bytes wanted */
	struct putter_hdr	pu_inhdr;

	STAILQ_HEAD(, puffs_outframe) pu_outq;
};

/* transport.c */
int	puffs__transport_attach(struct puffs_usermount *, int *);
int	puffs__transport_writeall(int, const void *, size_t);
int	puffs__transport_readall(int, void *, size_t);
int	puffs__transport_read(struct puffs_usermount *);
void	puffs__transport_enqueue(struct puffs_usermount *, uint8_t *, size_t);
int	puffs__transport_flush(struct puffs_usermount *);
int	puffs__transport_pending(struct puffs_usermount *);
void	puffs__transport_free(struct puffs_usermount *);

/* puffs.c */
int	puffs__sendsrvreq(struct puffs_usermount *, int);

/* dispatcher.c */
void	puffs__dispatch(struct puffs_usermount *, uint8_t *, size_t);
void	puffs__vnopmask(const struct puffs_ops *, uint8_t *);
const char *puffs__opname(const struct puffs_req *);

/* callcontext.c */
struct puffs_cc *puffs__cc_create(struct puffs_usermount *, uint8_t *,
    size_t);
void	puffs__cc_destroy(struct puffs_cc *);

/* creds.c */
void	puffs__cred_load(struct puffs_cred *, const struct puffs_kcred *);

/* subr.c */
void	puffs__kvattr_to_vattr(struct vattr *, const struct puffs_kvattr *);
void	puffs__vattr_to_kvattr(struct puffs_kvattr *, const struct vattr *);
void	puffs__kstatvfs_to_statvfs(struct puffs_statvfs *,
    const struct puffs_kstatvfs *);
void	puffs__statvfs_to_kstatvfs(struct puffs_kstatvfs *,
    const struct puffs_statvfs *);

/* pnode.c */
struct puffs_node *puffs__cmap(struct puffs_usermount *, puffs_cookie_t);

#define PUFFS__COOKIE(c)	((puffs_cookie_t)(uintptr_t)(c))
#define PUFFS__KCOOKIE(c)	((uint64_t)(uintptr_t)(c))

#endif /* PUFFS_COMPAT_PUFFS_PRIV_H */
