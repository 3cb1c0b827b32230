/*
 * notify.c: tells a service manager (systemd's Type=notify, or anything
 * speaking the same protocol) that the mount is live and, later, that it
 * is going away.  The protocol is one datagram of "KEY=VALUE\n" lines sent
 * to the AF_UNIX socket named by $NOTIFY_SOCKET: a path, or an abstract
 * name written with a leading '@'.  We implement it here rather than link
 * libsystemd for two messages.  Called by main.c only.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "log.h"
#include "notify.h"

#define NOTIFY_ENV	"NOTIFY_SOCKET"

/* Send one notice; failures are logged, never fatal (the mount works). */
static void
notify_send(const char *msg)
{
	const char *name = getenv(NOTIFY_ENV);
	struct sockaddr_un sun;
	socklen_t sunlen;
	size_t namelen;
	int fd;

	if (name == NULL || (name[0] != '/' && name[0] != '@'))
		return;
	namelen = strlen(name);
	if (namelen >= sizeof(sun.sun_path)) {
		log_warnx("%s is too long; not notifying", NOTIFY_ENV);
		return;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, name, namelen);
	sunlen = offsetof(struct sockaddr_un, sun_path) + namelen;
	if (name[0] == '@')
		sun.sun_path[0] = '\0';		/* abstract: no NUL at the end */
	else
		sunlen++;

	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("notify socket");
		return;
	}
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, sunlen) == -1)
		log_warn("notifying %s", name);
	else
		log_debug("notified the service manager: %s", msg);
	close(fd);
}

void
notify_ready(const char *mntpoint)
{
	char *msg;

	msg = g_strdup_printf("READY=1\nSTATUS=Serving %s\nMAINPID=%ld",
	    mntpoint, (long)getpid());
	notify_send(msg);
	g_free(msg);
}

void
notify_stopping(void)
{
	notify_send("STOPPING=1");
}
