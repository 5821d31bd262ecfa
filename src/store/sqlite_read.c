/*
 * sqlite_read.c - every read of the SQLite backend. Rows become the plain
 * structs of store.h with their strings copied onto the caller's arena, so
 * statements can be reset (and reused by the next query) at once. Article
 * lists come in one prepared variant per combination of filters, each with
 * a WHERE clause the indexes can serve, instead of one catch-all query.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/err.h"
#include "store/sqlite_priv.h"
#include "store/sqlite_sql.h"

void store_bind_row(sqlite3_stmt *st, const store_fields *fs, const void *row)
{
    for (size_t i = 0; i < fs->n; i++) {
        const store_field *f = &fs->f[i];
        const void *m = (const char *)row + f->off;
        switch (f->kind) {
        case STORE_F_TEXT:
        case STORE_F_TEXT_REQ:
            store_bind_text(st, f->param, *(const char *const *)m);
            break;
        case STORE_F_I64:
            store_bind_int(st, f->param, *(const int64_t *)m);
            break;
        case STORE_F_REF:
            store_bind_ref(st, f->param, *(const int64_t *)m);
            break;
        case STORE_F_INT:
            store_bind_int(st, f->param, *(const int *)m);
            break;
        case STORE_F_BOOL:
            store_bind_int(st, f->param, *(const bool *)m);
            break;
        case STORE_F_ARTICLE_STATUS:
            store_bind_text(st, f->param, store_article_status_name(*(const article_status *)m));
            break;
        case STORE_F_COMMENT_STATUS:
            store_bind_text(st, f->param, store_comment_status_name(*(const comment_status *)m));
            break;
        case STORE_F_BODY_FORMAT:
            store_bind_text(st, f->param, store_body_format_name(*(const body_format *)m));
            break;
        case STORE_F_USER_ROLE:
            store_bind_text(st, f->param, store_user_role_name(*(const user_role *)m));
            break;
        }
    }
}

void store_read_row(arena_t *a, sqlite3_stmt *st, const store_fields *fs, void *row)
{
    for (size_t i = 0; i < fs->n; i++) {
        const store_field *f = &fs->f[i];
        void *m = (char *)row + f->off;
        int col = (int)i;
        switch (f->kind) {
        case STORE_F_TEXT:
        case STORE_F_TEXT_REQ:
            *(const char **)m = store_col_str(a, st, col);
            break;
        case STORE_F_I64:
        case STORE_F_REF:
            *(int64_t *)m = sqlite3_column_int64(st, col);
            break;
        case STORE_F_INT:
            *(int *)m = sqlite3_column_int(st, col);
            break;
        case STORE_F_BOOL:
            *(bool *)m = sqlite3_column_int(st, col) != 0;
            break;
        case STORE_F_ARTICLE_STATUS:
            *(article_status *)m = store_article_status_parse(
                (const char *)sqlite3_column_text(st, col));
            break;
        case STORE_F_COMMENT_STATUS:
            *(comment_status *)m = store_comment_status_parse(
                (const char *)sqlite3_column_text(st, col));
            break;
        case STORE_F_BODY_FORMAT:
            *(body_format *)m = store_body_format_parse((const char *)sqlite3_column_text(st, col));
            break;
        case STORE_F_USER_ROLE:
            *(user_role *)m = store_user_role_parse((const char *)sqlite3_column_text(st, col));
            break;
        }
    }
}

/* One row of SQL_ART_COLS: the article's own columns, then the joined
 * author, category and comment count. */
void sq_article_row(arena_t *a, sqlite3_stmt *st, store_article *ar)
{
    enum { AUTHOR = 0, CATEGORY = 2, CATEGORY_PARENT = 4, COMMENTS = 5, IMAGE = 6 }; /* after own columns */
    const int j = (int)store_article_fields.n;
    memset(ar, 0, sizeof *ar);
    store_read_row(a, st, &store_article_fields, ar);
    if (sqlite3_column_type(st, j + AUTHOR) != SQLITE_NULL) {
        ar->author.id = ar->author_id;
        ar->author.slug = store_col_str(a, st, j + AUTHOR);
        ar->author.name = store_col_str(a, st, j + AUTHOR + 1);
    }
    if (sqlite3_column_type(st, j + CATEGORY) != SQLITE_NULL) {
        ar->category.id = ar->category_id;
        ar->category.slug = store_col_str(a, st, j + CATEGORY);
        ar->category.name = store_col_str(a, st, j + CATEGORY + 1);
        ar->category.parent_id = sqlite3_column_int64(st, j + CATEGORY_PARENT);
    }
    ar->comment_count = sqlite3_column_int64(st, j + COMMENTS);
    ar->image_width = sqlite3_column_int(st, j + IMAGE);
    ar->image_height = sqlite3_column_int(st, j + IMAGE + 1);
    ar->image_variants = store_col_str(a, st, j + IMAGE + 2);
}

static int article_tags(sq_store *s, arena_t *a, store_article *ar)
{
    sqlite3_stmt *st = store_stmt(s, ST_ARTICLE_TAGS);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", ar->id);
    size_t cap = 0;
    int rc;
    ar->tags = NULL;
    ar->ntags = 0;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        ar->tags = arena_grow(a, ar->tags, ar->ntags, &cap, sizeof *ar->tags, 8);
        store_read_row(a, st, &store_tag_fields, &ar->tags[ar->ntags++]);
    }
    return store_done(st, store_map_rc(rc));
}

/* Step a statement expected to yield one article. */
static int article_one(sq_store *s, arena_t *a, sqlite3_stmt *st, store_article *out)
{
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        sq_article_row(a, st, out);
        /* its page shows its comments' count, and the comments */
        store_dep_note(s, STORE_DEP_ARTICLE, out->id);
        store_dep_note(s, STORE_DEP_COMMENTS, out->id);
    } else if (rc == SQLITE_DONE) {
        store_dep_note(s, STORE_DEP_LIST, 0); /* until an article takes the slug */
    }
    rc = store_done(st, rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? NS_ENOTFOUND
                                                                 : store_map_rc(rc));
    return rc ? rc : article_tags(s, a, out);
}

int sq_article_by_slug(store_t *self, arena_t *a, const char *slug, int64_t now,
                          store_article *out)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_ARTICLE_BY_SLUG);
    if (!st)
        return NS_EINTERNAL;
    if (!slug)
        return NS_EINVAL;
    store_bind_text(st, ":slug", slug);
    store_bind_int(st, ":now", now);
    return article_one(s, a, st, out);
}

int sq_article_by_id(store_t *self, arena_t *a, int64_t id, store_article *out)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_ARTICLE_BY_ID);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", id);
    return article_one(s, a, st, out);
}

/* ---- article lists ---- */

static const struct {
    int flag;
    const char *sql;
} list_filters[] = {
    { QF_CATEGORY, " AND a.category_id IN (WITH RECURSIVE sub(id) AS (SELECT :category"
                   " UNION SELECT k.id FROM categories k JOIN sub ON k.parent_id = sub.id)"
                   " SELECT id FROM sub)" },
    { QF_TAG, " AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = :tag)" },
    { QF_AUTHOR, " AND a.author_id = :author" },
    /* the condition of the partial index articles_sticky */
    { QF_STICKY, " AND a.sticky = 1" },
};

/* The list query picks ids first (index walk, filters, order, limit) and
 * only then joins the wide columns, so the per-row comment count and the
 * author and category lookups run for the rows shown, not for every row
 * sorted. */
static sqlite3_stmt *list_stmt(sq_store *s, int mask, bool count)
{
    sqlite3_stmt **slot = count ? &s->count[mask] : &s->list[mask];
    if (*slot)
        return *slot;
    char where[1024], sql[4096];
    int n = snprintf(where, sizeof where, "FROM articles a WHERE " SQL_VISIBLE
                     " AND a.id <> :exclude AND a.published_at >= :since");
    for (size_t i = 0; i < sizeof list_filters / sizeof list_filters[0]; i++)
        if (mask & list_filters[i].flag)
            n += snprintf(where + n, sizeof where - (size_t)n, "%s", list_filters[i].sql);
    if (count)
        snprintf(sql, sizeof sql, "SELECT count(*) %s", where);
    else
        snprintf(sql, sizeof sql,
                 "SELECT " SQL_ART_COLS("CASE WHEN :body THEN a.body_md END",
                              "CASE WHEN :body THEN a.body_html END", SQL_ART_COUNT)
                 " FROM " SQL_ART_FROM " JOIN (SELECT a.id %s"
                 " ORDER BY a.published_at DESC, a.id DESC LIMIT :limit OFFSET :offset)"
                 " pick ON pick.id = a.id ORDER BY a.published_at DESC, a.id DESC", where);
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
        *slot = NULL;
    return *slot;
}

/* A query's parameters; an unused filter's is absent from its variant.
 * Filters are plain ids here, not references: 0 must bind as 0. */
static const store_field query_field_list[] = {
    { ":now", STORE_F_I64, offsetof(store_query, now) },
    { ":exclude", STORE_F_I64, offsetof(store_query, exclude_id) },
    { ":since", STORE_F_I64, offsetof(store_query, since) },
    { ":category", STORE_F_I64, offsetof(store_query, category_id) },
    { ":tag", STORE_F_I64, offsetof(store_query, tag_id) },
    { ":author", STORE_F_I64, offsetof(store_query, author_id) },
    { ":body", STORE_F_BOOL, offsetof(store_query, with_body) },
    { ":limit", STORE_F_INT, offsetof(store_query, limit) },
    { ":offset", STORE_F_INT, offsetof(store_query, offset) },
};
static const store_fields query_fields = {
    query_field_list, sizeof query_field_list / sizeof query_field_list[0], sizeof(store_query)
};

static sqlite3_stmt *query_stmt(sq_store *s, const store_query *q, bool count)
{
    int mask = (q->category_id ? QF_CATEGORY : 0) | (q->tag_id ? QF_TAG : 0) |
               (q->author_id ? QF_AUTHOR : 0) | (q->sticky_only ? QF_STICKY : 0);
    sqlite3_stmt *st = list_stmt(s, mask, count);
    if (st)
        store_bind_row(st, &query_fields, q);
    return st;
}

/* Collect the rows of an article statement (at most max) onto the arena. */
static int article_rows(sq_store *s, arena_t *a, sqlite3_stmt *st, const store_query *q,
                        struct store_article_list *out)
{
    int max = q->limit;
    out->items = arena_zalloc(a, (size_t)max * sizeof *out->items);
    out->n = 0;
    int rc = SQLITE_DONE;
    while (out->n < (size_t)max && (rc = store_step(s, st)) == SQLITE_ROW)
        sq_article_row(a, st, &out->items[out->n++]);
    rc = store_done(st, out->n == (size_t)max ? 0 : store_map_rc(rc));
    store_deps_list(s->track, out, q->with_comments);
    for (size_t i = 0; rc == 0 && q->with_tags && i < out->n; i++)
        rc = article_tags(s, a, &out->items[i]);
    return rc;
}

int sq_article_list(store_t *self, arena_t *a, const store_query *q, struct store_article_list *out)
{
    sq_store *s = sq(self);
    out->items = NULL;
    out->n = 0;
    if (q->limit < 1 || q->limit > 1000 || q->offset < 0)
        return NS_EINVAL;
    sqlite3_stmt *st = query_stmt(s, q, false);
    return st ? article_rows(s, a, st, q, out) : NS_EINTERNAL;
}

int sq_article_count(store_t *self, const store_query *q, int64_t *count)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = query_stmt(s, q, true);
    if (!st)
        return NS_EINTERNAL;
    int rc = store_step(s, st);
    *count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    store_dep_note(s, STORE_DEP_LIST, 0);
    return store_done(st, store_map_rc(rc));
}

/* A related-article candidate: shared tags, same category, date. */
typedef struct related_cand {
    int64_t id, published_at;
    int shared, same;
} related_cand;

static int related_by_id(const void *x, const void *y)
{
    const related_cand *p = x, *q = y;
    return (p->id > q->id) - (p->id < q->id);
}

/* Most shared tags first, then same category, then newest, then higher id. */
static int related_by_rank(const void *x, const void *y)
{
    const related_cand *p = x, *q = y;
    if (p->shared != q->shared)
        return q->shared - p->shared;
    if (p->same != q->same)
        return q->same - p->same;
    if (p->published_at != q->published_at)
        return (q->published_at > p->published_at) - (q->published_at < p->published_at);
    return (q->id > p->id) - (q->id < p->id);
}

/* Append the rows of a candidate statement (id, published_at, same) to *c,
 * each counting one shared tag when `shared` is set. */
static int related_rows(sq_store *s, arena_t *a, sqlite3_stmt *st, bool shared, related_cand **c,
                        size_t *n, size_t *cap)
{
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        *c = arena_grow(a, *c, *n, cap, sizeof **c, 64);
        (*c)[(*n)++] = (related_cand){ .id = sqlite3_column_int64(st, 0),
                                       .published_at = sqlite3_column_int64(st, 1),
                                       .same = sqlite3_column_int(st, 2), .shared = shared };
    }
    return store_done(st, store_map_rc(rc));
}

/* Merge rows of the same article (sorted by id), summing shared tags. */
static size_t related_merge(related_cand *c, size_t n)
{
    if (n == 0)
        return 0; /* c may be NULL */
    qsort(c, n, sizeof *c, related_by_id);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && c[w - 1].id == c[i].id)
            c[w - 1].shared += c[i].shared;
        else
            c[w++] = c[i];
    }
    return w;
}

static int related_step(sq_store *s, arena_t *a, enum store_stmt_id sid, int64_t id, int64_t now,
                        int limit, related_cand **c, size_t *n, size_t *cap)
{
    sqlite3_stmt *st = store_stmt(s, sid);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", id);
    store_bind_int(st, ":now", now);
    store_bind_int(st, ":limit", limit);
    return related_rows(s, a, st, sid == ST_RELATED_SHARED, c, n, cap);
}

/* The stored related articles of id that are visible, in their order,
 * at most limit, into ids. */
static int related_stored(sq_store *s, int64_t id, int64_t now, int limit, int64_t *ids,
                          size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, ST_RELATED_STORED);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", id);
    store_bind_int(st, ":now", now);
    store_bind_int(st, ":limit", limit);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && *n < (size_t)limit)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    return store_done(st, store_map_rc(rc));
}

/* The articles sharing tags or the category with id, best first, after
 * the ids already chosen and without repeating them, up to limit. */
static int related_by_tags(sq_store *s, arena_t *a, int64_t id, int64_t now, int limit,
                           int64_t *ids, size_t *n)
{
    related_cand *c = NULL;
    size_t nc = 0, cap = 0;
    int rc = related_step(s, a, ST_RELATED_SHARED, id, now, limit, &c, &nc, &cap);
    if (rc == 0)
        rc = related_step(s, a, ST_RELATED_SAMECAT, id, now, limit + (int)*n, &c, &nc, &cap);
    if (rc)
        return rc;
    nc = related_merge(c, nc);
    if (nc > 1)
        qsort(c, nc, sizeof *c, related_by_rank);
    size_t chosen = *n;
    for (size_t i = 0; i < nc && *n < (size_t)limit; i++) {
        bool seen = false;
        for (size_t k = 0; k < chosen && !seen; k++)
            seen = ids[k] == c[i].id;
        if (!seen)
            ids[(*n)++] = c[i].id;
    }
    return 0;
}

/* The stored related articles (by content, index.c) first, then those
 * sharing tags or the category. */
int sq_article_related(store_t *self, arena_t *a, int64_t id, int64_t now, int limit,
                          struct store_article_list *out)
{
    sq_store *s = sq(self);
    out->items = NULL;
    out->n = 0;
    if (limit < 1 || limit > 1000)
        return NS_EINVAL;
    int64_t *ids = arena_alloc(a, (size_t)limit * sizeof *ids);
    size_t n = 0;
    int rc = related_stored(s, id, now, limit, ids, &n);
    if (rc == 0 && n < (size_t)limit)
        rc = related_by_tags(s, a, id, now, limit, ids, &n);
    if (rc)
        return rc;
    out->items = arena_zalloc(a, (size_t)limit * sizeof *out->items);
    sqlite3_stmt *st = store_stmt(s, ST_ARTICLE_SUMMARY);
    if (!st)
        return NS_EINTERNAL;
    for (size_t i = 0; i < n; i++) {
        store_bind_int(st, ":id", ids[i]);
        if ((rc = store_step(s, st)) == SQLITE_ROW)
            sq_article_row(a, st, &out->items[out->n++]);
        if ((rc = store_done(st, rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_map_rc(rc))))
            return rc;
    }
    store_deps_list(s->track, out, false);
    return 0;
}

/* One integer from a fixed statement bound with :now (NULL result → 0). */
static int scalar_now(sq_store *s, enum store_stmt_id id, int64_t now, int64_t *v)
{
    sqlite3_stmt *st = store_stmt(s, id);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":now", now);
    int rc = store_step(s, st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    return store_done(st, store_map_rc(rc));
}

int sq_next_publish(store_t *self, int64_t now, int64_t *when)
{
    sq_store *s = sq(self);
    store_dep_note(s, STORE_DEP_LIST, 0);
    return scalar_now(s, ST_NEXT_PUBLISH, now, when);
}

int sq_last_modified(store_t *self, int64_t now, int64_t *when)
{
    sq_store *s = sq(self);
    store_dep_note(s, STORE_DEP_LIST, 0);
    store_dep_note(s, STORE_DEP_MODIFIED, 0);
    return scalar_now(s, ST_LAST_MODIFIED, now, when);
}

/* ---- generic row collection for the small tables ---- */

/* Step st, filling structs described by fs; one row into *out if n is NULL
 * (NS_ENOTFOUND when none), else all rows into a new arena array. */
int sq_read_rows(sq_store *s, arena_t *a, sqlite3_stmt *st, const store_fields *fs,
                 void **out, size_t *n)
{
    size_t sz = fs->size, cap = n ? 0 : 1, cnt = 0;
    char *items = n ? NULL : *out;
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        items = arena_grow(a, items, cnt, &cap, sz, 16);
        store_read_row(a, st, fs, items + cnt++ * sz);
        if (!n)
            break;
    }
    rc = store_map_rc(rc);
    if (n) {
        *out = items;
        *n = cnt;
    } else if (rc == 0 && cnt == 0) {
        rc = NS_ENOTFOUND;
    }
    return store_done(st, rc);
}

/* One row by a text key bound to name. */
static int by_text(sq_store *s, arena_t *a, enum store_stmt_id id, const char *name,
                   const char *key, const store_fields *fs, void *out)
{
    sqlite3_stmt *st = store_stmt(s, id);
    if (!st)
        return NS_EINTERNAL;
    if (!key)
        return NS_EINVAL;
    store_bind_text(st, name, key);
    memset(out, 0, fs->size);
    return sq_read_rows(s, a, st, fs, &out, NULL);
}

/* The one row of statement `id` for :id = key (NS_ENOTFOUND if none). */
static int by_id(sq_store *s, arena_t *a, enum store_stmt_id id, int64_t key,
                 const store_fields *fs, void *out)
{
    sqlite3_stmt *st = store_stmt(s, id);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", key);
    memset(out, 0, fs->size);
    return sq_read_rows(s, a, st, fs, &out, NULL);
}

/* All rows of an unparameterised statement. */
static int all_rows(sq_store *s, arena_t *a, enum store_stmt_id id, const store_fields *fs,
                    void **out, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, id);
    if (!st)
        return NS_EINTERNAL;
    return sq_read_rows(s, a, st, fs, out, n);
}

static int comment_list(sq_store *s, arena_t *a, enum store_stmt_id id, int64_t article_id,
                        comment_status cs, store_comment **out, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, id);
    const char *name = store_comment_status_name(cs);
    if (!st)
        return NS_EINTERNAL;
    if (!name)
        return NS_EINVAL;
    store_bind_int(st, ":article", article_id);
    store_bind_text(st, ":status", name);
    store_dep_note(s, STORE_DEP_COMMENTS, article_id);
    return sq_read_rows(s, a, st, &store_comment_fields, (void **)out, n);
}

int sq_comment_list(store_t *self, arena_t *a, int64_t article_id, comment_status cs,
                       store_comment **out, size_t *n)
{
    sq_store *s = sq(self);
    return comment_list(s, a, ST_COMMENT_LIST, article_id, cs, out, n);
}

int sq_comment_list_all(store_t *self, arena_t *a, int64_t article_id, comment_status cs,
                           store_comment **out, size_t *n)
{
    sq_store *s = sq(self);
    return comment_list(s, a, ST_COMMENT_LIST_ALL, article_id, cs, out, n);
}

int sq_category_by_slug(store_t *self, arena_t *a, const char *slug, store_category *out)
{
    sq_store *s = sq(self);
    return by_text(s, a, ST_CATEGORY_BY_SLUG, ":slug", slug, &store_category_fields, out);
}

int sq_category_by_id(store_t *self, arena_t *a, int64_t id, store_category *out)
{
    return by_id(sq(self), a, ST_CATEGORY_BY_ID, id, &store_category_fields, out);
}

int sq_category_list(store_t *self, arena_t *a, store_category **out, size_t *n)
{
    sq_store *s = sq(self);
    return all_rows(s, a, ST_CATEGORY_LIST, &store_category_fields, (void **)out, n);
}

int sq_tag_by_slug(store_t *self, arena_t *a, const char *slug, store_tag *out)
{
    sq_store *s = sq(self);
    return by_text(s, a, ST_TAG_BY_SLUG, ":slug", slug, &store_tag_fields, out);
}

int sq_author_by_slug(store_t *self, arena_t *a, const char *slug, store_author *out)
{
    sq_store *s = sq(self);
    return by_text(s, a, ST_AUTHOR_BY_SLUG, ":slug", slug, &store_author_fields, out);
}

int sq_author_list(store_t *self, arena_t *a, store_author **out, size_t *n)
{
    sq_store *s = sq(self);
    return all_rows(s, a, ST_AUTHOR_LIST, &store_author_fields, (void **)out, n);
}

int sq_page_by_slug(store_t *self, arena_t *a, const char *slug, store_page *out)
{
    sq_store *s = sq(self);
    return by_text(s, a, ST_PAGE_BY_SLUG, ":slug", slug, &store_page_fields, out);
}

int sq_page_list(store_t *self, arena_t *a, store_page **out, size_t *n)
{
    sq_store *s = sq(self);
    return all_rows(s, a, ST_PAGE_LIST, &store_page_fields, (void **)out, n);
}

int sq_page_by_id(store_t *self, arena_t *a, int64_t id, store_page *out)
{
    return by_id(sq(self), a, ST_PAGE_BY_ID, id, &store_page_fields, out);
}

int sq_page_list_all(store_t *self, arena_t *a, store_page **out, size_t *n)
{
    return all_rows(sq(self), a, ST_PAGE_LIST_ALL, &store_page_fields, (void **)out, n);
}

int sq_tag_list(store_t *self, arena_t *a, store_tag **out, size_t *n)
{
    return all_rows(sq(self), a, ST_TAG_LIST, &store_tag_fields, (void **)out, n);
}

int sq_comment_list_any(store_t *self, arena_t *a, int64_t article_id, store_comment **out,
                        size_t *n)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_COMMENT_LIST_ANY);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":article", article_id);
    store_dep_note(s, STORE_DEP_COMMENTS, article_id);
    return sq_read_rows(s, a, st, &store_comment_fields, (void **)out, n);
}

int sq_media_get(store_t *self, arena_t *a, int64_t id, store_media *out)
{
    return by_id(sq(self), a, ST_MEDIA_GET, id, &store_media_fields, out);
}

int sq_media_list(store_t *self, arena_t *a, int64_t after, int limit, store_media **out,
                  size_t *n)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_MEDIA_LIST);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":after", after);
    store_bind_int(st, ":limit", limit);
    return sq_read_rows(s, a, st, &store_media_fields, (void **)out, n);
}

/* Statement `id` of the import map bound with an item's key. */
static sqlite3_stmt *import_stmt(sq_store *s, enum store_stmt_id id, const char *source,
                                 import_kind kind, int64_t wp_id)
{
    sqlite3_stmt *st = store_stmt(s, id);
    if (st) {
        store_bind_text(st, ":source", source);
        store_bind_int(st, ":kind", kind);
        store_bind_int(st, ":wp_id", wp_id);
    }
    return st;
}

int sq_import_get(store_t *self, arena_t *a, const char *source, import_kind kind, int64_t wp_id,
                  const char *guid, store_import_item *out)
{
    sq_store *s = sq(self);
    int rc = NS_ENOTFOUND;
    if (guid && *guid) {
        sqlite3_stmt *st = import_stmt(s, ST_IMPORT_BY_GUID, source, kind, wp_id);
        if (!st)
            return NS_EINTERNAL;
        store_bind_text(st, ":guid", guid);
        rc = sq_read_rows(s, a, st, &store_import_fields, (void **)&out, NULL);
    }
    if (rc != NS_ENOTFOUND)
        return rc;
    sqlite3_stmt *st = import_stmt(s, ST_IMPORT_GET, source, kind, wp_id);
    return st ? sq_read_rows(s, a, st, &store_import_fields, (void **)&out, NULL) : NS_EINTERNAL;
}

int sq_import_refs(store_t *self, arena_t *a, const char *source, import_kind kind, int64_t after,
                   int limit, store_import_item **out, size_t *n)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = import_stmt(s, ST_IMPORT_REFS, source, kind, 0);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":after", after);
    store_bind_int(st, ":limit", limit);
    return sq_read_rows(s, a, st, &store_import_fields, (void **)out, n);
}

int sq_redirect_lookup(store_t *self, arena_t *a, const char *path, store_redirect *out)
{
    sq_store *s = sq(self);
    store_dep_note(s, STORE_DEP_REDIRECTS, 0);
    return by_text(s, a, ST_REDIRECT, ":path", path, &store_redirect_fields, out);
}

int sq_setting_get(store_t *self, arena_t *a, const char *key, const char **value)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_SETTING_GET);
    *value = NULL;
    if (!st)
        return NS_EINTERNAL;
    if (!key)
        return NS_EINVAL;
    store_bind_text(st, ":key", key);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW)
        *value = store_col_str(a, st, 0);
    return store_done(st, rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? NS_ENOTFOUND
                                                                   : store_map_rc(rc));
}

int sq_setting_list(store_t *self, arena_t *a, store_setting **out, size_t *n)
{
    sq_store *s = sq(self);
    return all_rows(s, a, ST_SETTING_LIST, &store_setting_fields, (void **)out, n);
}

/* ---- moderation's reads ---- */

/* The first column of st's row (0 if none) into *v, after binding. */
static int one_int(sq_store *s, sqlite3_stmt *st, int64_t *v)
{
    int rc = store_step(s, st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    return store_done(st, rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_map_rc(rc));
}

int sq_comment_get(store_t *self, arena_t *a, int64_t id, store_comment *out)
{
    return by_id(sq(self), a, ST_COMMENT_GET, id, &store_comment_fields, out);
}

int sq_comment_recent(store_t *self, arena_t *a, const char *status, int limit,
                      store_comment **out, size_t *n)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_COMMENT_RECENT);
    if (!st)
        return NS_EINTERNAL;
    store_bind_text(st, ":status", status);
    store_bind_int(st, ":limit", limit);
    return sq_read_rows(s, a, st, &store_comment_fields, (void **)out, n);
}

int sq_comment_known(store_t *self, const char *name, const char *email, bool *known)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_COMMENT_KNOWN);
    if (!st)
        return NS_EINTERNAL;
    store_bind_text(st, ":name", name);
    store_bind_text(st, ":email", email);
    int64_t v;
    int rc = one_int(s, st, &v);
    *known = rc == 0 && v > 0;
    return rc;
}


int sq_comment_dup(store_t *self, const store_comment *c, bool *dup)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_COMMENT_DUP);
    if (!st)
        return NS_EINTERNAL;
    store_bind_row(st, &store_comment_fields, c);
    int64_t v;
    int rc = one_int(s, st, &v);
    *dup = rc == 0 && v > 0;
    return rc;
}

int sq_comment_threads(store_t *self, arena_t *a, int64_t article_id, int64_t first, int limit,
                       store_comment **out, size_t *n)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_COMMENT_THREADS);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":article", article_id);
    store_bind_int(st, ":limit", limit);
    store_bind_int(st, ":offset", first);
    store_dep_note(s, STORE_DEP_COMMENTS, article_id);
    return sq_read_rows(s, a, st, &store_comment_fields, (void **)out, n);
}

int sq_comment_stats(store_t *self, int64_t article_id, store_comment_stats *out)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_COMMENT_STATS);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":article", article_id);
    store_dep_note(s, STORE_DEP_COMMENTS, article_id);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        out->approved = sqlite3_column_int64(st, 0);
        out->threads = sqlite3_column_int64(st, 1);
        out->newest = sqlite3_column_int64(st, 2);
    }
    return store_done(st, rc == SQLITE_ROW ? 0 : store_map_rc(rc));
}
