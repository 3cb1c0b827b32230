/*
 * fuzz_seeds.c: writes the seed corpora of tests/fuzz/corpus/ from the
 * real wire structures, so that the seeds follow the protocol header.
 * Usage: fuzz-seeds CORPUSDIR (the directories per target must exist).
 * Seeds are well-formed inputs, one per message kind; the fuzzer mutates
 * from there.  Regression seeds of fixed bugs are committed separately.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <puffs-bridge/puffs_msgif.h>

static const char *seed_dir;

/* One seed: prefix bytes (selector, fix-ups), then the stream. */
static void
seed_write(const char *target, const char *name, const uint8_t *prefix,
    size_t plen, GByteArray *stream)
{
	GByteArray *all = g_byte_array_new();
	gchar *path;
	GError *err = NULL;

	g_byte_array_append(all, prefix, plen);
	g_byte_array_append(all, stream->data, stream->len);
	path = g_strdup_printf("%s/%s/%s", seed_dir, target, name);
	if (!g_file_set_contents(path, (gchar *)all->data, all->len, &err)) {
		fprintf(stderr, "fuzz-seeds: %s\n", err->message);
		exit(1);
	}
	g_free(path);
	g_byte_array_free(all, TRUE);
}

/* Append a frame of len bytes built by the caller in buf. */
static void
seed_frame(GByteArray *s, void *buf, size_t len, uint16_t opclass,
    uint16_t optype, uint64_t id, size_t buflen)
{
	struct puffs_req *preq = buf;

	preq->preq_pth.pth_framelen = len;
	preq->preq_opclass = opclass;
	preq->preq_optype = optype;
	preq->preq_id = id;
	preq->preq_cookie = 1;
	preq->preq_buflen = buflen;
	g_byte_array_append(s, buf, len);
}

static size_t
seed_dirent(uint8_t *p, const char *name, uint64_t ino)
{
	struct puffs_kdirent *kd = (struct puffs_kdirent *)p;
	size_t namlen = strlen(name), reclen = PUFFS_DIRENT_RECLEN(namlen);

	kd->d_fileno = ino;
	kd->d_reclen = reclen;
	kd->d_namlen = namlen;
	kd->d_type = 8;
	memcpy(p + PUFFS_DIRENT_NAMEOFF, name, namlen);
	return reclen;
}

/* Replies as a server sends them; byte 0 is the fuzz target's kind. */
static void
seeds_srvframe(void)
{
	static const struct { uint16_t optype; size_t size; } fixed[] = {
		{ PUFFS_VN_LOOKUP, sizeof(struct puffs_vnmsg_lookup) },
		{ PUFFS_VN_CREATE, sizeof(struct puffs_vnmsg_create) },
		{ PUFFS_VN_SYMLINK, sizeof(struct puffs_vnmsg_symlink) },
		{ PUFFS_VN_OPEN, sizeof(struct puffs_vnmsg_open) },
		{ PUFFS_VN_GETATTR, sizeof(struct puffs_vnmsg_getattr) },
	};
	uint8_t buf[16384], pre[2];
	GByteArray *s;
	size_t i, off;
	char name[32];

	for (i = 0; i < G_N_ELEMENTS(fixed); i++) {
		memset(buf, 0, sizeof(buf));
		s = g_byte_array_new();
		seed_frame(s, buf, fixed[i].size, PUFFSOP_VN |
		    PUFFSOPFLAG_ISRESPONSE, fixed[i].optype, 1, 0);
		pre[0] = i;
		pre[1] = 0;
		snprintf(name, sizeof(name), "reply-%zu", i);
		seed_write("srvframe", name, pre, 2, s);
		g_byte_array_free(s, TRUE);
	}
	/* STATVFS */
	memset(buf, 0, sizeof(buf));
	s = g_byte_array_new();
	seed_frame(s, buf, sizeof(struct puffs_vfsmsg_statvfs), PUFFSOP_VFS |
	    PUFFSOPFLAG_ISRESPONSE, PUFFS_VFS_STATVFS, 1, 0);
	pre[0] = 5;
	seed_write("srvframe", "reply-statvfs", pre, 2, s);
	g_byte_array_free(s, TRUE);
	/* READ of 4096: 100 bytes came back */
	{
		struct puffs_vnmsg_rw *rw = (void *)buf;

		memset(buf, 0, sizeof(buf));
		rw->pvnr_resid = 4096 - 100;
		memset(rw->pvnr_data, 'd', 100);
		s = g_byte_array_new();
		seed_frame(s, buf, sizeof(*rw) + 100, PUFFSOP_VN |
		    PUFFSOPFLAG_ISRESPONSE, PUFFS_VN_READ, 1, 0);
		pre[0] = 6;
		seed_write("srvframe", "reply-read", pre, 2, s);
		g_byte_array_free(s, TRUE);
		memset(buf, 0, sizeof(buf));
		s = g_byte_array_new();
		seed_frame(s, buf, sizeof(*rw), PUFFSOP_VN |
		    PUFFSOPFLAG_ISRESPONSE, PUFFS_VN_WRITE, 1, 0);
		pre[0] = 7;
		seed_write("srvframe", "reply-write", pre, 2, s);
		g_byte_array_free(s, TRUE);
	}
	/* READDIR: two cookies, three entries */
	{
		struct puffs_vnmsg_readdir *rd = (void *)buf;
		int64_t cookies[2] = { 1, 2 };

		memset(buf, 0, sizeof(buf));
		memcpy(rd->pvnr_data, cookies, sizeof(cookies));
		off = sizeof(cookies);
		off += seed_dirent(rd->pvnr_data + off, ".", 1);
		off += seed_dirent(rd->pvnr_data + off, "..", 1);
		off += seed_dirent(rd->pvnr_data + off, "file", 2);
		rd->pvnr_dentoff = sizeof(cookies);
		rd->pvnr_ncookies = 2;
		rd->pvnr_resid = 4096 - off;
		s = g_byte_array_new();
		seed_frame(s, buf, sizeof(*rd) + off, PUFFSOP_VN |
		    PUFFSOPFLAG_ISRESPONSE, PUFFS_VN_READDIR, 1, 0);
		pre[0] = 8;
		seed_write("srvframe", "reply-readdir", pre, 2, s);
		g_byte_array_free(s, TRUE);
	}
	/* READLINK */
	{
		struct puffs_vnmsg_readlink *rl = (void *)buf;

		memset(buf, 0, sizeof(buf));
		rl->pvnr_linklen = 6;
		memcpy(rl->pvnr_link, "target", 6);
		s = g_byte_array_new();
		seed_frame(s, buf, sizeof(*rl), PUFFSOP_VN |
		    PUFFSOPFLAG_ISRESPONSE, PUFFS_VN_READLINK, 1, 0);
		pre[0] = 9;
		seed_write("srvframe", "reply-readlink", pre, 2, s);
		g_byte_array_free(s, TRUE);
	}
	/* Requests of the server's own: puffs_exit, a flush */
	memset(buf, 0, sizeof(buf));
	s = g_byte_array_new();
	seed_frame(s, buf, sizeof(struct puffs_req), PUFFSOP_UNMOUNT, 0,
	    PUFFS_SRVREQ_IDBIT | 1, 0);
	pre[0] = 0;
	seed_write("srvframe", "srvreq-unmount", pre, 2, s);
	g_byte_array_free(s, TRUE);
	memset(buf, 0, sizeof(buf));
	s = g_byte_array_new();
	seed_frame(s, buf, sizeof(struct puffs_req), PUFFSOP_FLUSH, 0,
	    PUFFS_SRVREQ_IDBIT | 2, 0);
	seed_write("srvframe", "srvreq-flush", pre, 2, s);
	g_byte_array_free(s, TRUE);
}

static void
seeds_mountreq(void)
{
	static const char dir[] = "/mnt/fuzz";
	uint8_t buf[sizeof(struct puffs_mountreq) + sizeof(dir)], pre = 0;
	struct puffs_mountreq *mr = (void *)buf;
	GByteArray *s = g_byte_array_new();

	memset(buf, 0, sizeof(buf));
	mr->pmr_pth.pth_framelen = sizeof(buf);
	mr->pmr_magic = PUFFS_BRIDGE_MAGIC;
	mr->pmr_version = PUFFS_BRIDGE_VERSION;
	mr->pmr_dirlen = sizeof(dir);
	mr->pmr_kargs.pa_vers = PUFFSVERSION;
	mr->pmr_kargs.pa_root_cookie = 1;
	mr->pmr_kargs.pa_root_vtype = PUFFS_VDIR;
	g_strlcpy(mr->pmr_kargs.pa_typename, "puffs|fuzz",
	    sizeof(mr->pmr_kargs.pa_typename));
	g_strlcpy(mr->pmr_kargs.pa_mntfromname, "fuzz",
	    sizeof(mr->pmr_kargs.pa_mntfromname));
	memcpy(mr->pmr_data, dir, sizeof(dir));
	g_byte_array_append(s, buf, sizeof(buf));
	seed_write("mountreq", "valid", &pre, 1, s);
	g_byte_array_free(s, TRUE);
}

static void
seeds_peer(void)
{
	uint8_t buf[512], pre = 0;
	GByteArray *s = g_byte_array_new();
	struct putter_hdr big = { UINT64_C(4) << 30 };

	memset(buf, 0, sizeof(buf));
	seed_frame(s, buf, sizeof(struct puffs_req), PUFFSOP_VN |
	    PUFFSOPFLAG_ISRESPONSE, PUFFS_VN_GETATTR, 1, 0);
	seed_frame(s, buf, 200, PUFFSOP_VN | PUFFSOPFLAG_ISRESPONSE,
	    PUFFS_VN_READ, 2, 0);
	seed_write("peer", "two-frames", &pre, 1, s);
	g_byte_array_append(s, (uint8_t *)&big, sizeof(big));
	seed_write("peer", "then-4gib", &pre, 1, s);
	g_byte_array_free(s, TRUE);
}

/* Requests as puffsd sends them to libpuffs. */
static void
seeds_libpuffs(void)
{
	uint8_t *buf = g_malloc0(65536), pre = 0;
	GByteArray *s = g_byte_array_new();
	struct puffs_vnmsg_lookup *lk = (void *)buf;
	struct puffs_vnmsg_rw *rw = (void *)buf;
	struct puffs_vnmsg_readdir *rd = (void *)buf;
	struct puffs_vnmsg_readlink *rl = (void *)buf;
	struct puffs_vnmsg_getextattr *gx = (void *)buf;
	struct puffs_vfsmsg_nodetofh *fh = (void *)buf;

	g_strlcpy(lk->pvnr_cn.pkcn_name, "name", PUFFS_MAXPATHLEN);
	lk->pvnr_cn.pkcn_namelen = 4;
	seed_frame(s, buf, sizeof(*lk), PUFFSOP_VN, PUFFS_VN_LOOKUP, 1,
	    sizeof(*lk));
	memset(buf, 0, 65536);
	seed_frame(s, buf, sizeof(struct puffs_vnmsg_getattr), PUFFSOP_VN,
	    PUFFS_VN_GETATTR, 2, sizeof(struct puffs_vnmsg_getattr));
	memset(buf, 0, 65536);
	rw->pvnr_resid = 4096;
	seed_frame(s, buf, sizeof(*rw), PUFFSOP_VN, PUFFS_VN_READ, 3,
	    sizeof(*rw) + 4096);
	memset(buf, 0, 65536);
	rw->pvnr_resid = 100;
	/*
	 * GCC 12 with the sanitizers wrongly sizes the g_malloc0 buffer at
	 * 0 bytes here (-Warray-bounds, -Wstringop-overflow); the 100 bytes
	 * are well inside it.
	 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
	memset(buf + offsetof(struct puffs_vnmsg_rw, pvnr_data), 'w', 100);
#pragma GCC diagnostic pop
	seed_frame(s, buf, sizeof(*rw) + 100, PUFFSOP_VN, PUFFS_VN_WRITE, 4,
	    sizeof(*rw));
	memset(buf, 0, 65536);
	rd->pvnr_resid = 4096;
	rd->pvnr_dentoff = 8 * 16;
	rd->pvnr_ncookies = 16;
	seed_frame(s, buf, sizeof(*rd), PUFFSOP_VN, PUFFS_VN_READDIR, 5,
	    sizeof(*rd) + 4096);
	memset(buf, 0, 65536);
	rl->pvnr_linklen = PUFFS_MAXPATHLEN;
	seed_frame(s, buf, sizeof(*rl), PUFFSOP_VN, PUFFS_VN_READLINK, 6,
	    sizeof(*rl));
	memset(buf, 0, 65536);
	gx->pvnr_resid = 64;
	gx->pvnr_datasize = 1;
	g_strlcpy(gx->pvnr_attrname, "user.x", sizeof(gx->pvnr_attrname));
	seed_frame(s, buf, sizeof(*gx), PUFFSOP_VN, PUFFS_VN_GETEXTATTR, 7,
	    sizeof(*gx) + 64);
	memset(buf, 0, 65536);
	fh->pvfsr_dsize = 64;
	seed_frame(s, buf, sizeof(*fh), PUFFSOP_VFS, PUFFS_VFS_VPTOFH, 8,
	    sizeof(*fh) + 64);
	memset(buf, 0, 65536);
	seed_frame(s, buf, sizeof(struct puffs_vfsmsg_statvfs), PUFFSOP_VFS,
	    PUFFS_VFS_STATVFS, 9, sizeof(struct puffs_vfsmsg_statvfs));
	seed_write("libpuffs", "mixed", &pre, 1, s);
	g_byte_array_free(s, TRUE);
	g_free(buf);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fuzz-seeds CORPUSDIR\n");
		return 2;
	}
	seed_dir = argv[1];
	seeds_srvframe();
	seeds_mountreq();
	seeds_peer();
	seeds_libpuffs();
	return 0;
}
