/*
 * server.h - the HTTP server: the h2o library with one event loop per
 * worker thread, all on one listening socket, serving
 * GET and HEAD through the router, the page handlers and the response
 * cache.
 *
 * Each worker thread opens its own store_t on first use and closes it when
 * the server stops. Handlers never see h2o: they get an hreq_t.
 */
#ifndef NS_HTTP_SERVER_H
#define NS_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include "handlers/handler.h"
#include "http/peer.h"

/* Longest raw (still percent-encoded) request path served; longer: 414. */
#define SERVER_MAX_PATH 2048

#define SERVER_MAX_THREADS 1024
#define SERVER_DEFAULT_TIMEOUT 10          /* seconds, --request-timeout */
#define SERVER_DEFAULT_CONNS_PER_CLIENT 256 /* --max-conns-per-client */
#define SERVER_MAX_TRUSTED 64              /* --trusted-proxy entries */

typedef struct server server_t;

typedef struct server_opts {
    const char *host;        /* name or numeric address, IPv6 without brackets */
    unsigned port;           /* 1..65535 */
    unsigned threads;        /* worker threads, 1..SERVER_MAX_THREADS */
    bool no_cache;           /* disable the response cache */
    size_t cache_bytes;      /* 0: default (64 MiB) */
    /* Seconds a client has to send a complete request head and body from
     * the moment the server starts reading it; also how long an idle
     * keep-alive connection is kept. 0: SERVER_DEFAULT_TIMEOUT. */
    unsigned request_timeout;
    /* Connections one client address may hold at once (0: unlimited). */
    unsigned max_conns_per_client;
    /* Reverse proxies exempt from that bound, whose X-Forwarded-For names
     * the client. Copied by server_start. */
    const peer_net *trusted;
    size_t ntrusted;
    const char *db_path;     /* the site's database, opened by each worker */
    const site_config *site; /* must outlive the server */
} server_opts;

/* Split "HOST:PORT", "[IPv6]:PORT" into host (copied into host[hostcap])
 * and port. NS_EINVAL if malformed, port not 1..65535 or host too long. */
int server_parse_listen(const char *spec, char *host, size_t hostcap, unsigned *port);

/* Bind o->host:o->port and start serving. NS_EBUSY if the address is in use,
 * NS_EPERM if binding is not permitted, NS_EINVAL for an unknown host or bad
 * options, NS_EIO for other failures. Caller owns *out (server_stop). */
int server_start(const server_opts *o, server_t **out);

/* Stop accepting, let requests in progress finish (closing idle
 * connections; at most a few seconds), stop the worker threads, close
 * their stores and free everything. NULL ok. */
void server_stop(server_t *s);

#endif
