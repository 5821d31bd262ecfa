/*
 * fuzz_arabic.c - libFuzzer driver for the Arabic analyzer
 * (search/arabic.c), which will read every article, query and comment.
 * Besides crashes it checks its promises: input that is not well-formed
 * UTF-8 is refused by both entry points; otherwise every word is
 * non-empty, well-formed UTF-8 of the length it claims, already
 * normalised (normalising it again changes nothing), numbered in order,
 * and its stems are well-formed UTF-8, the other readings' shorter than
 * the word (a broken plural's singular aside) and none the first stem.
 *
 * Built by `make fuzz` (fuzz/README.md); run longer with
 *   build/fuzz/fuzz_arabic -max_total_time=600
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"
#include "search/arabic.h"

typedef struct {
    arena_t *a;
    int next;
} walk;

static void check_text(const char *s, size_t n)
{
    if (!s || strlen(s) != n || !text_valid_utf8(s, n))
        abort();
}

static int check_word(void *arg, const ar_word *w)
{
    walk *k = arg;
    check_text(w->norm, w->len);
    if (w->len == 0 || w->pos != k->next++)
        abort();
    size_t again_len;
    const char *again = ar_normalize(k->a, w->norm, w->len, &again_len);
    if (!again || again_len != w->len || memcmp(again, w->norm, w->len) != 0)
        abort();
    const char *st = ar_stem(k->a, w);
    check_text(st, strlen(st));
    if (strlen(st) > w->len)
        abort();
    const char *pc = ar_stem_proclitic(k->a, w);
    if (pc && (check_text(pc, strlen(pc)), strlen(pc) >= w->len))
        abort();
    const char *en = ar_stem_endings(k->a, w);
    if (en && (check_text(en, strlen(en)), strlen(en) >= w->len))
        abort();
    const char *sg = ar_stem_singular(k->a, w);  /* a singular may be longer */
    if (sg && (check_text(sg, strlen(sg)), strcmp(sg, st) == 0))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    const char *s = (const char *)data;
    bool ok = text_wellformed_utf8(s, size);
    size_t n;
    const char *norm = ar_normalize(a, s, size, &n);
    if (ok != (norm != NULL))
        abort();
    if (norm)
        check_text(norm, n);
    walk k = { a, 0 };
    int rc = ar_words(a, s, size, check_word, &k);
    if (rc != (ok ? NS_OK : NS_EINVAL))
        abort();
    arena_free(a);
    return 0;
}
