/*
 * edit.c - changing a site from the command line while it is served:
 * `nashra article DIR set ID FIELD VALUE`, `nashra comments DIR approve ID...`,
 * `nashra settings DIR set KEY VALUE`. Each change goes through the store's
 * write path like any writer's (one transaction, retried while the server
 * holds the database busy), and the change log it writes lets a running
 * server drop exactly the pages the change concerns.
 */
#include "cli/cli.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "core/arena.h"
#include "core/err.h"
#include "core/text.h"
#include "store/store.h"

/* The field of ar named `field` set to value; NS_EINVAL if unknown or bad. */
static int edit_article_field(store_article *ar, const char *field, const char *value)
{
    static const char *const statuses[] = {"draft", "pending", "scheduled", "published"};
    const char **text = strcmp(field, "title") == 0 ? &ar->title
                      : strcmp(field, "slug") == 0 ? &ar->slug
                      : strcmp(field, "kicker") == 0 ? &ar->kicker
                      : strcmp(field, "lead") == 0 ? &ar->lead : NULL;
    if (text) {
        *text = value;
        return NS_OK;
    }
    if (strcmp(field, "comments") == 0) {
        if (strcmp(value, "open") != 0 && strcmp(value, "closed") != 0)
            return NS_EINVAL;
        ar->comments_open = strcmp(value, "open") == 0;
        return NS_OK;
    }
    for (size_t i = 0; strcmp(field, "status") == 0 && i < sizeof statuses / sizeof *statuses; i++)
        if (strcmp(value, statuses[i]) == 0) {
            ar->status = (article_status)i;
            return NS_OK;
        }
    return NS_EINVAL;
}

/* article DIR set ID FIELD VALUE: read, change one field, write back with
 * its tags. */
static int edit_article(store_t *s, arena_t *a, int argc, char **argv)
{
    int64_t id;
    if (argc != 6 || strcmp(argv[2], "set") != 0 || !text_parse_id(argv[3], &id))
        return cli_fail(EXIT_USAGE, "usage: nashra article DIR set ID FIELD VALUE");
    store_article ar;
    int rc = store_article_by_id(s, a, id, &ar);
    if (rc != NS_OK)
        return cli_fail(EXIT_FAIL, "article %lld: %s", (long long)id, ns_strerror(rc));
    if (edit_article_field(&ar, argv[4], argv[5]) != NS_OK)
        return cli_fail(EXIT_USAGE, "bad field or value: %s %s", argv[4], argv[5]);
    int64_t *tags = arena_alloc(a, (ar.ntags ? ar.ntags : 1) * sizeof *tags);
    for (size_t i = 0; i < ar.ntags; i++)
        tags[i] = ar.tags[i].id;
    ar.updated_at = 0; /* now */
    rc = store_article_update(s, &ar, tags, ar.ntags);
    return rc == NS_OK ? 0 : cli_fail(EXIT_FAIL, "article %lld: %s", (long long)id, ns_strerror(rc));
}

/* comments DIR approve|spam|trash|pending ID... */
static int edit_comments(store_t *s, int argc, char **argv)
{
    static const char *const verbs[] = {"pending", "approve", "spam", "trash"};
    int st = -1;
    for (int i = 0; argc >= 4 && i < 4; i++)
        if (strcmp(argv[2], verbs[i]) == 0)
            st = i;
    if (st < 0)
        return cli_fail(EXIT_USAGE, "usage: nashra comments DIR approve|spam|trash|pending ID...");
    int failed = 0;
    for (int i = 3; i < argc; i++) {
        int64_t id;
        int rc = text_parse_id(argv[i], &id) ? store_comment_set_status(s, id, (comment_status)st) : NS_EINVAL;
        if (rc != NS_OK)
            failed = cli_fail(EXIT_FAIL, "comment %s: %s", argv[i], ns_strerror(rc));
    }
    return failed;
}

/* settings DIR set KEY VALUE */
static int edit_settings(store_t *s, int argc, char **argv)
{
    if (argc != 5 || strcmp(argv[2], "set") != 0)
        return cli_fail(EXIT_USAGE, "usage: nashra settings DIR set KEY VALUE");
    int rc = store_setting_set(s, argv[3], argv[4]);
    return rc == NS_OK ? 0 : cli_fail(EXIT_FAIL, "setting %s: %s", argv[3], ns_strerror(rc));
}

bool cli_edit_command(const char *cmd)
{
    return strcmp(cmd, "article") == 0 || strcmp(cmd, "comments") == 0 || strcmp(cmd, "settings") == 0;
}

int cli_edit(int argc, char **argv)
{
    if (argc < 3)
        return cli_fail(EXIT_USAGE, "usage: nashra %s DIR ... (see nashra --help)", argv[0]);
    char db[PATH_MAX];
    int rc = cli_site_db(argv[1], NULL, db, sizeof db);
    if (rc)
        return rc;
    store_t *s;
    rc = store_open(db, 0, &s);
    if (rc != NS_OK)
        return cli_store_fail(db, rc);
    arena_t *a = arena_new(0);
    if (strcmp(argv[0], "article") == 0)
        rc = edit_article(s, a, argc, argv);
    else if (strcmp(argv[0], "comments") == 0)
        rc = edit_comments(s, argc, argv);
    else
        rc = edit_settings(s, argc, argv);
    arena_free(a);
    store_close(s);
    return rc;
}
