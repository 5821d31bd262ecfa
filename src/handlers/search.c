/*
 * search.c - a reader's search (search.h): the query parsed, every word
 * required and else any word; a spelling for the words no article holds,
 * chosen among the index's own terms at one edit from them; snippets
 * with the matched words marked.
 */
#include "handlers/search.h"

#include <string.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "search/arabic.h"
#include "search/terms.h"

/* ---- spelling suggestions ---- */

/* Terms store_search_terms takes in one call: every candidate of every
 * word of a query shares it. */
#define SUGGEST_MAX_CANDIDATES 2000

/* A word shorter than this gets no suggestion: one edit from a letter or
 * two is another word altogether. */
#define SUGGEST_MIN_LETTERS 2

/* The letters an edit may insert or substitute, as normalisation leaves
 * them (ar_normalize): Arabic for a word with any non-ASCII letter, else
 * Latin letters and digits. */
static const char *const suggest_arabic[] = {
    "ا", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش", "ص", "ض", "ط",
    "ظ", "ع", "غ", "ف", "ق", "ك", "ل", "م", "ن", "ه", "و", "ي", "ء", "ؤ", "ئ",
};
static const char *const suggest_latin[] = {
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
    "s", "t", "u", "v", "w", "x", "y", "z", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
};

/* Candidates of every word, in one array. */
typedef struct suggest_set {
    arena_t *a;
    const char **v;
    size_t n, cap;
} suggest_set;

/* One word and where its candidates are in the set. */
typedef struct suggest_word {
    const char *text;
    size_t off[AR_WORD_MAX + 1]; /* byte offset of each code point, then the end */
    size_t n;                    /* code points */
    size_t first, limit;         /* its candidates: v[first .. first + count), count <= limit */
} suggest_word;

/* Add w[0..from) + ins + w[to..], unless w's budget is spent. */
static void suggest_splice(suggest_set *c, const suggest_word *w, size_t from, size_t to,
                           const char *ins)
{
    if (c->n - w->first >= w->limit)
        return;
    c->v = arena_grow(c->a, c->v, c->n, &c->cap, sizeof *c->v, 256);
    c->v[c->n++] = arena_printf(c->a, "%.*s%s%s", (int)from, w->text, ins, w->text + to);
}

/* The code point i of w as a string. */
static const char *suggest_cp(arena_t *a, const suggest_word *w, size_t i)
{
    return arena_strndup(a, w->text + w->off[i], w->off[i + 1] - w->off[i]);
}

/* Every word at one edit from w: deletions, transpositions, substitutions,
 * insertions, in that order, up to w's budget. */
static void suggest_edits(suggest_set *c, const suggest_word *w)
{
    const char *const *abc = suggest_latin;
    size_t nabc = sizeof suggest_latin / sizeof *suggest_latin;
    if (w->off[w->n] != w->n) { /* not ASCII */
        abc = suggest_arabic;
        nabc = sizeof suggest_arabic / sizeof *suggest_arabic;
    }
    for (size_t i = 0; i < w->n; i++)
        suggest_splice(c, w, w->off[i], w->off[i + 1], "");
    for (size_t i = 0; i + 1 < w->n; i++) {
        const char *x = suggest_cp(c->a, w, i), *y = suggest_cp(c->a, w, i + 1);
        if (strcmp(x, y) != 0)
            suggest_splice(c, w, w->off[i], w->off[i + 2], arena_printf(c->a, "%s%s", y, x));
    }
    for (size_t i = 0; i < w->n; i++)
        for (size_t k = 0; k < nabc; k++)
            if (strlen(abc[k]) != w->off[i + 1] - w->off[i] ||
                memcmp(abc[k], w->text + w->off[i], strlen(abc[k])) != 0)
                suggest_splice(c, w, w->off[i], w->off[i + 1], abc[k]);
    for (size_t i = 0; i <= w->n; i++)
        for (size_t k = 0; k < nabc; k++)
            suggest_splice(c, w, w->off[i], w->off[i], abc[k]);
}

/* Split a normalised word into code points; false for a word that gets
 * no suggestion (too short, too long or a number). */
static bool suggest_word_init(suggest_word *w, const char *text)
{
    size_t len = strlen(text), n = 0, i = 0;
    bool digits = true;
    while (i < len) {
        if (n == AR_WORD_MAX)
            return false;
        int32_t cp;
        w->off[n++] = i;
        i += text_next_cp(text + i, len - i, &cp);
        digits = digits && cp >= '0' && cp <= '9';
    }
    w->off[n] = len;
    w->n = n;
    w->text = text;
    return n >= SUGGEST_MIN_LETTERS && !digits;
}

/* Whether no alternative of group g is in any article, given the counts
 * of every group's terms in order. Advances *k past g's terms. */
static bool suggest_missing(const query_group *g, const int64_t *counts, size_t *k)
{
    bool missing = true;
    for (size_t j = 0; j < g->nalts; j++)
        for (size_t t = 0; t < g->alts[j].n; t++)
            missing = missing && counts[(*k)++] == 0;
    return missing;
}

/* The groups of q that are single words no article holds, into miss[]
 * (NULL for the others); how many there are. */
static int suggest_find_missing(store_t *s, arena_t *a, const query_t *q, bool *miss,
                                size_t *nmiss)
{
    size_t nterms = 0;
    for (size_t i = 0; i < q->n; i++)
        for (size_t j = 0; j < q->groups[i].nalts; j++)
            nterms += q->groups[i].alts[j].n;
    const char **terms = arena_alloc(a, (nterms + 1) * sizeof *terms);
    int64_t *counts = arena_alloc(a, (nterms + 1) * sizeof *counts), ndocs = 0;
    size_t k = 0;
    for (size_t i = 0; i < q->n; i++)
        for (size_t j = 0; j < q->groups[i].nalts; j++)
            for (size_t t = 0; t < q->groups[i].alts[j].n; t++)
                terms[k++] = q->groups[i].alts[j].terms[t];
    int rc = store_search_terms(s, terms, nterms, counts, &ndocs);
    if (rc)
        return rc;
    *nmiss = 0;
    k = 0;
    for (size_t i = 0; i < q->n; i++) {
        miss[i] = suggest_missing(&q->groups[i], counts, &k) && !q->groups[i].phrase;
        *nmiss += miss[i];
    }
    return 0;
}

size_t search_edits(arena_t *a, const char *w, size_t max, const char *const **out)
{
    suggest_set c = { .a = a };
    suggest_word sw;
    if (suggest_word_init(&sw, w)) {
        sw.first = 0;
        sw.limit = max;
        suggest_edits(&c, &sw);
    }
    *out = c.v;
    return c.n;
}

/* The candidate of w with the most articles, or NULL if none has any. */
static const char *suggest_best(const suggest_set *c, const suggest_word *w, const int64_t *counts)
{
    const char *best = NULL;
    int64_t most = 0;
    for (size_t i = w->first; i < c->n && i - w->first < w->limit; i++)
        if (counts[i] > most) {
            most = counts[i];
            best = c->v[i];
        }
    return best;
}

/* The canonical text of q with group i's text replaced by repl[i] where
 * that is set. */
static const char *suggest_text(arena_t *a, const query_t *q, const char *const *repl)
{
    query_t copy = *q;
    copy.groups = arena_alloc(a, q->n * sizeof *copy.groups);
    for (size_t i = 0; i < q->n; i++) {
        copy.groups[i] = q->groups[i];
        if (repl[i])
            copy.groups[i].typed = repl[i];
    }
    return query_canonical(a, &copy);
}

/* The suggestion of search.h for q, or NULL. */
static int suggest(store_t *s, arena_t *a, const query_t *q, const char **out)
{
    *out = NULL;
    bool miss[QUERY_MAX_GROUPS];
    size_t nmiss = 0;
    int rc = suggest_find_missing(s, a, q, miss, &nmiss);
    if (rc || nmiss == 0)
        return rc;
    suggest_set c = { .a = a };
    suggest_word *w = arena_alloc(a, q->n * sizeof *w);
    for (size_t i = 0; i < q->n; i++) {
        miss[i] = miss[i] && suggest_word_init(&w[i], q->groups[i].text);
        w[i].first = c.n;
        w[i].limit = SUGGEST_MAX_CANDIDATES / nmiss;
        if (miss[i])
            suggest_edits(&c, &w[i]);
    }
    if (c.n == 0)
        return 0;
    int64_t *counts = arena_alloc(a, c.n * sizeof *counts), ndocs = 0;
    if ((rc = store_search_terms(s, c.v, c.n, counts, &ndocs)) != 0)
        return rc;
    const char *repl[QUERY_MAX_GROUPS] = {0};
    bool changed = false;
    for (size_t i = 0; i < q->n; i++)
        if (miss[i] && (repl[i] = suggest_best(&c, &w[i], counts)) != NULL)
            changed = true;
    if (changed)
        *out = suggest_text(a, q, repl);
    return 0;
}

/* ---- the search ---- */

/* Pages beyond are read as this one (the offset stays an int). */
#define SEARCH_MAX_PAGE 1000000

int search_run(store_t *s, arena_t *a, const char *text, size_t n, int64_t now, int page,
               search_outcome *out)
{
    memset(out, 0, sizeof *out);
    int rc = query_parse(a, text, n, &out->query);
    if (rc)
        return rc;
    out->canonical = query_canonical(a, &out->query);
    if (out->query.n == 0)
        return 0;
    if (page < 1 || page > SEARCH_MAX_PAGE)
        page = page < 1 ? 1 : SEARCH_MAX_PAGE;
    store_search_query sq = { .query = &out->query, .now = now, .limit = SEARCH_PER_PAGE,
                              .offset = (page - 1) * SEARCH_PER_PAGE };
    if ((rc = store_search(s, a, &sq, &out->found)) != 0)
        return rc;
    if (out->found.total > 0)
        return 0;
    if (out->query.n > 1) {
        sq.any = true;
        if ((rc = store_search(s, a, &sq, &out->found)) != 0)
            return rc;
        out->any = out->found.total > 0;
    }
    return suggest(s, a, &out->query, &out->suggestion);
}

/* ---- snippets ---- */

typedef struct snip_word {
    size_t start, end;    /* bytes */
    size_t cstart, cend;  /* characters */
    const char *match;    /* the query term it matched, or NULL */
} snip_word;

typedef struct snip_scan {
    arena_t *a;
    const query_t *q;
    snip_word *v;
    size_t n, cap;
} snip_scan;

static int snip_term(void *arg, const terms_term *t)
{
    snip_scan *sc = arg;
    if (!t->colocated || sc->n == 0) {
        sc->v = arena_grow(sc->a, sc->v, sc->n, &sc->cap, sizeof *sc->v, 64);
        sc->v[sc->n++] = (snip_word){ .start = t->start, .end = t->end };
    }
    snip_word *w = &sc->v[sc->n - 1];
    if (!w->match && query_has_term(sc->q, t->text, t->len))
        w->match = t->text;
    return 0;
}

/* Character offsets of every word, counted in one pass over the text. */
static void snip_count_chars(const char *text, snip_word *v, size_t n)
{
    size_t byte = 0, chars = 0;
    for (size_t i = 0; i < n; i++) {
        chars += text_char_count(text + byte, v[i].start - byte);
        v[i].cstart = chars;
        chars += text_char_count(text + v[i].start, v[i].end - v[i].start);
        v[i].cend = chars;
        byte = v[i].end;
    }
}

/* The last word j >= i such that words i..j fit in max characters. */
static size_t snip_reach(const snip_word *v, size_t n, size_t i, size_t max)
{
    size_t j = i;
    while (j + 1 < n && v[j + 1].cend - v[i].cstart <= max)
        j++;
    return j;
}

/* Distinct query terms matched by words i..j. */
static size_t snip_distinct(const snip_word *v, size_t i, size_t j)
{
    size_t d = 0;
    for (size_t k = i; k <= j; k++) {
        if (!v[k].match)
            continue;
        size_t m = i;
        while (m < k && !(v[m].match && strcmp(v[m].match, v[k].match) == 0))
            m++;
        d += m == k;
    }
    return d;
}

/* The first word of the window: the matched word that begins the run of
 * at most max characters with the most distinct matches, moved back to
 * give the matches some of the text before them. 0 when nothing matches. */
static size_t snip_window(const snip_word *v, size_t n, size_t max)
{
    size_t best = 0, most = 0;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].match)
            continue;
        size_t d = snip_distinct(v, i, snip_reach(v, n, i, max));
        if (d > most) {
            most = d;
            best = i;
        }
    }
    if (most == 0)
        return 0;
    size_t j = snip_reach(v, n, best, max), slack = max - (v[j].cend - v[best].cstart);
    size_t start = best;
    while (start > 0 && v[best].cstart - v[start - 1].cstart <= slack / 3)
        start--;
    return start;
}

/* Words i..j of text, escaped, the matched ones in <mark>, «…» where cut. */
static const char *snip_render(arena_t *a, const char *text, const snip_word *v, size_t n,
                               size_t i, size_t j)
{
    buf_t b;
    buf_init(&b, a);
    buf_reserve(&b, 1);
    if (i > 0)
        buf_puts(&b, "… ");
    for (size_t k = i; k <= j; k++) {
        if (k > i)
            buf_html_escape(&b, text + v[k - 1].end, v[k].start - v[k - 1].end);
        if (v[k].match)
            buf_puts(&b, "<mark>");
        buf_html_escape(&b, text + v[k].start, v[k].end - v[k].start);
        if (v[k].match)
            buf_puts(&b, "</mark>");
    }
    if (j + 1 < n)
        buf_puts(&b, " …");
    return buf_cstr(&b);
}

const char *search_snippet(arena_t *a, const query_t *q, const char *text, size_t max_chars)
{
    if (!text)
        return "";
    snip_scan sc = { .a = a, .q = q };
    if (terms_each(a, text, strlen(text), 0, snip_term, &sc) != 0 || sc.n == 0)
        return "";
    snip_count_chars(text, sc.v, sc.n);
    size_t i = snip_window(sc.v, sc.n, max_chars);
    return snip_render(a, text, sc.v, sc.n, i, snip_reach(sc.v, sc.n, i, max_chars));
}
