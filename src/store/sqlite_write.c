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
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "store/sqlite_priv.h"

/* Step an INSERT/UPDATE/DELETE; *changes gets the rows it touched. */
static int step_write(sq_store *s, sqlite3_stmt *st, int *changes)
{
    int rc = store_map_rc(store_step(s, st));
    if (changes)
        *changes = rc == 0 ? sqlite3_changes(s->db) : 0;
    return store_done(st, rc);
}

/* One statement writing one struct through its field table. */
struct row_ctx {
    enum store_stmt_id stmt;
    const store_fields *fs;
    const void *row;
    int64_t *id;            /* gets the new rowid; NULL: the write is not an insert */
    int if_none;            /* returned when no row was written; 0: not an error */
};

static int row_write(store_t *self, void *arg)
{
    sq_store *s = sq(self);
    const struct row_ctx *x = arg;
    sqlite3_stmt *st = store_stmt(s, x->stmt);
    if (!st)
        return NS_EINTERNAL;
    store_bind_row(st, x->fs, x->row);
    int rc = store_step(s, st);
    /* a statement with RETURNING gives its value as a row */
    bool wrote = rc == SQLITE_ROW || (rc == SQLITE_DONE && sqlite3_changes(s->db) > 0);
    if (wrote && x->id)
        *x->id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : sqlite3_last_insert_rowid(s->db);
    rc = store_done(st, store_map_rc(rc));
    return rc ? rc : wrote ? 0 : x->if_none;
}

/* check_row, then row_write in a savepoint of its own. */
int sq_row_store(sq_store *s, enum store_stmt_id stmt, const store_fields *fs, const void *row,
                 int64_t *id, int if_none)
{
    struct row_ctx x = { stmt, fs, row, id, if_none };
    int rc = store_check_row(fs, row);
    return rc ? rc : sq_write(&s->base, row_write, &x);
}

/* ---- authors, categories, tags ---- */

int sq_author_insert(store_t *self, store_author *au)
{
    sq_store *s = sq(self);
    return sq_row_store(s, ST_AUTHOR_INSERT, &store_author_fields, au, &au->id, 0);
}

int sq_category_insert(store_t *self, store_category *c)
{
    sq_store *s = sq(self);
    return sq_row_store(s, ST_CATEGORY_INSERT, &store_category_fields, c, &c->id, 0);
}

int sq_category_update(store_t *self, const store_category *c)
{
    return sq_row_store(sq(self), ST_CATEGORY_UPDATE, &store_category_fields, c, NULL, NS_ENOTFOUND);
}

struct tag_ctx {
    store_tag *t;
    const char *slug;
};

static int tag_ensure(store_t *self, void *arg)
{
    sq_store *s = sq(self);
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
    rc = store_step(s, get);
    if (rc == SQLITE_ROW)
        x->t->id = sqlite3_column_int64(get, 0);
    return store_done(get, rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? NS_EINTERNAL
                                                                    : store_map_rc(rc));
}

int sq_tag_ensure(store_t *self, store_tag *t)
{
    sq_store *s = sq(self);
    int rc = store_check_row(&store_tag_fields, t);
    if (rc)
        return rc;
    struct tag_ctx x = { t, t->slug };
    arena_t *tmp = NULL;
    if (!x.slug) {
        tmp = arena_new(256);
        x.slug = text_slugify(tmp, t->name, 200);
    }
    rc = x.slug && *x.slug ? sq_write(&s->base, tag_ensure, &x) : NS_EINVAL;
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

/* The tags to keep as a JSON array of ids, for ST_ARTICLE_TAGS_KEEP. */
static char *article_tag_json(arena_t *a, const int64_t *tag_ids, size_t n)
{
    buf_t b;
    buf_init(&b, a);
    buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)tag_ids[i]);
    buf_putc(&b, ']');
    return (char *)buf_cstr(&b);
}

/* Make the article's tags exactly tag_ids, touching only the rows that
 * change (each logs a change of the lists). */
static int article_set_tags(sq_store *s, int64_t id, const int64_t *tag_ids, size_t n)
{
    sqlite3_stmt *keep = store_stmt(s, ST_ARTICLE_TAGS_KEEP);
    sqlite3_stmt *ins = store_stmt(s, ST_ARTICLE_TAG_INSERT);
    if (!keep || !ins)
        return NS_EINTERNAL;
    arena_t *a = arena_new(256 + 24 * n);
    store_bind_int(keep, ":article", id);
    store_bind_text(keep, ":keep", article_tag_json(a, tag_ids, n));
    arena_free(a);
    int rc = step_write(s, keep, NULL);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        store_bind_int(ins, ":article", id);
        store_bind_int(ins, ":tag", tag_ids[i]);
        rc = step_write(s, ins, NULL);
    }
    return rc;
}

static int article_write(store_t *self, void *arg)
{
    sq_store *s = sq(self);
    struct article_ctx *x = arg;
    /* an update returns the revision it made */
    struct row_ctx w = { x->update ? ST_ARTICLE_UPDATE : ST_ARTICLE_INSERT, &store_article_fields,
                         x->ar, x->update ? &x->ar->revision : &x->ar->id, NS_ENOTFOUND };
    if (!x->update)
        x->ar->revision = 0;
    int rc = row_write(&s->base, &w);
    return rc ? rc : article_set_tags(s, x->ar->id, x->tag_ids, x->ntags);
}

int sq_article_insert(store_t *self, store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    sq_store *s = sq(self);
    struct article_ctx x = { ar, tag_ids, ntags, false };
    int rc = store_check_article(ar, tag_ids, ntags);
    return rc ? rc : sq_write(&s->base, article_write, &x);
}

int sq_article_update(store_t *self, store_article *ar, const int64_t *tag_ids, size_t ntags)
{
    sq_store *s = sq(self);
    struct article_ctx x = { ar, tag_ids, ntags, true };
    int rc = store_check_article(ar, tag_ids, ntags);
    if (rc)
        return rc;
    if (ar->updated_at == 0)
        ar->updated_at = (int64_t)time(NULL);
    return sq_write(&s->base, article_write, &x);
}

/* A one-statement write keyed by an id and optional text :status. */
struct id_ctx {
    enum store_stmt_id stmt;
    int64_t id;
    const char *status;
};

static int id_write(store_t *self, void *arg)
{
    sq_store *s = sq(self);
    struct id_ctx *x = arg;
    sqlite3_stmt *st = store_stmt(s, x->stmt);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", x->id);
    store_bind_text(st, ":status", x->status);
    int changes = 0, rc = step_write(s, st, &changes);
    return rc ? rc : changes ? 0 : NS_ENOTFOUND;
}

int sq_article_delete(store_t *self, int64_t id)
{
    sq_store *s = sq(self);
    struct id_ctx x = { ST_ARTICLE_DELETE, id, NULL };
    return sq_write(&s->base, id_write, &x);
}

/* ---- comments, pages, settings, redirects ---- */

/* The same text from the same person is refused before the insert, in
 * the same transaction; the insert selects nothing when the article is
 * gone or the parent is not an approved comment of it. */
static int comment_write(store_t *self, void *arg)
{
    store_comment *c = arg;
    bool dup = false;
    int rc = c->fingerprint ? sq_comment_dup(self, c, &dup) : 0;
    if (rc || dup)
        return rc ? rc : NS_EEXIST;
    struct row_ctx x = { ST_COMMENT_INSERT, &store_comment_fields, c, &c->id, NS_EINVAL };
    return row_write(self, &x);
}

int sq_comment_insert(store_t *self, store_comment *c)
{
    sq_store *s = sq(self);
    if (!store_comment_status_name(c->status))
        return NS_EINVAL;
    int rc = store_check_row(&store_comment_fields, c);
    return rc ? rc : sq_write(&s->base, comment_write, c);
}

int sq_comment_set_status(store_t *self, int64_t id, comment_status cs)
{
    sq_store *s = sq(self);
    struct id_ctx x = { ST_COMMENT_STATUS, id, store_comment_status_name(cs) };
    return x.status ? sq_write(&s->base, id_write, &x) : NS_EINVAL;
}

int sq_comment_delete(store_t *self, int64_t id)
{
    struct id_ctx x = { ST_COMMENT_DELETE, id, NULL };
    return sq_write(self, id_write, &x);
}

int sq_page_insert(store_t *self, store_page *p)
{
    sq_store *s = sq(self);
    return sq_row_store(s, ST_PAGE_INSERT, &store_page_fields, p, &p->id, 0);
}

int sq_setting_set(store_t *self, const char *key, const char *value)
{
    sq_store *s = sq(self);
    store_setting kv = { key, value ? value : "" };
    return sq_row_store(s, ST_SETTING_SET, &store_setting_fields, &kv, NULL, 0);
}

int sq_setting_ensure(store_t *self, const char *key, const char *value)
{
    store_setting kv = { key, value ? value : "" };
    return sq_row_store(sq(self), ST_SETTING_ENSURE, &store_setting_fields, &kv, NULL, 0);
}

int sq_redirect_insert(store_t *self, const store_redirect *r)
{
    sq_store *s = sq(self);
    if (r->status != 301 && r->status != 302)
        return NS_EINVAL;
    return sq_row_store(s, ST_REDIRECT_INSERT, &store_redirect_fields, r, NULL, 0);
}

int sq_redirect_put(store_t *self, const store_redirect *r)
{
    return sq_row_store(sq(self), ST_REDIRECT_PUT, &store_redirect_fields, r, NULL, 0);
}

/* A row write after a check: statement `check`, bound with the row, must
 * count a row (`want` true) or none (false), else NS_EINVAL. */
struct checked_ctx {
    enum store_stmt_id check;
    bool want;
    struct row_ctx w;
};

static int checked_write(store_t *self, void *arg)
{
    sq_store *s = sq(self);
    struct checked_ctx *x = arg;
    sqlite3_stmt *st = store_stmt(s, x->check);
    if (!st)
        return NS_EINTERNAL;
    store_bind_row(st, x->w.fs, x->w.row);
    int rc = store_step(s, st);
    bool found = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
    rc = store_done(st, store_map_rc(rc));
    if (rc)
        return rc;
    return found == x->want ? row_write(self, &x->w) : NS_EINVAL;
}

/* A page under itself, however far up, would make its parents a cycle. */
int sq_page_update(store_t *self, const store_page *p)
{
    struct checked_ctx x = { ST_PAGE_CYCLE, false,
                             { ST_PAGE_UPDATE, &store_page_fields, p, NULL, NS_ENOTFOUND } };
    int rc = store_check_row(&store_page_fields, p);
    return rc ? rc : sq_write(self, checked_write, &x);
}

/* ---- what an import brings: comments as they were, media, its map ---- */

/* The parent is checked first (any comment of the same article), then
 * the comment inserted, or the one of its id replaced. */
int sq_comment_import(store_t *self, store_comment *c)
{
    struct checked_ctx x = { ST_COMMENT_PARENT, true,
                             { c->id ? ST_COMMENT_REPLACE : ST_COMMENT_IMPORT,
                               &store_comment_fields, c, c->id ? NULL : &c->id, NS_ENOTFOUND } };
    int rc = store_check_row(&store_comment_fields, c);
    return rc ? rc : sq_write(self, checked_write, &x);
}

int sq_media_insert(store_t *self, store_media *m)
{
    return sq_row_store(sq(self), ST_MEDIA_INSERT, &store_media_fields, m, &m->id, 0);
}

int sq_media_update(store_t *self, const store_media *m)
{
    return sq_row_store(sq(self), ST_MEDIA_UPDATE, &store_media_fields, m, NULL, NS_ENOTFOUND);
}

int sq_import_put(store_t *self, const store_import_item *it)
{
    return sq_row_store(sq(self), ST_IMPORT_PUT, &store_import_fields, it, NULL, 0);
}
