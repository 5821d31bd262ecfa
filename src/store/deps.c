/*
 * deps.c - sets of dependency keys (store.h), shared by every backend.
 * A page records a dozen keys or so and a write touches one to three, so
 * a flat array with a linear membership test beats any hashing.
 */
#include <string.h>
#include "store/store_impl.h"

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

/* A list depends on which articles are visible, and on what it shows of
 * each; a long one (a sitemap, a big feed) on any visible article's change
 * instead, which costs one key rather than a thousand. */
#define DEPS_LIST_EACH 64

void store_deps_list(store_deps *d, struct store_article_list *l, bool comments)
{
    for (size_t i = 0; !comments && i < l->n; i++)
        l->items[i].comment_count = 0;
    if (!d)
        return;
    store_deps_add(d, STORE_DEP(STORE_DEP_LIST, 0));
    for (size_t i = 0; comments && i < l->n; i++)
        store_deps_add(d, STORE_DEP(STORE_DEP_COMMENTS, l->items[i].id));
    if (l->n > DEPS_LIST_EACH) {
        store_deps_add(d, STORE_DEP(STORE_DEP_MODIFIED, 0));
        return;
    }
    for (size_t i = 0; i < l->n; i++)
        store_deps_add(d, STORE_DEP(STORE_DEP_ARTICLE, l->items[i].id));
}
