/*
 * test_moderation.c - the moderation policy: the mode setting, and the
 * blocklist matched the way readers really spell words: with or without
 * harakat and tatweel, any alef form, ى or ي, ة or ه, any case, with the
 * prefixes an Arabic word takes; and what it must not do: match unrelated
 * words, take one letter as an entry, or trip on bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "handlers/moderation.h"
#include "test_util.h"

#define A test_util_arena

/* Blocked by the text alone. */
static bool text_blocked(const char *blocklist, const char *text)
{
    return moderation_blocked(A, blocklist, text, NULL, NULL);
}

static void test_mode_parse(void **state)
{
    (void)state;
    assert_int_equal(moderation_mode_parse("all"), MODERATION_ALL);
    assert_int_equal(moderation_mode_parse("new"), MODERATION_NEW);
    assert_int_equal(moderation_mode_parse("none"), MODERATION_NONE);
    assert_int_equal(moderation_mode_parse(" ALL\n"), MODERATION_ALL);
    assert_int_equal(moderation_mode_parse("None"), MODERATION_NONE);
    assert_int_equal(moderation_mode_parse(NULL), MODERATION_NEW);
    assert_int_equal(moderation_mode_parse(""), MODERATION_NEW);
    assert_int_equal(moderation_mode_parse("al"), MODERATION_NEW);
    assert_int_equal(moderation_mode_parse("allx"), MODERATION_NEW);
    assert_int_equal(moderation_mode_parse("none please"), MODERATION_NEW);
    assert_int_equal(moderation_mode_parse("الكل"), MODERATION_NEW);
}

static void test_arabic_variants(void **state)
{
    (void)state;
    /* harakat, tatweel and a prefix */
    assert_true(text_blocked("قمار", "موقع القِمَار الأفضل"));
    assert_true(text_blocked("قمار", "القـمار"));
    assert_true(text_blocked("قمار", "قمـــار"));
    assert_true(text_blocked("قِمار", "وبالقمار"));                 /* the entry vocalised */
    /* alef forms, either side */
    assert_true(text_blocked("إعلان", "اعلان مجاني"));
    assert_true(text_blocked("إعلان", "أعلان"));
    assert_true(text_blocked("اعلان", "الإعلانات"));
    /* teh marbuta and alef maksura */
    assert_true(text_blocked("مباراة", "شاهد المباراه الآن"));
    assert_true(text_blocked("مباراه", "المباراة"));
    assert_true(text_blocked("فتى", "فتي"));
    assert_true(text_blocked("فتي", "الفتى"));
    /* digits in any script */
    assert_true(text_blocked("0100", "اتصل ٠١٠٠"));
    /* a phrase, however it is spaced or broken */
    assert_true(text_blocked("ربح سريع", "ربح   سريع"));
    assert_true(text_blocked("ربح سريع", "ربح\nسريع"));
    /* a zero-width space cannot split a word past the list */
    assert_true(text_blocked("قمار", "ق\u200Bمار"));
}

static void test_latin_case(void **state)
{
    (void)state;
    assert_true(text_blocked("Casino", "best CASINO online"));
    assert_true(text_blocked("Casino", "casino"));
    assert_true(text_blocked("CASINO", "Casinos"));
    assert_true(text_blocked("viagra", "ＶＩＡＧＲＡ"));                 /* full-width forms */
}

static void test_no_false_match(void **state)
{
    (void)state;
    assert_false(text_blocked("قمار", "قرأت المقال باهتمام"));
    assert_false(text_blocked("إعلان", "أعلن الوزير عن الخطة"));      /* a shorter word */
    assert_false(text_blocked("Casino", "a casual remark"));
    assert_false(text_blocked("ربح سريع", "ربح كبير وسريع"));
    /* empty and one-letter entries would hold everything: ignored */
    assert_false(text_blocked("و", "والله"));
    assert_false(text_blocked("a\n\u064e\n \n,,\u0640", "a banana"));
    assert_false(text_blocked("\u0640ـa\u064e", "a banana"));         /* tatweel, haraka: one letter */
}

static void test_list_separators(void **state)
{
    (void)state;
    static const char *const lists[] = {
        "casino,قمار,poker", "casino\nقمار\npoker", "casino\r\nقمار\r\npoker",
        "casino، قمار، poker", " casino ,\n\n  قمار  ,, poker\n",
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        assert_true(text_blocked(lists[i], "قمار"));
        assert_true(text_blocked(lists[i], "CASINO"));
        assert_true(text_blocked(lists[i], "video poker"));
        assert_false(text_blocked(lists[i], "casin قما poke"));
    }
}

static void test_fields(void **state)
{
    (void)state;
    const char *list = "spam-shop, قمار";
    assert_true(moderation_blocked(A, list, "تعليق عادي", "SPAM-SHOP", NULL));
    assert_true(moderation_blocked(A, list, "تعليق عادي", "أحمد", "me@spam-shop.com"));
    assert_true(moderation_blocked(A, list, NULL, "ملك القمار", NULL));
    assert_false(moderation_blocked(A, list, "تعليق عادي", "أحمد", "ahmed@example.com"));
    assert_false(moderation_blocked(A, list, NULL, NULL, NULL));
    /* no list, an empty one */
    assert_false(moderation_blocked(A, NULL, "قمار", "قمار", "قمار"));
    assert_false(moderation_blocked(A, "", "قمار", "قمار", "قمار"));
    assert_false(moderation_blocked(A, " \n , ،\n", "قمار", "قمار", "قمار"));
}

static void test_bad_utf8(void **state)
{
    (void)state;
    /* a field that is not UTF-8 matches nothing; the others still do */
    assert_false(moderation_blocked(A, "casino", "casino \xff", NULL, NULL));
    assert_true(moderation_blocked(A, "casino", "casino \xff", "casino", NULL));
    assert_false(moderation_blocked(A, "casino", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80"));
    /* a bad entry is skipped, the good ones kept */
    assert_true(moderation_blocked(A, "bad\xff\ncasino", "casino", NULL, NULL));
    assert_false(moderation_blocked(A, "bad\xff", "bad\xff", NULL, NULL));
    /* an Arabic comma cut in half is not a separator */
    assert_false(moderation_blocked(A, "casino\xd8", "casino", NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode_parse),
        cmocka_unit_test(test_arabic_variants),
        cmocka_unit_test(test_latin_case),
        cmocka_unit_test(test_no_false_match),
        cmocka_unit_test(test_list_separators),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_bad_utf8),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
