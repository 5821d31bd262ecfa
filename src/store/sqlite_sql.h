/*
 * sqlite_sql.h - SQL fragments shared by the fixed statements and the
 * article list variants, private to the SQLite backend. The column order of
 * SQL_ART_COLS, SQL_CAT_COLS, SQL_AUTHOR_COLS and SQL_PAGE_COLS is the
 * contract of the field tables in sqlite_sql.c (and of article_row() in
 * sqlite_read.c for the joined article columns).
 */
#ifndef NS_STORE_SQLITE_SQL_H
#define NS_STORE_SQLITE_SQL_H

/* Visible: published or scheduled, and due, so scheduled articles go live
 * by themselves when their time comes; newest-first lists walk the index
 * articles(published_at) backwards from :now (the unary + keeps the
 * planner off the status index, which would need a sort). */
#define SQL_VISIBLE "+a.status IN ('published','scheduled') AND a.published_at <= :now"

/* body and html: the expressions read for body_md and body_html (NULL
 * where a query does not need the body). */
#define SQL_ART_COLS(body, html) \
    "a.id, a.slug, a.title, a.kicker, a.lead, " body ", a.source, a.video_url," \
    " a.image_url, a.image_alt, a.image_caption, a.status, a.comments_open," \
    " a.created_at, a.published_at, a.updated_at, coalesce(a.author_id, 0)," \
    " coalesce(a.category_id, 0), " html ", au.slug, au.name, c.slug, c.name," \
    " coalesce(c.parent_id, 0), (SELECT count(*) FROM comments m" \
    "  WHERE m.article_id = a.id AND m.status = 'approved')"

#define SQL_ART_FROM "articles a LEFT JOIN authors au ON au.id = a.author_id" \
    " LEFT JOIN categories c ON c.id = a.category_id"

/* Bounds of the related-articles walk (ST_RELATED_SHARED). */
#define SQL_RELATED_TAGS "16"
#define SQL_RELATED_PER_TAG "64"

#define SQL_STR_(x) #x
#define SQL_STR(x) SQL_STR_(x)

#define SQL_CAT_COLS "id, coalesce(parent_id, 0), slug, name, description, position"
#define SQL_AUTHOR_COLS "id, slug, name, bio, email, avatar_url"
#define SQL_PAGE_COLS "id, slug, title, body_md, published, published_at, updated_at"

#endif
