"""An editor saving one article in a loop, as a browser does: signed in
through the login form, then the editor's form read, its text changed and
posted back, again and again until killed, PAUSE seconds between saves (0:
as fast as the server answers). ARTICLE_ID "new": a draft of its own,
written first (what an editor mostly saves). After each save it writes
the rate of saves so far (saves/s) and the saves refused to RATE_FILE.

usage: admin_saver.py BASE_URL LOGIN PASSWORD ARTICLE_ID RATE_FILE [PAUSE]"""
import html
import http.client
import os
import re
import sys
import time
import urllib.parse


def main():
    base, login, password, article, out = sys.argv[1:6]
    pause = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port
    conn = http.client.HTTPConnection(host, port, timeout=30)
    cookies = {}
    conn_location = [None]

    def request(method, path, fields=None):
        headers = {"Cookie": "; ".join("%s=%s" % kv for kv in cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, headers)
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        conn_location[0] = r.getheader("Location")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                cookies[name] = rest.split(";", 1)[0]
        return r.status, text

    def inputs(text):
        found = re.findall(r'<input[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"', text)
        return {k: html.unescape(v) for k, v in found}

    _, page = request("GET", "/admin/login")
    fields = inputs(page)
    fields.update(login=login, password=password)
    status, _ = request("POST", "/admin/login", fields)
    if status != 303:
        sys.exit("admin_saver: sign-in -> %d" % status)
    if article == "new":
        _, page = request("GET", "/admin/articles/new")
        draft = dict(inputs(page), title="مسودة تُحفظ مرارًا", body="نص المسودة.", status="draft")
        status, _ = request("POST", "/admin/articles/new", draft)
        location = conn_location[0]
        if status != 303 or not location:
            sys.exit("admin_saver: new draft -> %d" % status)
        article = re.search(r"/admin/articles/(\d+)/", location).group(1)
    path = "/admin/articles/%s/" % article
    start, n, failed, text = time.monotonic(), 0, 0, None
    while True:
        status, page = request("GET", path)
        form = inputs(page)
        if text is None:
            body = re.search(r'<textarea id="ed-body"[^>]*>(.*?)</textarea>', page, re.S)
            text = html.unescape(body.group(1)) if body else ""
        chosen = re.search(r'<select id="ed-category".*?value="(\d+)" selected', page, re.S)
        status_now = re.search(r'<select id="ed-status".*?value="(\w+)" selected', page, re.S)
        form.update(body=text + "\n\nحفظ رقم %d." % n,
                    category=chosen.group(1) if chosen else "0",
                    status=status_now.group(1) if status_now else "draft", comments_open="1")
        status, _ = request("POST", path, form)
        if status != 303:   # a busy database (503) is counted, and the editor saves again
            failed += 1
            print("admin_saver: save -> %d" % status, file=sys.stderr)
            continue
        n += 1
        with open(out + ".tmp", "w") as f:  # renamed: a kill never leaves it empty
            f.write("%.2f %d\n" % (n / (time.monotonic() - start), failed))
        os.replace(out + ".tmp", out)
        if pause:
            time.sleep(pause)


if __name__ == "__main__":
    main()
