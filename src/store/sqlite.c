/*
 * sqlite.c - the SQLite connection: opening with the pragmas a concurrent
 * web server needs (WAL, foreign keys, busy timeout), telling damaged or
 * foreign files from missing ones, the per-connection statement cache, the
 * one step function (counted, fault-injectable, noting failed reads), the
 * write path (transactions begun outside any snapshot, retried when busy)
 * and the change log's reading side. Commits by other connections are
 * noticed through PRAGMA data_version, which SQLite keeps per connection;
 * only SQLite touches its files: a descriptor of one closed behind its
 * back drops its POSIX locks on that file. Reads and writes live in
 * sqlite_read.c and sqlite_write.c; the SQL text itself in sqlite_sql.c.
 */
#include "store/sqlite_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include "core/err.h"

/* What an injected NS_EUNAVAIL fails with: a file has no server to lose,
 * so no SQLite code means it; an extended code SQLite never returns. */
#define STORE_RC_UNAVAIL (SQLITE_CANTOPEN | (0x7f << 8))

int store_map_rc(int rc)
{
    if (rc == STORE_RC_UNAVAIL)
        return NS_EUNAVAIL;
    switch (rc & 0xff) {
    case SQLITE_OK: case SQLITE_ROW: case SQLITE_DONE: return 0;
    case SQLITE_BUSY: case SQLITE_LOCKED: return NS_EBUSY;
    case SQLITE_NOTADB: case SQLITE_CORRUPT: return NS_ECORRUPT;
    case SQLITE_CANTOPEN: case SQLITE_IOERR: case SQLITE_FULL: return NS_EIO;
    case SQLITE_READONLY: case SQLITE_PERM: case SQLITE_AUTH: return NS_EPERM;
    case SQLITE_TOOBIG: return NS_ETOOBIG;
    case SQLITE_MISMATCH: case SQLITE_RANGE: return NS_EINVAL;
    case SQLITE_CONSTRAINT:
        return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY
                   ? NS_EEXIST : NS_EINVAL;
    default: return NS_EINTERNAL;
    }
}

/* NS_E* code → the SQLite result code an injected fault returns. */
static int store_fault_rc(int code)
{
    switch (code) {
    case NS_EBUSY: return SQLITE_BUSY;
    case NS_ECORRUPT: return SQLITE_CORRUPT;
    case NS_EIO: return SQLITE_FULL;
    case NS_EPERM: return SQLITE_READONLY;
    case NS_EUNAVAIL: return STORE_RC_UNAVAIL;
    default: return SQLITE_ERROR;
    }
}

void sq_fault(store_t *self, uint64_t nth, int code, bool sticky)
{
    sq_store *s = sq(self);
    s->fault.at = nth ? s->steps + nth : 0;
    s->fault.code = store_fault_rc(code);
    s->fault.sticky = sticky;
}

uint64_t sq_steps(store_t *self)
{
    sq_store *s = sq(self);
    return s->steps;
}

/* Note a failed read in the tracked set (the first one wins). */
static void store_note_failure(sq_store *s, int rc)
{
    if (s->track && !s->track->failed && rc != 0 && rc != NS_ENOTFOUND)
        s->track->failed = rc;
}

int store_step(sq_store *s, sqlite3_stmt *st)
{
    uint64_t n = ++s->steps;
    int rc;
    if (s->fault.at && (n == s->fault.at || (s->fault.sticky && n > s->fault.at)))
        rc = s->fault.code;
    else
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        store_note_failure(s, store_map_rc(rc));
    return rc;
}

void store_dep_note(sq_store *s, int kind, int64_t id)
{
    if (s->track)
        store_deps_add(s->track, STORE_DEP(kind, id));
}

void sq_track(store_t *self, store_deps *d)
{
    sq_store *s = sq(self);
    s->track = d;
}

sqlite3_stmt *store_stmt(sq_store *s, enum store_stmt_id id)
{
    if (!s->stmts[id] &&
        sqlite3_prepare_v3(s->db, store_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->stmts[id], NULL) != SQLITE_OK) {
        s->stmts[id] = NULL;
        store_note_failure(s, NS_EINTERNAL);
    }
    return s->stmts[id];
}

int store_done(sqlite3_stmt *st, int rc)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

void store_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i == 0)
        return;
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void store_bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i)
        sqlite3_bind_int64(st, i, v);
}

void store_bind_ref(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i && v)
        sqlite3_bind_int64(st, i, v);
    else if (i)
        sqlite3_bind_null(st, i);
}

const char *store_col_str(arena_t *a, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

/* Step a statement that returns no rows of interest. */
static int store_exec_id(sq_store *s, enum store_stmt_id id)
{
    sqlite3_stmt *st = store_stmt(s, id);
    if (!st)
        return NS_EINTERNAL;
    int rc = store_step(s, st);
    return store_done(st, store_map_rc(rc));
}

/* fn inside a savepoint of the caller's open write transaction. */
static int store_savepoint(sq_store *s, int (*fn)(store_t *, void *), void *arg)
{
    int rc = store_exec_id(s, ST_SAVEPOINT);
    if (rc)
        return rc;
    rc = fn(&s->base, arg);
    if (rc)
        store_exec_id(s, ST_ROLLBACK_TO);
    int rel = store_exec_id(s, ST_RELEASE);
    return rc ? rc : rel;
}

/* Commit a write transaction after trimming the change log: readers keep
 * up within milliseconds, and one that fell further behind than
 * STORE_CHANGES_KEEP changes drops everything instead (store_changes). */
static int store_commit_write(store_t *self)
{
    sq_store *s = sq(self);
    int rc = sq_vocab_commit(s);
    if (rc == 0)
        rc = store_exec_id(s, ST_CHANGES_PRUNE);
    if (rc == 0)
        rc = store_exec_id(s, ST_COMMIT);
    if (rc == 0)
        s->wrote = true;
    return rc;
}

/* BEGIN IMMEDIATE: the write lock first (store_tx_begin retries it). */
static int store_begin_write(store_t *self)
{
    return store_exec_id(sq(self), ST_BEGIN);
}

static void store_abort_write(store_t *self)
{
    sq_store *s = sq(self);
    sq_vocab_abort(s);
    if (!sqlite3_get_autocommit(s->db))
        store_exec_id(s, ST_ROLLBACK);
}

static const store_tx sq_tx = { store_begin_write, store_commit_write, store_abort_write };

int sq_write(store_t *self, int (*fn)(store_t *, void *), void *arg)
{
    sq_store *s = sq(self);
    if (s->readonly)
        return NS_EPERM;
    if (s->in_read)
        return NS_EINTERNAL; /* a write must not run inside a page's snapshot */
    if (!sqlite3_get_autocommit(s->db))
        return store_savepoint(s, fn, arg);
    /* A write reports its own outcome through its return code: a busy
     * attempt that a retry overcame is no failed read of the page. */
    store_deps *track = s->track;
    s->track = NULL;
    int rc = store_tx_run(&s->base, &sq_tx, fn, arg);
    s->track = track;
    return rc;
}

static int64_t store_pragma_int(sqlite3 *db, const char *sql, int *rcp)
{
    sqlite3_stmt *st;
    int64_t v = 0;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    *rcp = store_map_rc(rc);
    return v;
}

/* After a commit leaves the log STORE_WAL_CHECKPOINT pages long or more,
 * copy it into the database and start it over (RESTART: waits, within
 * the busy timeout, for readers still using the log). SQLite's own
 * checkpoint is PASSIVE and never restarts a log that readers keep
 * using: under a steady stream of writes (comments) and reads (pages) the
 * log grew without bound, and every read with it, as finding a page in a
 * longer log costs more. So: a PASSIVE checkpoint (it waits for nobody),
 * and when it copied the whole log, a RESTART that does not wait either
 * (busy handler off): readers that began after the copy read the database
 * file, so it succeeds unless a reader older than the copy is still
 * there, in which case the next commit tries again. A long reader (a
 * shell, a backup) thus costs a longer log, never a stalled writer. */
static int store_wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)arg;
    int log = 0, copied = 0;
    if (pages < STORE_WAL_CHECKPOINT ||
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK ||
        copied < log)
        return SQLITE_OK;
    sqlite3_busy_timeout(db, 0);
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
    return SQLITE_OK;
}

/* Pragmas of a connection; the first statement also reads the header, so a
 * file that is not a database fails here with NS_ECORRUPT. */
static int store_configure(sq_store *s)
{
    static const char *const rw[] = {
        "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL",
    };
    /* Every page render reads a few dozen pages: mapped, a read is a pointer
     * into the page cache of the kernel instead of a pread() and a copy, and
     * a cache that holds a whole news site's hot pages (16 MiB) keeps them
     * between requests of the same connection. */
    static const char *const any[] = {
        "PRAGMA mmap_size=268435456", "PRAGMA cache_size=-16384",
    };
    int rc;
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    store_pragma_int(s->db, "SELECT count(*) FROM sqlite_schema", &rc);
    for (size_t i = 0; rc == 0 && !s->readonly && i < sizeof rw / sizeof rw[0]; i++)
        store_pragma_int(s->db, rw[i], &rc);
    if (rc == 0 && !s->readonly) {
        sqlite3_wal_hook(s->db, store_wal_hook, NULL);
        /* the file grows by whole chunks when a checkpoint writes to it:
         * every connection maps the file (mmap_size), and each growth
         * made each of them map it again at its next read; under a stream
         * of comments that was a quarter of the server's time */
        int chunk = STORE_FILE_CHUNK;
        sqlite3_file_control(s->db, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
    }
    for (size_t i = 0; rc == 0 && i < sizeof any / sizeof any[0]; i++)
        store_pragma_int(s->db, any[i], &rc);
    return rc;
}

/* Refuse SQLite files that are some other application's database. */
static int store_identify(sq_store *s)
{
    int rc, version = 0;
    int64_t tables = store_pragma_int(s->db,
        "SELECT count(*) FROM sqlite_schema WHERE type='table'", &rc);
    if (rc == 0)
        rc = store_user_version(s->db, &version);
    int64_t app = rc ? 0 : store_pragma_int(s->db, "PRAGMA application_id", &rc);
    if (rc)
        return rc;
    if (version == 0 ? tables > 0 : app != STORE_APPLICATION_ID)
        return NS_ECORRUPT;
    if (version > store_migrations_latest())
        return NS_EINVAL;
    s->version = version;
    return 0;
}

static int store_open_db(const char *path, int flags, sqlite3 **db)
{
    struct stat sb;
    if (!(flags & STORE_CREATE) && stat(path, &sb) != 0)
        return errno == ENOENT ? NS_ENOTFOUND : NS_EIO;
    int oflags = SQLITE_OPEN_NOMUTEX |
                 ((flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
                  : SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0));
    int rc = sqlite3_open_v2(path, db, oflags, NULL);
    if (rc != SQLITE_OK)
        rc = sqlite3_extended_errcode(*db);
    return store_map_rc(rc);
}

/* Process-wide SQLite settings, before its first use. Memory statistics
 * would take one global mutex around every allocation of every worker's
 * connection; nothing here reads them. Fails harmlessly (SQLITE_MISUSE) if
 * the library was already initialised by someone else. */
static void store_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int sq_open(const char *path, int flags, store_t **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, store_global_init);
    *out = NULL;
    if (!path || !*path)
        return NS_EINVAL;
    sq_store *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->base.ops = &sq_ops;
    s->vocab = sq_vocab_new();
    s->readonly = (flags & STORE_READONLY) != 0;
    int rc = store_open_db(path, flags, &s->db);
    if (rc == 0)
        rc = store_configure(s);
    if (rc == 0) /* the search tables need it, migrations included */
        rc = sq_search_register(s);
    if (rc == 0)
        rc = store_identify(s);
    if (rc == 0 && !s->readonly)
        rc = store_migrate(s->db, &s->version);
    /* No baseline yet: a commit made by another process just before this
     * connection opened is news to whatever this process has cached, so
     * the first store_maybe_changed() must count as a change. */
    s->data_version = -1;
    if (rc) {
        sq_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}

void sq_close(store_t *self)
{
    sq_store *s = sq(self);
    if (!s)
        return;
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(s->stmts[i]);
    for (int i = 0; i < QF__COUNT; i++) {
        sqlite3_finalize(s->list[i]);
        sqlite3_finalize(s->count[i]);
    }
    sqlite3_finalize(s->copy_stmt);
    sqlite3_close_v2(s->db);
    sq_vocab_free(s->vocab);
    free(s);
}

int sq_schema_version(store_t *self)
{
    sq_store *s = sq(self);
    return s->version;
}

/* PRAGMA data_version moves when another connection commits; a failed
 * step keeps the last value seen, so the commit it may hide still shows
 * next time, and counts as a change now. */
int sq_changed(store_t *self, bool *changed)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_DATA_VERSION);
    *changed = true;
    if (!st)
        return NS_EINTERNAL;
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW) {
        int64_t dv = sqlite3_column_int64(st, 0);
        *changed = dv != s->data_version || s->wrote;
        s->data_version = dv;
        s->wrote = false;
    }
    /* no row is no answer: as much a failure as an error */
    return store_done(st, rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? NS_EINTERNAL : store_map_rc(rc));
}

int sq_changes_head(store_t *self, int64_t *seq)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st = store_stmt(s, ST_CHANGES_HEAD);
    *seq = 0;
    if (!st)
        return NS_EINTERNAL;
    int rc = store_step(s, st);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    return store_done(st, store_map_rc(rc));
}

/* The rows after out->last, at most STORE_CHANGES_LIST of them. */
static int store_changes_rows(sq_store *s, store_deps *d, store_changes *out)
{
    sqlite3_stmt *st = store_stmt(s, ST_CHANGES_SINCE);
    if (!st)
        return NS_EINTERNAL;
    store_bind_int(st, ":since", out->last);
    store_bind_int(st, ":limit", STORE_CHANGES_LIST + 1);
    int64_t expect = out->last + 1;
    size_t rows = 0;
    int rc;
    while ((rc = store_step(s, st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        /* a gap: pruned before we read it (or removed by hand) */
        out->all |= seq != expect || ++rows > STORE_CHANGES_LIST;
        expect = seq + 1;
        out->last = seq;
        if (!out->all)
            store_deps_add(d, STORE_DEP(sqlite3_column_int(st, 1), sqlite3_column_int64(st, 2)));
    }
    return store_done(st, store_map_rc(rc));
}

int sq_changes_since(store_t *self, arena_t *a, int64_t since, store_changes *out)
{
    sq_store *s = sq(self);
    store_deps d;
    store_deps_init(&d, a);
    memset(out, 0, sizeof *out);
    out->last = since;
    bool own = sqlite3_get_autocommit(s->db);
    int rc = own ? sq_read_begin(&s->base) : 0;
    if (rc == 0)
        rc = store_changes_rows(s, &d, out);
    if (rc == 0 && out->all)
        rc = sq_changes_head(&s->base, &out->last);
    int end = own ? sq_read_end(&s->base) : 0;
    rc = rc ? rc : end;
    out->deps = d.v;
    out->n = out->all ? 0 : d.n;
    return rc;
}

int sq_check(store_t *self)
{
    sq_store *s = sq(self);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return store_map_rc(rc);
    bool ok = true;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        ok = ok && t && strcmp((const char *)t, "ok") == 0;
    }
    sqlite3_finalize(st);
    rc = store_map_rc(rc);
    return rc ? rc : ok ? 0 : NS_ECORRUPT;
}

int sq_begin(store_t *self)
{
    sq_store *s = sq(self);
    if (s->readonly)
        return NS_EPERM;
    if (s->in_read)
        return NS_EINTERNAL;
    return store_tx_begin(&s->base, &sq_tx);
}

int sq_commit(store_t *self)
{
    int rc = store_commit_write(self);
    if (rc)
        store_abort_write(self);
    return rc;
}

int sq_rollback(store_t *self)
{
    sq_store *s = sq(self);
    sq_vocab_abort(s);
    return store_exec_id(s, ST_ROLLBACK);
}

bool sq_in_transaction(store_t *self)
{
    sq_store *s = sq(self);
    return !sqlite3_get_autocommit(s->db);
}

int sq_read_begin(store_t *self)
{
    sq_store *s = sq(self);
    int rc = store_exec_id(s, ST_BEGIN_READ);
    s->in_read = rc == 0;
    return rc;
}

int sq_read_end(store_t *self)
{
    sq_store *s = sq(self);
    s->in_read = false;
    int rc = store_exec_id(s, ST_COMMIT);
    /* A COMMIT that failed leaves the transaction open; ROLLBACK always
     * ends it (sqlite3_step of ROLLBACK does not fail on a read). */
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

const store_ops sq_ops = {
    .close = sq_close,
    .schema_version = sq_schema_version,
    .track = sq_track,
    .changes_head = sq_changes_head,
    .changes_since = sq_changes_since,
    .changed = sq_changed,
    .check = sq_check,
    .write = sq_write,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_transaction = sq_in_transaction,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .fault = sq_fault,
    .steps = sq_steps,
    .article_by_slug = sq_article_by_slug,
    .article_by_id = sq_article_by_id,
    .article_list = sq_article_list,
    .article_count = sq_article_count,
    .article_related = sq_article_related,
    .next_publish = sq_next_publish,
    .last_modified = sq_last_modified,
    .comment_list = sq_comment_list,
    .comment_list_all = sq_comment_list_all,
    .category_by_slug = sq_category_by_slug,
    .category_by_id = sq_category_by_id,
    .category_list = sq_category_list,
    .tag_by_slug = sq_tag_by_slug,
    .author_by_slug = sq_author_by_slug,
    .author_list = sq_author_list,
    .page_by_slug = sq_page_by_slug,
    .page_list = sq_page_list,
    .redirect_lookup = sq_redirect_lookup,
    .setting_get = sq_setting_get,
    .setting_list = sq_setting_list,
    .author_insert = sq_author_insert,
    .category_insert = sq_category_insert,
    .category_update = sq_category_update,
    .tag_ensure = sq_tag_ensure,
    .article_insert = sq_article_insert,
    .article_update = sq_article_update,
    .article_delete = sq_article_delete,
    .comment_insert = sq_comment_insert,
    .comment_set_status = sq_comment_set_status, .comment_delete = sq_comment_delete,
    .comment_get = sq_comment_get, .comment_threads = sq_comment_threads,
    .comment_stats = sq_comment_stats, .comment_recent = sq_comment_recent,
    .comment_known = sq_comment_known,
    .setting_ensure = sq_setting_ensure, .durable = sq_durable, .streaming = sq_streaming,
    .page_insert = sq_page_insert,
    .setting_set = sq_setting_set,
    .redirect_insert = sq_redirect_insert,
    .page_by_id = sq_page_by_id, .page_list_all = sq_page_list_all, .tag_list = sq_tag_list,
    .comment_list_any = sq_comment_list_any, .media_get = sq_media_get,
    .media_list = sq_media_list, .import_get = sq_import_get, .import_refs = sq_import_refs,
    .page_update = sq_page_update, .comment_import = sq_comment_import,
    .media_insert = sq_media_insert, .media_update = sq_media_update,
    .import_put = sq_import_put, .redirect_put = sq_redirect_put,
    .search = sq_search, .search_terms = sq_search_terms, .search_index = sq_search_index,
    .search_clear = sq_search_clear, .search_recount = sq_search_recount, .search_rebuilt = sq_search_rebuilt, .related_set = sq_related_set, .article_ids = sq_article_ids,
    .rows = sq_rows,
    .row_put = sq_row_put,
    .row_set = sq_row_set,
    .count = sq_count,
    .clear = sq_clear,
    .copied = sq_copied,
    .nr_read = sq_nr_read, .nr_row = sq_nr_row, .nr_write = sq_nr_write,
    .nr_articles = sq_nr_articles, .nr_match = sq_match,
    .nr_match_clause = "a.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH $%d)",
};

/* In WAL mode, FULL syncs the log at every commit, NORMAL only at
 * checkpoints. */
int sq_durable(store_t *self)
{
    int rc;
    store_pragma_int(sq(self)->db, "PRAGMA synchronous=FULL", &rc);
    return rc;
}

int sq_streaming(store_t *self)
{
    int rc;
    store_pragma_int(sq(self)->db, "PRAGMA mmap_size=0", &rc);
    return rc;
}
