/*
 * admin_preview.c - what an article will look like before readers see it:
 * POST /admin/preview turns the editor's text into the HTML the site
 * renders (the same Markdown renderer and allowlist), for the editor's
 * live preview; GET /admin/preview/{id}/ shows an unpublished article as
 * its page will be (with the site's inline style and script, so outside
 * the newsroom's Content-Security-Policy), to those who may edit it, and
 * to no search engine.
 */
#include "handlers/admin.h"

#include <string.h>
#include "core/err.h"
#include "handlers/admin_article.h"
#include "handlers/article.h"
#include "handlers/view.h"

/* The editor's text as sanitised HTML: a fragment for the preview pane. */
static int preview_fragment(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    int rc = admin_enter(rq, rs, CAP_WRITE, false, &cx);
    if (rc != 0)
        return rc == ADMIN_DONE ? 0 : rc;
    const char *format = hreq_form(rq, "format");
    const char *body = hreq_form(rq, "body");
    body_format bf = format && strcmp(format, "html") == 0 ? BODY_HTML : BODY_MARKDOWN;
    const char *html;
    buf_clear(&rs->body);
    if (view_body(rq->arena, body ? body : "", bf, &html) < 0) {
        rs->status = 400;
        html = "<p>تعذّرت المعاينة: النص غير صالح أو أطول من المسموح.</p>";
    }
    rs->content_type = "text/html; charset=utf-8";
    buf_puts(&rs->body, html);
    return 0;
}

/* Article {id} as its page will show it, marked for no index. */
static int preview_page(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    int rc = admin_enter(rq, rs, CAP_WRITE, false, &cx);
    if (rc != 0)
        return rc == ADMIN_DONE ? 0 : rc;
    store_article ar;
    view_settings st;
    if ((rc = admin_article_load(rq, &cx, rq->params[0], &ar)) < 0 ||
        (rc = view_settings_load(rq, &st)) < 0 ||
        (rc = article_page(rq, rs, &ar, &st, NULL)) < 0)
        return rc;
    rs->cacheable = false;
    rs->cache_control = "no-store";
    if ((rc = hresp_header(rs, "X-Frame-Options", "DENY")) < 0)
        return rc;
    return hresp_header(rs, "X-Robots-Tag", "noindex, nofollow");
}

int handler_admin_preview(hreq_t *rq, hresp_t *rs)
{
    if (strcmp(rq->method, "POST") == 0)
        return preview_fragment(rq, rs);
    if (rq->nparams < 1)
        return NS_ENOTFOUND;
    return preview_page(rq, rs);
}
