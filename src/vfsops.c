/*
 * vfsops.c: puffsd's side of the mount (see vfsops.h).  The checks on the
 * mount description are the NetBSD kernel's: exact version, no unknown
 * flag bits, zero spares, a sane root, bounded file handles, printable
 * names.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "log.h"
#include "nodetab.h"
#include "stats.h"
#include "vfsops.h"

/* NetBSD's NFS file-handle limits for the FHFLAG_NFSV2/V3 flags. */
#define VFS_NFSX_V2FH	32
#define VFS_NFSX_V3FHMAX 64

/* pa_maxmsglen with NetBSD's clamping, our maximum instead of 2*MAXPHYS. */
uint64_t
vfs_maxmsglen(uint64_t asked)
{
	if (asked == 0 || asked > PUFFS_MSG_MAXSIZE)
		return PUFFS_MSG_MAXSIZE;
	if (asked < PUFFS_MSG_MINSIZE)
		return PUFFS_MSG_MINSIZE;
	return asked;
}

/* Terminate a fixed-size name and replace what is not printable. */
static void
vfs_cleanname(char *name, size_t size)
{
	size_t i;

	name[size - 1] = '\0';
	for (i = 0; name[i] != '\0'; i++)
		if (!g_ascii_isprint(name[i]))
			name[i] = '.';
}

static bool
vfs_allzero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* The kargs checks; why gets the reason on failure. */
static int
vfs_checkargs(struct puffs_kargs *args, char *why, size_t whylen)
{
	/* Accepted but meaningless here, as the header says. */
	args->pa_flags &= ~PUFFS_KFLAG_NOCACHE_ATTR;

	if (args->pa_vers != PUFFSVERSION)
		snprintf(why, whylen, "kargs version %u, expected %u",
		    args->pa_vers, PUFFSVERSION);
	else if (args->pa_flags & ~PUFFS_KFLAG_MASK)
		snprintf(why, whylen, "unknown kernel flags %#x",
		    args->pa_flags & ~PUFFS_KFLAG_MASK);
	else if (args->pa_fhflags & ~PUFFS_FHFLAG_MASK)
		snprintf(why, whylen, "unknown file handle flags %#x",
		    args->pa_fhflags & ~PUFFS_FHFLAG_MASK);
	else if (args->pa_fhsize > PUFFS_FHSIZE_MAX ||
	    ((args->pa_fhflags & PUFFS_FHFLAG_NFSV2) &&
	    args->pa_fhsize > VFS_NFSX_V2FH) ||
	    ((args->pa_fhflags & PUFFS_FHFLAG_NFSV3) &&
	    args->pa_fhsize > VFS_NFSX_V3FHMAX))
		snprintf(why, whylen, "file handle size %" G_GUINT64_FORMAT
		    " out of bounds", args->pa_fhsize);
	else if (args->pa_spare16 != 0 || args->pa_time32 != 0 ||
	    !vfs_allzero(args->pa_spare, sizeof(args->pa_spare)))
		snprintf(why, whylen, "spare fields are not zero");
	else if (args->pa_root_vtype <= PUFFS_VNON ||
	    args->pa_root_vtype >= PUFFS_VBAD)
		snprintf(why, whylen, "root vtype %u invalid",
		    args->pa_root_vtype);
	else if (args->pa_root_vsize < 0)
		snprintf(why, whylen, "root size negative");
	else if (args->pa_root_cookie == 0)
		snprintf(why, whylen, "root cookie is NULL");
	else {
		vfs_cleanname(args->pa_typename, sizeof(args->pa_typename));
		vfs_cleanname(args->pa_mntfromname,
		    sizeof(args->pa_mntfromname));
		return 0;
	}
	return EINVAL;
}

/*
 * Take the server's mount description: check it, negotiate the message
 * size, and set up the tables.  Status MOUNTING on success.
 */
int
vfs_attach(struct puffs_mount *pmp, const uint8_t *buf, size_t len,
    char *why, size_t whylen)
{
	const struct puffs_mountreq *mr;
	const char *dir;
	int error;

	error = frame_get_mountreq(buf, len, &mr, &dir);
	if (error != 0) {
		snprintf(why, whylen, "malformed mount description");
		return error == EBADMSG ? EPROTO : error;
	}
	if (mr->pmr_magic != PUFFS_BRIDGE_MAGIC ||
	    mr->pmr_version != PUFFS_BRIDGE_VERSION) {
		snprintf(why, whylen, "protocol version %u, puffsd speaks %u",
		    mr->pmr_version, PUFFS_BRIDGE_VERSION);
		return EPROTONOSUPPORT;
	}
	if (mr->pmr_spare != 0) {
		snprintf(why, whylen, "spare fields are not zero");
		return EINVAL;
	}
	pmp->pmp_args = mr->pmr_kargs;
	error = vfs_checkargs(&pmp->pmp_args, why, whylen);
	if (error != 0)
		return error;
	g_strlcpy(pmp->pmp_mntpoint, dir, sizeof(pmp->pmp_mntpoint));
	pmp->pmp_mntflags = mr->pmr_mntflags;
	pmp->pmp_maxmsglen = vfs_maxmsglen(pmp->pmp_args.pa_maxmsglen);
	pmp->pmp_reqtab = reqtab_new();
	pmp->pmp_nodetab = nodetab_new(pmp->pmp_args.pa_root_cookie,
	    pmp->pmp_args.pa_root_vtype);
	pmp->pmp_stats = stats_new();
	pmp->pmp_status = PUFFSTAT_MOUNTING;
	return 0;
}

/* Free the tables; every request must have been completed. */
void
vfs_detach(struct puffs_mount *pmp)
{
	msg_userdead(pmp);
	reqtab_free(pmp->pmp_reqtab);
	nodetab_free(pmp->pmp_nodetab);
	stats_free(pmp->pmp_stats);
	pmp->pmp_reqtab = NULL;
	pmp->pmp_nodetab = NULL;
	pmp->pmp_stats = NULL;
}

/* FUSE init completed: requests may flow (NetBSD's VFS_START). */
void
vfs_start(struct puffs_mount *pmp)
{
	if (pmp->pmp_status == PUFFSTAT_MOUNTING)
		pmp->pmp_status = PUFFSTAT_RUNNING;
}

bool
vfs_hasop(const struct puffs_mount *pmp, int op)
{
	if (op < 0 || op >= PUFFS_VNOPMASK_LEN)
		return false;
	return pmp->pmp_args.pa_vnopmask[op] != 0 ||
	    (pmp->pmp_args.pa_flags & PUFFS_KFLAG_ALLOPS);
}

/* The kernel's own credential (NetBSD FSCRED). */
void
vfs_fscred(struct puffs_kcred *cred)
{
	memset(cred, 0, sizeof(*cred));
	cred->pkcr_type = PUFFCRED_TYPE_INTERNAL;
	cred->pkcr_internal = PUFFCRED_CRED_FSCRED;
}

/*
 * STATVFS.  While MOUNTING the server must not be asked (NetBSD: it may be
 * blocked in mount(2) itself): EINPROGRESS, no message, done not called.
 * Otherwise 0 and done runs once.
 */
int
vfs_statvfs(struct puffs_mount *pmp, msg_done_fn done, void *arg)
{
	struct puffs_vfsmsg_statvfs *msg;
	uint8_t *frame;

	if (pmp->pmp_status == PUFFSTAT_MOUNTING)
		return EINPROGRESS;
	frame = frame_new(sizeof(*msg), PUFFSOP_VFS, PUFFS_VFS_STATVFS,
	    0);
	msg_call(pmp, frame, sizeof(*msg), sizeof(*msg), done, arg);
	return 0;
}

void
vfs_sync(struct puffs_mount *pmp, int waitfor, msg_done_fn done, void *arg)
{
	struct puffs_vfsmsg_sync *msg;
	uint8_t *frame;

	frame = frame_new(sizeof(*msg), PUFFSOP_VFS, PUFFS_VFS_SYNC, 0);
	msg = (struct puffs_vfsmsg_sync *)frame;
	vfs_fscred(&msg->pvfsr_cred);
	msg->pvfsr_waitfor = waitfor;
	msg_call(pmp, frame, sizeof(*msg), sizeof(*msg), done, arg);
}

void
vfs_unmount(struct puffs_mount *pmp, int flags, msg_done_fn done, void *arg)
{
	struct puffs_vfsmsg_unmount *msg;
	uint8_t *frame;

	frame = frame_new(sizeof(*msg), PUFFSOP_VFS, PUFFS_VFS_UNMOUNT, 0);
	msg = (struct puffs_vfsmsg_unmount *)frame;
	msg->pvfsr_flags = flags;
	msg_call(pmp, frame, sizeof(*msg), sizeof(*msg), done, arg);
}
