"""The command line: help and version, and every wrong use ends with a
non-zero status and a message, never a crash or a signal."""
import os
import shutil
import sqlite3
import tempfile
import unittest

from nashra_e2e import ROOT, Site, free_port, run_cli, sanitizer_report


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
            for w in ("init", "serve", "--listen", "--threads", "--base-url", "--no-cache", "--demo"):
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

    def test_edit_commands(self):
        """article / comments / settings: changes land, mistakes are refused
        with a message and a status, never a crash."""
        d = os.path.join(self.tmp, "site")
        self.assertEqual(run_cli("init", d, "--demo", timeout=60).returncode, 0)
        db = os.path.join(d, "nashra.db")
        r = run_cli("article", d, "set", "1", "title", "عنوان من سطر الأوامر")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run_cli("settings", d, "set", "site_name", "نشرة التجربة")
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(db) as c:
            self.assertEqual(c.execute("SELECT title FROM articles WHERE id=1").fetchone()[0], "عنوان من سطر الأوامر")
            self.assertEqual(c.execute("SELECT value FROM settings WHERE key='site_name'").fetchone()[0], "نشرة التجربة")
            cid = c.execute("SELECT id FROM comments WHERE status != 'approved' LIMIT 1").fetchone()[0]
        self.assertEqual(run_cli("comments", d, "approve", str(cid)).returncode, 0)
        with sqlite3.connect(db) as c:
            self.assertEqual(c.execute("SELECT status FROM comments WHERE id=?", (cid,)).fetchone()[0], "approved")
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
        d = os.path.join(self.tmp, "site")
        os.mkdir(d)
        with open(os.path.join(d, "nashra.db"), "wb") as f:
            f.write(os.urandom(8192))
        r = run_cli("serve", d, "--listen", "127.0.0.1:%d" % free_port(), timeout=20)
        self.assert_refused(r)

    def test_serve_locked_db(self):
        """Another process holds the database exclusively: serve waits its
        busy timeout, then says the database is locked."""
        d = os.path.join(self.tmp, "site")
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
        d = os.path.join(self.tmp, "site")
        self.assertEqual(run_cli("init", d).returncode, 0)
        port = "127.0.0.1:%d" % free_port()
        for bad in (["--threads", "abc"], ["--threads", "0"], ["--threads", "-3"],
                    ["--threads", "99999999999999999999"], ["--threads"],
                    ["--listen", "nonsense"], ["--listen", "127.0.0.1:99999"], ["--listen", "127.0.0.1:"],
                    ["--base-url", "not a url"]):
            args = ["serve", d] + (bad if bad[0] == "--listen" else ["--listen", port] + bad)
            self.assert_refused(run_cli(*args, timeout=10))

    def test_init_twice(self):
        d = os.path.join(self.tmp, "site")
        r = run_cli("init", d, "--demo", timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(os.path.join(d, "nashra.db")))
        with open(os.path.join(d, "nashra.db"), "rb") as f:
            before = f.read(16)
        self.assertEqual(before, b"SQLite format 3\x00")
        self.assert_refused(run_cli("init", d, "--demo", timeout=60))
        self.assert_refused(run_cli("init", d, timeout=60))

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


if __name__ == "__main__":
    unittest.main()
