/*
 * index.c - the search index and the related articles kept in step with
 * the articles (store.h), on every backend alike: the backends store and
 * query (store_impl.h's search ops); choosing an article's distinctive
 * terms, the rebuild and its version are decided here once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/err.h"
#include "search/terms.h"
#include "store/store_impl.h"

#define RELATED_TERMS 12     /* distinctive terms an article is matched by */
#define RELATED_KEEP 10      /* related articles stored for each */
#define RELATED_CANDIDATES 400 /* distinct terms of an article considered */
#define REINDEX_BATCH 500    /* articles read (index) or related per transaction */
#define SEARCH_VERSION_KEY "search_version"

static bool search_is_stopword(const query_group *g)
{
    return !g->phrase && terms_is_stopword(g->text, strlen(g->text));
}

/* q without its function words (في، من، على…) when it has other words:
 * required, they would only slow a search (nearly every article has
 * them), and, in the any-word fallback, match everything. A phrase keeps
 * its function words. */
static const query_t *search_content_words(arena_t *a, const query_t *q)
{
    size_t keep = 0;
    for (size_t i = 0; i < q->n; i++)
        keep += !search_is_stopword(&q->groups[i]);
    if (keep == 0 || keep == q->n)
        return q;
    query_t *c = arena_alloc(a, sizeof *c);
    *c = *q;
    c->groups = arena_alloc(a, keep * sizeof *c->groups);
    c->n = 0;
    for (size_t i = 0; i < q->n; i++)
        if (!search_is_stopword(&q->groups[i]))
            c->groups[c->n++] = q->groups[i];
    return c;
}

int store_search(store_t *s, arena_t *a, const store_search_query *q, store_search_result *out)
{
    memset(out, 0, sizeof *out);
    if (!q->query || q->query->n == 0 || q->limit < 1 || q->limit > 100 || q->offset < 0)
        return NS_EINVAL;
    store_search_query sq = *q;
    sq.query = search_content_words(a, q->query);
    return s->ops->search(s, a, &sq, out);
}

int store_search_terms(store_t *s, const char *const *terms, size_t n, int64_t *counts,
                       int64_t *ndocs)
{
    if (n > 2000)
        return NS_EINVAL;
    return s->ops->search_terms(s, terms, n, counts, ndocs);
}

/* ---- an article's distinctive terms ---- */

typedef struct rel_term {
    const char *text;
    double weight;      /* weighted term frequency, then times idf */
} rel_term;

typedef struct rel_count {
    arena_t *a;
    rel_term *v;
    size_t n, cap;
    double field;       /* weight of the field being read */
} rel_count;

/* Count the first term of each word (its stem), function words and
 * one-letter terms aside. A linear search: RELATED_CANDIDATES bounds it. */
static int rel_term_seen(void *arg, const terms_term *t)
{
    rel_count *rc = arg;
    if (t->colocated || t->stopword || t->len < 4) /* < 2 Arabic letters */
        return 0;
    for (size_t i = 0; i < rc->n; i++)
        if (strcmp(rc->v[i].text, t->text) == 0) {
            rc->v[i].weight += rc->field;
            return 0;
        }
    if (rc->n == RELATED_CANDIDATES)
        return 0;
    rc->v = arena_grow(rc->a, rc->v, rc->n, &rc->cap, sizeof *rc->v, 64);
    rc->v[rc->n++] = (rel_term){ .text = t->text, .weight = rc->field };
    return 0;
}

static int rel_by_weight(const void *x, const void *y)
{
    const rel_term *p = x, *q = y;
    return (p->weight < q->weight) - (p->weight > q->weight);
}

/* The article's terms, weighted by field and frequency, then by how rare
 * they are in the index; terms no other article has are dropped. */
static int rel_terms(store_t *s, arena_t *a, const store_article *ar, rel_count *rc)
{
    const char *body = terms_body_text(a, ar->body_html, ar->body_md, ar->body_format == BODY_HTML);
    const struct { const char *text; double weight; } fields[] = {
        { ar->title, 3 }, { ar->lead, 2 }, { body, 1 },
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        rc->field = fields[i].weight;
        if (fields[i].text)
            terms_each(a, fields[i].text, strlen(fields[i].text), 0, rel_term_seen, rc);
    }
    if (rc->n == 0)
        return 0;
    const char **terms = arena_alloc(a, rc->n * sizeof *terms);
    int64_t *counts = arena_alloc(a, rc->n * sizeof *counts), ndocs = 0;
    for (size_t i = 0; i < rc->n; i++)
        terms[i] = rc->v[i].text;
    int err = s->ops->search_terms(s, terms, rc->n, counts, &ndocs);
    if (err)
        return err;
    size_t k = 0;
    for (size_t i = 0; i < rc->n; i++)
        if (counts[i] > 1) { /* another article has it too */
            rc->v[k] = rc->v[i];
            rc->v[k++].weight *= log((double)(ndocs + 1) / (double)counts[i]);
        }
    rc->n = k;
    qsort(rc->v, rc->n, sizeof *rc->v, rel_by_weight);
    return 0;
}

int store_related_compute(store_t *s, int64_t id)
{
    arena_t *a = arena_new(0);
    store_article ar;
    int rc = s->ops->article_by_id(s, a, id, &ar);
    rel_count terms = { .a = a };
    if (rc == 0)
        rc = rel_terms(s, a, &ar, &terms);
    size_t n = terms.n < RELATED_TERMS ? terms.n : RELATED_TERMS;
    int64_t ids[RELATED_KEEP];
    size_t nids = 0;
    if (rc == 0 && n > 0) {
        query_t q = { .groups = arena_zalloc(a, n * sizeof *q.groups), .n = n };
        for (size_t i = 0; i < n; i++) {
            query_group *g = &q.groups[i];
            g->text = terms.v[i].text;
            g->alts = arena_zalloc(a, sizeof *g->alts);
            g->alts[0] = (query_alt){ .terms = &g->text, .n = 1 };
            g->nalts = 1;
        }
        store_search_query sq = { .query = &q, .any = true, .now = (int64_t)time(NULL),
                                  .exclude_id = id, .limit = RELATED_KEEP };
        store_search_result res;
        rc = s->ops->search(s, a, &sq, &res);
        for (size_t i = 0; rc == 0 && i < res.n; i++)
            ids[nids++] = res.hits[i].article.id;
    }
    if (rc == 0)
        rc = s->ops->related_set(s, id, ids, nids);
    arena_free(a);
    return rc == NS_ENOTFOUND ? 0 : rc;
}

/* ---- kept in step with each write ---- */

void store_index_defer(store_t *s, bool deferred)
{
    s->index_deferred = deferred;
}

int store_article_indexed(store_t *s, int64_t id)
{
    if (s->index_deferred)
        return 0;
    int rc = s->ops->search_index(s, id);
    return rc ? rc : store_related_compute(s, id);
}

/* ---- the rebuild ---- */

typedef struct reindex {
    void (*progress)(void *arg, const char *phase, int64_t done, int64_t total);
    void *arg;
    int64_t total, done;
    const char *phase;
} reindex;

static void reindex_report(reindex *r)
{
    if (r->progress)
        r->progress(r->arg, r->phase, r->done, r->total);
}

/* Call fn for each article id, REINDEX_BATCH at a time: in one write
 * transaction (one_tx) or in one per batch. */
typedef struct reindex_pass {
    reindex *r;
    int (*fn)(store_t *s, int64_t id);
    int64_t after, done;     /* where the last committed transaction ended */
    int64_t next;            /* where this one has got to */
    bool one_tx, end;
} reindex_pass;

/* One transaction's work. store_write runs it again from the start when
 * the transaction was busy, so it starts from what was committed. */
static int reindex_batch(store_t *s, void *arg)
{
    reindex_pass *p = arg;
    arena_t *a = arena_new(0);
    p->next = p->after;
    p->r->done = p->done;
    int rc;
    do {
        int64_t *ids;
        size_t n = 0;
        rc = s->ops->article_ids(s, a, p->next, REINDEX_BATCH, &ids, &n);
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = p->fn(s, ids[i]);
        if (rc == 0 && n > 0) {
            p->next = ids[n - 1];
            p->r->done += (int64_t)n;
            reindex_report(p->r);
        }
        p->end = rc == 0 && n < REINDEX_BATCH;
        arena_reset(a);
    } while (rc == 0 && p->one_tx && !p->end);
    arena_free(a);
    return rc;
}

static int reindex_clear_all(store_t *s, void *arg)
{
    reindex_pass *p = arg;
    int rc = s->ops->search_clear(s);
    if (rc == 0)
        rc = reindex_batch(s, p);
    return rc ? rc : s->ops->search_rebuilt(s);
}

static int reindex_version(store_t *s, void *arg)
{
    (void)arg;
    char v[16];
    snprintf(v, sizeof v, "%d", TERMS_VERSION);
    return s->ops->setting_set(s, SEARCH_VERSION_KEY, v);
}

/* The number of articles; the count op needs a transaction (PostgreSQL
 * reads it through the copy's statements, which refuse to run outside
 * one), so it runs in a read snapshot of its own. */
static int reindex_count(store_t *s, int64_t *n)
{
    int rc = store_read_begin(s);
    if (rc)
        return rc;
    rc = s->ops->count(s, "articles", n);
    int end = store_read_end(s);
    return rc ? rc : end;
}

/* The index phase of a rebuild, in one write transaction. */
static int reindex_index(store_t *s, reindex *r)
{
    int rc = reindex_count(s, &r->total);
    reindex_pass p = { .r = r, .fn = s->ops->search_index, .one_tx = true };
    return rc ? rc : store_write(s, reindex_clear_all, &p);
}

int store_search_rebuild(store_t *s, void (*progress)(void *arg, const char *phase, int64_t done,
                                                     int64_t total), void *arg)
{
    reindex r = { .progress = progress, .arg = arg, .phase = "index" };
    return reindex_index(s, &r);
}

/* The related phase of a rebuild, in transactions of REINDEX_BATCH. */
static int reindex_related(store_t *s, reindex *r)
{
    reindex_pass p = { .r = r, .fn = store_related_compute };
    r->phase = "related";
    r->done = 0;
    int rc = 0;
    while (rc == 0 && !p.end) {
        rc = store_write(s, reindex_batch, &p);
        p.after = p.next;
        p.done = r->done;
    }
    return rc;
}

int store_reindex(store_t *s, void (*progress)(void *arg, const char *phase, int64_t done,
                                               int64_t total), void *arg)
{
    reindex r = { .progress = progress, .arg = arg, .phase = "index" };
    int rc = reindex_index(s, &r);
    if (rc == 0)
        rc = reindex_related(s, &r);
    return rc ? rc : store_write(s, reindex_version, NULL);
}

int store_related_rebuild(store_t *s, void (*progress)(void *arg, const char *phase, int64_t done,
                                                      int64_t total), void *arg)
{
    reindex r = { .progress = progress, .arg = arg };
    int rc = reindex_count(s, &r.total);
    return rc ? rc : reindex_related(s, &r);
}

static int recount(store_t *s, void *arg)
{
    (void)arg;
    return s->ops->search_recount(s);
}

int store_search_recount(store_t *s)
{
    return store_write(s, recount, NULL);
}

int store_article_index(store_t *s, int64_t id)
{
    return s->ops->search_index(s, id);
}

int store_search_ready(store_t *s, void (*progress)(void *arg, const char *phase, int64_t done,
                                                   int64_t total), void *arg)
{
    arena_t *a = arena_new(0);
    const char *v = NULL;
    int64_t n = 0;
    int rc = s->ops->setting_get(s, a, SEARCH_VERSION_KEY, &v);
    bool current = rc == 0 && atoi(v) == TERMS_VERSION;
    if (rc == NS_ENOTFOUND)
        rc = 0;
    if (rc == 0 && !current)
        rc = reindex_count(s, &n);
    arena_free(a);
    if (rc || current)
        return rc;
    return n == 0 ? store_write(s, reindex_version, NULL) : store_reindex(s, progress, arg);
}
