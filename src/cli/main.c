/*
 * main.c - the nashra command line: `init` creates a site, `serve` runs it.
 *
 * This is one of the two places (with the HTTP layer) where error codes
 * become words, so every failure an operator can cause (no site, a damaged
 * or locked database, a busy port, a bad option) ends in exactly one line
 * on stderr that says what to do, and a distinct exit status: 1 for a
 * failure, 2 for a usage mistake. Serving blocks SIGINT/SIGTERM in every
 * thread and waits for them here, so shutdown is an orderly sequence in one
 * place rather than work done inside a signal handler.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/db.h"
#include "cli/demo.h"
#include "cli/import.h"
#include "cli/search.h"
#include "cli/user.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "http/server.h"
#include "render/theme.h"
#include "store/store.h"

#ifndef NASHRA_VERSION
#define NASHRA_VERSION "0.0.0"
#endif


static const char usage_text[] =
    "usage: nashra init DIR [--demo] [--db URL]\n"
    "       nashra serve DIR [--db URL] [--listen HOST:PORT] [--threads N] [--base-url URL] [--no-cache]\n"
    "                        [--cache-size MIB] [--request-timeout SECONDS]\n"
    "                        [--max-conns-per-client N] [--trusted-proxy ADDR[/PREFIX]]...\n"
    "       nashra article DIR set ID FIELD VALUE     (FIELD: title slug kicker lead status comments)\n"
    "       nashra comments DIR list [--status pending|approved|spam|trash] [--limit N]\n"
    "       nashra comments DIR approve|spam|trash|pending|delete ID...\n"
    "       nashra settings DIR set KEY VALUE\n"
    "       " CLI_SEARCH_USAGE "\n"
    "       " CLI_REINDEX_USAGE "\n"
    "       " CLI_IMPORT_USAGE "\n"
    "       " CLI_DB_USAGE "\n"
    "       " CLI_USER_USAGE "\n"
    "       nashra --help | --version\n"
    "\n"
    "  init    create DIR and an empty site database DIR/nashra.db\n"
    "          (--demo: fill it with demonstration content; --db URL: in the\n"
    "          PostgreSQL database postgresql://USER[:PASSWORD]@HOST[:PORT]/NAME\n"
    "          instead, which DIR/nashra.conf then names)\n"
    "  article, comments, settings\n"
    "          change the site in DIR while it is served: each change is one\n"
    "          transaction, and the server shows it on the next request\n"
    "  search  what the site's /search page finds for QUERY: the count, then\n"
    "          each result (title, address, date) best first, ten a page\n"
    "  reindex rebuild the search index and every article's related articles\n"
    "          (after another program changed the articles; progress on stderr)\n"
    "  db copy copy the site in DIR whole into another database (a SQLite file,\n"
    "          created if missing, or a postgresql:// URL) in one transaction,\n"
    "          every table's rows counted on both sides; refuses a database that\n"
    "          holds a site unless --replace. The site keeps its database until\n"
    "          DIR/nashra.conf (or --db) names the new one\n"
    "  user    the people who sign in to the newsroom (/admin): add one (the\n"
    "          password is asked twice on the terminal, or read as one line of\n"
    "          stdin), set a new password (ending their sessions), list them\n"
    "  serve   serve the site in DIR (default 127.0.0.1:8080, one thread per CPU;\n"
    "          --no-cache or NASHRA_NO_CACHE=1 disables the response cache); an\n"
    "          index made by an older nashra is rebuilt first, as reindex does\n"
    "          --db URL                    the database (wins over the database entry\n"
    "                                      of DIR/nashra.conf, then DIR/nashra.db)\n"
    "          --cache-size MIB            response cache memory (default 64)\n"
    "          --request-timeout SECONDS   to send a whole request head and body; also\n"
    "                                      the keep-alive idle time (default 10)\n"
    "          --max-conns-per-client N    connections one address may hold (default 256,\n"
    "                                      0: unlimited)\n"
    "          --trusted-proxy ADDR[/PREFIX]  a reverse proxy (load balancer): exempt from\n"
    "                                      that bound, its X-Forwarded-For names the client\n";

static bool cli_is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- init ---- */

/* Refuse to create a site where one is: a nashra database at db, or a
 * DIR/nashra.conf naming one. */
static int cli_init_target(const char *dir, const char *db, bool conf)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/" CLI_SITE_CONF, dir);
    if (conf && access(path, F_OK) == 0)
        return cli_fail(EXIT_FAIL, "%s already exists: refusing to overwrite an existing site", path);
    if (!store_location_is_pg(db))
        return access(db, F_OK) == 0
            ? cli_fail(EXIT_FAIL, "%s already exists: refusing to overwrite an existing site", db) : 0;
    store_t *s;
    int rc = store_open(db, STORE_READONLY, &s);
    store_close(s);
    if (rc == NS_OK)
        return cli_fail(EXIT_FAIL, "the database already holds a nashra site: refusing to overwrite it");
    return rc == NS_ENOTFOUND ? 0 : cli_store_fail(db, rc);
}

static int cli_init(const char *dir, bool demo, const char *db_opt)
{
    if (!cli_is_dir(dir) && mkdir(dir, 0755) != 0)
        return cli_fail(EXIT_FAIL, "cannot create directory %s: %s", dir,
                        errno == EEXIST ? "a file of that name exists" : strerror(errno));
    char db[PATH_MAX];
    int rc = cli_site_db(dir, db_opt, db, sizeof db);
    if (rc || (rc = cli_init_target(dir, db, db_opt != NULL)))
        return rc;
    store_t *s;
    rc = store_open(db, STORE_CREATE, &s);
    if (rc != NS_OK)
        return cli_store_fail(db, rc);
    if (demo && (rc = demo_populate_site(s, dir, (int64_t)time(NULL))) != NS_OK) {
        store_close(s);
        return cli_fail(EXIT_FAIL, "cannot add demo content: %s", ns_strerror(rc));
    }
    store_close(s);
    if (db_opt && (rc = cli_site_write_conf(dir, db)))
        return rc;
    char safe[1024];
    printf("created %s%s\n", store_location_safe(db, safe, sizeof safe), demo ? " with demo content" : "");
    return 0;
}

/* ---- serve ---- */

typedef struct serve_args {
    const char *dir;
    const char *db;            /* --db, NULL: from the site directory */
    char host[256];
    unsigned port;
    unsigned threads;
    const char *base_url;
    bool no_cache;
    unsigned cache_mib;        /* 0: default */
    unsigned request_timeout;  /* 0: default */
    unsigned max_conns;
    peer_net trusted[SERVER_MAX_TRUSTED];
    size_t ntrusted;
} serve_args;

/* A decimal number min..max from s into *out; false if it is not one. */
static bool cli_number(const char *s, long min, long max, unsigned *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end || errno || v < min || v > max)
        return false;
    *out = (unsigned)v;
    return true;
}

static unsigned cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > SERVER_MAX_THREADS ? SERVER_MAX_THREADS : (unsigned)n;
}

/* A URL text_url_is_http accepts, without '"' '<' '>' either; trailing '/'
 * removed. */
static char *cli_base_url(const char *u)
{
    if (!text_url_is_http(u) || strpbrk(u, "\"<>"))
        return NULL;
    char *r = strdup(u);
    if (!r)
        abort();
    size_t n = strlen(r);
    while (n > 8 && r[n - 1] == '/')
        r[--n] = '\0';
    return r;
}

/* The default theme directory (see docs/ARCHITECTURE.md "Site directory"):
 * $NASHRA_THEME_DIR, else themes/default beside an ancestor of the binary's
 * directory, else the system-wide copy. Returns a malloc'd path. */
static char *cli_theme_dir(void)
{
    const char *env = getenv("NASHRA_THEME_DIR");
    if (env && *env)
        return strdup(env);
    char exe[PATH_MAX], cand[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash || slash == exe)
                break;
            *slash = '\0';
            char *parent = strrchr(exe, '/');
            if (!parent)
                break;
            snprintf(cand, sizeof cand, "%.*s/themes/default", (int)(parent - exe), exe);
            if (cli_is_dir(cand))
                return strdup(cand);
        }
    }
    return strdup("/usr/share/nashra/themes/default");
}

/* Open, check and close the database so startup fails early and clearly:
 * the site's database is there and sound; its secret key into *key; its
 * search index made by this analyzer, rebuilt first if not (before any
 * worker opens, so no reader sees a half-built index). */
static int cli_check_db(const char *dir, const char *db, secret_key *key)
{
    if (!cli_is_dir(dir) || (!store_location_is_pg(db) && access(db, F_OK) != 0))
        return cli_fail(EXIT_FAIL, "no site at %s: run nashra init %s", dir, dir);
    store_t *s;
    int rc = store_open(db, 0, &s);
    if (rc != NS_OK)
        return cli_store_fail(db, rc);
    rc = store_check(s);
    if (rc == NS_OK && (rc = cli_site_secret(s, key)) == NS_EINVAL) {
        store_close(s);
        return cli_fail(EXIT_FAIL, "setting %s is not 64 hex digits", CLI_SECRET_SETTING);
    }
    cli_progress p;
    cli_progress_start(&p, stderr);
    if (rc == NS_OK && (rc = store_search_ready(s, cli_progress_report, &p)) != NS_OK) {
        store_close(s);
        return cli_fail(EXIT_FAIL, "cannot rebuild the search index: %s", ns_strerror(rc));
    }
    cli_progress_end(&p);
    store_close(s);
    return rc == NS_OK ? 0 : cli_store_fail(db, rc);
}

static int cli_load_theme(const char *dir, theme_t **out)
{
    char *def = cli_theme_dir(), *err = NULL;
    char over[PATH_MAX];
    snprintf(over, sizeof over, "%s/theme", dir);
    int rc = theme_load(def, cli_is_dir(over) ? over : NULL, out, &err);
    if (rc != NS_OK)
        cli_fail(EXIT_FAIL, "cannot load theme from %s: %s", def, err ? err : ns_strerror(rc));
    free(def);
    free(err);
    return rc == NS_OK ? 0 : EXIT_FAIL;
}

/* Block the stop signals (inherited by every server thread) and wait. */
static void cli_wait_for_stop(const sigset_t *set)
{
    int sig;
    while (sigwait(set, &sig) != 0)
        ;
    log_info("received signal %d, stopping", sig);
}

static int cli_run(const serve_args *sa, const char *db, const site_config *site)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    server_opts o = {.host = sa->host, .port = sa->port, .threads = sa->threads,
                     .no_cache = sa->no_cache, .cache_bytes = (size_t)sa->cache_mib << 20,
                     .request_timeout = sa->request_timeout, .max_conns_per_client = sa->max_conns,
                     .trusted = sa->trusted, .ntrusted = sa->ntrusted, .db_path = db, .site = site};
    server_t *srv;
    int rc = server_start(&o, &srv);
    bool v6 = strchr(sa->host, ':') != NULL;
    if (rc != NS_OK)
        return cli_fail(EXIT_FAIL, "cannot listen on %s%s%s:%u: %s", v6 ? "[" : "", sa->host,
                        v6 ? "]" : "", sa->port, rc == NS_EBUSY ? "address in use"
                        : rc == NS_EINVAL ? "no such address on this host" : ns_strerror(rc));
    log_info("listening on %s%s%s:%u (%s, %u threads, cache %s)", v6 ? "[" : "", sa->host,
             v6 ? "]" : "", sa->port, site->base_url, sa->threads, sa->no_cache ? "off" : "on");
    cli_wait_for_stop(&set);
    server_stop(srv);
    return 0;
}

static int cli_serve(serve_args *sa)
{
    char db[PATH_MAX];
    int rc = cli_site_db(sa->dir, sa->db, db, sizeof db);
    secret_key key;
    if (rc || (rc = cli_check_db(sa->dir, db, &key)))
        return rc;
    theme_t *theme;
    if ((rc = cli_load_theme(sa->dir, &theme)))
        return rc;
    bool v6 = strchr(sa->host, ':') != NULL;
    char defurl[300];
    snprintf(defurl, sizeof defurl, "http://%s%s%s:%u", v6 ? "[" : "", sa->host, v6 ? "]" : "", sa->port);
    /* Canonical links, feeds and sitemaps need the address readers use;
     * a wildcard listen address is never that. */
    if (!sa->base_url && (strcmp(sa->host, "0.0.0.0") == 0 || strcmp(sa->host, "::") == 0))
        log_warn("listening on all addresses without --base-url: links will read %s", defurl);
    char *base = cli_base_url(sa->base_url ? sa->base_url : defurl);
    site_config site = {.dir = sa->dir, .base_url = base, .base_url_setting = !sa->base_url,
                        .theme = theme, .secret = &key};
    rc = cli_run(sa, db, &site);
    theme_free(theme);
    free(base);
    return rc;
}

/* ---- option parsing ---- */

/* Usage mistake: one line naming it (or the whole usage text if msg is NULL). */
static int cli_usage(const char *msg)
{
    if (msg)
        fprintf(stderr, "nashra: %s (see nashra --help)\n", msg);
    else
        fputs(usage_text, stderr);
    return EXIT_USAGE;
}

enum { OPT_DEMO = 256, OPT_DB, OPT_LISTEN, OPT_THREADS, OPT_BASE_URL, OPT_NO_CACHE, OPT_CACHE_SIZE,
       OPT_REQUEST_TIMEOUT, OPT_MAX_CONNS, OPT_TRUSTED_PROXY, OPT_HELP };

static const struct option cli_options[] = {
    {"demo", no_argument, NULL, OPT_DEMO},
    {"db", required_argument, NULL, OPT_DB},
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"base-url", required_argument, NULL, OPT_BASE_URL},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"cache-size", required_argument, NULL, OPT_CACHE_SIZE},
    {"request-timeout", required_argument, NULL, OPT_REQUEST_TIMEOUT},
    {"max-conns-per-client", required_argument, NULL, OPT_MAX_CONNS},
    {"trusted-proxy", required_argument, NULL, OPT_TRUSTED_PROXY},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

/* Apply one option to the serve/init settings; 0 or a usage exit code. */
static int cli_option(int opt, bool serve, serve_args *sa, bool *demo)
{
    if (opt == OPT_DEMO && !serve) {
        *demo = true;
    } else if (opt == OPT_DB) {
        if (!*optarg)
            return cli_usage("bad --db value: expected a postgresql:// URL or a file path");
        sa->db = optarg;
    } else if (opt == OPT_LISTEN && serve) {
        if (server_parse_listen(optarg, sa->host, sizeof sa->host, &sa->port) != NS_OK)
            return cli_usage("bad --listen value: expected HOST:PORT or [IPv6]:PORT");
    } else if (opt == OPT_THREADS && serve) {
        if (!cli_number(optarg, 1, SERVER_MAX_THREADS, &sa->threads))
            return cli_usage("bad --threads value: expected a number from 1 to 1024");
    } else if (opt == OPT_CACHE_SIZE && serve) {
        if (!cli_number(optarg, 1, 1 << 20, &sa->cache_mib))
            return cli_usage("bad --cache-size value: expected MiB from 1 to 1048576");
    } else if (opt == OPT_REQUEST_TIMEOUT && serve) {
        if (!cli_number(optarg, 1, 3600, &sa->request_timeout))
            return cli_usage("bad --request-timeout value: expected seconds from 1 to 3600");
    } else if (opt == OPT_MAX_CONNS && serve) {
        if (!cli_number(optarg, 0, 1000000, &sa->max_conns))
            return cli_usage("bad --max-conns-per-client value: expected a number from 0 to 1000000");
    } else if (opt == OPT_TRUSTED_PROXY && serve) {
        if (sa->ntrusted == SERVER_MAX_TRUSTED)
            return cli_usage("too many --trusted-proxy values (at most 64)");
        if (peer_parse_net(optarg, &sa->trusted[sa->ntrusted++]) != NS_OK)
            return cli_usage("bad --trusted-proxy value: expected an IP address or ADDRESS/PREFIX");
    } else if (opt == OPT_BASE_URL && serve) {
        char *u = cli_base_url(optarg);
        if (!u)
            return cli_usage("bad --base-url value: expected an http:// or https:// URL");
        free(u);
        sa->base_url = optarg;
    } else if (opt == OPT_NO_CACHE && serve) {
        sa->no_cache = true;
    } else {
        return cli_usage(opt == '?' ? "unknown option or missing value" : "option not valid for this command");
    }
    return 0;
}

static int cli_command(int argc, char **argv, bool serve)
{
    serve_args sa = {.port = 8080, .threads = cli_default_threads(),
                     .max_conns = SERVER_DEFAULT_CONNS_PER_CLIENT};
    strcpy(sa.host, "127.0.0.1");
    const char *env = getenv("NASHRA_NO_CACHE");
    sa.no_cache = env && strcmp(env, "1") == 0;
    bool demo = false;
    int opt, rc;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", cli_options, NULL)) != -1) {
        if (opt == OPT_HELP || opt == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if ((rc = cli_option(opt, serve, &sa, &demo)))
            return rc;
    }
    if (optind != argc - 1)
        return cli_usage(optind >= argc ? "missing site directory DIR" : "too many arguments");
    sa.dir = argv[optind];
    return serve ? cli_serve(&sa) : cli_init(sa.dir, demo, sa.db);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        puts("nashra " NASHRA_VERSION);
        return 0;
    }
    if (strcmp(cmd, "init") == 0 || strcmp(cmd, "serve") == 0)
        return cli_command(argc - 1, argv + 1, strcmp(cmd, "serve") == 0);
    if (cli_edit_command(cmd))
        return cli_edit(argc - 1, argv + 1);
    if (strcmp(cmd, "search") == 0)
        return cli_search(argc - 1, argv + 1);
    if (strcmp(cmd, "reindex") == 0)
        return cli_reindex(argc - 1, argv + 1);
    if (strcmp(cmd, "db") == 0)
        return cli_db(argc - 1, argv + 1);
    if (strcmp(cmd, "import") == 0)
        return cli_import(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return cli_export(argc - 1, argv + 1);
    if (strcmp(cmd, "user") == 0)
        return cli_user(argc - 1, argv + 1);
    return cli_usage("unknown command");
}
