/*
 * test_router.c - the route table against the documented URL list: which
 * handler each path reaches, what it captures, and the canonical-URL
 * redirects (missing trailing slash, /page/1/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "handlers/admin.h"
#include "http/router.h"

typedef struct rcase {
    const char *path;
    int result;          /* ROUTER_HANDLER, ROUTER_REDIRECT or NS_ENOTFOUND */
    handler_fn fn;
    int page;
    const char *p0, *p1; /* expected params (NULL: none) */
    const char *redirect;
} rcase;

static const rcase cases[] = {
    {"/", ROUTER_HANDLER, handler_home, 1, NULL, NULL, NULL},
    {"/page/2/", ROUTER_HANDLER, handler_home, 2, NULL, NULL, NULL},
    {"/page/100000/", ROUTER_HANDLER, handler_home, 100000, NULL, NULL, NULL},
    {"/page/100001/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/page/0/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/page/02/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/page/-2/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/page/2x/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/page/99999999999999999999/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/page/1/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/"},
    {"/page/3", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/page/3/"},
    {"/خبر-عاجل/", ROUTER_HANDLER, handler_article, 1, "خبر-عاجل", NULL, NULL},
    {"/خبر-عاجل", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/خبر-عاجل/"},
    {"/a/b/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/a/b", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/category/سياسة/", ROUTER_HANDLER, handler_category, 1, "سياسة", NULL, NULL},
    {"/category/سياسة/page/7/", ROUTER_HANDLER, handler_category, 7, "سياسة", NULL, NULL},
    {"/category/سياسة/page/1/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/category/سياسة/"},
    {"/category/سياسة/page/7", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/category/سياسة/page/7/"},
    {"/category/سياسة", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/category/سياسة/"},
    {"/category/", ROUTER_HANDLER, handler_article, 1, "category", NULL, NULL},
    {"/category//", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/category/x/feed/", ROUTER_HANDLER, handler_feed_rss, 1, "x", NULL, NULL},
    {"/category/x/feed/atom/", ROUTER_HANDLER, handler_feed_atom, 1, "x", NULL, NULL},
    {"/tag/اقتصاد/page/3/", ROUTER_HANDLER, handler_tag, 3, "اقتصاد", NULL, NULL},
    {"/tag/اقتصاد/", ROUTER_HANDLER, handler_tag, 1, "اقتصاد", NULL, NULL},
    {"/author/salma/", ROUTER_HANDLER, handler_author, 1, "salma", NULL, NULL},
    {"/author/salma/page/1/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/author/salma/"},
    {"/feed/", ROUTER_HANDLER, handler_feed_rss, 1, NULL, NULL, NULL},
    {"/feed", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/feed/"},
    {"/feed/atom/", ROUTER_HANDLER, handler_feed_atom, 1, NULL, NULL, NULL},
    {"/sitemap.xml", ROUTER_HANDLER, handler_sitemap_index, 1, NULL, NULL, NULL},
    {"/sitemap-articles-1.xml", ROUTER_HANDLER, handler_sitemap_articles, 1, NULL, NULL, NULL},
    {"/sitemap-articles-12.xml", ROUTER_HANDLER, handler_sitemap_articles, 12, NULL, NULL, NULL},
    {"/sitemap-articles-0.xml", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/sitemap-articles-0.xml/", ROUTER_HANDLER, handler_article, 1, "sitemap-articles-0.xml", NULL, NULL},
    {"/sitemap-articles-01.xml", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/favicon.ico", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},      /* file-like: no slash added */
    {"/wp-login.php", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/x/sitemap-articles-2.xml", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/sitemap-news.xml", ROUTER_HANDLER, handler_sitemap_news, 1, NULL, NULL, NULL},
    {"/sitemap-pages.xml", ROUTER_HANDLER, handler_sitemap_pages, 1, NULL, NULL, NULL},
    {"/robots.txt", ROUTER_HANDLER, handler_robots, 1, NULL, NULL, NULL},
    {"/healthz", ROUTER_HANDLER, handler_healthz, 1, NULL, NULL, NULL},
    {"/assets/style.css", ROUTER_HANDLER, handler_asset, 1, "style.css", NULL, NULL},
    {"/assets/img/logo.svg", ROUTER_HANDLER, handler_asset, 1, "img/logo.svg", NULL, NULL},
    {"/assets/../nashra.db", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/assets/a/../../x/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/tag/اقتصاد/feed/", ROUTER_HANDLER, handler_feed_rss, 1, "اقتصاد", NULL, NULL},
    {"/tag/اقتصاد/feed/atom/", ROUTER_HANDLER, handler_feed_atom, 1, "اقتصاد", NULL, NULL},
    {"/tag/اقتصاد/feed", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/tag/اقتصاد/feed/"},
    {"/author/salma/feed/", ROUTER_HANDLER, handler_feed_rss, 1, "salma", NULL, NULL},
    {"/author/salma/feed/atom/", ROUTER_HANDLER, handler_feed_atom, 1, "salma", NULL, NULL},
    /* WordPress's other names of feeds */
    {"/feed/rss2/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/feed/"},
    {"/feed/rss2", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/feed/"},
    {"/feed/rss/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/feed/"},
    {"/feed/rdf/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/feed/"},
    {"/comments/feed/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/feed/"},
    {"/comments/feed", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/feed/"},
    {"/category/سياسة/feed/rss2/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/category/سياسة/feed/"},
    {"/tag/اقتصاد/feed/rss2/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/tag/اقتصاد/feed/"},
    {"/author/salma/feed/rss2/", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/author/salma/feed/"},
    {"/category/a/b/feed/rss2/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/feed/rss3/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    /* the site's media files */
    {"/uploads/2022/03/x.jpg", ROUTER_HANDLER, handler_upload, 1, "2022/03/x.jpg", NULL, NULL},
    {"/uploads/صورة.png", ROUTER_HANDLER, handler_upload, 1, "صورة.png", NULL, NULL},
    {"/uploads/../nashra.db", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/uploads/2022/..", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"/uploads/", ROUTER_HANDLER, handler_article, 1, "uploads", NULL, NULL},
    {"/admin/articles/", ROUTER_HANDLER, handler_admin_articles, 1, NULL, NULL, NULL},
    {"/admin/articles/new", ROUTER_HANDLER, handler_admin_edit, 1, NULL, NULL, NULL},
    {"/admin/articles/12/", ROUTER_HANDLER, handler_admin_edit, 1, "12", NULL, NULL},
    {"/admin/articles/12", ROUTER_REDIRECT, NULL, 0, NULL, NULL, "/admin/articles/12/"},
    {"/admin/articles/12/publish", ROUTER_HANDLER, handler_admin_article_action, 1, "12", "publish", NULL},
    {"/admin/articles/12/revisions/", ROUTER_HANDLER, handler_admin_revisions, 1, "12", NULL, NULL},
    {"/admin/articles/12/revisions/7/", ROUTER_HANDLER, handler_admin_revisions, 1, "12", "7", NULL},
    {"/admin/articles/12/revisions/7/restore", ROUTER_HANDLER, handler_admin_revisions, 1, "12", "7", NULL},
    {"/admin/preview", ROUTER_HANDLER, handler_admin_preview, 1, NULL, NULL, NULL},
    {"/admin/preview/12/", ROUTER_HANDLER, handler_admin_preview, 1, "12", NULL, NULL},
    {"relative/", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
    {"", NS_ENOTFOUND, NULL, 0, NULL, NULL, NULL},
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const rcase *c = &cases[i];
        arena_t *a = arena_new(0);
        route_match m;
        int r = router_match(a, c->path, &m);
        if (r != c->result)
            fail_msg("%s: result %d, expected %d", c->path, r, c->result);
        if (r == ROUTER_HANDLER) {
            assert_ptr_equal(m.fn, c->fn);
            assert_int_equal(m.page, c->page);
            assert_int_equal(m.nparams, (c->p0 != NULL) + (c->p1 != NULL));
            if (c->p0)
                assert_string_equal(m.params[0], c->p0);
            if (c->p1)
                assert_string_equal(m.params[1], c->p1);
        } else if (r == ROUTER_REDIRECT) {
            assert_string_equal(m.redirect, c->redirect);
            assert_null(m.fn);
        }
        arena_free(a);
    }
}

/* A slug capture is a copy: the matched path may be reused afterwards. */
static void test_capture_is_copy(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    char path[] = "/tag/abc/";
    route_match m;
    assert_int_equal(router_match(a, path, &m), ROUTER_HANDLER);
    path[5] = 'z';
    assert_string_equal(m.params[0], "abc");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_capture_is_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
