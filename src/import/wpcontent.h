/*
 * wpcontent.h - a WordPress post body (WXR content:encoded) turned into
 * the HTML a WordPress theme would have shown, before sanitising: what
 * WordPress adds at display time (paragraphs from blank lines, shortcodes)
 * done here, what only its editor reads (block comments) removed.
 */
#ifndef NS_IMPORT_WPCONTENT_H
#define NS_IMPORT_WPCONTENT_H

#include <stddef.h>
#include "core/arena.h"

/* content[0..n) as display HTML, owned by arena: block-editor comments
 * (<!-- wp:… -->, <!-- /wp:… -->) removed; [caption …]<img…> text[/caption]
 * → <figure><img…><figcaption>text</figcaption></figure>; [embed]URL[/embed],
 * [video src=URL …], [audio src=URL …] and a bare media URL on a line of its
 * own → a link to it; [gallery …] and other shortcodes' tags removed, their
 * inner text kept; paragraphs made from blank lines and line breaks from
 * single newlines outside block elements (WordPress's wpautop). Shortcode
 * syntax escaped as [[name]] is kept literally. Never fails; the result is
 * not safe until html_sanitize (render/html.h). */
char *wp_content_html(arena_t *a, const char *content, size_t n);

/* The first YouTube or Vimeo address in content (an [embed], a [video] or a
 * bare URL on its own line), as found but with "&amp;" read as "&", owned
 * by arena; NULL if none: an imported article's video_url. */
const char *wp_content_video(arena_t *a, const char *content, size_t n);

#endif
