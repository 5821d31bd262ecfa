/*
 * import_wp.c - `nashra import wordpress DIR FILE.xml [--uploads DIR]
 * [--dry-run]`: a WordPress export brought into the site (import/
 * wordpress.h), its progress on stderr, then what was done, kind by kind.
 * A file that is at fault is named with the line where it is, and the
 * exit status is 1 with the site left as it was.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/import.h"
#include "cli/search.h"
#include "core/err.h"
#include "import/wordpress.h"

typedef struct wp_args {
    const char *dir, *file, *uploads;
    bool dry_run;
} wp_args;

static int wp_parse(int argc, char **argv, wp_args *wa)
{
    static const struct option opts[] = {
        {"uploads", required_argument, NULL, 'u'},
        {"dry-run", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    opterr = 0;
    *wa = (wp_args){ 0 };
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == 'u')
            wa->uploads = optarg;
        else if (opt == 'n')
            wa->dry_run = true;
        else
            return cli_fail(EXIT_USAGE, "usage: %s", CLI_IMPORT_USAGE);
    }
    if (argc - optind != 2)
        return cli_fail(EXIT_USAGE, "usage: %s", CLI_IMPORT_USAGE);
    wa->dir = argv[optind];
    wa->file = argv[optind + 1];
    if (wa->uploads && access(wa->uploads, R_OK | X_OK) != 0)
        return cli_fail(EXIT_USAGE, "--uploads %s: not a readable directory", wa->uploads);
    return 0;
}

/* Standard input copied to a temporary file: the import reads its file
 * twice (checked whole before anything is written). */
static int wp_stdin_file(char *path, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(path, size, "%s/nashra-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return cli_fail(EXIT_FAIL, "cannot make a temporary file in %s", tmp && *tmp ? tmp : "/tmp");
    char buf[1 << 16];
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = read(0, buf, sizeof buf)) > 0)
        rc = write(fd, buf, (size_t)n) == n ? 0 : -1;
    if (close(fd) != 0 || rc != 0 || n < 0) {
        unlink(path);
        return cli_fail(EXIT_FAIL, "cannot copy standard input to %s", path);
    }
    return 0;
}

static void wp_print_count(const char *what, const wp_count *n, bool dry)
{
    printf("  %-12s %7" PRId64 " %s, %" PRId64 " updated, %" PRId64 " unchanged\n", what, n->created,
           dry ? "to create" : "created", n->updated, n->unchanged);
}

static void wp_print_summary(const wp_summary *s, bool dry)
{
    printf("%s %" PRId64 " items:\n", dry ? "dry run (nothing written):" : "imported", s->items);
    const struct { const char *what; const wp_count *n; } rows[] = {
        {"posts", &s->posts}, {"pages", &s->pages}, {"comments", &s->comments},
        {"categories", &s->categories}, {"tags", &s->tags}, {"users", &s->authors},
        {"attachments", &s->attachments},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        wp_print_count(rows[i].what, rows[i].n, dry);
    printf("  %-12s %7" PRId64 "\n", "redirects", s->redirects);
    printf("  %-12s %7" PRId64 "\n", "files copied", s->files_copied);
    for (size_t i = 0; i < s->nskipped; i++)
        printf("  skipped %" PRId64 " %s\n", s->skipped[i].n, s->skipped[i].reason);
    if (s->unknown_elements)
        printf("  ignored %" PRId64 " elements WordPress exports do not define\n", s->unknown_elements);
}

int cli_import_wordpress(int argc, char **argv)
{
    wp_args wa;
    int rc = wp_parse(argc, argv, &wa);
    if (rc)
        return rc;
    char tmp[4096] = "";
    if (strcmp(wa.file, "-") == 0 && (rc = wp_stdin_file(tmp, sizeof tmp)) != 0)
        return rc;
    store_t *s;
    if ((rc = cli_site_open(wa.dir, &s)) != 0) {
        if (*tmp)
            unlink(tmp);
        return rc;
    }
    if ((rc = store_streaming(s)) != 0) {
        store_close(s);
        if (*tmp)
            unlink(tmp);
        return cli_fail(EXIT_FAIL, "%s: %s", wa.dir, ns_strerror(rc));
    }
    cli_progress p;
    cli_progress_start(&p, stderr);
    wp_options o = { .site_dir = wa.dir, .uploads_dir = wa.uploads, .dry_run = wa.dry_run,
                     .progress = cli_progress_report, .progress_arg = &p };
    wp_summary sum;
    arena_t *a = arena_new(0);
    const char *err = NULL;
    long line = 0;
    rc = wp_import(s, a, *tmp ? tmp : wa.file, &o, &sum, &err, &line);
    cli_progress_end(&p);
    store_close(s);
    if (*tmp)
        unlink(tmp);
    const char *name = *tmp ? "standard input" : wa.file;
    if (rc == 0)
        wp_print_summary(&sum, wa.dry_run);
    else if (sum.committed > 0)
        rc = cli_fail(EXIT_FAIL, "%s: %s after %" PRId64 " items were written; running the same import "
                      "again finishes it", name, err ? err : ns_strerror(rc), sum.committed);
    else if (rc == NS_EINVAL && line > 0)
        rc = cli_fail(EXIT_FAIL, "%s, line %ld: %s (nothing was imported)", name, line, err ? err : "invalid");
    else if (rc == NS_EINVAL)
        rc = cli_fail(EXIT_FAIL, "%s: %s (nothing was imported)", name, err ? err : "invalid");
    else
        rc = cli_fail(EXIT_FAIL, "%s: %s (nothing was imported)", name, err ? err : ns_strerror(rc));
    arena_free(a);
    return rc;
}
