/*
 * sitemap.c - sitemaps for search engines: an index, the articles in files
 * of 1000 (the index lists as many as the count needs), the navigational
 * pages, and the Google News sitemap of the last 48 hours. The news sitemap
 * changes by the mere passage of time (articles age out of the window), so
 * besides the store keys it was built from, its cache entry carries the
 * moment the oldest listed article leaves the window.
 */
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "handlers/handler.h"
#include "handlers/syndicate.h"
#include "handlers/view.h"

#define SITEMAP_CHUNK 1000
#define SITEMAP_NEWS_WINDOW 172800 /* 48 hours */
#define SITEMAP_TYPE "application/xml; charset=utf-8"

#define NS_SITEMAP "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NS_NEWS "http://www.google.com/schemas/sitemap-news/0.9"

/* W3C datetime of t in UTC, or NULL for t <= 0 (lastmod omitted). */
static const char *sitemap_date(hreq_t *rq, int64_t t)
{
    return t > 0 ? date_iso8601(rq->arena, t, 0) : NULL;
}

static synd_xml *sitemap_begin(hreq_t *rq, const char *root, bool news)
{
    synd_xml *w = synd_xml_new(rq->arena);
    synd_xml_start(w, root);
    synd_xml_attr(w, "xmlns", NS_SITEMAP);
    if (news)
        synd_xml_attr(w, "xmlns:news", NS_NEWS);
    return w;
}

/* Close the root, publish the document and apply the feed cache policy. */
static int sitemap_finish(synd_xml *w, hreq_t *rq, hresp_t *rs)
{
    synd_xml_end(w);
    int rc = synd_xml_finish(w, rq, rs, SITEMAP_TYPE);
    return rc < 0 ? rc : synd_cache(rq, rs);
}

/* <tag><loc>loc</loc><lastmod>…</lastmod> left open for extra children. */
static void sitemap_open(synd_xml *w, hreq_t *rq, const char *tag, const char *loc, int64_t mtime)
{
    synd_xml_start(w, tag);
    synd_xml_elem(w, "loc", loc);
    synd_xml_elem(w, "lastmod", sitemap_date(rq, mtime));
}

static void sitemap_url(synd_xml *w, hreq_t *rq, const char *loc, int64_t mtime)
{
    sitemap_open(w, rq, "url", loc, mtime);
    synd_xml_end(w);
}

/* Number of article files: ceil(visible / 1000), at least 1. */
static int sitemap_chunks(hreq_t *rq, int64_t *chunks)
{
    store_query q = {.now = rq->now};
    int64_t count = 0;
    int rc = store_article_count(rq->store, &q, &count);
    if (rc < 0)
        return rc;
    *chunks = count > 0 ? (count + SITEMAP_CHUNK - 1) / SITEMAP_CHUNK : 1;
    return 0;
}

int handler_sitemap_index(hreq_t *rq, hresp_t *rs)
{
    int64_t chunks = 0, lm = 0;
    int rc = sitemap_chunks(rq, &chunks);
    if (rc == 0)
        rc = store_last_modified(rq->store, rq->now, &lm);
    if (rc < 0)
        return rc;
    synd_xml *w = sitemap_begin(rq, "sitemapindex", false);
    static const char *const fixed[] = {"/sitemap-pages.xml", "/sitemap-news.xml"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        sitemap_open(w, rq, "sitemap", synd_url(rq, fixed[i], NULL, ""), lm);
        synd_xml_end(w);
    }
    for (int64_t n = 1; n <= chunks; n++) {
        char *path = arena_printf(rq->arena, "/sitemap-articles-%lld.xml", (long long)n);
        sitemap_open(w, rq, "sitemap", synd_url(rq, path, NULL, ""), lm);
        synd_xml_end(w);
    }
    return sitemap_finish(w, rq, rs);
}

int handler_sitemap_articles(hreq_t *rq, hresp_t *rs)
{
    int64_t chunks = 0;
    int rc = sitemap_chunks(rq, &chunks);
    if (rc < 0)
        return rc;
    if (rq->page < 1 || rq->page > chunks)
        return NS_ENOTFOUND;
    store_query q = {.now = rq->now, .limit = SITEMAP_CHUNK,
                     .offset = (rq->page - 1) * SITEMAP_CHUNK};
    struct store_article_list list;
    rc = store_article_list(rq->store, rq->arena, &q, &list);
    if (rc < 0)
        return rc;
    synd_xml *w = sitemap_begin(rq, "urlset", false);
    for (size_t i = 0; i < list.n; i++)
        sitemap_url(w, rq, synd_article_url(rq, list.items[i].slug),
                    view_article_mtime(&list.items[i]));
    return sitemap_finish(w, rq, rs);
}

int handler_sitemap_pages(hreq_t *rq, hresp_t *rs)
{
    store_category *cats = NULL;
    store_page *pages = NULL;
    size_t ncats = 0, npages = 0;
    int64_t lm = 0;
    int rc = store_last_modified(rq->store, rq->now, &lm);
    if (rc == 0)
        rc = store_category_list(rq->store, rq->arena, &cats, &ncats);
    if (rc == 0)
        rc = store_page_list(rq->store, rq->arena, &pages, &npages);
    if (rc < 0)
        return rc;
    synd_xml *w = sitemap_begin(rq, "urlset", false);
    sitemap_url(w, rq, synd_url(rq, "/", NULL, ""), lm);
    for (size_t i = 0; i < ncats; i++)
        sitemap_url(w, rq, synd_url(rq, "/category/", cats[i].slug, "/"), 0);
    for (size_t i = 0; i < npages; i++) {
        int64_t t = pages[i].updated_at > pages[i].published_at ? pages[i].updated_at
                                                                : pages[i].published_at;
        sitemap_url(w, rq, synd_article_url(rq, pages[i].slug), t);
    }
    return sitemap_finish(w, rq, rs);
}

static void sitemap_news_entry(synd_xml *w, hreq_t *rq, const synd_site *site,
                               const store_article *ar)
{
    sitemap_open(w, rq, "url", synd_article_url(rq, ar->slug), 0);
    synd_xml_start(w, "news:news");
    synd_xml_start(w, "news:publication");
    synd_xml_elem(w, "news:name", site->name);
    synd_xml_elem(w, "news:language", "ar");
    synd_xml_end(w);
    synd_xml_elem(w, "news:publication_date",
                  date_iso8601(rq->arena, ar->published_at, site->tz_offset));
    synd_xml_elem(w, "news:title", ar->title ? ar->title : "");
    synd_xml_end(w);
    synd_xml_end(w);
}

/* The moment the list changes by itself: the oldest article leaving the
 * window, or an earlier (non-zero) expiry already set from the schedule. */
static int64_t sitemap_news_expiry(const struct store_article_list *list, int64_t scheduled)
{
    int64_t when = scheduled;
    for (size_t i = 0; i < list->n; i++) {
        int64_t out = list->items[i].published_at + SITEMAP_NEWS_WINDOW;
        if (when == 0 || out < when)
            when = out;
    }
    return when;
}

int handler_sitemap_news(hreq_t *rq, hresp_t *rs)
{
    synd_site site;
    store_query q = {.now = rq->now, .since = rq->now - SITEMAP_NEWS_WINDOW,
                     .limit = SITEMAP_CHUNK};
    struct store_article_list list;
    int rc = synd_site_load(rq, &site);
    if (rc == 0)
        rc = store_article_list(rq->store, rq->arena, &q, &list);
    if (rc < 0)
        return rc;
    synd_xml *w = sitemap_begin(rq, "urlset", true);
    for (size_t i = 0; i < list.n; i++)
        sitemap_news_entry(w, rq, &site, &list.items[i]);
    rc = sitemap_finish(w, rq, rs);
    if (rc == 0)
        rs->expires_at = sitemap_news_expiry(&list, rs->expires_at);
    return rc;
}
