/*
 * text.h - an article from plain text copied off a news page (`nashra
 * import text`): the headline, the dateline, the lead, sub-headings and
 * paragraphs told apart by their shape, and the page's furniture after the
 * article (related links, comments, the comment form, follow links,
 * latest news) left out.
 */
#ifndef NS_IMPORT_TEXT_H
#define NS_IMPORT_TEXT_H

#include <stddef.h>
#include "core/arena.h"
#include "store/store.h"

/* Parse text[0..len) into out's title, video, source, lead, body_md and
 * body_format (BODY_MARKDOWN); other fields untouched. A byte order mark,
 * CRLF line ends and blanks around lines are tolerated. The first non-blank
 * line is the headline: a trailing video marker («(شاهد)», «[شاهد]»,
 * «- شاهد», also «فيديو») sets out->video and is not kept. The next
 * non-blank line is the lead (""), its «SOURCE –» prefix (a dateline such
 * as «وطن –», « - » and « — » too, at most a few words) the source (NULL
 * if none). Later lines up to the first line of page furniture («قد يهمك
 * أيضاً», «تعليقات», «N تعليقات», «ترك الرد», «تابعنا», «الأحدث», the
 * comment form's messages…, compared without regard to alef, yeh and teh
 * marbuta spellings, marks, digits and punctuation) are the body: each a
 * Markdown paragraph escaped by import_text_md_escape, a short line
 * without final punctuation that is not a quotation standing alone a
 * "## " sub-heading; each ends in a newline, with a blank line between.
 * Strings owned by a. NS_EINVAL: not valid UTF-8 (text_valid_utf8), or no
 * headline (nothing but blanks). */
int import_text_parse(arena_t *a, const char *text, size_t len, store_article *out);

/* line[0..n) escaped so that CommonMark renders it as the same literal
 * text (backslash before special characters, list/heading markers
 * neutralised at the start, leading blanks dropped). Owned by arena a. */
char *import_text_md_escape(arena_t *a, const char *line, size_t n);

#endif
