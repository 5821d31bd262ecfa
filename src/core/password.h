/*
 * password.h - the passwords of the people who sign in to the newsroom:
 * stored only as Argon2id hashes (libsodium crypto_pwhash_str, with its
 * "interactive" limits: about 64 MiB and a few tens of milliseconds per
 * attempt), checked against a policy before they are accepted, and
 * rehashed when the limits a stored hash was made with are no longer the
 * current ones.
 */
#ifndef NS_CORE_PASSWORD_H
#define NS_CORE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

/* Room for a hash's text with its NUL (crypto_pwhash_STRBYTES). */
#define PASSWORD_HASH_MAX 128
/* Shortest accepted password, in code points. */
#define PASSWORD_MIN_CHARS 10
/* Longest accepted password, in bytes (hashing costs the same, but a
 * megabyte of form field is nobody's password). */
#define PASSWORD_MAX_BYTES 1024

/* Hash pw (NUL-terminated) into out: 0, or NS_EINTERNAL when the hash
 * could not be made (not enough memory for Argon2). */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* True if pw is the password hash was made from. A NULL or empty hash
 * (a user who cannot sign in) matches nothing. */
bool password_verify(const char *hash, const char *pw);

/* The same work as password_verify against a hash that matches nothing:
 * a sign-in with an unknown login takes as long as one with a wrong
 * password, so the time does not tell which logins exist. */
void password_verify_nobody(const char *pw);

/* True if hash was made with other limits or another algorithm than
 * password_hash uses now (or is not a hash at all). */
bool password_needs_rehash(const char *hash);

/* NULL if pw may be chosen by the user login on the site named site_name;
 * else why not, in Arabic (a static string): shorter than
 * PASSWORD_MIN_CHARS code points, longer than PASSWORD_MAX_BYTES, not
 * UTF-8, or equal to or containing the login or the site's name. Texts are
 * compared case-folded and without marks (NFKC, harakat and hamza seats
 * removed); a login or name of fewer than three characters is only
 * refused as the whole password. login and site_name may be NULL. Scratch
 * memory on a. */
const char *password_policy(arena_t *a, const char *pw, const char *login, const char *site_name);

#endif
