/*
 * clean_check.h - the test suites' own reading of what a sanitised body may
 * hold, written apart from render/allow.c so that a mistake in the
 * allowlist is not also in its check: every '<' starts an allowed tag, each
 * attribute is one its element may carry, double-quoted, and every URL has
 * a safe scheme. Header-only (static) so each suite stays one source file.
 */
#ifndef NS_TESTS_CLEAN_CHECK_H
#define NS_TESTS_CLEAN_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Attributes each allowed element may carry ("" = none); imported: also
 * what only imported HTML keeps (figures, tables, image sizes). */
static __attribute__((unused)) const char *clean_check_attrs(const char *tag, size_t n, bool imported)
{
    static const struct { const char *tag, *attrs; bool imported; } allow[] = {
        {"p", "", 0}, {"h2", "", 0}, {"h3", "", 0}, {"h4", "", 0}, {"blockquote", "", 0},
        {"ul", "", 0}, {"ol", " start ", 0}, {"li", "", 0}, {"em", "", 0}, {"strong", "", 0},
        {"code", "", 0}, {"pre", "", 0}, {"a", " href rel ", 0}, {"img", " src alt loading ", 0},
        {"br", "", 0}, {"hr", "", 0},
        {"img", " src alt width height loading ", 1}, {"figure", "", 1}, {"figcaption", "", 1},
        {"table", "", 1}, {"thead", "", 1}, {"tbody", "", 1}, {"tr", "", 1},
        {"th", " colspan rowspan ", 1}, {"td", " colspan rowspan ", 1},
    };
    for (size_t i = sizeof allow / sizeof allow[0]; i-- > 0;)
        if ((imported || !allow[i].imported) && strlen(allow[i].tag) == n &&
            strncmp(allow[i].tag, tag, n) == 0)
            return allow[i].attrs;
    return NULL;
}

static __attribute__((unused)) bool clean_check_url(const char *v, size_t n)
{
    static const char *const bad[] = {"javascript:", "data:", "vbscript:", "file:", NULL};
    for (int i = 0; bad[i]; i++)
        if (n >= strlen(bad[i]) && strncasecmp(v, bad[i], strlen(bad[i])) == 0)
            return false;
    /* a scheme as browsers read one: a letter, then letters, digits, + - . */
    size_t k = n && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", v[0]) ? 1 : 0;
    while (k && k < n && v[k] && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.", v[k]))
        k++;
    if (k == 0 || k >= n || v[k] != ':')
        return true; /* relative */
    return (k == 4 && strncasecmp(v, "http", 4) == 0) || (k == 5 && strncasecmp(v, "https", 5) == 0) ||
           (k == 6 && strncasecmp(v, "mailto", 6) == 0);
}

/* Parse one tag's attributes at p (after the name); false if any is not allowed. */
static __attribute__((unused)) bool clean_check_tag_attrs(const char **pp, const char *allowed)
{
    const char *p = *pp;
    while (*p == ' ') {
        p++;
        size_t n = strcspn(p, "=");
        char name[32];
        if (n == 0 || n >= sizeof name || p[n] != '=' || p[n + 1] != '"')
            return false;
        snprintf(name, sizeof name, " %.*s ", (int)n, p);
        if (!strstr(allowed, name))
            return false;
        const char *v = p + n + 2, *end = strchr(v, '"');
        if (!end || memchr(v, '<', (size_t)(end - v)))
            return false;
        if ((strcmp(name, " href ") == 0 || strcmp(name, " src ") == 0) &&
            !clean_check_url(v, (size_t)(end - v)))
            return false;
        p = end + 1;
    }
    *pp = p;
    return *p == '>';
}

static bool clean_check_verbose __attribute__((unused)) = true;

/* Every '<' in html starts an allowlisted tag with allowlisted attributes. */
static __attribute__((unused)) bool clean_check(const char *html, bool imported)
{
    for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
        const char *name = p + 1 + (p[1] == '/');
        size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
        const char *allowed = clean_check_attrs(name, n, imported);
        const char *q = name + n;
        if (!allowed || !clean_check_tag_attrs(&q, allowed)) {
            if (clean_check_verbose)
                fprintf(stderr, "bad tag at: %.40s\n", p);
            return false;
        }
    }
    return true;
}

/* A random soup of atoms into buf (size bytes, at least 64), from *seed
 * (advanced): the same seed gives the same soup. Returns its length. */
static __attribute__((unused)) size_t clean_check_soup(char *buf, size_t size, const char *const *atoms, size_t natoms,
                               unsigned *seed)
{
    size_t len = 0;
    while (len < size - 32) {
        *seed = *seed * 1103515245u + 12345u;
        const char *atom = atoms[(*seed >> 16) % natoms];
        size_t n = strlen(atom) < 31 ? strlen(atom) : 31;
        memcpy(buf + len, atom, n);
        len += n;
        if ((*seed >> 8) % 97 == 0)
            break;
    }
    buf[len] = '\0';
    return len;
}

#endif
