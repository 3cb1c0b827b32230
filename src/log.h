/*
 * log.h: puffsd's logging.  Every file of the daemon may call these; the
 * unit tests link them too.  fatal*() are for our own broken invariants,
 * never for anything the server or the kernel sent us.
 */
#ifndef PUFFSD_LOG_H
#define PUFFSD_LOG_H

#include <stdbool.h>

void	log_init(bool debug);
bool	log_debugging(void);
void	log_to_syslog(void);
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
