"""Shared machinery of the end-to-end tests: a real nashra server on a
throw-away demo site, an HTTP client that sends paths exactly as given, a
small HTML tree for structural checks and direct access to the site's
database (the tests write to it from another connection, as an editor's tool
would, to check that pages follow the database at once).

The binary is $NASHRA_BIN (default build/nashra, relative to the repository
root). A server is stopped with SIGTERM and must exit with status 0: under
the sanitizer builds that is also how leaks, memory errors and data races
surface.

The database is SQLite (DIR/nashra.db) unless $NASHRA_E2E_PG_URL names a
PostgreSQL server and a role that may create databases: then every site
gets a database of its own there, created for it and dropped with it, and
the same tests run against the PostgreSQL backend. What differs between
the two is in the Database classes below and nowhere else.
"""
import glob
import html
import html.parser
import http.client
import itertools
import multiprocessing.util
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.path.join(ROOT, os.environ.get("NASHRA_BIN", "build/nashra")))
SEED_TITLE_PREFIX = "المئات من الجنود الروس"
# the repository's theme, wherever the binary under test was built
ENV = dict(os.environ)
ENV.setdefault("NASHRA_THEME_DIR", os.path.join(ROOT, "themes", "default"))
START_TIMEOUT = float(os.environ.get("NASHRA_E2E_START_TIMEOUT", "30"))
PG_URL = os.environ.get("NASHRA_E2E_PG_URL") or None
if PG_URL:
    import psycopg2     # Debian package python3-psycopg2; the SQLite runs do without it


def free_port():
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, timeout=30, cwd=None):
    """Run the binary to completion; returns CompletedProcess (text). One
    that is still running after timeout seconds is killed and reported with
    returncode None."""
    try:
        return subprocess.run([BIN, *args], capture_output=True, text=True,
                              timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL, env=ENV)
    except subprocess.TimeoutExpired as e:
        def s(x):
            return x.decode("utf-8", "replace") if isinstance(x, bytes) else (x or "")
        return subprocess.CompletedProcess([BIN, *args], None, s(e.stdout),
                                           s(e.stderr) + "\n[still running after %s s: killed]" % timeout)


def quote_path(path, upper=True):
    """Percent-encode a UTF-8 path (keeping '/'), hex digits in either case."""
    q = urllib.parse.quote(path, safe="/")
    if upper:
        return q
    out, i = [], 0
    while i < len(q):
        if q[i] == "%":
            out.append(q[i:i + 3].lower())
            i += 3
        else:
            out.append(q[i])
            i += 1
    return "".join(out)


VNU = os.path.join(ROOT, "tests", "browser", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")


def vnu_errors(pages):
    """What the Nu HTML checker (vnu-jar, run by java) calls errors in
    pages, a dict of name -> HTML body (bytes): its messages, each a dict
    naming the file; a failure of the checker itself is one more."""
    import json
    tmp = tempfile.mkdtemp(prefix="nashra-vnu-")
    try:
        files = []
        for name, body in pages.items():
            files.append(os.path.join(tmp, name + ".html"))
            with open(files[-1], "wb") as fh:
                fh.write(body)
        p = subprocess.run(["java", "-jar", VNU, "--errors-only", "--format", "json", *files],
                           capture_output=True, text=True, timeout=180)
        out = p.stderr.strip() or p.stdout.strip()
        msgs = json.loads(out).get("messages", []) if out else []
        errors = [m for m in msgs if m.get("type") in ("error", "non-document-error")]
        if p.returncode != 0 and not errors:
            errors.append({"type": "error", "message": "vnu exit status %d" % p.returncode})
        return errors
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def sanitizer_report(text):
    """True when a sanitizer complained in some output."""
    return any(m in text for m in ("AddressSanitizer", "LeakSanitizer", "ThreadSanitizer",
                                    "runtime error:", "UndefinedBehaviorSanitizer"))


# -- the database behind a site ---------------------------------------------
class SqliteDatabase:
    """The SQLite file DIR/nashra.db that `nashra init DIR` creates."""
    name = "sqlite"
    is_pg = False

    def __init__(self, site_dir):
        self.path = os.path.join(site_dir, "nashra.db")
        self.location = self.path
        self.cli_args = []             # init and serve: the file is their default

    def connect(self):
        """A DB-API connection in autocommit mode (BEGIN is the caller's)."""
        c = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        c.execute("PRAGMA busy_timeout=15000")
        return c

    def query(self, sql, args=(), readonly=False):
        if readonly:
            uri = "file:%s?mode=ro" % urllib.request.pathname2url(self.path)
            c = sqlite3.connect(uri, uri=True, timeout=15)
        else:
            c = self.connect()
        try:
            return c.execute(sql, args).fetchall()
        finally:
            c.close()

    def execute(self, sql, args=()):
        c = self.connect()
        try:
            return c.execute(sql, args).lastrowid
        finally:
            c.close()

    def replace(self, table, row):
        """Replace the row with the same key by row (a dict), the way
        SQLite does it: the old row is deleted, without its delete
        triggers (recursive_triggers is off), and the new one inserted."""
        cols = list(row)
        self.execute("INSERT OR REPLACE INTO %s(%s) VALUES(%s)"
                     % (table, ", ".join(cols), ", ".join("?" * len(cols))), [row[c] for c in cols])

    def hold_write_lock(self, table):
        """An open transaction that keeps other writers of table out until
        the connection it returns commits (SQLite has one lock for the
        whole database)."""
        c = self.connect()
        c.execute("BEGIN IMMEDIATE")
        return c

    def shell(self, sql):
        """argv of the database's own command-line tool running sql, as an
        editor would from outside nashra."""
        tool = shutil.which("sqlite3")
        if tool is None:
            raise AssertionError("the sqlite3 command-line tool is missing (Debian package sqlite3)")
        return [tool, "-cmd", ".timeout 5000", self.path, sql]

    def holds_site(self):
        """True if the file is an SQLite database that nashra made (its
        application id, "nshr")."""
        with open(self.path, "rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                return False
        return self.query("PRAGMA application_id", readonly=True) == [(0x6e736872,)]

    def make_foreign(self):
        """Make it something other than a nashra database: a file of garbage."""
        with open(self.path, "wb") as f:
            f.write(os.urandom(8192))

    def damage(self):
        """Break the database under a running server: everything past its
        first 8 KiB overwritten with garbage (the header stays)."""
        size = os.path.getsize(self.path)
        with open(self.path, "r+b") as f:
            for off in range(8192, size, 4096):
                f.seek(off)
                f.write(os.urandom(4096))

    def drop(self):
        pass                            # removed with the site's directory


def _pg_sql(sql, args):
    """sqlite3's qmark placeholders as psycopg2's: ? outside quoted text
    becomes %s and a literal % is doubled (psycopg2 formats the whole
    statement once there are arguments)."""
    if not args:
        return sql
    return "".join(part if i % 2 else part.replace("%", "%%").replace("?", "%s")
                   for i, part in enumerate(re.split(r"('(?:[^']|'')*')", sql)))


class PostgresDatabase:
    """A database of its own on the server of $NASHRA_E2E_PG_URL, created
    here and dropped with the site; `nashra init DIR --db URL` fills it and
    writes its URL in DIR/nashra.conf, which every later command reads."""
    name = "postgresql"
    is_pg = True
    _serial = itertools.count(1)

    def __init__(self, site_dir=None):
        self.dbname = "nashra_e2e_%d_%d" % (os.getpid(), next(self._serial))
        self.admin("CREATE DATABASE %s" % self.dbname)
        self.url = pg_url(dbname=self.dbname)
        self.location = self.url
        self.cli_args = ["--db", self.url]     # init and serve
        self._has_id = {}
        self._conn = None
        self._lock = threading.Lock()

    @staticmethod
    def admin(sql, args=None):
        """Run sql as the superuser of $NASHRA_E2E_PG_URL, outside any
        transaction (CREATE and DROP DATABASE refuse to run in one)."""
        c = psycopg2.connect(PG_URL)
        try:
            c.autocommit = True
            with c.cursor() as cur:
                cur.execute(sql, args)
        finally:
            c.close()

    def connect(self):
        c = psycopg2.connect(self.url)
        c.autocommit = True
        return c

    def _run(self, sql, args, readonly=False, fetch="all"):
        """One statement on this object's own connection, kept open (a new
        connection costs tens of milliseconds, hundreds of times a run)
        and replaced once if the server closed it meanwhile (a test that
        stopped and started the server)."""
        with self._lock:
            for attempt in (1, 2):
                if self._conn is None or self._conn.closed:
                    self._conn = self.connect()
                try:
                    with self._conn.cursor() as cur:
                        if readonly:
                            cur.execute("BEGIN READ ONLY")
                        cur.execute(_pg_sql(sql, args), tuple(args) or None)
                        rows = cur.fetchall() if fetch == "all" else cur.fetchone() if fetch == "one" else None
                        if readonly:
                            cur.execute("COMMIT")
                        return rows
                except (psycopg2.OperationalError, psycopg2.InterfaceError):
                    if attempt == 2 or not self._conn.closed:
                        raise
                    self._conn = None
                except Exception:
                    if readonly and not self._conn.closed:
                        with self._conn.cursor() as cur:
                            cur.execute("ROLLBACK")     # the failed read-only block
                    raise

    def query(self, sql, args=(), readonly=False):
        return self._run(sql, args, readonly=readonly)

    def has_id(self, table):
        if table not in self._has_id:
            self._has_id[table] = bool(self.query(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = ? AND column_name = 'id'", (table,)))
        return self._has_id[table]

    def execute(self, sql, args=()):
        """lastrowid's equivalent: the id an INSERT made (RETURNING id, for
        tables that have one), else None."""
        m = re.match(r"\s*INSERT\s+INTO\s+(\w+)", sql, re.I)
        if m is None or not self.has_id(m.group(1).lower()):
            return self._run(sql, args, fetch=None)
        return self._run(sql.rstrip().rstrip(";") + " RETURNING id", args, fetch="one")[0]

    def replace(self, table, row):
        """Replace the row with the same id by row: PostgreSQL's upsert,
        an UPDATE of the row in place, its triggers fired."""
        cols = list(row)
        self.execute("INSERT INTO %s(%s) VALUES(%s) ON CONFLICT (id) DO UPDATE SET %s"
                     % (table, ", ".join(cols), ", ".join("?" * len(cols)),
                        ", ".join("%s = excluded.%s" % (k, k) for k in cols if k != "id")),
                     [row[c] for c in cols])

    def hold_write_lock(self, table):
        """An open transaction that keeps other writers of table (and only
        of it) out until the connection it returns commits."""
        c = psycopg2.connect(self.url)
        with c.cursor() as cur:
            cur.execute("LOCK TABLE %s IN EXCLUSIVE MODE" % table)
        return c

    def shell(self, sql):
        return psql_argv(self.url, sql)

    def holds_site(self):
        """True if nashra's schema is there."""
        return self.query("SELECT value FROM nashra_meta WHERE key = 'application'") == [("nashra",)]

    def make_foreign(self):
        """Make it something other than a nashra database: another
        application's table."""
        self.execute("CREATE TABLE invoices(id BIGINT PRIMARY KEY, total NUMERIC)")

    def damage(self):
        """Break the database under a running server: its tables renamed
        away, so that every statement of the server fails."""
        tables = [t for (t,) in self.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        self.execute("; ".join("ALTER TABLE %s RENAME TO damaged_%s" % (t, t) for t in tables))

    def drop(self):
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        self.admin("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.dbname)


def psql_argv(url, sql):
    """argv of psql running sql on the database of url. Debian's
    /usr/bin/psql is a Perl wrapper that costs more than the statement:
    the newest server's own binary runs instead, when there is one."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    tool = found[-1] if found else shutil.which("psql")
    if tool is None:
        raise AssertionError("the psql command-line tool is missing (Debian package postgresql-client)")
    return [tool, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]


def pg_url(dbname=None, user=None, password=None, port=None):
    """$NASHRA_E2E_PG_URL with some of its parts replaced."""
    u = urllib.parse.urlsplit(PG_URL)
    host = u.hostname if ":" not in (u.hostname or "") else "[%s]" % u.hostname
    netloc = "%s%s@%s:%d" % (urllib.parse.quote(user or u.username or "", safe=""),
                             ":" + urllib.parse.quote(password, safe="") if password else "",
                             host, port or u.port or 5432)
    return urllib.parse.urlunsplit((u.scheme, netloc, "/" + (dbname or u.path.lstrip("/")), u.query, ""))


Database = PostgresDatabase if PG_URL else SqliteDatabase
BACKEND = Database.name


class Response:
    def __init__(self, status, headers, body, header_lines=()):
        self.status = status
        self.headers = headers          # lower-case name -> value (the last line of a name)
        self.body = body                # bytes
        self.header_lines = list(header_lines)  # [(name as sent, value)], every line

    @property
    def text(self):
        return self.body.decode("utf-8")

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def header_values(self, name):
        """Every value of header name (case-insensitive), in order: a
        response may set several cookies."""
        n = name.lower()
        return [v for k, v in self.header_lines if k.lower() == n]


def init_site(site_dir, demo, cli_args=()):
    args = ["init", site_dir] + (["--demo"] if demo else []) + list(cli_args)
    r = run_cli(*args, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("nashra %s failed (%s): %s" % (" ".join(args), r.returncode, r.stderr))


DEMO_TEMPLATE_SECONDS = 120
_demo_template = {}         # pid -> (directory, time made)


def demo_template():
    """The directory of an SQLite demo site made by this process less than
    DEMO_TEMPLATE_SECONDS ago, for a new site to be a copy of: the same
    binary makes the same demo every time, only its dates follow the clock,
    and making one costs seconds of CPU under the sanitizers, which most
    test classes would spend again. Removed when the process ends."""
    made = _demo_template.get(os.getpid())
    if made is not None and time.monotonic() - made[1] < DEMO_TEMPLATE_SECONDS:
        return made[0]
    tmp = tempfile.mkdtemp(prefix="nashra-e2e-demo-")
    try:
        init_site(os.path.join(tmp, "site"), True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if made is not None:
        shutil.rmtree(os.path.dirname(made[0]), ignore_errors=True)
    else:
        # run at the exit of this process, the worker processes of
        # run.py included (which end without running atexit's functions)
        multiprocessing.util.Finalize(None, _remove_demo_template, args=(os.getpid(),), exitpriority=0)
    _demo_template[os.getpid()] = (os.path.join(tmp, "site"), time.monotonic())
    return _demo_template[os.getpid()][0]


def _remove_demo_template(pid):
    if os.getpid() == pid and pid in _demo_template:
        shutil.rmtree(os.path.dirname(_demo_template.pop(pid)[0]), ignore_errors=True)


class Site:
    """A demo site in a temporary directory and a server process on it.

    share=other: a second node of other's site, with a directory of its
    own and the same database, named by --db (other owns the database)."""

    def __init__(self, demo=True, extra_args=(), share=None):
        self.tmp = tempfile.mkdtemp(prefix="nashra-e2e-")
        self.dir = os.path.join(self.tmp, "site")
        self.port = None
        self.proc = None
        self.log_path = os.path.join(self.tmp, "server.log")
        self.extra_args = list(extra_args)
        self.owner = share is None
        if share is not None:
            os.mkdir(self.dir)
            self.database = share.database
            self.extra_args = ["--db", share.database.location] + self.extra_args
            return
        self.database = None
        try:
            self.database = Database(self.dir)
            if demo and not self.database.is_pg:
                shutil.copytree(demo_template(), self.dir)
            else:
                init_site(self.dir, demo, self.database.cli_args)
        except BaseException:
            self.cleanup()
            raise

    # -- process ---------------------------------------------------------
    def start(self, preexec_fn=None, env=None):
        """Start the server; preexec_fn runs in the child before exec (e.g. to
        lower its descriptor limit with resource.setrlimit); env: variables
        added to its environment."""
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", self.dir, "--listen", "127.0.0.1:%d" % self.port, *self.extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=dict(ENV, **(env or {})),
            preexec_fn=preexec_fn)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %d at start:\n%s" % (self.proc.returncode, self.log_tail()))
            try:
                if self.get("/healthz", timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self.proc.kill()
        raise RuntimeError("server did not answer /healthz in %.0f s:\n%s" % (START_TIMEOUT, self.log_tail()))

    def stop(self):
        """SIGTERM the server; returns its exit status (None if not running)."""
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "timeout (killed)"
        self.log.close()
        self.proc = None
        return rc

    def kill(self):
        """SIGKILL the server, as the OOM killer or a crash would end it:
        nothing of its own runs afterwards. Returns once it is gone, with
        its exit status (None if it was not running)."""
        if self.proc is None:
            return None
        self.proc.kill()
        rc = self.proc.wait()
        self.log.close()
        self.proc = None
        return rc

    def log_tail(self, n=4000):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    def cleanup(self):
        try:
            if self.owner and self.database is not None:
                self.database.drop()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- HTTP ------------------------------------------------------------
    def request(self, method, path, headers=None, body=None, timeout=15):
        """Send path exactly as given (already percent-encoded)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.putrequest(method, path, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                c.putheader(k, v)
            if body is not None:
                c.putheader("Content-Length", str(len(body)))
            c.endheaders(body)
            r = c.getresponse()
            data = r.read()
            lines = r.getheaders()
            return Response(r.status, {k.lower(): v for k, v in lines}, data, lines)
        finally:
            c.close()

    def get(self, path, headers=None, timeout=15):
        return self.request("GET", path, headers, timeout=timeout)

    def page(self, path):
        """GET a decoded UTF-8 path (encoded here)."""
        return self.get(quote_path(path))

    # -- database ------------------------------------------------------
    def db(self):
        """A DB-API connection to the site's database (sqlite3 or psycopg2),
        in autocommit mode."""
        return self.database.connect()

    def query(self, sql, args=()):
        """Rows of one statement, with sqlite3's ? placeholders whatever
        the backend."""
        return self.database.query(sql, args)

    def ro_query(self, sql, args=()):
        """The same on a read-only connection."""
        return self.database.query(sql, args, readonly=True)

    def execute(self, sql, args=()):
        """Run one write statement in its own transaction; returns the id of
        the row an INSERT made (lastrowid)."""
        return self.database.execute(sql, args)

    def seed(self):
        """(id, slug, title) of the seed article."""
        rows = self.query("SELECT id, slug, title FROM articles WHERE title LIKE ?",
                          (SEED_TITLE_PREFIX + "%",))
        if len(rows) != 1:
            raise AssertionError("expected one seed article, found %d" % len(rows))
        return rows[0]

    def add_article(self, slug, title, body_md="نص.", lead="مقدمة.", status="published",
                    published_at=None, comments_open=1):
        """Insert an article written like the demo's first one; returns its id."""
        now = int(time.time())
        if published_at is None:
            published_at = now - 60
        author_id, category_id = self.query(
            "SELECT author_id, category_id FROM articles ORDER BY id LIMIT 1")[0]
        return self.execute(
            "INSERT INTO articles(slug, title, kicker, lead, body_md, source, status, comments_open,"
            " created_at, published_at, updated_at, author_id, category_id)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (slug, title, "", lead, body_md, "وطن", status, comments_open,
             now, published_at, now, author_id, category_id))

    def add_comment(self, article_id, author, body, parent_id=None, status="approved"):
        return self.execute(
            "INSERT INTO comments(article_id, parent_id, author_name, author_email, author_url,"
            " body, ip, user_agent, status, created_at) VALUES(?,?,?,?,?,?,?,?,?,?)",
            (article_id, parent_id, author, "e2e@example.org", "", body, "127.0.0.1",
             "e2e", status, int(time.time())))


def headline(doc):
    """The article headline as shown, without the video badge."""
    h1 = doc.find("h1", cls="headline")
    return " ".join(h1.text_without("badge-video").split()) if h1 is not None else None


class ServerTestCase(unittest.TestCase):
    """One demo site and server per test class, checked to stop cleanly."""
    demo = True
    server_args = ()

    @classmethod
    def prepare_site(cls, site):
        """Runs after the site is made and before its server starts (e.g.
        settings the class wants from the first request on)."""

    @classmethod
    def setUpClass(cls):
        cls.site = Site(demo=cls.demo, extra_args=cls.server_args)
        try:
            cls.prepare_site(cls.site)
            cls.site.start()
        except Exception:
            cls.site.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        rc = cls.site.stop()
        # enough for a whole sanitizer report, which ends the log
        log = cls.site.log_tail(16000)
        cls.site.cleanup()
        if rc != 0:
            raise AssertionError("server exit status %r after SIGTERM (want 0):\n%s" % (rc, log))
        if sanitizer_report(log):
            raise AssertionError("sanitizer report in server output:\n%s" % log)

    def get_ok(self, path, encoded=False):
        r = self.site.get(path) if encoded else self.site.page(path)
        self.assertEqual(r.status, 200, "GET %s -> %d" % (path, r.status))
        return r

    def seed_page(self):
        _, slug, _ = self.site.seed()
        return parse_html(self.get_ok("/%s/" % slug).text)


# -- a small HTML tree ----------------------------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = {k: (v if v is not None else "") for k, v in attrs}
        self.parent = parent
        self.children = []          # Node or str

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def classes(self):
        return self.attrs.get("class", "").split()

    def has(self, name):
        return name in self.attrs

    @property
    def text(self):
        out = []
        for c in self.children:
            out.append(c if isinstance(c, str) else c.text)
        return "".join(out)

    def text_without(self, cls):
        """Text content leaving out descendants that have class cls."""
        out = []
        for c in self.children:
            if isinstance(c, str):
                out.append(c)
            elif cls not in c.classes():
                out.append(c.text_without(cls))
        return "".join(out)

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag=None, cls=None, id=None, **attrs):
        res = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.classes():
                continue
            if id and n.get("id") != id:
                continue
            if any(n.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            res.append(n)
        return res

    def find(self, tag=None, cls=None, id=None, **attrs):
        r = self.find_all(tag, cls, id, **attrs)
        return r[0] if r else None

    def ancestors(self):
        p = self.parent
        while p is not None:
            yield p
            p = p.parent


class _Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.cur = self.root
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse_html(text):
    b = _Builder()
    b.feed(text)
    b.close()
    b.root.doctype = b.doctype
    return b.root


def unescape(s):
    return html.unescape(s)


AR_DATE_RE = (r"(الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت) \d{1,2} "
              r"(يناير|فبراير|مارس|أبريل|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر) \d{4}")


def assert_layout(tc, raw, doc, canonical=True):
    """The parts every HTML page of the default theme shares (error pages
    name no canonical URL: canonical=False checks there is none)."""
    tc.assertTrue(raw.lstrip().lower().startswith("<!doctype html>"), "no HTML5 doctype")
    h = doc.find("html")
    tc.assertIsNotNone(h)
    tc.assertEqual(h.get("lang"), "ar")
    tc.assertEqual(h.get("dir"), "rtl")
    tc.assertIsNotNone(doc.find("meta", charset="utf-8"), "meta charset")
    tc.assertIsNotNone(doc.find("meta", name="viewport"), "viewport meta")
    title = doc.find("title")
    tc.assertTrue(title is not None and title.text.strip(), "empty <title>")
    tc.assertIsNotNone(doc.find("meta", name="description"), "meta description")
    canon = doc.find("link", rel="canonical")
    if canonical:
        tc.assertTrue(canon is not None and canon.get("href", "").startswith("http"), "canonical link")
    else:
        tc.assertIsNone(canon, "an error page names no canonical URL")
    tc.assertIsNotNone(doc.find("link", rel="alternate", type="application/rss+xml", href="/feed/"))
    tc.assertEqual(len(doc.find_all("style")), 1, "CSS must be inlined in one <style>")
    for link in doc.find_all("link", rel="stylesheet"):
        tc.fail("external stylesheet %s" % link.get("href"))
    for s in doc.find_all("script"):
        tc.assertFalse(s.has("src"), "external script %s" % s.get("src"))
    tc.assertIsNotNone(doc.find("header"))
    tc.assertIsNotNone(doc.find("main", id="main"))
    tc.assertIsNotNone(doc.find("footer"))
    tc.assertIsNotNone(doc.find("a", href="#main"), "skip link")


# -- the comment form ---------------------------------------------------------
# Every response of an article page open to comments carries a form token
# signed at that moment (hidden input name="token", form="comment-form", at
# the end of the body); a post must send one back, and not sooner than the
# setting comment_min_seconds after it was issued. A token holds the second
# it was issued, so two fetches of one page differ in that value alone.
_TOKEN_VALUE = re.compile(r'(<input\b[^>]*\bname="token"[^>]*\bvalue=")([^"]*)(")')
_TOKEN_VALUE_BYTES = re.compile(_TOKEN_VALUE.pattern.encode())


def without_token(body):
    """body (bytes or str) with the value of its form token blanked, for
    comparing two responses of a page byte for byte: the input itself, and
    where it is, are still compared."""
    pattern = _TOKEN_VALUE_BYTES if isinstance(body, bytes) else _TOKEN_VALUE
    return pattern.sub(r"\1\3", body)


def page_token(body):
    """The value of the form token of a page (bytes or str): its one hidden
    input named token, tied to the form comment-form; None if it has none."""
    doc = parse_html(body.decode("utf-8") if isinstance(body, bytes) else body)
    inputs = doc.find_all("input", name="token")
    if not inputs:
        return None
    if len(inputs) != 1 or inputs[0].get("type") != "hidden" or inputs[0].get("form") != "comment-form":
        raise AssertionError("form token inputs: %s" % [i.attrs for i in inputs])
    return inputs[0].get("value")


def comment_token(site, slug):
    """The form token of a fresh GET of the article /slug/."""
    r = site.page("/%s/" % slug)
    if r.status != 200:
        raise AssertionError("GET /%s/ for a form token -> %d" % (slug, r.status))
    token = page_token(r.body)
    if not token:
        raise AssertionError("/%s/ carries no form token" % slug)
    return token


def comment_form(site, slug, token=None, **fields):
    """The urlencoded body of a post of fields (in their order) to the
    article /slug/, with a token (a fresh one of its page unless given)."""
    if token is None:
        token = comment_token(site, slug)
    return urllib.parse.urlencode(list(fields.items()) + [("token", token)]).encode()


def post_comment(site, slug, body, content_type="application/x-www-form-urlencoded"):
    """POST body to the comment route of the article /slug/."""
    return site.request("POST", quote_path("/%s/comments" % slug), {"Content-Type": content_type}, body)


def allow_fast_comments(site):
    """Let the site take forms as soon as they are served and any number
    of them (settings comment_min_seconds and comment_rate_limit 0, set
    through the command line; the server reads them on its next request)."""
    for key in ("comment_min_seconds", "comment_rate_limit"):
        r = run_cli("settings", site.dir, "set", key, "0")
        if r.returncode != 0:
            raise AssertionError("nashra settings set %s 0: %s" % (key, r.stderr))


class FastComments:
    """Mixed in before a ServerTestCase: its site takes comment forms as
    soon as they are served, and any number of them (allow_fast_comments
    before the first test), for tests of something else than the form's
    timing or the rate limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            allow_fast_comments(cls.site)
        except Exception:
            cls.site.stop()
            cls.site.cleanup()
            raise


def refused_form(r):
    """What the answer to a refused comment shows: the article page again,
    the form as sent. A dict: errors, {field: message} of the messages
    shown at the fields (comment, author, email); message, the form's
    general message or None; values, what the form holds (comment, author,
    email, parent, remember); token, the page's fresh form token; doc, the
    page. AssertionError if r is not a page with the comment form."""
    doc = parse_html(r.text)
    form = doc.find("form", id="comment-form")
    if form is None or doc.find("h1", cls="headline") is None:
        raise AssertionError("%d is not the article page with its form: %r" % (r.status, r.body[:300]))
    errors = {}
    for field in ("comment", "author", "email"):
        p = form.find("p", id="%s-error" % field)
        if p is not None and not p.has("hidden"):
            errors[field] = p.text.strip()
    general = form.find("p", cls="form-message")
    remember = form.find("input", id="remember")
    values = {"comment": form.find("textarea", id="comment").text,
              "author": form.find("input", id="author").get("value"),
              "email": form.find("input", id="email").get("value"),
              "parent": form.find("input", id="comment-parent").get("value"),
              "remember": remember is not None and remember.has("checked")}
    return {"errors": errors, "message": general.text.strip() if general is not None else None,
            "values": values, "token": page_token(r.body), "doc": doc}
