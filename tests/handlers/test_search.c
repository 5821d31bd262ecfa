/*
 * test_search.c - what a search shows besides the store's answer: the
 * snippets (window, escaping, marks, cuts) and the words a suggestion is
 * chosen among; and search_run's answers for queries with nothing to
 * search or that are not UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/text.h"
#include "core/buf.h"
#include "handlers/search.h"
#include "search/arabic.h"

static const query_t *parse(arena_t *a, const char *s)
{
    query_t *q = arena_alloc(a, sizeof *q);
    assert_int_equal(query_parse(a, s, strlen(s), q), 0);
    return q;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Every spelling of a word is marked as typed in the text, and only the
 * words of the query. */
static void test_snippet_marks_spellings(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    const char *text = "أعلنت الحكومةُ اليوم خطة جديدة. وقال وزير إن حكومته ستنفذها.";
    const char *s = search_snippet(a, parse(a, "حكومة"), text, 200);
    assert_non_null(strstr(s, "<mark>الحكومةُ</mark>"));
    assert_int_equal(count(s, "<mark>"), 1 + (strstr(s, "<mark>حكومته</mark>") != NULL));
    assert_null(strstr(s, "<mark>اليوم"));
    assert_null(strstr(s, "…")); /* the whole text fits */
    arena_free(a);
}

/* The text is escaped; the marks are the only markup. */
static void test_snippet_escapes(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    const char *text = "<script>alert(1)</script> & \"النفط\" <b>OPEC</b>";
    const char *s = search_snippet(a, parse(a, "opec النفط"), text, 200);
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<b>"));
    assert_non_null(strstr(s, "&lt;/script&gt;"));
    assert_non_null(strstr(s, "&amp;"));
    assert_non_null(strstr(s, "<mark>OPEC</mark>"));
    assert_non_null(strstr(s, "<mark>النفط</mark>"));
    arena_free(a);
}

/* A long text: the window holding most of the query's words is shown, cut
 * with «…» on both sides, at most about max characters long. */
static void test_snippet_window(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    buf_t b;
    buf_init(&b, a);
    for (int i = 0; i < 60; i++)
        buf_puts(&b, "كلام عام لا يعني شيئا. ");
    buf_puts(&b, "النفط وحده هنا. ");
    for (int i = 0; i < 30; i++)
        buf_puts(&b, "كلام عام لا يعني شيئا. ");
    buf_puts(&b, "ارتفعت أسعار النفط بعد قرار أوبك خفض الإنتاج. ");
    for (int i = 0; i < 60; i++)
        buf_puts(&b, "كلام عام لا يعني شيئا. ");
    const char *text = buf_cstr(&b);
    const char *s = search_snippet(a, parse(a, "النفط أوبك"), text, 120);
    assert_non_null(strstr(s, "<mark>النفط</mark> بعد قرار <mark>أوبك</mark>"));
    assert_true(strncmp(s, "… ", strlen("… ")) == 0);
    assert_true(strlen(s) > 4 && strcmp(s + strlen(s) - strlen(" …"), " …") == 0);
    assert_null(strstr(s, "وحده"));
    /* the words shown fit in max characters (marks and «…» aside) */
    size_t chars = text_char_count(s, strlen(s)) - count(s, "<mark>") * 6 - count(s, "</mark>") * 7;
    assert_true(chars <= 120 + 4);
    arena_free(a);
}

/* Nothing matches: the start of the text. No text: "". */
static void test_snippet_no_match(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    const char *s = search_snippet(a, parse(a, "زلزال"), "أول الكلام ثم ما بعده من كلام كثير", 12);
    assert_true(strncmp(s, "أول الكلام", strlen("أول الكلام")) == 0);
    assert_null(strstr(s, "<mark>"));
    assert_non_null(strstr(s, " …"));
    assert_string_equal(search_snippet(a, parse(a, "زلزال"), NULL, 100), "");
    assert_string_equal(search_snippet(a, parse(a, "زلزال"), "؟!", 100), "");
    arena_free(a);
}

static bool has(const char *const *v, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], w) == 0)
            return true;
    return false;
}

/* Each of the NULL-terminated words in v[0..n) or not, as `in` says. */
static void assert_has_all(const char *const *v, size_t n, const char *const *words, bool in)
{
    for (; *words; words++)
        if (has(v, n, *words) != in)
            fail_msg("%s %s the edits", *words, in ? "missing from" : "among");
}

/* Every kind of edit of an Arabic word, over the letters normalisation
 * leaves: not the letters it removes (أ ة ى). */
static void test_edits_arabic(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    const char *const *v;
    size_t n = search_edits(a, "حكومه", 2000, &v);
    /* 5 deletions, 4 transpositions, 5 × 30 substitutions, 6 × 31 insertions */
    assert_int_equal(n, 5 + 4 + 5 * 30 + 6 * 31);
    /* a deletion, a transposition, a substitution, insertions */
    static const char *const in[] = {"حكمه", "حوكمه", "حكومي", "حكوميه", "ءحكومه", NULL};
    /* letters normalisation removes, two edits, never the word itself */
    static const char *const out[] = {"حكومة", "الحكومه", "حكومه", NULL};
    assert_has_all(v, n, in, true);
    assert_has_all(v, n, out, false);
    for (size_t i = 0; i < n; i++) {
        assert_true(text_wellformed_utf8(v[i], strlen(v[i])));
        assert_null(strstr(v[i], "أ"));
        assert_null(strstr(v[i], "ى"));
    }
    arena_free(a);
}

/* A Latin word is edited over a-z and 0-9; a bound is kept; numbers,
 * single letters and words past AR_WORD_MAX get none. */
static void test_edits_latin_and_bounds(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    const char *const *v;
    size_t n = search_edits(a, "opec", 2000, &v);
    assert_int_equal(n, 4 + 3 + 4 * 35 + 5 * 36);
    static const char *const in[] = {"opek", "poec", "opecs", "ope", "0pec", NULL};
    static const char *const out[] = {"OPEC", "opec", "opéc", NULL};
    assert_has_all(v, n, in, true);
    assert_has_all(v, n, out, false);
    assert_int_equal(search_edits(a, "opec", 10, &v), 10);
    assert_true(has(v, 10, "pec"));    /* deletions come first */
    assert_int_equal(search_edits(a, "2024", 2000, &v), 0);
    assert_int_equal(search_edits(a, "ب", 2000, &v), 0);
    buf_t b;
    buf_init(&b, a);
    for (int i = 0; i < AR_WORD_MAX + 1; i++)
        buf_puts(&b, "ب");
    assert_int_equal(search_edits(a, buf_cstr(&b), 2000, &v), 0);
    arena_free(a);
}

/* Nothing to search: an empty outcome, no store query. Not UTF-8: EINVAL. */
static void test_run_empty_and_invalid(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    store_t *s;
    assert_int_equal(store_open(":memory:", STORE_CREATE, &s), 0);
    search_outcome out;
    const char *punct = "  ؟!! *\"():^ & | ! <-> ";
    assert_int_equal(search_run(s, a, punct, strlen(punct), 0, 1, &out), 0);
    assert_int_equal(out.query.n, 0);
    assert_string_equal(out.canonical, "");
    assert_int_equal(out.found.total, 0);
    assert_null(out.suggestion);
    assert_int_equal(search_run(s, a, "\xff\xfe", 2, 0, 1, &out), NS_EINVAL);
    const char *words = "  الحكومةُ   NEAR(\"نفط\" OR x*) ";
    assert_int_equal(search_run(s, a, words, strlen(words), 0, 1, &out), 0);
    assert_string_equal(out.canonical, "الحكومةُ NEAR نفط OR x");
    store_close(s);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snippet_marks_spellings),
        cmocka_unit_test(test_snippet_escapes),
        cmocka_unit_test(test_snippet_window),
        cmocka_unit_test(test_snippet_no_match),
        cmocka_unit_test(test_edits_arabic),
        cmocka_unit_test(test_edits_latin_and_bounds),
        cmocka_unit_test(test_run_empty_and_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
