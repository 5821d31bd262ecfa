/*
 * peer.h - who is on the other end of a connection: client addresses,
 * the trusted reverse proxies whose X-Forwarded-For names the real client,
 * and the count of connections each client address holds.
 *
 * A client that opens connections without finishing requests (slowloris)
 * starves everyone else of descriptors, so the server bounds the
 * connections one address may hold. The load balancers of a multi-node
 * site concentrate every reader on a few addresses: those are declared
 * trusted, exempt from the bound, and the client they forward for is
 * read from X-Forwarded-For.
 */
#ifndef NS_HTTP_PEER_H
#define NS_HTTP_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 address; IPv4-mapped IPv6 addresses are stored as IPv4,
 * so one client has one spelling. */
typedef struct peer_addr {
    uint8_t family;      /* 4 or 6; 0: unknown (a non-IP socket) */
    uint8_t bytes[16];   /* network order; IPv4 uses the first 4 */
} peer_addr;

/* An address block: `addr` with its first `prefix` bits significant. */
typedef struct peer_net {
    peer_addr addr;
    unsigned prefix;     /* 0..32 for IPv4, 0..128 for IPv6 */
} peer_net;

/* Longest text of an address (IPv6 with scope) plus NUL. */
#define PEER_ADDR_TEXT 64

/* The address of sa (AF_INET or AF_INET6); family 0 for anything else. */
void peer_from_sockaddr(const struct sockaddr *sa, peer_addr *out);

/* Parse a numeric IPv4 or IPv6 address of n bytes (no port, no brackets,
 * surrounding spaces and tabs ignored). NS_EINVAL if it is not one. */
int peer_parse(const char *s, size_t n, peer_addr *out);

/* Parse "ADDR" or "ADDR/PREFIX" (a whole address when no prefix). Bits
 * beyond the prefix must be zero. NS_EINVAL if malformed. */
int peer_parse_net(const char *s, peer_net *out);

/* True if a lies in one of nets[0..n). */
bool peer_in_nets(const peer_addr *a, const peer_net *nets, size_t n);

/* The client a request speaks for. When the connection comes from a trusted
 * proxy, the X-Forwarded-For value xff (xlen bytes, may be NULL) is read
 * from the right: the first address that is not itself trusted is the
 * client (proxies append, so what lies left of it is the client's own
 * claim and not to be believed). A malformed entry stops the walk at the
 * last good address. Otherwise the connection's address. */
void peer_client(const peer_addr *conn, const char *xff, size_t xlen,
                 const peer_net *trusted, size_t ntrusted, peer_addr *out);

/* The address as text ("192.0.2.1", "2001:db8::1", "unknown") in buf. */
void peer_format(const peer_addr *a, char buf[PEER_ADDR_TEXT]);

/* ---- connections held per address ---- */

typedef struct peer_table peer_table;

/* A table allowing each address at most `max_per_addr` connections
 * (0: unlimited; connections are still counted). Thread-safe. Caller owns
 * it (peer_table_free once no thread uses it). */
peer_table *peer_table_new(unsigned max_per_addr);
void peer_table_free(peer_table *t);

/* Count one more connection of a; false (and nothing counted) if a already
 * holds the maximum. Addresses of family 0 are always allowed. */
bool peer_acquire(peer_table *t, const peer_addr *a);

/* Forget one connection of a (one that peer_acquire counted). */
void peer_release(peer_table *t, const peer_addr *a);

/* Connections a holds now, and all connections counted (for tests and stats). */
unsigned peer_count(peer_table *t, const peer_addr *a);
size_t peer_total(peer_table *t);

#endif
