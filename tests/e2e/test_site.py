"""Site-wide pages: home and its pagination, archives, static pages, the
404 page, trailing-slash 301s, the redirects table, Arabic slugs, and (when
java and vnu-jar are installed) HTML validation of the main page kinds."""
import json
import os
import shutil
import time
import unittest
import urllib.parse

from nashra_e2e import (VNU, FastComments, ServerTestCase, assert_layout, comment_form, headline, parse_html,
                        post_comment, quote_path, refused_form, vnu_errors, without_token)


class SitePages(ServerTestCase):
    def hrefs(self, raw):
        return [urllib.parse.unquote(a.get("href", "")) for a in parse_html(raw).find_all("a")]

    def test_healthz(self):
        self.assertEqual(self.site.get("/healthz").status, 200)

    def test_home(self):
        r = self.get_ok("/")
        self.assertTrue(r.header("content-type", "").startswith("text/html"))
        self.assertIn("charset=utf-8", r.header("content-type").lower().replace(" ", ""))
        assert_layout(self, r.text, parse_html(r.text))
        _, slug, _ = self.site.seed()
        self.assertIn("/%s/" % slug, self.hrefs(r.text))
        name = self.site.query("SELECT value FROM settings WHERE key='site_name'")[0][0]
        self.assertIn(name, parse_html(r.text).find("header").text)

    def test_home_pagination(self):
        per = int(self.site.query("SELECT value FROM settings WHERE key='posts_per_page'")[0][0])
        n = self.site.query("SELECT count(*) FROM articles WHERE status='published' AND published_at <= ?",
                            (int(time.time()),))[0][0]
        pages = (n + per - 1) // per
        self.assertGreaterEqual(pages, 2, "demo content should fill two home pages")
        self.assertEqual(self.site.get("/page/2/").status, 200)
        self.assertEqual(self.site.get("/page/%d/" % pages).status, 200)
        self.assertEqual(self.site.get("/page/%d/" % (pages + 1)).status, 404)
        self.assertEqual(self.site.get("/page/0/").status, 404)
        self.assertEqual(self.site.get("/page/abc/").status, 404)
        self.assertNotEqual(self.get_ok("/page/2/").text, self.get_ok("/").text)

    def test_category_archive(self):
        aid, slug, _ = self.site.seed()
        (cslug,) = self.site.query("SELECT c.slug FROM categories c JOIN articles a ON a.category_id=c.id"
                                   " WHERE a.id=?", (aid,))[0]
        r = self.get_ok("/category/%s/" % cslug)
        doc = parse_html(r.text)
        assert_layout(self, r.text, doc)
        self.assertIn("/%s/" % slug, self.hrefs(r.text))
        self.assertEqual(self.site.page("/category/no-such-category-e2e/").status, 404)

    def test_tag_and_author_archives(self):
        aid, slug, _ = self.site.seed()
        tags = self.site.query("SELECT t.slug FROM tags t JOIN article_tags x ON x.tag_id=t.id WHERE x.article_id=?",
                               (aid,))
        self.assertTrue(tags)
        self.assertIn("/%s/" % slug, self.hrefs(self.get_ok("/tag/%s/" % tags[0][0]).text))
        (aslug,) = self.site.query("SELECT au.slug FROM authors au JOIN articles a ON a.author_id=au.id"
                                   " WHERE a.id=?", (aid,))[0]
        self.assertIn("/%s/" % slug, self.hrefs(self.get_ok("/author/%s/" % aslug).text))
        self.assertEqual(self.site.page("/tag/no-such-tag-e2e/").status, 404)
        self.assertEqual(self.site.page("/author/no-such-author-e2e/").status, 404)

    def test_static_page(self):
        rows = self.site.query("SELECT slug, title FROM pages WHERE published=1")
        self.assertTrue(rows, "demo has no published page")
        slug, title = rows[0]
        r = self.get_ok("/%s/" % slug)
        self.assertIn(title, parse_html(r.text).find("main").text)

    def test_draft_is_hidden(self):
        self.site.add_article("draft-e2e", "مسودة لا تظهر", status="draft")
        self.assertEqual(self.site.page("/draft-e2e/").status, 404)
        self.assertNotIn("مسودة لا تظهر", self.get_ok("/").text)

    def test_404(self):
        for path in ("/no-such-page-e2e/", "/category/x/y/z/w/", "/%D9%84%D8%A7-%D8%B4%D9%8A%D8%A1/"):
            r = self.site.get(path)
            self.assertEqual(r.status, 404, path)
            self.assertTrue(r.header("content-type", "").startswith("text/html"))
            self.assertIn("الصفحة غير موجودة", r.text)
            assert_layout(self, r.text, parse_html(r.text), canonical=False)

    def test_trailing_slash_301(self):
        _, slug, _ = self.site.seed()
        for path in ("/" + slug, "/category/" + self.site.query("SELECT slug FROM categories LIMIT 1")[0][0]):
            for upper in (True, False):
                r = self.site.get(quote_path(path, upper))
                self.assertEqual(r.status, 301, path)
                loc = urllib.parse.urlsplit(r.header("location", ""))
                self.assertEqual(urllib.parse.unquote(loc.path), path + "/")
                self.assertRegex(loc.path, r"^[\x21-\x7e]+$", "Location not percent-encoded")
        r = self.site.get("/page/2?x=1")
        self.assertEqual(r.status, 301)
        self.assertTrue(urllib.parse.urlsplit(r.header("location")).path.endswith("/page/2/"))

    def test_redirects_table(self):
        _, slug, _ = self.site.seed()
        self.site.execute("INSERT INTO redirects(from_path, to_path, status) VALUES(?,?,?)",
                          ("/archive/2020/old-story.html", "/%s/" % slug, 301))
        self.site.execute("INSERT INTO redirects(from_path, to_path, status) VALUES(?,?,?)",
                          ("/قديم/خبر.html", "/", 302))
        r = self.site.get("/archive/2020/old-story.html")
        self.assertEqual(r.status, 301)
        loc = urllib.parse.urlsplit(r.header("location", ""))
        self.assertEqual(urllib.parse.unquote(loc.path), "/%s/" % slug)
        for (src, dst, st) in self.site.query("SELECT from_path, to_path, status FROM redirects"):
            r = self.site.page(src)
            self.assertEqual(r.status, st, src)
            self.assertEqual(urllib.parse.unquote(urllib.parse.urlsplit(r.header("location")).path), dst)
        r = self.site.page("/قديم/خبر.html")
        self.assertEqual(r.status, 302)
        self.assertEqual(urllib.parse.urlsplit(r.header("location")).path, "/")

    def test_arabic_slugs(self):
        def arabic(rows):
            return [s for (s,) in rows if any("\u0600" <= ch <= "\u06ff" for ch in s)]
        _, seed, _ = self.site.seed()
        self.assertTrue(arabic([(seed,)]))
        paths = ["/%s/" % seed]
        paths += ["/category/%s/" % s for s in arabic(self.site.query("SELECT slug FROM categories"))[:2]]
        paths += ["/tag/%s/" % s for s in arabic(self.site.query(
            "SELECT t.slug FROM tags t JOIN article_tags x ON x.tag_id=t.id"))[:2]]
        self.assertGreater(len(paths), 1)
        for path in paths:
            a = self.site.get(quote_path(path, True))
            b = self.site.get(quote_path(path, False))
            self.assertEqual((a.status, b.status), (200, 200), path)
            self.assertEqual(without_token(a.body), without_token(b.body))


@unittest.skipUnless(shutil.which("java") and os.path.exists(VNU), "java or vnu-jar not installed")
class HtmlValidation(FastComments, ServerTestCase):     # the fields' messages, not "sent too fast"
    def test_vnu_no_errors(self):
        aid, slug, _ = self.site.seed()
        (cslug,) = self.site.query("SELECT c.slug FROM categories c JOIN articles a ON a.category_id=c.id"
                                   " WHERE a.id=?", (aid,))[0]
        (tslug,) = self.site.query("SELECT t.slug FROM tags t JOIN article_tags x ON x.tag_id=t.id"
                                   " WHERE x.article_id=? ORDER BY t.id LIMIT 1", (aid,))[0]
        (aslug,) = self.site.query("SELECT au.slug FROM authors au JOIN articles a ON a.author_id=au.id"
                                   " WHERE a.id=?", (aid,))[0]
        paths = {"home": "/", "home2": "/page/2/", "article": "/%s/" % slug,
                 "category": "/category/%s/" % cslug, "tag": "/tag/%s/" % tslug,
                 "author": "/author/%s/" % aslug, "page": "/about/", "notfound": "/no-such-page-e2e/"}
        bodies = {name: self.site.page(path).body for name, path in paths.items()}
        # the comment form refused: the article page a reader gets
        # back, with the messages at the fields (422) or the form's own
        # message (400: a form sent without its token)
        article = headline(parse_html(self.site.page(paths["article"]).text))
        refusals = (("refused", comment_form(self.site, slug, comment="", author=""),
                     422, ["author", "comment"], False),
                    ("refused-token", urllib.parse.urlencode({"comment": "نص", "author": "قارئ"}).encode(),
                     400, [], True))
        for name, body, status, fields, message in refusals:
            r = post_comment(self.site, slug, body)
            self.assertEqual(r.status, status, name)
            form = refused_form(r)
            self.assertEqual(headline(form["doc"]), article, name)
            self.assertEqual(sorted(form["errors"]), fields, name)
            self.assertEqual(bool(form["message"]), message, name)
            bodies[name] = r.body
        errors = vnu_errors(bodies)
        self.assertEqual(errors, [], json.dumps(errors, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    unittest.main()
