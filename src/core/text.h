/*
 * text.h - UTF-8 text helpers built on utf8proc: validation, URL path
 * decoding and encoding, slugs, and length-bounded excerpts. These work on
 * bytes coming from outside, so every function validates before trusting.
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

/* Decode %XX escapes (upper- or lower-case hex) of a URL path. '+' is kept
 * as '+'. Fails with NS_EINVAL on a bad escape, on %00, if the result is
 * not valid UTF-8, or if it holds any control character (C0 including
 * \t \n \r, and DEL: a path has no use for them and they could reach a
 * Location header or a log line). *out is NUL-terminated, owned by the
 * arena, and left untouched on failure. */
int text_url_decode(arena_t *a, const char *s, size_t n, char **out);

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

/* Number of code points in valid UTF-8 s. */
size_t text_char_count(const char *s, size_t n);

#endif
