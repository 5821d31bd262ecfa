"""The request pipeline and the dependency cache, end to end: every answer
says how the shared cache served it (X-Cache: HIT, MISS or BYPASS), a write
drops only the pages built from what it changed, whoever made it (the
nashra command line in another process, or raw SQL through the change-log
triggers), and the counters of /healthz account for it.

  * Selective invalidation: an article's new title shows on its page at
    once while the cached pages that do not show it stay hits; an approved
    comment drops its article's page and the lists whose cards count its
    comments, nothing else, a pending one drops nothing; a setting drops
    every page; raw UPDATEs show on the next request.
  * Counters: a commit is read from the change log once per process, not
    once per worker thread.
  * Keys: /?p=ID (the WordPress short link) is keyed by its p parameter
    alone, canonicalised; a session cookie bypasses the cache.
  * Methods and bodies: 405 with Allow, 413 for bodies over the route's
    bound and over the server's, urlencoded and multipart comment forms,
    400 for bad percent-encoding, 422 for missing fields (the article
    page again, the message at the field, the form as sent).
  * Thundering herd: 16 simultaneous requests for a page just dropped cause
    one render; the others wait for it.
  * Missing pages share one cached 404 page, which does not outlive the
    article that comes to fill one of those paths.

The classes that post comments let the site take a form as soon as it is
served and any number of them (FastComments): what they test is not the
form's timing nor the rate limit.

Nothing here waits for time to pass: the command line's commit is complete
when it exits, and the server applies it before it answers the next
request.
"""
import http.client
import re
import socket
import sys
import threading
import time
import unittest
import urllib.parse
import uuid

from nashra_e2e import (FastComments, ServerTestCase, comment_form, comment_token, headline, parse_html,
                        quote_path, refused_form, run_cli, without_token)

ALLOW_GET = "GET, HEAD"
NOT_FOUND_TITLE = "الصفحة غير موجودة"
NEED_COMMENT = "من فضلك ادخل تعليقك"
NEED_NAME = "من فضلك ادخل اسمك هنا"
FORM = "application/x-www-form-urlencoded"


def shows(body, slug):
    """True if the page text links to the article with this slug, in any
    of the spellings a page uses (raw UTF-8, percent-encoded)."""
    path = "/%s/" % slug
    return any(p in body for p in (path, quote_path(path), quote_path(path, upper=False)))


def location_path(r):
    """The decoded path of a response's Location header."""
    return urllib.parse.unquote(urllib.parse.urlsplit(r.header("location", "")).path)


class PipelineCase(ServerTestCase):
    """Helpers shared by the classes below."""

    def xcache(self, r):
        return r.header("x-cache")

    def fetch(self, path):
        """GET a decoded path; it must answer 200."""
        r = self.site.page(path)
        self.assertEqual(r.status, 200, "GET %s -> %d" % (path, r.status))
        return r

    def cached(self, path):
        """GET a decoded path until the cache holds it: the second GET
        must be a hit. Returns that response."""
        self.fetch(path)
        r = self.fetch(path)
        self.assertEqual(self.xcache(r), "HIT", "second GET of %s" % path)
        return r

    def cli(self, *args):
        """Run `nashra CMD DIR ARGS...` (args[0] is the command); it must succeed."""
        r = run_cli(args[0], self.site.dir, *[str(a) for a in args[1:]])
        self.assertEqual(r.returncode, 0, "nashra %s: %s" % (" ".join(map(str, args)), r.stderr))
        return r

    def stats(self):
        """The counters /healthz lists, as a dict of ints."""
        r = self.site.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(self.xcache(r), "BYPASS", "/healthz is not cacheable")
        out = {}
        for line in r.text.splitlines():
            m = re.match(r"^([a-z_]+) (-?\d+)$", line)
            if m:
                out[m.group(1)] = int(m.group(2))
        for k in ("cache_hits", "cache_misses", "cache_waits", "changes_batches", "changes_drops"):
            self.assertIn(k, out, "/healthz:\n%s" % r.text)
        return out

    def ro_query(self, sql, args=()):
        """A query on a read-only connection to the site's database."""
        return self.site.ro_query(sql, args)

    def published(self):
        """(id, slug, title, category slug) of the articles readers see, newest first."""
        return self.site.query(
            "SELECT a.id, a.slug, a.title, c.slug FROM articles a JOIN categories c ON c.id = a.category_id"
            " WHERE a.status = 'published' AND a.published_at <= ? ORDER BY a.published_at DESC, a.id DESC",
            (int(time.time()),))

    def form_post(self, slug, body, content_type=FORM):
        return self.site.request("POST", quote_path("/%s/comments" % slug),
                                 {"Content-Type": content_type}, body)


# -- selective invalidation --------------------------------------------------
class SelectiveInvalidation(FastComments, PipelineCase):

    def pick_unrelated(self):
        """X, an article its category's first page shows (page D); C, another
        category's first page, and B, an article page, neither of which
        links to X. Chosen by reading the pages."""
        arts = self.published()
        cats = [c for (c,) in self.site.query("SELECT slug FROM categories ORDER BY id")]
        cat_html = {c: self.fetch("/category/%s/" % c).text for c in cats}
        for x in arts:
            xid, xslug, _, xcat = x
            if not shows(cat_html[xcat], xslug):
                continue
            c = next((c for c in cats if c != xcat and not shows(cat_html[c], xslug)), None)
            if c is None:
                continue
            # another category's articles first: no related block to share
            others = [a for a in arts if a[0] != xid]
            others.sort(key=lambda a: a[3] == xcat)
            for b in others[:8]:
                if not shows(self.fetch("/%s/" % b[1]).text, xslug):
                    return x, b, c
        self.fail("no article X with an article page and a category page that do not link to it")

    def test_title_change_drops_only_pages_showing_it(self):
        x, b, c = self.pick_unrelated()
        xid, xslug, _, xcat = x
        x_path, b_path = "/%s/" % xslug, "/%s/" % b[1]
        c_path, d_path = "/category/%s/" % c, "/category/%s/" % xcat
        for p in (x_path, b_path, c_path, d_path):
            self.cached(p)
        new = "عنوان جديد من سطر الأوامر %s" % uuid.uuid4().hex[:8]
        self.cli("article", "set", xid, "title", new)

        for p in (b_path, c_path):
            r = self.fetch(p)
            self.assertEqual(self.xcache(r), "HIT", "%s does not show article %d but was dropped" % (p, xid))
            self.assertNotIn(new, r.text)
        r = self.fetch(x_path)
        self.assertEqual(self.xcache(r), "MISS")
        self.assertEqual(headline(parse_html(r.text)), new)
        r = self.fetch(d_path)
        self.assertEqual(self.xcache(r), "MISS", "%s lists article %d" % (d_path, xid))
        self.assertIn(new, r.text)
        self.assertEqual(self.xcache(self.fetch(x_path)), "HIT")

    def card_comments(self, body, slug):
        """The comment count on the card of the article slug in a list page
        (0 when the card shows none); None if the page has no card of it."""
        for card in parse_html(body).find_all("li", cls="card"):
            title = card.find("a", cls="card-title")
            if title is not None and shows(title.get("href", ""), slug):
                link = card.find("a", cls="card-comments")
                return int(link.text.split(":")[1]) if link is not None else 0
        return None

    def test_comment_pending_then_approved(self):
        """A pending comment drops nothing; approved, it drops the pages
        that show it: its article's page, and the list whose card counts
        the article's comments. Another article's page (whose list of the
        latest links to it without a count) and a list without the article
        stay hits."""
        arts = [a for a in self.published()
                if self.site.query("SELECT comments_open FROM articles WHERE id=?", (a[0],))[0][0]]
        a, b = arts[3], arts[4]
        a_path, b_path = "/%s/" % a[1], "/%s/" % b[1]
        self.assertIsNotNone(self.card_comments(self.fetch("/").text, a[1]), "/ has no card of %s" % a_path)
        c_path = next(p for p in ("/category/%s/" % c for (c,) in self.site.query("SELECT slug FROM categories"))
                      if not shows(self.fetch(p).text, a[1]))
        for p in (a_path, b_path, c_path, "/"):
            self.cached(p)
        approved = self.site.query("SELECT count(*) FROM comments WHERE article_id=? AND status='approved'",
                                   (a[0],))[0][0]
        text = "تعليق للاختبار %s" % uuid.uuid4().hex[:8]
        r = self.form_post(a[1], comment_form(self.site, a[1], comment=text, author="قارئ",
                                              email="reader@example.org"))
        self.assertEqual(r.status, 303, r.body[:300])
        self.assertEqual(location_path(r), a_path)
        rows = self.ro_query("SELECT id, status, author_name FROM comments WHERE article_id=? AND body=?",
                             (a[0], text))
        self.assertEqual(len(rows), 1, rows)
        cid, status, author = rows[0]
        self.assertEqual((status, author), ("pending", "قارئ"))
        self.assertEqual(urllib.parse.urlsplit(r.header("location")).fragment, "comment-%d" % cid)

        # pending: on no page, so nothing was dropped
        for p in (a_path, "/"):
            r = self.fetch(p)
            self.assertEqual(self.xcache(r), "HIT", "a pending comment dropped %s" % p)
            self.assertNotIn(text, r.text)

        self.cli("comments", "approve", cid)
        r = self.fetch(a_path)
        self.assertEqual(self.xcache(r), "MISS")
        li = parse_html(r.text).find("li", id="comment-%d" % cid)
        self.assertIsNotNone(li, "approved comment %d not on its article's page" % cid)
        self.assertIn(text, li.text)
        r = self.fetch("/")
        self.assertEqual(self.xcache(r), "MISS", "/ counts the comments of %s" % a_path)
        self.assertEqual(self.card_comments(r.text, a[1]), approved + 1)
        self.assertNotIn(text, r.text)
        for p in (b_path, c_path):
            r = self.fetch(p)
            self.assertEqual(self.xcache(r), "HIT", "approving a comment on %s dropped %s" % (a_path, p))
            self.assertNotIn(text, r.text)

    def test_setting_drops_every_page(self):
        _, slug, _, cat = self.published()[0]
        paths = ("/", "/%s/" % slug, "/category/%s/" % cat, "/feed/")
        for p in paths:
            self.cached(p)
        name = "نشرة المساء %s" % uuid.uuid4().hex[:6]
        self.cli("settings", "set", "site_name", name)
        for p in paths:
            r = self.fetch(p)
            self.assertEqual(self.xcache(r), "MISS", p)
            self.assertIn(name, r.text, p)
        for p in paths:
            self.assertEqual(self.xcache(self.fetch(p)), "HIT", p)

    def test_raw_sql_updates(self):
        aid, slug, _, _ = self.published()[5]
        path = "/%s/" % slug
        self.cached(path)
        self.cached("/")
        title = "عنوان كتبه محرر خارجي %s" % uuid.uuid4().hex[:6]
        self.site.execute("UPDATE articles SET title=? WHERE id=?", (title, aid))
        r = self.fetch(path)
        self.assertEqual(self.xcache(r), "MISS")
        self.assertEqual(headline(parse_html(r.text)), title)

        name = "اسم كتبه محرر خارجي %s" % uuid.uuid4().hex[:6]
        self.site.execute("UPDATE settings SET value=? WHERE key='site_name'", (name,))
        for p in (path, "/"):
            r = self.fetch(p)
            self.assertEqual(self.xcache(r), "MISS", p)
            self.assertIn(name, r.text, p)


# -- counters and the thundering herd -----------------------------------------
def concurrent_gets(port, paths, timeout=30):
    """GET each path on a connection of its own, the connections opened
    first and the requests sent together. Returns [(status, X-Cache, body)]
    or raises the first error."""
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=timeout) for _ in paths]
    results = [None] * len(paths)
    errors = []
    barrier = threading.Barrier(len(paths), timeout=timeout)

    def one(i):
        c = conns[i]
        try:
            barrier.wait()
            c.putrequest("GET", paths[i], skip_accept_encoding=True)
            c.endheaders()
            r = c.getresponse()
            results[i] = (r.status, r.getheader("X-Cache"), r.read())
        except Exception as e:  # reported below, with the path
            errors.append("%s: %s: %s" % (paths[i], type(e).__name__, e))
            barrier.abort()
        finally:
            c.close()

    try:
        for c in conns:
            c.connect()
        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(paths))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout + 5)
    finally:
        for c in conns:
            c.close()
    if errors or any(r is None for r in results):
        raise AssertionError("concurrent GETs failed: %s" % (errors or "a thread did not finish"))
    return results


class Concurrency(PipelineCase):
    THREADS = 4
    server_args = ("--threads", str(THREADS))
    CONNS = 16
    ROUNDS = 20

    def spread(self, paths):
        """Requests on many connections at once, three times over, so that
        every worker thread serves some."""
        for _ in range(3):
            got = concurrent_gets(self.site.port, [quote_path(p) for p in paths] * (self.CONNS // len(paths)))
            self.assertEqual([s for s, _, _ in got], [200] * len(got))

    def test_change_log_read_once_per_commit(self):
        arts = self.published()
        aid, slug, _, cat = arts[7]
        paths = ("/", "/%s/" % slug, "/category/%s/" % cat, "/feed/")
        self.spread(paths)       # the process's first reading of the log is behind us
        before = self.stats()
        self.cli("article", "set", aid, "title", "عنوان أول %s" % uuid.uuid4().hex[:6])
        self.spread(paths)
        after = self.stats()
        self.assertEqual(after["changes_batches"] - before["changes_batches"], 1,
                         "one commit, %d workers: %s -> %s" % (self.THREADS, before, after))
        self.assertEqual(after["changes_drops"], before["changes_drops"], "a title change dropped everything")
        self.assertGreater(after["changes_last"], before["changes_last"])

        # several commits, each seen by a request before the next is made
        commits = 5
        before = self.stats()
        for i in range(commits):
            title = "عنوان رقم %d %s" % (i, uuid.uuid4().hex[:6])
            self.cli("article", "set", aid, "title", title)
            self.assertEqual(headline(parse_html(self.fetch("/%s/" % slug).text)), title)
        self.spread(paths)
        after = self.stats()
        self.assertEqual(after["changes_batches"] - before["changes_batches"], commits,
                         "%d commits: %s -> %s" % (commits, before, after))
        self.assertEqual(after["changes_drops"], before["changes_drops"])

    def test_thundering_herd(self):
        """A request that comes after the render is a hit, one that comes
        during it waits for it: either way, one render per round. How many
        wait depends on timing and is only reported."""
        self.cached("/")
        total_waits = 0
        for n in range(self.ROUNDS):
            # a setting the home page does not show: it drops every page all the same
            self.cli("settings", "set", "follow_x", "https://x.com/a%d" % n)
            before = self.stats()
            got = concurrent_gets(self.site.port, ["/"] * self.CONNS)
            after = self.stats()
            self.assertEqual([s for s, _, _ in got], [200] * self.CONNS, "round %d" % n)
            self.assertEqual(len(set(body for _, _, body in got)), 1, "round %d: different bodies" % n)
            misses = after["cache_misses"] - before["cache_misses"]
            waits = after["cache_waits"] - before["cache_waits"]
            total_waits += waits
            self.assertEqual(misses - waits, 1,
                             "round %d: %d renders of / for %d simultaneous requests (misses %d, waits %d)"
                             % (n, misses - waits, self.CONNS, misses, waits))
            self.assertEqual(sorted(x for _, x, _ in got), ["HIT"] * (self.CONNS - 1) + ["MISS"],
                             "round %d" % n)
        print("\n  thundering herd: %d rounds of %d requests, one render each, %d waited for it"
              % (self.ROUNDS, self.CONNS, total_waits), file=sys.stderr)


# -- cache keys ----------------------------------------------------------------
class QueryKeys(PipelineCase):

    def test_short_link_keys(self):
        (id1, slug1, _, _), (id2, slug2, _, _) = self.published()[2:4]
        first = {}
        for aid, slug in ((id1, slug1), (id2, slug2)):
            path = "/?p=%d" % aid
            a, b = self.site.get(path), self.site.get(path)
            self.assertEqual((a.status, b.status), (301, 301), path)
            self.assertEqual((self.xcache(a), self.xcache(b)), ("MISS", "HIT"), path)
            self.assertEqual(location_path(a), "/%s/" % slug)
            self.assertEqual(a.header("location"), b.header("location"))
            first[aid] = a.header("location")
        self.assertNotEqual(first[id1], first[id2])
        for variant in ("/?p=%d&utm_source=x" % id1, "/?utm_source=x&p=%d" % id1,
                        "/?utm_source=x&utm_medium=y&p=%d" % id1):
            r = self.site.get(variant)
            self.assertEqual(r.status, 301, variant)
            self.assertEqual(self.xcache(r), "HIT", variant)
            self.assertEqual(r.header("location"), first[id1], variant)

    def test_query_outside_the_key(self):
        home = self.cached("/")
        r = self.site.get("/?utm_source=newsletter")
        self.assertEqual((r.status, self.xcache(r)), (200, "HIT"))
        self.assertEqual(r.body, home.body)

    def test_session_cookie_bypasses(self):
        _, slug, _, _ = self.published()[1]
        for path in ("/", "/%s/" % slug):
            cached = self.cached(path)
            for cookie in ("nashra_session=x", "theme=dark; nashra_session=abc123"):
                for _ in range(2):
                    r = self.site.get(quote_path(path), {"Cookie": cookie})
                    self.assertEqual(r.status, 200)
                    self.assertEqual(self.xcache(r), "BYPASS", "%s with Cookie: %s" % (path, cookie))
            # another cookie is not a session
            r = self.site.get(quote_path(path), {"Cookie": "theme=dark"})
            self.assertEqual(self.xcache(r), "HIT")
            self.assertEqual(without_token(r.body), without_token(cached.body))
            self.assertEqual(self.xcache(self.fetch(path)), "HIT", "the bypass disturbed the entry")


# -- methods and request bodies --------------------------------------------------
def chunk_body(data, size=32768):
    """data in the chunked transfer coding."""
    return b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size])
                    for i in range(0, len(data), size)) + b"0\r\n\r\n"


class MethodsAndBodies(FastComments, PipelineCase):

    def article(self):
        for aid, slug, _, _ in self.published()[1:]:
            if self.site.query("SELECT comments_open FROM articles WHERE id=?", (aid,))[0][0]:
                return aid, slug
        self.fail("no article open to comments")

    def comment_count(self, aid):
        return self.ro_query("SELECT count(*) FROM comments WHERE article_id=?", (aid,))[0][0]

    def test_method_not_allowed(self):
        _, slug = self.article()
        r = self.site.request("POST", "/", {"Content-Type": FORM}, b"comment=x&author=y")
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("allow"), ALLOW_GET)
        self.assertEqual(self.xcache(r), "BYPASS")
        r = self.site.get(quote_path("/%s/comments" % slug))
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("allow"), "POST")
        self.assertEqual(self.xcache(r), "BYPASS")

    def test_body_over_route_limit(self):
        aid, slug = self.article()
        n = self.comment_count(aid)
        body = comment_form(self.site, slug, author="x", comment="a" * (70 * 1000))
        r = self.form_post(slug, body)
        self.assertEqual(r.status, 413)
        self.assertEqual(self.xcache(r), "BYPASS")
        self.assertEqual(self.comment_count(aid), n)

    def raw_post(self, slug, head, body=b""):
        """Send a POST head (and as much of body as the server takes) on a
        socket of its own; returns the status line of the answer."""
        s = socket.create_connection(("127.0.0.1", self.site.port), timeout=10)
        try:
            s.sendall(("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\n%s\r\n"
                       % (quote_path("/%s/comments" % slug), FORM, head)).encode("ascii"))
            try:
                for i in range(0, len(body), 65536):
                    s.sendall(body[i:i + 65536])
            except OSError:
                pass        # the server answered and closed before the end: read the answer
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
        return data.split(b"\r\n")[0].decode("latin-1")

    def test_body_over_server_limit(self):
        aid, slug = self.article()
        n = self.comment_count(aid)
        # refused on its Content-Length, before any byte of the body is
        # sent, past what the server holds for any route (the largest
        # route limit, an upload's 16 MiB, plus 2 MiB)
        status = self.raw_post(slug, "Content-Length: %d\r\n" % (18 * 1024 * 1024 + 4096))
        self.assertRegex(status, r"^HTTP/1\.[01] 413 ")
        # refused once more than 1 MiB has come in chunks (the same framing
        # of a small form is a comment like any other)
        chunked = "Transfer-Encoding: chunked\r\n"
        token = comment_token(self.site, slug)
        status = self.raw_post(slug, chunked, chunk_body(
            comment_form(self.site, slug, token, author="x", comment="a" * (1280 * 1024))))
        self.assertRegex(status, r"^HTTP/1\.[01] 413 ")
        self.assertEqual(self.comment_count(aid), n)
        status = self.raw_post(slug, chunked, chunk_body(
            comment_form(self.site, slug, token, author="x", comment="a" * 3000), size=1000))
        self.assertRegex(status, r"^HTTP/1\.[01] 303 ")
        self.assertEqual(self.comment_count(aid), n + 1)

    def test_urlencoded_and_multipart(self):
        aid, slug = self.article()
        text, name = "تعليق بصيغة متعددة الأجزاء %s" % uuid.uuid4().hex[:6], "كاتبة التعليق"
        boundary = "----nashra-e2e-%s" % uuid.uuid4().hex
        parts = [("comment", text), ("author", name), ("email", "writer@example.org"),
                 ("token", comment_token(self.site, slug))]
        body = "".join('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, k, v)
                       for k, v in parts) + "--%s--\r\n" % boundary
        r = self.form_post(slug, body.encode("utf-8"), "multipart/form-data; boundary=%s" % boundary)
        self.assertEqual(r.status, 303, r.body[:300])
        self.assertEqual(self.xcache(r), "BYPASS")
        self.assertEqual(location_path(r), "/%s/" % slug)
        rows = self.ro_query("SELECT id, body, author_name, author_email, status FROM comments"
                             " WHERE article_id=? ORDER BY id DESC LIMIT 1", (aid,))
        self.assertEqual([row[1:] for row in rows], [(text, name, "writer@example.org", "pending")])
        self.assertEqual(urllib.parse.urlsplit(r.header("location")).fragment, "comment-%d" % rows[0][0])

        text2 = "تعليق عادي: 100%% & أكثر %s" % uuid.uuid4().hex[:6]
        r = self.form_post(slug, comment_form(self.site, slug, comment=text2, author="قارئ"))
        self.assertEqual(r.status, 303)
        rows = self.ro_query("SELECT id, body, author_name, author_email FROM comments"
                             " WHERE article_id=? ORDER BY id DESC LIMIT 1", (aid,))
        self.assertEqual([row[1:] for row in rows], [(text2, "قارئ", None)])
        self.assertEqual(urllib.parse.urlsplit(r.header("location")).fragment, "comment-%d" % rows[0][0])

    def test_bad_encoding(self):
        aid, slug = self.article()
        n = self.comment_count(aid)
        # a good token beside them: the encoding alone is refused, with the
        # error page (a refused form would be the article page)
        token_field = comment_form(self.site, slug)
        for body in (b"comment=%zz&author=x", b"comment=abc&author=%D9", b"comment=%4&author=x"):
            r = self.form_post(slug, body + b"&" + token_field)
            self.assertEqual(r.status, 400, body)
            self.assertIsNotNone(parse_html(r.text).find("div", cls="error-page"), "%s: not the error page" % body)
        r = self.site.get("/%zz/")
        self.assertEqual(r.status, 400)
        self.assertEqual(self.comment_count(aid), n)

    def test_missing_fields(self):
        aid, slug = self.article()
        n = self.comment_count(aid)
        title = headline(parse_html(self.fetch("/%s/" % slug).text))
        token_field = comment_form(self.site, slug)
        # (body, the message at each field, what the form holds after: the
        # text as typed, trimmed)
        for body, errors, kept in (
                (b"author=x", {"comment": NEED_COMMENT}, ("", "x")),
                (b"comment=+++&author=x", {"comment": NEED_COMMENT}, ("", "x")),
                ("comment=نص".encode(), {"author": NEED_NAME}, ("نص", "")),
                (urllib.parse.urlencode({"comment": "نص", "author": " "}).encode(), {"author": NEED_NAME},
                 ("نص", "")),
                (b"comment=&author=", {"comment": NEED_COMMENT, "author": NEED_NAME}, ("", ""))):
            r = self.form_post(slug, body + b"&" + token_field)
            self.assertEqual(r.status, 422, body)
            self.assertEqual(self.xcache(r), "BYPASS")
            form = refused_form(r)
            self.assertEqual(headline(form["doc"]), title, "422 is not the article's page")
            self.assertEqual(form["errors"], errors, body)
            self.assertIsNone(form["message"], body)
            self.assertEqual((form["values"]["comment"], form["values"]["author"]), kept, body)
            self.assertTrue(form["token"], "the refused form carries no token to send it again")
        self.assertEqual(self.comment_count(aid), n)


# -- missing pages --------------------------------------------------------------
class SharedNotFound(PipelineCase):

    def test_shared_404_and_a_path_filled_later(self):
        paths = ["/e2e-missing-%s/" % uuid.uuid4().hex for _ in range(2)]
        responses = []
        for p in paths:
            r = self.site.get(p)
            self.assertEqual(r.status, 404, p)
            page = parse_html(r.text).find("div", cls="error-page")
            self.assertIsNotNone(page, "%s: not the error page" % p)
            self.assertEqual(page.find("h1").text.strip(), NOT_FOUND_TITLE)
            responses.append(r)
        self.assertEqual(self.xcache(responses[1]), "HIT", "the second missing path was rendered again")
        self.assertEqual(responses[0].body, responses[1].body)

        aid, _, title, _ = self.published()[10]
        new_slug = paths[0].strip("/")
        self.cli("article", "set", aid, "slug", new_slug)
        r = self.site.get(paths[0])
        self.assertEqual(r.status, 200, "%s after an article took that slug" % paths[0])
        self.assertEqual(headline(parse_html(r.text)), title)
        r = self.site.get(paths[1])
        self.assertEqual(r.status, 404)
        self.assertIn(NOT_FOUND_TITLE, r.text)


if __name__ == "__main__":
    unittest.main()
