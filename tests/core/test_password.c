/*
 * test_password.c - password hashes (made, verified, refused for another
 * password, never matching an empty stored hash; rehash wanted for other
 * limits or garbage) and the policy (length in code points not bytes,
 * the login and the site's name refused whole or inside, after folding
 * case and marks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/password.h"

static void test_hash_verify(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("صباح الخير يا قدس", h), NS_OK);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_true(password_verify(h, "صباح الخير يا قدس"));
    assert_false(password_verify(h, "صباح الخير يا قدس "));
    assert_false(password_verify(h, ""));
    /* salted: the same password hashes differently each time */
    assert_int_equal(password_hash("صباح الخير يا قدس", h2), NS_OK);
    assert_string_not_equal(h, h2);
    assert_true(password_verify(h2, "صباح الخير يا قدس"));
    assert_false(password_verify(NULL, "x"));
    assert_false(password_verify("", ""));
    password_verify_nobody("anything at all");
}

static void test_needs_rehash(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_MAX], weak[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("correct horse battery", h), NS_OK);
    assert_false(password_needs_rehash(h));
    assert_int_equal(crypto_pwhash_str(weak, "x", 1, crypto_pwhash_OPSLIMIT_MIN,
                                       crypto_pwhash_MEMLIMIT_MIN), 0);
    assert_true(password_needs_rehash(weak));
    assert_true(password_verify(weak, "x"));
    assert_true(password_needs_rehash("not a hash"));
    assert_true(password_needs_rehash(NULL));
}

static void test_policy(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    assert_null(password_policy(a, "correct horse battery", "layla", "نشرة"));
    assert_non_null(password_policy(a, "short", "layla", "نشرة"));
    /* ten Arabic letters are twenty bytes but ten characters: enough */
    assert_null(password_policy(a, "أبجدهوزحطي", "layla", "نشرة"));
    assert_non_null(password_policy(a, "أبجدهوزحط", "layla", "نشرة"));
    /* the login, whole or inside, whatever the case */
    assert_non_null(password_policy(a, "editor-in-chief", "editor-in-chief", "نشرة"));
    assert_non_null(password_policy(a, "MyLaylaPassword", "layla", "نشرة"));
    /* the site's name, with harakat or a hamza seat that the name lacks */
    assert_non_null(password_policy(a, "نَشْرَةُ الأخبار اليوم", "layla", "نشرة"));
    assert_non_null(password_policy(a, "أخبار المدينة 2026", "layla", "اخبار المدينة"));
    /* a two-letter login is refused only as the whole password */
    assert_null(password_policy(a, "abcdefghijkl", "ab", NULL));
    const char *msg = password_policy(a, "abcdefghij", "abcdefghij", NULL);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "اسم الدخول"));
    assert_non_null(password_policy(a, "abc\xff" "defghijkl", "x", NULL));
    char *big = arena_alloc(a, PASSWORD_MAX_BYTES + 2);
    memset(big, 'q', PASSWORD_MAX_BYTES + 1);
    big[PASSWORD_MAX_BYTES + 1] = '\0';
    assert_non_null(password_policy(a, big, "x", NULL));
    big[PASSWORD_MAX_BYTES] = '\0';
    assert_null(password_policy(a, big, "x", NULL));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_verify),
        cmocka_unit_test(test_needs_rehash),
        cmocka_unit_test(test_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
