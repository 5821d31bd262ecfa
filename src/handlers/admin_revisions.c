/*
 * admin_revisions.c - /admin/articles/{id}/revisions/: every saved state
 * of an article's text, newest first; one of them beside the current text
 * with what changed paragraph by paragraph (<del> what the revision had
 * and the article no longer has, <ins> what the article has since); and
 * its restoration, which is a new save of that text (so nothing is lost,
 * the restored-over text stays a revision too).
 */
#include "handlers/admin.h"

#include <string.h>
#include "core/date.h"
#include "core/err.h"
#include "core/text.h"
#include "handlers/admin_article.h"
#include "handlers/view.h"

/* Paragraphs compared one by one at most; longer texts are shown as one
 * whole removed and one whole added (the table is DIFF_MAX² cells). */
enum { DIFF_MAX = 600 };

typedef struct para_list {
    const char **v;
    size_t n;
} para_list;

/* s split at blank lines, each paragraph trimmed of its line breaks. */
static para_list diff_split(arena_t *a, const char *s)
{
    para_list l = {arena_zalloc(a, (strlen(s ? s : "") / 2 + 2) * sizeof(char *)), 0};
    const char *p = s ? s : "";
    while (*p) {
        while (*p == '\n' || *p == '\r')
            p++;
        const char *end = p;
        while (*end && !(end[0] == '\n' && (end[1] == '\n' || (end[1] == '\r' && end[2] == '\n'))))
            end++;
        size_t n = (size_t)(end - p);
        while (n && (p[n - 1] == '\r' || p[n - 1] == '\n'))
            n--;
        if (n)
            l.v[l.n++] = arena_strndup(a, p, n);
        p = end;
    }
    return l;
}

static void diff_push(arena_t *a, mu_value *out, const char *kind, const char *text)
{
    mu_value *o = mu_object(a);
    mu_set_bool(o, "same", kind[0] == 's');
    mu_set_bool(o, "del", kind[0] == 'd');
    mu_set_bool(o, "ins", kind[0] == 'i');
    mu_set_str(o, "text", text);
    mu_push(out, o);
}

/* The paragraphs of old and new as one sequence of kept, removed and added
 * ones, by their longest common subsequence. */
static mu_value *diff_paras(arena_t *a, para_list o, para_list n)
{
    mu_value *out = mu_list(a);
    if (o.n > DIFF_MAX || n.n > DIFF_MAX) {
        for (size_t i = 0; i < o.n; i++)
            diff_push(a, out, "del", o.v[i]);
        for (size_t j = 0; j < n.n; j++)
            diff_push(a, out, "ins", n.v[j]);
        return out;
    }
    size_t w = n.n + 1;
    uint16_t *t = arena_zalloc(a, (o.n + 1) * w * sizeof *t);
    for (size_t i = o.n; i-- > 0;)
        for (size_t j = n.n; j-- > 0;)
            t[i * w + j] = strcmp(o.v[i], n.v[j]) == 0 ? t[(i + 1) * w + j + 1] + 1
                           : t[(i + 1) * w + j] > t[i * w + j + 1] ? t[(i + 1) * w + j]
                                                                   : t[i * w + j + 1];
    size_t i = 0, j = 0;
    while (i < o.n || j < n.n) {
        if (i < o.n && j < n.n && strcmp(o.v[i], n.v[j]) == 0) {
            diff_push(a, out, "same", n.v[j]);
            i++, j++;
        } else if (j == n.n || (i < o.n && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
            diff_push(a, out, "del", o.v[i++]);
        } else {
            diff_push(a, out, "ins", n.v[j++]);
        }
    }
    return out;
}

/* One short field of the revision and the article, changed or not. */
static void diff_field(arena_t *a, mu_value *fields, const char *label, const char *was,
                       const char *now)
{
    was = was ? was : "";
    now = now ? now : "";
    mu_value *o = mu_object(a);
    mu_set_str(o, "label", label);
    mu_set_bool(o, "changed", strcmp(was, now) != 0);
    mu_set_str(o, "was", was);
    mu_set_str(o, "now", now);
    mu_push(fields, o);
}

static int revisions_enter(hreq_t *rq, hresp_t *rs, admin_ctx *cx, store_article *ar)
{
    int rc = admin_enter(rq, rs, CAP_WRITE, false, cx);
    if (rc != 0)
        return rc;
    return admin_article_load(rq, cx, rq->params[0], ar);
}

/* Revision {rid} of article ar; NS_ENOTFOUND when it is another's. */
static int revisions_get(hreq_t *rq, const store_article *ar, store_revision *r)
{
    int64_t rid;
    if (rq->nparams < 2 || !text_parse_id(rq->params[1], &rid))
        return NS_ENOTFOUND;
    int rc = store_revision_get(rq->store, rq->arena, rid, r);
    if (rc == 0 && r->article_id != ar->id)
        rc = NS_ENOTFOUND;
    return rc;
}

static mu_value *revisions_base(hreq_t *rq, const admin_ctx *cx, const store_article *ar)
{
    mu_value *p = mu_object(rq->arena);
    mu_set_int(p, "id", ar->id);
    mu_set_str(p, "title", ar->title);
    mu_set_str(p, "edit", admin_article_path(rq->arena, ar->id));
    mu_set_str(p, "csrf", cx->csrf ? cx->csrf : "");
    return p;
}

static int revisions_list(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, const store_article *ar)
{
    store_revision *r;
    size_t n;
    view_settings st;
    int rc = store_revision_list(rq->store, rq->arena, ar->id, &r, &n);
    if (rc < 0 || (rc = view_settings_load(rq, &st)) < 0)
        return rc;
    mu_value *p = revisions_base(rq, cx, ar), *l = mu_list(rq->arena);
    for (size_t i = 0; i < n; i++) {
        mu_value *o = mu_object(rq->arena);
        mu_set_int(o, "revision", r[i].revision);
        mu_set_str(o, "title", r[i].title);
        mu_set_str(o, "date", date_ar_long(rq->arena, r[i].created_at, st.tz_offset));
        mu_set_str(o, "url", arena_printf(rq->arena, "/admin/articles/%lld/revisions/%lld/",
                                          (long long)ar->id, (long long)r[i].id));
        mu_set_bool(o, "current", r[i].revision == ar->revision);
        mu_push(l, o);
    }
    mu_set(p, "revisions", l);
    mu_set_bool(p, "empty", n == 0);
    return admin_render(rq, rs, cx, 0, "revisions", "مراجعات المقال", NULL, p);
}

static int revisions_show(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, const store_article *ar)
{
    store_revision r;
    int rc = revisions_get(rq, ar, &r);
    if (rc < 0)
        return rc;
    arena_t *a = rq->arena;
    mu_value *p = revisions_base(rq, cx, ar), *fields = mu_list(a);
    diff_field(a, fields, "العنوان", r.title, ar->title);
    diff_field(a, fields, "الرابط المختصر", r.slug, ar->slug);
    diff_field(a, fields, "العنوان التمهيدي", r.kicker, ar->kicker);
    diff_field(a, fields, "المقدمة", r.lead, ar->lead);
    diff_field(a, fields, "المصدر", r.source, ar->source);
    diff_field(a, fields, "رابط الفيديو", r.video_url, ar->video_url);
    mu_set(p, "fields", fields);
    mu_set(p, "diff", diff_paras(a, diff_split(a, r.body_md), diff_split(a, ar->body_md)));
    mu_set_int(p, "revision", r.revision);
    mu_set_str(p, "restore", arena_printf(a, "/admin/articles/%lld/revisions/%lld/restore",
                                          (long long)ar->id, (long long)r.id));
    mu_set_str(p, "list", arena_printf(a, "/admin/articles/%lld/revisions/", (long long)ar->id));
    return admin_render(rq, rs, cx, 0, "revision", "مقارنة مراجعة بالنص الحالي", NULL, p);
}

/* The revision's text saved again as the article's, a revision of its own. */
static int revisions_restore(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, store_article *ar)
{
    store_revision r;
    int rc = revisions_get(rq, ar, &r);
    if (rc < 0)
        return rc;
    ar->title = r.title;
    ar->slug = r.slug;
    ar->kicker = r.kicker;
    ar->lead = r.lead;
    ar->body_md = r.body_md;
    ar->body_format = r.body_format;
    ar->source = r.source;
    ar->video_url = r.video_url;
    ar->updated_at = rq->now;
    if ((rc = view_body(rq->arena, ar->body_md, ar->body_format, &ar->body_html)) < 0)
        return rc;
    admin_save sv = {.ar = ar, .expect = -1, .user_id = cx->user.id, .now = rq->now};
    if ((rc = admin_article_save(rq->store, rq->arena, &sv)) < 0)
        return rc;
    return admin_redirect(rs, arena_printf(rq->arena, "%s?done=saved", admin_article_path(rq->arena, ar->id)));
}

int handler_admin_revisions(hreq_t *rq, hresp_t *rs)
{
    if (rq->nparams < 1)
        return NS_ENOTFOUND;
    admin_ctx cx;
    store_article ar;
    int rc = revisions_enter(rq, rs, &cx, &ar);
    if (rc != 0)
        return rc == ADMIN_DONE ? 0 : rc;
    if (strcmp(rq->method, "POST") == 0)
        return revisions_restore(rq, rs, &cx, &ar);
    return rq->nparams < 2 ? revisions_list(rq, rs, &cx, &ar) : revisions_show(rq, rs, &cx, &ar);
}
