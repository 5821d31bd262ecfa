/*
 * test_worker.c - the media library and its worker on each backend: an
 * upload written under uploads/YYYY/MM/ by its content's hash with its
 * row; variants made off the caller's thread and recorded; rows left
 * without variants (a stop mid-way) found and finished by the next
 * worker; an image deleted while queued leaves no file behind; a
 * refused upload writes neither file nor row; deletion removes the files.
 * Run again under ThreadSanitizer (make tsan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "media/image.h"
#include "media/library.h"
#include "media/picture.h"
#include "media/worker.h"
#include "store/backend.h"
#include "store/store.h"

/* 2026-03-05 12:00 UTC */
#define NOW INT64_C(1772712000)

typedef struct fx {
    const backend *be;
    backend_loc loc;
    store_t *s;
    arena_t *a;
    char dir[64];               /* the site directory */
} fx;

static int setup(void **state)
{
    fx *f = backend_fixture_new(state, sizeof *f);
    if (!f)
        return -1;
    if (store_open(f->loc.location, STORE_CREATE, &f->s) != 0 ||
        !test_util_tmpdir(f->dir, sizeof f->dir, "site")) {
        f->be->drop(&f->loc);
        free(f);
        return -1;
    }
    f->a = arena_new(0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->s);
    arena_free(f->a);
    test_util_rmtree(f->dir);
    int rc = f->be->drop(&f->loc);
    free(f);
    return rc;
}

/* Add a w×h JPEG through the library; its row into *m. */
static void add_picture(fx *f, int w, int h, store_media *m)
{
    size_t len;
    void *jpeg = picture_make(w, h, ".jpg", &len);
    library_upload u = {.title = "صورة", .alt = "تدرج لوني", .user_id = 0, .now = NOW};
    assert_int_equal(library_add(f->s, f->a, f->dir, jpeg, len, &u, m), 0);
    g_free(jpeg);
}

static bool exists(fx *f, const char *url)
{
    struct stat st;
    return stat(arena_printf(f->a, "%s%s", f->dir, url), &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether every variant file of m (as its variants column says) exists:
 * want true, or none of the widths there may be. */
static void check_variant_files(fx *f, const store_media *m, bool want)
{
    for (size_t i = 0; i < image_nwidths; i++)
        for (int k = 0; k < 2; k++) {
            const char *url = library_variant_url(f->a, m, image_widths[i], k ? "jpg" : "webp");
            bool made = want && image_widths[i] <= m->width;
            assert_int_equal(exists(f, url), made);
        }
}

static void test_upload_row_and_file(void **state)
{
    fx *f = *state;
    store_media m;
    add_picture(f, 700, 350, &m);
    assert_true(m.id > 0);
    /* uploads/2026/03/<12 hex>.jpg */
    assert_int_equal(strncmp(m.url, "/uploads/2026/03/", 17), 0);
    assert_int_equal(strlen(m.url), 17 + IMAGE_HASH_HEX + 4);
    assert_string_equal(m.url + 17 + IMAGE_HASH_HEX, ".jpg");
    assert_true(exists(f, m.url));
    store_media got;
    assert_int_equal(store_media_get(f->s, f->a, m.id, &got), 0);
    assert_int_equal(got.width, 700);
    assert_int_equal(got.height, 350);
    assert_string_equal(got.mime, "image/jpeg");
    assert_string_equal(got.alt, "تدرج لوني");
    assert_string_equal(got.variants, "");
    assert_true(got.bytes > 0);
    assert_true(library_needs_variants(&got));
}

static void test_worker_makes_variants(void **state)
{
    fx *f = *state;
    store_media m;
    add_picture(f, 700, 350, &m);
    worker_t *w = worker_new(f->loc.location, f->dir);
    worker_submit(w, m.id);
    worker_flush(w);
    uint64_t made, failed;
    worker_stats(w, &made, &failed);
    worker_free(w);
    assert_int_equal(failed, 0);
    store_media got;
    assert_int_equal(store_media_get(f->s, f->a, m.id, &got), 0);
    assert_string_equal(got.variants, "320,640");
    assert_false(library_needs_variants(&got));
    check_variant_files(f, &got, true);
}

static void test_worker_finishes_what_a_stop_left(void **state)
{
    fx *f = *state;
    store_media a, b;
    add_picture(f, 1300, 400, &a);
    add_picture(f, 500, 500, &b);
    /* nobody queued them: the worker's first look finds them */
    worker_t *w = worker_new(f->loc.location, f->dir);
    worker_flush(w);
    worker_free(w);
    store_media got;
    assert_int_equal(store_media_get(f->s, f->a, a.id, &got), 0);
    assert_string_equal(got.variants, "320,640,1280");
    check_variant_files(f, &got, true);
    assert_int_equal(store_media_get(f->s, f->a, b.id, &got), 0);
    assert_string_equal(got.variants, "320");
}

static void test_deleted_while_queued(void **state)
{
    fx *f = *state;
    store_media m;
    add_picture(f, 700, 350, &m);
    assert_int_equal(library_remove(f->s, f->a, f->dir, m.id), 0);
    assert_false(exists(f, m.url));
    worker_t *w = worker_new(f->loc.location, f->dir);
    worker_submit(w, m.id);
    worker_flush(w);
    uint64_t made, failed;
    worker_stats(w, &made, &failed);
    worker_free(w);
    assert_int_equal(failed, 0);
    check_variant_files(f, &m, false);
}

static void test_remove_deletes_files(void **state)
{
    fx *f = *state;
    store_media m, got;
    add_picture(f, 700, 350, &m);
    assert_int_equal(library_make_variants(f->s, f->a, f->dir, m.id), 0);
    assert_int_equal(store_media_get(f->s, f->a, m.id, &got), 0);
    check_variant_files(f, &got, true);
    assert_int_equal(library_remove(f->s, f->a, f->dir, m.id), 0);
    assert_false(exists(f, m.url));
    check_variant_files(f, &got, false);
    assert_int_equal(store_media_get(f->s, f->a, m.id, &got), NS_ENOTFOUND);
    assert_int_equal(library_remove(f->s, f->a, f->dir, m.id), NS_ENOTFOUND);
}

static void test_refused_upload_leaves_nothing(void **state)
{
    fx *f = *state;
    static const char html[] = "<html><body>not a picture</body></html>";
    library_upload u = {.title = "x", .alt = "y", .now = NOW};
    store_media m;
    assert_int_equal(library_add(f->s, f->a, f->dir, html, sizeof html - 1, &u, &m), NS_EINVAL);
    store_media *rows;
    size_t n;
    assert_int_equal(store_media_list(f->s, f->a, 0, 10, &rows, &n), 0);
    assert_int_equal(n, 0);
    struct stat st;
    assert_int_not_equal(stat(arena_printf(f->a, "%s/uploads", f->dir), &st), 0);
}

#define TESTS(T)                                   \
    T(upload_row_and_file, setup)                  \
    T(worker_makes_variants, setup)                \
    T(worker_finishes_what_a_stop_left, setup)     \
    T(deleted_while_queued, setup)                 \
    T(remove_deletes_files, setup)                 \
    T(refused_upload_leaves_nothing, setup)

BACKEND_MAIN("media", TESTS)
