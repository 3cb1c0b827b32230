/*
 * backfs.c: a puffs file server that keeps no data itself.  Files and
 * directories live in a backend process that backfs forks at start and
 * talks to over a socket, the way psshfs talks to sftp-server and 9puffs
 * to a 9P server: requests are framebufs sent with the event framework,
 * each file system operation waits on its own continuation, so many
 * operations are in flight at once.  Written against <puffs.h> only.
 * Owns the command line, the backend's start and the mount's lifetime.
 *
 * usage: backfs [-s] [-r delay_ms] [-S statsfile] mountpoint
 *	-s	stay in the foreground
 *	-r	let the backend hold every read answer back this long
 *	-S	write the highest number of backend requests in flight here
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backfs.h"

static __dead void
usage(void)
{
	fprintf(stderr, "usage: backfs [-s] [-r delay_ms] [-S statsfile] "
	    "mountpoint\n");
	exit(1);
}

static struct puffs_ops *
backfs_ops(void)
{
	struct puffs_ops *pops;

	PUFFSOP_INIT(pops);
	if (pops == NULL)
		err(1, "malloc");
	PUFFSOP_SET(pops, backfs, fs, statvfs);
	PUFFSOP_SET(pops, backfs, fs, unmount);
	PUFFSOP_SET(pops, backfs, node, lookup);
	PUFFSOP_SET(pops, backfs, node, create);
	PUFFSOP_SET(pops, backfs, node, mkdir);
	PUFFSOP_SET(pops, backfs, node, remove);
	PUFFSOP_SET(pops, backfs, node, rmdir);
	PUFFSOP_SET(pops, backfs, node, rename);
	PUFFSOP_SET(pops, backfs, node, getattr);
	PUFFSOP_SET(pops, backfs, node, setattr);
	PUFFSOP_SET(pops, backfs, node, read);
	PUFFSOP_SET(pops, backfs, node, write);
	PUFFSOP_SET(pops, backfs, node, readdir);
	PUFFSOP_SET(pops, backfs, node, reclaim);
	PUFFSOP_SET(pops, backfs, node, link);
	PUFFSOP_SET(pops, backfs, node, symlink);
	PUFFSOP_SET(pops, backfs, node, readlink);
	return pops;
}

/*
 * Forks the backend on one end of a socketpair; the other end, made
 * non-blocking for the event framework, goes to bf.  The backend keeps
 * nothing else of ours open, so that our end closing is its EOF.
 */
static void
backend_start(struct backfs *bf, int readdelay)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	switch (bf->bf_backend = fork()) {
	case -1:
		err(1, "fork");
	case 0:
		if (dup2(sv[1], STDERR_FILENO + 1) == -1)
			_exit(1);
		closefrom(STDERR_FILENO + 2);
		/* The mount's signals are for the server. */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		backend_run(STDERR_FILENO + 1, readdelay);
	default:
		break;
	}
	close(sv[1]);
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) == -1)
		err(1, "fcntl");
	bf->bf_fd = sv[0];
}

static int
parse_ms(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 60000)
		errx(1, "bad delay: %s", s);
	return (int)v;
}

/* reclaim never comes for nodes still known at unmount: free them here. */
static void *
backfs_freenode(struct puffs_usermount *pu, struct puffs_node *pn, void *arg)
{
	(void)pu;
	(void)arg;
	free(puffs_pn_getpriv(pn));
	puffs_pn_put(pn);
	return NULL;
}

/* The mount lives as long as the process; libpuffs has no destructor. */
static struct puffs_usermount *pu;

int
main(int argc, char *argv[])
{
	struct puffs_node *root;
	struct backfs *bf;
	int ch, detach = 1, readdelay = 0, status;

	if ((bf = calloc(1, sizeof(*bf))) == NULL)
		err(1, "calloc");
	while ((ch = getopt(argc, argv, "r:sS:")) != -1) {
		switch (ch) {
		case 'r':
			readdelay = parse_ms(optarg);
			break;
		case 's':
			detach = 0;
			break;
		case 'S':
			bf->bf_statsfile = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();

	pu = puffs_init(backfs_ops(), "backfs", "backfs", bf, 0);
	if (pu == NULL)
		err(1, "puffs_init");
	if (detach && puffs_daemon(pu, 1, 1) == -1)
		err(1, "puffs_daemon");
	backend_start(bf, readdelay);

	puffs_framev_init(pu, backfs_readframe, backfs_writeframe,
	    backfs_cmpframe, NULL, puffs_framev_unmountonclose);
	if (puffs_framev_addfd(pu, bf->bf_fd,
	    PUFFS_FBIO_READ | PUFFS_FBIO_WRITE) == -1)
		err(1, "puffs_framev_addfd");
	if ((root = backfs_node(pu, BF_ROOTINO)) == NULL)
		err(1, "root node");
	puffs_setroot(pu, root);
	puffs_unmountonsignal(SIGINT, true);
	puffs_unmountonsignal(SIGTERM, true);

	if (puffs_mount(pu, argv[0], 0, root) == -1)
		err(1, "puffs_mount");
	if (puffs_mainloop(pu) == -1)
		err(1, "puffs_mainloop");

	(void)puffs_framev_removefd(pu, bf->bf_fd, 0);
	close(bf->bf_fd);
	while (waitpid(bf->bf_backend, &status, 0) == -1 && errno == EINTR)
		continue;
	puffs_pn_nodewalk(pu, backfs_freenode, NULL);
	free(bf);
	return 0;
}
