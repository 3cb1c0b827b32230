/*
 * c_xattr.c: conformance cases for extended attributes: get/set/list/
 * remove, the size probe and ERANGE, XATTR_CREATE/REPLACE, binary and
 * empty values, the user and trusted namespaces and who may see or change
 * them, attributes on directories and through descriptors, and what
 * follows a file through rename and link.  Run by conf.c.
 */
#include "conf.h"

#include <sys/xattr.h>

#include <errno.h>
#include <stdlib.h>


static void
note_get(struct hx_ctx *c, const char *rel, const char *name, size_t size)
{
	char buf[8192];
	ssize_t n;

	if (size > sizeof(buf))
		size = sizeof(buf);
	errno = 0;
	n = getxattr(P(rel), name, size ? buf : NULL, size);
	if (n < 0)
		hx_note(c, "getxattr(%s, %s, %zu) = -1 %s", rel, name, size,
		    hx_errname(errno));
	else if (size == 0)
		hx_note(c, "getxattr(%s, %s, 0) = %zd", rel, name, n);
	else {
		char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA1,
		    (guchar *)buf, n);

		hx_note(c, "getxattr(%s, %s, %zu) = %zd sha1 %s", rel, name,
		    size, n, sum);
		g_free(sum);
	}
}

static int
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names, sorted (order is each fs's own business). */
static void
note_list(struct hx_ctx *c, const char *rel)
{
	GPtrArray *v = g_ptr_array_new();
	GString *s = g_string_new(NULL);
	char buf[65536];
	ssize_t n, probe;

	errno = 0;
	probe = listxattr(P(rel), NULL, 0);
	if (probe < 0) {
		hx_note(c, "listxattr(%s, 0) = -1 %s", rel,
		    hx_errname(errno));
		goto out;
	}
	if ((n = listxattr(P(rel), buf, sizeof(buf))) < 0) {
		hx_note(c, "listxattr(%s) = -1 %s", rel, hx_errname(errno));
		goto out;
	}
	for (ssize_t i = 0; i < n; i += strlen(buf + i) + 1)
		g_ptr_array_add(v, buf + i);
	g_ptr_array_sort(v, cmp_str);
	for (guint i = 0; i < v->len; i++)
		g_string_append_printf(s, " %s", (char *)v->pdata[i]);
	hx_note(c, "listxattr(%s): probe %s list, %u names:%s", rel,
	    probe == n ? "matches" : "differs from", v->len, s->str);
	if (n > 0) {
		errno = 0;
		hx_rv(c, "listxattr(short buffer)", listxattr(P(rel), buf,
		    n - 1), errno, 0);
	}
out:
	g_string_free(s, TRUE);
	g_ptr_array_unref(v);
}

static void
xattr_set_get(struct hx_ctx *c)
{
	char small[3];

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, setxattr(P("f"), "user.colour", "blue", 4, 0));
	note_get(c, "f", "user.colour", 0);
	note_get(c, "f", "user.colour", 4);
	note_get(c, "f", "user.colour", 100);
	HX_DO(c, getxattr(P("f"), "user.colour", small, sizeof(small)));
	HX_DO(c, setxattr(P("f"), "user.colour", "green", 5, 0));
	note_get(c, "f", "user.colour", 100);
	HX_DO(c, setxattr(P("f"), "user.colour", "red", 3, 0));
	note_get(c, "f", "user.colour", 100);
	note_get(c, "f", "user.missing", 100);
	note_get(c, "f", "user.missing", 0);
}

static void
xattr_list(struct hx_ctx *c)
{
	char name[32];

	cf_mkfile(c, "f", 0644, "x");
	note_list(c, "f");
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "user.attr%02d", i);
		if (setxattr(P("f"), name, name, strlen(name), 0) == -1)
			hx_note(c, "setxattr %d = -1 %s", i,
			    hx_errname(errno));
	}
	note_list(c, "f");
	for (int i = 0; i < 40; i += 3) {
		snprintf(name, sizeof(name), "user.attr%02d", i);
		if (removexattr(P("f"), name) == -1)
			hx_note(c, "removexattr %d = -1 %s", i,
			    hx_errname(errno));
	}
	note_list(c, "f");
	note_get(c, "f", "user.attr07", 100);
	note_get(c, "f", "user.attr09", 100);
}

static void
xattr_remove(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, setxattr(P("f"), "user.a", "1", 1, 0));
	HX_DO(c, removexattr(P("f"), "user.a"));
	note_get(c, "f", "user.a", 10);
	HX_DO(c, removexattr(P("f"), "user.a"));
	HX_DO(c, removexattr(P("f"), "user.never"));
	note_list(c, "f");
}

static void
xattr_flags(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, setxattr(P("f"), "user.a", "1", 1, XATTR_REPLACE));
	HX_DO(c, setxattr(P("f"), "user.a", "1", 1, XATTR_CREATE));
	HX_DO(c, setxattr(P("f"), "user.a", "2", 1, XATTR_CREATE));
	note_get(c, "f", "user.a", 10);
	HX_DO(c, setxattr(P("f"), "user.a", "3", 1, XATTR_REPLACE));
	note_get(c, "f", "user.a", 10);
	HX_DO(c, setxattr(P("f"), "user.a", "4", 1,
	    XATTR_CREATE | XATTR_REPLACE));
	HX_DO(c, setxattr(P("f"), "user.a", "5", 1, 0x40));
	note_get(c, "f", "user.a", 10);
}

static void
xattr_values(struct hx_ctx *c)
{
	char big[4000];

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, setxattr(P("f"), "user.empty", "", 0, 0));
	note_get(c, "f", "user.empty", 0);
	note_get(c, "f", "user.empty", 10);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i % 7 == 0 ? 0 : i * 13);
	HX_DO(c, setxattr(P("f"), "user.binary", big, sizeof(big), 0));
	note_get(c, "f", "user.binary", 0);
	note_get(c, "f", "user.binary", sizeof(big));
	note_get(c, "f", "user.binary", sizeof(big) - 1);
	HX_DO(c, setxattr(P("f"), "user.binary", big, 10, 0));
	note_get(c, "f", "user.binary", sizeof(big));
	note_list(c, "f");
}

static void
xattr_names(struct hx_ctx *c)
{
	char name[300];

	cf_mkfile(c, "f", 0644, "x");
	memcpy(name, "user.", 5);
	memset(name + 5, 'n', sizeof(name) - 5);
	name[255] = '\0';
	HX_DO(c, setxattr(P("f"), name, "v", 1, 0));
	note_get(c, "f", name, 10);
	name[255] = 'n';
	name[256] = '\0';
	HX_DO(c, setxattr(P("f"), name, "v", 1, 0));
	HX_DO(c, getxattr(P("f"), name, NULL, 0));
	HX_DO(c, setxattr(P("f"), "user.", "v", 1, 0));
	HX_DO(c, setxattr(P("f"), "", "v", 1, 0));
	HX_DO(c, setxattr(P("f"), "user.with space", "v", 1, 0));
	note_list(c, "f");
}

static void
xattr_trusted(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, setxattr(P("f"), "trusted.t", "root only", 9, 0));
	HX_DO(c, setxattr(P("f"), "user.u", "anyone", 6, 0));
	note_get(c, "f", "trusted.t", 100);
	note_list(c, "f");
	AS(c, U1, G1) {
		note_get(c, "f", "trusted.t", 100);
		note_get(c, "f", "user.u", 100);
		note_list(c, "f");
		HX_DO(c, setxattr(P("f"), "trusted.t", "x", 1, 0));
		HX_DO(c, removexattr(P("f"), "trusted.t"));
	}
	HX_DO(c, removexattr(P("f"), "trusted.t"));
	note_list(c, "f");
}

/* user.* follows the file's permission bits. */
static void
xattr_perm(struct hx_ctx *c)
{
	cf_mkfile(c, "ro", 0644, "x");
	cf_mkfile(c, "priv", 0600, "x");
	cf_mkfile(c, "rw", 0666, "x");
	HX_DO(c, chmod(P("rw"), 0666));
	HX_DO(c, setxattr(P("ro"), "user.a", "1", 1, 0));
	HX_DO(c, setxattr(P("priv"), "user.a", "1", 1, 0));
	AS(c, U1, G1) {
		note_get(c, "ro", "user.a", 10);
		HX_DO(c, setxattr(P("ro"), "user.a", "2", 1, 0));
		HX_DO(c, removexattr(P("ro"), "user.a"));
		note_get(c, "priv", "user.a", 10);
		HX_DO(c, setxattr(P("rw"), "user.b", "2", 1, 0));
		note_get(c, "rw", "user.b", 10);
	}
	note_get(c, "ro", "user.a", 10);
}

/* user.* is for regular files and directories only (a VFS rule). */
static void
xattr_kinds(struct hx_ctx *c)
{
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, setxattr(P("d"), "user.dir", "yes", 3, 0));
	note_get(c, "d", "user.dir", 10);
	note_list(c, "d");
	HX_DO(c, symlink("d", P("l")));
	HX_DO(c, lsetxattr(P("l"), "user.link", "no", 2, 0));
	HX_DO(c, lgetxattr(P("l"), "user.dir", NULL, 0));
	note_get(c, "l", "user.dir", 10);
	HX_DO(c, lsetxattr(P("l"), "trusted.link", "yes", 3, 0));
	HX_DO(c, lgetxattr(P("l"), "trusted.link", NULL, 0));
	HX_DO(c, mkfifo(P("p"), 0644));
	HX_DO(c, setxattr(P("p"), "user.fifo", "no", 2, 0));
	HX_DO(c, getxattr(P("nope"), "user.a", NULL, 0));
	HX_DO(c, setxattr(P("nope"), "user.a", "1", 1, 0));
	HX_DO(c, listxattr(P("nope"), NULL, 0));
}

static void
xattr_fd(struct hx_ctx *c)
{
	char buf[64], list[256];
	int fd;

	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDWR, 0644));
	HX_DO(c, fsetxattr(fd, "user.fd", "through fd", 10, 0));
	HX_DO(c, fgetxattr(fd, "user.fd", buf, sizeof(buf)));
	HX_DO(c, flistxattr(fd, list, sizeof(list)));
	HX_DO(c, fremovexattr(fd, "user.fd"));
	HX_DO(c, flistxattr(fd, list, sizeof(list)));
	HX_DO(c, fsetxattr(fd, "user.kept", "1", 1, 0));
	HX_DO(c, unlink(P("f")));
	HX_DO(c, fgetxattr(fd, "user.kept", buf, sizeof(buf)));
	HX_DO(c, close(fd));
}

static void
xattr_follow(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, setxattr(P("f"), "user.a", "moved", 5, 0));
	HX_DO(c, rename(P("f"), P("g")));
	note_get(c, "g", "user.a", 10);
	HX_DO(c, link(P("g"), P("h")));
	HX_DO(c, setxattr(P("h"), "user.b", "linked", 6, 0));
	note_list(c, "g");
	HX_DO(c, symlink("g", P("l")));
	note_get(c, "l", "user.b", 10);
	cf_mkfile(c, "other", 0644, "y");
	HX_DO(c, rename(P("other"), P("g")));
	note_list(c, "g");
	note_list(c, "h");
}

static void
xattr_ctime(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	cf_past(c, "f");
	HX_DO(c, setxattr(P("f"), "user.a", "1", 1, 0));
	hx_times(c, "f", PAST);
	cf_past(c, "f");
	HX_DO(c, removexattr(P("f"), "user.a"));
	hx_times(c, "f", PAST);
}

/* security.* is for anyone to read (the kernel reads security.capability
 * at every exec on a suid mount); only trusted.* is hidden. */
static void
xattr_security_unpriv(struct hx_ctx *c)
{
	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, setxattr(P("f"), "security.test", "label", 5, 0));
	AS(c, U1, G1) {
		note_get(c, "f", "security.capability", 100);
		note_get(c, "f", "security.test", 100);
		HX_DO(c, setxattr(P("f"), "security.test", "x", 1, 0));
	}
	note_get(c, "f", "security.test", 100);
}

const struct cf_case cf_xattr_cases[] = {
	{ "xattr", "set_get", xattr_set_get, NULL, NULL },
	{ "xattr", "list", xattr_list, NULL, NULL },
	{ "xattr", "remove", xattr_remove, NULL, NULL },
	{ "xattr", "create_replace", xattr_flags, NULL, NULL },
	{ "xattr", "values", xattr_values, NULL, NULL },
	{ "xattr", "names", xattr_names, NULL, NULL },
	{ "xattr", "trusted", xattr_trusted, NULL, NULL },
	{ "xattr", "perm", xattr_perm, NULL, NULL },
	{ "xattr", "kinds", xattr_kinds, NULL, NULL },
	{ "xattr", "fd", xattr_fd, NULL, NULL },
	{ "xattr", "follow", xattr_follow, NULL, NULL },
	{ "xattr", "ctime", xattr_ctime, NULL, NULL },
	{ "xattr", "security_unpriv", xattr_security_unpriv, NULL, NULL },
	CF_END
};
