/*
 * test_form.c - what a request carries, decoded: query strings and
 * urlencoded forms ('+', escapes, empty pieces, bad escapes and UTF-8
 * refused), multipart forms (fields, files with their bytes, quoting,
 * preamble, malformed bodies refused), cookies (junk skipped, quotes
 * removed) and the canonical query of a cache key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "http/form.h"
#include "test_util.h"

#define ARENA test_util_arena

static void test_urlencoded(void **state)
{
    (void)state;
    hreq_param *p;
    size_t n;
    const char *q = "comment=%D9%86%D8%B5+%D9%87%D9%86%D8%A7&&author=a%2Bb&flag&e=&x=1%0A2";
    assert_int_equal(form_parse_urlencoded(ARENA, q, strlen(q), &p, &n), 0);
    assert_int_equal(n, 5);
    assert_string_equal(hreq_param_get(p, n, "comment"), "نص هنا");
    assert_string_equal(hreq_param_get(p, n, "author"), "a+b");
    assert_string_equal(hreq_param_get(p, n, "flag"), "");
    assert_string_equal(hreq_param_get(p, n, "e"), "");
    assert_string_equal(hreq_param_get(p, n, "x"), "1\n2"); /* a textarea's line break */
    assert_int_equal(p[0].value_len, strlen("نص هنا"));
    assert_int_equal(form_parse_urlencoded(ARENA, "", 0, &p, &n), 0);
    assert_int_equal(n, 0);
    static const char *const bad[] = {"a=%", "a=%4", "a=%zz", "a=%00", "a=%FF", "%C0%AF=1", "a=%ED%A0%80"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(form_parse_urlencoded(ARENA, bad[i], strlen(bad[i]), &p, &n), NS_EINVAL);
    /* bounded: more pieces than FORM_MAX_PARAMS */
    buf_t b;
    buf_init(&b, ARENA);
    for (int i = 0; i <= FORM_MAX_PARAMS; i++)
        buf_printf(&b, "k%d=v&", i);
    assert_int_equal(form_parse_urlencoded(ARENA, b.data, b.len, &p, &n), NS_ETOOBIG);
}

static const char multipart[] =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"comment\"\r\n"
    "\r\n"
    "سطر أول\r\nسطر ثان\r\n"
    "--XyZ\r\n"
    "content-disposition: form-data; name=\"author\"\r\n"
    "\r\n"
    "سالم\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"photo\"; filename=\"a \\\"b\\\".jpg\"\r\n"
    "Content-Type: image/jpeg\r\n"
    "\r\n"
    "\xff\xd8\x00\x01--X\r\n"
    "--XyZ--\r\n"
    "epilogue";

static void test_multipart(void **state)
{
    (void)state;
    const char *boundary;
    const char *ct = "multipart/form-data; charset=utf-8; boundary=\"XyZ\"";
    assert_int_equal(form_multipart_boundary(ARENA, ct, strlen(ct), &boundary), 0);
    assert_string_equal(boundary, "XyZ");
    hreq_param *p;
    size_t n;
    assert_int_equal(form_parse_multipart(ARENA, boundary, multipart, sizeof multipart - 1, &p, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(hreq_param_get(p, n, "comment"), "سطر أول\r\nسطر ثان");
    assert_string_equal(hreq_param_get(p, n, "author"), "سالم");
    assert_string_equal(p[2].name, "photo");
    assert_string_equal(p[2].filename, "a \"b\".jpg");
    assert_string_equal(p[2].content_type, "image/jpeg");
    assert_int_equal(p[2].value_len, 7);
    assert_memory_equal(p[2].value, "\xff\xd8\x00\x01--X", 7); /* bytes as sent */
    assert_null(p[0].filename);
}

static void test_multipart_refused(void **state)
{
    (void)state;
    const char *b;
    static const char *const types[] = {
        "multipart/mixed; boundary=x", "multipart/form-data", "multipart/form-data; boundary=",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=\"a\x01\"",
        "multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789X",
    };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        assert_int_equal(form_multipart_boundary(ARENA, types[i], strlen(types[i]), &b), NS_EINVAL);
    static const char *const bodies[] = {
        "",                                                                /* no delimiter */
        "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue", /* never closed */
        "--B\r\nContent-Type: text/plain\r\n\r\nv\r\n--B--",             /* no disposition */
        "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--B--",
        "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\r\n--B--", /* text not UTF-8 */
        "--Bjunk",
    };
    hreq_param *p;
    size_t n;
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++)
        assert_int_equal(form_parse_multipart(ARENA, "B", bodies[i], strlen(bodies[i]), &p, &n), NS_EINVAL);
    const char *empty = "--B--\r\n";
    assert_int_equal(form_parse_multipart(ARENA, "B", empty, strlen(empty), &p, &n), 0);
    assert_int_equal(n, 0);
}

static void test_cookies(void **state)
{
    (void)state;
    hreq_param *p;
    size_t n;
    const char *c = " a=1;b = \"two\" ; junk; =x; bad=\xff; nashra_session=s%20id ;";
    assert_int_equal(form_parse_cookies(ARENA, c, strlen(c), &p, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(hreq_param_get(p, n, "a"), "1");
    assert_string_equal(hreq_param_get(p, n, "b"), "two");
    assert_string_equal(hreq_param_get(p, n, "nashra_session"), "s%20id"); /* not decoded */
    assert_null(hreq_param_get(p, n, "bad"));
}

static void test_canonical_query(void **state)
{
    (void)state;
    static const char *const names[] = {"p", "q", NULL};
    hreq_param *p;
    size_t n;
    const char *q = "utm_source=x&q=%D8%A8+&p=2&p=10";
    assert_int_equal(form_parse_urlencoded(ARENA, q, strlen(q), &p, &n), 0);
    assert_string_equal(form_canonical_query(ARENA, p, n, names), "p=2&q=%D8%A8%20");
    const char *r = "q=%d8%a8%20&p=2&fbclid=1&p=10";
    assert_int_equal(form_parse_urlencoded(ARENA, r, strlen(r), &p, &n), 0);
    assert_string_equal(form_canonical_query(ARENA, p, n, names), "p=2&q=%D8%A8%20");
    /* a repeated name is keyed by the value a handler reads, the first */
    const char *rep = "p=10&p=2";
    assert_int_equal(form_parse_urlencoded(ARENA, rep, strlen(rep), &p, &n), 0);
    assert_string_equal(form_canonical_query(ARENA, p, n, names), "p=10");
    const char *only_noise = "utm_source=x";
    assert_int_equal(form_parse_urlencoded(ARENA, only_noise, strlen(only_noise), &p, &n), 0);
    assert_string_equal(form_canonical_query(ARENA, p, n, names), "");
    const char *amp = "p=a%26q%3D1";
    assert_int_equal(form_parse_urlencoded(ARENA, amp, strlen(amp), &p, &n), 0);
    assert_string_equal(form_canonical_query(ARENA, p, n, names), "p=a%26q%3D1"); /* no injection */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_urlencoded, test_util_arena_setup, test_util_arena_teardown),
        cmocka_unit_test_setup_teardown(test_multipart, test_util_arena_setup, test_util_arena_teardown),
        cmocka_unit_test_setup_teardown(test_multipart_refused, test_util_arena_setup, test_util_arena_teardown),
        cmocka_unit_test_setup_teardown(test_cookies, test_util_arena_setup, test_util_arena_teardown),
        cmocka_unit_test_setup_teardown(test_canonical_query, test_util_arena_setup, test_util_arena_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
