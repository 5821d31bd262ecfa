/*
 * admin.c - what every newsroom page shares: the roles' capabilities, the
 * session behind the cookie, the form token, and the frame.
 *
 * The session cookie is checked on every admin request against the
 * store, not against anything this process remembers, so a sign-out or a
 * disabled user on one node holds on every node at once. Its idle time
 * is renewed at most once a minute: a reading editor costs no write per
 * page.
 */
#include "handlers/admin.h"

#include <string.h>
#include "core/err.h"
#include "core/secret.h"
#include "handlers/view.h"

#define ROLE_BIT(r) (1u << (r))
#define FROM_CONTRIBUTOR (ROLE_BIT(ROLE_CONTRIBUTOR) | FROM_AUTHOR)
#define FROM_AUTHOR (ROLE_BIT(ROLE_AUTHOR) | FROM_EDITOR)
#define FROM_EDITOR (ROLE_BIT(ROLE_EDITOR) | ONLY_ADMIN)
#define ONLY_ADMIN ROLE_BIT(ROLE_ADMIN)

/* Which roles have each capability. */
static const unsigned admin_caps[CAP_COUNT] = {
    [CAP_WRITE] = FROM_CONTRIBUTOR,
    [CAP_PUBLISH] = FROM_AUTHOR,
    [CAP_UPLOAD] = FROM_AUTHOR,
    [CAP_EDIT_OTHERS] = FROM_EDITOR,
    [CAP_MODERATE] = FROM_EDITOR,
    [CAP_CATEGORIES] = FROM_EDITOR,
    [CAP_SETTINGS] = ONLY_ADMIN,
    [CAP_USERS] = ONLY_ADMIN,
};

/* The newsroom's menu: what each entry needs, in display order. */
static const struct admin_menu_item {
    const char *label, *url;
    admin_cap need;
    bool pending;       /* shows the count of comments awaiting moderation */
} admin_menu[] = {
    {"لوحة التحكم", "/admin/", CAP_WRITE, false},
    {"المقالات", "/admin/articles/", CAP_WRITE, false},
    {"مقال جديد", "/admin/articles/new", CAP_WRITE, false},
    {"الوسائط", "/admin/media/", CAP_UPLOAD, false},
    {"التعليقات", "/admin/comments/", CAP_MODERATE, true},
    {"الإعدادات", "/admin/settings", CAP_SETTINGS, false},
    {"المستخدمون", "/admin/users/", CAP_USERS, false},
    {"حسابي", "/admin/profile", CAP_WRITE, false},
};

/* Roles as people read them. */
static const char *const admin_role_labels[] = {
    [ROLE_NONE] = "", [ROLE_CONTRIBUTOR] = "مساهم", [ROLE_AUTHOR] = "كاتب",
    [ROLE_EDITOR] = "محرر", [ROLE_ADMIN] = "مدير",
};

/* What an admin error page says, by status (the last: any other). */
static const struct admin_error_text {
    int status;
    const char *title, *text;
} admin_errors[] = {
    {400, "طلب غير صالح", "لم نفهم هذا الطلب. ارجع إلى الصفحة السابقة وأعد المحاولة."},
    {403, "غير مسموح", "ليست لديك صلاحية لهذه الصفحة أو لهذا الإجراء، أو انتهت صلاحية النموذج: أعد تحميل الصفحة ثم أعد المحاولة."},
    {404, "الصفحة غير موجودة", "لا توجد صفحة بهذا العنوان في غرفة الأخبار."},
    {405, "طريقة غير مسموحة", "لا تقبل هذه الصفحة هذا النوع من الطلبات."},
    {409, "تعارض", "تغيّر ما تحاول تعديله منذ فتحته. أعد تحميل الصفحة."},
    {413, "الطلب أكبر من المسموح", "ما أرسلته أكبر مما تقبله هذه الصفحة. حدّ الصورة المرفوعة 16 ميغابايت: صغّرها أو اضغطها ثم ارفعها مرة أخرى."},
    {503, "الخدمة مشغولة", "قاعدة البيانات مشغولة الآن. أعد المحاولة بعد لحظات."},
    {0, "خطأ", "حدث خطأ غير متوقع. أعد المحاولة بعد قليل."},
};

/* Form tokens' scope: a user id with bit 62 set, so that no article id
 * (the comment form's scope) is ever one. */
#define ADMIN_CSRF_SCOPE (INT64_C(1) << 62)
#define ADMIN_CSRF_MAX_AGE (24 * 3600)
#define ADMIN_CSRF_SKEW 300 /* seconds a token may seem to come from the future (nodes' clocks) */
#define ADMIN_TOUCH_EVERY 60
#define ADMIN_SESSION_ID_HEX 64

bool admin_can(user_role r, admin_cap cap)
{
    return (unsigned)cap < CAP_COUNT && (unsigned)r <= ROLE_ADMIN && (admin_caps[cap] & ROLE_BIT(r));
}

void admin_session_hash(const hreq_t *rq, const char *id, char out[SECRET_HASH_HEX])
{
    secret_hash(rq->site->secret, "session", id, strlen(id), out);
}

const char *admin_csrf_token(hreq_t *rq, int64_t user_id)
{
    char *t = arena_alloc(rq->arena, SECRET_TOKEN_MAX);
    secret_token(rq->site->secret, ADMIN_CSRF_SCOPE | user_id, rq->now, t);
    return t;
}

bool admin_csrf_check(const hreq_t *rq, int64_t user_id)
{
    const char *t = hreq_form(rq, ADMIN_CSRF_FIELD);
    int64_t issued;
    if (!t || secret_token_check(rq->site->secret, t, ADMIN_CSRF_SCOPE | user_id, &issued) != NS_OK)
        return false;
    return issued <= rq->now + ADMIN_CSRF_SKEW && rq->now - issued <= ADMIN_CSRF_MAX_AGE;
}

/* A positive number of seconds from setting key, at most max (else max). */
static int64_t admin_setting_seconds(hreq_t *rq, const char *key, int64_t max)
{
    const char *v = NULL;
    if (store_setting_get(rq->store, rq->arena, key, &v) != NS_OK)
        return max;
    return view_parse_int(v, 1, (int)max, (int)max);
}

void admin_session_limits(hreq_t *rq, int64_t *idle, int64_t *lifetime)
{
    *idle = admin_setting_seconds(rq, "session_idle_seconds", ADMIN_IDLE);
    *lifetime = admin_setting_seconds(rq, "session_lifetime_seconds", ADMIN_LIFETIME);
}

/* True if the cookie value has the shape of a session id (64 hex digits):
 * anything else is not looked up. */
static bool admin_id_valid(const char *id)
{
    return id && strlen(id) == ADMIN_SESSION_ID_HEX &&
           strspn(id, "0123456789abcdef") == ADMIN_SESSION_ID_HEX;
}

struct admin_touch {
    const char *hash;
    int64_t now;
};

static int admin_touch_run(store_t *s, void *arg)
{
    const struct admin_touch *t = arg;
    int rc = store_session_touch(s, t->hash, t->now);
    return rc == NS_ENOTFOUND ? NS_OK : rc; /* signed out meanwhile: nothing to renew */
}

static int admin_session_end_run(store_t *s, void *arg)
{
    return store_session_delete(s, arg);
}

/* The user of the session in the request's cookie into cx->user and
 * cx->session_hash: 0, NS_ENOTFOUND when there is none (no cookie, an
 * unknown, expired or disabled one), or the store's error. */
static int admin_session(hreq_t *rq, admin_ctx *cx)
{
    const char *id = hreq_cookie(rq, ADMIN_COOKIE);
    if (!admin_id_valid(id))
        return NS_ENOTFOUND;
    char *hash = arena_alloc(rq->arena, SECRET_HASH_HEX);
    admin_session_hash(rq, id, hash);
    store_session ss;
    int rc = store_session_get(rq->store, rq->arena, hash, &ss);
    if (rc != NS_OK)
        return rc;
    int64_t idle, life;
    admin_session_limits(rq, &idle, &life);
    if (rq->now - ss.seen_at > idle || rq->now - ss.created_at > life) {
        rc = store_write(rq->store, admin_session_end_run, hash);
        return rc == NS_OK ? NS_ENOTFOUND : rc;
    }
    rc = store_user_get(rq->store, rq->arena, ss.user_id, &cx->user);
    if (rc != NS_OK)
        return rc;
    if (cx->user.disabled || cx->user.role == ROLE_NONE)
        return NS_ENOTFOUND;
    cx->session_hash = hash;
    if (rq->now - ss.seen_at < ADMIN_TOUCH_EVERY)
        return NS_OK;
    struct admin_touch t = {hash, rq->now};
    return store_write(rq->store, admin_touch_run, &t);
}

/* This request's path with its query, for ?next= after signing in. */
static const char *admin_here(hreq_t *rq)
{
    buf_t b;
    buf_init(&b, rq->arena);
    buf_puts(&b, rq->path);
    for (size_t i = 0; i < rq->nquery; i++) {
        buf_puts(&b, i ? "&" : "?");
        buf_url_escape(&b, rq->query[i].name, strlen(rq->query[i].name));
        buf_puts(&b, "=");
        buf_url_escape(&b, rq->query[i].value, strlen(rq->query[i].value));
    }
    return buf_cstr(&b);
}

/* Nobody is signed in: to the sign-in page, and back here after. */
static int admin_nobody(hreq_t *rq, hresp_t *rs)
{
    if (strcmp(rq->method, "POST") == 0) {
        int rc = admin_login_page(rq, rs, 403, "انتهت الجلسة أو لم تسجّل الدخول بعد. سجّل الدخول ثم أعد المحاولة.",
                                  NULL);
        return rc == NS_OK ? ADMIN_DONE : rc;
    }
    buf_t b;
    buf_init(&b, rq->arena);
    buf_puts(&b, "/admin/login?next=");
    const char *here = admin_here(rq);
    buf_url_escape(&b, here, strlen(here));
    admin_redirect(rs, buf_cstr(&b));
    return ADMIN_DONE;
}

int admin_enter(hreq_t *rq, hresp_t *rs, admin_cap need, bool soft, admin_ctx *cx)
{
    memset(cx, 0, sizeof *cx);
    int rc = admin_session(rq, cx);
    if (rc == NS_ENOTFOUND) {
        memset(cx, 0, sizeof *cx);
        cx->csrf = admin_csrf_token(rq, 0);
        return soft ? NS_OK : admin_nobody(rq, rs);
    }
    if (rc != NS_OK)
        return rc;
    if (!admin_can(cx->user.role, need))
        return NS_EPERM;
    cx->csrf = admin_csrf_token(rq, cx->user.id);
    cx->csrf_ok = strcmp(rq->method, "POST") == 0 && admin_csrf_check(rq, cx->user.id);
    if (strcmp(rq->method, "POST") == 0 && !cx->csrf_ok && !soft)
        return NS_EPERM;
    return NS_OK;
}

/* The menu for role r, the entry that holds path marked current. */
static mu_value *admin_menu_view(hreq_t *rq, user_role r, int64_t pending)
{
    arena_t *a = rq->arena;
    mu_value *list = mu_list(a);
    size_t best = 0, cur = SIZE_MAX;
    for (size_t i = 0; i < sizeof admin_menu / sizeof *admin_menu; i++) {
        size_t n = strlen(admin_menu[i].url);
        if (admin_can(r, admin_menu[i].need) && strncmp(rq->path, admin_menu[i].url, n) == 0 && n > best)
            best = n, cur = i;
    }
    for (size_t i = 0; i < sizeof admin_menu / sizeof *admin_menu; i++) {
        if (!admin_can(r, admin_menu[i].need))
            continue;
        mu_value *o = mu_object(a);
        mu_set_str(o, "label", admin_menu[i].label);
        mu_set_str(o, "url", admin_menu[i].url);
        mu_set_bool(o, "current", i == cur);
        if (admin_menu[i].pending && pending > 0)
            mu_set_int(o, "count", pending);
        else
            mu_set_bool(o, "count", false);
        mu_push(list, o);
    }
    return list;
}

/* The signed-in part of the frame: user, menu, sign-out form. */
static int admin_frame_user(hreq_t *rq, const admin_ctx *cx, mu_value *ctx)
{
    int64_t pending = 0;
    if (admin_can(cx->user.role, CAP_MODERATE)) {
        int rc = store_comment_status_count(rq->store, COMMENT_PENDING, &pending);
        if (rc != NS_OK)
            return rc;
    }
    mu_value *u = mu_object(rq->arena);
    mu_set(ctx, "user", u);
    const char *name = cx->user.author.name;
    mu_set_str(u, "name", name && *name ? name : cx->user.login);
    mu_set_str(u, "login", cx->user.login);
    mu_set_str(u, "role", admin_role_labels[cx->user.role]);
    mu_set(ctx, "menu", admin_menu_view(rq, cx->user.role, pending));
    return NS_OK;
}

int admin_render(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, int status, const char *name,
                 const char *title, const char *notice, mu_value *page)
{
    arena_t *a = rq->arena;
    view_settings st;
    int rc = view_settings_load(rq, &st);
    if (rc != NS_OK)
        return rc;
    mu_value *ctx = mu_object(a);
    mu_set(ctx, "site", mu_set_str(mu_object(a), "name", st.site_name));
    mu_set_str(ctx, "title", title ? title : st.site_name);
    view_set_opt(ctx, "notice", notice);
    mu_set(ctx, "page", page ? page : mu_object(a));
    mu_set_str(ctx, "csrf", cx && cx->csrf ? cx->csrf : admin_csrf_token(rq, 0));
    mu_set_str(ctx, "csrf_field", ADMIN_CSRF_FIELD);
    if (cx && cx->user.id && (rc = admin_frame_user(rq, cx, ctx)) != NS_OK)
        return rc;
    if (!cx || !cx->user.id)
        mu_set_bool(ctx, "user", false);
    buf_t body;
    buf_init(&body, a);
    if ((rc = theme_render(rq->site->theme, arena_printf(a, "admin/%s", name), ctx, &body)) < 0)
        return rc;
    mu_set(ctx, "content", mu_strn(a, body.data ? body.data : "", body.len));
    buf_init(&rs->body, a);
    if ((rc = theme_render(rq->site->theme, "admin/layout", ctx, &rs->body)) < 0)
        return rc;
    if (status && rs->status == 200)
        rs->status = status;
    rs->content_type = "text/html; charset=utf-8";
    rs->cacheable = false;
    return NS_OK;
}

const char *admin_notice_of(const hreq_t *rq, const admin_notice *v, size_t n)
{
    const char *done = hreq_query(rq, "done");
    for (size_t i = 0; done && i < n; i++)
        if (strcmp(done, v[i].done) == 0)
            return v[i].text;
    return NULL;
}

int admin_redirect(hresp_t *rs, const char *path)
{
    rs->status = 303;
    rs->location = path;
    rs->content_type = "text/plain; charset=utf-8";
    rs->cacheable = false;
    buf_clear(&rs->body);
    buf_puts(&rs->body, "see other\n");
    return NS_OK;
}

void admin_error(hreq_t *rq, hresp_t *rs, int rc)
{
    handler_error(rq, rs, rc); /* status and headers, by error.c's table */
    const struct admin_error_text *e = admin_errors;
    while (e->status && e->status != rs->status)
        e++;
    mu_value *page = mu_object(rq->arena);
    mu_set_str(page, "text", e->text);
    buf_t reader = rs->body;
    if (admin_render(rq, rs, NULL, 0, "error", e->title, NULL, page) != NS_OK)
        rs->body = reader;
}
