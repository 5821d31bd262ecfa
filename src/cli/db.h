/*
 * db.h - `nashra db`: what is done to a site's database as a whole
 * (db.c). Today one command: `nashra db copy DIR --to LOCATION
 * [--replace]`, which moves a site between databases and backends.
 */
#ifndef NS_CLI_DB_H
#define NS_CLI_DB_H

/* Usage line of the db commands, for the command line's help. */
#define CLI_DB_USAGE "nashra db copy DIR --to LOCATION [--replace]"

/* Run `nashra db ...`: argv[0] is "db", argv[1] the subcommand. Copies
 * the site of DIR (its database as nashra.conf or DIR/nashra.db names it)
 * into LOCATION (a SQLite file, created if missing, or a postgresql://
 * URL) in one transaction, and prints each table's rows and how to switch
 * the site over. Refuses a target holding a site unless --replace, and
 * the site's own database. Returns the exit status (cli.h): 0, EXIT_FAIL
 * with one line on stderr (nothing copied), EXIT_USAGE. */
int cli_db(int argc, char **argv);

#endif
