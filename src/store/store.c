/*
 * store.c - the public store functions: each forwards to the backend the
 * handle was opened with (store_impl.h). store_open picks the backend.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/err.h"
#include "core/text.h"
#include "store/fields.h"
#include "store/store_impl.h"

/* Sleep before write attempt `attempt` (1, 2, ...): 2^attempt ms plus up
 * to as much again at random, so writers that collided do not collide
 * again. */
static void store_backoff(int attempt)
{
    long ms = 1L << attempt;
    ms += rand() % ms;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int store_tx_begin(store_t *s, const store_tx *tx)
{
    int rc = NS_EBUSY;
    for (int attempt = 0; attempt < STORE_WRITE_TRIES && rc == NS_EBUSY; attempt++) {
        if (attempt)
            store_backoff(attempt);
        rc = tx->begin(s);
    }
    return rc;
}

int store_tx_run(store_t *s, const store_tx *tx, int (*fn)(store_t *, void *), void *arg)
{
    int rc = NS_EBUSY;
    for (int attempt = 0; attempt < STORE_WRITE_TRIES && rc == NS_EBUSY; attempt++) {
        if (attempt)
            store_backoff(attempt);
        rc = tx->begin(s);
        if (rc)
            continue;
        rc = fn(s, arg);
        if (rc == 0)
            rc = tx->commit(s);
        if (rc)
            tx->abort(s);
    }
    return rc;
}

bool store_location_is_pg(const char *location)
{
    return location && (strncmp(location, "postgresql://", 13) == 0 ||
                        strncmp(location, "postgres://", 11) == 0);
}

int store_open(const char *location, int flags, store_t **out)
{
    *out = NULL;
    if (!location || !*location)
        return NS_EINVAL;
    return store_location_is_pg(location) ? pg_open(location, flags, out)
                                          : sq_open(location, flags, out);
}

static size_t store_put(char *out, size_t size, size_t o, const char *t)
{
    while (*t && o + 1 < size)
        out[o++] = *t++;
    return o;
}

/* The password of a URL is between the first ':' of the user part and the
 * last '@' of the authority; a password=VALUE parameter runs to the next
 * '&' or space. */
const char *store_location_safe(const char *location, char *out, size_t size)
{
    if (!size)
        return out;
    const char *start = location ? location : "", *p = start;
    const char *auth = strstr(p, "://"), *at = NULL, *colon = NULL;
    if (auth) {
        auth += 3;
        const char *end = auth + strcspn(auth, "/?");
        for (const char *q = auth; q < end; q++)
            if (*q == '@')
                at = q;
        colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    }
    size_t o = 0;
    while (*p && o + 1 < size) {
        if (colon && p == colon + 1) {
            o = store_put(out, size, o, "***");
            p = at;
        } else if (strncmp(p, "password=", 9) == 0 &&
                   (p == start || p[-1] == '?' || p[-1] == '&' || p[-1] == ' ')) {
            o = store_put(out, size, o, "password=***");
            p += 9 + strcspn(p + 9, "& ");
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    return out;
}

void store_close(store_t *s)
{
    if (s)
        s->ops->close(s);
}

int store_schema_version(store_t *s)
{
    return s->ops->schema_version(s);
}

void store_track(store_t *s, store_deps *d)
{
    s->ops->track(s, d);
}

int store_changes_head(store_t *s, int64_t *seq)
{
    return s->ops->changes_head(s, seq);
}

int store_changes_since(store_t *s, arena_t *a, int64_t since, store_changes *out)
{
    return s->ops->changes_since(s, a, since, out);
}

int store_changed(store_t *s, bool *changed)
{
    return s->ops->changed(s, changed);
}

int store_check(store_t *s)
{
    return s->ops->check(s);
}

int store_write(store_t *s, int (*fn)(store_t *s, void *arg), void *arg)
{
    return s->ops->write(s, fn, arg);
}

int store_begin(store_t *s)
{
    return s->ops->begin(s);
}

int store_commit(store_t *s)
{
    return s->ops->commit(s);
}

int store_rollback(store_t *s)
{
    return s->ops->rollback(s);
}

bool store_in_transaction(store_t *s)
{
    return s->ops->in_transaction(s);
}

int store_read_begin(store_t *s)
{
    return s->ops->read_begin(s);
}

int store_read_end(store_t *s)
{
    return s->ops->read_end(s);
}

void store_fault(store_t *s, uint64_t nth, int code, bool sticky)
{
    s->ops->fault(s, nth, code, sticky);
}

uint64_t store_steps(store_t *s)
{
    return s->ops->steps(s);
}

int store_article_by_slug(store_t *s, arena_t *a, const char *slug, int64_t now, store_article *out)
{
    return s->ops->article_by_slug(s, a, slug, now, out);
}

int store_article_by_id(store_t *s, arena_t *a, int64_t id, store_article *out)
{
    return s->ops->article_by_id(s, a, id, out);
}

int store_article_list(store_t *s, arena_t *a, const store_query *q, struct store_article_list *out)
{
    return s->ops->article_list(s, a, q, out);
}

int store_article_count(store_t *s, const store_query *q, int64_t *count)
{
    return s->ops->article_count(s, q, count);
}

int store_article_related(store_t *s, arena_t *a, int64_t id, int64_t now, int limit, struct store_article_list *out)
{
    return s->ops->article_related(s, a, id, now, limit, out);
}

int store_next_publish(store_t *s, int64_t now, int64_t *when)
{
    return s->ops->next_publish(s, now, when);
}

int store_last_modified(store_t *s, int64_t now, int64_t *when)
{
    return s->ops->last_modified(s, now, when);
}

int store_comment_list(store_t *s, arena_t *a, int64_t article_id, comment_status st, store_comment **out, size_t *n)
{
    return s->ops->comment_list(s, a, article_id, st, out, n);
}

int store_comment_list_all(store_t *s, arena_t *a, int64_t article_id, comment_status st, store_comment **out, size_t *n)
{
    return s->ops->comment_list_all(s, a, article_id, st, out, n);
}

int store_comment_threads(store_t *s, arena_t *a, int64_t article_id, int64_t first, int limit,
                          store_comment **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (first < 0 || limit < 1 || limit > 1000)
        return NS_EINVAL;
    return s->ops->comment_threads(s, a, article_id, first, limit, out, n);
}

int store_comment_count(store_t *s, int64_t article_id, store_comment_stats *out)
{
    *out = (store_comment_stats){0};
    return s->ops->comment_stats(s, article_id, out);
}

int store_comment_get(store_t *s, arena_t *a, int64_t id, store_comment *out)
{
    return s->ops->comment_get(s, a, id, out);
}

int store_comment_recent(store_t *s, arena_t *a, int st, int limit, store_comment **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char *status = st == -1 ? NULL : store_comment_status_name((comment_status)st);
    if ((st != -1 && !status) || limit < 1 || limit > 10000)
        return NS_EINVAL;
    return s->ops->comment_recent(s, a, status, limit, out, n);
}

int store_comment_known(store_t *s, const char *name, const char *email, bool *known)
{
    *known = false;
    if (!name)
        return NS_EINVAL;
    return s->ops->comment_known(s, name, email ? email : "", known);
}


int store_durable(store_t *s)
{
    return s->ops->durable(s);
}

int store_streaming(store_t *s)
{
    return s->ops->streaming(s);
}

int store_category_by_slug(store_t *s, arena_t *a, const char *slug, store_category *out)
{
    return s->ops->category_by_slug(s, a, slug, out);
}

int store_category_by_id(store_t *s, arena_t *a, int64_t id, store_category *out)
{
    return s->ops->category_by_id(s, a, id, out);
}

int store_category_list(store_t *s, arena_t *a, store_category **out, size_t *n)
{
    return s->ops->category_list(s, a, out, n);
}

int store_tag_by_slug(store_t *s, arena_t *a, const char *slug, store_tag *out)
{
    return s->ops->tag_by_slug(s, a, slug, out);
}

int store_author_by_slug(store_t *s, arena_t *a, const char *slug, store_author *out)
{
    return s->ops->author_by_slug(s, a, slug, out);
}

int store_author_list(store_t *s, arena_t *a, store_author **out, size_t *n)
{
    return s->ops->author_list(s, a, out, n);
}

int store_page_by_slug(store_t *s, arena_t *a, const char *slug, store_page *out)
{
    return s->ops->page_by_slug(s, a, slug, out);
}

int store_page_list(store_t *s, arena_t *a, store_page **out, size_t *n)
{
    return s->ops->page_list(s, a, out, n);
}

int store_page_by_id(store_t *s, arena_t *a, int64_t id, store_page *out)
{
    return s->ops->page_by_id(s, a, id, out);
}

int store_page_list_all(store_t *s, arena_t *a, store_page **out, size_t *n)
{
    return s->ops->page_list_all(s, a, out, n);
}

int store_tag_list(store_t *s, arena_t *a, store_tag **out, size_t *n)
{
    return s->ops->tag_list(s, a, out, n);
}

int store_comment_list_any(store_t *s, arena_t *a, int64_t article_id, store_comment **out,
                           size_t *n)
{
    return s->ops->comment_list_any(s, a, article_id, out, n);
}

/* The bound of the batch reads (ids, media, import refs). */
static bool batch_ok(int limit)
{
    return limit >= 1 && limit <= 10000;
}

int store_article_ids(store_t *s, arena_t *a, int64_t after, int limit, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    return batch_ok(limit) ? s->ops->article_ids(s, a, after, limit, ids, n) : NS_EINVAL;
}

int store_media_get(store_t *s, arena_t *a, int64_t id, store_media *out)
{
    return s->ops->media_get(s, a, id, out);
}

int store_media_list(store_t *s, arena_t *a, int64_t after, int limit, store_media **out,
                     size_t *n)
{
    *out = NULL;
    *n = 0;
    return batch_ok(limit) ? s->ops->media_list(s, a, after, limit, out, n) : NS_EINVAL;
}

/* A kind of import_kind. */
static bool import_kind_ok(import_kind kind)
{
    return kind >= IMPORT_AUTHOR && kind <= IMPORT_COMMENT;
}

int store_import_get(store_t *s, arena_t *a, const char *source, import_kind kind, int64_t wp_id,
                     const char *guid, store_import_item *out)
{
    memset(out, 0, sizeof *out);
    if (!source || !import_kind_ok(kind))
        return NS_EINVAL;
    return s->ops->import_get(s, a, source, kind, wp_id, guid, out);
}

int store_import_refs(store_t *s, arena_t *a, const char *source, import_kind kind, int64_t after,
                      int limit, store_import_item **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!source || !import_kind_ok(kind) || !batch_ok(limit))
        return NS_EINVAL;
    return s->ops->import_refs(s, a, source, kind, after, limit, out, n);
}

int store_redirect_lookup(store_t *s, arena_t *a, const char *path, store_redirect *out)
{
    return s->ops->redirect_lookup(s, a, path, out);
}

int store_setting_get(store_t *s, arena_t *a, const char *key, const char **value)
{
    return s->ops->setting_get(s, a, key, value);
}

int store_setting_list(store_t *s, arena_t *a, store_setting **out, size_t *n)
{
    return s->ops->setting_list(s, a, out, n);
}

int store_author_insert(store_t *s, store_author *au)
{
    return s->ops->author_insert(s, au);
}

int store_category_insert(store_t *s, store_category *c)
{
    return s->ops->category_insert(s, c);
}

int store_category_update(store_t *s, const store_category *c)
{
    return s->ops->category_update(s, c);
}

int store_tag_ensure(store_t *s, store_tag *t)
{
    return s->ops->tag_ensure(s, t);
}

/* Each article write indexes the article again in its own transaction
 * (index.c): no search and no related block lags behind it, and a write
 * that fails or is rolled back leaves the index as it was. */
typedef struct article_indexed_ctx {
    store_article *ar;
    const int64_t *tag_ids;
    size_t ntags;
    bool update;
} article_indexed_ctx;

static int article_write_indexed(store_t *s, void *arg)
{
    article_indexed_ctx *x = arg;
    int rc = x->update ? s->ops->article_update(s, x->ar, x->tag_ids, x->ntags)
                       : s->ops->article_insert(s, x->ar, x->tag_ids, x->ntags);
    return rc ? rc : store_article_indexed(s, x->ar->id);
}

int store_article_insert(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    article_indexed_ctx x = { ar, tag_ids, ntags, false };
    return store_write(s, article_write_indexed, &x);
}

int store_article_update(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    article_indexed_ctx x = { ar, tag_ids, ntags, true };
    return store_write(s, article_write_indexed, &x);
}

static int article_delete_indexed(store_t *s, void *arg)
{
    int64_t id = *(const int64_t *)arg;
    int rc = s->ops->article_delete(s, id);
    return rc ? rc : s->ops->search_index(s, id);
}

int store_article_delete(store_t *s, int64_t id)
{
    return store_write(s, article_delete_indexed, &id);
}

int store_comment_insert(store_t *s, store_comment *c)
{
    return s->ops->comment_insert(s, c);
}

int store_comment_set_status(store_t *s, int64_t id, comment_status st)
{
    return s->ops->comment_set_status(s, id, st);
}

int store_comment_delete(store_t *s, int64_t id)
{
    return s->ops->comment_delete(s, id);
}

int store_page_insert(store_t *s, store_page *p)
{
    return s->ops->page_insert(s, p);
}

int store_page_update(store_t *s, const store_page *p)
{
    return s->ops->page_update(s, p);
}

int store_comment_import(store_t *s, store_comment *c)
{
    return store_comment_status_name(c->status) ? s->ops->comment_import(s, c) : NS_EINVAL;
}

/* A media file's url goes into <img src> and links: a site path or an
 * http(s) URL, never javascript: and the like. */
static bool media_ok(const store_media *m)
{
    return m->url && text_url_is_safe_link(m->url);
}

int store_media_insert(store_t *s, store_media *m)
{
    return media_ok(m) ? s->ops->media_insert(s, m) : NS_EINVAL;
}

int store_media_update(store_t *s, const store_media *m)
{
    return media_ok(m) ? s->ops->media_update(s, m) : NS_EINVAL;
}

int store_import_put(store_t *s, const store_import_item *it)
{
    return import_kind_ok(it->kind) ? s->ops->import_put(s, it) : NS_EINVAL;
}

int store_redirect_put(store_t *s, const store_redirect *r)
{
    return r->status == 301 || r->status == 302 ? s->ops->redirect_put(s, r) : NS_EINVAL;
}

int store_setting_set(store_t *s, const char *key, const char *value)
{
    return s->ops->setting_set(s, key, value);
}

int store_setting_ensure(store_t *s, const char *key, const char *value)
{
    return s->ops->setting_ensure(s, key, value);
}

int store_redirect_insert(store_t *s, const store_redirect *r)
{
    return s->ops->redirect_insert(s, r);
}
