/*
 * text.c - the UTF-8 helpers that stand between bytes from outside (URLs,
 * imported articles, form fields) and the rest of the server. Decoding is
 * strict because a lenient decoder is how path tricks and mojibake get in;
 * slugs follow how Arabic news sites write their URLs (words joined by '-',
 * vowel marks and tatweel dropped so that the same headline always yields the
 * same slug). Character classes come from utf8proc, not the C locale.
 */
#include "core/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/err.h"

static const char text_ellipsis[] = "\xE2\x80\xA6"; /* … */
static const char text_fffd[] = "\xEF\xBF\xBD";

/* utf8proc does the strict part: it rejects overlongs, surrogates and
 * > U+10FFFF. ASCII and two-byte sequences (Latin, Arabic: most of what a
 * page or URL holds) are decoded inline first; lead bytes C2..DF exclude
 * the overlong two-byte forms, so they are as strict. */
size_t text_next_cp(const char *s, size_t n, int32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF && n >= 2 && (u[1] & 0xC0) == 0x80) {
        *cp = (int32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
        return 2;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          (utf8proc_ssize_t)(n > 4 ? 4 : n), &c);
    if (k <= 0) {
        *cp = -1;
        return 1;
    }
    *cp = c;
    return (size_t)k;
}

/* Both validity tests in one loop; `controls` says whether NUL and the C0
 * controls other than \t \n \r are let through. */
static bool text_utf8_check(const char *s, size_t n, bool controls)
{
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += text_next_cp(s + i, n - i, &cp);
        if (cp < 0 || (!controls && cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r'))
            return false;
    }
    return true;
}

bool text_valid_utf8(const char *s, size_t n)
{
    return text_utf8_check(s, n, false);
}

bool text_wellformed_utf8(const char *s, size_t n)
{
    return text_utf8_check(s, n, true);
}

bool text_xml_char(int32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

static int text_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* %XX-decode s[0..n) onto a (NUL-terminated); '+' becomes a space when
 * plus_is_space. NS_EINVAL on a bad escape or %00. */
static int text_unescape(arena_t *a, const char *s, size_t n, bool plus_is_space, char **out,
                         size_t *outlen)
{
    char *p = arena_alloc(a, n + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            p[len++] = plus_is_space && s[i] == '+' ? ' ' : s[i];
            continue;
        }
        int hi = i + 2 < n ? text_hexval(s[i + 1]) : -1;
        int lo = i + 2 < n ? text_hexval(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return NS_EINVAL;
        p[len++] = (char)(hi << 4 | lo);
        i += 2;
    }
    p[len] = '\0';
    *out = p;
    *outlen = len;
    return NS_OK;
}

int text_url_decode(arena_t *a, const char *s, size_t n, char **out)
{
    char *p;
    size_t len;
    if (text_unescape(a, s, n, false, &p, &len) != NS_OK || !text_valid_utf8(p, len))
        return NS_EINVAL;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
            return NS_EINVAL;
    *out = p;
    return NS_OK;
}

bool text_parse_id(const char *s, int64_t *id)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0)
        return false;
    *id = v;
    return true;
}

int text_form_decode(arena_t *a, const char *s, size_t n, char **out, size_t *len)
{
    char *p;
    size_t l;
    if (text_unescape(a, s, n, true, &p, &l) != NS_OK || !text_wellformed_utf8(p, l) || memchr(p, '\0', l))
        return NS_EINVAL;
    *out = p;
    *len = l;
    return NS_OK;
}

/* No byte of u that browsers drop or reinterpret inside a URL, and
 * well-formed UTF-8 (what text_url_is_http and text_url_is_safe_link ask
 * beyond their prefix). */
static bool text_url_bytes_ok(const char *u)
{
    size_t n = strlen(u);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)u[i] <= ' ' || u[i] == 0x7f || u[i] == '\\')
            return false;
    return text_valid_utf8(u, n);
}

bool text_url_is_http(const char *u)
{
    if (!u)
        return false;
    size_t k = strncasecmp(u, "https://", 8) == 0 ? 8 : strncasecmp(u, "http://", 7) == 0 ? 7 : 0;
    /* a host, not straight to a path, query or fragment */
    if (k == 0 || u[k] == '\0' || strchr("/?#", u[k]))
        return false;
    return text_url_bytes_ok(u);
}

bool text_url_is_safe_link(const char *u)
{
    if (!u)
        return false;
    if (u[0] == '/' && u[1] != '/')
        return text_url_bytes_ok(u);
    return text_url_is_http(u);
}

enum slug_class { SLUG_SEP, SLUG_DROP, SLUG_KEEP };

static int text_is_arabic_digit(int32_t cp)
{
    return (cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9);
}

/* How a code point takes part in a slug; *lower is what to emit if kept. */
static enum slug_class text_slug_class(int32_t cp, int32_t *lower)
{
    *lower = cp;
    if (cp < 0)
        return SLUG_SEP;
    utf8proc_category_t cat = utf8proc_category(cp);
    if (cp == 0x0640 || cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME ||
        cat == UTF8PROC_CATEGORY_CF)
        return SLUG_DROP; /* tatweel, harakat and other marks, bidi controls */
    if ((cp >= '0' && cp <= '9') || text_is_arabic_digit(cp))
        return SLUG_KEEP;
    if (cp >= 0x0600 && cp <= 0x06FF)
        return cat == UTF8PROC_CATEGORY_LO ? SLUG_KEEP : SLUG_SEP;
    int latin = cp < 0x80 || (cp >= 0xC0 && cp <= 0x24F);
    if (latin && (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL)) {
        *lower = utf8proc_tolower(cp);
        return SLUG_KEEP;
    }
    return SLUG_SEP;
}

/* NFC copy of s (malloc'd, caller frees), or NULL if s is not valid UTF-8. */
static char *text_nfc(const char *s)
{
    return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

/* Slug of src into b (heap buf), at most max bytes. */
static void text_slug_into(buf_t *b, const char *src, size_t max)
{
    size_t n = strlen(src);
    int pending_sep = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp, lower;
        i += text_next_cp(src + i, n - i, &cp);
        enum slug_class cls = text_slug_class(cp, &lower);
        if (cls == SLUG_SEP)
            pending_sep = b->len > 0;
        if (cls != SLUG_KEEP)
            continue;
        utf8proc_uint8_t enc[4];
        size_t k = (size_t)utf8proc_encode_char(lower, enc);
        if (b->len + (size_t)pending_sep + k > max)
            break;
        if (pending_sep)
            buf_putc(b, '-');
        buf_append(b, enc, k);
        pending_sep = 0;
    }
}

char *text_slugify(arena_t *a, const char *s, size_t max_bytes)
{
    if (!s)
        return arena_strdup(a, "");
    char *nfc = text_nfc(s);
    buf_t b;
    buf_init(&b, a);
    buf_reserve(&b, 0);
    text_slug_into(&b, nfc ? nfc : s, max_bytes);
    free(nfc);
    return b.data;
}

static int text_is_space(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
           (cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS);
}

/* Copy s into b with whitespace runs collapsed to one space, no leading or
 * trailing space, invalid bytes as U+FFFD, stopping after max_chars code
 * points. Returns true if s had more to say; *space_at is then where to cut
 * for a word boundary (b->len if the cut already fell on one, 0 if none). */
static bool text_collapse(buf_t *b, const char *s, size_t max_chars, size_t *space_at)
{
    size_t n = strlen(s), chars = 0;
    bool space = false;
    *space_at = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = text_next_cp(s + i, n - i, &cp);
        if (text_is_space(cp)) {
            space = b->len > 0;
        } else {
            if (chars + (space ? 1 : 0) + 1 > max_chars) {
                if (space)
                    *space_at = b->len;
                return true;
            }
            if (space) {
                *space_at = b->len;
                buf_putc(b, ' ');
                chars++;
                space = false;
            }
            buf_append(b, cp < 0 ? text_fffd : s + i, cp < 0 ? 3 : k);
            chars++;
        }
        i += k;
    }
    return false;
}

char *text_excerpt(arena_t *a, const char *s, size_t max_chars)
{
    buf_t b;
    buf_init(&b, a);
    size_t space_at;
    buf_reserve(&b, 0);
    if (!s || !text_collapse(&b, s, max_chars, &space_at))
        return b.data;
    /* Cut: back up to the last space if it is within the last 20 chars. */
    if (space_at > 0 && text_char_count(b.data + space_at, b.len - space_at) <= 20)
        b.len = space_at;
    buf_puts(&b, text_ellipsis);
    return b.data;
}

/* Tags after which words must not run together in plain text. */
static bool text_tag_breaks(const char *tag, size_t n)
{
    static const char *const blocks[] = {
        "p", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div",
        "pre", "hr", "ul", "ol", "tr", "td", "th", "figcaption", "img", NULL,
    };
    if (n > 0 && tag[0] == '/') {
        tag++;
        n--;
    }
    size_t len = 0;
    while (len < n && ((tag[len] >= 'a' && tag[len] <= 'z') || (tag[len] >= 'A' && tag[len] <= 'Z') ||
                       (tag[len] >= '0' && tag[len] <= '9')))
        len++;
    for (size_t i = 0; blocks[i]; i++)
        if (strlen(blocks[i]) == len && strncasecmp(blocks[i], tag, len) == 0)
            return true;
    return false;
}

/* Decoded character for the entity at s, setting *len, or 0. */
static char text_entity(const char *s, size_t *len)
{
    static const struct { const char *name; char c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
        {"&#39;", '\''}, {"&apos;", '\''}, {"&#x27;", '\''},
    };
    for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
        *len = strlen(ents[i].name);
        if (strncmp(s, ents[i].name, *len) == 0)
            return ents[i].c;
    }
    return 0;
}

static bool text_ends_in_space(const buf_t *b)
{
    char c = b->len ? b->data[b->len - 1] : ' ';
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

char *text_strip_tags(arena_t *a, const char *html)
{
    buf_t b;
    buf_init(&b, a);
    buf_reserve(&b, html ? strlen(html) : 0); /* b.data is never NULL */
    bool need_space = false; /* a block tag separated words */
    for (const char *p = html; p && *p;) {
        if (*p == '<') {
            const char *end = strchr(p, '>');
            if (!end)
                break;
            need_space |= text_tag_breaks(p + 1, (size_t)(end - p - 1));
            p = end + 1;
            continue;
        }
        size_t len = 1;
        char c = *p == '&' ? text_entity(p, &len) : 0;
        bool ws = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (need_space && !ws && !text_ends_in_space(&b))
            buf_putc(&b, ' ');
        need_space = false;
        buf_putc(&b, c ? c : *p);
        p += c ? len : 1;
    }
    return b.data;
}

size_t text_char_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}
