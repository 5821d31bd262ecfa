/*
 * theme.h - a site's theme: the default theme directory overlaid by an
 * optional site directory (any file there replaces the default's of the same
 * name). All *.mustache files are compiled once at load into one template
 * set, named by file name without extension ("article", "partials/header"
 * for partials/header.mustache); *.css and other files are kept in memory
 * as assets. A loaded theme is immutable and shared by all threads.
 */
#ifndef NS_RENDER_THEME_H
#define NS_RENDER_THEME_H

#include <stddef.h>
#include "core/buf.h"
#include "render/mustache.h"

typedef struct theme theme_t;

/* Load default_dir overlaid by override_dir (NULL or missing: none).
 * On failure returns an NS_E* code and sets *err (malloc'd, caller frees)
 * to a message naming the file and line. Caller owns *out (theme_free). */
int theme_load(const char *default_dir, const char *override_dir, theme_t **out, char **err);
void theme_free(theme_t *t);

/* Render template `name` with ctx, appending to out. See mu_render. */
int theme_render(const theme_t *t, const char *name, const mu_value *ctx, buf_t *out);

/* Asset (e.g. "style.css", "img/logo.svg") bytes, owned by the theme.
 * NS_ENOTFOUND if absent. `path` must not contain "..". */
int theme_asset(const theme_t *t, const char *path, const char **data, size_t *len);

#endif
