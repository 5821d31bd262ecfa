"""Load and abuse: what the server must withstand from hostile or merely
heavy clients, each class on a server of its own.

  * Slowloris: one address opens 900 connections that trickle a request
    head a byte a second or say nothing at all. The per-client bound
    (--max-conns-per-client) closes all but 64 at once, the request deadline
    (--request-timeout) closes the rest, and a reader at another address is
    served within a second all along, on a server whose descriptor limit
    (1024) the attacker alone would otherwise exhaust. A trusted reverse
    proxy (--trusted-proxy) is exempt from the bound; anyone else is not.
  * Spelling flood: 100,000 distinct percent-encodings of four real paths
    (%73 for "s", %d9 for %D9...). Every one is the real page; the response
    cache (--cache-size 8) stays within its bound, so does the process's
    memory, and the hot page is still a cache hit afterwards.
  * Outside writer: wrk on the home page and an article while another
    process (the database's command-line tool, sqlite3 or psql) rewrites
    the article's title over and over: the server stays up, wrk sees no
    error, and each new title shows on the next request.

Every socket here connects to the server on 127.0.0.1; the other loopback
addresses (127.0.0.2, .3, .5) are only source addresses, bound before the
connection is made, so that the server sees several clients. Every loop is
bounded in count and in time.
"""
import collections
import errno
import http.client
import itertools
import os
import random
import re
import resource
import select
import shutil
import signal
import socket
import string
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

from nashra_e2e import BIN, ServerTestCase, Site, headline, parse_html, quote_path, without_token

NORMAL_ADDR = "127.0.0.2"     # a reader
ATTACKER_ADDR = "127.0.0.3"   # the slowloris; the trusted proxy in ProxyExemption
OTHER_ADDR = "127.0.0.5"      # an ordinary client limited by the per-client bound
MIB = 1024 * 1024


def limit_nofile(n):
    """A preexec_fn for Site.start: the server gets RLIMIT_NOFILE n."""
    def apply():
        resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
    return apply


def raise_own_nofile(want):
    """This process needs many sockets: lift its soft descriptor limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < want:
        raise unittest.SkipTest("this process may open only %d descriptors, the test needs %d" % (soft, want))


def connect_from(src, port, timeout=2.0):
    """A blocking TCP connection from source address src to 127.0.0.1:port."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.settimeout(timeout)
        s.bind((src, 0))
        s.connect(("127.0.0.1", port))
    except BaseException:
        s.close()
        raise
    return s


def closed_by_peer(sock, wait):
    """Within `wait` seconds, did the server close sock (EOF or reset)?
    Bytes it sends first (an error page) are read and ignored. Returns
    (closed, seconds waited, bytes received)."""
    t0 = time.monotonic()
    got = 0
    while True:
        left = wait - (time.monotonic() - t0)
        if left <= 0:
            return False, time.monotonic() - t0, got
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return False, time.monotonic() - t0, got
        except (ConnectionResetError, BrokenPipeError):
            return True, time.monotonic() - t0, got
        if not data:
            return True, time.monotonic() - t0, got
        got += len(data)


def timed_get(port, path="/", src=NORMAL_ADDR, timeout=5.0):
    """GET path on a new connection from src: (status or exception text, seconds)."""
    t0 = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(src, 0))
    try:
        c.putrequest("GET", path, skip_accept_encoding=True)
        c.endheaders()
        r = c.getresponse()
        r.read()
        return r.status, time.monotonic() - t0
    except (OSError, http.client.HTTPException) as e:
        return "%s: %s" % (type(e).__name__, e), time.monotonic() - t0
    finally:
        c.close()


# -- a pipelining HTTP/1.1 response reader --------------------------------
class PeerClosed(Exception):
    """The server closed the connection between two responses."""


class HttpReader:
    """Reads HTTP/1.1 responses off one socket, pipelined. Bodies that are
    not wanted are skipped without being copied."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()
        self.pos = 0

    def _fill(self):
        data = self.sock.recv(262144)
        if not data:
            raise EOFError("connection closed in the middle of a response")
        self.buf += data

    def _line_end(self, start):
        while True:
            i = self.buf.find(b"\r\n", start)
            if i >= 0:
                return i
            self._fill()

    def _need(self, n):
        while len(self.buf) - self.pos < n:
            self._fill()

    def response(self, keep_body=True):
        """(status, headers with lower-case names, body or None)."""
        if self.pos > MIB:               # compact now and then, not per response
            del self.buf[:self.pos]
            self.pos = 0
        if self.pos == len(self.buf):
            try:
                self._fill()
            except EOFError:
                raise PeerClosed() from None
        scan = self.pos
        while True:
            i = self.buf.find(b"\r\n\r\n", scan)
            if i >= 0:
                break
            scan = max(self.pos, len(self.buf) - 3)
            self._fill()
        head = bytes(self.buf[self.pos:i]).decode("latin-1")
        self.pos = i + 4
        lines = head.split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise ValueError("bad status line %r" % lines[0])
        status = int(parts[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        body = bytearray() if keep_body else None
        if status in (204, 304) or 100 <= status < 200:
            pass
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            while True:
                e = self._line_end(self.pos)
                size = int(bytes(self.buf[self.pos:e]).split(b";")[0], 16)
                self.pos = e + 2
                if size == 0:
                    while True:                      # trailer, then an empty line
                        e = self._line_end(self.pos)
                        empty = e == self.pos
                        self.pos = e + 2
                        if empty:
                            break
                    break
                self._need(size + 2)
                if keep_body:
                    body += self.buf[self.pos:self.pos + size]
                self.pos += size + 2
        elif "content-length" in headers:
            n = int(headers["content-length"])
            self._need(n)
            if keep_body:
                body += self.buf[self.pos:self.pos + n]
            self.pos += n
        else:
            raise ValueError("response %d without Content-Length or chunked coding" % status)
        return status, headers, (bytes(body) if keep_body else None)


def request_bytes(path, port, extra=""):
    return ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n" % (path, port, extra)).encode("ascii")


# -- 1. slowloris ----------------------------------------------------------
class _AbuseCase(ServerTestCase):
    """A ServerTestCase whose server may start with a lower descriptor limit."""
    nofile = None

    @classmethod
    def setUpClass(cls):
        cls.site = Site(demo=cls.demo, extra_args=cls.server_args)
        try:
            cls.site.start(preexec_fn=limit_nofile(cls.nofile) if cls.nofile else None)
        except Exception:
            cls.site.cleanup()
            raise

    def assert_alive(self, when):
        rc = self.site.proc.poll()
        if rc is not None:
            self.fail("server exited (status %r) %s:\n%s" % (rc, when, self.site.log_tail()))


class _AttackConn:
    __slots__ = ("sock", "kind", "opened", "closed", "how", "got", "sent")

    def __init__(self, sock, kind):
        self.sock, self.kind = sock, kind
        self.opened = self.closed = None
        self.how = None
        self.got = 0
        self.sent = 0


class Slowloris(_AbuseCase):
    nofile = 1024
    BOUND = 64
    DEADLINE = 5.0
    SLACK = 2.0           # a connection may outlive the deadline by this much
    AT_ONCE = 1.5         # "closed at once": within this long of connecting
    TRICKLERS = 500
    SILENT = 400
    DURATION = 8.0        # of the attack
    HARD_STOP = 13.0      # the attack loop ends by then whatever happens
    server_args = ("--max-conns-per-client", str(BOUND), "--request-timeout", "%g" % DEADLINE)
    # a head that never completes at one byte a second
    HEAD = (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris-e2e\r\n"
            b"Accept: text/html\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n")

    @classmethod
    def setUpClass(cls):
        raise_own_nofile(4096)
        super().setUpClass()

    def test_slowloris(self):
        port = self.site.port
        conns = []
        poller = select.poll()
        by_fd = {}
        normal = []                 # (seconds since start, status, seconds taken)
        stop = threading.Event()

        def reader():
            t_next = time.monotonic()
            while not stop.is_set():
                status, took = timed_get(port, "/", NORMAL_ADDR, timeout=5.0)
                normal.append((time.monotonic() - t0, status, took))
                t_next += 0.5
                stop.wait(max(0.0, t_next - time.monotonic()))

        def mark_closed(c, how, now):
            if c.closed is None:
                c.closed, c.how = now, how
                try:
                    poller.unregister(c.sock)
                except (KeyError, ValueError):
                    pass
                c.sock.close()

        t0 = time.monotonic()
        th = threading.Thread(target=reader, daemon=True)
        th.start()
        try:
            # open them all, non-blocking, from the attacker's address
            n_all = self.TRICKLERS + self.SILENT
            for i in range(n_all):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                s.bind((ATTACKER_ADDR, 0))
                err = s.connect_ex(("127.0.0.1", port))
                # interleaved (5 trickling to 4 silent), so that those the
                # bound lets in are of both kinds and both meet the deadline
                c = _AttackConn(s, "trickle" if i * self.TRICKLERS % n_all < self.TRICKLERS else "silent")
                conns.append(c)
                if err not in (0, errno.EINPROGRESS):
                    c.closed, c.how = time.monotonic(), "connect: %s" % os.strerror(err)
                    s.close()
                    continue
                by_fd[s.fileno()] = c
                poller.register(s, select.POLLOUT | select.POLLIN)
            next_tick = time.monotonic()
            while True:
                now = time.monotonic()
                opened = [c.opened for c in conns if c.opened is not None]
                pending = [c for c in conns if c.opened is None and c.closed is None]
                end = t0 + self.DURATION
                if opened:
                    end = max(end, max(opened) + self.DEADLINE + self.SLACK + 0.3)
                if now >= min(end, t0 + self.HARD_STOP) and (not pending or now >= t0 + self.HARD_STOP):
                    break
                if pending and now - t0 > 3.0:          # never connected: give up on them
                    for c in pending:
                        mark_closed(c, "connect timed out", now)
                for fd, ev in poller.poll(50):
                    c = by_fd.get(fd)
                    if c is None or c.closed is not None:
                        continue
                    now = time.monotonic()
                    if c.opened is None:
                        err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                        if err:
                            mark_closed(c, "connect: %s" % os.strerror(err), now)
                            continue
                        c.opened = now
                        poller.modify(c.sock, select.POLLIN)
                        if not ev & (select.POLLIN | select.POLLHUP | select.POLLERR):
                            continue
                    try:
                        data = c.sock.recv(65536)
                    except BlockingIOError:
                        continue
                    except OSError as e:
                        mark_closed(c, "reset" if isinstance(e, ConnectionResetError) else str(e), now)
                        continue
                    if data:
                        c.got += len(data)
                    else:
                        mark_closed(c, "eof", now)
                now = time.monotonic()
                if now >= next_tick:                    # one more byte from every trickler
                    next_tick += 1.0
                    for c in conns:
                        if c.kind == "trickle" and c.opened is not None and c.closed is None \
                                and c.sent < len(self.HEAD):
                            try:
                                c.sock.send(self.HEAD[c.sent:c.sent + 1])
                                c.sent += 1
                            except BlockingIOError:
                                pass
                            except OSError as e:
                                mark_closed(c, "send: %s" % e, now)
            t_end = time.monotonic()
        finally:
            stop.set()
            th.join(10)
            for c in conns:
                if c.closed is None:
                    c.sock.close()
        self.assert_alive("during the attack")

        # -- what happened to the attacker
        never = [c for c in conns if c.opened is None]
        life = [((c.closed if c.closed is not None else t_end) - c.opened, c) for c in conns if c.opened is not None]
        at_once = [c for t, c in life if c.closed is not None and t <= self.AT_ONCE]
        held = [(t, c) for t, c in life if not (c.closed is not None and t <= self.AT_ONCE)]
        still_open = [(t, c) for t, c in held if c.closed is None]
        too_long = [(t, c) for t, c in held if t > self.DEADLINE + self.SLACK]
        held_kinds = collections.Counter(c.kind for _, c in held)
        hows = collections.Counter(c.how for c in conns)
        summary = ("attacker: %d connections (%d trickling, %d silent), %d never connected; "
                   "%d closed within %.1f s (at once), %d held longer (%s), lifetimes of those %s s; "
                   "%d still open after %.1f s; close kinds %s"
                   % (len(conns), self.TRICKLERS, self.SILENT, len(never), len(at_once), self.AT_ONCE,
                      len(held), dict(held_kinds),
                      ("%.1f..%.1f" % (min(t for t, _ in held), max(t for t, _ in held))) if held else "-",
                      len(still_open), t_end - t0, dict(hows)))
        print("\n  slowloris: " + summary, file=sys.stderr)
        slow = [(round(t, 1), s, round(d, 3)) for t, s, d in normal if s != 200 or d >= 1.0]
        print("  slowloris: reader at %s: %d GETs, slowest %.3f s"
              % (NORMAL_ADDR, len(normal), max((d for _, _, d in normal), default=0)), file=sys.stderr)

        # -- the reader was served all along
        self.assertGreaterEqual(len(normal), int(self.DURATION / 0.5) - 2, "too few reader GETs: %r" % normal)
        self.assertEqual(slow, [], "reader GETs (at s since start, status, seconds) not 200 within 1 s")
        # -- the attacker got no more than the bound, and not for longer than the deadline
        self.assertEqual(never, [], summary)
        self.assertLessEqual(len(held), self.BOUND, "more attacker connections held than the bound: " + summary)
        self.assertGreaterEqual(len(held), 1, "the bound let no attacker connection in at all: " + summary)
        self.assertEqual(sorted(held_kinds), ["silent", "trickle"],
                         "the bound let in connections of one kind only: " + summary)
        self.assertEqual(still_open, [], "attacker connections still open past the deadline: " + summary)
        self.assertEqual([round(t, 2) for t, _ in too_long], [],
                         "attacker connections open longer than deadline + %g s: %s" % (self.SLACK, summary))
        # -- and the server still answers
        status, took = timed_get(port, "/", NORMAL_ADDR)
        self.assertEqual(status, 200, "GET / after the attack")
        status, took = timed_get(port, "/", ATTACKER_ADDR)
        self.assertEqual(status, 200, "GET / from the former attacker's address after the attack")
        self.assert_alive("after the attack")


class ProxyExemption(_AbuseCase):
    """A trusted proxy may hold any number of connections; another address
    is held to --max-conns-per-client."""
    BOUND = 10
    PROXY_CONNS = 100
    server_args = ("--max-conns-per-client", str(BOUND), "--trusted-proxy", ATTACKER_ADDR)

    @classmethod
    def setUpClass(cls):
        raise_own_nofile(1024)
        super().setUpClass()

    def get_on(self, sock, reader, extra=""):
        sock.settimeout(10)
        sock.sendall(request_bytes("/", self.site.port, extra))
        status, headers, _ = reader.response(keep_body=False)
        return status, headers

    def test_trusted_proxy_exempt(self):
        port = self.site.port
        proxy, others = [], []
        try:
            for i in range(self.PROXY_CONNS):
                try:
                    proxy.append(connect_from(ATTACKER_ADDR, port))
                except OSError as e:
                    self.fail("proxy connection %d of %d could not connect: %s" % (i + 1, self.PROXY_CONNS, e))
            # idle for a while: none may be closed
            time.sleep(1.5)
            ready, _, _ = select.select(proxy, [], [], 0)
            closed = [proxy.index(s) + 1 for s in ready if closed_by_peer(s, 0.2)[0]]
            self.assertEqual(closed, [], "idle connections from the trusted proxy %s closed by the server "
                             "(bound %d)" % (ATTACKER_ADDR, self.BOUND))
            # each sends a request, as a proxy would, for a client of its own
            readers = [HttpReader(s) for s in proxy]
            bad = []
            for i, (s, r) in enumerate(zip(proxy, readers)):
                try:
                    st, h = self.get_on(s, r, "X-Forwarded-For: 127.77.%d.%d\r\n" % (i // 250, i % 250 + 1))
                    if st != 200 or h.get("connection", "").lower() == "close":
                        bad.append((i + 1, st, h.get("connection")))
                except (OSError, EOFError, PeerClosed, ValueError) as e:
                    bad.append((i + 1, type(e).__name__))
            self.assertEqual(bad, [], "GETs through the trusted proxy's connections (n, status or error)")

            # an ordinary client: BOUND connections, each served (so counted) ...
            oreaders = []
            for i in range(self.BOUND):
                s = connect_from(OTHER_ADDR, port)
                others.append(s)
                oreaders.append(HttpReader(s))
                st, _ = self.get_on(s, oreaders[-1])
                self.assertEqual(st, 200, "GET on connection %d of %s" % (i + 1, OTHER_ADDR))
            # ... and one more is closed by the server at once
            extra = connect_from(OTHER_ADDR, port)
            others.append(extra)
            closed, waited, got = closed_by_peer(extra, 2.0)
            self.assertTrue(closed, "connection %d from %s (bound %d) still open after %.1f s"
                            % (self.BOUND + 1, OTHER_ADDR, self.BOUND, waited))
            print("\n  proxy: connection %d from %s closed after %.3f s (%d bytes before the close)"
                  % (self.BOUND + 1, OTHER_ADDR, waited, got), file=sys.stderr)
            # the first BOUND are still open and served, and so are the proxy's
            for i, (s, r) in enumerate(zip(others, oreaders)):
                try:
                    st, _ = self.get_on(s, r)
                except (OSError, EOFError, PeerClosed) as e:
                    st = type(e).__name__
                self.assertEqual(st, 200, "second GET on connection %d of %s" % (i + 1, OTHER_ADDR))
            bad = []
            for i, (s, r) in enumerate(zip(proxy, readers)):
                try:
                    st, _ = self.get_on(s, r, "X-Forwarded-For: 127.77.%d.%d\r\n" % (i // 250, i % 250 + 1))
                    if st != 200:
                        bad.append((i + 1, st))
                except (OSError, EOFError, PeerClosed, ValueError) as e:
                    bad.append((i + 1, type(e).__name__))
            self.assertEqual(bad, [], "second GETs through the trusted proxy's connections")
        finally:
            for s in proxy + others:
                s.close()
        self.assert_alive("after the test")


# -- 2. spelling flood -----------------------------------------------------
UNRESERVED = set(string.ascii_letters + string.digits + "-._~")


def _hex_cases(b):
    """'%XX' for byte b in every mix of hex-digit case."""
    digits = ["%X" % (b >> 4), "%X" % (b & 15)]
    opts = [[d] if d.isdigit() else [d, d.lower()] for d in digits]
    return ["%" + x + y for x, y in itertools.product(*opts)]


def spelling_options(canonical):
    """For each byte of the percent-encoded path `canonical`, every way it
    may be written: unreserved ASCII as itself or escaped, other bytes
    escaped in either hex case; '/' only as itself."""
    out, i = [], 0
    while i < len(canonical):
        if canonical[i] == "%":
            out.append(_hex_cases(int(canonical[i + 1:i + 3], 16)))
            i += 3
            continue
        ch = canonical[i]
        if ch in UNRESERVED:
            out.append([ch] + _hex_cases(ord(ch)))
        else:
            out.append([ch])
        i += 1
    return out


def spellings(canonical, count, rng):
    """`count` distinct spellings of canonical other than itself (all of
    them if there are fewer)."""
    opts = spelling_options(canonical)
    total = 1
    for o in opts:
        total *= len(o)
    if total - 1 <= count:
        return sorted(set("".join(p) for p in itertools.product(*opts)) - {canonical})
    seen = set()
    for _ in range(count * 20):
        rb = rng.randbytes(len(opts))
        s = "".join(o[b % len(o)] for o, b in zip(opts, rb))
        if s != canonical:
            seen.add(s)
            if len(seen) == count:
                break
    return sorted(seen)


def decode_path(p):
    return urllib.parse.unquote_to_bytes(p)


def vm_rss(pid):
    """Resident set size of pid in bytes (None if it is gone)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def sanitizer_build():
    """True when BIN was built with AddressSanitizer or ThreadSanitizer
    (its RSS says little: both keep shadow memory that grows with the heap)."""
    try:
        with open(BIN, "rb") as f:
            data = f.read()
            return b"__asan_init" in data or b"__tsan_init" in data
    except OSError:
        return False


STAT_RE = re.compile(r'"?\b(cache_(?:entries|bytes|hits|misses))"?\s*[:=]?\s*(\d+)')


def cache_stats(site):
    """The cache counters /healthz reports: {name: int}, or a string saying
    why there are none."""
    try:
        r = site.get("/healthz", timeout=10)
    except OSError as e:
        return "GET /healthz: %s" % e
    if r.status != 200:
        return "GET /healthz -> %d" % r.status
    found = dict((k, int(v)) for k, v in STAT_RE.findall(r.body.decode("utf-8", "replace")))
    missing = [k for k in ("cache_entries", "cache_bytes", "cache_hits", "cache_misses") if k not in found]
    if missing:
        return "/healthz does not report %s; body: %r" % (", ".join(missing), r.body[:300])
    return found


class _FloodWorker(threading.Thread):
    """Sends its share of the flood over one keep-alive connection at a
    time, DEPTH requests per write, and checks every response against
    canon: key -> (the canonical body with its form token's value blanked,
    the body's length)."""
    DEPTH = 16
    MAX_RECONNECTS = 500

    def __init__(self, port, reqs, canon, deadline):
        super().__init__(daemon=True)
        self.port, self.reqs, self.canon, self.deadline = port, reqs, canon, deadline
        self.done = 0
        self.statuses = collections.Counter()
        self.bad = []               # (path, status) examples
        self.len_mismatch = []      # (path, length, want)
        self.bodies_checked = 0
        self.body_mismatch = []     # paths
        self.errors = []
        self.reconnects = 0

    def run(self):
        sock = reader = None
        i, n = 0, len(self.reqs)
        try:
            while i < n:
                if time.monotonic() > self.deadline:
                    self.errors.append("flood time limit reached")
                    break
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", self.port), timeout=20)
                    sock.settimeout(20)
                    reader = HttpReader(sock)
                batch = self.reqs[i:i + self.DEPTH]
                sock.sendall(b"".join(request_bytes(p, self.port) for _, p, _ in batch))
                for idx, path, key in batch:
                    want, want_len = self.canon[key]
                    keep = idx % 100 == 0
                    try:
                        status, headers, body = reader.response(keep_body=keep)
                    except PeerClosed:
                        sock.close()
                        sock = None
                        self.reconnects += 1
                        if self.reconnects > self.MAX_RECONNECTS:
                            raise RuntimeError("server closed %d connections" % self.reconnects)
                        break
                    i += 1
                    self.done += 1
                    self.statuses[status] += 1
                    if status != 200:
                        if len(self.bad) < 10:
                            self.bad.append((path, status))
                    elif keep:
                        self.bodies_checked += 1
                        if without_token(body) != want:
                            self.body_mismatch.append(path)
                    elif "content-length" in headers and int(headers["content-length"]) != want_len:
                        if len(self.len_mismatch) < 10:
                            self.len_mismatch.append((path, headers.get("content-length"), want_len))
                    if headers.get("connection", "").lower() == "close":
                        sock.close()
                        sock = None
                        break
        except Exception as e:  # reported by the test, with where it stopped
            self.errors.append("after %d of %d requests: %s: %s" % (i, n, type(e).__name__, e))
        finally:
            if sock is not None:
                sock.close()


def run_flood(port, reqs, canon, conns, budget, sample=None, period=0.25):
    """Spread reqs over `conns` workers; call sample() every `period` s
    until they finish. Returns (workers, seconds)."""
    deadline = time.monotonic() + budget
    workers = [_FloodWorker(port, reqs[k::conns], canon, deadline) for k in range(conns)]
    t0 = time.monotonic()
    for w in workers:
        w.start()
    while any(w.is_alive() for w in workers):
        if sample:
            sample()
        for w in workers:
            w.join(period / len(workers))
    for w in workers:
        w.join(budget + 30)
    return workers, time.monotonic() - t0


class SpellingFlood(_AbuseCase):
    CACHE_MIB = 8
    server_args = ("--cache-size", str(CACHE_MIB))
    SPELLINGS = 100_000
    CONNS = 8
    BUDGET = 60.0          # seconds the flood may take at most (a cached page each time: ~10 s here)
    SEED = 20261130
    # What the process may hold beyond its warmed-up baseline and the
    # cache's own 8 MiB: the memory a flood can make grow besides the cache
    # (malloc arenas keeping freed buffers, the worker threads' SQLite page
    # caches, the buffers of the flood's 8 pipelined connections and of the
    # /healthz samples), and the allocator's overhead on the cache's 8 MiB.
    # Measured on the libmicrohttpd layer with this same flood: +1.4 MiB with
    # --no-cache (every request rendered: the most allocator churn there is);
    # +31 MiB with its cache limited to 8 MiB but keyed by spelling (a new
    # entry and an eviction for nearly every request: the worst churn a
    # cache that keeps its bound can cause); +171 MiB with a 64 MiB cache.
    # 24 MiB admits the first two with room, while a cache that does not
    # keep its bound or a leak of more than ~250 bytes a request (100,000
    # requests) goes over.
    RSS_MARGIN = 24 * MIB

    def fetch_canonical(self, path):
        """The page at path, the same for two GETs but for the value of its
        form token (an article's, signed for each response): (the body
        with that value blanked, the body's length)."""
        a = self.site.get(path)
        b = self.site.get(path)
        self.assertEqual((a.status, b.status), (200, 200), path)
        self.assertEqual(without_token(a.body), without_token(b.body), "%s changed between two GETs" % path)
        return without_token(b.body), len(b.body)

    def test_spelling_flood(self):
        site, port = self.site, self.site.port
        pid = site.proc.pid
        aid, slug, _ = site.seed()
        category = site.query("SELECT slug FROM categories ORDER BY id LIMIT 1")[0][0]
        article = quote_path("/%s/" % slug)
        cat_path = quote_path("/category/%s/" % category)
        canon_paths = {"article": article, "category": cat_path, "home": "/", "feed": "/feed/"}
        canon = {}
        for key, p in canon_paths.items():
            canon[key] = self.fetch_canonical(p)
        etag_before = site.get(article).header("etag")

        # the flood: distinct spellings of article, category and feed (and
        # the home page, which has none, asked for as it is every 100th time)
        rng = random.Random(self.SEED)
        feed = spellings("/feed/", self.SPELLINGS, rng)
        cats = spellings(cat_path, 40_000, rng)
        arts = spellings(article, self.SPELLINGS - len(feed) - len(cats), rng)
        flood = [(p, "feed") for p in feed] + [(p, "category") for p in cats] + [(p, "article") for p in arts]
        self.assertEqual(len(set(p for p, _ in flood)), self.SPELLINGS, "spellings are not distinct")
        for p, key in flood[:: 997]:
            self.assertEqual(decode_path(p), decode_path(canon_paths[key]), p)
        rng.shuffle(flood)
        reqs = []
        for n, (p, key) in enumerate(flood):
            if n % 100 == 50:
                reqs.append(("/", "home"))
            reqs.append((p, key))
        reqs = [(i, p, key) for i, (p, key) in enumerate(reqs)]

        # warm up: the same connections, canonical spellings only
        warm = [(i, canon_paths[k], k) for i, k in enumerate(list(canon_paths) * 2 * self.CONNS * 4)]
        workers, _ = run_flood(port, warm, canon, self.CONNS, 30)
        self.assertEqual([e for w in workers for e in w.errors], [], "warm-up")
        time.sleep(0.5)
        baseline = vm_rss(pid)
        limit = baseline + self.CACHE_MIB * MIB + self.RSS_MARGIN

        sanitized = sanitizer_build()
        rss, stats, stat_errors = [], [], []
        last_stat = [0.0]

        def sample():
            v = vm_rss(pid)
            if v is not None:
                rss.append(v)
            now = time.monotonic()
            if now - last_stat[0] >= 1.0:
                last_stat[0] = now
                s = cache_stats(site)
                (stats if isinstance(s, dict) else stat_errors).append(s)

        workers, took = run_flood(port, reqs, canon, self.CONNS, self.BUDGET, sample)
        self.assert_alive("during the flood")
        time.sleep(0.5)
        sample()
        last_stat[0] = 0.0
        sample()                                   # after the flood, cache stats too
        after_rss = vm_rss(pid)

        done = sum(w.done for w in workers)
        statuses = sum((w.statuses for w in workers), collections.Counter())
        errors = [e for w in workers for e in w.errors]
        report = ("flood: %d of %d requests answered in %.1f s (%.0f/s) over %d connections, %d reconnects; "
                  "statuses %s; %d bodies compared in full; RSS baseline %.1f MiB, max %.1f MiB, "
                  "after %.1f MiB, limit %.1f MiB; cache_bytes max %s"
                  % (done, len(reqs), took, done / took if took else 0, self.CONNS,
                     sum(w.reconnects for w in workers), dict(statuses),
                     sum(w.bodies_checked for w in workers), baseline / MIB, max(rss) / MIB,
                     after_rss / MIB, limit / MIB,
                     max((s["cache_bytes"] for s in stats), default="-")))
        print("\n  " + report, file=sys.stderr)

        problems = []
        if errors:
            problems.append("flood errors: %s" % errors[:5])
        if done != len(reqs):
            problems.append("only %d of %d requests answered" % (done, len(reqs)))
        bad = [b for w in workers for b in w.bad]
        if bad:
            problems.append("non-200 responses %s, e.g. %s" % (dict(statuses), bad[:5]))
        mism = [p for w in workers for p in w.body_mismatch]
        if mism:
            problems.append("%d bodies differ from the canonical page, e.g. %s" % (len(mism), mism[:3]))
        lmis = [x for w in workers for x in w.len_mismatch]
        if lmis:
            problems.append("Content-Length differs from the canonical page's: %s" % lmis[:5])
        over = [v for v in rss if v > limit]
        if over and sanitized:
            print("  (sanitizer build: RSS over the limit not counted: shadow memory grows with "
                  "the heap, and AddressSanitizer holds freed memory in quarantine)", file=sys.stderr)
        elif over:
            problems.append("RSS %.1f MiB over the limit %.1f MiB (baseline %.1f + cache %d + margin %d) "
                            "in %d of %d samples" % (max(over) / MIB, limit / MIB, baseline / MIB,
                                                     self.CACHE_MIB, self.RSS_MARGIN // MIB, len(over), len(rss)))
        if stat_errors:
            problems.append("cache statistics: %s" % stat_errors[0])
        big = [s["cache_bytes"] for s in stats if s["cache_bytes"] > self.CACHE_MIB * MIB]
        if big:
            problems.append("cache_bytes over %d MiB: %s" % (self.CACHE_MIB, big[:5]))

        # the hot page is still a cache hit (the first GET after the flood
        # already), and still the same page
        s0, s1, s2 = cache_stats(site), cache_stats(site), cache_stats(site)
        a1, a2 = site.get(article), site.get(article)
        s3 = cache_stats(site)
        if all(isinstance(x, dict) for x in (s0, s1, s2, s3)):
            # what reading /healthz itself does to the counters, if anything
            own = {k: s1[k] - s0[k] for k in ("cache_hits", "cache_misses")}
            own2 = {k: s2[k] - s1[k] for k in ("cache_hits", "cache_misses")}
            if own != own2:
                problems.append("reading /healthz moves the counters unevenly: %s then %s" % (own, own2))
            else:
                dh = s3["cache_hits"] - s2["cache_hits"] - own["cache_hits"]
                dm = s3["cache_misses"] - s2["cache_misses"] - own["cache_misses"]
                if (dh, dm) != (2, 0):
                    problems.append("two GETs of the canonical article after the flood: %d cache hits, "
                                    "%d misses (want 2 and 0)" % (dh, dm))
        else:
            problems.append("no cache statistics after the flood: %s"
                            % next(x for x in (s0, s1, s2, s3) if not isinstance(x, dict)))
        for n, r in enumerate((a1, a2), 1):
            same = (without_token(r.body), len(r.body)) == canon["article"]
            if r.status != 200 or not same:
                problems.append("GET %d of the canonical article after the flood: status %d, body %s"
                                % (n, r.status, "same" if same else "changed"))
            if r.header("etag") != etag_before:
                problems.append("article ETag %r before the flood, %r after" % (etag_before, r.header("etag")))
        self.assertEqual(problems, [], report)
        self.assert_alive("after the flood")


# -- 3. outside writer -----------------------------------------------------
def wrk_problems(out):
    """What wrk's report says went wrong, as a list of strings."""
    problems = []
    m = re.search(r"(\d+) requests in", out)
    if not m or int(m.group(1)) == 0:
        problems.append("no requests completed")
    m = re.search(r"Socket errors:\s*connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m and any(int(x) for x in m.groups()):
        problems.append(m.group(0))
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    if m and int(m.group(1)):
        problems.append(m.group(0))
    return problems


def describe_status(rc):
    if rc is None:
        return "running"
    if rc < 0:
        try:
            return "killed by %s (shell status %d)" % (signal.Signals(-rc).name, 128 - rc)
        except ValueError:
            return "killed by signal %d" % -rc
    return "exit status %d" % rc


@unittest.skipUnless(shutil.which("wrk"), "wrk is not installed (Debian package wrk; scripts/setup.sh installs it)")
class OutsideWriter(_AbuseCase):
    SECONDS = 15
    CHECK_EVERY = 10

    def test_writes_under_load(self):
        site, port = self.site, self.site.port
        aid, slug, _ = site.seed()
        article = quote_path("/%s/" % slug)
        death = []
        stop = threading.Event()

        def watch():
            while not stop.is_set():
                rc = site.proc.poll()
                if rc is not None:
                    death.append((time.monotonic() - t0, rc))
                    return
                stop.wait(0.1)

        t0 = time.monotonic()
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        wrks = []
        updates, checks = 0, 0
        write_fail, stale = [], []
        try:
            for path in ("/", article):
                wrks.append(subprocess.Popen(
                    ["wrk", "-t2", "-c32", "-d%ds" % self.SECONDS, "http://127.0.0.1:%d%s" % (port, path)],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True))
            i = 0
            last_check = t0
            while time.monotonic() - t0 < self.SECONDS and not death:
                i += 1
                try:
                    r = subprocess.run(site.database.shell("update articles set title='t%d' where id=%d" % (i, aid)),
                                       capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
                except subprocess.TimeoutExpired:
                    write_fail.append((i, "the command-line tool still running after 30 s"))
                    break
                if r.returncode != 0:
                    write_fail.append((i, r.returncode, r.stderr.strip()[:200]))
                    continue
                updates += 1
                # every few updates, and at least once a second however slow the writer
                if i % self.CHECK_EVERY == 0 or time.monotonic() - last_check >= 1:
                    last_check = time.monotonic()
                    checks += 1
                    try:
                        resp = site.get(article, timeout=10)
                        got = headline(parse_html(resp.text)) if resp.status == 200 else "status %d" % resp.status
                    except OSError as e:
                        got = "%s: %s" % (type(e).__name__, e)
                    if got != "t%d" % i:
                        stale.append((i, got))
            outs = []
            for w in wrks:
                try:
                    out, _ = w.communicate(timeout=self.SECONDS + 30)
                except subprocess.TimeoutExpired:
                    w.kill()
                    out, _ = w.communicate()
                    out += "\n[wrk still running %d s after its end: killed]" % 30
                outs.append(out)
        finally:
            for w in wrks:
                if w.poll() is None:
                    w.kill()
                    w.wait()
            stop.set()
            watcher.join(5)
        time.sleep(0.3)
        rc = site.proc.poll()
        if rc is not None and not death:
            death.append((time.monotonic() - t0, rc))
        print("\n  outside writer: %d updates, %d checked; wrk on / and the article:\n%s"
              % (updates, checks, "\n".join("    " + l for o in outs for l in o.splitlines()
                                             if "requests in" in l or "Requests/sec" in l
                                             or "errors" in l or "Non-2xx" in l)), file=sys.stderr)

        if death:
            self.fail("server died %.1f s into the test: %s (after %d updates)\n%s"
                      % (death[0][0], describe_status(death[0][1]), updates, site.log_tail()))
        for path, out in zip(("/", article), outs):
            self.assertEqual(wrk_problems(out), [], "wrk on %s:\n%s" % (path, out))
        self.assertEqual(write_fail, [], "outside updates that failed")
        self.assertGreaterEqual(checks, 3, "too few updates in %d s: %d" % (self.SECONDS, updates))
        self.assertEqual(stale, [], "headline right after update i (i, headline shown)")
        after = site.get(article)
        self.assertEqual(after.status, 200)
        self.assertEqual(headline(parse_html(after.text)), "t%d" % i)
        self.assert_alive("after the test")


if __name__ == "__main__":
    unittest.main()
