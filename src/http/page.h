/*
 * page.h - rendering one page, apart from HTTP: what the request layer
 * does between routing and sending, with nothing of h2o in it, so that
 * tests can run it under store fault injection.
 *
 * page_run runs the route's handler inside one read snapshot (or none, for
 * a route that writes) while the store records in deps the keys of what
 * it reads; a read that failed makes the page an error (the handler may
 * have gone on without it). page_error renders the error page for a code,
 * with its own keys; page_keep says whether the result may be cached.
 */
#ifndef NS_HTTP_PAGE_H
#define NS_HTTP_PAGE_H

#include <stdbool.h>
#include "handlers/handler.h"
#include "http/router.h"
#include "store/store.h"

/* What page_run needs of a request besides rq. */
typedef struct page_req {
    const route_match *match;  /* the router's answer (route NULL: none) */
    int route_rc;              /* router_match's result */
    const char *query;         /* raw query string, kept on redirects */
    const char *body;          /* a POST's body, NULL if none */
    size_t body_len;
    const char *content_type;  /* of the body */
} page_req;

/* Run the page for rq into rs (0), or return the NS_E* code of what
 * failed: the route's handler, else a redirect of the router or of the
 * redirects table (page_moved_paths; a row for a path the router would
 * give its slash comes first), else NS_ENOTFOUND. A form route's body is parsed into
 * rq->form first (NS_ETOOLARGE over its limit, NS_EINVAL if malformed).
 * deps receives the keys read; rq->store must be free of transactions and
 * is left so. */
int page_run(hreq_t *rq, hresp_t *rs, const page_req *pr, store_deps *deps);

/* The paths a missing path's redirect is looked up under, in order, into
 * out (the first is path itself): then "/X/" for a feed "/X/feed/" (or
 * "/X/feed"), with *feed_of set (the answer is then the feed of "/X/"'s
 * target, handler_feed_path), else path with its trailing slash removed
 * or added (not to a last segment with a dot: a file's name). Returns how
 * many (1 for "/" and file names). A path no route matches is
 * looked up under all of them (two point queries at most); one whose
 * handler found nothing, which has made its own queries, only under
 * itself and the page of a feed. Paths on arena a. */
size_t page_moved_paths(arena_t *a, const char *path, const char *out[2], bool *feed_of);

/* Replace rs with the error page for rc, deps with the keys it read. */
void page_error(hreq_t *rq, hresp_t *rs, store_deps *deps, int rc);

/* Whether rs may be kept in the shared cache: the handler said so, no
 * read failed, it sets no cookie, and it is a 200, a permanent redirect or
 * a 404. */
bool page_keep(const hresp_t *rs, const store_deps *deps);

/* What every answer of a ROUTE_ADMIN route carries, whatever it is (an
 * error page too): Cache-Control: no-store, a Content-Security-Policy
 * allowing scripts and styles from the site's files only and no framing,
 * X-Frame-Options and Referrer-Policy. NS_ETOOBIG if rs has no room left
 * for them. */
#define PAGE_ADMIN_CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
    "img-src 'self' data: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
int page_admin_headers(hresp_t *rs);

#endif
