/*
 * test_feeds.c - feeds, sitemaps, robots.txt, /healthz, theme assets and
 * the site's media files.
 * A small site is written into a temporary database through the store's
 * public writes; each handler runs on a hand-made request and its output is
 * parsed strictly by libxml2 (any ill-formedness fails the test) and then
 * queried with XPath, so the checks are about the document a feed reader or
 * crawler would see, not about byte patterns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "handlers/handler.h"
#include "handlers/syndicate.h"
#include "render/theme.h"
#include "store/store.h"
#include "test_util.h"

#define NOW ((int64_t)1700000000)
#define BASE "https://example.test"
#define SITE_NAME "نشرة <الأخبار> & \"شركاه\""
#define EVIL_RAW "<script>alert(1)</script> & \"quoted\" 'x' \x01\x0b\xff\xc3" "ctl"
#define EVIL_CLEAN "<script>alert(1)</script> & \"quoted\" 'x' ctl"
#define EVIL_SLUG_ENC "%D8%B9%D8%A7%D8%AC%D9%84-1"
#define POL_ENC "%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9"
#define FILLERS 22
#define SCHEDULED_AT (NOW + 7200)
#define SPORT_AT (NOW - 100000)

typedef struct fixture {
    char dir[64];
    store_t *store;
    theme_t *theme;
    site_config site;
    arena_t *arena;
    hreq_t rq;
    hresp_t rs;
    xmlDocPtr doc;
    int64_t evil_published;
    const char *path;   /* the request's path; NULL: "/" */
} fixture;

/* ---- building the site ---- */

static int64_t add_article(store_t *s, const char *slug, const char *title, int64_t cat,
                           int64_t author, int64_t published, article_status st,
                           const int64_t *tags, size_t ntags)
{
    store_article ar = {.slug = slug, .title = title, .lead = "مقدمة & تمهيد",
                        .body_md = "نص **عريض** هنا", .status = st,
                        .created_at = published - 60, .published_at = published,
                        .updated_at = published, .author_id = author, .category_id = cat};
    assert_int_equal(store_article_insert(s, &ar, tags, ntags), 0);
    return ar.id;
}

/* The hostile article. The store refuses control characters, so they are
 * put in afterwards with plain SQL, as an import or a damaged row would. */
static void add_evil(fixture *f, int64_t cat, int64_t author, const int64_t *tags)
{
    store_article ar = {.slug = "عاجل-1", .title = "<script>alert(1)</script>",
                        .lead = "أول & <b>", .body_md = "كلام **عريض** <script>x()</script>",
                        .status = ARTICLE_PUBLISHED, .created_at = NOW - 4000,
                        .published_at = NOW - 3600, .updated_at = NOW - 1800,
                        .author_id = author, .category_id = cat};
    assert_int_equal(store_article_insert(f->store, &ar, tags, 2), 0);
    char p[128];
    sqlite3 *db;
    sqlite3_stmt *st;
    snprintf(p, sizeof p, "%s/nashra.db", f->dir);
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE articles SET title = ?1 WHERE id = ?2", -1,
                                        &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, EVIL_RAW, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ar.id);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void seed(fixture *f, bool scheduled, int extra)
{
    store_t *s = f->store;
    assert_int_equal(store_setting_set(s, "site_name", SITE_NAME), 0);
    assert_int_equal(store_setting_set(s, "site_description", "أخبار <اليوم>"), 0);
    assert_int_equal(store_setting_set(s, "timezone_offset", "10800"), 0);
    store_author au = {.slug = "sara", .name = "سارة & <ب>"};
    assert_int_equal(store_author_insert(s, &au), 0);
    store_category pol = {.slug = "سياسة", .name = "سياسة", .position = 1};
    store_category sport = {.slug = "sport", .name = "رياضة", .position = 2};
    assert_int_equal(store_category_insert(s, &pol), 0);
    assert_int_equal(store_category_insert(s, &sport), 0);
    store_tag t1 = {.slug = "gaza", .name = "غزة"}, t2 = {.slug = "a-b", .name = "a&b"};
    assert_int_equal(store_tag_ensure(s, &t1), 0);
    assert_int_equal(store_tag_ensure(s, &t2), 0);
    int64_t tags[2] = {t1.id, t2.id};
    add_evil(f, pol.id, au.id, tags);
    add_article(s, "sport-1", "مباراة", sport.id, au.id, SPORT_AT, ARTICLE_PUBLISHED, NULL, 0);
    add_article(s, "old-1", "قديم", sport.id, 0, NOW - 10 * 86400, ARTICLE_PUBLISHED, NULL, 0);
    add_article(s, "draft-1", "مسودة", pol.id, au.id, NOW - 50, ARTICLE_DRAFT, NULL, 0);
    if (scheduled)
        add_article(s, "later-1", "لاحقاً", pol.id, au.id, SCHEDULED_AT, ARTICLE_SCHEDULED, NULL, 0);
    for (int i = 0; i < extra; i++) {
        char slug[32];
        snprintf(slug, sizeof slug, "filler-%d", i);
        add_article(s, slug, "حشو", sport.id, au.id, NOW - 30 * 86400 - i * 60,
                    ARTICLE_PUBLISHED, NULL, 0);
    }
    store_page pg = {.slug = "من-نحن", .title = "من نحن", .body_md = "نحن", .published = true,
                     .published_at = NOW - 90 * 86400, .updated_at = NOW - 80 * 86400};
    assert_int_equal(store_page_insert(s, &pg), 0);
    f->evil_published = NOW - 3600;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static fixture *fixture_new(bool scheduled, int extra)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_non_null(test_util_tmpdir(f->dir, sizeof f->dir, "feeds"));
    char p[128];
    snprintf(p, sizeof p, "%s/nashra.db", f->dir);
    assert_int_equal(store_open(p, STORE_CREATE, &f->store), 0);
    seed(f, scheduled, extra);
    snprintf(p, sizeof p, "%s/theme", f->dir);
    assert_int_equal(mkdir(p, 0700), 0);
    write_file(p, "style.css", "body{color:red}");
    snprintf(p, sizeof p, "%s/theme/img", f->dir);
    assert_int_equal(mkdir(p, 0700), 0);
    write_file(p, "logo.svg", "<svg/>");
    snprintf(p, sizeof p, "%s/theme", f->dir);
    char *err = NULL;
    assert_int_equal(theme_load(p, NULL, &f->theme, &err), 0);
    f->site = (site_config){.dir = f->dir, .base_url = BASE, .theme = f->theme};
    return f;
}

static void request(fixture *f, const char *slug, int page)
{
    xmlFreeDoc(f->doc);
    f->doc = NULL;
    arena_free(f->arena);
    f->arena = arena_new(0);
    f->rq = (hreq_t){.arena = f->arena, .store = f->store, .site = &f->site, .method = "GET",
                     .path = f->path ? f->path : "/", .now = NOW, .page = page};
    if (slug) {
        f->rq.params[0] = slug;
        f->rq.nparams = 1;
    }
    f->rs = (hresp_t){.status = 200, .content_type = "text/html; charset=utf-8"};
    buf_init(&f->rs.body, f->arena);
}

static void fixture_free(fixture *f)
{
    xmlFreeDoc(f->doc);
    arena_free(f->arena);
    theme_free(f->theme);
    assert_int_equal(test_util_store_dir_close(f->store, f->dir), 0);
    free(f);
}

static int setup_full(void **state)
{
    *state = fixture_new(true, FILLERS);
    return 0;
}

static int teardown(void **state)
{
    fixture_free(*state);
    return 0;
}

/* ---- reading the output ---- */

static void xml_silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Run handler h and parse its body strictly; the document is kept in f. */
static void run_xml(fixture *f, handler_fn h, const char *slug, int page, const char *type)
{
    request(f, slug, page);
    assert_int_equal(h(&f->rq, &f->rs), 0);
    assert_string_equal(f->rs.content_type, type);
    assert_true(f->rs.cacheable);
    const char *body = buf_cstr(&f->rs.body);
    assert_null(strstr(body, "<script"));
    f->doc = xmlReadMemory(body, (int)f->rs.body.len, "out.xml", NULL, XML_PARSE_NONET);
    assert_non_null(f->doc);
}

/* XPath expression evaluated to a string (arena copy) over f->doc. */
static const char *xp(fixture *f, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(f->doc);
    static const char *const ns[][2] = {
        {"atom", "http://www.w3.org/2005/Atom"},
        {"dc", "http://purl.org/dc/elements/1.1/"},
        {"content", "http://purl.org/rss/1.0/modules/content/"},
        {"sm", "http://www.sitemaps.org/schemas/sitemap/0.9"},
        {"news", "http://www.google.com/schemas/sitemap-news/0.9"},
    };
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
        xmlXPathRegisterNs(ctx, BAD_CAST ns[i][0], BAD_CAST ns[i][1]);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    assert_non_null(o);
    xmlChar *s = xmlXPathCastToString(o);
    char *out = arena_strdup(f->arena, (const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    return out;
}

static long xp_num(fixture *f, const char *expr)
{
    return strtol(xp(f, expr), NULL, 10);
}

/* ---- RSS ---- */

static void test_rss_site(void **state)
{
    fixture *f = *state;
    run_xml(f, handler_feed_rss, NULL, 1, "application/rss+xml; charset=utf-8");
    assert_string_equal(xp(f, "/rss/@version"), "2.0");
    assert_string_equal(xp(f, "/rss/channel/title"), SITE_NAME);
    assert_string_equal(xp(f, "/rss/channel/link"), BASE "/");
    assert_string_equal(xp(f, "/rss/channel/language"), "ar");
    assert_string_equal(xp(f, "/rss/channel/description"), "أخبار <اليوم>");
    assert_string_equal(xp(f, "/rss/channel/atom:link[@rel='self']/@href"), BASE "/feed/");
    assert_true(xp_num(f, "/rss/channel/ttl") > 0);
    assert_string_equal(xp(f, "/rss/channel/lastBuildDate"), date_http(f->arena, NOW - 1800));
    assert_int_equal(xp_num(f, "count(/rss/channel/item)"), 20);
    assert_int_equal(xp_num(f, "count(//item[contains(link,'draft-1') or contains(link,'later-1')])"), 0);
    assert_string_equal(xp(f, "//item[1]/title"), EVIL_CLEAN);
    assert_string_equal(xp(f, "//item[1]/link"), BASE "/" EVIL_SLUG_ENC "/");
    assert_string_equal(xp(f, "//item[1]/guid"), BASE "/" EVIL_SLUG_ENC "/");
    assert_string_equal(xp(f, "//item[1]/guid/@isPermaLink"), "true");
    assert_string_equal(xp(f, "//item[1]/pubDate"), date_http(f->arena, f->evil_published));
    assert_string_equal(xp(f, "//item[1]/dc:creator"), "سارة & <ب>");
    assert_string_equal(xp(f, "//item[1]/description"), "أول & <b>");
    assert_int_equal(xp_num(f, "count(//item[1]/category)"), 3);
    assert_int_equal(xp_num(f, "count(//item[1]/category[.='a&b'])"), 1);
    assert_int_equal(xp_num(f, "count(//item[1]/category[.='سياسة'])"), 1);
    assert_string_equal(xp(f, "//item[2]/title"), "مباراة");
    const char *html = xp(f, "//item[1]/content:encoded");
    assert_non_null(strstr(html, "عريض"));
    assert_non_null(strstr(html, "<p>"));
    assert_int_equal(f->rs.last_modified, NOW - 1800);
    assert_int_equal(f->rs.expires_at, SCHEDULED_AT);
}

static void test_rss_category(void **state)
{
    fixture *f = *state;
    f->path = "/category/سياسة/feed/";
    run_xml(f, handler_feed_rss, "سياسة", 1, "application/rss+xml; charset=utf-8");
    assert_string_equal(xp(f, "/rss/channel/title"), SITE_NAME " – سياسة");
    assert_string_equal(xp(f, "/rss/channel/link"), BASE "/category/" POL_ENC "/");
    assert_string_equal(xp(f, "/rss/channel/atom:link/@href"), BASE "/category/" POL_ENC "/feed/");
    assert_int_equal(xp_num(f, "count(//item)"), 1);
    assert_string_equal(xp(f, "//item/title"), EVIL_CLEAN);

    request(f, "لا-يوجد", 1);
    assert_int_equal(handler_feed_rss(&f->rq, &f->rs), NS_ENOTFOUND);
    assert_int_equal(handler_feed_atom(&f->rq, &f->rs), NS_ENOTFOUND);
}

/* A tag's and an author's feeds: their articles only, the archive as the
 * channel's link; a missing one is missing. */
static void test_rss_tag_author(void **state)
{
    fixture *f = *state;
    f->path = "/tag/gaza/feed/";
    run_xml(f, handler_feed_rss, "gaza", 1, "application/rss+xml; charset=utf-8");
    assert_string_equal(xp(f, "/rss/channel/title"), SITE_NAME " – غزة");
    assert_string_equal(xp(f, "/rss/channel/link"), BASE "/tag/gaza/");
    assert_string_equal(xp(f, "/rss/channel/atom:link/@href"), BASE "/tag/gaza/feed/");
    assert_int_equal(xp_num(f, "count(//item)"), 1);
    assert_string_equal(xp(f, "//item/title"), EVIL_CLEAN);

    f->path = "/author/sara/feed/atom/";
    run_xml(f, handler_feed_atom, "sara", 1, "application/atom+xml; charset=utf-8");
    assert_string_equal(xp(f, "/atom:feed/atom:link[@rel='alternate']/@href"), BASE "/author/sara/");
    assert_string_equal(xp(f, "/atom:feed/atom:link[@rel='self']/@href"), BASE "/author/sara/feed/atom/");
    assert_int_equal(xp_num(f, "count(//atom:entry[contains(atom:id, 'old-1')])"), 0); /* no author */
    assert_true(xp_num(f, "count(//atom:entry)") >= 2);
    assert_int_equal(xp_num(f, "count(//atom:entry[atom:author/atom:name!='سارة & <ب>'])"), 0);

    static const char *const missing[][2] = {{"/tag/none/feed/", "none"}, {"/author/none/feed/", "none"},
                                             {"/tag/sara/feed/", "sara"}, {"/author/gaza/feed/", "gaza"}};
    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
        f->path = missing[i][0];
        request(f, missing[i][1], 1);
        assert_int_equal(handler_feed_rss(&f->rq, &f->rs), NS_ENOTFOUND);
    }
}

/* The feed a moved page's old feed goes to: an archive's, else the page. */
static void test_feed_path(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    static const char *const cases[][2] = {
        {"/category/سياسة/", "/category/سياسة/feed/"},
        {"/tag/gaza/", "/tag/gaza/feed/"},
        {"/author/sara/", "/author/sara/feed/"},
        {"/category/a/page/2/", "/category/a/page/2/"},
        {"/category/", "/category/"},
        {"/category/a", "/category/a"},
        {"/some-article/", "/some-article/"},
        {"/", "/"},
        {"https://example.org/category/a/", "https://example.org/category/a/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_string_equal(handler_feed_path(a, cases[i][0]), cases[i][1]);
    assert_null(handler_feed_path(a, NULL));
    arena_free(a);
}

/* ---- Atom ---- */

static void test_atom(void **state)
{
    fixture *f = *state;
    run_xml(f, handler_feed_atom, NULL, 1, "application/atom+xml; charset=utf-8");
    assert_string_equal(xp(f, "/atom:feed/atom:id"), BASE "/feed/atom/");
    assert_string_equal(xp(f, "/atom:feed/atom:title"), SITE_NAME);
    assert_string_equal(xp(f, "/atom:feed/atom:updated"), date_iso8601(f->arena, NOW - 1800, 10800));
    assert_string_equal(xp(f, "/atom:feed/atom:link[@rel='self']/@href"), BASE "/feed/atom/");
    assert_string_equal(xp(f, "/atom:feed/atom:link[@rel='alternate']/@href"), BASE "/");
    assert_int_equal(xp_num(f, "count(//atom:entry)"), 20);
    assert_string_equal(xp(f, "//atom:entry[1]/atom:title"), EVIL_CLEAN);
    assert_string_equal(xp(f, "//atom:entry[1]/atom:id"), BASE "/" EVIL_SLUG_ENC "/");
    assert_string_equal(xp(f, "//atom:entry[1]/atom:link/@href"), BASE "/" EVIL_SLUG_ENC "/");
    assert_string_equal(xp(f, "//atom:entry[1]/atom:published"),
                        date_iso8601(f->arena, f->evil_published, 10800));
    assert_string_equal(xp(f, "//atom:entry[1]/atom:updated"), date_iso8601(f->arena, NOW - 1800, 10800));
    assert_string_equal(xp(f, "//atom:entry[1]/atom:author/atom:name"), "سارة & <ب>");
    assert_string_equal(xp(f, "//atom:entry[1]/atom:summary"), "أول & <b>");
    assert_string_equal(xp(f, "//atom:entry[1]/atom:content/@type"), "html");
    assert_non_null(strstr(xp(f, "//atom:entry[1]/atom:content"), "عريض"));
    assert_int_equal(f->rs.expires_at, SCHEDULED_AT);

    f->path = "/category/سياسة/feed/atom/";
    run_xml(f, handler_feed_atom, "سياسة", 1, "application/atom+xml; charset=utf-8");
    assert_string_equal(xp(f, "/atom:feed/atom:link[@rel='self']/@href"),
                        BASE "/category/" POL_ENC "/feed/atom/");
    assert_int_equal(xp_num(f, "count(//atom:entry)"), 1);
}

/* ---- sitemaps ---- */

static void test_sitemap_index_and_articles(void **state)
{
    fixture *f = *state;
    run_xml(f, handler_sitemap_index, NULL, 1, "application/xml; charset=utf-8");
    assert_int_equal(xp_num(f, "count(/sm:sitemapindex/sm:sitemap)"), 3);
    assert_int_equal(xp_num(f, "count(//sm:sitemap[sm:loc='" BASE "/sitemap-articles-1.xml'])"), 1);
    assert_int_equal(xp_num(f, "count(//sm:sitemap[sm:loc='" BASE "/sitemap-news.xml'])"), 1);
    assert_int_equal(xp_num(f, "count(//sm:sitemap[sm:loc='" BASE "/sitemap-pages.xml'])"), 1);
    assert_int_equal(xp_num(f, "count(//sm:sitemap[sm:lastmod=''])"), 0);

    run_xml(f, handler_sitemap_articles, NULL, 1, "application/xml; charset=utf-8");
    assert_int_equal(xp_num(f, "count(/sm:urlset/sm:url)"), 3 + FILLERS);
    assert_string_equal(xp(f, "//sm:url[1]/sm:loc"), BASE "/" EVIL_SLUG_ENC "/");
    assert_string_equal(xp(f, "//sm:url[1]/sm:lastmod"), date_iso8601(f->arena, NOW - 1800, 0));

    request(f, NULL, 2);
    assert_int_equal(handler_sitemap_articles(&f->rq, &f->rs), NS_ENOTFOUND);
    request(f, NULL, 0);
    assert_int_equal(handler_sitemap_articles(&f->rq, &f->rs), NS_ENOTFOUND);
}

static void test_sitemap_chunks(void **state)
{
    (void)state;
    fixture *f = fixture_new(false, 1001 - 3);
    run_xml(f, handler_sitemap_index, NULL, 1, "application/xml; charset=utf-8");
    assert_int_equal(xp_num(f, "count(//sm:sitemap)"), 4);
    assert_int_equal(xp_num(f, "count(//sm:sitemap[sm:loc='" BASE "/sitemap-articles-2.xml'])"), 1);
    run_xml(f, handler_sitemap_articles, NULL, 1, "application/xml; charset=utf-8");
    assert_int_equal(xp_num(f, "count(//sm:url)"), 1000);
    run_xml(f, handler_sitemap_articles, NULL, 2, "application/xml; charset=utf-8");
    assert_int_equal(xp_num(f, "count(//sm:url)"), 1);
    assert_string_equal(xp(f, "//sm:url/sm:loc"), BASE "/filler-997/");
    request(f, NULL, 3);
    assert_int_equal(handler_sitemap_articles(&f->rq, &f->rs), NS_ENOTFOUND);
    fixture_free(f);
}

static void test_sitemap_pages(void **state)
{
    fixture *f = *state;
    run_xml(f, handler_sitemap_pages, NULL, 1, "application/xml; charset=utf-8");
    assert_int_equal(xp_num(f, "count(/sm:urlset/sm:url)"), 4);
    assert_int_equal(xp_num(f, "count(//sm:url[sm:loc='" BASE "/'])"), 1);
    assert_int_equal(xp_num(f, "count(//sm:url[sm:loc='" BASE "/category/" POL_ENC "/'])"), 1);
    assert_int_equal(xp_num(f, "count(//sm:url[sm:loc='" BASE "/category/sport/'])"), 1);
    assert_string_equal(xp(f, "//sm:url[sm:loc='" BASE "/%D9%85%D9%86-%D9%86%D8%AD%D9%86/']/sm:lastmod"),
                        date_iso8601(f->arena, NOW - 80 * 86400, 0));
}

static void test_sitemap_news(void **state)
{
    fixture *f = *state;
    run_xml(f, handler_sitemap_news, NULL, 1, "application/xml; charset=utf-8");
    assert_int_equal(xp_num(f, "count(/sm:urlset/sm:url)"), 2);
    assert_string_equal(xp(f, "//sm:url[1]/sm:loc"), BASE "/" EVIL_SLUG_ENC "/");
    assert_string_equal(xp(f, "//sm:url[1]/news:news/news:title"), EVIL_CLEAN);
    assert_string_equal(xp(f, "//sm:url[1]/news:news/news:publication/news:name"), SITE_NAME);
    assert_string_equal(xp(f, "//sm:url[1]/news:news/news:publication/news:language"), "ar");
    assert_string_equal(xp(f, "//sm:url[1]/news:news/news:publication_date"),
                        date_iso8601(f->arena, f->evil_published, 10800));
    assert_string_equal(xp(f, "//sm:url[2]/news:news/news:title"), "مباراة");
    /* The scheduled article comes before the sport one ages out. */
    assert_int_equal(f->rs.expires_at, SCHEDULED_AT);
}

static void test_sitemap_news_window_expiry(void **state)
{
    (void)state;
    fixture *f = fixture_new(false, 0);
    run_xml(f, handler_sitemap_news, NULL, 1, "application/xml; charset=utf-8");
    assert_int_equal(xp_num(f, "count(//sm:url)"), 2);
    assert_int_equal(f->rs.expires_at, SPORT_AT + 172800);
    fixture_free(f);
}

/* ---- the XML writer on its own: what a store might let through ---- */

static void test_writer_filters(void **state)
{
    fixture *f = *state;
    request(f, NULL, 1);
    synd_xml *w = synd_xml_new(f->arena);
    synd_xml_start(w, "r");
    synd_xml_attr(w, "a", "q\"<&>\x02" "z");
    synd_xml_elem(w, "t", "a\x01" "b\x1f" "c\xff\xfe" "d\xed\xa0\x80" "e\xef\xbf\xbe" "f<]]>&\t");
    synd_xml_elem(w, "absent", NULL);
    synd_xml_end(w);
    assert_int_equal(synd_xml_finish(w, &f->rq, &f->rs, "application/xml"), 0);
    f->doc = xmlReadMemory(f->rs.body.data, (int)f->rs.body.len, "w.xml", NULL, XML_PARSE_NONET);
    assert_non_null(f->doc);
    assert_string_equal(xp(f, "/r/@a"), "q\"<&>z");
    assert_string_equal(xp(f, "/r/t"), "abcdef<]]>&\t");
    assert_int_equal(xp_num(f, "count(/r/absent)"), 0);
    assert_string_equal(synd_clean(f->arena, NULL), "");
    assert_string_equal(synd_clean(f->arena, "سلام\x7f"), "سلام\x7f");
}

/* ---- robots, healthz, assets ---- */

static void test_robots_healthz(void **state)
{
    fixture *f = *state;
    request(f, NULL, 1);
    assert_int_equal(handler_robots(&f->rq, &f->rs), 0);
    assert_string_equal(buf_cstr(&f->rs.body),
                        "User-agent: *\nAllow: /\nSitemap: " BASE "/sitemap.xml\n");
    assert_string_equal(f->rs.content_type, "text/plain; charset=utf-8");

    request(f, NULL, 1);
    f->rs.cacheable = true;
    assert_int_equal(handler_healthz(&f->rq, &f->rs), 0);
    assert_string_equal(buf_cstr(&f->rs.body), "ok\ndatabase ok\n");
    assert_string_equal(f->rs.content_type, "text/plain; charset=utf-8");
    assert_false(f->rs.cacheable);
    assert_int_equal(f->rs.status, 200);
}

static void test_assets(void **state)
{
    fixture *f = *state;
    request(f, "style.css", 1);
    assert_int_equal(handler_asset(&f->rq, &f->rs), 0);
    assert_string_equal(buf_cstr(&f->rs.body), "body{color:red}");
    assert_string_equal(f->rs.content_type, "text/css; charset=utf-8");
    assert_int_equal(f->rs.max_age, 86400);
    assert_true(f->rs.cacheable);

    request(f, "img/logo.svg", 1);
    assert_int_equal(handler_asset(&f->rq, &f->rs), 0);
    assert_string_equal(f->rs.content_type, "image/svg+xml");
    assert_int_equal(f->rs.body.len, 6);

    static const char *const bad[] = {
        "../nashra.db", "img/../style.css", "/etc/passwd", "a//b.css", ".hidden.css",
        "img/.x.svg", "missing.css", "style", "style.exe", "img\\logo.svg", "", "a\x01.css",
        "./style.css",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        request(f, bad[i], 1);
        assert_int_equal(handler_asset(&f->rq, &f->rs), NS_ENOTFOUND);
    }
    request(f, NULL, 1);
    assert_int_equal(handler_asset(&f->rq, &f->rs), NS_ENOTFOUND);
}

/* One Range header on "2022/x.JPG" (4 bytes, "jpeg"): the status, and
 * for a 206 the body and Content-Range; if_range NULL: none. */
static void range_case(fixture *f, const char *range, const char *if_range, int status,
                       const char *body, const char *content_range)
{
    request(f, "2022/x.JPG", 1);
    hreq_param h[2] = {{.name = "range", .value = range}, {.name = "if-range", .value = if_range}};
    f->rq.headers = h;
    f->rq.nheaders = if_range ? 2 : 1;
    assert_int_equal(handler_upload(&f->rq, &f->rs), 0);
    if (f->rs.status != status)
        fail_msg("Range: %s: %d, expected %d", range, f->rs.status, status);
    const char *cr = NULL;
    for (size_t i = 0; i < f->rs.nheaders; i++)
        if (strcmp(f->rs.headers[i].name, "Content-Range") == 0)
            cr = f->rs.headers[i].value;
    if (status == 200) {
        assert_null(cr);
        assert_string_equal(buf_cstr(&f->rs.body), "jpeg");
        return;
    }
    assert_false(f->rs.cacheable);
    assert_non_null(cr);
    assert_string_equal(cr, content_range);
    if (body)
        assert_string_equal(buf_cstr(&f->rs.body), body);
}

static void test_upload_ranges(void **state)
{
    fixture *f = *state;
    char p[256];
    snprintf(p, sizeof p, "%s/uploads", f->dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/uploads/2022", f->dir);
    assert_int_equal(mkdir(p, 0700), 0);
    write_file(p, "x.JPG", "jpeg");
    range_case(f, "bytes=0-1", NULL, 206, "jp", "bytes 0-1/4");
    range_case(f, "bytes=1-", NULL, 206, "peg", "bytes 1-3/4");
    range_case(f, "bytes=2-99", NULL, 206, "eg", "bytes 2-3/4");
    range_case(f, "bytes=-3", NULL, 206, "peg", "bytes 1-3/4");
    range_case(f, "bytes=-10", NULL, 206, "jpeg", "bytes 0-3/4");
    range_case(f, "bytes=3-3", NULL, 206, "g", "bytes 3-3/4");
    range_case(f, "bytes=4-", NULL, 416, NULL, "bytes */4");
    range_case(f, "bytes=-0", NULL, 416, NULL, "bytes */4");
    static const char *const whole[] = {
        "bytes=2-1", "bytes=0-1,2-3", "bytes=", "bytes=-", "bytes=x-1", "bytes=1-x", "items=0-1",
        "bytes= 0-1", "bytes=+1-2", "bytes=99999999999999999999-", "bytes=0-99999999999999999999",
    };
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
        range_case(f, whole[i], NULL, 200, NULL, NULL);
    /* If-Range: the file's own date honours the range, anything else not */
    struct stat st;
    snprintf(p, sizeof p, "%s/uploads/2022/x.JPG", f->dir);
    assert_int_equal(stat(p, &st), 0);
    char same[64], older[64]; /* copies: each case starts a fresh arena */
    snprintf(same, sizeof same, "%s", date_http(f->arena, st.st_mtime));
    snprintf(older, sizeof older, "%s", date_http(f->arena, st.st_mtime - 1));
    range_case(f, "bytes=0-1", same, 206, "jp", "bytes 0-1/4");
    range_case(f, "bytes=0-1", older, 200, NULL, NULL);
    range_case(f, "bytes=0-1", "\"some-etag\"", 200, NULL, NULL);
}

/* Media files: from DIR/uploads only, regular files, typed by extension. */
static void test_uploads(void **state)
{
    fixture *f = *state;
    char p[256], q[256];
    snprintf(p, sizeof p, "%s/uploads", f->dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/uploads/2022", f->dir);
    assert_int_equal(mkdir(p, 0700), 0);
    write_file(p, "x.JPG", "jpeg");
    write_file(p, "a.svg", "<svg/>");
    write_file(p, "page.html", "<script>");
    snprintf(p, sizeof p, "%s/uploads/2022/fifo.mp3", f->dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    snprintf(p, sizeof p, "%s/uploads/2022/db.jpg", f->dir);
    snprintf(q, sizeof q, "%s/nashra.db", f->dir);
    assert_int_equal(symlink(q, p), 0);
    snprintf(p, sizeof p, "%s/uploads/up", f->dir);
    assert_int_equal(symlink("..", p), 0);

    request(f, "2022/x.JPG", 1);
    assert_int_equal(handler_upload(&f->rq, &f->rs), 0);
    assert_string_equal(buf_cstr(&f->rs.body), "jpeg");
    assert_string_equal(f->rs.content_type, "image/jpeg");
    assert_int_equal(f->rs.max_age, 86400);
    assert_true(f->rs.last_modified > 0);
    assert_true(f->rs.cacheable);
    assert_int_equal(f->rs.status, 200);
    assert_int_equal(f->rs.nheaders, 1);
    assert_string_equal(f->rs.headers[0].name, "Accept-Ranges");

    request(f, "2022/a.svg", 1);
    assert_int_equal(handler_upload(&f->rq, &f->rs), 0);
    assert_string_equal(f->rs.content_type, "image/svg+xml");
    assert_int_equal(f->rs.nheaders, 2);
    assert_string_equal(f->rs.headers[1].name, "Content-Security-Policy");
    assert_non_null(strstr(f->rs.headers[1].value, "sandbox"));

    request(f, "2022/page.html", 1);
    assert_int_equal(handler_upload(&f->rq, &f->rs), 0);
    assert_string_equal(f->rs.content_type, "application/octet-stream");
    assert_string_equal(f->rs.headers[1].name, "Content-Disposition");
    assert_string_equal(f->rs.headers[1].value, "attachment; filename*=UTF-8''page.html");

    static const char *const bad[] = {
        "2022/fifo.mp3", "2022/db.jpg", "up/nashra.db", "up/uploads/2022/x.JPG", "2022", "2022/",
        "../nashra.db", "2022/../2022/x.JPG", "./2022/x.JPG", "2022//x.JPG", ".hidden", "2022\\x.JPG",
        "/etc/passwd", "missing.jpg", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        request(f, bad[i], 1);
        if (handler_upload(&f->rq, &f->rs) != NS_ENOTFOUND)
            fail_msg("%s served", bad[i]);
    }
    request(f, NULL, 1);
    assert_int_equal(handler_upload(&f->rq, &f->rs), NS_ENOTFOUND);
}

int main(void)
{
    xmlSetGenericErrorFunc(NULL, xml_silent);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rss_site, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_rss_category, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_rss_tag_author, setup_full, teardown),
        cmocka_unit_test(test_feed_path),
        cmocka_unit_test_setup_teardown(test_atom, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_sitemap_index_and_articles, setup_full, teardown),
        cmocka_unit_test(test_sitemap_chunks),
        cmocka_unit_test_setup_teardown(test_sitemap_pages, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_sitemap_news, setup_full, teardown),
        cmocka_unit_test(test_sitemap_news_window_expiry),
        cmocka_unit_test_setup_teardown(test_writer_filters, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_robots_healthz, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_assets, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_uploads, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_upload_ranges, setup_full, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
