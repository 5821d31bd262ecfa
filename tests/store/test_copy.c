/*
 * test_copy.c - store_copy, a whole site from one database into another:
 * after a copy every table of the target holds exactly the source's rows,
 * ids, NULLs, empty strings, Arabic text, stored HTML and the type of
 * every value included (compared through SQLite itself, table by table,
 * whatever tables the schema has); a target holding a site is refused and
 * left as it was unless the copy replaces it; a failure at any step of the
 * copy, on either side, leaves the target exactly as it was; counts that
 * differ roll the copy back; the tables and columns of version 7 (media,
 * the import map, page parents, sticky and video articles, body formats)
 * travel like the others. With NASHRA_TEST_PG_URL (a PostgreSQL URL of
 * a role that may create databases) the same site goes SQLite →
 * PostgreSQL → SQLite through a database made for the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"
#include "test_util.h"

#define NOW 1764000000LL
#define NTABLES 14 /* the site's tables: all but the schema's, the change log's and the
                      sessions' and sign-in failures' (not copied) */

typedef struct {
    char dir[64], src[96], dst[96], scratch_path[96];
    store_t *from, *to, *scratch;
    arena_t *a;
} fx;

/* sql through a connection of its own, as the sqlite3 shell would run it. */
static void raw(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
    sqlite3_close(db);
}

/* One table's rows, each value with its SQLite type, in a fixed order. */
static void dump_table(sqlite3 *db, const char *table, buf_t *b)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1, 2", table);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    buf_printf(b, "[%s]\n", table);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            int type = sqlite3_column_type(st, i);
            const char *t = (const char *)sqlite3_column_text(st, i);
            buf_printf(b, "%s%d:%s", i ? " | " : "", type, type == SQLITE_NULL ? "NULL" : t);
        }
        buf_putc(b, '\n');
    }
    sqlite3_finalize(st);
}

/* Every site table of the SQLite database at path, as text. */
static const char *dump(fx *f, const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT name FROM sqlite_schema WHERE type = 'table'"
        " AND name NOT IN ('changes', 'sqlite_sequence', 'sessions', 'login_failures')"
        /* the search index is not copied: the copy's site rebuilds it
         * (store_search_rebuild, as nashra db copy does) */
        " AND name NOT LIKE 'search\\_%' ESCAPE '\\' ORDER BY name", -1, &st, NULL), SQLITE_OK);
    buf_t b;
    buf_init(&b, f->a);
    int tables = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        dump_table(db, (const char *)sqlite3_column_text(st, 0), &b);
        tables++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(tables, NTABLES);
    return buf_cstr(&b);
}

/* A site where every column holds something other than its default
 * somewhere, with what a copy could get wrong: ids with gaps, rows that
 * refer to rows of their own table with larger ids (and to themselves),
 * NULLs beside empty strings, text that looks like a number, extreme
 * integers, stored HTML unlike the Markdown's rendering. */
static void fill_site(store_t *s, const char *path)
{
    store_author au = {0, "ahmed", "أحمد", "سيرة قصيرة", "a@example.com", "/a.jpg"};
    assert_int_equal(store_author_insert(s, &au), 0);
    store_author au2 = {0, "laila", "ليلى", "", NULL, NULL};
    assert_int_equal(store_author_insert(s, &au2), 0);
    store_category c1 = {0, 0, "world", "العالم", NULL, 2}, c2 = {0, 0, "politics", "سياسة", "", 1};
    assert_int_equal(store_category_insert(s, &c1), 0);
    assert_int_equal(store_category_insert(s, &c2), 0);
    store_tag t1 = {0, NULL, "روسيا"}, t2 = {0, NULL, "12"};
    assert_int_equal(store_tag_ensure(s, &t1), 0);
    assert_int_equal(store_tag_ensure(s, &t2), 0);
    int64_t tags[] = {t1.id, t2.id};
    store_article ar = {.slug = "سلاح", .title = "المئات من الجنود", .kicker = "عاجل",
                        .lead = "مقدمة", .body_md = "نص **المقال**",
                        .body_html = "<p>نص <em>محفوظ</em> كما هو</p>", .source = "وطن",
                        .video_url = "https://example.com/v", .image_url = "/i.jpg",
                        .image_alt = "صورة", .image_caption = "تعليق",
                        .status = ARTICLE_PUBLISHED, .comments_open = true,
                        .created_at = NOW - 100, .published_at = NOW - 50, .updated_at = NOW,
                        .author_id = au.id, .category_id = c1.id, .sticky = true,
                        .video = true};
    assert_int_equal(store_article_insert(s, &ar, tags, 2), 0);
    store_article draft = {.slug = "12", .title = "مسودة", .lead = "", .status = ARTICLE_DRAFT,
                           .body_md = "<p>html</p>", .body_format = BODY_HTML};
    assert_int_equal(store_article_insert(s, &draft, tags + 1, 1), 0);
    store_comment cm = {0, ar.id, 0, "زائر", "v@example.com", "https://v.example", "تعليق أول",
                        "192.0.2.1", "agent", COMMENT_APPROVED, NOW, NULL, 0 };
    assert_int_equal(store_comment_insert(s, &cm), 0);
    store_comment reply = {0, ar.id, cm.id, "رد", NULL, "", "رد على التعليق", NULL, NULL,
                           COMMENT_PENDING, NOW + 1, NULL, 0 };
    assert_int_equal(store_comment_insert(s, &reply), 0);
    store_page pg = {0, "about", "من نحن", "عن **الموقع**", false, NOW - 5, NOW, 0, BODY_MARKDOWN, 0 };
    assert_int_equal(store_page_insert(s, &pg), 0);
    store_page sub = {0, "team", "الفريق", "<p>نحن</p>", true, NOW, NOW, pg.id, BODY_HTML, -4};
    assert_int_equal(store_page_insert(s, &sub), 0);
    store_media m1 = {0, "/uploads/2022/03/صورة.jpg", "صورة", "", NULL, "وصف", "image/jpeg",
                      ar.id, NOW - 7, 640, 480, 5000, "320", 0};
    store_media m2 = {0, "https://cdn.example.com/f.pdf", NULL, NULL, "تعليق", NULL, NULL, 0, 0,
                      0, 0, 0, NULL, 0};
    assert_int_equal(store_media_insert(s, &m1), 0);
    assert_int_equal(store_media_insert(s, &m2), 0);
    store_import_item i1 = {"https://old.example.com", IMPORT_POST, 42, "https://old.example.com/?p=42",
                            ar.id, "abc", 7};
    store_import_item i2 = {"https://old.example.com", IMPORT_COMMENT, 3, NULL, cm.id, NULL, 0};
    assert_int_equal(store_import_put(s, &i1), 0);
    assert_int_equal(store_import_put(s, &i2), 0);
    store_redirect r1 = {"/2022/03/31/سلاح/", "/سلاح/", 301}, r2 = {"/old", "/", 302};
    assert_int_equal(store_redirect_insert(s, &r1), 0);
    assert_int_equal(store_redirect_insert(s, &r2), 0);
    assert_int_equal(store_setting_set(s, "site_name", "نشرة"), 0);
    assert_int_equal(store_setting_set(s, "empty", ""), 0);
    assert_int_equal(store_setting_set(s, "number", "0012"), 0);
    /* what only a hand edit (or a long history) makes */
    raw(path,
        "INSERT INTO categories(id, parent_id, slug, name, position) VALUES (40, NULL, 'sub', 'فرعي', -3);"
        "UPDATE categories SET parent_id = 40 WHERE slug = 'world';"
        "UPDATE categories SET parent_id = id WHERE slug = 'politics';"
        "INSERT INTO comments(id, article_id, parent_id, author_name, body, status, created_at)"
        " VALUES (7, 1, NULL, 'قديم', 'رد قبل أصله', 'spam', -1);"
        "INSERT INTO comments(id, article_id, parent_id, author_name, body, status, created_at)"
        " VALUES (90, 1, NULL, 'أصل', 'أصل متأخر', 'trash', 9223372036854775807);"
        "UPDATE comments SET parent_id = 90 WHERE id = 7;"
        "INSERT INTO articles(id, slug, title, status, comments_open, created_at, published_at,"
        " updated_at, body_md, body_html) VALUES (500, 'late', 'x', 'scheduled', 0,"
        " -9223372036854775808, 0, 1, NULL, '');"
        "INSERT INTO tags(id, slug, name) VALUES (77, 't77', 'وسم');"
        "INSERT INTO article_tags VALUES (500, 77);"
        "INSERT INTO pages(id, slug, title, published) VALUES (9, 'p9', 'صفحة', 1);"
        /* a page whose parent comes later, and one its own parent */
        "UPDATE pages SET parent_id = 9, menu_order = 3 WHERE slug = 'about';"
        "UPDATE pages SET parent_id = id WHERE id = 9;"
        "INSERT INTO media(id, url, article_id, created_at) VALUES (70, '/u/x.png', 500, -1);"
        "INSERT INTO import_items VALUES ('', 7, 9223372036854775807, '', -5, '', -1);"
        /* the newsroom's: an article whose image comes later and names it
         * back; people, and what is not copied (sessions, failures) */
        "UPDATE articles SET image_id = 70, breaking = 1, trashed_at = 4, revision = 6"
        " WHERE id = 500;"
        "UPDATE media SET width = 1, height = 2, bytes = 3, variants = '320', user_id = 1"
        " WHERE id = 70;"
        "INSERT INTO users VALUES (1, 'ahmed', '$argon2id$h', 'admin', 0, 5);"
        "INSERT INTO users VALUES (2, '12', NULL, 'contributor', 1, -1);"
        "INSERT INTO sessions VALUES ('h', 1, 1, 2, NULL);"
        "INSERT INTO login_failures VALUES ('k', 3);"
        "INSERT INTO revisions(id, article_id, user_id, created_at, revision, title, body_md,"
        " body_format) VALUES (8, 500, 1, 9, 3, 'عنوان', NULL, 'html');");
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(test_util_tmpdir(f->dir, sizeof f->dir, "copy"));
    snprintf(f->src, sizeof f->src, "%s/src.db", f->dir);
    snprintf(f->dst, sizeof f->dst, "%s/dst.db", f->dir);
    snprintf(f->scratch_path, sizeof f->scratch_path, "%s/scratch.db", f->dir);
    f->a = arena_new(0);
    assert_int_equal(store_open(f->src, STORE_CREATE, &f->from), 0);
    fill_site(f->from, f->src);
    assert_int_equal(store_open(f->dst, STORE_CREATE, &f->to), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->to);
    store_close(f->scratch);
    arena_free(f->a);
    assert_int_equal(test_util_store_dir_close(f->from, f->dir), 0);
    free(f);
    return 0;
}

/* A site of its own in s: rows in a few tables, ids that clash with the
 * source's. */
static void fill_other(store_t *s)
{
    store_author au = {0, "other", "آخر", NULL, NULL, NULL};
    assert_int_equal(store_author_insert(s, &au), 0);
    assert_int_equal(store_setting_set(s, "site_name", "موقع آخر"), 0);
}

static void assert_report(const store_copy_report *r)
{
    assert_int_equal(r->n, NTABLES);
    for (size_t i = 0; i < r->n; i++)
        assert_int_equal(r->tables[i].from_rows, r->tables[i].to_rows);
    assert_string_equal(r->tables[0].table, "authors");
    assert_int_equal(r->tables[0].to_rows, 2);
    assert_string_equal(r->tables[6].table, "comments");
    assert_int_equal(r->tables[6].to_rows, 4);
}

/* What the copy wrote, as nashra reads it, and what comes after it. */
static void assert_usable(fx *f, store_t *s)
{
    store_article ar;
    assert_int_equal(store_article_by_slug(s, f->a, "سلاح", NOW, &ar), 0);
    assert_string_equal(ar.body_html, "<p>نص <em>محفوظ</em> كما هو</p>");
    assert_int_equal(ar.ntags, 2);
    assert_true(ar.sticky && ar.video);
    assert_int_equal(ar.body_format, BODY_MARKDOWN);
    store_page pg;
    assert_int_equal(store_page_by_slug(s, f->a, "team", &pg), 0);
    assert_int_equal(pg.body_format, BODY_HTML);
    assert_int_equal(pg.menu_order, -4);
    store_page parent;
    assert_int_equal(store_page_by_id(s, f->a, pg.parent_id, &parent), 0);
    assert_string_equal(parent.slug, "about");
    assert_int_equal(parent.parent_id, 9);
    store_import_item it;
    assert_int_equal(store_import_get(s, f->a, "https://old.example.com", IMPORT_POST, 42, NULL,
                                      &it), 0);
    assert_int_equal(it.local_id, ar.id);
    assert_int_equal(it.ref, 7);
    store_author au = {0, "new", "جديد", NULL, NULL, NULL};
    assert_int_equal(store_author_insert(s, &au), 0);
    assert_int_equal(au.id, 3); /* after the copied ids, not among them */
    store_media m = {0, "/uploads/new.jpg", NULL, NULL, NULL, NULL, NULL, 0, NOW, 0, 0, 0, NULL, 0};
    assert_int_equal(store_media_insert(s, &m), 0);
    assert_int_equal(m.id, 71);
}

static void test_copy_identical(void **state)
{
    fx *f = *state;
    store_copy_report r;
    assert_int_equal(store_copy(f->from, f->to, false, f->a, &r), 0);
    assert_report(&r);
    assert_false(store_in_transaction(f->from));
    assert_false(store_in_transaction(f->to));
    assert_string_equal(dump(f, f->dst), dump(f, f->src));
    /* a server on the target hears of the copy through its change log */
    int64_t head = 0;
    assert_int_equal(store_changes_head(f->to, &head), 0);
    assert_true(head > 0);
    assert_usable(f, f->to);
}

static void test_refuses_non_empty(void **state)
{
    fx *f = *state;
    fill_other(f->to);
    const char *before = dump(f, f->dst);
    store_copy_report r;
    assert_int_equal(store_copy(f->from, f->to, false, f->a, &r), NS_EEXIST);
    assert_false(store_in_transaction(f->to));
    assert_string_equal(dump(f, f->dst), before);
    /* one row in the last table is a site too */
    store_close(f->to);
    unlink(f->dst);
    assert_int_equal(store_open(f->dst, STORE_CREATE, &f->to), 0);
    assert_int_equal(store_setting_set(f->to, "k", "v"), 0);
    assert_int_equal(store_copy(f->from, f->to, false, f->a, &r), NS_EEXIST);
    /* with replace, the old site goes in the same transaction */
    assert_int_equal(store_copy(f->from, f->to, true, f->a, &r), 0);
    assert_report(&r);
    assert_string_equal(dump(f, f->dst), dump(f, f->src));
    /* and again over a copy of itself */
    assert_int_equal(store_copy(f->from, f->to, true, f->a, &r), 0);
    assert_string_equal(dump(f, f->dst), dump(f, f->src));
}

/* The site in `to` as text: f->dst read directly, any other store (a
 * PostgreSQL one) through a copy into the SQLite file f->scratch. */
static const char *dump_store(fx *f, store_t *to)
{
    if (to == f->to)
        return dump(f, f->dst);
    store_copy_report r;
    assert_int_equal(store_copy(to, f->scratch, true, f->a, &r), 0);
    return dump(f, f->scratch_path);
}

/* A fault at step n of `victim` (f->from or to), for every n until the
 * copy from f->from into `to` gets through: each failure is reported and
 * leaves `to` as it was. Returns how many attempts failed. */
static uint64_t fault_loop(fx *f, store_t *to, store_t *victim, int code)
{
    const char *before = dump_store(f, to);
    store_copy_report r;
    uint64_t n = 1;
    for (;; n++) {
        store_fault(victim, n, code, false);
        int rc = store_copy(f->from, to, true, f->a, &r);
        store_fault(victim, 0, 0, false);
        assert_false(store_in_transaction(f->from));
        assert_false(store_in_transaction(to));
        if (rc == 0)
            break;
        assert_int_equal(rc, code);
        assert_string_equal(dump_store(f, to), before);
    }
    assert_string_equal(dump_store(f, to), dump(f, f->src));
    return n - 1;
}

static void test_fault_at_every_step_of_target(void **state)
{
    fx *f = *state;
    fill_other(f->to);
    /* every statement of the target: begin, clearing, counts, one per row
     * and per link, verification, commit */
    assert_true(fault_loop(f, f->to, f->to, NS_EIO) > 40);
}

static void test_fault_at_every_step_of_source(void **state)
{
    fx *f = *state;
    fill_other(f->to);
    assert_true(fault_loop(f, f->to, f->from, NS_EIO) > 20);
}

/* A target that loses a row it was given (here a trigger deletes it):
 * the counts differ, nothing is committed, the report names the table. */
static void test_counts_differ(void **state)
{
    fx *f = *state;
    raw(f->dst, "CREATE TRIGGER lose AFTER INSERT ON settings WHEN new.key = 'empty'"
                " BEGIN DELETE FROM settings WHERE key = new.key; END;");
    const char *before = dump(f, f->dst);
    store_copy_report r;
    assert_int_equal(store_copy(f->from, f->to, false, f->a, &r), NS_ECORRUPT);
    assert_false(store_in_transaction(f->to));
    assert_int_equal(r.n, NTABLES);
    assert_string_equal(r.tables[NTABLES - 1].table, "settings");
    assert_int_equal(r.tables[NTABLES - 1].from_rows, 3);
    assert_int_equal(r.tables[NTABLES - 1].to_rows, 2);
    assert_string_equal(dump(f, f->dst), before);
}

/* Neither side may be in a transaction of its own already. */
static void test_inside_transaction(void **state)
{
    fx *f = *state;
    store_copy_report r;
    assert_int_equal(store_read_begin(f->to), 0);
    assert_int_not_equal(store_copy(f->from, f->to, false, f->a, &r), 0);
    assert_int_equal(store_read_end(f->to), 0);
    assert_false(store_in_transaction(f->from));
    assert_int_equal(store_copy(f->from, f->to, false, f->a, &r), 0);
}

/* ---- PostgreSQL ---- */

/* base with its database name replaced by name, into out. */
static void pg_url_with_db(const char *base, const char *name, char *out, size_t size)
{
    const char *auth = strstr(base, "://");
    assert_non_null(auth);
    const char *path = strchr(auth + 3, '/'), *query = strchr(auth + 3, '?');
    if (query && path > query)
        path = NULL;
    size_t head = path ? (size_t)(path - base) : query ? (size_t)(query - base) : strlen(base);
    snprintf(out, size, "%.*s/%s%s", (int)head, base, name, query ? query : "");
}

/* Run sql on the server of url as its user; fails the test on an error. */
static void pg_admin(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

static void test_pg_round_trip(void **state)
{
    fx *f = *state;
    const char *admin = getenv("NASHRA_TEST_PG_URL");
    if (!admin || !*admin)
        skip(); /* set NASHRA_TEST_PG_URL to a PostgreSQL URL to run it */
    char name[64], url[1024], sql[128];
    snprintf(name, sizeof name, "nashra_copy_%ld", (long)getpid());
    pg_url_with_db(admin, name, url, sizeof url);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    pg_admin(admin, sql);
    store_t *pg = NULL;
    assert_int_equal(store_open(url, STORE_CREATE, &pg), 0);
    assert_int_equal(store_open(f->scratch_path, STORE_CREATE, &f->scratch), 0);
    store_copy_report r;
    assert_int_equal(store_copy(f->from, pg, false, f->a, &r), 0);
    assert_report(&r);
    assert_int_equal(store_copy(pg, f->to, false, f->a, &r), 0);
    assert_report(&r);
    assert_string_equal(dump(f, f->dst), dump(f, f->src));
    /* a site there is refused, then replaced; a failure at any step of
     * PostgreSQL's side leaves it as it was */
    assert_int_equal(store_copy(f->from, pg, true, f->a, &r), 0);
    assert_int_equal(store_copy(f->from, pg, false, f->a, &r), NS_EEXIST);
    store_close(f->to);
    unlink(f->dst);
    assert_int_equal(store_open(f->dst, STORE_CREATE, &f->to), 0);
    fill_other(f->to);
    assert_int_equal(store_copy(f->to, pg, true, f->a, &r), 0);
    assert_true(fault_loop(f, pg, pg, NS_EIO) > 40);
    /* the id sequences were moved past the copied ids */
    assert_usable(f, pg);
    store_close(pg);
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
    pg_admin(admin, sql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_copy_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_non_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_at_every_step_of_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_at_every_step_of_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_differ, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inside_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pg_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
