/*
 * stats.h: per-op counters of one mount (what `puffsctl status` shows):
 * requests sent, errors, and reply latencies per puffs op.  Pure code;
 * msg.c feeds it, control.c reads it.
 */
#ifndef PUFFSD_STATS_H
#define PUFFSD_STATS_H

#include <stdint.h>

#include <glib.h>

struct stats_op {
	uint64_t	so_count;	/* requests sent */
	uint64_t	so_replies;	/* replies received */
	uint64_t	so_errors;	/* replies with rv != 0 */
	uint64_t	so_total_us;	/* summed latency of the replies */
	uint64_t	so_max_us;
};

struct stats;

struct stats	*stats_new(void);
void		 stats_free(struct stats *);
void		 stats_sent(struct stats *, uint16_t, uint16_t);
void		 stats_done(struct stats *, uint16_t, uint16_t, int64_t,
		    int);
void		 stats_print(struct stats *, GString *);

#endif
