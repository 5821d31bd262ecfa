/*
 * test_view.c - the shared view-model builders: settings parsing and
 * defaults, canonical URLs, the «(شاهد)» marker, pagination paths, the
 * site object and article summaries built from a real in-memory store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "handlers/view.h"
#include "store/store.h"

typedef struct fixture {
    arena_t *a;
    store_t *s;
    site_config site;
    hreq_t rq;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->a = arena_new(0);
    if (store_open(":memory:", STORE_CREATE, &f->s) != 0)
        return -1;
    f->site = (site_config){ .dir = "/tmp", .base_url = "https://example.org", .theme = NULL };
    f->rq = (hreq_t){ .arena = f->a, .store = f->s, .site = &f->site, .method = "GET",
                      .path = "/", .now = 1648720800, .page = 1 };
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    arena_free(f->a);
    free(f);
    return 0;
}

/* String value of key in obj (NULL when absent or not a string), rendered
 * through a one-tag template so the test sees what a page would. */
static const char *get_str(arena_t *a, const mu_value *obj, const char *key)
{
    const mu_value *v = mu_get(obj, key);
    if (!v || mu_typeof(v) != MU_STRING)
        return NULL;
    mu_templates *t = mu_templates_new(a);
    char *tpl = arena_printf(a, "{{{%s}}}", key);
    assert_int_equal(mu_templates_add(t, "x", tpl, strlen(tpl), NULL), 0);
    buf_t b;
    buf_init(&b, a);
    assert_int_equal(mu_render(t, "x", obj, &b), 0);
    return buf_cstr(&b);
}

static void test_parse_int(void **state)
{
    (void)state;
    assert_int_equal(view_parse_int("25", 1, 100, 10), 25);
    assert_int_equal(view_parse_int("0", 1, 100, 10), 10);
    assert_int_equal(view_parse_int("101", 1, 100, 10), 10);
    assert_int_equal(view_parse_int("12abc", 1, 100, 10), 10);
    assert_int_equal(view_parse_int("", 1, 100, 10), 10);
    assert_int_equal(view_parse_int(NULL, 1, 100, 10), 10);
    assert_int_equal(view_parse_int("-10800", -50400, 50400, 0), -10800);
    assert_int_equal(view_parse_int("99999999999999999999", 0, 5, 3), 3);
}

static void test_canonical(void **state)
{
    fixture *f = *state;
    assert_string_equal(view_canonical(f->a, "https://x.test", "/"), "https://x.test/");
    assert_string_equal(view_canonical(f->a, "https://x.test", "/category/سياسة/"),
                        "https://x.test/category/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/");
    assert_string_equal(view_canonical(f->a, "https://x.test", "/a b\"<c>/"),
                        "https://x.test/a%20b%22%3Cc%3E/");
    assert_string_equal(view_canonical(f->a, "", NULL), "/");
}

static void test_display_title(void **state)
{
    fixture *f = *state;
    const char *plain = "عنوان عادي";
    assert_ptr_equal(view_display_title(f->a, plain), plain);
    assert_string_equal(view_display_title(f->a, "الجنود الروس (شاهد)"), "الجنود الروس");
    assert_string_equal(view_display_title(f->a, "(شاهد)"), "");
    assert_string_equal(view_display_title(f->a, "(شاهد) في البداية"), "(شاهد) في البداية");
    assert_string_equal(view_display_title(f->a, NULL), "");
}

static void test_pagination(void **state)
{
    fixture *f = *state;
    assert_null(view_pagination(f->a, "/tag/x/", 1, 10, 10));
    assert_null(view_pagination(f->a, "/tag/x/", 1, 0, 10));
    mu_value *p = view_pagination(f->a, "/tag/x/", 2, 25, 10);
    assert_non_null(p);
    assert_string_equal(get_str(f->a, p, "prev"), "/tag/x/");
    assert_string_equal(get_str(f->a, p, "next"), "/tag/x/page/3/");
    p = view_pagination(f->a, "/", 3, 25, 10);
    assert_string_equal(get_str(f->a, p, "prev"), "/page/2/");
    assert_int_equal(mu_typeof(mu_get(p, "next")), MU_BOOL);
    assert_string_equal(view_page_path(f->a, "/category/a/", 1), "/category/a/");
    assert_string_equal(view_page_path(f->a, "/category/a/", 7), "/category/a/page/7/");
}

static void test_settings_defaults_and_values(void **state)
{
    fixture *f = *state;
    view_settings st;
    assert_int_equal(view_settings_load(&f->rq, &st), 0);
    assert_int_equal(st.posts_per_page, 10);
    assert_false(st.show_hijri);
    assert_int_equal(store_setting_set(f->s, "site_name", "وطن"), 0);
    assert_int_equal(store_setting_set(f->s, "posts_per_page", "7"), 0);
    assert_int_equal(store_setting_set(f->s, "show_hijri", "1"), 0);
    assert_int_equal(store_setting_set(f->s, "timezone_offset", "10800"), 0);
    assert_int_equal(store_setting_set(f->s, "follow_x", "https://x.com/watan"), 0);
    assert_int_equal(store_setting_set(f->s, "follow_facebook", "javascript:alert(1)"), 0);
    assert_int_equal(view_settings_load(&f->rq, &st), 0);
    assert_string_equal(st.site_name, "وطن");
    assert_int_equal(st.posts_per_page, 7);
    assert_true(st.show_hijri);
    assert_int_equal(st.tz_offset, 10800);
    assert_null(st.follow[0]);
    assert_string_equal(st.follow[1], "https://x.com/watan");
}

static void test_root_site_object(void **state)
{
    fixture *f = *state;
    store_category c = { .slug = "سياسة", .name = "سياسة", .position = 1 };
    assert_int_equal(store_category_insert(f->s, &c), 0);
    store_category sub = { .slug = "عربي", .name = "عربي", .parent_id = c.id, .position = 2 };
    assert_int_equal(store_category_insert(f->s, &sub), 0);
    view_settings st;
    assert_int_equal(view_settings_load(&f->rq, &st), 0);
    f->rq.path = "/category/سياسة/";
    mu_value *root = view_root(&f->rq, &st, "سياسة", NULL, c.id);
    const mu_value *site = mu_get(root, "site"), *page = mu_get(root, "page");
    assert_non_null(site);
    assert_int_equal(mu_len(mu_get(site, "nav")), 1);       /* top level only */
    assert_int_equal(mu_len(mu_get(site, "follow")), 1);    /* RSS only */
    assert_string_equal(get_str(f->a, page, "canonical"),
                        "https://example.org/category/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/");
    assert_string_equal(get_str(f->a, page, "title"), "سياسة – نشرة");
    assert_string_equal(get_str(f->a, page, "description"), "نشرة");
}

static void test_summary(void **state)
{
    fixture *f = *state;
    view_settings st;
    assert_int_equal(view_settings_load(&f->rq, &st), 0);
    st.show_hijri = true;
    store_article ar = { .id = 3, .slug = "خبر", .title = "خبر عاجل (شاهد)", .video_url = "https://youtu.be/x",
                         .published_at = 1648720800 };
    mu_value *o = view_summary(f->a, &ar, &st);
    assert_string_equal(get_str(f->a, o, "url"), "/خبر/");
    assert_string_equal(get_str(f->a, o, "title"), "خبر عاجل");
    assert_int_equal(mu_typeof(mu_get(o, "video")), MU_BOOL);
    /* optional keys are present (false), so templates never inherit them */
    assert_int_equal(mu_typeof(mu_get(o, "image")), MU_BOOL);
    assert_int_equal(mu_typeof(mu_get(o, "author")), MU_BOOL);
    assert_int_equal(mu_typeof(mu_get(o, "kicker")), MU_BOOL);
    const mu_value *d = mu_get(o, "date");
    assert_string_equal(get_str(f->a, d, "text"), "الخميس 31 مارس 2022");
    assert_non_null(get_str(f->a, d, "hijri"));
}

/* A body is rendered by its format: Markdown, or an imported site's HTML
 * sanitised to the same allowlist; a stored body_html wins over both. */
static void test_body_by_format(void **state)
{
    fixture *f = *state;
    static const char html_src[] = "<div class=\"x\"><p onclick=\"y\">نص <b>مستورد</b></p>"
                                   "<script>alert(1)</script><figure><img src=\"/a.jpg\" alt=\"ص\">"
                                   "<figcaption>تعليق</figcaption></figure></div>";
    const char *out = NULL;
    store_article ar = { .body_md = html_src, .body_format = BODY_HTML };
    assert_int_equal(view_article_body(f->a, &ar, &out), 0);
    assert_string_equal(out, "<p>نص <strong>مستورد</strong></p>\n<figure><img src=\"/a.jpg\" alt=\"ص\" "
                             "loading=\"lazy\"><figcaption>تعليق</figcaption></figure>\n");
    ar.body_format = BODY_MARKDOWN; /* the same text as Markdown: raw HTML blocks go */
    assert_int_equal(view_article_body(f->a, &ar, &out), 0);
    assert_string_equal(out, "");
    ar.body_md = "نص **عريض**";
    assert_int_equal(view_article_body(f->a, &ar, &out), 0);
    assert_string_equal(out, "<p>نص <strong>عريض</strong></p>\n");
    ar.body_html = "<p>مخزن</p>\n";
    ar.body_format = BODY_HTML;
    assert_int_equal(view_article_body(f->a, &ar, &out), 0);
    assert_string_equal(out, "<p>مخزن</p>\n");
    assert_int_equal(view_body(f->a, NULL, BODY_HTML, &out), 0);
    assert_string_equal(out, "");
    out = NULL;
    assert_int_equal(view_body(f->a, "<p>\xFF</p>", BODY_HTML, &out), NS_EINVAL);
    assert_null(out);
}

/* True if section key of obj renders (a true bool, a non-empty value). */
static bool shown(arena_t *a, const mu_value *obj, const char *key)
{
    mu_templates *t = mu_templates_new(a);
    char *tpl = arena_printf(a, "{{#%s}}y{{/%s}}", key, key);
    assert_int_equal(mu_templates_add(t, "x", tpl, strlen(tpl), NULL), 0);
    buf_t b;
    buf_init(&b, a);
    assert_int_equal(mu_render(t, "x", obj, &b), 0);
    return strcmp(buf_cstr(&b), "y") == 0;
}

/* A card's video badge: a video report (the flag) with or without its
 * video_url, or a video_url alone. */
static void test_summary_video(void **state)
{
    fixture *f = *state;
    view_settings st;
    assert_int_equal(view_settings_load(&f->rq, &st), 0);
    static const struct { bool flag; const char *url; bool badge; } rows[] = {
        { false, NULL, false }, { false, "", false }, { true, NULL, true },
        { true, "https://youtu.be/x", true }, { false, "https://youtu.be/x", true },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        store_article ar = { .id = 3, .slug = "خبر", .title = "خبر", .video = rows[i].flag,
                             .video_url = rows[i].url, .published_at = 1648720800 };
        assert_int_equal(shown(f->a, view_summary(f->a, &ar, &st), "video"), rows[i].badge);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test_setup_teardown(test_canonical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_display_title, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings_defaults_and_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_site_object, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_by_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_video, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
