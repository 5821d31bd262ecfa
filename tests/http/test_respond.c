/*
 * test_respond.c - content negotiation and validators: Accept-Encoding with
 * q-values, If-None-Match lists, ETags, gzip round trip, and which variants
 * a built response gets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include <cmocka.h>

#include "core/err.h"
#include "http/respond.h"

static void test_accept_encoding(void **state)
{
    (void)state;
    static const struct { const char *ae; bool gzip; } cases[] = {
        {"gzip", true},
        {"GZIP", true},
        {"x-gzip", true},
        {"gzip, deflate, br", true},
        {"br, gzip;q=0.8", true},
        {"gzip;q=0", false},
        {"gzip; q=0.000", false},
        {"gzip;q=0.001", true},
        {"gzip ; Q=1", true},
        {"deflate, br", false},
        {"*", true},
        {"*;q=0", false},
        {"gzip;q=0, *", false},
        {"*, gzip;q=0", false},
        {"identity", false},
        {"gzipx", false},
        {"", false},
        {",,, ;;", false},
        {"br;q=1, gzip;level=1;q=0.5", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (respond_accepts_gzip(cases[i].ae, strlen(cases[i].ae)) != cases[i].gzip)
            fail_msg("Accept-Encoding \"%s\": expected %d", cases[i].ae, cases[i].gzip);
    assert_false(respond_accepts_gzip(NULL, 0));
    assert_true(respond_accepts_gzip("gzip, br", 4));   /* only the first n bytes count */
    assert_false(respond_accepts_gzip("br, gzip", 2));
}

static void test_etag(void **state)
{
    (void)state;
    char a[CACHE_ETAG_SIZE], b[CACHE_ETAG_SIZE], c[CACHE_ETAG_SIZE];
    respond_etag("hello", 5, "", a);
    respond_etag("hello", 5, "", b);
    respond_etag("hellp", 5, "", c);
    assert_int_equal(strlen(a), 18); /* quoted 64-bit hash in hex */
    assert_true(a[0] == '"' && a[17] == '"');
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    respond_etag("hello", 5, "-gz", c);
    assert_int_equal(strlen(c), 21);
    assert_memory_equal(a, c, 17);
    assert_string_equal(c + 17, "-gz\"");
}

static void test_if_none_match(void **state)
{
    (void)state;
    cache_entry e = {.status = 200};
    strcpy(e.v[0].etag, "\"abc\"");
    strcpy(e.v[1].etag, "\"abc-gz\"");
    static const struct { const char *inm; bool match; } cases[] = {
        {"\"abc\"", true},
        {"W/\"abc\"", true},
        {"\"abc-gz\"", true},
        {"\"x\", \"abc\"", true},
        {"\"x\",W/\"abc-gz\"  ", true},
        {"*", true},
        {" * ", true},
        {"\"ab\"", false},
        {"abc", false},
        {"\"abcd\"", false},
        {"", false},
        {"w/\"abc\"", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (respond_etag_matches(cases[i].inm, strlen(cases[i].inm), &e) != cases[i].match)
            fail_msg("If-None-Match %s: expected %d", cases[i].inm, cases[i].match);
    e.status = 404;
    assert_false(respond_etag_matches("*", 1, &e));
    assert_false(respond_etag_matches(NULL, 0, &e));
}

static void test_compressible(void **state)
{
    (void)state;
    assert_true(respond_compressible("text/html; charset=utf-8"));
    assert_true(respond_compressible("text/css"));
    assert_true(respond_compressible("application/rss+xml; charset=utf-8"));
    assert_true(respond_compressible("application/atom+xml"));
    assert_true(respond_compressible("application/xml"));
    assert_true(respond_compressible("application/json"));
    assert_true(respond_compressible("application/javascript"));
    assert_false(respond_compressible("application/xmlfoo"));
    assert_false(respond_compressible("image/png"));
    assert_false(respond_compressible("image/svg+xml"));
    assert_false(respond_compressible(NULL));
}

static void test_gzip_roundtrip(void **state)
{
    (void)state;
    char in[4000];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = "نشرة "[i % 9];
    unsigned char *gz;
    size_t gzlen;
    assert_int_equal(respond_gzip(in, sizeof in, RESPOND_GZIP_CACHED, &gz, &gzlen), NS_OK);
    assert_true(gzlen < sizeof in / 4);
    assert_true(gz[0] == 0x1f && gz[1] == 0x8b);
    char out[5000];
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = gz;
    z.avail_in = (uInt)gzlen;
    z.next_out = (Bytef *)out;
    z.avail_out = sizeof out;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.total_out, sizeof in);
    assert_memory_equal(out, in, sizeof in);
    inflateEnd(&z);
    free(gz);
}

static hresp_t make_resp(arena_t *a, int status, const char *ct, size_t n)
{
    hresp_t rs = {.status = status, .content_type = ct, .max_age = 60};
    buf_init(&rs.body, a);
    for (size_t i = 0; i < n; i++)
        buf_putc(&rs.body, "abcdefgh"[i % 8]);
    return rs;
}

/* The value of header `name` in hs[0..n), or NULL. */
static const char *hdr(const h2o_header_t *hs, size_t n, const char *name)
{
    static char out[512];
    for (size_t i = 0; i < n; i++)
        if (hs[i].name->len == strlen(name) && strncasecmp(hs[i].name->base, name, hs[i].name->len) == 0) {
            snprintf(out, sizeof out, "%.*s", (int)hs[i].value.len, hs[i].value.base);
            return out;
        }
    return NULL;
}

static void test_entry_variants(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    hresp_t big = make_resp(a, 200, "text/html; charset=utf-8", 5000);
    cache_entry *e = respond_entry(a, &big, &(respond_opts){.borrow = false, .gzip = true});
    cache_variant *id = &e->v[CACHE_IDENTITY], *gz = &e->v[CACHE_GZIP];
    assert_non_null(id->body);
    assert_int_equal(id->len, 5000);
    assert_memory_equal(id->body, big.body.data, 5000);
    assert_ptr_not_equal(id->body, big.body.data); /* copied */
    assert_non_null(gz->body);
    assert_true(gz->len < 5000);
    assert_non_null(id->headers_304);
    assert_non_null(gz->headers_304);
    assert_string_equal(hdr(id->headers, id->nheaders, "content-type"), "text/html; charset=utf-8");
    assert_null(hdr(id->headers, id->nheaders, "content-encoding"));
    assert_string_equal(hdr(gz->headers, gz->nheaders, "content-encoding"), "gzip");
    assert_string_equal(hdr(gz->headers, gz->nheaders, "etag"), gz->etag);
    assert_string_equal(hdr(id->headers, id->nheaders, "cache-control"), "public, max-age=60");
    assert_string_equal(hdr(id->headers, id->nheaders, "vary"), "Accept-Encoding");
    assert_null(hdr(id->headers_304, id->nheaders_304, "content-type")); /* no body, no type */
    assert_string_equal(hdr(id->headers_304, id->nheaders_304, "etag"), id->etag);
    assert_int_equal(strlen(gz->etag), 21);
    assert_memory_equal(gz->etag, id->etag, 17);
    /* everything the entry holds is on its arena: body, gzip copy, headers */
    size_t held = arena_footprint(e->arena);
    assert_true(held > 5000 + gz->len && held < 5000 + gz->len + 16384);
    cache_entry_release(e);

    hresp_t small = make_resp(a, 200, "text/html", RESPOND_GZIP_MIN);
    e = respond_entry(a, &small, &(respond_opts){.borrow = true, .gzip = true});
    assert_null(e->v[CACHE_GZIP].body);
    assert_ptr_equal(e->v[CACHE_IDENTITY].body, small.body.data); /* borrowed */
    assert_int_equal(strlen(e->v[CACHE_IDENTITY].etag), 18);
    cache_entry_release(e);

    hresp_t png = make_resp(a, 200, "image/png", 5000);
    e = respond_entry(a, &png, &(respond_opts){.borrow = false, .gzip = true});
    assert_null(e->v[CACHE_GZIP].body);
    cache_entry_release(e);

    hresp_t err = make_resp(a, 404, "text/html", 5000);
    e = respond_entry(a, &err, &(respond_opts){.borrow = false, .gzip = true});
    assert_int_equal(e->status, 404);
    assert_non_null(e->v[CACHE_GZIP].body);
    assert_null(e->v[CACHE_IDENTITY].headers_304);
    assert_string_equal(e->v[CACHE_IDENTITY].etag, "");
    assert_null(hdr(e->v[0].headers, e->v[0].nheaders, "etag"));
    assert_null(hdr(e->v[0].headers, e->v[0].nheaders, "allow"));
    cache_entry_release(e);

    hresp_t m = make_resp(a, 405, "text/html", 10);
    e = respond_entry(a, &m, &(respond_opts){.borrow = true, .gzip = false});
    assert_string_equal(hdr(e->v[0].headers, e->v[0].nheaders, "allow"), "GET, HEAD");
    cache_entry_release(e);

    e = respond_entry(a, &big, &(respond_opts){.borrow = true, .gzip = false}); /* client without gzip */
    assert_null(e->v[CACHE_GZIP].body);
    assert_non_null(e->v[CACHE_IDENTITY].body);
    assert_true(arena_footprint(e->arena) < 5000); /* the body is not copied */
    cache_entry_release(e);
    arena_free(a);
}

/* If-Modified-Since is compared exactly, as nginx does, in any date form. */
static void test_not_modified_since(void **state)
{
    (void)state;
    int64_t lm = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */
    static const char *same[] = {"Sun, 06 Nov 1994 08:49:37 GMT"};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        assert_true(respond_not_modified_since(same[i], strlen(same[i]), lm));
    const char *later = "Mon, 07 Nov 1994 08:49:37 GMT", *earlier = "Sun, 06 Nov 1994 08:49:36 GMT";
    assert_false(respond_not_modified_since(later, strlen(later), lm));     /* future: not a 304 */
    assert_false(respond_not_modified_since(earlier, strlen(earlier), lm));
    assert_false(respond_not_modified_since("garbage", 7, lm));
    assert_false(respond_not_modified_since(same[0], strlen(same[0]), 0)); /* no Last-Modified */
    assert_false(respond_not_modified_since(NULL, 0, lm));
    /* only the first n bytes count: "... GMT" cut short is not a date */
    assert_false(respond_not_modified_since(same[0], 10, lm));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_encoding),
        cmocka_unit_test(test_etag),
        cmocka_unit_test(test_if_none_match),
        cmocka_unit_test(test_compressible),
        cmocka_unit_test(test_gzip_roundtrip),
        cmocka_unit_test(test_entry_variants),
        cmocka_unit_test(test_not_modified_since),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
