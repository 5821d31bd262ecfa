/*
 * respond.c - from hresp_t to bytes on the wire.
 *
 * Everything that depends only on the response (validators, compression,
 * headers) is computed once when the response is built, so a cached page
 * costs nothing per request but choosing a prebuilt variant. The ETag is a
 * hash of the body rather than a version number because handlers do not
 * know which rows a page depends on; the body is the truth. The gzip
 * variant gets its own ETag ("…-gz") since its bytes differ.
 */
#include "http/respond.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include "core/date.h"
#include "core/err.h"

#define RESPOND_CSP "default-src 'self'; img-src 'self' https: data:; " \
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; " \
    "frame-src https://www.youtube-nocookie.com https://www.youtube.com " \
    "https://player.vimeo.com; base-uri 'self'; form-action 'self'"

/* Headers on every response nashra sends. */
static const char *const respond_fixed[][2] = {
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"Content-Security-Policy", RESPOND_CSP},
    {"Vary", "Accept-Encoding"},
};

static const char *const respond_compressible_types[] = {
    "text/", "application/xml", "application/rss+xml", "application/atom+xml",
    "application/json", "application/javascript",
};

/* The per-response header values shared by the variants. */
typedef struct respond_meta {
    const char *content_type, *cache_control, *last_modified, *location;
} respond_meta;

static const char *respond_ows(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

/* True if the parameters of a list item ("; q=0.5", n bytes) give q > 0. */
static bool respond_q_positive(const char *s, const char *end)
{
    while (s < end) {
        s = respond_ows(s + 1, end); /* past ';' */
        if (end - s >= 2 && (s[0] == 'q' || s[0] == 'Q') && s[1] == '=') {
            for (s += 2; s < end && *s != ';'; s++)
                if (*s >= '1' && *s <= '9')
                    return true;
            return false;
        }
        s = memchr(s, ';', (size_t)(end - s));
        if (!s)
            break;
    }
    return true;
}

bool respond_accepts_gzip(const char *ae)
{
    int gzip = -1, star = -1; /* -1: not listed, 0: refused, 1: accepted */
    for (const char *p = ae; p && *p;) {
        const char *end = p + strcspn(p, ",");
        const char *t = respond_ows(p, end);
        size_t tn = strcspn(t, ";, \t");
        if (t + tn > end)
            tn = (size_t)(end - t);
        const char *params = memchr(t, ';', (size_t)(end - t));
        int ok = respond_q_positive(params ? params : end, end);
        if ((tn == 4 && strncasecmp(t, "gzip", 4) == 0) ||
            (tn == 6 && strncasecmp(t, "x-gzip", 6) == 0))
            gzip = ok;
        else if (tn == 1 && *t == '*')
            star = ok;
        p = *end ? end + 1 : end;
    }
    return gzip >= 0 ? gzip == 1 : star == 1;
}

/* True if tag (n bytes, W/ already stripped) equals one of e's ETags. */
static bool respond_etag_one(const char *tag, size_t n, const cache_entry *e)
{
    for (int i = 0; i < CACHE_NVARIANTS; i++)
        if (e->v[i].etag[0] && strlen(e->v[i].etag) == n && memcmp(e->v[i].etag, tag, n) == 0)
            return true;
    return false;
}

bool respond_etag_matches(const char *inm, const cache_entry *e)
{
    for (const char *p = inm; p && *p;) {
        const char *end = p + strcspn(p, ",");
        const char *t = respond_ows(p, end);
        const char *te = end;
        while (te > t && (te[-1] == ' ' || te[-1] == '\t'))
            te--;
        if (te - t == 1 && *t == '*')
            return e->status == 200;
        if (te - t >= 2 && t[0] == 'W' && t[1] == '/')
            t += 2;
        if (respond_etag_one(t, (size_t)(te - t), e))
            return true;
        p = *end ? end + 1 : end;
    }
    return false;
}

/* A strong ETag from a keyed 64-bit hash of the body (SipHash through
 * libsodium's crypto_shorthash): collisions need 2^32 versions of one
 * page, and it costs a third of a cryptographic digest on every render. */
void respond_etag(const void *body, size_t n, const char *suffix, char out[CACHE_ETAG_SIZE])
{
    static const unsigned char key[crypto_shorthash_KEYBYTES] = "nashra etag key";
    unsigned char h[crypto_shorthash_BYTES];
    static const char hex[] = "0123456789abcdef";
    crypto_shorthash(h, body, n, key);
    size_t k = 0;
    out[k++] = '"';
    for (size_t i = 0; i < sizeof h; i++) {
        out[k++] = hex[h[i] >> 4];
        out[k++] = hex[h[i] & 15];
    }
    size_t sl = strnlen(suffix, CACHE_ETAG_SIZE - k - 2);
    memcpy(out + k, suffix, sl);
    k += sl;
    out[k++] = '"';
    out[k] = '\0';
}

bool respond_compressible(const char *ct)
{
    if (!ct)
        return false;
    size_t n = sizeof respond_compressible_types / sizeof respond_compressible_types[0];
    for (size_t i = 0; i < n; i++) {
        const char *t = respond_compressible_types[i];
        size_t tl = strlen(t);
        if (strncasecmp(ct, t, tl) == 0 &&
            (t[tl - 1] == '/' || ct[tl] == '\0' || ct[tl] == ';' || ct[tl] == ' '))
            return true;
    }
    return false;
}

int respond_gzip(const void *in, size_t n, unsigned char **out, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NS_EINTERNAL;
    size_t cap = deflateBound(&z, (uLong)n);
    unsigned char *buf = malloc(cap);
    if (!buf)
        abort();
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return NS_EINTERNAL;
    }
    *out = buf;
    *outlen = len;
    return NS_OK;
}

static void respond_add(struct MHD_Response *r, const char *name, const char *value)
{
    if (value && MHD_add_response_header(r, name, value) != MHD_YES)
        abort(); /* only fails on allocation failure or a bad header */
}

/* Headers of variant v; `full` adds those describing a body. */
static void respond_decorate(struct MHD_Response *r, const respond_meta *m,
                             const cache_variant *v, int variant, bool full)
{
    for (size_t i = 0; i < sizeof respond_fixed / sizeof respond_fixed[0]; i++)
        respond_add(r, respond_fixed[i][0], respond_fixed[i][1]);
    respond_add(r, MHD_HTTP_HEADER_CACHE_CONTROL, m->cache_control);
    respond_add(r, MHD_HTTP_HEADER_ETAG, v->etag[0] ? v->etag : NULL);
    respond_add(r, MHD_HTTP_HEADER_LAST_MODIFIED, m->last_modified);
    respond_add(r, MHD_HTTP_HEADER_LOCATION, m->location);
    if (!full)
        return;
    respond_add(r, MHD_HTTP_HEADER_CONTENT_TYPE, m->content_type);
    respond_add(r, MHD_HTTP_HEADER_CONTENT_ENCODING, variant == CACHE_GZIP ? "gzip" : NULL);
}

static struct MHD_Response *respond_buffer(size_t n, const void *data, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(n, (void *)data, mode);
    if (!r)
        abort();
    return r;
}

/* Add the gzip variant to e if the body is worth compressing. */
static void respond_add_gzip(cache_entry *e, const respond_meta *m, const char *body, size_t n)
{
    unsigned char *gz;
    size_t gzlen;
    if (!respond_compressible(m->content_type) || n <= RESPOND_GZIP_MIN ||
        respond_gzip(body, n, &gz, &gzlen) != NS_OK)
        return;
    if (gzlen >= n) {
        free(gz);
        return;
    }
    cache_variant *v = &e->v[CACHE_GZIP];
    const char *id = e->v[CACHE_IDENTITY].etag; /* same bytes: the same tag, marked */
    size_t k = strlen(id);
    if (e->status == 200 && k >= 2 && k + 3 < CACHE_ETAG_SIZE)
        snprintf(v->etag, CACHE_ETAG_SIZE, "%.*s-gz\"", (int)(k - 1), id);
    v->full = respond_buffer(gzlen, gz, MHD_RESPMEM_MUST_FREE);
    respond_decorate(v->full, m, v, CACHE_GZIP, true);
    e->size += gzlen;
}

cache_entry *respond_entry(arena_t *a, const hresp_t *rs, bool borrow, bool gzip)
{
    cache_entry *e = cache_entry_new();
    e->status = rs->status ? rs->status : 200;
    e->last_modified = rs->last_modified;
    e->expires_at = rs->expires_at;
    respond_meta m = {
        .content_type = rs->content_type ? rs->content_type : "text/html; charset=utf-8",
        .cache_control = rs->max_age > 0 ? arena_printf(a, "public, max-age=%d", rs->max_age) : "no-cache",
        .last_modified = rs->last_modified > 0 ? date_http(a, rs->last_modified) : NULL,
        .location = rs->location,
    };
    const char *body = rs->body.data ? rs->body.data : "";
    size_t n = rs->body.len;
    cache_variant *id = &e->v[CACHE_IDENTITY];
    if (e->status == 200)
        respond_etag(body, n, "", id->etag);
    id->full = respond_buffer(n, body, borrow ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
    respond_decorate(id->full, &m, id, CACHE_IDENTITY, true);
    e->size = n;
    if (gzip)
        respond_add_gzip(e, &m, body, n);
    for (int i = 0; i < CACHE_NVARIANTS && e->status == 200; i++) {
        if (!e->v[i].full)
            continue;
        e->v[i].not_modified = respond_buffer(0, "", MHD_RESPMEM_PERSISTENT);
        respond_decorate(e->v[i].not_modified, &m, &e->v[i], i, false);
    }
    return e;
}

/* True if the request's validators say the client's copy is current. */
static bool respond_fresh(struct MHD_Connection *c, const cache_entry *e)
{
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm)
        return respond_etag_matches(inm, e);
    const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
    int64_t t;
    return ims && e->last_modified > 0 && date_parse_http(ims, &t) == NS_OK && e->last_modified <= t;
}

bool respond_client_gzip(struct MHD_Connection *c)
{
    return respond_accepts_gzip(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                            MHD_HTTP_HEADER_ACCEPT_ENCODING));
}

enum MHD_Result respond_queue(struct MHD_Connection *c, const cache_entry *e)
{
    int var = e->v[CACHE_GZIP].full && respond_client_gzip(c) ? CACHE_GZIP : CACHE_IDENTITY;
    if (e->status == 200 && respond_fresh(c, e))
        return MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, e->v[var].not_modified);
    return MHD_queue_response(c, (unsigned)e->status, e->v[var].full);
}

enum MHD_Result respond_plain(struct MHD_Connection *c, int status, const char *text)
{
    struct MHD_Response *r = respond_buffer(strlen(text), text, MHD_RESPMEM_PERSISTENT);
    respond_meta m = {.content_type = "text/plain; charset=utf-8", .cache_control = "no-cache"};
    cache_variant none = {0};
    respond_decorate(r, &m, &none, CACHE_IDENTITY, true);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        respond_add(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}
