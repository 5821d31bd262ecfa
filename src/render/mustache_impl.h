/*
 * mustache_impl.h - the value tree's layout, shared by the two halves of the
 * Mustache engine (values in mustache_value.c, compiler and renderer in
 * mustache.c) and by nothing else: other modules see mu_value as opaque.
 */
#ifndef NS_RENDER_MUSTACHE_IMPL_H
#define NS_RENDER_MUSTACHE_IMPL_H

#include "render/mustache.h"

struct mu_entry {
    const char *key;
    size_t klen;
    uint32_t hash;
    mu_value *val;
};

struct mu_value {
    mu_type type;
    bool is_int;     /* MU_NUMBER made by mu_int: render u.i exactly */
    arena_t *arena;  /* lists and objects grow on it */
    union {
        bool b;
        double d;
        int64_t i;
        struct { const char *s; size_t n; } str;
        struct { mu_value **items; size_t n, cap; } list;
        struct {
            struct mu_entry *ents;
            uint32_t *index; /* open addressing, entry number + 1; NULL while small */
            size_t n, cap, icap;
        } obj;
    } u;
};

/* FNV-1a over s[0..n); the hash used for object keys and template names. */
uint32_t mu_hash(const char *s, size_t n);

/* Member of obj named s[0..n) with hash h, or NULL (also when obj is not an object). */
const mu_value *mu_get_n(const mu_value *obj, const char *s, size_t n, uint32_t h);

#endif
