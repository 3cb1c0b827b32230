/*
 * detach.c: puffsd's background mode (-b), for mount helpers that must
 * return only once the mount is live.
 *
 * detach_begin() forks.  The parent waits: it exits 0 when the child says
 * the mount is live, or with the child's own exit status (the server's,
 * when the server failed) when the child ends first.  The child runs a new
 * session and starts the server with its stdout and stderr on a pipe that
 * puffsd relays: to our stderr until the mount is live, so that the user
 * sees the server's error messages, and to syslog afterwards, when nobody
 * reads the terminal any more.  detach_ready() switches our own log to
 * syslog before it lets go of stderr, so no message is lost across it.
 * Called by main.c only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>
#include <glib.h>

#include "detach.h"
#include "log.h"

static int detach_readyfd = -1;		/* to the waiting parent */
static int detach_outfd[2] = { -1, -1 };	/* the server's output */
static struct event *detach_outev;
static GString *detach_line;

/* Parent: exit as the child's report or the child's end says. */
static __attribute__((noreturn)) void
detach_wait(pid_t child, int fd)
{
	char ok;
	ssize_t n;
	int status;

	do {
		n = read(fd, &ok, 1);
	} while (n == -1 && errno == EINTR);
	if (n == 1)
		_exit(0);
	while (waitpid(child, &status, 0) == -1)
		if (errno != EINTR)
			_exit(1);
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	_exit(128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
}

/* Copy what the server wrote so far to our stderr (not yet detached). */
static void
detach_flush(void)
{
	char buf[4096];
	ssize_t n;

	if (detach_outfd[0] == -1)
		return;
	while ((n = read(detach_outfd[0], buf, sizeof(buf))) > 0)
		if (write(STDERR_FILENO, buf, (size_t)n) != n)
			break;
}

void
detach_begin(void)
{
	int rfd[2];
	pid_t pid;

	if (pipe2(rfd, O_CLOEXEC) == -1 ||
	    pipe2(detach_outfd, O_CLOEXEC | O_NONBLOCK) == -1)
		fatal("pipe");
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid > 0) {
		close(rfd[1]);
		detach_wait(pid, rfd[0]);
	}
	close(rfd[0]);
	detach_readyfd = rfd[1];
	/* Leave mount(8)'s session: its terminal's signals are not ours. */
	if (setsid() == -1)
		log_warn("setsid");
	/* A failed attach returns from main(): show what the server said. */
	atexit(detach_flush);
}

void
detach_child(void)
{
	if (detach_outfd[1] == -1)
		return;
	if (dup2(detach_outfd[1], STDOUT_FILENO) == -1 ||
	    dup2(detach_outfd[1], STDERR_FILENO) == -1)
		_exit(127);
}

/* After detaching: log the server's output line by line. */
static void
detach_relay(evutil_socket_t fd, short what, void *arg)
{
	char buf[4096], *nl;
	ssize_t n;

	(void)what;
	(void)arg;
	n = read(fd, buf, sizeof(buf));
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		event_del(detach_outev);
		return;
	}
	if (n > 0)
		g_string_append_len(detach_line, buf, n);
	while ((nl = memchr(detach_line->str, '\n', detach_line->len))) {
		*nl = '\0';
		if (detach_line->str[0] != '\0')
			log_info("server: %s", detach_line->str);
		g_string_erase(detach_line, 0, nl - detach_line->str + 1);
	}
	if (detach_line->len >= 1024) {		/* a line without end */
		log_info("server: %s", detach_line->str);
		g_string_truncate(detach_line, 0);
	}
}

static void
detach_stdio(void)
{
	int fd;

	if ((fd = open(_PATH_DEVNULL, O_RDWR)) == -1) {
		log_warn("%s", _PATH_DEVNULL);
		return;
	}
	(void)dup2(fd, STDIN_FILENO);
	(void)dup2(fd, STDOUT_FILENO);
	(void)dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/* The mount is live: log to syslog from now on and release the parent. */
void
detach_ready(struct event_base *base)
{
	char ok = 1;

	if (detach_readyfd == -1)
		return;
	detach_flush();
	close(detach_outfd[1]);
	detach_outfd[1] = -1;
	detach_line = g_string_new(NULL);
	detach_outev = event_new(base, detach_outfd[0], EV_READ | EV_PERSIST,
	    detach_relay, NULL);
	if (detach_outev == NULL || event_add(detach_outev, NULL) != 0)
		log_warnx("cannot relay the server's output");
	log_to_syslog();
	detach_stdio();
	if (write(detach_readyfd, &ok, 1) != 1)
		log_warn("cannot tell the parent that the mount is live");
	close(detach_readyfd);
	detach_readyfd = -1;
}
