/*
 * fuzz_srvframe.c: libFuzzer target for frames from the server as puffsd
 * reads them: msg_input() (reply matching through the request table,
 * server-originated requests) and the length-checked getters of frame.c
 * that the completions run, dirent walking included.
 *
 * Input: byte 0 picks the request puffsd is waiting on (a reply kind
 * below), byte 1 holds fix-up bits that make the frame consistent enough
 * to pass the outer checks (so the fuzzer spends its time deeper in), the
 * rest is the frame.  Fix-up fuzzing, as NetBSD's puffs tests do.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "frame.h"
#include "msg.h"
#include "nodetab.h"
#include "reqtab.h"

#include "fuzz.h"

#define FIX_FRAMELEN	0x01	/* pth_framelen = bytes received */
#define FIX_ID		0x02	/* id, opclass and optype of the request */
#define FIX_RV		0x04	/* preq_rv = 0 */

#define ASKED		4096	/* bytes asked by READ and READDIR */

struct kind {
	uint16_t	 opclass;
	uint16_t	 optype;
	size_t		 buflen;
};

static const struct kind kinds[] = {
	{ PUFFSOP_VN, PUFFS_VN_LOOKUP, sizeof(struct puffs_vnmsg_lookup) },
	{ PUFFSOP_VN, PUFFS_VN_CREATE, sizeof(struct puffs_vnmsg_create) },
	{ PUFFSOP_VN, PUFFS_VN_SYMLINK, sizeof(struct puffs_vnmsg_symlink) },
	{ PUFFSOP_VN, PUFFS_VN_OPEN, sizeof(struct puffs_vnmsg_open) },
	{ PUFFSOP_VN, PUFFS_VN_GETATTR, sizeof(struct puffs_vnmsg_getattr) },
	{ PUFFSOP_VFS, PUFFS_VFS_STATVFS,
	    sizeof(struct puffs_vfsmsg_statvfs) },
	{ PUFFSOP_VN, PUFFS_VN_READ, sizeof(struct puffs_vnmsg_rw) + ASKED },
	{ PUFFSOP_VN, PUFFS_VN_WRITE, sizeof(struct puffs_vnmsg_rw) },
	{ PUFFSOP_VN, PUFFS_VN_READDIR,
	    sizeof(struct puffs_vnmsg_readdir) + ASKED },
	{ PUFFSOP_VN, PUFFS_VN_READLINK,
	    sizeof(struct puffs_vnmsg_readlink) },
};

static struct puffs_mount *fz_pmp;
static unsigned int fz_done;
static volatile uint8_t fz_sink;

/* Read every byte a getter handed out: ASan sees any overrun. */
static void
fz_touch(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t x = 0;
	size_t i;

	for (i = 0; i < n; i++)
		x ^= b[i];
	fz_sink ^= x;
}

static void
fz_dirents(const uint8_t *dents, size_t n)
{
	struct frame_dirent de;
	size_t off = 0;

	while (frame_dirent_next(dents, n, &off, &de) == 0) {
		fz_touch(de.name, de.namlen);
		if (off > n)
			__builtin_trap();
	}
}

/* The completion: what each vnop's completion reads of its reply. */
static void
fz_reply(void *arg, int error, const uint8_t *frame, size_t len)
{
	const struct kind *k = arg;
	const void *fixed;
	const uint8_t *data;
	size_t n;

	fz_done++;
	if (msg_result(fz_pmp, error, frame, len) != 0)
		return;
	switch (k->optype | (k->opclass == PUFFSOP_VFS ? 0x8000 : 0)) {
	case PUFFS_VN_READ:
		if (frame_get_read(frame, len, ASKED,
		    (const struct puffs_vnmsg_rw **)&fixed, &data, &n) == 0)
			fz_touch(data, n);
		break;
	case PUFFS_VN_WRITE:
		(void)frame_get_write(frame, len, ASKED,
		    (const struct puffs_vnmsg_rw **)&fixed);
		break;
	case PUFFS_VN_READDIR:
		if (frame_get_readdir(frame, len, ASKED,
		    (const struct puffs_vnmsg_readdir **)&fixed, &data,
		    &n) == 0) {
			fz_touch(data, n);
			fz_dirents(data, n);
		}
		break;
	case PUFFS_VN_READLINK: {
		const struct puffs_vnmsg_readlink *rl;

		if (frame_get_readlink(frame, len, &rl) == 0)
			fz_touch(rl->pvnr_link, rl->pvnr_linklen);
		break;
	}
	case PUFFS_VN_LOOKUP:
		if (frame_get_lookup(frame, len,
		    (const struct puffs_vnmsg_lookup **)&fixed) == 0)
			fz_touch(fixed, sizeof(struct puffs_vnmsg_lookup));
		break;
	case PUFFS_VN_CREATE:
		if (frame_get_create(frame, len,
		    (const struct puffs_vnmsg_create **)&fixed) == 0)
			fz_touch(fixed, sizeof(struct puffs_vnmsg_create));
		break;
	case PUFFS_VN_SYMLINK:
		if (frame_get_symlink(frame, len,
		    (const struct puffs_vnmsg_symlink **)&fixed) == 0)
			fz_touch(fixed, sizeof(struct puffs_vnmsg_symlink));
		break;
	case PUFFS_VN_OPEN:
		if (frame_get_open(frame, len,
		    (const struct puffs_vnmsg_open **)&fixed) == 0)
			fz_touch(fixed, sizeof(struct puffs_vnmsg_open));
		break;
	case PUFFS_VN_GETATTR:
		if (frame_get_getattr(frame, len,
		    (const struct puffs_vnmsg_getattr **)&fixed) == 0)
			fz_touch(fixed, sizeof(struct puffs_vnmsg_getattr));
		break;
	case PUFFS_VFS_STATVFS | 0x8000:
		if (frame_get_statvfs(frame, len,
		    (const struct puffs_vfsmsg_statvfs **)&fixed) == 0)
			fz_touch(fixed, sizeof(struct puffs_vfsmsg_statvfs));
		break;
	}
}

/* puffsd's answers to the server (error notices, responses) end here. */
static void
fz_send(void *arg, uint8_t *frame, size_t len)
{
	(void)arg;
	fz_touch(frame, len);
	g_free(frame);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct puffs_mount pmp;
	const struct kind *k;
	struct puffs_req *preq;
	uint8_t *frame, fix;
	uint64_t id;
	size_t len;

	if (size < 2)
		return 0;
	k = &kinds[data[0] % G_N_ELEMENTS(kinds)];
	fix = data[1];
	len = size - 2;

	memset(&pmp, 0, sizeof(pmp));
	pmp.pmp_status = PUFFSTAT_RUNNING;
	pmp.pmp_maxmsglen = PUFFS_MSG_MAXSIZE;
	pmp.pmp_reqtab = reqtab_new();
	pmp.pmp_nodetab = nodetab_new(1, PUFFS_VDIR);
	pmp.pmp_send = fz_send;
	fz_pmp = &pmp;
	fz_done = 0;

	/* The request the frame may answer; its frame goes to fz_send. */
	frame = frame_new(sizeof(struct puffs_req), k->opclass, k->optype, 1);
	msg_call(&pmp, frame, sizeof(struct puffs_req), k->buflen, fz_reply,
	    (void *)k);
	id = reqtab_count(pmp.pmp_reqtab) == 1 ? 1 : 0;

	/* An exact-size copy, so that ASan catches a read past the end. */
	frame = g_malloc(len > 0 ? len : 1);
	memcpy(frame, data + 2, len);
	if (len >= sizeof(*preq)) {
		preq = (struct puffs_req *)frame;
		if (fix & FIX_FRAMELEN)
			preq->preq_pth.pth_framelen = len;
		if (fix & FIX_ID) {
			preq->preq_id = id;
			preq->preq_opclass = k->opclass |
			    PUFFSOPFLAG_ISRESPONSE;
			preq->preq_optype = k->optype;
		}
		if (fix & FIX_RV)
			preq->preq_rv = 0;
	}
	msg_input(&pmp, frame, len);
	g_free(frame);

	/* The request table answers every request exactly once. */
	msg_userdead(&pmp);
	if (fz_done != 1 || reqtab_count(pmp.pmp_reqtab) != 0)
		__builtin_trap();
	reqtab_free(pmp.pmp_reqtab);
	nodetab_free(pmp.pmp_nodetab);
	return 0;
}
