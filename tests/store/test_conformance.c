/*
 * test_conformance.c - the storage contract of store.h, asserted the same
 * way on every backend: each test runs once on a fresh SQLite file, and
 * once more on a fresh PostgreSQL database when NASHRA_TEST_PG_URL names a
 * server to create databases on (tests/store/backend.h).
 *
 * Covered: opening (no site there, another application's tables, a newer
 * schema, an unreachable location, reopening, read-only) and the location
 * helpers; every read, with what is visible, list orders and filters,
 * counts, related articles, comments (one by id, the newest of the site,
 * known commenters, a thread's rank), taxonomy, pages, redirects and
 * settings; every write, with the codes of refused ones (duplicates,
 * broken references, empty or malformed text, unsafe image URLs) and text
 * kept byte for byte (Arabic, very long, empty versus NULL), 64-bit times,
 * updates, deletes and the body_html that goes stale; comments refused
 * (replies to comments not approved or of another article, duplicates by
 * fingerprint from the same person) and deleted with their replies;
 * settings set only if missing; durable commits; transactions,
 * savepoints, the write path's retries and read snapshots; store_changed,
 * also for another connection's commit; the change log's keys for each
 * kind of write, raw SQL included, its gaps and its contiguous sequence
 * numbers; the keys reads record; injected faults; and what moving a site
 * in and out needs (schema version 7): sticky and video articles and
 * sticky-only lists, body formats, pages with parents and an order, every
 * tag, page and comment for an export, imported comments and their thread
 * numbers, the media library, the import map by id and by GUID, redirects
 * replaced, and a site of version 6 brought to 7 with its rows.
 *
 * What only SQLite has (damaged, locked or foreign-versioned files, other
 * processes writing the file, its pragmas, its step-bounded related walk)
 * stays in test_store.c and test_changes.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "store/store.h"
#include "backend.h"

#define NOW 1764000000LL
#define HOUR 3600
#define D(kind, id) STORE_DEP(STORE_DEP_##kind, id)

typedef struct fx {
    const backend *be;
    backend_loc loc;
    store_t *s;
    store_t *other;       /* a second connection to the same site, if any */
    arena_t *a;
    int64_t author, author2, politics, world, sports;
    int64_t tag_x, tag_y, tag_z;
    int64_t target, a_both, b_one_same_cat, d_one_other_cat, e_same_cat, f_unrelated;
    int64_t draft, future;
    int64_t seq;          /* change log read up to here (news) */
} fx;

/* ---- fixtures ---- */

/* *state is the backend on entry (the test's initial state). */
static int setup_empty(void **state)
{
    fx *f = backend_fixture_new(state, sizeof *f);
    if (!f)
        return -1;
    f->a = arena_new(0);
    *state = f;
    return 0;
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

static int64_t author(fx *f, const char *slug, const char *name, const char *bio, const char *email)
{
    store_author au = { 0, slug, name, bio, email, NULL };
    assert_int_equal(store_author_insert(f->s, &au), 0);
    return au.id;
}

/* A small site: two authors, politics ⊃ world, sports; tags x y z; articles
 * arranged so that related order and visibility can be checked exactly. */
static int setup_site(void **state)
{
    if (setup_empty(state) != 0)
        return -1;
    fx *f = *state;
    assert_int_equal(store_open(f->loc.location, STORE_CREATE, &f->s), 0);
    f->author = author(f, "ahmed", "أحمد", "سيرة", "a@example.com");
    f->author2 = author(f, "laila", "ليلى", NULL, NULL);
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
    assert_int_equal(store_changes_head(f->s, &f->seq), 0);
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->other); /* closed here, so a failed test leaves none open */
    store_close(f->s);
    int rc = f->be->drop(&f->loc);
    arena_free(f->a);
    free(f);
    return rc;
}

/* ---- helpers ---- */

/* Raw SQL on a connection of its own: a commit nashra did not make. */
static void raw(fx *f, const char *sql)
{
    assert_int_equal(f->be->exec(f->loc.location, sql), 0);
}

static int64_t raw_int(fx *f, const char *sql)
{
    int64_t v = 0;
    assert_int_equal(f->be->query_int(f->loc.location, sql, &v), 0);
    return v;
}

/* A connection to the fixture's site, into *where (closed by teardown). */
static store_t *open_into(fx *f, int flags, store_t **where)
{
    assert_int_equal(store_open(f->loc.location, flags, where), 0);
    return *where;
}

/* The second connection, f->other. */
static store_t *open_other(fx *f, int flags)
{
    assert_null(f->other);
    return open_into(f, flags, &f->other);
}

/* Close the fixture's connection and forget it. */
static void close_store(fx *f)
{
    store_close(f->s);
    f->s = NULL;
}

/* got holds exactly the bytes of want (NULL only if want is). */
static void assert_text(const char *want, const char *got)
{
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_int_equal(strlen(got), strlen(want));
    assert_memory_equal(got, want, strlen(want));
}

static const char *setting(fx *f, const char *key)
{
    const char *v = NULL;
    assert_int_equal(store_setting_get(f->s, f->a, key, &v), 0);
    return v;
}

static int64_t head(fx *f)
{
    int64_t h;
    assert_int_equal(store_changes_head(f->s, &h), 0);
    return h;
}

static int64_t visible_count(fx *f)
{
    store_query q = { .now = NOW, .limit = 1000 };
    int64_t n;
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    return n;
}

/* store_changed, asserting it did not fail. */
static bool changed(store_t *s)
{
    bool c;
    assert_int_equal(store_changed(s, &c), 0);
    return c;
}

/* Whether s reports a change: on the very next call where the backend
 * promises that, else polled for at most three seconds, three times the
 * longest store.h lets a commit go unreported (PostgreSQL's look at the
 * log's head once a second), so only a change never reported fails. */
static bool seen_change(const fx *f, store_t *s)
{
    int tries = f->be->changed_at_once ? 1 : 300;
    struct timespec nap = { 0, 10 * 1000 * 1000 };
    for (int i = 0; i < tries; i++) {
        if (changed(s))
            return true;
        nanosleep(&nap, NULL);
    }
    return false;
}

/* The keys logged since the last call. */
static store_changes news(fx *f)
{
    store_changes c;
    assert_int_equal(store_changes_since(f->s, f->a, f->seq, &c), 0);
    f->seq = c.last;
    return c;
}

static bool has(const store_changes *c, store_dep dep)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->deps[i] == dep)
            return true;
    return false;
}

/* The change log since the last call names exactly the n keys of want;
 * else what it named is printed, and the caller's line. */
static void assert_news_(fx *f, const store_dep *want, size_t n, int line)
{
    store_changes c = news(f);
    bool ok = !c.all && c.n == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = has(&c, want[i]);
    if (ok)
        return;
    for (size_t i = 0; i < c.n; i++)
        print_error("logged: kind %d, id %lld\n", STORE_DEP_KIND(c.deps[i]),
                    (long long)(c.deps[i] & ((UINT64_C(1) << 56) - 1)));
    fail_msg("line %d: %zu keys logged%s, not the %zu expected", line, c.n,
             c.all ? " (all)" : "", n);
}
#define assert_news(f, ...) \
    assert_news_(f, (const store_dep[]){ __VA_ARGS__ }, \
                 sizeof((const store_dep[]){ __VA_ARGS__ }) / sizeof(store_dep), __LINE__)
#define assert_no_news(f) assert_news_(f, NULL, 0, __LINE__)

/* ---- opening ---- */

/* Where there is no site, opening without STORE_CREATE finds none (a
 * missing file, an empty database) and leaves none behind. */
static void test_open_missing(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 2; i++) {
        store_t *s = (store_t *)f;
        assert_int_equal(store_open(f->loc.location, 0, &s), NS_ENOTFOUND);
        assert_null(s);
        assert_int_equal(store_open(f->loc.location, STORE_READONLY, &s), NS_ENOTFOUND);
        assert_null(s);
    }
    assert_int_equal(store_open("", STORE_CREATE, &f->s), NS_EINVAL);
    assert_int_equal(store_open(NULL, STORE_CREATE, &f->s), NS_EINVAL);
    assert_int_equal(store_open(f->loc.location, STORE_CREATE, &f->s), 0);
    assert_true(store_schema_version(f->s) >= 1);
}

/* Another application's database is refused, with or without
 * STORE_CREATE, and left as it was: nashra adds none of its tables. */
static void test_open_foreign(void **state)
{
    fx *f = *state;
    raw(f, "CREATE TABLE inventory(item TEXT, qty INTEGER);"
           "INSERT INTO inventory VALUES ('x', 1)");
    static const int flags[] = { STORE_CREATE, 0, STORE_READONLY };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        store_t *s = (store_t *)f;
        assert_int_equal(store_open(f->loc.location, flags[i], &s), NS_ECORRUPT);
        assert_null(s);
    }
    assert_int_equal(raw_int(f, "SELECT count(*) FROM inventory"), 1);
    raw(f, "CREATE TABLE articles(x INTEGER)"); /* fails if nashra made one */
}

/* A site whose schema is newer than this binary is not opened. */
static void test_open_newer_schema(void **state)
{
    fx *f = *state;
    assert_int_equal(store_open(f->loc.location, STORE_CREATE, &f->s), 0);
    close_store(f);
    raw(f, f->be->newer_schema_sql);
    assert_int_equal(store_open(f->loc.location, 0, &f->s), NS_EINVAL);
    assert_int_equal(store_open(f->loc.location, STORE_READONLY, &f->s), NS_EINVAL);
    assert_int_equal(store_open(f->loc.location, STORE_CREATE, &f->s), NS_EINVAL);
    assert_null(f->s);
}

/* Reopening finds the site as it was left, whatever the flags: the same
 * schema version (migrations run once; STORE_CREATE does not start
 * over), the same rows, and sound. */
static void test_reopen(void **state)
{
    fx *f = *state;
    assert_int_equal(store_open(f->loc.location, STORE_CREATE, &f->s), 0);
    int v = store_schema_version(f->s);
    assert_true(v >= 1);
    assert_int_equal(store_setting_set(f->s, "site_name", "نشرة"), 0);
    close_store(f);
    static const int flags[] = { 0, STORE_CREATE, STORE_READONLY, 0 };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        open_into(f, flags[i], &f->s);
        assert_int_equal(store_schema_version(f->s), v);
        assert_string_equal(setting(f, "site_name"), "نشرة");
        assert_int_equal(store_check(f->s), 0);
        close_store(f);
    }
}

/* store_write's function that writes nothing: what is refused is the
 * write transaction itself. */
static int write_nothing(store_t *s, void *arg)
{
    (void)s;
    (void)arg;
    return 0;
}

/* A read-only connection reads, and refuses every kind of write with
 * NS_EPERM, leaving the site as it was. */
static void test_readonly(void **state)
{
    fx *f = *state;
    store_t *ro = open_other(f, STORE_READONLY);
    store_article ar;
    assert_int_equal(store_article_by_slug(ro, f->a, "target", NOW, &ar), 0);
    assert_int_equal(ar.id, f->target);
    assert_int_equal(store_setting_set(ro, "k", "v"), NS_EPERM);
    store_author au = { 0, "new", "جديد", NULL, NULL, NULL };
    assert_int_equal(store_author_insert(ro, &au), NS_EPERM);
    assert_int_equal(store_article_update(ro, &ar, NULL, 0), NS_EPERM);
    assert_int_equal(store_article_delete(ro, f->target), NS_EPERM);
    assert_int_equal(store_write(ro, write_nothing, NULL), NS_EPERM);
    assert_int_equal(store_begin(ro), NS_EPERM);
    assert_false(store_in_transaction(ro));
    const char *v;
    assert_int_equal(store_setting_get(f->s, f->a, "k", &v), NS_ENOTFOUND);
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    assert_int_equal(ar.ntags, 2);
    assert_int_equal(head(f), f->seq);
}

/* A location that cannot be reached opens nothing: a SQLite file in a
 * directory that does not exist, a PostgreSQL server that is not there. */
static void test_open_unreachable(void **state)
{
    fx *f = *state;
    store_t *s = (store_t *)f;
    assert_int_equal(store_open(f->be->unreachable, STORE_CREATE, &s), f->be->unreachable_rc);
    assert_null(s);
}

/* The location helpers: which backend a location names, and a location
 * fit for a log line, which never shows a password however it is given
 * and however small the buffer. */
static void test_location(void **state)
{
    fx *f = *state;
    char out[512];
    assert_int_equal(store_location_is_pg(f->loc.location), strcmp(f->be->name, "postgresql") == 0);
    assert_string_equal(store_location_safe(f->loc.location, out, sizeof out), f->loc.location);
    static const struct { const char *loc; bool pg; } kinds[] = {
        { "postgresql://h/db", true }, { "postgres://u@h:5432/db", true },
        { "/var/lib/nashra/site.db", false }, { "site.db", false }, { "postgresql:/h/db", false },
        { "./postgresql://h/db", false }, { "", false }, { NULL, false },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        assert_int_equal(store_location_is_pg(kinds[i].loc), kinds[i].pg);
    static const struct { const char *in, *out; } safe[] = {
        { "postgresql://u:XYZZY@h/db", "postgresql://u:***@h/db" },
        { "postgres://u:XYZZY@h:5432/db?sslmode=require", "postgres://u:***@h:5432/db?sslmode=require" },
        { "postgresql://u:XY@ZZY@h/db", "postgresql://u:***@h/db" }, /* '@' in the password */
        { "postgresql://u@h/db?password=XYZZY", "postgresql://u@h/db?password=***" },
        { "postgresql://h/db?sslmode=require&password=XYZZY&application_name=n",
          "postgresql://h/db?sslmode=require&password=***&application_name=n" },
        { "host=h password=XYZZY dbname=db", "host=h password=*** dbname=db" },
        { "postgresql://u@h/db", "postgresql://u@h/db" },
        { "/srv/a:b@c/site.db", "/srv/a:b@c/site.db" },
        { NULL, "" },
    };
    for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++) {
        assert_string_equal(store_location_safe(safe[i].in, out, sizeof out), safe[i].out);
        for (size_t size = 1; size < sizeof out; size++) { /* cut anywhere: never a byte of it */
            store_location_safe(safe[i].in, out, size);
            assert_true(strlen(out) < size);
            assert_null(strchr(out, 'X'));
        }
    }
}

/* ---- reads ---- */

static void test_article_by_slug(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    assert_int_equal(ar.id, f->target);
    assert_string_equal(ar.slug, "target");
    assert_string_equal(ar.title, "target");
    assert_string_equal(ar.lead, "مقدمة");
    assert_string_equal(ar.body_md, "نص **المقال**");
    assert_int_equal(ar.status, ARTICLE_PUBLISHED);
    assert_true(ar.comments_open);
    assert_int_equal(ar.published_at, NOW - 10 * HOUR);
    assert_int_equal(ar.author_id, f->author);
    assert_int_equal(ar.author.id, f->author);
    assert_string_equal(ar.author.slug, "ahmed");
    assert_string_equal(ar.author.name, "أحمد");
    assert_int_equal(ar.category.id, f->politics);
    assert_string_equal(ar.category.slug, "politics");
    assert_string_equal(ar.category.name, "سياسة");
    assert_int_equal(ar.ntags, 2);
    assert_int_equal(ar.comment_count, 0);
    assert_null(ar.kicker);
    assert_int_equal(store_article_by_id(f->s, f->a, f->e_same_cat, &ar), 0);
    assert_int_equal(ar.category.parent_id, f->politics);
    assert_int_equal(ar.ntags, 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "nope", NOW, &ar), NS_ENOTFOUND);
}

/* Drafts and future articles stay hidden; a scheduled one appears by
 * itself when its time comes, and that time is when pages expire. */
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
    int64_t pending = article(f, "pending", ARTICLE_PENDING, NOW - HOUR, f->politics, NULL, 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "pending", NOW, &ar), NS_ENOTFOUND);
    assert_int_equal(store_article_by_id(f->s, f->a, pending, &ar), 0);
    assert_int_equal(ar.status, ARTICLE_PENDING);
    article(f, "sched", ARTICLE_SCHEDULED, NOW + HOUR, f->politics, NULL, 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "sched", NOW, &ar), NS_ENOTFOUND);
    assert_int_equal(store_article_by_slug(f->s, f->a, "sched", NOW + HOUR, &ar), 0);
    assert_int_equal(ar.status, ARTICLE_SCHEDULED);
    int64_t when;
    assert_int_equal(store_next_publish(f->s, NOW, &when), 0);
    assert_int_equal(when, NOW + HOUR);
    assert_int_equal(store_next_publish(f->s, NOW + HOUR, &when), 0);
    assert_int_equal(when, NOW + 5 * HOUR);
    assert_int_equal(store_next_publish(f->s, NOW + 10 * HOUR, &when), 0);
    assert_int_equal(when, 0);
    assert_int_equal(store_last_modified(f->s, NOW, &when), 0);
    assert_int_equal(when, NOW - HOUR);
    assert_int_equal(store_last_modified(f->s, NOW - 100 * HOUR, &when), 0);
    assert_int_equal(when, 0); /* nothing visible yet */
}

static void test_list_order_and_filters(void **state)
{
    fx *f = *state;
    store_query q = { .now = NOW, .limit = 100 };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    int64_t newest_first[] = { f->d_one_other_cat, f->f_unrelated, f->target, f->e_same_cat,
                               f->b_one_same_cat, f->a_both };
    assert_int_equal(l.n, 6);
    for (size_t i = 0; i < l.n; i++)
        assert_int_equal(l.items[i].id, newest_first[i]);
    assert_null(l.items[0].body_md);
    assert_null(l.items[0].tags);
    assert_string_equal(l.items[0].author.name, "أحمد");
    assert_string_equal(l.items[0].category.slug, "sports");

    q.category_id = f->politics; /* includes the world sub-category */
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.items[0].id, f->target);
    assert_int_equal(l.items[1].id, f->e_same_cat);
    assert_int_equal(l.items[2].id, f->b_one_same_cat);

    q = (store_query){ .now = NOW, .limit = 100, .tag_id = f->tag_x, .with_body = true,
                       .with_tags = true };
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.items[0].body_md, "نص **المقال**");
    assert_int_equal(l.items[0].ntags, 1);
    assert_int_equal(l.items[0].tags[0].id, f->tag_x);
    assert_string_equal(l.items[0].tags[0].name, "روسيا");
    assert_int_equal(l.items[1].ntags, 2); /* target */

    q = (store_query){ .now = NOW, .limit = 2, .offset = 2 };
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[0].id, f->target);
    assert_int_equal(l.items[1].id, f->e_same_cat);
    q.offset = 6;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 0);
    q.offset = 0;
    q.limit = 0;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), NS_EINVAL);
    q.limit = 1001;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), NS_EINVAL);
    q.limit = 1000;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 6);
}

/* store_article_count agrees with store_article_list for each filter and
 * their combinations (two queries on each backend), bounds included. */
static void test_count_each_filter(void **state)
{
    fx *f = *state;
    const struct { store_query q; int64_t want; } cases[] = {
        { { .now = NOW }, 6 },
        { { .now = NOW, .category_id = f->politics }, 3 },
        { { .now = NOW, .category_id = f->world }, 1 },
        { { .now = NOW, .category_id = f->sports }, 3 },
        { { .now = NOW, .tag_id = f->tag_x }, 4 },
        { { .now = NOW, .tag_id = f->tag_z }, 0 },
        { { .now = NOW, .author_id = f->author }, 6 },
        { { .now = NOW, .author_id = f->author2 }, 0 },
        { { .now = NOW, .exclude_id = f->target }, 5 },
        { { .now = NOW, .since = NOW - 10 * HOUR }, 3 },   /* since is inclusive */
        { { .now = NOW + 5 * HOUR }, 7 },
        { { .now = NOW - 50 * HOUR }, 1 },                 /* now is inclusive */
        { { .now = NOW, .category_id = f->politics, .tag_id = f->tag_x }, 2 },
        { { .now = NOW, .category_id = f->sports, .tag_id = f->tag_x, .author_id = f->author }, 2 },
        { { .now = NOW, .tag_id = f->tag_y, .exclude_id = f->target }, 1 },
        { { .now = NOW, .tag_id = f->tag_x, .exclude_id = f->d_one_other_cat,
            .since = NOW - 45 * HOUR }, 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        store_query q = cases[i].q;
        q.limit = 1;
        q.offset = 5; /* count ignores limit and offset */
        int64_t n = -1;
        assert_int_equal(store_article_count(f->s, &q, &n), 0);
        if (n != cases[i].want)
            fail_msg("case %zu: count %lld, want %lld", i, (long long)n, (long long)cases[i].want);
        struct store_article_list l;
        q.limit = 1000;
        q.offset = 0;
        assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
        assert_int_equal(l.n, cases[i].want);
    }
}

/* Related: most shared tags first, then the same category (not a
 * sub-category), newest first; never the article itself. */
static void test_related_order(void **state)
{
    fx *f = *state;
    struct store_article_list l;
    int64_t g = article(f, "g-same", ARTICLE_PUBLISHED, NOW - 90 * HOUR, f->politics, NULL, 0);
    assert_int_equal(store_article_related(f->s, f->a, f->target, NOW, 10, &l), 0);
    int64_t want[] = { f->a_both, f->b_one_same_cat, f->d_one_other_cat, g };
    assert_int_equal(l.n, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(l.items[i].id, want[i]);
    assert_string_equal(l.items[0].category.slug, "sports");
    assert_string_equal(l.items[0].author.name, "أحمد");
    assert_int_equal(store_article_related(f->s, f->a, f->target, NOW, 2, &l), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[1].id, f->b_one_same_cat);
    assert_int_equal(store_article_related(f->s, f->a, f->target, NOW + 6 * HOUR, 10, &l), 0);
    assert_int_equal(l.items[0].id, f->future); /* both tags, newer than a-both */
    assert_int_equal(store_article_related(f->s, f->a, f->target, NOW, 0, &l), NS_EINVAL);
}

static void test_comments(void **state)
{
    fx *f = *state;
    store_comment c = { 0, f->target, 0, "قارئ", "r@example.com", NULL, "تعليق أول", "192.0.2.1",
                        "ua", COMMENT_APPROVED, NOW - 5 * HOUR, NULL, 0 };
    assert_int_equal(store_comment_insert(f->s, &c), 0);
    assert_true(c.id > 0);
    store_comment r = c;
    r.parent_id = c.id;
    r.body = "رد";
    r.created_at = NOW - 4 * HOUR;
    assert_int_equal(store_comment_insert(f->s, &r), 0);
    store_comment p = c;
    p.status = COMMENT_PENDING;
    p.created_at = NOW - 6 * HOUR;
    assert_int_equal(store_comment_insert(f->s, &p), 0);

    store_comment *list;
    size_t n;
    assert_int_equal(store_comment_list(f->s, f->a, f->target, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, c.id);
    assert_int_equal(list[0].parent_id, 0);
    assert_int_equal(list[0].article_id, f->target);
    assert_int_equal(list[0].created_at, NOW - 5 * HOUR);
    assert_int_equal(list[0].status, COMMENT_APPROVED);
    assert_string_equal(list[0].author_name, "قارئ");
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
    assert_int_equal(store_comment_list_all(f->s, f->a, f->target, COMMENT_PENDING, &list, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, p.id);
    store_comment_stats cst;
    assert_int_equal(store_comment_count(f->s, f->target, &cst), 0);
    assert_int_equal(cst.approved, 2); /* approved only */

    assert_int_equal(store_comment_set_status(f->s, p.id, COMMENT_APPROVED), 0);
    assert_int_equal(store_comment_list(f->s, f->a, f->target, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, p.id); /* oldest first */
    assert_int_equal(store_comment_set_status(f->s, c.id, COMMENT_SPAM), 0);
    assert_int_equal(store_comment_list(f->s, f->a, f->target, COMMENT_SPAM, &list, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_comment_set_status(f->s, 999999, COMMENT_SPAM), NS_ENOTFOUND);
    assert_int_equal(store_comment_set_status(f->s, c.id, (comment_status)9), NS_EINVAL);
    assert_int_equal(store_comment_list(f->s, f->a, f->a_both, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 0);
}

/* A comment needs its article, a parent on the same article, a name, a
 * body and a known status; a refused one leaves no row. */
static void test_comment_refused(void **state)
{
    fx *f = *state;
    store_comment c = { 0, f->target, 0, "قارئ", NULL, NULL, "تعليق", NULL, NULL,
                        COMMENT_APPROVED, NOW, NULL, 0 };
    assert_int_equal(store_comment_insert(f->s, &c), 0);
    store_comment bad = c;
    bad.article_id = f->a_both; /* parent on another article */
    bad.parent_id = c.id;
    assert_int_equal(store_comment_insert(f->s, &bad), NS_EINVAL);
    bad = c;
    bad.parent_id = 999999;
    assert_int_equal(store_comment_insert(f->s, &bad), NS_EINVAL);
    bad = c;
    bad.article_id = 424242;
    assert_int_equal(store_comment_insert(f->s, &bad), NS_EINVAL);
    bad = c;
    bad.body = "";
    assert_int_equal(store_comment_insert(f->s, &bad), NS_EINVAL);
    bad = c;
    bad.author_name = NULL;
    assert_int_equal(store_comment_insert(f->s, &bad), NS_EINVAL);
    bad = c;
    bad.status = (comment_status)9;
    assert_int_equal(store_comment_insert(f->s, &bad), NS_EINVAL);
    store_comment *list;
    size_t n;
    assert_int_equal(store_comment_list(f->s, f->a, f->a_both, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_comment_list(f->s, f->a, f->target, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 1);
}

/* A comment by name (and email, ip hash, fingerprint: NULL for none). */
typedef struct cm {
    int64_t article, parent;
    const char *name, *email, *ip, *fp;
    comment_status st;
    int64_t created;
} cm;

static int comment_try(fx *f, cm c, int64_t *id)
{
    store_comment row = { 0, c.article, c.parent, c.name, c.email, NULL, "نص التعليق", c.ip,
                          "ua", c.st, c.created ? c.created : NOW, c.fp, 0 };
    int rc = store_comment_insert(f->s, &row);
    if (id)
        *id = rc ? 0 : row.id;
    return rc;
}

static int64_t comment(fx *f, cm c)
{
    int64_t id;
    assert_int_equal(comment_try(f, c, &id), 0);
    assert_true(id > 0);
    return id;
}

/* Comments of any article and status, as store_comment_recent counts them. */
static size_t comment_total(fx *f)
{
    store_comment *l;
    size_t n;
    assert_int_equal(store_comment_recent(f->s, f->a, -1, 10000, &l, &n), 0);
    return n;
}

/* One comment with every field, the private ones included. */
static void test_comment_get(void **state)
{
    fx *f = *state;
    store_comment c = { 0, f->target, 0, "قارئ", "r@example.com", "https://example.com/r",
                        "تعليق\nمن سطرين", "9f86d081884c7d65", "Mozilla/5.0", COMMENT_PENDING,
                        NOW - 7, "fp-1", 0 };
    assert_int_equal(store_comment_insert(f->s, &c), 0);
    int64_t top = comment(f, (cm){ f->target, 0, "أ", NULL, NULL, NULL, COMMENT_APPROVED, 0 });
    int64_t reply = comment(f, (cm){ f->target, top, "ب", NULL, NULL, NULL, COMMENT_SPAM, 0 });
    store_comment got;
    memset(&got, 0x5a, sizeof got);
    assert_int_equal(store_comment_get(f->s, f->a, c.id, &got), 0);
    assert_int_equal(got.id, c.id);
    assert_int_equal(got.article_id, f->target);
    assert_int_equal(got.parent_id, 0);
    assert_text("قارئ", got.author_name);
    assert_text("r@example.com", got.author_email);
    assert_text("https://example.com/r", got.author_url);
    assert_text("تعليق\nمن سطرين", got.body);
    assert_text("9f86d081884c7d65", got.ip);
    assert_text("Mozilla/5.0", got.user_agent);
    assert_int_equal(got.status, COMMENT_PENDING);
    assert_int_equal(got.created_at, NOW - 7);
    assert_text("fp-1", got.fingerprint);
    assert_int_equal(store_comment_get(f->s, f->a, reply, &got), 0);
    assert_int_equal(got.parent_id, top);
    assert_int_equal(got.status, COMMENT_SPAM);
    assert_null(got.author_url);
    assert_null(got.fingerprint);
    assert_int_equal(store_comment_get(f->s, f->a, reply + 1000, &got), NS_ENOTFOUND);
    assert_int_equal(store_comment_get(f->s, f->a, 0, &got), NS_ENOTFOUND);
}

/* The newest comments of every article, newest first, by status or all. */
static void test_comment_recent(void **state)
{
    fx *f = *state;
    store_comment *l;
    size_t n;
    assert_int_equal(store_comment_recent(f->s, f->a, -1, 10, &l, &n), 0);
    assert_int_equal(n, 0);
    /* made out of time order, on two articles, in every status */
    static const struct { int64_t age; comment_status st; bool other; } made[] = {
        { 30, COMMENT_APPROVED, false }, { 10, COMMENT_PENDING, true },
        { 50, COMMENT_SPAM, false },     { 20, COMMENT_PENDING, false },
        { 40, COMMENT_TRASH, true },     { 5, COMMENT_APPROVED, true },
    };
    int64_t id[6];
    for (int i = 0; i < 6; i++)
        id[i] = comment(f, (cm){ made[i].other ? f->a_both : f->target, 0, "قارئ", NULL, NULL,
                                 NULL, made[i].st, NOW - made[i].age });
    const int newest_first[] = { 5, 1, 3, 0, 4, 2 };
    assert_int_equal(store_comment_recent(f->s, f->a, -1, 100, &l, &n), 0);
    assert_int_equal(n, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(l[i].id, id[newest_first[i]]);
        assert_int_equal(l[i].created_at, NOW - made[newest_first[i]].age);
    }
    /* every field, as moderation needs */
    assert_text("ua", l[0].user_agent);
    assert_int_equal(l[0].article_id, f->a_both);
    assert_int_equal(store_comment_recent(f->s, f->a, COMMENT_PENDING, 100, &l, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(l[0].id, id[1]);
    assert_int_equal(l[1].id, id[3]);
    assert_int_equal(l[0].status, COMMENT_PENDING);
    assert_int_equal(store_comment_recent(f->s, f->a, COMMENT_TRASH, 100, &l, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(l[0].id, id[4]);
    assert_int_equal(store_comment_recent(f->s, f->a, COMMENT_APPROVED, 1, &l, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(l[0].id, id[5]);
    assert_int_equal(store_comment_recent(f->s, f->a, -1, 3, &l, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(l[2].id, id[3]);
    assert_int_equal(store_comment_recent(f->s, f->a, -1, 0, &l, &n), NS_EINVAL);
    assert_int_equal(store_comment_recent(f->s, f->a, -1, 10001, &l, &n), NS_EINVAL);
    assert_int_equal(store_comment_recent(f->s, f->a, 9, 10, &l, &n), NS_EINVAL);
    assert_int_equal(store_comment_recent(f->s, f->a, -1, 10000, &l, &n), 0);
    assert_int_equal(n, 6);
}

/* Known: an approved comment under this name and this email, none
 * (NULL) and empty being the same email. */
static void test_comment_known(void **state)
{
    fx *f = *state;
    bool known = true;
    assert_int_equal(store_comment_known(f->s, "قارئ", "r@example.com", &known), 0);
    assert_false(known);
    comment(f, (cm){ f->target, 0, "قارئ", "r@example.com", NULL, NULL, COMMENT_APPROVED, 0 });
    comment(f, (cm){ f->target, 0, "منتظر", "p@example.com", NULL, NULL, COMMENT_PENDING, 0 });
    comment(f, (cm){ f->target, 0, "مزعج", "s@example.com", NULL, NULL, COMMENT_SPAM, 0 });
    comment(f, (cm){ f->a_both, 0, "بلا بريد", NULL, NULL, NULL, COMMENT_APPROVED, 0 });
    comment(f, (cm){ f->a_both, 0, "بريد فارغ", "", NULL, NULL, COMMENT_APPROVED, 0 });
    static const struct { const char *name, *email; bool known; } cases[] = {
        { "قارئ", "r@example.com", true },
        { "قارئ", "other@example.com", false },
        { "قارئ", NULL, false },
        { "قارئ", "", false },
        { "قارئ ", "r@example.com", false },
        { "آخر", "r@example.com", false },
        { "منتظر", "p@example.com", false },   /* only approved ones count */
        { "مزعج", "s@example.com", false },
        { "بلا بريد", NULL, true },
        { "بلا بريد", "", true },
        { "بلا بريد", "x@example.com", false },
        { "بريد فارغ", NULL, true },
        { "بريد فارغ", "", true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        known = !cases[i].known;
        assert_int_equal(store_comment_known(f->s, cases[i].name, cases[i].email, &known), 0);
        if (known != cases[i].known)
            fail_msg("%s <%s>: known %d, expected %d", cases[i].name,
                     cases[i].email ? cases[i].email : "(null)", known, cases[i].known);
    }
}

/* Ids of a page of threads, in the order given. */
static size_t thread_ids(fx *f, int64_t first, int limit, int64_t *ids, size_t cap)
{
    store_comment *l;
    size_t n;
    assert_int_equal(store_comment_threads(f->s, f->a, f->target, first, limit, &l, &n), 0);
    for (size_t i = 0; i < n && i < cap; i++)
        ids[i] = l[i].id;
    return n;
}

/* Top-level comments are numbered in their article as they come, whatever
 * their status (replies: 0); a page of threads is a range of numbers with
 * the approved replies below its approved comments, through approved
 * parents only; the article's counts follow. */
static void test_comment_threads(void **state)
{
    fx *f = *state;
    int64_t a = comment(f, (cm){ f->target, 0, "أ", NULL, NULL, NULL, COMMENT_APPROVED, NOW - 300 });
    int64_t p = comment(f, (cm){ f->target, 0, "م", NULL, NULL, NULL, COMMENT_PENDING, NOW - 250 });
    int64_t b = comment(f, (cm){ f->target, 0, "ب", NULL, NULL, NULL, COMMENT_APPROVED, NOW - 200 });
    int64_t r = comment(f, (cm){ f->target, a, "رد", NULL, NULL, NULL, COMMENT_APPROVED, NOW - 100 });
    int64_t rr = comment(f, (cm){ f->target, r, "رد على رد", NULL, NULL, NULL, COMMENT_APPROVED, NOW - 90 });
    comment(f, (cm){ f->a_both, 0, "آخر", NULL, NULL, NULL, COMMENT_APPROVED, NOW - 900 });
    store_comment c;
    int64_t no[4];
    const int64_t order[] = { a, p, b, r };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(store_comment_get(f->s, f->a, order[i], &c), 0);
        no[i] = c.thread_no;
    }
    assert_true(no[0] > 0);
    assert_int_equal(no[1], 0);         /* held: no number, no place on a page */
    assert_int_equal(no[2], no[0] + 1);
    assert_int_equal(no[3], 0);         /* a reply */

    int64_t ids[8];
    assert_int_equal(thread_ids(f, no[0] - 1, 2, ids, 8), 4); /* a's thread, then b */
    assert_int_equal(ids[0], a);
    assert_int_equal(ids[1], b);
    assert_int_equal(ids[2], r);
    assert_int_equal(ids[3], rr);
    assert_int_equal(thread_ids(f, no[0], 1, ids, 8), 1);
    assert_int_equal(ids[0], b);
    assert_int_equal(thread_ids(f, no[2], 5, ids, 8), 0);

    store_comment_stats st;
    assert_int_equal(store_comment_count(f->s, f->target, &st), 0);
    assert_int_equal(st.threads, no[2]);
    /* approved later, a held comment takes the next number */
    assert_int_equal(store_comment_set_status(f->s, p, COMMENT_APPROVED), 0);
    assert_int_equal(store_comment_get(f->s, f->a, p, &c), 0);
    assert_int_equal(c.thread_no, no[2] + 1);
    assert_int_equal(store_comment_set_status(f->s, p, COMMENT_PENDING), 0);
    assert_true(st.newest >= NOW - 90);
    int64_t approved = st.approved;
    assert_int_equal(store_comment_set_status(f->s, r, COMMENT_PENDING), 0);
    assert_int_equal(thread_ids(f, no[0] - 1, 1, ids, 8), 1); /* rr went with its parent */
    assert_int_equal(store_comment_count(f->s, f->target, &st), 0);
    assert_int_equal(st.approved, approved - 1);
    assert_int_equal(store_comment_threads(f->s, f->a, f->target, -1, 5, &(store_comment *){0}, &(size_t){0}),
                     NS_EINVAL);
}

/* A reply needs an approved parent on the same article; a comment needs
 * its article. A refused one leaves no row. */
static void test_comment_insert_refused(void **state)
{
    fx *f = *state;
    int64_t pending = comment(f, (cm){ f->target, 0, "أ", NULL, NULL, NULL, COMMENT_PENDING, 0 });
    int64_t spam = comment(f, (cm){ f->target, 0, "س", NULL, NULL, NULL, COMMENT_SPAM, 0 });
    int64_t elsewhere = comment(f, (cm){ f->a_both, 0, "ب", NULL, NULL, NULL, COMMENT_APPROVED, 0 });
    int64_t ok = comment(f, (cm){ f->target, 0, "ج", NULL, NULL, NULL, COMMENT_APPROVED, 0 });
    size_t before = comment_total(f);
    int64_t id = -1;
    assert_int_equal(comment_try(f, (cm){ f->target, pending, "رد", NULL, NULL, NULL, COMMENT_APPROVED, 0 }, &id),
                     NS_EINVAL);
    assert_int_equal(comment_try(f, (cm){ f->target, pending, "رد", NULL, NULL, NULL, COMMENT_PENDING, 0 }, &id),
                     NS_EINVAL);
    assert_int_equal(comment_try(f, (cm){ f->target, spam, "رد", NULL, NULL, NULL, COMMENT_PENDING, 0 }, &id),
                     NS_EINVAL);
    assert_int_equal(comment_try(f, (cm){ f->target, elsewhere, "رد", NULL, NULL, NULL, COMMENT_PENDING, 0 }, &id),
                     NS_EINVAL);
    assert_int_equal(comment_try(f, (cm){ 987654, 0, "رد", NULL, NULL, NULL, COMMENT_PENDING, 0 }, &id),
                     NS_EINVAL);
    assert_int_equal(comment_try(f, (cm){ 987654, 0, "رد", NULL, NULL, "fp", COMMENT_PENDING, 0 }, &id),
                     NS_EINVAL);
    assert_int_equal(comment_total(f), before);
    /* the same reply to the approved comment, and to the other once approved */
    comment(f, (cm){ f->target, ok, "رد", NULL, NULL, NULL, COMMENT_PENDING, 0 });
    assert_int_equal(store_comment_set_status(f->s, pending, COMMENT_APPROVED), 0);
    comment(f, (cm){ f->target, pending, "رد", NULL, NULL, NULL, COMMENT_PENDING, 0 });
    assert_int_equal(comment_total(f), before + 2);
}

/* The same text (fingerprint) on the same article from the same person,
 * by address or by name and email, is a duplicate; on another article,
 * or from someone else, it is not. */
static void test_comment_duplicate(void **state)
{
    fx *f = *state;
    comment(f, (cm){ f->target, 0, "قارئ", "r@example.com", "ip-1", "fp-1", COMMENT_PENDING, 0 });
    comment(f, (cm){ f->target, 0, "بلا بريد", NULL, "ip-9", "fp-9", COMMENT_APPROVED, 0 });
    size_t before = comment_total(f);
    static const struct { const char *name, *email, *ip, *fp; bool other_article; int rc; } cases[] = {
        { "قارئ", "r@example.com", "ip-1", "fp-1", false, NS_EEXIST },  /* the same again */
        { "آخر", "o@example.com", "ip-1", "fp-1", false, NS_EEXIST },  /* same address */
        { "قارئ", "r@example.com", "ip-2", "fp-1", false, NS_EEXIST }, /* same name and email */
        { "بلا بريد", "", "ip-3", "fp-9", false, NS_EEXIST },          /* no email either way */
        { "بلا بريد", NULL, "ip-3", "fp-9", false, NS_EEXIST },
        { "قارئ", "r@example.com", "ip-1", "fp-1", true, 0 },          /* another article */
        { "آخر", "o@example.com", "ip-2", "fp-1", false, 0 },          /* another person */
        { "قارئ", "x@example.com", "ip-3", "fp-1", false, 0 },         /* same name, other email */
        { "X", "r@example.com", "ip-4", "fp-1", false, 0 },            /* same email, other name */
        { "قارئ", "r@example.com", "ip-1", "fp-2", false, 0 },         /* other text */
        { "قارئ", "r@example.com", "ip-1", NULL, false, 0 },           /* no fingerprint: no check */
        { "قارئ", "r@example.com", "ip-1", NULL, false, 0 },
    };
    size_t added = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cm c = { cases[i].other_article ? f->a_both : f->target, 0, cases[i].name, cases[i].email,
                 cases[i].ip, cases[i].fp, COMMENT_PENDING, 0 };
        int rc = comment_try(f, c, NULL);
        if (rc != cases[i].rc)
            fail_msg("case %zu: %d, expected %d", i, rc, cases[i].rc);
        added += rc == 0;
        /* what was refused was not stored; a second of what was stored
         * with a fingerprint is refused in turn */
        assert_int_equal(comment_total(f), before + added);
        if (rc == 0 && cases[i].fp)
            assert_int_equal(comment_try(f, c, NULL), NS_EEXIST);
    }
}

/* Deleting a comment deletes its replies, and theirs; nothing else. */
static void test_comment_delete(void **state)
{
    fx *f = *state;
    int64_t top = comment(f, (cm){ f->target, 0, "أ", NULL, NULL, NULL, COMMENT_APPROVED, NOW - 50 });
    int64_t reply = comment(f, (cm){ f->target, top, "ب", NULL, NULL, NULL, COMMENT_APPROVED, NOW - 40 });
    int64_t deeper = comment(f, (cm){ f->target, reply, "ج", NULL, NULL, NULL, COMMENT_PENDING, NOW - 30 });
    int64_t sibling = comment(f, (cm){ f->target, 0, "د", NULL, NULL, NULL, COMMENT_APPROVED, NOW - 20 });
    int64_t other = comment(f, (cm){ f->a_both, 0, "ه", NULL, NULL, NULL, COMMENT_APPROVED, NOW - 10 });
    int64_t kept_reply = comment(f, (cm){ f->target, sibling, "و", NULL, NULL, NULL, COMMENT_APPROVED, NOW });
    assert_int_equal(store_comment_delete(f->s, top), 0);
    store_comment got;
    assert_int_equal(store_comment_get(f->s, f->a, top, &got), NS_ENOTFOUND);
    assert_int_equal(store_comment_get(f->s, f->a, reply, &got), NS_ENOTFOUND);
    assert_int_equal(store_comment_get(f->s, f->a, deeper, &got), NS_ENOTFOUND);
    assert_int_equal(store_comment_get(f->s, f->a, sibling, &got), 0);
    assert_int_equal(store_comment_get(f->s, f->a, other, &got), 0);
    assert_int_equal(store_comment_get(f->s, f->a, kept_reply, &got), 0);
    assert_int_equal(comment_total(f), 3);
    store_comment_stats st;
    assert_int_equal(store_comment_count(f->s, f->target, &st), 0);
    assert_int_equal(st.approved, 2);
    assert_int_equal(store_comment_delete(f->s, top), NS_ENOTFOUND);
    assert_int_equal(store_comment_delete(f->s, reply), NS_ENOTFOUND);
    assert_int_equal(store_comment_delete(f->s, other + 1000), NS_ENOTFOUND);
    assert_int_equal(comment_total(f), 3);
    /* deleting a reply leaves its parent */
    assert_int_equal(store_comment_delete(f->s, kept_reply), 0);
    assert_int_equal(store_comment_get(f->s, f->a, sibling, &got), 0);
    assert_int_equal(comment_total(f), 2);
}

/* ensure sets a key that is missing and never changes one that is set,
 * an empty value included. */
static void test_setting_ensure(void **state)
{
    fx *f = *state;
    assert_int_equal(store_setting_ensure(f->s, "secret_key", "first"), 0);
    assert_string_equal(setting(f, "secret_key"), "first");
    assert_int_equal(store_setting_ensure(f->s, "secret_key", "second"), 0);
    assert_string_equal(setting(f, "secret_key"), "first");
    assert_int_equal(store_setting_set(f->s, "follow_x", ""), 0);
    assert_int_equal(store_setting_ensure(f->s, "follow_x", "https://x.com/a"), 0);
    assert_string_equal(setting(f, "follow_x"), "");
    /* another connection sees the first value, and cannot replace it either */
    store_t *o = open_other(f, 0);
    assert_int_equal(store_setting_ensure(o, "secret_key", "third"), 0);
    const char *v;
    assert_int_equal(store_setting_get(o, f->a, "secret_key", &v), 0);
    assert_string_equal(v, "first");
    assert_int_equal(store_setting_set(f->s, "secret_key", "changed"), 0);
    assert_string_equal(setting(f, "secret_key"), "changed");
}

/* A connection made durable keeps working: its writes commit and every
 * connection reads them. */
static void test_durable(void **state)
{
    fx *f = *state;
    assert_int_equal(store_durable(f->s), 0);
    assert_int_equal(store_durable(f->s), 0);
    assert_int_equal(store_setting_set(f->s, "k", "v"), 0);
    int64_t id = comment(f, (cm){ f->target, 0, "قارئ", NULL, NULL, NULL, COMMENT_APPROVED, 0 });
    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(store_setting_set(f->s, "k", "in a transaction"), 0);
    assert_int_equal(store_commit(f->s), 0);
    store_t *o = open_other(f, 0);
    const char *v;
    store_comment c;
    assert_int_equal(store_setting_get(o, f->a, "k", &v), 0);
    assert_string_equal(v, "in a transaction");
    assert_int_equal(store_comment_get(o, f->a, id, &c), 0);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM comments"), 1);
}

static void test_taxonomy(void **state)
{
    fx *f = *state;
    store_category *cats;
    size_t n;
    assert_int_equal(store_category_list(f->s, f->a, &cats, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(cats[0].slug, "politics"); /* by position */
    assert_string_equal(cats[1].slug, "sports");
    assert_string_equal(cats[2].slug, "world");
    assert_int_equal(cats[2].parent_id, f->politics);
    assert_int_equal(cats[0].parent_id, 0);
    assert_string_equal(cats[0].description, "وصف");
    category(f, "culture", "ثقافة", 0, 2); /* same position: by name, ثقافة < رياضة */
    assert_int_equal(store_category_list(f->s, f->a, &cats, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(cats[1].slug, "culture");
    store_category c;
    assert_int_equal(store_category_by_slug(f->s, f->a, "world", &c), 0);
    assert_int_equal(c.id, f->world);
    assert_string_equal(c.name, "شؤون دولية");
    assert_int_equal(store_category_by_id(f->s, f->a, f->sports, &c), 0);
    assert_int_equal(c.position, 2);
    assert_int_equal(store_category_by_slug(f->s, f->a, "none", &c), NS_ENOTFOUND);
    assert_int_equal(store_category_by_id(f->s, f->a, 999999, &c), NS_ENOTFOUND);

    store_author au, *aus;
    assert_int_equal(store_author_by_slug(f->s, f->a, "ahmed", &au), 0);
    assert_int_equal(au.id, f->author);
    assert_string_equal(au.bio, "سيرة");
    assert_string_equal(au.email, "a@example.com");
    assert_int_equal(store_author_by_slug(f->s, f->a, "none", &au), NS_ENOTFOUND);
    assert_int_equal(store_author_list(f->s, f->a, &aus, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(aus[0].slug, "ahmed"); /* أحمد < ليلى */
    assert_null(aus[1].bio);
}

/* store_tag_ensure finds a tag by its slug (given, or made from the name)
 * and returns the same id however often it is asked. */
static void test_tag_ensure(void **state)
{
    fx *f = *state;
    store_tag t;
    assert_int_equal(store_tag_by_slug(f->s, f->a, "كرة-القدم", &t), 0);
    assert_int_equal(t.id, f->tag_z);
    assert_string_equal(t.name, "كرة القدم");
    assert_int_equal(tag(f, "روسيا"), f->tag_x);
    assert_int_equal(tag(f, "روسيا"), f->tag_x);
    store_tag explicit_slug = { 0, "russia", "روسيا" };
    assert_int_equal(store_tag_ensure(f->s, &explicit_slug), 0);
    assert_true(explicit_slug.id != f->tag_x);
    store_tag again = { 0, "russia", "روسيا" };
    assert_int_equal(store_tag_ensure(f->s, &again), 0);
    assert_int_equal(again.id, explicit_slug.id);
    assert_int_equal(store_tag_by_slug(f->s, f->a, "russia", &t), 0);
    assert_int_equal(t.id, explicit_slug.id);
    store_tag empty = { 0, NULL, "!!!" }; /* no slug can be made of it */
    assert_int_equal(store_tag_ensure(f->s, &empty), NS_EINVAL);
    store_tag noname = { 0, "x", "" };
    assert_int_equal(store_tag_ensure(f->s, &noname), NS_EINVAL);
    assert_int_equal(store_tag_by_slug(f->s, f->a, "x", &t), NS_ENOTFOUND);
}

/* Published pages only, by slug or all by title; slugs are unique. */
static void test_pages(void **state)
{
    fx *f = *state;
    store_page p1 = { 0, "privacy", "سياسة الخصوصية", "نص", true, NOW, NOW, 0, BODY_MARKDOWN, 0 };
    store_page p2 = { 0, "about", "من نحن", "نص", true, NOW, NOW + 1, 0, BODY_MARKDOWN, 0 };
    store_page hidden = { 0, "hidden", "مخفية", "نص", false, NOW, NOW, 0, BODY_MARKDOWN, 0 };
    assert_int_equal(store_page_insert(f->s, &p1), 0);
    assert_int_equal(store_page_insert(f->s, &p2), 0);
    assert_int_equal(store_page_insert(f->s, &hidden), 0);
    assert_true(p1.id > 0 && p2.id > 0 && p1.id != p2.id);
    store_page p, *pages;
    size_t n;
    assert_int_equal(store_page_by_slug(f->s, f->a, "about", &p), 0);
    assert_int_equal(p.id, p2.id);
    assert_string_equal(p.title, "من نحن");
    assert_string_equal(p.body_md, "نص");
    assert_true(p.published);
    assert_int_equal(p.published_at, NOW);
    assert_int_equal(p.updated_at, NOW + 1);
    assert_int_equal(store_page_by_slug(f->s, f->a, "hidden", &p), NS_ENOTFOUND);
    assert_int_equal(store_page_list(f->s, f->a, &pages, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(pages[0].slug, "privacy"); /* سياسة < من */
    assert_string_equal(pages[1].slug, "about");
    assert_int_equal(store_page_insert(f->s, &p1), NS_EEXIST);
}

/* Redirects match the exact decoded path, with their status (301, 302). */
static void test_redirects(void **state)
{
    fx *f = *state;
    store_redirect r = { "/2022/03/31/سلاح/", "/target/", 301 }, got;
    assert_int_equal(store_redirect_insert(f->s, &r), 0);
    assert_int_equal(store_redirect_insert(f->s, &r), NS_EEXIST);
    store_redirect temp = { "/tmp/", "/about/", 302 };
    assert_int_equal(store_redirect_insert(f->s, &temp), 0);
    r.from_path = "/other/";
    r.status = 200;
    assert_int_equal(store_redirect_insert(f->s, &r), NS_EINVAL);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/2022/03/31/سلاح/", &got), 0);
    assert_string_equal(got.from_path, "/2022/03/31/سلاح/");
    assert_string_equal(got.to_path, "/target/");
    assert_int_equal(got.status, 301);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/tmp/", &got), 0);
    assert_int_equal(got.status, 302);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/2022/03/31/سلاح", &got), NS_ENOTFOUND);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/TMP/", &got), NS_ENOTFOUND);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/other/", &got), NS_ENOTFOUND);
}

/* A setting is set, overwritten (an empty value is a value), listed by key. */
static void test_settings(void **state)
{
    fx *f = *state;
    const char *v;
    assert_int_equal(store_setting_get(f->s, f->a, "site_name", &v), NS_ENOTFOUND);
    assert_int_equal(store_setting_set(f->s, "site_name", "نشرة"), 0);
    assert_int_equal(store_setting_set(f->s, "follow_x", ""), 0);
    assert_int_equal(store_setting_set(f->s, "site_name", "نشرة اليوم"), 0);
    assert_string_equal(setting(f, "site_name"), "نشرة اليوم");
    assert_string_equal(setting(f, "follow_x"), "");
    store_setting *kv;
    size_t n;
    assert_int_equal(store_setting_list(f->s, f->a, &kv, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(kv[0].key, "follow_x");
    assert_string_equal(kv[0].value, "");
    assert_string_equal(kv[1].key, "site_name");
    assert_string_equal(kv[1].value, "نشرة اليوم");
    assert_int_equal(store_setting_set(f->s, "follow_x", "https://x.com/a"), 0);
    assert_string_equal(setting(f, "follow_x"), "https://x.com/a");
}

/* ---- writes ---- */

/* Duplicates are NS_EEXIST, broken references and empty required text
 * NS_EINVAL, and a refused write leaves nothing behind. */
static void test_write_validation(void **state)
{
    fx *f = *state;
    store_article ar = { .slug = "target", .title = "عنوان", .status = ARTICLE_PUBLISHED };
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EEXIST);
    ar.slug = "new";
    ar.title = "";
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    ar.title = NULL;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    ar.title = "عنوان";
    ar.slug = "";
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    ar.slug = "new";
    ar.author_id = 777;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    ar.author_id = 0;
    ar.category_id = 778;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    ar.category_id = 0;
    int64_t bad_tags[] = { f->tag_x, 888 };
    assert_int_equal(store_article_insert(f->s, &ar, bad_tags, 2), NS_EINVAL); /* all or nothing */
    ar.status = (article_status)9;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
    store_query q = { .now = NOW, .limit = 100, .tag_id = f->tag_x };
    int64_t n;
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, 4);

    store_author au = { 0, "ahmed", "آخر", NULL, NULL, NULL };
    assert_int_equal(store_author_insert(f->s, &au), NS_EEXIST);
    au.slug = "other";
    au.name = "";
    assert_int_equal(store_author_insert(f->s, &au), NS_EINVAL);
    store_category c = { 0, 0, "politics", "سياسة", NULL, 0 };
    assert_int_equal(store_category_insert(f->s, &c), NS_EEXIST);
    c.slug = "orphan";
    c.parent_id = 5555;
    assert_int_equal(store_category_insert(f->s, &c), NS_EINVAL);
    c.parent_id = 0;
    c.name = NULL;
    assert_int_equal(store_category_insert(f->s, &c), NS_EINVAL);
    store_page pg = { 0, "", "عنوان", NULL, true, NOW, NOW, 0, BODY_MARKDOWN, 0 };
    assert_int_equal(store_page_insert(f->s, &pg), NS_EINVAL);
    assert_int_equal(store_setting_set(f->s, "", "v"), NS_EINVAL);
    store_redirect r = { "", "/x/", 301 };
    assert_int_equal(store_redirect_insert(f->s, &r), NS_EINVAL);
    assert_int_equal(head(f), f->seq); /* nothing was written */
}

/* Malformed UTF-8 in any text of any write is refused with NS_EINVAL,
 * whether the field is required or not, and nothing is written. */
static const char *const malformed[] = {
    "\xff",                        /* never in UTF-8 */
    "نص \x80 نص",                  /* lone continuation byte */
    "نص \xd8",                     /* truncated at the end */
    "\xd8" "a",                    /* lead byte without its continuation */
    "\xc0\xaf",                    /* overlong '/' */
    "\xe0\x80\xaf",                /* overlong, three bytes */
    "\xed\xa0\x80",                /* a UTF-16 surrogate */
    "\xf4\x90\x80\x80",            /* beyond U+10FFFF */
    NULL,
};

/* Every kind of write, each with bad in one of its text fields; the count
 * of writes that were not refused with NS_EINVAL. */
static int writes_accepting(fx *f, const char *bad)
{
    store_author au = { 0, "bad-author", "اسم", bad, NULL, NULL };
    store_category c = { 0, 0, "bad-cat", bad, NULL, 0 };
    store_tag t = { 0, NULL, bad };
    store_article ar = { .slug = "bad-art", .title = "عنوان", .body_md = bad,
                         .status = ARTICLE_PUBLISHED };
    store_article up;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &up), 0);
    up.lead = bad;
    store_comment cm = { 0, f->target, 0, "قارئ", NULL, NULL, bad, NULL, NULL, COMMENT_APPROVED, NOW, NULL, 0 };
    store_page p = { 0, "bad-page", bad, NULL, true, NOW, NOW, 0, BODY_MARKDOWN, 0 };
    store_redirect r = { "/bad/", bad, 301 };
    int rcs[] = {
        store_author_insert(f->s, &au), store_category_insert(f->s, &c),
        store_tag_ensure(f->s, &t), store_article_insert(f->s, &ar, NULL, 0),
        store_article_update(f->s, &up, NULL, 0), store_comment_insert(f->s, &cm),
        store_page_insert(f->s, &p), store_setting_set(f->s, "k", bad),
        store_setting_set(f->s, bad, "v"), store_redirect_insert(f->s, &r),
    };
    int accepted = 0;
    for (size_t i = 0; i < sizeof rcs / sizeof rcs[0]; i++)
        if (rcs[i] != NS_EINVAL) {
            print_error("write %zu: %d, not NS_EINVAL\n", i, rcs[i]);
            accepted++;
        }
    return accepted;
}

static void test_invalid_utf8(void **state)
{
    fx *f = *state;
    for (int i = 0; malformed[i]; i++)
        if (writes_accepting(f, malformed[i]) != 0)
            fail_msg("malformed text %d was not refused", i);
    assert_int_equal(head(f), f->seq);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    assert_string_equal(ar.lead, "مقدمة");
}

/* Text comes back byte for byte: Arabic with its marks, Persian letters,
 * presentation forms, invisible joiners and direction marks, four-byte
 * characters, SQL metacharacters, whitespace at either end. */
static const char *const texts[] = {
    "«عاجل»: وفد يصل إلى القاهرة — ١٢٣٤٥٦٧٨٩٠ ٪ ؟ ؛ ،",
    "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ",
    "ﻻ ﷺ ﷲ ﴾آية﴿",
    "گزارش پژوهش چاپ",
    "مرحبا\xe2\x80\x8c\xe2\x80\x8d\xe2\x80\x8f\xe2\x80\x8e\xc2\xa0نهاية",
    "سطر\tأول\r\nسطر ثانٍ\n",
    "  مسافات في الطرفين  ",
    "'اقتباس' \"مزدوج\" \\ % _ ;-- $1 ?",
    "😀 🇵🇸 👍🏽 𝔸",
};
#define NTEXTS (sizeof texts / sizeof texts[0])

/* An article's text members, by offset, for tables of what to write in
 * each and what to read back. */
#define TEXT_OF(ar, off) (*(const char **)((char *)(ar) + (off)))
static const size_t article_texts[] = {
    offsetof(store_article, title), offsetof(store_article, kicker),
    offsetof(store_article, lead), offsetof(store_article, body_md),
    offsetof(store_article, source), offsetof(store_article, image_alt),
    offsetof(store_article, image_caption), offsetof(store_article, body_html),
};
static const size_t article_optional_texts[] = {
    offsetof(store_article, kicker), offsetof(store_article, lead),
    offsetof(store_article, body_md), offsetof(store_article, source),
    offsetof(store_article, video_url), offsetof(store_article, image_url),
    offsetof(store_article, image_alt), offsetof(store_article, image_caption),
    offsetof(store_article, body_html),
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The article as stored has the text members at offs of want, byte for byte. */
static void assert_article_texts(fx *f, store_article *want, const size_t *offs, size_t n)
{
    store_article got;
    assert_int_equal(store_article_by_id(f->s, f->a, want->id, &got), 0);
    for (size_t i = 0; i < n; i++)
        assert_text(TEXT_OF(want, offs[i]), TEXT_OF(&got, offs[i]));
}

static void test_arabic_round_trip(void **state)
{
    fx *f = *state;
    store_article ar = { .slug = "مقال-عربي", .status = ARTICLE_PUBLISHED, .published_at = NOW - HOUR };
    for (size_t i = 0; i < NELEM(article_texts); i++)
        TEXT_OF(&ar, article_texts[i]) = texts[i];
    store_tag t = { 0, "emoji", texts[NTEXTS - 1] };
    assert_int_equal(store_tag_ensure(f->s, &t), 0);
    assert_int_equal(store_article_insert(f->s, &ar, &t.id, 1), 0);
    assert_article_texts(f, &ar, article_texts, NELEM(article_texts));
    store_article got;
    assert_int_equal(store_article_by_slug(f->s, f->a, "مقال-عربي", NOW, &got), 0);
    assert_int_equal(got.id, ar.id);
    assert_int_equal(got.ntags, 1);
    assert_text(texts[NTEXTS - 1], got.tags[0].name);
    for (size_t i = 0; i < NTEXTS; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%zu", i);
        assert_int_equal(store_setting_set(f->s, key, texts[i]), 0);
        store_comment c = { 0, f->target, 0, texts[i], NULL, texts[i], texts[i], NULL, texts[i],
                            COMMENT_PENDING, NOW + (int64_t)i, NULL, 0 };
        assert_int_equal(store_comment_insert(f->s, &c), 0);
    }
    store_comment *list;
    size_t n;
    assert_int_equal(store_comment_list_all(f->s, f->a, f->target, COMMENT_PENDING, &list, &n), 0);
    assert_int_equal(n, NTEXTS);
    for (size_t i = 0; i < NTEXTS; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%zu", i);
        assert_text(texts[i], setting(f, key));
        assert_text(texts[i], list[i].body);
        assert_text(texts[i], list[i].author_name);
        assert_text(texts[i], list[i].author_url);
        assert_text(texts[i], list[i].user_agent);
    }
    assert_int_equal(store_setting_set(f->s, "عنوان_الموقع", texts[0]), 0);
    assert_text(texts[0], setting(f, "عنوان_الموقع"));
    store_author au = { 0, "arabic", texts[1], texts[2], NULL, NULL }, gau;
    assert_int_equal(store_author_insert(f->s, &au), 0);
    assert_int_equal(store_author_by_slug(f->s, f->a, "arabic", &gau), 0);
    assert_text(texts[1], gau.name);
    assert_text(texts[2], gau.bio);
}

/* Arabic text of copies times the same 20 bytes, on arena a. */
static char *long_text(arena_t *a, size_t copies)
{
    static const char unit[] = "نشرة أخبار ";
    const size_t len = sizeof unit - 1;
    char *t = arena_alloc(a, copies * len + 1);
    for (size_t i = 0; i < copies; i++)
        memcpy(t + i * len, unit, len);
    t[copies * len] = '\0';
    return t;
}

/* Very long text is kept whole: a 4 MB body, a 64 KB title, comment and
 * setting, through reads of one row and of lists. */
static void test_long_text(void **state)
{
    fx *f = *state;
    const char *body = long_text(f->a, 200000), *mid = long_text(f->a, 3200);
    store_article ar = { .slug = "long", .title = mid, .body_md = body, .body_html = body,
                         .status = ARTICLE_PUBLISHED, .published_at = NOW };
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
    store_article got;
    assert_int_equal(store_article_by_slug(f->s, f->a, "long", NOW, &got), 0);
    assert_text(body, got.body_md);
    assert_text(body, got.body_html);
    assert_text(mid, got.title);
    store_query q = { .now = NOW, .limit = 1, .with_body = true };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.items[0].id, ar.id);
    assert_text(body, l.items[0].body_md);
    store_comment c = { 0, ar.id, 0, "قارئ", NULL, NULL, mid, NULL, NULL, COMMENT_APPROVED, NOW, NULL, 0 };
    assert_int_equal(store_comment_insert(f->s, &c), 0);
    store_comment *list;
    size_t n;
    assert_int_equal(store_comment_list(f->s, f->a, ar.id, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 1);
    assert_text(mid, list[0].body);
    assert_int_equal(store_setting_set(f->s, "long", mid), 0);
    assert_text(mid, setting(f, "long"));
}

/* An optional field left NULL reads NULL and one set to "" reads "", in
 * both directions of an update: the two are different answers. */
static void test_null_and_empty(void **state)
{
    fx *f = *state;
    store_article ar = { .slug = "optional", .title = "عنوان", .status = ARTICLE_PUBLISHED,
                         .published_at = NOW };
    for (size_t i = 0; i < NELEM(article_optional_texts); i++) /* "" and NULL in turn */
        TEXT_OF(&ar, article_optional_texts[i]) = i % 2 ? NULL : "";
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
    assert_article_texts(f, &ar, article_optional_texts, NELEM(article_optional_texts));
    for (size_t i = 0; i < NELEM(article_optional_texts); i++)
        TEXT_OF(&ar, article_optional_texts[i]) = i % 2 ? "" : NULL;
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_article_texts(f, &ar, article_optional_texts, NELEM(article_optional_texts));

    store_author au = { 0, "empty", "فارغ", "", NULL, "" }, gau;
    assert_int_equal(store_author_insert(f->s, &au), 0);
    assert_int_equal(store_author_by_slug(f->s, f->a, "empty", &gau), 0);
    assert_text("", gau.bio);
    assert_null(gau.email);
    assert_text("", gau.avatar_url);
    store_category c = { 0, 0, "empty", "فارغ", "", 0 }, gc;
    assert_int_equal(store_category_insert(f->s, &c), 0);
    assert_int_equal(store_category_by_slug(f->s, f->a, "empty", &gc), 0);
    assert_text("", gc.description);
    store_category none = { 0, 0, "none", "لا شيء", NULL, 0 };
    assert_int_equal(store_category_insert(f->s, &none), 0);
    assert_int_equal(store_category_by_id(f->s, f->a, none.id, &gc), 0);
    assert_null(gc.description);
    store_page p = { 0, "empty", "فارغ", NULL, true, NOW, NOW, 0, BODY_MARKDOWN, 0 }, gp;
    assert_int_equal(store_page_insert(f->s, &p), 0);
    assert_int_equal(store_page_by_slug(f->s, f->a, "empty", &gp), 0);
    assert_null(gp.body_md);
    store_comment cm = { 0, f->target, 0, "قارئ", "", NULL, "نص", "", NULL, COMMENT_PENDING, NOW, NULL, 0 };
    assert_int_equal(store_comment_insert(f->s, &cm), 0);
    store_comment *list;
    size_t n;
    assert_int_equal(store_comment_list_all(f->s, f->a, f->target, COMMENT_PENDING, &list, &n), 0);
    assert_int_equal(n, 1);
    assert_text("", list[0].author_email);
    assert_null(list[0].author_url);
    assert_text("", list[0].ip);
    assert_null(list[0].user_agent);
}

/* Times are 64-bit Unix seconds, before 1970 and after 2038 alike, and a
 * category's position may be negative. */
static void test_numbers(void **state)
{
    fx *f = *state;
    const int64_t before_1970 = -86400LL * 365, year_2100 = 4102444800LL,
                  year_9999 = 253402300799LL;
    store_article ar = { .slug = "times", .title = "عنوان", .status = ARTICLE_PUBLISHED,
                         .created_at = year_2100, .published_at = before_1970,
                         .updated_at = year_9999 };
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
    store_article got;
    assert_int_equal(store_article_by_slug(f->s, f->a, "times", NOW, &got), 0);
    assert_int_equal(got.created_at, year_2100);
    assert_int_equal(got.published_at, before_1970);
    assert_int_equal(got.updated_at, year_9999);
    int64_t when;
    assert_int_equal(store_last_modified(f->s, NOW, &when), 0);
    assert_int_equal(when, year_9999);
    ar.slug = "later";
    ar.published_at = year_2100;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
    assert_int_equal(store_next_publish(f->s, NOW + 6 * HOUR, &when), 0);
    assert_int_equal(when, year_2100);
    assert_int_equal(store_article_by_slug(f->s, f->a, "later", year_2100, &got), 0);
    store_comment c = { 0, f->target, 0, "قارئ", NULL, NULL, "نص", NULL, NULL, COMMENT_APPROVED,
                        year_9999, NULL, 0 };
    assert_int_equal(store_comment_insert(f->s, &c), 0);
    store_comment *list;
    size_t n;
    assert_int_equal(store_comment_list(f->s, f->a, f->target, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(list[0].created_at, year_9999);
    int64_t first = category(f, "first", "أولى", 0, -5);
    store_category *cats;
    assert_int_equal(store_category_list(f->s, f->a, &cats, &n), 0);
    assert_int_equal(cats[0].id, first);
    assert_int_equal(cats[0].position, -5);
}

static void test_update(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->draft, &ar), 0);
    ar.status = ARTICLE_PUBLISHED;
    ar.title = "منشور الآن";
    ar.kicker = "عاجل";
    ar.comments_open = false;
    ar.category_id = f->sports;
    ar.author_id = f->author2;
    ar.updated_at = 0;
    int64_t z[] = { f->tag_z };
    assert_int_equal(store_article_update(f->s, &ar, z, 1), 0);
    assert_true(ar.updated_at > 0);
    store_article got;
    assert_int_equal(store_article_by_slug(f->s, f->a, "draft", NOW, &got), 0);
    assert_string_equal(got.title, "منشور الآن");
    assert_string_equal(got.kicker, "عاجل");
    assert_false(got.comments_open);
    assert_int_equal(got.category.id, f->sports);
    assert_string_equal(got.author.name, "ليلى");
    assert_int_equal(got.ntags, 1);
    assert_int_equal(got.tags[0].id, f->tag_z);
    assert_int_equal(got.updated_at, ar.updated_at);
    ar.updated_at = NOW + 7; /* a given time is kept */
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->draft, &got), 0);
    assert_int_equal(got.updated_at, NOW + 7);
    assert_int_equal(got.ntags, 0);
    ar.slug = "target";
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), NS_EEXIST);
    ar.slug = "draft";
    ar.category_id = 999999;
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), NS_EINVAL);
    ar.category_id = f->sports;
    ar.id = 999999;
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), NS_ENOTFOUND);
    assert_int_equal(store_article_by_id(f->s, f->a, f->draft, &got), 0);
    assert_int_equal(got.category.id, f->sports);
}

/* Deleting an article takes its comments and tag links with it (not the
 * tags), frees its slug, and a second delete finds nothing. */
static void test_delete(void **state)
{
    fx *f = *state;
    store_comment c = { 0, f->target, 0, "قارئ", NULL, NULL, "نص", NULL, NULL, COMMENT_APPROVED, NOW, NULL, 0 };
    assert_int_equal(store_comment_insert(f->s, &c), 0);
    assert_int_equal(store_article_delete(f->s, f->target), 0);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), NS_ENOTFOUND);
    store_comment *list;
    size_t n;
    assert_int_equal(store_comment_list_all(f->s, f->a, f->target, COMMENT_APPROVED, &list, &n), 0);
    assert_int_equal(n, 0);
    store_query q = { .now = NOW, .limit = 100, .tag_id = f->tag_y };
    int64_t count;
    assert_int_equal(store_article_count(f->s, &q, &count), 0);
    assert_int_equal(count, 1); /* a-both */
    store_tag t;
    assert_int_equal(store_tag_by_slug(f->s, f->a, "أوكرانيا", &t), 0);
    assert_int_equal(visible_count(f), 5);
    assert_int_equal(store_article_delete(f->s, f->target), NS_ENOTFOUND);
    assert_int_equal(store_article_delete(f->s, 999999), NS_ENOTFOUND);
    int64_t again = article(f, "target", ARTICLE_PUBLISHED, NOW - HOUR, f->politics, NULL, 0);
    assert_true(again != f->target);
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
        assert_text(safe[i], got.image_url);
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
 * body_md changes without it (through nashra or by hand), so stale HTML
 * can never be read. */
static void test_body_html(void **state)
{
    fx *f = *state;
    store_article ar, got;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    assert_null(ar.body_html);
    ar.body_html = "<p>نص <strong>المقال</strong></p>\n";
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &got), 0);
    assert_string_equal(got.body_html, "<p>نص <strong>المقال</strong></p>\n");
    got.title = "عنوان آخر"; /* other fields change: the HTML stays */
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    assert_string_equal(got.body_html, "<p>نص <strong>المقال</strong></p>\n");
    got.body_md = "جديد"; /* both change together: both kept */
    got.body_html = "<p>جديد</p>\n";
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    assert_string_equal(got.body_md, "جديد");
    assert_string_equal(got.body_html, "<p>جديد</p>\n");
    got.body_md = "أحدث"; /* body_md changes, body_html left as read: cleared */
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    assert_string_equal(got.body_md, "أحدث");
    assert_null(got.body_html);
    got.body_html = "<p>أحدث</p>\n";
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    raw(f, "UPDATE articles SET body_md = 'يدوي' WHERE slug = 'target'");
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &got), 0);
    assert_string_equal(got.body_md, "يدوي");
    assert_null(got.body_html);
    /* lists return it only with the body */
    got.body_html = "<p>يدوي</p>\n";
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    store_query q = { .now = NOW, .limit = 100, .with_body = true };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.items[2].id, f->target);
    assert_string_equal(l.items[2].body_html, "<p>يدوي</p>\n");
    q.with_body = false;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    for (size_t i = 0; i < l.n; i++)
        assert_null(l.items[i].body_html);
}

/* ---- transactions ---- */

/* An explicit transaction commits or rolls back as a whole; a refused
 * write inside it does not end it. */
static void test_transactions(void **state)
{
    fx *f = *state;
    const char *v;
    assert_false(store_in_transaction(f->s));
    assert_int_equal(store_begin(f->s), 0);
    assert_true(store_in_transaction(f->s));
    assert_int_equal(store_setting_set(f->s, "a", "1"), 0);
    assert_int_equal(store_article_delete(f->s, f->target), 0);
    assert_int_equal(store_rollback(f->s), 0);
    assert_false(store_in_transaction(f->s));
    assert_int_equal(store_setting_get(f->s, f->a, "a", &v), NS_ENOTFOUND);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    assert_int_equal(ar.ntags, 2);

    store_t *other = open_other(f, 0);
    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(store_setting_set(f->s, "a", "2"), 0);
    store_author dup = { 0, "ahmed", "x", NULL, NULL, NULL };
    assert_int_equal(store_author_insert(f->s, &dup), NS_EEXIST);
    assert_true(store_in_transaction(f->s));
    assert_int_equal(store_setting_set(f->s, "b", "3"), 0);
    assert_int_equal(store_setting_get(other, f->a, "a", &v), NS_ENOTFOUND); /* not yet */
    assert_int_equal(store_commit(f->s), 0);
    assert_false(store_in_transaction(f->s));
    assert_int_equal(store_setting_get(other, f->a, "a", &v), 0);
    assert_string_equal(v, "2");
    assert_int_equal(store_setting_get(other, f->a, "b", &v), 0);
    assert_string_equal(v, "3");
}

/* store_write's function: two settings, then the code it was told to
 * return; counts its calls. */
typedef struct write_job {
    const char *value;
    int rc, busy_calls; /* return rc, but NS_EBUSY on the first busy_calls calls */
    int calls;
} write_job;

static int write_two(store_t *s, void *arg)
{
    write_job *j = arg;
    j->calls++;
    int rc = store_setting_set(s, "one", j->value);
    if (rc == 0)
        rc = store_setting_set(s, "two", j->value);
    if (rc == 0 && j->calls <= j->busy_calls)
        return NS_EBUSY;
    return rc ? rc : j->rc;
}

/* Both settings hold value. */
static void assert_two(fx *f, const char *value)
{
    assert_string_equal(setting(f, "one"), value);
    assert_string_equal(setting(f, "two"), value);
}

/* store_write runs its function as one transaction: all of it or, on the
 * function's error, none of it; inside store_begin, a savepoint that
 * undoes only itself. */
static void test_write_function(void **state)
{
    fx *f = *state;
    write_job ok = { "1", 0, 0, 0 }, fails = { "2", NS_EINVAL, 0, 0 };
    assert_int_equal(store_write(f->s, write_two, &ok), 0);
    assert_int_equal(ok.calls, 1);
    assert_false(store_in_transaction(f->s));
    assert_two(f, "1");
    assert_int_equal(store_write(f->s, write_two, &fails), NS_EINVAL);
    assert_int_equal(fails.calls, 1); /* an error is not retried */
    assert_false(store_in_transaction(f->s));
    assert_two(f, "1");

    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(store_setting_set(f->s, "three", "3"), 0);
    fails.value = "4";
    assert_int_equal(store_write(f->s, write_two, &fails), NS_EINVAL);
    assert_true(store_in_transaction(f->s));
    assert_two(f, "1");
    ok.value = "5";
    assert_int_equal(store_write(f->s, write_two, &ok), 0);
    assert_int_equal(store_commit(f->s), 0);
    assert_two(f, "5");
    assert_string_equal(setting(f, "three"), "3");
}

/* A busy database is retried from the start, the function included, up
 * to STORE_WRITE_TRIES times; then NS_EBUSY, with nothing written and no
 * transaction left open. A busy that a retry overcame is no failed read. */
static void test_write_retries_busy(void **state)
{
    fx *f = *state;
    write_job once = { "1", 0, 1, 0 }, always = { "2", 0, STORE_WRITE_TRIES, 0 };
    assert_int_equal(store_write(f->s, write_two, &once), 0);
    assert_int_equal(once.calls, 2);
    assert_two(f, "1");
    assert_int_equal(store_write(f->s, write_two, &always), NS_EBUSY);
    assert_int_equal(always.calls, STORE_WRITE_TRIES);
    assert_false(store_in_transaction(f->s));
    assert_two(f, "1");

    store_deps d;
    store_deps_init(&d, f->a);
    store_track(f->s, &d);
    store_fault(f->s, 1, NS_EBUSY, false); /* the start of the first attempt */
    assert_int_equal(store_setting_set(f->s, "k", "1"), 0);
    assert_int_equal(d.failed, 0);
    store_track(f->s, NULL);
    assert_string_equal(setting(f, "k"), "1");
    store_fault(f->s, 1, NS_EBUSY, true); /* busy for good */
    assert_int_equal(store_setting_set(f->s, "k", "2"), NS_EBUSY);
    store_fault(f->s, 0, 0, false);
    assert_false(store_in_transaction(f->s));
    assert_string_equal(setting(f, "k"), "1");
}

/* store_write's function that fails the first step of its second write. */
static int write_then_fail(store_t *s, void *arg)
{
    (void)arg;
    int rc = store_setting_set(s, "one", "lost");
    if (rc == 0) {
        store_fault(s, 1, NS_EIO, false);
        rc = store_setting_set(s, "two", "lost");
    }
    return rc;
}

/* A failure in the middle of a write (a full disk) is returned, not
 * retried, and undoes all of it. */
static void test_write_fault_rolls_back(void **state)
{
    fx *f = *state;
    write_job ok = { "1", 0, 0, 0 };
    assert_int_equal(store_write(f->s, write_two, &ok), 0);
    assert_int_equal(store_write(f->s, write_then_fail, NULL), NS_EIO);
    assert_false(store_in_transaction(f->s));
    assert_two(f, "1");
    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(store_write(f->s, write_then_fail, NULL), NS_EIO); /* as a savepoint */
    assert_true(store_in_transaction(f->s));
    assert_int_equal(store_setting_set(f->s, "three", "3"), 0);
    assert_int_equal(store_commit(f->s), 0);
    assert_two(f, "1");
    assert_string_equal(setting(f, "three"), "3");
}

/* A read snapshot sees the database as of its first read, whatever is
 * committed meanwhile; writes inside it are a bug (NS_EINTERNAL) that does
 * not end it; after it, the commit is seen, and writes succeed. */
static void test_read_snapshot(void **state)
{
    fx *f = *state;
    store_t *other = open_other(f, 0);
    assert_int_equal(store_setting_set(f->s, "k", "1"), 0);
    assert_int_equal(store_read_begin(f->s), 0);
    assert_true(store_in_transaction(f->s));
    assert_string_equal(setting(f, "k"), "1");
    assert_int_equal(store_setting_set(other, "k", "2"), 0);
    assert_int_equal(store_article_delete(other, f->target), 0);
    assert_string_equal(setting(f, "k"), "1");
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    assert_int_equal(visible_count(f), 6);
    assert_int_equal(store_setting_set(f->s, "k", "mine"), NS_EINTERNAL);
    assert_int_equal(store_write(f->s, write_nothing, NULL), NS_EINTERNAL);
    assert_int_equal(store_begin(f->s), NS_EINTERNAL);
    assert_string_equal(setting(f, "k"), "1");
    assert_int_equal(store_read_end(f->s), 0);
    assert_false(store_in_transaction(f->s));
    assert_string_equal(setting(f, "k"), "2");
    assert_int_equal(visible_count(f), 5);
    assert_int_equal(store_setting_set(f->s, "k", "mine"), 0);
    const char *v;
    assert_int_equal(store_setting_get(other, f->a, "k", &v), 0);
    assert_string_equal(v, "mine");
}

/* store_read_end always ends the snapshot, even when ending it failed. */
static void test_read_end_failure_leaves_no_transaction(void **state)
{
    fx *f = *state;
    assert_int_equal(store_read_begin(f->s), 0);
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    store_fault(f->s, 1, NS_EIO, false);
    assert_int_equal(store_read_end(f->s), NS_EIO);
    assert_false(store_in_transaction(f->s));
    assert_int_equal(store_setting_set(f->s, "k", "v"), 0);
    assert_string_equal(setting(f, "k"), "v");
}

/* ---- what changed ---- */

/* store_changed: true on the first call, then only after a commit, by
 * another connection, by a program other than nashra, or through s
 * itself; a rollback or a read is no change. */
static void test_changed(void **state)
{
    fx *f = *state;
    store_t *other = open_other(f, 0);
    assert_true(changed(f->s));
    assert_true(changed(other));
    assert_false(changed(f->s));
    assert_int_equal(store_setting_set(other, "k", "1"), 0);
    assert_true(seen_change(f, f->s));
    assert_false(changed(f->s));
    assert_true(seen_change(f, other)); /* its own commit */
    assert_false(changed(other));
    raw(f, "UPDATE settings SET value = '2' WHERE key = 'k'");
    assert_true(seen_change(f, f->s));
    assert_true(seen_change(f, other));
    assert_false(changed(f->s));
    assert_int_equal(store_setting_set(f->s, "k", "3"), 0);
    assert_true(seen_change(f, f->s));
    assert_false(changed(f->s));
    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(store_setting_set(f->s, "k", "4"), 0);
    assert_int_equal(store_rollback(f->s), 0);
    assert_int_equal(store_read_begin(f->s), 0);
    assert_string_equal(setting(f, "k"), "3");
    assert_int_equal(store_read_end(f->s), 0);
    assert_false(changed(f->s));
}

/* A connection opened after another program committed still reports a
 * change on its first call (pages cached before may predate the commit),
 * and only then. */
static void test_new_connection_sees_earlier_commit(void **state)
{
    fx *f = *state;
    raw(f, "INSERT INTO settings(key, value) VALUES ('k', '9')");
    store_t *late = open_other(f, 0);
    assert_true(changed(late));
    assert_false(changed(late));
}

/* A category updated by id: the navigation's order follows its position,
 * the change is a site-wide key, and a missing or broken one is refused. */
static void test_category_update(void **state)
{
    fx *f = *state;
    store_category c, *cats;
    size_t n;
    news(f);
    assert_int_equal(store_category_by_id(f->s, f->a, f->sports, &c), 0);
    c.position = -1;
    c.name = "الرياضة";
    assert_int_equal(store_category_update(f->s, &c), 0);
    assert_news(f, D(ALL, 0));
    assert_int_equal(store_category_list(f->s, f->a, &cats, &n), 0);
    assert_int_equal(cats[0].id, f->sports);
    assert_string_equal(cats[0].name, "الرياضة");
    assert_string_equal(cats[0].slug, "sports");
    c.id = 999999;
    assert_int_equal(store_category_update(f->s, &c), NS_ENOTFOUND);
    c.id = f->sports;
    c.slug = "politics";
    assert_int_equal(store_category_update(f->s, &c), NS_EEXIST);
    c.slug = "sports";
    c.parent_id = 5555;
    assert_int_equal(store_category_update(f->s, &c), NS_EINVAL);
    assert_no_news(f);
}

/* Each kind of write logs the keys of what it changed, and only those. */
static void test_writes_log_their_keys(void **state)
{
    fx *f = *state;
    int64_t xy[] = { f->tag_x, f->tag_y };
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    ar.title = "عنوان آخر"; /* a title is not a list's business */
    assert_int_equal(store_article_update(f->s, &ar, xy, 2), 0);
    assert_news(f, D(ARTICLE, f->target), D(MODIFIED, 0));
    ar.status = ARTICLE_DRAFT; /* leaves every list */
    assert_int_equal(store_article_update(f->s, &ar, xy, 2), 0);
    assert_news(f, D(ARTICLE, f->target), D(LIST, 0), D(MODIFIED, 0));
    ar.title = "مسودة"; /* a draft is on no page */
    assert_int_equal(store_article_update(f->s, &ar, xy, 2), 0);
    assert_no_news(f);

    int64_t id = article(f, "new", ARTICLE_PUBLISHED, NOW, f->sports, NULL, 0);
    assert_news(f, D(ARTICLE, id), D(LIST, 0), D(MODIFIED, 0));
    int64_t draft = article(f, "new-draft", ARTICLE_DRAFT, NOW, f->sports, NULL, 0);
    assert_no_news(f);
    assert_int_equal(store_article_delete(f->s, draft), 0);
    assert_no_news(f);
    assert_int_equal(store_article_delete(f->s, id), 0);
    assert_news(f, D(ARTICLE, id), D(LIST, 0), D(MODIFIED, 0));

    store_comment cm = { .article_id = f->a_both, .author_name = "س", .body = "نص",
                         .status = COMMENT_PENDING, .created_at = NOW };
    assert_int_equal(store_comment_insert(f->s, &cm), 0);
    assert_no_news(f); /* held comments are on no page */
    assert_int_equal(store_comment_set_status(f->s, cm.id, COMMENT_APPROVED), 0);
    assert_news(f, D(COMMENTS, f->a_both));
    assert_int_equal(store_comment_set_status(f->s, cm.id, COMMENT_SPAM), 0);
    assert_news(f, D(COMMENTS, f->a_both));
    assert_int_equal(store_comment_set_status(f->s, cm.id, COMMENT_TRASH), 0);
    assert_no_news(f);

    assert_int_equal(store_setting_set(f->s, "site_name", "نشرة"), 0);
    assert_news(f, D(ALL, 0));
    store_redirect r = { "/old/", "/a/", 301 };
    assert_int_equal(store_redirect_insert(f->s, &r), 0);
    assert_news(f, D(REDIRECTS, 0));
    author(f, "new", "جديد", NULL, NULL);
    assert_news(f, D(ALL, 0));
    category(f, "new", "جديد", 0, 9);
    assert_news(f, D(ALL, 0));
    store_page p = { 0, "new", "جديد", NULL, true, NOW, NOW, 0, BODY_MARKDOWN, 0 };
    assert_int_equal(store_page_insert(f->s, &p), 0);
    assert_news(f, D(ALL, 0));
    tag(f, "وسم جديد");
    assert_news(f, D(ALL, 0));
    tag(f, "وسم جديد"); /* already there: nothing written */
    assert_no_news(f);
}

/* Replacing an article's tags by the same tags logs nothing about lists;
 * dropping or adding one does. */
static void test_same_tags_log_no_list_change(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    int64_t tags[] = { f->tag_x, f->tag_y, f->tag_z };
    ar.lead = "مقدمة جديدة";
    assert_int_equal(store_article_update(f->s, &ar, tags, 2), 0);
    assert_news(f, D(ARTICLE, f->target), D(MODIFIED, 0));
    assert_int_equal(store_article_update(f->s, &ar, tags, 1), 0); /* one tag dropped */
    assert_news(f, D(ARTICLE, f->target), D(LIST, 0), D(MODIFIED, 0));
    assert_int_equal(store_article_update(f->s, &ar, tags, 3), 0); /* two added */
    assert_news(f, D(ARTICLE, f->target), D(LIST, 0), D(MODIFIED, 0));
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    assert_int_equal(ar.ntags, 3);
}

/* Raw SQL from outside nashra is logged as exactly as nashra's writes. */
static void test_raw_sql_is_logged(void **state)
{
    fx *f = *state;
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE articles SET title = 'x' WHERE id = %lld", (long long)f->a_both);
    raw(f, sql);
    assert_news(f, D(ARTICLE, f->a_both), D(MODIFIED, 0));
    raw(f, "INSERT INTO settings(key, value) VALUES ('follow_x', 'https://x.com/a')");
    assert_news(f, D(ALL, 0));
    assert_no_news(f); /* read once */
    snprintf(sql, sizeof sql, "UPDATE articles SET status = 'draft' WHERE id = %lld",
             (long long)f->a_both);
    raw(f, sql);
    assert_news(f, D(ARTICLE, f->a_both), D(LIST, 0), D(MODIFIED, 0));
    /* a tag moved by hand */
    raw(f, "INSERT INTO tags(slug, name) VALUES ('t1', 't1'), ('t2', 't2')");
    snprintf(sql, sizeof sql, "INSERT INTO article_tags(article_id, tag_id)"
             " SELECT %lld, id FROM tags WHERE slug = 't1'", (long long)f->e_same_cat);
    raw(f, sql);
    assert_news(f, D(ALL, 0), D(ARTICLE, f->e_same_cat), D(LIST, 0));
    raw(f, "UPDATE article_tags SET tag_id = (SELECT id FROM tags WHERE slug = 't2')"
           " WHERE tag_id = (SELECT id FROM tags WHERE slug = 't1')");
    assert_news(f, D(ARTICLE, f->e_same_cat), D(LIST, 0));
    snprintf(sql, sizeof sql, "UPDATE comments SET status = 'approved' WHERE article_id = %lld",
             (long long)f->target);
    raw(f, sql); /* no comments: no rows changed */
    assert_no_news(f);
}

/* A reader that missed rows (pruned, or removed by hand) is told to drop
 * everything, and starts again from the newest change. */
static void test_gap_means_all(void **state)
{
    fx *f = *state;
    assert_int_equal(store_setting_set(f->s, "a", "1"), 0);
    assert_int_equal(store_setting_set(f->s, "b", "2"), 0);
    int64_t h = head(f);
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM changes WHERE seq = %lld", (long long)(f->seq + 1));
    raw(f, sql);
    store_changes c = news(f);
    assert_true(c.all);
    assert_int_equal(c.n, 0);
    assert_int_equal(c.last, h);
    assert_no_news(f);
}

/* Sequence numbers are contiguous and in commit order: a transaction
 * rolled back or a write refused takes none (a gap would make every
 * reader drop everything), whichever connection writes. */
static void test_sequence_contiguous(void **state)
{
    fx *f = *state;
    int64_t h0 = head(f);
    assert_true(h0 > 0); /* the site's rows were logged */
    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(store_setting_set(f->s, "a", "1"), 0);
    assert_int_equal(store_rollback(f->s), 0);
    store_author dup = { 0, "ahmed", "x", NULL, NULL, NULL };
    assert_int_equal(store_author_insert(f->s, &dup), NS_EEXIST);
    write_job fails = { "2", NS_EINVAL, 0, 0 };
    assert_int_equal(store_write(f->s, write_two, &fails), NS_EINVAL);
    assert_int_equal(head(f), h0);
    store_t *other = open_other(f, 0);
    assert_int_equal(store_setting_set(f->s, "a", "1"), 0);
    assert_int_equal(store_setting_set(other, "b", "2"), 0);
    assert_int_equal(store_setting_set(f->s, "c", "3"), 0);
    int64_t h = head(f);
    assert_true(h >= h0 + 3); /* at least one row each */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM changes WHERE seq > %lld AND seq <= %lld",
             (long long)h0, (long long)h);
    assert_int_equal(raw_int(f, sql), h - h0);
    snprintf(sql, sizeof sql, "SELECT min(seq) FROM changes WHERE seq > %lld", (long long)h0);
    assert_int_equal(raw_int(f, sql), h0 + 1);
    assert_news(f, D(ALL, 0));
    assert_int_equal(f->seq, h);
}

/* Reads record the keys of what they read, while tracked, once each. */
static void test_reads_record_keys(void **state)
{
    fx *f = *state;
    store_deps d;
    store_deps_init(&d, f->a);
    store_track(f->s, &d);
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    assert_true(store_deps_has(&d, D(ARTICLE, f->target)));
    assert_true(store_deps_has(&d, D(COMMENTS, f->target)));
    assert_false(store_deps_has(&d, D(LIST, 0)));
    assert_int_equal(store_article_by_slug(f->s, f->a, "nothing-here", NOW, &ar), NS_ENOTFOUND);
    assert_true(store_deps_has(&d, D(LIST, 0))); /* until an article takes the slug */
    assert_int_equal(d.failed, 0); /* not found is no failure */
    store_query q = { .now = NOW, .limit = 10 };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_true(store_deps_has(&d, D(ARTICLE, f->a_both)));
    assert_false(store_deps_has(&d, D(ARTICLE, f->draft)));
    store_comment *cs;
    size_t n;
    assert_int_equal(store_comment_list(f->s, f->a, f->a_both, COMMENT_APPROVED, &cs, &n), 0);
    assert_true(store_deps_has(&d, D(COMMENTS, f->a_both)));
    assert_false(store_deps_has(&d, D(REDIRECTS, 0)));
    store_redirect r;
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/x/", &r), NS_ENOTFOUND);
    assert_true(store_deps_has(&d, D(REDIRECTS, 0)));
    assert_false(store_deps_has(&d, D(MODIFIED, 0)));
    int64_t when;
    assert_int_equal(store_last_modified(f->s, NOW, &when), 0);
    assert_true(store_deps_has(&d, D(MODIFIED, 0)));
    size_t before = d.n;
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    assert_int_equal(d.n, before); /* once each */
    store_track(f->s, NULL);
    assert_int_equal(store_article_by_slug(f->s, f->a, "a-both", NOW, &ar), 0);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/y/", &r), NS_ENOTFOUND);
    assert_int_equal(d.n, before); /* no longer tracked */
    assert_int_equal(d.failed, 0);
}

/* A failed read is noted in the tracked set, whatever the caller does with
 * its code; the first failure is the one kept. */
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
    store_fault(f->s, 1, NS_EIO, false);
    store_category c;
    assert_int_equal(store_category_by_slug(f->s, f->a, "world", &c), NS_EIO);
    assert_int_equal(d.failed, NS_EBUSY);
    store_track(f->s, NULL);
}

/* ---- faults ---- */

/* An injected fault fails the next call with its code, once; the call
 * after succeeds. Sticky, it fails every call until disarmed. */
static void test_fault_codes(void **state)
{
    fx *f = *state;
    static const int codes[] = { NS_EBUSY, NS_ECORRUPT, NS_EIO, NS_EUNAVAIL };
    const char *v;
    store_article ar;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        uint64_t steps = store_steps(f->s);
        store_fault(f->s, 1, codes[i], false);
        if (store_setting_get(f->s, f->a, "k", &v) != codes[i])
            fail_msg("fault %d not returned by a read", codes[i]);
        assert_true(store_steps(f->s) > steps);
        assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
        assert_false(store_in_transaction(f->s));
    }
    static const int write_codes[] = { NS_ECORRUPT, NS_EIO, NS_EUNAVAIL }; /* busy is retried */
    for (size_t i = 0; i < sizeof write_codes / sizeof write_codes[0]; i++) {
        store_fault(f->s, 1, write_codes[i], false);
        if (store_setting_set(f->s, "k", "lost") != write_codes[i])
            fail_msg("fault %d not returned by a write", write_codes[i]);
        assert_false(store_in_transaction(f->s));
        assert_int_equal(store_setting_get(f->s, f->a, "k", &v), NS_ENOTFOUND);
    }
    store_fault(f->s, 1, NS_EIO, true);
    assert_int_equal(store_setting_get(f->s, f->a, "k", &v), NS_EIO);
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), NS_EIO);
    store_fault(f->s, 0, 0, false);
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    assert_int_equal(store_setting_set(f->s, "k", "kept"), 0);
    assert_string_equal(setting(f, "k"), "kept");
}

/* A failure at every step of a batch of reads and writes: each is
 * reported, and none leaves a transaction open. */
static void test_fault_at_every_step(void **state)
{
    fx *f = *state;
    static const int codes[] = { NS_EBUSY, NS_ECORRUPT, NS_EIO };
    for (uint64_t n = 1; n < 40; n++) {
        store_fault(f->s, n, codes[n % 3], false);
        const char *v;
        store_article ar;
        if (store_read_begin(f->s) == 0) {
            store_setting_get(f->s, f->a, "site_name", &v);
            store_article_by_slug(f->s, f->a, "target", NOW, &ar);
            store_read_end(f->s);
        }
        store_setting_set(f->s, "k", "v");
        store_fault(f->s, 0, 0, false);
        assert_false(store_in_transaction(f->s));
    }
    assert_int_equal(store_setting_set(f->s, "k", "last"), 0);
    assert_string_equal(setting(f, "k"), "last");
}

/* ---- moving a site in and out: version 7 ---- */

/* An article's sticky and video flags and its body's format round-trip
 * through insert, every read and update; an unknown format is refused. */
static void test_article_flags(void **state)
{
    fx *f = *state;
    store_article ar = { .slug = "flags", .title = "علامات", .body_md = "<p>نص</p>",
                         .body_format = BODY_HTML, .sticky = true, .video = true,
                         .status = ARTICLE_PUBLISHED, .published_at = NOW - 3 * HOUR,
                         .category_id = f->sports };
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
    store_article got;
    assert_int_equal(store_article_by_id(f->s, f->a, ar.id, &got), 0);
    assert_true(got.sticky && got.video);
    assert_int_equal(got.body_format, BODY_HTML);
    assert_int_equal(store_article_by_slug(f->s, f->a, "flags", NOW, &got), 0);
    assert_true(got.sticky && got.video);
    assert_int_equal(got.body_format, BODY_HTML);
    store_query q = { .now = NOW, .limit = 10, .category_id = f->sports };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    bool seen = false;
    for (size_t i = 0; i < l.n; i++) {
        if (l.items[i].id == ar.id) {
            seen = l.items[i].sticky && l.items[i].video && l.items[i].body_format == BODY_HTML;
        } else {
            assert_false(l.items[i].sticky || l.items[i].video);
            assert_int_equal(l.items[i].body_format, BODY_MARKDOWN);
        }
    }
    assert_true(seen);
    got.sticky = false;
    got.video = false;
    got.body_format = BODY_MARKDOWN;
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, ar.id, &got), 0);
    assert_false(got.sticky || got.video);
    assert_int_equal(got.body_format, BODY_MARKDOWN);
    got.body_format = (body_format)7;
    assert_int_equal(store_article_update(f->s, &got, NULL, 0), NS_EINVAL);
    ar.slug = "flags-2";
    ar.body_format = (body_format)-1;
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), NS_EINVAL);
}

static void make_sticky(fx *f, int64_t id, bool sticky)
{
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, id, &ar), 0);
    ar.sticky = sticky;
    int64_t tags[16];
    for (size_t i = 0; i < ar.ntags; i++)
        tags[i] = ar.tags[i].id;
    assert_int_equal(store_article_update(f->s, &ar, tags, ar.ntags), 0);
}

/* sticky_only lists and counts hold the visible sticky articles, newest
 * first, with the other filters; a change of sticky changes the lists. */
static void test_sticky_only(void **state)
{
    fx *f = *state;
    make_sticky(f, f->a_both, true);
    assert_news(f, D(ARTICLE, f->a_both), D(LIST, 0), D(MODIFIED, 0));
    make_sticky(f, f->f_unrelated, true);
    make_sticky(f, f->e_same_cat, true);
    make_sticky(f, f->future, true); /* not visible yet */
    make_sticky(f, f->draft, true);  /* never visible */
    news(f);
    store_query q = { .now = NOW, .limit = 10, .sticky_only = true };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.items[0].id, f->f_unrelated);
    assert_int_equal(l.items[1].id, f->e_same_cat);
    assert_int_equal(l.items[2].id, f->a_both);
    for (size_t i = 0; i < l.n; i++)
        assert_true(l.items[i].sticky);
    int64_t n;
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, 3);
    q.category_id = f->sports;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, 2);
    q.category_id = f->politics; /* e_same_cat is in world, under politics */
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, 1);
    q.category_id = 0;
    q.tag_id = f->tag_y;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].id, f->a_both);
    q.tag_id = 0;
    q.exclude_id = f->f_unrelated;
    q.limit = 1;
    q.offset = 1;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].id, f->a_both);
    make_sticky(f, f->a_both, false);
    assert_news(f, D(ARTICLE, f->a_both), D(LIST, 0), D(MODIFIED, 0));
    q = (store_query){ .now = NOW, .limit = 10, .sticky_only = true };
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, 2);
    q.sticky_only = false; /* everything visible, sticky or not */
    assert_int_equal(store_article_count(f->s, &q, &n), 0);
    assert_int_equal(n, visible_count(f));
    assert_int_equal(n, 6);
}

/* Pages with a parent, an order and a body format; by id and all of them
 * whatever their state; updated; a parent that is missing, the page
 * itself or deleted. */
static void test_page_hierarchy(void **state)
{
    fx *f = *state;
    store_page top = { 0, "about", "من نحن", "نص", true, NOW, NOW, 0, BODY_MARKDOWN, 2 };
    assert_int_equal(store_page_insert(f->s, &top), 0);
    store_page child = { 0, "team", "الفريق", "<p>نحن</p>", false, NOW - 1, NOW + 1, top.id,
                         BODY_HTML, 5 };
    assert_int_equal(store_page_insert(f->s, &child), 0);
    store_page p;
    assert_int_equal(store_page_by_id(f->s, f->a, child.id, &p), 0);
    assert_int_equal(p.id, child.id);
    assert_string_equal(p.slug, "team");
    assert_string_equal(p.title, "الفريق");
    assert_string_equal(p.body_md, "<p>نحن</p>");
    assert_false(p.published);
    assert_int_equal(p.published_at, NOW - 1);
    assert_int_equal(p.updated_at, NOW + 1);
    assert_int_equal(p.parent_id, top.id);
    assert_int_equal(p.body_format, BODY_HTML);
    assert_int_equal(p.menu_order, 5);
    assert_int_equal(store_page_by_slug(f->s, f->a, "team", &p), NS_ENOTFOUND); /* unpublished */
    assert_int_equal(store_page_by_slug(f->s, f->a, "about", &p), 0);
    assert_int_equal(p.parent_id, 0);
    assert_int_equal(p.menu_order, 2);
    assert_int_equal(p.body_format, BODY_MARKDOWN);
    assert_int_equal(store_page_by_id(f->s, f->a, child.id + 100, &p), NS_ENOTFOUND);

    store_page *all;
    size_t n;
    assert_int_equal(store_page_list_all(f->s, f->a, &all, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(all[0].id, top.id);
    assert_int_equal(all[1].id, child.id);
    assert_int_equal(all[1].parent_id, top.id);

    child.published = true;
    child.title = "فريق العمل";
    child.menu_order = -1;
    child.body_format = BODY_MARKDOWN;
    child.parent_id = 0;
    assert_int_equal(store_page_update(f->s, &child), 0);
    assert_int_equal(store_page_by_slug(f->s, f->a, "team", &p), 0);
    assert_string_equal(p.title, "فريق العمل");
    assert_int_equal(p.menu_order, -1);
    assert_int_equal(p.parent_id, 0);
    assert_int_equal(p.body_format, BODY_MARKDOWN);

    store_page bad = child;
    bad.parent_id = child.id; /* itself */
    assert_int_equal(store_page_update(f->s, &bad), NS_EINVAL);
    bad.parent_id = child.id + 100; /* no such page */
    assert_int_equal(store_page_update(f->s, &bad), NS_EINVAL);
    bad = child;
    bad.slug = "about";
    assert_int_equal(store_page_update(f->s, &bad), NS_EEXIST);
    bad = child;
    bad.title = "";
    assert_int_equal(store_page_update(f->s, &bad), NS_EINVAL);
    bad = child;
    bad.body_format = (body_format)2;
    assert_int_equal(store_page_update(f->s, &bad), NS_EINVAL);
    bad = child;
    bad.id = child.id + 100;
    assert_int_equal(store_page_update(f->s, &bad), NS_ENOTFOUND);
    store_page orphan = { 0, "x", "س", NULL, true, NOW, NOW, child.id + 100, BODY_MARKDOWN, 0 };
    assert_int_equal(store_page_insert(f->s, &orphan), NS_EINVAL);

    /* a parent deleted leaves its children at the top */
    child.parent_id = top.id;
    assert_int_equal(store_page_update(f->s, &child), 0);
    store_page grand = { 0, "grand", "ج", NULL, true, NOW, NOW, child.id, BODY_MARKDOWN, 0 };
    assert_int_equal(store_page_insert(f->s, &grand), 0);
    bad = top;
    bad.parent_id = grand.id; /* top under its own grandchild: a cycle */
    assert_int_equal(store_page_update(f->s, &bad), NS_EINVAL);
    bad.parent_id = child.id;
    assert_int_equal(store_page_update(f->s, &bad), NS_EINVAL);
    assert_int_equal(store_page_by_id(f->s, f->a, top.id, &p), 0);
    assert_int_equal(p.parent_id, 0);
    news(f);
    char sql[128];
    /* the sqlite3 shell enforces foreign keys when asked to, as nashra does */
    snprintf(sql, sizeof sql, "%sDELETE FROM pages WHERE id = %lld",
             strcmp(f->be->name, "sqlite") == 0 ? "PRAGMA foreign_keys = ON; " : "",
             (long long)top.id);
    raw(f, sql);
    assert_int_equal(store_page_by_id(f->s, f->a, child.id, &p), 0);
    assert_int_equal(p.parent_id, 0);
    store_changes c = news(f);
    assert_true(c.n > 0 && has(&c, D(ALL, 0))); /* pages are on every page */
}

/* Every tag, by name (code point order). */
static void test_tag_list(void **state)
{
    fx *f = *state;
    store_tag *tags;
    size_t n;
    assert_int_equal(store_tag_list(f->s, f->a, &tags, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(tags[0].name, "أوكرانيا");
    assert_int_equal(tags[0].id, f->tag_y);
    assert_string_equal(tags[1].name, "روسيا");
    assert_int_equal(tags[1].id, f->tag_x);
    assert_non_null(tags[1].slug);
    assert_string_equal(tags[2].name, "كرة القدم");
    assert_int_equal(tags[2].id, f->tag_z);
}

static store_comment comment_of(int64_t article, int64_t parent, comment_status st, int64_t at)
{
    return (store_comment){ .article_id = article, .parent_id = parent, .author_name = "زائر",
                            .author_email = "z@example.com", .body = "تعليق", .ip = "192.0.2.7",
                            .user_agent = "ua", .status = st, .created_at = at };
}

/* Every comment of an article, any status, every field, by id. */
static void test_comment_list_any(void **state)
{
    fx *f = *state;
    comment_status sts[] = { COMMENT_SPAM, COMMENT_APPROVED, COMMENT_PENDING, COMMENT_TRASH };
    int64_t ids[4];
    for (int i = 0; i < 4; i++) {
        /* written newest first: the order is the ids', not the dates' */
        store_comment c = comment_of(f->target, 0, sts[i], NOW - i);
        assert_int_equal(store_comment_import(f->s, &c), 0);
        ids[i] = c.id;
    }
    store_comment other = comment_of(f->a_both, 0, COMMENT_APPROVED, NOW);
    assert_int_equal(store_comment_insert(f->s, &other), 0);
    store_comment *cs;
    size_t n;
    assert_int_equal(store_comment_list_any(f->s, f->a, f->target, &cs, &n), 0);
    assert_int_equal(n, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(cs[i].id, ids[i]);
        assert_int_equal(cs[i].status, sts[i]);
        assert_int_equal(cs[i].created_at, NOW - i);
        assert_string_equal(cs[i].author_email, "z@example.com");
        assert_string_equal(cs[i].ip, "192.0.2.7");
        assert_string_equal(cs[i].user_agent, "ua");
    }
    assert_int_equal(store_comment_list_any(f->s, f->a, f->e_same_cat, &cs, &n), 0);
    assert_int_equal(n, 0);
}

/* Imported comments: any status, their dates kept, numbered as
 * store_comment_insert numbers; a parent of any status on the same
 * article; replaced by id with the numbering kept consistent. */
static void test_comment_import(void **state)
{
    fx *f = *state;
    store_comment first = comment_of(f->target, 0, COMMENT_APPROVED, NOW - 100);
    assert_int_equal(store_comment_insert(f->s, &first), 0);
    store_comment got;
    assert_int_equal(store_comment_get(f->s, f->a, first.id, &got), 0);
    assert_int_equal(got.thread_no, 1);

    store_comment ap = comment_of(f->target, 0, COMMENT_APPROVED, NOW - 5000);
    ap.fingerprint = "fp";
    assert_int_equal(store_comment_import(f->s, &ap), 0);
    assert_true(ap.id > first.id);
    assert_int_equal(store_comment_get(f->s, f->a, ap.id, &got), 0);
    assert_int_equal(got.thread_no, 2); /* the next number, whatever its date */
    assert_int_equal(got.created_at, NOW - 5000);
    assert_string_equal(got.fingerprint, "fp");

    store_comment held = comment_of(f->target, 0, COMMENT_PENDING, NOW - 50);
    assert_int_equal(store_comment_import(f->s, &held), 0);
    assert_int_equal(store_comment_get(f->s, f->a, held.id, &got), 0);
    assert_int_equal(got.thread_no, 0); /* no number while held */
    assert_int_equal(got.status, COMMENT_PENDING);

    store_comment reply = comment_of(f->target, held.id, COMMENT_APPROVED, NOW - 40);
    assert_int_equal(store_comment_insert(f->s, &reply), NS_EINVAL); /* a reader may not */
    assert_int_equal(store_comment_import(f->s, &reply), 0);         /* an import may */
    assert_int_equal(store_comment_get(f->s, f->a, reply.id, &got), 0);
    assert_int_equal(got.parent_id, held.id);
    assert_int_equal(got.thread_no, 0);

    store_comment spam = comment_of(f->target, 0, COMMENT_SPAM, NOW - 30);
    assert_int_equal(store_comment_import(f->s, &spam), 0);
    store_comment dup = ap; /* no fingerprint check */
    dup.id = 0;
    assert_int_equal(store_comment_import(f->s, &dup), 0);
    assert_int_equal(store_comment_get(f->s, f->a, dup.id, &got), 0);
    assert_int_equal(got.thread_no, 3);

    store_comment elsewhere = comment_of(f->a_both, ap.id, COMMENT_APPROVED, NOW);
    assert_int_equal(store_comment_import(f->s, &elsewhere), NS_EINVAL); /* parent elsewhere */
    elsewhere.parent_id = dup.id + 100;
    assert_int_equal(store_comment_import(f->s, &elsewhere), NS_EINVAL); /* no such parent */
    elsewhere.parent_id = 0;
    elsewhere.article_id = f->target + 1000;
    assert_int_equal(store_comment_import(f->s, &elsewhere), NS_EINVAL); /* no such article */
    elsewhere.article_id = f->a_both;
    elsewhere.body = "";
    assert_int_equal(store_comment_import(f->s, &elsewhere), NS_EINVAL);
    elsewhere.body = "نص";
    elsewhere.status = (comment_status)9;
    assert_int_equal(store_comment_import(f->s, &elsewhere), NS_EINVAL);
    elsewhere.status = COMMENT_APPROVED;
    assert_int_equal(store_comment_import(f->s, &elsewhere), 0);
    assert_int_equal(store_comment_get(f->s, f->a, elsewhere.id, &got), 0);
    assert_int_equal(got.thread_no, 1); /* numbered per article */

    /* replaced: the held one approved takes the next number */
    news(f);
    held.status = COMMENT_APPROVED;
    held.body = "نص آخر";
    held.created_at = NOW - 10;
    assert_int_equal(store_comment_import(f->s, &held), 0);
    assert_news(f, D(COMMENTS, f->target));
    assert_int_equal(store_comment_get(f->s, f->a, held.id, &got), 0);
    assert_int_equal(got.thread_no, 4);
    assert_string_equal(got.body, "نص آخر");
    assert_int_equal(got.created_at, NOW - 10);
    assert_int_equal(got.status, COMMENT_APPROVED);
    /* held back, it keeps its number, as store_comment_set_status does */
    held.status = COMMENT_PENDING;
    assert_int_equal(store_comment_import(f->s, &held), 0);
    assert_int_equal(store_comment_get(f->s, f->a, held.id, &got), 0);
    assert_int_equal(got.thread_no, 4);
    /* made a reply, it is numbered as one */
    ap.parent_id = first.id;
    assert_int_equal(store_comment_import(f->s, &ap), 0);
    assert_int_equal(store_comment_get(f->s, f->a, ap.id, &got), 0);
    assert_int_equal(got.parent_id, first.id);
    assert_int_equal(got.thread_no, 0);
    /* top-level again and approved: a new number */
    ap.parent_id = 0;
    assert_int_equal(store_comment_import(f->s, &ap), 0);
    assert_int_equal(store_comment_get(f->s, f->a, ap.id, &got), 0);
    assert_int_equal(got.thread_no, 5);
    /* a parent of the same article, not itself */
    ap.parent_id = ap.id;
    assert_int_equal(store_comment_import(f->s, &ap), NS_EINVAL);
    ap.parent_id = elsewhere.id;
    assert_int_equal(store_comment_import(f->s, &ap), NS_EINVAL);
    ap.parent_id = 0;
    ap.id = dup.id + 1000;
    assert_int_equal(store_comment_import(f->s, &ap), NS_ENOTFOUND);

    store_comment_stats st;
    assert_int_equal(store_comment_count(f->s, f->target, &st), 0);
    assert_int_equal(st.threads, 5);
    assert_int_equal(st.approved, 4); /* first, ap, reply, dup; nothing held or spam */
}

/* The media library: insert, by id, in batches by id, update; refused
 * URLs and references; an article deleted leaves its media. */
static void test_media(void **state)
{
    fx *f = *state;
    store_media m1 = { 0, "/uploads/2022/03/صورة.jpg", "صورة", "نص بديل", "تعليق", "وصف",
                       "image/jpeg", f->target, NOW - 10, 1200, 800, 123456,
                       "320,640", 0 };
    store_media m2 = { 0, "https://cdn.example.com/x.pdf", NULL, "", NULL, NULL, NULL, 0, NOW, 0, 0, 0, NULL, 0 };
    store_media m3 = { 0, "/uploads/y.png", NULL, NULL, NULL, NULL, "image/png", f->a_both, NOW, 0, 0, 0, NULL, 0 };
    assert_int_equal(store_media_insert(f->s, &m1), 0);
    assert_int_equal(store_media_insert(f->s, &m2), 0);
    assert_int_equal(store_media_insert(f->s, &m3), 0);
    assert_true(m1.id > 0 && m2.id > m1.id && m3.id > m2.id);
    store_media got;
    assert_int_equal(store_media_get(f->s, f->a, m1.id, &got), 0);
    assert_int_equal(got.id, m1.id);
    assert_string_equal(got.url, "/uploads/2022/03/صورة.jpg");
    assert_string_equal(got.title, "صورة");
    assert_string_equal(got.alt, "نص بديل");
    assert_string_equal(got.caption, "تعليق");
    assert_string_equal(got.description, "وصف");
    assert_string_equal(got.mime, "image/jpeg");
    assert_int_equal(got.article_id, f->target);
    assert_int_equal(got.created_at, NOW - 10);
    assert_int_equal(store_media_get(f->s, f->a, m2.id, &got), 0);
    assert_null(got.title);
    assert_string_equal(got.alt, "");
    assert_int_equal(got.article_id, 0);
    assert_int_equal(store_media_get(f->s, f->a, m3.id + 1, &got), NS_ENOTFOUND);

    store_media *ms;
    size_t n;
    assert_int_equal(store_media_list(f->s, f->a, 0, 2, &ms, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ms[0].id, m1.id);
    assert_int_equal(ms[1].id, m2.id);
    assert_int_equal(store_media_list(f->s, f->a, m2.id, 10, &ms, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ms[0].id, m3.id);
    assert_string_equal(ms[0].mime, "image/png");
    assert_int_equal(store_media_list(f->s, f->a, m3.id, 10, &ms, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_media_list(f->s, f->a, 0, 0, &ms, &n), NS_EINVAL);
    assert_int_equal(store_media_list(f->s, f->a, 0, 10001, &ms, &n), NS_EINVAL);

    m2.title = "ملف";
    m2.article_id = f->e_same_cat;
    m2.url = "/uploads/x.pdf";
    assert_int_equal(store_media_update(f->s, &m2), 0);
    assert_int_equal(store_media_get(f->s, f->a, m2.id, &got), 0);
    assert_string_equal(got.title, "ملف");
    assert_string_equal(got.url, "/uploads/x.pdf");
    assert_int_equal(got.article_id, f->e_same_cat);
    store_media bad = m2;
    bad.id = m3.id + 100;
    assert_int_equal(store_media_update(f->s, &bad), NS_ENOTFOUND);
    const char *urls[] = { "javascript:alert(1)", "", "//evil.example/x.jpg", "uploads/x" };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        bad = m2;
        bad.url = urls[i];
        assert_int_equal(store_media_update(f->s, &bad), NS_EINVAL);
        bad.id = 0;
        assert_int_equal(store_media_insert(f->s, &bad), NS_EINVAL);
    }
    bad = m2;
    bad.url = NULL;
    assert_int_equal(store_media_insert(f->s, &bad), NS_EINVAL);
    bad = m2;
    bad.id = 0;
    bad.article_id = f->target + 1000;
    assert_int_equal(store_media_insert(f->s, &bad), NS_EINVAL);
    bad.article_id = 0;
    bad.alt = "\xff";
    assert_int_equal(store_media_insert(f->s, &bad), NS_EINVAL);

    assert_int_equal(store_article_delete(f->s, f->target), 0);
    assert_int_equal(store_media_get(f->s, f->a, m1.id, &got), 0);
    assert_int_equal(got.article_id, 0);
}

/* The import map: put (insert, then replace), by (source, kind, wp_id),
 * by GUID within a kind (from any source, this one's first), the items
 * with a ref in batches. */
static void test_import_map(void **state)
{
    fx *f = *state;
    const char *src = "https://old.example.com", *moved = "https://new.example.com";
    store_import_item post = { src, IMPORT_POST, 42, "https://old.example.com/?p=42",
                               f->target, "h1", 7 };
    assert_int_equal(store_import_put(f->s, &post), 0);
    store_import_item page = { src, IMPORT_PAGE, 42, NULL, 3, NULL, 0 };
    assert_int_equal(store_import_put(f->s, &page), 0);
    store_import_item got;
    assert_int_equal(store_import_get(f->s, f->a, src, IMPORT_POST, 42, NULL, &got), 0);
    assert_string_equal(got.source, src);
    assert_int_equal(got.kind, IMPORT_POST);
    assert_int_equal(got.wp_id, 42);
    assert_string_equal(got.guid, "https://old.example.com/?p=42");
    assert_int_equal(got.local_id, f->target);
    assert_string_equal(got.hash, "h1");
    assert_int_equal(got.ref, 7);
    assert_int_equal(store_import_get(f->s, f->a, src, IMPORT_PAGE, 42, "", &got), 0);
    assert_int_equal(got.kind, IMPORT_PAGE);
    assert_int_equal(got.local_id, 3);
    assert_null(got.guid);
    assert_null(got.hash);
    assert_int_equal(got.ref, 0);

    /* the same site at another address, its ids changed: found by GUID */
    assert_int_equal(store_import_get(f->s, f->a, moved, IMPORT_POST, 99,
                                      "https://old.example.com/?p=42", &got), 0);
    assert_string_equal(got.source, src);
    assert_int_equal(got.local_id, f->target);
    /* a GUID of another kind is not this item's */
    assert_int_equal(store_import_get(f->s, f->a, moved, IMPORT_ATTACHMENT, 42,
                                      "https://old.example.com/?p=42", &got), NS_ENOTFOUND);
    /* an unknown GUID: by id */
    assert_int_equal(store_import_get(f->s, f->a, src, IMPORT_POST, 42, "urn:other", &got), 0);
    assert_int_equal(got.local_id, f->target);
    assert_int_equal(store_import_get(f->s, f->a, moved, IMPORT_POST, 42, "urn:other", &got),
                     NS_ENOTFOUND);
    assert_int_equal(store_import_get(f->s, f->a, src, IMPORT_TAG, 42, NULL, &got), NS_ENOTFOUND);
    /* this source's item first when two share the GUID */
    store_import_item again = { moved, IMPORT_POST, 99, "https://old.example.com/?p=42",
                                f->a_both, "h2", 0 };
    assert_int_equal(store_import_put(f->s, &again), 0);
    assert_int_equal(store_import_get(f->s, f->a, moved, IMPORT_POST, 1,
                                      "https://old.example.com/?p=42", &got), 0);
    assert_int_equal(got.local_id, f->a_both);
    assert_int_equal(store_import_get(f->s, f->a, src, IMPORT_POST, 1,
                                      "https://old.example.com/?p=42", &got), 0);
    assert_int_equal(got.local_id, f->target);

    post.local_id = f->e_same_cat;
    post.hash = "h3";
    post.ref = 0;
    post.guid = NULL;
    assert_int_equal(store_import_put(f->s, &post), 0); /* replaced */
    assert_int_equal(store_import_get(f->s, f->a, src, IMPORT_POST, 42, NULL, &got), 0);
    assert_int_equal(got.local_id, f->e_same_cat);
    assert_string_equal(got.hash, "h3");
    assert_int_equal(got.ref, 0);
    assert_null(got.guid);

    for (int64_t id = 1; id <= 6; id++) {
        store_import_item it = { src, IMPORT_POST, 100 + id, NULL, id, NULL, id % 2 ? 500 + id : 0 };
        assert_int_equal(store_import_put(f->s, &it), 0);
    }
    store_import_item stray = { moved, IMPORT_POST, 200, NULL, 1, NULL, 5 };
    assert_int_equal(store_import_put(f->s, &stray), 0);
    store_import_item other_kind = { src, IMPORT_PAGE, 300, NULL, 1, NULL, 5 };
    assert_int_equal(store_import_put(f->s, &other_kind), 0);
    store_import_item *items;
    size_t n;
    assert_int_equal(store_import_refs(f->s, f->a, src, IMPORT_POST, 0, 2, &items, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(items[0].wp_id, 101);
    assert_int_equal(items[0].ref, 501);
    assert_int_equal(items[1].wp_id, 103);
    assert_int_equal(store_import_refs(f->s, f->a, src, IMPORT_POST, 103, 10, &items, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].wp_id, 105);
    assert_int_equal(items[0].local_id, 5);
    assert_int_equal(store_import_refs(f->s, f->a, src, IMPORT_PAGE, 0, 10, &items, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].wp_id, 300);
    assert_int_equal(store_import_refs(f->s, f->a, src, IMPORT_POST, 0, 0, &items, &n), NS_EINVAL);

    store_import_item bad = post;
    bad.kind = (import_kind)0;
    assert_int_equal(store_import_put(f->s, &bad), NS_EINVAL);
    bad.kind = (import_kind)(IMPORT_COMMENT + 1);
    assert_int_equal(store_import_put(f->s, &bad), NS_EINVAL);
    bad = post;
    bad.source = "";
    assert_int_equal(store_import_put(f->s, &bad), NS_EINVAL);
    assert_int_equal(store_import_get(f->s, f->a, NULL, IMPORT_POST, 42, NULL, &got), NS_EINVAL);
    assert_int_equal(store_import_get(f->s, f->a, src, (import_kind)0, 42, NULL, &got), NS_EINVAL);
}

/* A redirect put twice is replaced, not refused. */
static void test_redirect_put(void **state)
{
    fx *f = *state;
    store_redirect r = { "/?p=42", "/target/", 301 }, got;
    assert_int_equal(store_redirect_put(f->s, &r), 0);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/?p=42", &got), 0);
    assert_string_equal(got.to_path, "/target/");
    assert_int_equal(got.status, 301);
    news(f);
    r.to_path = "/a-both/";
    r.status = 302;
    assert_int_equal(store_redirect_put(f->s, &r), 0);
    assert_news(f, D(REDIRECTS, 0));
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/?p=42", &got), 0);
    assert_string_equal(got.to_path, "/a-both/");
    assert_int_equal(got.status, 302);
    r.status = 303;
    assert_int_equal(store_redirect_put(f->s, &r), NS_EINVAL);
    r.status = 301;
    r.to_path = "";
    assert_int_equal(store_redirect_put(f->s, &r), NS_EINVAL);
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/?p=42", &got), 0);
    assert_string_equal(got.to_path, "/a-both/");
}

/* Ids of every article, any status, in batches. */
static void test_article_ids(void **state)
{
    fx *f = *state;
    int64_t *ids;
    size_t n;
    assert_int_equal(store_article_ids(f->s, f->a, 0, 10000, &ids, &n), 0);
    assert_int_equal(n, 8); /* drafts and future ones too */
    for (size_t i = 1; i < n; i++)
        assert_true(ids[i] > ids[i - 1]);
    int64_t third = ids[2], last = ids[7];
    assert_int_equal(store_article_ids(f->s, f->a, third, 2, &ids, &n), 0);
    assert_int_equal(n, 2);
    assert_true(ids[0] > third);
    assert_int_equal(store_article_ids(f->s, f->a, last, 5, &ids, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_article_ids(f->s, f->a, 0, 0, &ids, &n), NS_EINVAL);
    assert_int_equal(store_article_ids(f->s, f->a, 0, 10001, &ids, &n), NS_EINVAL);
}

/* Inside a caller's transaction each write is a savepoint: one refused
 * leaves the others, and a rollback takes them all back. */
static void test_import_writes_in_transaction(void **state)
{
    fx *f = *state;
    assert_int_equal(store_begin(f->s), 0);
    store_media m = { 0, "/uploads/a.jpg", NULL, NULL, NULL, NULL, NULL, 0, NOW, 0, 0, 0, NULL, 0 };
    assert_int_equal(store_media_insert(f->s, &m), 0);
    store_import_item it = { "https://x.example", IMPORT_ATTACHMENT, 5, NULL, m.id, NULL, 0 };
    assert_int_equal(store_import_put(f->s, &it), 0);
    store_comment c = comment_of(f->target, m.id + 1000, COMMENT_APPROVED, NOW);
    assert_int_equal(store_comment_import(f->s, &c), NS_EINVAL);
    assert_true(store_in_transaction(f->s));
    store_media got;
    assert_int_equal(store_media_get(f->s, f->a, m.id, &got), 0);
    assert_int_equal(store_rollback(f->s), 0);
    assert_int_equal(store_media_get(f->s, f->a, m.id, &got), NS_ENOTFOUND);
    store_import_item gi;
    assert_int_equal(store_import_get(f->s, f->a, it.source, it.kind, 5, NULL, &gi), NS_ENOTFOUND);
}

/* A site of schema version 6 opened by this binary is brought to the latest version with
 * its rows: the new columns read as their defaults, the new tables are
 * there, and a change of sticky logs the lists. */
static void test_migration_from_6(void **state)
{
    fx *f = *state;
    int latest = store_schema_version(f->s);
    assert_int_equal(latest, 8);
    store_page p = { 0, "about", "من نحن", "نص", true, NOW, NOW, 0, BODY_MARKDOWN, 0 };
    assert_int_equal(store_page_insert(f->s, &p), 0);
    close_store(f);
    raw(f, f->be->v6_schema_sql);
    raw(f, "INSERT INTO pages(slug, title, body_md, published, published_at, updated_at)"
           " VALUES ('old', 'قديمة', 'نص قديم', 1, 5, 6)");
    assert_int_equal(store_open(f->loc.location, 0, &f->s), 0);
    assert_int_equal(store_schema_version(f->s), 8);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->target, &ar), 0);
    assert_string_equal(ar.title, "target");
    assert_string_equal(ar.body_md, "نص **المقال**");
    assert_int_equal(ar.ntags, 2);
    assert_false(ar.sticky || ar.video || ar.breaking);
    assert_int_equal(ar.trashed_at, 0);
    assert_int_equal(ar.revision, 0);
    assert_int_equal(ar.image_id, 0);
    assert_null(ar.image_variants);
    assert_int_equal(ar.body_format, BODY_MARKDOWN);
    store_page got;
    assert_int_equal(store_page_by_slug(f->s, f->a, "old", &got), 0);
    assert_string_equal(got.title, "قديمة");
    assert_int_equal(got.published_at, 5);
    assert_int_equal(got.parent_id, 0);
    assert_int_equal(got.menu_order, 0);
    assert_int_equal(got.body_format, BODY_MARKDOWN);
    assert_int_equal(store_page_by_id(f->s, f->a, p.id, &got), 0);
    assert_string_equal(got.slug, "about");
    store_media *ms;
    size_t n;
    assert_int_equal(store_media_list(f->s, f->a, 0, 10, &ms, &n), 0);
    assert_int_equal(n, 0);
    store_user *us;
    assert_int_equal(store_user_list(f->s, f->a, &us, &n), 0);
    assert_int_equal(n, 0);
    store_media m = { 0, "/uploads/a.jpg", NULL, NULL, NULL, NULL, NULL, f->target, NOW,
                      0, 0, 0, NULL, 0 };
    assert_int_equal(store_media_insert(f->s, &m), 0);
    store_import_item it = { "https://x.example", IMPORT_POST, 1, "g", f->target, NULL, 0 };
    assert_int_equal(store_import_put(f->s, &it), 0);
    assert_int_equal(store_changes_head(f->s, &f->seq), 0);
    make_sticky(f, f->target, true);
    assert_news(f, D(ARTICLE, f->target), D(LIST, 0), D(MODIFIED, 0));
    int64_t count = raw_int(f, "SELECT count(*) FROM articles");
    assert_int_equal(count, 8);
}

/* ---- registration: every test on every backend ---- */

#define CONFORMANCE_TESTS(T)                                   \
    T(open_missing, setup_empty)                               \
    T(open_foreign, setup_empty)                               \
    T(open_newer_schema, setup_empty)                          \
    T(open_unreachable, setup_empty)                           \
    T(reopen, setup_empty)                                     \
    T(readonly, setup_site)                                    \
    T(location, setup_empty)                                   \
    T(article_by_slug, setup_site)                             \
    T(visibility, setup_site)                                  \
    T(list_order_and_filters, setup_site)                      \
    T(count_each_filter, setup_site)                           \
    T(related_order, setup_site)                               \
    T(comments, setup_site)                                    \
    T(comment_refused, setup_site)                             \
    T(comment_get, setup_site)                                 \
    T(comment_recent, setup_site)                              \
    T(comment_known, setup_site)                               \
    T(comment_threads, setup_site)                              \
    T(comment_insert_refused, setup_site)                      \
    T(comment_duplicate, setup_site)                           \
    T(comment_delete, setup_site)                              \
    T(setting_ensure, setup_site)                              \
    T(durable, setup_site)                                     \
    T(taxonomy, setup_site)                                    \
    T(tag_ensure, setup_site)                                  \
    T(pages, setup_site)                                       \
    T(redirects, setup_site)                                   \
    T(settings, setup_site)                                    \
    T(write_validation, setup_site)                            \
    T(invalid_utf8, setup_site)                                \
    T(arabic_round_trip, setup_site)                           \
    T(long_text, setup_site)                                   \
    T(null_and_empty, setup_site)                              \
    T(numbers, setup_site)                                     \
    T(update, setup_site)                                      \
    T(delete, setup_site)                                      \
    T(image_url_insert, setup_site)                            \
    T(image_url_update, setup_site)                            \
    T(body_html, setup_site)                                   \
    T(transactions, setup_site)                                \
    T(write_function, setup_site)                              \
    T(write_retries_busy, setup_site)                          \
    T(write_fault_rolls_back, setup_site)                      \
    T(read_snapshot, setup_site)                               \
    T(read_end_failure_leaves_no_transaction, setup_site)      \
    T(changed, setup_site)                                     \
    T(new_connection_sees_earlier_commit, setup_site)          \
    T(writes_log_their_keys, setup_site)                       \
    T(category_update, setup_site)                             \
    T(same_tags_log_no_list_change, setup_site)                \
    T(raw_sql_is_logged, setup_site)                           \
    T(gap_means_all, setup_site)                               \
    T(sequence_contiguous, setup_site)                         \
    T(reads_record_keys, setup_site)                           \
    T(failed_read_noted, setup_site)                           \
    T(fault_codes, setup_site)                                 \
    T(fault_at_every_step, setup_site)                         \
    T(article_flags, setup_site)                               \
    T(sticky_only, setup_site)                                 \
    T(page_hierarchy, setup_site)                              \
    T(tag_list, setup_site)                                    \
    T(comment_list_any, setup_site)                            \
    T(comment_import, setup_site)                              \
    T(media, setup_site)                                       \
    T(import_map, setup_site)                                  \
    T(redirect_put, setup_site)                                \
    T(article_ids, setup_site)                                 \
    T(import_writes_in_transaction, setup_site)                \
    T(migration_from_6, setup_site)

BACKEND_MAIN("conformance", CONFORMANCE_TESTS)
