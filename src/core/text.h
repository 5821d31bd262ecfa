/*
 * text.h - UTF-8 text helpers built on utf8proc: validation, URL path
 * decoding, slugs, length-bounded excerpts, which URLs may be linked and
 * which characters XML allows. These work on bytes coming from outside, so
 * every function validates before trusting.
 */
#ifndef NS_CORE_TEXT_H
#define NS_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"

/* Decode the code point at s[0..n), n > 0: returns its length in bytes and
 * sets *cp, or returns 1 with *cp = -1 for an ill-formed sequence
 * (overlongs, surrogates and values past U+10FFFF included), so a caller
 * can replace the byte and go on. */
size_t text_next_cp(const char *s, size_t n, int32_t *cp);

/* True if s[0..n) is well-formed UTF-8 with no NUL and no C0 controls other
 * than \t \n \r. */
bool text_valid_utf8(const char *s, size_t n);

/* True if s[0..n) is well-formed UTF-8 in the sense of text_next_cp (no
 * overlongs, surrogates, values past U+10FFFF or cut sequences); unlike
 * text_valid_utf8, NUL and every control character are allowed. */
bool text_wellformed_utf8(const char *s, size_t n);

/* True if cp is a character XML 1.0 allows (production Char): \t \n \r,
 * U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF. Surrogates, U+FFFE,
 * U+FFFF, the other C0 controls and a negative cp (text_next_cp's
 * ill-formed sequence) are not. */
bool text_xml_char(int32_t cp);

/* Decode %XX escapes (upper- or lower-case hex) of a URL path. '+' is kept
 * as '+'. Fails with NS_EINVAL on a bad escape, on %00, if the result is
 * not valid UTF-8, or if it holds any control character (C0 including
 * \t \n \r, and DEL: a path has no use for them and they could reach a
 * Location header or a log line). *out is NUL-terminated, owned by the
 * arena, and left untouched on failure. */
int text_url_decode(arena_t *a, const char *s, size_t n, char **out);

/* Decode one name or value of a query string or urlencoded form: %XX
 * escapes, '+' as a space. Unlike a path, a value may hold control
 * characters: a textarea sends line breaks and tabs, and what a reader
 * pasted may bring others, which the handler that reads the field removes
 * (a comment) rather than refuse the whole form. NS_EINVAL on a bad
 * escape, %00 or text that is not well-formed UTF-8. *out
 * (NUL-terminated, *len bytes) is owned by the arena. */
int text_form_decode(arena_t *a, const char *s, size_t n, char **out, size_t *len);

/* A row id written in decimal (strtoll's syntax, the whole string): true
 * with *id set if s is one and is positive. */
bool text_parse_id(const char *s, int64_t *id);

/* Make a URL slug: NFC, lower-case Latin, Arabic letters and digits kept,
 * harakat and tatweel removed, runs of anything else become one '-', no
 * leading/trailing '-', at most max_bytes bytes (cut on a character
 * boundary). Returns "" for input with nothing sluggable. Owned by arena. */
char *text_slugify(arena_t *a, const char *s, size_t max_bytes);

/* At most max_chars code points of s, cut at a word boundary when one is
 * within the last 20 characters, with "…" appended if cut. Runs of
 * whitespace become one space (no leading/trailing space) and invalid bytes
 * become U+FFFD. s may be NULL (gives ""). Owned by arena. */
char *text_excerpt(arena_t *a, const char *s, size_t max_chars);

/* Strip HTML tags and decode the five basic entities: plain text of a
 * rendered fragment, for excerpts and feeds. Owned by arena. */
char *text_strip_tags(arena_t *a, const char *html);

/* True if u is an absolute http:// or https:// URL (scheme in any case)
 * with a host part: something follows the "//" and it is not '/', '?' or
 * '#'. u must be well-formed UTF-8 and no byte of it an ASCII control
 * character, a space or a backslash (browsers drop tabs and line breaks
 * inside URLs, trim spaces around them and read '\' as '/', so each can
 * disguise another scheme or host, or split a header). False for NULL,
 * "", "http:x", "https://", "//host/x" and every other scheme. */
bool text_url_is_http(const char *u);

/* True if u may be written, escaped as usual, into an href or src attribute
 * (an article's image, a link the site shows) without running as script or
 * leaving the schemes a reader expects: a URL text_url_is_http accepts, or
 * a site-relative path: one '/' then anything but a second '/' ("//host/x"
 * is a URL on another host), held to the same bytes (well-formed UTF-8, no
 * control character, space or backslash). False for NULL and "".
 * Everything else is refused: javascript:, data:, vbscript:, relative
 * paths without a leading '/', other schemes. */
bool text_url_is_safe_link(const char *u);

/* Number of code points in valid UTF-8 s. */
size_t text_char_count(const char *s, size_t n);

#endif
