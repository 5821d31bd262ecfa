/*
 * admin_article.h - what the newsroom's article pages share (admin_edit.c,
 * admin_article_action.c, admin_revisions.c, admin_preview.c): who may
 * touch which article, and the one way an article is saved, with its
 * revision kept in the same transaction.
 */
#ifndef NS_HANDLERS_ADMIN_ARTICLE_H
#define NS_HANDLERS_ADMIN_ARTICLE_H

#include <stdbool.h>
#include <stdint.h>
#include "handlers/admin.h"

/* Whether cx may change ar at all: editors everyone's, others their own;
 * a contributor only while it is neither published nor scheduled. */
bool admin_article_may_edit(const admin_ctx *cx, const store_article *ar);

/* The article whose id is the text idtext (a route capture), any status,
 * into *out (on rq->arena). NS_ENOTFOUND for a bad or unknown id, NS_EPERM
 * when cx may not edit it (admin_article_may_edit). */
int admin_article_load(hreq_t *rq, const admin_ctx *cx, const char *idtext, store_article *out);

/* One save of an article, as admin_article_save runs it. */
typedef struct admin_save {
    store_article *ar;          /* id 0: a new article (id set on success) */
    const char *const *tags;    /* tag names, each made if new; NULL: ar->tags's ids kept */
    size_t ntags;
    int64_t expect;             /* the revision the person read; -1: not checked */
    int64_t user_id;            /* who saves (kept with the revision) */
    int64_t now;
    store_article current;      /* on NS_ECONFLICT: the stored article that moved on */
} admin_save;

/* Save sv->ar in one store_write: the stored revision checked against
 * sv->expect (NS_ECONFLICT, sv->current filled, nothing written), the tags
 * made, the slug made unique among articles and the site's own first path
 * segments (-2, -3…), the article inserted or updated and its revision kept
 * (store_revision_insert) with the text it now has. ar->body_html must be
 * set by the caller. Strings on arena a. Other codes: the store's. */
int admin_article_save(store_t *s, arena_t *a, admin_save *sv);

/* A status as the newsroom names it («مسودة»…); "" out of range. */
const char *admin_article_status_label(article_status st);

/* The path of the editor of article id. On a. */
const char *admin_article_path(arena_t *a, int64_t id);

#endif
