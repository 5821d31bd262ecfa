/*
 * test_site.c - where a site's database is: --db wins over DIR/nashra.conf,
 * which wins over DIR/nashra.db; the file is refused with its line number
 * when a line is malformed, too long, names an unknown setting or an empty
 * or non-UTF-8 value; comments and blank lines are ignored; a written file
 * is readable by its owner only and is never replaced.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "test_util.h"

typedef struct {
    char dir[64];
    char conf[128];
    char db[4096];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f || !test_util_tmpdir(f->dir, sizeof f->dir, "site"))
        return -1;
    snprintf(f->conf, sizeof f->conf, "%s/" CLI_SITE_CONF, f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    unlink(f->conf);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void write_conf(fx *f, const char *text)
{
    FILE *fp = fopen(f->conf, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_default_is_the_sqlite_file(void **state)
{
    fx *f = *state;
    char want[128];
    snprintf(want, sizeof want, "%s/nashra.db", f->dir);
    assert_int_equal(cli_site_db(f->dir, NULL, f->db, sizeof f->db), 0);
    assert_string_equal(f->db, want);
}

static void test_conf_then_option(void **state)
{
    fx *f = *state;
    write_conf(f, "# the site's database\n\n  database =  postgresql://u@h/db  \n");
    assert_int_equal(cli_site_db(f->dir, NULL, f->db, sizeof f->db), 0);
    assert_string_equal(f->db, "postgresql://u@h/db");
    assert_int_equal(cli_site_db(f->dir, "postgresql://other/db", f->db, sizeof f->db), 0);
    assert_string_equal(f->db, "postgresql://other/db");
}

static void test_bad_files_refused(void **state)
{
    fx *f = *state;
    static const char *const bad[] = {
        "database\n",                        /* no '=' */
        "databse = x\n",                     /* unknown setting */
        "database =   \n",                   /* empty value */
        "database = \xff\xfe\n",             /* not UTF-8 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_conf(f, bad[i]);
        assert_int_equal(cli_site_db(f->dir, NULL, f->db, sizeof f->db), EXIT_FAIL);
    }
    char *lng = malloc(10000);
    assert_non_null(lng);
    memset(lng, 'a', 9999);
    lng[9999] = '\0';
    memcpy(lng, "database = ", 11);
    write_conf(f, lng);
    free(lng);
    assert_int_equal(cli_site_db(f->dir, NULL, f->db, sizeof f->db), EXIT_FAIL);
    assert_int_equal(cli_site_db(f->dir, "", f->db, sizeof f->db), EXIT_USAGE);
}

static void test_written_conf_private_and_kept(void **state)
{
    fx *f = *state;
    assert_int_equal(cli_site_write_conf(f->dir, "postgresql://u:pw@h/db"), 0);
    struct stat st;
    assert_int_equal(stat(f->conf, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(cli_site_db(f->dir, NULL, f->db, sizeof f->db), 0);
    assert_string_equal(f->db, "postgresql://u:pw@h/db");
    assert_int_equal(cli_site_write_conf(f->dir, "postgresql://x/y"), EXIT_FAIL);
    assert_int_equal(cli_site_db(f->dir, NULL, f->db, sizeof f->db), 0);
    assert_string_equal(f->db, "postgresql://u:pw@h/db");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_is_the_sqlite_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conf_then_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_written_conf_private_and_kept, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
