/*
 * wxr.h - a WordPress eXtended RSS export (WXR 1.0 to 1.2) read as a
 * stream of the things it describes: authors, terms (categories, tags,
 * others), then items (posts, pages, attachments, anything else) with
 * their comments and metadata. libxml2's streaming reader holds one of
 * them at a time, so memory does not grow with the file.
 *
 * The file is hostile: a DOCTYPE (entity declarations: "billion laughs",
 * external entities) is refused, the network is never used, and a text
 * above libxml2's bound (10 MB without XML_PARSE_HUGE, never set here)
 * ends the read with an error.
 */
#ifndef NS_IMPORT_WXR_H
#define NS_IMPORT_WXR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"

typedef struct wxr_reader wxr_reader;

/* Everything below is on the arena passed to wxr_next; absent text is "". */

typedef struct wxr_site {
    const char *title, *link, *description, *language;
    const char *base_site_url, *base_blog_url, *version;
} wxr_site;

typedef struct wxr_author {
    int64_t id;
    const char *login, *email, *display_name, *first_name, *last_name;
} wxr_author;

/* wp:category, wp:tag and wp:term alike. */
typedef struct wxr_term {
    int64_t id;
    const char *taxonomy;     /* "category", "post_tag", or another taxonomy */
    const char *slug;         /* as exported (percent-encoded) */
    const char *parent;       /* the parent's slug, "" for none */
    const char *name, *description;
    bool generic;             /* a <wp:term>: WordPress 4.x and later list every
                                 category and tag again as one */
} wxr_term;

/* An item's <category domain=… nicename=…>name</category>. */
typedef struct wxr_item_term {
    const char *domain, *nicename, *name;
} wxr_item_term;

typedef struct wxr_meta {
    const char *key, *value;
} wxr_meta;

typedef struct wxr_comment {
    long line;
    int64_t id, parent, user_id;
    const char *author, *email, *url, *ip;
    const char *date, *date_gmt;      /* "YYYY-MM-DD HH:MM:SS" */
    const char *content, *approved;   /* "1", "0", "spam", "trash"… */
    const char *type;                 /* "", "comment", "pingback", "trackback"… */
} wxr_comment;

typedef struct wxr_item {
    long line;
    int64_t id, parent;
    int menu_order;
    bool sticky;
    const char *title, *link, *guid, *creator, *content, *excerpt;
    const char *post_date, *post_date_gmt, *modified, *modified_gmt;
    const char *comment_status, *post_name, *status, *post_type, *password;
    const char *attachment_url;
    wxr_item_term *terms; size_t nterms;
    wxr_meta *meta; size_t nmeta;
    wxr_comment *comments; size_t ncomments;
} wxr_item;

typedef enum { WXR_END, WXR_AUTHOR, WXR_TERM, WXR_ITEM } wxr_kind;

typedef struct wxr_event {
    wxr_kind kind;
    long line;
    union {
        wxr_author author;
        wxr_term term;
        wxr_item item;
    } u;
} wxr_event;

/* An item with more comments or metadata than this is refused: it bounds
 * what one read holds, far above what a real post has. */
#define WXR_MAX_CHILDREN 100000

/* Open the export at path ("-": standard input). NS_ENOTFOUND, NS_EIO
 * (errno kept) when it cannot be opened. Caller owns *out (wxr_close). */
int wxr_open(const char *path, wxr_reader **out);
/* The same over buf[0..n), which must outlive the reader (tests, fuzzing). */
int wxr_open_memory(const char *buf, size_t n, wxr_reader **out);
void wxr_close(wxr_reader *r);

/* The next thing in the file into *ev, its strings on arena a (which the
 * caller may reset between calls). ev->kind WXR_END at the end of a
 * complete file. NS_EINVAL: the file is not well-formed XML (truncated
 * included), not a WXR export, a number is not one, or it breaks one of
 * the limits above;
 * wxr_error says what and where. Elements outside WXR's vocabulary are
 * skipped and counted (wxr_unknown). */
int wxr_next(wxr_reader *r, arena_t *a, wxr_event *ev);

/* The channel's description of the site, complete once the first author,
 * term or item has been returned (WordPress writes it before them). The
 * strings live as long as r. */
const wxr_site *wxr_site_info(const wxr_reader *r);

/* Elements skipped so far because WXR does not define them. */
int64_t wxr_unknown(const wxr_reader *r);

/* The last error's message and its line in the file (0: unknown); the
 * message lives as long as r. */
const char *wxr_error(const wxr_reader *r, long *line);

/* Bytes of the file read so far, and its size (0 when unknown: a pipe),
 * for progress. */
void wxr_position(const wxr_reader *r, int64_t *done, int64_t *size);

#endif
