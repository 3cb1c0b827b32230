/*
 * fuzz.h: what the libFuzzer targets in tests/fuzz/ share.  Test code
 * only; nothing in the product includes it.
 */
#ifndef PUFFS_TESTS_FUZZ_H
#define PUFFS_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Silence puffsd's warnings (bad frames are the point of the exercise);
 * g_error() still aborts. */
void	fuzz_quiet_logs(void);

#endif
