/*
 * comment_text.h - a reader's comment as text: what is kept of what was
 * typed, how it is measured, and the HTML it is shown as.
 *
 * Comments are the one place where strangers write into the site's pages,
 * so the text is cleaned once, before it is stored (comment_text_clean),
 * and turned into markup only at display, by comment_text_html, which
 * never lets the text make markup of its own. Pure functions: no store,
 * no request; every result that is a string lives on the caller's arena.
 */
#ifndef NS_HANDLERS_COMMENT_TEXT_H
#define NS_HANDLERS_COMMENT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

/* s as it is stored, on arena a: C0 and C1 control characters and DEL
 * removed, and the bidi embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069), which could make a comment read in another order than
 * it was written. With multiline (the comment itself, a textarea) line
 * breaks stay: "\r\n" and a lone '\r' become '\n', and a tab becomes a
 * space; without it (name, email) they are removed like other controls.
 * White space (space, U+00A0) is trimmed from both ends of the text and
 * from the end of each line; a line holding nothing else is blank, and
 * two or more blank lines in a row become one. Text of white space only
 * gives "". s must be well-formed UTF-8 (the form decoder checks it; a
 * byte that is not is dropped); NULL gives "". */
const char *comment_text_clean(arena_t *a, const char *s, bool multiline);

/* Number of code points in well-formed UTF-8 s (the form's limits are in
 * characters, not bytes); 0 for NULL. */
size_t comment_text_chars(const char *s);

/* How many links s holds, for moderation's link limit: each "http://" or
 * "https://" (any case) counts once with the URL it starts, and so does a
 * "www." (any case) that begins a word and is followed by a host, as
 * readers' software links those too. 0 for NULL. */
int comment_text_links(const char *s);

/* True if s is a plausible email address: at most 200 bytes, one '@'
 * with something before it, a domain with a dot but not at either end
 * and no empty label, and no white space, control, invisible format
 * character or any of < > " ( ) , ; : anywhere. NULL, "" and ill-formed
 * UTF-8 are not addresses (whether the field may be left empty is the
 * caller's decision). */
bool comment_text_email_ok(const char *s);

/* What a person must fix in a comment's text, name and email (each as
 * comment_text_clean made it), at each field in Arabic, NULL where all is
 * well: the text and the name required, at most 5,000 and 100
 * characters; the email optional, else an address comment_text_email_ok
 * accepts. A reader's comment and an editor's change of one are held to
 * the same rules. Messages are static strings. True if anything is wrong. */
typedef struct comment_text_errors {
    const char *text, *name, *email;
} comment_text_errors;
bool comment_text_check(const char *text, const char *name, const char *email,
                        comment_text_errors *err);

/* The HTML a comment body (as comment_text_clean made it) is shown as, on
 * arena a: each line that is not blank a <p>...</p>, joined by "\n"; the
 * text HTML-escaped (& < > " '); each http:// or https:// URL with a host
 * made a link, <a href="URL" rel="nofollow ugc noopener">URL</a> (rel:
 * readers' links earn the linked site no standing and get no handle on
 * this page), the URL escaped in both places. A URL ends at white space,
 * a control or invisible format character, < > " ' or '\'; punctuation
 * that ends it (. , ! ? : ] ) and the Arabic ؟ ، ؛) belongs to the
 * sentence, except a ')' that closes a '(' inside the URL. No other
 * scheme is linked, and the text makes no markup but those p and a
 * elements. NULL gives "". */
const char *comment_text_html(arena_t *a, const char *body);

#endif
