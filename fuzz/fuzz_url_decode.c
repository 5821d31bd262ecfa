/*
 * fuzz_url_decode.c - libFuzzer driver for the path decoder, the first code
 * that touches every request URL. Besides crashes it checks the decoder's
 * promises: accepted output is valid UTF-8 without controls, never longer
 * than the input, and survives an escape/decode round trip unchanged. The
 * slug and excerpt helpers get the same bytes, as they also see raw input.
 *
 * Built by `make fuzz` (fuzz/README.md); a longer run from the seeds:
 *   build/fuzz/fuzz_url_decode -max_total_time=600 -create_missing_dirs=1 \
 *       build/fuzz/corpus/url_decode fuzz/corpus/url_decode
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

static void check_decoded(arena_t *a, const char *out, size_t in_len)
{
    size_t n = strlen(out);
    if (n > in_len || !text_valid_utf8(out, n))
        abort();
    buf_t b;
    buf_init(&b, a);
    buf_url_escape(&b, out, n);
    char *again = NULL;
    if (text_url_decode(a, b.data, b.len, &again) != NS_OK || strcmp(again, out) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    char *out = NULL;
    if (text_url_decode(a, (const char *)data, size, &out) == NS_OK)
        check_decoded(a, out, size);
    char *s = arena_strndup(a, (const char *)data, size);
    char *slug = text_slugify(a, s, 120);
    if (strlen(slug) > 120 || !text_valid_utf8(slug, strlen(slug)))
        abort();
    char *ex = text_excerpt(a, s, 50);
    if (!text_valid_utf8(ex, strlen(ex)) && text_valid_utf8(s, strlen(s)))
        abort();
    arena_free(a);
    return 0;
}
