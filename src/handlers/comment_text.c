/*
 * comment_text.c - a reader's comment as text (comment_text.h). Cleaning
 * runs in two passes: characters first (controls, bidi controls, line
 * breaks), then lines (trimming, blank lines), so that each rule sees
 * line breaks in one spelling only. The HTML is built from escaped text
 * and two fixed elements; URLs are found by the same scan that counts
 * links, so what is counted is what a reader can follow.
 */
#include "handlers/comment_text.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include "core/buf.h"
#include "core/text.h"

enum { EMAIL_MAX_BYTES = 200 };
/* Bounds of a comment's fields, in characters (the forms say the same). */
enum { COMMENT_MAX_CHARS = 5000, COMMENT_NAME_MAX = 100 };

/* ---- characters ---- */

/* Characters no field keeps: C0 and C1 controls, DEL, and the bidi
 * embeddings, overrides and isolates, which reorder how the text around
 * them reads (a link can be made to show another address). A negative cp
 * (an ill-formed byte) is dropped too. */
static bool clean_dropped(int32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* White space, controls and invisible format characters: what a URL or an
 * address cannot hold without readers seeing something else than it is. */
static bool unseen(int32_t cp)
{
    if (cp <= ' ' || cp == 0x7F)
        return true;
    if (cp < 0x80)
        return false;
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP ||
           c == UTF8PROC_CATEGORY_CC || c == UTF8PROC_CATEGORY_CF;
}

/* Bytes of the white space (space, tab, '\r', U+00A0) at the end of
 * s[0..n), one character, or 0. */
static size_t space_before(const char *s, size_t n)
{
    if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        return 1;
    return n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0 ? 2 : 0;
}

/* The same at the start of s[0..n). */
static size_t space_after(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r'))
        return 1;
    return n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0 ? 2 : 0;
}

/* Length of s[0..n) without the white space at its end. */
static size_t trim_end(const char *s, size_t n)
{
    for (size_t k; (k = space_before(s, n)) != 0;)
        n -= k;
    return n;
}

/* ---- cleaning ---- */

/* s with dropped characters gone and line breaks as multiline says. */
static void clean_chars(buf_t *b, const char *s, bool multiline)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = text_next_cp(s + i, n - i, &cp);
        if (multiline && cp == '\r' && s[i + 1] == '\n')
            ; /* "\r\n": the '\n' that follows is the line break */
        else if (multiline && (cp == '\r' || cp == '\n'))
            buf_putc(b, '\n');
        else if (multiline && cp == '\t')
            buf_putc(b, ' ');
        else if (!clean_dropped(cp))
            buf_append(b, s + i, k);
        i += k;
    }
}

/* The lines of s[0..n) trimmed, blank runs made one blank line. */
static const char *clean_lines(arena_t *a, const char *s, size_t n)
{
    buf_t out;
    buf_init(&out, a);
    int blanks = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n, start = i;
        size_t len = trim_end(s + start, end - start);
        for (size_t k; out.len == 0 && (k = space_after(s + start, len)) != 0; len -= k)
            start += k; /* the text's leading white space */
        if (len == 0)
            blanks++;
        else {
            if (out.len)
                buf_append(&out, "\n\n", blanks ? 2 : 1);
            buf_append(&out, s + start, len);
            blanks = 0;
        }
        i = end + 1;
    }
    return buf_cstr(&out);
}

const char *comment_text_clean(arena_t *a, const char *s, bool multiline)
{
    if (!s)
        return "";
    buf_t chars;
    buf_init(&chars, a);
    clean_chars(&chars, s, multiline);
    return clean_lines(a, buf_cstr(&chars), chars.len);
}

size_t comment_text_chars(const char *s)
{
    return s ? text_char_count(s, strlen(s)) : 0;
}

/* ---- links ---- */

/* Bytes of "http://" or "https://" (any case) at the start of s[0..n), or 0. */
static size_t url_scheme(const char *s, size_t n)
{
    if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
        return 7;
    return n >= 8 && strncasecmp(s, "https://", 8) == 0 ? 8 : 0;
}

/* Bytes of the URL-like run that starts s[0..n): up to white space, a
 * control or format character, what HTML quotes with (< > " '), or '\'
 * (browsers read it as '/', so it could disguise the host). */
static size_t url_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        size_t k = text_next_cp(s + i, n - i, &cp);
        if (cp < 0 || unseen(cp) || (cp < 0x80 && strchr("<>\"'\\", cp)))
            break;
        i += k;
    }
    return i;
}

static bool ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* True if a "www." that begins a word and names a host is at s[i]: not
 * inside a word, an address or a path (x.www., a@www., /www.). */
static bool www_at(const char *s, size_t n, size_t i)
{
    if (n - i < 5 || strncasecmp(s + i, "www.", 4) != 0)
        return false;
    if (i > 0 && (ascii_alnum(s[i - 1]) || strchr("./@-_:", s[i - 1])))
        return false;
    return ascii_alnum(s[i + 4]) || (unsigned char)s[i + 4] >= 0x80;
}

int comment_text_links(const char *s)
{
    if (!s)
        return 0;
    size_t n = strlen(s);
    int links = 0;
    for (size_t i = 0; i < n;) {
        if (url_scheme(s + i, n - i) || www_at(s, n, i)) {
            links++;
            i += url_run(s + i, n - i); /* a www. inside this URL is not another link */
        } else
            i++;
    }
    return links;
}

/* ---- email ---- */

/* A domain with a dot, no empty label ("..", a dot at either end). */
static bool email_domain_ok(const char *d)
{
    size_t n = strlen(d);
    return n > 0 && d[0] != '.' && d[n - 1] != '.' && strchr(d, '.') && !strstr(d, "..");
}

/* No character of s[0..n) that an address cannot hold, and well-formed. */
static bool email_chars_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = text_next_cp(s + i, n - i, &cp);
        if (cp < 0 || unseen(cp) || (cp < 0x80 && strchr("<>\"(),;:", cp)))
            return false;
        i += k;
    }
    return true;
}

bool comment_text_email_ok(const char *s)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n > EMAIL_MAX_BYTES || !at || at == s || strchr(at + 1, '@'))
        return false;
    return email_domain_ok(at + 1) && email_chars_ok(s, n);
}

/* ---- HTML ---- */

/* Bytes of the sentence punctuation at the end of s[0..n) that follows a
 * URL rather than belongs to it (. , ! ? : ] and ؟ ، ؛), or 0. */
static size_t url_sentence_mark(const char *s, size_t n)
{
    static const char *const arabic[] = { "\u061F", "\u060C", "\u061B" }; /* ؟ ، ؛ */
    if (n >= 1 && s[n - 1] && strchr(".,!?:]", s[n - 1]))
        return 1;
    for (size_t i = 0; i < sizeof arabic / sizeof arabic[0]; i++)
        if (n >= 2 && memcmp(s + n - 2, arabic[i], 2) == 0)
            return 2;
    return 0;
}

/* Length of the URL in s[0..n) (a url_run) without the punctuation after
 * it; a final ')' stays while it closes a '(' of the URL ("Foo_(bar)"). */
static size_t url_trim(const char *s, size_t n)
{
    long depth = 0; /* '(' minus ')' in s[0..n) */
    for (size_t i = 0; i < n; i++)
        depth += (s[i] == '(') - (s[i] == ')');
    for (size_t k;;) {
        if (n && s[n - 1] == ')' && depth < 0)
            depth++, n--;
        else if ((k = url_sentence_mark(s, n)) != 0)
            n -= k;
        else
            return n;
    }
}

/* Bytes of the linkable URL at the start of s[0..n), or 0 if none is:
 * the host rule is text_url_is_http's, the one every link of the site
 * passes. */
static size_t url_link_len(arena_t *a, const char *s, size_t n)
{
    if (!url_scheme(s, n))
        return 0;
    size_t len = url_trim(s, url_run(s, n));
    return text_url_is_http(arena_strndup(a, s, len)) ? len : 0;
}

static void html_link(buf_t *b, const char *url, size_t n)
{
    buf_puts(b, "<a href=\"");
    buf_html_escape(b, url, n);
    buf_puts(b, "\" rel=\"nofollow ugc noopener\">");
    buf_html_escape(b, url, n);
    buf_puts(b, "</a>");
}

/* One line's text, escaped, its URLs linked. */
static void html_line(arena_t *a, buf_t *b, const char *s, size_t n)
{
    size_t done = 0; /* s[0..done) is written */
    for (size_t i = 0; i < n;) {
        size_t u = url_link_len(a, s + i, n - i);
        if (!u) {
            i++; /* a scheme starts with ASCII 'h', never inside a character */
            continue;
        }
        buf_html_escape(b, s + done, i - done);
        html_link(b, s + i, u);
        i += u;
        done = i;
    }
    buf_html_escape(b, s + done, n - done);
}

const char *comment_text_html(arena_t *a, const char *body)
{
    if (!body)
        return "";
    buf_t b;
    buf_init(&b, a);
    size_t n = strlen(body);
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(body + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - body) : n;
        if (trim_end(body + i, end - i)) {
            buf_puts(&b, b.len ? "\n<p>" : "<p>");
            html_line(a, &b, body + i, end - i);
            buf_puts(&b, "</p>");
        }
        i = end + 1;
    }
    return buf_cstr(&b);
}

/* ---- what must be fixed ---- */

bool comment_text_check(const char *text, const char *name, const char *email,
                        comment_text_errors *err)
{
    *err = (comment_text_errors){0};
    if (!text || !*text)
        err->text = "من فضلك ادخل تعليقك";
    else if (comment_text_chars(text) > COMMENT_MAX_CHARS)
        err->text = "التعليق أطول من 5000 حرف";
    if (!name || !*name)
        err->name = "من فضلك ادخل اسمك هنا";
    else if (comment_text_chars(name) > COMMENT_NAME_MAX)
        err->name = "الاسم أطول من 100 حرف";
    if (email && *email && !comment_text_email_ok(email))
        err->email = "البريد الإلكتروني غير صحيح";
    return err->text || err->name || err->email;
}
