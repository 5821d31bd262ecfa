/*
 * html.c - HTML from another site made as safe as a body written here.
 * libxml2's HTML parser recovers the markup the way a browser would
 * (unclosed and misnested tags, entities, stray end tags), and the tree is
 * then written out again through the allowlist (render/allow.h): only its
 * elements, spelled by it, with its attributes after their checks, and
 * every text escaped. Nothing of the source's markup is ever copied.
 *
 * The tree is walked without recursion (libxml2 allows 256 levels; more
 * than HTML_MAX_OPEN elements open at once are written as their content),
 * and what the source leaves loose at the top (text, inline elements) is
 * gathered into paragraphs, so the result is blocks, one a line.
 */
#include "render/html.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "render/allow.h"

#define HTML_MAX_INPUT (8u << 20)
#define HTML_MAX_OPEN 64

/* An element written and not yet closed. */
struct html_frame {
    const xmlNode *node;   /* NULL: a paragraph around loose content */
    const allow_elem *e;
    size_t start, mark;    /* output length before its start tag, after it */
    bool after_inline;     /* text or an inline tag was written just before it */
};

struct html_ctx {
    arena_t *a;
    buf_t *out;
    struct html_frame open[HTML_MAX_OPEN];
    int nopen;
    int keep_space;        /* open elements that keep whitespace (pre) */
    size_t inline_end;     /* output length after the last text or inline tag */
};

static const allow_elem *html_parent(const struct html_ctx *c)
{
    return c->nopen ? c->open[c->nopen - 1].e : NULL;
}

static bool html_is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

/* Whether out[from..] shows nothing: whitespace, no-break spaces and line
 * breaks only (WordPress's spacer paragraphs, "<p>&nbsp;</p>"). */
static bool html_shows_nothing(const buf_t *out, size_t from)
{
    const char *p = out->data ? out->data + from : "", *end = out->data ? out->data + out->len : p;
    while (p < end) {
        if (html_is_space(*p))
            p++;
        else if (end - p >= 2 && memcmp(p, "\xC2\xA0", 2) == 0)
            p += 2;
        else if (end - p >= 4 && memcmp(p, "<br>", 4) == 0)
            p += 4;
        else
            return false;
    }
    return true;
}

static void html_push(struct html_ctx *c, const xmlNode *node, const allow_elem *e, size_t start)
{
    c->open[c->nopen++] = (struct html_frame){node, e, start, c->out->len, c->inline_end == start};
    c->keep_space += (e->flags & ALLOW_KEEP_SPACE) != 0;
}

/* Whether e holds lines rather than words: whitespace at its edges is
 * the source's layout (not so around em, a, code...). */
static bool html_is_container(const allow_elem *e)
{
    return (e->flags & (ALLOW_BLOCK | ALLOW_FLOW | ALLOW_STRUCT)) || e->parents;
}

/* Drop the whitespace that ends the output, back to from at most, when
 * text or an inline tag was the last thing written: layout of the source
 * before the end of a container or the start of a block. */
static void html_trim(struct html_ctx *c, size_t from)
{
    if (c->inline_end != c->out->len)
        return;
    while (c->out->len > from && html_is_space(c->out->data[c->out->len - 1]))
        c->out->len--;
    c->out->data[c->out->len] = '\0';
    c->inline_end = c->out->len;
}

static void html_pop(struct html_ctx *c)
{
    struct html_frame *f = &c->open[--c->nopen];
    c->keep_space -= (f->e->flags & ALLOW_KEEP_SPACE) != 0;
    if ((f->e->flags & ALLOW_DROP_EMPTY) && html_shows_nothing(c->out, f->mark)) {
        c->out->len = f->start; /* as if never opened */
        c->out->data[f->start] = '\0';
        if (f->after_inline)
            c->inline_end = f->start;
        return;
    }
    bool container = html_is_container(f->e);
    if (container && !(f->e->flags & ALLOW_KEEP_SPACE))
        html_trim(c, f->mark);
    allow_close(c->out, f->e);
    if (!container)
        c->inline_end = c->out->len;
}

/* Open a paragraph for loose content at the top. */
static void html_para_open(struct html_ctx *c)
{
    size_t start = c->out->len;
    allow_open(c->out, &allow_elems[ALLOW_P]);
    html_push(c, NULL, &allow_elems[ALLOW_P], start);
}

/* Close the paragraph of loose content, if one is open. */
static void html_para_end(struct html_ctx *c)
{
    if (c->nopen == 1 && c->open[0].node == NULL)
        html_pop(c);
}

/* Whether whitespace only is layout of the source rather than a space
 * between words: after anything but text or an inline tag (a block's
 * start or end, a container's start), or where only elements belong. */
static bool html_layout_space(const struct html_ctx *c)
{
    const allow_elem *p = html_parent(c);
    if (c->keep_space)
        return false;
    return !p || (p->flags & ALLOW_STRUCT) || c->out->len != c->inline_end;
}

static void html_text(struct html_ctx *c, const char *s)
{
    if (!s || !*s)
        return;
    if (s[strspn(s, " \t\n\r\f")] == '\0' && html_layout_space(c))
        return;
    if (!html_parent(c))
        html_para_open(c);
    /* layout at the start of a container or of a line */
    const struct html_frame *top = &c->open[c->nopen - 1];
    if (!c->keep_space &&
        ((html_is_container(top->e) && top->mark == c->out->len) || c->out->data[c->out->len - 1] == '\n'))
        s += strspn(s, " \t\n\r\f");
    buf_html_escape(c->out, s, strlen(s));
    c->inline_end = c->out->len;
}

/* --- attributes ------------------------------------------------------- */

/* The value of n's attribute name, on the arena; NULL if it has none. */
static const char *html_attr(struct html_ctx *c, const xmlNode *n, const char *name)
{
    for (const xmlAttr *at = n->properties; at; at = at->next) {
        if (!at->name || strcasecmp((const char *)at->name, name) != 0)
            continue;
        xmlChar *v = xmlNodeGetContent((const xmlNode *)at);
        char *copy = arena_strdup(c->a, v ? (const char *)v : "");
        xmlFree(v);
        return copy;
    }
    return NULL;
}

/* A URL as a browser reads the attribute: spaces and controls around it
 * dropped; spaces inside it encoded (a file name with a space), so that
 * only the check of allow_url_classify decides. NULL if it is refused. */
static const char *html_url(struct html_ctx *c, const char *v, bool mailto, allow_url *kind)
{
    if (!v)
        return NULL;
    while (*v && (unsigned char)*v <= ' ')
        v++;
    size_t n = strlen(v);
    while (n > 0 && (unsigned char)v[n - 1] <= ' ')
        n--;
    buf_t b;
    buf_init(&b, c->a);
    for (size_t i = 0; i < n; i++) {
        if (v[i] == ' ')
            buf_puts(&b, "%20");
        else
            buf_putc(&b, v[i]);
    }
    const char *url = buf_cstr(&b);
    *kind = allow_url_classify(url, mailto);
    return *kind == ALLOW_URL_BAD ? NULL : url;
}

static bool html_number(const char *v, int max)
{
    size_t n = v ? strspn(v, "0123456789") : 0;
    return n > 0 && n <= (size_t)max && v[n] == '\0';
}

/* Write e's start tag for n with the attributes it may keep. False (and
 * nothing written) if a URL it needs is missing or refused. */
static bool html_start_tag(struct html_ctx *c, const xmlNode *n, const allow_elem *e)
{
    size_t start = c->out->len;
    allow_start(c->out, e);
    for (const allow_attr *at = e->attrs; at && at->name; at++) {
        const char *v = html_attr(c, n, at->name), *url;
        allow_url kind;
        switch (at->kind) {
        case ALLOW_ATTR_LINK:
        case ALLOW_ATTR_SRC:
            if (!(url = html_url(c, v, at->kind == ALLOW_ATTR_LINK, &kind))) {
                c->out->len = start;
                c->out->data[start] = '\0';
                return false;
            }
            if (at->kind == ALLOW_ATTR_LINK)
                allow_link_attrs(c->out, url, kind);
            else
                allow_attr_put(c->out, at->name, url);
            break;
        case ALLOW_ATTR_TEXT:
            allow_attr_put(c->out, at->name, v);
            break;
        case ALLOW_ATTR_NUMBER:
            if (html_number(v, at->max))
                allow_attr_put(c->out, at->name, v);
            break;
        }
    }
    allow_start_end(c->out, e);
    return true;
}

/* --- elements --------------------------------------------------------- */

static bool html_in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(list, name); p; p = strstr(p + 1, name))
        if (p > list && p[-1] == ' ' && p[n] == ' ')
            return true;
    return false;
}

static bool html_link_open(const struct html_ctx *c)
{
    for (int i = 0; i < c->nopen; i++)
        if (c->open[i].e == &allow_elems[ALLOW_A])
            return true;
    return false;
}

/* Whether e may be written where the output now is; a block at the top
 * ends the paragraph of loose content first, an inline element there
 * starts one. */
static bool html_fits(struct html_ctx *c, const allow_elem *e)
{
    const allow_elem *p = html_parent(c);
    if (e->parents)
        return p && html_in_list(e->parents, p->out);
    if (e->flags & ALLOW_BLOCK) {
        html_para_end(c);
        p = html_parent(c);
        return !p || (p->flags & ALLOW_FLOW);
    }
    if (e == &allow_elems[ALLOW_A] && html_link_open(c))
        return false; /* links do not nest */
    if (!p)
        html_para_open(c);
    return true;
}

/* Enter element n; false if its content is not to be walked. */
static bool html_element(struct html_ctx *c, const xmlNode *n)
{
    const char *name = n->name ? (const char *)n->name : "";
    const allow_elem *e = allow_elem_find(name, strlen(name));
    if (e && (e->flags & ALLOW_DROP))
        return false;
    if (e && (e->flags & ALLOW_BREAK))
        html_para_end(c);
    if (!e || !e->out || c->nopen == HTML_MAX_OPEN || !html_fits(c, e))
        return true; /* its content stands in for it */
    bool container = html_is_container(e);
    if (container && !c->keep_space)
        html_trim(c, 0);
    size_t start = c->out->len;
    if (!html_start_tag(c, n, e)) {
        if (e == &allow_elems[ALLOW_IMG])
            html_text(c, html_attr(c, n, "alt"));
        return true;
    }
    if (!(e->flags & ALLOW_VOID))
        html_push(c, n, e, start);
    if (!container)
        c->inline_end = c->out->len;
    return true;
}

static bool html_enter(struct html_ctx *c, const xmlNode *n)
{
    if (n->type == XML_TEXT_NODE) {
        html_text(c, (const char *)n->content);
        return false;
    }
    /* comments, processing instructions, script text (CDATA), doctypes */
    return n->type == XML_ELEMENT_NODE && html_element(c, n);
}

static void html_leave(struct html_ctx *c, const xmlNode *n)
{
    if (c->nopen && c->open[c->nopen - 1].node == n) {
        html_pop(c);
    } else if (n->type == XML_ELEMENT_NODE && n->name) {
        const allow_elem *e = allow_elem_find((const char *)n->name, strlen((const char *)n->name));
        if (e && (e->flags & ALLOW_BREAK))
            html_para_end(c);
    }
}

static bool html_is_doc(const xmlNode *n)
{
    return !n || n->type == XML_HTML_DOCUMENT_NODE || n->type == XML_DOCUMENT_NODE;
}

/* Depth first through the document, parents left by their pointers. */
static void html_walk(struct html_ctx *c, htmlDocPtr doc)
{
    xmlNode *n = doc->children;
    while (n) {
        if (html_enter(c, n) && n->children) {
            n = n->children;
            continue;
        }
        for (;;) {
            html_leave(c, n);
            if (n->next) {
                n = n->next;
                break;
            }
            n = html_is_doc(n->parent) ? NULL : n->parent;
            if (!n)
                break;
        }
    }
    while (c->nopen)
        html_pop(c);
}

static pthread_once_t html_once = PTHREAD_ONCE_INIT;

/* libxml2 sets up its global tables on first use, which is not safe from
 * several threads at once. */
static void html_init(void)
{
    xmlInitParser();
}

static bool html_control(char ch)
{
    return ((unsigned char)ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f;
}

/* html without control characters other than \t \n \r, on a: the
 * parser stops at a NUL and drops the others, which an output that is
 * read again must not hold either. */
static const char *html_without_controls(arena_t *a, const char *html, size_t *n)
{
    size_t i = 0;
    while (i < *n && !html_control(html[i]))
        i++;
    if (i == *n)
        return html;
    char *copy = arena_alloc(a, *n + 1);
    size_t m = 0;
    for (i = 0; i < *n; i++)
        if (!html_control(html[i]))
            copy[m++] = html[i];
    *n = m;
    return copy;
}

int html_sanitize(arena_t *a, const char *html, size_t n, char **out)
{
    if (n > HTML_MAX_INPUT)
        return NS_ETOOBIG;
    if (n && (!html || !text_wellformed_utf8(html, n)))
        return NS_EINVAL;
    buf_t b;
    buf_init(&b, a);
    buf_reserve(&b, n + 16);
    html = n ? html_without_controls(a, html, &n) : "";
    htmlDocPtr doc = NULL;
    if (n) {
        pthread_once(&html_once, html_init);
        /* the encoding is UTF-8, whatever a <meta> in the body says */
        doc = htmlReadMemory(html, (int)n, NULL, "UTF-8",
                             HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_NODEFDTD | HTML_PARSE_COMPACT);
    }
    if (doc) {
        struct html_ctx c = {.a = a, .out = &b};
        html_walk(&c, doc);
        xmlFreeDoc(doc);
    }
    *out = (char *)buf_cstr(&b);
    return NS_OK;
}
