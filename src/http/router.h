/*
 * router.h - maps a decoded request path to the page handler that serves it.
 *
 * The route table is data (pattern -> handler), so the set of URLs the site
 * answers is readable in one place and matches docs/ARCHITECTURE.md. The
 * router also owns the canonical-URL decisions: "/x" becomes "/x/" when only
 * the slash-ending form exists, and "…/page/1/" becomes "…/" (both 301).
 */
#ifndef NS_HTTP_ROUTER_H
#define NS_HTTP_ROUTER_H

#include "core/arena.h"
#include "handlers/handler.h"

/* Largest page number accepted by {n} (larger: no match, 404). */
#define ROUTER_MAX_PAGE 100000

typedef struct route_match {
    handler_fn fn;                        /* set when the result is ROUTER_HANDLER */
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

#endif
