/*
 * flushpages.h: writing the kernel's dirty pages of the mount back
 * before puffsd unmounts by itself (flushpages.c).  main.c only.
 */
#ifndef PUFFSD_FLUSHPAGES_H
#define PUFFSD_FLUSHPAGES_H

struct puffsd;

typedef void	(*flushpages_done_fn)(struct puffsd *);

void	flushpages_start(struct puffsd *, flushpages_done_fn);
void	flushpages_cancel(void);

#endif
