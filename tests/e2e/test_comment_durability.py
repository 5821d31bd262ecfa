"""A comment answered 303 is in the database, once, whenever the server
dies afterwards.

The site approves every comment at once (comment_moderation none), with
no rate limit and no minimum time between a form's issue and its
submission. In each cycle the server is started on the same site, client
threads post comments with a text of their own each (a fresh uuid) to a
few articles, over keep-alive connections, every third one a reply to a
comment answered 303 before (in this cycle or an earlier one: approved,
so a valid parent), and the server is killed with SIGKILL at a random
moment of the load; it is then started again on the same site and the
database is checked:
  * every comment that was answered 303 is there exactly once, on the
    article it was posted to, under the parent it replied to and the id
    its Location names (#comment-N), approved;
  * a comment whose answer never came (in flight at the kill) is there at
    most once; nothing is there that was not posted;
  * the database is whole: on SQLite `PRAGMA integrity_check` says ok and
    `PRAGMA foreign_key_check` finds nothing; on both backends no comment
    names a missing article or parent.
Every answer the server gave before the kill must be a 303: with these
settings nothing is refused.

SIGKILL ends the process, not the machine: what this proves is that the
303 leaves only after the commit, not that the commit reached the disk
(that is synchronous=FULL's and synchronous_commit's part).

NASHRA_E2E_SEED=N repeats a run's kill moments (the seed is in every
failure message).
"""
import http.client
import os
import random
import re
import threading
import time
import unittest
import urllib.parse
import uuid

from nashra_e2e import Site, page_token, quote_path, run_cli, sanitizer_report

CYCLES = 50                 # kill/restart cycles in the one test
POSTERS = 4                 # client threads, each with its own keep-alive connection
ARTICLES = 3                # articles they post to
REPLY_EVERY = 3             # every third post of a poster replies to an answered comment
KILL_AFTER = (0.050, 0.400)  # seconds after the load starts: the moment of SIGKILL is drawn in this range
SETTINGS = (("comment_moderation", "none"), ("comment_rate_limit", "0"), ("comment_min_seconds", "0"))
LOCATION_ID = re.compile(r"#comment-(\d+)$")


class Cycle:
    """What the posters of one cycle sent and were told: shared between
    them under one lock."""

    def __init__(self, number):
        self.number = number
        self.lock = threading.Lock()
        self.sent = {}          # text -> (article id, parent id or None), recorded before the request leaves
        self.acked = {}         # text -> (article id, comment id from Location, Location)
        self.refused = []       # (poster, text, status, Location, first bytes of the body): any answer
                                # but a 303 to #comment-N
        self.early_errors = []  # (poster, text, exception) while the server was meant to be alive
        self.killing = threading.Event()


class CommentDurability(unittest.TestCase):

    def setUp(self):
        self.seed = int(os.environ.get("NASHRA_E2E_SEED") or random.SystemRandom().randrange(1 << 31))
        self.rng = random.Random(self.seed)
        self.site = Site(demo=True)
        for key, value in SETTINGS:
            r = run_cli("settings", self.site.dir, "set", key, value)
            if r.returncode != 0:
                self.site.cleanup()
                self.fail("nashra settings %s set %s %s: exit %r: %s"
                          % (self.site.dir, key, value, r.returncode, r.stderr))
        # the run's comments all start with this, so that they are told
        # apart from the demo's and found with one query
        self.prefix = "durability-%s" % uuid.uuid4().hex[:12]
        # article id -> ids of the comments answered 303 on it: approved,
        # so a reply may name any of them as its parent
        self.parents = {}
        self.parents_lock = threading.Lock()

    def tearDown(self):
        if self.site.proc is not None:      # a test that failed mid-cycle
            self.site.kill()
        self.site.cleanup()

    def where(self, cycle):
        return "cycle %d of %d (NASHRA_E2E_SEED=%d)" % (cycle, CYCLES, self.seed)

    # -- the load ---------------------------------------------------------
    def articles(self):
        """(id, slug) of the articles posted to: published, open to
        comments, the newest first."""
        rows = self.site.query(
            "SELECT id, slug FROM articles WHERE status = 'published' AND comments_open = 1"
            " AND published_at <= ? ORDER BY published_at DESC, id LIMIT ?", (int(time.time()), ARTICLES))
        self.assertEqual(len(rows), ARTICLES, "published articles open to comments on the demo site")
        return rows

    def tokens(self, articles, cycle):
        """The form token of each article's page, from the server just
        started (a token may be sent any number of times)."""
        out = {}
        for aid, slug in articles:
            r = self.site.get(quote_path("/%s/" % slug))
            self.assertEqual(r.status, 200, "%s: GET /%s/ after the restart" % (self.where(cycle), slug))
            out[aid] = page_token(r.body)
            self.assertTrue(out[aid], "%s: /%s/ carries no form token" % (self.where(cycle), slug))
        return out

    def poster(self, cyc, no, articles, tokens):
        """Post comments over one keep-alive connection until the server is
        killed; a connection the server closes while alive is opened again
        (and noted: it should not happen)."""
        conn = None
        k = 0
        rng = random.Random("%d-%d-%d" % (self.seed, cyc.number, no))
        while not cyc.killing.is_set():
            k += 1
            aid, slug = articles[(no + k) % len(articles)]
            text = "%s c%d t%d n%d %s تعليق" % (self.prefix, cyc.number, no, k, uuid.uuid4().hex)
            fields = {"comment": text, "author": "قارئ %d" % no, "email": "reader%d@example.org" % no,
                      "token": tokens[aid]}
            parent = None
            if k % REPLY_EVERY == 0:
                with self.parents_lock:
                    if self.parents.get(aid):
                        parent = rng.choice(self.parents[aid])
            if parent is not None:
                fields["parent"] = str(parent)
            body = urllib.parse.urlencode(fields).encode()
            with cyc.lock:
                cyc.sent[text] = (aid, parent)
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.site.port, timeout=15)
                conn.request("POST", quote_path("/%s/comments" % slug), body,
                             {"Content-Type": "application/x-www-form-urlencoded"})
                r = conn.getresponse()
                data = r.read()
            except (OSError, http.client.HTTPException) as e:
                if conn is not None:
                    conn.close()
                conn = None
                if cyc.killing.is_set():
                    break
                with cyc.lock:
                    cyc.early_errors.append((no, text, "%s: %s" % (type(e).__name__, e)))
                time.sleep(0.005)
                continue
            location = r.getheader("Location", "")
            m = LOCATION_ID.search(location)
            with cyc.lock:
                if r.status == 303 and m:
                    cyc.acked[text] = (aid, int(m.group(1)), location)
                    with self.parents_lock:
                        self.parents.setdefault(aid, []).append(int(m.group(1)))
                else:
                    cyc.refused.append((no, text, r.status, location, data[:300].decode("utf-8", "replace")))
        if conn is not None:
            conn.close()

    def run_cycle(self, number, articles):
        """Start the server, post, SIGKILL it at a random moment; returns
        the Cycle."""
        cyc = Cycle(number)
        tokens = self.tokens(articles, number)
        threads = [threading.Thread(target=self.poster, args=(cyc, no, articles, tokens), daemon=True)
                   for no in range(POSTERS)]
        delay = self.rng.uniform(*KILL_AFTER)
        for t in threads:
            t.start()
        time.sleep(delay)
        died = self.site.proc.poll()
        cyc.killing.set()
        log = self.site.log_tail()
        self.site.kill()
        for t in threads:
            t.join(30)
            self.assertFalse(t.is_alive(), "%s: a poster still running 30 s after the kill" % self.where(number))
        self.assertIsNone(died, "%s: the server exited (status %r) before it was killed, %.0f ms into the load:\n%s"
                          % (self.where(number), died, delay * 1000, log))
        self.assertFalse(cyc.refused, "%s: answers other than a 303 to #comment-N (poster, comment, status,"
                         " Location, body): %r"
                         % (self.where(number), cyc.refused[:5]))
        self.assertFalse(cyc.early_errors, "%s: the server dropped a connection while alive, %.0f ms load"
                         " (poster, comment, error): %r" % (self.where(number), delay * 1000, cyc.early_errors[:5]))
        return cyc

    # -- the checks ---------------------------------------------------------
    def check(self, cycles, sent, acked):
        """The database after the restart that followed the kill of
        cycles[-1]: sent and acked hold every cycle's texts so far."""
        where = "after the restart that followed the kill in " + self.where(cycles[-1].number)
        found = {}
        for cid, aid, parent, text, status in self.site.query(
                "SELECT id, article_id, parent_id, body, status FROM comments WHERE body LIKE ?",
                (self.prefix + " %",)):
            found.setdefault(text, []).append((cid, (aid, parent), status))
        for text, rows in found.items():
            self.assertIn(text, sent, "%s: comment %d holds a text that was never posted: %r"
                          % (where, rows[0][0], text))
            self.assertEqual(len(rows), 1, "%s: comment %r is in the database %d times (ids %s)"
                             % (where, text, len(rows), [r[0] for r in rows]))
            self.assertEqual(rows[0][1], sent[text], "%s: comment %d (%r) is on (article, parent) %r, posted"
                             " to %r" % (where, rows[0][0], text, rows[0][1], sent[text]))
        for text, (number, aid, cid, location) in acked.items():
            rows = found.get(text, [])
            self.assertEqual(len(rows), 1, "%s: comment %r, posted in cycle %d to article %d and answered 303"
                             " (Location %s), is in the database %d times"
                             % (where, text, number, aid, location, len(rows)))
            self.assertEqual(rows[0][0], cid, "%s: comment %r was answered with Location %s but is"
                             " comment %d" % (where, text, location, rows[0][0]))
            self.assertEqual(rows[0][2], "approved", "%s: comment %d (%r) is %s although the site approves"
                             " every comment (comment_moderation none)" % (where, cid, text, rows[0][2]))
        self.check_whole(where)

    def check_whole(self, where):
        if not self.site.database.is_pg:
            self.assertEqual(self.site.query("PRAGMA integrity_check"), [("ok",)],
                             "%s: PRAGMA integrity_check" % where)
            self.assertEqual(self.site.query("PRAGMA foreign_key_check"), [],
                             "%s: PRAGMA foreign_key_check" % where)
        orphans = self.site.query(
            "SELECT c.id, c.article_id, c.parent_id FROM comments c"
            " LEFT JOIN articles a ON a.id = c.article_id LEFT JOIN comments p ON p.id = c.parent_id"
            " WHERE a.id IS NULL OR (c.parent_id IS NOT NULL AND p.id IS NULL)")
        self.assertEqual(orphans, [], "%s: comments (id, article, parent) whose article or parent is missing"
                         % where)

    def test_sigkill_while_posting(self):
        articles = self.articles()
        cycles, sent, acked = [], {}, {}
        for number in range(1, CYCLES + 1):
            self.site.start()
            if cycles:
                self.check(cycles, sent, acked)
            cyc = self.run_cycle(number, articles)
            cycles.append(cyc)
            sent.update(cyc.sent)
            acked.update((text, (number,) + a) for text, a in cyc.acked.items())
        self.site.start()
        self.check(cycles, sent, acked)
        rc = self.site.stop()
        log = self.site.log_tail(16000)
        self.assertEqual(rc, 0, "exit status %r after SIGTERM, after %d kills:\n%s" % (rc, CYCLES, log))
        self.assertFalse(sanitizer_report(log), log)
        # a run where no comment was answered before its kill proves nothing
        self.assertTrue(acked, "NASHRA_E2E_SEED=%d: no comment was answered 303 in %d cycles (%d posted)"
                        % (self.seed, CYCLES, len(sent)))
        print("\n  %d cycles: %d comments posted, %d answered 303 (%d of them replies), %d cycles killed with"
              " posts unanswered" % (CYCLES, len(sent), len(acked), sum(1 for t in acked if sent[t][1] is not None),
                                     sum(1 for c in cycles if len(c.sent) > len(c.acked))))


if __name__ == "__main__":
    unittest.main()
