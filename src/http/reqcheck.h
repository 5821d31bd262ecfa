/*
 * reqcheck.h - the rules a request head must follow beyond what the HTTP
 * library's parser enforces, with the status nginx answers when one is
 * broken.
 *
 * The library (h2o, over picohttpparser) already refuses malformed request
 * lines, control characters, bad header names and bare CR line ends. What
 * it lets through but a server behind a proxy must not: ambiguous message
 * framing (Content-Length with Transfer-Encoding, two different
 * Content-Lengths: request smuggling), a missing or repeated Host, folded
 * header lines, and heads larger than nginx accepts (8 KiB a line, 32 KiB
 * in all) — the library accepts ~400 KiB and would otherwise let one
 * client pin that much memory per connection.
 */
#ifndef NS_HTTP_REQCHECK_H
#define NS_HTTP_REQCHECK_H

#include <stddef.h>

#define REQCHECK_MAX_LINE (8 * 1024)   /* one request or header line */
#define REQCHECK_MAX_HEAD (32 * 1024)  /* the whole head */

/* Check the raw request head at raw[0..len) (it may be followed by a body
 * or further pipelined requests, which are ignored). Returns 0 if the head
 * is acceptable, else the HTTP status to answer: 400 (malformed, ambiguous,
 * too large in all or in one header line), 414 (request line too long). A
 * head that does not parse as a complete request is 400. Never allocates. */
int reqcheck_head(const char *raw, size_t len);

#endif
