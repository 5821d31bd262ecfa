/*
 * handler.h - the contract between the HTTP layer and the page handlers.
 *
 * The HTTP layer (http/) decodes and routes a request, then calls one
 * handler with an hreq (everything the handler may read: the route's
 * captures, the decoded query, form fields, cookies, selected headers, the
 * client address; all owned by the request arena or longer-lived) and an
 * hresp to fill. Handlers never touch the HTTP library: they produce a
 * status, a content type, extra headers and a body, and return 0 or an
 * NS_E* code. A non-zero return becomes the themed error page through
 * handler_error(), the one place where codes become pages (its table maps
 * each code to a status: NS_ENOTFOUND 404, NS_EBUSY 503, ...); the HTTP
 * layer adds Allow to a 405 from its route table.
 *
 * Caching is the HTTP layer's business: a response with cacheable == true,
 * from a route the table marks cacheable, is kept until a write changes one
 * of the store keys its reads recorded (store.h), or expires_at passes.
 */
#ifndef NS_HANDLERS_HANDLER_H
#define NS_HANDLERS_HANDLER_H

#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/buf.h"
#include "core/ratelimit.h"
#include "core/secret.h"
#include "render/theme.h"
#include "store/store.h"

/* Site-wide, read-only configuration shared by all requests. */
typedef struct site_config {
    const char *dir;          /* site directory */
    const char *base_url;     /* absolute, no trailing slash, e.g. "http://127.0.0.1:8080" */
    /* base_url is only the listening address (nashra serve without
     * --base-url): the site_url setting, when it holds one, replaces it
     * on each request (page.c) */
    bool base_url_setting;
    const theme_t *theme;
    const secret_key *secret; /* the site's key: form tokens, hashed client addresses */
} site_config;

#define HREQ_MAX_PARAMS 4

/* One decoded name/value pair: a query or form field, a cookie, a header.
 * Text is NUL-terminated UTF-8; a multipart file part's value is its bytes
 * as sent (value_len; it may hold NULs), with filename and content_type. */
typedef struct hreq_param {
    const char *name, *value;
    size_t value_len;
    const char *filename, *content_type; /* multipart parts only, else NULL */
} hreq_param;

typedef struct hreq {
    arena_t *arena;           /* request arena: everything allocated here */
    store_t *store;           /* this thread's connection */
    int store_rc;             /* why store is NULL: its open failed (only a probe runs so) */
    const site_config *site;
    const char *method;       /* "GET", "HEAD" or "POST": one the route allows */
    const char *path;         /* decoded UTF-8 path, e.g. "/category/سياسة/" */
    const char *client;       /* the reader's address as text (through trusted proxies) */
    const hreq_param *query;  /* decoded query parameters, in order sent */
    size_t nquery;
    const hreq_param *form;   /* decoded form fields of a POST (routes that read one) */
    size_t nform;
    const hreq_param *cookies;
    size_t ncookies;
    const hreq_param *headers; /* selected request headers (lower-case names):
                                 user-agent, referer, accept-language, origin,
                                 content-type, range, if-range */
    size_t nheaders;
    int64_t now;              /* request time, Unix seconds */
    const char *params[HREQ_MAX_PARAMS]; /* route captures, decoded ({slug}, {path}) */
    int nparams;
    int page;                 /* from /page/N/ or sitemap-N (1 when absent) */
    /* Server statistics for /healthz, one "name value" line each, appended
     * to out; NULL when there are none. */
    void (*stats)(void *cls, buf_t *out);
    void *stats_cls;
    ratelimit_t *limiter;     /* per-client rate of writes (comments), shared */
    struct worker_t *media;   /* makes uploaded images' variants (media/worker.h); NULL: none */
} hreq_t;

/* Most extra headers one response may carry. */
#define HRESP_MAX_HEADERS 12

typedef struct hresp {
    int status;               /* default 200 */
    const char *content_type; /* default "text/html; charset=utf-8" */
    buf_t body;               /* on the request arena */
    const char *location;     /* Location header for 3xx */
    int64_t last_modified;    /* 0: none */
    int max_age;              /* Cache-Control: public, max-age=N (0: no-cache) */
    const char *cache_control;/* if set, the Cache-Control value instead ("private, no-store") */
    bool cacheable;           /* may be kept in the response cache */
    int64_t expires_at;       /* cache entry invalid at/after this time (0: no limit) */
    struct { const char *name, *value; } headers[HRESP_MAX_HEADERS]; /* Set-Cookie, Retry-After... */
    size_t nheaders;
    /* A page with a form carries, once, HRESP_TOKEN_SLOT where the form's
     * token goes, and names here what the token is for (an article id;
     * 0: no token). The HTTP layer puts a freshly signed token in the slot
     * of every response it sends, cached or not, so the token's time is
     * when the reader got the page. */
    int64_t form_token;
    /* A write the reader must not be told is done before it is durable:
     * when run is set, the HTTP layer hands run(store, arg) to the group
     * commit (http/commit.h) and calls done(rq, rs, rc) on the request's
     * thread once it committed (rc 0) or failed, to fill rs as a handler
     * does. Everything arg points to must live on rq->arena. */
    struct {
        int (*run)(store_t *s, void *arg);
        void *arg;
        int (*done)(hreq_t *rq, struct hresp *rs, int rc);
    } defer;
} hresp_t;

/* Cookies of a commenter, read by the article page (http/router.h
 * ROUTE_PERSONAL): the id of the comment just held for moderation, shown
 * as a notice to its writer only; and the name and email a reader asked
 * the site to remember. */
#define HREQ_COOKIE_HELD "nashra_held"
#define HREQ_COOKIE_COMMENTER "nashra_commenter"

/* What a page prints where its form token goes (hresp_t.form_token). */
#define HRESP_TOKEN_SLOT "NASHRA-FORM-TOKEN-SLOT"


/* Value of the first parameter called name in v[0..n), NULL if none. */
const char *hreq_param_get(const hreq_param *v, size_t n, const char *name);
/* The query parameter, form field, cookie or header called name, or NULL. */
const char *hreq_query(const hreq_t *rq, const char *name);
const char *hreq_form(const hreq_t *rq, const char *name);
const char *hreq_cookie(const hreq_t *rq, const char *name);
const char *hreq_header(const hreq_t *rq, const char *name);

/* Reset rs to an empty 200 text/html response whose body grows on arena a. */
void hresp_init(hresp_t *rs, arena_t *a);

/* Add a response header (name and value must live as long as the
 * response: literals or the request arena). NS_ETOOBIG past
 * HRESP_MAX_HEADERS, NS_EINVAL if either holds a control character. */
int hresp_header(hresp_t *rs, const char *name, const char *value);

typedef int (*handler_fn)(hreq_t *rq, hresp_t *rs);

/* Page handlers (one file each under handlers/). Each returns 0 having
 * filled rs, or NS_ENOTFOUND / another NS_E* code. */
int handler_home(hreq_t *rq, hresp_t *rs);
int handler_article(hreq_t *rq, hresp_t *rs);     /* "/{slug}/": article, else static page */
int handler_category(hreq_t *rq, hresp_t *rs);
int handler_tag(hreq_t *rq, hresp_t *rs);
int handler_author(hreq_t *rq, hresp_t *rs);
/* params[0]: the slug of the category, tag or author (as rq->path begins
 * "/category/", "/tag/", "/author/"), or absent: the whole site */
int handler_feed_rss(hreq_t *rq, hresp_t *rs);
int handler_feed_atom(hreq_t *rq, hresp_t *rs);
int handler_sitemap_index(hreq_t *rq, hresp_t *rs);
int handler_sitemap_articles(hreq_t *rq, hresp_t *rs); /* rq->page: 1-based chunk */
int handler_sitemap_news(hreq_t *rq, hresp_t *rs);
int handler_sitemap_pages(hreq_t *rq, hresp_t *rs);
int handler_robots(hreq_t *rq, hresp_t *rs);
int handler_healthz(hreq_t *rq, hresp_t *rs);
int handler_asset(hreq_t *rq, hresp_t *rs);       /* params[0]: path under the theme */
/* /uploads/{path} (uploads.c): a file of the site's media library, from
 * DIR/uploads/ (site_config.dir), never outside it; one byte range of it
 * (206) when the Range header asks for one. */
int handler_upload(hreq_t *rq, hresp_t *rs);
int handler_comment_post(hreq_t *rq, hresp_t *rs); /* POST /{slug}/comments */
/* /search?q=…&page=N (search_page.c): the results page; another spelling
 * of the same search, 301 to its canonical one. */
int handler_search(hreq_t *rq, hresp_t *rs);
/* /opensearch.xml: the OpenSearch description of the search page. */
int handler_opensearch(hreq_t *rq, hresp_t *rs);
/* WordPress's search link "/?s=…" (home.c hands it over): 301 to the
 * search page for it. */
int handler_search_wp(hreq_t *rq, hresp_t *rs);

/* The feed that follows the page at target (a decoded path or an absolute
 * URL, as the redirects table holds): "/category/c/" → "/category/c/feed/",
 * likewise a tag's or an author's archive; anything else has no feed of
 * its own and is returned as it is. On arena a, or target itself. */
const char *handler_feed_path(arena_t *a, const char *target);

/* Fill rs with the themed error page for rc (an Arabic page; status by
 * code: 404 NS_ENOTFOUND, 400 NS_EINVAL, 405 NS_EMETHOD, 413/414
 * NS_ETOOBIG, 503 NS_EBUSY with Retry-After, 500 otherwise), replacing
 * whatever rs held. Always succeeds: falls back to a built-in page if the
 * theme cannot render. */
void handler_error(hreq_t *rq, hresp_t *rs, int rc);
/* The same page with a given status and message (a form refused with 422
 * and what was wrong with it). */
void handler_error_page(hreq_t *rq, hresp_t *rs, int status, const char *title, const char *detail);

#endif
