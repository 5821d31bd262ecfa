/*
 * mustache.h - a Mustache template engine (spec v1.4.2: all core modules,
 * inheritance and dynamic names) and the value tree templates render from.
 *
 * Templates are compiled once (at start) into a mu_set, a named collection
 * in which every template can be used as a partial or parent of the others.
 * A compiled set is immutable and may be rendered from many threads at once.
 *
 * Values: handlers build a view model as a tree of mu_value on the request
 * arena. Strings are not copied: a string given to mu_str must live as long
 * as the tree (normally: it is on the same arena). Output of {{x}} is
 * HTML-escaped, {{{x}}} and {{&x}} are raw.
 */
#ifndef NS_RENDER_MUSTACHE_H
#define NS_RENDER_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/buf.h"

typedef enum { MU_NULL, MU_BOOL, MU_NUMBER, MU_STRING, MU_LIST, MU_OBJECT } mu_type;

typedef struct mu_value mu_value;

/* Constructors: the value is allocated on arena `a`. */
mu_value *mu_null(arena_t *a);
mu_value *mu_bool(arena_t *a, bool b);
mu_value *mu_number(arena_t *a, double d);  /* rendered like the spec: 1.5, 85 */
mu_value *mu_int(arena_t *a, int64_t i);
mu_value *mu_str(arena_t *a, const char *s); /* s not copied; NULL -> MU_NULL */
mu_value *mu_strn(arena_t *a, const char *s, size_t n); /* s not copied */
mu_value *mu_list(arena_t *a);
mu_value *mu_object(arena_t *a);

/* Append v to list (list must be MU_LIST). */
void mu_push(mu_value *list, mu_value *v);
/* Set key (not copied) in object (must be MU_OBJECT); a later set of the
 * same key replaces the earlier value. Returns obj for chaining. */
mu_value *mu_set(mu_value *obj, const char *key, mu_value *v);
/* Shorthands: mu_set(obj, key, mu_str(a, s)) etc. Arena is the object's. */
mu_value *mu_set_str(mu_value *obj, const char *key, const char *s);
mu_value *mu_set_int(mu_value *obj, const char *key, int64_t i);
mu_value *mu_set_bool(mu_value *obj, const char *key, bool b);

mu_type mu_typeof(const mu_value *v);
size_t mu_len(const mu_value *list);            /* 0 unless MU_LIST */
const mu_value *mu_get(const mu_value *obj, const char *key); /* NULL if absent */

typedef struct mu_templates mu_templates;

/* New empty set on arena `a` (the set lives as long as the arena). */
mu_templates *mu_templates_new(arena_t *a);

/* Compile src[0..n) under `name` (copied). On syntax error returns
 * NS_ESYNTAX and, if err != NULL, sets *err to a message with the line
 * number, owned by the set's arena. Adding an existing name replaces it. */
int mu_templates_add(mu_templates *t, const char *name, const char *src, size_t n, char **err);

/* True if a template of that name exists. */
bool mu_templates_has(const mu_templates *t, const char *name);

/* Render template `name` with context `ctx` (may be NULL), appending to out.
 * A missing partial renders as empty (spec). NS_ENOTFOUND if `name` itself
 * is absent. Recursion through partials is limited in depth (NS_ETOOBIG). */
int mu_render(const mu_templates *t, const char *name, const mu_value *ctx, buf_t *out);

#endif
