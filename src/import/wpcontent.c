/*
 * wpcontent.c - a WordPress body as its theme showed it. WordPress keeps
 * bodies as they were typed and does the rest each time it shows one:
 * shortcodes expanded, a URL alone on a line embedded, paragraphs made
 * from blank lines (wpautop). That is done here once, in two passes over
 * the text:
 *
 * 1. shortcodes and lone URLs (wp_sc_*): [caption] becomes a figure with
 *    its caption, [embed], [video], [audio] and a lone URL a paragraph
 *    linking to the media, [gallery] goes, and any other shortcode's tags
 *    go with its content kept; [[x]] is WordPress's way to write [x].
 *    HTML comments are copied untouched (block markers carry JSON).
 * 2. block-editor markers removed (wp_blocks_*); what lies outside every
 *    block (a classic body, or the classic parts of a block body) gets
 *    paragraphs and line breaks (wp_autop_*), while a block's own markup,
 *    already made of elements, is kept as the editor saved it.
 *
 * Everything is bounded: a closing tag is found through an index of all of
 * them built once, so a body of many openers costs n log n, not n².
 */
#include "import/wpcontent.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"

#define WP_MAX_ATTRS 4096  /* longest shortcode tag looked at */
#define WP_MAX_ESCAPED 4096 /* longest [[...]] looked at */
#define WP_MAX_OPENED 64   /* unknown shortcodes whose closers are awaited */
#define WP_MAX_NEST 64     /* block elements tracked by wpautop */

/* --- text helpers ------------------------------------------------------ */

static bool wp_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool wp_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool wp_name_char(char c)
{
    return wp_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* content without NUL bytes and with every line ending as "\n". */
static char *wp_normalise(arena_t *a, const char *s, size_t n, size_t *len)
{
    char *t = arena_alloc(a, n + 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r') {
            t[m++] = '\n';
            i += i + 1 < n && s[i + 1] == '\n';
        } else if (s[i]) {
            t[m++] = s[i];
        }
    }
    t[m] = '\0';
    *len = m;
    return t;
}

/* Case-insensitive search for needle in s[0..n). */
static const char *wp_find(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(s + i, needle, k) == 0)
            return s + i;
    return NULL;
}

/* Where the comment or tag starting at s ('<') ends, at most end. */
static const char *wp_tag_end(const char *s, const char *end)
{
    if (end - s >= 4 && memcmp(s, "<!--", 4) == 0) {
        const char *c = wp_find(s + 4, (size_t)(end - s - 4), "-->");
        return c ? c + 3 : end;
    }
    const char *gt = memchr(s, '>', (size_t)(end - s));
    return gt ? gt + 1 : end;
}

/* An URL written into an attribute as found in the source (already HTML
 * text, so entities stay): only what could end the attribute is escaped. */
static void wp_put_url(buf_t *b, const char *url, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (url[i]) {
        case '"': buf_puts(b, "&quot;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        default: buf_putc(b, url[i]);
        }
    }
}

/* A paragraph linking to a media file or page. */
static void wp_put_link_para(buf_t *b, const char *url, size_t n)
{
    buf_puts(b, "\n\n<p><a href=\"");
    wp_put_url(b, url, n);
    buf_puts(b, "\">");
    wp_put_url(b, url, n);
    buf_puts(b, "</a></p>\n\n");
}

/* Length of the http(s) URL at s (no spaces, quotes or angle brackets), 0
 * if s does not start one. */
static size_t wp_url_len(const char *s, size_t n)
{
    size_t k = n >= 8 && strncasecmp(s, "https://", 8) == 0 ? 8
             : n >= 7 && strncasecmp(s, "http://", 7) == 0 ? 7 : 0;
    if (!k)
        return 0;
    while (k < n && !wp_space(s[k]) && !strchr("\"'<>[]", s[k]))
        k++;
    return k;
}

/* --- videos --------------------------------------------------------------- */

/* Whether url (n bytes) is a YouTube or Vimeo video page. */
static bool wp_is_video(const char *url, size_t n)
{
    static const char *const hosts[] = {"www.", "m.", "player.", NULL};
    static const char *const pages[] = {
        "youtube.com/watch?", "youtube.com/embed/", "youtube.com/shorts/", "youtu.be/",
        "youtube-nocookie.com/embed/", "vimeo.com/", NULL,
    };
    size_t k = wp_url_len(url, n);
    if (k == 0)
        return false;
    const char *p = url + (url[4] == 's' || url[4] == 'S' ? 8 : 7), *end = url + k;
    for (int i = 0; hosts[i]; i++)
        if ((size_t)(end - p) > strlen(hosts[i]) && strncasecmp(p, hosts[i], strlen(hosts[i])) == 0)
            p += strlen(hosts[i]);
    for (int i = 0; pages[i]; i++) {
        size_t m = strlen(pages[i]);
        if ((size_t)(end - p) <= m || strncasecmp(p, pages[i], m) != 0)
            continue;
        if (i == 0) /* a watch page names its video */
            return wp_find(p + m, (size_t)(end - p - m), "v=") != NULL;
        return true;
    }
    return false;
}

/* --- shortcode tags ---------------------------------------------------- */

typedef struct wp_tag {
    const char *name, *attrs;
    size_t name_len, attrs_len;
    size_t end;          /* offset just after its ']' */
    bool closing, self_closing;
} wp_tag;

/* Parse the shortcode tag at s[at] ('['); false if there is none. */
static bool wp_tag_parse(const char *s, size_t n, size_t at, wp_tag *t)
{
    size_t i = at + 1;
    *t = (wp_tag){.closing = i < n && s[i] == '/'};
    i += t->closing;
    if (i >= n || !wp_alpha(s[i]))
        return false;
    t->name = s + i;
    while (i < n && wp_name_char(s[i]))
        i++;
    t->name_len = (size_t)(s + i - t->name);
    if (i >= n || !(s[i] == ']' || s[i] == '/' || s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
        return false;
    t->attrs = s + i;
    while (i < n && s[i] != ']' && s[i] != '[' && (size_t)(s + i - t->attrs) < WP_MAX_ATTRS)
        i++;
    if (i >= n || s[i] != ']' || (t->closing && s + i != t->attrs))
        return false;
    t->attrs_len = (size_t)(s + i - t->attrs);
    t->self_closing = t->attrs_len > 0 && t->attrs[t->attrs_len - 1] == '/';
    t->end = i + 1;
    return true;
}

static bool wp_tag_is(const wp_tag *t, const char *name)
{
    return strlen(name) == t->name_len && strncasecmp(t->name, name, t->name_len) == 0;
}

/* The value of attribute key in a tag's attributes (key="v", key='v' or
 * key=v), on a; NULL if absent. */
static const char *wp_attr(arena_t *a, const wp_tag *t, const char *key)
{
    const char *p = t->attrs, *end = t->attrs + t->attrs_len;
    size_t k = strlen(key);
    while (p < end) {
        while (p < end && (wp_space(*p) || *p == '/'))
            p++;
        const char *name = p;
        while (p < end && !wp_space(*p) && *p != '=')
            p++;
        bool match = (size_t)(p - name) == k && strncasecmp(name, key, k) == 0;
        if (p >= end || *p != '=')
            continue;
        char quote = ++p < end && (*p == '"' || *p == '\'') ? *p++ : 0;
        const char *v = p;
        while (p < end && (quote ? *p != quote : !wp_space(*p)))
            p++;
        if (match)
            return arena_strndup(a, v, (size_t)(p - v));
        p += p < end;
    }
    return NULL;
}

/* --- the index of closing tags --------------------------------------------- */

typedef struct wp_closer {
    const char *name;
    size_t len, pos;     /* pos: offset of its '[' */
} wp_closer;

static int wp_closer_cmp_key(const char *name, size_t len, size_t pos, const wp_closer *c)
{
    size_t m = len < c->len ? len : c->len;
    int r = strncasecmp(name, c->name, m);
    if (r)
        return r;
    if (len != c->len)
        return len < c->len ? -1 : 1;
    return pos < c->pos ? -1 : pos > c->pos;
}

static int wp_closer_cmp(const void *x, const void *y)
{
    const wp_closer *p = x;
    return wp_closer_cmp_key(p->name, p->len, p->pos, y);
}

/* --- pass 1: shortcodes and lone URLs ---------------------------------------- */

typedef struct wp_pass {
    arena_t *a;
    const char *s;
    size_t n;
    buf_t *out;
    wp_closer *closers;
    size_t nclosers;
    struct { const char *name; size_t len; int count; } opened[WP_MAX_OPENED];
    size_t nopened;
    const char *video;   /* the first video met */
    size_t video_len;
} wp_pass;

static void wp_index_closers(wp_pass *p)
{
    size_t cap = 0;
    for (const char *c = strstr(p->s, "[/"); c; c = strstr(c + 2, "[/")) {
        wp_tag t;
        if (!wp_tag_parse(p->s, p->n, (size_t)(c - p->s), &t))
            continue;
        p->closers = arena_grow(p->a, p->closers, p->nclosers, &cap, sizeof *p->closers, 16);
        p->closers[p->nclosers++] = (wp_closer){t.name, t.name_len, (size_t)(c - p->s)};
    }
    if (p->nclosers > 1)
        qsort(p->closers, p->nclosers, sizeof *p->closers, wp_closer_cmp);
}

/* Offset of the first [/name] at or after from, or n if there is none. */
static size_t wp_closer_after(const wp_pass *p, const wp_tag *t, size_t from)
{
    size_t lo = 0, hi = p->nclosers;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (wp_closer_cmp_key(t->name, t->name_len, from, &p->closers[mid]) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < p->nclosers && wp_closer_cmp_key(t->name, t->name_len, p->closers[lo].pos, &p->closers[lo]) == 0)
        return p->closers[lo].pos;
    return p->n;
}

static void wp_seen_url(wp_pass *p, const char *url, size_t n)
{
    if (!p->video && wp_is_video(url, n)) {
        p->video = url;
        p->video_len = n;
    }
}

static void wp_media_link(wp_pass *p, const char *url, size_t n)
{
    size_t k = wp_url_len(url, n);
    if (k == 0)
        return;
    wp_seen_url(p, url, k);
    wp_put_link_para(p->out, url, k);
}

/* [caption ...]<a><img></a> text[/caption]: a figure. */
static void wp_caption(wp_pass *p, const wp_tag *t, const char *body, size_t n)
{
    while (n && wp_space(*body))
        body++, n--;
    const char *media_end = body;
    if (n >= 2 && strncasecmp(body, "<a", 2) == 0) {
        const char *close = wp_find(body, n, "</a>");
        media_end = close ? close + 4 : body;
    } else if (n >= 4 && strncasecmp(body, "<img", 4) == 0) {
        media_end = wp_tag_end(body, body + n);
    }
    const char *text = media_end;
    size_t text_len = n - (size_t)(media_end - body);
    while (text_len && wp_space(*text))
        text++, text_len--;
    const char *attr = text_len ? NULL : wp_attr(p->a, t, "caption");
    if (media_end == body) { /* nothing to make a figure of */
        buf_append(p->out, body, n);
        return;
    }
    buf_puts(p->out, "\n\n<figure>");
    buf_append(p->out, body, (size_t)(media_end - body));
    if (text_len || (attr && *attr)) {
        buf_puts(p->out, "<figcaption>");
        buf_puts(p->out, attr);
        buf_append(p->out, text, text_len);
        buf_puts(p->out, "</figcaption>");
    }
    buf_puts(p->out, "</figure>\n\n");
}

/* The first of keys a [video] or [audio] tag has. */
static const char *wp_media_src(arena_t *a, const wp_tag *t)
{
    static const char *const keys[] = {
        "src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "m4a", "ogg", "wav", "wma", NULL,
    };
    for (int i = 0; keys[i]; i++) {
        const char *v = wp_attr(a, t, keys[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

/* A shortcode WordPress itself knows; returns the offset to go on from. */
static size_t wp_known(wp_pass *p, const wp_tag *t)
{
    bool enclosing = wp_tag_is(t, "caption") || wp_tag_is(t, "wp_caption") || wp_tag_is(t, "embed") ||
                     wp_tag_is(t, "video") || wp_tag_is(t, "audio");
    size_t close = t->self_closing || !enclosing ? p->n : wp_closer_after(p, t, t->end);
    const char *body = p->s + t->end;
    size_t body_len = close < p->n ? close - t->end : 0;
    size_t next = close < p->n ? close + t->name_len + 3 : t->end;
    if (wp_tag_is(t, "caption") || wp_tag_is(t, "wp_caption")) {
        wp_caption(p, t, body, body_len);
    } else if (wp_tag_is(t, "embed")) {
        while (body_len && wp_space(*body))
            body++, body_len--;
        wp_media_link(p, body, body_len);
    } else if (wp_tag_is(t, "video") || wp_tag_is(t, "audio")) {
        const char *src = wp_media_src(p->a, t);
        if (!src) /* [video]URL[/video] */
            src = arena_strndup(p->a, body, body_len);
        wp_media_link(p, src, strlen(src));
    }
    /* gallery, playlist and the rest of these: nothing */
    return next;
}

static bool wp_known_name(const wp_tag *t)
{
    static const char *const names[] = {
        "caption", "wp_caption", "embed", "video", "audio", "gallery", "playlist", NULL,
    };
    for (int i = 0; names[i]; i++)
        if (wp_tag_is(t, names[i]))
            return true;
    return false;
}

/* Index in opened of an unknown shortcode awaiting its closer, or -1. */
static int wp_opened(const wp_pass *p, const wp_tag *t)
{
    for (size_t i = 0; i < p->nopened; i++)
        if (p->opened[i].len == t->name_len && strncasecmp(p->opened[i].name, t->name, t->name_len) == 0)
            return (int)i;
    return -1;
}

/* An unknown shortcode's tag at t: dropped when it is a pair's (its content
 * stays) or closes itself; else it is text. */
static bool wp_unknown(wp_pass *p, const wp_tag *t, size_t at)
{
    int i = wp_opened(p, t);
    if (t->closing) {
        if (i < 0 || p->opened[i].count == 0)
            return false;
        p->opened[i].count--;
        return true;
    }
    if (t->self_closing)
        return true;
    if (wp_closer_after(p, t, at) == p->n)
        return false;
    if (i < 0) {
        if (p->nopened == WP_MAX_OPENED)
            return false;
        i = (int)p->nopened++;
        p->opened[i].name = t->name;
        p->opened[i].len = t->name_len;
        p->opened[i].count = 0;
    }
    p->opened[i].count++;
    return true;
}

/* [[...]]: the shortcode syntax written as text, one bracket less. Returns
 * the offset after it, or 0 if s[at] does not start one. */
static size_t wp_escaped(wp_pass *p, size_t at)
{
    wp_tag t;
    if (at + 2 >= p->n || p->s[at + 1] != '[' || !wp_tag_parse(p->s, p->n, at + 1, &t))
        return 0;
    /* up to the next "]]", not past another "[[" (so each byte is looked
     * at by one of them at most) */
    size_t end = at + 2;
    while (end + 1 < p->n && end - at < WP_MAX_ESCAPED && memcmp(p->s + end, "]]", 2) != 0 &&
           memcmp(p->s + end, "[[", 2) != 0)
        end++;
    if (end + 1 >= p->n || memcmp(p->s + end, "]]", 2) != 0)
        return 0;
    buf_append(p->out, p->s + at + 1, end - at);
    return end + 2;
}

/* At a '[': the shortcode there handled, returning the offset to go on
 * from; 0 if it is text. */
static size_t wp_shortcode(wp_pass *p, size_t at)
{
    size_t next = wp_escaped(p, at);
    wp_tag t;
    if (next || !wp_tag_parse(p->s, p->n, at, &t))
        return next;
    if (wp_known_name(&t))
        return t.closing ? t.end : wp_known(p, &t);
    return wp_unknown(p, &t, at) ? t.end : 0;
}

/* At a line's start: a URL alone on it becomes a link paragraph. Returns
 * the offset after the line, or 0. */
static size_t wp_lone_url(wp_pass *p, size_t at)
{
    size_t i = at;
    while (i < p->n && (p->s[i] == ' ' || p->s[i] == '\t'))
        i++;
    size_t k = wp_url_len(p->s + i, p->n - i), j = i + k;
    while (k && j < p->n && (p->s[j] == ' ' || p->s[j] == '\t'))
        j++;
    if (k == 0 || (j < p->n && p->s[j] != '\n'))
        return 0;
    wp_media_link(p, p->s + i, k);
    return j;
}

static void wp_pass_run(wp_pass *p)
{
    wp_index_closers(p);
    for (size_t i = 0; i < p->n;) {
        char c = p->s[i];
        size_t next = 0;
        if (c == '<' && i + 4 <= p->n && memcmp(p->s + i, "<!--", 4) == 0) {
            next = (size_t)(wp_tag_end(p->s + i, p->s + p->n) - p->s);
            buf_append(p->out, p->s + i, next - i);
        } else if (c == '[') {
            next = wp_shortcode(p, i);
        } else if ((i == 0 || p->s[i - 1] == '\n') && (c == 'h' || c == 'H' || c == ' ' || c == '\t')) {
            next = wp_lone_url(p, i);
        }
        if (next) {
            i = next;
        } else {
            buf_putc(p->out, c);
            i++;
        }
    }
}

/* --- pass 2: block markers and paragraphs ----------------------------------- */

/* Block-level elements of wpautop: a paragraph never holds one. */
static bool wp_block_name(const char *name, size_t n)
{
    static const char blocks[] =
        " table thead tfoot caption col colgroup tbody tr td th div dl dd dt ul ol li pre form map"
        " area blockquote address math style p h1 h2 h3 h4 h5 h6 hr fieldset legend section article"
        " aside hgroup header footer nav figure figcaption details menu summary ";
    char key[16];
    if (n == 0 || n + 3 > sizeof key)
        return false;
    key[0] = ' ';
    for (size_t i = 0; i < n; i++)
        key[i + 1] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
    key[n + 1] = ' ';
    key[n + 2] = '\0';
    return strstr(blocks, key) != NULL;
}

/* Blocks whose text is paragraphs (the others' text stays one run). */
static bool wp_flow_name(const char *name, size_t n)
{
    static const char *const flow[] = {
        "div", "blockquote", "section", "article", "aside", "header", "footer", "nav",
        "form", "address", "details", "fieldset", "menu", NULL,
    };
    for (int i = 0; flow[i]; i++)
        if (strlen(flow[i]) == n && strncasecmp(flow[i], name, n) == 0)
            return true;
    return false;
}

typedef struct wp_autop {
    buf_t *out;
    struct { const char *name; size_t len; } open[WP_MAX_NEST];
    int nopen;
} wp_autop;

static bool wp_autop_paras(const wp_autop *ap)
{
    return ap->nopen == 0 || wp_flow_name(ap->open[ap->nopen - 1].name, ap->open[ap->nopen - 1].len);
}

static bool wp_ends_in_br(const buf_t *b)
{
    size_t n = b->len;
    while (n && wp_space(b->data[n - 1]))
        n--;
    if (n == 0 || b->data[n - 1] != '>')
        return false;
    const char *lt = NULL;
    for (size_t i = n; i-- > 0 && !lt;)
        if (b->data[i] == '<')
            lt = b->data + i;
    return lt && strncasecmp(lt, "<br", 3) == 0 && !wp_name_char(lt[3]);
}

/* The end of the <br> tag at p, or NULL if p does not start one. */
static const char *wp_br_end(const char *p, const char *end)
{
    if (end - p < 4 || strncasecmp(p, "<br", 3) != 0 || wp_name_char(p[3]))
        return NULL;
    return wp_tag_end(p, end);
}

static const char *wp_skip_space(const char *p, const char *end)
{
    while (p < end && wp_space(*p))
        p++;
    return p;
}

/* Inline text s[0..n): paragraphs at blank lines and at two line breaks in
 * a row (when paras), line breaks at single newlines; tags and comments
 * copied as they are. */
static void wp_autop_run(wp_autop *ap, const char *s, size_t n, bool paras)
{
    while (n && wp_space(*s))
        s++, n--;
    while (n && wp_space(s[n - 1]))
        n--;
    if (n == 0)
        return;
    const char *end = s + n;
    buf_puts(ap->out, paras ? "<p>" : "");
    for (const char *p = s; p < end;) {
        const char *br = *p == '<' ? wp_br_end(p, end) : NULL;
        const char *br2 = br ? wp_br_end(wp_skip_space(br, end), end) : NULL;
        if (br2 && paras) {
            buf_puts(ap->out, "</p>\n<p>");
            p = wp_skip_space(br2, end);
        } else if (*p == '<') {
            const char *e = wp_tag_end(p, end);
            buf_append(ap->out, p, (size_t)(e - p));
            p = e;
        } else if (*p == '\n') {
            const char *q = p + 1;
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            if (q < end && *q == '\n') { /* a blank line */
                q = wp_skip_space(q, end);
                buf_puts(ap->out, paras ? "</p>\n<p>" : "<br />\n<br />\n");
            } else {
                buf_puts(ap->out, wp_ends_in_br(ap->out) ? "\n" : "<br />\n");
            }
            p = q;
        } else {
            buf_putc(ap->out, *p++);
        }
    }
    buf_puts(ap->out, paras ? "</p>\n" : "");
}

/* A block element's tag: the elements it is inside change. */
static void wp_autop_block(wp_autop *ap, const char *name, size_t n, bool closing, bool void_tag)
{
    if (closing) {
        for (int i = ap->nopen; i-- > 0;)
            if (ap->open[i].len == n && strncasecmp(ap->open[i].name, name, n) == 0) {
                ap->nopen = i;
                break;
            }
    } else if (!void_tag && ap->nopen < WP_MAX_NEST) {
        ap->open[ap->nopen].name = name;
        ap->open[ap->nopen].len = n;
        ap->nopen++;
    }
}

/* Elements whose content is never touched: pre, and what is not text. */
static bool wp_raw_name(const char *name, size_t n)
{
    static const char *const raw[] = {"pre", "script", "style", "svg", "math", "textarea", NULL};
    for (int i = 0; raw[i]; i++)
        if (strlen(raw[i]) == n && strncasecmp(raw[i], name, n) == 0)
            return true;
    return false;
}

/* End of the raw element whose start tag is at s[0..tag_end). */
static const char *wp_raw_end(const char *name, size_t n, const char *tag_end, const char *end)
{
    char close[16];
    snprintf(close, sizeof close, "</%.*s", (int)n, name);
    const char *c = wp_find(tag_end, (size_t)(end - tag_end), close);
    return c ? wp_tag_end(c, end) : end;
}

/* wpautop over s[0..n), text outside every block of the editor. */
static void wp_autop_text(wp_autop *ap, const char *s, size_t n)
{
    const char *end = s + n, *run = s;
    for (const char *p = s; p < end;) {
        if (*p != '<') {
            p++;
            continue;
        }
        const char *tag_end = wp_tag_end(p, end), *name = p + 1 + (p + 1 < end && p[1] == '/');
        size_t len = 0;
        while (name + len < tag_end && wp_name_char(name[len]))
            len++;
        bool block = wp_block_name(name, len), raw = name == p + 1 && wp_raw_name(name, len);
        if (!block && !raw) {
            p = tag_end;
            continue;
        }
        const char *stop = raw ? wp_raw_end(name, len, tag_end, end) : tag_end;
        if (block) {
            bool closing = name != p + 1;
            wp_autop_run(ap, run, (size_t)(p - run), wp_autop_paras(ap));
            /* a line for each block: opened on one, closed at one's end */
            if (!closing && ap->out->len && ap->out->data[ap->out->len - 1] != '\n')
                buf_putc(ap->out, '\n');
            buf_append(ap->out, p, (size_t)(stop - p));
            if (closing || raw)
                buf_putc(ap->out, '\n');
            bool void_tag = raw || (tag_end - p >= 2 && tag_end[-2] == '/') ||
                            (len == 2 && strncasecmp(name, "hr", 2) == 0);
            wp_autop_block(ap, name, len, closing, void_tag);
            run = stop;
        }
        p = stop; /* a raw inline element (script) stays in its run */
    }
    wp_autop_run(ap, run, (size_t)(end - run), wp_autop_paras(ap));
}

/* The block-editor marker at s ("<!-- wp:x {...} -->", "<!-- /wp:x -->",
 * "<!-- wp:x /-->"): its end, and *depth changed; NULL if s is not one. */
static const char *wp_block_marker(const char *s, const char *end, int *depth)
{
    if (end - s < 4 || memcmp(s, "<!--", 4) != 0)
        return NULL;
    const char *p = s + 4;
    while (p < end && wp_space(*p))
        p++;
    bool closing = p < end && *p == '/';
    p += closing;
    if (end - p < 3 || memcmp(p, "wp:", 3) != 0)
        return NULL;
    const char *e = wp_tag_end(s, end);
    bool self_closing = e - s >= 4 && e[-4] == '/';
    if (closing)
        *depth -= *depth > 0;
    else if (!self_closing)
        (*depth)++;
    return e;
}

/* A stretch between markers: paragraphs outside every block, a block's own
 * markup as it is. */
static void wp_segment(wp_autop *ap, const char *s, size_t n, int depth)
{
    if (depth == 0)
        wp_autop_text(ap, s, n);
    else
        buf_append(ap->out, s, n);
}

static void wp_blocks(buf_t *out, const char *s, size_t n)
{
    wp_autop ap = {.out = out};
    const char *end = s + n, *seg = s, *p = s;
    int depth = 0;
    while ((p = memchr(p, '<', (size_t)(end - p)))) {
        int before = depth;
        const char *e = wp_block_marker(p, end, &depth);
        if (!e) {
            p++;
            continue;
        }
        wp_segment(&ap, seg, (size_t)(p - seg), before);
        seg = p = e;
    }
    wp_segment(&ap, seg, (size_t)(end - seg), depth);
}

/* --- the two passes -------------------------------------------------------- */

static void wp_first_pass(arena_t *a, const char *content, size_t n, buf_t *out, wp_pass *p)
{
    size_t len;
    const char *s = wp_normalise(a, content ? content : "", content ? n : 0, &len);
    *p = (wp_pass){.a = a, .s = s, .n = len, .out = out};
    buf_init(out, a);
    buf_reserve(out, len + 64);
    wp_pass_run(p);
}

char *wp_content_html(arena_t *a, const char *content, size_t n)
{
    buf_t pass1, out;
    wp_pass p;
    wp_first_pass(a, content, n, &pass1, &p);
    buf_init(&out, a);
    buf_reserve(&out, pass1.len + pass1.len / 8 + 16);
    wp_blocks(&out, buf_cstr(&pass1), pass1.len);
    return (char *)buf_cstr(&out);
}

const char *wp_content_video(arena_t *a, const char *content, size_t n)
{
    buf_t pass1;
    wp_pass p;
    wp_first_pass(a, content, n, &pass1, &p);
    if (!p.video)
        return NULL;
    /* the address as a reader's browser would read it */
    buf_t url;
    buf_init(&url, a);
    for (size_t i = 0; i < p.video_len; i++) {
        bool amp = p.video_len - i >= 5 && memcmp(p.video + i, "&amp;", 5) == 0;
        buf_putc(&url, p.video[i]);
        i += amp ? 4 : 0;
    }
    return buf_cstr(&url);
}
