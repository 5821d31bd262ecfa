/*
 * arabic.c - the Arabic analyzer of arabic.h. Letters are handled as
 * code points: utf8proc folds compatibility forms and case (NFKC with
 * case folding), then one table decides, per code point, whether it is
 * deleted, replaced or kept. The stemmer's affixes are tables too, in the
 * order they are tried, so the rules can be read (and compared with
 * Lucene's ArabicStemmer, which the test vectors come from) in one place.
 */
#include "search/arabic.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "core/err.h"
#include "core/text.h"

typedef uint32_t cp_t;

/* ---- normalisation ---- */

/* Ranges deleted: Arabic marks (harakat, Quranic annotation, superscript
 * alef), tatweel, and the zero-width joiners that only shape letters. */
static const struct { cp_t lo, hi; } ar_deleted[] = {
    { 0x0610, 0x061A }, { 0x0640, 0x0640 }, { 0x064B, 0x065F }, { 0x0670, 0x0670 },
    { 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 }, { 0x06E7, 0x06E8 }, { 0x06EA, 0x06ED },
    { 0x200C, 0x200D },
};

/* Letters replaced by the spelling readers may type instead. */
static const struct { cp_t from, to; } ar_replaced[] = {
    { 0x0622, 0x0627 }, /* آ alef with madda */
    { 0x0623, 0x0627 }, /* أ alef with hamza above */
    { 0x0625, 0x0627 }, /* إ alef with hamza below */
    { 0x0671, 0x0627 }, /* ٱ alef wasla */
    { 0x0672, 0x0627 }, /* ٲ alef with wavy hamza above */
    { 0x0673, 0x0627 }, /* ٳ alef with wavy hamza below */
    { 0x0649, 0x064A }, /* ى alef maksura → yeh */
    { 0x0629, 0x0647 }, /* ة teh marbuta → heh */
};

static bool ar_is_deleted(cp_t c)
{
    for (size_t i = 0; i < sizeof ar_deleted / sizeof ar_deleted[0]; i++)
        if (c >= ar_deleted[i].lo && c <= ar_deleted[i].hi)
            return true;
    return false;
}

/* A decimal digit's value: Unicode lays out every decimal digit set as
 * ten consecutive code points from zero, so the value is the distance
 * from the start of its run, modulo ten (some runs hold several sets). */
static cp_t ar_digit(cp_t c)
{
    cp_t start = c;
    while (start > 0 && utf8proc_category((utf8proc_int32_t)(start - 1)) == UTF8PROC_CATEGORY_ND)
        start--;
    return '0' + (c - start) % 10;
}

/* The code point c becomes; 0: deleted. Control characters (NUL among
 * them) become spaces: they separate words, and the result is a C
 * string. */
static cp_t ar_fold(cp_t c)
{
    if (ar_is_deleted(c))
        return 0;
    if (utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_CC)
        return ' ';
    for (size_t i = 0; i < sizeof ar_replaced / sizeof ar_replaced[0]; i++)
        if (c == ar_replaced[i].from)
            return ar_replaced[i].to;
    if (c >= 0x80 && utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ND)
        return ar_digit(c);
    return c;
}

char *ar_normalize(arena_t *a, const char *s, size_t n, size_t *out_len)
{
    if (!text_wellformed_utf8(s, n))
        return NULL;
    utf8proc_uint8_t *nfkc = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &nfkc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                          UTF8PROC_CASEFOLD);
    if (m < 0)
        return NULL;
    char *out = arena_alloc(a, (size_t)m + 1);
    size_t o = 0;
    for (utf8proc_ssize_t i = 0; i < m;) {
        utf8proc_int32_t c;
        i += utf8proc_iterate(nfkc + i, m - i, &c);
        cp_t f = ar_fold((cp_t)c);
        if (f)  /* a replacement never encodes longer than the original */
            o += (size_t)utf8proc_encode_char((utf8proc_int32_t)f, (utf8proc_uint8_t *)out + o);
    }
    free(nfkc);
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return out;
}

/* ---- words ---- */

/* Letters, marks and digits make words; a zero-width joiner stays inside. */
static bool ar_word_char(cp_t c)
{
    switch (utf8proc_category((utf8proc_int32_t)c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return c == 0x200C || c == 0x200D;
    }
}

#define AR_FATHATAN 0x064B
#define AR_ALEF 0x0627

/* Whether the word cps[0..n) ends in a bare alef with fathatan on it or
 * on the letter before it (دًا, داً), marks skipped. */
static bool ar_tanween_alef(const cp_t *cps, size_t n)
{
    bool after = false;
    size_t i = n;
    while (i > 0 && utf8proc_category((utf8proc_int32_t)cps[i - 1]) == UTF8PROC_CATEGORY_MN)
        after |= cps[--i] == AR_FATHATAN;
    if (i == 0 || cps[i - 1] != AR_ALEF)
        return false;
    i--;
    bool before = i > 0 && cps[i - 1] == AR_FATHATAN;
    return after || before;
}

/* Normalise one word (the code points of the original text) and hand it
 * to fn, numbered *pos; a word of marks alone normalises to nothing and
 * takes no number. */
static int ar_emit(arena_t *a, const char *start, const char *end, const cp_t *cps, size_t n,
                   int *pos, int (*fn)(void *, const ar_word *), void *arg)
{
    ar_word w = { .tanween_alef = ar_tanween_alef(cps, n), .pos = *pos };
    w.norm = ar_normalize(a, start, (size_t)(end - start), &w.len);
    if (!w.norm)
        return NS_EINVAL;
    if (!w.len)
        return 0;
    ++*pos;
    return fn(arg, &w);
}

int ar_words(arena_t *a, const char *s, size_t n, int (*fn)(void *arg, const ar_word *w),
             void *arg)
{
    if (!text_wellformed_utf8(s, n))
        return NS_EINVAL;
    cp_t cps[AR_WORD_MAX];
    size_t k = 0;
    const char *start = NULL, *end = NULL;
    int pos = 0, rc = 0;
    for (size_t i = 0; rc == 0 && i <= n;) {
        utf8proc_int32_t c = 0;
        utf8proc_ssize_t len = i < n ? utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                        (utf8proc_ssize_t)(n - i), &c) : 1;
        bool in = i < n && ar_word_char((cp_t)c);
        if (in && !start) {
            start = s + i;
            k = 0;
        }
        if (in && k < AR_WORD_MAX) {
            cps[k++] = (cp_t)c;
            end = s + i + len;
        }
        if (!in && start) {
            rc = ar_emit(a, start, end, cps, k, &pos, fn, arg);
            start = NULL;
        }
        i += (size_t)len;
    }
    return rc;
}

/* ---- light stemming ---- */

/* Affixes as code points, 0-terminated, with the shortest word (in code
 * points) each may be taken from. */
typedef struct ar_affix {
    cp_t cps[4];
    size_t min_len;
} ar_affix;

/* light10's prefixes, at most one removed, the first that matches. */
static const ar_affix ar_prefixes[] = {
    { { 0x0627, 0x0644 }, 4 },          /* ال */
    { { 0x0648, 0x0627, 0x0644 }, 5 },  /* وال */
    { { 0x0628, 0x0627, 0x0644 }, 5 },  /* بال */
    { { 0x0643, 0x0627, 0x0644 }, 5 },  /* كال */
    { { 0x0641, 0x0627, 0x0644 }, 5 },  /* فال */
    { { 0x0644, 0x0644 }, 4 },          /* لل */
    { { 0x0648 }, 4 },                  /* و */
};

/* Suffixes in one pass, each removed if it matches at its turn: first the
 * pronoun suffixes light10 lacks (longest first, so كما goes before كم),
 * then light10's own, in its order. Each leaves at least two letters. */
static const ar_affix ar_suffixes[] = {
    { { 0x0643, 0x0645, 0x0627 }, 5 },  /* كما */
    { { 0x0647, 0x0645, 0x0627 }, 5 },  /* هما */
    { { 0x0647, 0x0645 }, 4 },          /* هم */
    { { 0x0643, 0x0645 }, 4 },          /* كم */
    { { 0x0647, 0x0646 }, 4 },          /* هن */
    { { 0x0646, 0x0627 }, 4 },          /* نا */
    { { 0x0647, 0x0627 }, 4 },          /* ها */
    { { 0x0627, 0x0646 }, 4 },          /* ان */
    { { 0x0627, 0x062A }, 4 },          /* ات */
    { { 0x0648, 0x0646 }, 4 },          /* ون */
    { { 0x064A, 0x0646 }, 4 },          /* ين */
    { { 0x064A, 0x0647 }, 4 },          /* يه */
    { { 0x064A, 0x0629 }, 4 },          /* ية */
    { { 0x0647 }, 3 },                  /* ه */
    { { 0x0629 }, 3 },                  /* ة */
    { { 0x064A }, 3 },                  /* ي */
};

/* Single-letter proclitics: ل ب ك ف. */
static const cp_t ar_proclitics[] = { 0x0644, 0x0628, 0x0643, 0x0641 };

static size_t ar_affix_len(const ar_affix *x)
{
    size_t k = 0;
    while (k < 4 && x->cps[k])
        k++;
    return k;
}

static bool ar_starts(const cp_t *w, size_t n, const ar_affix *x)
{
    size_t k = ar_affix_len(x);
    return n >= x->min_len && memcmp(w, x->cps, k * sizeof *w) == 0;
}

static bool ar_ends(const cp_t *w, size_t n, const ar_affix *x)
{
    size_t k = ar_affix_len(x);
    return n >= x->min_len && memcmp(w + n - k, x->cps, k * sizeof *w) == 0;
}

/* Decode a normalised word into cps (at most AR_WORD_MAX + slack);
 * false if it holds anything but Arabic letters. */
static bool ar_decode_arabic(const ar_word *w, cp_t *cps, size_t cap, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < w->len;) {
        utf8proc_int32_t c;
        i += (size_t)utf8proc_iterate((const utf8proc_uint8_t *)w->norm + i,
                                      (utf8proc_ssize_t)(w->len - i), &c);
        if (c < 0x0600 || c > 0x06FF || *n == cap)
            return false;
        cps[(*n)++] = (cp_t)c;
    }
    return true;
}

static const char *ar_encode(arena_t *a, const cp_t *cps, size_t n)
{
    char *out = arena_alloc(a, n * 4 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        o += (size_t)utf8proc_encode_char((utf8proc_int32_t)cps[i], (utf8proc_uint8_t *)out + o);
    out[o] = '\0';
    return out;
}

/* Stem cps[*start..*start+*n) in place: the prefix (unless `bare`), the
 * tanween alef, then the suffix pass. Returns whether a prefix went. */
static bool ar_stem_cps(const cp_t *cps, size_t *start, size_t *n, bool tanween, bool bare)
{
    bool prefixed = false;
    for (size_t i = 0; !bare && i < sizeof ar_prefixes / sizeof ar_prefixes[0]; i++)
        if (ar_starts(cps + *start, *n, &ar_prefixes[i])) {
            size_t k = ar_affix_len(&ar_prefixes[i]);
            *start += k;
            *n -= k;
            prefixed = true;
            break;
        }
    if (tanween && *n >= 4 && cps[*start + *n - 1] == AR_ALEF)
        (*n)--;
    for (size_t i = 0; i < sizeof ar_suffixes / sizeof ar_suffixes[0]; i++)
        if (ar_ends(cps + *start, *n, &ar_suffixes[i]))
            *n -= ar_affix_len(&ar_suffixes[i]);
    return prefixed;
}

const char *ar_stem(arena_t *a, const ar_word *w)
{
    cp_t cps[AR_WORD_MAX * 2];
    size_t n, start = 0;
    if (!ar_decode_arabic(w, cps, sizeof cps / sizeof cps[0], &n))
        return arena_strndup(a, w->norm, w->len);
    ar_stem_cps(cps, &start, &n, w->tanween_alef, false);
    return ar_encode(a, cps + start, n);
}

const char *ar_stem_proclitic(arena_t *a, const ar_word *w)
{
    cp_t cps[AR_WORD_MAX * 2];
    size_t n, start = 0;
    if (!ar_decode_arabic(w, cps, sizeof cps / sizeof cps[0], &n) || n < 4)
        return NULL;
    size_t s2 = 0, n2 = n;
    if (ar_stem_cps(cps, &s2, &n2, w->tanween_alef, false))
        return NULL; /* light10 took a prefix: the word is not a proclitic's */
    bool proclitic = false;
    for (size_t i = 0; i < sizeof ar_proclitics / sizeof ar_proclitics[0]; i++)
        proclitic |= cps[0] == ar_proclitics[i];
    if (!proclitic)
        return NULL;
    start = 1;
    n--;
    ar_stem_cps(cps, &start, &n, w->tanween_alef, false);
    return ar_encode(a, cps + start, n);
}
