/*
 * test_secret.c - the site key's uses: signed form tokens (made, checked,
 * and refused when altered in any part, made with another key or for
 * another article, cut short, padded or malformed), keys as hex (made at
 * random, read back, malformed ones refused) and keyed hashes (stable
 * under one key, different under another key or in another domain).
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

#include "core/err.h"
#include "core/secret.h"

#define ISSUED 1764000000LL
#define SCOPE 42

static const char key_hex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char other_hex[] = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static secret_key key_of(const char *hex)
{
    secret_key k;
    assert_int_equal(secret_from_hex(hex, &k), NS_OK);
    return k;
}

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef", s[i]) || !s[i])
            return false;
    return true;
}

/* text is refused for SCOPE under k. */
static void assert_refused_(const secret_key *k, const char *text, int line)
{
    int64_t issued;
    int rc = secret_token_check(k, text, SCOPE, &issued);
    if (rc != NS_EINVAL)
        fail_msg("line %d: \"%.120s\" gave %d, expected NS_EINVAL", line, text ? text : "(null)", rc);
}
#define assert_refused(k, text) assert_refused_(k, text, __LINE__)

static void test_token_round_trip(void **state)
{
    (void)state;
    secret_key k = key_of(key_hex);
    char tok[SECRET_TOKEN_MAX];
    size_t n = secret_token(&k, SCOPE, ISSUED, tok);
    assert_int_equal(n, strlen(tok));
    /* SCOPE.ISSUED.MAC, the MAC in URL-safe base64 without padding */
    assert_int_equal(strncmp(tok, "42.1764000000.", 14), 0);
    assert_int_equal(strlen(tok + 14), 43);
    for (const char *p = tok + 14; *p; p++)
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    int64_t issued = 0;
    assert_int_equal(secret_token_check(&k, tok, SCOPE, &issued), NS_OK);
    assert_int_equal(issued, ISSUED);
    /* a token may be checked again: nothing is used up */
    issued = 0;
    assert_int_equal(secret_token_check(&k, tok, SCOPE, &issued), NS_OK);
    assert_int_equal(issued, ISSUED);
    /* the same key, scope and time make the same text; another time another */
    char again[SECRET_TOKEN_MAX], later[SECRET_TOKEN_MAX];
    secret_token(&k, SCOPE, ISSUED, again);
    secret_token(&k, SCOPE, ISSUED + 1, later);
    assert_string_equal(tok, again);
    assert_string_not_equal(tok + 14, later + 14);
}

/* The widest scope and time still fit, and are read back whole. */
static void test_token_extremes(void **state)
{
    (void)state;
    secret_key k = key_of(key_hex);
    char tok[SECRET_TOKEN_MAX];
    size_t n = secret_token(&k, INT64_MAX, INT64_MAX, tok);
    assert_true(n < SECRET_TOKEN_MAX);
    assert_int_equal(n, strlen(tok));
    int64_t issued = 0;
    assert_int_equal(secret_token_check(&k, tok, INT64_MAX, &issued), NS_OK);
    assert_int_equal(issued, INT64_MAX);
    n = secret_token(&k, INT64_MIN, INT64_MAX, tok);
    assert_true(n < SECRET_TOKEN_MAX);
    assert_int_equal(secret_token_check(&k, tok, INT64_MIN, &issued), NS_OK);
}

/* Changing any one character of a token, MAC, time or scope, makes it
 * a token this key never made. */
static void test_token_altered(void **state)
{
    (void)state;
    secret_key k = key_of(key_hex);
    char tok[SECRET_TOKEN_MAX], bad[SECRET_TOKEN_MAX];
    size_t n = secret_token(&k, SCOPE, ISSUED, tok);
    for (size_t i = 0; i < n; i++) {
        if (tok[i] == '.')
            continue;
        strcpy(bad, tok);
        /* another character of the same kind: a digit for a digit */
        if (bad[i] >= '0' && bad[i] <= '9')
            bad[i] = (char)('0' + (bad[i] - '0' + 1) % 10);
        else
            bad[i] = bad[i] == 'A' ? 'B' : 'A';
        assert_refused(&k, bad);
    }
    /* the scope's digits altered and checked against what they now say */
    strcpy(bad, tok);
    bad[1] = '3';
    int64_t issued;
    assert_int_equal(secret_token_check(&k, bad, 43, &issued), NS_EINVAL);
    /* another spelling of the same numbers is not the token either */
    char spelled[SECRET_TOKEN_MAX + 2];
    snprintf(spelled, sizeof spelled, "0%s", tok);
    assert_refused(&k, spelled);
    snprintf(spelled, sizeof spelled, "+%s", tok);
    assert_refused(&k, spelled);
    snprintf(spelled, sizeof spelled, " %s", tok);
    assert_refused(&k, spelled);
    snprintf(spelled, sizeof spelled, "42.01764000000.%s", tok + 14);
    assert_refused(&k, spelled);
}

static void test_token_other_scope_or_key(void **state)
{
    (void)state;
    secret_key k = key_of(key_hex), other = key_of(other_hex);
    char tok[SECRET_TOKEN_MAX];
    secret_token(&k, SCOPE, ISSUED, tok);
    int64_t issued;
    assert_int_equal(secret_token_check(&k, tok, 43, &issued), NS_EINVAL);
    assert_int_equal(secret_token_check(&k, tok, 0, &issued), NS_EINVAL);
    assert_int_equal(secret_token_check(&k, tok, -42, &issued), NS_EINVAL);
    assert_refused(&other, tok);
    /* and a token of the other key is refused by this one */
    secret_token(&other, SCOPE, ISSUED, tok);
    assert_refused(&k, tok);
    assert_int_equal(secret_token_check(&other, tok, SCOPE, &issued), NS_OK);
}

/* Every prefix of a token, the empty one included, is refused; so are a
 * token with more after it and texts that are not tokens at all. */
static void test_token_malformed(void **state)
{
    (void)state;
    secret_key k = key_of(key_hex);
    char tok[SECRET_TOKEN_MAX], bad[4 * SECRET_TOKEN_MAX];
    size_t n = secret_token(&k, SCOPE, ISSUED, tok);
    for (size_t i = 0; i < n; i++) {
        memcpy(bad, tok, i);
        bad[i] = '\0';
        assert_refused(&k, bad);
    }
    assert_refused(&k, "");
    assert_refused(&k, NULL);
    snprintf(bad, sizeof bad, "%s.", tok);
    assert_refused(&k, bad);
    snprintf(bad, sizeof bad, "%s.%s", tok, tok + 14);
    assert_refused(&k, bad);
    snprintf(bad, sizeof bad, "%sA", tok);
    assert_refused(&k, bad);
    snprintf(bad, sizeof bad, "42..%s", tok + 14);
    assert_refused(&k, bad);
    snprintf(bad, sizeof bad, "42%s", tok + 13); /* "42.MAC": one dot */
    assert_refused(&k, bad);
    assert_refused(&k, "42");
    assert_refused(&k, "...");
    assert_refused(&k, "a.b.c");
    snprintf(bad, sizeof bad, "4x.1764000000.%s", tok + 14);
    assert_refused(&k, bad);
    snprintf(bad, sizeof bad, "42.17640000x0.%s", tok + 14);
    assert_refused(&k, bad);
    snprintf(bad, sizeof bad, "42.1764000000.%.20s!%s", tok + 14, tok + 35);
    assert_refused(&k, bad);
    /* a very long text, and one just too long to be a token */
    size_t big = 100000;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, 'A', big);
    memcpy(huge, tok, n);
    huge[big] = '\0';
    assert_refused(&k, huge);
    memset(huge, '7', big); /* digits and dots only */
    huge[big / 3] = huge[2 * big / 3] = '.';
    assert_refused(&k, huge);
    free(huge);
    memset(bad, 'A', SECRET_TOKEN_MAX);
    memcpy(bad, tok, n);
    bad[SECRET_TOKEN_MAX] = '\0';
    assert_refused(&k, bad);
}

static void test_from_hex(void **state)
{
    (void)state;
    secret_key a, b;
    assert_int_equal(secret_from_hex(key_hex, &a), NS_OK);
    for (int i = 0; i < SECRET_KEY_BYTES; i++)
        assert_int_equal(a.k[i], i);
    char upper[SECRET_HEX_SIZE];
    for (size_t i = 0; i < sizeof upper; i++)
        upper[i] = (char)(key_hex[i] >= 'a' ? key_hex[i] - 32 : key_hex[i]);
    assert_int_equal(secret_from_hex(upper, &b), NS_OK);
    assert_memory_equal(a.k, b.k, SECRET_KEY_BYTES);

    char bad[2 * SECRET_HEX_SIZE];
    assert_int_equal(secret_from_hex(NULL, &b), NS_EINVAL);
    assert_int_equal(secret_from_hex("", &b), NS_EINVAL);
    snprintf(bad, sizeof bad, "%.63s", key_hex);       /* one digit short */
    assert_int_equal(secret_from_hex(bad, &b), NS_EINVAL);
    snprintf(bad, sizeof bad, "%.62s", key_hex);       /* one byte short */
    assert_int_equal(secret_from_hex(bad, &b), NS_EINVAL);
    snprintf(bad, sizeof bad, "%s0", key_hex);         /* one digit more */
    assert_int_equal(secret_from_hex(bad, &b), NS_EINVAL);
    snprintf(bad, sizeof bad, "%s00", key_hex);        /* one byte more */
    assert_int_equal(secret_from_hex(bad, &b), NS_EINVAL);
    for (size_t i = 0; i < 64; i += 7) {
        static const char nonhex[] = "g G:x/ -";
        strcpy(bad, key_hex);
        bad[i] = nonhex[i % (sizeof nonhex - 1)];
        if (secret_from_hex(bad, &b) != NS_EINVAL)
            fail_msg("'%c' at %zu accepted", bad[i], i);
    }
}

static void test_new_hex(void **state)
{
    (void)state;
    char h1[SECRET_HEX_SIZE], h2[SECRET_HEX_SIZE];
    memset(h1, 'z', sizeof h1);
    secret_new_hex(h1);
    secret_new_hex(h2);
    assert_int_equal(strlen(h1), 64);
    assert_int_equal(strlen(h2), 64);
    assert_true(all_hex(h1, 64));
    assert_true(all_hex(h2, 64));
    assert_string_not_equal(h1, h2);
    /* the key it writes is one secret_from_hex reads, and signs */
    secret_key k1 = key_of(h1), k2 = key_of(h2);
    char tok[SECRET_TOKEN_MAX];
    int64_t issued;
    secret_token(&k1, SCOPE, ISSUED, tok);
    assert_int_equal(secret_token_check(&k1, tok, SCOPE, &issued), NS_OK);
    assert_int_equal(secret_token_check(&k2, tok, SCOPE, &issued), NS_EINVAL);
}

static void hash(const char *hex, const char *domain, const char *s, size_t n, char out[SECRET_HASH_HEX])
{
    secret_key k = key_of(hex);
    memset(out, 'z', SECRET_HASH_HEX);
    secret_hash(&k, domain, s, n, out);
    assert_int_equal(strlen(out), 32);
    assert_true(all_hex(out, 32));
}

static void test_hash(void **state)
{
    (void)state;
    char h[SECRET_HASH_HEX], same[SECRET_HASH_HEX], x[SECRET_HASH_HEX];
    hash(key_hex, "ip", "192.0.2.1", 9, h);
    hash(key_hex, "ip", "192.0.2.1", 9, same);
    assert_string_equal(h, same);
    hash(key_hex, "text", "192.0.2.1", 9, x);   /* another domain */
    assert_string_not_equal(h, x);
    hash(other_hex, "ip", "192.0.2.1", 9, x);   /* another key */
    assert_string_not_equal(h, x);
    hash(key_hex, "ip", "192.0.2.2", 9, x);     /* another input */
    assert_string_not_equal(h, x);
    hash(key_hex, "ip", "192.0.2.1", 8, x);     /* only n bytes count */
    assert_string_not_equal(h, x);
    hash(key_hex, "ip", "192.0.2.1 and more", 9, x);
    assert_string_equal(h, x);
    /* the domain ends where the input begins: "ab"+"c" is not "a"+"bc" */
    hash(key_hex, "ab", "c", 1, h);
    hash(key_hex, "a", "bc", 2, x);
    assert_string_not_equal(h, x);
    /* the empty input has a hash of its own, per domain */
    hash(key_hex, "ip", "", 0, h);
    hash(key_hex, "text", "", 0, x);
    assert_string_not_equal(h, x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_round_trip),
        cmocka_unit_test(test_token_extremes),
        cmocka_unit_test(test_token_altered),
        cmocka_unit_test(test_token_other_scope_or_key),
        cmocka_unit_test(test_token_malformed),
        cmocka_unit_test(test_from_hex),
        cmocka_unit_test(test_new_hex),
        cmocka_unit_test(test_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
