/*
 * test_respond.c - content negotiation and validators: Accept-Encoding with
 * q-values, If-None-Match lists, ETags, gzip round trip, and which variants
 * a built response gets; pages with a form token: cut at the last slot,
 * finished per response with a freshly signed token and the rest of the
 * page, as identity and as the end of the gzip stream (its CRC and length
 * the whole page's), and sent whole when there is no slot or no key.
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
#include "core/secret.h"
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
    assert_true(arena_footprint(e->arena) < 4096 + 5000); /* the body (5000 bytes) is not copied */
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

/* ---- pages with a form token ---- */

#define TAIL "\"></body></html>"

static const secret_key *token_key(void)
{
    static secret_key k;
    static bool made;
    if (!made) {
        assert_int_equal(secret_from_hex("8f3a0c1b2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8", &k), NS_OK);
        made = true;
    }
    return &k;
}

/* A compressible page: head_len bytes of text, then `before`, then the
 * slot and TAIL (without the slot when slot is false). */
static hresp_t token_page(arena_t *a, size_t head_len, const char *before, bool slot)
{
    hresp_t rs = {.status = 200, .content_type = "text/html; charset=utf-8", .form_token = 42};
    buf_init(&rs.body, a);
    for (size_t i = 0; i < head_len; i++)
        buf_putc(&rs.body, "AAAA<p>نشرة</p>"[i % 19]);
    buf_puts(&rs.body, before);
    buf_puts(&rs.body, "<input value=\"");
    if (slot)
        buf_puts(&rs.body, HRESP_TOKEN_SLOT);
    buf_puts(&rs.body, TAIL);
    return rs;
}

/* Inflate a gzip stream: what it holds into out (malloc'd, *outlen),
 * asserting it ends (Z_STREAM_END: its CRC and length checked by zlib)
 * exactly where the input does. */
static void gunzip(const unsigned char *in, size_t n, char **out, size_t *outlen)
{
    size_t cap = 64 * 1024;
    char *buf = malloc(cap);
    assert_non_null(buf);
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    int rc = inflate(&z, Z_FINISH);
    if (rc != Z_STREAM_END)
        fail_msg("inflate: %d (%s)", rc, z.msg ? z.msg : "");
    assert_int_equal(z.avail_in, 0);
    *outlen = z.total_out;
    inflateEnd(&z);
    *out = buf;
}

/* The page body with a token in place of its (last) slot, into b. */
static void with_token(buf_t *b, const hresp_t *rs, const char *token)
{
    const char *body = rs->body.data, *end = body + rs->body.len, *slot = NULL;
    const size_t sl = strlen(HRESP_TOKEN_SLOT);
    for (const char *p = body; (p = memmem(p, (size_t)(end - p), HRESP_TOKEN_SLOT, sl)); p++)
        slot = p;
    assert_non_null(slot);
    buf_append(b, body, (size_t)(slot - body));
    buf_puts(b, token);
    buf_append(b, slot + sl, (size_t)(end - slot) - sl);
}

/* The identity response of e at now: its body then its token tail. The
 * token is checked (scope 42, issued now) and written to token. */
static void identity_response(const cache_entry *e, int64_t now, buf_t *out, char token[SECRET_TOKEN_MAX])
{
    unsigned char tail[RESPOND_TOKEN_TAIL_SIZE(4096)];
    size_t n = respond_token_tail(e, CACHE_IDENTITY, now, tail);
    assert_true(n > strlen(TAIL));
    assert_memory_equal(tail + n - strlen(TAIL), TAIL, strlen(TAIL));
    size_t tl = n - strlen(TAIL);
    assert_true(tl < SECRET_TOKEN_MAX);
    memcpy(token, tail, tl);
    token[tl] = '\0';
    int64_t issued = 0;
    assert_int_equal(secret_token_check(token_key(), token, 42, &issued), NS_OK);
    assert_int_equal(issued, now);
    buf_append(out, e->v[CACHE_IDENTITY].body, e->v[CACHE_IDENTITY].len);
    buf_append(out, tail, n);
}

static void test_token_page(void **state)
{
    (void)state;
    const int64_t now = 1764000000;
    for (int borrow = 0; borrow < 2; borrow++) {
        arena_t *a = arena_new(0);
        hresp_t rs = token_page(a, 1000, "", true);
        size_t head = rs.body.len - strlen(HRESP_TOKEN_SLOT) - strlen(TAIL);
        assert_true(rs.body.len > 300);
        cache_entry *e = respond_entry(a, &rs, &(respond_opts){.borrow = borrow, .gzip = true,
                                                               .token_key = token_key()});
        assert_int_equal(e->token.scope, 42);
        const cache_variant *id = &e->v[CACHE_IDENTITY], *gz = &e->v[CACHE_GZIP];
        assert_int_equal(id->len, head);
        assert_memory_equal(id->body, rs.body.data, head);
        /* what a reader gets: the token signed when sent, then the tail */
        char token[SECRET_TOKEN_MAX];
        buf_t got, want;
        buf_init(&got, a);
        buf_init(&want, a);
        identity_response(e, now, &got, token);
        with_token(&want, &rs, token);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.data, want.data, want.len);
        /* the entry owns what follows the slot: the page may go */
        if (!borrow)
            memset(rs.body.data, 'x', rs.body.len);

        /* gzip: the stored stream, left open, ends with the tail's block
         * and the trailer; the whole inflates to the page with its token */
        assert_non_null(gz->body);
        for (int64_t t = now; t < now + 3; t++) {
            unsigned char tail[RESPOND_TOKEN_TAIL_SIZE(4096)];
            size_t n = respond_token_tail(e, CACHE_GZIP, t, tail);
            buf_t stream;
            buf_init(&stream, a);
            buf_append(&stream, gz->body, gz->len);
            buf_append(&stream, tail, n);
            char *plain;
            size_t plen;
            gunzip((const unsigned char *)stream.data, stream.len, &plain, &plen);
            char tok[SECRET_TOKEN_MAX];
            buf_t expect;
            buf_init(&expect, a);
            hresp_t orig = token_page(a, 1000, "", true);
            secret_token(token_key(), 42, t, tok);
            with_token(&expect, &orig, tok);
            assert_int_equal(plen, expect.len);
            assert_memory_equal(plain, expect.data, expect.len);
            free(plain);
        }
        cache_entry_release(e);
        arena_free(a);
    }
}

/* A stream with its trailer damaged is refused by zlib: the CRC the tail
 * carries is the one checked above. */
static void test_token_tail_crc(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    hresp_t rs = token_page(a, 1000, "", true);
    cache_entry *e = respond_entry(a, &rs, &(respond_opts){.gzip = true, .token_key = token_key()});
    const cache_variant *gz = &e->v[CACHE_GZIP];
    assert_non_null(gz->body);
    unsigned char tail[RESPOND_TOKEN_TAIL_SIZE(4096)];
    size_t n = respond_token_tail(e, CACHE_GZIP, 1764000000, tail);
    tail[n - 8] ^= 1; /* the CRC's first byte */
    unsigned char *stream = malloc(gz->len + n);
    assert_non_null(stream);
    memcpy(stream, gz->body, gz->len);
    memcpy(stream + gz->len, tail, n);
    char out[4096];
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = stream;
    z.avail_in = (uInt)(gz->len + n);
    z.next_out = (Bytef *)out;
    z.avail_out = sizeof out;
    assert_int_equal(inflate(&z, Z_FINISH), Z_DATA_ERROR);
    inflateEnd(&z);
    free(stream);
    cache_entry_release(e);
    arena_free(a);
}

/* Without a slot, a key or a form_token, a page is sent as it is. */
static void test_token_absent(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    struct { hresp_t rs; bool key; } cases[] = {
        {token_page(a, 1000, "", false), true},     /* form_token set, no slot */
        {token_page(a, 1000, "", true), false},     /* no key to sign with */
        {token_page(a, 1000, "", true), true},      /* form_token 0, below */
        /* the slot further than RESPOND_TAIL_MAX from the end */
        {token_page(a, 1000, "", true), true},
    };
    cases[2].rs.form_token = 0;
    for (size_t i = 0; i < RESPOND_TAIL_MAX; i++)
        buf_putc(&cases[3].rs.body, ' ');
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const hresp_t *rs = &cases[i].rs;
        cache_entry *e = respond_entry(a, rs, &(respond_opts){.gzip = true,
                                                              .token_key = cases[i].key ? token_key() : NULL});
        if (e->token.scope != 0)
            fail_msg("case %zu: a token for %lld", i, (long long)e->token.scope);
        const cache_variant *id = &e->v[CACHE_IDENTITY], *gz = &e->v[CACHE_GZIP];
        assert_int_equal(id->len, rs->body.len);
        assert_memory_equal(id->body, rs->body.data, rs->body.len);
        assert_non_null(gz->body);
        char *plain;
        size_t plen;
        gunzip((const unsigned char *)gz->body, gz->len, &plain, &plen); /* a whole stream */
        assert_int_equal(plen, rs->body.len);
        assert_memory_equal(plain, rs->body.data, plen);
        free(plain);
        cache_entry_release(e);
    }
    arena_free(a);
}

/* Of two slots, the token takes the last: the first is the page's text. */
static void test_token_last_slot(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    hresp_t rs = token_page(a, 500, "<pre>" HRESP_TOKEN_SLOT "</pre>", true);
    size_t head = rs.body.len - strlen(HRESP_TOKEN_SLOT) - strlen(TAIL);
    cache_entry *e = respond_entry(a, &rs, &(respond_opts){.gzip = true, .token_key = token_key()});
    assert_int_equal(e->token.scope, 42);
    assert_int_equal(e->v[CACHE_IDENTITY].len, head);
    assert_non_null(memmem(e->v[CACHE_IDENTITY].body, head, HRESP_TOKEN_SLOT, strlen(HRESP_TOKEN_SLOT)));
    char token[SECRET_TOKEN_MAX];
    buf_t got, want;
    buf_init(&got, a);
    buf_init(&want, a);
    identity_response(e, 1764000000, &got, token);
    with_token(&want, &rs, token);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, want.len);
    cache_entry_release(e);
    arena_free(a);
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
        cmocka_unit_test(test_token_page),
        cmocka_unit_test(test_token_tail_crc),
        cmocka_unit_test(test_token_absent),
        cmocka_unit_test(test_token_last_slot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
