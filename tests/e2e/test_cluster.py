"""Several server nodes on one PostgreSQL database, and that database
failing under them. PostgreSQL only ($NASHRA_E2E_PG_URL); the tests that
stop and start the database server also need the directory of the
cluster scripts/pg.sh made ($NASHRA_PG_DIR).

  * Two nodes: a write made beside node B (nashra's command line on node
    A's site, a comment posted to node A and approved there, an UPDATE
    through psql) shows on B's very next request for the pages it
    concerns, while B's cached pages it does not concern stay hits.
  * The database stopped under load, then started: while it is down every
    page request is answered 503 with the Arabic error page and
    Retry-After, cached or not (no page is served as current once the
    loss is known), /healthz says "unreachable"; never a connection error,
    a 500 or a crash; once it is back every page is served again as it
    was, without any restart.
  * Passwords: a database URL's password is never written, neither in the
    server's log (the database lost and found again) nor in the command
    line's output, successes and failures alike.
"""
import http.client
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

from nashra_e2e import (PG_URL, ROOT, PostgresDatabase, Site, allow_fast_comments, comment_form, free_port,
                        headline, parse_html, pg_url, post_comment, psql_argv, quote_path, run_cli,
                        sanitizer_report, without_token)

PG_DIR = os.environ.get("NASHRA_PG_DIR")
NEED_PG = "PostgreSQL only: NASHRA_E2E_PG_URL is not set (scripts/pg.sh start prints a server's URL)"
NEED_PG_DIR = ("stops and starts the database server: NASHRA_PG_DIR must name the cluster"
               " of scripts/pg.sh start")
ARABIC_PAGE = '<html lang="ar" dir="rtl">'
RECOVERY_DEADLINE = 30      # seconds for every page to be served again once the database is back


def shows(body, slug):
    """True if a page links to the article with this slug."""
    path = "/%s/" % slug
    return any(p in body for p in (path, quote_path(path), quote_path(path, upper=False)))


def pg_server(action):
    """scripts/pg.sh down or up on the cluster of $NASHRA_PG_DIR."""
    r = subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), action, PG_DIR], capture_output=True,
                       text=True, timeout=120, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise AssertionError("scripts/pg.sh %s failed (%d): %s" % (action, r.returncode, r.stderr))


@unittest.skipUnless(PG_URL, NEED_PG)
class _Nodes(unittest.TestCase):
    """Servers started by a test, each checked to stop cleanly at its end."""

    def setUp(self):
        self.nodes = []
        self.pg_down = False

    def tearDown(self):
        try:
            # a failed test must not leave the database down for the tests after it
            if self.pg_down:
                self.up()
        finally:
            for n in self.nodes:
                if n.proc is not None:      # a test that failed before stop_all
                    n.proc.kill()
                    n.proc.wait()
                    n.log.close()
                    n.proc = None
            for n in reversed(self.nodes):  # the owner of a shared database last
                n.cleanup()

    def node(self, share=None, args=(), start=True):
        site = Site(demo=True, extra_args=args, share=share)
        self.nodes.append(site)
        return site.start() if start else site

    def down(self):
        self.pg_down = True
        pg_server("down")

    def up(self):
        pg_server("up")
        self.pg_down = False

    def stop_all(self):
        """SIGTERM every node: each must exit 0 with no sanitizer report."""
        for n in self.nodes:
            if n.proc is None:
                continue
            rc = n.stop()
            log = n.log_tail(16000)
            self.assertEqual(rc, 0, "node on port %d: exit status %r after SIGTERM:\n%s" % (n.port, rc, log))
            self.assertFalse(sanitizer_report(log), "node on port %d:\n%s" % (n.port, log))

    def cached(self, node, path):
        """GET path until node's cache holds it; returns the hit."""
        node.page(path)
        r = node.page(path)
        self.assertEqual((r.status, r.header("x-cache")), (200, "HIT"), "second GET of %s" % path)
        return r


class TwoNodes(_Nodes):

    def test_writes_seen_by_the_other_node(self):
        a = self.node()
        b = self.node(share=a)
        allow_fast_comments(a)      # before any page is cached: a setting drops them all
        aid, slug, _ = a.seed()
        article = "/%s/" % slug
        own_cat = a.query("SELECT c.slug FROM categories c JOIN articles a ON a.category_id = c.id"
                          " WHERE a.id = ?", (aid,))[0][0]
        others = [c for (c,) in a.query("SELECT slug FROM categories WHERE slug <> ? ORDER BY id", (own_cat,))]
        unrelated = [p for p in ["/category/%s/" % c for c in others] if not shows(b.page(p).text, slug)][:1]
        self.assertTrue(unrelated, "every other category's page links to the seed article")
        unrelated.append("/about/")
        self.assertFalse(shows(b.page("/about/").text, slug), "/about/ links to the seed article")
        kept = {p: self.cached(b, p).body for p in unrelated}
        for p in ("/", article):
            self.cached(b, p)

        def seen_by_b(label, title=None):
            """B's next GETs after a write: its article page is built anew
            (showing title, as the home page does, if the write was one),
            the pages the write does not concern are still the same hits.
            Returns the article page."""
            r = b.page(article)
            self.assertEqual((r.status, r.header("x-cache")), (200, "MISS"),
                             "%s: B's next GET of the article" % label)
            if title is not None:
                self.assertEqual(headline(parse_html(r.text)), title, label)
                home = b.page("/")
                self.assertEqual(home.header("x-cache"), "MISS", "%s: B's next GET of /" % label)
                self.assertIn(title, home.text, label)
            for p in unrelated:
                again = b.page(p)
                self.assertEqual(again.header("x-cache"), "HIT", "%s dropped %s, which it does not concern"
                                 % (label, p))
                self.assertEqual(again.body, kept[p], p)
            for p in ("/", article):
                self.cached(b, p)
            return r

        # (a) beside node A: its site's command line, in a process of its own
        title = "عنوان من عقدة أخرى %s" % uuid.uuid4().hex[:8]
        r = run_cli("article", a.dir, "set", str(aid), "title", title)
        self.assertEqual(r.returncode, 0, r.stderr)
        seen_by_b("nashra article set", title)

        # a comment posted to node A: pending, it is on no page; approved
        # through A's site, it is on B's next article page
        text = "تعليق عبر العقدة الأولى %s" % uuid.uuid4().hex[:8]
        r = post_comment(a, slug, comment_form(a, slug, comment=text, author="قارئ", email="r@example.org"))
        self.assertEqual(r.status, 303, r.body[:300])
        rows = a.query("SELECT id, status FROM comments WHERE article_id = ? AND body = ?", (aid, text))
        self.assertEqual(len(rows), 1, rows)
        cid, status = rows[0]
        self.assertEqual(status, "pending")
        r = b.page(article)
        self.assertEqual(r.header("x-cache"), "HIT", "a pending comment dropped B's article page")
        self.assertNotIn(text, r.text)
        r = run_cli("comments", a.dir, "approve", str(cid))
        self.assertEqual(r.returncode, 0, r.stderr)
        li = parse_html(seen_by_b("nashra comments approve").text).find("li", id="comment-%d" % cid)
        self.assertIsNotNone(li, "approved comment %d not on B's article page" % cid)
        self.assertIn(text, li.text)

        # (b) straight into the database, with psql
        title = "عنوان كتب بـ psql %s" % uuid.uuid4().hex[:8]
        r = subprocess.run(psql_argv(a.database.url, "UPDATE articles SET title = '%s' WHERE id = %d" % (title, aid)),
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr)
        seen_by_b("UPDATE through psql", title)

        # node A follows the same writes
        self.assertEqual(headline(parse_html(a.page(article).text)), title)
        self.stop_all()


class _Load:
    """Client threads GETting (node, path) pairs in random order, each on a
    connection of its own, until stopped; every answer is recorded with
    the time its request was sent."""

    def __init__(self, targets, threads=4):
        self.targets = targets
        self.records = []           # (sent, node, path, status or error text, response or None)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]

    def run(self, seed):
        rnd = random.Random(seed)
        while not self.stop.is_set():
            node, path = rnd.choice(self.targets)
            sent = time.monotonic()
            try:
                r = node.page(path)
                rec = (sent, node, path, r.status, r)
            except (OSError, http.client.HTTPException) as e:
                rec = (sent, node, path, "%s: %s" % (type(e).__name__, e), None)
            with self.lock:
                self.records.append(rec)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(30)

    def between(self, t0, t1):
        with self.lock:
            return [r for r in self.records if t0 <= r[0] < t1]


@unittest.skipUnless(PG_DIR, NEED_PG_DIR)
class DatabaseDown(_Nodes):
    e2e_alone = True        # stops the database server every other class uses
    PAGES = ("/", None, "/category/economy/", "/about/", "/feed/")     # None: the seed article
    DOWN_SECONDS = 3

    def test_stopped_under_load_then_started(self):
        cached = self.node(args=("--threads", "3"))
        uncached = self.node(share=cached, args=("--no-cache", "--threads", "3"))
        slug = cached.seed()[1]
        paths = [p or "/%s/" % slug for p in self.PAGES]
        before = {}                 # bodies, an article's form token blanked (each response signs one)
        for n in (cached, uncached):
            for p in paths:
                r = n.page(p)
                self.assertEqual(r.status, 200, p)
                before[n.port, p] = without_token(r.body)
        targets = [(n, p) for n in (cached, uncached) for p in paths]

        with _Load(targets) as load:
            time.sleep(1)
            self.down()
            t_down = time.monotonic()
            for n in (cached, uncached):
                r = n.get("/healthz")
                self.assertEqual(r.status, 503, "/healthz with the database down:\n%s" % r.text[:300])
                self.assertTrue(r.text.startswith("unavailable\ndatabase unreachable\n"), r.text[:300])
            time.sleep(self.DOWN_SECONDS)
            t_up = time.monotonic()
            self.up()
            deadline = time.monotonic() + RECOVERY_DEADLINE
            pending = set((n.port, p) for n, p in targets)
            while pending and time.monotonic() < deadline:
                for n, p in targets:
                    if (n.port, p) in pending:
                        r = n.page(p)
                        if r.status == 200 and without_token(r.body) == before[n.port, p]:
                            pending.discard((n.port, p))
                if pending:
                    time.sleep(0.1)
            t_back = time.monotonic()
            time.sleep(0.5)
        self.assertEqual(pending, set(), "not served as before %d s after the database came back"
                         % RECOVERY_DEADLINE)
        for n in (cached, uncached):
            r = n.get("/healthz")
            self.assertEqual(r.status, 200, r.text[:300])
            self.assertTrue(r.text.startswith("ok\ndatabase ok\n"), r.text[:300])
            self.assertIsNone(n.proc.poll(), "node on port %d exited" % n.port)

        records = load.between(0, float("inf"))
        errors = [(p, s) for _, _, p, s, _ in records if not isinstance(s, int)]
        self.assertEqual(errors, [], "requests that got no answer")
        self.assertEqual(sorted(set(s for _, _, _, s, _ in records) - {200, 503}), [], "statuses besides 200, 503")
        for sent, n, p, status, r in records:
            if status == 200:
                self.assertEqual(without_token(r.body), before[n.port, p],
                                 "a 200 for %s unlike the page served before" % p)
            else:
                self.assertIn(ARABIC_PAGE, r.text, "the 503 for %s is not the Arabic error page" % p)
                self.assertTrue((r.header("retry-after") or "").isdigit(), "503 for %s without Retry-After" % p)
        # sent once the database server had stopped: the loss is known, no page is current
        down = load.between(t_down, t_up)
        for n in (cached, uncached):
            got = [s for _, node, _, s, _ in down if node is n]
            self.assertTrue(got, "no request to node %d while the database was down" % n.port)
            self.assertEqual(set(got), {503}, "node %d while the database was down" % n.port)
        print("\n  %d requests: %d while the database was down (all 503), all back %.1f s after it was"
              % (len(records), len(down), t_back - t_up))
        self.stop_all()


@unittest.skipUnless(PG_DIR, NEED_PG_DIR)
class PasswordNeverShown(_Nodes):
    e2e_alone = True        # stops the database server every other class uses
    SECRET = "hunter2-secret"

    def assert_no_secret(self, what, text):
        self.assertNotIn(self.SECRET, text, "%s shows the password:\n%s" % (what, text))
        self.assertNotIn(urllib.parse.quote(self.SECRET), text, what)

    def cli(self, *args, ok=True):
        """Run the command line; its whole output must keep the secret."""
        r = run_cli(*args, timeout=60)
        out = r.stdout + r.stderr
        self.assert_no_secret("nashra %s" % " ".join(args[:2]), out)
        self.assertFalse(sanitizer_report(out), out)
        if ok:
            self.assertEqual(r.returncode, 0, out)
        else:
            self.assertIn(r.returncode, (1, 2), "nashra %s: %s" % (" ".join(args[:2]), out))
        return out

    def test_password_never_shown(self):
        role = "e2e_secret_%d" % os.getpid()
        PostgresDatabase.admin("CREATE ROLE %s LOGIN SUPERUSER PASSWORD '%s'" % (role, self.SECRET))
        self.addCleanup(PostgresDatabase.admin, "DROP ROLE IF EXISTS %s" % role)
        masked = "%s:***@" % role
        port = urllib.parse.urlsplit(PG_URL).port

        # a server given the password on its command line
        site = self.node(start=False)
        url = pg_url(dbname=site.database.dbname, user=role, password=self.SECRET)
        site.extra_args = ["--db", url, "--threads", "3"]
        site.start()
        self.assertEqual(site.get("/").status, 200)

        # a site whose nashra.conf holds the password, made by init
        tmp = tempfile.mkdtemp(prefix="nashra-e2e-secret-")
        self.addCleanup(shutil.rmtree, tmp, True)
        conf_db = PostgresDatabase()
        self.addCleanup(conf_db.drop)
        secret_db = pg_url(dbname=conf_db.dbname, user=role, password=self.SECRET)
        d = os.path.join(tmp, "site")
        self.assertIn(masked, self.cli("init", d, "--demo", "--db", secret_db))
        self.cli("article", d, "set", "1", "title", "عنوان")
        self.cli("settings", d, "set", "site_name", "نشرة")
        self.cli("comments", d, "approve", "999999", ok=False)
        self.cli("init", os.path.join(tmp, "again"), "--db", secret_db, ok=False)
        # nobody listens on the port named: the password in the URL's
        # user part, then as a parameter
        closed = closed_port(port)
        for bad in (pg_url(dbname=conf_db.dbname, user=role, password=self.SECRET, port=closed),
                    pg_url(dbname=conf_db.dbname, user=role, port=closed) + "?password=" + self.SECRET):
            out = self.cli("serve", d, "--db", bad, "--listen", "127.0.0.1:%d" % free_port(), ok=False)
            self.assertIn("cannot connect to", out)

        # the database lost and found again under the running server
        self.down()
        for p in ("/", "/about/", "/healthz"):
            self.assertEqual(site.get(p).status, 503, p)
        self.assertIn(masked, self.cli("article", d, "set", "1", "title", "عنوان آخر", ok=False))
        self.assertIn(masked, self.cli("serve", d, "--listen", "127.0.0.1:%d" % free_port(), ok=False))
        self.assertIn(masked, self.cli("init", os.path.join(tmp, "down"), "--db", secret_db, ok=False))
        self.up()
        deadline = time.monotonic() + RECOVERY_DEADLINE
        while site.get("/").status != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        r = site.get("/")
        if r.status != 200:   # what the server said, for whoever reads the failure
            health = site.get("/healthz")
            self.fail("/ answers %d %ds after the database returned; /healthz: %d %s\nlog:\n%s"
                      % (r.status, RECOVERY_DEADLINE, health.status, health.text[:500], site.log_tail()))
        self.stop_all()
        with open(site.log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assert_no_secret("the server's log", log)
        self.assertIn("unreachable", log, "the loss of the database is not in the log:\n%s" % log[-3000:])


def closed_port(avoid):
    """A port of 127.0.0.1 nothing listens on (free a moment ago), not avoid."""
    while True:
        p = free_port()
        if p != avoid:
            return p


if __name__ == "__main__":
    unittest.main()
