/*
 * pg_newsroom.c - the newsroom's operations on PostgreSQL (store_impl.h):
 * its fixed statements (pg_sql.c, at PS_NR) read and written through the
 * rows and writes of the other files, and its article list, whose text
 * newsroom.c builds from the filters a query uses.
 */
#include <string.h>
#include "core/err.h"
#include "store/pg_priv.h"

static void nr_args(pg_args *a, const store_param *p, size_t np)
{
    for (size_t i = 0; i < np && a->n < PG_MAX_ARGS; i++) {
        if (p[i].is_text)
            pg_arg_text(a, p[i].text);
        else
            pg_arg_int(a, p[i].num);
    }
}

int pg_nr_read(store_t *self, arena_t *a, enum store_nr q, const store_param *p, size_t np,
               const store_fields *fs, void **rows, size_t *n)
{
    pg_args args = { .n = 0 };
    nr_args(&args, p, np);
    PGresult *r;
    int rc = pg_run(pgs(self), PS_NR + (int)q, &args, &r);
    if (rc)
        return rc;
    if (n) {
        *rows = pg_rows_of(a, r, fs, n);
    } else if (PQntuples(r) == 0) {
        rc = NS_ENOTFOUND;
    } else {
        memset(*rows, 0, fs->size);
        pg_read_row(a, r, 0, 0, fs, *rows);
    }
    PQclear(r);
    return rc;
}

int pg_nr_row(store_t *self, enum store_nr q, const store_fields *fs, const void *row,
              int64_t *id, int if_none)
{
    return pg_row_store(self, (enum pg_stmt_id)(PS_NR + q), fs, row, id, if_none);
}

static int nr_write_fn(store_t *self, void *arg)
{
    const store_nr_call *x = arg;
    pg_args args = { .n = 0 };
    nr_args(&args, x->p, x->np);
    PGresult *r;
    int rc = pg_run(pgs(self), PS_NR + (int)x->q, &args, &r);
    if (rc)
        return rc;
    rc = pg_affected(r) ? 0 : x->if_none;
    PQclear(r);
    return rc;
}

int pg_nr_write(store_t *self, enum store_nr q, const store_param *p, size_t np, int if_none)
{
    store_nr_call x = { q, p, np, if_none };
    return pg_write(self, nr_write_fn, &x);
}

/* A statement built at run time (the list's filters vary), not prepared. */
static int nr_text(pg_store *s, const char *sql, const store_param *p, size_t np, PGresult **r)
{
    pg_args args = { .n = 0 };
    nr_args(&args, p, np);
    return pg_run_text(s, sql, args.n, args.v, r);
}

int pg_nr_articles(store_t *self, arena_t *a, const char *sql, const char *count_sql,
                   const store_param *p, size_t np, struct store_article_list *out,
                   int64_t *total)
{
    pg_store *s = pgs(self);
    PGresult *r;
    int rc = nr_text(s, count_sql, p, np - 2, &r); /* without limit and offset */
    if (rc)
        return rc;
    *total = pg_int(r, 0, 0);
    PQclear(r);
    if ((rc = nr_text(s, sql, p, np, &r)))
        return rc;
    out->n = (size_t)PQntuples(r);
    out->items = arena_zalloc(a, (out->n ? out->n : 1) * sizeof *out->items);
    for (size_t i = 0; i < out->n; i++)
        pg_article_row(a, r, (int)i, &out->items[i]);
    PQclear(r);
    return 0;
}
