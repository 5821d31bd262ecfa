/*
 * syndicate.c - the shared machinery of feeds and sitemaps. Feed readers and
 * search engines reject a whole document for one stray control character, so
 * all XML goes through libxml2's writer (which escapes) after a filter that
 * removes what escaping cannot fix: ill-formed UTF-8 and code points XML 1.0
 * forbids. Writer errors are collected in a sticky flag so the page builders
 * stay linear and the failure is reported once at the end.
 */
#include "handlers/syndicate.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>

#include "core/err.h"
#include "core/text.h"
#include "handlers/view.h"

struct synd_xml {
    arena_t *arena;
    xmlBufferPtr buf;
    xmlTextWriterPtr wr;
    int failed;
};

static void synd_xml_release(void *p)
{
    synd_xml *w = p;
    if (w->wr)
        xmlFreeTextWriter(w->wr);
    if (w->buf)
        xmlBufferFree(w->buf);
    w->wr = NULL;
    w->buf = NULL;
}

static void synd_xml_check(synd_xml *w, int rc)
{
    if (rc < 0)
        w->failed = 1;
}

synd_xml *synd_xml_new(arena_t *a)
{
    synd_xml *w = arena_zalloc(a, sizeof *w);
    w->arena = a;
    w->buf = xmlBufferCreate();
    w->wr = w->buf ? xmlNewTextWriterMemory(w->buf, 0) : NULL;
    arena_defer(a, synd_xml_release, w);
    if (!w->wr) {
        w->failed = 1;
        return w;
    }
    synd_xml_check(w, xmlTextWriterSetIndent(w->wr, 1));
    synd_xml_check(w, xmlTextWriterStartDocument(w->wr, NULL, "UTF-8", NULL));
    return w;
}

void synd_xml_start(synd_xml *w, const char *name)
{
    if (!w->failed)
        synd_xml_check(w, xmlTextWriterStartElement(w->wr, BAD_CAST name));
}

void synd_xml_attr(synd_xml *w, const char *name, const char *value)
{
    if (w->failed || !value)
        return;
    const char *v = synd_clean(w->arena, value);
    synd_xml_check(w, xmlTextWriterWriteAttribute(w->wr, BAD_CAST name, BAD_CAST v));
}

void synd_xml_text(synd_xml *w, const char *text)
{
    if (w->failed || !text)
        return;
    const char *v = synd_clean(w->arena, text);
    synd_xml_check(w, xmlTextWriterWriteString(w->wr, BAD_CAST v));
}

void synd_xml_end(synd_xml *w)
{
    if (!w->failed)
        synd_xml_check(w, xmlTextWriterEndElement(w->wr));
}

void synd_xml_elem(synd_xml *w, const char *name, const char *text)
{
    if (!text)
        return;
    synd_xml_start(w, name);
    synd_xml_text(w, text);
    synd_xml_end(w);
}

int synd_xml_finish(synd_xml *w, hreq_t *rq, hresp_t *rs, const char *content_type)
{
    if (!w->failed)
        synd_xml_check(w, xmlTextWriterEndDocument(w->wr));
    if (!w->failed)
        synd_xml_check(w, xmlTextWriterFlush(w->wr));
    if (w->failed)
        return NS_EINTERNAL;
    synd_body_reset(rq, rs);
    buf_append(&rs->body, xmlBufferContent(w->buf), (size_t)xmlBufferLength(w->buf));
    rs->content_type = content_type;
    return 0;
}

char *synd_clean(arena_t *a, const char *s)
{
    if (!s)
        return arena_strdup(a, "");
    size_t n = strlen(s), o = 0;
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i < n;) {
        int32_t c;
        size_t k = text_next_cp(s + i, n - i, &c);
        if (text_xml_char(c)) { /* false for an ill-formed byte (c < 0) too */
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    return out;
}

/* The settings come from the same reader the HTML pages use, so feeds and
 * pages agree on defaults and on what counts as a valid value. */
int synd_site_load(hreq_t *rq, synd_site *out)
{
    view_settings st;
    int rc = view_settings_load(rq, &st);
    if (rc < 0)
        return rc;
    out->name = st.site_name;
    out->description = *st.site_description ? st.site_description : st.site_name;
    out->tz_offset = st.tz_offset;
    return 0;
}

char *synd_url(hreq_t *rq, const char *prefix, const char *slug, const char *suffix)
{
    buf_t b;
    buf_init(&b, rq->arena);
    buf_puts(&b, rq->site->base_url);
    buf_puts(&b, prefix);
    if (slug)
        buf_url_escape(&b, slug, strlen(slug));
    buf_puts(&b, suffix);
    return (char *)buf_cstr(&b);
}

char *synd_article_url(hreq_t *rq, const char *slug)
{
    return synd_url(rq, "/", slug, "/");
}

int synd_cache(hreq_t *rq, hresp_t *rs)
{
    int64_t lm = 0, next = 0;
    int rc = store_last_modified(rq->store, rq->now, &lm);
    if (rc == 0)
        rc = store_next_publish(rq->store, rq->now, &next);
    if (rc < 0)
        return rc;
    rs->cacheable = true;
    rs->max_age = 0;
    rs->last_modified = lm;
    rs->expires_at = next > 0 ? next : 0;
    return 0;
}

void synd_body_reset(hreq_t *rq, hresp_t *rs)
{
    if (rs->body.arena == rq->arena) {
        buf_clear(&rs->body);
        return;
    }
    if (!rs->body.arena)
        buf_release(&rs->body);
    buf_init(&rs->body, rq->arena);
}
