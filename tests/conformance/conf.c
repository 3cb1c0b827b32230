/*
 * conf.c: the conformance runner.  `it-conf [--server NAME] GROUP` mounts
 * an example server (memfs by default; nullfs and casefs over a fresh
 * tmpfs directory, backfs with its backend) through puffsd and a tmpfs
 * oracle once, runs every case of the group on both (each case in its own
 * process, so that a crash or hang fails that case alone) and prints TAP:
 * one line per case, named group/case, with the first differing
 * observation under a failure.  A case marked pending or differing on the
 * server (conf.h) is a TODO: it must fail, and passing fails the test so
 * that the mark goes.  `it-conf --list` prints every case, its marks and
 * the counts per server without mounting anything.
 *
 * Environment: CONF_CASE=name runs one case of the group; CONF_SERVER=NAME
 * is --server NAME; the servers' binaries come from MEMFS, NULLFS, CASEFS
 * and BACKFS (meson sets them); the harness's variables (harness.h) apply.
 */
#include "conf.h"

#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>

#define CF_CASE_LIMIT	300	/* seconds: a case taking longer is hung */

static const struct cf_case *const cf_tables[] = {
	cf_attr_cases, cf_name_cases, cf_open_cases, cf_rename_cases,
	cf_perm_cases, cf_xattr_cases, cf_lock_cases, cf_io_cases,
	cf_dir_cases,
};

static const struct cf_case *cf_cur;
static const struct cf_server *cf_srv;

/* What a case is on the server under test: its marks there. */
struct cf_status {
	const char	*pending;	/* a fix is awaited */
	const char	*differs;	/* by design */
	int		 todo;		/* must fail */
	int		 like_tmpfs;
};

static void
cf_status_of(const struct cf_server *srv, const struct cf_case *k,
    struct cf_status *st)
{
	const struct cf_mark *m = cf_mark_find(srv, k);

	memset(st, 0, sizeof(*st));
	if (m == NULL) {
		st->pending = k->pending;
		st->differs = k->differs;
		st->todo = k->pending != NULL;
		return;
	}
	switch (m->kind) {
	case CF_LIKE_TMPFS:
		st->like_tmpfs = 1;
		break;
	case CF_DIFFERS:
		st->differs = m->why;
		st->todo = 1;
		break;
	case CF_PENDING:
		st->pending = m->why;
		st->todo = 1;
		break;
	}
}

/* Every scenario starts from the same process state. */
static void
cf_trampoline(struct hx_ctx *c)
{
	umask(022);
	cf_cur->run(c);
}

/* Every case with its marks on each server, then the counts. */
static int
cf_list_all(void)
{
	unsigned int n = 0, pending[8] = { 0 }, differs[8] = { 0 };
	unsigned int asserted[8] = { 0 };
	struct cf_status st;

	g_assert(cf_nservers <= G_N_ELEMENTS(pending));
	for (size_t t = 0; t < G_N_ELEMENTS(cf_tables); t++)
		for (const struct cf_case *k = cf_tables[t]; k->name; k++) {
			printf("%s/%s\n", k->group, k->name);
			n++;
			for (size_t i = 0; i < cf_nservers; i++) {
				cf_status_of(&cf_servers[i], k, &st);
				if (st.pending)
					printf("\t%s PENDING: %s\n",
					    cf_servers[i].name, st.pending);
				if (st.differs)
					printf("\t%s DIFFERS: %s\n",
					    cf_servers[i].name, st.differs);
				pending[i] += st.pending != NULL;
				differs[i] += st.differs && st.todo;
				asserted[i] += st.differs && !st.todo;
			}
		}
	for (size_t i = 0; i < cf_nservers; i++)
		printf("%s: %u cases, %u pending a fix, %u differing from "
		    "tmpfs by design, %u more with the difference asserted\n",
		    cf_servers[i].name, n, pending[i], differs[i],
		    asserted[i]);
	return 0;
}

/* The case in a child: 0 if both sides agree, else the first difference
 * goes to fd and the child exits 1. */
static void
cf_case_child(const struct cf_case *k, int fd)
{
	GString *first = g_string_new(NULL);
	char name[128];
	guint ndiff;

	struct cf_status st;

	signal(SIGALRM, SIG_DFL);
	alarm(CF_CASE_LIMIT);
	cf_status_of(cf_srv, k, &st);
	cf_like_tmpfs = st.like_tmpfs;
	cf_cur = k;
	snprintf(name, sizeof(name), "%s.%s", k->group, k->name);
	ndiff = hx_compare_ndiff(name, NULL, cf_trampoline, -1, first);
	if (ndiff != 0) {
		char head[64];

		snprintf(head, sizeof(head), "%u observations differ; first ",
		    ndiff);
		g_string_prepend(first, head);
		if (write(fd, first->str, first->len) < 0)
			_exit(2);
		_exit(1);
	}
	_exit(0);
}

/* 1 if the case passed; why not in *why. */
static int
cf_run_case(const struct cf_case *k, GString *why)
{
	char buf[4096];
	int pfd[2], status;
	ssize_t n;
	pid_t pid;

	fflush(NULL);
	if (pipe(pfd) == -1 || (pid = fork()) == -1) {
		g_string_printf(why, "fork: %s", strerror(errno));
		return 0;
	}
	if (pid == 0) {
		close(pfd[0]);
		cf_case_child(k, pfd[1]);
	}
	close(pfd[1]);
	hx_track(pid);
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0)
		g_string_append_len(why, buf, n);
	close(pfd[0]);
	waitpid(pid, &status, 0);
	hx_untrack(pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	if (why->len == 0)
		g_string_printf(why, "case process ended with status 0x%x%s",
		    status, WIFSIGNALED(status) && WTERMSIG(status) ==
		    SIGALRM ? " (hung: timed out)" : "");
	return 0;
}

/* The server's binary and backing directory, for the harness. */
static int
cf_server_env(const struct cf_server *srv)
{
	const char *bin = getenv(srv->env);

	if (bin == NULL || *bin == '\0') {
		fprintf(stderr, "it-conf: %s must name the %s binary (meson "
		    "test sets it)\n", srv->env, srv->name);
		return -1;
	}
	setenv("HX_SERVER", bin, 1);
	if (srv->backing)
		setenv("HX_SERVER_BACKING", "1", 1);
	else
		unsetenv("HX_SERVER_BACKING");
	return 0;
}

static int
cf_mount(void)
{
	if (hx_oracle_start(hx_ref, sizeof(hx_ref), "tmpfs") == -1) {
		printf("Bail out! cannot mount the tmpfs oracle\n");
		return -1;
	}
	if (hx_mount_start(&hx_fs, HX_DAEMON_FIRST, "fuse", NULL) == -1) {
		printf("Bail out! %s mount did not come up (see stderr)\n",
		    cf_srv->name);
		return -1;
	}
	return 0;
}

/* After each case: is the mount still served?  If not, say so and start
 * a fresh one so that the remaining cases still say something. */
static int
cf_mount_check(const struct cf_case *k)
{
	if (hx_in_mounts(hx_fs.mnt, NULL, 0) && !hx_pid_gone(hx_fs.pid))
		return 0;
	printf("# the mount died during %s/%s; mounting afresh\n", k->group,
	    k->name);
	hx_fixture_teardown();
	return cf_mount();
}

static void
cf_print_result(unsigned int i, const struct cf_case *k, int ok,
    GString *why)
{
	struct cf_status st;

	cf_status_of(cf_srv, k, &st);
	printf("%s %u - %s/%s", ok ? "ok" : "not ok", i, k->group, k->name);
	if (st.pending)
		printf(" # TODO pending on %s: %s", cf_srv->name, st.pending);
	else if (st.todo)
		printf(" # TODO differs on %s by design: %s", cf_srv->name,
		    st.differs);
	printf("\n");
	if (!ok)
		printf("# %s\n", why->str);
	if (ok && st.todo)
		printf("# passes now on %s: remove its mark\n", cf_srv->name);
	if (st.differs && !st.todo)
		printf("# differs from tmpfs by design: %s\n", st.differs);
	fflush(stdout);
}

static int
cf_run_group(const char *group)
{
	const char *only = getenv("CONF_CASE");
	GPtrArray *todo = g_ptr_array_new();
	unsigned int failed = 0;

	for (size_t t = 0; t < G_N_ELEMENTS(cf_tables); t++)
		for (const struct cf_case *k = cf_tables[t]; k->name; k++)
			if (strcmp(k->group, group) == 0 && (only == NULL ||
			    strcmp(only, k->name) == 0))
				g_ptr_array_add(todo, (gpointer)k);
	if (todo->len == 0) {
		fprintf(stderr, "it-conf: no case in group %s\n", group);
		return 99;
	}
	if (cf_server_env(cf_srv) == -1)
		return 99;
	hx_init();
	printf("1..%u\n", todo->len);
	fflush(stdout);
	if (cf_mount() == -1)
		return 1;
	for (guint i = 0; i < todo->len; i++) {
		const struct cf_case *k = g_ptr_array_index(todo, i);
		GString *why = g_string_new(NULL);
		int ok;

		fprintf(stderr, "=== %s/%s\n", k->group, k->name);
		struct cf_status st;

		cf_status_of(cf_srv, k, &st);
		ok = cf_run_case(k, why);
		cf_print_result(i + 1, k, ok, why);
		if (!ok && !st.todo)
			failed++;
		g_string_free(why, TRUE);
		if (cf_mount_check(k) == -1)
			return 1;
	}
	hx_fixture_teardown();
	g_ptr_array_unref(todo);
	hx_fini();
	return failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
	const char *name = getenv("CONF_SERVER");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "--list") == 0)
		return cf_list_all();
	if (argc == 4 && strcmp(argv[1], "--server") == 0) {
		name = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: it-conf --list | "
		    "[--server NAME] GROUP\n");
		return 99;
	}
	if ((cf_srv = cf_server_find(name ? name : "memfs")) == NULL) {
		fprintf(stderr, "it-conf: no server %s (memfs, nullfs, casefs, "
		    "backfs)\n", name);
		return 99;
	}
	return cf_run_group(argv[1]);
}
