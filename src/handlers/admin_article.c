/*
 * admin_article.c - who may touch an article in the newsroom, and its save
 * with a revision kept in the same transaction (admin_article.h).
 */
#include "handlers/admin_article.h"

#include <string.h>
#include "core/err.h"
#include "core/text.h"

/* First path segments the site answers itself: an article there would be
 * shadowed by the route (router.c), so its slug takes a suffix. */
static const char *const admin_reserved_slugs[] = {
    "admin", "assets", "author", "category", "comments", "feed", "healthz", "opensearch.xml",
    "page", "robots.txt", "search", "sitemap.xml", "tag", "uploads",
};

/* How many suffixes (-2, -3…) are tried before the slug is given up. */
enum { ADMIN_SLUG_TRIES = 100 };

bool admin_article_may_edit(const admin_ctx *cx, const store_article *ar)
{
    if (admin_can(cx->user.role, CAP_EDIT_OTHERS))
        return true;
    if (ar->author_id != cx->user.id)
        return false;
    if (admin_can(cx->user.role, CAP_PUBLISH))
        return true;
    return ar->status == ARTICLE_DRAFT || ar->status == ARTICLE_PENDING;
}

int admin_article_load(hreq_t *rq, const admin_ctx *cx, const char *idtext, store_article *out)
{
    int64_t id;
    if (!idtext || !text_parse_id(idtext, &id) || id <= 0)
        return NS_ENOTFOUND;
    int rc = store_article_by_id(rq->store, rq->arena, id, out);
    if (rc < 0)
        return rc;
    return admin_article_may_edit(cx, out) ? 0 : NS_EPERM;
}

const char *admin_article_status_label(article_status st)
{
    static const char *const labels[] = {
        [ARTICLE_DRAFT] = "مسودة", [ARTICLE_PENDING] = "بانتظار المراجعة",
        [ARTICLE_SCHEDULED] = "مجدول", [ARTICLE_PUBLISHED] = "منشور",
    };
    return (unsigned)st < sizeof labels / sizeof *labels ? labels[st] : "";
}

const char *admin_article_path(arena_t *a, int64_t id)
{
    return arena_printf(a, "/admin/articles/%lld/", (long long)id);
}

static bool admin_slug_reserved(const char *slug)
{
    for (size_t i = 0; i < sizeof admin_reserved_slugs / sizeof *admin_reserved_slugs; i++)
        if (strcmp(slug, admin_reserved_slugs[i]) == 0)
            return true;
    return false;
}

/* The tags named in sv made (store_tag_ensure) into ids, those with
 * nothing to make a slug of left out; ar's own ids when sv names none. */
static int admin_save_tags(store_t *s, arena_t *a, admin_save *sv, int64_t **ids, size_t *n)
{
    store_article *ar = sv->ar;
    size_t count = sv->tags ? sv->ntags : ar->ntags;
    *ids = arena_zalloc(a, (count + 1) * sizeof **ids);
    *n = 0;
    for (size_t i = 0; i < count; i++) {
        if (!sv->tags) {
            (*ids)[(*n)++] = ar->tags[i].id;
            continue;
        }
        store_tag t = {.name = sv->tags[i], .slug = text_slugify(a, sv->tags[i], 190)};
        if (!*t.slug)
            continue;
        int rc = store_tag_ensure(s, &t);
        if (rc < 0)
            return rc;
        bool seen = false; /* two spellings of one slug are one tag */
        for (size_t j = 0; j < *n && !seen; j++)
            seen = (*ids)[j] == t.id;
        if (!seen)
            (*ids)[(*n)++] = t.id;
    }
    return 0;
}

/* Insert or update ar, trying its slug, then slug-2, slug-3… while another
 * article (or the site itself) has it. */
static int admin_save_row(store_t *s, arena_t *a, store_article *ar, const int64_t *ids, size_t n)
{
    const char *base = ar->slug;
    int rc = NS_EEXIST;
    for (int k = 1; k <= ADMIN_SLUG_TRIES && rc == NS_EEXIST; k++) {
        ar->slug = k == 1 ? base : arena_printf(a, "%s-%d", base, k);
        if (admin_slug_reserved(ar->slug))
            continue;
        rc = ar->id ? store_article_update(s, ar, ids, n) : store_article_insert(s, ar, ids, n);
    }
    return rc;
}

static int admin_save_revision(store_t *s, const admin_save *sv)
{
    const store_article *ar = sv->ar;
    store_revision r = {
        .article_id = ar->id, .user_id = sv->user_id, .created_at = sv->now,
        .revision = ar->revision, .title = ar->title, .slug = ar->slug, .kicker = ar->kicker,
        .lead = ar->lead, .body_md = ar->body_md, .source = ar->source,
        .video_url = ar->video_url, .body_format = ar->body_format,
    };
    return store_revision_insert(s, &r);
}

struct admin_save_tx {
    arena_t *a;
    admin_save *sv;
    const char *slug;   /* as asked for: each try of the transaction starts from it */
    int64_t id;
};

static int admin_save_run(store_t *s, void *arg)
{
    struct admin_save_tx *tx = arg;
    admin_save *sv = tx->sv;
    sv->ar->slug = tx->slug;
    sv->ar->id = tx->id;
    int rc;
    if (sv->ar->id && sv->expect >= 0) {
        if ((rc = store_article_by_id(s, tx->a, sv->ar->id, &sv->current)) < 0)
            return rc;
        if (sv->current.revision != sv->expect)
            return NS_ECONFLICT;
    }
    int64_t *ids;
    size_t n;
    if ((rc = admin_save_tags(s, tx->a, sv, &ids, &n)) < 0)
        return rc;
    if ((rc = admin_save_row(s, tx->a, sv->ar, ids, n)) < 0)
        return rc;
    return admin_save_revision(s, sv);
}

int admin_article_save(store_t *s, arena_t *a, admin_save *sv)
{
    struct admin_save_tx tx = {a, sv, sv->ar->slug, sv->ar->id};
    int rc = store_write(s, admin_save_run, &tx);
    if (rc < 0) {
        sv->ar->slug = tx.slug;
        sv->ar->id = tx.id;
    }
    return rc;
}
