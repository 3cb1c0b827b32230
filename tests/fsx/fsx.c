/*
 * fsx.c: the exerciser as a program, for any file on any file system:
 *   fsx [-N ops] [-S seed] [-l maxlen] [-o maxio] [-c fullcheck]
 *       [-d dropcache] [-v] FILE
 * The seed comes from -S, else $FSX_SEED, else the clock; it is printed
 * on failure for replay.
 */
#include "fsx.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: fsx [-v] [-N ops] [-S seed] [-l maxlen] "
	    "[-o maxio] [-c fullcheck] [-d dropcache] FILE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct fsx_opts o;
	int ch;

	fsx_defaults(&o);
	o.seed = fsx_seed_from_env();
	while ((ch = getopt(argc, argv, "N:S:l:o:c:d:v")) != -1) {
		switch (ch) {
		case 'N':
			o.nops = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			o.seed = strtoull(optarg, NULL, 0);
			break;
		case 'l':
			o.maxlen = strtoul(optarg, NULL, 0);
			break;
		case 'o':
			o.maxio = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			o.fullcheck = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			o.dropcache = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			o.verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || o.maxlen == 0 || o.maxio == 0)
		usage();
	o.path = argv[optind];
	fprintf(stderr, "fsx: %s, %lu operations, seed %" PRIu64 "\n", o.path,
	    o.nops, o.seed);
	return fsx_run(&o);
}
