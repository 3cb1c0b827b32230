/*
 * nullfs: mounts a host directory somewhere else through puffs, built
 * entirely on the library's null layer (puffs_null_setops), as NetBSD's
 * pnullfs example does.  It includes only <puffs.h> and host headers.
 *
 * usage: nullfs [-s] [-o mntopts] hostdir mountpoint
 *	-s	stay in the foreground
 *	-o	mount options: the standard ones and puffs' (see puffsmopts)
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <mntopts.h>
#include <puffs.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static __dead void
usage(void)
{
	fprintf(stderr, "usage: %s [-s] [-o mntopts] hostdir mountpoint\n",
	    getprogname());
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct puffs_usermount *pu;
	struct puffs_pathobj *po_root;
	struct puffs_ops *pops;
	struct puffs_node *pn_root;
	struct stat sb;
	mntoptparse_t mp;
	int mntflags = 0, pflags = 0, detach = 1, ch;

	setprogname(argv[0]);
	while ((ch = getopt(argc, argv, "o:s")) != -1) {
		switch (ch) {
		case 'o':
			mp = getmntopts(optarg, puffsmopts, &mntflags, &pflags);
			if (mp == NULL)
				err(1, "getmntopts");
			freemntopts(mp);
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
	if (argc != 2)
		usage();
	/* An operation dump goes to stderr: keep it. */
	if (pflags & PUFFS_FLAG_OPDUMP)
		detach = 0;

	if (lstat(argv[0], &sb) == -1)
		err(1, "stat %s", argv[0]);
	if (!S_ISDIR(sb.st_mode))
		errx(1, "%s is not a directory", argv[0]);

	PUFFSOP_INIT(pops);
	puffs_null_setops(pops);
	pu = puffs_init(pops, argv[0], "nullfs", NULL,
	    PUFFS_FLAG_BUILDPATH | pflags);
	if (pu == NULL)
		err(1, "puffs_init");

	/* The root node's path is the host directory; the rest is built. */
	pn_root = puffs_pn_new(pu, NULL);
	if (pn_root == NULL)
		err(1, "puffs_pn_new");
	puffs_setroot(pu, pn_root);
	puffs_setfhsize(pu, 0, PUFFS_FHFLAG_PASSTHROUGH);
	po_root = puffs_getrootpathobj(pu);
	if (po_root == NULL)
		err(1, "puffs_getrootpathobj");
	po_root->po_path = argv[0];
	po_root->po_len = strlen(argv[0]);
	puffs_stat2vattr(&pn_root->pn_va, &sb);

	if (detach && puffs_daemon(pu, 1, 1) == -1)
		err(1, "puffs_daemon");
	if (puffs_mount(pu, argv[1], mntflags, pn_root) == -1)
		err(1, "puffs_mount");
	if (puffs_mainloop(pu) == -1)
		err(1, "puffs_mainloop");
	return 0;
}
