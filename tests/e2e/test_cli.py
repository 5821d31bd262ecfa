"""The command line: help and version, and every wrong use ends with a
non-zero status and a message, never a crash or a signal."""
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from nashra_e2e import ROOT, Database, Site, free_port, quote_path, run_cli, sanitizer_report, without_token


class Cli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nashra-cli-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def assert_refused(self, r, *words):
        """Exited by itself (no signal), non-zero, with a message."""
        self.assertIsNotNone(r.returncode, "did not exit: %s %s" % (r.args[1:], r.stderr[-500:]))
        self.assertGreater(r.returncode, 0, "exit %d, stderr: %s" % (r.returncode, r.stderr))
        self.assertLess(r.returncode, 128, "exit status from a signal: %d" % r.returncode)
        msg = (r.stderr + r.stdout).strip()
        self.assertTrue(msg, "no message")
        self.assertFalse(sanitizer_report(msg), msg)
        self.assertNotIn("Segmentation", msg)
        for w in words:
            self.assertIn(w.lower(), msg.lower())

    def test_help(self):
        for arg in ("--help", "-h"):
            r = run_cli(arg)
            self.assertEqual(r.returncode, 0, r.stderr)
            out = r.stdout + r.stderr
            for w in ("init", "serve", "--listen", "--threads", "--base-url", "--no-cache", "--demo",
                      "search", "reindex", "--page"):
                self.assertIn(w, out)

    def test_version(self):
        r = run_cli("--version")
        self.assertEqual(r.returncode, 0)
        with open(os.path.join(ROOT, "VERSION")) as f:
            self.assertIn(f.read().strip(), r.stdout)

    def test_no_args_and_unknown(self):
        self.assert_refused(run_cli())
        self.assert_refused(run_cli("frobnicate"))
        self.assert_refused(run_cli("serve"))
        self.assert_refused(run_cli("init"))
        self.assert_refused(run_cli("serve", self.tmp, "--bogus-option"))

    def site(self, demo=True):
        """A site made by nashra init, no server on it; removed after the test."""
        site = Site(demo=demo)
        self.addCleanup(site.cleanup)
        return site

    def test_edit_commands(self):
        """article / comments / settings: changes land, mistakes are refused
        with a message and a status, never a crash."""
        site = self.site()
        d = site.dir
        r = run_cli("article", d, "set", "1", "title", "عنوان من سطر الأوامر")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run_cli("settings", d, "set", "site_name", "نشرة التجربة")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(site.query("SELECT title FROM articles WHERE id=1"), [("عنوان من سطر الأوامر",)])
        self.assertEqual(site.query("SELECT value FROM settings WHERE key='site_name'"), [("نشرة التجربة",)])
        cid = site.query("SELECT id FROM comments WHERE status != 'approved' LIMIT 1")[0][0]
        self.assertEqual(run_cli("comments", d, "approve", str(cid)).returncode, 0)
        self.assertEqual(site.query("SELECT status FROM comments WHERE id=?", (cid,)), [("approved",)])
        self.assert_refused(run_cli("article", d, "set", "999999", "title", "x"), "not found")
        self.assert_refused(run_cli("article", d, "set", "1", "title", ""), "invalid")
        self.assert_refused(run_cli("article", d, "set", "1", "status", "bogus"), "bad field")
        self.assert_refused(run_cli("article", d, "set", "1", "colour", "red"), "bad field")
        self.assert_refused(run_cli("article", d, "set", "x", "title", "t"), "usage")
        self.assert_refused(run_cli("comments", d, "approve", "abc"), "invalid")
        self.assert_refused(run_cli("comments", d, "approve", "999999"), "not found")
        self.assert_refused(run_cli("comments", d, "bless", "1"), "usage")
        self.assert_refused(run_cli("settings", d, "set", "k"), "usage")
        self.assert_refused(run_cli("settings", os.path.join(self.tmp, "nope"), "set", "k", "v"))
        self.assert_refused(run_cli("article"), "usage")

    def test_serve_missing_dir(self):
        r = run_cli("serve", os.path.join(self.tmp, "nope"), "--listen", "127.0.0.1:%d" % free_port(), timeout=20)
        self.assert_refused(r)

    def test_serve_garbage_db(self):
        """A database that is not nashra's (a file of garbage, another
        application's tables) is refused, not served nor migrated."""
        d = os.path.join(self.tmp, "site")
        os.mkdir(d)
        db = Database(d)
        self.addCleanup(db.drop)
        db.make_foreign()
        r = run_cli("serve", d, "--listen", "127.0.0.1:%d" % free_port(), *db.cli_args, timeout=20)
        self.assert_refused(r)

    def test_serve_locked_db(self):
        """Another process holds the database exclusively: serve waits its
        busy timeout, then says the database is locked."""
        d = os.path.join(self.tmp, "site")
        if Database.is_pg:
            self.skipTest("an exclusive lock on the whole database file is SQLite's;"
                          " PostgreSQL has no lock that shuts out every reader")
        r = run_cli("init", d)
        self.assertEqual(r.returncode, 0, r.stderr)
        holder = sqlite3.connect(os.path.join(d, "nashra.db"), isolation_level=None)
        try:
            holder.execute("PRAGMA locking_mode=EXCLUSIVE")
            holder.execute("BEGIN EXCLUSIVE")
            holder.execute("UPDATE settings SET value=value")
            r = run_cli("serve", d, "--listen", "127.0.0.1:%d" % free_port(), timeout=30)
            self.assert_refused(r, "locked")
        finally:
            holder.close()

    def test_serve_busy_port(self):
        site = Site(demo=True)
        try:
            site.start()
            r = run_cli("serve", site.dir, "--listen", "127.0.0.1:%d" % site.port, timeout=20)
            self.assert_refused(r)
            self.assertEqual(site.get("/healthz").status, 200)
        finally:
            rc = site.stop()
            site.cleanup()
        self.assertEqual(rc, 0)

    def test_bad_options(self):
        d = self.site(demo=False).dir
        port = "127.0.0.1:%d" % free_port()
        for bad in (["--threads", "abc"], ["--threads", "0"], ["--threads", "-3"],
                    ["--threads", "99999999999999999999"], ["--threads"],
                    ["--listen", "nonsense"], ["--listen", "127.0.0.1:99999"], ["--listen", "127.0.0.1:"],
                    ["--base-url", "not a url"]):
            args = ["serve", d] + (bad if bad[0] == "--listen" else ["--listen", port] + bad)
            self.assert_refused(run_cli(*args, timeout=10))

    def test_init_twice(self):
        """A site is never created over another, whether in its directory
        or elsewhere on the same database."""
        site = self.site()
        self.assertTrue(site.database.holds_site())
        db = site.database.location
        self.assert_refused(run_cli("init", site.dir, "--demo", *site.database.cli_args, timeout=60))
        self.assert_refused(run_cli("init", site.dir, timeout=60))
        self.assert_refused(run_cli("init", os.path.join(self.tmp, "other"), "--db", db, timeout=60),
                            "already")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "other", "nashra.conf")))
        self.assertTrue(site.database.holds_site())

    def test_init_into_a_file(self):
        f = os.path.join(self.tmp, "file")
        open(f, "w").close()
        self.assert_refused(run_cli("init", f))

    def test_empty_site_serves(self):
        site = Site(demo=False)
        try:
            site.start()
            self.assertEqual(site.get("/").status, 200)
            self.assertEqual(site.get("/feed/").status, 200)
            self.assertEqual(site.get("/no-such-page/").status, 404)
        finally:
            rc = site.stop()
            site.cleanup()
        self.assertEqual(rc, 0)


# -- nashra db copy ---------------------------------------------------------
# sessions and sign-in failures are not copied: they belong to each database
SITE_TABLES = ("authors", "users", "categories", "tags", "articles", "article_tags", "comments",
               "article_related", "revisions",
               "pages", "media", "import_items", "redirects", "settings")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# the same address in every page, whichever port serves it
BASE_URL = "http://nashra.test"


def sitemap_paths(site):
    """Every path the sitemaps list, the sitemaps themselves, and the pages
    no sitemap lists: feeds, robots.txt, a page of an archive, a 404."""
    paths = ["/sitemap.xml", "/feed/", "/feed/atom/", "/robots.txt", "/page/2/",
             "/no-such-page-e2e/"]
    index = ET.fromstring(site.get("/sitemap.xml").body)
    for sm in index.findall(SM + "sitemap"):
        p = urllib.parse.urlsplit(sm.findtext(SM + "loc")).path
        paths.append(p)
        for u in ET.fromstring(site.get(p).body).findall(SM + "url"):
            paths.append(urllib.parse.urlsplit(u.findtext(SM + "loc")).path)
    return paths


def table_counts(db_path):
    """Rows of each site table of a SQLite file."""
    with sqlite3.connect(db_path) as c:
        return {t: c.execute("SELECT count(*) FROM %s" % t).fetchone()[0] for t in SITE_TABLES}


def site_counts(site):
    """Rows of each site table of a site's database, on either backend."""
    return {t: site.query("SELECT count(*) FROM %s" % t)[0][0] for t in SITE_TABLES}


class DbCopy(unittest.TestCase):
    """nashra db copy: the copy serves the very same site, byte for byte;
    a target holding a site is refused and left alone unless --replace;
    mistakes end in one line and the documented status."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nashra-copy-")
        self.sites = []

    def tearDown(self):
        failures = []
        for site in self.sites:
            rc = site.stop()
            log = site.log_tail(16000)
            site.cleanup()
            if rc not in (0, None) or sanitizer_report(log):
                failures.append("server exit %r:\n%s" % (rc, log))
        shutil.rmtree(self.tmp, ignore_errors=True)
        if failures:
            raise AssertionError("\n".join(failures))

    def site(self, demo=True, db=None):
        """A site (demo content, or empty and served from db), not started."""
        args = ["--base-url", BASE_URL] + (["--db", db] if db else [])
        s = Site(demo=demo, extra_args=args)
        self.sites.append(s)
        return s

    def copy(self, *args):
        return run_cli("db", "copy", *args, timeout=120)

    def assert_copied(self, r, counts):
        """Exit 0, one `TABLE: N rows` line per table with the source's
        counts, then how to switch the site over."""
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.strip().splitlines()
        got = dict(re.fullmatch(r"(\w+): (\d+) rows", l).groups() for l in lines[:-1])
        self.assertEqual({t: int(n) for t, n in got.items()}, counts)
        self.assertIn("database = ", lines[-1])
        self.assertIn("--db", lines[-1])

    @staticmethod
    def files_of(a, b):
        """b serving a's media files: a copy moves the database, the
        files stay in the site directory (DIR/uploads may be a link)."""
        os.symlink(os.path.join(a.dir, "uploads"), os.path.join(b.dir, "uploads"))
        return b

    def assert_same_pages(self, a, b):
        """Every page of a (and each of its redirects) answered by b with
        the same status, type, target and bytes, but for the value of an
        article's form token (signed when it is served)."""
        paths = sitemap_paths(a) + [quote_path(p) for (p,) in a.query("SELECT from_path FROM redirects")]
        self.assertGreater(len(paths), 200)
        for p in paths:
            ra, rb = a.get(p), b.get(p)
            self.assertIn(ra.status, (200, 301, 302, 404), p)
            self.assertEqual([(r.status, r.header("content-type"), r.header("location")) for r in (ra, rb)],
                             [(ra.status, ra.header("content-type"), ra.header("location"))] * 2, p)
            self.assertTrue(without_token(ra.body) == without_token(rb.body),
                            "%s differs after the copy" % urllib.parse.unquote(p))

    def test_help_names_it(self):
        self.assertIn("db copy DIR --to LOCATION", run_cli("--help").stdout)

    def test_copy_serves_the_same_site(self):
        a = self.site()
        copy = os.path.join(self.tmp, "copy.db")
        r = self.copy(a.dir, "--to", copy)
        self.assert_copied(r, site_counts(a))
        self.assertIn(copy, r.stdout.splitlines()[-1])
        self.assert_same_pages(a.start(), self.files_of(a, self.site(demo=False, db=copy)).start())

    def test_refusals(self):
        a = self.site()
        copy = os.path.join(self.tmp, "copy.db")
        self.assertEqual(self.copy(a.dir, "--to", copy).returncode, 0)
        with sqlite3.connect(copy) as c:
            c.execute("UPDATE settings SET value = 'نسخة معدلة' WHERE key = 'site_name'")
        r = self.copy(a.dir, "--to", copy)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("--replace", r.stderr)
        with sqlite3.connect(copy) as c:
            self.assertEqual(c.execute("SELECT value FROM settings WHERE key = 'site_name'").fetchone()[0],
                             "نسخة معدلة")
        self.assert_copied(self.copy(a.dir, "--to", copy, "--replace"), site_counts(a))
        self.assertEqual(table_counts(copy), site_counts(a))
        # the site's own database, under any name
        own_names = [a.database.location]
        if not a.database.is_pg:
            own_names.append(os.path.join(a.dir, ".", "nashra.db"))
        for own in own_names:
            r = self.copy(a.dir, "--to", own, "--replace")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("own database", r.stderr)
        # usage mistakes: 2, a site that is not there: 1, and nothing created
        missing = os.path.join(self.tmp, "never.db")
        for args in ((a.dir,), ("--to", missing), (a.dir, "--to"), (a.dir, "extra", "--to", missing),
                     (a.dir, "--to", missing, "--bogus")):
            r = self.copy(*args)
            self.assertEqual(r.returncode, 2, "%s: %s" % (args, r.stderr))
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertEqual(run_cli("db").returncode, 2)
        self.assertEqual(run_cli("db", "move", a.dir).returncode, 2)
        r = self.copy(os.path.join(self.tmp, "no-site"), "--to", missing)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertFalse(os.path.exists(missing))

    def test_postgresql_round_trip(self):
        """demo → PostgreSQL → SQLite: still every page the same, and the
        URL's password never printed."""
        admin = os.environ.get("NASHRA_TEST_PG_URL")
        if not admin:
            self.skipTest("NASHRA_TEST_PG_URL not set (a PostgreSQL URL that may create databases)")
        if not shutil.which("psql"):
            self.skipTest("psql not installed")
        name = "nashra_e2e_copy_%d" % os.getpid()
        subprocess.run(["psql", admin, "-q", "-c", "CREATE DATABASE %s" % name], check=True)
        try:
            u = urllib.parse.urlsplit(admin)
            user = u.username or "nashra"
            host = u.hostname + (":%d" % u.port if u.port else "")
            url = urllib.parse.urlunsplit((u.scheme, "%s:e2e-secret@%s" % (user, host), "/" + name, u.query, ""))
            a = self.site()
            r = self.copy(a.dir, "--to", url)
            self.assert_copied(r, site_counts(a))
            pg_dir = os.path.join(self.tmp, "pg-site")
            os.mkdir(pg_dir)
            with open(os.path.join(pg_dir, "nashra.conf"), "w") as f:
                f.write("database = %s\n" % url)
            back = os.path.join(self.tmp, "back.db")
            r2 = self.copy(pg_dir, "--to", back)
            self.assert_copied(r2, site_counts(a))
            for out in (r.stdout, r.stderr, r2.stdout, r2.stderr):
                self.assertNotIn("e2e-secret", out)
            a.start()
            self.assert_same_pages(a, self.files_of(a, self.site(demo=False, db=back)).start())
            self.assert_same_pages(a, self.files_of(a, self.site(demo=False, db=url)).start())
        finally:
            for s in self.sites:
                s.stop()
            subprocess.run(["psql", admin, "-q", "-c", "DROP DATABASE %s WITH (FORCE)" % name])


if __name__ == "__main__":
    unittest.main()
