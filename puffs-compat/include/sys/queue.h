/*
 * sys/queue.h (compat): the BSD list macros.  libbsd's <sys/queue.h>
 * (reached through its overlay, which puffs.pc puts in the include path)
 * is complete: SLIST, LIST, STAILQ, TAILQ with _FOREACH_SAFE, _CONCAT,
 * _HEAD_INITIALIZER...  NetBSD also names the singly-linked tail queue
 * SIMPLEQ; those names are mapped onto STAILQ here.
 */
#ifndef PUFFS_COMPAT_SYS_QUEUE_H
#define PUFFS_COMPAT_SYS_QUEUE_H

#include_next <sys/queue.h>

#ifndef SIMPLEQ_HEAD
#define SIMPLEQ_HEAD		STAILQ_HEAD
#define SIMPLEQ_HEAD_INITIALIZER STAILQ_HEAD_INITIALIZER
#define SIMPLEQ_ENTRY		STAILQ_ENTRY
#define SIMPLEQ_FIRST		STAILQ_FIRST
#define SIMPLEQ_NEXT		STAILQ_NEXT
#define SIMPLEQ_EMPTY		STAILQ_EMPTY
#define SIMPLEQ_INIT		STAILQ_INIT
#define SIMPLEQ_INSERT_HEAD	STAILQ_INSERT_HEAD
#define SIMPLEQ_INSERT_TAIL	STAILQ_INSERT_TAIL
#define SIMPLEQ_INSERT_AFTER	STAILQ_INSERT_AFTER
#define SIMPLEQ_REMOVE_HEAD(head, field) STAILQ_REMOVE_HEAD(head, field)
#define SIMPLEQ_REMOVE		STAILQ_REMOVE
#define SIMPLEQ_FOREACH		STAILQ_FOREACH
#endif
#if !defined(SIMPLEQ_FOREACH_SAFE) && defined(STAILQ_FOREACH_SAFE)
#define SIMPLEQ_FOREACH_SAFE	STAILQ_FOREACH_SAFE
#endif

#endif /* PUFFS_COMPAT_SYS_QUEUE_H */
