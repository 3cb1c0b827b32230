/*
 * fuzz_mntopts.c: libFuzzer target for mount option parsing, both places
 * it happens: mount.puffs sorting mount(8)'s arguments and options
 * (src/mount_puffs.c, compiled in here with its main() renamed) and
 * libpuffs's getmntopts() family (puffs-compat/lib/mntopts.c), which
 * every server runs on its -o argument.
 *
 * Input: "TYPE\nSPEC\nOPTIONS"; a missing TYPE line means no -t.  Byte 0
 * picks the program name (mount.puffs or mount.fuse.puffs) by its low
 * bit and is not part of TYPE.  Checked: what mount.puffs accepts names a
 * valid server, hands puffsd only its own options and a well-formed
 * --sync-interval, and hands the server none of the options it sorts
 * away; getmntopts sets only flags of the table, in the right word, and
 * getmntoptstr returns the value of the first option of that name.
 */
#include <strings.h>

#define main	mount_puffs_main
#include "../../src/mount_puffs.c"
#undef main

#include <mntopts.h>

#include "fuzz.h"

extern const struct mntopt puffsmopts[];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

static bool
fz_table_opt(const char *opt)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(opt_table); i++)
		if (opt_matches(opt, opt_table[i].name))
			return true;
	return false;
}

/* Every comma-separated element of s passes ok(). */
static void
fz_each(const GString *s, bool (*ok)(const char *))
{
	gchar **v;
	size_t i;

	if (s->len == 0)
		return;
	v = g_strsplit(s->str, ",", -1);
	for (i = 0; v[i] != NULL; i++)
		if (v[i][0] == '\0' || !ok(v[i]))
			__builtin_trap();
	g_strfreev(v);
}

static bool
fz_theirs_ok(const char *opt)
{
	return !fz_table_opt(opt);
}

static bool
fz_ours_ok(const char *opt)
{
	return strcmp(opt, "allow_other") == 0 ||
	    strcmp(opt, "default_permissions") == 0;
}

static void
fz_helper(bool fuseprog, const char *type, const char *spec,
    const char *opts)
{
	struct helper h;
	GPtrArray *argv;
	const char *secs;

	/* GOption would act on --help; mount(8) puts SPEC first anyway. */
	if (spec[0] == '-')
		return;
	memset(&h, 0, sizeof(h));
	h.prog = fuseprog ? "mount.fuse.puffs" : "mount.puffs";
	h.ours = g_string_new(NULL);
	h.theirs = g_string_new(NULL);
	argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup(h.prog));
	g_ptr_array_add(argv, g_strdup(spec));
	g_ptr_array_add(argv, g_strdup("/mnt"));
	g_ptr_array_add(argv, g_strconcat("--options=", opts, NULL));
	if (type != NULL)
		g_ptr_array_add(argv, g_strconcat("--types=", type, NULL));
	g_ptr_array_add(argv, NULL);
	/* GOption may permute argv: hand it a copy of the pointers. */
	{
		char **copy = g_memdup2(argv->pdata,
		    argv->len * sizeof(char *));

		if (helper_parse(&h, (int)argv->len - 1, copy)) {
			if (!server_name_ok(h.server) || h.spec == NULL)
				__builtin_trap();
			fz_each(h.theirs, fz_theirs_ok);
			fz_each(h.ours, fz_ours_ok);
			if (h.syncint != NULL) {
				if (!g_str_has_prefix(h.syncint,
				    "--sync-interval="))
					__builtin_trap();
				secs = h.syncint + strlen("--sync-interval=");
				if (*secs == '\0' || strlen(secs) > 9 ||
				    strspn(secs, "0123456789") !=
				    strlen(secs))
					__builtin_trap();
			}
		}
		g_free(copy);
	}
	helper_free(&h);
	g_ptr_array_free(argv, TRUE);
}

/* What getmntoptstr must answer: the first option called name. */
static const char *
fz_first_value(char **names, char **values, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(names[i], name) == 0)
			return values[i];
	return NULL;
}

static void
fz_getmntopts(const char *opts)
{
	const struct mntopt *m;
	int flags = 0, alt = 0, mask = 0, altmask = 0;
	gchar **v, **names, **values, *eq;
	const char *got, *want;
	mntoptparse_t mp;
	size_t i, n;

	getmnt_silent = 1;
	for (m = puffsmopts; m->m_option != NULL; m++)
		*(m->m_altloc ? &altmask : &mask) |= m->m_flag;
	if ((mp = getmntopts(opts, puffsmopts, &flags, &alt)) == NULL)
		__builtin_trap();
	if ((flags & ~mask) != 0 || (alt & ~altmask) != 0)
		__builtin_trap();

	v = g_strsplit(opts, ",", -1);
	n = g_strv_length(v);
	names = g_new0(gchar *, n + 1);
	values = g_new0(gchar *, n + 1);
	for (i = 0; v[i] != NULL; i++) {
		if ((eq = strchr(v[i], '=')) != NULL)
			*eq++ = '\0';
		names[i] = v[i];
		values[i] = eq;
	}
	for (i = 0; i < n; i++) {
		if (names[i][0] == '\0')
			continue;
		got = getmntoptstr(mp, names[i]);
		want = fz_first_value(names, values, n, names[i]);
		if ((got == NULL) != (want == NULL) ||
		    (got != NULL && strcmp(got, want) != 0))
			__builtin_trap();
		(void)getmntoptnum(mp, names[i]);
	}
	g_free(names);
	g_free(values);
	g_strfreev(v);
	freemntopts(mp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gchar *text, **f, *type, *spec, *opts;

	if (size < 1)
		return 0;
	text = g_strndup((const char *)data + 1, size - 1);
	f = g_strsplit(text, "\n", 3);
	switch (g_strv_length(f)) {
	case 0:
		type = NULL, spec = "x", opts = "";
		break;
	case 1:
		type = NULL, spec = "x", opts = f[0];
		break;
	case 2:
		type = NULL, spec = f[0], opts = f[1];
		break;
	default:
		type = f[0], spec = f[1], opts = f[2];
		break;
	}
	fz_helper((data[0] & 1) != 0, type, spec, opts);
	fz_getmntopts(opts);
	g_strfreev(f);
	g_free(text);
	return 0;
}
