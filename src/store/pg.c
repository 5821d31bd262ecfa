/*
 * pg.c - the PostgreSQL connection: opening it (UTF-8, a connect timeout,
 * the schema migrated), the one function every statement goes through,
 * the write path and read snapshots, and how this connection learns of
 * other nodes' commits: it reads the change log's head at every check
 * (once per event-loop iteration that has a cacheable request). The
 * change log's trigger also NOTIFYs every listener at commit, but the
 * listening server process sends the notification on some time after
 * the writer is told its commit is done, so a reader who saw the commit
 * and then asks for a page could come before it: only a read of the head
 * makes "visible on the next request" true. The notifications are still
 * drained at each check (their backlog would otherwise fill the socket),
 * and reading them is where a server that shut down is noticed before a
 * statement is sent to it. A lost connection is re-established by the
 * next statement that can safely be retried (not one inside a
 * transaction, whose earlier statements died with the connection), at
 * most every PG_RETRY_MS, so a server that is down costs each request one
 * refused connect, not a wait.
 */
#include "store/pg_priv.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/date.h"
#include "core/err.h"

static bool pg_in_tx_block_of(PGconn *c)
{
    PGTransactionStatusType t = PQtransactionStatus(c);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* ---- parameters and results ---- */

void pg_arg_text(pg_args *a, const char *v)
{
    assert(a->n < PG_MAX_ARGS);
    a->v[a->n++] = v;
}

void pg_arg_int(pg_args *a, int64_t v)
{
    assert(a->n < PG_MAX_ARGS);
    snprintf(a->num[a->n], sizeof a->num[a->n], "%lld", (long long)v);
    a->v[a->n] = a->num[a->n];
    a->n++;
}

void pg_arg_ref(pg_args *a, int64_t v)
{
    if (v)
        pg_arg_int(a, v);
    else
        pg_arg_text(a, NULL);
}

static const store_field *pg_field(const store_fields *fs, const char *name, size_t len)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strlen(fs->f[i].param) == len && memcmp(fs->f[i].param, name, len) == 0)
            return &fs->f[i];
    return NULL;
}

static void pg_arg_member(pg_args *a, const store_field *f, const void *row)
{
    const void *m = (const char *)row + f->off;
    switch (f->kind) {
    case STORE_F_TEXT:
    case STORE_F_TEXT_REQ: pg_arg_text(a, *(const char *const *)m); break;
    case STORE_F_I64: pg_arg_int(a, *(const int64_t *)m); break;
    case STORE_F_REF: pg_arg_ref(a, *(const int64_t *)m); break;
    case STORE_F_INT: pg_arg_int(a, *(const int *)m); break;
    case STORE_F_BOOL: pg_arg_int(a, *(const bool *)m); break;
    case STORE_F_ARTICLE_STATUS:
        pg_arg_text(a, store_article_status_name(*(const article_status *)m));
        break;
    case STORE_F_COMMENT_STATUS:
        pg_arg_text(a, store_comment_status_name(*(const comment_status *)m));
        break;
    case STORE_F_BODY_FORMAT:
        pg_arg_text(a, store_body_format_name(*(const body_format *)m));
        break;
    case STORE_F_USER_ROLE:
        pg_arg_text(a, store_user_role_name(*(const user_role *)m));
        break;
    }
}

void pg_arg_row(pg_args *a, enum pg_stmt_id id, const store_fields *fs, const void *row)
{
    const char *p = pg_sql[id].row_params;
    assert(p);
    while (*p) {
        size_t len = strcspn(p, " ");
        const store_field *f = pg_field(fs, p, len);
        assert(f); /* a statement names only members of its table */
        pg_arg_member(a, f, row);
        p += len + (p[len] == ' ');
    }
}

const char *pg_str(arena_t *a, const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    return arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

int64_t pg_int(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

void pg_read_row(arena_t *a, const PGresult *r, int row, int col0, const store_fields *fs, void *out)
{
    for (size_t i = 0; i < fs->n; i++) {
        const store_field *f = &fs->f[i];
        void *m = (char *)out + f->off;
        int col = col0 + (int)i;
        switch (f->kind) {
        case STORE_F_TEXT:
        case STORE_F_TEXT_REQ: *(const char **)m = pg_str(a, r, row, col); break;
        case STORE_F_I64:
        case STORE_F_REF: *(int64_t *)m = pg_int(r, row, col); break;
        case STORE_F_INT: *(int *)m = (int)pg_int(r, row, col); break;
        case STORE_F_BOOL: *(bool *)m = pg_int(r, row, col) != 0; break;
        case STORE_F_ARTICLE_STATUS:
            *(article_status *)m = store_article_status_parse(PQgetvalue(r, row, col));
            break;
        case STORE_F_COMMENT_STATUS:
            *(comment_status *)m = store_comment_status_parse(PQgetvalue(r, row, col));
            break;
        case STORE_F_BODY_FORMAT:
            *(body_format *)m = store_body_format_parse(PQgetvalue(r, row, col));
            break;
        case STORE_F_USER_ROLE:
            *(user_role *)m = store_user_role_parse(PQgetvalue(r, row, col));
            break;
        }
    }
}

int64_t pg_affected(const PGresult *r)
{
    return strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

void pg_dep_note(pg_store *s, int kind, int64_t id)
{
    if (s->track)
        store_deps_add(s->track, STORE_DEP(kind, id));
}

void pg_track(store_t *self, store_deps *d)
{
    pgs(self)->track = d;
}

/* ---- errors ---- */

/* SQLSTATE classes and codes → NS_E*. */
static int pg_map_state(const char *state)
{
    static const struct { const char *prefix; int rc; } map[] = {
        { "23505", NS_EEXIST },   /* unique_violation */
        { "23", NS_EINVAL },      /* other integrity violations: reference, check, not null */
        { "22", NS_EINVAL },      /* data exceptions: encoding, out of range */
        { "40", NS_EBUSY },       /* serialization failure, deadlock */
        { "55P03", NS_EBUSY },    /* lock not available */
        { "57P0", NS_EUNAVAIL },  /* admin or crash shutdown, cannot connect now */
        { "08", NS_EUNAVAIL },    /* connection exceptions */
        { "53", NS_EIO },         /* insufficient resources: disk full, memory */
        { "42501", NS_EPERM },    /* insufficient privilege */
        { "25006", NS_EPERM },    /* read-only transaction */
    };
    for (size_t i = 0; state && i < sizeof map / sizeof map[0]; i++)
        if (strncmp(state, map[i].prefix, strlen(map[i].prefix)) == 0)
            return map[i].rc;
    return NS_EINTERNAL;
}

int pg_result_rc(pg_store *s, const PGresult *r)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return 0;
    if (PQstatus(s->conn) != CONNECTION_OK)
        return NS_EUNAVAIL;
    return pg_map_state(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
}

/* Note a failed read in the tracked set (the first one wins). */
static void pg_note_failure(pg_store *s, int rc)
{
    if (s->track && !s->track->failed && rc != 0 && rc != NS_ENOTFOUND)
        s->track->failed = rc;
}

void pg_fault(store_t *self, uint64_t nth, int code, bool sticky)
{
    pg_store *s = pgs(self);
    s->fault.at = nth ? s->steps + nth : 0;
    s->fault.code = code;
    s->fault.sticky = sticky;
}

uint64_t pg_steps(store_t *self)
{
    return pgs(self)->steps;
}

/* ---- the session ---- */

/* What every new session needs: the change channel listened to, nothing
 * prepared yet, and no baseline for changes. */
static int pg_session(pg_store *s)
{
    memset(s->prepared, 0, sizeof s->prepared);
    s->fresh = true;
    s->in_read = s->in_write = s->vocab_deferred = false;
    /* a lock held by another writer (the change log's counter row is
     * taken by every writing transaction) fails a statement after as long
     * as SQLite's busy timeout waits, and store_write backs off and
     * retries, instead of a worker waiting for it without end */
    PGresult *r = PQexec(s->conn, s->durable ? "LISTEN nashra_changes; SET lock_timeout = 2000;"
                                               " SET synchronous_commit = on"
                                             : "LISTEN nashra_changes; SET lock_timeout = 2000");
    int rc = pg_result_rc(s, r);
    PQclear(r);
    return rc;
}

/* A server configured with synchronous_commit off would acknowledge a
 * commit before its WAL reaches the disk; this session insists, also
 * after a reconnection (pg_session). */
int pg_durable(store_t *self)
{
    pg_store *s = pgs(self);
    s->durable = true;
    PGresult *r = PQexec(s->conn, "SET synchronous_commit = on");
    int rc = pg_result_rc(s, r);
    PQclear(r);
    return rc;
}

/* The server holds the pages; the client's memory is its results'. */
int pg_streaming(store_t *self)
{
    (void)self;
    return 0;
}

/* Re-establish a lost connection, at most every PG_RETRY_MS. */
static int pg_reconnect(pg_store *s)
{
    int64_t now = date_monotonic_ms();
    if (now < s->retry_ms)
        return NS_EUNAVAIL;
    s->retry_ms = now + PG_RETRY_MS;
    PQreset(s->conn);
    if (PQstatus(s->conn) != CONNECTION_OK)
        return NS_EUNAVAIL;
    return pg_session(s);
}

/* A connection that works, unless a transaction was lost with it: its
 * owner must end it (the rollback then finds the connection gone). */
static int pg_ready(pg_store *s)
{
    /* the answer to a snapshot's COMMIT, sent without waiting for it
     * (pg_read_end), arrived meanwhile: take it off the connection */
    if (s->commit_sent) {
        PGresult *r;
        while ((r = PQgetResult(s->conn)))
            PQclear(r);
        s->commit_sent = false;
    }
    if (PQstatus(s->conn) == CONNECTION_OK)
        return 0;
    if (s->in_read || s->in_write)
        return NS_EUNAVAIL;
    return pg_reconnect(s);
}

static const char *pg_text_of(pg_store *s, int id)
{
    if (id < PS__COUNT)
        return pg_sql[id].sql;
    int v = id - PS__COUNT;
    if (!s->list_sql[v]) {
        char buf[4096];
        pg_list_sql(buf, sizeof buf, v % PG_QF__COUNT, v >= PG_QF__COUNT);
        s->list_sql[v] = strdup(buf);
        if (!s->list_sql[v])
            abort();
    }
    return s->list_sql[v];
}

/* Prepare statement id on this connection if it is not yet. */
static int pg_prepare(pg_store *s, int id)
{
    if (s->prepared[id])
        return 0;
    char name[16];
    snprintf(name, sizeof name, "n%d", id);
    PGresult *r = PQprepare(s->conn, name, pg_text_of(s, id), 0, NULL);
    int rc = pg_result_rc(s, r);
    PQclear(r);
    s->prepared[id] = rc == 0;
    return rc;
}

static int pg_exec(pg_store *s, int id, const pg_args *a, PGresult **res)
{
    char name[16];
    snprintf(name, sizeof name, "n%d", id);
    int rc = pg_ready(s);
    if (rc == 0)
        rc = pg_prepare(s, id);
    if (rc)
        return rc;
    PGresult *r = PQexecPrepared(s->conn, name, a ? a->n : 0, a ? a->v : NULL, NULL, NULL, 0);
    rc = pg_result_rc(s, r);
    if (rc == 0 && res)
        *res = r;
    else
        PQclear(r);
    return rc;
}

/* One round trip through s: counted as a step, failed on demand
 * (store_fault), retried once on a new connection when the server went
 * away since the last one (a restart) and nothing of a transaction was
 * lost with it, and a failure noted in the tracked set. */
static int pg_attempt(pg_store *s, int (*op)(pg_store *, void *), void *arg)
{
    uint64_t n = ++s->steps;
    int rc;
    if (s->fault.at && (n == s->fault.at || (s->fault.sticky && n > s->fault.at))) {
        rc = s->fault.code;
    } else {
        bool retryable = !s->in_read && !s->in_write;
        rc = op(s, arg);
        if (rc == NS_EUNAVAIL && retryable && PQstatus(s->conn) != CONNECTION_OK) {
            s->retry_ms = 0;
            rc = op(s, arg);
        }
    }
    pg_note_failure(s, rc);
    return rc;
}

struct pg_exec_arg {
    int id;
    const pg_args *a;
    PGresult **res;
};

static int pg_exec_op(pg_store *s, void *arg)
{
    struct pg_exec_arg *x = arg;
    return pg_exec(s, x->id, x->a, x->res);
}

int pg_run(pg_store *s, int id, const pg_args *a, PGresult **res)
{
    assert(id >= 0 && id < PG_NSTMT);
    if (res)
        *res = NULL;
    struct pg_exec_arg x = { id, a, res };
    return pg_attempt(s, pg_exec_op, &x);
}

struct pg_text_arg {
    const char *sql;
    int n;
    const char *const *vals;
    PGresult **res;
};

static int pg_text_op(pg_store *s, void *arg)
{
    struct pg_text_arg *x = arg;
    int rc = pg_ready(s);
    if (rc)
        return rc;
    PGresult *r = PQexecParams(s->conn, x->sql, x->n, NULL, x->vals, NULL, NULL, 0);
    rc = pg_result_rc(s, r);
    if (rc == 0 && x->res)
        *x->res = r;
    else
        PQclear(r);
    return rc;
}

int pg_run_text(pg_store *s, const char *sql, int n, const char *const *vals, PGresult **res)
{
    if (res)
        *res = NULL;
    struct pg_text_arg x = { sql, n, vals, res };
    return pg_attempt(s, pg_text_op, &x);
}

/* Read one pipelined statement's result: the result, then the NULL that
 * ends it. 0 or its code; *keep gets the result if wanted and good. */
static int pg_pipeline_result(pg_store *s, PGresult **keep)
{
    PGresult *r = PQgetResult(s->conn);
    int rc = r && PQresultStatus(r) == PGRES_PIPELINE_ABORTED ? NS_EINTERNAL : pg_result_rc(s, r);
    if (rc == 0 && keep)
        *keep = r;
    else
        PQclear(r);
    if (r)
        PQclear(PQgetResult(s->conn));
    return rc;
}

struct pg_begin_arg {
    int64_t now;
    PGresult **check;
};

/* Send BEGIN and the check as one pipeline and read both answers. */
static int pg_begin_pipeline(pg_store *s, const struct pg_begin_arg *x)
{
    char begin[16], chk[16], now[24];
    snprintf(begin, sizeof begin, "n%d", PS_BEGIN_READ);
    snprintf(chk, sizeof chk, "n%d", PS_SITE_CHECK);
    snprintf(now, sizeof now, "%lld", (long long)x->now);
    const char *const params[] = { now };
    if (!PQenterPipelineMode(s->conn))
        return NS_EINTERNAL;
    bool sent = PQsendQueryPrepared(s->conn, begin, 0, NULL, NULL, NULL, 0) &&
                PQsendQueryPrepared(s->conn, chk, 1, params, NULL, NULL, 0) &&
                PQpipelineSync(s->conn);
    int rc = sent ? pg_pipeline_result(s, NULL) : NS_EUNAVAIL;
    int rc2 = sent ? pg_pipeline_result(s, x->check) : rc;
    PGresult *r;
    while (sent && (r = PQgetResult(s->conn)) && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
        PQclear(r);
    if (sent)
        PQclear(r);
    PQexitPipelineMode(s->conn);
    return rc ? rc : rc2;
}

/* BEGIN of a read snapshot and its check, sent together: one round trip
 * where two would be. */
static int pg_begin_read_op(pg_store *s, void *arg)
{
    int rc = pg_ready(s);
    if (rc == 0)
        rc = pg_prepare(s, PS_BEGIN_READ);
    if (rc == 0)
        rc = pg_prepare(s, PS_SITE_CHECK);
    if (rc == 0)
        rc = pg_begin_pipeline(s, arg);
    if (rc && PQstatus(s->conn) == CONNECTION_OK && pg_in_tx_block_of(s->conn))
        PQclear(PQexec(s->conn, "ROLLBACK"));
    return rc;
}

int pg_begin_read_checked(pg_store *s, int64_t now, PGresult **check)
{
    *check = NULL;
    struct pg_begin_arg x = { now, check };
    return pg_attempt(s, pg_begin_read_op, &x);
}

/* Send a snapshot's COMMIT without waiting for its answer, which the next
 * statement takes off the connection (pg_ready): a read-only snapshot
 * has nothing to lose at commit, and the page need not wait a round trip
 * for it. */
static int pg_commit_async_op(pg_store *s, void *arg)
{
    (void)arg;
    int rc = pg_ready(s);
    if (rc == 0)
        rc = pg_prepare(s, PS_COMMIT);
    if (rc)
        return rc;
    char name[16];
    snprintf(name, sizeof name, "n%d", PS_COMMIT);
    if (!PQsendQueryPrepared(s->conn, name, 0, NULL, NULL, NULL, 0))
        return NS_EUNAVAIL;
    s->commit_sent = true;
    return 0;
}

/* ---- transactions ---- */

static bool pg_in_tx_block(pg_store *s)
{
    return pg_in_tx_block_of(s->conn);
}

/* End a failed write transaction (nothing to do if the connection, and
 * the transaction with it, is gone). */
static void pg_abort(store_t *self)
{
    pg_store *s = pgs(self);
    if (pg_in_tx_block(s))
        pg_run(s, PS_ROLLBACK, NULL, NULL);
    s->in_write = s->vocab_deferred = false;
}

static int pg_begin_write(store_t *self)
{
    pg_store *s = pgs(self);
    int rc = pg_run(s, PS_BEGIN, NULL, NULL);
    s->in_write = rc == 0;
    return rc;
}

/* Trim the change log, then commit (see sqlite.c: readers that fell
 * further behind than PG_CHANGES_KEEP drop everything instead). */
static int pg_commit_write(store_t *self)
{
    pg_store *s = pgs(self);
    int rc = pg_run(s, PS_CHANGES_PRUNE, NULL, NULL);
    if (rc == 0)
        rc = pg_run(s, PS_COMMIT, NULL, NULL);
    if (rc == 0) {
        s->wrote = true;
        s->in_write = s->vocab_deferred = false;
    }
    return rc;
}

static const store_tx pg_tx = { pg_begin_write, pg_commit_write, pg_abort };

static int pg_savepoint(pg_store *s, int (*fn)(store_t *, void *), void *arg)
{
    int rc = pg_run(s, PS_SAVEPOINT, NULL, NULL);
    if (rc)
        return rc;
    rc = fn(&s->base, arg);
    if (rc && pg_run(s, PS_ROLLBACK_TO, NULL, NULL))
        return rc;
    int rel = pg_run(s, PS_RELEASE, NULL, NULL);
    return rc ? rc : rel;
}

int pg_write(store_t *self, int (*fn)(store_t *, void *), void *arg)
{
    pg_store *s = pgs(self);
    if (s->readonly)
        return NS_EPERM;
    if (s->in_read)
        return NS_EINTERNAL;
    if (s->in_write)
        return pg_savepoint(s, fn, arg);
    store_deps *track = s->track;
    s->track = NULL;
    int rc = store_tx_run(self, &pg_tx, fn, arg);
    s->track = track;
    return rc;
}

int pg_begin(store_t *self)
{
    pg_store *s = pgs(self);
    if (s->readonly)
        return NS_EPERM;
    if (s->in_read || s->in_write)
        return NS_EINTERNAL;
    return store_tx_begin(self, &pg_tx);
}

int pg_commit(store_t *self)
{
    pg_store *s = pgs(self);
    if (!s->in_write)
        return NS_EINTERNAL;
    /* one batch of a load that indexes as it goes (an import): its
     * statistics are taken once at its end, by store_search_recount */
    bool batch = s->vocab_deferred;
    int rc = pg_commit_write(self);
    if (rc)
        pg_abort(self);
    else if (batch)
        return rc;
    /* An explicit batch is a bulk load (a new site, a copy, an import):
     * the planner's statistics of a freshly filled table say it is empty,
     * and its visibility map that no page is all-visible, until
     * autovacuum's next round; meanwhile the site's pages are planned for
     * empty tables and index-only scans visit the heap. Best effort: the
     * data is in. */
    else
        PQclear(PQexec(s->conn, "VACUUM (ANALYZE)"));
    return rc;
}

int pg_rollback(store_t *self)
{
    pg_store *s = pgs(self);
    if (!s->in_write)
        return NS_EINTERNAL;
    int rc = pg_in_tx_block(s) ? pg_run(s, PS_ROLLBACK, NULL, NULL) : NS_EUNAVAIL;
    s->in_write = s->vocab_deferred = false;
    return rc;
}

bool pg_in_transaction(store_t *self)
{
    pg_store *s = pgs(self);
    return s->in_read || s->in_write;
}

int pg_read_begin(store_t *self)
{
    pg_store *s = pgs(self);
    if (s->in_read || s->in_write)
        return NS_EINTERNAL;
    PGresult *check;
    int64_t now = (int64_t)time(NULL);
    int rc = pg_begin_read_checked(s, now, &check);
    s->in_read = rc == 0;
    if (rc == 0)
        pg_site_snapshot(s, now, check);
    PQclear(check);
    return rc;
}

int pg_read_end(store_t *self)
{
    pg_store *s = pgs(self);
    if (!s->in_read)
        return NS_EINTERNAL;
    pg_site_leave(s);
    int rc = pg_in_tx_block(s) ? pg_attempt(s, pg_commit_async_op, NULL) : NS_EUNAVAIL;
    if (rc && pg_in_tx_block(s) && !s->commit_sent)
        pg_run(s, PS_ROLLBACK, NULL, NULL);
    s->in_read = false;
    return rc;
}

/* ---- the change log ---- */

int pg_changes_head(store_t *self, int64_t *seq)
{
    pg_store *s = pgs(self);
    PGresult *r;
    *seq = 0;
    int rc = pg_run(s, PS_CHANGES_HEAD, NULL, &r);
    if (rc)
        return rc;
    if (PQntuples(r) == 1)
        *seq = pg_int(r, 0, 0);
    else
        rc = NS_ECORRUPT; /* the counter row is part of the schema */
    PQclear(r);
    return rc;
}

/* The rows after out->last, at most PG_CHANGES_LIST of them. */
static int pg_changes_rows(pg_store *s, store_deps *d, store_changes *out)
{
    pg_args a = { .n = 0 };
    pg_arg_int(&a, out->last);
    pg_arg_int(&a, PG_CHANGES_LIST + 1);
    PGresult *r;
    int rc = pg_run(s, PS_CHANGES_SINCE, &a, &r);
    if (rc)
        return rc;
    int64_t expect = out->last + 1;
    for (int i = 0, n = PQntuples(r); i < n; i++) {
        int64_t seq = pg_int(r, i, 0);
        /* a gap: pruned before we read it */
        out->all |= seq != expect || i >= PG_CHANGES_LIST;
        expect = seq + 1;
        out->last = seq;
        if (!out->all)
            store_deps_add(d, STORE_DEP((int)pg_int(r, i, 1), pg_int(r, i, 2)));
    }
    PQclear(r);
    return 0;
}

int pg_changes_since(store_t *self, arena_t *a, int64_t since, store_changes *out)
{
    pg_store *s = pgs(self);
    store_deps d;
    store_deps_init(&d, a);
    memset(out, 0, sizeof *out);
    out->last = since;
    bool own = !s->in_read && !s->in_write;
    int rc = own ? pg_read_begin(self) : 0;
    if (rc == 0)
        rc = pg_changes_rows(s, &d, out);
    if (rc == 0 && out->all)
        rc = pg_changes_head(self, &out->last);
    int end = own && s->in_read ? pg_read_end(self) : 0;
    rc = rc ? rc : end;
    if (rc == 0)
        s->head = out->last > s->head ? out->last : s->head;
    out->deps = d.v;
    out->n = out->all ? 0 : d.n;
    return rc;
}

/* Take the notifications already received off the connection, without
 * waiting for any (libpq's sockets never block here): the head read
 * after this is what says whether anything changed, as a notification
 * may still be on its way for a commit the head already shows, and one
 * counted as news would report that commit twice. */
static int pg_drain(pg_store *s)
{
    /* a server shutting down says so before closing: the connection is
     * then known lost here, before any page is served as current */
    if (!PQconsumeInput(s->conn) || PQstatus(s->conn) != CONNECTION_OK)
        return NS_EUNAVAIL;
    PGnotify *n;
    while ((n = PQnotifies(s->conn)))
        PQfreemem(n);
    return 0;
}

/* The log's head, against the last one seen. */
static int pg_poll_head(pg_store *s, bool *news)
{
    int64_t head;
    int rc = pg_changes_head(&s->base, &head);
    if (rc)
        return rc;
    *news |= head != s->head;
    s->head = head;
    return 0;
}

int pg_changed(store_t *self, bool *changed)
{
    pg_store *s = pgs(self);
    *changed = true;
    if (s->in_read || s->in_write)
        return NS_EINTERNAL;
    int rc = pg_ready(s);
    bool news = false;
    if (rc == 0)
        rc = pg_drain(s);
    if (rc == 0)
        rc = pg_poll_head(s, &news);
    if (rc) {
        s->fresh = true; /* whatever was missed meanwhile is news next time */
        return rc;
    }
    *changed = news || s->fresh || s->wrote;
    s->fresh = s->wrote = false;
    return 0;
}

/* ---- open, check, close ---- */

int pg_check(store_t *self)
{
    int64_t seq;
    return pg_changes_head(self, &seq);
}

int pg_schema_version(store_t *self)
{
    return pgs(self)->version;
}

void pg_close(store_t *self)
{
    pg_store *s = pgs(self);
    if (!s)
        return;
    PQfinish(s->conn);
    pg_site_free(s);
    for (int i = 0; i < 2 * PG_QF__COUNT; i++)
        free(s->list_sql[i]);
    free(s->url);
    free(s);
}

/* Connect with our defaults, which a URL may override: a connect timeout,
 * and TCP keepalives with a user timeout, so that a server that vanished
 * from the network (no reset ever arrives) fails a worker's statement in
 * about half a minute instead of blocking it for the kernel's quarter of
 * an hour. Never overridden: the encoding, as every string here is UTF-8. */
static PGconn *pg_connect(const char *url)
{
    const char *const keys[] = { "connect_timeout", "application_name", "keepalives_idle",
                                 "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                 "dbname", "client_encoding", NULL };
    const char *const vals[] = { "5", "nashra", "10", "5", "3", "30000", url, "UTF8", NULL };
    return PQconnectdbParams(keys, vals, 1);
}

static const store_ops pg_ops;

int pg_open(const char *url, int flags, store_t **out)
{
    *out = NULL;
    pg_store *s = calloc(1, sizeof *s);
    if (!s || !(s->url = strdup(url)))
        abort();
    s->base.ops = &pg_ops;
    s->readonly = (flags & STORE_READONLY) != 0;
    s->conn = pg_connect(url);
    int rc = !s->conn ? NS_EUNAVAIL
             : PQstatus(s->conn) != CONNECTION_OK ? NS_EUNAVAIL : pg_session(s);
    if (rc == 0)
        rc = pg_migrate(s, (flags & STORE_CREATE) != 0, s->readonly);
    if (rc) {
        pg_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}

static const store_ops pg_ops = {
    .close = pg_close, .schema_version = pg_schema_version, .track = pg_track,
    .changes_head = pg_changes_head, .changes_since = pg_changes_since, .changed = pg_changed,
    .check = pg_check, .write = pg_write, .begin = pg_begin, .commit = pg_commit,
    .rollback = pg_rollback, .in_transaction = pg_in_transaction, .read_begin = pg_read_begin,
    .read_end = pg_read_end, .fault = pg_fault, .steps = pg_steps,
    .article_by_slug = pg_article_by_slug, .article_by_id = pg_article_by_id,
    .article_list = pg_article_list, .article_count = pg_article_count,
    .article_related = pg_article_related, .next_publish = pg_next_publish,
    .last_modified = pg_last_modified, .comment_list = pg_comment_list,
    .comment_list_all = pg_comment_list_all, .category_by_slug = pg_category_by_slug,
    .category_by_id = pg_category_by_id, .category_list = pg_category_list,
    .tag_by_slug = pg_tag_by_slug, .author_by_slug = pg_author_by_slug,
    .author_list = pg_author_list, .page_by_slug = pg_page_by_slug, .page_list = pg_page_list,
    .redirect_lookup = pg_redirect_lookup, .setting_get = pg_setting_get,
    .setting_list = pg_setting_list, .author_insert = pg_author_insert,
    .category_insert = pg_category_insert,
    .category_update = pg_category_update, .tag_ensure = pg_tag_ensure,
    .article_insert = pg_article_insert, .article_update = pg_article_update,
    .article_delete = pg_article_delete, .comment_insert = pg_comment_insert,
    .comment_set_status = pg_comment_set_status, .comment_delete = pg_comment_delete,
    .comment_get = pg_comment_get, .comment_threads = pg_comment_threads,
    .comment_stats = pg_comment_stats, .comment_recent = pg_comment_recent,
    .comment_known = pg_comment_known,
    .setting_ensure = pg_setting_ensure, .durable = pg_durable, .streaming = pg_streaming, .page_insert = pg_page_insert,
    .setting_set = pg_setting_set, .redirect_insert = pg_redirect_insert,
    .page_by_id = pg_page_by_id, .page_list_all = pg_page_list_all, .tag_list = pg_tag_list,
    .comment_list_any = pg_comment_list_any, .media_get = pg_media_get,
    .media_list = pg_media_list, .import_get = pg_import_get, .import_refs = pg_import_refs,
    .page_update = pg_page_update, .comment_import = pg_comment_import,
    .media_insert = pg_media_insert, .media_update = pg_media_update,
    .import_put = pg_import_put, .redirect_put = pg_redirect_put,
    .search = pg_search, .search_terms = pg_search_terms, .search_index = pg_search_index,
    .search_clear = pg_search_clear, .search_recount = pg_search_recount, .search_rebuilt = pg_search_rebuilt, .related_set = pg_related_set, .article_ids = pg_article_ids,
    .rows = pg_rows, .row_put = pg_row_put, .row_set = pg_row_set, .count = pg_count,
    .clear = pg_clear, .copied = pg_copied,
    .nr_read = pg_nr_read, .nr_row = pg_nr_row, .nr_write = pg_nr_write,
    .nr_articles = pg_nr_articles, .nr_match = pg_match,
    .nr_match_clause = "a.id IN (SELECT article_id FROM search_docs WHERE doc @@ $%d::tsquery)",
};
