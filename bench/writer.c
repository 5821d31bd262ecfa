/*
 * writer.c - a steady stream of unrelated writes for bench/run.sh's
 * "article under writes" scenario: every 10 ms it commits one approved
 * comment on the article it is given (not the one being benchmarked),
 * through the store API, as the site's own comment form would. Deadlines
 * are absolute (CLOCK_MONOTONIC), so the time a write takes does not drift
 * the rate; a write that overruns its slot is followed by the next one at
 * once, without a burst to catch up on missed slots. A failed write is
 * counted and the stream goes on; the first error is logged.
 *
 *   build/bench/writer SITE/nashra.db ARTICLE_ID [SECONDS]
 *
 * Runs until SIGTERM/SIGINT or for SECONDS, then prints one line:
 *   writer: N writes committed, F failed, T s, R writes/s
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

enum { WRITER_PERIOD_NS = 10 * 1000 * 1000 };

static volatile sig_atomic_t writer_stop;

static void writer_on_signal(int sig)
{
    (void)sig;
    writer_stop = 1;
}

static int64_t ts_ns(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return ts_ns(&t);
}

/* A positive decimal number from s into *out; false if it is not one. */
static bool writer_number(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end || errno || v <= 0)
        return false;
    *out = v;
    return true;
}

static int writer_comment(store_t *s, int64_t article_id, uint64_t n)
{
    char body[96];
    snprintf(body, sizeof body, "تعليق تجريبي رقم %" PRIu64 " من أداة القياس.", n);
    store_comment c = {
        .article_id = article_id,
        .author_name = "قارئ",
        .author_email = "reader@example.com",
        .body = body,
        .ip = "192.0.2.200",
        .user_agent = "nashra bench/writer",
        .status = COMMENT_APPROVED,
        .created_at = (int64_t)time(NULL),
    };
    return store_comment_insert(s, &c);
}

int main(int argc, char **argv)
{
    int64_t article_id, seconds = 0;
    if (argc < 3 || argc > 4 || !writer_number(argv[2], &article_id) ||
        (argc == 4 && !writer_number(argv[3], &seconds))) {
        fprintf(stderr, "usage: %s SITE/nashra.db ARTICLE_ID [SECONDS]\n", argv[0]);
        return 2;
    }
    struct sigaction sa = { .sa_handler = writer_on_signal, .sa_flags = SA_RESTART };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    store_t *s;
    int rc = store_open(argv[1], 0, &s);
    if (rc != NS_OK) {
        fprintf(stderr, "writer: cannot open %s: %s\n", argv[1], ns_strerror(rc));
        return 1;
    }
    arena_t *a = arena_new(0);
    store_article ar;
    rc = store_article_by_id(s, a, article_id, &ar);
    arena_free(a);
    if (rc != NS_OK) {
        fprintf(stderr, "writer: article %" PRId64 " in %s: %s\n", article_id, argv[1], ns_strerror(rc));
        store_close(s);
        return 1;
    }

    uint64_t done = 0, failed = 0;
    int64_t start = now_ns(), end = INT64_MAX;
    if (seconds && seconds < (INT64_MAX - start) / 1000000000)
        end = start + seconds * 1000000000;
    int64_t next = start;
    while (!writer_stop && next < end) {
        rc = writer_comment(s, article_id, done + failed + 1);
        if (rc == NS_OK) {
            done++;
        } else if (failed++ == 0) {
            fprintf(stderr, "writer: write %" PRIu64 " failed: %s (counting further failures)\n",
                    done + failed, ns_strerror(rc));
        }
        next += WRITER_PERIOD_NS;
        int64_t now = now_ns();
        if (next < now)
            next = now;          /* overran the slot: no burst to catch up */
        struct timespec t = { (time_t)(next / 1000000000), (long)(next % 1000000000) };
        while (!writer_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
            ;
    }
    double secs = (double)(now_ns() - start) / 1e9;
    store_close(s);
    printf("writer: %" PRIu64 " writes committed, %" PRIu64 " failed, %.3f s, %.1f writes/s\n",
           done, failed, secs, secs > 0 ? (double)done / secs : 0.0);
    return 0;
}
