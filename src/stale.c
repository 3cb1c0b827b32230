/*
 * stale.c: a mount left behind by a daemon that died (its FUSE connection
 * is gone, so every access fails with ENOTCONN) is found and detached
 * before the same mountpoint is mounted again, or reported clearly when
 * it cannot be.  Called by main.c before the FUSE mount.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "log.h"
#include "puffsd.h"

/* Unprivileged: fusermount3 may detach a mount of ours. */
static bool
stale_fusermount(const char *mntpoint)
{
	gchar *argv[] = { "fusermount3", "-u", "-z", "-q",
	    (gchar *)mntpoint, NULL };
	gint status = -1;

	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
	    G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
	    NULL, NULL, NULL, &status, NULL))
		return false;
	return g_spawn_check_wait_status(status, NULL);
}

void
stale_clean(const char *mntpoint)
{
	struct stat st;
	bool gone;

	if (stat(mntpoint, &st) == 0 || errno != ENOTCONN)
		return;
	log_warnx("%s: stale mount of a dead file server found; detaching "
	    "it", mntpoint);
	if (geteuid() == 0)
		gone = umount2(mntpoint, MNT_DETACH) == 0;
	else
		gone = stale_fusermount(mntpoint);
	if (!gone)
		log_warnx("%s: cannot detach the stale mount (run "
		    "`fusermount3 -u -z %s` or `umount -l %s` as its owner)",
		    mntpoint, mntpoint, mntpoint);
}
