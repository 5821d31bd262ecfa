/*
 * theme.c - loads a site's theme once at start: the default theme directory
 * overlaid file by file by the site's own directory.
 *
 * Loading everything up front (templates compiled, assets read into memory)
 * means requests never touch the filesystem for presentation, a broken
 * template is reported at start with its file and line instead of on some
 * later page view, and the loaded theme is immutable, hence shareable by all
 * worker threads without locks. Hidden files (names starting with '.') are
 * ignored so editor and VCS droppings never become assets.
 */
#include "render/theme.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/err.h"

#define THEME_MAX_FILE (16u << 20) /* bytes per file */
#define THEME_MAX_DEPTH 16         /* directory nesting */
#define THEME_EXT ".mustache"

struct theme_file {
    const char *rel;  /* path relative to the theme root, '/'-separated */
    const char *path; /* where it was read from, for error messages */
    const char *data;
    size_t len;
};

struct theme {
    arena_t *a;
    mu_templates *tmpl;
    struct theme_file *files; /* sorted by rel once loaded; assets only */
    size_t n, cap;
};

struct loader {
    theme_t *t;
    char *err; /* malloc'd */
};

static int load_fail(struct loader *ld, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int load_fail(struct loader *ld, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(ld->err);
    if (vasprintf(&ld->err, fmt, ap) < 0)
        ld->err = NULL;
    va_end(ap);
    return rc;
}

static int errno_rc(int e)
{
    return e == ENOENT || e == ENOTDIR ? NS_ENOTFOUND : e == EACCES ? NS_EPERM : NS_EIO;
}

/* Add or replace rel -> data (linear: themes have tens of files). */
static void theme_put(theme_t *t, const char *rel, const char *path, const char *data, size_t len)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->files[i].rel, rel) == 0) {
            t->files[i].path = arena_strdup(t->a, path);
            t->files[i].data = data;
            t->files[i].len = len;
            return;
        }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        struct theme_file *f = arena_alloc(t->a, cap * sizeof *f);
        if (t->n)
            memcpy(f, t->files, t->n * sizeof *f);
        t->files = f;
        t->cap = cap;
    }
    t->files[t->n++] = (struct theme_file){ arena_strdup(t->a, rel), arena_strdup(t->a, path), data, len };
}

static int read_file(struct loader *ld, const char *path, const char *rel, off_t size)
{
    if (size < 0 || (unsigned long long)size > THEME_MAX_FILE)
        return load_fail(ld, NS_ETOOBIG, "%s: file too large", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return load_fail(ld, errno_rc(errno), "%s: %s", path, strerror(errno));
    char *data = arena_alloc(ld->t->a, (size_t)size + 1);
    size_t got = fread(data, 1, (size_t)size, f);
    bool bad = ferror(f) || got != (size_t)size;
    fclose(f);
    if (bad)
        return load_fail(ld, NS_EIO, "%s: read error", path);
    data[got] = '\0';
    theme_put(ld->t, rel, path, data, got);
    return 0;
}

static int walk(struct loader *ld, const char *dir, const char *rel, int depth);

static int walk_entry(struct loader *ld, const char *dir, const char *rel, const char *name, int depth)
{
    char path[4096], sub[4096];
    int pn = snprintf(path, sizeof path, "%s/%s", dir, name);
    int sn = snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", name);
    if (pn < 0 || sn < 0 || (size_t)pn >= sizeof path || (size_t)sn >= sizeof sub)
        return load_fail(ld, NS_ETOOBIG, "%s/%s: path too long", dir, name);
    struct stat st;
    if (stat(path, &st) != 0)
        return load_fail(ld, errno_rc(errno), "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return walk(ld, path, sub, depth + 1);
    return S_ISREG(st.st_mode) ? read_file(ld, path, sub, st.st_size) : 0;
}

/* Read every regular file under dir into the theme, named rel/... */
static int walk(struct loader *ld, const char *dir, const char *rel, int depth)
{
    if (depth > THEME_MAX_DEPTH)
        return load_fail(ld, NS_ETOOBIG, "%s: directories nested too deeply", dir);
    DIR *d = opendir(dir);
    if (!d)
        return load_fail(ld, errno_rc(errno), "%s: %s", dir, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            rc = walk_entry(ld, dir, rel, e->d_name, depth);
    closedir(d);
    return rc;
}

static bool is_template(const struct theme_file *f)
{
    size_t n = strlen(f->rel), e = sizeof THEME_EXT - 1;
    return n > e && strcmp(f->rel + n - e, THEME_EXT) == 0;
}

/* Compile the *.mustache files; the others stay as assets. */
static int compile_all(struct loader *ld)
{
    theme_t *t = ld->t;
    size_t keep = 0;
    for (size_t i = 0; i < t->n; i++) {
        struct theme_file *f = &t->files[i];
        if (!is_template(f)) {
            t->files[keep++] = *f;
            continue;
        }
        char *name = arena_strndup(t->a, f->rel, strlen(f->rel) - (sizeof THEME_EXT - 1));
        char *msg = NULL;
        int rc = mu_templates_add(t->tmpl, name, f->data, f->len, &msg);
        if (rc < 0)
            return load_fail(ld, rc, "%s: %s", f->path, msg ? msg : ns_strerror(rc));
    }
    t->n = keep;
    return 0;
}

static int file_cmp(const void *a, const void *b)
{
    return strcmp(((const struct theme_file *)a)->rel, ((const struct theme_file *)b)->rel);
}

int theme_load(const char *default_dir, const char *override_dir, theme_t **out, char **err)
{
    if (err)
        *err = NULL;
    if (!default_dir || !out)
        return NS_EINVAL;
    *out = NULL;
    arena_t *a = arena_new(1u << 16);
    theme_t *t = arena_zalloc(a, sizeof *t);
    t->a = a;
    t->tmpl = mu_templates_new(a);
    struct loader ld = { t, NULL };
    struct stat st;
    int rc = walk(&ld, default_dir, "", 0);
    if (rc == 0 && override_dir && stat(override_dir, &st) == 0)
        rc = walk(&ld, override_dir, "", 0);
    if (rc == 0)
        rc = compile_all(&ld);
    if (rc < 0) {
        if (err)
            *err = ld.err;
        else
            free(ld.err);
        arena_free(a);
        return rc;
    }
    qsort(t->files, t->n, sizeof *t->files, file_cmp);
    *out = t;
    return 0;
}

void theme_free(theme_t *t)
{
    if (t)
        arena_free(t->a);
}

int theme_render(const theme_t *t, const char *name, const mu_value *ctx, buf_t *out)
{
    if (!t)
        return NS_EINVAL;
    return mu_render(t->tmpl, name, ctx, out);
}

int theme_asset(const theme_t *t, const char *path, const char **data, size_t *len)
{
    if (!t || !path || !data || !len)
        return NS_EINVAL;
    if (path[0] == '/' || strstr(path, ".."))
        return NS_EINVAL;
    struct theme_file key = { .rel = path };
    const struct theme_file *f = t->n ? bsearch(&key, t->files, t->n, sizeof *t->files, file_cmp) : NULL;
    if (!f)
        return NS_ENOTFOUND;
    *data = f->data;
    *len = f->len;
    return 0;
}
