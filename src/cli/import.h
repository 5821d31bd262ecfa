/*
 * import.h - moving a site in and out from the command line:
 * `nashra import wordpress|text DIR …` and `nashra export wordpress DIR FILE`.
 */
#ifndef NS_CLI_IMPORT_H
#define NS_CLI_IMPORT_H

#define CLI_IMPORT_USAGE \
    "nashra import wordpress DIR FILE.xml [--uploads DIR] [--dry-run]\n" \
    "       nashra import text DIR FILE...|-\n" \
    "       nashra export wordpress DIR FILE.xml"

/* argv[0] "import" or "export", argv[1] the kind, argv[2] the site
 * directory. Returns the exit status (cli.h); messages on stderr. */
int cli_import(int argc, char **argv);
int cli_export(int argc, char **argv);

/* The kinds, each in its own file (import_wp.c, import_text.c,
 * export_wp.c): argv[0] is the kind, argv[1] the site directory. */
int cli_import_wordpress(int argc, char **argv);
int cli_import_text(int argc, char **argv);
int cli_export_wordpress(int argc, char **argv);

#endif
