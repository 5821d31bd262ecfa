"""Readers' comments end to end: real forms posted to POST /{slug}/comments
with the token read from the article page, and what the pages, the cache,
the cookies and `nashra comments DIR list` show afterwards.

  * Posting: 303 to the comment's anchor; with moderation `none` it is on
    the next GET of the article (never a stale cached copy) and counted,
    on the article and on its home-page card.
  * Holding: a held comment sets nashra_held, which alone shows the
    «awaiting moderation» notice; nothing is dropped from the cache.
    `new` approves at once a name and email that already have an
    approved comment, `all` never does; the block list and the link
    bound hold a comment whatever the mode.
  * Refusals: every wrong form comes back as the article page with its
    status, its message and everything typed kept (422, 400, 403, 409,
    429); a body that is not UTF-8 (400), too large (413) or aimed at an
    article that readers cannot see (404) gets the error page.
  * The form token: missing, altered or another article's (400), sent
    sooner than comment_min_seconds after it was issued (422), older than
    a day (422, with a token a server really issued under a clock set back
    by libfaketime); the honeypot (422, nothing stored); the rate limit
    (429 with Retry-After); duplicates (409).
  * Output: markup escaped, links with rel="nofollow ugc noopener", one
    paragraph a line, control characters removed; threads nested five
    levels at most; ?replytocom=N without JavaScript; 50 top-level
    comments a page (?cpage=N); the remember-me cookie.
  * Moderation from the command line: list, approve, spam, trash, delete,
    each seen on the next GET.

Most classes set comment_min_seconds to 0 and comment_rate_limit to 0
before their server starts, so that a token read from a page can be sent
at once; FormTiming keeps the default minimum and RateLimit the limit.
"""
import itertools
import os
import re
import time
import unittest
import urllib.parse
import uuid
import zlib

from nashra_e2e import (ServerTestCase, comment_token, page_token, parse_html, post_comment, quote_path,
                        refused_form, run_cli)

FORM = "application/x-www-form-urlencoded"
HELD_NOTICE = "تعليقك بانتظار المراجعة"
NEED_COMMENT = "من فضلك ادخل تعليقك"
NEED_NAME = "من فضلك ادخل اسمك هنا"
LONG_COMMENT = "التعليق أطول من 5000 حرف"
LONG_NAME = "الاسم أطول من 100 حرف"
BAD_EMAIL = "البريد الإلكتروني غير صحيح"
EXPIRED = "انتهت صلاحية النموذج"
TOO_FAST = "أُرسل النموذج بسرعة"
NO_PARENT = "التعليق الذي ترد عليه غير موجود"
CLOSED = "التعليقات مغلقة على هذا المقال"
DUPLICATE = "لقد أرسلت هذا التعليق من قبل"
TOO_MANY = "أرسلت تعليقات كثيرة في وقت قصير"
REPLY_TO = "رد على"
KEPT = ("comment", "author", "email", "parent", "remember")   # what a refused form keeps
MIN_SECONDS = 3             # comment_min_seconds by default
MAX_LEVELS = 5
PER_PAGE = 50               # top-level comments on one comment page
FRESH = object()            # post(): read a token from the article page first
LIST_LINE = re.compile(r"^(\d+)\t([^\t]+)\t([^\t]*)\t(\d{4}-\d\d-\d\d \d\d:\d\d)\t"
                       r"(pending|approved|spam|trash)\t(.*)$")
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
DAY = 86400


def form_body(fields):
    """fields (dict; None values left out) as an urlencoded UTF-8 body."""
    return urllib.parse.urlencode({k: v for k, v in fields.items() if v is not None}).encode("utf-8")


def multipart_body(fields, boundary):
    return ("".join('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, k, v)
                    for k, v in fields.items()) + "--%s--\r\n" % boundary).encode("utf-8")


def cookie_named(r, name):
    """(value, {attribute: value}) of the Set-Cookie of name in r, or None.
    Attribute names are lower-cased; flags (HttpOnly) map to ""."""
    for line in r.header_values("set-cookie"):
        parts = [p.strip() for p in line.split(";")]
        k, _, v = parts[0].partition("=")
        if k == name:
            attrs = {}
            for p in parts[1:]:
                ak, _, av = p.partition("=")
                attrs[ak.lower()] = av
            return v, attrs
    return None


def comment_level(li):
    """1 for a top-level comment, 2 for a reply to one, and so on."""
    return 1 + sum(1 for a in li.ancestors() if a.tag == "ol" and "children" in a.classes())


def top_level_ids(doc):
    """Ids of the top-level comments shown, in page order."""
    return [int(li.get("id").split("-")[1]) for li in doc.find_all("li", cls="comment")
            if comment_level(li) == 1]


def comment_text(li):
    """The text of a comment, its paragraphs joined by newlines."""
    box = li.find("div", cls="comment-text")
    return "\n".join(p.text for p in box.find_all("p")) if box is not None else None


def shown_text(node):
    """The text of node without its hidden parts, white space folded."""
    out = []
    for c in node.children:
        if isinstance(c, str):
            out.append(c)
        elif not c.has("hidden"):
            out.append(shown_text(c))
    return " ".join("".join(out).split())


def href_path(href):
    """The decoded path of a link or Location, absolute or not."""
    return urllib.parse.unquote(urllib.parse.urlsplit(href or "").path)


def cookie_header(*pairs):
    return {"Cookie": "; ".join("%s=%s" % p for p in pairs)}


class CommentCase(ServerTestCase):
    """A demo site whose server starts with the settings of the class, and
    the helpers every class below uses."""
    settings = {"comment_min_seconds": "0", "comment_rate_limit": "0"}
    _serial = itertools.count(1)
    held_cookies = {}   # comment id -> the nashra_held value its post set

    @classmethod
    def prepare_site(cls, site):
        for key, value in cls.settings.items():
            r = run_cli("settings", site.dir, "set", key, value)
            if r.returncode != 0:
                raise AssertionError("nashra settings set %s: %s" % (key, r.stderr))

    # -- the site -----------------------------------------------------------
    def cli(self, *args):
        """`nashra CMD DIR ARGS...` (args[0] is CMD); it must succeed. Returns stdout."""
        r = run_cli(args[0], self.site.dir, *[str(a) for a in args[1:]])
        self.assertEqual(r.returncode, 0, "nashra %s: %s" % (" ".join(map(str, args)), r.stderr))
        return r.stdout

    def unique(self, text):
        """text made unique in this run (the duplicate rule sees every test's
        comments: they all come from 127.0.0.1)."""
        return "%s %d%s" % (text, next(self._serial), uuid.uuid4().hex[:6])

    def new_article(self, slug=None, **kw):
        """A new published article open to comments; (id, slug)."""
        slug = slug or self.unique("e2e-comments").replace(" ", "-")
        return self.site.add_article(slug, self.unique("مقال للتعليقات"), **kw), slug

    def stored(self, aid):
        """How many comments the article has in the database, any status."""
        return self.site.query("SELECT count(*) FROM comments WHERE article_id=?", (aid,))[0][0]

    def status_of(self, cid):
        rows = self.site.query("SELECT status FROM comments WHERE id=?", (cid,))
        return rows[0][0] if rows else None

    def listed(self, *args):
        """`nashra comments DIR list ARGS`: {id: (slug, author, date, status, text)},
        every line checked against the documented format."""
        out = {}
        for line in self.cli("comments", "list", *args).splitlines():
            m = LIST_LINE.match(line)
            self.assertIsNotNone(m, "comments list line not ID\\tSLUG\\tAUTHOR\\tDATE\\tSTATUS\\tTEXT: %r" % line)
            # the first 60 characters, and an ellipsis where the text goes on
            self.assertLessEqual(len(m.group(6).rstrip("…")), 60, line)
            out[int(m.group(1))] = m.groups()[1:]
        return out

    # -- pages --------------------------------------------------------------
    def article(self, slug, query="", headers=None, status=200):
        """GET /{slug}/ (+ query); must answer status. Returns (response, tree)."""
        r = self.site.get(quote_path("/%s/" % slug) + query, headers)
        self.assertEqual(r.status, status, "GET /%s/%s -> %d" % (slug, query, r.status))
        return r, parse_html(r.text)

    def cached_article(self, slug):
        """The article page once it is in the cache (the second GET a hit)."""
        self.article(slug)
        r, doc = self.article(slug)
        self.assertEqual(r.header("x-cache"), "HIT", "second GET of /%s/" % slug)
        return r, doc

    def form_token(self, body):
        """The form token of a page (its one hidden input tied to the
        comment form, at the end of the body); it must have one."""
        token = page_token(body)
        self.assertTrue(token, "no form token")
        return token

    def token(self, slug):
        return comment_token(self.site, slug)

    def count(self, doc):
        """The approved-comment count the article page shows."""
        return int(doc.find("h2", id="comments-title").find("span", cls="comment-count").text.strip())

    def comment(self, doc, cid):
        return doc.find("li", cls="comment", id="comment-%d" % cid)

    def form_values(self, r):
        """What the comment form of an article page holds: comment, author,
        email, parent, remember (True when ticked)."""
        return refused_form(r)["values"]

    # -- posting ------------------------------------------------------------
    def post(self, slug, fields, token=FRESH, headers=None, body=None, content_type=FORM):
        """POST the comment form of /{slug}/: fields with the token (FRESH:
        read from the article page now; None: none sent), or body as given."""
        if body is None:
            body = form_body(dict(fields, token=self.token(slug) if token is FRESH else token))
        if headers is None:
            return post_comment(self.site, slug, body, content_type)
        return self.site.request("POST", quote_path("/%s/comments" % slug),
                                 dict(headers, **{"Content-Type": content_type}), body)

    def written(self, fields):
        """A reader's comment form: fields over unique defaults."""
        return dict({"comment": self.unique("تعليق قارئ"), "author": "قارئ", "email": "reader@example.org"},
                    **fields)

    def assert_stored(self, r, slug, cpage=None):
        """A 303 to /{slug}/[?cpage=P]#comment-N, not to be cached; returns N."""
        self.assertEqual(r.status, 303, "POST /%s/comments -> %d: %s" % (slug, r.status, r.body[:600]))
        loc = urllib.parse.urlsplit(r.header("location", ""))
        self.assertEqual(href_path(r.header("location")), "/%s/" % slug)
        self.assertEqual(loc.query, "cpage=%d" % cpage if cpage else "")
        m = re.fullmatch(r"comment-(\d+)", loc.fragment)
        self.assertIsNotNone(m, "Location %s" % r.header("location"))
        self.assertEqual(r.header("cache-control"), "no-store")
        return int(m.group(1))

    def assert_held_cookie(self, r, cid):
        held = cookie_named(r, "nashra_held")
        self.assertIsNotNone(held, "no nashra_held cookie: %s" % r.header_values("set-cookie"))
        # the id, signed: nobody learns which comments wait by trying ids
        self.assertRegex(held[0], r"^%d\.\d+\.[A-Za-z0-9_-]+$" % cid)
        self.assertEqual(held[1], {"path": "/", "max-age": "600", "httponly": "", "samesite": "Lax"})
        self.held_cookies[cid] = held[0]

    def post_approved(self, slug, fields=None, token=FRESH, cpage=None):
        """Post a comment that must be shown at once; returns its id."""
        r = self.post(slug, self.written(fields or {}), token)
        cid = self.assert_stored(r, slug, cpage)
        self.assertIsNone(cookie_named(r, "nashra_held"), "an approved comment set nashra_held")
        self.assertEqual(self.status_of(cid), "approved")
        return cid

    def post_held(self, slug, fields=None):
        """Post a comment that must be held; returns its id."""
        r = self.post(slug, self.written(fields or {}))
        cid = self.assert_stored(r, slug)
        self.assert_held_cookie(r, cid)
        self.assertEqual(self.status_of(cid), "pending")
        return cid

    def assert_refused(self, r, status, typed, message=None, errors=None):
        """The article page again with status: message in the form's alert,
        errors ({field: text}) beside their fields and no other field's error
        shown, everything typed still in the form."""
        self.assertEqual(r.status, status, "want %d, got %d: %s" % (status, r.status, r.body[:600]))
        form = refused_form(r)
        if message is not None:     # "": any message
            self.assertIsNotNone(form["message"], "no p.form-message (want %s)" % message)
            self.assertEqual(form["doc"].find("p", cls="form-message").get("role"), "alert")
            self.assertIn(message, form["message"])
            self.assertTrue(form["message"], "empty p.form-message")
        self.assertEqual(form["errors"], errors or {}, "the messages at the fields")
        for field, value in typed.items():
            if field in KEPT and value is not None:
                want = value == "1" if field == "remember" else str(value).strip()
                got = form["values"][field]
                self.assertEqual(got.strip() if isinstance(got, str) else got, want, "%s not kept" % field)
        self.assertTrue(form["token"], "no fresh form token")

    def assert_error_page(self, r, status):
        """Not the article page: the error page for status."""
        self.assertEqual(r.status, status, r.body[:600])
        self.assertIsNotNone(parse_html(r.text).find("div", cls="error-page"), "not the error page")

    def assert_nothing_stored(self, aid, before, listing=None):
        self.assertEqual(self.stored(aid), before, "a refused comment was stored")
        if listing is not None:
            self.assertEqual(self.listed(), listing, "comments list changed")

    def post_again_as_known(self):
        """A comment by a name and email, approved from the command line,
        then a second one by the same name and email: returns the second's
        response and the article's slug."""
        _, slug = self.new_article()
        who = {"author": self.unique("قارئة"), "email": "%s@example.org" % uuid.uuid4().hex[:8]}
        first = self.post_held(slug, who)
        self.cli("comments", "approve", first)
        self.assertEqual(self.status_of(first), "approved")
        return self.post(slug, self.written(who)), slug, who


# -- moderation none: what a reader posts is shown at once ------------------------
class Posting(CommentCase):
    settings = dict(CommentCase.settings, comment_moderation="none",
                    comment_blocklist="قمار\nCASINO", comment_max_links="1")

    def card_count(self, doc, slug):
        """The comment count on the home-page card of the article (a card
        says nothing of comments while there are none)."""
        for card in doc.find_all("li", cls="card"):
            if any(href_path(a.get("href")) == "/%s/" % slug for a in card.find_all("a", cls="card-title")):
                count = card.find("a", cls="card-comments")
                if count is None:
                    return 0
                self.assertEqual(href_path(count.get("href")), "/%s/" % slug)
                self.assertEqual(urllib.parse.urlsplit(count.get("href")).fragment, "comments")
                return int(re.search(r"\d+", count.text).group())
        self.fail("no card of /%s/ on the home page" % slug)

    def test_valid_post_is_shown_at_once(self):
        _, slug = self.new_article(slug=self.unique("تعليق-مقبول").replace(" ", "-"))
        _, doc = self.cached_article(slug)
        before = self.count(doc)
        self.site.get("/")
        home = self.site.get("/")
        self.assertEqual(home.header("x-cache"), "HIT")
        home_before = self.card_count(parse_html(home.text), slug)
        fields = self.written({"author": "سلمى", "comment": self.unique("تعليق مقبول")})
        r = self.post(slug, fields)
        cid = self.assert_stored(r, slug)
        self.assertIsNone(cookie_named(r, "nashra_held"))
        self.assertEqual(self.status_of(cid), "approved")
        r, doc = self.article(slug)
        self.assertNotEqual(r.header("x-cache"), "HIT", "the article page was served from the cache")
        li = self.comment(doc, cid)
        self.assertIsNotNone(li, "comment %d not on the page" % cid)
        self.assertEqual(li.find(cls="comment-author").text.strip(), "سلمى")
        self.assertEqual(comment_text(li), fields["comment"])
        self.assertNotIn("reader@example.org", r.text, "the email is shown")
        when = li.find("time")
        self.assertRegex(when.get("datetime", ""), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$")
        self.assertIn(when.get("datetime")[11:16], when.text, "the time of day is shown")
        self.assertEqual(self.count(doc), before + 1)
        self.assertIsNone(doc.find("p", cls="comment-notice"))
        home = self.site.get("/")
        self.assertEqual(self.card_count(parse_html(home.text), slug), home_before + 1,
                         "home page card (X-Cache: %s)" % home.header("x-cache"))
        self.assertNotEqual(home.header("x-cache"), "HIT", "the home page was served from the cache")

    def test_multipart_form(self):
        _, slug = self.new_article()
        fields = self.written({"token": self.token(slug)})
        boundary = "----nashra-e2e-%s" % uuid.uuid4().hex
        r = self.post(slug, None, body=multipart_body(fields, boundary),
                      content_type="multipart/form-data; boundary=%s" % boundary)
        cid = self.assert_stored(r, slug)
        self.assertEqual(comment_text(self.comment(self.article(slug)[1], cid)), fields["comment"])

    def test_token_from_a_gzip_page(self):
        """The token of a compressed page, rendered or from the cache, is
        as good as any."""
        _, slug = self.new_article()
        tokens = []
        for want in ("MISS", "HIT"):
            r = self.site.get(quote_path("/%s/" % slug), {"Accept-Encoding": "gzip"})
            self.assertEqual((r.status, r.header("content-encoding"), r.header("x-cache")), (200, "gzip", want))
            tokens.append(self.form_token(zlib.decompress(r.body, 16 + zlib.MAX_WBITS)))
        for token in tokens:
            self.post_approved(slug, token=token)

    def test_hostile_markup_is_text(self):
        _, slug = self.new_article()
        evil = "<script>alert(1)</script>"
        fields = self.written({"author": evil, "comment": self.unique('<b onclick="x()">عريض</b> ' + evil)})
        cid = self.post_approved(slug, fields)
        r, doc = self.article(slug)
        li = self.comment(doc, cid)
        self.assertEqual(li.find(cls="comment-author").text.strip(), evil)
        self.assertEqual(comment_text(li), fields["comment"])
        self.assertEqual(li.find_all("script") + li.find_all("b", onclick="x()"), [])
        for s in doc.find_all("script"):
            self.assertNotIn("alert(1)", s.text, "a script element from the comment")
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", r.text)

    def test_links_and_paragraphs(self):
        _, slug = self.new_article()
        url = "https://example.org/%s?a=1&b=2" % uuid.uuid4().hex[:8]
        first, second = "السطر الأول فيه رابط %s هنا" % url, self.unique("السطر الثاني")
        cid = self.post_approved(slug, {"comment": first + "\r\n" + second})
        li = self.comment(self.article(slug)[1], cid)
        paras = li.find("div", cls="comment-text").find_all("p")
        self.assertEqual([p.text for p in paras], [first, second])
        links = paras[0].find_all("a")
        self.assertEqual(len(links), 1)
        self.assertEqual(links[0].get("href"), url)
        self.assertEqual(links[0].get("rel"), "nofollow ugc noopener")
        self.assertEqual(links[0].text, url)

    def assert_controls_removed(self, text, name):
        """text and name, each with control characters in it, are posted,
        stored and shown without them."""
        _, slug = self.new_article()
        cid = self.post_approved(slug, {"comment": text, "author": name})
        clean = [re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", s) for s in (text, name)]
        li = self.comment(self.article(slug)[1], cid)
        self.assertEqual([comment_text(li), li.find(cls="comment-author").text.strip()], clean)
        self.assertEqual(self.site.query("SELECT body, author_name FROM comments WHERE id=?", (cid,)),
                         [tuple(clean)])

    def test_control_characters_removed(self):
        """C0 controls (but line breaks and tabs in the text)."""
        self.assert_controls_removed(self.unique("نص\x01 فيه\x1b محارف\x08 تحكم"), "اسم\x02 القارئ\x1f")

    def test_delete_and_c1_controls_removed(self):
        self.assert_controls_removed(self.unique("نص\x7f فيه محارف\u009b تحكم\u0090"), "اسم\x7f القارئ\u0081")

    def test_longest_name_and_comment_accepted(self):
        _, slug = self.new_article()
        name = ("ن" * 99) + "ع"
        text = self.unique("ت")
        text += "ك" * (5000 - len(text))
        cid = self.post_approved(slug, {"author": name, "comment": text})
        li = self.comment(self.article(slug)[1], cid)
        self.assertEqual(li.find(cls="comment-author").text.strip(), name)
        self.assertEqual(comment_text(li), text)

    def test_invalid_fields_keep_what_was_typed(self):
        aid, slug = self.new_article()
        parent = self.post_approved(slug)
        long_text = "ط" * 5001
        cases = [
            ({"comment": ""}, {"comment": NEED_COMMENT}),
            ({"author": ""}, {"author": NEED_NAME}),
            ({"comment": "", "author": ""}, {"comment": NEED_COMMENT, "author": NEED_NAME}),
            ({"comment": " \r\n\t  "}, {"comment": NEED_COMMENT}),
            ({"author": "  \t "}, {"author": NEED_NAME}),
            ({"author": "ن" * 101}, {"author": LONG_NAME}),
            ({"comment": long_text}, {"comment": LONG_COMMENT}),
            ({"email": "reader.example.org"}, {"email": BAD_EMAIL}),
            ({"email": "قارئ@"}, {"email": BAD_EMAIL}),
            ({"comment": "", "parent": str(parent)}, {"comment": NEED_COMMENT}),
            ({"author": "", "remember": "1"}, {"author": NEED_NAME}),
        ]
        before = self.stored(aid)
        token = self.token(slug)
        for change, errors in cases:
            with self.subTest(change=str(change)[:80]):
                fields = self.written(change)
                self.assert_refused(self.post(slug, fields, token), 422, fields, errors=errors)
        self.assert_nothing_stored(aid, before)

    def test_not_utf8_and_too_large(self):
        aid, slug = self.new_article()
        before = self.stored(aid)
        token = urllib.parse.quote(self.token(slug))
        r = self.post(slug, None, body=b"comment=%D9%85%FF%FE&author=x&token=" + token.encode())
        self.assert_error_page(r, 400)
        r = self.post(slug, None, body=b"comment=\xd9\x85\xff&author=x&token=" + token.encode())
        self.assert_error_page(r, 400)
        r = self.post(slug, self.written({"comment": "ك" * (40 * 1024)}))
        self.assertEqual(r.status, 413)
        self.assert_nothing_stored(aid, before)

    def test_articles_readers_cannot_see(self):
        """404 for a slug that names no article, a draft, a scheduled
        article and a deleted one, each with a token the article's page
        gave while it was shown."""
        cases = []
        for change in ("slug", "draft", "scheduled", "deleted"):
            aid, slug = self.new_article()
            cases.append((change, aid, slug, self.token(slug)))
        for change, aid, slug, token in cases:
            with self.subTest(change=change):
                if change == "slug":
                    self.cli("article", "set", aid, "slug", slug + "-renamed")
                elif change == "draft":
                    self.cli("article", "set", aid, "status", "draft")
                elif change == "scheduled":
                    self.site.execute("UPDATE articles SET published_at=? WHERE id=?",
                                      (int(time.time()) + DAY, aid))
                else:
                    self.site.execute("DELETE FROM articles WHERE id=?", (aid,))
                self.assert_error_page(self.post(slug, self.written({}), token), 404)
                self.assertEqual(self.stored(aid), 0)

    def test_parent_must_be_approved_on_this_article(self):
        aid, slug = self.new_article()
        _, other = self.new_article()
        elsewhere = self.post_approved(other)
        pending = self.site.add_comment(aid, "منتظر", "تعليق في الانتظار", status="pending")
        spam = self.site.add_comment(aid, "مزعج", "تعليق مزعج", status="spam")
        before = self.stored(aid)
        token = self.token(slug)
        for parent in (elsewhere, pending, spam, 999999999):
            with self.subTest(parent=parent):
                fields = self.written({"parent": str(parent)})
                # the text kept, the reply to nothing dropped
                self.assert_refused(self.post(slug, fields, token), 400, dict(fields, parent=None), NO_PARENT)
        self.assert_nothing_stored(aid, before)

    def test_comments_closed(self):
        aid, slug = self.new_article()
        token = self.token(slug)
        self.cli("article", "set", aid, "comments", "closed")
        fields = self.written({})
        r = self.post(slug, fields, token)
        self.assertEqual(r.status, 403)
        doc = parse_html(r.text)
        self.assertIsNone(doc.find("form", id="comment-form"), "a closed article offers its form")
        alert = doc.find("p", cls="form-message")
        self.assertIsNotNone(alert, "no message on the 403 page")
        self.assertEqual(alert.text.strip(), CLOSED)
        kept = doc.find("textarea", id="comment-kept")
        self.assertIsNotNone(kept, "the text typed is not on the 403 page")
        self.assertEqual(kept.text.strip(), fields["comment"].strip())
        self.assertEqual(self.stored(aid), 0)
        self.cli("article", "set", aid, "comments", "open")
        self.assert_stored(self.post(slug, fields, token), slug)

    def test_token_refusals(self):
        aid, slug = self.new_article()
        _, other = self.new_article()
        token, other_token = self.token(slug), self.token(other)
        parts = token.split(".")
        self.assertEqual(len(parts), 3, "token %r is not ARTICLEID.ISSUED.MAC" % token)
        self.assertEqual(parts[0], str(aid))
        mac = parts[2]
        flipped = mac[:-2] + ("A" if mac[-2] != "A" else "B") + mac[-1]
        bad = {
            "missing": None,
            "empty": "",
            "garbage": "not-a-token",
            "another article's": other_token,
            "MAC altered": ".".join(parts[:2] + [flipped]),
            "MAC cut": ".".join(parts[:2] + [mac[:-4]]),
            "issue time altered": ".".join([parts[0], str(int(parts[1]) - 1) if parts[1].isdigit()
                                            else parts[1][:-1] + "0", mac]),
            "article id altered": ".".join([str(int(other_token.split(".")[0]))] + parts[1:]),
            "MAC of another token": ".".join(parts[:2] + [other_token.split(".")[2]]),
        }
        before = self.stored(aid)
        for name, value in bad.items():
            with self.subTest(token=name):
                fields = self.written({})
                self.assert_refused(self.post(slug, fields, value), 400, fields, "")
        self.assert_nothing_stored(aid, before)
        self.assert_stored(self.post(slug, self.written({}), token), slug)

    def test_honeypot(self):
        aid, slug = self.new_article()
        _, doc = self.article(slug)
        trap = doc.find("input", name="website")
        self.assertIsNotNone(trap, "no honeypot input")
        self.assertEqual(trap.get("tabindex"), "-1")
        self.assertEqual(trap.get("autocomplete"), "off")
        listing, before = self.listed(), self.stored(aid)
        fields = self.written({"website": "https://spam.example/"})
        self.assert_refused(self.post(slug, fields), 422, fields, "")
        self.assert_nothing_stored(aid, before, listing)

    def test_duplicates(self):
        _, slug = self.new_article()
        _, other = self.new_article()
        fields = self.written({})
        self.post_approved(slug, fields)
        self.assert_refused(self.post(slug, fields), 409, fields, DUPLICATE)
        someone = dict(fields, author=self.unique("قارئ آخر"), email="other@example.org")
        self.assert_refused(self.post(slug, someone), 409, someone, DUPLICATE)
        self.post_approved(other, fields)

    def test_reply_nests_under_its_parent(self):
        _, slug = self.new_article()
        top = self.post_approved(slug)
        reply = self.post_approved(slug, {"parent": str(top)})
        doc = self.article(slug)[1]
        li = self.comment(doc, reply)
        self.assertEqual(comment_level(li), 2)
        ol = li.parent
        self.assertEqual((ol.tag, ol.classes()), ("ol", ["children"]))
        self.assertEqual(ol.parent.get("id"), "comment-%d" % top)
        self.assertEqual(top_level_ids(doc), [top])

    def test_threads_stop_at_five_levels(self):
        _, slug = self.new_article()
        chain = [self.post_approved(slug)]
        for _ in range(7):
            chain.append(self.post_approved(slug, {"parent": str(chain[-1])}))
        doc = self.article(slug)[1]
        levels = [comment_level(self.comment(doc, cid)) for cid in chain]
        self.assertEqual(levels, [1, 2, 3, 4, 5, 5, 5, 5])
        deepest = self.comment(doc, chain[4])
        for cid in chain[5:]:
            li = self.comment(doc, cid)
            self.assertIs(li.parent, deepest.parent, "comment %d not beside the fifth level" % cid)
        ids = [int(li.get("id").split("-")[1]) for li in doc.find_all("li", cls="comment")]
        self.assertEqual(ids, chain, "oldest first")

    def test_reply_without_javascript(self):
        _, slug = self.new_article()
        name = self.unique("صاحب التعليق")
        top = self.post_approved(slug, {"author": name})
        r, doc = self.article(slug)
        link = self.comment(doc, top).find("a", href="/%s/?replytocom=%d#respond" % (slug, top))
        self.assertIsNotNone(link, "no reply link")
        self.assertEqual(link.text.strip(), "رد")
        respond = doc.find("section", id="respond")
        self.assertNotIn(REPLY_TO, shown_text(respond))
        self.assertEqual(self.form_values(r)["parent"], "")
        for i in range(2):
            r, doc = self.article(slug, "?replytocom=%d" % top)
            self.assertNotEqual(r.header("x-cache"), "HIT", "GET %d of ?replytocom= served from the cache" % (i + 1))
            self.assertEqual(r.header("x-cache"), "BYPASS")
            self.assertIn("%s %s" % (REPLY_TO, name), shown_text(doc.find("section", id="respond")))
            self.assertEqual(self.form_values(r)["parent"], str(top))
            robots = doc.find("meta", name="robots")
            self.assertIsNotNone(robots, "no robots meta")
            self.assertIn("noindex", robots.get("content"))
        reply = self.post_approved(slug, {"parent": str(top)}, token=self.form_token(r.body))
        self.assertEqual(comment_level(self.comment(self.article(slug)[1], reply)), 2)
        # the form's reply line, hidden until a reply is chosen, names nobody yet
        name_box = respond.find(id="reply-name")
        self.assertNotEqual(name_box.text.strip() if name_box else "", "false", "a boolean shown as the name")

    def post_threads(self, slug, n):
        """n approved top-level comments, posted one after the other with
        one token; their ids."""
        token = self.token(slug)
        return [self.post_approved(slug, token=token) for _ in range(n)]

    def assert_comment_pages(self, slug, pages):
        """pages: the top-level comment ids each comment page shows, in
        order; every page's canonical URL is the article's, and page 1
        links to page 2 when there is one."""
        for number, ids in enumerate(pages, 1):
            _, doc = self.article(slug, "?cpage=%d" % number if number > 1 else "")
            self.assertEqual(top_level_ids(doc), ids, "comment page %d" % number)
            canonical = doc.find("link", rel="canonical").get("href")
            self.assertEqual(href_path(canonical), "/%s/" % slug)
            self.assertEqual(urllib.parse.urlsplit(canonical).query, "")
            if number == 1 and len(pages) > 1:
                self.assertTrue([a for a in doc.find_all("a") if "cpage=2" in a.get("href", "")],
                                "no link to comment page 2")

    def test_comment_pages(self):
        _, slug = self.new_article()
        threads = self.post_threads(slug, PER_PAGE)
        reply = self.post_approved(slug, {"parent": str(threads[0])})
        last = self.post_approved(slug, cpage=2)
        self.assert_comment_pages(slug, [threads, [last]])
        _, doc = self.article(slug)
        self.assertEqual(self.count(doc), PER_PAGE + 2)
        self.assertEqual(comment_level(self.comment(doc, reply)), 2)
        self.assertEqual(self.comment(self.article(slug, "?cpage=2")[1], last).find(cls="comment-author").text, "قارئ")

    def test_comment_pages_hold_fifty_shown_threads(self):
        """A held top-level comment takes no place on a comment page: 50
        approved ones after it are all on page 1."""
        _, slug = self.new_article()
        self.post_held(slug, {"comment": self.unique("إعلان قمار")})
        threads = self.post_threads(slug, PER_PAGE - 1)
        r = self.post(slug, self.written({}))
        threads.append(self.assert_stored(r, slug))
        self.assert_comment_pages(slug, [threads])

    def test_remember_me(self):
        _, slug = self.new_article()
        who = {"author": self.unique("قارئ يتذكر"), "email": "remember@example.org"}
        r = self.post(slug, self.written(dict(who, remember="1")))
        self.assert_stored(r, slug)
        kept = cookie_named(r, "nashra_commenter")
        self.assertIsNotNone(kept, "no nashra_commenter cookie")
        self.assertEqual(kept[1], {"path": "/", "max-age": "31536000", "httponly": "", "samesite": "Lax"})
        self.article(slug)
        r, _ = self.article(slug, headers=cookie_header(("nashra_commenter", kept[0])))
        self.assertEqual(r.header("x-cache"), "BYPASS")
        state = self.form_values(r)
        self.assertEqual((state["author"], state["email"], state["remember"]), (who["author"], who["email"], True))
        r, _ = self.article(slug)
        self.assertEqual(self.form_values(r)["author"], "", "a name filled in for everyone")
        r = self.post(slug, self.written(who), headers=cookie_header(("nashra_commenter", kept[0])))
        self.assert_stored(r, slug)
        cleared = cookie_named(r, "nashra_commenter")
        self.assertIsNotNone(cleared, "nashra_commenter not cleared")
        self.assertEqual(cleared[1].get("max-age"), "0")

    def test_blocklist_holds(self):
        aid, slug = self.new_article()
        _, doc = self.cached_article(slug)
        for change in ({"comment": self.unique("هذا إعلان عن القِمَار")},
                       {"comment": self.unique("best Casino online")},
                       {"author": "موقع قمـار"}):
            with self.subTest(change=change):
                cid = self.post_held(slug, change)
                self.assertIsNone(self.comment(self.article(slug)[1], cid))
        self.assertEqual(self.count(self.article(slug)[1]), self.count(doc))

    def test_too_many_links_held(self):
        _, slug = self.new_article()
        cid = self.post_held(slug, {"comment": self.unique("https://a.example/ و https://b.example/")})
        self.assertIsNone(self.comment(self.article(slug)[1], cid))


# -- moderation new (the default): held until approved -------------------------------
class Held(CommentCase):

    def test_held_comment_notice_and_cache(self):
        _, slug = self.new_article()
        _, other = self.new_article()
        _, doc = self.cached_article(slug)
        count = self.count(doc)
        cid = self.post_held(slug)
        r, doc = self.article(slug, headers=cookie_header(("nashra_held", self.held_cookies[cid])))
        self.assertEqual(r.header("x-cache"), "BYPASS")
        notice = doc.find("p", cls="comment-notice")
        self.assertIsNotNone(notice, "no notice for the held comment")
        self.assertEqual(notice.get("role"), "status")
        self.assertEqual(notice.text.strip(), HELD_NOTICE)
        self.assertIsNone(self.comment(doc, cid))
        r, doc = self.article(other, headers=cookie_header(("nashra_held", self.held_cookies[cid])))
        self.assertIsNone(doc.find("p", cls="comment-notice"), "the notice on another article")
        for forged in (str(cid), self.held_cookies[cid][:-2] + "AA"):
            r, doc = self.article(slug, headers=cookie_header(("nashra_held", forged)))
            self.assertIsNone(doc.find("p", cls="comment-notice"), "the notice for an unsigned %r" % forged)
        r, doc = self.article(slug)
        self.assertEqual(r.header("x-cache"), "HIT", "a held comment dropped the article page")
        self.assertNotIn(HELD_NOTICE, r.text)
        self.assertIsNone(self.comment(doc, cid))
        self.assertEqual(self.count(doc), count)

    def test_known_commenter_approved_at_once(self):
        r, slug, who = self.post_again_as_known()
        cid = self.assert_stored(r, slug)
        self.assertIsNone(cookie_named(r, "nashra_held"))
        self.assertEqual(self.status_of(cid), "approved")
        self.assertIsNotNone(self.comment(self.article(slug)[1], cid))
        self.post_held(slug, dict(who, email="another@example.org"))
        self.post_held(slug, dict(who, author=self.unique("اسم آخر")))

    def test_moderation_from_the_command_line(self):
        aid, slug = self.new_article()
        _, doc = self.cached_article(slug)
        count = self.count(doc)
        text = self.unique("تعليق للمراجعة من سطر الأوامر " + "ر" * 70)
        cid = self.post_held(slug, {"comment": text, "author": "مراجَع"})
        line = self.listed("--status", "pending")[cid]
        self.assertEqual(line[:2], (slug, "مراجَع"))
        self.assertEqual(line[3:], ("pending", text[:60] + "…"))
        offset = int(self.site.query("SELECT value FROM settings WHERE key='timezone_offset'")[0][0])
        created = self.site.query("SELECT created_at FROM comments WHERE id=?", (cid,))[0][0]
        self.assertIn(line[2], [time.strftime("%Y-%m-%d %H:%M", time.gmtime(created + o)) for o in (0, offset)])
        self.assertNotIn(cid, self.listed("--status", "approved"))
        self.assertIn(cid, self.listed())
        self.site.execute("UPDATE comments SET created_at = created_at - 60 WHERE id=?", (cid,))
        newer = self.post_held(slug)
        ids = list(self.listed("--status", "pending"))
        self.assertLess(ids.index(newer), ids.index(cid), "newest first")
        created = [self.site.query("SELECT created_at FROM comments WHERE id=?", (i,))[0][0] for i in ids]
        self.assertEqual(created, sorted(created, reverse=True), "newest first")
        for verb, status, shown in (("approve", "approved", True), ("spam", "spam", False),
                                    ("approve", "approved", True), ("trash", "trash", False)):
            with self.subTest(verb=verb):
                self.cached_article(slug)
                self.cli("comments", verb, cid)
                self.assertIn(cid, self.listed("--status", status))
                r, doc = self.article(slug)
                self.assertNotEqual(r.header("x-cache"), "HIT", "stale page after %s" % verb)
                self.assertEqual(self.comment(doc, cid) is not None, shown)
                self.assertEqual(self.count(doc), count + shown)
        self.cli("comments", "delete", cid)
        self.assertNotIn(cid, self.listed())
        self.assertIsNone(self.status_of(cid))


class HeldAll(CommentCase):
    settings = dict(CommentCase.settings, comment_moderation="all")

    def test_everyone_is_held(self):
        r, slug, _ = self.post_again_as_known()
        cid = self.assert_stored(r, slug)
        self.assert_held_cookie(r, cid)
        self.assertEqual(self.status_of(cid), "pending")
        r, doc = self.article(slug, headers=cookie_header(("nashra_held", self.held_cookies[cid])))
        self.assertEqual(doc.find("p", cls="comment-notice").text.strip(), HELD_NOTICE)


# -- the form token in time ---------------------------------------------------
class FormTiming(CommentCase):
    settings = {"comment_rate_limit": "0"}

    def test_too_fast_then_accepted(self):
        """Sent sooner than comment_min_seconds after the page: 422, text
        kept. The same token once that time has passed: accepted, and again
        (a token serves for a day). A page from the cache carries a token
        issued when it is served, not when it was rendered."""
        aid, slug = self.new_article()
        token = self.token(slug)
        fields = self.written({})
        self.assert_refused(self.post(slug, fields, token), 422, fields, TOO_FAST)
        self.assertEqual(self.stored(aid), 0)
        time.sleep(MIN_SECONDS + 1)
        r, _ = self.article(slug)
        self.assertEqual(r.header("x-cache"), "HIT")
        self.assert_refused(self.post(slug, fields, self.form_token(r.body)), 422, fields, TOO_FAST)
        self.assert_stored(self.post(slug, fields, token), slug)
        self.assert_stored(self.post(slug, self.written({}), token), slug)
        self.assertEqual(self.stored(aid), 2)


class ExpiredToken(CommentCase):

    def test_token_older_than_a_day(self):
        """A token the server itself issued 25 hours ago (its clock set back
        with libfaketime) is refused with 422 once the clock is right."""
        if not os.path.exists(FAKETIME_LIB):
            self.skipTest("libfaketime (Debian package libfaketime) is needed to have a token issued 25 h ago")
        aid, slug = self.new_article(published_at=int(time.time()) - 3 * DAY)
        # an AddressSanitizer build insists on being first among the
        # libraries loaded; the clock's library goes first here
        asan = (os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")
        self.restart({"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": "-25h", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
                      "ASAN_OPTIONS": asan})
        try:
            token = self.token(slug)
        finally:
            self.restart()
        issued = token.split(".")[1]
        if not issued.isdigit() or int(issued) > time.time() - DAY:
            self.skipTest("the server's clock did not move under libfaketime (token %s)" % token)
        fields = self.written({})
        self.assert_refused(self.post(slug, fields, token), 422, fields, EXPIRED)
        self.assertEqual(self.stored(aid), 0)
        self.assert_stored(self.post(slug, fields), slug)

    def restart(self, env=None):
        rc = self.site.stop()
        self.assertEqual(rc, 0, self.site.log_tail())
        self.site.start(env=env)


class RateLimit(CommentCase):
    settings = {"comment_min_seconds": "0", "comment_rate_limit": "5"}

    def test_sixth_comment_in_a_minute(self):
        aid, slug = self.new_article()
        token = self.token(slug)
        for _ in range(5):
            self.assert_stored(self.post(slug, self.written({}), token), slug)
        fields = self.written({})
        r = self.post(slug, fields, token)
        self.assert_refused(r, 429, fields, TOO_MANY)
        retry = r.header("retry-after", "")
        self.assertRegex(retry, r"^\d+$")
        self.assertTrue(1 <= int(retry) <= 60, retry)
        self.assertEqual(self.stored(aid), 5)


if __name__ == "__main__":
    unittest.main()
