/*
 * buf.c - growable output buffer and the escapers. Every byte of user content
 * that reaches HTML, XML, JSON or a URL passes through one of the escapers
 * here, so they are written to be total: any input, including invalid UTF-8
 * and control characters, yields well-formed output for the target format.
 * Arena-backed buffers grow by copying into a fresh arena chunk (the old one
 * is reclaimed with the arena), heap-backed ones use realloc.
 */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "core/text.h"

#define BUF_MIN_CAP 64u

static const char buf_replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

void buf_init(buf_t *b, arena_t *arena)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->arena = arena;
}

void buf_release(buf_t *b)
{
    if (!b->arena)
        free(b->data);
    buf_init(b, b->arena);
}

static void buf_grow_to(buf_t *b, size_t cap)
{
    if (b->arena) {
        char *p = arena_alloc(b->arena, cap);
        if (b->data)
            memcpy(p, b->data, b->len + 1);
        b->data = p;
    } else {
        char *p = realloc(b->data, cap);
        if (!p) {
            fprintf(stderr, "nashra: out of memory growing a buffer to %zu bytes\n", cap);
            abort();
        }
        b->data = p;
    }
    b->cap = cap;
}

void buf_reserve(buf_t *b, size_t extra)
{
    if (extra > SIZE_MAX / 2 - b->len) {
        fprintf(stderr, "nashra: buffer size overflow\n");
        abort();
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : BUF_MIN_CAP;
    while (cap < need)
        cap *= 2;
    int fresh = b->data == NULL;
    buf_grow_to(b, cap);
    if (fresh)
        b->data[0] = '\0';
}

void buf_append(buf_t *b, const void *s, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(buf_t *b, const char *s)
{
    if (s)
        buf_append(b, s, strlen(s));
}

void buf_putc(buf_t *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0) {
        buf_reserve(b, 0);
        return;
    }
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_clear(buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *buf_cstr(buf_t *b)
{
    return b->data ? b->data : "";
}

/* Replacement for each byte that markup must not carry as is; a table
 * because escaping runs over every byte of every page. NUL becomes U+FFFD. */
static const char *const buf_markup_table[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
    [0] = buf_replacement,
};

/* Entity for the five characters HTML and XML both escape, or NULL. */
static const char *buf_markup_entity(char c)
{
    return c ? buf_markup_table[(unsigned char)c] : NULL;
}

/* Length of each entry of buf_markup_table (0: copied as is). */
static const unsigned char buf_markup_len[256] = {
    ['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5, [0] = 3,
};

/* Bytes from s[0] before the first one buf_markup_table replaces (n if
 * none). Most of a page's text has nothing to escape, and Arabic text is
 * all bytes >= 0x80, so testing 16 bytes at a time is where escaping
 * spends its time. */
static size_t buf_markup_clean(const char *s, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
                  quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\''), nul = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, lt)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, gt), _mm_cmpeq_epi8(v, quot))),
            _mm_or_si128(_mm_cmpeq_epi8(v, apos), _mm_cmpeq_epi8(v, nul)));
        int mask = _mm_movemask_epi8(hit);
        if (mask)
            return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    while (i < n && !buf_markup_len[(unsigned char)s[i]])
        i++;
    return i;
}

void buf_html_escape(buf_t *b, const char *s, size_t n)
{
    buf_reserve(b, n + n / 8);
    for (size_t i = 0;;) {
        size_t k = buf_markup_clean(s + i, n - i);
        buf_append(b, s + i, k);
        i += k;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i++];
        buf_append(b, buf_markup_table[c], buf_markup_len[c]);
    }
}

void buf_xml_escape(buf_t *b, const char *s, size_t n)
{
    buf_reserve(b, n + n / 8);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = text_next_cp(s + i, n - i, &cp);
        const char *ent = k == 1 ? buf_markup_entity(s[i]) : NULL;
        if (cp < 0)
            buf_puts(b, buf_replacement);
        else if (ent)
            buf_puts(b, ent);
        else if (text_xml_char(cp))
            buf_append(b, s + i, k);
        i += k;
    }
}

/* JSON escape of one code point that is a control or HTML-significant
 * character, or 0 if it can be copied as is. */
static int buf_json_special(int32_t cp, buf_t *b)
{
    static const char *const shorts[0x20] = {
        ['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
    };
    if (cp == '"' || cp == '\\') {
        buf_putc(b, '\\');
        buf_putc(b, (char)cp);
    } else if (cp >= 0 && cp < 0x20 && shorts[cp]) {
        buf_puts(b, shorts[cp]);
    } else if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&' || cp == '\'' ||
               cp == 0x7F || cp == 0x2028 || cp == 0x2029) {
        buf_printf(b, "\\u%04x", (unsigned)(cp < 0 ? 0xFFFD : cp));
    } else {
        return 0;
    }
    return 1;
}

void buf_json_escape(buf_t *b, const char *s, size_t n)
{
    buf_reserve(b, n + n / 8);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = text_next_cp(s + i, n - i, &cp);
        if (!buf_json_special(cp, b))
            buf_append(b, s + i, k);
        i += k;
    }
}

static int buf_url_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

void buf_url_escape(buf_t *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    buf_reserve(b, n * 3);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (buf_url_unreserved(c)) {
            b->data[b->len++] = (char)c;
        } else {
            b->data[b->len++] = '%';
            b->data[b->len++] = hex[c >> 4];
            b->data[b->len++] = hex[c & 15];
        }
    }
    b->data[b->len] = '\0';
}
