/*
 * copy.h - what store_copy (copy.c) shares with the backends' copy
 * operations (store_impl.h: rows, row_put, row_set, count, clear): the
 * text of their statements, built in one place from the table and column
 * names copy.c passes. Both SQLite and PostgreSQL take $1, $2, ... as
 * numbered parameters, so one text serves both, and no name reaches SQL
 * without being checked here. Private to src/store/.
 */
#ifndef NS_STORE_COPY_H
#define NS_STORE_COPY_H

#include <stdbool.h>
#include <stddef.h>

/* Most columns a copied table has (articles has 26). */
#define STORE_COPY_MAX_COLS 32
/* Room for the longest statement text (an INSERT of STORE_COPY_MAX_COLS
 * columns of short names). */
#define STORE_COPY_SQL_MAX 2048

typedef enum {
    STORE_COPY_SELECT, /* SELECT "c0", "c1", ... FROM "t" ORDER BY "c0" */
    STORE_COPY_INSERT, /* INSERT INTO "t"("c0", "c1", ...) VALUES ($1, $2, ...) */
    STORE_COPY_UPDATE, /* UPDATE "t" SET "c0" = $1 WHERE "c1" = $2 (ncols 2) */
    STORE_COPY_COUNT,  /* SELECT count(*) FROM "t" (cols unused) */
    STORE_COPY_CLEAR,  /* DELETE FROM "t" (cols unused) */
} store_copy_stmt;

/* True if name is a plain lower-case SQL name ([a-z_]+): table and column
 * names come only from copy.c's fixed table, and this is what keeps
 * anything else out of SQL text. */
bool store_copy_name_ok(const char *name);

/* Statement `kind` on table and cols (1..STORE_COPY_MAX_COLS of them where
 * used) into sql (size bytes, terminated). NS_EINVAL for a name that is
 * not store_copy_name_ok or a bad column count (a bug: also asserted),
 * NS_ETOOBIG when it does not fit. */
int store_copy_sql(char *sql, size_t size, store_copy_stmt kind, const char *table,
                   const char *const *cols, size_t ncols);

#endif
