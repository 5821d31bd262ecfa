"""The response cache follows the database: a write from another
connection (here, this test process) shows on the next request, and a
scheduled article appears when its time comes without any write."""
import time
import unittest

from nashra_e2e import ServerTestCase, headline, parse_html, quote_path, without_token


class CacheInvalidation(ServerTestCase):
    def twice(self, path):
        """Fetch twice so the page is surely in the cache (the same page
        both times, but for the form token of an article's); returns the
        first response."""
        a = self.site.get(quote_path(path))
        b = self.site.get(quote_path(path))
        self.assertEqual(a.status, b.status)
        self.assertEqual(without_token(a.body), without_token(b.body))
        return a

    def test_title_change(self):
        aid, slug, _ = self.site.seed()
        self.twice("/%s/" % slug)
        self.twice("/")
        self.site.execute("UPDATE articles SET title=?, updated_at=? WHERE id=?",
                          ("عنوان جديد للاختبار", int(time.time()), aid))
        page = parse_html(self.get_ok("/%s/" % slug).text)
        self.assertEqual(headline(page), "عنوان جديد للاختبار")
        self.assertIn("عنوان جديد للاختبار", self.get_ok("/").text)
        self.assertIn("عنوان جديد للاختبار", self.get_ok("/feed/").text)

    def test_new_comment(self):
        aid, slug, _ = self.site.seed()
        path = "/%s/" % slug
        before = parse_html(self.twice(path).text).find("span", cls="comment-count").text.strip()
        cid = self.site.add_comment(aid, "قارئ جديد", "تعليق أضيف للتو")
        doc = parse_html(self.get_ok(path).text)
        self.assertEqual(int(doc.find("span", cls="comment-count").text), int(before) + 1)
        self.assertIsNotNone(doc.find("li", id="comment-%d" % cid))
        self.site.execute("UPDATE comments SET status='spam' WHERE id=?", (cid,))
        doc = parse_html(self.get_ok(path).text)
        self.assertEqual(int(doc.find("span", cls="comment-count").text), int(before))
        self.assertIsNone(doc.find("li", id="comment-%d" % cid))

    def test_pending_comment_not_shown(self):
        aid, slug, _ = self.site.seed()
        self.twice("/%s/" % slug)
        cid = self.site.add_comment(aid, "منتظر", "تعليق في الانتظار", status="pending")
        self.assertIsNone(parse_html(self.get_ok("/%s/" % slug).text).find("li", id="comment-%d" % cid))

    def test_schedule_moved_into_past(self):
        self.site.add_article("scheduled-e2e", "خبر مجدول للغد", published_at=int(time.time()) + 86400)
        self.assertEqual(self.twice("/scheduled-e2e/").status, 404)
        self.assertNotIn("خبر مجدول للغد", self.twice("/").text)
        self.site.execute("UPDATE articles SET published_at=? WHERE slug='scheduled-e2e'", (int(time.time()) - 5,))
        self.assertEqual(self.site.get("/scheduled-e2e/").status, 200)
        self.assertIn("خبر مجدول للغد", self.get_ok("/").text)

    def test_schedule_time_arrives(self):
        when = int(time.time()) + 3
        self.site.add_article("arrives-e2e", "خبر يظهر وحده", published_at=when)
        self.assertEqual(self.twice("/arrives-e2e/").status, 404)
        self.assertNotIn("خبر يظهر وحده", self.twice("/").text)
        self.assertNotIn("خبر يظهر وحده", self.twice("/feed/").text)
        while time.time() < when + 1.1:
            time.sleep(0.2)
        self.assertEqual(self.site.get("/arrives-e2e/").status, 200)
        self.assertIn("خبر يظهر وحده", self.get_ok("/").text)
        self.assertIn("خبر يظهر وحده", self.get_ok("/feed/").text)

    def test_scheduled_status_goes_live(self):
        """An article with status 'scheduled' goes live at its time by
        itself, and drafts never do, whatever their date."""
        when = int(time.time()) + 3
        self.site.add_article("sched-status-e2e", "خبر مجدول بالحالة", status="scheduled", published_at=when)
        self.site.add_article("draft-e2e", "مسودة لا تظهر", status="draft", published_at=when - 60)
        self.assertEqual(self.twice("/sched-status-e2e/").status, 404)
        self.assertEqual(self.twice("/draft-e2e/").status, 404)
        self.assertNotIn("خبر مجدول بالحالة", self.twice("/").text)
        while time.time() < when + 1.1:
            time.sleep(0.2)
        self.assertEqual(self.site.get("/sched-status-e2e/").status, 200)
        self.assertIn("خبر مجدول بالحالة", self.get_ok("/").text)
        self.assertIn("خبر مجدول بالحالة", self.get_ok("/feed/").text)
        self.assertEqual(self.site.get("/draft-e2e/").status, 404)
        self.assertNotIn("مسودة لا تظهر", self.get_ok("/").text)

    def test_deleted_article(self):
        aid = self.site.add_article("deleted-e2e", "خبر سيحذف")
        self.assertEqual(self.twice("/deleted-e2e/").status, 200)
        self.site.execute("DELETE FROM articles WHERE id=?", (aid,))
        self.assertEqual(self.site.get("/deleted-e2e/").status, 404)


class NoCache(ServerTestCase):
    server_args = ("--no-cache",)

    def test_pages_follow_database(self):
        aid, slug, _ = self.site.seed()
        self.get_ok("/%s/" % slug)
        self.site.execute("UPDATE articles SET title=? WHERE id=?", ("عنوان بلا ذاكرة", aid))
        self.assertIn("عنوان بلا ذاكرة", self.get_ok("/%s/" % slug).text)


if __name__ == "__main__":
    unittest.main()
