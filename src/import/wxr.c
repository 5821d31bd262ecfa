/*
 * wxr.c - WXR read with libxml2's streaming reader. The reader walks the
 * channel's children; each author, term and item is expanded into a small
 * tree (xmlTextReaderExpand), copied into plain structs by the field tables
 * below, and left behind: the reader frees the siblings it has passed, so
 * one item is in memory at a time.
 *
 * Elements are told apart by namespace, not by prefix: the WXR namespace's
 * URI carries its version (http://wordpress.org/export/1.2/), and a file
 * may bind other prefixes to the same URIs.
 */
#include "import/wxr.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"

struct wxr_reader {
    xmlTextReaderPtr xr;
    int fd;
    arena_t *a;            /* the site's strings, the last error */
    wxr_site site;
    bool saw_root, saw_channel, saw_version, skip_next;
    int64_t unknown, size;
    const char *err;
    long err_line;
};

/* ---- namespaces ---- */

typedef enum { NS_RSS, NS_WP, NS_EXCERPT, NS_CONTENT, NS_DC, NS_OTHER } wxr_ns;

#define WP_NS_PREFIX "http://wordpress.org/export/"

static wxr_ns ns_of(const xmlChar *uri)
{
    const char *u = (const char *)uri;
    if (!u || !*u)
        return NS_RSS;
    size_t n = strlen(u);
    if (strncmp(u, WP_NS_PREFIX, strlen(WP_NS_PREFIX)) == 0)
        return n > 9 && strcmp(u + n - 9, "/excerpt/") == 0 ? NS_EXCERPT : NS_WP;
    if (strcmp(u, "http://purl.org/rss/1.0/modules/content/") == 0)
        return NS_CONTENT;
    if (strcmp(u, "http://purl.org/dc/elements/1.1/") == 0)
        return NS_DC;
    return NS_OTHER;
}

static wxr_ns node_ns(const xmlNode *n)
{
    return ns_of(n->ns ? n->ns->href : NULL);
}

/* ---- field tables: element (namespace, name) -> member ---- */

typedef enum { F_STR, F_I64, F_INT, F_BOOL } field_type;

typedef struct wxr_field {
    wxr_ns ns;
    const char *name;
    size_t offset;
    field_type type;
} wxr_field;

#define S(ns, name, st, m) { ns, name, offsetof(st, m), F_STR }
#define I(ns, name, st, m) { ns, name, offsetof(st, m), F_I64 }

static const wxr_field author_fields[] = {
    I(NS_WP, "author_id", wxr_author, id),
    S(NS_WP, "author_login", wxr_author, login),
    S(NS_WP, "author_email", wxr_author, email),
    S(NS_WP, "author_display_name", wxr_author, display_name),
    S(NS_WP, "author_first_name", wxr_author, first_name),
    S(NS_WP, "author_last_name", wxr_author, last_name),
};

/* wp:category, wp:tag and wp:term name the same things differently. */
static const wxr_field term_fields[] = {
    I(NS_WP, "term_id", wxr_term, id),
    S(NS_WP, "category_nicename", wxr_term, slug),
    S(NS_WP, "category_parent", wxr_term, parent),
    S(NS_WP, "cat_name", wxr_term, name),
    S(NS_WP, "category_description", wxr_term, description),
    S(NS_WP, "tag_slug", wxr_term, slug),
    S(NS_WP, "tag_name", wxr_term, name),
    S(NS_WP, "tag_description", wxr_term, description),
    S(NS_WP, "term_taxonomy", wxr_term, taxonomy),
    S(NS_WP, "term_slug", wxr_term, slug),
    S(NS_WP, "term_parent", wxr_term, parent),
    S(NS_WP, "term_name", wxr_term, name),
    S(NS_WP, "term_description", wxr_term, description),
};

static const wxr_field item_fields[] = {
    S(NS_RSS, "title", wxr_item, title),
    S(NS_RSS, "link", wxr_item, link),
    S(NS_RSS, "guid", wxr_item, guid),
    S(NS_DC, "creator", wxr_item, creator),
    S(NS_CONTENT, "encoded", wxr_item, content),
    S(NS_EXCERPT, "encoded", wxr_item, excerpt),
    I(NS_WP, "post_id", wxr_item, id),
    S(NS_WP, "post_date", wxr_item, post_date),
    S(NS_WP, "post_date_gmt", wxr_item, post_date_gmt),
    S(NS_WP, "post_modified", wxr_item, modified),
    S(NS_WP, "post_modified_gmt", wxr_item, modified_gmt),
    S(NS_WP, "comment_status", wxr_item, comment_status),
    S(NS_WP, "post_name", wxr_item, post_name),
    S(NS_WP, "status", wxr_item, status),
    I(NS_WP, "post_parent", wxr_item, parent),
    { NS_WP, "menu_order", offsetof(wxr_item, menu_order), F_INT },
    S(NS_WP, "post_type", wxr_item, post_type),
    S(NS_WP, "post_password", wxr_item, password),
    { NS_WP, "is_sticky", offsetof(wxr_item, sticky), F_BOOL },
    S(NS_WP, "attachment_url", wxr_item, attachment_url),
};

static const wxr_field comment_fields[] = {
    I(NS_WP, "comment_id", wxr_comment, id),
    S(NS_WP, "comment_author", wxr_comment, author),
    S(NS_WP, "comment_author_email", wxr_comment, email),
    S(NS_WP, "comment_author_url", wxr_comment, url),
    S(NS_WP, "comment_author_IP", wxr_comment, ip),
    S(NS_WP, "comment_date", wxr_comment, date),
    S(NS_WP, "comment_date_gmt", wxr_comment, date_gmt),
    S(NS_WP, "comment_content", wxr_comment, content),
    S(NS_WP, "comment_approved", wxr_comment, approved),
    S(NS_WP, "comment_type", wxr_comment, type),
    I(NS_WP, "comment_parent", wxr_comment, parent),
    I(NS_WP, "comment_user_id", wxr_comment, user_id),
};

static const wxr_field meta_fields[] = {
    S(NS_WP, "meta_key", wxr_meta, key),
    S(NS_WP, "meta_value", wxr_meta, value),
};

/* Elements of a channel or an item that WXR writes and nothing here needs:
 * not counted as unknown. */
static const struct { wxr_ns ns; const char *name; } known_ignored[] = {
    {NS_RSS, "pubDate"}, {NS_RSS, "description"}, {NS_RSS, "generator"}, {NS_RSS, "image"},
    {NS_RSS, "lastBuildDate"}, {NS_RSS, "copyright"}, {NS_RSS, "ttl"}, {NS_RSS, "cloud"},
    {NS_WP, "ping_status"}, {NS_OTHER, "link"}, {NS_OTHER, "commentRss"}, {NS_OTHER, "comment"},
};

#undef S
#undef I

/* ---- errors ---- */

static int fail(wxr_reader *r, long line, const char *fmt, const char *arg)
{
    if (!r->err) {
        r->err = arena_printf(r->a, fmt, arg ? arg : "");
        r->err_line = line;
    }
    return NS_EINVAL;
}

/* libxml2's first error becomes ours: its message names the problem and
 * its line is where it is. */
static void on_xml_error(void *arg, xmlErrorPtr e)
{
    wxr_reader *r = arg;
    if (r->err || !e || e->level < XML_ERR_ERROR)
        return;
    char *msg = arena_strdup(r->a, e->message ? e->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    r->err = arena_printf(r->a, "not well-formed XML: %s", msg);
    r->err_line = e->line > 0 ? e->line : xmlTextReaderGetParserLineNumber(r->xr);
}

/* ---- copying a tree into a struct ---- */

static char *node_text(arena_t *a, const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *s = arena_strdup(a, t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

static bool parse_number(const char *s, int64_t *out)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (!*s) {
        *out = 0;
        return true;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (errno || *end || end == s)
        return false;
    *out = v;
    return true;
}

/* Set the member the table names for element n; false if the table has
 * none; NS_EINVAL through *rc for a number that is not one. */
static bool set_field(wxr_reader *r, arena_t *a, const wxr_field *f, size_t nf, void *dst,
                      const xmlNode *n, int *rc)
{
    wxr_ns ns = node_ns(n);
    for (size_t i = 0; i < nf; i++) {
        if (f[i].ns != ns || strcmp(f[i].name, (const char *)n->name) != 0)
            continue;
        char *t = node_text(a, n);
        char *p = (char *)dst + f[i].offset;
        int64_t v = 0;
        if (f[i].type != F_STR && !parse_number(t, &v)) {
            *rc = fail(r, xmlGetLineNo(n), "<%s> is not a number", (const char *)n->name);
            return true;
        }
        switch (f[i].type) {
        case F_STR: *(const char **)p = t; break;
        case F_I64: *(int64_t *)p = v; break;
        case F_INT: *(int *)p = v < -1000000 ? -1000000 : v > 1000000 ? 1000000 : (int)v; break;
        case F_BOOL: *(bool *)p = v != 0; break;
        }
        return true;
    }
    return false;
}

static bool known_ignored_elem(const xmlNode *n)
{
    wxr_ns ns = node_ns(n);
    for (size_t i = 0; i < sizeof known_ignored / sizeof known_ignored[0]; i++)
        if (known_ignored[i].ns == ns && strcmp(known_ignored[i].name, (const char *)n->name) == 0)
            return true;
    return false;
}

/* Every string member of the tables starts as "" rather than NULL. */
static void init_strings(const wxr_field *f, size_t nf, void *dst)
{
    for (size_t i = 0; i < nf; i++)
        if (f[i].type == F_STR)
            *(const char **)((char *)dst + f[i].offset) = "";
}

/* Copy the children of n into dst by table; children the table lacks
 * go to `other` (may be NULL: counted unknown). */
typedef int (*other_fn)(wxr_reader *r, arena_t *a, void *dst, const xmlNode *child);

static int copy_children(wxr_reader *r, arena_t *a, const xmlNode *n, const wxr_field *f, size_t nf,
                         void *dst, other_fn other)
{
    init_strings(f, nf, dst);
    int rc = 0;
    for (const xmlNode *c = n->children; c && rc == 0; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || set_field(r, a, f, nf, dst, c, &rc))
            continue;
        if (other)
            rc = other(r, a, dst, c);
        else if (!known_ignored_elem(c))
            r->unknown++;
    }
    return rc;
}

#define NF(t) (sizeof t / sizeof t[0])

/* One more zeroed element at the end of an arena array. */
static void *push(arena_t *a, void **v, size_t *n, size_t *cap, size_t size)
{
    *v = arena_grow(a, *v, *n, cap, size, 8);
    void *e = (char *)*v + (*n)++ * size;
    memset(e, 0, size);
    return e;
}

typedef struct item_build {
    wxr_item *it;
    size_t cap_terms, cap_meta, cap_comments;
} item_build;

static int comment_other(wxr_reader *r, arena_t *a, void *dst, const xmlNode *c)
{
    (void)a;
    (void)dst;
    /* wp:commentmeta (akismet results and the like) is not kept */
    if (!(node_ns(c) == NS_WP && strcmp((const char *)c->name, "commentmeta") == 0))
        r->unknown++;
    return 0;
}

static int item_other(wxr_reader *r, arena_t *a, void *dst, const xmlNode *c)
{
    item_build *b = dst;
    wxr_item *it = b->it;
    wxr_ns ns = node_ns(c);
    const char *name = (const char *)c->name;
    if (it->nterms + it->nmeta + it->ncomments >= WXR_MAX_CHILDREN)
        return fail(r, xmlGetLineNo(c), "an item with more than %s terms, metadata and comments",
                    "100000");
    if (ns == NS_RSS && strcmp(name, "category") == 0) {
        wxr_item_term *t = push(a, (void **)&it->terms, &it->nterms, &b->cap_terms, sizeof *t);
        xmlChar *d = xmlGetProp(c, (const xmlChar *)"domain"), *nn = xmlGetProp(c, (const xmlChar *)"nicename");
        t->domain = arena_strdup(a, d ? (const char *)d : "");
        t->nicename = arena_strdup(a, nn ? (const char *)nn : "");
        t->name = node_text(a, c);
        xmlFree(d);
        xmlFree(nn);
        return 0;
    }
    if (ns == NS_WP && strcmp(name, "postmeta") == 0) {
        wxr_meta *m = push(a, (void **)&it->meta, &it->nmeta, &b->cap_meta, sizeof *m);
        return copy_children(r, a, c, meta_fields, NF(meta_fields), m, NULL);
    }
    if (ns == NS_WP && strcmp(name, "comment") == 0) {
        wxr_comment *cm = push(a, (void **)&it->comments, &it->ncomments, &b->cap_comments, sizeof *cm);
        cm->line = xmlGetLineNo(c);
        return copy_children(r, a, c, comment_fields, NF(comment_fields), cm, comment_other);
    }
    if (!known_ignored_elem(c))
        r->unknown++;
    return 0;
}

/* The item's members through the table, the rest through item_other. */
static int item_field_or_other(wxr_reader *r, arena_t *a, void *dst, const xmlNode *c)
{
    item_build *b = dst;
    int rc = 0;
    if (set_field(r, a, item_fields, NF(item_fields), b->it, c, &rc))
        return rc;
    return item_other(r, a, dst, c);
}

static int read_item(wxr_reader *r, arena_t *a, const xmlNode *n, wxr_item *it)
{
    memset(it, 0, sizeof *it);
    init_strings(item_fields, NF(item_fields), it);
    it->line = xmlGetLineNo(n);
    item_build b = { .it = it };
    /* the table is applied per child by item_field_or_other, so that the
     * builder (not the item) is what the callback gets */
    return copy_children(r, a, n, NULL, 0, &b, item_field_or_other);
}

static int read_term(wxr_reader *r, arena_t *a, const xmlNode *n, wxr_term *t)
{
    memset(t, 0, sizeof *t);
    int rc = copy_children(r, a, n, term_fields, NF(term_fields), t, NULL);
    const char *kind = (const char *)n->name;
    t->generic = strcmp(kind, "term") == 0;
    if (rc == 0 && !*t->taxonomy)
        t->taxonomy = strcmp(kind, "category") == 0 ? "category" : strcmp(kind, "tag") == 0 ? "post_tag" : "";
    return rc;
}

/* ---- the stream ---- */

#define WXR_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

/* A reader around an open libxml2 reader (NULL: out of memory) and fd
 * (-1: none). */
static int wxr_make(xmlTextReaderPtr xr, int fd, int64_t size, wxr_reader **out)
{
    wxr_reader *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->fd = fd;
    r->xr = xr;
    r->size = size;
    r->a = arena_new(0);
    wxr_site *s = &r->site;
    s->title = s->link = s->description = s->language = "";
    s->base_site_url = s->base_blog_url = s->version = "";
    if (!xr) {
        wxr_close(r);
        return NS_EINTERNAL;
    }
    xmlTextReaderSetStructuredErrorHandler(xr, on_xml_error, r);
    *out = r;
    return 0;
}

int wxr_open(const char *path, wxr_reader **out)
{
    int fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? NS_ENOTFOUND : NS_EIO;
    struct stat st;
    int64_t size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : -1;
    /* no NOENT, no DTDLOAD: entities are never fetched nor expanded */
    return wxr_make(xmlReaderForFd(fd, NULL, NULL, WXR_OPTIONS), fd, size, out);
}

int wxr_open_memory(const char *buf, size_t n, wxr_reader **out)
{
    if (n > INT32_MAX)
        return NS_ETOOBIG;
    return wxr_make(xmlReaderForMemory(buf, (int)n, NULL, NULL, WXR_OPTIONS), -1, (int64_t)n, out);
}

void wxr_close(wxr_reader *r)
{
    if (!r)
        return;
    if (r->xr)
        xmlFreeTextReader(r->xr);
    if (r->fd >= 0)
        close(r->fd);
    arena_free(r->a);
    free(r);
}

const wxr_site *wxr_site_info(const wxr_reader *r) { return &r->site; }
int64_t wxr_unknown(const wxr_reader *r) { return r->unknown; }

const char *wxr_error(const wxr_reader *r, long *line)
{
    if (line)
        *line = r->err_line;
    return r->err ? r->err : "";
}

void wxr_position(const wxr_reader *r, int64_t *done, int64_t *size)
{
    long c = r->xr ? xmlTextReaderByteConsumed(r->xr) : 0;
    *done = c < 0 ? 0 : c;
    *size = r->size < 0 ? 0 : r->size;
}

/* A channel element describing the site, by namespace and name. */
static const struct {
    wxr_ns ns;
    const char *name;
    size_t offset;
} site_fields[] = {
    {NS_RSS, "title", offsetof(wxr_site, title)},
    {NS_RSS, "link", offsetof(wxr_site, link)},
    {NS_RSS, "description", offsetof(wxr_site, description)},
    {NS_RSS, "language", offsetof(wxr_site, language)},
    {NS_WP, "wxr_version", offsetof(wxr_site, version)},
    {NS_WP, "base_site_url", offsetof(wxr_site, base_site_url)},
    {NS_WP, "base_blog_url", offsetof(wxr_site, base_blog_url)},
};

static bool site_field(wxr_reader *r, wxr_ns ns, const char *name)
{
    for (size_t i = 0; i < sizeof site_fields / sizeof site_fields[0]; i++) {
        if (site_fields[i].ns != ns || strcmp(site_fields[i].name, name) != 0)
            continue;
        xmlChar *t = xmlTextReaderReadString(r->xr);
        *(const char **)((char *)&r->site + site_fields[i].offset) =
            arena_strdup(r->a, t ? (const char *)t : "");
        xmlFree(t);
        if (site_fields[i].offset == offsetof(wxr_site, version))
            r->saw_version = true;
        return true;
    }
    return false;
}

static wxr_kind entity_kind(wxr_ns ns, const char *name)
{
    if (ns == NS_RSS && strcmp(name, "item") == 0)
        return WXR_ITEM;
    if (ns != NS_WP)
        return WXR_END;
    if (strcmp(name, "author") == 0)
        return WXR_AUTHOR;
    if (strcmp(name, "category") == 0 || strcmp(name, "tag") == 0 || strcmp(name, "term") == 0)
        return WXR_TERM;
    return WXR_END;
}

/* An author, term or item at the reader's position into ev. */
static int read_entity(wxr_reader *r, arena_t *a, wxr_kind kind, wxr_event *ev)
{
    if (!r->saw_version)
        return fail(r, xmlTextReaderGetParserLineNumber(r->xr),
                    "not a WordPress export: no <wp:wxr_version> before the first %s",
                    kind == WXR_ITEM ? "item" : "author or term");
    if (strncmp(r->site.version, "1.", 2) != 0)
        return fail(r, 0, "WXR version %s is not one this importer reads (1.0 to 1.2)", r->site.version);
    xmlNodePtr n = xmlTextReaderExpand(r->xr);
    if (!n)
        return r->err ? NS_EINVAL : fail(r, xmlTextReaderGetParserLineNumber(r->xr), "malformed XML%s", NULL);
    r->skip_next = true;
    ev->kind = kind;
    ev->line = xmlGetLineNo(n);
    switch (kind) {
    case WXR_AUTHOR:
        memset(&ev->u.author, 0, sizeof ev->u.author);
        return copy_children(r, a, n, author_fields, NF(author_fields), &ev->u.author, NULL);
    case WXR_TERM: return read_term(r, a, n, &ev->u.term);
    case WXR_ITEM: return read_item(r, a, n, &ev->u.item);
    default: return NS_EINTERNAL;
    }
}

/* One element start at depth 0-2: the root, the channel, or a channel child. */
static int on_element(wxr_reader *r, arena_t *a, wxr_event *ev, bool *done)
{
    int depth = xmlTextReaderDepth(r->xr);
    const char *name = (const char *)xmlTextReaderConstLocalName(r->xr);
    wxr_ns ns = ns_of(xmlTextReaderConstNamespaceUri(r->xr));
    long line = xmlTextReaderGetParserLineNumber(r->xr);
    if (depth == 0) {
        r->saw_root = true;
        if (ns != NS_RSS || strcmp(name, "rss") != 0)
            return fail(r, line, "not a WordPress export: the document is <%s>, not <rss>", name);
        return 0;
    }
    if (depth == 1) {
        if (ns == NS_RSS && strcmp(name, "channel") == 0)
            r->saw_channel = true;
        else
            r->skip_next = true, r->unknown++;
        return 0;
    }
    wxr_kind kind = entity_kind(ns, name);
    if (kind != WXR_END) {
        *done = true;
        return read_entity(r, a, kind, ev);
    }
    r->skip_next = true;
    if (!site_field(r, ns, name) && !(ns == NS_RSS || ns == NS_OTHER))
        r->unknown++;
    return 0;
}

int wxr_next(wxr_reader *r, arena_t *a, wxr_event *ev)
{
    if (r->err)
        return NS_EINVAL;
    memset(ev, 0, sizeof *ev);
    if (!r->saw_root && r->size == 0)
        return fail(r, 0, "not a WordPress export: the file is empty%s", NULL);
    for (;;) {
        int ret = r->skip_next ? xmlTextReaderNext(r->xr) : xmlTextReaderRead(r->xr);
        r->skip_next = false;
        if (ret < 0 || r->err)
            return r->err ? NS_EINVAL : fail(r, xmlTextReaderGetParserLineNumber(r->xr), "malformed XML%s", NULL);
        if (ret == 0)
            break;
        int type = xmlTextReaderNodeType(r->xr);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            return fail(r, xmlTextReaderGetParserLineNumber(r->xr),
                        "a DOCTYPE is not allowed in a WordPress export%s", NULL);
        /* a node at xmlTextReaderNext's landing spot may be the element to read */
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        bool done = false;
        int rc = on_element(r, a, ev, &done);
        if (rc || done)
            return rc;
    }
    if (!r->saw_root || !r->saw_channel)
        return fail(r, 0, "not a WordPress export: %s", r->saw_root ? "no <channel>" : "the file is empty");
    if (!r->saw_version)
        return fail(r, 0, "not a WordPress export: no <wp:wxr_version>%s", NULL);
    ev->kind = WXR_END;
    return 0;
}
