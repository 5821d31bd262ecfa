/*
 * search_page.c - the search page, /search?q=…&page=N (search.h does the
 * searching), the OpenSearch description that lets browsers offer it,
 * and WordPress's search links (/?s=…) sent to it.
 *
 * A page is kept under its canonical query: any other spelling of the
 * same search (spaces, harakat, punctuation, letter variants) is sent to
 * it with a 301, so every spelling shares one cache entry. Results depend
 * on what store_search records (the visible articles, their latest
 * change, each article shown), so a publish drops the page at once.
 */
#include "handlers/handler.h"

#include <stdio.h>
#include <string.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "handlers/search.h"
#include "handlers/syndicate.h"
#include "handlers/view.h"

#define SEARCH_SNIPPET_CHARS 220
#define SEARCH_LAST_PAGE 10000   /* a page number beyond is missing */
#define OPENSEARCH_SHORT_NAME 16 /* characters the OpenSearch spec allows */
#define OPENSEARCH_MAX_AGE 3600

/* "/search?q=…&page=N": q percent-encoded, page 1 and an empty q left out. */
static const char *search_url(arena_t *a, const char *q, int page)
{
    buf_t b;
    buf_init(&b, a);
    buf_puts(&b, "/search");
    bool has_q = q && *q;
    if (has_q) {
        buf_puts(&b, "?q=");
        buf_url_escape(&b, q, strlen(q));
    }
    if (page > 1)
        buf_printf(&b, "%cpage=%d", has_q ? '&' : '?', page);
    return buf_cstr(&b);
}

static int search_redirect(hresp_t *rs, const char *location)
{
    rs->status = 301;
    rs->location = location;
    rs->content_type = "text/plain; charset=utf-8";
    buf_puts(&rs->body, "moved\n");
    rs->cacheable = true;
    return 0;
}

/* «N نتيجة» with the noun in the form Arabic gives it after N; «أكثر
 * من N نتيجة» when more matched than a search ranks. */
static const char *search_count_text(arena_t *a, int64_t n, bool more)
{
    if (more)
        return arena_printf(a, "أكثر من %lld نتيجة", (long long)n);
    if (n == 1)
        return "نتيجة واحدة";
    if (n == 2)
        return "نتيجتان";
    int64_t r = n % 100;
    return arena_printf(a, "%lld %s", (long long)n, r >= 3 && r <= 10 ? "نتائج" : "نتيجة");
}

/* Links to the previous and next pages of results, or false. */
static mu_value *search_pagination(arena_t *a, const char *q, int page, int64_t total)
{
    int64_t pages = (total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE;
    if (pages <= 1)
        return mu_bool(a, false);
    mu_value *p = mu_object(a);
    mu_set_int(p, "current", page);
    mu_set_int(p, "pages", pages);
    view_set_opt(p, "prev", page > 1 ? search_url(a, q, page - 1) : NULL);
    view_set_opt(p, "next", page < pages ? search_url(a, q, page + 1) : NULL);
    mu_set_str(p, "prev_text", "السابقة");
    mu_set_str(p, "next_text", "التالية");
    return p;
}

/* One result: the card of a list, with a snippet of its lead and text. */
static mu_value *search_result(arena_t *a, const store_search_hit *h, const query_t *q,
                               const view_settings *st)
{
    mu_value *o = view_summary(a, &h->article, st);
    const char *text = arena_printf(a, "%s\n%s", h->article.lead ? h->article.lead : "",
                                    h->text ? h->text : "");
    view_set_opt(o, "snippet", search_snippet(a, q, text, SEARCH_SNIPPET_CHARS));
    return o;
}

/* The page's own part of the view model. */
static mu_value *search_view(arena_t *a, const search_outcome *out, int page,
                             const view_settings *st)
{
    mu_value *v = mu_object(a);
    bool has_query = out->query.n > 0, found = out->found.total > 0;
    mu_set_str(v, "query", out->canonical);
    mu_set_bool(v, "has_query", has_query);
    mu_set_bool(v, "truncated", out->query.truncated);
    mu_set_bool(v, "any", out->any);
    mu_set_bool(v, "none", has_query && !found);
    view_set_opt(v, "count", found ? search_count_text(a, out->found.total, out->found.more) : NULL);
    mu_set_bool(v, "has_results", out->found.n > 0);
    mu_value *list = mu_list(a);
    for (size_t i = 0; i < out->found.n; i++)
        mu_push(list, search_result(a, &out->found.hits[i], &out->query, st));
    mu_set(v, "results", list);
    mu_set_bool(v, "suggestion", false);
    if (out->suggestion) {
        mu_value *s = mu_object(a);
        mu_set_str(s, "text", out->suggestion);
        mu_set_str(s, "url", search_url(a, out->suggestion, 1));
        mu_set(v, "suggestion", s);
    }
    mu_set(v, "pagination", search_pagination(a, out->canonical, page, out->found.total));
    if (page > 1)
        mu_set_int(v, "page_no", page);
    else
        mu_set_bool(v, "page_no", false);
    return v;
}

static int search_render(hreq_t *rq, hresp_t *rs, const search_outcome *out, int page)
{
    view_settings st;
    int rc = view_settings_load(rq, &st);
    if (rc < 0)
        return rc;
    arena_t *a = rq->arena;
    const char *title = out->query.n == 0 ? "بحث"
                      : page > 1 ? arena_printf(a, "بحث: %s – الصفحة %d", out->canonical, page)
                                 : arena_printf(a, "بحث: %s", out->canonical);
    mu_value *root = view_root(rq, &st, title, NULL, 0);
    /* the page's one address is its canonical query's (a long query's,
     * shown cut, is not one) */
    mu_set((mu_value *)mu_get(root, "page"), "canonical", out->query.truncated ? mu_null(a) :
           mu_str(a, arena_printf(a, "%s%s", rq->site->base_url,
                                  search_url(a, out->canonical, page))));
    mu_set(root, "search", search_view(a, out, page, &st));
    if ((rc = view_render(rq, rs, "search", root)) < 0)
        return rc;
    /* a long query is shown cut, under its own text: its canonical
     * spelling would lose the note that it was cut */
    rs->cacheable = !out->query.truncated;
    return 0;
}

/* The page number asked for: 1 when absent, 0 when not one. */
static int search_page_number(const char *p)
{
    return p ? view_parse_int(p, 1, SEARCH_LAST_PAGE, 0) : 1;
}

/* Whether q and p are the canonical spelling of the search for canon,
 * page `page`: the query as query_canonical gives it, the page number in
 * decimal, and page 1 without a number. */
static bool search_is_canonical(const char *q, const char *p, const char *canon, int page)
{
    char number[16];
    snprintf(number, sizeof number, "%d", page);
    return strcmp(q ? q : "", canon) == 0 && (!p || (page > 1 && strcmp(p, number) == 0));
}

int handler_search(hreq_t *rq, hresp_t *rs)
{
    const char *q = hreq_query(rq, "q"), *p = hreq_query(rq, "page");
    int page = search_page_number(p);
    query_t parsed;
    int rc = query_parse(rq->arena, q, q ? strlen(q) : 0, &parsed);
    if (rc < 0)
        return rc;
    if (page == 0 || (parsed.n == 0 && page > 1))
        return NS_ENOTFOUND;
    const char *canon = query_canonical(rq->arena, &parsed);
    if (!parsed.truncated && !search_is_canonical(q, p, canon, page))
        return search_redirect(rs, search_url(rq->arena, canon, page));
    search_outcome out;
    if ((rc = search_run(rq->store, rq->arena, q, q ? strlen(q) : 0, rq->now, page, &out)) < 0)
        return rc;
    if (page > 1 && (int64_t)(page - 1) * SEARCH_PER_PAGE >= out.found.total)
        return NS_ENOTFOUND;
    return search_render(rq, rs, &out, page);
}

int handler_search_wp(hreq_t *rq, hresp_t *rs)
{
    const char *s = hreq_query(rq, "s");
    query_t q;
    if (!s || query_parse(rq->arena, s, strlen(s), &q) != 0)
        return NS_EINVAL;
    /* straight to the canonical spelling, unless that would lose words */
    return search_redirect(rs, search_url(rq->arena, q.truncated ? s : query_canonical(rq->arena, &q), 1));
}

/* The first OPENSEARCH_SHORT_NAME characters of name. */
static const char *opensearch_short_name(arena_t *a, const char *name)
{
    size_t len = strlen(name), i = 0;
    for (int n = 0; i < len && n < OPENSEARCH_SHORT_NAME; n++) {
        int32_t cp;
        i += text_next_cp(name + i, len - i, &cp);
    }
    return arena_strndup(a, name, i);
}

int handler_opensearch(hreq_t *rq, hresp_t *rs)
{
    synd_site site;
    int rc = synd_site_load(rq, &site);
    if (rc < 0)
        return rc;
    synd_xml *w = synd_xml_new(rq->arena);
    synd_xml_start(w, "OpenSearchDescription");
    synd_xml_attr(w, "xmlns", "http://a9.com/-/spec/opensearch/1.1/");
    synd_xml_elem(w, "ShortName", opensearch_short_name(rq->arena, site.name));
    synd_xml_elem(w, "Description", arena_printf(rq->arena, "البحث في %s", site.name));
    synd_xml_elem(w, "InputEncoding", "UTF-8");
    synd_xml_elem(w, "Language", "ar");
    synd_xml_start(w, "Url");
    synd_xml_attr(w, "type", "text/html");
    synd_xml_attr(w, "method", "get");
    synd_xml_attr(w, "template", arena_printf(rq->arena, "%s/search?q={searchTerms}", rq->site->base_url));
    synd_xml_end(w);
    if ((rc = synd_xml_finish(w, rq, rs, "application/opensearchdescription+xml")) < 0)
        return rc;
    rs->cacheable = true;
    rs->max_age = OPENSEARCH_MAX_AGE;
    return 0;
}
