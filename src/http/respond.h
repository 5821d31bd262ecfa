/*
 * respond.h - turning a handler's hresp_t into libmicrohttpd responses:
 * validators (strong ETag, Last-Modified), conditional GET (304), gzip
 * content coding, and the headers every nashra response carries.
 *
 * The parsing helpers are exported separately so they can be tested
 * without a network connection.
 */
#ifndef NS_HTTP_RESPOND_H
#define NS_HTTP_RESPOND_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "handlers/handler.h"
#include "http/cache.h"

/* Bodies at most this long are never compressed. */
#define RESPOND_GZIP_MIN 256

/* True if an Accept-Encoding header value admits gzip: "gzip" (or
 * "x-gzip") listed with q > 0, or else "*" listed with q > 0. NULL: false. */
bool respond_accepts_gzip(const char *accept_encoding);

/* respond_accepts_gzip of the request's Accept-Encoding header. */
bool respond_client_gzip(struct MHD_Connection *c);

/* True if the If-None-Match value inm matches: "*", or any listed tag equal
 * to one of e's variant ETags by weak comparison (W/ ignored). */
bool respond_etag_matches(const char *inm, const cache_entry *e);

/* Quoted strong ETag of body (hash, hex) plus suffix ("" or "-gz") into out. */
void respond_etag(const void *body, size_t n, const char *suffix, char out[CACHE_ETAG_SIZE]);

/* True for content types worth compressing (any text type, XML, RSS, Atom, JSON, JS). */
bool respond_compressible(const char *content_type);

/* gzip-compress in[0..n) into a malloc'd buffer (*out, caller frees).
 * NS_EINTERNAL if zlib fails. */
int respond_gzip(const void *in, size_t n, unsigned char **out, size_t *outlen);

/* Build the entry (identity; gzip if `gzip` is set and it is worthwhile;
 * 304 forms for status 200) for rs. The body is copied unless `borrow` is
 * set, in which case it must outlive every use of the entry (the request
 * arena does, for entries that are not cached). The caller owns the
 * returned reference. Scratch strings go on arena a. */
cache_entry *respond_entry(arena_t *a, const hresp_t *rs, bool borrow, bool gzip);

/* Queue the variant of e this request should get: 304 if the request's
 * If-None-Match (or, without it, If-Modified-Since) validates it, gzip if
 * accepted. HEAD is handled by libmicrohttpd (headers only). */
enum MHD_Result respond_queue(struct MHD_Connection *c, const cache_entry *e);

/* Queue a small plain-text response with the given status (and an Allow
 * header for 405), for requests refused before routing. */
enum MHD_Result respond_plain(struct MHD_Connection *c, int status, const char *text);

#endif
