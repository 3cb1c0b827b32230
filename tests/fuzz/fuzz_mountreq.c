/*
 * fuzz_mountreq.c: libFuzzer target for the mount description as puffsd
 * reads it (vfs_attach: frame_get_mountreq and the kernel's kargs checks).
 *
 * Input: byte 0 holds fix-up bits (correct framelen, magic and version,
 * kargs version) so that the fuzzer also reaches the later checks; the
 * rest is the frame.  On success the tables are set up and torn down and
 * the accepted strings must be terminated and printable.
 */
#include <string.h>

#include <glib.h>

#include "vfsops.h"

#include "fuzz.h"

#define FIX_FRAMELEN	0x01
#define FIX_MAGIC	0x02	/* magic and protocol version */
#define FIX_KVERS	0x04	/* pa_vers */
#define FIX_DIRLEN	0x08	/* pmr_dirlen = what follows the fixed part */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

static void
fz_check_name(const char *name, size_t size)
{
	size_t i;

	if (memchr(name, '\0', size) == NULL)
		__builtin_trap();
	for (i = 0; name[i] != '\0'; i++)
		if (!g_ascii_isprint(name[i]))
			__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct puffs_mountreq *mr;
	struct puffs_mount pmp;
	char why[PUFFS_ERRSTRLEN];
	uint8_t *frame, fix;
	size_t len;

	if (size < 1)
		return 0;
	fix = data[0];
	len = size - 1;
	frame = g_malloc(len > 0 ? len : 1);
	memcpy(frame, data + 1, len);
	if (len >= sizeof(*mr)) {
		mr = (struct puffs_mountreq *)frame;
		if (fix & FIX_FRAMELEN)
			mr->pmr_pth.pth_framelen = len;
		if (fix & FIX_MAGIC) {
			mr->pmr_magic = PUFFS_BRIDGE_MAGIC;
			mr->pmr_version = PUFFS_BRIDGE_VERSION;
		}
		if (fix & FIX_KVERS)
			mr->pmr_kargs.pa_vers = PUFFSVERSION;
		if (fix & FIX_DIRLEN)
			mr->pmr_dirlen = len - sizeof(*mr);
	}

	memset(&pmp, 0, sizeof(pmp));
	why[0] = '\0';
	if (vfs_attach(&pmp, frame, len, why, sizeof(why)) == 0) {
		if (pmp.pmp_status != PUFFSTAT_MOUNTING ||
		    pmp.pmp_mntpoint[0] != '/')
			__builtin_trap();
		/* A path may hold any byte but NUL: only terminated. */
		if (memchr(pmp.pmp_mntpoint, '\0',
		    sizeof(pmp.pmp_mntpoint)) == NULL)
			__builtin_trap();
		fz_check_name(pmp.pmp_args.pa_typename,
		    sizeof(pmp.pmp_args.pa_typename));
		fz_check_name(pmp.pmp_args.pa_mntfromname,
		    sizeof(pmp.pmp_args.pa_mntfromname));
		if (pmp.pmp_maxmsglen < PUFFS_MSG_MINSIZE ||
		    pmp.pmp_maxmsglen > PUFFS_MSG_MAXSIZE)
			__builtin_trap();
		vfs_detach(&pmp);
	} else if (memchr(why, '\0', sizeof(why)) == NULL)
		__builtin_trap();
	g_free(frame);
	return 0;
}
