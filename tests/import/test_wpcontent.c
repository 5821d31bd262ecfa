/*
 * test_wpcontent.c - a WordPress body comes out as its theme showed it:
 * block-editor markers gone with the blocks' markup kept, shortcodes
 * expanded or removed, a lone media URL linked, paragraphs and line breaks
 * from a classic body's blank lines and newlines (never around blocks,
 * never inside pre), and whatever the body holds, the result sanitises to
 * clean markup; the first YouTube or Vimeo video is found.
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
#include "import/wpcontent.h"
#include "render/html.h"
#include "test_util.h"
#include "render/clean_check.h"

#define A test_util_arena

static const char *wp(const char *content)
{
    const char *out = wp_content_html(A, content, strlen(content));
    assert_non_null(out);
    return out;
}

/* What a reader gets: converted, then sanitised. */
static const char *shown(const char *content)
{
    const char *html = wp(content);
    char *out = NULL;
    assert_int_equal(html_sanitize(A, html, strlen(html), &out), NS_OK);
    assert_true(clean_check(out, true));
    return out;
}

static const char *video(const char *content)
{
    return wp_content_video(A, content, strlen(content));
}

static void test_gutenberg_blocks(void **state)
{
    (void)state;
    /* as the fixture's export writes them */
    assert_string_equal(shown("<!-- wp:paragraph -->\n<p>شهدت الدوحة احتجاجات.</p>\n<!-- /wp:paragraph -->\n\n"
                              "<!-- wp:heading -->\n<h2>تفاصيل إضافية</h2>\n<!-- /wp:heading -->\n\n"
                              "<!-- wp:paragraph -->\n<p>وقال محللون.</p>\n<!-- /wp:paragraph -->"),
                        "<p>شهدت الدوحة احتجاجات.</p>\n<h2>تفاصيل إضافية</h2>\n<p>وقال محللون.</p>\n");
    assert_string_equal(shown("<!-- wp:heading {\"level\":3} -->\n<h3 class=\"wp-block-heading\">عنوان</h3>\n<!-- /wp:heading -->\n"
                              "<!-- wp:list -->\n<ul><!-- wp:list-item -->\n<li>أ</li>\n<!-- /wp:list-item -->"
                              "<!-- wp:list-item -->\n<li>ب</li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->\n"
                              "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>قول</p>\n"
                              "<!-- /wp:paragraph --><cite>قائل</cite></blockquote>\n<!-- /wp:quote -->"),
                        "<h3>عنوان</h3>\n<ul>\n<li>أ</li>\n<li>ب</li>\n</ul>\n<blockquote>\n<p>قول</p>\nقائل</blockquote>\n");
    assert_string_equal(shown("<!-- wp:image {\"id\":5,\"sizeSlug\":\"large\"} -->\n<figure class=\"wp-block-image size-large\">"
                              "<img src=\"https://e.example/a.jpg\" alt=\"صورة\" class=\"wp-image-5\"/>"
                              "<figcaption class=\"wp-element-caption\">تعليق الصورة</figcaption></figure>\n<!-- /wp:image -->\n"
                              "<!-- wp:separator /-->\n<!-- wp:spacer {\"height\":\"20px\"} /-->"),
                        "<figure><img src=\"https://e.example/a.jpg\" alt=\"صورة\" loading=\"lazy\">"
                        "<figcaption>تعليق الصورة</figcaption></figure>\n");
    /* a block's own markup is kept as the editor saved it: no <br> added */
    assert_string_equal(wp("<!-- wp:paragraph -->\n<p>سطر\nتابع</p>\n<!-- /wp:paragraph -->"), "\n<p>سطر\nتابع</p>\n");
    /* a classic part between blocks gets its paragraphs */
    assert_string_equal(shown("<!-- wp:paragraph --><p>أ</p><!-- /wp:paragraph -->\n\nنص قديم\nسطر\n\nفقرة"),
                        "<p>أ</p>\n<p>نص قديم<br>\nسطر</p>\n<p>فقرة</p>\n");
}

static void test_classic_paragraphs(void **state)
{
    (void)state;
    assert_string_equal(wp("الفقرة الأولى\nسطرها الثاني\n\n\nالفقرة الثانية"),
                        "<p>الفقرة الأولى<br />\nسطرها الثاني</p>\n<p>الفقرة الثانية</p>\n");
    assert_string_equal(wp("أ\r\n\r\nب\rج"), "<p>أ</p>\n<p>ب<br />\nج</p>\n");
    assert_string_equal(wp("سطر<br />\nتالٍ"), "<p>سطر<br />\nتالٍ</p>\n");
    /* two line breaks in a row are a paragraph's end, as a blank line */
    assert_string_equal(wp("أ<br><BR/>\n ب<br />"), "<p>أ</p>\n<p>ب<br /></p>\n");
    assert_string_equal(wp("  \n\n  "), "");
    assert_string_equal(wp(""), "");
    /* no paragraph around a block, none inside a list item, paragraphs in a div */
    assert_string_equal(wp("قبل\n<ul>\n<li>أ</li>\n<li>ب\nج</li>\n</ul>\nبعد"),
                        "<p>قبل</p>\n<ul>\n<li>أ</li>\n<li>ب<br />\nج</li>\n</ul>\n<p>بعد</p>\n");
    assert_string_equal(wp("<div class=\"x\">أ\n\nب</div>"), "<div class=\"x\"><p>أ</p>\n<p>ب</p>\n</div>\n");
    assert_string_equal(wp("<h2>عنوان</h2>\nنص <strong>عريض\nجدا</strong>"),
                        "<h2>عنوان</h2>\n<p>نص <strong>عريض<br />\nجدا</strong></p>\n");
    /* pre is left exactly as it was, and so are newlines inside a tag */
    assert_string_equal(wp("<pre>سطر\n\n  مسافة\n</pre>\nبعد"), "<pre>سطر\n\n  مسافة\n</pre>\n<p>بعد</p>\n");
    assert_string_equal(wp("<a\nhref=\"/x\">أ</a>"), "<p><a\nhref=\"/x\">أ</a></p>\n");
    assert_string_equal(shown("<blockquote>قول\n\nثانٍ</blockquote>"), "<blockquote>\n<p>قول</p>\n<p>ثانٍ</p>\n</blockquote>\n");
}

static void test_caption(void **state)
{
    (void)state;
    assert_string_equal(wp("[caption id=\"attachment_5\" align=\"aligncenter\" width=\"300\"]"
                           "<img src=\"/a.jpg\" alt=\"x\" width=\"300\" /> صورة الحدث[/caption]"),
                        "<figure><img src=\"/a.jpg\" alt=\"x\" width=\"300\" />\n<figcaption>صورة الحدث</figcaption>\n</figure>\n");
    assert_string_equal(shown("قبل\n[caption id=\"a\" width=\"300\"]<a href=\"https://e.example/a.jpg\">"
                              "<img src=\"https://e.example/a-300.jpg\" alt=\"\" /></a> التعليق[/caption]\nبعد"),
                        "<p>قبل</p>\n<figure><a href=\"https://e.example/a.jpg\" rel=\"nofollow noopener\">"
                        "<img src=\"https://e.example/a-300.jpg\" alt=\"\" loading=\"lazy\"></a>"
                        "<figcaption>التعليق</figcaption></figure>\n<p>بعد</p>\n");
    /* the old form: the caption as an attribute; no image: just the text */
    assert_string_equal(shown("[caption caption=\"نص التعليق\"]<img src=\"/a.jpg\">[/caption]"),
                        "<figure><img src=\"/a.jpg\" alt=\"\" loading=\"lazy\"><figcaption>نص التعليق</figcaption></figure>\n");
    assert_string_equal(shown("[caption]بلا صورة[/caption]"), "<p>بلا صورة</p>\n");
    assert_string_equal(shown("[caption width=\"3\"]<img src=\"/a.jpg\"> غير مغلق"),
                        "<p><img src=\"/a.jpg\" alt=\"\" loading=\"lazy\"> غير مغلق</p>\n");
}

static void test_media_shortcodes_and_urls(void **state)
{
    (void)state;
    static const char *const link = "<p><a href=\"https://e.example/v.mp4\">https://e.example/v.mp4</a></p>\n";
    assert_string_equal(wp("[video width=\"640\" mp4=\"https://e.example/v.mp4\"][/video]"), link);
    assert_string_equal(wp("[video src='https://e.example/v.mp4' /]"), link);
    assert_string_equal(wp("[video]https://e.example/v.mp4[/video]"), link);
    assert_string_equal(wp("[embed width=\"500\"] https://e.example/v.mp4 [/embed]"), link);
    assert_string_equal(wp("  https://e.example/v.mp4  "), link);
    assert_string_equal(wp("[audio mp3=\"https://e.example/a.mp3\"]"),
                        "<p><a href=\"https://e.example/a.mp3\">https://e.example/a.mp3</a></p>\n");
    /* a URL inside a sentence, or not http(s), is left alone */
    assert_string_equal(wp("انظر https://e.example/x هنا"), "<p>انظر https://e.example/x هنا</p>\n");
    assert_string_equal(wp("[embed]javascript:alert(1)[/embed][video src=\"data:x\"]"), "");
    /* an attribute cannot be left through the link */
    assert_string_equal(shown("[embed]https://e.example/a\"onmouseover=\"x[/embed]"),
                        "<p><a href=\"https://e.example/a\" rel=\"nofollow noopener\">https://e.example/a</a></p>\n");
    assert_string_equal(wp("[gallery ids=\"1,2,3\" columns=\"3\"]\n\n[playlist ids=\"4\"]نص"), "<p>نص</p>\n");
}

static void test_other_shortcodes(void **state)
{
    (void)state;
    assert_string_equal(wp("[su_box title=\"x\"]داخل الصندوق[/su_box] و[button url=\"/x\" /] ثم [/su_box]"),
                        "<p>داخل الصندوق و ثم [/su_box]</p>\n");
    /* nested, unclosed and bogus: text stays text */
    assert_string_equal(wp("[a][b]نص[/b][/a]"), "<p>نص</p>\n");
    assert_string_equal(wp("[sic] [1] [ x] [a=b] [/] [] [[ ]] [اسم]"), "<p>[sic] [1] [ x] [a=b] [/] [] [[ ]] [اسم]</p>\n");
    assert_string_equal(wp("[unclosed attr=\"x\" نص"), "<p>[unclosed attr=\"x\" نص</p>\n");
    /* [[x]] is how WordPress writes a shortcode as text */
    assert_string_equal(wp("اكتب [[caption]] أو [[gallery ids=\"1\"]] أو [[b]نص[/b]]"),
                        "<p>اكتب [caption] أو [gallery ids=\"1\"] أو [b]نص[/b]</p>\n");
    /* shortcodes inside the block editor's JSON are not touched */
    assert_string_equal(wp("<!-- wp:shortcode {\"x\":\"[gallery]\"} -->\n[gallery]\n<!-- /wp:shortcode -->"), "\n\n");
}

static void test_arabic_kept(void **state)
{
    (void)state;
    static const char body[] = "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ ـــ ١٢٣ «قال» “نعم”";
    char expect[256];
    snprintf(expect, sizeof expect, "<p>%s</p>\n", body);
    assert_string_equal(shown(body), expect);
}

static void test_video_found(void **state)
{
    (void)state;
    assert_string_equal(video("نص\nhttps://www.youtube.com/watch?v=abc123&amp;t=10\nhttps://vimeo.com/1"),
                        "https://www.youtube.com/watch?v=abc123&t=10");
    assert_string_equal(video("[embed]https://youtu.be/xyz[/embed]"), "https://youtu.be/xyz");
    assert_string_equal(video("[video src=\"https://www.youtube.com/shorts/s1\"]"), "https://www.youtube.com/shorts/s1");
    assert_string_equal(video("https://m.youtube.com/embed/e1"), "https://m.youtube.com/embed/e1");
    assert_string_equal(video("[embed]https://e.example/v.mp4[/embed]\nhttps://player.vimeo.com/video/77"),
                        "https://player.vimeo.com/video/77");
    assert_string_equal(video("<!-- wp:embed {\"url\":\"https://youtu.be/b1\"} -->\n<figure><div>\n"
                              "https://youtu.be/b1\n</div></figure>\n<!-- /wp:embed -->"),
                        "https://youtu.be/b1");
    assert_null(video("https://www.youtube.com/watch?list=x"));
    assert_null(video("انظر https://youtu.be/xyz في الجملة"));
    assert_null(video("https://notyoutube.com/watch?v=x"));
    assert_null(video(""));
    assert_null(wp_content_video(A, NULL, 0));
}

/* Hostile or broken bodies: never crash, never quadratic, always clean. */
static void test_hostile_bodies(void **state)
{
    (void)state;
    assert_string_equal(wp_content_html(A, NULL, 0), "");
    assert_string_equal(wp_content_html(A, "أ\0ب", 5), "<p>أب</p>\n");
    size_t n = 1u << 20;
    static const char *const units[] = {"[a", "[[a", "[a]", "[/a", "<!--", "<!-- wp:x -->", "<pre>", "\n\n", "<p>"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        char *s = malloc(n + 1);
        size_t k = strlen(units[u]);
        for (size_t i = 0; i + k <= n; i += k)
            memcpy(s + i, units[u], k);
        s[n - n % k] = '\0';
        const char *out = wp_content_html(A, s, strlen(s));
        assert_non_null(out);
        free(s);
    }
    static const char *const atoms[] = {
        "[", "]", "[/", "[[", "]]", "caption", "embed", "video", "gallery", " src=\"", "\"", "'",
        "https://youtu.be/x", "<img src=x onerror=y>", "<a href=", "javascript:", "\n", "\n\n", " ",
        "<!-- wp:p -->", "<!-- /wp:p -->", "<!--", "-->", "<pre>", "</pre>", "<div>", "</div>", "<li>",
        "<script>", "نص", "/]", "=", "<", ">",
    };
    unsigned seed = 10;
    char soup[2048];
    for (int round = 0; round < 2000; round++) {
        clean_check_soup(soup, sizeof soup, atoms, sizeof atoms / sizeof atoms[0], &seed);
        shown(soup);
        video(soup);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gutenberg_blocks),
        cmocka_unit_test(test_classic_paragraphs),
        cmocka_unit_test(test_caption),
        cmocka_unit_test(test_media_shortcodes_and_urls),
        cmocka_unit_test(test_other_shortcodes),
        cmocka_unit_test(test_arabic_kept),
        cmocka_unit_test(test_video_found),
        cmocka_unit_test(test_hostile_bodies),
    };
    return cmocka_run_group_tests(tests, test_util_arena_setup, test_util_arena_teardown);
}
