"""A raw-socket HTTP/1.1 client for hostile-input tests: requests go out as
the exact bytes given (optionally in pieces, with delays between them), and
one response is read back by a strict parser that raises on anything a
well-behaved server would not send:

  * exactly one status line "HTTP/1.x NNN reason" (reason may be empty, the
    space before it may not), then header lines "name: value" whose names
    are tokens, every line ended by CRLF (a bare LF or CR, a folded line, a
    control character or a duplicated status line among the headers fail);
  * a body framed by Content-Length, by chunked transfer coding or, when
    neither is given, by the server closing the connection (no body at all
    for HEAD and for 1xx, 204 and 304);
  * nothing after a framed response: bytes that follow it on a connection
    to which nothing more was sent (libmicrohttpd 0.9.75 sent a second copy
    of the status line and headers) raise ExtraBytes.

Outcomes are told apart: NoAnswer (the connection closed, or was reset,
before any byte of a response), Timeout (the server kept the connection
open without completing a response), Malformed (and its ExtraBytes).

Only the Python standard library is used; nothing here knows about nashra
except still_serving(), which takes any object with .port (and optionally
.proc, a subprocess.Popen, and .log_tail()).
"""
import re
import select
import socket
import time

__all__ = ["HttpError", "NoAnswer", "Timeout", "Malformed", "ExtraBytes",
           "RawResponse", "Connection", "TrickleResult", "exchange", "trickle",
           "still_serving", "outcome"]

MAX_HEAD = 64 * 1024            # a response head longer than this is refused
LINGER = 0.2                    # seconds to watch for bytes after a framed response

_STATUS_RE = re.compile(rb"HTTP/1\.[01] [1-5][0-9][0-9] [\t \x21-\x7e\x80-\xff]*\Z")
_TOKEN_RE = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_VALUE_RE = re.compile(rb"[\t \x21-\x7e\x80-\xff]*\Z")
_CHUNK_RE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(;[^\r\n]*)?\Z")


class HttpError(Exception):
    """Base of everything this module raises about a response; .data holds
    the bytes received on the connection so far."""

    def __init__(self, message, data=b""):
        self.data = data
        shown = data[:600]
        more = " ... (%d bytes in all)" % len(data) if len(data) > 600 else ""
        super().__init__("%s; received %r%s" % (message, shown, more) if data else message)


class NoAnswer(HttpError):
    """The connection ended before any byte of a response: closed (.reset
    False) or reset (.reset True)."""

    def __init__(self, message, reset=False):
        self.reset = reset
        super().__init__(message)


class Timeout(HttpError):
    """No complete response within the time allowed (.data: what came)."""


class Malformed(HttpError):
    """The response violates HTTP/1.1 message syntax or framing."""


class ExtraBytes(Malformed):
    """Bytes followed a completely framed response (.extra holds them)."""

    def __init__(self, message, data=b"", extra=b""):
        self.extra = extra
        super().__init__(message, data)


class RawResponse:
    def __init__(self):
        self.version = None         # "HTTP/1.1"
        self.status = None          # int
        self.reason = None          # str (latin-1)
        self.headers = []           # [(name as sent, value as str)]
        self.body = b""             # with any chunked coding removed
        self.raw = b""              # every byte of this response as received
        self.framing = None         # "none", "length", "chunked" or "close"
        self.interim = []           # 1xx responses that came first
        self.closed = None          # the server closed the connection afterwards (None: not watched)
        self.elapsed = None         # seconds from the end of sending to the complete response

    def header(self, name, default=None):
        """The value of header name (case-insensitive); several lines of the
        same name are joined with ", "."""
        vals = self.header_values(name)
        return ", ".join(vals) if vals else default

    def header_values(self, name):
        n = name.lower()
        return [v for k, v in self.headers if k.lower() == n]

    def __repr__(self):
        return "<RawResponse %s %s, %d header lines, %d body bytes, framing %s>" % (
            self.version, self.status, len(self.headers), len(self.body), self.framing)


class Connection:
    """One client connection. send() writes exact bytes; read_response()
    parses one response. Socket errors on send (the server closed or reset
    the connection while a long request was going out) are recorded in
    .send_error rather than raised, so that a response the server sent
    before closing can still be read."""

    def __init__(self, host, port, timeout=5.0):
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""              # received, not yet consumed
        self.seen = b""             # everything received
        self.eof = False
        self.reset = False
        self.send_error = None
        self.sent = 0
        self.t_first_send = None
        self.t_last_send = None

    # -- sending ---------------------------------------------------------
    def send(self, data, pieces=None, delay=0.0):
        """Send data; with pieces (a list of byte strings, or an int: that
        many equal parts) send it in those parts, sleeping delay seconds
        between them. Returns False if the connection failed under us."""
        if pieces is None:
            parts = [data]
        elif isinstance(pieces, int):
            step = max(1, -(-len(data) // pieces))
            parts = [data[i:i + step] for i in range(0, len(data), step)]
        else:
            parts = list(pieces)
            if data is not None and b"".join(parts) != data:
                raise ValueError("pieces do not add up to data")
        for i, p in enumerate(parts):
            if i and delay:
                time.sleep(delay)
            if self.send_error is not None:
                return False
            try:
                if self.t_first_send is None:
                    self.t_first_send = time.monotonic()
                self.sock.sendall(p)
                self.sent += len(p)
                self.t_last_send = time.monotonic()
            except OSError as e:   # EPIPE, ECONNRESET, a send timeout
                self.send_error = e
                return False
        return True

    # -- receiving -------------------------------------------------------
    def _fill(self, deadline):
        """Receive more bytes before deadline: True if some came, False at
        end of stream; raises socket.timeout when the deadline passes."""
        if self.eof:
            return False
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout()
        self.sock.settimeout(left)
        try:
            b = self.sock.recv(65536)
        except ConnectionResetError:
            self.eof = self.reset = True
            return False
        if not b:
            self.eof = True
            return False
        self.buf += b
        self.seen += b
        return True

    def _line(self, deadline, limit, what, start):
        """One CRLF-ended line (without the CRLF) from the buffer."""
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                break
            if len(self.buf) > limit:
                raise Malformed("%s longer than %d bytes" % (what, limit), self.seen[start:])
            try:
                more = self._fill(deadline)
            except socket.timeout:
                raise Timeout("no complete response within %.1f s (inside the %s)"
                              % (self.timeout, what), self.seen[start:]) from None
            if not more:
                if len(self.seen) == start:
                    raise NoAnswer("connection %s without an answer"
                                   % ("reset" if self.reset else "closed"), self.reset)
                raise Malformed("connection %s inside the %s"
                                % ("reset" if self.reset else "closed", what), self.seen[start:])
        line, self.buf = self.buf[:i + 1], self.buf[i + 1:]
        if not line.endswith(b"\r\n"):
            raise Malformed("%s ends with a bare LF" % what, self.seen[start:])
        line = line[:-2]
        if b"\r" in line:
            raise Malformed("bare CR in the %s" % what, self.seen[start:])
        return line

    def _exact(self, n, deadline, what, start):
        while len(self.buf) < n:
            try:
                more = self._fill(deadline)
            except socket.timeout:
                raise Timeout("%s incomplete after %.1f s: %d of %d bytes"
                              % (what, self.timeout, len(self.buf), n), self.seen[start:]) from None
            if not more:
                raise Malformed("connection %s after %d of %d bytes of the %s"
                                % ("reset" if self.reset else "closed", len(self.buf), n, what),
                                self.seen[start:])
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_response(self, head_request=False, timeout=None):
        """Read and check one response (after any 1xx interim ones)."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        start = len(self.seen) - len(self.buf)
        interim = []
        while True:
            r = self._read_one(head_request, deadline, start)
            if 100 <= r.status < 200 and r.status != 101:
                interim.append(r)
                continue
            r.interim = interim
            r.raw = self.seen[start:len(self.seen) - len(self.buf)]
            if self.t_last_send is not None:
                r.elapsed = time.monotonic() - self.t_last_send
            return r

    def _read_one(self, head_request, deadline, start):
        r = RawResponse()
        status_line = self._line(deadline, MAX_HEAD, "status line", start)
        if not _STATUS_RE.match(status_line):
            raise Malformed("bad status line %r" % status_line, self.seen[start:])
        r.version = status_line[:8].decode()
        r.status = int(status_line[9:12])
        r.reason = status_line[13:].decode("latin-1")
        size = len(status_line) + 2
        while True:
            line = self._line(deadline, MAX_HEAD, "response head", start)
            size += len(line) + 2
            if size > MAX_HEAD:
                raise Malformed("response head longer than %d bytes" % MAX_HEAD, self.seen[start:])
            if not line:
                break
            if line[:1] in (b" ", b"\t"):
                raise Malformed("folded header line %r" % line, self.seen[start:])
            if line.startswith(b"HTTP/"):
                raise Malformed("a second status line among the headers: %r" % line, self.seen[start:])
            name, colon, value = line.partition(b":")
            if not colon or not _TOKEN_RE.match(name):
                raise Malformed("bad header line %r" % line, self.seen[start:])
            value = value.strip(b" \t")
            if not _VALUE_RE.match(value):
                raise Malformed("control character in header %r" % line, self.seen[start:])
            r.headers.append((name.decode("ascii"), value.decode("latin-1")))
        if r.status == 101:
            raise Malformed("unexpected 101 Switching Protocols", self.seen[start:])
        self._body(r, head_request, deadline, start)
        return r

    def _body(self, r, head_request, deadline, start):
        te = [v.strip().lower() for line in r.header_values("transfer-encoding")
              for v in line.split(",") if v.strip()]
        cls = r.header_values("content-length")
        length = None
        if cls:
            vals = {v.strip() for line in cls for v in line.split(",")}
            if len(vals) != 1 or not next(iter(vals)).isdigit():
                raise Malformed("bad Content-Length %r" % cls, self.seen[start:])
            length = int(next(iter(vals)))
            if te:
                raise Malformed("both Content-Length and Transfer-Encoding", self.seen[start:])
        if head_request or r.status < 200 or r.status in (204, 304):
            if te and r.status in (204, 304) or r.status < 200 and (te or cls):
                raise Malformed("%d response with framing headers" % r.status, self.seen[start:])
            r.framing = "none"
            return
        if te:
            if te[-1] != "chunked":
                r.framing = "close"
                r.body = self._until_close(deadline, start)
                return
            if te.count("chunked") != 1:
                raise Malformed("chunked applied twice: %r" % te, self.seen[start:])
            r.framing = "chunked"
            r.body = self._chunked(deadline, start)
            return
        if length is not None:
            r.framing = "length"
            r.body = self._exact(length, deadline, "body", start)
            return
        r.framing = "close"
        r.body = self._until_close(deadline, start)

    def _chunked(self, deadline, start):
        body = []
        while True:
            line = self._line(deadline, 4096, "chunk size line", start)
            m = _CHUNK_RE.match(line)
            if not m:
                raise Malformed("bad chunk size line %r" % line, self.seen[start:])
            n = int(m.group(1), 16)
            if n == 0:
                break
            body.append(self._exact(n, deadline, "chunk", start))
            if self._exact(2, deadline, "chunk end", start) != b"\r\n":
                raise Malformed("chunk not followed by CRLF", self.seen[start:])
        while True:                 # trailer section
            line = self._line(deadline, MAX_HEAD, "trailer", start)
            if not line:
                break
            name, colon, _ = line.partition(b":")
            if not colon or not _TOKEN_RE.match(name):
                raise Malformed("bad trailer line %r" % line, self.seen[start:])
        return b"".join(body)

    def _until_close(self, deadline, start):
        while True:
            try:
                if not self._fill(deadline):
                    break
            except socket.timeout:
                raise Timeout("close-delimited body still open after %.1f s" % self.timeout,
                              self.seen[start:]) from None
        out, self.buf = self.buf, b""
        return out

    def watch(self, seconds):
        """Wait up to seconds for the server to send more or close. Returns
        (extra bytes, closed)."""
        deadline = time.monotonic() + seconds
        extra = b""
        while True:
            if self.buf:
                extra, self.buf = extra + self.buf, b""
            try:
                if not self._fill(deadline):
                    break
            except socket.timeout:
                break
            if self.buf:            # got something: a little longer for the rest
                deadline = min(deadline, time.monotonic() + 0.05)
        if self.buf:
            extra, self.buf = extra + self.buf, b""
        return extra, self.eof

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def exchange(host, port, data, pieces=None, delay=0.0, timeout=5.0, head_request=None,
             linger=LINGER):
    """Connect, send data (in pieces with delay, as Connection.send), read one
    response and then watch the connection for linger seconds: any byte
    that arrives in that time raises ExtraBytes; response.closed tells if
    the server closed the connection (on its own or after Connection:
    close). head_request defaults to whether data starts with b"HEAD "."""
    if head_request is None:
        head_request = data.startswith(b"HEAD ")
    with Connection(host, port, timeout) as c:
        c.send(data, pieces, delay)
        r = c.read_response(head_request)
        extra, closed = c.watch(linger if not c.eof else 0)
        if extra:
            raise ExtraBytes("%d bytes after a complete %d response (framing: %s)"
                             % (len(extra), r.status, r.framing), c.seen, extra)
        r.closed = closed
        return r


class TrickleResult:
    def __init__(self):
        self.sent = 0               # bytes sent
        self.closed = False         # the server ended the connection within the limit
        self.how = None             # "eof", "reset" or "send failed: ..."
        self.closed_after = None    # seconds from the first byte sent to the end
        self.answered_after = None  # seconds from the first byte sent to the first byte received
        self.response = None        # RawResponse, if one was sent
        self.error = None           # HttpError about the bytes received, if malformed
        self.data = b""             # every byte received

    def __repr__(self):
        return ("<TrickleResult sent=%d closed=%s how=%s after=%s response=%s error=%s>"
                % (self.sent, self.closed, self.how,
                   None if self.closed_after is None else "%.2fs" % self.closed_after,
                   self.response and self.response.status, self.error))


def trickle(host, port, data, interval=0.5, limit=10.0):
    """Send data one byte every interval seconds, until it is all sent, the
    server closes the connection or limit seconds have passed since the
    first byte. A response the server sends on the way is parsed strictly
    (a malformed one lands in .error); then the close is awaited."""
    res = TrickleResult()
    c = Connection(host, port, timeout=limit)
    try:
        t0 = time.monotonic()
        end = t0 + limit
        i = 0
        while True:
            now = time.monotonic()
            if now >= end:
                break
            if i < len(data) and now >= t0 + i * interval:
                if not c.send(data[i:i + 1]):
                    res.closed, res.how = True, "send failed: %s" % c.send_error
                    res.closed_after = time.monotonic() - t0
                    break
                i += 1
                res.sent = i
                continue
            nxt = t0 + i * interval if i < len(data) else end
            r, _, _ = select.select([c.sock], [], [], max(0.0, min(nxt, end) - time.monotonic()))
            if not r:
                continue
            if c.buf or c._fill(end) or c.buf:
                res.answered_after = time.monotonic() - t0
                try:
                    res.response = c.read_response(timeout=max(0.1, end - time.monotonic()))
                    extra, _ = c.watch(max(0.0, end - time.monotonic()))
                    if extra:
                        raise ExtraBytes("%d bytes after the %d response"
                                         % (len(extra), res.response.status), c.seen, extra)
                except HttpError as e:
                    res.error = e
                    if not c.eof:   # still see whether (and when) it closes
                        c.watch(max(0.0, end - time.monotonic()))
                if c.eof:
                    res.closed = True
                    res.closed_after = time.monotonic() - t0
                    res.how = "reset" if c.reset else "eof"
                break
            res.closed, res.how = True, "reset" if c.reset else "eof"
            res.closed_after = time.monotonic() - t0
            break
        res.data = c.seen
        return res
    finally:
        c.close()


def outcome(host, port, data, **kw):
    """A short description of what the server does with data: "200",
    "no answer (closed)", "no answer (reset)", "timeout", "malformed: ...".
    For surveys (e.g. of a reference server); tests assert on exchange()."""
    try:
        r = exchange(host, port, data, **kw)
    except NoAnswer as e:
        return "no answer (%s)" % ("reset" if e.reset else "closed")
    except Timeout:
        return "timeout"
    except ExtraBytes as e:
        return "malformed: extra bytes %r" % e.extra[:80]
    except Malformed as e:
        return "malformed: %s" % str(e)[:200]
    return str(r.status)


def still_serving(site, timeout=5.0):
    """Assert that the server behind site answers a plain GET / with 200 (and
    that its process, if site.proc is one, is alive). Returns the response."""
    proc = getattr(site, "proc", None)
    def log():
        tail = getattr(site, "log_tail", None)
        return ("\nserver log:\n" + tail()) if tail else ""
    if proc is not None and proc.poll() is not None:
        raise AssertionError("server process has exited (status %r)%s" % (proc.returncode, log()))
    req = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % site.port).encode()
    try:
        r = exchange("127.0.0.1", site.port, req, timeout=timeout)
    except (HttpError, OSError) as e:
        raise AssertionError("server no longer serves GET /: %s: %s%s"
                             % (type(e).__name__, e, log())) from None
    if r.status != 200 or not r.body:
        raise AssertionError("GET / afterwards -> %d with %d body bytes" % (r.status, len(r.body)))
    if proc is not None and proc.poll() is not None:
        raise AssertionError("server process exited (status %r)%s" % (proc.returncode, log()))
    return r
