/*
 * test_wxr.c - the WXR reader: the real export (tests/fixtures/wordpress,
 * read from the repository root) counted item by item, and hostile or
 * broken files refused with the line where they break.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "import/wxr.h"

#define FIXTURE "tests/fixtures/wordpress/export-full.xml"

typedef struct counts {
    int authors, categories, tags, other_terms, posts, comments, replies, meta, item_terms;
    int rc;
    long err_line;
    const char *err;
} counts;

static void count_event(counts *c, const wxr_event *ev)
{
    if (ev->kind == WXR_AUTHOR)
        c->authors++;
    if (ev->kind == WXR_TERM && ev->u.term.generic)
        c->other_terms++;
    else if (ev->kind == WXR_TERM) {
        const char *t = ev->u.term.taxonomy;
        *(strcmp(t, "category") == 0 ? &c->categories : strcmp(t, "post_tag") == 0 ? &c->tags : &c->other_terms) += 1;
    }
    if (ev->kind != WXR_ITEM)
        return;
    const wxr_item *it = &ev->u.item;
    c->posts += strcmp(it->post_type, "post") == 0;
    c->comments += (int)it->ncomments;
    c->meta += (int)it->nmeta;
    c->item_terms += (int)it->nterms;
    for (size_t i = 0; i < it->ncomments; i++)
        c->replies += it->comments[i].parent != 0;
}

static counts read_all(wxr_reader *r)
{
    counts c = { 0 };
    arena_t *a = arena_new(0);
    wxr_event ev;
    while ((c.rc = wxr_next(r, a, &ev)) == 0 && ev.kind != WXR_END) {
        count_event(&c, &ev);
        arena_reset(a);
    }
    c.err = strdup(wxr_error(r, &c.err_line));
    arena_free(a);
    return c;
}

static counts read_text(const char *xml)
{
    wxr_reader *r;
    assert_int_equal(wxr_open_memory(xml, strlen(xml), &r), 0);
    counts c = read_all(r);
    wxr_close(r);
    return c;
}

static void test_fixture_counts(void **state)
{
    (void)state;
    wxr_reader *r;
    assert_int_equal(wxr_open(FIXTURE, &r), 0);
    counts c = read_all(r);
    assert_int_equal(c.rc, 0);
    assert_int_equal(c.authors, 1);
    assert_int_equal(c.posts, 201);
    assert_int_equal(c.comments, 158);
    assert_int_equal(c.replies, 10);
    assert_int_equal(c.categories, 6); /* five and «غير مصنف» */
    assert_int_equal(c.tags, 49);
    assert_int_equal(c.other_terms, 55); /* the same again as <wp:term> */
    int tag_uses = c.item_terms - c.posts; /* each post is in one category */
    assert_int_equal(tag_uses, 609);
    assert_int_equal(wxr_unknown(r), 0);
    const wxr_site *site = wxr_site_info(r);
    assert_string_equal(site->base_site_url, "http://127.0.0.1:8081");
    assert_string_equal(site->version, "1.2");
    assert_string_equal(site->title, "نشرة");
    int64_t done, size;
    wxr_position(r, &done, &size);
    assert_true(size > 1000000);
    assert_true(done > 0 && done <= size);
    free((void *)c.err);
    wxr_close(r);
}

/* The first item of the fixture, field by field. */
static void test_fixture_first_item(void **state)
{
    (void)state;
    wxr_reader *r;
    assert_int_equal(wxr_open(FIXTURE, &r), 0);
    arena_t *a = arena_new(0);
    wxr_event ev;
    do
        assert_int_equal(wxr_next(r, a, &ev), 0);
    while (ev.kind != WXR_ITEM);
    const wxr_item *it = &ev.u.item;
    assert_true(it->id > 0);
    assert_string_equal(it->post_type, "post");
    assert_string_equal(it->status, "publish");
    assert_non_null(strstr(it->content, "<!-- wp:paragraph -->"));
    assert_true(strncmp(it->post_name, "%d8%", 4) == 0);
    assert_true(strncmp(it->link, "http://127.0.0.1:8081/", 22) == 0);
    assert_string_equal(it->creator, "admin");
    assert_int_equal(strlen(it->post_date_gmt), 19);
    assert_true(it->line > 1);
    arena_free(a);
    wxr_close(r);
}

#define WXR_HEAD \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
    "<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.1/excerpt/\"\n" \
    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n" \
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.1/\">\n" \
    "<channel><title>t</title><wp:wxr_version>1.1</wp:wxr_version>\n" \
    "<wp:base_site_url>http://old.example</wp:base_site_url>\n"

/* Version 1.1, and another prefix bound to the same namespace: read by
 * namespace, not by prefix; comment fields and unknown elements. */
static void test_namespaces_and_fields(void **state)
{
    (void)state;
    const char *xml = WXR_HEAD
        "<item><title>عنوان</title><w:post_id xmlns:w=\"http://wordpress.org/export/1.1/\">7</w:post_id>"
        "<wp:post_type>post</wp:post_type><wp:status>draft</wp:status><wp:is_sticky>1</wp:is_sticky>"
        "<wp:menu_order>3</wp:menu_order><x:odd xmlns:x=\"urn:x\">?</x:odd>"
        "<category domain=\"post_tag\" nicename=\"%d8%a7\"><![CDATA[ا]]></category>"
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>9</wp:meta_value></wp:postmeta>"
        "<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_parent>0</wp:comment_parent>"
        "<wp:comment_user_id>2</wp:comment_user_id><wp:comment_type>pingback</wp:comment_type></wp:comment>"
        "</item></channel></rss>";
    wxr_reader *r;
    assert_int_equal(wxr_open_memory(xml, strlen(xml), &r), 0);
    arena_t *a = arena_new(0);
    wxr_event ev;
    assert_int_equal(wxr_next(r, a, &ev), 0);
    assert_int_equal(ev.kind, WXR_ITEM);
    const wxr_item *it = &ev.u.item;
    assert_int_equal(it->id, 7);
    assert_true(it->sticky);
    assert_int_equal(it->menu_order, 3);
    assert_string_equal(it->title, "عنوان");
    assert_string_equal(it->excerpt, "");
    assert_int_equal(it->nterms, 1);
    assert_string_equal(it->terms[0].nicename, "%d8%a7");
    assert_string_equal(it->terms[0].name, "ا");
    assert_int_equal(it->nmeta, 1);
    assert_string_equal(it->meta[0].value, "9");
    assert_int_equal(it->ncomments, 1);
    assert_int_equal(it->comments[0].user_id, 2);
    assert_string_equal(it->comments[0].type, "pingback");
    assert_int_equal(wxr_unknown(r), 1);
    assert_int_equal(wxr_next(r, a, &ev), 0);
    assert_int_equal(ev.kind, WXR_END);
    assert_string_equal(wxr_site_info(r)->version, "1.1");
    arena_free(a);
    wxr_close(r);
}

/* A broken file: NS_EINVAL, a message with `want` in it, and the line. */
static void assert_refused(const char *xml, const char *want, long line)
{
    counts c = read_text(xml);
    assert_int_equal(c.rc, NS_EINVAL);
    if (!strstr(c.err, want))
        fail_msg("error \"%s\" lacks \"%s\"", c.err, want);
    if (line)
        assert_int_equal(c.err_line, line);
    free((void *)c.err);
}

static void test_refused(void **state)
{
    (void)state;
    assert_refused("", "empty", 0);
    assert_refused("<html><body/></html>", "not <rss>", 1);
    assert_refused("<rss><channel><item><title>x</title></item></channel></rss>", "wxr_version", 1);
    assert_refused(WXR_HEAD "<item>\n<title>x</channel></rss>", "not well-formed", 8);
    assert_refused(WXR_HEAD "<item><title>x</title>\n<wp:post_id>", "not well-formed", 0);
    assert_refused(WXR_HEAD "<item>\n<wp:post_id>12a</wp:post_id></item></channel></rss>", "not a number", 8);
    assert_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\">"
                   "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<rss>&b;</rss>",
                   "DOCTYPE", 0);
    assert_refused("<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"file:///etc/passwd\"><rss/>", "DOCTYPE", 0);
    assert_refused("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss>\xff\xfe</rss>", "not well-formed", 0);
    /* a version this reader does not know */
    assert_refused("<rss xmlns:wp=\"http://wordpress.org/export/2.0/\"><channel>"
                   "<wp:wxr_version>2.0</wp:wxr_version><item/></channel></rss>", "2.0", 0);
}

/* A file cut anywhere is refused, never read as complete. */
static void test_truncated_anywhere(void **state)
{
    (void)state;
    FILE *f = fopen(FIXTURE, "rb");
    assert_non_null(f);
    static char buf[1 << 21];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 100000);
    for (size_t cut = 1; cut < n; cut += n / 37) {
        wxr_reader *r;
        assert_int_equal(wxr_open_memory(buf, cut, &r), 0);
        counts c = read_all(r);
        assert_int_equal(c.rc, NS_EINVAL);
        free((void *)c.err);
        wxr_close(r);
    }
}

static void test_missing_file(void **state)
{
    (void)state;
    wxr_reader *r;
    assert_int_equal(wxr_open("/nonexistent/export.xml", &r), NS_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_counts),
        cmocka_unit_test(test_fixture_first_item),
        cmocka_unit_test(test_namespaces_and_fields),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_truncated_anywhere),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
