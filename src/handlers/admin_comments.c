/*
 * admin_comments.c - comment moderation in the newsroom (/admin/comments/),
 * for the roles that may moderate (CAP_MODERATE).
 *
 *   GET  /admin/comments/?status=S&page=N   the queue of one status (tabs
 *                                           with counts, pending first)
 *   POST /admin/comments/                   a bulk action on the ticked ones
 *   POST /admin/comments/{id}/{action}      approve, spam, trash, restore,
 *                                           delete, reply
 *   GET, POST /admin/comments/{id}/         the comment's edit form (and the
 *                                           site's reply to it)
 *
 * Every change is a POST carrying the form token, answered with a 303 back
 * to the tab it came from and a notice (?done=...), so reloading repeats
 * nothing. Which action applies to which status is a table: an action
 * asked of a comment in another status changes nothing (409). The change
 * log makes an approved comment, or one taken away, show on its article at
 * once: every comments row written logs its article's COMMENTS key.
 */
#include "handlers/admin.h"

#include <stddef.h>
#include <string.h>
#include "core/err.h"
#include "core/text.h"
#include "handlers/comment_text.h"
#include "handlers/view.h"

/* Comments on one page of a tab. */
enum { CM_PER_PAGE = 20, CM_URL_MAX = 200 };
#define CM_BASE "/admin/comments/"

/* The tabs, in the order shown: pending first. */
static const struct {
    comment_status st;
    const char *key, *label, *status_label;
} cm_tabs[] = {
    {COMMENT_PENDING, "pending", "بانتظار المراجعة", "بانتظار المراجعة"},
    {COMMENT_APPROVED, "approved", "المعتمدة", "معتمد"},
    {COMMENT_SPAM, "spam", "المزعجة", "مزعج"},
    {COMMENT_TRASH, "trash", "المهملات", "في المهملات"},
};
#define CM_NTABS (sizeof cm_tabs / sizeof *cm_tabs)

#define CM_BIT(st) (1u << (st))
#define CM_DELETE (-1)

/* What may be done to a comment: its name in the URL and the bulk form,
 * the button, the statuses it applies to, the status it gives (CM_DELETE:
 * gone for good) and the notice the tab then shows. */
typedef struct cm_action {
    const char *name, *label;
    unsigned from;
    int to;
    const char *done;
} cm_action;

static const cm_action cm_actions[] = {
    {"approve", "اعتماد", CM_BIT(COMMENT_PENDING), COMMENT_APPROVED, "approved"},
    {"spam", "مزعج", CM_BIT(COMMENT_PENDING) | CM_BIT(COMMENT_APPROVED), COMMENT_SPAM, "spammed"},
    {"trash", "إلى المهملات",
     CM_BIT(COMMENT_PENDING) | CM_BIT(COMMENT_APPROVED) | CM_BIT(COMMENT_SPAM), COMMENT_TRASH,
     "trashed"},
    {"restore", "استعادة", CM_BIT(COMMENT_SPAM) | CM_BIT(COMMENT_TRASH), COMMENT_PENDING, "restored"},
    {"delete", "حذف نهائي", CM_BIT(COMMENT_TRASH), CM_DELETE, "deleted"},
};
#define CM_NACTIONS (sizeof cm_actions / sizeof *cm_actions)

/* The notices, by the done= code a redirect carries: for one comment,
 * and for n= of them (a bulk action; %d is n). */
static const admin_notice cm_notices[] = {
    {"approved", "اعتُمد التعليق وظهر على المقال."},
    {"spammed", "نُقل التعليق إلى المزعجة."},
    {"trashed", "نُقل التعليق إلى المهملات."},
    {"restored", "أُعيد التعليق إلى المراجعة."},
    {"deleted", "حُذف التعليق نهائيًا."},
    {"edited", "حُفظ التعليق."},
    {"replied", "نُشر رد الموقع تحت التعليق."},
    {"none", "لم يُحدَّد أي تعليق يقبل هذا الإجراء."},
};
static const admin_notice cm_notices_many[] = {
    {"approved", "اعتُمدت التعليقات المحددة: %d"},
    {"spammed", "نُقلت التعليقات المحددة إلى المزعجة: %d"},
    {"trashed", "نُقلت التعليقات المحددة إلى المهملات: %d"},
    {"restored", "أُعيدت التعليقات المحددة إلى المراجعة: %d"},
    {"deleted", "حُذفت التعليقات المحددة نهائيًا: %d"},
};

static const cm_action *cm_action_named(const char *name)
{
    for (size_t i = 0; name && i < CM_NACTIONS; i++)
        if (strcmp(cm_actions[i].name, name) == 0)
            return &cm_actions[i];
    return NULL;
}

/* The tab a status= parameter names; pending for anything else. */
static size_t cm_tab_index(const char *key)
{
    for (size_t i = 0; key && i < CM_NTABS; i++)
        if (strcmp(cm_tabs[i].key, key) == 0)
            return i;
    return 0;
}

static size_t cm_tab_of(comment_status st)
{
    for (size_t i = 0; i < CM_NTABS; i++)
        if (cm_tabs[i].st == st)
            return i;
    return 0;
}

/* A page number parameter: 1 unless a number 1..100000. */
static int cm_page_param(const char *s)
{
    return view_parse_int(s, 1, 100000, 1);
}

/* The notice for done= (and n=, how many a bulk action changed); NULL: none. */
static const char *cm_notice(hreq_t *rq)
{
    int n = view_parse_int(hreq_query(rq, "n"), 0, 100000, 1);
    const char *many = n != 1 ? admin_notice_of(rq, cm_notices_many,
                                                sizeof cm_notices_many / sizeof *cm_notices_many) : NULL;
    return many ? arena_printf(rq->arena, many, n)
                : admin_notice_of(rq, cm_notices, sizeof cm_notices / sizeof *cm_notices);
}

/* The tab a form came from, as an address with a notice: built from the
 * table and a number, never from the text sent, so it stays in /admin. */
static const char *cm_back(hreq_t *rq, size_t tab, int page, const char *done, int n)
{
    arena_t *a = rq->arena;
    const char *url = arena_printf(a, CM_BASE "?status=%s", cm_tabs[tab].key);
    if (page > 1)
        url = arena_printf(a, "%s&page=%d", url, page);
    url = arena_printf(a, "%s&done=%s", url, done);
    return n != 1 ? arena_printf(a, "%s&n=%d", url, n) : url;
}

/* ---- the queue ---- */

/* An article's title and address, read once per article on a page. */
typedef struct cm_article_cache {
    int64_t id[CM_PER_PAGE];
    mu_value *link[CM_PER_PAGE];
    size_t n;
} cm_article_cache;

static mu_value *cm_article_link(hreq_t *rq, cm_article_cache *c, int64_t id)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->id[i] == id)
            return c->link[i];
    store_article ar;
    mu_value *o = mu_object(rq->arena);
    if (store_article_by_id(rq->store, rq->arena, id, &ar) == NS_OK) {
        mu_set_str(o, "title", view_display_title(rq->arena, ar.title));
        mu_set_str(o, "url", arena_printf(rq->arena, "/%s/", ar.slug));
    } else {
        mu_set_str(o, "title", "(مقال محذوف)");
        mu_set_bool(o, "url", false);
    }
    if (c->n < CM_PER_PAGE) {
        c->id[c->n] = id;
        c->link[c->n++] = o;
    }
    return o;
}

/* The buttons of the actions that apply to status st. */
static mu_value *cm_action_list(arena_t *a, comment_status st, int64_t id)
{
    mu_value *l = mu_list(a);
    for (size_t i = 0; i < CM_NACTIONS; i++) {
        if (!(cm_actions[i].from & CM_BIT(st)))
            continue;
        mu_value *o = mu_object(a);
        mu_set_str(o, "name", cm_actions[i].name);
        mu_set_str(o, "label", cm_actions[i].label);
        if (id)
            mu_set_str(o, "url", arena_printf(a, CM_BASE "%lld/%s", (long long)id, cm_actions[i].name));
        mu_set_bool(o, "danger", cm_actions[i].to == CM_DELETE);
        mu_push(l, o);
    }
    return l;
}

/* What the queue and the edit page show of a comment. */
static mu_value *cm_comment_view(hreq_t *rq, const view_settings *st, cm_article_cache *cache,
                                 const store_comment *c)
{
    arena_t *a = rq->arena;
    mu_value *o = mu_object(a);
    mu_set_int(o, "id", c->id);
    mu_set(o, "article", cm_article_link(rq, cache, c->article_id));
    mu_set_str(o, "author", c->author_name ? c->author_name : "");
    view_set_opt(o, "email", c->author_email);
    view_set_opt(o, "url", text_url_is_http(c->author_url) ? c->author_url : NULL);
    mu_set(o, "date", view_date(a, c->created_at, st));
    mu_set_str(o, "html", comment_text_html(a, c->body));
    mu_set_str(o, "status", cm_tabs[cm_tab_of(c->status)].status_label);
    mu_set_bool(o, "reply", c->parent_id != 0);
    mu_set_str(o, "edit_url", arena_printf(a, CM_BASE "%lld/", (long long)c->id));
    mu_set_bool(o, "can_reply", c->status == COMMENT_APPROVED);
    mu_set(o, "actions", cm_action_list(a, c->status, c->id));
    return o;
}

/* The tabs with their counts. */
static int cm_tab_list(hreq_t *rq, size_t current, mu_value **out, int64_t *total)
{
    mu_value *l = mu_list(rq->arena);
    for (size_t i = 0; i < CM_NTABS; i++) {
        int64_t n = 0;
        int rc = store_comment_status_count(rq->store, (int)cm_tabs[i].st, &n);
        if (rc)
            return rc;
        mu_value *o = mu_object(rq->arena);
        mu_set_str(o, "label", cm_tabs[i].label);
        mu_set_int(o, "count", n);
        mu_set_str(o, "url", arena_printf(rq->arena, CM_BASE "?status=%s", cm_tabs[i].key));
        mu_set_bool(o, "current", i == current);
        mu_push(l, o);
        if (i == current)
            *total = n;
    }
    *out = l;
    return NS_OK;
}

/* Previous and next pages of a tab, or false when it fits on one. */
static mu_value *cm_pagination(arena_t *a, size_t tab, int page, int64_t total)
{
    int64_t pages = (total + CM_PER_PAGE - 1) / CM_PER_PAGE;
    if (pages <= 1)
        return mu_bool(a, false);
    mu_value *p = mu_object(a);
    mu_set_int(p, "current", page);
    mu_set_int(p, "pages", pages);
    const char *base = arena_printf(a, CM_BASE "?status=%s&page=", cm_tabs[tab].key);
    view_set_opt(p, "prev", page > 1 ? arena_printf(a, "%s%d", base, page - 1) : NULL);
    view_set_opt(p, "next", page < pages ? arena_printf(a, "%s%d", base, page + 1) : NULL);
    return p;
}

static int cm_queue_page(hreq_t *rq, hresp_t *rs, const admin_ctx *cx)
{
    arena_t *a = rq->arena;
    size_t tab = cm_tab_index(hreq_query(rq, "status"));
    int page = cm_page_param(hreq_query(rq, "page"));
    view_settings st;
    mu_value *tabs, *list = mu_list(a), *v = mu_object(a);
    int64_t total = 0;
    store_comment *cs = NULL;
    size_t n = 0;
    int rc = view_settings_load(rq, &st);
    if (rc || (rc = cm_tab_list(rq, tab, &tabs, &total)) ||
        (rc = store_comment_queue(rq->store, a, (int)cm_tabs[tab].st, CM_PER_PAGE,
                                  (page - 1) * CM_PER_PAGE, &cs, &n)))
        return rc;
    cm_article_cache cache = {.n = 0};
    for (size_t i = 0; i < n; i++)
        mu_push(list, cm_comment_view(rq, &st, &cache, &cs[i]));
    mu_set_str(v, "csrf", cx->csrf);
    mu_set(v, "tabs", tabs);
    mu_set_str(v, "status", cm_tabs[tab].key);
    mu_set_str(v, "tab_label", cm_tabs[tab].label);
    mu_set_int(v, "page_no", page);
    mu_set(v, "comments", list);
    mu_set_bool(v, "empty", n == 0);
    mu_set(v, "bulk", cm_action_list(a, cm_tabs[tab].st, 0));
    mu_set(v, "pagination", cm_pagination(a, tab, page, total));
    return admin_render(rq, rs, cx, 0, "comments", "التعليقات", cm_notice(rq), v);
}

/* ---- actions ---- */

/* One action on the comments ids[0..n), in one transaction: those whose
 * status it does not apply to are left as they are. */
typedef struct cm_change {
    const cm_action *act;
    const int64_t *ids;
    size_t n;
    arena_t *arena;
    int done;          /* comments changed */
} cm_change;

static int cm_change_run(store_t *s, void *arg)
{
    cm_change *x = arg;
    x->done = 0;
    for (size_t i = 0; i < x->n; i++) {
        store_comment c;
        int rc = store_comment_get(s, x->arena, x->ids[i], &c);
        if (rc == NS_ENOTFOUND || (rc == NS_OK && !(x->act->from & CM_BIT(c.status))))
            continue;
        if (rc || (rc = x->act->to == CM_DELETE ? store_comment_delete(s, c.id)
                                                : store_comment_set_status(s, c.id, x->act->to)))
            return rc;
        x->done++;
    }
    return NS_OK;
}

/* The tab and page the form was sent from (hidden fields). */
static void cm_form_origin(hreq_t *rq, size_t *tab, int *page)
{
    *tab = cm_tab_index(hreq_form(rq, "status"));
    *page = cm_page_param(hreq_form(rq, "page"));
}

/* POST /admin/comments/: the ticked comments ("id", any number of them). */
static int cm_bulk(hreq_t *rq, hresp_t *rs)
{
    const cm_action *act = cm_action_named(hreq_form(rq, "action"));
    if (!act)
        return NS_EINVAL;
    int64_t *ids = arena_alloc(rq->arena, (rq->nform + 1) * sizeof *ids);
    size_t n = 0;
    for (size_t i = 0; i < rq->nform; i++)
        if (strcmp(rq->form[i].name, "id") == 0 && text_parse_id(rq->form[i].value, &ids[n]))
            n++;
    cm_change x = {.act = act, .ids = ids, .n = n, .arena = rq->arena};
    int rc = n ? store_write(rq->store, cm_change_run, &x) : NS_OK;
    if (rc)
        return rc;
    size_t tab;
    int page;
    cm_form_origin(rq, &tab, &page);
    return admin_redirect(rs, cm_back(rq, tab, page, x.done ? act->done : "none", x.done ? x.done : 1));
}

/* POST /admin/comments/{id}/{action} (but reply). */
static int cm_single(hreq_t *rq, hresp_t *rs, int64_t id, const cm_action *act)
{
    cm_change x = {.act = act, .ids = &id, .n = 1, .arena = rq->arena};
    int rc = store_write(rq->store, cm_change_run, &x);
    if (rc)
        return rc;
    if (!x.done)
        return NS_ECONFLICT; /* gone, or not in a status this applies to */
    size_t tab;
    int page;
    cm_form_origin(rq, &tab, &page);
    return admin_redirect(rs, cm_back(rq, tab, page, act->done, 1));
}

/* ---- the edit page and the site's reply ---- */

/* What was typed in the edit and reply forms, and what is wrong with it. */
typedef struct cm_form {
    const char *author, *email, *url, *comment, *reply;
    const char *err_author, *err_email, *err_url, *err_comment, *err_reply;
    const char *message;          /* above the forms (a refused token) */
} cm_form;

static void cm_form_of(cm_form *f, const store_comment *c)
{
    *f = (cm_form){.author = c->author_name ? c->author_name : "",
                   .email = c->author_email ? c->author_email : "",
                   .url = c->author_url ? c->author_url : "", .comment = c->body ? c->body : "",
                   .reply = ""};
}

static void cm_form_fields(mu_value *v, const cm_form *f)
{
    static const struct { const char *key; size_t off; } fields[] = {
        {"f_author", offsetof(cm_form, author)}, {"f_email", offsetof(cm_form, email)},
        {"f_url", offsetof(cm_form, url)}, {"f_comment", offsetof(cm_form, comment)},
        {"f_reply", offsetof(cm_form, reply)}, {"err_author", offsetof(cm_form, err_author)},
        {"err_email", offsetof(cm_form, err_email)}, {"err_url", offsetof(cm_form, err_url)},
        {"err_comment", offsetof(cm_form, err_comment)}, {"err_reply", offsetof(cm_form, err_reply)},
        {"message", offsetof(cm_form, message)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *s = *(const char *const *)((const char *)f + fields[i].off);
        if (strncmp(fields[i].key, "f_", 2) == 0)
            mu_set_str(v, fields[i].key, s ? s : "");
        else
            view_set_opt(v, fields[i].key, s);
    }
}

static int cm_edit_page(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, const store_comment *c,
                        const cm_form *f, int status)
{
    view_settings st;
    int rc = view_settings_load(rq, &st);
    if (rc)
        return rc;
    cm_article_cache cache = {.n = 0};
    mu_value *v = cm_comment_view(rq, &st, &cache, c);
    mu_set_str(v, "csrf", cx->csrf);
    mu_set_str(v, "back", arena_printf(rq->arena, CM_BASE "?status=%s", cm_tabs[cm_tab_of(c->status)].key));
    mu_set_str(v, "tab_key", cm_tabs[cm_tab_of(c->status)].key);
    mu_set_str(v, "site_name", st.site_name);
    cm_form_fields(v, f);
    /* a refused reply stays in its form, whatever the comment became */
    mu_set_bool(v, "can_reply", c->status == COMMENT_APPROVED || f->err_reply);
    return admin_render(rq, rs, cx, status, "comment_edit", "تعديل تعليق", cm_notice(rq), v);
}

/* The edit form's fields, cleaned as a reader's are; true if all is well. */
static bool cm_edit_read(hreq_t *rq, cm_form *f)
{
    arena_t *a = rq->arena;
    f->author = comment_text_clean(a, hreq_form(rq, "author"), false);
    f->email = comment_text_clean(a, hreq_form(rq, "email"), false);
    f->url = comment_text_clean(a, hreq_form(rq, "url"), false);
    f->comment = comment_text_clean(a, hreq_form(rq, "comment"), true);
    comment_text_errors e;
    bool bad = comment_text_check(f->comment, f->author, f->email, &e);
    f->err_comment = e.text;
    f->err_author = e.name;
    f->err_email = e.email;
    if (*f->url && (strlen(f->url) > CM_URL_MAX || !text_url_is_http(f->url) || strpbrk(f->url, "\"<>")))
        f->err_url = "الرابط يجب أن يبدأ بـ http:// أو https:// وألا يزيد على 200 حرف";
    return !bad && !f->err_url;
}

static int cm_edit_save(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, store_comment *c)
{
    cm_form f;
    cm_form_of(&f, c);
    bool ok = cm_edit_read(rq, &f);
    if (!cx->csrf_ok) {
        f.message = "تعذّر التحقق من النموذج. ما كتبته باقٍ هنا: أعد الحفظ.";
        return cm_edit_page(rq, rs, cx, c, &f, 403);
    }
    if (!ok)
        return cm_edit_page(rq, rs, cx, c, &f, 422);
    store_comment up = *c;
    up.author_name = f.author;
    up.author_email = *f.email ? f.email : NULL;
    up.author_url = *f.url ? f.url : NULL;
    up.body = f.comment;
    int rc = store_comment_update(rq->store, &up);
    return rc ? rc : admin_redirect(rs, cm_back(rq, cm_tab_of(c->status), 1, "edited", 1));
}

/* A reply under an approved comment, approved at once, in the site's
 * name, written as a reader's is (store_comment_insert: its thread, the
 * parent checked approved in the same transaction). */
static int cm_reply_post(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, store_comment *c)
{
    view_settings st;
    int rc = view_settings_load(rq, &st);
    if (rc)
        return rc;
    cm_form f;
    cm_form_of(&f, c);
    f.reply = comment_text_clean(rq->arena, hreq_form(rq, "reply"), true);
    comment_text_errors e;
    if (!cx->csrf_ok)
        f.message = "تعذّر التحقق من النموذج. ما كتبته باقٍ هنا: أعد الإرسال.";
    else if (c->status != COMMENT_APPROVED)
        f.err_reply = "لا يُرد إلا على تعليق معتمد";
    else if (comment_text_check(f.reply, st.site_name, NULL, &e))
        f.err_reply = e.text ? e.text : e.name;
    if (f.message || f.err_reply)
        return cm_edit_page(rq, rs, cx, c, &f, f.message ? 403 : c->status != COMMENT_APPROVED ? 409 : 422);
    store_comment r = {.article_id = c->article_id, .parent_id = c->id, .author_name = st.site_name,
                       .body = f.reply, .status = COMMENT_APPROVED, .created_at = rq->now};
    rc = store_comment_insert(rq->store, &r);
    if (rc == NS_EINVAL)
        return NS_ECONFLICT; /* the comment stopped being approved meanwhile */
    return rc ? rc : admin_redirect(rs, cm_back(rq, cm_tab_of(COMMENT_APPROVED), 1, "replied", 1));
}

/* /admin/comments/{id}/ and /admin/comments/{id}/{action}. */
static int cm_one(hreq_t *rq, hresp_t *rs, const admin_ctx *cx)
{
    int64_t id;
    store_comment c;
    if (!text_parse_id(rq->params[0], &id))
        return NS_ENOTFOUND;
    bool post = strcmp(rq->method, "POST") == 0;
    int rc = store_comment_get(rq->store, rq->arena, id, &c);
    if (rc)
        return rc == NS_ENOTFOUND && post && !cx->csrf_ok ? NS_EPERM : rc;
    if (rq->nparams == 1 && !post) {
        cm_form f;
        cm_form_of(&f, &c);
        return cm_edit_page(rq, rs, cx, &c, &f, 0);
    }
    if (rq->nparams == 1)
        return cm_edit_save(rq, rs, cx, &c);
    if (!post)
        return NS_EMETHOD;
    if (strcmp(rq->params[1], "reply") == 0)
        return cm_reply_post(rq, rs, cx, &c);
    const cm_action *act = cm_action_named(rq->params[1]);
    if (!act)
        return NS_ENOTFOUND;
    return cx->csrf_ok ? cm_single(rq, rs, id, act) : NS_EPERM;
}

int handler_admin_comments(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    bool post = strcmp(rq->method, "POST") == 0;
    /* the edit and reply forms come back with what was typed when their
     * token is refused; every other POST is refused outright */
    bool soft = post && rq->nparams >= 1 &&
                (rq->nparams == 1 || strcmp(rq->params[1], "reply") == 0);
    int rc = admin_enter(rq, rs, CAP_MODERATE, soft, &cx);
    if (rc == ADMIN_DONE)
        return NS_OK;
    if (rc)
        return rc;
    if (cx.user.id == 0) /* signed out meanwhile: the sign-in page, as for any POST */
        return (rc = admin_enter(rq, rs, CAP_MODERATE, false, &cx)) == ADMIN_DONE ? NS_OK : rc;
    if (rq->nparams >= 1)
        return cm_one(rq, rs, &cx);
    return post ? cm_bulk(rq, rs) : cm_queue_page(rq, rs, &cx);
}
