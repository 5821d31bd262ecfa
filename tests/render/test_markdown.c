/*
 * test_markdown.c - Markdown bodies must render as CommonMark does, keep
 * Arabic text (and its curly and unbalanced quotes) exactly, and never let
 * anything outside the allowlist through. Besides exact expectations, every
 * output here (including for generated hostile input) is run through a
 * checker that parses each tag and rejects any element, attribute or URL
 * scheme the sanitiser is not meant to produce.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "core/err.h"
#include "render/markdown.h"
#include "test_util.h"
#include "render/clean_check.h"

#define A test_util_arena /* the group's scratch arena */

/* Every '<' in html starts a tag Markdown may write. */
static bool html_is_clean(const char *html)
{
    return clean_check(html, false);
}

static const char *render(const char *md)
{
    char *out = NULL;
    assert_int_equal(markdown_render(A, md, strlen(md), &out), NS_OK);
    assert_non_null(out);
    assert_true(html_is_clean(out));
    return out;
}

static void test_checker_can_fail(void **state)
{
    (void)state;
    clean_check_verbose = false;
    assert_true(html_is_clean("<p>x <a href=\"/a\" rel=\"nofollow noopener\">y</a></p>"));
    assert_false(html_is_clean("<script>"));
    assert_false(html_is_clean("<p onclick=\"x\">"));
    assert_false(html_is_clean("<a href=\"javascript:x\">"));
    assert_false(html_is_clean("<img src=\"data:x\">"));
    clean_check_verbose = true;
}

static void test_arabic_text_kept_exactly(void **state)
{
    (void)state;
    assert_string_equal(render("قال «المسؤول»: “لن نتراجع” عن القرار."),
                        "<p>قال «المسؤول»: “لن نتراجع” عن القرار.</p>\n");
    /* Unbalanced quotes: nothing is paired, added or dropped. */
    assert_string_equal(render("قال: “لن نتراجع، ثم «صمت و\"هكذا"),
                        "<p>قال: “لن نتراجع، ثم «صمت و&quot;هكذا</p>\n");
    assert_string_equal(render("ذكر ' ثم ” و » وحدها"),
                        "<p>ذكر &#39; ثم ” و » وحدها</p>\n");
    assert_string_equal(render("مُحَمَّدٌ ـــ ١٢٣"), "<p>مُحَمَّدٌ ـــ ١٢٣</p>\n");
}

static void test_blocks(void **state)
{
    (void)state;
    assert_string_equal(render("# عنوان\n## ثانٍ\n### ثالث\n#### رابع\n###### سادس"),
                        "<h2>عنوان</h2>\n<h2>ثانٍ</h2>\n<h3>ثالث</h3>\n<h4>رابع</h4>\n<h4>سادس</h4>\n");
    assert_string_equal(render("> اقتباس\n> > داخلي"),
                        "<blockquote>\n<p>اقتباس</p>\n<blockquote>\n<p>داخلي</p>\n</blockquote>\n</blockquote>\n");
    assert_string_equal(render("- أ\n- ب"), "<ul>\n<li>أ</li>\n<li>ب</li>\n</ul>\n");
    assert_string_equal(render("1. أ\n\n2. ب"), "<ol>\n<li><p>أ</p>\n</li>\n<li><p>ب</p>\n</li>\n</ol>\n");
    assert_string_equal(render("3) ج"), "<ol start=\"3\">\n<li>ج</li>\n</ol>\n");
    assert_string_equal(render("```html\n<b>x</b> & \"y\"\n```"),
                        "<pre><code>&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;\n</code></pre>\n");
    assert_string_equal(render("أ\n\n---\n\nب"), "<p>أ</p>\n<hr>\n<p>ب</p>\n");
    assert_string_equal(render(""), "");
}

static void test_inlines(void **state)
{
    (void)state;
    assert_string_equal(render("*مائل* و**عريض** و`<كود>`"),
                        "<p><em>مائل</em> و<strong>عريض</strong> و<code>&lt;كود&gt;</code></p>\n");
    assert_string_equal(render("سطر  \nجديد\nتابع"), "<p>سطر<br>\nجديد\nتابع</p>\n");
}

static void test_links(void **state)
{
    (void)state;
    assert_string_equal(render("[موقع](https://example.com/a?b=1&c=\"2\")"),
                        "<p><a href=\"https://example.com/a?b=1&amp;c=&quot;2&quot;\" rel=\"nofollow noopener\">موقع</a></p>\n");
    assert_string_equal(render("[داخلي](/الحرب/)"), "<p><a href=\"/الحرب/\">داخلي</a></p>\n");
    assert_string_equal(render("[بريد](mailto:a@example.com)"), "<p><a href=\"mailto:a@example.com\">بريد</a></p>\n");
    assert_string_equal(render("[x](//cdn.example/x)"),
                        "<p><a href=\"//cdn.example/x\" rel=\"nofollow noopener\">x</a></p>\n");
    /* Unsafe schemes lose the link but keep the text. */
    assert_string_equal(render("[نص](javascript:alert(1))"), "<p>نص</p>\n");
    assert_string_equal(render("[نص](JaVaScRiPt:alert(1))"), "<p>نص</p>\n");
    assert_string_equal(render("[نص](<java\tscript:x>)"), "<p>نص</p>\n");
    assert_string_equal(render("[نص](data:text/html,<script>)"), "<p>نص</p>\n");
    assert_string_equal(render("[نص](vbscript:x)"), "<p>نص</p>\n");
    assert_string_equal(render("[نص](/\\\\evil.com)"), "<p>نص</p>\n");
    /* http(s) needs a host after "//" (text_url_is_http); the scheme is in any case. */
    assert_string_equal(render("[نص](https:)"), "<p>نص</p>\n");
    assert_string_equal(render("[نص](http:evil.com)"), "<p>نص</p>\n");
    assert_string_equal(render("[نص](https:///evil.com)"), "<p>نص</p>\n");
    assert_string_equal(render("[نص](HTTPS://e.com)"),
                        "<p><a href=\"HTTPS://e.com\" rel=\"nofollow noopener\">نص</a></p>\n");
    assert_string_equal(render("<javascript:alert(1)>"), "<p>javascript:alert(1)</p>\n");
    assert_string_equal(render("<https://example.com>"),
                        "<p><a href=\"https://example.com\" rel=\"nofollow noopener\">https://example.com</a></p>\n");
}

static void test_images(void **state)
{
    (void)state;
    assert_string_equal(render("![صورة *جميلة* \"هنا\"](https://img.example/x.jpg \"title\")"),
                        "<p><img src=\"https://img.example/x.jpg\" alt=\"صورة جميلة &quot;هنا&quot;\" loading=\"lazy\"></p>\n");
    assert_string_equal(render("![نسبي](/media/x.png)"),
                        "<p><img src=\"/media/x.png\" alt=\"نسبي\" loading=\"lazy\"></p>\n");
    assert_string_equal(render("![بديل](data:image/png;base64,AAAA)"), "<p>بديل</p>\n");
    assert_string_equal(render("![بديل](mailto:x@y)"), "<p>بديل</p>\n");
    assert_string_equal(render("[![i](/i.png)](https://e.com)"),
                        "<p><a href=\"https://e.com\" rel=\"nofollow noopener\"><img src=\"/i.png\" alt=\"i\" loading=\"lazy\"></a></p>\n");
}

static void test_raw_html(void **state)
{
    (void)state;
    assert_string_equal(render("<script>alert(1)</script>\n\nبعد"), "<p>بعد</p>\n");
    assert_string_equal(render("<div onclick=\"x\">\nنص\n</div>"), "");
    assert_string_equal(render("<style>p{}</style>"), "");
    assert_string_equal(render("أ <span onclick=\"x\">ب</span> <img src=x onerror=alert(1)> ج"),
                        "<p>أ ب  ج</p>\n");
    /* Allowlisted inline tags survive without their attributes... */
    assert_string_equal(render("أ <b class=\"x\">ب</b> <i>ج</i> <strong>د</strong><br/>هـ"),
                        "<p>أ <strong>ب</strong> <em>ج</em> <strong>د</strong><br>هـ</p>\n");
    /* ...and stay balanced: unclosed ones close at the block end, stray
     * closers are dropped, closers cannot cross Markdown emphasis. */
    assert_string_equal(render("<em>أ <strong>ب</em> ج"), "<p><em>أ <strong>ب ج</strong></em></p>\n");
    assert_string_equal(render("أ</strong> ب"), "<p>أ ب</p>\n");
    assert_string_equal(render("<em>أ *ب</em> ج*"), "<p><em>أ <em>ب ج</em></em></p>\n");
    assert_string_equal(render("<!-- تعليق --> كتلة HTML كاملة"), "");
    assert_string_equal(render("نص <!-- تعليق --> بعد <?php x ?>"), "<p>نص  بعد </p>\n");
}

static void test_rejects_invalid_input(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(markdown_render(A, "a\xFF", 2, &out), NS_EINVAL);
    assert_int_equal(markdown_render(A, "\xED\xA0\x80", 3, &out), NS_EINVAL);
    assert_int_equal(markdown_render(A, "\xC0\xAF", 2, &out), NS_EINVAL);
    assert_null(out);
    /* Embedded NUL is valid UTF-8 and becomes U+FFFD (CommonMark). */
    assert_int_equal(markdown_render(A, "a\0b", 3, &out), NS_OK);
    assert_string_equal(out, "<p>a\xEF\xBF\xBD" "b</p>\n");
    /* Only n bytes are read. */
    assert_int_equal(markdown_render(A, "ab\xFF", 2, &out), NS_OK);
    assert_string_equal(out, "<p>ab</p>\n");
}

static void test_deep_nesting(void **state)
{
    (void)state;
    static char md[60001];
    memset(md, '>', 30000);
    memset(md + 30000, '*', 30000);
    md[60000] = '\0';
    render(md);
    for (int i = 0; i < 20000; i++)
        memcpy(md + i * 3, "[a(", 3);
    md[60000] = '\0';
    render(md);
}

/* Random soups of Markdown and HTML syntax must always come out clean. */
static void test_generated_hostile_input(void **state)
{
    (void)state;
    static const char *const atoms[] = {
        "<", ">", "[", "]", "(", ")", "!", "*", "_", "`", "\n", "\n\n", " ", "#", "> ", "- ",
        "1. ", "\"", "'", "&", "javascript:", "data:", "http://x", "<script>", "</em>", "<em>",
        "<b onclick=x>", "<a href='javascript:x'>", "<img src=x onerror=y>", "\\", "«", "”",
        "نص", "<!--", "-->", "&lt;", "&#106;avascript:", "  \n", "```", "    ", "<br>", "%0a",
    };
    const size_t natoms = sizeof atoms / sizeof atoms[0];
    unsigned seed = 2022;
    char md[2048];
    for (int round = 0; round < 3000; round++) {
        clean_check_soup(md, sizeof md, atoms, natoms, &seed);
        render(md);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker_can_fail),
        cmocka_unit_test(test_arabic_text_kept_exactly),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_inlines),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_images),
        cmocka_unit_test(test_raw_html),
        cmocka_unit_test(test_rejects_invalid_input),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_generated_hostile_input),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
