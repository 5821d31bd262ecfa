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
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        uint64_t steps = render(f, paths[i]).steps;
        assert_true(steps > 0);
        for (uint64_t n = 1; n <= steps; n++) {
            int k = (int)(n % 3);
            store_fault(f->s, n, faults[k].code, false);
            result r = render(f, paths[i]);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
