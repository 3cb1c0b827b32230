/*
 * memfs.c: an in-memory file system served through libpuffs, written
 * against the NetBSD puffs API only (<puffs.h> and system headers).
 * Owns the command line, the operations vector and the mount's lifetime;
 * the operations live in memfs_vfsops.c, memfs_vnops.c,
 * memfs_fileops.c and memfs_extops.c, the data structures in memfs_node.c and memfs_dir.c.
 *
 * usage: memfs [-dfrsS] [-l logfile] [-o options] [-W gatefile] [special]
 *	       mountpoint
 *	-d	dump every operation (PUFFS_FLAG_OPDUMP)
 *	-f	the root is a regular file (mount it on a file)
 *	-l	append a line per write, create, readdir, sync, unmount and
 *		fs_suspend notice to logfile (the tests read the order)
 *	-r	refuse an unmount that is not forced (EBUSY)
 *	-s	stay in the foreground
 *	-S	creating a file named .snapshot calls puffs_fs_suspend(),
 *		one named .exit calls puffs_exit()
 *	-W	every write waits until the file gatefile exists (tests)
 *	-o	mount options (ro, nosuid, ...), as mount(8) passes them to
 *		a NetBSD mount_* program; special names the mount (mntfrom)
 */
#include "memfs.h"

#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * The mount: puffs has no destructor for it (nor had NetBSD), so it lives
 * until exit, reachable from here.
 */
static struct puffs_usermount *volatile memfs_pu;

static __dead void
usage(void)
{

	fprintf(stderr,
	    "usage: memfs [-dfrsS] [-l logfile] [-o options] [-W gatefile] "
	    "[special] mountpoint\n");
	exit(1);
}

/* The generic mount options a NetBSD mount_* program understands. */
static const struct {
	const char	*name;
	int		 set;		/* mount flags it sets */
	int		 clear;		/* mount flags it clears */
} memfs_mntopts[] = {
	{ "ro", MNT_RDONLY, 0 },
	{ "rdonly", MNT_RDONLY, 0 },
	{ "rw", 0, MNT_RDONLY },
	{ "nosuid", MNT_NOSUID, 0 },
	{ "suid", 0, MNT_NOSUID },
	{ "nodev", MNT_NODEV, 0 },
	{ "dev", 0, MNT_NODEV },
	{ "noexec", MNT_NOEXEC, 0 },
	{ "exec", 0, MNT_NOEXEC },
	{ "noatime", MNT_NOATIME, 0 },
	{ "atime", 0, MNT_NOATIME },
};
#define MEMFS_NMNTOPTS	(sizeof(memfs_mntopts) / sizeof(memfs_mntopts[0]))

/* -o ro,nosuid,...: anything unknown is an error, as getmntopts(3). */
static void
memfs_options(char *list, int *mntflags)
{
	char *opt;
	size_t i;

	while ((opt = strsep(&list, ",")) != NULL) {
		if (*opt == '\0')
			continue;
		for (i = 0; i < MEMFS_NMNTOPTS; i++)
			if (strcmp(opt, memfs_mntopts[i].name) == 0)
				break;
		if (i == MEMFS_NMNTOPTS)
			errx(1, "-o %s: unknown option", opt);
		*mntflags |= memfs_mntopts[i].set;
		*mntflags &= ~memfs_mntopts[i].clear;
	}
}

/* One line in the -l log, written at once so that readers see it. */
void
memfs_log(struct puffs_usermount *pu, const char *fmt, ...)
{
	struct memfs *mfs = puffs_getspecific(pu);
	va_list ap;

	if (mfs == NULL || mfs->mfs_log == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(mfs->mfs_log, fmt, ap);
	va_end(ap);
	fputc('\n', mfs->mfs_log);
	fflush(mfs->mfs_log);
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
	PUFFSOP_SET(pops, memfs, fs, suspend);

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
	const char *special = "memfs";
	int ch, detach = 1, mntflags = 0, rootfile = 0;
	const char *logpath = NULL, *wgate = NULL;
	bool refuse = false, snapshot = false;

	while ((ch = getopt(argc, argv, "dfl:o:rsSW:")) != -1) {
		switch (ch) {
		case 'd':
#ifdef PUFFS_FLAG_OPDUMP
			pflags |= PUFFS_FLAG_OPDUMP;
#endif
			break;
		case 'o':
			memfs_options(optarg, &mntflags);
			break;
		case 'f':
			rootfile = 1;
			break;
		case 'l':
			logpath = optarg;
			break;
		case 'r':
			refuse = true;
			break;
		case 's':
			detach = 0;
			break;
		case 'S':
			snapshot = true;
			break;
		case 'W':
			wgate = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 2) {
		special = argv[0];
		argv++;
		argc--;
	}
	if (argc != 1)
		usage();

	if ((mfs = calloc(1, sizeof(*mfs))) == NULL)
		err(1, "calloc");
	mfs->mfs_limit = MEMFS_DEFAULT_LIMIT;
	mfs->mfs_nextino = 2;		/* the root's number, as on disk fs */
	mfs->mfs_refuse = refuse;
	mfs->mfs_snapshot = snapshot;
	mfs->mfs_wgate = wgate;
	if (logpath != NULL && (mfs->mfs_log = fopen(logpath, "a")) == NULL)
		err(1, "%s", logpath);

	pu = memfs_pu = puffs_init(memfs_ops(), special, "memfs", mfs, pflags);
	if (pu == NULL)
		err(1, "puffs_init");

	root = memfs_node_new(pu, rootfile ? VREG : VDIR,
	    rootfile ? 0644 : 0755, NULL, NULL);
	if (root == NULL)
		err(1, "root node");
	mfs->mfs_root = root;
	puffs_setroot(pu, root->mn_pn);
	if (rootfile) {
		MN2VA(root)->va_nlink = 1;
		puffs_setrootinfo(pu, VREG, 0, 0);
	}

	if (detach && puffs_daemon(pu, 1, 1) == -1)
		err(1, "puffs_daemon");
	if (puffs_mount(pu, argv[0], mntflags, root->mn_pn) == -1)
		err(1, "puffs_mount");
	if (puffs_mainloop(pu) == -1)
		err(1, "puffs_mainloop");

	memfs_node_freeall(pu);
	if (mfs->mfs_log != NULL)
		fclose(mfs->mfs_log);
	free(mfs);
	return 0;
}
