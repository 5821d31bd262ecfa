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

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "render/allow.h"

#define MD_MAX_INPUT (8u << 20)
#define MD_MAX_RAW_OPEN 16

struct md_raw_open {
    const allow_elem *tag;
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

/* --- inline raw HTML: bare allowlisted tags only --------------------- */

/* The allowlist's entry of a tag kept from raw HTML (b/i are written
 * strong/em), or NULL. */
static const allow_elem *md_raw_tag(const char *name, size_t len)
{
    const allow_elem *e = len ? allow_elem_find(name, len) : NULL;
    return e && (e->flags & ALLOW_RAW) ? e : NULL;
}

static void md_raw_close_top(struct md_ctx *c)
{
    c->nraw--;
    allow_close(c->out, c->raw[c->nraw].tag);
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
    const allow_elem *tag = md_raw_tag(name, len);
    cmark_node *parent = cmark_node_parent(node);
    if (!tag)
        return;
    if (tag->flags & ALLOW_VOID) {
        allow_open(c->out, tag);
    } else if (closing) {
        if (c->nraw > 0 && c->raw[c->nraw - 1].parent == parent &&
            strcmp(c->raw[c->nraw - 1].tag->out, tag->out) == 0)
            md_raw_close_top(c);
    } else if (c->nraw < MD_MAX_RAW_OPEN) {
        c->raw[c->nraw].tag = tag;
        c->raw[c->nraw].parent = parent;
        c->nraw++;
        allow_open(c->out, tag);
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

/* Open or close e as the walk enters or leaves its node. */
static void md_elem(struct md_ctx *c, const allow_elem *e, bool entering)
{
    if (entering)
        allow_open(c->out, e);
    else
        allow_close(c->out, e);
}

static void md_emit_paragraph(struct md_ctx *c, cmark_node *node, bool entering)
{
    if (!md_in_tight_list(node))
        md_elem(c, &allow_elems[ALLOW_P], entering);
}

static void md_emit_heading(struct md_ctx *c, cmark_node *node, bool entering)
{
    md_elem(c, allow_heading(cmark_node_get_heading_level(node)), entering);
}

static void md_emit_list(struct md_ctx *c, cmark_node *node, bool entering)
{
    bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
    int start = cmark_node_get_list_start(node);
    const allow_elem *e = &allow_elems[ordered ? ALLOW_OL : ALLOW_UL];
    if (!entering || !ordered || start == 1) {
        md_elem(c, e, entering);
        return;
    }
    allow_start(c->out, e);
    buf_printf(c->out, " start=\"%d\"", start);
    allow_start_end(c->out, e);
}

/* Literal text inside the elements of path (outermost first). */
static void md_literal_in(struct md_ctx *c, cmark_node *node, const int *path, size_t n)
{
    for (size_t i = 0; i < n; i++)
        allow_open(c->out, &allow_elems[path[i]]);
    md_text(c, cmark_node_get_literal(node));
    for (size_t i = n; i-- > 0;)
        allow_close(c->out, &allow_elems[path[i]]);
}

static void md_emit_code_block(struct md_ctx *c, cmark_node *node, bool entering)
{
    (void)entering;
    static const int path[] = {ALLOW_PRE, ALLOW_CODE};
    md_literal_in(c, node, path, 2);
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
    static const int path[] = {ALLOW_CODE};
    md_literal_in(c, node, path, 1);
}

static void md_emit_link(struct md_ctx *c, cmark_node *node, bool entering)
{
    const char *url = cmark_node_get_url(node);
    allow_url kind = allow_url_classify(url, true);
    const allow_elem *a = &allow_elems[ALLOW_A];
    if (kind == ALLOW_URL_BAD)
        return; /* the link text stays, as plain text */
    if (!entering) {
        allow_close(c->out, a);
        return;
    }
    allow_start(c->out, a);
    allow_link_attrs(c->out, url, kind);
    allow_start_end(c->out, a);
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
    const allow_elem *img = &allow_elems[ALLOW_IMG];
    if (allow_url_classify(src, false) == ALLOW_URL_BAD) {
        buf_html_escape(c->out, alt.data ? alt.data : "", alt.len);
    } else {
        allow_start(c->out, img);
        allow_attr_put(c->out, "src", src);
        allow_attr_put(c->out, "alt", alt.data);
        allow_start_end(c->out, img);
    }
    buf_release(&alt);
    cmark_iter_reset(c->iter, node, CMARK_EVENT_EXIT); /* children done */
}

/* --- dispatch --------------------------------------------------------- */

static void md_emit_softbreak(struct md_ctx *c, cmark_node *node, bool entering)
{
    (void)node, (void)entering;
    buf_putc(c->out, '\n');
}

static void md_emit_linebreak(struct md_ctx *c, cmark_node *node, bool entering)
{
    (void)node, (void)entering;
    allow_open(c->out, &allow_elems[ALLOW_BR]);
    buf_putc(c->out, '\n');
}

/* Nodes that are one allowlisted element without attributes: its index in
 * allow_elems, plus one (0: none). */
static const int md_plain[] = {
    [CMARK_NODE_BLOCK_QUOTE] = ALLOW_BLOCKQUOTE + 1,
    [CMARK_NODE_ITEM] = ALLOW_LI + 1,
    [CMARK_NODE_THEMATIC_BREAK] = ALLOW_HR + 1,
    [CMARK_NODE_EMPH] = ALLOW_EM + 1,
    [CMARK_NODE_STRONG] = ALLOW_STRONG + 1,
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
    [CMARK_NODE_SOFTBREAK] = md_emit_softbreak,
    [CMARK_NODE_LINEBREAK] = md_emit_linebreak,
    /* DOCUMENT, HTML_BLOCK and the CUSTOM nodes emit nothing themselves. */
};

static void md_emit(struct md_ctx *c, cmark_node *node, bool entering)
{
    size_t t = (size_t)cmark_node_get_type(node);
    if (!entering)
        md_close_raw_in(c, node);
    if (t < sizeof md_emitters / sizeof md_emitters[0] && md_emitters[t]) {
        md_emitters[t](c, node, entering);
    } else if (t < sizeof md_plain / sizeof md_plain[0] && md_plain[t]) {
        md_elem(c, &allow_elems[md_plain[t] - 1], entering);
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
