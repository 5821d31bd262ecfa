/*
 * store_impl.h - what a storage backend provides: one function per
 * operation of store.h that takes a store_t, in a table the generic
 * handle points to. store.c forwards each public call through it, so a
 * site chooses its backend at run time (store_open) and nothing above the
 * store knows which one runs. Private to src/store/.
 */
#ifndef NS_STORE_STORE_IMPL_H
#define NS_STORE_STORE_IMPL_H

#include "store/fields.h"
#include "store/store.h"

/* The newsroom's statements (newsroom.c runs them through the nr_*
 * operations below): the same on both backends but for their text, which
 * each keeps at its statement number for them plus this one (sqlite_sql.c,
 * pg_sql.c). Reads and parameter writes take numbered parameters (?1 on
 * SQLite, $1 on PostgreSQL) in the order newsroom.c gives them; row
 * writes bind a struct through its field table (fields.h). */
enum store_nr {
    NR_USER_GET, NR_USER_BY_LOGIN, NR_USER_LIST, NR_SESSION_GET, NR_SESSION_LIST,
    NR_LOGIN_FAILURES, NR_REVISION_LIST, NR_REVISION_GET, NR_COMMENT_QUEUE,
    NR_COMMENT_QUEUE_ANY, NR_COMMENT_COUNT, NR_COMMENT_COUNT_ANY, NR_MEDIA_SEARCH,
    NR_MEDIA_COUNT,
    /* row writes */
    NR_USER_INSERT, NR_USER_UPDATE, NR_SESSION_INSERT, NR_REVISION_INSERT, NR_COMMENT_UPDATE,
    /* parameter writes */
    NR_SESSION_TOUCH, NR_SESSION_DELETE, NR_SESSION_DELETE_USER, NR_SESSION_PRUNE,
    NR_LOGIN_FAILED, NR_LOGIN_FORGET, NR_LOGIN_CLEAR, NR_ARTICLE_TRASH, NR_ARTICLE_RESTORE,
    NR_MEDIA_DELETE,
    NR__COUNT
};

/* A parameter of a newsroom statement: text (NULL: SQL NULL) or an
 * integer. */
typedef struct store_param {
    bool is_text;
    const char *text;
    int64_t num;
} store_param;
#define STORE_TEXT(t) ((store_param){ .is_text = true, .text = (t) })
#define STORE_NUM(n) ((store_param){ .num = (n) })
/* One parameter write (nr_write) as the backends pass it to their write
 * path. */
typedef struct store_nr_call {
    enum store_nr q;
    const store_param *p;
    size_t np;
    int if_none;
} store_nr_call;

/* Each member has the contract of the store.h function of the same name
 * (without the store_ prefix). */
typedef struct store_ops {
    void (*close)(store_t *s);
    int (*schema_version)(store_t *s);
    void (*track)(store_t *s, store_deps *d);
    int (*changes_head)(store_t *s, int64_t *seq);
    int (*changes_since)(store_t *s, arena_t *a, int64_t since, store_changes *out);
    int (*changed)(store_t *s, bool *changed);
    int (*check)(store_t *s);
    int (*write)(store_t *s, int (*fn)(store_t *s, void *arg), void *arg);
    int (*begin)(store_t *s);
    int (*commit)(store_t *s);
    int (*rollback)(store_t *s);
    bool (*in_transaction)(store_t *s);
    int (*read_begin)(store_t *s);
    int (*read_end)(store_t *s);
    void (*fault)(store_t *s, uint64_t nth, int code, bool sticky);
    uint64_t (*steps)(store_t *s);
    int (*article_by_slug)(store_t *s, arena_t *a, const char *slug, int64_t now, store_article *out);
    int (*article_by_id)(store_t *s, arena_t *a, int64_t id, store_article *out);
    int (*article_list)(store_t *s, arena_t *a, const store_query *q, struct store_article_list *out);
    int (*article_count)(store_t *s, const store_query *q, int64_t *count);
    int (*article_related)(store_t *s, arena_t *a, int64_t id, int64_t now, int limit, struct store_article_list *out);
    int (*next_publish)(store_t *s, int64_t now, int64_t *when);
    int (*last_modified)(store_t *s, int64_t now, int64_t *when);
    int (*comment_list)(store_t *s, arena_t *a, int64_t article_id, comment_status st, store_comment **out, size_t *n);
    int (*comment_list_all)(store_t *s, arena_t *a, int64_t article_id, comment_status st, store_comment **out, size_t *n);
    int (*comment_threads)(store_t *s, arena_t *a, int64_t article_id, int64_t first, int limit, store_comment **out, size_t *n);
    int (*comment_stats)(store_t *s, int64_t article_id, store_comment_stats *out);
    int (*comment_get)(store_t *s, arena_t *a, int64_t id, store_comment *out);
    int (*comment_recent)(store_t *s, arena_t *a, const char *status, int limit, store_comment **out, size_t *n);
    int (*comment_known)(store_t *s, const char *name, const char *email, bool *known);
    int (*category_by_slug)(store_t *s, arena_t *a, const char *slug, store_category *out);
    int (*category_by_id)(store_t *s, arena_t *a, int64_t id, store_category *out);
    int (*category_list)(store_t *s, arena_t *a, store_category **out, size_t *n);
    int (*tag_by_slug)(store_t *s, arena_t *a, const char *slug, store_tag *out);
    int (*author_by_slug)(store_t *s, arena_t *a, const char *slug, store_author *out);
    int (*author_list)(store_t *s, arena_t *a, store_author **out, size_t *n);
    int (*page_by_slug)(store_t *s, arena_t *a, const char *slug, store_page *out);
    int (*page_list)(store_t *s, arena_t *a, store_page **out, size_t *n);
    int (*page_by_id)(store_t *s, arena_t *a, int64_t id, store_page *out);
    int (*page_list_all)(store_t *s, arena_t *a, store_page **out, size_t *n);
    int (*tag_list)(store_t *s, arena_t *a, store_tag **out, size_t *n);
    int (*comment_list_any)(store_t *s, arena_t *a, int64_t article_id, store_comment **out,
                            size_t *n);
    int (*media_get)(store_t *s, arena_t *a, int64_t id, store_media *out);
    int (*media_list)(store_t *s, arena_t *a, int64_t after, int limit, store_media **out,
                      size_t *n);
    int (*import_get)(store_t *s, arena_t *a, const char *source, import_kind kind, int64_t wp_id,
                      const char *guid, store_import_item *out);
    int (*import_refs)(store_t *s, arena_t *a, const char *source, import_kind kind,
                       int64_t after, int limit, store_import_item **out, size_t *n);
    int (*redirect_lookup)(store_t *s, arena_t *a, const char *path, store_redirect *out);
    int (*setting_get)(store_t *s, arena_t *a, const char *key, const char **value);
    int (*setting_list)(store_t *s, arena_t *a, store_setting **out, size_t *n);
    int (*author_insert)(store_t *s, store_author *au);
    int (*category_insert)(store_t *s, store_category *c);
    int (*category_update)(store_t *s, const store_category *c);
    int (*tag_ensure)(store_t *s, store_tag *t);
    int (*article_insert)(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags);
    int (*article_update)(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags);
    int (*article_delete)(store_t *s, int64_t id);
    int (*comment_insert)(store_t *s, store_comment *c);
    int (*comment_set_status)(store_t *s, int64_t id, comment_status st);
    int (*comment_delete)(store_t *s, int64_t id);
    int (*setting_ensure)(store_t *s, const char *key, const char *value);
    int (*durable)(store_t *s);
    int (*streaming)(store_t *s);
    int (*page_insert)(store_t *s, store_page *p);
    int (*page_update)(store_t *s, const store_page *p);
    int (*comment_import)(store_t *s, store_comment *c);
    int (*media_insert)(store_t *s, store_media *m);
    int (*media_update)(store_t *s, const store_media *m);
    int (*import_put)(store_t *s, const store_import_item *it);
    int (*redirect_put)(store_t *s, const store_redirect *r);
    int (*setting_set)(store_t *s, const char *key, const char *value);
    int (*redirect_insert)(store_t *s, const store_redirect *r);
    int (*search)(store_t *s, arena_t *a, const store_search_query *q, store_search_result *out);
    int (*search_terms)(store_t *s, const char *const *terms, size_t n, int64_t *counts,
                        int64_t *ndocs);
    /* Index article id as its row now is (terms_body_text of body_html and
     * body_md), replacing what the index held for it; remove it from the
     * index when there is no such row. Inside a write transaction. */
    int (*search_index)(store_t *s, int64_t id);
    /* Remove every article from the index. Inside a write transaction,
     * which then indexes every article and calls search_rebuilt: what the
     * index derives from its documents (term counts) may wait for that. */
    int (*search_clear)(store_t *s);
    int (*search_rebuilt)(store_t *s);
    /* Count again what the index derives from all its documents, after a
     * bulk load that indexed with store_article_index while indexing was
     * deferred (PostgreSQL's term counts; SQLite keeps its own as it
     * goes). Inside a write transaction. */
    int (*search_recount)(store_t *s);
    /* Replace article id's stored related articles by ids[0..n), in that
     * order. Inside a write transaction. */
    int (*related_set)(store_t *s, int64_t id, const int64_t *ids, size_t n);
    /* Ids of every article (any status) greater than after, ascending, at
     * most limit, onto arena a. */
    int (*article_ids)(store_t *s, arena_t *a, int64_t after, int limit, int64_t **ids, size_t *n);
    /* For store_copy (store/copy.c), on the tables and columns it names:
     * rows: call fn for each row of table (ordered by its first column)
     * with the values of cols as text, NULL for SQL NULL; stop at fn's
     * error and return it. row_put: insert one row, values as text (NULL:
     * SQL NULL). row_set: UPDATE table SET col = value WHERE key = keyval.
     * count: rows of table. clear: delete every row of table. copied: after
     * rows were put with explicit ids (PostgreSQL moves its id sequences
     * past them). */
    int (*rows)(store_t *s, const char *table, const char *const *cols, size_t ncols,
                int (*fn)(void *arg, const char *const *vals), void *arg);
    int (*row_put)(store_t *s, const char *table, const char *const *cols, size_t ncols,
                   const char *const *vals);
    int (*row_set)(store_t *s, const char *table, const char *key, const char *keyval,
                   const char *col, const char *value);
    int (*count)(store_t *s, const char *table, int64_t *n);
    int (*clear)(store_t *s, const char *table);
    int (*copied)(store_t *s);
    /* The newsroom's (newsroom.c). nr_read: statement q with parameters
     * p[0..np), its rows read through fs onto arena a: all of them into
     * a new array *rows (n not NULL), or the one row into the struct at
     * *rows (n NULL; NS_ENOTFOUND when there is none). nr_row: store_check_row,
     * then statement q binding row through fs, through the write path; id
     * (if not NULL) gets the new row's id; if_none when no row was
     * written. nr_write: statement q with parameters, through the write
     * path; if_none when it changed no row. */
    int (*nr_read)(store_t *s, arena_t *a, enum store_nr q, const store_param *p, size_t np,
                   const store_fields *fs, void **rows, size_t *n);
    int (*nr_row)(store_t *s, enum store_nr q, const store_fields *fs, const void *row,
                  int64_t *id, int if_none);
    int (*nr_write)(store_t *s, enum store_nr q, const store_param *p, size_t np, int if_none);
    /* The newsroom's article list: rows of SQL_ART_COLS (no body, no
     * comment count) of the statement text `sql` (store_admin_sql) with
     * parameters p[0..np), and the count of its count text. */
    int (*nr_articles)(store_t *s, arena_t *a, const char *sql, const char *count_sql,
                       const store_param *p, size_t np, struct store_article_list *out,
                       int64_t *total);
    /* q as this backend's text search expression for the parameter of
     * STORE_ADMIN_TEXT's clause; NULL when it can match nothing. */
    const char *(*nr_match)(arena_t *a, const query_t *q);
    /* The clause keeping the articles whose indexed text matches
     * parameter %d (printf format, one %d). */
    const char *nr_match_clause;
} store_ops;

/* The generic handle: every backend's connection struct begins with it. */
struct store {
    const store_ops *ops;
    bool index_deferred;   /* store_index_defer */
};

/* What both backends share (deps.c, store.c). */
/* Record into d (the tracked set; NULL: nothing) the keys a list of
 * articles depends on, the same on every backend; with `comments`, their
 * comments too (store_query.with_comments). Without, the counts read are
 * set to 0: a page that does not depend on them must not show them. */
void store_deps_list(store_deps *d, struct store_article_list *l, bool comments);
/* Index article id again and choose its related articles (index.c):
 * what every article write does in its transaction. */
int store_article_indexed(store_t *s, int64_t id);
/* A backend's write transaction, for the retry loops every backend's
 * store_write and store_begin share (store.c). */
typedef struct store_tx {
    int (*begin)(store_t *s);     /* begin a write transaction */
    int (*commit)(store_t *s);    /* trim the change log, commit */
    void (*abort)(store_t *s);    /* roll back what is open, if anything */
} store_tx;
/* tx->begin, retried with backoff while NS_EBUSY, up to STORE_WRITE_TRIES
 * times. */
int store_tx_begin(store_t *s, const store_tx *tx);
/* begin, fn, commit as one transaction, everything rolled back on
 * failure; retried from the start, fn included, while NS_EBUSY, up to
 * STORE_WRITE_TRIES times (store_write's contract). Only a busy attempt
 * is retried: a commit whose answer was lost with the connection may have
 * happened, and is not run twice. */
int store_tx_run(store_t *s, const store_tx *tx, int (*fn)(store_t *s, void *arg), void *arg);

/* The SQLite backend (sqlite.c): path of a database file. */
int sq_open(const char *path, int flags, store_t **out);
/* The PostgreSQL backend (pg.c): a postgresql:// URL. */
int pg_open(const char *url, int flags, store_t **out);

#endif
