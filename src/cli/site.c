/*
 * site.c - where a site's database is (cli.h): the --db option, else the
 * `database` entry of DIR/nashra.conf, else the SQLite file DIR/nashra.db.
 * The file is read as hostile input: a line too long, an unknown key or a
 * malformed line is refused with its line number, never half-understood.
 */
#include "cli/cli.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/text.h"

/* Strip spaces and tabs from both ends of s in place; returns s. */
static char *site_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* One line of the file: "" (blank or comment), or key = value. */
static int site_conf_line(const char *conf, int lineno, char *line, char *db, size_t size,
                          bool *found)
{
    char *t = site_trim(line);
    if (!*t || *t == '#')
        return 0;
    char *eq = strchr(t, '=');
    if (!eq)
        return cli_fail(EXIT_FAIL, "%s:%d: expected KEY = VALUE", conf, lineno);
    *eq = '\0';
    char *key = site_trim(t), *value = site_trim(eq + 1);
    if (strcmp(key, "database") != 0)
        return cli_fail(EXIT_FAIL, "%s:%d: unknown setting \"%.40s\" (known: database)", conf,
                        lineno, key);
    if (!*value || !text_wellformed_utf8(value, strlen(value)) || strlen(value) >= size)
        return cli_fail(EXIT_FAIL, "%s:%d: database: expected a postgresql:// URL or a file path",
                        conf, lineno);
    snprintf(db, size, "%s", value);
    *found = true;
    return 0;
}

int cli_site_db(const char *dir, const char *override, char *db, size_t size)
{
    if (override) {
        if (!*override || strlen(override) >= size)
            return cli_fail(EXIT_USAGE, "bad --db value: expected a postgresql:// URL or a file path");
        snprintf(db, size, "%s", override);
        return 0;
    }
    char conf[4096];
    if ((size_t)snprintf(conf, sizeof conf, "%s/" CLI_SITE_CONF, dir) >= sizeof conf ||
        (size_t)snprintf(db, size, "%s/nashra.db", dir) >= size)
        return cli_fail(EXIT_FAIL, "path too long: %s", dir);
    FILE *f = fopen(conf, "r");
    if (!f)
        return errno == ENOENT ? 0 : cli_fail(EXIT_FAIL, "cannot read %s: %s", conf, strerror(errno));
    char line[4096];
    bool found = false;
    int rc = 0, lineno = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f))
            rc = cli_fail(EXIT_FAIL, "%s:%d: line too long", conf, lineno);
        else
            rc = site_conf_line(conf, lineno, line, db, size, &found);
    }
    fclose(f);
    return rc;
}

int cli_site_write_conf(const char *dir, const char *db)
{
    char conf[4096];
    if ((size_t)snprintf(conf, sizeof conf, "%s/" CLI_SITE_CONF, dir) >= sizeof conf)
        return cli_fail(EXIT_FAIL, "path too long: %s", dir);
    /* it may hold a password: readable by its owner only */
    int fd = open(conf, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return cli_fail(EXIT_FAIL, "cannot create %s: %s", conf,
                        errno == EEXIST ? "it already exists" : strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return cli_fail(EXIT_FAIL, "cannot write %s: %s", conf, strerror(errno));
    }
    fprintf(f, "# nashra site settings (nashra serve --db overrides this)\ndatabase = %s\n", db);
    return fclose(f) == 0 ? 0 : cli_fail(EXIT_FAIL, "cannot write %s: %s", conf, strerror(errno));
}

int cli_site_secret(store_t *s, secret_key *out)
{
    char hex[SECRET_HEX_SIZE];
    secret_new_hex(hex);
    int rc = store_setting_ensure(s, CLI_SECRET_SETTING, hex);
    arena_t *a = arena_new(0);
    const char *v = NULL;
    if (rc == NS_OK)
        rc = store_setting_get(s, a, CLI_SECRET_SETTING, &v);
    if (rc == NS_OK)
        rc = secret_from_hex(v, out);
    arena_free(a);
    return rc;
}

int cli_site_open(const char *dir, store_t **s)
{
    char db[PATH_MAX];
    int rc = cli_site_db(dir, NULL, db, sizeof db);
    if (rc)
        return rc;
    rc = store_open(db, 0, s);
    return rc == NS_OK ? 0 : cli_store_fail(db, rc);
}
