/*
 * wp_item.h - what the WordPress import's passes share (private to
 * src/import/): the import's state, and what each kind of thing in an
 * export becomes (wp_item.c: authors, terms, posts, pages, attachments,
 * comments; wp_path.c: old addresses, redirects and files).
 */
#ifndef NS_IMPORT_WP_ITEM_H
#define NS_IMPORT_WP_ITEM_H

#include <stdbool.h>
#include <stdint.h>
#include "import/wordpress.h"
#include "import/wxr.h"

typedef struct wp_ctx {
    store_t *s;
    arena_t *a;             /* the import's: messages, the source, skip reasons */
    arena_t *ia;            /* one item's, reset after each */
    const wp_options *o;
    wp_summary *sum;
    const wxr_site *site;
    const char *source;     /* the import map's key for this site */
    const char *bases[4];   /* the old site's addresses (http and https) */
    size_t nbases;
    int64_t now, total;
    int64_t tz_offset;      /* site time - UTC, learnt from the items' two dates */
    bool tz_known;
    int batch;
    bool changed_articles;  /* related articles to choose again at the end */
    bool saw_terms;         /* <wp:category> or <wp:tag> read: the <wp:term>
                               copies of them are not imported twice */
    char creator[128];      /* the last author login looked up, and its id */
    int64_t creator_id;
    const char *err;        /* the first failure, on a */
    long line;
} wp_ctx;

/* Note the first failure (printf-style, on c->a) at line (0: none);
 * returns NS_EINVAL. */
int wp_fail(wp_ctx *c, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Count something left out, by its reason (static text, or on c->a). */
void wp_skip(wp_ctx *c, const char *reason);

/* A WordPress date: gmt ("YYYY-MM-DD HH:MM:SS", UTC) when set, else local
 * (site time) less the site's offset; 0 when neither is set (WordPress
 * writes 0000-00-00 00:00:00 for a draft's date). A date that does not
 * exist (2023-02-30) fails, naming `what` and line. */
int wp_date(wp_ctx *c, const char *gmt, const char *local, long line, const char *what, int64_t *out);
/* Learn the site's offset from an item that has both dates. */
void wp_learn_offset(wp_ctx *c, const wxr_item *it);

/* The order in which it's comments can be written, parents first, into
 * *order (indexes into it->comments), and each one's parent's index into
 * *parent (-1: top level), both on c->ia. Fails, with the comment's line,
 * when a parent is not in the item or parents loop. */
int wp_comment_order(wp_ctx *c, const wxr_item *it, size_t **order, long **parent);

/* After an item (or a change made at the end) was written: commit every
 * WP_BATCH of them and begin the next transaction; `last`: commit what
 * is open. Nothing when dry (one transaction, rolled back). */
int wp_batch_end(wp_ctx *c, bool last);

/* The source and old addresses of the site being imported. */
void wp_set_source(wp_ctx *c, const wxr_site *site);
/* The site's name, description and time zone from the export, where the
 * site has none yet. */
int wp_site_settings(wp_ctx *c, const wxr_site *site);

/* Each kind of thing an export holds, written (second pass). */
int wp_author(wp_ctx *c, const wxr_author *au);
int wp_term(wp_ctx *c, const wxr_term *t);
int wp_item(wp_ctx *c, const wxr_item *it);
/* What could only be settled once every item was in: featured images,
 * page parents, the articles attachments belong to. */
int wp_resolve_refs(wp_ctx *c);

/* ---- wp_path.c ---- */

/* The decoded path (with "?p=N"-style query kept) of an old address of
 * the site, on c->ia; NULL if url is not one of the site's or does not
 * decode. */
const char *wp_old_path(wp_ctx *c, const char *url);
/* Record a redirect from the old address `from` (a URL of the old site,
 * or a path) to the site path or absolute URL `to`, unless they are the
 * same. */
int wp_redirect(wp_ctx *c, const char *from, const char *to);
/* Record a redirect from "/?name=value" to `to`. */
int wp_redirect_query(wp_ctx *c, const char *name, int64_t value, const char *to);
/* A slug from an exported one (percent-encoded), else from the title, else
 * "prefix-id"; on c->ia. */
const char *wp_slug(wp_ctx *c, const char *exported, const char *title, const char *prefix, int64_t id);
/* An attachment's file: copied from the uploads directory into the site's
 * uploads/ when there is one (*url the site path /uploads/REL), else its
 * address kept (*url = the old URL). rel is the file's path under
 * uploads ("2022/03/x.jpg"), as _wp_attached_file has it; NULL if unknown. */
int wp_attachment_file(wp_ctx *c, const char *rel, const char *old_url, const char **url);
/* body with addresses of the old site made site paths, and images in its
 * uploads copied here when an uploads directory was given; on c->ia. */
const char *wp_rewrite_body(wp_ctx *c, const char *html);

#endif
