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

void handler_error(hreq_t *rq, hresp_t *rs, int rc)
{
    bool nf = rc == NS_ENOTFOUND;
    const char *msg = nf ? "الصفحة غير موجودة" : "حدث خطأ";
    rs->status = nf ? 404 : 500;
    rs->content_type = "text/html; charset=utf-8";
    rs->location = NULL;
    rs->cacheable = false;
    rs->max_age = 0;
    rs->last_modified = 0;
    rs->expires_at = 0;
    if (!rq->site || !rq->site->theme || !rq->store) {
        fallback(rq, rs, msg);
        return;
    }
    view_settings st;
    bool store_ok = view_settings_load(rq, &st) == 0;
    mu_value *root = view_root(rq, &st, msg, msg, 0);
    mu_value *e = mu_object(rq->arena);
    mu_set_str(e, "message", msg);
    mu_set_int(e, "status", rs->status);
    mu_set_bool(e, "not_found", nf);
    mu_value *l = store_ok ? latest(rq, &st) : NULL;
    mu_set_bool(e, "has_latest", l != NULL);
    mu_set(e, "latest", l ? l : mu_list(rq->arena));
    mu_set(root, "error", e);
    buf_init(&rs->body, rq->arena);
    if (theme_render(rq->site->theme, "error", root, &rs->body) < 0)
        fallback(rq, rs, msg);
}
