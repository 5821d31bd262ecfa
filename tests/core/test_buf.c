/*
 * test_buf.c - the buffer and, above all, the escapers: hostile input must
 * never come out as markup, break out of a <script> block, or make an XML
 * feed ill-formed. XML and JSON outputs are checked with real parsers
 * (libxml2, json-c), not only against expected strings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <libxml/parser.h>

#include "core/buf.h"

typedef void (*escaper_fn)(buf_t *, const char *, size_t);

/* Escape s with fn into a fresh arena buffer. */
static const char *esc(arena_t *a, escaper_fn fn, const char *s, size_t n)
{
    buf_t b;
    buf_init(&b, a);
    fn(&b, s, n);
    return buf_cstr(&b);
}
#define ESC(a, fn, lit) esc(a, fn, lit, sizeof(lit) - 1)

static void test_append_family(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, NULL);
    assert_string_equal(buf_cstr(&b), "");
    buf_puts(&b, "نشرة");
    buf_puts(&b, NULL);
    buf_putc(&b, ' ');
    buf_printf(&b, "%d/%s", 7, "x");
    buf_append(&b, "yz!", 2);
    assert_string_equal(buf_cstr(&b), "نشرة 7/xyz");
    assert_int_equal(b.len, strlen("نشرة 7/xyz"));
    buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_cstr(&b), "");
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 10000);
    assert_int_equal(b.data[9999], 'a' + 9999 % 26);
    assert_int_equal(b.data[10000], '\0');
    buf_release(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void test_arena_backed(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    buf_t b;
    buf_init(&b, a);
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%04d,", i);
    assert_int_equal(b.len, 5000);
    assert_memory_equal(b.data + 4995, "0999,", 5);
    assert_ptr_equal(b.arena, a);
    buf_reserve(&b, 1u << 20);
    assert_true(b.cap > b.len + (1u << 20));
    arena_free(a); /* no leak under ASan: memory was the arena's */
}

static void test_html_escape(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    assert_string_equal(ESC(a, buf_html_escape, "<script>alert(\"x\")</script>"),
                        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    assert_string_equal(ESC(a, buf_html_escape, "' onmouseover='x' & y"),
                        "&#39; onmouseover=&#39;x&#39; &amp; y");
    assert_string_equal(ESC(a, buf_html_escape, "«قال: “نعم”»"), "«قال: “نعم”»");
    assert_string_equal(ESC(a, buf_html_escape, "a\0b"), "a\xEF\xBF\xBD" "b");
    assert_string_equal(ESC(a, buf_html_escape, "&amp;"), "&amp;amp;");
    assert_string_equal(ESC(a, buf_html_escape, ""), "");
    arena_free(a);
}

/* True if libxml2 parses <r>text</r> and gives back `expect`. */
static int xml_roundtrip(const char *escaped, const char *expect)
{
    char *doc;
    if (asprintf(&doc, "<r a=\"%s\">%s</r>", escaped, escaped) < 0)
        return 0;
    xmlDocPtr d = xmlReadMemory(doc, (int)strlen(doc), "t.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(doc);
    if (!d)
        return 0;
    xmlChar *content = xmlNodeGetContent(xmlDocGetRootElement(d));
    int ok = content && (!expect || strcmp((const char *)content, expect) == 0);
    xmlFree(content);
    xmlFreeDoc(d);
    return ok;
}

static void test_xml_escape(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    assert_string_equal(ESC(a, buf_xml_escape, "<a href='x'>&\"</a>"),
                        "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    /* C0 controls other than tab, LF, CR are not XML 1.0 characters. */
    assert_string_equal(ESC(a, buf_xml_escape, "a\x01\x0b\x1f\tb\nc\rd"), "a\tb\nc\rd");
    /* U+FFFE / U+FFFF are not characters in XML either. */
    assert_string_equal(ESC(a, buf_xml_escape, "x\xEF\xBF\xBEy\xEF\xBF\xBFz"), "xyz");
    /* Invalid UTF-8 becomes U+FFFD: lone continuation, overlong, surrogate,
     * truncated sequence at end. */
    assert_string_equal(ESC(a, buf_xml_escape, "\x80"), "\xEF\xBF\xBD");
    assert_string_equal(ESC(a, buf_xml_escape, "\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(ESC(a, buf_xml_escape, "\xD8"), "\xEF\xBF\xBD");
    assert_string_equal(ESC(a, buf_xml_escape, "سوريا"), "سوريا");
    assert_false(xml_roundtrip("a\x01b", NULL)); /* the checker can fail */
    assert_false(xml_roundtrip("\xC0\xAF", NULL));
    assert_true(xml_roundtrip(ESC(a, buf_xml_escape, "نص & <b>\"'"), "نص & <b>\"'"));
    assert_true(xml_roundtrip(ESC(a, buf_xml_escape, "\xED\xA0\x80\xF4\x90\x80\x80\xFF\x00\x01"), NULL));
    arena_free(a);
}

static void test_xml_escape_random_bytes_well_formed(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    unsigned seed = 12345;
    char raw[64];
    for (int round = 0; round < 2000; round++) {
        for (size_t i = 0; i < sizeof raw; i++) {
            seed = seed * 1103515245u + 12345u;
            raw[i] = (char)(seed >> 16);
        }
        assert_true(xml_roundtrip(esc(a, buf_xml_escape, raw, sizeof raw), NULL));
    }
    arena_free(a);
}

/* Parse "<escaped>" as a JSON string and compare with expect. */
static void assert_json_string(const char *escaped, const char *expect)
{
    char *doc;
    assert_true(asprintf(&doc, "\"%s\"", escaped) > 0);
    json_object *o = json_tokener_parse(doc);
    free(doc);
    assert_non_null(o);
    assert_string_equal(json_object_get_string(o), expect);
    json_object_put(o);
}

static void test_json_escape(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    const char *s = ESC(a, buf_json_escape, "</script><script>alert(1)</script>");
    assert_null(strchr(s, '<'));
    assert_null(strchr(s, '>'));
    assert_string_equal(s, "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");
    assert_string_equal(ESC(a, buf_json_escape, "\"\\\n\t\x01"), "\\\"\\\\\\n\\t\\u0001");
    assert_string_equal(ESC(a, buf_json_escape, "a&b'c"), "a\\u0026b\\u0027c");
    assert_string_equal(ESC(a, buf_json_escape, "\xE2\x80\xA8"), "\\u2028");
    assert_string_equal(ESC(a, buf_json_escape, "x\xFFy"), "x\\ufffdy");
    assert_string_equal(ESC(a, buf_json_escape, "الحرب «الروسية»"), "الحرب «الروسية»");
    assert_json_string(ESC(a, buf_json_escape, "«قال» \"هو\" \\ </script>\n"), "«قال» \"هو\" \\ </script>\n");
    arena_free(a);
}

static void test_url_escape(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    assert_string_equal(ESC(a, buf_url_escape, "a b/ج?x=1&y#z"), "a%20b/%D8%AC%3Fx%3D1%26y%23z");
    assert_string_equal(ESC(a, buf_url_escape, "AZaz09-._~/"), "AZaz09-._~/");
    assert_string_equal(ESC(a, buf_url_escape, "\"<>%\x00"), "%22%3C%3E%25%00");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_family),
        cmocka_unit_test(test_arena_backed),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_xml_escape),
        cmocka_unit_test(test_xml_escape_random_bytes_well_formed),
        cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_url_escape),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
