/*
 * test_cache.c - response cache validity (generation, expiry), replacement,
 * reference counting and the memory bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http/cache.h"

static cache_entry *entry(uint64_t gen, int64_t expires, size_t size)
{
    cache_entry *e = cache_entry_new(0);
    e->status = 200;
    e->generation = gen;
    e->expires_at = expires;
    arena_alloc(e->arena, size); /* what a body would hold */
    return e;
}

static void test_hit_and_validity(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    cache_entry *e = entry(7, 1000, 100);
    assert_true(cache_put(c, "/خبر/", e));
    cache_entry_release(e);
    const char *k = "/خبر/";
    cache_entry *h = cache_get(c, k, strlen(k), 7, 999);
    assert_ptr_equal(h, e);
    cache_entry_release(h);
    assert_null(cache_get(c, k, strlen(k), 8, 999));     /* store changed */
    assert_null(cache_get(c, k, strlen(k), 7, 1000));    /* expired */
    assert_null(cache_get(c, "/خبر", strlen("/خبر"), 7, 0)); /* prefix is another key */
    assert_null(cache_get(c, "/other/", 7, 7, 0));
    /* key length is honoured: "/خبر/x" cut to the key's length hits */
    assert_non_null(h = cache_get(c, "/خبر/x", strlen(k), 7, 0));
    cache_entry_release(h);
    assert_int_equal(cache_count(c), 1);
    cache_free(c);
}

static void test_no_expiry_and_replace(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    cache_entry *a = entry(1, 0, 10), *b = entry(1, 0, 20);
    cache_put(c, "/a/", a);
    cache_put(c, "/a/", b);
    assert_int_equal(cache_count(c), 1);
    cache_entry *h = cache_get(c, "/a/", 3, 1, INT64_MAX);
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

static void test_new_generation_purges(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    char key[32];
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof key, "/p%d/", i);
        cache_entry *e = entry(1, 0, 10);
        cache_put(c, key, e);
        cache_entry_release(e);
    }
    assert_int_equal(cache_count(c), 200);
    size_t before = cache_bytes(c);
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof key, "/q%d/", i);
        cache_entry *e = entry(2, 0, 10);
        cache_put(c, key, e);
        cache_entry_release(e);
    }
    /* every shard saw generation 2, so all generation-1 entries are gone */
    assert_int_equal(cache_count(c), 200);
    assert_true(cache_bytes(c) <= before + 200);
    assert_null(cache_get(c, "/p1/", 4, 1, 0));
    cache_free(c);
}

static void test_memory_bound(void **state)
{
    (void)state;
    size_t limit = 16 * 64 * 1024; /* 64 KiB per shard */
    cache_t *c = cache_new(limit);
    char key[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "/n%d/", i);
        cache_entry *e = entry(1, 0, 4000);
        cache_put(c, key, e);
        cache_entry_release(e);
        assert_true(cache_bytes(c) <= limit);
    }
    assert_true(cache_count(c) < 2000);
    assert_true(cache_count(c) > 100);
    /* the newest entry is kept, the oldest went first */
    assert_null(cache_get(c, "/n0/", 4, 1, 0));
    cache_entry *h = cache_get(c, "/n1999/", 7, 1, 0);
    assert_non_null(h);
    cache_entry_release(h);
    /* larger than a shard's share: refused */
    cache_entry *big = entry(1, 0, limit);
    assert_false(cache_put(c, "/big/", big));
    cache_entry_release(big);
    assert_null(cache_get(NULL, "/x/", 3, 1, 0));
    assert_false(cache_put(NULL, "/x/", NULL));
    cache_free(c);
}

/* An entry is charged with what its arena really holds, key included, not
 * with a size the builder declares. */
static void test_charge_is_footprint(void **state)
{
    (void)state;
    cache_t *c = cache_new(0);
    cache_entry *e = entry(1, 0, 100000);
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
    cache_entry *h = cache_get(c, key, strlen(key), 1, 0);
    assert_ptr_equal(h, e);
    cache_entry_release(h);
    assert_null(cache_get(c, "/nope/", 6, 1, 0));
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
        cmocka_unit_test(test_new_generation_purges),
        cmocka_unit_test(test_memory_bound),
        cmocka_unit_test(test_charge_is_footprint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
