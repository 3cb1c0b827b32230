/*
 * fsx_engine.c: the exerciser itself (see fsx.h).  After every operation
 * the file's size and the bytes the operation touched (plus the last page)
 * are compared with the shadow; every opts->fullcheck operations the whole
 * file is; every opts->dropcache operations the file's cached pages are
 * dropped first, so that the comparison reads what the file system holds
 * rather than what the page cache remembers.  An operation type the file
 * system refuses with EOPNOTSUPP (fallocate modes) is reported once and
 * left out from then on.
 */
#include "fsx.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/falloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum fsx_op {
	OP_READ, OP_WRITE, OP_TRUNCATE, OP_MAPREAD, OP_MAPWRITE,
	OP_FALLOCATE, OP_PUNCH, OP_NTYPES
};

static const char *const fsx_opname[OP_NTYPES] = {
	"read", "write", "truncate", "mapread", "mapwrite", "fallocate",
	"punch_hole",
};

/* Relative frequencies. */
static const unsigned int fsx_weight[OP_NTYPES] = { 25, 25, 8, 12, 12, 9,
	9 };

#define FSX_LOG	32

struct fsx_logent {
	unsigned long	n;
	enum fsx_op	op;
	uint64_t	off, len, size_before;
};

struct fsx {
	const struct fsx_opts *o;
	int		 fd;
	uint64_t	 rng;
	unsigned long	 n;		/* the operation being done */
	uint8_t		*shadow;
	uint8_t		*buf;
	uint64_t	 size;
	int		 disabled[OP_NTYPES];
	unsigned long	 count[OP_NTYPES];
	struct fsx_logent log[FSX_LOG];
	long		 pagesize;
};

void
fsx_defaults(struct fsx_opts *o)
{
	o->nops = 100000;
	o->maxlen = 256 * 1024;
	o->maxio = 64 * 1024;
	o->fullcheck = 64;
	o->dropcache = 1024;
	o->verbose = 0;
}

uint64_t
fsx_seed_from_env(void)
{
	const char *s = getenv("FSX_SEED");
	struct timespec ts;

	if (s != NULL && *s != '\0')
		return strtoull(s, NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^
	    (uint64_t)getpid() << 32) & 0xffffffffffffULL;
}

/* xorshift64*: plenty for picking offsets and filling buffers. */
static uint64_t
fsx_rand(struct fsx *f)
{
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 2685821657736338717ULL;
}

static uint64_t
fsx_below(struct fsx *f, uint64_t n)
{
	return n == 0 ? 0 : fsx_rand(f) % n;
}

static void
fsx_dump_log(struct fsx *f)
{
	fprintf(stderr, "fsx: the last operations (oldest first):\n");
	for (unsigned long i = f->n >= FSX_LOG ? f->n - FSX_LOG + 1 : 1;
	    i <= f->n; i++) {
		struct fsx_logent *e = &f->log[i % FSX_LOG];

		if (e->n != i)
			continue;
		fprintf(stderr, "  %8lu %-10s off %7" PRIu64 " len %6" PRIu64
		    " (size was %" PRIu64 ")\n", e->n, fsx_opname[e->op],
		    e->off, e->len, e->size_before);
	}
}

static int
fsx_fail(struct fsx *f, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fsx: FAILED at operation %lu of %lu on %s: ", f->n,
	    f->o->nops, f->o->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fsx_dump_log(f);
	fprintf(stderr, "fsx: seed %" PRIu64 "; replay with FSX_SEED=%" PRIu64
	    " (or fsx -S %" PRIu64 " -N %lu FILE)\n", f->o->seed, f->o->seed,
	    f->o->seed, f->n);
	return 1;
}

/* Compare got (what the file gave for [off, off+len)) with the shadow. */
static int
fsx_same(struct fsx *f, const char *how, uint64_t off, const uint8_t *got,
    uint64_t len)
{
	if (memcmp(got, f->shadow + off, len) == 0)
		return 0;
	for (uint64_t i = 0; i < len; i++)
		if (got[i] != f->shadow[off + i]) {
			uint64_t end = i;

			while (end < len && got[end] != f->shadow[off + end])
				end++;
			return fsx_fail(f, "%s: byte %" PRIu64 " is 0x%02x, "
			    "must be 0x%02x (%" PRIu64 " bad bytes from "
			    "there)", how, off + i, got[i],
			    f->shadow[off + i], end - i);
		}
	return 0;
}

static int
fsx_pread_all(struct fsx *f, uint8_t *buf, uint64_t off, uint64_t len,
    uint64_t *got)
{
	ssize_t n;

	*got = 0;
	while (*got < len) {
		n = pread(f->fd, buf + *got, len - *got, off + *got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fsx_fail(f, "pread(%" PRIu64 ", %" PRIu64
			    "): %s", off + *got, len - *got, strerror(errno));
		}
		if (n == 0)
			break;
		*got += n;
	}
	return 0;
}

static int
fsx_check_size(struct fsx *f)
{
	struct stat st;

	if (fstat(f->fd, &st) == -1)
		return fsx_fail(f, "fstat: %s", strerror(errno));
	if ((uint64_t)st.st_size != f->size)
		return fsx_fail(f, "size is %jd, must be %" PRIu64,
		    (intmax_t)st.st_size, f->size);
	return 0;
}

/* Read [off, off+len) back (clipped to the file) and compare. */
static int
fsx_check_range(struct fsx *f, const char *how, uint64_t off, uint64_t len)
{
	uint64_t got;

	if (off >= f->size)
		return 0;
	if (off + len > f->size)
		len = f->size - off;
	if (fsx_pread_all(f, f->buf, off, len, &got) != 0)
		return 1;
	if (got != len)
		return fsx_fail(f, "%s: read %" PRIu64 " bytes at %" PRIu64
		    ", the file has %" PRIu64, how, got, off, len);
	return fsx_same(f, how, off, f->buf, len);
}

static int
fsx_check_all(struct fsx *f, const char *how)
{
	uint64_t got;

	if (fsx_check_size(f) != 0)
		return 1;
	for (uint64_t off = 0; off < f->size; off += f->o->maxio) {
		uint64_t len = f->size - off < f->o->maxio ?
		    f->size - off : f->o->maxio;

		if (fsx_pread_all(f, f->buf, off, len, &got) != 0)
			return 1;
		if (got != len)
			return fsx_fail(f, "%s: short read at %" PRIu64, how,
			    off);
		if (fsx_same(f, how, off, f->buf, len) != 0)
			return 1;
	}
	/* Nothing past the end. */
	if (pread(f->fd, f->buf, 1, f->size) != 0)
		return fsx_fail(f, "%s: a byte past the end (%" PRIu64 ")",
		    how, f->size);
	return 0;
}

static void
fsx_fill(struct fsx *f, uint8_t *p, uint64_t len)
{
	uint64_t r = fsx_rand(f);

	/* Cheap, but every byte depends on the operation number and its
	 * position, so misplaced data shows. */
	for (uint64_t i = 0; i < len; i++)
		p[i] = (uint8_t)((r >> ((i % 7) * 8)) + i + f->n);
}

/* The shadow's size changes: new bytes are zeros. */
static void
fsx_resize(struct fsx *f, uint64_t size)
{
	if (size > f->size)
		memset(f->shadow + f->size, 0, size - f->size);
	f->size = size;
}

static int
fsx_do_read(struct fsx *f, uint64_t off, uint64_t len)
{
	uint64_t got, want;

	if (fsx_pread_all(f, f->buf, off, len, &got) != 0)
		return 1;
	want = off >= f->size ? 0 : (f->size - off < len ? f->size - off :
	    len);
	if (got != want)
		return fsx_fail(f, "read %" PRIu64 " at %" PRIu64 " gave %"
		    PRIu64 " bytes, must give %" PRIu64, len, off, got, want);
	return fsx_same(f, "read", off, f->buf, got);
}

static int
fsx_do_write(struct fsx *f, uint64_t off, uint64_t len)
{
	uint64_t done = 0;
	ssize_t n;

	fsx_fill(f, f->buf, len);
	while (done < len) {
		n = pwrite(f->fd, f->buf + done, len - done, off + done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fsx_fail(f, "pwrite(%" PRIu64 ", %" PRIu64
			    ") = %zd: %s", off + done, len - done, n,
			    n < 0 ? strerror(errno) : "nothing written");
		done += n;
	}
	if (off + len > f->size)
		fsx_resize(f, off + len);
	memcpy(f->shadow + off, f->buf, len);
	return 0;
}

static int
fsx_do_truncate(struct fsx *f, uint64_t size)
{
	if (ftruncate(f->fd, size) == -1)
		return fsx_fail(f, "ftruncate(%" PRIu64 "): %s", size,
		    strerror(errno));
	fsx_resize(f, size);
	return 0;
}

/* Map the pages covering [off, off+len); *delta is off's place in them. */
static uint8_t *
fsx_map(struct fsx *f, uint64_t off, uint64_t len, int prot, uint64_t *delta)
{
	uint64_t base = off - off % f->pagesize;
	void *p;

	*delta = off - base;
	p = mmap(NULL, len + *delta, prot, MAP_SHARED, f->fd, base);
	return p == MAP_FAILED ? NULL : p;
}

static int
fsx_do_mapread(struct fsx *f, uint64_t off, uint64_t len)
{
	uint64_t delta;
	uint8_t *p;
	int rv;

	if (off >= f->size)
		return 0;
	if (off + len > f->size)
		len = f->size - off;
	if ((p = fsx_map(f, off, len, PROT_READ, &delta)) == NULL)
		return fsx_fail(f, "mmap(read, %" PRIu64 ", %" PRIu64 "): %s",
		    off, len, strerror(errno));
	rv = fsx_same(f, "mapread", off, p + delta, len);
	munmap(p, len + delta);
	return rv;
}

static int
fsx_do_mapwrite(struct fsx *f, uint64_t off, uint64_t len)
{
	uint64_t delta;
	uint8_t *p;

	if (off + len > f->size) {
		if (ftruncate(f->fd, off + len) == -1)
			return fsx_fail(f, "ftruncate for mapwrite: %s",
			    strerror(errno));
		fsx_resize(f, off + len);
	}
	if ((p = fsx_map(f, off, len, PROT_READ | PROT_WRITE, &delta)) ==
	    NULL)
		return fsx_fail(f, "mmap(write, %" PRIu64 ", %" PRIu64 "): %s",
		    off, len, strerror(errno));
	fsx_fill(f, f->buf, len);
	memcpy(p + delta, f->buf, len);
	memcpy(f->shadow + off, f->buf, len);
	if (msync(p, len + delta, MS_SYNC) == -1) {
		munmap(p, len + delta);
		return fsx_fail(f, "msync: %s", strerror(errno));
	}
	munmap(p, len + delta);
	return 0;
}

/* 1 if the op type was just found unsupported (and is now left out). */
static int
fsx_unsupported(struct fsx *f, enum fsx_op op, int err)
{
	if (err != EOPNOTSUPP)
		return 0;
	f->disabled[op] = 1;
	fprintf(stderr, "fsx: %s: %s unsupported (EOPNOTSUPP), left out from "
	    "operation %lu on\n", f->o->path, fsx_opname[op], f->n);
	return 1;
}

static int
fsx_do_fallocate(struct fsx *f, uint64_t off, uint64_t len)
{
	if (fallocate(f->fd, 0, off, len) == -1) {
		if (fsx_unsupported(f, OP_FALLOCATE, errno))
			return 0;
		return fsx_fail(f, "fallocate(0, %" PRIu64 ", %" PRIu64
		    "): %s", off, len, strerror(errno));
	}
	if (off + len > f->size)
		fsx_resize(f, off + len);
	return 0;
}

static int
fsx_do_punch(struct fsx *f, uint64_t off, uint64_t len)
{
	if (fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off,
	    len) == -1) {
		if (fsx_unsupported(f, OP_PUNCH, errno))
			return 0;
		return fsx_fail(f, "punch hole(%" PRIu64 ", %" PRIu64 "): %s",
		    off, len, strerror(errno));
	}
	if (off < f->size)
		memset(f->shadow + off, 0, (off + len > f->size ? f->size :
		    off + len) - off);
	return 0;
}

static enum fsx_op
fsx_pick(struct fsx *f)
{
	unsigned int total = 0, r;
	int op;

	for (op = 0; op < OP_NTYPES; op++)
		if (!f->disabled[op])
			total += fsx_weight[op];
	r = (unsigned int)fsx_below(f, total);
	for (op = 0; op < OP_NTYPES; op++) {
		if (f->disabled[op])
			continue;
		if (r < fsx_weight[op])
			break;
		r -= fsx_weight[op];
	}
	return (enum fsx_op)op;
}

static int
fsx_step(struct fsx *f)
{
	const struct fsx_opts *o = f->o;
	enum fsx_op op = fsx_pick(f);
	uint64_t off, len;
	int rv = 0;

	/* Lengths favour small I/O but reach maxio; offsets stay in
	 * maxlen, with a bias to the current end of the file. */
	len = 1 + fsx_below(f, fsx_below(f, 4) == 0 ? o->maxio : 4096);
	if (fsx_below(f, 4) == 0 && f->size > 0)
		off = f->size - fsx_below(f, f->size < 8192 ? f->size : 8192);
	else
		off = fsx_below(f, o->maxlen);
	if (off + len > o->maxlen)
		len = o->maxlen - off;
	if (len == 0)
		len = 1, off = o->maxlen - 1;
	f->log[f->n % FSX_LOG] = (struct fsx_logent){ f->n, op, off, len,
	    f->size };
	if (o->verbose)
		fprintf(stderr, "%lu %s %" PRIu64 " %" PRIu64 "\n", f->n,
		    fsx_opname[op], off, len);
	switch (op) {
	case OP_READ:
		rv = fsx_do_read(f, off, len);
		break;
	case OP_WRITE:
		rv = fsx_do_write(f, off, len);
		break;
	case OP_TRUNCATE:
		off = fsx_below(f, o->maxlen + 1);
		f->log[f->n % FSX_LOG].off = off;
		f->log[f->n % FSX_LOG].len = 0;
		rv = fsx_do_truncate(f, off);
		break;
	case OP_MAPREAD:
		rv = fsx_do_mapread(f, off, len);
		break;
	case OP_MAPWRITE:
		rv = fsx_do_mapwrite(f, off, len);
		break;
	case OP_FALLOCATE:
		rv = fsx_do_fallocate(f, off, len);
		break;
	case OP_PUNCH:
		rv = fsx_do_punch(f, off, len);
		break;
	case OP_NTYPES:
		break;
	}
	f->count[op]++;
	if (rv != 0 || fsx_check_size(f) != 0)
		return 1;
	/* What the operation touched, and the last page. */
	if (op != OP_READ && op != OP_MAPREAD && op != OP_TRUNCATE &&
	    fsx_check_range(f, fsx_opname[op], off, len) != 0)
		return 1;
	if (f->size > 0 && fsx_check_range(f, "tail", f->size -
	    (f->size < 4096 ? f->size : 4096), 4096) != 0)
		return 1;
	if (o->dropcache && f->n % o->dropcache == 0 &&
	    (fsync(f->fd) == -1 || posix_fadvise(f->fd, 0, 0,
	    POSIX_FADV_DONTNEED) != 0))
		return fsx_fail(f, "fsync/fadvise: %s", strerror(errno));
	if (o->fullcheck && f->n % o->fullcheck == 0)
		return fsx_check_all(f, "whole-file check");
	return 0;
}

static int
fsx_finish(struct fsx *f)
{
	/* What was written must still be there through a new descriptor. */
	if (close(f->fd) == -1)
		return fsx_fail(f, "close: %s", strerror(errno));
	if ((f->fd = open(f->o->path, O_RDWR)) == -1)
		return fsx_fail(f, "reopen: %s", strerror(errno));
	posix_fadvise(f->fd, 0, 0, POSIX_FADV_DONTNEED);
	return fsx_check_all(f, "check after close and reopen");
}

int
fsx_run(const struct fsx_opts *o)
{
	struct fsx f = { .o = o, .rng = o->seed * 2 + 1, .size = 0 };
	struct timespec t0, t1;
	int rv = 1;

	f.pagesize = sysconf(_SC_PAGESIZE);
	f.shadow = calloc(1, o->maxlen + o->maxio);
	f.buf = calloc(1, o->maxlen + o->maxio + 1);
	if (f.shadow == NULL || f.buf == NULL) {
		fprintf(stderr, "fsx: out of memory\n");
		goto out;
	}
	if ((f.fd = open(o->path, O_RDWR | O_CREAT | O_TRUNC, 0644)) == -1) {
		fprintf(stderr, "fsx: %s: %s\n", o->path, strerror(errno));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (f.n = 1; f.n <= o->nops; f.n++)
		if (fsx_step(&f) != 0)
			goto done;
	f.n = o->nops;
	if (fsx_finish(&f) != 0)
		goto done;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "fsx: %s: %lu operations passed in %.2f s (seed %"
	    PRIu64 "):", o->path, o->nops, (t1.tv_sec - t0.tv_sec) +
	    (t1.tv_nsec - t0.tv_nsec) / 1e9, o->seed);
	for (int op = 0; op < OP_NTYPES; op++)
		fprintf(stderr, " %s %lu%s", fsx_opname[op], f.count[op],
		    f.disabled[op] ? " (unsupported)" : "");
	fprintf(stderr, "\n");
	rv = 0;
done:
	close(f.fd);
out:
	free(f.shadow);
	free(f.buf);
	return rv;
}
