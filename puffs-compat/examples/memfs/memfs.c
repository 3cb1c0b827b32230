/*
 * memfs.c: an in-memory file system served through libpuffs, written
 * against the NetBSD puffs API only (<puffs.h> and system headers).
 * Owns the command line, the operations vector and the mount's lifetime;
 * the operations live in memfs_vfsops.c, memfs_vnops.c,
 * memfs_fileops.c and memfs_extops.c, the data structures in memfs_node.c and memfs_dir.c.
 *
 * usage: memfs [-ds] mountpoint
 *	-d	dump every operation (PUFFS_FLAG_OPDUMP)
 *	-s	stay in the foreground
 */
#include "memfs.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static __dead void
usage(void)
{

	fprintf(stderr, "usage: memfs [-ds] mountpoint\n");
	exit(1);
}

static struct puffs_ops *
memfs_ops(void)
{
	struct puffs_ops *pops;

	PUFFSOP_INIT(pops);
	if (pops == NULL)
		err(1, "malloc");

	PUFFSOP_SET(pops, memfs, fs, unmount);
	PUFFSOP_SET(pops, memfs, fs, statvfs);
	PUFFSOP_SET(pops, memfs, fs, sync);

	PUFFSOP_SET(pops, memfs, node, lookup);
	PUFFSOP_SET(pops, memfs, node, create);
	PUFFSOP_SET(pops, memfs, node, mknod);
	PUFFSOP_SET(pops, memfs, node, mkdir);
	PUFFSOP_SET(pops, memfs, node, symlink);
	PUFFSOP_SET(pops, memfs, node, link);
	PUFFSOP_SET(pops, memfs, node, remove);
	PUFFSOP_SET(pops, memfs, node, rmdir);
	PUFFSOP_SET(pops, memfs, node, rename);
	PUFFSOP_SET(pops, memfs, node, access);
	PUFFSOP_SET(pops, memfs, node, getattr);
	PUFFSOP_SET(pops, memfs, node, setattr);
	PUFFSOP_SET(pops, memfs, node, open);
	PUFFSOP_SET(pops, memfs, node, close);
	PUFFSOP_SET(pops, memfs, node, read);
	PUFFSOP_SET(pops, memfs, node, write);
	PUFFSOP_SET(pops, memfs, node, readdir);
	PUFFSOP_SET(pops, memfs, node, readlink);
	PUFFSOP_SET(pops, memfs, node, inactive);
	PUFFSOP_SET(pops, memfs, node, reclaim);
	PUFFSOP_SET(pops, memfs, node, fsync);
	PUFFSOP_SET(pops, memfs, node, poll);
	PUFFSOP_SET(pops, memfs, node, pathconf);
	PUFFSOP_SET(pops, memfs, node, advlock);
	PUFFSOP_SET(pops, memfs, node, getextattr);
	PUFFSOP_SET(pops, memfs, node, setextattr);
	PUFFSOP_SET(pops, memfs, node, listextattr);
	PUFFSOP_SET(pops, memfs, node, deleteextattr);
	PUFFSOP_SET(pops, memfs, node, fallocate);
	PUFFSOP_SET(pops, memfs, node, fdiscard);
	return pops;
}

int
main(int argc, char *argv[])
{
	struct puffs_usermount *pu;
	struct memfs *mfs;
	struct mnode *root;
	uint32_t pflags = 0;
	int ch, detach = 1, mntflags = 0;

	while ((ch = getopt(argc, argv, "ds")) != -1) {
		switch (ch) {
		case 'd':
#ifdef PUFFS_FLAG_OPDUMP
			pflags |= PUFFS_FLAG_OPDUMP;
#endif
			break;
		case 's':
			detach = 0;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();

	if ((mfs = calloc(1, sizeof(*mfs))) == NULL)
		err(1, "calloc");
	mfs->mfs_limit = MEMFS_DEFAULT_LIMIT;
	mfs->mfs_nextino = 2;		/* the root's number, as on disk fs */

	pu = puffs_init(memfs_ops(), "memfs", "memfs", mfs, pflags);
	if (pu == NULL)
		err(1, "puffs_init");

	if ((root = memfs_node_new(pu, VDIR, 0755, NULL, NULL)) == NULL)
		err(1, "root node");
	mfs->mfs_root = root;
	puffs_setroot(pu, root->mn_pn);

	if (detach && puffs_daemon(pu, 1, 1) == -1)
		err(1, "puffs_daemon");
	if (puffs_mount(pu, argv[0], mntflags, root->mn_pn) == -1)
		err(1, "puffs_mount");
	if (puffs_mainloop(pu) == -1)
		err(1, "puffs_mainloop");

	memfs_node_freeall(pu);
	free(mfs);
	return 0;
}
