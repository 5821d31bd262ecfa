/*
 * reqcheck.c - request-head rules beyond the parser's (see reqcheck.h).
 *
 * The head is parsed again with the library's own parser (picohttpparser,
 * which libh2o exports but ships no header for) rather than scanned by
 * hand, so both passes agree on where lines and headers are. That costs
 * well under a microsecond for a browser's head.
 */
#include "http/reqcheck.h"

#include <stdbool.h>
#include <strings.h>
#include <string.h>

/* picohttpparser's interface, as exported by libh2o. */
struct phr_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len,
                      const char **path, size_t *path_len, int *minor_version,
                      struct phr_header *headers, size_t *num_headers, size_t last_len);

/* The most header lines h2o accepts (H2O_MAX_HEADERS). */
#define REQCHECK_MAX_HEADERS 100

enum { RC_BAD = 400, RC_URI_TOO_LONG = 414 };

/* Headers whose repetition or combination decides message framing or the
 * target: counted, never merged. */
typedef struct reqcheck_counts {
    int host, content_length, transfer_encoding;
    bool empty_host;
} reqcheck_counts;

static bool reqcheck_is(const struct phr_header *h, const char *name)
{
    size_t n = strlen(name);
    return h->name_len == n && strncasecmp(h->name, name, n) == 0;
}

/* 0, or the status for a header line that breaks a rule on its own. */
static int reqcheck_line(const struct phr_header *h, reqcheck_counts *c)
{
    if (!h->name)
        return RC_BAD; /* obs-fold continuation line (RFC 9112 §5.2) */
    if ((size_t)(h->value + h->value_len - h->name) > REQCHECK_MAX_LINE)
        return RC_BAD;
    if (reqcheck_is(h, "host")) {
        c->host++;
        c->empty_host |= h->value_len == 0;
    } else if (reqcheck_is(h, "content-length")) {
        c->content_length++;
    } else if (reqcheck_is(h, "transfer-encoding")) {
        c->transfer_encoding++;
    }
    return 0;
}

int reqcheck_head(const char *raw, size_t len)
{
    const char *method, *path;
    size_t mlen, plen, nh = REQCHECK_MAX_HEADERS;
    int minor;
    struct phr_header h[REQCHECK_MAX_HEADERS];
    int head = phr_parse_request(raw, len, &method, &mlen, &path, &plen, &minor, h, &nh, 0);
    if (head < 0)
        return RC_BAD;
    const char *eol = memchr(raw, '\n', (size_t)head);
    if (eol && (size_t)(eol - raw) > REQCHECK_MAX_LINE)
        return RC_URI_TOO_LONG;
    reqcheck_counts c = {0};
    for (size_t i = 0; i < nh; i++) {
        int st = reqcheck_line(&h[i], &c);
        if (st)
            return st;
    }
    if ((size_t)head > REQCHECK_MAX_HEAD)
        return RC_BAD;
    if (c.host > 1 || c.empty_host || (minor >= 1 && c.host == 0))
        return RC_BAD;
    if (c.content_length > 1 || c.transfer_encoding > 1 ||
        (c.transfer_encoding && (c.content_length || minor == 0)))
        return RC_BAD;
    return 0;
}
