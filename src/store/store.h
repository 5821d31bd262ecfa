/*
 * store.h - the storage interface. Every SQL statement of nashra lives
 * behind this header, in one of two backends chosen at run time by the
 * location a site is opened with: SQLite (store/sqlite*.c, a database
 * file, the default) or PostgreSQL (store/pg*.c, a postgresql:// URL).
 * Nothing above it knows about SQL or which backend runs.
 *
 * A store_t is one database connection and must be used by one thread at a
 * time; the HTTP layer keeps one per worker thread. Results are returned as
 * plain structs whose strings and arrays are allocated on the arena the
 * caller passes, so they live exactly as long as the request.
 *
 * Times are Unix seconds UTC. "Visible" articles are those with status
 * published or scheduled and published_at <= now: a scheduled article
 * appears by itself when its time comes, with no job to flip its status.
 */
#ifndef NS_STORE_STORE_H
#define NS_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "search/query.h"

typedef struct store store_t;

typedef enum {
    ARTICLE_DRAFT, ARTICLE_PENDING, ARTICLE_SCHEDULED, ARTICLE_PUBLISHED
} article_status;

typedef enum {
    COMMENT_PENDING, COMMENT_APPROVED, COMMENT_SPAM, COMMENT_TRASH
} comment_status;

/* What an article's or a page's body_md holds: Markdown (what editors
 * write, rendered by render/markdown.h) or HTML (an imported site's,
 * sanitised by render/html.h to the same allowlist). Stored as the text
 * "markdown" / "html". */
typedef enum { BODY_MARKDOWN, BODY_HTML } body_format;

typedef struct store_author {
    int64_t id;
    const char *slug, *name, *bio, *email, *avatar_url;
} store_author;

typedef struct store_category {
    int64_t id, parent_id;        /* parent_id 0: top level */
    const char *slug, *name, *description;
    int position;                 /* order in navigation */
} store_category;

typedef struct store_tag {
    int64_t id;
    const char *slug, *name;
} store_tag;

typedef struct store_article {
    int64_t id;
    const char *slug, *title, *kicker, *lead;
    const char *body_md;          /* the body's source, as body_format says */
    body_format body_format;
    /* body_md rendered to sanitised HTML by the writer (render/markdown.h),
     * read with body_md. NULL: not rendered, or cleared by the database
     * because body_md changed without it; readers then render body_md. The
     * store never renders: it only keeps what the writer gave. */
    const char *body_html;
    const char *source;           /* dateline/source prefix, e.g. «وطن» */
    const char *video_url;        /* NULL/"" : no video */
    const char *image_url, *image_alt, *image_caption; /* featured image */
    article_status status;
    bool comments_open;
    bool sticky;                  /* shown first on the home page */
    bool video;                   /* a video report (the headline's «(شاهد)»),
                                     with or without video_url */
    bool breaking;                /* breaking news: marked on cards and the page */
    /* In the trash since this time (0: not). A trashed article is kept as a
     * draft (invisible); restoring it clears trashed_at and leaves it a draft. */
    int64_t trashed_at;
    /* Incremented by the store on every store_article_update (never by the
     * caller): an editor saves only over the revision it read, so a second
     * editor's save cannot silently overwrite the first's (admin editor). */
    int64_t revision;
    int64_t image_id;             /* featured image's media row; 0: none (image_url
                                     may still name one, as imports leave it) */
    /* Filled by reads from the media row of image_id (0 / NULL without
     * one): the original's size, and its variants' widths ("320,640"),
     * for srcset, width and height on cards and pages. */
    int image_width, image_height;
    const char *image_variants;
    int64_t created_at, published_at, updated_at;
    int64_t author_id, category_id;
    /* Filled by reads: */
    store_author author;          /* author.id == 0 if none */
    store_category category;      /* primary category, id 0 if none */
    store_tag *tags; size_t ntags;/* only where documented */
    int64_t comment_count;        /* approved comments */
} store_article;

typedef struct store_comment {
    int64_t id, article_id, parent_id; /* parent_id 0: top level */
    const char *author_name, *author_email, *author_url, *body;
    /* ip: the client address as a keyed hash (never the address itself);
     * fingerprint: a hash of the text, so that the same text posted twice
     * is found by an index (store_comment_insert). */
    const char *ip, *user_agent;
    comment_status status;
    int64_t created_at;
    const char *fingerprint;
    /* A top-level comment's number among its article's threads (1, 2…,
     * given when it is approved, by nashra's insert or by a trigger for
     * any other writer; never reused); 0 for a reply; 0 when read for a
     * comment not yet approved. Comment pages are ranges of it, so a
     * thread's page is known without counting, and a held comment takes
     * no place on one. */
    int64_t thread_no;
} store_comment;

typedef struct store_page {
    int64_t id;
    const char *slug, *title, *body_md;
    bool published;
    int64_t published_at, updated_at;
    int64_t parent_id;            /* 0: top level */
    body_format body_format;
    int menu_order;               /* order among its siblings */
} store_page;

typedef struct store_redirect {
    const char *from_path, *to_path; /* decoded UTF-8 paths, e.g. "/2022/03/31/سلاح/" */
    int status;                      /* 301 or 302 */
} store_redirect;

/* A file of the site's media library: an image or a document attached to
 * articles. */
typedef struct store_media {
    int64_t id;
    const char *url;              /* a site path ("/uploads/2022/03/x.jpg", the file
                                     under DIR/uploads/) or an absolute URL kept as it was */
    const char *title, *alt, *caption, *description, *mime;
    int64_t article_id;           /* the article it was attached to; 0: none */
    int64_t created_at;
    int width, height;            /* pixels of the original (0: unknown, not an image) */
    int64_t bytes;                /* size of the original file (0: unknown) */
    /* Widths of the resized variants made so far, ascending, comma separated
     * ("320,640,1280"; "" while none is made). Each width w exists as
     * NAME-w.webp and NAME-w.jpg beside the original (media/image.h). */
    const char *variants;
    int64_t user_id;              /* who uploaded it; 0: imported */
} store_media;

/* What a site imported from another one (src/import/): the row each of
 * the other site's items became, so that importing again updates rather
 * than duplicates. */
typedef enum {
    IMPORT_AUTHOR = 1, IMPORT_CATEGORY, IMPORT_TAG, IMPORT_POST, IMPORT_PAGE,
    IMPORT_ATTACHMENT, IMPORT_COMMENT
} import_kind;

typedef struct store_import_item {
    const char *source;           /* the other site's address (WXR base_site_url) */
    import_kind kind;
    int64_t wp_id;                /* the item's id there */
    const char *guid;             /* its GUID (posts, pages, attachments), else NULL or "" */
    int64_t local_id;             /* the row here (articles, pages, media, comments,
                                     categories, tags, authors by kind) */
    const char *hash;             /* digest of the item as last imported */
    int64_t ref;                  /* an id of the other site to resolve once
                                     everything is in (a post's featured image, a
                                     page's parent); 0: none */
} store_import_item;

/* ---- the newsroom: people who sign in, their sessions, revisions ---- */

/* Roles with WordPress's meaning, each able to do all the lower ones can:
 * a contributor writes own drafts and submits them for review, an author
 * publishes own articles, an editor handles everyone's articles, comments
 * and categories, an admin also users and settings. Stored as their
 * names ("contributor"...). */
typedef enum {
    ROLE_NONE = 0, ROLE_CONTRIBUTOR, ROLE_AUTHOR, ROLE_EDITOR, ROLE_ADMIN
} user_role;

/* Someone who signs in to /admin. Every user is an author (the byline
 * they write under): users.id is authors.id. */
typedef struct store_user {
    int64_t id;                   /* = author id */
    const char *login;            /* unique sign-in name */
    const char *pass_hash;        /* crypto_pwhash_str text; NULL/"": cannot sign in */
    user_role role;
    bool disabled;                /* cannot sign in; sessions refused */
    int64_t created_at;
    store_author author;          /* filled by reads */
} store_user;

/* A signed-in browser. The cookie holds a random id; the store only ever
 * sees its keyed hash (core/secret.h secret_hash). */
typedef struct store_session {
    const char *id_hash;          /* key */
    int64_t user_id;
    int64_t created_at;           /* absolute expiry counts from here */
    int64_t seen_at;              /* idle expiry counts from here */
    const char *user_agent;       /* shown on the user's sessions list; may be NULL */
} store_session;

/* One saved state of an article's text (every save keeps one). */
typedef struct store_revision {
    int64_t id, article_id;
    int64_t user_id;              /* who saved it; 0: unknown (command line, import) */
    int64_t created_at;
    int64_t revision;             /* the article's revision number this text became */
    const char *title, *slug, *kicker, *lead, *body_md, *source, *video_url;
    body_format body_format;
} store_revision;

/* The newsroom's list of articles: any status, filtered. */
typedef struct store_admin_query {
    int status;                   /* -1: any but trashed; else an article_status */
    bool trashed;                 /* only trashed ones (status ignored) */
    int64_t category_id, author_id; /* 0: any (category without descendants) */
    const query_t *text;          /* NULL: none; else the articles matching every group */
    int limit, offset;            /* limit 1..100 */
} store_admin_query;

typedef struct store_setting {
    const char *key, *value;
} store_setting;

/* Selection of visible articles for lists, archives, feeds and sitemaps. */
typedef struct store_query {
    int64_t category_id;  /* 0: any; else this category and its descendants */
    int64_t tag_id;       /* 0: any */
    int64_t author_id;    /* 0: any */
    int64_t exclude_id;   /* 0: none */
    int64_t since;        /* published_at >= since; 0: no bound */
    int64_t now;          /* visibility cut-off (required) */
    int limit, offset;    /* limit 1..1000 */
    bool with_body;       /* fill body_md and body_html (feeds) */
    bool with_tags;       /* fill tags/ntags */
    /* the page shows each article's comment_count (always filled): it
     * then depends on each one's comments (STORE_DEP_COMMENTS), and is
     * dropped when one of them gets a comment */
    bool with_comments;
    bool sticky_only;     /* only sticky articles (the home page's first) */
} store_query;

/* A list of articles (a struct tag, not a typedef: store_article_list is
 * also the function that fills it). */
struct store_article_list {
    store_article *items; /* on the arena */
    size_t n;
};

/* Text of a status as stored in the database (and as the command line
 * names it); NULL if out of range. */
const char *store_article_status_name(article_status st);
const char *store_comment_status_name(comment_status st);
const char *store_user_role_name(user_role r);
/* Role from its stored name; ROLE_NONE for an unknown one. */
user_role store_user_role_parse(const char *name);

/* Status from its stored name; unknown or NULL names read as the first. */
article_status store_article_status_parse(const char *name);
comment_status store_comment_status_parse(const char *name);

enum { STORE_CREATE = 1, STORE_READONLY = 2 };

/* Open the site database at `location`: a postgresql:// (or postgres://)
 * URL selects PostgreSQL, anything else is the path of a SQLite file.
 * Pending schema migrations run (not with STORE_READONLY).
 * - NS_ENOTFOUND: no nashra site there and not STORE_CREATE (a missing
 *   file; a PostgreSQL database without nashra's tables);
 * - NS_ECORRUPT: not a nashra database (another application's tables, a
 *   damaged or foreign file);
 * - NS_EINVAL: the schema is newer than this binary, or a bad location;
 * - NS_EBUSY: locked; NS_EUNAVAIL: the server cannot be reached (refused,
 *   timed out, authentication failed).
 * Caller owns *out. */
int store_open(const char *location, int flags, store_t **out);
/* True if location names a PostgreSQL database. */
bool store_location_is_pg(const char *location);
/* location fit for a log line or a message: a password in a URL (or a
 * password= parameter) replaced by "***". Written to out (size bytes,
 * truncated, always terminated); returns out. */
const char *store_location_safe(const char *location, char *out, size_t size);
void store_close(store_t *s);

/* Current schema version number (after migrations). */
int store_schema_version(store_t *s);

/* ---- what pages are built from, and what writes change ----
 * A page depends on a few keys: the site-wide rows (settings, categories,
 * authors, tags, pages: every page shows some of them), which articles are
 * visible and in what order (every list, archive, feed and sitemap, and the
 * "no such slug" answer), one article's row and tags, one article's
 * approved comments, the redirects, and the latest modification time of
 * the visible articles (feeds' and lists' dates). Reads made while a
 * store_deps is tracked (store_track) record the keys of what they read;
 * every write records the keys it touched in a change log written in the
 * same transaction (by triggers, so a raw SQL change made from outside is
 * recorded too). A cache keeps the first list with each page and drops a
 * page when the log names one of its keys. */
#define STORE_DEP_ALL 1        /* site-wide rows; every page depends on it */
#define STORE_DEP_LIST 2       /* visible articles: membership and order */
#define STORE_DEP_ARTICLE 3    /* one article (id): its row and tags */
#define STORE_DEP_COMMENTS 4   /* one article's (id) approved comments */
#define STORE_DEP_REDIRECTS 5  /* the redirects table */
#define STORE_DEP_MODIFIED 6   /* latest modification time of visible articles */
typedef uint64_t store_dep;
#define STORE_DEP(kind, id) (((uint64_t)(kind) << 56) | ((uint64_t)(id) & ((UINT64_C(1) << 56) - 1)))
#define STORE_DEP_KIND(d) ((int)((d) >> 56))

/* A set of keys on an arena. `failed` is the first error (other than
 * NS_ENOTFOUND) any read returned while the set was tracked: a page built
 * in spite of one (a handler that went on without its navigation) is not
 * the page the store holds, and must be neither cached nor served as if it
 * were. */
typedef struct store_deps {
    arena_t *arena;
    store_dep *v;
    size_t n, cap;
    int failed;
} store_deps;

/* Empty set whose array grows on arena a. */
void store_deps_init(store_deps *d, arena_t *a);
/* Add dep unless already there. */
void store_deps_add(store_deps *d, store_dep dep);
/* True if dep is in d. */
bool store_deps_has(const store_deps *d, store_dep dep);

/* Record the keys of every read through s into d from now on (NULL: stop).
 * d must outlive the tracking. */
void store_track(store_t *s, store_deps *d);

/* Changes logged after a given sequence number. `all` is set when they
 * cannot be listed (the log was pruned past `since`, or holds too many to
 * be worth listing): then every page must be dropped. */
typedef struct store_changes {
    store_dep *deps;   /* on the arena, each key once */
    size_t n;
    int64_t last;      /* sequence number of the newest change seen */
    bool all;
} store_changes;

/* Sequence number of the newest logged change (0: none). */
int store_changes_head(store_t *s, int64_t *seq);
/* The keys changed after `since`, read in one snapshot, onto arena a. */
int store_changes_since(store_t *s, arena_t *a, int64_t since, store_changes *out);

/* Whether anything was committed since the last call on s, by any
 * connection, process or node, or through s itself; *changed is true on
 * the first call. Meant to be asked once per event-loop iteration: a
 * commit that completed before the question is always seen (SQLite: the
 * file's change counter, a few microseconds; PostgreSQL: the change log's
 * head, one round trip, as a notification may still be on its way when
 * the writer is told it committed). On error *changed is true as well and
 * the code is returned (NS_EUNAVAIL: the server is unreachable), so a
 * cache that cannot vouch for its pages drops them. Ask outside a read
 * snapshot. */
int store_changed(store_t *s, bool *changed);

/* Check the database is reachable and sound (SQLite: a full integrity
 * check; PostgreSQL: the server answers and the schema is nashra's).
 * NS_ECORRUPT on damage. */
int store_check(store_t *s);

/* The write path. Run fn(s, arg) as one write transaction, begun outside
 * any read snapshot and retried from the start, fn included, with
 * exponential backoff while the database stays busy (a lock held past the
 * backend's wait, a serialization failure), up to STORE_WRITE_TRIES
 * times; then NS_EBUSY. fn's error rolls everything back and is returned.
 * Inside a caller's store_begin() it runs in a savepoint instead. Calling
 * it inside store_read_begin() is a bug: NS_EINTERNAL. Every single-row
 * write below goes through it. */
#define STORE_WRITE_TRIES 4
int store_write(store_t *s, int (*fn)(store_t *s, void *arg), void *arg);

/* An explicit write transaction for a batch of writes (the demo seeder,
 * db copy, later the importer), begun like store_write's. */
int store_begin(store_t *s);
int store_commit(store_t *s);
int store_rollback(store_t *s);
/* True while s holds a transaction open (read or write). */
bool store_in_transaction(store_t *s);

/* One consistent snapshot for a whole page: every read between the two
 * sees the database as of the first read. store_read_end ends the
 * snapshot (s is never left inside it, even when ending it failed). No
 * writes inside: use store_write outside the snapshot. */
int store_read_begin(store_t *s);
int store_read_end(store_t *s);

/* Fault injection, for tests: the nth statement step from now (1: the
 * next) fails with code (NS_EBUSY, NS_ECORRUPT, NS_EIO for a full disk,
 * NS_EUNAVAIL for a lost server), once, or at every step from then on when
 * `sticky`; nth 0 disarms. */
void store_fault(store_t *s, uint64_t nth, int code, bool sticky);
/* Statement steps made through s so far (for fault-injection loops and for
 * tests bounding the work of a query). */
uint64_t store_steps(store_t *s);

/* Make every later commit through s durable before it returns: on disk,
 * not only in the operating system's cache (SQLite: synchronous=FULL for
 * this connection; PostgreSQL: synchronous_commit on). For writes a
 * person was told are done (comments); other writes keep the cheaper
 * default, which survives a crash of the process but not of the machine. */
int store_durable(store_t *s);

/* s will go through most of the database once (an import, an export):
 * it reads through its bounded page cache rather than mapping the file,
 * so the process's memory stays that cache's size whatever the site's
 * (SQLite: mmap_size 0 for this connection; PostgreSQL: nothing to do). */
int store_streaming(store_t *s);

/* ---- reads: results on arena a; NS_ENOTFOUND when there is no row ---- */

/* Visible article by slug, with author, category and tags (comment_count
 * is left 0: store_comment_count counts an article's comments). */
int store_article_by_slug(store_t *s, arena_t *a, const char *slug, int64_t now, store_article *out);
/* Any article by id whatever its status, same fields. Read inside a
 * write transaction, the row is kept from other writers until it ends: a
 * check made on it (the revision an editor read) holds for the write. */
int store_article_by_id(store_t *s, arena_t *a, int64_t id, store_article *out);
/* Visible articles, newest first, with author and category (and body/tags if asked). */
int store_article_list(store_t *s, arena_t *a, const store_query *q, struct store_article_list *out);
/* Number of visible articles matching q (limit/offset ignored). */
int store_article_count(store_t *s, const store_query *q, int64_t *count);
/* Related to article id, visible ones only and never itself: first those
 * stored for it by content (store_related_compute), in their order; then,
 * up to limit, those sharing most tags, then the same category, newest
 * first. Depends on LIST and on each article shown. */
int store_article_related(store_t *s, arena_t *a, int64_t id, int64_t now, int limit, struct store_article_list *out);
/* ---- search: the index holds every article's title, lead and body text
 * (terms_body_text) as search/terms.h's terms, whatever its status; a
 * search shows only visible articles. The index is written in the same
 * transaction as the article (store_article_insert/update/delete), by
 * nashra only: a row changed by another program is indexed again by
 * store_reindex. */
typedef struct store_search_query {
    const query_t *query;  /* at least one group */
    bool any;              /* a match needs one group; false: every group */
    int64_t now;           /* visibility cut-off */
    int64_t exclude_id;    /* 0: none */
    int limit, offset;     /* limit 1..100 */
} store_search_query;

typedef struct store_search_hit {
    /* card fields, author and category, as store_article_list gives them
     * (no body, no tags, comment_count 0) */
    store_article article;
    const char *text;      /* the body's indexed text, for a snippet */
    double score;          /* higher is better; only the order means anything */
} store_search_hit;

/* A search ranks at most this many matches: the newest (by id) when more
 * match. A word in half the archive would otherwise cost a score for
 * every article holding it; a reader wants the best of the recent ones,
 * and pages past the hundredth are never read. */
#define STORE_SEARCH_RANKED 1000

typedef struct store_search_result {
    store_search_hit *hits; /* on the arena, best first */
    size_t n;
    int64_t total;          /* matching visible articles ranked */
    bool more;              /* more matched than STORE_SEARCH_RANKED (= total) */
} store_search_result;

/* Visible articles matching q, best first (a single function word, as
 * terms_is_stopword says, is left out of a query that has other words): SQLite by bm25, PostgreSQL by
 * ts_rank_cd, each with the title weighted above the lead above the body,
 * times a mild boost for recent articles (ties: newest first). Both
 * backends find the same articles. A page of results depends on LIST,
 * MODIFIED (any visible article's change may change what matches) and
 * each article shown. */
int store_search(store_t *s, arena_t *a, const store_search_query *q, store_search_result *out);

/* For each of terms[0..n), the number of indexed articles holding it
 * (0: none), into counts[i]; the number of indexed articles into *ndocs.
 * For spelling suggestions and for choosing an article's distinctive
 * terms. n <= 2000. */
int store_search_terms(store_t *s, const char *const *terms, size_t n, int64_t *counts,
                       int64_t *ndocs);

/* Choose article id's related articles by content and store them: its
 * most distinctive terms (stopwords skipped; term frequency, the title's
 * counted thrice and the lead's twice, times inverse document frequency),
 * then the visible articles best matching any of them. Inside a write
 * transaction; article_insert and article_update call it. */
int store_related_compute(store_t *s, int64_t id);

/* Rebuild the whole index, then every article's related articles, from
 * the articles table, and record the analyzer's version (TERMS_VERSION).
 * The index is rebuilt in one write transaction; related articles in
 * transactions of a few hundred articles. progress (may be NULL) is
 * called now and then with the phase ("index" or "related"), articles
 * done and total. Not inside a transaction. */
int store_reindex(store_t *s, void (*progress)(void *arg, const char *phase, int64_t done,
                                               int64_t total), void *arg);

/* The index phase of store_reindex alone: the related articles and the
 * recorded version are left as they are (a copy of a site, whose
 * related articles were copied with it). Not inside a transaction. */
int store_search_rebuild(store_t *s, void (*progress)(void *arg, const char *phase, int64_t done,
                                                     int64_t total), void *arg);

/* The related phase of store_reindex alone: every article's related
 * articles chosen again from the index as it is (after a load that
 * indexed its articles with store_article_index). Not inside a
 * transaction. */
int store_related_rebuild(store_t *s, void (*progress)(void *arg, const char *phase, int64_t done,
                                                      int64_t total), void *arg);

/* Index article id as its row now is, replacing what the index held for
 * it, its related articles left as they are: for a load that defers
 * indexing (store_index_defer) and relates everything at its end. Inside
 * a write transaction. */
int store_article_index(store_t *s, int64_t id);
/* After such a load: what the index derives from all its documents
 * (PostgreSQL's counts of each term, which a deferred load leaves to this)
 * counted again, in one write transaction. Not inside a transaction. */
int store_search_recount(store_t *s);

/* While `deferred`, article writes through s leave the search index and
 * the related articles as they were: a load of many articles (the demo
 * content, an import) that ends with store_reindex, rather than indexing
 * and relating each article as it comes. */
void store_index_defer(store_t *s, bool deferred);

/* Whether the index was built by this analyzer (TERMS_VERSION) or the
 * site has no article yet; if not, store_reindex. Called by whoever
 * starts a site (nashra serve) before it serves. */
int store_search_ready(store_t *s, void (*progress)(void *arg, const char *phase, int64_t done,
                                                   int64_t total), void *arg);

/* Earliest published_at > now of a published or scheduled article, 0 if none:
 * when a cached page stops being current. */
int store_next_publish(store_t *s, int64_t now, int64_t *when);
/* Latest published_at/updated_at among visible articles (feeds' dates). */
int store_last_modified(store_t *s, int64_t now, int64_t *when);

/* Comments of an article with given status, oldest first (threads are built
 * above), for display: the private author_email, ip and user_agent are
 * left NULL, so pages neither copy nor could leak them. */
int store_comment_list(store_t *s, arena_t *a, int64_t article_id, comment_status st,
                       store_comment **out, size_t *n);
/* The same with every field (moderation). */
int store_comment_list_all(store_t *s, arena_t *a, int64_t article_id, comment_status st,
                           store_comment **out, size_t *n);
/* The comments one page of an article shows: the approved top-level
 * comments numbered (thread_no) first+1..first+limit (limit 1..1000),
 * with every approved reply below them through approved parents, all in
 * the order they were written (by id), private fields NULL as in
 * store_comment_list. Costs the page's comments, not the article's. */
int store_comment_threads(store_t *s, arena_t *a, int64_t article_id, int64_t first, int limit,
                          store_comment **out, size_t *n);
/* What an article's page says of its comments as a whole. */
typedef struct store_comment_stats {
    int64_t approved;  /* approved comments */
    int64_t threads;   /* highest thread_no of an approved top-level comment (0: none):
                          the number of comment pages follows from it */
    int64_t newest;    /* time of the newest approved comment (0: none) */
} store_comment_stats;
int store_comment_count(store_t *s, int64_t article_id, store_comment_stats *out);
/* One comment by id, every field; NS_ENOTFOUND if there is none. */
int store_comment_get(store_t *s, arena_t *a, int64_t id, store_comment *out);
/* The newest comments of every article, newest first, at most limit
 * (1..10000), every field; only status st unless st is -1. */
int store_comment_recent(store_t *s, arena_t *a, int st, int limit, store_comment **out, size_t *n);
/* *known: whether an approved comment exists under this name and email
 * (email NULL or "" for none): the commenter is no first-timer. */
int store_comment_known(store_t *s, const char *name, const char *email, bool *known);

int store_category_by_slug(store_t *s, arena_t *a, const char *slug, store_category *out);
int store_category_by_id(store_t *s, arena_t *a, int64_t id, store_category *out);
/* All categories ordered by position then name. */
int store_category_list(store_t *s, arena_t *a, store_category **out, size_t *n);

int store_tag_by_slug(store_t *s, arena_t *a, const char *slug, store_tag *out);
int store_author_by_slug(store_t *s, arena_t *a, const char *slug, store_author *out);
int store_author_list(store_t *s, arena_t *a, store_author **out, size_t *n);

/* Ids of every article, any status, greater than `after`, ascending, at
 * most limit (1..10000), onto arena a (export, batch jobs). */
int store_article_ids(store_t *s, arena_t *a, int64_t after, int limit, int64_t **ids, size_t *n);

/* Every tag, by name. */
int store_tag_list(store_t *s, arena_t *a, store_tag **out, size_t *n);

/* Every comment of an article whatever its status, every field, in the
 * order written (by id): for export. */
int store_comment_list_any(store_t *s, arena_t *a, int64_t article_id, store_comment **out,
                           size_t *n);

/* Published page by slug. */
int store_page_by_slug(store_t *s, arena_t *a, const char *slug, store_page *out);
/* All published pages (for sitemaps and footer links), by title. */
int store_page_list(store_t *s, arena_t *a, store_page **out, size_t *n);
/* Any page by id, published or not. */
int store_page_by_id(store_t *s, arena_t *a, int64_t id, store_page *out);
/* Every page, published or not, by id (export). */
int store_page_list_all(store_t *s, arena_t *a, store_page **out, size_t *n);

/* One media file by id; the files with id > after, ascending, at most
 * limit (1..10000). */
int store_media_get(store_t *s, arena_t *a, int64_t id, store_media *out);
int store_media_list(store_t *s, arena_t *a, int64_t after, int limit, store_media **out,
                     size_t *n);

/* The row an item of another site became (store_import_item): by guid
 * when guid is non-empty and recorded for that kind (a site that moved
 * to another address keeps its GUIDs), else by (source, kind, wp_id).
 * NS_ENOTFOUND if it was never imported. */
int store_import_get(store_t *s, arena_t *a, const char *source, import_kind kind, int64_t wp_id,
                     const char *guid, store_import_item *out);
/* Items of one source and kind with a ref, by wp_id > after, at most
 * limit (1..10000). */
int store_import_refs(store_t *s, arena_t *a, const char *source, import_kind kind, int64_t after,
                      int limit, store_import_item **out, size_t *n);

/* Redirect for an exact decoded path. */
int store_redirect_lookup(store_t *s, arena_t *a, const char *path, store_redirect *out);

/* ---- the newsroom's reads ---- */

/* A user by id or by login, with its author; NS_ENOTFOUND if none. */
int store_user_get(store_t *s, arena_t *a, int64_t id, store_user *out);
int store_user_by_login(store_t *s, arena_t *a, const char *login, store_user *out);
/* Every user, by login. */
int store_user_list(store_t *s, arena_t *a, store_user **out, size_t *n);
/* A session by the hash of its id; NS_ENOTFOUND if none. */
int store_session_get(store_t *s, arena_t *a, const char *id_hash, store_session *out);
/* A user's sessions, newest first. */
int store_session_list(store_t *s, arena_t *a, int64_t user_id, store_session **out, size_t *n);
/* Failed sign-ins recorded under key since `since` (store_login_failed). */
int store_login_failures(store_t *s, const char *key, int64_t since, int64_t *count);
/* Articles for the newsroom's list, most recently changed first, with
 * author and category (no body), and how many match in all. */
int store_admin_articles(store_t *s, arena_t *a, const store_admin_query *q,
                         struct store_article_list *out, int64_t *total);
/* An article's revisions, newest first, without their text fields but
 * title (a list to choose from); one revision with every field. */
int store_revision_list(store_t *s, arena_t *a, int64_t article_id, store_revision **out,
                        size_t *n);
int store_revision_get(store_t *s, arena_t *a, int64_t id, store_revision *out);
/* Comments with status st (or any when st is -1), newest first, every
 * field, a page of them (limit 1..1000); and how many there are with that status. */
int store_comment_queue(store_t *s, arena_t *a, int st, int limit, int offset,
                        store_comment **out, size_t *n);
int store_comment_status_count(store_t *s, int st, int64_t *count);
/* Media whose title, alt text or file name holds text (NULL or "": all),
 * newest first, a page of them (limit 1..1000), and how many match; case-insensitive for
 * Latin letters. */
int store_media_search(store_t *s, arena_t *a, const char *text, int limit, int offset,
                       store_media **out, size_t *n, int64_t *total);

/* Setting value, NS_ENOTFOUND if unset. */
int store_setting_get(store_t *s, arena_t *a, const char *key, const char **value);
/* All settings by key. */
int store_setting_list(store_t *s, arena_t *a, store_setting **out, size_t *n);

/* ---- writes: each is atomic; ids are set in the struct on success ----
 * NS_EEXIST on a duplicate slug/key, NS_EINVAL on a broken reference or an
 * invalid field (empty title/slug, non-UTF-8). */
int store_author_insert(store_t *s, store_author *au);
int store_category_insert(store_t *s, store_category *c);
/* Every field of c by c->id (the navigation's order is position);
 * NS_ENOTFOUND if there is none. */
int store_category_update(store_t *s, const store_category *c);
/* Tag by name: returns the existing one (same slug) or inserts it. */
int store_tag_ensure(store_t *s, store_tag *t);
/* Insert article with its tags (tag ids) */
int store_article_insert(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags);
/* Update every field of ar (by ar->id) but trashed_at and replace its tags; sets updated_at
 * if ar->updated_at is 0; the stored revision becomes the stored one plus
 * one (ar->revision is set to it; what the caller put there is ignored). A writer changing body_md sets body_html to its
 * rendering (or NULL); left as read, it is cleared by the database. An
 * article in the trash stays a draft whatever status ar has. NS_ENOTFOUND
 * if there is none. */
int store_article_update(store_t *s, store_article *ar, const int64_t *tag_ids, size_t ntags);
int store_article_delete(store_t *s, int64_t id);
/* A comment. NS_EINVAL when the article is gone or the parent (if any) is
 * not an approved comment of the same article; NS_EEXIST when
 * c->fingerprint is set and a comment of the article has the same
 * fingerprint from the same person (the same ip hash, or the same name
 * and email). */
int store_comment_insert(store_t *s, store_comment *c);
int store_comment_set_status(store_t *s, int64_t id, comment_status st);
/* Delete a comment and its replies; NS_ENOTFOUND if there is none. */
int store_comment_delete(store_t *s, int64_t id);
int store_page_insert(store_t *s, store_page *p);
/* Every field of p by p->id; NS_ENOTFOUND if there is none; NS_EINVAL
 * for a parent that is missing, or is p or one of its descendants. */
int store_page_update(store_t *s, const store_page *p);
/* A comment as another site had it (an import): any status, created_at
 * kept, the parent any comment of the same article (NS_EINVAL otherwise);
 * thread_no given as store_comment_insert gives it to an approved one; no
 * fingerprint check. c->id 0: inserted (id set); else that comment's
 * fields are replaced (NS_ENOTFOUND if there is none). */
int store_comment_import(store_t *s, store_comment *c);
int store_media_insert(store_t *s, store_media *m);
/* Every field of m by m->id; NS_ENOTFOUND if there is none. */
int store_media_update(store_t *s, const store_media *m);
/* Insert or replace (by source, kind, wp_id). */
int store_import_put(store_t *s, const store_import_item *it);
int store_setting_set(store_t *s, const char *key, const char *value);
/* Set key to value unless it is set already (a secret made once by
 * whichever node starts first, then read by all). */
int store_setting_ensure(store_t *s, const char *key, const char *value);
int store_redirect_insert(store_t *s, const store_redirect *r);
/* Insert, or replace the target and status of the redirect from
 * r->from_path. */
int store_redirect_put(store_t *s, const store_redirect *r);

/* ---- the newsroom's writes ---- */

/* A user for an existing author (u->id = its author id); NS_EEXIST when
 * the login or the author already has a user. */
int store_user_insert(store_t *s, const store_user *u);
/* Every field of u by u->id (login, pass_hash, role, disabled). */
int store_user_update(store_t *s, const store_user *u);
int store_session_insert(store_t *s, const store_session *ss);
/* Set seen_at; NS_ENOTFOUND if the session is gone. */
int store_session_touch(store_t *s, const char *id_hash, int64_t seen_at);
int store_session_delete(store_t *s, const char *id_hash);
/* Every session of a user ("log out everywhere", a new password, a user
 * disabled), but the one whose hash is keep (NULL: none kept). */
int store_session_delete_user(store_t *s, int64_t user_id, const char *keep);
/* Sessions created before created_before or idle since seen_before. */
int store_session_prune(store_t *s, int64_t created_before, int64_t seen_before);
/* Record a failed sign-in under key (an account's or an address's) at
 * time now; every key's failures older than `forget` seconds before now
 * are dropped meanwhile. */
int store_login_failed(store_t *s, const char *key, int64_t now, int64_t forget);
/* Forget key's failures (a successful sign-in). */
int store_login_clear(store_t *s, const char *key);
/* Keep a revision (r->id set). */
int store_revision_insert(store_t *s, store_revision *r);
/* Into the trash (trashed_at = now, status draft) or out of it
 * (trashed_at 0, still a draft); either counts as a revision (an editor's
 * save over what it read before conflicts); NS_ENOTFOUND if no such
 * article. */
int store_article_trash(store_t *s, int64_t id, int64_t now);
int store_article_restore(store_t *s, int64_t id);
/* A comment's author_name, author_email, author_url and body replaced
 * (moderation's edit); NS_ENOTFOUND if there is none. */
int store_comment_update(store_t *s, const store_comment *c);
/* NS_ENOTFOUND if there is none; articles showing it keep no reference. */
int store_media_delete(store_t *s, int64_t id);

/* ---- moving a whole site between databases (nashra db copy) ---- */

/* Rows of one table, as db copy counts them. */
typedef struct store_table_count {
    const char *table;
    int64_t from_rows, to_rows;
} store_table_count;

typedef struct store_copy_report {
    store_table_count *tables; /* on the arena, one per site table */
    size_t n;
} store_copy_report;

/* Copy every row of every table of the site (everything but the schema
 * bookkeeping and the change log) from `from` into `to`, ids kept: read in
 * one snapshot of `from`, written in one transaction of `to`, whose row
 * counts are compared with the source's before it commits. `to` may hold
 * no site rows unless `replace` (then they are deleted in the same
 * transaction). NS_EEXIST: `to` not empty; NS_ECORRUPT: counts differ
 * (nothing committed); other codes as the store's. The report (on arena
 * a) is filled as far as the copy went. */
int store_copy(store_t *from, store_t *to, bool replace, arena_t *a, store_copy_report *out);

#endif
