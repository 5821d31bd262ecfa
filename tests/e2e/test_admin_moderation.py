"""Comment moderation in the newsroom (/admin/comments/): the queue by
status with its counts, approve / spam / trash / restore / delete, an
editor's change of a comment, the site's reply, bulk actions, and who may
do it. What the queue does shows on the article at once: the change log
drops the article's cached page."""
import json
import os
import re
import shutil
import time
import unittest

from nashra_e2e import VNU, ServerTestCase, parse_html, unescape, vnu_errors
from admin_e2e import Admin, add_user, csrf_of

Q = "/admin/comments/"


class Moderation(ServerTestCase):
    @classmethod
    def prepare_site(cls, site):
        add_user(site, "editor", "mod-editor")
        add_user(site, "author", "mod-author")
        add_user(site, "contributor", "mod-contrib")
        add_user(site, "admin", "mod-admin")

    def setUp(self):
        self.editor = Admin(self.site).sign_in("mod-editor")
        self.aid, self.slug, _ = self.site.seed()

    # -- helpers ---------------------------------------------------------
    def held(self, text, author="قارئ"):
        """A comment held for moderation on the seed article; its id."""
        return self.site.add_comment(self.aid, author, text, status="pending")

    def status_of(self, cid):
        rows = self.site.query("SELECT status FROM comments WHERE id = ?", (cid,))
        return rows[0][0] if rows else None

    def article_text(self):
        r = self.site.page("/%s/" % self.slug)
        self.assertEqual(r.status, 200)
        return unescape(r.text)

    def act(self, cid, action, who=None, status="pending"):
        who = who or self.editor
        r = who.get(Q + "?status=" + status)
        token = csrf_of(r.text) if r.status == 200 else "x"
        return who.post("%s%d/%s" % (Q, cid, action), [("csrf", token), ("status", status), ("page", "1")])

    def queue(self, status="pending", who=None):
        r = (who or self.editor).get(Q + "?status=" + status)
        self.assertEqual(r.status, 200, r.text[:300])
        return r

    # -- tests -----------------------------------------------------------
    def test_held_comment_approved_appears_on_article(self):
        text = "تعليق محجوز للمراجعة %d" % time.time_ns()
        cid = self.held(text)
        self.assertNotIn(text, self.article_text())   # cached now, without it
        r = self.queue()
        self.assertIn(text, unescape(r.text))
        self.assertIn("e2e@example.org", r.text)      # the email, for the editor only
        r = self.act(cid, "approve")
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertIn("done=approved", r.header("location"))
        self.assertEqual(self.status_of(cid), "approved")
        self.assertIn(text, self.article_text())      # at once: the change log dropped the page
        r = self.editor.get(r.header("location"))
        self.assertIn("اعتُمد التعليق", r.text)

    def test_spam_trash_restore_delete(self):
        cid = self.held("تعليق مزعج %d" % time.time_ns())
        self.assertEqual(self.act(cid, "spam").status, 303)
        self.assertEqual(self.status_of(cid), "spam")
        self.assertEqual(self.act(cid, "restore", status="spam").status, 303)
        self.assertEqual(self.status_of(cid), "pending")
        # delete for good only from the trash
        self.assertEqual(self.act(cid, "delete").status, 409)
        self.assertEqual(self.status_of(cid), "pending")
        self.assertEqual(self.act(cid, "trash").status, 303)
        self.assertEqual(self.status_of(cid), "trash")
        self.assertIn("تعليق مزعج", unescape(self.queue("trash").text))
        self.assertEqual(self.act(cid, "restore", status="trash").status, 303)
        self.assertEqual(self.status_of(cid), "pending")
        self.act(cid, "trash")
        self.assertEqual(self.act(cid, "delete", status="trash").status, 303)
        self.assertIsNone(self.status_of(cid))
        self.assertEqual(self.act(cid, "approve").status, 404)

    def test_spam_takes_an_approved_comment_off_the_article(self):
        text = "تعليق سيُنقل إلى المزعج %d" % time.time_ns()
        cid = self.site.add_comment(self.aid, "قارئ", text)
        self.assertIn(text, self.article_text())
        self.assertEqual(self.act(cid, "spam", status="approved").status, 303)
        self.assertNotIn(text, self.article_text())

    def test_edit(self):
        cid = self.held("نص قبل التعديل")
        page = Q + "%d/" % cid
        r = self.editor.form_post(page, page, {"author": "اسم جديد", "email": "new@example.org",
                                               "url": "https://example.org/me", "comment": "نص بعد التعديل\n\nفقرة ثانية"},
                                  form_cls="edit")
        self.assertEqual(r.status, 303, r.text[:500])
        row = self.site.query("SELECT author_name, author_email, author_url, body, status FROM comments"
                              " WHERE id = ?", (cid,))[0]
        self.assertEqual(tuple(row), ("اسم جديد", "new@example.org", "https://example.org/me",
                                      "نص بعد التعديل\n\nفقرة ثانية", "pending"))

    def test_edit_refused_keeps_what_was_typed(self):
        cid = self.held("نص أصلي")
        page = Q + "%d/" % cid
        typed = "نص جديد لم يُحفظ <b>غامق</b>"
        for changes, message in (({"email": "ليس-بريدًا"}, "البريد الإلكتروني غير صحيح"),
                                 ({"author": "  "}, "من فضلك ادخل اسمك هنا"),
                                 ({"url": "javascript:alert(1)"}, "الرابط يجب أن يبدأ"),
                                 ({"comment": "   "}, "من فضلك ادخل تعليقك")):
            fields = dict({"comment": typed}, **changes)
            r = self.editor.form_post(page, page, fields, form_cls="edit")
            self.assertEqual(r.status, 422, changes)
            self.assertIn(message, r.text)
            doc = parse_html(r.text)
            if "comment" not in changes:
                self.assertEqual(doc.find("textarea", id="comment").text, typed)
            self.assertNotIn("<b>غامق</b>", r.text)
        self.assertEqual(self.site.query("SELECT body FROM comments WHERE id = ?", (cid,))[0][0], "نص أصلي")

    def test_reply_as_the_site_threaded_under_the_comment(self):
        text = "سؤال من قارئ %d" % time.time_ns()
        cid = self.site.add_comment(self.aid, "سائل", text)
        self.article_text()
        page = Q + "%d/" % cid
        reply = "شكرًا على سؤالك، والجواب هنا %d" % time.time_ns()
        r = self.editor.form_post(page, page + "reply", {"reply": reply}, form_cls="reply")
        self.assertEqual(r.status, 303, r.text[:500])
        rows = self.site.query("SELECT id, author_name, status FROM comments WHERE parent_id = ? AND body = ?",
                               (cid, reply))
        self.assertEqual(len(rows), 1)
        rid, name, status = rows[0]
        self.assertEqual(status, "approved")
        site_name = self.site.query("SELECT value FROM settings WHERE key = 'site_name'")
        self.assertEqual(name, site_name[0][0] if site_name else "نشرة")
        doc = parse_html(self.site.page("/%s/" % self.slug).text)
        li = doc.find("li", id="comment-%d" % rid)
        self.assertIsNotNone(li, "the reply is on the article")
        self.assertIn("comment-%d" % cid, [a.get("id") for a in li.ancestors()])

    def test_reply_only_to_an_approved_comment(self):
        cid = self.held("تعليق لم يُعتمد بعد")
        token = csrf_of(self.editor.get(Q + "%d/" % cid).text)
        r = self.editor.post(Q + "%d/reply" % cid, [("csrf", token), ("reply", "رد لا يُنشر")])
        self.assertEqual(r.status, 409)
        self.assertIn("رد لا يُنشر", unescape(r.text))   # kept as typed
        self.assertEqual(self.site.query("SELECT count(*) FROM comments WHERE parent_id = ?", (cid,))[0][0], 0)

    def test_bulk_approve(self):
        texts = ["تعليق جماعي %d-%d" % (i, time.time_ns()) for i in range(3)]
        ids = [self.held(t) for t in texts]
        other = self.held("تعليق لم يُحدَّد %d" % time.time_ns())
        token = csrf_of(self.queue().text)
        r = self.editor.post(Q, [("csrf", token), ("status", "pending"), ("page", "1"), ("action", "approve")]
                             + [("id", str(i)) for i in ids])
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertIn("n=3", r.header("location"))
        self.assertEqual([self.status_of(i) for i in ids], ["approved"] * 3)
        self.assertEqual(self.status_of(other), "pending")
        body = self.article_text()
        for t in texts:
            self.assertIn(t, body)
        self.assertIn("اعتُمدت التعليقات المحددة: 3", self.editor.get(r.header("location")).text)

    def test_bulk_trash_then_restore(self):
        ids = [self.held("للمهملات %d-%d" % (i, time.time_ns())) for i in range(2)]
        token = csrf_of(self.queue().text)
        r = self.editor.post(Q, [("csrf", token), ("action", "trash")] + [("id", str(i)) for i in ids])
        self.assertEqual(r.status, 303)
        self.assertEqual({self.status_of(i) for i in ids}, {"trash"})
        r = self.editor.post(Q, [("csrf", token), ("action", "restore"), ("status", "trash")]
                             + [("id", str(i)) for i in ids])
        self.assertEqual(r.status, 303)
        self.assertEqual({self.status_of(i) for i in ids}, {"pending"})

    def test_counts(self):
        self.held("لعدّ المحجوز %d" % time.time_ns())
        doc = parse_html(self.queue().text)
        tabs = doc.find("nav", cls="tabs")
        shown = {}
        for a in tabs.find_all("a"):
            m = re.search(r"status=(\w+)", a.get("href"))
            n = re.search(r"\((\d+)\)", a.text)
            shown[m.group(1)] = int(n.group(1))
        for st in ("pending", "approved", "spam", "trash"):
            self.assertEqual(shown[st], self.site.query("SELECT count(*) FROM comments WHERE status = ?",
                                                        (st,))[0][0], st)
        labels = [a.text for a in tabs.find_all("a")]
        self.assertIn("بانتظار المراجعة", labels[0])    # pending first

    def test_pagination(self):
        for i in range(25):
            self.held("صفحات %d-%d" % (i, time.time_ns()))
        doc = parse_html(self.queue().text)
        self.assertEqual(len(doc.find_all("li", cls="queued")), 20)
        nxt = doc.find("a", rel="next")
        self.assertIsNotNone(nxt)
        doc2 = parse_html(self.editor.get(unescape(nxt.get("href"))).text)
        self.assertGreaterEqual(len(doc2.find_all("li", cls="queued")), 5)
        first = {li.get("id") for li in doc.find_all("li", cls="queued")}
        self.assertFalse(first & {li.get("id") for li in doc2.find_all("li", cls="queued")})

    def test_text_shown_escaped(self):
        cid = self.held("<script>alert(1)</script> <img src=x onerror=alert(2)>")
        r = self.queue()
        self.assertNotIn("<script>alert(1)", r.text)
        self.assertNotIn("<img src=x", r.text)
        self.assertIn("&lt;script&gt;", r.text)
        self.assertIsNotNone(parse_html(r.text).find("li", id="comment-%d" % cid))

    def test_without_token_refused(self):
        cid = self.held("بلا رمز")
        r = self.editor.post("%s%d/approve" % (Q, cid), [("status", "pending")])
        self.assertEqual(r.status, 403)
        r = self.editor.post(Q, [("action", "approve"), ("id", str(cid)), ("csrf", "forged")])
        self.assertEqual(r.status, 403)
        self.assertEqual(self.status_of(cid), "pending")

    def test_author_and_contributor_refused(self):
        cid = self.held("ليس لهم")
        token = csrf_of(self.queue().text)
        for login in ("mod-author", "mod-contrib"):
            who = Admin(self.site).sign_in(login)
            self.assertEqual(who.get(Q).status, 403, login)
            self.assertEqual(who.get(Q + "%d/" % cid).status, 403, login)
            r = who.post("%s%d/approve" % (Q, cid), [("csrf", token)])
            self.assertEqual(r.status, 403, login)
            r = who.post(Q, [("csrf", token), ("action", "approve"), ("id", str(cid))])
            self.assertEqual(r.status, 403, login)
        self.assertEqual(self.status_of(cid), "pending")

    @unittest.skipUnless(shutil.which("java") and os.path.exists(VNU), "java or vnu-jar not installed")
    def test_vnu_no_errors(self):
        cid = self.site.add_comment(self.aid, "قارئ", "تعليق معتمد للتحقق")
        self.held("تعليق محجوز للتحقق")
        admin = Admin(self.site).sign_in("mod-admin")
        page = Q + "%d/" % cid
        pages = {"queue": self.queue(), "approved": self.queue("approved"), "trash": self.queue("trash"),
                 "edit": self.editor.get(page),
                 "edit-422": self.editor.form_post(page, page, {"email": "خطأ"}, form_cls="edit"),
                 "settings": admin.get("/admin/settings"),
                 "settings-422": admin.form_post("/admin/settings", "/admin/settings",
                                                 {"posts_per_page": "0", "follow_x": "javascript:x"},
                                                 form_cls="settings")}
        self.assertEqual([r.status for r in pages.values()], [200] * 4 + [422, 200, 422])
        errors = vnu_errors({name: r.body for name, r in pages.items()})
        self.assertEqual(errors, [], json.dumps(errors, ensure_ascii=False, indent=1))

    def test_signed_out_sent_to_sign_in(self):
        r = self.site.get(Q)
        self.assertEqual(r.status, 303)
        self.assertIn("/admin/login", r.header("location"))
        cid = self.held("لا أحد")
        r = self.site.request("POST", "%s%d/approve" % (Q, cid), {"Content-Type": "application/x-www-form-urlencoded"},
                              b"csrf=x")
        self.assertEqual(r.status, 403)
        self.assertEqual(self.status_of(cid), "pending")


if __name__ == "__main__":
    unittest.main()
