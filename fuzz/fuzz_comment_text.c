/*
 * fuzz_comment_text.c - libFuzzer driver for a reader's comment as text
 * (handlers/comment_text.c) and the blocklist (handlers/moderation.c),
 * which see everything a stranger posts. The blocklist takes the raw
 * bytes; the text functions take input that is well-formed UTF-8 (their
 * precondition, which the form decoder checks), controls included, since
 * removing those is cleaning's job. Besides crashes it checks promises:
 * cleaned text is valid UTF-8 with no control but '\n' (none on one
 * line), no bidi control, no white space at either end, no two blank lines
 * in a row, no longer than the input, and cleaning it again changes
 * nothing; its HTML holds no markup but <p>, </p>, </a> and
 * <a href="http(s)://..." rel="nofollow ugc noopener">, and never more
 * links than comment_text_links counts; an entry of a blocklist matches a
 * text that holds it, and a NULL field nothing.
 *
 * Built by `make fuzz` (fuzz/README.md); run longer with
 *   build/fuzz/fuzz_comment_text -max_total_time=600
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "core/text.h"
#include "handlers/comment_text.h"
#include "handlers/moderation.h"
#include "search/arabic.h"

static const char link_rest[] = "\" rel=\"nofollow ugc noopener\">";

/* No control but '\n' (and none on one line), no C1, DEL or bidi control. */
static void check_chars(const char *s, size_t n, bool multiline)
{
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += text_next_cp(s + i, n - i, &cp);
        if ((cp < 0x20 && !(multiline && cp == '\n')) || (cp >= 0x7F && cp <= 0x9F) ||
            (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            abort();
    }
}

static bool space_end(const char *s, size_t n)
{
    return s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\n' || s[n - 1] == '\n' ||
           strncmp(s, "\u00A0", 2) == 0 || (n >= 2 && strcmp(s + n - 2, "\u00A0") == 0);
}

static void check_clean(const char *in, const char *out, bool multiline)
{
    size_t n = strlen(out);
    if (!text_valid_utf8(out, n) || n > strlen(in) || strstr(out, "\n\n\n") || (n && space_end(out, n)))
        abort();
    check_chars(out, n, multiline);
}

/* Bytes of the one element at s that the HTML may hold, or 0; links
 * counts the <a> elements. */
static size_t allowed_tag(const char *s, int *links)
{
    static const char *const plain[] = { "<p>", "</p>", "</a>" };
    for (size_t i = 0; i < 3; i++)
        if (strncmp(s, plain[i], strlen(plain[i])) == 0)
            return strlen(plain[i]);
    if (strncmp(s, "<a href=\"", 9) != 0)
        return 0;
    const char *url = s + 9, *end = url + strcspn(url, "\"<>'");
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return 0;
    if (strncmp(end, link_rest, sizeof link_rest - 1) != 0)
        return 0;
    ++*links;
    return (size_t)(end - s) + sizeof link_rest - 1;
}

/* Every < > " ' of the HTML belongs to an allowed element; returns the
 * number of links. */
static int check_html(const char *h)
{
    int links = 0;
    for (size_t i = 0; h[i];) {
        size_t k = h[i] == '<' ? allowed_tag(h + i, &links) : 0;
        if (!k && strchr("<>\"'", h[i]))
            abort();
        i += k ? k : 1;
    }
    return links;
}

/* A blocklist of one entry matches the text it is, unless the entry's
 * form holds fewer than two characters: those other than spaces and the
 * format characters the comparison drops. */
static void check_blocked_self(arena_t *a, const char *s)
{
    if (strpbrk(s, "\n,") || strstr(s, "\u060C"))
        return; /* several entries */
    size_t n;
    const char *f = ar_normalize(a, s, strlen(s), &n);
    size_t shown = 0;
    for (size_t i = 0; f && i < n;) {
        int32_t cp;
        i += text_next_cp(f + i, n - i, &cp);
        shown += cp != ' ' && utf8proc_category(cp) != UTF8PROC_CATEGORY_CF;
    }
    if (shown >= 2 && !moderation_blocked(a, s, s, NULL, NULL))
        abort();
}

static void check_text(arena_t *a, const char *s)
{
    const char *body = comment_text_clean(a, s, true);
    const char *line = comment_text_clean(a, s, false);
    check_clean(s, body, true);
    check_clean(s, line, false);
    if (strcmp(comment_text_clean(a, body, true), body) != 0 ||
        strcmp(comment_text_clean(a, line, false), line) != 0)
        abort();
    if (check_html(comment_text_html(a, body)) > comment_text_links(body))
        abort();
    check_html(comment_text_html(a, s));
    check_blocked_self(a, s);
    (void)comment_text_chars(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    const char *s = arena_strndup(a, (const char *)data, size); /* to the first NUL */
    size_t half = strlen(s) / 2;
    const char *list = arena_strndup(a, s, half), *rest = s + half;
    if (moderation_blocked(a, list, NULL, NULL, NULL))
        abort();
    (void)moderation_blocked(a, list, rest, rest, rest);
    (void)comment_text_links(s);
    (void)comment_text_email_ok(s);
    if (text_wellformed_utf8(s, strlen(s)))
        check_text(a, s);
    arena_free(a);
    return 0;
}
