// The newsroom in a real browser: an editor signs in, approves a comment
// held for moderation from the queue, and finds it on the article; the
// comments and settings pages have no axe-core violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launch, axeViolations, addUser, signIn as signInAs } from './server.mjs';

const PASSWORD = 'kalimat-sirr-tawila-2026!';
let site, browser;

before(async () => {
  // every comment held; no clock between serving the form and sending it
  site = await startSite({ settings: { comment_moderation: 'all', comment_min_seconds: 0, comment_rate_limit: 0 } });
  addUser(site.dir, 'admin', 'browser-admin', PASSWORD);
  // axe-core is added to the page as a script: the newsroom's policy allows none inline
  browser = await launch({ bypassCSP: true });
  browser.context.setDefaultTimeout(10000);
});

after(async () => {
  if (browser) await browser.close();
  if (site) await site.stop();
});

async function signIn(page) {
  await browser.context.clearCookies();
  await signInAs(page, site.base, 'browser-admin', PASSWORD);
}

test('a held comment approved in the queue appears on the article', async () => {
  const page = await browser.context.newPage();
  const text = `تعليق ينتظر المراجعة ${Date.now()}`;
  await page.goto(site.seedUrl);
  await page.fill('#comment', text);
  await page.fill('#author', 'قارئة');
  await Promise.all([page.waitForNavigation(), page.click('#comment-form [type=submit]')]);
  await browser.context.clearCookies(); // the writer's own notice of the held comment
  await page.goto(site.seedUrl);
  assert.equal(await page.locator('.comment-text', { hasText: text }).count(), 0);

  await signIn(page);
  await page.goto(`${site.base}/admin/comments/`);
  const item = page.locator('li.queued', { hasText: text });
  assert.equal(await item.count(), 1);
  await Promise.all([page.waitForNavigation(), item.locator('button', { hasText: 'اعتماد' }).click()]);
  assert.match(page.url(), /done=approved/);
  assert.match(await page.locator('.notice').textContent(), /اعتُمد التعليق/);
  assert.equal(await page.locator('li.queued', { hasText: text }).count(), 0);

  await page.goto(site.seedUrl);
  assert.equal(await page.locator('.comment-text', { hasText: text }).count(), 1);
  await page.close();
});

test('the comments and settings pages have no axe-core violations', async () => {
  const page = await browser.context.newPage();
  await signIn(page);
  const found = [];
  for (const path of ['/admin/comments/', '/admin/comments/?status=approved', '/admin/settings']) {
    const resp = await page.goto(`${site.base}${path}`);
    assert.equal(resp.status(), 200, path);
    for (const v of await axeViolations(page)) found.push({ path, ...v });
  }
  // an approved comment's edit page, with the site's reply form
  await page.goto(`${site.base}/admin/comments/?status=approved`);
  const edit = page.locator('li.queued a', { hasText: 'تعديل' }).first();
  await Promise.all([page.waitForNavigation(), edit.click()]);
  for (const v of await axeViolations(page)) found.push({ path: page.url(), ...v });
  // the settings form refused, with its messages at the fields
  await page.goto(`${site.base}/admin/settings`);
  await page.fill('#posts_per_page', '0');
  await page.fill('#follow_x', 'javascript:alert(1)');
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('form.settings [type=submit]')]);
  assert.equal(resp.status(), 422);
  assert.equal(await page.inputValue('#follow_x'), 'javascript:alert(1)');
  for (const v of await axeViolations(page)) found.push({ path: 'POST /admin/settings (422)', ...v });
  assert.deepEqual(found, []);
  await page.close();
});
