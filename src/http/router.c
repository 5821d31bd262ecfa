/*
 * router.c - the route table and its matcher.
 *
 * Routes are a table of patterns so that adding a URL is one line and the
 * table can be compared with the documented URL list at a glance. Patterns
 * are literal text with three kinds of capture: {slug} (one non-empty path
 * segment), {n} (a page number 1..ROUTER_MAX_PAGE without leading zeros) and
 * {path} (the non-empty rest of the path, without ".."). The first matching
 * row wins, so the catch-all "/{slug}/" comes last. Matching runs on the
 * decoded path and allocates only for the captures of the row that matched.
 */
#include "http/router.h"

#include <string.h>
#include "core/err.h"
#include "handlers/admin.h"
#include "media/library.h"

/* Pages every reader gets alike: GET/HEAD, cached. */
#define PAGE(pattern, fn) {pattern, ROUTE_GET, fn, ROUTE_CACHE, 0, NULL}

/* WordPress's links to the root that sites moved here keep receiving from
 * old shares and feed readers: "/?p=ID" (an article's short link),
 * "/?page_id=", "/?attachment_id=", "/?cat=", "/?tag=", "/?author=",
 * "/?m=" (redirects, home.c), "/?feed=" (the feeds) and "/?s=…" (the
 * search page). */
static const char *const home_query[] = {"attachment_id", "author", "cat", "feed", "m", "p",
                                         "page_id", "s", "tag", NULL};

/* The search page: the query and the page of results. */
static const char *const search_query[] = {"page", "q", NULL};

/* An article's comment pages, and the form set to reply to one comment
 * (how «رد» works without JavaScript). */
static const char *const article_query[] = {"cpage", "replytocom", NULL};

/* The newsroom: its forms carry an article's text at most (uploads have
 * their own route). */
#define ADMIN_BODY_LIMIT (1024 * 1024)
#define ADMIN(pattern, methods, fn) \
    {pattern, methods, fn, ROUTE_ADMIN | ROUTE_FORM, ADMIN_BODY_LIMIT, NULL}

/* A comment form: a few KiB of text at most (the text's own limit is
 * 5,000 characters, up to 4 bytes each, plus the other fields). */
#define COMMENT_BODY_LIMIT (64 * 1024)

/* An article's text is at most 8 MiB (render/markdown.h): the editor's
 * forms and its preview take that with room for the other fields. */
#define ADMIN_EDIT_LIMIT (9 * 1024 * 1024)
#define ADMIN_EDITOR(pattern, methods, fn) \
    {pattern, methods, fn, ROUTE_ADMIN | ROUTE_FORM, ADMIN_EDIT_LIMIT, NULL}

static const route router_table[] = {
    {"/", ROUTE_GET, handler_home, ROUTE_CACHE, 0, home_query},
    PAGE("/page/{n}/", handler_home),
    PAGE("/feed/", handler_feed_rss),
    PAGE("/feed/atom/", handler_feed_atom),
    PAGE("/category/{slug}/", handler_category),
    PAGE("/category/{slug}/page/{n}/", handler_category),
    PAGE("/category/{slug}/feed/", handler_feed_rss),
    PAGE("/category/{slug}/feed/atom/", handler_feed_atom),
    PAGE("/tag/{slug}/feed/", handler_feed_rss),
    PAGE("/tag/{slug}/feed/atom/", handler_feed_atom),
    PAGE("/tag/{slug}/", handler_tag),
    PAGE("/tag/{slug}/page/{n}/", handler_tag),
    PAGE("/author/{slug}/feed/", handler_feed_rss),
    PAGE("/author/{slug}/feed/atom/", handler_feed_atom),
    PAGE("/author/{slug}/", handler_author),
    PAGE("/author/{slug}/page/{n}/", handler_author),
    PAGE("/sitemap.xml", handler_sitemap_index),
    PAGE("/sitemap-articles-{n}.xml", handler_sitemap_articles),
    PAGE("/sitemap-news.xml", handler_sitemap_news),
    PAGE("/sitemap-pages.xml", handler_sitemap_pages),
    PAGE("/robots.txt", handler_robots),
    {"/search", ROUTE_GET, handler_search, ROUTE_CACHE, 0, search_query},
    PAGE("/opensearch.xml", handler_opensearch),
    {"/healthz", ROUTE_GET, handler_healthz, ROUTE_PROBE, 0, NULL},
    PAGE("/assets/{path}", handler_asset),
    ADMIN("/admin/", ROUTE_GET, handler_admin_home),
    ADMIN("/admin/login", ROUTE_GET | ROUTE_POST, handler_admin_login),
    ADMIN("/admin/logout", ROUTE_POST, handler_admin_logout),
    ADMIN("/admin/users/", ROUTE_GET | ROUTE_POST, handler_admin_users),
    ADMIN("/admin/users/{path}", ROUTE_GET | ROUTE_POST, handler_admin_users),
    ADMIN("/admin/profile", ROUTE_GET | ROUTE_POST, handler_admin_users),
    {"/admin/media/", ROUTE_GET | ROUTE_POST, handler_admin_media, ROUTE_ADMIN | ROUTE_FORM,
     LIBRARY_UPLOAD_LIMIT, NULL},
    ADMIN("/admin/media/{slug}/", ROUTE_GET, handler_admin_media),
    ADMIN("/admin/media/{slug}/delete", ROUTE_POST, handler_admin_media),
    ADMIN("/admin/comments/", ROUTE_GET | ROUTE_POST, handler_admin_comments),
    ADMIN("/admin/comments/{slug}/", ROUTE_GET | ROUTE_POST, handler_admin_comments),
    ADMIN("/admin/comments/{slug}/{slug}", ROUTE_POST, handler_admin_comments),
    ADMIN("/admin/settings", ROUTE_GET | ROUTE_POST, handler_admin_settings),
    PAGE("/uploads/{path}", handler_upload),
    ADMIN("/admin/articles/", ROUTE_GET, handler_admin_articles),
    ADMIN_EDITOR("/admin/articles/new", ROUTE_GET | ROUTE_POST, handler_admin_edit),
    ADMIN("/admin/articles/{slug}/revisions/", ROUTE_GET, handler_admin_revisions),
    ADMIN("/admin/articles/{slug}/revisions/{slug}/", ROUTE_GET, handler_admin_revisions),
    ADMIN("/admin/articles/{slug}/revisions/{slug}/restore", ROUTE_POST, handler_admin_revisions),
    ADMIN_EDITOR("/admin/articles/{slug}/", ROUTE_GET | ROUTE_POST, handler_admin_edit),
    ADMIN("/admin/articles/{slug}/{slug}", ROUTE_POST, handler_admin_article_action),
    ADMIN_EDITOR("/admin/preview", ROUTE_POST, handler_admin_preview),
    /* the site's own page, with its inline style and script: not under the
     * newsroom's Content-Security-Policy; the handler says no-store itself */
    {"/admin/preview/{slug}/", ROUTE_GET, handler_admin_preview, ROUTE_WRITES, 0, NULL},
    {"/{slug}/comments", ROUTE_POST, handler_comment_post, ROUTE_FORM | ROUTE_WRITES,
     COMMENT_BODY_LIMIT, NULL},
    {"/{slug}/", ROUTE_GET, handler_article, ROUTE_CACHE | ROUTE_PERSONAL, 0, article_query},
};

size_t router_body_max(void)
{
    size_t max = 0;
    for (size_t i = 0; i < sizeof router_table / sizeof *router_table; i++)
        if (router_table[i].body_limit > max)
            max = router_table[i].body_limit;
    return max;
}

/* Feed addresses WordPress answers and nashra has under another name:
 * each pattern 301s to its target, where "{slug}" stands for the capture.
 * There is no comments feed: readers of one get the articles'. */
static const struct router_alias {
    const char *pattern, *target;
} router_aliases[] = {
    {"/feed/rss2/", "/feed/"},
    {"/feed/rss/", "/feed/"},
    {"/feed/rdf/", "/feed/"},
    {"/comments/feed/", "/feed/"},
    {"/category/{slug}/feed/rss2/", "/category/{slug}/feed/"},
    {"/tag/{slug}/feed/rss2/", "/tag/{slug}/feed/"},
    {"/author/{slug}/feed/rss2/", "/author/{slug}/feed/"},
};

const char *router_allow(const route *r)
{
    switch (r->methods & (ROUTE_GET | ROUTE_POST)) {
    case ROUTE_GET: return "GET, HEAD";
    case ROUTE_POST: return "POST";
    default: return "GET, HEAD, POST";
    }
}

#define ROUTER_PAGE_SUFFIX "/page/{n}/"

/* A capture found while matching: a slice of the path. */
typedef struct capture {
    const char *s;
    size_t n;
} capture;

typedef struct scan {
    capture caps[HREQ_MAX_PARAMS];
    int ncaps;
    int page;
} scan;

/* Length of the {n} at s (0 if it is not a valid page number). */
static size_t router_number(const char *s, int *page)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 6 || s[0] == '0')
        return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    if (v > ROUTER_MAX_PAGE)
        return 0;
    *page = v;
    return n;
}

/* Length of the capture named `name` (len bytes) at s; 0: no match. */
static size_t router_capture(const char *name, size_t len, const char *s, scan *sc)
{
    size_t n;
    if (len == 1 && name[0] == 'n')
        return router_number(s, &sc->page);
    if (len == 4 && memcmp(name, "path", 4) == 0)
        n = strstr(s, "..") ? 0 : strlen(s);
    else
        n = strcspn(s, "/");
    if (n == 0 || sc->ncaps == HREQ_MAX_PARAMS)
        return 0;
    sc->caps[sc->ncaps++] = (capture){s, n};
    return n;
}

/* True if path matches pattern entirely; captures into sc. */
static bool router_try(const char *pattern, const char *path, scan *sc)
{
    const char *p = pattern, *s = path;
    sc->ncaps = 0;
    sc->page = 1;
    while (*p) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            size_t n = router_capture(p + 1, (size_t)(end - p - 1), s, sc);
            if (n == 0)
                return false;
            s += n;
            p = end + 1;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    return *s == '\0';
}

/* First table row matching path, or NULL. */
static const route *router_find(const char *path, scan *sc)
{
    for (size_t i = 0; i < sizeof router_table / sizeof router_table[0]; i++)
        if (router_try(router_table[i].pattern, path, sc))
            return &router_table[i];
    return NULL;
}

/* The target of the first alias path matches, on a; NULL if none does. */
static const char *router_alias_of(arena_t *a, const char *path)
{
    scan sc;
    for (size_t i = 0; i < sizeof router_aliases / sizeof *router_aliases; i++) {
        const struct router_alias *al = &router_aliases[i];
        if (!router_try(al->pattern, path, &sc))
            continue;
        const char *hole = strstr(al->target, "{slug}");
        if (!hole || sc.ncaps == 0)
            return al->target;
        return arena_printf(a, "%.*s%.*s%s", (int)(hole - al->target), al->target,
                            (int)sc.caps[0].n, sc.caps[0].s, hole + strlen("{slug}"));
    }
    return NULL;
}

static bool router_is_page_one(const route *r, const scan *sc)
{
    size_t pl = strlen(r->pattern), sl = strlen(ROUTER_PAGE_SUFFIX);
    return sc->page == 1 && pl >= sl && strcmp(r->pattern + pl - sl, ROUTER_PAGE_SUFFIX) == 0;
}

static int router_redirect(route_match *m, const char *target)
{
    m->redirect = target;
    return ROUTER_REDIRECT;
}

int router_match(arena_t *a, const char *path, route_match *m)
{
    memset(m, 0, sizeof *m);
    m->page = 1;
    if (!path || path[0] != '/')
        return NS_ENOTFOUND;
    size_t len = strlen(path);
    scan sc;
    const route *r = router_find(path, &sc);
    const char *alias = r ? NULL : router_alias_of(a, path);
    if (alias)
        return router_redirect(m, alias);
    if (!r) {
        /* Only directory-like paths get a slash: "/favicon.ico" or
         * "/wp-login.php" is a missing file, not "/favicon.ico/". Slugs
         * never hold a dot (text_slugify), so no page is lost by this. */
        const char *last = strrchr(path, '/');
        if (path[len - 1] == '/' || strchr(last, '.'))
            return NS_ENOTFOUND;
        char *slashed = arena_printf(a, "%s/", path);
        if (router_find(slashed, &sc))
            return router_redirect(m, slashed);
        alias = router_alias_of(a, slashed);
        return alias ? router_redirect(m, alias) : NS_ENOTFOUND;
    }
    if (router_is_page_one(r, &sc)) /* ".../page/1/" -> ".../" */
        return router_redirect(m, arena_strndup(a, path, len - strlen("page/1/")));
    m->route = r;
    m->fn = r->fn;
    m->page = sc.page;
    m->nparams = sc.ncaps;
    for (int i = 0; i < sc.ncaps; i++)
        m->params[i] = arena_strndup(a, sc.caps[i].s, sc.caps[i].n);
    return ROUTER_HANDLER;
}
