"""The database fails under a running server (its pages overwritten with
garbage): readers get the themed 500 page in Arabic, /healthz reports the
failure, the operator finds it in the log, and the server keeps running
and still stops cleanly. Pages already in the cache were rendered from
good data before the damage and may still be served; the damage itself
is not a commit, so it moves no generation."""
import os
import unittest

from nashra_e2e import Site, sanitizer_report


class CorruptDatabase(unittest.TestCase):
    def test_corruption_under_load(self):
        site = Site(demo=True)
        try:
            site.start()
            self.assertEqual(site.get("/healthz").status, 200)
            size = os.path.getsize(site.db_path)
            with open(site.db_path, "r+b") as f:
                for off in range(8192, size, 4096):  # keep the header page
                    f.seek(off)
                    f.write(os.urandom(4096))
            for path in ("/category/politics/", "/feed/atom/", "/about/", "/tag/x/"):
                r = site.get(path)
                self.assertEqual(r.status, 500, path)
                self.assertIn('<html lang="ar" dir="rtl">', r.text)
                self.assertIn("<h1>حدث خطأ</h1>", r.text)
            self.assertEqual(site.get("/healthz").status, 500)
        finally:
            rc = site.stop()
            log = site.log_tail()
            site.cleanup()
        self.assertEqual(rc, 0, log)
        self.assertIn("error: GET /category/politics/", log)
        self.assertFalse(sanitizer_report(log), log)


if __name__ == "__main__":
    unittest.main()
