/*
 * export.h - a whole site written out as a WordPress eXtended RSS file
 * (WXR 1.2), the format WordPress's own importer reads (`nashra export
 * wordpress`): authors, categories (parents first), tags, then one item per
 * page, media file and article, each article with every comment it has.
 *
 * WordPress numbers posts, pages and attachments in one id space, and
 * categories and tags in another, where nashra numbers each table by
 * itself; so the file's ids are derived, the same for every export of the
 * site: wp:post_id is 3·id for an article, 3·id − 1 for a page, 3·id − 2
 * for a media file; wp:term_id is 2·id for a category, 2·id + 1 for a tag.
 * Authors and comments keep their ids.
 *
 * What WordPress has no field for is kept in postmeta, so that a nashra
 * site importing the file again loses nothing: nashra_kicker,
 * nashra_source, nashra_video_url, nashra_video ("1"), nashra_image_url
 * (a featured image that is no media file of the site; one that is becomes
 * _thumbnail_id), nashra_image_alt, nashra_image_caption.
 */
#ifndef NS_IMPORT_EXPORT_H
#define NS_IMPORT_EXPORT_H

#include <stdint.h>
#include <stdio.h>
#include "store/store.h"

/* The default address of a site's links when neither the caller nor the
 * site's `site_url` setting gives one: where `nashra serve` listens by
 * default. */
#define EXPORT_DEFAULT_BASE_URL "http://127.0.0.1:8080"

/* What an export wrote. */
typedef struct export_report {
    int64_t posts, pages, comments, categories, tags, authors, attachments;
    /* the article (nashra id) the export stopped at, 0 if none: a body
     * that could not be rendered to HTML, or a read that failed */
    int64_t failed_article;
} export_report;

/* Write the site in s as WXR 1.2 to out, in one read snapshot of s (so
 * the file is the site at one instant, however long the export takes).
 * Articles and media are read in batches, each article with its comments
 * alone: memory does not grow with the number of articles (it grows only
 * by 16 bytes per media file, the index that finds a featured image's
 * media row).
 *
 * base_url: the site's address for every link, e.g. "https://example.com"
 * (a trailing '/' dropped); NULL takes the `site_url` setting, else
 * EXPORT_DEFAULT_BASE_URL. Dates are written in UTC and in site time
 * (UTC + the `timezone_offset` setting, seconds).
 *
 * Bodies are HTML: body_html when stored, else body_md rendered
 * (render/markdown.h for Markdown, render/html.h for HTML). Text is
 * written without the characters XML 1.0 forbids or ill-formed UTF-8,
 * and a "]]>" inside text is split across two CDATA sections.
 *
 * out stays the caller's (flushed, not closed); *rep (may be NULL) is
 * filled as far as the export went. Not inside a transaction of s.
 * Errors: the store's; NS_EIO when writing to out failed; the renderers'
 * (NS_EINVAL, NS_ETOOBIG) for a body they refuse, rep->failed_article
 * naming it. On error out holds a partial document. */
int export_wordpress(store_t *s, const char *base_url, FILE *out, export_report *rep);

/* slug percent-encoded as WordPress writes its slugs: every byte other
 * than ASCII letters, digits, '-', '_', '.', '~' as %xx in lower-case hex
 * ("غير-مصنف" -> "%d8%ba%d9%8a%d8%b1-%d9%85%d8%b5%d9%86%d9%81"). When
 * keep_slash, '/' is kept as well (a path). Owned by a; NULL gives "". */
char *export_slug_encode(arena_t *a, const char *slug, bool keep_slash);

#endif
