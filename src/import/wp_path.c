/*
 * wp_path.c - the old site's addresses and files: which path an old
 * address asks for (so that a redirect can answer it), slugs as the site
 * keeps them, attachment files copied from the old uploads directory, and
 * links in bodies made to point here.
 *
 * Paths and file names come from the export and are hostile: a file is
 * copied only from a relative path of plain segments (no "..", no empty
 * or hidden ones) under the directories named on the command line.
 */
#include "import/wp_item.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

#define WP_UPLOADS_PATH "/wp-content/uploads/"

/* ---- addresses ---- */

const char *wp_old_path(wp_ctx *c, const char *url)
{
    if (!url || !*url)
        return NULL;
    const char *p = url;
    if (strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0) {
        p = strchr(strstr(p, "//") + 2, '/');
        if (!p)
            return NULL; /* the site's root */
    } else if (*p != '/') {
        return NULL;
    }
    size_t n = strcspn(p, "?#");
    char *path;
    if (text_url_decode(c->ia, p, n, &path) != 0)
        return NULL;
    if (p[n] != '?')
        return path;
    /* only the root keeps its query: /?p=12, /?page_id=3 are addresses of their own */
    if (strcmp(path, "/") != 0)
        return path;
    size_t q = strcspn(p + n, "#");
    char *query;
    if (text_url_decode(c->ia, p + n, q, &query) != 0)
        return NULL;
    return arena_printf(c->ia, "/%s", query);
}

/* a and b the same path but for a trailing slash */
static bool wp_same_path(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na && a[na - 1] == '/')
        na--;
    if (nb && b[nb - 1] == '/')
        nb--;
    return na == nb && memcmp(a, b, na) == 0;
}

int wp_redirect(wp_ctx *c, const char *from, const char *to)
{
    const char *path = wp_old_path(c, from);
    if (!path || !to || !*to || strcmp(path, "/") == 0 || wp_same_path(path, to))
        return 0;
    store_redirect r = { .from_path = path, .to_path = to, .status = 301 };
    int rc = store_redirect_put(c->s, &r);
    c->sum->redirects += rc == 0;
    return rc;
}

int wp_redirect_query(wp_ctx *c, const char *name, int64_t value, const char *to)
{
    return wp_redirect(c, arena_printf(c->ia, "/?%s=%lld", name, (long long)value), to);
}

/* An exported slug the site can keep as it is: one path segment of
 * visible characters (text_url_decode refused the controls). */
static bool wp_slug_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 200 || s[0] == '.')
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || strchr("/?#%\\\"<>", *p))
            return false;
    return true;
}

const char *wp_slug(wp_ctx *c, const char *exported, const char *title, const char *prefix, int64_t id)
{
    char *decoded;
    if (exported && *exported && text_url_decode(c->ia, exported, strlen(exported), &decoded) == 0) {
        if (wp_slug_ok(decoded))
            return decoded; /* kept as it was, marks and all: its old address is this one */
        const char *slug = text_slugify(c->ia, decoded, 200);
        if (*slug)
            return slug;
    }
    const char *slug = title ? text_slugify(c->ia, title, 200) : "";
    return *slug ? slug : arena_printf(c->ia, "%s-%lld", prefix ? prefix : "item", (long long)id);
}

/* ---- the source ---- */

static void wp_add_base(wp_ctx *c, const char *url)
{
    const char *rest = strncasecmp(url, "http://", 7) == 0 ? url + 7 : strncasecmp(url, "https://", 8) == 0 ? url + 8 : NULL;
    if (!rest || !*rest)
        return;
    size_t n = strlen(rest);
    while (n && rest[n - 1] == '/')
        n--;
    for (int tls = 0; tls < 2; tls++) {
        const char *b = arena_printf(c->a, "%s://%.*s", tls ? "https" : "http", (int)n, rest);
        bool have = false;
        for (size_t i = 0; i < c->nbases; i++)
            have |= strcmp(c->bases[i], b) == 0;
        if (!have && c->nbases < sizeof c->bases / sizeof c->bases[0])
            c->bases[c->nbases++] = b;
    }
}

int wp_site_settings(wp_ctx *c, const wxr_site *site)
{
    const char *tz = c->tz_known ? arena_printf(c->ia, "%lld", (long long)c->tz_offset) : "";
    const char *const settings[][2] = {
        {"site_name", site->title}, {"site_description", site->description}, {"timezone_offset", tz},
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof settings / sizeof settings[0]; i++) {
        const char *v;
        if (!*settings[i][1] || store_setting_get(c->s, c->ia, settings[i][0], &v) != NS_ENOTFOUND)
            continue;
        rc = store_setting_set(c->s, settings[i][0], settings[i][1]);
    }
    return rc;
}

void wp_set_source(wp_ctx *c, const wxr_site *site)
{
    const char *src = *site->base_site_url ? site->base_site_url : *site->link ? site->link : "wordpress";
    size_t n = strlen(src);
    while (n > 1 && src[n - 1] == '/')
        n--;
    c->source = arena_strndup(c->a, src, n);
    wp_add_base(c, site->base_blog_url);
    wp_add_base(c, site->base_site_url);
}

/* ---- files ---- */

/* rel a relative path of plain segments: no empty, dot-leading or
 * over-long segment, no backslash or control character. */
static bool wp_safe_rel(const char *rel)
{
    if (!rel || !*rel || strlen(rel) > 1024 || !text_valid_utf8(rel, strlen(rel)))
        return false;
    for (const char *seg = rel; *seg;) {
        size_t n = strcspn(seg, "/");
        if (n == 0 || n > 255 || seg[0] == '.')
            return false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)seg[i] < 0x20 || seg[i] == '\\' || seg[i] == 0x7f)
                return false;
        seg += n;
        if (*seg == '/' && !*++seg)
            return false;
    }
    return true;
}

/* mkdir -p of the directories of dir/rel (not its last segment). */
static int wp_mkdirs(wp_ctx *c, const char *dir, const char *rel)
{
    char *path = arena_printf(c->ia, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return NS_EIO;
    }
    return 0;
}

static int wp_copy_fd(int in, int out)
{
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return NS_EIO;
            off += w;
        }
    return n < 0 ? NS_EIO : 0;
}

/* Copy uploads/rel into the site's uploads/rel, through a temporary file
 * renamed into place; a file already there with the same size is kept.
 * NS_ENOTFOUND: no such regular file in the old uploads. */
static int wp_copy_upload(wp_ctx *c, const char *rel)
{
    const char *src = arena_printf(c->ia, "%s/%s", c->o->uploads_dir, rel);
    const char *dir = arena_printf(c->ia, "%s/uploads", c->o->site_dir ? c->o->site_dir : ".");
    const char *dst = arena_printf(c->ia, "%s/%s", dir, rel);
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat si, so;
    if (in < 0 || fstat(in, &si) != 0 || !S_ISREG(si.st_mode)) {
        if (in >= 0)
            close(in);
        return NS_ENOTFOUND;
    }
    int rc = 0;
    if (!(stat(dst, &so) == 0 && so.st_size == si.st_size) && !c->o->dry_run) {
        const char *tmp = arena_printf(c->ia, "%s.part%d", dst, (int)getpid());
        rc = mkdir(dir, 0755) == 0 || errno == EEXIST ? wp_mkdirs(c, dir, rel) : NS_EIO;
        int out = rc ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        rc = out < 0 ? NS_EIO : wp_copy_fd(in, out);
        if (out >= 0 && (close(out) != 0 || rc != 0 || rename(tmp, dst) != 0)) {
            unlink(tmp);
            rc = NS_EIO;
        }
        c->sum->files_copied += rc == 0;
    }
    close(in);
    return rc;
}

int wp_attachment_file(wp_ctx *c, const char *rel, const char *old_url, const char **url)
{
    *url = old_url && *old_url ? old_url : "";
    if (!c->o->uploads_dir)
        return 0;
    if (!wp_safe_rel(rel)) {
        wp_skip(c, "attachment files with an unusable path (address kept)");
        return 0;
    }
    int rc = wp_copy_upload(c, rel);
    if (rc == NS_ENOTFOUND) {
        wp_skip(c, "attachment files missing from the uploads directory (address kept)");
        return 0;
    }
    if (rc) {
        wp_fail(c, 0, "cannot copy %s from %s into %s/uploads: %s", rel, c->o->uploads_dir,
                c->o->site_dir, strerror(errno));
        return rc;
    }
    *url = arena_printf(c->ia, "/uploads/%s", rel);
    return 0;
}

/* ---- links in bodies ---- */

/* The old site's address that s starts with, or NULL. */
static const char *wp_base_at(const wp_ctx *c, const char *s)
{
    for (size_t i = 0; i < c->nbases; i++) {
        size_t n = strlen(c->bases[i]);
        if (strncasecmp(s, c->bases[i], n) == 0 && (s[n] == '/' || s[n] == '"'))
            return c->bases[i];
    }
    return NULL;
}

/* An attribute value at s (after the old site's address) that points into
 * its uploads: the file copied here and the site path written to b. */
static bool wp_rewrite_upload(wp_ctx *c, buf_t *b, const char *s)
{
    size_t plen = strlen(WP_UPLOADS_PATH);
    if (!c->o->uploads_dir || strncmp(s, WP_UPLOADS_PATH, plen) != 0)
        return false;
    size_t n = strcspn(s + plen, "\"?#");
    char *rel;
    if (text_url_decode(c->ia, s + plen, n, &rel) != 0 || !wp_safe_rel(rel) ||
        wp_copy_upload(c, rel) != 0)
        return false;
    buf_puts(b, "/uploads/");
    buf_append(b, s + plen, n);
    return true;
}

const char *wp_rewrite_body(wp_ctx *c, const char *html)
{
    if (!c->nbases)
        return html;
    buf_t b;
    buf_init(&b, c->ia);
    const char *p = html, *q;
    while ((q = strstr(p, "=\"http"))) {
        q += 2;
        buf_append(&b, p, (size_t)(q - p));
        p = q;
        const char *base = wp_base_at(c, q);
        if (!base)
            continue;
        const char *rest = q + strlen(base);
        if (wp_rewrite_upload(c, &b, rest)) {
            p = rest + strlen(WP_UPLOADS_PATH) + strcspn(rest + strlen(WP_UPLOADS_PATH), "\"?#");
        } else if (strncmp(rest, WP_UPLOADS_PATH, strlen(WP_UPLOADS_PATH)) != 0) {
            p = *rest == '"' ? (buf_putc(&b, '/'), rest) : rest; /* the old home: the new one */
        }
    }
    buf_puts(&b, p);
    return buf_cstr(&b);
}
