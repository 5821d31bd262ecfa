/*
 * admin_home.c - the newsroom's first page: how many articles wait in
 * each state before publication, and how many comments wait for a
 * moderator, each a link to the list that shows them. Someone who may
 * only handle their own articles sees their own counts.
 */
#include "handlers/admin.h"

#include "core/err.h"

/* The counts shown, in order. */
static const struct home_count {
    const char *label, *url;
    int status;                 /* an article_status; -1: comments awaiting moderation */
} home_counts[] = {
    {"مسودات", "/admin/articles/?status=draft", ARTICLE_DRAFT},
    {"بانتظار المراجعة", "/admin/articles/?status=pending", ARTICLE_PENDING},
    {"مجدولة للنشر", "/admin/articles/?status=scheduled", ARTICLE_SCHEDULED},
    {"تعليقات بانتظار الإشراف", "/admin/comments/?status=pending", -1},
};

/* The count of one row for cx's user into *n: 0, NS_EPERM when the user
 * may not see that row, or the store's error. */
static int home_count(hreq_t *rq, const admin_ctx *cx, const struct home_count *c, int64_t *n)
{
    if (c->status < 0)
        return admin_can(cx->user.role, CAP_MODERATE)
            ? store_comment_status_count(rq->store, COMMENT_PENDING, n) : NS_EPERM;
    store_admin_query q = {.status = c->status, .limit = 1,
                           .author_id = admin_can(cx->user.role, CAP_EDIT_OTHERS) ? 0 : cx->user.id};
    struct store_article_list l;
    return store_admin_articles(rq->store, rq->arena, &q, &l, n);
}

int handler_admin_home(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    int rc = admin_enter(rq, rs, CAP_WRITE, false, &cx);
    if (rc != NS_OK)
        return rc == ADMIN_DONE ? NS_OK : rc;
    mu_value *list = mu_list(rq->arena), *page = mu_set(mu_object(rq->arena), "counts", list);
    for (size_t i = 0; i < sizeof home_counts / sizeof *home_counts; i++) {
        int64_t n = 0;
        rc = home_count(rq, &cx, &home_counts[i], &n);
        if (rc == NS_EPERM)
            continue;
        if (rc != NS_OK)
            return rc;
        mu_value *o = mu_object(rq->arena);
        mu_set_str(o, "label", home_counts[i].label);
        mu_set_str(o, "url", home_counts[i].url);
        mu_set_int(o, "count", n);
        mu_push(list, o);
    }
    return admin_render(rq, rs, &cx, 0, "home", "لوحة التحكم", NULL, page);
}
