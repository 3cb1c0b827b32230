/*
 * c_open.c: conformance cases for open(2): access modes, O_CREAT with
 * modes and the umask, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY,
 * O_NOFOLLOW, O_PATH, O_TMPFILE, and the permission checks of opening.
 * Run by conf.c.
 */
#include "conf.h"

#include <sys/wait.h>

#include <errno.h>

static void
open_accmode(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "data");
	HX_FD(c, &fd, open(P("f"), O_RDONLY));
	cf_read(c, "rdonly", fd, 8);
	HX_DO(c, write(fd, "x", 1));
	HX_DO(c, close(fd));
	HX_FD(c, &fd, open(P("f"), O_WRONLY));
	HX_DO(c, write(fd, "D", 1));
	cf_read(c, "wronly", fd, 8);
	HX_DO(c, close(fd));
	HX_FD(c, &fd, open(P("f"), O_RDWR));
	cf_read(c, "rdwr", fd, 8);
	HX_DO(c, close(fd));
	HX_FD(c, &fd, open(P("f"), O_ACCMODE));
	HX_DO(c, read(fd, &fd, 1));
	if (fd >= 0)
		close(fd);
}

static void
open_creat_modes(struct hx_ctx *c)
{
	static const mode_t modes[] = { 0777, 0644, 0600, 0, 04755, 02755,
	    01777 };
	static const mode_t masks[] = { 022, 0, 077, 0777 };
	char name[32];
	int fd;

	for (size_t m = 0; m < G_N_ELEMENTS(masks); m++) {
		umask(masks[m]);
		for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
			snprintf(name, sizeof(name), "f%zu_%zu", m, i);
			fd = open(P(name), O_CREAT | O_WRONLY, modes[i]);
			if (fd == -1)
				hx_note(c, "create %s = -1 %s", name,
				    hx_errname(errno));
			else
				close(fd);
			hx_stat(c, name);
		}
	}
	umask(022);
}

/* The mode applies to a new file only; the fd gets the asked access even
 * when the mode denies it. */
static void
open_creat_existing(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "kept");
	HX_FD(c, &fd, open(P("f"), O_CREAT | O_RDWR, 0600));
	cf_read(c, "existing", fd, 8);
	HX_DO(c, close(fd));
	hx_stat(c, "f");
	HX_FD(c, &fd, open(P("g"), O_CREAT | O_RDWR, 0));
	HX_DO(c, write(fd, "wr", 2));
	HX_DO(c, close(fd));
	hx_stat(c, "g");
	hx_content(c, "g");
}

static void
open_excl(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, symlink("f", P("l")));
	HX_DO(c, symlink("nothing", P("dangling")));
	HX_FD(c, &fd, open(P("f"), O_CREAT | O_EXCL | O_WRONLY, 0644));
	HX_FD(c, &fd, open(P("d"), O_CREAT | O_EXCL | O_RDONLY, 0644));
	HX_FD(c, &fd, open(P("l"), O_CREAT | O_EXCL | O_WRONLY, 0644));
	HX_FD(c, &fd, open(P("dangling"), O_CREAT | O_EXCL | O_WRONLY,
	    0644));
	hx_stat(c, "nothing");
	HX_FD(c, &fd, open(P("new"), O_CREAT | O_EXCL | O_WRONLY, 0640));
	if (fd >= 0)
		close(fd);
	hx_stat(c, "new");
	HX_FD(c, &fd, open(P("new"), O_CREAT | O_EXCL | O_WRONLY, 0640));
	HX_FD(c, &fd, open(P("x"), O_EXCL | O_WRONLY));
}

/* Many creators, one winner. */
static void
open_excl_race(struct hx_ctx *c)
{
	int wins = 0, pfd[2], status;
	char b;

	if (pipe(pfd) == -1)
		return;
	for (int i = 0; i < 8; i++) {
		if (fork() == 0) {
			close(pfd[0]);
			int fd = open(P("f"), O_CREAT | O_EXCL | O_WRONLY,
			    0644);
			if (write(pfd[1], fd >= 0 ? "1" : "0", 1) != 1)
				_exit(1);
			_exit(0);
		}
	}
	close(pfd[1]);
	while (read(pfd[0], &b, 1) == 1)
		wins += b == '1';
	close(pfd[0]);
	while (wait(&status) > 0)
		;
	hx_note(c, "O_EXCL winners: %d", wins);
}

static void
open_trunc(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "0123456789");
	cf_past(c, "f");
	HX_FD(c, &fd, open(P("f"), O_WRONLY | O_TRUNC));
	hx_fstat(c, "f", fd);
	hx_times(c, "f", PAST);
	HX_DO(c, close(fd));
	cf_mkfile(c, "g", 0644, "0123456789");
	HX_FD(c, &fd, open(P("g"), O_RDONLY | O_TRUNC));
	if (fd >= 0)
		close(fd);
	hx_stat(c, "g");
	cf_mkfile(c, "e", 0644, "");
	cf_past(c, "e");
	HX_FD(c, &fd, open(P("e"), O_WRONLY | O_TRUNC));
	if (fd >= 0)
		close(fd);
	hx_times(c, "e", PAST);
	HX_DO(c, mkdir(P("d"), 0755));
	HX_FD(c, &fd, open(P("d"), O_RDONLY | O_TRUNC));
	HX_FD(c, &fd, open(P("d"), O_WRONLY | O_TRUNC));
}

/* O_TRUNC must drop cached pages another descriptor brought in. */
static void
open_trunc_cached(struct hx_ctx *c)
{
	char buf[64];
	int fd, fd2;

	cf_mkfile(c, "f", 0644, "cached data that must go");
	HX_FD(c, &fd, open(P("f"), O_RDONLY));
	HX_DO(c, read(fd, buf, sizeof(buf)));
	HX_FD(c, &fd2, open(P("f"), O_WRONLY | O_TRUNC));
	HX_DO(c, write(fd2, "new", 3));
	HX_DO(c, close(fd2));
	HX_DO(c, lseek(fd, 0, SEEK_SET));
	cf_read(c, "old fd", fd, sizeof(buf));
	HX_DO(c, close(fd));
}

static void
open_append(struct hx_ctx *c)
{
	int fd, fd2;

	cf_mkfile(c, "f", 0644, "abc");
	HX_FD(c, &fd, open(P("f"), O_WRONLY | O_APPEND));
	HX_FD(c, &fd2, open(P("f"), O_WRONLY));
	HX_DO(c, write(fd2, "XY", 2));
	HX_DO(c, write(fd, "def", 3));
	HX_DO(c, lseek(fd, 0, SEEK_CUR));
	HX_DO(c, lseek(fd, 0, SEEK_SET));
	HX_DO(c, write(fd, "g", 1));
	HX_DO(c, pwrite(fd, "P", 1, 0));
	HX_DO(c, pwrite(fd2, "1234567", 7, 0));
	HX_DO(c, write(fd, "h", 1));
	HX_DO(c, close(fd));
	HX_DO(c, close(fd2));
	hx_content(c, "f");
	HX_FD(c, &fd, open(P("f"), O_RDWR | O_APPEND));
	cf_read(c, "append read", fd, 64);
	HX_DO(c, fcntl(fd, F_SETFL, 0));
	HX_DO(c, lseek(fd, 0, SEEK_SET));
	HX_DO(c, write(fd, "!", 1));
	HX_DO(c, fcntl(fd, F_SETFL, O_APPEND));
	HX_DO(c, write(fd, "?", 1));
	HX_DO(c, close(fd));
	hx_content(c, "f");
}

/* O_APPEND writers in several processes never overwrite each other. */
static void
open_append_procs(struct hx_ctx *c)
{
	char line[16];
	int status;

	cf_mkfile(c, "f", 0644, "");
	for (int k = 0; k < 4; k++) {
		if (fork() == 0) {
			int fd = open(P("f"), O_WRONLY | O_APPEND);

			snprintf(line, sizeof(line), "%c%c\n", 'a' + k,
			    'a' + k);
			for (int i = 0; i < 50; i++)
				if (fd < 0 || write(fd, line, 3) != 3)
					_exit(1);
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			hx_note(c, "writer failed");
	hx_stat(c, "f");
	GString *s = g_string_new(NULL);
	char buf[4096];
	int fd = open(P("f"), O_RDONLY), counts[4] = { 0 }, bad = 0;
	ssize_t n;

	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		g_string_append_len(s, buf, n);
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i + 3 <= s->len; i += 3) {
		int k = s->str[i] - 'a';

		if (k < 0 || k > 3 || s->str[i + 1] != s->str[i] ||
		    s->str[i + 2] != '\n')
			bad++;
		else
			counts[k]++;
	}
	hx_note(c, "lines: %d %d %d %d, torn %d", counts[0], counts[1],
	    counts[2], counts[3], bad);
	g_string_free(s, TRUE);
}

static void
open_directory(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, symlink("d", P("ld")));
	HX_FD(c, &fd, open(P("d"), O_RDONLY | O_DIRECTORY));
	if (fd >= 0)
		close(fd);
	HX_FD(c, &fd, open(P("f"), O_RDONLY | O_DIRECTORY));
	HX_FD(c, &fd, open(P("ld"), O_RDONLY | O_DIRECTORY));
	if (fd >= 0)
		close(fd);
	HX_FD(c, &fd, open(P("d"), O_WRONLY));
	HX_FD(c, &fd, open(P("d"), O_RDWR));
	HX_FD(c, &fd, open(P("d"), O_RDONLY));
	HX_DO(c, read(fd, &fd, 1));
	if (fd >= 0)
		close(fd);
	HX_FD(c, &fd, open(P("nope"), O_CREAT | O_DIRECTORY | O_RDONLY,
	    0644));
	HX_FD(c, &fd, open(P("f/"), O_RDONLY));
	HX_FD(c, &fd, open(P("d/"), O_RDONLY));
	if (fd >= 0)
		close(fd);
}

static void
open_nofollow(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, mkdir(P("d"), 0755));
	HX_DO(c, symlink("f", P("l")));
	HX_DO(c, symlink("d", P("ld")));
	HX_FD(c, &fd, open(P("l"), O_RDONLY | O_NOFOLLOW));
	HX_FD(c, &fd, open(P("l"), O_WRONLY | O_CREAT | O_NOFOLLOW, 0644));
	HX_FD(c, &fd, open(P("ld/x"), O_WRONLY | O_CREAT | O_NOFOLLOW,
	    0644));
	if (fd >= 0)
		close(fd);
	HX_FD(c, &fd, open(P("f"), O_RDONLY | O_NOFOLLOW));
	if (fd >= 0)
		close(fd);
	HX_FD(c, &fd, open(P("l"), O_PATH | O_NOFOLLOW));
	if (fd >= 0) {
		struct stat st;

		HX_DO(c, fstat(fd, &st));
		hx_note(c, "O_PATH|O_NOFOLLOW is a link: %d",
		    S_ISLNK(st.st_mode));
		HX_DO(c, read(fd, &st, 1));
		close(fd);
	}
}

static void
open_path(struct hx_ctx *c)
{
	int fd, dfd;

	cf_mkfile(c, "f", 0000, "x");
	HX_FD(c, &fd, open(P("f"), O_PATH));
	HX_DO(c, read(fd, &dfd, 1));
	hx_fstat(c, "f", fd);
	HX_DO(c, close(fd));
	HX_DO(c, mkdir(P("d"), 0755));
	HX_FD(c, &dfd, open(P("d"), O_PATH | O_DIRECTORY));
	HX_FD(c, &fd, openat(dfd, "new", O_CREAT | O_WRONLY, 0644));
	if (fd >= 0)
		close(fd);
	hx_stat(c, "d/new");
	if (dfd >= 0)
		close(dfd);
}

/* FUSE (libfuse 3.14) has no tmpfile operation. */
static void
open_tmpfile(struct hx_ctx *c)
{
	int fd;

	errno = 0;
	fd = open(P(""), O_TMPFILE | O_RDWR, 0600);
	cf_expect(c, "open(O_TMPFILE)", fd, errno, "fd", "EOPNOTSUPP");
	if (fd >= 0)
		close(fd);
}

static void
open_errors(struct hx_ctx *c)
{
	char longname[300];
	int fd;

	cf_mkfile(c, "f", 0644, "x");
	HX_FD(c, &fd, open(P("nope"), O_RDONLY));
	HX_FD(c, &fd, open(P("nodir/x"), O_CREAT | O_WRONLY, 0644));
	HX_FD(c, &fd, open(P("f/x"), O_RDONLY));
	HX_FD(c, &fd, open(P("f/x"), O_CREAT | O_WRONLY, 0644));
	memset(longname, 'n', sizeof(longname));
	longname[256] = '\0';
	HX_FD(c, &fd, open(P(longname), O_CREAT | O_WRONLY, 0644));
	HX_FD(c, &fd, open(P(longname), O_RDONLY));
	HX_FD(c, &fd, open(P(""), O_CREAT | O_RDWR, 0644));
}

static void
open_perm_modes(struct hx_ctx *c)
{
	static const char *names[] = { "r", "w", "x", "none", "all" };
	static const mode_t modes[] = { 0444, 0222, 0111, 0, 0666 };
	static const int flags[] = { O_RDONLY, O_WRONLY, O_RDWR };
	char buf[64];
	int fd;

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		cf_mkfile(c, names[i], 0644, "x");
		HX_DO(c, chmod(P(names[i]), modes[i]));
	}
	AS(c, U1, G1) {
		for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
			for (size_t f = 0; f < G_N_ELEMENTS(flags); f++) {
				errno = 0;
				fd = open(P(names[i]), flags[f]);
				snprintf(buf, sizeof(buf), "open(%s, %d) as "
				    "other", names[i], flags[f]);
				hx_rv(c, buf, fd, errno, 1);
				if (fd >= 0)
					close(fd);
			}
	}
}

/* Owner bits apply to the owner even where group/other would allow. */
static void
open_perm_classes(struct hx_ctx *c)
{
	static const gid_t g2[] = { G2 };
	int fd;

	cf_mkfile(c, "f", 0644, "x");
	HX_DO(c, chown(P("f"), U1, G2));
	HX_DO(c, chmod(P("f"), 0046));
	AS(c, U1, G1) {
		HX_FD(c, &fd, open(P("f"), O_RDONLY));
		HX_FD(c, &fd, open(P("f"), O_WRONLY));
	}
	AS_GROUPS(c, U2, G1, 1, g2) {
		HX_FD(c, &fd, open(P("f"), O_RDONLY));
		if (fd >= 0)
			close(fd);
		HX_FD(c, &fd, open(P("f"), O_WRONLY));
	}
	AS(c, U2, G2) {
		HX_FD(c, &fd, open(P("f"), O_RDONLY));
		if (fd >= 0)
			close(fd);
	}
	AS(c, UN, GN) {
		HX_FD(c, &fd, open(P("f"), O_RDONLY));
		HX_FD(c, &fd, open(P("f"), O_WRONLY));
		if (fd >= 0)
			close(fd);
	}
}

static void
open_perm_creat(struct hx_ctx *c)
{
	int fd;

	cf_mkdir(c, "closed", 0755);
	cf_mkfile(c, "closed/rootf", 0666, "x");
	HX_DO(c, chmod(P("closed/rootf"), 0666));
	cf_mkdir(c, "open", 0777);
	AS(c, U1, G1) {
		HX_FD(c, &fd, open(P("closed/new"), O_CREAT | O_WRONLY, 0644));
		HX_FD(c, &fd, open(P("closed/rootf"), O_CREAT | O_WRONLY,
		    0644));
		if (fd >= 0)
			close(fd);
		HX_FD(c, &fd, open(P("closed/rootf"), O_CREAT | O_EXCL |
		    O_WRONLY, 0644));
		HX_FD(c, &fd, open(P("open/new"), O_CREAT | O_WRONLY, 0600));
		if (fd >= 0)
			close(fd);
		hx_stat(c, "open/new");
	}
	AS(c, U2, G2) {
		HX_FD(c, &fd, open(P("open/new"), O_CREAT | O_RDONLY, 0644));
		HX_FD(c, &fd, open(P("open/new"), O_CREAT | O_TRUNC |
		    O_WRONLY, 0644));
	}
}

/* fs.protected_regular: O_CREAT on another user's file in a sticky
 * world-writable directory (a VFS rule, applied on both sides). */
static void
open_protected_regular(struct hx_ctx *c)
{
	int fd;

	cf_mkdir(c, "t", 01777);
	AS(c, U1, G1) {
		cf_mkfile(c, "t/f", 0666, "x");
		HX_DO(c, chmod(P("t/f"), 0666));
	}
	AS(c, U2, G2) {
		HX_FD(c, &fd, open(P("t/f"), O_CREAT | O_WRONLY, 0644));
		if (fd >= 0)
			close(fd);
		HX_FD(c, &fd, open(P("t/f"), O_WRONLY));
		if (fd >= 0)
			close(fd);
	}
}

static void
open_noatime_perm(struct hx_ctx *c)
{
	int fd;

	cf_mkfile(c, "f", 0644, "x");
	AS(c, U1, G1) {
		HX_FD(c, &fd, open(P("f"), O_RDONLY | O_NOATIME));
	}
	HX_FD(c, &fd, open(P("f"), O_RDONLY | O_NOATIME));
	if (fd >= 0)
		close(fd);
}

/* O_SYNC, O_DSYNC and O_DIRECT writes land like any other. */
static void
open_sync_flags(struct hx_ctx *c)
{
	static const int flags[] = { O_SYNC, O_DSYNC, 0 };
	int fd;

	for (size_t i = 0; i < G_N_ELEMENTS(flags); i++) {
		HX_FD(c, &fd, open(P("f"), O_CREAT | O_WRONLY | O_APPEND |
		    flags[i], 0644));
		HX_DO(c, write(fd, "line\n", 5));
		HX_DO(c, fsync(fd));
		HX_DO(c, fdatasync(fd));
		HX_DO(c, close(fd));
	}
	hx_content(c, "f");
}

const struct cf_case cf_open_cases[] = {
	{ "open", "accmode", open_accmode, NULL, NULL },
	{ "open", "creat_modes", open_creat_modes, NULL, NULL },
	{ "open", "creat_existing", open_creat_existing, NULL, NULL },
	{ "open", "excl", open_excl, NULL, NULL },
	{ "open", "excl_race", open_excl_race, NULL, NULL },
	{ "open", "trunc", open_trunc, NULL, NULL },
	{ "open", "trunc_cached", open_trunc_cached, NULL, NULL },
	{ "open", "append", open_append, NULL, NULL },
	{ "open", "append_procs", open_append_procs, NULL, NULL },
	{ "open", "directory", open_directory, NULL, NULL },
	{ "open", "nofollow", open_nofollow, NULL, NULL },
	{ "open", "path", open_path, NULL, NULL },
	{ "open", "tmpfile", open_tmpfile, NULL,
	    "FUSE in libfuse 3.14 has no tmpfile op: O_TMPFILE gives "
	    "EOPNOTSUPP on the mount" },
	{ "open", "errors", open_errors, NULL, NULL },
	{ "open", "perm_modes", open_perm_modes, NULL, NULL },
	{ "open", "perm_classes", open_perm_classes, NULL, NULL },
	{ "open", "perm_creat", open_perm_creat, NULL, NULL },
	{ "open", "protected_regular", open_protected_regular, NULL, NULL },
	{ "open", "noatime_perm", open_noatime_perm, NULL, NULL },
	{ "open", "sync_flags", open_sync_flags, NULL, NULL },
	CF_END
};
