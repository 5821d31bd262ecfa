/*
 * pg_search.c - the search index of store.h on PostgreSQL: each article's
 * terms (search/terms.h) as a tsvector with a GIN index (search_docs,
 * pg_schema.c), and a reader's query as a tsquery. Both are built here,
 * in C, from the analyzer's terms, and reach the server as literals of
 * their types: the server never analyses text (no to_tsvector, no
 * to_tsquery), so SQLite's FTS5 tokenizer and this index hold the same
 * terms at the same positions and match the same documents.
 */
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/err.h"
#include "search/terms.h"
#include "store/pg_priv.h"

/* PostgreSQL's limits on a tsvector: positions 1..16383 (larger ones
 * are clamped, as the server would: a word past them still finds its
 * article, but a phrase there is no longer one, where SQLite has no such
 * bound), 256 positions per lexeme (it drops the rest), lexemes under
 * 2 KiB and 1 MiB of lexemes in all. */
#define TSV_MAX_POS 16383
#define TSV_MAX_POSITIONS 256
#define TSV_MAX_LEXEME 2047
#define TSV_MAX_BYTES ((1 << 20) - 1)

/* ---- literals ---- */

/* s between single quotes, as a tsvector or tsquery lexeme: a quote or a
 * backslash inside is escaped, so no byte of a term is syntax. */
static void pg_lexeme(buf_t *b, const char *s, size_t n)
{
    buf_putc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\')
            buf_putc(b, '\\');
        buf_putc(b, s[i]);
    }
    buf_putc(b, '\'');
}

/* One term of a document at a position, with its field's weight. */
typedef struct tsv_term {
    const char *text;
    size_t len;
    int pos;
    char weight;    /* 'A' title, 'B' lead, 'C' body */
} tsv_term;

typedef struct tsv_build {
    arena_t *a;
    tsv_term *v;
    size_t n, cap;
    int last;       /* the last position given */
    char weight;
} tsv_build;

static int tsv_take(void *arg, const terms_term *t)
{
    tsv_build *tb = arg;
    if (t->pos > tb->last)
        tb->last = t->pos;
    if (t->len > TSV_MAX_LEXEME)
        return 0;
    tb->v = arena_grow(tb->a, tb->v, tb->n, &tb->cap, sizeof *tb->v, 256);
    tb->v[tb->n++] = (tsv_term){ .text = t->text, .len = t->len,
                                 .pos = t->pos < TSV_MAX_POS ? t->pos : TSV_MAX_POS,
                                 .weight = tb->weight };
    return 0;
}

/* By lexeme, then position, the higher weight first at one position. */
static int tsv_order(const void *x, const void *y)
{
    const tsv_term *p = x, *q = y;
    int c = strcmp(p->text, q->text);
    if (c == 0)
        c = (p->pos > q->pos) - (p->pos < q->pos);
    return c ? c : (p->weight > q->weight) - (p->weight < q->weight);
}

/* The tsvector literal of sorted terms: each lexeme once, its distinct
 * positions (at most TSV_MAX_POSITIONS) with their weights. */
static const char *tsv_literal(arena_t *a, const tsv_term *v, size_t n)
{
    buf_t b;
    buf_init(&b, a);
    size_t bytes = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && strcmp(v[j].text, v[i].text) == 0)
            j++;
        bytes += v[i].len;
        if (bytes > TSV_MAX_BYTES)
            break;
        if (b.len)
            buf_putc(&b, ' ');
        pg_lexeme(&b, v[i].text, v[i].len);
        int given = 0;
        for (size_t k = i; k < j && given < TSV_MAX_POSITIONS; k++)
            if (k == i || v[k].pos != v[k - 1].pos)
                buf_printf(&b, "%c%d%c", given++ ? ',' : ':', v[k].pos, v[k].weight);
        i = j;
    }
    return buf_cstr(&b);
}

/* The document of an article: the title's words from position 1 (weight
 * A), then the lead's (B), then the body's (C). Each field starts one
 * position past the one after the field before, so that a phrase never
 * runs from one field into the next, as on SQLite, whose fields are
 * separate columns. NS_EINVAL for text that is not UTF-8. */
static int pg_tsvector(arena_t *a, const char *const fields[3], const char **out)
{
    tsv_build tb = { .a = a };
    static const char weights[3] = { 'A', 'B', 'C' };
    int rc = 0;
    for (int i = 0; rc == 0 && i < 3; i++) {
        tb.weight = weights[i];
        rc = terms_each(a, fields[i], strlen(fields[i]), tb.last + 1 + (i > 0), tsv_take, &tb);
    }
    if (rc)
        return rc;
    if (tb.n)
        qsort(tb.v, tb.n, sizeof *tb.v, tsv_order);
    *out = tsv_literal(a, tb.v, tb.n);
    return 0;
}

/* One alternative of a group: its terms in sequence. */
static void tsq_alt(buf_t *b, const query_alt *alt)
{
    buf_puts(b, alt->n > 1 ? "(" : "");
    for (size_t i = 0; i < alt->n; i++) {
        buf_puts(b, i ? " <-> " : "");
        pg_lexeme(b, alt->terms[i], strlen(alt->terms[i]));
    }
    buf_puts(b, alt->n > 1 ? ")" : "");
}

/* The tsquery literal of q: each group its alternatives joined by |, the
 * groups joined by & (every group) or | (any). NULL for a query with no
 * term, which matches nothing. */
static const char *pg_tsquery(arena_t *a, const query_t *q, bool any)
{
    buf_t b;
    buf_init(&b, a);
    size_t groups = 0;
    for (size_t g = 0; g < q->n; g++) {
        const query_group *gr = &q->groups[g];
        size_t alts = 0;
        for (size_t i = 0; i < gr->nalts; i++) {
            bool empty = gr->alts[i].n == 0;
            for (size_t k = 0; k < gr->alts[i].n; k++)
                empty |= !gr->alts[i].terms[k] || !*gr->alts[i].terms[k];
            if (empty)
                continue; /* nothing the index could hold */
            buf_puts(&b, alts++ ? " | " : groups++ ? (any ? " | (" : " & (") : "(");
            tsq_alt(&b, &gr->alts[i]);
        }
        if (alts)
            buf_putc(&b, ')');
        else if (!any)
            return NULL; /* a group nothing can match */
    }
    return groups ? buf_cstr(&b) : NULL;
}

const char *pg_match(arena_t *a, const query_t *q)
{
    return pg_tsquery(a, q, false);
}

/* terms as a text[] literal: each element double-quoted, a quote or a
 * backslash inside escaped. */
static const char *pg_text_array(arena_t *a, const char *const *terms, size_t n)
{
    buf_t b;
    buf_init(&b, a);
    buf_putc(&b, '{');
    for (size_t i = 0; i < n; i++) {
        buf_puts(&b, i ? ",\"" : "\"");
        for (const char *p = terms[i] ? terms[i] : ""; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf_putc(&b, '\\');
            buf_putc(&b, *p);
        }
        buf_putc(&b, '"');
    }
    buf_putc(&b, '}');
    return buf_cstr(&b);
}

static const char *pg_int_array(arena_t *a, const int64_t *ids, size_t n)
{
    buf_t b;
    buf_init(&b, a);
    buf_putc(&b, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&b, '}');
    return buf_cstr(&b);
}

/* ---- searching ---- */

/* The hits of a PS_SEARCH result: the card columns, then score, total
 * and the indexed body. */
static void search_hits(arena_t *a, const PGresult *r, store_search_result *out)
{
    const int j = (int)store_article_fields.n + SQL_ART_JOINED;
    out->n = (size_t)PQntuples(r);
    out->hits = arena_zalloc(a, (out->n ? out->n : 1) * sizeof *out->hits);
    for (size_t i = 0; i < out->n; i++) {
        store_search_hit *h = &out->hits[i];
        pg_article_row(a, r, (int)i, &h->article);
        h->score = strtod(PQgetvalue(r, (int)i, j), NULL);
        out->total = pg_int(r, (int)i, j + 1);
        h->text = pg_str(a, r, (int)i, j + 2);
    }
}

/* What a page of results depends on: the list's keys and MODIFIED. */
static void search_deps(pg_store *s, arena_t *a, const store_search_result *res)
{
    struct store_article_list l = { .items = arena_zalloc(a, (res->n ? res->n : 1) *
                                                             sizeof *l.items), .n = res->n };
    for (size_t i = 0; i < res->n; i++)
        l.items[i] = res->hits[i].article;
    store_deps_list(s->track, &l, false);
    pg_dep_note(s, STORE_DEP_MODIFIED, 0);
}

int pg_search(store_t *self, arena_t *a, const store_search_query *q, store_search_result *out)
{
    pg_store *s = pgs(self);
    memset(out, 0, sizeof *out);
    const char *tsq = pg_tsquery(a, q->query, q->any);
    if (!tsq) {
        search_deps(s, a, out);
        return 0;
    }
    pg_args args = { .n = 0 };
    pg_arg_text(&args, tsq);
    pg_arg_int(&args, q->now);
    pg_arg_int(&args, q->exclude_id);
    pg_arg_int(&args, q->limit);
    pg_arg_int(&args, q->offset);
    pg_arg_int(&args, STORE_SEARCH_RANKED);
    PGresult *r;
    int rc = pg_run(s, PS_SEARCH, &args, &r);
    if (rc)
        return rc;
    search_hits(a, r, out);
    PQclear(r);
    if (out->n == 0 && q->offset > 0) { /* past the last: count them alone */
        args.n = 3;
        pg_arg_int(&args, STORE_SEARCH_RANKED);
        rc = pg_run(s, PS_SEARCH_COUNT, &args, &r);
        if (rc)
            return rc;
        out->total = pg_int(r, 0, 0);
        PQclear(r);
    }
    out->more = out->total > STORE_SEARCH_RANKED;
    if (out->more)
        out->total = STORE_SEARCH_RANKED;
    search_deps(s, a, out);
    return 0;
}

int pg_search_terms(store_t *self, const char *const *terms, size_t n, int64_t *counts,
                    int64_t *ndocs)
{
    pg_store *s = pgs(self);
    arena_t *a = arena_new(0);
    pg_args args = { .n = 0 };
    pg_arg_text(&args, pg_text_array(a, terms, n));
    PGresult *r;
    int rc = pg_run(s, PS_SEARCH_TERMS, &args, &r);
    arena_free(a);
    memset(counts, 0, n * sizeof *counts);
    *ndocs = 0;
    if (rc)
        return rc;
    if ((size_t)PQntuples(r) != n + 1) {
        PQclear(r);
        return NS_EINTERNAL;
    }
    *ndocs = pg_int(r, 0, 0);
    for (size_t i = 0; i < n; i++) /* '' is the document count, no term */
        counts[i] = terms[i] && *terms[i] ? pg_int(r, (int)i + 1, 0) : 0;
    PQclear(r);
    return 0;
}

/* ---- the index, written ---- */

/* Put the document of the article whose PS_SEARCH_SOURCE row r is. */
static int search_put(pg_store *s, arena_t *a, int64_t id, const PGresult *r)
{
    const char *title = pg_str(a, r, 0, 0), *lead = pg_str(a, r, 0, 1);
    const char *fields[3] = { title ? title : "", lead ? lead : "",
                              terms_body_text(a, pg_str(a, r, 0, 3), pg_str(a, r, 0, 2),
                                              !PQgetisnull(r, 0, 4) && PQgetvalue(r, 0, 4)[0] == 't') };
    const char *doc;
    int rc = pg_tsvector(a, fields, &doc);
    if (rc)
        return rc;
    pg_args args = { .n = 0 };
    pg_arg_int(&args, id);
    for (int i = 0; i < 3; i++)
        pg_arg_text(&args, fields[i]);
    pg_arg_text(&args, doc);
    return pg_run(s, PS_SEARCH_PUT, &args, NULL);
}

int pg_search_index(store_t *self, int64_t id)
{
    pg_store *s = pgs(self);
    /* a bulk load's documents are counted once at its end (pg_search_clear
     * says why), each transaction of it standing the trigger aside */
    if (self->index_deferred && !s->vocab_deferred) {
        int rc = pg_run(s, PS_SEARCH_DEFER_VOCAB, NULL, NULL);
        if (rc)
            return rc;
        s->vocab_deferred = true;
    }
    arena_t *a = arena_new(0);
    pg_args args = { .n = 0 };
    pg_arg_int(&args, id);
    PGresult *r;
    int rc = pg_run(s, PS_SEARCH_SOURCE, &args, &r);
    if (rc == 0 && PQntuples(r) == 1)
        rc = search_put(s, a, id, r);
    else if (rc == 0)
        rc = pg_run(s, PS_SEARCH_DELETE, &args, NULL);
    PQclear(r);
    arena_free(a);
    return rc;
}

/* A rebuild counts the terms once, at its end, from the documents
 * (PS_SEARCH_RECOUNT): counted by the trigger one document at a time, the
 * rows of common terms (and of '') would each be updated once per
 * document in one transaction, every update walking past the versions the
 * ones before left, a cost that grows with the square of the documents. */
int pg_search_clear(store_t *self)
{
    pg_store *s = pgs(self);
    int rc = pg_run(s, PS_SEARCH_DEFER_VOCAB, NULL, NULL);
    if (rc == 0)
        rc = pg_run(s, PS_SEARCH_CLEAR_VOCAB, NULL, NULL);
    return rc ? rc : pg_run(s, PS_SEARCH_CLEAR_DOCS, NULL, NULL);
}

int pg_search_recount(store_t *self)
{
    pg_store *s = pgs(self);
    int rc = pg_run(s, PS_SEARCH_DEFER_VOCAB, NULL, NULL);
    if (rc == 0)
        rc = pg_run(s, PS_SEARCH_CLEAR_VOCAB, NULL, NULL);
    if (rc == 0)
        rc = pg_search_rebuilt(self);
    /* the load's batches left the planner's statistics to now (pg_commit) */
    return rc ? rc : pg_run(s, PS_ANALYZE, NULL, NULL);
}

int pg_search_rebuilt(store_t *self)
{
    pg_store *s = pgs(self);
    int rc = pg_run(s, PS_SEARCH_RECOUNT, NULL, NULL);
    if (rc == 0)
        rc = pg_run(s, PS_SEARCH_ANALYZE, NULL, NULL);
    return rc ? rc : pg_run(s, PS_SEARCH_UNDEFER_VOCAB, NULL, NULL);
}

int pg_related_set(store_t *self, int64_t id, const int64_t *ids, size_t n)
{
    pg_store *s = pgs(self);
    arena_t *a = arena_new(0);
    pg_args args = { .n = 0 };
    pg_arg_int(&args, id);
    pg_arg_text(&args, pg_int_array(a, ids, n));
    int rc = pg_run(s, PS_RELATED_SET, &args, NULL);
    arena_free(a);
    return rc;
}

int pg_article_ids(store_t *self, arena_t *a, int64_t after, int limit, int64_t **ids, size_t *n)
{
    pg_store *s = pgs(self);
    *ids = NULL;
    *n = 0;
    pg_args args = { .n = 0 };
    pg_arg_int(&args, after);
    pg_arg_int(&args, limit);
    PGresult *r;
    int rc = pg_run(s, PS_ARTICLE_IDS, &args, &r);
    if (rc)
        return rc;
    *n = (size_t)PQntuples(r);
    *ids = arena_alloc(a, (*n ? *n : 1) * sizeof **ids);
    for (size_t i = 0; i < *n; i++)
        (*ids)[i] = pg_int(r, (int)i, 0);
    PQclear(r);
    return 0;
}
