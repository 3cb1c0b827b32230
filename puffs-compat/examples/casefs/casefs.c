/*
 * casefs: a host directory seen with the case of every letter in every
 * name swapped ("Read.ME" on the host is "rEAD.me" here), built on the
 * null layer and the path callbacks: a namemod hook rewrites each name the
 * kernel sends before its path is built, and readdir swaps the host's
 * names back.  Swapping is its own inverse, so the mount is a faithful
 * file system of its own.  Includes only <puffs.h> and host headers.
 *
 * usage: casefs [-s] [-o mntopts] hostdir mountpoint
 *
 * SIGINT and SIGTERM unmount it cleanly (puffs_unmountonsignal).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <limits.h>
#include <signal.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <mntopts.h>
#include <puffs.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

PUFFSOP_PROTOS(casefs)

static void
swapcase(char *name, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (isupper(c))
			name[i] = (char)tolower(c);
		else if (islower(c))
			name[i] = (char)toupper(c);
	}
}

/* The name the kernel asked for becomes the host's before lookup & co. */
static int
casefs_namemod(struct puffs_usermount *pu, struct puffs_pathobj *dir,
    struct puffs_cn *pcn)
{
	(void)pu;
	(void)dir;
	swapcase(pcn->pcn_name, pcn->pcn_namelen);
	return 0;
}

/* Entry numbers are the offsets, as in the null layer. */
int
casefs_node_readdir(struct puffs_usermount *pu, puffs_cookie_t opc,
    struct dirent *dent, off_t *readoff, size_t *reslen,
    const struct puffs_cred *pcr, int *eofflag, off_t *cookies,
    size_t *ncookies)
{
	struct puffs_node *pn = opc;
	struct dirent *hd;
	char name[NAME_MAX + 1];
	off_t i;
	DIR *dirp;

	(void)pu;
	(void)pcr;
	if ((dirp = opendir(PNPATH(pn))) == NULL)
		return errno;
	for (i = 0; i < *readoff && readdir(dirp) != NULL; i++)
		continue;
	*eofflag = 0;
	for (;;) {
		errno = 0;
		if ((hd = readdir(dirp)) == NULL) {
			*eofflag = errno == 0;
			break;
		}
		strlcpy(name, hd->d_name, sizeof(name));
		swapcase(name, strlen(name));
		if (!puffs_nextdent(&dent, name, hd->d_ino, hd->d_type,
		    reslen))
			break;
		(*readoff)++;
		PUFFS_STORE_DCOOKIE(cookies, ncookies, *readoff);
	}
	closedir(dirp);
	return 0;
}

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
	if (pflags & PUFFS_FLAG_OPDUMP)
		detach = 0;
	if (lstat(argv[0], &sb) == -1 || !S_ISDIR(sb.st_mode))
		errx(1, "%s: not a directory", argv[0]);

	PUFFSOP_INIT(pops);
	puffs_null_setops(pops);
	PUFFSOP_SET(pops, casefs, node, readdir);
	pu = puffs_init(pops, argv[0], "casefs", NULL,
	    PUFFS_FLAG_BUILDPATH | pflags);
	if (pu == NULL)
		err(1, "puffs_init");
	puffs_set_namemod(pu, casefs_namemod);

	if ((pn_root = puffs_pn_new(pu, NULL)) == NULL)
		err(1, "puffs_pn_new");
	puffs_setroot(pu, pn_root);
	if ((po_root = puffs_getrootpathobj(pu)) == NULL)
		err(1, "puffs_getrootpathobj");
	po_root->po_path = argv[0];
	po_root->po_len = strlen(argv[0]);
	puffs_stat2vattr(&pn_root->pn_va, &sb);

	/* As psshfs: SIGINT or SIGTERM asks for a clean unmount. */
	if (puffs_unmountonsignal(SIGINT, true) == -1 ||
	    puffs_unmountonsignal(SIGTERM, true) == -1)
		err(1, "puffs_unmountonsignal");

	if (detach && puffs_daemon(pu, 1, 1) == -1)
		err(1, "puffs_daemon");
	if (puffs_mount(pu, argv[1], mntflags, pn_root) == -1)
		err(1, "puffs_mount");
	if (puffs_mainloop(pu) == -1)
		err(1, "puffs_mainloop");
	return 0;
}
