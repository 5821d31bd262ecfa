"""A person signed in to the newsroom (/admin) of an e2e site: users made
with `nashra user DIR add --role ROLE NAME` (the password on stdin), signed
in through the sign-in form as a browser would (whatever fields it has:
its hidden ones sent back as they are), then requests carrying the session
cookie, and the form token of the page a form was read from."""
import subprocess
import urllib.parse

from nashra_e2e import BIN, ENV, parse_html, quote_path

PASSWORD = "kalimat-sirr-tawila-2026!"


def add_user(site, role, name, password=PASSWORD):
    """A user of the site with role, through the command line."""
    r = subprocess.run([BIN, "user", site.dir, "add", "--role", role, name], input=password + "\n",
                       capture_output=True, text=True, timeout=60, env=ENV)
    if r.returncode != 0:
        raise AssertionError("nashra user add %s %s: %s %s" % (role, name, r.returncode, r.stderr))


def form_fields(html_text, form_cls=None, action=None):
    """The fields a browser would send with a form of the page (the first
    with class form_cls, or whose action is action, or the first), as a
    list of (name, value): inputs (checkboxes and radios when checked, no
    buttons), each select's selected option (else its first) and textareas."""
    doc = parse_html(html_text)
    forms = [f for f in doc.find_all("form")
             if (form_cls is None or form_cls in f.classes()) and (action is None or f.get("action") == action)]
    if not forms:
        raise AssertionError("no form %s %s on the page" % (form_cls, action))
    out = []
    for el in forms[0].iter():
        name = el.get("name")
        if not name:
            continue
        if el.tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                continue
            if kind in ("checkbox", "radio"):
                if el.has("checked"):
                    out.append((name, el.get("value") or "on"))
                continue
            out.append((name, el.get("value") or ""))
        elif el.tag == "select":
            opts = [o for o in el.iter() if o.tag == "option"]
            chosen = [o for o in opts if o.has("selected")] or opts[:1]
            out.append((name, chosen[0].get("value") or "" if chosen else ""))
        elif el.tag == "textarea":
            text = el.text
            out.append((name, text[1:] if text.startswith("\n") else text))
    return out


def csrf_of(html_text):
    """The form token of an admin page (its first hidden csrf input)."""
    doc = parse_html(html_text)
    inputs = doc.find_all("input", name="csrf")
    if not inputs:
        raise AssertionError("the page carries no csrf field")
    return inputs[0].get("value")


class Admin:
    """One browser: its cookies, and requests to the site with them."""

    def __init__(self, site):
        self.site = site
        self.cookies = {}

    def _keep(self, r):
        for line in r.header_values("set-cookie"):
            pair = line.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if value and "max-age=0" not in line.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return r

    def request(self, method, path, fields=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if not path.isascii():
            path = quote_path(path)
        return self._keep(self.site.request(method, path, headers, body))

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        return self.request("POST", path, list(fields))

    def sign_in(self, login, password=PASSWORD):
        """Through the sign-in form; returns self (raises unless it worked)."""
        r = self.get("/admin/login")
        if r.status != 200:
            raise AssertionError("GET /admin/login -> %d" % r.status)
        doc = parse_html(r.text)
        form = [f for f in doc.find_all("form") if (f.get("method") or "").lower() == "post"][0]
        fields = []
        for name, value in form_fields(r.text, action=form.get("action")):
            el = form.find("input", name=name)
            kind = (el.get("type") or "text").lower() if el else ""
            if kind == "password":
                value = password
            elif kind in ("text", "email", "") and el is not None and kind != "hidden":
                value = login
            fields.append((name, value))
        r = self.post(form.get("action") or "/admin/login", fields)
        if r.status not in (302, 303) or not any(k for k in self.cookies if "session" in k):
            raise AssertionError("sign-in of %s: %d %s" % (login, r.status, r.text[:500]))
        return self

    def form_post(self, page_path, path, changes=(), form_cls=None, action=None, drop=()):
        """GET page_path, then POST to path its form's fields with changes
        (name -> value; None: the field left out) applied."""
        r = self.get(page_path)
        if r.status != 200:
            raise AssertionError("GET %s -> %d" % (page_path, r.status))
        fields = form_fields(r.text, form_cls=form_cls, action=action)
        changes = dict(changes)
        drop = set(drop) | {k for k, v in changes.items() if v is None}
        changes = {k: v for k, v in changes.items() if v is not None}
        fields = [(k, changes.pop(k) if k in changes else v) for k, v in fields if k not in drop]
        fields += list(changes.items())
        return self.post(path, fields)
