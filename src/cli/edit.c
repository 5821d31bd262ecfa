/*
 * edit.c - changing a site from the command line while it is served:
 * `nashra article DIR set ID FIELD VALUE`, `nashra comments DIR list|approve|…`,
 * `nashra settings DIR set KEY VALUE`. Each change goes through the store's
 * write path like any writer's (one transaction, retried while the server
 * holds the database busy), and the change log it writes lets a running
 * server drop exactly the pages the change concerns.
 */
#include "cli/cli.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
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

#define EDIT_COMMENTS_USAGE "usage: nashra comments DIR list [--status pending|approved|spam|trash]" \
    " [--limit N] | approve|spam|trash|pending|delete ID..."

/* The verbs that set each comment_status, in its order. */
static const char *const comment_verbs[] = {"pending", "approve", "spam", "trash"};

/* Index of name in v[0..n), or -1. */
static int edit_index(const char *const *v, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i], name) == 0)
            return i;
    return -1;
}

/* One line of the list: id, article, author, date (UTC), status, and the
 * start of the text on one line. */
static void edit_comment_line(store_t *s, arena_t *a, const store_comment *c)
{
    store_article ar;
    const char *slug = store_article_by_id(s, a, c->article_id, &ar) == NS_OK ? ar.slug : "?";
    char when[32];
    time_t t = (time_t)c->created_at;
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", gmtime_r(&t, &tm));
    char *start = (char *)text_excerpt(a, c->body ? c->body : "", 60);
    for (char *p = start; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r')
            *p = ' ';
    printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)c->id, slug, c->author_name ? c->author_name : "",
           when, store_comment_status_name(c->status), start);
}

/* comments DIR list [--status S] [--limit N]: newest first */
static int edit_comments_list(store_t *s, arena_t *a, int argc, char **argv)
{
    int st = -1, limit = 100;
    for (int i = 3; i < argc; i += 2) {
        if (i + 1 >= argc)
            return cli_fail(EXIT_USAGE, EDIT_COMMENTS_USAGE);
        comment_status named = store_comment_status_parse(argv[i + 1]);
        if (strcmp(argv[i], "--status") == 0 && strcmp(store_comment_status_name(named), argv[i + 1]) == 0) {
            st = (int)named;
            continue;
        }
        int64_t n;
        if (strcmp(argv[i], "--limit") != 0 || !text_parse_id(argv[i + 1], &n) || n > 10000)
            return cli_fail(EXIT_USAGE, EDIT_COMMENTS_USAGE);
        limit = (int)n;
    }
    store_comment *cs;
    size_t n;
    int rc = store_comment_recent(s, a, st, limit, &cs, &n);
    if (rc != NS_OK)
        return cli_fail(EXIT_FAIL, "comments: %s", ns_strerror(rc));
    for (size_t i = 0; i < n; i++)
        edit_comment_line(s, a, &cs[i]);
    return 0;
}

/* comments DIR approve|spam|trash|pending|delete ID... */
static int edit_comments(store_t *s, arena_t *a, int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[2], "list") == 0)
        return edit_comments_list(s, a, argc, argv);
    int st = argc >= 4 ? edit_index(comment_verbs, 4, argv[2]) : -1;
    bool del = argc >= 4 && strcmp(argv[2], "delete") == 0;
    if (st < 0 && !del)
        return cli_fail(EXIT_USAGE, EDIT_COMMENTS_USAGE);
    int failed = 0;
    for (int i = 3; i < argc; i++) {
        int64_t id;
        int rc = !text_parse_id(argv[i], &id) ? NS_EINVAL
               : del ? store_comment_delete(s, id) : store_comment_set_status(s, id, (comment_status)st);
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
        rc = edit_comments(s, a, argc, argv);
    else
        rc = edit_settings(s, argc, argv);
    arena_free(a);
    store_close(s);
    return rc;
}
