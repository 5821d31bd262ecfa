/*
 * sqlite_copy.c - the SQLite side of store_copy (copy.c): whole tables
 * read and written with values as text, statements from copy.h. A text
 * bound to an INTEGER column becomes an integer by the column's affinity
 * ('12' is stored as 12, as nashra's own writes store it), and a TEXT
 * column keeps it as it is; what cannot travel as text (a value holding a
 * NUL byte, which only a hand-made blob could) is refused rather than cut
 * short. Each step goes through store_step, so copies are counted and
 * fault-injectable like every other statement.
 */
#include <string.h>
#include "core/err.h"
#include "store/copy.h"
#include "store/sqlite_priv.h"

/* A statement of its own, for the few run once per table. */
static int copy_prepare(sq_store *s, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? 0 : store_map_rc(sqlite3_extended_errcode(s->db));
}

/* The statement of a row write, kept between calls: a table's rows all use
 * the same text, so it is prepared once per table, not once per row. */
static sqlite3_stmt *copy_cached(sq_store *s, const char *sql, int *rc)
{
    *rc = 0;
    if (s->copy_stmt && strcmp(sqlite3_sql(s->copy_stmt), sql) == 0)
        return s->copy_stmt;
    sqlite3_finalize(s->copy_stmt);
    s->copy_stmt = NULL;
    *rc = copy_prepare(s, sql, &s->copy_stmt);
    return s->copy_stmt;
}

/* Run a row write with vals bound to $1..$n (NULL binds SQL NULL). */
static int copy_write(sq_store *s, const char *sql, const char *const *vals, size_t n)
{
    int rc;
    sqlite3_stmt *st = copy_cached(s, sql, &rc);
    if (!st)
        return rc ? rc : NS_EINTERNAL;
    for (size_t i = 0; i < n; i++)
        if (vals[i])
            sqlite3_bind_text(st, (int)i + 1, vals[i], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, (int)i + 1);
    return store_done(st, store_map_rc(store_step(s, st)));
}

/* The columns of the current row as text into vals. */
static int copy_values(sqlite3_stmt *st, const char **vals, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int col = (int)i;
        if (sqlite3_column_type(st, col) == SQLITE_NULL) {
            vals[i] = NULL;
            continue;
        }
        vals[i] = (const char *)sqlite3_column_text(st, col);
        if (!vals[i])
            return NS_EINTERNAL;
        if (strlen(vals[i]) != (size_t)sqlite3_column_bytes(st, col))
            return NS_EINVAL;
    }
    return 0;
}

int sq_rows(store_t *self, const char *table, const char *const *cols, size_t ncols,
            int (*fn)(void *arg, const char *const *vals), void *arg)
{
    sq_store *s = sq(self);
    char sql[STORE_COPY_SQL_MAX];
    sqlite3_stmt *st = NULL;
    int rc = store_copy_sql(sql, sizeof sql, STORE_COPY_SELECT, table, cols, ncols);
    if (rc == 0)
        rc = copy_prepare(s, sql, &st);
    const char *vals[STORE_COPY_MAX_COLS];
    int step = SQLITE_DONE;
    while (rc == 0 && (step = store_step(s, st)) == SQLITE_ROW) {
        rc = copy_values(st, vals, ncols);
        if (rc == 0)
            rc = fn(arg, vals);
    }
    if (rc == 0)
        rc = store_map_rc(step);
    sqlite3_finalize(st);
    return rc;
}

int sq_row_put(store_t *self, const char *table, const char *const *cols, size_t ncols,
               const char *const *vals)
{
    char sql[STORE_COPY_SQL_MAX];
    int rc = store_copy_sql(sql, sizeof sql, STORE_COPY_INSERT, table, cols, ncols);
    return rc ? rc : copy_write(sq(self), sql, vals, ncols);
}

int sq_row_set(store_t *self, const char *table, const char *key, const char *keyval,
               const char *col, const char *value)
{
    char sql[STORE_COPY_SQL_MAX];
    const char *const cols[] = {col, key}, *const vals[] = {value, keyval};
    int rc = store_copy_sql(sql, sizeof sql, STORE_COPY_UPDATE, table, cols, 2);
    return rc ? rc : copy_write(sq(self), sql, vals, 2);
}

/* A statement of `kind` on table stepped once; *n gets its first column
 * when it returns a row. */
static int copy_once(sq_store *s, store_copy_stmt kind, const char *table, int64_t *n)
{
    char sql[STORE_COPY_SQL_MAX];
    sqlite3_stmt *st = NULL;
    int rc = store_copy_sql(sql, sizeof sql, kind, table, NULL, 0);
    if (rc == 0)
        rc = copy_prepare(s, sql, &st);
    if (rc == 0) {
        int step = store_step(s, st);
        if (step == SQLITE_ROW && n)
            *n = sqlite3_column_int64(st, 0);
        rc = store_map_rc(step);
    }
    sqlite3_finalize(st);
    return rc;
}

int sq_count(store_t *self, const char *table, int64_t *n)
{
    *n = 0;
    return copy_once(sq(self), STORE_COPY_COUNT, table, n);
}

int sq_clear(store_t *self, const char *table)
{
    return copy_once(sq(self), STORE_COPY_CLEAR, table, NULL);
}

/* An INTEGER PRIMARY KEY takes the largest id + 1 by itself. */
int sq_copied(store_t *self)
{
    (void)self;
    return 0;
}
