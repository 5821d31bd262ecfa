/*
 * arabic.h - the Arabic text analyzer: what search indexes and queries are
 * made of, and what the comment blocklist compares. Three steps, each
 * usable alone:
 *
 * 1. Normalisation (ar_normalize): Unicode compatibility forms folded
 *    (presentation forms to base letters, as NFKC), case folded; harakat
 *    (U+064B..U+0652), superscript alef (U+0670) and tatweel (U+0640)
 *    removed; أ إ آ ٱ → ا, ى → ي, ة → ه; every decimal digit → ASCII;
 *    control characters (NUL, line breaks) → spaces.
 *    Readers type the same word in all these spellings.
 * 2. Words (ar_words): runs of letters, marks and digits; combining marks
 *    stay inside the word they belong to (a vocalised word is one word),
 *    anything else separates. A word longer than AR_WORD_MAX code points
 *    is cut there.
 * 3. Light stemming (ar_stem): Larkey's light10 (the prefixes ال وال بال
 *    كال فال لل و, at most one; then the suffixes ها ان ات ون ين يه ية ه ة
 *    ي in one pass), plus what light10 lacks: the pronoun suffixes هم كم
 *    هن نا كما هما, and a final tanween alef. A single-letter proclitic
 *    ل ب ك ف is not stripped by ar_stem (كبير would lose its ك); it is
 *    offered as a second stem (ar_stem_proclitic) for an index to place
 *    beside the first.
 *
 * All text is UTF-8; results are on the caller's arena.
 */
#ifndef NS_SEARCH_ARABIC_H
#define NS_SEARCH_ARABIC_H

#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

#define AR_WORD_MAX 64  /* code points of a word; longer ones are cut */

/* The normalised form of s[0..n) on arena a (NUL-terminated; *out_len
 * its length if not NULL). NULL if s is not well-formed UTF-8. */
char *ar_normalize(arena_t *a, const char *s, size_t n, size_t *out_len);

/* One word of a text: its normalised form, and whether the original
 * ended with tanween (fathatan) around a final alef, which ar_stem then
 * removes with the alef (مجنّدًا → مجند). */
typedef struct ar_word {
    const char *norm;   /* on the arena */
    size_t len;
    bool tanween_alef;
    int pos;            /* 0, 1, 2 ... */
} ar_word;

/* Call fn for each word of s[0..n) in order; stop at fn's non-zero
 * return and return it. NS_EINVAL if s is not well-formed UTF-8. */
int ar_words(arena_t *a, const char *s, size_t n, int (*fn)(void *arg, const ar_word *w),
             void *arg);

/* The light stem of a normalised word w (as ar_words gives it), on arena
 * a. A word that is not Arabic comes back as it is. */
const char *ar_stem(arena_t *a, const ar_word *w);

/* The stem of w without a leading single-letter proclitic ل ب ك ف, when
 * ar_stem removed no prefix and at least three letters follow it; else
 * NULL. */
const char *ar_stem_proclitic(arena_t *a, const ar_word *w);

#endif
