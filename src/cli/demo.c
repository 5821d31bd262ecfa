/*
 * demo.c - builds the demo site. A demo has to look like a real, current
 * Arabic newspaper to be useful for judging the theme, the caches and the
 * feeds, yet be reproducible for tests and benchmarks: so articles are
 * assembled from per-category phrase tables with a fixed-seed generator, and
 * every date is an offset from the `now` the caller passes. The one real
 * article (demo_seed.c) goes through the parser of `nashra import text`
 * (import/text.h): video marker, dateline source, sub-headings, Markdown
 * escaping, and the source site's page furniture dropped.
 */
#include "cli/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/err.h"
#include "core/rng.h"
#include "core/text.h"
#include "import/text.h"
#include "render/markdown.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define DEMO_ARTICLES 210
#define DEMO_SPAN (60 * 86400)   /* articles spread over the last 60 days */
#define SLUG_MAX 200
#define DEMO_IMAGES 8            /* featured images, shared round the articles */

#define PICK(r, arr) ((arr)[rng_below((r), N_ELEMS(arr))])

/* ---- fixed content ---- */

static const struct { const char *key, *value; } demo_settings[] = {
    { "site_name", "نشرة" },
    { "site_description", "نشرة: أخبار عربية مستقلة في السياسة والاقتصاد والرياضة والتكنولوجيا والثقافة على مدار الساعة" },
    { "timezone_offset", "10800" },
    { "show_hijri", "1" },
    { "posts_per_page", "12" },
    { "follow_facebook", "https://www.facebook.com/nashra" },
    { "follow_x", "https://x.com/nashra" },
    { "follow_youtube", "https://www.youtube.com/@nashra" },
    { "follow_telegram", "https://t.me/nashra" },
    { "follow_instagram", "https://www.instagram.com/nashra" },
    { "follow_whatsapp", "https://whatsapp.com/channel/nashra" },
};

static const store_author demo_authors[] = {
    { 0, "ahmed-elmasry", "أحمد المصري", "محرر الشؤون السياسية في نشرة.", "ahmed@nashra.example", NULL },
    { 0, "laila-haddad", "ليلى حداد", "صحفية متخصصة في الاقتصاد والأسواق.", "laila@nashra.example", NULL },
    { 0, "yousef-alkhatib", "يوسف الخطيب", "يكتب عن الرياضة والتكنولوجيا والثقافة.", "yousef@nashra.example", NULL },
};

/* A category with its phrase tables; parent is an index into this table. */
typedef struct {
    const char *slug, *name, *description;
    int parent;                 /* -1: top level */
    const char *events[8], *details[8], *sentences[6], *tags[5];
} demo_category;

static const demo_category demo_cats[] = {
    { "politics", "سياسة", "أخبار السياسة المحلية والعربية", -1,
      { "جلسة طارئة للبرلمان", "مشاورات مكثفة بين الأحزاب", "اجتماع وزاري موسع", "قمة إقليمية مرتقبة",
        "زيارة رسمية لوزير الخارجية", "مباحثات رفيعة المستوى", "حوار وطني جديد", "تعديل حكومي مرتقب" },
      { "لبحث قانون الانتخابات", "حول ملف اللاجئين", "لمناقشة الموازنة العامة", "بشأن الإصلاحات الدستورية",
        "لتعزيز التعاون الأمني", "حول مستقبل الحكم المحلي", "لدعم الاستقرار في المنطقة", "بشأن مكافحة الفساد" },
      { "وأكد مسؤولون أن النقاش سيستمر حتى التوصل إلى صيغة توافقية.",
        "وطالبت كتل المعارضة بمزيد من الشفافية في إدارة الملف.",
        "ويرى محللون أن الخطوة تعكس رغبة في تهدئة الشارع.",
        "وأشار بيان رسمي إلى أن اللجان المختصة ستعرض توصياتها قريباً.",
        "ولم تصدر حتى الآن أي تعليقات من رئاسة الحكومة.",
        "وتحدث نواب عن ضغوط متزايدة لتسريع إقرار القوانين المعلقة." },
      { "انتخابات", "البرلمان", "الحكومة", "الدستور", "الأحزاب" } },
    { "economy", "اقتصاد", "الأسواق والمال والأعمال", -1,
      { "ارتفاع أسعار الذهب", "تراجع معدلات التضخم", "تثبيت أسعار الفائدة", "نمو الصادرات الزراعية",
        "انتعاش سوق العقارات", "خطة لدعم المشروعات الصغيرة", "تقلبات في أسواق النفط",
        "استثمارات جديدة في الطاقة المتجددة" },
      { "خلال الربع الثالث", "مع تزايد الطلب المحلي", "وسط مخاوف من الركود", "بدعم من قطاع السياحة",
        "وفق تقرير رسمي", "رغم ضغوط الديون", "بنسبة قياسية", "في البورصة المحلية" },
      { "وسجلت المؤشرات الرئيسية أداءً متبايناً في ختام التعاملات.",
        "ويتوقع خبراء أن تستمر الضغوط على العملة المحلية.",
        "وأعلن البنك المركزي أنه يراقب التطورات عن كثب.",
        "وارتفعت أحجام التداول إلى أعلى مستوى منذ بداية العام.",
        "ودعت غرف التجارة إلى تسهيلات ضريبية للشركات المتضررة.",
        "وتشير البيانات الأولية إلى تحسن في ثقة المستهلكين." },
      { "النفط", "التضخم", "البورصة", "الاستثمار", "البنوك" } },
    { "sports", "رياضة", "كرة القدم والبطولات العربية والعالمية", -1,
      { "فوز ثمين للمنتخب الوطني", "تعادل مثير في ديربي العاصمة", "انطلاق منافسات الدوري",
        "تأهل تاريخي للنادي", "صفقة انتقال جديدة", "إصابة نجم الفريق", "مدرب جديد للمنتخب",
        "استعدادات مكثفة لكأس آسيا" },
      { "في الدقائق الأخيرة", "أمام جماهير غفيرة", "بعد مباراة ماراثونية", "قبل المواجهة الحاسمة",
        "وسط غيابات مؤثرة", "في ختام الجولة العاشرة", "بحضور رئيس الاتحاد", "ضمن التصفيات القارية" },
      { "وأشاد المدرب بروح اللاعبين والتزامهم التكتيكي.",
        "واحتفلت الجماهير بالنتيجة في شوارع المدينة حتى ساعة متأخرة.",
        "ويحتل الفريق المركز الثالث في جدول الترتيب.",
        "وأكد الجهاز الطبي أن فترة التعافي قد تمتد لأسابيع.",
        "وتنتظر الفريق مباراة صعبة خارج أرضه الأسبوع المقبل.",
        "وشهدت المباراة حضوراً جماهيرياً هو الأكبر هذا الموسم." },
      { "كرة القدم", "المنتخب الوطني", "الدوري", "كأس آسيا", "الألعاب الأولمبية" } },
    { "technology", "تكنولوجيا", "التقنية والاتصالات والابتكار", -1,
      { "إطلاق هاتف ذكي جديد", "ثغرة أمنية خطيرة", "شراكة لتطوير الذكاء الاصطناعي",
        "تحديث جديد لنظام التشغيل", "منصة عربية للتعليم الرقمي", "توسع شبكات الجيل الخامس",
        "تمويل كبير لشركة ناشئة", "قمر صناعي للاتصالات" },
      { "بمواصفات متقدمة", "تهدد ملايين المستخدمين", "في منطقة الخليج", "بدعم حكومي",
        "لأول مرة في المنطقة", "بقيمة عشرة ملايين دولار", "قبل نهاية العام", "لتعزيز الاقتصاد الرقمي" },
      { "وقالت الشركة إن الخدمة ستتوفر تدريجياً في عدة دول عربية.",
        "ونصح خبراء الأمن المستخدمين بتحديث أجهزتهم فوراً.",
        "ويعتمد المشروع على كفاءات شابة من خريجي الجامعات المحلية.",
        "وتسعى الحكومات في المنطقة إلى جذب استثمارات التقنية.",
        "وتبقى أسعار الأجهزة مرتفعة مقارنة بمتوسط الدخل.",
        "وأظهرت الاختبارات الأولى أداءً يفوق التوقعات." },
      { "الذكاء الاصطناعي", "الهواتف الذكية", "الأمن السيبراني", "الشركات الناشئة", "الجيل الخامس" } },
    { "culture", "ثقافة", "الأدب والفنون والتراث", -1,
      { "افتتاح معرض الكتاب الدولي", "مهرجان للسينما العربية", "جائزة أدبية لروائية شابة",
        "ترميم موقع أثري", "أمسية شعرية", "عرض مسرحي جديد", "اكتشاف مخطوطات نادرة",
        "حفل موسيقي للتراث" },
      { "بمشاركة واسعة", "في دورته العاشرة", "وسط حضور جماهيري", "بعد سنوات من الإغلاق",
        "احتفاءً باللغة العربية", "في دار الأوبرا", "بمشاركة فنانين شباب", "في المدينة القديمة" },
      { "وتضمن البرنامج ندوات وورش عمل للأطفال والشباب.",
        "وعبّر الزوار عن إعجابهم بتنوع المعروضات.",
        "وقال المنظمون إن الدورة المقبلة ستشهد مشاركة دولية أوسع.",
        "ويعد الحدث من أبرز المواعيد الثقافية في المنطقة.",
        "وحظيت الأعمال المشاركة بإشادة النقاد.",
        "وخصصت وزارة الثقافة جوائز لأفضل الأعمال الأولى." },
      { "السينما", "الأدب", "المسرح", "التراث", "الموسيقى" } },
    { "world", "شؤون دولية", "أخبار العالم والعلاقات الدولية", 0,
      { "قمة دولية للمناخ", "توتر متصاعد على الحدود", "انتخابات رئاسية حاسمة",
        "اتفاق لوقف إطلاق النار", "عقوبات اقتصادية جديدة", "مفاوضات نووية", "أزمة لاجئين",
        "تحالف عسكري جديد" },
      { "في أوروبا", "في آسيا الوسطى", "برعاية أممية", "وسط انقسام دولي", "في أمريكا اللاتينية",
        "بعد أسابيع من المحادثات", "في القرن الأفريقي", "تثير قلق العواصم الغربية" },
      { "ودعا الأمين العام للأمم المتحدة إلى ضبط النفس.",
        "وتتباين مواقف القوى الكبرى حيال الأزمة.",
        "وتحدثت تقارير عن تحركات دبلوماسية مكثفة خلف الكواليس.",
        "ويخشى مراقبون من تداعيات إنسانية واسعة.",
        "وأعلنت عدة دول استعدادها للوساطة بين الأطراف.",
        "وتراقب الأسواق العالمية تطورات الموقف بقلق." },
      { "روسيا", "أوكرانيا", "بوتين", "الأمم المتحدة", "الاتحاد الأوروبي" } },
};

static const char *const demo_common_tags[] = { "تقارير", "الشباب", "المرأة", "حوارات" };

static const char *const demo_times[] = {
    "", "", "هذا الأسبوع", "اليوم", "في العاصمة", "بعد أشهر من الجمود",
};
static const char *const demo_kickers[] = { "عاجل", "تقرير", "حصري", "تحليل", "متابعة" };
static const char *const demo_leads[] = {
    "تتابع نشرة تطورات %s، في ظل اهتمام واسع من المتابعين.",
    "كشفت مصادر مطلعة تفاصيل جديدة حول %s، وسط توقعات بمزيد من التطورات خلال الأيام المقبلة.",
    "شهدت الساعات الماضية %s، في خطوة وصفها مراقبون بأنها لافتة.",
    "يتصدر خبر %s اهتمامات الرأي العام، مع تعدد القراءات حول دلالاته.",
};
static const char *const demo_headings[] = {
    "خلفيات القرار", "ردود الفعل", "ماذا بعد؟", "أرقام ودلالات", "السياق العام", "آراء الخبراء",
};
static const char *const demo_common_sentences[] = {
    "وتأتي هذه التطورات في وقت تشهد فيه المنطقة تحولات متسارعة.",
    "وتداول ناشطون على مواقع التواصل الاجتماعي صوراً ومقاطع من الحدث.",
    "وقال مصدر مسؤول إن الجهات المعنية ستصدر بياناً مفصلاً لاحقاً.",
    "ويرى متابعون أن الأيام المقبلة ستكون حاسمة في تحديد الاتجاه.",
    "ولم يتسن لنشرة التحقق بشكل مستقل من جميع التفاصيل.",
    "وتعهدت السلطات بمتابعة الملف وإطلاع الرأي العام على المستجدات.",
    "وأثار الخبر نقاشاً واسعاً بين المختصين حول الأولويات.",
    "وبحسب الأرقام المتاحة، فإن المؤشرات تتجه نحو التحسن.",
};

/* ---- Markdown and the seed article ---- */

char *demo_md_escape(arena_t *a, const char *line, size_t n)
{
    return import_text_md_escape(a, line, n);
}

int demo_parse_seed(arena_t *a, const char *text, size_t len, store_article *out, int *has_video)
{
    int rc = import_text_parse(a, text, len, out);
    *has_video = rc == 0 && out->video;
    return rc;
}

/* ---- populating ---- */

#define NCATS N_ELEMS(demo_cats)
#define NCOMMON N_ELEMS(demo_common_tags)

typedef struct {
    store_t *s;
    arena_t *a;
    rng_t rng;
    int64_t now;
    int64_t authors[N_ELEMS(demo_authors)];
    int64_t cats[NCATS];
    int64_t tags[NCATS][5], common[NCOMMON];
    const char *dir;            /* the site's directory for images; NULL: none */
    store_media images[DEMO_IMAGES];
    size_t nimages;
    const char *seed_path;      /* "/slug/" of the seed article */
    int64_t seed_id, seed_published;
} demo_ctx;

static int add_settings(demo_ctx *d)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < N_ELEMS(demo_settings); i++)
        rc = store_setting_set(d->s, demo_settings[i].key, demo_settings[i].value);
    return rc;
}

static int add_authors(demo_ctx *d)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < N_ELEMS(demo_authors); i++) {
        store_author au = demo_authors[i];
        rc = store_author_insert(d->s, &au);
        d->authors[i] = au.id;
    }
    return rc;
}

static int add_tag(demo_ctx *d, const char *name, int64_t *id)
{
    store_tag t = { 0, NULL, name };
    int rc = store_tag_ensure(d->s, &t);
    *id = t.id;
    return rc;
}

static int add_taxonomy(demo_ctx *d)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < NCATS; i++) {
        const demo_category *dc = &demo_cats[i];
        store_category c = { 0, dc->parent < 0 ? 0 : d->cats[dc->parent], dc->slug, dc->name,
                             dc->description, (int)i + 1 };
        rc = store_category_insert(d->s, &c);
        d->cats[i] = c.id;
        for (size_t k = 0; rc == 0 && k < 5; k++)
            rc = add_tag(d, dc->tags[k], &d->tags[i][k]);
    }
    for (size_t k = 0; rc == 0 && k < NCOMMON; k++)
        rc = add_tag(d, demo_common_tags[k], &d->common[k]);
    return rc;
}

/* Insert with slug = slugified title, suffixed -2, -3… until unique, and
 * the body rendered once here so readers need not run Markdown. */
static int insert_unique(demo_ctx *d, store_article *ar, const int64_t *tags, size_t n)
{
    const char *base = text_slugify(d->a, ar->title, SLUG_MAX);
    char *html = NULL;
    int rc = ar->body_md ? markdown_render(d->a, ar->body_md, strlen(ar->body_md), &html) : 0;
    if (rc < 0)
        return rc;
    ar->body_html = html;
    ar->slug = base;
    for (int k = 2; (rc = store_article_insert(d->s, ar, tags, n)) == NS_EEXIST && k < 1000; k++)
        ar->slug = arena_printf(d->a, "%s-%d", base, k);
    return rc;
}

/* The category's and the common sentences, shuffled: consumed in order so
 * a paragraph never repeats a sentence. */
typedef struct {
    const char *s[6 + N_ELEMS(demo_common_sentences)];
    size_t next;
} sentence_deck;

static void deck_shuffle(demo_ctx *d, sentence_deck *k, const demo_category *c)
{
    for (size_t i = 0; i < N_ELEMS(k->s); i++)
        k->s[i] = i < 6 ? c->sentences[i] : demo_common_sentences[i - 6];
    for (size_t i = N_ELEMS(k->s) - 1; i > 0; i--) {
        size_t j = rng_below(&d->rng, i + 1);
        const char *t = k->s[i];
        k->s[i] = k->s[j];
        k->s[j] = t;
    }
    k->next = 0;
}

static void gen_paragraph(demo_ctx *d, FILE *f, sentence_deck *k)
{
    size_t n = 2 + rng_below(&d->rng, 2);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? " " : "", k->s[k->next++ % N_ELEMS(k->s)]);
    fputs("\n\n", f);
}

/* 4–8 paragraphs with one or two "## " sub-headings. */
static char *gen_body(demo_ctx *d, const demo_category *c)
{
    char *md = NULL;
    size_t len = 0, paras = 4 + rng_below(&d->rng, 5), h = rng_below(&d->rng, 6);
    sentence_deck deck;
    deck_shuffle(d, &deck, c);
    FILE *f = open_memstream(&md, &len);
    if (!f)
        abort();
    for (size_t p = 0; p < paras; p++) {
        if (p == 1 || (p == 4 && paras >= 6))
            fprintf(f, "## %s\n\n", demo_headings[h++ % N_ELEMS(demo_headings)]);
        gen_paragraph(d, f, &deck);
    }
    fclose(f);
    char *out = arena_strndup(d->a, md, len ? len - 1 : 0);
    free(md);
    return out;
}

/* 2–4 distinct tags: at least one of the category's, maybe a common one. */
static size_t gen_tags(demo_ctx *d, size_t cat, int64_t *out)
{
    int64_t pool[5 + NCOMMON];
    memcpy(pool, d->tags[cat], sizeof d->tags[cat]);
    memcpy(pool + 5, d->common, sizeof d->common);
    size_t n = 2 + rng_below(&d->rng, 3);
    for (size_t i = 0; i < n; i++) {
        size_t lo = i == 0 ? 0 : i, hi = i == 0 ? 5 : N_ELEMS(pool);
        size_t j = lo + rng_below(&d->rng, hi - lo);
        int64_t t = pool[i];
        pool[i] = pool[j];
        pool[j] = t;
        out[i] = pool[i];
    }
    return n;
}

static const char *gen_video(demo_ctx *d)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char id[12];
    for (size_t i = 0; i < 11; i++)
        id[i] = b64[rng_below(&d->rng, 64)];
    id[11] = '\0';
    return arena_printf(d->a, "https://www.youtube.com/embed/%s", id);
}

static int add_article(demo_ctx *d, int i)
{
    size_t cat = (size_t)i % NCATS;
    const demo_category *c = &demo_cats[cat];
    const char *event = PICK(&d->rng, c->events), *when = PICK(&d->rng, demo_times);
    store_article ar = { 0 };
    ar.title = arena_printf(d->a, "%s %s%s%s", event, PICK(&d->rng, c->details),
                            *when ? " " : "", when);
    ar.kicker = rng_below(&d->rng, 4) == 0 ? PICK(&d->rng, demo_kickers) : NULL;
    ar.lead = arena_printf(d->a, PICK(&d->rng, demo_leads), event);
    ar.body_md = gen_body(d, c);
    ar.video_url = i % 23 == 5 ? gen_video(d) : NULL;
    ar.status = ARTICLE_PUBLISHED;
    ar.comments_open = true;
    ar.published_at = d->now - 1200 - (int64_t)i * (DEMO_SPAN - 7200) / DEMO_ARTICLES -
                      (int64_t)rng_below(&d->rng, 1800);
    ar.created_at = ar.published_at - 3600;
    ar.updated_at = ar.published_at;
    if (rng_below(&d->rng, 3) == 0)
        ar.updated_at += 600 + (int64_t)rng_below(&d->rng, 6 * 3600);
    if (ar.updated_at > d->now)
        ar.updated_at = d->now;
    ar.author_id = d->authors[rng_below(&d->rng, N_ELEMS(demo_authors))];
    ar.category_id = d->cats[cat];
    if (d->nimages) {
        const store_media *m = &d->images[(size_t)i % d->nimages];
        ar.image_id = m->id;
        ar.image_url = m->url;
        ar.image_alt = m->alt;
    }
    int64_t tags[4];
    size_t ntags = gen_tags(d, cat, tags);
    return insert_unique(d, &ar, tags, ntags);
}

static int add_articles(demo_ctx *d)
{
    int rc = 0;
    for (int i = 0; rc == 0 && i < DEMO_ARTICLES; i++)
        rc = add_article(d, i);
    return rc;
}

/* Two drafts (one with a past date) and one scheduled article: never visible. */
static int add_unpublished(demo_ctx *d)
{
    static const struct { const char *title; article_status st; int64_t offset; } rows[] = {
        { "مسودة: ملف خاص عن الانتخابات البلدية", ARTICLE_DRAFT, -3600 },
        { "مسودة: حوار مع وزير الاقتصاد", ARTICLE_DRAFT, 0 },
        { "تغطية خاصة: نتائج القمة الاقتصادية", ARTICLE_SCHEDULED, 6 * 3600 },
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < N_ELEMS(rows); i++) {
        store_article ar = { 0 };
        ar.title = rows[i].title;
        ar.lead = "نص تمهيدي سيكتمل قبل النشر.";
        ar.body_md = gen_body(d, &demo_cats[i % NCATS]);
        ar.status = rows[i].st;
        ar.comments_open = true;
        ar.created_at = d->now - 7200;
        ar.published_at = rows[i].offset ? d->now + rows[i].offset : 0;
        ar.updated_at = ar.created_at;
        ar.author_id = d->authors[i % N_ELEMS(demo_authors)];
        ar.category_id = d->cats[i % NCATS];
        rc = insert_unique(d, &ar, d->tags[i % NCATS], 2);
    }
    return rc;
}

static int add_seed(demo_ctx *d)
{
    static const char *const seed_tags[] = { "روسيا", "أوكرانيا", "بوتين" };
    store_article ar = { 0 };
    int video = 0, rc = demo_parse_seed(d->a, demo_seed_text, demo_seed_len, &ar, &video);
    int64_t tags[N_ELEMS(seed_tags)];
    for (size_t i = 0; rc == 0 && i < N_ELEMS(seed_tags); i++)
        rc = add_tag(d, seed_tags[i], &tags[i]);
    if (rc)
        return rc;
    ar.video_url = video ? "https://www.youtube.com/embed/Kq7vN2xR4tE" : NULL;
    ar.status = ARTICLE_PUBLISHED;
    ar.comments_open = true;
    ar.published_at = d->now - 7200;
    ar.created_at = ar.published_at - 900;
    ar.updated_at = d->now - 3600;
    ar.author_id = d->authors[0];
    ar.category_id = d->cats[0];
    rc = insert_unique(d, &ar, tags, N_ELEMS(tags));
    d->seed_id = ar.id;
    d->seed_published = ar.published_at;
    d->seed_path = arena_printf(d->a, "/%s/", ar.slug);
    return rc;
}

/* ---- the seed article's discussion ---- */

#define SEED_COMMENTS 30

/* Parent of each approved comment (index into this table, -1: top level):
 * threads up to four levels deep. */
static const signed char demo_thread[SEED_COMMENTS] = {
    -1, 0, 1, 2, -1, 4, -1, 6, 7, -1, -1, 10, 0, 12, -1,
    14, 15, -1, -1, 18, -1, 20, 21, -1, 23, -1, 25, -1, 27, -1,
};
static const char *const demo_first_names[] = {
    "محمد", "فاطمة", "خالد", "مريم", "عمر", "سارة", "علي", "نور", "حسن", "هدى",
};
static const char *const demo_family_names[] = { "العلي", "السيد", "الأنصاري" };
static const char *const demo_comment_text[] = {
    "تقرير مهم، شكراً على المتابعة المستمرة.",
    "هل هناك مصادر مستقلة تؤكد هذه الأرقام؟",
    "أتفق معك، الصورة ما زالت غير واضحة.",
    "الفيديو يستحق المشاهدة فعلاً.",
    "لا أظن أن هذا سيغير شيئاً على الأرض.",
    "الحرب مأساة للجميع، نتمنى السلام قريباً.",
    "معلومة جديدة بالنسبة لي، شكراً للتوضيح.",
    "الرد في محله، الإعلام الحربي يبالغ دائماً.",
    "أين يمكن قراءة نص المرسوم كاملاً؟",
    "تحليل متوازن، أرجو نشر المزيد من التفاصيل.",
    "المسألة أعقد مما يظهر في العناوين.",
    "متابعة ممتازة من فريق نشرة.",
};

static int add_comment(demo_ctx *d, store_comment *c)
{
    c->article_id = d->seed_id;
    c->user_agent = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36";
    return store_comment_insert(d->s, c);
}

static int add_comments(demo_ctx *d)
{
    int64_t ids[SEED_COMMENTS];
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < SEED_COMMENTS; i++) {
        store_comment c = { 0 };
        c.parent_id = demo_thread[i] < 0 ? 0 : ids[(size_t)demo_thread[i]];
        c.author_name = arena_printf(d->a, "%s %s", demo_first_names[i % 10],
                                     demo_family_names[i / 10]);
        c.author_email = arena_printf(d->a, "reader%zu@example.com", i + 1);
        c.body = demo_comment_text[(i * 5) % N_ELEMS(demo_comment_text)];
        c.ip = arena_printf(d->a, "192.0.2.%zu", i + 10);
        c.status = COMMENT_APPROVED;
        c.created_at = d->seed_published + 180 * (int64_t)(i + 1);
        rc = add_comment(d, &c);
        ids[i] = c.id;
    }
    static const struct { const char *name, *url, *body; comment_status st; } hidden[] = {
        { "زائر", NULL, "تعليق بانتظار المراجعة.", COMMENT_PENDING },
        { "قارئ جديد", NULL, "هل يمكن نشر المصدر الأصلي للفيديو؟", COMMENT_PENDING },
        { "عروض رائعة", "https://spam.example/offer", "اربح الآن! اضغط على الرابط.", COMMENT_SPAM },
    };
    for (size_t i = 0; rc == 0 && i < N_ELEMS(hidden); i++) {
        store_comment c = { 0 };
        c.author_name = hidden[i].name;
        c.author_url = hidden[i].url;
        c.body = hidden[i].body;
        c.ip = "198.51.100.7";
        c.status = hidden[i].st;
        c.created_at = d->seed_published + 600 * (int64_t)(i + 1);
        rc = add_comment(d, &c);
    }
    return rc;
}

/* ---- pages and redirects ---- */

static int add_pages(demo_ctx *d)
{
    static const struct { const char *slug, *title, *body; } pages[] = {
        { "about", "من نحن",
          "**نشرة** موقع إخباري عربي مستقل يقدم الأخبار والتحليلات على مدار الساعة.\n\n"
          "## رسالتنا\n\nنلتزم بالدقة والتوازن ونفصل بين الخبر والرأي." },
        { "contact", "اتصل بنا",
          "يسعدنا تواصلكم معنا.\n\n- البريد الإلكتروني: contact@nashra.example\n"
          "- الهاتف: ‎+971 4 000 0000\n\nللتصحيحات: corrections@nashra.example" },
        { "privacy", "سياسة الخصوصية",
          "نحترم خصوصية قرائنا.\n\n## البيانات التي نجمعها\n\n"
          "عند التعليق نحفظ الاسم والبريد الإلكتروني وعنوان IP لمكافحة الرسائل المزعجة.\n\n"
          "## ملفات تعريف الارتباط\n\nلا نستخدم ملفات تعريف الارتباط لأغراض إعلانية." },
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < N_ELEMS(pages); i++) {
        store_page p = { .slug = pages[i].slug, .title = pages[i].title, .body_md = pages[i].body,
                         .published = true, .published_at = d->now - DEMO_SPAN,
                         .updated_at = d->now - DEMO_SPAN / 2 };
        rc = store_page_insert(d->s, &p);
    }
    return rc;
}

static int add_redirects(demo_ctx *d)
{
    const store_redirect rows[] = {
        { "/2022/03/31/old-slug/", d->seed_path, 301 },
        { "/2022/03/31/المئات-من-الجنود-الروس/", d->seed_path, 301 },
        { "/category/international/", "/category/world/", 302 },
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < N_ELEMS(rows); i++)
        rc = store_redirect_insert(d->s, &rows[i]);
    return rc;
}

static int add_images(demo_ctx *d)
{
    if (!d->dir)
        return 0;
    int rc = demo_images(d->s, d->a, d->dir, d->now, d->images, DEMO_IMAGES);
    d->nimages = rc == 0 ? DEMO_IMAGES : 0;
    return rc;
}

static int (*const demo_steps[])(demo_ctx *) = {
    add_images, add_settings, add_authors, add_taxonomy, add_seed, add_comments, add_articles,
    add_unpublished, add_pages, add_redirects,
};

int demo_populate(store_t *s, int64_t now)
{
    return demo_populate_site(s, NULL, now);
}

int demo_populate_site(store_t *s, const char *dir, int64_t now)
{
    demo_ctx d = { .s = s, .a = arena_new(1 << 16), .rng = { 0x6e61736872610001ull }, .now = now,
                   .dir = dir };
    /* the articles are indexed and related once they are all there */
    store_index_defer(s, true);
    int rc = store_begin(s);
    for (size_t i = 0; rc == 0 && i < N_ELEMS(demo_steps); i++)
        rc = demo_steps[i](&d);
    if (rc == 0)
        rc = store_commit(s);
    else
        store_rollback(s);
    store_index_defer(s, false);
    arena_free(d.a);
    return rc ? rc : store_reindex(s, NULL, NULL);
}
