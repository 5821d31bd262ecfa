/*
 * html.h - HTML from outside (an imported site's article bodies) made
 * safe to inline in a page: parsed by libxml2's HTML parser, the way a
 * browser would recover it, and written out again with only the elements,
 * attributes and URL schemes that render/markdown.h can produce (one
 * allowlist for both), plus figures with their captions.
 */
#ifndef NS_RENDER_HTML_H
#define NS_RENDER_HTML_H

#include <stddef.h>
#include "core/arena.h"

/* Sanitise html[0..n) into *out (owned by arena): allowlisted elements
 * kept with their allowlisted attributes (a href with rel="nofollow
 * noopener" when absolute, img src/alt/width/height with
 * loading="lazy", ol start), other elements replaced by their content
 * (script, style, iframe, object, template and the like dropped with
 * their content), comments dropped, every text escaped, control
 * characters other than \t \n \r dropped; top-level text and inline
 * elements gathered into paragraphs, paragraphs that show nothing left
 * out; one block element a line. The result sanitised again is the same.
 * NS_EINVAL if html is not well-formed UTF-8, NS_ETOOBIG above 8 MiB;
 * *out untouched on error. Safe from several threads at once. */
int html_sanitize(arena_t *a, const char *html, size_t n, char **out);

#endif
