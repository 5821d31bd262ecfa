/*
 * server.h - the HTTP server: libmicrohttpd with an epoll thread pool,
 * serving GET and HEAD through the router, the page handlers and the
 * response cache.
 *
 * Each worker thread opens its own store_t on first use; the server keeps
 * track of them and closes them when it stops.
 */
#ifndef NS_HTTP_SERVER_H
#define NS_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include "handlers/handler.h"

/* Longest raw (still percent-encoded) request path served; longer: 414. */
#define SERVER_MAX_PATH 2048

typedef struct server server_t;

typedef struct server_opts {
    const char *host;        /* name or numeric address, IPv6 without brackets */
    unsigned port;           /* 1..65535 */
    unsigned threads;        /* worker threads, 1..SERVER_MAX_THREADS */
    bool no_cache;           /* disable the response cache */
    size_t cache_bytes;      /* 0: default (64 MiB) */
    const char *db_path;     /* the site's database, opened by each worker */
    const site_config *site; /* must outlive the server */
} server_opts;

#define SERVER_MAX_THREADS 1024

/* Split "HOST:PORT", "[IPv6]:PORT" into host (copied into host[hostcap])
 * and port. NS_EINVAL if malformed, port not 1..65535 or host too long. */
int server_parse_listen(const char *spec, char *host, size_t hostcap, unsigned *port);

/* Bind o->host:o->port and start serving. NS_EBUSY if the address is in use,
 * NS_EPERM if binding is not permitted, NS_EINVAL for an unknown host or bad
 * options, NS_EIO for other failures. Caller owns *out (server_stop). */
int server_start(const server_opts *o, server_t **out);

/* Stop accepting, finish the worker threads, close their stores and free
 * everything. NULL ok. */
void server_stop(server_t *s);

#endif
