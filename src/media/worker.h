/*
 * worker.h - image variants made off the request threads.
 *
 * Resizing a 12-megapixel photo takes a good fraction of a second; done
 * on a request thread it would stall every reader on that event loop. So
 * an upload queues its media id and returns; one thread per process, with
 * a store connection of its own (opened on first use, and again after a
 * failure, like the group commit's, http/commit.h), makes the variants
 * (media/library.h) one image at a time and records them in
 * media.variants, which pages read for their srcset.
 *
 * A process that stops or crashes mid-way leaves rows whose variants are
 * missing: the thread's first work is to find them (library_needs_variants)
 * and make them. On several nodes each may do that once at start; making
 * a variant again writes the same bytes.
 */
#ifndef NS_MEDIA_WORKER_H
#define NS_MEDIA_WORKER_H

#include <stdint.h>

typedef struct worker_t worker_t;

/* Start the thread for the database at location and the site directory
 * dir (its uploads under dir/uploads/). image_init is called here.
 * Caller owns the result (worker_free). */
worker_t *worker_new(const char *location, const char *dir);

/* Queue media id for its variants. Thread-safe; never blocks on the work. */
void worker_submit(worker_t *w, int64_t id);

/* Wait until the queue is empty and nothing is in hand: every image
 * queued, and every row the first scan found missing variants, handled
 * (made or failed). */
void worker_flush(worker_t *w);

/* Stop the thread once the image in hand is done and free w (NULL ok);
 * what is still queued is found again at the next start. */
void worker_free(worker_t *w);

/* Images handled since start: variants made, and failures. */
void worker_stats(worker_t *w, uint64_t *made, uint64_t *failed);

#endif
