// The media library in a real browser: an image uploaded through the
// form as a person would (file, alt text, title), its page with its
// URLs, the library listing it; axe-core without violations and the Nu
// checker without errors on the library, an image's page, and the reader
// pages that show featured images (home and an article: a picture with
// WebP and JPEG srcsets, width and height set).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSite, launch, axeViolations, addUser, vnuErrors } from './server.mjs';

const LOGIN = 'rania';
const PASSWORD = 'نافذة على البحر 2026';

let site, axeBrowser;

before(async () => {
  site = await startSite();
  addUser(site.dir, 'admin', LOGIN, PASSWORD, 'رانيا');
  // axe-core is injected as a script tag, which the admin pages' policy refuses
  axeBrowser = await launch({ bypassCSP: true });
});

after(async () => {
  if (axeBrowser) await axeBrowser.close();
  if (site) await site.stop();
});

// An original the demo site made (a JPEG drawn by nashra): NAME.jpg, not NAME-W.jpg.
function demoJpeg() {
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]);
  const f = walk(join(site.dir, 'uploads')).find((p) => /\/[0-9a-f]{12}\.jpg$/.test(p));
  assert.ok(f, 'the demo site has images');
  return f;
}


test('upload an image through the form, see it in the library; axe and vnu clean', async () => {
  const page = await axeBrowser.context.newPage();
  const found = [];
  const html = {};
  await page.goto(`${site.base}/admin/media/`);
  assert.equal(new URL(page.url()).pathname, '/admin/login');
  await page.getByLabel('اسم الدخول').fill(LOGIN);
  await page.getByLabel('كلمة المرور').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'دخول' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/admin/media/');
  for (const v of await axeViolations(page)) found.push({ url: 'library', ...v });

  await page.getByLabel(/^الصورة/).setInputFiles(demoJpeg());
  await page.getByLabel(/^النص البديل/).fill('غروب فوق البحر');
  await page.getByLabel('العنوان').fill('صورة من المتصفح');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'رفع الصورة' }).click()]);
  assert.match(new URL(page.url()).pathname, /^\/admin\/media\/\d+\/$/);
  assert.equal((await page.locator('h1').textContent()).trim(), 'صورة من المتصفح');
  assert.match(await page.locator('.media-urls').textContent(), /\/uploads\/\d{4}\/\d{2}\/[0-9a-f]{12}\.jpg/);
  html.item = await page.content();
  for (const v of await axeViolations(page)) found.push({ url: 'item', ...v });

  const lib = await page.goto(`${site.base}/admin/media/`);
  html.library = await lib.text();
  assert.ok(await page.getByText('صورة من المتصفح').count() >= 1);
  for (const v of await axeViolations(page)) found.push({ url: 'library after', ...v });

  // the reader side: featured images as pictures with both formats
  for (const path of ['/']) {
    const resp = await page.goto(`${site.base}${path}`);
    html.home = await resp.text();
    for (const v of await axeViolations(page)) found.push({ url: path, ...v });
  }
  const first = await page.locator('.cards li:has(picture):not(:has(.badge-video)) .card-title').first().getAttribute('href');
  const art = await page.goto(`${site.base}${first}`);
  html.article = await art.text();
  for (const v of await axeViolations(page)) found.push({ url: first, ...v });
  const img = page.locator('.story-image picture img');
  assert.equal(await page.locator('.story-image picture source[type="image/webp"]').count(), 1);
  assert.match(await img.getAttribute('srcset'), /-320\.jpg 320w/);
  assert.equal(await img.getAttribute('width'), '1280');
  assert.equal(await img.getAttribute('height'), '720');
  assert.equal(await img.getAttribute('fetchpriority'), 'high');
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the image loaded');
  await page.close();
  assert.deepEqual(found, []);
  assert.deepEqual(vnuErrors(html), []);
});
