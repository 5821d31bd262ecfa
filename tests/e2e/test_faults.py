"""The database fails under a running server (on SQLite its pages
overwritten with garbage, on PostgreSQL its tables renamed away): readers
get the themed 500 page in Arabic, /healthz reports the failure with a 503
(a load balancer then sends readers elsewhere), the operator finds it in
the log, and the server keeps running and still stops cleanly. Pages
already in the cache were rendered from good data before the damage and
may still be served; the damage itself is not a commit, so it moves no
generation."""
import unittest

from nashra_e2e import Site, sanitizer_report


class CorruptDatabase(unittest.TestCase):
    def test_corruption_under_load(self):
        site = Site(demo=True)
        try:
            site.start()
            self.assertEqual(site.get("/healthz").status, 200)
            site.database.damage()
            for path in ("/category/politics/", "/feed/atom/", "/about/", "/tag/x/"):
                r = site.get(path)
                self.assertEqual(r.status, 500, path)
                self.assertIn('<html lang="ar" dir="rtl">', r.text)
                self.assertIn("<h1>حدث خطأ</h1>", r.text)
            r = site.get("/healthz")
            self.assertEqual(r.status, 503)
            self.assertTrue(r.text.startswith("unavailable\ndatabase "), r.text[:200])
        finally:
            rc = site.stop()
            log = site.log_tail()
            site.cleanup()
        self.assertEqual(rc, 0, log)
        self.assertIn("error: GET /category/politics/", log)
        self.assertFalse(sanitizer_report(log), log)


if __name__ == "__main__":
    unittest.main()
