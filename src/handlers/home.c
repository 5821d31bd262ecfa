/*
 * home.c - the front page: the lead story, the latest list and one block
 * per top-level category, like a printed front page; /page/N/ continues
 * the latest list alone, so older news stays reachable by plain links.
 */
#include "handlers/handler.h"

#include "handlers/syndicate.h"
#include "handlers/view.h"

#include "core/err.h"
#include "core/text.h"

enum { HOME_CATEGORY_ITEMS = 4 };

/* One block per top-level category with its newest articles; empty
 * categories are left out. A failed query leaves its block out here; the
 * store has noted it, and the page is replaced by the error page (view.c). */
static mu_value *category_blocks(hreq_t *rq, const view_settings *st)
{
    mu_value *blocks = mu_list(rq->arena);
    store_category *cats;
    size_t n;
    if (store_category_list(rq->store, rq->arena, &cats, &n) < 0)
        return blocks;
    for (size_t i = 0; i < n; i++) {
        if (cats[i].parent_id != 0 || !cats[i].slug)
            continue;
        store_query q = { .category_id = cats[i].id, .now = rq->now, .limit = HOME_CATEGORY_ITEMS,
                          .with_comments = true };
        struct store_article_list l = {0};
        if (store_article_list(rq->store, rq->arena, &q, &l) < 0 || l.n == 0)
            continue;
        mu_value *b = mu_object(rq->arena);
        mu_set_int(b, "id", cats[i].id);
        mu_set_str(b, "name", cats[i].name);
        mu_set_str(b, "url", arena_printf(rq->arena, "/category/%s/", cats[i].slug));
        mu_set(b, "items", view_summary_list(rq->arena, &l, st));
        mu_push(blocks, b);
    }
    return blocks;
}

/* "/?p=ID", WordPress's short link of an article: 301 to the article if
 * it is visible, else missing. */
static int home_short_link(hreq_t *rq, hresp_t *rs, const char *p)
{
    int64_t id;
    store_article ar;
    if (!text_parse_id(p, &id) || store_article_by_id(rq->store, rq->arena, id, &ar) != 0 ||
        (ar.status != ARTICLE_PUBLISHED && ar.status != ARTICLE_SCHEDULED) || ar.published_at > rq->now)
        return NS_ENOTFOUND;
    rs->status = 301;
    rs->location = synd_article_url(rq, ar.slug);
    rs->content_type = "text/plain; charset=utf-8";
    buf_puts(&rs->body, "moved\n");
    rs->cacheable = true;
    return 0;
}

int handler_home(hreq_t *rq, hresp_t *rs)
{
    const char *p = hreq_query(rq, "p");
    if (p && rq->page == 1)
        return home_short_link(rq, rs, p);
    if (hreq_query(rq, "s") && rq->page == 1)
        return handler_search_wp(rq, rs);
    view_settings st;
    int rc = view_settings_load(rq, &st);
    if (rc < 0)
        return rc;
    int page = rq->page < 1 ? 1 : rq->page;
    mu_value *root = view_root(rq, &st, page > 1 ? arena_printf(rq->arena, "الصفحة %d", page) : NULL,
                               NULL, 0);
    mu_value *home = mu_object(rq->arena);
    store_query q = { .now = rq->now, .with_comments = true };
    struct store_article_list l;
    int64_t newest = 0;
    if ((rc = view_paged_list(rq, &st, &q, "/", home, &l, &newest)) < 0)
        return rc;
    if (page == 1) {
        mu_set(home, "top", l.n ? view_summary(rq->arena, &l.items[0], &st) : mu_bool(rq->arena, false));
        if (l.n) {
            l.items++;
            l.n--;
        }
        mu_set(home, "categories", category_blocks(rq, &st));
        mu_set_bool(home, "front", true);
    } else {
        mu_set_bool(home, "front", false);
        mu_set_int(home, "page_no", page);
    }
    mu_set(home, "latest", view_summary_list(rq->arena, &l, &st));
    mu_set(root, "home", home);
    if ((rc = view_render(rq, rs, "home", root)) < 0)
        return rc;
    int64_t lm = 0;
    rs->last_modified = store_last_modified(rq->store, rq->now, &lm) == 0 && lm > newest ? lm : newest;
    return 0;
}
