/*
 * view.c - shared view-model builders for the reader-facing pages.
 *
 * Every HTML page carries the same frame (site name, category navigation,
 * follow links, footer pages, inlined CSS and JS) and lists articles the
 * same way. Building those objects in one place keeps the templates' data
 * shape identical across pages and keeps each handler about its own
 * content. Settings are read once per request into a small struct; the CSS
 * and JS are the theme's own bytes (compiled once at start), never copied.
 */
#include "handlers/view.h"

#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/text.h"
#include "media/image.h"
#include "render/html.h"
#include "render/markdown.h"

#define VIEW_WATCH_MARKER "(شاهد)"

/* Follow links: settings key suffix, display name. RSS is added last. */
static const struct { const char *key, *name; } follow_sites[VIEW_NFOLLOW] = {
    { "follow_facebook", "فيسبوك" },
    { "follow_x", "إكس" },
    { "follow_youtube", "يوتيوب" },
    { "follow_telegram", "تيليجرام" },
    { "follow_instagram", "إنستغرام" },
    { "follow_whatsapp", "واتساب" },
};

int view_parse_int(const char *s, int lo, int hi, int def)
{
    if (!s || !*s)
        return def;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || v < lo || v > hi)
        return def;
    return (int)v;
}

/* The numeric settings: key, member, bounds and default (also for a
 * value out of bounds). */
static const struct {
    const char *key;
    size_t off;
    int lo, hi, def;
} int_settings[] = {
    { "timezone_offset", offsetof(view_settings, tz_offset), -14 * 3600, 14 * 3600, 0 },
    { "posts_per_page", offsetof(view_settings, posts_per_page), 1, 100, 10 },
    { "comment_max_links", offsetof(view_settings, comment_max_links), 0, 1000, 2 },
    { "comment_rate_limit", offsetof(view_settings, comment_rate_limit), 0, 100000, 5 },
    { "comment_min_seconds", offsetof(view_settings, comment_min_seconds), 0, 3600, 3 },
};
#define N_INT_SETTINGS (sizeof int_settings / sizeof *int_settings)

bool view_setting_bounds(const char *key, int *lo, int *hi)
{
    for (size_t i = 0; i < N_INT_SETTINGS; i++)
        if (strcmp(key, int_settings[i].key) == 0) {
            *lo = int_settings[i].lo;
            *hi = int_settings[i].hi;
            return true;
        }
    return false;
}

static void settings_defaults(view_settings *st)
{
    memset(st, 0, sizeof *st);
    st->site_name = "نشرة";
    st->site_description = "";
    st->comment_moderation = "new";
    st->comment_blocklist = "";
    for (size_t i = 0; i < N_INT_SETTINGS; i++)
        *(int *)((char *)st + int_settings[i].off) = int_settings[i].def;
}

/* One numeric setting: true if k is one. */
static bool settings_apply_int(view_settings *st, const char *k, const char *v)
{
    for (size_t i = 0; i < N_INT_SETTINGS; i++)
        if (strcmp(k, int_settings[i].key) == 0) {
            *(int *)((char *)st + int_settings[i].off) =
                view_parse_int(v, int_settings[i].lo, int_settings[i].hi, int_settings[i].def);
            return true;
        }
    return false;
}

/* Apply one key/value pair; unknown keys are ignored. */
static void settings_apply(view_settings *st, const char *k, const char *v)
{
    if (!v || settings_apply_int(st, k, v))
        return;
    if (strcmp(k, "site_name") == 0 && *v)
        st->site_name = v;
    else if (strcmp(k, "site_description") == 0)
        st->site_description = v;
    else if (strcmp(k, "show_hijri") == 0)
        st->show_hijri = view_parse_int(v, 0, 1, 0) == 1;
    else if (strcmp(k, "comment_moderation") == 0)
        st->comment_moderation = v;
    else if (strcmp(k, "comment_blocklist") == 0)
        st->comment_blocklist = v;
    else if (strcmp(k, "site_logo") == 0 || strcmp(k, "site_favicon") == 0)
        *(k[5] == 'l' ? &st->logo : &st->favicon) = text_url_is_safe_link(v) ? v : NULL;
    else
        for (int i = 0; i < VIEW_NFOLLOW; i++)
            if (strcmp(k, follow_sites[i].key) == 0)
                st->follow[i] = text_url_is_http(v) ? v : NULL;
}

int64_t view_article_mtime(const store_article *ar)
{
    return ar->updated_at > ar->published_at ? ar->updated_at : ar->published_at;
}

int view_settings_load(hreq_t *rq, view_settings *out)
{
    settings_defaults(out);
    store_setting *kv;
    size_t n;
    int rc = store_setting_list(rq->store, rq->arena, &kv, &n);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (kv[i].key)
            settings_apply(out, kv[i].key, kv[i].value);
    return 0;
}

char *view_canonical(arena_t *a, const char *base_url, const char *path)
{
    buf_t b;
    buf_init(&b, a);
    buf_puts(&b, base_url ? base_url : "");
    if (!path || path[0] != '/')
        buf_putc(&b, '/');
    if (path)
        buf_url_escape(&b, path, strlen(path));
    return (char *)buf_cstr(&b);
}

const char *view_display_title(arena_t *a, const char *title)
{
    if (!title)
        return "";
    size_t n = strlen(title), m = strlen(VIEW_WATCH_MARKER);
    if (n < m || memcmp(title + n - m, VIEW_WATCH_MARKER, m) != 0)
        return title;
    n -= m;
    while (n > 0 && (title[n - 1] == ' ' || title[n - 1] == '\t'))
        n--;
    return arena_strndup(a, title, n);
}

int view_body(arena_t *a, const char *source, body_format format, const char **html)
{
    const char *s = source ? source : "";
    char *out = NULL;
    int rc = format == BODY_HTML ? html_sanitize(a, s, strlen(s), &out) : markdown_render(a, s, strlen(s), &out);
    if (rc == 0)
        *html = out;
    return rc < 0 ? rc : 0;
}

int view_article_body(arena_t *a, const store_article *ar, const char **html)
{
    if (ar->body_html) {
        *html = ar->body_html;
        return 0;
    }
    return view_body(a, ar->body_md, ar->body_format, html);
}

mu_value *view_set_opt(mu_value *o, const char *key, const char *s)
{
    if (s && *s)
        return mu_set_str(o, key, s);
    return mu_set_bool(o, key, false);
}

mu_value *view_date(arena_t *a, int64_t t, const view_settings *st)
{
    mu_value *d = mu_object(a);
    mu_set_str(d, "iso", date_iso8601(a, t, st->tz_offset));
    mu_set_str(d, "text", date_ar_long(a, t, st->tz_offset));
    view_set_opt(d, "hijri", st->show_hijri ? date_hijri(a, t, st->tz_offset) : NULL);
    return d;
}

static int site_year(int64_t now, int tz)
{
    time_t t = (time_t)(now + tz);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return 1970;
    return tm.tm_year + 1900;
}

/* The lists of the frame (navigation, footer pages) are built by functions
 * that return a value, not a code: a failed read leaves them empty here,
 * and the store has noted the failure (store_deps.failed), so the request
 * layer serves the error page instead, and caches nothing of it. */
static mu_value *nav_list(hreq_t *rq, int64_t current)
{
    mu_value *l = mu_list(rq->arena);
    store_category *cats;
    size_t n;
    if (store_category_list(rq->store, rq->arena, &cats, &n) < 0)
        return l;
    for (size_t i = 0; i < n; i++) {
        if (cats[i].parent_id != 0 || !cats[i].slug)
            continue;
        mu_value *c = mu_object(rq->arena);
        mu_set_str(c, "name", cats[i].name);
        mu_set_str(c, "url", arena_printf(rq->arena, "/category/%s/", cats[i].slug));
        mu_set_bool(c, "current", cats[i].id == current);
        mu_push(l, c);
    }
    return l;
}

static mu_value *follow_list(arena_t *a, const view_settings *st)
{
    mu_value *l = mu_list(a);
    for (int i = 0; i < VIEW_NFOLLOW; i++) {
        if (!st->follow[i])
            continue;
        mu_value *f = mu_object(a);
        mu_set_str(f, "name", follow_sites[i].name);
        mu_set_str(f, "url", st->follow[i]);
        mu_push(l, f);
    }
    mu_value *rss = mu_object(a);
    mu_set_str(rss, "name", "RSS");
    mu_set_str(rss, "url", "/feed/");
    mu_push(l, rss);
    return l;
}

static mu_value *pages_list(hreq_t *rq)
{
    mu_value *l = mu_list(rq->arena);
    store_page *pg;
    size_t n;
    if (store_page_list(rq->store, rq->arena, &pg, &n) < 0)
        return l;
    for (size_t i = 0; i < n; i++) {
        if (!pg[i].slug)
            continue;
        mu_value *p = mu_object(rq->arena);
        mu_set_str(p, "title", pg[i].title);
        mu_set_str(p, "url", arena_printf(rq->arena, "/%s/", pg[i].slug));
        mu_push(l, p);
    }
    return l;
}

/* Theme asset as a raw string value, or NULL value when absent. */
static mu_value *asset_value(hreq_t *rq, const char *name)
{
    const char *data;
    size_t len;
    if (!rq->site->theme || theme_asset(rq->site->theme, name, &data, &len) < 0)
        return mu_null(rq->arena);
    return mu_strn(rq->arena, data, len);
}

static mu_value *site_object(hreq_t *rq, const view_settings *st, int64_t current_cat)
{
    arena_t *a = rq->arena;
    mu_value *s = mu_object(a);
    mu_set_str(s, "name", st->site_name);
    view_set_opt(s, "description", st->site_description);
    view_set_opt(s, "logo", st->logo);
    view_set_opt(s, "favicon", st->favicon);
    mu_set_str(s, "base_url", rq->site->base_url ? rq->site->base_url : "");
    mu_set_int(s, "year", site_year(rq->now, st->tz_offset));
    mu_set(s, "css", asset_value(rq, "style.css"));
    mu_set(s, "js", asset_value(rq, "site.js"));
    mu_set(s, "nav", nav_list(rq, current_cat));
    mu_set(s, "follow", follow_list(a, st));
    mu_set(s, "pages", pages_list(rq));
    return s;
}

mu_value *view_root(hreq_t *rq, const view_settings *st, const char *title,
                    const char *description, int64_t current_cat)
{
    arena_t *a = rq->arena;
    mu_value *page = mu_object(a);
    bool home = !title;
    mu_set_str(page, "title", home ? st->site_name
                                   : arena_printf(a, "%s – %s", title, st->site_name));
    const char *desc = description && *description ? description : st->site_description;
    if (!desc || !*desc)
        desc = st->site_name;
    mu_set_str(page, "description", desc);
    mu_set_str(page, "path", rq->path);
    mu_set_str(page, "canonical", view_canonical(a, rq->site->base_url, rq->path));
    mu_value *root = mu_object(a);
    mu_set(root, "site", site_object(rq, st, current_cat));
    mu_set(root, "page", page);
    return root;
}

static mu_value *link_object(arena_t *a, const char *name, const char *fmt, const char *slug)
{
    mu_value *o = mu_object(a);
    mu_set_str(o, "name", name);
    mu_set_str(o, "url", arena_printf(a, fmt, slug));
    return o;
}

/* The srcset of the variants (widths "320,640") of url in format ext,
 * into *list; the widest one's URL into *widest. */
static void image_srcset(arena_t *a, const char *url, const char *widths, const char *ext,
                         const char **list, const char **widest)
{
    buf_t b;
    buf_init(&b, a);
    size_t cap = strlen(url) + 32;
    for (const char *p = widths; *p;) {
        int w = atoi(p);
        char *name = arena_alloc(a, cap);
        if (w > 0 && image_variant_name(url, w, ext, name, cap) == NS_OK) {
            buf_printf(&b, "%s%s %dw", b.len ? ", " : "", name, w);
            *widest = name;
        }
        p += strcspn(p, ",");
        p += *p == ',';
    }
    *list = buf_cstr(&b);
}

mu_value *view_image(arena_t *a, const store_article *ar)
{
    if (!text_url_is_safe_link(ar->image_url)) /* else no image, whatever is stored */
        return mu_bool(a, false);
    mu_value *img = mu_object(a);
    bool sized = ar->image_width > 0 && ar->image_height > 0;
    mu_set_str(img, "url", ar->image_url);
    mu_set_str(img, "alt", ar->image_alt ? ar->image_alt : "");
    mu_set_int(img, "width", sized ? ar->image_width : 800);
    mu_set_int(img, "height", sized ? ar->image_height : 450);
    mu_set_bool(img, "sized", sized);
    mu_set_str(img, "sizes", "128px");
    mu_set_bool(img, "eager", false);
    mu_set_bool(img, "variants", false);
    /* variants exist only beside an original this site cleaned (its id) */
    if (ar->image_id && ar->image_variants && *ar->image_variants && ar->image_url[0] == '/') {
        mu_value *v = mu_object(a);
        const char *webp, *jpg, *src = ar->image_url, *unused;
        image_srcset(a, ar->image_url, ar->image_variants, "webp", &webp, &unused);
        image_srcset(a, ar->image_url, ar->image_variants, "jpg", &jpg, &src);
        mu_set_str(v, "webp", webp);
        mu_set_str(v, "jpg", jpg);
        mu_set_str(v, "src", src);
        mu_set(img, "variants", v);
    }
    return img;
}

mu_value *view_image_main(arena_t *a, const store_article *ar)
{
    mu_value *img = view_image(a, ar);
    if (mu_typeof(img) == MU_OBJECT) {
        mu_set_bool(img, "eager", true);
        mu_set_str(img, "sizes", "(max-width: 52rem) 100vw, 50rem");
    }
    return img;
}

mu_value *view_summary(arena_t *a, const store_article *ar, const view_settings *st)
{
    mu_value *o = mu_object(a);
    mu_set_str(o, "url", arena_printf(a, "/%s/", ar->slug ? ar->slug : ""));
    mu_set_str(o, "title", view_display_title(a, ar->title));
    view_set_opt(o, "kicker", ar->kicker);
    view_set_opt(o, "lead", ar->lead);
    mu_set_bool(o, "video", ar->video || (ar->video_url && *ar->video_url));
    mu_set(o, "image", view_image(a, ar));
    mu_set(o, "date", view_date(a, ar->published_at, st));
    mu_set_int(o, "comment_count", ar->comment_count);
    mu_set_bool(o, "has_comments", ar->comment_count > 0);
    mu_set(o, "category", ar->category.id && ar->category.slug
        ? link_object(a, ar->category.name, "/category/%s/", ar->category.slug) : mu_bool(a, false));
    mu_set(o, "author", ar->author.id && ar->author.slug
        ? link_object(a, ar->author.name, "/author/%s/", ar->author.slug) : mu_bool(a, false));
    return o;
}

mu_value *view_summary_list(arena_t *a, const struct store_article_list *l, const view_settings *st)
{
    mu_value *list = mu_list(a);
    for (size_t i = 0; i < l->n; i++)
        mu_push(list, view_summary(a, &l->items[i], st));
    return list;
}

char *view_page_path(arena_t *a, const char *base, int n)
{
    if (n <= 1)
        return arena_strdup(a, base);
    return arena_printf(a, "%spage/%d/", base, n);
}

mu_value *view_pagination(arena_t *a, const char *base, int page, int64_t total, int per_page)
{
    if (per_page < 1)
        per_page = 1;
    int64_t pages = total <= 0 ? 1 : (total + per_page - 1) / per_page;
    if (pages <= 1)
        return NULL;
    mu_value *p = mu_object(a);
    mu_set_int(p, "current", page);
    mu_set_int(p, "pages", pages);
    view_set_opt(p, "prev", page > 1 ? view_page_path(a, base, page - 1) : NULL);
    view_set_opt(p, "next", page < pages ? view_page_path(a, base, page + 1) : NULL);
    return p;
}

int view_paged_list(hreq_t *rq, const view_settings *st, store_query *q, const char *base,
                    mu_value *o, struct store_article_list *out, int64_t *newest)
{
    int page = rq->page < 1 ? 1 : rq->page;
    int64_t total = 0;
    int rc = store_article_count(rq->store, q, &total);
    if (rc < 0)
        return rc;
    int per = st->posts_per_page;
    if (page > 1 && (int64_t)(page - 1) * per >= total)
        return NS_ENOTFOUND;
    q->limit = per;
    q->offset = (page - 1) * per;
    out->items = NULL;
    out->n = 0;
    if (total > 0 && (rc = store_article_list(rq->store, rq->arena, q, out)) < 0 && rc != NS_ENOTFOUND)
        return rc;
    for (size_t i = 0; i < out->n; i++) {
        const store_article *ar = &out->items[i];
        int64_t t = view_article_mtime(ar);
        if (t > *newest)
            *newest = t;
    }
    mu_value *pg = view_pagination(rq->arena, base, page, total, per);
    mu_set(o, "pagination", pg ? pg : mu_bool(rq->arena, false));
    return 0;
}

int view_render(hreq_t *rq, hresp_t *rs, const char *name, const mu_value *ctx)
{
    buf_init(&rs->body, rq->arena);
    int rc = theme_render(rq->site->theme, name, ctx, &rs->body);
    if (rc < 0)
        return rc;
    rs->status = 200;
    rs->content_type = "text/html; charset=utf-8";
    rs->cacheable = true;
    rs->max_age = 0;
    int64_t next = 0;
    if ((rc = store_next_publish(rq->store, rq->now, &next)) < 0)
        return rc; /* without it, the page could outlive a scheduled publication */
    rs->expires_at = next;
    return 0;
}
