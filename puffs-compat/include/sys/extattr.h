/*
 * sys/extattr.h: NetBSD's extended-attribute namespace names, for puffs
 * servers built on Linux.  The numbers are the ones the puffs wire
 * protocol carries in pvnr_attrnamespace.  Included by <puffs.h>.
 */
#ifndef PUFFS_COMPAT_SYS_EXTATTR_H
#define PUFFS_COMPAT_SYS_EXTATTR_H

#define EXTATTR_NAMESPACE_EMPTY		0
#define EXTATTR_NAMESPACE_USER		1
#define EXTATTR_NAMESPACE_SYSTEM	2
#define EXTATTR_NAMESPACE_USER_STRING	"user"
#define EXTATTR_NAMESPACE_SYSTEM_STRING	"system"
#define EXTATTR_MAXNAMELEN		255	/* KERNEL_NAME_MAX */

/* listextattr flag: one length byte before each (unterminated) name. */
#ifndef EXTATTR_LIST_LENPREFIX
#define EXTATTR_LIST_LENPREFIX		PUFFS_EXTATTR_LIST_LENPREFIX
#endif

#endif
