/*
 * test_util.h - fixtures several cmocka suites share: a scratch arena for
 * suites that only allocate, and throwaway directories under /tmp for those
 * that need real files (databases, themes) and the store kept in them. Header-only (static inline) so
 * each test stays one source file that the Makefile builds on its own.
 * Nothing here asserts: callers decide whether a failure is an assertion or
 * a failed setup, as cmocka treats the two differently.
 */
#ifndef NS_TESTS_TEST_UTIL_H
#define NS_TESTS_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include "core/arena.h"
#include "store/store.h"

/* The arena of a group set up with test_util_arena_setup; results of the
 * whole group accumulate in it, which is fine for suites of small calls. */
static arena_t *test_util_arena __attribute__((unused));

/* cmocka group setup/teardown creating and freeing test_util_arena. */
static inline int test_util_arena_setup(void **state)
{
    (void)state;
    test_util_arena = arena_new(0);
    return 0;
}

static inline int test_util_arena_teardown(void **state)
{
    (void)state;
    arena_free(test_util_arena);
    test_util_arena = NULL;
    return 0;
}

/* Create a fresh directory /tmp/nashra-NAME-XXXXXX, its path written to
 * dir (size bytes). Returns dir, or NULL if it could not be made. */
static inline char *test_util_tmpdir(char *dir, size_t size, const char *name)
{
    int n = snprintf(dir, size, "/tmp/nashra-%s-XXXXXX", name);
    if (n < 0 || (size_t)n >= size)
        return NULL;
    return mkdtemp(dir);
}

/* Remove dir and everything below it; 0 on success (system()'s status). */
static inline int test_util_rmtree(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

/* Close s (may be NULL), then remove dir, the directory holding its
 * database: closing first lets SQLite drop its -wal and -shm files before
 * they are deleted under it. 0 on success. */
static inline int test_util_store_dir_close(store_t *s, const char *dir)
{
    store_close(s);
    return test_util_rmtree(dir);
}

#endif
