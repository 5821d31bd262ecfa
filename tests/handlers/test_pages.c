/*
 * test_pages.c - the reader-facing pages rendered end to end through their
 * handlers, from a real in-memory store and the default theme: the seed
 * article of the demo site must show every element of the original page,
 * user text must come out escaped, comments must thread, and archives,
 * the home page and the error page must follow the page contract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "cli/demo.h"
#include "core/arena.h"
#include "core/err.h"
#include "handlers/handler.h"
#include "render/theme.h"
#include "store/store.h"
#include "test_util.h"

#define NOW 1648720800  /* 2022-03-31 10:00 UTC */

typedef struct fixture {
    arena_t *a;
    store_t *s;
    theme_t *theme;
    site_config site;
    char dir[64];   /* a test's database directory, removed at teardown; "" if none */
} fixture;

static const char *theme_dir(void)
{
    const char *d = getenv("NASHRA_THEME_DIR");
    return d && *d ? d : "themes/default";
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char *err = NULL;
    if (theme_load(theme_dir(), NULL, &f->theme, &err) != 0) {
        fprintf(stderr, "theme: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    if (store_open(":memory:", STORE_CREATE, &f->s) != 0)
        return -1;
    f->a = arena_new(0);
    f->site = (site_config){ .dir = "/tmp", .base_url = "https://example.org", .theme = f->theme };
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->dir[0])
        test_util_store_dir_close(f->s, f->dir);
    else
        store_close(f->s);
    theme_free(f->theme);
    arena_free(f->a);
    free(f);
    return 0;
}

typedef struct page {
    int rc;
    hresp_t rs;
} page;

/* Run handler h for path with capture param (may be NULL) and page n. */
static page run(fixture *f, handler_fn h, const char *path, const char *param, int n)
{
    hreq_t rq = { .arena = f->a, .store = f->s, .site = &f->site, .method = "GET",
                  .path = path, .now = NOW, .page = n };
    if (param) {
        rq.params[0] = param;
        rq.nparams = 1;
    }
    page p = { .rs = { .status = 200 } };
    buf_init(&p.rs.body, f->a);
    p.rc = h(&rq, &p.rs);
    if (p.rc != 0)
        handler_error(&rq, &p.rs, p.rc);
    return p;
}

static const char *html(page *p) { return buf_cstr(&p->rs.body); }

/* Fail unless needle occurs in hay; the page is written to the file named
 * by $NASHRA_TEST_DUMP (if set) to look at the failure. */
static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) {
        const char *dump = getenv("NASHRA_TEST_DUMP");
        FILE *fp = dump ? fopen(dump, "w") : NULL;
        if (fp) {
            fputs(hay, fp);
            fclose(fp);
        }
        fail_msg("missing: %s", needle);
    }
}

/* The frame of every page; error pages name no canonical URL. */
static void assert_frame(const char *h, bool canonical)
{
    assert_true(strncmp(h, "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">", 41) == 0);
    assert_has(h, "<meta charset=\"utf-8\">");
    assert_has(h, "<meta name=\"viewport\"");
    assert_has(h, "<title>");
    if (canonical)
        assert_has(h, "<link rel=\"canonical\" href=\"https://example.org/");
    else
        assert_null(strstr(h, "rel=\"canonical\""));
    assert_has(h, "<meta name=\"description\" content=\"");
    assert_has(h, "<link rel=\"alternate\" type=\"application/rss+xml\"");
    assert_has(h, "<style>");
    assert_has(h, "<a class=\"skip\" href=\"#main\">");
    assert_has(h, "<main id=\"main\"");
    assert_has(h, "<footer");
    assert_null(strstr(h, "<link rel=\"stylesheet\""));
    assert_null(strstr(h, "<script src"));
}

static void assert_common_frame(const char *h)
{
    assert_frame(h, true);
}

/* ---- own small site ---- */

typedef struct site_ids {
    int64_t cat, tag, au, art, art2;
} site_ids;

static void add_article(fixture *f, const char *slug, const char *title, int64_t t,
                        const char *video, site_ids *ids, int64_t *id)
{
    store_article ar = { .slug = slug, .title = title, .lead = "مقدمة <b>الخبر</b> & تفاصيل",
                         .body_md = "## عنوان فرعي\n\nنص “مقتبس” ، NLAW.\n\n<script>alert(1)</script>\n",
                         .source = "وطن", .video_url = video, .status = ARTICLE_PUBLISHED, .comments_open = true,
                         .created_at = t, .published_at = t, .updated_at = t,
                         .author_id = ids->au, .category_id = ids->cat };
    assert_int_equal(store_article_insert(f->s, &ar, &ids->tag, 1), 0);
    *id = ar.id;
}

static void make_site(fixture *f, site_ids *ids)
{
    store_author au = { .slug = "kateb", .name = "كاتب <i>", .bio = "سيرة" };
    assert_int_equal(store_author_insert(f->s, &au), 0);
    store_category c = { .slug = "سياسة", .name = "سياسة", .description = "أخبار السياسة", .position = 1 };
    assert_int_equal(store_category_insert(f->s, &c), 0);
    store_tag t = { .slug = "روسيا", .name = "روسيا" };
    assert_int_equal(store_tag_ensure(f->s, &t), 0);
    ids->au = au.id;
    ids->cat = c.id;
    ids->tag = t.id;
    add_article(f, "khabar", "خبر <script>x</script> \"مهم\" (شاهد)", NOW - 3600,
                "https://www.youtube.com/watch?v=abc123&t=5", ids, &ids->art);
    add_article(f, "khabar-2", "خبر ثان", NOW - 7200, NULL, ids, &ids->art2);
    store_article sched = { .slug = "later", .title = "لاحقاً", .body_md = "x",
                            .status = ARTICLE_SCHEDULED, .published_at = NOW + 600,
                            .created_at = NOW, .updated_at = NOW, .author_id = au.id, .category_id = c.id };
    assert_int_equal(store_article_insert(f->s, &sched, NULL, 0), 0);
}

static int64_t add_comment(fixture *f, int64_t art, int64_t parent, const char *body,
                           comment_status st, int64_t t)
{
    store_comment c = { .article_id = art, .parent_id = parent, .author_name = "قارئ <b>",
                        .author_email = "a@b.c", .body = body, .ip = "127.0.0.1",
                        .user_agent = "t", .status = st, .created_at = t };
    assert_int_equal(store_comment_insert(f->s, &c), 0);
    return c.id;
}

static size_t count(const char *h, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = strstr(h, needle); p; p = strstr(p + k, needle))
        n++;
    return n;
}

static void test_article_escaping_and_meta(void **state)
{
    fixture *f = *state;
    site_ids ids;
    make_site(f, &ids);
    page p = run(f, handler_article, "/khabar/", "khabar", 1);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.rs.status, 200);
    assert_true(p.rs.cacheable);
    assert_int_equal(p.rs.max_age, 0);
    assert_int_equal(p.rs.expires_at, NOW + 600);   /* next scheduled article */
    assert_int_equal(p.rs.last_modified, NOW - 3600);
    const char *h = html(&p);
    assert_common_frame(h);
    assert_null(strstr(h, "<script>x"));
    assert_null(strstr(h, "<script>alert"));
    assert_has(h, "<h1 class=\"headline\">خبر &lt;script&gt;x&lt;/script&gt; &quot;مهم&quot; "
                  "<span class=\"badge-video\">فيديو</span></h1>");
    assert_null(strstr(h, "(شاهد)</h1>"));
    assert_has(h, "<div class=\"video\" data-video=\"https://www.youtube-nocookie.com/embed/abc123?autoplay=1\">");
    assert_has(h, "<a class=\"video-link\" href=\"https://www.youtube.com/watch?v=abc123&amp;t=5\"");
    assert_null(strstr(h, "<iframe"));
    assert_has(h, "<p class=\"lead\"><span class=\"dateline\">وطن –</span> مقدمة &lt;b&gt;الخبر&lt;/b&gt; &amp; تفاصيل</p>");
    assert_has(h, "<h2>عنوان فرعي</h2>");
    assert_has(h, "“مقتبس”");
    /* JSON-LD escaped for a script element, not HTML-escaped */
    assert_has(h, "\"@type\":\"NewsArticle\"");
    assert_has(h, "\"headline\":\"خبر \\u003cscript\\u003ex\\u003c/script\\u003e \\\"مهم\\\"\"");
    assert_has(h, "<meta property=\"og:type\" content=\"article\">");
    assert_has(h, "<meta property=\"og:locale\" content=\"ar_AR\">");
    assert_has(h, "<meta name=\"twitter:card\"");
    assert_has(h, "href=\"/author/kateb/\"");
    assert_has(h, "كاتب &lt;i&gt;");
    assert_has(h, "href=\"/tag/روسيا/\"");
    assert_has(h, "href=\"/category/سياسة/\"");
    assert_has(h, "<nav aria-label=\"مسار التنقل\" class=\"breadcrumb\">");
    assert_has(h, "<time datetime=\"2022-03-31T09:00:00");
    assert_has(h, "الخميس 31 مارس 2022");
    assert_has(h, "<span class=\"comment-count\">0</span>");
    assert_has(h, "href=\"/khabar-2/\"");              /* related + latest */
    assert_null(strstr(h, "href=\"/later/\""));         /* scheduled: not yet */
    assert_has(h, "action=\"/khabar/comments\"");
}

static void test_comment_threading(void **state)
{
    fixture *f = *state;
    site_ids ids;
    make_site(f, &ids);
    int64_t parent = 0;
    for (int d = 0; d < 7; d++)   /* a chain 7 deep */
        parent = add_comment(f, ids.art, parent, d == 0 ? "سطر أول\nسطر <ثان>" : "رد", COMMENT_APPROVED, NOW - 3000 + d);
    /* a reply whose parent was withdrawn after it was answered (a reply
     * to a comment that is not approved is refused) */
    int64_t pend = add_comment(f, ids.art, 0, "معلق", COMMENT_APPROVED, NOW - 100);
    add_comment(f, ids.art, pend, "يتيم", COMMENT_APPROVED, NOW - 50);
    assert_int_equal(store_comment_set_status(f->s, pend, COMMENT_PENDING), 0);
    add_comment(f, ids.art, 0, "سبام", COMMENT_SPAM, NOW - 40);
    page p = run(f, handler_article, "/khabar/", "khabar", 1);
    assert_int_equal(p.rc, 0);
    const char *h = html(&p);
    assert_has(h, "<span class=\"comment-count\">8</span>");
    assert_int_equal(count(h, "<li class=\"comment\""), 7);
    assert_int_equal(count(h, "<ol class=\"children\">"), 4);   /* depth capped at 5 */
    assert_null(strstr(h, "معلق"));
    assert_null(strstr(h, "سبام"));
    assert_has(h, "<p>سطر &lt;ثان&gt;</p>");
    assert_has(h, "قارئ &lt;b&gt;");
    assert_int_equal(p.rs.last_modified, NOW - 50);   /* newest approved comment */
    /* a reply is shown below its parent or not at all: the orphan's
     * parent was withdrawn, and the reply with it (as WordPress does) */
    assert_null(strstr(h, "يتيم"));
}

static void test_comments_closed(void **state)
{
    fixture *f = *state;
    site_ids ids;
    make_site(f, &ids);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, ids.art2, &ar), 0);
    ar.comments_open = false;
    assert_int_equal(store_article_update(f->s, &ar, &ids.tag, 1), 0);
    page p = run(f, handler_article, "/khabar-2/", "khabar-2", 1);
    assert_int_equal(p.rc, 0);
    assert_has(html(&p), "التعليقات مغلقة");
    assert_null(strstr(html(&p), "<form class=\"comment-form\""));
}

/* The page shows the body_html its writer stored, and renders body_md
 * when there is none (never written, or cleared by a body_md change). */
static void test_body_stored_and_fallback(void **state)
{
    fixture *f = *state;
    site_ids ids;
    make_site(f, &ids);
    page p = run(f, handler_article, "/khabar-2/", "khabar-2", 1);
    assert_int_equal(p.rc, 0);
    assert_has(html(&p), "<h2>عنوان فرعي</h2>");
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, ids.art2, &ar), 0);
    ar.body_html = "<p>مخزن مسبقاً</p>\n";
    assert_int_equal(store_article_update(f->s, &ar, &ids.tag, 1), 0);
    p = run(f, handler_article, "/khabar-2/", "khabar-2", 1);
    assert_int_equal(p.rc, 0);
    assert_has(html(&p), "<p>مخزن مسبقاً</p>");
    assert_null(strstr(html(&p), "<h2>عنوان فرعي</h2>"));
    assert_int_equal(store_article_by_id(f->s, f->a, ids.art2, &ar), 0);
    ar.body_md = "نص **محدث**";
    assert_int_equal(store_article_update(f->s, &ar, &ids.tag, 1), 0);
    p = run(f, handler_article, "/khabar-2/", "khabar-2", 1);
    assert_int_equal(p.rc, 0);
    assert_has(html(&p), "<p>نص <strong>محدث</strong></p>");
    assert_null(strstr(html(&p), "مخزن مسبقاً"));
}

/* An imported article and page hold HTML (body_format BODY_HTML): shown
 * sanitised, never rendered as Markdown, never raw. */
static void test_imported_html_bodies(void **state)
{
    fixture *f = *state;
    site_ids ids;
    make_site(f, &ids);
    static const char body[] = "<p>فقرة <em>مستوردة</em> &amp; كاملة</p>\n<script>alert(1)</script>"
                               "<figure class=\"wp-block-image\"><img src=\"/up/a.jpg\" alt=\"صورة\" "
                               "onerror=\"x\"><figcaption>تعليقها</figcaption></figure>\n* ليست قائمة";
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, ids.art2, &ar), 0);
    ar.body_md = body;
    ar.body_html = NULL;
    ar.body_format = BODY_HTML;
    assert_int_equal(store_article_update(f->s, &ar, &ids.tag, 1), 0);
    store_page pg = { .slug = "عن-الموقع", .title = "عن الموقع", .body_md = body, .body_format = BODY_HTML,
                      .published = true, .published_at = NOW - 10, .updated_at = NOW - 5 };
    assert_int_equal(store_page_insert(f->s, &pg), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, ids.art2, &ar), 0);
    if (ar.body_format != BODY_HTML)
        skip(); /* a store that does not keep body formats */
    static const struct { const char *path, *param; } pages[] = {
        {"/khabar-2/", "khabar-2"}, {"/عن-الموقع/", "عن-الموقع"},
    };
    for (size_t i = 0; i < 2; i++) {
        page p = run(f, handler_article, pages[i].path, pages[i].param, 1);
        assert_int_equal(p.rc, 0);
        assert_has(html(&p), "<p>فقرة <em>مستوردة</em> &amp; كاملة</p>");
        assert_has(html(&p), "<figure><img src=\"/up/a.jpg\" alt=\"صورة\" loading=\"lazy\">"
                             "<figcaption>تعليقها</figcaption></figure>");
        assert_has(html(&p), "<p>* ليست قائمة</p>");
        assert_null(strstr(html(&p), "alert(1)"));
        assert_null(strstr(html(&p), "onerror"));
        assert_null(strstr(html(&p), "<li>ليست"));
    }
}

static void test_static_page_and_404(void **state)
{
    fixture *f = *state;
    store_page pg = { .slug = "من-نحن", .title = "من نحن", .body_md = "موقع **إخباري**.",
                      .published = true, .published_at = NOW - 10, .updated_at = NOW - 5 };
    assert_int_equal(store_page_insert(f->s, &pg), 0);
    page p = run(f, handler_article, "/من-نحن/", "من-نحن", 1);
    assert_int_equal(p.rc, 0);
    assert_has(html(&p), "<h1 class=\"headline\">من نحن</h1>");
    assert_has(html(&p), "<strong>إخباري</strong>");
    assert_has(html(&p), "href=\"/من-نحن/\"");    /* footer page link */
    p = run(f, handler_article, "/nothing/", "nothing", 1);
    assert_int_equal(p.rc, NS_ENOTFOUND);
    assert_int_equal(p.rs.status, 404);
    assert_true(p.rs.cacheable);       /* one body, shared by every missing path... */
    assert_frame(html(&p), false);      /* ...so naming none of them */
    assert_has(html(&p), "<h1>الصفحة غير موجودة</h1>");
    assert_has(html(&p), "href=\"/\"");
}

/* The shared 404 body lists the latest articles, so it expires when a
 * scheduled one appears, like every other page. */
static void test_404_expires_with_schedule(void **state)
{
    fixture *f = *state;
    site_ids ids;
    make_site(f, &ids);
    page p = run(f, handler_article, "/nothing/", "nothing", 1);
    assert_int_equal(p.rs.status, 404);
    assert_has(html(&p), "khabar");               /* the latest list */
    assert_int_equal(p.rs.expires_at, NOW + 600); /* next scheduled article */
}

static void test_error_500_and_fallback(void **state)
{
    fixture *f = *state;
    page p = run(f, handler_article, "/x/", NULL, 1);  /* no capture */
    assert_int_equal(p.rs.status, 404);
    hreq_t rq = { .arena = f->a, .store = f->s, .site = &f->site, .path = "/x/", .now = NOW, .page = 1 };
    hresp_t rs = { .status = 200 };
    handler_error(&rq, &rs, NS_EIO);
    assert_int_equal(rs.status, 500);
    assert_has(buf_cstr(&rs.body), "حدث خطأ");
    site_config bare = { .base_url = "", .theme = NULL };
    rq.site = &bare;
    handler_error(&rq, &rs, NS_ENOTFOUND);
    assert_int_equal(rs.status, 404);
    assert_true(strncmp(buf_cstr(&rs.body), "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\">", 41) == 0);
    assert_has(buf_cstr(&rs.body), "الصفحة غير موجودة");
}

static void test_home_and_archives(void **state)
{
    fixture *f = *state;
    site_ids ids;
    make_site(f, &ids);
    assert_int_equal(store_setting_set(f->s, "posts_per_page", "1"), 0);
    page p = run(f, handler_home, "/", NULL, 1);
    assert_int_equal(p.rc, 0);
    const char *h = html(&p);
    assert_common_frame(h);
    assert_has(h, "class=\"top-story\"");
    assert_has(h, "<link rel=\"next\" href=\"/page/2/\">");
    assert_has(h, "<h2 id=\"cat-");
    p = run(f, handler_home, "/page/2/", NULL, 2);
    assert_int_equal(p.rc, 0);
    assert_has(html(&p), "<link rel=\"prev\" href=\"/\">");
    assert_has(html(&p), "href=\"/khabar-2/\"");
    assert_null(strstr(html(&p), "class=\"top-story\""));
    assert_int_equal(run(f, handler_home, "/page/3/", NULL, 3).rc, NS_ENOTFOUND);

    p = run(f, handler_category, "/category/سياسة/", "سياسة", 1);
    assert_int_equal(p.rc, 0);
    assert_has(html(&p), "<h1>سياسة</h1>");
    assert_has(html(&p), "أخبار السياسة");
    assert_has(html(&p), "<link rel=\"next\" href=\"/category/سياسة/page/2/\">");
    assert_has(html(&p), "aria-current=\"page\">سياسة</a>");
    assert_int_equal(p.rs.last_modified, NOW - 3600);
    p = run(f, handler_tag, "/tag/روسيا/page/2/", "روسيا", 2);
    assert_int_equal(p.rc, 0);
    assert_has(html(&p), "<link rel=\"prev\" href=\"/tag/روسيا/\">");
    p = run(f, handler_author, "/author/kateb/", "kateb", 1);
    assert_int_equal(p.rc, 0);
    assert_has(html(&p), "<h1>كاتب &lt;i&gt;</h1>");
    assert_int_equal(run(f, handler_author, "/author/kateb/page/9/", "kateb", 9).rc, NS_ENOTFOUND);
    assert_int_equal(run(f, handler_tag, "/tag/none/", "none", 1).rc, NS_ENOTFOUND);
}

/* sql through a connection of its own, as another program would write. */
static void set_image_url_by_sql(const char *db_path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* An image_url that another program wrote straight into the database,
 * past the store's check, is no image: not in <img src>, og:image or the
 * JSON-LD of any page, while a safe one still shows everywhere. The site
 * lives in a file here so that a second connection can write to it. */
static void test_unsafe_image_url_not_rendered(void **state)
{
    fixture *f = *state;
    char path[96];
    assert_non_null(test_util_tmpdir(f->dir, sizeof f->dir, "pages"));
    snprintf(path, sizeof path, "%s/nashra.db", f->dir);
    store_close(f->s);
    assert_int_equal(store_open(path, STORE_CREATE, &f->s), 0);
    site_ids ids;
    make_site(f, &ids);
    static const struct { handler_fn h; const char *path, *param; } pages[] = {
        { handler_article, "/khabar-2/", "khabar-2" }, /* no video: the figure would show */
        { handler_article, "/khabar/", "khabar" },
        { handler_home, "/", NULL },
        { handler_category, "/category/سياسة/", "سياسة" },
        { handler_tag, "/tag/روسيا/", "روسيا" },
        { handler_author, "/author/kateb/", "kateb" },
    };
    /* the control: a safe URL is rendered on every page */
    set_image_url_by_sql(path, "UPDATE articles SET image_url = '/media/x.jpg'");
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        page p = run(f, pages[i].h, pages[i].path, pages[i].param, 1);
        assert_int_equal(p.rc, 0);
        assert_has(html(&p), "<img src=\"/media/x.jpg\"");
    }
    page p = run(f, handler_article, "/khabar-2/", "khabar-2", 1);
    assert_has(html(&p), "<meta property=\"og:image\" content=\"https://example.org/media/x.jpg\">");
    assert_has(html(&p), "\"image\":\"https://example.org/media/x.jpg\"");

    set_image_url_by_sql(path, "UPDATE articles SET image_url = 'javascript:alert(1)'");
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        p = run(f, pages[i].h, pages[i].path, pages[i].param, 1);
        assert_int_equal(p.rc, 0);
        const char *h = html(&p);
        if (strstr(h, "javascript:"))
            fail_msg("%s: javascript: rendered", pages[i].path);
        assert_null(strstr(h, "<img src="));
        assert_null(strstr(h, "og:image"));
        assert_null(strstr(h, "\"image\":"));
    }
}

/* ---- the demo site's seed article ---- */

static const char *seed_slug(fixture *f)
{
    store_query q = { .now = NOW, .limit = 1000 };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    for (size_t i = 0; i < l.n; i++)
        if (strncmp(l.items[i].title, "المئات من الجنود الروس", strlen("المئات من الجنود الروس")) == 0)
            return l.items[i].slug;
    fail_msg("seed article not in the demo store");
    return NULL;
}

/* An article in a sub-category carries the whole category trail, as links
 * and as a schema.org BreadcrumbList. */
static void test_breadcrumb_trail(void **state)
{
    fixture *f = *state;
    assert_int_equal(demo_populate(f->s, NOW), 0);
    store_category world;
    assert_int_equal(store_category_by_slug(f->s, f->a, "world", &world), 0);
    assert_true(world.parent_id != 0);
    store_query q = { .now = NOW, .limit = 1, .category_id = world.id };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 1);
    char *path = arena_printf(f->a, "/%s/", l.items[0].slug);
    page p = run(f, handler_article, path, l.items[0].slug, 1);
    assert_int_equal(p.rc, 0);
    const char *h = buf_cstr(&p.rs.body);
    const char *parent = strstr(h, "<li><a href=\"/category/politics/\">");
    const char *child = strstr(h, "<li><a href=\"/category/world/\">");
    assert_non_null(parent);
    assert_non_null(child);
    assert_true(parent < child);
    assert_has(h, "\"@type\":\"BreadcrumbList\"");
    assert_has(h, "{\"@type\":\"ListItem\",\"position\":1,\"name\":\"سياسة\","
                  "\"item\":\"https://example.org/category/politics/\"}");
    assert_has(h, "\"position\":3");
}

static void test_seed_article(void **state)
{
    fixture *f = *state;
    assert_int_equal(demo_populate(f->s, NOW), 0);
    const char *slug = seed_slug(f);
    char *path = arena_printf(f->a, "/%s/", slug);
    page p = run(f, handler_article, path, slug, 1);
    assert_int_equal(p.rc, 0);
    const char *h = html(&p);
    assert_common_frame(h);
    /* 1 */ assert_has(h, "<h1 class=\"headline\">المئات من الجنود الروس يغيرون ولاءهم ويبدأون القتال من أجل أوكرانيا");
    assert_null(strstr(h, "(شاهد)"));
    assert_has(h, "<span class=\"badge-video\">فيديو</span>");
    assert_has(h, "<div class=\"video\" data-video=\"");
    assert_has(h, "<button type=\"button\" class=\"video-play\">");
    assert_null(strstr(h, "<iframe"));
    /* 2 */ assert_has(h, "<p class=\"lead\"><span class=\"dateline\">وطن –</span> أكدت مصادر دفاعية أوكرانية");
    /* 3 */ assert_has(h, "<div class=\"article-body\">");
    assert_has(h, "<h2>تشكيل فيلق “حرية روسيا”</h2>");
    assert_has(h, "<h2>شروط الانضمام لفيلق حرية روسيا</h2>");
    assert_has(h, "<h2>“بوتين” يستدعي جنود الاحتياط</h2>");
    assert_has(h, "مضاد للدبابات NLAW.");
    assert_has(h, "“كلاب حراسة نظام بوتين (القادريون)”.");
    assert_has(h, "كتابيًا، واجتياز");
    assert_has(h, "<p>وقال أحدهم: “وزارة الدفاع الروسية ليس لديها فكرة عنا، أو ما نفعله هنا”.</p>");
    /* 4 */ assert_has(h, "<section class=\"related\" aria-labelledby=\"related-title\">\n<h2 id=\"related-title\">قد يهمك أيضاً</h2>");
    assert_has(h, "<ul class=\"cards\">");
    /* 5 */ assert_has(h, "<section id=\"comments\" class=\"comments\"");
    assert_has(h, "<h2 id=\"comments-title\">تعليقات <span class=\"comment-count\">");
    assert_has(h, "<ol class=\"comment-list\">");
    assert_has(h, "<ol class=\"children\">");
    /* 6 */ assert_has(h, "<section id=\"respond\" class=\"respond\"");
    assert_has(h, "<h2 id=\"respond-title\">ترك الرد</h2>");
    assert_has(h, arena_printf(f->a, "<form class=\"comment-form\" id=\"comment-form\" method=\"post\" action=\"/%s/comments\" novalidate>", slug));
    assert_has(h, "<textarea name=\"comment\" id=\"comment\"");
    assert_has(h, "<input name=\"author\" id=\"author\"");
    assert_has(h, "<input type=\"email\" name=\"email\" id=\"email\"");
    assert_has(h, "<p class=\"field-error\" id=\"comment-error\" hidden>من فضلك ادخل تعليقك</p>");
    assert_has(h, "<p class=\"field-error\" id=\"author-error\" hidden>من فضلك ادخل اسمك هنا</p>");
    /* 7 */ assert_has(h, "<h2 id=\"follow-title\">تابعنا</h2>");
    assert_has(h, "href=\"/feed/\"");
    /* 8 */ assert_has(h, "<h2 id=\"latest-title\">الأحدث</h2>");
    assert_has(h, "\"@type\":\"NewsArticle\"");
    assert_true(p.rs.body.len < 60 * 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_article_escaping_and_meta, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comment_threading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comments_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_stored_and_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_static_page_and_404, setup, teardown),
        cmocka_unit_test_setup_teardown(test_404_expires_with_schedule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_500_and_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_home_and_archives, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seed_article, setup, teardown),
        cmocka_unit_test_setup_teardown(test_breadcrumb_trail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsafe_image_url_not_rendered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imported_html_bodies, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
