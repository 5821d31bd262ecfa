/*
 * form.h - what a request carries besides its path, decoded for handlers:
 * query strings and urlencoded forms (application/x-www-form-urlencoded),
 * multipart forms (multipart/form-data, RFC 7578), Cookie headers, and the
 * canonical form of a query that a cache key may include.
 *
 * Everything here is outside input: names and values are decoded and
 * checked (well-formed UTF-8, no NUL; a file part's bytes are kept as they
 * are), counts and sizes are bounded, and a malformed input is refused
 * whole with NS_EINVAL (a 400) rather than half-read. Results are arrays
 * of hreq_param on the caller's arena; nothing to free.
 */
#ifndef NS_HTTP_FORM_H
#define NS_HTTP_FORM_H

#include <stddef.h>
#include "core/arena.h"
#include "handlers/handler.h"

/* Most parameters one query, form or Cookie header may hold (NS_ETOOBIG):
 * PHP's default (max_input_vars), which sites moved here were built for. */
#define FORM_MAX_PARAMS 1000

/* Parse "a=1&b=%D8%A8+x" (n bytes; a query string without its '?', or an
 * urlencoded body). Empty pieces ("a=1&&b") are skipped; a piece without
 * '=' is a name with an empty value. */
int form_parse_urlencoded(arena_t *a, const char *s, size_t n, hreq_param **out, size_t *count);

/* The boundary of a multipart/form-data Content-Type value (n bytes), on
 * arena a; NS_EINVAL if the type is not multipart/form-data or has no
 * valid boundary (1..70 characters, RFC 2046). */
int form_multipart_boundary(arena_t *a, const char *ctype, size_t n, const char **boundary);

/* Parse a multipart/form-data body. Each part needs a Content-Disposition
 * of form-data with a name; a part with a filename keeps its bytes as they
 * are (value_len; filename and content_type set), others must be UTF-8
 * text. */
int form_parse_multipart(arena_t *a, const char *boundary, const char *body, size_t n,
                         hreq_param **out, size_t *count);

/* Parse a Cookie header value ("a=1; b=2"; RFC 6265 §5.4: values taken as
 * they are, surrounding double quotes removed). Pieces without '=' are
 * skipped, as browsers do. */
int form_parse_cookies(arena_t *a, const char *s, size_t n, hreq_param **out, size_t *count);

/* The canonical query of params for a cache key: for each name listed in
 * `names` (NULL-terminated), its first value (the one hreq_param_get and
 * so a handler reads), sorted by name, re-encoded; "" when none is
 * present, so "?utm_source=x" does not split a page's entry. */
const char *form_canonical_query(arena_t *a, const hreq_param *params, size_t n,
                                 const char *const *names);

#endif
