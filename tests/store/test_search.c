/*
 * test_search.c - the search index of store.h, asserted the same way on
 * every backend (tests/store/backend.h): each test runs on a fresh SQLite
 * file, and on a fresh PostgreSQL database when NASHRA_TEST_PG_URL names
 * a server.
 *
 * Covered: the spellings a reader types finding the same article (harakat,
 * hamza forms of alef, alef maqsura, teh marbuta, tatweel, Arabic-Indic
 * digits, proclitics, plural and pronoun suffixes, tanween alef, Latin in
 * any case); AND against any; phrases (stems in sequence, order kept);
 * the title ranked above the body; what is visible (drafts, pending and
 * future articles are not found, a scheduled one once its time comes,
 * never exclude_id); updates and deletes kept in step in the write's own
 * transaction (a rolled-back write leaves the index as it was); totals
 * and paging; vocabulary counts; related articles (by content, never
 * the article itself nor an unpublished one, tags as the fallback);
 * store_reindex after raw SQL and its progress; store_search_rebuild (the
 * index alone); store_search_ready; the
 * keys a search records; query text full of FTS5 and tsquery syntax.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "search/query.h"
#include "search/terms.h"
#include "store/store.h"
#include "backend.h"

#define NOW 1764000000LL
#define HOUR 3600
#define DAY (24 * HOUR)
#define D(kind, id) STORE_DEP(STORE_DEP_##kind, id)

typedef struct fx {
    const backend *be;
    backend_loc loc;
    store_t *s;
    arena_t *a;
    int64_t cat, cat2;
} fx;

/* ---- fixtures ---- */

static int setup(void **state)
{
    fx *f = backend_fixture_new(state, sizeof *f);
    if (!f)
        return -1;
    f->a = arena_new(0);
    *state = f;
    if (store_open(f->loc.location, STORE_CREATE, &f->s) != 0)
        return -1;
    store_category c = { 0, 0, "news", "أخبار", NULL, 1 };
    store_category c2 = { 0, 0, "sports", "رياضة", NULL, 2 };
    if (store_category_insert(f->s, &c) || store_category_insert(f->s, &c2))
        return -1;
    f->cat = c.id;
    f->cat2 = c2.id;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->s);
    int rc = f->be->drop(&f->loc);
    arena_free(f->a);
    free(f);
    return rc;
}

/* ---- helpers ---- */

typedef struct art {
    const char *slug, *title, *lead, *body;
    article_status status; /* when not draft: 0 (draft) reads as published */
    bool draft;
    int64_t pub;          /* 0: NOW - HOUR */
    int64_t cat;          /* 0: f->cat */
    const int64_t *tags;
    size_t ntags;
} art;

static int64_t add(fx *f, art x)
{
    store_article ar = { 0 };
    ar.slug = x.slug;
    ar.title = x.title;
    ar.lead = x.lead;
    ar.body_md = x.body;
    ar.status = x.draft ? ARTICLE_DRAFT : x.status ? x.status : ARTICLE_PUBLISHED;
    ar.comments_open = true;
    ar.created_at = ar.published_at = ar.updated_at = x.pub ? x.pub : NOW - HOUR;
    ar.category_id = x.cat ? x.cat : f->cat;
    assert_int_equal(store_article_insert(f->s, &ar, x.tags, x.ntags), 0);
    return ar.id;
}

static int64_t tag(fx *f, const char *name)
{
    store_tag t = { 0, NULL, name };
    assert_int_equal(store_tag_ensure(f->s, &t), 0);
    return t.id;
}

static void raw(fx *f, const char *sql)
{
    assert_int_equal(f->be->exec(f->loc.location, sql), 0);
}

static bool is_sqlite(const fx *f)
{
    return strcmp(f->be->name, "sqlite") == 0;
}

typedef struct find {
    bool any;
    int64_t now;          /* 0: NOW */
    int64_t exclude;
    int limit, offset;    /* limit 0: 20 */
} find;

/* The result of searching text (it must hold a word). */
static store_search_result search_with(fx *f, const char *text, find o)
{
    query_t q;
    assert_int_equal(query_parse(f->a, text, strlen(text), &q), 0);
    assert_true(q.n > 0);
    store_search_query sq = { .query = &q, .any = o.any, .now = o.now ? o.now : NOW,
                              .exclude_id = o.exclude, .limit = o.limit ? o.limit : 20,
                              .offset = o.offset };
    store_search_result r;
    assert_int_equal(store_search(f->s, f->a, &sq, &r), 0);
    assert_true(r.n <= (size_t)sq.limit);
    assert_true(r.total >= (int64_t)r.n);
    return r;
}

static store_search_result search(fx *f, const char *text)
{
    return search_with(f, text, (find){ 0 });
}

static bool found(const store_search_result *r, int64_t id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->hits[i].article.id == id)
            return true;
    return false;
}

/* text finds exactly the articles ids[0..n), in any order. */
static void assert_finds_(fx *f, const char *text, const int64_t *ids, size_t n, int line)
{
    store_search_result r = search(f, text);
    bool ok = r.n == n && r.total == (int64_t)n;
    for (size_t i = 0; ok && i < n; i++)
        ok = found(&r, ids[i]);
    if (!ok) {
        fprintf(stderr, "line %d: «%s» found %zu (total %lld):", line, text, r.n,
                (long long)r.total);
        for (size_t i = 0; i < r.n; i++)
            fprintf(stderr, " %lld", (long long)r.hits[i].article.id);
        fprintf(stderr, ", expected %zu\n", n);
        fail();
    }
}
#define assert_finds(f, text, ...) \
    assert_finds_(f, text, (const int64_t[]){ __VA_ARGS__ }, \
                  sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t), __LINE__)

static void assert_finds_none(fx *f, const char *text)
{
    store_search_result r = search(f, text);
    if (r.n != 0 || r.total != 0) {
        fprintf(stderr, "«%s» found %zu, expected none\n", text, r.n);
        fail();
    }
}

/* n articles about something else. */
static void fill(fx *f, int n)
{
    static const char *const titles[] = { "الطقس اليوم", "نتائج الدوري", "معرض الكتاب",
                                          "سوق الأسهم", "مهرجان السينما", "رحلة فضائية" };
    char slug[16];
    for (int i = 0; i < n; i++) {
        snprintf(slug, sizeof slug, "fill%d", i);
        add(f, (art){ .slug = arena_strdup(f->a, slug), .title = titles[i % 6],
                      .body = "نص عام" });
    }
}

/* ---- spellings ---- */

/* Each article holds one word in one spelling; every other spelling of
 * it finds that article and no other. */
static void test_spelling_variants(void **state)
{
    fx *f = *state;
    int64_t hospital = add(f, (art){ .slug = "hospital", .title = "زيارة إلى المُسْتَشْفَى الكبير"});
    int64_t news = add(f, (art){ .slug = "ministry", .title = "أعلنت وزارة الصحة", .lead = "إصابات جديدة", .body = "آثار الفيضان"});
    int64_t year = add(f, (art){ .slug = "year", .title = "ميزانية عام 2024"});
    int64_t school = add(f, (art){ .slug = "school", .title = "افتتاح مدرسة"});
    int64_t teachers = add(f, (art){ .slug = "teachers", .title = "إضراب المعلمون", .lead = NULL, .body = "كتابهم الأخير"});
    int64_t thanks = add(f, (art){ .slug = "thanks", .title = "شكراً للمتطوعين"});
    int64_t nato = add(f, (art){ .slug = "nato", .title = "صواريخ NLAW وقرار OPEC"});

    /* harakat, alef maqsura */
    assert_finds(f, "المستشفى", hospital);
    assert_finds(f, "مستشفي", hospital);
    assert_finds(f, "المُسْتَشْفَى", hospital);
    /* hamza forms, teh marbuta, tatweel, in title, lead and body */
    assert_finds(f, "اعلنت", news);
    assert_finds(f, "الصحه", news);
    assert_finds(f, "الصـــحة", news);
    assert_finds(f, "اصابات", news);
    assert_finds(f, "أثار", news);
    /* digits of any script */
    assert_finds(f, "٢٠٢٤", year);
    assert_finds(f, "2024", year);
    /* proclitics */
    assert_finds(f, "المدرسة", school);
    assert_finds(f, "والمدرسة", school);
    assert_finds(f, "بالمدرسة", school);
    assert_finds(f, "للمدرسة", school);
    assert_finds(f, "ومدرسة", school);
    /* plural and pronoun suffixes */
    assert_finds(f, "المعلمين", teachers);
    assert_finds(f, "معلم", teachers);
    assert_finds(f, "كتاب", teachers);
    /* tanween alef */
    assert_finds(f, "شكرا", thanks);
    /* Latin in any case */
    assert_finds(f, "nlaw", nato);
    assert_finds(f, "Opec", nato);
    assert_finds(f, "OPEC", nato);
}

/* Every group must match, or with `any` one of them. */
static void test_and_any(void **state)
{
    fx *f = *state;
    /* other articles, so that the words are rare enough to weigh (bm25) */
    fill(f, 4);
    int64_t wheat = add(f, (art){ .slug = "wheat", .title = "أسعار القمح"});
    int64_t rice = add(f, (art){ .slug = "rice", .title = "أسعار الأرز"});
    int64_t both = add(f, (art){ .slug = "both", .title = "القمح والأرز"});
    assert_finds(f, "القمح الأرز", both);
    assert_finds(f, "أسعار القمح", wheat);
    assert_finds(f, "الأرز", rice, both);
    assert_finds(f, "القمح", wheat, both);
    store_search_result r = search_with(f, "القمح الأرز", (find){ .any = true });
    assert_int_equal(r.n, 3);
    assert_int_equal(r.total, 3);
    assert_int_equal(r.hits[0].article.id, both); /* matches both groups */
    assert_true(found(&r, wheat) && found(&r, rice));
    r = search_with(f, "القمح الذهب", (find){ .any = true });
    assert_int_equal(r.n, 2);
    assert_finds_none(f, "القمح الذهب");
}

/* A function word is not required of a query that has other words
 * (nearly every article has it; in the any-word fallback it would match
 * them all), but is searched when it is all the query holds, or inside
 * a phrase. */
static void test_function_words(void **state)
{
    fx *f = *state;
    int64_t minister = add(f, (art){ .slug = "minister", .title = "وزير الحكومة يستقيل"});
    int64_t in = add(f, (art){ .slug = "in", .title = "الطقس في العاصمة"});
    assert_finds(f, "وزير في الحكومة", minister);
    assert_finds(f, "في", in);
    assert_finds_none(f, "\"وزير في الحكومة\"");
    store_search_result r = search_with(f, "وزير في الحكومة", (find){ .any = true });
    assert_int_equal(r.total, 1);
}

/* A word in more articles than a search ranks: the newest
 * STORE_SEARCH_RANKED of them are ranked and counted, and the result
 * says there are more. */
static void test_ranked_bound(void **state)
{
    fx *f = *state;
    char sql[640];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
             " INSERT INTO articles(id, slug, title, status, comments_open, created_at,"
             " published_at, updated_at, body_md) SELECT 1000 + i, 'n' || i,"
             " 'خبر عاجل عن السوق', 'published', 1, %lld, %lld, %lld, 'نص' FROM n",
             STORE_SEARCH_RANKED + 5, (long long)(NOW - DAY), (long long)(NOW - DAY),
             (long long)(NOW - DAY));
    raw(f, sql);
    assert_int_equal(store_search_rebuild(f->s, NULL, NULL), 0);
    store_search_result r = search_with(f, "عاجل", (find){ 0 });
    assert_int_equal(r.total, STORE_SEARCH_RANKED);
    assert_true(r.more);
    for (size_t i = 0; i < r.n; i++) /* the oldest five are not ranked */
        assert_true(r.hits[i].article.id > 1005);
    r = search_with(f, "السوق", (find){ .offset = STORE_SEARCH_RANKED + 10 });
    assert_int_equal(r.n, 0);
    assert_int_equal(r.total, STORE_SEARCH_RANKED);
    assert_true(r.more);
    int64_t one = add(f, (art){ .slug = "one", .title = "خبر واحد عن الذهب"});
    r = search_with(f, "الذهب", (find){ 0 });
    assert_int_equal(r.total, 1);
    assert_false(r.more);
    assert_int_equal(r.hits[0].article.id, one);
}

/* A bulk load defers the index (store_index_defer): what it writes is
 * found once store_reindex has run, and writes after it are indexed as
 * they come again. */
static void test_deferred_load(void **state)
{
    fx *f = *state;
    store_index_defer(f->s, true);
    int64_t a = add(f, (art){ .slug = "a", .title = "قافلة الإغاثة تصل"});
    assert_finds_none(f, "قافلة");
    store_index_defer(f->s, false);
    assert_int_equal(store_reindex(f->s, NULL, NULL), 0);
    assert_finds(f, "قافلة", a);
    int64_t b = add(f, (art){ .slug = "b", .title = "قافلة ثانية"});
    assert_finds(f, "قافلة", b, a);
}

/* A phrase is its stems in sequence, in its order. */
static void test_phrases(void **state)
{
    fx *f = *state;
    int64_t visit = add(f, (art){ .slug = "visit", .title = "الرئيس الفرنسي يزور الجزائر"});
    int64_t apart = add(f, (art){ .slug = "apart", .title = "الرئيس يلتقي الوزير الفرنسي"});
    assert_finds(f, "الرئيس الفرنسي", visit, apart);
    assert_finds(f, "\"الرئيس الفرنسي\"", visit);
    assert_finds(f, "“والرئيس الفرنسي”", visit); /* stems: a clitic changes nothing */
    assert_finds_none(f, "\"الفرنسي الرئيس\"");    /* wrong order */
    assert_finds(f, "\"الوزير الفرنسي\" يلتقي", apart);
    assert_finds(f, "\"الرئيس الفرنسي", visit);     /* unbalanced quote */
}

/* A word in the title outranks the same word in the body of a newer one. */
static void test_title_ranks_first(void **state)
{
    fx *f = *state;
    fill(f, 4);
    int64_t in_body = add(f, (art){ .slug = "body", .title = "خبر عادي", .lead = "مقدمة قصيرة",
                                    .body = "نص طويل عن الاقتصاد والزراعة والطاقة الشمسية",
                                    .pub = NOW - HOUR });
    int64_t in_title = add(f, (art){ .slug = "title", .title = "الطاقة الشمسية", .lead = "مقدمة", .body = "نص",
                                     .pub = NOW - 3 * DAY });
    store_search_result r = search(f, "الطاقة");
    assert_int_equal(r.n, 2);
    assert_int_equal(r.hits[0].article.id, in_title);
    assert_int_equal(r.hits[1].article.id, in_body);
    assert_true(r.hits[0].score > r.hits[1].score);
    /* card fields and the body's indexed text come with each hit */
    assert_string_equal(r.hits[0].article.title, "الطاقة الشمسية");
    assert_int_equal(r.hits[0].article.category.id, f->cat);
    assert_string_equal(r.hits[0].article.category.slug, "news");
    assert_non_null(strstr(r.hits[1].text, "الاقتصاد"));
    assert_null(r.hits[1].article.body_md);
}

/* Equal matches: the newer first. */
static void test_ties_newest_first(void **state)
{
    fx *f = *state;
    int64_t old = add(f, (art){ .slug = "old", .title = "انتخابات", .pub = NOW - 2 * DAY });
    int64_t mid = add(f, (art){ .slug = "mid", .title = "انتخابات", .pub = NOW - DAY });
    int64_t recent = add(f, (art){ .slug = "new", .title = "انتخابات", .pub = NOW - HOUR });
    store_search_result r = search(f, "انتخابات");
    assert_int_equal(r.n, 3);
    assert_int_equal(r.hits[0].article.id, recent);
    assert_int_equal(r.hits[1].article.id, mid);
    assert_int_equal(r.hits[2].article.id, old);
}

/* ---- visibility ---- */

static void test_visibility(void **state)
{
    fx *f = *state;
    int64_t pub = add(f, (art){ .slug = "pub", .title = "زلزال قوي"});
    add(f, (art){ .slug = "draft", .title = "زلزال في المسودة", .draft = true });
    add(f, (art){ .slug = "pending", .title = "زلزال ينتظر", .status = ARTICLE_PENDING });
    int64_t sched = add(f, (art){ .slug = "sched", .title = "زلزال مجدول", .status = ARTICLE_SCHEDULED,
                                  .pub = NOW + DAY });
    int64_t later = add(f, (art){ .slug = "later", .title = "زلزال لاحق", .pub = NOW + DAY });
    assert_finds(f, "زلزال", pub);
    /* once its time comes */
    store_search_result r = search_with(f, "زلزال", (find){ .now = NOW + 2 * DAY });
    assert_int_equal(r.total, 3);
    assert_true(found(&r, sched) && found(&r, later) && found(&r, pub));
    /* never the excluded one */
    r = search_with(f, "زلزال", (find){ .now = NOW + 2 * DAY, .exclude = sched });
    assert_int_equal(r.total, 2);
    assert_false(found(&r, sched));
}

/* ---- kept in step with writes ---- */

static void test_update_and_delete(void **state)
{
    fx *f = *state;
    int64_t id = add(f, (art){ .slug = "x", .title = "فيضانات في الجنوب"});
    assert_finds(f, "فيضانات", id);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, id, &ar), 0);
    ar.title = "حرائق في الشمال";
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_finds_none(f, "فيضانات");
    assert_finds(f, "حرائق", id);
    ar.status = ARTICLE_DRAFT; /* unpublished: no longer found */
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_finds_none(f, "حرائق");
    ar.status = ARTICLE_PUBLISHED;
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_finds(f, "حرائق", id);
    assert_int_equal(store_article_delete(f->s, id), 0);
    assert_finds_none(f, "حرائق");
    int64_t counts[1], ndocs;
    const char *terms[] = { "حرائق" };
    assert_int_equal(store_search_terms(f->s, terms, 1, counts, &ndocs), 0);
    assert_int_equal(counts[0], 0); /* gone from the index itself */
    assert_int_equal(ndocs, 0);
}

struct rewrite {
    int64_t id;
    const char *title;
};

/* Update the article's title, then fail: everything is rolled back. */
static int rewrite_then_fail(store_t *s, void *arg)
{
    struct rewrite *w = arg;
    arena_t *a = arena_new(0);
    store_article ar;
    int rc = store_article_by_id(s, a, w->id, &ar);
    ar.title = w->title;
    if (rc == 0)
        rc = store_article_update(s, &ar, NULL, 0);
    arena_free(a);
    return rc ? rc : NS_EIO;
}

static int delete_then_fail(store_t *s, void *arg)
{
    int rc = store_article_delete(s, *(int64_t *)arg);
    return rc ? rc : NS_EIO;
}

static void test_rolled_back_write_leaves_index(void **state)
{
    fx *f = *state;
    int64_t id = add(f, (art){ .slug = "x", .title = "مفاوضات السلام"});
    struct rewrite w = { id, "انهيار المفاوضات" };
    assert_int_equal(store_write(f->s, rewrite_then_fail, &w), NS_EIO);
    assert_finds(f, "السلام", id);
    assert_finds_none(f, "انهيار");
    assert_int_equal(store_write(f->s, delete_then_fail, &id), NS_EIO);
    assert_finds(f, "السلام", id);
}

/* ---- totals, paging, counts ---- */

static void test_total_and_paging(void **state)
{
    fx *f = *state;
    int64_t ids[5];
    char slug[16];
    for (int i = 0; i < 5; i++) {
        snprintf(slug, sizeof slug, "p%d", i);
        ids[i] = add(f, (art){ .slug = arena_strdup(f->a, slug), .title = "مباراة كرة القدم",
                               .pub = NOW - (5 - i) * HOUR });
    }
    add(f, (art){ .slug = "other", .title = "سباق السيارات"});
    int64_t seen[5];
    size_t nseen = 0;
    for (int off = 0; off < 6; off += 2) {
        store_search_result r = search_with(f, "مباراة", (find){ .limit = 2, .offset = off });
        assert_int_equal(r.total, 5);
        assert_int_equal(r.n, off < 4 ? 2 : 1);
        for (size_t i = 0; i < r.n; i++)
            seen[nseen++] = r.hits[i].article.id;
    }
    for (int i = 0; i < 5; i++) /* every one once, newest first (equal scores) */
        assert_int_equal(seen[i], ids[4 - i]);
    store_search_result r = search_with(f, "مباراة", (find){ .limit = 2, .offset = 10 });
    assert_int_equal(r.n, 0);
    assert_int_equal(r.total, 5); /* past the end: still the total */
    r = search_with(f, "مباراة", (find){ .limit = 100, .offset = 2000000000 });
    assert_int_equal(r.n, 0); /* a hostile page number costs nothing */
    assert_int_equal(r.total, 5);
}

static void test_search_terms(void **state)
{
    fx *f = *state;
    add(f, (art){ .slug = "a", .title = "النفط والغاز"});
    add(f, (art){ .slug = "b", .title = "أسعار النفط"});
    add(f, (art){ .slug = "c", .title = "مسودة عن النفط", .draft = true });
    /* stems and surface forms, as the index holds them */
    const char *terms[] = { "نفط", "النفط", "غاز", "مجهول", "نفط", "" };
    int64_t counts[6];
    int64_t ndocs = -1;
    assert_int_equal(store_search_terms(f->s, terms, 6, counts, &ndocs), 0);
    assert_int_equal(ndocs, 3); /* every article, whatever its status */
    assert_int_equal(counts[0], 3);
    assert_int_equal(counts[1], 3);
    assert_int_equal(counts[2], 1);
    assert_int_equal(counts[3], 0);
    assert_int_equal(counts[4], 3); /* asked twice, counted twice */
    assert_int_equal(counts[5], 0);
    assert_int_equal(store_search_terms(f->s, terms, 0, counts, &ndocs), 0);
    assert_int_equal(ndocs, 3);
}

/* The counts kept while articles are written, updated, deleted and
 * rolled back are the counts a rebuild finds. */
static void test_search_terms_kept(void **state)
{
    fx *f = *state;
    int64_t a = add(f, (art){ .slug = "a", .title = "النفط والغاز", .body = "أسعار النفط" });
    int64_t b = add(f, (art){ .slug = "b", .title = "أسعار الذهب", .lead = "الذهب والفضة" });
    add(f, (art){ .slug = "c", .title = "الغاز الطبيعي", .draft = true });
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, a, &ar), 0);
    ar.title = "الفضة والنحاس";
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    ar.status = ARTICLE_DRAFT; /* the same text: counts unchanged */
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    struct rewrite w = { b, "الذهب الأسود" };
    assert_int_equal(store_write(f->s, rewrite_then_fail, &w), NS_EIO);
    assert_int_equal(store_article_delete(f->s, b), 0);
    const char *terms[] = { "نفط", "غاز", "ذهب", "فضه", "الفضه", "نحاس", "اسعار", "اسود" };
    enum { N = sizeof terms / sizeof terms[0] };
    int64_t kept[N], rebuilt[N], ndocs, ndocs2;
    assert_int_equal(store_search_terms(f->s, terms, N, kept, &ndocs), 0);
    assert_int_equal(store_reindex(f->s, NULL, NULL), 0);
    assert_int_equal(store_search_terms(f->s, terms, N, rebuilt, &ndocs2), 0);
    assert_int_equal(ndocs, 2);
    assert_int_equal(ndocs2, 2);
    for (size_t i = 0; i < N; i++)
        if (kept[i] != rebuilt[i])
            fail_msg("«%s»: %lld kept, %lld rebuilt", terms[i], (long long)kept[i],
                     (long long)rebuilt[i]);
    assert_int_equal(kept[0], 1); /* a's body */
    assert_int_equal(kept[1], 1); /* c */
    assert_int_equal(kept[2], 0); /* b deleted */
    assert_int_equal(kept[7], 0); /* rolled back */
}

/* ---- related articles ---- */

static void assert_related_excludes(fx *f, int64_t id, int64_t never)
{
    struct store_article_list l;
    assert_int_equal(store_article_related(f->s, f->a, id, NOW, 10, &l), 0);
    for (size_t i = 0; i < l.n; i++)
        assert_true(l.items[i].id != never && l.items[i].id != id);
}

static void test_related(void **state)
{
    fx *f = *state;
    int64_t t = tag(f, "وسم");
    int64_t a = add(f, (art){ .slug = "a", .title = "محطة الطاقة النووية", .lead = "مفاعل جديد لتوليد الكهرباء",
                              .body = "المفاعل النووي ينتج الكهرباء", .cat = f->cat2 });
    int64_t draft = add(f, (art){ .slug = "draft", .title = "المفاعل النووي والكهرباء", .lead = "مفاعل نووي",
                                  .body = "الطاقة النووية", .draft = true, .cat = f->cat2 });
    int64_t by_tag = add(f, (art){ .slug = "tagged", .title = "سباق الخيل", .tags = &t, .ntags = 1,
                                   .cat = f->cat2 });
    int64_t b = add(f, (art){ .slug = "b", .title = "المفاعل النووي الجديد", .lead = "الكهرباء من الطاقة النووية",
                              .body = "محطة لتوليد الكهرباء", .tags = &t, .ntags = 1 });
    /* computed on insert: b's content is a's */
    struct store_article_list l;
    assert_int_equal(store_article_related(f->s, f->a, b, NOW, 3, &l), 0);
    assert_true(l.n >= 2);
    assert_int_equal(l.items[0].id, a);
    assert_int_equal(l.items[1].id, by_tag); /* then by shared tag */
    assert_related_excludes(f, b, draft);
    assert_related_excludes(f, a, draft);
    /* and on update: a changes subject, b no longer names it first */
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, b, &ar), 0);
    ar.title = "سباق الخيل السنوي";
    ar.lead = "الخيل العربية";
    ar.body_md = "سباق";
    assert_int_equal(store_article_update(f->s, &ar, &t, 1), 0);
    assert_int_equal(store_article_related(f->s, f->a, b, NOW, 1, &l), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].id, by_tag);
}

/* A related article that is unpublished afterwards is not shown; the
 * article never shows itself even when stored so by another program. */
static void test_related_visibility(void **state)
{
    fx *f = *state;
    int64_t a = add(f, (art){ .slug = "a", .title = "الأمطار الغزيرة في المدينة"});
    int64_t b = add(f, (art){ .slug = "b", .title = "الأمطار الغزيرة تغرق المدينة"});
    struct store_article_list l;
    assert_int_equal(store_article_related(f->s, f->a, b, NOW, 5, &l), 0);
    assert_true(l.n >= 1);
    assert_int_equal(l.items[0].id, a);
    store_article ar;
    assert_int_equal(store_article_by_id(f->s, f->a, a, &ar), 0);
    ar.status = ARTICLE_DRAFT;
    assert_int_equal(store_article_update(f->s, &ar, NULL, 0), 0);
    assert_related_excludes(f, b, a);
    char sql[160];
    snprintf(sql, sizeof sql, "INSERT INTO article_related(article_id, rank, related_id)"
             " VALUES (%lld, 9, %lld)", (long long)b, (long long)b);
    raw(f, sql);
    assert_related_excludes(f, b, a);
}

/* The keys a page of related articles depends on. */
static void test_related_keys(void **state)
{
    fx *f = *state;
    int64_t a = add(f, (art){ .slug = "a", .title = "الأمطار الغزيرة في المدينة"});
    int64_t b = add(f, (art){ .slug = "b", .title = "الأمطار الغزيرة تغرق المدينة"});
    store_deps d;
    store_deps_init(&d, f->a);
    store_track(f->s, &d);
    struct store_article_list l;
    assert_int_equal(store_article_related(f->s, f->a, b, NOW, 5, &l), 0);
    store_track(f->s, NULL);
    assert_true(store_deps_has(&d, D(LIST, 0)));
    assert_true(store_deps_has(&d, D(ARTICLE, a)));
    assert_int_equal(d.failed, 0);
}

/* ---- the rebuild ---- */

typedef struct progress {
    int calls;
    bool index, related;
    int64_t last_done, total;
} progress;

static void on_progress(void *arg, const char *phase, int64_t done, int64_t total)
{
    progress *p = arg;
    p->calls++;
    p->index |= strcmp(phase, "index") == 0;
    p->related |= strcmp(phase, "related") == 0;
    p->last_done = done;
    p->total = total;
}

static void test_reindex_after_raw_sql(void **state)
{
    fx *f = *state;
    int64_t id = add(f, (art){ .slug = "x", .title = "انتخابات بلدية"});
    add(f, (art){ .slug = "y", .title = "مباراة ودية"});
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE articles SET title = 'استفتاء شعبي' WHERE id = %lld",
             (long long)id);
    raw(f, sql);
    assert_finds(f, "انتخابات", id); /* another program's change is not indexed */
    progress p = { 0 };
    assert_int_equal(store_reindex(f->s, on_progress, &p), 0);
    assert_finds_none(f, "انتخابات");
    assert_finds(f, "استفتاء", id);
    assert_true(p.index && p.related);
    assert_int_equal(p.total, 2);
    assert_int_equal(p.last_done, 2);
    assert_int_equal(store_reindex(f->s, NULL, NULL), 0); /* again, without progress */
    assert_finds(f, "استفتاء", id);
}

/* The index alone: related articles and the recorded version stay. */
static void test_search_rebuild(void **state)
{
    fx *f = *state;
    int64_t a = add(f, (art){ .slug = "a", .title = "الأمطار الغزيرة في المدينة" });
    int64_t b = add(f, (art){ .slug = "b", .title = "الأمطار الغزيرة تغرق المدينة" });
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE articles SET title = 'معرض الكتاب' WHERE id = %lld",
             (long long)a);
    raw(f, sql);
    raw(f, "INSERT INTO settings(key, value) VALUES ('search_version', '0')"
           " ON CONFLICT(key) DO UPDATE SET value = '0'");
    progress p = { 0 };
    assert_int_equal(store_search_rebuild(f->s, on_progress, &p), 0);
    assert_finds(f, "معرض", a);
    assert_true(p.index && !p.related);
    struct store_article_list l; /* b's related articles, as computed before */
    assert_int_equal(store_article_related(f->s, f->a, b, NOW, 1, &l), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].id, a);
    const char *v;
    assert_int_equal(store_setting_get(f->s, f->a, "search_version", &v), 0);
    assert_string_equal(v, "0");
}

static void test_search_ready(void **state)
{
    fx *f = *state;
    int64_t id = add(f, (art){ .slug = "x", .title = "انتخابات بلدية"});
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE articles SET title = 'استفتاء شعبي' WHERE id = %lld",
             (long long)id);
    raw(f, sql);
    /* no version recorded yet: a rebuild */
    assert_int_equal(store_search_ready(f->s, NULL, NULL), 0);
    assert_finds(f, "استفتاء", id);
    snprintf(sql, sizeof sql, "UPDATE articles SET title = 'مهرجان ثقافي' WHERE id = %lld",
             (long long)id);
    raw(f, sql);
    /* current: nothing to do */
    assert_int_equal(store_search_ready(f->s, NULL, NULL), 0);
    assert_finds(f, "استفتاء", id);
    /* an older analyzer's index: a rebuild */
    raw(f, "UPDATE settings SET value = '0' WHERE key = 'search_version'");
    progress p = { 0 };
    assert_int_equal(store_search_ready(f->s, on_progress, &p), 0);
    assert_finds(f, "مهرجان", id);
    assert_true(p.index);
    /* missing again */
    raw(f, "DELETE FROM settings WHERE key = 'search_version'");
    snprintf(sql, sizeof sql, "UPDATE articles SET title = 'معرض الكتاب' WHERE id = %lld",
             (long long)id);
    raw(f, sql);
    assert_int_equal(store_search_ready(f->s, NULL, NULL), 0);
    assert_finds(f, "معرض", id);
}

/* An empty site records the version without a rebuild. */
static void test_search_ready_empty(void **state)
{
    fx *f = *state;
    progress p = { 0 };
    assert_int_equal(store_search_ready(f->s, on_progress, &p), 0);
    assert_int_equal(p.calls, 0);
    const char *v;
    assert_int_equal(store_setting_get(f->s, f->a, "search_version", &v), 0);
    assert_int_equal(atoi(v), TERMS_VERSION);
}

/* ---- what a search depends on ---- */

static void test_search_keys(void **state)
{
    fx *f = *state;
    int64_t a = add(f, (art){ .slug = "a", .title = "قمة المناخ"});
    int64_t b = add(f, (art){ .slug = "b", .title = "قمة اقتصادية"});
    int64_t c = add(f, (art){ .slug = "c", .title = "مؤتمر المناخ"});
    store_deps d;
    store_deps_init(&d, f->a);
    store_track(f->s, &d);
    store_search_result r = search(f, "قمة");
    store_track(f->s, NULL);
    assert_int_equal(r.n, 2);
    assert_true(store_deps_has(&d, D(LIST, 0)));
    assert_true(store_deps_has(&d, D(MODIFIED, 0)));
    assert_true(store_deps_has(&d, D(ARTICLE, a)));
    assert_true(store_deps_has(&d, D(ARTICLE, b)));
    assert_false(store_deps_has(&d, D(ARTICLE, c)));
    assert_int_equal(d.failed, 0);
    /* a search that finds nothing still depends on what is visible */
    store_deps_init(&d, f->a);
    store_track(f->s, &d);
    search(f, "غير موجود اطلاقا");
    store_track(f->s, NULL);
    assert_true(store_deps_has(&d, D(LIST, 0)));
    assert_true(store_deps_has(&d, D(MODIFIED, 0)));
}

/* ---- hostile text ---- */

static void test_syntax_is_text(void **state)
{
    fx *f = *state;
    int64_t id = add(f, (art){ .slug = "x", .title = "تقرير NEAR الحدود AND OR NOT", .lead = NULL, .body = "نص * ( ) : ^ - +"});
    static const char *const queries[] = {
        "تقرير*", "\"تقرير", "تقرير)", "(تقرير", "تقرير:الحدود", "^تقرير", "تقرير NEAR الحدود",
        "تقرير AND", "OR تقرير", "-تقرير", "+تقرير", "تقرير & الحدود | !", "تقرير <-> الحدود",
        "NEAR(تقرير الحدود)", "الحدود:تقرير", "تقرير\"\"\"", "{تقرير}", "تقرير'", "تقرير;--",
    };
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        store_search_result r = search(f, queries[i]);
        if (!found(&r, id))
            fail_msg("«%s» did not find it", queries[i]);
    }
    /* syntax words are words */
    assert_finds(f, "near", id);
    assert_finds(f, "and or", id);
    store_search_result r = search_with(f, "* ( ) تقرير : ^", (find){ .any = true });
    assert_true(found(&r, id));
}

/* Ill-formed UTF-8 that another program wrote into an article does not
 * stop a rebuild: the rest of the text is indexed. Only SQLite can hold
 * such text (PostgreSQL refuses it on the way in). */
static void test_invalid_utf8_document(void **state)
{
    fx *f = *state;
    if (!is_sqlite(f))
        skip();
    int64_t id = add(f, (art){ .slug = "x", .title = "عنوان"});
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE articles SET title = CAST(X'D8A3D985D8B7D8A7D8B1FF20C3'"
             " || CAST('فيضان' AS BLOB) AS TEXT) WHERE id = %lld", (long long)id);
    raw(f, sql);
    assert_int_equal(store_reindex(f->s, NULL, NULL), 0);
    assert_finds(f, "أمطار", id);
    assert_finds(f, "فيضان", id);
}

/* A phrase is matched inside one field: the title's last word and the
 * lead's first are not in sequence (FTS5 matches each column apart;
 * PostgreSQL's document leaves a position free between fields). */
static void test_phrase_within_field(void **state)
{
    fx *f = *state;
    int64_t id = add(f, (art){ .slug = "x", .title = "اجتماع الوزراء", .lead = "الطارئ اليوم",
                               .body = "في العاصمة" });
    assert_finds(f, "\"اجتماع الوزراء\"", id);
    assert_finds(f, "\"الطارئ اليوم\"", id);
    assert_finds(f, "الوزراء الطارئ", id);
    assert_finds_none(f, "\"الوزراء الطارئ\"");
    assert_finds_none(f, "\"اليوم في\"");
}

/* A body longer than PostgreSQL's last word position (16383) is still
 * indexed to its end: its last word finds it. */
static void test_long_body(void **state)
{
    fx *f = *state;
    enum { WORDS = 17000 };
    static const char word[] = "كلمة ";
    static const char last[] = "زلزال";
    char *body = arena_alloc(f->a, WORDS * (sizeof word - 1) + sizeof last);
    for (int i = 0; i < WORDS; i++)
        memcpy(body + i * (sizeof word - 1), word, sizeof word - 1);
    memcpy(body + WORDS * (sizeof word - 1), last, sizeof last);
    int64_t id = add(f, (art){ .slug = "long", .title = "عنوان", .body = body });
    assert_finds(f, "زلزال", id);
    assert_finds(f, "كلمة", id);
    assert_finds(f, "عنوان زلزال", id);
    const char *terms[] = { "زلزال" };
    int64_t count, ndocs;
    assert_int_equal(store_search_terms(f->s, terms, 1, &count, &ndocs), 0);
    assert_int_equal(count, 1);
    assert_int_equal(ndocs, 1);
}

/* An imported article's body is HTML (body_format BODY_HTML): without the
 * rendered body_html beside it, its words are indexed, its tags are not. */
static void test_html_body_indexed_as_text(void **state)
{
    fx *f = *state;
    store_article ar = { .slug = "imported", .title = "عنوان", .status = ARTICLE_PUBLISHED,
                         .body_md = "<p class=\"lead\">زلزال <em>قوي</em></p><blockquote>شهود</blockquote>",
                         .body_format = BODY_HTML, .comments_open = true, .category_id = f->cat,
                         .created_at = NOW - HOUR, .published_at = NOW - HOUR, .updated_at = NOW - HOUR };
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
    int64_t md = add(f, (art){ .slug = "written", .title = "مقال", .body = "نص <blockquote>محفوظ</blockquote>" });
    assert_finds(f, "زلزال قوي", ar.id);
    assert_finds(f, "شهود", ar.id);
    assert_finds_none(f, "lead");
    assert_finds(f, "blockquote", md); /* Markdown's source is its text */
    assert_int_equal(store_search_rebuild(f->s, NULL, NULL), 0);
    assert_finds(f, "زلزال", ar.id);
    assert_finds(f, "blockquote", md);
}

#define TESTS(T)                                 \
    T(spelling_variants, setup)                  \
    T(and_any, setup)                            \
    T(function_words, setup)                     \
    T(ranked_bound, setup)                       \
    T(deferred_load, setup)                      \
    T(phrases, setup)                            \
    T(title_ranks_first, setup)                  \
    T(ties_newest_first, setup)                  \
    T(visibility, setup)                         \
    T(update_and_delete, setup)                  \
    T(rolled_back_write_leaves_index, setup)     \
    T(total_and_paging, setup)                   \
    T(search_terms, setup)                       \
    T(search_terms_kept, setup)                  \
    T(related, setup)                            \
    T(related_visibility, setup)                 \
    T(related_keys, setup)                       \
    T(reindex_after_raw_sql, setup)              \
    T(search_rebuild, setup)                     \
    T(search_ready, setup)                       \
    T(search_ready_empty, setup)                 \
    T(search_keys, setup)                        \
    T(syntax_is_text, setup)                     \
    T(invalid_utf8_document, setup)              \
    T(phrase_within_field, setup)                \
    T(long_body, setup)                          \
    T(html_body_indexed_as_text, setup)

BACKEND_MAIN("test_search", TESTS)
