/*
 * wiresrv.c: a test file server that speaks the puffs wire protocol
 * directly (no libpuffs), so that it can send every reply a real library
 * would never produce.  Started by the integration tests through puffsd
 * (daemon first: PUFFS_COMFD names its socket, $MNT the mountpoint).
 *
 * Its tree is fixed: the root (cookie 1000) holds nodes whose names say
 * how the server misbehaves when asked about them (see wn_nodes and
 * wn_badlookup), plus triggers looked up by name:
 *   poke_page   "good" changes behind the cache, then FLUSH INVAL_PAGECACHE
 *   poke_name   "appear" starts to exist, then FLUSH INVAL_NAMECACHE_DIR
 *   stall       the LOOKUP is held without answer ...
 *   unstall     ... until this lookup: then it is answered late, with a node
 * A trigger's own lookup is answered (ENOENT) before the FLUSH goes out;
 * puffsd's answer to the FLUSH is logged as "flushed <errno>", and comes
 * once Linux has dropped the cache, so the tests wait for that line.
 *
 * It logs one line per request received to $MNT.ops ("OP cookie name")
 * and one per error notice from puffsd to $MNT.notices ("type errno
 * cookie"), which the tests read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <puffs-bridge/puffs_msgif.h>

#define WN_ROOT		1000
#define WN_STALLED	3000
#define WN_MAXFRAME	(PUFFS_MSG_MAXSIZE + 4096)

struct wn_node {
	uint64_t	 cookie;
	const char	*name;
	uint32_t	 vtype;
};

static const struct wn_node wn_nodes[] = {
	{ 2001, "good", PUFFS_VREG },
	{ 2002, "f_readgrow", PUFFS_VREG },
	{ 2003, "l_long", PUFFS_VLNK },
	{ 2004, "d_baddent", PUFFS_VDIR },
	{ 2005, "d_grow", PUFFS_VDIR },
	{ 2006, "f_attrvtype", PUFFS_VREG },
	{ 2007, "f_writegrow", PUFFS_VREG },
	{ 2008, "l_nul", PUFFS_VLNK },
	{ 2009, "f_readshort", PUFFS_VREG },
	{ 2010, "f_err", PUFFS_VREG },
	{ 2011, "appear", PUFFS_VREG },
	{ 2012, "f_noref", PUFFS_VREG },	/* INACTIVE sets NOREF */
};
#define WN_NNODES	(sizeof(wn_nodes) / sizeof(wn_nodes[0]))

static int wn_fd;
static FILE *wn_ops, *wn_notices;
static char wn_content[6] = "hello";
static int wn_appeared;
static uint64_t wn_nextid;
static uint8_t *wn_stalled;		/* the held LOOKUP */
static uint64_t wn_flushid;

static void
wn_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "wiresrv: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static void
wn_writeall(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = write(wn_fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			exit(0);	/* puffsd is gone */
		}
		p += n;
		len -= (size_t)n;
	}
}

static int
wn_readall(void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = read(wn_fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static const struct wn_node *
wn_byname(const char *name)
{
	size_t i;

	for (i = 0; i < WN_NNODES; i++)
		if (strcmp(wn_nodes[i].name, name) == 0)
			return &wn_nodes[i];
	return NULL;
}

static const struct wn_node *
wn_bycookie(uint64_t cookie)
{
	size_t i;

	for (i = 0; i < WN_NNODES; i++)
		if (wn_nodes[i].cookie == cookie)
			return &wn_nodes[i];
	return NULL;
}

/* Send buf back as the reply, len bytes, errno rv. */
static void
wn_reply(uint8_t *buf, size_t len, int rv)
{
	struct puffs_req *preq = (struct puffs_req *)buf;

	preq->preq_opclass |= PUFFSOPFLAG_ISRESPONSE;
	preq->preq_rv = rv;
	preq->preq_pth.pth_framelen = len;
	wn_writeall(buf, len);
}

static void
wn_sendflush(int op, uint64_t cookie)
{
	struct puffs_flush pf;

	memset(&pf, 0, sizeof(pf));
	pf.pf_req.preq_pth.pth_framelen = sizeof(pf);
	pf.pf_req.preq_id = PUFFS_SRVREQ_IDBIT | ++wn_nextid;
	pf.pf_req.preq_opclass = PUFFSOP_FLUSH;
	pf.pf_req.preq_optype = (uint16_t)op;
	pf.pf_req.preq_cookie = cookie;
	pf.pf_req.preq_buflen = sizeof(pf);
	pf.pf_cookie = cookie;
	pf.pf_op = op;
	wn_flushid = pf.pf_req.preq_id;
	wn_writeall(&pf, sizeof(pf));
}

/* ---- LOOKUP ---- */

static void
wn_goodlookup(uint8_t *buf, uint64_t cookie, uint32_t vtype)
{
	struct puffs_vnmsg_lookup *m = (struct puffs_vnmsg_lookup *)buf;

	m->pvnr_newnode = cookie;
	m->pvnr_vtype = vtype;
	m->pvnr_size = vtype == PUFFS_VREG ? 5 : 0;
	wn_reply(buf, sizeof(*m), 0);
}

/* The lookups that are wrong in themselves.  1 if name was one. */
static int
wn_badlookup(uint8_t *buf, const char *name)
{
	struct puffs_vnmsg_lookup *m = (struct puffs_vnmsg_lookup *)buf;
	uint8_t big[sizeof(*m) + 64];

	m->pvnr_newnode = 2999;
	m->pvnr_vtype = PUFFS_VREG;
	if (strcmp(name, "bad_errno") == 0)
		wn_reply(buf, sizeof(*m), 4000);
	else if (strcmp(name, "bad_negerrno") == 0)
		wn_reply(buf, sizeof(*m), -2);
	else if (strcmp(name, "bad_parent") == 0) {
		m->pvnr_newnode = m->pvn_pr.preq_cookie;
		m->pvnr_vtype = PUFFS_VDIR;
		wn_reply(buf, sizeof(*m), 0);
	} else if (strcmp(name, "bad_vtype") == 0) {
		m->pvnr_vtype = 77;
		wn_reply(buf, sizeof(*m), 0);
	} else if (strcmp(name, "bad_size") == 0) {
		m->pvnr_size = -1;
		wn_reply(buf, sizeof(*m), 0);
	} else if (strcmp(name, "bad_consume") == 0) {
		m->pvnr_cn.pkcn_consume = 4;
		wn_reply(buf, sizeof(*m), 0);
	} else if (strcmp(name, "bad_short") == 0)
		wn_reply(buf, sizeof(struct puffs_req), 0);
	else if (strcmp(name, "bad_long") == 0) {
		memset(big, 0, sizeof(big));
		memcpy(big, buf, sizeof(*m));
		wn_reply(big, sizeof(big), 0);
	} else
		return 0;
	return 1;
}

/* 1 if the buffer was kept for a later answer. */
static int
wn_lookup(uint8_t *buf, size_t len)
{
	struct puffs_vnmsg_lookup *m = (struct puffs_vnmsg_lookup *)buf;
	const struct wn_node *n;
	const char *name = m->pvnr_cn.pkcn_name;

	if (len < sizeof(*m)) {
		wn_reply(buf, sizeof(struct puffs_req), EINVAL);
		return 0;
	}
	m->pvnr_cn.pkcn_name[sizeof(m->pvnr_cn.pkcn_name) - 1] = '\0';
	if (m->pvn_pr.preq_cookie != WN_ROOT) {
		wn_reply(buf, sizeof(*m), ENOENT);
		return 0;
	}
	if (wn_badlookup(buf, name))
		return 0;
	if (strcmp(name, "stall") == 0 && wn_stalled == NULL) {
		wn_stalled = buf;
		return 1;
	}
	if (strcmp(name, "unstall") == 0 && wn_stalled != NULL) {
		wn_goodlookup(wn_stalled, WN_STALLED, PUFFS_VREG);
		free(wn_stalled);
		wn_stalled = NULL;
		wn_reply(buf, sizeof(*m), ENOENT);
		return 0;
	}
	if (strcmp(name, "poke_page") == 0 || strcmp(name, "poke_name") == 0) {
		if (name[5] == 'p') {
			memcpy(wn_content, "HELLO", 5);
			wn_sendflush(PUFFS_INVAL_PAGECACHE_NODE_RANGE, 2001);
		} else {
			wn_appeared = 1;
			wn_sendflush(PUFFS_INVAL_NAMECACHE_DIR, WN_ROOT);
		}
		/*
		 * Answer first: Linux takes the directory's lock to drop a
		 * name, and this LOOKUP holds it until it is answered.
		 */
		wn_reply(buf, sizeof(*m), ENOENT);
		return 0;
	}
	n = wn_byname(name);
	if (n == NULL || (n->cookie == 2011 && !wn_appeared)) {
		wn_reply(buf, sizeof(*m), ENOENT);
		return 0;
	}
	wn_goodlookup(buf, n->cookie, n->vtype);
	return 0;
}

/* ---- node ops ---- */

static void
wn_getattr(uint8_t *buf, size_t len)
{
	struct puffs_vnmsg_getattr *m = (struct puffs_vnmsg_getattr *)buf;
	uint64_t cookie = m->pvn_pr.preq_cookie;
	const struct wn_node *n = wn_bycookie(cookie);
	struct puffs_kvattr *va;

	if (len < sizeof(*m)) {
		wn_reply(buf, sizeof(struct puffs_req), EINVAL);
		return;
	}
	va = &m->pvnr_va;
	memset(va, 0, sizeof(*va));
	va->va_type = cookie == WN_ROOT ? PUFFS_VDIR :
	    n != NULL ? n->vtype : PUFFS_VREG;
	if (cookie == 2006)
		va->va_type = 99;
	va->va_mode = va->va_type == PUFFS_VDIR ? 0755 : 0644;
	va->va_nlink = va->va_type == PUFFS_VDIR ? 2 : 1;
	va->va_fileid = cookie;
	va->va_size = va->va_type == PUFFS_VREG ? 5 : 0;
	va->va_blocksize = 4096;
	va->va_atime.tv_sec = va->va_mtime.tv_sec = va->va_ctime.tv_sec =
	    1700000000;
	wn_reply(buf, sizeof(*m), 0);
}

static void
wn_read(uint8_t *buf, size_t len)
{
	struct puffs_vnmsg_rw *m = (struct puffs_vnmsg_rw *)buf;
	uint64_t cookie = m->pvn_pr.preq_cookie, asked = m->pvnr_resid;
	size_t n = 0;

	if (len < sizeof(*m)) {
		wn_reply(buf, sizeof(struct puffs_req), EINVAL);
		return;
	}
	switch (cookie) {
	case 2002:	/* resid grows */
		m->pvnr_resid = asked + 100;
		wn_reply(buf, sizeof(*m), 0);
		return;
	case 2009:	/* claims all data, sends none */
		m->pvnr_resid = 0;
		wn_reply(buf, sizeof(*m), 0);
		return;
	case 2010:
		wn_reply(buf, sizeof(*m), 12345);
		return;
	}
	if (m->pvnr_offset >= 0 && m->pvnr_offset < 5) {
		n = 5 - (size_t)m->pvnr_offset;
		if (n > asked)
			n = asked;
		memcpy(m->pvnr_data, wn_content + m->pvnr_offset, n);
	}
	m->pvnr_resid = asked - n;
	wn_reply(buf, sizeof(*m) + n, 0);
}

static void
wn_write(uint8_t *buf, size_t len)
{
	struct puffs_vnmsg_rw *m = (struct puffs_vnmsg_rw *)buf;

	if (len < sizeof(*m)) {
		wn_reply(buf, sizeof(struct puffs_req), EINVAL);
		return;
	}
	m->pvnr_resid = m->pvn_pr.preq_cookie == 2007 ? m->pvnr_resid + 1 : 0;
	wn_reply(buf, sizeof(*m), 0);
}

static size_t
wn_dirent(uint8_t *p, uint64_t fileno, const char *name, uint8_t type)
{
	struct puffs_kdirent d;
	size_t nl = strlen(name), rl = PUFFS_DIRENT_RECLEN(nl);

	memset(p, 0, rl);
	d.d_fileno = fileno;
	d.d_reclen = (uint16_t)rl;
	d.d_namlen = (uint16_t)nl;
	d.d_type = type;
	memcpy(p, &d, PUFFS_DIRENT_NAMEOFF);
	memcpy(p + PUFFS_DIRENT_NAMEOFF, name, nl);
	return rl;
}

static void
wn_readdir(uint8_t *buf, size_t len)
{
	struct puffs_vnmsg_readdir *m = (struct puffs_vnmsg_readdir *)buf;
	uint64_t cookie = m->pvn_pr.preq_cookie;
	uint8_t *p;
	size_t used = 0;

	if (len < sizeof(*m) || m->pvnr_dentoff > m->pvnr_resid ||
	    sizeof(*m) + m->pvnr_resid > m->pvn_pr.preq_buflen) {
		wn_reply(buf, sizeof(struct puffs_req), EINVAL);
		return;
	}
	p = m->pvnr_data + m->pvnr_dentoff;
	m->pvnr_ncookies = 0;
	m->pvnr_eofflag = 1;
	if (cookie == 2005) {	/* resid grows */
		m->pvnr_resid += 64;
		wn_reply(buf, sizeof(*m) + m->pvnr_dentoff, 0);
		return;
	}
	if (m->pvnr_offset == 0 && m->pvnr_resid - m->pvnr_dentoff >= 256) {
		used += wn_dirent(p + used, 1, ".", 4);
		used += wn_dirent(p + used, 2, "..", 4);
		used += wn_dirent(p + used, cookie + 1, "x", 8);
		if (cookie == 2004)	/* unaligned, overrunning record */
			((struct puffs_kdirent *)(void *)(p + 32))->d_reclen = 5;
		m->pvnr_offset = 3;
	}
	m->pvnr_resid -= m->pvnr_dentoff + used;
	wn_reply(buf, sizeof(*m) + m->pvnr_dentoff + used, 0);
}

static void
wn_readlink(uint8_t *buf, size_t len)
{
	struct puffs_vnmsg_readlink *m = (struct puffs_vnmsg_readlink *)buf;

	if (len < sizeof(*m)) {
		wn_reply(buf, sizeof(struct puffs_req), EINVAL);
		return;
	}
	if (m->pvn_pr.preq_cookie == 2003)
		m->pvnr_linklen = sizeof(m->pvnr_link) + 1;
	else {
		memcpy(m->pvnr_link, "ab\0cd", 5);
		m->pvnr_linklen = 5;
	}
	wn_reply(buf, sizeof(*m), 0);
}

/* CREATE: c_root hands out the root, c_live a live node, c_errno junk. */
static void
wn_create(uint8_t *buf, size_t len)
{
	struct puffs_vnmsg_create *m = (struct puffs_vnmsg_create *)buf;
	const char *name = m->pvnr_cn.pkcn_name;

	if (len < sizeof(*m)) {
		wn_reply(buf, sizeof(struct puffs_req), EINVAL);
		return;
	}
	m->pvnr_cn.pkcn_name[sizeof(m->pvnr_cn.pkcn_name) - 1] = '\0';
	if (strcmp(name, "c_root") == 0)
		m->pvnr_newnode = WN_ROOT;
	else if (strcmp(name, "c_live") == 0)
		m->pvnr_newnode = 2001;
	else {
		wn_reply(buf, sizeof(*m), strcmp(name, "c_errno") == 0 ?
		    99999 : EROFS);
		return;
	}
	wn_reply(buf, sizeof(*m), 0);
}

static void
wn_log(const uint8_t *buf, size_t len)
{
	const struct puffs_req *preq = (const struct puffs_req *)buf;
	const struct puffs_vnmsg_lookup *lk;
	const struct puffs_vnmsg_reclaim *rc;
	const char *extra = "";
	char num[32] = "";

	if (PUFFSOP_OPCLASS(preq->preq_opclass) == PUFFSOP_VN &&
	    (preq->preq_optype == PUFFS_VN_LOOKUP ||
	    preq->preq_optype == PUFFS_VN_CREATE) && len >= sizeof(*lk)) {
		lk = (const struct puffs_vnmsg_lookup *)buf;
		extra = lk->pvnr_cn.pkcn_name;
	}
	if (PUFFSOP_OPCLASS(preq->preq_opclass) == PUFFSOP_VN &&
	    preq->preq_optype == PUFFS_VN_RECLAIM && len >= sizeof(*rc)) {
		rc = (const struct puffs_vnmsg_reclaim *)buf;
		snprintf(num, sizeof(num), "%d", rc->pvnr_nlookup);
		extra = num;
	}
	fprintf(wn_ops, "%u.%u %llu %.64s\n", PUFFSOP_OPCLASS(
	    preq->preq_opclass), preq->preq_optype,
	    (unsigned long long)preq->preq_cookie, extra);
	fflush(wn_ops);
}

static void
wn_vn(uint8_t *buf, size_t len)
{
	struct puffs_req *preq = (struct puffs_req *)buf;

	switch (preq->preq_optype) {
	case PUFFS_VN_LOOKUP:
		if (wn_lookup(buf, len))
			return;
		break;
	case PUFFS_VN_GETATTR:
		wn_getattr(buf, len);
		break;
	case PUFFS_VN_READ:
		wn_read(buf, len);
		break;
	case PUFFS_VN_WRITE:
		wn_write(buf, len);
		break;
	case PUFFS_VN_READDIR:
		wn_readdir(buf, len);
		break;
	case PUFFS_VN_READLINK:
		wn_readlink(buf, len);
		break;
	case PUFFS_VN_CREATE:
		wn_create(buf, len);
		break;
	case PUFFS_VN_OPEN:
		/* "good" asks for INACTIVE (matters with IAONDEMAND). */
		if (preq->preq_cookie == 2001)
			preq->preq_setbacks = PUFFS_SETBACK_INACT_N1;
		wn_reply(buf, len, 0);
		break;
	case PUFFS_VN_INACTIVE:
		if (preq->preq_cookie == 2012)
			preq->preq_setbacks = PUFFS_SETBACK_NOREF_N1;
		wn_reply(buf, len, 0);
		break;
	case PUFFS_VN_ACCESS:
	case PUFFS_VN_FSYNC:
	case PUFFS_VN_SETATTR:
		wn_reply(buf, len, 0);
		break;
	default:
		wn_reply(buf, len, EOPNOTSUPP);
		break;
	}
	free(buf);
}

static void
wn_frame(uint8_t *buf, size_t len)
{
	struct puffs_req *preq = (struct puffs_req *)buf;
	const struct puffs_error *perr;

	if (preq->preq_opclass & PUFFSOPFLAG_ISRESPONSE) {
		if (preq->preq_id == wn_flushid) {
			fprintf(wn_ops, "flushed %d\n", preq->preq_rv);
			fflush(wn_ops);
		}
		free(buf);
		return;
	}
	wn_log(buf, len);
	if (PUFFSOP_OPCLASS(preq->preq_opclass) == PUFFSOP_ERROR &&
	    len >= sizeof(*perr)) {
		perr = (const struct puffs_error *)buf;
		fprintf(wn_notices, "%u %d %llu\n", preq->preq_optype,
		    perr->perr_error, (unsigned long long)preq->preq_cookie);
		fflush(wn_notices);
	}
	if (!PUFFSOP_WANTREPLY(preq->preq_opclass)) {
		free(buf);
		return;
	}
	if (PUFFSOP_OPCLASS(preq->preq_opclass) == PUFFSOP_VN) {
		wn_vn(buf, len);
		return;
	}
	/* VFS: statvfs, sync, unmount all succeed with zeroes. */
	wn_reply(buf, len, 0);
	free(buf);
}

/* Read one frame into a buffer as large as the reply may be. */
static uint8_t *
wn_recv(size_t *lenp)
{
	struct putter_hdr hdr;
	const struct puffs_req *preq;
	uint8_t *buf;
	size_t room;

	if (wn_readall(&hdr, sizeof(hdr)) == -1)
		return NULL;
	if (hdr.pth_framelen < sizeof(struct puffs_req) ||
	    hdr.pth_framelen > WN_MAXFRAME)
		wn_die("frame of %llu bytes", (unsigned long long)
		    hdr.pth_framelen);
	buf = calloc(1, WN_MAXFRAME);
	if (buf == NULL)
		wn_die("out of memory");
	memcpy(buf, &hdr, sizeof(hdr));
	if (wn_readall(buf + sizeof(hdr), hdr.pth_framelen - sizeof(hdr)))
		return NULL;
	preq = (const struct puffs_req *)buf;
	room = preq->preq_buflen > hdr.pth_framelen ? preq->preq_buflen :
	    hdr.pth_framelen;
	if (room > WN_MAXFRAME)
		wn_die("buflen %zu", room);
	*lenp = hdr.pth_framelen;
	return buf;
}

static void
wn_attach(const char *mnt)
{
	size_t dirlen = strlen(mnt) + 1;
	struct puffs_mountreq *req = calloc(1, sizeof(*req) + dirlen);
	struct puffs_mountresp resp;
	struct puffs_kargs *ka;

	if (req == NULL)
		wn_die("out of memory");
	req->pmr_pth.pth_framelen = sizeof(*req) + dirlen;
	req->pmr_magic = PUFFS_BRIDGE_MAGIC;
	req->pmr_version = PUFFS_BRIDGE_VERSION;
	req->pmr_dirlen = (uint32_t)dirlen;
	memcpy(req->pmr_data, mnt, dirlen);
	ka = &req->pmr_kargs;
	ka->pa_vers = PUFFSVERSION;
	ka->pa_flags = getenv("WIRESRV_KFLAGS") != NULL ?
	    (uint32_t)strtoul(getenv("WIRESRV_KFLAGS"), NULL, 0) : 0;
	memset(ka->pa_vnopmask, 1, sizeof(ka->pa_vnopmask));
	snprintf(ka->pa_typename, sizeof(ka->pa_typename), "wiresrv");
	snprintf(ka->pa_mntfromname, sizeof(ka->pa_mntfromname), "wiresrv");
	ka->pa_root_cookie = WN_ROOT;
	ka->pa_root_vtype = PUFFS_VDIR;
	wn_writeall(req, sizeof(*req) + dirlen);
	free(req);
	if (wn_readall(&resp, sizeof(resp)) == -1 || resp.pmp_error != 0)
		wn_die("mount refused: %s", resp.pmp_msg);
}

int
main(void)
{
	const char *mnt = getenv("MNT"), *comfd = getenv("PUFFS_COMFD");
	char path[4096];
	uint8_t *buf;
	size_t len;

	if (mnt == NULL || comfd == NULL)
		wn_die("needs MNT and PUFFS_COMFD");
	wn_fd = atoi(comfd);
	snprintf(path, sizeof(path), "%s.ops", mnt);
	if ((wn_ops = fopen(path, "w")) == NULL)
		wn_die("%s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s.notices", mnt);
	if ((wn_notices = fopen(path, "w")) == NULL)
		wn_die("%s: %s", path, strerror(errno));
	wn_attach(mnt);
	while ((buf = wn_recv(&len)) != NULL)
		wn_frame(buf, len);
	return 0;
}
