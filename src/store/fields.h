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
    store_setting_fields, store_media_fields, store_import_fields;

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
    " au.slug, au.name, c.slug, c.name," \
    " coalesce(c.parent_id, 0), " count

#define SQL_ART_FROM "articles a LEFT JOIN authors au ON au.id = a.author_id" \
    " LEFT JOIN categories c ON c.id = a.category_id"

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
    " coalesce(article_id, 0), created_at"
#define SQL_IMPORT_COLS "source, kind, wp_id, guid, local_id, hash, ref"

#endif
