"""The seed article page against the page contract, and hostile content
(markup in titles, bodies and comments) that must come out as text."""
import json
import re
import time
import unittest
import urllib.parse

import os

from nashra_e2e import (AR_DATE_RE, ROOT, ServerTestCase, assert_layout, headline, parse_html,
                        quote_path, unescape, without_token)

QUOTE = "“وزارة الدفاع الروسية ليس لديها فكرة عنا، أو ما نفعله هنا”"


class SeedArticle(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.id, cls.slug, cls.title = cls.site.seed()
        r = cls.site.get(quote_path("/%s/" % cls.slug))
        cls.status, cls.raw = r.status, r.body.decode("utf-8")
        cls.doc = parse_html(cls.raw)

    def test_status_and_both_hex_cases(self):
        self.assertEqual(self.status, 200)
        lower = self.site.get(quote_path("/%s/" % self.slug, upper=False))
        self.assertEqual(lower.status, 200)
        self.assertIn("%d8", quote_path("/%s/" % self.slug, upper=False))
        self.assertEqual(without_token(lower.text), without_token(self.raw))

    def test_layout(self):
        assert_layout(self, self.raw, self.doc)

    def test_headline_and_video(self):
        h1 = self.doc.find("h1", cls="headline")
        self.assertIsNotNone(h1)
        self.assertNotIn("(شاهد)", h1.text)
        self.assertNotIn("شاهد", self.slug)
        self.assertTrue(headline(self.doc).startswith("المئات من الجنود الروس"), h1.text)
        self.assertEqual(headline(self.doc), " ".join(self.title.replace("(شاهد)", "").split()))
        badge = self.doc.find("span", cls="badge-video")
        self.assertIsNotNone(badge)
        self.assertEqual(badge.text.strip(), "فيديو")
        video = self.doc.find("div", cls="video")
        self.assertIsNotNone(video)
        self.assertTrue(video.get("data-video", "").startswith("https://"), video.attrs)
        button = video.find("button", cls="video-play")
        self.assertIsNotNone(button)
        self.assertEqual(button.get("type"), "button")
        self.assertTrue(video.find_all("a"), "no plain link to the video")
        self.assertNotIn("<iframe", self.raw.lower())

    def test_dateline_and_lead(self):
        lead = self.doc.find("p", cls="lead")
        self.assertIsNotNone(lead)
        dl = lead.find("span", cls="dateline")
        self.assertIsNotNone(dl)
        self.assertEqual(dl.text.strip(), "وطن –")
        self.assertGreater(len(lead.text.replace(dl.text, "").strip()), 20)

    def test_body(self):
        body = self.doc.find("div", cls="article-body")
        self.assertIsNotNone(body)
        self.assertGreaterEqual(len(body.find_all("h2")), 3)
        self.assertGreaterEqual(len(body.find_all("p")), 3)
        self.assertIn(QUOTE, body.text)
        self.assertIn(QUOTE, self.raw)
        self.assertIn("NLAW", body.text)
        self.assertEqual(self.doc.find_all("h1"), [self.doc.find("h1", cls="headline")])

    def test_body_is_the_fixture_text(self):
        """Lead, sub-headings and paragraphs (fixture lines 3-29) each come
        out as one element whose text is the fixture's line, character for
        character; the page furniture after line 29 is not in the body."""
        with open(os.path.join(ROOT, "tests", "fixtures", "seed-article.txt"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        lead = self.doc.find("p", cls="lead")
        self.assertEqual(lead.text.strip(), lines[2].strip())
        body = self.doc.find("div", cls="article-body")
        heads = [h.text.strip() for h in body.find_all("h2")]
        paras = [p.text.strip() for p in body.find_all("p")]
        self.assertEqual(heads, [lines[4], lines[12], lines[22]])
        want = [l for i, l in enumerate(lines[6:29], start=7) if l and i not in (13, 23)]
        self.assertEqual(paras, want)
        for chrome in ("من فضلك ادخل تعليقك", "تابعنا"):
            self.assertNotIn(chrome, body.text)

    def test_related(self):
        sec = self.doc.find("section", cls="related")
        self.assertIsNotNone(sec)
        self.assertEqual(sec.get("aria-labelledby"), "related-title")
        h2 = sec.find("h2", id="related-title")
        self.assertEqual(h2.text.strip(), "قد يهمك أيضاً")
        links = [a for a in sec.find_all("a") if a.get("href", "").startswith("/")]
        self.assertGreaterEqual(len(links), 1)
        own = urllib.parse.unquote(quote_path("/%s/" % self.slug))
        self.assertNotIn(own, [urllib.parse.unquote(a.get("href")) for a in links])

    def test_comments(self):
        sec = self.doc.find("section", id="comments")
        self.assertIsNotNone(sec)
        self.assertIn("comments", sec.classes())
        self.assertEqual(sec.find("span", cls="comment-count").text.strip(), "30")
        n_db = self.site.query("SELECT count(*) FROM comments WHERE article_id=? AND status='approved'",
                               (self.id,))[0][0]
        self.assertEqual(n_db, 30)
        items = sec.find_all("li", cls="comment")
        self.assertEqual(len(items), 30)
        ids = {int(i) for (i,) in self.site.query(
            "SELECT id FROM comments WHERE article_id=? AND status='approved'", (self.id,))}
        self.assertEqual({int(li.get("id").split("-")[1]) for li in items}, ids)
        top = sec.find("ol", cls="comment-list")
        self.assertIsNotNone(top)
        nested = [li for li in items if any("children" in a.classes() for a in li.ancestors() if a.tag == "ol")]
        n_replies = self.site.query("SELECT count(*) FROM comments WHERE article_id=? AND status='approved'"
                                    " AND parent_id IS NOT NULL", (self.id,))[0][0]
        self.assertGreater(n_replies, 0)
        self.assertEqual(len(nested), n_replies)
        for li in items:
            self.assertTrue(li.text.strip())

    def test_comment_form(self):
        sec = self.doc.find("section", id="respond")
        self.assertIsNotNone(sec)
        self.assertEqual(sec.find("h2").text.strip(), "ترك الرد")
        form = sec.find("form", cls="comment-form")
        self.assertEqual(form.get("method", "").lower(), "post")
        self.assertEqual(urllib.parse.unquote(form.get("action")), "/%s/comments" % self.slug)
        self.assertTrue(form.has("novalidate"))
        ta = form.find("textarea", id="comment")
        self.assertEqual(ta.get("name"), "comment")
        self.assertTrue(ta.has("required"))
        au = form.find("input", id="author")
        self.assertEqual(au.get("name"), "author")
        self.assertTrue(au.has("required"))
        self.assertEqual(form.find("input", id="email").get("type"), "email")
        self.assertTrue(form.find("button", type="submit") or form.find("input", type="submit"))
        for pid, msg in (("comment-error", "من فضلك ادخل تعليقك"), ("author-error", "من فضلك ادخل اسمك هنا")):
            p = self.doc.find("p", id=pid)
            self.assertIsNotNone(p, pid)
            self.assertEqual(p.text.strip(), msg)
            self.assertTrue(p.has("hidden"))

    def test_follow_links(self):
        sec = self.doc.find("section", cls="follow")
        self.assertIsNotNone(sec)
        self.assertEqual(sec.find("h2").text.strip(), "تابعنا")
        hrefs = [a.get("href") for a in sec.find_all("a")]
        self.assertIn("/feed/", hrefs)
        wanted = [v for (v,) in self.site.query(
            "SELECT value FROM settings WHERE key LIKE 'follow_%' AND value <> ''")]
        self.assertGreater(len(wanted), 0)
        for url in wanted:
            self.assertIn(url, [unescape(h) for h in hrefs])

    def test_latest(self):
        sec = self.doc.find("section", cls="latest")
        self.assertIsNotNone(sec)
        self.assertEqual(sec.find("h2").text.strip(), "الأحدث")
        self.assertGreaterEqual(len(sec.find_all("a")), 1)

    def test_links_and_breadcrumb(self):
        hrefs = [urllib.parse.unquote(a.get("href", "")) for a in self.doc.find_all("a")]
        self.assertTrue(any(h.startswith("/author/") for h in hrefs))
        self.assertTrue(any(h.startswith("/category/") for h in hrefs))
        self.assertTrue(any(h.startswith("/tag/") for h in hrefs))
        nav = self.doc.find("nav", cls="breadcrumb")
        self.assertIsNotNone(nav)
        self.assertEqual(nav.get("aria-label"), "مسار التنقل")

    def test_dates(self):
        times = self.doc.find_all("time")
        self.assertGreaterEqual(len(times), 1)
        for t in times:
            self.assertRegex(t.get("datetime", ""), r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
        self.assertTrue(any(re.search(AR_DATE_RE, t.text) for t in times),
                        [t.text for t in times])

    def test_meta(self):
        canon = self.doc.find("link", rel="canonical").get("href")
        parts = urllib.parse.urlsplit(canon)
        self.assertEqual(urllib.parse.unquote(parts.path), "/%s/" % self.slug)
        self.assertNotIn(" ", canon)
        self.assertRegex(parts.path, r"^[\x21-\x7e]+$", "canonical path not percent-encoded")
        metas = {m.get("property") or m.get("name"): m.get("content") for m in self.doc.find_all("meta")}
        self.assertEqual(metas.get("og:title", "").strip(), headline(self.doc))
        self.assertEqual(metas.get("og:type"), "article")
        self.assertEqual(metas.get("og:locale"), "ar_AR")
        self.assertEqual(metas.get("og:url"), canon)
        for k in ("og:description", "og:site_name", "article:published_time", "twitter:card"):
            self.assertTrue(metas.get(k), k)

    def test_json_ld(self):
        blocks = self.doc.find_all("script", type="application/ld+json")
        self.assertGreaterEqual(len(blocks), 1)
        docs = [json.loads(b.text) for b in blocks]
        art = [d for d in docs if isinstance(d, dict) and d.get("@type") == "NewsArticle"]
        self.assertEqual(len(art), 1, docs)
        a = art[0]
        for k in ("headline", "datePublished", "dateModified", "author", "publisher", "mainEntityOfPage"):
            self.assertIn(k, a)
        self.assertTrue(a["headline"].startswith("المئات من الجنود الروس"))
        self.assertNotIn("(شاهد)", a["headline"])


HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "&amp;"]
HOSTILE_TITLE = "عنوان " + " ".join(HOSTILE)


def assert_no_markup(tc, raw):
    """Neither injected element appears as markup anywhere in raw."""
    low = raw.lower()
    for bad in ("<script>alert(1)", "<img src=x"):
        i = low.find(bad)
        tc.assertEqual(i, -1, "markup %r at: %r" % (bad, raw[max(0, i - 120):i + 80]))


class HostileContent(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.site
        cls.art = s.add_article("hostile-e2e", HOSTILE_TITLE,
                                body_md="فقرة " + " ".join(HOSTILE) + "\n\n<script>alert(1)</script>\n",
                                lead="مقدمة " + " ".join(HOSTILE))
        cls.cmt = s.add_comment(cls.art, HOSTILE[0], HOSTILE[1] + " " + HOSTILE[2])
        seed_id = s.seed()[0]
        cls.seed_cmt = s.add_comment(seed_id, "قارئ " + HOSTILE[1], "تعليق " + HOSTILE[0])

    def test_article_page_shows_text(self):
        r = self.get_ok("/hostile-e2e/")
        assert_no_markup(self, r.text)
        doc = parse_html(r.text)
        self.assertEqual(headline(doc), HOSTILE_TITLE)
        self.assertIn("&amp;amp;", r.text)
        self.assertEqual(doc.find("title").text.count("<script>alert(1)</script>"), 1)
        li = doc.find("li", id="comment-%d" % self.cmt)
        self.assertIsNotNone(li)
        self.assertIn(HOSTILE[0], li.text)
        self.assertIn(HOSTILE[1], li.text)
        lds = [json.loads(b.text) for b in doc.find_all("script", type="application/ld+json")]
        self.assertIn(HOSTILE_TITLE, [d.get("headline") for d in lds if isinstance(d, dict)])

    def test_seed_comment_shows_text(self):
        r = self.get_ok("/%s/" % self.site.seed()[1])
        assert_no_markup(self, r.text)
        li = parse_html(r.text).find("li", id="comment-%d" % self.seed_cmt)
        self.assertIsNotNone(li)
        self.assertIn("تعليق " + HOSTILE[0], li.text)
        self.assertIn("قارئ " + HOSTILE[1], li.text)

    def test_lists_show_text(self):
        for path in ("/", "/feed/", "/feed/atom/", "/sitemap-news.xml"):
            r = self.get_ok(path)
            assert_no_markup(self, r.text)
        home = self.get_ok("/").text
        self.assertIn(HOSTILE_TITLE, parse_html(home).text)


if __name__ == "__main__":
    unittest.main()
