/*
 * admin_settings.c - the site's settings in the newsroom (/admin/settings),
 * for admins (CAP_SETTINGS): name, tagline, address, logo and icon, time
 * zone, follow links, comment policy and blocklist, articles per page,
 * dates, and the order of the categories in the navigation.
 *
 * The form is a table of fields, each a settings key with its kind and
 * bounds; every field is checked before anything is written, and a form
 * with any mistake comes back as typed (422) with a message at each wrong
 * field. A good one is written whole, settings and categories' positions,
 * in one transaction, then 303 with a notice. Settings and categories are
 * site-wide (ALL) keys: every cached page is dropped by the save and the
 * reader's site shows the change at once.
 */
#include "handlers/admin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/err.h"
#include "core/text.h"
#include "handlers/comment_text.h"
#include "handlers/moderation.h"
#include "handlers/view.h"

#define ST_PATH "/admin/settings"
/* Images offered from the media library for the logo and the icon. */
enum { ST_MEDIA_MAX = 100, ST_POSITION_MAX = 10000 };

/* How a field is read and checked. */
typedef enum {
    SF_TEXT,     /* one line, up to max characters; required when min > 0 */
    SF_LINES,    /* several lines (the blocklist), up to max characters */
    SF_INT,      /* a number within view_setting_bounds */
    SF_HTTP,     /* empty, or an http(s) URL */
    SF_SITE_URL, /* empty, or the site's http(s) address (no query) */
    SF_IMAGE,    /* a media library image by id, or a path under /uploads/ */
    SF_TZ,       /* one of st_zones */
    SF_MODE,     /* all, new, none */
    SF_FLAG,     /* a checkbox: "1" or "0" */
} st_kind;

typedef struct st_field {
    const char *key; /* the settings key, and the form field's name */
    st_kind kind;
    int min, max;    /* characters (SF_TEXT, SF_LINES) */
    const char *msg; /* what is wrong when it is refused */
} st_field;

#define MSG_HTTP "رابط غير صالح: يجب أن يبدأ بـ http:// أو https://"

static const st_field st_fields[] = {
    {"site_name", SF_TEXT, 1, 100, "اسم الموقع مطلوب، في 100 حرف على الأكثر"},
    {"site_description", SF_TEXT, 0, 300, "الوصف أطول من 300 حرف"},
    {"site_url", SF_SITE_URL, 0, 200,
     "عنوان الموقع يجب أن يبدأ بـ http:// أو https:// دون ? أو # وألا يزيد على 200 حرف"},
    {"site_logo", SF_IMAGE, 0, 300, "اختر صورة من المكتبة أو اكتب مسارًا يبدأ بـ /uploads/"},
    {"site_favicon", SF_IMAGE, 0, 300, "اختر صورة من المكتبة أو اكتب مسارًا يبدأ بـ /uploads/"},
    {"timezone_offset", SF_TZ, 0, 0, "اختر المنطقة الزمنية من القائمة"},
    {"posts_per_page", SF_INT, 0, 0, NULL},
    {"show_hijri", SF_FLAG, 0, 0, NULL},
    {"follow_facebook", SF_HTTP, 0, 500, MSG_HTTP},
    {"follow_x", SF_HTTP, 0, 500, MSG_HTTP},
    {"follow_youtube", SF_HTTP, 0, 500, MSG_HTTP},
    {"follow_telegram", SF_HTTP, 0, 500, MSG_HTTP},
    {"follow_instagram", SF_HTTP, 0, 500, MSG_HTTP},
    {"follow_whatsapp", SF_HTTP, 0, 500, MSG_HTTP},
    {"comment_moderation", SF_MODE, 0, 0, "اختر سياسة المراجعة من القائمة"},
    {"comment_max_links", SF_INT, 0, 0, NULL},
    {"comment_rate_limit", SF_INT, 0, 0, NULL},
    {"comment_min_seconds", SF_INT, 0, 0, NULL},
    {"comment_blocklist", SF_LINES, 0, 10000, "قائمة الكلمات المحظورة أطول من 10000 حرف"},
};
#define ST_NFIELDS (sizeof st_fields / sizeof *st_fields)

/* Time zones as offsets from UTC, with the Arab capitals on each. */
static const struct {
    int minutes;
    const char *places;
} st_zones[] = {
    {-600, "هونولولو"}, {-480, "لوس أنجلوس"}, {-300, "نيويورك، مونتريال"},
    {-180, "ساو باولو، بوينس آيرس"}, {0, "نواكشوط، داكار، لندن (شتاءً)"},
    {60, "الرباط، الجزائر، تونس، لاغوس"}, {120, "القاهرة، طرابلس، الخرطوم، بيروت، القدس، جوبا"},
    {180, "الرياض، بغداد، الكويت، الدوحة، المنامة، صنعاء، عمّان، دمشق، مقديشو، جيبوتي، موروني"},
    {210, "طهران"}, {240, "أبوظبي، دبي، مسقط، باكو"}, {270, "كابل"}, {300, "كراتشي، طشقند"},
    {330, "نيودلهي، مومباي"}, {360, "دكا، ألماتي"}, {420, "جاكرتا، بانكوك"},
    {480, "كوالالمبور، بكين، سنغافورة"}, {540, "طوكيو، سيول"}, {600, "سيدني"}, {720, "أوكلاند"},
};
#define ST_NZONES (sizeof st_zones / sizeof *st_zones)

static const struct { const char *value, *label; } st_modes[] = {
    {"new", "مراجعة تعليقات من يكتب أول مرة"},
    {"all", "مراجعة كل التعليقات قبل نشرها"},
    {"none", "نشر التعليقات فورًا"},
};
#define ST_NMODES (sizeof st_modes / sizeof *st_modes)

/* The form as typed or as stored: a value and a message per field, and a
 * position per category. */
typedef struct st_form {
    const char *value[ST_NFIELDS];
    const char *err[ST_NFIELDS];
    const char *image_url[ST_NFIELDS];    /* SF_IMAGE: the path typed */
    int64_t image_id[ST_NFIELDS];         /* SF_IMAGE: the library image chosen */
    store_category *cats;
    size_t ncats;
    const char **pos;                     /* per category, as typed */
    const char **pos_err;
    store_media *media;                   /* the library's images */
    size_t nmedia;
    const char *message;
} st_form;

/* ---- checks ---- */

/* A decimal number lo..hi in s; false if it is not one. */
static bool st_number(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!s || !*s || strlen(s) > 12)
        return false;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool st_zone_ok(const char *s)
{
    long v;
    if (!st_number(s, -14 * 3600, 14 * 3600, &v))
        return false;
    for (size_t i = 0; i < ST_NZONES; i++)
        if (st_zones[i].minutes * 60 == v)
            return true;
    return false;
}

static bool st_mode_ok(const char *s)
{
    for (size_t i = 0; i < ST_NMODES; i++)
        if (strcmp(st_modes[i].value, s) == 0)
            return true;
    return false;
}

/* A path under /uploads/ a page may link (no "..", no quote). */
static bool st_upload_path_ok(const char *s, int max)
{
    return strncmp(s, "/uploads/", 9) == 0 && s[9] && (int)strlen(s) <= max &&
           text_url_is_safe_link(s) && !strstr(s, "..") && !strpbrk(s, "\"'<>");
}

static const store_media *st_media_find(const st_form *f, int64_t id)
{
    for (size_t i = 0; i < f->nmedia; i++)
        if (f->media[i].id == id)
            return &f->media[i];
    return NULL;
}

/* The message for field i's value v (on arena a), or NULL if it is good. */
static const char *st_check(arena_t *a, size_t i, const char *v)
{
    const st_field *fd = &st_fields[i];
    int lo, hi;
    long n;
    size_t chars = comment_text_chars(v);
    switch (fd->kind) {
    case SF_TEXT:
    case SF_LINES:
        return (int)chars < fd->min || (int)chars > fd->max ? fd->msg : NULL;
    case SF_INT:
        view_setting_bounds(fd->key, &lo, &hi);
        return st_number(v, lo, hi, &n) ? NULL : arena_printf(a, "اكتب رقمًا صحيحًا من %d إلى %d", lo, hi);
    case SF_HTTP:
    case SF_SITE_URL:
        return !*v || ((int)strlen(v) <= fd->max && text_url_is_http(v) && !strpbrk(v, "\"<>") &&
                       (fd->kind == SF_HTTP || !strpbrk(v, "?#"))) ? NULL : fd->msg;
    case SF_TZ:
        return st_zone_ok(v) ? NULL : fd->msg;
    case SF_MODE:
        return st_mode_ok(v) ? NULL : fd->msg;
    default:
        return NULL;
    }
}

/* ---- reading the form ---- */

/* An image field: the path typed wins, else the library image chosen. */
static void st_read_image(hreq_t *rq, st_form *f, size_t i)
{
    const char *key = st_fields[i].key;
    const char *url = comment_text_clean(rq->arena, hreq_form(rq, arena_printf(rq->arena, "%s_url", key)), false);
    const char *id = hreq_form(rq, key);
    f->image_url[i] = url;
    f->image_id[i] = 0;
    f->value[i] = "";
    if (*url) {
        f->value[i] = url;
        if (!st_upload_path_ok(url, st_fields[i].max))
            f->err[i] = st_fields[i].msg;
        return;
    }
    if (id && *id && !text_parse_id(id, &f->image_id[i])) {
        f->err[i] = st_fields[i].msg;
        return;
    }
    const store_media *m = f->image_id[i] ? st_media_find(f, f->image_id[i]) : NULL;
    if (f->image_id[i] && !m)
        f->err[i] = st_fields[i].msg;
    else if (m)
        f->value[i] = m->url;
}

static bool st_read_fields(hreq_t *rq, st_form *f)
{
    bool ok = true;
    for (size_t i = 0; i < ST_NFIELDS; i++) {
        const st_field *fd = &st_fields[i];
        const char *raw = hreq_form(rq, fd->key);
        if (fd->kind == SF_IMAGE)
            st_read_image(rq, f, i);
        else if (fd->kind == SF_FLAG)
            f->value[i] = raw && strcmp(raw, "1") == 0 ? "1" : "0";
        else {
            f->value[i] = comment_text_clean(rq->arena, raw, fd->kind == SF_LINES);
            f->err[i] = st_check(rq->arena, i, f->value[i]);
        }
        if (fd->kind == SF_SITE_URL) { /* kept as the server's address is: no trailing '/' */
            size_t n = strlen(f->value[i]);
            while (n > 8 && f->value[i][n - 1] == '/')
                n--;
            f->value[i] = arena_strndup(rq->arena, f->value[i], n);
        }
        ok = ok && !f->err[i];
    }
    return ok;
}

static bool st_read_positions(hreq_t *rq, st_form *f)
{
    bool ok = true;
    for (size_t i = 0; i < f->ncats; i++) {
        const char *v = comment_text_clean(rq->arena,
                                           hreq_form(rq, arena_printf(rq->arena, "pos_%lld",
                                                                      (long long)f->cats[i].id)), false);
        long n;
        f->pos[i] = v;
        if (!*v) /* a category added since the form was served keeps its place */
            f->pos[i] = arena_printf(rq->arena, "%d", f->cats[i].position);
        else if (!st_number(v, -ST_POSITION_MAX, ST_POSITION_MAX, &n))
            f->pos_err[i] = arena_printf(rq->arena, "الترتيب رقم صحيح من %d إلى %d", -ST_POSITION_MAX,
                                         ST_POSITION_MAX);
        ok = ok && !f->pos_err[i];
    }
    return ok;
}

/* ---- what is stored ---- */

/* The categories and the library's images the form offers, and the
 * stored values (defaults where unset) as the form's. */
static int st_load(hreq_t *rq, st_form *f)
{
    arena_t *a = rq->arena;
    memset(f, 0, sizeof *f);
    int64_t total;
    int rc = store_category_list(rq->store, a, &f->cats, &f->ncats);
    if (rc || (rc = store_media_search(rq->store, a, NULL, ST_MEDIA_MAX, 0, &f->media, &f->nmedia, &total)))
        return rc;
    size_t k = 0;
    for (size_t i = 0; i < f->nmedia; i++)
        if (f->media[i].mime && strncmp(f->media[i].mime, "image/", 6) == 0 && text_url_is_safe_link(f->media[i].url))
            f->media[k++] = f->media[i];
    f->nmedia = k;
    f->pos = arena_zalloc(a, (f->ncats + 1) * sizeof *f->pos);
    f->pos_err = arena_zalloc(a, (f->ncats + 1) * sizeof *f->pos_err);
    for (size_t i = 0; i < f->ncats; i++)
        f->pos[i] = arena_printf(a, "%d", f->cats[i].position);
    return NS_OK;
}

/* What pages make of a setting that has a default (unset or malformed
 * values read as it): the form shows that; NULL for the others. */
static const char *st_effective(arena_t *a, const view_settings *vs, const char *key)
{
    static const char *const modes[] = {[MODERATION_ALL] = "all", [MODERATION_NEW] = "new",
                                        [MODERATION_NONE] = "none"};
    const struct { const char *key; int v; } nums[] = {
        {"timezone_offset", vs->tz_offset}, {"posts_per_page", vs->posts_per_page},
        {"comment_max_links", vs->comment_max_links}, {"comment_rate_limit", vs->comment_rate_limit},
        {"comment_min_seconds", vs->comment_min_seconds}, {"show_hijri", vs->show_hijri},
    };
    for (size_t j = 0; j < sizeof nums / sizeof *nums; j++)
        if (strcmp(key, nums[j].key) == 0)
            return arena_printf(a, "%d", nums[j].v);
    if (strcmp(key, "site_name") == 0)
        return vs->site_name;
    if (strcmp(key, "comment_moderation") == 0)
        return modes[moderation_mode_parse(vs->comment_moderation)];
    return NULL;
}

static int st_stored(hreq_t *rq, st_form *f)
{
    view_settings vs;
    int rc = view_settings_load(rq, &vs);
    if (rc)
        return rc;
    for (size_t i = 0; i < ST_NFIELDS; i++) {
        const char *v = st_effective(rq->arena, &vs, st_fields[i].key);
        if (!v && (rc = store_setting_get(rq->store, rq->arena, st_fields[i].key, &v)) &&
            rc != NS_ENOTFOUND)
            return rc;
        f->value[i] = v ? v : "";
    }
    return NS_OK;
}

/* ---- the page ---- */

/* An image field's choices: the library's images (the one chosen, or
 * whose address is stored, selected) and the path typed or stored. */
static mu_value *st_image_view(arena_t *a, const st_form *f, size_t i, bool typed)
{
    mu_value *o = mu_object(a), *l = mu_list(a);
    bool matched = false;
    for (size_t k = 0; k < f->nmedia; k++) {
        const store_media *m = &f->media[k];
        bool sel = typed ? !*f->image_url[i] && f->image_id[i] == m->id
                         : !matched && strcmp(f->value[i], m->url) == 0;
        matched = matched || sel;
        mu_value *opt = mu_object(a);
        mu_set_int(opt, "id", m->id);
        mu_set_str(opt, "label", m->title && *m->title ? m->title : m->url);
        mu_set_bool(opt, "selected", sel);
        mu_push(l, opt);
    }
    mu_set(o, "options", l);
    mu_set_str(o, "url", typed ? f->image_url[i] : matched ? "" : f->value[i]);
    return o;
}

/* The time zones, "UTC+03:00 — places", the one of value selected. */
static mu_value *st_zone_list(arena_t *a, const char *value)
{
    mu_value *l = mu_list(a);
    for (size_t i = 0; i < ST_NZONES; i++) {
        int m = st_zones[i].minutes, am = m < 0 ? -m : m;
        const char *v = arena_printf(a, "%d", m * 60);
        mu_value *o = mu_object(a);
        mu_set_str(o, "value", v);
        mu_set_str(o, "label", arena_printf(a, "UTC%c%02d:%02d — %s", m < 0 ? '-' : '+', am / 60, am % 60,
                                            st_zones[i].places));
        mu_set_bool(o, "selected", strcmp(v, value) == 0);
        mu_push(l, o);
    }
    return l;
}

static mu_value *st_mode_list(arena_t *a, const char *value)
{
    mu_value *l = mu_list(a);
    for (size_t i = 0; i < ST_NMODES; i++) {
        mu_value *o = mu_object(a);
        mu_set_str(o, "value", st_modes[i].value);
        mu_set_str(o, "label", st_modes[i].label);
        mu_set_bool(o, "selected", strcmp(st_modes[i].value, value) == 0);
        mu_push(l, o);
    }
    return l;
}

static mu_value *st_category_list(arena_t *a, const st_form *f)
{
    mu_value *l = mu_list(a);
    for (size_t i = 0; i < f->ncats; i++) {
        mu_value *o = mu_object(a);
        mu_set_int(o, "id", f->cats[i].id);
        mu_set_str(o, "name", f->cats[i].name);
        mu_set_bool(o, "sub", f->cats[i].parent_id != 0);
        mu_set_str(o, "pos", f->pos[i]);
        view_set_opt(o, "err", f->pos_err[i]);
        mu_push(l, o);
    }
    return l;
}

static int st_page(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, const st_form *f, bool typed,
                   int status)
{
    arena_t *a = rq->arena;
    mu_value *v = mu_object(a), *vals = mu_object(a), *errs = mu_object(a), *imgs = mu_object(a);
    bool bad = false;
    for (size_t i = 0; i < ST_NFIELDS; i++) {
        mu_set_str(vals, st_fields[i].key, f->value[i]);
        view_set_opt(errs, st_fields[i].key, f->err[i]);
        bad = bad || f->err[i];
        if (st_fields[i].kind == SF_IMAGE)
            mu_set(imgs, st_fields[i].key, st_image_view(a, f, i, typed));
        if (st_fields[i].kind == SF_TZ)
            mu_set(v, "zones", st_zone_list(a, f->value[i]));
        if (st_fields[i].kind == SF_MODE)
            mu_set(v, "modes", st_mode_list(a, f->value[i]));
        if (st_fields[i].kind == SF_FLAG)
            mu_set_bool(v, st_fields[i].key, strcmp(f->value[i], "1") == 0);
    }
    for (size_t i = 0; i < f->ncats; i++)
        bad = bad || f->pos_err[i];
    mu_set_str(v, "csrf", cx->csrf);
    mu_set(v, "v", vals);
    mu_set(v, "e", errs);
    mu_set(v, "img", imgs);
    mu_set(v, "cats", st_category_list(a, f));
    mu_set_bool(v, "has_cats", f->ncats > 0);
    view_set_opt(v, "message", f->message ? f->message : bad ? "لم تُحفظ الإعدادات: راجع الحقول المعلّمة أدناه." : NULL);
    static const admin_notice saved[] = {{"saved", "حُفظت الإعدادات، وظهرت على الموقع."}};
    return admin_render(rq, rs, cx, status, "settings", "الإعدادات", admin_notice_of(rq, saved, 1), v);
}

/* ---- saving ---- */

static int st_save_run(store_t *s, void *arg)
{
    const st_form *f = arg;
    int rc = NS_OK;
    for (size_t i = 0; i < ST_NFIELDS && rc == NS_OK; i++)
        rc = store_setting_set(s, st_fields[i].key, f->value[i]);
    for (size_t i = 0; i < f->ncats && rc == NS_OK; i++) {
        store_category c = f->cats[i];
        c.position = atoi(f->pos[i]);
        if (c.position != f->cats[i].position)
            rc = store_category_update(s, &c);
    }
    return rc;
}

static int st_save(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, st_form *f)
{
    bool ok = st_read_fields(rq, f);
    ok = st_read_positions(rq, f) && ok;
    if (!cx->csrf_ok) {
        f->message = "تعذّر التحقق من النموذج، ولم يُحفظ شيء. ما كتبته باقٍ هنا: أعد الحفظ.";
        return st_page(rq, rs, cx, f, true, 403);
    }
    if (!ok)
        return st_page(rq, rs, cx, f, true, 422);
    int rc = store_write(rq->store, st_save_run, f);
    return rc ? rc : admin_redirect(rs, ST_PATH "?done=saved");
}

int handler_admin_settings(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    bool post = strcmp(rq->method, "POST") == 0;
    /* a refused token gives the form back as typed */
    int rc = admin_enter(rq, rs, CAP_SETTINGS, post, &cx);
    if (rc == ADMIN_DONE)
        return NS_OK;
    if (rc)
        return rc;
    if (cx.user.id == 0) /* signed out meanwhile: the sign-in page, as for any POST */
        return (rc = admin_enter(rq, rs, CAP_SETTINGS, false, &cx)) == ADMIN_DONE ? NS_OK : rc;
    st_form *f = arena_alloc(rq->arena, sizeof *f);
    if ((rc = st_load(rq, f)))
        return rc;
    if (post)
        return st_save(rq, rs, &cx, f);
    if ((rc = st_stored(rq, f)))
        return rc;
    return st_page(rq, rs, &cx, f, false, 0);
}
