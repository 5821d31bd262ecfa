/*
 * secret.c - signed form tokens and keyed hashes (secret.h).
 *
 * A token is "SCOPE.ISSUED.MAC" with MAC = crypto_auth(key, "SCOPE.ISSUED")
 * in URL-safe base64: short enough for a hidden field, checked in
 * constant time, and carrying its own issue time, so a server keeps no
 * record of the forms it handed out.
 */
#include "core/secret.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/err.h"

/* libsodium must be initialised once before use; sodium_init is safe to
 * call again and from several threads. */
static void secret_init(void)
{
    if (sodium_init() < 0)
        abort();
}

void secret_new_hex(char out[SECRET_HEX_SIZE])
{
    unsigned char k[SECRET_KEY_BYTES];
    secret_init();
    randombytes_buf(k, sizeof k);
    sodium_bin2hex(out, SECRET_HEX_SIZE, k, sizeof k);
    sodium_memzero(k, sizeof k);
}

int secret_from_hex(const char *hex, secret_key *out)
{
    size_t n = 0;
    if (!hex || strlen(hex) != 2 * SECRET_KEY_BYTES ||
        sodium_hex2bin(out->k, sizeof out->k, hex, strlen(hex), NULL, &n, NULL) != 0 ||
        n != SECRET_KEY_BYTES)
        return NS_EINVAL;
    return NS_OK;
}

/* The MAC of "scope.issued" in URL-safe base64 into out (size bytes). */
static void secret_mac(const secret_key *k, const char *msg, size_t n, char *out, size_t size)
{
    unsigned char mac[crypto_auth_BYTES];
    secret_init();
    crypto_auth(mac, (const unsigned char *)msg, n, k->k);
    sodium_bin2base64(out, size, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

size_t secret_token(const secret_key *k, int64_t scope, int64_t issued, char out[SECRET_TOKEN_MAX])
{
    int n = snprintf(out, SECRET_TOKEN_MAX, "%" PRId64 ".%" PRId64, scope, issued);
    out[n] = '.';
    secret_mac(k, out, (size_t)n, out + n + 1, SECRET_TOKEN_MAX - (size_t)n - 1);
    return strlen(out);
}

int secret_token_check(const secret_key *k, const char *text, int64_t scope, int64_t *issued)
{
    char want[SECRET_TOKEN_MAX];
    const char *dot1 = text ? strchr(text, '.') : NULL;
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || strlen(text) >= SECRET_TOKEN_MAX)
        return NS_EINVAL;
    char *end;
    long long s = strtoll(text, &end, 10), t = strtoll(dot1 + 1, NULL, 10);
    if (end != dot1 || s != scope || t <= 0)
        return NS_EINVAL;
    size_t n = secret_token(k, scope, (int64_t)t, want);
    /* the text must be exactly what this key makes: compared in constant
     * time, so that timing tells nothing about a right prefix */
    if (n != strlen(text) || sodium_memcmp(want, text, n) != 0)
        return NS_EINVAL;
    *issued = (int64_t)t;
    return NS_OK;
}

void secret_hash(const secret_key *k, const char *domain, const char *s, size_t n,
                 char out[SECRET_HASH_HEX])
{
    unsigned char h[16];
    crypto_generichash_state st;
    secret_init();
    crypto_generichash_init(&st, k->k, sizeof k->k, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
    crypto_generichash_update(&st, (const unsigned char *)s, n);
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, SECRET_HASH_HEX, h, sizeof h);
}
