/*
 * test_changes.c - the change log applied to the cache once per process:
 * several worker connections notice one commit by another connection, and
 * the log is read and applied once; the entries built from the changed
 * keys go, the others stay; an unreadable log drops everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "http/changes.h"
#include "test_util.h"

#define WORKERS 4

typedef struct fx {
    char dir[64], path[96];
    store_t *w[WORKERS], *writer;
    cache_t *c;
    changes_t *ch;
    arena_t *a;
    int64_t art1, art2;
} fx;

static int64_t add_article(store_t *s, const char *slug)
{
    store_article ar = {.slug = slug, .title = slug, .status = ARTICLE_PUBLISHED, .published_at = 1};
    assert_int_equal(store_article_insert(s, &ar, NULL, 0), 0);
    return ar.id;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(test_util_tmpdir(f->dir, sizeof f->dir, "changes"));
    snprintf(f->path, sizeof f->path, "%s/nashra.db", f->dir);
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->writer), 0);
    f->art1 = add_article(f->writer, "one");
    f->art2 = add_article(f->writer, "two");
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(store_open(f->path, 0, &f->w[i]), 0);
    f->c = cache_new(0);
    f->ch = changes_new();
    f->a = arena_new(0);
    for (int i = 0; i < WORKERS; i++) /* each worker's first request */
        assert_int_equal(changes_poll(f->ch, f->w[i], f->c, f->a), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    for (int i = 0; i < WORKERS; i++)
        store_close(f->w[i]);
    test_util_store_dir_close(f->writer, f->dir);
    cache_free(f->c);
    changes_free(f->ch);
    arena_free(f->a);
    free(f);
    return 0;
}

static void put(fx *f, const char *key, int64_t article)
{
    cache_entry *e = cache_entry_new(0);
    uint64_t *d = arena_alloc(e->arena, 2 * sizeof *d);
    d[0] = STORE_DEP(STORE_DEP_ARTICLE, article);
    d[1] = STORE_DEP(STORE_DEP_LIST, 0);
    e->deps = d;
    e->ndeps = 2;
    e->epoch = cache_epoch(f->c);
    assert_true(cache_put(f->c, key, e));
    cache_entry_release(e);
}

static bool held(fx *f, const char *key)
{
    cache_entry *e = cache_get(f->c, key, strlen(key), 0);
    cache_entry_release(e);
    return e != NULL;
}

static void poll_all(fx *f)
{
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(changes_poll(f->ch, f->w[i], f->c, f->a), 0);
}

static void test_one_commit_applied_once(void **state)
{
    fx *f = *state;
    changes_stats before, after;
    changes_get_stats(f->ch, &before);
    put(f, "/one/", f->art1);
    put(f, "/two/", f->art2);
    store_article ar;
    assert_int_equal(store_article_by_id(f->writer, f->a, f->art1, &ar), 0);
    ar.title = "عنوان";
    assert_int_equal(store_article_update(f->writer, &ar, NULL, 0), 0);
    poll_all(f); /* every worker's connection sees the commit */
    changes_get_stats(f->ch, &after);
    assert_int_equal(after.batches - before.batches, 1);
    assert_int_equal(after.keys - before.keys, 2); /* the article, the modification time */
    assert_false(held(f, "/one/"));
    assert_true(held(f, "/two/"));
    cache_stats cs;
    cache_get_stats(f->c, &cs);
    assert_int_equal(cs.dropped, 1);
    poll_all(f); /* nothing new */
    changes_get_stats(f->ch, &before);
    assert_int_equal(before.batches, after.batches);
    /* three commits, noticed together */
    for (int i = 0; i < 3; i++)
        assert_int_equal(store_setting_set(f->writer, "k", i ? "b" : "a"), 0);
    poll_all(f);
    changes_get_stats(f->ch, &after);
    assert_int_equal(after.batches - before.batches, 1);
    assert_false(held(f, "/two/")); /* a setting: every page */
}

static void test_unreadable_log_drops_everything(void **state)
{
    fx *f = *state;
    put(f, "/one/", f->art1);
    store_fault(f->w[0], 1, NS_EBUSY, false); /* the change check itself */
    assert_int_equal(changes_poll(f->ch, f->w[0], f->c, f->a), NS_EBUSY);
    assert_false(held(f, "/one/"));
    put(f, "/one/", f->art1);
    assert_int_equal(store_setting_set(f->writer, "k", "x"), 0);
    store_fault(f->w[1], 2, NS_ECORRUPT, false); /* reading the log */
    assert_int_equal(changes_poll(f->ch, f->w[1], f->c, f->a), NS_ECORRUPT);
    assert_false(held(f, "/one/"));
    assert_false(store_in_transaction(f->w[1]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_commit_applied_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_log_drops_everything, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
