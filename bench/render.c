/*
 * render.c - CPU cost of rendering pages with every cache out of the way:
 * the handlers run against the demo database in memory, as a worker thread
 * would on a cache miss. Prints microseconds per render for each page kind,
 * to see where the no-cache throughput of bench/run.sh goes.
 *
 *   make bench-render && build/bench/render [iterations]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli/demo.h"
#include "core/arena.h"
#include "handlers/handler.h"
#include "render/theme.h"
#include "store/store.h"

typedef struct page_kind {
    const char *name;
    handler_fn fn;
    const char *param; /* NULL: the seed article's slug */
} page_kind;

static const page_kind kinds[] = {
    { "article (seed, 30 comments)", handler_article, NULL },
    { "home", handler_home, "" },
    { "category", handler_category, "politics" },
    { "rss", handler_feed_rss, "" },
};

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double time_kind(store_t *s, const site_config *site, const page_kind *k,
                        const char *seed, int64_t now, int iters)
{
    const char *param = k->param ? k->param : seed;
    double t0 = now_us();
    for (int i = 0; i < iters; i++) {
        arena_t *a = arena_new(0);
        hreq_t rq = { .arena = a, .store = s, .site = site, .method = "GET", .path = "/",
                      .now = now, .page = 1, .params = { param }, .nparams = *param != 0 };
        hresp_t rs = { .status = 200 };
        buf_init(&rs.body, a);
        if (k->fn(&rq, &rs) != 0) {
            fprintf(stderr, "%s: render failed\n", k->name);
            exit(1);
        }
        arena_free(a);
    }
    return (now_us() - t0) / iters;
}

int main(int argc, char **argv)
{
    int iters = argc > 1 ? atoi(argv[1]) : 2000;
    int64_t now = (int64_t)time(NULL);
    theme_t *theme;
    char *err = NULL;
    store_t *s;
    if (theme_load("themes/default", NULL, &theme, &err) != 0 ||
        store_open(":memory:", STORE_CREATE, &s) != 0 || demo_populate(s, now) != 0) {
        fprintf(stderr, "set-up failed: %s\n", err ? err : "store");
        return 1;
    }
    arena_t *a = arena_new(0);
    store_article seed;
    if (store_article_by_id(s, a, 1, &seed) != 0)
        return 1;
    site_config site = { .dir = ".", .base_url = "http://127.0.0.1:8080", .theme = theme };
    printf("| page | µs per render |\n|---|---|\n");
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        printf("| %s | %.1f |\n", kinds[i].name, time_kind(s, &site, &kinds[i], seed.slug, now, iters));
    arena_free(a);
    store_close(s);
    theme_free(theme);
    return 0;
}
