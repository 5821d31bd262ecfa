/*
 * error.c - the one place where error codes become pages. A reader who
 * hits a dead link gets the site's own frame, an Arabic message and the
 * latest articles to go on with; when the theme or the store is what
 * failed, a small built-in page still answers in valid Arabic HTML.
 */
#include "handlers/handler.h"
#include "handlers/view.h"

#include "core/err.h"

enum { ERROR_LATEST = 5 };

static const char fallback_page[] =
    "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>%s</title><meta name=\"description\" content=\"%s\">"
    "<style>body{font-family:Tahoma,sans-serif;margin:2rem;line-height:1.8;color:#1a1a1a;background:#fff}"
    "a{color:#a3001b}</style></head>"
    "<body><main><h1>%s</h1><p><a href=\"/\">العودة إلى الصفحة الرئيسية</a></p></main></body></html>";

static void fallback(hreq_t *rq, hresp_t *rs, const char *msg)
{
    buf_init(&rs->body, rq->arena);
    buf_printf(&rs->body, fallback_page, msg, msg, msg);
}

static mu_value *latest(hreq_t *rq, const view_settings *st)
{
    store_query q = { .now = rq->now, .limit = ERROR_LATEST };
    struct store_article_list l = {0};
    if (store_article_list(rq->store, rq->arena, &q, &l) < 0 || l.n == 0)
        return NULL;
    return view_summary_list(rq->arena, &l, st);
}

/* What a reader is told for each code; anything else is a server error. */
static const struct error_kind {
    int rc, status;
    const char *title, *detail;
} error_kinds[] = {
    { NS_ENOTFOUND, 404, "الصفحة غير موجودة", "ربما نُقلت الصفحة أو حُذفت، أو أن الرابط غير صحيح." },
    { NS_EINVAL, 400, "رابط غير صالح", "يحتوي الرابط على رموز لا يقبلها الموقع. تحقّق منه وحاول مرة أخرى." },
    { NS_ETOOBIG, 414, "الرابط طويل جدًا", "هذا الرابط أطول مما يقبله الموقع. تحقّق منه وحاول مرة أخرى." },
    { NS_EMETHOD, 405, "طلب غير مدعوم", "لا يقبل هذا العنوان هذا النوع من الطلبات." },
    { NS_ETOOLARGE, 413, "الطلب كبير جدًا", "ما أرسلته أكبر مما يقبله هذا العنوان. اختصره وحاول مرة أخرى." },
    { NS_EPERM, 403, "غير مسموح", "لا يقبل هذا العنوان ما أرسلته الآن." },
    { NS_ECONFLICT, 409, "تغيّر المحتوى", "تغيّر هذا المحتوى منذ فتحت الصفحة. أعد تحميلها وحاول مرة أخرى." },
    { NS_EBUSY, 503, "الموقع مشغول", "الموقع مشغول الآن. حاول مرة أخرى بعد لحظات." },
    { NS_EUNAVAIL, 503, "الموقع غير متاح مؤقتًا", "تعذّر الوصول إلى قاعدة بيانات الموقع الآن. حاول مرة أخرى بعد لحظات." },
    { 0, 500, "حدث خطأ", "نعتذر، تعذّر عرض هذه الصفحة الآن. حاول مرة أخرى بعد قليل." },
};

static const struct error_kind *error_kind_of(int rc)
{
    size_t i = 0;
    while (error_kinds[i].rc != 0 && error_kinds[i].rc != rc)
        i++;
    return &error_kinds[i];
}

void handler_error(hreq_t *rq, hresp_t *rs, int rc)
{
    const struct error_kind *k = error_kind_of(rc);
    handler_error_page(rq, rs, k->status, k->title, k->detail);
    if (rc == NS_EBUSY || rc == NS_EUNAVAIL)
        hresp_header(rs, "Retry-After", "2");
}

void handler_error_page(hreq_t *rq, hresp_t *rs, int status, const char *title, const char *detail)
{
    rs->status = status;
    rs->content_type = "text/html; charset=utf-8";
    rs->location = NULL;
    rs->cache_control = NULL;
    rs->nheaders = 0;
    /* a missing page is the same page for every path that is missing:
     * the HTTP layer may share it (and its store keys) between them */
    rs->cacheable = status == 404;
    rs->max_age = 0;
    rs->last_modified = 0;
    rs->expires_at = 0;
    if (!rq->site || !rq->site->theme || !rq->store) {
        fallback(rq, rs, title);
        return;
    }
    const struct error_kind k[1] = {{0, status, title, detail}};
    view_settings st;
    bool store_ok = view_settings_load(rq, &st) == 0;
    mu_value *root = view_root(rq, &st, k->title, k->detail, 0);
    /* no canonical URL: an error is not a page to index, and a 404 body is
     * shared by every missing path */
    mu_set((mu_value *)mu_get(root, "page"), "canonical", mu_null(rq->arena));
    mu_value *e = mu_object(rq->arena);
    mu_set_str(e, "message", k->title);
    mu_set_str(e, "detail", k->detail);
    mu_set_int(e, "status", rs->status);
    mu_value *l = store_ok ? latest(rq, &st) : NULL;
    int64_t next = 0; /* the latest list changes when a scheduled article appears */
    if (l && store_next_publish(rq->store, rq->now, &next) == 0 && next > 0)
        rs->expires_at = next;
    mu_set_bool(e, "has_latest", l != NULL);
    mu_set(e, "latest", l ? l : mu_list(rq->arena));
    mu_set(root, "error", e);
    buf_init(&rs->body, rq->arena);
    if (theme_render(rq->site->theme, "error", root, &rs->body) < 0)
        fallback(rq, rs, k->title);
}
