/*
 * wordpress.c - a WXR export brought into a site (wordpress.h): the two
 * passes, and what each kind of item becomes. Item kinds are tables
 * (post types, statuses, comment statuses), so an export's vocabulary
 * maps to the site's in one place.
 */
#include "import/wordpress.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/err.h"
#include "core/text.h"
#include "import/wp_item.h"
#include "import/wxr.h"

/* Items written per transaction: each commit lets readers' caches and
 * commenters in; a few hundred keeps the commits' cost small beside the
 * items'. */
#define WP_BATCH 200

/* ---- the import's state ---- */

static void wp_progress(wp_ctx *c, const char *phase, int64_t done, int64_t total)
{
    if (c->o->progress)
        c->o->progress(c->o->progress_arg, phase, done, total);
}

/* The commit that ends a batch and the begin of the next (not when dry:
 * a dry run is one transaction, rolled back at its end). */
int wp_batch_end(wp_ctx *c, bool last)
{
    if (c->o->dry_run || (!last && ++c->batch < WP_BATCH))
        return 0;
    c->batch = 0;
    int rc = store_commit(c->s);
    if (rc == 0)
        c->sum->committed = c->sum->items;
    if (rc == 0 && !last)
        rc = store_begin(c->s);
    if (rc)
        wp_fail(c, 0, "the database refused the write: %s", ns_strerror(rc));
    return rc;
}

/* ---- the first pass: is the file sound? ---- */

static int check_item(wp_ctx *c, const wxr_item *it)
{
    int64_t t;
    int rc = wp_date(c, it->post_date_gmt, it->post_date, it->line, "wp:post_date", &t);
    if (rc == 0)
        rc = wp_date(c, it->modified_gmt, it->modified, it->line, "wp:post_modified", &t);
    for (size_t i = 0; rc == 0 && i < it->ncomments; i++)
        rc = wp_date(c, it->comments[i].date_gmt, it->comments[i].date, it->comments[i].line,
                     "wp:comment_date", &t);
    size_t *order;
    long *parent;
    return rc ? rc : wp_comment_order(c, it, &order, &parent);
}

static int pass_check(wp_ctx *c, wxr_reader *r)
{
    wxr_event ev;
    int rc;
    while ((rc = wxr_next(r, c->ia, &ev)) == 0 && ev.kind != WXR_END) {
        if (ev.kind == WXR_ITEM) {
            c->total++;
            wp_learn_offset(c, &ev.u.item);
            rc = check_item(c, &ev.u.item);
        }
        arena_reset(c->ia);
        if (rc)
            return rc;
    }
    if (rc) {
        long line;
        const char *msg = wxr_error(r, &line);
        return wp_fail(c, line, "%s", msg);
    }
    c->sum->unknown_elements = wxr_unknown(r);
    return 0;
}

/* ---- the second pass: write ---- */

static int write_event(wp_ctx *c, const wxr_event *ev)
{
    switch (ev->kind) {
    case WXR_AUTHOR: return wp_author(c, &ev->u.author);
    case WXR_TERM: return wp_term(c, &ev->u.term);
    case WXR_ITEM: return wp_item(c, &ev->u.item);
    default: return 0;
    }
}

static int pass_write(wp_ctx *c, wxr_reader *r)
{
    wxr_event ev;
    int rc = store_begin(c->s);
    if (rc)
        return wp_fail(c, 0, "cannot begin a write: %s", ns_strerror(rc));
    int64_t done = 0;
    while (rc == 0 && (rc = wxr_next(r, c->ia, &ev)) == 0 && ev.kind != WXR_END) {
        if (!c->source) {
            c->site = wxr_site_info(r);
            wp_set_source(c, c->site);
            rc = wp_site_settings(c, c->site);
        }
        if (rc == 0)
            rc = write_event(c, &ev);
        if (rc == 0 && ev.kind == WXR_ITEM) {
            c->sum->items++;
            rc = wp_batch_end(c, false);
            if (++done % 50 == 0 || done == c->total)
                wp_progress(c, "import", done, c->total);
        }
        arena_reset(c->ia);
    }
    if (rc == NS_EINVAL && !c->err) {
        long line;
        const char *msg = wxr_error(r, &line);
        wp_fail(c, line, "%s", msg);
    }
    if (rc == 0)
        rc = wp_resolve_refs(c);
    if (rc == 0 && !c->o->dry_run)
        rc = wp_batch_end(c, true);
    if (rc || c->o->dry_run)
        store_rollback(c->s);
    return rc;
}

/* The file read twice: once to check, once to write. */
static int run_pass(wp_ctx *c, const char *path, int (*pass)(wp_ctx *c, wxr_reader *r))
{
    wxr_reader *r;
    int rc = wxr_open(path, &r);
    if (rc)
        return wp_fail(c, 0, "cannot read %s: %s", path, rc == NS_ENOTFOUND ? "no such file" : strerror(errno));
    rc = pass(c, r);
    wxr_close(r);
    return rc;
}

int wp_import(store_t *s, arena_t *a, const char *path, const wp_options *o, wp_summary *sum,
              const char **err, long *line)
{
    memset(sum, 0, sizeof *sum);
    wp_ctx c = { .s = s, .a = a, .ia = arena_new(0), .o = o, .sum = sum, .now = time(NULL) };
    if (sodium_init() < 0)
        abort();
    int rc = run_pass(&c, path, pass_check);
    if (rc == 0) {
        store_index_defer(s, true);
        rc = run_pass(&c, path, pass_write);
        store_index_defer(s, false);
    }
    if (rc == 0 && !o->dry_run && c.changed_articles)
        rc = store_search_recount(s);
    if (rc == 0 && !o->dry_run && c.changed_articles)
        rc = store_related_rebuild(s, o->progress, o->progress_arg);
    if (rc && !c.err)
        wp_fail(&c, 0, "the database failed: %s", ns_strerror(rc));
    arena_free(c.ia);
    *err = c.err;
    *line = c.line;
    return rc;
}
