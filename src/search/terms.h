/*
 * terms.h - what the search index holds for a text: for every word, at
 * the word's position, its light stem (arabic.h), and beside it (the
 * same position, "colocated") its normalised surface form when that
 * differs, and the stems of its other readings when there are (other
 * proclitics, endings light10 leaves, a broken plural's singular, the
 * word spelled without its hamza: ar_stem_proclitic, ar_stem_endings,
 * ar_stem_singular, ar_stem_bare).
 * A query for any spelling of a word finds the stem; a phrase or a
 * name the stemmer would shorten still finds its exact form. Both
 * backends index exactly these terms (SQLite through an FTS5 tokenizer,
 * PostgreSQL as a tsvector), so they match the same documents.
 */
#ifndef NS_SEARCH_TERMS_H
#define NS_SEARCH_TERMS_H

#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

/* Version of what terms_each makes: a store whose index was built by
 * another version rebuilds it (store_reindex). Bump on any change of the
 * analyzer's output. */
#define TERMS_VERSION 4

typedef struct terms_term {
    const char *text;   /* on the arena, NUL-terminated */
    size_t len;
    int pos;            /* first word: pos0 given to terms_each */
    bool colocated;     /* at the same position as the term before */
    size_t start, end;  /* the word's bytes in the text */
    bool stopword;      /* the word is a function word (terms_is_stopword) */
} terms_term;

/* Call fn for each term of s[0..n), words numbered from pos0; stop at
 * fn's non-zero return and return it. NS_EINVAL if s is not well-formed
 * UTF-8. Everything is allocated on a. */
int terms_each(arena_t *a, const char *s, size_t n, int pos0,
               int (*fn)(void *arg, const terms_term *t), void *arg);

/* What terms_each_cached remembers of the words it analysed (a few MiB):
 * one per thread that indexes (a connection's tokenizer), as it is not
 * locked. terms_cache_new aborts if memory runs out. */
typedef struct terms_cache terms_cache;
terms_cache *terms_cache_new(void);
void terms_cache_free(terms_cache *c);   /* NULL ok */

/* terms_each, remembering each word's terms in c (NULL: terms_each): the
 * same terms, but with c a term's text is valid during fn's call only. */
int terms_each_cached(terms_cache *c, arena_t *a, const char *s, size_t n, int pos0,
                      int (*fn)(void *arg, const terms_term *t), void *arg);

/* The text an article's body is indexed as: the HTML the writer
 * rendered, without its tags, or else its source: as it is when Markdown,
 * without its tags when md_is_html (an imported body). Either may be
 * NULL. On arena a; "" when both are NULL. */
const char *terms_body_text(arena_t *a, const char *body_html, const char *body_md, bool md_is_html);

/* Whether a normalised word is a function word (في، من، على، التي…)
 * that says nothing about what a text is about: related articles are not
 * chosen by it. */
bool terms_is_stopword(const char *term, size_t len);

#endif
