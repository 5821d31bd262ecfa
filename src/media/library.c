/*
 * library.c - media files and their rows (library.h).
 */
#include "media/library.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "media/image.h"

/* Formats every variant width is written in (image.c writes both). */
static const char *const library_formats[] = {"webp", "jpg"};

/* mkdir -p of DIR/uploads/YYYY/MM; 0 or NS_EIO. */
static int library_mkdirs(arena_t *a, const char *dir, const char *rel)
{
    char *path = arena_printf(a, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1;; p++) {
        char *slash = strchr(p, '/');
        if (slash)
            *slash = '\0';
        int rc = mkdir(path, 0755);
        if (rc != 0 && errno != EEXIST)
            return NS_EIO;
        if (!slash)
            return NS_OK;
        *slash = '/';
        p = slash;
    }
}

/* True if url names a file this site keeps under DIR/uploads: a site
 * path below /uploads/ with no ".." in it. */
static bool library_local(const char *url)
{
    return url && strncmp(url, "/uploads/", 9) == 0 && !strstr(url, "..");
}

/* Whether a row other than id names url. */
static bool library_shared(store_t *s, arena_t *a, const char *url, int64_t id)
{
    store_media *m;
    size_t n;
    int64_t total;
    const char *name = strrchr(url, '/') + 1;
    if (store_media_search(s, a, name, 50, 0, &m, &n, &total) != 0)
        return true; /* unsure: keep the file */
    for (size_t i = 0; i < n; i++)
        if (m[i].id != id && strcmp(m[i].url, url) == 0)
            return true;
    return false;
}

/* Remove m's variant files (those of every width it may have). */
static void library_unlink_variants(arena_t *a, const char *dir, const store_media *m)
{
    for (size_t i = 0; i < image_nwidths; i++)
        for (size_t f = 0; f < sizeof library_formats / sizeof *library_formats; f++)
            unlink(arena_printf(a, "%s%s", dir,
                                library_variant_url(a, m, image_widths[i], library_formats[f])));
}

int library_add(store_t *s, arena_t *a, const char *dir, const void *data, size_t len,
                const library_upload *u, store_media *out)
{
    image_original o;
    int rc = image_clean(data, len, &o);
    if (rc != NS_OK)
        return rc;
    time_t t = (time_t)u->now;
    struct tm tm;
    gmtime_r(&t, &tm);
    const char *rel = arena_printf(a, "uploads/%04d/%02d", tm.tm_year + 1900, tm.tm_mon + 1);
    const char *url = arena_printf(a, "/%s/%s.%s", rel, o.hash, image_ext(o.type));
    const char *path = arena_printf(a, "%s%s", dir, url);
    rc = library_mkdirs(a, dir, rel);
    if (rc == NS_OK)
        rc = image_write_file(path, o.data, o.len, true);
    *out = (store_media){.url = url, .title = u->title ? u->title : "", .alt = u->alt ? u->alt : "",
                         .caption = u->caption ? u->caption : "", .description = "",
                         .mime = image_mime(o.type), .created_at = u->now, .width = o.width,
                         .height = o.height, .bytes = (int64_t)o.len, .variants = "",
                         .user_id = u->user_id};
    image_original_free(&o);
    if (rc == NS_OK && (rc = store_media_insert(s, out)) != NS_OK && !library_shared(s, a, url, 0))
        unlink(path);
    return rc;
}

bool library_needs_variants(const store_media *m)
{
    if (!library_local(m->url) || m->width <= 0 || !m->mime || strncmp(m->mime, "image/", 6) != 0)
        return false;
    char want[IMAGE_WIDTHS_MAX];
    image_expected_widths(m->width, want);
    return strcmp(want, m->variants ? m->variants : "") != 0;
}

int library_make_variants(store_t *s, arena_t *a, const char *dir, int64_t id)
{
    store_media m;
    int rc = store_media_get(s, a, id, &m);
    if (rc != NS_OK)
        return rc;
    if (!library_local(m.url) || m.width <= 0)
        return NS_EINVAL;
    char made[IMAGE_WIDTHS_MAX];
    rc = image_make_variants(arena_printf(a, "%s%s", dir, m.url), m.width, made);
    if (rc != NS_OK)
        return rc;
    /* read again: the title or alt text may have changed meanwhile */
    store_media now;
    rc = store_media_get(s, a, id, &now);
    if (rc == NS_OK) {
        now.variants = arena_strdup(a, made);
        rc = store_media_update(s, &now);
    }
    if (rc == NS_ENOTFOUND && !library_shared(s, a, m.url, id))
        library_unlink_variants(a, dir, &m); /* deleted while they were made */
    return rc;
}

int library_remove(store_t *s, arena_t *a, const char *dir, int64_t id)
{
    store_media m;
    int rc = store_media_get(s, a, id, &m);
    if (rc == NS_OK)
        rc = store_media_delete(s, id);
    if (rc != NS_OK || !library_local(m.url) || library_shared(s, a, m.url, id))
        return rc;
    unlink(arena_printf(a, "%s%s", dir, m.url));
    library_unlink_variants(a, dir, &m);
    return NS_OK;
}

const char *library_variant_url(arena_t *a, const store_media *m, int w, const char *ext)
{
    size_t cap = strlen(m->url) + 32;
    char *out = arena_alloc(a, cap);
    if (image_variant_name(m->url, w, ext, out, cap) != NS_OK)
        return m->url;
    return out;
}
