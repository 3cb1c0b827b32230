/*
 * control.h: the control protocol between puffsctl and puffsd, and where
 * a mount's control socket lives.  Shared by puffsd (control.c) and
 * puffsctl (puffsctl.c); ctlpath.c holds the code both use.
 *
 * One Unix stream socket per mount:
 *   root:       /run/puffs/<escaped mountpoint>.sock
 *   other uids: $XDG_RUNTIME_DIR/puffs/<escaped>.sock, or /tmp/puffs-<uid>/
 * The escaped name is the canonical mountpoint with '/' as '-' and every
 * byte outside [A-Za-z0-9._] as %XX; a name too long for sun_path is
 * "sha256-<64 hex digits of the mountpoint>".  Only root and the uid puffsd
 * runs as (the mount's owner) are served: the socket is mode 0600 in a
 * directory only that uid may write, and puffsd also checks SO_PEERCRED
 * and answers anybody else with EPERM.
 *
 * One exchange per connection: the client writes one struct ctl_req
 * (exactly CTL_REQSIZE bytes; anything else is refused with EBADMSG), puffsd
 * answers with one struct ctl_resp followed by cs_textlen bytes of text
 * (at most CTL_TEXTMAX, not NUL-terminated) and closes.  cs_error is 0 or
 * an errno; the text says what happened either way.
 */
#ifndef PUFFSD_CONTROL_H
#define PUFFSD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTL_MAGIC	0x70756663u	/* "pufc" */
#define CTL_VERSION	1
#define CTL_TEXTMAX	(64 * 1024)
#define CTL_ROOTDIR	"/run/puffs"

enum ctl_cmd {
	CTL_STATUS = 1,		/* arg: 0 full report, 1 one line */
	CTL_SYNC = 2,		/* arg: PUFFS_MNT_WAIT/NOWAIT/LAZY */
	CTL_UNMOUNT = 3,	/* arg: CTL_UNMOUNT_FORCE or 0 */
	CTL_SUSPEND = 4,	/* answered once SUSPENDED (or failed) */
	CTL_RESUME = 5,
};
#define CTL_CMD_MAX		CTL_RESUME
#define CTL_UNMOUNT_FORCE	1

struct ctl_req {
	uint32_t	cr_magic;	/* CTL_MAGIC */
	uint16_t	cr_version;	/* CTL_VERSION */
	uint16_t	cr_cmd;		/* enum ctl_cmd */
	int32_t		cr_arg;
	uint32_t	cr_spare;	/* zero */
};
#define CTL_REQSIZE	16

struct ctl_resp {
	uint32_t	cs_magic;	/* CTL_MAGIC */
	int32_t		cs_error;	/* 0 or an errno */
	uint32_t	cs_textlen;	/* bytes of text that follow */
	uint32_t	cs_spare;
};
#define CTL_RESPSIZE	16

_Static_assert(sizeof(struct ctl_req) == CTL_REQSIZE, "ctl_req size");
_Static_assert(sizeof(struct ctl_resp) == CTL_RESPSIZE, "ctl_resp size");

/* ctlpath.c */
char	*ctl_sockdir(void);
char	*ctl_sockname(const char *);
char	*ctl_sockpath(const char *, const char *);
const char *ctl_cmd_name(int);

/* ctlreq.c */
#define CTL_WHYMAX	128	/* room for ctl_req_decode's text */
int	 ctl_req_decode(const uint8_t *, size_t, struct ctl_req *, char *,
	    size_t);

#endif
