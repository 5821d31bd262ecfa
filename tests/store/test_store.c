/*
 * test_store.c - what only the SQLite backend has: its database is a file.
 * Opening a missing file creates none; a damaged file, another
 * application's file with a version of its own, and a locked file are
 * refused with their codes; the file is in WAL mode with nashra's schema
 * version; and store_changed notices commits by another process, also
 * while that process opens, writes and closes the file over and over.
 * The contract both backends share is test_conformance.c's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "store/store.h"
#include "test_util.h"

#define NOW 1764000000LL
#define HOUR 3600

typedef struct {
    char dir[64], path[96];
    store_t *s;
    arena_t *a;
} fx;

static int setup_empty(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(test_util_tmpdir(f->dir, sizeof f->dir, "store"));
    snprintf(f->path, sizeof f->path, "%s/nashra.db", f->dir);
    f->a = arena_new(0);
    *state = f;
    return 0;
}

/* A site with one visible article, "target", that serving reads. */
static int setup_site(void **state)
{
    setup_empty(state);
    fx *f = *state;
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), 0);
    store_article ar = { .slug = "target", .title = "عنوان", .status = ARTICLE_PUBLISHED,
                         .published_at = NOW - HOUR };
    assert_int_equal(store_article_insert(f->s, &ar, NULL, 0), 0);
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    arena_free(f->a);
    assert_int_equal(test_util_store_dir_close(f->s, f->dir), 0);
    free(f);
    return 0;
}

/* sql through a connection of its own, as the sqlite3 shell would run it;
 * SQLite's result code. Asserts nothing: writer processes use it too. */
static int raw_try(const char *path, const char *sql)
{
    sqlite3 *db;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    sqlite3_close(db);
    return rc;
}

static void raw_exec(const char *path, const char *sql)
{
    assert_int_equal(raw_try(path, sql), SQLITE_OK);
}

/* ---- opening ---- */

/* Opening a missing file without STORE_CREATE leaves no file behind. */
static void test_open_missing_creates_no_file(void **state)
{
    fx *f = *state;
    assert_int_equal(store_open(f->path, 0, &f->s), NS_ENOTFOUND);
    assert_int_equal(store_open(f->path, STORE_READONLY, &f->s), NS_ENOTFOUND);
    assert_int_equal(access(f->path, F_OK), -1);
}

static void test_open_garbage(void **state)
{
    fx *f = *state;
    int fd = open(f->path, O_CREAT | O_WRONLY, 0644);
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 3);
    assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    assert_int_equal(store_open(f->path, 0, &f->s), NS_ECORRUPT);
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), NS_ECORRUPT);
    assert_null(f->s);
}

/* Another application's file that numbers its own versions (user_version
 * set, not nashra's application_id) is not taken for a site to migrate. */
static void test_open_foreign_versioned(void **state)
{
    fx *f = *state;
    raw_exec(f->path, "CREATE TABLE other(x); PRAGMA user_version=1;");
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), NS_ECORRUPT);
    assert_null(f->s);
}

static void test_open_locked(void **state)
{
    fx *f = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t VALUES(1);",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), NS_EBUSY); /* after the timeout */
    sqlite3_close(db);
}

/* The file as SQLite tools see it: nashra's schema version in
 * user_version, WAL journal, the articles table. */
static void test_file_layout(void **state)
{
    fx *f = *state;
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), 0);
    int v = store_schema_version(f->s);
    store_close(f->s);
    f->s = NULL;
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
                       " (SELECT journal_mode FROM pragma_journal_mode),"
                       " (SELECT count(*) FROM sqlite_schema WHERE name='articles')", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), v);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "wal");
    assert_int_equal(sqlite3_column_int(st, 2), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* store_changed, asserting it did not fail. */
static bool changed(store_t *s)
{
    bool c;
    assert_int_equal(store_changed(s, &c), 0);
    return c;
}

/* ---- commits by other connections and processes ---- */

/* Another process writing to the database, as the sqlite3 shell, a backup
 * or a cron job does. It is this binary run again (fork and exec), not a
 * bare fork: a forked child would inherit SQLite's per-process table of
 * open files and of the locks held on them, and be a connection of this
 * process in all but name. It sets setting k to 1, 2 .. n, each through a
 * connection of its own (open, write, close, as the shell does), and after
 * each write tells the parent and waits for its go-ahead, so the parent can
 * check every single write. */
#define WRITER_ARG "--writer"

typedef struct {
    pid_t pid;
    int wrote, go; /* the parent's ends of the two pipes */
} writer;

/* main() of the writer process: argv = prog --writer DB N WROTE_FD GO_FD. */
static int writer_main(char **argv)
{
    int n = atoi(argv[3]), wrote = atoi(argv[4]), go = atoi(argv[5]);
    char sql[96];
    for (int i = 1; i <= n; i++) {
        /* no fsync: two hundred of them would not fit the test's time */
        snprintf(sql, sizeof sql,
                 "PRAGMA synchronous=OFF; UPDATE settings SET value='%d' WHERE key='k'", i);
        int ok;
        if (raw_try(argv[2], sql) != SQLITE_OK || write(wrote, &i, sizeof i) != sizeof i ||
            read(go, &ok, sizeof ok) != sizeof ok)
            return 1;
    }
    return 0;
}

static writer writer_start(const char *path, int n)
{
    int wrote[2], go[2];
    char ns[16], wfd[16], gfd[16];
    assert_int_equal(pipe2(wrote, O_CLOEXEC), 0);
    assert_int_equal(pipe2(go, O_CLOEXEC), 0);
    snprintf(ns, sizeof ns, "%d", n);
    snprintf(wfd, sizeof wfd, "%d", wrote[1]);
    snprintf(gfd, sizeof gfd, "%d", go[0]);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) { /* only async-signal-safe calls until exec */
        fcntl(wrote[1], F_SETFD, 0);
        fcntl(go[0], F_SETFD, 0);
        execl("/proc/self/exe", "test_store", WRITER_ARG, path, ns, wfd, gfd, (char *)NULL);
        _exit(127);
    }
    close(wrote[1]);
    close(go[0]);
    return (writer){ pid, wrote[0], go[1] };
}

/* True once the writer reports write number i, waiting up to ms for it. */
static bool writer_wrote(writer *w, int i, int ms)
{
    struct pollfd p = { .fd = w->wrote, .events = POLLIN };
    if (poll(&p, 1, ms) == 0)
        return false;
    int n = 0;
    assert_int_equal(read(w->wrote, &n, sizeof n), (ssize_t)sizeof n); /* 0: it died */
    assert_int_equal(n, i);
    return true;
}

static void writer_go(writer *w)
{
    int ok = 1;
    assert_int_equal(write(w->go, &ok, sizeof ok), (ssize_t)sizeof ok);
}

/* Wait for the writer to exit; its exit status (0: every write made). */
static int writer_end(writer *w)
{
    int status;
    close(w->wrote);
    close(w->go);
    assert_int_equal(waitpid(w->pid, &status, 0), w->pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* What a worker does for a request: ask whether anything changed, then
 * render inside one read transaction. Returns what it was told. */
static bool serve_once(fx *f)
{
    const char *v;
    store_article ar;
    bool c;
    assert_int_equal(store_changed(f->s, &c), 0);
    arena_reset(f->a);
    assert_int_equal(store_read_begin(f->s), 0);
    assert_int_equal(store_setting_get(f->s, f->a, "k", &v), 0);
    assert_int_equal(store_article_by_slug(f->s, f->a, "target", NOW, &ar), 0);
    assert_int_equal(store_read_end(f->s), 0);
    return c;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A commit by another process that has exited since is seen by the very
 * next check, and only once. */
static void test_changed_other_process(void **state)
{
    fx *f = *state;
    assert_int_equal(store_setting_set(f->s, "k", "0"), 0);
    changed(f->s);
    assert_false(changed(f->s));
    writer w = writer_start(f->path, 1);
    assert_true(writer_wrote(&w, 1, 5000));
    writer_go(&w);
    assert_int_equal(writer_end(&w), 0);
    assert_true(changed(f->s));
    assert_false(changed(f->s));
}

/* The crash this guards against: the server died with SIGBUS when another
 * process wrote while it served pages, because the store had closed a
 * descriptor of nashra.db-shm and so dropped SQLite's own locks on it; the
 * writer, believing itself alone, rebuilt the file under the server's
 * mapping. Here a process opens, writes and closes two hundred times while
 * this one serves: every read succeeds and every write is seen. */
#define WRITES 200

static void test_other_process_writes_while_serving(void **state)
{
    fx *f = *state;
    const char *v;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(store_setting_set(f->s, "k", "0"), 0);
    serve_once(f);
    writer w = writer_start(f->path, WRITES);
    for (int i = 1; i <= WRITES; i++) {
        bool seen = false;
        while (!writer_wrote(&w, i, 0)) {
            seen |= serve_once(f);
            assert_true(seconds_since(&t0) < 300); /* a writer that never goes on: a hang, not a speed */
        }
        seen |= changed(f->s);
        assert_true(seen);
        assert_int_equal(store_setting_get(f->s, f->a, "k", &v), 0);
        assert_int_equal(atoi(v), i);
        assert_false(changed(f->s)); /* once; the writer waits for us */
        writer_go(&w);
    }
    assert_int_equal(writer_end(&w), 0);
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], WRITER_ARG) == 0)
        return writer_main(argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_missing_creates_no_file, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_changed_other_process, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_other_process_writes_while_serving, setup_site, teardown),
        cmocka_unit_test_setup_teardown(test_open_garbage, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_open_foreign_versioned, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_open_locked, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_file_layout, setup_empty, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
