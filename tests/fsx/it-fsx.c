/*
 * it-fsx.c: the fsx exerciser in the test suite.  Mounts memfs through
 * puffsd and a tmpfs with the integration harness, runs the same seeded
 * sequence on tmpfs first (a check of the exerciser itself) and then on
 * the mount.  FSX_OPS sets the number of operations (meson: 100,000;
 * fewer under the sanitizers), FSX_SEED the seed (else a fresh one, always
 * printed).  Exit 77 without root or /dev/fuse, as the harness decides.
 */
#include "harness.h"
#include "fsx.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int
run_on(const char *dir, const char *side, uint64_t seed, unsigned long nops)
{
	struct fsx_opts o;
	char path[PATH_MAX];
	double t0 = hx_now();
	int rv;

	fsx_defaults(&o);
	o.seed = seed;
	o.nops = nops;
	snprintf(path, sizeof(path), "%s/fsx.file", dir);
	o.path = path;
	rv = fsx_run(&o);
	fprintf(stderr, "it-fsx: %s: %s in %.2f s\n", side, rv == 0 ? "passed" :
	    "FAILED", hx_now() - t0);
	return rv;
}

int
main(void)
{
	const char *s = getenv("FSX_OPS");
	unsigned long nops = s != NULL ? strtoul(s, NULL, 0) : 100000;
	uint64_t seed = fsx_seed_from_env();
	int rv = 1;

	hx_init();
	fprintf(stderr, "it-fsx: %lu operations, seed %" PRIu64 " (FSX_SEED="
	    "%" PRIu64 " replays it)\n", nops, seed, seed);
	if (hx_oracle_start(hx_ref, sizeof(hx_ref), "tmpfs") == -1) {
		fprintf(stderr, "it-fsx: cannot mount the tmpfs\n");
		goto out;
	}
	if (run_on(hx_ref, "tmpfs", seed, nops) != 0) {
		fprintf(stderr, "it-fsx: the exerciser fails on tmpfs: the "
		    "exerciser is wrong, not the mount\n");
		goto out;
	}
	if (hx_mount_start(&hx_fs, HX_DAEMON_FIRST, "fuse", NULL) == -1)
		goto out;
	rv = run_on(hx_fs.mnt, "memfs mount", seed, nops);
	if (rv == 0 && !hx_in_mounts(hx_fs.mnt, NULL, 0)) {
		fprintf(stderr, "it-fsx: the mount is gone after the run\n");
		rv = 1;
	}
out:
	hx_fixture_teardown();
	hx_fini();
	return rv;
}
