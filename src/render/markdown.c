/*
 * markdown.c - article bodies from CommonMark to HTML that is safe to inline
 * in a page. Rather than render with cmark and then clean the HTML (which
 * means parsing HTML, the thing attackers are best at confusing), the cmark
 * syntax tree is walked here and only allowlisted elements are ever written:
 * every tag and attribute in the output is spelled by this file, every piece
 * of text goes through buf_html_escape, and every URL passes a scheme
 * allowlist. Raw HTML blocks are dropped; inline raw tags survive only as
 * bare allowlisted formatting tags (em, strong, code, br), kept balanced.
 */
#include "render/markdown.h"

#include <cmark.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

#define MD_MAX_INPUT (8u << 20)
#define MD_MAX_RAW_OPEN 16

struct md_raw_open {
    const char *tag;
    cmark_node *parent; /* the node the tag was opened in */
};

struct md_ctx {
    buf_t *out;
    cmark_iter *iter;
    struct md_raw_open raw[MD_MAX_RAW_OPEN];
    int nraw;
};

typedef void (*md_emit_fn)(struct md_ctx *c, cmark_node *node, bool entering);

static void md_text(struct md_ctx *c, const char *s)
{
    if (s)
        buf_html_escape(c->out, s, strlen(s));
}

/* --- URLs ------------------------------------------------------------- */

enum md_url { MD_URL_BAD, MD_URL_RELATIVE, MD_URL_MAILTO, MD_URL_ABSOLUTE };

static enum md_url md_classify_url(const char *url, bool allow_mailto)
{
    if (!url)
        return MD_URL_BAD;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '\\')
            return MD_URL_BAD; /* browsers strip or reinterpret these */
    if (text_url_is_http(url))
        return MD_URL_ABSOLUTE;
    size_t scheme = strcspn(url, ":/?#");
    if (url[scheme] != ':')
        return strncmp(url, "//", 2) == 0 ? MD_URL_ABSOLUTE : MD_URL_RELATIVE;
    if (allow_mailto && scheme == 6 && strncasecmp(url, "mailto", 6) == 0)
        return MD_URL_MAILTO;
    return MD_URL_BAD;
}

/* --- inline raw HTML: bare allowlisted tags only --------------------- */

/* Canonical name of an allowlisted inline tag (b/i map to strong/em). */
static const char *md_raw_tag_name(const char *name, size_t len)
{
    static const struct { const char *in, *out; } tags[] = {
        {"em", "em"}, {"i", "em"}, {"strong", "strong"}, {"b", "strong"},
        {"code", "code"}, {"br", "br"},
    };
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strlen(tags[i].in) == len && strncasecmp(tags[i].in, name, len) == 0)
            return tags[i].out;
    return NULL;
}

static void md_raw_close_top(struct md_ctx *c)
{
    c->nraw--;
    buf_printf(c->out, "</%s>", c->raw[c->nraw].tag);
}

static void md_emit_html_inline(struct md_ctx *c, cmark_node *node, bool entering)
{
    (void)entering;
    const char *lit = cmark_node_get_literal(node);
    if (!lit || lit[0] != '<')
        return;
    bool closing = lit[1] == '/';
    const char *name = lit + 1 + closing;
    size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    const char *tag = md_raw_tag_name(name, len);
    cmark_node *parent = cmark_node_parent(node);
    if (!tag)
        return;
    if (strcmp(tag, "br") == 0) {
        buf_puts(c->out, "<br>");
    } else if (closing) {
        if (c->nraw > 0 && c->raw[c->nraw - 1].parent == parent &&
            strcmp(c->raw[c->nraw - 1].tag, tag) == 0)
            md_raw_close_top(c);
    } else if (c->nraw < MD_MAX_RAW_OPEN) {
        c->raw[c->nraw].tag = tag;
        c->raw[c->nraw].parent = parent;
        c->nraw++;
        buf_printf(c->out, "<%s>", tag);
    }
}

/* Close raw tags left open inside a container that is ending. */
static void md_close_raw_in(struct md_ctx *c, cmark_node *node)
{
    while (c->nraw > 0 && c->raw[c->nraw - 1].parent == node)
        md_raw_close_top(c);
}

/* --- blocks ----------------------------------------------------------- */

static bool md_in_tight_list(cmark_node *para)
{
    cmark_node *item = cmark_node_parent(para);
    cmark_node *list = item ? cmark_node_parent(item) : NULL;
    return list && cmark_node_get_type(list) == CMARK_NODE_LIST && cmark_node_get_list_tight(list);
}

static void md_emit_paragraph(struct md_ctx *c, cmark_node *node, bool entering)
{
    if (md_in_tight_list(node))
        return;
    buf_puts(c->out, entering ? "<p>" : "</p>\n");
}

static void md_emit_heading(struct md_ctx *c, cmark_node *node, bool entering)
{
    int level = cmark_node_get_heading_level(node);
    level = level < 2 ? 2 : level > 4 ? 4 : level;
    buf_printf(c->out, entering ? "<h%d>" : "</h%d>\n", level);
}

static void md_emit_list(struct md_ctx *c, cmark_node *node, bool entering)
{
    bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
    int start = cmark_node_get_list_start(node);
    if (!entering)
        buf_puts(c->out, ordered ? "</ol>\n" : "</ul>\n");
    else if (ordered && start != 1)
        buf_printf(c->out, "<ol start=\"%d\">\n", start);
    else
        buf_puts(c->out, ordered ? "<ol>\n" : "<ul>\n");
}

static void md_emit_code_block(struct md_ctx *c, cmark_node *node, bool entering)
{
    (void)entering;
    buf_puts(c->out, "<pre><code>");
    md_text(c, cmark_node_get_literal(node));
    buf_puts(c->out, "</code></pre>\n");
}

/* --- inlines ---------------------------------------------------------- */

static void md_emit_text(struct md_ctx *c, cmark_node *node, bool entering)
{
    (void)entering;
    md_text(c, cmark_node_get_literal(node));
}

static void md_emit_code(struct md_ctx *c, cmark_node *node, bool entering)
{
    (void)entering;
    buf_puts(c->out, "<code>");
    md_text(c, cmark_node_get_literal(node));
    buf_puts(c->out, "</code>");
}

static void md_emit_link(struct md_ctx *c, cmark_node *node, bool entering)
{
    const char *url = cmark_node_get_url(node);
    enum md_url kind = md_classify_url(url, true);
    if (kind == MD_URL_BAD)
        return; /* the link text stays, as plain text */
    if (!entering) {
        buf_puts(c->out, "</a>");
        return;
    }
    buf_puts(c->out, "<a href=\"");
    md_text(c, url);
    buf_puts(c->out, kind == MD_URL_ABSOLUTE ? "\" rel=\"nofollow noopener\">" : "\">");
}

/* Plain text of the descendants of node (an image's alt text). */
static void md_plain_text(buf_t *b, cmark_node *node)
{
    cmark_iter *it = cmark_iter_new(node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            buf_puts(b, cmark_node_get_literal(n));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            buf_putc(b, ' ');
    }
    cmark_iter_free(it);
}

static void md_emit_image(struct md_ctx *c, cmark_node *node, bool entering)
{
    if (!entering)
        return;
    buf_t alt;
    buf_init(&alt, NULL);
    md_plain_text(&alt, node);
    const char *src = cmark_node_get_url(node);
    if (md_classify_url(src, false) == MD_URL_BAD) {
        buf_html_escape(c->out, alt.data ? alt.data : "", alt.len);
    } else {
        buf_puts(c->out, "<img src=\"");
        md_text(c, src);
        buf_puts(c->out, "\" alt=\"");
        buf_html_escape(c->out, alt.data ? alt.data : "", alt.len);
        buf_puts(c->out, "\" loading=\"lazy\">");
    }
    buf_release(&alt);
    cmark_iter_reset(c->iter, node, CMARK_EVENT_EXIT); /* children done */
}

/* --- dispatch --------------------------------------------------------- */

/* Elements whose tags are fixed strings. */
static const struct md_fixed {
    const char *open, *close;
} md_fixed[] = {
    [CMARK_NODE_BLOCK_QUOTE] = {"<blockquote>\n", "</blockquote>\n"},
    [CMARK_NODE_ITEM] = {"<li>", "</li>\n"},
    [CMARK_NODE_THEMATIC_BREAK] = {"<hr>\n", NULL},
    [CMARK_NODE_SOFTBREAK] = {"\n", NULL},
    [CMARK_NODE_LINEBREAK] = {"<br>\n", NULL},
    [CMARK_NODE_EMPH] = {"<em>", "</em>"},
    [CMARK_NODE_STRONG] = {"<strong>", "</strong>"},
};

static const md_emit_fn md_emitters[] = {
    [CMARK_NODE_LIST] = md_emit_list,
    [CMARK_NODE_CODE_BLOCK] = md_emit_code_block,
    [CMARK_NODE_PARAGRAPH] = md_emit_paragraph,
    [CMARK_NODE_HEADING] = md_emit_heading,
    [CMARK_NODE_TEXT] = md_emit_text,
    [CMARK_NODE_CODE] = md_emit_code,
    [CMARK_NODE_HTML_INLINE] = md_emit_html_inline,
    [CMARK_NODE_LINK] = md_emit_link,
    [CMARK_NODE_IMAGE] = md_emit_image,
    /* DOCUMENT, HTML_BLOCK and the CUSTOM nodes emit nothing themselves. */
};

static void md_emit(struct md_ctx *c, cmark_node *node, bool entering)
{
    size_t t = (size_t)cmark_node_get_type(node);
    if (!entering)
        md_close_raw_in(c, node);
    if (t < sizeof md_emitters / sizeof md_emitters[0] && md_emitters[t]) {
        md_emitters[t](c, node, entering);
    } else if (t < sizeof md_fixed / sizeof md_fixed[0] && md_fixed[t].open) {
        buf_puts(c->out, entering ? md_fixed[t].open : md_fixed[t].close);
    }
}

int markdown_render(arena_t *a, const char *md, size_t n, char **out)
{
    if (n > MD_MAX_INPUT)
        return NS_ETOOBIG;
    /* well-formed is enough: cmark copes with controls */
    if (n && (!md || !text_wellformed_utf8(md, n)))
        return NS_EINVAL;
    cmark_node *doc = cmark_parse_document(n ? md : "", n, CMARK_OPT_DEFAULT);
    buf_t b;
    buf_init(&b, a);
    buf_reserve(&b, n + n / 4);
    struct md_ctx c = {.out = &b, .iter = cmark_iter_new(doc)};
    cmark_event_type ev;
    while ((ev = cmark_iter_next(c.iter)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(c.iter);
        md_emit(&c, node, ev == CMARK_EVENT_ENTER);
    }
    cmark_iter_free(c.iter);
    cmark_node_free(doc);
    *out = (char *)buf_cstr(&b);
    return NS_OK;
}
