/*
 * fuzz_ctlreq.c: libFuzzer target for the control protocol as puffsd
 * decodes it (ctl_req_decode in src/ctlreq.c, what control.c runs on the
 * bytes a puffsctl client sent) and for the socket names derived from a
 * mountpoint (ctl_sockname/ctl_sockpath in src/ctlpath.c).
 *
 * Input: the whole input is one request as received; it is also read, up
 * to its first NUL, as a mountpoint.  Checked: a request is accepted only
 * if it is exactly one well-formed request with an argument its command
 * takes, and every refusal carries a terminated text; a socket name is one
 * file name that fits sun_path and unescapes to the mountpoint, so two
 * mountpoints never share a socket.
 */
#include <string.h>
#include <sys/un.h>

#include <glib.h>

#include <puffs-bridge/puffs_msgif.h>

#include "control.h"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

static void
fz_request(const uint8_t *data, size_t size)
{
	struct ctl_req req;
	char why[CTL_WHYMAX];
	int error;

	memset(why, 'x', sizeof(why));
	error = ctl_req_decode(data, size, &req, why, sizeof(why));
	if (error == 0) {
		if (size != CTL_REQSIZE || req.cr_magic != CTL_MAGIC ||
		    req.cr_version != CTL_VERSION || req.cr_spare != 0 ||
		    req.cr_cmd < CTL_STATUS || req.cr_cmd > CTL_CMD_MAX)
			__builtin_trap();
		if (req.cr_cmd == CTL_SYNC && req.cr_arg != PUFFS_MNT_WAIT &&
		    req.cr_arg != PUFFS_MNT_NOWAIT &&
		    req.cr_arg != PUFFS_MNT_LAZY)
			__builtin_trap();
		if (strcmp(ctl_cmd_name(req.cr_cmd), "?") == 0)
			__builtin_trap();
		return;
	}
	if (error != EBADMSG && error != EPROTONOSUPPORT && error != EINVAL)
		__builtin_trap();
	if (memchr(why, '\0', sizeof(why)) == NULL || why[0] == '\0')
		__builtin_trap();
}

/* The name back to the mountpoint, or NULL if it is not an escape. */
static char *
fz_unescape(const char *name)
{
	GString *s = g_string_new("/");
	size_t len = strlen(name) - strlen(".sock");
	const char *p;
	int hi, lo;

	if (strcmp(name, "-.sock") == 0)
		return g_string_free(s, FALSE);
	for (p = name; p < name + len; p++) {
		if (*p == '-')
			g_string_append_c(s, '/');
		else if (*p != '%')
			g_string_append_c(s, *p);
		else {
			if (p + 2 >= name + len ||
			    (hi = g_ascii_xdigit_value(p[1])) < 0 ||
			    (lo = g_ascii_xdigit_value(p[2])) < 0) {
				g_string_free(s, TRUE);
				return NULL;
			}
			g_string_append_c(s, (char)(hi * 16 + lo));
			p += 2;
		}
	}
	return g_string_free(s, FALSE);
}

static void
fz_sockname(const uint8_t *data, size_t size)
{
	struct sockaddr_un sun;
	char *raw, *canon, *name, *path, *back;
	const char *base;

	raw = g_strndup((const char *)data, size);
	canon = g_canonicalize_filename(raw, "/");
	name = ctl_sockname(canon);
	if (strchr(name, '/') != NULL || !g_str_has_suffix(name, ".sock") ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		__builtin_trap();
	/* POSIX lets "//" lead a canonical path; Linux reads it as "/". */
	if ((back = fz_unescape(name)) == NULL ||
	    strcmp(back, canon + strspn(canon, "/") - 1) != 0)
		__builtin_trap();
	path = ctl_sockpath(CTL_ROOTDIR, canon);
	if (strlen(path) >= sizeof(sun.sun_path) ||
	    !g_str_has_prefix(path, CTL_ROOTDIR "/"))
		__builtin_trap();
	base = path + strlen(CTL_ROOTDIR "/");
	if (strchr(base, '/') != NULL || (strcmp(base, name) != 0 &&
	    !g_str_has_prefix(base, "sha256-")))
		__builtin_trap();
	g_free(back);
	g_free(path);
	g_free(name);
	g_free(canon);
	g_free(raw);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_request(data, size);
	fz_sockname(data, size);
	return 0;
}
