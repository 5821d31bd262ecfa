/*
 * image.h - an uploaded image checked, cleaned and resized with libvips.
 *
 * What a person uploads is hostile until libvips has decoded it: its type
 * is the decoder's (JPEG, PNG, WebP or GIF, never the file's name or the
 * Content-Type it came with), its size is read from the header and
 * refused above IMAGE_MAX_PIXELS before any pixel is decoded (a small
 * file can claim a huge picture), and a damaged or truncated file is
 * refused rather than shown half grey. What is kept is the picture only:
 * turned upright by its orientation tag, converted to sRGB by its colour
 * profile, and written again without EXIF, GPS, XMP or the profile.
 *
 * Files are named by a short hash of their cleaned content, so that a URL
 * always names the same bytes and may be cached for ever (handlers/
 * uploads.c): NAME.EXT is the original, NAME-W.webp and NAME-W.jpg its
 * variants W pixels wide (IMAGE_WIDTHS, none wider than the original).
 *
 * Only loaders for the four accepted types run (libvips' untrusted
 * loaders are blocked), and libvips' own worker threads are limited to
 * IMAGE_THREADS so that resizing leaves the request threads a core.
 */
#ifndef NS_MEDIA_IMAGE_H
#define NS_MEDIA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

/* Largest picture accepted, in pixels (width × height). */
#define IMAGE_MAX_PIXELS (40 * 1000 * 1000)
/* libvips' threads per image operation. */
#define IMAGE_THREADS 1
/* Hex digits of the content hash in a file's name. */
#define IMAGE_HASH_HEX 12
/* Longest "320,640,1280" list of variant widths, with its NUL. */
#define IMAGE_WIDTHS_MAX 32

typedef enum { IMAGE_JPEG = 1, IMAGE_PNG, IMAGE_WEBP, IMAGE_GIF } image_type;

/* The variant widths, ascending, and how many there are. */
extern const int image_widths[];
extern const size_t image_nwidths;

/* A cleaned original in memory. */
typedef struct image_original {
    image_type type;
    int width, height;            /* upright (after the orientation tag) */
    void *data;                   /* the file's bytes: owned, image_original_free */
    size_t len;
    char hash[IMAGE_HASH_HEX + 1];/* hex of a hash of data, for the file's name */
} image_original;

/* Start libvips once per process (later calls do nothing): untrusted
 * loaders blocked, IMAGE_THREADS threads per operation, no operation
 * cache (each image is seen once). 0, or NS_EINTERNAL if libvips cannot
 * start. Thread-safe. */
int image_init(void);

/* The accepted type's MIME type ("image/jpeg") and file extension ("jpg"). */
const char *image_mime(image_type t);
const char *image_ext(image_type t);

/* The MIME type of an accepted image by its name's extension ("x.JPG":
 * "image/jpeg"; "jpeg" too), or NULL: for naming files this site wrote,
 * never for judging an upload. */
const char *image_mime_of_name(const char *name);

/* Check data[0..len) from its header only: its type (*type) and stored
 * size (*width, *height, before the orientation tag). NS_EINVAL: not an
 * image of an accepted type; NS_ETOOBIG: more than IMAGE_MAX_PIXELS;
 * NS_ECORRUPT: a header libvips cannot read. */
int image_probe(const void *data, size_t len, image_type *type, int *width, int *height);

/* Probe data (the codes above), then decode all of it, refusing damaged
 * or truncated data (NS_ECORRUPT), turn it upright, convert it to sRGB
 * and encode it again in its own type without metadata into *out.
 * NS_EINTERNAL if libvips fails otherwise. On failure *out holds nothing. */
int image_clean(const void *data, size_t len, image_original *out);
void image_original_free(image_original *o);

/* The variant widths an original width wide gets, "320,640" (none wider
 * than width), into out (IMAGE_WIDTHS_MAX bytes). */
void image_expected_widths(int width, char out[IMAGE_WIDTHS_MAX]);

/* Make every variant of the cleaned original at path ("DIR/…/NAME.EXT",
 * width pixels wide): NAME-W.webp and NAME-W.jpg beside it for each
 * expected width, each written to a temporary name and renamed, so that
 * a variant is either whole or absent. The widths made go to out, as
 * image_expected_widths writes them. NS_EIO if a file cannot be written,
 * NS_ECORRUPT if the original cannot be read. */
int image_make_variants(const char *path, int width, char out[IMAGE_WIDTHS_MAX]);

/* The file name of the variant of the original at path (a file name or
 * site path ending ".EXT") w wide in type ext ("webp", "jpg"), on a
 * buffer of cap bytes: 0, or NS_ETOOBIG / NS_EINVAL (no extension). */
int image_variant_name(const char *path, int w, const char *ext, char *out, size_t cap);

/* Write data[0..len) to path through a temporary file in the same
 * directory and a rename: 0 or NS_EIO. durable: on disk (fsync) before
 * the rename, for what cannot be made again (an original; a variant can). */
int image_write_file(const char *path, const void *data, size_t len, bool durable);

#endif
