"""HTTP behaviour: conditional requests (ETag, Last-Modified -> 304), gzip,
HEAD, refused methods, hostile request paths and over-long URIs."""
import email.utils
import gzip
import http.client
import unittest

from nashra_e2e import ServerTestCase, quote_path, without_token


class Http(ServerTestCase):
    def seed_path(self):
        return quote_path("/%s/" % self.site.seed()[1])

    def test_etag_304(self):
        p = self.seed_path()
        r = self.site.get(p)
        etag = r.header("etag")
        self.assertTrue(etag, "no ETag")
        self.assertRegex(etag, r'^(W/)?"[^"]+"$')
        r2 = self.site.get(p, {"If-None-Match": etag})
        self.assertEqual(r2.status, 304)
        self.assertEqual(r2.body, b"")
        self.assertEqual(r2.header("etag"), etag)
        r3 = self.site.get(p, {"If-None-Match": '"not-the-etag"'})
        self.assertEqual(r3.status, 200)
        self.assertEqual(without_token(r3.body), without_token(r.body))

    def test_last_modified_304(self):
        p = self.seed_path()
        r = self.site.get(p)
        lm = r.header("last-modified")
        self.assertTrue(lm, "no Last-Modified")
        t = email.utils.parsedate_to_datetime(lm)
        self.assertTrue(lm.endswith("GMT"))
        self.assertEqual(self.site.get(p, {"If-Modified-Since": lm}).status, 304)
        older = email.utils.format_datetime(t.replace(year=t.year - 1), usegmt=True)
        self.assertEqual(self.site.get(p, {"If-Modified-Since": older}).status, 200)
        self.assertEqual(self.site.get(p, {"If-Modified-Since": "garbage"}).status, 200)

    def test_gzip(self):
        for p in ("/", self.seed_path(), "/feed/", "/sitemap.xml"):
            plain = self.site.get(p)
            z = self.site.get(p, {"Accept-Encoding": "gzip, deflate"})
            self.assertEqual(z.status, 200, p)
            self.assertEqual(z.header("content-encoding"), "gzip", p)
            self.assertIn("accept-encoding", z.header("vary", "").lower())
            self.assertEqual(without_token(gzip.decompress(z.body)), without_token(plain.body), p)
            self.assertLess(len(z.body), len(plain.body))
            self.assertIsNone(plain.header("content-encoding"))
            if not (plain.header("etag") or "W/").startswith("W/"):
                self.assertNotEqual(plain.header("etag"), z.header("etag"), "strong ETag shared by two encodings")
        self.assertIsNone(self.site.get("/", {"Accept-Encoding": "gzip;q=0"}).header("content-encoding"))

    def test_head(self):
        p = self.seed_path()
        g = self.site.get(p)
        h = self.site.request("HEAD", p)
        self.assertEqual(h.status, 200)
        self.assertEqual(h.body, b"")
        self.assertEqual(h.header("content-type"), g.header("content-type"))
        self.assertEqual(h.header("etag"), g.header("etag"))
        self.assertEqual(int(h.header("content-length")), len(g.body))
        self.assertEqual(self.site.request("HEAD", "/no-such-page-e2e/").status, 404)

    def test_405(self):
        for m in ("DELETE", "PUT", "PATCH"):
            r = self.site.request(m, "/", body=b"" if m in ("PUT", "PATCH") else None)
            self.assertEqual(r.status, 405, m)
            self.assertIn("GET", r.header("allow", ""))
        r = self.site.request("POST", "/feed/", body=b"x=1")
        self.assertEqual(r.status, 405)
        self.assert_arabic_error(r, "طلب غير مدعوم")

    def assert_arabic_error(self, r, title):
        """Readers are told in Arabic, in the site's own page, not in a bare
        English line."""
        self.assertTrue(r.header("content-type", "").startswith("text/html"), r.header("content-type"))
        self.assertIn('<html lang="ar" dir="rtl">', r.text)
        self.assertIn("<h1>%s</h1>" % title, r.text)
        self.assertEqual(r.header("cache-control"), "no-cache")

    def test_400_bad_paths(self):
        for p in ("/%00/", "/a%00b/", "/%FF%FE/", "/%C0%AF/", "/%ED%A0%80/", "/%D8/", "/%zz/", "/%"):
            r = self.site.get(p)
            self.assertEqual(r.status, 400, p)
            self.assert_arabic_error(r, "رابط غير صالح")
        self.assertEqual(self.site.get("/healthz").status, 200)

    def test_414(self):
        for n in (4000, 10000, 16000, 30000):
            try:
                r = self.site.get("/" + "a" * n + "/")
            except (http.client.HTTPException, ConnectionError) as e:
                self.fail("path of %d bytes: no response (%s)" % (n, e))
            self.assertEqual(r.status, 414, "path of %d bytes" % n)
        self.assert_arabic_error(self.site.get("/" + "a" * 4000 + "/"), "الرابط طويل جدًا")
        r = self.site.get("/" + "%D8%B9" * 3000 + "/")
        self.assertIn(r.status, (404, 414))
        self.assertEqual(self.site.get("/healthz").status, 200)

    def test_content_types(self):
        want = {"/": "text/html", "/feed/": "application/rss+xml", "/feed/atom/": "application/atom+xml",
                "/robots.txt": "text/plain"}
        for p, ct in want.items():
            self.assertTrue(self.site.get(p).header("content-type", "").startswith(ct), p)
        self.assertIn(self.site.get("/sitemap.xml").header("content-type", "").split(";")[0],
                      ("application/xml", "text/xml"))


if __name__ == "__main__":
    unittest.main()
