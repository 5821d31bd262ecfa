/*
 * fuzz_query.c - libFuzzer driver for a reader's query (search/query.c),
 * which parses whatever is typed into the search box or put in ?q=.
 * Besides crashes it checks its promises: input that is not well-formed
 * UTF-8 is refused, anything else parsed; the groups stay within their
 * bounds, every alternative has its terms, each non-empty well-formed
 * UTF-8 without spaces; the canonical text is well-formed UTF-8, parses
 * again, and gives itself back (the page's cache key depends on it).
 *
 * Built by `make fuzz` (fuzz/README.md); run longer with
 *   build/fuzz/fuzz_query -max_total_time=600
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"
#include "search/query.h"

static void check_term(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    if (n == 0 || !text_valid_utf8(t, n) || strchr(t, ' '))
        abort();
}

static void check_query(const query_t *q)
{
    if (q->n > QUERY_MAX_GROUPS)
        abort();
    for (size_t g = 0; g < q->n; g++) {
        const query_group *gr = &q->groups[g];
        if (gr->nalts == 0 || !gr->text || !text_valid_utf8(gr->text, strlen(gr->text)))
            abort();
        for (size_t k = 0; k < gr->nalts; k++) {
            const query_alt *alt = &gr->alts[k];
            if (alt->n == 0 || alt->n > QUERY_MAX_PHRASE || (alt->n > 1) != gr->phrase)
                abort();
            for (size_t i = 0; i < alt->n; i++) {
                check_term(alt->terms[i]);
                if (!query_has_term(q, alt->terms[i], strlen(alt->terms[i])))
                    abort();
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    const char *s = (const char *)data;
    query_t q;
    int rc = query_parse(a, s, size, &q);
    if (rc != (text_wellformed_utf8(s, size) ? 0 : NS_EINVAL))
        abort();
    if (rc == 0) {
        check_query(&q);
        const char *c = query_canonical(a, &q);
        size_t n = strlen(c);
        if (!text_valid_utf8(c, n) || (n == 0) != (q.n == 0))
            abort();
        query_t again;
        if (query_parse(a, c, n, &again) != 0 || again.n != q.n)
            abort();
        if (strcmp(query_canonical(a, &again), c) != 0)
            abort();
    }
    arena_free(a);
    return 0;
}
