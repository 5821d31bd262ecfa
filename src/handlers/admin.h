/*
 * admin.h - what every page of the newsroom (/admin) shares: who is signed
 * in and what their role lets them do, the token every state-changing form
 * carries, and the frame pages are rendered in.
 *
 * A session is a random 256-bit id in the cookie ADMIN_COOKIE (HttpOnly,
 * SameSite=Lax, Path=/admin, Secure when the site's URL is https); the
 * store keeps only its keyed hash (store_session), so any node of a site
 * recognises it and a copy of the database signs nobody in. A session
 * ends ADMIN_IDLE seconds after its last request or ADMIN_LIFETIME after
 * it began, at logout, or when its user logs out everywhere, gets a new
 * password or is disabled.
 *
 * Admin routes (http/router.h ROUTE_ADMIN) are never kept in or served
 * from the shared cache, and every answer carries Cache-Control: no-store,
 * a Content-Security-Policy allowing no inline script, and
 * frame-ancestors 'none' (the HTTP layer adds them).
 */
#ifndef NS_HANDLERS_ADMIN_H
#define NS_HANDLERS_ADMIN_H

#include <stdbool.h>
#include <stdint.h>
#include "handlers/handler.h"
#include "render/mustache.h"
#include "store/store.h"

#define ADMIN_COOKIE "nashra_session"
#define ADMIN_IDLE (2 * 3600)            /* seconds without a request */
#define ADMIN_LIFETIME (7 * 24 * 3600)   /* seconds from sign-in, whatever happens */
/* The form field every state-changing admin form carries. */
#define ADMIN_CSRF_FIELD "csrf"

/* What a role may do. The table (admin.c) says which roles have each. */
typedef enum {
    CAP_WRITE,          /* write own drafts and submit them (contributor+) */
    CAP_PUBLISH,        /* publish, schedule, unpublish own articles (author+) */
    CAP_UPLOAD,         /* upload media (author+) */
    CAP_EDIT_OTHERS,    /* everyone's articles (editor+) */
    CAP_MODERATE,       /* comments (editor+) */
    CAP_CATEGORIES,     /* categories (editor+) */
    CAP_SETTINGS,       /* site settings (admin) */
    CAP_USERS,          /* users and their roles (admin) */
    CAP_COUNT
} admin_cap;

/* Whether role r may do cap. */
bool admin_can(user_role r, admin_cap cap);

/* The signed-in person on one request; everything on the request arena. */
typedef struct admin_ctx {
    store_user user;            /* with its author (name shown in the frame) */
    const char *session_hash;   /* the session's key in the store */
    const char *csrf;           /* this user's form token, for ADMIN_CSRF_FIELD */
    bool csrf_ok;               /* a POST carried a valid token for this user */
} admin_ctx;

/* admin_enter's answer when it filled rs itself (a redirect to the
 * sign-in page): the handler returns 0 at once. */
#define ADMIN_DONE 1

/* Begin an admin handler: the session cookie read and checked (expiry,
 * user enabled), its idle time renewed, the role checked against need,
 * and on a POST the form token checked.
 * - 0: *cx filled; the handler goes on.
 * - ADMIN_DONE: nobody signed in (no, unknown or expired session): rs is
 *   a 303 to /admin/login?next=<this path> (GET) or, for a POST, the
 *   sign-in page itself with 403. The handler returns 0.
 * - NS_EPERM: signed in but the role lacks need, or a POST without a
 *   valid token (403).
 * A handler that must give a failed POST back with what was typed (the
 * editor) passes soft = true: then an expired session or a bad token
 * still returns 0, with cx->user.id 0 (nobody) or cx->csrf_ok false, and
 * the handler shows the form again saying why. Other codes: the store's. */
int admin_enter(hreq_t *rq, hresp_t *rs, admin_cap need, bool soft, admin_ctx *cx);

/* Render admin/NAME.mustache inside the frame (admin/layout.mustache): the
 * menu for cx's role with the count of comments awaiting moderation, the
 * user's name, the sign-out form, a notice (NULL: none; shown with
 * role=status) and page, the handler's own view, under "page". Sets
 * rs->status only if it is still 200 and status is non-zero. The frame's
 * CSS and JS are files (/assets/admin.css, /assets/admin.js): no inline
 * script. */
int admin_render(hreq_t *rq, hresp_t *rs, const admin_ctx *cx, int status, const char *name,
                 const char *title, const char *notice, mu_value *page);

/* A notice a page shows after a redirect to it with ?done=NAME: the
 * text of the entry of v[0..n) called NAME, NULL for none or another. */
typedef struct admin_notice {
    const char *done, *text;
} admin_notice;
const char *admin_notice_of(const hreq_t *rq, const admin_notice *v, size_t n);

/* A 303 to path (a site path under /admin, with an optional query such as
 * "?done=saved" that the target shows as a notice). */
int admin_redirect(hresp_t *rs, const char *path);

/* The keyed hash under which the store knows the session whose cookie
 * value is id (core/secret.h secret_hash, domain "session"). */
void admin_session_hash(const hreq_t *rq, const char *id, char out[SECRET_HASH_HEX]);

/* The form token of user_id (0: the sign-in form, before anyone is
 * signed in), signed now with the site's key, on rq->arena; and whether
 * the POSTed ADMIN_CSRF_FIELD is one, issued at most a day ago. Tokens
 * of different users never pass for each other, nor for an article's
 * comment token (their scope has bit 62 set). */
const char *admin_csrf_token(hreq_t *rq, int64_t user_id);
bool admin_csrf_check(const hreq_t *rq, int64_t user_id);

/* Idle and absolute session limits in seconds: ADMIN_IDLE and
 * ADMIN_LIFETIME, or shorter ones from the settings session_idle_seconds
 * and session_lifetime_seconds (for tests). */
void admin_session_limits(hreq_t *rq, int64_t *idle, int64_t *lifetime);

/* The sign-in page (admin_login.c) with status, a notice (NULL: none)
 * and the local path to go to after signing in (NULL: the dashboard). */
int admin_login_page(hreq_t *rq, hresp_t *rs, int status, const char *notice, const char *next);

/* A new user with the author they write as (admin_users.c; the command
 * line's `nashra user add` too): author inserted, user.id set to its id,
 * user inserted, in one transaction (store_write). NS_EEXIST when the
 * login or the author's slug is taken. */
typedef struct admin_new_user {
    store_author author;
    store_user user;
} admin_new_user;
int admin_user_add(store_t *s, admin_new_user *nu);

/* The answer of an admin route that failed with rc (http/request.c):
 * the status and headers handler_error gives rc, with an Arabic sentence
 * in the frame (no menu: who is signed in may be what failed) and a link
 * to the dashboard; the reader's error page if the frame cannot render. */
void admin_error(hreq_t *rq, hresp_t *rs, int rc);

/* The admin handlers, one file each (handlers/admin_*.c). */
int handler_admin_login(hreq_t *rq, hresp_t *rs);      /* GET, POST /admin/login */
int handler_admin_logout(hreq_t *rq, hresp_t *rs);     /* POST /admin/logout (everywhere=1: all sessions) */
int handler_admin_home(hreq_t *rq, hresp_t *rs);       /* GET /admin/ */
int handler_admin_users(hreq_t *rq, hresp_t *rs);      /* /admin/users/… */
int handler_admin_articles(hreq_t *rq, hresp_t *rs);   /* GET /admin/articles/ */
int handler_admin_edit(hreq_t *rq, hresp_t *rs);       /* /admin/articles/new, /admin/articles/{id}/ */
int handler_admin_article_action(hreq_t *rq, hresp_t *rs); /* POST /admin/articles/{id}/{action} */
int handler_admin_revisions(hreq_t *rq, hresp_t *rs);  /* /admin/articles/{id}/revisions/… */
int handler_admin_preview(hreq_t *rq, hresp_t *rs);    /* POST /admin/preview (Markdown → HTML), GET /admin/preview/{id}/ */
int handler_admin_media(hreq_t *rq, hresp_t *rs);      /* /admin/media/… (library, upload) */
int handler_admin_comments(hreq_t *rq, hresp_t *rs);   /* /admin/comments/… (moderation) */
int handler_admin_settings(hreq_t *rq, hresp_t *rs);   /* /admin/settings */

#endif
