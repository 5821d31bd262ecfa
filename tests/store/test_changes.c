/*
 * test_changes.c - what the store tells a cache: the keys reads record
 * (store_track), the keys writes log (by nashra or by raw SQL), the
 * change log read back in order and exactly once, gaps that force a full
 * drop; the write path (begun outside any snapshot, retried while busy,
 * giving up cleanly); failed reads noted; the related-articles walk
 * bounded; and store failures injected at every step leaving no
 * transaction open.
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

/* Each kind of write logs the keys of what it changed, and only those. */
static void test_writes_log_their_keys(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->art, &ar), 0);
    ar.title = "عنوان آخر";
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    store_changes c = news(f);
    assert_false(c.all);
    assert_true(has(&c, STORE_DEP_ARTICLE, f->art) && has(&c, STORE_DEP_MODIFIED, 0));
    assert_false(has(&c, STORE_DEP_LIST, 0)); /* a title is not a list's business */
    assert_int_equal(c.n, 2);

    ar.status = ARTICLE_DRAFT; /* leaves every list */
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    c = news(f);
    assert_true(has(&c, STORE_DEP_LIST, 0) && has(&c, STORE_DEP_ARTICLE, f->art));

    ar.title = "مسودة"; /* a draft is on no page */
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_int_equal(news(f).n, 0);

    store_comment cm = {.article_id = f->other, .author_name = "س", .body = "نص",
                        .status = COMMENT_PENDING, .created_at = NOW};
    assert_int_equal(store_comment_insert(f->s, &cm), 0);
    assert_int_equal(news(f).n, 0); /* held comments are on no page */
    assert_int_equal(store_comment_set_status(f->s, cm.id, COMMENT_APPROVED), 0);
    c = news(f);
    assert_int_equal(c.n, 1);
    assert_true(has(&c, STORE_DEP_COMMENTS, f->other));

    assert_int_equal(store_setting_set(f->s, "site_name", "نشرة"), 0);
    c = news(f);
    assert_true(has(&c, STORE_DEP_ALL, 0));
    store_redirect r = {"/old/", "/a/", 301};
    assert_int_equal(store_redirect_insert(f->s, &r), 0);
    c = news(f);
    assert_true(has(&c, STORE_DEP_REDIRECTS, 0) && c.n == 1);
}

/* Replacing an article's tags by the same tags logs nothing about lists. */
static void test_same_tags_log_no_list_change(void **state)
{
    fx *f = *state;
    store_tag t = {0, NULL, "اقتصاد"}, u = {0, NULL, "سياسة"};
    assert_int_equal(store_tag_ensure(f->s, &t), 0);
    assert_int_equal(store_tag_ensure(f->s, &u), 0);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->art, &ar), 0);
    int64_t tags[] = {t.id, u.id};
    assert_int_equal(store_article_update(f->s, &ar, tags, 2), 0);
    news(f);
    ar.lead = "مقدمة جديدة";
    assert_int_equal(store_article_update(f->s, &ar, tags, 2), 0);
    store_changes c = news(f);
    assert_false(has(&c, STORE_DEP_LIST, 0));
    assert_int_equal(store_article_update(f->s, &ar, tags, 1), 0); /* one tag dropped */
    c = news(f);
    assert_true(has(&c, STORE_DEP_LIST, 0));
    assert_int_equal(store_article_by_id(f->s, f->a, f->art, &ar), 0);
    assert_int_equal(ar.ntags, 1);
}

/* Raw SQL from outside is logged as exactly as nashra's own writes. */
static void test_raw_sql_is_logged(void **state)
{
    fx *f = *state;
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE articles SET title = 'x' WHERE id = %lld", (long long)f->other);
    raw_exec(f->path, sql);
    store_changes c = news(f);
    assert_true(has(&c, STORE_DEP_ARTICLE, f->other));
    raw_exec(f->path, "INSERT INTO settings(key, value) VALUES ('follow_x', 'https://x.com/a')");
    c = news(f);
    assert_true(has(&c, STORE_DEP_ALL, 0));
    assert_int_equal(news(f).n, 0); /* read once */
    /* REPLACE deletes the shown row without delete triggers */
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO articles(id, slug, title, status)"
             " VALUES (%lld, 'b', 'b', 'draft')", (long long)f->other);
    raw_exec(f->path, sql);
    c = news(f);
    assert_true(has(&c, STORE_DEP_ARTICLE, f->other) && has(&c, STORE_DEP_LIST, 0));
    /* a tag moved by hand */
    raw_exec(f->path, "INSERT INTO tags(slug, name) VALUES ('t1', 't1'), ('t2', 't2')");
    snprintf(sql, sizeof sql, "INSERT INTO article_tags(article_id, tag_id)"
             " SELECT %lld, id FROM tags WHERE slug = 't1'", (long long)f->art);
    raw_exec(f->path, sql);
    news(f);
    raw_exec(f->path, "UPDATE article_tags SET tag_id = (SELECT id FROM tags WHERE slug = 't2')");
    c = news(f);
    assert_true(has(&c, STORE_DEP_ARTICLE, f->art) && has(&c, STORE_DEP_LIST, 0));
}

/* A reader that missed rows (pruned, or removed by hand) is told to drop
 * everything, and starts again from the newest change. */
static void test_gap_means_all(void **state)
{
    fx *f = *state;
    assert_int_equal(store_setting_set(f->s, "a", "1"), 0);
    assert_int_equal(store_setting_set(f->s, "b", "2"), 0);
    int64_t head;
    assert_int_equal(store_changes_head(f->s, &head), 0);
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM changes WHERE seq = %lld", (long long)(f->seq + 1));
    raw_exec(f->path, sql);
    store_changes c = news(f);
    assert_true(c.all);
    assert_int_equal(c.n, 0);
    assert_int_equal(c.last, head);
    assert_false(news(f).all);
}

/* Reads record the keys of what they read. */
static void test_reads_record_keys(void **state)
{
    fx *f = *state;
    store_deps d;
    store_deps_init(&d, f->a);
    store_track(f->s, &d);
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, "a", NOW, &ar), 0);
    assert_true(store_deps_has(&d, STORE_DEP(STORE_DEP_ARTICLE, f->art)));
    assert_true(store_deps_has(&d, STORE_DEP(STORE_DEP_COMMENTS, f->art)));
    assert_false(store_deps_has(&d, STORE_DEP(STORE_DEP_LIST, 0)));
    assert_int_equal(store_article_by_slug(f->s, f->a, "nothing-here", NOW, &ar), NS_ENOTFOUND);
    assert_true(store_deps_has(&d, STORE_DEP(STORE_DEP_LIST, 0))); /* until an article takes it */
    assert_int_equal(d.failed, 0); /* not found is no failure */
    store_query q = {.now = NOW, .limit = 10};
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_true(store_deps_has(&d, STORE_DEP(STORE_DEP_ARTICLE, f->other)));
    store_redirect r;
    store_redirect_lookup(f->s, f->a, "/x/", &r);
    assert_true(store_deps_has(&d, STORE_DEP(STORE_DEP_REDIRECTS, 0)));
    store_track(f->s, NULL);
    size_t n = d.n;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(d.n, n); /* no longer tracked */
}

/* A failed read is noted in the tracked set, whatever the caller does with
 * its return code. */
static void test_failed_read_noted(void **state)
{
    fx *f = *state;
    store_deps d;
    store_deps_init(&d, f->a);
    store_track(f->s, &d);
    store_fault(f->s, 1, NS_EBUSY, false);
    const char *v;
    assert_int_equal(store_setting_get(f->s, f->a, "site_name", &v), NS_EBUSY);
    assert_int_equal(d.failed, NS_EBUSY);
    store_track(f->s, NULL);
}

/* The write path: a busy database is retried, then given up cleanly. */
static void test_write_retries_busy(void **state)
{
    fx *f = *state;
    store_fault(f->s, 1, NS_EBUSY, false); /* the BEGIN of the first attempt */
    assert_int_equal(store_setting_set(f->s, "k", "1"), 0);
    const char *v;
    assert_int_equal(store_setting_get(f->s, f->a, "k", &v), 0);
    assert_string_equal(v, "1");
    /* a retried busy is the write's business, not a failed read of the page */
    store_deps d;
    store_deps_init(&d, f->a);
    store_track(f->s, &d);
    store_fault(f->s, 1, NS_EBUSY, false);
    assert_int_equal(store_setting_set(f->s, "k", "1"), 0);
    assert_int_equal(d.failed, 0);
    store_track(f->s, NULL);
    uint64_t before = store_steps(f->s);
    store_fault(f->s, 1, NS_EBUSY, true); /* busy for good */
    assert_int_equal(store_setting_set(f->s, "k", "2"), NS_EBUSY);
    assert_int_equal(store_steps(f->s) - before, STORE_WRITE_TRIES); /* one BEGIN per try */
    store_fault(f->s, 0, 0, false);
    assert_false(store_in_transaction(f->s));
    assert_int_equal(store_setting_get(f->s, f->a, "k", &v), 0);
    assert_string_equal(v, "1");
    /* a failure inside the transaction rolls all of it back */
    store_fault(f->s, 2, NS_EIO, false); /* the INSERT after BEGIN */
    assert_int_equal(store_setting_set(f->s, "k", "3"), NS_EIO);
    assert_false(store_in_transaction(f->s));
    assert_int_equal(store_setting_get(f->s, f->a, "k", &v), 0);
    assert_string_equal(v, "1");
}

/* A write never runs inside a page's read snapshot (where SQLite would
 * refuse it at once with SQLITE_BUSY_SNAPSHOT once another connection has
 * committed); outside one, it succeeds after such a commit. */
static void test_write_outside_snapshot(void **state)
{
    fx *f = *state;
    store_t *other;
    assert_int_equal(store_open(f->path, 0, &other), 0);
    const char *v;
    assert_int_equal(store_read_begin(f->s), 0);
    assert_int_equal(store_setting_get(f->s, f->a, "site_name", &v), NS_ENOTFOUND);
    assert_int_equal(store_setting_set(other, "k", "other"), 0);
    assert_int_equal(store_setting_set(f->s, "k", "mine"), NS_EINTERNAL);
    assert_int_equal(store_read_end(f->s), 0);
    assert_int_equal(store_setting_set(f->s, "k", "mine"), 0);
    assert_int_equal(store_setting_get(other, f->a, "k", &v), 0);
    assert_string_equal(v, "mine");
    store_close(other);
}

/* store_read_end always ends the snapshot, even when its COMMIT fails. */
static void test_read_end_failure_leaves_no_transaction(void **state)
{
    fx *f = *state;
    assert_int_equal(store_read_begin(f->s), 0);
    store_fault(f->s, 1, NS_EIO, false);
    assert_int_equal(store_read_end(f->s), NS_EIO);
    assert_false(store_in_transaction(f->s));
    assert_int_equal(store_setting_set(f->s, "k", "v"), 0);
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

/* A failure at every step of a batch of reads and writes: each is
 * reported, and none leaves a transaction open. */
static void test_fault_at_every_step(void **state)
{
    fx *f = *state;
    for (uint64_t n = 1; n < 40; n++) {
        store_fault(f->s, n, n % 2 ? NS_EBUSY : NS_ECORRUPT, false);
        const char *v;
        store_article ar;
        int rc = store_read_begin(f->s);
        if (rc == 0) {
            store_setting_get(f->s, f->a, "site_name", &v);
            store_article_by_slug(f->s, f->a, "a", NOW, &ar);
            store_read_end(f->s);
        }
        store_setting_set(f->s, "k", "v");
        store_fault(f->s, 0, 0, false);
        assert_false(store_in_transaction(f->s));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writes_log_their_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_tags_log_no_list_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_sql_is_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gap_means_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_record_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_read_noted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_retries_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_outside_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_end_failure_leaves_no_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_related_walk_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_at_every_step, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
