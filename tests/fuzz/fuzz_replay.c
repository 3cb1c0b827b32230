/*
 * fuzz_replay.c: a main() for the fuzz targets when no libFuzzer is at
 * hand (gcc builds): runs the target once over every file named, or every
 * file in every directory named.  The plain and sanitizer suites use it to
 * replay the committed corpora, so that every seed, the regression seeds
 * of fixed bugs included, is checked on every build.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "fuzz.h"

static int
replay_file(const char *path)
{
	gchar *data;
	gsize len;
	GError *err = NULL;

	if (!g_file_get_contents(path, &data, &len, &err)) {
		fprintf(stderr, "replay: %s\n", err->message);
		g_error_free(err);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	g_free(data);
	return 0;
}

static int
replay_dir(const char *dir, unsigned int *n)
{
	GDir *d;
	const char *name;
	gchar *path;
	int rv = 0;

	if ((d = g_dir_open(dir, 0, NULL)) == NULL) {
		fprintf(stderr, "replay: cannot open %s\n", dir);
		return -1;
	}
	while ((name = g_dir_read_name(d)) != NULL) {
		path = g_build_filename(dir, name, NULL);
		if (replay_file(path) != 0)
			rv = -1;
		(*n)++;
		g_free(path);
	}
	g_dir_close(d);
	return rv;
}

int
main(int argc, char **argv)
{
	unsigned int n = 0;
	struct stat st;
	int i, rv = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rv |= replay_dir(argv[i], &n);
		else {
			rv |= replay_file(argv[i]);
			n++;
		}
	}
	printf("replayed %u inputs\n", n);
	/* An empty corpus would make this test unable to fail. */
	return rv != 0 || n == 0;
}
