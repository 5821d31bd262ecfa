/*
 * user.c - `nashra user DIR add|passwd|list`: accounts made and changed
 * from the command line, through the same write path and password policy
 * as the newsroom's users page.
 *
 * A password is never an argument (it would stay in the shell's history
 * and in every process listing): it is read from the terminal with echo
 * off, twice so a typing slip does not lock the user out, or as the first
 * line of stdin when a script pipes it in.
 */
#include "cli/user.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/password.h"
#include "core/text.h"
#include "handlers/admin.h"
#include "store/store.h"

#define USER_LINE_MAX (PASSWORD_MAX_BYTES + 2)
#define USER_SLUG_MAX 100

/* One line from f into buf without its line ending: 0, or -1 at end of
 * input or for a line longer than the buffer. */
static int user_line(FILE *f, char *buf, size_t size)
{
    if (!fgets(buf, (int)size, f))
        return -1;
    size_t n = strcspn(buf, "\r\n");
    if (buf[n] == '\0' && n == size - 1)
        return -1; /* longer than any password */
    buf[n] = '\0';
    return 0;
}

/* Ask prompt on the terminal and read the answer with echo off. */
static int user_ask(const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    fputs(prompt, stderr);
    fflush(stderr);
    bool echo_off = tcgetattr(STDIN_FILENO, &old) == 0;
    if (echo_off) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    int rc = user_line(stdin, buf, size);
    if (echo_off)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return rc;
}

/* The new password into buf (checked against the policy for login on
 * the site s): 0 or an exit status after saying what is wrong. */
static int user_password(store_t *s, arena_t *a, const char *login, char *buf, size_t size)
{
    if (isatty(STDIN_FILENO)) {
        char again[USER_LINE_MAX];
        if (user_ask("كلمة المرور: ", buf, size) || user_ask("أعد كتابتها: ", again, sizeof again))
            return cli_fail(EXIT_FAIL, "no password read");
        if (strcmp(buf, again) != 0)
            return cli_fail(EXIT_FAIL, "the two passwords differ");
    } else if (user_line(stdin, buf, size)) {
        return cli_fail(EXIT_FAIL, "no password on stdin (one line, at most %d bytes)",
                        PASSWORD_MAX_BYTES);
    }
    const char *site = NULL;
    int rc = store_setting_get(s, a, "site_name", &site);
    if (rc != NS_OK && rc != NS_ENOTFOUND)
        return cli_fail(EXIT_FAIL, "cannot read the site's name: %s", ns_strerror(rc));
    const char *why = password_policy(a, buf, login, site && *site ? site : "نشرة");
    return why ? cli_fail(EXIT_FAIL, "%s", why) : 0;
}

/* ---- add ---- */

/* The options of add (--role, --email, --display-name) and its NAME. */
static int user_add_args(int argc, char **argv, admin_new_user *w)
{
    for (int i = 3; i < argc; i++) {
        const char *o = argv[i];
        if (strncmp(o, "--", 2) != 0) {
            if (w->user.login)
                return cli_fail(EXIT_USAGE, "too many arguments (usage: " CLI_USER_USAGE ")");
            w->user.login = o;
            continue;
        }
        if (i + 1 == argc)
            return cli_fail(EXIT_USAGE, "missing value of %s", o);
        const char *v = argv[++i];
        if (strcmp(o, "--role") == 0 && (w->user.role = store_user_role_parse(v)) == ROLE_NONE)
            return cli_fail(EXIT_USAGE, "bad --role value: expected admin, editor, author or contributor");
        else if (strcmp(o, "--email") == 0)
            w->author.email = v;
        else if (strcmp(o, "--display-name") == 0)
            w->author.name = v;
        else if (strcmp(o, "--role") != 0)
            return cli_fail(EXIT_USAGE, "unknown option %s (usage: " CLI_USER_USAGE ")", o);
    }
    if (!w->user.login || w->user.role == ROLE_NONE)
        return cli_fail(EXIT_USAGE, "missing %s (usage: " CLI_USER_USAGE ")",
                        w->user.login ? "--role" : "NAME");
    return 0;
}

static int user_add(store_t *s, arena_t *a, int argc, char **argv)
{
    admin_new_user w = {0};
    int rc = user_add_args(argc, argv, &w);
    if (rc)
        return rc;
    const char *login = w.user.login;
    if (!text_wellformed_utf8(login, strlen(login)) || strlen(login) > 200 || strpbrk(login, " \t/"))
        return cli_fail(EXIT_USAGE, "bad NAME: expected a word of UTF-8 text without spaces or '/'");
    char pw[USER_LINE_MAX], hash[PASSWORD_HASH_MAX];
    if ((rc = user_password(s, a, login, pw, sizeof pw)))
        return rc;
    if (password_hash(pw, hash) != NS_OK)
        return cli_fail(EXIT_FAIL, "cannot hash the password (out of memory?)");
    w.author.slug = text_slugify(a, login, USER_SLUG_MAX);
    if (!w.author.slug || !*w.author.slug)
        w.author.slug = arena_printf(a, "user-%lld", (long long)time(NULL));
    if (!w.author.name)
        w.author.name = login;
    w.user.pass_hash = hash;
    w.user.created_at = time(NULL);
    rc = admin_user_add(s, &w);
    if (rc == NS_EEXIST)
        return cli_fail(EXIT_FAIL, "a user %s, or an author with the address /author/%s/, exists already",
                        login, w.author.slug);
    if (rc != NS_OK)
        return cli_fail(EXIT_FAIL, "cannot add %s: %s", login, ns_strerror(rc));
    printf("added %s (%s)\n", login, store_user_role_name(w.user.role));
    return 0;
}

/* ---- passwd ---- */

static int user_passwd_run(store_t *s, void *arg)
{
    const store_user *u = arg;
    int rc = store_user_update(s, u);
    return rc == NS_OK ? store_session_delete_user(s, u->id, NULL) : rc;
}

static int user_passwd(store_t *s, arena_t *a, int argc, char **argv)
{
    if (argc != 4)
        return cli_fail(EXIT_USAGE, "usage: nashra user DIR passwd NAME");
    store_user u;
    int rc = store_user_by_login(s, a, argv[3], &u);
    if (rc == NS_ENOTFOUND)
        return cli_fail(EXIT_FAIL, "no user %s", argv[3]);
    if (rc != NS_OK)
        return cli_fail(EXIT_FAIL, "cannot read user %s: %s", argv[3], ns_strerror(rc));
    char pw[USER_LINE_MAX], *hash = arena_alloc(a, PASSWORD_HASH_MAX);
    if ((rc = user_password(s, a, u.login, pw, sizeof pw)))
        return rc;
    if (password_hash(pw, hash) != NS_OK)
        return cli_fail(EXIT_FAIL, "cannot hash the password (out of memory?)");
    u.pass_hash = hash;
    if ((rc = store_write(s, user_passwd_run, &u)) != NS_OK)
        return cli_fail(EXIT_FAIL, "cannot change the password of %s: %s", u.login, ns_strerror(rc));
    printf("password of %s changed; every session of %s ended\n", u.login, u.login);
    return 0;
}

/* ---- list ---- */

static int user_list(store_t *s, arena_t *a, int argc)
{
    if (argc != 3)
        return cli_fail(EXIT_USAGE, "usage: nashra user DIR list");
    store_user *v;
    size_t n;
    int rc = store_user_list(s, a, &v, &n);
    if (rc != NS_OK)
        return cli_fail(EXIT_FAIL, "cannot list users: %s", ns_strerror(rc));
    for (size_t i = 0; i < n; i++) {
        char day[16] = "-";
        time_t t = (time_t)v[i].created_at;
        struct tm tm;
        if (t > 0 && gmtime_r(&t, &tm))
            strftime(day, sizeof day, "%Y-%m-%d", &tm);
        printf("%s\t%s\t%s\t%s\t%s\n", v[i].login, store_user_role_name(v[i].role),
               v[i].disabled ? "disabled" : "active", day,
               v[i].author.name ? v[i].author.name : "");
    }
    return 0;
}

int cli_user(int argc, char **argv)
{
    if (argc < 3)
        return cli_fail(EXIT_USAGE, "usage: " CLI_USER_USAGE);
    store_t *s;
    int rc = cli_site_open(argv[1], &s);
    if (rc)
        return rc;
    arena_t *a = arena_new(0);
    const char *verb = argv[2];
    if (strcmp(verb, "add") == 0)
        rc = user_add(s, a, argc, argv);
    else if (strcmp(verb, "passwd") == 0)
        rc = user_passwd(s, a, argc, argv);
    else if (strcmp(verb, "list") == 0)
        rc = user_list(s, a, argc);
    else
        rc = cli_fail(EXIT_USAGE, "unknown user command %s (usage: " CLI_USER_USAGE ")", verb);
    arena_free(a);
    store_close(s);
    return rc;
}
