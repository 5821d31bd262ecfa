/*
 * deps.c - sets of dependency keys (store.h), shared by every backend.
 * A page records a dozen keys or so and a write touches one to three, so
 * a flat array with a linear membership test beats any hashing.
 */
#include <string.h>
#include "store/store.h"

void store_deps_init(store_deps *d, arena_t *a)
{
    memset(d, 0, sizeof *d);
    d->arena = a;
}

bool store_deps_has(const store_deps *d, store_dep dep)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i] == dep)
            return true;
    return false;
}

void store_deps_add(store_deps *d, store_dep dep)
{
    if (store_deps_has(d, dep))
        return;
    d->v = arena_grow(d->arena, d->v, d->n, &d->cap, sizeof *d->v, 16);
    d->v[d->n++] = dep;
}
