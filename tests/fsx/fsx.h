/*
 * fsx.h: a data-integrity exerciser in the manner of fsx: a seeded random
 * sequence of read, write, truncate, mmap read, mmap write, fallocate and
 * hole punching on one file, each checked against an in-memory shadow copy
 * of what the file must hold.  Used by the fsx program (any path) and by
 * it-fsx (the memfs mount and a tmpfs, in the test suite).
 */
#ifndef PUFFS_TESTS_FSX_H
#define PUFFS_TESTS_FSX_H

#include <stddef.h>
#include <stdint.h>

struct fsx_opts {
	const char	*path;		/* the file; created or truncated */
	uint64_t	 seed;
	unsigned long	 nops;
	size_t		 maxlen;	/* the file never grows past this */
	size_t		 maxio;		/* the longest single read/write */
	unsigned int	 fullcheck;	/* whole-file compare every n ops */
	unsigned int	 dropcache;	/* drop cached pages every n ops */
	int		 verbose;
};

/* Fills in the defaults (path and seed excepted). */
void	 fsx_defaults(struct fsx_opts *);
/* The seed from $FSX_SEED, else one made from the clock and pid. */
uint64_t fsx_seed_from_env(void);
/* 0 if every check passed; else 1, after printing what failed, the seed
 * and the last operations to stderr. */
int	 fsx_run(const struct fsx_opts *);

#endif
