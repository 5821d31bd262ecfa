/*
 * migrations.h - the schema's history, private to the SQLite backend. The
 * schema only moves forward; its version lives in PRAGMA user_version so a
 * database file carries its own version and no side table can drift.
 */
#ifndef NS_STORE_MIGRATIONS_H
#define NS_STORE_MIGRATIONS_H

#include <sqlite3.h>

/* PRAGMA application_id stamped by the first migration: tells a nashra
 * database from any other SQLite file. */
#define STORE_APPLICATION_ID 0x6e736872 /* "nshr" */

/* Latest schema version this binary knows (number of migrations). */
int store_migrations_latest(void);

/* Apply, in order, every migration above the database's user_version, each
 * in its own IMMEDIATE transaction that also bumps user_version (so two
 * processes opening a fresh file do not both migrate). Sets *version to the
 * resulting version. NS_EINVAL if the database is newer than this binary,
 * NS_EBUSY if locked, NS_ECORRUPT if it is not a database, else NS_EINTERNAL
 * for a failing migration (rolled back). */
int store_migrate(sqlite3 *db, int *version);

/* PRAGMA user_version of db into *version; 0 or an NS_E* code. */
int store_user_version(sqlite3 *db, int *version);

/* The number of a comment `row` (new, NEW): 0 for a reply; for a top-level
 * comment once it is approved, the next of its article (so that a held
 * comment takes no place on a comment page); else NULL. */
#define MIG_THREAD_NO(row) \
    "CASE WHEN " row ".parent_id IS NOT NULL THEN 0 WHEN " row ".status = 'approved' THEN" \
    " (SELECT coalesce(max(thread_no), 0) + 1 FROM comments WHERE article_id = " row ".article_id) END"

/* The same for an insert's parameters (sqlite_sql.c). */
#define MIG_THREAD_NO_PARAMS \
    "CASE WHEN :parent IS NOT NULL THEN 0 WHEN :status = 'approved' THEN" \
    " (SELECT coalesce(max(thread_no), 0) + 1 FROM comments WHERE article_id = :article) END"

/* Version 5, the same text in both dialects (pg_schema.c runs it too). */
#define MIG_COMMENTS_V5 \
    "ALTER TABLE comments ADD COLUMN fingerprint TEXT;" \
    "CREATE INDEX comments_fingerprint ON comments(article_id, fingerprint);" \
    "CREATE INDEX comments_known ON comments(author_name, author_email) WHERE status = 'approved';" \
    "CREATE INDEX comments_recent ON comments(created_at);" \
    "ALTER TABLE comments ADD COLUMN thread_no INTEGER;" \
    "UPDATE comments SET thread_no = r.n FROM (SELECT id, row_number() OVER (PARTITION BY" \
    " article_id ORDER BY created_at, id) AS n FROM comments WHERE parent_id IS NULL" \
    " AND status = 'approved') AS r WHERE r.id = comments.id;" \
    "UPDATE comments SET thread_no = 0 WHERE parent_id IS NOT NULL;" \
    "CREATE INDEX comments_threads ON comments(article_id, thread_no);"

/* Version 7's new columns and the indexes of its new tables, the same
 * text in both dialects (pg_schema.c runs them too); pages.parent_id's
 * type is each dialect's id type, so it is added by each. */
#define MIG_V7_COLUMNS \
    "ALTER TABLE articles ADD COLUMN sticky INTEGER NOT NULL DEFAULT 0;" \
    "ALTER TABLE articles ADD COLUMN video INTEGER NOT NULL DEFAULT 0;" \
    "ALTER TABLE articles ADD COLUMN body_format TEXT NOT NULL DEFAULT 'markdown'" \
    " CHECK (body_format IN ('markdown','html'));" \
    "ALTER TABLE pages ADD COLUMN menu_order INTEGER NOT NULL DEFAULT 0;" \
    "ALTER TABLE pages ADD COLUMN body_format TEXT NOT NULL DEFAULT 'markdown'" \
    " CHECK (body_format IN ('markdown','html'));"
/* the lookup of an item by its GUID within its kind (store_import_get) */
#define MIG_V7_INDEXES \
    "CREATE INDEX import_items_guid ON import_items(kind, guid);" \
    "CREATE INDEX pages_parent ON pages(parent_id);" \
    "CREATE INDEX media_article ON media(article_id);"

/* Version 8, the newsroom, in both dialects: I is the dialect's 64-bit
 * integer type, SERIAL its generated primary key. People who sign in
 * (users.id is their author's id), their signed-in browsers (only the
 * hash of a session's id), failed sign-ins by account or address, and
 * every saved state of an article's text; an article's breaking flag,
 * trash time, revision number and featured image's media row; an
 * image's size, file size, variants and uploader. No reader page shows
 * the four new tables: they log nothing (a sign-in must not empty the
 * page cache). */
#define MIG_V8(I, SERIAL) \
    "CREATE TABLE users(" \
    " id " I " PRIMARY KEY REFERENCES authors(id) ON DELETE CASCADE," \
    " login TEXT UNIQUE NOT NULL, pass_hash TEXT," \
    " role TEXT NOT NULL CHECK (role IN ('contributor','author','editor','admin'))," \
    " disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))," \
    " created_at " I " NOT NULL DEFAULT 0);" \
    "CREATE TABLE sessions(" \
    " id_hash TEXT PRIMARY KEY," \
    " user_id " I " NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
    " created_at " I " NOT NULL DEFAULT 0, seen_at " I " NOT NULL DEFAULT 0, user_agent TEXT);" \
    "CREATE INDEX sessions_user ON sessions(user_id);" \
    "CREATE TABLE login_failures(key TEXT NOT NULL, at " I " NOT NULL);" \
    "CREATE INDEX login_failures_key ON login_failures(key, at);" \
    "CREATE TABLE revisions(" \
    " id " SERIAL "," \
    " article_id " I " NOT NULL REFERENCES articles(id) ON DELETE CASCADE," \
    " user_id " I ", created_at " I " NOT NULL DEFAULT 0, revision " I " NOT NULL DEFAULT 0," \
    " title TEXT, slug TEXT, kicker TEXT, lead TEXT, body_md TEXT, source TEXT, video_url TEXT," \
    " body_format TEXT NOT NULL DEFAULT 'markdown' CHECK (body_format IN ('markdown','html')));" \
    "CREATE INDEX revisions_article ON revisions(article_id, id);" \
    "ALTER TABLE articles ADD COLUMN breaking INTEGER NOT NULL DEFAULT 0" \
    " CHECK (breaking IN (0, 1));" \
    "ALTER TABLE articles ADD COLUMN trashed_at " I " NOT NULL DEFAULT 0;" \
    "ALTER TABLE articles ADD COLUMN revision " I " NOT NULL DEFAULT 0;" \
    "ALTER TABLE articles ADD COLUMN image_id " I " REFERENCES media(id) ON DELETE SET NULL;" \
    "CREATE INDEX articles_image ON articles(image_id);" \
    "CREATE INDEX articles_changed ON articles(trashed_at, updated_at);" \
    "ALTER TABLE media ADD COLUMN width INTEGER NOT NULL DEFAULT 0;" \
    "ALTER TABLE media ADD COLUMN height INTEGER NOT NULL DEFAULT 0;" \
    "ALTER TABLE media ADD COLUMN bytes " I " NOT NULL DEFAULT 0;" \
    "ALTER TABLE media ADD COLUMN variants TEXT NOT NULL DEFAULT '';" \
    "ALTER TABLE media ADD COLUMN user_id " I ";" \
    "CREATE INDEX media_created ON media(created_at);"

/* The SQLite search index (version 6): the index terms of search/terms.h
 * through the "nashra" tokenizer (sqlite_search.c), one row per article
 * with rowid = its id. Its content is kept (not contentless), so the
 * indexed body is read back for snippets. A rebuild drops and creates it
 * again with this same text (store_reindex through sq_search_clear):
 * FTS5 has no fast way to empty a table that keeps its content. */
#define MIG_SEARCH_FTS \
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, lead, body, tokenize='nashra');"

#endif
