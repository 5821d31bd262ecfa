/*
 * fuzz_token.c - libFuzzer driver for the comment form's token check
 * (core/secret.h), which reads a field every poster controls. Besides
 * crashes it checks the check's promise: only the exact text the key
 * makes for a scope and time is accepted, and it gives that time back.
 *
 * Built by `make fuzz` (fuzz/README.md); a longer run from the seeds:
 *   build/fuzz/fuzz_token -max_total_time=600 -create_missing_dirs=1 \
 *       build/fuzz/corpus/token fuzz/corpus/token
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static secret_key key; /* all zero: a fixed key, so that seeds can hold valid tokens */
    arena_t *a = arena_new(0);
    const char *text = arena_strndup(a, (const char *)data, size);
    int64_t issued = 0;
    for (int64_t scope = 0; scope < 3; scope++) {
        if (secret_token_check(&key, text, scope, &issued) != NS_OK)
            continue;
        char again[SECRET_TOKEN_MAX];
        size_t n = secret_token(&key, scope, issued, again);
        if (n != strlen(text) || memcmp(again, text, n) != 0)
            abort(); /* accepted something the key would not have made */
    }
    arena_free(a);
    return 0;
}
