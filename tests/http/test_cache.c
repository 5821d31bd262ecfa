/*
 * test_cache.c - response cache validity (expiry), replacement, reference
 * counting, the memory bound, invalidation by store keys (exact, across a
 * render in progress, never letting an older render replace a newer one)
 * and one render for concurrent misses of a key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>
#include <unistd.h>

#include "http/cache.h"
#include "store/store.h"

static cache_entry *entry(uint64_t epoch, int64_t expires, size_t size)
{
    cache_entry *e = cache_entry_new(0);
    e->status = 200;
    e->epoch = epoch;
    e->expires_at = expires;
    arena_alloc(e->arena, size); /* what a body would hold */
    return e;
}

static void test_hit_and_validity(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    cache_entry *e = entry(0, 1000, 100);
    assert_true(cache_put(c, "/خبر/", e));
    cache_entry_release(e);
    const char *k = "/خبر/";
    cache_entry *h = cache_get(c, k, strlen(k), 999);
    assert_ptr_equal(h, e);
    cache_entry_release(h);
    assert_null(cache_get(c, k, strlen(k), 1000));    /* expired */
    assert_null(cache_get(c, "/خبر", strlen("/خبر"), 0)); /* prefix is another key */
    assert_null(cache_get(c, "/other/", 7, 0));
    /* key length is honoured: "/خبر/x" cut to the key's length hits */
    assert_non_null(h = cache_get(c, "/خبر/x", strlen(k), 0));
    cache_entry_release(h);
    assert_int_equal(cache_count(c), 1);
    cache_free(c);
}

static void test_no_expiry_and_replace(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    cache_entry *a = entry(0, 0, 10), *b = entry(0, 0, 20);
    cache_put(c, "/a/", a);
    cache_put(c, "/a/", b);
    assert_int_equal(cache_count(c), 1);
    cache_entry *h = cache_get(c, "/a/", 3, INT64_MAX);
    assert_ptr_equal(h, b);
    /* a is no longer in the cache but stays alive for its holder */
    assert_int_equal(atomic_load(&a->refs), 1);
    cache_entry_release(a);
    cache_entry_release(b);
    /* an entry held by a reader survives eviction */
    cache_free(c);
    assert_int_equal(atomic_load(&h->refs), 1);
    cache_entry_release(h);
}

/* An entry built from keys deps[0..n) (store_dep), rendered at epoch. */
static cache_entry *entry_deps(uint64_t epoch, const uint64_t *deps, size_t n)
{
    cache_entry *e = entry(epoch, 0, 10);
    uint64_t *d = arena_alloc(e->arena, (n ? n : 1) * sizeof *d);
    if (n)
        memcpy(d, deps, n * sizeof *d);
    e->deps = d;
    e->ndeps = n;
    return e;
}

static void put_deps(cache_t *c, const char *key, const uint64_t *deps, size_t n)
{
    cache_entry *e = entry_deps(cache_epoch(c), deps, n);
    assert_true(cache_put(c, key, e));
    cache_entry_release(e);
}

static bool held(cache_t *c, const char *key)
{
    cache_entry *e = cache_get(c, key, strlen(key), 0);
    cache_entry_release(e);
    return e != NULL;
}

#define A(id) STORE_DEP(STORE_DEP_ARTICLE, id)
#define COMMENTS(id) STORE_DEP(STORE_DEP_COMMENTS, id)
#define LIST STORE_DEP(STORE_DEP_LIST, 0)

/* A write drops exactly the entries built from a key it touched. */
static void test_invalidate_by_key(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    const uint64_t art1[] = {A(1), COMMENTS(1), LIST, A(7)}, art2[] = {A(2), COMMENTS(2), LIST, A(7)},
                   home[] = {LIST, A(7), A(8)}, cat[] = {LIST, A(9)};
    put_deps(c, "/one/", art1, 4);
    put_deps(c, "/two/", art2, 4);
    put_deps(c, "/", home, 3);
    put_deps(c, "/category/x/", cat, 2);
    /* thousands of others that nothing below touches */
    char key[32];
    for (int i = 0; i < 2000; i++) {
        const uint64_t d[] = {A(100000 + i), LIST};
        snprintf(key, sizeof key, "/p%d/", i);
        put_deps(c, key, d, 2);
    }
    const uint64_t comment1[] = {COMMENTS(1)};
    cache_invalidate(c, comment1, 1);
    assert_false(held(c, "/one/"));
    assert_true(held(c, "/two/") && held(c, "/") && held(c, "/category/x/") && held(c, "/p5/"));
    const uint64_t title7[] = {A(7), STORE_DEP(STORE_DEP_MODIFIED, 0)};
    cache_invalidate(c, title7, 2); /* 7 is shown on /two/ and / */
    assert_false(held(c, "/two/") || held(c, "/"));
    assert_true(held(c, "/category/x/") && held(c, "/p1999/"));
    cache_stats st;
    cache_get_stats(c, &st);
    assert_int_equal(st.invalidations, 2);
    assert_int_equal(st.dropped, 3);
    const uint64_t list[] = {LIST};
    cache_invalidate(c, list, 1);
    assert_int_equal(cache_count(c), 0);
    put_deps(c, "/one/", art1, 4);
    const uint64_t all[] = {A(12345), STORE_DEP(STORE_DEP_ALL, 0)};
    cache_invalidate(c, all, 2); /* site-wide: everything */
    assert_int_equal(cache_count(c), 0);
    cache_free(c);
}

/* A render that read the store before a write it depends on was applied
 * is refused; one that depends on nothing written is kept. */
static void test_render_overtaken_by_write(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    const uint64_t art1[] = {A(1), LIST}, art2[] = {A(2), LIST};
    uint64_t before = cache_epoch(c);       /* two renders begin */
    const uint64_t w[] = {A(1)};
    cache_invalidate(c, w, 1);              /* a write to article 1 lands */
    cache_entry *e1 = entry_deps(before, art1, 2), *e2 = entry_deps(before, art2, 2);
    assert_false(cache_put(c, "/one/", e1)); /* may show the old title */
    assert_true(cache_put(c, "/two/", e2));  /* unaffected */
    cache_stats st;
    cache_get_stats(c, &st);
    assert_int_equal(st.refused, 1);
    cache_entry_release(e1);
    cache_entry_release(e2);
    /* more invalidations than the ring remembers: refused, whatever they were */
    uint64_t old = cache_epoch(c);
    for (int i = 0; i < 100; i++) {
        const uint64_t other[] = {A(5000 + i)};
        cache_invalidate(c, other, 1);
    }
    cache_entry *e3 = entry_deps(old, art2, 2);
    assert_false(cache_put(c, "/three/", e3));
    cache_entry_release(e3);
    cache_free(c);
}

/* An older render never replaces (and so never evicts) a newer entry. */
static void test_older_render_never_replaces_newer(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    const uint64_t d[] = {A(1)}, other[] = {A(99)};
    uint64_t slow = cache_epoch(c);      /* a slow render starts */
    cache_invalidate(c, other, 1);       /* something unrelated is written */
    cache_entry *fresh = entry_deps(cache_epoch(c), d, 1);
    assert_true(cache_put(c, "/a/", fresh)); /* a later render finishes first */
    cache_entry *late = entry_deps(slow, d, 1);
    assert_false(cache_put(c, "/a/", late));
    cache_entry *h = cache_get(c, "/a/", 3, 0);
    assert_ptr_equal(h, fresh);
    cache_stats st;
    cache_get_stats(c, &st);
    assert_int_equal(st.refused, 1);
    cache_entry_release(h);
    cache_entry_release(late);
    cache_entry_release(fresh);
    cache_free(c);
}

/* Concurrent misses of one key: one render, the others wait for it. */
struct herd {
    cache_t *c;
    atomic_int renders, served;
};

static void *herd_reader(void *arg)
{
    struct herd *h = arg;
    cache_flight *own;
    cache_entry *e = cache_lookup(h->c, "/hot/", 5, 0, &own);
    if (!e) {
        atomic_fetch_add(&h->renders, 1);
        usleep(50000); /* a slow render: the others arrive meanwhile */
        e = entry_deps(0, NULL, 0);
        cache_put(h->c, "/hot/", e);
        cache_flight_end(h->c, own);
    }
    atomic_fetch_add(&h->served, 1);
    cache_entry_release(e);
    return NULL;
}

static void test_one_render_for_concurrent_misses(void **state)
{
    (void)state;
    struct herd h = {.c = cache_new(0)};
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, herd_reader, &h);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&h.renders), 1);
    assert_int_equal(atomic_load(&h.served), 8);
    cache_stats st;
    cache_get_stats(h.c, &st);
    assert_int_equal(st.hits, 7); /* every other reader got the one render (some after waiting) */
    cache_free(h.c);
}

/* A render that keeps nothing (an error) releases its waiters, who then
 * render for themselves. */
static void *herd_failing(void *arg)
{
    struct herd *h = arg;
    cache_flight *own;
    cache_entry *e = cache_lookup(h->c, "/err/", 5, 0, &own);
    if (!e) {
        atomic_fetch_add(&h->renders, 1);
        usleep(20000);
        cache_flight_end(h->c, own); /* NULL for waiters: no-op */
    }
    cache_entry_release(e);
    return NULL;
}

static void test_failed_render_releases_waiters(void **state)
{
    (void)state;
    struct herd h = {.c = cache_new(0)};
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, herd_failing, &h);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&h.renders), 4); /* nobody hung, each rendered */
    cache_free(h.c);
}

static void test_memory_bound(void **state)
{
    (void)state;
    size_t limit = 16 * 64 * 1024; /* 64 KiB per shard */
    cache_t *c = cache_new(limit);
    char key[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "/n%d/", i);
        cache_entry *e = entry(0, 0, 4000);
        cache_put(c, key, e);
        cache_entry_release(e);
        assert_true(cache_bytes(c) <= limit);
    }
    assert_true(cache_count(c) < 2000);
    assert_true(cache_count(c) > 100);
    /* the newest entry is kept, the oldest went first */
    assert_null(cache_get(c, "/n0/", 4, 0));
    cache_entry *h = cache_get(c, "/n1999/", 7, 0);
    assert_non_null(h);
    cache_entry_release(h);
    /* larger than a shard's share: refused */
    cache_entry *big = entry(0, 0, limit);
    assert_false(cache_put(c, "/big/", big));
    cache_entry_release(big);
    assert_null(cache_get(NULL, "/x/", 3, 0));
    assert_false(cache_put(NULL, "/x/", NULL));
    cache_free(c);
}

/* An entry is charged with what its arena really holds, key included, not
 * with a size the builder declares. */
static void test_charge_is_footprint(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    cache_entry *e = entry(0, 0, 100000);
    e->size = 1; /* ignored: the cache measures */
    char key[3000];
    memset(key, 'k', sizeof key - 1);
    key[0] = '/';
    key[sizeof key - 1] = '\0';
    assert_true(cache_put(c, key, e));
    assert_true(e->size >= 100000 + sizeof key);
    assert_int_equal(cache_bytes(c), e->size);
    cache_stats st;
    cache_get_stats(c, &st);
    assert_int_equal(st.entries, 1);
    assert_int_equal(st.hits + st.misses, 0);
    cache_entry *h = cache_get(c, key, strlen(key), 0);
    assert_ptr_equal(h, e);
    cache_entry_release(h);
    assert_null(cache_get(c, "/nope/", 6, 0));
    cache_get_stats(c, &st);
    assert_int_equal(st.hits, 1);
    assert_int_equal(st.misses, 1);
    cache_entry_release(e);
    cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_and_validity),
        cmocka_unit_test(test_no_expiry_and_replace),
        cmocka_unit_test(test_invalidate_by_key),
        cmocka_unit_test(test_render_overtaken_by_write),
        cmocka_unit_test(test_older_render_never_replaces_newer),
        cmocka_unit_test(test_one_render_for_concurrent_misses),
        cmocka_unit_test(test_failed_render_releases_waiters),
        cmocka_unit_test(test_memory_bound),
        cmocka_unit_test(test_charge_is_footprint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
