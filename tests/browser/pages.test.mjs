// The article page in a real browser: right-to-left layout, the comment
// form's own validation messages, accessibility (axe-core) of the main
// page kinds, the header's search box without JavaScript, and the
// click-to-load video that makes no outside request before the reader
// asks for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launch, axeViolations } from './server.mjs';

let site, browser;

before(async () => {
  // the refused form below is refused for its empty fields, not for being
  // sent before the form token's minimum age
  site = await startSite({ settings: { comment_min_seconds: 0 } });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (site) await site.stop();
});

async function open(url) {
  const page = await browser.context.newPage();
  const resp = await page.goto(url, { waitUntil: 'load' });
  return { page, resp };
}

test('article is right-to-left and the comment form shows its messages', async () => {
  const { page, resp } = await open(site.seedUrl);
  assert.equal(resp.status(), 200);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  const commentErr = page.locator('#comment-error');
  const authorErr = page.locator('#author-error');
  assert.equal(await commentErr.isVisible(), false);
  assert.equal(await authorErr.isVisible(), false);
  const navigations = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });

  await page.click('form.comment-form [type=submit]');
  await commentErr.waitFor({ state: 'visible', timeout: 5000 });
  await authorErr.waitFor({ state: 'visible', timeout: 5000 });
  assert.equal((await commentErr.textContent()).trim(), 'من فضلك ادخل تعليقك');
  assert.equal((await authorErr.textContent()).trim(), 'من فضلك ادخل اسمك هنا');
  assert.equal(await page.getAttribute('#comment', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#author', 'aria-invalid'), 'true');

  await page.fill('#comment', 'تعليق للتجربة');
  await page.click('form.comment-form [type=submit]');
  await authorErr.waitFor({ state: 'visible', timeout: 5000 });
  await commentErr.waitFor({ state: 'hidden', timeout: 5000 });
  assert.equal(await commentErr.isVisible(), false);
  assert.equal(await authorErr.isVisible(), true);

  await page.waitForTimeout(300);
  assert.deepEqual(navigations, []);
  assert.deepEqual(posts, []);
  assert.equal(decodeURIComponent(new URL(page.url()).pathname), `/${site.slug}/`);
  await page.close();
});

test('axe-core finds no violation on every kind of page', async () => {
  const urls = [site.seedUrl, `${site.base}/`, `${site.base}/page/2/`, `${site.base}/category/politics/`,
    `${site.base}/tag/${encodeURIComponent('روسيا')}/`, `${site.base}/author/ahmed-elmasry/`,
    `${site.base}/about/`, `${site.base}/no-such-page-browser/`,
    // search: results, none (with a suggestion), the empty page, a second page
    `${site.base}/search?q=${encodeURIComponent('الجنود')}`, `${site.base}/search?q=${encodeURIComponent('الجنوذ')}`,
    `${site.base}/search`, `${site.base}/search?q=${encodeURIComponent('الحكومه')}&page=2`];
  const found = [];
  for (const url of urls) {
    const { page } = await open(url);
    for (const v of await axeViolations(page)) found.push({ url, ...v });
    await page.close();
  }
  // the comment form refused (422): the page a reader without JavaScript gets back
  // (form.submit() goes past the script's own checks, as a browser without it would)
  const { page } = await open(site.seedUrl);
  const [refused] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
    page.$eval('#comment-form', (form) => form.submit())]);
  assert.equal(refused.status(), 422);
  assert.ok(await page.locator('#comment-error').isVisible());
  for (const v of await axeViolations(page)) found.push({ url: 'POST comments (422)', ...v });
  await page.close();
  if (found.length) console.log(JSON.stringify(found, null, 1));
  assert.equal(found.length, 0, `${found.length} axe violation(s): ${found.map((v) => v.id).join(', ')}`);
});

test('the header search box works without JavaScript and keeps the query', async () => {
  const noJs = await launch({ javaScriptEnabled: false });
  try {
    const page = await noJs.context.newPage();
    await page.goto(`${site.base}/`, { waitUntil: 'load' });
    const box = page.getByRole('search', { name: 'البحث في الموقع' }).getByRole('searchbox');
    await box.fill('  الجُنُود  ');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), box.press('Enter')]);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/search');
    // the canonical query, after its redirect: the words as typed, without the spaces
    assert.equal(url.searchParams.get('q'), 'الجُنُود');
    assert.ok(await page.locator('a.result-title').count() >= 1);
    assert.equal(await page.inputValue('#search-q'), 'الجُنُود');
    assert.ok(await page.locator('p.snippet mark').count() >= 1);
    await page.close();
  } finally {
    await noJs.close();
  }
});

test('video loads only on click and nothing leaves this machine before', async () => {
  const page = await browser.context.newPage();
  const outside = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', ''].includes(u.hostname) && !u.protocol.startsWith('data')) outside.push(r.url());
  });
  await page.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
  await page.goto(site.seedUrl, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  assert.equal(await page.locator('iframe').count(), 0);
  assert.deepEqual(outside, []);
  const embed = await page.getAttribute('div.video', 'data-video');
  assert.match(embed, /^https:\/\//);
  await page.click('div.video button.video-play');
  const frame = page.locator('div.video iframe');
  await frame.waitFor({ state: 'attached', timeout: 5000 });
  assert.ok((await frame.getAttribute('src')).startsWith(embed));
  await page.close();
});
