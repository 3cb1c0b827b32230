/*
 * c_io.c: conformance cases for poll/select/epoll readiness of files on
 * the mount, and for fallocate(2): allocation, hole punching, the modes
 * puffs has no message for, argument errors, and cached pages after a
 * punch.  Run by conf.c.
 */
#include "conf.h"

#include <sys/epoll.h>
#include <sys/select.h>

#include <errno.h>
#include <linux/falloc.h>
#include <poll.h>

#define EV	(POLLIN | POLLOUT | POLLPRI | POLLRDNORM | POLLWRNORM)

static void
note_poll(struct hx_ctx *c, const char *what, int fd, short events)
{
	struct pollfd p = { fd, events, 0 };
	int r;

	/* poll ignores a negative fd: it would only wait out the 10 s. */
	if (fd < 0) {
		hx_note(c, "poll(%s): no descriptor", what);
		return;
	}
	errno = 0;
	r = poll(&p, 1, 10000);
	hx_note(c, "poll(%s, 0x%x) = %d %s revents 0x%x", what, events, r,
	    r < 0 ? hx_errname(errno) : "", p.revents);
}

static void
poll_file(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "data");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	note_poll(c, "rdwr", fd, POLLIN | POLLOUT);
	note_poll(c, "rdwr", fd, POLLIN);
	note_poll(c, "rdwr", fd, POLLOUT);
	HX_DO(c, write(fd, "more", 4));
	note_poll(c, "after write", fd, POLLIN | POLLOUT);
	HX_DO(c, close(fd));
}

static void
poll_modes(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "");
	HX_FD(c, &fd, open(P("f"), O_RDONLY));
	note_poll(c, "empty rdonly", fd, POLLIN | POLLOUT);
	HX_DO(c, close(fd));
	HX_FD(c, &fd, open(P("f"), O_WRONLY));
	note_poll(c, "wronly", fd, POLLIN | POLLOUT);
	HX_DO(c, close(fd));
}

static void
poll_many(struct hx_ctx *c)
{
	struct pollfd p[8];
	char name[8];
	int n = 0, r;

	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		cf_mkfile(c, name, 0644, "x");
		p[i].fd = open(P(name), i % 2 ? O_RDONLY : O_RDWR);
		p[i].events = POLLIN | POLLOUT;
		p[i].revents = 0;
	}
	r = poll(p, 8, 10000);
	for (int i = 0; i < 8; i++) {
		n += (p[i].revents & POLLIN) != 0;
		close(p[i].fd);
	}
	hx_note(c, "poll 8 files = %d, %d readable", r, n);
}

static void
poll_select(struct hx_ctx *c)
{
	struct timeval tv = { 10, 0 };
	fd_set r, w;
	int fd, n;

	cf_mkfile(c, "f", 0644, "data");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	if (fd < 0)
		return;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	n = select(fd + 1, &r, &w, NULL, &tv);
	hx_note(c, "select = %d read %d write %d", n, FD_ISSET(fd, &r),
	    FD_ISSET(fd, &w));
	close(fd);
}

/* tmpfs files have no poll method, so epoll refuses them; FUSE files
 * do (the server answers). */
static void
poll_epoll(struct hx_ctx *c)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	int ep, fd, r;

	cf_mkfile(c, "f", 0644, "data");
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	HX_FD(c, &ep, epoll_create1(0));
	errno = 0;
	r = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	cf_expect(c, "epoll_ctl(regular file)", r, errno, "EPERM", "0");
	if (cf_fuse(c)) {
		struct epoll_event out = { 0 };

		r = r == 0 ? epoll_wait(ep, &out, 1, 10000) : -1;
		hx_note(c, "epoll_wait on the FUSE file: %s", r == 1 &&
		    out.events == (EPOLLIN | EPOLLOUT) ? "ready in and out" :
		    "not ready");
	} else
		hx_note(c, "epoll_wait on the FUSE file: ready in and out");
	close(ep);
	close(fd);
}

static void
poll_fifo_dir(struct hx_ctx *c)
{
	int r, w, d;

	HX_DO(c, mkfifo(P("p"), 0644));
	HX_FD(c, &r, open(P("p"), O_RDONLY | O_NONBLOCK));
	HX_FD(c, &w, open(P("p"), O_WRONLY | O_NONBLOCK));
	note_poll(c, "fifo writer", w, POLLOUT);
	HX_DO(c, write(w, "x", 1));
	note_poll(c, "fifo with data", r, POLLIN);
	close(w);
	close(r);
	HX_DO(c, mkdir(P("d"), 0755));
	HX_FD(c, &d, open(P("d"), O_RDONLY | O_DIRECTORY));
	note_poll(c, "dir", d, POLLIN | POLLOUT);
	close(d);
}

/* --- fallocate --- */

static void
fa(struct hx_ctx *c, int fd, int mode, off_t off, off_t len)
{
	int r;

	errno = 0;
	r = fallocate(fd, mode, off, len);
	hx_note(c, "fallocate(mode 0x%x, %lld, %lld) = %d %s", mode,
	    (long long)off, (long long)len, r, r ? hx_errname(errno) : "");
}

static int
fa_open(struct hx_ctx *c, const char *data)
{
	int fd;

	cf_mkfile(c, "f", 0644, data);
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	return fd;
}

static void
falloc_extend(struct hx_ctx *c)
{
	int fd = fa_open(c, "head");

	fa(c, fd, 0, 0, 10000);
	hx_fstat(c, "f", fd);
	fa(c, fd, 0, 20000, 5);
	hx_fstat(c, "f", fd);
	HX_DO(c, close(fd));
	hx_content(c, "f");
}

static void
falloc_inside(struct hx_ctx *c)
{
	int fd = fa_open(c, "0123456789abcdefghij");

	fa(c, fd, 0, 2, 5);
	hx_fstat(c, "f", fd);
	HX_DO(c, close(fd));
	hx_content(c, "f");
	HX_FD(c, &fd, open(P("f"), O_WRONLY | O_APPEND));
	fa(c, fd, 0, 0, 10);
	HX_DO(c, close(fd));
}

static void
falloc_punch(struct hx_ctx *c)
{
	char buf[20000];
	int fd;

	memset(buf, 'p', sizeof(buf));
	fd = fa_open(c, "");
	HX_DO(c, write(fd, buf, sizeof(buf)));
	fa(c, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 100, 9000);
	hx_fstat(c, "f", fd);
	HX_DO(c, pread(fd, buf, sizeof(buf), 0));
	hx_note(c, "bytes 99,100,9099,9100: %d %d %d %d", buf[99], buf[100],
	    buf[9099], buf[9100]);
	fa(c, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 19000, 5000);
	hx_fstat(c, "f", fd);
	fa(c, fd, FALLOC_FL_PUNCH_HOLE, 0, 10);
	HX_DO(c, close(fd));
	hx_content(c, "f");
}

/* Modes puffs has no message for (issue 3: EOPNOTSUPP); tmpfs keeps the
 * size with KEEP_SIZE and refuses the rest itself. */
static void
falloc_keep_size(struct hx_ctx *c)
{
	int fd = fa_open(c, "abc"), r;

	errno = 0;
	r = fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8192);
	cf_expect(c, "fallocate(KEEP_SIZE)", r, errno, "0", "EOPNOTSUPP");
	hx_fstat(c, "f", fd);
	fa(c, fd, FALLOC_FL_ZERO_RANGE, 0, 2);
	fa(c, fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096);
	fa(c, fd, FALLOC_FL_INSERT_RANGE, 0, 4096);
	HX_DO(c, close(fd));
	hx_content(c, "f");
}

static void
falloc_errors(struct hx_ctx *c)
{
	int fd = fa_open(c, "abc");

	fa(c, fd, 0, 0, 0);
	fa(c, fd, 0, -1, 10);
	fa(c, fd, 0, 0, -10);
	fa(c, fd, 0x1000, 0, 10);
	HX_DO(c, close(fd));
	HX_FD(c, &fd, open(P("f"), O_RDONLY));
	fa(c, fd, 0, 0, 10);
	HX_DO(c, close(fd));
	HX_DO(c, mkdir(P("d"), 0755));
	HX_FD(c, &fd, open(P("d"), O_RDONLY | O_DIRECTORY));
	fa(c, fd, 0, 0, 10);
	HX_DO(c, close(fd));
	HX_DO(c, mkfifo(P("p"), 0644));
	HX_FD(c, &fd, open(P("p"), O_RDWR));
	fa(c, fd, 0, 0, 10);
	HX_DO(c, close(fd));
}

static void
falloc_posix(struct hx_ctx *c)
{
	int fd = fa_open(c, "x"), r;

	r = posix_fallocate(fd, 0, 100000);
	hx_note(c, "posix_fallocate = %s", r ? hx_errname(r) : "0");
	hx_fstat(c, "f", fd);
	HX_DO(c, close(fd));
	hx_content(c, "f");
}

/* A punched range read back through the page cache must be zeros. */
static void
falloc_punch_cached(struct hx_ctx *c)
{
	char buf[16384];
	int fd;

	memset(buf, 'c', sizeof(buf));
	fd = fa_open(c, "");
	HX_DO(c, write(fd, buf, sizeof(buf)));
	HX_DO(c, pread(fd, buf, sizeof(buf), 0));
	fa(c, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 4096);
	HX_DO(c, pread(fd, buf, sizeof(buf), 0));
	hx_note(c, "bytes 4095,4096,8191,8192: %d %d %d %d", buf[4095],
	    buf[4096], buf[8191], buf[8192]);
	HX_DO(c, close(fd));
}


const struct cf_case cf_io_cases[] = {
	{ "poll", "file", poll_file, NULL, NULL },
	{ "poll", "modes", poll_modes, NULL, NULL },
	{ "poll", "many", poll_many, NULL, NULL },
	{ "poll", "select", poll_select, NULL, NULL },
	{ "poll", "epoll", poll_epoll, NULL,
	    "epoll on a regular file: tmpfs has no poll method (EPERM); a "
	    "FUSE file has one and the server answers" },
	{ "poll", "fifo_dir", poll_fifo_dir, NULL, NULL },
	{ "fallocate", "extend", falloc_extend, NULL, NULL },
	{ "fallocate", "inside", falloc_inside, NULL, NULL },
	{ "fallocate", "punch", falloc_punch, NULL, NULL },
	{ "fallocate", "keep_size_and_others", falloc_keep_size, NULL,
	    "puffs has FALLOCATE (mode 0) and FDISCARD (punch hole) only: "
	    "KEEP_SIZE alone is EOPNOTSUPP on the mount (issue 3)" },
	{ "fallocate", "errors", falloc_errors, NULL, NULL },
	{ "fallocate", "posix_fallocate", falloc_posix, NULL, NULL },
	{ "fallocate", "punch_cached", falloc_punch_cached, NULL, NULL },
	CF_END
};
