"""The search page, /search?q=…: results and their count, snippets with
the matched words marked, every spelling of a word finding the same
article, phrases, the fallback to any word, the spelling suggestion,
pages of results; one cache entry per search under its canonical query,
and results that follow every publish, unpublish and delete; hostile
queries answered with a clean page; WordPress's /?s=, the OpenSearch
description and the search box of every page."""
import json
import os
import shutil
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from nashra_e2e import VNU, ServerTestCase, assert_layout, parse_html, run_cli, vnu_errors

# Words the demo site does not hold, so that these articles alone match.
BALLOON = ("رحلة المنطاد الأولى فوق الصحراء",
           "أقلع المنطاد الكبير صباح اليوم من واحة سيوة وعلى متنه خمسة ركاب، "
           "وهبط بعد ثلاث ساعات قرب بحيرة قارون وسط تصفيق الأهالي.")
CLOVE = ("أسعار القرنفل ترتفع في الأسواق",
         "ارتفعت أسعار القرنفل والهيل في أسواق التوابل هذا الأسبوع بسبب تأخر الشحنات.")
PAGED_WORD = "الزنجفيل"
PAGED_COUNT = 12


def publish(site, slug, title, body, lead="مقدمة."):
    """An article made a draft by SQL, then published through the command
    line, so that the store's write path indexes it; returns its id."""
    aid = site.add_article(slug, title, body_md=body, lead=lead, status="draft")
    set_field(site, aid, "status", "published")
    return aid


def set_field(site, aid, field, value):
    r = run_cli("article", site.dir, "set", str(aid), field, value)
    if r.returncode != 0:
        raise AssertionError("nashra article set %s %s: %s" % (field, value, r.stderr))


def search_path(q, page=None):
    path = "/search?q=" + urllib.parse.quote(q, safe="")
    return path + ("&page=%d" % page if page else "")


class SearchPage(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.balloon = publish(cls.site, "balloon-e2e", *BALLOON, lead="رحلة تاريخية في الجو.")
            cls.clove = publish(cls.site, "clove-e2e", *CLOVE)
            for i in range(PAGED_COUNT):
                publish(cls.site, "paged-e2e-%d" % i, "خبر رقم %d عن %s" % (i + 1, PAGED_WORD),
                        "نص الخبر %d عن %s وما جرى في السوق." % (i + 1, PAGED_WORD))
        except Exception:
            cls.site.stop()
            cls.site.cleanup()
            raise

    # -- helpers ---------------------------------------------------------
    def search(self, q, page=None, status=200):
        """The page of a search, following its one canonical redirect;
        returns (response, document)."""
        r = self.site.get(search_path(q, page))
        if r.status == 301:
            loc = r.header("location")
            self.assertTrue(loc.startswith("/search"), loc)
            r = self.site.get(loc)
            self.assertNotEqual(r.status, 301, "a second redirect from %s" % loc)
        self.assertEqual(r.status, status, "search %r page %r -> %d" % (q, page, r.status))
        return r, parse_html(r.text)

    def results(self, doc):
        """(title, href) of each result shown."""
        return [(" ".join(a.text.split()), a.get("href")) for a in doc.find_all("a", cls="result-title")]

    def count(self, doc):
        p = doc.find("p", cls="search-count")
        return p.text.strip() if p is not None else None

    def titles(self, q):
        return [t for t, _ in self.results(self.search(q)[1])]

    # -- results ---------------------------------------------------------
    def test_results_count_and_card(self):
        r, doc = self.search("المنطاد")
        assert_layout(self, r.text, doc)
        self.assertEqual(self.results(doc), [(BALLOON[0], "/balloon-e2e/")])
        self.assertEqual(self.count(doc), "نتيجة واحدة")
        card = doc.find("li", cls="result")
        self.assertIsNotNone(card.find("time"))
        self.assertTrue(card.find("p", cls="result-meta").find("a").get("href").startswith("/category/"))
        # indexable, under its canonical query's one address
        self.assertIsNone(doc.find("meta", attrs={"name": "robots"}))
        self.assertTrue(doc.find("link", rel="canonical").get("href").endswith(search_path("المنطاد")))
        self.assertEqual(doc.find("title").text.split(" – ")[0], "بحث: المنطاد")
        self.assertEqual(doc.find("input", id="search-q").get("value"), "المنطاد")

    def test_snippet_marks_the_words(self):
        _, doc = self.search("المنطاد الكبير")
        snippet = doc.find("p", cls="snippet")
        self.assertIsNotNone(snippet)
        marks = [m.text for m in snippet.find_all("mark")]
        self.assertIn("المنطاد", marks)
        self.assertIn("الكبير", marks)
        self.assertNotIn("صباح", marks)

    def test_spellings_find_the_same_article(self):
        for q in ("المنطاد", "منطاد", "المِنْطَادُ", "والمنطاد", "بالمنطاد", "للمنطاد", "المنطـــاد",
                  "  المنطاد  ", "المنطاد؟!", "أقلع", "اقلع", "بحيرة", "بحيره", "البحيرة"):
            self.assertEqual(self.titles(q), [BALLOON[0]], q)

    def test_phrase(self):
        self.assertEqual(self.titles('"المنطاد الكبير"'), [BALLOON[0]])
        self.assertEqual(self.titles("“المنطاد الكبير”"), [BALLOON[0]])
        _, doc = self.search('"الكبير المنطاد"')
        self.assertEqual(self.results(doc), [])
        self.assertIn("لا توجد نتائج", doc.find("main").text)

    def test_fallback_to_any_word(self):
        _, doc = self.search("المنطاد القرنفل")
        self.assertEqual(sorted(t for t, _ in self.results(doc)), sorted([BALLOON[0], CLOVE[0]]))
        note = doc.find("p", cls="search-note")
        self.assertIsNotNone(note)
        self.assertEqual(note.text.strip(), "لم نعثر على مقالات تضم كل الكلمات؛ هذه نتائج تضم بعضها")
        self.assertEqual(self.count(doc), "نتيجتان")
        # every word in one article: no notice
        _, doc = self.search("المنطاد سيوة")
        self.assertIsNone(doc.find("p", cls="search-note"))

    def test_no_results_and_suggestion(self):
        _, doc = self.search("المنطاض")
        main = doc.find("main")
        self.assertEqual(self.results(doc), [])
        self.assertIn("لا توجد نتائج", main.text)
        advice = [" ".join(li.text.split()) for li in main.find("ul", cls="advice").find_all("li")]
        self.assertEqual(len(advice), 3)
        sugg = doc.find("p", cls="search-suggest")
        self.assertIsNotNone(sugg, "no suggestion")
        self.assertIn("هل تقصد", sugg.text)
        link = sugg.find("a")
        self.assertEqual(link.text, "المنطاد")
        self.assertEqual(urllib.parse.unquote(link.get("href")), "/search?q=المنطاد")
        # the suggestion replaces the wrong word only, and its link is canonical
        _, doc = self.search("المنطاض سيوة")
        link = doc.find("p", cls="search-suggest").find("a")
        self.assertEqual(link.text, "المنطاد سيوة")
        self.assertEqual(self.site.get(link.get("href")).status, 200)
        # nothing near: no suggestion
        _, doc = self.search("كزبرطيخ")
        self.assertIsNone(doc.find("p", cls="search-suggest"))

    def test_pages_of_results(self):
        _, doc = self.search(PAGED_WORD)
        self.assertEqual(self.count(doc), "%d نتيجة" % PAGED_COUNT)
        first = self.results(doc)
        self.assertEqual(len(first), 10)
        nav = doc.find("nav", cls="pagination")
        self.assertIsNotNone(nav)
        nxt = nav.find("a", rel="next")
        self.assertEqual(urllib.parse.unquote(nxt.get("href")), "/search?q=%s&page=2" % PAGED_WORD)
        self.assertIsNone(nav.find("a", rel="prev"))
        r = self.site.get(nxt.get("href"))
        self.assertEqual(r.status, 200)
        doc2 = parse_html(r.text)
        second = self.results(doc2)
        self.assertEqual(len(second), PAGED_COUNT - 10)
        self.assertFalse(set(first) & set(second))
        prev = doc2.find("nav", cls="pagination").find("a", rel="prev")
        self.assertEqual(urllib.parse.unquote(prev.get("href")), "/search?q=%s" % PAGED_WORD)
        self.assertIn("الصفحة 2", doc2.find("h1").text)
        for page in ("3", "0", "-1", "x", "99999999999"):
            self.assertEqual(self.site.get(search_path(PAGED_WORD) + "&page=" + page).status, 404, page)
        r = self.site.get(search_path(PAGED_WORD) + "&page=1")
        self.assertEqual(r.status, 301)
        self.assertEqual(urllib.parse.unquote(r.header("location")), "/search?q=" + PAGED_WORD)
        r = self.site.get(search_path(PAGED_WORD) + "&page=02")
        self.assertEqual(urllib.parse.unquote(r.header("location")), "/search?q=%s&page=2" % PAGED_WORD)

    def test_empty_search_page(self):
        for path in ("/search", "/search?q=", "/search?utm_source=x"):
            r = self.site.get(path)
            self.assertEqual(r.status, 200, path)
            doc = parse_html(r.text)
            self.assertEqual(self.results(doc), [])
            self.assertNotIn("لا توجد نتائج", doc.find("main").text)
            self.assertIsNotNone(doc.find("form", cls="search-main"))
        self.assertEqual(self.site.get("/search?page=2").status, 404)

    # -- canonical query and cache -----------------------------------------
    def test_canonical_redirect_and_one_cache_entry(self):
        # the reader's spelling is kept (the page shows it); spaces,
        # punctuation and repeated words are not part of it
        canon = search_path("منطاد سيوة")
        self.site.get(canon)
        self.assertEqual(self.site.get(canon).header("x-cache"), "HIT")
        for spelling in ("منطاد   سيوة", "منطاد, سيوة!", "  منطاد سيوة", "منطاد سيوة منطاد"):
            r = self.site.get(search_path(spelling))
            self.assertEqual(r.status, 301, spelling)
            self.assertEqual(r.header("location"), canon, spelling)
            again = self.site.get(r.header("location"))
            self.assertEqual(again.status, 200)
            self.assertEqual(again.header("x-cache"), "HIT", spelling)
        # another spelling is another search text, with the same results
        voc = search_path("مِنْطَادٌ سيوه")
        self.assertEqual(self.site.get(voc).status, 200)
        self.assertEqual(self.titles("مِنْطَادٌ سيوه"), self.titles("منطاد سيوة"))
        # the page number is kept through the redirect
        r = self.site.get(search_path("  " + PAGED_WORD, 2))
        self.assertEqual(r.status, 301)
        self.assertEqual(urllib.parse.unquote(r.header("location")), "/search?q=%s&page=2" % PAGED_WORD)

    def test_fresh_after_publish_unpublish_delete(self):
        q = "اللقلق"
        path = search_path(q)
        for _ in range(2):
            self.assertEqual(self.titles(q), [])
        self.assertEqual(self.site.get(path).header("x-cache"), "HIT")
        title = "سرب اللقلق يعبر المضيق"
        aid = publish(self.site, "stork-e2e", title, "عبر سرب من طيور اللقلق المضيق نحو الجنوب.")
        self.assertEqual(self.titles(q), [title])
        self.assertEqual(self.titles(q), [title])
        set_field(self.site, aid, "status", "draft")
        self.assertEqual(self.titles(q), [])
        set_field(self.site, aid, "status", "published")
        self.assertEqual(self.titles(q), [title])
        set_field(self.site, aid, "title", "سرب الطيور يعبر المضيق")
        self.assertEqual(self.titles(q), ["سرب الطيور يعبر المضيق"])  # the body still says it
        self.assertEqual(self.titles("سرب"), ["سرب الطيور يعبر المضيق"])
        self.site.execute("DELETE FROM articles WHERE id=?", (aid,))
        self.assertEqual(self.titles(q), [])

    # -- hostile queries ---------------------------------------------------
    HOSTILE = ["", " ", "!!!", "؟؟؟", "*", '"', '""', "(", ")", ":", "^", "-", "'", "\\", "%", "_",
               "NEAR(a b)", "a NEAR b", "a AND b", "a OR b", "NOT a", "a & b", "a | b", "!a", "a <-> b",
               "a:* & b", "title:المنطاد", "المنطاد*", '"المنطاد', "المنطاد\"", "“المنطاد", "«المنطاد",
               "'; DROP TABLE articles; --", "1' OR '1'='1", "{{site.name}}", "<script>alert(1)</script>",
               "\u200f\u200e\u202e", "\ufeff", "ﷺ ﻻ", "🙂🙂", "a" * 300, "ب" * 300,
               "المنطاد " * 300, ("الكلمة%d " * 50) % tuple(range(50))]

    def assert_clean(self, r, what):
        # 414: a request line past 8 KiB (2,000 Arabic letters, encoded),
        # refused with the site's Arabic page before any search
        self.assertIn(r.status, (200, 301, 400, 404, 414), what)
        if r.status == 301:
            r = self.site.get(r.header("location"))
            self.assertIn(r.status, (200, 404), what)
        text = r.body.decode("utf-8")
        self.assertIn('lang="ar"', text, what)
        low = text.lower()
        for word in ("fts5", "sqlite", "syntax error", "tsquery", "error:", "pq_", "postgres"):
            self.assertNotIn(word, low, what)
        return r

    def test_hostile_queries(self):
        for q in self.HOSTILE:
            self.assert_clean(self.site.get(search_path(q)), q)
        for big in (("مفاوضات " * 250)[:2000], ("opec nlaw " * 200)[:2000], ("كلمة word " * 200)[:2000]):
            self.assertEqual(len(big), 2000)
            r = self.assert_clean(self.site.get(search_path(big)), "2000 characters")
            if len(search_path(big)) < 8000:
                self.assertEqual(r.status, 200)
                self.assertIn("أوله", r.text)  # the note that the query was cut
        for raw in ("%00", "a%00b", "%FF", "%C3%28", "%ED%A0%80", "%F4%90%80%80", "%D8", "%G1", "%", "%%",
                    "%D8%A7%00"):
            r = self.site.get("/search?q=" + raw)
            self.assertIn(r.status, (200, 301, 400), raw)
            r = self.assert_clean(r, raw)
            if r.status == 400:
                self.assertIn("رابط غير صالح", r.text)

    def test_long_query_is_cut_with_a_note(self):
        words = " ".join("كلمة%d" % i for i in range(40))
        r = self.site.get(search_path(words))
        self.assertEqual(r.status, 200)
        doc = parse_html(r.text)
        notes = [p.text for p in doc.find_all("p", cls="search-note")]
        self.assertTrue(any("أوله" in n for n in notes), notes)
        self.assertNotEqual(r.header("x-cache"), "HIT")
        self.assertEqual(len(doc.find("input", id="search-q").get("value").split()), 10)

    # -- elsewhere ---------------------------------------------------------
    def test_wordpress_search_links(self):
        r = self.site.get("/?s=" + urllib.parse.quote("المِنطاد"))
        self.assertEqual(r.status, 301)
        self.assertEqual(r.header("location"), search_path("المِنطاد"))
        r = self.site.get("/?s=")
        self.assertEqual(r.status, 301)
        self.assertEqual(r.header("location"), "/search")
        r = self.site.get("/?s=a+b&utm_source=x")
        self.assertEqual(r.header("location"), "/search?q=a%20b")
        self.assertEqual(self.site.get("/?s=%FF").status, 400)

    def test_opensearch(self):
        r = self.site.get("/opensearch.xml")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type").split(";")[0], "application/opensearchdescription+xml")
        root = ET.fromstring(r.body)
        ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
        (name,) = self.site.query("SELECT value FROM settings WHERE key='site_name'")[0]
        self.assertEqual(root.find("os:ShortName", ns).text, name[:16])
        self.assertEqual(root.find("os:InputEncoding", ns).text, "UTF-8")
        url = root.find("os:Url", ns)
        self.assertEqual(url.get("type"), "text/html")
        self.assertEqual(url.get("template"), self.site.base + "/search?q={searchTerms}")
        home = parse_html(self.get_ok("/").text)
        link = home.find("link", rel="search")
        self.assertEqual(link.get("type"), "application/opensearchdescription+xml")
        self.assertEqual(link.get("href"), "/opensearch.xml")
        self.assertTrue(link.get("title"))

    def assert_search_box(self, doc, where):
        forms = [f for f in doc.find_all("form", role="search")]
        self.assertTrue(forms, "no search form on %s" % where)
        for f in forms:
            self.assertEqual((f.get("action"), f.get("method")), ("/search", "get"), where)
            self.assertTrue(f.get("aria-label"), where)
            inp = f.find("input", name="q")
            self.assertIsNotNone(inp, where)
            self.assertEqual(inp.get("type"), "search")
            label = f.find("label", **{"for": inp.get("id")})
            self.assertTrue(label is not None and label.text.strip(), "unlabelled search input on %s" % where)
            self.assertIsNotNone(f.find("button", type="submit"))
        return forms

    def test_search_box_on_home_and_404(self):
        home = parse_html(self.get_ok("/").text)
        header = home.find("header", cls="site-header")
        self.assertEqual(len(self.assert_search_box(header, "home header")), 1)
        r = self.site.get("/no-such-page-search-e2e/")
        self.assertEqual(r.status, 404)
        doc = parse_html(r.text)
        forms = self.assert_search_box(doc, "404")
        self.assertEqual(len(forms), 2)     # the header's and the page's own
        self.assertEqual(len({f.get("aria-label") for f in forms}), 2)
        ids = [i.get("id") for i in doc.find_all("input") if i.get("id")]
        self.assertEqual(len(ids), len(set(ids)))
        # the search page has its own box, with the query, and not the header's
        _, doc = self.search("المنطاد")
        forms = self.assert_search_box(doc, "search page")
        self.assertEqual(len(forms), 1)
        self.assertEqual(forms[0].find("input").get("value"), "المنطاد")

    @unittest.skipUnless(shutil.which("java") and os.path.exists(VNU), "java or vnu-jar not installed")
    def test_vnu_no_errors(self):
        pages = {"results": self.search("المنطاد")[0], "none": self.search("المنطاض")[0],
                 "any": self.search("المنطاد القرنفل")[0], "empty": self.site.get("/search"),
                 "paged": self.search(PAGED_WORD, 2)[0]}
        errors = vnu_errors({name: r.body for name, r in pages.items()})
        self.assertEqual(errors, [], json.dumps(errors, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    unittest.main()
