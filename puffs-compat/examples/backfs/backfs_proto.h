/*
 * backfs_proto.h: the little protocol between backfs (the puffs server)
 * and its backend process, which owns the data.  Every frame starts with
 * struct bf_hdr; a request carries an op and its arguments, the answer
 * carries the same id, an errno (0 on success) and the result.  Both
 * ends are one program on one machine, so fields travel in host order.
 * Included by backfs.c, backfs_rpc.c and backfs_backend.c.
 */
#ifndef BACKFS_PROTO_H
#define BACKFS_PROTO_H

#include <stdint.h>

#define BF_MAXIO	(64 * 1024)		/* data per READ/WRITE */
#define BF_MAXFRAME	(BF_MAXIO + 4096)	/* any frame, header included */
#define BF_NAMEMAX	255
#define BF_LINKMAX	4096		/* symlink target */
#define BF_ROOTINO	1

struct bf_hdr {
	uint32_t	h_len;		/* whole frame */
	uint32_t	h_id;		/* answer has the request's id */
	uint32_t	h_op;		/* request: BF_*; answer: errno */
	uint32_t	h_pad;
};

/* Request arguments after the header; answers in brackets. */
enum bf_op {
	BF_GETATTR = 1,	/* u64 ino				[attr] */
	BF_LOOKUP,	/* u64 dir, u32 namelen, name		[attr] */
	BF_CREATE,	/* u64 dir, u32 mode uid gid namelen, name;
			   symlinks: u32 targetlen, target	[attr] */
	BF_REMOVE,	/* u64 dir, u32 isdir namelen, name	[] */
	BF_SETATTR,	/* struct bf_setattr			[attr] */
	BF_READ,	/* u64 ino off, u32 len			[bytes] */
	BF_WRITE,	/* u64 ino off, u32 len, bytes		[attr] */
	BF_READDIR,	/* u64 dir index	[u32 eof, entries: u64 ino,
			   u32 dtype namelen, name; until the frame ends] */
	BF_RENAME,	/* u64 sdir ddir, u32 snamelen dnamelen, names [] */
	BF_LINK,	/* u64 ino dir, u32 namelen, name	[attr] */
	BF_FORGET,	/* u64 ino: the server dropped its node	[] */
};

struct bf_attr {
	uint64_t	a_ino;
	uint32_t	a_mode;		/* with the S_IFMT bits */
	uint32_t	a_nlink;
	uint32_t	a_uid;
	uint32_t	a_gid;
	uint64_t	a_size;
	int64_t		a_atime[2];	/* seconds, nanoseconds */
	int64_t		a_mtime[2];
	int64_t		a_ctime[2];
};

#define BF_SET_MODE	0x01
#define BF_SET_UID	0x02
#define BF_SET_GID	0x04
#define BF_SET_SIZE	0x08
#define BF_SET_ATIME	0x10
#define BF_SET_MTIME	0x20

struct bf_setattr {
	uint64_t	s_ino;
	uint32_t	s_mask;
	uint32_t	s_mode;
	uint32_t	s_uid;
	uint32_t	s_gid;
	uint64_t	s_size;
	int64_t		s_atime[2];
	int64_t		s_mtime[2];
};

/* backfs_backend.c: runs the backend on fd until it closes. */
void	backend_run(int fd, int readdelay_ms) __attribute__((__noreturn__));

#endif /* BACKFS_PROTO_H */
