/*
 * log.c: puffsd's logging, on top of g_log.  Messages go to stderr while
 * someone reads it (the foreground, a service manager's journal stream),
 * and to syslog once puffsd is detached: after detach.c let go of the
 * terminal, or from the start when stderr is closed or /dev/null (a server
 * that called puffs_daemon() before it started us).  log_debug() prints
 * only when -d was given.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <syslog.h>

#include <glib.h>

#include "log.h"

#define LOG_DOMAIN "puffsd"

static bool log_debug_on;
static bool log_syslog_on;

/* Is stderr nowhere anybody reads (closed, or the null device)? */
static bool
log_stderr_lost(void)
{
	struct stat err, null;

	if (fstat(STDERR_FILENO, &err) == -1)
		return true;
	return S_ISCHR(err.st_mode) && stat("/dev/null", &null) == 0 &&
	    err.st_rdev == null.st_rdev;
}

void
log_to_syslog(void)
{
	if (log_syslog_on)
		return;
	openlog("puffsd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog_on = true;
}

static void
log_handler(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer arg)
{
	const char *tag = "";
	int prio = LOG_INFO;

	(void)domain;
	(void)arg;
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) {
		tag = "fatal: ";
		prio = LOG_ERR;
	} else if (level & G_LOG_LEVEL_WARNING) {
		tag = "warning: ";
		prio = LOG_WARNING;
	} else if (level & G_LOG_LEVEL_DEBUG) {
		if (!log_debug_on)
			return;
		prio = LOG_DEBUG;
	}
	if (log_syslog_on)
		syslog(prio, "%s%s", tag, msg);
	else
		fprintf(stderr, "puffsd: %s%s\n", tag, msg);
}

void
log_init(bool debug)
{
	log_debug_on = debug;
	if (log_stderr_lost())
		log_to_syslog();
	g_log_set_handler(LOG_DOMAIN, G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
	    G_LOG_FLAG_RECURSION, log_handler, NULL);
}

bool
log_debugging(void)
{
	return log_debug_on;
}

/* Format, and append strerror(saved errno) when witherr is set. */
static void
log_emit(GLogLevelFlags level, int witherr, int saved, const char *fmt,
    va_list ap)
{
	char *msg = g_strdup_vprintf(fmt, ap);

	if (witherr)
		g_log(LOG_DOMAIN, level, "%s: %s", msg, g_strerror(saved));
	else
		g_log(LOG_DOMAIN, level, "%s", msg);
	g_free(msg);
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_emit(G_LOG_LEVEL_CRITICAL, 1, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(G_LOG_LEVEL_CRITICAL, 0, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_emit(G_LOG_LEVEL_WARNING, 1, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(G_LOG_LEVEL_WARNING, 0, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(G_LOG_LEVEL_MESSAGE, 0, 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	log_emit(G_LOG_LEVEL_DEBUG, 0, 0, fmt, ap);
	va_end(ap);
}
