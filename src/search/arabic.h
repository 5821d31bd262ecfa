/*
 * arabic.h - the Arabic text analyzer: what search indexes and queries are
 * made of, and what the comment blocklist compares. Three steps, each
 * usable alone:
 *
 * 1. Normalisation (ar_normalize): Unicode compatibility forms folded
 *    (presentation forms to base letters, as NFKC), case folded; harakat
 *    (U+064B..U+0652), superscript alef (U+0670) and tatweel (U+0640)
 *    removed; أ إ آ ٱ → ا, ؤ ئ → ء, ى → ي, ة → ه; every decimal digit → ASCII;
 *    control characters (NUL, line breaks) → spaces.
 *    Readers type the same word in all these spellings.
 *    A word's final نج, a foreign "ng", is compared as نغ (بوينج, بوينغ).
 * 2. Words (ar_words): runs of letters, marks and digits; combining marks
 *    stay inside the word they belong to (a vocalised word is one word),
 *    anything else separates. A word longer than AR_WORD_MAX code points
 *    is cut there.
 * 3. Light stemming (ar_stem): Larkey's light10 (the prefixes ال وال بال
 *    كال فال لل و, at most one; then the suffixes ها ان ات ون ين يه ية ه ة
 *    ي in one pass), plus what light10 lacks: the pronoun suffixes هم كم
 *    هن نا كما هما, and a final tanween alef. Where a word can be read
 *    two ways, ar_stem keeps light10's reading and the other is offered
 *    for an index to place beside it: other proclitics (ar_stem_proclitic:
 *    ل ب ك ف, which ar_stem leaves, as كبير would lose its ك; a و that
 *    begins the word itself, as in وزارة; several at once, as in وبالجيش)
 *    and endings light10 leaves (ar_stem_endings: an alef, a construct
 *    plural's و, a word's end spelled otherwise before a pronoun).
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
    size_t start, end;  /* its bytes in the text given to ar_words */
    /* The word as a reader who leaves hamza out writes it, normalised
     * likewise: its seat alone for a hamza on و or ي (مؤتمر → موتمر,
     * لاجئ → لاجي), nothing for one on the line (ميناء → مينا); NULL
     * when the word has no such hamza. */
    const char *bare;
    size_t bare_len;
} ar_word;

/* Call fn for each word of s[0..n) in order; stop at fn's non-zero
 * return and return it. NS_EINVAL if s is not well-formed UTF-8. */
int ar_words(arena_t *a, const char *s, size_t n, int (*fn)(void *arg, const ar_word *w),
             void *arg);

/* The light stem of a normalised word w (as ar_words gives it), on arena
 * a. A word that is not Arabic comes back as it is. */
const char *ar_stem(arena_t *a, const ar_word *w);

/* The stem of w read with other proclitics than light10's, or NULL when
 * that reading is ar_stem's or w itself. The proclitics are a conjunction
 * و ف, then a preposition ب ك ل, then the article (ال, or لل after ل),
 * as many as leave enough letters (three; two after the article; four
 * after a conjunction and a preposition), all taken (بوزارة → وزار,
 * وبالجيش → جيش, لفيلق → فيلق); but where light10 took a lone و the
 * other reading keeps it (وزارة → وزار, as الوزارة), and where it took
 * لل the other takes only ل (للاعبين → لاعب, as اللاعبين). No further
 * prefix is taken; the endings are read as ar_stem_endings reads them. */
const char *ar_stem_proclitic(arena_t *a, const ar_word *w);

/* The stem of w with the endings light10 leaves read too, or NULL when
 * that is ar_stem's or w itself: a final alef whether or not tanween was
 * written on it (جديدا → جديد; روسيا → روس, as الروسي); the و of a plural
 * in construct (متطوعو → متطوع); before a pronoun suffix, a teh marbuta
 * written ت (حكومتهم → حكوم, as الحكومة). */
const char *ar_stem_endings(arena_t *a, const ar_word *w);

/* The stem of w spelled without its hamza (w->bare), or NULL when w has
 * none or that stem is ar_stem's: what a reader who leaves hamza out
 * types matches the word written with it, and the other way round. */
const char *ar_stem_bare(arena_t *a, const ar_word *w);

/* The stem of the singular of w when w (with its proclitics and suffixes
 * taken off as ar_stem or ar_stem_proclitic takes them) is one of the
 * broken plurals common in news that plurals.c lists (الجنود → جند, as
 * جندي; أسعارها → سعر); else NULL. Thread-safe; the list's stems are made
 * at the first call. */
const char *ar_stem_singular(arena_t *a, const ar_word *w);

#endif
