/*
 * test_page.c - a page under store failures. For each kind of page of the
 * demo site, a failure is injected at every store step of its render in
 * turn (busy, corrupt, disk full): the reader gets the error page for that
 * failure (503 for busy, 500 otherwise), nothing of it may be cached, no
 * transaction is left open, and (under ASan/LSan) nothing leaks. Without
 * a fault, the same pages render whole and cacheable, with their keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/demo.h"
#include "core/err.h"
#include "http/form.h"
#include "http/page.h"
#include "http/router.h"
#include "render/theme.h"
#include "test_util.h"

#define NOW 1764000000LL

typedef struct fx {
    char dir[64], path[96];
    store_t *s;
    theme_t *theme;
    site_config site;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    const char *td = getenv("NASHRA_THEME_DIR");
    char *err = NULL;
    if (theme_load(td && *td ? td : "themes/default", NULL, &f->theme, &err) != 0)
        return -1;
    assert_non_null(test_util_tmpdir(f->dir, sizeof f->dir, "page"));
    snprintf(f->path, sizeof f->path, "%s/nashra.db", f->dir);
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), 0);
    assert_int_equal(demo_populate(f->s, NOW), 0);
    static const store_redirect rows[] = {
        {"/2022/03/31/old/", "/feed/", 301},
        {"/old-section/", "/category/x/", 301},
        {"/?cat=9", "/feed/atom/", 301},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        assert_int_equal(store_redirect_insert(f->s, &rows[i]), 0);
    f->site = (site_config){.dir = f->dir, .base_url = "https://example.org", .theme = f->theme};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    test_util_store_dir_close(f->s, f->dir);
    theme_free(f->theme);
    free(f);
    return 0;
}

typedef struct result {
    int rc, status;
    bool keep;
    size_t ndeps;
    uint64_t steps;   /* store steps page_run made */
} result;

/* What request.c does for a GET of target (a path, then maybe "?" and
 * its urlencoded query) between routing and sending. */
static result render(fx *f, const char *target)
{
    arena_t *a = arena_new(0);
    const char *q = strchr(target, '?');
    const char *path = q ? arena_strndup(a, target, (size_t)(q - target)) : target;
    hreq_t rq = {.arena = a, .store = f->s, .site = &f->site, .method = "GET",
                 .path = path, .client = "192.0.2.1", .now = NOW, .page = 1};
    if (q)
        assert_int_equal(form_parse_urlencoded(a, q + 1, strlen(q + 1), (hreq_param **)&rq.query,
                                               &rq.nquery), 0);
    route_match m;
    page_req pr = {.match = &m, .query = q ? q + 1 : ""};
    pr.route_rc = router_match(a, path, &m);
    hresp_t rs;
    hresp_init(&rs, a);
    store_deps deps;
    store_deps_init(&deps, a);
    uint64_t before = store_steps(f->s);
    result r = {.rc = page_run(&rq, &rs, &pr, &deps)};
    r.steps = store_steps(f->s) - before;
    if (r.rc != NS_OK)
        page_error(&rq, &rs, &deps, r.rc);
    r.status = rs.status;
    r.keep = page_keep(&rs, &deps);
    r.ndeps = deps.n;
    arena_free(a);
    return r;
}

/* The demo's pages: an article (its slug found through the home page's
 * list), the home page, an archive, a feed, a sitemap, searches (results
 * and the fallback to any word; nothing, with a spelling suggested), a
 * missing page. */
static const char *paths[] = {NULL, "/", "/page/2/", "/feed/", "/sitemap-news.xml",
                              "/search?q=%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D9%87",   /* الحكومه */
                              "/search?q=%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D9%87%20zqxj",
                              "/search?q=%D8%A7%D9%84%D8%AC%D9%86%D9%88%D8%B0",         /* الجنوذ */
                              "/no-such-page/"};

/* Old addresses, through the redirects table or WordPress's conventions,
 * and what each answers. */
static const struct {
    const char *path;
    int status;
} moved[] = {
    {"/2022/03/31/old", 301},       /* the row has the slash */
    {"/old-section/feed/", 301},    /* the feed of a moved page */
    {"/?cat=9", 301},
    {"/?cat=10", 404},
    {"/?feed=rss2", 301},
    {"/?feed=rss2&cat=9", 301},
    {"/never/was/here/", 404},
};

static const char *article_path(fx *f, arena_t *a)
{
    store_query q = {.now = NOW, .limit = 1};
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, a, &q, &l), 0);
    assert_int_equal(l.n, 1);
    return arena_printf(a, "/%s/", l.items[0].slug);
}

static void test_pages_whole_without_faults(void **state)
{
    fx *f = *state;
    arena_t *a = arena_new(0);
    paths[0] = article_path(f, a);
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        result r = render(f, paths[i]);
        bool missing = i == sizeof paths / sizeof *paths - 1;
        assert_int_equal(r.status, missing ? 404 : 200);
        assert_true(r.keep);
        assert_true(r.ndeps > 0);
        assert_false(store_in_transaction(f->s));
    }
    for (size_t i = 0; i < sizeof moved / sizeof *moved; i++) {
        result r = render(f, moved[i].path);
        if (r.status != moved[i].status)
            fail_msg("%s: %d, expected %d", moved[i].path, r.status, moved[i].status);
        assert_true(r.keep);
        assert_false(store_in_transaction(f->s));
    }
    arena_free(a);
}

/* A missing path stays cheap: one no route matches (two redirect lookups)
 * costs less than a missing slug (article, page, one redirect lookup). */
static void test_missing_is_cheap(void **state)
{
    fx *f = *state;
    result slug = render(f, "/no-such-page/"), deep = render(f, "/no/such/page/");
    assert_int_equal(slug.status, 404);
    assert_int_equal(deep.status, 404);
    if (deep.steps >= slug.steps)
        fail_msg("a path without a route: %llu steps, a missing slug: %llu",
                 (unsigned long long)deep.steps, (unsigned long long)slug.steps);
}

/* Where a missing path's redirect is looked for: at most two places. */
static void test_moved_paths(void **state)
{
    (void)state;
    static const struct {
        const char *path, *second;
        bool feed_of;
    } cases[] = {
        {"/2022/03/31/x/", "/2022/03/31/x", false},
        {"/2022/03/31/x", "/2022/03/31/x/", false},
        {"/archives/123", "/archives/123/", false},
        {"/old/feed/", "/old/", true},
        {"/old/feed", "/old/", true},
        {"/a/b/feed/", "/a/b/", true},
        {"/feed/", "/feed", false},
        {"/feed", "/feed/", false},
        {"/x/feeds/", "/x/feeds", false},
        {"/x/afeed/", "/x/afeed", false},
        {"/2022/03/31/x.y/", "/2022/03/31/x.y", false},
    };
    arena_t *a = arena_new(0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *out[2];
        bool feed_of;
        assert_int_equal(page_moved_paths(a, cases[i].path, out, &feed_of), 2);
        assert_string_equal(out[0], cases[i].path);
        assert_string_equal(out[1], cases[i].second);
        assert_int_equal(feed_of, cases[i].feed_of);
    }
    const char *out[2];
    bool feed_of;
    static const char *const single[] = {"/", "/favicon.ico", "/wp-content/uploads/x.jpg"};
    for (size_t i = 0; i < sizeof single / sizeof *single; i++) {
        assert_int_equal(page_moved_paths(a, single[i], out, &feed_of), 1);
        assert_string_equal(out[0], single[i]);
    }
    arena_free(a);
}

static void test_fault_at_every_step(void **state)
{
    fx *f = *state;
    static const struct { int code, status; } faults[] = {
        {NS_EBUSY, 503}, {NS_ECORRUPT, 500}, {NS_EIO, 500},
    };
    arena_t *a = arena_new(0);
    paths[0] = article_path(f, a);
    int tried = 0;
    size_t npaths = sizeof paths / sizeof *paths, nmoved = sizeof moved / sizeof *moved;
    for (size_t i = 0; i < npaths + nmoved; i++) {
        const char *path = i < npaths ? paths[i] : moved[i - npaths].path;
        uint64_t steps = render(f, path).steps;
        assert_true(steps > 0);
        for (uint64_t n = 1; n <= steps; n++) {
            int k = (int)(n % 3);
            store_fault(f->s, n, faults[k].code, false);
            result r = render(f, path);
            store_fault(f->s, 0, 0, false);
            assert_false(store_in_transaction(f->s));
            if (r.steps < n)
                continue; /* the failure was not reached: a shorter path (not expected) */
            assert_int_equal(r.rc, faults[k].code);
            assert_int_equal(r.status, faults[k].status);
            assert_false(r.keep);
            tried++;
        }
    }
    assert_true(tried > 50);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pages_whole_without_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_at_every_step, setup, teardown),
        cmocka_unit_test(test_moved_paths),
        cmocka_unit_test_setup_teardown(test_missing_is_cheap, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
