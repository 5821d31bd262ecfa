/*
 * picture.h - pictures the media tests make with libvips itself: a
 * gradient on each band, so that every resize and encoding has real
 * content to work on. Header-only; asserts through cmocka.
 */
#ifndef NS_TESTS_MEDIA_PICTURE_H
#define NS_TESTS_MEDIA_PICTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <vips/vips.h>

/* A colourful w×h picture (a gradient on each band) encoded with suffix;
 * its bytes are g_free'd by the caller. */
static inline void *picture_make(int w, int h, const char *suffix, size_t *len)
{
    VipsImage *xyz, *scaled, *u8, *with_alpha = NULL;
    assert_int_equal(vips_xyz(&xyz, w, h, NULL), 0);
    /* bands x, y → x, y, x+y, scaled into 0..255 */
    VipsImage *x, *y, *sum, *three;
    assert_int_equal(vips_extract_band(xyz, &x, 0, NULL), 0);
    assert_int_equal(vips_extract_band(xyz, &y, 1, NULL), 0);
    assert_int_equal(vips_add(x, y, &sum, NULL), 0);
    VipsImage *bands[3] = {x, y, sum};
    assert_int_equal(vips_bandjoin(bands, &three, 3, NULL), 0);
    double k[3] = {255.0 / w, 255.0 / h, 255.0 / (w + h)}, z[3] = {0, 0, 0};
    assert_int_equal(vips_linear(three, &scaled, k, z, 3, NULL), 0);
    assert_int_equal(vips_cast_uchar(scaled, &u8, NULL), 0);
    u8->Type = VIPS_INTERPRETATION_sRGB;
    if (strncmp(suffix, ".png", 4) == 0)
        assert_int_equal(vips_bandjoin_const1(u8, &with_alpha, 200, NULL), 0);
    void *data = NULL;
    assert_int_equal(vips_image_write_to_buffer(with_alpha ? with_alpha : u8, suffix, &data, len,
                                                NULL), 0);
    VipsImage *all[] = {xyz, x, y, sum, three, scaled, u8, with_alpha};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (all[i])
            g_object_unref(all[i]);
    return data;
}

#endif
