/*
 * test_demo.c - the demo content. The embedded seed text must stay byte for
 * byte the fixture (tests/fixtures/seed-article.txt, read relative to the
 * working directory, the repository root), its parse must keep exactly the
 * article and drop the page furniture, and demo_populate must produce the
 * site the documentation promises: settings, taxonomy, 200+ visible
 * articles, hidden drafts and scheduled items, the seed article with its
 * 30-comment thread, pages and redirects, identically for the same `now`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/demo.h"
#include "core/err.h"
#include "test_util.h"

#define NOW 1764000000LL
#define SEED_TITLE "المئات من الجنود الروس يغيرون ولاءهم ويبدأون القتال من أجل أوكرانيا"
#define FIXTURE "tests/fixtures/seed-article.txt"

typedef struct {
    char dir[64];
    store_t *s;
    arena_t *a;
} fx;

static store_t *open_demo(fx *f, const char *name)
{
    char path[128];
    store_t *s;
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    assert_int_equal(store_open(path, STORE_CREATE, &s), 0);
    assert_int_equal(demo_populate(s, NOW), 0);
    return s;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(test_util_tmpdir(f->dir, sizeof f->dir, "demo"));
    f->a = arena_new(0);
    f->s = open_demo(f, "demo.db");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    arena_free(f->a);
    assert_int_equal(test_util_store_dir_close(f->s, f->dir), 0);
    free(f);
    return 0;
}

static void test_seed_literal_matches_fixture(void **state)
{
    (void)state;
    FILE *fp = fopen(FIXTURE, "rb");
    assert_non_null(fp);
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    assert_int_equal(n, 3664);
    assert_int_equal(demo_seed_len, n);
    assert_memory_equal(demo_seed_text, buf, n);
    assert_int_equal(demo_seed_text[n], '\0');
}

static void test_parse_seed(void **state)
{
    fx *f = *state;
    store_article ar = { 0 };
    int video = 0;
    assert_int_equal(demo_parse_seed(f->a, demo_seed_text, demo_seed_len, &ar, &video), 0);
    assert_true(video);
    assert_string_equal(ar.title, SEED_TITLE);
    assert_string_equal(ar.source, "وطن");
    assert_true(strncmp(ar.lead, "أكدت مصادر دفاعية أوكرانية", strlen("أكدت مصادر دفاعية أوكرانية")) == 0);
    assert_string_equal(ar.lead + strlen(ar.lead) - strlen("لأوكرانيا."), "لأوكرانيا.");
    assert_true(strncmp(ar.body_md, "## تشكيل فيلق “حرية روسيا”\n\n", strlen("## تشكيل فيلق “حرية روسيا”\n\n")) == 0);
    assert_non_null(strstr(ar.body_md, "\n\n## شروط الانضمام لفيلق حرية روسيا\n\n"));
    assert_non_null(strstr(ar.body_md, "\n\n## “بوتين” يستدعي جنود الاحتياط\n\n"));
    int headings = 0, paras = 0;
    for (const char *p = ar.body_md; (p = strstr(p, "\n\n")) != NULL; p += 2)
        paras++;
    for (const char *p = ar.body_md; (p = strstr(p, "## ")) != NULL; p += 3)
        headings++;
    assert_int_equal(headings, 3);
    assert_int_equal(paras + 1, 3 + 10); /* 3 headings + 10 body paragraphs */
    assert_null(strstr(ar.body_md, "قد يهمك"));
    assert_null(strstr(ar.body_md, "تابعنا"));
    assert_null(strstr(ar.body_md, "وطن –"));
    assert_non_null(strstr(ar.body_md, "لن يتم إرسال المجندين الجدد إلى أي مناطق ساخنة"));

    assert_int_equal(demo_parse_seed(f->a, "\xff", 1, &ar, &video), NS_EINVAL);
    assert_int_equal(demo_parse_seed(f->a, "", 0, &ar, &video), NS_EINVAL);
    assert_int_equal(demo_parse_seed(f->a, "عنوان فقط", strlen("عنوان فقط"), &ar, &video), 0);
    assert_false(video);
    assert_string_equal(ar.lead, "");
    assert_null(ar.source);
}

static void test_md_escape(void **state)
{
    fx *f = *state;
    const char *in = "a*b_c [x](y) <b> #1 & `k`";
    assert_string_equal(demo_md_escape(f->a, in, strlen(in)),
                        "a\\*b\\_c \\[x\\](y) \\<b\\> \\#1 \\& \\`k\\`");
    assert_string_equal(demo_md_escape(f->a, "- item", 6), "\\- item");
    assert_string_equal(demo_md_escape(f->a, "12. rank", 8), "12\\. rank");
    assert_string_equal(demo_md_escape(f->a, "   # x", 6), "\\# x");
    assert_string_equal(demo_md_escape(f->a, "نص 1. عادي", strlen("نص 1. عادي")), "نص 1. عادي");
}

static void test_settings(void **state)
{
    fx *f = *state;
    static const struct { const char *k, *v; } want[] = {
        { "site_name", "نشرة" }, { "timezone_offset", "10800" }, { "show_hijri", "1" },
        { "posts_per_page", "12" }, { "follow_facebook", "https://www.facebook.com/nashra" },
    };
    const char *v;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(store_setting_get(f->s, f->a, want[i].k, &v), 0);
        assert_string_equal(v, want[i].v);
    }
    static const char *const follow[] = { "x", "youtube", "telegram", "instagram", "whatsapp" };
    for (size_t i = 0; i < 5; i++) {
        char key[32];
        snprintf(key, sizeof key, "follow_%s", follow[i]);
        assert_int_equal(store_setting_get(f->s, f->a, key, &v), 0);
        assert_true(strncmp(v, "https://", 8) == 0);
    }
    assert_int_equal(store_setting_get(f->s, f->a, "site_description", &v), 0);
    assert_true(strlen(v) > 20);
}

static void test_taxonomy(void **state)
{
    fx *f = *state;
    store_author *au;
    store_category *cats;
    size_t n;
    assert_int_equal(store_author_list(f->s, f->a, &au, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(store_category_list(f->s, f->a, &cats, &n), 0);
    assert_int_equal(n, 6);
    static const char *const slugs[] = { "politics", "economy", "sports", "technology", "culture" };
    static const char *const names[] = { "سياسة", "اقتصاد", "رياضة", "تكنولوجيا", "ثقافة" };
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(cats[i].slug, slugs[i]);
        assert_string_equal(cats[i].name, names[i]);
        assert_int_equal(cats[i].parent_id, 0);
    }
    assert_int_equal(cats[5].parent_id, cats[0].id);
    store_tag t;
    assert_int_equal(store_tag_by_slug(f->s, f->a, "روسيا", &t), 0);
    assert_int_equal(store_tag_by_slug(f->s, f->a, "الذكاء-الاصطناعي", &t), 0);
}

static void test_articles(void **state)
{
    fx *f = *state;
    store_query q = { .now = NOW, .limit = 1000, .with_body = true, .with_tags = true };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    assert_true(l.n >= 200);
    size_t kickers = 0, videos = 0, updated = 0, percat[7] = { 0 };
    for (size_t i = 0; i < l.n; i++) {
        store_article *ar = &l.items[i];
        assert_true(ar->published_at <= NOW && ar->published_at > NOW - 61 * 86400);
        assert_true(ar->updated_at >= ar->published_at && ar->updated_at <= NOW);
        assert_true(ar->ntags >= 2 && ar->ntags <= 4);
        assert_true(ar->author.id > 0 && ar->category.id > 0);
        assert_non_null(strstr(ar->body_md, "## "));
        assert_true(ar->lead && *ar->lead);
        kickers += ar->kicker != NULL;
        videos += ar->video_url != NULL;
        updated += ar->updated_at > ar->published_at;
        percat[ar->category.id < 7 ? ar->category.id : 0]++;
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(l.items[j].slug, ar->slug);
    }
    assert_true(kickers > 10 && kickers < l.n);
    assert_true(videos >= 3);
    assert_true(updated > 10);
    for (int c = 1; c <= 6; c++)
        assert_true(percat[c] >= 30);
    assert_true(l.items[0].published_at > NOW - 3 * 3600); /* looks current */

    /* 2 drafts stay hidden for ever; the scheduled article appears at its time */
    int64_t total = 0, when = 0;
    assert_int_equal(store_article_count(f->s, &q, &total), 0);
    assert_int_equal((size_t)total, l.n);
    q.now = NOW + 400 * 86400;
    assert_int_equal(store_article_count(f->s, &q, &total), 0);
    assert_int_equal((size_t)total, l.n + 1);
    store_article ar;
    size_t hidden = 0;
    for (int64_t id = 1; store_article_by_id(f->s, f->a, id, &ar) == 0; id++)
        hidden += ar.status != ARTICLE_PUBLISHED;
    assert_int_equal(hidden, 3);
    assert_int_equal(store_next_publish(f->s, NOW, &when), 0);
    assert_int_equal(when, NOW + 6 * 3600);
}

static void test_seed_article(void **state)
{
    fx *f = *state;
    store_query q = { .now = NOW, .limit = 1000 };
    struct store_article_list l;
    assert_int_equal(store_article_list(f->s, f->a, &q, &l), 0);
    store_article *seed = NULL;
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(l.items[i].title, SEED_TITLE) == 0)
            seed = &l.items[i];
    assert_non_null(seed);
    store_article ar;
    assert_int_equal(store_article_by_slug(f->s, f->a, seed->slug, NOW, &ar), 0);
    assert_int_equal(ar.id, 1); /* the demo's first article */
    assert_string_equal(ar.slug, "المئات-من-الجنود-الروس-يغيرون-ولاءهم-ويبدأون-القتال-من-أجل-أوكرانيا");
    assert_string_equal(ar.source, "وطن");
    assert_true(strncmp(ar.video_url, "https://www.youtube.com/embed/", 30) == 0);
    assert_string_equal(ar.category.slug, "politics");
    assert_int_equal(ar.published_at, NOW - 7200);
    assert_int_equal(ar.updated_at, NOW - 3600);
    assert_int_equal(ar.ntags, 3);
    store_comment_stats cst;
    assert_int_equal(store_comment_count(f->s, ar.id, &cst), 0);
    assert_int_equal(cst.approved, 30);

    store_comment *c;
    size_t n;
    assert_int_equal(store_comment_list(f->s, f->a, ar.id, COMMENT_APPROVED, &c, &n), 0);
    assert_int_equal(n, 30);
    int maxdepth = 0, replies = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(c[i].created_at > ar.published_at && c[i].created_at <= NOW);
        int depth = 1;
        for (int64_t p = c[i].parent_id; p; depth++) {
            size_t j = 0;
            while (j < i && c[j].id != p)
                j++;
            assert_true(j < i); /* parent exists and is older */
            p = c[j].parent_id;
        }
        replies += c[i].parent_id != 0;
        maxdepth = depth > maxdepth ? depth : maxdepth;
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(c[j].author_name, c[i].author_name);
    }
    assert_true(maxdepth >= 3);
    assert_true(replies >= 5);
    assert_int_equal(store_comment_list(f->s, f->a, ar.id, COMMENT_PENDING, &c, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_comment_list(f->s, f->a, ar.id, COMMENT_SPAM, &c, &n), 0);
    assert_int_equal(n, 1);

    store_redirect r;
    assert_int_equal(store_redirect_lookup(f->s, f->a, "/2022/03/31/old-slug/", &r), 0);
    assert_int_equal(r.status, 301);
    char *want = arena_printf(f->a, "/%s/", ar.slug);
    assert_string_equal(r.to_path, want);
}

static void test_pages(void **state)
{
    fx *f = *state;
    static const char *const slugs[] = { "about", "contact", "privacy" };
    static const char *const titles[] = { "من نحن", "اتصل بنا", "سياسة الخصوصية" };
    store_page p, *pages;
    size_t n;
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(store_page_by_slug(f->s, f->a, slugs[i], &p), 0);
        assert_string_equal(p.title, titles[i]);
    }
    assert_int_equal(store_page_list(f->s, f->a, &pages, &n), 0);
    assert_int_equal(n, 3);
}

static void test_deterministic_and_once(void **state)
{
    fx *f = *state;
    store_t *b = open_demo(f, "again.db");
    store_query q = { .now = NOW, .limit = 1000, .with_body = true };
    struct store_article_list la, lb;
    assert_int_equal(store_article_list(f->s, f->a, &q, &la), 0);
    assert_int_equal(store_article_list(b, f->a, &q, &lb), 0);
    assert_int_equal(la.n, lb.n);
    for (size_t i = 0; i < la.n; i++) {
        assert_string_equal(la.items[i].slug, lb.items[i].slug);
        assert_string_equal(la.items[i].body_md, lb.items[i].body_md);
        assert_int_equal(la.items[i].published_at, lb.items[i].published_at);
    }
    /* a second run is refused and changes nothing */
    assert_int_equal(demo_populate(b, NOW), NS_EEXIST);
    int64_t cnt;
    assert_int_equal(store_article_count(b, &q, &cnt), 0);
    assert_int_equal((size_t)cnt, la.n);
    store_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_literal_matches_fixture),
        cmocka_unit_test(test_parse_seed),
        cmocka_unit_test(test_md_escape),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_taxonomy),
        cmocka_unit_test(test_articles),
        cmocka_unit_test(test_seed_article),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_deterministic_and_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
