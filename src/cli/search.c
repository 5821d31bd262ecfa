/*
 * search.c - `nashra search` and `nashra reindex` (search.h). A search
 * runs search_run, as the /search page does, so an operator sees what a
 * reader would: the count, the any-word fallback, the suggested spelling,
 * then each result in rank order with its address and date. The rebuild
 * may take minutes on a large site, so it says how far it is, in place on
 * a terminal and one line per phase in a log.
 */
#include "cli/search.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/text.h"
#include "handlers/search.h"
#include "store/store.h"

#define PROGRESS_BAR 24    /* characters of the bar */
#define PROGRESS_EVERY 0.2   /* seconds between two rewrites of the line */
#define SEARCH_MAX_PAGE 100000

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- progress ---- */

/* What a phase counts: articles, unless it says otherwise. */
static const struct { const char *phase, *unit; } progress_units[] = {
    {"import", "items"},
};

static const char *progress_unit(const char *phase)
{
    for (size_t i = 0; i < sizeof progress_units / sizeof progress_units[0]; i++)
        if (strcmp(progress_units[i].phase, phase) == 0)
            return progress_units[i].unit;
    return "articles";
}

static double progress_rate(const cli_progress *p, double now)
{
    double dt = now - p->phase_started;
    return dt > 0 ? (double)p->done / dt : 0;
}

/* The finished phase, on a line of its own: it ended at its last report. */
static void progress_phase_end(cli_progress *p)
{
    if (!p->phase)
        return;
    const char *unit = progress_unit(p->phase);
    fprintf(p->out, "%s%s: %" PRId64 " %s in %.1f s (%.0f %s/s)%s\n", p->tty ? "\r" : "", p->phase,
            p->done, unit, p->last - p->phase_started, progress_rate(p, p->last), unit,
            p->tty ? "\033[K" : "");
    fflush(p->out);
    p->phase = NULL;
    p->phase_started = p->last;
}

void cli_progress_start(cli_progress *p, FILE *out)
{
    *p = (cli_progress){ .out = out, .tty = isatty(fileno(out)) };
    p->phase_started = p->last = mono_s();
}

void cli_progress_report(void *arg, const char *phase, int64_t done, int64_t total)
{
    cli_progress *p = arg;
    if (p->phase && strcmp(p->phase, phase) != 0)
        progress_phase_end(p);
    p->phase = phase;
    p->done = done;
    p->total = total;
    p->last = mono_s();
    if (!p->tty || (p->last - p->shown < PROGRESS_EVERY && done < total))
        return;
    p->shown = p->last;
    double rate = progress_rate(p, p->last);
    int pct = total > 0 ? (int)(done * 100 / total) : 100;
    char bar[PROGRESS_BAR + 1];
    for (int i = 0; i < PROGRESS_BAR; i++)
        bar[i] = i < pct * PROGRESS_BAR / 100 ? '#' : '.';
    bar[PROGRESS_BAR] = '\0';
    fprintf(p->out, "\r%s [%s] %" PRId64 "/%" PRId64 " (%d%%)  %.0f %s/s  ETA %.0f s\033[K", phase, bar,
            done, total, pct, rate, progress_unit(phase),
            rate > 0 && total > done ? (double)(total - done) / rate : 0.0);
    fflush(p->out);
}

void cli_progress_end(cli_progress *p)
{
    progress_phase_end(p);
}

/* ---- nashra search ---- */

typedef struct search_args {
    const char *dir, *query;
    int page;
} search_args;

static int search_parse(int argc, char **argv, search_args *sa)
{
    static const struct option opts[] = {
        {"page", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    opterr = 0;
    sa->page = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int64_t page;
        if (opt != 'p' || !text_parse_id(optarg, &page) || page > SEARCH_MAX_PAGE)
            return cli_fail(EXIT_USAGE, "%s (usage: " CLI_SEARCH_USAGE ")",
                            opt == 'p' ? "bad --page value: expected a number from 1 to 100000"
                                       : "unknown option or missing value");
        sa->page = (int)page;
    }
    if (optind != argc - 2)
        return cli_fail(EXIT_USAGE, "%s (usage: " CLI_SEARCH_USAGE ")",
                        optind > argc - 2 ? "missing site directory DIR or QUERY" : "too many arguments");
    sa->dir = argv[optind];
    sa->query = argv[optind + 1];
    if (!text_wellformed_utf8(sa->query, strlen(sa->query)))
        return cli_fail(EXIT_USAGE, "the query is not valid UTF-8 text");
    return 0;
}

/* One result: its rank, title, address and date (UTC). */
static void search_print_hit(int rank, const store_search_hit *h)
{
    char day[16] = "-";
    time_t t = (time_t)h->article.published_at;
    struct tm tm;
    if (t > 0 && gmtime_r(&t, &tm))
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
    printf("%d. %s\n   /%s/  %s\n", rank, h->article.title, h->article.slug, day);
}

static void search_print(const search_args *sa, const search_outcome *o)
{
    if (o->found.total == 0) {
        puts("لا توجد نتائج");
        if (o->suggestion)
            printf("did you mean: %s\n", o->suggestion);
        return;
    }
    int64_t pages = (o->found.total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE;
    printf("%s%" PRId64 " result%s for: %s (page %d of %" PRId64 ")\n",
           o->found.more ? "more than " : "", o->found.total,
           o->found.total == 1 && !o->found.more ? "" : "s", o->canonical, sa->page, pages);
    if (o->any)
        puts("no article has every word: these have some of them");
    if (o->suggestion)
        printf("did you mean: %s\n", o->suggestion);
    int first = (sa->page - 1) * SEARCH_PER_PAGE;
    for (size_t i = 0; i < o->found.n; i++)
        search_print_hit(first + (int)i + 1, &o->found.hits[i]);
    if (o->found.n == 0)
        printf("no results on page %d\n", sa->page);
}

int cli_search(int argc, char **argv)
{
    search_args sa = {0};
    store_t *s;
    int rc = search_parse(argc, argv, &sa);
    if (rc || (rc = cli_site_open(sa.dir, &s)))
        return rc;
    arena_t *a = arena_new(0);
    search_outcome o;
    rc = store_read_begin(s);
    if (rc == NS_OK) {
        rc = search_run(s, a, sa.query, strlen(sa.query), (int64_t)time(NULL), sa.page, &o);
        int end = store_read_end(s);
        rc = rc ? rc : end;
    }
    if (rc == NS_OK)
        search_print(&sa, &o);
    else
        rc = cli_fail(rc == NS_EINVAL ? EXIT_USAGE : EXIT_FAIL, "search failed: %s", ns_strerror(rc));
    arena_free(a);
    store_close(s);
    return rc;
}

/* ---- nashra reindex ---- */

int cli_reindex(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return cli_fail(EXIT_USAGE, "usage: " CLI_REINDEX_USAGE);
    store_t *s;
    int rc = cli_site_open(argv[1], &s);
    if (rc)
        return rc;
    cli_progress p;
    cli_progress_start(&p, stderr);
    double t0 = p.last;
    rc = store_reindex(s, cli_progress_report, &p);
    cli_progress_end(&p);
    store_close(s);
    if (rc != NS_OK)
        return cli_fail(EXIT_FAIL, "reindex failed: %s", ns_strerror(rc));
    printf("reindexed %" PRId64 " articles in %.1f s\n", p.total, mono_s() - t0);
    return 0;
}
