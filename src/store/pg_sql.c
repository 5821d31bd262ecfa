/*
 * pg_sql.c - the text of every fixed statement of the PostgreSQL backend,
 * indexed by statement id, and the assembly of the article list variants.
 * The queries are those of the SQLite backend (sqlite_sql.c) in
 * PostgreSQL's dialect: positional parameters, RETURNING for new ids,
 * LATERAL for the bounded related-articles walk, arrays where SQLite takes
 * JSON, and, since every statement here costs a round trip to the server,
 * fewer of them where SQLite steps several cheap ones (related articles,
 * the tags of a whole list). Names are ordered by code point (COLLATE "C"), as SQLite orders
 * them, so both backends list the same site the same way whatever the
 * database's locale.
 */
#include <stdio.h>
#include "store/pg_priv.h"

/* Visible at time parameter p (see store.h). */
#define PG_VISIBLE(p) "a.status IN ('published','scheduled') AND a.published_at <= " p

/* The mild boost of a search score for a recent article at time p, the
 * same as SQLite's (SQL_SEARCH_SCORE, sqlite_sql.h): up to 25% that
 * halves in about six weeks, 1 + 0.25 * exp(-age / 60 days). The
 * exponent is bounded: PostgreSQL's exp() fails where it would underflow
 * (an article dated some centuries back). */
#define PG_RECENCY(p) "(1.0 + 0.25 * exp(-least(greatest(" p " - a.published_at, 0)" \
    " / 5184000.0, 700.0)))"

const pg_stmt pg_sql[PS__COUNT] = {
    [PS_BEGIN] = { "BEGIN", NULL },
    [PS_BEGIN_READ] = { "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL },
    [PS_COMMIT] = { "COMMIT", NULL },
    [PS_ROLLBACK] = { "ROLLBACK", NULL },
    [PS_SAVEPOINT] = { "SAVEPOINT store_w", NULL },
    [PS_RELEASE] = { "RELEASE store_w", NULL },
    [PS_ROLLBACK_TO] = { "ROLLBACK TO store_w", NULL },

    [PS_ARTICLE_BY_SLUG] = { "SELECT " SQL_ART_COLS("a.body_md", "a.body_html", "0") " FROM " SQL_ART_FROM
        " WHERE a.slug = $1 AND " PG_VISIBLE("$2"), NULL },
    [PS_ARTICLE_BY_ID] = { "SELECT " SQL_ART_COLS("a.body_md", "a.body_html", "0") " FROM " SQL_ART_FROM
        " WHERE a.id = $1", NULL },
    /* the same inside a write: the row is kept from other writers until
     * the transaction ends, so that what it checked (the revision an
     * editor read) still holds when it writes, as under SQLite's single
     * writer */
    [PS_ARTICLE_LOCK] = { "SELECT " SQL_ART_COLS("a.body_md", "a.body_html", "0") " FROM " SQL_ART_FROM
        " WHERE a.id = $1 FOR UPDATE OF a", NULL },
    /* the tags of several articles at once (lists with tags: one round
     * trip, not one per article) */
    [PS_ARTICLE_TAGS] = { "SELECT x.article_id, t.id, t.slug, t.name FROM article_tags x"
        " JOIN tags t ON t.id = x.tag_id WHERE x.article_id = ANY($1::bigint[])"
        " ORDER BY x.article_id, t.name COLLATE \"C\"", NULL },
    /* Related articles in one statement: first those stored for $1 by
     * content (article_related), visible ones in their order; then, up to
     * $3, the ranking sqlite_read.c does in C: candidates from the
     * bounded tag walk (one row per shared tag: the first 16 tags, for
     * each the 64 newest articles carrying it) and the newest $3 of the
     * same category; most shared tags first, then same category, newest,
     * higher id. One round trip instead of a walk, a second walk and a
     * read per article. */
    [PS_RELATED] = { "WITH me AS (SELECT category_id FROM articles WHERE id = $1),"
        " stored AS (SELECT a.id, r.rank FROM article_related r JOIN articles a ON a.id = r.related_id"
        "  WHERE r.article_id = $1 AND a.id <> $1 AND " PG_VISIBLE("$2") " ORDER BY r.rank LIMIT $3),"
        " cand AS (SELECT a.id, a.published_at, 1 AS shared,"
        "   (a.category_id IS NOT DISTINCT FROM (SELECT category_id FROM me))::int AS same"
        "  FROM (SELECT tag_id FROM article_tags WHERE article_id = $1 LIMIT 16) m"
        "  CROSS JOIN LATERAL (SELECT o.article_id FROM article_tags o WHERE o.tag_id = m.tag_id"
        "   AND o.article_id <> $1 ORDER BY o.article_id DESC LIMIT 64) r"
        "  JOIN articles a ON a.id = r.article_id WHERE " PG_VISIBLE("$2")
        "  UNION ALL (SELECT a.id, a.published_at, 0, 1 FROM articles a"
        "  WHERE a.category_id = (SELECT category_id FROM me) AND " PG_VISIBLE("$2")
        "  AND a.id <> $1 ORDER BY a.published_at DESC, a.id DESC LIMIT $3)),"
        " pick AS (SELECT id, sum(shared) AS shared, max(same) AS same, max(published_at) AS pub"
        "  FROM cand WHERE id NOT IN (SELECT id FROM stored) GROUP BY id"
        "  ORDER BY 2 DESC, 3 DESC, 4 DESC, id DESC LIMIT $3 - (SELECT count(*) FROM stored)),"
        " shown AS (SELECT id, rank, 0 AS shared, 0 AS same, 0 AS pub FROM stored"
        "  UNION ALL SELECT id, NULL, shared, same, pub FROM pick)"
        " SELECT " SQL_ART_COLS("NULL", "NULL", "0") " FROM shown JOIN " SQL_ART_FROM " ON a.id = shown.id"
        " ORDER BY shown.rank NULLS LAST, shown.shared DESC, shown.same DESC, shown.pub DESC, a.id DESC",
        NULL },
    /* what a page's snapshot must know to trust the site-wide rows a
     * connection keeps (pg_read.c): the log's head, its oldest row, and
     * the newest change of kind STORE_DEP_ALL; and, as every page asks
     * when it stops being current, the earliest publication after $1 */
    [PS_SITE_CHECK] = { "SELECT h.seq, (SELECT min(seq) FROM changes),"
        " (SELECT max(seq) FROM changes WHERE kind = 1), (SELECT min(published_at) FROM articles"
        "  WHERE status IN ('published','scheduled') AND published_at > $1) FROM change_head h", NULL },
    [PS_NEXT_PUBLISH] = { "SELECT min(published_at) FROM articles"
        " WHERE status IN ('published','scheduled') AND published_at > $1", NULL },
    [PS_LAST_MODIFIED] = { "SELECT max(greatest(published_at, updated_at)) FROM articles a"
        " WHERE " PG_VISIBLE("$1"), NULL },
    [PS_COMMENT_LIST] = { "SELECT id, article_id, coalesce(parent_id, 0), author_name,"
        " NULL, author_url, body, NULL, NULL, status, created_at, NULL, coalesce(thread_no, 0) FROM comments"
        " WHERE article_id = $1 AND status = $2 ORDER BY created_at, id", NULL },
    [PS_COMMENT_LIST_ALL] = { "SELECT " SQL_COMMENT_COLS " FROM comments"
        " WHERE article_id = $1 AND status = $2 ORDER BY created_at, id", NULL },
    [PS_COMMENT_THREADS] = { SQL_COMMENT_THREADS("$1", "$2", "$3"), NULL },
    [PS_COMMENT_STATS] = { SQL_COMMENT_STATS("$1"), NULL },
    [PS_COMMENT_GET] = { "SELECT " SQL_COMMENT_COLS " FROM comments WHERE id = $1", NULL },
    [PS_COMMENT_RECENT] = { "SELECT " SQL_COMMENT_COLS " FROM comments"
        " WHERE $1::text IS NULL OR status = $1 ORDER BY created_at DESC, id DESC LIMIT $2", NULL },
    [PS_COMMENT_KNOWN] = { "SELECT count(*) FROM (SELECT 1 FROM comments WHERE status = 'approved'"
        " AND author_name = $1 AND coalesce(author_email, '') = $2 LIMIT 1) k", NULL },
    [PS_COMMENT_DUP] = { "SELECT count(*) FROM (SELECT 1 FROM comments WHERE article_id = $1"
        " AND fingerprint = $2 AND (ip = $3 OR (author_name = $4"
        "  AND coalesce(author_email, '') = coalesce($5, ''))) LIMIT 1) d",
        ":article :fp :ip :name :email" },

    [PS_CATEGORY_BY_SLUG] = { "SELECT " SQL_CAT_COLS " FROM categories WHERE slug = $1", NULL },
    [PS_CATEGORY_BY_ID] = { "SELECT " SQL_CAT_COLS " FROM categories WHERE id = $1", NULL },
    [PS_CATEGORY_LIST] = { "SELECT " SQL_CAT_COLS " FROM categories"
        " ORDER BY position, name COLLATE \"C\"", NULL },
    [PS_TAG_BY_SLUG] = { "SELECT id, slug, name FROM tags WHERE slug = $1", NULL },
    [PS_AUTHOR_BY_SLUG] = { "SELECT " SQL_AUTHOR_COLS " FROM authors WHERE slug = $1", NULL },
    [PS_AUTHOR_LIST] = { "SELECT " SQL_AUTHOR_COLS " FROM authors ORDER BY name COLLATE \"C\"", NULL },
    [PS_PAGE_BY_SLUG] = { "SELECT " SQL_PAGE_COLS " FROM pages WHERE slug = $1 AND published <> 0",
        NULL },
    [PS_PAGE_LIST] = { "SELECT " SQL_PAGE_COLS " FROM pages WHERE published <> 0"
        " ORDER BY title COLLATE \"C\"", NULL },
    [PS_REDIRECT] = { "SELECT from_path, to_path, status FROM redirects WHERE from_path = $1", NULL },
    [PS_SETTING_GET] = { "SELECT key, value FROM settings WHERE key = $1", NULL },
    [PS_SETTING_LIST] = { "SELECT key, value FROM settings ORDER BY key COLLATE \"C\"", NULL },

    [PS_AUTHOR_INSERT] = { "INSERT INTO authors(slug, name, bio, email, avatar_url)"
        " VALUES ($1, $2, $3, $4, $5) RETURNING id", ":slug :name :bio :email :avatar" },
    [PS_CATEGORY_INSERT] = { "INSERT INTO categories(parent_id, slug, name, description, position)"
        " VALUES ($1, $2, $3, $4, $5) RETURNING id", ":parent :slug :name :description :position" },
    [PS_CATEGORY_UPDATE] = { "UPDATE categories SET parent_id = $1, slug = $2, name = $3,"
        " description = $4, position = $5 WHERE id = $6", ":parent :slug :name :description :position :id" },
    [PS_TAG_INSERT] = { "INSERT INTO tags(slug, name) VALUES ($1, $2)"
        " ON CONFLICT (slug) DO NOTHING", NULL },
    [PS_ARTICLE_INSERT] = { "INSERT INTO articles(slug, title, kicker, lead, body_md, source,"
        " video_url, image_url, image_alt, image_caption, status, comments_open, created_at,"
        " published_at, updated_at, author_id, category_id, body_html, sticky, video, body_format,"
        " breaking, trashed_at, revision, image_id)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
        " $19, $20, $21, $22, $23, 0, $24) RETURNING id",
        ":slug :title :kicker :lead :body :source :video :image :image_alt :image_caption"
        " :status :comments_open :created :published :updated :author :category :body_html"
        " :sticky :is_video :format :breaking :trashed :image_id" },
    [PS_ARTICLE_UPDATE] = { "UPDATE articles SET slug = $1, title = $2, kicker = $3, lead = $4,"
        " body_md = $5, source = $6, video_url = $7, image_url = $8, image_alt = $9,"
        " image_caption = $10, status = CASE WHEN trashed_at = 0 THEN $11 ELSE 'draft' END,"
        " comments_open = $12, created_at = $13,"
        " published_at = $14, updated_at = $15, author_id = $16, category_id = $17,"
        " body_html = $18, sticky = $19, video = $20, body_format = $21, breaking = $22,"
        " image_id = $23, revision = revision + 1 WHERE id = $24 RETURNING revision",
        ":slug :title :kicker :lead :body :source :video :image :image_alt :image_caption"
        " :status :comments_open :created :published :updated :author :category :body_html"
        " :sticky :is_video :format :breaking :image_id :id" },
    [PS_ARTICLE_DELETE] = { "DELETE FROM articles WHERE id = $1", NULL },
    [PS_ARTICLE_TAG_INSERT] = { "INSERT INTO article_tags(article_id, tag_id) VALUES ($1, $2)"
        " ON CONFLICT DO NOTHING", NULL },
    /* drop only the tags not kept, so an update keeping its tags logs no change of them */
    [PS_ARTICLE_TAGS_KEEP] = { "DELETE FROM article_tags WHERE article_id = $1"
        " AND tag_id <> ALL($2::bigint[])", NULL },
    /* inserts nothing when the parent is missing or on another article */
    [PS_COMMENT_INSERT] = { "INSERT INTO comments(article_id, parent_id, author_name,"
        " author_email, author_url, body, ip, user_agent, status, created_at, fingerprint)"
        " SELECT $1::bigint, $2::bigint, $3, $4, $5, $6, $7, $8, $9, $10::bigint, $11"
        " WHERE EXISTS (SELECT 1 FROM articles WHERE id = $1::bigint)"
        " AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM comments"
        "  WHERE id = $2::bigint AND article_id = $1::bigint AND status = 'approved')) RETURNING id",
        ":article :parent :name :email :url :body :ip :ua :status :created :fp" },
    [PS_COMMENT_STATUS] = { "UPDATE comments SET status = $2 WHERE id = $1", NULL },
    [PS_COMMENT_DELETE] = { "DELETE FROM comments WHERE id = $1", NULL },
    [PS_PAGE_INSERT] = { "INSERT INTO pages(slug, title, body_md, published, published_at,"
        " updated_at, parent_id, body_format, menu_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
        " $9) RETURNING id",
        ":slug :title :body :published :published_at :updated :parent :format :menu_order" },
    [PS_PAGE_UPDATE] = { "UPDATE pages SET slug = $1, title = $2, body_md = $3, published = $4,"
        " published_at = $5, updated_at = $6, parent_id = $7, body_format = $8, menu_order = $9"
        " WHERE id = $10",
        ":slug :title :body :published :published_at :updated :parent :format :menu_order :id" },
    [PS_SETTING_SET] = { "INSERT INTO settings(key, value) VALUES ($1, $2)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value", ":key :value" },
    [PS_SETTING_ENSURE] = { "INSERT INTO settings(key, value) VALUES ($1, $2)"
        " ON CONFLICT (key) DO NOTHING", ":key :value" },
    [PS_REDIRECT_INSERT] = { "INSERT INTO redirects(from_path, to_path, status)"
        " VALUES ($1, $2, $3)", ":from :to :status" },
    [PS_CHANGES_HEAD] = { "SELECT seq FROM change_head", NULL },
    [PS_CHANGES_SINCE] = { "SELECT seq, kind, id FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        NULL },
    /* Visible matches of tsquery $1 (pg_search.c builds it from the
     * analyzer's terms), the $6 newest (STORE_SEARCH_RANKED), best first:
     * cover density with the title above the lead above the body, times
     * the recency boost both backends share (PG_RECENCY); ties newest
     * first. The matches are found by the GIN index alone (h, ids only:
     * no document is read to find them); only the ranked ones' documents
     * are read. The count (to one past $6: more matched) comes with each
     * row, so a page of results is one round trip; the wide columns are
     * joined for the rows shown only. */
    [PS_SEARCH] = { "WITH h AS MATERIALIZED (SELECT article_id FROM search_docs"
        "  WHERE doc @@ $1::tsquery),"
        " c AS (SELECT a.id, a.published_at FROM h JOIN articles a ON a.id = h.article_id"
        "  WHERE " PG_VISIBLE("$2") " AND a.id <> $3 ORDER BY a.id DESC LIMIT $6 + 1),"
        " k AS (SELECT id, published_at FROM c ORDER BY id DESC LIMIT $6),"
        " m AS (SELECT a.id, a.published_at, ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', d.doc,"
        "  $1::tsquery) * " PG_RECENCY("$2") " AS score, (SELECT count(*) FROM c) AS total"
        "  FROM k AS a JOIN search_docs d ON d.article_id = a.id"
        "  ORDER BY score DESC, a.published_at DESC, a.id DESC LIMIT $4 OFFSET $5)"
        " SELECT " SQL_ART_COLS("NULL", "NULL", "0") ", m.score, m.total, d.body"
        " FROM m JOIN " SQL_ART_FROM " ON a.id = m.id JOIN search_docs d ON d.article_id = m.id"
        " ORDER BY m.score DESC, m.published_at DESC, m.id DESC", NULL },
    /* the count alone (as far as one past the ranked), for a page past the
     * last match */
    [PS_SEARCH_COUNT] = { "SELECT count(*) FROM (SELECT 1 FROM search_docs d JOIN articles a"
        " ON a.id = d.article_id WHERE d.doc @@ $1::tsquery AND " PG_VISIBLE("$2")
        " AND a.id <> $3 LIMIT $4 + 1) x", NULL },
    /* the documents holding each term of $1 in its order, after the
     * number of documents (the term '') */
    [PS_SEARCH_TERMS] = { "SELECT coalesce(v.docs, 0) FROM unnest(array_prepend('', $1::text[]))"
        " WITH ORDINALITY t(term, i) LEFT JOIN search_vocab v ON v.term = t.term ORDER BY t.i",
        NULL },
    [PS_SEARCH_SOURCE] = { "SELECT title, lead, body_md, body_html, body_format = 'html' FROM articles WHERE id = $1",
        NULL },
    /* an unchanged document is not written again (nor recounted) */
    [PS_SEARCH_PUT] = { "INSERT INTO search_docs(article_id, title, lead, body, doc)"
        " VALUES ($1, $2, $3, $4, $5::tsvector) ON CONFLICT (article_id) DO UPDATE SET"
        " title = excluded.title, lead = excluded.lead, body = excluded.body, doc = excluded.doc"
        " WHERE search_docs.doc <> excluded.doc OR search_docs.title <> excluded.title"
        " OR search_docs.lead <> excluded.lead OR search_docs.body <> excluded.body", NULL },
    [PS_SEARCH_DELETE] = { "DELETE FROM search_docs WHERE article_id = $1", NULL },
    /* the counts first: the trigger then leaves them be (pg_schema.c) */
    [PS_SEARCH_CLEAR_VOCAB] = { "DELETE FROM search_vocab", NULL },
    [PS_SEARCH_CLEAR_DOCS] = { "DELETE FROM search_docs", NULL },
    /* the vocabulary's trigger stands aside until this transaction ends
     * (set_config's third argument: local to it) */
    [PS_SEARCH_DEFER_VOCAB] = { "SELECT set_config('nashra.vocab_deferred', 'on', true)", NULL },
    [PS_SEARCH_RECOUNT] = { "INSERT INTO search_vocab(term, docs)"
        " SELECT word, ndoc FROM ts_stat('SELECT doc FROM search_docs')"
        " UNION ALL SELECT '', count(*) FROM search_docs", NULL },
    /* the planner's statistics of a rebuilt index: until autovacuum
     * comes, it would plan for the empty tables */
    [PS_SEARCH_ANALYZE] = { "ANALYZE search_docs, search_vocab", NULL },
    [PS_ANALYZE] = { "ANALYZE", NULL },
    [PS_SEARCH_UNDEFER_VOCAB] = { "SELECT set_config('nashra.vocab_deferred', 'off', true)", NULL },
    /* ids $2 become ranks 0, 1...: ranks that keep their article are not
     * written, so a recomputation that changes nothing logs nothing */
    [PS_RELATED_SET] = { "WITH gone AS (DELETE FROM article_related WHERE article_id = $1"
        "  AND rank >= cardinality($2::bigint[]))"
        " INSERT INTO article_related(article_id, rank, related_id)"
        " SELECT $1, r.i - 1, r.id FROM unnest($2::bigint[]) WITH ORDINALITY r(id, i)"
        " ON CONFLICT (article_id, rank) DO UPDATE SET related_id = excluded.related_id"
        " WHERE article_related.related_id <> excluded.related_id", NULL },
    [PS_ARTICLE_IDS] = { "SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT $2", NULL },
    [PS_PAGE_BY_ID] = { "SELECT " SQL_PAGE_COLS " FROM pages WHERE id = $1", NULL },
    [PS_PAGE_LIST_ALL] = { "SELECT " SQL_PAGE_COLS " FROM pages ORDER BY id", NULL },
    [PS_TAG_LIST] = { "SELECT id, slug, name FROM tags ORDER BY name COLLATE \"C\"", NULL },
    [PS_COMMENT_LIST_ANY] = { "SELECT " SQL_COMMENT_COLS " FROM comments WHERE article_id = $1"
        " ORDER BY id", NULL },
    [PS_MEDIA_GET] = { "SELECT " SQL_MEDIA_COLS " FROM media WHERE id = $1", NULL },
    [PS_MEDIA_LIST] = { "SELECT " SQL_MEDIA_COLS " FROM media WHERE id > $1 ORDER BY id LIMIT $2",
        NULL },
    [PS_IMPORT_GET] = { "SELECT " SQL_IMPORT_COLS " FROM import_items"
        " WHERE source = $1 AND kind = $2 AND wp_id = $3", NULL },
    /* as on SQLite: this source's first, then the first recorded */
    [PS_IMPORT_BY_GUID] = { "SELECT " SQL_IMPORT_COLS " FROM import_items"
        " WHERE kind = $2 AND guid = $3 ORDER BY source <> $1, wp_id <> $4, source COLLATE \"C\", wp_id"
        " LIMIT 1",
        NULL },
    [PS_IMPORT_REFS] = { "SELECT " SQL_IMPORT_COLS " FROM import_items WHERE source = $1"
        " AND kind = $2 AND wp_id > $3 AND ref <> 0 ORDER BY wp_id LIMIT $4", NULL },
    [PS_COMMENT_PARENT] = { "SELECT ($1::bigint IS NULL OR EXISTS (SELECT 1 FROM comments"
        " WHERE id = $1::bigint AND article_id = $2 AND id <> $3))::int", ":parent :article :id" },
    [PS_PAGE_CYCLE] = { SQL_PAGE_CYCLE("$1::bigint", "$2"), ":parent :id" },
    /* numbered by the trigger comment_thread_no, as PS_COMMENT_INSERT is */
    [PS_COMMENT_IMPORT] = { "INSERT INTO comments(article_id, parent_id, author_name,"
        " author_email, author_url, body, ip, user_agent, status, created_at, fingerprint)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        ":article :parent :name :email :url :body :ip :ua :status :created :fp" },
    /* see ST_COMMENT_REPLACE: the trigger numbers what is left NULL */
    [PS_COMMENT_REPLACE] = { "UPDATE comments SET article_id = $1, parent_id = $2,"
        " author_name = $3, author_email = $4, author_url = $5, body = $6, ip = $7,"
        " user_agent = $8, status = $9, created_at = $10, fingerprint = $11,"
        " thread_no = " SQL_COMMENT_RENUMBER("$2::bigint", "$1::bigint") " WHERE id = $12",
        ":article :parent :name :email :url :body :ip :ua :status :created :fp :id" },
    [PS_MEDIA_INSERT] = { "INSERT INTO media(url, title, alt, caption, description, mime,"
        " article_id, created_at, width, height, bytes, variants, user_id) VALUES ($1, $2, $3,"
        " $4, $5, $6, $7, $8, $9, $10, $11, coalesce($12, ''), $13) RETURNING id",
        ":url :title :alt :caption :description :mime :article :created :width :height :bytes"
        " :variants :user" },
    [PS_MEDIA_UPDATE] = { "UPDATE media SET url = $1, title = $2, alt = $3, caption = $4,"
        " description = $5, mime = $6, article_id = $7, created_at = $8, width = $9,"
        " height = $10, bytes = $11, variants = coalesce($12, ''), user_id = $13 WHERE id = $14",
        ":url :title :alt :caption :description :mime :article :created :width :height :bytes"
        " :variants :user :id" },
    [PS_IMPORT_PUT] = { "INSERT INTO import_items(source, kind, wp_id, guid, local_id, hash, ref)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source, kind, wp_id) DO UPDATE SET"
        " guid = excluded.guid, local_id = excluded.local_id, hash = excluded.hash,"
        " ref = excluded.ref", ":source :kind :wp_id :guid :local :hash :ref" },
    [PS_REDIRECT_PUT] = { "INSERT INTO redirects(from_path, to_path, status) VALUES ($1, $2, $3)"
        " ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path,"
        " status = excluded.status", ":from :to :status" },
    [PS_CHANGES_PRUNE] = { "DELETE FROM changes WHERE seq <= (SELECT seq FROM change_head) - 10000",
        NULL },

#define PG_P(n) "$" #n
#define PG_W(text) { text, NULL }
    SQL_NR(PS_NR, PG_W, PG_P, "ILIKE", " COLLATE \"C\"", "IS DISTINCT FROM"),
    [PS_NR + NR_USER_INSERT] = { SQL_NR_USER_INSERT " VALUES ($1, $2, $3, $4, $5, $6)",
        ":id :login :pass :role :disabled :created" },
    [PS_NR + NR_USER_UPDATE] = { "UPDATE users SET login = $1, pass_hash = $2, role = $3,"
        " disabled = $4 WHERE id = $5", ":login :pass :role :disabled :id" },
    [PS_NR + NR_SESSION_INSERT] = { SQL_NR_SESSION_INSERT " VALUES ($1, $2, $3, $4, $5)",
        ":id_hash :user :created :seen :ua" },
    [PS_NR + NR_REVISION_INSERT] = { SQL_NR_REVISION_INSERT " VALUES ($1, $2, $3, $4, $5, $6,"
        " $7, $8, $9, $10, $11, $12) RETURNING id",
        ":article :user :created :revision :title :slug :kicker :lead :body :source :video"
        " :format" },
    [PS_NR + NR_COMMENT_UPDATE] = { "UPDATE comments SET author_name = $1, author_email = $2,"
        " author_url = $3, body = $4 WHERE id = $5", ":name :email :url :body :id" },
};

/* Filters of the list variants, each with its parameter's number taken
 * in turn after $1 now, $2 exclude, $3 since. */
static const struct {
    int flag;
    const char *fmt; /* one %d: the parameter number, if it takes one */
    int params;      /* 1 or 0 */
} pg_list_filters[] = {
    { PG_QF_CATEGORY, " AND a.category_id IN (WITH RECURSIVE sub(id) AS (SELECT $%d::bigint"
                      " UNION SELECT k.id FROM categories k JOIN sub ON k.parent_id = sub.id)"
                      " SELECT id FROM sub)", 1 },
    { PG_QF_TAG, " AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = $%d)", 1 },
    { PG_QF_AUTHOR, " AND a.author_id = $%d", 1 },
    /* the condition of the partial index articles_sticky */
    { PG_QF_STICKY, " AND a.sticky <> 0", 0 },
};

/* As on SQLite: pick the ids first (filters, order, limit), then join the
 * wide columns for the rows shown only. */
void pg_list_sql(char *buf, size_t size, int mask, bool count)
{
    char where[1024];
    int p = 4;
    int n = snprintf(where, sizeof where, "FROM articles a WHERE " PG_VISIBLE("$1")
                     " AND a.id <> $2 AND a.published_at >= $3");
    for (size_t i = 0; i < sizeof pg_list_filters / sizeof pg_list_filters[0]; i++)
        if (mask & pg_list_filters[i].flag) {
            n += snprintf(where + n, sizeof where - (size_t)n, pg_list_filters[i].fmt, p);
            p += pg_list_filters[i].params;
        }
    if (count)
        snprintf(buf, size, "SELECT count(*) %s", where);
    else
        snprintf(buf, size,
                 "SELECT " SQL_ART_COLS("CASE WHEN $%d::int <> 0 THEN a.body_md END",
                                       "CASE WHEN $%d::int <> 0 THEN a.body_html END", SQL_ART_COUNT)
                 " FROM " SQL_ART_FROM " JOIN (SELECT a.id %s"
                 " ORDER BY a.published_at DESC, a.id DESC LIMIT $%d OFFSET $%d)"
                 " pick ON pick.id = a.id ORDER BY a.published_at DESC, a.id DESC",
                 p, p, where, p + 1, p + 2);
}
