/*
 * copy.c - store_copy: a whole site from one database into another,
 * whatever the backends, above six small operations each backend provides
 * (store_impl.h). The site's tables are data here, in an order where
 * every reference points to an earlier table, so rows go in with their
 * ids and every foreign key already satisfied; a column referring to its
 * own table (a category's parent, a comment's reply-to) or to a later one
 * (an article's featured image) is filled in a second pass once every
 * table's rows are in. Values travel as text
 * (NULL stays NULL): both backends turn the text of a number back into the
 * number their integer columns hold, and text columns take it as it is.
 * Not copied: the schema's bookkeeping and the change log, which belong
 * to each database (the target's triggers log the copy like any write,
 * which is what a server already running on it needs to hear).
 */
#include "store/copy.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/err.h"
#include "store/store_impl.h"

typedef struct copy_table {
    const char *name;
    const char *const *cols; /* cols[0] orders the rows; the id where there is one */
    size_t ncols;
    int late;                /* index in cols of a column naming a row of this
                                table or a later one by its id, filled once every
                                table's rows are in; -1: none */
} copy_table;

#define COLS(a) a, sizeof a / sizeof a[0]

static const char *const authors_cols[] = {"id", "slug", "name", "bio", "email", "avatar_url"};
static const char *const categories_cols[] = {"id", "parent_id", "slug", "name", "description",
                                              "position"};
static const char *const tags_cols[] = {"id", "slug", "name"};
static const char *const articles_cols[] = {
    "id", "slug", "title", "kicker", "lead", "body_md", "source", "video_url", "image_url",
    "image_alt", "image_caption", "status", "comments_open", "created_at", "published_at",
    "updated_at", "author_id", "category_id", "body_html", "sticky", "video", "body_format",
    "breaking", "trashed_at", "revision", "image_id"};
static const char *const article_tags_cols[] = {"article_id", "tag_id"};
/* related articles are copied as they are: computed again, from an index
 * built at once rather than article by article, they would differ */
static const char *const article_related_cols[] = {"article_id", "rank", "related_id"};
static const char *const comments_cols[] = {
    "id", "article_id", "parent_id", "author_name", "author_email", "author_url", "body", "ip",
    "user_agent", "status", "created_at", "fingerprint", "thread_no"};
static const char *const pages_cols[] = {"id", "parent_id", "slug", "title", "body_md",
                                         "published", "published_at", "updated_at",
                                         "body_format", "menu_order"};
static const char *const media_cols[] = {"id", "url", "title", "alt", "caption", "description",
                                         "mime", "article_id", "created_at", "width", "height",
                                         "bytes", "variants", "user_id"};
/* sessions and sign-in failures are not a site's content: not copied */
static const char *const users_cols[] = {"id", "login", "pass_hash", "role", "disabled",
                                         "created_at"};
static const char *const revisions_cols[] = {"id", "article_id", "user_id", "created_at",
                                             "revision", "title", "slug", "kicker", "lead",
                                             "body_md", "source", "video_url", "body_format"};
static const char *const import_items_cols[] = {"source", "kind", "wp_id", "guid", "local_id",
                                                "hash", "ref"};
static const char *const redirects_cols[] = {"from_path", "to_path", "status"};
static const char *const settings_cols[] = {"key", "value"};

/* Every table of a site, referenced tables first. */
static const copy_table copy_tables[] = {
    {"authors", COLS(authors_cols), -1},
    {"users", COLS(users_cols), -1},
    {"categories", COLS(categories_cols), 1},
    {"tags", COLS(tags_cols), -1},
    {"articles", COLS(articles_cols), 25}, /* image_id: media come later */
    {"article_tags", COLS(article_tags_cols), -1},
    {"comments", COLS(comments_cols), 2},
    {"article_related", COLS(article_related_cols), -1},
    {"revisions", COLS(revisions_cols), -1},
    {"pages", COLS(pages_cols), 1},
    {"media", COLS(media_cols), -1},
    {"import_items", COLS(import_items_cols), -1},
    {"redirects", COLS(redirects_cols), -1},
    {"settings", COLS(settings_cols), -1},
};
#define COPY_NTABLES (sizeof copy_tables / sizeof copy_tables[0])

/* ---- statement text for the backends (copy.h) ---- */

bool store_copy_name_ok(const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
            return false;
    return true;
}

/* The names a statement of `kind` uses, checked. */
static bool copy_names_ok(store_copy_stmt kind, const char *table, const char *const *cols,
                          size_t ncols)
{
    if (!store_copy_name_ok(table))
        return false;
    if (kind == STORE_COPY_COUNT || kind == STORE_COPY_CLEAR)
        return true;
    if (!cols || ncols == 0 || ncols > STORE_COPY_MAX_COLS ||
        (kind == STORE_COPY_UPDATE && ncols != 2))
        return false;
    for (size_t i = 0; i < ncols; i++)
        if (!store_copy_name_ok(cols[i]))
            return false;
    return true;
}

typedef struct sql_text {
    char *p;
    size_t size, len;
    bool full;
} sql_text;

static void sql_put(sql_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql_put(sql_text *t, const char *fmt, ...)
{
    size_t room = t->size - t->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->p + t->len, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) {
        t->full = true;
        t->len = t->size - 1;
    } else {
        t->len += (size_t)n;
    }
}

/* "c0", "c1", ... (names are double-quoted: a column may be a keyword) */
static void sql_names(sql_text *t, const char *const *cols, size_t ncols)
{
    for (size_t i = 0; i < ncols; i++)
        sql_put(t, "%s\"%s\"", i ? ", " : "", cols[i]);
}

static void sql_params(sql_text *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sql_put(t, "%s$%zu", i ? ", " : "", i + 1);
}

int store_copy_sql(char *sql, size_t size, store_copy_stmt kind, const char *table,
                   const char *const *cols, size_t ncols)
{
    bool ok = copy_names_ok(kind, table, cols, ncols);
    assert(ok); /* names come from copy_tables only */
    if (!ok || size == 0)
        return NS_EINVAL;
    sql_text t = {sql, size, 0, false};
    sql[0] = '\0';
    switch (kind) {
    case STORE_COPY_SELECT:
        sql_put(&t, "SELECT ");
        sql_names(&t, cols, ncols);
        sql_put(&t, " FROM \"%s\" ORDER BY \"%s\"", table, cols[0]);
        break;
    case STORE_COPY_INSERT:
        sql_put(&t, "INSERT INTO \"%s\"(", table);
        sql_names(&t, cols, ncols);
        sql_put(&t, ") VALUES (");
        sql_params(&t, ncols);
        sql_put(&t, ")");
        break;
    case STORE_COPY_UPDATE:
        sql_put(&t, "UPDATE \"%s\" SET \"%s\" = $1 WHERE \"%s\" = $2", table, cols[0], cols[1]);
        break;
    case STORE_COPY_COUNT:
        sql_put(&t, "SELECT count(*) FROM \"%s\"", table);
        break;
    case STORE_COPY_CLEAR:
        sql_put(&t, "DELETE FROM \"%s\"", table);
        break;
    }
    return t.full ? NS_ETOOBIG : 0;
}

/* ---- the copy ---- */

/* What the table above promises: names fit for SQL, few enough columns, a
 * late reference only from a table whose first column is its id. */
static bool copy_table_ok(const copy_table *t)
{
    return copy_names_ok(STORE_COPY_SELECT, t->name, t->cols, t->ncols) &&
           (t->late < 0 || (t->late > 0 && (size_t)t->late < t->ncols &&
                            strcmp(t->cols[0], "id") == 0));
}

typedef struct copy_ctx {
    store_t *to;
    const copy_table *t;
} copy_ctx;

/* One row of the source into the target, its late reference left NULL
 * (the row it names may come later). */
static int copy_put(void *arg, const char *const *vals)
{
    const copy_ctx *c = arg;
    const char *row[STORE_COPY_MAX_COLS];
    memcpy(row, vals, c->t->ncols * sizeof *row);
    if (c->t->late >= 0)
        row[c->t->late] = NULL;
    return c->to->ops->row_put(c->to, c->t->name, c->t->cols, c->t->ncols, row);
}

/* vals: the id of a row and its late reference, set if not NULL. */
static int copy_link(void *arg, const char *const *vals)
{
    const copy_ctx *c = arg;
    if (!vals[1])
        return 0;
    return c->to->ops->row_set(c->to, c->t->name, c->t->cols[0], vals[0],
                               c->t->cols[c->t->late], vals[1]);
}

static int copy_table_rows(store_t *from, store_t *to, const copy_table *t)
{
    copy_ctx c = {to, t};
    return from->ops->rows(from, t->name, t->cols, t->ncols, copy_put, &c);
}

/* The late references of table t, once every row they may name is in. */
static int copy_table_links(store_t *from, store_t *to, const copy_table *t)
{
    copy_ctx c = {to, t};
    if (t->late < 0)
        return 0;
    const char *link[] = {t->cols[0], t->cols[t->late]};
    return from->ops->rows(from, t->name, link, 2, copy_link, &c);
}

/* NS_EEXIST if any site table of s holds a row. */
static int copy_check_empty(store_t *s)
{
    for (size_t i = 0; i < COPY_NTABLES; i++) {
        int64_t n = 0;
        int rc = s->ops->count(s, copy_tables[i].name, &n);
        if (rc)
            return rc;
        if (n)
            return NS_EEXIST;
    }
    return 0;
}

/* Every site table of s emptied, referring tables first. */
static int copy_clear(store_t *s)
{
    int rc = 0;
    for (size_t i = COPY_NTABLES; rc == 0 && i-- > 0;)
        rc = s->ops->clear(s, copy_tables[i].name);
    return rc;
}

/* Count table i on both sides into the report: NS_ECORRUPT if they differ
 * (the target was empty when the copy began). */
static int copy_verify(store_t *from, store_t *to, size_t i, store_copy_report *out)
{
    assert(out->n == i && i < COPY_NTABLES);
    store_table_count *tc = &out->tables[i];
    tc->table = copy_tables[i].name;
    int rc = from->ops->count(from, tc->table, &tc->from_rows);
    if (rc == 0)
        rc = to->ops->count(to, tc->table, &tc->to_rows);
    if (rc)
        return rc;
    out->n = i + 1;
    assert(tc->from_rows >= 0 && tc->to_rows >= 0);
    return tc->from_rows == tc->to_rows ? 0 : NS_ECORRUPT;
}

/* Everything between the source's snapshot and the target's commit. */
static int copy_site(store_t *from, store_t *to, bool replace, store_copy_report *out)
{
    int rc = replace ? copy_clear(to) : copy_check_empty(to);
    for (size_t i = 0; rc == 0 && i < COPY_NTABLES; i++)
        rc = copy_table_rows(from, to, &copy_tables[i]);
    for (size_t i = 0; rc == 0 && i < COPY_NTABLES; i++)
        rc = copy_table_links(from, to, &copy_tables[i]);
    for (size_t i = 0; rc == 0 && i < COPY_NTABLES; i++)
        rc = copy_verify(from, to, i, out);
    return rc ? rc : to->ops->copied(to);
}

int store_copy(store_t *from, store_t *to, bool replace, arena_t *a, store_copy_report *out)
{
    assert(from && to && from != to && a && out);
    for (size_t i = 0; i < COPY_NTABLES; i++)
        assert(copy_table_ok(&copy_tables[i]));
    out->tables = arena_zalloc(a, COPY_NTABLES * sizeof *out->tables);
    out->n = 0;
    int rc = store_read_begin(from);
    if (rc)
        return rc;
    rc = store_begin(to);
    bool began = rc == 0; /* else a transaction open on `to` is the caller's */
    if (began)
        rc = copy_site(from, to, replace, out);
    /* the snapshot ends before the commit: a copy whose reading did not
     * end cleanly is no copy to keep */
    int end = store_read_end(from);
    if (rc == 0)
        rc = end;
    if (rc == 0)
        rc = store_commit(to);
    if (rc && began && store_in_transaction(to))
        store_rollback(to);
    assert(out->n <= COPY_NTABLES);
    return rc;
}
