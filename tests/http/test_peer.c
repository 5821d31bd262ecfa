/*
 * test_peer.c - client addresses: parsing, address blocks, the client a
 * trusted proxy forwards for, and the per-address connection bound, also
 * with several threads counting at once as the server's workers do.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "core/err.h"
#include "http/peer.h"

static peer_addr addr(const char *s)
{
    peer_addr a;
    assert_int_equal(peer_parse(s, strlen(s), &a), NS_OK);
    return a;
}

static const char *text(const peer_addr *a)
{
    static char buf[PEER_ADDR_TEXT];
    peer_format(a, buf);
    return buf;
}

static void test_parse_and_format(void **state)
{
    (void)state;
    peer_addr a = addr(" 192.0.2.1 ");
    assert_int_equal(a.family, 4);
    assert_string_equal(text(&a), "192.0.2.1");
    a = addr("2001:DB8::1");
    assert_int_equal(a.family, 6);
    assert_string_equal(text(&a), "2001:db8::1");
    a = addr("::ffff:10.0.0.1"); /* one client, one spelling */
    assert_int_equal(a.family, 4);
    assert_string_equal(text(&a), "10.0.0.1");
    static const char *bad[] = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "::g", "1.2.3.4:80", "[::1]", "unknown"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(peer_parse(bad[i], strlen(bad[i]), &a), NS_EINVAL);
    assert_int_equal(peer_parse("1.2.3.4\0x", 9, &a), NS_EINVAL);
    struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:127.0.0.3", &s6.sin6_addr);
    peer_from_sockaddr((struct sockaddr *)&s6, &a);
    assert_string_equal(text(&a), "127.0.0.3");
    struct sockaddr un = {.sa_family = AF_UNIX};
    peer_from_sockaddr(&un, &a);
    assert_int_equal(a.family, 0);
    assert_string_equal(text(&a), "unknown");
}

static void test_nets(void **state)
{
    (void)state;
    peer_net n[2];
    assert_int_equal(peer_parse_net("10.0.0.0/8", &n[0]), NS_OK);
    assert_int_equal(peer_parse_net("2001:db8::/33", &n[1]), NS_OK);
    peer_addr in = addr("10.200.1.1"), out = addr("11.0.0.1");
    peer_addr v6in = addr("2001:db8:7fff::1"), v6out = addr("2001:db8:8000::1");
    assert_true(peer_in_nets(&in, n, 2));
    assert_false(peer_in_nets(&out, n, 2));
    assert_true(peer_in_nets(&v6in, n, 2));
    assert_false(peer_in_nets(&v6out, n, 2));
    peer_net one;
    assert_int_equal(peer_parse_net("127.0.0.3", &one), NS_OK);
    assert_int_equal(one.prefix, 32);
    peer_addr lo3 = addr("127.0.0.3"), lo2 = addr("127.0.0.2");
    assert_true(peer_in_nets(&lo3, &one, 1));
    assert_false(peer_in_nets(&lo2, &one, 1));
    static const char *bad[] = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "/8", "::/129"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(peer_parse_net(bad[i], &one), NS_EINVAL);
}

static void test_forwarded_client(void **state)
{
    (void)state;
    peer_net trusted[2];
    peer_parse_net("10.0.0.0/8", &trusted[0]);
    peer_parse_net("192.168.1.1", &trusted[1]);
    peer_addr lb = addr("10.0.0.5"), stranger = addr("203.0.113.9"), c;
    const char *xff = "198.51.100.7, 192.168.1.1";
    /* from a trusted proxy: the rightmost address that is not a proxy */
    peer_client(&lb, xff, strlen(xff), trusted, 2, &c);
    assert_string_equal(text(&c), "198.51.100.7");
    /* the client's own claims left of it are not believed */
    const char *spoof = "1.1.1.1, 198.51.100.7";
    peer_client(&lb, spoof, strlen(spoof), trusted, 2, &c);
    assert_string_equal(text(&c), "198.51.100.7");
    /* from anyone else: the header is ignored */
    peer_client(&stranger, xff, strlen(xff), trusted, 2, &c);
    assert_string_equal(text(&c), "203.0.113.9");
    /* garbage stops the walk at the last good hop */
    const char *junk = "nonsense, 10.0.0.9";
    peer_client(&lb, junk, strlen(junk), trusted, 2, &c);
    assert_string_equal(text(&c), "10.0.0.9");
    peer_client(&lb, NULL, 0, trusted, 2, &c);
    assert_string_equal(text(&c), "10.0.0.5");
}

static void test_bound(void **state)
{
    (void)state;
    peer_table *t = peer_table_new(3);
    peer_addr a = addr("127.0.0.3"), b = addr("127.0.0.2"), none = {0};
    for (int i = 0; i < 3; i++)
        assert_true(peer_acquire(t, &a));
    assert_false(peer_acquire(t, &a)); /* the fourth is refused */
    assert_true(peer_acquire(t, &b));  /* others are not affected */
    assert_int_equal(peer_count(t, &a), 3);
    assert_int_equal(peer_total(t), 4);
    peer_release(t, &a);
    assert_true(peer_acquire(t, &a));
    for (int i = 0; i < 3; i++)
        peer_release(t, &a);
    peer_release(t, &b);
    assert_int_equal(peer_count(t, &a), 0);
    assert_int_equal(peer_total(t), 0);
    assert_true(peer_acquire(t, &none)); /* unknown family: never bounded */
    peer_table_free(t);
    t = peer_table_new(0); /* 0: unlimited */
    for (int i = 0; i < 1000; i++)
        assert_true(peer_acquire(t, &a));
    peer_table_free(t); /* frees records still held */
}

/* Threads that accept and close connections of one address at once, as
 * the worker threads do (cmocka's assertions belong to the main thread, so
 * the threads only record what they saw). */
#define CONC_THREADS 4
#define CONC_ROUNDS 2000
#define CONC_BOUND 3

typedef struct conc_arg {
    peer_table *t;
    peer_addr shared, own;      /* own: an address no other thread uses */
    pthread_barrier_t *start;
    unsigned over_bound;        /* times the shared count was seen above the bound */
    unsigned own_refused;       /* own address refused although held once at most */
    unsigned admitted;          /* shared-address acquisitions that succeeded */
    unsigned held;              /* acquired in the last phase and kept */
} conc_arg;

static void *conc_thread(void *p)
{
    conc_arg *c = p;
    pthread_barrier_wait(c->start);
    for (int i = 0; i < CONC_ROUNDS; i++) {
        if (peer_acquire(c->t, &c->shared)) {
            c->admitted++;
            if (peer_count(c->t, &c->shared) > CONC_BOUND)
                c->over_bound++;
            peer_release(c->t, &c->shared);
        }
        if (!peer_acquire(c->t, &c->own))
            c->own_refused++;
        else
            peer_release(c->t, &c->own);
    }
    /* all at once, without letting go: only the bound's worth may stay */
    pthread_barrier_wait(c->start);
    for (int i = 0; i < 2; i++)
        c->held += peer_acquire(c->t, &c->shared);
    return NULL;
}

static void test_bound_concurrent(void **state)
{
    (void)state;
    peer_table *t = peer_table_new(CONC_BOUND);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, CONC_THREADS);
    conc_arg args[CONC_THREADS];
    pthread_t th[CONC_THREADS];
    for (int i = 0; i < CONC_THREADS; i++) {
        char own[32];
        snprintf(own, sizeof own, "2001:db8::%d", i + 1);
        args[i] = (conc_arg){.t = t, .shared = addr("127.0.0.3"), .own = addr(own), .start = &start};
        assert_int_equal(pthread_create(&th[i], NULL, conc_thread, &args[i]), 0);
    }
    unsigned admitted = 0, held = 0;
    for (int i = 0; i < CONC_THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].over_bound, 0);
        assert_int_equal(args[i].own_refused, 0);
        admitted += args[i].admitted;
        held += args[i].held;
    }
    pthread_barrier_destroy(&start);
    assert_true(admitted > 0); /* (the first attempt of all finds no holder) */
    assert_int_equal(held, CONC_BOUND);
    assert_int_equal(peer_count(t, &args[0].shared), CONC_BOUND);
    assert_int_equal(peer_total(t), CONC_BOUND);
    for (int i = 0; i < CONC_BOUND; i++)
        peer_release(t, &args[0].shared);
    assert_int_equal(peer_count(t, &args[0].shared), 0);
    assert_int_equal(peer_total(t), 0);
    peer_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_nets),
        cmocka_unit_test(test_forwarded_client),
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_bound_concurrent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
