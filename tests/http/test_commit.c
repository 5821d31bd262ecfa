/*
 * test_commit.c - the group commit (http/commit.h), on SQLite and, when
 * NASHRA_TEST_PG_URL names a server, on PostgreSQL (tests/store/backend.h).
 *
 * Jobs go to the commit thread and come back, each exactly once, as h2o
 * messages to an event loop of the test's own. What comes back must be
 * what the database holds, for every job: rc 0 exactly when its row is
 * committed. Jobs queued while the thread is busy go together into one
 * transaction (a gate job holds the thread until they are all queued):
 * there a job's refusal is its own and the others commit, while a
 * failure takes the whole batch with it. Also: jobs from several threads
 * at once, the counts for /healthz, a database that is not there yet
 * (and then is), and commit_free finishing what is queued.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <semaphore.h>
#include <time.h>
#include <cmocka.h>

#include "core/err.h"
#include "http/commit.h"
#include "store/backend.h"

#define NOW 1764000000LL

typedef struct fx {
    const backend *be;
    backend_loc loc;
    int64_t article;
    h2o_evloop_t *loop;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t recv;
    commit_t *c;
    size_t back;            /* jobs come back so far */
    sem_t started, release; /* a gate job is running; it may go on */
    arena_t *a;
} fx;

/* What a job does on the commit thread. */
enum {
    JOB_INSERT,             /* insert its comment */
    JOB_REFUSE,             /* refuse (NS_EEXIST) without writing */
    JOB_INSERT_REFUSE,      /* insert its comment, then refuse */
    JOB_INSERT_FAIL,        /* insert its comment, then fail (NS_EIO) */
    JOB_GATE,               /* wait for the test to let it go, then insert */
};

typedef struct tjob {
    commit_job job;         /* first: the message is the job */
    fx *f;
    int mode;
    char name[32];          /* its comment's author: unique, how its row is found */
    store_comment row;
    int runs;               /* times run was called */
    int returned;           /* times it came back */
} tjob;

/* ---- the event loop the jobs come back to ---- */

static void on_reply(h2o_multithread_receiver_t *r, h2o_linklist_t *messages)
{
    fx *f = H2O_STRUCT_FROM_MEMBER(fx, recv, r);
    while (!h2o_linklist_is_empty(messages)) {
        commit_job *j = H2O_STRUCT_FROM_MEMBER(commit_job, msg.link, messages->next);
        h2o_linklist_unlink(&j->msg.link);
        ((tjob *)j)->returned++;
        f->back++;
    }
}

/* Run the loop until `total` jobs in all have come back. */
static void wait_back(fx *f, size_t total)
{
    while (f->back < total)
        h2o_evloop_run(f->loop, 100);
    assert_int_equal(f->back, total);
}

/* ---- jobs ---- */

static int job_run(store_t *s, void *arg)
{
    tjob *t = arg;
    t->runs++;
    if (t->mode == JOB_GATE) {
        sem_post(&t->f->started);
        sem_wait(&t->f->release);
    }
    if (t->mode == JOB_REFUSE)
        return NS_EEXIST;
    int rc = store_comment_insert(s, &t->row);
    if (rc)
        return rc;
    return t->mode == JOB_INSERT_REFUSE ? NS_EEXIST : t->mode == JOB_INSERT_FAIL ? NS_EIO : NS_OK;
}

static void job_init(fx *f, tjob *t, int mode, const char *name)
{
    memset(t, 0, sizeof *t);
    t->f = f;
    t->mode = mode;
    snprintf(t->name, sizeof t->name, "%s", name);
    t->row = (store_comment){ .article_id = f->article, .author_name = t->name,
                              .body = "تعليق", .status = COMMENT_PENDING, .created_at = NOW };
    t->job = (commit_job){ .reply = &f->recv, .run = job_run, .arg = t };
}

/* Queue t, set up as job_init does. */
static void submit(fx *f, tjob *t, int mode, const char *name)
{
    job_init(f, t, mode, name);
    commit_submit(f->c, &t->job);
}

/* Queue g, a gate job (job_init'd JOB_GATE), and wait until the thread
 * runs it: whatever is queued until gate_open goes into the thread's next
 * transaction, together. */
static void gate_close(fx *f, tjob *g)
{
    commit_submit(f->c, &g->job);
    assert_int_equal(sem_wait(&f->started), 0);
}

static void gate_open(fx *f)
{
    sem_post(&f->release);
}

/* Whether each job's row is in the database, as a new connection sees it
 * (with a fresh view of the commit thread's commits), into present. */
static void rows_of(fx *f, tjob *const *jobs, size_t n, int *present)
{
    store_t *s;
    assert_int_equal(store_open(f->loc.location, 0, &s), 0);
    store_comment *l;
    size_t nl;
    assert_int_equal(store_comment_recent(s, f->a, -1, 10000, &l, &nl), 0);
    for (size_t i = 0; i < n; i++) {
        present[i] = 0;
        for (size_t k = 0; k < nl; k++)
            present[i] += strcmp(l[k].author_name, jobs[i]->name) == 0;
    }
    store_close(s);
}

#define MAX_CHECKED 1024

/* Every job came back once, and rc 0 exactly when its row is committed
 * (once). */
static void assert_rc_iff_row(fx *f, tjob *const *jobs, size_t n)
{
    int present[MAX_CHECKED];
    assert_true(n <= MAX_CHECKED);
    rows_of(f, jobs, n, present);
    for (size_t i = 0; i < n; i++) {
        if (jobs[i]->returned != 1)
            fail_msg("%s came back %d times", jobs[i]->name, jobs[i]->returned);
        if (present[i] > 1 || (present[i] == 1) != (jobs[i]->job.rc == 0))
            fail_msg("%s: rc %d, %d rows committed", jobs[i]->name, jobs[i]->job.rc, present[i]);
    }
}

/* The thread's counts, read while a gate job holds it: every batch before
 * the gate's is counted by then. Returns once the gate job is back (and
 * committed), so that nothing is in flight when the caller asserts. */
static void stats_at_gate(fx *f, uint64_t *batches, uint64_t *jobs)
{
    tjob g;
    size_t total = f->back + 1;
    job_init(f, &g, JOB_GATE, "stats gate");
    gate_close(f, &g);
    commit_stats(f->c, batches, jobs);
    gate_open(f);
    wait_back(f, total);
    assert_int_equal(g.job.rc, 0);
}

/* ---- fixtures ---- */

/* A site with one article, the loop and its receiver, the commit thread. */
static int setup_with(void **state, bool site)
{
    fx *f = backend_fixture_new(state, sizeof *f);
    if (!f)
        return -1;
    if (site) {
        store_t *s;
        store_article ar = { .slug = "target", .title = "عنوان", .status = ARTICLE_PUBLISHED,
                             .comments_open = true, .published_at = NOW - 60 };
        if (store_open(f->loc.location, STORE_CREATE, &s) != 0)
            return -1;
        int rc = store_article_insert(s, &ar, NULL, 0);
        store_close(s);
        if (rc)
            return -1;
        f->article = ar.id;
    }
    sem_init(&f->started, 0, 0);
    sem_init(&f->release, 0, 0);
    f->a = arena_new(0);
    f->loop = h2o_evloop_create();
    f->queue = h2o_multithread_create_queue(f->loop);
    h2o_multithread_register_receiver(f->queue, &f->recv, on_reply);
    f->c = commit_new(f->loc.location);
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_with(state, true);
}

static int setup_nosite(void **state)
{
    return setup_with(state, false);
}

static int teardown(void **state)
{
    fx *f = *state;
    commit_free(f->c);
    h2o_multithread_unregister_receiver(f->queue, &f->recv);
    h2o_multithread_destroy_queue(f->queue);
    h2o_evloop_run(f->loop, 0); /* the queue's socket, closed above, is freed by the loop */
    h2o_evloop_destroy(f->loop);
    sem_destroy(&f->started);
    sem_destroy(&f->release);
    arena_free(f->a);
    int rc = f->be->drop(&f->loc);
    free(f);
    return rc;
}

/* ---- tests ---- */

#define MANY 50

/* Jobs queued one after another all come back, each once, committed. */
static void test_jobs_committed(void **state)
{
    fx *f = *state;
    tjob jobs[MANY], *p[MANY];
    char name[32];
    for (int i = 0; i < MANY; i++) {
        snprintf(name, sizeof name, "job-%d", i);
        submit(f, &jobs[i], JOB_INSERT, name);
        p[i] = &jobs[i];
    }
    wait_back(f, MANY);
    for (int i = 0; i < MANY; i++) {
        assert_int_equal(jobs[i].job.rc, 0);
        assert_int_equal(jobs[i].runs, 1);
        assert_true(jobs[i].row.id > 0);
    }
    assert_rc_iff_row(f, p, MANY);
    /* nothing more comes */
    h2o_evloop_run(f->loop, 0);
    assert_int_equal(f->back, MANY);
    uint64_t batches, njobs;
    stats_at_gate(f, &batches, &njobs);
    assert_int_equal(njobs, MANY);
    assert_in_range(batches, 1, MANY);
}

/* In one transaction, a job's refusal is its own: the others commit. */
static void test_refusals_in_a_batch(void **state)
{
    fx *f = *state;
    tjob g, ins1, refuse, dup, orphan, ins2;
    job_init(f, &g, JOB_GATE, "gate");
    g.row.ip = "ip-hash";
    g.row.fingerprint = "fp-1";
    gate_close(f, &g);
    submit(f, &ins1, JOB_INSERT, "ins-1");
    submit(f, &refuse, JOB_REFUSE, "refuse");
    job_init(f, &dup, JOB_INSERT, "dup");  /* the gate's text from the gate's address */
    dup.row.ip = "ip-hash";
    dup.row.fingerprint = "fp-1";
    commit_submit(f->c, &dup.job);
    job_init(f, &orphan, JOB_INSERT, "orphan"); /* a reply to no comment */
    orphan.row.parent_id = 999999;
    commit_submit(f->c, &orphan.job);
    submit(f, &ins2, JOB_INSERT, "ins-2");
    gate_open(f);
    wait_back(f, 6);
    assert_int_equal(g.job.rc, 0);
    assert_int_equal(ins1.job.rc, 0);
    assert_int_equal(refuse.job.rc, NS_EEXIST);
    assert_int_equal(dup.job.rc, NS_EEXIST);
    assert_int_equal(orphan.job.rc, NS_EINVAL);
    assert_int_equal(ins2.job.rc, 0);
    tjob *all[] = { &g, &ins1, &refuse, &dup, &orphan, &ins2 };
    assert_rc_iff_row(f, all, 6);
    /* two transactions: the gate's, and the five queued behind it */
    uint64_t batches, njobs;
    stats_at_gate(f, &batches, &njobs);
    assert_int_equal(batches, 2);
    assert_int_equal(njobs, 6);
}

/* A job that wrote and then refused leaves nothing of its writes: it ran
 * in a savepoint of its own, and the others still commit. */
static void test_refusal_undoes_own_writes(void **state)
{
    fx *f = *state;
    tjob g, before, refused, after;
    job_init(f, &g, JOB_GATE, "gate");
    gate_close(f, &g);
    submit(f, &before, JOB_INSERT, "before");
    submit(f, &refused, JOB_INSERT_REFUSE, "wrote then refused");
    submit(f, &after, JOB_INSERT, "after");
    gate_open(f);
    wait_back(f, 4);
    assert_int_equal(before.job.rc, 0);
    assert_int_equal(refused.job.rc, NS_EEXIST);
    assert_int_equal(after.job.rc, 0);
    tjob *all[] = { &g, &before, &refused, &after };
    assert_rc_iff_row(f, all, 4);
}

/* A failure in a transaction fails every job of it, and none of their
 * rows is committed; the transaction before it stands, and the thread
 * goes on with the next. */
static void test_failure_fails_the_batch(void **state)
{
    fx *f = *state;
    tjob g, a, b, bad, c;
    job_init(f, &g, JOB_GATE, "gate");
    gate_close(f, &g);
    submit(f, &a, JOB_INSERT, "a");
    submit(f, &b, JOB_INSERT, "b");
    submit(f, &bad, JOB_INSERT_FAIL, "bad");
    submit(f, &c, JOB_INSERT, "c");
    gate_open(f);
    wait_back(f, 5);
    assert_int_equal(g.job.rc, 0);
    assert_int_equal(a.job.rc, NS_EIO);
    assert_int_equal(b.job.rc, NS_EIO);
    assert_int_equal(bad.job.rc, NS_EIO);
    assert_int_equal(c.job.rc, NS_EIO);
    assert_int_equal(a.runs, 1);
    assert_int_equal(c.runs, 0); /* after the failure: never run */
    tjob *all[] = { &g, &a, &b, &bad, &c };
    assert_rc_iff_row(f, all, 5);
    /* only the gate's transaction counts */
    uint64_t batches, njobs;
    stats_at_gate(f, &batches, &njobs);
    assert_int_equal(batches, 1);
    assert_int_equal(njobs, 1);
    tjob next;
    submit(f, &next, JOB_INSERT, "next");
    wait_back(f, 7);
    assert_int_equal(next.job.rc, 0);
    tjob *later[] = { &next };
    assert_rc_iff_row(f, later, 1);
}

#define THREADS 4
#define PER_THREAD 200

typedef struct submitter {
    fx *f;
    tjob *jobs;
    int first;
    pthread_barrier_t *start;
} submitter;

static void *submit_many(void *arg)
{
    submitter *s = arg;
    char name[32];
    pthread_barrier_wait(s->start);
    for (int i = 0; i < PER_THREAD; i++) {
        snprintf(name, sizeof name, "t-%d", s->first + i);
        submit(s->f, &s->jobs[i], JOB_INSERT, name);
    }
    return NULL;
}

/* Worker threads queue jobs at once: every one comes back exactly once,
 * committed. */
static void test_threads_submit(void **state)
{
    fx *f = *state;
    const size_t n = THREADS * PER_THREAD;
    tjob *jobs = calloc(n, sizeof *jobs);
    tjob **p = calloc(n, sizeof *p);
    assert_non_null(jobs);
    assert_non_null(p);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS);
    submitter s[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        s[i] = (submitter){ .f = f, .jobs = jobs + i * PER_THREAD, .first = i * PER_THREAD, .start = &start };
        assert_int_equal(pthread_create(&th[i], NULL, submit_many, &s[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    wait_back(f, n);
    for (size_t i = 0; i < n; i++) {
        p[i] = &jobs[i];
        assert_int_equal(jobs[i].job.rc, 0);
    }
    assert_rc_iff_row(f, p, n);
    uint64_t batches, njobs;
    stats_at_gate(f, &batches, &njobs);
    assert_int_equal(njobs, n);
    assert_in_range(batches, 1, n);
    free(p);
    free(jobs);
}

/* commit_free finishes what is queued before it stops: every job still
 * comes back, committed. */
static void test_free_finishes_queue(void **state)
{
    fx *f = *state;
    tjob g, jobs[20], *p[21];
    char name[32];
    job_init(f, &g, JOB_GATE, "gate");
    gate_close(f, &g);
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "queued-%d", i);
        submit(f, &jobs[i], JOB_INSERT, name);
        p[i] = &jobs[i];
    }
    p[20] = &g;
    gate_open(f);
    commit_free(f->c);
    f->c = NULL;
    wait_back(f, 21);
    for (int i = 0; i < 20; i++)
        assert_int_equal(jobs[i].job.rc, 0);
    assert_rc_iff_row(f, p, 21);
}

/* Where no site is yet, a job comes back with an error without being
 * run; once the site is there, the thread opens it and jobs commit. */
static void test_database_missing_then_there(void **state)
{
    fx *f = *state;
    tjob t;
    submit(f, &t, JOB_INSERT, "too early");
    wait_back(f, 1);
    assert_true(t.job.rc < 0);
    assert_int_equal(t.runs, 0);
    assert_int_equal(t.returned, 1);

    store_t *s;
    store_article ar = { .slug = "target", .title = "عنوان", .status = ARTICLE_PUBLISHED,
                         .published_at = NOW - 60 };
    assert_int_equal(store_open(f->loc.location, STORE_CREATE, &s), 0);
    assert_int_equal(store_article_insert(s, &ar, NULL, 0), 0);
    store_close(s);
    f->article = ar.id;
    /* the thread waits a while before it tries to open again: ask until
     * it has (no bound: the suite's timeout is the bound) */
    struct timespec nap = { 0, 20 * 1000 * 1000 };
    size_t back = 1;
    do {
        nanosleep(&nap, NULL);
        submit(f, &t, JOB_INSERT, "in time");
        wait_back(f, ++back);
        if (t.job.rc)
            assert_int_equal(t.runs, 0);
    } while (t.job.rc != 0);
    assert_int_equal(t.runs, 1);
    tjob *all[] = { &t };
    assert_rc_iff_row(f, all, 1);
}

#define COMMIT_TESTS(T)                                    \
    T(jobs_committed, setup)                               \
    T(refusals_in_a_batch, setup)                          \
    T(refusal_undoes_own_writes, setup)                    \
    T(failure_fails_the_batch, setup)                      \
    T(threads_submit, setup)                               \
    T(free_finishes_queue, setup)                          \
    T(database_missing_then_there, setup_nosite)

BACKEND_MAIN("commit", COMMIT_TESTS)
