/*
 * mustache_value.c - the view-model tree handlers build for every page.
 *
 * A page's model is built once per request and read a few times by the
 * renderer, so construction must be cheap (everything on the request arena,
 * strings not copied) and lookups must stay fast as objects grow: objects
 * keep their keys in insertion order in an array, scanned linearly while
 * small, with a hash index added once they outgrow a handful of keys so a
 * model with dozens of keys per object is never quadratic to build or read.
 */
#include "render/mustache_impl.h"

#include <string.h>

#define MU_LINEAR_MAX 8 /* objects up to this size are scanned linearly */

uint32_t mu_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static mu_value *mu_new(arena_t *a, mu_type type)
{
    mu_value *v = arena_zalloc(a, sizeof *v);
    v->type = type;
    v->arena = a;
    return v;
}

mu_value *mu_null(arena_t *a) { return mu_new(a, MU_NULL); }
mu_value *mu_list(arena_t *a) { return mu_new(a, MU_LIST); }
mu_value *mu_object(arena_t *a) { return mu_new(a, MU_OBJECT); }

mu_value *mu_bool(arena_t *a, bool b)
{
    mu_value *v = mu_new(a, MU_BOOL);
    v->u.b = b;
    return v;
}

mu_value *mu_number(arena_t *a, double d)
{
    mu_value *v = mu_new(a, MU_NUMBER);
    v->u.d = d;
    return v;
}

mu_value *mu_int(arena_t *a, int64_t i)
{
    mu_value *v = mu_new(a, MU_NUMBER);
    v->is_int = true;
    v->u.i = i;
    return v;
}

mu_value *mu_strn(arena_t *a, const char *s, size_t n)
{
    if (!s)
        return mu_null(a);
    mu_value *v = mu_new(a, MU_STRING);
    v->u.str.s = s;
    v->u.str.n = n;
    return v;
}

mu_value *mu_str(arena_t *a, const char *s)
{
    return mu_strn(a, s, s ? strlen(s) : 0);
}

void mu_push(mu_value *list, mu_value *v)
{
    if (!list || list->type != MU_LIST || !v)
        return;
    if (list->u.list.n == list->u.list.cap) {
        size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 8;
        mu_value **items = arena_alloc(list->arena, cap * sizeof *items);
        if (list->u.list.n)
            memcpy(items, list->u.list.items, list->u.list.n * sizeof *items);
        list->u.list.items = items;
        list->u.list.cap = cap;
    }
    list->u.list.items[list->u.list.n++] = v;
}

/* Index of the entry named s[0..n), or -1. */
static long obj_find(const mu_value *obj, const char *s, size_t n, uint32_t h)
{
    const struct mu_entry *e = obj->u.obj.ents;
    if (!obj->u.obj.index) {
        for (size_t i = 0; i < obj->u.obj.n; i++)
            if (e[i].hash == h && e[i].klen == n && memcmp(e[i].key, s, n) == 0)
                return (long)i;
        return -1;
    }
    size_t mask = obj->u.obj.icap - 1;
    for (size_t k = h & mask;; k = (k + 1) & mask) {
        uint32_t slot = obj->u.obj.index[k];
        if (!slot)
            return -1;
        const struct mu_entry *c = &e[slot - 1];
        if (c->hash == h && c->klen == n && memcmp(c->key, s, n) == 0)
            return (long)slot - 1;
    }
}

static void obj_index_put(mu_value *obj, size_t i)
{
    size_t mask = obj->u.obj.icap - 1;
    size_t k = obj->u.obj.ents[i].hash & mask;
    while (obj->u.obj.index[k])
        k = (k + 1) & mask;
    obj->u.obj.index[k] = (uint32_t)(i + 1);
}

/* Make room for one more entry; (re)build the index once past the linear size. */
static void obj_grow(mu_value *obj)
{
    if (obj->u.obj.n < obj->u.obj.cap)
        return;
    size_t cap = obj->u.obj.cap ? obj->u.obj.cap * 2 : 8;
    struct mu_entry *ents = arena_alloc(obj->arena, cap * sizeof *ents);
    if (obj->u.obj.n)
        memcpy(ents, obj->u.obj.ents, obj->u.obj.n * sizeof *ents);
    obj->u.obj.ents = ents;
    obj->u.obj.cap = cap;
    if (cap <= MU_LINEAR_MAX)
        return;
    obj->u.obj.icap = cap * 2;
    obj->u.obj.index = arena_zalloc(obj->arena, obj->u.obj.icap * sizeof(uint32_t));
    for (size_t i = 0; i < obj->u.obj.n; i++)
        obj_index_put(obj, i);
}

mu_value *mu_set(mu_value *obj, const char *key, mu_value *v)
{
    if (!obj || obj->type != MU_OBJECT || !key || !v)
        return obj;
    size_t n = strlen(key);
    uint32_t h = mu_hash(key, n);
    long at = obj_find(obj, key, n, h);
    if (at >= 0) {
        obj->u.obj.ents[at].val = v;
        return obj;
    }
    obj_grow(obj);
    size_t i = obj->u.obj.n++;
    obj->u.obj.ents[i] = (struct mu_entry){ key, n, h, v };
    if (obj->u.obj.index)
        obj_index_put(obj, i);
    return obj;
}

mu_value *mu_set_str(mu_value *obj, const char *key, const char *s)
{
    return obj ? mu_set(obj, key, mu_str(obj->arena, s)) : obj;
}

mu_value *mu_set_int(mu_value *obj, const char *key, int64_t i)
{
    return obj ? mu_set(obj, key, mu_int(obj->arena, i)) : obj;
}

mu_value *mu_set_bool(mu_value *obj, const char *key, bool b)
{
    return obj ? mu_set(obj, key, mu_bool(obj->arena, b)) : obj;
}

mu_type mu_typeof(const mu_value *v)
{
    return v ? v->type : MU_NULL;
}

size_t mu_len(const mu_value *list)
{
    return list && list->type == MU_LIST ? list->u.list.n : 0;
}

const mu_value *mu_get_n(const mu_value *obj, const char *s, size_t n, uint32_t h)
{
    if (!obj || obj->type != MU_OBJECT)
        return NULL;
    long at = obj_find(obj, s, n, h);
    return at < 0 ? NULL : obj->u.obj.ents[at].val;
}

const mu_value *mu_get(const mu_value *obj, const char *key)
{
    if (!key)
        return NULL;
    size_t n = strlen(key);
    return mu_get_n(obj, key, n, mu_hash(key, n));
}
