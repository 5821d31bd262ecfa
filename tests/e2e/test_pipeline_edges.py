"""Edges of the request pipeline and the change log: repeated query keys,
writes the triggers must log however they are made (REPLACE, an UPDATE of
article_tags), a write that succeeds after a busy retry, the Allow of a
method served nowhere, and the CLI on a missing article."""
import time
import unittest
import urllib.parse

from nashra_e2e import FastComments, comment_form, run_cli, quote_path
from test_pipeline import PipelineCase, location_path, shows


class Edges(PipelineCase):

    def test_short_link_duplicate_p_shares_key(self):
        """/?p=A&p=B and /?p=B&p=A get one cache key (sorted values), but the
        handler answers the first p: the second request gets the first's
        redirect from the cache."""
        (id1, slug1, _, _), (id2, slug2, _, _) = self.published()[4:6]
        a = self.site.get("/?p=%d&p=%d" % (id1, id2))
        b = self.site.get("/?p=%d&p=%d" % (id2, id1))
        print("\n  /?p=%d&p=%d -> %s %s (%s)" % (id1, id2, a.status, location_path(a), self.xcache(a)))
        print("  /?p=%d&p=%d -> %s %s (%s)" % (id2, id1, b.status, location_path(b), self.xcache(b)))
        # uncached, the second answers with its own first p
        r = self.site.get("/?p=%d&p=%d" % (id2, id1), {"Cookie": "nashra_session=x"})
        print("  same, bypassing the cache -> %s %s (%s)" % (r.status, location_path(r), self.xcache(r)))
        self.assertEqual(location_path(b), location_path(r))

    def test_article_tags_update_not_logged(self):
        """UPDATE article_tags (moving an article to another tag) logs no
        change: the tag archive it left keeps showing it."""
        row = self.site.query(
            "SELECT at.article_id, a.slug, t.slug, at.tag_id FROM article_tags at"
            " JOIN articles a ON a.id = at.article_id JOIN tags t ON t.id = at.tag_id"
            " WHERE a.status = 'published' AND a.published_at <= ? ORDER BY a.published_at DESC LIMIT 1",
            (int(time.time()),))
        aid, aslug, tslug, tid = row[0]
        other = self.site.query(
            "SELECT id FROM tags WHERE id NOT IN (SELECT tag_id FROM article_tags WHERE article_id=?)"
            " LIMIT 1", (aid,))[0][0]
        path = "/tag/%s/" % tslug
        before = self.cached(path)
        self.assertTrue(shows(before.text, aslug))
        seq0 = self.site.query("SELECT coalesce(max(seq),0) FROM changes")[0][0]
        self.site.execute("UPDATE article_tags SET tag_id=? WHERE article_id=? AND tag_id=?",
                          (other, aid, tid))
        seq1 = self.site.query("SELECT coalesce(max(seq),0) FROM changes")[0][0]
        r = self.site.page(path)
        print("\n  changes rows logged by the UPDATE: %d; %s now %s, shows the article: %s"
              % (seq1 - seq0, path, self.xcache(r), shows(r.text, aslug)))
        self.assertFalse(shows(r.text, aslug), "tag page still lists the article it no longer has")

    def test_insert_or_replace_article_not_logged(self):
        """INSERT OR REPLACE of a shown article by a draft of the same id
        (on PostgreSQL, its upsert): on SQLite the REPLACE deletes the old
        row without firing delete triggers (recursive_triggers off) and
        the insert trigger skips drafts, so nothing would be logged and the
        unpublished article would stay served from the cache."""
        aid, slug, _, _ = self.published()[6]
        self.cached("/%s/" % slug)
        seq0 = self.site.query("SELECT coalesce(max(seq),0) FROM changes")[0][0]
        self.site.database.replace("articles", {"id": aid, "slug": slug, "title": "مسودة", "status": "draft"})
        seq1 = self.site.query("SELECT coalesce(max(seq),0) FROM changes")[0][0]
        r = self.site.page("/%s/" % slug)
        print("\n  changes rows logged: %d; /%s/ -> %d %s" % (seq1 - seq0, slug, r.status, self.xcache(r)))
        self.assertEqual(r.status, 404, "a draft is served from the cache")

    def test_allow_of_unknown_method(self):
        """PUT on the POST-only comments route: 405 whose Allow names GET,
        HEAD, which that route refuses with 405 Allow: POST."""
        _, slug, _, _ = self.published()[1]
        path = quote_path("/%s/comments" % slug)
        r = self.site.request("PUT", path, {"Content-Type": "text/plain"}, b"x")
        g = self.site.get(path)
        print("\n  PUT -> %d Allow: %s; GET -> %d Allow: %s"
              % (r.status, r.header("allow"), g.status, g.header("allow")))
        self.assertEqual(r.header("allow"), "POST")

    def test_cli_edit_missing_article(self):
        """nashra article DIR set ID ... for an ID that does not exist reads
        an uninitialised store_article (edit.c:67-69)."""
        r = run_cli("article", self.site.dir, "set", "987654", "title", "x")
        print("\n  exit %r stderr: %s" % (r.returncode, r.stderr.strip()[:300]))
        self.assertIn(r.returncode, (1, 2))
        self.assertIn("987654", r.stderr)


if __name__ == "__main__":
    unittest.main()


class BusyWrite(FastComments, PipelineCase):

    def test_write_retried_after_busy_reported_as_503(self):
        """A comment posted while another writer holds the lock it needs a
        little longer than SQLite's 2 s busy timeout (on PostgreSQL, a lock
        on the comments table, which it waits for): it is stored, once,
        and the reader is sent back to the article (303), not told to
        retry a comment that was saved (the first, failed BEGIN IMMEDIATE
        on SQLite must not turn the answer into a 503)."""
        import threading
        aid, slug = next((a, s) for a, s, _, _ in self.published()[1:]
                         if self.site.query("SELECT comments_open FROM articles WHERE id=?", (a,))[0][0])
        n0 = self.site.query("SELECT count(*) FROM comments WHERE article_id=?", (aid,))[0][0]
        body = comment_form(self.site, slug, comment="نص", author="قارئ")
        locked = threading.Event()

        def hold():
            c = self.site.database.hold_write_lock("comments")
            locked.set()
            time.sleep(2.6)
            c.commit()
            c.close()
        t = threading.Thread(target=hold)
        t.start()
        locked.wait()
        r = self.site.request("POST", quote_path("/%s/comments" % slug),
                              {"Content-Type": "application/x-www-form-urlencoded"}, body)
        t.join()
        n1 = self.site.query("SELECT count(*) FROM comments WHERE article_id=?", (aid,))[0][0]
        print("\n  POST -> %d (Retry-After: %s); comments stored: %d" % (r.status, r.header("retry-after"), n1 - n0))
        self.assertEqual(n1 - n0, 1)
        self.assertEqual(r.status, 303)
