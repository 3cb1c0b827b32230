/*
 * conf_server.c: the example servers the conformance suite mounts and the
 * per-server marks of the cases (see conf.h).  memfs is the reference: the
 * pending and differs fields of the case tables describe it.  nullfs and
 * casefs are the library's null layer over a host directory (casefs swaps
 * the letter case of every name), backfs keeps its data in a backend
 * process.  A mark here says why a case gives another result on one of
 * them: a difference the server has by design (CF_DIFFERS), a bug not yet
 * fixed (CF_PENDING), or that memfs's own marks do not apply
 * (CF_LIKE_TMPFS).  Only conf.c reads these tables.
 */
#include "conf.h"

const struct cf_server cf_servers[] = {
	{ "memfs", "MEMFS", 0 },
	{ "nullfs", "NULLFS", 1 },
	{ "casefs", "CASEFS", 1 },
	{ "backfs", "BACKFS", 0 },
};
const size_t cf_nservers = G_N_ELEMENTS(cf_servers);

#define NULLS	"nullfs,casefs"

#define NULL_OWNER	"the null layer creates with the server's " \
	"credentials: a new object belongs to the server's user (root " \
	"here), not to its creator, as with NetBSD's puffs_null_* " \
	"(nullfs(8) CAVEATS)"
#define NULL_NOCHECK	"the null layer acts with the server's " \
	"credentials (root here) and makes no permission checks of its " \
	"own, as NetBSD's puffs_null_* (nullfs(8) CAVEATS)"
#define NULL_REOPEN	"every null-layer op reopens the host path: a " \
	"file unlinked or replaced while open is gone for its descriptor, " \
	"as on NetBSD (nullfs(8) CAVEATS)"
#define NULL_NOFALLOC	"the null layer sets no fallocate op (NetBSD's " \
	"has none): EOPNOTSUPP"
#define NULL_NOXATTR	"the null layer sets no extended-attribute ops " \
	"(NetBSD's has none): EOPNOTSUPP"
#define BACK_NOCHECK	"backfs makes no permission checks (backfs(8))"
#define BACK_NODEV	"backfs has no device nodes, sockets or FIFOs " \
	"(backfs(8)): mknod and mkfifo give EOPNOTSUPP"
#define BACK_NOFALLOC	"backfs sets no fallocate op: EOPNOTSUPP"
#define BACK_NOXATTR	"backfs sets no extended-attribute ops: EOPNOTSUPP"
#define NO_ADVLOCK	"the server sets no advlock op, so the kernel " \
	"keeps the locks itself and memfs's lock marks do not apply"

static const struct cf_mark cf_marks[] = {
	/* Locks: every server but memfs leaves them to the kernel. */
	{ NULLS ",backfs", "lock", NULL, CF_LIKE_TMPFS, NO_ADVLOCK },

	/* nullfs and casefs: the library's null layer. */
	{ NULLS, "chmod", "owner", CF_DIFFERS, NULL_OWNER },
	{ NULLS, "chmod", "sticky_file", CF_DIFFERS, NULL_OWNER },
	{ NULLS, "chmod", "truncate_kills_suid", CF_DIFFERS, NULL_OWNER },
	{ NULLS, "chmod", "write_kills_suid", CF_DIFFERS, NULL_OWNER },
	{ NULLS, "link", "protected", CF_DIFFERS, NULL_OWNER },
	{ NULLS, "mkdir", "group", CF_DIFFERS, NULL_OWNER },
	{ NULLS, "mknod", "perm", CF_DIFFERS, NULL_OWNER },
	{ NULLS, "symlink", "owner", CF_DIFFERS, NULL_OWNER },
	{ NULLS, "chmod", "nonowner", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "chmod", "sgid_nonmember", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "chown", "nonowner", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "chown", "owner", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "link", "perm", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "mkdir", "perm", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "mkfifo", "perm", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "open", "perm_modes", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "open", "perm_classes", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "open", "perm_creat", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "perm", NULL, CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "rename", "perm", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "rename", "sticky", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "rmdir", "perm", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "rmdir", "sticky", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "truncate", "perm", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "unlink", "perm", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "unlink", "sticky", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "utimensat", "perm", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "utimensat", "perm_now_omit", CF_DIFFERS, NULL_NOCHECK },
	{ NULLS, "rename", "open_files", CF_DIFFERS, NULL_REOPEN },
	{ NULLS, "truncate", "unlinked", CF_DIFFERS, NULL_REOPEN },
	{ NULLS, "unlink", "open", CF_DIFFERS, NULL_REOPEN },
	{ NULLS, "fallocate", "extend", CF_DIFFERS, NULL_NOFALLOC },
	{ NULLS, "fallocate", "inside", CF_DIFFERS, NULL_NOFALLOC },
	{ NULLS, "fallocate", "punch", CF_DIFFERS, NULL_NOFALLOC },
	{ NULLS, "fallocate", "punch_cached", CF_DIFFERS, NULL_NOFALLOC },
	{ NULLS, "xattr", NULL, CF_DIFFERS, NULL_NOXATTR },

	/* backfs: data in a backend process. */
	{ "backfs", "chmod", "nonowner", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "chmod", "owner", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "chmod", "sgid_nonmember", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "chown", "nonowner", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "chown", "owner", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "link", "perm", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "mkdir", "perm", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "open", "perm_modes", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "open", "perm_classes", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "open", "perm_creat", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "perm", NULL, CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "rename", "perm", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "rename", "sticky", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "rmdir", "perm", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "rmdir", "sticky", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "symlink", "owner", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "truncate", "perm", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "unlink", "perm", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "unlink", "sticky", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "utimensat", "perm", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "utimensat", "perm_now_omit", CF_DIFFERS, BACK_NOCHECK },
	{ "backfs", "mkfifo", NULL, CF_DIFFERS, BACK_NODEV },
	{ "backfs", "mknod", NULL, CF_DIFFERS, BACK_NODEV },
	{ "backfs", "dir", "d_type", CF_DIFFERS, BACK_NODEV },
	{ "backfs", "fallocate", "errors", CF_DIFFERS, BACK_NODEV },
	{ "backfs", "link", "fifo", CF_DIFFERS, BACK_NODEV },
	{ "backfs", "poll", "fifo_dir", CF_DIFFERS, BACK_NODEV },
	{ "backfs", "unlink", "kinds", CF_DIFFERS, BACK_NODEV },
	{ "backfs", "fallocate", "extend", CF_DIFFERS, BACK_NOFALLOC },
	{ "backfs", "fallocate", "inside", CF_DIFFERS, BACK_NOFALLOC },
	{ "backfs", "fallocate", "punch", CF_DIFFERS, BACK_NOFALLOC },
	{ "backfs", "fallocate", "punch_cached", CF_DIFFERS, BACK_NOFALLOC },
	{ "backfs", "xattr", NULL, CF_DIFFERS, BACK_NOXATTR },
	{ NULL, NULL, NULL, CF_DIFFERS, NULL }
};

const struct cf_server *
cf_server_find(const char *name)
{
	for (size_t i = 0; i < cf_nservers; i++)
		if (strcmp(cf_servers[i].name, name) == 0)
			return &cf_servers[i];
	return NULL;
}

/* 1 if name is one of the comma-separated names in list. */
static int
cf_in_list(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; p != NULL; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, name, len) == 0 && (p[len] == ',' ||
		    p[len] == '\0'))
			return 1;
	}
	return 0;
}

/* The mark of case k on srv: one naming the case wins over the group's. */
const struct cf_mark *
cf_mark_find(const struct cf_server *srv, const struct cf_case *k)
{
	const struct cf_mark *group = NULL;

	for (const struct cf_mark *m = cf_marks; m->servers != NULL; m++) {
		if (!cf_in_list(m->servers, srv->name) ||
		    strcmp(m->group, k->group) != 0)
			continue;
		if (m->name == NULL)
			group = m;
		else if (strcmp(m->name, k->name) == 0)
			return m;
	}
	return group;
}
