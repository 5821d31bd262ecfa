"""The newsroom's article editor over HTTP, as people signed in with each
role use it: writing, the slug, tags, publishing and scheduling seen on
every page at once, unpublishing, the trash, revisions, two editors saving
one article, failed saves that keep the text, stored script in every field,
and what each role is refused."""
import html
import re
import subprocess
import time
import unittest
import urllib.parse

from nashra_e2e import BIN, ENV, ServerTestCase, parse_html, quote_path, run_cli, vnu_errors

PASSWORD = "كلمة-سر-طويلة-2026"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# the sign-in form's fields
LOGIN_FIELDS = ("login", "password")


def add_user(site, name, role):
    """A user of role made by the command line, the password on stdin."""
    r = subprocess.run([BIN, "user", site.dir, "add", "--role", role, name], input=PASSWORD + "\n",
                       capture_output=True, text=True, timeout=60, env=ENV)
    if r.returncode != 0:
        raise AssertionError("nashra user add %s: %s" % (name, r.stderr))


def hidden_fields(text, form_id=None):
    """name -> value of every input of the page (of form form_id if given)."""
    doc = parse_html(text)
    root = doc.find("form", id=form_id) if form_id else doc
    out = {}
    for i in root.find_all("input"):
        if i.get("name") and i.get("type") not in ("checkbox", "submit"):
            out[i.get("name")] = i.get("value", "")
    return out


class Person:
    """A browser of one signed-in person: its session cookie."""

    def __init__(self, site, name):
        self.site, self.name, self.cookies = site, name, {}

    def _headers(self, extra=None):
        h = dict(extra or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        return h

    def _keep(self, r):
        for line in r.header_values("Set-Cookie"):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in line.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return r

    def get(self, path):
        path, _, query = path.partition("?")
        url = quote_path(path) + ("?" + urllib.parse.quote(query, safe="=&") if query else "")
        return self._keep(self.site.get(url, self._headers()))

    def post(self, path, fields):
        body = urllib.parse.urlencode(fields).encode()
        return self._keep(self.site.request("POST", quote_path(path), self._headers(FORM), body))

    def sign_in(self):
        page = self.get("/admin/login")
        fields = hidden_fields(page.text)
        fields.update(dict(zip(LOGIN_FIELDS, (self.name, PASSWORD))))
        r = self.post("/admin/login", fields)
        if r.status != 303 or not self.cookies:
            raise AssertionError("sign-in of %s -> %d %s" % (self.name, r.status, r.text[:300]))
        return self

    def form(self, path):
        """The editor's form at path as it would be sent unchanged."""
        r = self.get(path)
        if r.status != 200:
            raise AssertionError("GET %s -> %d" % (path, r.status))
        doc = parse_html(r.text)
        form = doc.find("form", id="editor-form")
        fields = hidden_fields(r.text, "editor-form")
        for t in form.find_all("textarea"):
            fields[t.get("name")] = html.unescape(t.text)
        for s in form.find_all("select"):
            chosen = [o for o in s.find_all("option") if o.has("selected")] or s.find_all("option")[:1]
            fields[s.get("name")] = chosen[0].get("value") if chosen else ""
        for c in form.find_all("input", type="checkbox"):
            if c.has("checked"):
                fields[c.get("name")] = c.get("value", "1")
        fields.pop("force", None)
        return fields

    def save(self, path="/admin/articles/new", **changes):
        fields = self.form(path)
        fields.update({k: v for k, v in changes.items() if v is not None})
        for k in [k for k, v in changes.items() if v is None]:
            fields.pop(k, None)
        return self.post(path, fields)

    def csrf(self):
        return self.form("/admin/articles/new")["csrf"]


def saved_id(tc, r):
    tc.assertEqual(r.status, 303, r.text[:2000])
    m = re.match(r"^/admin/articles/(\d+)/\?done=saved$", r.header("Location") or "")
    tc.assertIsNotNone(m, r.header("Location"))
    return int(m.group(1))


def local_time(site, t):
    """(date, time) of Unix time t in the site's time zone, as the form takes them."""
    rows = site.query("SELECT value FROM settings WHERE key = 'timezone_offset'")
    tz = int(rows[0][0]) if rows else 0
    g = time.gmtime(t + tz)
    return time.strftime("%Y-%m-%d", g), time.strftime("%H:%M:%S", g)


class Editor(ServerTestCase):
    @classmethod
    def prepare_site(cls, site):
        for name, role in (("rania", "editor"), ("sami", "editor"), ("huda", "author"),
                           ("omar", "contributor")):
            add_user(site, name, role)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ed = Person(cls.site, "rania").sign_in()
        cls.ed2 = Person(cls.site, "sami").sign_in()
        cls.author = Person(cls.site, "huda").sign_in()
        cls.contrib = Person(cls.site, "omar").sign_in()
        cls.category = cls.site.query("SELECT id, slug FROM categories ORDER BY id LIMIT 1")[0]

    def article(self, id):
        rows = self.site.query("SELECT slug, title, status, body_md, published_at, revision"
                               " FROM articles WHERE id = ?", (id,))
        return rows[0] if rows else None

    # -- writing and publishing ------------------------------------------
    def test_publish_is_seen_everywhere_at_once(self):
        title = "مُراجَعةُ الأسواقِ الناشئةِ في الخليجِ"
        body = ("فقرة أولى بالحركات: كَتَبَ المُحرِّرُ.\n\n> «قول منقول» من مصدر.\n\n"
                "## عنوان فرعي للأسواق\n\nفقرة أخيرة عن الأسواقِ الناشئة.")
        cat_id, cat_slug = self.category
        pages = ["/", "/category/%s/" % cat_slug, "/feed/", "/sitemap-news.xml",
                 "/search?q=" + urllib.parse.quote("الأسواق الناشئة")]
        for p in pages:     # cached before the write
            self.assertEqual(self.site.get(quote_path(p) if "?" not in p else p).status, 200, p)
        r = self.ed.save(title=title, body=body, category=str(cat_id), status="published",
                         tags="أسواق ناشئة، خليج, اقتصاد الخليج", lead="مقدمة الخبر.")
        id = saved_id(self, r)
        slug, stored_title, status, stored_body, published_at, _ = self.article(id)
        self.assertEqual(stored_title, title)
        self.assertEqual(stored_body, body)
        self.assertEqual(status, "published")
        self.assertEqual(slug, "مراجعة-الأسواق-الناشئة-في-الخليج")
        self.assertLessEqual(abs(published_at - time.time()), 60)
        art = self.site.page("/%s/" % slug)
        self.assertEqual(art.status, 200)
        doc = parse_html(art.text)
        self.assertIn(title, doc.find("h1").text)
        self.assertIsNotNone(doc.find("blockquote"))
        self.assertTrue(any("عنوان فرعي للأسواق" in h.text for h in doc.find_all("h2")))
        for p in pages:
            got = self.site.get(quote_path(p) if "?" not in p else p)
            self.assertIn(title if not p.startswith("/search") else "الناشئة", got.text, p)
            self.assertIn(slug, urllib.parse.unquote(got.text), p)
        names = {n for (n,) in self.site.query(
            "SELECT t.name FROM tags t JOIN article_tags x ON x.tag_id = t.id WHERE x.article_id = ?", (id,))}
        self.assertEqual(names, {"أسواق ناشئة", "خليج", "اقتصاد الخليج"})

    def test_imported_html_stays_html(self):
        raw = '<p>فقرة <strong>مستوردة</strong></p><figure><img src="/uploads/a.jpg" alt="صورة"></figure>'
        id = self.site.add_article("html-import-editor", "مقال مستورد بصيغة HTML", body_md=raw)
        self.site.execute("UPDATE articles SET body_format = 'html', body_html = NULL WHERE id = ?", (id,))
        fields = self.ed.form("/admin/articles/%d/" % id)
        self.assertEqual(fields["body"], raw)
        fields["body"] = raw + "<p>سطر <em>أُضيف</em><script>alert(1)</script></p>"
        saved_id(self, self.ed.post("/admin/articles/%d/" % id, fields))
        fmt, body_html = self.site.query("SELECT body_format, body_html FROM articles WHERE id = ?", (id,))[0]
        self.assertEqual(fmt, "html")
        self.assertIn("<em>أُضيف</em>", body_html)
        self.assertNotIn("<script", body_html)
        page = self.site.page("/html-import-editor/").text
        self.assertIn("<strong>مستوردة</strong>", page)
        self.assertNotIn("<script>alert(1)", page)

    def test_featured_image_and_video(self):
        media = self.site.execute("INSERT INTO media(url, title, alt, mime, created_at)"
                                  " VALUES(?, ?, ?, ?, ?)", ("/uploads/editor-test.jpg", "صورة الميناء",
                                                             "سفن في الميناء", "image/jpeg", int(time.time())))
        self.assertIn('value="%d"' % media, self.ed.get("/admin/articles/new").text)
        id = saved_id(self, self.ed.save(title="خبر بصورة وفيديو", body="نص.", status="published",
                                         image=str(media), video_url="https://youtu.be/dQw4w9WgXcQ",
                                         breaking="1", source="وطن"))
        row = self.site.query("SELECT image_id, image_url, image_alt, video_url, breaking, source"
                              " FROM articles WHERE id = ?", (id,))[0]
        self.assertEqual(tuple(row), (media, "/uploads/editor-test.jpg", "سفن في الميناء",
                                      "https://youtu.be/dQw4w9WgXcQ", 1, "وطن"))
        page = self.site.page("/%s/" % self.article(id)[0]).text
        self.assertIn("/uploads/editor-test.jpg", page)
        # both sites' links become the page's click-to-load player
        self.assertIn('data-video="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"', page)
        vid = saved_id(self, self.ed.save(title="خبر بفيديو من فيميو", body="نص.", status="published",
                                          video_url="https://vimeo.com/76979871"))
        page = self.site.page("/%s/" % self.article(vid)[0]).text
        self.assertIn('data-video="https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1"', page)
        r = self.ed.save(title="فيديو من موقع آخر", body="نص.", video_url="https://example.org/watch?v=1")
        self.assertEqual(r.status, 400)
        self.assertIn("يوتيوب أو فيميو", r.text)

    def test_slug_from_title_made_unique(self):
        ids = [saved_id(self, self.ed.save(title="خبرٌ مكرَّر العنوان", body="نص.", status="draft"))
               for _ in range(3)]
        slugs = [self.article(i)[0] for i in ids]
        self.assertEqual(slugs, ["خبر-مكرر-العنوان", "خبر-مكرر-العنوان-2", "خبر-مكرر-العنوان-3"])
        id = saved_id(self, self.ed.save(title="عنوان آخر", slug="رابط مختار", body="نص.", status="draft"))
        self.assertEqual(self.article(id)[0], "رابط-مختار")

    def test_scheduled_appears_at_its_time(self):
        title = "خبر مجدول يظهر في وقته"
        when = int(time.time()) + 4
        date, tm = local_time(self.site, when)
        id = saved_id(self, self.ed.save(title=title, body="نص مجدول.", status="scheduled",
                                         date=date, time=tm))
        slug, _, status, _, published_at, _ = self.article(id)
        self.assertEqual((status, published_at), ("scheduled", when))
        if time.time() < when - 1:
            self.assertNotIn(title, self.site.get("/").text)
            self.assertEqual(self.site.page("/%s/" % slug).status, 404)
        deadline = time.time() + 60
        while title not in self.site.get("/").text:
            self.assertLess(time.time(), deadline, "the scheduled article never appeared")
            time.sleep(0.25)
        self.assertGreaterEqual(time.time(), when)
        self.assertEqual(self.site.page("/%s/" % slug).status, 200)

    def test_unpublish_trash_restore(self):
        title = "خبر يسحب ثم يحذف"
        id = saved_id(self, self.ed.save(title=title, body="نص.", status="published"))
        slug = self.article(id)[0]
        self.assertEqual(self.site.page("/%s/" % slug).status, 200)
        csrf = self.ed.csrf()
        r = self.ed.post("/admin/articles/%d/unpublish" % id, {"csrf": csrf})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.article(id)[2], "draft")
        self.assertEqual(self.site.page("/%s/" % slug).status, 404)
        self.assertNotIn(title, self.site.get("/").text)
        self.assertEqual(self.ed.post("/admin/articles/%d/publish" % id, {"csrf": csrf}).status, 303)
        self.assertEqual(self.site.page("/%s/" % slug).status, 200)
        self.assertEqual(self.ed.post("/admin/articles/%d/trash" % id, {"csrf": csrf}).status, 303)
        self.assertEqual(self.site.page("/%s/" % slug).status, 404)
        self.assertIn(title, self.ed.get("/admin/articles/?trash=1").text)
        self.assertNotIn(title, self.ed.get("/admin/articles/").text)
        self.assertEqual(self.ed.post("/admin/articles/%d/restore" % id, {"csrf": csrf}).status, 303)
        self.assertEqual(self.article(id)[2], "draft")
        self.assertNotIn(title, self.ed.get("/admin/articles/?trash=1").text)
        self.assertIn(title, self.ed.get("/admin/articles/").text)

    def test_list_filters(self):
        word = "زعفرانيات"
        id = saved_id(self, self.ed.save(title="حقول %s في الجنوب" % word, body="نص.", status="pending"))
        self.assertIn("/admin/articles/%d/" % id, self.ed.get("/admin/articles/?q=" + word).text)
        self.assertIn("/admin/articles/%d/" % id, self.ed.get("/admin/articles/?status=pending").text)
        self.assertNotIn("/admin/articles/%d/" % id, self.ed.get("/admin/articles/?status=draft").text)
        self.assertNotIn("/admin/articles/%d/" % id, self.contrib.get("/admin/articles/").text)

    # -- revisions and conflicts -----------------------------------------
    def test_revisions_compare_restore(self):
        id = saved_id(self, self.ed.save(title="مقال بمراجعات", body="فقرة ثابتة.\n\nفقرة قديمة.",
                                         status="draft"))
        path = "/admin/articles/%d/" % id
        saved_id(self, self.ed.save(path, body="فقرة ثابتة.\n\nفقرة جديدة."))
        listing = self.ed.get(path + "revisions/")
        self.assertEqual(listing.status, 200)
        links = re.findall(r'href="(/admin/articles/%d/revisions/\d+/)"' % id, listing.text)
        self.assertEqual(len(links), 2)
        first = links[-1]          # newest first: the last is the first save
        cmp = self.ed.get(first)
        self.assertEqual(cmp.status, 200)
        self.assertRegex(cmp.text, r"<del>\s*فقرة قديمة.\s*</del>")
        self.assertRegex(cmp.text, r"<ins>\s*فقرة جديدة.\s*</ins>")
        self.assertNotRegex(cmp.text, r"<(ins|del)>\s*فقرة ثابتة")
        r = self.ed.post(first + "restore", {"csrf": self.ed.csrf()})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.article(id)[3], "فقرة ثابتة.\n\nفقرة قديمة.")
        self.assertEqual(len(self.site.query("SELECT id FROM revisions WHERE article_id = ?", (id,))), 3)

    def test_two_editors_conflict(self):
        id = saved_id(self, self.ed.save(title="مقال يحرره اثنان", body="الأصل.", status="draft"))
        path = "/admin/articles/%d/" % id
        mine = self.ed.form(path)
        saved_id(self, self.ed2.save(path, body="نص المحرر الثاني."))
        mine["body"] = "نص المحرر الأول."
        r = self.ed.post(path, mine)
        self.assertEqual(r.status, 409)
        self.assertIn("نص المحرر الأول.", r.text)
        self.assertIn("نص المحرر الثاني.", r.text)
        self.assertIn("احفظ نسختي رغم ذلك", r.text)
        self.assertEqual(self.article(id)[3], "نص المحرر الثاني.")
        again = hidden_fields(r.text, "editor-form")
        mine.update(seen=again["seen"], csrf=again["csrf"], force="1")
        saved_id(self, self.ed.post(path, mine))
        self.assertEqual(self.article(id)[3], "نص المحرر الأول.")
        kept = {b for (b,) in self.site.query("SELECT body_md FROM revisions WHERE article_id = ?", (id,))}
        self.assertTrue({"نص المحرر الأول.", "نص المحرر الثاني.", "الأصل."} <= kept)

    # -- failed saves keep the text --------------------------------------
    def assert_kept(self, r, status, text):
        self.assertEqual(r.status, status, r.text[:1500])
        body = parse_html(r.text).find("textarea", id="ed-body")
        self.assertIsNotNone(body, "the form is given back")
        self.assertEqual(html.unescape(body.text), text)
        self.assertIsNotNone(parse_html(r.text).find(None, role="alert"))

    def test_failed_saves_keep_text(self):
        text = "نص طويل كتبه المحرر ولا يجوز أن يضيع «أبدًا».\n\n## عنوان"
        self.assert_kept(self.ed.save(title="  ", body=text, status="draft"), 400, text)
        self.assert_kept(self.ed.save(title="فيديو", body=text, video_url="https://example.com/v"),
                         400, text)
        self.assert_kept(self.ed.save(title="بلا رمز", body=text, csrf=None), 403, text)
        self.assert_kept(self.ed.save(title="بلا وقت", body=text, status="scheduled", date="", time=""),
                         400, text)
        stranger = Person(self.site, "nobody")
        fields = self.ed.form("/admin/articles/new")
        fields.update(title="جلسة منتهية", body=text)
        stranger.cookies = {"nashra_session": "x" * 43}
        self.assert_kept(stranger.post("/admin/articles/new", fields), 403, text)
        self.assertEqual(self.site.query("SELECT count(*) FROM articles WHERE title IN (?, ?, ?)",
                                         ("فيديو", "بلا رمز", "جلسة منتهية"))[0][0], 0)

    # -- hostile text -----------------------------------------------------
    def test_stored_script_is_text(self):
        evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
        id = saved_id(self, self.ed.save(
            title="عنوان " + evil, kicker=evil, lead=evil, source=evil, tags="وسم" + evil,
            slug="javascript:alert(3)", body=evil + "\n\n[رابط](javascript:alert(4))", status="published"))
        slug = self.article(id)[0]
        self.assertNotIn(":", slug)
        for raw in (self.site.page("/%s/" % slug).text, self.ed.get("/admin/articles/%d/" % id).text,
                    self.site.get("/").text, self.ed.get("/admin/articles/").text):
            self.assertNotIn("<script>alert", raw)
            self.assertNotIn("<img src=x", raw)
            self.assertNotIn('href="javascript:', raw)
        page = self.site.page("/%s/" % slug).text
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page)
        r = self.ed.save(title="فيديو خبيث", body="نص.", video_url="javascript:alert(5)")
        self.assertEqual(r.status, 400)

    # -- roles -------------------------------------------------------------
    def test_roles_refused(self):
        other = saved_id(self, self.ed.save(title="مقال المحرر", body="نص.", status="draft"))
        own = saved_id(self, self.contrib.save(title="مسودة المساهم", body="نص.", status="draft"))
        self.assertEqual(self.contrib.save(title="نشر ممنوع", body="نص.", status="published").status, 403)
        self.assertEqual(self.contrib.post("/admin/articles/%d/publish" % own,
                                           {"csrf": self.contrib.csrf()}).status, 403)
        self.assertEqual(self.article(own)[2], "draft")
        for who in (self.contrib, self.author):
            self.assertEqual(who.get("/admin/articles/%d/" % other).status, 403)
            fields = dict(self.contrib.form("/admin/articles/%d/" % own), title="مغيَّر")
            fields["csrf"] = who.csrf()
            self.assertEqual(who.post("/admin/articles/%d/" % other, fields).status, 403)
        self.assertEqual(self.article(other)[1], "مقال المحرر")
        saved_id(self, self.contrib.save("/admin/articles/%d/" % own, status="pending"))
        self.assertEqual(self.article(own)[2], "pending")
        pub = saved_id(self, self.author.save(title="مقال الكاتب المنشور", body="نص.", status="published"))
        self.assertEqual(self.article(pub)[2], "published")
        # once an editor publishes it, the contributor's article is no longer theirs to change
        self.assertEqual(self.ed.post("/admin/articles/%d/publish" % own, {"csrf": self.ed.csrf()}).status, 303)
        self.assertEqual(self.contrib.get("/admin/articles/%d/" % own).status, 403)

    def test_pages_are_valid_html(self):
        id = saved_id(self, self.ed.save(title="مقال للتحقق", body="أ.\n\nب.", status="draft",
                                         tags="وسم"))
        path = "/admin/articles/%d/" % id
        mine = self.ed.form(path)
        saved_id(self, self.ed2.save(path, body="أ.\n\nج."))
        revs = re.findall(r'href="(%srevisions/\d+/)"' % path, self.ed.get(path + "revisions/").text)
        pages = {"list": self.ed.get("/admin/articles/"), "trash": self.ed.get("/admin/articles/?trash=1"),
                 "new": self.ed.get("/admin/articles/new"), "edit": self.ed.get(path),
                 "conflict": self.ed.post(path, dict(mine, body="د.")),
                 "invalid": self.ed.save(title="", body="نص."),
                 "revisions": self.ed.get(path + "revisions/"), "revision": self.ed.get(revs[-1])}
        self.assertEqual(pages["conflict"].status, 409)
        self.assertEqual(vnu_errors({k: r.body for k, r in pages.items()}), [])

    def test_signed_out_goes_to_login(self):
        for path in ("/admin/articles/", "/admin/articles/new", "/admin/articles/1/revisions/"):
            r = self.site.get(quote_path(path))
            self.assertEqual(r.status, 303, path)
            self.assertTrue(r.header("Location").startswith("/admin/login"), path)

    # -- preview -----------------------------------------------------------
    def test_preview(self):
        csrf = self.ed.csrf()
        r = self.ed.post("/admin/preview", {"csrf": csrf, "body": "## عنوانٌ\n\n> اقتباس\n\n<script>x</script>"})
        self.assertEqual(r.status, 200)
        self.assertIn("<h2>عنوانٌ</h2>", r.text)
        self.assertIn("<blockquote>", r.text)
        self.assertNotIn("<script", r.text)
        self.assertEqual(self.ed.post("/admin/preview", {"body": "x"}).status, 403)
        id = saved_id(self, self.ed.save(title="مسودة للمعاينة", body="نص المسودة.", status="draft"))
        p = self.ed.get("/admin/preview/%d/" % id)
        self.assertEqual(p.status, 200)
        self.assertIn("مسودة للمعاينة", p.text)
        self.assertIn("noindex", p.header("X-Robots-Tag", ""))
        self.assertEqual(self.site.get("/admin/preview/%d/" % id).status, 303)
        self.assertEqual(self.contrib.get("/admin/preview/%d/" % id).status, 403)


class ExpiredSession(ServerTestCase):
    """A session that ends while the form is open (its idle limit, the
    setting session_idle_seconds, passes): the save is refused and the
    form comes back with the text."""

    @classmethod
    def prepare_site(cls, site):
        add_user(site, "nadia", "editor")

    def test_expired_session_keeps_text(self):
        person = Person(self.site, "nadia").sign_in()
        fields = person.form("/admin/articles/new")
        text = "نص كُتب طويلًا حتى انتهت الجلسة."
        fields.update(title="جلسة انتهت", body=text, status="draft")
        r = run_cli("settings", self.site.dir, "set", "session_idle_seconds", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        time.sleep(2.5)     # past the idle limit: no timing is asserted
        r = person.post("/admin/articles/new", fields)
        self.assertEqual(r.status, 403, r.text[:1000])
        body = parse_html(r.text).find("textarea", id="ed-body")
        self.assertIsNotNone(body)
        self.assertEqual(html.unescape(body.text), text)
        self.assertIn("انتهت جلستك", r.text)
        self.assertEqual(self.site.query("SELECT count(*) FROM articles WHERE title = ?",
                                         ("جلسة انتهت",))[0][0], 0)
        # signed in again (another window), the form given back saves as it is
        self.assertEqual(run_cli("settings", self.site.dir, "set", "session_idle_seconds", "3600").returncode, 0)
        person.cookies.clear()
        person.sign_in()
        again = hidden_fields(r.text, "editor-form")
        again.update(title="جلسة انتهت", body=text, status="draft")
        self.assertEqual(person.post("/admin/articles/new", again).status, 303)
        self.assertEqual(self.site.query("SELECT body_md FROM articles WHERE title = ?",
                                         ("جلسة انتهت",))[0][0], text)


if __name__ == "__main__":
    unittest.main()
