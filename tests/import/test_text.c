/*
 * test_text.c - articles from scraped text (import/text.h): the seed
 * article (tests/fixtures/seed-article.txt, read relative to the working
 * directory, the repository root) parsed into exactly its headline, video
 * flag, dateline source, lead, sub-headings and paragraphs with the page
 * furniture left out; and the shapes other pages take: CRLF and a byte
 * order mark, other video markers and datelines, spelling variants of the
 * furniture, quotations, and input that is no article.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "import/text.h"

#define FIXTURE "tests/fixtures/seed-article.txt"
#define SEED_TITLE "المئات من الجنود الروس يغيرون ولاءهم ويبدأون القتال من أجل أوكرانيا"
#define SEED_LEAD "أكدت مصادر دفاعية أوكرانية أن العديد من الجنود الروس غيروا مواقفهم " \
    "وبدأوا في تشكيل فوج جديد لمحاربة القوات الروسية الغازية لأوكرانيا."

static int setup(void **state)
{
    *state = arena_new(0);
    return 0;
}

static int teardown(void **state)
{
    arena_free(*state);
    return 0;
}

static char *read_fixture(arena_t *a, size_t *len)
{
    FILE *f = fopen(FIXTURE, "rb");
    assert_non_null(f);
    char *buf = arena_alloc(a, 16384);
    *len = fread(buf, 1, 16383, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

static store_article parse_ok(arena_t *a, const char *text, size_t len)
{
    store_article ar = { 0 };
    ar.body_format = BODY_HTML;
    assert_int_equal(import_text_parse(a, text, len, &ar), NS_OK);
    assert_int_equal(ar.body_format, BODY_MARKDOWN);
    return ar;
}

static store_article parse_str(arena_t *a, const char *text)
{
    return parse_ok(a, text, strlen(text));
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* The body_md the seed article must give: lines 5-29 of the fixture. */
static const char *const seed_blocks[] = {
    "## تشكيل فيلق “حرية روسيا”",
    "ووفقا لما نشرته صحيفة “ديلي ستار” البريطانية،",
    "وقال راوي الفيديو إن الجنود الروس “أعربوا",
    "و”القاديروف” هم مقاتلون شيشانيون",
    "## شروط الانضمام لفيلق حرية روسيا",
    "وأفاد موقع الأخبار الأوكراني Bagnet",
    "بينما ذكر بيان وزارة الدفاع أن “عدة مئات”",
    "ويُظهر مقطع فيديو",
    "وقال أحدهم: “وزارة الدفاع الروسية ليس لديها فكرة عنا، أو ما نفعله هنا”.",
    "## “بوتين” يستدعي جنود الاحتياط",
    "ويأتي هذا الحديث عن انشقاقات",
    "ووفقًا لمرسوم نشر على موقع الحكومة الروسية",
    "وقد وعدت وزارة الدفاع الروسية بأنه “لن يتم إرسال المجندين الجدد إلى أي مناطق ساخنة”",
};

static void test_seed(void **state)
{
    arena_t *a = *state;
    size_t len;
    char *text = read_fixture(a, &len);
    assert_int_equal(len, 3664);
    store_article ar = parse_ok(a, text, len);
    assert_string_equal(ar.title, SEED_TITLE);
    assert_true(ar.video);
    assert_string_equal(ar.source, "وطن");
    assert_string_equal(ar.lead, SEED_LEAD);
    /* the blocks in order, each one starting a block */
    const char *p = ar.body_md;
    for (size_t i = 0; i < sizeof seed_blocks / sizeof *seed_blocks; i++) {
        const char *at = strstr(p, seed_blocks[i]);
        assert_non_null(at);
        assert_true(at == ar.body_md || (at[-1] == '\n' && at[-2] == '\n'));
        p = at + 1;
    }
    assert_int_equal(count(ar.body_md, "## "), 3);
    assert_int_equal(count(ar.body_md, "\n\n") + 1, 13);
    /* the last paragraph is the body's end: nothing of the furniture */
    static const char last[] = "سيسمح لهم بالعودة إلى ديارهم.\n";
    assert_string_equal(ar.body_md + strlen(ar.body_md) - strlen(last), last);
    static const char *const furniture[] = {
        "قد يهمك", "تعليقات", "ترك الرد", "من فضلك", "تابعنا", "الأحدث", "شاهد", "وطن –",
    };
    for (size_t i = 0; i < sizeof furniture / sizeof *furniture; i++)
        assert_null(strstr(ar.body_md, furniture[i]));
}

static void test_crlf_and_bom(void **state)
{
    arena_t *a = *state;
    store_article ar = parse_str(a, "\xef\xbb\xbfعنوان الخبر (شاهد)\r\n\r\n"
                                    "وطن – نص تمهيدي.\r\n\r\nعنوان فرعي\r\n\r\nفقرة أولى.\r\n");
    assert_string_equal(ar.title, "عنوان الخبر");
    assert_true(ar.video);
    assert_string_equal(ar.source, "وطن");
    assert_string_equal(ar.lead, "نص تمهيدي.");
    assert_string_equal(ar.body_md, "## عنوان فرعي\n\nفقرة أولى.\n");
    /* a CR alone ends a line too */
    ar = parse_str(a, "عنوان\rمقدمة.\rفقرة.\r");
    assert_string_equal(ar.title, "عنوان");
    assert_string_equal(ar.lead, "مقدمة.");
    assert_string_equal(ar.body_md, "فقرة.\n");
}

static void test_video_markers(void **state)
{
    arena_t *a = *state;
    static const char *const marked[] = {
        "خبر عاجل (شاهد)", "خبر عاجل(شاهد)", "خبر عاجل ( شاهد )", "خبر عاجل [شاهد]",
        "خبر عاجل - شاهد", "خبر عاجل – شاهد", "خبر عاجل (فيديو)", "خبر عاجل (شاهد بالفيديو)",
        "  خبر عاجل (شاهد)  ",
    };
    for (size_t i = 0; i < sizeof marked / sizeof *marked; i++) {
        store_article ar = parse_str(a, marked[i]);
        assert_string_equal(ar.title, "خبر عاجل");
        assert_true(ar.video);
    }
    /* the word inside another, or the marker alone, is the headline */
    static const char *const plain[] = { "خبر عن مشاهد", "لقاء (مشاهد)", "(شاهد)", "شاهد" };
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        store_article ar = parse_str(a, plain[i]);
        assert_string_equal(ar.title, plain[i]);
        assert_false(ar.video);
    }
}

static void test_dateline(void **state)
{
    arena_t *a = *state;
    static const struct { const char *text, *source, *lead; } rows[] = {
        { "ع\n\nوطن - نص.", "وطن", "نص." },
        { "ع\n\nبيروت (رويترز) — نص.", "بيروت (رويترز)", "نص." },
        { "ع\n\nوطن – نص - فيه شرطة.", "وطن", "نص - فيه شرطة." },
        /* a dash deep into a sentence is no dateline */
        { "ع\n\nقال المتحدث باسم الوزارة في مؤتمر صحفي عقده اليوم - إن.",
          NULL, "قال المتحدث باسم الوزارة في مؤتمر صحفي عقده اليوم - إن." },
        { "ع\n\nنص بلا شرطة.", NULL, "نص بلا شرطة." },
        { "ع\n\n– نص.", NULL, "– نص." },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        store_article ar = parse_str(a, rows[i].text);
        if (rows[i].source)
            assert_string_equal(ar.source, rows[i].source);
        else
            assert_null(ar.source);
        assert_string_equal(ar.lead, rows[i].lead);
    }
}

static void test_headings_and_quotes(void **state)
{
    arena_t *a = *state;
    store_article ar = parse_str(a,
        "عنوان\n\nمقدمة.\n\n"
        "سطر قصير بلا نقطة\n\n"
        "«هذا كلام منقول بين علامتي تنصيص»\n\n"
        "“وهذا أيضاً”\n\n"
        "\"and this\"\n\n"
        "سطر قصير ينتهي بنقطة.\n\n"
        "سؤال قصير؟\n\n"
        "قال: «نعم.»\n\n"
        "سطر طويل جداً فيه كلمات كثيرة تزيد على ثمان كلمات بلا نقطة في آخره\n\n"
        "1. ليس قائمة.\n");
    assert_string_equal(ar.body_md,
        "## سطر قصير بلا نقطة\n\n"
        "«هذا كلام منقول بين علامتي تنصيص»\n\n"
        "“وهذا أيضاً”\n\n"
        "\"and this\"\n\n"
        "سطر قصير ينتهي بنقطة.\n\n"
        "سؤال قصير؟\n\n"
        "قال: «نعم.»\n\n"
        "سطر طويل جداً فيه كلمات كثيرة تزيد على ثمان كلمات بلا نقطة في آخره\n\n"
        "1\\. ليس قائمة.\n");
}

static void test_markdown_escaped(void **state)
{
    arena_t *a = *state;
    store_article ar = parse_str(a, "ع\n\nم.\n\n# ليس عنواناً <b>x</b> *y* [z](u) & `k`.\n- ليس بنداً.\n");
    assert_string_equal(ar.body_md,
        "\\# ليس عنواناً \\<b\\>x\\</b\\> \\*y\\* \\[z\\](u) \\& \\`k\\`.\n\n\\- ليس بنداً.\n");
    assert_string_equal(import_text_md_escape(a, "  12) x", 7), "12\\) x");
    /* what CommonMark drops at the start goes first, so the marker is seen */
    assert_string_equal(import_text_md_escape(a, "\xef\xbb\xbf - x", 7), "\\- x");
}

static void test_furniture_variants(void **state)
{
    arena_t *a = *state;
    static const char *const starts[] = {
        "قد يهمك أيضا", "قد يهمك ايضاً:", "  تعليقات  ", "3 تعليقات", "١٢ تعليق", "تعليقات (5)",
        "لا توجد تعليقات", "اترك تعليقا", "ترك الرد.", "من فضلك أدخل تعليقك", "تابعنا:", "الاحدث",
    };
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
        char *text = arena_printf(a, "ع\n\nم.\n\nفقرة.\n%s\nما بعدها.\n", starts[i]);
        store_article ar = parse_str(a, text);
        assert_string_equal(ar.body_md, "فقرة.\n");
    }
    /* furniture right after the headline: no lead, no body */
    store_article ar = parse_str(a, "عنوان\n\nتعليقات\n\nنص.");
    assert_string_equal(ar.lead, "");
    assert_string_equal(ar.body_md, "");
    /* a sentence that mentions comments is text */
    ar = parse_str(a, "ع\n\nم.\n\nتعليقات القراء كثيرة على هذا الخبر.\n");
    assert_string_equal(ar.body_md, "تعليقات القراء كثيرة على هذا الخبر.\n");
}

static void test_no_furniture(void **state)
{
    arena_t *a = *state;
    store_article ar = parse_str(a, "عنوان\nالمقدمة هنا.\nفقرة أولى.\n\n\nفقرة ثانية.");
    assert_string_equal(ar.title, "عنوان");
    assert_false(ar.video);
    assert_null(ar.source);
    assert_string_equal(ar.lead, "المقدمة هنا.");
    assert_string_equal(ar.body_md, "فقرة أولى.\n\nفقرة ثانية.\n");
}

static void test_one_line(void **state)
{
    arena_t *a = *state;
    store_article ar = parse_str(a, "عنوان فقط\n");
    assert_string_equal(ar.title, "عنوان فقط");
    assert_string_equal(ar.lead, "");
    assert_null(ar.source);
    assert_string_equal(ar.body_md, "");
    ar = parse_str(a, "\n\n   \n  عنوان بعد أسطر فارغة");
    assert_string_equal(ar.title, "عنوان بعد أسطر فارغة");
}

static void test_not_an_article(void **state)
{
    arena_t *a = *state;
    store_article ar = { 0 };
    assert_int_equal(import_text_parse(a, "", 0, &ar), NS_EINVAL);
    assert_int_equal(import_text_parse(a, NULL, 0, &ar), NS_EINVAL);
    assert_int_equal(import_text_parse(a, " \r\n\t\n", 5, &ar), NS_EINVAL);
    assert_int_equal(import_text_parse(a, "\xef\xbb\xbf\n", 4, &ar), NS_EINVAL);
    assert_int_equal(import_text_parse(a, "\xff\xfe", 2, &ar), NS_EINVAL);
    assert_int_equal(import_text_parse(a, "عنوان\n\xd8", 12, &ar), NS_EINVAL); /* cut */
    assert_int_equal(import_text_parse(a, "a\0b", 3, &ar), NS_EINVAL);
    assert_int_equal(import_text_parse(a, "\xc0\xaf", 2, &ar), NS_EINVAL);   /* overlong */
    assert_null(ar.title);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_and_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_video_markers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dateline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headings_and_quotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_markdown_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_furniture_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_furniture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_an_article, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
