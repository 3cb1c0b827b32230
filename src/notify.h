/*
 * notify.h: readiness and stop notices to a service manager (the sd_notify
 * datagram protocol over $NOTIFY_SOCKET).  Called by main.c where the mount
 * becomes live and where it ends; no-ops when no manager listens.
 */
#ifndef PUFFSD_NOTIFY_H
#define PUFFSD_NOTIFY_H

void	notify_ready(const char *mntpoint);
void	notify_stopping(void);

#endif
