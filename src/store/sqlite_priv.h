/*
 * sqlite_priv.h - what the SQLite backend's files share and nothing above the
 * store may see: the connection struct with its cache of prepared
 * statements, and the helpers that turn SQLite results into NS_E* codes and
 * arena strings. Keeping every statement prepared once per connection is
 * what makes the five to eight queries of a page cheap.
 */
#ifndef NS_STORE_SQLITE_PRIV_H
#define NS_STORE_SQLITE_PRIV_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "store/fields.h"
#include "store/migrations.h"
#include "store/store_impl.h"

/* Fixed statements, prepared lazily from store_sql[] (sqlite_sql.c). */
enum store_stmt_id {
    ST_DATA_VERSION, ST_BEGIN, ST_BEGIN_READ, ST_COMMIT, ST_ROLLBACK,
    ST_ARTICLE_BY_SLUG, ST_ARTICLE_BY_ID, ST_ARTICLE_SUMMARY, ST_ARTICLE_TAGS,
    ST_RELATED_SHARED, ST_RELATED_SAMECAT,
    ST_NEXT_PUBLISH, ST_LAST_MODIFIED, ST_COMMENT_LIST, ST_COMMENT_LIST_ALL,
    ST_COMMENT_GET, ST_COMMENT_THREADS, ST_COMMENT_STATS, ST_COMMENT_RECENT, ST_COMMENT_KNOWN, ST_COMMENT_DUP,
    ST_CATEGORY_BY_SLUG, ST_CATEGORY_BY_ID, ST_CATEGORY_LIST,
    ST_TAG_BY_SLUG, ST_AUTHOR_BY_SLUG, ST_AUTHOR_LIST,
    ST_PAGE_BY_SLUG, ST_PAGE_LIST, ST_REDIRECT, ST_SETTING_GET, ST_SETTING_LIST,
    ST_AUTHOR_INSERT, ST_CATEGORY_INSERT, ST_CATEGORY_UPDATE, ST_TAG_INSERT,
    ST_ARTICLE_INSERT, ST_ARTICLE_UPDATE, ST_ARTICLE_DELETE,
    ST_ARTICLE_TAG_INSERT,
    ST_COMMENT_INSERT, ST_COMMENT_STATUS, ST_COMMENT_DELETE, ST_PAGE_INSERT, ST_SETTING_SET,
    ST_SETTING_ENSURE,
    ST_REDIRECT_INSERT, ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
    ST_ARTICLE_TAGS_KEEP, ST_CHANGES_HEAD, ST_CHANGES_SINCE, ST_CHANGES_PRUNE,
    ST_SEARCH, ST_SEARCH_CARD, ST_SEARCH_TERMS, ST_SEARCH_NDOCS, ST_SEARCH_SOURCE,
    ST_SEARCH_DELETE, ST_SEARCH_INSERT, ST_RELATED_GET, ST_RELATED_CLEAR, ST_RELATED_INSERT,
    ST_RELATED_STORED, ST_ARTICLE_IDS, ST_VOCAB_ADD, ST_VOCAB_DROP, ST_VOCAB_CLEAR,
    ST_SEARCH_OLD,
    ST_PAGE_BY_ID, ST_PAGE_LIST_ALL, ST_TAG_LIST, ST_COMMENT_LIST_ANY, ST_MEDIA_GET, ST_MEDIA_LIST,
    ST_IMPORT_GET, ST_IMPORT_BY_GUID, ST_IMPORT_REFS, ST_PAGE_UPDATE, ST_COMMENT_PARENT,
    ST_COMMENT_IMPORT, ST_COMMENT_REPLACE, ST_MEDIA_INSERT, ST_MEDIA_UPDATE, ST_IMPORT_PUT,
    ST_REDIRECT_PUT, ST_PAGE_CYCLE,
    ST_NR,                  /* the newsroom's (store_nr) from here */
    ST__COUNT = ST_NR + NR__COUNT
};

/* How long a statement waits for a lock before SQLITE_BUSY (the write
 * path then backs off and retries: store_write). */
#define STORE_BUSY_TIMEOUT_MS 2000
/* Pages of write-ahead log after which a commit checkpoints and restarts
 * it (SQLite's default threshold). */
#define STORE_WAL_CHECKPOINT 1000
/* Bytes the database file grows by at a time (SQLITE_FCNTL_CHUNK_SIZE). */
#define STORE_FILE_CHUNK (8 << 20)
/* Change-log rows kept (older ones are pruned by each write), and the most
 * a reader lists before it simply drops everything. */
#define STORE_CHANGES_KEEP 10000
#define STORE_CHANGES_LIST 1024

/* Article list/count variants, indexed by which filters a query uses. */
enum { QF_CATEGORY = 1, QF_TAG = 2, QF_AUTHOR = 4, QF_STICKY = 8, QF__COUNT = 16 };

/* Document counts of the index's terms, pending (sqlite_vocab.c). */
typedef struct sq_vocab sq_vocab;

typedef struct sq_store {
    struct store base;      /* first: a store_t * is a sq_store * */
    sqlite3 *db;
    sqlite3_stmt *stmts[ST__COUNT];
    sqlite3_stmt *list[QF__COUNT], *count[QF__COUNT];
    sqlite3_stmt *copy_stmt; /* the row write of db copy (sqlite_copy.c) */
    int64_t data_version;   /* last PRAGMA data_version seen; -1: none yet */
    int version;            /* schema version after open */
    bool readonly;
    bool in_read;           /* inside store_read_begin() */
    bool wrote;             /* committed through s since store_changed() last asked */
    store_deps *track;      /* where reads record their keys; NULL: nowhere */
    sq_vocab *vocab;        /* the tokenizer's terms, counted (sqlite_vocab.c) */
    uint64_t steps;         /* statement steps so far */
    struct {                /* store_fault() */
        uint64_t at;        /* fail when steps reaches this; 0: off */
        int code;           /* SQLite result code to fail with */
        bool sticky;
    } fault;
} sq_store;

static inline sq_store *sq(store_t *s)
{
    return (sq_store *)s;
}

/* The operations of this backend (sqlite.c), one per function of
 * store.h of the same name with store_ for sq_, and their table. */
void sq_close(store_t *s);
int sq_schema_version(store_t *s);
void sq_track(store_t *s, store_deps *d);
int sq_changes_head(store_t *s, int64_t *seq);
int sq_changes_since(store_t *s, arena_t *a, int64_t since, store_changes *out);
int sq_changed(store_t *s, bool *changed);
int sq_check(store_t *s);
int sq_write(store_t *s, int (*fn)(store_t *s, void *arg), void *arg);
int sq_begin(store_t *s);
int sq_commit(store_t *s);
int sq_rollback(store_t *s);
bool sq_in_transaction(store_t *s);
int sq_read_begin(store_t *s);
int sq_read_end(store_t *s);
void sq_fault(store_t *s, uint64_t nth, int code, bool sticky);
uint64_t sq_steps(store_t *s);
int sq_article_by_slug(store_t *s, arena_t *a, const char *slug, int64_t now, store_article *out);
int sq_article_by_id(store_t *s, arena_t *a, int64_t id, store_article *out);
int sq_article_list(store_t *s, arena_t *a, const store_query *q, struct store_article_list *out);
int sq_article_count(store_t *s, const store_query *q, int64_t *count);
int sq_article_related(store_t *s, arena_t *a, int64_t id, int64_t now, int limit, struct store_article_list *out);
int sq_next_publish(store_t *s, int64_t now, int64_t *when);
int sq_last_modified(store_t *s, int64_t now, int64_t *when);
int sq_comment_list(store_t *s, arena_t *a, int64_t article_id, comment_status st, store_comment **out, size_t *n);
int sq_comment_list_all(store_t *s, arena_t *a, int64_t article_id, comment_status st, store_comment **out, size_t *n);
int sq_category_by_slug(store_t *s, arena_t *a, const char *slug, store_category *out);
int sq_category_by_id(store_t *s, arena_t *a, int64_t id, store_category *out);
int sq_category_list(store_t *s, arena_t *a, store_category **out, size_t *n);
int sq_tag_by_slug(store_t *s, arena_t *a, const char *slug, store_tag *out);
int sq_author_by_slug(store_t *s, arena_t *a, const char *slug, store_author *out);
int sq_author_list(store_t *s, arena_t *a, store_author **out, size_t *n);
int sq_page_by_slug(store_t *s, arena_t *a, const char *slug, store_page *out);
int sq_page_list(store_t *s, arena_t *a, store_page **out, size_t *n);
int sq_redirect_lookup(store_t *s, arena_t *a, const char *path, store_redirect *out);
int sq_page_by_id(store_t *s, arena_t *a, int64_t id, store_page *out);
int sq_page_list_all(store_t *s, arena_t *a, store_page **out, size_t *n);
int sq_tag_list(store_t *s, arena_t *a, store_tag **out, size_t *n);
int sq_comment_list_any(store_t *s, arena_t *a, int64_t article_id, store_comment **out,
                        size_t *n);
int sq_media_get(store_t *s, arena_t *a, int64_t id, store_media *out);
int sq_media_list(store_t *s, arena_t *a, int64_t after, int limit, store_media **out,
                  size_t *n);
int sq_import_get(store_t *s, arena_t *a, const char *source, import_kind kind, int64_t wp_id,
                  const char *guid, store_import_item *out);
int sq_import_refs(store_t *s, arena_t *a, const char *source, import_kind kind, int64_t after,
                   int limit, store_import_item **out, size_t *n);
int sq_page_update(store_t *s, const store_page *p);
int sq_comment_import(store_t *s, store_comment *c);
int sq_media_insert(store_t *s, store_media *m);
int sq_media_update(store_t *s, const store_media *m);
int sq_import_put(store_t *s, const store_import_item *it);
int sq_redirect_put(store_t *s, const store_redirect *r);
int sq_setting_get(store_t *s, arena_t *a, const char *key, const char **value);
int sq_setting_list(store_t *s, arena_t *a, store_setting **out, size_t *n);
int sq_author_insert(store_t *s, store_author *au);
int sq_category_insert(store_t *s, store_category *c);
int sq_category_update(store_t *s, const store_category *c);
int sq_tag_ensure(store_t *s, store_tag *t);
int sq_article_insert(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags);
int sq_article_update(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags);
int sq_article_delete(store_t *s, int64_t id);
int sq_comment_insert(store_t *s, store_comment *c);
int sq_comment_set_status(store_t *s, int64_t id, comment_status st);
int sq_comment_delete(store_t *s, int64_t id);
int sq_comment_threads(store_t *s, arena_t *a, int64_t article_id, int64_t first, int limit, store_comment **out, size_t *n);
int sq_comment_stats(store_t *s, int64_t article_id, store_comment_stats *out);
int sq_comment_get(store_t *s, arena_t *a, int64_t id, store_comment *out);
int sq_comment_recent(store_t *s, arena_t *a, const char *status, int limit, store_comment **out, size_t *n);
int sq_comment_known(store_t *s, const char *name, const char *email, bool *known);
int sq_setting_ensure(store_t *s, const char *key, const char *value);
int sq_durable(store_t *s);
int sq_streaming(store_t *s);
/* *dup: c's fingerprint is on its article from the same person (sqlite_read.c). */
int sq_comment_dup(store_t *s, const store_comment *c, bool *dup);
int sq_page_insert(store_t *s, store_page *p);
int sq_setting_set(store_t *s, const char *key, const char *value);
int sq_redirect_insert(store_t *s, const store_redirect *r);
/* The search index (sqlite_search.c). */
int sq_search(store_t *s, arena_t *a, const store_search_query *q, store_search_result *out);
int sq_search_terms(store_t *s, const char *const *terms, size_t n, int64_t *counts,
                    int64_t *ndocs);
int sq_search_index(store_t *s, int64_t id);
int sq_search_clear(store_t *s);
int sq_search_recount(store_t *s);
int sq_search_rebuilt(store_t *s);
int sq_related_set(store_t *s, int64_t id, const int64_t *ids, size_t n);
int sq_article_ids(store_t *s, arena_t *a, int64_t after, int limit, int64_t **ids, size_t *n);
/* One row of SQL_ART_COLS into *ar (sqlite_read.c): the article's own
 * columns, then its author, category and comment count. */
void sq_article_row(arena_t *a, sqlite3_stmt *st, store_article *ar);
/* Make the "nashra" FTS5 tokenizer (search/terms.h) and the index's
 * helper function known to s's connection, its terms counted into
 * s->vocab: on every connection, before anything (a migration included)
 * touches the search tables. */
int sq_search_register(sq_store *s);

/* The document counts of search_df kept with the index (sqlite_vocab.c).
 * new/free: one per connection. term: a term the tokenizer gave for the
 * row being written or removed (counted once per row). count: the rows
 * FTS5 writes (+1) or removes (-1) from now on each count their terms;
 * 0: none. end: after an article is indexed: its counts are written
 * (unless bulk and still few). bulk: a rebuild from here to commit.
 * flush: write what is pending now. commit: before COMMIT, everything
 * written; abort: at ROLLBACK, everything pending dropped. */
sq_vocab *sq_vocab_new(void);
void sq_vocab_free(sq_vocab *w);
void sq_vocab_term(sq_vocab *w, const char *t, size_t n);
void sq_vocab_count(sq_vocab *w, int sign);
void sq_vocab_bulk(sq_vocab *w);
int sq_vocab_flush(sq_store *s);
int sq_vocab_end(sq_store *s);
int sq_vocab_commit(sq_store *s);
void sq_vocab_abort(sq_store *s);
/* store_copy's operations (sqlite_copy.c), contracts in store_impl.h. */
int sq_rows(store_t *s, const char *table, const char *const *cols, size_t ncols,
            int (*fn)(void *arg, const char *const *vals), void *arg);
int sq_row_put(store_t *s, const char *table, const char *const *cols, size_t ncols,
               const char *const *vals);
int sq_row_set(store_t *s, const char *table, const char *key, const char *keyval,
               const char *col, const char *value);
int sq_count(store_t *s, const char *table, int64_t *n);
int sq_clear(store_t *s, const char *table);
int sq_copied(store_t *s);
/* The newsroom's operations (sqlite_newsroom.c), contracts in store_impl.h. */
int sq_nr_read(store_t *s, arena_t *a, enum store_nr q, const store_param *p, size_t np,
               const store_fields *fs, void **rows, size_t *n);
int sq_nr_row(store_t *s, enum store_nr q, const store_fields *fs, const void *row, int64_t *id,
              int if_none);
int sq_nr_write(store_t *s, enum store_nr q, const store_param *p, size_t np, int if_none);
int sq_nr_articles(store_t *s, arena_t *a, const char *sql, const char *count_sql,
                   const store_param *p, size_t np, struct store_article_list *out,
                   int64_t *total);
/* What the reads and writes of the other files lend it: a statement's
 * rows through fs (sqlite_read.c: every row into a new array *out when n
 * is not NULL, else the one row into *out, NS_ENOTFOUND without one); a
 * checked one-row write in a savepoint (sqlite_write.c); the FTS5 query
 * of a reader's query, every group required, NULL when it can match
 * nothing (sqlite_search.c). */
int sq_read_rows(sq_store *s, arena_t *a, sqlite3_stmt *st, const store_fields *fs,
                 void **out, size_t *n);
int sq_row_store(sq_store *s, enum store_stmt_id stmt, const store_fields *fs, const void *row,
                 int64_t *id, int if_none);
const char *sq_match(arena_t *a, const query_t *q);
extern const store_ops sq_ops;

/* SQL text of each fixed statement. */
extern const char *const store_sql[ST__COUNT];

/* The cached statement id, prepared on first use; NULL on failure (a bug:
 * every statement is fixed text). Callers must store_done() it. */
sqlite3_stmt *store_stmt(sq_store *s, enum store_stmt_id id);
/* Reset and clear a statement for its next use; returns rc unchanged. */
int store_done(sqlite3_stmt *st, int rc);
/* SQLite result code (extended) → NS_E* (SQLITE_OK/ROW/DONE → 0). */
int store_map_rc(int sqlite_rc);
/* sqlite3_step through s: counted, failed on demand (store_fault), and an
 * error (not ROW/DONE) is noted in the tracked dependency set, so a page
 * built around a failed read is never cached. Every step goes through it. */
int store_step(sq_store *s, sqlite3_stmt *st);
/* Record key (kind, id) in the tracked set, if any. */
void store_dep_note(sq_store *s, int kind, int64_t id);

/* Bind by :name; names absent from the statement are ignored. NULL text
 * binds SQL NULL. */
void store_bind_text(sqlite3_stmt *st, const char *name, const char *v);
void store_bind_int(sqlite3_stmt *st, const char *name, int64_t v);
/* Binds NULL when v is 0 (optional references). */
void store_bind_ref(sqlite3_stmt *st, const char *name, int64_t v);
/* Column i as an arena copy, NULL for SQL NULL. */
const char *store_col_str(arena_t *a, sqlite3_stmt *st, int i);

/* Bind every member of row to the parameter of its name. */
void store_bind_row(sqlite3_stmt *st, const store_fields *fs, const void *row);
/* Fill the members of row from columns 0..n-1 of the current result row;
 * text is copied onto arena a, unknown status names read as the first. */
void store_read_row(arena_t *a, sqlite3_stmt *st, const store_fields *fs, void *row);


#endif
