/*
 * view.h - the pieces every reader-facing page shares, turned into mu_value
 * view models: the site object (name, navigation, follow links, footer pages,
 * inlined CSS/JS), article summaries for lists, pagination, canonical URLs.
 *
 * Pages differ in their main content only; keeping the common parts here
 * means the layout template can rely on one shape of `site` and `page`
 * objects everywhere, and handlers stay short. Everything is built on the
 * request arena and lives as long as the request.
 */
#ifndef NS_HANDLERS_VIEW_H
#define NS_HANDLERS_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include "handlers/handler.h"
#include "render/mustache.h"
#include "store/store.h"

/* Follow links, in display order (settings keys are "follow_" + key). */
enum { VIEW_NFOLLOW = 6 };

/* Site settings as pages need them, with defaults for unset/invalid keys. */
typedef struct view_settings {
    const char *site_name;        /* default «نشرة» */
    const char *site_description; /* default "" */
    int tz_offset;                /* seconds east of UTC, clamped to ±14 h */
    bool show_hijri;
    int posts_per_page;           /* 1..100, default 10 */
    const char *follow[VIEW_NFOLLOW]; /* URL or NULL (unset, empty or not http(s)) */
    /* Comments (handlers/comment.c): "all", "new" (default) or "none"
     * held for moderation; more links than max_links hold a comment, as
     * a blocklisted word does; rate_limit a minute per client (0: none);
     * a form sent sooner than min_seconds after it was issued is a bot's. */
    const char *comment_moderation, *comment_blocklist;
    int comment_max_links, comment_rate_limit, comment_min_seconds;
    /* The header's logo and the pages' icon (site_logo, site_favicon): a
     * site path or an http(s) URL (text_url_is_safe_link), else NULL. */
    const char *logo, *favicon;
} view_settings;

/* The bounds of the numeric setting key (timezone_offset, posts_per_page,
 * comment_max_links, comment_rate_limit, comment_min_seconds): what pages
 * accept of it, and what the settings form lets be saved. False if key is
 * not one of them. */
bool view_setting_bounds(const char *key, int *lo, int *hi);

/* The later of an article's publication and update times: what readers,
 * feeds and caches call its last modification. */
int64_t view_article_mtime(const store_article *ar);

/* Read the settings table into *out (strings on rq->arena). Missing or
 * malformed values take their defaults; returns NS_E* only when the store
 * fails. */
int view_settings_load(hreq_t *rq, view_settings *out);

/* Parse a decimal setting value within [lo, hi]; def when s is NULL, not a
 * number or out of range. */
int view_parse_int(const char *s, int lo, int hi, int def);

/* Absolute canonical URL base_url + path, path percent-encoded (UTF-8 kept
 * as %XX). Owned by arena. */
char *view_canonical(arena_t *a, const char *base_url, const char *path);

/* Title for display: a trailing «(شاهد)» video marker (and the spaces before
 * it) removed. Returns title itself when there is nothing to strip, else a
 * copy on arena. NULL -> "". */
const char *view_display_title(arena_t *a, const char *title);

/* Sanitised HTML of a body whose source is in format into *html (owned by
 * a): Markdown rendered (render/markdown.h), HTML sanitised
 * (render/html.h), both to the same allowlist; NULL source as "". Their
 * errors are returned, *html untouched. */
int view_body(arena_t *a, const char *source, body_format format, const char **html);

/* Sanitised HTML of an article's body into *html (owned by a, or ar's own
 * string): the body_html its writer stored, else body_md rendered now by
 * its body_format (view_body). */
int view_article_body(arena_t *a, const store_article *ar, const char **html);

/* Set key to s when s is non-empty, else to false. Templates look a missing
 * key up in enclosing contexts (Mustache rules), so optional keys are always
 * set, never left out. Returns o. */
mu_value *view_set_opt(mu_value *o, const char *key, const char *s);

/* Root object of a page: { site: {...}, page: { title, description,
 * canonical, path } }. `site` has name, description, base_url, year (site
 * time), css (theme style.css), js (theme site.js), nav (top-level
 * categories {name,url,current}), follow ({name,url,label} including RSS),
 * pages (published static pages {title,url}). A failing store for nav or
 * pages gives empty lists (the page still renders). title may be NULL (the
 * site name is used). `current_cat` marks the nav entry (0: none). */
mu_value *view_root(hreq_t *rq, const view_settings *st, const char *title,
                    const char *description, int64_t current_cat);

/* An article's featured image, or false when it has none (an image_url
 * that is not a safe link is none): { url, alt, width, height (the
 * original's, else 800×450), sized (whether they are the original's), and when variants are made, variants
 * { webp, jpg (srcset lists "URL 320w, …"), src (the widest JPEG) },
 * else false; sizes (the srcset's sizes for a card), eager (false: the
 * page sets it for its main image) }. */
mu_value *view_image(arena_t *a, const store_article *ar);
/* The same for a page's main image, above the fold: loaded at once with
 * a high priority, sized for the page's column. */
mu_value *view_image_main(arena_t *a, const store_article *ar);

/* Article for lists: { url, title, kicker, lead, video, image (view_image),
 * date {iso,text,hijri}, category {name,url}, author {name,url} }; optional
 * keys are false when absent (see view_set_opt). */
mu_value *view_summary(arena_t *a, const store_article *ar, const view_settings *st);

/* List of view_summary for each article of l. */
mu_value *view_summary_list(arena_t *a, const struct store_article_list *l, const view_settings *st);

/* { iso, text, hijri (when st->show_hijri, else false) } for time t. */
mu_value *view_date(arena_t *a, int64_t t, const view_settings *st);

/* Pagination for `base` (a path ending in '/', e.g. "/tag/x/") at page
 * `page` of `total` items with `per_page` each: { page, pages, prev, next }
 * where prev/next are paths ("/tag/x/page/2/", page 1 is `base` itself) or
 * absent. NULL when everything fits on one page. */
mu_value *view_pagination(arena_t *a, const char *base, int page, int64_t total, int per_page);

/* Path of page n of base (n <= 1: base itself). Owned by arena. */
char *view_page_path(arena_t *a, const char *base, int n);

/* One page (rq->page) of the visible articles matching q, posts_per_page
 * each, with their pagination under `base`. Sets q->limit and q->offset,
 * fills *out (on rq->arena), sets "pagination" in o (when there is more
 * than one page) and raises *newest to the newest published/updated time
 * listed. NS_ENOTFOUND for a page beyond the last (page 1 always exists,
 * possibly empty); store errors are returned. */
int view_paged_list(hreq_t *rq, const view_settings *st, store_query *q, const char *base,
                    mu_value *o, struct store_article_list *out, int64_t *newest);

/* Render template `name` with ctx into rs->body (cleared first) and set the
 * defaults every HTML page shares: status 200, HTML content type,
 * cacheable, max_age 0, expires_at from store_next_publish. Returns the
 * theme's error code on failure. */
int view_render(hreq_t *rq, hresp_t *rs, const char *name, const mu_value *ctx);

#endif
