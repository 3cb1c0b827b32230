/*
 * timeout.c: ticks the request timeout (see timeout.h).  The tick is a
 * quarter of the timeout (at least 100 ms), so a request fails between
 * the timeout and 1.25 times it.  Without a timeout no timer exists.
 */
#include <event2/event.h>
#include <glib.h>

#include "log.h"
#include "msg.h"
#include "timeout.h"

static void
timeout_tick(evutil_socket_t fd, short what, void *arg)
{
	struct puffs_mount *pmp = arg;

	(void)fd;
	(void)what;
	msg_expire(pmp, g_get_monotonic_time());
}

/* NULL when pmp has no timeout configured. */
struct event *
timeout_start(struct event_base *base, struct puffs_mount *pmp)
{
	struct timeval tv;
	struct event *ev;
	uint64_t usec;

	if (pmp->pmp_reqtimeout == 0)
		return NULL;
	usec = (uint64_t)pmp->pmp_reqtimeout * G_USEC_PER_SEC / 4;
	if (usec < 100000)
		usec = 100000;
	tv.tv_sec = usec / G_USEC_PER_SEC;
	tv.tv_usec = usec % G_USEC_PER_SEC;
	ev = event_new(base, -1, EV_PERSIST, timeout_tick, pmp);
	if (ev == NULL || event_add(ev, &tv) != 0)
		fatalx("cannot start the request timer");
	log_debug("requests time out after %u s", pmp->pmp_reqtimeout);
	return ev;
}

void
timeout_stop(struct event *ev)
{
	if (ev != NULL)
		event_free(ev);
}
