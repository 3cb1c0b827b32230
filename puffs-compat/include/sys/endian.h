/*
 * sys/endian.h (compat): NetBSD's byte-order interface.  The functions
 * (htobe32, be32toh, ..., be32enc, le16dec, ...) come from libbsd's
 * <sys/endian.h> (or glibc's <endian.h> for the conversions); added here
 * are NetBSD's in-place macros HTOBE16/32/64, BE16/32/64TOH, HTOLE*,
 * LE*TOH, which convert an lvalue where it stands.
 */
#ifndef PUFFS_COMPAT_SYS_ENDIAN_H
#define PUFFS_COMPAT_SYS_ENDIAN_H

#if defined(__has_include_next)
#if __has_include_next(<sys/endian.h>)
#include_next <sys/endian.h>
#endif
#endif
#include <endian.h>
#include <stdint.h>

#define HTOBE16(x)	(void)((x) = htobe16((uint16_t)(x)))
#define HTOBE32(x)	(void)((x) = htobe32((uint32_t)(x)))
#define HTOBE64(x)	(void)((x) = htobe64((uint64_t)(x)))
#define HTOLE16(x)	(void)((x) = htole16((uint16_t)(x)))
#define HTOLE32(x)	(void)((x) = htole32((uint32_t)(x)))
#define HTOLE64(x)	(void)((x) = htole64((uint64_t)(x)))
#define BE16TOH(x)	(void)((x) = be16toh((uint16_t)(x)))
#define BE32TOH(x)	(void)((x) = be32toh((uint32_t)(x)))
#define BE64TOH(x)	(void)((x) = be64toh((uint64_t)(x)))
#define LE16TOH(x)	(void)((x) = le16toh((uint16_t)(x)))
#define LE32TOH(x)	(void)((x) = le32toh((uint32_t)(x)))
#define LE64TOH(x)	(void)((x) = le64toh((uint64_t)(x)))

#endif /* PUFFS_COMPAT_SYS_ENDIAN_H */
