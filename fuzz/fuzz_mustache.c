/*
 * fuzz_mustache.c - libFuzzer driver for the Mustache compiler and renderer.
 * Templates come from theme directories a site owner controls, so the
 * compiler must reject or accept any byte string without crashing, and a
 * compiled template must render within the recursion limit whatever it does.
 * The input is compiled both as the rendered template and as a partial named
 * "p" (so that partial, parent and recursion paths are exercised), then
 * rendered against a small context with every kind of value.
 *
 * Built by `make fuzz` (fuzz/README.md); a longer run from the seeds:
 *   build/fuzz/fuzz_mustache -max_total_time=600 -create_missing_dirs=1 \
 *       build/fuzz/corpus/mustache fuzz/corpus/mustache
 */
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "render/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mu_value *fuzz_context(arena_t *a)
{
    mu_value *o = mu_object(a);
    mu_set_str(o, "s", "<b>&'\"</b>");
    mu_set_str(o, "p", "p");
    mu_set_str(o, "empty", "");
    mu_set_int(o, "i", -7);
    mu_set(o, "d", mu_number(a, 2.5));
    mu_set_bool(o, "t", true);
    mu_set_bool(o, "f", false);
    mu_set(o, "n", mu_null(a));
    mu_value *l = mu_list(a);
    for (int k = 0; k < 3; k++) {
        mu_value *item = mu_object(a);
        mu_set_int(item, "k", k);
        mu_set(item, "o", o); /* a cycle: lookups must still terminate */
        mu_push(l, item);
    }
    mu_set(o, "l", l);
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    mu_templates *set = mu_templates_new(a);
    const char *src = (const char *)data;
    if (mu_templates_add(set, "t", src, size, NULL) == 0 &&
        mu_templates_add(set, "p", src, size, NULL) == 0) {
        buf_t out;
        buf_init(&out, a);
        (void)mu_render(set, "t", fuzz_context(a), &out);
    }
    arena_free(a);
    return 0;
}
