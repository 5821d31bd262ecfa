/*
 * test_ratelimit.c - the per-client token buckets: a burst of per_minute
 * events, then a refusal saying how long to wait, and one more event once
 * that time has passed; no more than a burst after a long pause; 0 turns
 * the limit off; keys count apart; a table far smaller than the keys
 * thrown at it stays sound; and threads taking from one bucket at once
 * get exactly the burst between them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <cmocka.h>

#include "core/ratelimit.h"

#define T0 1000000000LL  /* a monotonic clock reading, in ms */
#define MINUTE 60000

/* The test's table: made by table(), freed after the test, whether it
 * passed or not. */
static ratelimit_t *current;

static ratelimit_t *table(size_t slots)
{
    ratelimit_free(current);
    current = ratelimit_new(slots);
    return current;
}

static int free_table(void **state)
{
    (void)state;
    ratelimit_free(current);
    current = NULL;
    return 0;
}

/* n takes of key at now, asserting each is allowed. */
static void take_allowed(ratelimit_t *r, const char *key, int per_minute, int64_t now, int n)
{
    for (int i = 0; i < n; i++)
        if (ratelimit_take(r, key, per_minute, now) != 0)
            fail_msg("%s: take %d of %d at %lld refused", key, i + 1, n, (long long)now);
}

/* 5 a minute: one every 12 s once the burst of 5 is spent. */
static void test_burst_then_wait(void **state)
{
    (void)state;
    ratelimit_t *r = table(64);
    take_allowed(r, "192.0.2.1", 5, T0, 5);
    int wait = ratelimit_take(r, "192.0.2.1", 5, T0);
    assert_in_range(wait, 1, 12);
    /* refusals are not counted: asking again changes nothing */
    assert_int_equal(ratelimit_take(r, "192.0.2.1", 5, T0), wait);
    assert_true(ratelimit_take(r, "192.0.2.1", 5, T0 + 11999) >= 1);
    assert_int_equal(ratelimit_take(r, "192.0.2.1", 5, T0 + 12000), 0);
    assert_true(ratelimit_take(r, "192.0.2.1", 5, T0 + 12000) >= 1);
}

/* Coming back after the wait it names is always allowed. */
static void test_wait_is_enough(void **state)
{
    (void)state;
    static const int rates[] = { 1, 2, 3, 5, 7, 13, 60, 100, 1000 };
    for (size_t i = 0; i < sizeof rates / sizeof *rates; i++) {
        ratelimit_t *r = table(16);
        int pm = rates[i];
        int64_t now = T0;
        take_allowed(r, "k", pm, now, pm);
        for (int round = 0; round < 5; round++) {
            int wait, spare = 0; /* events the last wait left over, if any */
            while ((wait = ratelimit_take(r, "k", pm, now)) == 0)
                if (++spare > pm)
                    fail_msg("%d a minute: more than a burst at once", pm);
            if (wait < 1 || wait > MINUTE / 1000 + 1)
                fail_msg("%d a minute: wait %d s", pm, wait);
            now += (int64_t)wait * 1000;
            if (ratelimit_take(r, "k", pm, now) != 0)
                fail_msg("%d a minute: refused %d s later, as told", pm, wait);
        }
    }
}

/* The wait named is the least whole number of seconds: a second earlier
 * the next event is still refused. */
static void test_wait_is_least(void **state)
{
    (void)state;
    static const int rates[] = { 1, 2, 3, 5, 7, 13, 60 };
    for (size_t i = 0; i < sizeof rates / sizeof *rates; i++) {
        ratelimit_t *r = table(16);
        int pm = rates[i];
        take_allowed(r, "k", pm, T0, pm);
        int wait = ratelimit_take(r, "k", pm, T0);
        if (wait > 1 && ratelimit_take(r, "k", pm, T0 + (int64_t)(wait - 1) * 1000) == 0)
            fail_msg("%d a minute: told to wait %d s, allowed after %d s", pm, wait, wait - 1);
    }
}

/* However long the pause, the bucket holds one burst, no more. */
static void test_burst_is_capped(void **state)
{
    (void)state;
    ratelimit_t *r = table(16);
    take_allowed(r, "k", 5, T0, 5);
    int64_t later = T0 + 60LL * MINUTE;
    take_allowed(r, "k", 5, later, 5);
    assert_true(ratelimit_take(r, "k", 5, later) >= 1);
    /* half a minute gives back half the burst */
    take_allowed(r, "k", 5, later + MINUTE / 2, 2);
    assert_true(ratelimit_take(r, "k", 5, later + MINUTE / 2) >= 1);
    /* a minute and a half gives back the burst, not one and a half */
    int64_t then = later + MINUTE / 2 + 3 * MINUTE / 2;
    take_allowed(r, "k", 5, then, 5);
    assert_true(ratelimit_take(r, "k", 5, then) >= 1);
}

static void test_off(void **state)
{
    (void)state;
    ratelimit_t *r = table(16);
    take_allowed(r, "k", 0, T0, 10000);
    take_allowed(r, "k", -3, T0, 100);
    /* a limit that was off counted nothing */
    take_allowed(r, "k", 2, T0, 2);
    assert_true(ratelimit_take(r, "k", 2, T0) >= 1);
}

static void test_keys_apart(void **state)
{
    (void)state;
    ratelimit_t *r = table(64);
    take_allowed(r, "192.0.2.1", 3, T0, 3);
    assert_true(ratelimit_take(r, "192.0.2.1", 3, T0) >= 1);
    take_allowed(r, "192.0.2.2", 3, T0, 3);
    assert_true(ratelimit_take(r, "192.0.2.2", 3, T0) >= 1);
    take_allowed(r, "2001:db8::1", 3, T0, 3);
    assert_true(ratelimit_take(r, "192.0.2.1", 3, T0) >= 1);
}

/* A flood of addresses through a table of 16 slots: every new address
 * gets its first event, and is refused its second at once (its bucket is
 * the one just used, never the one given way). */
static void test_small_table_flood(void **state)
{
    (void)state;
    ratelimit_t *r = table(16);
    char key[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
        int64_t now = T0 + i;
        if (ratelimit_take(r, key, 1, now) != 0)
            fail_msg("new address %s refused", key);
        if (ratelimit_take(r, key, 1, now) < 1)
            fail_msg("address %s allowed twice in a row", key);
    }
    /* the same flood again at one instant, as a burst of requests */
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "flood-%d", i);
        ratelimit_take(r, key, 1, T0 + 20000);
    }
    assert_int_equal(ratelimit_take(r, "fresh", 1, T0 + 20000), 0);
    ratelimit_free(NULL);
}

/* A burst large enough that the threads race for it all along: each
 * alone could take more than half of it. */
#define THREADS 4
#define ROUNDS 4
#define PER_MINUTE 40000
#define TAKES (PER_MINUTE / 2)

typedef struct hammer {
    ratelimit_t *r;
    pthread_barrier_t *start;
    int allowed[ROUNDS];
} hammer;

/* Each round, once every thread is there, a minute later than the last:
 * a full bucket for all of them to share. */
static void *hammer_run(void *arg)
{
    hammer *h = arg;
    for (int round = 0; round < ROUNDS; round++) {
        pthread_barrier_wait(h->start);
        for (int i = 0; i < TAKES; i++)
            if (ratelimit_take(h->r, "192.0.2.9", PER_MINUTE, T0 + (int64_t)round * MINUTE) == 0)
                h->allowed[round]++;
    }
    return NULL;
}

static void test_threads_share_one_bucket(void **state)
{
    (void)state;
    ratelimit_t *r = table(64);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS);
    hammer h[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        h[i] = (hammer){ .r = r, .start = &start };
        assert_int_equal(pthread_create(&th[i], NULL, hammer_run, &h[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    for (int round = 0; round < ROUNDS; round++) {
        int allowed = 0;
        for (int i = 0; i < THREADS; i++)
            allowed += h[i].allowed[round];
        if (allowed != PER_MINUTE)
            fail_msg("round %d: %d allowed, not %d", round, allowed, PER_MINUTE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_burst_then_wait, free_table),
        cmocka_unit_test_teardown(test_wait_is_enough, free_table),
        cmocka_unit_test_teardown(test_wait_is_least, free_table),
        cmocka_unit_test_teardown(test_burst_is_capped, free_table),
        cmocka_unit_test_teardown(test_off, free_table),
        cmocka_unit_test_teardown(test_keys_apart, free_table),
        cmocka_unit_test_teardown(test_small_table_flood, free_table),
        cmocka_unit_test_teardown(test_threads_share_one_bucket, free_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
