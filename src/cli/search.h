/*
 * search.h - the search index from the command line (search.c):
 * `nashra search DIR "QUERY" [--page N]` shows what the site's /search
 * page would find, and `nashra reindex DIR` rebuilds the index and the
 * related articles, telling how far it is. The same progress report
 * serves `nashra serve` when it must rebuild an index made by an older
 * analyzer before it opens.
 */
#ifndef NS_CLI_SEARCH_H
#define NS_CLI_SEARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Usage lines of the search commands, for the command line's help. */
#define CLI_SEARCH_USAGE "nashra search DIR QUERY [--page N]"
#define CLI_REINDEX_USAGE "nashra reindex DIR"

/* A rebuild's progress as store_reindex reports it, written to out: on a
 * terminal one line rewritten in place (phase, articles done of total,
 * articles per second, time left); elsewhere one line per phase, when
 * the phase ends. cli_progress_start before the rebuild starts (the first
 * phase is timed from then), cli_progress_report given its address as
 * the rebuild's progress function, cli_progress_end after (the last
 * phase's line). */
typedef struct cli_progress {
    FILE *out;
    bool tty;
    const char *phase;     /* the phase being reported; NULL: none */
    int64_t done, total;
    /* monotonic seconds: the phase's start, the last report, the last
     * line shown */
    double phase_started, last, shown;
} cli_progress;

void cli_progress_start(cli_progress *p, FILE *out);
void cli_progress_report(void *arg, const char *phase, int64_t done, int64_t total);
void cli_progress_end(cli_progress *p);

/* Run `nashra search` / `nashra reindex`: argv[0] is the command,
 * argv[1] the site directory. Returns the exit status (cli.h): 0,
 * EXIT_FAIL with one line on stderr, EXIT_USAGE (also for a query that
 * is not UTF-8). */
int cli_search(int argc, char **argv);
int cli_reindex(int argc, char **argv);

#endif
