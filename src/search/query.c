/*
 * query.c - a reader's query as groups of index terms (query.h). The text
 * is cut into quoted and unquoted segments; arabic.h finds the words of
 * each, and every word gives the terms terms.h would index for it.
 */
#include "search/query.h"

#include <string.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "search/arabic.h"

/* Quote marks, any of which opens or closes a phrase: ASCII, curly and
 * the guillemets Arabic text quotes with. */
static const int32_t query_quotes[] = { 0x22, 0x201C, 0x201D, 0x201E, 0xAB, 0xBB };

static bool query_is_quote(int32_t c)
{
    for (size_t i = 0; i < sizeof query_quotes / sizeof query_quotes[0]; i++)
        if (c == query_quotes[i])
            return true;
    return false;
}

/* The words of one segment: stems and surface forms in sequence, and,
 * for a lone word, the other readings an index holds for it. */
#define QUERY_READINGS 4
typedef struct query_words {
    arena_t *a;
    const char *stem[QUERY_MAX_PHRASE], *surface[QUERY_MAX_PHRASE], *typed[QUERY_MAX_PHRASE];
    const char *other[QUERY_READINGS];
    const char *seg;       /* the segment ar_words reads (typed words' offsets) */
    size_t n;
    bool phrase;
    size_t canonical_len;  /* of the groups so far (query_canonical) */
    query_t *q;
} query_words;

static bool query_alt_equal(const query_alt *x, const char *const *terms, size_t n)
{
    if (x->n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(x->terms[i], terms[i]) != 0)
            return false;
    return true;
}

static void query_add_alt(arena_t *a, query_group *g, const char *const *terms, size_t n)
{
    for (size_t i = 0; i < g->nalts; i++)
        if (query_alt_equal(&g->alts[i], terms, n))
            return;
    query_alt *alt = &g->alts[g->nalts++];
    alt->terms = arena_alloc(a, n * sizeof *alt->terms);
    memcpy(alt->terms, terms, n * sizeof *terms);
    alt->n = n;
}

/* words[0..n) joined by single spaces, on a. */
static const char *query_join(arena_t *a, const char *const *words, size_t n)
{
    buf_t b;
    buf_init(&b, a);
    buf_reserve(&b, 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, ' ');
        buf_puts(&b, words[i]);
    }
    return buf_cstr(&b);
}

/* Append the group of the words in qw (with their other readings when
 * there is one word) to the query, unless it holds one with the same
 * text already. */
static void query_add_group(query_words *qw, bool phrase)
{
    const char *const *stem = qw->stem, *const *surface = qw->surface;
    size_t n = qw->n;
    query_t *q = qw->q;
    const char *text = query_join(qw->a, surface, n);
    const char *typed = query_join(qw->a, qw->typed, n);
    for (size_t i = 0; i < q->n; i++)
        if (q->groups[i].phrase == phrase && strcmp(q->groups[i].text, text) == 0)
            return;
    /* the canonical text is read again whole: a group that would take it
     * past QUERY_MAX_BYTES (normalised text can be longer than typed) is
     * dropped like one past QUERY_MAX_GROUPS */
    size_t len = qw->canonical_len + (q->n > 0) + strlen(typed) + (phrase ? 2 : 0);
    if (q->n == QUERY_MAX_GROUPS || len > QUERY_MAX_BYTES) {
        q->truncated = true;
        return;
    }
    qw->canonical_len = len;
    query_group *g = &q->groups[q->n++];
    *g = (query_group){ .text = text, .typed = typed, .phrase = phrase };
    g->alts = arena_alloc(qw->a, (2 + QUERY_READINGS) * sizeof *g->alts);
    query_add_alt(qw->a, g, stem, n);
    query_add_alt(qw->a, g, surface, n);
    for (size_t i = 0; n == 1 && i < QUERY_READINGS; i++)
        if (qw->other[i])
            query_add_alt(qw->a, g, &qw->other[i], 1);
}

static int query_word(void *arg, const ar_word *w)
{
    query_words *qw = arg;
    if (qw->n == QUERY_MAX_PHRASE) {
        qw->q->truncated = true;
        return 0;
    }
    qw->stem[qw->n] = ar_stem(qw->a, w);
    qw->surface[qw->n] = arena_strndup(qw->a, w->norm, w->len);
    qw->typed[qw->n] = arena_strndup(qw->a, qw->seg + w->start, w->end - w->start);
    if (qw->n == 0) {
        qw->other[0] = ar_stem_endings(qw->a, w);
        qw->other[1] = ar_stem_proclitic(qw->a, w);
        qw->other[2] = ar_stem_singular(qw->a, w);
        qw->other[3] = ar_stem_bare(qw->a, w);
    }
    qw->n++;
    if (!qw->phrase) {
        query_add_group(qw, false);
        qw->n = 0;
    }
    return 0;
}

/* The words of s[0..n), quoted or not. A quoted single word is a word. */
static int query_segment(query_words *qw, const char *s, size_t n, bool quoted)
{
    qw->phrase = quoted;
    qw->seg = s;
    qw->n = 0;
    int rc = ar_words(qw->a, s, n, query_word, qw);
    if (rc == 0 && qw->n > 0)
        query_add_group(qw, qw->n > 1);
    return rc;
}

/* How much of s[0..n) is read: at most QUERY_MAX_BYTES, cut before a
 * character, not inside one. */
static size_t query_cut(const char *s, size_t n)
{
    if (n <= QUERY_MAX_BYTES)
        return n;
    size_t k = QUERY_MAX_BYTES;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

int query_parse(arena_t *a, const char *s, size_t n, query_t *out)
{
    memset(out, 0, sizeof *out);
    if (!s)
        s = "";
    if (!text_wellformed_utf8(s, n))
        return NS_EINVAL;
    out->groups = arena_alloc(a, QUERY_MAX_GROUPS * sizeof *out->groups);
    size_t m = query_cut(s, n);
    out->truncated = m < n;
    query_words qw = { .a = a, .q = out };
    bool quoted = false;
    size_t seg = 0;
    for (size_t i = 0; i <= m;) {
        int32_t c = 0;
        size_t len = i < m ? text_next_cp(s + i, m - i, &c) : 1;
        if (i == m || query_is_quote(c)) {
            int rc = query_segment(&qw, s + seg, i - seg, quoted);
            if (rc)
                return rc;
            quoted = !quoted;
            seg = i + len;
        }
        i += len;
    }
    return 0;
}

const char *query_canonical(arena_t *a, const query_t *q)
{
    buf_t b;
    buf_init(&b, a);
    buf_reserve(&b, 1);
    for (size_t i = 0; i < q->n; i++) {
        if (i)
            buf_putc(&b, ' ');
        if (q->groups[i].phrase)
            buf_putc(&b, '"');
        buf_puts(&b, q->groups[i].typed);
        if (q->groups[i].phrase)
            buf_putc(&b, '"');
    }
    return buf_cstr(&b);
}

bool query_has_term(const query_t *q, const char *term, size_t len)
{
    for (size_t i = 0; i < q->n; i++)
        for (size_t j = 0; j < q->groups[i].nalts; j++)
            for (size_t k = 0; k < q->groups[i].alts[j].n; k++) {
                const char *t = q->groups[i].alts[j].terms[k];
                if (strlen(t) == len && memcmp(t, term, len) == 0)
                    return true;
            }
    return false;
}
