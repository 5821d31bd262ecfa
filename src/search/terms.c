/*
 * terms.c - the index terms of terms.h: arabic.h's words and stems, with
 * the colocated alternatives, and the stopword table related articles
 * skip.
 */
#include "search/terms.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/err.h"
#include "core/text.h"
#include "search/arabic.h"

/* A word's terms, remembered by what they are made of (its normalised
 * form, its tanween alef, its spelling without hamza): news text repeats
 * its words, and analysing one costs a dozen stemmings. Direct-mapped: a
 * word takes the slot of its hash from whatever held it. */
#define TERMS_CACHE_SLOTS 4096   /* a power of two */
#define TERMS_CACHE_KEY 112
#define TERMS_CACHE_TEXT 336
#define TERMS_PER_WORD 6

typedef struct terms_slot {
    uint64_t hash;
    uint16_t klen, nterms, tlen[TERMS_PER_WORD];
    bool used, stopword;
    char key[TERMS_CACHE_KEY];
    char text[TERMS_CACHE_TEXT];   /* the terms, each NUL-terminated */
} terms_slot;

struct terms_cache {
    terms_slot slots[TERMS_CACHE_SLOTS];
};

terms_cache *terms_cache_new(void)
{
    terms_cache *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    return c;
}

void terms_cache_free(terms_cache *c)
{
    free(c);
}

typedef struct terms_walk {
    arena_t *a;
    int pos0;
    int (*fn)(void *arg, const terms_term *t);
    void *arg;
    terms_cache *cache;
} terms_walk;

/* A word's terms: its stem first, then the other spellings an index puts
 * beside it, each once (a word whose stem is itself gives one term). */
typedef struct terms_list {
    const char *text[TERMS_PER_WORD];
    size_t len[TERMS_PER_WORD], n;
    bool stopword;
} terms_list;

static void terms_make(arena_t *a, const ar_word *w, terms_list *l)
{
    const char *all[TERMS_PER_WORD] = { ar_stem(a, w), arena_strndup(a, w->norm, w->len),
                                        ar_stem_endings(a, w), ar_stem_proclitic(a, w),
                                        ar_stem_singular(a, w), ar_stem_bare(a, w) };
    l->n = 0;
    l->stopword = terms_is_stopword(w->norm, w->len);
    for (size_t i = 0; i < TERMS_PER_WORD; i++) {
        bool again = !all[i] || !*all[i];
        for (size_t k = 0; !again && k < l->n; k++)
            again = strcmp(l->text[k], all[i]) == 0;
        if (!again) {
            l->text[l->n] = all[i];
            l->len[l->n++] = strlen(all[i]);
        }
    }
}

/* The cache key of w into key (at most TERMS_CACHE_KEY bytes); 0 if it
 * does not fit (the word is then analysed every time). */
static size_t terms_key(const ar_word *w, char *key)
{
    size_t bare = w->bare ? w->bare_len : 0;
    if (w->len + bare + 2 > TERMS_CACHE_KEY)
        return 0;
    memcpy(key, w->norm, w->len);
    key[w->len] = w->tanween_alef ? '\x02' : '\x01';
    if (bare)
        memcpy(key + w->len + 1, w->bare, bare);
    return w->len + 1 + bare;
}

static uint64_t terms_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* Fill l from the cache, or analyse w and remember it. */
static void terms_lookup(terms_walk *tw, const ar_word *w, terms_list *l)
{
    char key[TERMS_CACHE_KEY];
    size_t klen = tw->cache ? terms_key(w, key) : 0;
    if (!klen) {
        terms_make(tw->a, w, l);
        return;
    }
    uint64_t h = terms_hash(key, klen);
    terms_slot *sl = &tw->cache->slots[h & (TERMS_CACHE_SLOTS - 1)];
    if (sl->used && sl->hash == h && sl->klen == klen && memcmp(sl->key, key, klen) == 0) {
        const char *t = sl->text;
        l->n = sl->nterms;
        l->stopword = sl->stopword;
        for (size_t i = 0; i < l->n; t += sl->tlen[i] + 1, i++) {
            l->text[i] = t;
            l->len[i] = sl->tlen[i];
        }
        return;
    }
    terms_make(tw->a, w, l);
    size_t need = 0;
    for (size_t i = 0; i < l->n; i++)
        need += l->len[i] + 1;
    if (need > TERMS_CACHE_TEXT)
        return;
    *sl = (terms_slot){ .hash = h, .klen = (uint16_t)klen, .nterms = (uint16_t)l->n,
                        .used = true, .stopword = l->stopword };
    memcpy(sl->key, key, klen);
    char *t = sl->text;
    for (size_t i = 0; i < l->n; t += l->len[i] + 1, i++) {
        memcpy(t, l->text[i], l->len[i] + 1);
        sl->tlen[i] = (uint16_t)l->len[i];
    }
}

static int terms_word(void *arg, const ar_word *w)
{
    terms_walk *tw = arg;
    terms_list l;
    terms_lookup(tw, w, &l);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        terms_term t = { .text = l.text[i], .len = l.len[i], .pos = tw->pos0 + w->pos,
                         .colocated = i > 0, .start = w->start, .end = w->end,
                         .stopword = l.stopword };
        rc = tw->fn(tw->arg, &t);
    }
    return rc;
}

int terms_each_cached(terms_cache *c, arena_t *a, const char *s, size_t n, int pos0,
                      int (*fn)(void *arg, const terms_term *t), void *arg)
{
    terms_walk tw = { .a = a, .pos0 = pos0, .fn = fn, .arg = arg, .cache = c };
    return ar_words(a, s ? s : "", s ? n : 0, terms_word, &tw);
}

int terms_each(arena_t *a, const char *s, size_t n, int pos0,
               int (*fn)(void *arg, const terms_term *t), void *arg)
{
    return terms_each_cached(NULL, a, s, n, pos0, fn, arg);
}

const char *terms_body_text(arena_t *a, const char *body_html, const char *body_md, bool md_is_html)
{
    if (body_html && *body_html)
        return text_strip_tags(a, body_html);
    if (md_is_html)
        return text_strip_tags(a, body_md);
    return body_md ? body_md : "";
}

/* Function words, normalised; sorted by bytes, for bsearch. */
static const char *const terms_stopwords[] = {
    "اذا", "الا", "التي", "الذي", "الذين", "الي", "ان", "انه", "او", "اي", "بان", "بعد", "بعض",
    "بين", "تلك", "ثم", "حتي", "حيث", "خلال", "ذلك", "علي", "عن", "عند", "غير", "فان", "في",
    "فيه", "قبل", "قد", "كان", "كانت", "كل", "كما", "لا", "لان", "لدي", "لذلك", "لقد", "لكن",
    "لم", "لن", "له", "ما", "مع", "من", "منذ", "هذا", "هذه", "هناك", "هو", "هي", "و", "وان",
    "وقد", "ولا", "ومن", "وهو", "وهي", "يكون",
};

static int terms_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

bool terms_is_stopword(const char *term, size_t len)
{
    char buf[64];
    if (len >= sizeof buf)
        return false;
    memcpy(buf, term, len);
    buf[len] = '\0';
    return bsearch(buf, terms_stopwords, sizeof terms_stopwords / sizeof terms_stopwords[0],
                   sizeof terms_stopwords[0], terms_cmp) != NULL;
}
