/*
 * moderation.h - the site's comment moderation policy, read from its
 * settings: which comments wait for an editor (comment_moderation) and
 * which words hold a comment whatever that mode says (comment_blocklist).
 * Pure functions: the settings' values come in as strings, and what is
 * allocated lives on the caller's arena.
 */
#ifndef NS_HANDLERS_MODERATION_H
#define NS_HANDLERS_MODERATION_H

#include <stdbool.h>
#include "core/arena.h"

/* Which comments are held for moderation. */
typedef enum {
    MODERATION_ALL,  /* every comment */
    MODERATION_NEW,  /* unless its name and email already have an approved comment */
    MODERATION_NONE, /* none: every comment is approved */
} moderation_mode;

/* The mode the setting comment_moderation names: "all", "new" or "none"
 * (any case, white space around ignored). NULL (not set) and anything
 * else give MODERATION_NEW, the default: a mistyped setting must neither
 * publish everything nor hold everything. */
moderation_mode moderation_mode_parse(const char *setting);

/* True if a comment must be held because its text, name or email holds
 * an entry of blocklist (the setting comment_blocklist): entries are
 * separated by line breaks, ',' or the Arabic comma '،'. An entry and
 * each field are compared in their ar_normalize form (harakat, tatweel,
 * alef forms, ى/ي, ة/ه, case and digits folded), with invisible format
 * characters (zero-width space, direction marks, soft hyphen) removed and
 * runs of white space made one space, so a spelling or spacing variant
 * still matches. The match is on substrings, since an Arabic word carries
 * its prefixes (ال و ب ...) and would escape a whole-word match. An entry
 * whose form is empty or a single character is ignored (it would hold
 * nearly everything). NULL fields and blocklist are allowed; a field or
 * entry that is not well-formed UTF-8 matches nothing. Scratch copies are
 * allocated on arena a. */
bool moderation_blocked(arena_t *a, const char *blocklist, const char *text, const char *name,
                        const char *email);

#endif
