/*
 * moderation.c - the comment moderation policy of moderation.h. The
 * blocklist is compared on one form of text, built the same way for an
 * entry and for a field (moderation_form), so whatever folding applies to
 * one applies to the other and an entry always finds itself.
 */
#include "handlers/moderation.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include "core/text.h"
#include "search/arabic.h"

/* True if setting is word, in any case, with white space around. */
static bool setting_is(const char *setting, const char *word)
{
    size_t n = strlen(word);
    setting += strspn(setting, " \t\r\n");
    if (strncasecmp(setting, word, n) != 0)
        return false;
    return setting[n + strspn(setting + n, " \t\r\n")] == '\0';
}

moderation_mode moderation_mode_parse(const char *setting)
{
    if (setting && setting_is(setting, "all"))
        return MODERATION_ALL;
    if (setting && setting_is(setting, "none"))
        return MODERATION_NONE;
    return MODERATION_NEW;
}

/* s[0..n) as the blocklist compares it: ar_normalize's form (which also
 * turns controls and every kind of space into ' '), without the invisible
 * format characters that can split a word without showing (U+200B, the
 * direction marks, the soft hyphen), runs of spaces made one and none at
 * either end, so a phrase matches however it was spaced or broken across
 * lines. NULL if s is NULL or not well-formed UTF-8. */
static char *moderation_form(arena_t *a, const char *s, size_t n)
{
    size_t len;
    char *f = s ? ar_normalize(a, s, n, &len) : NULL;
    if (!f)
        return NULL;
    size_t w = 0;
    for (size_t r = 0; r < len;) {
        int32_t cp;
        size_t k = text_next_cp(f + r, len - r, &cp);
        bool format = cp > 0x7F && utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
        if (!format && (cp != ' ' || (w > 0 && f[w - 1] != ' ')))
            memmove(f + w, f + r, k), w += k;
        r += k;
    }
    if (w > 0 && f[w - 1] == ' ')
        w--;
    f[w] = '\0';
    return f;
}

/* Bytes of the blocklist entry at the start of s: up to a line break, a
 * comma, the Arabic comma or the end. */
static size_t entry_len(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != '\n' && s[n] != ',' && strncmp(s + n, "\u060C", 2) != 0)
        n++;
    return n;
}

static bool any_holds(const char *const *fields, size_t n, const char *entry)
{
    for (size_t i = 0; i < n; i++)
        if (fields[i] && strstr(fields[i], entry))
            return true;
    return false;
}

bool moderation_blocked(arena_t *a, const char *blocklist, const char *text, const char *name,
                        const char *email)
{
    if (!blocklist || !*blocklist)
        return false; /* the usual case: spare the fields' normalisation */
    const char *fields[3];
    const char *given[3] = { text, name, email };
    for (size_t i = 0; i < 3; i++)
        fields[i] = given[i] ? moderation_form(a, given[i], strlen(given[i])) : NULL;
    for (const char *p = blocklist; *p;) {
        size_t n = entry_len(p);
        const char *entry = moderation_form(a, p, n);
        if (entry && text_char_count(entry, strlen(entry)) >= 2 && any_holds(fields, 3, entry))
            return true;
        p += n;
        p += !*p ? 0 : *p == '\n' || *p == ',' ? 1 : 2;
    }
    return false;
}
