/*
 * memfs_dir.c: directory contents of memfs.  Owns struct mdir: the name
 * hash used by lookup and the slot array that gives readdir stable,
 * index-like offsets.  Called by memfs_vnops.c and memfs_node.c; it keeps
 * the directory's size and the link counts that entries imply.
 */
#include "memfs.h"

#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MD_HASH_INIT	16
#define MD_SLOTS_INIT	16

/* FNV-1a: cheap and good enough for file names. */
static uint32_t
md_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)name[i];
		h *= 16777619u;
	}
	return h;
}

static void *
md_calloc(size_t n, size_t sz)
{
	void *p;

	if ((p = calloc(n, sz)) == NULL)
		err(1, "calloc");
	return p;
}

void
memfs_dir_init(struct mdir *md, struct mnode *parent)
{

	md->md_hashsize = MD_HASH_INIT;
	md->md_hash = md_calloc(md->md_hashsize, sizeof(*md->md_hash));
	md->md_slotcap = MD_SLOTS_INIT;
	md->md_slots = md_calloc(md->md_slotcap, sizeof(*md->md_slots));
	md->md_nslots = 0;
	md->md_nentries = 0;
	md->md_parent = parent;
}

/* Free the tables and every entry (the nodes are not touched). */
void
memfs_dir_destroy(struct mdir *md)
{
	size_t i;

	for (i = 0; i < md->md_nslots; i++)
		free(md->md_slots[i]);
	free(md->md_slots);
	free(md->md_hash);
	md->md_slots = NULL;
	md->md_hash = NULL;
	md->md_nslots = md->md_nentries = 0;
}

struct mdirent *
memfs_dir_find(struct mdir *md, const char *name, size_t len)
{
	struct mdirent *de;
	uint32_t h;

	h = md_hash(name, len);
	for (de = md->md_hash[h & (md->md_hashsize - 1)]; de; de = de->de_hnext)
		if (de->de_hash == h && de->de_namelen == len &&
		    memcmp(de->de_name, name, len) == 0)
			return de;
	return NULL;
}

/* Double the bucket array once the chains average more than one entry. */
static void
md_rehash(struct mdir *md)
{
	struct mdirent **nh, *de, *next;
	size_t i, nsize;

	nsize = md->md_hashsize * 2;
	nh = md_calloc(nsize, sizeof(*nh));
	for (i = 0; i < md->md_hashsize; i++) {
		for (de = md->md_hash[i]; de; de = next) {
			next = de->de_hnext;
			de->de_hnext = nh[de->de_hash & (nsize - 1)];
			nh[de->de_hash & (nsize - 1)] = de;
		}
	}
	free(md->md_hash);
	md->md_hash = nh;
	md->md_hashsize = nsize;
}

static void
md_slot_append(struct mdir *md, struct mdirent *de)
{

	if (md->md_nslots == md->md_slotcap) {
		md->md_slotcap *= 2;
		md->md_slots = realloc(md->md_slots,
		    md->md_slotcap * sizeof(*md->md_slots));
		if (md->md_slots == NULL)
			err(1, "realloc");
	}
	de->de_slot = md->md_nslots;
	md->md_slots[md->md_nslots++] = de;
}

static void
md_setsize(struct mnode *dir)
{
	struct vattr *va = MN2VA(dir);

	va->va_size = (uint64_t)(dir->mn_dir.md_nentries + 2) *
	    MEMFS_DIRENT_BOGOSIZE;
}

/*
 * Enter name -> node in dir.  The caller has checked that the name is
 * free.  Link counts follow the entries: the entry counts one for the
 * node, and a subdirectory's ".." counts one for dir.  A directory's own
 * "." is counted once at creation.
 */
int
memfs_dir_add(struct mnode *dir, const char *name, size_t len,
    struct mnode *mn)
{
	struct mdir *md = &dir->mn_dir;
	struct mdirent *de;
	size_t b;

	de = md_calloc(1, sizeof(*de) + len + 1);
	memcpy(de->de_name, name, len);
	de->de_namelen = len;
	de->de_hash = md_hash(name, len);
	de->de_node = mn;

	if (md->md_nentries >= md->md_hashsize)
		md_rehash(md);
	b = de->de_hash & (md->md_hashsize - 1);
	de->de_hnext = md->md_hash[b];
	md->md_hash[b] = de;
	md_slot_append(md, de);
	md->md_nentries++;

	MN2VA(mn)->va_nlink++;
	if (MN2VA(mn)->va_type == VDIR) {
		mn->mn_dir.md_parent = dir;
		MN2VA(dir)->va_nlink++;
	}
	md_setsize(dir);
	return 0;
}

/* Drop an entry; the node's link counts follow. */
void
memfs_dir_remove(struct mnode *dir, struct mdirent *de)
{
	struct mdir *md = &dir->mn_dir;
	struct mdirent **dep;
	struct mnode *mn = de->de_node;

	for (dep = &md->md_hash[de->de_hash & (md->md_hashsize - 1)];
	    *dep != de; dep = &(*dep)->de_hnext)
		continue;
	*dep = de->de_hnext;
	md->md_slots[de->de_slot] = NULL;
	md->md_nentries--;

	/* a subdirectory keeps the link of its own "." (see rmdir) */
	MN2VA(mn)->va_nlink--;
	if (MN2VA(mn)->va_type == VDIR)
		MN2VA(dir)->va_nlink--;
	free(de);

	/* trailing holes cost nothing to forget, even while open */
	while (md->md_nslots > 0 && md->md_slots[md->md_nslots - 1] == NULL)
		md->md_nslots--;
	md_setsize(dir);
	memfs_dir_compact(dir);
}

/* The entry at a readdir slot, or NULL for a hole or past the end. */
struct mdirent *
memfs_dir_slot(struct mdir *md, size_t slot)
{

	if (slot >= md->md_nslots)
		return NULL;
	return md->md_slots[slot];
}

/*
 * Squeeze holes out when they dominate.  Only while the directory is not
 * open: a reader in the middle of a listing holds slot offsets.
 */
void
memfs_dir_compact(struct mnode *dir)
{
	struct mdir *md = &dir->mn_dir;
	size_t i, j;

	if (dir->mn_nopen > 0 || md->md_nslots - md->md_nentries <=
	    md->md_nentries + MD_SLOTS_INIT)
		return;
	for (i = j = 0; i < md->md_nslots; i++) {
		if (md->md_slots[i] == NULL)
			continue;
		md->md_slots[i]->de_slot = j;
		md->md_slots[j++] = md->md_slots[i];
	}
	md->md_nslots = j;
}
