/*
 * test_image.c - uploaded images as libvips sees them: each accepted type
 * made here by libvips itself and cleaned; a JPEG carrying EXIF with GPS
 * tags and an orientation, built byte by byte, comes out upright with no
 * metadata left; a text file, a truncated JPEG and a PNG whose header
 * claims 100000×100000 pixels are refused; variants exist at the widths
 * the original allows, and no wider.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <vips/vips.h>
#include <zlib.h>

#include "core/err.h"
#include "media/image.h"
#include "media/picture.h"

static void test_accepted_types(void **state)
{
    (void)state;
    static const struct { const char *suffix; image_type type; const char *mime; } cases[] = {
        {".jpg", IMAGE_JPEG, "image/jpeg"}, {".png", IMAGE_PNG, "image/png"},
        {".webp", IMAGE_WEBP, "image/webp"}, {".gif", IMAGE_GIF, "image/gif"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len;
        void *data = picture_make(120, 80, cases[i].suffix, &len);
        image_original o;
        assert_int_equal(image_clean(data, len, &o), 0);
        assert_int_equal(o.type, cases[i].type);
        assert_string_equal(image_mime(o.type), cases[i].mime);
        assert_int_equal(o.width, 120);
        assert_int_equal(o.height, 80);
        assert_int_equal(strlen(o.hash), IMAGE_HASH_HEX);
        /* what was written is itself an accepted image of the same type */
        image_type t;
        int w, h;
        assert_int_equal(image_probe(o.data, o.len, &t, &w, &h), 0);
        assert_int_equal(t, cases[i].type);
        image_original_free(&o);
        g_free(data);
    }
}

static void put16(unsigned char *p, unsigned v) { p[0] = v & 0xff; p[1] = v >> 8; }
static void put32(unsigned char *p, unsigned v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }

/* A TIFF IFD entry (little-endian). */
static void ifd_entry(unsigned char *p, unsigned tag, unsigned type, unsigned count, unsigned value)
{
    put16(p, tag);
    put16(p + 2, type);
    put32(p + 4, count);
    put32(p + 8, value);
}

/* jpeg with an APP1 Exif segment inserted after SOI: IFD0 holds an
 * orientation (6: turn 90° clockwise) and a pointer to a GPS IFD with a
 * version and a latitude reference. */
static unsigned char *with_exif(const unsigned char *jpeg, size_t len, size_t *out_len)
{
    unsigned char tiff[68] = {'I', 'I', 42, 0};
    put32(tiff + 4, 8);
    put16(tiff + 8, 2);
    ifd_entry(tiff + 10, 0x0112, 3, 1, 6);      /* Orientation */
    ifd_entry(tiff + 22, 0x8825, 4, 1, 38);     /* GPS IFD at 38 */
    put32(tiff + 34, 0);
    put16(tiff + 38, 2);
    ifd_entry(tiff + 40, 0x0000, 1, 4, 0x00000302); /* GPSVersionID 2.3.0.0 */
    ifd_entry(tiff + 52, 0x0001, 2, 2, 'N');        /* GPSLatitudeRef "N" */
    put32(tiff + 64, 0);
    size_t seg = 2 + 6 + sizeof tiff;
    unsigned char *out = malloc(len + 2 + seg);
    memcpy(out, jpeg, 2);                       /* SOI */
    unsigned char *p = out + 2;
    *p++ = 0xff;
    *p++ = 0xe1;
    *p++ = (unsigned char)(seg >> 8);
    *p++ = (unsigned char)seg;
    memcpy(p, "Exif\0\0", 6);
    memcpy(p + 6, tiff, sizeof tiff);
    memcpy(p + 6 + sizeof tiff, jpeg + 2, len - 2);
    *out_len = len + 2 + seg;
    return out;
}

static void test_exif_gps_stripped_and_upright(void **state)
{
    (void)state;
    size_t plain_len, len;
    void *plain = picture_make(64, 32, ".jpg[strip]", &plain_len);
    unsigned char *jpeg = with_exif(plain, plain_len, &len);
    /* the file really carries GPS as libvips reads it */
    VipsImage *in = vips_image_new_from_buffer(jpeg, len, "", NULL);
    assert_non_null(in);
    assert_true(vips_image_get_typeof(in, "exif-ifd3-GPSLatitudeRef") != 0);
    assert_int_equal(vips_image_get_orientation(in), 6);
    g_object_unref(in);

    image_original o;
    assert_int_equal(image_clean(jpeg, len, &o), 0);
    assert_int_equal(o.width, 32); /* turned upright */
    assert_int_equal(o.height, 64);
    assert_null(memmem(o.data, o.len, "Exif", 4));
    assert_null(memmem(o.data, o.len, "\xff\xe1", 2)); /* no APP1 (EXIF, XMP) */
    assert_null(memmem(o.data, o.len, "\xff\xe2", 2)); /* no APP2 (ICC) */
    VipsImage *out = vips_image_new_from_buffer(o.data, o.len, "", NULL);
    assert_non_null(out);
    assert_int_equal(vips_image_get_typeof(out, "exif-ifd3-GPSLatitudeRef"), 0);
    assert_int_equal(vips_image_get_typeof(out, VIPS_META_EXIF_NAME), 0);
    g_object_unref(out);
    image_original_free(&o);
    free(jpeg);
    g_free(plain);
}

static void test_not_images_refused(void **state)
{
    (void)state;
    static const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
    image_original o;
    assert_int_equal(image_clean(html, sizeof html - 1, &o), NS_EINVAL);
    assert_null(o.data);
    assert_int_equal(image_clean("", 0, &o), NS_EINVAL);
    /* a JPEG's magic number followed by text is no JPEG either */
    static const char fake[] = "\xff\xd8\xff\xe0 this is text";
    assert_true(image_clean(fake, sizeof fake - 1, &o) < 0);
    assert_null(o.data);
}

static void test_truncated_refused(void **state)
{
    (void)state;
    size_t len;
    unsigned char *jpeg = picture_make(400, 300, ".jpg", &len);
    image_type t;
    int w, h;
    /* the header alone still reads */
    assert_int_equal(image_probe(jpeg, len / 2, &t, &w, &h), 0);
    image_original o;
    assert_int_equal(image_clean(jpeg, len / 2, &o), NS_ECORRUPT);
    assert_null(o.data);
    g_free(jpeg);
}

static void put32be(unsigned char *p, uint32_t v)
{
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

/* A PNG chunk of type and data at p; its length. */
static size_t png_chunk(unsigned char *p, const char *type, const unsigned char *data, uint32_t n)
{
    put32be(p, n);
    memcpy(p + 4, type, 4);
    if (n)
        memcpy(p + 8, data, n);
    put32be(p + 8 + n, (uint32_t)crc32(0, p + 4, 4 + n));
    return 12 + n;
}

static void test_decompression_bomb_refused(void **state)
{
    (void)state;
    unsigned char png[256] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13] = {0};
    put32be(ihdr, 100000);
    put32be(ihdr + 4, 100000);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* RGB */
    size_t n = 8 + png_chunk(png + 8, "IHDR", ihdr, sizeof ihdr);
    /* one compressed row of zeros: what a bomb's first bytes look like */
    unsigned char row[64] = {0}, z[128];
    uLongf zn = sizeof z;
    assert_int_equal(compress(z, &zn, row, sizeof row), Z_OK);
    n += png_chunk(png + n, "IDAT", z, (uint32_t)zn);
    n += png_chunk(png + n, "IEND", NULL, 0);
    image_type t;
    int w = 0, h = 0;
    int rc = image_probe(png, n, &t, &w, &h);
    assert_int_equal(rc, NS_ETOOBIG);
    image_original o;
    assert_int_equal(image_clean(png, n, &o), NS_ETOOBIG);
    assert_null(o.data);
}

static void test_expected_widths(void **state)
{
    (void)state;
    char out[IMAGE_WIDTHS_MAX];
    image_expected_widths(100, out);
    assert_string_equal(out, "");
    image_expected_widths(320, out);
    assert_string_equal(out, "320");
    image_expected_widths(1000, out);
    assert_string_equal(out, "320,640");
    image_expected_widths(6000, out);
    assert_string_equal(out, "320,640,1280");
    char name[64];
    assert_int_equal(image_variant_name("/uploads/2026/12/abc.png", 640, "webp", name, sizeof name), 0);
    assert_string_equal(name, "/uploads/2026/12/abc-640.webp");
    assert_int_equal(image_variant_name("/up.loads/abc", 640, "jpg", name, sizeof name), NS_EINVAL);
    assert_int_equal(image_variant_name("/a/abc.png", 640, "jpg", name, 8), NS_ETOOBIG);
}

/* The width, height and loader of the file at path. */
static void file_info(const char *path, int *w, int *h, const char **loader)
{
    VipsImage *im = vips_image_new_from_file(path, NULL);
    assert_non_null(im);
    *w = vips_image_get_width(im);
    *h = vips_image_get_height(im);
    *loader = vips_foreign_find_load(path);
    g_object_unref(im);
}

static void test_variants(void **state)
{
    (void)state;
    char dir[] = "/tmp/nashra-image-XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t len;
    void *png = picture_make(1000, 500, ".png", &len);
    image_original o;
    assert_int_equal(image_clean(png, len, &o), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/%s.%s", dir, o.hash, image_ext(o.type));
    assert_int_equal(image_write_file(path, o.data, o.len, true), 0);
    char made[IMAGE_WIDTHS_MAX];
    assert_int_equal(image_make_variants(path, o.width, made), 0);
    assert_string_equal(made, "320,640");
    static const struct { int w; const char *ext, *loader; } want[] = {
        {320, "webp", "VipsForeignLoadWebpFile"}, {320, "jpg", "VipsForeignLoadJpegFile"},
        {640, "webp", "VipsForeignLoadWebpFile"}, {640, "jpg", "VipsForeignLoadJpegFile"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char name[300];
        assert_int_equal(image_variant_name(path, want[i].w, want[i].ext, name, sizeof name), 0);
        int w, h;
        const char *loader;
        file_info(name, &w, &h, &loader);
        assert_int_equal(w, want[i].w);
        assert_int_equal(h, want[i].w / 2);
        assert_string_equal(loader, want[i].loader);
        gchar *bytes;
        gsize n;
        assert_true(g_file_get_contents(name, &bytes, &n, NULL));
        assert_null(memmem(bytes, n, "Exif", 4)); /* no metadata made up on the way */
        assert_null(memmem(bytes, n, "EXIF", 4));
        g_free(bytes);
        unlink(name);
    }
    char wider[300];
    image_variant_name(path, 1280, "jpg", wider, sizeof wider);
    assert_int_equal(access(wider, F_OK), -1); /* never wider than the original */
    unlink(path);
    rmdir(dir);
    image_original_free(&o);
    g_free(png);
}

int main(void)
{
    if (image_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_types),
        cmocka_unit_test(test_exif_gps_stripped_and_upright),
        cmocka_unit_test(test_not_images_refused),
        cmocka_unit_test(test_truncated_refused),
        cmocka_unit_test(test_decompression_bomb_refused),
        cmocka_unit_test(test_expected_widths),
        cmocka_unit_test(test_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
