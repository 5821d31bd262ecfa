"""The site's settings in the newsroom (/admin/settings): saved, they change
the reader's site at once (settings are site-wide keys every cached page
depends on); a mistake in any field gives the form back as typed (422)
and writes nothing; what is typed is shown as text on the site; only
admins may change them."""
import re
import time
import unittest

from nashra_e2e import ServerTestCase, parse_html, unescape
from admin_e2e import Admin, add_user, csrf_of, form_fields

S = "/admin/settings"


class Settings(ServerTestCase):
    @classmethod
    def prepare_site(cls, site):
        add_user(site, "admin", "set-admin")
        add_user(site, "editor", "set-editor")

    def setUp(self):
        self.admin = Admin(self.site).sign_in("set-admin")

    def save(self, changes, drop=()):
        return self.admin.form_post(S, S, changes, form_cls="settings", drop=drop)

    def setting(self, key):
        rows = self.site.query("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def home(self):
        r = self.site.get("/")
        self.assertEqual(r.status, 200)
        return r

    def test_saved_settings_change_the_home_page_at_once(self):
        article = "/%s/" % self.site.seed()[1]
        for _ in range(2):                            # cached by now
            self.home()
            self.site.page(article)
        name = "موقع الاختبار %d" % time.time_ns()
        r = self.save({"site_name": name, "site_description": "أخبار كل ساعة",
                       "follow_telegram": "https://t.me/nashra_test", "posts_per_page": "3",
                       "site_logo_url": "/uploads/logo.png", "site_favicon_url": "/uploads/icon.png",
                       "show_hijri": "1"})
        self.assertEqual(r.status, 303, r.text[:800])
        self.assertIn("done=saved", r.header("location"))
        self.assertIn("حُفظت الإعدادات", self.admin.get(r.header("location")).text)
        doc = parse_html(self.home().text)
        self.assertIn(name, doc.find("title").text)
        logo = doc.find("img", cls="site-logo")
        self.assertIsNotNone(logo)
        self.assertEqual((logo.get("src"), logo.get("alt")), ("/uploads/logo.png", name))
        self.assertEqual(doc.find("link", rel="icon").get("href"), "/uploads/icon.png")
        self.assertEqual(doc.find("p", cls="site-desc").text, "أخبار كل ساعة")
        self.assertIsNotNone(doc.find("span", cls="hijri"))
        art = parse_html(self.site.page(article).text)     # the follow links are the article's
        follow = [a.get("href") for a in art.find("section", cls="follow").find_all("a")]
        self.assertIn("https://t.me/nashra_test", follow)
        self.assertIn(name, art.find("title").text)
        page2 = parse_html(self.site.get("/page/2/").text)
        self.assertEqual(len(page2.find_all("li", cls="card")), 3)
        self.assertEqual(self.setting("posts_per_page"), "3")
        # and back: Hijri off, the follow link gone, ten a page
        r = self.save({"show_hijri": None, "follow_telegram": "", "posts_per_page": "10"})
        self.assertEqual(r.status, 303, r.text[:800])
        doc = parse_html(self.home().text)
        self.assertIsNone(doc.find("span", cls="hijri"))
        self.assertNotIn("https://t.me/nashra_test", self.site.page(article).text)
        self.assertEqual(self.setting("show_hijri"), "0")

    def test_logo_from_the_media_library(self):
        mid = self.site.execute("INSERT INTO media(url, title, alt, mime, created_at) VALUES(?,?,?,?,?)",
                                ("/uploads/2026/12/shiar.png", "شعار الموقع", "شعار", "image/png", int(time.time())))
        doc = parse_html(self.admin.get(S).text)
        labels = [o.text for o in doc.find("select", id="site_logo").find_all("option")]
        self.assertIn("شعار الموقع", labels)
        self.home()
        r = self.save({"site_logo": str(mid), "site_logo_url": ""})
        self.assertEqual(r.status, 303, r.text[:800])
        self.assertEqual(self.setting("site_logo"), "/uploads/2026/12/shiar.png")
        logo = parse_html(self.home().text).find("img", cls="site-logo")
        self.assertEqual(logo.get("src"), "/uploads/2026/12/shiar.png")
        # shown chosen again; an id that is no image of the library refused
        opt = parse_html(self.admin.get(S).text).find("select", id="site_logo").find("option", selected="")
        self.assertEqual(opt.get("value"), str(mid))
        r = self.save({"site_logo": "999999", "site_logo_url": ""})
        self.assertEqual(r.status, 422)
        self.save({"site_logo": "", "site_logo_url": ""})
        self.assertIsNone(parse_html(self.home().text).find("img", cls="site-logo"))

    def test_form_shows_what_is_stored(self):
        self.save({"site_description": "وصف محفوظ", "comment_moderation": "all", "timezone_offset": "10800"})
        doc = parse_html(self.admin.get(S).text)
        self.assertEqual(doc.find("input", id="site_description").get("value"), "وصف محفوظ")
        sel = doc.find("select", id="comment_moderation").find("option", selected="")
        self.assertEqual(sel.get("value"), "all")
        tz = doc.find("select", id="timezone_offset").find("option", selected="")
        self.assertEqual(tz.get("value"), "10800")
        self.assertIn("الرياض", tz.text)

    def test_invalid_values_refused_with_the_form_kept(self):
        before = {k: self.setting(k) for k in ("site_name", "follow_x", "posts_per_page", "timezone_offset")}
        typed = "اسم لن يُحفظ %d" % time.time_ns()
        cases = [
            ("follow_x", "javascript:alert(1)", "رابط غير صالح"),
            ("posts_per_page", "0", "من 1 إلى 100"),
            ("posts_per_page", "abc", "من 1 إلى 100"),
            ("posts_per_page", "101", "من 1 إلى 100"),
            ("timezone_offset", "12345", "اختر المنطقة الزمنية"),
            ("timezone_offset", "abc", "اختر المنطقة الزمنية"),
            ("site_url", "ftp://example.org", "عنوان الموقع"),
            ("site_logo_url", "javascript:alert(1)", "/uploads/"),
            ("site_logo_url", "/uploads/../nashra.db", "/uploads/"),
            ("comment_moderation", "sometimes", "سياسة المراجعة"),
            ("site_name", "   ", "اسم الموقع مطلوب"),
        ]
        for field, value, message in cases:
            changes = {"site_name": typed, field: value}
            r = self.save(changes)
            self.assertEqual(r.status, 422, (field, value))
            self.assertIn(message, r.text, (field, value))
            doc = parse_html(r.text)
            err = doc.find(id=(field[:-4] if field.endswith("_url") and field != "site_url" else field) + "-error")
            self.assertIsNotNone(err, field)
            kept = dict(form_fields(r.text, form_cls="settings"))
            if field != "site_name":
                self.assertEqual(kept["site_name"], typed)
            if field not in ("timezone_offset", "comment_moderation"):   # a select cannot hold it
                self.assertEqual(kept[field], value.strip() if field == "site_name" else value)
        self.assertEqual({k: self.setting(k) for k in before}, before)
        self.assertNotIn(typed, self.home().text)

    def test_stored_xss_shown_as_text(self):
        name = "<script>alert('name')</script>"
        tagline = "\"><img src=x onerror=alert(1)>"
        r = self.save({"site_name": name, "site_description": tagline})
        self.assertEqual(r.status, 303, r.text[:800])
        for path in ("/", "/%s/" % self.site.seed()[1]):
            body = self.site.page(path).text
            self.assertNotIn("<script>alert('name')", body)
            self.assertNotIn("<img src=x", body)
            doc = parse_html(body)
            self.assertIn(name, doc.find("title").text)
            self.assertEqual(doc.find("p", cls="site-desc").text, tagline)
        body = self.admin.get(S).text
        self.assertNotIn("<script>alert('name')", body)
        self.assertEqual(parse_html(body).find("input", id="site_name").get("value"), name)

    def test_navigation_order(self):
        cats = self.site.query("SELECT id, name FROM categories WHERE parent_id IS NULL OR parent_id = 0 ORDER BY position, name")
        self.assertGreaterEqual(len(cats), 2)
        rev = list(reversed(cats))
        self.home()
        r = self.save({"pos_%d" % cid: str(i) for i, (cid, _) in enumerate(rev)})
        self.assertEqual(r.status, 303, r.text[:800])
        nav = parse_html(self.home().text).find("nav", cls="nav")
        names = [a.text for a in nav.find_all("a")][1:]     # after «الرئيسية»
        self.assertEqual(names, [n for _, n in rev])
        r = self.save({"pos_%d" % cats[0][0]: "x"})
        self.assertEqual(r.status, 422)
        self.assertIn("الترتيب رقم صحيح", r.text)

    def test_site_url_used_for_canonical_links(self):
        self.home()
        r = self.save({"site_url": "https://news.example.org/"})
        self.assertEqual(r.status, 303, r.text[:800])
        self.assertEqual(self.setting("site_url"), "https://news.example.org")
        doc = parse_html(self.home().text)
        self.assertEqual(doc.find("link", rel="canonical").get("href"), "https://news.example.org/")
        self.assertIn("<link>https://news.example.org/</link>", self.site.get("/feed/").text)
        self.save({"site_url": ""})
        doc = parse_html(self.home().text)
        self.assertEqual(doc.find("link", rel="canonical").get("href"), self.site.base + "/")

    def test_comment_policy_saved(self):
        r = self.save({"comment_moderation": "all", "comment_max_links": "0", "comment_rate_limit": "7",
                       "comment_min_seconds": "2", "comment_blocklist": "كلمة\nعبارة ممنوعة"})
        self.assertEqual(r.status, 303, r.text[:800])
        got = {k: self.setting(k) for k in ("comment_moderation", "comment_max_links", "comment_rate_limit",
                                             "comment_min_seconds", "comment_blocklist")}
        self.assertEqual(got, {"comment_moderation": "all", "comment_max_links": "0", "comment_rate_limit": "7",
                               "comment_min_seconds": "2", "comment_blocklist": "كلمة\nعبارة ممنوعة"})
        self.save({"comment_moderation": "new", "comment_rate_limit": "5", "comment_min_seconds": "3"})

    def test_without_token_refused_form_kept(self):
        fields = form_fields(self.admin.get(S).text, form_cls="settings")
        fields = [(k, "اسم بلا رمز" if k == "site_name" else v) for k, v in fields if k != "csrf"]
        r = self.admin.post(S, fields)
        self.assertEqual(r.status, 403)
        self.assertIn("اسم بلا رمز", unescape(r.text))
        self.assertNotEqual(self.setting("site_name"), "اسم بلا رمز")

    def test_editor_refused(self):
        editor = Admin(self.site).sign_in("set-editor")
        self.assertEqual(editor.get(S).status, 403)
        token = csrf_of(editor.get("/admin/").text)
        r = editor.post(S, [("csrf", token), ("site_name", "استيلاء")])
        self.assertEqual(r.status, 403)
        self.assertNotEqual(self.setting("site_name"), "استيلاء")

    def test_signed_out_sent_to_sign_in(self):
        r = self.site.get(S)
        self.assertEqual(r.status, 303)
        self.assertTrue(re.search(r"/admin/login", r.header("location")))


if __name__ == "__main__":
    unittest.main()
