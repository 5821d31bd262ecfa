/*
 * arena.h - region allocator, one per request (and one per long-lived object
 * such as a compiled theme).
 *
 * Everything a request needs is allocated from its arena and released in one
 * go once its response has been written, so handlers never free individual
 * pointers. Deferred cleanups (arena_defer) let foreign resources (the
 * libxml2 writer behind feeds and sitemaps) ride on the same lifetime.
 *
 * Allocation failure aborts the process with a message on stderr: it is not
 * a recoverable condition for this server (same policy as Redis' zmalloc).
 */
#ifndef NS_CORE_ARENA_H
#define NS_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena_t;

/* New arena whose first block holds at least `hint` bytes (0: a default).
 * Caller owns the arena and must arena_free() it. */
arena_t *arena_new(size_t hint);

/* Run all deferred cleanups (last registered first) and free all memory. NULL ok. */
void arena_free(arena_t *a);

/* Free everything but keep the first block for reuse (runs cleanups too). */
void arena_reset(arena_t *a);

/* n bytes aligned to max_align_t, uninitialised / zeroed. Owned by the arena. */
void *arena_alloc(arena_t *a, size_t n);
void *arena_zalloc(arena_t *a, size_t n);
/* Room for one more element in a growable array on a: returns `items`
 * itself while *cap > n, else a copy of its n elements (of `size` bytes)
 * in an array of twice the capacity (at least `first`), updating *cap.
 * The old array stays on the arena until it is freed. */
void *arena_grow(arena_t *a, void *items, size_t n, size_t *cap, size_t size, size_t first);

/* Copies of strings, NUL-terminated, owned by the arena. s may be NULL (returns NULL). */
char *arena_strdup(arena_t *a, const char *s);
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena_t *a, const char *fmt, va_list ap);

/* Call fn(arg) when the arena is freed or reset. */
void arena_defer(arena_t *a, void (*fn)(void *), void *arg);

/* Total bytes handed out since creation/reset (for tests and stats). */
size_t arena_used(const arena_t *a);

/* Bytes the arena really holds from malloc (its blocks with their headers
 * and the arena itself), however much of them is used: what a long-lived
 * arena costs the process, for memory limits. */
size_t arena_footprint(const arena_t *a);

#endif
