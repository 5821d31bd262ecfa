/*
 * backend.h - where a conformance test keeps its site, for each backend of
 * the store: a fresh SQLite file in a temporary directory, or a fresh
 * PostgreSQL database created on the server that NASHRA_TEST_PG_URL names
 * (a superuser URL) and dropped afterwards. Each backend also runs raw SQL
 * through a connection of its own, as the sqlite3 shell or psql would: the
 * commits nashra did not make, and the states nashra never makes itself
 * (another application's table, a schema newer than this binary).
 * A suite built on it runs every test on each backend (backend_run).
 * Header-only, like test_util.h; nothing here asserts.
 */
#ifndef NS_TESTS_STORE_BACKEND_H
#define NS_TESTS_STORE_BACKEND_H

#include <libpq-fe.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/err.h"
#include "test_util.h"

/* One test's place: what store_open is given, and what to remove after. */
typedef struct backend_loc {
    char location[512];
    char dir[64];        /* SQLite: the temporary directory */
    char dbname[64];     /* PostgreSQL: the database made for the test */
} backend_loc;

typedef struct backend {
    const char *name;
    /* Fill loc with a location where nothing exists yet; 0 on success. */
    int (*make)(backend_loc *loc);
    /* Remove what make (and the test) left there; 0 on success. */
    int (*drop)(backend_loc *loc);
    /* Run sql (one or more statements) on its own connection; 0 on success. */
    int (*exec)(const char *location, const char *sql);
    /* The integer in the first column of the first row of sql, into *v. */
    int (*query_int)(const char *location, const char *sql, int64_t *v);
    /* Raw SQL marking the site's schema as newer than any this binary knows. */
    const char *newer_schema_sql;
    /* Raw SQL taking a site of schema version 7 back to version 6, its
     * rows kept but for the columns and tables version 7 added. */
    const char *v6_schema_sql;
    /* Whether store_changed reports another connection's commit on the
     * very next call: SQLite reads the file's change counter each time;
     * PostgreSQL relies on a notification that arrives on its own time,
     * or on its look at the log's head once a second (store.h). */
    bool changed_at_once;
    /* A location that cannot be reached, and the code opening it gives. */
    const char *unreachable;
    int unreachable_rc;
} backend;

/* ---- SQLite: a file in a fresh directory ---- */

static inline int backend_sqlite_make(backend_loc *loc)
{
    if (!test_util_tmpdir(loc->dir, sizeof loc->dir, "conf"))
        return -1;
    snprintf(loc->location, sizeof loc->location, "%s/nashra.db", loc->dir);
    return 0;
}

static inline int backend_sqlite_drop(backend_loc *loc)
{
    return test_util_rmtree(loc->dir);
}

/* A connection of its own that waits for locks as the sqlite3 shell does. */
static inline sqlite3 *backend_sqlite_connect(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static inline int backend_sqlite_exec(const char *path, const char *sql)
{
    sqlite3 *db = backend_sqlite_connect(path);
    int rc = db ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_CANTOPEN;
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

static inline int backend_sqlite_query_int(const char *path, const char *sql, int64_t *v)
{
    sqlite3 *db = backend_sqlite_connect(path);
    sqlite3_stmt *st = NULL;
    int rc = db ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_CANTOPEN;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc == SQLITE_ROW ? 0 : -1;
}

static const backend backend_sqlite = {
    .name = "sqlite",
    .make = backend_sqlite_make,
    .drop = backend_sqlite_drop,
    .exec = backend_sqlite_exec,
    .query_int = backend_sqlite_query_int,
    .newer_schema_sql = "PRAGMA user_version = 999",
    /* a column goes after what names it: its trigger, its indexes */
    .v6_schema_sql = "DROP TRIGGER media_log_upd; DROP TABLE sessions; DROP TABLE users;"
        " DROP TABLE login_failures; DROP TABLE revisions; DROP INDEX articles_image;"
        " DROP INDEX articles_changed; ALTER TABLE articles DROP COLUMN breaking;"
        " ALTER TABLE articles DROP COLUMN trashed_at; ALTER TABLE articles DROP COLUMN revision;"
        " ALTER TABLE articles DROP COLUMN image_id;"
        " DROP TRIGGER articles_log_upd; DROP INDEX articles_sticky;"
        " DROP INDEX pages_parent; DROP TABLE media; DROP TABLE import_items;"
        " ALTER TABLE articles DROP COLUMN sticky; ALTER TABLE articles DROP COLUMN video;"
        " ALTER TABLE articles DROP COLUMN body_format; ALTER TABLE pages DROP COLUMN parent_id;"
        " ALTER TABLE pages DROP COLUMN menu_order; ALTER TABLE pages DROP COLUMN body_format;"
        " PRAGMA user_version = 6",
    .changed_at_once = true,
    .unreachable = "/nonexistent-nashra/site.db", /* a directory that is not there */
    .unreachable_rc = NS_EIO,
};

/* ---- PostgreSQL: a database of its own on the test server ---- */

/* The server's URL (NASHRA_TEST_PG_URL); databases are created through it. */
static const char *backend_pg_url __attribute__((unused));

static inline void backend_pg_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "database does not exist, skipping" and the like */
}

static inline PGconn *backend_pg_connect(const char *url)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "backend: cannot connect: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, backend_pg_quiet, NULL);
    return c;
}

/* The result of sql on its own connection, NULL (and a message) on failure. */
static inline PGresult *backend_pg_run(const char *url, const char *sql)
{
    PGconn *c = backend_pg_connect(url);
    if (!c)
        return NULL;
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fprintf(stderr, "backend: %s: %s", sql, PQerrorMessage(c));
        PQclear(r);
        r = NULL;
    }
    PQfinish(c);
    return r;
}

static inline int backend_pg_exec(const char *url, const char *sql)
{
    PGresult *r = backend_pg_run(url, sql);
    PQclear(r);
    return r ? 0 : -1;
}

static inline int backend_pg_query_int(const char *url, const char *sql, int64_t *v)
{
    PGresult *r = backend_pg_run(url, sql);
    bool ok = r && PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0);
    if (ok)
        *v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return ok ? 0 : -1;
}

/* url with its database (the path after the authority) replaced by db,
 * its query parameters kept; 0 on success. */
static inline int backend_pg_url_with_db(const char *url, const char *db, char *out, size_t size)
{
    const char *auth = strstr(url, "://");
    if (!auth)
        return -1;
    auth += 3;
    const char *path = auth + strcspn(auth, "/?");
    const char *query = strchr(path, '?');
    int n = snprintf(out, size, "%.*s/%s%s", (int)(path - url), url, db, query ? query : "");
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* nashra_conf_<pid>_<n>: unique among the tests of every run at once. */
static inline int backend_pg_make(backend_loc *loc)
{
    static unsigned n;
    char sql[160];
    snprintf(loc->dbname, sizeof loc->dbname, "nashra_conf_%ld_%u", (long)getpid(), ++n);
    /* UTF8 whatever the cluster's default, as a site's database is made */
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", loc->dbname);
    if (backend_pg_exec(backend_pg_url, sql))
        return -1;
    return backend_pg_url_with_db(backend_pg_url, loc->dbname, loc->location, sizeof loc->location);
}

/* WITH (FORCE): a connection a failed test left open must not keep it. */
static inline int backend_pg_drop(backend_loc *loc)
{
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", loc->dbname);
    return backend_pg_exec(backend_pg_url, sql);
}

static const backend backend_pg = {
    .name = "postgresql",
    .make = backend_pg_make,
    .drop = backend_pg_drop,
    .exec = backend_pg_exec,
    .query_int = backend_pg_query_int,
    .newer_schema_sql = "UPDATE nashra_meta SET value = '999' WHERE key = 'schema_version'",
    .v6_schema_sql = "DROP TABLE sessions, users, login_failures, revisions;"
        " ALTER TABLE articles DROP COLUMN breaking, DROP COLUMN trashed_at, DROP COLUMN revision,"
        " DROP COLUMN image_id;"
        " DROP TABLE media, import_items; DROP FUNCTION log_media();"
        " ALTER TABLE articles DROP COLUMN sticky, DROP COLUMN video, DROP COLUMN body_format;"
        " ALTER TABLE pages DROP COLUMN parent_id, DROP COLUMN menu_order, DROP COLUMN body_format;"
        " UPDATE nashra_meta SET value = '6' WHERE key = 'schema_version'",
    .changed_at_once = false,
    .unreachable = "postgresql://nashra@127.0.0.1:1/nashra", /* nothing listens on port 1 */
    .unreachable_rc = NS_EUNAVAIL,
};

/* ---- a suite on every backend ---- */

/* A test's entry for one backend, named "backend/test" in the output,
 * with the backend as its initial state and the suite's `teardown`. */
#define BACKEND_ON_SQLITE(name, setup) \
    { "sqlite/" #name, test_##name, setup, teardown, (void *)&backend_sqlite },
#define BACKEND_ON_PG(name, setup) \
    { "postgresql/" #name, test_##name, setup, teardown, (void *)&backend_pg },

/* Run n tests on SQLite, then the same on PostgreSQL when
 * NASHRA_TEST_PG_URL names a server (else say, for `suite`, that it was
 * not tested); the number that failed. */
static inline int backend_run(const char *suite, const struct CMUnitTest *sqlite_tests,
                              const struct CMUnitTest *pg_tests, size_t n)
{
    int failed = _cmocka_run_group_tests("sqlite", sqlite_tests, n, NULL, NULL);
    backend_pg_url = getenv("NASHRA_TEST_PG_URL");
    if (!backend_pg_url || !*backend_pg_url) {
        printf("%s: postgresql not tested (NASHRA_TEST_PG_URL unset)\n", suite);
        return failed;
    }
    return failed + _cmocka_run_group_tests("postgresql", pg_tests, n, NULL, NULL);
}

/* The main of a suite whose tests are listed as LIST(T), T(name, setup). */
#define BACKEND_MAIN(suite, LIST)                                                            \
    int main(void)                                                                           \
    {                                                                                        \
        static const struct CMUnitTest sqlite_tests[] = { LIST(BACKEND_ON_SQLITE) };         \
        static const struct CMUnitTest pg_tests[] = { LIST(BACKEND_ON_PG) };                 \
        return backend_run(suite, sqlite_tests, pg_tests, sizeof sqlite_tests / sizeof *sqlite_tests); \
    }

/* ---- a test's fixture ---- */

/* What every fixture begins with: the backend it runs on and its place
 * there. A suite's own fixture struct starts with these two members. */
typedef struct backend_fixture {
    const backend *be;
    backend_loc loc;
} backend_fixture;

/* A zeroed fixture of `size` bytes on a fresh place of the backend that
 * *state names (cmocka's initial state); NULL, with nothing left behind,
 * if memory or the place cannot be had. Free it after be->drop. */
static inline void *backend_fixture_new(void *const *state, size_t size)
{
    backend_fixture *f = calloc(1, size);
    if (!f)
        return NULL;
    f->be = *state;
    if (f->be->make(&f->loc) != 0) {
        free(f);
        return NULL;
    }
    return f;
}

#endif
