/*
 * wordpress.h - a WordPress export (WXR, import/wxr.h) brought into a
 * site: authors, categories with their hierarchy, tags, posts in every
 * status, pages with theirs, attachments, comments with their threads,
 * and a redirect from every old address to its new one.
 *
 * Two passes over the file. The first reads it whole and checks
 * everything that can be wrong with it (well-formed, WXR, dates that
 * exist, comment parents present), writing nothing: a bad file leaves the
 * site as it was. The second writes, in transactions of a few hundred
 * items, so readers and commenters are never locked out for the whole
 * import; every item is matched to the row it became (store_import_get),
 * so running the same import again changes nothing, a newer export of the
 * same site updates what changed, and an import interrupted by the
 * database (a full disk, a lost server) is finished by running it again.
 * Articles are indexed for search as they are written, and every
 * article's related articles chosen once at the end.
 */
#ifndef NS_IMPORT_WORDPRESS_H
#define NS_IMPORT_WORDPRESS_H

#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"

/* What an import did (or, dry, would do), per kind of thing. */
typedef struct wp_count {
    int64_t created, updated, unchanged;
} wp_count;

/* Things left out, each with why. */
#define WP_SKIP_REASONS 16
typedef struct wp_skip {
    const char *reason;   /* static text */
    int64_t n;
} wp_skipped;

typedef struct wp_summary {
    wp_count posts, pages, attachments, comments, categories, tags, authors;
    int64_t redirects;            /* old addresses recorded */
    int64_t files_copied;         /* attachment files copied from --uploads */
    int64_t items;                /* items read (every post type) */
    int64_t committed;            /* of them, written for good (a failure after
                                     a commit leaves these; importing again
                                     finishes the rest) */
    int64_t unknown_elements;     /* elements WXR does not define, ignored */
    wp_skipped skipped[WP_SKIP_REASONS];
    size_t nskipped;
} wp_summary;

typedef struct wp_options {
    const char *site_dir;         /* where uploads/ is (files copied there) */
    const char *uploads_dir;      /* the old site's wp-content/uploads, or NULL */
    bool dry_run;                 /* everything but the commit */
    /* called now and then in the second pass (may be NULL) */
    void (*progress)(void *arg, const char *phase, int64_t done, int64_t total);
    void *progress_arg;
} wp_options;

/* Import the export at path ("-": standard input, read twice is
 * impossible, so it is copied to a temporary file first) into s. On
 * NS_EINVAL the file is at fault and nothing was written: *err (owned by
 * arena a) says what, *line where (0: unknown). Other codes are the
 * store's or the file system's, with *err saying which step. The summary
 * is filled as far as the import went. */
int wp_import(store_t *s, arena_t *a, const char *path, const wp_options *o, wp_summary *sum,
              const char **err, long *line);

#endif
