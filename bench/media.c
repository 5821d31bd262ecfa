/*
 * media.c - the cost of an uploaded image, for bench/media.sh.
 *
 *   media make FILE          write a 12-megapixel JPEG (4000×3000, a
 *                            gradient with discs, drawn by libvips) to FILE
 *   media time FILE N DIR    N times: what an upload and the media worker
 *                            do to FILE (decode, clean, write; every
 *                            variant, media/image.h) in DIR, then what a
 *                            plain thumbnail (libvips' vips_thumbnail to a
 *                            1280-wide JPEG, as vipsthumbnail does) costs;
 *                            prints the median milliseconds per image of each
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vips/vips.h>

#include "media/image.h"

#define BENCH_W 4000
#define BENCH_H 3000
#define BENCH_MAX_RUNS 100

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int make(const char *path)
{
    VipsImage *xyz, *x, *y, *sum, *three, *rgb, *u8;
    VipsImage *bands[3];
    double k[3] = {255.0 / BENCH_W, 255.0 / BENCH_H, 255.0 / (BENCH_W + BENCH_H)}, z[3] = {0, 0, 60};
    if (vips_xyz(&xyz, BENCH_W, BENCH_H, NULL) || vips_extract_band(xyz, &x, 0, NULL) ||
        vips_extract_band(xyz, &y, 1, NULL) || vips_add(x, y, &sum, NULL))
        return 1;
    bands[0] = x, bands[1] = y, bands[2] = sum;
    if (vips_bandjoin(bands, &three, 3, NULL) || vips_linear(three, &rgb, k, z, 3, NULL) ||
        vips_cast_uchar(rgb, &u8, NULL))
        return 1;
    VipsImage *mem = vips_image_copy_memory(u8);
    double ink[3] = {230, 120, 40};
    for (int i = 0; i < 6; i++)
        vips_draw_circle(mem, ink, 3, 600 + i * 500, 800 + (i % 3) * 600, 300, "fill", TRUE, NULL);
    mem->Type = VIPS_INTERPRETATION_sRGB;
    return vips_image_write_to_file(mem, path, "Q", 90, NULL) != 0;
}

/* One upload's work on data: cleaned, written, every variant made. */
static int pipeline(const void *data, size_t len, const char *dir)
{
    image_original o;
    int rc = image_clean(data, len, &o);
    if (rc)
        return rc;
    char path[4096], made[IMAGE_WIDTHS_MAX];
    snprintf(path, sizeof path, "%s/%s.%s", dir, o.hash, image_ext(o.type));
    rc = image_write_file(path, o.data, o.len, true);
    int w = o.width;
    image_original_free(&o);
    return rc ? rc : image_make_variants(path, w, made);
}

/* The reference: one 1280-wide thumbnail, JPEG, of data. */
static int reference(const void *data, size_t len)
{
    VipsImage *t;
    void *out;
    size_t n;
    if (vips_thumbnail_buffer((void *)data, len, &t, 1280, "height", VIPS_MAX_COORD, NULL))
        return 1;
    int rc = vips_image_write_to_buffer(t, ".jpg[Q=82,strip]", &out, &n, NULL);
    g_object_unref(t);
    g_free(out);
    return rc;
}

static int run(const char *file, int n, const char *dir)
{
    gchar *data;
    gsize len;
    if (!g_file_get_contents(file, &data, &len, NULL) || n < 1 || n > BENCH_MAX_RUNS)
        return 2;
    double ours[BENCH_MAX_RUNS], ref[BENCH_MAX_RUNS];
    for (int i = 0; i < n; i++) {
        double t = now_ms();
        if (pipeline(data, len, dir))
            return 1;
        ours[i] = now_ms() - t;
        t = now_ms();
        if (reference(data, len))
            return 1;
        ref[i] = now_ms() - t;
    }
    printf("upload-to-all-variants-ms %.1f\n", median(ours, n));
    printf("vipsthumbnail-1280-ms %.1f\n", median(ref, n));
    g_free(data);
    return 0;
}

int main(int argc, char **argv)
{
    if (image_init() != 0)
        return 1;
    if (argc == 3 && strcmp(argv[1], "make") == 0)
        return make(argv[2]);
    if (argc == 5 && strcmp(argv[1], "time") == 0)
        return run(argv[2], atoi(argv[3]), argv[4]);
    fprintf(stderr, "usage: media make FILE | media time FILE N DIR\n");
    return 2;
}
