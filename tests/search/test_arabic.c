/*
 * test_arabic.c - the Arabic analyzer against Lucene's own test vectors
 * (tests/fixtures/arabic-*.tsv, read from the repository root): its
 * normaliser's, its light stemmer's and its analyzer's, with the two
 * places where ours deliberately differs said and checked; then what
 * readers type that Lucene does not fold (presentation forms, every
 * digit set, superscript alef), the suffixes and tanween light10 lacks,
 * the proclitic stem offered beside the first, and hostile input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "search/arabic.h"
#include "search/plurals.h"
#include "test_util.h"

#define A test_util_arena

static const char *norm(const char *s)
{
    const char *r = ar_normalize(A, s, strlen(s), NULL);
    assert_non_null(r);
    return r;
}

/* A word as ar_words would give it: text taken as already normalised. */
static const char *stem_raw(const char *s)
{
    ar_word w = { .norm = s, .len = strlen(s) };
    return ar_stem(A, &w);
}

static int collect_stems(void *arg, const ar_word *w)
{
    buf_t *b = arg;
    if (b->len)
        buf_putc(b, ' ');
    buf_puts(b, ar_stem(A, w));
    return 0;
}

static int collect_words(void *arg, const ar_word *w)
{
    buf_t *b = arg;
    if (b->len)
        buf_putc(b, ' ');
    buf_append(b, w->norm, w->len);
    return 0;
}

/* A text's words (normalised, or stemmed), space-separated. */
static const char *run_words(const char *s, int (*fn)(void *, const ar_word *))
{
    buf_t b;
    buf_init(&b, A);
    buf_puts(&b, "");
    assert_int_equal(ar_words(A, s, strlen(s), fn, &b), 0);
    return buf_cstr(&b);
}

static const char *analyze(const char *s)
{
    return run_words(s, collect_stems);
}

/* Each data row of a fixture (input TAB expected) through check(); rows
 * after the line `# analyzer` go to after instead. Returns rows seen. */
static int each_row(const char *path, void (*check)(const char *, const char *),
                    void (*after)(const char *, const char *))
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    int rows = 0;
    bool analyzer = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strcmp(line, "# analyzer") == 0)
            analyzer = true;
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        (analyzer ? after : check)(line, tab + 1);
        rows++;
    }
    fclose(f);
    return rows;
}

static void check_norm(const char *in, const char *want)
{
    assert_string_equal(norm(in), want);
}

static void check_stem(const char *in, const char *want)
{
    assert_string_equal(stem_raw(in), want);
}

/* Two deliberate differences from Lucene's analyzer, both in its rows
 * «ما ملكت أيمانكم» and «الذين ملكت أيمانكم»:
 * - Lucene drops stop words (ما, الذين) before stemming; nashra keeps
 *   every word: a reader searching «ما بعد الحرب» means those words,
 *   ranking weighs frequent words down better than a fixed list, and a
 *   dropped word cannot be found in a phrase. Ours has the stop word's
 *   stem first.
 * - light10 has no pronoun suffixes, so Lucene keeps أيمانكم («your
 *   oaths») whole, where ours takes كم off and then, like Lucene for
 *   أيمان itself, ان: the same stem as the word without its pronoun, which
 *   is what lets a search for one find the other. */
static void check_analyzer(const char *in, const char *want)
{
    const char *got = analyze(in);
    if (strcmp(want, "ملكت ايمانكم") == 0) {
        assert_string_equal(stem_raw("ايمان"), "ايم"); /* Lucene's stem of the bare word */
        want = strncmp(in, "ما ", 5) == 0 ? "ما ملكت ايم" : "ذين ملكت ايم";
    }
    assert_string_equal(got, want);
}

static void test_lucene_normalisation(void **state)
{
    (void)state;
    assert_int_equal(each_row("tests/fixtures/arabic-normalization.tsv", check_norm, NULL), 14);
}

static void test_lucene_stemming_and_analysis(void **state)
{
    (void)state;
    assert_int_equal(each_row("tests/fixtures/arabic-stem-lucene.tsv", check_stem, check_analyzer),
                     33);
}

/* What readers type beyond Lucene's normaliser. */
static void test_beyond_lucene(void **state)
{
    (void)state;
    assert_string_equal(norm("ﺍﻟﺴﻼﻡ"), "السلام");            /* presentation forms */
    assert_string_equal(norm("ﻻ"), "لا");                    /* lam-alef ligature */
    assert_string_equal(norm("٣٤٥ ۴۵۶ १२ ０"), "345 456 12 0"); /* every digit set */
    assert_string_equal(norm("رحمٰن"), "رحمن");               /* superscript alef */
    assert_string_equal(norm("ٱلله"), "الله");                /* alef wasla */
    assert_string_equal(norm("NLAW OPEC Ελλάδα"), "nlaw opec ελλάδα");
    assert_string_equal(norm("عـــاجل"), "عاجل");
    /* hamza's seat follows the vowel: one spelling for every case */
    assert_string_equal(norm("أبناؤهم أبنائهم أبناءهم"), "ابناءهم ابناءهم ابناءهم");
    assert_string_equal(norm("مسؤول مسئول"), "مسءول مسءول");
    assert_string_equal(analyze("أبنائهن"), "ابناء");
    assert_string_equal(norm(""), "");
    static const char nul[] = "كلمة\0أخرى\nثالثة";
    size_t n;
    assert_string_equal(ar_normalize(A, nul, sizeof nul - 1, &n), "كلمه اخري ثالثه");
    assert_int_equal(n, strlen("كلمه اخري ثالثه"));
}

static void test_words_keep_marks_inside(void **state)
{
    (void)state;
    /* a vocalised word is one word, not fragments between its marks */
    assert_string_equal(run_words("مِهْرَجَانُ الشِّعْرِ", collect_words), "مهرجان الشعر");
    assert_string_equal(analyze("مِهْرَجَانُ الشِّعْرِ"), "مهرج شعر");
    assert_string_equal(run_words("«عاجل»: NLAW، OPEC؟ (شاهد)", collect_words), "عاجل nlaw opec شاهد");
    assert_string_equal(analyze("  \n\t "), "");
    char lng[8 * AR_WORD_MAX + 16] = "";
    for (int i = 0; i < AR_WORD_MAX + 10; i++)
        strcat(lng, "ب");
    strcat(lng, " تم");
    const char *got = analyze(lng);
    /* cut at AR_WORD_MAX letters, the rest of that word dropped */
    assert_int_equal(strlen(got), AR_WORD_MAX * 2 + strlen(" تم"));
}

/* The suffixes and tanween light10 lacks. */
static void test_beyond_light10(void **state)
{
    (void)state;
    assert_string_equal(analyze("ولاءهم"), "لاء");
    assert_string_equal(analyze("كتابكما"), "كتاب");
    assert_string_equal(analyze("بيتهما"), "بيت");
    assert_string_equal(analyze("قلوبكم"), "قلوب");
    assert_string_equal(analyze("كتبهن"), "كتب");
    assert_string_equal(analyze("بلادنا"), "بلاد");
    assert_string_equal(analyze("مجنّدًا"), "مجند");   /* fathatan on the dal */
    assert_string_equal(analyze("مرسوماً"), "مرسوم");  /* fathatan on the alef */
    assert_string_equal(analyze("مرسوما"), "مرسوما");  /* no tanween written: left */
}

/* A second stem of s (normalised) by fn: ar_stem_proclitic or ar_stem_endings. */
static const char *reading(const char *(*fn)(arena_t *, const ar_word *), const char *s)
{
    ar_word w = { .norm = norm(s) };
    w.len = strlen(w.norm);
    return fn(A, &w);
}

static const char *proclitic(const char *s)
{
    return reading(ar_stem_proclitic, s);
}

static const char *endings(const char *s)
{
    return reading(ar_stem_endings, s);
}

static const char *singular(const char *s)
{
    return reading(ar_stem_singular, s);
}

/* Broken plurals from a list: the singular's stem beside the plural's. */
static void test_broken_plurals(void **state)
{
    (void)state;
    assert_string_equal(singular("الجنود"), "جند");     /* as جندي */
    assert_string_equal(analyze("جندي"), "جند");
    assert_string_equal(singular("أسعارها"), "سعر");    /* suffix taken off first */
    assert_string_equal(singular("بجنود"), "جند");      /* and a proclitic */
    assert_string_equal(singular("الأسرى"), "اسير");
    assert_null(singular("جندي"));                       /* not a plural */
    assert_null(singular("كتب"));                        /* books, or wrote: left out */
    assert_null(singular("NLAW"));
}

/* Whether plural, in each of its usual forms, reads as its singular's
 * stem, and no form's own stem is that already; fails saying which. */
static void plural_reads_as(const char *plural, const char *sg)
{
    static const char *const forms[] = { "%s", "ال%s", "بال%s", "و%s" };
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        const char *word = arena_printf(A, forms[f], plural);
        const char *got = singular(word);
        if (!got || strcmp(got, sg) || !strcmp(analyze(word), sg))
            fail_msg("%s: stem %s, read as %s, not %s", word, analyze(word),
                     got ? got : "nothing", sg);
    }
}

/* A sample of the lexicon across its themes, each way: the plural is read
 * as its singular's stem, so a search for either finds the other (the
 * plural's reading colocated with it in the index, or an alternative in a
 * query), and the singular is no plural. */
static void test_plural_lexicon_sample(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        { "قروض", "قرض" }, { "ضرائب", "ضريبة" }, { "مصارف", "مصرف" },
        { "قذائف", "قذيفة" }, { "ضحايا", "ضحية" }, { "مرضى", "مريض" },
        { "أدوية", "دواء" }, { "أبطال", "بطل" }, { "كؤوس", "كأس" },
        { "نتائج", "نتيجة" }, { "مقابر", "مقبرة" }, { "حرائق", "حريق" },
        { "شؤون", "شأن" }, { "سواحل", "ساحل" }, { "فنادق", "فندق" },
        { "زلازل", "زلزال" }, { "نواب", "نائب" }, { "وثائق", "وثيقة" },
        { "وزراء", "وزير" }, { "ألغام", "لغم" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        plural_reads_as(pairs[i][0], analyze(pairs[i][1]));
        assert_null(singular(pairs[i][1]));
    }
}

/* Every entry of the lexicon reads as its singular, and is needed: the
 * stemmer alone does not give the plural its singular's stem. */
static void test_plural_lexicon_entries(void **state)
{
    (void)state;
    assert_true(ar_plural_count() >= 300);
    for (size_t i = 0; i < ar_plural_count(); i++) {
        const ar_plural *e = ar_plural_at(i);
        plural_reads_as(e->plural, analyze(e->singular));
    }
    assert_null(ar_plural_at(ar_plural_count()));
}

/* ل ب ك ف: a second stem, never instead of the first. */
static void test_proclitic_stem(void **state)
{
    (void)state;
    assert_string_equal(proclitic("لفيلق"), "فيلق");
    assert_string_equal(proclitic("باستدعاء"), "استدعاء");
    assert_string_equal(proclitic("كبيرة"), "بير");
    assert_string_equal(analyze("كبيرة"), "كبير");  /* the first stem keeps its ك */
    assert_null(proclitic("بالحسن"));                /* light10's بال went */
    assert_null(proclitic("بيت"));                   /* three letters in all */
    assert_null(proclitic("سلام"));                  /* not a proclitic */
    assert_null(proclitic("NLAW"));
}

/* Other proclitics than light10's: several at once, a و or ل that is
 * the word's own. */
static void test_proclitic_readings(void **state)
{
    (void)state;
    assert_string_equal(proclitic("وزارة"), "وزار");     /* as الوزارة */
    assert_string_equal(analyze("وزارة"), "زار");         /* light10's reading stays first */
    assert_string_equal(proclitic("وكالة"), "وكال");     /* not و ك + الة: too little left */
    assert_string_equal(proclitic("بوزارة"), "وزار");    /* no second prefix after ب */
    assert_string_equal(proclitic("وبالجيش"), "جيش");
    assert_string_equal(proclitic("للاعبين"), "لاعب");   /* ل before اللاعبين */
    assert_string_equal(proclitic("لروسيا"), "روس");     /* endings read too */
    assert_null(proclitic("والكتاب"));                    /* light10's own reading */
    assert_null(proclitic("وكيل"));                       /* the word itself */
}

/* Endings light10 leaves, read as a second stem. */
static void test_endings_readings(void **state)
{
    (void)state;
    assert_string_equal(endings("مرسوما"), "مرسوم");     /* tanween not written */
    assert_string_equal(endings("روسيا"), "روس");         /* as الروسي */
    assert_string_equal(endings("أوكرانيا"), "اوكران");   /* as الأوكرانية */
    assert_string_equal(endings("متطوعو"), "متطوع");      /* plural in construct */
    assert_string_equal(endings("حكومتهم"), "حكوم");      /* as الحكومة */
    assert_string_equal(endings("حكومته"), "حكوم");
    assert_string_equal(endings("مدينتهم"), "مدين");      /* ين stays: as مدينة */
    assert_null(endings("سياراتهم"));                     /* the plural's ت: light10's سيار */
    assert_null(endings("كتاب"));
    assert_null(endings("مترو"));                         /* too short to lose its و */
    assert_null(endings("NLAW"));
}

static int fail_on_second(void *arg, const ar_word *w)
{
    int *n = arg;
    (void)w;
    return ++*n == 2 ? NS_EEXIST : 0;
}

/* Positions of the words, in order, into an int[3] (-1: none). */
static int record_pos(void *arg, const ar_word *w)
{
    int *pos = arg;
    for (int i = 0; i < 3; i++)
        if (pos[i] < 0) {
            pos[i] = w->pos;
            break;
        }
    return 0;
}

static void test_hostile_input(void **state)
{
    (void)state;
    static const char bad[] = "كلمة \xff\xfe";
    assert_null(ar_normalize(A, bad, sizeof bad - 1, NULL));
    int n = 0;
    assert_int_equal(ar_words(A, bad, sizeof bad - 1, fail_on_second, &n), NS_EINVAL);
    assert_int_equal(n, 0);
    /* the callback's error stops the walk and comes back */
    assert_int_equal(ar_words(A, "أ ب ج د", strlen("أ ب ج د"), fail_on_second, &n), NS_EEXIST);
    assert_int_equal(n, 2);
    /* marks alone make no word, and take no position */
    assert_string_equal(analyze("\u064e\u064f\u0651"), "");
    int pos[3] = { -1, -1, -1 };
    assert_int_equal(ar_words(A, "أ \u064b ب", strlen("أ \u064b ب"), record_pos, pos), 0);
    assert_int_equal(pos[0], 0);
    assert_int_equal(pos[1], 1);
    assert_int_equal(pos[2], -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lucene_normalisation),
        cmocka_unit_test(test_lucene_stemming_and_analysis),
        cmocka_unit_test(test_beyond_lucene),
        cmocka_unit_test(test_words_keep_marks_inside),
        cmocka_unit_test(test_beyond_light10),
        cmocka_unit_test(test_proclitic_stem),
        cmocka_unit_test(test_proclitic_readings),
        cmocka_unit_test(test_endings_readings),
        cmocka_unit_test(test_broken_plurals),
        cmocka_unit_test(test_plural_lexicon_sample),
        cmocka_unit_test(test_plural_lexicon_entries),
        cmocka_unit_test(test_hostile_input),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
