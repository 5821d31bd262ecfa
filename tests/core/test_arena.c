/*
 * test_arena.c - the region allocator must hand out aligned, non-overlapping
 * memory in any size mix, and run deferred cleanups exactly once, last first,
 * on free and on reset: request handlers rely on both.
 */
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"

static void test_alignment_and_disjoint(void **state)
{
    (void)state;
    arena_t *a = arena_new(64);
    unsigned char *ptrs[200];
    size_t sizes[200];
    for (int i = 0; i < 200; i++) {
        sizes[i] = (size_t)(i * 37 % 300) + 1;
        ptrs[i] = arena_alloc(a, sizes[i]);
        assert_int_equal((uintptr_t)ptrs[i] % alignof(max_align_t), 0);
        memset(ptrs[i], i & 0xff, sizes[i]);
    }
    for (int i = 0; i < 200; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            assert_int_equal(ptrs[i][k], i & 0xff);
    arena_free(a);
}

static void test_zero_size_and_zalloc(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    void *p = arena_alloc(a, 0);
    void *q = arena_alloc(a, 0);
    assert_non_null(p);
    assert_ptr_not_equal(p, q);
    unsigned char *z = arena_zalloc(a, 5000);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(z[i], 0);
    arena_free(a);
}

static void test_large_allocation_own_block(void **state)
{
    (void)state;
    arena_t *a = arena_new(1024);
    char *small1 = arena_alloc(a, 16);
    char *big = arena_alloc(a, 4u << 20);
    memset(big, 'x', 4u << 20);
    char *small2 = arena_alloc(a, 16);
    /* The small allocation still comes from the first block, right after. */
    assert_true(small2 > small1 && small2 - small1 < 1024);
    assert_true(arena_used(a) >= (4u << 20) + 32);
    arena_free(a);
}

static void test_strings(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    assert_null(arena_strdup(a, NULL));
    assert_null(arena_strndup(a, NULL, 3));
    assert_string_equal(arena_strdup(a, "نشرة"), "نشرة");
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    assert_string_equal(arena_strndup(a, "ab", 10), "ab");
    assert_string_equal(arena_printf(a, "%s-%d", "عدد", 42), "عدد-42");
    char *long_s = arena_printf(a, "%0*d", 20000, 7);
    assert_int_equal(strlen(long_s), 20000);
    assert_int_equal(long_s[19999], '7');
    arena_free(a);
}

static int order[8];
static int norder;

static void record(void *arg)
{
    order[norder++] = (int)(intptr_t)arg;
}

static void test_defer_lifo_on_free(void **state)
{
    (void)state;
    norder = 0;
    arena_t *a = arena_new(0);
    for (intptr_t i = 1; i <= 3; i++)
        arena_defer(a, record, (void *)i);
    assert_int_equal(norder, 0);
    arena_free(a);
    assert_int_equal(norder, 3);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 2);
    assert_int_equal(order[2], 1);
}

static void test_reset_runs_cleanups_and_reuses(void **state)
{
    (void)state;
    norder = 0;
    arena_t *a = arena_new(4096);
    char *first = arena_alloc(a, 32);
    arena_defer(a, record, (void *)(intptr_t)7);
    for (int i = 0; i < 100; i++)
        arena_alloc(a, 1000);
    arena_reset(a);
    assert_int_equal(norder, 1);
    assert_int_equal(order[0], 7);
    assert_int_equal(arena_used(a), 0);
    assert_ptr_equal(arena_alloc(a, 32), first); /* first block kept */
    arena_free(a);
    assert_int_equal(norder, 1); /* not run twice */
}

static void test_used_counts(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    assert_int_equal(arena_used(a), 0);
    arena_alloc(a, 10);
    size_t after = arena_used(a);
    assert_true(after >= 10 && after <= 10 + alignof(max_align_t));
    arena_free(NULL);
    arena_free(a);
}

static void test_footprint_counts_blocks(void **state)
{
    (void)state;
    arena_t *a = arena_new(1000);
    size_t empty = arena_footprint(a);
    assert_true(empty >= 1000);
    arena_alloc(a, 100); /* fits the first block: nothing more held */
    assert_int_equal(arena_footprint(a), empty);
    arena_alloc(a, 1 << 20); /* a block of its own */
    assert_true(arena_footprint(a) >= empty + (1u << 20));
    arena_reset(a);
    assert_int_equal(arena_footprint(a), empty);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_and_disjoint),
        cmocka_unit_test(test_zero_size_and_zalloc),
        cmocka_unit_test(test_large_allocation_own_block),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_defer_lifo_on_free),
        cmocka_unit_test(test_reset_runs_cleanups_and_reuses),
        cmocka_unit_test(test_used_counts),
        cmocka_unit_test(test_footprint_counts_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
