"""nashra import wordpress DIR FILE.xml [--uploads DIR] [--dry-run]: a real
WordPress export (tests/fixtures/wordpress/export-full.xml) brought into an
empty site and served there, old addresses included; the same import again
changing nothing and a newer export updating what changed; the kinds the
real export lacks (statuses, pages, attachments, comment states, other post
types, category trees, permalink structures, classic bodies), in small
exports written here as WordPress writes them; bad files refused with the
line at fault and the site left as it was; a dry run; standard input; and a
served site answering while a large export is imported into it. On SQLite,
and on PostgreSQL when NASHRA_E2E_PG_URL is set.

Every expectation about the real export is computed from the file itself."""
import collections
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from nashra_e2e import (BIN, ENV, ROOT, SEED_TITLE_PREFIX, FastComments, ServerTestCase, Site,
                        comment_form, parse_html, post_comment, quote_path, run_cli,
                        sanitizer_report)

FIXTURE = os.path.join(ROOT, "tests", "fixtures", "wordpress", "export-full.xml")
NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
IMPORT_TIMEOUT = 600


# -- the real export, read here -----------------------------------------------
def wp_text(el, name):
    found = el.find(name, NS)
    return (found.text or "") if found is not None else ""


def read_export(path):
    """The export's posts, categories and terms as dicts, in file order."""
    channel = ET.parse(path).getroot().find("channel")
    posts = []
    for item in channel.findall("item"):
        if wp_text(item, "wp:post_type") != "post":
            continue
        comments = [{"id": int(wp_text(c, "wp:comment_id")),
                     "parent": int(wp_text(c, "wp:comment_parent") or 0),
                     "approved": wp_text(c, "wp:comment_approved"),
                     "content": wp_text(c, "wp:comment_content")}
                    for c in item.findall("wp:comment", NS)]
        posts.append({
            "id": int(wp_text(item, "wp:post_id")),
            "title": wp_text(item, "title"),
            "link": wp_text(item, "link"),
            "name": wp_text(item, "wp:post_name"),
            "slug": urllib.parse.unquote(wp_text(item, "wp:post_name")),
            "date_gmt": wp_text(item, "wp:post_date_gmt"),
            "status": wp_text(item, "wp:status"),
            "content": wp_text(item, "content:encoded"),
            "categories": [c.get("nicename") for c in item.findall("category")
                           if c.get("domain") == "category"],
            "tags": [c.get("nicename") for c in item.findall("category") if c.get("domain") == "post_tag"],
            "comments": comments,
        })
    categories = {int(wp_text(c, "wp:term_id")): urllib.parse.unquote(wp_text(c, "wp:category_nicename"))
                  for c in channel.findall("wp:category", NS)}
    authors = [wp_text(a, "wp:author_login") for a in channel.findall("wp:author", NS)]
    tags = {wp_text(t, "wp:tag_slug") for t in channel.findall("wp:tag", NS)}
    return {"posts": posts, "categories": categories, "authors": authors, "tags": tags}


def paragraphs(html_text):
    """The text of each <p> of a body, whitespace folded."""
    return [" ".join(re.sub(r"<[^>]+>", "", p).split())
            for p in re.findall(r"<p>(.*?)</p>", html_text, re.S)]


# -- the command and what it says ---------------------------------------------
SUMMARY_ROW = re.compile(r"^  (\w+)\s+(\d+) (created|to create), (\d+) updated, (\d+) unchanged$", re.M)


def summary(out):
    """{kind: (created, updated, unchanged)} of an import's summary, plus
    'redirects', 'files copied', 'skipped' {reason: n} and 'ignored'."""
    s = {m.group(1): (int(m.group(2)), int(m.group(4)), int(m.group(5))) for m in SUMMARY_ROW.finditer(out)}
    for key in ("redirects", "files copied"):
        m = re.search(r"^  %s\s+(\d+)$" % key, out, re.M)
        s[key] = int(m.group(1)) if m else None
    s["skipped"] = {m.group(2): int(m.group(1)) for m in re.finditer(r"^  skipped (\d+) (.+)$", out, re.M)}
    m = re.search(r"^  ignored (\d+) elements", out, re.M)
    s["ignored"] = int(m.group(1)) if m else 0
    return s


def import_wp(site, path, *options, timeout=IMPORT_TIMEOUT):
    return run_cli("import", "wordpress", site.dir, path, *options, timeout=timeout)


def tables(site):
    """The site's tables (no virtual tables nor their shadows)."""
    if site.database.is_pg:
        rows = site.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:
        rows = site.query("SELECT name FROM sqlite_master WHERE type = 'table'"
                          " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'"
                          " AND name NOT LIKE 'search_fts_%'")
    return sorted(r[0] for r in rows)


def snapshot(site):
    """Row counts of every table and the change log's last seq."""
    counts = {t: site.query("SELECT COUNT(*) FROM %s" % t)[0][0] for t in tables(site)}
    counts["changes.max_seq"] = site.query("SELECT MAX(seq) FROM changes")[0][0]
    return counts


def digest(site, table):
    """A digest of every column of every row of table, in key order."""
    h = hashlib.sha256()
    for row in site.query("SELECT * FROM %s ORDER BY 1, 2" % table):
        h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def location_path(r):
    """The decoded path of a response's Location."""
    return urllib.parse.unquote(urllib.parse.urlsplit(r.header("location", "")).path)


class ImportCase(unittest.TestCase):
    def assert_ok(self, r):
        self.assertEqual(r.returncode, 0, "import exit %s:\nstdout %s\nstderr %s" % (r.returncode, r.stdout, r.stderr))
        self.assertFalse(sanitizer_report(r.stderr), r.stderr)
        return summary(r.stdout)

    def assert_moved(self, site, path, want, encoded=False):
        """GET path (decoded unless encoded): 301 to want, Location
        percent-encoded."""
        r = site.get(path) if encoded else site.page(path)
        self.assertEqual(r.status, 301, "GET %s -> %d, want 301 to %s" % (path, r.status, want))
        loc = r.header("location", "")
        self.assertRegex(loc, r"^[\x21-\x7e]+$", "Location not percent-encoded: %r" % loc)
        if want.startswith("http"):
            self.assertEqual(loc, want, path)
        else:
            self.assertEqual(location_path(r), want, "GET %s" % path)
        return r


# -- 1, 2: the real export into an empty site, and served -----------------------
class RealExport(ServerTestCase, ImportCase):
    demo = False

    @classmethod
    def prepare_site(cls, site):
        cls.export = read_export(FIXTURE)
        cls.result = import_wp(site, FIXTURE)

    def setUp(self):
        if self.result.returncode != 0:
            self.fail("import failed (%s): %s" % (self.result.returncode, self.result.stderr))

    @property
    def posts(self):
        return self.export["posts"]

    def seed_post(self):
        seeds = [p for p in self.posts if p["title"].startswith(SEED_TITLE_PREFIX)]
        self.assertEqual(len(seeds), 1)
        return seeds[0]

    def sample(self):
        return [self.posts[0], self.posts[-1], self.seed_post()]

    def article_id(self, post):
        rows = self.site.query("SELECT id FROM articles WHERE slug = ?", (post["slug"],))
        self.assertEqual(len(rows), 1, "article %s" % post["slug"])
        return rows[0][0]

    # -- the command's own account ------------------------------------------
    def test_summary(self):
        s = self.assert_ok(self.result)
        ncomments = sum(len(p["comments"]) for p in self.posts)
        self.assertEqual(s["posts"], (len(self.posts), 0, 0))
        self.assertEqual(s["comments"], (ncomments, 0, 0))
        self.assertEqual(s["users"], (len(self.export["authors"]), 0, 0))
        self.assertEqual(s["pages"], (0, 0, 0))
        self.assertEqual(s["attachments"], (0, 0, 0))
        self.assertEqual(s["categories"], (len(self.export["categories"]), 0, 0))
        self.assertEqual(s["tags"], (len(self.export["tags"]), 0, 0))
        self.assertEqual(s["skipped"], {})
        self.assertEqual(s["ignored"], 0)
        self.assertEqual(s["files copied"], 0)
        self.assertGreaterEqual(s["redirects"], 2 * len(self.posts))
        # the fixture's documented numbers, so that a changed fixture is noticed
        self.assertEqual((len(self.posts), ncomments, len(self.export["authors"])), (201, 158, 1))

    # -- the database ---------------------------------------------------------
    def test_counts(self):
        q = self.site.query
        self.assertEqual(q("SELECT COUNT(*) FROM articles")[0][0], len(self.posts))
        self.assertEqual(q("SELECT COUNT(*) FROM articles WHERE status = 'published'")[0][0],
                         sum(p["status"] == "publish" for p in self.posts))
        comments = [c for p in self.posts for c in p["comments"]]
        self.assertEqual(q("SELECT COUNT(*) FROM comments")[0][0], len(comments))
        self.assertEqual(q("SELECT COUNT(*) FROM comments WHERE parent_id IS NOT NULL")[0][0],
                         sum(c["parent"] != 0 for c in comments))
        self.assertEqual(q("SELECT COUNT(*) FROM comments WHERE status = 'approved'")[0][0],
                         sum(c["approved"] == "1" for c in comments))
        self.assertEqual(q("SELECT COUNT(*) FROM article_tags")[0][0],
                         sum(len(set(p["tags"])) for p in self.posts))
        self.assertEqual(q("SELECT COUNT(*) FROM authors")[0][0], len(self.export["authors"]))

    def test_categories(self):
        slugs = {r[0] for r in self.site.query("SELECT slug FROM categories")}
        used = {c for p in self.posts for c in p["categories"]}
        self.assertTrue(used <= slugs, used - slugs)
        self.assertTrue(set(self.export["categories"].values()) <= slugs)
        for post in self.sample():
            rows = self.site.query("SELECT c.slug FROM articles a JOIN categories c ON c.id = a.category_id"
                                   " WHERE a.slug = ?", (post["slug"],))
            self.assertEqual(rows, [(post["categories"][0],)], post["slug"])

    def test_slugs_and_titles(self):
        """Each article's slug is its post's wp:post_name, decoded, as it
        was (a few of the export's slugs carry tanwin, kept)."""
        rows = dict(self.site.query("SELECT title, slug FROM articles"))
        self.assertEqual(len(rows), len(self.posts), "titles not unique in the fixture")
        for post in self.posts:
            self.assertRegex(post["slug"], r"[\u0600-\u06ff]", "fixture slug not Arabic")
            self.assertIn(post["title"], rows)
            self.assertEqual(rows[post["title"]], post["slug"], "slug of post %d" % post["id"])

    def test_tags_of_an_article(self):
        for post in self.sample():
            got = {r[0] for r in self.site.query(
                "SELECT t.slug FROM article_tags x JOIN tags t ON t.id = x.tag_id"
                " JOIN articles a ON a.id = x.article_id WHERE a.slug = ?", (post["slug"],))}
            self.assertEqual(got, {urllib.parse.unquote(t) for t in post["tags"]}, post["slug"])

    def test_seed_comments(self):
        seed = self.seed_post()
        aid = self.article_id(seed)
        self.assertEqual(self.site.query("SELECT COUNT(*) FROM comments WHERE article_id = ?", (aid,))[0][0],
                         len(seed["comments"]))
        self.assertEqual(len(seed["comments"]), 30)
        bodies = {" ".join(r[0].split()) for r in self.site.query(
            "SELECT body FROM comments WHERE article_id = ?", (aid,))}
        for c in seed["comments"]:
            self.assertIn(" ".join(re.sub(r"<[^>]+>", "", c["content"]).split()), bodies)

    def test_threads_intact(self):
        # each reply's parent is a comment of the same article, and the
        # thread is the export's: a reply's text under its parent's text
        rows = self.site.query("SELECT c.id, c.article_id, c.body, p.article_id, p.body FROM comments c"
                               " JOIN comments p ON p.id = c.parent_id")
        comments = {c["id"]: c for p in self.posts for c in p["comments"]}
        replies = [c for c in comments.values() if c["parent"]]
        self.assertEqual(len(rows), len(replies))
        for cid, article, body, parent_article, parent_body in rows:
            self.assertEqual(article, parent_article, "reply %d on another article than its parent" % cid)
        want = {(" ".join(c["content"].split()), " ".join(comments[c["parent"]]["content"].split()))
                for c in replies}
        got = {(" ".join(b.split()), " ".join(pb.split())) for _, _, b, _, pb in rows}
        self.assertEqual(got, want)

    # -- served -----------------------------------------------------------------
    def test_old_permalinks(self):
        for post in self.posts:
            path = urllib.parse.urlsplit(post["link"]).path
            self.assertIn("%d8", path.lower())
            self.assert_moved(self.site, path, "/%s/" % post["slug"], encoded=True)   # as exported (lower hex)
        for post in self.sample():
            path = urllib.parse.urlsplit(post["link"]).path
            want = "/%s/" % post["slug"]
            self.assert_moved(self.site, quote_path(urllib.parse.unquote(path)), want, encoded=True)  # upper hex
            self.assert_moved(self.site, "/?p=%d" % post["id"], want, encoded=True)

    def test_article_pages(self):
        for post in self.sample():
            r = self.site.page("/%s/" % post["slug"])
            self.assertEqual(r.status, 200, post["slug"])
            self.assertNotIn("<!-- wp:", r.text)
            self.assertNotIn("wp:paragraph", r.text)
            doc = parse_html(r.text)
            h1 = doc.find("h1", cls="headline")
            # the display title leaves out a trailing video marker (view.h)
            want = re.sub(r"\s*\(شاهد\)$", "", " ".join(post["title"].split()))
            self.assertEqual(" ".join(h1.text_without("badge-video").split()), want)
            body = doc.find("div", cls="article-body")
            shown = [" ".join(p.text.split()) for p in body.find_all("p")]
            for para in paragraphs(post["content"]):
                self.assertIn(para, shown, "paragraph of post %d not a <p> of its page" % post["id"])
            approved = sum(c["approved"] == "1" for c in post["comments"])
            count = doc.find("h2", id="comments-title").find("span", cls="comment-count")
            self.assertEqual(int(count.text.strip()), approved, post["slug"])
            if approved:
                first = min((c for c in post["comments"] if c["approved"] == "1"), key=lambda c: c["id"])
                text = " ".join(re.sub(r"<[^>]+>", "", first["content"]).split())
                self.assertIn(text[:40], " ".join(doc.find("section", id="comments").text.split()))

    def test_seed_related(self):
        r = self.site.page("/%s/" % self.seed_post()["slug"])
        section = parse_html(r.text).find("section", cls="related")
        self.assertIsNotNone(section)
        self.assertTrue(section.find_all("a"), "no related articles on the seed article")

    def test_feed(self):
        newest = max(self.posts, key=lambda p: p["date_gmt"])
        r = self.site.get("/feed/")
        self.assertEqual(r.status, 200)
        links = [urllib.parse.unquote(urllib.parse.urlsplit(el.text).path)
                 for el in ET.fromstring(r.body).iter("link") if el.text]
        self.assertIn("/%s/" % newest["slug"], links)

    def listed_on(self, base, slug, limit=60):
        """Whether /slug/ is linked from some page of the listing base."""
        for n in range(1, limit):
            path = base if n == 1 else "%spage/%d/" % (base, n)
            r = self.site.page(path)
            if r.status == 404:
                return False
            self.assertEqual(r.status, 200, path)
            hrefs = {urllib.parse.unquote(urllib.parse.urlsplit(a.get("href", "")).path)
                     for a in parse_html(r.text).find_all("a")}
            if "/%s/" % slug in hrefs:
                return True
        return False

    def test_category_archives(self):
        for post in self.sample():
            cat = post["categories"][0]
            self.assertTrue(self.listed_on("/category/%s/" % cat, post["slug"]),
                            "post %d not on /category/%s/" % (post["id"], cat))

    def test_search(self):
        words = collections.Counter(w for p in self.posts for w in set(p["title"].split()))
        for post in self.sample():
            word = min(post["title"].split(), key=lambda w: (words[w], -len(w)))
            r = self.site.get("/search?q=%s" % urllib.parse.quote(word))
            self.assertEqual(r.status, 200)
            hrefs = {urllib.parse.unquote(urllib.parse.urlsplit(a.get("href", "")).path)
                     for a in parse_html(r.text).find_all("a")}
            self.assertIn("/%s/" % post["slug"], hrefs, "search for %s" % word)

    def test_category_query_links(self):
        for term_id, slug in self.export["categories"].items():
            self.assert_moved(self.site, "/?cat=%d" % term_id, "/category/%s/" % slug, encoded=True)


# -- 3: the same import again, and a newer export --------------------------------
def modified_export(src, dst):
    """A newer export of the same site: the first post's title and
    post_modified changed, a comment added to it, and a new post appended.
    Returns (changed post id, new title, new post id, new comment id)."""
    tree = ET.parse(src)
    channel = tree.getroot().find("channel")
    items = [i for i in channel.findall("item") if wp_text(i, "wp:post_type") == "post"]
    first = items[0]
    title = wp_text(first, "title") + " (محدّث)"
    first.find("title").text = title
    for tag in ("wp:post_modified", "wp:post_modified_gmt"):
        first.find(tag, NS).text = "2026-11-30 12:00:00"
    all_comments = [c for i in items for c in i.findall("wp:comment", NS)]
    new_cid = max(int(wp_text(c, "wp:comment_id")) for c in all_comments) + 1
    comment = ET.fromstring(
        '<wp:comment xmlns:wp="%s"><wp:comment_id>%d</wp:comment_id>'
        "<wp:comment_author>قارئ جديد</wp:comment_author><wp:comment_author_email>new@example.org"
        "</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>"
        "<wp:comment_author_IP>127.0.0.1</wp:comment_author_IP>"
        "<wp:comment_date>2026-11-30 12:00:00</wp:comment_date>"
        "<wp:comment_date_gmt>2026-11-30 09:00:00</wp:comment_date_gmt>"
        "<wp:comment_content>تعليق وصل بعد التصدير الأول</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
        "<wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>"
        "</wp:comment>" % (NS["wp"], new_cid))
    first.append(comment)
    new = ET.fromstring(ET.tostring(items[-1]))
    new_id = max(int(wp_text(i, "wp:post_id")) for i in channel.findall("item")) + 1
    new.find("title").text = "مقال جديد بعد التصدير الأول"
    new.find("wp:post_id", NS).text = str(new_id)
    new.find("wp:post_name", NS).text = "new-after-first-export"
    new.find("link").text = "http://127.0.0.1:8081/2026/11/30/new-after-first-export/"
    new.find("guid").text = "http://127.0.0.1:8081/?p=%d" % new_id
    for c in new.findall("wp:comment", NS):
        new.remove(c)
    channel.append(new)
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    ET.register_namespace("wfw", "http://wellformedweb.org/CommentAPI/")
    tree.write(dst, encoding="UTF-8", xml_declaration=True)
    return int(wp_text(first, "wp:post_id")), title, new_id, new_cid


class Reimport(ImportCase):
    @classmethod
    def setUpClass(cls):
        cls.site = Site(demo=False)
        cls.export = read_export(FIXTURE)

    @classmethod
    def tearDownClass(cls):
        cls.site.cleanup()

    def state(self):
        return snapshot(self.site), {t: digest(self.site, t) for t in ("articles", "comments", "redirects")}

    def test_again_then_newer(self):
        first = self.assert_ok(import_wp(self.site, FIXTURE))
        self.assertEqual(first["posts"][0], len(self.export["posts"]))
        counts, digests = self.state()

        again = self.assert_ok(import_wp(self.site, FIXTURE))
        ncomments = sum(len(p["comments"]) for p in self.export["posts"])
        self.assertEqual(again["posts"], (0, 0, len(self.export["posts"])))
        self.assertEqual(again["comments"], (0, 0, ncomments))
        self.assertEqual(again["categories"], (0, 0, len(self.export["categories"])))
        self.assertEqual(again["tags"], (0, 0, len(self.export["tags"])))
        self.assertEqual(again["users"], (0, 0, len(self.export["authors"])))
        self.assertEqual(again["redirects"], 0)
        counts2, digests2 = self.state()
        self.assertEqual(counts2, counts)
        self.assertEqual(digests2, digests)

        newer = os.path.join(self.site.tmp, "newer.xml")
        changed, title, new_id, _ = modified_export(FIXTURE, newer)
        s = self.assert_ok(import_wp(self.site, newer))
        self.assertEqual(s["posts"], (1, 1, len(self.export["posts"]) - 1))
        self.assertEqual(s["comments"], (1, 0, ncomments))
        after = snapshot(self.site)
        self.assertEqual(after["articles"], counts["articles"] + 1)
        self.assertEqual(after["comments"], counts["comments"] + 1)
        self.assertEqual(after["authors"], counts["authors"])
        self.assertEqual(after["categories"], counts["categories"])
        self.assertEqual(after["article_tags"], counts["article_tags"] + len(
            set(self.export["posts"][-1]["tags"])))
        slug = [p["slug"] for p in self.export["posts"] if p["id"] == changed][0]
        self.assertEqual(self.site.query("SELECT title FROM articles WHERE slug = ?", (slug,)), [(title,)])
        self.assertEqual(self.site.query("SELECT COUNT(*) FROM articles WHERE slug = ?",
                                         ("new-after-first-export",))[0][0], 1)
        self.assertEqual(self.site.query("SELECT COUNT(*) FROM comments WHERE body = ?",
                                         ("تعليق وصل بعد التصدير الأول",))[0][0], 1)
        # and the newer export again: nothing
        s = self.assert_ok(import_wp(self.site, newer))
        self.assertEqual(s["posts"], (0, 0, len(self.export["posts"]) + 1))
        self.assertEqual(s["comments"], (0, 0, ncomments + 1))
        self.assertEqual(snapshot(self.site)["changes.max_seq"], after["changes.max_seq"])


# -- 4: what the real export lacks, in exports written here -------------------------
WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="WordPress/6.4.3" created="2024-06-01 10:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/{v}/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/{v}/"
>

<channel>
	<title>{title}</title>
	<link>{base}</link>
	<description>موقع قديم</description>
	<pubDate>Sat, 01 Jun 2024 10:00:00 +0000</pubDate>
	<language>ar</language>
	<wp:wxr_version>{v}</wp:wxr_version>
	<wp:base_site_url>{base}</wp:base_site_url>
	<wp:base_blog_url>{base}</wp:base_blog_url>

"""


def cdata(s):
    return "<![CDATA[%s]]>" % s


def wxr_author(login, aid=1):
    return ("\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login>%s</wp:author_login>"
            "<wp:author_email>%s</wp:author_email><wp:author_display_name>%s</wp:author_display_name>"
            "<wp:author_first_name>%s</wp:author_first_name><wp:author_last_name>%s</wp:author_last_name>"
            "</wp:author>\n" % (aid, cdata(login), cdata(login + "@example.org"), cdata(login), cdata(""), cdata("")))


def wxr_category(term_id, slug, name, parent=""):
    return ("\t<wp:category>\n\t\t<wp:term_id>%d</wp:term_id>\n\t\t<wp:category_nicename>%s</wp:category_nicename>\n"
            "\t\t<wp:category_parent>%s</wp:category_parent>\n\t\t<wp:cat_name>%s</wp:cat_name>\n\t</wp:category>\n"
            % (term_id, cdata(slug), cdata(parent), cdata(name)))


def wxr_comment(cid, content, approved="1", parent=0, ctype="comment", date="2024-05-02 10:00:00",
                author="قارئ"):
    return ("\t\t<wp:comment>\n\t\t\t<wp:comment_id>%d</wp:comment_id>\n"
            "\t\t\t<wp:comment_author>%s</wp:comment_author>\n"
            "\t\t\t<wp:comment_author_email>%s</wp:comment_author_email>\n"
            "\t\t\t<wp:comment_author_url>http://example.org/</wp:comment_author_url>\n"
            "\t\t\t<wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>\n"
            "\t\t\t<wp:comment_date>%s</wp:comment_date>\n"
            "\t\t\t<wp:comment_date_gmt>%s</wp:comment_date_gmt>\n"
            "\t\t\t<wp:comment_content>%s</wp:comment_content>\n"
            "\t\t\t<wp:comment_approved>%s</wp:comment_approved>\n"
            "\t\t\t<wp:comment_type>%s</wp:comment_type>\n"
            "\t\t\t<wp:comment_parent>%d</wp:comment_parent>\n"
            "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n\t\t</wp:comment>\n"
            % (cid, cdata(author), cdata("c%d@example.org" % cid), cdata(date), cdata(date), cdata(content),
               cdata(approved), cdata(ctype), parent))


def wxr_item(base, pid, title, name, status="publish", ptype="post", content="<p>نص المقال.</p>",
             date="2024-05-01 10:00:00", parent=0, sticky=0, password="", terms=(), meta=(),
             comments=(), link=None, menu_order=0, attachment_url=None, extra=""):
    """An <item> as WordPress writes it; terms: (domain, nicename, name);
    meta: (key, value); link: the old address (default /name/)."""
    link = link if link is not None else "%s/%s/" % (base, name)
    out = ["\t<item>\n\t\t<title>%s</title>\n\t\t<link>%s</link>\n" % (cdata(title), escape(link)),
           "\t\t<pubDate>Wed, 01 May 2024 10:00:00 +0000</pubDate>\n\t\t<dc:creator>%s</dc:creator>\n" % cdata("editor"),
           '\t\t<guid isPermaLink="false">%s/?p=%d</guid>\n\t\t<description></description>\n' % (base, pid),
           "\t\t<content:encoded>%s</content:encoded>\n" % cdata(content),
           "\t\t<excerpt:encoded>%s</excerpt:encoded>\n" % cdata(""),
           "\t\t<wp:post_id>%d</wp:post_id>\n" % pid,
           "\t\t<wp:post_date>%s</wp:post_date>\n\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n" % (cdata(date), cdata(date)),
           "\t\t<wp:post_modified>%s</wp:post_modified>\n\t\t<wp:post_modified_gmt>%s</wp:post_modified_gmt>\n"
           % (cdata(date), cdata(date)),
           "\t\t<wp:comment_status>%s</wp:comment_status>\n\t\t<wp:ping_status>%s</wp:ping_status>\n"
           % (cdata("open"), cdata("open")),
           "\t\t<wp:post_name>%s</wp:post_name>\n\t\t<wp:status>%s</wp:status>\n" % (cdata(name), cdata(status)),
           "\t\t<wp:post_parent>%d</wp:post_parent>\n\t\t<wp:menu_order>%d</wp:menu_order>\n" % (parent, menu_order),
           "\t\t<wp:post_type>%s</wp:post_type>\n\t\t<wp:post_password>%s</wp:post_password>\n"
           % (cdata(ptype), cdata(password)),
           "\t\t<wp:is_sticky>%d</wp:is_sticky>\n" % sticky]
    if attachment_url:
        out.append("\t\t<wp:attachment_url>%s</wp:attachment_url>\n" % cdata(attachment_url))
    for domain, nicename, tname in terms:
        out.append('\t\t<category domain="%s" nicename="%s">%s</category>\n' % (domain, nicename, cdata(tname)))
    for key, value in meta:
        out.append("\t\t<wp:postmeta>\n\t\t<wp:meta_key>%s</wp:meta_key>\n\t\t<wp:meta_value>%s</wp:meta_value>\n"
                   "\t\t</wp:postmeta>\n" % (cdata(key), cdata(value)))
    out.extend(comments)
    out.append(extra)
    out.append("\t</item>\n")
    return "".join(out)


def wxr(base, body, version="1.2", title="موقع قديم"):
    """A whole export: the channel's head, body (authors, terms, items)."""
    return WXR_HEAD.format(v=version, base=base, title=title) + body + "</channel>\n</rss>\n"


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


BASE_A = "http://old-a.example"
BASE_B = "https://old-b.example/blog"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) + b"\xff\xd9"
CLASSIC_BODY = (
    "سطر أول من فقرة كلاسيكية\nوسطر ثان من الفقرة نفسها\n\n"
    "فقرة ثانية بعد سطر فارغ\n\n"
    '[caption id="attachment_301" align="alignnone" width="300"]<img class="size-medium" '
    'src="%s/wp-content/uploads/2024/05/x.jpg" alt="صورة الخبر" width="300" height="200" /> '
    "تعليق تحت الصورة[/caption]\n\n"
    "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]\n\n"
    "<script>alert('body')</script>\n\n"
    '<img src="%s/wp-content/uploads/2024/05/x.jpg" onerror="alert(2)" alt="ب" />\n\n'
    "فقرة أخيرة" % (BASE_A, BASE_A))


def kinds_export():
    """An export with every post status, pages in a tree, an attachment, a
    sticky post, comment states, another post type, an element WordPress
    does not write, a category tree and three permalink structures."""
    b = BASE_A
    news = ("category", "news", "أخبار")
    local = ("category", "local", "محلي")
    items = [
        wxr_item(b, 101, "منشور عادي", "st-publish", terms=[news], link="%s/news/st-publish/" % b,
                 comments=[
                     wxr_comment(1001, "تعليق مقبول"),
                     wxr_comment(1002, "تعليق بانتظار المراجعة", approved="0"),
                     wxr_comment(1003, "تعليق مزعج", approved="spam"),
                     wxr_comment(1004, "تعليق في سلة المهملات", approved="trash", parent=1001),
                     wxr_comment(1005, "إشارة من موقع آخر", ctype="pingback"),
                     wxr_comment(1006, "رد على تعليق محذوف", parent=1004),
                 ]),
        wxr_item(b, 102, "مسودة", "st-draft", status="draft", terms=[news]),
        wxr_item(b, 103, "بانتظار المراجعة", "st-pending", status="pending", terms=[news]),
        wxr_item(b, 104, "مجدول", "st-future", status="future", date="2031-01-01 10:00:00", terms=[news]),
        wxr_item(b, 105, "خاص", "st-private", status="private", terms=[news]),
        wxr_item(b, 106, "محذوف", "st-trash", status="trash", terms=[news]),
        wxr_item(b, 107, "مسودة آلية", "st-auto", status="auto-draft", terms=[news]),
        wxr_item(b, 108, "محمي بكلمة سر", "st-password", password="secret", terms=[news]),
        wxr_item(b, 109, "مثبت", "st-sticky", sticky=1, terms=[news], link="%s/archives/109" % b,
                 date="2024-04-01 10:00:00"),                     # older than the others
        wxr_item(b, 110, "رابط افتراضي", "st-default", terms=[news], link="%s/?p=110" % b),
        wxr_item(b, 111, "مقال بصورة بارزة", "st-thumb", terms=[news], meta=[("_thumbnail_id", "301")]),
        wxr_item(b, 112, "خبر محلي", "st-local", terms=[local], link="%s/news/local/st-local/" % b),
        wxr_item(b, 113, "نص كلاسيكي", "st-classic", terms=[news], content=CLASSIC_BODY),
        wxr_item(b, 201, "من نحن", "about", ptype="page", menu_order=1),
        wxr_item(b, 202, "الفريق", "team", ptype="page", parent=201, link="%s/about/team/" % b),
        wxr_item(b, 301, "صورة", "x", ptype="attachment", status="inherit", parent=111,
                 attachment_url="%s/wp-content/uploads/2024/05/x.jpg" % b,
                 link="%s/st-thumb/x/" % b,
                 meta=[("_wp_attached_file", "2024/05/x.jpg"), ("_wp_attachment_image_alt", "وصف الصورة")]),
        wxr_item(b, 401, "قائمة", "menu-1", ptype="nav_menu_item",
                 meta=[("_menu_item_type", "custom"), ("_menu_item_url", "http://example.org/")]),
        wxr_item(b, 114, "عنصر غريب", "st-unknown", terms=[news],
                 extra="\t\t<wp:future_field>قيمة</wp:future_field>\n"),
    ]
    body = (wxr_author("editor") + wxr_category(10, "news", "أخبار") +
            wxr_category(11, "local", "محلي", parent="news") + "".join(items))
    return wxr(b, body)


def classic_export():
    """A WXR 1.1 export of another site, with an attachment whose file is
    not brought along."""
    b = BASE_B
    items = [wxr_item(b, 7, "من موقع آخر", "from-b", terms=[("category", "misc", "متفرقات")],
                      meta=[("_thumbnail_id", "8")]),
             wxr_item(b, 8, "صورة أخرى", "y", ptype="attachment", status="inherit", parent=7,
                      attachment_url="%s/wp-content/uploads/2023/01/y.png" % b,
                      meta=[("_wp_attached_file", "2023/01/y.png")])]
    return wxr(b, wxr_author("editor") + wxr_category(3, "misc", "متفرقات") + "".join(items), version="1.1")


class Kinds(ServerTestCase, ImportCase):
    demo = False

    @classmethod
    def prepare_site(cls, site):
        uploads = os.path.join(site.tmp, "wp-uploads")
        os.makedirs(os.path.join(uploads, "2024", "05"))
        with open(os.path.join(uploads, "2024", "05", "x.jpg"), "wb") as f:
            f.write(JPEG)
        cls.result_a = import_wp(site, write(os.path.join(site.tmp, "a.xml"), kinds_export()), "--uploads", uploads)
        cls.result_b = import_wp(site, write(os.path.join(site.tmp, "b.xml"), classic_export()))

    def summary_a(self):
        return self.assert_ok(self.result_a)

    def article(self, slug, *cols):
        rows = self.site.query("SELECT %s FROM articles WHERE slug = ?" % ", ".join(cols), (slug,))
        self.assertEqual(len(rows), 1, "article %s: %r" % (slug, rows))
        return rows[0]

    def comment(self, body):
        rows = self.site.query("SELECT id, status, parent_id FROM comments WHERE body = ?", (body,))
        self.assertLessEqual(len(rows), 1)
        return rows[0] if rows else None

    def test_summary(self):
        s = self.summary_a()
        self.assertEqual(s["posts"], (12, 0, 0))         # 14 posts, trash and auto-draft left out
        self.assertEqual(s["pages"], (2, 0, 0))
        self.assertEqual(s["attachments"], (1, 0, 0))
        self.assertEqual(s["comments"], (4, 0, 0))
        self.assertEqual(s["files copied"], 1)
        skipped = s["skipped"]
        self.assertTrue(any("trash" in k for k in skipped), skipped)
        self.assertTrue(any("auto-draft" in k for k in skipped), skipped)
        self.assertTrue(any("nav_menu_item" in k for k in skipped), skipped)
        self.assertTrue(any("pingback" in k for k in skipped), skipped)
        self.assertEqual(sorted(skipped.values()), [1] * 5, skipped)   # 2 posts, 1 item, 2 comments
        self.assertEqual(s["ignored"], 1)                               # <wp:future_field>

    def test_statuses(self):
        want = {"st-publish": "published", "st-draft": "draft", "st-pending": "pending",
                "st-future": "scheduled", "st-private": "draft", "st-password": "draft",
                "st-sticky": "published"}
        for slug, status in want.items():
            self.assertEqual(self.article(slug, "status")[0], status, slug)
        for slug in ("st-trash", "st-auto"):
            self.assertEqual(self.site.query("SELECT COUNT(*) FROM articles WHERE slug = ?", (slug,))[0][0], 0)
        self.assertEqual(self.site.page("/st-private/").status, 404)
        self.assertEqual(self.site.page("/st-password/").status, 404)

    def test_sticky(self):
        self.assertEqual(self.article("st-sticky", "sticky")[0], 1)
        self.assertEqual(self.article("st-publish", "sticky")[0], 0)
        # first on the front page, though not the newest
        main = parse_html(self.site.get("/").text).find("main", id="main")
        paths = [urllib.parse.unquote(urllib.parse.urlsplit(a.get("href", "")).path) for a in main.find_all("a")]
        articles = [p for p in paths if re.fullmatch(r"/st-[a-z]+/|/from-b/", p)]
        self.assertTrue(articles, paths)
        self.assertEqual(articles[0], "/st-sticky/", articles)

    def test_pages(self):
        rows = dict((slug, (pid, parent)) for pid, slug, parent in
                    self.site.query("SELECT id, slug, parent_id FROM pages WHERE slug IN ('about', 'team')"))
        self.assertEqual(set(rows), {"about", "team"})
        self.assertEqual(rows["team"][1], rows["about"][0])
        self.assertIn(rows["about"][1], (None, 0))
        self.assertEqual(self.site.page("/team/").status, 200)
        self.assert_moved(self.site, "/about/team/", "/team/")
        self.assert_moved(self.site, "/?page_id=202", "/team/", encoded=True)

    def test_attachment_copied(self):
        path = os.path.join(self.site.dir, "uploads", "2024", "05", "x.jpg")
        with open(path, "rb") as f:
            self.assertEqual(f.read(), JPEG)
        rows = self.site.query("SELECT url, alt, article_id FROM media WHERE url LIKE '%x.jpg'")
        self.assertEqual(len(rows), 1, rows)
        url, alt, article = rows[0]
        self.assertEqual(url, "/uploads/2024/05/x.jpg")
        self.assertEqual(alt, "وصف الصورة")
        self.assertEqual(article, self.article("st-thumb", "id")[0])
        self.assertEqual(self.article("st-thumb", "image_url")[0], "/uploads/2024/05/x.jpg")
        self.assert_moved(self.site, "/wp-content/uploads/2024/05/x.jpg", "/uploads/2024/05/x.jpg")
        self.assert_moved(self.site, "/?attachment_id=301", "/uploads/2024/05/x.jpg", encoded=True)
        r = self.site.get("/uploads/2024/05/x.jpg")
        self.assertEqual((r.status, r.body), (200, JPEG))

    def test_attachment_without_uploads(self):
        s = self.assert_ok(self.result_b)
        self.assertEqual(s["posts"], (1, 0, 0))
        self.assertEqual(s["attachments"], (1, 0, 0))
        self.assertEqual(s["files copied"], 0)
        old = "%s/wp-content/uploads/2023/01/y.png" % BASE_B
        self.assertEqual(self.site.query("SELECT url FROM media WHERE url LIKE '%y.png'"), [(old,)])
        self.assertEqual(self.article("from-b", "image_url")[0], old)
        self.assertEqual(self.article("from-b", "status")[0], "published")

    def test_comments(self):
        aid = self.article("st-publish", "id")[0]
        approved = self.comment("تعليق مقبول")
        self.assertEqual(approved[1:], ("approved", None))
        self.assertEqual(self.comment("تعليق بانتظار المراجعة")[1], "pending")
        self.assertEqual(self.comment("تعليق مزعج")[1], "spam")
        self.assertIsNone(self.comment("تعليق في سلة المهملات"))
        self.assertIsNone(self.comment("إشارة من موقع آخر"))
        reply = self.comment("رد على تعليق محذوف")
        self.assertEqual(reply[1:], ("approved", approved[0]))
        self.assertEqual(self.site.query("SELECT COUNT(*) FROM comments WHERE article_id = ?", (aid,))[0][0], 4)
        r = self.site.page("/st-publish/")
        self.assertEqual(r.status, 200)
        self.assertIn("تعليق مقبول", r.text)
        self.assertIn("رد على تعليق محذوف", r.text)
        self.assertNotIn("تعليق مزعج", r.text)
        self.assertNotIn("بانتظار المراجعة</", r.text.replace("تعليق بانتظار المراجعة", ""))

    def test_unknown_kinds_ignored(self):
        self.assertEqual(self.site.query("SELECT COUNT(*) FROM articles WHERE slug = 'menu-1'")[0][0], 0)
        self.assertEqual(self.site.query("SELECT COUNT(*) FROM pages WHERE slug = 'menu-1'")[0][0], 0)
        self.assertEqual(self.article("st-unknown", "status")[0], "published")

    def test_category_tree(self):
        rows = dict(self.site.query("SELECT slug, id FROM categories WHERE slug IN ('news', 'local')"))
        self.assertEqual(self.site.query("SELECT parent_id FROM categories WHERE slug = 'local'"), [(rows["news"],)])
        self.assert_moved(self.site, "/category/news/local/", "/category/local/")
        self.assert_moved(self.site, "/?cat=11", "/category/local/", encoded=True)
        self.assertEqual(self.site.page("/category/local/").status, 200)

    def test_permalink_structures(self):
        self.assert_moved(self.site, "/news/st-publish/", "/st-publish/")          # /%category%/%postname%/
        self.assert_moved(self.site, "/news/local/st-local/", "/st-local/")
        self.assert_moved(self.site, "/archives/109", "/st-sticky/")               # /archives/%post_id%
        self.assert_moved(self.site, "/?p=110", "/st-default/", encoded=True)      # the default ?p=N
        self.assert_moved(self.site, "/?p=101", "/st-publish/", encoded=True)

    def test_classic_body(self):
        r = self.site.page("/st-classic/")
        self.assertEqual(r.status, 200)
        doc = parse_html(r.text)
        body = doc.find("div", cls="article-body")
        texts = [" ".join(p.text.split()) for p in body.find_all("p")]
        self.assertIn("فقرة ثانية بعد سطر فارغ", texts)
        self.assertIn("فقرة أخيرة", texts)
        first = [t for t in texts if t.startswith("سطر أول")]
        self.assertTrue(first and "وسطر ثان" in first[0], texts)     # one paragraph, a line break inside
        self.assertIsNotNone(body.find("p").find("br") if first else None)
        fig = body.find("figure")
        self.assertIsNotNone(fig, "no <figure> from [caption]")
        self.assertIsNotNone(fig.find("img"))
        self.assertEqual(" ".join(fig.find("figcaption").text.split()), "تعليق تحت الصورة")
        self.assertEqual(fig.find("img").get("src"), "/uploads/2024/05/x.jpg")
        self.assertNotIn("[caption", r.text)
        self.assertNotIn("[embed", r.text)
        self.assertIn("https://www.youtube.com/watch?v=dQw4w9WgXcQ", r.text)
        self.assertEqual(body.find_all("script"), [])
        self.assertNotIn("alert('body')", r.text)
        self.assertNotIn("onerror", r.text)
        self.assertNotIn("alert(2)", r.text)


# -- where a refusal points -------------------------------------------------------
def line_of(text, needle, start=0):
    """1-based line of the first needle in text at or after offset start."""
    at = text.index(needle, start)
    return text.count("\n", 0, at) + 1


# -- 5: bad input -------------------------------------------------------------------
class BadInput(ImportCase):
    """Every refusal: exit 1, the problem and its line on stderr, and the
    site as it was (row counts of every table, the change log)."""

    @classmethod
    def setUpClass(cls):
        cls.site = Site(demo=True)
        cls.dir = tempfile.mkdtemp(prefix="nashra-wxr-")

    @classmethod
    def tearDownClass(cls):
        cls.site.cleanup()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def file(self, name, text):
        return write(os.path.join(self.dir, name), text)

    def assert_refused(self, path, *words, line=None, lines=None):
        """Import path: exit 1, stderr naming words (case-insensitive) and
        'line N' (N == line, or in the range lines), nothing written."""
        before = snapshot(self.site)
        files = sorted(os.listdir(self.site.dir))
        r = import_wp(self.site, path)
        self.assertEqual(r.returncode, 1, "exit %s\nstdout %s\nstderr %s" % (r.returncode, r.stdout, r.stderr))
        self.assertTrue(r.stderr.startswith("nashra: "), r.stderr)
        self.assertFalse(sanitizer_report(r.stderr), r.stderr)
        for w in words:
            self.assertIn(w.lower(), r.stderr.lower())
        if line is not None or lines is not None:
            m = re.search(r"\bline (\d+)\b", r.stderr)
            self.assertIsNotNone(m, "no line in: %s" % r.stderr)
            got = int(m.group(1))
            if line is not None:
                self.assertEqual(got, line, r.stderr)
            else:
                self.assertTrue(lines[0] <= got <= lines[1], "line %d not in %s: %s" % (got, lines, r.stderr))
        self.assertEqual(snapshot(self.site), before)
        self.assertEqual(sorted(os.listdir(self.site.dir)), files)
        return r

    def test_malformed_xml(self):
        body = wxr_item(BASE_A, 1, "سليم", "fine") + wxr_item(BASE_A, 2, "مكسور", "broken")
        text = wxr(BASE_A, body).replace("<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type><![CDATA[post]]>"
                                         "</wp:post_type>\n\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n"
                                         "\t\t<wp:is_sticky>0</wp:is_sticky>\n\t</item>\n</channel>",
                                         "<wp:menu_order>0</wp:post_type>\n\t</item>\n</channel>")
        self.assertIn("<wp:menu_order>0</wp:post_type>", text)
        self.assert_refused(self.file("malformed.xml", text), "xml",
                            line=line_of(text, "<wp:menu_order>0</wp:post_type>"))

    def test_truncated(self):
        with open(FIXTURE, encoding="utf-8") as f:
            text = f.read()
        starts = [m.start() for m in re.finditer(r"<item>", text)]
        cut = text.index("<wp:post_id>", starts[len(starts) // 2])
        path = self.file("truncated.xml", text[:cut])
        r = self.assert_refused(path, lines=(line_of(text, "<item>", starts[len(starts) // 2]),
                                             text.count("\n", 0, cut) + 1))
        self.assertRegex(r.stderr.lower(), r"xml|truncated|end")

    def test_rss_without_wp(self):
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
                "<title>أخبار</title>\n<link>https://example.org/</link>\n<description>x</description>\n"
                "<item>\n<title>خبر</title>\n<link>https://example.org/a/</link>\n"
                "<description>نص</description>\n</item>\n</channel>\n</rss>\n")
        self.assert_refused(self.file("feed.xml", text), "not a WordPress export")

    def test_html_file(self):
        text = "<!DOCTYPE html>\n<html lang=\"ar\"><head><title>x</title></head><body><p>مرحبا</p></body></html>\n"
        self.assert_refused(self.file("page.xml", text))
        text = "<html lang=\"ar\">\n<head><title>x</title></head>\n<body><p>مرحبا</p></body>\n</html>\n"
        self.assert_refused(self.file("page2.xml", text), "not a WordPress export")

    def test_empty_file(self):
        self.assert_refused(self.file("empty.xml", ""), "empty")

    def test_impossible_date(self):
        body = (wxr_item(BASE_A, 1, "سليم", "fine") +
                wxr_item(BASE_A, 2, "تاريخ مستحيل", "bad-date", date="2023-02-30 10:00:00"))
        text = wxr(BASE_A, body)
        at = text.index("<wp:post_id>2</wp:post_id>")
        self.assert_refused(self.file("date.xml", text), "2023-02-30",
                            lines=(line_of(text, "<item>", text.rindex("<item>", 0, at)),
                                   line_of(text, "</item>", at)))

    def test_missing_comment_parent(self):
        body = wxr_item(BASE_A, 1, "مقال", "with-orphan",
                        comments=[wxr_comment(5, "أول"), wxr_comment(6, "رد يتيم", parent=99)])
        text = wxr(BASE_A, body)
        c = text.index("<wp:comment_id>6</wp:comment_id>")
        self.assert_refused(self.file("orphan.xml", text), "99",
                            lines=(line_of(text, "<wp:comment>", c - 40), line_of(text, "</wp:comment>", c)))

    def test_doctype_entity(self):
        text = wxr(BASE_A, wxr_item(BASE_A, 1, "&lol;", "lol"))
        text = text.replace('<?xml version="1.0" encoding="UTF-8" ?>\n',
                            '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE rss [\n'
                            '<!ENTITY lol "lol">\n<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n', 1)
        text = text.replace(cdata("&lol;"), "&lol2;")
        self.assert_refused(self.file("doctype.xml", text), "DOCTYPE")

    def test_missing_file(self):
        self.assert_refused(os.path.join(self.dir, "no-such-export.xml"), "no-such-export.xml")

    def test_usage(self):
        good = self.file("good.xml", wxr(BASE_A, wxr_item(BASE_A, 1, "سليم", "fine")))
        for args in ([], ["wordpress"], ["wordpress", self.site.dir],
                     ["wordpress", self.site.dir, good, "extra"],
                     ["wordpress", self.site.dir, good, "--no-such-option"],
                     ["wordpress", self.site.dir, good, "--uploads"],
                     ["wordpress", self.site.dir, good, "--uploads", os.path.join(self.dir, "no-such-dir")]):
            before = snapshot(self.site)
            r = run_cli("import", *args)
            self.assertEqual(r.returncode, 2, "nashra import %s: exit %s, %s" % (args, r.returncode, r.stderr))
            self.assertTrue(r.stderr.startswith("nashra: "), r.stderr)
            self.assertIn("no-such-dir" if args and args[-1].endswith("no-such-dir") else "usage", r.stderr)
            self.assertEqual(snapshot(self.site), before)


# -- 6: a dry run, standard input, and a site serving while it imports --------------
class DryRunAndStdin(ImportCase):
    def setUp(self):
        self.site = Site(demo=False)
        self.addCleanup(self.site.cleanup)

    def test_dry_run_counts_what_an_import_writes(self):
        before = snapshot(self.site)
        dry = import_wp(self.site, FIXTURE, "--dry-run")
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertTrue(dry.stdout.startswith("dry run"), dry.stdout)
        self.assertIn("to create", dry.stdout)
        self.assertNotIn(" created,", dry.stdout)
        self.assertEqual(snapshot(self.site), before)
        real = self.assert_ok(import_wp(self.site, FIXTURE))
        self.assertEqual(summary(dry.stdout), real)
        self.assertGreater(real["posts"][0], 0)

    def test_items_sharing_a_guid_stay_apart(self):
        """Two posts of one export with the same GUID (a plugin's copies)
        are two articles, and importing again changes neither; the same
        posts exported from the site's new address are matched by their
        GUIDs and ids, and their comments are not made twice."""
        base = "http://old.example"
        items = (wxr_item(base, 1, "الأول", "first", comments=[wxr_comment(7, "تعليق")])
                 + wxr_item(base, 2, "الثاني", "second"))
        text = wxr(base, items.replace("%s/?p=2</guid>" % base, "%s/?p=1</guid>" % base))
        path = write(os.path.join(self.site.tmp, "guid.xml"), text)
        self.assertEqual(self.assert_ok(import_wp(self.site, path))["posts"], (2, 0, 0))
        self.assertEqual(self.assert_ok(import_wp(self.site, path))["posts"], (0, 0, 2))
        moved = write(os.path.join(self.site.tmp, "moved.xml"),
                      text.replace("<wp:base_site_url>%s" % base, "<wp:base_site_url>https://new.example"))
        again = self.assert_ok(import_wp(self.site, moved))
        self.assertEqual((again["posts"][0], again["comments"][0]), (0, 0))
        self.assertEqual(self.site.query("SELECT count(*) FROM articles")[0][0], 2)
        self.assertEqual(self.site.query("SELECT count(*) FROM comments")[0][0], 1)

    def test_dry_run_with_uploads_copies_nothing(self):
        uploads = os.path.join(self.site.tmp, "wp-uploads")
        os.makedirs(os.path.join(uploads, "2024", "05"))
        with open(os.path.join(uploads, "2024", "05", "x.jpg"), "wb") as f:
            f.write(JPEG)
        path = write(os.path.join(self.site.tmp, "a.xml"), kinds_export())
        before = snapshot(self.site)
        dry = import_wp(self.site, path, "--uploads", uploads, "--dry-run")
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertEqual(snapshot(self.site), before)
        self.assertFalse(os.path.exists(os.path.join(self.site.dir, "uploads", "2024")))
        real = self.assert_ok(import_wp(self.site, path, "--uploads", uploads))
        dry_s = summary(dry.stdout)
        self.assertEqual({k: v for k, v in dry_s.items() if k != "files copied"},
                         {k: v for k, v in real.items() if k != "files copied"})

    def test_standard_input(self):
        with open(FIXTURE, "rb") as f:
            r = subprocess.run([BIN, "import", "wordpress", self.site.dir, "-"], stdin=f,
                               capture_output=True, text=True, timeout=IMPORT_TIMEOUT, env=ENV)
        s = self.assert_ok(r)
        export = read_export(FIXTURE)
        self.assertEqual(s["posts"][0], len(export["posts"]))
        self.assertEqual(self.site.query("SELECT COUNT(*) FROM articles")[0][0], len(export["posts"]))
        # a bad file on standard input is named so
        r = subprocess.run([BIN, "import", "wordpress", self.site.dir, "-"], input="<rss><channel>",
                           capture_output=True, text=True, timeout=60, env=ENV)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("standard input", r.stderr)


def large_export(path, n):
    """An export of n posts in 5 categories, each with a comment."""
    b = "http://big.example"
    cats = [("category", "cat%d" % i, "قسم %d" % i) for i in range(5)]
    with open(path, "w", encoding="utf-8") as f:
        f.write(WXR_HEAD.format(v="1.2", base=b, title="موقع كبير"))
        f.write(wxr_author("editor"))
        for i, c in enumerate(cats):
            f.write(wxr_category(100 + i, c[1], c[2]))
        for i in range(1, n + 1):
            body = "\n\n".join("<!-- wp:paragraph -->\n<p>فقرة %d من المقال %d عن موضوع رقم %d.</p>\n"
                               "<!-- /wp:paragraph -->" % (k, i, i * 7 + k) for k in range(4))
            day = 1 + i % 28
            f.write(wxr_item(b, 10000 + i, "مقال كبير رقم %d" % i, "big-%d" % i, content=body,
                             date="2025-%02d-%02d 10:%02d:00" % (1 + i % 12, day, i % 60),
                             terms=[cats[i % 5], ("post_tag", "t%d" % (i % 40), "وسم %d" % (i % 40))],
                             comments=[wxr_comment(50000 + i, "تعليق على المقال %d" % i)]))
        f.write("</channel>\n</rss>\n")


class ServedDuringImport(FastComments, ServerTestCase):
    # long enough to be polled many times: PostgreSQL and the sanitizer
    # builds import more slowly
    SLOW = os.environ.get("NASHRA_E2E_PG_URL") or "/asan/" in BIN or "/tsan/" in BIN
    POSTS = 300 if SLOW else 1000

    def test_site_answers_while_importing(self):
        path = os.path.join(self.site.tmp, "big.xml")
        large_export(path, self.POSTS)
        _, slug, _ = self.site.seed()
        proc = subprocess.Popen([BIN, "import", "wordpress", self.site.dir, path], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=ENV)
        gets, posts, n = collections.Counter(), [], 0
        try:
            while proc.poll() is None:
                n += 1
                for p in ("/", quote_path("/%s/" % slug)):
                    r = self.site.get(p, timeout=60)
                    gets[r.status] += 1
                    self.assertEqual(r.status, 200, "GET %s during the import -> %d" % (p, r.status))
                if proc.poll() is None:
                    body = comment_form(self.site, slug, comment="تعليق أثناء الاستيراد %d" % n,
                                        author="قارئ", email="reader@example.org")
                    r = post_comment(self.site, slug, body)
                    posts.append((r.status, proc.poll() is None))
        finally:
            out, err = proc.communicate(timeout=IMPORT_TIMEOUT)
        self.assertEqual(proc.returncode, 0, err)
        self.assertFalse(sanitizer_report(err), err)
        self.assertEqual(summary(out)["posts"], (self.POSTS, 0, 0))
        during = [status for status, running in posts if running]
        self.assertTrue(during, "the import ended before a comment could be posted during it")
        self.assertTrue(any(s == 303 for s in during), "every comment posted during the import refused: %s"
                        % collections.Counter(during))
        self.assertTrue(all(s in (303, 503) for s, _ in posts), collections.Counter(s for s, _ in posts))
        self.assertEqual(self.site.query("SELECT COUNT(*) FROM articles WHERE slug LIKE 'big-%'")[0][0], self.POSTS)
