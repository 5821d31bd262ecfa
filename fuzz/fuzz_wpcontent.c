/*
 * fuzz_wpcontent.c - libFuzzer driver for wp_content_html and
 * wp_content_video, which read the bodies of a WordPress export. Besides
 * crashes, leaks and hangs (every scan is bounded, closers are found
 * through an index) it checks that the result, sanitised as an import
 * does, holds only the allowlist's markup, and that a video found is a
 * YouTube or Vimeo address without spaces.
 *
 * Built by `make fuzz` (fuzz/README.md); a longer run from the seeds:
 *   build/fuzz/fuzz_wpcontent -max_total_time=600 -max_len=8192 -create_missing_dirs=1 \
 *       build/fuzz/corpus/wpcontent fuzz/corpus/wpcontent
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"
#include "import/wpcontent.h"
#include "render/html.h"
#include "../tests/render/clean_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    const char *in = (const char *)data;
    const char *html = wp_content_html(a, in, size), *video = wp_content_video(a, in, size);
    char *out = NULL;
    if (!html)
        abort();
    int rc = html_sanitize(a, html, strlen(html), &out);
    if (rc == NS_OK && !clean_check(out, true))
        abort();
    /* well-formed input stays well-formed */
    if (rc != NS_OK && (rc != NS_EINVAL || text_wellformed_utf8(in, size)))
        abort();
    if (video && (strcspn(video, " \t\n<>\"") != strlen(video) ||
                  !(strcasestr(video, "youtu") || strcasestr(video, "vimeo.com/"))))
        abort();
    arena_free(a);
    return 0;
}
