/*
 * allow.c - the allowlist of article bodies as data, and the few writers
 * that spell its tags. Headings keep the page's own h1 for the title (h1 is
 * written h2) and stop at h4 (h5, h6 are written h4); b and i are written
 * as strong and em. Elements that run script, load other documents or take
 * input are dropped with their content; layout wrappers (div, section...)
 * give way to their content but still end a paragraph.
 */
#include "render/allow.h"

#include <string.h>
#include <strings.h>

#include "core/text.h"

static const allow_attr allow_a_attrs[] = {{"href", ALLOW_ATTR_LINK, 0}, {NULL, 0, 0}};
static const allow_attr allow_img_attrs[] = {
    {"src", ALLOW_ATTR_SRC, 0}, {"alt", ALLOW_ATTR_TEXT, 0},
    {"width", ALLOW_ATTR_NUMBER, 5}, {"height", ALLOW_ATTR_NUMBER, 5}, {NULL, 0, 0},
};
static const allow_attr allow_ol_attrs[] = {{"start", ALLOW_ATTR_NUMBER, 9}, {NULL, 0, 0}};
static const allow_attr allow_cell_attrs[] = {
    {"colspan", ALLOW_ATTR_NUMBER, 3}, {"rowspan", ALLOW_ATTR_NUMBER, 3}, {NULL, 0, 0},
};

#define MD ALLOW_MARKDOWN
#define PARA (ALLOW_BLOCK | ALLOW_NL_CLOSE | ALLOW_DROP_EMPTY | MD)
#define LIST (ALLOW_BLOCK | ALLOW_NL_OPEN | ALLOW_NL_CLOSE | ALLOW_STRUCT | MD)
#define PHRASE (ALLOW_RAW | ALLOW_DROP_EMPTY | MD)
#define TSECTION (ALLOW_NL_OPEN | ALLOW_NL_CLOSE | ALLOW_STRUCT)
#define DROP(n) {n, NULL, ALLOW_DROP, NULL, NULL, NULL}
#define BREAK(n) {n, NULL, ALLOW_BREAK, NULL, NULL, NULL}

const allow_elem allow_elems[] = {
    [ALLOW_P] = {"p", "p", PARA, NULL, NULL, NULL},
    [ALLOW_H1] = {"h1", "h2", PARA, NULL, NULL, NULL},
    [ALLOW_H2] = {"h2", "h2", PARA, NULL, NULL, NULL},
    [ALLOW_H3] = {"h3", "h3", PARA, NULL, NULL, NULL},
    [ALLOW_H4] = {"h4", "h4", PARA, NULL, NULL, NULL},
    [ALLOW_H5] = {"h5", "h4", PARA, NULL, NULL, NULL},
    [ALLOW_H6] = {"h6", "h4", PARA, NULL, NULL, NULL},
    [ALLOW_UL] = {"ul", "ul", LIST, NULL, NULL, NULL},
    [ALLOW_OL] = {"ol", "ol", LIST, NULL, allow_ol_attrs, NULL},
    [ALLOW_LI] = {"li", "li", ALLOW_FLOW | ALLOW_NL_CLOSE | MD, " ul ol ", NULL, NULL},
    [ALLOW_BLOCKQUOTE] = {"blockquote", "blockquote",
                          ALLOW_BLOCK | ALLOW_FLOW | ALLOW_NL_OPEN | ALLOW_NL_CLOSE | MD, NULL, NULL, NULL},
    [ALLOW_PRE] = {"pre", "pre", ALLOW_BLOCK | ALLOW_NL_CLOSE | ALLOW_KEEP_SPACE | MD, NULL, NULL, NULL},
    [ALLOW_CODE] = {"code", "code", PHRASE, NULL, NULL, NULL},
    [ALLOW_HR] = {"hr", "hr", ALLOW_BLOCK | ALLOW_VOID | ALLOW_NL_CLOSE | MD, NULL, NULL, NULL},
    [ALLOW_BR] = {"br", "br", ALLOW_VOID | ALLOW_RAW | MD, NULL, NULL, NULL},
    [ALLOW_EM] = {"em", "em", PHRASE, NULL, NULL, NULL},
    [ALLOW_STRONG] = {"strong", "strong", PHRASE, NULL, NULL, NULL},
    [ALLOW_A] = {"a", "a", ALLOW_DROP_EMPTY | MD, NULL, allow_a_attrs, NULL},
    [ALLOW_IMG] = {"img", "img", ALLOW_VOID | MD, NULL, allow_img_attrs, " loading=\"lazy\""},
    {"i", "em", PHRASE, NULL, NULL, NULL},
    {"b", "strong", PHRASE, NULL, NULL, NULL},
    /* what only imported HTML brings */
    {"figure", "figure", ALLOW_BLOCK | ALLOW_FLOW | ALLOW_NL_CLOSE, NULL, NULL, NULL},
    {"figcaption", "figcaption", ALLOW_DROP_EMPTY, " figure ", NULL, NULL},
    {"table", "table", ALLOW_BLOCK | TSECTION, NULL, NULL, NULL},
    {"thead", "thead", TSECTION, " table ", NULL, NULL},
    {"tbody", "tbody", TSECTION, " table ", NULL, NULL},
    {"tr", "tr", ALLOW_NL_CLOSE | ALLOW_STRUCT, " table thead tbody ", NULL, NULL},
    {"th", "th", ALLOW_FLOW, " tr ", allow_cell_attrs, NULL},
    {"td", "td", ALLOW_FLOW, " tr ", allow_cell_attrs, NULL},
    /* script, other documents, plugins, forms, the document's head. Void
     * elements (embed, input, meta...) have no content to drop and are
     * left to the default: a parser that does not know one of them as void
     * hangs what follows it below it, which must not go with it. */
    DROP("script"), DROP("style"), DROP("iframe"), DROP("frame"), DROP("frameset"),
    DROP("object"), DROP("applet"), DROP("template"), DROP("noscript"), DROP("noembed"),
    DROP("noframes"), DROP("svg"), DROP("math"), DROP("canvas"), DROP("audio"),
    DROP("video"), DROP("map"), DROP("form"), DROP("button"), DROP("select"),
    DROP("option"), DROP("datalist"), DROP("textarea"), DROP("dialog"), DROP("head"),
    DROP("title"), DROP("xmp"), DROP("plaintext"),
    /* layout: gone, but what was in it stays a paragraph of its own */
    BREAK("div"), BREAK("section"), BREAK("article"), BREAK("aside"), BREAK("header"),
    BREAK("footer"), BREAK("nav"), BREAK("main"), BREAK("address"), BREAK("center"),
    BREAK("dl"), BREAK("dt"), BREAK("dd"), BREAK("details"), BREAK("summary"),
    BREAK("hgroup"), BREAK("fieldset"), BREAK("legend"), BREAK("caption"),
};

const size_t allow_nelems = sizeof allow_elems / sizeof allow_elems[0];

const allow_elem *allow_elem_find(const char *name, size_t len)
{
    for (size_t i = 0; i < allow_nelems; i++) {
        const char *n = allow_elems[i].name;
        if (strncasecmp(n, name, len) == 0 && n[len] == '\0')
            return &allow_elems[i];
    }
    return NULL;
}

const allow_elem *allow_heading(int level)
{
    level = level < 1 ? 1 : level > 6 ? 6 : level;
    return &allow_elems[ALLOW_H1 + level - 1];
}

void allow_start(buf_t *b, const allow_elem *e)
{
    buf_putc(b, '<');
    buf_puts(b, e->out);
}

void allow_attr_put(buf_t *b, const char *name, const char *value)
{
    buf_printf(b, " %s=\"", name);
    if (value)
        buf_html_escape(b, value, strlen(value));
    buf_putc(b, '"');
}

void allow_start_end(buf_t *b, const allow_elem *e)
{
    buf_puts(b, e->extra);
    buf_putc(b, '>');
    /* a void element's tag is also its end */
    unsigned nl = e->flags & ALLOW_VOID ? ALLOW_NL_CLOSE : ALLOW_NL_OPEN;
    if (e->flags & nl)
        buf_putc(b, '\n');
}

void allow_open(buf_t *b, const allow_elem *e)
{
    allow_start(b, e);
    allow_start_end(b, e);
}

void allow_close(buf_t *b, const allow_elem *e)
{
    if (e->flags & ALLOW_VOID)
        return;
    buf_printf(b, "</%s>", e->out);
    if (e->flags & ALLOW_NL_CLOSE)
        buf_putc(b, '\n');
}

/* --- URLs ------------------------------------------------------------- */

allow_url allow_url_classify(const char *url, bool allow_mailto)
{
    if (!url)
        return ALLOW_URL_BAD;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '\\')
            return ALLOW_URL_BAD; /* browsers strip or reinterpret these */
    if (text_url_is_http(url))
        return ALLOW_URL_ABSOLUTE;
    size_t scheme = strcspn(url, ":/?#");
    if (url[scheme] != ':')
        return strncmp(url, "//", 2) == 0 ? ALLOW_URL_ABSOLUTE : ALLOW_URL_RELATIVE;
    if (allow_mailto && scheme == 6 && strncasecmp(url, "mailto", 6) == 0)
        return ALLOW_URL_MAILTO;
    return ALLOW_URL_BAD;
}

void allow_link_attrs(buf_t *b, const char *url, allow_url kind)
{
    allow_attr_put(b, "href", url);
    if (kind == ALLOW_URL_ABSOLUTE)
        buf_puts(b, " rel=\"nofollow noopener\"");
}
