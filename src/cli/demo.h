/*
 * demo.h - the demo site: a complete, current-looking Arabic news site
 * (settings, authors, categories, tags, a few hundred articles, a real
 * seed article with a threaded discussion, static pages, redirects) so that
 * `nashra init DIR --demo` gives something to browse, benchmark and test
 * against. Content is fully deterministic; only the dates move with `now`.
 */
#ifndef NS_CLI_DEMO_H
#define NS_CLI_DEMO_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "store/store.h"

/* Fill an empty store with the demo content, all in one transaction, dates
 * relative to now (Unix seconds), then rebuild its search index and
 * related articles (store_reindex). Same now → same content. Returns 0 or
 * an NS_E* code (NS_EEXIST if the store already holds demo rows); when the
 * content fails nothing is written. Not inside a transaction. */
int demo_populate(store_t *s, int64_t now);
/* The same, with featured images (demo_images) written under dir/uploads
 * and shared among the articles; dir NULL: none, as demo_populate. */
int demo_populate_site(store_t *s, const char *dir, int64_t now);

/* Make n abstract pictures, add each to the media library of the site in
 * dir (media/library.h, as an upload is) with its variants, and fill
 * out[0..n) with their rows (strings on a). 0 or the library's code;
 * NS_EINTERNAL if libvips fails. Deterministic but for the dates. */
int demo_images(store_t *s, arena_t *a, const char *dir, int64_t now, store_media *out, size_t n);

/* The seed article exactly as scraped (demo_seed.c): demo_seed_len bytes,
 * NUL-terminated, static. */
extern const char demo_seed_text[];
extern const size_t demo_seed_len;

/* import_text_parse (import/text.h) of text, with *has_video set to
 * out->video: how the seed article is read. */
int demo_parse_seed(arena_t *a, const char *text, size_t len, store_article *out,
                    int *has_video);

/* import_text_md_escape (import/text.h). */
char *demo_md_escape(arena_t *a, const char *line, size_t n);

#endif
