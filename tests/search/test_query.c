/*
 * test_query.c - a reader's query as groups of index terms (search/query.h):
 * words and their alternatives, phrases in every kind of quote, an
 * unbalanced quote, a quoted single word, repeated words, each bound
 * (groups, phrase words, bytes, with a cut inside a character), the
 * backends' syntax characters, invalid UTF-8, punctuation alone; the
 * canonical text and its stability; the terms a snippet highlights.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "search/query.h"
#include "test_util.h"

#define A test_util_arena

static query_t parse(const char *s)
{
    query_t q;
    assert_int_equal(query_parse(A, s, strlen(s), &q), 0);
    return q;
}

/* Alternative k of group g, its terms joined by spaces. */
static const char *alt(const query_t *q, size_t g, size_t k)
{
    assert_true(g < q->n);
    assert_true(k < q->groups[g].nalts);
    buf_t b;
    buf_init(&b, A);
    buf_puts(&b, "");
    for (size_t i = 0; i < q->groups[g].alts[k].n; i++) {
        if (i)
            buf_putc(&b, ' ');
        buf_puts(&b, q->groups[g].alts[k].terms[i]);
    }
    return buf_cstr(&b);
}

static const char *canonical(const char *s)
{
    query_t q = parse(s);
    return query_canonical(A, &q);
}

static void test_words(void **state)
{
    (void)state;
    query_t q = parse("الجنودُ  الروس");
    assert_int_equal(q.n, 2);
    assert_false(q.truncated);
    assert_string_equal(q.groups[0].text, "الجنود");   /* normalised: no harakat */
    assert_false(q.groups[0].phrase);
    assert_string_equal(alt(&q, 0, 0), "جنود");          /* the stem first */
    assert_string_equal(alt(&q, 0, 1), "الجنود");        /* then the surface form */
    assert_string_equal(alt(&q, 0, 2), "جند");           /* the singular's stem (جندي) */
    assert_int_equal(q.groups[0].nalts, 3);
    assert_int_equal(q.groups[1].nalts, 2);
    /* a word whose stem is itself has it once */
    q = parse("nlaw");
    assert_int_equal(q.groups[0].nalts, 1);
    assert_string_equal(alt(&q, 0, 0), "nlaw");
    /* the other readings: endings (روسيا → روس) and proclitics (وزارة → وزار) */
    q = parse("روسيا وزارة");
    assert_string_equal(alt(&q, 0, 0), "روسيا");
    assert_string_equal(alt(&q, 0, 1), "روس");
    assert_int_equal(q.groups[0].nalts, 2);
    assert_string_equal(alt(&q, 1, 0), "زار");
    assert_string_equal(alt(&q, 1, 1), "وزاره");
    assert_string_equal(alt(&q, 1, 2), "وزار");
    assert_int_equal(q.groups[1].nalts, 3);
}

/* The same phrase in ASCII, curly and angle quotes. */
static void test_phrases(void **state)
{
    (void)state;
    static const char *const forms[] = { "فيلق \"حرية روسيا\"", "فيلق “حرية روسيا”",
                                         "فيلق «حرية روسيا»", "فيلق „حرية روسيا“" };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        query_t q = parse(forms[i]);
        assert_int_equal(q.n, 2);
        assert_false(q.groups[0].phrase);
        assert_true(q.groups[1].phrase);
        assert_string_equal(q.groups[1].text, "حريه روسيا");
        assert_string_equal(alt(&q, 1, 0), "حر روسيا");     /* stems in sequence */
        assert_string_equal(alt(&q, 1, 1), "حريه روسيا");   /* surface forms in sequence */
        assert_int_equal(q.groups[1].nalts, 2);
        assert_string_equal(query_canonical(A, &q), "فيلق \"حرية روسيا\"");
    }
}

static void test_quote_edge_cases(void **state)
{
    (void)state;
    /* an unbalanced quote runs to the end */
    query_t q = parse("فيلق \"حرية روسيا");
    assert_int_equal(q.n, 2);
    assert_true(q.groups[1].phrase);
    assert_string_equal(q.groups[1].text, "حريه روسيا");
    /* a quoted single word is a word, with every alternative */
    q = parse("\"روسيا\"");
    assert_int_equal(q.n, 1);
    assert_false(q.groups[0].phrase);
    assert_int_equal(q.groups[0].nalts, 2);
    /* empty quotes and a lone quote hold nothing */
    assert_int_equal(parse("\"\"").n, 0);
    assert_int_equal(parse("«").n, 0);
    q = parse("\"\" فيلق \"");
    assert_int_equal(q.n, 1);
    assert_string_equal(q.groups[0].text, "فيلق");
}

static void test_duplicates(void **state)
{
    (void)state;
    assert_int_equal(parse("روسيا روسيا").n, 1);
    assert_int_equal(parse("أوكرانيا اوكرانيا أوكرانيَا").n, 1); /* the same once normalised */
    assert_int_equal(parse("روسيا \"روسيا\"").n, 1);              /* a quoted word is that word */
    assert_int_equal(parse("\"حرية روسيا\" «حرية روسيا»").n, 1);
    /* a phrase and a word with the same text are different groups */
    query_t q = parse("\"حرية روسيا\" حرية روسيا");
    assert_int_equal(q.n, 3);
    assert_string_equal(query_canonical(A, &q), "\"حرية روسيا\" حرية روسيا");
}

static void test_bounds(void **state)
{
    (void)state;
    /* groups beyond QUERY_MAX_GROUPS are dropped */
    query_t q = parse("a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12");
    assert_int_equal(q.n, QUERY_MAX_GROUPS);
    assert_true(q.truncated);
    assert_string_equal(q.groups[QUERY_MAX_GROUPS - 1].text, "a10");
    q = parse("a1 a2 a3 a4 a5 a6 a7 a8 a9 a10");
    assert_int_equal(q.n, QUERY_MAX_GROUPS);
    assert_false(q.truncated);
    /* phrase words beyond QUERY_MAX_PHRASE */
    q = parse("\"w1 w2 w3 w4 w5 w6 w7 w8 w9 w10\" tail");
    assert_int_equal(q.n, 2);
    assert_true(q.truncated);
    assert_int_equal(q.groups[0].alts[0].n, QUERY_MAX_PHRASE);
    assert_string_equal(q.groups[0].text, "w1 w2 w3 w4 w5 w6 w7 w8");
    assert_string_equal(q.groups[1].text, "tail");
}

/* Text beyond QUERY_MAX_BYTES is not read; a cut that would fall inside
 * a character falls before it. */
static void test_byte_bound(void **state)
{
    (void)state;
    char s[QUERY_MAX_BYTES + 64];
    size_t n = QUERY_MAX_BYTES - 5;
    memset(s, ' ', n);
    /* ب (2 bytes) at n, n+2, n+4: the last one straddles the bound */
    for (int i = 0; i < 8; i++) {
        memcpy(s + n, "ب", 2);
        n += 2;
    }
    query_t q;
    assert_int_equal(query_parse(A, s, n, &q), 0);
    assert_true(q.truncated);
    assert_int_equal(q.n, 1);
    assert_string_equal(q.groups[0].text, "بب");
    /* exactly the bound: nothing dropped */
    assert_int_equal(query_parse(A, s, QUERY_MAX_BYTES - 1, &q), 0);
    assert_false(q.truncated);
    assert_string_equal(q.groups[0].text, "بب");
    /* a 2,000-character query */
    char lng[4001];
    for (int i = 0; i < 2000; i++)
        memcpy(lng + 2 * i, i % 5 == 4 ? "  " : "س", 2);
    lng[4000] = '\0';
    q = parse(lng);
    assert_true(q.truncated);
    assert_true(q.n >= 1);
    const char *c = query_canonical(A, &q);
    assert_true(text_valid_utf8(c, strlen(c)));
}

/* FTS5's and tsquery's syntax is not syntax here: words only. */
static void test_backend_syntax(void **state)
{
    (void)state;
    query_t q = parse("روسيا* AND (أوكرانيا OR -فيلق) ^col:x & y | !z <-> NEAR");
    assert_string_equal(query_canonical(A, &q), "روسيا AND أوكرانيا OR فيلق col x y z NEAR");
    for (size_t g = 0; g < q.n; g++)
        for (size_t k = 0; k < q.groups[g].nalts; k++)
            for (size_t i = 0; i < q.groups[g].alts[k].n; i++)
                assert_null(strpbrk(q.groups[g].alts[k].terms[i], "*()^:&|!<>-\"' "));
    assert_string_equal(canonical("'; DROP TABLE articles; --"), "DROP TABLE articles");
}

static void test_refused_and_empty(void **state)
{
    (void)state;
    query_t q;
    static const char *const bad[] = { "روسيا \xff", "\xc0\xaf", "\xed\xa0\x80", "ب\xd8" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(query_parse(A, bad[i], strlen(bad[i]), &q), NS_EINVAL);
    /* punctuation, spaces and marks alone: no group, no error */
    static const char *const none[] = { "", "؟!... «» ، ؛ - * ()", "   \t\n", "\u064e\u0651" };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        assert_int_equal(query_parse(A, none[i], strlen(none[i]), &q), 0);
        assert_int_equal(q.n, 0);
        assert_string_equal(query_canonical(A, &q), "");
    }
    assert_int_equal(query_parse(A, NULL, 0, &q), 0);
    assert_int_equal(q.n, 0);
}

/* The canonical text searches what the query searches: parsing it again
 * gives it back. */
static void test_canonical_stable(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "الجنودُ الروس", "فيلق “حرية روسيا” NLAW", "«مهرجان كان» كان", "\"a b\" \"a b\" a b",
        "\"unbalanced phrase", "x \"\" y «»", "عـــاجل ١٣٤٥٠٠ ۲۰۲۴", "Covid-19 OPEC+",
        "\"وَزارة الصِّحة\" لِلاعبين", "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *c = canonical(texts[i]);
        assert_string_equal(canonical(c), c);
    }
    /* the reader's spelling is kept (the page shows it); the words are
     * compared normalised */
    assert_string_equal(canonical("  عـــاجل، ١٣٤٥٠٠؟ ۲۰۲۴ "), "عـــاجل ١٣٤٥٠٠ ۲۰۲۴");
    assert_string_equal(parse("عـــاجل ١٣٤٥٠٠ ۲۰۲۴").groups[1].text, "134500");
    assert_string_equal(canonical("ﷺ ⑴"), "ﷺ ⑴");
    /* a text past QUERY_MAX_BYTES: the canonical text stays within it, so
     * that it is read again whole */
    char s[1024] = "";
    for (int i = 0; strlen(s) < 900; i++)
        snprintf(s + strlen(s), sizeof s - strlen(s), "ﷺﷺﷺﷺ%d ", i);
    query_t q = parse(s);
    assert_true(q.truncated);
    const char *c = query_canonical(A, &q);
    assert_true(strlen(c) <= QUERY_MAX_BYTES);
    assert_string_equal(canonical(c), c);
    assert_string_equal(canonical("“حرية روسيا”"), "\"حرية روسيا\"");
    assert_string_equal(canonical("\"حريّة روسيا\""), "\"حريّة روسيا\"");
}

static bool has(const query_t *q, const char *term)
{
    return query_has_term(q, term, strlen(term));
}

static void test_has_term(void **state)
{
    (void)state;
    query_t q = parse("الجنود \"حرية روسيا\" وزارة");
    assert_true(has(&q, "جنود"));     /* a word's stem */
    assert_true(has(&q, "الجنود"));   /* its surface form */
    assert_true(has(&q, "حر"));       /* a phrase word's stem */
    assert_true(has(&q, "حريه"));     /* and surface form */
    assert_true(has(&q, "روسيا"));
    assert_true(has(&q, "وزار"));     /* another reading of a word */
    assert_false(has(&q, "روس"));     /* a phrase word has no other reading */
    assert_false(has(&q, "جنو"));
    assert_false(has(&q, ""));
    assert_true(query_has_term(&q, "جنودXYZ", strlen("جنود")));  /* by length, not NUL */
    query_t empty = parse("!!");
    assert_false(has(&empty, "جنود"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_quote_edge_cases),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_byte_bound),
        cmocka_unit_test(test_backend_syntax),
        cmocka_unit_test(test_refused_and_empty),
        cmocka_unit_test(test_canonical_stable),
        cmocka_unit_test(test_has_term),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
