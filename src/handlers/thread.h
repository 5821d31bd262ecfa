/*
 * thread.h - an article's comments as its page shows them: approved
 * comments in threads (oldest first, replies nested up to
 * THREAD_MAX_DEPTH levels), THREAD_PER_PAGE top-level threads a page,
 * and the comment form, empty or holding what a reader typed, with what
 * was wrong with it. Used by the article page (article.c) and by the
 * comment form's refusals (comment.c), which show the same page again.
 */
#ifndef NS_HANDLERS_THREAD_H
#define NS_HANDLERS_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include "handlers/handler.h"
#include "handlers/view.h"
#include "render/mustache.h"

enum { THREAD_PER_PAGE = 50, THREAD_MAX_DEPTH = 5 };

/* The comment form as sent, and what the page says about it. */
typedef struct thread_form {
    const char *comment, *author, *email; /* as typed (NULL: empty) */
    int64_t parent;                       /* the comment replied to (0: none) */
    bool remember;                        /* «احفظ اسمي وبريدي» ticked */
    const char *err_comment, *err_author, *err_email; /* at their fields (NULL: none) */
    const char *message;                  /* about the whole form (NULL: none) */
} thread_form;

/* Set in o (the article's view object) what the page shows of its
 * comments: comment_count, has_comments, comments (the threads of comment
 * page ?cpage), comment_pages (navigation, or false), comments_open,
 * held (the notice for a reader whose comment waits for moderation), and
 * form (action, the fields' values and messages, the comment replied to).
 * form NULL: the page as a GET shows it (?replytocom sets the reply; the
 * reader's remembered name and email fill the fields). *personal is set
 * when what was added is this reader's alone (a notice, remembered
 * details, a reply form): such a page is not for the shared cache.
 * *newest is raised to the newest comment's time. Strings on rq->arena. */
int thread_add(hreq_t *rq, mu_value *o, const store_article *ar, const view_settings *st,
               const thread_form *form, int64_t *newest, bool *personal);

/* The comment page (1-based) that shows the thread numbered
 * (store_comment.thread_no) rank + 1. */
int thread_page_of(int64_t rank);

/* The value of the cookie that tells the writer of comment c, held for
 * moderation, that it waits (signed with the site's key), on rq->arena. */
const char *thread_held_cookie(hreq_t *rq, const store_comment *c);

/* The value of the cookie that remembers a commenter (name, email), on a. */
const char *thread_commenter_cookie(arena_t *a, const char *name, const char *email);

#endif
