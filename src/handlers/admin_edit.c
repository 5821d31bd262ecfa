/*
 * admin_edit.c - the article editor: GET/POST /admin/articles/new and
 * /admin/articles/{id}/.
 *
 * The form is kept as the text the person typed (edit_form) from the
 * moment it arrives to the moment it is saved, so that every refusal
 * (an expired session, a bad token, a field that does not validate, a
 * role that may not choose a status, another save that came first) gives
 * it back whole with the reason. A save names the revision it was read
 * at; when the stored one moved on nothing is written and both texts are
 * shown (409) until the person saves theirs explicitly over the other's.
 */
#include "handlers/admin.h"

#include <stddef.h>
#include <string.h>
#include <time.h>
#include "core/date.h"
#include "core/err.h"
#include "core/text.h"
#include "handlers/admin_article.h"
#include "handlers/view.h"

enum { EDIT_TAGS_MAX = 30, EDIT_TITLE_MAX = 300, EDIT_SLUG_MAX = 190, EDIT_IMAGES = 40,
       EDIT_ERRORS_MAX = 8 };

/* What the form holds, as typed. */
typedef struct edit_form {
    const char *title, *slug, *kicker, *lead, *body, *tags, *category, *image, *video_url,
        *source, *status, *date, *time, *revision, *seen;
    bool comments_open, breaking, force;
} edit_form;

/* The form's text fields and where each goes (the checkboxes are read apart). */
static const struct edit_field {
    const char *name;
    size_t off;
} edit_fields[] = {
    {"title", offsetof(edit_form, title)},       {"slug", offsetof(edit_form, slug)},
    {"kicker", offsetof(edit_form, kicker)},     {"lead", offsetof(edit_form, lead)},
    {"body", offsetof(edit_form, body)},         {"tags", offsetof(edit_form, tags)},
    {"category", offsetof(edit_form, category)}, {"image", offsetof(edit_form, image)},
    {"video_url", offsetof(edit_form, video_url)}, {"source", offsetof(edit_form, source)},
    {"status", offsetof(edit_form, status)},     {"date", offsetof(edit_form, date)},
    {"time", offsetof(edit_form, time)},         {"revision", offsetof(edit_form, revision)},
    {"seen", offsetof(edit_form, seen)},
};

#define EDIT_FIELD(f, i) ((const char **)((char *)(f) + edit_fields[i].off))

/* Statuses in the order the form offers them, and whether a role without
 * CAP_PUBLISH may choose each. */
static const struct edit_status {
    article_status st;
    bool contributor;
} edit_statuses[] = {
    {ARTICLE_DRAFT, true},
    {ARTICLE_PENDING, true},
    {ARTICLE_SCHEDULED, false},
    {ARTICLE_PUBLISHED, false},
};

/* Video addresses the site turns into its click-to-load embed. */
static const char *const edit_video_prefixes[] = {
    "https://www.youtube.com/watch?v=", "https://youtube.com/watch?v=",
    "https://m.youtube.com/watch?v=",   "https://youtu.be/",
    "https://www.youtube.com/embed/",   "https://vimeo.com/",
    "https://www.vimeo.com/",           "https://player.vimeo.com/video/",
};

/* What a refused save says, and with which status. */
typedef struct edit_errors {
    const char *v[EDIT_ERRORS_MAX];
    size_t n;
    int status;
} edit_errors;

static void edit_fail(edit_errors *e, int status, const char *msg)
{
    if (e->n < EDIT_ERRORS_MAX)
        e->v[e->n++] = msg;
    if (!e->status || status == 403)
        e->status = status;
}

/* ---- the form and the article ---- */

static void edit_form_read(const hreq_t *rq, edit_form *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < sizeof edit_fields / sizeof *edit_fields; i++) {
        const char *v = hreq_form(rq, edit_fields[i].name);
        *EDIT_FIELD(f, i) = v ? v : "";
    }
    f->comments_open = hreq_form(rq, "comments_open") != NULL;
    f->breaking = hreq_form(rq, "breaking") != NULL;
    f->force = hreq_form(rq, "force") != NULL;
}

/* Local date and time of t in the site's zone, as the form's inputs hold them. */
static void edit_local_time(arena_t *a, int64_t t, int tz, const char **date, const char **tm)
{
    struct tm g;
    time_t lt = (time_t)(t + tz);
    gmtime_r(&lt, &g);
    *date = arena_printf(a, "%04d-%02d-%02d", g.tm_year + 1900, g.tm_mon + 1, g.tm_mday);
    *tm = arena_printf(a, "%02d:%02d:%02d", g.tm_hour, g.tm_min, g.tm_sec);
}

static const char *edit_tags_text(arena_t *a, const store_article *ar)
{
    buf_t b;
    buf_init(&b, a);
    for (size_t i = 0; i < ar->ntags; i++) {
        if (i)
            buf_puts(&b, "، ");
        buf_puts(&b, ar->tags[i].name);
    }
    return buf_cstr(&b);
}

static const char *edit_or_empty(const char *s)
{
    return s ? s : "";
}

/* The form as a stored article fills it. */
static void edit_form_from(arena_t *a, const store_article *ar, int tz, edit_form *f)
{
    memset(f, 0, sizeof *f);
    *f = (edit_form){
        .title = edit_or_empty(ar->title), .slug = edit_or_empty(ar->slug),
        .kicker = edit_or_empty(ar->kicker), .lead = edit_or_empty(ar->lead),
        .body = edit_or_empty(ar->body_md), .tags = edit_tags_text(a, ar),
        .category = arena_printf(a, "%lld", (long long)ar->category_id),
        .image = arena_printf(a, "%lld", (long long)ar->image_id),
        .video_url = edit_or_empty(ar->video_url), .source = edit_or_empty(ar->source),
        .status = store_article_status_name(ar->status), .date = "", .time = "",
        .revision = arena_printf(a, "%lld", (long long)ar->revision), .seen = "",
        .comments_open = ar->comments_open, .breaking = ar->breaking,
    };
    if (ar->published_at > 0)
        edit_local_time(a, ar->published_at, tz, &f->date, &f->time);
}

/* A trimmed copy of s (spaces, tabs, line breaks at either end). */
static const char *edit_trim(arena_t *a, const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return arena_strndup(a, s, n);
}

/* Tag names from "a, b، c" (ASCII or Arabic commas), trimmed, each once. */
static const char **edit_tags_split(arena_t *a, const char *text, size_t *n)
{
    const char **v = arena_zalloc(a, EDIT_TAGS_MAX * sizeof *v);
    *n = 0;
    const char *p = text;
    while (*p && *n < EDIT_TAGS_MAX) {
        size_t len = 0;
        while (p[len] && p[len] != ',' && strncmp(p + len, "،", strlen("،")) != 0)
            len++;
        const char *name = edit_trim(a, arena_strndup(a, p, len));
        bool seen = !*name;
        for (size_t i = 0; i < *n && !seen; i++)
            seen = strcmp(v[i], name) == 0;
        if (!seen)
            v[(*n)++] = name;
        p += len;
        if (*p)
            p += *p == ',' ? 1 : strlen("،");
    }
    return v;
}

static bool edit_video_ok(const char *url)
{
    if (!text_url_is_http(url))
        return false;
    for (size_t i = 0; i < sizeof edit_video_prefixes / sizeof *edit_video_prefixes; i++) {
        size_t k = strlen(edit_video_prefixes[i]);
        if (strncmp(url, edit_video_prefixes[i], k) == 0 && url[k])
            return true;
    }
    return false;
}

static int64_t edit_id(const char *s)
{
    int64_t id;
    return s && text_parse_id(s, &id) ? id : 0;
}

/* The status the form asks for, if this person may choose it. */
static void edit_apply_status(hreq_t *rq, const admin_ctx *cx, const edit_form *f, int tz,
                              store_article *ar, edit_errors *e)
{
    size_t i = 0, n = sizeof edit_statuses / sizeof *edit_statuses;
    while (i < n && strcmp(f->status, store_article_status_name(edit_statuses[i].st)) != 0)
        i++;
    if (i == n)
        return edit_fail(e, 400, "اختر حالة المقال.");
    if (!edit_statuses[i].contributor && !admin_can(cx->user.role, CAP_PUBLISH))
        return edit_fail(e, 403, "لا يحق لك نشر المقالات ولا جدولتها: احفظه مسودة أو أرسله للمراجعة.");
    bool was_visible = (ar->status == ARTICLE_PUBLISHED || ar->status == ARTICLE_SCHEDULED) &&
                       ar->published_at > 0 && ar->published_at <= rq->now;
    ar->status = edit_statuses[i].st;
    if (ar->status == ARTICLE_PUBLISHED && !was_visible)
        ar->published_at = rq->now;
    if (ar->status != ARTICLE_SCHEDULED)
        return;
    int64_t t;
    const char *tm = strlen(f->time) == 5 ? arena_printf(rq->arena, "%s:00", f->time) : f->time;
    if (date_parse_iso(arena_printf(rq->arena, "%s %s", f->date, tm), &t) < 0)
        return edit_fail(e, 400, "أدخل تاريخ النشر المجدول ووقته كاملين.");
    if (t - tz <= rq->now)
        return edit_fail(e, 400, "وقت الجدولة مضى: اختر وقتًا قادمًا أو انشر الآن.");
    ar->published_at = t - tz;
}

static void edit_apply_image(hreq_t *rq, const edit_form *f, store_article *ar, edit_errors *e)
{
    int64_t id = edit_id(f->image);
    if (id == 0) {
        if (ar->image_id)
            ar->image_url = ar->image_alt = NULL;
        ar->image_id = 0;
        return;
    }
    store_media m;
    int rc = store_media_get(rq->store, rq->arena, id, &m);
    if (rc < 0 || !m.mime || strncmp(m.mime, "image/", 6) != 0)
        return edit_fail(e, 400, "الصورة المختارة غير موجودة في المكتبة.");
    ar->image_id = m.id;
    ar->image_url = m.url;
    ar->image_alt = m.alt && *m.alt ? m.alt : m.title;
}

static void edit_apply_category(hreq_t *rq, const edit_form *f, store_article *ar,
                                edit_errors *e)
{
    store_category c;
    ar->category_id = edit_id(f->category);
    if (ar->category_id && store_category_by_id(rq->store, rq->arena, ar->category_id, &c) < 0)
        edit_fail(e, 400, "القسم المختار غير موجود.");
}

static const char *edit_opt(arena_t *a, const char *s)
{
    const char *t = edit_trim(a, s);
    return *t ? t : NULL;
}

/* The texts of the form onto ar, with body_html rendered as the site will. */
static void edit_apply_text(hreq_t *rq, const edit_form *f, store_article *ar, edit_errors *e)
{
    arena_t *a = rq->arena;
    ar->title = edit_trim(a, f->title);
    if (!*ar->title)
        edit_fail(e, 400, "العنوان مطلوب.");
    else if (text_char_count(ar->title, strlen(ar->title)) > EDIT_TITLE_MAX)
        edit_fail(e, 400, "العنوان أطول من ٣٠٠ حرف.");
    const char *slug = edit_trim(a, f->slug);
    ar->slug = text_slugify(a, *slug ? slug : ar->title, EDIT_SLUG_MAX);
    if (!*ar->slug)
        ar->slug = arena_printf(a, "maqal-%lld", (long long)rq->now);
    ar->kicker = edit_opt(a, f->kicker);
    ar->lead = edit_opt(a, f->lead);
    ar->source = edit_opt(a, f->source);
    ar->body_md = f->body;
    ar->body_html = NULL;
    if (view_body(a, ar->body_md, ar->body_format, &ar->body_html) < 0)
        edit_fail(e, 400, "نص المقال غير صالح (ترميز غير سليم أو أطول من المسموح).");
    ar->video_url = edit_opt(a, f->video_url);
    if (ar->video_url && !edit_video_ok(ar->video_url))
        edit_fail(e, 400, "رابط الفيديو يجب أن يكون من يوتيوب أو فيميو (https).");
    ar->comments_open = f->comments_open;
    ar->breaking = f->breaking;
}

/* ---- the page ---- */

static mu_value *edit_statuses_view(arena_t *a, const admin_ctx *cx, const char *current)
{
    mu_value *l = mu_list(a);
    bool publish = admin_can(cx->user.role, CAP_PUBLISH);
    for (size_t i = 0; i < sizeof edit_statuses / sizeof *edit_statuses; i++) {
        if (!publish && !edit_statuses[i].contributor)
            continue;
        const char *name = store_article_status_name(edit_statuses[i].st);
        mu_value *o = mu_object(a);
        mu_set_str(o, "value", name);
        mu_set_str(o, "label", admin_article_status_label(edit_statuses[i].st));
        mu_set_bool(o, "selected", strcmp(name, current) == 0);
        mu_push(l, o);
    }
    return l;
}

static mu_value *edit_option(arena_t *a, int64_t id, const char *label, int64_t chosen)
{
    mu_value *o = mu_object(a);
    mu_set_int(o, "id", id);
    mu_set_str(o, "label", label);
    mu_set_bool(o, "selected", id == chosen);
    return o;
}

static mu_value *edit_categories_view(hreq_t *rq, int64_t chosen)
{
    mu_value *l = mu_list(rq->arena);
    store_category *c;
    size_t n;
    if (store_category_list(rq->store, rq->arena, &c, &n) < 0)
        return l;
    for (size_t i = 0; i < n; i++)
        mu_push(l, edit_option(rq->arena, c[i].id, c[i].name, chosen));
    return l;
}

/* The library's recent images, and the chosen one whatever its age. */
static mu_value *edit_images_view(hreq_t *rq, int64_t chosen)
{
    mu_value *l = mu_list(rq->arena);
    store_media *m;
    size_t n;
    int64_t total;
    bool listed = chosen == 0;
    if (store_media_search(rq->store, rq->arena, NULL, EDIT_IMAGES, 0, &m, &n, &total) < 0)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        if (!m[i].mime || strncmp(m[i].mime, "image/", 6) != 0)
            continue;
        const char *label = m[i].title && *m[i].title ? m[i].title : m[i].url;
        mu_push(l, edit_option(rq->arena, m[i].id, label, chosen));
        listed |= m[i].id == chosen;
    }
    store_media one;
    if (!listed && store_media_get(rq->store, rq->arena, chosen, &one) == 0)
        mu_push(l, edit_option(rq->arena, one.id, one.title && *one.title ? one.title : one.url,
                               chosen));
    return l;
}

static mu_value *edit_form_view(arena_t *a, const edit_form *f)
{
    mu_value *o = mu_object(a);
    for (size_t i = 0; i < sizeof edit_fields / sizeof *edit_fields; i++)
        mu_set_str(o, edit_fields[i].name, *EDIT_FIELD(f, i));
    mu_set_bool(o, "comments_open", f->comments_open);
    mu_set_bool(o, "breaking", f->breaking);
    return o;
}

static mu_value *edit_conflict_view(arena_t *a, const store_article *cur)
{
    mu_value *o = mu_object(a);
    mu_set_str(o, "title", edit_or_empty(cur->title));
    mu_set_str(o, "kicker", edit_or_empty(cur->kicker));
    mu_set_str(o, "lead", edit_or_empty(cur->lead));
    mu_set_str(o, "body", edit_or_empty(cur->body_md));
    mu_set_int(o, "revision", cur->revision);
    return o;
}

/* Everything the editor page shows, around the form f. ar: the stored
 * article (id 0: a new one). */
static mu_value *edit_view(hreq_t *rq, const admin_ctx *cx, const store_article *ar,
                           const edit_form *f, const edit_errors *e)
{
    arena_t *a = rq->arena;
    mu_value *p = mu_object(a);
    mu_set(p, "f", edit_form_view(a, f));
    /* signed out: the token sent stays, good again once its owner signs in */
    const char *sent = hreq_form(rq, ADMIN_CSRF_FIELD);
    const char *csrf = cx->user.id ? cx->csrf : sent;
    mu_set_str(p, "csrf", csrf ? csrf : "");
    mu_set_str(p, "action", ar->id ? admin_article_path(a, ar->id) : "/admin/articles/new");
    mu_set_bool(p, "html_body", ar->body_format == BODY_HTML);
    if (ar->id) {
        mu_set_int(p, "id", ar->id);
        mu_set_str(p, "revisions", arena_printf(a, "/admin/articles/%lld/revisions/", (long long)ar->id));
        mu_set_str(p, "preview", arena_printf(a, "/admin/preview/%lld/", (long long)ar->id));
        mu_set_bool(p, "trashed", ar->trashed_at != 0);
    }
    mu_set(p, "statuses", edit_statuses_view(a, cx, f->status));
    mu_set(p, "categories", edit_categories_view(rq, edit_id(f->category)));
    mu_set(p, "images", edit_images_view(rq, edit_id(f->image)));
    mu_value *errs = mu_list(a);
    for (size_t i = 0; e && i < e->n; i++)
        mu_push(errs, mu_str(a, e->v[i]));
    mu_set(p, "errors", errs);
    mu_set_bool(p, "has_errors", e && e->n);
    return p;
}

static int edit_page(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, int status,
                     const store_article *ar, const edit_form *f, const edit_errors *e,
                     const char *notice, const store_article *conflict)
{
    mu_value *p = edit_view(rq, cx, ar, f, e);
    mu_set(p, "conflict", conflict ? edit_conflict_view(rq->arena, conflict) : mu_bool(rq->arena, false));
    const char *title = ar->id ? "تحرير مقال" : "مقال جديد";
    return admin_render(rq, rs, cx, status, "edit", title, notice, p);
}

/* The form given back, saying why it was not saved. */
static int edit_refuse(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, const store_article *ar,
                       const edit_form *f, int status, const char *why)
{
    edit_errors e = {{why}, 1, status};
    return edit_page(rq, rs, cx, status, ar, f, &e, NULL, NULL);
}

/* The article the request is about: the stored one, or a new one by cx. */
static int edit_target(hreq_t *rq, const admin_ctx *cx, store_article *ar)
{
    if (rq->nparams > 0)
        return admin_article_load(rq, cx, rq->params[0], ar);
    *ar = (store_article){.author_id = cx->user.id, .created_at = rq->now,
                          .status = ARTICLE_DRAFT, .comments_open = true,
                          .body_format = BODY_MARKDOWN};
    return 0;
}

static int edit_get(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    int rc = admin_enter(rq, rs, CAP_WRITE, false, &cx);
    if (rc != 0)
        return rc == ADMIN_DONE ? 0 : rc;
    store_article ar;
    view_settings st;
    if ((rc = edit_target(rq, &cx, &ar)) < 0 || (rc = view_settings_load(rq, &st)) < 0)
        return rc;
    edit_form f;
    edit_form_from(rq->arena, &ar, st.tz_offset, &f);
    const char *done = hreq_query(rq, "done");
    const char *notice = done && strcmp(done, "saved") == 0 ? "حُفظ المقال." : NULL;
    return edit_page(rq, rs, &cx, 0, &ar, &f, NULL, notice, NULL);
}

/* Every field of the form onto ar; what does not validate into e. */
static void edit_apply(hreq_t *rq, const admin_ctx *cx, const edit_form *f, int tz,
                       store_article *ar, edit_errors *e)
{
    edit_apply_text(rq, f, ar, e);
    edit_apply_category(rq, f, ar, e);
    edit_apply_image(rq, f, ar, e);
    edit_apply_status(rq, cx, f, tz, ar, e);
    ar->updated_at = rq->now;
}

static int edit_save(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, store_article *ar,
                     edit_form *f)
{
    const store_article shown = *ar;
    size_t ntags;
    const char **tags = edit_tags_split(rq->arena, f->tags, &ntags);
    admin_save sv = {.ar = ar, .tags = tags, .ntags = ntags, .user_id = cx->user.id,
                     .now = rq->now, .expect = edit_id(f->force ? f->seen : f->revision)};
    int rc = admin_article_save(rq->store, rq->arena, &sv);
    if (rc == NS_ECONFLICT) {
        f->seen = arena_printf(rq->arena, "%lld", (long long)sv.current.revision);
        edit_errors e = {{"حفظ شخص آخر هذا المقال بعد أن فتحته، فلم يُستبدل شيء: نصّك في "
                          "النموذج ونصّه المحفوظ بجانبه. انقل ما تريد ثم احفظ، أو اختر "
                          "«احفظ نسختي رغم ذلك» فيبقى نصّه في المراجعات."}, 1, 409};
        return edit_page(rq, rs, cx, 409, &shown, f, &e, NULL, &sv.current);
    }
    if (rc == NS_EINVAL)
        return edit_refuse(rq, rs, cx, &shown, f, 400, "تعذّر الحفظ: حقل غير صالح. نصّك باقٍ هنا.");
    if (rc < 0)
        return edit_refuse(rq, rs, cx, &shown, f, 503, "تعذّر الحفظ الآن. نصّك باقٍ هنا: أعد المحاولة بعد قليل.");
    return admin_redirect(rs, arena_printf(rq->arena, "%s?done=saved", admin_article_path(rq->arena, ar->id)));
}

static int edit_post(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    int rc = admin_enter(rq, rs, CAP_WRITE, true, &cx);
    if (rc != 0)
        return rc == ADMIN_DONE ? 0 : rc;
    edit_form f;
    edit_form_read(rq, &f);
    store_article ar = {.id = rq->nparams > 0 ? edit_id(rq->params[0]) : 0};
    if (cx.user.id == 0)
        return edit_refuse(rq, rs, &cx, &ar, &f, 403, "انتهت جلستك فلم يُحفظ المقال. نصّك باقٍ هنا: "
                           "سجّل الدخول في نافذة أخرى ثم أعد الحفظ.");
    if (!cx.csrf_ok)
        return edit_refuse(rq, rs, &cx, &ar, &f, 403, "انتهت صلاحية النموذج فلم يُحفظ المقال. "
                           "نصّك باقٍ هنا: أعد الحفظ.");
    view_settings st;
    if ((rc = edit_target(rq, &cx, &ar)) < 0 || (rc = view_settings_load(rq, &st)) < 0)
        return rc;
    const store_article shown = ar;
    edit_errors e = {0};
    edit_apply(rq, &cx, &f, st.tz_offset, &ar, &e);
    if (e.n)
        return edit_page(rq, rs, &cx, e.status, &shown, &f, &e, NULL, NULL);
    return edit_save(rq, rs, &cx, &ar, &f);
}

int handler_admin_edit(hreq_t *rq, hresp_t *rs)
{
    return strcmp(rq->method, "POST") == 0 ? edit_post(rq, rs) : edit_get(rq, rs);
}
