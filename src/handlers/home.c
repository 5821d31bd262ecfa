/*
 * home.c - the front page: the lead story, the latest list and one block
 * per top-level category, like a printed front page; /page/N/ continues
 * the latest list alone, so older news stays reachable by plain links.
 */
#include "handlers/handler.h"

#include "handlers/syndicate.h"
#include "handlers/view.h"

#include <string.h>

#include "core/err.h"
#include "core/text.h"

enum { HOME_CATEGORY_ITEMS = 4, HOME_STICKY_ITEMS = 5 };

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

/* A redirect (301 or 302: only a permanent one is cached) to target: an
 * http(s) URL as it is, else a path of this site (whatever a redirects
 * row holds: "//host/x" is "/host/x" here). */
static int home_redirect(hreq_t *rq, hresp_t *rs, const char *target, int status)
{
    rs->status = status;
    rs->location = text_url_is_http(target) ? target
                   : synd_url(rq, "/", target + strspn(target, "/"), "");
    rs->content_type = "text/plain; charset=utf-8";
    buf_puts(&rs->body, "moved\n");
    rs->cacheable = status == 301;
    return 0;
}

static int home_moved(hreq_t *rq, hresp_t *rs, const char *target)
{
    return home_redirect(rq, rs, target, 301);
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
    return home_moved(rq, rs, synd_article_url(rq, ar.slug));
}

/* "/?tag=slug": the tag's archive, if there is such a tag. */
static int home_tag(hreq_t *rq, hresp_t *rs, const char *slug)
{
    store_tag t;
    int rc = store_tag_by_slug(rq->store, rq->arena, slug, &t);
    return rc < 0 ? rc : home_moved(rq, rs, synd_url(rq, "/tag/", t.slug, "/"));
}

/* The WordPress query links to the root an import recorded, each in the
 * redirects table as "/?NAME=VALUE" (VALUE decoded), in the order they
 * are looked for; and what answers one without a row (NULL: missing). */
static const struct home_link {
    const char *name;
    int (*fallback)(hreq_t *rq, hresp_t *rs, const char *value);
} home_links[] = {
    {"p", home_short_link},
    {"page_id", NULL},
    {"attachment_id", NULL},
    {"cat", NULL},
    {"tag", home_tag},
    {"author", NULL},
    {"m", NULL},
};

/* "/?feed=…": WordPress's names of its feeds, here the site's RSS or
 * Atom (there is no comments feed: the articles' instead). */
static const struct home_feed {
    const char *name, *path;
} home_feeds[] = {
    {"rss2", "/feed/"}, {"rss", "/feed/"}, {"rdf", "/feed/"}, {"comments-rss2", "/feed/"},
    {"atom", "/feed/atom/"},
};

static int home_feed(hreq_t *rq, hresp_t *rs, const char *name)
{
    for (size_t i = 0; i < sizeof home_feeds / sizeof *home_feeds; i++)
        if (strcmp(name, home_feeds[i].name) == 0)
            return home_moved(rq, rs, home_feeds[i].path);
    return NS_ENOTFOUND;
}

/* The answer to the first WordPress link of home_links the query holds:
 * its recorded redirect (to the target's feed with "feed=" too), else its
 * fallback, else missing; then "feed=" alone. HOME_PAGE: none present,
 * the home page itself. */
#define HOME_PAGE 1
static int home_wordpress(hreq_t *rq, hresp_t *rs)
{
    const char *feed = hreq_query(rq, "feed");
    for (size_t i = 0; i < sizeof home_links / sizeof *home_links; i++) {
        const char *v = hreq_query(rq, home_links[i].name);
        if (!v)
            continue;
        store_redirect red;
        const char *from = arena_printf(rq->arena, "/?%s=%s", home_links[i].name, v);
        int rc = store_redirect_lookup(rq->store, rq->arena, from, &red);
        if (rc == 0 && red.to_path)
            return home_redirect(rq, rs, feed ? handler_feed_path(rq->arena, red.to_path)
                                              : red.to_path, red.status == 302 ? 302 : 301);
        if (rc < 0 && rc != NS_ENOTFOUND)
            return rc;
        return home_links[i].fallback ? home_links[i].fallback(rq, rs, v) : NS_ENOTFOUND;
    }
    return feed ? home_feed(rq, rs, feed) : HOME_PAGE;
}

/* The front page's list: the newest sticky articles (at most
 * HOME_STICKY_ITEMS) first, then l without them. */
static int home_sticky_first(hreq_t *rq, struct store_article_list *l, int64_t *newest)
{
    store_query q = { .now = rq->now, .with_comments = true, .sticky_only = true,
                      .limit = HOME_STICKY_ITEMS };
    struct store_article_list s = {0};
    int rc = store_article_list(rq->store, rq->arena, &q, &s);
    if (rc < 0 && rc != NS_ENOTFOUND)
        return rc;
    if (s.n == 0)
        return 0;
    store_article *all = arena_alloc(rq->arena, (s.n + l->n) * sizeof *all);
    size_t n = 0;
    for (size_t i = 0; i < s.n; i++) {
        all[n++] = s.items[i];
        int64_t t = view_article_mtime(&s.items[i]);
        *newest = t > *newest ? t : *newest;
    }
    for (size_t i = 0; i < l->n; i++) {
        size_t k = 0;
        while (k < s.n && s.items[k].id != l->items[i].id)
            k++;
        if (k == s.n)
            all[n++] = l->items[i];
    }
    l->items = all;
    l->n = n;
    return 0;
}

int handler_home(hreq_t *rq, hresp_t *rs)
{
    if (hreq_query(rq, "s") && rq->page == 1)
        return handler_search_wp(rq, rs);
    int rc = rq->nquery && rq->page == 1 ? home_wordpress(rq, rs) : HOME_PAGE;
    if (rc != HOME_PAGE)
        return rc;
    view_settings st;
    rc = view_settings_load(rq, &st);
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
    if (page == 1 && (rc = home_sticky_first(rq, &l, &newest)) < 0)
        return rc;
    if (page == 1) {
        mu_value *top = l.n ? view_summary(rq->arena, &l.items[0], &st) : mu_bool(rq->arena, false);
        if (l.n)
            mu_set(top, "image", view_image_main(rq->arena, &l.items[0]));
        mu_set(home, "top", top);
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
