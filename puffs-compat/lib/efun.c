/*
 * efun.c: the efuns of the compat <util.h>.  Each wraps a C library call
 * and, when it fails, calls the error function (err(3) unless a server
 * installed another with esetfunc()); if that returns, the wrapper returns
 * the failed result.  Called by servers.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <util.h>

typedef void (*efun_fn)(int, const char *, ...);

static efun_fn efunc = err;

efun_fn
esetfunc(efun_fn fn)
{
	efun_fn old = efunc;

	efunc = fn != NULL ? fn : err;
	return old;
}

size_t
estrlcpy(char *dst, const char *src, size_t len)
{
	size_t slen = strlen(src);

	if (len > 0) {
		size_t n = slen < len - 1 ? slen : len - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	if (slen >= len)
		(*efunc)(1, "Cannot copy string; %zu chars needed %zu provided",
		    slen, len);
	return slen;
}

size_t
estrlcat(char *dst, const char *src, size_t len)
{
	size_t dlen = strnlen(dst, len);

	if (dlen == len) {
		(*efunc)(1, "Cannot append to an unterminated string");
		return dlen + strlen(src);
	}
	return dlen + estrlcpy(dst + dlen, src, len - dlen);
}

char *
estrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		(*efunc)(1, "Cannot copy string");
	return d;
}

char *
estrndup(const char *s, size_t len)
{
	char *d = strndup(s, len);

	if (d == NULL)
		(*efunc)(1, "Cannot copy string");
	return d;
}

void *
emalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL && n != 0)
		(*efunc)(1, "Cannot allocate %zu bytes", n);
	return p;
}

void *
ecalloc(size_t n, size_t c)
{
	void *p = calloc(n, c);

	if (p == NULL && n != 0 && c != 0)
		(*efunc)(1, "Cannot allocate %zu blocks of size %zu", n, c);
	return p;
}

void *
erealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL && n != 0)
		(*efunc)(1, "Cannot re-allocate %zu bytes", n);
	return q;
}

/* ptr points to the caller's pointer, which is replaced on success. */
void
ereallocarr(void *ptr, size_t n, size_t size)
{
	void **pp = ptr, *q;

	if (size != 0 && n > SIZE_MAX / size) {
		errno = EOVERFLOW;
		(*efunc)(1, "Cannot re-allocate %zu * %zu bytes", n, size);
		return;
	}
	if ((q = realloc(*pp, n * size)) == NULL && n * size != 0) {
		(*efunc)(1, "Cannot re-allocate %zu * %zu bytes", n, size);
		return;
	}
	*pp = q;
}

int
evasprintf(char **ret, const char *fmt, va_list ap)
{
	int rv = vasprintf(ret, fmt, ap);

	if (rv == -1)
		(*efunc)(1, "Cannot format string");
	return rv;
}

int
easprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = evasprintf(ret, fmt, ap);
	va_end(ap);
	return rv;
}
