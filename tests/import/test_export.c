/*
 * test_export.c - a site written as WXR (import/export.h) and read back
 * with libxml2: every item, term and comment with its values, the
 * categories parents first, text WordPress's parsers would choke on made
 * safe, articles past one batch, and a failing output reported. Runs on
 * each store backend.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "core/err.h"
#include "import/export.h"
#include "store/store.h"
#include "store/backend.h"

#define NOW INT64_C(1767225600) /* 2026-01-01 00:00:00 UTC */
#define HOUR 3600
#define BASE "https://example.test"

typedef struct fx {
    const backend *be;
    backend_loc loc;
    store_t *s;
    arena_t *a;
    int64_t author, world, arab, tag_ar, tag_en;
    int64_t published, scheduled, draft, pending, markdown;
    int64_t media, page_parent, page_child, page_hidden;
    int64_t c_top, c_reply, c_held, c_spam;
    char *xml;
    size_t xml_len;
    xmlDocPtr doc;
    xmlXPathContextPtr xp;
} fx;

static int setup(void **state)
{
    fx *f = backend_fixture_new(state, sizeof *f);
    if (!f)
        return -1;
    f->a = arena_new(0);
    *state = f;
    return store_open(f->loc.location, STORE_CREATE, &f->s) ? -1 : 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    if (f->xp)
        xmlXPathFreeContext(f->xp);
    if (f->doc)
        xmlFreeDoc(f->doc);
    free(f->xml);
    store_close(f->s);
    int rc = f->be->drop(&f->loc);
    arena_free(f->a);
    free(f);
    return rc;
}

/* ---- the site ---- */

typedef struct art {
    const char *slug, *title, *lead, *body, *body_html;
    article_status status;
    int64_t pub;
    const int64_t *tags;
    size_t ntags;
} art;

static int64_t add_article(fx *f, art x, void (*more)(store_article *))
{
    store_article ar = {0};
    ar.slug = x.slug;
    ar.title = x.title;
    ar.lead = x.lead;
    ar.body_md = x.body;
    ar.body_html = x.body_html;
    ar.body_format = BODY_MARKDOWN;
    ar.status = x.status;
    ar.comments_open = true;
    ar.created_at = NOW - 2 * HOUR;
    ar.published_at = x.pub;
    ar.updated_at = NOW - HOUR;
    ar.author_id = f->author;
    ar.category_id = f->arab;
    if (more)
        more(&ar);
    assert_int_equal(store_article_insert(f->s, &ar, x.tags, x.ntags), 0);
    return ar.id;
}

static int64_t add_comment(fx *f, int64_t article, int64_t parent, comment_status st,
                           const char *name, const char *body)
{
    store_comment c = {0};
    c.article_id = article;
    c.parent_id = parent;
    c.author_name = name;
    c.author_email = "reader@example.test";
    c.author_url = "";
    c.body = body;
    c.ip = "hash";
    c.status = st;
    c.created_at = NOW - HOUR / 2;
    assert_int_equal(store_comment_import(f->s, &c), 0);
    return c.id;
}

static int64_t add_page(fx *f, const char *slug, const char *title, int64_t parent, int order,
                        bool published)
{
    store_page p = {0};
    p.slug = slug;
    p.title = title;
    p.body_md = "نص **الصفحة**";
    p.body_format = BODY_MARKDOWN;
    p.published = published;
    p.published_at = p.updated_at = NOW - 3 * HOUR;
    p.parent_id = parent;
    p.menu_order = order;
    assert_int_equal(store_page_insert(f->s, &p), 0);
    return p.id;
}

static void featured_video(store_article *ar)
{
    ar->sticky = true;
    ar->kicker = "عاجل";
    ar->source = "وطن";
    ar->video = true;
    ar->video_url = "https://video.example/v/1";
    ar->image_url = "/uploads/2026/01/صورة.jpg";
    ar->image_alt = "وصف الصورة";
}

static void closed_external_image(store_article *ar)
{
    ar->comments_open = false;
    ar->image_url = "https://cdn.example/x.jpg";
}

static void make_terms(fx *f)
{
    store_author au = {0, "kateb", "كاتب الموقع", "", "kateb@example.test", NULL};
    assert_int_equal(store_author_insert(f->s, &au), 0);
    f->author = au.id;
    /* listed by position: the child first, so the export must reorder */
    store_category world = {0, 0, "world", "العالم", "أخبار العالم", 2};
    assert_int_equal(store_category_insert(f->s, &world), 0);
    store_category arab = {0, world.id, "عربي", "عربي", NULL, 1};
    assert_int_equal(store_category_insert(f->s, &arab), 0);
    f->world = world.id;
    f->arab = arab.id;
    store_tag t1 = {0, NULL, "أمن سيبراني"}, t2 = {0, NULL, "economy"};
    assert_int_equal(store_tag_ensure(f->s, &t1), 0);
    assert_int_equal(store_tag_ensure(f->s, &t2), 0);
    f->tag_ar = t1.id;
    f->tag_en = t2.id;
    assert_int_equal(store_setting_set(f->s, "site_name", "موقع التجربة"), 0);
    assert_int_equal(store_setting_set(f->s, "timezone_offset", "10800"), 0);
}

static void make_site(fx *f)
{
    make_terms(f);
    store_media m = {0};
    m.url = "/uploads/2026/01/صورة.jpg";
    m.title = "صورة";
    m.alt = "بديل";
    m.caption = "تعليق الصورة";
    m.mime = "image/jpeg";
    m.created_at = NOW - 5 * HOUR;
    assert_int_equal(store_media_insert(f->s, &m), 0);
    f->media = m.id;
    int64_t both[] = {f->tag_ar, f->tag_en};
    f->published = add_article(f, (art){"منشور", "خبر منشور", "مقدمة ]]> فيها", "x",
                                        "<p>a ]]> bcd</p>", ARTICLE_PUBLISHED,
                                        NOW - HOUR, both, 2}, featured_video);
    f->scheduled = add_article(f, (art){"scheduled", "مجدول", "", "مجدول", NULL, ARTICLE_SCHEDULED,
                                        NOW + 24 * HOUR, NULL, 0}, NULL);
    f->draft = add_article(f, (art){"draft", "مسودة", "", "مسودة", NULL, ARTICLE_DRAFT, 0, NULL, 0},
                           closed_external_image);
    f->pending = add_article(f, (art){"pending", "بانتظار", "", "بانتظار", NULL, ARTICLE_PENDING, 0,
                                      NULL, 0}, NULL);
    f->markdown = add_article(f, (art){"md", "ماركداون", "", "نص **قوي**", NULL, ARTICLE_PUBLISHED,
                                       NOW - 3 * HOUR, NULL, 0}, NULL);
    /* control characters XML 1.0 forbids: the store refuses them, another
     * program's SQL does not */
    const char *chr = strcmp(f->be->name, "sqlite") == 0 ? "char" : "chr";
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE articles SET body_html = '<p>a ]]> b' || %s(1) || 'c' || %s(11) || 'd</p>'"
             " WHERE id = %lld",
             chr, chr, (long long)f->published);
    assert_int_equal(f->be->exec(f->loc.location, sql), 0);
    int64_t changed;
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM articles WHERE id = %lld AND body_html <> '<p>a ]]> bcd</p>'",
             (long long)f->published);
    assert_int_equal(f->be->query_int(f->loc.location, sql, &changed), 0);
    assert_int_equal(changed, 1);
    m.article_id = f->published;
    assert_int_equal(store_media_update(f->s, &m), 0);
    f->c_top = add_comment(f, f->published, 0, COMMENT_APPROVED, "باسل", "أول ]]> تعليق");
    f->c_reply = add_comment(f, f->published, f->c_top, COMMENT_APPROVED, "سلمى", "رد");
    f->c_held = add_comment(f, f->published, 0, COMMENT_PENDING, "هالة", "معلق");
    f->c_spam = add_comment(f, f->published, 0, COMMENT_SPAM, "spam", "buy");
    f->page_parent = add_page(f, "about", "من نحن", 0, 0, true);
    f->page_child = add_page(f, "فريق", "الفريق", f->page_parent, 2, true);
    f->page_hidden = add_page(f, "hidden", "مخفية", 0, 0, false);
}

/* ---- the file, read back ---- */

static void export_and_parse(fx *f, const char *base, export_report *rep)
{
    FILE *out = open_memstream(&f->xml, &f->xml_len);
    assert_non_null(out);
    assert_int_equal(export_wordpress(f->s, base, out, rep), 0);
    assert_int_equal(fclose(out), 0);
    f->doc = xmlReadMemory(f->xml, (int)f->xml_len, "export.xml", "UTF-8", XML_PARSE_NONET);
    assert_non_null(f->doc);
    f->xp = xmlXPathNewContext(f->doc);
    static const char *const ns[][2] = {
        {"wp", "http://wordpress.org/export/1.2/"},
        {"content", "http://purl.org/rss/1.0/modules/content/"},
        {"excerpt", "http://wordpress.org/export/1.2/excerpt/"},
        {"dc", "http://purl.org/dc/elements/1.1/"},
    };
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
        assert_int_equal(xmlXPathRegisterNs(f->xp, BAD_CAST ns[i][0], BAD_CAST ns[i][1]), 0);
}

/* The string value of an XPath expression, printf-style, on f->a. */
static const char *xs(fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *xs(fx *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *expr = arena_vprintf(f->a, fmt, ap);
    va_end(ap);
    char *wrapped = arena_printf(f->a, "string(%s)", expr);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST wrapped, f->xp);
    assert_non_null(o);
    char *v = arena_strdup(f->a, (const char *)o->stringval);
    xmlXPathFreeObject(o);
    return v;
}

static long xn(fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static long xn(fx *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *expr = arena_vprintf(f->a, fmt, ap);
    va_end(ap);
    return atol(xs(f, "count(%s)", expr));
}

/* The item of post_id id, as an XPath. */
static const char *item(fx *f, int64_t post_id)
{
    return arena_printf(f->a, "/rss/channel/item[wp:post_id='%lld']", (long long)post_id);
}

static const char *meta(fx *f, int64_t post_id, const char *key)
{
    return xs(f, "%s/wp:postmeta[wp:meta_key='%s']/wp:meta_value", item(f, post_id), key);
}

/* ---- tests ---- */

static void test_channel_and_terms(void **state)
{
    fx *f = *state;
    make_site(f);
    export_report rep;
    export_and_parse(f, BASE "/", &rep);
    assert_string_equal(xs(f, "/rss/@version"), "2.0");
    assert_string_equal(xs(f, "/rss/channel/title"), "موقع التجربة");
    assert_string_equal(xs(f, "/rss/channel/wp:wxr_version"), "1.2");
    assert_string_equal(xs(f, "/rss/channel/wp:base_site_url"), BASE);
    assert_string_equal(xs(f, "/rss/channel/wp:base_blog_url"), BASE);
    assert_string_equal(xs(f, "/rss/channel/language"), "ar");
    /* the prefixes WordPress's fallback parser matches literally */
    assert_non_null(strstr(f->xml, "<wp:wxr_version>"));
    assert_non_null(strstr(f->xml, "xmlns:wp=\"http://wordpress.org/export/1.2/\""));

    assert_string_equal(xs(f, "/rss/channel/wp:author/wp:author_login"), "kateb");
    assert_string_equal(xs(f, "/rss/channel/wp:author/wp:author_email"), "kateb@example.test");
    assert_string_equal(xs(f, "/rss/channel/wp:author/wp:author_display_name"), "كاتب الموقع");

    /* the parent first, whatever the list's order */
    assert_string_equal(xs(f, "/rss/channel/wp:category[1]/wp:category_nicename"), "world");
    assert_string_equal(xs(f, "/rss/channel/wp:category[1]/wp:category_description"), "أخبار العالم");
    assert_string_equal(xs(f, "/rss/channel/wp:category[2]/wp:category_nicename"), "%d8%b9%d8%b1%d8%a8%d9%8a");
    assert_string_equal(xs(f, "/rss/channel/wp:category[2]/wp:category_parent"), "world");
    assert_string_equal(xs(f, "/rss/channel/wp:category[2]/wp:cat_name"), "عربي");
    assert_string_equal(xs(f, "/rss/channel/wp:category[2]/wp:term_id"),
                        arena_printf(f->a, "%lld", (long long)(2 * f->arab)));

    assert_int_equal(xn(f, "/rss/channel/wp:tag"), 2);
    assert_string_equal(xs(f, "/rss/channel/wp:tag[wp:tag_name='أمن سيبراني']/wp:tag_slug"),
                        "%d8%a3%d9%85%d9%86-%d8%b3%d9%8a%d8%a8%d8%b1%d8%a7%d9%86%d9%8a");
    assert_string_equal(xs(f, "/rss/channel/wp:tag[wp:tag_name='economy']/wp:term_id"),
                        arena_printf(f->a, "%lld", (long long)(2 * f->tag_en + 1)));

    assert_int_equal(rep.posts, 5);
    assert_int_equal(rep.pages, 3);
    assert_int_equal(rep.attachments, 1);
    assert_int_equal(rep.comments, 4);
    assert_int_equal(rep.categories, 2);
    assert_int_equal(rep.tags, 2);
    assert_int_equal(rep.authors, 1);
    assert_int_equal(xn(f, "/rss/channel/item[wp:post_type='post']"), 5);
    assert_int_equal(xn(f, "/rss/channel/item[wp:post_type='page']"), 3);
    assert_int_equal(xn(f, "/rss/channel/item[wp:post_type='attachment']"), 1);
    /* one id space for the three kinds */
    assert_int_equal(xn(f, "/rss/channel/item"), 9);
    for (int i = 1; i <= 9; i++)
        assert_int_equal(xn(f, "/rss/channel/item[wp:post_id=/rss/channel/item[%d]/wp:post_id]", i), 1);
}

static void test_articles(void **state)
{
    fx *f = *state;
    make_site(f);
    export_and_parse(f, BASE, NULL);
    static const struct {
        size_t off;
        const char *status;
    } statuses[] = {
        {offsetof(fx, published), "publish"},
        {offsetof(fx, scheduled), "future"},
        {offsetof(fx, draft), "draft"},
        {offsetof(fx, pending), "pending"},
    };
    for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++) {
        int64_t id = *(int64_t *)((char *)f + statuses[i].off);
        assert_string_equal(xs(f, "%s/wp:status", item(f, 3 * id)), statuses[i].status);
    }
    const char *it = item(f, 3 * f->published);
    assert_string_equal(xs(f, "%s/title", it), "خبر منشور");
    assert_string_equal(xs(f, "%s/wp:post_name", it), "%d9%85%d9%86%d8%b4%d9%88%d8%b1");
    assert_string_equal(xs(f, "%s/link", it), BASE "/%d9%85%d9%86%d8%b4%d9%88%d8%b1/");
    assert_string_equal(xs(f, "%s/dc:creator", it), "kateb");
    /* "]]>" kept across two CDATA sections, control characters gone */
    assert_string_equal(xs(f, "%s/content:encoded", it), "<p>a ]]> bcd</p>");
    assert_string_equal(xs(f, "%s/excerpt:encoded", it), "مقدمة ]]> فيها");
    assert_null(strchr(f->xml, '\x01'));
    assert_null(strchr(f->xml, '\x0b'));
    /* site time three hours ahead of UTC */
    assert_string_equal(xs(f, "%s/wp:post_date_gmt", it), "2025-12-31 23:00:00");
    assert_string_equal(xs(f, "%s/wp:post_date", it), "2026-01-01 02:00:00");
    assert_string_equal(xs(f, "%s/wp:post_modified_gmt", it), "2025-12-31 23:00:00");
    assert_string_equal(xs(f, "%s/wp:is_sticky", it), "1");
    assert_string_equal(xs(f, "%s/wp:comment_status", it), "open");
    assert_string_equal(xs(f, "%s/guid/@isPermaLink", it), "false");
    assert_string_equal(xs(f, "%s/category[@domain='category']/@nicename", it),
                        "%d8%b9%d8%b1%d8%a8%d9%8a");
    assert_string_equal(xs(f, "%s/category[@domain='category']", it), "عربي");
    assert_int_equal(xn(f, "%s/category[@domain='post_tag']", it), 2);
    assert_string_equal(xs(f, "%s/category[@domain='post_tag' and @nicename='economy']", it), "economy");
    assert_string_equal(meta(f, 3 * f->published, "_thumbnail_id"),
                        arena_printf(f->a, "%lld", (long long)(3 * f->media - 2)));
    assert_string_equal(meta(f, 3 * f->published, "nashra_kicker"), "عاجل");
    assert_string_equal(meta(f, 3 * f->published, "nashra_source"), "وطن");
    assert_string_equal(meta(f, 3 * f->published, "nashra_video"), "1");
    assert_string_equal(meta(f, 3 * f->published, "nashra_video_url"), "https://video.example/v/1");
    assert_string_equal(meta(f, 3 * f->published, "nashra_image_alt"), "وصف الصورة");
    assert_int_equal(xn(f, "%s/wp:postmeta[wp:meta_key='nashra_image_url']", it), 0);

    const char *draft = item(f, 3 * f->draft);
    assert_string_equal(xs(f, "%s/wp:comment_status", draft), "closed");
    assert_string_equal(xs(f, "%s/wp:is_sticky", draft), "0");
    assert_string_equal(meta(f, 3 * f->draft, "nashra_image_url"), "https://cdn.example/x.jpg");
    assert_int_equal(xn(f, "%s/wp:postmeta[wp:meta_key='_thumbnail_id']", draft), 0);
    assert_int_equal(xn(f, "%s/wp:postmeta[wp:meta_key='nashra_video']", draft), 0);
    /* a Markdown body is written rendered */
    assert_non_null(strstr(xs(f, "%s/content:encoded", item(f, 3 * f->markdown)), "<strong>قوي</strong>"));
}

static void test_comments(void **state)
{
    fx *f = *state;
    make_site(f);
    export_and_parse(f, BASE, NULL);
    const char *it = item(f, 3 * f->published);
    assert_int_equal(xn(f, "%s/wp:comment", it), 4);
    assert_int_equal(xn(f, "/rss/channel/item/wp:comment"), 4);
    static const struct {
        size_t off;
        const char *approved;
    } cs[] = {
        {offsetof(fx, c_top), "1"},
        {offsetof(fx, c_reply), "1"},
        {offsetof(fx, c_held), "0"},
        {offsetof(fx, c_spam), "spam"},
    };
    for (size_t i = 0; i < sizeof cs / sizeof *cs; i++) {
        int64_t id = *(int64_t *)((char *)f + cs[i].off);
        const char *c = arena_printf(f->a, "%s/wp:comment[wp:comment_id='%lld']", it, (long long)id);
        assert_string_equal(xs(f, "%s/wp:comment_approved", c), cs[i].approved);
        assert_string_equal(xs(f, "%s/wp:comment_author_IP", c), "");
        assert_string_equal(xs(f, "%s/wp:comment_user_id", c), "0");
        assert_string_equal(xs(f, "%s/wp:comment_author_email", c), "reader@example.test");
        assert_string_equal(xs(f, "%s/wp:comment_parent", c),
                            id == f->c_reply ? arena_printf(f->a, "%lld", (long long)f->c_top) : "0");
    }
    const char *top = arena_printf(f->a, "%s/wp:comment[wp:comment_id='%lld']", it, (long long)f->c_top);
    assert_string_equal(xs(f, "%s/wp:comment_content", top), "أول ]]> تعليق");
    assert_string_equal(xs(f, "%s/wp:comment_author", top), "باسل");
    assert_string_equal(xs(f, "%s/wp:comment_date_gmt", top), "2025-12-31 23:30:00");
    assert_string_equal(xs(f, "%s/wp:comment_date", top), "2026-01-01 02:30:00");
}

static void test_pages_and_media(void **state)
{
    fx *f = *state;
    make_site(f);
    export_and_parse(f, BASE, NULL);
    const char *parent = item(f, 3 * f->page_parent - 1), *child = item(f, 3 * f->page_child - 1);
    assert_string_equal(xs(f, "%s/wp:post_type", parent), "page");
    assert_string_equal(xs(f, "%s/wp:post_parent", parent), "0");
    assert_string_equal(xs(f, "%s/wp:post_parent", child),
                        arena_printf(f->a, "%lld", (long long)(3 * f->page_parent - 1)));
    assert_string_equal(xs(f, "%s/wp:menu_order", child), "2");
    assert_string_equal(xs(f, "%s/wp:post_name", child), "%d9%81%d8%b1%d9%8a%d9%82");
    assert_string_equal(xs(f, "%s/wp:status", child), "publish");
    assert_string_equal(xs(f, "%s/wp:status", item(f, 3 * f->page_hidden - 1)), "draft");
    assert_non_null(strstr(xs(f, "%s/content:encoded", parent), "<strong>الصفحة</strong>"));

    const char *m = item(f, 3 * f->media - 2);
    assert_string_equal(xs(f, "%s/wp:post_type", m), "attachment");
    assert_string_equal(xs(f, "%s/wp:attachment_url", m),
                        BASE "/uploads/2026/01/%d8%b5%d9%88%d8%b1%d8%a9.jpg");
    assert_string_equal(meta(f, 3 * f->media - 2, "_wp_attached_file"), "2026/01/صورة.jpg");
    assert_string_equal(meta(f, 3 * f->media - 2, "_wp_attachment_image_alt"), "بديل");
    assert_string_equal(xs(f, "%s/excerpt:encoded", m), "تعليق الصورة");
    assert_string_equal(xs(f, "%s/wp:post_parent", m),
                        arena_printf(f->a, "%lld", (long long)(3 * f->published)));
}

/* More articles than one batch of ids: every one written, once. */
static void test_batches(void **state)
{
    fx *f = *state;
    make_terms(f);
    enum { N = 450 };
    store_index_defer(f->s, true);
    assert_int_equal(store_begin(f->s), 0);
    for (int i = 0; i < N; i++) {
        char slug[32], title[32];
        snprintf(slug, sizeof slug, "a-%d", i);
        snprintf(title, sizeof title, "خبر %d", i);
        add_article(f, (art){slug, title, "", "نص", NULL, ARTICLE_PUBLISHED, NOW - HOUR, NULL, 0}, NULL);
    }
    assert_int_equal(store_commit(f->s), 0);
    export_report rep;
    export_and_parse(f, NULL, &rep);
    assert_int_equal(rep.posts, N);
    assert_int_equal(xn(f, "/rss/channel/item[wp:post_type='post']"), N);
    assert_int_equal(xn(f, "/rss/channel/item[wp:post_name='a-0']"), 1);
    assert_int_equal(xn(f, "/rss/channel/item[wp:post_name='a-449']"), 1);
    /* no --base-url and no site_url setting: the address nashra serves on by default */
    assert_string_equal(xs(f, "/rss/channel/wp:base_site_url"), EXPORT_DEFAULT_BASE_URL);
    assert_string_equal(xs(f, "/rss/channel/item[wp:post_name='a-7']/link"),
                        EXPORT_DEFAULT_BASE_URL "/a-7/");
}

/* A full disk is an error, never a short file taken for an export. */
static void test_write_failure(void **state)
{
    fx *f = *state;
    make_site(f);
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    export_report rep;
    assert_int_equal(export_wordpress(f->s, BASE, full, &rep), NS_EIO);
    fclose(full);
    /* the store is left outside any snapshot */
    assert_false(store_in_transaction(f->s));
}

static void test_slug_encode(void **state)
{
    fx *f = *state;
    assert_string_equal(export_slug_encode(f->a, "غير-مصنف", false),
                        "%d8%ba%d9%8a%d8%b1-%d9%85%d8%b5%d9%86%d9%81");
    assert_string_equal(export_slug_encode(f->a, "a b/c", false), "a%20b%2fc");
    assert_string_equal(export_slug_encode(f->a, "/a b/c", true), "/a%20b/c");
    assert_string_equal(export_slug_encode(f->a, NULL, false), "");
}

#define TESTS(T)                   \
    T(channel_and_terms, setup)    \
    T(articles, setup)             \
    T(comments, setup)             \
    T(pages_and_media, setup)      \
    T(batches, setup)              \
    T(write_failure, setup)        \
    T(slug_encode, setup)

BACKEND_MAIN("test_export", TESTS)
