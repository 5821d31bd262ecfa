/*
 * test_newsroom.c - the store functions of the newsroom, the same on
 * every backend (backend.h): users and their unique logins, sessions and
 * their pruning, sign-in failures counted and forgotten, revisions and the
 * revision an update makes, trash and restore, the newsroom's article list
 * with each filter (an Arabic word with a proclitic through the search
 * index, drafts included), the comment queue, media search and delete,
 * what cascades when an author, user, article or image goes, and the
 * featured image's size read with an article.
 */
#include "backend.h"
#include "search/query.h"
#include "store/store.h"

#define NOW 1764000000LL

typedef struct fx {
    const backend *be;
    backend_loc loc;
    store_t *s;
    arena_t *a;
    int64_t author, author2, news, sports;
    int64_t pub, draft, other;  /* articles: published, draft, by author2 in sports */
} fx;

static int64_t add_article(fx *f, const char *slug, const char *title, article_status st,
                           int64_t author, int64_t cat, int64_t updated)
{
    store_article ar = { .slug = slug, .title = title, .status = st, .author_id = author,
                         .category_id = cat, .published_at = NOW - 100, .created_at = NOW - 100,
                         .updated_at = updated, .body_md = "نص", .comments_open = true };
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
    assert_int_equal(ar.revision, 0);
    return ar.id;
}

static int setup(void **state)
{
    fx *f = backend_fixture_new(state, sizeof *f);
    if (!f)
        return -1;
    f->a = arena_new(0);
    *state = f;
    assert_int_equal(store_open(f->loc.location, STORE_CREATE, &f->s), 0);
    store_author au = { 0, "ahmed", "أحمد", NULL, "a@example.com", NULL };
    store_author au2 = { 0, "laila", "ليلى", NULL, NULL, NULL };
    assert_int_equal(store_author_insert(f->s, &au), 0);
    assert_int_equal(store_author_insert(f->s, &au2), 0);
    f->author = au.id;
    f->author2 = au2.id;
    store_category c1 = { 0, 0, "news", "أخبار", NULL, 0 }, c2 = { 0, 0, "sports", "رياضة", NULL, 1 };
    assert_int_equal(store_category_insert(f->s, &c1), 0);
    assert_int_equal(store_category_insert(f->s, &c2), 0);
    f->news = c1.id;
    f->sports = c2.id;
    f->pub = add_article(f, "pub", "الحكومة تعلن خطة جديدة للمدارس", ARTICLE_PUBLISHED, f->author,
                         f->news, NOW - 30);
    f->draft = add_article(f, "draft", "مسودة عن الاقتصاد", ARTICLE_DRAFT, f->author, f->news,
                           NOW - 10);
    f->other = add_article(f, "other", "مباراة كرة القدم", ARTICLE_PENDING, f->author2, f->sports,
                           NOW - 20);
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->s);
    int rc = f->be->drop(&f->loc);
    arena_free(f->a);
    free(f);
    return rc;
}

static int64_t raw_int(fx *f, const char *sql)
{
    int64_t v = -1;
    assert_int_equal(f->be->query_int(f->loc.location, sql, &v), 0);
    return v;
}

static void add_user(fx *f, int64_t id, const char *login, user_role role)
{
    store_user u = { .id = id, .login = login, .pass_hash = "$argon2id$x", .role = role,
                     .created_at = NOW };
    assert_int_equal(store_user_insert(f->s, &u), 0);
}

static void add_session(fx *f, const char *hash, int64_t user, int64_t created, int64_t seen)
{
    store_session ss = { hash, user, created, seen, "متصفح" };
    assert_int_equal(store_session_insert(f->s, &ss), 0);
}

/* ---- roles, users ---- */

static void test_role_names(void **state)
{
    (void)state;
    assert_string_equal(store_user_role_name(ROLE_CONTRIBUTOR), "contributor");
    assert_string_equal(store_user_role_name(ROLE_ADMIN), "admin");
    assert_null(store_user_role_name(ROLE_NONE));
    assert_null(store_user_role_name((user_role)9));
    assert_int_equal(store_user_role_parse("editor"), ROLE_EDITOR);
    assert_int_equal(store_user_role_parse("author"), ROLE_AUTHOR);
    assert_int_equal(store_user_role_parse("root"), ROLE_NONE);
    assert_int_equal(store_user_role_parse(""), ROLE_NONE);
    assert_int_equal(store_user_role_parse(NULL), ROLE_NONE);
}

static void test_users(void **state)
{
    fx *f = *state;
    add_user(f, f->author, "ahmed", ROLE_ADMIN);
    store_user u;
    assert_int_equal(store_user_by_login(f->s, f->a, "ahmed", &u), 0);
    assert_int_equal(u.id, f->author);
    assert_int_equal(u.role, ROLE_ADMIN);
    assert_string_equal(u.pass_hash, "$argon2id$x");
    assert_false(u.disabled);
    assert_int_equal(u.created_at, NOW);
    assert_int_equal(u.author.id, f->author);
    assert_string_equal(u.author.name, "أحمد");
    assert_string_equal(u.author.email, "a@example.com");
    /* the login is unique, and an author has one user */
    store_user dup = { .id = f->author2, .login = "ahmed", .role = ROLE_AUTHOR };
    assert_int_equal(store_user_insert(f->s, &dup), NS_EEXIST);
    dup.login = "other";
    dup.id = f->author;
    assert_int_equal(store_user_insert(f->s, &dup), NS_EEXIST);
    /* no such author; no role */
    dup.id = f->author2 + 100;
    assert_int_equal(store_user_insert(f->s, &dup), NS_EINVAL);
    dup.id = f->author2;
    dup.role = ROLE_NONE;
    assert_int_equal(store_user_insert(f->s, &dup), NS_EINVAL);
    add_user(f, f->author2, "laila", ROLE_CONTRIBUTOR);
    store_user *all;
    size_t n;
    assert_int_equal(store_user_list(f->s, f->a, &all, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(all[0].login, "ahmed");
    assert_string_equal(all[1].login, "laila");
    assert_string_equal(all[1].author.slug, "laila");
    /* every field updated; a login taken refused */
    u = all[1];
    u.role = ROLE_EDITOR;
    u.disabled = true;
    u.pass_hash = NULL;
    u.login = "laila2";
    assert_int_equal(store_user_update(f->s, &u), 0);
    assert_int_equal(store_user_get(f->s, f->a, f->author2, &u), 0);
    assert_int_equal(u.role, ROLE_EDITOR);
    assert_true(u.disabled);
    assert_null(u.pass_hash);
    assert_string_equal(u.login, "laila2");
    u.login = "ahmed";
    assert_int_equal(store_user_update(f->s, &u), NS_EEXIST);
    u.id = 999;
    u.login = "ghost";
    assert_int_equal(store_user_update(f->s, &u), NS_ENOTFOUND);
    assert_int_equal(store_user_get(f->s, f->a, 999, &u), NS_ENOTFOUND);
    assert_int_equal(store_user_by_login(f->s, f->a, "nobody", &u), NS_ENOTFOUND);
}

/* A user goes with its author, and its sessions with it. */
static void test_user_cascade(void **state)
{
    fx *f = *state;
    add_user(f, f->author2, "laila", ROLE_AUTHOR);
    add_session(f, "h1", f->author2, NOW, NOW);
    char sql[128];
    /* as nashra's connections do, the shell's keeps foreign keys */
    snprintf(sql, sizeof sql, "%sDELETE FROM authors WHERE id = %lld",
             strcmp(f->be->name, "sqlite") == 0 ? "PRAGMA foreign_keys = ON; " : "",
             (long long)f->author2);
    assert_int_equal(f->be->exec(f->loc.location, sql), 0);
    store_user u;
    assert_int_equal(store_user_get(f->s, f->a, f->author2, &u), NS_ENOTFOUND);
    store_session ss;
    assert_int_equal(store_session_get(f->s, f->a, "h1", &ss), NS_ENOTFOUND);
}

/* ---- sessions, sign-in failures ---- */

static void test_sessions(void **state)
{
    fx *f = *state;
    add_user(f, f->author, "ahmed", ROLE_ADMIN);
    add_user(f, f->author2, "laila", ROLE_AUTHOR);
    add_session(f, "old", f->author, NOW - 100, NOW - 50);
    add_session(f, "new", f->author, NOW - 10, NOW - 10);
    add_session(f, "idle", f->author, NOW - 20, NOW - 900);
    add_session(f, "hers", f->author2, NOW - 5, NOW - 5);
    store_session dup = { "old", f->author2, NOW, NOW, NULL };
    assert_int_equal(store_session_insert(f->s, &dup), NS_EEXIST);
    store_session orphan = { "x", 999, NOW, NOW, NULL };
    assert_int_equal(store_session_insert(f->s, &orphan), NS_EINVAL);
    store_session ss;
    assert_int_equal(store_session_get(f->s, f->a, "old", &ss), 0);
    assert_int_equal(ss.user_id, f->author);
    assert_int_equal(ss.created_at, NOW - 100);
    assert_int_equal(ss.seen_at, NOW - 50);
    assert_string_equal(ss.user_agent, "متصفح");
    assert_int_equal(store_session_touch(f->s, "old", NOW), 0);
    assert_int_equal(store_session_get(f->s, f->a, "old", &ss), 0);
    assert_int_equal(ss.seen_at, NOW);
    assert_int_equal(store_session_touch(f->s, "gone", NOW), NS_ENOTFOUND);
    store_session *list;
    size_t n;
    assert_int_equal(store_session_list(f->s, f->a, f->author, &list, &n), 0);
    assert_int_equal(n, 3); /* newest first */
    assert_string_equal(list[0].id_hash, "new");
    assert_string_equal(list[1].id_hash, "idle");
    assert_string_equal(list[2].id_hash, "old");
    /* created before NOW - 60, or idle since before NOW - 600 */
    assert_int_equal(store_session_prune(f->s, NOW - 60, NOW - 600), 0);
    assert_int_equal(store_session_list(f->s, f->a, f->author, &list, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].id_hash, "new");
    add_session(f, "second", f->author, NOW, NOW);
    assert_int_equal(store_session_delete_user(f->s, f->author, "new"), 0);
    assert_int_equal(store_session_list(f->s, f->a, f->author, &list, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].id_hash, "new");
    assert_int_equal(store_session_delete_user(f->s, f->author, NULL), 0);
    assert_int_equal(store_session_list(f->s, f->a, f->author, &list, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_session_get(f->s, f->a, "hers", &ss), 0); /* another user's kept */
    assert_int_equal(store_session_delete(f->s, "hers"), 0);
    assert_int_equal(store_session_get(f->s, f->a, "hers", &ss), NS_ENOTFOUND);
}

static void test_login_failures(void **state)
{
    fx *f = *state;
    int64_t n;
    assert_int_equal(store_login_failed(f->s, "user:ahmed", NOW - 500, 1000), 0);
    assert_int_equal(store_login_failed(f->s, "user:ahmed", NOW - 100, 1000), 0);
    assert_int_equal(store_login_failed(f->s, "ip:x", NOW - 90, 1000), 0);
    assert_int_equal(store_login_failures(f->s, "user:ahmed", NOW - 1000, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_login_failures(f->s, "user:ahmed", NOW - 200, &n), 0);
    assert_int_equal(n, 1);
    /* a new failure drops those older than its window, of every key */
    assert_int_equal(store_login_failed(f->s, "ip:y", NOW, 300), 0);
    assert_int_equal(store_login_failures(f->s, "user:ahmed", 0, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM login_failures"), 3);
    assert_int_equal(store_login_clear(f->s, "user:ahmed"), 0);
    assert_int_equal(store_login_failures(f->s, "user:ahmed", 0, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_login_failures(f->s, "ip:x", 0, &n), 0);
    assert_int_equal(n, 1);
}

/* Nothing the newsroom's sign-ins write is on a reader's page: the
 * change log (which empties the page cache) hears none of it. */
static void test_sign_in_logs_nothing(void **state)
{
    fx *f = *state;
    int64_t before, after;
    assert_int_equal(store_changes_head(f->s, &before), 0);
    add_user(f, f->author, "ahmed", ROLE_ADMIN);
    add_session(f, "h", f->author, NOW, NOW);
    assert_int_equal(store_session_touch(f->s, "h", NOW + 1), 0);
    assert_int_equal(store_login_failed(f->s, "k", NOW, 60), 0);
    assert_int_equal(store_session_delete(f->s, "h"), 0);
    store_revision r = { .article_id = f->pub, .title = "t", .body_format = BODY_MARKDOWN };
    assert_int_equal(store_revision_insert(f->s, &r), 0);
    assert_int_equal(store_changes_head(f->s, &after), 0);
    assert_int_equal(after, before);
}

/* ---- articles: revisions, trash ---- */

static void test_revisions(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->pub, &ar), 0);
    assert_int_equal(ar.revision, 0);
    ar.breaking = true;
    ar.revision = 40; /* ignored */
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_int_equal(ar.revision, 1);
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_int_equal(ar.revision, 2);
    assert_int_equal(store_article_by_id(f->s, f->a, f->pub, &ar), 0);
    assert_int_equal(ar.revision, 2);
    assert_true(ar.breaking);
    ar.id = 9999;
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), NS_ENOTFOUND);

    store_revision r1 = { .article_id = f->pub, .user_id = f->author, .created_at = NOW - 5,
                          .revision = 1, .title = "العنوان الأول", .slug = "pub", .kicker = "ك",
                          .lead = "مقدمة", .body_md = "نص **أول**", .source = "وطن",
                          .video_url = "https://youtu.be/x", .body_format = BODY_MARKDOWN };
    store_revision r2 = { .article_id = f->pub, .created_at = NOW, .revision = 2,
                          .title = "العنوان الثاني", .body_md = "<p>ثان</p>",
                          .body_format = BODY_HTML };
    assert_int_equal(store_revision_insert(f->s, &r1), 0);
    assert_int_equal(store_revision_insert(f->s, &r2), 0);
    assert_true(r1.id > 0 && r2.id > r1.id);
    store_revision bad = { .article_id = 9999, .title = "x" };
    assert_int_equal(store_revision_insert(f->s, &bad), NS_EINVAL);
    store_revision *list;
    size_t n;
    assert_int_equal(store_revision_list(f->s, f->a, f->pub, &list, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, r2.id); /* newest first, without text but the title */
    assert_string_equal(list[0].title, "العنوان الثاني");
    assert_null(list[1].body_md);
    assert_int_equal(list[1].user_id, f->author);
    assert_int_equal(list[1].revision, 1);
    store_revision got;
    assert_int_equal(store_revision_get(f->s, f->a, r1.id, &got), 0);
    assert_string_equal(got.body_md, "نص **أول**");
    assert_string_equal(got.video_url, "https://youtu.be/x");
    assert_string_equal(got.source, "وطن");
    assert_int_equal(got.created_at, NOW - 5);
    assert_int_equal(store_revision_get(f->s, f->a, r2.id, &got), 0);
    assert_int_equal(got.body_format, BODY_HTML);
    assert_int_equal(got.user_id, 0);
    /* revisions go with their article */
    assert_int_equal(store_article_delete(f->s, f->pub), 0);
    assert_int_equal(store_revision_get(f->s, f->a, r1.id, &got), NS_ENOTFOUND);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM revisions"), 0);
}

static void test_trash(void **state)
{
    fx *f = *state;
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, "pub", NOW, &ar), 0);
    assert_int_equal(store_article_trash(f->s, f->pub, NOW), 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "pub", NOW, &ar), NS_ENOTFOUND);
    assert_int_equal(store_article_by_id(f->s, f->a, f->pub, &ar), 0);
    assert_int_equal(ar.status, ARTICLE_DRAFT);
    assert_int_equal(ar.trashed_at, NOW);
    assert_int_equal(ar.revision, 1); /* a save over what was read before conflicts */
    store_query q = { .now = NOW, .limit = 10 };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 0);
    /* a save of the trashed article keeps it a draft */
    ar.status = ARTICLE_PUBLISHED;
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->pub, &ar), 0);
    assert_int_equal(ar.status, ARTICLE_DRAFT);
    assert_int_equal(ar.trashed_at, NOW);
    assert_int_equal(store_article_restore(f->s, f->pub), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->pub, &ar), 0);
    assert_int_equal(ar.status, ARTICLE_DRAFT);
    assert_int_equal(ar.trashed_at, 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "pub", NOW, &ar), NS_ENOTFOUND);
    assert_int_equal(store_article_trash(f->s, 9999, NOW), NS_ENOTFOUND);
    assert_int_equal(store_article_restore(f->s, 9999), NS_ENOTFOUND);
    assert_int_equal(store_article_trash(f->s, f->pub, 0), NS_EINVAL);
}

/* An article read inside a write transaction is kept from other writers
 * until it ends: two editors saving over the same revision cannot both
 * pass the check of it (a writer that waits for no lock is refused). */
static void test_read_in_write_holds(void **state)
{
    fx *f = *state;
    char sql[160];
    snprintf(sql, sizeof sql, "%sUPDATE articles SET revision = 9 WHERE id = %lld",
             strcmp(f->be->name, "sqlite") == 0 ? "PRAGMA busy_timeout = 0; "
                                                : "SET lock_timeout = '1ms'; ",
             (long long)f->pub);
    store_article ar;
    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->pub, &ar), 0);
    assert_int_not_equal(f->be->exec(f->loc.location, sql), 0);
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_int_equal(store_commit(f->s), 0);
    assert_int_equal(ar.revision, 1);
    assert_int_equal(f->be->exec(f->loc.location, sql), 0);
}

/* ---- the newsroom's list ---- */

static struct store_article_list admin(fx *f, store_admin_query q, int64_t *total)
{
    struct store_article_list l;
    if (!q.limit)
        q.limit = 20;
    assert_int_equal(store_admin_articles(f->s, f->a, &q, &l, total), 0);
    return l;
}

static const query_t *text(fx *f, const char *s)
{
    query_t *q = arena_zalloc(f->a, sizeof *q);
    assert_int_equal(query_parse(f->a, s, strlen(s), q), 0);
    return q;
}

static void test_admin_list(void **state)
{
    fx *f = *state;
    int64_t total;
    /* any status, most recently changed first, with author and category */
    struct store_article_list l = admin(f, (store_admin_query){ .status = -1 }, &total);
    assert_int_equal(total, 3);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.items[0].id, f->draft);
    assert_int_equal(l.items[1].id, f->other);
    assert_int_equal(l.items[2].id, f->pub);
    assert_string_equal(l.items[1].author.name, "ليلى");
    assert_string_equal(l.items[1].category.slug, "sports");
    assert_null(l.items[0].body_md);
    /* a page of them, and the total */
    l = admin(f, (store_admin_query){ .status = -1, .limit = 1, .offset = 1 }, &total);
    assert_int_equal(total, 3);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].id, f->other);
    l = admin(f, (store_admin_query){ .status = ARTICLE_DRAFT }, &total);
    assert_int_equal(total, 1);
    assert_int_equal(l.items[0].id, f->draft);
    l = admin(f, (store_admin_query){ .status = -1, .category_id = f->sports }, &total);
    assert_int_equal(total, 1);
    assert_int_equal(l.items[0].id, f->other);
    l = admin(f, (store_admin_query){ .status = -1, .author_id = f->author }, &total);
    assert_int_equal(total, 2);
    l = admin(f, (store_admin_query){ .status = ARTICLE_PUBLISHED, .author_id = f->author2 }, &total);
    assert_int_equal(total, 0);
    assert_int_equal(l.n, 0);
    /* trashed ones only in the trash */
    assert_int_equal(store_article_trash(f->s, f->draft, NOW), 0);
    l = admin(f, (store_admin_query){ .status = -1 }, &total);
    assert_int_equal(total, 2);
    l = admin(f, (store_admin_query){ .status = ARTICLE_DRAFT }, &total);
    assert_int_equal(total, 0);
    l = admin(f, (store_admin_query){ .trashed = true, .status = ARTICLE_PUBLISHED }, &total);
    assert_int_equal(total, 1);
    assert_int_equal(l.items[0].id, f->draft);
    store_admin_query bad = { .status = -1, .limit = 101 };
    assert_int_equal(store_admin_articles(f->s, f->a, &bad, &l, &total), NS_EINVAL);
    bad = (store_admin_query){ .status = 7, .limit = 10 };
    assert_int_equal(store_admin_articles(f->s, f->a, &bad, &l, &total), NS_EINVAL);
}

/* Text through the search index, drafts and pending articles included. */
static void test_admin_text(void **state)
{
    fx *f = *state;
    int64_t total;
    /* «بالحكومة»: the title's word under a proclitic */
    struct store_article_list l =
        admin(f, (store_admin_query){ .status = -1, .text = text(f, "بالحكومة") }, &total);
    assert_int_equal(total, 1);
    assert_int_equal(l.items[0].id, f->pub);
    l = admin(f, (store_admin_query){ .status = -1, .text = text(f, "والاقتصاد") }, &total);
    assert_int_equal(total, 1);
    assert_int_equal(l.items[0].id, f->draft);
    l = admin(f, (store_admin_query){ .status = ARTICLE_PENDING, .text = text(f, "كرة") }, &total);
    assert_int_equal(total, 1);
    assert_int_equal(l.items[0].id, f->other);
    l = admin(f, (store_admin_query){ .status = ARTICLE_DRAFT, .text = text(f, "كرة") }, &total);
    assert_int_equal(total, 0);
    l = admin(f, (store_admin_query){ .status = -1, .text = text(f, "الحكومة كرة") }, &total);
    assert_int_equal(total, 0); /* every word required */
    l = admin(f, (store_admin_query){ .status = -1, .text = text(f, "!!") }, &total);
    assert_int_equal(total, 3); /* no word: no filter */
}

/* ---- comments ---- */

static int64_t add_comment(fx *f, comment_status st, int64_t created)
{
    store_comment c = { .article_id = f->pub, .author_name = "قارئ", .author_email = "r@x.org",
                        .body = "تعليق", .ip = "iphash", .status = st, .created_at = created };
    assert_int_equal(store_comment_insert(f->s, &c), 0);
    return c.id;
}

static void test_comment_queue(void **state)
{
    fx *f = *state;
    int64_t p1 = add_comment(f, COMMENT_PENDING, NOW - 30);
    int64_t p2 = add_comment(f, COMMENT_PENDING, NOW - 10);
    int64_t p3 = add_comment(f, COMMENT_PENDING, NOW - 20);
    add_comment(f, COMMENT_APPROVED, NOW - 5);
    add_comment(f, COMMENT_SPAM, NOW);
    store_comment *cs;
    size_t n;
    assert_int_equal(store_comment_queue(f->s, f->a, COMMENT_PENDING, 2, 0, &cs, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(cs[0].id, p2);
    assert_int_equal(cs[1].id, p3);
    assert_string_equal(cs[0].author_email, "r@x.org"); /* every field */
    assert_string_equal(cs[0].ip, "iphash");
    assert_int_equal(store_comment_queue(f->s, f->a, COMMENT_PENDING, 2, 2, &cs, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cs[0].id, p1);
    assert_int_equal(store_comment_queue(f->s, f->a, -1, 10, 0, &cs, &n), 0);
    assert_int_equal(n, 5);
    assert_int_equal(cs[0].status, COMMENT_SPAM);
    int64_t count;
    assert_int_equal(store_comment_status_count(f->s, COMMENT_PENDING, &count), 0);
    assert_int_equal(count, 3);
    assert_int_equal(store_comment_status_count(f->s, COMMENT_TRASH, &count), 0);
    assert_int_equal(count, 0);
    assert_int_equal(store_comment_status_count(f->s, -1, &count), 0);
    assert_int_equal(count, 5);
    assert_int_equal(store_comment_status_count(f->s, 9, &count), NS_EINVAL);
    assert_int_equal(store_comment_queue(f->s, f->a, 9, 10, 0, &cs, &n), NS_EINVAL);
    assert_int_equal(store_comment_queue(f->s, f->a, -1, 0, 0, &cs, &n), NS_EINVAL);
    /* moderation's edit: the four fields, nothing else */
    store_comment c;
    assert_int_equal(store_comment_get(f->s, f->a, p1, &c), 0);
    c.author_name = "اسم آخر";
    c.author_email = NULL;
    c.author_url = "https://example.org";
    c.body = "نص مصحح";
    c.status = COMMENT_APPROVED; /* not written */
    assert_int_equal(store_comment_update(f->s, &c), 0);
    assert_int_equal(store_comment_get(f->s, f->a, p1, &c), 0);
    assert_string_equal(c.author_name, "اسم آخر");
    assert_null(c.author_email);
    assert_string_equal(c.author_url, "https://example.org");
    assert_string_equal(c.body, "نص مصحح");
    assert_int_equal(c.status, COMMENT_PENDING);
    c.body = "";
    assert_int_equal(store_comment_update(f->s, &c), NS_EINVAL);
    c.body = "x";
    c.id = 9999;
    assert_int_equal(store_comment_update(f->s, &c), NS_ENOTFOUND);
}

/* ---- media ---- */

static int64_t add_media(fx *f, const char *url, const char *title, const char *alt,
                         int64_t created)
{
    store_media m = { .url = url, .title = title, .alt = alt, .mime = "image/jpeg",
                      .created_at = created, .width = 1280, .height = 720, .bytes = 4096,
                      .variants = "320,640", .user_id = f->author };
    assert_int_equal(store_media_insert(f->s, &m), 0);
    return m.id;
}

static void test_media_search(void **state)
{
    fx *f = *state;
    int64_t m1 = add_media(f, "/uploads/2026/Beirut-Port.jpg", "ميناء بيروت", "صورة الميناء",
                           NOW - 30);
    int64_t m2 = add_media(f, "/uploads/2026/match.jpg", "Football Match", NULL, NOW - 20);
    int64_t m3 = add_media(f, "/uploads/2026/100%_x.png", NULL, "شعار", NOW - 10);
    store_media *ms;
    size_t n;
    int64_t total;
    assert_int_equal(store_media_search(f->s, f->a, NULL, 10, 0, &ms, &n, &total), 0);
    assert_int_equal(total, 3);
    assert_int_equal(n, 3);
    assert_int_equal(ms[0].id, m3); /* newest first */
    assert_int_equal(ms[2].width, 1280);
    assert_int_equal(ms[2].height, 720);
    assert_int_equal(ms[2].bytes, 4096);
    assert_string_equal(ms[2].variants, "320,640");
    assert_int_equal(ms[2].user_id, f->author);
    assert_int_equal(store_media_search(f->s, f->a, "beirut", 10, 0, &ms, &n, &total), 0);
    assert_int_equal(total, 1); /* the file name, whatever the case */
    assert_int_equal(ms[0].id, m1);
    assert_int_equal(store_media_search(f->s, f->a, "FOOTBALL", 10, 0, &ms, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ms[0].id, m2);
    assert_int_equal(store_media_search(f->s, f->a, "الميناء", 10, 0, &ms, &n, &total), 0);
    assert_int_equal(n, 1); /* the alt text */
    assert_int_equal(store_media_search(f->s, f->a, "100%", 10, 0, &ms, &n, &total), 0);
    assert_int_equal(n, 1); /* % is no wildcard */
    assert_int_equal(ms[0].id, m3);
    assert_int_equal(store_media_search(f->s, f->a, "_", 10, 0, &ms, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_media_search(f->s, f->a, "", 1, 1, &ms, &n, &total), 0);
    assert_int_equal(total, 3);
    assert_int_equal(n, 1);
    assert_int_equal(ms[0].id, m2);
    assert_int_equal(store_media_search(f->s, f->a, NULL, 0, 0, &ms, &n, &total), NS_EINVAL);
    assert_int_equal(store_media_delete(f->s, m2), 0);
    assert_int_equal(store_media_delete(f->s, m2), NS_ENOTFOUND);
    assert_int_equal(store_media_search(f->s, f->a, NULL, 10, 0, &ms, &n, &total), 0);
    assert_int_equal(total, 2);
}

/* A featured image's size and variants come with its article; the
 * article keeps no reference to an image deleted. */
static void test_featured_image(void **state)
{
    fx *f = *state;
    int64_t m = add_media(f, "/uploads/a.jpg", "أ", "بديل", NOW);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, f->pub, &ar), 0);
    assert_int_equal(ar.image_id, 0);
    assert_int_equal(ar.image_width, 0);
    ar.image_id = m;
    ar.image_url = "/uploads/a.jpg";
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "pub", NOW, &ar), 0);
    assert_int_equal(ar.image_id, m);
    assert_int_equal(ar.image_width, 1280);
    assert_int_equal(ar.image_height, 720);
    assert_string_equal(ar.image_variants, "320,640");
    store_query q = { .now = NOW, .limit = 10 };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].image_height, 720);
    /* new variants are news for the pages showing the image */
    int64_t seq;
    assert_int_equal(store_changes_head(f->s, &seq), 0);
    store_media got;
    assert_int_equal(store_media_get(f->s, f->a, m, &got), 0);
    got.variants = "320,640,1280";
    assert_int_equal(store_media_update(f->s, &got), 0);
    store_changes c;
    assert_int_equal(store_changes_since(f->s, f->a, seq, &c), 0);
    bool logged = false;
    for (size_t i = 0; i < c.n; i++)
        logged |= c.deps[i] == STORE_DEP(STORE_DEP_ARTICLE, f->pub);
    assert_true(logged);
    ar.image_id = m + 100;
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), NS_EINVAL);
    assert_int_equal(store_media_delete(f->s, m), 0);
    assert_int_equal(store_article_by_id(f->s, f->a, f->pub, &ar), 0);
    assert_int_equal(ar.image_id, 0);
    assert_null(ar.image_variants);
    assert_string_equal(ar.image_url, "/uploads/a.jpg");
}

#define NEWSROOM_TESTS(T)        \
    T(role_names, setup)         \
    T(users, setup)              \
    T(user_cascade, setup)       \
    T(sessions, setup)           \
    T(login_failures, setup)     \
    T(sign_in_logs_nothing, setup) \
    T(revisions, setup)          \
    T(trash, setup)              \
    T(read_in_write_holds, setup) \
    T(admin_list, setup)         \
    T(admin_text, setup)         \
    T(comment_queue, setup)      \
    T(media_search, setup)       \
    T(featured_image, setup)

BACKEND_MAIN("newsroom", NEWSROOM_TESTS)
