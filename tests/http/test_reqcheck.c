/*
 * test_reqcheck.c - the request-head rules beyond the parser's: framing
 * that could smuggle a request behind a proxy, Host, folded lines and
 * nginx's size limits, each against the status nginx answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http/reqcheck.h"

static int check(const char *head)
{
    return reqcheck_head(head, strlen(head));
}

static void test_good_heads(void **state)
{
    (void)state;
    assert_int_equal(check("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    assert_int_equal(check("GET / HTTP/1.0\r\n\r\n"), 0);            /* 1.0 needs no Host */
    assert_int_equal(check("GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    assert_int_equal(check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"), 0);
    assert_int_equal(check("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 0);
    /* a pipelined second request after the head is not looked at */
    assert_int_equal(check("GET / HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n"), 0);
}

static void test_framing_and_host(void **state)
{
    (void)state;
    static const char *bad[] = {
        "GET / HTTP/1.1\r\n\r\n",                                   /* no Host */
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",             /* two */
        "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n",             /* two, any case */
        "GET / HTTP/1.1\r\nHost:\r\n\r\n",                          /* empty */
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",     /* no chunked in 1.0 */
        "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n",  /* obs-fold */
        "GET / HTTP/1.1\r\nHost: x\r\n",                            /* incomplete */
        "GARBAGE\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (check(bad[i]) != 400)
            fail_msg("case %zu: %d, want 400", i, check(bad[i]));
}

/* A head of `lines` header lines of `len` bytes each (besides Host). */
static char *head_with(size_t lines, size_t len, size_t target_len)
{
    size_t cap = 64 + target_len + lines * (len + 2) + 4;
    char *h = malloc(cap), *p = h;
    p += sprintf(p, "GET /");
    memset(p, 'a', target_len);
    p += target_len;
    p += sprintf(p, " HTTP/1.1\r\nHost: x\r\n");
    for (size_t i = 0; i < lines; i++) {
        p += sprintf(p, "X-%04zu: ", i);
        memset(p, 'v', len - 8);
        p += len - 8;
        p += sprintf(p, "\r\n");
    }
    strcpy(p, "\r\n");
    return h;
}

static void test_sizes(void **state)
{
    (void)state;
    char *h = head_with(30, 1000, 10); /* 30 KiB in lines of 1000 bytes: a browser with cookies */
    assert_int_equal(check(h), 0);
    free(h);
    h = head_with(1, REQCHECK_MAX_LINE, 10); /* one line of exactly 8 KiB */
    assert_int_equal(check(h), 0);
    free(h);
    h = head_with(1, REQCHECK_MAX_LINE + 1, 10);
    assert_int_equal(check(h), 400);
    free(h);
    h = head_with(34, 1000, 10); /* over 32 KiB in all */
    assert_int_equal(check(h), 400);
    free(h);
    h = head_with(0, 0, REQCHECK_MAX_LINE); /* request line over 8 KiB */
    assert_int_equal(check(h), 414);
    free(h);
    h = head_with(0, 0, 4000);
    assert_int_equal(check(h), 0);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_heads),
        cmocka_unit_test(test_framing_and_host),
        cmocka_unit_test(test_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
