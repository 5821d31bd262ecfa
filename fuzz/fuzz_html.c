/*
 * fuzz_html.c - libFuzzer driver for html_sanitize, which turns the HTML
 * of an imported site's bodies into markup inlined in every page. Besides
 * crashes, leaks and hangs it checks that the output holds only the
 * allowlist's tags and attributes with safe URLs (the tests' own reading,
 * tests/render/clean_check.h), and that it is already clean: sanitised
 * again, it comes out the same, but for where lines break between tags
 * (layout the source's recovery can leave otherwise: a browser shows both
 * alike).
 *
 * Built by `make fuzz` (fuzz/README.md); a longer run from the seeds:
 *   build/fuzz/fuzz_html -max_total_time=600 -max_len=8192 -create_missing_dirs=1 \
 *       build/fuzz/corpus/html fuzz/corpus/html
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "render/html.h"
#include "../tests/render/clean_check.h"

/* a and b the same once line breaks are left out */
static bool same_but_lines(const char *a, const char *b)
{
    for (;;) {
        while (*a == '\n')
            a++;
        while (*b == '\n')
            b++;
        if (*a != *b)
            return false;
        if (!*a)
            return true;
        a++, b++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    char *out = NULL, *again = NULL;
    int rc = html_sanitize(a, (const char *)data, size, &out);
    if (rc == NS_OK) {
        if (!clean_check(out, true) || strcasestr(out, "<script") || strstr(out, "<!--"))
            abort();
        if (html_sanitize(a, out, strlen(out), &again) != NS_OK || !same_but_lines(out, again))
            abort();
    } else if (rc != NS_EINVAL && rc != NS_ETOOBIG) {
        abort();
    }
    arena_free(a);
    return 0;
}
