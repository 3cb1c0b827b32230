/*
 * log.c: puffsd's logging, on top of g_log.  Messages go to stderr (puffsd
 * always runs in the foreground of whoever started it: the server or the
 * service manager); log_debug() prints only when -d was given.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "log.h"

#define LOG_DOMAIN "puffsd"

static bool log_debug_on;

static void
log_handler(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer arg)
{
	const char *tag = "";

	(void)domain;
	(void)arg;
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		tag = "fatal: ";
	else if (level & G_LOG_LEVEL_WARNING)
		tag = "warning: ";
	else if ((level & G_LOG_LEVEL_DEBUG) && !log_debug_on)
		return;
	fprintf(stderr, "puffsd: %s%s\n", tag, msg);
}

void
log_init(bool debug)
{
	log_debug_on = debug;
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
