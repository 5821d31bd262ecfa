/*
 * fuzz_router.c - libFuzzer driver for the request path pipeline: raw bytes
 * as they arrive on the wire go through URL decoding and the router, which
 * must never crash, read out of bounds or return inconsistent results
 * whatever the input.
 *
 * Built by `make fuzz` (fuzz/README.md); a longer run from the seeds:
 *   build/fuzz/fuzz_router -max_total_time=600 -create_missing_dirs=1 \
 *       build/fuzz/corpus/router fuzz/corpus/router
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/err.h"
#include "core/text.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t *a = arena_new(0);
    char *path;
    if (text_url_decode(a, (const char *)data, size, &path) == NS_OK) {
        route_match m;
        int r = router_match(a, path, &m);
        if (r == ROUTER_HANDLER && (!m.fn || m.page < 1 || m.page > ROUTER_MAX_PAGE ||
                                    m.nparams < 0 || m.nparams > HREQ_MAX_PARAMS))
            abort();
        if (r == ROUTER_REDIRECT && (!m.redirect || m.redirect[0] != '/' ||
                                     strcmp(m.redirect, path) == 0))
            abort();
        for (int i = 0; r == ROUTER_HANDLER && i < m.nparams; i++)
            if (!m.params[i] || !m.params[i][0] || strlen(m.params[i]) > size)
                abort();
    }
    arena_free(a);
    return 0;
}
