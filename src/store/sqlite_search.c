/*
 * sqlite_search.c - the search index of store.h, SQLite: an FTS5 table
 * (migration 6) whose tokenizer, "nashra", gives the terms of
 * search/terms.h, and the stored related articles.
 *
 * The tokenizer analyses documents only. A query reaches FTS5 as terms
 * this file already took from a query_t (query.h), each phrase in double
 * quotes, so in query mode the tokenizer hands each space-separated piece
 * back as it is: analysing a stem again could shorten it further, and a
 * phrase of stems must stay a sequence of those very stems.
 */
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "search/terms.h"
#include "store/sqlite_priv.h"
#include "store/sqlite_sql.h"

/* ---- the tokenizer ---- */

/* One tokenizer instance (one per FTS5 table per connection, so one
 * thread): an arena reset at each call holds the terms of one text. */
typedef struct nt_tok {
    arena_t *a;
    terms_cache *cache; /* the words this connection analysed */
    sq_vocab *vocab;    /* where a document's terms are counted */
    bool busy;          /* a call is using a (a nested call makes its own) */
} nt_tok;

typedef struct nt_call {
    sq_vocab *vocab;    /* NULL: a query's terms */
    terms_cache *cache; /* NULL in a nested call, which has its own arena */
    void *ctx;
    int (*token)(void *ctx, int flags, const char *tok, int n, int start, int end);
    int last_pos;       /* position of the last token given; -1: none */
} nt_call;

static int nt_create(void *vocab, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)argv; (void)argc;
    nt_tok *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->a = arena_new(0);
    t->cache = terms_cache_new();
    t->vocab = vocab;
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void nt_delete(Fts5Tokenizer *p)
{
    nt_tok *t = (nt_tok *)p;
    arena_free(t->a);
    terms_cache_free(t->cache);
    free(t);
}

/* A term goes at its word's position: colocated only when a term of that
 * same word was given before it (a word whose stem is empty gives its
 * surface form as its first token). */
static int nt_term(void *arg, const terms_term *t)
{
    nt_call *c = arg;
    int flags = t->colocated && t->pos == c->last_pos ? FTS5_TOKEN_COLOCATED : 0;
    c->last_pos = t->pos;
    int rc = c->token(c->ctx, flags, t->text, (int)t->len, (int)t->start, (int)t->end);
    if (rc == SQLITE_OK)
        sq_vocab_term(c->vocab, t->text, t->len);
    return rc == SQLITE_OK ? 0 : rc;
}

/* text with each byte of an ill-formed sequence replaced by a space:
 * the rest is indexed at the same offsets. */
static char *nt_wellformed(arena_t *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    memcpy(out, s, n);
    out[n] = '\0';
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t len = text_next_cp(out + i, n - i, &cp);
        if (cp < 0)
            out[i] = ' ';
        i += len;
    }
    return out;
}

/* Query mode: every space-separated piece is one term, as it is. */
static int nt_query(nt_call *c, const char *s, int n)
{
    int i = 0, rc = SQLITE_OK;
    while (rc == SQLITE_OK && i < n) {
        while (i < n && s[i] == ' ')
            i++;
        int start = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i > start)
            rc = c->token(c->ctx, 0, s + start, i - start, start, i);
    }
    return rc;
}

/* A document's terms. The SQLite error a token callback returned ends
 * the call with it; terms_each's own NS_EINVAL (ill-formed UTF-8, which
 * only another program can have written) indexes the text again with
 * those bytes as spaces: a write never fails for them. */
static int nt_document(arena_t *a, nt_call *c, const char *s, int n)
{
    int rc = terms_each_cached(c->cache, a, s, (size_t)n, 0, nt_term, c);
    if (rc == NS_EINVAL) {
        c->last_pos = -1;
        rc = terms_each_cached(c->cache, a, nt_wellformed(a, s, (size_t)n), (size_t)n, 0,
                               nt_term, c);
    }
    return rc > 0 ? rc : rc < 0 ? SQLITE_ERROR : SQLITE_OK;
}

static int nt_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *s, int n,
                       int (*token)(void *, int, const char *, int, int, int))
{
    nt_tok *t = (nt_tok *)p;
    nt_call c = { .ctx = ctx, .token = token, .last_pos = -1 };
    if (flags & FTS5_TOKENIZE_DOCUMENT)
        c.vocab = t->vocab;
    if (flags & FTS5_TOKENIZE_QUERY)
        return nt_query(&c, s ? s : "", s ? n : 0);
    bool own = !t->busy;
    arena_t *a = own ? t->a : arena_new(0);
    c.cache = own ? t->cache : NULL;
    t->busy = true;
    int rc = nt_document(a, &c, s ? s : "", s ? n : 0);
    if (own) {
        t->busy = false;
        arena_reset(a);
    } else {
        arena_free(a);
    }
    return rc;
}

/* nashra_rows(search_fts): the number of rows FTS5 keeps in its
 * statistics, read without counting them. */
static void nt_rows(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                    int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    sqlite3_int64 n = 0;
    int rc = api->xRowCount(fts, &n);
    if (rc == SQLITE_OK)
        sqlite3_result_int64(ctx, n);
    else
        sqlite3_result_error_code(ctx, rc);
}

static fts5_api *nt_api(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

int sq_search_register(sq_store *s)
{
    static fts5_tokenizer tok = { nt_create, nt_delete, nt_tokenize };
    fts5_api *api = nt_api(s->db);
    if (!api || api->iVersion < 2)
        return NS_EINTERNAL;
    int rc = api->xCreateTokenizer(api, "nashra", s->vocab, &tok, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "nashra_rows", NULL, nt_rows, NULL);
    return store_map_rc(rc);
}

/* ---- searching ---- */

/* A term inside FTS5 double quotes: a quote doubled. The terms are
 * letters and digits (query.h), but the syntax must not depend on it. */
static void match_term(buf_t *b, const char *t)
{
    for (; *t; t++) {
        if (*t == '"')
            buf_putc(b, '"');
        buf_putc(b, *t);
    }
}

/* One alternative as a quoted sequence: "t1 t2". False if it has no
 * term (it would be an empty phrase). */
static bool match_alt(buf_t *b, const query_alt *alt)
{
    size_t n = 0;
    for (size_t i = 0; i < alt->n; i++)
        if (alt->terms[i] && *alt->terms[i]) {
            buf_puts(b, n++ ? " " : "\"");
            match_term(b, alt->terms[i]);
        }
    if (n)
        buf_putc(b, '"');
    return n > 0;
}

/* The FTS5 query of q: each group (alt OR alt …), the groups joined by
 * AND or OR. NULL when it can match nothing: a group without a term
 * (under AND), or no group with one. */
static const char *match_text(arena_t *a, const query_t *q, bool any)
{
    buf_t b;
    buf_init(&b, a);
    size_t groups = 0;
    for (size_t g = 0; g < q->n; g++) {
        size_t mark = b.len, alts = 0;
        buf_puts(&b, groups ? (any ? " OR (" : " AND (") : "(");
        for (size_t i = 0; i < q->groups[g].nalts; i++) {
            size_t before = b.len;
            if (alts)
                buf_puts(&b, " OR ");
            if (match_alt(&b, &q->groups[g].alts[i]))
                alts++;
            else
                b.len = before;
        }
        buf_putc(&b, ')');
        if (alts)
            groups++;
        else if (!any)
            return NULL;
        else
            b.len = mark;
    }
    return groups ? buf_cstr(&b) : NULL;
}

const char *sq_match(arena_t *a, const query_t *q)
{
    return match_text(a, q, false);
}

/* A match: what the order is decided by. */
typedef struct search_match {
    int64_t id, pub;
    double score;
} search_match;

/* Whether x comes before y: higher score, then newer, then higher id. */
static bool match_before(const search_match *x, const search_match *y)
{
    if (x->score != y->score)
        return x->score > y->score;
    if (x->pub != y->pub)
        return x->pub > y->pub;
    return x->id > y->id;
}

/* The best k matches seen so far: a heap whose root is the worst kept,
 * grown as matches come (an offset far past them costs nothing). */
typedef struct match_heap {
    arena_t *a;
    search_match *v;
    size_t n, cap, k;
} match_heap;

static void heap_sift_down(match_heap *h, size_t i)
{
    for (;;) {
        size_t w = i, l = 2 * i + 1, r = l + 1;
        if (l < h->n && match_before(&h->v[w], &h->v[l]))
            w = l;
        if (r < h->n && match_before(&h->v[w], &h->v[r]))
            w = r;
        if (w == i)
            return;
        search_match t = h->v[i];
        h->v[i] = h->v[w];
        h->v[w] = t;
        i = w;
    }
}

static void heap_offer(match_heap *h, search_match m)
{
    if (h->n == h->k) {
        if (!match_before(&m, &h->v[0]))
            return;
        h->v[0] = m;
        heap_sift_down(h, 0);
        return;
    }
    if (h->n == h->cap)
        h->v = arena_grow(h->a, h->v, h->n, &h->cap, sizeof *h->v, 32);
    size_t i = h->n++;
    h->v[i] = m;
    while (i > 0 && match_before(&h->v[(i - 1) / 2], &h->v[i])) {
        search_match t = h->v[i];
        h->v[i] = h->v[(i - 1) / 2];
        h->v[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static int match_cmp(const void *x, const void *y)
{
    return match_before(x, y) ? -1 : match_before(y, x) ? 1 : 0;
}

/* The visible matches of match (the STORE_SEARCH_RANKED newest) are
 * scored and counted in one pass over the index, the best offset+limit
 * kept in C: no temporary table, no sort of all matches. The page's
 * matches, best first, into *page. */
static int search_best(sq_store *s, arena_t *a, const store_search_query *q, const char *match,
                       search_match **page, size_t *n, int64_t *total, bool *more)
{
    sqlite3_stmt *st = store_stmt(s, ST_SEARCH);
    if (!st)
        return NS_EINTERNAL;
    store_bind_text(st, ":match", match);
    store_bind_int(st, ":now", q->now);
    store_bind_int(st, ":exclude", q->exclude_id);
    store_bind_int(st, ":cap", STORE_SEARCH_RANKED + 1);
    match_heap h = { .a = a, .k = (size_t)q->offset + (size_t)q->limit };
    int rc;
    *total = 0;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        if (*total == STORE_SEARCH_RANKED) { /* one more: there are more */
            *more = true;
            continue;
        }
        ++*total;
        heap_offer(&h, (search_match){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                       sqlite3_column_double(st, 2) });
    }
    rc = store_done(st, store_map_rc(rc));
    if (h.n > 1)
        qsort(h.v, h.n, sizeof *h.v, match_cmp);
    *n = h.n > (size_t)q->offset ? h.n - (size_t)q->offset : 0;
    *page = *n ? h.v + q->offset : NULL;
    return rc;
}

/* A hit's card columns and indexed body (ST_SEARCH_CARD). */
static int search_card(sq_store *s, arena_t *a, const search_match *m, store_search_hit *h)
{
    sqlite3_stmt *st = store_stmt(s, ST_SEARCH_CARD);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", m->id);
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        sq_article_row(a, st, &h->article);
        h->article.comment_count = 0; /* as a list without comments */
        h->text = store_col_str(a, st, (int)store_article_fields.n + SQL_ART_JOINED); /* after SQL_ART_COLS */
        h->score = m->score;
    }
    return store_done(st, rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? NS_EINTERNAL
                                                                   : store_map_rc(rc));
}

/* What a page of results depends on: what a list of its cards does
 * (store_deps_list), and any visible article's change, as an edit
 * anywhere can make an article match. */
static void search_deps(sq_store *s, const store_search_result *out)
{
    store_dep_note(s, STORE_DEP_LIST, 0);
    store_dep_note(s, STORE_DEP_MODIFIED, 0);
    for (size_t i = 0; i < out->n; i++)
        store_dep_note(s, STORE_DEP_ARTICLE, out->hits[i].article.id);
}

int sq_search(store_t *self, arena_t *a, const store_search_query *q, store_search_result *out)
{
    sq_store *s = sq(self);
    memset(out, 0, sizeof *out);
    const char *match = match_text(a, q->query, q->any);
    search_match *page = NULL;
    size_t n = 0;
    int rc = match ? search_best(s, a, q, match, &page, &n, &out->total, &out->more) : 0;
    if (rc == 0 && n > 0)
        out->hits = arena_zalloc(a, n * sizeof *out->hits);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = search_card(s, a, &page[i], &out->hits[out->n++]);
    search_deps(s, out);
    return rc;
}

/* ---- the vocabulary ---- */

typedef struct term_ix {
    const char *term;
    size_t i;
} term_ix;

static int term_ix_cmp(const void *x, const void *y)
{
    return strcmp(((const term_ix *)x)->term, ((const term_ix *)y)->term);
}

/* Set counts[] of every input term equal to the row's term (a term may be
 * asked for twice). */
static void terms_count(const term_ix *ix, size_t n, const char *term, int64_t doc,
                        int64_t *counts)
{
    term_ix key = { .term = term };
    const term_ix *hit = bsearch(&key, ix, n, sizeof *ix, term_ix_cmp);
    if (!hit)
        return;
    while (hit > ix && strcmp(hit[-1].term, term) == 0)
        hit--;
    for (; hit < ix + n && strcmp(hit->term, term) == 0; hit++)
        counts[hit->i] = doc;
}

static int search_ndocs(sq_store *s, int64_t *ndocs)
{
    sqlite3_stmt *st = store_stmt(s, ST_SEARCH_NDOCS);
    if (!st)
        return NS_EINTERNAL;
    int rc = store_step(s, st);
    *ndocs = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    return store_done(st, store_map_rc(rc));
}

int sq_search_terms(store_t *self, const char *const *terms, size_t n, int64_t *counts,
                    int64_t *ndocs)
{
    sq_store *s = sq(self);
    memset(counts, 0, n * sizeof *counts);
    *ndocs = 0;
    sqlite3_stmt *st = store_stmt(s, ST_SEARCH_TERMS);
    if (!st)
        return NS_EINTERNAL;
    int rc = sq_vocab_flush(s); /* a rebuild's counts so far */
    if (rc || n == 0)
        return rc ? rc : search_ndocs(s, ndocs);
    arena_t *a = arena_new(0);
    term_ix *ix = arena_alloc(a, n * sizeof *ix);
    buf_t b;
    buf_init(&b, a);
    buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++) {
        ix[i] = (term_ix){ .term = terms[i] ? terms[i] : "", .i = i };
        buf_puts(&b, i ? ",\"" : "\"");
        buf_json_escape(&b, ix[i].term, strlen(ix[i].term));
        buf_putc(&b, '"');
    }
    buf_putc(&b, ']');
    qsort(ix, n, sizeof *ix, term_ix_cmp);
    store_bind_text(st, ":terms", buf_cstr(&b));
    while ((rc = store_step(s, st)) == SQLITE_ROW)
        terms_count(ix, n, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
                    counts);
    rc = store_done(st, store_map_rc(rc));
    arena_free(a);
    return rc ? rc : search_ndocs(s, ndocs);
}

/* ---- keeping the index ---- */

static int step_id(sq_store *s, enum store_stmt_id id, int64_t article)
{
    sqlite3_stmt *st = store_stmt(s, id);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", article);
    return store_done(st, store_map_rc(store_step(s, st)));
}

/* One article's indexed text. */
typedef struct search_doc {
    const char *title, *lead, *body;
} search_doc;

static bool search_doc_same(const search_doc *x, const search_doc *y)
{
    return strcmp(x->title, y->title) == 0 && strcmp(x->lead, y->lead) == 0 &&
           strcmp(x->body, y->body) == 0;
}

/* The text article id is indexed as now (ST_SEARCH_OLD, *found false if
 * none), or would be from its row (ST_SEARCH_SOURCE). */
static int search_doc_read(sq_store *s, arena_t *a, enum store_stmt_id sid, int64_t id,
                           search_doc *d, bool *found)
{
    sqlite3_stmt *st = store_stmt(s, sid);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", id);
    int rc = store_step(s, st);
    *found = rc == SQLITE_ROW;
    if (*found) {
        const char *t = store_col_str(a, st, 0), *l = store_col_str(a, st, 1);
        d->title = t ? t : "";
        d->lead = l ? l : "";
        d->body = sid == ST_SEARCH_OLD ? store_col_str(a, st, 2)
                                       : terms_body_text(a, store_col_str(a, st, 3), store_col_str(a, st, 2),
                                                         sqlite3_column_int(st, 4) != 0);
        d->body = d->body ? d->body : "";
    }
    return store_done(st, rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_map_rc(rc));
}

static int search_insert(sq_store *s, int64_t id, const search_doc *d)
{
    sqlite3_stmt *st = store_stmt(s, ST_SEARCH_INSERT);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", id);
    store_bind_text(st, ":title", d->title);
    store_bind_text(st, ":lead", d->lead);
    store_bind_text(st, ":body", d->body);
    sq_vocab_count(s->vocab, +1);
    return store_done(st, store_map_rc(store_step(s, st)));
}

/* Replace the index row by the article's text, unless it is that text
 * already (a change of status, date or category analyses nothing). */
static int search_reindex(sq_store *s, arena_t *a, int64_t id)
{
    search_doc now, old;
    bool exists, indexed;
    int rc = search_doc_read(s, a, ST_SEARCH_SOURCE, id, &now, &exists);
    if (rc == 0)
        rc = search_doc_read(s, a, ST_SEARCH_OLD, id, &old, &indexed);
    if (rc || (exists && indexed && search_doc_same(&now, &old)))
        return rc;
    if (indexed) {
        sq_vocab_count(s->vocab, -1);
        rc = step_id(s, ST_SEARCH_DELETE, id);
    }
    return rc == 0 && exists ? search_insert(s, id, &now) : rc;
}

int sq_search_index(store_t *self, int64_t id)
{
    sq_store *s = sq(self);
    arena_t *a = arena_new(0);
    int rc = search_reindex(s, a, id);
    arena_free(a);
    int end = sq_vocab_end(s);
    return rc ? rc : end;
}

/* Drop and make the table again: deleting every row of an FTS5 table
 * that keeps its content analyses each row once more. The document
 * counts go with it. */
/* The term counts follow each document as FTS5 takes it (search_df).
 * A rebuild writes its segments without merging them as they come (FTS5's
 * automerge, off from search_clear), and merges them all once here. */
int sq_search_rebuilt(store_t *self)
{
    sq_store *s = sq(self);
    int rc = sqlite3_exec(s->db, "INSERT INTO search_fts(search_fts) VALUES ('optimize');"
                          "INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 4);",
                          NULL, NULL, NULL);
    return store_map_rc(rc == SQLITE_ERROR ? SQLITE_INTERNAL : rc);
}

/* The tokenizer keeps search_df as each document is written. */
int sq_search_recount(store_t *self)
{
    (void)self;
    return 0;
}

int sq_search_clear(store_t *self)
{
    sq_store *s = sq(self);
    sq_vocab_abort(s);
    int rc = sqlite3_exec(s->db, "DROP TABLE search_fts;" MIG_SEARCH_FTS
                          "INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 0);",
                          NULL, NULL, NULL);
    rc = store_map_rc(rc == SQLITE_ERROR ? SQLITE_INTERNAL : rc);
    sqlite3_stmt *st = rc ? NULL : store_stmt(s, ST_VOCAB_CLEAR);
    if (rc || !st)
        return rc ? rc : NS_EINTERNAL;
    sq_vocab_bulk(s->vocab); /* every article follows in this transaction */
    return store_done(st, store_map_rc(store_step(s, st)));
}

/* Whether the stored list of id is ids[0..n) already: an unchanged list
 * is not written again, so it logs no change of the article's page. */
static int related_same(sq_store *s, int64_t id, const int64_t *ids, size_t n, bool *same)
{
    sqlite3_stmt *st = store_stmt(s, ST_RELATED_GET);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":id", id);
    size_t k = 0;
    int rc;
    *same = true;
    while ((rc = store_step(s, st)) == SQLITE_ROW)
        *same = *same && k < n && sqlite3_column_int64(st, 0) == ids[k++];
    *same = *same && k == n;
    return store_done(st, store_map_rc(rc));
}

int sq_related_set(store_t *self, int64_t id, const int64_t *ids, size_t n)
{
    sq_store *s = sq(self);
    bool same;
    int rc = related_same(s, id, ids, n, &same);
    if (rc || same)
        return rc;
    rc = step_id(s, ST_RELATED_CLEAR, id);
    sqlite3_stmt *st = store_stmt(s, ST_RELATED_INSERT);
    if (!st)
        return NS_EINTERNAL;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        store_bind_int(st, ":id", id);
        store_bind_int(st, ":rank", (int64_t)i);
        store_bind_int(st, ":related", ids[i]);
        rc = store_done(st, store_map_rc(store_step(s, st)));
    }
    return rc;
}

int sq_article_ids(store_t *self, arena_t *a, int64_t after, int limit, int64_t **ids, size_t *n)
{
    sq_store *s = sq(self);
    *ids = NULL;
    *n = 0;
    if (limit < 1)
        return NS_EINVAL;
    sqlite3_stmt *st = store_stmt(s, ST_ARTICLE_IDS);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":after", after);
    store_bind_int(st, ":limit", limit);
    *ids = arena_alloc(a, (size_t)limit * sizeof **ids);
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW && *n < (size_t)limit)
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    return store_done(st, store_map_rc(rc));
}
