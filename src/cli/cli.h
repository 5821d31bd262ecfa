/*
 * cli.h - what the command line's files share: the one way a failure is
 * told to an operator (one line on stderr, a distinct exit status) and the
 * commands that change a site (edit.c).
 */
#ifndef NS_CLI_CLI_H
#define NS_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include "core/secret.h"
#include "store/store.h"

enum { EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Print "nashra: <message>" on stderr and return code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Say why the database db could not be opened (rc from store_open);
 * returns EXIT_FAIL. */
int cli_store_fail(const char *db, int rc);

/* The site settings file in a site directory. */
#define CLI_SITE_CONF "nashra.conf"

/* Where the site in dir keeps its database, into db (size bytes):
 * `override` (--db) if not NULL, else the `database` entry of
 * DIR/nashra.conf, else DIR/nashra.db. 0, or the exit status after saying
 * what is wrong with the file. */
int cli_site_db(const char *dir, const char *override, char *db, size_t size);
/* Open the site in dir (its database as cli_site_db finds it) into *s:
 * 0, or the exit status after saying why it could not be opened. */
int cli_site_open(const char *dir, store_t **s);

/* Create DIR/nashra.conf (mode 0600: the URL may hold a password) naming
 * database db; refuses to replace an existing one. 0 or an exit status. */
int cli_site_write_conf(const char *dir, const char *db);

/* The setting that holds the site's secret key (core/secret.h), as hex. */
#define CLI_SECRET_SETTING "site_secret"
/* The site's secret key into *out, made and stored first if the site has
 * none: whichever node starts first makes it, every node reads the same
 * one. NS_EINVAL if the stored value is not a key. */
int cli_site_secret(store_t *s, secret_key *out);

/* True if cmd is one of the editing commands (article, comments, settings). */
bool cli_edit_command(const char *cmd);
/* Run one: argv[0] is the command, argv[1] the site directory. Returns the
 * exit status; messages go to stderr. */
int cli_edit(int argc, char **argv);

#endif
