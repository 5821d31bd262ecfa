/*
 * test_store.c - the storage contract: how opening fails on missing,
 * foreign, damaged, newer and locked files; that migrations are idempotent;
 * that every read returns what was written and only what is visible
 * (drafts and future articles stay hidden); the ordering of lists and of
 * related articles; that constraint failures come back as the documented
 * codes; and that store_changed notices commits from another connection,
 * whether in this process or not, also while another process opens,
 * writes and closes the database over and over. (The change log, the
 * write path and fault injection: test_changes.c.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "store/store.h"
#include "test_util.h"

#define NOW 1764000000LL
#define HOUR 3600

typedef struct {
    char dir[64], path[96];
    store_t *s;
    arena_t *a;
    int64_t author, author2, politics, world, sports;
    int64_t tag_x, tag_y, tag_z;
    int64_t target, a_both, b_one_same_cat, d_one_other_cat, e_same_cat, f_unrelated;
    int64_t draft, future;
} fx;

static int64_t article(fx *f, const char *slug, article_status st, int64_t pub, int64_t cat,
                       const int64_t *tags, size_t ntags)
{
    store_article ar = { 0 };
    ar.slug = slug;
    ar.title = slug;
    ar.lead = "مقدمة";
    ar.body_md = "نص **المقال**";
    ar.status = st;
    ar.comments_open = true;
    ar.created_at = ar.published_at = ar.updated_at = pub;
    ar.author_id = f->author;
    ar.category_id = cat;
    assert_int_equal(store_article_insert(f->s, &ar, tags, ntags), 0);
    assert_true(ar.id > 0);
    return ar.id;
}

static int64_t category(fx *f, const char *slug, const char *name, int64_t parent, int pos)
{
    store_category c = { 0, parent, slug, name, "وصف", pos };
    assert_int_equal(store_category_insert(f->s, &c), 0);
    return c.id;
}

static int64_t tag(fx *f, const char *name)
{
    store_tag t = { 0, NULL, name };
    assert_int_equal(store_tag_ensure(f->s, &t), 0);
    return t.id;
}

static int setup_empty(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(test_util_tmpdir(f->dir, sizeof f->dir, "store"));
    snprintf(f->path, sizeof f->path, "%s/nashra.db", f->dir);
    f->a = arena_new(0);
    *state = f;
    return 0;
}

/* A small site: two authors, politics ⊃ world, sports; tags x y z; articles
 * arranged so that related order and visibility can be checked exactly. */
static int setup_site(void **state)
{
    setup_empty(state);
    fx *f = *state;
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), 0);
    store_author au = { 0, "ahmed", "أحمد", "سيرة", "a@example.com", NULL };
    assert_int_equal(store_author_insert(f->s, &au), 0);
    f->author = au.id;
    store_author au2 = { 0, "laila", "ليلى", NULL, NULL, NULL };
    assert_int_equal(store_author_insert(f->s, &au2), 0);
    f->author2 = au2.id;
    f->sports = category(f, "sports", "رياضة", 0, 2);
    f->politics = category(f, "politics", "سياسة", 0, 1);
    f->world = category(f, "world", "شؤون دولية", f->politics, 3);
    f->tag_x = tag(f, "روسيا");
    f->tag_y = tag(f, "أوكرانيا");
    f->tag_z = tag(f, "كرة القدم");
    int64_t xy[] = { f->tag_x, f->tag_y }, x[] = { f->tag_x };
    f->target = article(f, "target", ARTICLE_PUBLISHED, NOW - 10 * HOUR, f->politics, xy, 2);
    f->a_both = article(f, "a-both", ARTICLE_PUBLISHED, NOW - 50 * HOUR, f->sports, xy, 2);
    f->b_one_same_cat = article(f, "b-one", ARTICLE_PUBLISHED, NOW - 40 * HOUR, f->politics, x, 1);
    f->d_one_other_cat = article(f, "d-one", ARTICLE_PUBLISHED, NOW - 1 * HOUR, f->sports, x, 1);
    f->e_same_cat = article(f, "e-same", ARTICLE_PUBLISHED, NOW - 30 * HOUR, f->world, NULL, 0);
    f->f_unrelated = article(f, "f-none", ARTICLE_PUBLISHED, NOW - 2 * HOUR, f->sports, NULL, 0);
    f->draft = article(f, "draft", ARTICLE_DRAFT, NOW - 5 * HOUR, f->politics, xy, 2);
    f->future = article(f, "future", ARTICLE_PUBLISHED, NOW + 5 * HOUR, f->politics, xy, 2);
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    arena_free(f->a);
    assert_int_equal(test_util_store_dir_close(f->s, f->dir), 0);
    free(f);
    return 0;
}

/* sql through a connection of its own, as the sqlite3 shell would run it;
 * SQLite's result code. Asserts nothing: writer processes use it too. */
static int raw_try(const char *path, const char *sql)
{
    sqlite3 *db;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    sqlite3_close(db);
    return rc;
}

static void raw_exec(const char *path, const char *sql)
{
    assert_int_equal(raw_try(path, sql), SQLITE_OK);
}

/* ---- opening ---- */

static void test_open_missing(void **state)
{
    fx *f = *state;
    assert_int_equal(store_open(f->path, 0, &f->s), NS_ENOTFOUND);
    assert_null(f->s);
    assert_int_equal(store_open(f->path, STORE_READONLY, &f->s), NS_ENOTFOUND);
    assert_int_equal(access(f->path, F_OK), -1); /* not created */
}

static void test_open_garbage(void **state)
{
    fx *f = *state;
    int fd = open(f->path, O_CREAT | O_WRONLY, 0644);
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 3);
    assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    assert_int_equal(store_open(f->path, 0, &f->s), NS_ECORRUPT);
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), NS_ECORRUPT);
    assert_null(f->s);
}

static void test_open_foreign_database(void **state)
{
    fx *f = *state;
    raw_exec(f->path, "CREATE TABLE other(x); PRAGMA user_version=1;");
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), NS_ECORRUPT);
    unlink(f->path);
    raw_exec(f->path, "CREATE TABLE other(x);");
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), NS_ECORRUPT);
}

static void test_open_newer_schema(void **state)
{
    fx *f = *state;
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), 0);
    store_close(f->s);
    f->s = NULL;
    raw_exec(f->path, "PRAGMA user_version=999;");
    assert_int_equal(store_open(f->path, 0, &f->s), NS_EINVAL);
    assert_int_equal(store_open(f->path, STORE_READONLY, &f->s), NS_EINVAL);
}

static void test_open_locked(void **state)
{
    fx *f = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t VALUES(1);",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), NS_EBUSY); /* after the timeout */
    sqlite3_close(db);
}

static void test_migrations_idempotent(void **state)
{
    fx *f = *state;
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), 0);
    int v = store_schema_version(f->s);
    assert_true(v >= 1);
    store_setting_set(f->s, "site_name", "نشرة");
    store_close(f->s);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(store_open(f->path, 0, &f->s), 0);
        assert_int_equal(store_schema_version(f->s), v);
        const char *name;
        assert_int_equal(store_setting_get(f->s, f->a, "site_name", &name), 0);
        assert_string_equal(name, "نشرة");
        assert_int_equal(store_check(f->s), 0);
        store_close(f->s);
    }
    f->s = NULL;
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
                       " (SELECT journal_mode FROM pragma_journal_mode),"
                       " (SELECT count(*) FROM sqlite_schema WHERE name='articles')", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), v);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "wal");
    assert_int_equal(sqlite3_column_int(st, 2), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_readonly(void **state)
{
    fx *f = *state;
    store_t *ro;
    assert_int_equal(store_open(f->path, STORE_READONLY, &ro), 0);
    store_article ar;
    assert_int_equal(store_article_by_slug(ro, f->a, "target", NOW, &ar), 0);
    assert_int_equal(store_setting_set(ro, "k", "v"), NS_EPERM);
    assert_int_equal(store_begin(ro), NS_EPERM);
    store_close(ro);
}

/* ---- reads ---- */

static void test_article_by_slug(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    assert_int_equal(ar.id, f->target);
    assert_string_equal(ar.title, "target");
    assert_string_equal(ar.body_md, "نص **المقال**");
    assert_int_equal(ar.status, ARTICLE_PUBLISHED);
    assert_int_equal(ar.author.id, f->author);
    assert_string_equal(ar.author.name, "أحمد");
    assert_int_equal(ar.category.id, f->politics);
    assert_string_equal(ar.category.slug, "politics");
    assert_int_equal(ar.ntags, 2);
    assert_int_equal(ar.comment_count, 0);
    assert_null(ar.kicker);
    assert_int_equal(store_article_by_slug(f->s, f->a, "nope", NOW, &ar), NS_ENOTFOUND);
}

static void test_visibility(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, "draft", NOW, &ar), NS_ENOTFOUND);
    assert_int_equal(store_article_by_slug(f->s, f->a, "future", NOW, &ar), NS_ENOTFOUND);
    assert_int_equal(store_article_by_slug(f->s, f->a, "future", NOW + 5 * HOUR, &ar), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->draft, &ar), 0);
    assert_int_equal(ar.status, ARTICLE_DRAFT);
    assert_int_equal(store_article_by_id(f->s, f->a, 999999, &ar), NS_ENOTFOUND);
    /* a scheduled article is hidden until its time, then visible by itself,
     * and its time is when cached pages stop being current */
    article(f, "sched", ARTICLE_SCHEDULED, NOW + HOUR, f->politics, NULL, 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "sched", NOW, &ar), NS_ENOTFOUND);
    assert_int_equal(store_article_by_slug(f->s, f->a, "sched", NOW + 2 * HOUR, &ar), 0);
    assert_int_equal(ar.status, ARTICLE_SCHEDULED);
    int64_t when;
    assert_int_equal(store_next_publish(f->s, NOW, &when), 0);
    assert_int_equal(when, NOW + HOUR);
    assert_int_equal(store_next_publish(f->s, NOW + 10 * HOUR, &when), 0);
    assert_int_equal(when, 0);
    assert_int_equal(store_last_modified(f->s, NOW, &when), 0);
    assert_int_equal(when, NOW - HOUR);
}

static void test_list_order_and_filters(void **state)
{
    fx *f = *state;
    store_query q = { .now = NOW, .limit = 100 };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 6);
    for (size_t i = 1; i < l.n; i++)
        assert_true(l.items[i - 1].published_at >= l.items[i].published_at);
    assert_int_equal(l.items[0].id, f->d_one_other_cat);
    assert_null(l.items[0].body_md);
    assert_null(l.items[0].tags);
    assert_non_null(l.items[0].author.name);
    int64_t n;
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, 6);

    q.category_id = f->politics; /* includes the world sub-category */
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.items[0].id, f->target);
    assert_int_equal(l.items[1].id, f->e_same_cat);
    assert_int_equal(l.items[2].id, f->b_one_same_cat);
    q.category_id = f->world;
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, 1);

    q = (store_query){ .now = NOW, .limit = 100, .tag_id = f->tag_x, .with_body = true,
                       .with_tags = true };
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.items[0].body_md, "نص **المقال**");
    assert_int_equal(l.items[0].ntags, 1);
    assert_int_equal(l.items[0].tags[0].id, f->tag_x);
    q.exclude_id = f->d_one_other_cat;
    q.since = NOW - 45 * HOUR;
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, 2); /* target, b-one */

    q = (store_query){ .now = NOW, .limit = 2, .offset = 2 };
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[0].id, f->target);
    assert_int_equal(l.items[1].id, f->e_same_cat);
    q.author_id = f->author2;
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, 0);
    q.limit = 0;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), NS_EINVAL);
    q.limit = 1001;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), NS_EINVAL);
}

static void test_related_order(void **state)
{
    fx *f = *state;
    struct store_article_list l;
    /* e-same sits in a sub-category: not the same category, no shared tag */
    int64_t g = article(f, "g-same", ARTICLE_PUBLISHED, NOW - 90 * HOUR, f->politics, NULL, 0);
    assert_int_equal(store_article_related(f->s, f->a, f->target, NOW, 10, &l), 0);
    int64_t want[] = { f->a_both, f->b_one_same_cat, f->d_one_other_cat, g };
    assert_int_equal(l.n, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(l.items[i].id, want[i]);
    assert_string_equal(l.items[0].category.slug, "sports");
    assert_int_equal(store_article_related(f->s, f->a, f->target, NOW, 2, &l), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(store_article_related(f->s, f->a, f->target, NOW, 0, &l), NS_EINVAL);
}

static void test_comments(void **state)
{
    fx *f = *state;
    store_comment c = { 0, f->target, 0, "قارئ", "r@example.com", NULL, "تعليق أول", "192.0.2.1",
                        "ua", COMMENT_APPROVED, NOW - 5 * HOUR };
    assert_int_equal(store_comment_insert(f->s, &c), 0);
    store_comment r = c;
    r.parent_id = c.id;
    r.body = "رد";
    r.created_at = NOW - 4 * HOUR;
    assert_int_equal(store_comment_insert(f->s, &r), 0);
    store_comment p = c;
    p.status = COMMENT_PENDING;
    p.created_at = NOW - 6 * HOUR;
    assert_int_equal(store_comment_insert(f->s, &p), 0);
    store_comment bad = c;
    bad.article_id = f->a_both; /* parent on another article */
    bad.parent_id = c.id;
    assert_int_equal(store_comment_insert(f->s, &bad), NS_EINVAL);
    bad = c;
    bad.article_id = 424242;
    assert_int_equal(store_comment_insert(f->s, &bad), NS_EINVAL);
    bad = c;
    bad.body = "";
    assert_int_equal(store_comment_insert(f->s, &bad), NS_EINVAL);

    store_comment *list;
    size_t n;
    assert_int_equal(store_comment_list(f->s, f->a, f->target, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, c.id);
    assert_int_equal(list[1].parent_id, c.id);
    assert_string_equal(list[1].body, "رد");
    assert_null(list[0].author_url);
    /* display lists leave the private fields out; moderation gets them */
    assert_null(list[0].author_email);
    assert_null(list[0].ip);
    assert_null(list[0].user_agent);
    assert_int_equal(store_comment_list_all(f->s, f->a, f->target, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].author_email, "r@example.com");
    assert_string_equal(list[0].ip, "192.0.2.1");
    assert_string_equal(list[0].user_agent, "ua");
    assert_string_equal(list[1].body, "رد");
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    assert_int_equal(ar.comment_count, 2);

    assert_int_equal(store_comment_set_status(f->s, p.id, COMMENT_APPROVED), 0);
    assert_int_equal(store_comment_list(f->s, f->a, f->target, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, p.id); /* oldest first */
    assert_int_equal(store_comment_set_status(f->s, 999999, COMMENT_SPAM), NS_ENOTFOUND);
    assert_int_equal(store_comment_list(f->s, f->a, f->target, COMMENT_SPAM, &list, &n), 0);
    assert_int_equal(n, 0);

    assert_int_equal(store_article_delete(f->s, f->target), 0); /* cascades */
    assert_int_equal(store_comment_list(f->s, f->a, f->target, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_article_delete(f->s, f->target), NS_ENOTFOUND);
}

static void test_taxonomy_reads(void **state)
{
    fx *f = *state;
    store_category *cats;
    size_t n;
    assert_int_equal(store_category_list(f->s, f->a, &cats, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(cats[0].slug, "politics");
    assert_string_equal(cats[1].slug, "sports");
    assert_string_equal(cats[2].slug, "world");
    assert_int_equal(cats[2].parent_id, f->politics);
    assert_int_equal(cats[0].parent_id, 0);
    store_category c;
    assert_int_equal(store_category_by_slug(f->s, f->a, "world", &c), 0);
    assert_string_equal(c.name, "شؤون دولية");
    assert_int_equal(store_category_by_id(f->s, f->a, f->sports, &c), 0);
    assert_int_equal(c.position, 2);
    assert_int_equal(store_category_by_slug(f->s, f->a, "none", &c), NS_ENOTFOUND);

    store_tag t;
    assert_int_equal(store_tag_by_slug(f->s, f->a, "كرة-القدم", &t), 0);
    assert_int_equal(t.id, f->tag_z);
    assert_int_equal(tag(f, "روسيا"), f->tag_x); /* ensure returns the existing tag */
    store_tag explicit_slug = { 0, "russia", "روسيا" };
    assert_int_equal(store_tag_ensure(f->s, &explicit_slug), 0);
    assert_true(explicit_slug.id != f->tag_x);
    store_tag empty = { 0, NULL, "!!!" };
    assert_int_equal(store_tag_ensure(f->s, &empty), NS_EINVAL);

    store_author au, *aus;
    assert_int_equal(store_author_by_slug(f->s, f->a, "ahmed", &au), 0);
    assert_string_equal(au.bio, "سيرة");
    assert_int_equal(store_author_list(f->s, f->a, &aus, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(aus[0].slug, "ahmed"); /* أحمد < ليلى */
}

static void test_pages_redirects_settings(void **state)
{
    fx *f = *state;
    store_page p1 = { 0, "privacy", "سياسة الخصوصية", "نص", true, NOW, NOW };
    store_page p2 = { 0, "about", "من نحن", "نص", true, NOW, NOW };
    store_page hidden = { 0, "hidden", "مخفية", "نص", false, NOW, NOW };
    assert_int_equal(store_page_insert(f->s, &p1), 0);
    assert_int_equal(store_page_insert(f->s, &p2), 0);
    assert_int_equal(store_page_insert(f->s, &hidden), 0);
    store_page p, *pages;
    size_t n;
    assert_int_equal(store_page_by_slug(f->s, f->a, "about", &p), 0);
    assert_string_equal(p.title, "من نحن");
    assert_int_equal(store_page_by_slug(f->s, f->a, "hidden", &p), NS_ENOTFOUND);
    assert_int_equal(store_page_list(f->s, f->a, &pages, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(pages[0].slug, "privacy"); /* سياسة < من */

    store_redirect r = { "/2022/03/31/سلاح/", "/target/", 301 }, got;
    assert_int_equal(store_redirect_insert(f->s, &r), 0);
    assert_int_equal(store_redirect_insert(f->s, &r), NS_EEXIST);
    r.status = 200;
    assert_int_equal(store_redirect_insert(f->s, &r), NS_EINVAL);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/2022/03/31/سلاح/", &got), 0);
    assert_string_equal(got.to_path, "/target/");
    assert_int_equal(got.status, 301);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/x/", &got), NS_ENOTFOUND);

    const char *v;
    assert_int_equal(store_setting_get(f->s, f->a, "site_name", &v), NS_ENOTFOUND);
    assert_int_equal(store_setting_set(f->s, "site_name", "نشرة"), 0);
    assert_int_equal(store_setting_set(f->s, "follow_x", ""), 0);
    assert_int_equal(store_setting_set(f->s, "site_name", "نشرة اليوم"), 0); /* replaces */
    assert_int_equal(store_setting_get(f->s, f->a, "site_name", &v), 0);
    assert_string_equal(v, "نشرة اليوم");
    store_setting *kv;
    assert_int_equal(store_setting_list(f->s, f->a, &kv, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(kv[0].key, "follow_x");
    assert_string_equal(kv[0].value, "");
}

/* ---- writes ---- */

static void test_write_validation(void **state)
{
    fx *f = *state;
    store_article ar = { 0 };
    ar.slug = "target";
    ar.title = "عنوان";
    ar.status = ARTICLE_PUBLISHED;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EEXIST);
    ar.slug = "new";
    ar.title = "";
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    ar.title = "\xd8\xa7\xff bad";
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    ar.title = "عنوان";
    ar.author_id = 777;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    ar.author_id = 0;
    int64_t bad_tag = 888;
    assert_int_equal(store_article_insert(f->s, &ar, &bad_tag, 1), NS_EINVAL);
    ar.status = (article_status)9;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    store_article chk;
    assert_int_equal(store_article_by_id(f->s, f->a, ar.id ? ar.id : 999, &chk), NS_ENOTFOUND);

    store_author au = { 0, "ahmed", "آخر", NULL, NULL, NULL };
    assert_int_equal(store_author_insert(f->s, &au), NS_EEXIST);
    store_category c = { 0, 0, "politics", "سياسة", NULL, 0 };
    assert_int_equal(store_category_insert(f->s, &c), NS_EEXIST);
    c.slug = "orphan";
    c.parent_id = 5555;
    assert_int_equal(store_category_insert(f->s, &c), NS_EINVAL);
}

static void test_update(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->draft, &ar), 0);
    ar.status = ARTICLE_PUBLISHED;
    ar.title = "منشور الآن";
    ar.kicker = "عاجل";
    ar.updated_at = 0;
    int64_t z[] = { f->tag_z };
    assert_int_equal(store_article_update(f->s, &ar, z, 1), 0);
    assert_true(ar.updated_at > 0);
    store_article got;
    assert_int_equal(store_article_by_slug(f->s, f->a, "draft", NOW, &got), 0);
    assert_string_equal(got.title, "منشور الآن");
    assert_string_equal(got.kicker, "عاجل");
    assert_int_equal(got.ntags, 1);
    assert_int_equal(got.tags[0].id, f->tag_z);
    assert_int_equal(got.updated_at, ar.updated_at);
    ar.slug = "target";
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), NS_EEXIST);
    ar.slug = "draft";
    ar.id = 999999;
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), NS_ENOTFOUND);
}

/* image_url ends up in <img src> and og:image: only http(s) URLs and
 * site-relative paths are stored, on insert and on update alike. */
static const char *const unsafe_image_urls[] = {
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:image/png;base64,AA==",
    "vbscript:msgbox(1)", "//evil.com/x.png", "/\\evil.com/x.png", "media/x.jpg", "/media/x y.jpg",
    "https://ok/x.png\n", "ftp://ok/x.png", NULL,
};

static void test_image_url_insert(void **state)
{
    fx *f = *state;
    store_article ar = { .slug = "img", .title = "صورة", .status = ARTICLE_PUBLISHED,
                         .published_at = NOW - HOUR, .created_at = NOW - HOUR, .updated_at = NOW - HOUR };
    for (int i = 0; unsafe_image_urls[i]; i++) {
        ar.image_url = unsafe_image_urls[i];
        if (store_article_insert(f->s, &ar, NULL, 0) != NS_EINVAL)
            fail_msg("stored: \"%s\"", unsafe_image_urls[i]);
    }
    store_article got;
    assert_int_equal(store_article_by_slug(f->s, f->a, "img", NOW, &got), NS_ENOTFOUND);
    static const char *const safe[] = { "https://ok/x.png", "http://ok/x.png", "/media/x.jpg", "", NULL };
    char slug[16];
    for (int i = 0; safe[i]; i++) {
        snprintf(slug, sizeof slug, "img-%d", i);
        ar.slug = slug;
        ar.image_url = safe[i];
        assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
        assert_int_equal(store_article_by_slug(f->s, f->a, slug, NOW, &got), 0);
        if (*safe[i])
            assert_string_equal(got.image_url, safe[i]);
    }
    ar.slug = "img-null";
    ar.image_url = NULL;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
}

static void test_image_url_update(void **state)
{
    fx *f = *state;
    store_article ar, got;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    ar.image_url = "/media/target.jpg";
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    for (int i = 0; unsafe_image_urls[i]; i++) {
        ar.image_url = unsafe_image_urls[i];
        ar.title = "لا يحفظ";
        if (store_article_update(f->s, &ar, NULL, 0) != NS_EINVAL)
            fail_msg("stored: \"%s\"", unsafe_image_urls[i]);
    }
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    assert_string_equal(got.image_url, "/media/target.jpg");
    assert_string_equal(got.title, "target");
}

/* body_html is kept as written, and cleared by the database whenever
 * body_md changes without it, so stale HTML can never be read. */
static void test_body_html(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    assert_null(ar.body_html);
    ar.body_html = "<p>نص <strong>المقال</strong></p>\n";
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    store_article got;
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &got), 0);
    assert_string_equal(got.body_html, "<p>نص <strong>المقال</strong></p>\n");
    /* other fields change: the HTML stays */
    got.title = "عنوان آخر";
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    assert_non_null(got.body_html);
    /* body_md and body_html change together: both kept */
    got.body_md = "جديد";
    got.body_html = "<p>جديد</p>\n";
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    assert_string_equal(got.body_md, "جديد");
    assert_string_equal(got.body_html, "<p>جديد</p>\n");
    /* body_md changes, body_html left as read: cleared */
    got.body_md = "أحدث";
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    assert_string_equal(got.body_md, "أحدث");
    assert_null(got.body_html);
    /* a hand edit of body_md by another program: cleared too */
    got.body_md = "أحدث";
    got.body_html = "<p>أحدث</p>\n";
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE articles SET body_md = 'يدوي' WHERE slug = 'target'",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    assert_string_equal(got.body_md, "يدوي");
    assert_null(got.body_html);
    /* lists return it only with the body */
    store_query q = { .now = NOW, .limit = 100, .with_body = true };
    struct store_article_list l;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    got.body_html = "<p>يدوي</p>\n";
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    bool seen = false;
    for (size_t i = 0; i < l.n; i++)
        if (l.items[i].id == f->target) {
            assert_string_equal(l.items[i].body_html, "<p>يدوي</p>\n");
            seen = true;
        }
    assert_true(seen);
    q.with_body = false;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    for (size_t i = 0; i < l.n; i++)
        assert_null(l.items[i].body_html);
}

static void test_transactions(void **state)
{
    fx *f = *state;
    const char *v;
    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(store_setting_set(f->s, "a", "1"), 0);
    assert_int_equal(store_rollback(f->s), 0);
    assert_int_equal(store_setting_get(f->s, f->a, "a", &v), NS_ENOTFOUND);
    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(store_setting_set(f->s, "a", "2"), 0);
    store_author dup = { 0, "ahmed", "x", NULL, NULL, NULL };
    assert_int_equal(store_author_insert(f->s, &dup), NS_EEXIST); /* transaction survives */
    assert_int_equal(store_commit(f->s), 0);
    assert_int_equal(store_setting_get(f->s, f->a, "a", &v), 0);
    assert_string_equal(v, "2");
}

/* store_changed, asserting it did not fail. */
static bool changed(store_t *s)
{
    bool c;
    assert_int_equal(store_changed(s, &c), 0);
    return c;
}

static void test_changed(void **state)
{
    fx *f = *state;
    store_t *other;
    assert_int_equal(store_open(f->path, 0, &other), 0);
    changed(f->s);
    assert_false(changed(f->s)); /* stable without writes */
    assert_int_equal(store_setting_set(other, "k", "1"), 0);
    assert_true(changed(f->s));
    assert_false(changed(f->s));
    /* a commit this process did not make (another process, sqlite3 shell) */
    raw_exec(f->path, "UPDATE settings SET value='2' WHERE key='k'");
    assert_true(changed(f->s));
    assert_true(changed(other));
    assert_false(changed(f->s));
    assert_int_equal(store_setting_set(f->s, "k", "3"), 0); /* own write */
    assert_true(changed(f->s));
    assert_false(changed(f->s));
    store_close(other);
}

/* ---- commits by other connections and processes ---- */

/* Another process writing to the database, as the sqlite3 shell, a backup
 * or a cron job does. It is this binary run again (fork and exec), not a
 * bare fork: a forked child would inherit SQLite's per-process table of
 * open files and of the locks held on them, and be a connection of this
 * process in all but name. It sets setting k to 1, 2 .. n, each through a
 * connection of its own (open, write, close, as the shell does), and after
 * each write tells the parent and waits for its go-ahead, so the parent can
 * check every single write. */
#define WRITER_ARG "--writer"

typedef struct {
    pid_t pid;
    int wrote, go; /* the parent's ends of the two pipes */
} writer;

/* main() of the writer process: argv = prog --writer DB N WROTE_FD GO_FD. */
static int writer_main(char **argv)
{
    int n = atoi(argv[3]), wrote = atoi(argv[4]), go = atoi(argv[5]);
    char sql[96];
    for (int i = 1; i <= n; i++) {
        /* no fsync: two hundred of them would not fit the test's time */
        snprintf(sql, sizeof sql,
                 "PRAGMA synchronous=OFF; UPDATE settings SET value='%d' WHERE key='k'", i);
        int ok;
        if (raw_try(argv[2], sql) != SQLITE_OK || write(wrote, &i, sizeof i) != sizeof i ||
            read(go, &ok, sizeof ok) != sizeof ok)
            return 1;
    }
    return 0;
}

static writer writer_start(const char *path, int n)
{
    int wrote[2], go[2];
    char ns[16], wfd[16], gfd[16];
    assert_int_equal(pipe2(wrote, O_CLOEXEC), 0);
    assert_int_equal(pipe2(go, O_CLOEXEC), 0);
    snprintf(ns, sizeof ns, "%d", n);
    snprintf(wfd, sizeof wfd, "%d", wrote[1]);
    snprintf(gfd, sizeof gfd, "%d", go[0]);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) { /* only async-signal-safe calls until exec */
        fcntl(wrote[1], F_SETFD, 0);
        fcntl(go[0], F_SETFD, 0);
        execl("/proc/self/exe", "test_store", WRITER_ARG, path, ns, wfd, gfd, (char *)NULL);
        _exit(127);
    }
    close(wrote[1]);
    close(go[0]);
    return (writer){ pid, wrote[0], go[1] };
}

/* True once the writer reports write number i, waiting up to ms for it. */
static bool writer_wrote(writer *w, int i, int ms)
{
    struct pollfd p = { .fd = w->wrote, .events = POLLIN };
    if (poll(&p, 1, ms) == 0)
        return false;
    int n = 0;
    assert_int_equal(read(w->wrote, &n, sizeof n), (ssize_t)sizeof n); /* 0: it died */
    assert_int_equal(n, i);
    return true;
}

static void writer_go(writer *w)
{
    int ok = 1;
    assert_int_equal(write(w->go, &ok, sizeof ok), (ssize_t)sizeof ok);
}

/* Wait for the writer to exit; its exit status (0: every write made). */
static int writer_end(writer *w)
{
    int status;
    close(w->wrote);
    close(w->go);
    assert_int_equal(waitpid(w->pid, &status, 0), w->pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* What a worker does for a request: ask whether anything changed, then
 * render inside one read transaction. Returns what it was told. */
static bool serve_once(fx *f)
{
    const char *v;
    store_article ar;
    bool c;
    assert_int_equal(store_changed(f->s, &c), 0);
    arena_reset(f->a);
    assert_int_equal(store_read_begin(f->s), 0);
    assert_int_equal(store_setting_get(f->s, f->a, "k", &v), 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    assert_int_equal(store_read_end(f->s), 0);
    return c;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A commit by another connection of this process, through a store_t or
 * not, is seen by the very next check, and only once. */
static void test_changed_other_connection(void **state)
{
    fx *f = *state;
    store_t *other;
    assert_int_equal(store_open(f->path, 0, &other), 0);
    changed(f->s);
    assert_false(changed(f->s));
    assert_int_equal(store_setting_set(other, "k", "1"), 0);
    assert_true(changed(f->s));
    assert_false(changed(f->s));
    raw_exec(f->path, "UPDATE settings SET value='2' WHERE key='k'");
    assert_true(changed(f->s));
    assert_false(changed(f->s));
    store_close(other);
}

/* The same for a commit by another process that has exited since. */
static void test_changed_other_process(void **state)
{
    fx *f = *state;
    assert_int_equal(store_setting_set(f->s, "k", "0"), 0);
    changed(f->s);
    assert_false(changed(f->s));
    writer w = writer_start(f->path, 1);
    assert_true(writer_wrote(&w, 1, 5000));
    writer_go(&w);
    assert_int_equal(writer_end(&w), 0);
    assert_true(changed(f->s));
    assert_false(changed(f->s));
}

/* The crash this guards against: the server died with SIGBUS when another
 * process wrote while it served pages, because the store had closed a
 * descriptor of nashra.db-shm and so dropped SQLite's own locks on it; the
 * writer, believing itself alone, rebuilt the file under the server's
 * mapping. Here a process opens, writes and closes two hundred times while
 * this one serves: every read succeeds and every write is seen. */
#define WRITES 200

static void test_other_process_writes_while_serving(void **state)
{
    fx *f = *state;
    const char *v;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(store_setting_set(f->s, "k", "0"), 0);
    serve_once(f);
    writer w = writer_start(f->path, WRITES);
    for (int i = 1; i <= WRITES; i++) {
        bool seen = false;
        while (!writer_wrote(&w, i, 0)) {
            seen |= serve_once(f);
            assert_true(seconds_since(&t0) < 5);
        }
        seen |= changed(f->s);
        assert_true(seen);
        assert_int_equal(store_setting_get(f->s, f->a, "k", &v), 0);
        assert_int_equal(atoi(v), i);
        assert_false(changed(f->s)); /* once; the writer waits for us */
        writer_go(&w);
    }
    assert_int_equal(writer_end(&w), 0);
}

/* A connection opened after another process committed still reports the
 * commit: pages this process cached before may predate it (a worker
 * thread opens its connection on its first request). */
static void test_new_connection_sees_earlier_commit(void **state)
{
    fx *f = *state;
    raw_exec(f->path, "INSERT OR REPLACE INTO settings(key, value) VALUES('k', '9')");
    store_t *late;
    assert_int_equal(store_open(f->path, 0, &late), 0);
    assert_true(changed(late));
    assert_false(changed(late)); /* and only once */
    store_close(late);
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], WRITER_ARG) == 0)
        return writer_main(argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_missing, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_changed_other_connection, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_changed_other_process, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_other_process_writes_while_serving, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_open_garbage, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_open_foreign_database, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_open_newer_schema, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_open_locked, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_migrations_idempotent, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_readonly, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_article_by_slug, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_visibility, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_list_order_and_filters, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_related_order, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_comments, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_taxonomy_reads, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_pages_redirects_settings, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_write_validation, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_update, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_image_url_insert, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_image_url_update, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_body_html, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_changed, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_new_connection_sees_earlier_commit, setup_site, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
