"""A site moved from WordPress keeps its old addresses: old permalinks, the
query links to the root (?p=, ?page_id=, ?cat=, ?feed=…) and old feeds
answer 301 through the redirects table (as an import writes it) or by
WordPress's conventions; tag and author feeds; the imported media files
under /uploads/ (types, validators, and no way out of DIR/uploads); sticky
articles first on the front page."""
import os
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from nashra_e2e import ServerTestCase, parse_html, quote_path

ATOM = "{http://www.w3.org/2005/Atom}"


def location_path(r):
    """The decoded path of a response's Location."""
    return urllib.parse.unquote(urllib.parse.urlsplit(r.header("location", "")).path)


class LegacyUrls(ServerTestCase):
    @classmethod
    def prepare_site(cls, site):
        cls.category = site.query("SELECT slug FROM categories WHERE parent_id IS NULL"
                                  " OR parent_id = 0 ORDER BY id LIMIT 1")[0][0]
        cls.article = site.seed()[1]
        rows = {
            "/2022/03/31/سلاح-جديد/": "/%s/" % cls.article,
            "/politics/سلاح/": "/%s/" % cls.article,
            "/archives/123/": "/%s/" % cls.article,
            "/category/parent/child/": "/category/%s/" % cls.category,
            "/category/parent/child/feed/": "/category/%s/feed/" % cls.category,
            "/wp-content/uploads/2022/03/x.jpg": "/uploads/2022/03/x.jpg",
            "/2022/03/31/slug/attachment-name/": "https://media.example.org/x.jpg",
            "/old-section/": "/category/%s/" % cls.category,
            "/old/no-slash-row": "/%s/" % cls.article,
            "/one-segment-row": "/%s/" % cls.article,
            "/elsewhere/": "https://example.org/moved/",
            "/sneaky/": "//evil.example/x",
            "/sneaky-scheme/": "javascript:alert(1)",
            "/?p=5001": "/%s/" % cls.article,
            "/?page_id=42": "/%s/" % cls.article,
            "/?attachment_id=77": "/uploads/2022/03/x.jpg",
            "/?cat=9": "/category/%s/" % cls.category,
            "/?tag=قديم": "/category/%s/" % cls.category,
            "/?author=3": "https://example.org/author/x/",
            "/?m=202203": "/",
            "/?page_id=666": "//evil.example/x",
        }
        for src, dst in rows.items():
            site.execute("INSERT INTO redirects(from_path, to_path, status) VALUES(?,?,?)", (src, dst, 301))
        cls.rows = rows

    def moved(self, path, want, encoded=False):
        """GET path (decoded unless encoded) and check a 301 to want (a
        decoded path, or an absolute URL)."""
        r = self.site.get(path) if encoded else self.site.page(path)
        self.assertEqual(r.status, 301, path)
        loc = r.header("location", "")
        self.assertRegex(loc, r"^[\x21-\x7e]+$", "Location not percent-encoded")
        if want.startswith("http"):
            self.assertEqual(loc, want, path)
        else:
            self.assertEqual(location_path(r), want, path)
        return r

    # -- old permalinks ---------------------------------------------------
    def test_old_permalinks(self):
        for src, dst in self.rows.items():
            if not src.startswith("/?") and not src.startswith("/sneaky"):
                self.moved(src, dst)

    def test_percent_encoded_either_case(self):
        for upper in (True, False):
            self.moved(quote_path("/2022/03/31/سلاح-جديد/", upper), "/%s/" % self.article, encoded=True)
            self.moved(quote_path("/politics/سلاح/", upper), "/%s/" % self.article, encoded=True)

    def test_trailing_slash_variants(self):
        # the row has the slash, the request has none; and the other way round
        self.moved("/2022/03/31/سلاح-جديد", "/%s/" % self.article)
        self.moved("/archives/123", "/%s/" % self.article)
        self.moved("/old/no-slash-row/", "/%s/" % self.article)
        self.moved("/old/no-slash-row", "/%s/" % self.article)
        # one segment recorded without its slash: before the slash is added
        self.moved("/one-segment-row", "/%s/" % self.article)
        self.moved("/one-segment-missing", "/one-segment-missing/")
        self.assertEqual(self.site.get("/archives/124/").status, 404)
        self.assertEqual(self.site.get("/archives/124").status, 404)

    def test_absolute_targets(self):
        self.moved("/elsewhere/", "https://example.org/moved/")
        self.moved("/2022/03/31/slug/attachment-name/", "https://media.example.org/x.jpg")

    def test_targets_stay_on_the_site(self):
        """A row's target that is not an http(s) URL is a path of this site."""
        for src in ("/sneaky/", "/sneaky-scheme/"):
            r = self.site.page(src)
            self.assertEqual(r.status, 301)
            loc = r.header("location")
            self.assertTrue(loc.startswith("/") and not loc.startswith("//"), loc)
            self.assertNotIn(":", loc, loc)
        r = self.site.get("/?page_id=666")
        self.assertEqual(r.status, 301)
        loc = urllib.parse.urlsplit(r.header("location"))
        self.assertEqual(loc.netloc, urllib.parse.urlsplit(self.site.base).netloc)
        self.assertEqual(loc.path, "/evil.example/x")

    def test_temporary_rows(self):
        """A 302 row answers 302, never from the cache."""
        for src in ("/?page_id=302", "/temporary/here/"):
            self.site.execute("INSERT INTO redirects(from_path, to_path, status) VALUES(?,?,?)",
                              (src, "/feed/", 302))
            for _ in range(2):
                r = self.site.get(src)
                self.assertEqual((r.status, location_path(r)), (302, "/feed/"), src)
                self.assertNotEqual(r.header("x-cache"), "HIT", src)

    def test_feeds_of_old_pages(self):
        # a page moved to a category: its feed is the category's
        self.moved("/old-section/feed/", "/category/%s/feed/" % self.category)
        self.moved("/old-section/feed", "/category/%s/feed/" % self.category)
        # a recorded feed row wins
        self.moved("/category/parent/child/feed/", "/category/%s/feed/" % self.category)
        # an article has no feed of its own: the article
        self.moved("/2022/03/31/سلاح-جديد/feed/", "/%s/" % self.article)
        self.moved("/elsewhere/feed/", "https://example.org/moved/")
        self.assertEqual(self.site.get("/never-was/feed/").status, 404)

    # -- query links to the root ------------------------------------------
    def test_query_links_with_rows(self):
        for src, dst in self.rows.items():
            if src.startswith("/?") and "evil" not in dst:
                name, value = src[2:].split("=", 1)
                query = urllib.parse.urlencode({name: value})
                self.moved("/?" + query, dst, encoded=True)
                # other parameters neither split nor spoil the answer
                self.moved("/?utm_source=x&" + query, dst, encoded=True)

    def test_query_links_without_rows(self):
        aid = self.site.seed()[0]
        self.moved("/?p=%d" % aid, "/%s/" % self.article, encoded=True)
        (tag,) = self.site.query("SELECT t.slug FROM tags t JOIN article_tags x ON x.tag_id = t.id LIMIT 1")[0]
        self.moved("/?tag=" + urllib.parse.quote(tag), "/tag/%s/" % tag, encoded=True)
        for q in ("/?tag=no-such-tag-e2e", "/?cat=12345", "/?author=12345", "/?page_id=12345",
                  "/?attachment_id=12345", "/?m=199901", "/?p=99999999", "/?p=abc", "/?feed=nonsense"):
            self.assertEqual(self.site.get(q).status, 404, q)

    def test_query_feeds(self):
        for name in ("rss2", "rss", "rdf", "comments-rss2"):
            self.moved("/?feed=" + name, "/feed/", encoded=True)
        self.moved("/?feed=atom", "/feed/atom/", encoded=True)
        # a category's feed by its old id
        self.moved("/?cat=9&feed=rss2", "/category/%s/feed/" % self.category, encoded=True)

    def test_redirect_rows_follow_the_database(self):
        """A cached redirect is dropped when the redirects change (an import
        adding or replacing rows while the site is served)."""
        self.assertEqual(self.site.get("/?cat=31337").status, 404)
        self.site.execute("INSERT INTO redirects(from_path, to_path, status) VALUES(?,?,?)",
                          ("/?cat=31337", "/category/%s/" % self.category, 301))
        self.moved("/?cat=31337", "/category/%s/" % self.category, encoded=True)
        r = self.moved("/?cat=31337", "/category/%s/" % self.category, encoded=True)
        self.assertEqual(r.header("x-cache"), "HIT")
        self.site.execute("UPDATE redirects SET to_path=? WHERE from_path=?", ("/feed/", "/?cat=31337"))
        self.moved("/?cat=31337", "/feed/", encoded=True)
        self.site.execute("INSERT INTO redirects(from_path, to_path, status) VALUES(?,?,?)",
                          ("/2019/01/later/", "/feed/atom/", 301))
        self.moved("/2019/01/later/", "/feed/atom/")

    # -- feeds ------------------------------------------------------------
    def rss_links(self, path):
        r = self.site.page(path)
        self.assertEqual(r.status, 200, path)
        self.assertTrue(r.header("content-type").startswith("application/rss+xml"))
        root = ET.fromstring(r.body)
        self.assertEqual(root.tag, "rss")
        ch = root.find("channel")
        self.assertEqual(urllib.parse.unquote(ch.findtext("link")), self.site.base + path[:-len("feed/")])
        return [urllib.parse.unquote(urllib.parse.urlsplit(i.findtext("link")).path)
                for i in ch.findall("item")]

    def test_tag_feed(self):
        (tag, tid) = self.site.query("SELECT t.slug, t.id FROM tags t JOIN article_tags x ON x.tag_id = t.id"
                                     " GROUP BY t.id, t.slug ORDER BY count(*) DESC LIMIT 1")[0]
        links = self.rss_links("/tag/%s/feed/" % tag)
        tagged = {"/%s/" % s for (s,) in self.site.query(
            "SELECT a.slug FROM articles a JOIN article_tags x ON x.article_id = a.id WHERE x.tag_id = ?",
            (tid,))}
        self.assertTrue(links)
        self.assertTrue(set(links) <= tagged, set(links) - tagged)
        root = ET.fromstring(self.site.page("/tag/%s/feed/atom/" % tag).body)
        self.assertEqual(root.tag, ATOM + "feed")
        self.assertEqual(self.site.get("/tag/no-such-tag-e2e/feed/").status, 404)

    def test_author_feed(self):
        (slug, aid) = self.site.query("SELECT au.slug, au.id FROM authors au JOIN articles a"
                                      " ON a.author_id = au.id WHERE a.status = 'published' LIMIT 1")[0]
        links = self.rss_links("/author/%s/feed/" % slug)
        theirs = {"/%s/" % s for (s,) in self.site.query("SELECT slug FROM articles WHERE author_id = ?", (aid,))}
        self.assertTrue(links)
        self.assertTrue(set(links) <= theirs, set(links) - theirs)
        self.assertEqual(self.site.get("/author/no-such-author-e2e/feed/").status, 404)

    def test_wordpress_feed_names(self):
        for old in ("/feed/rss2/", "/feed/rss/", "/feed/rdf/", "/comments/feed/", "/feed/rss2"):
            self.moved(old, "/feed/")
        self.moved("/category/%s/feed/rss2/" % self.category, "/category/%s/feed/" % self.category)

    # -- sticky articles ----------------------------------------------------
    def test_sticky_first(self):
        cols = [c for (c,) in self.site.query(
            "SELECT name FROM pragma_table_info('articles')" if self.site.database.name == "sqlite" else
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles'")]
        if "sticky" not in cols:
            self.skipTest("this database has no sticky column")
        now = int(time.time())
        old = self.site.query("SELECT id, slug FROM articles WHERE status = 'published' AND published_at <= ?"
                              " ORDER BY published_at ASC, id ASC LIMIT 2", (now,))
        newest = self.site.query("SELECT slug FROM articles WHERE status = 'published' AND published_at <= ?"
                                 " ORDER BY published_at DESC, id DESC LIMIT 1", (now,))[0][0]
        for aid, _ in old:
            self.site.execute("UPDATE articles SET sticky = ? WHERE id = ?", ("1", aid))
        try:
            doc = parse_html(self.get_ok("/").text)
            top = urllib.parse.unquote(doc.find("article", cls="top-story").find("a").get("href"))
            latest = [urllib.parse.unquote(a.get("href")) for a in
                      doc.find("section", cls="latest").find_all("a", cls="card-title")]
            stickies = {"/%s/" % s for _, s in old}
            self.assertIn(top, stickies)
            self.assertIn((stickies - {top}).pop(), latest[:1])
            shown = [top] + latest
            self.assertEqual(len(shown), len(set(shown)), "a sticky article shown twice")
            self.assertIn("/%s/" % newest, latest)
        finally:
            for aid, _ in old:
                self.site.execute("UPDATE articles SET sticky = ? WHERE id = ?", ("0", aid))
        doc = parse_html(self.get_ok("/").text)
        self.assertEqual(urllib.parse.unquote(doc.find("article", cls="top-story").find("a").get("href")),
                         "/%s/" % newest)


class Uploads(ServerTestCase):
    demo = False

    @classmethod
    def prepare_site(cls, site):
        up = os.path.join(site.dir, "uploads")
        os.makedirs(os.path.join(up, "2022", "03"))
        cls.files = {
            "2022/03/x.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
            "2022/03/صورة.png": b"\x89PNG\r\n\x1a\n",
            "a.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "notes.txt": "نص عربي\n".encode(),
            "page.html": b"<script>alert(1)</script>",
            "file.weird": b"\x00\x01\x02",
        }
        for rel, data in cls.files.items():
            with open(os.path.join(up, rel), "wb") as f:
                f.write(data)
        secret_dir = os.path.join(site.tmp, "outside")
        os.mkdir(secret_dir)
        with open(os.path.join(secret_dir, "secret.txt"), "w") as f:
            f.write("secret\n")
        os.symlink(os.path.join(secret_dir, "secret.txt"), os.path.join(up, "link.txt"))
        os.symlink(secret_dir, os.path.join(up, "linked"))
        os.symlink("../..", os.path.join(up, "2022", "up"))
        os.mkfifo(os.path.join(up, "pipe.txt"))
        with open(os.path.join(up, ".hidden.txt"), "w") as f:
            f.write("hidden\n")
        with open(os.path.join(up, "big.mp4"), "wb") as f:   # sparse: no disk used
            f.truncate(2 << 20)
        with open(os.path.join(up, "huge.mp4"), "wb") as f:
            f.truncate((64 << 20) + 1)
        cls.up = up

    def test_served_with_type(self):
        want = {"2022/03/x.jpg": "image/jpeg", "2022/03/صورة.png": "image/png", "a.svg": "image/svg+xml",
                "notes.txt": "text/plain; charset=utf-8", "page.html": "application/octet-stream",
                "file.weird": "application/octet-stream"}
        for rel, ct in want.items():
            r = self.site.page("/uploads/" + rel)
            self.assertEqual(r.status, 200, rel)
            self.assertEqual(r.body, self.files[rel], rel)
            self.assertEqual(r.header("content-type"), ct, rel)
            self.assertEqual(r.header("x-content-type-options"), "nosniff", rel)
            self.assertEqual(r.header("cache-control"), "public, max-age=86400", rel)
            self.assertTrue(r.header("etag"), rel)
            self.assertTrue(r.header("last-modified"), rel)
        for upper in (True, False):
            self.assertEqual(self.site.get(quote_path("/uploads/2022/03/صورة.png", upper)).status, 200)

    def test_active_content_is_contained(self):
        r = self.site.get("/uploads/a.svg")
        self.assertIn("sandbox", [v.split(";")[0].strip() for v in r.header_values("content-security-policy")])
        for rel in ("page.html", "file.weird"):
            r = self.site.get("/uploads/" + rel)
            self.assertTrue(r.header("content-disposition", "").startswith("attachment"), rel)

    def test_not_modified(self):
        r = self.site.get("/uploads/2022/03/x.jpg")
        r2 = self.site.get("/uploads/2022/03/x.jpg", headers={"If-None-Match": r.header("etag")})
        self.assertEqual(r2.status, 304)
        self.assertEqual(r2.body, b"")
        r3 = self.site.get("/uploads/2022/03/x.jpg", headers={"If-Modified-Since": r.header("last-modified")})
        self.assertEqual(r3.status, 304)
        r4 = self.site.get("/uploads/2022/03/x.jpg", headers={"If-None-Match": '"other"'})
        self.assertEqual(r4.status, 200)

    def test_head(self):
        r = self.site.request("HEAD", "/uploads/notes.txt")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        self.assertEqual(int(r.header("content-length")), len(self.files["notes.txt"]))

    def test_small_cached_large_not(self):
        self.site.get("/uploads/notes.txt")
        self.assertEqual(self.site.get("/uploads/notes.txt").header("x-cache"), "HIT")
        for _ in range(2):
            r = self.site.get("/uploads/big.mp4")
            self.assertEqual(r.status, 200)
            self.assertEqual(len(r.body), 2 << 20)
            self.assertNotEqual(r.header("x-cache"), "HIT")
        self.assertEqual(self.site.get("/uploads/huge.mp4").status, 404)

    def test_ranges(self):
        """A player's byte range of a file the cache does not keep: 206 with
        Content-Range; a range beyond the end: 416. (A small file the cache
        holds is answered whole, which RFC 9110 allows.)"""
        size = 2 << 20
        for _ in range(2):
            r = self.site.get("/uploads/big.mp4", headers={"Range": "bytes=2-5"})
            self.assertEqual(r.status, 206)
            self.assertEqual(r.body, b"\0" * 4)
            self.assertEqual(r.header("content-range"), "bytes 2-5/%d" % size)
            self.assertEqual(int(r.header("content-length")), 4)
        r = self.site.get("/uploads/big.mp4", headers={"Range": "bytes=-100"})
        self.assertEqual(r.status, 206)
        self.assertEqual(len(r.body), 100)
        self.assertEqual(r.header("content-range"), "bytes %d-%d/%d" % (size - 100, size - 1, size))
        r = self.site.get("/uploads/big.mp4", headers={"Range": "bytes=%d-" % size})
        self.assertEqual(r.status, 416)
        self.assertEqual(r.header("content-range"), "bytes */%d" % size)
        r = self.site.get("/uploads/big.mp4")
        self.assertEqual((r.status, len(r.body)), (200, size))
        self.assertEqual(r.header("accept-ranges"), "bytes")

    def test_hostile_paths(self):
        for path in ("/uploads/../nashra.db", "/uploads/%2e%2e/nashra.db", "/uploads/%2E%2E/nashra.db",
                     "/uploads/2022/..%2f..%2fnashra.db", "/uploads/%2e%2e%2fnashra.db",
                     "/uploads/link.txt", "/uploads/linked/secret.txt", "/uploads/2022/up/nashra.db",
                     "/uploads/2022", "/uploads/2022/", "/uploads/2022/03/", "/uploads/",
                     "/uploads/.hidden.txt", "/uploads/2022//03/x.jpg", "/uploads/./a.svg",
                     "/uploads/2022%5c03%5cx.jpg", "/uploads/pipe.txt", "/uploads/missing.jpg"):
            r = self.site.get(path, timeout=10)
            self.assertIn(r.status, (400, 404), path)
            self.assertNotIn(b"secret", r.body, path)
            self.assertNotIn(b"SQLite format", r.body, path)
        # a missing file is the site's 404 page
        r = self.site.get("/uploads/missing.jpg")
        self.assertEqual(r.status, 404)
        self.assertTrue(r.header("content-type").startswith("text/html"))


if __name__ == "__main__":
    unittest.main()
