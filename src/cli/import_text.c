/*
 * import_text.c - `nashra import text DIR FILE...|-`: articles copied as
 * plain text off news pages (import/text.h), each made a draft for an
 * editor to check, complete and publish. Files are independent: one that
 * cannot be read or parsed is reported and the others are still imported,
 * each in its own write.
 */
#include "cli/import.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "import/text.h"
#include "render/markdown.h"
#include "store/store.h"

#define IMPORT_TEXT_MAX (8u << 20)   /* bytes of one file */
#define IMPORT_SLUG_MAX 200
#define IMPORT_SLUG_TRIES 1000       /* -2 … -999 after a taken slug */

/* All of f into *out (NUL-terminated, on a): NS_ETOOBIG past
 * IMPORT_TEXT_MAX bytes, NS_EIO if reading fails (errno says why). */
static int read_all(arena_t *a, FILE *f, char **out, size_t *len)
{
    buf_t b;
    buf_init(&b, NULL);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len + n <= IMPORT_TEXT_MAX)
        buf_append(&b, chunk, n);
    int rc = ferror(f) ? NS_EIO : n > 0 ? NS_ETOOBIG : NS_OK;
    if (rc == NS_OK) {
        *out = arena_strndup(a, b.data ? b.data : "", b.len);
        *len = b.len;
    }
    buf_release(&b);
    return rc;
}

/* The text of path ("-": standard input); messages say what is wrong. */
static int load(arena_t *a, const char *path, char **text, size_t *len)
{
    bool in = strcmp(path, "-") == 0;
    FILE *f = in ? stdin : fopen(path, "rb");
    if (!f)
        return cli_fail(NS_EIO, "%s: %s", path, strerror(errno));
    int rc = read_all(a, f, text, len);
    int err = errno;
    if (!in)
        fclose(f);
    if (rc == NS_ETOOBIG)
        return cli_fail(rc, "%s: larger than %u MiB", path, IMPORT_TEXT_MAX >> 20);
    if (rc)
        return cli_fail(rc, "%s: %s", path, strerror(err));
    return NS_OK;
}

/* The draft parsed from text[0..len); messages say what is wrong. */
static int parse(arena_t *a, const char *path, const char *text, size_t len, store_article *ar)
{
    if (len == 0)
        return cli_fail(NS_EINVAL, "%s: empty", path);
    if (!text_valid_utf8(text, len))
        return cli_fail(NS_EINVAL, "%s: not UTF-8 text (invalid bytes or control characters)", path);
    if (import_text_parse(a, text, len, ar) != NS_OK)
        return cli_fail(NS_EINVAL, "%s: no headline (nothing but blank lines)", path);
    char *html = NULL;
    int rc = markdown_render(a, ar->body_md, strlen(ar->body_md), &html);
    if (rc)
        return cli_fail(rc, "%s: %s", path, rc == NS_ETOOBIG ? "too big" : ns_strerror(rc));
    int64_t now = (int64_t)time(NULL);
    ar->body_html = html;
    ar->status = ARTICLE_DRAFT;
    ar->comments_open = true;
    /* a draft's date is shown once it is published, and 0 would read as
     * 1970: the import's time until an editor sets another */
    ar->created_at = ar->updated_at = ar->published_at = now;
    return NS_OK;
}

/* Insert ar as a new article with a slug made from its title, suffixed
 * -2, -3… while the slug is taken. */
static int insert(store_t *s, arena_t *a, store_article *ar)
{
    const char *base = text_slugify(a, ar->title, IMPORT_SLUG_MAX);
    if (!*base)
        base = "article";
    ar->slug = base;
    int rc;
    for (int k = 2; (rc = store_article_insert(s, ar, NULL, 0)) == NS_EEXIST && k < IMPORT_SLUG_TRIES; k++)
        ar->slug = arena_printf(a, "%s-%d", base, k);
    return rc;
}

/* One file: 0 after printing "ID SLUG TITLE", else an NS_E* code after
 * saying why on stderr. */
static int import_file(store_t *s, const char *path)
{
    arena_t *a = arena_new(0);
    char *text = NULL;
    size_t len = 0;
    store_article ar = { 0 };
    int rc = load(a, path, &text, &len);
    if (rc == NS_OK)
        rc = parse(a, path, text, len, &ar);
    if (rc == NS_OK && (rc = insert(s, a, &ar)) != NS_OK)
        cli_fail(rc, "%s: %s", path, ns_strerror(rc));
    if (rc == NS_OK)
        printf("%lld\t%s\t%s\n", (long long)ar.id, ar.slug, ar.title);
    arena_free(a);
    return rc;
}

int cli_import_text(int argc, char **argv)
{
    if (argc < 3)
        return cli_fail(EXIT_USAGE, "usage: %s", CLI_IMPORT_USAGE);
    int stdin_uses = 0;
    for (int i = 2; i < argc; i++)
        stdin_uses += strcmp(argv[i], "-") == 0;
    if (stdin_uses > 1)
        return cli_fail(EXIT_USAGE, "standard input (-) can be read only once");
    store_t *s;
    int rc = cli_site_open(argv[1], &s);
    if (rc)
        return rc;
    int failed = 0;
    for (int i = 2; i < argc; i++) {
        failed += import_file(s, argv[i]) != NS_OK;
        fflush(stdout);
    }
    store_close(s);
    return failed ? EXIT_FAIL : 0;
}
