/*
 * admin_users.c - the people who sign in: the admins' users page
 * (/admin/users/: list, add, role, disable or enable, a new password) and
 * everyone's own account (/admin/profile: their password, their
 * signed-in browsers, signing out everywhere).
 *
 * Whatever takes a user's access away (disabled, a new password set by
 * an admin) also ends their sessions in the same transaction, and no
 * change may leave the site without an enabled admin: nobody could then
 * manage users or settings but through the command line.
 */
#include "handlers/admin.h"

#include <stdio.h>
#include <string.h>
#include "core/date.h"
#include "core/err.h"
#include "core/password.h"
#include "core/text.h"
#include "handlers/view.h"

#define USERS_LOGIN_MAX 60
#define USERS_NAME_MAX 200

/* Roles an admin may give, highest first. */
static const user_role users_roles[] = {ROLE_ADMIN, ROLE_EDITOR, ROLE_AUTHOR, ROLE_CONTRIBUTOR};
static const char *const users_role_labels[] = {
    [ROLE_CONTRIBUTOR] = "مساهم (يكتب مسوداته ويرسلها للمراجعة)",
    [ROLE_AUTHOR] = "كاتب (ينشر مقالاته)",
    [ROLE_EDITOR] = "محرر (كل المقالات والتعليقات والأقسام)",
    [ROLE_ADMIN] = "مدير (كل شيء، ومنه المستخدمون والإعدادات)",
};

/* The notices ?done= names after a change. */
static const admin_notice users_notices[] = {
    {"added", "أُضيف المستخدم."},
    {"role", "تغيّر الدور."},
    {"disabled", "عُطّل الحساب وأُنهيت جلساته."},
    {"enabled", "فُعّل الحساب."},
    {"password", "تغيّرت كلمة المرور وأُنهيت جلسات صاحبها."},
    {"mine", "تغيّرت كلمة مرورك وأُنهيت جلساتك على الأجهزة الأخرى."},
};

static const char users_last_admin[] =
    "لا يمكن ذلك: هذا آخر مدير مفعّل للموقع. أضف مديرًا آخر أولًا.";

static const char *users_notice(hreq_t *rq)
{
    return admin_notice_of(rq, users_notices, sizeof users_notices / sizeof *users_notices);
}

static const char *users_time(arena_t *a, int64_t t)
{
    return t > 0 ? date_ar_short(a, t, 0) : "—";
}

/* The role choices, the one of `current` selected. */
static mu_value *users_role_options(arena_t *a, user_role current)
{
    mu_value *l = mu_list(a);
    for (size_t i = 0; i < sizeof users_roles / sizeof *users_roles; i++) {
        mu_value *o = mu_object(a);
        mu_set_str(o, "value", store_user_role_name(users_roles[i]));
        mu_set_str(o, "label", users_role_labels[users_roles[i]]);
        mu_set_bool(o, "selected", users_roles[i] == current);
        mu_push(l, o);
    }
    return l;
}

static mu_value *users_row(arena_t *a, const store_user *u, int64_t self)
{
    mu_value *o = mu_object(a);
    mu_set_int(o, "id", u->id);
    mu_set_str(o, "login", u->login);
    mu_set_str(o, "name", u->author.name ? u->author.name : u->login);
    mu_set_str(o, "created", users_time(a, u->created_at));
    mu_set_bool(o, "disabled", u->disabled);
    mu_set_bool(o, "self", u->id == self);
    mu_set(o, "roles", users_role_options(a, u->role));
    return o;
}

/* The users page with a notice and status (0: 200), the add form as
 * typed when one was refused. */
static int users_page(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, int status, const char *notice)
{
    arena_t *a = rq->arena;
    store_user *v;
    size_t n;
    int rc = store_user_list(rq->store, a, &v, &n);
    if (rc != NS_OK)
        return rc;
    mu_value *list = mu_list(a), *page = mu_set(mu_object(a), "users", list);
    for (size_t i = 0; i < n; i++)
        mu_push(list, users_row(a, &v[i], cx->user.id));
    mu_value *add = mu_object(a);
    mu_set(page, "add", add);
    bool posted = strcmp(rq->method, "POST") == 0;
    mu_set_str(add, "login", posted && hreq_form(rq, "login") ? hreq_form(rq, "login") : "");
    mu_set_str(add, "name", posted && hreq_form(rq, "name") ? hreq_form(rq, "name") : "");
    mu_set_str(add, "email", posted && hreq_form(rq, "email") ? hreq_form(rq, "email") : "");
    user_role typed = posted ? store_user_role_parse(hreq_form(rq, "role")) : ROLE_NONE;
    mu_set(add, "roles", users_role_options(a, typed ? typed : ROLE_AUTHOR));
    return admin_render(rq, rs, cx, status, "users", "المستخدمون", notice ? notice : users_notice(rq),
                        page);
}

/* How many enabled admins the site has. */
static int users_admins(hreq_t *rq, int64_t *count)
{
    store_user *v;
    size_t n;
    int rc = store_user_list(rq->store, rq->arena, &v, &n);
    *count = 0;
    for (size_t i = 0; rc == NS_OK && i < n; i++)
        *count += v[i].role == ROLE_ADMIN && !v[i].disabled;
    return rc;
}

/* ---- the writes ---- */

typedef struct users_change {
    store_user user;
    bool end_sessions;          /* every session of user ends */
    const char *keep;           /* but this one (NULL: none) */
} users_change;

static int users_add_run(store_t *s, void *arg)
{
    admin_new_user *nu = arg;
    int rc = store_author_insert(s, &nu->author);
    if (rc != NS_OK)
        return rc;
    nu->user.id = nu->author.id;
    return store_user_insert(s, &nu->user);
}

int admin_user_add(store_t *s, admin_new_user *nu)
{
    return store_write(s, users_add_run, nu);
}

static int users_update_run(store_t *s, void *arg)
{
    users_change *c = arg;
    int rc = store_user_update(s, &c->user);
    if (rc == NS_OK && c->end_sessions)
        rc = store_session_delete_user(s, c->user.id, c->keep);
    return rc;
}

/* pw hashed into c->user.pass_hash, or why it may not be chosen. */
static const char *users_set_password(hreq_t *rq, store_user *u, const char *pw)
{
    view_settings st;
    if (view_settings_load(rq, &st) != NS_OK)
        st.site_name = NULL;
    const char *why = password_policy(rq->arena, pw ? pw : "", u->login, st.site_name);
    if (why)
        return why;
    char *h = arena_alloc(rq->arena, PASSWORD_HASH_MAX);
    if (password_hash(pw, h) != NS_OK)
        return "تعذّر حفظ كلمة المرور. أعد المحاولة.";
    u->pass_hash = h;
    return NULL;
}

/* What is wrong with a new user's fields, or NULL. */
static const char *users_add_check(hreq_t *rq, admin_new_user *c)
{
    const char *login = hreq_form(rq, "login"), *name = hreq_form(rq, "name");
    const char *email = hreq_form(rq, "email");
    if (!login || !*login || strlen(login) > USERS_LOGIN_MAX || !text_wellformed_utf8(login, strlen(login)) ||
        strpbrk(login, " \t\r\n/"))
        return "اسم الدخول مطلوب: كلمة واحدة بلا مسافات، 60 بايتًا على الأكثر.";
    if ((name && (strlen(name) > USERS_NAME_MAX || !text_wellformed_utf8(name, strlen(name)))) ||
        (email && (strlen(email) > USERS_NAME_MAX || !text_wellformed_utf8(email, strlen(email)))))
        return "الاسم أو البريد الإلكتروني غير صالح.";
    if ((c->user.role = store_user_role_parse(hreq_form(rq, "role"))) == ROLE_NONE)
        return "اختر دورًا للمستخدم.";
    c->user.login = login;
    c->author.slug = text_slugify(rq->arena, login, 100);
    if (!c->author.slug || !*c->author.slug)
        c->author.slug = arena_printf(rq->arena, "user-%lld", (long long)rq->now);
    c->author.name = name && *name ? name : login;
    c->author.email = email && *email ? email : NULL;
    c->user.created_at = rq->now;
    return users_set_password(rq, &c->user, hreq_form(rq, "password"));
}

static int users_add(hreq_t *rq, hresp_t *rs, const admin_ctx *cx)
{
    admin_new_user c = {0};
    const char *why = users_add_check(rq, &c);
    if (why)
        return users_page(rq, rs, cx, 422, why);
    int rc = admin_user_add(rq->store, &c);
    if (rc == NS_EEXIST)
        return users_page(rq, rs, cx, 409, "اسم الدخول هذا (أو عنوان الكاتب المأخوذ منه) مستعمل.");
    return rc != NS_OK ? rc : admin_redirect(rs, "/admin/users/?done=added");
}

/* One user's change (action on user u): c filled, *done the notice's
 * name; or why not (*status set). */
static const char *users_apply(hreq_t *rq, const char *action, users_change *c, int64_t admins,
                               const char **done, int *status)
{
    store_user *u = &c->user;
    bool only_admin = u->role == ROLE_ADMIN && !u->disabled && admins <= 1;
    *status = 409;
    if (strcmp(action, "role") == 0) {
        user_role r = store_user_role_parse(hreq_form(rq, "role"));
        if (r == ROLE_NONE)
            return *status = 422, "اختر دورًا للمستخدم.";
        if (only_admin && r != ROLE_ADMIN)
            return users_last_admin;
        u->role = r;
        *done = "role";
        return NULL;
    }
    if (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0) {
        bool off = action[0] == 'd';
        if (off && only_admin)
            return users_last_admin;
        u->disabled = off;
        c->end_sessions = off;
        *done = off ? "disabled" : "enabled";
        return NULL;
    }
    *status = 422;
    c->end_sessions = true;
    *done = "password";
    return users_set_password(rq, &c->user, hreq_form(rq, "password"));
}

/* The actions on one user: /admin/users/{id}/{action}. */
static const char *const users_actions[] = {"role", "disable", "enable", "password"};

static int users_action(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, const char *path)
{
    char action[16];
    long long id;
    int used = 0;
    if (sscanf(path, "%lld/%15[a-z]%n", &id, action, &used) != 2 || path[used] || id <= 0)
        return NS_ENOTFOUND;
    size_t k = 0;
    while (k < sizeof users_actions / sizeof *users_actions && strcmp(users_actions[k], action) != 0)
        k++;
    if (k == sizeof users_actions / sizeof *users_actions)
        return NS_ENOTFOUND;
    users_change c = {0};
    int64_t admins;
    int rc = store_user_get(rq->store, rq->arena, id, &c.user);
    if (rc == NS_OK)
        rc = users_admins(rq, &admins);
    if (rc != NS_OK)
        return rc;
    const char *done = NULL;
    int status;
    const char *why = users_apply(rq, action, &c, admins, &done, &status);
    if (why)
        return users_page(rq, rs, cx, status, why);
    if ((rc = store_write(rq->store, users_update_run, &c)) != NS_OK)
        return rc;
    return admin_redirect(rs, arena_printf(rq->arena, "/admin/users/?done=%s", done));
}

/* ---- one's own account ---- */

static mu_value *users_sessions(hreq_t *rq, const admin_ctx *cx, int *rc)
{
    arena_t *a = rq->arena;
    store_session *v;
    size_t n;
    mu_value *l = mu_list(a);
    if ((*rc = store_session_list(rq->store, a, cx->user.id, &v, &n)) != NS_OK)
        return l;
    for (size_t i = 0; i < n; i++) {
        mu_value *o = mu_object(a);
        mu_set_str(o, "agent", v[i].user_agent && *v[i].user_agent ? v[i].user_agent : "متصفح غير معروف");
        mu_set_str(o, "created", users_time(a, v[i].created_at));
        mu_set_str(o, "seen", users_time(a, v[i].seen_at));
        mu_set_bool(o, "current", cx->session_hash && strcmp(v[i].id_hash, cx->session_hash) == 0);
        mu_push(l, o);
    }
    return l;
}

static int users_profile_page(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, int status,
                              const char *notice)
{
    int rc;
    mu_value *page = mu_object(rq->arena);
    mu_set_str(page, "login", cx->user.login);
    mu_set(page, "sessions", users_sessions(rq, cx, &rc));
    if (rc != NS_OK)
        return rc;
    return admin_render(rq, rs, cx, status, "profile", "حسابي", notice ? notice : users_notice(rq), page);
}

static int users_profile_post(hreq_t *rq, hresp_t *rs, const admin_ctx *cx)
{
    if (!password_verify(cx->user.pass_hash, hreq_form(rq, "current")))
        return users_profile_page(rq, rs, cx, 422, "كلمة المرور الحالية غير صحيحة.");
    users_change c = {.user = cx->user, .end_sessions = true, .keep = cx->session_hash};
    const char *why = users_set_password(rq, &c.user, hreq_form(rq, "password"));
    if (why)
        return users_profile_page(rq, rs, cx, 422, why);
    int rc = store_write(rq->store, users_update_run, &c);
    return rc != NS_OK ? rc : admin_redirect(rs, "/admin/profile?done=mine");
}

int handler_admin_users(hreq_t *rq, hresp_t *rs)
{
    bool profile = strcmp(rq->path, "/admin/profile") == 0;
    bool post = strcmp(rq->method, "POST") == 0;
    admin_ctx cx;
    int rc = admin_enter(rq, rs, profile ? CAP_WRITE : CAP_USERS, false, &cx);
    if (rc != NS_OK)
        return rc == ADMIN_DONE ? NS_OK : rc;
    if (profile)
        return post ? users_profile_post(rq, rs, &cx) : users_profile_page(rq, rs, &cx, 0, NULL);
    if (rq->nparams > 0)
        return post ? users_action(rq, rs, &cx, rq->params[0]) : NS_ENOTFOUND;
    return post ? users_add(rq, rs, &cx) : users_page(rq, rs, &cx, 0, NULL);
}
