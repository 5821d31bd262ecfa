/*
 * test_terms.c - the index terms of a text (search/terms.h): for each
 * word the stem first, then at the same position its surface form and the
 * stems of its other readings; positions from pos0; byte offsets of the
 * word in the original text; the function-word flag; no term twice for a
 * word; invalid UTF-8 and a callback's error; the body text indexed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "search/terms.h"
#include "test_util.h"

#define A test_util_arena
#define MAXT 64

typedef struct got {
    terms_term t[MAXT];
    size_t n;
} got;

static int collect(void *arg, const terms_term *t)
{
    got *g = arg;
    assert_true(g->n < MAXT);
    g->t[g->n++] = *t;
    return 0;
}

static got run(const char *s, int pos0)
{
    got g = { .n = 0 };
    assert_int_equal(terms_each(A, s, strlen(s), pos0, collect, &g), 0);
    return g;
}

/* The terms of g as "pos:text" with "+" before a colocated one. */
static const char *show(const got *g)
{
    buf_t b;
    buf_init(&b, A);
    buf_puts(&b, "");
    for (size_t i = 0; i < g->n; i++) {
        if (i)
            buf_putc(&b, ' ');
        buf_printf(&b, "%s%d:%s", g->t[i].colocated ? "+" : "", g->t[i].pos, g->t[i].text);
    }
    return buf_cstr(&b);
}

static void test_terms_in_order(void **state)
{
    (void)state;
    got g = run("بالجنود وزارة الروسي", 5);
    assert_string_equal(show(&g), "5:جنود +5:بالجنود +5:جند 6:زار +6:وزاره +6:وزار 7:روس +7:الروسي");
    /* a word that is its own stem gives one term; Latin is lower-cased */
    g = run("NLAW روسيا", 0);
    assert_string_equal(show(&g), "0:nlaw 1:روسيا +1:روس");
    /* ل before a word beginning with ل; an unwritten tanween */
    g = run("للاعبين مرسوما", 0);
    assert_string_equal(show(&g), "0:اعب +0:للاعبين +0:لاعب 1:مرسوما +1:مرسوم");
    /* the first term of every word is not colocated, the others are */
    g = run("وزارة الصحة في لبنان", 0);
    int pos = -1;
    for (size_t i = 0; i < g.n; i++) {
        assert_int_equal(g.t[i].colocated, g.t[i].pos == pos);
        assert_true(g.t[i].pos == pos || g.t[i].pos == pos + 1);
        pos = g.t[i].pos;
        assert_int_equal(g.t[i].len, strlen(g.t[i].text));
    }
    assert_int_equal(pos, 3);
}

/* Each term points at its word's bytes in the text as given. */
static void test_offsets(void **state)
{
    (void)state;
    const char *s = "«الجُنُودُ» الروس، NLAW-2";
    static const char *const words[] = { "الجُنُودُ", "الروس", "NLAW", "2" };
    got g = run(s, 0);
    for (size_t i = 0; i < g.n; i++) {
        const terms_term *t = &g.t[i];
        const char *w = words[t->pos];
        assert_int_equal(t->end - t->start, strlen(w));
        assert_memory_equal(s + t->start, w, strlen(w));
    }
    assert_int_equal(g.t[g.n - 1].pos, 3);
}

static void test_stopwords(void **state)
{
    (void)state;
    got g = run("في الجنود على", 0);
    for (size_t i = 0; i < g.n; i++)
        assert_int_equal(g.t[i].stopword, g.t[i].pos != 1);
    assert_true(terms_is_stopword("علي", strlen("علي")));  /* على, normalised */
    assert_false(terms_is_stopword("جنود", strlen("جنود")));
    assert_true(terms_is_stopword("فيXYZ", strlen("في"))); /* by length, not NUL */
    char lng[100];
    memset(lng, 'x', sizeof lng);
    assert_false(terms_is_stopword(lng, sizeof lng));
}

/* No word gives the same term twice, whatever its readings. */
static void test_no_repeats(void **state)
{
    (void)state;
    got g = run("روسيا وروسيا لروسيا الروسيا كتاب وكتاب بالكتاب للكتاب ولاءهم أبناؤهم", 0);
    for (size_t i = 0; i < g.n; i++)
        for (size_t j = i + 1; j < g.n && g.t[j].pos == g.t[i].pos; j++)
            assert_string_not_equal(g.t[i].text, g.t[j].text);
}

static int stop_at_third(void *arg, const terms_term *t)
{
    (void)t;
    int *n = arg;
    return ++*n == 3 ? NS_EEXIST : 0;
}

static void test_refused(void **state)
{
    (void)state;
    int n = 0;
    static const char bad[] = "الجنود \xff";
    assert_int_equal(terms_each(A, bad, sizeof bad - 1, 0, stop_at_third, &n), NS_EINVAL);
    assert_int_equal(n, 0);  /* refused before any term */
    n = 0;
    const char *s = "الجنود الروس";
    assert_int_equal(terms_each(A, s, strlen(s), 0, stop_at_third, &n), NS_EEXIST);
    assert_int_equal(n, 3);
    got g = { .n = 0 };
    assert_int_equal(terms_each(A, NULL, 0, 0, collect, &g), 0);
    assert_int_equal(g.n, 0);
}

static void test_body_text(void **state)
{
    (void)state;
    const char *t = terms_body_text(A, "<p>نص <strong>المقال</strong> &amp; صورة</p>", "نص **آخر**", false);
    assert_null(strchr(t, '<'));
    assert_non_null(strstr(t, "المقال"));
    assert_non_null(strstr(t, "& صورة"));
    assert_null(strstr(t, "آخر"));  /* the rendered HTML wins */
    assert_string_equal(terms_body_text(A, NULL, "نص **آخر**", false), "نص **آخر**");
    assert_string_equal(terms_body_text(A, "", "نص", false), "نص");
    assert_string_equal(terms_body_text(A, NULL, NULL, false), "");
    assert_string_equal(terms_body_text(A, NULL, NULL, true), "");
    /* an imported body's source is HTML: its text without the tags */
    assert_string_equal(terms_body_text(A, NULL, "<p>نص <em>مستورد</em> &amp; <b>x</b></p>", true),
                        "نص مستورد & x");
    assert_string_equal(terms_body_text(A, "<p>مخزن</p>", "<p>مصدر</p>", true), "مخزن");
}

/* Whether the words a and b share an index term: a query for one finds
 * the other. */
static bool share(const char *a, const char *b)
{
    got x = run(a, 0), y = run(b, 0);
    for (size_t i = 0; i < x.n; i++)
        for (size_t j = 0; j < y.n; j++)
            if (strcmp(x.t[i].text, y.t[j].text) == 0)
                return true;
    return false;
}

/* Spellings readers use for one word: without its hamza (its seat alone,
 * or nothing for a hamza on the line), a foreign name's "ng" as نج or
 * نغ; and words these rules must not join. */
static void test_reader_spellings(void **state)
{
    (void)state;
    static const char *const same[][2] = {
        { "مؤتمر", "موتمر" }, { "لاجئ", "لاجي" }, { "اللاجئين", "لاجيين" }, { "ميناء", "مينا" },
        { "الحناء", "الحنا" }, { "فائدة", "فايده" }, { "مسؤول", "مسئول" }, { "بوينج", "بوينغ" },
        { "سامسونغ", "سامسونج" }, { "أبناؤهم", "ابنائهم" },
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        if (!share(same[i][0], same[i][1]))
            fail_msg("%s and %s share no term", same[i][0], same[i][1]);
    static const char *const apart[][2] = {
        { "مؤتمر", "مطر" }, { "جمل", "غمل" }, { "برج", "برغ" },
    };
    for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++)
        if (share(apart[i][0], apart[i][1]))
            fail_msg("%s and %s share a term", apart[i][0], apart[i][1]);
}

/* Each term as "pos:text" (+ before a colocated one), copied: with a
 * cache a term's text is only valid during the call. */
static int collect_copy(void *arg, const terms_term *t)
{
    buf_t *b = arg;
    buf_printf(b, " %s%d:%.*s", t->colocated ? "+" : "", t->pos, (int)t->len, t->text);
    return 0;
}

static const char *terms_of(terms_cache *c, const char *s)
{
    buf_t b;
    buf_init(&b, A);
    buf_puts(&b, "");
    assert_int_equal(terms_each_cached(c, A, s, strlen(s), 0, collect_copy, &b), 0);
    return buf_cstr(&b);
}

/* The cache gives what analysing the words gives, the first time and
 * when it answers from what it remembers. */
static void test_cache_same_terms(void **state)
{
    (void)state;
    const char *text = "وبالجنود الأطباء مؤتمر موتمر، مؤتمرٌ وزارة الوزارة جديداً جديدا"
                       " NLAW nlaw ١٢ 12 المؤتمر مؤتمر وبالجنود";
    const char *plain = terms_of(NULL, text);
    terms_cache *c = terms_cache_new();
    assert_string_equal(terms_of(c, text), plain);
    assert_string_equal(terms_of(c, text), plain);
    terms_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms_in_order),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_no_repeats),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_body_text),
        cmocka_unit_test(test_reader_spellings),
        cmocka_unit_test(test_cache_same_terms),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
