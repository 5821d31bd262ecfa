/*
 * demo_images.c - the demo site's featured images: abstract pictures (a
 * gradient between two colours and a few discs) drawn with libvips,
 * encoded as JPEG and added through the media library like an upload
 * (media/library.h), variants included, so the demo shows what a real
 * site's images look like in pages, cards and feeds.
 */
#include "cli/demo.h"

#include <math.h>
#include <vips/vips.h>

#include "core/err.h"
#include "core/rng.h"
#include "media/image.h"
#include "media/library.h"

/* Wide enough for every variant width (media/image.h), 16:9. */
#define DEMO_IMAGE_W 1280
#define DEMO_IMAGE_H 720
#define DEMO_DISCS 4

/* Colours the pictures are drawn in, with their names for the alt text. */
static const struct demo_colour {
    double rgb[3];
    const char *name;
} demo_colours[] = {
    {{24, 72, 140}, "الأزرق"},    {{232, 128, 40}, "البرتقالي"}, {{30, 130, 90}, "الأخضر"},
    {{150, 40, 60}, "العنابي"},   {{240, 200, 70}, "الأصفر"},     {{90, 60, 140}, "البنفسجي"},
    {{40, 150, 170}, "الفيروزي"}, {{60, 60, 70}, "الرمادي الداكن"},
};
#define NCOLOURS (sizeof demo_colours / sizeof *demo_colours)

/* A gradient from colour a to colour b along the angle t (radians), as
 * an 8-bit sRGB image in memory (drawable), or NULL. */
static VipsImage *demo_gradient(const struct demo_colour *a, const struct demo_colour *b, double t)
{
    VipsImage *xyz = NULL, *x = NULL, *y = NULL, *sx = NULL, *sy = NULL, *s = NULL, *rgb = NULL,
              *u8 = NULL, *mem = NULL;
    double cx = cos(t) / (DEMO_IMAGE_W * fabs(cos(t)) + DEMO_IMAGE_H * fabs(sin(t)));
    double cy = sin(t) / (DEMO_IMAGE_W * fabs(cos(t)) + DEMO_IMAGE_H * fabs(sin(t)));
    double k[3], z[3];
    for (int i = 0; i < 3; i++) {
        k[i] = b->rgb[i] - a->rgb[i];
        z[i] = (a->rgb[i] + b->rgb[i]) / 2; /* t runs -1/2 .. 1/2 about the middle */
    }
    if (vips_xyz(&xyz, DEMO_IMAGE_W, DEMO_IMAGE_H, NULL) == 0 &&
        vips_extract_band(xyz, &x, 0, NULL) == 0 && vips_extract_band(xyz, &y, 1, NULL) == 0 &&
        vips_linear1(x, &sx, cx, -cx * DEMO_IMAGE_W / 2, NULL) == 0 &&
        vips_linear1(y, &sy, cy, -cy * DEMO_IMAGE_H / 2, NULL) == 0 &&
        vips_add(sx, sy, &s, NULL) == 0 && vips_linear(s, &rgb, k, z, 3, NULL) == 0 &&
        vips_cast_uchar(rgb, &u8, NULL) == 0) {
        u8->Type = VIPS_INTERPRETATION_sRGB;
        mem = vips_image_copy_memory(u8);
    }
    VipsImage *all[] = {xyz, x, y, sx, sy, s, rgb, u8};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (all[i])
            g_object_unref(all[i]);
    return mem;
}

/* Picture number k as JPEG bytes (g_free'd by the caller), its alt text
 * on a; NULL if libvips fails. */
static void *demo_picture(arena_t *a, size_t k, size_t *len, const char **alt)
{
    rng_t r = {0x696d616765730001ull + k * 0x9e3779b97f4a7c15ull};
    const struct demo_colour *from = &demo_colours[k % NCOLOURS];
    const struct demo_colour *to = &demo_colours[(k + 3 + rng_below(&r, NCOLOURS - 4)) % NCOLOURS];
    VipsImage *im = demo_gradient(from, to, (double)rng_below(&r, 628) / 100.0);
    if (!im)
        return NULL;
    for (int i = 0; i < DEMO_DISCS; i++) {
        const struct demo_colour *c = &demo_colours[rng_below(&r, NCOLOURS)];
        double ink[3] = {c->rgb[0], c->rgb[1], c->rgb[2]};
        vips_draw_circle(im, ink, 3, (int)rng_below(&r, DEMO_IMAGE_W),
                         (int)rng_below(&r, DEMO_IMAGE_H), 60 + (int)rng_below(&r, 220), "fill",
                         TRUE, NULL);
    }
    void *data = NULL;
    if (vips_image_write_to_buffer(im, ".jpg[Q=85]", &data, len, NULL) != 0)
        data = NULL;
    g_object_unref(im);
    *alt = arena_printf(a, "رسم تجريدي: تدرّج من %s إلى %s تعلوه دوائر ملوّنة", from->name,
                        to->name);
    return data;
}

int demo_images(store_t *s, arena_t *a, const char *dir, int64_t now, store_media *out, size_t n)
{
    int rc = image_init();
    for (size_t k = 0; rc == NS_OK && k < n; k++) {
        size_t len;
        const char *alt;
        void *data = demo_picture(a, k, &len, &alt);
        if (!data)
            return NS_EINTERNAL;
        library_upload u = {.title = arena_printf(a, "صورة توضيحية %zu", k + 1), .alt = alt,
                            .now = now};
        rc = library_add(s, a, dir, data, len, &u, &out[k]);
        g_free(data);
        if (rc == NS_OK)
            rc = library_make_variants(s, a, dir, out[k].id);
        if (rc == NS_OK)
            rc = store_media_get(s, a, out[k].id, &out[k]);
    }
    vips_error_clear();
    return rc;
}
