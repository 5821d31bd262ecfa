/*
 * fields.h - how the structs of store.h map to table columns, shared by
 * both backends (private to src/store/): one table per struct, entry i
 * being column i of the struct's SELECTs and naming the parameter each
 * member binds to. One table serves the reads, the writes and the
 * validation of writes on SQLite and PostgreSQL alike, so a column added
 * to a table cannot be read but forgotten by an insert, or read
 * differently by the two backends.
 */
#ifndef NS_STORE_FIELDS_H
#define NS_STORE_FIELDS_H

#include <stddef.h>
#include "store/store.h"

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
    STORE_F_BODY_FORMAT,    /* body_format, stored as its name; writes refuse an unknown one */
    STORE_F_USER_ROLE,      /* user_role, stored as its name; writes refuse ROLE_NONE */
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

/* The tables (fields.c); column i of the matching SELECTs is entry i. */
extern const store_fields store_author_fields, store_category_fields, store_tag_fields,
    store_article_fields, store_comment_fields, store_page_fields, store_redirect_fields,
    store_setting_fields, store_media_fields, store_import_fields, store_user_fields,
    store_session_fields, store_revision_fields;

/* The stored name of a body format ("markdown", "html"), NULL for none;
 * and back, an unknown name read as BODY_MARKDOWN. */
const char *store_body_format_name(body_format f);
body_format store_body_format_parse(const char *name);


/* store_check_row on an article, plus: a known status, tag ids when
 * ntags, an image_url that is empty or a safe link. 0 or NS_EINVAL. */
int store_check_article(const store_article *ar, const int64_t *tag_ids, size_t ntags);

/* 0 if every STORE_F_TEXT_REQ member of row is set and non-empty, all
 * text is well-formed UTF-8 and every body format known; else NS_EINVAL. */
int store_check_row(const store_fields *fs, const void *row);

/* ---- column lists, the same text in both dialects ----
 * The order of SQL_ART_COLS (own columns), SQL_CAT_COLS, SQL_AUTHOR_COLS,
 * SQL_COMMENT_COLS and SQL_PAGE_COLS is that of the field tables above; the joined article
 * columns after the own ones are read by each backend's article_row().
 */
/* body and html: the expressions read for body_md and body_html (NULL
 * where a query does not need the body); count: for comment_count (a
 * list's cards show it; one article's page counts with its comments,
 * store_comment_stats, so that a post, which reads the article too, does
 * not count them). */
#define SQL_ART_COUNT "(SELECT count(*) FROM comments m WHERE m.article_id = a.id AND m.status = 'approved')"
#define SQL_ART_COLS(body, html, count) \
    "a.id, a.slug, a.title, a.kicker, a.lead, " body ", a.source, a.video_url," \
    " a.image_url, a.image_alt, a.image_caption, a.status, a.comments_open," \
    " a.created_at, a.published_at, a.updated_at, coalesce(a.author_id, 0)," \
    " coalesce(a.category_id, 0), " html ", a.sticky, a.video, a.body_format," \
    " a.breaking, a.trashed_at, a.revision, coalesce(a.image_id, 0)," \
    " au.slug, au.name, c.slug, c.name," \
    " coalesce(c.parent_id, 0), " count ", coalesce(im.width, 0), coalesce(im.height, 0)," \
    " im.variants"
/* How many columns of SQL_ART_COLS follow the article's own. */
#define SQL_ART_JOINED 9

/* The featured image's media row is a primary-key lookup per row shown. */
#define SQL_ART_FROM "articles a LEFT JOIN authors au ON au.id = a.author_id" \
    " LEFT JOIN categories c ON c.id = a.category_id LEFT JOIN media im ON im.id = a.image_id"

#define SQL_CAT_COLS "id, coalesce(parent_id, 0), slug, name, description, position"
#define SQL_AUTHOR_COLS "id, slug, name, bio, email, avatar_url"
/* every column of a comment, for moderation (pages read the private ones as NULL) */
#define SQL_COMMENT_COLS "id, article_id, coalesce(parent_id, 0), author_name, author_email," \
    " author_url, body, ip, user_agent, status, created_at, fingerprint, coalesce(thread_no, 0)"
/* A page's threads (store_comment_threads): the top-level comments of the
 * page by their numbers (index comments_threads), then their approved
 * replies down the parent links (UNION: a cycle a hand edit made ends),
 * in the order written, so that parents come before replies whatever the
 * clocks said; params: article, limit, offset. */
#define SQL_COMMENT_THREADS(article, limit, offset) \
    "WITH RECURSIVE top(id) AS (SELECT id FROM comments WHERE article_id = " article \
    "  AND thread_no > " offset " AND thread_no <= " offset " + " limit \
    "  AND status = 'approved' AND parent_id IS NULL)," \
    " t(id) AS (SELECT id FROM top UNION SELECT c.id FROM comments c JOIN t" \
    "  ON c.parent_id = t.id WHERE c.status = 'approved')" \
    " SELECT id, article_id, coalesce(parent_id, 0), author_name, NULL, author_url, body," \
    " NULL, NULL, status, created_at, NULL, coalesce(thread_no, 0) FROM comments" \
    " WHERE id IN (SELECT id FROM t)" \
    " ORDER BY id"
#define SQL_COMMENT_STATS(article) \
    "SELECT (SELECT count(*) FROM comments WHERE article_id = " article " AND status = 'approved')," \
    " coalesce((SELECT thread_no FROM comments WHERE article_id = " article \
    "  AND thread_no IS NOT NULL AND status = 'approved' ORDER BY thread_no DESC LIMIT 1), 0)," \
    " coalesce((SELECT max(created_at) FROM comments WHERE article_id = " article \
    "  AND status = 'approved'), 0)"
/* The thread_no an imported comment's update leaves (store_comment_import),
 * from the row's old values and the parameters parent and article: 0 for
 * a reply, the old number for a comment staying top-level on its article,
 * else NULL, for the numbering triggers to decide. */
#define SQL_COMMENT_RENUMBER(parent, article) \
    "CASE WHEN " parent " IS NOT NULL THEN 0 WHEN parent_id IS NULL AND article_id = " article \
    " THEN thread_no END"
#define SQL_PAGE_COLS "id, slug, title, body_md, published, published_at, updated_at," \
    " coalesce(parent_id, 0), body_format, menu_order"
/* Whether page `id` is `parent` or one of its parents: the parent links
 * walked up from `parent` (UNION: a cycle a hand edit made ends). */
#define SQL_PAGE_CYCLE(parent, id) \
    "WITH RECURSIVE up(id) AS (SELECT " parent " UNION SELECT p.parent_id FROM pages p" \
    " JOIN up ON p.id = up.id WHERE p.parent_id IS NOT NULL)" \
    " SELECT count(*) FROM up WHERE id = " id
#define SQL_MEDIA_COLS "id, url, title, alt, caption, description, mime," \
    " coalesce(article_id, 0), created_at, width, height, bytes, variants, coalesce(user_id, 0)"
#define SQL_USER_COLS "u.id, u.login, u.pass_hash, u.role, u.disabled, u.created_at," \
    " au.id, au.slug, au.name, au.bio, au.email, au.avatar_url"
/* a user's author, after SQL_USER_COLS (users.id is authors.id) */
#define SQL_USER_FROM "users u JOIN authors au ON au.id = u.id"
#define SQL_SESSION_COLS "id_hash, user_id, created_at, seen_at, user_agent"
#define SQL_REVISION_COLS "id, article_id, coalesce(user_id, 0), created_at, revision," \
    " title, slug, kicker, lead, body_md, source, video_url, body_format"
/* the same for a list to choose from: the text but the title left NULL */
#define SQL_REVISION_BRIEF "id, article_id, coalesce(user_id, 0), created_at, revision," \
    " title, NULL, NULL, NULL, NULL, NULL, NULL, body_format"
#define SQL_IMPORT_COLS "source, kind, wp_id, guid, local_id, hash, ref"

/* The newsroom's reads and parameter writes (store_impl.h, store_nr), the
 * same text in both dialects but for P(n), the n-th parameter; LIKE, a
 * match case-insensitive for Latin letters (SQLite's LIKE, PostgreSQL's
 * ILIKE); ORDER, the collation names are ordered by (code points, as
 * SQLite orders them); NE, "is not" where NULL is a value; each text
 * wrapped by W into its statement table's entry, at index B + its number. */
#define SQL_NR_MEDIA_MATCH(P, LIKE) "(url " LIKE " " P " ESCAPE '\\' OR title " LIKE " " P \
    " ESCAPE '\\' OR alt " LIKE " " P " ESCAPE '\\')"
#define SQL_NR(B, W, P, LIKE, ORDER, NE) \
    [B + NR_USER_GET] = W("SELECT " SQL_USER_COLS " FROM " SQL_USER_FROM " WHERE u.id = " P(1)), \
    [B + NR_USER_BY_LOGIN] = W("SELECT " SQL_USER_COLS " FROM " SQL_USER_FROM " WHERE u.login = " P(1)), \
    [B + NR_USER_LIST] = W("SELECT " SQL_USER_COLS " FROM " SQL_USER_FROM " ORDER BY u.login" ORDER), \
    [B + NR_SESSION_GET] = W("SELECT " SQL_SESSION_COLS " FROM sessions WHERE id_hash = " P(1)), \
    [B + NR_SESSION_LIST] = W("SELECT " SQL_SESSION_COLS " FROM sessions WHERE user_id = " P(1) \
        " ORDER BY created_at DESC, id_hash" ORDER), \
    [B + NR_LOGIN_FAILURES] = W("SELECT count(*) FROM login_failures WHERE key = " P(1) \
        " AND at >= " P(2)), \
    [B + NR_REVISION_LIST] = W("SELECT " SQL_REVISION_BRIEF " FROM revisions WHERE article_id = " P(1) \
        " ORDER BY id DESC"), \
    [B + NR_REVISION_GET] = W("SELECT " SQL_REVISION_COLS " FROM revisions WHERE id = " P(1)), \
    [B + NR_COMMENT_QUEUE] = W("SELECT " SQL_COMMENT_COLS " FROM comments WHERE status = " P(1) \
        " ORDER BY created_at DESC, id DESC LIMIT " P(2) " OFFSET " P(3)), \
    [B + NR_COMMENT_QUEUE_ANY] = W("SELECT " SQL_COMMENT_COLS " FROM comments" \
        " ORDER BY created_at DESC, id DESC LIMIT " P(1) " OFFSET " P(2)), \
    [B + NR_COMMENT_COUNT] = W("SELECT count(*) FROM comments WHERE status = " P(1)), \
    [B + NR_COMMENT_COUNT_ANY] = W("SELECT count(*) FROM comments"), \
    [B + NR_MEDIA_SEARCH] = W("SELECT " SQL_MEDIA_COLS " FROM media WHERE " \
        SQL_NR_MEDIA_MATCH(P(1), LIKE) " ORDER BY created_at DESC, id DESC LIMIT " P(2) \
        " OFFSET " P(3)), \
    [B + NR_MEDIA_COUNT] = W("SELECT count(*) FROM media WHERE " SQL_NR_MEDIA_MATCH(P(1), LIKE)), \
    [B + NR_SESSION_TOUCH] = W("UPDATE sessions SET seen_at = " P(2) " WHERE id_hash = " P(1)), \
    [B + NR_SESSION_DELETE] = W("DELETE FROM sessions WHERE id_hash = " P(1)), \
    [B + NR_SESSION_DELETE_USER] = W("DELETE FROM sessions WHERE user_id = " P(1) \
        " AND id_hash " NE " " P(2)), \
    [B + NR_SESSION_PRUNE] = W("DELETE FROM sessions WHERE created_at < " P(1) " OR seen_at < " P(2)), \
    [B + NR_LOGIN_FAILED] = W("INSERT INTO login_failures(key, at) VALUES (" P(1) ", " P(2) ")"), \
    [B + NR_LOGIN_FORGET] = W("DELETE FROM login_failures WHERE at < " P(1)), \
    [B + NR_LOGIN_CLEAR] = W("DELETE FROM login_failures WHERE key = " P(1)), \
    /* an editor's save over what it read before the trash conflicts */ \
    [B + NR_ARTICLE_TRASH] = W("UPDATE articles SET trashed_at = " P(2) ", status = 'draft'," \
        " revision = revision + 1 WHERE id = " P(1)), \
    [B + NR_ARTICLE_RESTORE] = W("UPDATE articles SET trashed_at = 0, revision = revision + 1" \
        " WHERE id = " P(1)), \
    [B + NR_MEDIA_DELETE] = W("DELETE FROM media WHERE id = " P(1))
/* The row writes' column lists (each dialect names its parameters). */
#define SQL_NR_USER_INSERT "INSERT INTO users(id, login, pass_hash, role, disabled, created_at)"
#define SQL_NR_SESSION_INSERT "INSERT INTO sessions(id_hash, user_id, created_at, seen_at," \
    " user_agent)"
#define SQL_NR_REVISION_INSERT "INSERT INTO revisions(article_id, user_id, created_at, revision," \
    " title, slug, kicker, lead, body_md, source, video_url, body_format)"

#endif
