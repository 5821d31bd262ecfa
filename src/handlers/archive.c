/*
 * archive.c - category, tag and author archives. The three differ only in
 * how the slug is looked up and which query field it sets, so one
 * implementation serves them through a small table of lookups; all share
 * the heading, the paginated list and rel=prev/next links.
 */
#include "handlers/handler.h"
#include "handlers/view.h"

#include "core/err.h"

typedef struct archive_info {
    const char *prefix;       /* "/category/" */
    const char *name, *description, *kind;
    int64_t nav_cat;          /* navigation entry to mark */
} archive_info;

typedef int (*archive_lookup)(hreq_t *rq, const char *slug, store_query *q, archive_info *out);

static int lookup_category(hreq_t *rq, const char *slug, store_query *q, archive_info *out)
{
    store_category c;
    int rc = store_category_by_slug(rq->store, rq->arena, slug, &c);
    if (rc < 0)
        return rc;
    q->category_id = c.id;
    *out = (archive_info){ "/category/", c.name, c.description, "قسم", c.parent_id ? c.parent_id : c.id };
    return 0;
}

static int lookup_tag(hreq_t *rq, const char *slug, store_query *q, archive_info *out)
{
    store_tag t;
    int rc = store_tag_by_slug(rq->store, rq->arena, slug, &t);
    if (rc < 0)
        return rc;
    q->tag_id = t.id;
    *out = (archive_info){ "/tag/", t.name, NULL, "وسم", 0 };
    return 0;
}

static int lookup_author(hreq_t *rq, const char *slug, store_query *q, archive_info *out)
{
    store_author au;
    int rc = store_author_by_slug(rq->store, rq->arena, slug, &au);
    if (rc < 0)
        return rc;
    q->author_id = au.id;
    *out = (archive_info){ "/author/", au.name, au.bio, "كاتب", 0 };
    return 0;
}

static int archive(hreq_t *rq, hresp_t *rs, archive_lookup lookup)
{
    if (rq->nparams < 1 || !rq->params[0] || !*rq->params[0])
        return NS_ENOTFOUND;
    view_settings st;
    int rc = view_settings_load(rq, &st);
    if (rc < 0)
        return rc;
    store_query q = { .now = rq->now, .with_comments = true };
    archive_info info;
    if ((rc = lookup(rq, rq->params[0], &q, &info)) < 0)
        return rc;
    int page = rq->page < 1 ? 1 : rq->page;
    const char *base = arena_printf(rq->arena, "%s%s/", info.prefix, rq->params[0]);
    const char *title = page > 1 ? arena_printf(rq->arena, "%s – الصفحة %d", info.name, page) : info.name;
    mu_value *root = view_root(rq, &st, title, info.description, info.nav_cat);
    mu_value *o = mu_object(rq->arena);
    mu_set_str(o, "name", info.name);
    mu_set_str(o, "kind", info.kind);
    view_set_opt(o, "description", info.description);
    if (page > 1)
        mu_set_int(o, "page_no", page);
    else
        mu_set_bool(o, "page_no", false);
    struct store_article_list l;
    int64_t newest = 0;
    if ((rc = view_paged_list(rq, &st, &q, base, o, &l, &newest)) < 0)
        return rc;
    mu_set(o, "items", view_summary_list(rq->arena, &l, &st));
    mu_set(root, "archive", o);
    if ((rc = view_render(rq, rs, "archive", root)) < 0)
        return rc;
    rs->last_modified = newest;
    return 0;
}

int handler_category(hreq_t *rq, hresp_t *rs) { return archive(rq, rs, lookup_category); }
int handler_tag(hreq_t *rq, hresp_t *rs) { return archive(rq, rs, lookup_tag); }
int handler_author(hreq_t *rq, hresp_t *rs) { return archive(rq, rs, lookup_author); }
