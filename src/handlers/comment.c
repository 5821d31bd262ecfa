/*
 * comment.c - a reader's comment, posted with the article's form
 * (POST /{slug}/comments).
 *
 * Every check a form can fail is made here, before anything is written,
 * and a refusal answers with the article page again: the form holding
 * everything the reader typed, the message at its field, and the status
 * that says why (422 what the reader can fix, 400 a form this site did not
 * issue, 403 closed comments, 409 the same comment twice, 429 too many).
 * A comment that passes is handed to the group commit (hresp_t.defer): the
 * reader is sent back to the article (303, post/redirect/get) only once it
 * is on disk. A comment held for moderation changes no public page, so it
 * drops nothing from the cache; an approved one is on the next GET.
 */
#include "handlers/handler.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "core/date.h"
#include "core/err.h"
#include "core/secret.h"
#include "core/text.h"
#include "handlers/article.h"
#include "handlers/comment_text.h"
#include "handlers/moderation.h"
#include "handlers/syndicate.h"

/* A user agent is kept up to this many bytes. */
enum { COMMENT_UA_MAX = 512 };
/* A form token is good for a day after the page was served. */
#define COMMENT_TOKEN_TTL (24 * 3600)
/* How long the notice of a held comment is shown to its writer, and how
 * long a commenter's name is remembered. */
#define COMMENT_HELD_AGE 600
#define COMMENT_REMEMBER_AGE (365 * 24 * 3600)

#define MSG_TOKEN "تعذّر التحقق من النموذج. أعد الإرسال من هذه الصفحة."
#define MSG_EXPIRED "انتهت صلاحية النموذج. أعد الإرسال من هذه الصفحة."
#define MSG_TOO_FAST "أُرسل النموذج بسرعة كبيرة. انتظر لحظة ثم أعد الإرسال."
#define MSG_HONEYPOT "لم يُقبل التعليق. أعد الإرسال دون ملء الحقل المخفي."
#define MSG_PARENT "التعليق الذي ترد عليه غير موجود"
#define MSG_CLOSED "التعليقات مغلقة على هذا المقال"
#define MSG_DUPLICATE "لقد أرسلت هذا التعليق من قبل"
#define MSG_UNAVAILABLE "تعذّر حفظ تعليقك الآن. أعد الإرسال بعد قليل."

/* One post on its way: what the reader sent, the article and settings it
 * was checked against, and the row to write (all on the request arena). */
typedef struct comment_post {
    store_article ar;
    view_settings st;
    thread_form form;
    store_comment row;
} comment_post;

/* The article page again with the form as sent, status and message. */
static int comment_refuse(hreq_t *rq, hresp_t *rs, comment_post *p, int status, const char *msg)
{
    if (msg)
        p->form.message = msg;
    rq->path = arena_printf(rq->arena, "/%s/", p->ar.slug); /* the page shown: its canonical link */
    int rc = article_page(rq, rs, &p->ar, &p->st, &p->form);
    if (rc == NS_OK)
        rs->status = status;
    return rc;
}

/* The fields as sent, cleaned (control characters out, trimmed). */
static void comment_read_form(hreq_t *rq, comment_post *p)
{
    arena_t *a = rq->arena;
    thread_form *f = &p->form;
    f->comment = comment_text_clean(a, hreq_form(rq, "comment"), true);
    f->author = comment_text_clean(a, hreq_form(rq, "author"), false);
    f->email = comment_text_clean(a, hreq_form(rq, "email"), false);
    const char *parent = hreq_form(rq, "parent");
    int64_t id = 0;
    f->parent = parent && text_parse_id(parent, &id) ? id : 0;
    const char *remember = hreq_form(rq, "remember");
    f->remember = remember && *remember;
}

/* What the reader must fix in the fields, set at them: true if anything. */
static bool comment_field_errors(thread_form *f)
{
    comment_text_errors e;
    bool bad = comment_text_check(f->comment, f->author, f->email, &e);
    f->err_comment = e.text;
    f->err_author = e.name;
    f->err_email = e.email;
    return bad;
}

/* The form token: 0, else the status of the refusal and its message. */
static int comment_check_token(hreq_t *rq, const comment_post *p, const char **msg)
{
    int64_t issued;
    if (!rq->site->secret ||
        secret_token_check(rq->site->secret, hreq_form(rq, "token"), p->ar.id, &issued) != NS_OK ||
        issued > rq->now + 60) {
        *msg = MSG_TOKEN;
        return 400;
    }
    if (rq->now - issued > COMMENT_TOKEN_TTL) {
        *msg = MSG_EXPIRED;
        return 422;
    }
    if (rq->now - issued < p->st.comment_min_seconds) {
        *msg = MSG_TOO_FAST;
        return 422;
    }
    return 0;
}

/* Pending or approved, as the site's moderation settings say. */
static int comment_moderate(hreq_t *rq, const comment_post *p, comment_status *out)
{
    const thread_form *f = &p->form;
    moderation_mode mode = moderation_mode_parse(p->st.comment_moderation);
    bool hold = mode == MODERATION_ALL ||
                comment_text_links(f->comment) > p->st.comment_max_links ||
                moderation_blocked(rq->arena, p->st.comment_blocklist, f->comment, f->author, f->email);
    if (!hold && mode == MODERATION_NEW) {
        /* a name alone is anyone's: only a name with its email is known */
        bool known = false;
        int rc = *f->email ? store_comment_known(rq->store, f->author, f->email, &known) : NS_OK;
        if (rc)
            return rc;
        hold = !known;
    }
    *out = hold ? COMMENT_PENDING : COMMENT_APPROVED;
    return NS_OK;
}

/* s cut to at most max bytes at a character boundary, on a. */
static const char *comment_cut(arena_t *a, const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n <= max)
        return s;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return arena_strndup(a, s, max);
}

/* The row: the client address and the text only as keyed hashes. */
static void comment_row(hreq_t *rq, comment_post *p, comment_status st)
{
    arena_t *a = rq->arena;
    const thread_form *f = &p->form;
    char *ip = arena_alloc(a, SECRET_HASH_HEX), *fp = arena_alloc(a, SECRET_HASH_HEX);
    secret_hash(rq->site->secret, "ip", rq->client, strlen(rq->client), ip);
    secret_hash(rq->site->secret, "text", f->comment, strlen(f->comment), fp);
    p->row = (store_comment){.article_id = p->ar.id, .parent_id = f->parent,
                             .author_name = f->author, .author_email = *f->email ? f->email : NULL,
                             .body = f->comment, .ip = ip, .fingerprint = fp,
                             .user_agent = comment_cut(a, hreq_header(rq, "user-agent"), COMMENT_UA_MAX),
                             .status = st, .created_at = rq->now};
}

/* On the group commit's thread, inside its transaction. */
static int comment_run(store_t *s, void *arg)
{
    comment_post *p = arg;
    return store_comment_insert(s, &p->row);
}

/* The comment page c's thread is on: its top-level comment's number
 * (followed up a bounded number of parents) makes it. */
static int comment_page(hreq_t *rq, int64_t id)
{
    store_comment top = {.parent_id = id};
    for (int i = 0; i < 64 && top.parent_id; i++)
        if (store_comment_get(rq->store, rq->arena, top.parent_id, &top) != NS_OK)
            return 1;
    return top.thread_no > 0 ? thread_page_of(top.thread_no - 1) : 1;
}

/* 303 to the comment, with the cookies of a held comment's notice and of
 * a remembered commenter. */
static int comment_redirect(hreq_t *rq, hresp_t *rs, comment_post *p)
{
    arena_t *a = rq->arena;
    const store_comment *c = &p->row;
    int page = c->status == COMMENT_APPROVED ? comment_page(rq, c->id) : 1;
    hresp_init(rs, rq->arena); /* made anew after the commit */
    rs->status = 303;
    rs->location = arena_printf(a, "%s%s#comment-%lld", synd_article_url(rq, p->ar.slug),
                                page > 1 ? arena_printf(a, "?cpage=%d", page) : "", (long long)c->id);
    rs->content_type = "text/plain; charset=utf-8";
    rs->cache_control = "no-store";
    buf_puts(&rs->body, "see other\n");
    if (c->status == COMMENT_PENDING)
        hresp_header(rs, "Set-Cookie", arena_printf(a, HREQ_COOKIE_HELD "=%s; Path=/; Max-Age=%d;"
                                                    " HttpOnly; SameSite=Lax",
                                                    thread_held_cookie(rq, c), COMMENT_HELD_AGE));
    if (p->form.remember)
        hresp_header(rs, "Set-Cookie", arena_printf(a, HREQ_COOKIE_COMMENTER "=%s; Path=/; Max-Age=%d;"
                                                    " HttpOnly; SameSite=Lax",
                                                    thread_commenter_cookie(a, p->form.author, p->form.email),
                                                    COMMENT_REMEMBER_AGE));
    else if (hreq_cookie(rq, HREQ_COOKIE_COMMENTER))
        hresp_header(rs, "Set-Cookie", HREQ_COOKIE_COMMENTER "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    return NS_OK;
}

/* Back from the group commit, on the request's thread. */
static int comment_done(hreq_t *rq, hresp_t *rs, int rc)
{
    comment_post *p = rs->defer.arg;
    if (rc == NS_OK)
        return comment_redirect(rq, rs, p);
    hresp_init(rs, rq->arena); /* made anew after the commit */
    if (rc == NS_EEXIST)
        return comment_refuse(rq, rs, p, 409, MSG_DUPLICATE);
    if (rc == NS_EINVAL && p->form.parent)
        return comment_refuse(rq, rs, p, 400, MSG_PARENT);
    if (rc == NS_EINVAL)
        return NS_ENOTFOUND; /* the article went away meanwhile */
    if ((rc = comment_refuse(rq, rs, p, 503, MSG_UNAVAILABLE)) == NS_OK)
        hresp_header(rs, "Retry-After", "5");
    return rc;
}

/* The rate limit's key for this client and kind of event: an IPv6
 * address by its /64, the block one subscriber gets, so that moving
 * through it buys nothing. */
static const char *comment_rate_key(hreq_t *rq, const char *kind)
{
    struct in6_addr a6;
    char text[INET6_ADDRSTRLEN];
    const char *client = rq->client;
    if (inet_pton(AF_INET6, client, &a6) == 1) {
        memset(a6.s6_addr + 8, 0, 8);
        client = inet_ntop(AF_INET6, &a6, text, sizeof text) ? text : client;
    }
    return arena_printf(rq->arena, "%s%s", kind, client);
}

/* Posts of any kind, refused ones included, are bounded too (at
 * COMMENT_ANY_FACTOR times the rate of comments): each refusal renders
 * the article, and a flood of forged forms must not cost what a flood of
 * reads, answered from the cache, does not. Past it, a short page. */
#define COMMENT_ANY_FACTOR 4
static bool comment_flooding(hreq_t *rq, hresp_t *rs, const view_settings *st)
{
    int wait = rq->limiter ? ratelimit_take(rq->limiter, comment_rate_key(rq, "any "),
                                            st->comment_rate_limit * COMMENT_ANY_FACTOR,
                                            date_monotonic_ms()) : 0;
    if (!wait)
        return false;
    handler_error_page(rq, rs, 429, "طلبات كثيرة",
                       "أرسلت نماذج كثيرة في وقت قصير. انتظر دقيقة ثم أعد المحاولة.");
    hresp_header(rs, "Retry-After", arena_printf(rq->arena, "%d", wait));
    return true;
}

/* Every check a comment must pass before it is queued: 0 with the post
 * ready, or rs filled with the refusal (*refused set). */
static int comment_check(hreq_t *rq, hresp_t *rs, comment_post *p, bool *refused)
{
    const char *msg = NULL;
    int status = 0, rc;
    *refused = true;
    if (!p->ar.comments_open)
        return comment_refuse(rq, rs, p, 403, MSG_CLOSED);
    if ((status = comment_check_token(rq, p, &msg)) != 0)
        return comment_refuse(rq, rs, p, status, msg);
    const char *trap = hreq_form(rq, "website");
    if (trap && *trap)
        return comment_refuse(rq, rs, p, 422, MSG_HONEYPOT);
    if (comment_field_errors(&p->form))
        return comment_refuse(rq, rs, p, 422, NULL);
    store_comment parent;
    if (p->form.parent &&
        ((rc = store_comment_get(rq->store, rq->arena, p->form.parent, &parent)) != NS_OK ||
         parent.article_id != p->ar.id || parent.status != COMMENT_APPROVED))
        return rc && rc != NS_ENOTFOUND ? rc : comment_refuse(rq, rs, p, 400, MSG_PARENT);
    int wait = rq->limiter ? ratelimit_take(rq->limiter, comment_rate_key(rq, ""),
                                            p->st.comment_rate_limit, date_monotonic_ms()) : 0;
    if (wait) {
        msg = arena_printf(rq->arena, "أرسلت تعليقات كثيرة في وقت قصير. أعد الإرسال بعد %d ثانية.", wait);
        if ((rc = comment_refuse(rq, rs, p, 429, msg)) == NS_OK)
            hresp_header(rs, "Retry-After", arena_printf(rq->arena, "%d", wait));
        return rc;
    }
    *refused = false;
    return NS_OK;
}

int handler_comment_post(hreq_t *rq, hresp_t *rs)
{
    comment_post *p = arena_zalloc(rq->arena, sizeof *p);
    int rc = store_article_by_slug(rq->store, rq->arena, rq->params[0], rq->now, &p->ar);
    if (rc || (rc = view_settings_load(rq, &p->st)) != NS_OK)
        return rc;
    if (comment_flooding(rq, rs, &p->st))
        return NS_OK;
    comment_read_form(rq, p);
    bool refused;
    comment_status st;
    if ((rc = comment_check(rq, rs, p, &refused)) != NS_OK || refused)
        return rc;
    if ((rc = comment_moderate(rq, p, &st)) != NS_OK)
        return rc;
    comment_row(rq, p, st);
    rs->defer.run = comment_run;
    rs->defer.arg = p;
    rs->defer.done = comment_done;
    return NS_OK;
}
