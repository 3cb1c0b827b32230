/*
 * metabench.c: the metadata workloads of the benchmark suite, timed with
 * CLOCK_MONOTONIC around plain system calls.  Used only by bench/run.sh.
 *
 * usage: bench-meta create N DIR     create, stat, unlink N files in DIR
 *        bench-meta fill N DIR       create N empty files (untimed setup)
 *        bench-meta readdir DIR      read every entry of DIR once
 *        bench-meta stattree DIR     lstat every file under DIR
 *        bench-meta maketree N DIR   N small files in a tree (for the tar)
 *        bench-meta hold N DIR       lstat N files named by fill, then wait
 *                                    for stdin to close (nodes stay known)
 *
 * Each timed workload prints one line: "ops SECONDS", the number of
 * operations and the elapsed time; run.sh turns them into rates and
 * per-operation latencies.  Exit status 1 on any failed call.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
report(unsigned long ops, double t0)
{
	printf("%lu %.6f\n", ops, now() - t0);
}

static void
name(char *buf, size_t len, const char *dir, unsigned long i)
{
	snprintf(buf, len, "%s/f%07lu", dir, i);
}

/* Create (open O_CREAT|O_EXCL, close), stat and unlink N files: 3N ops. */
static void
create(unsigned long n, const char *dir)
{
	char path[4096];
	struct stat st;
	unsigned long i;
	double t0 = now();
	int fd;

	for (i = 0; i < n; i++) {
		name(path, sizeof(path), dir, i);
		if ((fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644)) == -1)
			err(1, "create %s", path);
		close(fd);
	}
	for (i = 0; i < n; i++) {
		name(path, sizeof(path), dir, i);
		if (stat(path, &st) == -1)
			err(1, "stat %s", path);
	}
	for (i = 0; i < n; i++) {
		name(path, sizeof(path), dir, i);
		if (unlink(path) == -1)
			err(1, "unlink %s", path);
	}
	report(3 * n, t0);
}

static void
fill(unsigned long n, const char *dir)
{
	char path[4096];
	unsigned long i;
	int fd;

	for (i = 0; i < n; i++) {
		name(path, sizeof(path), dir, i);
		if ((fd = open(path, O_CREAT | O_WRONLY, 0644)) == -1)
			err(1, "create %s", path);
		close(fd);
	}
}

/* Every entry of dir, "." and ".." included: one op per entry. */
static void
readall(const char *dir)
{
	unsigned long ents = 0;
	double t0 = now();
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		err(1, "opendir %s", dir);
	while (readdir(d) != NULL)
		ents++;
	closedir(d);
	report(ents, t0);
}

static unsigned long tree_ops;

static int
tree_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	struct stat st;

	(void)sb;
	(void)flag;
	(void)f;
	if (lstat(path, &st) == -1)
		err(1, "lstat %s", path);
	tree_ops++;
	return 0;
}

/* nftw reads each directory; we lstat each name it gives. */
static void
stattree(const char *dir)
{
	double t0 = now();

	if (nftw(dir, tree_one, 64, FTW_PHYS) == -1)
		err(1, "nftw %s", dir);
	report(tree_ops, t0);
}

/* N files of 100..4095 bytes, 100 to a directory, 10 directories deep. */
static void
maketree(unsigned long n, const char *dir)
{
	static char data[4096];
	char path[4096];
	unsigned long i;
	int fd;

	memset(data, 'x', sizeof(data));
	for (i = 0; i < n; i++) {
		if (i % 100 == 0) {
			snprintf(path, sizeof(path), "%s/d%02lu", dir,
			    i / 1000);
			if (mkdir(path, 0755) == -1 && i % 1000 == 0)
				err(1, "mkdir %s", path);
			snprintf(path, sizeof(path), "%s/d%02lu/s%02lu", dir,
			    i / 1000, i / 100 % 10);
			if (mkdir(path, 0755) == -1)
				err(1, "mkdir %s", path);
		}
		snprintf(path, sizeof(path), "%s/d%02lu/s%02lu/f%05lu", dir,
		    i / 1000, i / 100 % 10, i);
		if ((fd = open(path, O_CREAT | O_WRONLY, 0644)) == -1)
			err(1, "create %s", path);
		if (write(fd, data, 100 + (i * 37) % 3996) == -1)
			err(1, "write %s", path);
		close(fd);
	}
}

/* Keep N nodes known to the file system until stdin closes. */
static void
hold(unsigned long n, const char *dir)
{
	char path[4096], c;
	struct stat st;
	unsigned long i;

	for (i = 0; i < n; i++) {
		name(path, sizeof(path), dir, i);
		if (lstat(path, &st) == -1)
			err(1, "lstat %s", path);
	}
	printf("held %lu\n", n);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: bench-meta create|fill|maketree|hold N DIR\n"
	    "       bench-meta readdir|stattree DIR\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	unsigned long n;

	if (argc == 3 && strcmp(argv[1], "readdir") == 0)
		readall(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "stattree") == 0)
		stattree(argv[2]);
	else if (argc == 4) {
		n = strtoul(argv[2], NULL, 10);
		if (strcmp(argv[1], "create") == 0)
			create(n, argv[3]);
		else if (strcmp(argv[1], "fill") == 0)
			fill(n, argv[3]);
		else if (strcmp(argv[1], "maketree") == 0)
			maketree(n, argv[3]);
		else if (strcmp(argv[1], "hold") == 0)
			hold(n, argv[3]);
		else
			usage();
	} else
		usage();
	return 0;
}
