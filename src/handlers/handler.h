/*
 * handler.h - the contract between the HTTP layer and the page handlers.
 *
 * The HTTP layer (http/) decodes and routes a request, then calls one
 * handler with an hreq (everything the handler may read, all owned by the
 * request arena or longer-lived) and an hresp to fill. Handlers never touch
 * the HTTP library: they produce a status, a content type and a body, and
 * return 0 or an NS_E* code. A non-zero return (NS_ENOTFOUND -> 404, other
 * codes -> 500) is turned into the themed error page by handler_error(),
 * the one place where error codes become pages.
 *
 * Caching is the HTTP layer's business: a response with cacheable == true
 * is kept until the store generation changes or expires_at passes.
 */
#ifndef NS_HANDLERS_HANDLER_H
#define NS_HANDLERS_HANDLER_H

#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/buf.h"
#include "render/theme.h"
#include "store/store.h"

/* Site-wide, read-only configuration shared by all requests. */
typedef struct site_config {
    const char *dir;          /* site directory */
    const char *base_url;     /* absolute, no trailing slash, e.g. "http://127.0.0.1:8080" */
    const theme_t *theme;
} site_config;

#define HREQ_MAX_PARAMS 4

typedef struct hreq {
    arena_t *arena;           /* request arena: everything allocated here */
    store_t *store;           /* this thread's connection */
    const site_config *site;
    const char *method;       /* "GET" or "HEAD" (others are refused earlier) */
    const char *path;         /* decoded UTF-8 path, e.g. "/category/سياسة/" */
    const char *client;       /* the reader's address as text (through trusted proxies) */
    int64_t now;              /* request time, Unix seconds */
    const char *params[HREQ_MAX_PARAMS]; /* route captures, decoded ({slug}, {path}) */
    int nparams;
    int page;                 /* from /page/N/ or sitemap-N (1 when absent) */
    /* Server statistics for /healthz, one "name value" line each, appended
     * to out; NULL when there are none. */
    void (*stats)(void *cls, buf_t *out);
    void *stats_cls;
} hreq_t;

typedef struct hresp {
    int status;               /* default 200 */
    const char *content_type; /* default "text/html; charset=utf-8" */
    buf_t body;               /* on the request arena */
    const char *location;     /* Location header for 3xx */
    int64_t last_modified;    /* 0: none */
    int max_age;              /* Cache-Control: public, max-age=N (0: no-cache) */
    bool cacheable;           /* may be kept in the response cache */
    int64_t expires_at;       /* cache entry invalid at/after this time (0: no limit) */
} hresp_t;

typedef int (*handler_fn)(hreq_t *rq, hresp_t *rs);

/* Page handlers (one file each under handlers/). Each returns 0 having
 * filled rs, or NS_ENOTFOUND / another NS_E* code. */
int handler_home(hreq_t *rq, hresp_t *rs);
int handler_article(hreq_t *rq, hresp_t *rs);     /* "/{slug}/": article, else static page */
int handler_category(hreq_t *rq, hresp_t *rs);
int handler_tag(hreq_t *rq, hresp_t *rs);
int handler_author(hreq_t *rq, hresp_t *rs);
int handler_feed_rss(hreq_t *rq, hresp_t *rs);    /* params[0]: category slug or absent */
int handler_feed_atom(hreq_t *rq, hresp_t *rs);
int handler_sitemap_index(hreq_t *rq, hresp_t *rs);
int handler_sitemap_articles(hreq_t *rq, hresp_t *rs); /* rq->page: 1-based chunk */
int handler_sitemap_news(hreq_t *rq, hresp_t *rs);
int handler_sitemap_pages(hreq_t *rq, hresp_t *rs);
int handler_robots(hreq_t *rq, hresp_t *rs);
int handler_healthz(hreq_t *rq, hresp_t *rs);
int handler_asset(hreq_t *rq, hresp_t *rs);       /* params[0]: path under the theme */

/* Fill rs with the themed error page for rc (404 page in Arabic for
 * NS_ENOTFOUND, 500 otherwise), replacing whatever rs held. Always
 * succeeds: falls back to a built-in page if the theme cannot render. */
void handler_error(hreq_t *rq, hresp_t *rs, int rc);

#endif
