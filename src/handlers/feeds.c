/*
 * feeds.c - RSS 2.0 and Atom 1.0 feeds of the site and of each category,
 * tag and author.
 * Both formats carry the same twenty latest visible articles with their
 * full rendered bodies, so one loader gathers the channel (title, links,
 * dates, articles) and two small writers only differ in vocabulary. Bodies
 * go through the same sanitising Markdown renderer as the pages, so a feed
 * reader sees exactly the HTML the site would show.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/date.h"
#include "core/err.h"
#include "core/text.h"
#include "media/image.h"
#include "handlers/handler.h"
#include "handlers/syndicate.h"
#include "handlers/view.h"

#define FEED_ITEMS 20
#define FEED_TTL "15" /* minutes, RSS <ttl> */

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_MEDIA "http://search.yahoo.com/mrss/"

typedef struct feed {
    synd_site site;
    const char *title;    /* site name, plus « – category» */
    const char *alt;      /* the HTML page the feed follows */
    const char *self;     /* the feed's own URL */
    int64_t updated;      /* newest change among visible articles */
    struct store_article_list list;
} feed;

/* A category, tag or author a feed follows. */
typedef struct feed_owner {
    int64_t id;
    const char *name, *slug;
} feed_owner;

/* What a feed's scope is found as: its archive's path prefix, the lookup
 * of its slug, and the field of store_query its id selects by. */
typedef struct feed_kind {
    const char *prefix;
    int (*find)(hreq_t *rq, const char *slug, feed_owner *o);
    size_t field;
} feed_kind;

static int feed_find_category(hreq_t *rq, const char *slug, feed_owner *o)
{
    store_category c;
    int rc = store_category_by_slug(rq->store, rq->arena, slug, &c);
    if (rc == 0)
        *o = (feed_owner){c.id, c.name, c.slug};
    return rc;
}

static int feed_find_tag(hreq_t *rq, const char *slug, feed_owner *o)
{
    store_tag t;
    int rc = store_tag_by_slug(rq->store, rq->arena, slug, &t);
    if (rc == 0)
        *o = (feed_owner){t.id, t.name, t.slug};
    return rc;
}

static int feed_find_author(hreq_t *rq, const char *slug, feed_owner *o)
{
    store_author au;
    int rc = store_author_by_slug(rq->store, rq->arena, slug, &au);
    if (rc == 0)
        *o = (feed_owner){au.id, au.name, au.slug};
    return rc;
}

static const feed_kind feed_kinds[] = {
    {"/category/", feed_find_category, offsetof(store_query, category_id)},
    {"/tag/", feed_find_tag, offsetof(store_query, tag_id)},
    {"/author/", feed_find_author, offsetof(store_query, author_id)},
};

/* The archive kind whose prefix path starts with, NULL if none. */
static const feed_kind *feed_kind_of(const char *path)
{
    for (size_t i = 0; i < sizeof feed_kinds / sizeof *feed_kinds; i++)
        if (strncmp(path, feed_kinds[i].prefix, strlen(feed_kinds[i].prefix)) == 0)
            return &feed_kinds[i];
    return NULL;
}

/* The category, tag or author named by params[0] (which, the path says)
 * into *q and f's title/links; the whole site when there is none. */
static int feed_scope(hreq_t *rq, const char *suffix, store_query *q, feed *f)
{
    const char *slug = rq->nparams > 0 ? rq->params[0] : NULL;
    const feed_kind *k = feed_kind_of(rq->path);
    f->title = f->site.name;
    f->alt = synd_url(rq, "/", NULL, "");
    if (!slug || !k) {
        f->self = synd_url(rq, "/", NULL, suffix);
        return 0;
    }
    feed_owner o;
    int rc = k->find(rq, slug, &o);
    if (rc < 0)
        return rc;
    *(int64_t *)((char *)q + k->field) = o.id;
    f->title = arena_printf(rq->arena, "%s – %s", f->site.name, o.name ? o.name : "");
    f->alt = synd_url(rq, k->prefix, o.slug ? o.slug : slug, "/");
    f->self = arena_printf(rq->arena, "%s%s", f->alt, suffix);
    return 0;
}

/* Everything both formats print; suffix is the feed path after the page it
 * follows ("feed/" or "feed/atom/"). */
static int feed_load(hreq_t *rq, const char *suffix, feed *f)
{
    memset(f, 0, sizeof *f);
    store_query q = {.now = rq->now, .limit = FEED_ITEMS, .with_body = true, .with_tags = true};
    int rc = synd_site_load(rq, &f->site);
    if (rc == 0)
        rc = feed_scope(rq, suffix, &q, f);
    if (rc == 0)
        rc = store_article_list(rq->store, rq->arena, &q, &f->list);
    if (rc == 0)
        rc = store_last_modified(rq->store, rq->now, &f->updated);
    if (rc == 0 && f->updated <= 0)
        f->updated = rq->now;
    return rc;
}

/* Writes a whole feed document from the loaded channel. */
typedef void (*feed_writer)(synd_xml *w, hreq_t *rq, const feed *f);

/* Load the channel, write it with `write` and answer with the feeds' cache
 * policy: the two formats differ only in the writer and the media type. */
static int feed_serve(hreq_t *rq, hresp_t *rs, const char *suffix, feed_writer write,
                      const char *content_type)
{
    feed f;
    int rc = feed_load(rq, suffix, &f);
    if (rc < 0)
        return rc;
    synd_xml *w = synd_xml_new(rq->arena);
    write(w, rq, &f);
    rc = synd_xml_finish(w, rq, rs, content_type);
    return rc < 0 ? rc : synd_cache(rq, rs);
}

/* Sanitised HTML of an article body, or NULL when it cannot be rendered
 * (the entry is still listed, without content). */
static const char *feed_body_html(hreq_t *rq, const store_article *ar)
{
    const char *html = NULL;
    if (!ar->body_md || !*ar->body_md)
        return NULL;
    if (view_article_body(rq->arena, ar, &html) < 0)
        return NULL;
    return html;
}

static const char *feed_nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* ---- RSS 2.0 ---- */

static void rss_categories(synd_xml *w, const store_article *ar)
{
    if (ar->category.id)
        synd_xml_elem(w, "category", ar->category.name);
    for (size_t i = 0; i < ar->ntags; i++)
        synd_xml_elem(w, "category", ar->tags[i].name);
}

/* The file a feed offers for an article's image: its widest variant (a
 * JPEG every reader opens) when there is one, else the original. */
typedef struct feed_image {
    const char *url, *mime;
    int width, height;            /* 0: unknown */
    int64_t bytes;                /* 0: unknown */
} feed_image;

static bool feed_image_of(hreq_t *rq, const store_article *ar, feed_image *out)
{
    const char *mime = ar->image_url ? image_mime_of_name(ar->image_url) : NULL;
    if (!mime || !text_url_is_safe_link(ar->image_url))
        return false;
    *out = (feed_image){ar->image_url, mime, ar->image_width, ar->image_height, 0};
    const char *last = ar->image_variants ? strrchr(ar->image_variants, ',') : NULL;
    int w = last ? atoi(last + 1) : ar->image_variants ? atoi(ar->image_variants) : 0;
    size_t cap = strlen(ar->image_url) + 32;
    char *name = arena_alloc(rq->arena, cap);
    if (ar->image_id && w > 0 && ar->image_width > 0 &&
        image_variant_name(ar->image_url, w, "jpg", name, cap) == NS_OK)
        *out = (feed_image){name, "image/jpeg", w,
                            (int)((int64_t)ar->image_height * w / ar->image_width), 0};
    struct stat st;
    if (out->url[0] == '/' && out->url[1] != '/' && rq->site->dir &&
        stat(arena_printf(rq->arena, "%s%s", rq->site->dir, out->url), &st) == 0)
        out->bytes = st.st_size;
    if (out->url[0] == '/' && out->url[1] != '/')
        out->url = arena_printf(rq->arena, "%s%s", rq->site->base_url ? rq->site->base_url : "",
                                out->url);
    return true;
}

/* The article's image as media:content and as an enclosure. */
static void rss_image(synd_xml *w, hreq_t *rq, const store_article *ar)
{
    feed_image im;
    if (!feed_image_of(rq, ar, &im))
        return;
    synd_xml_start(w, "media:content");
    synd_xml_attr(w, "url", im.url);
    synd_xml_attr(w, "medium", "image");
    synd_xml_attr(w, "type", im.mime);
    if (im.width > 0 && im.height > 0) {
        synd_xml_attr(w, "width", arena_printf(rq->arena, "%d", im.width));
        synd_xml_attr(w, "height", arena_printf(rq->arena, "%d", im.height));
    }
    if (ar->image_alt && *ar->image_alt)
        synd_xml_elem(w, "media:description", ar->image_alt);
    synd_xml_end(w);
    synd_xml_start(w, "enclosure");
    synd_xml_attr(w, "url", im.url);
    synd_xml_attr(w, "length", arena_printf(rq->arena, "%lld", (long long)im.bytes));
    synd_xml_attr(w, "type", im.mime);
    synd_xml_end(w);
}

static void rss_item(synd_xml *w, hreq_t *rq, const store_article *ar)
{
    const char *link = synd_article_url(rq, ar->slug);
    synd_xml_start(w, "item");
    synd_xml_elem(w, "title", ar->title);
    synd_xml_elem(w, "link", link);
    synd_xml_start(w, "guid");
    synd_xml_attr(w, "isPermaLink", "true");
    synd_xml_text(w, link);
    synd_xml_end(w);
    synd_xml_elem(w, "pubDate", date_http(rq->arena, ar->published_at));
    if (ar->author.id)
        synd_xml_elem(w, "dc:creator", ar->author.name);
    rss_categories(w, ar);
    synd_xml_elem(w, "description", feed_nonempty(ar->lead));
    synd_xml_elem(w, "content:encoded", feed_body_html(rq, ar));
    rss_image(w, rq, ar);
    synd_xml_end(w);
}

static void rss_channel(synd_xml *w, hreq_t *rq, const feed *f)
{
    synd_xml_start(w, "channel");
    synd_xml_elem(w, "title", f->title);
    synd_xml_elem(w, "link", f->alt);
    synd_xml_elem(w, "description", f->site.description);
    synd_xml_elem(w, "language", "ar");
    synd_xml_elem(w, "lastBuildDate", date_http(rq->arena, f->updated));
    synd_xml_start(w, "atom:link");
    synd_xml_attr(w, "href", f->self);
    synd_xml_attr(w, "rel", "self");
    synd_xml_attr(w, "type", "application/rss+xml");
    synd_xml_end(w);
    synd_xml_elem(w, "ttl", FEED_TTL);
    for (size_t i = 0; i < f->list.n; i++)
        rss_item(w, rq, &f->list.items[i]);
    synd_xml_end(w);
}

static void rss_document(synd_xml *w, hreq_t *rq, const feed *f)
{
    synd_xml_start(w, "rss");
    synd_xml_attr(w, "version", "2.0");
    synd_xml_attr(w, "xmlns:atom", NS_ATOM);
    synd_xml_attr(w, "xmlns:dc", NS_DC);
    synd_xml_attr(w, "xmlns:content", NS_CONTENT);
    synd_xml_attr(w, "xmlns:media", NS_MEDIA);
    rss_channel(w, rq, f);
    synd_xml_end(w);
}

int handler_feed_rss(hreq_t *rq, hresp_t *rs)
{
    return feed_serve(rq, rs, "feed/", rss_document, "application/rss+xml; charset=utf-8");
}

/* ---- Atom 1.0 ---- */

static void atom_link(synd_xml *w, const char *rel, const char *type, const char *href)
{
    synd_xml_start(w, "link");
    synd_xml_attr(w, "rel", rel);
    synd_xml_attr(w, "type", type);
    synd_xml_attr(w, "href", href);
    synd_xml_end(w);
}

static void atom_author(synd_xml *w, const char *name)
{
    synd_xml_start(w, "author");
    synd_xml_elem(w, "name", name);
    synd_xml_end(w);
}

static void atom_text(synd_xml *w, const char *name, const char *type, const char *text)
{
    if (!text)
        return;
    synd_xml_start(w, name);
    synd_xml_attr(w, "type", type);
    synd_xml_text(w, text);
    synd_xml_end(w);
}

static void atom_categories(synd_xml *w, const store_article *ar)
{
    const store_tag *t = ar->tags;
    if (ar->category.id) {
        synd_xml_start(w, "category");
        synd_xml_attr(w, "term", ar->category.slug);
        synd_xml_attr(w, "label", ar->category.name);
        synd_xml_end(w);
    }
    for (size_t i = 0; i < ar->ntags; i++) {
        synd_xml_start(w, "category");
        synd_xml_attr(w, "term", t[i].slug);
        synd_xml_attr(w, "label", t[i].name);
        synd_xml_end(w);
    }
}

static void atom_entry(synd_xml *w, hreq_t *rq, const feed *f, const store_article *ar)
{
    const char *link = synd_article_url(rq, ar->slug);
    int tz = f->site.tz_offset;
    synd_xml_start(w, "entry");
    synd_xml_elem(w, "id", link);
    atom_text(w, "title", "text", ar->title ? ar->title : "");
    synd_xml_elem(w, "updated", date_iso8601(rq->arena, view_article_mtime(ar), tz));
    synd_xml_elem(w, "published", date_iso8601(rq->arena, ar->published_at, tz));
    if (ar->author.id)
        atom_author(w, ar->author.name);
    atom_link(w, "alternate", "text/html", link);
    atom_categories(w, ar);
    atom_text(w, "summary", "text", feed_nonempty(ar->lead));
    atom_text(w, "content", "html", feed_body_html(rq, ar));
    synd_xml_end(w);
}

static void atom_document(synd_xml *w, hreq_t *rq, const feed *f)
{
    synd_xml_start(w, "feed");
    synd_xml_attr(w, "xmlns", NS_ATOM);
    synd_xml_attr(w, "xml:lang", "ar");
    synd_xml_elem(w, "id", f->self);
    atom_text(w, "title", "text", f->title);
    atom_text(w, "subtitle", "text", f->site.description);
    synd_xml_elem(w, "updated", date_iso8601(rq->arena, f->updated, f->site.tz_offset));
    atom_link(w, "self", "application/atom+xml", f->self);
    atom_link(w, "alternate", "text/html", f->alt);
    atom_author(w, f->site.name);
    for (size_t i = 0; i < f->list.n; i++)
        atom_entry(w, rq, f, &f->list.items[i]);
    synd_xml_end(w);
}

int handler_feed_atom(hreq_t *rq, hresp_t *rs)
{
    return feed_serve(rq, rs, "feed/atom/", atom_document, "application/atom+xml; charset=utf-8");
}

/* ---- the feed of a page another address moved to ---- */

const char *handler_feed_path(arena_t *a, const char *target)
{
    if (!target || target[0] != '/' || !feed_kind_of(target))
        return target;
    const char *rest = target + strlen(feed_kind_of(target)->prefix);
    size_t n = strlen(rest);
    /* one segment and its slash: the archive itself, not a page of it */
    if (n < 2 || rest[n - 1] != '/' || memchr(rest, '/', n - 1))
        return target;
    return arena_printf(a, "%sfeed/", target);
}
