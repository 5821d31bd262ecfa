/*
 * fuzz_form.c - libFuzzer driver for what a request body, its query and
 * its Cookie header are parsed by (http/form.c). The first byte picks
 * the parser; besides crashes it checks their promises: every text name
 * and value is well-formed UTF-8 of the length it claims, without NUL
 * (control characters are the reader's handler's to remove), counts stay
 * within FORM_MAX_PARAMS, a canonical query re-parses to the first value of
 * each listed name (what a handler reads), and a refused input leaves no
 * result behind.
 *
 * Built by `make fuzz` (fuzz/README.md); run longer with
 *   build/fuzz/fuzz_form -max_total_time=600
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"
#include "http/form.h"

/* Text a handler can take as a C string: well-formed UTF-8, no NUL. */
static bool text_ok(const char *s, size_t n)
{
    return text_wellformed_utf8(s, n) && !memchr(s, '\0', n);
}

static void check_params(const hreq_param *p, size_t n, int rc)
{
    if (rc != NS_OK) {
        if (p || n)
            abort();
        return;
    }
    if (n > FORM_MAX_PARAMS)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (!p[i].name || !p[i].value || !text_ok(p[i].name, strlen(p[i].name)))
            abort();
        if (!p[i].filename && (strlen(p[i].value) != p[i].value_len ||
                               !text_ok(p[i].value, p[i].value_len)))
            abort();
    }
}

static void check_canonical(arena_t *a, const hreq_param *p, size_t n)
{
    static const char *const names[] = {"p", "q", "a", NULL};
    const char *canon = form_canonical_query(a, p, n, names);
    hreq_param *again;
    size_t m;
    if (form_parse_urlencoded(a, canon, strlen(canon), &again, &m) != NS_OK)
        abort();
    size_t kept = 0; /* each listed name present, once */
    for (const char *const *nm = names; *nm; nm++)
        kept += hreq_param_get(p, n, *nm) != NULL;
    if (m != kept || strcmp(form_canonical_query(a, again, m, names), canon) != 0)
        abort();
    for (const char *const *nm = names; *nm; nm++) /* keyed by what a handler reads */
        if (hreq_param_get(p, n, *nm) && strcmp(hreq_param_get(p, n, *nm), hreq_param_get(again, m, *nm)))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    arena_t *a = arena_new(0);
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    hreq_param *p = NULL;
    size_t count = 0;
    int rc;
    switch (data[0] % 3) {
    case 0:
        rc = form_parse_urlencoded(a, s, n, &p, &count);
        check_params(p, count, rc);
        if (rc == NS_OK)
            check_canonical(a, p, count);
        break;
    case 1:
        rc = form_parse_multipart(a, "b0undary", s, n, &p, &count);
        check_params(p, count, rc);
        break;
    default:
        rc = form_parse_cookies(a, s, n, &p, &count);
        check_params(p, count, rc);
        break;
    }
    arena_free(a);
    return 0;
}
