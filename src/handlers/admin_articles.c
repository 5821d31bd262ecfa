/*
 * admin_articles.c - GET /admin/articles/: the newsroom's list of articles,
 * any status, filtered by status, category, author and text (the text
 * through the site's Arabic search analyzer), a page at a time, and the
 * trash (?trash=1). Contributors and authors see their own articles only.
 */
#include "handlers/admin.h"

#include <string.h>
#include "core/date.h"
#include "core/err.h"
#include "core/text.h"
#include "handlers/admin_article.h"
#include "handlers/view.h"
#include "search/query.h"

enum { ARTICLES_PER_PAGE = 20, ARTICLES_MAX_PAGE = 10000 };

/* What ?done= after an action says. */
static const struct { const char *done, *notice; } articles_notices[] = {
    {"saved", "حُفظ المقال."},           {"publish", "نُشر المقال."},
    {"unpublish", "سُحب المقال من النشر وصار مسودة."},
    {"submit", "أُرسل المقال للمراجعة."}, {"trash", "نُقل المقال إلى سلة المهملات."},
    {"restore", "أُعيد المقال من السلة مسودةً."},
};

/* The filters as the query gives them, each kept as typed for the form. */
typedef struct articles_filter {
    const char *status, *category, *author, *q;
    bool trash;
    int page;
} articles_filter;

static const char *articles_param(const hreq_t *rq, const char *name)
{
    const char *v = hreq_query(rq, name);
    return v ? v : "";
}

static int64_t articles_id(const char *s)
{
    int64_t id;
    return text_parse_id(s, &id) ? id : 0;
}

/* The store's query for filter f as cx may see it; NS_EINVAL for bad text. */
static int articles_query(hreq_t *rq, const admin_ctx *cx, const articles_filter *f,
                          store_admin_query *q)
{
    *q = (store_admin_query){.status = -1, .trashed = f->trash, .limit = ARTICLES_PER_PAGE,
                             .offset = (f->page - 1) * ARTICLES_PER_PAGE};
    for (int st = ARTICLE_DRAFT; st <= ARTICLE_PUBLISHED; st++)
        if (strcmp(f->status, store_article_status_name(st)) == 0)
            q->status = st;
    q->category_id = articles_id(f->category);
    q->author_id = admin_can(cx->user.role, CAP_EDIT_OTHERS) ? articles_id(f->author) : cx->user.id;
    if (!*f->q)
        return 0;
    query_t *qt = arena_zalloc(rq->arena, sizeof *qt);
    int rc = query_parse(rq->arena, f->q, strlen(f->q), qt);
    if (rc < 0)
        return rc;
    q->text = qt->n ? qt : NULL;
    return 0;
}

static mu_value *articles_row(hreq_t *rq, const store_article *ar, int tz)
{
    arena_t *a = rq->arena;
    mu_value *o = mu_object(a);
    mu_set_int(o, "id", ar->id);
    mu_set_str(o, "title", ar->title);
    mu_set_str(o, "edit", admin_article_path(a, ar->id));
    mu_set_str(o, "status", admin_article_status_label(ar->status));
    mu_set_bool(o, "visible", (ar->status == ARTICLE_PUBLISHED || ar->status == ARTICLE_SCHEDULED) &&
                                  ar->published_at <= rq->now && !ar->trashed_at);
    mu_set_str(o, "url", arena_printf(a, "/%s/", ar->slug));
    view_set_opt(o, "category", ar->category.id ? ar->category.name : NULL);
    view_set_opt(o, "author", ar->author.id ? ar->author.name : NULL);
    mu_set_str(o, "date", date_ar_short(a, ar->updated_at ? ar->updated_at : ar->created_at, tz));
    mu_set_bool(o, "trashed", ar->trashed_at != 0);
    return o;
}

/* The filter's query string with page n ("" for page 1 of no filter). */
static const char *articles_link(arena_t *a, const articles_filter *f, int n)
{
    buf_t b;
    buf_init(&b, a);
    const char *names[] = {"status", "category", "author", "q"};
    const char *vals[] = {f->status, f->category, f->author, f->q};
    buf_puts(&b, "/admin/articles/?");
    for (size_t i = 0; i < 4; i++) {
        if (!*vals[i])
            continue;
        buf_printf(&b, "%s=", names[i]);
        buf_url_escape(&b, vals[i], strlen(vals[i]));
        buf_putc(&b, '&');
    }
    buf_printf(&b, "%spage=%d", f->trash ? "trash=1&" : "", n);
    return buf_cstr(&b);
}

static mu_value *articles_options(hreq_t *rq, bool authors, const char *chosen)
{
    mu_value *l = mu_list(rq->arena);
    int64_t want = articles_id(chosen);
    store_category *c = NULL;
    store_author *au = NULL;
    size_t n = 0;
    int rc = authors ? store_author_list(rq->store, rq->arena, &au, &n)
                     : store_category_list(rq->store, rq->arena, &c, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        mu_value *o = mu_object(rq->arena);
        int64_t id = authors ? au[i].id : c[i].id;
        mu_set_int(o, "id", id);
        mu_set_str(o, "label", authors ? au[i].name : c[i].name);
        mu_set_bool(o, "selected", id == want);
        mu_push(l, o);
    }
    return l;
}

static mu_value *articles_statuses(arena_t *a, const char *chosen)
{
    mu_value *l = mu_list(a);
    for (int st = ARTICLE_DRAFT; st <= ARTICLE_PUBLISHED; st++) {
        mu_value *o = mu_object(a);
        mu_set_str(o, "value", store_article_status_name(st));
        mu_set_str(o, "label", admin_article_status_label(st));
        mu_set_bool(o, "selected", strcmp(chosen, store_article_status_name(st)) == 0);
        mu_push(l, o);
    }
    return l;
}

static mu_value *articles_view(hreq_t *rq, const admin_ctx *cx, const articles_filter *f,
                               const struct store_article_list *l, int64_t total, int tz)
{
    arena_t *a = rq->arena;
    mu_value *p = mu_object(a), *rows = mu_list(a);
    for (size_t i = 0; i < l->n; i++)
        mu_push(rows, articles_row(rq, &l->items[i], tz));
    mu_set(p, "articles", rows);
    mu_set_bool(p, "empty", l->n == 0);
    mu_set_int(p, "total", total);
    mu_set_str(p, "csrf", cx->csrf ? cx->csrf : "");
    mu_set_str(p, "q", f->q);
    mu_set_bool(p, "trash", f->trash);
    mu_set_bool(p, "all_authors", admin_can(cx->user.role, CAP_EDIT_OTHERS));
    mu_set(p, "statuses", articles_statuses(a, f->status));
    mu_set(p, "categories", articles_options(rq, false, f->category));
    mu_set(p, "authors", articles_options(rq, true, f->author));
    int pages = (int)((total + ARTICLES_PER_PAGE - 1) / ARTICLES_PER_PAGE);
    view_set_opt(p, "prev", f->page > 1 ? articles_link(a, f, f->page - 1) : NULL);
    view_set_opt(p, "next", f->page < pages ? articles_link(a, f, f->page + 1) : NULL);
    mu_set_int(p, "page", f->page);
    mu_set_int(p, "pages", pages ? pages : 1);
    return p;
}

static const char *articles_notice(const hreq_t *rq)
{
    const char *done = articles_param(rq, "done");
    for (size_t i = 0; i < sizeof articles_notices / sizeof *articles_notices; i++)
        if (strcmp(done, articles_notices[i].done) == 0)
            return articles_notices[i].notice;
    return NULL;
}

int handler_admin_articles(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    int rc = admin_enter(rq, rs, CAP_WRITE, false, &cx);
    if (rc != 0)
        return rc == ADMIN_DONE ? 0 : rc;
    articles_filter f = {articles_param(rq, "status"), articles_param(rq, "category"),
                         articles_param(rq, "author"), articles_param(rq, "q"),
                         *articles_param(rq, "trash") != '\0',
                         view_parse_int(hreq_query(rq, "page"), 1, ARTICLES_MAX_PAGE, 1)};
    store_admin_query q;
    struct store_article_list l = {0};
    int64_t total = 0;
    view_settings st;
    if ((rc = view_settings_load(rq, &st)) < 0)
        return rc;
    if ((rc = articles_query(rq, &cx, &f, &q)) < 0 && rc != NS_EINVAL)
        return rc;
    if (rc == 0 && (rc = store_admin_articles(rq->store, rq->arena, &q, &l, &total)) < 0)
        return rc;
    mu_value *p = articles_view(rq, &cx, &f, &l, total, st.tz_offset);
    const char *title = f.trash ? "سلة المهملات" : "المقالات";
    return admin_render(rq, rs, &cx, 0, "articles", title, articles_notice(rq), p);
}
