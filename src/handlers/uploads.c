/*
 * uploads.c - the site's media files: /uploads/{path} is DIR/uploads/{path}
 * (what an import copied from the old site, store_media.url).
 *
 * The path comes from the URL, so the file is reached one segment at a
 * time from a descriptor of DIR/uploads with openat and O_NOFOLLOW: no
 * "..", no hidden name, and no symbolic link anywhere below DIR/uploads
 * (which may itself be one, the site owner's choice), so nothing outside
 * it can be served whatever the tree holds. Only regular files, up to
 * UPLOAD_MAX_BYTES, are served, read whole on each miss. The type comes
 * from the extension; a type a browser would run as a document of this
 * site is sandboxed (SVG) or sent as a download (anything unknown), and
 * X-Content-Type-Options: nosniff is on every response (http/respond.c).
 * A file may be replaced under the same name, so browsers keep it a day
 * and revalidate with the ETag and Last-Modified the response layer adds
 * (304); but an image the media library wrote is named by a hash of its
 * content (media/image.h: HASH.EXT, HASH-W.EXT), so that name never
 * means other bytes and browsers may keep it a year without asking
 * (immutable). Small files stay in the response cache for UPLOAD_CACHE_SECONDS,
 * larger ones are never copied into it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "core/err.h"
#include "handlers/handler.h"
#include "media/image.h"

#define UPLOAD_MAX_BYTES ((off_t)64 << 20)
#define UPLOAD_CACHE_BYTES ((off_t)1 << 20)
#define UPLOAD_CACHE_SECONDS 60
#define UPLOAD_MAX_AGE 86400
#define UPLOAD_MAX_DEPTH 16
#define UPLOAD_IMMUTABLE "public, max-age=31536000, immutable"

enum { UPLOAD_SANDBOX = 1, UPLOAD_DOWNLOAD = 2 };

static const struct upload_type {
    const char *ext, *type;
    unsigned flags;
} upload_types[] = {
    {"jpg", "image/jpeg", 0},         {"jpeg", "image/jpeg", 0},
    {"png", "image/png", 0},          {"gif", "image/gif", 0},
    {"webp", "image/webp", 0},        {"avif", "image/avif", 0},
    {"ico", "image/x-icon", 0},       {"bmp", "image/bmp", 0},
    {"svg", "image/svg+xml", UPLOAD_SANDBOX},
    {"pdf", "application/pdf", 0},
    {"mp3", "audio/mpeg", 0},         {"m4a", "audio/mp4", 0},
    {"ogg", "audio/ogg", 0},          {"oga", "audio/ogg", 0},
    {"wav", "audio/wav", 0},
    {"mp4", "video/mp4", 0},          {"m4v", "video/mp4", 0},
    {"webm", "video/webm", 0},        {"ogv", "video/ogg", 0},
    {"mov", "video/quicktime", 0},
    {"txt", "text/plain; charset=utf-8", 0},
    {"csv", "text/csv; charset=utf-8", UPLOAD_DOWNLOAD},
    {"zip", "application/zip", UPLOAD_DOWNLOAD},
    {"doc", "application/msword", UPLOAD_DOWNLOAD},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     UPLOAD_DOWNLOAD},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     UPLOAD_DOWNLOAD},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     UPLOAD_DOWNLOAD},
};

static const struct upload_type upload_unknown = {"", "application/octet-stream", UPLOAD_DOWNLOAD};

/* The type of the file named name (its last segment). */
static const struct upload_type *upload_type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof upload_types / sizeof *upload_types; i++)
        if (strcasecmp(dot + 1, upload_types[i].ext) == 0)
            return &upload_types[i];
    return &upload_unknown;
}

/* True if name is one the media library gives a cleaned image or its
 * variant: IMAGE_HASH_HEX lowercase hex digits, optionally "-" and a
 * width, then the extension of an accepted image. */
static bool upload_hashed(const char *name)
{
    size_t n = strspn(name, "0123456789abcdef");
    if (n != IMAGE_HASH_HEX)
        return false;
    const char *p = name + n;
    if (*p == '-') {
        size_t d = strspn(p + 1, "0123456789");
        if (d == 0 || d > 5)
            return false;
        p += 1 + d;
    }
    return *p == '.' && strchr(p + 1, '.') == NULL && image_mime_of_name(p) != NULL;
}

/* True if seg (n bytes) may name a file or directory under uploads: not
 * empty, not hidden (nor "." or ".."), no backslash, at most NAME_MAX. */
static bool upload_segment_ok(const char *seg, size_t n)
{
    return n > 0 && n <= NAME_MAX && seg[0] != '.' && !memchr(seg, '\\', n);
}

/* Open the relative path under the directory fd dir, one segment at a
 * time, following no symbolic link; the last segment without blocking (a
 * FIFO). Consumes dir. A descriptor, or NS_ENOTFOUND. */
static int upload_walk(int dir, const char *path)
{
    char seg[NAME_MAX + 1];
    for (int depth = 0; depth < UPLOAD_MAX_DEPTH; depth++) {
        size_t n = strcspn(path, "/");
        if (!upload_segment_ok(path, n))
            break;
        memcpy(seg, path, n);
        seg[n] = '\0';
        bool last = path[n] == '\0';
        int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
        int fd = openat(dir, seg, flags);
        close(dir);
        if (fd < 0 || last)
            return fd < 0 ? NS_ENOTFOUND : fd;
        dir = fd;
        path += n + 1;
    }
    close(dir);
    return NS_ENOTFOUND;
}

/* The file at path under DIR/uploads, opened for reading. */
static int upload_open(hreq_t *rq, const char *path)
{
    const char *root = arena_printf(rq->arena, "%s/uploads", rq->site->dir ? rq->site->dir : ".");
    int dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return dir < 0 ? NS_ENOTFOUND : upload_walk(dir, path);
}

/* The bytes of a response: [from, from + len) of the file. */
typedef struct upload_span {
    int64_t from, len;
} upload_span;

/* Digits at *s as a number (advancing *s); -1 if none or too many. */
static int64_t upload_number(const char **s)
{
    int64_t v = 0;
    const char *p = *s;
    for (; *p >= '0' && *p <= '9' && p - *s < 18; p++)
        v = v * 10 + (*p - '0');
    if (p == *s || (*p >= '0' && *p <= '9'))
        return -1;
    *s = p;
    return v;
}

/* The span of a file of size bytes (modified at mtime) a Range header
 * asks for: 1 with *out set for one satisfiable range; -1 when none of
 * the file is in it (416); 0 for the whole file (no Range, an If-Range
 * that is not the file's date, several ranges or a malformed one, which
 * RFC 9110 lets a server answer with all of it). */
static int upload_range(const char *range, const char *if_range, int64_t size, int64_t mtime,
                        upload_span *out)
{
    *out = (upload_span){0, size};
    int64_t when;
    /* If-Range: only a date can be checked without reading the file; the
     * whole file is the safe answer to any other */
    if (!range || strncmp(range, "bytes=", 6) != 0 ||
        (if_range && (date_parse_http(if_range, &when) != 0 || when != mtime)))
        return 0;
    const char *p = range + 6;
    int64_t first = *p == '-' ? -1 : upload_number(&p), last = -1;
    if (*p++ != '-' || (first < 0 && *p == '\0')) /* "bytes=-": nothing asked */
        return 0;
    if (*p && (last = upload_number(&p)) < 0)
        return 0;
    if (*p != '\0' || (first >= 0 && last >= 0 && last < first))
        return 0; /* several ranges, or not a range: the whole file */
    if (first < 0) { /* the last `last` bytes */
        first = last >= size ? 0 : size - last;
        last = size - 1;
    }
    if (first >= size)
        return -1;
    if (last < 0 || last >= size)
        last = size - 1;
    *out = (upload_span){first, last - first + 1};
    return 1;
}

/* Read span of the regular file fd into rs's body. */
static int upload_read(hreq_t *rq, hresp_t *rs, int fd, upload_span span)
{
    size_t size = (size_t)span.len;
    char *data = arena_alloc(rq->arena, size + 1);
    size_t got = 0;
    while (got < size) {
        ssize_t k = pread(fd, data + got, size - got, (off_t)(span.from + (int64_t)got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return NS_EIO; /* shrunk or unreadable while being read */
        got += (size_t)k;
    }
    data[size] = '\0';
    rs->body = (buf_t){.data = data, .len = size, .cap = size + 1, .arena = rq->arena};
    return 0;
}

/* The headers of a file of type t called name. */
static int upload_headers(hreq_t *rq, hresp_t *rs, const struct upload_type *t, const char *name)
{
    rs->content_type = t->type;
    int rc = hresp_header(rs, "Accept-Ranges", "bytes");
    if (rc == 0 && (t->flags & UPLOAD_SANDBOX)) /* with the site's policy: both apply */
        rc = hresp_header(rs, "Content-Security-Policy",
                          "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'");
    if (rc < 0 || !(t->flags & UPLOAD_DOWNLOAD))
        return rc;
    /* RFC 6266's filename*: the name percent-encoded as UTF-8 */
    buf_t v;
    buf_init(&v, rq->arena);
    buf_puts(&v, "attachment; filename*=UTF-8''");
    buf_url_escape(&v, name, strlen(name));
    return hresp_header(rs, "Content-Disposition", buf_cstr(&v));
}

/* The answer for the open regular file fd of st, named name: the whole
 * file (200), the range asked for (206, never cached) or 416. */
static int upload_send(hreq_t *rq, hresp_t *rs, int fd, const struct stat *st, const char *name)
{
    upload_span span;
    int r = upload_range(hreq_header(rq, "range"), hreq_header(rq, "if-range"), st->st_size,
                         st->st_mtime, &span);
    rs->status = r > 0 ? 206 : r < 0 ? 416 : 200;
    int rc = r < 0 ? 0 : upload_read(rq, rs, fd, span);
    if (rc == 0)
        rc = upload_headers(rq, rs, upload_type_of(name), name);
    if (rc == 0 && r != 0)
        rc = hresp_header(rs, "Content-Range", r < 0
                          ? arena_printf(rq->arena, "bytes */%lld", (long long)st->st_size)
                          : arena_printf(rq->arena, "bytes %lld-%lld/%lld", (long long)span.from,
                                         (long long)(span.from + span.len - 1), (long long)st->st_size));
    if (rc < 0)
        return rc;
    rs->last_modified = st->st_mtime;
    rs->max_age = UPLOAD_MAX_AGE;
    if (upload_hashed(name))
        rs->cache_control = UPLOAD_IMMUTABLE;
    rs->cacheable = r == 0 && st->st_size <= UPLOAD_CACHE_BYTES;
    rs->expires_at = rq->now + UPLOAD_CACHE_SECONDS;
    return 0;
}

int handler_upload(hreq_t *rq, hresp_t *rs)
{
    const char *path = rq->nparams > 0 ? rq->params[0] : NULL;
    if (!path)
        return NS_ENOTFOUND;
    int fd = upload_open(rq, path);
    if (fd < 0)
        return fd;
    struct stat st;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int rc = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= UPLOAD_MAX_BYTES
             ? upload_send(rq, rs, fd, &st, name) : NS_ENOTFOUND;
    close(fd);
    return rc;
}
