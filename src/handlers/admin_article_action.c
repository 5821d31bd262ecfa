/*
 * admin_article_action.c - POST /admin/articles/{id}/{action}: the buttons
 * of the article list and the editor that change an article's state
 * without its text (publish, unpublish, submit for review, trash,
 * restore). Each is a table row: the capability it needs on top of being
 * allowed to edit the article at all, and what it does.
 */
#include "handlers/admin.h"

#include <string.h>
#include "core/err.h"
#include "handlers/admin_article.h"

/* ar's new status, saved as a revision like any save. */
static int action_status(hreq_t *rq, store_article *ar, article_status st, int64_t user_id)
{
    bool visible = (ar->status == ARTICLE_PUBLISHED || ar->status == ARTICLE_SCHEDULED) &&
                   ar->published_at > 0 && ar->published_at <= rq->now;
    if (st == ARTICLE_PUBLISHED && !visible)
        ar->published_at = rq->now;
    ar->status = st;
    ar->updated_at = rq->now;
    admin_save sv = {.ar = ar, .expect = -1, .user_id = user_id, .now = rq->now};
    return admin_article_save(rq->store, rq->arena, &sv);
}

static int action_publish(hreq_t *rq, store_article *ar, int64_t uid)
{
    return ar->trashed_at ? NS_EINVAL : action_status(rq, ar, ARTICLE_PUBLISHED, uid);
}

static int action_unpublish(hreq_t *rq, store_article *ar, int64_t uid)
{
    return action_status(rq, ar, ARTICLE_DRAFT, uid);
}

static int action_submit(hreq_t *rq, store_article *ar, int64_t uid)
{
    if (ar->trashed_at || ar->status != ARTICLE_DRAFT)
        return NS_EINVAL;
    return action_status(rq, ar, ARTICLE_PENDING, uid);
}

static int action_trash(hreq_t *rq, store_article *ar, int64_t uid)
{
    (void)uid;
    return store_article_trash(rq->store, ar->id, rq->now);
}

static int action_restore(hreq_t *rq, store_article *ar, int64_t uid)
{
    (void)uid;
    return store_article_restore(rq->store, ar->id);
}

static const struct article_action {
    const char *name;
    admin_cap need;
    int (*run)(hreq_t *rq, store_article *ar, int64_t user_id);
} article_actions[] = {
    {"publish", CAP_PUBLISH, action_publish},
    {"unpublish", CAP_PUBLISH, action_unpublish},
    {"submit", CAP_WRITE, action_submit},
    {"trash", CAP_WRITE, action_trash},
    {"restore", CAP_WRITE, action_restore},
};

int handler_admin_article_action(hreq_t *rq, hresp_t *rs)
{
    if (rq->nparams < 2)
        return NS_ENOTFOUND;
    const struct article_action *act = NULL;
    for (size_t i = 0; i < sizeof article_actions / sizeof *article_actions; i++)
        if (strcmp(rq->params[1], article_actions[i].name) == 0)
            act = &article_actions[i];
    if (!act)
        return NS_ENOTFOUND;
    admin_ctx cx;
    int rc = admin_enter(rq, rs, act->need, false, &cx);
    if (rc != 0)
        return rc == ADMIN_DONE ? 0 : rc;
    store_article ar;
    if ((rc = admin_article_load(rq, &cx, rq->params[0], &ar)) < 0 ||
        (rc = act->run(rq, &ar, cx.user.id)) < 0)
        return rc;
    return admin_redirect(rs, arena_printf(rq->arena, "/admin/articles/?done=%s", act->name));
}
