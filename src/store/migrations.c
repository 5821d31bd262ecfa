/*
 * migrations.c - the schema as a list of forward-only steps. A deployed
 * database is upgraded in place by running the steps it has not seen yet,
 * each atomically, so an interrupted upgrade leaves a consistent older
 * version that the next start finishes. Never edit a released step: add one.
 */
#include "store/migrations.h"

#include <stdio.h>
#include "core/err.h"
#include "store/sqlite_priv.h"

#define MIG_STR_(x) #x
#define MIG_STR(x) MIG_STR_(x)
/* A change-log row of a dependency kind (store.h) with an id expression. */
#define MIG_LOG(kind, id) "INSERT INTO changes(kind, id) VALUES (" MIG_STR(kind) ", " id ");"
/* Every change of a site-wide table concerns every page. */
#define MIG_SITE_TRIGGER(table, op) \
    "CREATE TRIGGER " table "_" op "_log AFTER " op " ON " table \
    " BEGIN " MIG_LOG(STORE_DEP_ALL, "0") " END;"
#define MIG_SITE_TRIGGERS(table) \
    MIG_SITE_TRIGGER(table, "INSERT") MIG_SITE_TRIGGER(table, "UPDATE") MIG_SITE_TRIGGER(table, "DELETE")
/* Rows of an article that pages can show (published, or scheduled: it
 * appears by itself when its time comes). */
#define MIG_SHOWN(row) row ".status IN ('published','scheduled')"

/* The change log of an article's update (migration 3; again in 7, with
 * `more` conditions on what decides which lists show it, and where:
 * membership and order). */
#define MIG_ARTICLES_LOG_UPD(more) \
    "CREATE TRIGGER articles_log_upd AFTER UPDATE ON articles" \
    " WHEN " MIG_SHOWN("new") " OR " MIG_SHOWN("old") " BEGIN " \
    MIG_LOG(STORE_DEP_ARTICLE, "new.id") MIG_LOG(STORE_DEP_MODIFIED, "0") \
    "INSERT INTO changes(kind, id) SELECT " MIG_STR(STORE_DEP_LIST) ", 0" \
    " WHERE old.status IS NOT new.status OR old.published_at IS NOT new.published_at" \
    " OR old.category_id IS NOT new.category_id OR old.author_id IS NOT new.author_id" \
    " OR old.slug IS NOT new.slug OR old.id IS NOT new.id" more ";" \
    " END;"

/* A related-articles row of an article pages can show (a draft's, or
 * one deleted with its article, is on no page). */
#define MIG_RELATED_SHOWN(row) \
    "EXISTS (SELECT 1 FROM articles a WHERE a.id = " row ".article_id AND " MIG_SHOWN("a") ")"

static const char *const migrations[] = {
    /* 1: initial schema */
    "PRAGMA application_id = 1853057138;" /* STORE_APPLICATION_ID */
    "CREATE TABLE authors("
    " id INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, name TEXT NOT NULL,"
    " bio TEXT, email TEXT, avatar_url TEXT);"
    "CREATE TABLE categories("
    " id INTEGER PRIMARY KEY,"
    " parent_id INTEGER REFERENCES categories(id) ON DELETE SET NULL,"
    " slug TEXT UNIQUE NOT NULL, name TEXT NOT NULL, description TEXT,"
    " position INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX categories_parent ON categories(parent_id);"
    "CREATE TABLE tags(id INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, name TEXT NOT NULL);"
    "CREATE TABLE articles("
    " id INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, title TEXT NOT NULL,"
    " kicker TEXT, lead TEXT, body_md TEXT, source TEXT, video_url TEXT,"
    " image_url TEXT, image_alt TEXT, image_caption TEXT,"
    " status TEXT NOT NULL DEFAULT 'draft'"
    "  CHECK (status IN ('draft','pending','scheduled','published')),"
    " comments_open INTEGER NOT NULL DEFAULT 1,"
    " created_at INTEGER NOT NULL DEFAULT 0, published_at INTEGER NOT NULL DEFAULT 0,"
    " updated_at INTEGER NOT NULL DEFAULT 0,"
    " author_id INTEGER REFERENCES authors(id) ON DELETE SET NULL,"
    " category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL);"
    "CREATE INDEX articles_status_pub ON articles(status, published_at);"
    "CREATE INDEX articles_pub ON articles(published_at);"
    "CREATE INDEX articles_category_pub ON articles(category_id, published_at);"
    "CREATE INDEX articles_author_pub ON articles(author_id, published_at);"
    "CREATE TABLE article_tags("
    " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    " tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
    " PRIMARY KEY (article_id, tag_id)) WITHOUT ROWID;"
    "CREATE INDEX article_tags_tag ON article_tags(tag_id, article_id);"
    "CREATE TABLE comments("
    " id INTEGER PRIMARY KEY,"
    " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    " parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,"
    " author_name TEXT NOT NULL, author_email TEXT, author_url TEXT, body TEXT NOT NULL,"
    " ip TEXT, user_agent TEXT,"
    " status TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK (status IN ('pending','approved','spam','trash')),"
    " created_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX comments_article ON comments(article_id, status, created_at);"
    "CREATE INDEX comments_parent ON comments(parent_id);"
    "CREATE TABLE pages("
    " id INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, title TEXT NOT NULL,"
    " body_md TEXT, published INTEGER NOT NULL DEFAULT 1,"
    " published_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE redirects("
    " from_path TEXT PRIMARY KEY, to_path TEXT NOT NULL,"
    " status INTEGER NOT NULL DEFAULT 301 CHECK (status IN (301, 302)));"
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);",

    /* 2: the body rendered when it is written, so a read does not run
     * Markdown. A change of body_md that does not also change body_html (a
     * hand edit, an old writer) clears it: stale HTML can never be served,
     * the reader renders body_md instead. */
    "ALTER TABLE articles ADD COLUMN body_html TEXT;"
    "CREATE TRIGGER articles_body_html_stale AFTER UPDATE OF body_md ON articles"
    " WHEN new.body_md IS NOT old.body_md AND new.body_html IS old.body_html"
    " BEGIN UPDATE articles SET body_html = NULL WHERE id = new.id; END;"
    /* The feeds' and home page's last-modified time reads every visible
     * article; covered by an index it never touches the wide rows. */
    "CREATE INDEX articles_pub_modified ON articles(published_at, status, updated_at);",

    /* 3: the change log. Every write records, in its own transaction, the
     * dependency keys (store.h) it touched, so caches drop only the pages
     * built from them; triggers write it, so a change made with the
     * sqlite3 shell is logged as exactly as one made by nashra. Drafts
     * and pending articles are on no page: their edits log nothing. */
    "CREATE TABLE changes(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " kind INTEGER NOT NULL, id INTEGER NOT NULL DEFAULT 0);"
    MIG_SITE_TRIGGERS("settings") MIG_SITE_TRIGGERS("categories") MIG_SITE_TRIGGERS("authors")
    MIG_SITE_TRIGGERS("tags") MIG_SITE_TRIGGERS("pages")
    "CREATE TRIGGER redirects_log_ins AFTER INSERT ON redirects BEGIN "
    MIG_LOG(STORE_DEP_REDIRECTS, "0") " END;"
    "CREATE TRIGGER redirects_log_upd AFTER UPDATE ON redirects BEGIN "
    MIG_LOG(STORE_DEP_REDIRECTS, "0") " END;"
    "CREATE TRIGGER redirects_log_del AFTER DELETE ON redirects BEGIN "
    MIG_LOG(STORE_DEP_REDIRECTS, "0") " END;"
    "CREATE TRIGGER articles_log_ins AFTER INSERT ON articles WHEN " MIG_SHOWN("new") " BEGIN "
    MIG_LOG(STORE_DEP_ARTICLE, "new.id") MIG_LOG(STORE_DEP_LIST, "0") MIG_LOG(STORE_DEP_MODIFIED, "0")
    " END;"
    "CREATE TRIGGER articles_log_del AFTER DELETE ON articles WHEN " MIG_SHOWN("old") " BEGIN "
    MIG_LOG(STORE_DEP_ARTICLE, "old.id") MIG_LOG(STORE_DEP_LIST, "0") MIG_LOG(STORE_DEP_MODIFIED, "0")
    " END;"
    MIG_ARTICLES_LOG_UPD("")
    "CREATE TRIGGER article_tags_log_ins AFTER INSERT ON article_tags BEGIN "
    MIG_LOG(STORE_DEP_ARTICLE, "new.article_id") MIG_LOG(STORE_DEP_LIST, "0") " END;"
    "CREATE TRIGGER article_tags_log_del AFTER DELETE ON article_tags BEGIN "
    MIG_LOG(STORE_DEP_ARTICLE, "old.article_id") MIG_LOG(STORE_DEP_LIST, "0") " END;"
    /* only approved comments are on pages */
    "CREATE TRIGGER comments_log_ins AFTER INSERT ON comments WHEN new.status = 'approved' BEGIN "
    MIG_LOG(STORE_DEP_COMMENTS, "new.article_id") " END;"
    "CREATE TRIGGER comments_log_upd AFTER UPDATE ON comments"
    " WHEN new.status = 'approved' OR old.status = 'approved' BEGIN "
    MIG_LOG(STORE_DEP_COMMENTS, "new.article_id") MIG_LOG(STORE_DEP_COMMENTS, "old.article_id") " END;"
    "CREATE TRIGGER comments_log_del AFTER DELETE ON comments WHEN old.status = 'approved' BEGIN "
    MIG_LOG(STORE_DEP_COMMENTS, "old.article_id") " END;",

    /* 4: what migration 3 did not log. INSERT OR REPLACE deletes the row it
     * replaces without firing delete triggers, so the replaced row is
     * logged before the insert; an UPDATE of article_tags (the shell can
     * make one) and a change of an article's id are logged too. */
    "CREATE TRIGGER articles_log_replace BEFORE INSERT ON articles"
    " WHEN EXISTS (SELECT 1 FROM articles a WHERE (a.id = new.id OR a.slug = new.slug) AND "
    MIG_SHOWN("a") ") BEGIN"
    " INSERT INTO changes(kind, id) SELECT " MIG_STR(STORE_DEP_ARTICLE) ", id FROM articles"
    "  WHERE id = new.id OR slug = new.slug;"
    MIG_LOG(STORE_DEP_LIST, "0") MIG_LOG(STORE_DEP_MODIFIED, "0") " END;"
    "CREATE TRIGGER comments_log_replace BEFORE INSERT ON comments"
    " WHEN EXISTS (SELECT 1 FROM comments WHERE id = new.id AND status = 'approved') BEGIN"
    " INSERT INTO changes(kind, id) SELECT " MIG_STR(STORE_DEP_COMMENTS) ", article_id FROM comments"
    "  WHERE id = new.id; END;"
    "CREATE TRIGGER article_tags_log_upd AFTER UPDATE ON article_tags BEGIN "
    MIG_LOG(STORE_DEP_ARTICLE, "old.article_id") MIG_LOG(STORE_DEP_ARTICLE, "new.article_id")
    MIG_LOG(STORE_DEP_LIST, "0") " END;"
    "CREATE TRIGGER articles_log_id AFTER UPDATE OF id ON articles WHEN old.id IS NOT new.id BEGIN "
    MIG_LOG(STORE_DEP_ARTICLE, "old.id") MIG_LOG(STORE_DEP_LIST, "0") " END;",
    /* 5: comments from readers: the text's fingerprint finds a repeated
     * post by an index; a commenter's approved history and the
     * moderation queue (newest first) are read by index too; top-level
     * comments are numbered, also when another program inserts one (the
     * shell, an importer), which nashra's own insert does itself */
    MIG_COMMENTS_V5
    "CREATE TRIGGER comments_thread_no AFTER INSERT ON comments WHEN new.thread_no IS NULL"
    " AND (new.parent_id IS NOT NULL OR new.status = 'approved') BEGIN"
    " UPDATE comments SET thread_no = " MIG_THREAD_NO("new") " WHERE id = new.id; END;"
    "CREATE TRIGGER comments_thread_no_approved AFTER UPDATE OF status ON comments"
    " WHEN new.status = 'approved' AND new.parent_id IS NULL AND new.thread_no IS NULL BEGIN"
    " UPDATE comments SET thread_no = " MIG_THREAD_NO("new") " WHERE id = new.id; END;",
    /* 6: search. The index (MIG_SEARCH_FTS) is filled by store_reindex,
     * not here: the analyzer is C, and a site upgraded in place is
     * reindexed at its next start (store_search_ready). search_df keeps
     * each term's document count (spelling suggestions, the distinctive
     * terms of an article), which FTS5's own vocabulary table
     * (search_vocab, kept for inspection) can only count by reading every
     * document holding the term. Each article's related articles
     * are stored in order; a change of them changes that article's page,
     * including one made by deleting a related article (the cascade). */
    MIG_SEARCH_FTS
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');"
    "CREATE TABLE search_df(term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;"
    /* what a search reads of each match, without the wide row */
    "CREATE INDEX articles_visible ON articles(id, status, published_at);"
    "CREATE TABLE article_related("
    " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    " rank INTEGER NOT NULL,"
    " related_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    " PRIMARY KEY (article_id, rank)) WITHOUT ROWID;"
    "CREATE INDEX article_related_related ON article_related(related_id);"
    "CREATE TRIGGER article_related_log_ins AFTER INSERT ON article_related"
    " WHEN " MIG_RELATED_SHOWN("new") " BEGIN "
    MIG_LOG(STORE_DEP_ARTICLE, "new.article_id") " END;"
    "CREATE TRIGGER article_related_log_upd AFTER UPDATE ON article_related"
    " WHEN " MIG_RELATED_SHOWN("old") " OR " MIG_RELATED_SHOWN("new") " BEGIN "
    MIG_LOG(STORE_DEP_ARTICLE, "old.article_id") MIG_LOG(STORE_DEP_ARTICLE, "new.article_id") " END;"
    "CREATE TRIGGER article_related_log_del AFTER DELETE ON article_related"
    " WHEN " MIG_RELATED_SHOWN("old") " BEGIN "
    MIG_LOG(STORE_DEP_ARTICLE, "old.article_id") " END;",
    /* 7: what moving a site in and out needs (src/import/): an article's
     * sticky and video flags and a body's format; the pages' hierarchy and
     * order; the media library; and the map of what an import made of
     * another site's items. Neither of the two new tables is on a page
     * yet: they log nothing. Sticky decides which articles a list of the
     * sticky ones holds, so its change now logs the lists too (the update
     * trigger of migration 3, again with it). */
    MIG_V7_COLUMNS
    "ALTER TABLE pages ADD COLUMN parent_id INTEGER REFERENCES pages(id) ON DELETE SET NULL;"
    "CREATE INDEX articles_sticky ON articles(published_at) WHERE sticky = 1;"
    "CREATE TABLE media("
    " id INTEGER PRIMARY KEY, url TEXT NOT NULL, title TEXT, alt TEXT, caption TEXT,"
    " description TEXT, mime TEXT,"
    " article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,"
    " created_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE import_items("
    " source TEXT NOT NULL, kind INTEGER NOT NULL, wp_id INTEGER NOT NULL, guid TEXT,"
    " local_id INTEGER NOT NULL, hash TEXT, ref INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (source, kind, wp_id)) WITHOUT ROWID;"
    MIG_V7_INDEXES
    "DROP TRIGGER IF EXISTS articles_log_upd;"
    MIG_ARTICLES_LOG_UPD(" OR old.sticky IS NOT new.sticky"),
    /* 8: the newsroom (MIG_V8). Pages now show a featured image's size
     * and variants, read from its media row: their change logs the
     * articles shown with it. */
    MIG_V8("INTEGER", "INTEGER PRIMARY KEY")
    "CREATE TRIGGER media_log_upd AFTER UPDATE ON media WHEN old.width IS NOT new.width"
    " OR old.height IS NOT new.height OR old.variants IS NOT new.variants BEGIN"
    " INSERT INTO changes(kind, id) SELECT " MIG_STR(STORE_DEP_ARTICLE) ", a.id FROM articles a"
    "  WHERE a.image_id = new.id AND " MIG_SHOWN("a") "; END;",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int store_migrations_latest(void)
{
    return NMIGRATIONS;
}

int store_user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *version = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return store_map_rc(rc);
}

/* One step: re-check the version under the write lock, apply, bump. */
static int migrate_step(sqlite3 *db, int to)
{
    int rc = store_map_rc(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
    if (rc)
        return rc;
    int cur = 0;
    rc = store_user_version(db, &cur);
    if (rc == 0 && cur < to) {
        char bump[48];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", to);
        rc = sqlite3_exec(db, migrations[to - 1], NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db, bump, NULL, NULL, NULL);
        rc = rc == SQLITE_OK ? 0 : NS_EINTERNAL;
    }
    if (rc == 0)
        rc = store_map_rc(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL));
    if (rc)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int store_migrate(sqlite3 *db, int *version)
{
    int cur = 0, rc = store_user_version(db, &cur);
    if (rc)
        return rc;
    if (cur > NMIGRATIONS)
        return NS_EINVAL;
    for (int v = cur + 1; v <= NMIGRATIONS; v++)
        if ((rc = migrate_step(db, v)) != 0)
            return rc;
    return store_user_version(db, version);
}
