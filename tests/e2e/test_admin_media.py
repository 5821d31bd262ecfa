"""The newsroom's media library end to end, on either backend.

  * Uploads (multipart): a JPEG carrying EXIF with GPS tags and a PNG are
    accepted (303 to the image's page), recorded with their real width
    and height, their variants appear (made off the request threads),
    and every file is served with its type and a year-long immutable
    Cache-Control; nothing of the EXIF or GPS data is left in any file.
  * Refusals, each with an Arabic message and nothing stored: an HTML
    file named .jpg (415), a PNG whose header claims 100000x100000 pixels
    (422), an upload over the 16 MiB limit (413), a missing alt text
    (422, the other fields kept in the form).
  * The library page lists and searches; deleting an image removes its
    row and every one of its files; a contributor is refused (403).

Images come from the demo site's own uploads (JPEGs nashra drew) and
from a PNG written here byte by byte, so the test needs no imaging
library of its own.
"""
import os
import re
import struct
import time
import urllib.parse
import zlib

from test_admin_auth import AdminCase, csrf_of

BOUNDARY = "----nashra-media-test-boundary"
IMMUTABLE = "public, max-age=31536000, immutable"


def multipart(fields, files):
    """A multipart/form-data body: fields {name: text}, files {name: (filename, type, bytes)}."""
    out = []
    for name, value in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (BOUNDARY, name)).encode())
        out.append(value.encode() + b"\r\n")
    for name, (filename, ctype, data) in files.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: %s\r\n\r\n" % (BOUNDARY, name, filename, ctype)).encode())
        out.append(data + b"\r\n")
    out.append(("--%s--\r\n" % BOUNDARY).encode())
    return b"".join(out)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, rows=None):
    """An RGB PNG: a gradient, or only the header and one row's worth of
    data when rows is 0 (what a decompression bomb begins with)."""
    head = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    n = height if rows is None else max(rows, 1)
    w = width if rows is None else 64
    raw = b"".join(b"\x00" + b"".join(bytes((x * 255 // w, y * 255 // height, 128)) for x in range(w))
                   for y in range(n))
    return head + png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b"")


def ifd_entry(tag, kind, count, value):
    return struct.pack("<HHII", tag, kind, count, value)


def with_exif_gps(jpeg):
    """jpeg with an APP1 Exif segment after SOI: an orientation and a GPS
    IFD (version, latitude reference "N")."""
    tiff = b"II*\x00" + struct.pack("<I", 8)
    tiff += struct.pack("<H", 2) + ifd_entry(0x0112, 3, 1, 1) + ifd_entry(0x8825, 4, 1, 38) + struct.pack("<I", 0)
    tiff += struct.pack("<H", 2) + ifd_entry(0x0000, 1, 4, 0x00000302) + ifd_entry(0x0001, 2, 2, ord("N"))
    tiff += struct.pack("<I", 0)
    seg = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(seg) + 2) + seg + jpeg[2:]


def all_files(root):
    out = set()
    for d, _, names in os.walk(root):
        out.update(os.path.join(d, n) for n in names)
    return out


class AdminMedia(AdminCase):

    def setUp(self):
        self.cookie = self.sign_in("rania")
        self.token = self.page_token(self.cookie, "/admin/media/")

    def upload(self, data, filename="photo.jpg", ctype="image/jpeg", alt="وصف الصورة",
               title="صورة الاختبار", cookie=None, token=None):
        fields = {"csrf": token or self.token, "title": title, "alt": alt}
        body = multipart(fields, {"file": (filename, ctype, data)})
        h = {"Content-Type": "multipart/form-data; boundary=" + BOUNDARY,
             "Cookie": cookie or self.cookie}
        return self.site.request("POST", "/admin/media/", h, body, timeout=60)

    def demo_jpeg(self):
        rows = self.site.query("SELECT url FROM media WHERE mime = 'image/jpeg' ORDER BY id LIMIT 1")
        self.assertTrue(rows, "the demo site has images")
        with open(self.site.dir + rows[0][0], "rb") as f:
            return f.read()

    def media_count(self):
        return self.site.query("SELECT COUNT(*) FROM media")[0][0]

    def uploaded_id(self, r):
        self.assertEqual(r.status, 303, r.body[:3000])
        m = re.match(r"^/admin/media/(\d+)/$", r.header("Location") or "")
        self.assertTrue(m, r.header("Location"))
        return int(m.group(1))

    def wait_variants(self, media_id, want):
        deadline = time.time() + 30
        while time.time() < deadline:
            v = self.site.query("SELECT variants FROM media WHERE id = ?", (media_id,))[0][0]
            if v == want:
                return
            time.sleep(0.1)
        self.fail("variants of %d: %r, want %r" % (media_id, v, want))

    def check_served(self, url, ctype):
        r = self.site.get(url)
        self.assertEqual(r.status, 200, url)
        self.assertEqual(r.header("Content-Type"), ctype, url)
        self.assertEqual(r.header("Cache-Control"), IMMUTABLE, url)
        self.assertNotIn(b"Exif", r.body, url)
        self.assertNotIn(b"\xff\xe1", r.body[:4096] if ctype == "image/jpeg" else b"", url)
        return r.body

    def variant_urls(self, url, widths):
        base = url.rsplit(".", 1)[0]
        return [("%s-%d.%s" % (base, w, ext), t) for w in widths
                for ext, t in (("webp", "image/webp"), ("jpg", "image/jpeg"))]

    # -- accepted --------------------------------------------------------
    def test_jpeg_with_gps_stripped_with_variants(self):
        jpeg = with_exif_gps(self.demo_jpeg())
        self.assertIn(b"Exif", jpeg)
        media_id = self.uploaded_id(self.upload(jpeg))
        url, w, h, mime = self.site.query("SELECT url, width, height, mime FROM media WHERE id = ?",
                                          (media_id,))[0]
        self.assertEqual((w, h, mime), (1280, 720, "image/jpeg"))
        self.assertRegex(url, r"^/uploads/\d{4}/\d{2}/[0-9a-f]{12}\.jpg$")
        self.check_served(url, "image/jpeg")
        self.wait_variants(media_id, "320,640,1280")
        for vurl, t in self.variant_urls(url, (320, 640, 1280)):
            self.check_served(vurl, t)
        page = self.site.get("/admin/media/%d/" % media_id, {"Cookie": self.cookie})
        self.assertEqual(page.status, 200)
        self.assertIn(url.encode(), page.body)
        self.assertIn(("%s-640.webp" % url.rsplit(".", 1)[0]).encode(), page.body)

    def test_png_accepted(self):
        media_id = self.uploaded_id(self.upload(png(400, 300), "chart.png", "image/png"))
        url, w, h, mime = self.site.query("SELECT url, width, height, mime FROM media WHERE id = ?",
                                          (media_id,))[0]
        self.assertEqual((w, h, mime), (400, 300, "image/png"))
        self.assertTrue(self.check_served(url, "image/png").startswith(b"\x89PNG"))
        self.wait_variants(media_id, "320")
        for vurl, t in self.variant_urls(url, (320,)):
            self.check_served(vurl, t)

    def test_library_lists_and_searches(self):
        self.uploaded_id(self.upload(png(330, 200), "x.png", "image/png", title="خريطة الطقس"))
        r = self.site.get("/admin/media/?q=" + urllib.parse.quote("خريطة"), {"Cookie": self.cookie})
        self.assertEqual(r.status, 200)
        self.assertIn("خريطة الطقس", r.text)
        self.assertIn("عدد الصور: 1", r.text)

    # -- refused ---------------------------------------------------------
    def assert_refused(self, r, status, words):
        self.assertEqual(r.status, status, r.body[:2000])
        self.assertIn(words, r.text)

    def assert_nothing_stored(self, before_rows, before_files):
        self.assertEqual(self.media_count(), before_rows)
        self.assertEqual(all_files(self.site.dir + "/uploads"), before_files)

    def test_html_named_jpg_refused(self):
        rows, files = self.media_count(), all_files(self.site.dir + "/uploads")
        html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
        r = self.upload(html, "innocent.jpg", "image/jpeg")
        self.assert_refused(r, 415, "ليس صورة")
        self.assertIn("وصف الصورة", r.text)     # what was typed is kept
        self.assert_nothing_stored(rows, files)

    def test_decompression_bomb_refused(self):
        rows, files = self.media_count(), all_files(self.site.dir + "/uploads")
        r = self.upload(png(100000, 100000, rows=0), "bomb.png", "image/png")
        self.assert_refused(r, 422, "أبعاد هذه الصورة أكبر من المسموح")
        self.assert_nothing_stored(rows, files)

    def test_oversized_upload_413(self):
        rows, files = self.media_count(), all_files(self.site.dir + "/uploads")
        r = self.upload(b"\xff\xd8" + b"\x00" * (17 << 20), "big.jpg")
        self.assert_refused(r, 413, "16 ميغابايت")
        self.assert_nothing_stored(rows, files)

    def test_missing_alt_keeps_fields(self):
        rows, files = self.media_count(), all_files(self.site.dir + "/uploads")
        r = self.upload(png(330, 200), "x.png", "image/png", alt="", title="عنوان محفوظ")
        self.assert_refused(r, 422, "النص البديل مطلوب")
        self.assertIn('value="عنوان محفوظ"', r.text)
        self.assert_nothing_stored(rows, files)

    # -- deletion and roles -------------------------------------------------
    def test_delete_removes_files(self):
        media_id = self.uploaded_id(self.upload(png(700, 300), "d.png", "image/png", title="للحذف"))
        self.wait_variants(media_id, "320,640")
        url = self.site.query("SELECT url FROM media WHERE id = ?", (media_id,))[0][0]
        paths = [self.site.dir + url] + [self.site.dir + u for u, _ in self.variant_urls(url, (320, 640))]
        self.assertTrue(all(os.path.exists(p) for p in paths))
        page = self.site.get("/admin/media/%d/" % media_id, {"Cookie": self.cookie})
        r = self.post("/admin/media/%d/delete" % media_id, {"csrf": csrf_of(page.text)}, self.cookie)
        self.assertEqual(r.status, 303)
        self.assertEqual(self.site.query("SELECT COUNT(*) FROM media WHERE id = ?", (media_id,))[0][0], 0)
        self.assertEqual([p for p in paths if os.path.exists(p)], [])
        self.assertEqual(self.site.get(url).status, 404)

    def test_contributor_refused(self):
        nour = self.sign_in("nour")
        self.assertEqual(self.get("/admin/media/", nour).status, 403)
        token = self.page_token(nour, "/admin/")
        rows = self.media_count()
        r = self.upload(png(330, 200), "x.png", "image/png", cookie=nour, token=token)
        self.assertEqual(r.status, 403)
        self.assertEqual(self.media_count(), rows)

    def test_signed_out_redirected(self):
        r = self.site.get("/admin/media/")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/admin/login"))


if __name__ == "__main__":
    import unittest
    unittest.main()
