/*
 * pg_copy.c - the PostgreSQL side of store_copy (copy.c): tables read
 * through a cursor a batch at a time, so a large site's tables are never
 * all in memory at once, and rows written one statement each, values as
 * text both ways; the server types each parameter by the column it goes
 * to, so '12' reaches a BIGINT column as 12 and a TEXT one as '12'. The
 * statements are copy.h's, whose $n parameters are PostgreSQL's own.
 * They run only inside the caller's transaction (the source's read
 * snapshot, the target's write), so unlike pg_run they never reconnect:
 * a lost connection took the transaction with it.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/err.h"
#include "store/copy.h"
#include "store/pg_priv.h"

#define COPY_BATCH 500
#define COPY_STR_(x) #x
#define COPY_STR(x) COPY_STR_(x)
#define COPY_CURSOR "nashra_copy"

/* sql with parameters vals, through pg_run_text: inside the copy's
 * transaction only, where a cursor lives. */
static int copy_exec(pg_store *s, const char *sql, int n, const char *const *vals, PGresult **res)
{
    if (res)
        *res = NULL;
    if (!s->in_read && !s->in_write)
        return NS_EINTERNAL;
    return pg_run_text(s, sql, n, vals, res);
}

/* The next batch of the cursor through fn; *more: it may not be the last. */
static int copy_batch(pg_store *s, size_t ncols, int (*fn)(void *, const char *const *),
                      void *arg, bool *more)
{
    PGresult *r;
    int rc = copy_exec(s, "FETCH " COPY_STR(COPY_BATCH) " FROM " COPY_CURSOR, 0, NULL, &r);
    if (rc)
        return rc;
    int n = PQntuples(r);
    if ((size_t)PQnfields(r) != ncols)
        rc = NS_EINTERNAL;
    const char *vals[STORE_COPY_MAX_COLS];
    for (int i = 0; rc == 0 && i < n; i++) {
        for (size_t c = 0; c < ncols; c++)
            vals[c] = PQgetisnull(r, i, (int)c) ? NULL : PQgetvalue(r, i, (int)c);
        rc = fn(arg, vals);
    }
    *more = n == COPY_BATCH;
    PQclear(r);
    return rc;
}

int pg_rows(store_t *self, const char *table, const char *const *cols, size_t ncols,
            int (*fn)(void *arg, const char *const *vals), void *arg)
{
    pg_store *s = pgs(self);
    char select[STORE_COPY_SQL_MAX], declare[STORE_COPY_SQL_MAX + 64];
    int rc = store_copy_sql(select, sizeof select, STORE_COPY_SELECT, table, cols, ncols);
    if (rc)
        return rc;
    snprintf(declare, sizeof declare, "DECLARE " COPY_CURSOR " NO SCROLL CURSOR FOR %s", select);
    if ((rc = copy_exec(s, declare, 0, NULL, NULL)))
        return rc;
    bool more = true;
    while (rc == 0 && more)
        rc = copy_batch(s, ncols, fn, arg, &more);
    int closed = copy_exec(s, "CLOSE " COPY_CURSOR, 0, NULL, NULL);
    return rc ? rc : closed;
}

int pg_row_put(store_t *self, const char *table, const char *const *cols, size_t ncols,
               const char *const *vals)
{
    char sql[STORE_COPY_SQL_MAX];
    int rc = store_copy_sql(sql, sizeof sql, STORE_COPY_INSERT, table, cols, ncols);
    return rc ? rc : copy_exec(pgs(self), sql, (int)ncols, vals, NULL);
}

int pg_row_set(store_t *self, const char *table, const char *key, const char *keyval,
               const char *col, const char *value)
{
    char sql[STORE_COPY_SQL_MAX];
    const char *const cols[] = {col, key}, *const vals[] = {value, keyval};
    int rc = store_copy_sql(sql, sizeof sql, STORE_COPY_UPDATE, table, cols, 2);
    return rc ? rc : copy_exec(pgs(self), sql, 2, vals, NULL);
}

int pg_count(store_t *self, const char *table, int64_t *n)
{
    char sql[STORE_COPY_SQL_MAX];
    PGresult *r;
    *n = 0;
    int rc = store_copy_sql(sql, sizeof sql, STORE_COPY_COUNT, table, NULL, 0);
    /* one statement, also outside a transaction (the index's rebuild
     * counts the articles before it begins one) */
    if (rc == 0)
        rc = pg_run_text(pgs(self), sql, 0, NULL, &r);
    if (rc)
        return rc;
    *n = pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}

int pg_clear(store_t *self, const char *table)
{
    char sql[STORE_COPY_SQL_MAX];
    int rc = store_copy_sql(sql, sizeof sql, STORE_COPY_CLEAR, table, NULL, 0);
    return rc ? rc : copy_exec(pgs(self), sql, 0, NULL, NULL);
}

/* Each identity column's sequence moved past the ids the copy wrote, so
 * the next insert gets a new one. Never lowered: setval is outside the
 * transaction, and a copy that replaced a site and then failed to commit
 * leaves the old rows, whose ids the sequence must stay past. */
int pg_copied(store_t *self)
{
    static const char *const tables[] = {"authors", "categories", "tags", "articles",
                                         "comments", "pages", "media", "revisions"};
    pg_store *s = pgs(self);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof tables / sizeof tables[0]; i++) {
        const char *t = tables[i];
        char sql[512];
        assert(store_copy_name_ok(t));
        snprintf(sql, sizeof sql,
                 "SELECT setval(pg_get_serial_sequence('%s', 'id'), greatest(coalesce(max(id), 0) + 1,"
                 " nextval(pg_get_serial_sequence('%s', 'id'))), false) FROM \"%s\"", t, t, t);
        rc = copy_exec(s, sql, 0, NULL, NULL);
    }
    return rc;
}
