/*
 * sys/cdefs.h (compat): the host's <sys/cdefs.h> (through libbsd's
 * overlay when it is in the include path) plus the NetBSD definitions
 * servers use that neither provides: __dead, __UNCONST, __UNVOLATILE,
 * __KERNEL_RCSID, __predict_true/false, __CTASSERT, __NetBSD_Prereq__.
 *
 * __unused is deliberately not defined: Linux UAPI headers
 * (<linux/sysctl.h>, <asm/stat.h>) use it as a member name.
 */
#ifndef PUFFS_COMPAT_SYS_CDEFS_H
#define PUFFS_COMPAT_SYS_CDEFS_H

#include_next <sys/cdefs.h>

#ifndef __dead
#define __dead			__attribute__((__noreturn__))
#endif
#ifndef __UNCONST
#define __UNCONST(a)		((void *)(unsigned long)(const void *)(a))
#endif
#ifndef __UNVOLATILE
#define __UNVOLATILE(a)		((void *)(unsigned long)(volatile void *)(a))
#endif
#ifndef __RCSID
#define __RCSID(s)		struct __hack
#endif
#ifndef __KERNEL_RCSID
#define __KERNEL_RCSID(n, s)	struct __hack
#endif
#ifndef __COPYRIGHT
#define __COPYRIGHT(s)		struct __hack
#endif
#ifndef __arraycount
#define __arraycount(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef __printflike
#define __printflike(f, a)	__attribute__((__format__(__printf__, f, a)))
#endif
#ifndef __aligned
#define __aligned(x)		__attribute__((__aligned__(x)))
#endif
#ifndef __packed
#define __packed		__attribute__((__packed__))
#endif
#ifndef __predict_true
#define __predict_true(e)	__builtin_expect((e) != 0, 1)
#define __predict_false(e)	__builtin_expect((e) != 0, 0)
#endif
#ifndef __CTASSERT
#define __CTASSERT(x)		_Static_assert((x), #x)
#endif
#ifndef __NetBSD_Prereq__
#define __NetBSD_Prereq__(a, b, c)	0
#endif

#endif /* PUFFS_COMPAT_SYS_CDEFS_H */
