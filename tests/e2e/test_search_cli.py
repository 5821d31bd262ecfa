"""The search index from the command line: nashra search shows what the
/search page finds (count, fallback, suggestion, results best first),
nashra reindex rebuilds the index and says how far it is, nashra serve
rebuilds an index made by another analyzer version before it opens, and
a demo site is indexed from the start. On SQLite, and on PostgreSQL when
NASHRA_E2E_PG_URL is set."""
import re
import unittest

from nashra_e2e import Site, run_cli, sanitizer_report

NO_RESULTS = "لا توجد نتائج"
# a word no demo article holds, written with harakat in the title and
# without them in the query
WORD_MARKED = "زُمُرُّدستان"
WORD_PLAIN = "زمردستان"


class SearchCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.site = Site(demo=True)

    @classmethod
    def tearDownClass(cls):
        cls.site.cleanup()

    def assert_refused(self, r, status, *words):
        self.assertEqual(r.returncode, status, "exit %s, stderr: %s" % (r.returncode, r.stderr))
        self.assertTrue(r.stderr.startswith("nashra: "), r.stderr)
        self.assertFalse(sanitizer_report(r.stderr), r.stderr)
        for w in words:
            self.assertIn(w, r.stderr)

    def search(self, *args):
        r = run_cli("search", self.site.dir, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def results(self, out):
        """(rank, title, path, day) of each result listed."""
        return re.findall(r"^(\d+)\. (.+)\n   (/\S+/)  (\d{4}-\d\d-\d\d)$", out, re.M)

    def test_demo_is_indexed(self):
        """init --demo ends with the index built by this analyzer: a word
        of a published title is found at once."""
        version = self.site.query("SELECT value FROM settings WHERE key = 'search_version'")
        self.assertRegex(version[0][0], r"^[1-9]\d*$")
        slug, title = self.site.query(
            "SELECT slug, title FROM articles WHERE status = 'published' ORDER BY id LIMIT 1")[0]
        out = self.search(title)
        self.assertRegex(out.splitlines()[0], r"^\d+ results? for: ")
        self.assertIn(("1", title, "/%s/" % slug), [r[:3] for r in self.results(out)])

    def test_published_article_found(self):
        """A draft is not found; published through nashra article, it is,
        in another spelling of its title."""
        aid, slug = self.site.query(
            "SELECT id, slug FROM articles WHERE status = 'draft' ORDER BY id LIMIT 1")[0]
        title = "مهرجان %s للكتاب" % WORD_MARKED
        r = run_cli("article", self.site.dir, "set", str(aid), "title", title)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.search(WORD_PLAIN).strip(), NO_RESULTS)
        r = run_cli("article", self.site.dir, "set", str(aid), "status", "published")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = self.search(WORD_PLAIN)
        self.assertEqual(out.splitlines()[0], "1 result for: %s (page 1 of 1)" % WORD_PLAIN)
        hits = self.results(out)
        self.assertEqual([h[:3] for h in hits], [("1", title, "/%s/" % slug)])

    def test_nothing_found(self):
        out = self.search("قثغفقثغف")
        self.assertEqual(out.splitlines()[0], NO_RESULTS)
        self.assertEqual(self.results(out), [])
        # punctuation and search syntax only: nothing to search, no error
        self.assertEqual(self.search('"*( ) : ^ NEAR OR &|!').strip().splitlines()[0], NO_RESULTS)

    def test_pages(self):
        """Ten results a page, ranked across pages; a page past the end
        says so."""
        word = "الانتخابات"
        first = self.search(word)
        m = re.match(r"(\d+) results for: \S+ \(page 1 of (\d+)\)", first)
        self.assertTrue(m, first)
        total, pages = int(m.group(1)), int(m.group(2))
        self.assertGreater(total, 10, first)
        self.assertEqual([int(h[0]) for h in self.results(first)], list(range(1, 11)))
        second = self.search(word, "--page", "2")
        ranks = [int(h[0]) for h in self.results(second)]
        self.assertEqual(ranks, list(range(11, 11 + min(10, total - 10))))
        self.assertFalse({h[2] for h in self.results(first)} & {h[2] for h in self.results(second)})
        past = self.search("--page", str(pages + 1), word)
        self.assertIn("no results on page %d" % (pages + 1), past)

    def test_mistakes(self):
        d = self.site.dir
        self.assert_refused(run_cli("search", d, "\udcff\udcfe"), 2, "not valid UTF-8")
        self.assert_refused(run_cli("search", d), 2, "usage")
        self.assert_refused(run_cli("search"), 2, "usage")
        self.assert_refused(run_cli("search", d, "a", "b"), 2, "too many")
        for page in ("0", "x", "-1", "100001"):
            self.assert_refused(run_cli("search", d, "a", "--page", page), 2, "--page")
        self.assert_refused(run_cli("search", d + "-missing", "a"), 1, "nashra init")
        self.assert_refused(run_cli("reindex"), 2, "usage")
        self.assert_refused(run_cli("reindex", d, "x"), 2, "usage")
        self.assert_refused(run_cli("reindex", d + "-missing"), 1, "nashra init")

    def test_reindex_without_terminal(self):
        """One line per phase on stderr, no carriage returns; the summary
        on stdout; searches still find the same afterwards."""
        before = self.search("الانتخابات")
        n = self.site.query("SELECT count(*) FROM articles")[0][0]
        r = run_cli("reindex", self.site.dir, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("\r", r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 2, r.stderr)
        for line, phase in zip(lines, ("index", "related")):
            self.assertRegex(line, r"^%s: %d articles in \d+\.\d s \(\d+ articles/s\)$" % (phase, n))
        self.assertRegex(r.stdout, r"^reindexed %d articles in \d+\.\d s\n$" % n)
        self.assertEqual(self.search("الانتخابات"), before)


class ServeRebuilds(unittest.TestCase):
    def test_old_index_rebuilt_at_start(self):
        """An index recorded as another analyzer's is rebuilt before the
        server answers, with one line per phase in its log."""
        site = Site(demo=True)
        self.addCleanup(site.cleanup)
        r = run_cli("settings", site.dir, "set", "search_version", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        site.start()
        try:
            log = site.log_tail()
            self.assertRegex(log, r"(?m)^index: \d+ articles in ")
            self.assertRegex(log, r"(?m)^related: \d+ articles in ")
            version = site.query("SELECT value FROM settings WHERE key = 'search_version'")
            self.assertRegex(version[0][0], r"^[1-9]\d*$")
        finally:
            self.assertEqual(site.stop(), 0)
        # a second start finds it current: nothing rebuilt
        site.start()
        try:
            self.assertEqual(len(re.findall(r"(?m)^index: ", site.log_tail())), 1)
        finally:
            self.assertEqual(site.stop(), 0)


if __name__ == "__main__":
    unittest.main()
