/*
 * test_theme.c - the theme loader against real directories built in a
 * temporary location: overlaying, template naming, assets, path checks and
 * error messages that point at the broken file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "render/theme.h"
#include "test_util.h"

struct dirs {
    char root[64];
    char def[96];
    char site[96];
};

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        mkdir(path, 0700);
        *p = '/';
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    struct dirs *d = calloc(1, sizeof *d);
    if (!d || !test_util_tmpdir(d->root, sizeof d->root, "theme"))
        return -1;
    snprintf(d->def, sizeof d->def, "%s/default", d->root);
    snprintf(d->site, sizeof d->site, "%s/site", d->root);
    mkdir(d->def, 0700);
    mkdir(d->site, 0700);
    write_file(d->def, "layout.mustache", "<main>{{$body}}{{/body}}</main>{{>partials/footer}}");
    write_file(d->def, "article.mustache", "{{<layout}}{{$body}}<h1>{{title}}</h1>{{/body}}{{/layout}}");
    write_file(d->def, "partials/footer.mustache", "<footer>default</footer>");
    write_file(d->def, "style.css", "body{color:red}");
    write_file(d->def, "img/logo.svg", "<svg/>");
    write_file(d->def, ".hidden.mustache", "{{#broken");
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    struct dirs *d = *state;
    int rc = test_util_rmtree(d->root);
    free(d);
    return rc == 0 ? 0 : -1;
}

static const char *render(theme_t *t, arena_t *a, const char *name, const mu_value *ctx)
{
    buf_t out;
    buf_init(&out, a);
    assert_int_equal(theme_render(t, name, ctx, &out), 0);
    return buf_cstr(&out);
}

static void test_default_only(void **state)
{
    struct dirs *d = *state;
    theme_t *t = NULL;
    char *err = NULL;
    assert_int_equal(theme_load(d->def, NULL, &t, &err), 0);
    assert_null(err);
    arena_t *a = arena_new(0);
    mu_value *m = mu_object(a);
    mu_set_str(m, "title", "<T>");
    assert_string_equal(render(t, a, "article", m), "<main><h1>&lt;T&gt;</h1></main><footer>default</footer>");
    assert_string_equal(render(t, a, "partials/footer", NULL), "<footer>default</footer>");
    const char *data;
    size_t len;
    assert_int_equal(theme_asset(t, "style.css", &data, &len), 0);
    assert_int_equal(len, 15);
    assert_memory_equal(data, "body{color:red}", 15);
    assert_int_equal(theme_asset(t, "img/logo.svg", &data, &len), 0);
    assert_int_equal(len, 6);
    assert_int_equal(theme_asset(t, "layout.mustache", &data, &len), NS_ENOTFOUND);
    assert_int_equal(theme_asset(t, "nope.css", &data, &len), NS_ENOTFOUND);
    assert_int_equal(theme_asset(t, ".hidden.mustache", &data, &len), NS_ENOTFOUND);
    buf_t out;
    buf_init(&out, a);
    assert_int_equal(theme_render(t, "missing", NULL, &out), NS_ENOTFOUND);
    arena_free(a);
    theme_free(t);
}

static void test_override(void **state)
{
    struct dirs *d = *state;
    write_file(d->site, "partials/footer.mustache", "<footer>site</footer>");
    write_file(d->site, "style.css", "body{}");
    write_file(d->site, "extra.js", "x()");
    theme_t *t = NULL;
    char *err = NULL;
    assert_int_equal(theme_load(d->def, d->site, &t, &err), 0);
    arena_t *a = arena_new(0);
    assert_string_equal(render(t, a, "article", NULL), "<main><h1></h1></main><footer>site</footer>");
    const char *data;
    size_t len;
    assert_int_equal(theme_asset(t, "style.css", &data, &len), 0);
    assert_int_equal(len, 6);
    assert_int_equal(theme_asset(t, "extra.js", &data, &len), 0);
    assert_int_equal(theme_asset(t, "img/logo.svg", &data, &len), 0);
    arena_free(a);
    theme_free(t);
}

static void test_hostile_paths(void **state)
{
    struct dirs *d = *state;
    theme_t *t = NULL;
    assert_int_equal(theme_load(d->def, NULL, &t, NULL), 0);
    const char *data;
    size_t len;
    assert_int_equal(theme_asset(t, "../default/style.css", &data, &len), NS_EINVAL);
    assert_int_equal(theme_asset(t, "img/../style.css", &data, &len), NS_EINVAL);
    assert_int_equal(theme_asset(t, "/style.css", &data, &len), NS_EINVAL);
    assert_int_equal(theme_asset(t, "", &data, &len), NS_ENOTFOUND);
    theme_free(t);
}

static void test_errors(void **state)
{
    struct dirs *d = *state;
    theme_t *t = (theme_t *)1;
    char *err = NULL;
    assert_int_equal(theme_load("/nonexistent/nashra-theme", NULL, &t, &err), NS_ENOTFOUND);
    assert_null(t);
    assert_non_null(strstr(err, "/nonexistent/nashra-theme"));
    free(err);
    write_file(d->site, "partials/bad.mustache", "ok\n{{#open}}\nnever closed\n");
    err = NULL;
    assert_int_equal(theme_load(d->def, d->site, &t, &err), NS_ESYNTAX);
    assert_non_null(err);
    assert_non_null(strstr(err, "site/partials/bad.mustache: line 2: "));
    free(err);
    /* a missing override directory is not an error */
    assert_int_equal(theme_load(d->def, "/nonexistent/site", &t, NULL), 0);
    theme_free(t);
    theme_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_override, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
