/*
 * export_wp.c - `nashra export wordpress DIR FILE.xml [--base-url URL]`:
 * the site as a WordPress export file (import/export.h). The file is
 * written beside FILE under a temporary name and renamed over it only once
 * complete, so FILE is either the whole export or what it was before,
 * never half of one. "-" writes to standard output.
 */
#include "cli/import.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "core/err.h"
#include "core/text.h"
#include "import/export.h"
#include "store/store.h"

#define EXPORT_USAGE "nashra export wordpress DIR FILE.xml|- [--base-url URL]"

typedef struct export_args {
    const char *dir, *file, *base_url;
} export_args;

static int export_parse(int argc, char **argv, export_args *ea)
{
    static const struct option opts[] = {
        {"base-url", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt != 'b')
            return cli_fail(EXIT_USAGE, "unknown option or missing value (usage: " EXPORT_USAGE ")");
        if (!text_url_is_http(optarg) || strpbrk(optarg, "\"<>"))
            return cli_fail(EXIT_USAGE, "bad --base-url: expected an http:// or https:// address");
        ea->base_url = optarg;
    }
    if (optind != argc - 2)
        return cli_fail(EXIT_USAGE, "%s (usage: " EXPORT_USAGE ")",
                        optind > argc - 2 ? "missing site directory DIR or FILE" : "too many arguments");
    ea->dir = argv[optind];
    ea->file = argv[optind + 1];
    return 0;
}

/* A temporary file beside path, open for writing: its name into tmp. The
 * file is private (0600, as mkstemp makes it): an export holds commenters'
 * addresses. */
static FILE *export_tmp_open(const char *path, char *tmp, size_t size)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    if ((size_t)snprintf(tmp, size, "%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path) >= size) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    int fd = mkstemp(tmp);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
    }
    return f;
}

/* Export into a temporary file, then put it in place. */
static int export_to_file(store_t *s, const export_args *ea, export_report *rep)
{
    char tmp[PATH_MAX];
    FILE *f = export_tmp_open(ea->file, tmp, sizeof tmp);
    if (!f)
        return cli_fail(EXIT_FAIL, "cannot write beside %s: %s", ea->file, strerror(errno));
    int rc = export_wordpress(s, ea->base_url, f, rep);
    if (rc == 0 && fsync(fileno(f)) != 0)
        rc = NS_EIO;
    if (fclose(f) != 0 && rc == 0)
        rc = NS_EIO;
    if (rc == 0 && rename(tmp, ea->file) != 0) {
        int err = errno;
        unlink(tmp);
        return cli_fail(EXIT_FAIL, "cannot write %s: %s", ea->file, strerror(err));
    }
    if (rc)
        unlink(tmp);
    return rc;
}

static int export_fail(int rc, const export_report *rep)
{
    if (rep->failed_article)
        return cli_fail(EXIT_FAIL, "export failed at article %" PRId64 ": %s", rep->failed_article,
                        ns_strerror(rc));
    return cli_fail(EXIT_FAIL, "export failed: %s", ns_strerror(rc));
}

int cli_export_wordpress(int argc, char **argv)
{
    export_args ea = {0};
    int rc = export_parse(argc, argv, &ea);
    if (rc)
        return rc;
    store_t *s;
    if ((rc = cli_site_open(ea.dir, &s)))
        return rc;
    if ((rc = store_streaming(s)) != 0) {
        store_close(s);
        return cli_fail(EXIT_FAIL, "%s: %s", ea.dir, ns_strerror(rc));
    }
    export_report rep;
    bool to_stdout = strcmp(ea.file, "-") == 0;
    rc = to_stdout ? export_wordpress(s, ea.base_url, stdout, &rep) : export_to_file(s, &ea, &rep);
    store_close(s);
    if (rc > 0) /* already told */
        return rc;
    if (rc < 0)
        return export_fail(rc, &rep);
    fprintf(stderr,
            "exported %" PRId64 " posts, %" PRId64 " pages, %" PRId64 " comments, %" PRId64
            " categories, %" PRId64 " tags, %" PRId64 " authors, %" PRId64 " attachments to %s\n",
            rep.posts, rep.pages, rep.comments, rep.categories, rep.tags, rep.authors,
            rep.attachments, to_stdout ? "standard output" : ea.file);
    return 0;
}
