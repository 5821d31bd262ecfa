/*
 * fuzz_markdown.c - libFuzzer driver for the Markdown sanitiser, which turns
 * untrusted article bodies into HTML inlined in every page. Besides crashes
 * and leaks it checks that no output ever contains a tag or URL scheme the
 * allowlist does not produce: the sanitiser writes every tag itself, so any
 * of these means a hole.
 *
 * Built by `make fuzz` (fuzz/README.md); a longer run from the seeds:
 *   build/fuzz/fuzz_markdown -max_total_time=600 -max_len=4096 -create_missing_dirs=1 \
 *       build/fuzz/corpus/markdown fuzz/corpus/markdown
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "render/markdown.h"

static const char *const forbidden[] = {
    "<script", "<style", "<iframe", "<svg", "<div", "<span", "href=\"javascript:",
    "href=\"data:", "src=\"javascript:", "src=\"data:", "<!--", NULL,
};

/* Every attribute name inside every tag is one the sanitiser writes. */
static void check_attr_names(const char *html)
{
    static const char *const names[] = {"href=", "rel=", "src=", "alt=", "loading=", "start=", NULL};
    for (const char *p = strchr(html, '<'); p; p = strchr(p, '<')) {
        p += strcspn(p, " >");
        while (*p == ' ') {
            p++;
            int ok = 0;
            for (int i = 0; names[i] && !ok; i++)
                ok = strncmp(p, names[i], strlen(names[i])) == 0;
            const char *q = ok ? strchr(p, '"') : NULL;
            q = q ? strchr(q + 1, '"') : NULL;
            if (!q)
                abort();
            p = q + 1;
        }
        if (*p != '>')
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    char *out = NULL;
    int rc = markdown_render(a, (const char *)data, size, &out);
    if (rc == NS_OK) {
        for (int i = 0; forbidden[i]; i++)
            if (strcasestr(out, forbidden[i]))
                abort();
        check_attr_names(out);
    } else if (rc != NS_EINVAL && rc != NS_ETOOBIG) {
        abort();
    }
    arena_free(a);
    return 0;
}
