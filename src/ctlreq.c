/*
 * ctlreq.c: decoding one control request (see control.h) as puffsd
 * receives it from a client it does not trust yet.  Pure code, no I/O
 * and no state: called by control.c for every request, and by the fuzz
 * target tests/fuzz/fuzz_ctlreq.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <puffs-bridge/puffs_msgif.h>

#include "control.h"

/* Is arg one that cmd takes? */
static bool
ctl_arg_ok(int cmd, int32_t arg)
{
	switch (cmd) {
	case CTL_STATUS:
		return arg == 0 || arg == 1;
	case CTL_SYNC:
		return arg == PUFFS_MNT_WAIT || arg == PUFFS_MNT_NOWAIT ||
		    arg == PUFFS_MNT_LAZY;
	case CTL_UNMOUNT:
		return (arg & ~CTL_UNMOUNT_FORCE) == 0;
	default:
		return arg == 0;
	}
}

/*
 * Decode the len bytes a client sent into *req.  0 when it is a request
 * puffsd can run; otherwise an errno and, in why, the text of the answer:
 * EBADMSG for a message of the wrong length, EPROTONOSUPPORT for another
 * protocol, EINVAL for an unknown command or an argument it does not take.
 */
int
ctl_req_decode(const uint8_t *buf, size_t len, struct ctl_req *req,
    char *why, size_t whylen)
{
	if (len != CTL_REQSIZE) {
		snprintf(why, whylen, "request of %zu bytes, expected %d\n",
		    len, CTL_REQSIZE);
		return EBADMSG;
	}
	memcpy(req, buf, sizeof(*req));
	if (req->cr_magic != CTL_MAGIC || req->cr_version != CTL_VERSION ||
	    req->cr_spare != 0) {
		snprintf(why, whylen, "control protocol version %u not "
		    "spoken (puffsd speaks %u)\n", req->cr_version,
		    CTL_VERSION);
		return EPROTONOSUPPORT;
	}
	if (req->cr_cmd < CTL_STATUS || req->cr_cmd > CTL_CMD_MAX) {
		snprintf(why, whylen, "unknown command %u\n", req->cr_cmd);
		return EINVAL;
	}
	if (!ctl_arg_ok(req->cr_cmd, req->cr_arg)) {
		snprintf(why, whylen, "%s does not take argument %d\n",
		    ctl_cmd_name(req->cr_cmd), req->cr_arg);
		return EINVAL;
	}
	return 0;
}
