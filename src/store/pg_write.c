/*
 * pg_write.c - every write of the PostgreSQL backend, through pg_write (the
 * write path of pg.c): validated before the server sees it (fields.c),
 * each in a transaction of its own or a savepoint of the caller's, new ids
 * read from RETURNING. The server's triggers write the change log in the
 * same transaction, as SQLite's do.
 */
#include <string.h>
#include <time.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "store/pg_priv.h"

/* One statement writing one struct through its field table. */
struct pg_row_write {
    enum pg_stmt_id stmt;
    const store_fields *fs;
    const void *row;
    int64_t *id;            /* gets RETURNING id; NULL: the statement returns none */
    int if_none;            /* returned when no row was written; 0: not an error */
};

static int pg_row_fn(store_t *self, void *arg)
{
    const struct pg_row_write *x = arg;
    pg_args a = { .n = 0 };
    pg_arg_row(&a, x->stmt, x->fs, x->row);
    PGresult *r;
    int rc = pg_run(pgs(self), x->stmt, &a, &r);
    if (rc)
        return rc;
    bool none = x->id ? PQntuples(r) == 0 : pg_affected(r) == 0;
    if (x->id && !none)
        *x->id = pg_int(r, 0, 0);
    PQclear(r);
    return none ? x->if_none : 0;
}

/* Validate, then write one row in a transaction of its own. */
int pg_row_store(store_t *self, enum pg_stmt_id stmt, const store_fields *fs, const void *row,
                 int64_t *id, int if_none)
{
    struct pg_row_write x = { stmt, fs, row, id, if_none };
    int rc = store_check_row(fs, row);
    return rc ? rc : pg_write(self, pg_row_fn, &x);
}

int pg_author_insert(store_t *s, store_author *au)
{
    return pg_row_store(s, PS_AUTHOR_INSERT, &store_author_fields, au, &au->id, 0);
}

int pg_category_insert(store_t *s, store_category *c)
{
    return pg_row_store(s, PS_CATEGORY_INSERT, &store_category_fields, c, &c->id, 0);
}

int pg_category_update(store_t *s, const store_category *c)
{
    return pg_row_store(s, PS_CATEGORY_UPDATE, &store_category_fields, c, NULL, NS_ENOTFOUND);
}

int pg_page_insert(store_t *s, store_page *p)
{
    return pg_row_store(s, PS_PAGE_INSERT, &store_page_fields, p, &p->id, 0);
}

int pg_setting_set(store_t *s, const char *key, const char *value)
{
    store_setting kv = { key, value ? value : "" };
    return pg_row_store(s, PS_SETTING_SET, &store_setting_fields, &kv, NULL, 0);
}

int pg_redirect_insert(store_t *s, const store_redirect *r)
{
    if (r->status != 301 && r->status != 302)
        return NS_EINVAL;
    return pg_row_store(s, PS_REDIRECT_INSERT, &store_redirect_fields, r, NULL, 0);
}

int pg_redirect_put(store_t *s, const store_redirect *r)
{
    return pg_row_store(s, PS_REDIRECT_PUT, &store_redirect_fields, r, NULL, 0);
}

int pg_media_insert(store_t *s, store_media *m)
{
    return pg_row_store(s, PS_MEDIA_INSERT, &store_media_fields, m, &m->id, 0);
}

int pg_media_update(store_t *s, const store_media *m)
{
    return pg_row_store(s, PS_MEDIA_UPDATE, &store_media_fields, m, NULL, NS_ENOTFOUND);
}

int pg_import_put(store_t *s, const store_import_item *it)
{
    return pg_row_store(s, PS_IMPORT_PUT, &store_import_fields, it, NULL, 0);
}

int pg_setting_ensure(store_t *s, const char *key, const char *value)
{
    store_setting kv = { key, value ? value : "" };
    return pg_row_store(s, PS_SETTING_ENSURE, &store_setting_fields, &kv, NULL, 0);
}

/* The same text from the same person is refused before the insert, in
 * the same transaction; nothing is inserted when the article is gone or
 * the parent is not an approved comment of it. */
static int pg_comment_fn(store_t *self, void *arg)
{
    store_comment *c = arg;
    bool dup = false;
    int rc = c->fingerprint ? pg_comment_dup(self, c, &dup) : 0;
    if (rc || dup)
        return rc ? rc : NS_EEXIST;
    struct pg_row_write x = { PS_COMMENT_INSERT, &store_comment_fields, c, &c->id, NS_EINVAL };
    return pg_row_fn(self, &x);
}

int pg_comment_insert(store_t *s, store_comment *c)
{
    if (!store_comment_status_name(c->status))
        return NS_EINVAL;
    int rc = store_check_row(&store_comment_fields, c);
    return rc ? rc : pg_write(s, pg_comment_fn, c);
}

/* A row write after a check: statement `check`, given the row, must
 * count a row (`want` true) or none (false), else NS_EINVAL. */
struct pg_checked {
    enum pg_stmt_id check;
    bool want;
    struct pg_row_write w;
};

static int pg_checked_fn(store_t *self, void *arg)
{
    struct pg_checked *x = arg;
    pg_args a = { .n = 0 };
    pg_arg_row(&a, x->check, x->w.fs, x->w.row);
    PGresult *r;
    int rc = pg_run(pgs(self), x->check, &a, &r);
    if (rc)
        return rc;
    bool found = PQntuples(r) == 1 && pg_int(r, 0, 0) > 0;
    PQclear(r);
    return found == x->want ? pg_row_fn(self, &x->w) : NS_EINVAL;
}

/* An imported comment: its parent checked first (any comment of the
 * same article), then inserted, or the one of its id replaced. */
int pg_comment_import(store_t *s, store_comment *c)
{
    struct pg_checked x = { PS_COMMENT_PARENT, true,
                            { c->id ? PS_COMMENT_REPLACE : PS_COMMENT_IMPORT,
                              &store_comment_fields, c, c->id ? NULL : &c->id, NS_ENOTFOUND } };
    int rc = store_check_row(&store_comment_fields, c);
    return rc ? rc : pg_write(s, pg_checked_fn, &x);
}

/* A page under itself, however far up, would make its parents a cycle. */
int pg_page_update(store_t *s, const store_page *p)
{
    struct pg_checked x = { PS_PAGE_CYCLE, false,
                            { PS_PAGE_UPDATE, &store_page_fields, p, NULL, NS_ENOTFOUND } };
    int rc = store_check_row(&store_page_fields, p);
    return rc ? rc : pg_write(s, pg_checked_fn, &x);
}

/* ---- tags ---- */

struct pg_tag {
    store_tag *t;
    const char *slug;
};

/* Insert unless the slug exists, then read the id in a statement of its
 * own: its snapshot sees a row another writer committed meanwhile. */
static int pg_tag_fn(store_t *self, void *arg)
{
    pg_store *s = pgs(self);
    struct pg_tag *x = arg;
    pg_args a = { .n = 0 };
    pg_arg_text(&a, x->slug);
    pg_arg_text(&a, x->t->name);
    int rc = pg_run(s, PS_TAG_INSERT, &a, NULL);
    a.n = 1;
    PGresult *r;
    if (rc == 0)
        rc = pg_run(s, PS_TAG_BY_SLUG, &a, &r);
    if (rc)
        return rc;
    rc = PQntuples(r) == 1 ? 0 : NS_EINTERNAL;
    if (rc == 0)
        x->t->id = pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int pg_tag_ensure(store_t *s, store_tag *t)
{
    int rc = store_check_row(&store_tag_fields, t);
    if (rc)
        return rc;
    struct pg_tag x = { t, t->slug };
    arena_t *tmp = NULL;
    if (!x.slug) {
        tmp = arena_new(256);
        x.slug = text_slugify(tmp, t->name, 200);
    }
    rc = x.slug && *x.slug ? pg_write(s, pg_tag_fn, &x) : NS_EINVAL;
    arena_free(tmp);
    return rc;
}

/* ---- articles ---- */

struct pg_article {
    store_article *ar;
    const int64_t *tag_ids;
    size_t ntags;
    bool update;
};

/* Make the article's tags exactly tag_ids, touching only the rows that
 * change (each logs a change of the lists). */
static int pg_set_tags(pg_store *s, int64_t id, const int64_t *tag_ids, size_t n)
{
    arena_t *tmp = arena_new(64 + 24 * n);
    buf_t b;
    buf_init(&b, tmp);
    buf_putc(&b, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)tag_ids[i]);
    buf_putc(&b, '}');
    pg_args a = { .n = 0 };
    pg_arg_int(&a, id);
    pg_arg_text(&a, buf_cstr(&b));
    int rc = pg_run(s, PS_ARTICLE_TAGS_KEEP, &a, NULL);
    arena_free(tmp);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        a.n = 1;
        pg_arg_int(&a, tag_ids[i]);
        rc = pg_run(s, PS_ARTICLE_TAG_INSERT, &a, NULL);
    }
    return rc;
}

static int pg_article_fn(store_t *self, void *arg)
{
    struct pg_article *x = arg;
    /* an update returns the revision it made */
    struct pg_row_write w = { x->update ? PS_ARTICLE_UPDATE : PS_ARTICLE_INSERT,
                              &store_article_fields, x->ar,
                              x->update ? &x->ar->revision : &x->ar->id, NS_ENOTFOUND };
    if (!x->update)
        x->ar->revision = 0;
    int rc = pg_row_fn(self, &w);
    return rc ? rc : pg_set_tags(pgs(self), x->ar->id, x->tag_ids, x->ntags);
}

int pg_article_insert(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    struct pg_article x = { ar, tag_ids, ntags, false };
    int rc = store_check_article(ar, tag_ids, ntags);
    return rc ? rc : pg_write(s, pg_article_fn, &x);
}

int pg_article_update(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    struct pg_article x = { ar, tag_ids, ntags, true };
    int rc = store_check_article(ar, tag_ids, ntags);
    if (rc)
        return rc;
    if (ar->updated_at == 0)
        ar->updated_at = (int64_t)time(NULL);
    return pg_write(s, pg_article_fn, &x);
}

/* ---- by id ---- */

struct pg_by_id {
    enum pg_stmt_id stmt;
    int64_t id;
    const char *status;     /* $2 if not NULL */
};

static int pg_by_id_fn(store_t *self, void *arg)
{
    const struct pg_by_id *x = arg;
    pg_args a = { .n = 0 };
    pg_arg_int(&a, x->id);
    if (x->status)
        pg_arg_text(&a, x->status);
    PGresult *r;
    int rc = pg_run(pgs(self), x->stmt, &a, &r);
    if (rc)
        return rc;
    rc = pg_affected(r) ? 0 : NS_ENOTFOUND;
    PQclear(r);
    return rc;
}

int pg_article_delete(store_t *s, int64_t id)
{
    struct pg_by_id x = { PS_ARTICLE_DELETE, id, NULL };
    return pg_write(s, pg_by_id_fn, &x);
}

int pg_comment_set_status(store_t *s, int64_t id, comment_status st)
{
    struct pg_by_id x = { PS_COMMENT_STATUS, id, store_comment_status_name(st) };
    return x.status ? pg_write(s, pg_by_id_fn, &x) : NS_EINVAL;
}

int pg_comment_delete(store_t *s, int64_t id)
{
    struct pg_by_id x = { PS_COMMENT_DELETE, id, NULL };
    return pg_write(s, pg_by_id_fn, &x);
}
