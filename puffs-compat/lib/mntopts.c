/*
 * mntopts.c: getmntopts() and friends of the compat <mntopts.h>, and
 * puffsmopts, the option table every puffs server hands to it.  Called by
 * servers while they parse their command line.
 *
 * An option string is a comma-separated list of "name", "noname" or
 * "name=value".  A name found in the table sets or clears its flag in the
 * first flags word, or in the second one for m_altloc entries; "no"
 * inverts the sense.  Unknown names are fatal unless getmnt_silent is set.
 * Values stay available to getmntoptstr()/getmntoptnum() until
 * freemntopts().
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "puffs_priv.h"

int getmnt_silent = 0;

const struct mntopt puffsmopts[] = {
	MOPT_STDOPTS,
	PUFFSMOPT_STD,
	MOPT_NULL,
};

struct mntoptparse {
	char		*mp_copy;	/* the string, options NUL-separated */
	size_t		 mp_nopts;
	char		**mp_names;	/* into mp_copy, with "no" kept */
	char		**mp_values;	/* into mp_copy, or NULL */
};

static const struct mntopt *
mntopt_find(const struct mntopt *m0, const char *name, int *negative)
{
	const struct mntopt *m;

	*negative = 0;
	for (m = m0; m->m_option != NULL; m++)
		if (strcasecmp(name, m->m_option) == 0)
			return m;
	if (strncasecmp(name, "no", 2) != 0)
		return NULL;
	*negative = 1;
	for (m = m0; m->m_option != NULL; m++)
		if (strcasecmp(name + 2, m->m_option) == 0)
			return m;
	return NULL;
}

static void
mntopt_apply(const struct mntopt *m, int negative, int *flagp, int *altflagp)
{
	int *thisflagp = m->m_altloc ? altflagp : flagp;

	if (thisflagp == NULL)
		return;
	if (negative == m->m_inverse)
		*thisflagp |= m->m_flag;
	else
		*thisflagp &= ~m->m_flag;
}

mntoptparse_t
getmntopts(const char *options, const struct mntopt *m0, int *flagp,
    int *altflagp)
{
	struct mntoptparse *mp;
	const struct mntopt *m;
	char *opt, *next, *eq;
	int negative;
	size_t n;

	if ((mp = calloc(1, sizeof(*mp))) == NULL ||
	    (mp->mp_copy = strdup(options)) == NULL)
		goto nomem;
	for (n = 1, opt = mp->mp_copy; *opt != '\0'; opt++)
		n += *opt == ',';
	mp->mp_names = calloc(n, sizeof(char *));
	mp->mp_values = calloc(n, sizeof(char *));
	if (mp->mp_names == NULL || mp->mp_values == NULL)
		goto nomem;

	for (opt = mp->mp_copy; opt != NULL; opt = next) {
		if ((next = strchr(opt, ',')) != NULL)
			*next++ = '\0';
		if (*opt == '\0')
			continue;
		if ((eq = strchr(opt, '=')) != NULL)
			*eq++ = '\0';
		mp->mp_names[mp->mp_nopts] = opt;
		mp->mp_values[mp->mp_nopts++] = eq;
		m = mntopt_find(m0, opt, &negative);
		if (m == NULL) {
			if (!getmnt_silent)
				errx(1, "-o %s: option not supported", opt);
			continue;
		}
		mntopt_apply(m, negative, flagp, altflagp);
	}
	return mp;

 nomem:
	warn("getmntopts");
	freemntopts(mp);
	return NULL;
}

const char *
getmntoptstr(mntoptparse_t mp, const char *opt)
{
	size_t i;

	for (i = 0; mp != NULL && i < mp->mp_nopts; i++)
		if (strcasecmp(mp->mp_names[i], opt) == 0)
			return mp->mp_values[i];
	if (!getmnt_silent)
		warnx("Missing %s argument", opt);
	return NULL;
}

long
getmntoptnum(mntoptparse_t mp, const char *opt)
{
	const char *val = getmntoptstr(mp, opt);
	char *ep;
	long rv;

	if (val == NULL) {
		if (getmnt_silent)
			return -1;
		errx(1, "Missing %s argument", opt);
	}
	errno = 0;
	rv = strtol(val, &ep, 0);
	if (*val == '\0' || *ep != '\0' || errno == ERANGE) {
		if (getmnt_silent)
			return -1;
		errx(1, "Invalid %s argument `%s'", opt, val);
	}
	return rv;
}

void
freemntopts(mntoptparse_t mp)
{
	if (mp == NULL)
		return;
	free(mp->mp_copy);
	free(mp->mp_names);
	free(mp->mp_values);
	free(mp);
}
