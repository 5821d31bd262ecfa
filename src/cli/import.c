/*
 * import.c - `nashra import KIND …` and `nashra export KIND …`: which
 * kinds there are, each handled in its own file.
 */
#include "cli/import.h"

#include <string.h>
#include "cli/cli.h"
#include "core/err.h"

typedef struct {
    const char *kind;
    int (*run)(int argc, char **argv);
} cli_kind;

static const cli_kind import_kinds[] = {
    {"wordpress", cli_import_wordpress},
    {"text", cli_import_text},
};

static const cli_kind export_kinds[] = {
    {"wordpress", cli_export_wordpress},
};

static int cli_kind_run(const cli_kind *kinds, size_t n, int argc, char **argv)
{
    if (argc < 3)
        return cli_fail(EXIT_USAGE, "usage: %s", CLI_IMPORT_USAGE);
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[1], kinds[i].kind) == 0)
            return kinds[i].run(argc - 1, argv + 1);
    return cli_fail(EXIT_USAGE, "%s: unknown kind %s\nusage: %s", argv[0], argv[1], CLI_IMPORT_USAGE);
}

int cli_import(int argc, char **argv)
{
    return cli_kind_run(import_kinds, sizeof import_kinds / sizeof import_kinds[0], argc, argv);
}

int cli_export(int argc, char **argv)
{
    return cli_kind_run(export_kinds, sizeof export_kinds / sizeof export_kinds[0], argc, argv);
}
