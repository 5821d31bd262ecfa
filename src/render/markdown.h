/*
 * markdown.h - article and page bodies: CommonMark (cmark) to HTML, then
 * sanitised to an allowlist of elements and attributes, so that body text
 * from editors or imports can never inject script, styles or event handlers.
 */
#ifndef NS_RENDER_MARKDOWN_H
#define NS_RENDER_MARKDOWN_H

#include <stddef.h>
#include "core/arena.h"

/* Render md[0..n) to sanitised HTML, *out owned by arena. Links keep only
 * http, https, mailto and relative URLs; raw HTML blocks are dropped except
 * allowlisted inline tags; images get loading="lazy". NS_EINVAL if md is not
 * valid UTF-8, NS_ETOOBIG if n exceeds 8 MiB; *out is untouched on error. */
int markdown_render(arena_t *a, const char *md, size_t n, char **out);

#endif
