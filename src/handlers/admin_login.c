/*
 * admin_login.c - signing in to and out of the newsroom.
 *
 * A wrong login and a wrong password get the same words and cost the
 * same work (an unknown login is verified against a hash nobody knows),
 * so the page does not tell which logins exist. Failures are counted in
 * the store, per account and per client address (as keyed hashes), so
 * the bound holds on every node of a site: after too many, even the right
 * password waits.
 */
#include "handlers/admin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "core/err.h"
#include "core/password.h"
#include "core/text.h"
#include "handlers/view.h"

#define LOGIN_WINDOW (15 * 60)          /* failures counted over this many seconds */
#define LOGIN_MAX_ACCOUNT 5             /* failures per account in the window */
#define LOGIN_MAX_CLIENT 20             /* failures per client address in the window */
#define LOGIN_PRUNE_ONE_IN 32           /* sign-ins that also prune dead sessions */
#define LOGIN_NEXT_MAX 2000             /* bytes of a ?next= path kept */
#define LOGIN_ID_BYTES 32

static const char login_wrong[] = "اسم الدخول أو كلمة المرور غير صحيحين.";
static const char login_throttled[] =
    "محاولات دخول خاطئة كثيرة. انتظر ربع ساعة ثم أعد المحاولة.";
static const char login_stale[] =
    "انتهت صلاحية نموذج الدخول. أعد إدخال بياناتك وأرسله مرة أخرى.";

/* The notices ?done= names after a redirect here. */
static const admin_notice login_notices[] = {
    {"out", "خرجت من حسابك."},
    {"everywhere", "خرجت من حسابك على كل الأجهزة."},
};

/* next if it is a path of the newsroom (no other site, no other part of
 * this one), else NULL. */
static const char *login_next(const char *next)
{
    if (!next || strncmp(next, "/admin", 6) != 0 || (next[6] && next[6] != '/' && next[6] != '?'))
        return NULL;
    size_t n = strlen(next);
    if (n > LOGIN_NEXT_MAX || !text_valid_utf8(next, n) || strchr(next, '\\') || strstr(next, "/.."))
        return NULL;
    for (const unsigned char *p = (const unsigned char *)next; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return NULL;
    return next;
}

int admin_login_page(hreq_t *rq, hresp_t *rs, int status, const char *notice, const char *next)
{
    mu_value *page = mu_object(rq->arena);
    view_set_opt(page, "next", login_next(next));
    const char *login = strcmp(rq->method, "POST") == 0 ? hreq_form(rq, "login") : NULL;
    mu_set_str(page, "login", login && text_valid_utf8(login, strlen(login)) ? login : "");
    rs->status = 200;
    return admin_render(rq, rs, NULL, status, "login", "تسجيل الدخول", notice, page);
}

/* The store's keys of this sign-in's failures: the account's and the
 * client address's, as keyed hashes. */
static void login_keys(const hreq_t *rq, const char *login, char *account, char *client)
{
    char h[SECRET_HASH_HEX];
    secret_hash(rq->site->secret, "login", login, strlen(login), h);
    snprintf(account, 2 + SECRET_HASH_HEX, "a:%s", h);
    secret_hash(rq->site->secret, "ip", rq->client, strlen(rq->client), h);
    snprintf(client, 2 + SECRET_HASH_HEX, "c:%s", h);
}

/* True (with rc 0) if either key has had too many failures lately. */
static int login_throttled_now(hreq_t *rq, const char *account, const char *client, bool *yes)
{
    int64_t na = 0, nc = 0;
    int64_t since = rq->now - LOGIN_WINDOW;
    int rc = store_login_failures(rq->store, account, since, &na);
    if (rc == NS_OK)
        rc = store_login_failures(rq->store, client, since, &nc);
    *yes = na >= LOGIN_MAX_ACCOUNT || nc >= LOGIN_MAX_CLIENT;
    return rc;
}

struct login_failure {
    const char *account, *client;
    int64_t now;
};

static int login_failed_run(store_t *s, void *arg)
{
    const struct login_failure *f = arg;
    int rc = store_login_failed(s, f->account, f->now, LOGIN_WINDOW);
    return rc == NS_OK ? store_login_failed(s, f->client, f->now, LOGIN_WINDOW) : rc;
}

/* What a successful sign-in writes, in one transaction. */
struct login_success {
    store_user *user;
    const char *new_hash;   /* the password rehashed; NULL: kept */
    store_session session;
    const char *account;
    int64_t prune_created, prune_seen; /* 0: no pruning this time */
};

static int login_success_run(store_t *s, void *arg)
{
    struct login_success *w = arg;
    int rc = NS_OK;
    if (w->new_hash) {
        store_user u = *w->user;
        u.pass_hash = w->new_hash;
        rc = store_user_update(s, &u);
    }
    if (rc == NS_OK)
        rc = store_session_insert(s, &w->session);
    if (rc == NS_OK)
        rc = store_login_clear(s, w->account);
    if (rc == NS_OK && w->prune_created)
        rc = store_session_prune(s, w->prune_created, w->prune_seen);
    return rc;
}

/* The session cookie for id (empty with Max-Age=0: removed). */
static const char *login_cookie(hreq_t *rq, const char *id, int64_t max_age)
{
    bool https = rq->site->base_url && strncmp(rq->site->base_url, "https://", 8) == 0;
    return arena_printf(rq->arena, ADMIN_COOKIE "=%s; Path=/admin; Max-Age=%lld; HttpOnly; SameSite=Lax%s",
                        id, (long long)max_age, https ? "; Secure" : "");
}

/* u signed in with password pw: a new session, its cookie, and the way on. */
static int login_succeed(hreq_t *rq, hresp_t *rs, store_user *u, const char *pw,
                         const char *account)
{
    unsigned char raw[LOGIN_ID_BYTES];
    char id[2 * LOGIN_ID_BYTES + 1], *hash = arena_alloc(rq->arena, SECRET_HASH_HEX);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(id, sizeof id, raw, sizeof raw);
    admin_session_hash(rq, id, hash);
    int64_t idle, life;
    admin_session_limits(rq, &idle, &life);
    struct login_success w = {.user = u, .account = account,
                              .session = {.id_hash = hash, .user_id = u->id, .created_at = rq->now,
                                          .seen_at = rq->now, .user_agent = hreq_header(rq, "user-agent")}};
    char *rehash = NULL;
    if (password_needs_rehash(u->pass_hash)) {
        rehash = arena_alloc(rq->arena, PASSWORD_HASH_MAX);
        w.new_hash = password_hash(pw, rehash) == NS_OK ? rehash : NULL;
    }
    if (randombytes_uniform(LOGIN_PRUNE_ONE_IN) == 0)
        w.prune_created = rq->now - life, w.prune_seen = rq->now - idle;
    int rc = store_write(rq->store, login_success_run, &w);
    if (rc != NS_OK)
        return rc;
    if ((rc = hresp_header(rs, "Set-Cookie", login_cookie(rq, id, life))) != NS_OK)
        return rc;
    const char *next = login_next(hreq_form(rq, "next"));
    return admin_redirect(rs, next ? next : "/admin/");
}

/* A wrong login or password: counted, and the same answer either way. */
static int login_fail(hreq_t *rq, hresp_t *rs, const char *account, const char *client)
{
    struct login_failure f = {account, client, rq->now};
    int rc = store_write(rq->store, login_failed_run, &f);
    if (rc != NS_OK)
        return rc;
    return admin_login_page(rq, rs, 403, login_wrong, hreq_form(rq, "next"));
}

static int login_post(hreq_t *rq, hresp_t *rs)
{
    const char *next = hreq_form(rq, "next");
    if (!admin_csrf_check(rq, 0))
        return admin_login_page(rq, rs, 403, login_stale, next);
    const char *login = hreq_form(rq, "login"), *pw = hreq_form(rq, "password");
    if (!login || !pw || !*login || strlen(login) > 200 || strlen(pw) > PASSWORD_MAX_BYTES)
        return admin_login_page(rq, rs, 403, login_wrong, next);
    char account[2 + SECRET_HASH_HEX], client[2 + SECRET_HASH_HEX];
    login_keys(rq, login, account, client);
    bool throttled;
    int rc = login_throttled_now(rq, account, client, &throttled);
    if (rc != NS_OK)
        return rc;
    if (throttled) {
        if ((rc = hresp_header(rs, "Retry-After", "900")) != NS_OK)
            return rc;
        return admin_login_page(rq, rs, 429, login_throttled, next);
    }
    store_user u;
    rc = store_user_by_login(rq->store, rq->arena, login, &u);
    if (rc == NS_ENOTFOUND) {
        password_verify_nobody(pw);
        return login_fail(rq, rs, account, client);
    }
    if (rc != NS_OK)
        return rc;
    if (!password_verify(u.pass_hash, pw) || u.disabled || u.role == ROLE_NONE)
        return login_fail(rq, rs, account, client);
    return login_succeed(rq, rs, &u, pw, account);
}

int handler_admin_login(hreq_t *rq, hresp_t *rs)
{
    if (strcmp(rq->method, "POST") == 0)
        return login_post(rq, rs);
    admin_ctx cx;
    int rc = admin_enter(rq, rs, CAP_WRITE, true, &cx);
    if (rc != NS_OK)
        return rc;
    const char *next = login_next(hreq_query(rq, "next"));
    if (cx.user.id) /* signed in already */
        return admin_redirect(rs, next ? next : "/admin/");
    return admin_login_page(rq, rs, 0, admin_notice_of(rq, login_notices, sizeof login_notices / sizeof *login_notices), next);
}

struct logout {
    int64_t user_id;
    const char *hash;
    bool everywhere;
};

static int logout_run(store_t *s, void *arg)
{
    const struct logout *l = arg;
    return l->everywhere ? store_session_delete_user(s, l->user_id, NULL)
                         : store_session_delete(s, l->hash);
}

int handler_admin_logout(hreq_t *rq, hresp_t *rs)
{
    admin_ctx cx;
    int rc = admin_enter(rq, rs, CAP_WRITE, false, &cx);
    if (rc != NS_OK)
        return rc == ADMIN_DONE ? NS_OK : rc;
    const char *e = hreq_form(rq, "everywhere");
    struct logout l = {cx.user.id, cx.session_hash, e && strcmp(e, "1") == 0};
    if ((rc = store_write(rq->store, logout_run, &l)) != NS_OK)
        return rc;
    if ((rc = hresp_header(rs, "Set-Cookie", login_cookie(rq, "", 0))) != NS_OK)
        return rc;
    return admin_redirect(rs, l.everywhere ? "/admin/login?done=everywhere" : "/admin/login?done=out");
}
