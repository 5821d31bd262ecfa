/*
 * article.c - the article page, the page most readers land on, and the
 * static-page fallback for "/{slug}/" paths that name no article.
 *
 * The view model carries everything the newspaper page shows around the
 * story: dateline, threaded comments, related and latest articles, follow
 * links and the machine-readable metadata (OpenGraph, JSON-LD). Comments
 * are threaded in one pass with a hash index so an article with thousands
 * of comments costs linear time; the JSON-LD is built with the JSON escaper
 * because template HTML escaping is wrong inside a script element.
 */
#include "handlers/handler.h"
#include "handlers/article.h"
#include "handlers/view.h"

#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/text.h"

enum { ARTICLE_RELATED = 4, ARTICLE_LATEST = 5, CATEGORY_MAX_DEPTH = 8 };

/* ---- article ---- */

/* Links to a video whose player the page embeds on a click: after the
 * prefix comes the video's id, put into the player's address. YouTube's
 * privacy-enhanced domain and Vimeo's do-not-track parameter keep the
 * reader untracked until they choose to play. */
static const struct video_site {
    const char *prefix, *player; /* player: printf format taking the id */
    const char *id_chars;        /* characters an id is made of */
} video_sites[] = {
#define VIDEO_YT "https://www.youtube-nocookie.com/embed/%.*s?autoplay=1"
#define VIDEO_YT_ID "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
#define VIDEO_VIMEO "https://player.vimeo.com/video/%.*s?autoplay=1&dnt=1"
    { "https://www.youtube.com/watch?v=", VIDEO_YT, VIDEO_YT_ID },
    { "https://youtube.com/watch?v=", VIDEO_YT, VIDEO_YT_ID },
    { "https://m.youtube.com/watch?v=", VIDEO_YT, VIDEO_YT_ID },
    { "https://youtu.be/", VIDEO_YT, VIDEO_YT_ID },
    { "https://www.youtube.com/embed/", VIDEO_YT, VIDEO_YT_ID },
    { "https://vimeo.com/", VIDEO_VIMEO, "0123456789" },
    { "https://www.vimeo.com/", VIDEO_VIMEO, "0123456789" },
    { "https://player.vimeo.com/video/", VIDEO_VIMEO, "0123456789" },
};

/* Embed URL for a video link: a known site's link becomes its player's
 * address; other http(s) URLs are used as they are. */
static const char *video_embed(arena_t *a, const char *url)
{
    for (size_t i = 0; i < sizeof video_sites / sizeof *video_sites; i++) {
        const struct video_site *v = &video_sites[i];
        size_t k = strlen(v->prefix);
        if (strncmp(url, v->prefix, k) != 0)
            continue;
        size_t idn = strspn(url + k, v->id_chars);
        if (idn == 0 || idn > 32 || !strchr("&?#/", url[k + idn]))
            break;
        return arena_printf(a, v->player, (int)idn, url + k);
    }
    return url;
}

/* Absolute form of a link for metadata read off-site (og:image). */
static const char *absolute_url(arena_t *a, const char *base_url, const char *url)
{
    if (url[0] == '/' && url[1] != '/')
        return arena_printf(a, "%s%s", base_url ? base_url : "", url);
    return url;
}

static void json_field(buf_t *b, const char *key, const char *val, bool comma)
{
    buf_printf(b, "%s\"%s\":\"", comma ? "," : "", key);
    buf_json_escape(b, val ? val : "", val ? strlen(val) : 0);
    buf_putc(b, '"');
}

/* JSON-LD's image: an ImageObject with its size when it is known. */
static void article_jsonld_image(buf_t *b, arena_t *a, const store_article *ar,
                                 const char *base_url)
{
    const char *url = absolute_url(a, base_url, ar->image_url);
    if (ar->image_width <= 0 || ar->image_height <= 0) {
        json_field(b, "image", url, true);
        return;
    }
    buf_puts(b, ",\"image\":{\"@type\":\"ImageObject\"");
    json_field(b, "url", url, true);
    buf_printf(b, ",\"width\":%d,\"height\":%d}", ar->image_width, ar->image_height);
}

static const char *article_jsonld(arena_t *a, const store_article *ar, const char *title,
                                  const char *canonical, const view_settings *st,
                                  const char *base_url)
{
    buf_t b;
    buf_init(&b, a);
    buf_puts(&b, "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\"");
    json_field(&b, "headline", title, true);
    json_field(&b, "datePublished", date_iso8601(a, ar->published_at, st->tz_offset), true);
    json_field(&b, "dateModified", date_iso8601(a, view_article_mtime(ar), st->tz_offset), true);
    if (ar->lead && *ar->lead)
        json_field(&b, "description", ar->lead, true);
    if (text_url_is_safe_link(ar->image_url))
        article_jsonld_image(&b, a, ar, base_url);
    buf_puts(&b, ",\"author\":{\"@type\":\"Person\"");
    json_field(&b, "name", ar->author.id ? ar->author.name : st->site_name, true);
    if (ar->author.id && ar->author.slug)
        json_field(&b, "url", arena_printf(a, "%s/author/%s/", base_url, ar->author.slug), true);
    buf_puts(&b, "},\"publisher\":{\"@type\":\"Organization\"");
    json_field(&b, "name", st->site_name, true);
    json_field(&b, "url", arena_printf(a, "%s/", base_url), true);
    buf_puts(&b, "},\"mainEntityOfPage\":{\"@type\":\"WebPage\"");
    json_field(&b, "@id", canonical, true);
    buf_puts(&b, "},\"inLanguage\":\"ar\"}");
    return buf_cstr(&b);
}

static mu_value *tag_list(arena_t *a, const store_article *ar)
{
    mu_value *l = mu_list(a);
    for (size_t i = 0; i < ar->ntags; i++) {
        mu_value *t = mu_object(a);
        mu_set_str(t, "name", ar->tags[i].name);
        mu_set_str(t, "url", arena_printf(a, "/tag/%s/", ar->tags[i].slug));
        mu_push(l, t);
    }
    return l;
}

static void set_media(arena_t *a, mu_value *o, const store_article *ar, const char *base_url)
{
    /* a video report is badged even before its video_url is known */
    mu_set_bool(o, "has_video", ar->video || (ar->video_url && *ar->video_url));
    mu_set_bool(o, "video", false);
    if (ar->video_url && *ar->video_url) {
        if (text_url_is_http(ar->video_url)) {
            mu_value *v = mu_object(a);
            mu_set_str(v, "url", ar->video_url);
            mu_set_str(v, "embed", video_embed(a, ar->video_url));
            mu_set(o, "video", v);
        }
    }
    /* An image_url another program wrote straight into the database may be
     * anything: one that is not a safe link is no image. */
    mu_value *img = view_image_main(a, ar);
    if (mu_typeof(img) == MU_OBJECT) {
        mu_set_str(img, "abs_url", absolute_url(a, base_url, ar->image_url));
        view_set_opt(img, "caption", ar->image_caption);
    }
    mu_set(o, "image", img);
}

static int add_lists(hreq_t *rq, mu_value *o, const store_article *ar, const view_settings *st)
{
    struct store_article_list rel = {0}, lat = {0};
    int rc = store_article_related(rq->store, rq->arena, ar->id, rq->now, ARTICLE_RELATED, &rel);
    if (rc < 0 && rc != NS_ENOTFOUND)
        return rc;
    store_query q = { .exclude_id = ar->id, .now = rq->now, .limit = ARTICLE_LATEST };
    rc = store_article_list(rq->store, rq->arena, &q, &lat);
    if (rc < 0 && rc != NS_ENOTFOUND)
        return rc;
    mu_set_bool(o, "has_related", rel.n > 0);
    mu_set(o, "related", view_summary_list(rq->arena, &rel, st));
    mu_set(o, "latest", view_summary_list(rq->arena, &lat, st));
    return 0;
}

/* The breadcrumb trail: the article's category and its ancestors, outermost
 * first, as links for the page and as a schema.org BreadcrumbList for
 * search engines. The depth bound guards against a parent cycle. */
static void add_trail(hreq_t *rq, mu_value *o, const store_article *ar, const char *title,
                      const char *canonical)
{
    arena_t *a = rq->arena;
    store_category trail[CATEGORY_MAX_DEPTH];
    int n = 0;
    if (ar->category.id)
        trail[n++] = ar->category;
    while (n > 0 && n < CATEGORY_MAX_DEPTH && trail[n - 1].parent_id &&
           store_category_by_id(rq->store, a, trail[n - 1].parent_id, &trail[n]) == 0)
        n++;
    mu_value *l = mu_list(a);
    buf_t b;
    buf_init(&b, a);
    buf_puts(&b, "{\"@context\":\"https://schema.org\",\"@type\":\"BreadcrumbList\","
                 "\"itemListElement\":[");
    for (int i = n - 1, pos = 1; i >= -1; i--, pos++) {
        const char *name = i >= 0 ? trail[i].name : title;
        const char *url = i >= 0 ? arena_printf(a, "%s/category/%s/", rq->site->base_url, trail[i].slug)
                                 : canonical;
        if (i >= 0) {
            mu_value *c = mu_object(a);
            mu_set_str(c, "name", name);
            mu_set_str(c, "url", arena_printf(a, "/category/%s/", trail[i].slug));
            mu_push(l, c);
        }
        buf_printf(&b, "%s{\"@type\":\"ListItem\",\"position\":%d", pos > 1 ? "," : "", pos);
        json_field(&b, "name", name, true);
        json_field(&b, "item", url, true);
        buf_putc(&b, '}');
    }
    buf_puts(&b, "]}");
    mu_set(o, "trail", l);
    mu_set_str(o, "trail_jsonld", buf_cstr(&b));
}

static int build_article(hreq_t *rq, const store_article *ar, const view_settings *st,
                         const thread_form *form, mu_value **root_out, int64_t *modified,
                         bool *personal)
{
    arena_t *a = rq->arena;
    const char *title = view_display_title(a, ar->title);
    const char *body = NULL;
    int rc = view_article_body(a, ar, &body);
    if (rc < 0)
        return rc;
    const char *desc = ar->lead && *ar->lead ? text_excerpt(a, ar->lead, 160) : NULL;
    mu_value *root = view_root(rq, st, title, desc, ar->category.parent_id ? ar->category.parent_id : ar->category.id);
    mu_value *o = view_summary(a, ar, st);
    mu_set_str(o, "title", title);
    view_set_opt(o, "source", ar->source);
    mu_set_str(o, "body", body);
    mu_set_str(o, "slug", ar->slug);
    mu_set(o, "published", view_date(a, ar->published_at, st));
    mu_set(o, "updated", ar->updated_at > ar->published_at ? view_date(a, ar->updated_at, st)
                                                           : mu_bool(a, false));
    mu_set_bool(o, "has_tags", ar->ntags > 0);
    mu_set(o, "tags", tag_list(a, ar));
    set_media(a, o, ar, rq->site->base_url);
    const char *canonical = view_canonical(a, rq->site->base_url, rq->path);
    mu_set_str(o, "jsonld", article_jsonld(a, ar, title, canonical, st, rq->site->base_url));
    add_trail(rq, o, ar, title, canonical);
    *modified = view_article_mtime(ar);
    if ((rc = add_lists(rq, o, ar, st)) < 0 ||
        (rc = thread_add(rq, o, ar, st, form, modified, personal)) < 0)
        return rc;
    mu_set(root, "article", o);
    if (ar->comments_open)
        mu_set_str(root, "form_token", HRESP_TOKEN_SLOT);
    /* the form set to reply to one comment is the article again */
    mu_set_bool(root, "noindex", hreq_query(rq, "replytocom") != NULL);
    *root_out = root;
    return 0;
}

static int static_page(hreq_t *rq, hresp_t *rs, const char *slug, const view_settings *st)
{
    store_page pg;
    int rc = store_page_by_slug(rq->store, rq->arena, slug, &pg);
    if (rc < 0)
        return rc;
    const char *body = NULL;
    rc = view_body(rq->arena, pg.body_md, pg.body_format, &body);
    if (rc < 0)
        return rc;
    const char *plain = text_excerpt(rq->arena, text_strip_tags(rq->arena, body), 160);
    mu_value *root = view_root(rq, st, pg.title, plain, 0);
    mu_value *o = mu_object(rq->arena);
    mu_set_str(o, "title", pg.title);
    mu_set_str(o, "body", body);
    mu_set(o, "updated", pg.updated_at ? view_date(rq->arena, pg.updated_at, st)
                                       : mu_bool(rq->arena, false));
    mu_set(root, "static_page", o);
    if ((rc = view_render(rq, rs, "page", root)) < 0)
        return rc;
    rs->last_modified = pg.updated_at > pg.published_at ? pg.updated_at : pg.published_at;
    return 0;
}

int handler_article(hreq_t *rq, hresp_t *rs)
{
    if (rq->nparams < 1 || !rq->params[0] || !*rq->params[0])
        return NS_ENOTFOUND;
    const char *slug = rq->params[0];
    view_settings st;
    int rc = view_settings_load(rq, &st);
    if (rc < 0)
        return rc;
    store_article ar;
    rc = store_article_by_slug(rq->store, rq->arena, slug, rq->now, &ar);
    if (rc == NS_ENOTFOUND)
        return static_page(rq, rs, slug, &st);
    if (rc < 0)
        return rc;
    return article_page(rq, rs, &ar, &st, NULL);
}

int article_page(hreq_t *rq, hresp_t *rs, const store_article *ar, const view_settings *st,
                 const thread_form *form)
{
    mu_value *root;
    int64_t modified = 0;
    bool personal = false;
    int rc = build_article(rq, ar, st, form, &root, &modified, &personal);
    if (rc < 0 || (rc = view_render(rq, rs, "article", root)) < 0)
        return rc;
    rs->last_modified = modified;
    rs->form_token = ar->comments_open ? ar->id : 0;
    if (personal || form) {
        /* this reader's page: a notice, remembered details, a form refused */
        rs->cacheable = false;
        rs->cache_control = "private, no-cache";
    }
    return 0;
}
