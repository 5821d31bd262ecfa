/*
 * article.h - the article page (article.c), for the handlers that show it
 * again: the comment form's refusals (comment.c) answer with the article
 * and the form as the reader filled it.
 */
#ifndef NS_HANDLERS_ARTICLE_H
#define NS_HANDLERS_ARTICLE_H

#include "handlers/handler.h"
#include "handlers/thread.h"
#include "handlers/view.h"

/* Render the page of article ar (as store_article_by_slug reads it) into
 * rs, with its comment form as `form` says (NULL: as a GET shows it). A
 * page with a form, or one that is this reader's (thread_add), is not
 * cacheable. 0 or the store's or the theme's error. */
int article_page(hreq_t *rq, hresp_t *rs, const store_article *ar, const view_settings *st,
                 const thread_form *form);

#endif
