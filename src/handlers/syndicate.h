/*
 * syndicate.h - what the machine-readable outputs (RSS, Atom, sitemaps)
 * share: an XML writer that cannot produce ill-formed output, the site
 * settings they print, absolute URLs built from stored slugs, and their
 * cache policy. Private to handlers/ (feeds.c, sitemap.c, misc.c).
 *
 * The writer wraps libxml2's xmlTextWriter over an xmlBuffer. Every string
 * handed to it is first stripped of bytes that are not well-formed UTF-8 and
 * of characters XML 1.0 forbids, and the writer itself escapes markup, so
 * titles like "<script>&\x01" come out as text. Errors of the underlying
 * writer are sticky and reported once, by synd_xml_finish().
 */
#ifndef NS_HANDLERS_SYNDICATE_H
#define NS_HANDLERS_SYNDICATE_H

#include <stdint.h>
#include "handlers/handler.h"

typedef struct synd_xml synd_xml;

/* New writer with the XML declaration already written. It and its libxml2
 * resources are owned by arena `a` and released with it. Never NULL. */
synd_xml *synd_xml_new(arena_t *a);
/* <name ...: start an element (name may carry a prefix, "atom:link"). */
void synd_xml_start(synd_xml *w, const char *name);
/* name="value" on the element just started; NULL value writes nothing. */
void synd_xml_attr(synd_xml *w, const char *name, const char *value);
/* Text content of the open element; NULL writes nothing. */
void synd_xml_text(synd_xml *w, const char *text);
/* Close the innermost open element. */
void synd_xml_end(synd_xml *w);
/* <name>text</name>; nothing at all if text is NULL. */
void synd_xml_elem(synd_xml *w, const char *name, const char *text);
/* Close everything, then replace rs's body with the document and set
 * rs->content_type (a static string). NS_EINTERNAL if any writer call
 * failed; rs is then untouched. */
int synd_xml_finish(synd_xml *w, hreq_t *rq, hresp_t *rs, const char *content_type);

/* Copy of s (NULL gives "") without ill-formed UTF-8 and characters XML 1.0
 * does not allow; owned by arena `a`. */
char *synd_clean(arena_t *a, const char *s);

/* Settings the outputs print, read once per request. Strings on rq->arena. */
typedef struct synd_site {
    const char *name;        /* site_name, or a default when unset/empty */
    const char *description; /* site_description, or name */
    int tz_offset;           /* timezone_offset, seconds; 0 when unset/invalid */
} synd_site;

/* Fill *out from the settings. Errors other than unset keys are returned. */
int synd_site_load(hreq_t *rq, synd_site *out);

/* Absolute URL base_url + prefix + percent-encoded slug + suffix, on
 * rq->arena. slug may be NULL (nothing inserted). */
char *synd_url(hreq_t *rq, const char *prefix, const char *slug, const char *suffix);
/* The public URL of an article or static page: base_url/{slug}/ */
char *synd_article_url(hreq_t *rq, const char *slug);


/* Cache policy of feeds and sitemaps: cacheable, Last-Modified from
 * store_last_modified, expires_at from store_next_publish (0 when nothing is
 * scheduled). Store errors are returned. */
int synd_cache(hreq_t *rq, hresp_t *rs);

/* Make rs->body an empty buffer on rq->arena, whatever it held. */
void synd_body_reset(hreq_t *rq, hresp_t *rs);

#endif
