/*
 * faultsrv.c: a puffs server that misbehaves on command, for
 * tests/fault/fault.c.  It speaks the wire protocol directly (no
 * libpuffs: the faults are things libpuffs would never do) and serves a
 * tree in which every name exists: names starting with "dir" are
 * directories, all others empty regular files.  The Linux kernel
 * serialises lookups in one directory on FUSE mounts, so a test stalls a
 * lookup in one directory and checks another.  The name looked up picks
 * the fault:
 *
 *   stall*     never answers that LOOKUP
 *   late*      holds the answer until it has answered another request
 *   twice*     answers twice
 *   unknown*   first sends answers with ids puffsd never used, then the
 *              real one
 *   cut*       writes half of the answer and exits (socket closed
 *              mid-frame)
 *   huge*      sends a frame header claiming 4 GiB, then goes on serving
 *   flood*     sends 1 GiB of unsolicited answers, then the real one
 *   floodreq*  sends requests of its own (an unused class, each wanting an
 *              answer) without reading its socket, until 2 million are
 *              sent or puffsd stops taking them for 2 s, then answers
 *
 * Usage (started by puffsd with PUFFS_COMFD): faultsrv MOUNTPOINT.  Every
 * fault, when triggered, is noted as a line in $FAULT_LOG so that the
 * test waits on events, not on time.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <puffs-bridge/puffs_msgif.h>

#define FLOOD_FRAME	(256 * 1024)
#define FLOOD_COUNT	4096		/* 1 GiB */
#define FLOODREQ_MAX	2000000

static int srv_fd;
static uint64_t srv_nextcookie = 100;
static uint8_t *srv_held;		/* a "late" answer */
static size_t srv_heldlen;
static uint64_t srv_reqid;
static uint8_t srv_isdir[1 << 16];	/* by cookie, for GETATTR */

static void
note(const char *fmt, ...)
{
	const char *path = getenv("FAULT_LOG");
	va_list ap;
	FILE *f;

	if (path == NULL || (f = fopen(path, "a")) == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

static void
die(const char *what)
{
	fprintf(stderr, "faultsrv: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
writeall(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = send(srv_fd, p, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			die("send");
		p += n;
		len -= n;
	}
}

static int
readall(void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = read(srv_fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static void
attach(const char *mnt)
{
	size_t dirlen = strlen(mnt) + 1, len;
	struct puffs_mountresp resp;
	struct puffs_mountreq *mr;

	len = sizeof(*mr) + dirlen;
	mr = calloc(1, len);
	mr->pmr_pth.pth_framelen = len;
	mr->pmr_magic = PUFFS_BRIDGE_MAGIC;
	mr->pmr_version = PUFFS_BRIDGE_VERSION;
	mr->pmr_dirlen = dirlen;
	mr->pmr_kargs.pa_vers = PUFFSVERSION;
	mr->pmr_kargs.pa_root_cookie = 1;
	mr->pmr_kargs.pa_root_vtype = PUFFS_VDIR;
	mr->pmr_kargs.pa_vnopmask[PUFFS_VN_LOOKUP] = 1;
	mr->pmr_kargs.pa_vnopmask[PUFFS_VN_GETATTR] = 1;
	snprintf(mr->pmr_kargs.pa_typename, sizeof(mr->pmr_kargs.pa_typename),
	    "puffs|faultsrv");
	snprintf(mr->pmr_kargs.pa_mntfromname,
	    sizeof(mr->pmr_kargs.pa_mntfromname), "faultsrv");
	memcpy(mr->pmr_data, mnt, dirlen);
	writeall(mr, len);
	free(mr);
	if (readall(&resp, sizeof(resp)) == -1)
		die("no mount answer");
	if (resp.pmp_error != 0) {
		fprintf(stderr, "faultsrv: mount refused: %s\n", resp.pmp_msg);
		exit(1);
	}
}

/* The answer goes out; a held "late" answer follows the first other. */
static void
answer(uint8_t *frame, size_t len, int rv)
{
	struct puffs_req *preq = (struct puffs_req *)frame;

	preq->preq_pth.pth_framelen = len;
	preq->preq_opclass |= PUFFSOPFLAG_ISRESPONSE;
	preq->preq_rv = rv;
	writeall(frame, len);
	if (srv_held != NULL) {
		writeall(srv_held, srv_heldlen);
		note("late answered");
		free(srv_held);
		srv_held = NULL;
	}
}

static void
fake_attr(struct puffs_kvattr *va, uint64_t cookie)
{
	int dir = cookie == 1 ||
	    (cookie < sizeof(srv_isdir) && srv_isdir[cookie]);

	memset(va, 0xff, sizeof(*va));
	va->va_type = dir ? PUFFS_VDIR : PUFFS_VREG;
	va->va_mode = dir ? 0755 : 0644;
	va->va_nlink = dir ? 2 : 1;
	va->va_uid = 0;
	va->va_gid = 0;
	va->va_vaflags = 0;
	va->va_fileid = cookie;
	va->va_size = 0;
	va->va_blocksize = 4096;
	va->va_bytes = 0;
	va->va_rdev = 0;
	va->va_flags = 0;
	va->va_gen = 1;
	memset(&va->va_atime, 0, sizeof(va->va_atime));
	memset(&va->va_mtime, 0, sizeof(va->va_mtime));
	memset(&va->va_ctime, 0, sizeof(va->va_ctime));
	memset(&va->va_birthtime, 0, sizeof(va->va_birthtime));
}

static void
flood_answers(const struct puffs_req *in)
{
	uint8_t *buf = calloc(1, FLOOD_FRAME);
	struct puffs_req *preq = (struct puffs_req *)buf;
	int i;

	*preq = *in;
	preq->preq_pth.pth_framelen = FLOOD_FRAME;
	preq->preq_opclass |= PUFFSOPFLAG_ISRESPONSE;
	for (i = 0; i < FLOOD_COUNT; i++) {
		preq->preq_id = in->preq_id + 1000000 + i;
		writeall(buf, FLOOD_FRAME);
	}
	free(buf);
	note("flood sent %d", FLOOD_COUNT);
}

/* Requests of our own, not reading our socket meanwhile. */
static void
flood_requests(void)
{
	struct pollfd pfd = { .fd = srv_fd, .events = POLLOUT };
	struct puffs_req req;
	int n, blocked = 0;

	memset(&req, 0, sizeof(req));
	req.preq_pth.pth_framelen = sizeof(req);
	req.preq_opclass = PUFFSOP_CACHE;	/* unused: puffsd refuses it */
	req.preq_buflen = sizeof(req);
	for (n = 0; n < FLOODREQ_MAX; n++) {
		if (poll(&pfd, 1, 2000) != 1) {
			blocked = 1;
			break;
		}
		req.preq_id = PUFFS_SRVREQ_IDBIT | ++srv_reqid;
		writeall(&req, sizeof(req));
	}
	note("floodreq sent %d blocked %d", n, blocked);
}

static void
lookup(uint8_t *frame, size_t len)
{
	struct puffs_vnmsg_lookup *lk = (struct puffs_vnmsg_lookup *)frame;
	const char *name = lk->pvnr_cn.pkcn_name;
	struct putter_hdr huge = { UINT64_C(4) << 30 };
	uint8_t zero[64] = { 0 };

	if (len < sizeof(*lk))
		return;
	lk->pvnr_cn.pkcn_name[sizeof(lk->pvnr_cn.pkcn_name) - 1] = '\0';
	lk->pvnr_newnode = srv_nextcookie++;
	lk->pvnr_vtype = PUFFS_VREG;
	if (strncmp(name, "dir", 3) == 0) {
		lk->pvnr_vtype = PUFFS_VDIR;
		if (lk->pvnr_newnode < sizeof(srv_isdir))
			srv_isdir[lk->pvnr_newnode] = 1;
	}
	lk->pvnr_size = 0;
	lk->pvnr_rdev = 0;
	fake_attr(&lk->pvnr_va, lk->pvnr_newnode);
	lk->pvn_pr.preq_pth.pth_framelen = len;
	lk->pvn_pr.preq_opclass |= PUFFSOPFLAG_ISRESPONSE;
	lk->pvn_pr.preq_rv = 0;

	if (strncmp(name, "stall", 5) == 0) {
		note("stall %s", name);
		return;
	}
	if (strncmp(name, "late", 4) == 0 && srv_held == NULL) {
		srv_held = malloc(len);
		memcpy(srv_held, frame, len);
		srv_heldlen = len;
		note("late %s held", name);
		return;
	}
	if (strncmp(name, "twice", 5) == 0) {
		writeall(frame, len);
		note("twice %s", name);
	} else if (strncmp(name, "unknown", 7) == 0) {
		uint64_t id = lk->pvn_pr.preq_id;
		static const uint64_t bad[] = { 0, 1000000,
		    PUFFS_SRVREQ_IDBIT, UINT64_MAX };
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			lk->pvn_pr.preq_id = i == 1 ? id + bad[i] : bad[i];
			writeall(frame, len);
		}
		lk->pvn_pr.preq_id = id;
		note("unknown %s", name);
	} else if (strncmp(name, "cut", 3) == 0) {
		writeall(frame, len / 2);
		note("cut %s", name);
		exit(0);
	} else if (strncmp(name, "huge", 4) == 0) {
		writeall(&huge, sizeof(huge));
		writeall(zero, sizeof(zero));
		note("huge %s", name);
		return;
	} else if (strncmp(name, "floodreq", 8) == 0)
		flood_requests();
	else if (strncmp(name, "flood", 5) == 0)
		flood_answers(&lk->pvn_pr);
	answer(frame, len, 0);
}

static void
serve(uint8_t *frame, size_t len)
{
	struct puffs_req *preq = (struct puffs_req *)frame;
	int opclass = PUFFSOP_OPCLASS(preq->preq_opclass);

	if (preq->preq_opclass & PUFFSOPFLAG_ISRESPONSE)
		return;		/* puffsd answering our flood */
	if (!PUFFSOP_WANTREPLY(preq->preq_opclass))
		return;		/* RECLAIM, errors, ... */
	if (opclass == PUFFSOP_VN && preq->preq_optype == PUFFS_VN_LOOKUP) {
		lookup(frame, len);
		return;
	}
	if (opclass == PUFFSOP_VN && preq->preq_optype == PUFFS_VN_GETATTR &&
	    len >= sizeof(struct puffs_vnmsg_getattr)) {
		struct puffs_vnmsg_getattr *ga = (void *)frame;

		fake_attr(&ga->pvnr_va, preq->preq_cookie);
		answer(frame, len, 0);
		return;
	}
	if (opclass == PUFFSOP_VFS && preq->preq_optype == PUFFS_VFS_UNMOUNT) {
		answer(frame, len, 0);
		exit(0);
	}
	if (opclass == PUFFSOP_VFS)
		answer(frame, len, 0);		/* SYNC, STATVFS: zeros */
	else
		answer(frame, sizeof(*preq), EOPNOTSUPP);
}

int
main(int argc, char **argv)
{
	struct putter_hdr hdr;
	const char *env = getenv("PUFFS_COMFD");
	uint8_t *frame;

	if (argc != 2 || env == NULL) {
		fprintf(stderr, "usage: PUFFS_COMFD=N faultsrv MOUNTPOINT\n");
		return 2;
	}
	srv_fd = atoi(env);
	attach(argv[1]);
	for (;;) {
		if (readall(&hdr, sizeof(hdr)) == -1)
			return 0;	/* puffsd went away */
		if (hdr.pth_framelen < sizeof(struct puffs_req) ||
		    hdr.pth_framelen > PUFFS_MSG_MAXSIZE) {
			fprintf(stderr, "faultsrv: bad frame length\n");
			return 1;
		}
		frame = malloc(hdr.pth_framelen);
		memcpy(frame, &hdr, sizeof(hdr));
		if (readall(frame + sizeof(hdr),
		    hdr.pth_framelen - sizeof(hdr)) == -1)
			return 0;
		serve(frame, hdr.pth_framelen);
		free(frame);
	}
}
