/*
 * handler.c - the small accessors of handler.h: looking up what a request
 * carries, and adding response headers safely (a value with a line break
 * would split the response, so none is accepted).
 */
#include "handlers/handler.h"

#include <string.h>
#include <strings.h>
#include "core/err.h"

const char *hreq_param_get(const hreq_param *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return v[i].value;
    return NULL;
}

const char *hreq_query(const hreq_t *rq, const char *name)
{
    return hreq_param_get(rq->query, rq->nquery, name);
}

const char *hreq_form(const hreq_t *rq, const char *name)
{
    return hreq_param_get(rq->form, rq->nform, name);
}

const char *hreq_cookie(const hreq_t *rq, const char *name)
{
    return hreq_param_get(rq->cookies, rq->ncookies, name);
}

const char *hreq_header(const hreq_t *rq, const char *name)
{
    for (size_t i = 0; i < rq->nheaders; i++)
        if (strcasecmp(rq->headers[i].name, name) == 0)
            return rq->headers[i].value;
    return NULL;
}

static bool hresp_clean(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

void hresp_init(hresp_t *rs, arena_t *a)
{
    memset(rs, 0, sizeof *rs);
    rs->status = 200;
    rs->content_type = "text/html; charset=utf-8";
    buf_init(&rs->body, a);
}

int hresp_header(hresp_t *rs, const char *name, const char *value)
{
    if (!name || !*name || !value || !hresp_clean(name) || !hresp_clean(value) || strchr(name, ':'))
        return NS_EINVAL;
    if (rs->nheaders == HRESP_MAX_HEADERS)
        return NS_ETOOBIG;
    rs->headers[rs->nheaders].name = name;
    rs->headers[rs->nheaders].value = value;
    rs->nheaders++;
    return NS_OK;
}
