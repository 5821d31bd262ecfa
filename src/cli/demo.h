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

/* The seed article exactly as scraped (demo_seed.c): demo_seed_len bytes,
 * NUL-terminated, static. */
extern const char demo_seed_text[];
extern const size_t demo_seed_len;

/* Parse scraped article text of the seed's shape: headline (a trailing
 * " (شاهد)" marks a video and is removed: *has_video set), a lead line whose
 * "SOURCE – " prefix becomes out->source, then body lines up to the first
 * known page-furniture line, turned into Markdown (short unpunctuated lines
 * become "## " headings, special characters escaped). Sets title, source,
 * lead and body_md of out (other fields untouched), strings on arena a.
 * NS_EINVAL if text is not valid UTF-8 or has no headline. */
int demo_parse_seed(arena_t *a, const char *text, size_t len, store_article *out,
                    int *has_video);

/* line escaped so that CommonMark renders it as the same literal text
 * (backslash before special characters, list/heading markers neutralised
 * at the start, leading blanks dropped). Owned by arena a. */
char *demo_md_escape(arena_t *a, const char *line, size_t n);

#endif
