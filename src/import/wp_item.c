/*
 * wp_item.c - what each thing in a WordPress export becomes: authors,
 * categories and tags, posts, pages, attachments and comments. Each is
 * looked up in the import map first (store_import_get): one seen before
 * with the same digest is left alone, a changed one updated in place, a
 * new one written and recorded.
 */
#include "import/wp_item.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/err.h"
#include "core/text.h"
#include "import/wpcontent.h"
#include "render/html.h"

#define WP_SLUG_MAX 200
#define WP_SLUG_TRIES 50
#define WP_REFS_BATCH 500

static int wp_comments(wp_ctx *c, const wxr_item *it, int64_t article_id, const char *source);

/* ---- shared helpers ---- */

int wp_fail(wp_ctx *c, long line, const char *fmt, ...)
{
    if (c->err)
        return NS_EINVAL;
    va_list ap;
    va_start(ap, fmt);
    c->err = arena_vprintf(c->a, fmt, ap);
    va_end(ap);
    c->line = line;
    return NS_EINVAL;
}

void wp_skip(wp_ctx *c, const char *reason)
{
    wp_summary *s = c->sum;
    for (size_t i = 0; i < s->nskipped; i++)
        if (strcmp(s->skipped[i].reason, reason) == 0) {
            s->skipped[i].n++;
            return;
        }
    /* the last place counts every reason that finds none of its own */
    if (s->nskipped == WP_SKIP_REASONS) {
        s->skipped[WP_SKIP_REASONS - 1].n++;
        return;
    }
    bool last = s->nskipped == WP_SKIP_REASONS - 1;
    s->skipped[s->nskipped].reason = last ? "other reasons" : arena_strdup(c->a, reason);
    s->skipped[s->nskipped++].n = 1;
}

static bool wp_date_unset(const char *s)
{
    return !s || !*s || strncmp(s, "0000-00-00", 10) == 0;
}

int wp_date(wp_ctx *c, const char *gmt, const char *local, long line, const char *what, int64_t *out)
{
    const char *s = wp_date_unset(gmt) ? local : gmt;
    *out = 0;
    if (wp_date_unset(s))
        return 0;
    int64_t t;
    if (date_parse_iso(s, &t) != 0)
        return wp_fail(c, line, "impossible date \"%s\" in <%s>", s, what);
    *out = s == gmt ? t : t - c->tz_offset;
    return 0;
}

void wp_learn_offset(wp_ctx *c, const wxr_item *it)
{
    int64_t g, l;
    if (c->tz_known || wp_date_unset(it->post_date_gmt) || wp_date_unset(it->post_date) ||
        date_parse_iso(it->post_date_gmt, &g) || date_parse_iso(it->post_date, &l))
        return;
    c->tz_offset = l - g;
    c->tz_known = true;
}

/* A digest of the strings that make an item what it is, as hex on c->ia:
 * the same export item gives the same digest, any change another. */
static const char *wp_digest(wp_ctx *c, const char *const *parts, size_t n)
{
    crypto_generichash_state st;
    unsigned char h[16];
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    for (size_t i = 0; i < n; i++) {
        const char *p = parts[i] ? parts[i] : "";
        crypto_generichash_update(&st, (const unsigned char *)p, strlen(p) + 1);
    }
    crypto_generichash_final(&st, h, sizeof h);
    char *hex = arena_alloc(c->ia, sizeof h * 2 + 1);
    sodium_bin2hex(hex, sizeof h * 2 + 1, h, sizeof h);
    return hex;
}

/* The import map's row for (kind, id, guid): *found, and whether its
 * digest is `hash` (then nothing changed). */
typedef struct wp_seen {
    bool found, same;
    store_import_item row;
} wp_seen;

static int wp_lookup_in(wp_ctx *c, const char *source, import_kind kind, int64_t id, const char *guid,
                        const char *hash, wp_seen *out)
{
    memset(out, 0, sizeof *out);
    /* by the id first: two items of one export may share a GUID (copies
     * made by plugins, sites merged), and must not become one row; by the
     * GUID only for an item first imported from another address of the
     * site (it moved) */
    int rc = store_import_get(c->s, c->ia, source, kind, id, NULL, &out->row);
    if (rc == NS_ENOTFOUND && guid && *guid) {
        rc = store_import_get(c->s, c->ia, source, kind, id, guid, &out->row);
        if (rc == 0 && strcmp(out->row.source, source) == 0)
            rc = NS_ENOTFOUND;
    }
    if (rc == NS_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    out->found = true;
    out->same = hash && out->row.hash && strcmp(out->row.hash, hash) == 0;
    return 0;
}

static int wp_lookup(wp_ctx *c, import_kind kind, int64_t id, const char *guid, const char *hash,
                     wp_seen *out)
{
    return wp_lookup_in(c, c->source, kind, id, guid, hash, out);
}

static int wp_remember_in(wp_ctx *c, const char *source, import_kind kind, int64_t id,
                          const char *guid, int64_t local, const char *hash, int64_t ref)
{
    store_import_item it = { .source = source, .kind = kind, .wp_id = id, .guid = guid,
                             .local_id = local, .hash = hash, .ref = ref };
    return store_import_put(c->s, &it);
}

static int wp_remember(wp_ctx *c, import_kind kind, int64_t id, const char *guid, int64_t local,
                       const char *hash, int64_t ref)
{
    return wp_remember_in(c, c->source, kind, id, guid, local, hash, ref);
}

static void wp_counted(wp_count *n, const wp_seen *seen)
{
    if (!seen->found)
        n->created++;
    else if (seen->same)
        n->unchanged++;
    else
        n->updated++;
}

static const char *wp_meta(const wxr_item *it, const char *key)
{
    for (size_t i = 0; i < it->nmeta; i++)
        if (strcmp(it->meta[i].key, key) == 0)
            return it->meta[i].value;
    return NULL;
}

static int64_t wp_meta_id(const wxr_item *it, const char *key)
{
    const char *v = wp_meta(it, key);
    int64_t id = 0;
    return v && text_parse_id(v, &id) ? id : 0;
}

/* Text without markup, trimmed: leads, captions, comments. */
static const char *wp_plain(wp_ctx *c, const char *html)
{
    const char *t = text_strip_tags(c->ia, html ? html : "");
    while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')
        t++;
    char *s = arena_strdup(c->ia, t);
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* ---- authors and terms ---- */

int wp_author(wp_ctx *c, const wxr_author *au)
{
    const char *slug = text_slugify(c->ia, au->login, WP_SLUG_MAX);
    if (!*slug) {
        wp_skip(c, "authors without a usable login");
        return 0;
    }
    const char *parts[] = { au->login, au->email, au->display_name };
    const char *hash = wp_digest(c, parts, 3);
    wp_seen seen;
    int rc = wp_lookup(c, IMPORT_AUTHOR, au->id, NULL, hash, &seen);
    store_author row;
    /* an author the site has already (same login) is taken as it is */
    bool known = rc == 0 && !seen.found && store_author_by_slug(c->s, c->ia, slug, &row) == 0;
    if (rc == 0 && !seen.found && !known) {
        row = (store_author){ .slug = slug, .name = *au->display_name ? au->display_name : au->login,
                              .email = au->email };
        rc = store_author_insert(c->s, &row);
    }
    if (known)
        c->sum->authors.unchanged++;
    else
        wp_counted(&c->sum->authors, &seen);
    if (rc || (seen.found && seen.same))
        return rc;
    if (seen.found)
        row.id = seen.row.local_id;
    rc = wp_remember(c, IMPORT_AUTHOR, au->id, NULL, row.id, hash, 0);
    if (rc == 0 && au->id > 0)
        rc = wp_redirect_query(c, "author", au->id, arena_printf(c->ia, "/author/%s/", slug));
    return rc;
}

/* The id of the author whose login is `login`, made if the export did
 * not list it; 0 if none. */
static int wp_author_id(wp_ctx *c, const char *login, int64_t *id)
{
    *id = 0;
    if (!login || !*login)
        return 0;
    if (strcmp(c->creator, login) == 0) {
        *id = c->creator_id;
        return 0;
    }
    const char *slug = text_slugify(c->ia, login, WP_SLUG_MAX);
    store_author au;
    int rc = *slug ? store_author_by_slug(c->s, c->ia, slug, &au) : NS_ENOTFOUND;
    if (rc == NS_ENOTFOUND && *slug) {
        au = (store_author){ .slug = slug, .name = login };
        rc = store_author_insert(c->s, &au);
        if (rc == 0)
            c->sum->authors.created++;
    }
    if (rc == NS_ENOTFOUND)
        return 0;
    if (rc == 0 && strlen(login) < sizeof c->creator) {
        strcpy(c->creator, login);
        c->creator_id = au.id;
    }
    *id = rc == 0 ? au.id : 0;
    return rc;
}

/* The category with slug (decoded), made with name and parent if missing. */
static int wp_category_ensure(wp_ctx *c, const char *slug, const char *name, const char *descr,
                              int64_t parent, bool *made, store_category *out)
{
    *made = false;
    int rc = store_category_by_slug(c->s, c->ia, slug, out);
    if (rc != NS_ENOTFOUND)
        return rc;
    *out = (store_category){ .slug = slug, .name = *name ? name : slug, .description = descr,
                             .parent_id = parent };
    *made = true;
    return store_category_insert(c->s, out);
}

/* "/category/a/b/" for a category and its ancestors' slugs, as WordPress
 * writes a sub-category's address. */
static const char *wp_category_old_path(wp_ctx *c, const store_category *cat)
{
    const char *path = arena_printf(c->ia, "%s/", cat->slug);
    store_category up = *cat;
    for (int depth = 0; up.parent_id && depth < 16; depth++) {
        if (store_category_by_id(c->s, c->ia, up.parent_id, &up) != 0)
            break;
        path = arena_printf(c->ia, "%s/%s", up.slug, path);
    }
    return arena_printf(c->ia, "/category/%s", path);
}

static int wp_category(wp_ctx *c, const wxr_term *t, const char *slug, const char *hash)
{
    wp_seen seen;
    int rc = wp_lookup(c, IMPORT_CATEGORY, t->id, NULL, hash, &seen);
    store_category parent = { 0 }, cat;
    const char *pslug = *t->parent ? wp_slug(c, t->parent, NULL, NULL, 0) : NULL;
    if (rc == 0 && pslug && store_category_by_slug(c->s, c->ia, pslug, &parent) != 0)
        parent.id = 0; /* WordPress writes parents first; a missing one leaves it at the top */
    bool made = false;
    if (rc == 0)
        rc = wp_category_ensure(c, slug, t->name, t->description, parent.id, &made, &cat);
    if (rc == 0 && seen.found && made)
        seen.same = false; /* recorded, but the row had gone: made again */
    wp_counted(&c->sum->categories, &seen);
    if (rc || (seen.found && seen.same))
        return rc;
    rc = wp_remember(c, IMPORT_CATEGORY, t->id, NULL, cat.id, hash, 0);
    const char *to = arena_printf(c->ia, "/category/%s/", cat.slug);
    if (rc == 0 && t->id > 0)
        rc = wp_redirect_query(c, "cat", t->id, to);
    if (rc == 0 && cat.parent_id)
        rc = wp_redirect(c, wp_category_old_path(c, &cat), to);
    return rc;
}

int wp_term(wp_ctx *c, const wxr_term *t)
{
    bool is_cat = strcmp(t->taxonomy, "category") == 0, is_tag = strcmp(t->taxonomy, "post_tag") == 0;
    if ((is_cat || is_tag) && t->generic && c->saw_terms)
        return 0;
    c->saw_terms |= (is_cat || is_tag) && !t->generic;
    if (!is_cat && !is_tag) {
        wp_skip(c, arena_printf(c->ia, "terms of the taxonomy \"%s\"", t->taxonomy));
        return 0;
    }
    const char *slug = wp_slug(c, t->slug, t->name, is_cat ? "category" : "tag", t->id);
    const char *parts[] = { t->taxonomy, t->slug, t->parent, t->name, t->description };
    const char *hash = wp_digest(c, parts, 5);
    if (is_cat)
        return wp_category(c, t, slug, hash);
    wp_seen seen;
    int rc = wp_lookup(c, IMPORT_TAG, t->id, NULL, hash, &seen);
    store_tag tag = { .slug = slug, .name = *t->name ? t->name : slug };
    if (rc == 0)
        rc = store_tag_ensure(c->s, &tag);
    wp_counted(&c->sum->tags, &seen);
    if (rc == 0 && (!seen.found || !seen.same))
        rc = wp_remember(c, IMPORT_TAG, t->id, NULL, tag.id, hash, 0);
    return rc;
}

/* ---- posts ---- */

/* What an export's post status becomes; NULL name: the end. */
static const struct wp_status {
    const char *name;
    article_status status;
    bool skip;
} wp_statuses[] = {
    {"publish", ARTICLE_PUBLISHED, false}, {"future", ARTICLE_SCHEDULED, false},
    {"draft", ARTICLE_DRAFT, false},       {"pending", ARTICLE_PENDING, false},
    {"private", ARTICLE_DRAFT, false},     /* not public: kept from readers as a draft */
    {"auto-draft", ARTICLE_DRAFT, true},   {"trash", ARTICLE_DRAFT, true},
    {"inherit", ARTICLE_DRAFT, true},
};

static const struct wp_status *wp_status_of(const char *name)
{
    for (size_t i = 0; i < sizeof wp_statuses / sizeof wp_statuses[0]; i++)
        if (strcmp(wp_statuses[i].name, name) == 0)
            return &wp_statuses[i];
    return NULL;
}

/* The item's digest: every field that the site's row is made from, and
 * its terms and metadata. */
static const char *wp_item_digest(wp_ctx *c, const wxr_item *it)
{
    size_t n = 0, cap = 24 + 2 * it->nterms + 2 * it->nmeta;
    const char **p = arena_alloc(c->ia, cap * sizeof *p);
    const char *fixed[] = { it->post_type, it->title, it->link, it->guid, it->creator, it->content,
                            it->excerpt, it->post_date, it->post_date_gmt, it->modified_gmt,
                            it->comment_status, it->post_name, it->status, it->password,
                            it->attachment_url, it->sticky ? "1" : "0",
                            arena_printf(c->ia, "%lld %d", (long long)it->parent, it->menu_order) };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        p[n++] = fixed[i];
    for (size_t i = 0; i < it->nterms; i++) {
        p[n++] = it->terms[i].domain;
        p[n++] = it->terms[i].nicename;
    }
    for (size_t i = 0; i < it->nmeta; i++) {
        p[n++] = it->meta[i].key;
        p[n++] = it->meta[i].value;
    }
    return wp_digest(c, p, n);
}

/* The body as the site keeps an imported one: WordPress's display
 * conventions applied, sanitised, the old site's addresses made local. */
static int wp_body(wp_ctx *c, const char *content, const char **html)
{
    const char *raw = wp_content_html(c->ia, content, strlen(content));
    char *clean;
    int rc = html_sanitize(c->ia, raw, strlen(raw), &clean);
    if (rc)
        return rc;
    *html = wp_rewrite_body(c, clean);
    return 0;
}

/* Tags and the category of a post: the first category is its category,
 * further ones (the site has one a post) become tags of the same name;
 * a "video" post format marks it a video. */
typedef struct wp_terms {
    int64_t category, *tags;
    size_t ntags;
    bool video;
} wp_terms;

static int wp_post_terms(wp_ctx *c, const wxr_item *it, wp_terms *out)
{
    memset(out, 0, sizeof *out);
    out->tags = arena_alloc(c->ia, (it->nterms + 1) * sizeof *out->tags);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < it->nterms; i++) {
        const wxr_item_term *t = &it->terms[i];
        const char *slug = wp_slug(c, t->nicename, t->name, "term", (int64_t)i + 1);
        bool cat = strcmp(t->domain, "category") == 0;
        if (strcmp(t->domain, "post_format") == 0) {
            out->video |= strcmp(t->nicename, "post-format-video") == 0;
        } else if (cat && !out->category) {
            store_category row;
            bool made;
            rc = wp_category_ensure(c, slug, t->name, NULL, 0, &made, &row);
            c->sum->categories.created += made;
            out->category = row.id;
        } else if (cat || strcmp(t->domain, "post_tag") == 0) {
            store_tag tag = { .slug = slug, .name = *t->name ? t->name : slug };
            rc = store_tag_ensure(c->s, &tag);
            out->tags[out->ntags++] = tag.id;
        }
    }
    return rc;
}

/* The article an item describes, fields from the export. */
static int wp_article_fields(wp_ctx *c, const wxr_item *it, const struct wp_status *st, store_article *ar,
                             wp_terms *terms)
{
    int rc = wp_post_terms(c, it, terms);
    if (rc == 0)
        rc = wp_author_id(c, it->creator, &ar->author_id);
    int64_t published, modified;
    if (rc == 0)
        rc = wp_date(c, it->post_date_gmt, it->post_date, it->line, "wp:post_date", &published);
    if (rc == 0)
        rc = wp_date(c, it->modified_gmt, it->modified, it->line, "wp:post_modified", &modified);
    const char *body = NULL;
    if (rc == 0)
        rc = wp_body(c, it->content, &body);
    if (rc)
        return rc;
    const char *title = wp_plain(c, it->title);
    ar->title = *title ? title : "بلا عنوان";
    ar->lead = wp_plain(c, it->excerpt);
    ar->body_md = ar->body_html = body;
    ar->body_format = BODY_HTML;
    ar->status = *it->password ? ARTICLE_DRAFT : st->status; /* a password-protected post is not public */
    ar->comments_open = strcmp(it->comment_status, "open") == 0;
    ar->sticky = it->sticky;
    ar->published_at = published ? published : c->now;
    ar->created_at = ar->published_at;
    ar->updated_at = modified > ar->published_at ? modified : ar->published_at;
    ar->category_id = terms->category;
    const char *video = wp_meta(it, "nashra_video_url");
    ar->video_url = video && *video ? video : wp_content_video(c->ia, it->content, strlen(it->content));
    ar->video = terms->video || ar->video_url || (wp_meta(it, "nashra_video") && strcmp(wp_meta(it, "nashra_video"), "1") == 0);
    ar->kicker = wp_meta(it, "nashra_kicker");
    ar->source = wp_meta(it, "nashra_source");
    return 0;
}

/* Insert a row through fn(c, arg), its slug (*slug) made unique with -2,
 * -3… while another row has it. */
static int wp_insert_unique(wp_ctx *c, const char **slug, int (*fn)(wp_ctx *c, void *arg), void *arg)
{
    const char *base = *slug;
    int rc = NS_EEXIST;
    for (int i = 1; rc == NS_EEXIST && i <= WP_SLUG_TRIES; i++) {
        if (i > 1)
            *slug = arena_printf(c->ia, "%s-%d", base, i);
        rc = fn(c, arg);
    }
    return rc;
}

typedef struct wp_new_article {
    store_article *ar;
    const wp_terms *terms;
} wp_new_article;

static int wp_article_put(wp_ctx *c, void *arg)
{
    wp_new_article *n = arg;
    return store_article_insert(c->s, n->ar, n->terms->tags, n->terms->ntags);
}

static int wp_article_insert(wp_ctx *c, store_article *ar, const wp_terms *t)
{
    wp_new_article n = { ar, t };
    return wp_insert_unique(c, &ar->slug, wp_article_put, &n);
}

static int wp_post(wp_ctx *c, const wxr_item *it, const struct wp_status *st)
{
    const char *hash = wp_item_digest(c, it);
    wp_seen seen;
    int rc = wp_lookup(c, IMPORT_POST, it->id, it->guid, hash, &seen);
    store_article ar = { 0 };
    if (rc == 0 && seen.found && store_article_by_id(c->s, c->ia, seen.row.local_id, &ar) == NS_ENOTFOUND)
        seen.found = false, memset(&ar, 0, sizeof ar); /* deleted here since: made again */
    if (rc == 0 && !(seen.found && seen.same)) {
        wp_terms terms;
        const char *image = ar.image_url;
        const char *slug_here = seen.found ? ar.slug : NULL;
        rc = wp_article_fields(c, it, st, &ar, &terms);
        ar.slug = wp_slug(c, it->post_name, it->title, "post", it->id);
        if (!wp_meta_id(it, "_thumbnail_id"))
            ar.image_url = wp_meta(it, "nashra_image_url") ? wp_meta(it, "nashra_image_url") : image;
        if (rc == 0 && seen.found) {
            rc = store_article_update(c->s, &ar, terms.tags, terms.ntags);
            if (rc == NS_EEXIST) { /* its new slug is another article's: it keeps its own */
                ar.slug = slug_here;
                rc = store_article_update(c->s, &ar, terms.tags, terms.ntags);
            }
        } else if (rc == 0) {
            rc = wp_article_insert(c, &ar, &terms);
        }
        if (rc == 0)
            rc = store_article_index(c->s, ar.id);
        if (rc == 0)
            rc = wp_remember(c, IMPORT_POST, it->id, it->guid, ar.id, hash, wp_meta_id(it, "_thumbnail_id"));
        c->changed_articles = true;
    }
    wp_counted(&c->sum->posts, &seen);
    if (rc == 0 && !(seen.found && seen.same)) {
        const char *to = arena_printf(c->ia, "/%s/", ar.slug);
        rc = wp_redirect(c, it->link, to);
        if (rc == 0 && it->id > 0)
            rc = wp_redirect_query(c, "p", it->id, to);
    }
    /* a post found under the site's former address keeps its comments there */
    return rc ? rc : wp_comments(c, it, seen.found ? seen.row.local_id : ar.id,
                                 seen.found ? seen.row.source : c->source);
}

/* ---- pages ---- */

static int wp_page_put(wp_ctx *c, void *arg)
{
    return store_page_insert(c->s, arg);
}

static int wp_page_insert(wp_ctx *c, store_page *pg)
{
    return wp_insert_unique(c, &pg->slug, wp_page_put, pg);
}

static int wp_page(wp_ctx *c, const wxr_item *it, const struct wp_status *st)
{
    const char *hash = wp_item_digest(c, it);
    wp_seen seen;
    int rc = wp_lookup(c, IMPORT_PAGE, it->id, it->guid, hash, &seen);
    store_page pg = { 0 };
    if (rc == 0 && seen.found && store_page_by_id(c->s, c->ia, seen.row.local_id, &pg) == NS_ENOTFOUND)
        seen.found = false, memset(&pg, 0, sizeof pg);
    int64_t published = 0, modified = 0;
    if (rc == 0 && !(seen.found && seen.same)) {
        const char *body = NULL, *title = wp_plain(c, it->title);
        rc = wp_date(c, it->post_date_gmt, it->post_date, it->line, "wp:post_date", &published);
        if (rc == 0)
            rc = wp_date(c, it->modified_gmt, it->modified, it->line, "wp:post_modified", &modified);
        if (rc == 0)
            rc = wp_body(c, it->content, &body);
        pg.slug = wp_slug(c, it->post_name, it->title, "page", it->id);
        pg.title = *title ? title : "بلا عنوان";
        pg.body_md = body;
        pg.body_format = BODY_HTML;
        pg.published = st->status == ARTICLE_PUBLISHED && !*it->password;
        pg.published_at = published ? published : c->now;
        pg.updated_at = modified > pg.published_at ? modified : pg.published_at;
        pg.menu_order = it->menu_order;
        if (rc == 0)
            rc = seen.found ? store_page_update(c->s, &pg) : wp_page_insert(c, &pg);
        if (rc == 0)
            rc = wp_remember(c, IMPORT_PAGE, it->id, it->guid, pg.id, hash, it->parent);
        const char *to = arena_printf(c->ia, "/%s/", pg.slug);
        if (rc == 0)
            rc = wp_redirect(c, it->link, to);
        if (rc == 0 && it->id > 0)
            rc = wp_redirect_query(c, "page_id", it->id, to);
    }
    wp_counted(&c->sum->pages, &seen);
    for (size_t i = 0; i < it->ncomments; i++)
        wp_skip(c, "comments on pages (the site has comments on articles only)");
    return rc;
}

/* ---- attachments ---- */

static const struct { const char *ext, *mime; } wp_mimes[] = {
    {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"}, {"gif", "image/gif"},
    {"webp", "image/webp"}, {"avif", "image/avif"}, {"svg", "image/svg+xml"},
    {"pdf", "application/pdf"}, {"mp3", "audio/mpeg"}, {"m4a", "audio/mp4"}, {"ogg", "audio/ogg"},
    {"mp4", "video/mp4"}, {"webm", "video/webm"}, {"mov", "video/quicktime"},
};

static const char *wp_mime(const char *url)
{
    const char *dot = strrchr(url, '.');
    for (size_t i = 0; dot && i < sizeof wp_mimes / sizeof wp_mimes[0]; i++)
        if (strcasecmp(dot + 1, wp_mimes[i].ext) == 0)
            return wp_mimes[i].mime;
    return "application/octet-stream";
}

static int wp_attachment(wp_ctx *c, const wxr_item *it)
{
    const char *hash = wp_item_digest(c, it);
    wp_seen seen;
    int rc = wp_lookup(c, IMPORT_ATTACHMENT, it->id, it->guid, hash, &seen);
    store_media m = { 0 };
    if (rc == 0 && seen.found && store_media_get(c->s, c->ia, seen.row.local_id, &m) == NS_ENOTFOUND)
        seen.found = false, memset(&m, 0, sizeof m);
    if (rc == 0 && !(seen.found && seen.same)) {
        const char *old = *it->attachment_url ? it->attachment_url : it->guid, *url = NULL;
        const char *rel = wp_meta(it, "_wp_attached_file");
        rc = wp_attachment_file(c, rel, old, &url);
        if (rc == 0)
            rc = wp_date(c, it->post_date_gmt, it->post_date, it->line, "wp:post_date", &m.created_at);
        m.url = url;
        m.title = wp_plain(c, it->title);
        m.alt = wp_meta(it, "_wp_attachment_image_alt");
        m.caption = wp_plain(c, it->excerpt);
        m.description = wp_plain(c, it->content);
        m.mime = wp_mime(url);
        if (rc == 0)
            rc = seen.found ? store_media_update(c->s, &m) : store_media_insert(c->s, &m);
        if (rc == 0)
            rc = wp_remember(c, IMPORT_ATTACHMENT, it->id, it->guid, m.id, hash, it->parent);
        if (rc == 0)
            rc = wp_redirect(c, it->link, url);
        if (rc == 0 && it->id > 0)
            rc = wp_redirect_query(c, "attachment_id", it->id, url);
        if (rc == 0 && strncmp(url, "/uploads/", 9) == 0)
            rc = wp_redirect(c, old, url);
    }
    wp_counted(&c->sum->attachments, &seen);
    return rc;
}

/* ---- items ---- */

int wp_item(wp_ctx *c, const wxr_item *it)
{
    const char *type = it->post_type;
    if (strcmp(type, "attachment") == 0)
        return wp_attachment(c, it);
    bool post = strcmp(type, "post") == 0;
    if (!post && strcmp(type, "page") != 0) {
        wp_skip(c, arena_printf(c->ia, "items of the type \"%s\"", type));
        return 0;
    }
    const struct wp_status *st = wp_status_of(it->status);
    if (!st || st->skip) {
        wp_skip(c, arena_printf(c->ia, "%s with the status \"%s\"", post ? "posts" : "pages", it->status));
        return 0;
    }
    return post ? wp_post(c, it, st) : wp_page(c, it, st);
}

/* ---- comments ---- */

static const struct wp_comment_status {
    const char *approved;
    comment_status status;
    bool skip;
} wp_comment_statuses[] = {
    {"1", COMMENT_APPROVED, false},   {"approve", COMMENT_APPROVED, false},
    {"0", COMMENT_PENDING, false},    {"hold", COMMENT_PENDING, false},
    {"spam", COMMENT_SPAM, false},    {"trash", COMMENT_TRASH, true},
    {"post-trashed", COMMENT_TRASH, true},
};

/* Why a comment is left out, or NULL; its status into *st. */
static const char *wp_comment_skip(wp_ctx *c, const wxr_comment *cm, comment_status *st)
{
    *st = COMMENT_PENDING; /* an approval state the export does not name waits for a moderator */
    for (size_t i = 0; i < sizeof wp_comment_statuses / sizeof wp_comment_statuses[0]; i++)
        if (strcmp(wp_comment_statuses[i].approved, cm->approved) == 0) {
            if (wp_comment_statuses[i].skip)
                return "comments in the trash";
            *st = wp_comment_statuses[i].status;
        }
    if (strcmp(cm->type, "pingback") == 0 || strcmp(cm->type, "trackback") == 0)
        return "pingbacks and trackbacks";
    if (*cm->type && strcmp(cm->type, "comment") != 0)
        return arena_printf(c->ia, "comments of the type \"%s\"", cm->type);
    return NULL;
}

static int wp_comment(wp_ctx *c, const char *source, const wxr_comment *cm, int64_t article_id,
                      int64_t parent, comment_status st, int64_t *local)
{
    const char *body = wp_plain(c, cm->content);
    if (!*body) {
        wp_skip(c, "empty comments");
        *local = parent;
        return 0;
    }
    const char *parts[] = { cm->author, cm->email, cm->url, cm->date, cm->date_gmt, cm->content,
                            cm->approved, cm->type, arena_printf(c->ia, "%lld", (long long)cm->parent) };
    const char *hash = wp_digest(c, parts, sizeof parts / sizeof parts[0]);
    wp_seen seen;
    int rc = wp_lookup_in(c, source, IMPORT_COMMENT, cm->id, NULL, hash, &seen);
    store_comment row = { .id = seen.found ? seen.row.local_id : 0, .article_id = article_id,
                          .parent_id = parent, .author_name = *cm->author ? cm->author : "زائر",
                          .author_email = cm->email, .author_url = cm->url, .body = body, .status = st };
    if (rc == 0)
        rc = wp_date(c, cm->date_gmt, cm->date, cm->line, "wp:comment_date", &row.created_at);
    if (rc == 0 && !(seen.found && seen.same)) {
        rc = store_comment_import(c->s, &row);
        if (rc == NS_ENOTFOUND && seen.found) { /* deleted here since: written again */
            row.id = 0;
            seen.found = false;
            rc = store_comment_import(c->s, &row);
        }
        if (rc == 0)
            rc = wp_remember_in(c, source, IMPORT_COMMENT, cm->id, NULL, row.id, hash, 0);
    }
    wp_counted(&c->sum->comments, &seen);
    *local = row.id;
    return rc;
}

static int wp_comments(wp_ctx *c, const wxr_item *it, int64_t article_id, const char *source)
{
    size_t *order;
    long *parent;
    int rc = wp_comment_order(c, it, &order, &parent);
    int64_t *local = arena_zalloc(c->ia, (it->ncomments + 1) * sizeof *local);
    for (size_t k = 0; rc == 0 && k < it->ncomments; k++) {
        size_t i = order[k];
        const wxr_comment *cm = &it->comments[i];
        int64_t up = parent[i] >= 0 ? local[parent[i]] : 0;
        comment_status st;
        const char *why = wp_comment_skip(c, cm, &st);
        if (why) {
            wp_skip(c, why);
            local[i] = up; /* its replies hang from its parent */
            continue;
        }
        rc = wp_comment(c, source, cm, article_id, up, st, &local[i]);
    }
    return rc;
}

/* Comments sorted by id, to find a parent by bisection. */
typedef struct wp_cid {
    int64_t id;
    size_t i;
} wp_cid;

static int wp_cid_cmp(const void *a, const void *b)
{
    int64_t x = ((const wp_cid *)a)->id, y = ((const wp_cid *)b)->id;
    return x < y ? -1 : x > y;
}

static long wp_cid_find(const wp_cid *v, size_t n, int64_t id)
{
    wp_cid key = { .id = id };
    const wp_cid *f = bsearch(&key, v, n, sizeof *v, wp_cid_cmp);
    return f ? (long)f->i : -1;
}

int wp_comment_order(wp_ctx *c, const wxr_item *it, size_t **order, long **parent)
{
    size_t n = it->ncomments, k = 0;
    wp_cid *ids = arena_alloc(c->ia, (n + 1) * sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = (wp_cid){ it->comments[i].id, i };
    qsort(ids, n, sizeof *ids, wp_cid_cmp);
    *order = arena_alloc(c->ia, (n + 1) * sizeof **order);
    *parent = arena_alloc(c->ia, (n + 1) * sizeof **parent);
    unsigned char *state = arena_zalloc(c->ia, n + 1); /* 0 new, 1 on the path, 2 placed */
    size_t *path = arena_alloc(c->ia, (n + 1) * sizeof *path);
    for (size_t i = 0; i < n; i++) {
        const wxr_comment *cm = &it->comments[i];
        (*parent)[i] = cm->parent ? wp_cid_find(ids, n, cm->parent) : -1;
        if (cm->parent && (*parent)[i] < 0)
            return wp_fail(c, cm->line, "comment %lld replies to comment %lld, which is not in the export",
                           (long long)cm->id, (long long)cm->parent);
    }
    /* each comment's chain of unplaced ancestors, placed from the top */
    for (size_t i = 0; i < n; i++) {
        size_t depth = 0;
        for (long j = (long)i; j >= 0 && state[j] != 2; j = (*parent)[j]) {
            if (state[j] == 1)
                return wp_fail(c, it->comments[j].line, "comment %lld is among its own replies",
                               (long long)it->comments[j].id);
            state[j] = 1;
            path[depth++] = (size_t)j;
        }
        while (depth) {
            size_t j = path[--depth];
            state[j] = 2;
            (*order)[k++] = j;
        }
    }
    return 0;
}

/* ---- what is settled at the end ---- */

typedef int (*wp_ref_fn)(wp_ctx *c, const store_import_item *it);

static int wp_ref_image(wp_ctx *c, const store_import_item *it)
{
    store_import_item att;
    store_media m;
    store_article ar;
    if (store_import_get(c->s, c->ia, c->source, IMPORT_ATTACHMENT, it->ref, NULL, &att) != 0 ||
        store_media_get(c->s, c->ia, att.local_id, &m) != 0 ||
        store_article_by_id(c->s, c->ia, it->local_id, &ar) != 0)
        return 0; /* the image was not in the export, or is gone */
    if (ar.image_url && strcmp(ar.image_url, m.url) == 0)
        return 0;
    ar.image_url = m.url;
    ar.image_alt = m.alt;
    ar.image_caption = m.caption;
    int64_t *tags = arena_alloc(c->ia, (ar.ntags + 1) * sizeof *tags);
    for (size_t i = 0; i < ar.ntags; i++)
        tags[i] = ar.tags[i].id;
    int rc = store_article_update(c->s, &ar, tags, ar.ntags);
    return rc ? rc : wp_batch_end(c, false);
}

static int wp_ref_page(wp_ctx *c, const store_import_item *it)
{
    store_import_item up;
    store_page pg;
    if (store_import_get(c->s, c->ia, c->source, IMPORT_PAGE, it->ref, NULL, &up) != 0 ||
        store_page_by_id(c->s, c->ia, it->local_id, &pg) != 0 || pg.parent_id == up.local_id ||
        up.local_id == pg.id)
        return 0;
    pg.parent_id = up.local_id;
    int rc = store_page_update(c->s, &pg);
    return rc ? rc : wp_batch_end(c, false);
}

static int wp_ref_media(wp_ctx *c, const store_import_item *it)
{
    store_import_item post;
    store_media m;
    if (store_import_get(c->s, c->ia, c->source, IMPORT_POST, it->ref, NULL, &post) != 0 ||
        store_media_get(c->s, c->ia, it->local_id, &m) != 0 || m.article_id == post.local_id)
        return 0;
    m.article_id = post.local_id;
    int rc = store_media_update(c->s, &m);
    return rc ? rc : wp_batch_end(c, false);
}

static int wp_refs(wp_ctx *c, import_kind kind, wp_ref_fn fn)
{
    int64_t after = 0;
    int rc;
    for (;;) {
        store_import_item *v;
        size_t n;
        arena_reset(c->ia);
        rc = store_import_refs(c->s, c->ia, c->source, kind, after, WP_REFS_BATCH, &v, &n);
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = fn(c, &v[i]);
        if (rc || n < WP_REFS_BATCH)
            break;
        after = v[n - 1].wp_id;
    }
    arena_reset(c->ia);
    return rc;
}

int wp_resolve_refs(wp_ctx *c)
{
    if (!c->source)
        return 0;
    int rc = wp_refs(c, IMPORT_POST, wp_ref_image);
    if (rc == 0)
        rc = wp_refs(c, IMPORT_PAGE, wp_ref_page);
    return rc ? rc : wp_refs(c, IMPORT_ATTACHMENT, wp_ref_media);
}
