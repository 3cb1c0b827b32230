/*
 * util.h (compat): the part of NetBSD's <util.h> puffs servers use, the
 * "efuns": allocation and formatting wrappers that report failure through
 * an error function (err(3) by default, see esetfunc) instead of
 * returning NULL.  Implemented in libpuffs (efun.c).
 */
#ifndef PUFFS_COMPAT_UTIL_H
#define PUFFS_COMPAT_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void	(*esetfunc(void (*)(int, const char *, ...)))(int, const char *, ...);
size_t	 estrlcpy(char *, const char *, size_t);
size_t	 estrlcat(char *, const char *, size_t);
char	*estrdup(const char *);
char	*estrndup(const char *, size_t);
void	*ecalloc(size_t, size_t);
void	*emalloc(size_t);
void	*erealloc(void *, size_t);
void	 ereallocarr(void *, size_t, size_t);
int	 easprintf(char ** __restrict, const char * __restrict, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 evasprintf(char ** __restrict, const char * __restrict, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));

#ifdef __cplusplus
}
#endif

#endif /* PUFFS_COMPAT_UTIL_H */
