/*
 * migrations.h - the schema's history, private to the SQLite backend. The
 * schema only moves forward; its version lives in PRAGMA user_version so a
 * database file carries its own version and no side table can drift.
 */
#ifndef NS_STORE_MIGRATIONS_H
#define NS_STORE_MIGRATIONS_H

#include <sqlite3.h>

/* PRAGMA application_id stamped by the first migration: tells a nashra
 * database from any other SQLite file. */
#define STORE_APPLICATION_ID 0x6e736872 /* "nshr" */

/* Latest schema version this binary knows (number of migrations). */
int store_migrations_latest(void);

/* Apply, in order, every migration above the database's user_version, each
 * in its own IMMEDIATE transaction that also bumps user_version (so two
 * processes opening a fresh file do not both migrate). Sets *version to the
 * resulting version. NS_EINVAL if the database is newer than this binary,
 * NS_EBUSY if locked, NS_ECORRUPT if it is not a database, else NS_EINTERNAL
 * for a failing migration (rolled back). */
int store_migrate(sqlite3 *db, int *version);

/* PRAGMA user_version of db into *version; 0 or an NS_E* code. */
int store_user_version(sqlite3 *db, int *version);

#endif
