/*
 * arena.c - the per-request region allocator. Requests allocate many small
 * strings and nodes and free them all at once, so a bump pointer over a list
 * of blocks is both the fastest and the simplest correct scheme: no per-object
 * bookkeeping, no leaks when a handler returns early. Large allocations get a
 * block of their own so they neither waste the current block's tail nor force
 * the next blocks to grow. Deferred cleanups are kept on the arena itself, in a
 * LIFO list, so foreign resources die in the reverse order of their creation.
 */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN alignof(max_align_t)
#define ARENA_DEFAULT_BLOCK 8192u
#define ARENA_MAX_BLOCK (1u << 20)

struct block {
    struct block *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *arg;
};

struct arena {
    struct block *head;  /* current block (newest first); first block last */
    struct block *first; /* kept across arena_reset */
    struct cleanup *cleanups;
    size_t next_size;    /* size of the next regular block */
    size_t used;
};

static void *arena_xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "nashra: out of memory allocating %zu bytes\n", n);
        abort();
    }
    return p;
}

static size_t arena_round(size_t n)
{
    if (n > SIZE_MAX - ARENA_ALIGN) {
        fprintf(stderr, "nashra: allocation of %zu bytes is too large\n", n);
        abort();
    }
    return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

static struct block *block_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(struct block))
        size = SIZE_MAX - sizeof(struct block); /* malloc fails, aborts */
    struct block *b = arena_xmalloc(sizeof(struct block) + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

arena_t *arena_new(size_t hint)
{
    arena_t *a = arena_xmalloc(sizeof *a);
    size_t size = arena_round(hint ? hint : ARENA_DEFAULT_BLOCK);
    a->first = a->head = block_new(size);
    a->cleanups = NULL;
    a->next_size = size < ARENA_DEFAULT_BLOCK ? ARENA_DEFAULT_BLOCK : size;
    a->used = 0;
    return a;
}

static void arena_run_cleanups(arena_t *a)
{
    while (a->cleanups) {
        struct cleanup *c = a->cleanups;
        a->cleanups = c->next; /* a cleanup may defer more: they run too */
        c->fn(c->arg);
    }
}

/* Free every block but `keep` (which may be NULL). */
static void arena_free_blocks(arena_t *a, struct block *keep)
{
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        if (b != keep)
            free(b);
        b = next;
    }
}

void arena_free(arena_t *a)
{
    if (!a)
        return;
    arena_run_cleanups(a);
    arena_free_blocks(a, NULL);
    free(a);
}

void arena_reset(arena_t *a)
{
    arena_run_cleanups(a);
    arena_free_blocks(a, a->first);
    a->first->next = NULL;
    a->first->used = 0;
    a->head = a->first;
    a->used = 0;
}

/* Slow path: n does not fit in the current block. */
static void *arena_alloc_slow(arena_t *a, size_t n)
{
    if (n > a->next_size / 4) {
        /* Own block, linked behind the current one so its tail stays in use. */
        struct block *big = block_new(n);
        big->used = n;
        big->next = a->head->next;
        a->head->next = big;
        return big->data;
    }
    struct block *b = block_new(a->next_size);
    if (a->next_size < ARENA_MAX_BLOCK)
        a->next_size *= 2;
    b->next = a->head;
    a->head = b;
    b->used = n;
    return b->data;
}

void *arena_alloc(arena_t *a, size_t n)
{
    n = arena_round(n ? n : 1);
    a->used += n;
    struct block *b = a->head;
    if (n <= b->size - b->used) {
        void *p = b->data + b->used;
        b->used += n;
        return p;
    }
    return arena_alloc_slow(a, n);
}

void *arena_zalloc(arena_t *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

void *arena_grow(arena_t *a, void *items, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return items;
    size_t c = *cap ? 2 * *cap : first;
    void *g = arena_alloc(a, c * size);
    if (n)
        memcpy(g, items, n * size);
    *cap = c;
    return g;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    size_t len = strnlen(s, n);
    char *p = arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(arena_t *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

/* Format straight into the tail of the current block when it fits (the
 * common case: short URLs and labels), so formatting runs once, not twice. */
char *arena_vprintf(arena_t *a, const char *fmt, va_list ap)
{
    struct block *b = a->head;
    size_t room = b->size - b->used;
    char *tail = (char *)b->data + b->used;
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(tail, room, fmt, ap2);
    va_end(ap2);
    if (len < 0)
        return arena_strdup(a, "");
    if ((size_t)len < room)
        return arena_alloc(a, (size_t)len + 1); /* claims exactly what was written */
    char *p = arena_alloc(a, (size_t)len + 1);
    vsnprintf(p, (size_t)len + 1, fmt, ap);
    return p;
}

char *arena_printf(arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void arena_defer(arena_t *a, void (*fn)(void *), void *arg)
{
    struct cleanup *c = arena_alloc(a, sizeof *c);
    c->fn = fn;
    c->arg = arg;
    c->next = a->cleanups;
    a->cleanups = c;
}

size_t arena_used(const arena_t *a)
{
    return a->used;
}

size_t arena_footprint(const arena_t *a)
{
    size_t n = sizeof *a;
    for (const struct block *b = a->head; b; b = b->next)
        n += sizeof *b + b->size;
    return n;
}
