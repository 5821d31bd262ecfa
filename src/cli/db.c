/*
 * db.c - `nashra db copy DIR --to LOCATION [--replace]` (db.h): a site
 * moved whole from its database into another, SQLite or PostgreSQL either
 * way. The copy is one transaction on the target (store_copy), so an
 * operator sees either the whole site there, with every table's rows
 * counted on both sides, or nothing at all; the search index is then
 * built there from the copied articles; the site itself keeps running
 * from its database until nashra.conf (or --db) names the new one. A
 * SQLite file this command created for a copy that failed is removed
 * again, so a failed copy leaves nothing behind. Locations are printed
 * without their passwords.
 */
#include "cli/db.h"

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/search.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

typedef struct copy_args {
    const char *dir, *to;
    bool replace;
} copy_args;

/* argv[0] is "copy". 0 or EXIT_USAGE after saying why. */
static int db_copy_args(int argc, char **argv, copy_args *ca)
{
    static const struct option opts[] = {
        {"to", required_argument, NULL, 't'},
        {"replace", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == 't')
            ca->to = optarg;
        else if (opt == 'r')
            ca->replace = true;
        else
            return cli_fail(EXIT_USAGE, "unknown option or missing value (usage: " CLI_DB_USAGE ")");
    }
    if (optind != argc - 1)
        return cli_fail(EXIT_USAGE, "%s (usage: " CLI_DB_USAGE ")",
                        optind >= argc ? "missing site directory DIR" : "too many arguments");
    if (!ca->to || !*ca->to)
        return cli_fail(EXIT_USAGE, "missing --to LOCATION (usage: " CLI_DB_USAGE ")");
    ca->dir = argv[optind];
    return 0;
}

/* True if a and b name the same database: the same text, or two paths of
 * one SQLite file. */
static bool db_same(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    struct stat sa, sb;
    return !store_location_is_pg(a) && !store_location_is_pg(b) && stat(a, &sa) == 0 &&
           stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Remove a SQLite file made for a copy that failed, with its companions. */
static void db_remove_created(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char p[PATH_MAX + 16];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

/* Say why store_copy failed; returns EXIT_FAIL. */
static int db_copy_fail(int rc, const char *dir, const char *to, const store_copy_report *r)
{
    if (rc == NS_EEXIST)
        return cli_fail(EXIT_FAIL, "%s already holds a site: nothing copied (--replace overwrites it)", to);
    if (rc == NS_ECORRUPT && r->n) {
        const store_table_count *t = &r->tables[r->n - 1];
        return cli_fail(EXIT_FAIL, "%s: %lld rows in the source but %lld in the copy: nothing copied",
                        t->table, (long long)t->from_rows, (long long)t->to_rows);
    }
    if (rc == NS_EINVAL)
        return cli_fail(EXIT_FAIL, "cannot copy %s to %s: a row of the site does not fit there "
                        "(a broken reference or a value of the wrong type): nothing copied", dir, to);
    return cli_fail(EXIT_FAIL, "cannot copy %s to %s: %s: nothing copied", dir, to, ns_strerror(rc));
}

static void db_copy_done(const char *dir, const char *to, const store_copy_report *r)
{
    for (size_t i = 0; i < r->n; i++)
        printf("%s: %lld rows\n", r->tables[i].table, (long long)r->tables[i].to_rows);
    printf("copied; to serve the site from there, set `database = %s` in %s/" CLI_SITE_CONF
           " or run nashra serve %s --db %s\n", to, dir, dir, to);
}

/* The copy's search index, made by the analyzer from the articles. */
static int db_copy_index(store_t *to)
{
    cli_progress p;
    cli_progress_start(&p, stderr);
    int rc = store_search_rebuild(to, cli_progress_report, &p);
    cli_progress_end(&p);
    return rc == NS_OK ? 0 : cli_fail(EXIT_FAIL, "copied, but cannot build the copy's search index: "
                                      "%s (nashra reindex builds it)", ns_strerror(rc));
}

/* Copy between two open stores; the exit status. */
static int db_copy_stores(const copy_args *ca, store_t *from, store_t *to, const char *safe_to)
{
    arena_t *a = arena_new(0);
    store_copy_report r;
    int rc = store_copy(from, to, ca->replace, a, &r);
    /* the search index is not copied (its form is each backend's own)
     * but built again from the copied articles; the related articles
     * were copied as they are */
    if (rc == NS_OK && (rc = db_copy_index(to)) == 0)
        db_copy_done(ca->dir, safe_to, &r);
    else if (rc != EXIT_FAIL)
        rc = db_copy_fail(rc, ca->dir, safe_to, &r);
    arena_free(a);
    return rc;
}

static int db_copy(const copy_args *ca)
{
    char src[PATH_MAX], safe_to[PATH_MAX];
    int rc = cli_site_db(ca->dir, NULL, src, sizeof src);
    if (rc)
        return rc;
    store_location_safe(ca->to, safe_to, sizeof safe_to);
    if (db_same(src, ca->to))
        return cli_fail(EXIT_USAGE, "%s is the site's own database: copy it somewhere else", safe_to);
    store_t *from, *to;
    if ((rc = store_open(src, 0, &from)) != NS_OK)
        return cli_store_fail(src, rc);
    bool created = !store_location_is_pg(ca->to) && access(ca->to, F_OK) != 0;
    if ((rc = store_open(ca->to, STORE_CREATE, &to)) != NS_OK) {
        store_close(from);
        if (created)
            db_remove_created(ca->to);
        return cli_store_fail(ca->to, rc);
    }
    /* nashra.conf is read from wherever the server starts: a file is
     * named by its absolute path */
    char abs[PATH_MAX];
    if (!store_location_is_pg(ca->to) && realpath(ca->to, abs))
        snprintf(safe_to, sizeof safe_to, "%s", abs);
    rc = db_copy_stores(ca, from, to, safe_to);
    store_close(to);
    store_close(from);
    if (rc && created)
        db_remove_created(ca->to);
    return rc;
}

int cli_db(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "copy") != 0)
        return cli_fail(EXIT_USAGE, "usage: " CLI_DB_USAGE);
    copy_args ca = {0};
    int rc = db_copy_args(argc - 1, argv + 1, &ca);
    return rc ? rc : db_copy(&ca);
}
