/*
 * newsroom.c - the store functions of the newsroom (store.h: users,
 * sessions, sign-in failures, revisions, the newsroom's article list,
 * trash, the comment queue, media search), written once above both
 * backends: each is one of the fixed statements of store_impl.h
 * (store_nr) run through the backend's nr_* operations, with its checks
 * here. The article list's text is built here from the filters a query
 * uses, the search clause and its expression being the backend's.
 */
#include <string.h>
#include "core/buf.h"
#include "core/err.h"
#include "store/fields.h"
#include "store/store_impl.h"

/* A count read as a one-member row. */
static const store_field count_field[] = { { ":count", STORE_F_I64, 0 } };
static const store_fields count_fields = { count_field, 1, sizeof(int64_t) };

/* The one row of statement q for parameter p into out. */
static int nr_one(store_t *s, arena_t *a, enum store_nr q, store_param p,
                  const store_fields *fs, void *out)
{
    return s->ops->nr_read(s, a, q, &p, 1, fs, &out, NULL);
}

static int nr_all(store_t *s, arena_t *a, enum store_nr q, const store_param *p, size_t np,
                  const store_fields *fs, void **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    return s->ops->nr_read(s, a, q, p, np, fs, out, n);
}

static int nr_count(store_t *s, enum store_nr q, const store_param *p, size_t np, int64_t *count)
{
    void *row = count;
    *count = 0;
    return s->ops->nr_read(s, NULL, q, p, np, &count_fields, &row, NULL);
}

static bool page_ok(int limit, int offset, int most)
{
    return limit >= 1 && limit <= most && offset >= 0;
}

/* ---- users ---- */

int store_user_get(store_t *s, arena_t *a, int64_t id, store_user *out)
{
    return nr_one(s, a, NR_USER_GET, STORE_NUM(id), &store_user_fields, out);
}

int store_user_by_login(store_t *s, arena_t *a, const char *login, store_user *out)
{
    if (!login)
        return NS_EINVAL;
    return nr_one(s, a, NR_USER_BY_LOGIN, STORE_TEXT(login), &store_user_fields, out);
}

int store_user_list(store_t *s, arena_t *a, store_user **out, size_t *n)
{
    return nr_all(s, a, NR_USER_LIST, NULL, 0, &store_user_fields, (void **)out, n);
}

int store_user_insert(store_t *s, const store_user *u)
{
    if (u->id <= 0)
        return NS_EINVAL;
    return s->ops->nr_row(s, NR_USER_INSERT, &store_user_fields, u, NULL, 0);
}

int store_user_update(store_t *s, const store_user *u)
{
    return s->ops->nr_row(s, NR_USER_UPDATE, &store_user_fields, u, NULL, NS_ENOTFOUND);
}

/* ---- sessions ---- */

int store_session_get(store_t *s, arena_t *a, const char *id_hash, store_session *out)
{
    if (!id_hash)
        return NS_EINVAL;
    return nr_one(s, a, NR_SESSION_GET, STORE_TEXT(id_hash), &store_session_fields, out);
}

int store_session_list(store_t *s, arena_t *a, int64_t user_id, store_session **out, size_t *n)
{
    store_param p = STORE_NUM(user_id);
    return nr_all(s, a, NR_SESSION_LIST, &p, 1, &store_session_fields, (void **)out, n);
}

int store_session_insert(store_t *s, const store_session *ss)
{
    return s->ops->nr_row(s, NR_SESSION_INSERT, &store_session_fields, ss, NULL, 0);
}

int store_session_touch(store_t *s, const char *id_hash, int64_t seen_at)
{
    store_param p[] = { STORE_TEXT(id_hash), STORE_NUM(seen_at) };
    return id_hash ? s->ops->nr_write(s, NR_SESSION_TOUCH, p, 2, NS_ENOTFOUND) : NS_EINVAL;
}

int store_session_delete(store_t *s, const char *id_hash)
{
    store_param p = STORE_TEXT(id_hash);
    return id_hash ? s->ops->nr_write(s, NR_SESSION_DELETE, &p, 1, 0) : NS_EINVAL;
}

int store_session_delete_user(store_t *s, int64_t user_id, const char *keep)
{
    store_param p[] = { STORE_NUM(user_id), STORE_TEXT(keep) };
    return s->ops->nr_write(s, NR_SESSION_DELETE_USER, p, 2, 0);
}

int store_session_prune(store_t *s, int64_t created_before, int64_t seen_before)
{
    store_param p[] = { STORE_NUM(created_before), STORE_NUM(seen_before) };
    return s->ops->nr_write(s, NR_SESSION_PRUNE, p, 2, 0);
}

/* ---- sign-in failures ---- */

int store_login_failures(store_t *s, const char *key, int64_t since, int64_t *count)
{
    store_param p[] = { STORE_TEXT(key), STORE_NUM(since) };
    *count = 0;
    return key ? nr_count(s, NR_LOGIN_FAILURES, p, 2, count) : NS_EINVAL;
}

struct login_failed {
    store_param key_now[2];
    store_param before;
};

/* The old failures of every key go with each new one: the table holds
 * no more than the window's. */
static int login_failed_fn(store_t *s, void *arg)
{
    const struct login_failed *x = arg;
    int rc = s->ops->nr_write(s, NR_LOGIN_FORGET, &x->before, 1, 0);
    return rc ? rc : s->ops->nr_write(s, NR_LOGIN_FAILED, x->key_now, 2, 0);
}

int store_login_failed(store_t *s, const char *key, int64_t now, int64_t forget)
{
    struct login_failed x = { { STORE_TEXT(key), STORE_NUM(now) }, STORE_NUM(now - forget) };
    return key && forget >= 0 ? store_write(s, login_failed_fn, &x) : NS_EINVAL;
}

int store_login_clear(store_t *s, const char *key)
{
    store_param p = STORE_TEXT(key);
    return key ? s->ops->nr_write(s, NR_LOGIN_CLEAR, &p, 1, 0) : NS_EINVAL;
}

/* ---- revisions, trash ---- */

int store_revision_insert(store_t *s, store_revision *r)
{
    return s->ops->nr_row(s, NR_REVISION_INSERT, &store_revision_fields, r, &r->id, 0);
}

int store_revision_list(store_t *s, arena_t *a, int64_t article_id, store_revision **out,
                        size_t *n)
{
    store_param p = STORE_NUM(article_id);
    return nr_all(s, a, NR_REVISION_LIST, &p, 1, &store_revision_fields, (void **)out, n);
}

int store_revision_get(store_t *s, arena_t *a, int64_t id, store_revision *out)
{
    return nr_one(s, a, NR_REVISION_GET, STORE_NUM(id), &store_revision_fields, out);
}

int store_article_trash(store_t *s, int64_t id, int64_t now)
{
    store_param p[] = { STORE_NUM(id), STORE_NUM(now) };
    return now > 0 ? s->ops->nr_write(s, NR_ARTICLE_TRASH, p, 2, NS_ENOTFOUND) : NS_EINVAL;
}

int store_article_restore(store_t *s, int64_t id)
{
    store_param p = STORE_NUM(id);
    return s->ops->nr_write(s, NR_ARTICLE_RESTORE, &p, 1, NS_ENOTFOUND);
}

/* ---- comments, media ---- */

int store_comment_queue(store_t *s, arena_t *a, int st, int limit, int offset,
                        store_comment **out, size_t *n)
{
    const char *name = store_comment_status_name((comment_status)st);
    store_param p[] = { STORE_TEXT(name), STORE_NUM(limit), STORE_NUM(offset) };
    *out = NULL;
    *n = 0;
    if ((st != -1 && !name) || !page_ok(limit, offset, 1000))
        return NS_EINVAL;
    return st == -1 ? nr_all(s, a, NR_COMMENT_QUEUE_ANY, p + 1, 2, &store_comment_fields,
                             (void **)out, n)
                    : nr_all(s, a, NR_COMMENT_QUEUE, p, 3, &store_comment_fields,
                             (void **)out, n);
}

int store_comment_status_count(store_t *s, int st, int64_t *count)
{
    const char *name = store_comment_status_name((comment_status)st);
    store_param p = STORE_TEXT(name);
    *count = 0;
    if (st != -1 && !name)
        return NS_EINVAL;
    return st == -1 ? nr_count(s, NR_COMMENT_COUNT_ANY, NULL, 0, count)
                    : nr_count(s, NR_COMMENT_COUNT, &p, 1, count);
}

int store_comment_update(store_t *s, const store_comment *c)
{
    return s->ops->nr_row(s, NR_COMMENT_UPDATE, &store_comment_fields, c, NULL, NS_ENOTFOUND);
}

/* A LIKE pattern holding text anywhere, its own % _ and \ taken as they are. */
static const char *like_pattern(arena_t *a, const char *text)
{
    buf_t b;
    buf_init(&b, a);
    buf_putc(&b, '%');
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '%');
    return buf_cstr(&b);
}

int store_media_search(store_t *s, arena_t *a, const char *text, int limit, int offset,
                       store_media **out, size_t *n, int64_t *total)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    if (!page_ok(limit, offset, 1000))
        return NS_EINVAL;
    store_param p[] = { STORE_TEXT(like_pattern(a, text)), STORE_NUM(limit), STORE_NUM(offset) };
    int rc = nr_count(s, NR_MEDIA_COUNT, p, 1, total);
    return rc ? rc : nr_all(s, a, NR_MEDIA_SEARCH, p, 3, &store_media_fields, (void **)out, n);
}

int store_media_delete(store_t *s, int64_t id)
{
    store_param p = STORE_NUM(id);
    return s->ops->nr_write(s, NR_MEDIA_DELETE, &p, 1, NS_ENOTFOUND);
}

/* ---- the newsroom's article list ---- */

/* The WHERE clause of q onto b, its parameters into p (*np of them);
 * false when its text can match nothing. */
static bool admin_where(store_t *s, arena_t *a, const store_admin_query *q, buf_t *b,
                        store_param *p, size_t *np)
{
    buf_puts(b, q->trashed ? "a.trashed_at <> 0" : "a.trashed_at = 0");
    if (!q->trashed && q->status != -1) {
        p[(*np)++] = STORE_TEXT(store_article_status_name((article_status)q->status));
        buf_printf(b, " AND a.status = $%zu", *np);
    }
    if (q->category_id) {
        p[(*np)++] = STORE_NUM(q->category_id);
        buf_printf(b, " AND a.category_id = $%zu", *np);
    }
    if (q->author_id) {
        p[(*np)++] = STORE_NUM(q->author_id);
        buf_printf(b, " AND a.author_id = $%zu", *np);
    }
    if (q->text && q->text->n) {
        const char *match = s->ops->nr_match(a, q->text);
        if (!match)
            return false;
        p[(*np)++] = STORE_TEXT(match);
        buf_puts(b, " AND ");
        buf_printf(b, s->ops->nr_match_clause, (int)*np);
    }
    return true;
}

int store_admin_articles(store_t *s, arena_t *a, const store_admin_query *q,
                         struct store_article_list *out, int64_t *total)
{
    out->items = NULL;
    out->n = 0;
    *total = 0;
    if (!page_ok(q->limit, q->offset, 100) ||
        (!q->trashed && q->status != -1 && !store_article_status_name((article_status)q->status)))
        return NS_EINVAL;
    store_param p[6];
    size_t np = 0;
    buf_t w;
    buf_init(&w, a);
    if (!admin_where(s, a, q, &w, p, &np))
        return 0;
    p[np++] = STORE_NUM(q->limit);
    p[np++] = STORE_NUM(q->offset);
    /* the ids of the page first (index articles_changed), then their rows */
    const char *sql = arena_printf(a, "SELECT " SQL_ART_COLS("NULL", "NULL", "0") " FROM "
        SQL_ART_FROM " JOIN (SELECT a.id FROM articles a WHERE %s"
        " ORDER BY a.updated_at DESC, a.id DESC LIMIT $%zu OFFSET $%zu) pick ON pick.id = a.id"
        " ORDER BY a.updated_at DESC, a.id DESC", buf_cstr(&w), np - 1, np);
    const char *count = arena_printf(a, "SELECT count(*) FROM articles a WHERE %s", buf_cstr(&w));
    return s->ops->nr_articles(s, a, sql, count, p, np, out, total);
}
