/*
 * query.h - what a reader typed into the search box, as the terms the
 * index holds (terms.h). The text is split into groups: each word, and
 * each phrase in ASCII "…" or curly “…” quotes (an unbalanced quote runs
 * to the end). Everything that is not a letter, mark or digit separates
 * words, so no character of the query is syntax to the backend (FTS5's *
 * ( ) : ^ NEAR, tsquery's & | ! <->): a store turns a query_t into its
 * own syntax from the terms alone.
 *
 * A group matches a document where any of its alternatives does:
 *  - a word: its stem, its surface form, the stems of its other readings
 *    (arabic.h: ar_stem_endings, ar_stem_proclitic), each an alternative
 *    of one term, none repeated;
 *  - a phrase: its words' stems in sequence, and their surface forms in
 *    sequence (which ranks exact wording higher).
 * A search requires every group (AND) or any (OR, the fallback).
 */
#ifndef NS_SEARCH_QUERY_H
#define NS_SEARCH_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

#define QUERY_MAX_GROUPS 10   /* groups beyond are dropped (truncated) */
#define QUERY_MAX_PHRASE 8    /* words of a phrase beyond are dropped */
#define QUERY_MAX_BYTES 512   /* text beyond is not read, groups that would make
                                 * the canonical text longer are dropped (truncated) */

/* One alternative: n terms, in sequence when n > 1. */
typedef struct query_alt {
    const char **terms;
    size_t n;
} query_alt;

typedef struct query_group {
    const char *text;     /* the words normalised, space-separated: what the
                           * group is compared and spelled by */
    const char *typed;    /* the same words as the reader typed them (hamza,
                           * harakat and all), space-separated: what is shown */
    bool phrase;          /* came in quotes */
    query_alt *alts;      /* alts[0]: the stems */
    size_t nalts;
} query_group;

typedef struct query_t {
    query_group *groups;
    size_t n;             /* 0: nothing to search for */
    bool truncated;       /* words, phrase words or text were dropped */
} query_t;

/* Parse s[0..n) into *out on arena a (a group the query already holds
 * is not repeated). NS_EINVAL if s is not well-formed UTF-8; else 0, with
 * out->n == 0 when s holds no word. */
int query_parse(arena_t *a, const char *s, size_t n, query_t *out);

/* The canonical text of q: its groups' typed words joined by single
 * spaces, phrases in ASCII quotes, punctuation and repeated groups gone;
 * "" for an empty query. Parsing it gives the same query and the same
 * canonical text again. It keeps the reader's spelling (a page shows it),
 * so two spellings of one search have two canonical texts. On arena a. */
const char *query_canonical(arena_t *a, const query_t *q);

/* Whether a term of a document is one of q's terms (any group, any
 * alternative): what a snippet highlights. */
bool query_has_term(const query_t *q, const char *term, size_t len);

#endif
