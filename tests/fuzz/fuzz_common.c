/*
 * fuzz_common.c: helpers shared by the libFuzzer targets (see fuzz.h).
 */
#include <glib.h>

#include "fuzz.h"

static void
fuzz_drop(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer arg)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)arg;
}

void
fuzz_quiet_logs(void)
{
	g_log_set_handler("puffsd", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
	    G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG, fuzz_drop, NULL);
}
