/*
 * image.c - images checked, cleaned and resized with libvips (image.h).
 */
#include "media/image.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <vips/vips.h>

#include "core/err.h"

const int image_widths[] = {320, 640, 1280};
const size_t image_nwidths = sizeof image_widths / sizeof *image_widths;

/* Each accepted type: the loader libvips chose for it, and how a cleaned
 * original of it is written (a libvips suffix with its save options). */
static const struct image_kind {
    image_type type;
    const char *loader, *mime, *ext, *save;
} image_kinds[] = {
    {IMAGE_JPEG, "VipsForeignLoadJpegBuffer", "image/jpeg", "jpg", ".jpg[Q=90,strip,optimize_coding]"},
    {IMAGE_PNG, "VipsForeignLoadPngBuffer", "image/png", "png", ".png[strip,compression=6]"},
    {IMAGE_WEBP, "VipsForeignLoadWebpBuffer", "image/webp", "webp", ".webp[Q=90,strip]"},
    {IMAGE_GIF, "VipsForeignLoadNsgifBuffer", "image/gif", "gif", ".gif[strip]"},
};

/* How each variant is written: the suffix of its name and libvips' one. */
static const struct image_variant_kind {
    const char *ext, *save;
    bool flatten; /* no alpha in this format */
} image_variant_kinds[] = {
    {"webp", ".webp[Q=80,strip,effort=2]", false},
    {"jpg", ".jpg[Q=82,strip,optimize_coding,interlace]", true},
};

static const struct image_kind *image_kind_of(image_type t)
{
    for (size_t i = 0; i < sizeof image_kinds / sizeof *image_kinds; i++)
        if (image_kinds[i].type == t)
            return &image_kinds[i];
    return NULL;
}

static pthread_once_t image_once = PTHREAD_ONCE_INIT;
static int image_init_rc;

/* libvips' warnings about a damaged file: the failure is returned to
 * the caller, who says it in the language of the page. */
static void image_quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer cls)
{
    (void)domain, (void)level, (void)msg, (void)cls;
}

static void image_start(void)
{
    if (VIPS_INIT("nashra") != 0) {
        image_init_rc = NS_EINTERNAL;
        return;
    }
    vips_block_untrusted_set(TRUE);
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, image_quiet, NULL);
    vips_concurrency_set(IMAGE_THREADS);
    /* every image is handled once: a cache would only hold memory */
    vips_cache_set_max(0);
    if (sodium_init() < 0)
        image_init_rc = NS_EINTERNAL;
}

int image_init(void)
{
    pthread_once(&image_once, image_start);
    return image_init_rc;
}

const char *image_mime(image_type t)
{
    const struct image_kind *k = image_kind_of(t);
    return k ? k->mime : "application/octet-stream";
}

const char *image_ext(image_type t)
{
    const struct image_kind *k = image_kind_of(t);
    return k ? k->ext : "bin";
}

const char *image_mime_of_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && strcasecmp(dot + 1, "jpeg") == 0)
        return "image/jpeg";
    for (size_t i = 0; dot && i < sizeof image_kinds / sizeof *image_kinds; i++)
        if (strcasecmp(dot + 1, image_kinds[i].ext) == 0)
            return image_kinds[i].mime;
    return NULL;
}

/* The header of data, not yet decoded, refusing failures of any kind when
 * its pixels are read; NULL if libvips cannot read it. */
static VipsImage *image_open(const void *data, size_t len)
{
    return vips_image_new_from_buffer(data, len, "", "fail_on", VIPS_FAIL_ON_ERROR, NULL);
}

int image_probe(const void *data, size_t len, image_type *type, int *width, int *height)
{
    if (image_init() != 0)
        return NS_EINTERNAL;
    const char *loader = len ? vips_foreign_find_load_buffer(data, len) : NULL;
    const struct image_kind *k = NULL;
    for (size_t i = 0; loader && i < sizeof image_kinds / sizeof *image_kinds; i++)
        if (strcmp(loader, image_kinds[i].loader) == 0)
            k = &image_kinds[i];
    vips_error_clear();
    if (!k)
        return NS_EINVAL;
    VipsImage *im = image_open(data, len);
    if (!im) {
        vips_error_clear();
        return NS_ECORRUPT;
    }
    *type = k->type;
    *width = vips_image_get_width(im);
    *height = vips_image_get_height(im);
    g_object_unref(im);
    if (*width <= 0 || *height <= 0)
        return NS_ECORRUPT;
    return (int64_t)*width * *height > IMAGE_MAX_PIXELS ? NS_ETOOBIG : NS_OK;
}

/* im upright and in sRGB: a new reference in *out, or -1. */
static int image_normalise(VipsImage *im, VipsImage **out)
{
    VipsImage *up;
    if (vips_autorot(im, &up, NULL) != 0)
        return -1;
    int rc = 0;
    if (vips_image_get_typeof(up, VIPS_META_ICC_NAME))
        rc = vips_icc_transform(up, out, "srgb", "embedded", TRUE, "depth", 8, NULL);
    else if (vips_image_get_interpretation(up) == VIPS_INTERPRETATION_CMYK)
        rc = vips_colourspace(up, out, VIPS_INTERPRETATION_sRGB, NULL);
    else
        *out = g_object_ref(up);
    g_object_unref(up);
    return rc;
}

/* Whether the metadata field name is one a written file must not carry:
 * anything about the camera, the place, the person or the software. */
static bool image_private_field(const char *name)
{
    static const char *const prefixes[] = {"exif-", "xmp-", "iptc-", "icc-", "png-comment",
                                           "gif-comment", "orientation", "heif-", "magick-"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* A copy of im without any private metadata (libvips' savers may write
 * what they find on the image even when asked to strip). */
static VipsImage *image_bare(VipsImage *im)
{
    VipsImage *out;
    if (vips_copy(im, &out, NULL) != 0)
        return NULL;
    gchar **fields = vips_image_get_fields(out);
    for (gchar **f = fields; f && *f; f++)
        if (image_private_field(*f))
            vips_image_remove(out, *f);
    g_strfreev(fields);
    return out;
}

static uint32_t image_le32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Drop the EXIF, XMP and ICC chunks of the WebP file d[0..*len), in
 * place, and their flags in its VP8X header: libvips 8.14's WebP saver
 * writes an EXIF block of its own whatever it is asked. Not WebP, or
 * malformed: left as it is. */
static void image_webp_strip(unsigned char *d, size_t *len)
{
    if (*len < 12 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WEBP", 4) != 0)
        return;
    size_t at = 12;
    while (at + 8 <= *len) { /* chunks are padded to even sizes */
        size_t n = 8 + (size_t)image_le32(d + at + 4);
        if (n + (n & 1) > *len - at)
            return; /* malformed: left untouched */
        at += n + (n & 1);
    }
    size_t in = 12, out = 12;
    while (in + 8 <= *len) {
        size_t n = 8 + (size_t)image_le32(d + in + 4);
        n += n & 1;
        bool drop = !memcmp(d + in, "EXIF", 4) || !memcmp(d + in, "XMP ", 4) ||
                    !memcmp(d + in, "ICCP", 4);
        if (!drop) {
            memmove(d + out, d + in, n);
            if (!memcmp(d + out, "VP8X", 4) && n >= 9)
                d[out + 8] &= (unsigned char)~(0x20 | 0x08 | 0x04); /* ICC, EXIF, XMP */
            out += n;
        }
        in += n;
    }
    uint32_t riff = (uint32_t)(out - 8);
    d[4] = riff & 0xff, d[5] = riff >> 8 & 0xff, d[6] = riff >> 16 & 0xff, d[7] = riff >> 24;
    *len = out;
}

/* Write im in the format and options of suffix, bare, into *data. */
static int image_save(VipsImage *im, const char *suffix, void **data, size_t *len)
{
    VipsImage *bare = image_bare(im);
    int rc = bare ? vips_image_write_to_buffer(bare, suffix, data, len, NULL) : -1;
    if (bare)
        g_object_unref(bare);
    if (rc == 0)
        image_webp_strip(*data, len);
    return rc;
}

/* The hex of a short hash of data into out. */
static void image_hash(const void *data, size_t len, char out[IMAGE_HASH_HEX + 1])
{
    unsigned char h[IMAGE_HASH_HEX / 2];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    sodium_bin2hex(out, IMAGE_HASH_HEX + 1, h, sizeof h);
}

int image_clean(const void *data, size_t len, image_original *out)
{
    memset(out, 0, sizeof *out);
    image_type type;
    int w, h, rc = image_probe(data, len, &type, &w, &h);
    if (rc != NS_OK)
        return rc;
    VipsImage *im = image_open(data, len), *clean = NULL;
    rc = im && image_normalise(im, &clean) == 0 ? NS_OK : NS_ECORRUPT;
    if (rc == NS_OK &&
        image_save(clean, image_kind_of(type)->save, &out->data, &out->len) != 0)
        rc = NS_ECORRUPT; /* the pixels are read here: a truncated file fails now */
    if (rc == NS_OK) {
        out->type = type;
        out->width = vips_image_get_width(clean);
        out->height = vips_image_get_height(clean);
        image_hash(out->data, out->len, out->hash);
    }
    if (clean)
        g_object_unref(clean);
    if (im)
        g_object_unref(im);
    vips_error_clear();
    if (rc != NS_OK)
        image_original_free(out);
    return rc;
}

void image_original_free(image_original *o)
{
    g_free(o->data);
    o->data = NULL;
    o->len = 0;
}

void image_expected_widths(int width, char out[IMAGE_WIDTHS_MAX])
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < image_nwidths && image_widths[i] <= width; i++)
        n += (size_t)snprintf(out + n, IMAGE_WIDTHS_MAX - n, "%s%d", n ? "," : "", image_widths[i]);
}

int image_variant_name(const char *path, int w, const char *ext, char *out, size_t cap)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return NS_EINVAL;
    int n = snprintf(out, cap, "%.*s-%d.%s", (int)(dot - path), path, w, ext);
    return n < 0 || (size_t)n >= cap ? NS_ETOOBIG : NS_OK;
}

int image_write_file(const char *path, const void *data, size_t len, bool durable)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp%ld-%ld", path, (long)getpid(), (long)gettid()) >= sizeof tmp)
        return NS_EIO;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return NS_EIO;
    size_t done = 0;
    while (done < len) {
        ssize_t k = write(fd, (const char *)data + done, len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    int ok = done == len && (!durable || fsync(fd) == 0);
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return NS_EIO;
    }
    return NS_OK;
}

/* Write the variant of path w wide from the image im, once per format. */
static int image_write_variant(const char *path, int w, VipsImage *im)
{
    for (size_t i = 0; i < sizeof image_variant_kinds / sizeof *image_variant_kinds; i++) {
        const struct image_variant_kind *k = &image_variant_kinds[i];
        char name[4096];
        VipsImage *flat = NULL;
        void *data = NULL;
        size_t len = 0;
        int rc = image_variant_name(path, w, k->ext, name, sizeof name);
        if (rc != NS_OK)
            return rc;
        if (k->flatten && vips_image_hasalpha(im)) {
            VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
            rc = vips_flatten(im, &flat, "background", white, NULL) ? NS_ECORRUPT : NS_OK;
            vips_area_unref(VIPS_AREA(white));
        }
        if (rc == NS_OK && image_save(flat ? flat : im, k->save, &data, &len))
            rc = NS_ECORRUPT;
        if (rc == NS_OK)
            rc = image_write_file(name, data, len, false);
        g_free(data);
        if (flat)
            g_object_unref(flat);
        if (rc != NS_OK)
            return rc;
    }
    return NS_OK;
}

int image_make_variants(const char *path, int width, char out[IMAGE_WIDTHS_MAX])
{
    if (image_init() != 0)
        return NS_EINTERNAL;
    out[0] = '\0';
    size_t n = 0;
    int rc = NS_OK;
    for (size_t i = 0; rc == NS_OK && i < image_nwidths && image_widths[i] <= width; i++) {
        VipsImage *thumb = NULL, *mem = NULL;
        /* shrink-on-load where the format has it; kept in memory so the
         * two formats do not decode it twice */
        if (vips_thumbnail(path, &thumb, image_widths[i], "height", VIPS_MAX_COORD, "size",
                           VIPS_SIZE_DOWN, NULL) != 0 || !(mem = vips_image_copy_memory(thumb)))
            rc = NS_ECORRUPT;
        if (rc == NS_OK)
            rc = image_write_variant(path, image_widths[i], mem);
        if (rc == NS_OK)
            n += (size_t)snprintf(out + n, IMAGE_WIDTHS_MAX - n, "%s%d", n ? "," : "",
                                  image_widths[i]);
        if (mem)
            g_object_unref(mem);
        if (thumb)
            g_object_unref(thumb);
    }
    vips_error_clear();
    return rc;
}
