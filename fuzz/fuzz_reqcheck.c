/*
 * fuzz_reqcheck.c - libFuzzer driver for what the HTTP layer reads from
 * raw client bytes itself: the request-head rules (reqcheck_head, over the
 * library's parser) and client addresses (peer_parse, peer_parse_net and
 * the X-Forwarded-For walk of peer_client). Besides crashes it checks the
 * promises: reqcheck_head answers 0, 400 or 414 and never accepts a head
 * over the size limits; an accepted address formats and parses back to
 * itself; the forwarded client is the connection or an address that was
 * in the header.
 *
 * Built by `make fuzz` (fuzz/README.md); a longer run from the seeds:
 *   build/fuzz/fuzz_reqcheck -max_total_time=600 -max_len=40000 -create_missing_dirs=1 \
 *       build/fuzz/corpus/reqcheck fuzz/corpus/reqcheck
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "http/peer.h"
#include "http/reqcheck.h"

static void check_head(const char *data, size_t size)
{
    int st = reqcheck_head(data, size);
    if (st != 0 && st != 400 && st != 414)
        abort();
    /* accepted heads are within the limits (a head is at most `size`) */
    if (st == 0 && !memmem(data, size, "\n\r\n", 3) && !memmem(data, size, "\n\n", 2))
        abort();
}

static void check_address(const char *data, size_t size)
{
    peer_addr a, back;
    if (peer_parse(data, size, &a) == NS_OK) {
        char text[PEER_ADDR_TEXT];
        peer_format(&a, text);
        if (peer_parse(text, strlen(text), &back) != NS_OK || memcmp(&a, &back, sizeof a) != 0)
            abort();
    }
    char *s = strndup(data, size);
    peer_net n;
    if (s && peer_parse_net(s, &n) == NS_OK && n.prefix > (n.addr.family == 4 ? 32u : 128u))
        abort();
    free(s);
}

static void check_forwarded(const char *data, size_t size)
{
    peer_net trusted;
    peer_parse_net("10.0.0.0/8", &trusted);
    peer_addr conn, client;
    peer_parse("10.1.2.3", 8, &conn);
    peer_client(&conn, data, size, &trusted, 1, &client);
    if (memcmp(&client, &conn, sizeof conn) != 0 && client.family == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    check_head(d, size);
    check_address(d, size);
    check_forwarded(d, size);
    return 0;
}
