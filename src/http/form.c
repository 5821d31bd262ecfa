/*
 * form.c - query strings, forms and cookies (form.h).
 *
 * Each parser walks its input once with memchr/memmem, never reads past
 * n bytes and copies every name and value onto the arena, so a result is
 * NUL-terminated whatever the input held. Multipart bodies (RFC 7578) are
 * split on the boundary the Content-Type gave; of each part's headers only
 * Content-Disposition (the field's name, a file's name) and Content-Type
 * are read, as nothing else in a form's part means anything to a server.
 */
#include "http/form.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

/* Growable array of params on an arena. */
typedef struct plist {
    arena_t *a;
    hreq_param *v;
    size_t n, cap;
} plist;

static int plist_push(plist *l, hreq_param p)
{
    if (l->n == FORM_MAX_PARAMS)
        return NS_ETOOBIG;
    l->v = arena_grow(l->a, l->v, l->n, &l->cap, sizeof *l->v, 8);
    l->v[l->n++] = p;
    return NS_OK;
}

static int plist_done(plist *l, int rc, hreq_param **out, size_t *count)
{
    *out = rc ? NULL : l->v;
    *count = rc ? 0 : l->n;
    return rc;
}

/* One "name=value" piece of an urlencoded string. */
static int form_piece(plist *l, const char *p, const char *end)
{
    const char *eq = memchr(p, '=', (size_t)(end - p));
    const char *name_end = eq ? eq : end;
    hreq_param prm = {.value = ""};
    size_t nlen;
    char *name, *value = NULL;
    if (text_form_decode(l->a, p, (size_t)(name_end - p), &name, &nlen) != NS_OK)
        return NS_EINVAL;
    if (eq && text_form_decode(l->a, eq + 1, (size_t)(end - eq - 1), &value, &prm.value_len) != NS_OK)
        return NS_EINVAL;
    prm.name = name;
    if (value)
        prm.value = value;
    return plist_push(l, prm);
}

int form_parse_urlencoded(arena_t *a, const char *s, size_t n, hreq_param **out, size_t *count)
{
    plist l = {.a = a};
    const char *p = s, *end = s + n;
    int rc = NS_OK;
    while (rc == NS_OK && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        if (!amp)
            amp = end;
        if (amp > p)
            rc = form_piece(&l, p, amp);
        p = amp + 1;
    }
    return plist_done(&l, rc, out, count);
}

/* s[0..n) without leading and trailing spaces and tabs. */
static void form_trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

int form_parse_cookies(arena_t *a, const char *s, size_t n, hreq_param **out, size_t *count)
{
    plist l = {.a = a};
    const char *p = s, *end = s + n;
    int rc = NS_OK;
    while (rc == NS_OK && p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        if (!semi)
            semi = end;
        const char *eq = memchr(p, '=', (size_t)(semi - p));
        if (eq) {
            const char *name = p, *val = eq + 1;
            size_t nl = (size_t)(eq - p), vl = (size_t)(semi - val);
            form_trim(&name, &nl);
            form_trim(&val, &vl);
            if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"')
                val++, vl -= 2;
            /* someone else's junk on the domain is skipped, not fatal */
            if (nl && text_valid_utf8(name, nl) && text_valid_utf8(val, vl))
                rc = plist_push(&l, (hreq_param){.name = arena_strndup(a, name, nl),
                                                 .value = arena_strndup(a, val, vl), .value_len = vl});
        }
        p = semi + 1;
    }
    return plist_done(&l, rc, out, count);
}

/* ---- multipart ---- */

/* The value of parameter `key` in a header's "; key=value" list (quoted
 * or token), onto a; NULL if absent. */
static const char *form_header_param(arena_t *a, const char *s, size_t n, const char *key)
{
    size_t kl = strlen(key);
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *semi = p;
        bool quoted = false;
        while (semi < end && (quoted || *semi != ';')) {
            if (*semi == '"')
                quoted = !quoted;
            else if (*semi == '\\' && quoted && semi + 1 < end)
                semi++;
            semi++;
        }
        const char *item = p;
        size_t il = (size_t)(semi - p);
        form_trim(&item, &il);
        if (il > kl && strncasecmp(item, key, kl) == 0 && item[kl] == '=') {
            const char *v = item + kl + 1;
            size_t vl = il - kl - 1;
            if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
                buf_t b;
                buf_init(&b, a);
                for (size_t i = 1; i + 1 < vl; i++) {
                    if (v[i] == '\\' && i + 2 < vl)
                        i++;
                    buf_putc(&b, v[i]);
                }
                return buf_cstr(&b);
            }
            return arena_strndup(a, v, vl);
        }
        p = semi + 1;
    }
    return NULL;
}

int form_multipart_boundary(arena_t *a, const char *ctype, size_t n, const char **boundary)
{
    static const char type[] = "multipart/form-data";
    size_t tl = sizeof type - 1;
    *boundary = NULL;
    if (!ctype || n < tl || strncasecmp(ctype, type, tl) != 0 || (n > tl && ctype[tl] != ';' && ctype[tl] != ' '))
        return NS_EINVAL;
    const char *b = form_header_param(a, ctype + tl, n - tl, "boundary");
    size_t bl = b ? strlen(b) : 0;
    if (bl < 1 || bl > 70)
        return NS_EINVAL;
    for (size_t i = 0; i < bl; i++)
        if ((unsigned char)b[i] < 0x20 || (unsigned char)b[i] > 0x7e)
            return NS_EINVAL;
    *boundary = b;
    return NS_OK;
}

/* Most bytes of one part's header block. */
#define FORM_PART_HEAD_MAX 8192

/* Read the header block head[0..n) of a part into p. */
static int form_part_headers(arena_t *a, const char *head, size_t n, hreq_param *p)
{
    const char *line = head, *end = head + n;
    bool disposition = false;
    while (line < end) {
        const char *eol = memmem(line, (size_t)(end - line), "\r\n", 2);
        if (!eol)
            eol = end;
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (colon) {
            size_t nl = (size_t)(colon - line);
            const char *v = colon + 1;
            size_t vl = (size_t)(eol - v);
            form_trim(&v, &vl);
            if (nl == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
                if (vl < 9 || strncasecmp(v, "form-data", 9) != 0)
                    return NS_EINVAL;
                p->name = form_header_param(a, v + 9, vl - 9, "name");
                p->filename = form_header_param(a, v + 9, vl - 9, "filename");
                disposition = true;
            } else if (nl == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
                p->content_type = arena_strndup(a, v, vl);
            }
        }
        line = eol + 2;
    }
    if (!disposition || !p->name || !text_valid_utf8(p->name, strlen(p->name)) ||
        (p->filename && !text_valid_utf8(p->filename, strlen(p->filename))) ||
        (p->content_type && !text_valid_utf8(p->content_type, strlen(p->content_type))))
        return NS_EINVAL;
    return NS_OK;
}

/* One part: s points just after a delimiter line's CRLF; delim is
 * "\r\n--boundary". *next gets the position of the following delimiter. */
static int form_part(plist *l, const char *s, const char *end, const char *delim, size_t dl,
                     const char **next)
{
    const char *hend = memmem(s, (size_t)(end - s), "\r\n\r\n", 4);
    const char *body = hend ? hend + 4 : NULL;
    if (!hend && (size_t)(end - s) >= 2 && s[0] == '\r' && s[1] == '\n')
        hend = s, body = s + 2; /* no headers at all */
    if (!hend || hend - s > FORM_PART_HEAD_MAX)
        return NS_EINVAL;
    const char *stop = memmem(body - 2, (size_t)(end - body + 2), delim, dl);
    if (!stop)
        return NS_EINVAL;
    hreq_param p = {0};
    int rc = form_part_headers(l->a, s, (size_t)(hend - s), &p);
    if (rc)
        return rc;
    size_t vl = stop < body ? 0 : (size_t)(stop - body);
    /* a text part is read as an urlencoded value is (text_form_decode) */
    if (!p.filename && (!text_wellformed_utf8(body, vl) || memchr(body, '\0', vl)))
        return NS_EINVAL;
    char *v = arena_alloc(l->a, vl + 1); /* a file may hold NULs: not strndup */
    memcpy(v, body, vl);
    v[vl] = '\0';
    p.value = v;
    p.value_len = vl;
    *next = stop + 2; /* at "--boundary" */
    return plist_push(l, p);
}

int form_parse_multipart(arena_t *a, const char *boundary, const char *body, size_t n,
                         hreq_param **out, size_t *count)
{
    plist l = {.a = a};
    char *delim = arena_printf(a, "\r\n--%s", boundary);
    size_t dl = strlen(delim);
    const char *end = body + n, *p;
    /* the first delimiter may open the body (no preamble) */
    if (n >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
        p = body;
    else if ((p = memmem(body, n, delim, dl)) != NULL)
        p += 2;
    else
        return plist_done(&l, NS_EINVAL, out, count);
    int rc = NS_OK;
    for (;;) {
        p += dl - 2; /* past "--boundary" */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            break; /* the close delimiter; an epilogue may follow */
        while (p < end && (*p == ' ' || *p == '\t'))
            p++; /* transport padding */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
            rc = NS_EINVAL;
            break;
        }
        if ((rc = form_part(&l, p + 2, end, delim, dl, &p)) != NS_OK)
            break;
    }
    return plist_done(&l, rc, out, count);
}

/* ---- canonical query ---- */

static int form_name_cmp(const void *x, const void *y)
{
    return strcmp(((const hreq_param *)x)->name, ((const hreq_param *)y)->name);
}

const char *form_canonical_query(arena_t *a, const hreq_param *params, size_t n,
                                 const char *const *names)
{
    size_t nn = 0;
    while (names && names[nn])
        nn++;
    hreq_param *kept = arena_alloc(a, (nn ? nn : 1) * sizeof *kept);
    size_t k = 0;
    /* what a handler reads: the first value of each listed name */
    for (size_t j = 0; j < nn; j++) {
        const char *v = hreq_param_get(params, n, names[j]);
        if (v)
            kept[k++] = (hreq_param){.name = names[j], .value = v};
    }
    if (k == 0)
        return "";
    qsort(kept, k, sizeof *kept, form_name_cmp);
    buf_t b;
    buf_init(&b, a);
    for (size_t i = 0; i < k; i++) {
        if (i)
            buf_putc(&b, '&');
        buf_url_escape(&b, kept[i].name, strlen(kept[i].name));
        buf_putc(&b, '=');
        buf_url_escape(&b, kept[i].value, strlen(kept[i].value));
    }
    return buf_cstr(&b);
}
