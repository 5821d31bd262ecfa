/*
 * buf.h - growable byte buffer with the escapers every output format needs.
 *
 * A buf either lives on an arena (arena != NULL: memory belongs to the arena,
 * never call buf_release) or on the heap (arena == NULL: call buf_release).
 * The data is always NUL-terminated so it can be used as a C string.
 * The escapers are the only places where HTML/XML/JSON/URL quoting is done.
 */
#ifndef NS_CORE_BUF_H
#define NS_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include "core/arena.h"

typedef struct buf {
    char *data;     /* NUL-terminated; NULL until first append */
    size_t len;
    size_t cap;
    arena_t *arena; /* NULL: heap */
} buf_t;

void buf_init(buf_t *b, arena_t *arena);
void buf_release(buf_t *b);           /* heap bufs only; leaves b empty */
void buf_reserve(buf_t *b, size_t extra);
void buf_append(buf_t *b, const void *s, size_t n);
void buf_puts(buf_t *b, const char *s);     /* NULL appends nothing */
void buf_putc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
void buf_clear(buf_t *b);             /* len = 0, keeps memory */
/* Data as a C string ("" when empty); pointer owned by b. */
const char *buf_cstr(buf_t *b);

/* & < > " ' escaped for HTML text and attribute values. */
void buf_html_escape(buf_t *b, const char *s, size_t n);
/* XML 1.0: & < > " ' escaped, and characters not allowed in XML 1.0 dropped. */
void buf_xml_escape(buf_t *b, const char *s, size_t n);
/* Inside a JSON string literal (no quotes added); also escapes < > & so the
 * result is safe inside <script type="application/ld+json">. */
void buf_json_escape(buf_t *b, const char *s, size_t n);
/* Percent-encode everything but RFC 3986 unreserved characters and '/'. */
void buf_url_escape(buf_t *b, const char *s, size_t n);

#endif
