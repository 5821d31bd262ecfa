"""Hostile HTTP/1.1 input, sent byte for byte over raw sockets (rawhttp):
every case must get the answer below, in a well-formed response (one status
line, token header names, CRLF line ends, a body framed by its length and
nothing after it), and the server must still answer GET / with 200
afterwards (checked after every test, with the process still alive).

Reference: nginx 1.22.1 (Debian nginx-light) as a plain origin server,
measured with these very request bytes (REQUESTS below): `daemon off;
master_process off; access_log off; client_header_timeout 2s;` everything
else default (large_client_header_buffers 4 8k, client_max_body_size 1m,
if_modified_since exact), `location / { return 200 "ok\n"; }` and a static
location whose file has mtime Sun, 06 Nov 1994 08:49:37 GMT for the
conditional and method cases. "closes" = nginx closed the connection after
answering.

case                     nginx 1.22.1 measured                      nashra must give
-----------------------  -----------------------------------------  ------------------------
head_16k (33 lines)      200                                        200, the full page
head_30k (47 lines,      200 (with ~1000-byte lines; with 1500-     200, the full page
  lines ~1000 bytes)       byte lines nginx already says 400 at
                           30 KiB: its 4 x 8k buffers waste the
                           tail of each buffer)
query_500_params (4.4 K) 200                                        200
header_line_over_8k      400 "Request Header Or Cookie Too Large",   400
                           closes
request_line_over_8k     414, closes                                414
head_over_32k (33 KiB,   400 "Request Header Or Cookie Too Large",  400
  51 lines ~1000 bytes)    closes (already at exactly 32 KiB)
http11_without_host      400, closes                                400
two_host_headers         400, closes                                400
nul_in_header_value      400, closes                                400
nul_after_path           400, closes                                400
space_in_header_name     400, closes ("Foo Bar: x")                 400
space_before_colon       400, closes ("Host : x")                   400
obs_fold                 400, closes                                400
garbage_request_line     400, closes                                400
bare_cr_line_ends        400, closes                                400
te_xchunked (POST)       501 Not Implemented, closes                400 or 501, closes
cl_and_te_chunked        400, closes                                400, closes
two_content_lengths      400, closes                                400, closes
content_length_abc       400, closes                                400, closes
content_length_minus_1   400, closes                                400, closes
content_length_huge      413 (10^12 > client_max_body_size 1m),     413
  (POST, 10^12)            answered at once, connection kept
absolute_form + Host     200                                        200, the page of /
http10_without_host      200, closes                                200, the page of /
post / put / delete /    200 from `return 200`; on a static file:   405 with Allow, well
                           405 without Allow, connection kept and     formed; a pipelined
                           a pipelined GET answered 200               GET after it -> 200
                                                                      (or the connection
                                                                      closed after the 405)
If-Modified-Since        304 only when the date equals Last-         the same rule (on /,
  (static file)            Modified exactly (if_modified_since        which has Last-Modified)
                           exact): equal in IMF-fixdate, RFC 850,
                           asctime -> 304 for all three; one second
                           earlier or later, a day later, a year in
                           the future -> 200; "garbage" -> 200
  future (+1 year)       200                                        200
  = Last-Modified, IMF   304                                        304
  = Last-Modified, 850   304                                        304
  = Last-Modified, asc   304                                        304
  Last-Modified + 1 s    200                                        200
trickled head, 1 byte    closed without any response (no 408)       closed within 2 + 1.5 s
  per 0.5 s                exactly 2.00 s after the first byte        of the first byte, with
  (client_header_          (4 bytes sent); an idle connection with    no response or a well-
  timeout 2s)              no byte is closed after 2.00 s too         formed 408; not before
                                                                      1.5 s (the server runs
                                                                      --request-timeout 2)

Two of nginx's answers differ from other readings of RFC 9112/9110: for a
Transfer-Encoding whose last coding is not chunked RFC 9112 6.3 says 400
(nginx: 501; either is accepted here, with the connection closed), and RFC 9110 13.1.3 would allow 304 for any
If-Modified-Since at or after Last-Modified (nginx's default is exact
equality, asserted here).
"""
import email.utils
import gzip
import random
import time
import unittest
import zlib

from nashra_e2e import ServerTestCase
from rawhttp import Connection, HttpError, exchange, still_serving, trickle

TIMEOUT = 2.5          # seconds for one response; nginx answers every case at once
DEADLINE = 2           # --request-timeout of the RequestDeadline class

CHROME_LINES = (
    'Connection: keep-alive',
    'sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
    'sec-ch-ua-mobile: ?0',
    'sec-ch-ua-platform: "Windows"',
    'Upgrade-Insecure-Requests: 1',
    'User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 '
    '(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,'
    'image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
    'Sec-Fetch-Site: same-origin',
    'Sec-Fetch-Mode: navigate',
    'Sec-Fetch-User: ?1',
    'Sec-Fetch-Dest: document',
    'Accept-Encoding: gzip, deflate',
    'Accept-Language: ar-EG,ar;q=0.9,en-US;q=0.8,en;q=0.7',
    'Priority: u=0, i',
)
COOKIE_NAMES = ("_ga", "_gid", "_fbp", "_gcl_au", "consent", "session", "ab_home", "ab_article",
                "_hjSessionUser", "_clck", "_clsk", "prefs", "region", "__cf_bm", "_pk_id", "_pk_ses")
COOKIE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"


def cookie_line(rng, size):
    """A Cookie header line of exactly size bytes (CRLF excluded)."""
    out, n = "Cookie: ", 0
    while True:
        value = "".join(rng.choice(COOKIE_CHARS) for _ in range(rng.randint(20, 90)))
        piece = ("; " if n else "") + "%s_%d=%s" % (rng.choice(COOKIE_NAMES), n, value)
        n += 1
        if len(out) + len(piece) + 16 > size:
            return out + "; pad=" + "p" * (size - len(out) - len("; pad="))
        out += piece


def chrome_head(hostport, total, line=1000, path="/", seed=1):
    """A GET whose head is exactly total bytes: Chrome's navigation headers
    followed by Cookie lines of about line bytes each."""
    rng = random.Random(seed)
    lines = ["GET %s HTTP/1.1" % path, "Host: " + hostport]
    lines += CHROME_LINES[:11] + ("Referer: http://%s/" % hostport,) + CHROME_LINES[11:]
    rest = total - sum(len(x) + 2 for x in lines) - 2
    k = max(1, -(-rest // line))
    for i in range(k):
        lines.append(cookie_line(rng, rest // k + (1 if i < rest % k else 0) - 2))
    data = ("\r\n".join(lines) + "\r\n\r\n").encode()
    assert len(data) == total, (len(data), total)
    return data


def req(hostport, first="GET / HTTP/1.1", *lines, body=b"", host=True):
    """A request head from its lines (Host first unless host is False)."""
    head = [first] + (["Host: " + hostport] if host else []) + list(lines)
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def query_500():
    return "/?" + "&".join("a%d=%d" % (i, i + 1) for i in range(500))


# name -> function(host:port) -> the exact bytes sent
REQUESTS = {
    "head_16k": lambda hp: chrome_head(hp, 16 * 1024),
    "head_30k": lambda hp: chrome_head(hp, 30 * 1024),
    "query_500_params": lambda hp: req(hp, "GET %s HTTP/1.1" % query_500()),
    "header_line_over_8k": lambda hp: req(hp, "GET / HTTP/1.1", "User-Agent: e2e",
                                          "Cookie: c=" + "x" * (9 * 1024)),
    "request_line_over_8k": lambda hp: req(hp, "GET /%s/ HTTP/1.1" % ("a" * (9 * 1024))),
    "head_over_32k": lambda hp: chrome_head(hp, 33 * 1024),
    "http11_without_host": lambda hp: req(hp, "GET / HTTP/1.1", "User-Agent: e2e", host=False),
    "two_host_headers": lambda hp: req(hp, "GET / HTTP/1.1", "Host: other.example"),
    "nul_in_header_value": lambda hp: req(hp, "GET / HTTP/1.1", "User-Agent: a\0b"),
    "nul_after_path": lambda hp: req(hp, "GET /\0abc HTTP/1.1"),
    "space_in_header_name": lambda hp: req(hp, "GET / HTTP/1.1", "Foo Bar: x"),
    "space_before_colon": lambda hp: req(hp, "GET / HTTP/1.1", "Host : " + hp, host=False),
    "obs_fold": lambda hp: req(hp, "GET / HTTP/1.1", "X-Folded: a", " b"),
    "garbage_request_line": lambda hp: b"GARBAGE\r\n\r\n",
    "bare_cr_line_ends": lambda hp: ("GET / HTTP/1.1\rHost: %s\r\r" % hp).encode(),
    "te_xchunked": lambda hp: req(hp, "POST / HTTP/1.1", "Transfer-Encoding: xchunked",
                                  body=b"0\r\n\r\n"),
    "cl_and_te_chunked": lambda hp: req(hp, "POST / HTTP/1.1", "Content-Length: 5",
                                        "Transfer-Encoding: chunked", body=b"0\r\n\r\n"),
    "two_content_lengths": lambda hp: req(hp, "POST / HTTP/1.1", "Content-Length: 3",
                                          "Content-Length: 4", body=b"abcd"),
    "content_length_abc": lambda hp: req(hp, "POST / HTTP/1.1", "Content-Length: abc", body=b"abc"),
    "content_length_minus_1": lambda hp: req(hp, "POST / HTTP/1.1", "Content-Length: -1", body=b"x"),
    "content_length_huge": lambda hp: req(hp, "POST / HTTP/1.1", "Content-Length: 1000000000000",
                                          "Content-Type: application/octet-stream", body=b"x" * 16),
    "absolute_form": lambda hp: req(hp, "GET http://%s/ HTTP/1.1" % hp),
    "http10_without_host": lambda hp: req(hp, "GET / HTTP/1.0", "User-Agent: e2e", host=False),
    "post": lambda hp: req(hp, "POST / HTTP/1.1", "Content-Type: application/x-www-form-urlencoded",
                           "Content-Length: 7", body=b"name=ab"),
    "put": lambda hp: req(hp, "PUT / HTTP/1.1", "Content-Type: text/plain", "Content-Length: 5",
                          body=b"hello"),
    "delete": lambda hp: req(hp, "DELETE / HTTP/1.1"),
}


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def http_dates(t):
    """t (epoch seconds) in the three forms of RFC 9110 5.6.7: IMF-fixdate
    (Sun, 06 Nov 1994 08:49:37 GMT), RFC 850 (Sunday, 06-Nov-94 08:49:37
    GMT) and asctime (Sun Nov  6 08:49:37 1994)."""
    g = time.gmtime(t)
    day, mon, hms = DAYS[g.tm_wday], MONTHS[g.tm_mon - 1], "%02d:%02d:%02d" % g[3:6]
    return {"imf": "%s, %02d %s %d %s GMT" % (day[:3], g.tm_mday, mon, g.tm_year, hms),
            "rfc850": "%s, %02d-%s-%02d %s GMT" % (day, g.tm_mday, mon, g.tm_year % 100, hms),
            "asctime": "%s %s %2d %s %d" % (day[:3], mon, g.tm_mday, hms, g.tm_year)}


def conditional(hp, path, ims):
    return req(hp, "GET %s HTTP/1.1" % path, "If-Modified-Since: " + ims)


SLOW_HEAD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: trickle\r\nAccept: */*\r\n\r\n"


def decoded_body(r):
    enc = (r.header("content-encoding") or "identity").strip().lower()
    if enc in ("gzip", "x-gzip"):
        return gzip.decompress(r.body)
    if enc == "deflate":
        return zlib.decompress(r.body)
    if enc == "identity":
        return r.body
    raise AssertionError("unexpected Content-Encoding %r" % enc)


class Hostile(ServerTestCase):
    """One server for all the cases; each test leaves it answering GET /."""

    @property
    def hp(self):
        return "127.0.0.1:%d" % self.site.port

    def tearDown(self):
        still_serving(self.site)

    def send(self, data, what, **kw):
        """One exchange on a new connection; a malformed response, none at
        all or a timeout fails the test."""
        try:
            return exchange("127.0.0.1", self.site.port, data, timeout=TIMEOUT, **kw)
        except HttpError as e:
            err = "%s: %s: %s" % (what, type(e).__name__, e)
        self.fail(err)

    def expect(self, name, status, closes=False):
        """status: the one nginx gives, or a tuple of those accepted."""
        r = self.send(REQUESTS[name](self.hp), name)
        allowed = status if isinstance(status, tuple) else (status,)
        self.assertIn(r.status, allowed, "%s: %d %s (want %s)\n%r" % (
            name, r.status, r.reason, allowed, r.raw[:400]))
        if closes:
            self.assertTrue(r.closed, "%s: connection kept open after the %s: the rest of the "
                            "request would be read as a new one" % (name, status))
        return r

    def home(self):
        """A plain GET / (identity encoding) as reference."""
        r = self.send(req(self.hp, "GET / HTTP/1.1"), "reference GET /")
        self.assertEqual(r.status, 200)
        return r

    def assert_full_page(self, name, r):
        ref = self.home()
        self.assertEqual(r.status, 200, "%s: %d %s" % (name, r.status, r.reason))
        self.assertEqual(decoded_body(r), ref.body, "%s: not the page GET / gives" % name)

    # -- large but legitimate heads -------------------------------------
    def test_head_16k(self):
        self.assert_full_page("head_16k", self.expect("head_16k", 200))

    def test_head_30k(self):
        self.assert_full_page("head_30k", self.expect("head_30k", 200))

    def test_query_500_params(self):
        r = self.expect("query_500_params", 200)
        self.assertIn(b"</html>", r.body)

    # -- limits ---------------------------------------------------------
    def test_header_line_over_8k(self):
        self.expect("header_line_over_8k", 400)

    def test_request_line_over_8k(self):
        self.expect("request_line_over_8k", 414)

    def test_head_over_32k(self):
        self.expect("head_over_32k", 400)

    # -- malformed heads ------------------------------------------------
    def test_http11_without_host(self):
        self.expect("http11_without_host", 400)

    def test_two_host_headers(self):
        self.expect("two_host_headers", 400)

    def test_nul_in_header_value(self):
        self.expect("nul_in_header_value", 400)

    def test_nul_after_path(self):
        self.expect("nul_after_path", 400)

    def test_space_in_header_name(self):
        self.expect("space_in_header_name", 400)

    def test_space_before_colon(self):
        self.expect("space_before_colon", 400)

    def test_obs_fold(self):
        self.expect("obs_fold", 400)

    def test_garbage_request_line(self):
        self.expect("garbage_request_line", 400)

    def test_bare_cr_line_ends(self):
        self.expect("bare_cr_line_ends", 400)

    # -- body framing ---------------------------------------------------
    def test_te_xchunked(self):
        # nginx says 501; RFC 9112 6.3 says 400 for a body whose length
        # cannot be determined, which is what the HTTP library answers.
        # Either refuses the request and closes; neither hangs.
        self.expect("te_xchunked", (400, 501), closes=True)

    def test_cl_and_te_chunked(self):
        self.expect("cl_and_te_chunked", 400, closes=True)

    def test_two_content_lengths(self):
        self.expect("two_content_lengths", 400, closes=True)

    def test_content_length_abc(self):
        self.expect("content_length_abc", 400, closes=True)

    def test_content_length_minus_1(self):
        self.expect("content_length_minus_1", 400, closes=True)

    def test_content_length_huge(self):
        self.expect("content_length_huge", 413)

    # -- request forms nginx accepts --------------------------------------
    def test_absolute_form(self):
        self.assert_full_page("absolute_form", self.expect("absolute_form", 200))

    def test_http10_without_host(self):
        self.assert_full_page("http10_without_host", self.expect("http10_without_host", 200))

    # -- methods the server does not serve --------------------------------
    def read(self, conn, what):
        try:
            return conn.read_response()
        except HttpError as e:
            err = "%s: %s: %s" % (what, type(e).__name__, e)
        self.fail(err)

    def refused(self, name):
        """405 with Allow; a GET pipelined behind the request (and its
        body) is answered 200, or the connection ends after the 405."""
        data = REQUESTS[name](self.hp) + req(self.hp, "GET / HTTP/1.1", "Connection: close")
        with Connection("127.0.0.1", self.site.port, TIMEOUT) as c:
            c.send(data)
            r = self.read(c, name)
            self.assertEqual(r.status, 405, "%s: %d %s" % (name, r.status, r.reason))
            self.assertIn("GET", r.header("allow", ""), "%s: 405 without Allow: GET" % name)
            if c.eof and not c.buf:
                return
            r2 = self.read(c, name + ", then the GET pipelined after it")
            self.assertEqual(r2.status, 200, "%s: the GET pipelined after it got %d: the body "
                             "was read as a request?" % (name, r2.status))
            extra, _ = c.watch(0.2)
            self.assertEqual(extra, b"", "%s: bytes after the second response" % name)

    def test_post(self):
        self.refused("post")

    def test_put(self):
        self.refused("put")

    def test_delete(self):
        self.refused("delete")

    # -- conditional GET: nginx's rule, 304 only for the exact date --------
    def last_modified(self):
        lm = self.home().header("last-modified")
        self.assertTrue(lm, "GET / has no Last-Modified")
        return int(email.utils.parsedate_to_datetime(lm).timestamp())

    def conditional(self, ims, status, what):
        r = self.send(conditional(self.hp, "/", ims), what)
        self.assertEqual(r.status, status, "If-Modified-Since: %s (%s) -> %d" % (ims, what, r.status))
        if status == 304:
            self.assertEqual(r.body, b"")
        return r

    def test_ims_future(self):
        self.last_modified()
        future = http_dates(int(time.time()) + 365 * 86400)["imf"]
        r = self.conditional(future, 200, "a year from now")
        self.assertEqual(r.body, self.home().body)

    def test_ims_equal_imf_fixdate(self):
        self.conditional(http_dates(self.last_modified())["imf"], 304, "IMF-fixdate")

    def test_ims_equal_rfc850(self):
        self.conditional(http_dates(self.last_modified())["rfc850"], 304, "RFC 850")

    def test_ims_equal_asctime(self):
        self.conditional(http_dates(self.last_modified())["asctime"], 304, "asctime")

    def test_ims_later_than_last_modified(self):
        t = self.last_modified() + 1
        if t > time.time():
            self.skipTest("Last-Modified is this very second")
        self.conditional(http_dates(t)["imf"], 200, "Last-Modified + 1 s")


class RequestDeadline(ServerTestCase):
    """--request-timeout: a head that does not arrive in time is cut off,
    however busily it trickles."""
    server_args = ("--request-timeout", str(DEADLINE))

    def tearDown(self):
        still_serving(self.site)

    def test_trickled_head_is_cut_off(self):
        limit = DEADLINE + 1.5
        res = trickle("127.0.0.1", self.site.port, SLOW_HEAD, interval=0.5, limit=limit)
        self.assertTrue(res.closed, "connection still open %.1f s after the first byte, %d bytes "
                        "trickled: the trickle keeps it alive (%r)" % (limit, res.sent, res))
        self.assertIsNone(res.error, "malformed answer to the slow head: %s" % res.error)
        if res.response is not None:
            self.assertEqual(res.response.status, 408, "answered %d to an incomplete head"
                             % res.response.status)
        elif res.data:
            self.fail("bytes that are no response: %r" % res.data[:200])
        self.assertGreaterEqual(res.closed_after, DEADLINE - 0.5,
                                "cut off after %.2f s, before the %d s deadline" % (res.closed_after, DEADLINE))


if __name__ == "__main__":
    unittest.main()
