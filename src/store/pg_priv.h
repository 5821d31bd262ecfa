/*
 * pg_priv.h - what the PostgreSQL backend's files share and nothing above
 * the store may see: the connection struct, the statement table, and the
 * one function every statement goes through (pg_run: prepared once per
 * connection, counted, fault-injectable, a failed read noted, a lost
 * connection re-established and the statement retried when nothing of a
 * transaction was lost with it).
 *
 * Values travel as text in both directions (libpq's text format): every
 * column nashra stores is text or a 64-bit integer, and text keeps one
 * code path for both.
 */
#ifndef NS_STORE_PG_PRIV_H
#define NS_STORE_PG_PRIV_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "store/fields.h"
#include "store/store_impl.h"

/* Fixed statements (pg_sql.c); the article list variants follow them. */
enum pg_stmt_id {
    PS_BEGIN, PS_BEGIN_READ, PS_COMMIT, PS_ROLLBACK, PS_SAVEPOINT, PS_RELEASE, PS_ROLLBACK_TO,
    PS_ARTICLE_BY_SLUG, PS_ARTICLE_BY_ID, PS_ARTICLE_TAGS, PS_RELATED, PS_SITE_CHECK,
    PS_NEXT_PUBLISH, PS_LAST_MODIFIED,
    PS_COMMENT_LIST, PS_COMMENT_LIST_ALL, PS_COMMENT_GET, PS_COMMENT_THREADS, PS_COMMENT_STATS, PS_COMMENT_RECENT, PS_COMMENT_KNOWN,
    PS_COMMENT_DUP,
    PS_CATEGORY_BY_SLUG, PS_CATEGORY_BY_ID, PS_CATEGORY_LIST,
    PS_TAG_BY_SLUG, PS_AUTHOR_BY_SLUG, PS_AUTHOR_LIST,
    PS_PAGE_BY_SLUG, PS_PAGE_LIST, PS_REDIRECT, PS_SETTING_GET, PS_SETTING_LIST,
    PS_AUTHOR_INSERT, PS_CATEGORY_INSERT, PS_CATEGORY_UPDATE, PS_TAG_INSERT,
    PS_ARTICLE_INSERT, PS_ARTICLE_UPDATE, PS_ARTICLE_DELETE,
    PS_ARTICLE_TAG_INSERT, PS_ARTICLE_TAGS_KEEP,
    PS_COMMENT_INSERT, PS_COMMENT_STATUS, PS_COMMENT_DELETE, PS_PAGE_INSERT, PS_SETTING_SET,
    PS_SETTING_ENSURE, PS_REDIRECT_INSERT,
    PS_CHANGES_HEAD, PS_CHANGES_SINCE, PS_CHANGES_PRUNE,
    PS_SEARCH, PS_SEARCH_COUNT, PS_SEARCH_TERMS, PS_SEARCH_SOURCE, PS_SEARCH_PUT,
    PS_SEARCH_DELETE, PS_SEARCH_CLEAR_VOCAB, PS_SEARCH_CLEAR_DOCS, PS_SEARCH_DEFER_VOCAB,
    PS_SEARCH_RECOUNT, PS_SEARCH_ANALYZE, PS_ANALYZE, PS_SEARCH_UNDEFER_VOCAB, PS_RELATED_SET, PS_ARTICLE_IDS,
    PS_PAGE_BY_ID, PS_PAGE_LIST_ALL, PS_TAG_LIST, PS_COMMENT_LIST_ANY, PS_MEDIA_GET, PS_MEDIA_LIST,
    PS_IMPORT_GET, PS_IMPORT_BY_GUID, PS_IMPORT_REFS, PS_PAGE_UPDATE, PS_COMMENT_PARENT,
    PS_COMMENT_IMPORT, PS_COMMENT_REPLACE, PS_MEDIA_INSERT, PS_MEDIA_UPDATE, PS_IMPORT_PUT,
    PS_REDIRECT_PUT, PS_PAGE_CYCLE, PS_ARTICLE_LOCK,
    PS_NR,                    /* the newsroom's (store_nr) from here */
    PS__COUNT = PS_NR + NR__COUNT
};

/* Article list and count variants, by the filters a query uses. */
enum { PG_QF_CATEGORY = 1, PG_QF_TAG = 2, PG_QF_AUTHOR = 4, PG_QF_STICKY = 8, PG_QF__COUNT = 16 };
#define PG_LIST(mask) (PS__COUNT + (mask))
#define PG_COUNT(mask) (PS__COUNT + PG_QF__COUNT + (mask))
#define PG_NSTMT (PS__COUNT + 2 * PG_QF__COUNT)

/* A statement: its text ($1, $2... parameters) and, for those that write
 * a struct, the fields (fields.h parameter names, space-separated) that
 * fill $1, $2... in order; NULL for statements given their values one by
 * one. */
typedef struct pg_stmt {
    const char *sql;
    const char *row_params;
} pg_stmt;
extern const pg_stmt pg_sql[PS__COUNT];

/* The SQL of list/count variant `mask` into buf. */
void pg_list_sql(char *buf, size_t size, int mask, bool count);

/* Timing of the connection's upkeep. */
#define PG_RETRY_MS 500      /* no reconnection attempt sooner than this after one */
#define PG_CHANGES_KEEP 10000
#define PG_CHANGES_LIST 1024

/* The site-wide rows every page shows (settings, categories, pages,
 * authors), kept by a connection between pages (pg_read.c). */
enum { PG_SITE_SETTINGS, PG_SITE_CATEGORIES, PG_SITE_PAGES, PG_SITE_AUTHORS, PG_SITE__COUNT };
typedef struct pg_site {
    arena_t *arena;           /* owns the rows */
    int64_t seq;              /* change log head they were read at; 0: none */
    bool usable;              /* trusted in the current read snapshot */
    struct {
        void *rows;           /* NULL: not read yet */
        size_t n;
    } list[PG_SITE__COUNT];
} pg_site;

typedef struct pg_store {
    struct store base;        /* first: a store_t * is a pg_store * */
    PGconn *conn;
    char *url;
    bool prepared[PG_NSTMT];  /* on this connection (cleared by a reconnection) */
    char *list_sql[2 * PG_QF__COUNT];
    int version;              /* schema version after open */
    bool readonly;
    bool in_read;             /* inside store_read_begin() */
    bool in_write;            /* inside a write transaction (store_write or store_begin) */
    bool vocab_deferred;      /* this write transaction leaves search_vocab to a
                                 recount (a bulk load's, store_index_defer) */
    bool wrote;               /* committed through s since store_changed() last asked */
    bool fresh;               /* no baseline (opened or reconnected): next check is a change */
    bool durable;             /* commits wait for the disk (pg_durable), kept across reconnections */
    bool commit_sent;         /* a snapshot's COMMIT sent, its answer not yet read */
    struct {                  /* store_next_publish as the snapshot's check found it */
        bool known;
        int64_t from, at;     /* the earliest publication after `from` is `at` (0: none) */
    } next_pub;
    int64_t head;             /* change log head last seen by the poll */
    int64_t retry_ms;
    store_deps *track;
    pg_site site;
    uint64_t steps;
    struct {
        uint64_t at;
        int code;
        bool sticky;
    } fault;
} pg_store;

static inline pg_store *pgs(store_t *s)
{
    return (pg_store *)s;
}

/* Parameter values of one statement, as text. */
#define PG_MAX_ARGS 24
typedef struct pg_args {
    const char *v[PG_MAX_ARGS];
    int n;
    char num[PG_MAX_ARGS][24];
} pg_args;

void pg_arg_text(pg_args *a, const char *v);   /* NULL: SQL NULL */
void pg_arg_int(pg_args *a, int64_t v);
void pg_arg_ref(pg_args *a, int64_t v);        /* 0: SQL NULL */
/* The members of row named by the statement's row_params, in order. */
void pg_arg_row(pg_args *a, enum pg_stmt_id id, const store_fields *fs, const void *row);

/* Run statement id with args a (NULL: none). On success *res (if res is
 * not NULL) holds the result, which the caller PQclear()s; on failure it
 * is NULL and the code is NS_EEXIST (unique), NS_EINVAL (a reference,
 * check or encoding refused), NS_EBUSY (lock, serialization, deadlock),
 * NS_EUNAVAIL (connection lost or refused), NS_EIO (disk full), NS_EPERM,
 * else NS_EINTERNAL. */
int pg_run(pg_store *s, int id, const pg_args *a, PGresult **res);
/* pg_run for statement text built at run time (db copy's, whose table and
 * columns vary), not prepared: parameters vals[0..n-1] as text. */
int pg_run_text(pg_store *s, const char *sql, int n, const char *const *vals, PGresult **res);
/* 0 for a result that succeeded, else its code as pg_run's (r may be
 * NULL: out of memory or no connection). */
int pg_result_rc(pg_store *s, const PGresult *r);
/* Rows a command touched (PQcmdTuples). */
int64_t pg_affected(const PGresult *r);

/* Column values: an arena copy (NULL for SQL NULL), an integer (0 for
 * NULL). */
const char *pg_str(arena_t *a, const PGresult *r, int row, int col);
int64_t pg_int(const PGresult *r, int row, int col);
/* Fill row's members from columns col0.. of result row `row`. */
void pg_read_row(arena_t *a, const PGresult *r, int row, int col0, const store_fields *fs, void *out);

/* One article of a result whose columns are SQL_ART_COLS (fields.h)
 * from column 0: its own columns, then the joined author, category and
 * approved comment count (pg_read.c). */
void pg_article_row(arena_t *a, const PGresult *r, int row, store_article *ar);

/* Record key (kind, id) in the tracked set, if any. */
void pg_dep_note(pg_store *s, int kind, int64_t id);

/* Start a read snapshot (pg.c): BEGIN and the snapshot's check in one
 * round trip; the check's result row (head, oldest, newest site-wide
 * change, earliest publication after `now`) goes to pg_site_snapshot. */
int pg_begin_read_checked(pg_store *s, int64_t now, PGresult **check);
/* Decide whether the kept site rows hold in the snapshot whose check
 * this is, dropping them if not (pg_read.c). */
void pg_site_snapshot(pg_store *s, int64_t now, const PGresult *check);
/* Forget the kept site rows (end of snapshot: usable no longer; close:
 * freed too). */
void pg_site_leave(pg_store *s);
void pg_site_free(pg_store *s);

/* Migrations (pg_schema.c): create or bring the schema up to date at
 * open, under an advisory lock so that nodes starting together do it
 * once. NS_ENOTFOUND: no nashra schema and !create; NS_ECORRUPT: another
 * application's tables; NS_EINVAL: newer than this binary. */
int pg_migrate(pg_store *s, bool create, bool readonly);
int pg_migrations_latest(void);

/* The operations (pg.c, pg_read.c, pg_write.c). */
void pg_close(store_t *s);
int pg_schema_version(store_t *s);
void pg_track(store_t *s, store_deps *d);
int pg_changes_head(store_t *s, int64_t *seq);
int pg_changes_since(store_t *s, arena_t *a, int64_t since, store_changes *out);
int pg_changed(store_t *s, bool *changed);
int pg_check(store_t *s);
int pg_write(store_t *s, int (*fn)(store_t *s, void *arg), void *arg);
int pg_begin(store_t *s);
int pg_commit(store_t *s);
int pg_rollback(store_t *s);
bool pg_in_transaction(store_t *s);
int pg_read_begin(store_t *s);
int pg_read_end(store_t *s);
void pg_fault(store_t *s, uint64_t nth, int code, bool sticky);
uint64_t pg_steps(store_t *s);
int pg_article_by_slug(store_t *s, arena_t *a, const char *slug, int64_t now, store_article *out);
int pg_article_by_id(store_t *s, arena_t *a, int64_t id, store_article *out);
int pg_article_list(store_t *s, arena_t *a, const store_query *q, struct store_article_list *out);
int pg_article_count(store_t *s, const store_query *q, int64_t *count);
int pg_article_related(store_t *s, arena_t *a, int64_t id, int64_t now, int limit, struct store_article_list *out);
int pg_next_publish(store_t *s, int64_t now, int64_t *when);
int pg_last_modified(store_t *s, int64_t now, int64_t *when);
int pg_comment_list(store_t *s, arena_t *a, int64_t article_id, comment_status st, store_comment **out, size_t *n);
int pg_comment_list_all(store_t *s, arena_t *a, int64_t article_id, comment_status st, store_comment **out, size_t *n);
int pg_category_by_slug(store_t *s, arena_t *a, const char *slug, store_category *out);
int pg_category_by_id(store_t *s, arena_t *a, int64_t id, store_category *out);
int pg_category_list(store_t *s, arena_t *a, store_category **out, size_t *n);
int pg_tag_by_slug(store_t *s, arena_t *a, const char *slug, store_tag *out);
int pg_author_by_slug(store_t *s, arena_t *a, const char *slug, store_author *out);
int pg_author_list(store_t *s, arena_t *a, store_author **out, size_t *n);
int pg_page_by_slug(store_t *s, arena_t *a, const char *slug, store_page *out);
int pg_page_list(store_t *s, arena_t *a, store_page **out, size_t *n);
int pg_redirect_lookup(store_t *s, arena_t *a, const char *path, store_redirect *out);
int pg_page_by_id(store_t *s, arena_t *a, int64_t id, store_page *out);
int pg_page_list_all(store_t *s, arena_t *a, store_page **out, size_t *n);
int pg_tag_list(store_t *s, arena_t *a, store_tag **out, size_t *n);
int pg_comment_list_any(store_t *s, arena_t *a, int64_t article_id, store_comment **out,
                        size_t *n);
int pg_media_get(store_t *s, arena_t *a, int64_t id, store_media *out);
int pg_media_list(store_t *s, arena_t *a, int64_t after, int limit, store_media **out,
                  size_t *n);
int pg_import_get(store_t *s, arena_t *a, const char *source, import_kind kind, int64_t wp_id,
                  const char *guid, store_import_item *out);
int pg_import_refs(store_t *s, arena_t *a, const char *source, import_kind kind, int64_t after,
                   int limit, store_import_item **out, size_t *n);
int pg_page_update(store_t *s, const store_page *p);
int pg_comment_import(store_t *s, store_comment *c);
int pg_media_insert(store_t *s, store_media *m);
int pg_media_update(store_t *s, const store_media *m);
int pg_import_put(store_t *s, const store_import_item *it);
int pg_redirect_put(store_t *s, const store_redirect *r);
int pg_setting_get(store_t *s, arena_t *a, const char *key, const char **value);
int pg_setting_list(store_t *s, arena_t *a, store_setting **out, size_t *n);
int pg_author_insert(store_t *s, store_author *au);
int pg_category_insert(store_t *s, store_category *c);
int pg_category_update(store_t *s, const store_category *c);
int pg_tag_ensure(store_t *s, store_tag *t);
int pg_article_insert(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags);
int pg_article_update(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags);
int pg_article_delete(store_t *s, int64_t id);
int pg_comment_insert(store_t *s, store_comment *c);
int pg_comment_set_status(store_t *s, int64_t id, comment_status st);
int pg_comment_delete(store_t *s, int64_t id);
int pg_comment_threads(store_t *s, arena_t *a, int64_t article_id, int64_t first, int limit, store_comment **out, size_t *n);
int pg_comment_stats(store_t *s, int64_t article_id, store_comment_stats *out);
int pg_comment_get(store_t *s, arena_t *a, int64_t id, store_comment *out);
int pg_comment_recent(store_t *s, arena_t *a, const char *status, int limit, store_comment **out, size_t *n);
int pg_comment_known(store_t *s, const char *name, const char *email, bool *known);
int pg_setting_ensure(store_t *s, const char *key, const char *value);
int pg_durable(store_t *s);
int pg_streaming(store_t *s);
/* *dup: c's fingerprint is on its article from the same person (pg_read.c). */
int pg_comment_dup(store_t *s, const store_comment *c, bool *dup);
int pg_page_insert(store_t *s, store_page *p);
int pg_setting_set(store_t *s, const char *key, const char *value);
int pg_redirect_insert(store_t *s, const store_redirect *r);
/* The search index (pg_search.c). */
int pg_search(store_t *s, arena_t *a, const store_search_query *q, store_search_result *out);
int pg_search_terms(store_t *s, const char *const *terms, size_t n, int64_t *counts,
                    int64_t *ndocs);
int pg_search_index(store_t *s, int64_t id);
int pg_search_clear(store_t *s);
int pg_search_recount(store_t *s);
int pg_search_rebuilt(store_t *s);
int pg_related_set(store_t *s, int64_t id, const int64_t *ids, size_t n);
int pg_article_ids(store_t *s, arena_t *a, int64_t after, int limit, int64_t **ids, size_t *n);
/* The newsroom's operations (pg_newsroom.c), contracts in store_impl.h. */
int pg_nr_read(store_t *s, arena_t *a, enum store_nr q, const store_param *p, size_t np,
               const store_fields *fs, void **rows, size_t *n);
int pg_nr_row(store_t *s, enum store_nr q, const store_fields *fs, const void *row, int64_t *id,
              int if_none);
int pg_nr_write(store_t *s, enum store_nr q, const store_param *p, size_t np, int if_none);
int pg_nr_articles(store_t *s, arena_t *a, const char *sql, const char *count_sql,
                   const store_param *p, size_t np, struct store_article_list *out,
                   int64_t *total);
/* What the reads and writes of the other files lend it: every row of a
 * result through fs onto arena a (pg_read.c); a checked one-row write in
 * a transaction of its own (pg_write.c); the tsquery of a reader's query,
 * every group required, NULL when it can match nothing (pg_search.c). */
void *pg_rows_of(arena_t *a, const PGresult *r, const store_fields *fs, size_t *n);
int pg_row_store(store_t *s, enum pg_stmt_id stmt, const store_fields *fs, const void *row,
                 int64_t *id, int if_none);
const char *pg_match(arena_t *a, const query_t *q);
/* store_copy's operations (pg_copy.c), contracts in store_impl.h; but
 * for pg_count, only inside a transaction (a read snapshot or a write),
 * else NS_EINTERNAL. */
int pg_rows(store_t *s, const char *table, const char *const *cols, size_t ncols,
            int (*fn)(void *arg, const char *const *vals), void *arg);
int pg_row_put(store_t *s, const char *table, const char *const *cols, size_t ncols,
               const char *const *vals);
int pg_row_set(store_t *s, const char *table, const char *key, const char *keyval,
               const char *col, const char *value);
int pg_count(store_t *s, const char *table, int64_t *n);
int pg_clear(store_t *s, const char *table);
int pg_copied(store_t *s);

#endif
