/*
 * export.c - the site as WXR 1.2 (export.h). Everything goes through
 * libxml2's writer, element by element, straight to the caller's FILE: a
 * site of any size streams out. Errors are kept in a sticky code so the
 * writers of each part stay linear; the first one ends the export.
 *
 * The element names carry the prefixes WordPress uses ("wp:post_id"): its
 * importer's fallback parser (WXR_Parser_XML) matches the prefixed names
 * literally, not by namespace.
 */
#include "import/export.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/xmlwriter.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/text.h"
#include "render/html.h"
#include "render/markdown.h"

#ifndef NASHRA_VERSION
#define NASHRA_VERSION "0"
#endif

#define EXPORT_BATCH 200          /* article ids read at a time */
#define EXPORT_MEDIA_BATCH 1000   /* media rows read at a time */
#define TZ_LIMIT (14 * 3600)

static const struct {
    const char *prefix, *uri;
} wxr_namespaces[] = {
    {"excerpt", "http://wordpress.org/export/1.2/excerpt/"},
    {"content", "http://purl.org/rss/1.0/modules/content/"},
    {"wfw", "http://wellformedweb.org/CommentAPI/"},
    {"dc", "http://purl.org/dc/elements/1.1/"},
    {"wp", "http://wordpress.org/export/1.2/"},
};

/* wp:status of each article_status. */
static const char *const article_wp_status[] = {
    [ARTICLE_DRAFT] = "draft",
    [ARTICLE_PENDING] = "pending",
    [ARTICLE_SCHEDULED] = "future",
    [ARTICLE_PUBLISHED] = "publish",
};

/* wp:comment_approved of each comment_status. */
static const char *const comment_wp_approved[] = {
    [COMMENT_PENDING] = "0",
    [COMMENT_APPROVED] = "1",
    [COMMENT_SPAM] = "spam",
    [COMMENT_TRASH] = "trash",
};

/* A media file found by its URL: a hash of the URL, sorted, then checked
 * against the row itself. */
typedef struct media_key {
    uint64_t hash;
    int64_t id;
} media_key;

typedef struct exporter {
    store_t *s;
    FILE *out;
    bool out_failed;          /* a write to out failed */
    xmlTextWriterPtr w;
    arena_t *site;            /* what lasts the whole export */
    arena_t *item;            /* one item, reset after each */
    const char *base;         /* no trailing '/' */
    int tz;                   /* site time offset, seconds */
    int rc;                   /* first error */
    export_report *rep;
    store_category *cats;
    size_t ncats;
    media_key *media;
    size_t nmedia, capmedia;
} exporter;

/* The common part of every item. */
typedef struct wp_item {
    const char *title, *link, *creator, *guid, *content, *excerpt;
    int64_t post_id, date, modified, parent;
    int menu_order;
    const char *post_name, *status, *type, *comment_status;
    bool sticky;
} wp_item;

/* ---- text ---- */

char *export_slug_encode(arena_t *a, const char *slug, bool keep_slash)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = slug ? strlen(slug) : 0;
    char *out = arena_alloc(a, n * 3 + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)slug[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-_.~", c) || (keep_slash && c == '/')) {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

/* Copy of s without ill-formed UTF-8 and the code points XML 1.0 forbids
 * (escaping cannot make them legal); NULL gives "". */
static char *xml_text(arena_t *a, const char *s, size_t *len)
{
    size_t n = s ? strlen(s) : 0, o = 0;
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = text_next_cp(s + i, n - i, &cp);
        if (text_xml_char(cp)) {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    if (len)
        *len = o;
    return out;
}

/* ---- the writer, with a sticky error ---- */

static void x_check(exporter *e, int rc)
{
    if ((rc < 0 || e->out_failed) && e->rc == 0)
        e->rc = NS_EIO;
}

static void x_start(exporter *e, const char *name)
{
    if (!e->rc)
        x_check(e, xmlTextWriterStartElement(e->w, BAD_CAST name));
}

static void x_end(exporter *e)
{
    if (!e->rc)
        x_check(e, xmlTextWriterEndElement(e->w));
}

static void x_attr(exporter *e, const char *name, const char *value)
{
    if (!e->rc)
        x_check(e, xmlTextWriterWriteAttribute(e->w, BAD_CAST name,
                                               BAD_CAST xml_text(e->item, value, NULL)));
}

/* <name>text</name>, text escaped. */
static void x_text(exporter *e, const char *name, const char *text)
{
    x_start(e, name);
    if (!e->rc)
        x_check(e, xmlTextWriterWriteString(e->w, BAD_CAST xml_text(e->item, text, NULL)));
    x_end(e);
}

static void x_int(exporter *e, const char *name, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    x_text(e, name, num);
}

/* CDATA sections holding text: a "]]>" inside ends one section after
 * "]]" and starts the next with ">". */
static void x_cdata_body(exporter *e, const char *text)
{
    size_t n;
    char *t = xml_text(e->item, text, &n);
    size_t from = 0;
    for (;;) {
        char *end = strstr(t + from, "]]>");
        size_t upto = end ? (size_t)(end - t) + 2 : n;
        if (!e->rc)
            x_check(e, xmlTextWriterWriteFormatCDATA(e->w, "%.*s", (int)(upto - from), t + from));
        if (!end)
            break;
        from = upto;
    }
}

/* <name><![CDATA[text]]></name>, as WordPress writes its strings. */
static void x_cdata(exporter *e, const char *name, const char *text)
{
    x_start(e, name);
    x_cdata_body(e, text);
    x_end(e);
}

static void x_meta(exporter *e, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    x_start(e, "wp:postmeta");
    x_cdata(e, "wp:meta_key", key);
    x_cdata(e, "wp:meta_value", value);
    x_end(e);
}

/* ---- values ---- */

/* "YYYY-MM-DD HH:MM:SS" of t + tz; WordPress's "no date" for t 0. */
static const char *wp_date(exporter *e, int64_t t, int tz)
{
    if (t <= 0)
        return "0000-00-00 00:00:00";
    time_t tt = (time_t)(t + tz);
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return "0000-00-00 00:00:00";
    return arena_printf(e->item, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The site's address of slug: base/slug/, the way nashra serves articles
 * and pages. */
static const char *slug_link(exporter *e, const char *slug)
{
    return arena_printf(e->item, "%s/%s/", e->base, export_slug_encode(e->item, slug, false));
}

/* An absolute URL for a stored one: a site path gets the base. */
static const char *abs_url(exporter *e, const char *url)
{
    if (url && url[0] == '/')
        return arena_printf(e->item, "%s%s", e->base, export_slug_encode(e->item, url, true));
    return url ? url : "";
}

/* HTML of a body: what the writer stored, else its source rendered. */
static int body_html(arena_t *a, body_format f, const char *src, const char *cached,
                     const char **html)
{
    if (cached) {
        *html = cached;
        return 0;
    }
    char *out = NULL;
    size_t n = src ? strlen(src) : 0;
    int rc = f == BODY_HTML ? html_sanitize(a, src ? src : "", n, &out)
                            : markdown_render(a, src ? src : "", n, &out);
    if (rc < 0)
        return rc;
    *html = out;
    return 0;
}

static uint64_t url_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int media_key_cmp(const void *x, const void *y)
{
    const media_key *a = x, *b = y;
    return a->hash < b->hash ? -1 : a->hash > b->hash;
}

/* The id of the media file whose url is url, 0 if none. */
static int64_t media_find(exporter *e, const char *url)
{
    if (!url || !*url || e->nmedia == 0)
        return 0;
    media_key k = {.hash = url_hash(url)};
    media_key *m = bsearch(&k, e->media, e->nmedia, sizeof k, media_key_cmp);
    if (!m)
        return 0;
    /* equal hashes sit together: check each against its row */
    while (m > e->media && m[-1].hash == k.hash)
        m--;
    for (; m < e->media + e->nmedia && m->hash == k.hash; m++) {
        store_media row;
        if (store_media_get(e->s, e->item, m->id, &row) == 0 && row.url && strcmp(row.url, url) == 0)
            return m->id;
    }
    return 0;
}

/* ---- the channel ---- */

static const char *setting(exporter *e, const char *key, const char *def)
{
    const char *v;
    return store_setting_get(e->s, e->site, key, &v) == 0 && v && *v ? v : def;
}

static int load_site(exporter *e, const char *base_url)
{
    const char *base = base_url ? base_url : setting(e, "site_url", EXPORT_DEFAULT_BASE_URL);
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    e->base = arena_strndup(e->site, base, n);
    char *end;
    const char *tz = setting(e, "timezone_offset", "0");
    long v = strtol(tz, &end, 10);
    e->tz = *end == '\0' && v >= -TZ_LIMIT && v <= TZ_LIMIT ? (int)v : 0;
    return store_category_list(e->s, e->site, &e->cats, &e->ncats);
}

static void write_channel_head(exporter *e)
{
    x_text(e, "title", setting(e, "site_name", "نشرة"));
    x_text(e, "link", e->base);
    x_text(e, "description", setting(e, "site_description", ""));
    x_text(e, "pubDate", date_http(e->item, (int64_t)time(NULL)));
    x_text(e, "language", "ar");
    x_text(e, "wp:wxr_version", "1.2");
    x_text(e, "wp:base_site_url", e->base);
    x_text(e, "wp:base_blog_url", e->base);
}

static int write_authors(exporter *e)
{
    store_author *au;
    size_t n;
    int rc = store_author_list(e->s, e->item, &au, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        x_start(e, "wp:author");
        x_int(e, "wp:author_id", au[i].id);
        x_cdata(e, "wp:author_login", au[i].slug);
        x_cdata(e, "wp:author_email", au[i].email);
        x_cdata(e, "wp:author_display_name", au[i].name);
        x_cdata(e, "wp:author_first_name", "");
        x_cdata(e, "wp:author_last_name", "");
        x_end(e);
        e->rep->authors++;
    }
    arena_reset(e->item);
    return rc;
}

static const store_category *category_by_id(const exporter *e, int64_t id)
{
    for (size_t i = 0; i < e->ncats; i++)
        if (e->cats[i].id == id)
            return &e->cats[i];
    return NULL;
}

static void write_category(exporter *e, const store_category *c)
{
    const store_category *parent = c->parent_id ? category_by_id(e, c->parent_id) : NULL;
    x_start(e, "wp:category");
    x_int(e, "wp:term_id", 2 * c->id);
    x_cdata(e, "wp:category_nicename", export_slug_encode(e->item, c->slug, false));
    x_cdata(e, "wp:category_parent", parent ? export_slug_encode(e->item, parent->slug, false) : "");
    x_cdata(e, "wp:cat_name", c->name);
    if (c->description && *c->description)
        x_cdata(e, "wp:category_description", c->description);
    x_end(e);
    e->rep->categories++;
}

/* Categories, each after its parent: WordPress's importer looks a
 * parent up when it creates the child. A parent missing from the list, or
 * a loop, cannot be satisfied: those come last, as they are. */
static void write_categories(exporter *e)
{
    bool *done = arena_zalloc(e->site, e->ncats + 1);
    for (bool progress = true, stuck = false; progress;) {
        progress = false;
        for (size_t i = 0; i < e->ncats; i++) {
            const store_category *c = &e->cats[i];
            const store_category *p = c->parent_id ? category_by_id(e, c->parent_id) : NULL;
            if (done[i] || (p && !done[p - e->cats] && !stuck))
                continue;
            write_category(e, c);
            done[i] = progress = true;
        }
        /* a pass that wrote nothing: the rest wait on each other */
        if (!progress && !stuck)
            progress = stuck = true;
    }
    arena_reset(e->item);
}

static int write_tags(exporter *e)
{
    store_tag *t;
    size_t n;
    int rc = store_tag_list(e->s, e->item, &t, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        x_start(e, "wp:tag");
        x_int(e, "wp:term_id", 2 * t[i].id + 1);
        x_cdata(e, "wp:tag_slug", export_slug_encode(e->item, t[i].slug, false));
        x_cdata(e, "wp:tag_name", t[i].name);
        x_end(e);
        e->rep->tags++;
    }
    arena_reset(e->item);
    return rc;
}

/* ---- items ---- */

static void write_item_head(exporter *e, const wp_item *it)
{
    x_start(e, "item");
    x_cdata(e, "title", it->title);
    x_text(e, "link", it->link);
    if (it->date > 0)
        x_text(e, "pubDate", date_http(e->item, it->date));
    x_cdata(e, "dc:creator", it->creator);
    x_start(e, "guid");
    x_attr(e, "isPermaLink", "false");
    if (!e->rc)
        x_check(e, xmlTextWriterWriteString(e->w, BAD_CAST xml_text(e->item, it->guid, NULL)));
    x_end(e);
    x_text(e, "description", "");
    x_cdata(e, "content:encoded", it->content);
    x_cdata(e, "excerpt:encoded", it->excerpt);
    x_int(e, "wp:post_id", it->post_id);
    x_cdata(e, "wp:post_date", wp_date(e, it->date, e->tz));
    x_cdata(e, "wp:post_date_gmt", wp_date(e, it->date, 0));
    x_cdata(e, "wp:post_modified", wp_date(e, it->modified, e->tz));
    x_cdata(e, "wp:post_modified_gmt", wp_date(e, it->modified, 0));
    x_cdata(e, "wp:comment_status", it->comment_status);
    x_cdata(e, "wp:ping_status", "closed");
    x_cdata(e, "wp:post_name", it->post_name);
    x_cdata(e, "wp:status", it->status);
    x_int(e, "wp:post_parent", it->parent);
    x_int(e, "wp:menu_order", it->menu_order);
    x_cdata(e, "wp:post_type", it->type);
    x_cdata(e, "wp:post_password", "");
    x_int(e, "wp:is_sticky", it->sticky);
}

static const char *guid_of(exporter *e, int64_t post_id)
{
    return arena_printf(e->item, "%s/?p=%lld", e->base, (long long)post_id);
}

static int write_pages(exporter *e)
{
    store_page *p;
    size_t n;
    arena_t *list = arena_new(0);
    int rc = store_page_list_all(e->s, list, &p, &n);
    for (size_t i = 0; rc == 0 && i < n && !e->rc; i++) {
        const char *html;
        if ((rc = body_html(e->item, p[i].body_format, p[i].body_md, NULL, &html)))
            break;
        wp_item it = {
            .title = p[i].title, .link = slug_link(e, p[i].slug), .creator = "",
            .guid = guid_of(e, 3 * p[i].id - 1), .content = html, .excerpt = "",
            .post_id = 3 * p[i].id - 1,
            .date = p[i].published_at ? p[i].published_at : p[i].updated_at,
            .modified = p[i].updated_at, .parent = p[i].parent_id ? 3 * p[i].parent_id - 1 : 0,
            .menu_order = p[i].menu_order, .post_name = export_slug_encode(e->item, p[i].slug, false),
            .status = p[i].published ? "publish" : "draft", .type = "page",
            .comment_status = "closed",
        };
        write_item_head(e, &it);
        x_end(e);
        e->rep->pages++;
        arena_reset(e->item);
    }
    arena_free(list);
    return rc;
}

static void media_remember(exporter *e, const store_media *m)
{
    if (!m->url || !*m->url)
        return;
    e->media = arena_grow(e->site, e->media, e->nmedia, &e->capmedia, sizeof *e->media, 256);
    e->media[e->nmedia++] = (media_key){.hash = url_hash(m->url), .id = m->id};
}

static void write_attachment(exporter *e, const store_media *m)
{
    const char *url = abs_url(e, m->url);
    wp_item it = {
        .title = m->title, .link = url, .creator = "", .guid = url,
        .content = m->description, .excerpt = m->caption, .post_id = 3 * m->id - 2,
        .date = m->created_at, .modified = m->created_at,
        .parent = m->article_id ? 3 * m->article_id : 0, .post_name = "", .status = "inherit",
        .type = "attachment", .comment_status = "closed",
    };
    write_item_head(e, &it);
    x_text(e, "wp:attachment_url", url);
    static const char uploads[] = "/uploads/";
    if (m->url && strncmp(m->url, uploads, sizeof uploads - 1) == 0)
        x_meta(e, "_wp_attached_file", m->url + sizeof uploads - 1);
    x_meta(e, "_wp_attachment_image_alt", m->alt);
    x_end(e);
    e->rep->attachments++;
}

/* Rows with id > after, a batch of at most `limit` at a time, until a
 * batch comes short: fn reads one batch onto a and writes it, and says how
 * many rows it had and the last one's id. */
typedef int (*batch_fn)(exporter *e, arena_t *a, int64_t after, size_t *n, int64_t *last);

static int in_batches(exporter *e, batch_fn fn, size_t limit)
{
    arena_t *a = arena_new(0);
    int64_t after = 0;
    size_t n;
    int rc;
    do {
        n = 0;
        rc = fn(e, a, after, &n, &after);
        arena_reset(a);
    } while (rc == 0 && !e->rc && n == limit);
    arena_free(a);
    return rc;
}

/* A batch of media files, each remembered for featured images. */
static int media_batch(exporter *e, arena_t *a, int64_t after, size_t *n, int64_t *last)
{
    store_media *m;
    int rc = store_media_list(e->s, a, after, EXPORT_MEDIA_BATCH, &m, n);
    for (size_t i = 0; rc == 0 && i < *n && !e->rc; i++) {
        write_attachment(e, &m[i]);
        media_remember(e, &m[i]);
        arena_reset(e->item);
    }
    if (rc == 0 && *n)
        *last = m[*n - 1].id;
    return rc;
}

static int write_media(exporter *e)
{
    int rc = in_batches(e, media_batch, EXPORT_MEDIA_BATCH);
    if (e->nmedia)
        qsort(e->media, e->nmedia, sizeof *e->media, media_key_cmp);
    return rc;
}

static void write_term_ref(exporter *e, const char *domain, const char *slug, const char *name)
{
    x_start(e, "category");
    x_attr(e, "domain", domain);
    x_attr(e, "nicename", export_slug_encode(e->item, slug, false));
    x_cdata_body(e, name);
    x_end(e);
}

static void write_comment(exporter *e, const store_comment *c)
{
    x_start(e, "wp:comment");
    x_int(e, "wp:comment_id", c->id);
    x_cdata(e, "wp:comment_author", c->author_name);
    x_cdata(e, "wp:comment_author_email", c->author_email);
    x_cdata(e, "wp:comment_author_url", c->author_url);
    x_cdata(e, "wp:comment_author_IP", ""); /* only a keyed hash is kept */
    x_cdata(e, "wp:comment_date", wp_date(e, c->created_at, e->tz));
    x_cdata(e, "wp:comment_date_gmt", wp_date(e, c->created_at, 0));
    x_cdata(e, "wp:comment_content", c->body);
    x_cdata(e, "wp:comment_approved",
            (unsigned)c->status <= COMMENT_TRASH ? comment_wp_approved[c->status] : "0");
    x_cdata(e, "wp:comment_type", "comment");
    x_int(e, "wp:comment_parent", c->parent_id);
    x_int(e, "wp:comment_user_id", 0);
    x_end(e);
    e->rep->comments++;
}

/* What WordPress has no field for (export.h). */
static void write_article_meta(exporter *e, const store_article *ar)
{
    int64_t thumb = media_find(e, ar->image_url);
    if (thumb)
        x_meta(e, "_thumbnail_id", arena_printf(e->item, "%lld", (long long)(3 * thumb - 2)));
    else
        x_meta(e, "nashra_image_url", ar->image_url);
    const struct {
        const char *key, *value;
    } meta[] = {
        {"nashra_image_alt", ar->image_alt},
        {"nashra_image_caption", ar->image_caption},
        {"nashra_kicker", ar->kicker},
        {"nashra_source", ar->source},
        {"nashra_video_url", ar->video_url},
        {"nashra_video", ar->video ? "1" : NULL},
    };
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
        x_meta(e, meta[i].key, meta[i].value);
}

static int write_article(exporter *e, int64_t id)
{
    store_article ar;
    const char *html;
    int rc = store_article_by_id(e->s, e->item, id, &ar);
    if (rc == NS_ENOTFOUND) /* gone between the two reads: only outside a snapshot */
        return 0;
    if (rc || (rc = body_html(e->item, ar.body_format, ar.body_md, ar.body_html, &html)))
        return rc;
    wp_item it = {
        .title = ar.title, .link = slug_link(e, ar.slug),
        .creator = ar.author.id ? ar.author.slug : "", .guid = guid_of(e, 3 * ar.id),
        .content = html, .excerpt = ar.lead, .post_id = 3 * ar.id,
        .date = ar.published_at ? ar.published_at : ar.created_at,
        .modified = ar.updated_at ? ar.updated_at : ar.created_at,
        .post_name = export_slug_encode(e->item, ar.slug, false),
        .status = (unsigned)ar.status <= ARTICLE_PUBLISHED ? article_wp_status[ar.status] : "draft",
        .type = "post", .comment_status = ar.comments_open ? "open" : "closed", .sticky = ar.sticky,
    };
    write_item_head(e, &it);
    if (ar.category.id)
        write_term_ref(e, "category", ar.category.slug, ar.category.name);
    for (size_t i = 0; i < ar.ntags; i++)
        write_term_ref(e, "post_tag", ar.tags[i].slug, ar.tags[i].name);
    write_article_meta(e, &ar);
    store_comment *c;
    size_t nc;
    if ((rc = store_comment_list_any(e->s, e->item, id, &c, &nc)))
        return rc;
    for (size_t i = 0; i < nc; i++)
        write_comment(e, &c[i]);
    x_end(e);
    e->rep->posts++;
    return 0;
}

/* A batch of article ids, each article read and written alone. */
static int article_batch(exporter *e, arena_t *a, int64_t after, size_t *n, int64_t *last)
{
    int64_t *ids;
    int rc = store_article_ids(e->s, a, after, EXPORT_BATCH, &ids, n);
    for (size_t i = 0; rc == 0 && i < *n && !e->rc; i++) {
        if ((rc = write_article(e, ids[i])))
            e->rep->failed_article = ids[i];
        arena_reset(e->item);
    }
    if (rc == 0 && *n)
        *last = ids[*n - 1];
    return rc;
}

/* ---- the document ---- */

static int write_document(exporter *e, const char *base_url)
{
    int rc = load_site(e, base_url);
    if (rc)
        return rc;
    x_check(e, xmlTextWriterSetIndent(e->w, 1));
    x_check(e, xmlTextWriterSetIndentString(e->w, BAD_CAST "\t"));
    x_check(e, xmlTextWriterStartDocument(e->w, "1.0", "UTF-8", NULL));
    x_start(e, "rss");
    x_attr(e, "version", "2.0");
    for (size_t i = 0; i < sizeof wxr_namespaces / sizeof *wxr_namespaces; i++)
        x_attr(e, arena_printf(e->item, "xmlns:%s", wxr_namespaces[i].prefix), wxr_namespaces[i].uri);
    x_start(e, "channel");
    write_channel_head(e);
    if ((rc = write_authors(e)))
        return rc;
    write_categories(e);
    if ((rc = write_tags(e)))
        return rc;
    x_text(e, "generator", "nashra/" NASHRA_VERSION);
    if ((rc = write_pages(e)) || (rc = write_media(e)) ||
        (rc = in_batches(e, article_batch, EXPORT_BATCH)))
        return rc;
    if (!e->rc)
        x_check(e, xmlTextWriterEndDocument(e->w));
    if (!e->rc)
        x_check(e, xmlTextWriterFlush(e->w));
    return e->rc;
}

/* libxml2's output: to the caller's FILE. A failed write is recorded
 * here, not handed to libxml2, which would print it (returned errors only,
 * and it is the export's to report); what follows is dropped, and the next
 * element written ends the export. */
static int out_write(void *ctx, const char *buf, int len)
{
    exporter *e = ctx;
    if (!e->out_failed && fwrite(buf, 1, (size_t)len, e->out) != (size_t)len)
        e->out_failed = true;
    return len;
}

static int out_close(void *ctx)
{
    (void)ctx;
    return 0;
}

int export_wordpress(store_t *s, const char *base_url, FILE *out, export_report *rep)
{
    export_report ignored;
    rep = rep ? rep : &ignored;
    memset(rep, 0, sizeof *rep);
    exporter e = {.s = s, .out = out, .rep = rep};
    xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(out_write, out_close, &e, NULL);
    e.w = ob ? xmlNewTextWriter(ob) : NULL;
    if (!e.w) {
        if (ob)
            xmlOutputBufferClose(ob);
        return NS_EINTERNAL;
    }
    e.site = arena_new(0);
    e.item = arena_new(0);
    int rc = store_read_begin(s);
    if (rc == 0) {
        rc = write_document(&e, base_url);
        int end = store_read_end(s);
        rc = rc ? rc : end;
    }
    xmlFreeTextWriter(e.w); /* closes ob, not out */
    arena_free(e.item);
    arena_free(e.site);
    if (rc == 0 && (e.out_failed || fflush(out) != 0 || ferror(out)))
        rc = NS_EIO;
    return rc;
}
