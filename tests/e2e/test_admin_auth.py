"""The newsroom's accounts and sign-in end to end.

  * `nashra user DIR add|passwd|list`, the password read from stdin: a
    short one, or one equal to the login, refused with its message.
  * Signing in: the same words for a wrong login and a wrong password;
    the session cookie's attributes; throttling per account (429 after
    the fifth failure, even with the right password) and per client
    address (twenty failures from one address, whatever the logins).
  * Sessions: idle and absolute expiry (shortened by the settings
    session_idle_seconds and session_lifetime_seconds), sign-out, signing
    out everywhere, a new password ending the others.
  * Every admin answer: no-store, the Content-Security-Policy,
    X-Frame-Options, never a cache hit; every admin page redirects to the
    sign-in page when nobody is signed in, and every admin POST without
    its form token, or with a wrong one, is refused (403).
  * Roles: only admins reach the users page; the last admin cannot be
    disabled or demoted; ?next= never leads off the newsroom.

ADMIN_GET_URLS and ADMIN_POST_URLS list every admin address: a page of
the newsroom is added there once, and every check above covers it.
"""
import re
import subprocess
import time
import unittest
import urllib.parse

from nashra_e2e import BIN, ENV, ServerTestCase, run_cli

FORM = "application/x-www-form-urlencoded"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
WRONG = "اسم الدخول أو كلمة المرور غير صحيحين."
THROTTLED = "محاولات دخول خاطئة كثيرة"
LAST_ADMIN = "آخر مدير مفعّل"

# Every page of the newsroom (GET) and every form it posts to.
ADMIN_GET_URLS = [
    "/admin/",
    "/admin/users/",
    "/admin/profile",
    "/admin/comments/",
    "/admin/comments/1/",
    "/admin/settings",
]
ADMIN_POST_URLS = [
    "/admin/logout",
    "/admin/users/",
    "/admin/users/1/role",
    "/admin/users/1/disable",
    "/admin/users/1/enable",
    "/admin/users/1/password",
    "/admin/profile",
    "/admin/comments/",
    "/admin/comments/1/",
    "/admin/comments/1/approve",
    "/admin/comments/1/reply",
    "/admin/settings",
]

USERS = {   # login: (role, password)
    "rania": ("admin", "نافذة على البحر 2026"),
    "sami": ("editor", "correct horse battery"),
    "huda": ("author", "qalam-wa-hibr-77"),
    "nour": ("contributor", "sunrise over jaffa"),
}


def user_cli(site, *args, password=None):
    """nashra user DIR ARGS..., the password as stdin's one line."""
    return subprocess.run([BIN, "user", site.dir, *args], capture_output=True, text=True,
                          input=(password + "\n") if password is not None else "", timeout=60, env=ENV)


def csrf_of(text):
    m = re.search(r'name="csrf" value="([^"]+)"', text)
    return m.group(1) if m else None


def notice_of(body):
    """The bytes of the frame's notice region."""
    m = re.search(rb'<div class="notice" role="status">(.*?)</div>', body, re.S)
    return m.group(1) if m else None


def next_of(location):
    """The page a redirect to the sign-in page comes back to."""
    u = urllib.parse.urlsplit(location)
    assert u.path == "/admin/login" and not u.netloc, location
    return urllib.parse.parse_qs(u.query)["next"][0]


def session_cookie(r):
    for v in r.header_values("Set-Cookie"):
        if v.startswith("nashra_session="):
            return v
    return None


class AdminCase(ServerTestCase):
    """A demo site with one user of each role."""

    @classmethod
    def prepare_site(cls, site):
        for login, (role, pw) in USERS.items():
            r = user_cli(site, "add", "--role", role, login, "--display-name", "الزميل " + login, password=pw)
            if r.returncode != 0:
                raise AssertionError("nashra user add %s: %s" % (login, r.stderr))

    def post(self, path, fields, cookie=None, headers=None):
        h = {"Content-Type": FORM}
        if cookie:
            h["Cookie"] = cookie
        h.update(headers or {})
        return self.site.request("POST", path, h, urllib.parse.urlencode(fields).encode())

    def get(self, path, cookie=None, headers=None):
        h = dict(headers or {})
        if cookie:
            h["Cookie"] = cookie
        return self.site.get(path, h)

    def login_token(self, headers=None):
        r = self.get("/admin/login", headers=headers)
        self.assertEqual(r.status, 200)
        return csrf_of(r.text)

    def sign_in_raw(self, login, password, next=None, headers=None):
        fields = {"csrf": self.login_token(headers), "login": login, "password": password}
        if next is not None:
            fields["next"] = next
        return self.post("/admin/login", fields, headers=headers)

    def sign_in(self, login, headers=None):
        """The Cookie header of a new session of login."""
        r = self.sign_in_raw(login, USERS[login][1], headers=headers)
        self.assertEqual(r.status, 303, r.body[:2000])
        return session_cookie(r).split(";")[0]

    def page_token(self, cookie, path="/admin/"):
        r = self.get(path, cookie)
        self.assertEqual(r.status, 200, path)
        return csrf_of(r.text)

    def assert_signed_in(self, cookie):
        self.assertEqual(self.get("/admin/", cookie).status, 200)

    def assert_signed_out(self, cookie):
        r = self.get("/admin/", cookie)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/admin/login"))


class AdminAuth(AdminCase):

    # -- the command line ----------------------------------------------
    def test_cli_list(self):
        r = user_cli(self.site, "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = [line.split("\t") for line in r.stdout.splitlines()]
        self.assertEqual({row[0]: row[1] for row in rows}, {k: v[0] for k, v in USERS.items()})
        self.assertTrue(all(row[2] == "active" for row in rows))

    def test_cli_policy(self):
        r = user_cli(self.site, "add", "--role", "author", "karim", password="short")
        self.assertEqual(r.returncode, 1)
        self.assertIn("كلمة المرور قصيرة", r.stderr)
        r = user_cli(self.site, "add", "--role", "author", "karim-the-writer", password="karim-the-writer")
        self.assertEqual(r.returncode, 1)
        self.assertIn("اسم الدخول", r.stderr)
        r = user_cli(self.site, "add", "--role", "boss", "karim", password="long enough password")
        self.assertEqual(r.returncode, 2)
        r = user_cli(self.site, "add", "--role", "author", "rania", password="another long password")
        self.assertEqual(r.returncode, 1)
        self.assertIn("exists", r.stderr)
        self.assertNotIn("karim", user_cli(self.site, "list").stdout)

    def test_cli_passwd_ends_sessions(self):
        r = user_cli(self.site, "add", "--role", "author", "layla", password="first password here")
        self.assertEqual(r.returncode, 0, r.stderr)
        USERS["layla"] = ("author", "first password here")
        try:
            cookie = self.sign_in("layla")
            r = user_cli(self.site, "passwd", "layla", password="second password here")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assert_signed_out(cookie)
            self.assertEqual(self.sign_in_raw("layla", "first password here").status, 403)
            USERS["layla"] = ("author", "second password here")
            self.sign_in("layla")
            self.assertEqual(user_cli(self.site, "passwd", "layla", password="layla").returncode, 1)
            self.assertEqual(user_cli(self.site, "passwd", "nobody", password="x" * 12).returncode, 1)
        finally:
            del USERS["layla"]

    # -- signing in ------------------------------------------------------
    def test_sign_in(self):
        r = self.get("/admin/login")
        self.assertEqual(r.status, 200)
        self.assertIn('<html lang="ar" dir="rtl">', r.text)
        self.assertIn('autocomplete="current-password"', r.text)
        r = self.sign_in_raw("rania", USERS["rania"][1])
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/admin/")
        cookie = session_cookie(r)
        attrs = [a.strip() for a in cookie.split(";")]
        self.assertRegex(attrs[0], r"^nashra_session=[0-9a-f]{64}$")
        self.assertIn("HttpOnly", attrs)
        self.assertIn("SameSite=Lax", attrs)
        self.assertIn("Path=/admin", attrs)
        self.assertNotIn("Secure", attrs)       # the site's URL is http
        home = self.get("/admin/", attrs[0])
        self.assertEqual(home.status, 200)
        self.assertIn("الزميل rania", home.text)
        self.assertIn("تعليقات بانتظار الإشراف", home.text)
        self.assertIn('href="/admin/users/"', home.text)
        # the store keeps the session only hashed
        ids = [row[0] for row in self.site.query("SELECT id_hash FROM sessions")]
        self.assertNotIn(attrs[0].split("=", 1)[1], ids)

    def test_same_words_for_wrong_login_and_password(self):
        a = self.sign_in_raw("no-such-person", "whatever it is 123")
        b = self.sign_in_raw("sami", "whatever it is 123")
        self.assertEqual(a.status, 403)
        self.assertEqual(b.status, 403)
        self.assertIsNone(session_cookie(a))
        self.assertIsNone(session_cookie(b))
        self.assertEqual(notice_of(a.body), notice_of(b.body))
        self.assertIn(WRONG, notice_of(a.body).decode())

    def test_hostile_sign_in(self):
        token = self.login_token()
        bodies = [b"login=%FF%FE&password=xxxxxxxxxxxx", b"login=a%00b&password=xxxxxxxxxxxx",
                  ("login=" + "ق" * 5000 + "&password=x").encode(), b"login=rania&password=" + b"p" * 5000,
                  b"login=rania", b"password=only", b"login[]=x&password[]=y", b"%%%"]
        for body in bodies:
            r = self.site.request("POST", "/admin/login", {"Content-Type": FORM},
                                  body + b"&csrf=" + urllib.parse.quote(token).encode())
            self.assertIn(r.status, (400, 403), body[:40])
            self.assertIsNone(session_cookie(r))

    def test_menu_by_role(self):
        home = self.get("/admin/", self.sign_in("nour")).text
        self.assertNotIn('href="/admin/users/"', home)
        self.assertNotIn('href="/admin/comments/"', home)
        self.assertNotIn("تعليقات بانتظار الإشراف", home)
        self.assertIn('href="/admin/articles/new"', home)

    def test_open_redirect_refused(self):
        for nxt, want in [("/admin/users/", "/admin/users/"), ("//evil.example/", "/admin/"),
                          ("https://evil.example/admin/", "/admin/"), ("/\\evil.example", "/admin/"),
                          ("/administrator", "/admin/"), ("/admin/../x", "/admin/"),
                          ("/admin\r\nSet-Cookie: x=1", "/admin/")]:
            r = self.sign_in_raw("rania", USERS["rania"][1], next=nxt)
            self.assertEqual((r.status, r.header("Location")), (303, want), nxt)
        cookie = self.sign_in("rania")
        r = self.get("/admin/login?next=" + urllib.parse.quote("//evil.example/"), cookie)
        self.assertEqual(r.header("Location"), "/admin/")

    def test_next_after_sign_in(self):
        r = self.get("/admin/users/")
        self.assertEqual(r.status, 303)
        loc = r.header("Location")
        self.assertEqual(next_of(loc), "/admin/users/")
        page = self.get(loc)
        self.assertIn('name="next" value="/admin/users/"', page.text)
        r = self.sign_in_raw("rania", USERS["rania"][1], next="/admin/users/")
        self.assertEqual(r.header("Location"), "/admin/users/")

    # -- every admin address ------------------------------------------------
    def test_signed_out_redirects(self):
        for url in ADMIN_GET_URLS:
            r = self.get(url)
            self.assertEqual(r.status, 303, url)
            self.assertEqual(next_of(r.header("Location")), url)
            r = self.get(url, "nashra_session=" + "ab" * 32)   # unknown session
            self.assertEqual(r.status, 303, url)

    def test_signed_out_posts_refused(self):
        for url in ADMIN_POST_URLS:
            r = self.post(url, {"csrf": "1.2.3"})
            self.assertEqual(r.status, 403, url)

    def test_csrf(self):
        cookie = self.sign_in("rania")
        other = self.page_token(self.sign_in("sami"))
        for url in ADMIN_POST_URLS:
            for token in (None, "", "4611686018427387905.1764000000.AAAA", other):
                fields = {"role": "author", "password": "a long new password"}
                if token is not None:
                    fields["csrf"] = token
                r = self.post(url, fields, cookie)
                self.assertEqual(r.status, 403, "%s with %r" % (url, token))
        self.assert_signed_in(cookie)
        r = self.post("/admin/login", {"login": "rania", "password": USERS["rania"][1]})
        self.assertEqual(r.status, 403)
        self.assertIsNone(session_cookie(r))

    def test_headers(self):
        cookie = self.sign_in("rania")
        answers = [self.get("/admin/login"), self.get("/admin/login"), self.get("/admin/"),
                   self.get("/admin/", cookie), self.get("/admin/", cookie),
                   self.get("/admin/users/99/nothing", cookie), self.get("/admin/logout", cookie),
                   self.get("/admin/users/", self.sign_in("huda")),
                   self.post("/admin/login", {})]
        for url in ADMIN_GET_URLS:
            answers.append(self.get(url, cookie))
        for r in answers:
            self.assertEqual(r.header("Cache-Control"), "no-store", r.status)
            self.assertEqual(r.header_values("Content-Security-Policy"), [CSP], r.status)
            self.assertEqual(r.header_values("Referrer-Policy"), ["same-origin"])
            self.assertEqual(r.header("X-Frame-Options"), "DENY")
            self.assertEqual(r.header("Referrer-Policy"), "same-origin")
            self.assertNotEqual(r.header("X-Cache"), "HIT")
        self.assertEqual([r.status for r in answers[5:9]], [404, 405, 403, 403])
        for r in answers:
            self.assertNotRegex(r.text, r"<script>|<style>| style=\"| on[a-z]+=\"")
        # the frame's files
        for path, kind in (("/assets/admin.css", "text/css"), ("/assets/admin.js", "text/javascript")):
            r = self.get(path)
            self.assertEqual(r.status, 200, path)
            self.assertTrue(r.header("Content-Type").startswith(kind))

    # -- sessions -----------------------------------------------------------
    def test_logout(self):
        cookie = self.sign_in("sami")
        other = self.sign_in("sami")
        r = self.post("/admin/logout", {"csrf": self.page_token(cookie)}, cookie)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/admin/login?done=out")
        self.assertIn("Max-Age=0", session_cookie(r))
        self.assert_signed_out(cookie)
        self.assert_signed_in(other)
        self.assertIn("خرجت من حسابك", self.get("/admin/login?done=out").text)

    def test_logout_everywhere(self):
        a, b = self.sign_in("huda"), self.sign_in("huda")
        mine = self.sign_in("nour")
        profile = self.get("/admin/profile", a)
        self.assertIn("تسجيل الخروج من كل الأجهزة", profile.text)
        self.assertIn("(هذا الجهاز)", profile.text)
        r = self.post("/admin/logout", {"csrf": csrf_of(profile.text), "everywhere": "1"}, a)
        self.assertEqual(r.header("Location"), "/admin/login?done=everywhere")
        self.assert_signed_out(a)
        self.assert_signed_out(b)
        self.assert_signed_in(mine)

    # -- roles and the users page ------------------------------------------
    def test_roles_refused_users_page(self):
        for login in ("sami", "huda", "nour"):
            cookie = self.sign_in(login)
            token = self.page_token(cookie)
            self.assertEqual(self.get("/admin/users/", cookie).status, 403, login)
            for url in ADMIN_POST_URLS:
                if url.startswith("/admin/users/"):
                    r = self.post(url, {"csrf": token, "role": "admin", "login": "x" + login,
                                        "password": "a long new password"}, cookie)
                    self.assertEqual(r.status, 403, "%s %s" % (login, url))
        self.assertEqual(self.site.query("SELECT role FROM users WHERE login = 'nour'")[0][0], "contributor")

    def test_users_page(self):
        cookie = self.sign_in("rania")
        token = self.page_token(cookie, "/admin/users/")
        r = self.post("/admin/users/", {"csrf": token, "login": "omar", "name": "عمر", "role": "editor",
                                        "password": "omar"}, cookie)
        self.assertEqual(r.status, 422)
        self.assertIn("كلمة المرور قصيرة", r.text)
        self.assertIn('value="omar"', r.text)           # what was typed stays
        r = self.post("/admin/users/", {"csrf": token, "login": "omar", "name": "عمر", "role": "editor",
                                        "password": "a long secret phrase"}, cookie)
        self.assertEqual((r.status, r.header("Location")), (303, "/admin/users/?done=added"))
        USERS["omar"] = ("editor", "a long secret phrase")
        try:
            omar = self.sign_in("omar")
            uid = self.site.query("SELECT id FROM users WHERE login = 'omar'")[0][0]
            act = "/admin/users/%d/" % uid
            r = self.post(act + "role", {"csrf": token, "role": "author"}, cookie)
            self.assertEqual(r.status, 303)
            self.assertEqual(self.site.query("SELECT role FROM users WHERE id = ?", (uid,))[0][0], "author")
            self.assertEqual(self.post(act + "disable", {"csrf": token}, cookie).status, 303)
            self.assert_signed_out(omar)
            self.assertEqual(self.sign_in_raw("omar", USERS["omar"][1]).status, 403)
            self.assertEqual(self.post(act + "enable", {"csrf": token}, cookie).status, 303)
            omar = self.sign_in("omar")
            r = self.post(act + "password", {"csrf": token, "password": "omar"}, cookie)
            self.assertEqual(r.status, 422)
            r = self.post(act + "password", {"csrf": token, "password": "a brand new one"}, cookie)
            self.assertEqual(r.status, 303)
            self.assert_signed_out(omar)
            USERS["omar"] = ("editor", "a brand new one")
            self.sign_in("omar")
        finally:
            del USERS["omar"]

    def test_last_admin(self):
        cookie = self.sign_in("rania")
        token = self.page_token(cookie, "/admin/users/")
        uid = self.site.query("SELECT id FROM users WHERE login = 'rania'")[0][0]
        for action, fields in (("disable", {}), ("role", {"role": "editor"})):
            r = self.post("/admin/users/%d/%s" % (uid, action), dict(fields, csrf=token), cookie)
            self.assertEqual(r.status, 409, action)
            self.assertIn(LAST_ADMIN, r.text)
        self.assert_signed_in(cookie)
        self.assertEqual(self.site.query("SELECT role FROM users WHERE id = ?", (uid,))[0][0], "admin")

    def test_profile_password(self):
        r = user_cli(self.site, "add", "--role", "contributor", "yusuf", password="the first of them")
        self.assertEqual(r.returncode, 0, r.stderr)
        USERS["yusuf"] = ("contributor", "the first of them")
        try:
            here, there = self.sign_in("yusuf"), self.sign_in("yusuf")
            token = self.page_token(here, "/admin/profile")
            r = self.post("/admin/profile", {"csrf": token, "current": "wrong", "password": "the second of them"},
                          here)
            self.assertEqual(r.status, 422)
            r = self.post("/admin/profile", {"csrf": token, "current": "the first of them",
                                             "password": "the second of them"}, here)
            self.assertEqual(r.status, 303)
            self.assert_signed_in(here)
            self.assert_signed_out(there)
        finally:
            del USERS["yusuf"]


class SecureCookie(AdminCase):
    """A site served as https: its session cookie is Secure."""
    server_args = ("--base-url", "https://news.example")

    def test_secure(self):
        r = self.sign_in_raw("rania", USERS["rania"][1])
        self.assertEqual(r.status, 303)
        attrs = [a.strip() for a in session_cookie(r).split(";")]
        self.assertIn("Secure", attrs)
        cookie = attrs[0]
        r = self.post("/admin/logout", {"csrf": self.page_token(cookie)}, cookie)
        self.assertIn("Secure", [a.strip() for a in session_cookie(r).split(";")])


class SessionExpiry(AdminCase):
    """Idle and absolute expiry, shortened through the settings."""

    def setting(self, key, value):
        r = run_cli("settings", self.site.dir, "set", key, value)
        self.assertEqual(r.returncode, 0, r.stderr)

    # The server counts whole seconds from the sign-in it saw, between
    # the client's clock before the sign-in (t0) and after it (t1): a
    # session is still valid while the time since t0 is under the limit,
    # and over once the time since t1 passes it by more than a second.
    def sleep_until(self, t, seconds):
        time.sleep(max(0.0, t + seconds - time.monotonic()))

    def test_idle(self):
        self.setting("session_idle_seconds", "2")
        try:
            t0 = time.monotonic()
            cookie = self.sign_in("sami")
            t1 = time.monotonic()
            if time.monotonic() - t0 < 1:
                self.assert_signed_in(cookie)
            self.sleep_until(t1, 3.5)
            self.assert_signed_out(cookie)
        finally:
            self.setting("session_idle_seconds", "7200")

    def test_absolute(self):
        # long enough that a sign-in slowed by a busy machine (Argon2id
        # takes its memory and time on purpose) leaves room to use it
        self.setting("session_lifetime_seconds", "8")
        try:
            t0 = time.monotonic()
            cookie = self.sign_in("huda")
            t1 = time.monotonic()
            checked = 0
            while time.monotonic() - t0 < 6:        # in use all along: idle never ends it
                self.assert_signed_in(cookie)
                checked += 1
                time.sleep(0.5)
            self.assertGreater(checked, 0)
            self.sleep_until(t1, 9.5)
            self.assert_signed_out(cookie)
        finally:
            self.setting("session_lifetime_seconds", "604800")


class AccountThrottle(AdminCase):

    def test_account(self):
        for i in range(5):
            r = self.sign_in_raw("huda", "not her password %d" % i)
            self.assertEqual(r.status, 403, i)
        r = self.sign_in_raw("huda", USERS["huda"][1])
        self.assertEqual(r.status, 429)
        self.assertIsNone(session_cookie(r))
        self.assertTrue(int(r.header("Retry-After")) > 0)
        self.assertIn(THROTTLED, r.text)
        self.sign_in("nour")            # another account of the same address


class AddressThrottle(AdminCase):
    server_args = ("--trusted-proxy", "127.0.0.1")

    def test_address(self):
        bad = {"X-Forwarded-For": "203.0.113.7"}
        for i in range(20):
            r = self.sign_in_raw("nobody-%d" % i, "not a password", headers=bad)
            self.assertEqual(r.status, 403, i)
        r = self.sign_in_raw("rania", USERS["rania"][1], headers=bad)
        self.assertEqual(r.status, 429)
        self.assertIn(THROTTLED, r.text)
        self.sign_in("rania", headers={"X-Forwarded-For": "203.0.113.8"})


if __name__ == "__main__":
    unittest.main()
