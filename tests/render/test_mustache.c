/*
 * test_mustache.c - focused tests of the Mustache engine beyond the official
 * spec: the value tree, our choices where the spec leaves room (truthiness,
 * number formatting, escaping of '), error reporting, limits, concurrent
 * rendering of one compiled set, and the speed a page render must keep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "render/mustache.h"

struct fx {
    arena_t *a;
    mu_templates *set;
    buf_t out;
};

static int setup(void **state)
{
    static struct fx f;
    f.a = arena_new(0);
    f.set = mu_templates_new(f.a);
    buf_init(&f.out, f.a);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    arena_free(f->a);
    return 0;
}

static void add(struct fx *f, const char *name, const char *src)
{
    char *err = NULL;
    int rc = mu_templates_add(f->set, name, src, strlen(src), &err);
    if (rc != 0)
        print_message("compile %s: %s\n", name, err ? err : "?");
    assert_int_equal(rc, 0);
}

/* Render src (compiled as "t") with ctx; returns the output. */
static const char *render(struct fx *f, const char *src, const mu_value *ctx)
{
    add(f, "t", src);
    buf_clear(&f->out);
    assert_int_equal(mu_render(f->set, "t", ctx, &f->out), 0);
    return buf_cstr(&f->out);
}

static void test_values(void **state)
{
    struct fx *f = *state;
    mu_value *o = mu_object(f->a);
    assert_int_equal(mu_typeof(o), MU_OBJECT);
    assert_int_equal(mu_typeof(NULL), MU_NULL);
    assert_int_equal(mu_typeof(mu_str(f->a, NULL)), MU_NULL);
    mu_set_str(o, "k", "one");
    mu_set_str(o, "k", "two");
    assert_string_equal(render(f, "{{k}}", o), "two");
    mu_value *l = mu_list(f->a);
    assert_int_equal(mu_len(l), 0);
    for (int i = 0; i < 20; i++)
        mu_push(l, mu_int(f->a, i));
    assert_int_equal(mu_len(l), 20);
    assert_int_equal(mu_len(o), 0);
    assert_null(mu_get(o, "absent"));
    assert_null(mu_get(l, "k"));
}

/* Objects stay correct past the linear-scan size, including replacement. */
static void test_many_keys(void **state)
{
    struct fx *f = *state;
    mu_value *o = mu_object(f->a);
    char *keys[200];
    for (int i = 0; i < 200; i++) {
        keys[i] = arena_printf(f->a, "key%d", i);
        mu_set_int(o, keys[i], i);
    }
    for (int i = 0; i < 200; i += 2)
        mu_set_int(o, keys[i], -i);
    for (int i = 0; i < 200; i++) {
        const mu_value *v = mu_get(o, keys[i]);
        assert_non_null(v);
        assert_int_equal(mu_typeof(v), MU_NUMBER);
    }
    assert_string_equal(render(f, "{{key7}} {{key8}} {{key199}}", o), "7 -8 199");
}

static void test_escaping_and_numbers(void **state)
{
    struct fx *f = *state;
    mu_value *o = mu_object(f->a);
    mu_set_str(o, "h", "<a href=\"x\">'&'</a>");
    mu_set(o, "d", mu_number(f->a, 1.5));
    mu_set(o, "w", mu_number(f->a, 85.0));
    mu_set(o, "t", mu_number(f->a, 0.1));
    mu_set(o, "neg", mu_int(f->a, -42));
    mu_set(o, "big", mu_int(f->a, INT64_MAX));
    mu_set_bool(o, "yes", true);
    assert_string_equal(render(f, "{{h}}", o), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    assert_string_equal(render(f, "{{{h}}}|{{&h}}", o), "<a href=\"x\">'&'</a>|<a href=\"x\">'&'</a>");
    assert_string_equal(render(f, "{{d}} {{w}} {{t}} {{neg}} {{big}} {{yes}}", o),
                        "1.5 85 0.1 -42 9223372036854775807 true");
}

static void test_truthiness(void **state)
{
    struct fx *f = *state;
    mu_value *o = mu_object(f->a);
    mu_set_str(o, "empty", "");
    mu_set_int(o, "zero", 0);
    mu_set(o, "none", mu_null(f->a));
    mu_set(o, "list", mu_list(f->a));
    mu_set(o, "obj", mu_object(f->a));
    assert_string_equal(render(f, "{{#empty}}E{{/empty}}{{^empty}}e{{/empty}}", o), "e");
    assert_string_equal(render(f, "{{#zero}}Z{{.}}{{/zero}}", o), "Z0");
    assert_string_equal(render(f, "{{^none}}n{{/none}}{{^list}}l{{/list}}{{#obj}}o{{/obj}}", o), "nlo");
}

static void test_dotted_and_iterator(void **state)
{
    struct fx *f = *state;
    mu_value *o = mu_object(f->a);
    mu_value *site = mu_object(f->a);
    mu_set_str(site, "name", "نشرة");
    mu_set(o, "site", site);
    mu_value *tags = mu_list(f->a);
    mu_push(tags, mu_str(f->a, "a"));
    mu_push(tags, mu_str(f->a, "b"));
    mu_set(o, "tags", tags);
    assert_string_equal(render(f, "{{site.name}}:{{#tags}}[{{.}}|{{site.name}}]{{/tags}}", o),
                        "نشرة:[a|نشرة][b|نشرة]");
    assert_string_equal(render(f, "{{site.missing.deeper}}{{nothing}}", o), "");
    assert_string_equal(render(f, "x{{.}}y", NULL), "xy");
}

static void expect_error(struct fx *f, const char *src, int rc, const char *msg)
{
    char *err = NULL;
    assert_int_equal(mu_templates_add(f->set, "bad", src, strlen(src), &err), rc);
    assert_non_null(err);
    assert_string_equal(err, msg);
    assert_false(mu_templates_has(f->set, "bad"));
}

static void test_syntax_errors(void **state)
{
    struct fx *f = *state;
    expect_error(f, "a\nb\n{{#s}}\nc", NS_ESYNTAX, "line 3: section is never closed");
    expect_error(f, "{{#a}}\n{{/b}}", NS_ESYNTAX, "line 2: closing tag does not match the open section");
    expect_error(f, "\n{{/a}}", NS_ESYNTAX, "line 2: closing tag without an opening one");
    expect_error(f, "ok\n{{name", NS_ESYNTAX, "line 2: unclosed tag");
    expect_error(f, "{{}}", NS_ESYNTAX, "line 1: empty or malformed tag name");
    expect_error(f, "{{a b}}", NS_ESYNTAX, "line 1: empty or malformed tag name");
    expect_error(f, "{{a..b}}", NS_ESYNTAX, "line 1: malformed dotted name");
    expect_error(f, "{{=<% %> x=}}", NS_ESYNTAX, "line 1: bad delimiters");
    expect_error(f, "{{! multi\nline }}\n{{{x}}", NS_ESYNTAX, "line 3: unclosed tag");
    char deep[1024] = "";
    for (int i = 0; i < 150; i++)
        strcat(deep, "{{#a}}");
    expect_error(f, deep, NS_ETOOBIG, "line 1: sections nested too deeply");
    assert_int_equal(mu_templates_add(f->set, "nul", NULL, 0, NULL), 0);
}

static void test_not_found_and_recursion(void **state)
{
    struct fx *f = *state;
    assert_int_equal(mu_render(f->set, "absent", NULL, &f->out), NS_ENOTFOUND);
    assert_false(mu_templates_has(f->set, "absent"));
    add(f, "loop", "x{{>loop}}");
    buf_clear(&f->out);
    assert_int_equal(mu_render(f->set, "loop", NULL, &f->out), NS_ETOOBIG);
    assert_string_equal(render(f, "[{{>missing}}]", NULL), "[]");
    /* 10^7 iterations within the depth limit: stopped by the work budget */
    mu_value *o = mu_object(f->a), *l = mu_list(f->a);
    for (int i = 0; i < 10; i++)
        mu_push(l, mu_int(f->a, i));
    mu_set(o, "l", l);
    add(f, "blowup", "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}");
    buf_clear(&f->out);
    assert_int_equal(mu_render(f->set, "blowup", o, &f->out), NS_ETOOBIG);
    add(f, "fine", "{{#l}}{{#l}}{{#l}}{{.}}{{/l}}{{/l}}{{/l}}");
    buf_clear(&f->out);
    assert_int_equal(mu_render(f->set, "fine", o, &f->out), 0);
    assert_int_equal(f->out.len, 1000);
}

static void test_replace_template(void **state)
{
    struct fx *f = *state;
    add(f, "p", "one");
    assert_string_equal(render(f, "{{>p}}", NULL), "one");
    add(f, "p", "two");
    assert_string_equal(render(f, "{{>p}}", NULL), "two");
    for (int i = 0; i < 100; i++) /* grows the set's table */
        add(f, arena_printf(f->a, "n%d", i), "x");
    assert_true(mu_templates_has(f->set, "n99"));
    assert_string_equal(render(f, "{{>p}}{{>n42}}", NULL), "twox");
}

/* A layout the way the themes use it: parent with blocks, nested partials. */
static void test_layout_inheritance(void **state)
{
    struct fx *f = *state;
    add(f, "layout", "<html>\n<body>\n  {{$main}}default{{/main}}\n  {{>footer}}\n</body>\n");
    add(f, "footer", "<footer>\n  {{$copy}}(c){{/copy}}\n</footer>\n");
    mu_value *o = mu_object(f->a);
    mu_set_str(o, "title", "T");
    const char *got = render(f, "{{<layout}}\n{{$main}}<h1>{{title}}</h1>\n<p>x</p>{{/main}}\n{{$copy}}© 2026{{/copy}}\n{{/layout}}\n", o);
    assert_string_equal(got, "<html>\n<body>\n  <h1>T</h1>\n  <p>x</p>\n  <footer>\n    © 2026\n  </footer>\n</body>\n");
}

static mu_value *page_model(arena_t *a, int ncomments)
{
    mu_value *page = mu_object(a);
    mu_set_str(page, "title", "عنوان المقال");
    mu_set_str(page, "body", "<p>نص المقال</p>");
    mu_value *cs = mu_list(a);
    for (int i = 0; i < ncomments; i++) {
        mu_value *c = mu_object(a);
        mu_set_str(c, "author", "كاتب <تعليق>");
        mu_set_str(c, "text", "تعليق طويل بعض الشيء & فيه رموز");
        mu_set_int(c, "id", i);
        mu_set_bool(c, "approved", i % 3 != 0);
        mu_push(cs, c);
    }
    mu_set(page, "comments", cs);
    return page;
}

static const char *page_src =
    "<h1>{{title}}</h1>\n{{{body}}}\n<ol>\n"
    "{{#comments}}\n  {{>comment}}\n{{/comments}}\n"
    "{{^comments}}<p>none</p>{{/comments}}\n</ol>\n";
static const char *comment_src =
    "<li id=\"c{{id}}\">{{#approved}}<b>{{author}}</b>: {{text}}{{/approved}}"
    "{{^approved}}…{{/approved}}</li>\n";

static void test_page_rendered_again_and_again(void **state)
{
    struct fx *f = *state;
    add(f, "comment", comment_src);
    add(f, "page", page_src);
    mu_value *m = page_model(f->a, 30);
    struct timespec t0, t1;
    const int runs = 2000;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < runs; i++) {
        buf_clear(&f->out);
        assert_int_equal(mu_render(f->set, "page", m, &f->out), 0);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / runs;
    print_message("page with 30 comments: %.1f us per render (%zu bytes)\n", us, f->out.len);
    assert_non_null(strstr(buf_cstr(&f->out), "  <li id=\"c29\"><b>كاتب &lt;تعليق&gt;</b>"));
}

struct job {
    const mu_templates *set;
    const mu_value *model;
    const char *expect;
    int failures;
};

static void *render_many(void *arg)
{
    struct job *j = arg;
    arena_t *a = arena_new(0);
    for (int i = 0; i < 300; i++) {
        buf_t out;
        buf_init(&out, a);
        if (mu_render(j->set, "page", j->model, &out) != 0 || strcmp(buf_cstr(&out), j->expect) != 0)
            j->failures++;
        arena_reset(a);
    }
    arena_free(a);
    return NULL;
}

static void test_threads(void **state)
{
    struct fx *f = *state;
    add(f, "comment", comment_src);
    add(f, "page", page_src);
    mu_value *m = page_model(f->a, 30);
    buf_clear(&f->out);
    assert_int_equal(mu_render(f->set, "page", m, &f->out), 0);
    struct job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct job){ f->set, m, buf_cstr(&f->out), 0 };
        assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].failures, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping_and_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truthiness, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotted_and_iterator, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_found_and_recursion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_template, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_inheritance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_rendered_again_and_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
