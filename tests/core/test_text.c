/*
 * test_text.c - UTF-8 validation, URL path decoding, Arabic slugs, excerpts,
 * tag stripping, which links and XML characters pass. The decoding tests
 * are the security boundary for every path the server receives; the slug
 * tests pin down the URL shape of Arabic headlines, which must not change
 * once articles are published.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libxml/chvalid.h>
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

/* fn accepts every string of good and none of bad (both NULL-terminated),
 * nor NULL. */
static void assert_verdicts(bool (*fn)(const char *), const char *const *good, const char *const *bad)
{
    for (int i = 0; good[i]; i++)
        if (!fn(good[i]))
            fail_msg("refused: \"%s\"", good[i]);
    for (int i = 0; bad[i]; i++)
        if (fn(bad[i]))
            fail_msg("accepted: \"%s\"", bad[i]);
    assert_false(fn(NULL));
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
    assert_verdicts(text_url_is_safe_link, good, bad);
}

/* Absolute http(s) URLs with a host: links to other sites (follow links,
 * commenters' sites, videos, redirect targets, --base-url). */
static void test_url_is_http(void **state)
{
    (void)state;
    static const char *const good[] = {
        "http://ok", "https://ok", "HTTP://OK/", "hTTpS://ok/a", "https://ok.example:8443/a/b?w=1#top",
        "https://user@ok/x", "http://127.0.0.1:8080", "https://[::1]/x", "https://ok/a//b",
        "https://مثال.example/خبر/", NULL,
    };
    static const char *const bad[] = {
        "", "http", "https", "http:", "https:", "http:/", "https:/ok", "http://", "https://",
        "http:ok", "https:ok/x", "http:///ok", "https:///ok", "https://?q", "https://#f",
        "javascript:alert(1)", "JavaScript://ok/%0Aalert(1)", "data:text/html,x", "ftp://ok/x",
        "mailto:a@ok", "//ok/x", "/x", "x", "ok/x", "httpx://ok", "http//ok", "http:\\ok",
        " https://ok", "https://ok ", "https://o k", "\thttps://ok", "https://ok\t",
        "https://ok/\r\nSet-Cookie: a=b", "https://ok/\x01", "https://ok/\x1f", "https://ok/\x7f",
        "https://ok\\@evil/", "https://ok/\xff", "https://ok/\xc0\xaf", "https://ok/\xed\xa0\x80",
        "https://ok/\xf4\x90\x80\x80", "https://ok/\xd8", NULL,
    };
    static const char *const none[] = {NULL};
    assert_verdicts(text_url_is_http, good, bad);
    assert_verdicts(text_url_is_safe_link, good, none); /* a page may always link to them */
}

/* XML 1.0's Char production, checked against libxml2's own table for
 * every code point and past both ends. */
static void test_xml_char(void **state)
{
    (void)state;
    for (int32_t cp = 0; cp <= 0x110001; cp++)
        if (text_xml_char(cp) != (bool)xmlIsCharQ((unsigned)cp))
            fail_msg("U+%04X: %d", (unsigned)cp, text_xml_char(cp));
    static const int32_t yes[] = {0x9, 0xA, 0xD, 0x20, 0x7F, 0x85, 0xD7FF, 0xE000, 0xFFFD, 0x10000, 0x10FFFF};
    static const int32_t no[] = {-1, INT32_MIN, 0x0, 0x1, 0x8, 0xB, 0xC, 0x1F, 0xD800, 0xDBFF, 0xDC00,
                                 0xDFFF, 0xFFFE, 0xFFFF, 0x110000, INT32_MAX};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_true(text_xml_char(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_false(text_xml_char(no[i]));
}

/* Well-formed but not necessarily clean: what Markdown input must be. */
static void test_wellformed_utf8(void **state)
{
    (void)state;
    assert_true(text_wellformed_utf8(LIT("")));
    assert_true(text_wellformed_utf8(LIT("نص \t\r\n 😀 € \xEF\xBF\xBE")));
    assert_true(text_wellformed_utf8(LIT("a\0b")));     /* NUL and controls are allowed */
    assert_true(text_wellformed_utf8(LIT("\x01\x1b[31m\x7f")));
    assert_true(text_wellformed_utf8(LIT("\xC2\x80\xC2\x9F"))); /* C1 controls */
    assert_true(text_wellformed_utf8(LIT("\xF4\x8F\xBF\xBF"))); /* U+10FFFF */
    assert_false(text_wellformed_utf8(LIT("\xC0\x80")));         /* overlong NUL */
    assert_false(text_wellformed_utf8(LIT("\xE0\x80\xAF")));     /* overlong '/' */
    assert_false(text_wellformed_utf8(LIT("\xED\xA0\x80")));     /* high surrogate */
    assert_false(text_wellformed_utf8(LIT("\xED\xBF\xBF")));     /* low surrogate */
    assert_false(text_wellformed_utf8(LIT("\xF4\x90\x80\x80"))); /* > U+10FFFF */
    assert_false(text_wellformed_utf8(LIT("ok\xE2\x82")));        /* cut at the end */
    assert_false(text_wellformed_utf8(LIT("\x80")));
    assert_false(text_wellformed_utf8(LIT("\xFE\xFF")));
    assert_true(text_wellformed_utf8("ab\xFF", 2)); /* nothing past n is read */
    /* Without controls, the two tests agree. */
    static const char *const same[] = {"سلام", "a\xC0", "\xE2\x82\xAC", "\xED\xA0\x80", "\xF0\x9F\x98", NULL};
    for (int i = 0; same[i]; i++)
        assert_int_equal(text_wellformed_utf8(same[i], strlen(same[i])), text_valid_utf8(same[i], strlen(same[i])));
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

static void test_parse_id(void **state)
{
    (void)state;
    int64_t id = 0;
    assert_true(text_parse_id("1", &id) && id == 1);
    assert_true(text_parse_id("9007199254740993", &id) && id == 9007199254740993LL);
    static const char *const bad[] = {"", "0", "-3", "12x", "x", "1.5", "1 "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(text_parse_id(bad[i], &id));
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
        cmocka_unit_test(test_url_is_http),
        cmocka_unit_test(test_xml_char),
        cmocka_unit_test(test_wellformed_utf8),
        cmocka_unit_test(test_parse_id),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
