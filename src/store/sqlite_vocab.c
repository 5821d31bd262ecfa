/*
 * sqlite_vocab.c - how many indexed articles hold each term (search_df,
 * migration 6), for store_search_terms. FTS5 keeps no such count: its
 * vocabulary table counts a term's documents by reading the whole list
 * of them, which for the few hundred terms of one article on a large
 * site is seconds. So the counts are kept beside the index, from the
 * terms the tokenizer gives while FTS5 writes or removes a row: nothing
 * is analysed twice.
 *
 * While an article is indexed (sq_vocab_begin … sq_vocab_end) each
 * distinct term of the row written (+1) or removed (-1) is added to a
 * table of pending changes, written out at sq_vocab_end; during a
 * rebuild (sq_vocab_bulk) they are written out only when the table is
 * large and before the transaction commits, so that a common term is
 * written once per batch rather than once per article. A transaction
 * rolled back drops what is pending with it.
 */
#include <stdlib.h>
#include <string.h>
#include "core/err.h"
#include "store/sqlite_priv.h"

/* Pending terms past which a rebuild writes them out. */
#define VOCAB_FLUSH 262144

typedef struct vocab_slot {
    char *term;          /* NULL: empty; else on the arena */
    size_t len;
    int64_t delta;       /* documents gained (or lost, < 0) */
    uint64_t doc;        /* the last document that counted it */
} vocab_slot;

struct sq_vocab {
    arena_t *a;
    vocab_slot *v;
    size_t cap, n;       /* cap: a power of two */
    int sign;            /* +1 row written, -1 row removed, 0: not counting */
    uint64_t doc;        /* the row being written or removed */
    bool bulk;           /* a rebuild: written out at commit */
};

sq_vocab *sq_vocab_new(void)
{
    sq_vocab *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    w->a = arena_new(0);
    return w;
}

static void vocab_reset(sq_vocab *w)
{
    free(w->v);
    w->v = NULL;
    w->cap = w->n = 0;
    arena_reset(w->a);
}

void sq_vocab_free(sq_vocab *w)
{
    if (!w)
        return;
    vocab_reset(w);
    arena_free(w->a);
    free(w);
}

/* FNV-1a */
static uint64_t vocab_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static vocab_slot *vocab_find(vocab_slot *v, size_t cap, const char *t, size_t n)
{
    size_t i = vocab_hash(t, n) & (cap - 1);
    while (v[i].term && (v[i].len != n || memcmp(v[i].term, t, n) != 0))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

static void vocab_grow(sq_vocab *w)
{
    size_t cap = w->cap ? w->cap * 2 : 1024;
    vocab_slot *v = calloc(cap, sizeof *v);
    if (!v)
        abort();
    for (size_t i = 0; i < w->cap; i++)
        if (w->v[i].term)
            *vocab_find(v, cap, w->v[i].term, w->v[i].len) = w->v[i];
    free(w->v);
    w->v = v;
    w->cap = cap;
}

void sq_vocab_term(sq_vocab *w, const char *t, size_t n)
{
    if (!w || !w->sign)
        return;
    if ((w->n + 1) * 2 > w->cap)
        vocab_grow(w);
    vocab_slot *e = vocab_find(w->v, w->cap, t, n);
    if (!e->term) {
        *e = (vocab_slot){ .term = arena_strndup(w->a, t, n), .len = n };
        w->n++;
    }
    if (e->doc != w->doc) { /* once per document */
        e->doc = w->doc;
        e->delta += w->sign;
    }
}

void sq_vocab_count(sq_vocab *w, int sign)
{
    w->sign = sign;
    w->doc++;
}

void sq_vocab_bulk(sq_vocab *w)
{
    w->bulk = true;
}

/* Write every pending change into search_df; forget them. */
int sq_vocab_flush(sq_store *s)
{
    sq_vocab *w = s->vocab;
    w->sign = 0;
    if (w->n == 0) /* every commit asks: nothing to do is the rule */
        return 0;
    sqlite3_stmt *add = store_stmt(s, ST_VOCAB_ADD), *drop = store_stmt(s, ST_VOCAB_DROP);
    int rc = !add || !drop ? NS_EINTERNAL : 0;
    for (size_t i = 0; rc == 0 && i < w->cap; i++) {
        vocab_slot *e = &w->v[i];
        if (!e->term || e->delta == 0)
            continue;
        sqlite3_stmt *st = e->delta > 0 ? add : drop;
        sqlite3_bind_text(st, 1, e->term, (int)e->len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, e->delta);
        rc = store_done(st, store_map_rc(store_step(s, st)));
    }
    vocab_reset(w);
    return rc;
}

int sq_vocab_end(sq_store *s)
{
    sq_vocab *w = s->vocab;
    w->sign = 0;
    return w->bulk && w->n < VOCAB_FLUSH ? 0 : sq_vocab_flush(s);
}

int sq_vocab_commit(sq_store *s)
{
    s->vocab->bulk = false;
    return sq_vocab_flush(s);
}

void sq_vocab_abort(sq_store *s)
{
    sq_vocab *w = s->vocab;
    w->bulk = false;
    w->sign = 0;
    vocab_reset(w);
}
