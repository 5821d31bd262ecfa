/*
 * sqlite_write.c - every write of the SQLite backend. Input reaching here
 * may come from a comment form, so each write validates its text (present
 * where required, well-formed UTF-8) before SQL sees it, and runs inside a
 * savepoint so a multi-statement write (an article and its tags) is all or
 * nothing even when nested in a caller's transaction. Constraint failures
 * become NS_EEXIST (duplicate slug/key) or NS_EINVAL (broken reference).
 */
#include <string.h>
#include <time.h>
#include "core/err.h"
#include "core/text.h"
#include "store/sqlite_priv.h"

/* NS_EINVAL unless s is well-formed UTF-8 (and non-empty when required). */
static int check_text(const char *s, bool required)
{
    if (!s)
        return required ? NS_EINVAL : 0;
    if (required && !*s)
        return NS_EINVAL;
    return text_valid_utf8(s, strlen(s)) ? 0 : NS_EINVAL;
}

/* check_text over a list: the first n are required. */
static int check_texts(const char *const *v, size_t n, size_t required)
{
    for (size_t i = 0; i < n; i++) {
        int rc = check_text(v[i], i < required);
        if (rc)
            return rc;
    }
    return 0;
}

#define CHECK_TEXTS(req, ...) \
    check_texts((const char *const[]){ __VA_ARGS__ }, \
                sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *), (req))

/* Step an INSERT/UPDATE/DELETE; *changes gets the rows it touched. */
static int step_write(store_t *s, sqlite3_stmt *st, int *changes)
{
    int rc = store_map_rc(sqlite3_step(st));
    if (changes)
        *changes = rc == 0 ? sqlite3_changes(s->db) : 0;
    return store_done(st, rc);
}

/* ---- authors, categories, tags ---- */

static int author_insert(store_t *s, void *arg)
{
    store_author *au = arg;
    sqlite3_stmt *st = store_stmt(s, ST_AUTHOR_INSERT);
    if (!st)
        return NS_EINTERNAL;
    store_bind_text(st, ":slug", au->slug);
    store_bind_text(st, ":name", au->name);
    store_bind_text(st, ":bio", au->bio);
    store_bind_text(st, ":email", au->email);
    store_bind_text(st, ":avatar", au->avatar_url);
    int rc = step_write(s, st, NULL);
    if (rc == 0)
        au->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_author_insert(store_t *s, store_author *au)
{
    int rc = CHECK_TEXTS(2, au->slug, au->name, au->bio, au->email, au->avatar_url);
    return rc ? rc : store_atomic(s, author_insert, au);
}

static int category_insert(store_t *s, void *arg)
{
    store_category *c = arg;
    sqlite3_stmt *st = store_stmt(s, ST_CATEGORY_INSERT);
    if (!st)
        return NS_EINTERNAL;
    store_bind_ref(st, ":parent", c->parent_id);
    store_bind_text(st, ":slug", c->slug);
    store_bind_text(st, ":name", c->name);
    store_bind_text(st, ":description", c->description);
    store_bind_int(st, ":position", c->position);
    int rc = step_write(s, st, NULL);
    if (rc == 0)
        c->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_category_insert(store_t *s, store_category *c)
{
    int rc = CHECK_TEXTS(2, c->slug, c->name, c->description);
    return rc ? rc : store_atomic(s, category_insert, c);
}

struct tag_ctx {
    store_tag *t;
    const char *slug;
};

static int tag_ensure(store_t *s, void *arg)
{
    struct tag_ctx *x = arg;
    sqlite3_stmt *st = store_stmt(s, ST_TAG_INSERT);
    sqlite3_stmt *get = store_stmt(s, ST_TAG_BY_SLUG);
    if (!st || !get)
        return NS_EINTERNAL;
    store_bind_text(st, ":slug", x->slug);
    store_bind_text(st, ":name", x->t->name);
    int rc = step_write(s, st, NULL);
    if (rc)
        return rc;
    store_bind_text(get, ":slug", x->slug);
    rc = sqlite3_step(get);
    if (rc == SQLITE_ROW)
        x->t->id = sqlite3_column_int64(get, 0);
    return store_done(get, rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? NS_EINTERNAL
                                                                    : store_map_rc(rc));
}

int store_tag_ensure(store_t *s, store_tag *t)
{
    int rc = CHECK_TEXTS(1, t->name, t->slug);
    if (rc)
        return rc;
    struct tag_ctx x = { t, t->slug };
    arena_t *tmp = NULL;
    if (!x.slug) {
        tmp = arena_new(256);
        x.slug = text_slugify(tmp, t->name, 200);
    }
    rc = x.slug && *x.slug ? store_atomic(s, tag_ensure, &x) : NS_EINVAL;
    arena_free(tmp);
    return rc;
}

/* ---- articles ---- */

struct article_ctx {
    store_article *ar;
    const int64_t *tag_ids;
    size_t ntags;
    bool update;
};

static void bind_article(sqlite3_stmt *st, const store_article *ar)
{
    static const struct { const char *name; size_t off; } texts[] = {
        { ":slug", offsetof(store_article, slug) },
        { ":title", offsetof(store_article, title) },
        { ":kicker", offsetof(store_article, kicker) },
        { ":lead", offsetof(store_article, lead) },
        { ":body", offsetof(store_article, body_md) },
        { ":source", offsetof(store_article, source) },
        { ":video", offsetof(store_article, video_url) },
        { ":image", offsetof(store_article, image_url) },
        { ":image_alt", offsetof(store_article, image_alt) },
        { ":image_caption", offsetof(store_article, image_caption) },
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        store_bind_text(st, texts[i].name,
                        *(const char *const *)((const char *)ar + texts[i].off));
    store_bind_text(st, ":status", store_article_status_name(ar->status));
    store_bind_int(st, ":comments_open", ar->comments_open);
    store_bind_int(st, ":created", ar->created_at);
    store_bind_int(st, ":published", ar->published_at);
    store_bind_int(st, ":updated", ar->updated_at);
    store_bind_ref(st, ":author", ar->author_id);
    store_bind_ref(st, ":category", ar->category_id);
    store_bind_int(st, ":id", ar->id);
}

static int article_set_tags(store_t *s, int64_t id, const int64_t *tag_ids, size_t n)
{
    sqlite3_stmt *clear = store_stmt(s, ST_ARTICLE_TAGS_CLEAR);
    sqlite3_stmt *ins = store_stmt(s, ST_ARTICLE_TAG_INSERT);
    if (!clear || !ins)
        return NS_EINTERNAL;
    store_bind_int(clear, ":article", id);
    int rc = step_write(s, clear, NULL);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        store_bind_int(ins, ":article", id);
        store_bind_int(ins, ":tag", tag_ids[i]);
        rc = step_write(s, ins, NULL);
    }
    return rc;
}

static int article_write(store_t *s, void *arg)
{
    struct article_ctx *x = arg;
    sqlite3_stmt *st = store_stmt(s, x->update ? ST_ARTICLE_UPDATE : ST_ARTICLE_INSERT);
    if (!st)
        return NS_EINTERNAL;
    bind_article(st, x->ar);
    int changes = 0, rc = step_write(s, st, &changes);
    if (rc == 0 && changes == 0)
        rc = NS_ENOTFOUND;
    if (rc == 0 && !x->update)
        x->ar->id = sqlite3_last_insert_rowid(s->db);
    return rc ? rc : article_set_tags(s, x->ar->id, x->tag_ids, x->ntags);
}

static int article_check(const store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    if (!store_article_status_name(ar->status) || (ntags && !tag_ids))
        return NS_EINVAL;
    return CHECK_TEXTS(2, ar->slug, ar->title, ar->kicker, ar->lead, ar->body_md, ar->source,
                       ar->video_url, ar->image_url, ar->image_alt, ar->image_caption);
}

int store_article_insert(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    struct article_ctx x = { ar, tag_ids, ntags, false };
    int rc = article_check(ar, tag_ids, ntags);
    return rc ? rc : store_atomic(s, article_write, &x);
}

int store_article_update(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    struct article_ctx x = { ar, tag_ids, ntags, true };
    int rc = article_check(ar, tag_ids, ntags);
    if (rc)
        return rc;
    if (ar->updated_at == 0)
        ar->updated_at = (int64_t)time(NULL);
    return store_atomic(s, article_write, &x);
}

/* A one-statement write keyed by an id and optional text :status. */
struct id_ctx {
    enum store_stmt_id stmt;
    int64_t id;
    const char *status;
};

static int id_write(store_t *s, void *arg)
{
    struct id_ctx *x = arg;
    sqlite3_stmt *st = store_stmt(s, x->stmt);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", x->id);
    store_bind_text(st, ":status", x->status);
    int changes = 0, rc = step_write(s, st, &changes);
    return rc ? rc : changes ? 0 : NS_ENOTFOUND;
}

int store_article_delete(store_t *s, int64_t id)
{
    struct id_ctx x = { ST_ARTICLE_DELETE, id, NULL };
    return store_atomic(s, id_write, &x);
}

/* ---- comments, pages, settings, redirects ---- */

static int comment_insert(store_t *s, void *arg)
{
    store_comment *c = arg;
    sqlite3_stmt *st = store_stmt(s, ST_COMMENT_INSERT);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":article", c->article_id);
    store_bind_ref(st, ":parent", c->parent_id);
    store_bind_text(st, ":name", c->author_name);
    store_bind_text(st, ":email", c->author_email);
    store_bind_text(st, ":url", c->author_url);
    store_bind_text(st, ":body", c->body);
    store_bind_text(st, ":ip", c->ip);
    store_bind_text(st, ":ua", c->user_agent);
    store_bind_text(st, ":status", store_comment_status_name(c->status));
    store_bind_int(st, ":created", c->created_at);
    int changes = 0, rc = step_write(s, st, &changes);
    if (rc == 0 && changes == 0)
        rc = NS_EINVAL; /* parent missing or on another article */
    if (rc == 0)
        c->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_comment_insert(store_t *s, store_comment *c)
{
    if (!store_comment_status_name(c->status))
        return NS_EINVAL;
    int rc = CHECK_TEXTS(2, c->author_name, c->body, c->author_email, c->author_url, c->ip,
                         c->user_agent);
    return rc ? rc : store_atomic(s, comment_insert, c);
}

int store_comment_set_status(store_t *s, int64_t id, comment_status cs)
{
    struct id_ctx x = { ST_COMMENT_STATUS, id, store_comment_status_name(cs) };
    return x.status ? store_atomic(s, id_write, &x) : NS_EINVAL;
}

static int page_insert(store_t *s, void *arg)
{
    store_page *p = arg;
    sqlite3_stmt *st = store_stmt(s, ST_PAGE_INSERT);
    if (!st)
        return NS_EINTERNAL;
    store_bind_text(st, ":slug", p->slug);
    store_bind_text(st, ":title", p->title);
    store_bind_text(st, ":body", p->body_md);
    store_bind_int(st, ":published", p->published);
    store_bind_int(st, ":published_at", p->published_at);
    store_bind_int(st, ":updated", p->updated_at);
    int rc = step_write(s, st, NULL);
    if (rc == 0)
        p->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_page_insert(store_t *s, store_page *p)
{
    int rc = CHECK_TEXTS(2, p->slug, p->title, p->body_md);
    return rc ? rc : store_atomic(s, page_insert, p);
}

static int setting_set(store_t *s, void *arg)
{
    const store_setting *kv = arg;
    sqlite3_stmt *st = store_stmt(s, ST_SETTING_SET);
    if (!st)
        return NS_EINTERNAL;
    store_bind_text(st, ":key", kv->key);
    store_bind_text(st, ":value", kv->value);
    return step_write(s, st, NULL);
}

int store_setting_set(store_t *s, const char *key, const char *value)
{
    store_setting kv = { key, value ? value : "" };
    int rc = CHECK_TEXTS(1, kv.key, kv.value);
    return rc ? rc : store_atomic(s, setting_set, &kv);
}

static int redirect_insert(store_t *s, void *arg)
{
    const store_redirect *r = arg;
    sqlite3_stmt *st = store_stmt(s, ST_REDIRECT_INSERT);
    if (!st)
        return NS_EINTERNAL;
    store_bind_text(st, ":from", r->from_path);
    store_bind_text(st, ":to", r->to_path);
    store_bind_int(st, ":status", r->status);
    return step_write(s, st, NULL);
}

int store_redirect_insert(store_t *s, const store_redirect *r)
{
    if (r->status != 301 && r->status != 302)
        return NS_EINVAL;
    int rc = CHECK_TEXTS(2, r->from_path, r->to_path);
    return rc ? rc : store_atomic(s, redirect_insert, (void *)r);
}
