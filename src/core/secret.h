/*
 * secret.h - what the site's secret key is used for: signed form tokens
 * (a form proves it was issued by this site, for this article, at a
 * given time) and keyed hashes (a client address stored so that the same
 * address can be recognised, but not read back or guessed by hashing
 * every address). libsodium does the cryptography; the key is made once
 * per site and shared by every node through the database.
 */
#ifndef NS_CORE_SECRET_H
#define NS_CORE_SECRET_H

#include <stddef.h>
#include <stdint.h>

#define SECRET_KEY_BYTES 32
#define SECRET_HEX_SIZE (2 * SECRET_KEY_BYTES + 1)
/* Longest token text, with its terminating NUL. */
#define SECRET_TOKEN_MAX 96

typedef struct secret_key {
    unsigned char k[SECRET_KEY_BYTES];
} secret_key;

/* A new random key as hex into out (NUL-terminated). */
void secret_new_hex(char out[SECRET_HEX_SIZE]);

/* The key written as hex (secret_new_hex's form) into *out: 0, or
 * NS_EINVAL if hex is not 64 hex digits. */
int secret_from_hex(const char *hex, secret_key *out);

/* A token for `scope` (an article id) issued at `issued` (Unix seconds),
 * as text "SCOPE.ISSUED.MAC" into out; returns its length. The MAC is a
 * keyed hash of the scope and the time (libsodium crypto_auth). */
size_t secret_token(const secret_key *k, int64_t scope, int64_t issued, char out[SECRET_TOKEN_MAX]);

/* Check a token's text: 0 and its issue time in *issued when it was made
 * by secret_token with key k for this scope; NS_EINVAL when malformed,
 * forged, altered or made for another scope. Whether it is too old or
 * too young is the caller's policy. */
int secret_token_check(const secret_key *k, const char *text, int64_t scope, int64_t *issued);

/* A keyed hash of s[0..n) in the named domain ("ip", "text"…), as 32 hex
 * digits into out: equal inputs give equal hashes under one key, and
 * nothing about s can be learnt from it without the key. */
#define SECRET_HASH_HEX 33
void secret_hash(const secret_key *k, const char *domain, const char *s, size_t n,
                 char out[SECRET_HASH_HEX]);

#endif
