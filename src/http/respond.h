/*
 * respond.h - turning a handler's hresp_t into responses h2o can send:
 * validators (strong ETag, Last-Modified), conditional GET (304), gzip
 * content coding, and the headers every nashra response carries.
 *
 * The parsing helpers take header values as h2o gives them (pointer and
 * length, not NUL-terminated) and are exported so they can be tested
 * without a network connection.
 */
#ifndef NS_HTTP_RESPOND_H
#define NS_HTTP_RESPOND_H

#include <h2o.h>
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/secret.h"
#include "handlers/handler.h"
#include "http/cache.h"

/* Bodies at most this long are never compressed. */
#define RESPOND_GZIP_MIN 256

/* True if an Accept-Encoding value (n bytes) admits gzip: "gzip" (or
 * "x-gzip") listed with q > 0, or else "*" listed with q > 0. NULL: false. */
bool respond_accepts_gzip(const char *accept_encoding, size_t n);

/* respond_accepts_gzip of the request's Accept-Encoding header. */
bool respond_client_gzip(h2o_req_t *req);

/* True if the If-None-Match value inm (n bytes) matches: "*", or any listed
 * tag equal to one of e's variant ETags by weak comparison (W/ ignored). */
bool respond_etag_matches(const char *inm, size_t n, const cache_entry *e);

/* True if the If-Modified-Since value ims (n bytes: any of the three HTTP
 * date forms) says the client's copy of a resource last modified at
 * `last_modified` is current: the dates are equal to the second, as nginx
 * compares (a date in the future is not a reason to answer 304). */
bool respond_not_modified_since(const char *ims, size_t n, int64_t last_modified);

/* Quoted strong ETag of body (hash, hex) plus suffix ("" or "-gz") into out. */
void respond_etag(const void *body, size_t n, const char *suffix, char out[CACHE_ETAG_SIZE]);

/* True for content types worth compressing (any text type, XML, RSS, Atom, JSON, JS). */
bool respond_compressible(const char *content_type);

/* zlib levels: a response compressed once and served many times from the
 * cache is worth the default effort; one compressed for a single reader
 * (cache off, or a page that is never cached) is not. */
enum { RESPOND_GZIP_CACHED = 6, RESPOND_GZIP_ONCE = 1 };

/* gzip-compress in[0..n) at zlib level `level` (1..9) into a malloc'd
 * buffer (*out, caller frees). NS_EINTERNAL if zlib fails. */
int respond_gzip(const void *in, size_t n, int level, unsigned char **out, size_t *outlen);

/* How respond_entry builds an entry. */
typedef struct respond_opts {
    bool borrow;         /* keep pointing at rs's body (see respond_entry) */
    bool gzip;           /* add a gzip variant if worthwhile */
    const char *allow;   /* Allow of a 405 (NULL: "GET, HEAD") */
    const char *xcache;  /* X-Cache value (HIT for entries kept; NULL: no header) */
    const secret_key *token_key; /* signs the form token of pages with one (NULL: none) */
} respond_opts;

/* Build the entry for rs: identity; gzip if o->gzip and worthwhile; 304
 * forms for status 200; Allow for 405; rs's own headers. The body is
 * copied onto the entry's arena unless o->borrow is set, in which case it
 * must outlive every use of the entry (the request's arena does, for
 * entries that are not cached) and is compressed for this one use
 * (RESPOND_GZIP_ONCE). The caller owns the returned reference. Scratch
 * strings go on arena a. */
cache_entry *respond_entry(arena_t *a, const hresp_t *rs, const respond_opts *o);

/* Send the variant of e this request should get: 304 if the request's
 * If-None-Match (or, without it, If-Modified-Since) validates it, gzip if
 * accepted, headers only for HEAD. xcache, if not NULL, replaces e's
 * X-Cache value for this one response (the render that fills an entry
 * is a MISS) at the cost of copying the header array. Takes its own
 * reference on e, dropped when h2o is done with the request. */
void respond_send(h2o_req_t *req, cache_entry *e, const char *xcache);

/* Longest part of a page after its form token (cache_token.tail): the
 * token and the tail go in one stored deflate block; a page whose slot is
 * further from its end gets no token. */
#define RESPOND_TAIL_MAX 60000
/* Room respond_token_tail needs for a page whose tail is tail_len bytes. */
#define RESPOND_TOKEN_TAIL_SIZE(tail_len) (5 + SECRET_TOKEN_MAX + (tail_len) + 8)

/* What follows variant var's body in a response of e, a page with a form
 * token (e->token.scope set), into out (RESPOND_TOKEN_TAIL_SIZE of its tail_len bytes): a
 * token signed at `now`, then the tail; for gzip, both in one final
 * stored deflate block and the stream's trailer (the CRC of the whole
 * body, combined from the head's, and its length). Returns its length. */
size_t respond_token_tail(const cache_entry *e, int var, int64_t now, unsigned char *out);

/* Send a small plain-text response with the given status, for requests
 * refused before a page could be rendered; `close` ends the connection
 * after it (framing of the request cannot be trusted). */
void respond_plain(h2o_req_t *req, int status, const char *text, bool close);

/* The reason phrase of an HTTP status ("OK", "Not Found"…). */
const char *respond_reason(int status);

#endif
