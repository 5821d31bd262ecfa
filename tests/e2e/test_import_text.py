"""Scraped articles imported from the command line into a served site:
nashra import text makes each file (or standard input) a draft that
readers do not see until an editor publishes it; published, it shows its
headline without the video marker, its sub-headings, its dateline source,
and none of the source page's furniture. A bad file is reported and the
others still imported; the same file twice gives two drafts. On SQLite,
and on PostgreSQL when NASHRA_E2E_PG_URL is set."""
import os
import re
import subprocess
import unittest

from nashra_e2e import BIN, ENV, ROOT, ServerTestCase, parse_html, run_cli, sanitizer_report

SEED = os.path.join(ROOT, "tests", "fixtures", "seed-article.txt")
SEED_TITLE = "المئات من الجنود الروس يغيرون ولاءهم ويبدأون القتال من أجل أوكرانيا"
SEED_HEADINGS = ["تشكيل فيلق “حرية روسيا”", "شروط الانضمام لفيلق حرية روسيا",
                 "“بوتين” يستدعي جنود الاحتياط"]
PIPED = ("\ufeffمهرجان الشعر العربي يفتتح دورته الجديدة [شاهد]\r\n\r\n"
         "بيروت - افتتح المهرجان أمس بحضور واسع.\r\n\r\n"
         "برنامج الدورة\r\n\r\n"
         "تتضمن الدورة أمسيات وندوات.\r\n\r\n"
         "3 تعليقات\r\n\r\nتعليق قارئ لا يُنشر.\r\n")
PIPED_TITLE = "مهرجان الشعر العربي يفتتح دورته الجديدة"


def import_text(site_dir, *files, stdin=None):
    """Run nashra import text; stdin: the text given on standard input."""
    return subprocess.run([BIN, "import", "text", site_dir, *files], input=stdin or "",
                          capture_output=True, text=True, timeout=60, env=ENV)


class ImportText(ServerTestCase):
    demo = False

    def imported(self, r, n):
        """The (id, slug, title) lines of a run that imported n files."""
        self.assertFalse(sanitizer_report(r.stderr), r.stderr)
        rows = [tuple(line.split("\t")) for line in r.stdout.splitlines()]
        self.assertEqual(len(rows), n, r.stdout + r.stderr)
        for row in rows:
            self.assertEqual(len(row), 3, row)
            self.assertRegex(row[0], r"^[1-9]\d*$")
        return [(int(i), slug, title) for i, slug, title in rows]

    def article(self, aid):
        return self.site.query("SELECT status, title, source, lead, body_md FROM articles"
                               " WHERE id = ?", (aid,))[0]

    def flags(self, aid):
        """(video, body_format) of an article."""
        video, body_format = self.site.query(
            "SELECT video, body_format FROM articles WHERE id = ?", (aid,))[0]
        return bool(video), body_format

    def assert_hidden(self, slug, title):
        self.assertEqual(self.site.page("/%s/" % slug).status, 404)
        home = self.get_ok("/").text
        self.assertNotIn(title, home)

    def test_seed_and_stdin_then_publish(self):
        r = import_text(self.site.dir, SEED, "-", stdin=PIPED)
        self.assertEqual(r.returncode, 0, r.stderr)
        (seed_id, seed_slug, seed_title), (piped_id, piped_slug, piped_title) = self.imported(r, 2)
        self.assertEqual(seed_title, SEED_TITLE)
        self.assertEqual(piped_title, PIPED_TITLE)
        status, title, source, lead, body = self.article(seed_id)
        self.assertEqual((status, title, source), ("draft", SEED_TITLE, "وطن"))
        self.assertTrue(lead.startswith("أكدت مصادر دفاعية أوكرانية"), lead)
        for furniture in ("قد يهمك", "ترك الرد", "تابعنا", "الأحدث"):
            self.assertNotIn(furniture, body)
        status, title, source, lead, body = self.article(piped_id)
        self.assertEqual((status, title, source, lead),
                         ("draft", PIPED_TITLE, "بيروت", "افتتح المهرجان أمس بحضور واسع."))
        self.assertEqual(body, "## برنامج الدورة\n\nتتضمن الدورة أمسيات وندوات.\n")
        for aid in (seed_id, piped_id):
            self.assertEqual(self.flags(aid), (True, "markdown"))
        self.assert_hidden(seed_slug, SEED_TITLE)
        self.assert_hidden(piped_slug, PIPED_TITLE)

        r = run_cli("article", self.site.dir, "set", str(seed_id), "status", "published")
        self.assertEqual(r.returncode, 0, r.stderr)
        page = self.get_ok("/%s/" % seed_slug).text
        doc = parse_html(page)
        h1 = doc.find("h1", cls="headline")
        self.assertEqual(" ".join(h1.text_without("badge-video").split()), SEED_TITLE)
        self.assertNotIn("(شاهد)", h1.text)
        # a video report without its video's address yet: badged all the same
        self.assertIsNotNone(h1.find("span", cls="badge-video"))
        body = doc.find("div", cls="article-body")
        self.assertEqual([" ".join(h.text.split()) for h in body.find_all("h2")], SEED_HEADINGS)
        dateline = doc.find("span", cls="dateline")
        self.assertIsNotNone(dateline)
        self.assertIn("وطن", dateline.text)
        self.assertIn("لن يتم إرسال المجندين الجدد", body.text)
        for furniture in ("قد يهمك", "ترك الرد", "من فضلك ادخل", "تابعنا", "الأحدث"):
            self.assertNotIn(furniture, body.text)
        self.assertIn(SEED_TITLE, self.get_ok("/").text)
        # the other draft stays hidden
        self.assert_hidden(piped_slug, PIPED_TITLE)

    def test_same_file_twice(self):
        runs = [import_text(self.site.dir, SEED) for _ in range(2)]
        for r in runs:
            self.assertEqual(r.returncode, 0, r.stderr)
        (a,), (b,) = [self.imported(r, 1) for r in runs]
        self.assertNotEqual(a[0], b[0])
        base = re.sub(r"-\d+$", "", a[1])
        self.assertRegex(b[1], "^%s-[2-9]$" % re.escape(base))
        self.assertNotEqual(a[1], b[1])
        for aid in (a[0], b[0]):
            self.assertEqual(self.article(aid)[:2], ("draft", SEED_TITLE))

    def test_bad_files(self):
        """Each bad file is named with what is wrong; the good one between
        them is imported; the status says some failed."""
        tmp = self.site.tmp
        bad = {"latin1.txt": "عنوان".encode("cp1256"), "empty.txt": b"", "blank.txt": b" \n\r\n\t\n"}
        for name, data in bad.items():
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
        good = os.path.join(tmp, "good.txt")
        with open(good, "w", encoding="utf-8") as f:
            f.write("خبر سليم بين ملفات تالفة\n\nنص الخبر.\n")
        paths = [os.path.join(tmp, n) for n in bad] + [good, os.path.join(tmp, "missing.txt")]
        r = import_text(self.site.dir, *paths)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        ((aid, slug, title),) = self.imported(r, 1)
        self.assertEqual(title, "خبر سليم بين ملفات تالفة")
        self.assertEqual(self.article(aid)[0], "draft")
        self.assertEqual(self.flags(aid), (False, "markdown"))
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 4, r.stderr)
        for line, path, what in zip(lines, [p for p in paths if p != good],
                                    ["not UTF-8", "empty", "no headline", "No such file"]):
            self.assertTrue(line.startswith("nashra: %s: " % path), line)
            self.assertIn(what, line)

    def test_too_big(self):
        big = os.path.join(self.site.tmp, "big.txt")
        with open(big, "wb") as f:
            f.write(("عنوان\n\n" + "نص طويل. " * 600000).encode())
        r = import_text(self.site.dir, big)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIn("larger than", r.stderr)

    def test_usage(self):
        for args in ([], ["-", "-"]):
            r = import_text(self.site.dir, *args)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertTrue(r.stderr.startswith("nashra: "), r.stderr)
            self.assertEqual(r.stdout, "")
        r = import_text(os.path.join(self.site.tmp, "no-site"), SEED)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertNotRegex(r.stdout, re.compile(r"\S"))


if __name__ == "__main__":
    unittest.main()
