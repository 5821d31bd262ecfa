"""Feeds, sitemaps and robots.txt: well-formed XML with the right roots and
namespaces, listing what the site shows."""
import html
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from nashra_e2e import ServerTestCase, quote_path

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def path_of(url):
    return urllib.parse.urlsplit(url).path


class Feeds(ServerTestCase):
    def xml(self, path):
        r = self.get_ok(path, encoded=True)
        return ET.fromstring(r.body)

    def seed_title(self):
        return self.site.seed()[2].replace("(شاهد)", "").strip()

    def test_rss(self):
        root = self.xml("/feed/")
        self.assertEqual(root.tag, "rss")
        self.assertEqual(root.get("version"), "2.0")
        ch = root.find("channel")
        self.assertTrue(ch.findtext("title"))
        self.assertTrue(ch.findtext("link").startswith("http"))
        items = ch.findall("item")
        self.assertGreaterEqual(len(items), 1)
        for it in items:
            self.assertTrue(it.findtext("title"))
            self.assertTrue(it.findtext("link").startswith("http"))
            self.assertTrue(it.findtext("pubDate"))
            self.assertTrue(it.findtext("guid"))

    def test_atom(self):
        root = self.xml("/feed/atom/")
        self.assertEqual(root.tag, ATOM + "feed")
        self.assertTrue(root.findtext(ATOM + "id"))
        self.assertTrue(root.findtext(ATOM + "updated"))
        entries = root.findall(ATOM + "entry")
        self.assertGreaterEqual(len(entries), 1)
        for e in entries:
            self.assertTrue(e.findtext(ATOM + "title"))
            self.assertIsNotNone(e.find(ATOM + "link").get("href"))

    def test_category_feeds(self):
        (cslug,) = self.site.query("SELECT c.slug FROM categories c JOIN articles a ON a.category_id=c.id"
                                   " WHERE a.id=?", (self.site.seed()[0],))[0]
        self.assertEqual(self.xml(quote_path("/category/%s/feed/" % cslug)).tag, "rss")
        self.assertEqual(self.xml(quote_path("/category/%s/feed/atom/" % cslug)).tag, ATOM + "feed")
        self.assertEqual(self.site.get("/category/no-such-category-e2e/feed/").status, 404)

    def test_sitemaps(self):
        root = self.xml("/sitemap.xml")
        self.assertEqual(root.tag, SM + "sitemapindex")
        locs = [path_of(s.findtext(SM + "loc")) for s in root.findall(SM + "sitemap")]
        self.assertIn("/sitemap-articles-1.xml", locs)
        self.assertIn("/sitemap-news.xml", locs)
        self.assertIn("/sitemap-pages.xml", locs)
        _, slug, _ = self.site.seed()
        urls = []
        for loc in locs:
            sm = self.xml(loc)
            self.assertEqual(sm.tag, SM + "urlset", loc)
            urls += [urllib.parse.unquote(path_of(u.findtext(SM + "loc"))) for u in sm.findall(SM + "url")]
        self.assertIn("/%s/" % slug, urls)
        self.assertTrue(any(u.startswith("/category/") for u in urls))
        n = self.site.query("SELECT count(*) FROM articles WHERE status='published' AND published_at<=?",
                            (int(time.time()),))[0][0]
        arts = self.xml("/sitemap-articles-1.xml").findall(SM + "url")
        self.assertEqual(len(arts), min(n, 1000))
        self.assertEqual(self.site.get("/sitemap-articles-99.xml").status, 404)

    def test_news_sitemap_lists_recent(self):
        aid, slug, title = self.site.seed()
        self.site.execute("UPDATE articles SET published_at=?, updated_at=? WHERE id=?",
                          (int(time.time()) - 3600, int(time.time()), aid))
        root = self.xml("/sitemap-news.xml")
        self.assertEqual(root.tag, SM + "urlset")
        found = None
        for u in root.findall(SM + "url"):
            if urllib.parse.unquote(path_of(u.findtext(SM + "loc"))) == "/%s/" % slug:
                found = u
        self.assertIsNotNone(found, "seed article not in the news sitemap")
        news = found.find(NEWS + "news")
        self.assertIsNotNone(news)
        self.assertEqual(news.findtext(NEWS + "title"), self.seed_title())
        self.assertEqual(news.find(NEWS + "publication").findtext(NEWS + "language"), "ar")
        self.assertRegex(news.findtext(NEWS + "publication_date"), r"^\d{4}-\d\d-\d\dT")
        # older than 48 hours: out of the news sitemap
        self.site.execute("UPDATE articles SET published_at=? WHERE id=?", (int(time.time()) - 49 * 3600, aid))
        root = self.xml("/sitemap-news.xml")
        paths = [urllib.parse.unquote(path_of(u.findtext(SM + "loc"))) for u in root.findall(SM + "url")]
        self.assertNotIn("/%s/" % slug, paths)

    def test_feed_lists_seed(self):
        aid = self.site.seed()[0]
        self.site.execute("UPDATE articles SET published_at=? WHERE id=?", (int(time.time()) - 60, aid))
        titles = [i.findtext("title") for i in self.xml("/feed/").find("channel").findall("item")]
        self.assertIn(self.seed_title(), titles)

    def test_hostile_titles_are_text(self):
        title = 'خبر <script>alert(1)</script> "><img src=x onerror=alert(1)> &amp; نهاية'
        self.site.add_article("feed-hostile-e2e", title, body_md="<script>alert(1)</script> نص")
        rss = self.get_ok("/feed/").body
        self.assertNotIn(b"<script>alert(1)", rss)
        self.assertNotIn(b"<img src=x", rss)
        items = ET.fromstring(rss).find("channel").findall("item")
        self.assertIn(title, [i.findtext("title") for i in items])
        for i in items:
            desc = i.findtext("description") or ""
            self.assertNotIn("<script", desc.lower())
        atom = ET.fromstring(self.get_ok("/feed/atom/").body)
        shown = []
        for e in atom.findall(ATOM + "entry"):
            t = e.find(ATOM + "title")
            shown.append(html.unescape(t.text) if t.get("type") == "html" else t.text)
        self.assertIn(title, shown)

    def test_robots(self):
        r = self.get_ok("/robots.txt")
        self.assertIn("Sitemap:", r.text)
        lines = [l for l in r.text.splitlines() if l.lower().startswith("sitemap:")]
        self.assertTrue(any(l.split(":", 1)[1].strip().endswith("/sitemap.xml") for l in lines))
        self.assertIn("User-agent:", r.text)


if __name__ == "__main__":
    unittest.main()
