/*
 * fuzz_libpuffs.c: libFuzzer target for frames from puffsd as libpuffs
 * reads them: the input is the byte stream on the socket, read by
 * puffs__transport_read() (frame assembly and its length checks) and
 * handed to puffs__dispatch() (per-op decoding, the reply's size rules).
 *
 * The server behind the ops vector is a stub that uses every byte the
 * library offers it (fills read and readdir buffers to the last byte,
 * writes full-size link and file-handle answers), so that ASan sees any
 * buffer the dispatcher sized wrong.  It never dereferences a cookie:
 * libpuffs trusts puffsd with cookies, as NetBSD's trusts the kernel.
 *
 * Input: byte 0 holds fix-up bits (bit 0: the first frame's length is
 * the whole stream), the rest is the stream.  Every reply queued must be
 * readable to its announced length.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "puffs_priv.h"

#include "fuzz.h"

#define FIX_FRAMELEN	0x01

static volatile uint8_t fz_sink;

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

PUFFSOP_PROTOS(fz)

int
fz_fs_statvfs(struct puffs_usermount *pu, struct puffs_statvfs *sb)
{
	(void)pu;
	memset(sb, 0x5a, sizeof(*sb));
	return 0;
}

int
fz_fs_nodetofh(struct puffs_usermount *pu, puffs_cookie_t c, void *fid,
    size_t *fidsize)
{
	(void)pu;
	(void)c;
	memset(fid, 0xfe, *fidsize);
	return 0;
}

int
fz_fs_fhtonode(struct puffs_usermount *pu, void *fid, size_t fidsize,
    struct puffs_newinfo *pni)
{
	(void)pu;
	fz_touch(fid, fidsize);
	puffs_newinfo_setcookie(pni, (puffs_cookie_t)(uintptr_t)0x1000);
	puffs_newinfo_setvtype(pni, VREG);
	puffs_newinfo_setsize(pni, 1);
	puffs_newinfo_setrdev(pni, 0);
	return 0;
}

static void
fz_newnode(struct puffs_newinfo *pni, const struct puffs_cn *pcn)
{
	struct timespec ttl = { 1, 0 };
	struct vattr va;

	fz_touch(pcn->pcn_name, pcn->pcn_namelen + 1);
	puffs_vattr_null(&va);
	va.va_type = VREG;
	va.va_mode = 0644;
	puffs_newinfo_setcookie(pni, (puffs_cookie_t)(uintptr_t)0x2000);
	puffs_newinfo_setvtype(pni, VREG);
	puffs_newinfo_setsize(pni, 0);
	puffs_newinfo_setrdev(pni, 0);
	puffs_newinfo_setva(pni, &va);
	puffs_newinfo_setvattl(pni, &ttl);
	puffs_newinfo_setcnttl(pni, &ttl);
}

int
fz_node_lookup(struct puffs_usermount *pu, puffs_cookie_t c,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn)
{
	(void)pu;
	(void)c;
	fz_newnode(pni, pcn);
	return 0;
}

int
fz_node_create(struct puffs_usermount *pu, puffs_cookie_t c,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{
	(void)pu;
	(void)c;
	(void)va;
	fz_newnode(pni, pcn);
	return 0;
}

int
fz_node_mkdir(struct puffs_usermount *pu, puffs_cookie_t c,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{
	return fz_node_create(pu, c, pni, pcn, va);
}

int
fz_node_mknod(struct puffs_usermount *pu, puffs_cookie_t c,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va)
{
	return fz_node_create(pu, c, pni, pcn, va);
}

int
fz_node_symlink(struct puffs_usermount *pu, puffs_cookie_t c,
    struct puffs_newinfo *pni, const struct puffs_cn *pcn,
    const struct vattr *va, const char *target)
{
	(void)va;
	fz_touch(target, strlen(target));
	return fz_node_lookup(pu, c, pni, pcn);
}

int
fz_node_rename(struct puffs_usermount *pu, puffs_cookie_t dir,
    puffs_cookie_t src, const struct puffs_cn *pcn_src,
    puffs_cookie_t targdir, puffs_cookie_t targ,
    const struct puffs_cn *pcn_targ)
{
	(void)pu;
	(void)dir;
	(void)src;
	(void)targdir;
	(void)targ;
	fz_touch(pcn_src->pcn_name, pcn_src->pcn_namelen + 1);
	fz_touch(pcn_targ->pcn_name, pcn_targ->pcn_namelen + 1);
	return 0;
}

int
fz_node_getattr(struct puffs_usermount *pu, puffs_cookie_t c,
    struct vattr *va, const struct puffs_cred *pcr)
{
	(void)pu;
	(void)c;
	(void)pcr;
	va->va_type = VDIR;
	va->va_mode = 0755;
	va->va_nlink = 2;
	va->va_size = 4096;
	return 0;
}

int
fz_node_read(struct puffs_usermount *pu, puffs_cookie_t c, uint8_t *buf,
    off_t off, size_t *resid, const struct puffs_cred *pcr, int ioflag)
{
	(void)pu;
	(void)c;
	(void)off;
	(void)pcr;
	(void)ioflag;
	memset(buf, 'r', *resid);
	*resid = 0;
	return 0;
}

int
fz_node_write(struct puffs_usermount *pu, puffs_cookie_t c, uint8_t *buf,
    off_t off, size_t *resid, const struct puffs_cred *pcr, int ioflag)
{
	(void)pu;
	(void)c;
	(void)off;
	(void)pcr;
	(void)ioflag;
	fz_touch(buf, *resid);
	*resid = 0;
	return 0;
}

int
fz_node_readdir(struct puffs_usermount *pu, puffs_cookie_t c,
    struct dirent *dent, off_t *readoff, size_t *reslen,
    const struct puffs_cred *pcr, int *eofflag, off_t *cookies,
    size_t *ncookies)
{
	static const char *const names[] = { ".", "..", "a",
	    "a-name-that-is-rather-longer-than-the-others" };
	size_t i;

	(void)pu;
	(void)c;
	(void)pcr;
	for (i = 0; ; i++) {
		if (!puffs_nextdent(&dent, names[i % 4], i + 1, DT_REG,
		    reslen))
			break;
		(*readoff)++;
		if (cookies != NULL)
			*cookies++ = *readoff;
		if (ncookies != NULL)
			(*ncookies)++;
		if (i > 100000)
			break;
	}
	*eofflag = 0;
	return 0;
}

int
fz_node_readlink(struct puffs_usermount *pu, puffs_cookie_t c,
    const struct puffs_cred *pcr, char *link, size_t *linklen)
{
	(void)pu;
	(void)c;
	(void)pcr;
	memset(link, 'l', *linklen);
	return 0;
}

int
fz_node_getextattr(struct puffs_usermount *pu, puffs_cookie_t c, int ns,
    const char *name, size_t *size, uint8_t *buf, size_t *resid,
    const struct puffs_cred *pcr)
{
	(void)pu;
	(void)c;
	(void)ns;
	(void)pcr;
	fz_touch(name, strlen(name));
	if (size != NULL)
		*size = 100;
	if (buf != NULL && resid != NULL) {
		memset(buf, 'x', *resid);
		*resid = 0;
	}
	return 0;
}

int
fz_node_listextattr(struct puffs_usermount *pu, puffs_cookie_t c, int ns,
    size_t *size, uint8_t *buf, size_t *resid, int flag,
    const struct puffs_cred *pcr)
{
	(void)flag;
	return fz_node_getextattr(pu, c, ns, "", size, buf, resid, pcr);
}

int
fz_node_setextattr(struct puffs_usermount *pu, puffs_cookie_t c, int ns,
    const char *name, uint8_t *buf, size_t *resid,
    const struct puffs_cred *pcr)
{
	(void)pu;
	(void)c;
	(void)ns;
	(void)pcr;
	fz_touch(name, strlen(name));
	fz_touch(buf, *resid);
	*resid = 0;
	return 0;
}

static struct puffs_usermount *
fz_mount(void)
{
	struct puffs_ops *ops;

	PUFFSOP_INIT(ops);
	PUFFSOP_SET(ops, fz, fs, statvfs);
	PUFFSOP_SET(ops, fz, fs, nodetofh);
	PUFFSOP_SET(ops, fz, fs, fhtonode);
	PUFFSOP_SET(ops, fz, node, lookup);
	PUFFSOP_SET(ops, fz, node, create);
	PUFFSOP_SET(ops, fz, node, mkdir);
	PUFFSOP_SET(ops, fz, node, mknod);
	PUFFSOP_SET(ops, fz, node, symlink);
	PUFFSOP_SET(ops, fz, node, rename);
	PUFFSOP_SET(ops, fz, node, getattr);
	PUFFSOP_SET(ops, fz, node, read);
	PUFFSOP_SET(ops, fz, node, write);
	PUFFSOP_SET(ops, fz, node, readdir);
	PUFFSOP_SET(ops, fz, node, readlink);
	PUFFSOP_SET(ops, fz, node, getextattr);
	PUFFSOP_SET(ops, fz, node, listextattr);
	PUFFSOP_SET(ops, fz, node, setextattr);
	return puffs_init(ops, "fuzz", "fuzz", NULL, 0);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct puffs_usermount *pu;
	struct puffs_outframe *pof;
	struct putter_hdr hdr;
	int sv[2], bufsz = 4 * 1024 * 1024;
	uint8_t *stream;
	size_t len;

	if (size < 1 || size > 1024 * 1024)
		return 0;
	len = size - 1;
	stream = malloc(len + 1);
	memcpy(stream, data + 1, len);
	if ((data[0] & FIX_FRAMELEN) && len >= sizeof(hdr)) {
		hdr.pth_framelen = len;
		memcpy(stream, &hdr, sizeof(hdr));
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		abort();
	(void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	(void)setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	(void)send(sv[1], stream, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	shutdown(sv[1], SHUT_WR);
	free(stream);
	(void)fcntl(sv[0], F_SETFL, O_NONBLOCK);

	pu = fz_mount();
	pu->pu_fd = sv[0];
	pu->pu_state = PUFFS_STATE_RUNNING;
	(void)puffs__transport_read(pu);
	STAILQ_FOREACH(pof, &pu->pu_outq, pof_entries) {
		if (pof->pof_len < sizeof(struct puffs_req))
			__builtin_trap();
		memcpy(&hdr, pof->pof_buf, sizeof(hdr));
		if (hdr.pth_framelen != pof->pof_len)
			__builtin_trap();
		fz_touch(pof->pof_buf, pof->pof_len);
	}
	puffs__transport_free(pu);
	/* What puffs_cancel() undoes: kept stacks, the process's mount list. */
	puffs__cc_exit(pu);
	puffs__mount_unregister(pu);
	close(sv[0]);
	close(sv[1]);
	free(pu);
	return 0;
}
