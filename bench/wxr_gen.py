#!/usr/bin/env python3
"""wxr_gen.py - a WordPress export (WXR 1.2) of N posts for the import
benchmark (bench/import.sh). Deterministic: the same N, seed and fixture
give the same bytes.

The shape is what WordPress 6.1 writes (its whitespace included, as in
the fixture export-full.xml): the channel header, several authors, a
category hierarchy three levels deep (parents before children), tags,
every term again in wp:term, then the items in WordPress's order (ids
in descending blocks of 20, each block ascending). Items:
  - posts with Gutenberg block bodies (paragraphs, headings, now and then
    an image, a list, a quote or a YouTube embed) of the fixture's
    average length, Arabic titles and percent-encoded Arabic slugs made
    the way sanitize_title makes them (lower-case hex, 200 bytes at most,
    -2, -3… on a clash), one category (some two), three tags, ~0.8
    comments per post (replies, a few pending, a few pingbacks);
  - about a third of the published posts have a featured image: an
    attachment item (post_type attachment, its _wp_attached_file and a
    serialized _wp_attachment_metadata) referenced by the post's
    _thumbnail_id, written after the post (its id is higher, as when it
    is uploaded in the editor);
  - drafts (no slug, no GMT date, ?p=ID links) about 2 %, one scheduled
    post per 1,000 (at least one), two sticky posts, a few pages with a
    hierarchy.
Text: the fixture's sentences, titles and comments, with words swapped
for others from a vocabulary of a few thousand words derived from the
fixture's own (its stems with other clitics and suffixes, and names made
of its syllables), drawn with a Zipf distribution, so that the search
index grows with the corpus as it would on a real site.

  bench/wxr_gen.py N [-o FILE] [--seed S] [--fixture export-full.xml]
  bench/wxr_gen.py --stats FILE   counts of what a WXR file holds
"""
import argparse
import bisect
import datetime as dt
import os
import random
import re
import sys
import xml.etree.ElementTree as ET

NS = {"wp": "http://wordpress.org/export/1.2/",
      "content": "http://purl.org/rss/1.0/modules/content/",
      "excerpt": "http://wordpress.org/export/1.2/excerpt/"}
SITE = "https://nashra.example"
TZ = dt.timedelta(hours=3)              # the site's time zone, as in the fixture
EXPORTED = dt.datetime(2026, 11, 24, 23, 37, 8)   # GMT
POSTS_PER_DAY = 8
FUNCTION_WORDS = 40
ARABIC = re.compile(r"[\u0621-\u065f\u0670-\u06d3]+")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = (os.path.join(ROOT, "tests/fixtures/wordpress/export-full.xml"),
            os.path.join(ROOT, "../shared/fixtures/wordpress/export-full.xml"))

AUTHORS = [  # login, display name, email
    ("admin", "admin", "admin@nashra.example"),
    ("salma.h", "سلمى حداد", "salma@nashra.example"),
    ("omar", "عمر الخطيب", "omar@nashra.example"),
    ("layla", "ليلى منصور", "layla@nashra.example"),
    ("k.nasser", "خالد ناصر", "khaled@nashra.example"),
    ("rana", "رنا العلي", "rana@nashra.example"),
    ("desk", "فريق التحرير", "desk@nashra.example"),
]
# term id, slug, name, parent slug: the fixture's five and their children
CATEGORIES = [
    (1, "%d8%ba%d9%8a%d8%b1-%d9%85%d8%b5%d9%86%d9%81", "غير مصنف", ""),
    (2, "politics", "سياسة", ""), (3, "economy", "اقتصاد", ""),
    (4, "sports", "رياضة", ""), (5, "tech", "تكنولوجيا", ""),
    (6, "culture", "ثقافة", ""),
    (7, "arab-world", "الوطن العربي", "politics"),
    (8, "world", "دولي", "politics"),
    (9, "gulf", "الخليج", "arab-world"),
    (10, "maghreb", "المغرب العربي", "arab-world"),
    (11, "markets", "أسواق", "economy"), (12, "energy", "طاقة", "economy"),
    (13, "football", "كرة القدم", "sports"),
    (14, "%d8%a7%d9%84%d8%af%d9%88%d8%b1%d9%8a-%d8%a7%d9%84%d8%b3%d8%b9%d9%88%d8%af%d9%8a",
     "الدوري السعودي", "football"),
    (15, "startups", "شركات ناشئة", "tech"),
    (16, "books", "كتب", "culture"), (17, "cinema", "سينما", "culture"),
]
PAGES = [  # title, slug or "" (from the title), parent index or -1
    ("من نحن", "", -1), ("فريق التحرير", "", 0), ("اتصل بنا", "contact", -1),
    ("سياسة الخصوصية", "privacy-policy", -1), ("شروط الاستخدام", "", -1),
    ("أعلن معنا", "advertise", -1), ("الأرشيف", "", -1), ("وظائف", "jobs", 0),
]
PROCLITICS = ["", "", "", "و", "ب", "ل", "ف", "وب", "ول"]
SUFFIXES = ["", "", "ات", "ة", "ين", "ون", "ها", "هم", "ية", "يين", "ان"]
IMAGE_PREFIXES = ["IMG_", "photo-", "afp_", "DSC0", "reuters-", "WhatsApp-Image-"]
SLUG_STRIP = ["%c2%ad", "%c2%a1", "%c2%bf", "%c2%ab", "%c2%bb", "%e2%80%b9",
              "%e2%80%ba", "%e2%80%98", "%e2%80%99", "%e2%80%9c", "%e2%80%9d",
              "%e2%80%9a", "%e2%80%9b", "%e2%80%9e", "%e2%80%9f", "%e2%80%a2",
              "%c2%a9", "%c2%ae", "%c2%b0", "%e2%80%a6", "%e2%84%a2",
              "%e2%80%8b", "%e2%80%8c", "%e2%80%8d", "%e2%80%8e", "%e2%80%8f"]


# ---- slugs as WordPress makes them (sanitize_title_with_dashes, 'save') ----
def utf8_uri_encode(s, length=200):
    out, n = [], 0
    for ch in s:
        b = ch.encode()
        enc = ch if len(b) == 1 else "".join("%%%x" % c for c in b)
        if n + len(enc) > length:
            break
        out.append(enc)
        n += len(enc)
    return "".join(out)


def sanitize_title(title):
    t = re.sub(r"<[^>]*>", "", title).lower()
    t = utf8_uri_encode(t, 200).lower()
    for dash in ("%c2%a0", "%e2%80%93", "%e2%80%94", "/"):
        t = t.replace(dash, "-")
    for gone in SLUG_STRIP:
        t = t.replace(gone, "")
    t = re.sub(r"&.+?;", "", t).replace(".", "-")
    t = re.sub(r"[^%a-z0-9 _-]", "", t)
    t = re.sub(r"-+", "-", re.sub(r"\s+", "-", t))
    return t.strip("-")


def unique_slug(slug, used):
    if slug not in used:
        used.add(slug)
        return slug
    n = 2
    while True:
        room = 200 - len(str(n)) - 1
        base = slug if len(slug) <= room else utf8_uri_encode(
            percent_decode(slug), room).rstrip("-")
        alt = "%s-%d" % (base, n)
        if alt not in used:
            used.add(alt)
            return alt
        n += 1


def percent_decode(s):
    return re.sub(rb"%([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                  s.encode()).decode("utf-8", "replace")


def php_serialize(v):
    if isinstance(v, bool):
        return "b:%d;" % v
    if isinstance(v, int):
        return "i:%d;" % v
    if isinstance(v, float):
        return "d:%s;" % repr(v)
    if isinstance(v, str):
        return 's:%d:"%s";' % (len(v.encode()), v)
    if isinstance(v, (list, tuple)):
        v = dict(enumerate(v))
    body = "".join(php_serialize(k) + php_serialize(x) for k, x in v.items())
    return "a:%d:{%s}" % (len(v), body)


def cdata(s):
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


# ---- words and text from the fixture ----
class Corpus:
    """The fixture's sentences, titles, headings and comments, and a
    vocabulary derived from its words (ranked for a Zipf draw)."""

    def __init__(self, path, rng):
        self.sentences, self.titles, self.headings = [], [], []
        self.comments, self.commenters, self.tags = [], [], []
        words = {}
        for _, el in ET.iterparse(path):
            tag = el.tag.split("}")[-1]
            if tag == "encoded" and el.tag.startswith("{" + NS["content"]) and el.text:
                self._body(el.text, words)
            elif tag == "title" and el.text and ARABIC.search(el.text):
                self.titles.append(el.text.replace(" (شاهد)", ""))
                count(words, el.text)
            elif tag == "comment_content" and el.text:
                self.comments.append(el.text)
            elif tag == "comment":
                a = el.find("wp:comment_author", NS).text
                e = el.find("wp:comment_author_email", NS).text
                self.commenters.append((a, e.replace("example.test", "example.com")))
            elif tag == "tag_name":
                self.tags.append(el.text)
        self.comments = sorted(set(self.comments))
        self.commenters = sorted(set(self.commenters))
        # the most frequent words (في، من، على…) are the sentences' own:
        # drawn words start below them
        self.vocab = derive_vocabulary(words, rng)[FUNCTION_WORDS:]
        self.cum = []
        total = 0.0
        for k in range(len(self.vocab)):
            total += 1.0 / (k + 1)
            self.cum.append(total)

    def _body(self, html, words):
        for h in re.findall(r"<h2>(.*?)</h2>", html):
            self.headings.append(h)
        for p in re.findall(r"<p>(.*?)</p>", html, re.S):
            count(words, p)
            for s in re.split(r"(?<=[.!؟])\s+", p):
                if len(s) > 20:
                    self.sentences.append(s)

    def word(self, rng):
        return self.vocab[bisect.bisect(self.cum, rng.random() * self.cum[-1])]

    def vary(self, text, rng, p):
        """text with about p of its Arabic words replaced by drawn ones"""
        return ARABIC.sub(lambda m: self.word(rng) if rng.random() < p else m.group(0), text)

    def sentence(self, rng):
        return self.vary(rng.choice(self.sentences), rng, 0.3)

    def title(self, rng):
        t = self.vary(rng.choice(self.titles), rng, 0.25)
        r = rng.random()
        if r < 0.03:
            t += " (شاهد)"
        elif r < 0.06:
            t = "عاجل: " + t
        elif r < 0.08:
            t = "«%s» %s" % (self.word(rng), t)
        return t


def count(words, text):
    for w in ARABIC.findall(text):
        words[w] = words.get(w, 0) + 1


def stem(w):
    for p in ("وال", "بال", "فال", "لل", "ال", "و", "ب", "ل"):
        if w.startswith(p) and len(w) - len(p) >= 3:
            w = w[len(p):]
            break
    for s in ("يات", "ات", "ون", "ين", "ية", "ها", "هم", "ة"):
        if w.endswith(s) and len(w) - len(s) >= 3:
            return w[:-len(s)]
    return w


def derive_vocabulary(words, rng):
    """The fixture's words, by frequency, then forms of their stems with
    other clitics and suffixes and names of their syllables, shuffled
    into the tail: about 6,000 distinct words."""
    ranked = sorted(words, key=lambda w: (-words[w], w))
    stems = sorted({stem(w) for w in ranked})
    derived = set()
    for s in stems:
        for _ in range(5):
            art = "ال" if rng.random() < 0.5 else ""
            derived.add(rng.choice(PROCLITICS) + art + s + rng.choice(SUFFIXES))
    syll = sorted({s[i:i + 2] for s in stems for i in range(0, len(s) - 1, 2)})
    for _ in range(800):
        derived.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 3))) + rng.choice(["", "ي", "ة", "ان"]))
    tail = sorted(derived - set(ranked))
    rng.shuffle(tail)
    return ranked + tail


# ---- the site: who, what, when ----
class Item:
    __slots__ = ("id", "kind", "status", "date", "slug", "title", "parent",
                 "author", "cats", "tags", "thumb", "comments", "sticky",
                 "menu_order", "file", "link")


def local(d):
    return (d + TZ).strftime("%Y-%m-%d %H:%M:%S")


def plan(n, rng, corpus):
    """Every item but its text, in id order; ids leave gaps (revisions)."""
    items, used, files, next_id = [], set(), set(), 10
    start = EXPORTED - dt.timedelta(days=n / POSTS_PER_DAY)
    pages = []
    for title, slug, parent in PAGES:
        it = new_item(next_id, "page", "publish", start - dt.timedelta(days=30 - len(pages)))
        it.title, it.parent, it.menu_order = title, pages[parent].id if parent >= 0 else 0, len(pages)
        it.slug = unique_slug(slug or sanitize_title(title), used)
        it.link = page_link(it, pages)
        pages.append(it)
        items.append(it)
        next_id += 2
    ntags = 50 + n // 5
    tags = tag_list(corpus, rng, ntags)
    scheduled = set(rng.sample(range(n // 2, n), max(1, n // 1000)))
    next_comment = 1
    for i in range(n):
        date = start + dt.timedelta(seconds=int(i * 86400 / POSTS_PER_DAY + rng.randint(0, 9000)))
        status = "future" if i in scheduled else "draft" if rng.random() < 0.02 else "publish"
        if status == "future":
            date = EXPORTED + dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 12))
        it = new_item(next_id, "post", status, date)
        it.author = rng.randrange(len(AUTHORS))
        it.title = corpus.title(rng)
        it.slug = "" if status == "draft" else unique_slug(sanitize_title(it.title), used)
        it.cats = [rng.choice(CATEGORIES[1:])] + ([rng.choice(CATEGORIES[1:])] if rng.random() < 0.15 else [])
        it.tags = [tags[int(ntags ** rng.random()) - 1] for _ in range(3)]
        it.tags = list(dict.fromkeys(it.tags))
        while len(it.tags) < 3:
            t = rng.choice(tags)
            if t not in it.tags:
                it.tags.append(t)
        it.link = post_link(it)
        items.append(it)
        next_id += 1
        if status == "publish" and rng.random() < 0.35:
            att = new_item(next_id, "attachment", "inherit", date - dt.timedelta(minutes=rng.randint(2, 50)))
            att.author, att.parent = it.author, it.id
            att.title = unique_file(att.date.strftime("%Y/%m/"),
                                    rng.choice(IMAGE_PREFIXES) + str(rng.randint(1000, 99999)), files)
            att.slug = unique_slug(sanitize_title(att.title), used)
            att.file = "%s/%s.jpg" % (att.date.strftime("%Y/%m"), att.title)
            att.link = it.link + att.slug + "/"
            it.thumb = att.id
            items.append(att)
            next_id += 1
        if status == "publish":
            k = rng.randint(1, 5) if rng.random() < 0.25 else 0
            if rng.random() < 0.002:
                k = rng.randint(20, 40)
            it.comments = (next_comment, k)
            next_comment += k
        next_id += rng.choice((0, 1, 1, 2))
    posts = [it for it in items if it.kind == "post" and it.status == "publish"]
    for it in rng.sample(posts, min(2, len(posts))):
        it.sticky = 1
    return items, tags


def unique_file(folder, name, files):
    """name, or name-1, name-2… when the month's folder has it already
    (wp_unique_filename)"""
    n, base = 0, name
    while folder + name in files:
        n += 1
        name = "%s-%d" % (base, n)
    files.add(folder + name)
    return name


def new_item(id_, kind, status, date):
    it = Item()
    it.id, it.kind, it.status, it.date = id_, kind, status, date
    it.parent, it.author, it.cats, it.tags, it.thumb = 0, 0, [], [], 0
    it.comments, it.sticky, it.menu_order, it.file = (0, 0), 0, 0, ""
    return it


def post_link(it):
    if it.status in ("draft", "future"):
        return "%s/?p=%d" % (SITE, it.id)
    return "%s/%s/%s/" % (SITE, (it.date + TZ).strftime("%Y/%m/%d"), it.slug)


def page_link(it, pages):
    path = [it.slug]
    parent = it.parent
    while parent:
        p = next(x for x in pages if x.id == parent)
        path.insert(0, p.slug)
        parent = p.parent
    return "%s/%s/" % (SITE, "/".join(path))


def tag_list(corpus, rng, n):
    """n distinct tags: the fixture's, then one or two drawn words"""
    names = list(dict.fromkeys(corpus.tags))
    seen = set(names)
    while len(names) < n:
        w = corpus.word(rng)
        if rng.random() < 0.3:
            w += " " + corpus.word(rng)
        if w not in seen:
            seen.add(w)
            names.append(w)
    slugs = set()
    out = []
    for i, name in enumerate(names[:n]):
        out.append((100 + i, unique_slug(sanitize_title(name), slugs), name))
    return out


# ---- writing ----
def header(out, tags):
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8" ?>\n')
    w(PREAMBLE)
    w('\t<!-- generator="WordPress/6.1.9" created="%s" -->\n' % EXPORTED.strftime("%Y-%m-%d %H:%M"))
    w('<rss version="2.0"\n\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
      '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
      '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
      '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
      '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n\n<channel>\n')
    w("\t<title>نشرة</title>\n\t<link>%s</link>\n\t<description>أخبار عربية أولاً</description>\n"
      "\t<pubDate>%s</pubDate>\n\t<language>ar</language>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n"
      "\t<wp:base_site_url>%s</wp:base_site_url>\n\t<wp:base_blog_url>%s</wp:base_blog_url>\n\n\t"
      % (SITE, rfc822(EXPORTED), SITE, SITE))
    for i, (login, name, email) in enumerate(AUTHORS):
        w("\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login>%s</wp:author_login>"
          "<wp:author_email>%s</wp:author_email><wp:author_display_name>%s</wp:author_display_name>"
          "<wp:author_first_name>%s</wp:author_first_name><wp:author_last_name>%s</wp:author_last_name>"
          "</wp:author>\n" % (i + 1, cdata(login), cdata(email), cdata(name),
                               cdata(name.split(" ")[0] if " " in name else ""),
                               cdata(name.split(" ", 1)[1] if " " in name else "")))
    w("\n\t")
    for tid, slug, name, parent in parents_first(by_name(CATEGORIES)):
        w("\t<wp:category>\n\t\t<wp:term_id>%d</wp:term_id>\n\t\t<wp:category_nicename>%s</wp:category_nicename>\n"
          "\t\t<wp:category_parent>%s</wp:category_parent>\n\t\t<wp:cat_name>%s</wp:cat_name>\n\t</wp:category>\n\t"
          % (tid, cdata(slug), cdata(parent), cdata(name)))
    w("\t")
    for tid, slug, name in sorted(tags, key=lambda t: t[2]):
        w("\t<wp:tag>\n\t\t<wp:term_id>%d</wp:term_id>\n\t\t<wp:tag_slug>%s</wp:tag_slug>\n"
          "\t\t<wp:tag_name>%s</wp:tag_name>\n\t</wp:tag>\n\t" % (tid, cdata(slug), cdata(name)))
    w("\t")
    terms = [(t[0], "category", t[1], t[3], t[2]) for t in CATEGORIES] + \
            [(t[0], "post_tag", t[1], "", t[2]) for t in tags]
    terms = parents_first(sorted(terms, key=lambda t: (t[4], t[0])), slug_at=2, parent_at=3)
    for tid, tax, slug, parent, name in terms:
        w("\t<wp:term>\n\t\t<wp:term_id>%d</wp:term_id>\n\t\t<wp:term_taxonomy>%s</wp:term_taxonomy>\n"
          "\t\t<wp:term_slug>%s</wp:term_slug>\n\t\t<wp:term_parent>%s</wp:term_parent>\n"
          "\t\t<wp:term_name>%s</wp:term_name>\n\t</wp:term>\n\t" % (tid, cdata(tax), cdata(slug), cdata(parent), cdata(name)))
    w("\t\n\t<generator>https://wordpress.org/?v=6.1.9</generator>\n\n\t")


PREAMBLE = """<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- It contains information about your site's posts, pages, comments, categories, and other content. -->
<!-- You may use this file to transfer that content from one site to another. -->
<!-- This file is not intended to serve as a complete backup of your site. -->

<!-- To import this information into a WordPress site follow these steps: -->
<!-- 1. Log in to that site as an administrator. -->
<!-- 2. Go to Tools: Import in the WordPress admin panel. -->
<!-- 3. Install the "WordPress" importer from the list. -->
<!-- 4. Activate & Run Importer. -->
<!-- 5. Upload this file using the form provided on that page. -->
<!-- 6. You will first be asked to map the authors in this export file to users -->
<!--    on the site. For each author, you may choose to map to an -->
<!--    existing user on the site or to create a new user. -->
<!-- 7. WordPress will then import each of the posts, pages, comments, categories, etc. -->
<!--    contained in this file into your site. -->

"""


def by_name(cats):
    return sorted(cats, key=lambda c: (c[2], c[0]))


def parents_first(terms, slug_at=1, parent_at=3):
    """WordPress's order: a term whose parent is not out yet goes to the end"""
    queue, done, out = list(terms), set(), []
    while queue:
        t = queue.pop(0)
        if not t[parent_at] or t[parent_at] in done:
            done.add(t[slug_at])
            out.append(t)
        else:
            queue.append(t)
    return out


def rfc822(d):
    return d.strftime("%a, %d %b %Y %H:%M:%S +0000")


def body(corpus, rng, it, att_url):
    blocks = []
    nparas = rng.randint(4, 8)
    heading_at = rng.randint(2, nparas - 1) if rng.random() < 0.45 else -1
    image_at = rng.randint(1, 3) if att_url and rng.random() < 0.5 else -1
    extra_at, extra = rng.randint(2, nparas), rng.random()
    for i in range(nparas):
        if i == heading_at:
            blocks.append("<!-- wp:heading -->\n<h2>%s</h2>\n<!-- /wp:heading -->"
                          % corpus.vary(rng.choice(corpus.headings), rng, 0.5))
        if i == image_at:
            blocks.append(image_block(corpus, rng, it, att_url))
        if i == extra_at:
            blocks.append(extra_block(corpus, rng, extra))
        blocks.append("<!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph -->" % paragraph(corpus, rng))
    return "\n\n".join(blocks)


def paragraph(corpus, rng):
    text = " ".join(corpus.sentence(rng) for _ in range(rng.randint(1, 3)))
    r = rng.random()
    if r < 0.1:
        words = text.split(" ")
        k = rng.randrange(len(words))
        words[k] = "<strong>%s</strong>" % words[k]
        text = " ".join(words)
    elif r < 0.16:
        words = text.split(" ")
        k = rng.randrange(len(words) - 1)
        words[k] = '<a href="%s/tag/%s/">%s' % (SITE, sanitize_title(words[k]), words[k])
        words[k + 1] += "</a>"
        text = " ".join(words)
    return text


def image_block(corpus, rng, it, att_url):
    large = att_url[:-4] + "-1024x683.jpg"
    return ('<!-- wp:image {"id":%d,"sizeSlug":"large","linkDestination":"none"} -->\n'
            '<figure class="wp-block-image size-large"><img src="%s" alt="%s" class="wp-image-%d"/>'
            '<figcaption class="wp-element-caption">%s</figcaption></figure>\n<!-- /wp:image -->'
            % (it.thumb, large, corpus.word(rng), it.thumb, corpus.vary(rng.choice(corpus.titles), rng, 0.4)))


def extra_block(corpus, rng, r):
    if r < 0.08:
        items = "\n\n".join("<!-- wp:list-item -->\n<li>%s</li>\n<!-- /wp:list-item -->"
                            % corpus.vary(rng.choice(corpus.headings), rng, 0.6) for _ in range(rng.randint(3, 5)))
        return "<!-- wp:list -->\n<ul>%s</ul>\n<!-- /wp:list -->" % items
    if r < 0.14:
        return ('<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n<p>%s</p>\n'
                '<!-- /wp:paragraph --><cite>%s</cite></blockquote>\n<!-- /wp:quote -->'
                % (corpus.sentence(rng), rng.choice(AUTHORS[1:])[1]))
    if r < 0.18:
        url = "https://www.youtube.com/watch?v=" + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") for _ in range(11))
        return ('<!-- wp:embed {"url":"%s","type":"video","providerNameSlug":"youtube","responsive":true,'
                '"className":"wp-embed-aspect-16-9 wp-has-aspect-ratio"} -->\n'
                '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube '
                'wp-embed-aspect-16-9 wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">\n%s\n'
                '</div></figure>\n<!-- /wp:embed -->' % (url, url))
    return "<!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph -->" % corpus.sentence(rng)


def attachment_meta(rng, it):
    w = rng.choice((1200, 1600, 1920, 2048))
    h = w * 2 // 3
    name = it.file.rsplit("/", 1)[1][:-4]
    sizes = {}
    for size, sw in (("medium", 300), ("large", 1024), ("thumbnail", 150), ("medium_large", 768)):
        sh = 150 if size == "thumbnail" else sw * 2 // 3
        sizes[size] = {"file": "%s-%dx%d.jpg" % (name, sw, sh), "width": sw, "height": sh,
                       "mime-type": "image/jpeg", "filesize": sw * sh // 9}
    return php_serialize({
        "width": w, "height": h, "file": it.file, "filesize": w * h // 7, "sizes": sizes,
        "image_meta": {"aperture": "0", "credit": "", "camera": "", "caption": "", "created_timestamp": "0",
                       "copyright": "", "focal_length": "0", "iso": "0", "shutter_speed": "0", "title": "",
                       "orientation": "0", "keywords": []}})


def write_item(out, corpus, seed, it, by_id):
    rng = random.Random(seed * 1000003 + it.id)
    w = out.write
    att_url = ""
    if it.thumb:
        att_url = "%s/wp-content/uploads/%s" % (SITE, by_id[it.thumb].file)
    if it.kind == "attachment":
        content, excerpt = "", corpus.vary(rng.choice(corpus.titles), rng, 0.4) if rng.random() < 0.3 else ""
        guid = "%s/wp-content/uploads/%s" % (SITE, it.file)
    elif it.kind == "page":
        content = "\n\n".join("<!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph -->" % paragraph(corpus, rng)
                              for _ in range(rng.randint(2, 5)))
        excerpt, guid = "", "%s/?page_id=%d" % (SITE, it.id)
    else:
        content = body(corpus, rng, it, att_url)
        excerpt = corpus.sentence(rng) if rng.random() < 0.2 else ""
        guid = it.link if it.status == "publish" else "%s/?p=%d" % (SITE, it.id)
    draft = it.status == "draft"
    modified = it.date + dt.timedelta(minutes=rng.randint(0, 600) if rng.random() < 0.3 else 0)
    w("\t<item>\n\t\t<title>%s</title>\n\t\t<link>%s</link>\n\t\t<pubDate>%s</pubDate>\n"
      "\t\t<dc:creator>%s</dc:creator>\n\t\t<guid isPermaLink=\"false\">%s</guid>\n\t\t<description></description>\n"
      "\t\t<content:encoded>%s</content:encoded>\n\t\t<excerpt:encoded>%s</excerpt:encoded>\n"
      "\t\t<wp:post_id>%d</wp:post_id>\n"
      % (cdata(it.title), it.link, "" if draft else rfc822(it.date), cdata(AUTHORS[it.author][0]),
         guid, cdata(content), cdata(excerpt), it.id))
    fields = [("post_date", local(it.date)),
              ("post_date_gmt", "0000-00-00 00:00:00" if draft else it.date.strftime("%Y-%m-%d %H:%M:%S")),
              ("post_modified", local(modified)), ("post_modified_gmt", modified.strftime("%Y-%m-%d %H:%M:%S")),
              ("comment_status", "closed" if it.kind == "page" else "open"),
              ("ping_status", "closed" if it.kind != "post" else "open"),
              ("post_name", it.slug), ("status", it.status)]
    for k, v in fields:
        w("\t\t<wp:%s>%s</wp:%s>\n" % (k, cdata(v), k))
    w("\t\t<wp:post_parent>%d</wp:post_parent>\n\t\t<wp:menu_order>%d</wp:menu_order>\n"
      "\t\t<wp:post_type>%s</wp:post_type>\n\t\t<wp:post_password>%s</wp:post_password>\n"
      "\t\t<wp:is_sticky>%d</wp:is_sticky>\n\t\t\t\t"
      % (it.parent, it.menu_order, cdata(it.kind), cdata(""), it.sticky))
    if it.kind == "attachment":
        w("\t\t<wp:attachment_url>%s</wp:attachment_url>\n\t" % cdata(guid))
    w("\t\t\t\t")
    terms = [("category", c[1], c[2]) for c in dict.fromkeys(it.cats)] + [("post_tag", t[1], t[2]) for t in it.tags]
    for tax, slug, name in sorted(terms, key=lambda t: t[2]):
        w('\t\t<category domain="%s" nicename="%s">%s</category>\n' % (tax, slug, cdata(name)))
    w("\t\t\t\t")
    for k, v in postmeta(rng, it):
        w("\t\t<wp:postmeta>\n\t\t<wp:meta_key>%s</wp:meta_key>\n\t\t<wp:meta_value>%s</wp:meta_value>\n"
          "\t\t</wp:postmeta>\n\t\t\t\t\t" % (cdata(k), cdata(v)))
    write_comments(out, corpus, rng, it)
    w("\t\t</item>\n\t\t\t\t")


def postmeta(rng, it):
    if it.kind == "attachment":
        meta = [("_wp_attached_file", it.file), ("_wp_attachment_metadata", attachment_meta(rng, it))]
        if rng.random() < 0.4:
            meta.append(("_wp_attachment_image_alt", it.title))
        return meta
    meta = [("_edit_last", str(it.author + 1))] if it.kind == "page" else []
    if it.thumb:
        meta.append(("_thumbnail_id", str(it.thumb)))
    if it.kind == "post" and it.status == "publish":
        meta += [("_pingme", "1"), ("_encloseme", "1")] if rng.random() < 0.4 else [("_encloseme", "1")]
    return meta


def write_comments(out, corpus, rng, it):
    first, k = it.comments
    when = it.date
    ids = []
    for cid in range(first, first + k):
        when += dt.timedelta(minutes=rng.randint(3, 600))
        if when > EXPORTED:     # not yet written when the site was exported
            break
        parent = rng.choice(ids) if ids and rng.random() < 0.15 else 0
        kind, user = "comment", 0
        r = rng.random()
        if r < 0.01:
            kind = "pingback"
            author, email = "مدونة %s" % corpus.word(rng), ""
            url = "https://blog%d.example.org/%s/" % (rng.randint(1, 99), rng.randint(1000, 9999))
            text = "[&hellip;] %s [&hellip;]" % corpus.sentence(rng)
            parent = 0
        elif parent and r < 0.2:
            user = rng.randrange(len(AUTHORS)) + 1
            author, email = AUTHORS[user - 1][1], AUTHORS[user - 1][2]
            url, text = SITE, rng.choice(corpus.comments)
        else:
            author, email = rng.choice(corpus.commenters)
            url = ""
            text = rng.choice(corpus.comments) if rng.random() < 0.6 else corpus.sentence(rng)
        approved = "0" if rng.random() < 0.05 else "1"
        ip = "%d.%d.%d.%d" % (rng.randint(2, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
        out.write("\t\t<wp:comment>\n\t\t\t<wp:comment_id>%d</wp:comment_id>\n"
                  "\t\t\t<wp:comment_author>%s</wp:comment_author>\n"
                  "\t\t\t<wp:comment_author_email>%s</wp:comment_author_email>\n"
                  "\t\t\t<wp:comment_author_url>%s</wp:comment_author_url>\n"
                  "\t\t\t<wp:comment_author_IP>%s</wp:comment_author_IP>\n"
                  "\t\t\t<wp:comment_date>%s</wp:comment_date>\n"
                  "\t\t\t<wp:comment_date_gmt>%s</wp:comment_date_gmt>\n"
                  "\t\t\t<wp:comment_content>%s</wp:comment_content>\n"
                  "\t\t\t<wp:comment_approved>%s</wp:comment_approved>\n"
                  "\t\t\t<wp:comment_type>%s</wp:comment_type>\n"
                  "\t\t\t<wp:comment_parent>%d</wp:comment_parent>\n"
                  "\t\t\t<wp:comment_user_id>%d</wp:comment_user_id>\n\t\t\t\t\t\t\t</wp:comment>\n\t\t\t"
                  % (cid, cdata(author), cdata(email), url, cdata(ip), cdata(local(when)),
                     cdata(when.strftime("%Y-%m-%d %H:%M:%S")), cdata(text), cdata(approved),
                     cdata(kind), parent, user))
        ids.append(cid)


def export_order(items):
    """WordPress fetches the ids 20 at a time (here newest first), each
    block by ascending id"""
    ids = sorted((it.id for it in items), reverse=True)
    out = []
    for i in range(0, len(ids), 20):
        out += sorted(ids[i:i + 20])
    return out


def generate(n, seed, fixture, out):
    rng = random.Random(seed)
    corpus = Corpus(fixture, rng)
    items, tags = plan(n, rng, corpus)
    by_id = {it.id: it for it in items}
    header(out, tags)
    for id_ in export_order(items):
        write_item(out, corpus, seed, by_id[id_], by_id)
    out.write("</channel>\n</rss>\n\t")


# ---- --stats: what a file holds, for checking ----
def stats(path):
    c = {}
    body_bytes = nbodies = 0
    for _, el in ET.iterparse(path):
        tag = el.tag.split("}")[-1]
        if tag == "item":
            kind = el.find("wp:post_type", NS).text
            key = kind if kind != "post" else "post " + el.find("wp:status", NS).text
            c[key] = c.get(key, 0) + 1
            cms = el.findall("wp:comment", NS)
            c["comments"] = c.get("comments", 0) + len(cms)
            c["replies"] = c.get("replies", 0) + sum(x.find("wp:comment_parent", NS).text != "0" for x in cms)
            c["tag uses"] = c.get("tag uses", 0) + len(el.findall("category[@domain='post_tag']"))
            c["_thumbnail_id"] = c.get("_thumbnail_id", 0) + sum(
                m.find("wp:meta_key", NS).text == "_thumbnail_id" for m in el.findall("wp:postmeta", NS))
            if kind == "post":
                body_bytes += len(el.find("content:encoded", NS).text.encode())
                nbodies += 1
            el.clear()
        elif tag in ("category", "tag", "author") and el.tag.startswith("{" + NS["wp"]):
            c["wp:" + tag] = c.get("wp:" + tag, 0) + 1
    words = set()
    for _, el in ET.iterparse(path):
        if el.tag.endswith("}encoded") and el.text:
            words.update(ARABIC.findall(el.text))
            el.clear()
    c["average post body bytes"] = body_bytes // max(nbodies, 1)
    c["distinct Arabic words"] = len(words)
    for k in sorted(c):
        print("%-26s %d" % (k, c[k]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, nargs="?")
    ap.add_argument("-o", "--output")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--fixture")
    ap.add_argument("--stats", metavar="FILE")
    a = ap.parse_args()
    if a.stats:
        return stats(a.stats)
    if not a.n or a.n < 1:
        ap.error("N (posts) is required")
    fixture = a.fixture or next((f for f in FIXTURES if os.path.exists(f)), None)
    if not fixture:
        ap.error("no export-full.xml fixture found: give --fixture")
    out = open(a.output, "w", encoding="utf-8", newline="\n") if a.output else sys.stdout
    with out:
        generate(a.n, a.seed, fixture, out)


if __name__ == "__main__":
    main()
