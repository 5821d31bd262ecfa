/*
 * test_text.c - UTF-8 validation, URL path decoding, Arabic slugs, excerpts
 * and tag stripping. The decoding tests are the security boundary for every
 * path the server receives; the slug tests pin down the URL shape of Arabic
 * headlines, which must not change once articles are published.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <utf8proc.h>

#include "core/err.h"
#include "core/text.h"
#include "test_util.h"

#define LIT(s) s, sizeof(s) - 1

#define A test_util_arena /* the group's scratch arena */

static void test_valid_utf8(void **state)
{
    (void)state;
    assert_true(text_valid_utf8(LIT("المئات من الجنود\t\r\n 😀 €")));
    assert_true(text_valid_utf8(LIT("")));
    assert_false(text_valid_utf8(LIT("a\0b")));
    assert_false(text_valid_utf8(LIT("a\x01")));
    assert_false(text_valid_utf8(LIT("\x1b[31m")));
    assert_false(text_valid_utf8(LIT("\xC0\x80")));          /* overlong NUL */
    assert_false(text_valid_utf8(LIT("\xC1\xBF")));          /* overlong */
    assert_false(text_valid_utf8(LIT("\xE0\x80\xAF")));      /* overlong '/' */
    assert_false(text_valid_utf8(LIT("\xF0\x80\x80\xAF")));  /* overlong '/' */
    assert_false(text_valid_utf8(LIT("\xED\xA0\x80")));      /* surrogate */
    assert_false(text_valid_utf8(LIT("\xF4\x90\x80\x80")));  /* > U+10FFFF */
    assert_false(text_valid_utf8(LIT("\xD8")));              /* truncated */
    assert_false(text_valid_utf8(LIT("\x80")));              /* lone continuation */
    assert_false(text_valid_utf8(LIT("\xFE\xFF")));
    /* Length is respected: the invalid byte after n is not looked at. */
    assert_true(text_valid_utf8("ab\xFF", 2));
}

static void assert_decodes(const char *in, const char *expect)
{
    char *out = NULL;
    assert_int_equal(text_url_decode(A, in, strlen(in), &out), NS_OK);
    assert_string_equal(out, expect);
}

static void assert_rejects(const char *in)
{
    char *out = NULL;
    assert_int_equal(text_url_decode(A, in, strlen(in), &out), NS_EINVAL);
    assert_null(out);
}

static void test_url_decode(void **state)
{
    (void)state;
    assert_decodes("/%d8%a7%d9%84%d8%ad%d8%b1%d8%a8/", "/الحرب/");
    assert_decodes("/%D8%A7%D9%84%D8%AD%D8%B1%D8%A8/", "/الحرب/");
    assert_decodes("/%D8%a7/", "/ا/");
    assert_decodes("/a+b%20c/", "/a+b c/");
    assert_decodes("/سوريا/", "/سوريا/");
    assert_decodes("", "");
    assert_decodes("%25", "%");
    assert_rejects("/a%00b");
    assert_rejects("/%zz");
    assert_rejects("/%g0");
    assert_rejects("/%4");
    assert_rejects("/%");
    assert_rejects("/%d8");             /* truncated UTF-8 sequence */
    assert_rejects("/%c0%af");          /* overlong '/' */
    assert_rejects("/%e0%80%af");
    assert_rejects("/%ed%a0%80");       /* surrogate */
    assert_rejects("/%ff");
    assert_rejects("/%0a");             /* control characters */
    assert_rejects("/\xd8");            /* raw invalid bytes too */
    /* Length is respected: an escape cut by n is truncated. */
    char *out;
    assert_int_equal(text_url_decode(A, "%41%42", 4, &out), NS_EINVAL);
    assert_int_equal(text_url_decode(A, "%41%42", 5, &out), NS_EINVAL);
    assert_int_equal(text_url_decode(A, "%41%42", 3, &out), NS_OK);
    assert_string_equal(out, "A");
}

static void assert_slug(const char *in, size_t max, const char *expect)
{
    assert_string_equal(text_slugify(A, in, max), expect);
}

static void test_slugify_arabic(void **state)
{
    (void)state;
    assert_slug("المئات من الجنود الروس", 200, "المئات-من-الجنود-الروس");
    assert_slug("«المئات من الجنود الروس»", 200, "المئات-من-الجنود-الروس");
    assert_slug("مُحَمَّدٌ رَسُولُ", 200, "محمد-رسول");          /* harakat */
    assert_slug("هٰذا", 200, "هذا");                              /* U+0670 */
    assert_slug("عـــربي جـديد", 200, "عربي-جديد");               /* tatweel */
    assert_slug("هل، ماذا؟ نعم؛ لا", 200, "هل-ماذا-نعم-لا");
    assert_slug("“اقتباس” (نص) «آخر»", 200, "اقتباس-نص-آخر");
    assert_slug("عام ٢٠٢٢ و2023", 200, "عام-٢٠٢٢-و2023");
    assert_slug("۱۴۰۱ پژوهش", 200, "۱۴۰۱-پژوهش");                 /* Persian */
    assert_slug("  -- حرب --  ", 200, "حرب");
    assert_slug("أ\u200fب", 200, "أب");                           /* RLM dropped */
}

static void test_slugify_latin_and_limits(void **state)
{
    (void)state;
    assert_slug("Hello, World 2022!", 200, "hello-world-2022");
    assert_slug("COVID-19 في سوريا", 200, "covid-19-في-سوريا");
    assert_slug("Cafe\xCC\x81 Ünïcode", 200, "café-ünïcode");     /* NFC first */
    assert_slug("Привет мир", 200, "");                          /* not kept */
    assert_slug("!!! ... ؟؟", 200, "");
    assert_slug("", 200, "");
    assert_slug(NULL, 200, "");
    assert_slug("a\xFF" "b", 200, "a-b");                         /* invalid byte */
    assert_slug("ابجد", 5, "اب");                                 /* 2-byte letters */
    assert_slug("ab cd", 3, "ab");                                /* no trailing '-' */
    assert_slug("ab cd", 4, "ab-c");
    assert_slug("ab", 0, "");
}

static void test_excerpt(void **state)
{
    (void)state;
    assert_string_equal(text_excerpt(A, "نص قصير", 50), "نص قصير");
    assert_string_equal(text_excerpt(A, "  a \n\t b  ", 50), "a b");
    assert_string_equal(text_excerpt(A, NULL, 10), "");
    /* Cut at the last word boundary within the limit. */
    const char *s = "قالت وزارة الدفاع إن المئات من الجنود الروس قتلوا";
    char *e = text_excerpt(A, s, 20);
    assert_string_equal(e, "قالت وزارة الدفاع إن…");
    assert_true(text_char_count(e, strlen(e)) <= 21);
    /* No space in the last 20 characters: hard cut on a code point. */
    char *hard = text_excerpt(A, "كلمةطويلةجداجداجداجداجداجداجدا وبعد", 25);
    assert_int_equal(text_char_count(hard, strlen(hard)), 26);
    assert_true(text_valid_utf8(hard, strlen(hard)));
    assert_string_equal(hard + strlen(hard) - 3, "…");
    /* Invalid bytes do not survive into the excerpt. */
    char *bad = text_excerpt(A, "ab\xFF" "cd", 10);
    assert_string_equal(bad, "ab\xEF\xBF\xBD" "cd");
}

static void test_strip_tags(void **state)
{
    (void)state;
    assert_string_equal(text_strip_tags(A, "<p>مرحبا &amp; أهلا</p>\n<p>ثانٍ</p>"), "مرحبا & أهلا\nثانٍ");
    assert_string_equal(text_strip_tags(A, "<p>أ</p><p>ب</p>"), "أ ب");
    assert_string_equal(text_strip_tags(A, "a <em>b</em> c"), "a b c");
    assert_string_equal(text_strip_tags(A, "&lt;script&gt; &quot;x&quot; &#39;y&#39; &amp;lt;"),
                        "<script> \"x\" 'y' &lt;");
    assert_string_equal(text_strip_tags(A, "&nbsp; stays"), "&nbsp; stays");
    assert_string_equal(text_strip_tags(A, "text <a href=\"x"), "text "); /* unclosed tag dropped */
    assert_string_equal(text_strip_tags(A, ""), "");
    assert_string_equal(text_strip_tags(A, NULL), "");
}

static void test_char_count(void **state)
{
    (void)state;
    assert_int_equal(text_char_count(LIT("سوريا")), 5);
    assert_int_equal(text_char_count(LIT("a€😀")), 3);
    assert_int_equal(text_char_count(LIT("")), 0);
    assert_int_equal(text_char_count("سوريا", 4), 2);
}

/* What may go into <img src> / og:image: http(s) URLs and site paths only. */
static void test_url_is_safe_link(void **state)
{
    (void)state;
    static const char *const good[] = {
        "http://ok/x.png", "https://ok/x.png", "/media/x.jpg", "HTTPS://ok/x.png", "Http://ok",
        "https://ok.example:8443/a/b.jpg?w=800&h=450#top", "https://user@ok/x.png",
        "/media/صور/خبر.jpg", "/", "/x?y=//z", "https://ok/a//b.png", NULL,
    };
    static const char *const bad[] = {
        "javascript:alert(1)", "JAVASCRIPT:alert(1)", "JavaScript:alert(1)",
        "data:image/svg+xml;base64,PHN2Zz4=", "vbscript:msgbox(1)", "//evil.com/x.png",
        " javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
        "\x01javascript:alert(1)", " /media/x.jpg", "/media/x.jpg ", "/media/x y.jpg",
        "/media/x.jpg\n", "/media/x\x7f.jpg", "/\\evil.com/x.png", "\\\\evil.com/x.png",
        "https://ok\\@evil.com/", "http://", "https://", "http:///evil.com/x.png",
        "https://?x", "https://#x", "http:ok/x.png", "https:/ok/x.png", "ftp://ok/x.png",
        "file:///etc/passwd", "media/x.jpg", "x.jpg", "./x.jpg", "../x.jpg", "?x", "#x",
        "/media/\xff.jpg", "/media/\xc0\xaf.jpg", "", NULL,
    };
    for (int i = 0; good[i]; i++)
        if (!text_url_is_safe_link(good[i]))
            fail_msg("refused: \"%s\"", good[i]);
    for (int i = 0; bad[i]; i++)
        if (text_url_is_safe_link(bad[i]))
            fail_msg("accepted: \"%s\"", bad[i]);
    assert_false(text_url_is_safe_link(NULL));
}

/* The inline decoding of one- and two-byte sequences agrees with utf8proc
 * on every pair of bytes. */
static void test_next_cp_matches_utf8proc(void **state)
{
    (void)state;
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) {
            unsigned char s[2] = {(unsigned char)a, (unsigned char)b};
            int32_t cp;
            size_t k = text_next_cp((const char *)s, 2, &cp);
            utf8proc_int32_t want;
            utf8proc_ssize_t wk = utf8proc_iterate(s, 2, &want);
            if (wk <= 0 ? (cp != -1 || k != 1) : (cp != want || k != (size_t)wk))
                fail_msg("%02x %02x: %d/%zu, utf8proc %d/%zd", a, b, cp, k, want, wk);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_next_cp_matches_utf8proc),
        cmocka_unit_test(test_valid_utf8),
        cmocka_unit_test(test_url_decode),
        cmocka_unit_test(test_slugify_arabic),
        cmocka_unit_test(test_slugify_latin_and_limits),
        cmocka_unit_test(test_excerpt),
        cmocka_unit_test(test_strip_tags),
        cmocka_unit_test(test_char_count),
        cmocka_unit_test(test_url_is_safe_link),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
