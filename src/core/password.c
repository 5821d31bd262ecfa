/*
 * password.c - Argon2id hashes through libsodium, and the policy a new
 * password must pass.
 *
 * The policy compares folded texts (utf8proc: NFKC, case folded, marks
 * stripped) so that "Nashra2026!" does not pass for a site called
 * "nashra", nor «نَشرة» for «نشرة».
 */
#include "core/password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "core/err.h"
#include "core/text.h"

#define PASSWORD_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PASSWORD_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash text fits");

/* A login or site name this short is refused only as the whole password. */
#define PASSWORD_CONTAIN_MIN 3

static void password_init(void)
{
    /* sodium_init is idempotent and thread-safe; it fails only when no
     * random source can be opened, and then crypto_pwhash_str fails too */
    if (sodium_init() < 0)
        return;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
    password_init();
    if (crypto_pwhash_str(out, pw, strlen(pw), PASSWORD_OPS, PASSWORD_MEM) != 0)
        return NS_EINTERNAL;
    return NS_OK;
}

bool password_verify(const char *hash, const char *pw)
{
    if (!hash || !*hash || !pw)
        return false;
    password_init();
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static char nobody_hash[PASSWORD_HASH_MAX];
static pthread_once_t nobody_once = PTHREAD_ONCE_INIT;

/* A hash of random bytes nobody knows, made once per process. */
static void nobody_make(void)
{
    password_init();
    unsigned char r[32];
    char hex[2 * sizeof r + 1];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(hex, sizeof hex, r, sizeof r);
    if (password_hash(hex, nobody_hash) != NS_OK)
        nobody_hash[0] = '\0';
}

void password_verify_nobody(const char *pw)
{
    pthread_once(&nobody_once, nobody_make);
    if (nobody_hash[0] && pw)
        if (crypto_pwhash_str_verify(nobody_hash, pw, strlen(pw)) == 0)
            return; /* cannot happen: nobody knows the random password */
}

bool password_needs_rehash(const char *hash)
{
    password_init();
    return !hash || crypto_pwhash_str_needs_rehash(hash, PASSWORD_OPS, PASSWORD_MEM) != 0;
}

/* s folded for comparison (NFKC, case folded, marks stripped) on a; ""
 * for NULL or text utf8proc refuses. */
static const char *password_fold(arena_t *a, const char *s)
{
    utf8proc_uint8_t *out = NULL;
    if (!s)
        return "";
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                      UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
                                      UTF8PROC_STRIPMARK);
    if (n < 0)
        return "";
    char *r = arena_strndup(a, (const char *)out, (size_t)n);
    free(out);
    return r;
}

/* True if the folded password pw is, or (for a long enough name) holds,
 * the folded name. */
static bool password_holds(const char *pw, const char *name)
{
    if (!*name)
        return false;
    if (strcmp(pw, name) == 0)
        return true;
    return text_char_count(name, strlen(name)) >= PASSWORD_CONTAIN_MIN && strstr(pw, name);
}

const char *password_policy(arena_t *a, const char *pw, const char *login, const char *site_name)
{
    size_t n = pw ? strlen(pw) : 0;
    if (!pw || !text_valid_utf8(pw, n))
        return "كلمة المرور ليست نصًا صالحًا.";
    if (n > PASSWORD_MAX_BYTES)
        return "كلمة المرور أطول من اللازم (1024 بايت على الأكثر).";
    if (text_char_count(pw, n) < PASSWORD_MIN_CHARS)
        return "كلمة المرور قصيرة: عشرة أحرف على الأقل.";
    const char *folded = password_fold(a, pw);
    if (password_holds(folded, password_fold(a, login)))
        return "كلمة المرور لا يجوز أن تكون اسم الدخول أو أن تحتويه.";
    if (password_holds(folded, password_fold(a, site_name)))
        return "كلمة المرور لا يجوز أن تكون اسم الموقع أو أن تحتويه.";
    return NULL;
}
