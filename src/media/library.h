/*
 * library.h - the media library's files and rows kept together: an
 * upload cleaned (media/image.h), written under DIR/uploads/YYYY/MM/ by
 * the hash of its content and recorded in `media`; its variants made and
 * recorded; a file removed with its row.
 *
 * The upload form (handlers/admin_media.c) and the demo site (cli/demo)
 * add images through library_add; the media worker (media/worker.h) and
 * the demo make variants through library_make_variants.
 */
#ifndef NS_MEDIA_LIBRARY_H
#define NS_MEDIA_LIBRARY_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "store/store.h"

/* Largest upload body the form accepts (the route's limit, http/router.c). */
#define LIBRARY_UPLOAD_LIMIT ((size_t)16 << 20)

/* What a person says of an upload (each on the caller's memory). */
typedef struct library_upload {
    const char *title, *alt, *caption;
    int64_t user_id;              /* who uploads it; 0: the site itself (demo) */
    int64_t now;                  /* its time: created_at, and the YYYY/MM of its path */
} library_upload;

/* Clean the image data[0..len) (image_clean's refusals: NS_EINVAL not an
 * accepted image, NS_ETOOBIG too many pixels, NS_ECORRUPT damaged), write
 * it as DIR/uploads/YYYY/MM/HASH.EXT and insert its row (no variants yet)
 * into *out, strings on a. NS_EIO if the file cannot be written; the
 * store's codes (then the file is removed unless another row has it). */
int library_add(store_t *s, arena_t *a, const char *dir, const void *data, size_t len,
                const library_upload *u, store_media *out);

/* Make the variants of media id, whose original is DIR + its url, and
 * record their widths. NS_ENOTFOUND if the row is gone (its variants,
 * if made meanwhile, are removed), NS_EINVAL if it is not an image this
 * site made (an absolute or imported URL without a size). */
int library_make_variants(store_t *s, arena_t *a, const char *dir, int64_t id);

/* Whether m is an uploaded image whose variants are not all made. */
bool library_needs_variants(const store_media *m);

/* Delete media id and its files (original and variants, when under
 * DIR/uploads and named by no other row). NS_ENOTFOUND if there is none. */
int library_remove(store_t *s, arena_t *a, const char *dir, int64_t id);

/* The site path of m's variant w wide in format ext ("webp", "jpg"), on a. */
const char *library_variant_url(arena_t *a, const store_media *m, int w, const char *ext);

#endif
