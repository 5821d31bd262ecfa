/*
 * fuzz_import_text.c - libFuzzer driver for the scraped-article parser
 * (import/text.c), which reads whatever file an editor is given. Besides
 * crashes it checks promises: the input is refused exactly when it is not
 * valid UTF-8 or holds nothing but blanks; an article has a non-empty
 * one-line headline, a one-line lead and source, valid UTF-8 everywhere, a
 * body that Markdown renders and whose blocks each end in a newline with
 * one blank line between them; and each line escaped for Markdown renders
 * as one paragraph with no markup but the entities of its own text.
 *
 * Built by `make fuzz` (fuzz/README.md); run longer with
 *   build/fuzz/fuzz_import_text -max_total_time=600 -max_len=8192
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"
#include "import/text.h"
#include "render/markdown.h"

static void check_line(const char *s, bool may_be_empty)
{
    if (!s || (!may_be_empty && !*s) || strchr(s, '\n') || strchr(s, '\r') ||
        !text_valid_utf8(s, strlen(s)))
        abort();
}

/* Blocks end in a newline, one blank line between them, no blank one at
 * either end. */
static void check_body(arena_t *a, const char *md)
{
    size_t n = strlen(md);
    if (!text_valid_utf8(md, n) || (n && (md[n - 1] != '\n' || md[0] == '\n')) ||
        strstr(md, "\n\n\n") || (n >= 2 && md[n - 2] == '\n'))
        abort();
    char *html;
    if (markdown_render(a, md, n, &html) != NS_OK)
        abort();
}

/* Only blank characters: what the parser calls no headline. */
static bool blank_only(const char *s, size_t n)
{
    static const char *const blanks[] = {
        " ", "\t", "\r", "\n", "\v", "\f", "\xc2\xa0", "\xe2\x80\x8b", "\xe2\x80\x8e",
        "\xe2\x80\x8f", "\xef\xbb\xbf",
    };
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (size_t b = 0; !k && b < sizeof blanks / sizeof *blanks; b++)
            if (strncmp(s + i, blanks[b], strlen(blanks[b])) == 0)
                k = strlen(blanks[b]);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

/* One escaped line renders as one paragraph: <p>…</p> and no other tag. */
static void check_escape(arena_t *a, const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);
    size_t len = nl ? (size_t)(nl - s) : n;
    if (!text_valid_utf8(s, len) || memchr(s, '\r', len) || blank_only(s, len))
        return;
    char *md = import_text_md_escape(a, s, len), *html;
    if (markdown_render(a, md, strlen(md), &html) != NS_OK)
        abort();
    if (strncmp(html, "<p>", 3) != 0 || strchr(html + 3, '<') != strstr(html, "</p>"))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    const char *s = (const char *)data;
    store_article ar = { 0 };
    int rc = import_text_parse(a, s, size, &ar);
    bool want = text_valid_utf8(s, size) && !blank_only(s, size);
    if ((rc == NS_OK) != want || (rc != NS_OK && rc != NS_EINVAL))
        abort();
    if (rc == NS_OK) {
        check_line(ar.title, false);
        check_line(ar.lead, true);
        if (ar.source)
            check_line(ar.source, false);
        if (ar.body_format != BODY_MARKDOWN)
            abort();
        check_body(a, ar.body_md);
    }
    check_escape(a, s, size);
    arena_free(a);
    return 0;
}
