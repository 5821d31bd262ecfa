/*
 * router.h - maps a decoded request path to the page handler that serves it.
 *
 * The route table is data: per URL pattern, the methods it allows, its
 * handler, what the request path must do for it (read a form body, up to
 * how many bytes; run outside a read snapshot because it writes; keep its
 * answers in the shared cache) and which query parameters it reads. So the
 * set of URLs the site answers, and how each is served, is readable in one
 * place and matches docs/ARCHITECTURE.md. The router also owns the
 * canonical-URL decisions: "/x" becomes "/x/" when only the slash-ending
 * form exists, "…/page/1/" becomes "…/", and WordPress's other names of
 * feeds ("/feed/rss2/", "/comments/feed/"…) become nashra's (all 301).
 */
#ifndef NS_HTTP_ROUTER_H
#define NS_HTTP_ROUTER_H

#include "core/arena.h"
#include "handlers/handler.h"

/* Largest page number accepted by {n} (larger: no match, 404). */
#define ROUTER_MAX_PAGE 100000

/* Methods a route allows (HEAD is allowed wherever GET is). */
enum { ROUTE_GET = 1, ROUTE_POST = 2 };

/* What the request path does for a route. */
enum {
    ROUTE_CACHE = 1,  /* GET/HEAD answers may be kept in the shared cache */
    ROUTE_FORM = 2,   /* a POST carries a form (urlencoded or multipart) */
    ROUTE_WRITES = 4, /* writes to the store: no read snapshot around it */
    ROUTE_PROBE = 8,  /* no read snapshot either: it answers for the store's failures itself */
    ROUTE_PERSONAL = 16, /* a commenter's cookies (HREQ_COOKIE_HELD, _COMMENTER), or a
                            query parameter named in ROUTER_PERSONAL_QUERY, make the
                            answer that reader's: never the shared cache's */
    ROUTE_ADMIN = 32, /* the newsroom (handlers/admin.h): no read snapshot (it writes,
                         if only a session's last use), never the shared cache's, the
                         whole query given to the handler, and every answer, errors
                         included, with the headers of page_admin_headers */
};

/* The query parameter that makes a ROUTE_PERSONAL page one reader's: the
 * comment form set to reply (how «رد» works without JavaScript). */
#define ROUTER_PERSONAL_QUERY "replytocom"

typedef struct route {
    const char *pattern;
    unsigned methods;           /* ROUTE_GET | ROUTE_POST */
    handler_fn fn;
    unsigned flags;             /* ROUTE_CACHE ... */
    size_t body_limit;          /* bytes of body accepted (ROUTE_FORM); larger: 413 */
    const char *const *query;   /* query parameters it reads (NULL-terminated; NULL: none),
                                   the only ones a cache key includes */
} route;

typedef struct route_match {
    const route *route;                   /* set when the result is ROUTER_HANDLER */
    handler_fn fn;                        /* route->fn */
    const char *params[HREQ_MAX_PARAMS];  /* captures, in pattern order */
    int nparams;
    int page;                             /* {n}, 1 when the route has none */
    const char *redirect;                 /* ROUTER_REDIRECT: decoded target path */
} route_match;

enum { ROUTER_HANDLER = 0, ROUTER_REDIRECT = 1 };

/* Match a decoded, NUL-terminated UTF-8 path. Returns ROUTER_HANDLER with
 * m->fn, params and page set; ROUTER_REDIRECT with m->redirect (a decoded
 * path to send with a 301); or NS_ENOTFOUND. Captures and the redirect path
 * point into `path` or are allocated on arena a; nothing to free. */
int router_match(arena_t *a, const char *path, route_match *m);

/* The Allow header value of r ("GET, HEAD", "POST"...), a static string. */
const char *router_allow(const route *r);

/* The largest body_limit of the table: what the server reads of a body
 * before a route says whether it wants it. */
size_t router_body_max(void);

#endif
