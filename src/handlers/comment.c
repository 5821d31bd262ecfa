/*
 * comment.c - a reader's comment, posted with the article's form
 * (POST /{slug}/comments). The form is validated here, its text stored as
 * pending through the store's write path, and the reader sent back to the
 * article (post/redirect/get: a reload does not post twice). A comment
 * waits for moderation before any page shows it, so posting one changes
 * no public page and drops nothing from the cache.
 */
#include "handlers/handler.h"

#include <string.h>
#include "core/err.h"
#include "core/text.h"
#include "handlers/syndicate.h"

/* Bounds of the form's fields, in characters (the form says the same). */
enum { COMMENT_MAX_CHARS = 5000, COMMENT_NAME_MAX = 100, COMMENT_EMAIL_MAX = 200 };

/* Characters in s, or -1 if it is longer than max. */
static long comment_chars(const char *s, long max)
{
    long n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80 && ++n > max)
            return -1;
    return n;
}

/* s without surrounding white space, on the arena; "" for none. */
static const char *comment_trim(arena_t *a, const char *s)
{
    if (!s)
        return "";
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    while (n && strchr(" \t\r\n", *s))
        s++, n--;
    return arena_strndup(a, s, n);
}

/* 422 with what is wrong, in the reader's words. */
static int comment_refuse(hreq_t *rq, hresp_t *rs, const char *what)
{
    handler_error_page(rq, rs, 422, what, "لم يُرسل تعليقك. صحّح ما في النموذج وأعد الإرسال.");
    return 0;
}

int handler_comment_post(hreq_t *rq, hresp_t *rs)
{
    store_article ar;
    int rc = store_article_by_slug(rq->store, rq->arena, rq->params[0], rq->now, &ar);
    if (rc)
        return rc;
    if (!ar.comments_open)
        return NS_EPERM;
    const char *text = comment_trim(rq->arena, hreq_form(rq, "comment"));
    const char *name = comment_trim(rq->arena, hreq_form(rq, "author"));
    const char *email = comment_trim(rq->arena, hreq_form(rq, "email"));
    if (!*text)
        return comment_refuse(rq, rs, "من فضلك ادخل تعليقك");
    if (!*name)
        return comment_refuse(rq, rs, "من فضلك ادخل اسمك هنا");
    if (comment_chars(text, COMMENT_MAX_CHARS) < 0 || comment_chars(name, COMMENT_NAME_MAX) < 0 ||
        comment_chars(email, COMMENT_EMAIL_MAX) < 0)
        return comment_refuse(rq, rs, "النص أطول من المسموح");
    store_comment c = {.article_id = ar.id, .author_name = name, .author_email = *email ? email : NULL,
                       .body = text, .user_agent = hreq_header(rq, "user-agent"),
                       .status = COMMENT_PENDING, .created_at = rq->now};
    if ((rc = store_comment_insert(rq->store, &c)) != 0)
        return rc;
    rs->status = 303;
    rs->location = arena_printf(rq->arena, "%s#comments", synd_article_url(rq, ar.slug));
    rs->content_type = "text/plain; charset=utf-8";
    rs->cache_control = "no-store";
    buf_puts(&rs->body, "see other\n");
    return 0;
}
