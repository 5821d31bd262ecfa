/*
 * test_comment_text.c - a reader's comment as text: what cleaning keeps
 * (no controls, no bidi reordering, one spelling of line breaks, trimmed,
 * blank lines bounded), how it is measured (characters, links), which
 * addresses pass, and the HTML it is shown as: escaped, its http(s) URLs
 * linked without the sentence's punctuation and never anything else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "handlers/comment_text.h"
#include "test_util.h"

#define A test_util_arena

static const char *clean(const char *s)
{
    return comment_text_clean(A, s, true);
}

static const char *clean1(const char *s)
{
    return comment_text_clean(A, s, false);
}

static const char *html(const char *s)
{
    return comment_text_html(A, s);
}

/* The HTML of a link to url, as the comment shows it. */
#define LINK(url) "<a href=\"" url "\" rel=\"nofollow ugc noopener\">" url "</a>"

static void test_clean_drops_controls_and_bidi(void **state)
{
    (void)state;
    assert_string_equal(clean("a\x01" "b\x1b[31mc\x7f" "d"), "ab[31mcd");
    assert_string_equal(clean("x\xc2\x85y\xc2\x9fz\xc2\x80"), "xyz");          /* C1: NEL ... */
    assert_string_equal(clean("\u202Eمرحبا\u202C"), "مرحبا");                   /* RLO ... PDF */
    assert_string_equal(clean("a\u202Ab\u202Bc\u202Dd\u2066e\u2067f\u2068g\u2069"), "abcdefg");
    /* a URL that an override would show backwards */
    assert_string_equal(clean("http://evil.com/\u202Emoc.elgoog"), "http://evil.com/moc.elgoog");
    /* direction marks and joiners are how Arabic text is written: kept */
    assert_string_equal(clean("a\u200Fb\u200Cc"), "a\u200Fb\u200Cc");
    /* one line: line breaks and tabs are controls like the others */
    assert_string_equal(clean1("أحمد\n\tعلي\r"), "أحمدعلي");
    assert_string_equal(clean1("\u202Ereader@example.com"), "reader@example.com");
}

static void test_clean_line_breaks(void **state)
{
    (void)state;
    assert_string_equal(clean("a\r\nb\rc\nd"), "a\nb\nc\nd");
    assert_string_equal(clean("a\r\rb"), "a\n\nb");                            /* two lone CRs */
    assert_string_equal(clean("a\r\n\r\nb"), "a\n\nb");
    assert_string_equal(clean("a\tb"), "a b");
    assert_string_equal(clean("سطر\tأول\r\nسطر ثان"), "سطر أول\nسطر ثان");
}

static void test_clean_trims(void **state)
{
    (void)state;
    assert_string_equal(clean("  \u00A0 تعليق \u00A0 "), "تعليق");
    assert_string_equal(clean("\n\n \t\r\ntext\n\n\n"), "text");
    assert_string_equal(clean1(" \u00A0أحمد\u00A0 "), "أحمد");
    /* each line loses its trailing white space; a later line keeps its indent */
    assert_string_equal(clean("a \u00A0\n  b\t"), "a\n  b");
    /* U+00A0 inside a word stays: only the ends are trimmed */
    assert_string_equal(clean("a\u00A0b"), "a\u00A0b");
    /* white space only is empty, controls included */
    assert_string_equal(clean(" \u00A0\t\r\n\x01\u202E"), "");
    assert_string_equal(clean1(" \u00A0\x02 "), "");
    assert_string_equal(clean(""), "");
    assert_string_equal(clean(NULL), "");
    assert_string_equal(clean1(NULL), "");
}

static void test_clean_blank_lines(void **state)
{
    (void)state;
    assert_string_equal(clean("a\nb"), "a\nb");
    assert_string_equal(clean("a\n\nb"), "a\n\nb");                            /* one blank line */
    assert_string_equal(clean("a\n\n\nb"), "a\n\nb");
    assert_string_equal(clean("a\n\n\n\n\n\n\nb\n\n\n\nc"), "a\n\nb\n\nc");
    /* lines of white space are blank lines */
    assert_string_equal(clean("a\n \n\u00A0\n\t\n\r\nb"), "a\n\nb");
    assert_string_equal(clean("a\r\n\r\n\r\n\r\nb"), "a\n\nb");
}

static void test_chars(void **state)
{
    (void)state;
    assert_int_equal(comment_text_chars("abc"), 3);
    assert_int_equal(comment_text_chars("مرحبا"), 5);                          /* 10 bytes */
    assert_int_equal(comment_text_chars("قِمَار"), 6);                          /* harakat count */
    assert_int_equal(comment_text_chars("نص 😀 €"), 6);
    assert_int_equal(comment_text_chars(""), 0);
    assert_int_equal(comment_text_chars(NULL), 0);
}

static void test_links(void **state)
{
    (void)state;
    assert_int_equal(comment_text_links("no links here"), 0);
    assert_int_equal(comment_text_links("see http://a.com and HTTPS://b.org/x"), 2);
    assert_int_equal(comment_text_links("http://a.comhttp://b.com"), 1);       /* one URL */
    assert_int_equal(comment_text_links("http://a.com http://b.com https://c.com"), 3);
    assert_int_equal(comment_text_links("www.example.com"), 1);
    assert_int_equal(comment_text_links("WWW.EXAMPLE.COM and (www.b.org)"), 2);
    assert_int_equal(comment_text_links("http://www.example.com/www.x"), 1);   /* not twice */
    assert_int_equal(comment_text_links("زوروا www.موقع.com أو http://x.com"), 2);
    assert_int_equal(comment_text_links("زوروا\nwww.a.com\nhttps://b.com"), 2);
    /* www. inside a word, an address or a path is not a link of its own */
    assert_int_equal(comment_text_links("awww.b.com me@www.b.com x.www.b.com"), 0);
    assert_int_equal(comment_text_links("the www. prefix"), 0);
    assert_int_equal(comment_text_links("ftp://a.com mailto:a@b.com javascript:x"), 0);
    assert_int_equal(comment_text_links(""), 0);
    assert_int_equal(comment_text_links(NULL), 0);
}

static void test_email(void **state)
{
    (void)state;
    assert_true(comment_text_email_ok("reader@example.com"));
    assert_true(comment_text_email_ok("a.b+tag@mail.example.co"));
    assert_true(comment_text_email_ok("قارئ@مثال.مصر"));                     /* internationalised */
    static const char *const bad[] = {
        "", "reader", "@example.com", "reader@", "reader@example", "reader@.example.com",
        "reader@example.com.", "reader@example..com", "a@b@example.com", "reader@@example.com",
        "a b@example.com", "reader@exa mple.com", "reader@example.com\n", "\treader@example.com",
        "<reader@example.com>", "a\"b@example.com", "a(b)@example.com", "a,b@example.com",
        "a;b@example.com", "a:b@example.com", "reader@example.com>",
        "a\u00A0b@example.com", "a\u200Bb@example.com", "\u202Ereader@example.com",
        "\xff@example.com", "reader@exam\xc3ple.com",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(comment_text_email_ok(bad[i]));
    assert_false(comment_text_email_ok(NULL));
    /* 200 bytes at most */
    char addr[202];
    memset(addr, 'a', sizeof addr);
    memcpy(addr + 200 - strlen("@example.com"), "@example.com", strlen("@example.com") + 1);
    assert_int_equal(strlen(addr), 200);
    assert_true(comment_text_email_ok(addr));
    addr[0] = 'b';
    memmove(addr + 1, addr, 201);
    assert_int_equal(strlen(addr), 201);
    assert_false(comment_text_email_ok(addr));
}

static void test_html_paragraphs(void **state)
{
    (void)state;
    assert_string_equal(html("سطر أول"), "<p>سطر أول</p>");
    assert_string_equal(html("سطر أول\nسطر ثان\n\nفقرة"),
                        "<p>سطر أول</p>\n<p>سطر ثان</p>\n<p>فقرة</p>");
    assert_string_equal(html("\n \n\u00A0\na\n\n"), "<p>a</p>");
    assert_string_equal(html("   "), "");
    assert_string_equal(html(""), "");
    assert_string_equal(html(NULL), "");
}

static void test_html_escapes(void **state)
{
    (void)state;
    assert_string_equal(html("<script>alert(1)</script>"),
                        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    assert_string_equal(html("قال \"نعم\" & 'لا'"), "<p>قال &quot;نعم&quot; &amp; &#39;لا&#39;</p>");
    assert_string_equal(html("<img src=x onerror=alert(1)>\n<a href=\"javascript:x\">y</a>"),
                        "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"
                        "<p>&lt;a href=&quot;javascript:x&quot;&gt;y&lt;/a&gt;</p>");
    assert_string_equal(html("&lt;b&gt;"), "<p>&amp;lt;b&amp;gt;</p>");      /* entities stay text */
}

static void test_html_links(void **state)
{
    (void)state;
    assert_string_equal(html("http://a.com"), "<p>" LINK("http://a.com") "</p>");
    assert_string_equal(html("HTTPS://A.COM/X"), "<p>" LINK("HTTPS://A.COM/X") "</p>");
    assert_string_equal(html("see https://example.com/a/b?c=d#e now"),
                        "<p>see " LINK("https://example.com/a/b?c=d#e") " now</p>");
    /* the href is escaped too */
    assert_string_equal(html("http://a.com/?x=1&y=2"),
                        "<p>" LINK("http://a.com/?x=1&amp;y=2") "</p>");
    /* two on a line, one per line */
    assert_string_equal(html("http://a.com http://b.com\nhttps://c.com"),
                        "<p>" LINK("http://a.com") " " LINK("http://b.com") "</p>\n"
                        "<p>" LINK("https://c.com") "</p>");
    /* Arabic around a URL, and an Arabic path */
    assert_string_equal(html("زوروا https://example.com/مقال وشكرا"),
                        "<p>زوروا " LINK("https://example.com/مقال") " وشكرا</p>");
    assert_string_equal(html("الرابطhttp://a.com"), "<p>الرابط" LINK("http://a.com") "</p>");
}

static void test_html_link_ends(void **state)
{
    (void)state;
    /* the sentence's punctuation, Latin and Arabic, is not the URL's */
    assert_string_equal(html("See http://a.com/x."), "<p>See " LINK("http://a.com/x") ".</p>");
    assert_string_equal(html("http://a.com/x?!"), "<p>" LINK("http://a.com/x") "?!</p>");
    assert_string_equal(html("http://a.com, http://b.com: ok"),
                        "<p>" LINK("http://a.com") ", " LINK("http://b.com") ": ok</p>");
    assert_string_equal(html("هل قرأت https://a.com/مقال؟"),
                        "<p>هل قرأت " LINK("https://a.com/مقال") "؟</p>");
    assert_string_equal(html("الموقع https://a.com، والآخر http://b.com؛ انتهى"),
                        "<p>الموقع " LINK("https://a.com") "، والآخر " LINK("http://b.com") "؛ انتهى</p>");
    assert_string_equal(html("[http://a.com]"), "<p>[" LINK("http://a.com") "]</p>");
    /* ')' closes what the URL opened, else it is the sentence's */
    assert_string_equal(html("(http://a.com/x)"), "<p>(" LINK("http://a.com/x") ")</p>");
    assert_string_equal(html("https://en.wikipedia.org/wiki/Foo_(bar)"),
                        "<p>" LINK("https://en.wikipedia.org/wiki/Foo_(bar)") "</p>");
    assert_string_equal(html("(see http://w.org/Foo_(bar))."),
                        "<p>(see " LINK("http://w.org/Foo_(bar)") ").</p>");
    /* quotes and angle brackets end it: they cannot reach the attribute */
    assert_string_equal(html("http://a.com/\"onmouseover=\"alert(1)"),
                        "<p>" LINK("http://a.com/") "&quot;onmouseover=&quot;alert(1)</p>");
    assert_string_equal(html("http://a.com/'x'"), "<p>" LINK("http://a.com/") "&#39;x&#39;</p>");
    assert_string_equal(html("http://a.com/<script>"),
                        "<p>" LINK("http://a.com/") "&lt;script&gt;</p>");
    assert_string_equal(html("\"http://a.com\""), "<p>&quot;" LINK("http://a.com") "&quot;</p>");
}

static void test_html_not_linked(void **state)
{
    (void)state;
    assert_string_equal(html("javascript:alert(1)"), "<p>javascript:alert(1)</p>");
    assert_string_equal(html("data:text/html,x ftp://a.com mailto:a@b.com"),
                        "<p>data:text/html,x ftp://a.com mailto:a@b.com</p>");
    /* www. is counted as a link but shown as text: no scheme to trust */
    assert_string_equal(html("www.a.com"), "<p>www.a.com</p>");
    /* no host */
    assert_string_equal(html("http:// https:///x http://?q http://."),
                        "<p>http:// https:///x http://?q http://.</p>");
    /* a backslash would make another host of it in a browser: the URL ends before */
    assert_string_equal(html("http://a.com\\@b.com"), "<p>" LINK("http://a.com") "\\@b.com</p>");
    /* a scheme hidden in a path is still only the http URL's text */
    assert_string_equal(html("http://a.com/javascript:alert(1)"),
                        "<p>" LINK("http://a.com/javascript:alert(1)") "</p>");
}

/* The rules a reader's comment and an editor's change of one share: each
 * field's message, and nothing else refused. */
static void test_check(void **state)
{
    (void)state;
    comment_text_errors e;
    assert_false(comment_text_check("نص", "اسم", "", &e));
    assert_null(e.text);
    assert_null(e.name);
    assert_null(e.email);
    assert_false(comment_text_check("نص", "اسم", NULL, &e));
    assert_true(comment_text_check("", "", "a@b", &e));
    assert_string_equal(e.text, "من فضلك ادخل تعليقك");
    assert_string_equal(e.name, "من فضلك ادخل اسمك هنا");
    assert_string_equal(e.email, "البريد الإلكتروني غير صحيح");
    char text[5002 * 2 + 1] = "", name[101 * 2 + 1] = "";
    for (int i = 0; i < 5000; i++)
        strcat(text, "ب"); /* 5000 characters, 10000 bytes: allowed */
    for (int i = 0; i < 100; i++)
        strcat(name, "ن");
    assert_false(comment_text_check(text, name, "x@example.org", &e));
    strcat(text, "ب");
    strcat(name, "ن");
    assert_true(comment_text_check(text, name, NULL, &e));
    assert_string_equal(e.text, "التعليق أطول من 5000 حرف");
    assert_string_equal(e.name, "الاسم أطول من 100 حرف");
    assert_null(e.email);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_drops_controls_and_bidi),
        cmocka_unit_test(test_clean_line_breaks),
        cmocka_unit_test(test_clean_trims),
        cmocka_unit_test(test_clean_blank_lines),
        cmocka_unit_test(test_chars),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_html_paragraphs),
        cmocka_unit_test(test_html_escapes),
        cmocka_unit_test(test_html_links),
        cmocka_unit_test(test_html_link_ends),
        cmocka_unit_test(test_html_not_linked),
        cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
