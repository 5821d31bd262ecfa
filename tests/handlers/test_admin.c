/*
 * test_admin.c - what the newsroom's frame decides without a store: which
 * role has each capability (each role has all a lower one has), and the
 * form tokens (the user's own pass, at most a day old; another user's,
 * a comment form's or an altered one do not).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/secret.h"
#include "handlers/admin.h"

#define NOW 1764000000LL

static void test_capabilities(void **state)
{
    (void)state;
    /* the lowest role with each capability */
    static const user_role lowest[CAP_COUNT] = {
        [CAP_WRITE] = ROLE_CONTRIBUTOR, [CAP_PUBLISH] = ROLE_AUTHOR, [CAP_UPLOAD] = ROLE_AUTHOR,
        [CAP_EDIT_OTHERS] = ROLE_EDITOR, [CAP_MODERATE] = ROLE_EDITOR, [CAP_CATEGORIES] = ROLE_EDITOR,
        [CAP_SETTINGS] = ROLE_ADMIN, [CAP_USERS] = ROLE_ADMIN,
    };
    for (int c = 0; c < CAP_COUNT; c++) {
        assert_false(admin_can(ROLE_NONE, (admin_cap)c));
        for (int r = ROLE_CONTRIBUTOR; r <= ROLE_ADMIN; r++)
            assert_int_equal(admin_can((user_role)r, (admin_cap)c), r >= (int)lowest[c]);
    }
    assert_false(admin_can(ROLE_ADMIN, CAP_COUNT));
    assert_false(admin_can((user_role)(ROLE_ADMIN + 1), CAP_WRITE));
}

typedef struct fixture {
    arena_t *a;
    secret_key key;
    site_config site;
    hreq_param form[1];
    hreq_t rq;
} fixture;

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->a = arena_new(0);
    assert_int_equal(secret_from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                                     &f->key), NS_OK);
    f->site.secret = &f->key;
    f->rq = (hreq_t){.arena = f->a, .site = &f->site, .method = "POST", .now = NOW,
                     .form = f->form, .nform = 1};
    f->form[0].name = ADMIN_CSRF_FIELD;
}

/* Whether token t passes for user at time now. */
static bool passes(fixture *f, const char *t, int64_t user, int64_t now)
{
    f->form[0].value = t;
    f->rq.now = now;
    return admin_csrf_check(&f->rq, user);
}

static void test_csrf(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    const char *mine = admin_csrf_token(&f.rq, 7), *nobody = admin_csrf_token(&f.rq, 0);
    assert_true(passes(&f, mine, 7, NOW));
    assert_true(passes(&f, mine, 7, NOW + 24 * 3600));
    assert_false(passes(&f, mine, 7, NOW + 24 * 3600 + 1));   /* more than a day old */
    assert_false(passes(&f, mine, 7, NOW - 3600));            /* from the future */
    assert_false(passes(&f, mine, 8, NOW));                   /* another user's */
    assert_false(passes(&f, mine, 0, NOW));
    assert_true(passes(&f, nobody, 0, NOW));                  /* the sign-in form's */
    assert_false(passes(&f, nobody, 7, NOW));
    /* a comment form's token for article 7 is not user 7's */
    char comment[SECRET_TOKEN_MAX];
    secret_token(&f.key, 7, NOW, comment);
    assert_false(passes(&f, comment, 7, NOW));
    char *altered = arena_strdup(f.a, mine);
    altered[strlen(altered) - 1] ^= 1;
    assert_false(passes(&f, altered, 7, NOW));
    assert_false(passes(&f, "", 7, NOW));
    f.rq.nform = 0;
    assert_false(admin_csrf_check(&f.rq, 7));
    arena_free(f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capabilities),
        cmocka_unit_test(test_csrf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
