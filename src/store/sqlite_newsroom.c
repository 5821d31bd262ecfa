/*
 * sqlite_newsroom.c - the newsroom's operations on SQLite (store_impl.h):
 * its fixed statements (sqlite_sql.c, at ST_NR) read and written through
 * the rows and writes of the other files, and its article list, whose
 * text newsroom.c builds from the filters a query uses.
 */
#include <string.h>
#include "core/err.h"
#include "store/sqlite_priv.h"

/* Numbered parameters ?1.. (or $1.. in order), text copied. */
static void nr_bind(sqlite3_stmt *st, const store_param *p, size_t np)
{
    for (size_t i = 0; i < np; i++) {
        int ix = (int)i + 1;
        if (!p[i].is_text)
            sqlite3_bind_int64(st, ix, p[i].num);
        else if (p[i].text)
            sqlite3_bind_text(st, ix, p[i].text, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, ix);
    }
}

int sq_nr_read(store_t *self, arena_t *a, enum store_nr q, const store_param *p, size_t np,
               const store_fields *fs, void **rows, size_t *n)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, (enum store_stmt_id)(ST_NR + q));
    if (!st)
        return NS_EINTERNAL;
    nr_bind(st, p, np);
    if (!n)
        memset(*rows, 0, fs->size);
    return sq_read_rows(s, a, st, fs, rows, n);
}

int sq_nr_row(store_t *self, enum store_nr q, const store_fields *fs, const void *row,
              int64_t *id, int if_none)
{
    return sq_row_store(sq(self), (enum store_stmt_id)(ST_NR + q), fs, row, id, if_none);
}

static int nr_write_fn(store_t *self, void *arg)
{
    sq_store *s = sq(self);
    const store_nr_call *x = arg;
    sqlite3_stmt *st = store_stmt(s, (enum store_stmt_id)(ST_NR + x->q));
    if (!st)
        return NS_EINTERNAL;
    nr_bind(st, x->p, x->np);
    int rc = store_map_rc(store_step(s, st));
    int changes = rc == 0 ? sqlite3_changes(s->db) : 0;
    rc = store_done(st, rc);
    return rc ? rc : changes ? 0 : x->if_none;
}

int sq_nr_write(store_t *self, enum store_nr q, const store_param *p, size_t np, int if_none)
{
    store_nr_call x = { q, p, np, if_none };
    return sq_write(self, nr_write_fn, &x);
}

/* A statement built at run time (the list's filters vary), prepared for
 * this call only: the newsroom's list is read far less often than a
 * reader's page. */
static int nr_prepare(sq_store *s, const char *sql, const store_param *p, size_t np,
                      sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
        sqlite3_finalize(*st);
        return NS_EINTERNAL;
    }
    nr_bind(*st, p, np);
    return 0;
}

int sq_nr_articles(store_t *self, arena_t *a, const char *sql, const char *count_sql,
                   const store_param *p, size_t np, struct store_article_list *out,
                   int64_t *total)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st;
    int rc = nr_prepare(s, count_sql, p, np - 2, &st); /* without limit and offset */
    if (rc)
        return rc;
    rc = store_step(s, st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    rc = store_map_rc(rc);
    sqlite3_finalize(st);
    if (rc || (rc = nr_prepare(s, sql, p, np, &st)))
        return rc;
    size_t cap = 0;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        out->items = arena_grow(a, out->items, out->n, &cap, sizeof *out->items, 16);
        sq_article_row(a, st, &out->items[out->n++]);
    }
    sqlite3_finalize(st);
    return store_map_rc(rc);
}
