/*
 * respond.c - from hresp_t to bytes h2o sends.
 *
 * Everything that depends only on the response (validators, compression,
 * the header arrays of each variant and of its 304 form) is computed once
 * when the response is built, so a cached page costs nothing per request
 * but choosing a prebuilt variant: h2o is handed the entry's own header
 * array and body, without copying. The ETag is a hash of the body rather
 * than a version number because handlers do not know which rows a page
 * depends on; the body is the truth. The gzip variant gets its own ETag
 * ("…-gz") since its bytes differ.
 */
#include "http/respond.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <ctype.h>
#include "core/date.h"
#include "core/err.h"
#include "core/secret.h"
#include <time.h>

#define RESPOND_CSP "default-src 'self'; img-src 'self' https: data:; " \
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; " \
    "frame-src https://www.youtube-nocookie.com https://www.youtube.com " \
    "https://player.vimeo.com; base-uri 'self'; form-action 'self'"

/* The Allow of a 405 that no route names (a method nashra serves nowhere
 * on a path that matches no route, or a request refused before routing). */
#define RESPOND_ALLOW_DEFAULT "GET, HEAD"

/* Names h2o has no token for (lower case: h2o compares names so). */
static h2o_iovec_t respond_name_xcache = {H2O_STRLIT("x-cache")};
static h2o_iovec_t respond_name_xcto = {H2O_STRLIT("x-content-type-options")};
static h2o_iovec_t respond_name_referrer = {H2O_STRLIT("referrer-policy")};
static h2o_iovec_t respond_name_csp = {H2O_STRLIT("content-security-policy")};

/* A header of a response: its name and the spelling sent on the wire. */
typedef struct respond_hdr {
    h2o_iovec_t *name;
    const char *wire;
} respond_hdr;

/* Headers on every response nashra sends, with their values. */
static const struct { respond_hdr h; const char *value; } respond_fixed[] = {
    {{&respond_name_xcto, "X-Content-Type-Options"}, "nosniff"},
    {{&respond_name_referrer, "Referrer-Policy"}, "strict-origin-when-cross-origin"},
    {{&respond_name_csp, "Content-Security-Policy"}, RESPOND_CSP},
    {{&H2O_TOKEN_VARY->buf, "Vary"}, "Accept-Encoding"},
};

static const char *const respond_compressible_types[] = {
    "text/", "application/xml", "application/rss+xml", "application/atom+xml",
    "application/json", "application/javascript",
};

static const struct { int status; const char *reason; } respond_reasons[] = {
    {200, "OK"}, {206, "Partial Content"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"},
    {304, "Not Modified"}, {400, "Bad Request"}, {403, "Forbidden"}, {404, "Not Found"},
    {405, "Method Not Allowed"}, {408, "Request Timeout"}, {413, "Payload Too Large"},
    {414, "URI Too Long"}, {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"}, {422, "Unprocessable Content"},
    {429, "Too Many Requests"}, {500, "Internal Server Error"}, {501, "Not Implemented"},
    {503, "Service Unavailable"},
};

const char *respond_reason(int status)
{
    for (size_t i = 0; i < sizeof respond_reasons / sizeof *respond_reasons; i++)
        if (respond_reasons[i].status == status)
            return respond_reasons[i].reason;
    return status < 400 ? "OK" : status < 500 ? "Bad Request" : "Internal Server Error";
}

/* ---- request header parsing ---- */

static const char *respond_ows(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

/* First c in [s, end), or end. */
static const char *respond_find(const char *s, const char *end, char c)
{
    if (s >= end)
        return end;
    const char *p = memchr(s, c, (size_t)(end - s));
    return p ? p : end;
}

/* True if the parameters of a list item (from ';' to end) give q > 0. */
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
        s = respond_find(s, end, ';');
    }
    return true;
}

bool respond_accepts_gzip(const char *ae, size_t n)
{
    int gzip = -1, star = -1; /* -1: not listed, 0: refused, 1: accepted */
    const char *all_end = ae ? ae + n : NULL;
    for (const char *p = ae; p && p < all_end;) {
        const char *end = respond_find(p, all_end, ',');
        const char *t = respond_ows(p, end);
        const char *params = respond_find(t, end, ';');
        const char *te = params;
        while (te > t && (te[-1] == ' ' || te[-1] == '\t'))
            te--;
        size_t tn = (size_t)(te - t);
        int ok = respond_q_positive(params, end);
        if ((tn == 4 && strncasecmp(t, "gzip", 4) == 0) ||
            (tn == 6 && strncasecmp(t, "x-gzip", 6) == 0))
            gzip = ok;
        else if (tn == 1 && *t == '*')
            star = ok;
        p = end + 1;
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

bool respond_etag_matches(const char *inm, size_t n, const cache_entry *e)
{
    const char *all_end = inm ? inm + n : NULL;
    for (const char *p = inm; p && p < all_end;) {
        const char *end = respond_find(p, all_end, ',');
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
        p = end + 1;
    }
    return false;
}

bool respond_not_modified_since(const char *ims, size_t n, int64_t last_modified)
{
    char buf[64]; /* the longest HTTP date is 33 bytes */
    int64_t t;
    if (!ims || last_modified <= 0 || n >= sizeof buf)
        return false;
    memcpy(buf, ims, n);
    buf[n] = '\0';
    return date_parse_http(buf, &t) == NS_OK && t == last_modified;
}

/* ---- building entries ---- */

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

/* gzip of in[0..n): a whole stream (flush Z_FINISH), or one left open at
 * a byte boundary (Z_SYNC_FLUSH) for respond_token_tail to finish. */
static int respond_deflate(const void *in, size_t n, int level, int flush, unsigned char **out,
                           size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NS_EINTERNAL;
    size_t cap = deflateBound(&z, (uLong)n) + 16;
    unsigned char *buf = malloc(cap);
    if (!buf)
        abort();
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, flush);
    size_t len = z.total_out;
    deflateEnd(&z);
    if (rc != (flush == Z_FINISH ? Z_STREAM_END : Z_OK) || z.avail_in) {
        free(buf);
        return NS_EINTERNAL;
    }
    *out = buf;
    *outlen = len;
    return NS_OK;
}

int respond_gzip(const void *in, size_t n, int level, unsigned char **out, size_t *outlen)
{
    return respond_deflate(in, n, level, Z_FINISH, out, outlen);
}

/* The per-response header values shared by the variants. */
typedef struct respond_meta {
    const char *content_type, *cache_control, *last_modified, *location, *allow, *xcache;
    const hresp_t *rs;        /* its extra headers */
} respond_meta;

/* Most headers a variant can carry: X-Cache, the fixed ones, one per meta
 * field, ETag, Content-Encoding and the handler's own. */
#define RESPOND_MAX_HEADERS (1 + sizeof respond_fixed / sizeof *respond_fixed + 8 + HRESP_MAX_HEADERS)

/* The handler's headers (hresp_t.headers), names lower-cased as h2o wants. */
static void respond_push_extra(arena_t *a, h2o_header_t *hs, size_t *n, const hresp_t *rs)
{
    for (size_t i = 0; rs && i < rs->nheaders; i++) {
        const char *wire = rs->headers[i].name, *value = rs->headers[i].value;
        size_t nl = strlen(wire), vl = strlen(value);
        h2o_iovec_t *name = arena_alloc(a, sizeof *name);
        char *lower = arena_strndup(a, wire, nl);
        for (size_t k = 0; k < nl; k++)
            lower[k] = (char)tolower((unsigned char)lower[k]);
        *name = h2o_iovec_init(lower, nl);
        hs[(*n)++] = (h2o_header_t){.name = name, .orig_name = arena_strndup(a, wire, nl),
                                    .value = {arena_strndup(a, value, vl), vl}};
    }
}

/* True if the handler set a header called wire itself (the newsroom's
 * own Content-Security-Policy and Referrer-Policy): it replaces ours. */
static bool respond_overridden(const hresp_t *rs, const char *wire)
{
    for (size_t i = 0; rs && i < rs->nheaders; i++)
        if (strcasecmp(rs->headers[i].name, wire) == 0)
            return true;
    return false;
}

/* Append one header (skipped when value is NULL); values live on arena a. */
static void respond_push(arena_t *a, h2o_header_t *hs, size_t *n, h2o_iovec_t *name,
                         const char *wire, const char *value)
{
    if (!value)
        return;
    size_t len = strlen(value);
    hs[*n] = (h2o_header_t){.name = name, .orig_name = wire,
                            .value = {arena_strndup(a, value, len), len}};
    (*n)++;
}

/* The header array of variant v on e's arena; `full` adds those describing a body. */
static h2o_header_t *respond_headers(cache_entry *e, const respond_meta *m, const cache_variant *v,
                                     int variant, bool full, size_t *count)
{
    arena_t *a = e->arena;
    h2o_header_t *hs = arena_alloc(a, RESPOND_MAX_HEADERS * sizeof *hs);
    size_t n = 0;
    /* first, so that respond_send can tell a miss from a hit by one copy */
    respond_push(a, hs, &n, &respond_name_xcache, "X-Cache", m->xcache);
    for (size_t i = 0; i < sizeof respond_fixed / sizeof *respond_fixed; i++)
        if (!respond_overridden(m->rs, respond_fixed[i].h.wire))
            respond_push(a, hs, &n, respond_fixed[i].h.name, respond_fixed[i].h.wire, respond_fixed[i].value);
    respond_push(a, hs, &n, &H2O_TOKEN_CACHE_CONTROL->buf, "Cache-Control", m->cache_control);
    respond_push(a, hs, &n, &H2O_TOKEN_ETAG->buf, "ETag", v->etag[0] ? v->etag : NULL);
    respond_push(a, hs, &n, &H2O_TOKEN_LAST_MODIFIED->buf, "Last-Modified", m->last_modified);
    respond_push(a, hs, &n, &H2O_TOKEN_LOCATION->buf, "Location", m->location);
    respond_push(a, hs, &n, &H2O_TOKEN_ALLOW->buf, "Allow", m->allow);
    respond_push_extra(a, hs, &n, m->rs);
    if (full) {
        respond_push(a, hs, &n, &H2O_TOKEN_CONTENT_TYPE->buf, "Content-Type", m->content_type);
        respond_push(a, hs, &n, &H2O_TOKEN_CONTENT_ENCODING->buf, "Content-Encoding",
                     variant == CACHE_GZIP ? "gzip" : NULL);
    }
    *count = n;
    return hs;
}

/* Fill variant i of e (body already set) with its header arrays. */
static void respond_finish_variant(cache_entry *e, const respond_meta *m, int i)
{
    cache_variant *v = &e->v[i];
    v->headers = respond_headers(e, m, v, i, true, &v->nheaders);
    if (e->status == 200)
        v->headers_304 = respond_headers(e, m, v, i, false, &v->nheaders_304);
}

/* Add the gzip variant to e if the body is worth compressing (n: the
 * bytes before the token of a page that has one, whose stream is left
 * open for the sender to finish). */
static void respond_add_gzip(cache_entry *e, const respond_meta *m, const char *body, size_t n,
                             int level)
{
    unsigned char *gz;
    size_t gzlen;
    int flush = e->token.scope ? Z_SYNC_FLUSH : Z_FINISH;
    if (!respond_compressible(m->content_type) || n <= RESPOND_GZIP_MIN ||
        respond_deflate(body, n, level, flush, &gz, &gzlen) != NS_OK)
        return;
    if (gzlen < n) {
        cache_variant *v = &e->v[CACHE_GZIP];
        const char *id = e->v[CACHE_IDENTITY].etag; /* same bytes: the same tag, marked */
        size_t k = strlen(id);
        if (e->status == 200 && k >= 2 && k + 3 < CACHE_ETAG_SIZE)
            snprintf(v->etag, CACHE_ETAG_SIZE, "%.*s-gz\"", (int)(k - 1), id);
        char *copy = arena_alloc(e->arena, gzlen);
        memcpy(copy, gz, gzlen);
        v->body = copy;
        v->len = gzlen;
        respond_finish_variant(e, m, CACHE_GZIP);
    }
    free(gz);
}


/* For a page with a form token (hresp_t.form_token, and a key to sign it
 * with): split the body at the last HRESP_TOKEN_SLOT, the tail kept on
 * e's arena or borrowed; returns the length of what comes before (n if
 * the page has no token). */
static size_t respond_token_cut(cache_entry *e, const hresp_t *rs, const respond_opts *o,
                                const char *body, size_t n)
{
    const size_t sl = sizeof HRESP_TOKEN_SLOT - 1;
    if (!rs->form_token || !o->token_key)
        return n;
    const char *slot = NULL;
    for (const char *p = body; (p = memmem(p, n - (size_t)(p - body), HRESP_TOKEN_SLOT, sl)); p++)
        slot = p;
    if (!slot || n - (size_t)(slot - body) - sl > RESPOND_TAIL_MAX)
        return n;
    size_t head = (size_t)(slot - body), tl = n - head - sl;
    char *tail = arena_alloc(e->arena, tl + 1);
    memcpy(tail, slot + sl, tl);
    e->token = (cache_token){.scope = rs->form_token, .key = o->token_key, .tail = tail,
                             .tail_len = tl, .head_len = head,
                             .head_crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)body, (uInt)head)};
    return head;
}

cache_entry *respond_entry(arena_t *a, const hresp_t *rs, const respond_opts *o)
{
    bool borrow = o->borrow, gzip = o->gzip;
    const char *body = rs->body.data ? rs->body.data : "";
    size_t n = rs->body.len;
    /* one block for the entry, its headers and (if copied) the body and
     * a gzip copy of about a quarter of it */
    cache_entry *e = cache_entry_new(4096 + (borrow ? 0 : n + n / 4));
    e->status = rs->status ? rs->status : 200;
    e->last_modified = rs->last_modified;
    e->expires_at = rs->expires_at;
    respond_meta m = {
        .content_type = rs->content_type ? rs->content_type : "text/html; charset=utf-8",
        .cache_control = rs->cache_control ? rs->cache_control
                         : rs->max_age > 0 ? arena_printf(a, "public, max-age=%d", rs->max_age) : "no-cache",
        .last_modified = rs->last_modified > 0 ? date_http(a, rs->last_modified) : NULL,
        .location = rs->location,
        .allow = e->status == 405 ? (o->allow ? o->allow : RESPOND_ALLOW_DEFAULT) : NULL,
        .xcache = o->xcache,
        .rs = rs,
    };
    cache_variant *id = &e->v[CACHE_IDENTITY];
    if (e->status == 200)
        respond_etag(body, n, "", id->etag);
    n = respond_token_cut(e, rs, o, body, n);
    if (borrow) {
        id->body = body;
    } else {
        char *copy = arena_alloc(e->arena, n ? n : 1);
        memcpy(copy, body, n);
        id->body = copy;
    }
    id->len = n;
    respond_finish_variant(e, &m, CACHE_IDENTITY);
    if (gzip)
        respond_add_gzip(e, &m, body, n, borrow ? RESPOND_GZIP_ONCE : RESPOND_GZIP_CACHED);
    return e;
}

/* ---- sending ---- */

static const h2o_iovec_t *respond_req_header(h2o_req_t *req, const h2o_token_t *token)
{
    ssize_t i = h2o_find_header(&req->headers, token, -1);
    return i < 0 ? NULL : &req->headers.entries[i].value;
}

/* True if the request's validators say the client's copy is current. */
static bool respond_fresh(h2o_req_t *req, const cache_entry *e)
{
    const h2o_iovec_t *inm = respond_req_header(req, H2O_TOKEN_IF_NONE_MATCH);
    if (inm)
        return respond_etag_matches(inm->base, inm->len, e);
    const h2o_iovec_t *ims = respond_req_header(req, H2O_TOKEN_IF_MODIFIED_SINCE);
    return ims && respond_not_modified_since(ims->base, ims->len, e->last_modified);
}

bool respond_client_gzip(h2o_req_t *req)
{
    const h2o_iovec_t *ae = respond_req_header(req, H2O_TOKEN_ACCEPT_ENCODING);
    return ae && respond_accepts_gzip(ae->base, ae->len);
}

static void respond_release_ref(void *p)
{
    cache_entry_release(*(cache_entry **)p);
}

/* h2o's view of a prebuilt header array: shared, so capacity == size and
 * anything h2o adds goes to a copy on the request's pool. */
static void respond_set_headers(h2o_req_t *req, h2o_header_t *hs, size_t n)
{
    req->res.headers.entries = hs;
    req->res.headers.size = n;
    req->res.headers.capacity = n;
}

static bool respond_is_head(h2o_req_t *req)
{
    return h2o_memis(req->input.method.base, req->input.method.len, H2O_STRLIT("HEAD"));
}

/* A copy of headers hs[0..n) on req's pool whose X-Cache (first, if
 * present) says xcache instead. */
static h2o_header_t *respond_retag(h2o_req_t *req, const h2o_header_t *hs, size_t n, const char *xcache)
{
    h2o_header_t *copy = h2o_mem_alloc_pool(&req->pool, n * sizeof *copy);
    memcpy(copy, hs, n * sizeof *copy);
    if (n && copy[0].name == &respond_name_xcache)
        copy[0].value = h2o_iovec_init(xcache, strlen(xcache));
    return copy;
}

static void respond_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

size_t respond_token_tail(const cache_entry *e, int var, int64_t now, unsigned char *out)
{
    const cache_token *t = &e->token;
    char tok[SECRET_TOKEN_MAX];
    size_t tl = secret_token(t->key, t->scope, now, tok);
    size_t dl = tl + t->tail_len;
    unsigned char *d = var == CACHE_IDENTITY ? out : out + 5;
    memcpy(d, tok, tl);
    memcpy(d + tl, t->tail, t->tail_len);
    if (var == CACHE_IDENTITY)
        return dl;
    out[0] = 1; /* BFINAL, stored: the block ends the stream */
    out[1] = (unsigned char)dl, out[2] = (unsigned char)(dl >> 8);
    out[3] = (unsigned char)~dl, out[4] = (unsigned char)(~dl >> 8);
    uLong crc = crc32(crc32(0L, Z_NULL, 0), d, (uInt)dl);
    respond_le32(d + dl, (uint32_t)crc32_combine(t->head_crc, crc, (z_off_t)dl));
    respond_le32(d + dl + 4, (uint32_t)(t->head_len + dl));
    return 5 + dl + 8;
}

void respond_send(h2o_req_t *req, cache_entry *e, const char *xcache)
{
    static h2o_generator_t generator = {NULL, NULL};
    int var = e->v[CACHE_GZIP].body && respond_client_gzip(req) ? CACHE_GZIP : CACHE_IDENTITY;
    const cache_variant *v = &e->v[var];
    /* the entry must outlive the writes h2o may finish later */
    atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
    *(cache_entry **)h2o_mem_alloc_shared(&req->pool, sizeof e, respond_release_ref) = e;
    h2o_iovec_t body[3] = {{(char *)v->body, v->len}};
    size_t nbody = 1;
    h2o_header_t *hs = v->headers;
    size_t nh = v->nheaders;
    if (e->status == 200 && respond_fresh(req, e)) {
        req->res.status = 304;
        hs = v->headers_304;
        nh = v->nheaders_304;
        nbody = 0;
    } else {
        req->res.status = e->status;
        if (e->token.scope) {
            unsigned char *tail = h2o_mem_alloc_pool(&req->pool, RESPOND_TOKEN_TAIL_SIZE(e->token.tail_len));
            body[nbody++] = h2o_iovec_init(tail, respond_token_tail(e, var, (int64_t)time(NULL), tail));
        }
        req->res.content_length = 0;
        for (size_t i = 0; i < nbody; i++)
            req->res.content_length += body[i].len;
    }
    respond_set_headers(req, xcache ? respond_retag(req, hs, nh, xcache) : hs, nh);
    req->res.reason = respond_reason(req->res.status);
    h2o_start_response(req, &generator);
    bool empty = !nbody || req->res.content_length == 0 || respond_is_head(req);
    h2o_send(req, body, empty ? 0 : nbody, H2O_SEND_STATE_FINAL);
}

void respond_plain(h2o_req_t *req, int status, const char *text, bool close)
{
    if (close)
        req->http1_is_persistent = 0;
    req->res.status = status;
    req->res.reason = respond_reason(status);
    req->res.content_length = strlen(text);
    for (size_t i = 0; i < sizeof respond_fixed / sizeof *respond_fixed; i++) {
        const h2o_iovec_t *name = respond_fixed[i].h.name;
        h2o_add_header_by_str(&req->pool, &req->res.headers, name->base, name->len, 1,
                              respond_fixed[i].h.wire, respond_fixed[i].value, strlen(respond_fixed[i].value));
    }
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, "Content-Type",
                   H2O_STRLIT("text/plain; charset=utf-8"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, "Cache-Control", H2O_STRLIT("no-cache"));
    if (status == 405)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, "Allow", H2O_STRLIT(RESPOND_ALLOW_DEFAULT));
    h2o_send_inline(req, text, strlen(text));
}
