/*
 * backfs_backend.c: the backend process of backfs.  It owns every inode
 * and all file data, and answers the requests of backfs_proto.h on one
 * socket until the socket closes.  Answers to READ may be held back for a
 * while (-r in backfs): they are queued with a due time and sent in
 * order, while the backend keeps reading and answering other requests, so
 * that the file server sees many requests in flight.
 * Called only by backfs.c, in the child it forks.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/queue.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backfs_proto.h"

struct bent {
	char		*e_name;
	uint64_t	 e_ino;
};

struct bnode {
	bool		 n_used;
	bool		 n_known;	/* the server holds a node for it */
	struct bf_attr	 n_attr;
	uint8_t		*n_data;
	uint64_t	 n_parent;	/* directories */
	struct bent	*n_ents;
	size_t		 n_nents;
	size_t		 n_entcap;
};

/* An answer waiting for its due time. */
struct banswer {
	STAILQ_ENTRY(banswer) a_entries;
	double		 a_due;
	uint8_t		*a_buf;
	size_t		 a_len;
};

static struct bnode	*nodes;
static size_t		 nnodes;
static STAILQ_HEAD(, banswer) delayed = STAILQ_HEAD_INITIALIZER(delayed);

/* A request being decoded: a cursor with bounds. */
struct bcur {
	const uint8_t	*c_p;
	size_t		 c_left;
	bool		 c_bad;
};

/* An answer being built. */
struct bout {
	uint8_t		*o_buf;
	size_t		 o_len;
	size_t		 o_cap;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
xalloc(void *p, size_t n)
{
	if ((p = realloc(p, n == 0 ? 1 : n)) == NULL)
		_exit(3);
	return p;
}

static void
get(struct bcur *c, void *dst, size_t n)
{
	if (c->c_bad || c->c_left < n) {
		c->c_bad = true;
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, c->c_p, n);
	c->c_p += n;
	c->c_left -= n;
}

/* A name of namelen bytes: not empty, no '/', no NUL. */
static const char *
getname(struct bcur *c, uint32_t len, char *buf)
{
	if (len == 0 || len > BF_NAMEMAX) {
		c->c_bad = true;
		return NULL;
	}
	get(c, buf, len);
	buf[len] = '\0';
	if (c->c_bad || memchr(buf, '/', len) != NULL || strlen(buf) != len) {
		c->c_bad = true;
		return NULL;
	}
	return buf;
}

static void
put(struct bout *o, const void *src, size_t n)
{
	if (o->o_len + n > o->o_cap) {
		o->o_cap = (o->o_len + n) * 2;
		o->o_buf = xalloc(o->o_buf, o->o_cap);
	}
	memcpy(o->o_buf + o->o_len, src, n);
	o->o_len += n;
}

static void
stamp(int64_t t[2])
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	t[0] = ts.tv_sec;
	t[1] = ts.tv_nsec;
}

static struct bnode *
node(uint64_t ino)
{
	if (ino == 0 || ino >= nnodes || !nodes[ino].n_used)
		return NULL;
	return &nodes[ino];
}

static struct bnode *
dirnode(uint64_t ino, int *error)
{
	struct bnode *n = node(ino);

	*error = n == NULL ? ESTALE : !S_ISDIR(n->n_attr.a_mode) ? ENOTDIR : 0;
	return *error ? NULL : n;
}

static uint64_t
node_new(uint32_t mode, uint32_t uid, uint32_t gid)
{
	uint64_t ino;
	struct bnode *n;

	for (ino = BF_ROOTINO; ino < nnodes && nodes[ino].n_used; ino++)
		continue;
	if (ino >= nnodes) {
		nodes = xalloc(nodes, (nnodes * 2 + 16) * sizeof(*nodes));
		memset(nodes + nnodes, 0, (nnodes + 16) * sizeof(*nodes));
		nnodes = nnodes * 2 + 16;
	}
	n = &nodes[ino];
	memset(n, 0, sizeof(*n));
	n->n_used = true;
	n->n_attr.a_ino = ino;
	n->n_attr.a_mode = mode;
	n->n_attr.a_nlink = S_ISDIR(mode) ? 2 : 1;
	n->n_attr.a_uid = uid;
	n->n_attr.a_gid = gid;
	stamp(n->n_attr.a_atime);
	memcpy(n->n_attr.a_mtime, n->n_attr.a_atime, sizeof(n->n_attr.a_mtime));
	memcpy(n->n_attr.a_ctime, n->n_attr.a_atime, sizeof(n->n_attr.a_ctime));
	return ino;
}

/* Frees an inode nobody names and the server no longer holds. */
static void
node_gc(uint64_t ino)
{
	struct bnode *n = &nodes[ino];
	size_t i;

	if (n->n_attr.a_nlink > 0 || n->n_known || ino == BF_ROOTINO)
		return;
	for (i = 0; i < n->n_nents; i++)
		free(n->n_ents[i].e_name);
	free(n->n_ents);
	free(n->n_data);
	memset(n, 0, sizeof(*n));
}

/* One name less; a directory has none left. */
static void
node_unref(uint64_t ino)
{
	struct bnode *n = &nodes[ino];

	if (S_ISDIR(n->n_attr.a_mode) || n->n_attr.a_nlink == 0)
		n->n_attr.a_nlink = 0;
	else
		n->n_attr.a_nlink--;
	stamp(n->n_attr.a_ctime);
	node_gc(ino);
}

/* The attributes of a node handed to the server, which now holds it. */
static void
put_known(struct bout *o, uint64_t ino)
{
	nodes[ino].n_known = true;
	put(o, &nodes[ino].n_attr, sizeof(struct bf_attr));
}

static struct bent *
dir_find(struct bnode *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n_nents; i++)
		if (strcmp(d->n_ents[i].e_name, name) == 0)
			return &d->n_ents[i];
	return NULL;
}

static void
dir_add(struct bnode *d, const char *name, uint64_t ino)
{
	if (d->n_nents == d->n_entcap) {
		d->n_entcap = d->n_entcap * 2 + 8;
		d->n_ents = xalloc(d->n_ents, d->n_entcap * sizeof(*d->n_ents));
	}
	d->n_ents[d->n_nents].e_name = strdup(name);
	d->n_ents[d->n_nents].e_ino = ino;
	if (d->n_ents[d->n_nents].e_name == NULL)
		_exit(3);
	d->n_nents++;
	stamp(d->n_attr.a_mtime);
	memcpy(d->n_attr.a_ctime, d->n_attr.a_mtime, sizeof(d->n_attr.a_ctime));
}

static void
dir_del(struct bnode *d, struct bent *e)
{
	free(e->e_name);
	*e = d->n_ents[--d->n_nents];
	stamp(d->n_attr.a_mtime);
	memcpy(d->n_attr.a_ctime, d->n_attr.a_mtime, sizeof(d->n_attr.a_ctime));
}

/* ---- one handler per op: decode, act, put the result ---- */

static int
op_getattr(struct bcur *c, struct bout *o)
{
	uint64_t ino;
	struct bnode *n;

	get(c, &ino, 8);
	if ((n = node(ino)) == NULL)
		return ESTALE;
	put(o, &n->n_attr, sizeof(n->n_attr));
	return 0;
}

static int
op_lookup(struct bcur *c, struct bout *o)
{
	char buf[BF_NAMEMAX + 1];
	const char *name;
	struct bnode *d;
	struct bent *e;
	uint64_t dir;
	uint32_t len;
	int error;

	get(c, &dir, 8);
	get(c, &len, 4);
	if ((name = getname(c, len, buf)) == NULL)
		return EINVAL;
	if ((d = dirnode(dir, &error)) == NULL)
		return error;
	if ((e = dir_find(d, name)) == NULL)
		return ENOENT;
	put_known(o, e->e_ino);
	return 0;
}

static int
op_create(struct bcur *c, struct bout *o)
{
	char buf[BF_NAMEMAX + 1];
	uint32_t mode, uid, gid, len, tlen = 0;
	const char *name;
	const uint8_t *target = NULL;
	struct bnode *d;
	uint64_t dir, ino;
	int error;

	get(c, &dir, 8);
	get(c, &mode, 4);
	get(c, &uid, 4);
	get(c, &gid, 4);
	get(c, &len, 4);
	if ((name = getname(c, len, buf)) == NULL)
		return EINVAL;
	if (S_ISLNK(mode)) {
		get(c, &tlen, 4);
		if (c->c_bad || tlen == 0 || tlen > BF_LINKMAX ||
		    tlen > c->c_left)
			return EINVAL;
		target = c->c_p;
	} else if (!S_ISREG(mode) && !S_ISDIR(mode))
		return EOPNOTSUPP;
	if ((d = dirnode(dir, &error)) == NULL)
		return error;
	if (d->n_attr.a_nlink == 0)
		return ENOENT;		/* removed while the server held it */
	if (dir_find(d, name) != NULL)
		return EEXIST;
	/* A setgid directory hands its group down, and the bit to
	 * directories, as Linux file systems do. */
	if (d->n_attr.a_mode & S_ISGID) {
		gid = d->n_attr.a_gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	}
	ino = node_new(mode, uid, gid);
	d = &nodes[dir];	/* node_new may have moved the table */
	dir_add(d, name, ino);
	if (S_ISDIR(mode)) {
		nodes[ino].n_parent = dir;
		d->n_attr.a_nlink++;
	}
	if (target != NULL) {
		nodes[ino].n_data = xalloc(NULL, tlen);
		memcpy(nodes[ino].n_data, target, tlen);
		nodes[ino].n_attr.a_size = tlen;
	}
	put_known(o, ino);
	return 0;
}

static int
op_link(struct bcur *c, struct bout *o)
{
	char buf[BF_NAMEMAX + 1];
	const char *name;
	struct bnode *d, *n;
	uint64_t ino, dir;
	uint32_t len;
	int error;

	get(c, &ino, 8);
	get(c, &dir, 8);
	get(c, &len, 4);
	if ((name = getname(c, len, buf)) == NULL)
		return EINVAL;
	if ((n = node(ino)) == NULL)
		return ESTALE;
	if ((d = dirnode(dir, &error)) == NULL)
		return error;
	if (S_ISDIR(n->n_attr.a_mode))
		return EPERM;
	if (n->n_attr.a_nlink == 0 || d->n_attr.a_nlink == 0)
		return ENOENT;
	if (dir_find(d, name) != NULL)
		return EEXIST;
	dir_add(d, name, ino);
	n->n_attr.a_nlink++;
	stamp(n->n_attr.a_ctime);
	put_known(o, ino);
	return 0;
}

static int
op_forget(struct bcur *c, struct bout *o)
{
	struct bnode *n;
	uint64_t ino;

	(void)o;
	get(c, &ino, 8);
	if ((n = node(ino)) == NULL)
		return ESTALE;
	n->n_known = false;
	node_gc(ino);
	return 0;
}

static int
op_remove(struct bcur *c, struct bout *o)
{
	char buf[BF_NAMEMAX + 1];
	uint32_t isdir, len;
	const char *name;
	struct bnode *d, *n;
	struct bent *e;
	uint64_t dir, ino;
	int error;

	(void)o;
	get(c, &dir, 8);
	get(c, &isdir, 4);
	get(c, &len, 4);
	if ((name = getname(c, len, buf)) == NULL)
		return EINVAL;
	if ((d = dirnode(dir, &error)) == NULL)
		return error;
	if ((e = dir_find(d, name)) == NULL)
		return ENOENT;
	ino = e->e_ino;
	n = &nodes[ino];
	if (isdir && !S_ISDIR(n->n_attr.a_mode))
		return ENOTDIR;
	if (!isdir && S_ISDIR(n->n_attr.a_mode))
		return EISDIR;
	if (isdir && n->n_nents > 0)
		return ENOTEMPTY;
	dir_del(d, e);
	if (isdir)
		d->n_attr.a_nlink--;
	node_unref(ino);
	return 0;
}

static int
op_setattr(struct bcur *c, struct bout *o)
{
	struct bf_setattr s;
	struct bnode *n;

	get(c, &s, sizeof(s));
	if (c->c_bad)
		return EINVAL;
	if ((n = node(s.s_ino)) == NULL)
		return ESTALE;
	if (s.s_mask & BF_SET_SIZE) {
		if (S_ISDIR(n->n_attr.a_mode))
			return EISDIR;
		if (s.s_size > (uint64_t)1 << 32)
			return EFBIG;
		n->n_data = xalloc(n->n_data, s.s_size);
		if (s.s_size > n->n_attr.a_size)
			memset(n->n_data + n->n_attr.a_size, 0,
			    s.s_size - n->n_attr.a_size);
		n->n_attr.a_size = s.s_size;
		stamp(n->n_attr.a_mtime);
	}
	if (s.s_mask & BF_SET_MODE)
		n->n_attr.a_mode = (n->n_attr.a_mode & S_IFMT) |
		    (s.s_mode & 07777);
	if (s.s_mask & BF_SET_UID)
		n->n_attr.a_uid = s.s_uid;
	if (s.s_mask & BF_SET_GID)
		n->n_attr.a_gid = s.s_gid;
	if (s.s_mask & BF_SET_ATIME)
		memcpy(n->n_attr.a_atime, s.s_atime, sizeof(s.s_atime));
	if (s.s_mask & BF_SET_MTIME)
		memcpy(n->n_attr.a_mtime, s.s_mtime, sizeof(s.s_mtime));
	stamp(n->n_attr.a_ctime);
	put(o, &n->n_attr, sizeof(n->n_attr));
	return 0;
}

static int
op_read(struct bcur *c, struct bout *o)
{
	uint64_t ino, off;
	uint32_t len;
	struct bnode *n;

	get(c, &ino, 8);
	get(c, &off, 8);
	get(c, &len, 4);
	if (c->c_bad || len > BF_MAXIO)
		return EINVAL;
	if ((n = node(ino)) == NULL)
		return ESTALE;
	if (S_ISDIR(n->n_attr.a_mode))
		return EISDIR;
	stamp(n->n_attr.a_atime);	/* the access time reads keep */
	if (off >= n->n_attr.a_size)
		return 0;	/* symlinks too: the target is their data */
	if (len > n->n_attr.a_size - off)
		len = (uint32_t)(n->n_attr.a_size - off);
	put(o, n->n_data + off, len);
	return 0;
}

static int
op_write(struct bcur *c, struct bout *o)
{
	uint64_t ino, off;
	uint32_t len;
	struct bnode *n;

	get(c, &ino, 8);
	get(c, &off, 8);
	get(c, &len, 4);
	if (c->c_bad || len > BF_MAXIO || len > c->c_left)
		return EINVAL;
	if ((n = node(ino)) == NULL)
		return ESTALE;
	if (S_ISDIR(n->n_attr.a_mode))
		return EISDIR;
	if (off > (uint64_t)1 << 32)
		return EFBIG;
	if (off + len > n->n_attr.a_size) {
		n->n_data = xalloc(n->n_data, off + len);
		if (off > n->n_attr.a_size)
			memset(n->n_data + n->n_attr.a_size, 0,
			    off - n->n_attr.a_size);
		n->n_attr.a_size = off + len;
	}
	memcpy(n->n_data + off, c->c_p, len);
	stamp(n->n_attr.a_mtime);
	memcpy(n->n_attr.a_ctime, n->n_attr.a_mtime, sizeof(n->n_attr.a_ctime));
	put(o, &n->n_attr, sizeof(n->n_attr));
	return 0;
}

/* Index 0 is ".", 1 is "..", then the entries. */
static bool
readdir_one(struct bout *o, uint64_t ino, uint32_t dtype, const char *name)
{
	uint32_t len = (uint32_t)strlen(name);

	if (o->o_len + 16 + len > BF_MAXFRAME - 64)
		return false;
	put(o, &ino, 8);
	put(o, &dtype, 4);
	put(o, &len, 4);
	put(o, name, len);
	return true;
}

static int
op_readdir(struct bcur *c, struct bout *o)
{
	uint64_t dir, idx, ino;
	uint32_t eof = 0, dtype;
	size_t eofat;
	struct bnode *d;
	int error;

	get(c, &dir, 8);
	get(c, &idx, 8);
	if ((d = dirnode(dir, &error)) == NULL)
		return error;
	eofat = o->o_len;
	put(o, &eof, 4);
	for (;; idx++) {
		if (idx == 0) {
			if (!readdir_one(o, dir, DT_DIR, "."))
				break;
		} else if (idx == 1) {
			ino = d->n_parent ? d->n_parent : dir;
			if (!readdir_one(o, ino, DT_DIR, ".."))
				break;
		} else if (idx - 2 >= d->n_nents) {
			eof = 1;
			break;
		} else {
			ino = d->n_ents[idx - 2].e_ino;
			dtype = S_ISDIR(nodes[ino].n_attr.a_mode) ? DT_DIR :
			    S_ISLNK(nodes[ino].n_attr.a_mode) ? DT_LNK :
			    DT_REG;
			if (!readdir_one(o, ino, dtype,
			    d->n_ents[idx - 2].e_name))
				break;
		}
	}
	memcpy(o->o_buf + eofat, &eof, 4);
	return 0;
}

static bool
is_ancestor(uint64_t anc, uint64_t ino)
{
	while (ino != 0 && ino != BF_ROOTINO) {
		if (ino == anc)
			return true;
		ino = nodes[ino].n_parent;
	}
	return anc == ino;
}

static int
op_rename(struct bcur *c, struct bout *o)
{
	char sbuf[BF_NAMEMAX + 1], dbuf[BF_NAMEMAX + 1];
	uint64_t sdir, ddir, ino;
	uint32_t slen, dlen;
	const char *sname, *dname;
	struct bnode *sd, *dd, *n, *t;
	struct bent *se, *de;
	int error;

	(void)o;
	get(c, &sdir, 8);
	get(c, &ddir, 8);
	get(c, &slen, 4);
	get(c, &dlen, 4);
	sname = getname(c, slen, sbuf);
	dname = getname(c, dlen, dbuf);
	if (sname == NULL || dname == NULL)
		return EINVAL;
	if ((sd = dirnode(sdir, &error)) == NULL ||
	    (dd = dirnode(ddir, &error)) == NULL)
		return error;
	if ((se = dir_find(sd, sname)) == NULL)
		return ENOENT;
	ino = se->e_ino;
	n = &nodes[ino];
	if (S_ISDIR(n->n_attr.a_mode) && is_ancestor(ino, ddir))
		return EINVAL;
	if ((de = dir_find(dd, dname)) != NULL) {
		if (de->e_ino == ino)
			return 0;
		t = &nodes[de->e_ino];
		if (S_ISDIR(n->n_attr.a_mode) && !S_ISDIR(t->n_attr.a_mode))
			return ENOTDIR;
		if (!S_ISDIR(n->n_attr.a_mode) && S_ISDIR(t->n_attr.a_mode))
			return EISDIR;
		if (S_ISDIR(t->n_attr.a_mode) && t->n_nents > 0)
			return ENOTEMPTY;
		if (S_ISDIR(t->n_attr.a_mode))
			dd->n_attr.a_nlink--;
		ino = de->e_ino;
		dir_del(dd, de);
		node_unref(ino);
		se = dir_find(sd, sname);	/* dir_del moved entries */
		ino = se->e_ino;
	}
	dir_del(sd, se);
	dir_add(dd, dname, ino);
	if (S_ISDIR(n->n_attr.a_mode) && sdir != ddir) {
		sd->n_attr.a_nlink--;
		dd->n_attr.a_nlink++;
		n->n_parent = ddir;
	}
	stamp(n->n_attr.a_ctime);
	return 0;
}

typedef int (*op_fn)(struct bcur *, struct bout *);

static const op_fn optab[] = {
	[BF_GETATTR] = op_getattr,
	[BF_LOOKUP] = op_lookup,
	[BF_CREATE] = op_create,
	[BF_REMOVE] = op_remove,
	[BF_SETATTR] = op_setattr,
	[BF_READ] = op_read,
	[BF_WRITE] = op_write,
	[BF_READDIR] = op_readdir,
	[BF_RENAME] = op_rename,
	[BF_LINK] = op_link,
	[BF_FORGET] = op_forget,
};

/* ---- the loop ---- */

static int
writeall(int fd, const uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads one whole request; NULL at EOF or on nonsense. */
static uint8_t *
readreq(int fd, struct bf_hdr *h)
{
	uint8_t *buf;

	if (recv(fd, h, sizeof(*h), MSG_WAITALL) != (ssize_t)sizeof(*h) ||
	    h->h_len < sizeof(*h) || h->h_len > BF_MAXFRAME)
		return NULL;
	buf = xalloc(NULL, h->h_len);
	memcpy(buf, h, sizeof(*h));
	if (h->h_len > sizeof(*h) &&
	    recv(fd, buf + sizeof(*h), h->h_len - sizeof(*h), MSG_WAITALL) !=
	    (ssize_t)(h->h_len - sizeof(*h))) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Answers one request, now or (READ with a delay) later. */
static int
serve(int fd, int readdelay_ms)
{
	struct bf_hdr h, *ah;
	struct bcur c;
	struct bout o = { NULL, 0, 0 };
	struct banswer *a;
	uint8_t *req;
	int error;

	if ((req = readreq(fd, &h)) == NULL)
		return -1;
	c.c_p = req + sizeof(h);
	c.c_left = h.h_len - sizeof(h);
	c.c_bad = false;
	put(&o, &h, sizeof(h));
	if (h.h_op < sizeof(optab) / sizeof(optab[0]) && optab[h.h_op])
		error = optab[h.h_op](&c, &o);
	else
		error = EOPNOTSUPP;
	if (c.c_bad)
		error = EINVAL;
	if (error)
		o.o_len = sizeof(h);
	free(req);
	ah = (struct bf_hdr *)(void *)o.o_buf;
	ah->h_len = (uint32_t)o.o_len;
	ah->h_op = (uint32_t)error;
	if (h.h_op != BF_READ || readdelay_ms <= 0) {
		error = writeall(fd, o.o_buf, o.o_len);
		free(o.o_buf);
		return error;
	}
	a = xalloc(NULL, sizeof(*a));
	a->a_due = now() + readdelay_ms / 1000.0;
	a->a_buf = o.o_buf;
	a->a_len = o.o_len;
	STAILQ_INSERT_TAIL(&delayed, a, a_entries);
	return 0;
}

/* Sends the delayed answers that are due; ms until the next, or -1. */
static int
flush_due(int fd)
{
	struct banswer *a;
	double t = now();

	while ((a = STAILQ_FIRST(&delayed)) != NULL && a->a_due <= t) {
		STAILQ_REMOVE_HEAD(&delayed, a_entries);
		if (writeall(fd, a->a_buf, a->a_len) == -1)
			_exit(0);
		free(a->a_buf);
		free(a);
	}
	if (a == NULL)
		return -1;
	return (int)((a->a_due - t) * 1000) + 1;
}

void
backend_run(int fd, int readdelay_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t root;
	int timeout;

	root = node_new(S_IFDIR | 0755, 0, 0);
	nodes[root].n_parent = root;
	for (;;) {
		timeout = flush_due(fd);
		if (poll(&pfd, 1, timeout) == -1 && errno != EINTR)
			_exit(2);
		if ((pfd.revents & (POLLIN | POLLHUP | POLLERR)) &&
		    serve(fd, readdelay_ms) == -1)
			_exit(0);
	}
}
