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
#include "store/migrations.h"
#include "store/store.h"

/* Fixed statements, prepared lazily from store_sql[] (sqlite_sql.c). */
enum store_stmt_id {
    ST_DATA_VERSION, ST_BEGIN, ST_BEGIN_READ, ST_COMMIT, ST_ROLLBACK,
    ST_ARTICLE_BY_SLUG, ST_ARTICLE_BY_ID, ST_ARTICLE_SUMMARY, ST_ARTICLE_TAGS,
    ST_RELATED_SHARED, ST_RELATED_SAMECAT,
    ST_NEXT_PUBLISH, ST_LAST_MODIFIED, ST_COMMENT_LIST, ST_COMMENT_LIST_ALL,
    ST_CATEGORY_BY_SLUG, ST_CATEGORY_BY_ID, ST_CATEGORY_LIST,
    ST_TAG_BY_SLUG, ST_AUTHOR_BY_SLUG, ST_AUTHOR_LIST,
    ST_PAGE_BY_SLUG, ST_PAGE_LIST, ST_REDIRECT, ST_SETTING_GET, ST_SETTING_LIST,
    ST_AUTHOR_INSERT, ST_CATEGORY_INSERT, ST_TAG_INSERT,
    ST_ARTICLE_INSERT, ST_ARTICLE_UPDATE, ST_ARTICLE_DELETE,
    ST_ARTICLE_TAG_INSERT,
    ST_COMMENT_INSERT, ST_COMMENT_STATUS, ST_PAGE_INSERT, ST_SETTING_SET,
    ST_REDIRECT_INSERT, ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
    ST_ARTICLE_TAGS_KEEP, ST_CHANGES_HEAD, ST_CHANGES_SINCE, ST_CHANGES_PRUNE,
    ST__COUNT
};

/* How long a statement waits for a lock before SQLITE_BUSY (the write
 * path then backs off and retries: store_write). */
#define STORE_BUSY_TIMEOUT_MS 2000
/* Change-log rows kept (older ones are pruned by each write), and the most
 * a reader lists before it simply drops everything. */
#define STORE_CHANGES_KEEP 10000
#define STORE_CHANGES_LIST 1024

/* Article list/count variants, indexed by which filters a query uses. */
enum { QF_CATEGORY = 1, QF_TAG = 2, QF_AUTHOR = 4, QF__COUNT = 8 };

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmts[ST__COUNT];
    sqlite3_stmt *list[QF__COUNT], *count[QF__COUNT];
    int64_t data_version;   /* last PRAGMA data_version seen; -1: none yet */
    int version;            /* schema version after open */
    bool readonly;
    bool in_read;           /* inside store_read_begin() */
    bool wrote;             /* committed through s since store_changed() last asked */
    store_deps *track;      /* where reads record their keys; NULL: nowhere */
    uint64_t steps;         /* statement steps so far */
    struct {                /* store_fault() */
        uint64_t at;        /* fail when steps reaches this; 0: off */
        int code;           /* SQLite result code to fail with */
        bool sticky;
    } fault;
};

/* SQL text of each fixed statement. */
extern const char *const store_sql[ST__COUNT];

/* The cached statement id, prepared on first use; NULL on failure (a bug:
 * every statement is fixed text). Callers must store_done() it. */
sqlite3_stmt *store_stmt(store_t *s, enum store_stmt_id id);
/* Reset and clear a statement for its next use; returns rc unchanged. */
int store_done(sqlite3_stmt *st, int rc);
/* SQLite result code (extended) → NS_E* (SQLITE_OK/ROW/DONE → 0). */
int store_map_rc(int sqlite_rc);
/* sqlite3_step through s: counted, failed on demand (store_fault), and an
 * error (not ROW/DONE) is noted in the tracked dependency set, so a page
 * built around a failed read is never cached. Every step goes through it. */
int store_step(store_t *s, sqlite3_stmt *st);
/* Record key (kind, id) in the tracked set, if any. */
void store_dep_note(store_t *s, int kind, int64_t id);

/* Bind by :name; names absent from the statement are ignored. NULL text
 * binds SQL NULL. */
void store_bind_text(sqlite3_stmt *st, const char *name, const char *v);
void store_bind_int(sqlite3_stmt *st, const char *name, int64_t v);
/* Binds NULL when v is 0 (optional references). */
void store_bind_ref(sqlite3_stmt *st, const char *name, int64_t v);
/* Column i as an arena copy, NULL for SQL NULL. */
const char *store_col_str(arena_t *a, sqlite3_stmt *st, int i);

/* How one struct member maps to a statement parameter (by name) and to a
 * result column (by position in its table). One table per struct serves
 * the reads, the writes and the validation of writes, so a column added to
 * a table cannot be read but forgotten by the insert, or the reverse. */
typedef enum {
    STORE_F_TEXT,           /* const char *, NULL as SQL NULL */
    STORE_F_TEXT_REQ,       /* const char * that writes refuse when NULL or "" */
    STORE_F_I64,            /* int64_t */
    STORE_F_REF,            /* int64_t, 0 bound as NULL (optional reference) */
    STORE_F_INT,            /* int */
    STORE_F_BOOL,           /* bool, stored as 0/1 */
    STORE_F_ARTICLE_STATUS, /* article_status, stored as its name */
    STORE_F_COMMENT_STATUS, /* comment_status, stored as its name */
} store_field_kind;

typedef struct store_field {
    const char *param;      /* ":name" it binds to; ignored by statements without it */
    store_field_kind kind;
    size_t off;             /* offsetof the member */
} store_field;

typedef struct store_fields {
    const store_field *f;
    size_t n;
    size_t size;            /* sizeof the struct */
} store_fields;

/* The tables (sqlite_sql.c); column i of the matching SELECTs is entry i. */
extern const store_fields store_author_fields, store_category_fields, store_tag_fields,
    store_article_fields, store_comment_fields, store_page_fields, store_redirect_fields,
    store_setting_fields;

/* Bind every member of row to the parameter of its name. */
void store_bind_row(sqlite3_stmt *st, const store_fields *fs, const void *row);
/* Fill the members of row from columns 0..n-1 of the current result row;
 * text is copied onto arena a, unknown status names read as the first. */
void store_read_row(arena_t *a, sqlite3_stmt *st, const store_fields *fs, void *row);

/* Text of a status as stored in the database; NULL if out of range. */
const char *store_article_status_name(article_status st);
const char *store_comment_status_name(comment_status st);


#endif
