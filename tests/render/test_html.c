/*
 * test_html.c - an imported body's HTML comes out as the allowlist's
 * markup only, whatever tricks the source plays (script in its many
 * disguises, event handlers, hostile URLs hidden by entities, case and
 * spaces, foreign content), keeps what a reader should see (Arabic with its
 * harakat, figures with captions, tables, decoded entities), is recovered
 * from broken markup the way a browser would, and does not fall over on
 * depth, size or bytes a parser may choke on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "render/html.h"
#include "render/markdown.h"
#include "test_util.h"
#include "render/clean_check.h"

#define A test_util_arena

static const char *clean(const char *html)
{
    char *out = NULL;
    assert_int_equal(html_sanitize(A, html, strlen(html), &out), NS_OK);
    assert_non_null(out);
    assert_true(clean_check(out, true));
    return out;
}

static void test_script_and_handlers(void **state)
{
    (void)state;
    assert_string_equal(clean("<p>قبل</p><script>alert(1)</script><p>بعد</p>"), "<p>قبل</p>\n<p>بعد</p>\n");
    assert_string_equal(clean("<SCRIPT type=text/javascript>alert(1)</SCRIPT>نص"), "<p>نص</p>\n");
    assert_string_equal(clean("<svg><script>alert(1)</script><text>x</text></svg>نص"), "<p>نص</p>\n");
    assert_string_equal(clean("<math><mi>x</mi></math><style>p{color:red}</style>نص"), "<p>نص</p>\n");
    assert_string_equal(clean("<p onclick=\"alert(1)\" style=\"color:red\" class=\"x\">نص</p>"), "<p>نص</p>\n");
    assert_string_equal(clean("<img src=x onerror=alert(1)>"), "<p><img src=\"x\" alt=\"\" loading=\"lazy\"></p>\n");
    assert_string_equal(clean("<iframe src=\"https://evil.example/\">x</iframe><object data=x>y</object>"
                              "<embed src=x><template><p>t</p></template><noscript>n</noscript>نص"),
                        "<p>نص</p>\n");
    assert_string_equal(clean("<form action=/x><input name=a><button>b</button><select><option>o</select>"
                              "<textarea>t</textarea></form>نص"),
                        "<p>نص</p>\n");
    assert_string_equal(clean("<p>أ<!-- تعليق --><?php echo 1 ?>ب</p>"), "<p>أب</p>\n");
}

static void test_hostile_urls(void **state)
{
    (void)state;
    /* the link goes, its text stays */
    assert_string_equal(clean("<a href=\"javascript:alert(1)\">نص</a>"), "<p>نص</p>\n");
    assert_string_equal(clean("<a href=\"JaVaScRiPt:alert(1)\">نص</a>"), "<p>نص</p>\n");
    assert_string_equal(clean("<a href=\"jav&#x09;ascript:alert(1)\">نص</a>"), "<p>نص</p>\n");
    assert_string_equal(clean("<a href=\"&#106;&#97;vascript:alert(1)\">نص</a>"), "<p>نص</p>\n");
    assert_string_equal(clean("<a href=\"  javascript:alert(1)\">نص</a>"), "<p>نص</p>\n");
    assert_string_equal(clean("<a href=\"java\nscript:alert(1)\">نص</a>"), "<p>نص</p>\n");
    assert_string_equal(clean("<a href=\"vbscript:x\">نص</a><a href=\"data:text/html,x\">ب</a>"), "<p>نصب</p>\n");
    assert_string_equal(clean("<a href=\"/\\evil.example\">نص</a><a>بلا</a>"), "<p>نصبلا</p>\n");
    /* an image with a refused source leaves its alt text */
    assert_string_equal(clean("<img src=\"data:image/png;base64,AAAA\" alt=\"بديل\">"), "<p>بديل</p>\n");
    assert_string_equal(clean("<img src=\"javascript:x\"><img src=\"mailto:a@b\"><img alt=\"x\">"), "<p>x</p>\n");
    /* links that are fine, with rel only where they leave the site */
    assert_string_equal(clean("<a href=\" https://e.example/?a=1&amp;b=2 \" target=_blank>أ</a> "
                              "<a href=\"/الحرب/\">ب</a> <a href=\"mailto:x@e.example\">ج</a>"),
                        "<p><a href=\"https://e.example/?a=1&amp;b=2\" rel=\"nofollow noopener\">أ</a> "
                        "<a href=\"/الحرب/\">ب</a> <a href=\"mailto:x@e.example\">ج</a></p>\n");
    /* links do not nest (the outer one, left empty, goes) */
    assert_string_equal(clean("<a href=\"https://a.example/\"><a href=\"/b\">x</a></a>"),
                        "<p><a href=\"/b\">x</a></p>\n");
    assert_string_equal(clean("<a href=\"/a\">أ <em><a href=\"/b\">ب</a></em></a>"),
                        "<p><a href=\"/a\">أ <em>ب</em></a></p>\n");
}

static void test_arabic_and_entities(void **state)
{
    (void)state;
    assert_string_equal(clean("<p>بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ ـــ ١٢٣ «قال»</p>"),
                        "<p>بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ ـــ ١٢٣ «قال»</p>\n");
    /* decoded by the parser, escaped again: &nbsp; is its character */
    assert_string_equal(clean("<p>أ&nbsp;ب &amp; &lt;script&gt; &quot;ج&quot; &#1583; &unknown;</p>"),
                        "<p>أ\xC2\xA0ب &amp; &lt;script&gt; &quot;ج&quot; د &amp;unknown;</p>\n");
    /* a <meta> cannot change the encoding */
    assert_string_equal(clean("<meta charset=\"iso-8859-1\"><p>مُحَمَّد</p>"), "<p>مُحَمَّد</p>\n");
}

static void test_structure_kept(void **state)
{
    (void)state;
    assert_string_equal(clean("<h1>أ</h1><h2>ب</h2><h3>ج</h3><h4>د</h4><h5>هـ</h5><h6>و</h6>"),
                        "<h2>أ</h2>\n<h2>ب</h2>\n<h3>ج</h3>\n<h4>د</h4>\n<h4>هـ</h4>\n<h4>و</h4>\n");
    assert_string_equal(clean("<ul>\n <li>أ</li>\n <li><b>ب</b> <i>ج</i></li>\n</ul>\n<ol start=\"3\" type=\"a\"><li>د</li></ol>"),
                        "<ul>\n<li>أ</li>\n<li><strong>ب</strong> <em>ج</em></li>\n</ul>\n"
                        "<ol start=\"3\">\n<li>د</li>\n</ol>\n");
    assert_string_equal(clean("<blockquote class=\"wp-block-quote\"><p>قول</p><cite>قائل</cite></blockquote>"),
                        "<blockquote>\n<p>قول</p>\nقائل</blockquote>\n");
    assert_string_equal(clean("<pre class=\"x\">  سطر\n    <code>كود</code>\n</pre><hr class=\"y\">"),
                        "<pre>  سطر\n    <code>كود</code>\n</pre>\n<hr>\n");
    assert_string_equal(clean("<figure class=\"wp-block-image size-large\"><img src=\"https://e.example/a.jpg\" "
                              "alt=\"صورة\" width=\"1024\" height=\"100%\" class=\"wp-image-5\"/>"
                              "<figcaption>التعليق</figcaption></figure>"),
                        "<figure><img src=\"https://e.example/a.jpg\" alt=\"صورة\" width=\"1024\" loading=\"lazy\">"
                        "<figcaption>التعليق</figcaption></figure>\n");
    assert_string_equal(clean("<table class=\"t\"><thead><tr><th>أ</th><th>ب</th></tr></thead>\n"
                              "<tbody><tr><td colspan=\"2\" style=\"x\">ج</td></tr></tbody></table>"),
                        "<table>\n<thead>\n<tr><th>أ</th><th>ب</th></tr>\n</thead>\n"
                        "<tbody>\n<tr><td colspan=\"2\">ج</td></tr>\n</tbody>\n</table>\n");
    /* an image with a space in its file name */
    assert_string_equal(clean("<img src=\"/up/a b.jpg\">"), "<p><img src=\"/up/a%20b.jpg\" alt=\"\" loading=\"lazy\"></p>\n");
}

static void test_loose_content_and_wrappers(void **state)
{
    (void)state;
    /* loose text and inline elements at the top become paragraphs; layout
     * wrappers go but still separate paragraphs; other wrappers just go */
    assert_string_equal(clean("نص <b>عريض</b>"), "<p>نص <strong>عريض</strong></p>\n");
    assert_string_equal(clean("<div class=\"a\">أ</div><section>ب <span style=\"x\">ج</span></section>د<br>هـ"),
                        "<p>أ</p>\n<p>ب ج</p>\n<p>د<br>هـ</p>\n");
    assert_string_equal(clean("<font color=red><u>أ</u><sup>2</sup></font>"), "<p>أ2</p>\n");
    /* blank paragraphs (WordPress's spacers) and whitespace between blocks go */
    assert_string_equal(clean("<p>أ</p>\n\n<p>&nbsp;</p>\n<p> <br> </p>\n<p>ب</p>\n"), "<p>أ</p>\n<p>ب</p>\n");
    assert_string_equal(clean("   \n "), "");
    assert_string_equal(clean(""), "");
}

static void test_broken_markup_recovered(void **state)
{
    (void)state;
    assert_string_equal(clean("<p>أ<p>ب</p></p>"), "<p>أ</p>\n<p>ب</p>\n");
    assert_string_equal(clean("<p>أ <em>ب <strong>ج"), "<p>أ <em>ب <strong>ج</strong></em></p>\n");
    assert_string_equal(clean("</div></p>أ</em>"), "<p>أ</p>\n");
    assert_string_equal(clean("<ul><li>أ<li>ب</ul>"), "<ul>\n<li>أ</li>\n<li>ب</li>\n</ul>\n");
    assert_string_equal(clean("<li>وحيد</li><figcaption>بلا شكل</figcaption><td>خلية</td>"),
                        "<p>وحيدبلا شكلخلية</p>\n");
    assert_string_equal(clean("<em>أ<p>ب</p></em>"), "<p><em>أب</em></p>\n");
    assert_string_equal(clean("<a href=\"/x\" title=\"<script>\">أ"), "<p><a href=\"/x\">أ</a></p>\n");
    assert_string_equal(clean("<p>أ <a href=\"/x"), "<p>أ</p>\n");
}

static void test_bad_input(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(html_sanitize(A, "<p>a\xFF</p>", 8, &out), NS_EINVAL);
    assert_int_equal(html_sanitize(A, "\xED\xA0\x80", 3, &out), NS_EINVAL);
    assert_null(out);
    static const char too_big[1];
    assert_int_equal(html_sanitize(A, too_big, (8u << 20) + 1, &out), NS_ETOOBIG);
    assert_null(out);
    /* NUL bytes do not cut the body short; only n bytes are read */
    assert_int_equal(html_sanitize(A, "<p>a\0b</p>c", 11, &out), NS_OK);
    assert_string_equal(out, "<p>ab</p>\n<p>c</p>\n");
    assert_int_equal(html_sanitize(A, "<p>ab</p>\xFF", 9, &out), NS_OK);
    assert_string_equal(out, "<p>ab</p>\n");
}

/* Repeat s n times into a new heap string. */
static char *repeat(const char *s, size_t n, const char *tail)
{
    size_t len = strlen(s), tl = strlen(tail);
    char *r = malloc(len * n + tl + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(r + i * len, s, len);
    memcpy(r + len * n, tail, tl + 1);
    return r;
}

static void test_depth_and_size(void **state)
{
    (void)state;
    /* the parser stops at 256 levels; below that nothing is lost */
    const char *const openers[] = {"<div>", "<blockquote>", "<em>", "<ul><li>", "<table><tr><td>", "<a href=/x>"};
    for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++) {
        char *deep = repeat(openers[i], 60, "نص");
        assert_non_null(strstr(clean(deep), "نص"));
        free(deep);
        deep = repeat(openers[i], 20000, "نص");
        clean(deep);
        free(deep);
    }
    /* at most HTML's 64 open elements are written, the rest is content */
    char *quotes = repeat("<blockquote>", 100, "x");
    const char *out = clean(quotes);
    size_t n = 0;
    for (const char *p = strstr(out, "<blockquote>"); p; p = strstr(p + 1, "<blockquote>"))
        n++;
    assert_int_equal(n, 64);
    free(quotes);
    char *huge = repeat("a", 4u << 20, "\">x</a>");
    memcpy(huge, "<a href=\"https://e.example/", 27);
    out = clean(huge);
    assert_true(strlen(out) > (4u << 20));
    free(huge);
}

/* The same body written in Markdown and imported as HTML comes out the
 * same: one allowlist, one way of writing it. */
static void test_same_markup_as_markdown(void **state)
{
    (void)state;
    static const struct { const char *md, *html; } pairs[] = {
        {"# عنوان\n\nنص *مائل* و**عريض**", "<h1>عنوان</h1><p>نص <em>مائل</em> و<strong>عريض</strong></p>"},
        {"> اقتباس", "<blockquote><p>اقتباس</p></blockquote>"},
        {"- أ\n- ب", "<ul><li>أ</li><li>ب</li></ul>"},
        {"3. ج", "<ol start=\"3\"><li>ج</li></ol>"},
        {"[رابط](https://e.example/) ![صورة](/a.png)",
         "<p><a href=\"https://e.example/\">رابط</a> <img src=\"/a.png\" alt=\"صورة\"></p>"},
        {"```\nكود\n```\n\n---", "<pre><code>كود\n</code></pre><hr>"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char *md = NULL;
        assert_int_equal(markdown_render(A, pairs[i].md, strlen(pairs[i].md), &md), NS_OK);
        assert_string_equal(clean(pairs[i].html), md);
    }
}

/* Random soups of tags, attributes and entities always come out clean. */
static void test_generated_hostile_input(void **state)
{
    (void)state;
    static const char *const atoms[] = {
        "<", ">", "</", "/>", "\"", "'", "=", " ", "\n", "&", "#", ";", "<p>", "</p>", "<div>",
        "<script>", "</script>", "<style>", "<svg>", "<math>", "<a href=", "javascript:", "jav&#x09;ascript:",
        "data:", "<img src=", " onerror=", " style=", "<table>", "<tr>", "<td>", "<li>", "<ul>",
        "<figure>", "<figcaption>", "<!--", "-->", "<![CDATA[", "]]>", "&lt;", "&nbsp;", "نص", "«", "<pre>",
        "<b>", "<i>", "<h1>", "<h6>", "<br>", "<iframe>", "<template>", "<noscript>", "<xmp>", "<title>",
        "https://e.example/", "\\", "%0a", "<a>", "</a>", "<?x ?>", "<!DOCTYPE html>", "<html>", "<body>",
    };
    const size_t natoms = sizeof atoms / sizeof atoms[0];
    unsigned seed = 2026;
    char html[2048];
    for (int round = 0; round < 3000; round++) {
        clean_check_soup(html, sizeof html, atoms, natoms, &seed);
        const char *out = clean(html);
        assert_null(strstr(out, "<script"));
    }
}

static void test_checker_can_fail(void **state)
{
    (void)state;
    clean_check_verbose = false;
    assert_true(clean_check("<figure><img src=\"/a\" alt=\"\" width=\"3\" loading=\"lazy\"></figure>", true));
    assert_false(clean_check("<figure>", false));
    assert_false(clean_check("<td style=\"x\">", true));
    assert_false(clean_check("<img src=\"javascript:x\">", true));
    assert_false(clean_check("<div>", true));
    clean_check_verbose = true;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker_can_fail),
        cmocka_unit_test(test_script_and_handlers),
        cmocka_unit_test(test_hostile_urls),
        cmocka_unit_test(test_arabic_and_entities),
        cmocka_unit_test(test_structure_kept),
        cmocka_unit_test(test_loose_content_and_wrappers),
        cmocka_unit_test(test_broken_markup_recovered),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_depth_and_size),
        cmocka_unit_test(test_same_markup_as_markdown),
        cmocka_unit_test(test_generated_hostile_input),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
