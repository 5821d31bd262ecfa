/*
 * admin_media.c - the media library in the newsroom: /admin/media/
 * (the grid of images, searched and paged, and the upload form),
 * /admin/media/{id}/ (one image with its URLs) and
 * /admin/media/{id}/delete.
 *
 * An upload is a multipart form: the file, its alt text (required: a
 * picture nobody can describe is no use to a reader who cannot see it),
 * a title. The file is judged by libvips alone (media/library.h): refused
 * with 415 when it is no image of an accepted type, 422 when it is too
 * large in pixels or damaged; the form then comes back with what was
 * typed. An accepted image is written cleaned, its row recorded, and its
 * variants left to the media worker; the answer is a 303 to its page.
 * The body limit is the route's (http/router.c): over it, 413.
 */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "handlers/admin.h"
#include "handlers/view.h"
#include "media/image.h"
#include "media/library.h"
#include "media/worker.h"

#define MEDIA_PER_PAGE 24
#define MEDIA_ALT_MAX 300
#define MEDIA_TITLE_MAX 200

/* What each refusal of an upload tells the person, with its status. */
static const struct media_refusal {
    int rc, status;
    const char *message;
} media_refusals[] = {
    {NS_EINVAL, 415, "هذا الملف ليس صورة بصيغة مقبولة. الصيغ المقبولة: JPEG وPNG وWebP وGIF."},
    {NS_ETOOBIG, 422, "أبعاد هذه الصورة أكبر من المسموح (40 ميغابكسل). صغّرها ثم ارفعها مرة أخرى."},
    {NS_ECORRUPT, 422, "هذه الصورة تالفة أو ناقصة، فلا يمكن قراءتها. ارفع نسخة سليمة منها."},
};

/* What was typed in the upload form, given back when it is refused. */
typedef struct media_form {
    const char *title, *alt, *error;
} media_form;

/* The thumbnail of m for the grid: its 320-wide WebP when made. */
static const char *media_thumb(arena_t *a, const store_media *m)
{
    if (m->variants && strncmp(m->variants, "320", 3) == 0)
        return library_variant_url(a, m, 320, "webp");
    return m->url;
}

static mu_value *media_item_view(arena_t *a, const store_media *m)
{
    mu_value *o = mu_object(a);
    mu_set_str(o, "link", arena_printf(a, "/admin/media/%lld/", (long long)m->id));
    mu_set_str(o, "thumb", media_thumb(a, m));
    mu_set_str(o, "label", m->title && *m->title ? m->title : m->alt && *m->alt ? m->alt : m->url);
    bool sized = m->width > 0 && m->height > 0;
    mu_set_int(o, "tw", 160);
    mu_set_int(o, "th", sized ? (int64_t)m->height * 160 / m->width : 120);
    return o;
}

/* The library's page: the grid for q and page, and the upload form with
 * f's fields; status 200 or the refusal's. */
static int media_library(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, int status,
                         const media_form *f)
{
    const char *q = hreq_query(rq, "q");
    int page = view_parse_int(hreq_query(rq, "page"), 1, 100000, 1);
    store_media *items;
    size_t n;
    int64_t total;
    int rc = store_media_search(rq->store, rq->arena, q, MEDIA_PER_PAGE,
                                (page - 1) * MEDIA_PER_PAGE, &items, &n, &total);
    if (rc != NS_OK)
        return rc;
    arena_t *a = rq->arena;
    mu_value *v = mu_object(a), *list = mu_list(a);
    for (size_t i = 0; i < n; i++)
        mu_push(list, media_item_view(a, &items[i]));
    mu_set(v, "items", list);
    mu_set_bool(v, "has_items", n > 0);
    mu_set_str(v, "q", q ? q : "");
    mu_set_int(v, "total", total);
    mu_set_str(v, "csrf", cx->csrf);
    view_set_opt(v, "title", f->title);
    view_set_opt(v, "alt", f->alt);
    view_set_opt(v, "error", f->error);
    buf_t qs;
    buf_init(&qs, a);
    if (q && *q) {
        buf_puts(&qs, "q=");
        buf_url_escape(&qs, q, strlen(q));
        buf_putc(&qs, '&');
    }
    view_set_opt(v, "prev", page > 1
                 ? arena_printf(a, "/admin/media/?%spage=%d", buf_cstr(&qs), page - 1) : NULL);
    view_set_opt(v, "next", (int64_t)page * MEDIA_PER_PAGE < total
                 ? arena_printf(a, "/admin/media/?%spage=%d", buf_cstr(&qs), page + 1) : NULL);
    const char *done = hreq_query(rq, "done");
    const char *notice = done && strcmp(done, "deleted") == 0 ? "حُذفت الصورة وملفاتها." : NULL;
    return admin_render(rq, rs, cx, status, "media", "مكتبة الوسائط", notice, v);
}

/* The uploaded file's part of the form, or NULL. */
static const hreq_param *media_file(const hreq_t *rq)
{
    for (size_t i = 0; i < rq->nform; i++)
        if (strcmp(rq->form[i].name, "file") == 0 && rq->form[i].filename)
            return &rq->form[i];
    return NULL;
}

/* The refusal of what library_add returned, or NULL for another code. */
static const struct media_refusal *media_refusal_of(int rc)
{
    for (size_t i = 0; i < sizeof media_refusals / sizeof *media_refusals; i++)
        if (media_refusals[i].rc == rc)
            return &media_refusals[i];
    return NULL;
}

/* What is wrong with the form's text fields, or NULL. */
static const char *media_form_error(const media_form *f, const hreq_param *file)
{
    if (!file || file->value_len == 0)
        return "اختر صورة لرفعها.";
    if (!f->alt || !*f->alt)
        return "النص البديل مطلوب: صف الصورة بجملة قصيرة لمن لا يراها.";
    if (strlen(f->alt) > MEDIA_ALT_MAX * 4 || (f->title && strlen(f->title) > MEDIA_TITLE_MAX * 4))
        return "النص البديل أو العنوان أطول من المسموح.";
    return NULL;
}

static int media_upload(hreq_t *rq, hresp_t *rs, const admin_ctx *cx)
{
    media_form f = {hreq_form(rq, "title"), hreq_form(rq, "alt"), NULL};
    const hreq_param *file = media_file(rq);
    if ((f.error = media_form_error(&f, file)))
        return media_library(rq, rs, cx, 422, &f);
    library_upload u = {.title = f.title && *f.title ? f.title : f.alt, .alt = f.alt,
                        .user_id = cx->user.id, .now = rq->now};
    store_media m;
    int rc = library_add(rq->store, rq->arena, rq->site->dir ? rq->site->dir : ".", file->value,
                         file->value_len, &u, &m);
    const struct media_refusal *r = media_refusal_of(rc);
    if (r) {
        f.error = r->message;
        return media_library(rq, rs, cx, r->status, &f);
    }
    if (rc != NS_OK)
        return rc;
    if (rq->media)
        worker_submit(rq->media, m.id);
    return admin_redirect(rs, arena_printf(rq->arena, "/admin/media/%lld/", (long long)m.id));
}

/* The URLs of m's variants, one entry per width. */
static mu_value *media_variant_list(arena_t *a, const store_media *m)
{
    mu_value *l = mu_list(a);
    for (const char *p = m->variants ? m->variants : ""; *p;) {
        int w = atoi(p);
        mu_value *o = mu_object(a);
        mu_set_int(o, "width", w);
        mu_set_str(o, "webp", library_variant_url(a, m, w, "webp"));
        mu_set_str(o, "jpg", library_variant_url(a, m, w, "jpg"));
        mu_push(l, o);
        p += strcspn(p, ",");
        p += *p == ',';
    }
    return l;
}

/* The id in the route's capture, or 0. */
static int64_t media_id(const hreq_t *rq)
{
    const char *s = rq->nparams > 0 ? rq->params[0] : NULL;
    if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 15)
        return 0;
    return strtoll(s, NULL, 10);
}

static int media_show(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, const store_media *m)
{
    arena_t *a = rq->arena;
    mu_value *v = mu_object(a);
    mu_set_int(v, "id", m->id);
    mu_set_str(v, "url", m->url);
    mu_set_str(v, "abs_url", arena_printf(a, "%s%s", rq->site->base_url ? rq->site->base_url : "",
                                          m->url));
    mu_set_str(v, "preview", media_thumb(a, m));
    mu_set_str(v, "alt", m->alt ? m->alt : "");
    view_set_opt(v, "title", m->title);
    mu_set_str(v, "mime", m->mime ? m->mime : "");
    mu_set_int(v, "width", m->width);
    mu_set_int(v, "height", m->height);
    mu_set_int(v, "kib", (m->bytes + 1023) / 1024);
    mu_set(v, "variants", media_variant_list(a, m));
    mu_set_bool(v, "pending", library_needs_variants(m));
    mu_set_str(v, "csrf", cx->csrf);
    return admin_render(rq, rs, cx, 0, "media_item",
                        m->title && *m->title ? m->title : "صورة", NULL, v);
}

/* Whether cx may delete m: own uploads with CAP_UPLOAD, anyone's with
 * CAP_EDIT_OTHERS. */
static bool media_may_delete(const admin_ctx *cx, const store_media *m)
{
    return m->user_id == cx->user.id || admin_can(cx->user.role, CAP_EDIT_OTHERS);
}

static int media_one(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, bool del)
{
    int64_t id = media_id(rq);
    store_media m;
    int rc = id ? store_media_get(rq->store, rq->arena, id, &m) : NS_ENOTFOUND;
    if (rc != NS_OK)
        return rc;
    if (!del)
        return media_show(rq, rs, cx, &m);
    if (!media_may_delete(cx, &m))
        return NS_EPERM;
    rc = library_remove(rq->store, rq->arena, rq->site->dir ? rq->site->dir : ".", id);
    return rc == NS_OK ? admin_redirect(rs, "/admin/media/?done=deleted") : rc;
}

int handler_admin_media(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    int rc = admin_enter(rq, rs, CAP_UPLOAD, false, &cx);
    if (rc != 0)
        return rc == ADMIN_DONE ? 0 : rc;
    bool post = strcmp(rq->method, "POST") == 0;
    if (rq->nparams > 0) {
        size_t n = strlen(rq->path);
        bool del = n > 7 && strcmp(rq->path + n - 7, "/delete") == 0;
        if (del != post)
            return NS_EMETHOD;
        return media_one(rq, rs, &cx, del);
    }
    if (post)
        return media_upload(rq, rs, &cx);
    return media_library(rq, rs, &cx, 0, &(media_form){NULL, NULL, NULL});
}
