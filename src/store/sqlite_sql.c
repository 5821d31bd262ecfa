/*
 * sqlite_sql.c - the text of every fixed SQL statement, as one table indexed
 * by statement id, so the whole query surface of the backend can be read
 * (and its index use reviewed) in one place. Article lists, whose WHERE
 * clause depends on the filters used, are assembled in sqlite_read.c from
 * the fragments in sqlite_sql.h. Beside the text stand the field tables
 * that tie each struct of store.h to its columns and parameters, so a
 * change of a column list and of its table are made in the same place.
 */
#include <stddef.h>
#include "store/migrations.h"
#include "store/sqlite_priv.h"
#include "store/sqlite_sql.h"

const char *const store_sql[ST__COUNT] = {
    [ST_DATA_VERSION] = "PRAGMA data_version",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT store_w",
    [ST_RELEASE] = "RELEASE store_w",
    [ST_ROLLBACK_TO] = "ROLLBACK TO store_w",

    [ST_ARTICLE_BY_SLUG] = "SELECT " SQL_ART_COLS("a.body_md", "a.body_html", "0") " FROM " SQL_ART_FROM
        " WHERE a.slug = :slug AND " SQL_VISIBLE,
    [ST_ARTICLE_BY_ID] = "SELECT " SQL_ART_COLS("a.body_md", "a.body_html", "0") " FROM " SQL_ART_FROM
        " WHERE a.id = :id",
    [ST_ARTICLE_TAGS] = "SELECT t.id, t.slug, t.name FROM article_tags x"
        " JOIN tags t ON t.id = x.tag_id WHERE x.article_id = :id ORDER BY t.name",
    /* Related articles are ranked in C (sqlite_read.c) from two index walks:
     * one row per (shared tag, visible article), and the newest few of the
     * same category. Temporary B-trees for GROUP BY and ORDER BY would cost
     * more than the whole rest of the page. */
     /* The walk is bounded: the article's first SQL_RELATED_TAGS tags, and
      * for each the SQL_RELATED_PER_TAG newest articles carrying it (an
      * index walk backwards, no sort), so a tag shared by half the site
      * costs no more than a rare one. */
    [ST_RELATED_SHARED] = "SELECT a.id, a.published_at,"
        " a.category_id IS (SELECT category_id FROM articles WHERE id = :id)"
        " FROM (SELECT tag_id FROM article_tags WHERE article_id = :id LIMIT " SQL_RELATED_TAGS ") m"
        " JOIN articles a ON a.id IN (SELECT o.article_id FROM article_tags o"
        "  WHERE o.tag_id = m.tag_id AND o.article_id <> :id"
        "  ORDER BY o.article_id DESC LIMIT " SQL_RELATED_PER_TAG ")"
        " WHERE " SQL_VISIBLE,
    [ST_RELATED_SAMECAT] = "SELECT a.id, a.published_at, 1 FROM articles a"
        " WHERE a.category_id = (SELECT category_id FROM articles WHERE id = :id)"
        " AND " SQL_VISIBLE " AND a.id <> :id"
        " ORDER BY a.published_at DESC, a.id DESC LIMIT :limit",
    [ST_ARTICLE_SUMMARY] = "SELECT " SQL_ART_COLS("NULL", "NULL", "0") " FROM " SQL_ART_FROM
        " WHERE a.id = :id",
    [ST_NEXT_PUBLISH] = "SELECT min(published_at) FROM articles"
        " WHERE status IN ('published','scheduled') AND published_at > :now",
    [ST_LAST_MODIFIED] = "SELECT max(max(published_at, updated_at)) FROM articles a"
        " WHERE " SQL_VISIBLE,
    /* The private columns (email, ip, user agent) read as NULL for display,
     * and in full for moderation: one field table serves both. */
    [ST_COMMENT_LIST] = "SELECT id, article_id, coalesce(parent_id, 0), author_name,"
        " NULL, author_url, body, NULL, NULL, status, created_at, NULL, coalesce(thread_no, 0) FROM comments"
        " WHERE article_id = :article AND status = :status ORDER BY created_at, id",
    [ST_COMMENT_LIST_ALL] = "SELECT " SQL_COMMENT_COLS " FROM comments"
        " WHERE article_id = :article AND status = :status ORDER BY created_at, id",
    [ST_COMMENT_THREADS] = SQL_COMMENT_THREADS(":article", ":limit", ":offset"),
    [ST_COMMENT_STATS] = SQL_COMMENT_STATS(":article"),
    [ST_COMMENT_GET] = "SELECT " SQL_COMMENT_COLS " FROM comments WHERE id = :id",
    [ST_COMMENT_RECENT] = "SELECT " SQL_COMMENT_COLS " FROM comments"
        " WHERE :status IS NULL OR status = :status ORDER BY created_at DESC, id DESC LIMIT :limit",
    [ST_COMMENT_KNOWN] = "SELECT count(*) FROM (SELECT 1 FROM comments WHERE status = 'approved'"
        " AND author_name = :name AND coalesce(author_email, '') = :email LIMIT 1)",
    [ST_COMMENT_DUP] = "SELECT count(*) FROM (SELECT 1 FROM comments WHERE article_id = :article"
        " AND fingerprint = :fp AND (ip = :ip OR (author_name = :name"
        "  AND coalesce(author_email, '') = coalesce(:email, ''))) LIMIT 1)",

    [ST_CATEGORY_BY_SLUG] = "SELECT " SQL_CAT_COLS " FROM categories WHERE slug = :slug",
    [ST_CATEGORY_BY_ID] = "SELECT " SQL_CAT_COLS " FROM categories WHERE id = :id",
    [ST_CATEGORY_LIST] = "SELECT " SQL_CAT_COLS " FROM categories ORDER BY position, name",
    [ST_TAG_BY_SLUG] = "SELECT id, slug, name FROM tags WHERE slug = :slug",
    [ST_AUTHOR_BY_SLUG] = "SELECT " SQL_AUTHOR_COLS " FROM authors WHERE slug = :slug",
    [ST_AUTHOR_LIST] = "SELECT " SQL_AUTHOR_COLS " FROM authors ORDER BY name",
    [ST_PAGE_BY_SLUG] = "SELECT " SQL_PAGE_COLS " FROM pages WHERE slug = :slug AND published",
    [ST_PAGE_LIST] = "SELECT " SQL_PAGE_COLS " FROM pages WHERE published ORDER BY title",
    [ST_PAGE_BY_ID] = "SELECT " SQL_PAGE_COLS " FROM pages WHERE id = :id",
    [ST_PAGE_LIST_ALL] = "SELECT " SQL_PAGE_COLS " FROM pages ORDER BY id",
    [ST_TAG_LIST] = "SELECT id, slug, name FROM tags ORDER BY name",
    [ST_COMMENT_LIST_ANY] = "SELECT " SQL_COMMENT_COLS " FROM comments"
        " WHERE article_id = :article ORDER BY id",
    [ST_MEDIA_GET] = "SELECT " SQL_MEDIA_COLS " FROM media WHERE id = :id",
    [ST_MEDIA_LIST] = "SELECT " SQL_MEDIA_COLS " FROM media WHERE id > :after"
        " ORDER BY id LIMIT :limit",
    [ST_IMPORT_GET] = "SELECT " SQL_IMPORT_COLS " FROM import_items"
        " WHERE source = :source AND kind = :kind AND wp_id = :wp_id",
    /* a GUID recorded by several sources (a site imported under two
     * addresses): this source's first, then the one with the same id (the
     * same site moved), then the first recorded */
    [ST_IMPORT_BY_GUID] = "SELECT " SQL_IMPORT_COLS " FROM import_items"
        " WHERE kind = :kind AND guid = :guid ORDER BY source <> :source, wp_id <> :wp_id, source, wp_id"
        " LIMIT 1",
    [ST_IMPORT_REFS] = "SELECT " SQL_IMPORT_COLS " FROM import_items WHERE source = :source"
        " AND kind = :kind AND wp_id > :after AND ref <> 0 ORDER BY wp_id LIMIT :limit",
    [ST_REDIRECT] = "SELECT from_path, to_path, status FROM redirects WHERE from_path = :path",
    [ST_SETTING_GET] = "SELECT value FROM settings WHERE key = :key",
    [ST_SETTING_LIST] = "SELECT key, value FROM settings ORDER BY key",

    [ST_AUTHOR_INSERT] = "INSERT INTO authors(slug, name, bio, email, avatar_url)"
        " VALUES (:slug, :name, :bio, :email, :avatar)",
    [ST_CATEGORY_INSERT] = "INSERT INTO categories(parent_id, slug, name, description, position)"
        " VALUES (:parent, :slug, :name, :description, :position)",
    [ST_CATEGORY_UPDATE] = "UPDATE categories SET parent_id = :parent, slug = :slug, name = :name,"
        " description = :description, position = :position WHERE id = :id",
    [ST_TAG_INSERT] = "INSERT INTO tags(slug, name) VALUES (:slug, :name)"
        " ON CONFLICT(slug) DO NOTHING",
    [ST_ARTICLE_INSERT] = "INSERT INTO articles(slug, title, kicker, lead, body_md, source,"
        " video_url, image_url, image_alt, image_caption, status, comments_open, created_at,"
        " published_at, updated_at, author_id, category_id, body_html, sticky, video, body_format,"
        " breaking, trashed_at, revision, image_id)"
        " VALUES (:slug, :title, :kicker, :lead, :body, :source, :video, :image, :image_alt,"
        " :image_caption, :status, :comments_open, :created, :published, :updated, :author,"
        " :category, :body_html, :sticky, :is_video, :format, :breaking, :trashed, 0, :image_id)",
    [ST_ARTICLE_UPDATE] = "UPDATE articles SET slug = :slug, title = :title, kicker = :kicker,"
        " lead = :lead, body_md = :body, body_html = :body_html, source = :source, video_url = :video,"
        " image_url = :image, image_alt = :image_alt, image_caption = :image_caption,"
        " status = CASE WHEN trashed_at = 0 THEN :status ELSE 'draft' END,"
        " comments_open = :comments_open, created_at = :created,"
        " published_at = :published, updated_at = :updated, author_id = :author,"
        " category_id = :category, sticky = :sticky, video = :is_video, body_format = :format,"
        " breaking = :breaking, image_id = :image_id, revision = revision + 1"
        " WHERE id = :id RETURNING revision",
    [ST_ARTICLE_DELETE] = "DELETE FROM articles WHERE id = :id",
    [ST_ARTICLE_TAG_INSERT] = "INSERT OR IGNORE INTO article_tags(article_id, tag_id)"
        " VALUES (:article, :tag)",
    /* drop only the tags not kept (a JSON array of ids), so an update that
     * keeps its tags logs no change of them */
    [ST_ARTICLE_TAGS_KEEP] = "DELETE FROM article_tags WHERE article_id = :article"
        " AND tag_id NOT IN (SELECT value FROM json_each(:keep))",
    [ST_CHANGES_HEAD] = "SELECT coalesce(max(seq), 0) FROM changes",
    [ST_CHANGES_SINCE] = "SELECT seq, kind, id FROM changes WHERE seq > :since"
        " ORDER BY seq LIMIT :limit",
    [ST_CHANGES_PRUNE] = "DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - "
        SQL_STR(STORE_CHANGES_KEEP),
    /* Every visible match with what orders it (SQL_SEARCH_SCORE says
     * how), unordered: sqlite_search.c keeps the best of them while
     * counting them all, cheaper than a sort (and a window function for
     * the count) over every match. */
    [ST_SEARCH] = SQL_SEARCH_MATCHES(", a.published_at, " SQL_SEARCH_SCORE),
    /* a result's card and the body it was indexed with, for snippets */
    [ST_SEARCH_CARD] = "SELECT " SQL_ART_COLS("NULL", "NULL", "0") ", f.body FROM "
        SQL_ART_FROM ", search_fts f WHERE a.id = :id AND f.rowid = :id",
    /* one primary-key lookup per term, in one statement */
    [ST_SEARCH_TERMS] = "SELECT term, docs FROM search_df"
        " WHERE term IN (SELECT value FROM json_each(:terms))",
    [ST_VOCAB_ADD] = "INSERT INTO search_df(term, docs) VALUES (?1, ?2)"
        " ON CONFLICT(term) DO UPDATE SET docs = docs + excluded.docs",
    /* a term no article holds any more keeps a row of 0 until a rebuild */
    [ST_VOCAB_DROP] = "UPDATE search_df SET docs = max(docs + ?2, 0) WHERE term = ?1",
    [ST_VOCAB_CLEAR] = "DELETE FROM search_df",
    /* the index's own row count (FTS5 keeps it), not a count of rows */
    [ST_SEARCH_NDOCS] = "SELECT nashra_rows(search_fts) FROM search_fts LIMIT 1",
    [ST_SEARCH_SOURCE] = "SELECT title, lead, body_md, body_html, body_format = 'html' FROM articles WHERE id = :id",
    [ST_SEARCH_OLD] = "SELECT title, lead, body FROM search_fts WHERE rowid = :id",
    [ST_SEARCH_DELETE] = "DELETE FROM search_fts WHERE rowid = :id",
    [ST_SEARCH_INSERT] = "INSERT INTO search_fts(rowid, title, lead, body)"
        " VALUES (:id, :title, :lead, :body)",
    [ST_RELATED_GET] = "SELECT related_id FROM article_related WHERE article_id = :id ORDER BY rank",
    [ST_RELATED_CLEAR] = "DELETE FROM article_related WHERE article_id = :id",
    [ST_RELATED_INSERT] = "INSERT INTO article_related(article_id, rank, related_id)"
        " VALUES (:id, :rank, :related)",
    /* the stored related articles that are visible, in their order */
    [ST_RELATED_STORED] = "SELECT a.id FROM article_related r JOIN articles a ON a.id = r.related_id"
        " WHERE r.article_id = :id AND r.related_id <> :id AND " SQL_VISIBLE
        " ORDER BY r.rank LIMIT :limit",
    [ST_ARTICLE_IDS] = "SELECT id FROM articles WHERE id > :after ORDER BY id LIMIT :limit",
    [ST_COMMENT_INSERT] = "INSERT INTO comments(article_id, parent_id, author_name,"
        " author_email, author_url, body, ip, user_agent, status, created_at, fingerprint, thread_no)"
        " SELECT :article, :parent, :name, :email, :url, :body, :ip, :ua, :status, :created, :fp,"
        /* numbered here rather than by the trigger comments_thread_no,
         * which would update the row again */
        "  " MIG_THREAD_NO_PARAMS
        " WHERE EXISTS (SELECT 1 FROM articles WHERE id = :article)"
        " AND (:parent IS NULL OR EXISTS (SELECT 1 FROM comments"
        "  WHERE id = :parent AND article_id = :article AND status = 'approved'))",
    [ST_COMMENT_STATUS] = "UPDATE comments SET status = :status WHERE id = :id",
    [ST_COMMENT_DELETE] = "DELETE FROM comments WHERE id = :id",
    [ST_PAGE_INSERT] = "INSERT INTO pages(slug, title, body_md, published, published_at,"
        " updated_at, parent_id, body_format, menu_order) VALUES (:slug, :title, :body,"
        " :published, :published_at, :updated, :parent, :format, :menu_order)",
    [ST_PAGE_UPDATE] = "UPDATE pages SET slug = :slug, title = :title, body_md = :body,"
        " published = :published, published_at = :published_at, updated_at = :updated,"
        " parent_id = :parent, body_format = :format, menu_order = :menu_order WHERE id = :id",
    [ST_SETTING_SET] = "INSERT INTO settings(key, value) VALUES (:key, :value)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [ST_SETTING_ENSURE] = "INSERT INTO settings(key, value) VALUES (:key, :value)"
        " ON CONFLICT(key) DO NOTHING",
    [ST_REDIRECT_INSERT] = "INSERT INTO redirects(from_path, to_path, status)"
        " VALUES (:from, :to, :status)",
    [ST_REDIRECT_PUT] = "INSERT INTO redirects(from_path, to_path, status)"
        " VALUES (:from, :to, :status) ON CONFLICT(from_path) DO UPDATE SET"
        " to_path = excluded.to_path, status = excluded.status",
    /* an imported comment's parent: a comment of its article, any status,
     * not the comment itself */
    [ST_COMMENT_PARENT] = "SELECT :parent IS NULL OR EXISTS (SELECT 1 FROM comments"
        " WHERE id = :parent AND article_id = :article AND id <> :id)",
    [ST_PAGE_CYCLE] = SQL_PAGE_CYCLE(":parent", ":id"),
    /* numbered as ST_COMMENT_INSERT numbers; a missing article fails the
     * foreign key */
    [ST_COMMENT_IMPORT] = "INSERT INTO comments(article_id, parent_id, author_name,"
        " author_email, author_url, body, ip, user_agent, status, created_at, fingerprint, thread_no)"
        " SELECT :article, :parent, :name, :email, :url, :body, :ip, :ua, :status, :created, :fp,"
        "  " MIG_THREAD_NO_PARAMS,
    /* A reply's number is 0; a comment that stays top-level on its article
     * keeps its number; one that becomes top-level, or moves, gets none,
     * and the trigger comments_thread_no_approved numbers it if approved
     * (it fires for any UPDATE OF status, as it does for
     * store_comment_set_status). */
    [ST_COMMENT_REPLACE] = "UPDATE comments SET article_id = :article, parent_id = :parent,"
        " author_name = :name, author_email = :email, author_url = :url, body = :body, ip = :ip,"
        " user_agent = :ua, status = :status, created_at = :created, fingerprint = :fp,"
        " thread_no = " SQL_COMMENT_RENUMBER(":parent", ":article") " WHERE id = :id",
    [ST_MEDIA_INSERT] = "INSERT INTO media(url, title, alt, caption, description, mime,"
        " article_id, created_at, width, height, bytes, variants, user_id) VALUES (:url, :title,"
        " :alt, :caption, :description, :mime, :article, :created, :width, :height, :bytes,"
        " coalesce(:variants, ''), :user)",
    [ST_MEDIA_UPDATE] = "UPDATE media SET url = :url, title = :title, alt = :alt,"
        " caption = :caption, description = :description, mime = :mime, article_id = :article,"
        " created_at = :created, width = :width, height = :height, bytes = :bytes,"
        " variants = coalesce(:variants, ''), user_id = :user WHERE id = :id",
    [ST_IMPORT_PUT] = "INSERT INTO import_items(source, kind, wp_id, guid, local_id, hash, ref)"
        " VALUES (:source, :kind, :wp_id, :guid, :local, :hash, :ref)"
        " ON CONFLICT(source, kind, wp_id) DO UPDATE SET guid = excluded.guid,"
        " local_id = excluded.local_id, hash = excluded.hash, ref = excluded.ref",

#define SQ_P(n) "?" #n
#define SQ_W(text) text
    SQL_NR(ST_NR, SQ_W, SQ_P, "LIKE", "", "IS NOT"),
    [ST_NR + NR_USER_INSERT] = SQL_NR_USER_INSERT
        " VALUES (:id, :login, :pass, :role, :disabled, :created)",
    [ST_NR + NR_USER_UPDATE] = "UPDATE users SET login = :login, pass_hash = :pass, role = :role,"
        " disabled = :disabled WHERE id = :id",
    [ST_NR + NR_SESSION_INSERT] = SQL_NR_SESSION_INSERT
        " VALUES (:id_hash, :user, :created, :seen, :ua)",
    [ST_NR + NR_REVISION_INSERT] = SQL_NR_REVISION_INSERT
        " VALUES (:article, :user, :created, :revision, :title, :slug, :kicker, :lead, :body,"
        " :source, :video, :format)",
    [ST_NR + NR_COMMENT_UPDATE] = "UPDATE comments SET author_name = :name, author_email = :email,"
        " author_url = :url, body = :body WHERE id = :id",
};
