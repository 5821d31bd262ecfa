/* plurals.h — the lexicon of Arabic broken plurals (private to search).
 *
 * Broken plurals common in news, each with its singular, spelled as
 * readers type them. arabic.c reads it to give ar_stem_singular; tests
 * read it to check every entry. */
#ifndef NASHRA_SEARCH_PLURALS_H
#define NASHRA_SEARCH_PLURALS_H

#include <stddef.h>

typedef struct ar_plural {
    const char *plural, *singular;  /* UTF-8, static */
} ar_plural;

/* The number of entries in the lexicon. */
size_t ar_plural_count(void);

/* Entry i (i < ar_plural_count()), static, in the lexicon's own order. */
const ar_plural *ar_plural_at(size_t i);

#endif
