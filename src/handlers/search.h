/*
 * search.h - a reader's search, from the text typed to the results a page
 * or the command line shows (search.c): parsed (search/query.h), every
 * word required, and when that finds nothing, any word (said so); a
 * spelling from the index's own vocabulary offered for a word that
 * matches nothing; snippets of each result's text with the matched words
 * marked. The /search page (search.c) and `nashra search` both use it.
 */
#ifndef NS_HANDLERS_SEARCH_H
#define NS_HANDLERS_SEARCH_H

#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "search/query.h"
#include "store/store.h"

#define SEARCH_PER_PAGE 10

typedef struct search_outcome {
    query_t query;              /* as parsed; query.n == 0: nothing to search */
    const char *canonical;      /* query_canonical */
    bool any;                   /* no article has every word: these have some */
    store_search_result found;  /* found.total 0: nothing */
    /* the query with each word that is in no article replaced by the
     * indexed word nearest in spelling; NULL when there is none */
    const char *suggestion;
} search_outcome;

/* Search for text[0..n) (page 1, 2…, SEARCH_PER_PAGE results each) as of
 * `now`, on arena a. NS_EINVAL if the text is not well-formed UTF-8; else
 * the store's error or 0 (an empty or unmatched query is 0 too). */
int search_run(store_t *s, arena_t *a, const char *text, size_t n, int64_t now, int page,
               search_outcome *out);

/* A snippet of text around the words q matches: at most max_chars
 * characters of it, HTML-escaped, the matched words in <mark>; the start
 * of the text when nothing matches. On arena a. */
const char *search_snippet(arena_t *a, const query_t *q, const char *text, size_t max_chars);

/* The words at one edit (a deletion, a transposition, a substitution or
 * an insertion of one letter) from the normalised word w: the letters
 * Arabic keeps after normalisation for an Arabic word, a-z and 0-9 for
 * another. At most max, deletions first, then transpositions,
 * substitutions, insertions; into *out (on arena a), their number
 * returned. None for a word of fewer than two letters, more than
 * AR_WORD_MAX, or only digits. What a suggestion is chosen among. */
size_t search_edits(arena_t *a, const char *w, size_t max, const char *const **out);

#endif
