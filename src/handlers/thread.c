/*
 * thread.c - an article's comments and its comment form (thread.h).
 *
 * Threads are built in one pass with a hash index from id to position, so
 * an article with thousands of comments costs linear time. A page shows
 * THREAD_PER_PAGE top-level comments with all their replies; every page
 * names the article as its canonical URL, so search engines see one
 * article however its comments are paged.
 */
#include "handlers/thread.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "core/err.h"
#include "core/text.h"
#include "handlers/comment_text.h"

typedef struct cnode {
    mu_value *obj, *children;
    mu_value *container;       /* list the comment is displayed in */
    int depth;                 /* displayed level, 1 = top */
} cnode;

/* Open-addressing index id -> position, sized to a power of two >= 2n. */
typedef struct cindex {
    int64_t *ids;
    size_t *pos, mask;
} cindex;

static void cindex_init(arena_t *a, cindex *ix, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap <<= 1;
    ix->ids = arena_zalloc(a, cap * sizeof *ix->ids);
    ix->pos = arena_alloc(a, cap * sizeof *ix->pos);
    ix->mask = cap - 1;
}

static size_t cindex_slot(const cindex *ix, int64_t id)
{
    size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull) & ix->mask;
    while (ix->ids[h] != 0 && ix->ids[h] != id)
        h = (h + 1) & ix->mask;
    return h;
}

static void cindex_put(cindex *ix, int64_t id, size_t pos)
{
    size_t h = cindex_slot(ix, id);
    ix->ids[h] = id;
    ix->pos[h] = pos;
}

/* Position of id, or -1. */
static long cindex_get(const cindex *ix, int64_t id)
{
    size_t h = cindex_slot(ix, id);
    return ix->ids[h] == id ? (long)ix->pos[h] : -1;
}

/* The time of day of t in the site's zone, "HH:MM". */
static const char *thread_clock(arena_t *a, int64_t t, const view_settings *st)
{
    time_t local = (time_t)(t + st->tz_offset);
    struct tm tm;
    gmtime_r(&local, &tm);
    return arena_printf(a, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

static mu_value *comment_object(arena_t *a, const store_comment *c, const char *slug,
                                const view_settings *st, mu_value *children)
{
    mu_value *o = mu_object(a);
    mu_set_int(o, "id", c->id);
    /* absolute: a refused form's page is served at /{slug}/comments */
    mu_set_str(o, "reply_url", arena_printf(a, "/%s/?replytocom=%lld#respond", slug, (long long)c->id));
    mu_set_str(o, "author", c->author_name && *c->author_name ? c->author_name : "زائر");
    view_set_opt(o, "author_url", text_url_is_http(c->author_url) ? c->author_url : NULL);
    mu_set_bool(o, "has_children", false);
    mu_set(o, "date", view_date(a, c->created_at, st));
    mu_set_str(o, "time", thread_clock(a, c->created_at, st));
    mu_set_str(o, "html", comment_text_html(a, c->body));
    mu_set(o, "children", children);
    return o;
}

/* Attach node i to its parent's replies (p: the parent's position; -1: a
 * top-level comment). Replies deeper than THREAD_MAX_DEPTH join the
 * deepest displayed level. */
static void comment_place(cnode *nodes, size_t i, long p, mu_value *top)
{
    cnode *nd = &nodes[i];
    if (p < 0) {
        nd->depth = 1;
        nd->container = top;
    } else if (nodes[p].depth < THREAD_MAX_DEPTH) {
        nd->depth = nodes[p].depth + 1;
        nd->container = nodes[p].children;
        if (mu_len(nodes[p].children) == 0)
            mu_set_bool(nodes[p].obj, "has_children", true);
    } else {
        /* parent at the deepest displayed level: reply beside it */
        nd->depth = THREAD_MAX_DEPTH;
        nd->container = nodes[p].container;
    }
    mu_push(nd->container, nd->obj);
}

/* The threads of a page from its comments cs[0..n) (store_comment_threads:
 * in the order they were written, so a parent comes before its replies
 * even when clocks disagree). */
static mu_value *comment_tree(arena_t *a, const store_comment *cs, size_t n, const char *slug,
                              const view_settings *st)
{
    mu_value *top = mu_list(a);
    cnode *nodes = arena_zalloc(a, (n ? n : 1) * sizeof *nodes);
    cindex ix;
    cindex_init(a, &ix, n);
    for (size_t i = 0; i < n; i++) {
        nodes[i].children = mu_list(a);
        nodes[i].obj = comment_object(a, &cs[i], slug, st, nodes[i].children);
        comment_place(nodes, i, cs[i].parent_id > 0 ? cindex_get(&ix, cs[i].parent_id) : -1, top);
        if (cs[i].id > 0)
            cindex_put(&ix, cs[i].id, i);
    }
    return top;
}

/* The comment page ?cpage names: 1 when absent; 0 (no such page) unless
 * written as the links write it, a decimal from 2 up without a leading
 * zero: every other spelling would be another cache entry of one page. */
static int thread_cpage(const char *v)
{
    int64_t n;
    if (!v)
        return 1;
    return text_parse_id(v, &n) && n >= 2 && n <= 1000000 && v[0] != '0' &&
           strlen(v) == (size_t)snprintf(NULL, 0, "%lld", (long long)n) ? (int)n : 0;
}

int thread_page_of(int64_t rank)
{
    return (int)(rank / THREAD_PER_PAGE) + 1;
}

/* ---- the form ---- */

const char *thread_commenter_cookie(arena_t *a, const char *name, const char *email)
{
    const char *v = arena_printf(a, "%s\n%s", name ? name : "", email ? email : "");
    size_t n = strlen(v), cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, cap);
    return sodium_bin2base64(out, cap, (const unsigned char *)v, n,
                             sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The name and email of a commenter's cookie (NULL each if it is not one). */
static void thread_commenter_parse(arena_t *a, const char *cookie, const char **name,
                                   const char **email)
{
    *name = *email = NULL;
    size_t cl = cookie ? strlen(cookie) : 0, n = 0;
    if (!cl || cl > 2048)
        return;
    char *bin = arena_alloc(a, cl + 1);
    if (sodium_base642bin((unsigned char *)bin, cl, cookie, cl, NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || !text_valid_utf8(bin, n))
        return;
    bin[n] = '\0';
    char *nl = memchr(bin, '\n', n);
    if (!nl || memchr(bin, '\0', n))
        return;
    *nl = '\0';
    *name = bin;
    *email = nl + 1;
}

/* The comment replied to, if it is an approved one of this article. */
static const store_comment *thread_parent(hreq_t *rq, const store_article *ar, int64_t id)
{
    store_comment *c = arena_alloc(rq->arena, sizeof *c);
    if (id <= 0 || store_comment_get(rq->store, rq->arena, id, c) != NS_OK ||
        c->article_id != ar->id || c->status != COMMENT_APPROVED)
        return NULL;
    return c;
}

/* The form as a GET shows it: a reply to ?replytocom, the remembered
 * name and email. */
static thread_form thread_form_get(hreq_t *rq, bool *personal)
{
    thread_form f = {0};
    int64_t id;
    const char *reply = hreq_query(rq, "replytocom");
    if (reply && text_parse_id(reply, &id))
        f.parent = id;
    thread_commenter_parse(rq->arena, hreq_cookie(rq, HREQ_COOKIE_COMMENTER), &f.author, &f.email);
    f.remember = f.author != NULL;
    *personal = f.parent || f.remember;
    return f;
}

static void thread_set_text(mu_value *o, const char *key, const char *s)
{
    mu_set_str(o, key, s ? s : "");
}

static mu_value *thread_form_view(hreq_t *rq, const store_article *ar, const thread_form *f)
{
    arena_t *a = rq->arena;
    mu_value *o = mu_object(a);
    mu_set_str(o, "action", arena_printf(a, "/%s/comments", ar->slug));
    /* without JavaScript, leaving a reply is going back to the article */
    mu_set_str(o, "cancel_url", arena_printf(a, "/%s/#respond", ar->slug));
    thread_set_text(o, "comment", f->comment);
    thread_set_text(o, "author", f->author);
    thread_set_text(o, "email", f->email);
    mu_set_bool(o, "remember", f->remember);
    const store_comment *p = thread_parent(rq, ar, f->parent);
    mu_set(o, "parent", p ? mu_int(a, p->id) : mu_str(a, ""));
    view_set_opt(o, "reply_to", p ? p->author_name : NULL);
    view_set_opt(o, "err_comment", f->err_comment);
    view_set_opt(o, "err_author", f->err_author);
    view_set_opt(o, "err_email", f->err_email);
    view_set_opt(o, "message", f->message);
    return o;
}

const char *thread_held_cookie(hreq_t *rq, const store_comment *c)
{
    char *v = arena_alloc(rq->arena, SECRET_TOKEN_MAX);
    secret_token(rq->site->secret, c->id, c->created_at, v);
    return v;
}

/* The notice for a reader whose comment waits: the held cookie, signed
 * (so that nobody learns which comments wait by trying ids), names a
 * pending comment of this article. */
static bool thread_held(hreq_t *rq, const store_article *ar)
{
    const char *v = hreq_cookie(rq, HREQ_COOKIE_HELD);
    int64_t id, when;
    store_comment c;
    return v && rq->site->secret && sscanf(v, "%" SCNd64, &id) == 1 &&
           secret_token_check(rq->site->secret, v, id, &when) == NS_OK &&
           store_comment_get(rq->store, rq->arena, id, &c) == NS_OK && c.created_at == when &&
           c.article_id == ar->id && c.status == COMMENT_PENDING;
}

/* Links to the other comment pages (false when there is one). */
static mu_value *thread_pages(arena_t *a, const store_article *ar, int page, int64_t threads)
{
    int total = threads ? thread_page_of(threads - 1) : 1;
    if (total <= 1)
        return mu_bool(a, false);
    mu_value *o = mu_object(a);
    mu_set_int(o, "current", page);
    mu_set_int(o, "total", total);
    view_set_opt(o, "prev_url", page == 2 ? arena_printf(a, "/%s/#comments", ar->slug)
                              : page > 2 ? arena_printf(a, "/%s/?cpage=%d#comments", ar->slug, page - 1) : NULL);
    view_set_opt(o, "next_url", page < total ? arena_printf(a, "/%s/?cpage=%d#comments", ar->slug, page + 1) : NULL);
    return o;
}

int thread_add(hreq_t *rq, mu_value *o, const store_article *ar, const view_settings *st,
               const thread_form *form, int64_t *newest, bool *personal)
{
    store_comment_stats cs_all;
    int rc = store_comment_count(rq->store, ar->id, &cs_all);
    if (rc < 0)
        return rc;
    int64_t threads = cs_all.threads;
    int page = thread_cpage(hreq_query(rq, "cpage"));
    int64_t first = (int64_t)(page - 1) * THREAD_PER_PAGE;
    if (page < 1 || (page > 1 && first >= threads))
        return NS_ENOTFOUND; /* no such comment page: one shared 404, not a page per spelling */
    store_comment *cs = NULL;
    size_t n = 0;
    rc = store_comment_threads(rq->store, rq->arena, ar->id, first, THREAD_PER_PAGE, &cs, &n);
    if (rc < 0)
        return rc;
    if (cs_all.newest > *newest)
        *newest = cs_all.newest;
    mu_set_int(o, "comment_count", cs_all.approved);
    mu_set_bool(o, "has_comments", n > 0);
    mu_set(o, "comments", comment_tree(rq->arena, cs, n, ar->slug, st));
    mu_set(o, "comment_pages", thread_pages(rq->arena, ar, page, threads));
    mu_set_bool(o, "comments_open", ar->comments_open);
    thread_form got = {0};
    *personal = false;
    if (!form) {
        got = thread_form_get(rq, personal);
        form = &got;
    }
    bool held = thread_held(rq, ar);
    *personal = *personal || held;
    mu_set_bool(o, "held", held);
    mu_set(o, "form", thread_form_view(rq, ar, form));
    return 0;
}
