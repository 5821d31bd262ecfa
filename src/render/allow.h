/*
 * allow.h - the one allowlist of what an article body may hold, however it
 * was written: the elements Markdown (render/markdown.h) writes and an
 * imported HTML body (render/html.h) keeps, with their attributes, how each
 * is spelled and laid out, and which URLs may be linked. Both writers spell
 * every tag through this table, so a body written here and one imported from
 * another site can hold exactly the same markup.
 */
#ifndef NS_RENDER_ALLOW_H
#define NS_RENDER_ALLOW_H

#include <stdbool.h>
#include <stddef.h>
#include "core/buf.h"

/* What an element is to the writers. */
enum {
    ALLOW_BLOCK = 1 << 0,      /* a block: written only where blocks may be */
    ALLOW_FLOW = 1 << 1,       /* may hold blocks (else inline content only) */
    ALLOW_VOID = 1 << 2,       /* no content and no end tag */
    ALLOW_NL_OPEN = 1 << 3,    /* a line break after its start tag */
    ALLOW_NL_CLOSE = 1 << 4,   /* a line break after its end tag (a void: its tag) */
    ALLOW_RAW = 1 << 5,        /* kept, bare, from raw HTML inside Markdown */
    ALLOW_DROP_EMPTY = 1 << 6, /* left out when it shows nothing */
    ALLOW_STRUCT = 1 << 7,     /* holds only elements: whitespace in it is dropped */
    ALLOW_KEEP_SPACE = 1 << 8, /* whitespace in it is kept as it is */
    ALLOW_MARKDOWN = 1 << 9,   /* Markdown writes it (the rest only HTML keeps) */
    /* not written: */
    ALLOW_DROP = 1 << 10,      /* dropped with everything inside it */
    ALLOW_BREAK = 1 << 11,     /* replaced by its content, which ends a paragraph */
};

/* How an attribute's value is checked before it is kept. */
typedef enum {
    ALLOW_ATTR_LINK,   /* a URL: allow_url_classify with mailto */
    ALLOW_ATTR_SRC,    /* a URL: allow_url_classify without mailto */
    ALLOW_ATTR_TEXT,   /* any text, escaped */
    ALLOW_ATTR_NUMBER, /* 1 to max ASCII digits */
} allow_attr_kind;

typedef struct allow_attr {
    const char *name;
    allow_attr_kind kind;
    int max;            /* ALLOW_ATTR_NUMBER: most digits */
} allow_attr;

typedef struct allow_elem {
    const char *name;        /* lower case, as a source spells it */
    const char *out;         /* the element written for it; NULL if none is */
    unsigned flags;          /* ALLOW_* */
    const char *parents;     /* " ul ol ": the only elements it is written
                                directly inside; NULL: where its flags say */
    const allow_attr *attrs; /* kept attributes in the order written, ending
                                with a NULL name; NULL: none. The first URL
                                among them is required (else the element is
                                not written) */
    const char *extra;       /* fixed attributes written after them */
} allow_elem;

/* Indexes of allow_elems for the elements Markdown writes. */
enum {
    ALLOW_P, ALLOW_H1, ALLOW_H2, ALLOW_H3, ALLOW_H4, ALLOW_H5, ALLOW_H6,
    ALLOW_UL, ALLOW_OL, ALLOW_LI, ALLOW_BLOCKQUOTE, ALLOW_PRE, ALLOW_CODE,
    ALLOW_HR, ALLOW_BR, ALLOW_EM, ALLOW_STRONG, ALLOW_A, ALLOW_IMG,
};

/* Every element the writers know, kept or not; allow_nelems of them. Any
 * other element is replaced by its content. */
extern const allow_elem allow_elems[];
extern const size_t allow_nelems;

/* The entry for the element name[0..len) (any case), or NULL. */
const allow_elem *allow_elem_find(const char *name, size_t len);

/* The entry written for a heading of level (1-6; others clamped). */
const allow_elem *allow_heading(int level);

/* "<out": the start of e's start tag, to add attributes to. */
void allow_start(buf_t *b, const allow_elem *e);
/* ' name="value"', value escaped (NULL as ""). */
void allow_attr_put(buf_t *b, const char *name, const char *value);
/* e's fixed attributes and '>', then its line break if it has one. */
void allow_start_end(buf_t *b, const allow_elem *e);
/* e's whole start tag without attributes: allow_start + allow_start_end. */
void allow_open(buf_t *b, const allow_elem *e);
/* e's end tag and line break; nothing for a void element. */
void allow_close(buf_t *b, const allow_elem *e);

/* --- URLs ------------------------------------------------------------- */

typedef enum { ALLOW_URL_BAD, ALLOW_URL_RELATIVE, ALLOW_URL_MAILTO, ALLOW_URL_ABSOLUTE } allow_url;

/* What url may be: an absolute http(s) URL (text_url_is_http) or one
 * without its scheme ("//host/x"); a relative reference (no scheme);
 * mailto: when allow_mailto; else bad, as is any URL holding a control
 * character, a space or a backslash (browsers drop or reinterpret them, so
 * they can disguise a scheme: "jav\tascript:"). NULL is bad. */
allow_url allow_url_classify(const char *url, bool allow_mailto);

/* ' href="url"', and for an absolute URL the rel that keeps the site's
 * rank and window from it. url must have been classified as kind. */
void allow_link_attrs(buf_t *b, const char *url, allow_url kind);

#endif
