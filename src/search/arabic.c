/*
 * arabic.c - the Arabic analyzer of arabic.h. Letters are handled as
 * code points: utf8proc folds compatibility forms and case (NFKC with
 * case folding), then one table decides, per code point, whether it is
 * deleted, replaced or kept. The stemmer's affixes are tables too, in the
 * order they are tried, so the rules can be read (and compared with
 * Lucene's ArabicStemmer, which the test vectors come from) in one place.
 */
#include "search/arabic.h"

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "core/err.h"
#include "core/text.h"
#include "search/plurals.h"

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
    { 0x0624, 0x0621 }, /* ؤ hamza on waw → hamza: its seat follows the */
    { 0x0626, 0x0621 }, /* ئ hamza on yeh → hamza   vowel (أبناؤهم, أبنائهم, أبناءهم; مسؤول, مسئول) */
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

/* Whether s[0..n) holds only ASCII and the basic Arabic letters, harakat
 * and Arabic-Indic digits (U+0621..U+0652, U+0660..U+0669): code points
 * NFKC and case folding leave as they are (ASCII capitals aside), and no
 * two of which compose. Most words of Arabic news are such, and skip
 * utf8proc's mapping. */
static bool ar_plain(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80)
            continue;
        if ((b != 0xD8 && b != 0xD9) || i + 1 == n || ((unsigned char)s[i + 1] & 0xC0) != 0x80)
            return false;
        cp_t c = ((cp_t)(b & 0x1F) << 6) | ((unsigned char)s[++i] & 0x3F);
        if (!((c >= 0x0621 && c <= 0x0652) || (c >= 0x0660 && c <= 0x0669)))
            return false;
    }
    return true;
}

/* ar_normalize of a plain text (ar_plain): the fold alone. */
static char *ar_normalize_plain(arena_t *a, const char *s, size_t n, size_t *out_len)
{
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        int32_t c;
        i += text_next_cp(s + i, n - i, &c);
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        cp_t f = ar_fold((cp_t)c);
        if (f)
            o += (size_t)utf8proc_encode_char((utf8proc_int32_t)f, (utf8proc_uint8_t *)out + o);
    }
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return out;
}

char *ar_normalize(arena_t *a, const char *s, size_t n, size_t *out_len)
{
    if (!text_wellformed_utf8(s, n))
        return NULL;
    if (ar_plain(s, n))
        return ar_normalize_plain(a, s, n, out_len);
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

/* Keep in the normalised word norm[0..*len) only what a word is made of,
 * at most AR_WORD_MAX code points: a compatibility form may stand for
 * several words or for punctuation (ﷺ, ⑴), and a word must come out of
 * ar_words the same when its normalised form is read again. In place. */
static void ar_word_only(char *norm, size_t *len)
{
    size_t o = 0, k = 0;
    for (size_t i = 0; i < *len && k < AR_WORD_MAX;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)norm + i,
                                              (utf8proc_ssize_t)(*len - i), &c);
        if (ar_word_char((cp_t)c)) {
            memmove(norm + o, norm + i, (size_t)l);
            o += (size_t)l;
            k++;
        }
        i += (size_t)l;
    }
    norm[o] = '\0';
    *len = o;
}

/* A foreign name's final "ng" is written نغ or نج (بوينغ, بوينج;
 * سامسونغ, سامسونج; هونغ كونغ): words are compared with نغ. No Arabic
 * word of the news ends in نغ, and the few ending in نج are themselves
 * borrowed (شطرنج), so the fold confuses nothing. */
static void ar_fold_ng(char *w, size_t len)
{
    static const char nj[] = "\xD9\x86\xD8\xAC", ng[] = "\xD9\x86\xD8\xBA";
    if (len >= 6 && memcmp(w + len - 4, nj, 4) == 0)
        memcpy(w + len - 4, ng, 4);
}

/* The hamzas readers leave out, and what they write instead (0: nothing). */
static const struct { cp_t hamza, seat; } ar_unhamzated[] = {
    { 0x0621, 0 },      /* ء on the line */
    { 0x0624, 0x0648 }, /* ؤ → و */
    { 0x0626, 0x064A }, /* ئ → ي */
};

/* w's spelling without hamza (ar_word.bare), from its original code
 * points cps[0..n): each hamza replaced by its seat or dropped, then
 * normalised like the word. NULL if none of them is there. */
static const char *ar_bare(arena_t *a, const cp_t *cps, size_t n, size_t *len)
{
    char *out = arena_alloc(a, n * 4 + 1);
    size_t o = 0;
    bool hamza = false;
    for (size_t i = 0; i < n; i++) {
        cp_t c = cps[i];
        for (size_t k = 0; k < sizeof ar_unhamzated / sizeof ar_unhamzated[0]; k++)
            if (c == ar_unhamzated[k].hamza) {
                c = ar_unhamzated[k].seat;
                hamza = true;
                break;
            }
        if (c)
            o += (size_t)utf8proc_encode_char((utf8proc_int32_t)c, (utf8proc_uint8_t *)out + o);
    }
    if (!hamza)
        return NULL;
    char *bare = ar_normalize(a, out, o, len);
    if (bare) {
        ar_word_only(bare, len);
        ar_fold_ng(bare, *len);
    }
    return bare;
}

/* Normalise one word (the code points of the original text) and hand it
 * to fn, numbered *pos; a word of marks alone normalises to nothing and
 * takes no number. */
static int ar_emit(arena_t *a, const char *s, const char *start, const char *end, const cp_t *cps,
                   size_t n, int *pos, int (*fn)(void *, const ar_word *), void *arg)
{
    ar_word w = { .tanween_alef = ar_tanween_alef(cps, n), .pos = *pos,
                  .start = (size_t)(start - s), .end = (size_t)(end - s) };
    w.norm = ar_normalize(a, start, (size_t)(end - start), &w.len);
    if (!w.norm)
        return NS_EINVAL;
    ar_word_only((char *)w.norm, &w.len);
    if (!w.len)
        return 0;
    ar_fold_ng((char *)w.norm, w.len);
    w.bare = ar_bare(a, cps, n, &w.bare_len);
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
            rc = ar_emit(a, s, start, end, cps, k, &pos, fn, arg);
            start = NULL;
        }
        i += (size_t)len;
    }
    return rc;
}

/* ---- light stemming ---- */

/* Affixes as code points, 0-terminated, with the shortest word (in code
 * points) each may be taken from; `pronoun`: an attached pronoun, after
 * which a word's ending is spelled otherwise (ar_pronoun_base). */
typedef struct ar_affix {
    cp_t cps[4];
    size_t min_len;
    bool pronoun;
} ar_affix;

/* light10's prefixes, at most one removed, the first that matches. */
static const ar_affix ar_prefixes[] = {
    { { 0x0627, 0x0644 }, 4, false },          /* ال */
    { { 0x0648, 0x0627, 0x0644 }, 5, false },  /* وال */
    { { 0x0628, 0x0627, 0x0644 }, 5, false },  /* بال */
    { { 0x0643, 0x0627, 0x0644 }, 5, false },  /* كال */
    { { 0x0641, 0x0627, 0x0644 }, 5, false },  /* فال */
    { { 0x0644, 0x0644 }, 4, false },          /* لل */
    { { 0x0648 }, 4, false },                  /* و */
};

/* Suffixes in one pass, each removed if it matches at its turn: first the
 * pronoun suffixes light10 lacks (longest first, so كما goes before كم),
 * then light10's own, in its order. Each leaves at least two letters. */
static const ar_affix ar_suffixes[] = {
    { { 0x0643, 0x0645, 0x0627 }, 5, true },   /* كما */
    { { 0x0647, 0x0645, 0x0627 }, 5, true },   /* هما */
    { { 0x0647, 0x0645 }, 4, true },           /* هم */
    { { 0x0643, 0x0645 }, 4, true },           /* كم */
    { { 0x0647, 0x0646 }, 4, true },           /* هن */
    { { 0x0646, 0x0627 }, 4, true },           /* نا */
    { { 0x0647, 0x0627 }, 4, true },           /* ها */
    { { 0x0627, 0x0646 }, 4, false },          /* ان */
    { { 0x0627, 0x062A }, 4, false },          /* ات */
    { { 0x0648, 0x0646 }, 4, false },          /* ون */
    { { 0x064A, 0x0646 }, 4, false },          /* ين */
    { { 0x064A, 0x0647 }, 4, false },          /* يه */
    { { 0x064A, 0x0629 }, 4, false },          /* ية */
    { { 0x0647 }, 3, true },                   /* ه (his; also ة normalised) */
    { { 0x0629 }, 3, false },                  /* ة */
    { { 0x064A }, 3, false },                  /* ي */
};

#define AR_TEH 0x062A
#define AR_HEH 0x0647
#define AR_LAM 0x0644
#define AR_WAW 0x0648
#define AR_FEH 0x0641

static bool ar_is_any(cp_t c, const cp_t *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c == set[i])
            return true;
    return false;
}

/* Single-letter proclitics: the conjunctions و ف, the prepositions ل ب ك. */
static const cp_t ar_conjunctions[] = { AR_WAW, AR_FEH };
static const cp_t ar_prepositions[] = { AR_LAM, 0x0628, 0x0643 };

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

/* How a stem is taken: light10's prefix or none (`bare`); a final alef
 * removed because tanween was written on it; and `endings`, the endings
 * light10 leaves that readers spell otherwise: a final alef whatever was
 * written (tanween left unwritten: جديدا; a name beside its adjective:
 * روسيا, الروسي), the و of a plural in construct (متطوعو الهلال), and
 * the spelling of a word's end before a pronoun (ar_pronoun_base). */
typedef struct ar_how {
    bool bare, tanween, endings;
} ar_how;

/* A word's end as spelled without the pronoun just taken off w[0..*n):
 * teh marbuta, written ت before a pronoun (حكومتهم), is ة again (ه once
 * normalised), for the pass to take off at its turn, or taken off here
 * when that turn is past (not after alef: that ت is the plural's ات). */
static void ar_pronoun_base(cp_t *w, size_t *n, bool heh_to_come)
{
    if (w[*n - 1] != AR_TEH || *n < 4 || w[*n - 2] == AR_ALEF)
        return;
    if (heh_to_come)
        w[*n - 1] = AR_HEH;
    else
        (*n)--;
}

/* Stem cps[*start..*start+*n) in place. Returns whether a prefix went. */
static bool ar_stem_cps(cp_t *cps, size_t *start, size_t *n, const ar_how *how)
{
    bool prefixed = false;
    for (size_t i = 0; !how->bare && i < sizeof ar_prefixes / sizeof ar_prefixes[0]; i++)
        if (ar_starts(cps + *start, *n, &ar_prefixes[i])) {
            size_t k = ar_affix_len(&ar_prefixes[i]);
            *start += k;
            *n -= k;
            prefixed = true;
            break;
        }
    cp_t *w = cps + *start;
    if ((how->tanween || how->endings) && *n >= 4 && w[*n - 1] == AR_ALEF)
        (*n)--;
    if (how->endings && *n >= 5 && w[*n - 1] == AR_WAW)
        (*n)--;
    for (size_t i = 0; i < sizeof ar_suffixes / sizeof ar_suffixes[0]; i++)
        if (ar_ends(w, *n, &ar_suffixes[i])) {
            size_t k = ar_affix_len(&ar_suffixes[i]);
            *n -= k;
            if (how->endings && ar_suffixes[i].pronoun)
                ar_pronoun_base(w, n, k > 1); /* the longer pronouns come before ه */
        }
    return prefixed;
}

/* The stem of w taken as `how` says, on arena a; NULL if w is not Arabic.
 * *prefixed: whether a prefix went (may be NULL). */
static const char *ar_stem_how(arena_t *a, const ar_word *w, const ar_how *how, size_t skip,
                               bool *prefixed)
{
    cp_t cps[AR_WORD_MAX * 2];
    size_t n, start = skip;
    if (!ar_decode_arabic(w, cps, sizeof cps / sizeof cps[0], &n) || n <= skip)
        return NULL;
    n -= skip;
    bool p = ar_stem_cps(cps, &start, &n, how);
    if (prefixed)
        *prefixed = p;
    return ar_encode(a, cps + start, n);
}

const char *ar_stem(arena_t *a, const ar_word *w)
{
    ar_how how = { .tanween = w->tanween_alef };
    const char *s = ar_stem_how(a, w, &how, 0, NULL);
    return s ? s : arena_strndup(a, w->norm, w->len);
}

/* A reading of w beside ar_stem's, or NULL when it is ar_stem's or the
 * word itself (both are indexed already). */
static const char *ar_other(arena_t *a, const ar_word *w, const char *reading)
{
    if (!reading || strcmp(reading, ar_stem(a, w)) == 0 ||
        (strlen(reading) == w->len && memcmp(reading, w->norm, w->len) == 0))
        return NULL;
    return reading;
}

const char *ar_stem_endings(arena_t *a, const ar_word *w)
{
    ar_how how = { .tanween = w->tanween_alef, .endings = true };
    return ar_other(a, w, ar_stem_how(a, w, &how, 0, NULL));
}

/* The letters of w's proclitics (w[0..n) decoded): a conjunction, then a
 * preposition, then the article (ال; after ل, لل), as many as leave
 * enough of the word: two letters after the article, else three, four
 * after a conjunction and a preposition (وكالة is not و ك + الة). A
 * proclitic that would leave too little is not one. Into *conj, *prep,
 * *art: the letters each takes (0 if absent). */
static void ar_proclitics_of(const cp_t *w, size_t n, size_t *conj, size_t *prep, size_t *art)
{
    *conj = ar_is_any(w[0], ar_conjunctions, 2);
    *prep = *conj < n && ar_is_any(w[*conj], ar_prepositions, 3);
    size_t p = *conj + *prep;
    *art = 0;
    if (*prep && w[*conj] == AR_LAM && p < n && w[p] == AR_LAM)
        *art = 1;  /* لل: the article's alef is not written after ل */
    else if (p + 1 < n && w[p] == AR_ALEF && w[p + 1] == AR_LAM)
        *art = 2;
    for (;;) {
        size_t len = *conj + *prep + *art, need = *art ? 2 : *conj && *prep ? 4 : 3;
        if (len == 0 || n - len >= need)
            return;
        if (*art)
            *art = 0;
        else if (*prep)
            *prep = 0;
        else
            *conj = 0;
    }
}

const char *ar_stem_proclitic(arena_t *a, const ar_word *w)
{
    cp_t cps[AR_WORD_MAX * 2];
    size_t n, conj, prep, art;
    if (!ar_decode_arabic(w, cps, sizeof cps / sizeof cps[0], &n) || n < 3)
        return NULL;
    ar_proclitics_of(cps, n, &conj, &prep, &art);
    size_t skip = conj + prep + art;
    if (skip == conj && conj && cps[0] == AR_WAW)
        skip = 0;  /* light10 took و: the other reading is a word that begins with it */
    else if (skip == 2 && prep && art)
        skip = 1;  /* light10 took لل: the other is ل before a word beginning with ل */
    if (skip == 0 && !(conj && cps[0] == AR_WAW))
        return NULL;
    ar_how how = { .bare = true, .tanween = w->tanween_alef, .endings = true };
    return ar_other(a, w, ar_stem_how(a, w, &how, skip, NULL));
}

const char *ar_stem_bare(arena_t *a, const ar_word *w)
{
    if (!w->bare || !w->bare_len)
        return NULL;
    ar_word b = *w;
    b.norm = w->bare;
    b.len = w->bare_len;
    b.bare = NULL;
    return ar_other(a, w, ar_stem(a, &b));
}

/* ---- broken plurals ---- */

/* The lexicon (plurals.c) by the plural's stem, as ar_stem gives it:
 * made once. */
#define AR_PLURAL_STEM_MAX 64  /* bytes, far above the list's longest */
static struct ar_plural_stem {
    char plural[AR_PLURAL_STEM_MAX], singular[AR_PLURAL_STEM_MAX];
} *ar_plural_stems;        /* kept for the process's life */
static size_t ar_nplurals; /* 0 if the table could not be made */
static pthread_once_t ar_plurals_once = PTHREAD_ONCE_INIT;

static int ar_plural_key_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct ar_plural_stem *)elem)->plural);
}

static int ar_plural_cmp(const void *x, const void *y)
{
    return ar_plural_key_cmp(((const struct ar_plural_stem *)x)->plural, y);
}

typedef struct ar_first_stem {
    arena_t *a;
    const char *stem;
} ar_first_stem;

static int ar_stem_first(void *arg, const ar_word *w)
{
    ar_first_stem *f = arg;
    f->stem = ar_stem(f->a, w);
    return 1; /* the first word only */
}

/* The stem of word s, bare or after the article, on arena a; "" if there
 * is none. After ال light10 takes no more: الوثائق keeps the و that a
 * bare وثائق loses, and الألغام the ال that a bare ألغام loses. */
static const char *ar_stem_text(arena_t *a, const char *s, bool article)
{
    ar_first_stem f = { a, "" };
    const char *t = arena_printf(a, "%s%s", article ? "ال" : "", s);
    if (t)
        ar_words(a, t, strlen(t), ar_stem_first, &f);
    return f.stem;
}

/* Entry e into *p: its plural's stem, bare or after the article, as key;
 * its bare singular's, as a reader searches for it. */
static void ar_plural_stem_set(struct ar_plural_stem *p, arena_t *a, const ar_plural *e,
                               bool article)
{
    snprintf(p->plural, sizeof p->plural, "%s", ar_stem_text(a, e->plural, article));
    snprintf(p->singular, sizeof p->singular, "%s", ar_stem_text(a, e->singular, false));
}

/* Each entry twice, bare and after the article (ألغام: غام, الغام), the
 * second dropped when both stems are one. */
static void ar_plurals_init(void)
{
    arena_t *a = arena_new(0);
    size_t n = ar_plural_count(), k = 0;
    ar_plural_stems = a ? calloc(2 * n, sizeof *ar_plural_stems) : NULL;
    if (!ar_plural_stems) {
        arena_free(a);
        return;  /* search goes on without broken plurals */
    }
    for (size_t i = 0; i < n; i++) {
        ar_plural_stem_set(&ar_plural_stems[k++], a, ar_plural_at(i), false);
        ar_plural_stem_set(&ar_plural_stems[k], a, ar_plural_at(i), true);
        if (strcmp(ar_plural_stems[k].plural, ar_plural_stems[k - 1].plural))
            k++;
    }
    arena_free(a);
    ar_nplurals = k;
    qsort(ar_plural_stems, k, sizeof ar_plural_stems[0], ar_plural_cmp);
}

const char *ar_stem_singular(arena_t *a, const ar_word *w)
{
    pthread_once(&ar_plurals_once, ar_plurals_init);
    const char *stems[] = { ar_stem(a, w), ar_stem_proclitic(a, w) };
    for (size_t i = 0; i < 2; i++) {
        const struct ar_plural_stem *hit =
            stems[i] && ar_nplurals ? bsearch(stems[i], ar_plural_stems, ar_nplurals,
                                              sizeof *hit, ar_plural_key_cmp) : NULL;
        if (hit)
            return ar_other(a, w, arena_strdup(a, hit->singular));
    }
    return NULL;
}
