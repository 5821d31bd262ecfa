/*
 * misc.c - the small non-page endpoints: robots.txt (points crawlers at the
 * sitemap index), /healthz (for load balancers and process supervisors: it
 * proves a worker can still reach the database, so it is never cached) and
 * the theme's static assets. Asset paths arrive from the URL, so they are
 * checked segment by segment before the theme is asked, and only known
 * file types are served, each with its proper Content-Type.
 */
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/text.h"
#include "handlers/handler.h"
#include "handlers/syndicate.h"

#define ASSET_MAX_AGE 86400
#define ASSET_MAX_PATH 256
#define ROBOTS_MAX_AGE 3600

int handler_robots(hreq_t *rq, hresp_t *rs)
{
    synd_body_reset(rq, rs);
    buf_printf(&rs->body, "User-agent: *\nAllow: /\nSitemap: %s/sitemap.xml\n",
               rq->site->base_url);
    rs->content_type = "text/plain; charset=utf-8";
    rs->cacheable = true;
    rs->max_age = ROBOTS_MAX_AGE;
    return 0;
}

/* "ok" and 200 while the database answers; "unavailable", the reason and
 * 503 when it does not (a load balancer then sends readers elsewhere).
 * Either way the statistics follow, one "name value" per line. */
int handler_healthz(hreq_t *rq, hresp_t *rs)
{
    const char *v = NULL;
    int rc;
    if (!rq->store) /* it could not be opened */
        rc = rq->store_rc ? rq->store_rc : NS_EINTERNAL;
    else if ((rc = store_setting_get(rq->store, rq->arena, "site_name", &v)) == NS_ENOTFOUND)
        rc = 0;
    if (rc == 0 && store_schema_version(rq->store) <= 0)
        rc = NS_EIO;
    synd_body_reset(rq, rs);
    if (rc == 0)
        buf_puts(&rs->body, "ok\ndatabase ok\n");
    else
        buf_printf(&rs->body, "unavailable\ndatabase %s\n",
                   rc == NS_EUNAVAIL ? "unreachable" : ns_strerror(rc));
    rs->status = rc == 0 ? 200 : 503;
    if (rq->stats)
        rq->stats(rq->stats_cls, &rs->body);
    rs->content_type = "text/plain; charset=utf-8";
    rs->cacheable = false;
    rs->max_age = 0;
    rs->expires_at = 0;
    return 0;
}

static const struct asset_type {
    const char *ext, *type;
} asset_types[] = {
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"txt", "text/plain; charset=utf-8"},
};

/* Content-Type for path's extension, NULL if it is not a servable type. */
static const char *asset_type_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof asset_types / sizeof *asset_types; i++)
        if (strcasecmp(dot + 1, asset_types[i].ext) == 0)
            return asset_types[i].type;
    return NULL;
}

/* A relative path of non-empty segments, none starting with '.' (no "..",
 * no hidden files), no backslashes, valid UTF-8, bounded length. */
static bool asset_path_safe(const char *path)
{
    size_t n = strlen(path);
    if (n == 0 || n > ASSET_MAX_PATH || !text_valid_utf8(path, n) || strchr(path, '\\'))
        return false;
    for (const char *seg = path;; seg++) {
        if (*seg == '/' || *seg == '.' || *seg == '\0')
            return false;
        seg = strchr(seg, '/');
        if (!seg)
            return true;
    }
}

int handler_asset(hreq_t *rq, hresp_t *rs)
{
    const char *path = rq->nparams > 0 ? rq->params[0] : NULL;
    const char *data = NULL, *type;
    size_t len = 0;
    if (!path || !asset_path_safe(path) || !(type = asset_type_of(path)))
        return NS_ENOTFOUND;
    int rc = theme_asset(rq->site->theme, path, &data, &len);
    if (rc < 0)
        return rc;
    synd_body_reset(rq, rs);
    buf_append(&rs->body, data, len);
    rs->content_type = type;
    rs->cacheable = true;
    rs->max_age = ASSET_MAX_AGE;
    rs->expires_at = 0;
    return 0;
}
