/*
 * timeout.h: the request timeout's clock.  A libevent timer that ticks
 * while a timeout is configured and lets msg_expire() fail what the server
 * left unanswered too long.  Used by main.c.
 */
#ifndef PUFFSD_TIMEOUT_H
#define PUFFSD_TIMEOUT_H

struct event;
struct event_base;
struct puffs_mount;

struct event	*timeout_start(struct event_base *, struct puffs_mount *);
void		 timeout_stop(struct event *);

#endif
