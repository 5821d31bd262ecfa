/*
 * test_changes.c - what the SQLite backend does for a cache beyond the
 * contract both backends share (test_conformance.c): INSERT OR REPLACE,
 * which deletes a row without its delete triggers, is logged all the same;
 * a busy BEGIN is retried one statement per try; a failing change check
 * (PRAGMA data_version, read at every call) counts as a change; and the
 * related-articles walk is bounded in statement steps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "store/store.h"
#include "test_util.h"

#define NOW 1764000000LL

typedef struct {
    char dir[64], path[96];
    store_t *s;
    arena_t *a;
    int64_t cat, art, other;
    int64_t seq;   /* change log read up to here */
} fx;

static int64_t add_article(fx *f, const char *slug, article_status st)
{
    store_article ar = {.slug = slug, .title = slug, .status = st, .comments_open = true,
                        .published_at = NOW - 60, .category_id = f->cat};
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
    return ar.id;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(test_util_tmpdir(f->dir, sizeof f->dir, "changes"));
    snprintf(f->path, sizeof f->path, "%s/nashra.db", f->dir);
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), 0);
    f->a = arena_new(0);
    store_category c = {0, 0, "news", "أخبار", NULL, 0};
    assert_int_equal(store_category_insert(f->s, &c), 0);
    f->cat = c.id;
    f->art = add_article(f, "a", ARTICLE_PUBLISHED);
    f->other = add_article(f, "b", ARTICLE_PUBLISHED);
    assert_int_equal(store_changes_head(f->s, &f->seq), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    test_util_store_dir_close(f->s, f->dir);
    arena_free(f->a);
    free(f);
    return 0;
}

/* The keys logged since the last call (sorted set semantics: each once). */
static store_changes news(fx *f)
{
    store_changes c;
    assert_int_equal(store_changes_since(f->s, f->a, f->seq, &c), 0);
    f->seq = c.last;
    return c;
}

static bool has(const store_changes *c, int kind, int64_t id)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->deps[i] == STORE_DEP(kind, id))
            return true;
    return false;
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* INSERT OR REPLACE deletes the row it replaces without firing delete
 * triggers; the shown article it replaced is logged all the same. */
static void test_replace_is_logged(void **state)
{
    fx *f = *state;
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO articles(id, slug, title, status)"
             " VALUES (%lld, 'b', 'b', 'draft')", (long long)f->other);
    raw_exec(f->path, sql);
    store_changes c = news(f);
    assert_true(has(&c, STORE_DEP_ARTICLE, f->other) && has(&c, STORE_DEP_LIST, 0));
    assert_true(has(&c, STORE_DEP_MODIFIED, 0));
}

/* A BEGIN IMMEDIATE that stays busy (another writer holds the lock) is
 * tried STORE_WRITE_TRIES times, one statement each, then given up. */
static void test_busy_begin_retried(void **state)
{
    fx *f = *state;
    uint64_t before = store_steps(f->s);
    store_fault(f->s, 1, NS_EBUSY, true);
    assert_int_equal(store_setting_set(f->s, "k", "2"), NS_EBUSY);
    assert_int_equal(store_steps(f->s) - before, STORE_WRITE_TRIES);
    store_fault(f->s, 0, 0, false);
}

/* A failing change check reports the error and counts as a change. */
static void test_changed_error(void **state)
{
    fx *f = *state;
    bool c = false;
    store_changed(f->s, &c);
    store_fault(f->s, 1, NS_EBUSY, false);
    c = false;
    assert_int_equal(store_changed(f->s, &c), NS_EBUSY);
    assert_true(c);
}

/* The related-articles walk is bounded however many articles share a tag. */
static void test_related_walk_bounded(void **state)
{
    fx *f = *state;
    store_tag t = {0, NULL, "عام"};
    assert_int_equal(store_tag_ensure(f->s, &t), 0);
    assert_int_equal(store_begin(f->s), 0);
    for (int i = 0; i < 3000; i++) {
        char slug[32];
        snprintf(slug, sizeof slug, "shared-%d", i);
        store_article ar = {.slug = slug, .title = slug, .status = ARTICLE_PUBLISHED,
                            .published_at = NOW - 100 - i, .category_id = f->cat};
        assert_int_equal(store_article_insert(f->s, &ar, &t.id, 1), 0);
    }
    assert_int_equal(store_commit(f->s), 0);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->art, &ar), 0);
    assert_int_equal(store_article_update(f->s, &ar, &t.id, 1), 0);
    uint64_t before = store_steps(f->s);
    struct store_article_list rel;
    assert_int_equal(store_article_related(f->s, f->a, f->art, NOW, 5, &rel), 0);
    assert_int_equal(rel.n, 5);
    assert_true(store_steps(f->s) - before < 200); /* not one row per article sharing the tag */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_replace_is_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy_begin_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_related_walk_bounded, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
