/*
 * c_dir.c: conformance cases for reading directories: telldir/seekdir
 * positions across a 10,000-entry directory (a position taken while
 * reading must lead back to the same entry, in any order, while the
 * stream stays open), rewinddir seeing new entries, removing entries
 * already returned while reading, getdents64 with small buffers, and
 * d_type.  Traces hold counts and mismatches, never positions (their
 * values are each fs's own).  Run by conf.c.
 */
#include "conf.h"

#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

struct ent {
	long	pos;
	char	*name;
};

static void
populate(struct hx_ctx *c, const char *rel, int n)
{
	unsigned int fails = 0;
	char name[PATH_MAX];
	int fd;

	HX_DO(c, mkdir(P(rel), 0755));
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/e%05d", rel, i);
		if ((fd = open(P(name), O_CREAT | O_WRONLY, 0644)) == -1)
			fails++;
		else
			close(fd);
	}
	hx_note(c, "created %d in %s: %u failed", n, rel, fails);
}

/* Read the whole stream, noting each entry's position. */
static GArray *
read_all(DIR *d)
{
	GArray *v = g_array_new(FALSE, FALSE, sizeof(struct ent));
	struct dirent *de;
	struct ent e;

	for (;;) {
		e.pos = telldir(d);
		if ((de = readdir(d)) == NULL)
			break;
		e.name = g_strdup(de->d_name);
		g_array_append_val(v, e);
	}
	return v;
}

static void
free_ents(GArray *v)
{
	for (guint i = 0; i < v->len; i++)
		g_free(g_array_index(v, struct ent, i).name);
	g_array_unref(v);
}

static void
note_names(struct hx_ctx *c, const char *what, GArray *v, int n)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	unsigned int dups = 0;

	for (guint i = 0; i < v->len; i++)
		if (!g_hash_table_add(seen, g_array_index(v, struct ent,
		    i).name))
			dups++;
	hx_note(c, "%s: %u entries, %u distinct, %u duplicates, dot %d "
	    "dotdot %d, expected files present %d", what, v->len,
	    g_hash_table_size(seen), dups, g_hash_table_contains(seen, "."),
	    g_hash_table_contains(seen, ".."), (int)g_hash_table_size(seen) ==
	    n + 2);
	g_hash_table_unref(seen);
}

/* Seek to each of the given indices and check the entry read there. */
static unsigned int
check_seeks(DIR *d, GArray *v, const guint *idx, guint n)
{
	unsigned int bad = 0;
	struct dirent *de;

	for (guint i = 0; i < n; i++) {
		struct ent *e = &g_array_index(v, struct ent, idx[i]);

		seekdir(d, e->pos);
		de = readdir(d);
		if (de == NULL || strcmp(de->d_name, e->name) != 0)
			bad++;
	}
	return bad;
}

static void
dir_telldir_10000(struct hx_ctx *c)
{
	const int n = 10000;
	unsigned int bad, bad_next = 0;
	GArray *v, *idx;
	DIR *d;

	populate(c, "big", n);
	if ((d = opendir(P("big"))) == NULL) {
		hx_note(c, "opendir = -1 %s", hx_errname(errno));
		return;
	}
	v = read_all(d);
	note_names(c, "first pass", v, n);
	idx = g_array_new(FALSE, FALSE, sizeof(guint));
	/* forwards, backwards, then scattered (a fixed LCG) */
	for (guint i = 0; i < v->len; i += 37)
		g_array_append_val(idx, i);
	for (guint i = v->len; i-- > 0; i = i >= 41 ? i - 40 : 0) {
		g_array_append_val(idx, i);
		if (i == 0)
			break;
	}
	guint32 x = 12345;
	for (int i = 0; i < 2000 && v->len > 0; i++) {
		x = x * 1103515245u + 12345u;
		guint j = (x >> 8) % v->len;
		g_array_append_val(idx, j);
	}
	bad = check_seeks(d, v, (guint *)(void *)idx->data, idx->len);
	hx_note(c, "%u seeks, %u landed on another entry", idx->len, bad);
	/* After a seek, reading goes on in the first pass's order. */
	if (v->len > 5000) {
		seekdir(d, g_array_index(v, struct ent, 5000).pos);
		for (guint i = 5000; i < v->len; i++) {
			struct dirent *de = readdir(d);

			if (de == NULL || strcmp(de->d_name,
			    g_array_index(v, struct ent, i).name) != 0)
				bad_next++;
		}
		hx_note(c, "reading on from the middle: %u out of order, "
		    "then %s", bad_next, readdir(d) == NULL ? "end" :
		    "more entries");
	}
	rewinddir(d);
	GArray *again = read_all(d);
	note_names(c, "after rewinddir", again, n);
	free_ents(again);
	closedir(d);
	g_array_unref(idx);
	free_ents(v);
}

/* Two streams on one directory keep their own positions. */
static void
dir_two_streams(struct hx_ctx *c)
{
	struct dirent *de;
	GArray *v;
	DIR *d1, *d2;
	unsigned int bad = 0;

	populate(c, "d", 300);
	d1 = opendir(P("d"));
	d2 = opendir(P("d"));
	if (d1 == NULL || d2 == NULL) {
		hx_note(c, "opendir failed");
		return;
	}
	v = read_all(d1);
	note_names(c, "stream 1", v, 300);
	for (guint i = 0; i < v->len; i++) {
		de = readdir(d2);
		if (de == NULL || strcmp(de->d_name,
		    g_array_index(v, struct ent, i).name))
			bad++;
		if (i % 10 == 0) {
			seekdir(d1, g_array_index(v, struct ent,
			    (i * 7) % v->len).pos);
			de = readdir(d1);
			if (de == NULL || strcmp(de->d_name, g_array_index(v,
			    struct ent, (i * 7) % v->len).name))
				bad++;
		}
	}
	hx_note(c, "interleaved streams: %u mismatches", bad);
	free_ents(v);
	closedir(d1);
	closedir(d2);
}

static void
dir_rewind_new(struct hx_ctx *c)
{
	GArray *v;
	DIR *d;

	populate(c, "d", 5);
	if ((d = opendir(P("d"))) == NULL)
		return;
	v = read_all(d);
	note_names(c, "before", v, 5);
	free_ents(v);
	cf_mkfile(c, "d/e00005", 0644, "");
	HX_DO(c, unlink(P("d/e00000")));
	rewinddir(d);
	v = read_all(d);
	note_names(c, "after rewinddir", v, 5);
	GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < v->len; i++)
		g_hash_table_add(h, g_array_index(v, struct ent, i).name);
	hx_note(c, "new seen %d, removed seen %d",
	    g_hash_table_contains(h, "e00005"),
	    g_hash_table_contains(h, "e00000"));
	g_hash_table_unref(h);
	free_ents(v);
	closedir(d);
}

/* Entries not removed are each returned exactly once even when the
 * entries already returned are removed while reading. */
static void
dir_unlink_while_reading(struct hx_ctx *c)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	unsigned int dups = 0, removed = 0, missing = 0;
	char name[PATH_MAX];
	struct dirent *de;
	DIR *d;

	populate(c, "d", 2000);
	if ((d = opendir(P("d"))) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!g_hash_table_add(seen, g_strdup(de->d_name)))
			dups++;
		if (de->d_name[0] != 'e')
			continue;
		if (g_hash_table_size(seen) % 2 == 0) {
			snprintf(name, sizeof(name), "d/%s", de->d_name);
			if (unlink(P(name)) == 0)
				removed++;
		}
	}
	closedir(d);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "e%05d", i);
		if (!g_hash_table_contains(seen, name))
			missing++;
	}
	hx_note(c, "read while removing: %u duplicates, %u removed, %u "
	    "never returned", dups, removed, missing);
	g_hash_table_unref(seen);
}

static void
dir_getdents_small(struct hx_ctx *c)
{
	char buf[96];
	unsigned int calls = 0, entries = 0;
	long n;
	int fd;

	populate(c, "d", 50);
	HX_FD(c, &fd, open(P("d"), O_RDONLY | O_DIRECTORY));
	if (fd < 0)
		return;
	errno = 0;
	hx_rv(c, "getdents64(buffer of 8)", syscall(SYS_getdents64, fd, buf,
	    8), errno, 0);
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		calls++;
		for (long off = 0; off < n; ) {
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			entries++;
			off += reclen;
		}
	}
	hx_note(c, "getdents64 small buffer: last = %ld, entries %u, "
	    "calls >= entries/2: %d", n, entries, calls >= entries / 2);
	close(fd);
}

static void
dir_types(struct hx_ctx *c)
{
	cf_mkfile(c, "reg", 0644, "");
	HX_DO(c, mkdir(P("dir"), 0755));
	HX_DO(c, symlink("reg", P("lnk")));
	HX_DO(c, mkfifo(P("fifo"), 0644));
	HX_DO(c, mknod(P("chr"), S_IFCHR | 0600, 0x0103));
	HX_DO(c, mknod(P("sock"), S_IFSOCK | 0600, 0));
	cf_list(c, "");
	HX_DO(c, rename(P("dir"), P("dir2")));
	HX_DO(c, unlink(P("lnk")));
	cf_list(c, "");
}

const struct cf_case cf_dir_cases[] = {
	{ "dir", "telldir_seekdir_10000", dir_telldir_10000, NULL, NULL },
	{ "dir", "two_streams", dir_two_streams, NULL, NULL },
	{ "dir", "rewind_sees_changes", dir_rewind_new, NULL, NULL },
	{ "dir", "unlink_while_reading", dir_unlink_while_reading, NULL,
	    NULL },
	{ "dir", "getdents_small_buffer", dir_getdents_small, NULL, NULL },
	{ "dir", "d_type", dir_types, NULL, NULL },
	CF_END
};
