/*
 * pg_read.c - every read of the PostgreSQL backend: the same results and
 * dependency keys as sqlite_read.c, in fewer round trips where SQLite
 * would step a statement once per item (the tags of a list's articles,
 * the rows of related articles), since here each statement costs a trip
 * to the server.
 */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/err.h"
#include "store/pg_priv.h"

/* Run a read; NS_ENOTFOUND when it returns no row. */
static int pg_get(pg_store *s, int id, const pg_args *a, PGresult **r)
{
    int rc = pg_run(s, id, a, r);
    if (rc == 0 && PQntuples(*r) == 0) {
        PQclear(*r);
        *r = NULL;
        rc = NS_ENOTFOUND;
    }
    return rc;
}

/* Every row of a result as structs of table fs, onto arena a. */
void *pg_rows_of(arena_t *a, const PGresult *r, const store_fields *fs, size_t *n)
{
    *n = (size_t)PQntuples(r);
    char *items = arena_zalloc(a, (*n ? *n : 1) * fs->size);
    for (size_t i = 0; i < *n; i++)
        pg_read_row(a, r, (int)i, 0, fs, items + i * fs->size);
    return items;
}

/* One row by a text key (slug, key, path) into out. */
static int pg_one(pg_store *s, arena_t *a, int id, const char *key, const store_fields *fs,
                  void *out)
{
    if (!key)
        return NS_EINVAL;
    pg_args args = { .n = 0 };
    pg_arg_text(&args, key);
    PGresult *r;
    int rc = pg_get(s, id, &args, &r);
    if (rc == 0)
        pg_read_row(a, r, 0, 0, fs, out);
    PQclear(r);
    return rc;
}

/* Every row of a read with arguments args (NULL: none). */
static int pg_all(pg_store *s, arena_t *a, int id, const pg_args *args, const store_fields *fs,
                  void **out, size_t *n)
{
    PGresult *r;
    *out = NULL;
    *n = 0;
    int rc = pg_run(s, id, args, &r);
    if (rc == 0)
        *out = pg_rows_of(a, r, fs, n);
    PQclear(r);
    return rc;
}

/* ---- articles ---- */

void pg_article_row(arena_t *a, const PGresult *r, int row, store_article *ar)
{
    enum { AUTHOR = 0, CATEGORY = 2, CATEGORY_PARENT = 4, COMMENTS = 5, IMAGE = 6 };
    const int j = (int)store_article_fields.n;
    memset(ar, 0, sizeof *ar);
    pg_read_row(a, r, row, 0, &store_article_fields, ar);
    if (!PQgetisnull(r, row, j + AUTHOR)) {
        ar->author.id = ar->author_id;
        ar->author.slug = pg_str(a, r, row, j + AUTHOR);
        ar->author.name = pg_str(a, r, row, j + AUTHOR + 1);
    }
    if (!PQgetisnull(r, row, j + CATEGORY)) {
        ar->category.id = ar->category_id;
        ar->category.slug = pg_str(a, r, row, j + CATEGORY);
        ar->category.name = pg_str(a, r, row, j + CATEGORY + 1);
        ar->category.parent_id = pg_int(r, row, j + CATEGORY_PARENT);
    }
    ar->comment_count = pg_int(r, row, j + COMMENTS);
    ar->image_width = (int)pg_int(r, row, j + IMAGE);
    ar->image_height = (int)pg_int(r, row, j + IMAGE + 1);
    ar->image_variants = pg_str(a, r, row, j + IMAGE + 2);
}

/* The ids of items as a PostgreSQL array literal, on arena a. */
static const char *pg_id_array(arena_t *a, const store_article *items, size_t n)
{
    buf_t b;
    buf_init(&b, a);
    buf_putc(&b, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)items[i].id);
    buf_putc(&b, '}');
    return buf_cstr(&b);
}

/* The tags of n articles in one query (rows ordered by article id, then
 * tag name), each article's run onto its own array. */
static int article_tags(pg_store *s, arena_t *a, store_article *items, size_t n)
{
    if (n == 0)
        return 0;
    pg_args args = { .n = 0 };
    pg_arg_text(&args, pg_id_array(a, items, n));
    PGresult *r;
    int rc = pg_run(s, PS_ARTICLE_TAGS, &args, &r);
    if (rc)
        return rc;
    int rows = PQntuples(r);
    for (size_t i = 0; i < n; i++) {
        store_article *ar = &items[i];
        size_t cap = 0;
        ar->tags = NULL;
        ar->ntags = 0;
        for (int k = 0; k < rows; k++) {
            if (pg_int(r, k, 0) != ar->id)
                continue;
            ar->tags = arena_grow(a, ar->tags, ar->ntags, &cap, sizeof *ar->tags, 8);
            pg_read_row(a, r, k, 1, &store_tag_fields, &ar->tags[ar->ntags++]);
        }
    }
    PQclear(r);
    return 0;
}

/* A read expected to yield one article, with its tags. */
static int article_one(pg_store *s, arena_t *a, int id, const pg_args *args, store_article *out)
{
    PGresult *r;
    int rc = pg_get(s, id, args, &r);
    if (rc == 0) {
        pg_article_row(a, r, 0, out);
        /* its page shows its comments' count, and the comments */
        pg_dep_note(s, STORE_DEP_ARTICLE, out->id);
        pg_dep_note(s, STORE_DEP_COMMENTS, out->id);
    } else if (rc == NS_ENOTFOUND) {
        pg_dep_note(s, STORE_DEP_LIST, 0); /* until an article takes the slug */
    }
    PQclear(r);
    return rc ? rc : article_tags(s, a, out, 1);
}

int pg_article_by_slug(store_t *self, arena_t *a, const char *slug, int64_t now, store_article *out)
{
    if (!slug)
        return NS_EINVAL;
    pg_args args = { .n = 0 };
    pg_arg_text(&args, slug);
    pg_arg_int(&args, now);
    return article_one(pgs(self), a, PS_ARTICLE_BY_SLUG, &args, out);
}

int pg_article_by_id(store_t *self, arena_t *a, int64_t id, store_article *out)
{
    pg_args args = { .n = 0 };
    pg_arg_int(&args, id);
    pg_store *s = pgs(self);
    return article_one(s, a, s->in_write ? PS_ARTICLE_LOCK : PS_ARTICLE_BY_ID, &args, out);
}

/* ---- article lists ---- */

/* A query's parameters in the order of pg_list_sql: now, exclude, since,
 * the filters it uses, and for lists body, limit, offset. */
static int list_args(const store_query *q, bool count, pg_args *a)
{
    int mask = (q->category_id ? PG_QF_CATEGORY : 0) | (q->tag_id ? PG_QF_TAG : 0) |
               (q->author_id ? PG_QF_AUTHOR : 0) | (q->sticky_only ? PG_QF_STICKY : 0);
    pg_arg_int(a, q->now);
    pg_arg_int(a, q->exclude_id);
    pg_arg_int(a, q->since);
    if (q->category_id)
        pg_arg_int(a, q->category_id);
    if (q->tag_id)
        pg_arg_int(a, q->tag_id);
    if (q->author_id)
        pg_arg_int(a, q->author_id);
    if (!count) {
        pg_arg_int(a, q->with_body);
        pg_arg_int(a, q->limit);
        pg_arg_int(a, q->offset);
    }
    return count ? PG_COUNT(mask) : PG_LIST(mask);
}

int pg_article_list(store_t *self, arena_t *a, const store_query *q, struct store_article_list *out)
{
    pg_store *s = pgs(self);
    out->items = NULL;
    out->n = 0;
    if (q->limit < 1 || q->limit > 1000 || q->offset < 0)
        return NS_EINVAL;
    pg_args args = { .n = 0 };
    PGresult *r;
    int rc = pg_run(s, list_args(q, false, &args), &args, &r);
    if (rc)
        return rc;
    out->n = (size_t)PQntuples(r);
    out->items = arena_zalloc(a, (size_t)q->limit * sizeof *out->items);
    for (size_t i = 0; i < out->n; i++)
        pg_article_row(a, r, (int)i, &out->items[i]);
    PQclear(r);
    store_deps_list(s->track, out, q->with_comments);
    return q->with_tags ? article_tags(s, a, out->items, out->n) : 0;
}

int pg_article_count(store_t *self, const store_query *q, int64_t *count)
{
    pg_store *s = pgs(self);
    pg_args args = { .n = 0 };
    PGresult *r;
    *count = 0;
    int rc = pg_run(s, list_args(q, true, &args), &args, &r);
    if (rc == 0)
        *count = pg_int(r, 0, 0);
    PQclear(r);
    pg_dep_note(s, STORE_DEP_LIST, 0);
    return rc;
}

/* ---- related articles: ranked by the statement (pg_sql.c) ---- */

int pg_article_related(store_t *self, arena_t *a, int64_t id, int64_t now, int limit,
                       struct store_article_list *out)
{
    pg_store *s = pgs(self);
    out->items = NULL;
    out->n = 0;
    if (limit < 1 || limit > 1000)
        return NS_EINVAL;
    pg_args args = { .n = 0 };
    pg_arg_int(&args, id);
    pg_arg_int(&args, now);
    pg_arg_int(&args, limit);
    PGresult *r;
    int rc = pg_run(s, PS_RELATED, &args, &r);
    if (rc)
        return rc;
    out->items = arena_zalloc(a, (size_t)limit * sizeof *out->items);
    out->n = (size_t)PQntuples(r);
    assert(out->n <= (size_t)limit);
    for (size_t i = 0; i < out->n; i++)
        pg_article_row(a, r, (int)i, &out->items[i]);
    PQclear(r);
    store_deps_list(s->track, out, false);
    return 0;
}

/* ---- times ---- */

static int pg_time(pg_store *s, int id, int64_t now, int64_t *when)
{
    pg_args args = { .n = 0 };
    pg_arg_int(&args, now);
    PGresult *r;
    *when = 0;
    int rc = pg_run(s, id, &args, &r);
    if (rc == 0)
        *when = pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

/* The snapshot's check found the earliest publication after its start,
 * `at`; for any now from then until `at`, that is still the answer. */
int pg_next_publish(store_t *self, int64_t now, int64_t *when)
{
    pg_store *s = pgs(self);
    pg_dep_note(s, STORE_DEP_LIST, 0);
    if (s->in_read && s->next_pub.known && now >= s->next_pub.from &&
        (s->next_pub.at == 0 || now < s->next_pub.at)) {
        *when = s->next_pub.at;
        return 0;
    }
    return pg_time(s, PS_NEXT_PUBLISH, now, when);
}

int pg_last_modified(store_t *self, int64_t now, int64_t *when)
{
    pg_store *s = pgs(self);
    pg_dep_note(s, STORE_DEP_LIST, 0);
    pg_dep_note(s, STORE_DEP_MODIFIED, 0);
    return pg_time(s, PS_LAST_MODIFIED, now, when);
}

/* ---- comments ---- */

static int comments(pg_store *s, arena_t *a, int id, int64_t article_id, comment_status st,
                    store_comment **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char *status = store_comment_status_name(st);
    if (!status)
        return NS_EINVAL;
    pg_args args = { .n = 0 };
    pg_arg_int(&args, article_id);
    pg_arg_text(&args, status);
    pg_dep_note(s, STORE_DEP_COMMENTS, article_id);
    return pg_all(s, a, id, &args, &store_comment_fields, (void **)out, n);
}

int pg_comment_list(store_t *self, arena_t *a, int64_t article_id, comment_status st,
                    store_comment **out, size_t *n)
{
    return comments(pgs(self), a, PS_COMMENT_LIST, article_id, st, out, n);
}

int pg_comment_list_all(store_t *self, arena_t *a, int64_t article_id, comment_status st,
                        store_comment **out, size_t *n)
{
    return comments(pgs(self), a, PS_COMMENT_LIST_ALL, article_id, st, out, n);
}

/* ---- the site-wide rows ----
 * Every page shows the settings, the categories, the pages' links and
 * the authors: four statements a page, four round trips here. A connection
 * keeps what it read, and trusts it in a later read snapshot only when
 * that snapshot's check (read with BEGIN, in the same round trip) shows no
 * change of kind STORE_DEP_ALL since: the log's newest such change is not
 * after the rows were read, and the log still reaches back to then. The
 * rows are copied onto the caller's arena, so a result never changes
 * under its reader. Outside a snapshot every read goes to the server. */

static const struct {
    int stmt;
    const store_fields *fs;
} site_lists[PG_SITE__COUNT] = {
    [PG_SITE_SETTINGS] = { PS_SETTING_LIST, &store_setting_fields },
    [PG_SITE_CATEGORIES] = { PS_CATEGORY_LIST, &store_category_fields },
    [PG_SITE_PAGES] = { PS_PAGE_LIST, &store_page_fields },
    [PG_SITE_AUTHORS] = { PS_AUTHOR_LIST, &store_author_fields },
};

static void site_drop(pg_site *c)
{
    if (c->arena)
        arena_reset(c->arena);
    memset(c->list, 0, sizeof c->list);
}

void pg_site_snapshot(pg_store *s, int64_t now, const PGresult *check)
{
    pg_site *c = &s->site;
    s->next_pub.known = true;
    s->next_pub.from = now;
    s->next_pub.at = pg_int(check, 0, 3);
    int64_t head = pg_int(check, 0, 0), oldest = pg_int(check, 0, 1), newest_all = pg_int(check, 0, 2);
    bool holds = c->seq > 0 && (head == c->seq ||
                                (oldest && oldest <= c->seq + 1 && newest_all <= c->seq));
    if (!holds) {
        site_drop(c);
        c->seq = head;
    }
    /* a log that is empty has no head to vouch for rows read now */
    c->usable = head > 0;
}

void pg_site_leave(pg_store *s)
{
    s->site.usable = false;
    s->next_pub.known = false;
}

void pg_site_free(pg_store *s)
{
    arena_free(s->site.arena);
    s->site.arena = NULL;
}

/* n rows of table fs copied from src onto arena a, strings included. */
static void *site_copy(arena_t *a, const store_fields *fs, const void *src, size_t n)
{
    char *dst = arena_zalloc(a, (n ? n : 1) * fs->size);
    memcpy(dst, src, n * fs->size);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < fs->n; k++) {
            const store_field *f = &fs->f[k];
            if (f->kind != STORE_F_TEXT && f->kind != STORE_F_TEXT_REQ)
                continue;
            const char **m = (const char **)(dst + i * fs->size + f->off);
            if (*m)
                *m = arena_strdup(a, *m);
        }
    return dst;
}

/* Make sure the connection keeps list `which` (read in this snapshot if
 * it does not yet). Only while the kept rows are usable. */
static int site_load(pg_store *s, int which)
{
    pg_site *c = &s->site;
    assert(c->usable);
    if (c->list[which].rows)
        return 0;
    if (!c->arena)
        c->arena = arena_new(16384);
    void *rows;
    size_t n;
    int rc = pg_all(s, c->arena, site_lists[which].stmt, NULL, site_lists[which].fs, &rows, &n);
    if (rc == 0) {
        c->list[which].rows = rows;
        c->list[which].n = n;
    }
    return rc;
}

/* Every row of list `which`, onto arena a. */
static int site_all(pg_store *s, arena_t *a, int which, void **out, size_t *n)
{
    const store_fields *fs = site_lists[which].fs;
    if (!s->site.usable)
        return pg_all(s, a, site_lists[which].stmt, NULL, fs, out, n);
    *out = NULL;
    *n = 0;
    int rc = site_load(s, which);
    if (rc)
        return rc;
    *n = s->site.list[which].n;
    *out = site_copy(a, fs, s->site.list[which].rows, *n);
    return 0;
}

/* The row of list `which` whose text member at `off` equals key (or,
 * with key NULL, whose int64 member at `off` equals id), onto arena a;
 * from the server by statement `stmt` when the kept rows are not usable. */
static int site_find(pg_store *s, arena_t *a, int which, int stmt, size_t off, const char *key,
                     int64_t id, void *out)
{
    const store_fields *fs = site_lists[which].fs;
    if (!s->site.usable) {
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)id);
        memset(out, 0, fs->size);
        return pg_one(s, a, stmt, key ? key : num, fs, out);
    }
    int rc = site_load(s, which);
    if (rc)
        return rc;
    const char *rows = s->site.list[which].rows;
    for (size_t i = 0; i < s->site.list[which].n; i++) {
        const char *row = rows + i * fs->size;
        bool hit = key ? strcmp(*(const char *const *)(row + off), key) == 0
                       : *(const int64_t *)(row + off) == id;
        if (hit) {
            memcpy(out, site_copy(a, fs, row, 1), fs->size);
            return 0;
        }
    }
    return NS_ENOTFOUND;
}

int pg_category_by_slug(store_t *s, arena_t *a, const char *slug, store_category *out)
{
    if (!slug)
        return NS_EINVAL;
    return site_find(pgs(s), a, PG_SITE_CATEGORIES, PS_CATEGORY_BY_SLUG,
                     offsetof(store_category, slug), slug, 0, out);
}

int pg_category_by_id(store_t *s, arena_t *a, int64_t id, store_category *out)
{
    return site_find(pgs(s), a, PG_SITE_CATEGORIES, PS_CATEGORY_BY_ID,
                     offsetof(store_category, id), NULL, id, out);
}

int pg_category_list(store_t *s, arena_t *a, store_category **out, size_t *n)
{
    return site_all(pgs(s), a, PG_SITE_CATEGORIES, (void **)out, n);
}

int pg_tag_by_slug(store_t *s, arena_t *a, const char *slug, store_tag *out)
{
    memset(out, 0, sizeof *out);
    return pg_one(pgs(s), a, PS_TAG_BY_SLUG, slug, &store_tag_fields, out);
}

int pg_author_by_slug(store_t *s, arena_t *a, const char *slug, store_author *out)
{
    if (!slug)
        return NS_EINVAL;
    return site_find(pgs(s), a, PG_SITE_AUTHORS, PS_AUTHOR_BY_SLUG,
                     offsetof(store_author, slug), slug, 0, out);
}

int pg_author_list(store_t *s, arena_t *a, store_author **out, size_t *n)
{
    return site_all(pgs(s), a, PG_SITE_AUTHORS, (void **)out, n);
}

int pg_page_by_slug(store_t *s, arena_t *a, const char *slug, store_page *out)
{
    if (!slug)
        return NS_EINVAL;
    return site_find(pgs(s), a, PG_SITE_PAGES, PS_PAGE_BY_SLUG, offsetof(store_page, slug), slug,
                     0, out);
}

int pg_page_list(store_t *s, arena_t *a, store_page **out, size_t *n)
{
    return site_all(pgs(s), a, PG_SITE_PAGES, (void **)out, n);
}

int pg_setting_get(store_t *s, arena_t *a, const char *key, const char **value)
{
    store_setting kv = { 0 };
    *value = NULL;
    if (!key)
        return NS_EINVAL;
    int rc = site_find(pgs(s), a, PG_SITE_SETTINGS, PS_SETTING_GET, offsetof(store_setting, key),
                       key, 0, &kv);
    *value = rc == 0 ? kv.value : NULL;
    return rc;
}

int pg_setting_list(store_t *s, arena_t *a, store_setting **out, size_t *n)
{
    return site_all(pgs(s), a, PG_SITE_SETTINGS, (void **)out, n);
}

int pg_redirect_lookup(store_t *self, arena_t *a, const char *path, store_redirect *out)
{
    pg_store *s = pgs(self);
    pg_dep_note(s, STORE_DEP_REDIRECTS, 0);
    memset(out, 0, sizeof *out);
    return pg_one(s, a, PS_REDIRECT, path, &store_redirect_fields, out);
}

/* ---- moderation's reads ---- */

/* Run id with args and read the first column of its row (0 if none). */
static int pg_count_args(pg_store *s, int id, const pg_args *args, int64_t *v)
{
    PGresult *r;
    *v = 0;
    int rc = pg_run(s, id, args, &r);
    if (rc == 0 && PQntuples(r) > 0)
        *v = pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

/* The one row of statement `id` for $1 = key (NS_ENOTFOUND if none). */
static int pg_by_id(pg_store *s, arena_t *a, int id, int64_t key, const store_fields *fs,
                    void *out)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)key);
    memset(out, 0, fs->size);
    return pg_one(s, a, id, num, fs, out);
}

int pg_comment_get(store_t *self, arena_t *a, int64_t id, store_comment *out)
{
    return pg_by_id(pgs(self), a, PS_COMMENT_GET, id, &store_comment_fields, out);
}

int pg_comment_recent(store_t *self, arena_t *a, const char *status, int limit,
                      store_comment **out, size_t *n)
{
    pg_args args = { .n = 0 };
    pg_arg_text(&args, status);
    pg_arg_int(&args, limit);
    return pg_all(pgs(self), a, PS_COMMENT_RECENT, &args, &store_comment_fields, (void **)out, n);
}

int pg_comment_known(store_t *self, const char *name, const char *email, bool *known)
{
    pg_args args = { .n = 0 };
    pg_arg_text(&args, name);
    pg_arg_text(&args, email);
    int64_t v;
    int rc = pg_count_args(pgs(self), PS_COMMENT_KNOWN, &args, &v);
    *known = rc == 0 && v > 0;
    return rc;
}


int pg_comment_dup(store_t *self, const store_comment *c, bool *dup)
{
    pg_args args = { .n = 0 };
    pg_arg_row(&args, PS_COMMENT_DUP, &store_comment_fields, c);
    int64_t v;
    int rc = pg_count_args(pgs(self), PS_COMMENT_DUP, &args, &v);
    *dup = rc == 0 && v > 0;
    return rc;
}

int pg_comment_threads(store_t *self, arena_t *a, int64_t article_id, int64_t first, int limit,
                       store_comment **out, size_t *n)
{
    pg_store *s = pgs(self);
    pg_args args = { .n = 0 };
    pg_arg_int(&args, article_id);
    pg_arg_int(&args, limit);
    pg_arg_int(&args, first);
    pg_dep_note(s, STORE_DEP_COMMENTS, article_id);
    return pg_all(s, a, PS_COMMENT_THREADS, &args, &store_comment_fields, (void **)out, n);
}

int pg_comment_stats(store_t *self, int64_t article_id, store_comment_stats *out)
{
    pg_store *s = pgs(self);
    pg_args args = { .n = 0 };
    pg_arg_int(&args, article_id);
    PGresult *r;
    int rc = pg_run(s, PS_COMMENT_STATS, &args, &r);
    if (rc == 0 && PQntuples(r) > 0)
        *out = (store_comment_stats){pg_int(r, 0, 0), pg_int(r, 0, 1), pg_int(r, 0, 2)};
    PQclear(r);
    pg_dep_note(s, STORE_DEP_COMMENTS, article_id);
    return rc;
}

/* ---- what an export reads, and an import's map ---- */

int pg_page_by_id(store_t *self, arena_t *a, int64_t id, store_page *out)
{
    return pg_by_id(pgs(self), a, PS_PAGE_BY_ID, id, &store_page_fields, out);
}

int pg_page_list_all(store_t *self, arena_t *a, store_page **out, size_t *n)
{
    return pg_all(pgs(self), a, PS_PAGE_LIST_ALL, NULL, &store_page_fields, (void **)out, n);
}

int pg_tag_list(store_t *self, arena_t *a, store_tag **out, size_t *n)
{
    return pg_all(pgs(self), a, PS_TAG_LIST, NULL, &store_tag_fields, (void **)out, n);
}

int pg_comment_list_any(store_t *self, arena_t *a, int64_t article_id, store_comment **out,
                        size_t *n)
{
    pg_store *s = pgs(self);
    pg_args args = { .n = 0 };
    pg_arg_int(&args, article_id);
    pg_dep_note(s, STORE_DEP_COMMENTS, article_id);
    return pg_all(s, a, PS_COMMENT_LIST_ANY, &args, &store_comment_fields, (void **)out, n);
}

int pg_media_get(store_t *self, arena_t *a, int64_t id, store_media *out)
{
    return pg_by_id(pgs(self), a, PS_MEDIA_GET, id, &store_media_fields, out);
}

int pg_media_list(store_t *self, arena_t *a, int64_t after, int limit, store_media **out,
                  size_t *n)
{
    pg_args args = { .n = 0 };
    pg_arg_int(&args, after);
    pg_arg_int(&args, limit);
    return pg_all(pgs(self), a, PS_MEDIA_LIST, &args, &store_media_fields, (void **)out, n);
}

/* The one import item statement `id` finds with args (NS_ENOTFOUND if none). */
static int import_one(pg_store *s, arena_t *a, int id, const pg_args *args,
                      store_import_item *out)
{
    PGresult *r;
    int rc = pg_get(s, id, args, &r);
    if (rc == 0)
        pg_read_row(a, r, 0, 0, &store_import_fields, out);
    PQclear(r);
    return rc;
}

int pg_import_get(store_t *self, arena_t *a, const char *source, import_kind kind, int64_t wp_id,
                  const char *guid, store_import_item *out)
{
    pg_store *s = pgs(self);
    pg_args args = { .n = 0 };
    pg_arg_text(&args, source);
    pg_arg_int(&args, kind);
    int rc = NS_ENOTFOUND;
    if (guid && *guid) {
        pg_arg_text(&args, guid);
        pg_arg_int(&args, wp_id);
        rc = import_one(s, a, PS_IMPORT_BY_GUID, &args, out);
        args.n = 2;
    }
    if (rc != NS_ENOTFOUND)
        return rc;
    pg_arg_int(&args, wp_id);
    return import_one(s, a, PS_IMPORT_GET, &args, out);
}

int pg_import_refs(store_t *self, arena_t *a, const char *source, import_kind kind, int64_t after,
                   int limit, store_import_item **out, size_t *n)
{
    pg_args args = { .n = 0 };
    pg_arg_text(&args, source);
    pg_arg_int(&args, kind);
    pg_arg_int(&args, after);
    pg_arg_int(&args, limit);
    return pg_all(pgs(self), a, PS_IMPORT_REFS, &args, &store_import_fields, (void **)out, n);
}
