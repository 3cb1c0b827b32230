/*
 * coexist.c: a Linux program that includes the compat headers first and
 * system headers after them, and uses both.  Compiling it with the
 * pkg-config flags proves that our overlays (<sys/cdefs.h>, <sys/queue.h>,
 * <sys/socket.h>, <unistd.h>, <paths.h>, <string.h>, <sys/param.h>) and
 * puffs.h's NetBSD names leave the host interfaces usable.  Run by
 * run_surface.sh, once as is and once with -D_GNU_SOURCE (where glibc
 * declares strcasestr itself).
 */
#include <puffs.h>
#include <mntopts.h>
#include <util.h>

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <dirent.h>
#include <endian.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <paths.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct item {
	TAILQ_ENTRY(item) entries;
	int value;
};
static TAILQ_HEAD(, item) items = TAILQ_HEAD_INITIALIZER(items);

int
main(void)
{
	struct item a = { .value = 1 }, b = { .value = 2 }, *it, *tmp;
	struct dirent *dp;
	struct stat sb;
	DIR *dirp;
	int sv[2], on = 1, n = 0, fd, sum = 0;
	FILE *fp;

	/* Host readdir still returns the host's entries. */
	if ((dirp = opendir("/")) == NULL)
		err(1, "opendir");
	while ((dp = readdir(dirp)) != NULL)
		n += strcmp(dp->d_name, ".") == 0;
	closedir(dirp);
	if (n != 1)
		errx(1, "readdir did not see \".\"");

	if (stat("/", &sb) == -1 || !S_ISDIR(sb.st_mode))
		errx(1, "stat");
	if ((fd = open(_PATH_DEVNULL, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "open");
	close(fd);
	if ((fp = fopen(_PATH_DEVNULL, "r")) == NULL)
		err(1, "fopen");
	fclose(fp);

	/* glibc's umount2() flags other than MNT_FORCE keep their meaning. */
	if (MNT_DETACH != 2 || UMOUNT_NOFOLLOW != 8)
		errx(1, "umount2 flags");
	(void)umount2;

	TAILQ_INSERT_TAIL(&items, &a, entries);
	TAILQ_INSERT_TAIL(&items, &b, entries);
	TAILQ_FOREACH_SAFE(it, &items, entries, tmp) {
		sum += it->value;
		TAILQ_REMOVE(&items, it, entries);
	}
	if (sum != 3 || !TAILQ_EMPTY(&items))
		errx(1, "queue");

	/* SO_NOSIGPIPE is accepted; real options still reach the kernel. */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		err(1, "socketpair");
	if (setsockopt(sv[0], SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on)) == -1)
		err(1, "setsockopt SO_NOSIGPIPE");
	if (setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) == -1)
		err(1, "setsockopt SO_KEEPALIVE");
	if (setsockopt(sv[0], SOL_SOCKET, 12345, &on, sizeof(on)) != -1)
		errx(1, "setsockopt accepted a bogus option");
	close(sv[0]);
	close(sv[1]);

	if (htobe16(0x0102) != be16toh(0x0102) || LINK_MAX != 32767)
		errx(1, "endian/limits");
	/* NetBSD's <string.h> and <sys/param.h> extras next to glibc's. */
	{
		char buf[32];

		snprintf(buf, sizeof(buf), "%" PRId64 "/%d", (int64_t)-5,
		    MIN(howmany(9, 4), MAX(1, 2)));
		if (strcmp(buf, "-5/2") != 0 ||
		    strcasestr("xTRUEx", "true") == NULL ||
		    MAXPATHLEN != PATH_MAX)
			errx(1, "string/param: %s", buf);
	}
	signal(SIGPIPE, SIG_IGN);
	printf("coexist: ok\n");
	return 0;
}
