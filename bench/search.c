/*
 * search.c - the search benchmarks' corpus and measurements
 * (bench/search.sh runs them). The corpus is generated, never committed:
 * articles written from a fixed seed in a made-up but Arabic-shaped
 * language, so that every run of every machine measures the same text.
 *
 * Words: a few thousand stems, each a three-letter root cast in one of
 * Arabic's common patterns (فاعل، مفعول، تفعيل، استفعال…), used with a
 * Zipf distribution (the k-th most frequent word about 1/k as often as
 * the first), between function words (في، من، على…); each use may carry
 * a proclitic (و ف ب ك ل ال وال بال كال فال لل), a suffix (plural,
 * feminine, pronoun, tanween alef) and a spelling variant (harakat, أ/إ
 * for ا, ى for final ي, ه for ة, tatweel); now and then a Latin acronym
 * or a number in Latin or Arabic-Indic digits. An article: a title of
 * 6–11 words, a lead of 20–35, a body of 150–400 in paragraphs. Article
 * i is generated from (seed, i) alone, so a query can be drawn from any
 * article's words without storing them.
 *
 *   build/bench/search gen DB N [SEED]       N articles into a new SQLite site
 *   build/bench/search reindex LOCATION [SECONDS]
 *                                 store_reindex: the index phase's rate, the
 *                                 related phase's (stopped after SECONDS
 *                                 of it, in the middle of a batch)
 *   build/bench/search related LOCATION N K
 *                                 store_related_compute for K of the N
 *                                 articles, one write each: its latency
 *   build/bench/search write LOCATION N M [SEED]
 *                                 M more through store_article_insert, one
 *                                 write each (index and related included),
 *                                 then deleted again
 *   build/bench/search query LOCATION N Q [SEED]
 *                                 Q queries of 1-3 words from the first N
 *                                 articles: search_run and store_search
 *                                 latency (p50, p90, p99, max)
 *   build/bench/search queries N Q [SEED]    the same queries, one a line, in
 *                                 their canonical form (the /search URL's)
 *   build/bench/search size DB              SQLite: bytes of the article text
 *                                 and of every table and index (dbstat)
 */
#include <inttypes.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/rng.h"
#include "handlers/search.h"
#include "store/store.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define VOCAB 4000          /* stems */
#define ROOTS 1500
#define DEFAULT_SEED 20261201
#define SPAN (5 * 365 * 86400) /* articles published over five years */

#define PICK(r, arr) ((arr)[rng_below((r), N_ELEMS(arr))])

/* ---- the language ---- */

static const char *const consonants[] = {
    "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش", "ص", "ض",
    "ط", "ظ", "ع", "غ", "ف", "ق", "ك", "ل", "م", "ن", "ه", "و", "ي",
};

/* Patterns: '1' '2' '3' stand for the root's letters. */
static const char *const patterns[] = {
    "123", "1ا23", "م12و3", "ت12ي3", "است12ا3", "ا12ا3", "م1ا23ة", "12ي3",
    "م123", "ت1ا23", "1ا2و3", "م12ا3", "ا123", "1و23", "ت123", "م1ت23",
};

static const char *const stopwords[] = {
    "في", "من", "على", "إلى", "أن", "عن", "مع", "هذا", "هذه", "التي", "الذي",
    "كان", "قد", "لم", "لا", "ما", "بعد", "قبل", "بين", "حتى", "أو", "ثم",
    "كما", "وقال", "وأضاف", "إن", "هو", "هي", "عند", "خلال",
};

static const char *const acronyms[] = {
    "OPEC", "NATO", "NLAW", "UN", "COVID-19", "GDP", "IMF", "FIFA", "AI", "G20", "BRICS", "WHO",
};

/* proclitics and suffixes with their weight in 1000 */
typedef struct affix { const char *text; int per_mille; } affix;
static const affix prefixes[] = {
    { "ال", 200 }, { "و", 50 }, { "وال", 50 }, { "بال", 40 }, { "لل", 30 }, { "ب", 30 },
    { "ل", 20 }, { "ف", 10 }, { "كال", 10 }, { "فال", 10 },
};
static const affix suffixes[] = {
    { "ة", 80 }, { "ات", 60 }, { "ين", 40 }, { "ون", 40 }, { "ها", 40 }, { "هم", 30 },
    { "ي", 20 }, { "نا", 20 }, { "اً", 20 }, { "كم", 10 },
};

typedef struct corpus {
    char *stem[VOCAB];      /* rank order: stem[0] is the most frequent */
    double cdf[VOCAB];      /* Zipf, exponent 1 */
    uint64_t seed;
} corpus;

static void corpus_init(corpus *c, uint64_t seed)
{
    rng_t r = { seed };
    char roots[ROOTS][3];
    for (int i = 0; i < ROOTS; i++)
        for (int k = 0; k < 3; k++)
            roots[i][k] = (char)rng_below(&r, N_ELEMS(consonants));
    double sum = 0;
    for (int i = 0; i < VOCAB; i++) {
        const char *root = roots[rng_below(&r, ROOTS)], *p = PICK(&r, patterns);
        char w[64] = "";
        for (; *p; p++) {
            size_t n = strlen(w);
            if (*p >= '1' && *p <= '3')
                strcat(w, consonants[(int)root[*p - '1']]);
            else
                w[n] = *p, w[n + 1] = '\0';
        }
        c->stem[i] = strdup(w);
        sum += 1.0 / (i + 1);
        c->cdf[i] = sum;
    }
    for (int i = 0; i < VOCAB; i++)
        c->cdf[i] /= sum;
    c->seed = seed;
}

static int zipf_rank(const corpus *c, rng_t *r)
{
    double u = rng_unit(r);
    int lo = 0, hi = VOCAB - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *affix_pick(rng_t *r, const affix *v, size_t n)
{
    int x = (int)rng_below(r, 1000);
    for (size_t i = 0; i < n; i++)
        if ((x -= v[i].per_mille) < 0)
            return v[i].text;
    return "";
}

/* The stem as written: one spelling variant now and then. */
static void variant(buf_t *b, rng_t *r, const char *stem)
{
    int x = (int)rng_below(r, 100);
    size_t n = strlen(stem);
    if (x < 4 && strncmp(stem, "ا", 2) == 0) {        /* hamza on the alef */
        buf_puts(b, rng_below(r, 2) ? "أ" : "إ");
        buf_puts(b, stem + 2);
    } else if (x < 7 && n > 2) {                       /* a fatha after the first letter */
        buf_append(b, stem, 2);
        buf_puts(b, "\xd9\x8e");
        buf_puts(b, stem + 2);
    } else if (x < 8 && n > 2) {                       /* tatweel */
        buf_append(b, stem, 2);
        buf_puts(b, "ـ");
        buf_puts(b, stem + 2);
    } else {
        buf_puts(b, stem);
    }
}

/* One word of running text into b; *content set when it is no function
 * word (what a query may be drawn from). */
static void word(buf_t *b, const corpus *c, rng_t *r, bool *content)
{
    int x = (int)rng_below(r, 1000);
    *content = false;
    if (x < 280) {
        buf_puts(b, PICK(r, stopwords));
        return;
    }
    *content = true;
    if (x < 288) {
        buf_puts(b, PICK(r, acronyms));
        return;
    }
    if (x < 298) {
        static const char *const indic[] = { "٠", "١", "٢", "٣", "٤", "٥", "٦", "٧", "٨", "٩" };
        unsigned v = 1990 + (unsigned)rng_below(r, 37);
        if (rng_below(r, 2))
            buf_printf(b, "%u", v);
        else
            for (int d = 1000; d; d /= 10)
                buf_puts(b, indic[v / d % 10]);
        return;
    }
    const char *stem = c->stem[zipf_rank(c, r)];
    buf_puts(b, affix_pick(r, prefixes, N_ELEMS(prefixes)));
    variant(b, r, stem);
    const char *suf = affix_pick(r, suffixes, N_ELEMS(suffixes));
    size_t n = strlen(stem);
    if (n < 2 || strcmp(stem + n - 2, "ة") != 0) {
        buf_puts(b, suf);
        return;
    }
    /* a feminine stem: ة becomes ت before a pronoun, the plural is ات */
    if (*suf == '\0') {
        if (rng_below(r, 50) == 0)
            b->len -= 2, buf_puts(b, "ه");             /* ه for ة */
        return;
    }
    b->len -= 2;
    bool plural = strcmp(suf, "ة") == 0 || strcmp(suf, "ات") == 0 || strcmp(suf, "ين") == 0 ||
                  strcmp(suf, "ون") == 0;
    buf_puts(b, plural ? "ات" : strcmp(suf, "اً") == 0 ? "ةً" : "ت");
    if (!plural && strcmp(suf, "اً") != 0)
        buf_puts(b, suf);
}

/* n words; a sentence ends every 8-18 words (punct: its mark), a
 * paragraph every 3-5 sentences (para: its separator, NULL: none). */
static void words(buf_t *b, const corpus *c, rng_t *r, int n, const char *para)
{
    int sentence = 8 + (int)rng_below(r, 11), sentences = 0, in_sentence = 0;
    for (int i = 0; i < n; i++) {
        bool content;
        if (in_sentence)
            buf_putc(b, ' ');
        word(b, c, r, &content);
        if (++in_sentence < sentence || i == n - 1)
            continue;
        buf_puts(b, para ? "." : "،");
        in_sentence = 0;
        sentence = 8 + (int)rng_below(r, 11);
        if (para && ++sentences >= 3 + (int)rng_below(r, 3)) {
            buf_puts(b, para);
            sentences = 0;
        } else {
            buf_putc(b, ' ');
        }
    }
}

typedef struct article_text {
    const char *title, *lead, *body;
    int64_t published_at;
} article_text;

static rng_t article_rng(const corpus *c, int64_t i)
{
    rng_t r = { c->seed * 0x100000001b3ull + (uint64_t)i };
    rng_next(&r);
    return r;
}

/* Article i's text, on arena a. */
static void article_make(const corpus *c, arena_t *a, int64_t i, int64_t now, article_text *out)
{
    rng_t r = article_rng(c, i);
    buf_t t, l, b;
    buf_init(&t, a);
    buf_init(&l, a);
    buf_init(&b, a);
    words(&t, c, &r, 6 + (int)rng_below(&r, 6), NULL);
    words(&l, c, &r, 20 + (int)rng_below(&r, 16), NULL);
    words(&b, c, &r, 150 + (int)rng_below(&r, 251), "\n\n");
    out->title = buf_cstr(&t);
    out->lead = buf_cstr(&l);
    out->body = buf_cstr(&b);
    out->published_at = now - (int64_t)rng_below(&r, SPAN);
}

/* ---- gen ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, int rc)
{
    fprintf(stderr, "bench/search: %s: %s\n", what, rc < 0 ? ns_strerror(rc) : "failed");
    return 1;
}

/* The site at db opened, and the corpus of seed made (c NULL: none);
 * NULL after saying why not. */
static store_t *bench_open(const char *db, corpus *c, uint64_t seed)
{
    store_t *s;
    int rc = store_open(db, 0, &s);
    if (rc) {
        die(db, rc);
        return NULL;
    }
    if (c)
        corpus_init(c, seed);
    return s;
}

/* An author and a category through the store (ids 1), the articles by SQL
 * in one transaction: the index is left to nashra reindex. */
static int gen(const char *db, int64_t n, uint64_t seed)
{
    store_t *s;
    int rc = store_open(db, STORE_CREATE, &s);
    store_author au = { .slug = "bench", .name = "كاتب" };
    store_category cat = { .slug = "news", .name = "أخبار" };
    if (rc || (rc = store_author_insert(s, &au)) || (rc = store_category_insert(s, &cat)))
        return die(db, rc);
    store_close(s);
    sqlite3 *h;
    sqlite3_stmt *st;
    if (sqlite3_open(db, &h) != SQLITE_OK || sqlite3_exec(h, "BEGIN", 0, 0, 0) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "INSERT INTO articles(slug, title, lead, body_md, status, created_at,"
                           " published_at, updated_at, author_id, category_id)"
                           " VALUES(?, ?, ?, ?, 'published', ?, ?, ?, ?, ?)", -1, &st, 0) != SQLITE_OK)
        return fprintf(stderr, "bench/search: %s: %s\n", db, sqlite3_errmsg(h)), 1;
    corpus c;
    corpus_init(&c, seed);
    int64_t now = (int64_t)time(NULL), bytes = 0;
    double t0 = now_s();
    arena_t *a = arena_new(0);
    for (int64_t i = 1; i <= n; i++) {
        article_text at;
        char slug[32];
        article_make(&c, a, i, now, &at);
        snprintf(slug, sizeof slug, "a-%" PRId64, i);
        bytes += (int64_t)(strlen(at.title) + strlen(at.lead) + strlen(at.body));
        sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, at.title, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, at.lead, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, at.body, -1, SQLITE_STATIC);
        for (int k = 5; k <= 7; k++)
            sqlite3_bind_int64(st, k, at.published_at);
        sqlite3_bind_int64(st, 8, au.id);
        sqlite3_bind_int64(st, 9, cat.id);
        if (sqlite3_step(st) != SQLITE_DONE)
            return fprintf(stderr, "bench/search: insert: %s\n", sqlite3_errmsg(h)), 1;
        sqlite3_reset(st);
        arena_reset(a);
    }
    sqlite3_finalize(st);
    if (sqlite3_exec(h, "COMMIT", 0, 0, 0) != SQLITE_OK)
        return fprintf(stderr, "bench/search: commit: %s\n", sqlite3_errmsg(h)), 1;
    sqlite3_close(h);
    arena_free(a);
    printf("generated %" PRId64 " articles, %.1f MB of text (title, lead, body), in %.1f s\n", n,
           (double)bytes / 1e6, now_s() - t0);
    return 0;
}

/* ---- reindex: store_reindex's phases ---- */

typedef struct rebuild {
    double t0, index_end, limit;   /* limit: seconds of the related phase, 0: all */
    int64_t indexed, total;
    bool said;                     /* the index phase's line is out */
} rebuild;

static void rebuild_index(rebuild *b)
{
    if (b->said)
        return;
    double dt = b->index_end - b->t0;
    printf("index: %" PRId64 " articles in %.1f s (%.0f articles/s)\n", b->indexed, dt,
           (double)b->indexed / dt);
    fflush(stdout);
    b->said = true;
}

static void rebuild_related(const rebuild *b, int64_t done, double now, const char *end)
{
    double dt = now - b->index_end;
    printf("related: %" PRId64 " of %" PRId64 " articles in %.1f s (%.0f articles/s, %.1f ms each)%s\n",
           done, b->total, dt, (double)done / dt, dt * 1e3 / (double)(done ? done : 1), end);
}

static void rebuild_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "related: stopped before its first batch ended\n";
    if (write(1, msg, sizeof msg - 1) < 0)
        _exit(1);
    _exit(0);
}

/* The index phase ends at its last report, the related phase starts
 * there; past the limit the process ends in the middle of a batch (its
 * transaction rolls back), the index and the batches before it kept: at
 * the first report past it, or by an alarm when a batch takes longer. */
static void rebuild_progress(void *arg, const char *phase, int64_t done, int64_t total)
{
    rebuild *b = arg;
    double now = now_s();
    b->total = total;
    if (strcmp(phase, "index") == 0) {
        b->indexed = done;
        b->index_end = now;
        if (done == total && b->limit > 0) {
            signal(SIGALRM, rebuild_alarm);
            alarm((unsigned)b->limit + 30);  /* the index's commit comes first */
        }
        return;
    }
    rebuild_index(b);
    if (b->limit > 0 && now - b->index_end >= b->limit && done < total) {
        rebuild_related(b, done, now, ", stopped there");
        exit(0);
    }
}

static int rebuild_run(const char *db, double limit)
{
    store_t *s = bench_open(db, NULL, 0);
    if (!s)
        return 1;
    rebuild b = { .t0 = now_s(), .limit = limit };
    int rc = store_reindex(s, rebuild_progress, &b);
    double end = now_s();
    if (rc)
        return die("store_reindex", rc);
    rebuild_index(&b);
    rebuild_related(&b, b.total, end, "");
    store_close(s);
    return 0;
}

/* ---- related: what choosing one article's related articles costs ---- */

static void report(const char *what, double *v, int n);

static int related_sample(const char *db, int64_t n, int k)
{
    store_t *s = bench_open(db, NULL, 0);
    if (!s)
        return 1;
    double *v = calloc((size_t)k, sizeof *v);
    int rc = 0;
    for (int i = 0; i < k && rc == 0; i++) {
        double t0 = now_s();
        rc = store_begin(s);
        if (rc == 0 && (rc = store_related_compute(s, 1 + (int64_t)i * n / k)) == 0)
            rc = store_commit(s);
        v[i] = now_s() - t0;
    }
    if (rc)
        return die("store_related_compute", rc);
    printf("related articles chosen for %d articles of %" PRId64 ", one write each:\n\n", k, n);
    printf("| call | articles | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
    report("store_related_compute", v, k);
    free(v);
    store_close(s);
    return 0;
}

/* ---- write: articles through the write path ---- */

static int write_path(const char *db, int64_t n, int64_t m, uint64_t seed)
{
    corpus c;
    store_t *s = bench_open(db, &c, seed);
    if (!s)
        return 1;
    int rc = 0;
    int64_t now = (int64_t)time(NULL), *ids = calloc((size_t)m, sizeof *ids);
    arena_t *a = arena_new(0);
    double t0 = now_s();
    for (int64_t i = 0; i < m && rc == 0; i++) {
        article_text at;
        char slug[32];
        article_make(&c, a, n + 1 + i, now, &at);
        snprintf(slug, sizeof slug, "w-%" PRId64, n + 1 + i);
        store_article ar = { .slug = slug, .title = at.title, .lead = at.lead, .body_md = at.body,
                             .status = ARTICLE_PUBLISHED, .comments_open = true,
                             .created_at = at.published_at, .published_at = at.published_at,
                             .updated_at = at.published_at, .author_id = 1, .category_id = 1 };
        rc = store_article_insert(s, &ar, NULL, 0);
        ids[i] = ar.id;
        arena_reset(a);
    }
    double dt = now_s() - t0;
    if (rc)
        return die("store_article_insert", rc);
    printf("write path: %" PRId64 " articles inserted one write each (indexed, related chosen)"
           " in %.2f s: %.0f articles/s, %.2f ms each\n", m, dt, (double)m / dt, dt * 1e3 / (double)m);
    for (int64_t i = 0; i < m && rc == 0; i++)
        rc = store_article_delete(s, ids[i]);
    free(ids);
    arena_free(a);
    store_close(s);
    return rc ? die("store_article_delete", rc) : 0;
}

/* ---- queries ---- */

static bool is_stopword(const char *w)
{
    for (size_t i = 0; i < N_ELEMS(stopwords); i++)
        if (strcmp(w, stopwords[i]) == 0)
            return true;
    return false;
}

/* Query q of count: 1-3 distinct content words of a random article, as
 * the article spells them. On arena a. */
static const char *query_make(const corpus *c, arena_t *a, rng_t *r, int64_t n, int *nwords)
{
    article_text at;
    article_make(c, a, 1 + (int64_t)rng_below(r, (size_t)n), 0, &at);
    /* the body's words, split at spaces and marks */
    const char *v[512];
    int nv = 0;
    char *body = arena_strdup(a, at.body), *save;
    for (char *p = strtok_r(body, " .\n", &save); p && nv < 512; p = strtok_r(NULL, " .\n", &save))
        if (!is_stopword(p))  /* a query seldom holds a function word */
            v[nv++] = p;
    int k = 1 + (int)rng_below(r, 3);
    buf_t q;
    buf_init(&q, a);
    for (int i = 0; i < k && nv > 0; i++) {
        if (i)
            buf_putc(&q, ' ');
        buf_puts(&q, v[rng_below(r, (size_t)nv)]);
    }
    *nwords = k;
    return buf_cstr(&q);
}

static int by_double(const void *x, const void *y)
{
    double p = *(const double *)x, q = *(const double *)y;
    return (p > q) - (p < q);
}

static void report(const char *what, double *v, int n)
{
    if (n == 0)
        return;
    qsort(v, (size_t)n, sizeof *v, by_double);
    printf("| %s | %d | %.2f | %.2f | %.2f | %.2f |\n", what, n, v[n / 2] * 1e3,
           v[(int)(n * 0.9)] * 1e3, v[(int)(n * 0.99)] * 1e3, v[n - 1] * 1e3);
}

static int queries_print(int64_t n, int nq, uint64_t seed)
{
    corpus c;
    corpus_init(&c, seed);
    rng_t r = { seed ^ 0x7175657279ull };
    arena_t *a = arena_new(0);
    for (int i = 0; i < nq; i++) {
        int k;
        const char *text = query_make(&c, a, &r, n, &k);
        query_t q;
        if (query_parse(a, text, strlen(text), &q) == 0)
            puts(query_canonical(a, &q));
        arena_reset(a);
    }
    arena_free(a);
    return 0;
}

/* Latency of search_run (what the page and the command line call: parse,
 * every word, the any-word fallback, a suggestion) and of store_search
 * alone (every word, first page), by number of words. */
static int query_bench(const char *db, int64_t n, int nq, uint64_t seed)
{
    corpus c;
    store_t *s = bench_open(db, &c, seed);
    if (!s)
        return 1;
    int rc = 0;
    rng_t r = { seed ^ 0x7175657279ull };
    arena_t *a = arena_new(0);
    double *run[4], *raw[4];
    int nrun[4] = { 0 }, found = 0, any = 0;
    for (int k = 0; k < 4; k++)
        run[k] = calloc((size_t)nq, sizeof(double)), raw[k] = calloc((size_t)nq, sizeof(double));
    int64_t now = (int64_t)time(NULL);
    for (int i = 0; i < nq && rc == 0; i++) {
        int k;
        const char *text = query_make(&c, a, &r, n, &k);
        search_outcome o;
        double t0 = now_s();
        rc = search_run(s, a, text, strlen(text), now, 1, &o);
        double t1 = now_s();
        if (rc)
            break;
        store_search_query sq = { .query = &o.query, .now = now, .limit = SEARCH_PER_PAGE };
        store_search_result res;
        double t2 = now_s();
        rc = store_search(s, a, &sq, &res);
        double t3 = now_s();
        found += o.found.total > 0;
        any += o.any;
        run[0][nrun[0]] = run[k][nrun[k]] = t1 - t0;
        raw[0][nrun[0]++] = raw[k][nrun[k]++] = t3 - t2;
        arena_reset(a);
    }
    if (rc)
        return die("search", rc);
    printf("%d queries on %s: %d found something, %d of them by any word\n\n", nq,
           store_location_is_pg(db) ? "PostgreSQL" : "SQLite", found, any);
    printf("| call, words | queries | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
    static const char *const labels[2][4] = {
        { "search_run, 1-3", "search_run, 1", "search_run, 2", "search_run, 3" },
        { "store_search, 1-3", "store_search, 1", "store_search, 2", "store_search, 3" },
    };
    for (int k = 0; k < 4; k++)
        report(labels[0][k], run[k], nrun[k]);
    for (int k = 0; k < 4; k++)
        report(labels[1][k], raw[k], nrun[k]);
    for (int k = 0; k < 4; k++)
        free(run[k]), free(raw[k]);
    arena_free(a);
    store_close(s);
    return 0;
}

/* ---- size ---- */

static int sql_print(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, sql, -1, &st, 0) != SQLITE_OK)
        return fprintf(stderr, "bench/search: %s\n", sqlite3_errmsg(h)), 1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++)
            printf("%s%s", i ? " | " : "| ", (const char *)sqlite3_column_text(st, i));
        puts(" |");
    }
    sqlite3_finalize(st);
    return 0;
}

static int size(const char *db)
{
    sqlite3 *h;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, 0) != SQLITE_OK)
        return fprintf(stderr, "bench/search: %s: %s\n", db, sqlite3_errmsg(h)), 1;
    puts("| what | MB |\n|---|---|");
    int rc = sql_print(h, "SELECT 'article text (title, lead, body_md bytes)', printf('%.1f',"
                          " sum(length(CAST(title AS BLOB)) + length(CAST(coalesce(lead, '') AS BLOB))"
                          " + length(CAST(coalesce(body_md, '') AS BLOB))) / 1e6) FROM articles");
    rc = rc || sql_print(h, "SELECT 'whole database file', printf('%.1f', page_count * page_size / 1e6)"
                            " FROM pragma_page_count, pragma_page_size");
    rc = rc || sql_print(h, "SELECT name, printf('%.1f', sum(pgsize) / 1e6) FROM dbstat"
                            " GROUP BY name HAVING sum(pgsize) > 100000 ORDER BY sum(pgsize) DESC");
    sqlite3_close(h);
    return rc;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    int64_t n = argc > 3 ? atoll(argv[3]) : 0;
    if (strcmp(cmd, "gen") == 0 && argc >= 4 && n > 0)
        return gen(argv[2], n, argc > 4 ? strtoull(argv[4], 0, 10) : DEFAULT_SEED);
    if (strcmp(cmd, "reindex") == 0 && argc >= 3)
        return rebuild_run(argv[2], argc > 3 ? atof(argv[3]) : 0);
    if (strcmp(cmd, "related") == 0 && argc >= 5 && n > 0 && atoi(argv[4]) > 0)
        return related_sample(argv[2], n, atoi(argv[4]));
    if (strcmp(cmd, "write") == 0 && argc >= 5 && n > 0 && atoll(argv[4]) > 0)
        return write_path(argv[2], n, atoll(argv[4]), argc > 5 ? strtoull(argv[5], 0, 10) : DEFAULT_SEED);
    if (strcmp(cmd, "query") == 0 && argc >= 5 && n > 0 && atoi(argv[4]) > 0)
        return query_bench(argv[2], n, atoi(argv[4]), argc > 5 ? strtoull(argv[5], 0, 10) : DEFAULT_SEED);
    if (strcmp(cmd, "queries") == 0 && argc >= 4 && atoll(argv[2]) > 0 && atoi(argv[3]) > 0)
        return queries_print(atoll(argv[2]), atoi(argv[3]), argc > 4 ? strtoull(argv[4], 0, 10) : DEFAULT_SEED);
    if (strcmp(cmd, "size") == 0 && argc == 3)
        return size(argv[2]);
    fputs("usage: search gen DB N [SEED] | write LOCATION N M [SEED] | query LOCATION N Q [SEED]"
          " | queries N Q [SEED] | size DB | reindex LOCATION [SECONDS] | related LOCATION N K\n", stderr);
    return 2;
}
