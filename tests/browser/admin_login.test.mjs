// The newsroom's sign-in in a real browser: the form filled and sent as a
// person would, the dashboard that follows, nothing refused by the admin
// pages' Content-Security-Policy (no inline script or style), axe-core
// without violations and the Nu checker without errors on the sign-in
// page and the dashboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launch, axeViolations, addUser, vnuErrors } from './server.mjs';

const LOGIN = 'rania';
const PASSWORD = 'نافذة على البحر 2026';

let site, browser, axeBrowser;

before(async () => {
  site = await startSite();
  addUser(site.dir, 'admin', LOGIN, PASSWORD, 'رانيا');
  // axe-core is injected as a script tag, which the pages' policy refuses:
  // it runs in a browser that ignores the policy, the sign-in in one that keeps it
  [browser, axeBrowser] = await Promise.all([launch(), launch({ bypassCSP: true })]);
});

after(async () => {
  if (browser) await browser.close();
  if (axeBrowser) await axeBrowser.close();
  if (site) await site.stop();
});


test('sign in through the form; the dashboard shows; the policy refuses nothing', async () => {
  const page = await browser.context.newPage();
  const refused = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text()); });
  const first = await page.goto(`${site.base}/admin/users/`, { waitUntil: 'load' });
  assert.equal(first.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/admin/login');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
  // the stylesheet is a file, and it applied
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector('button')).backgroundColor),
    'rgba(0, 0, 0, 0)');
  await page.getByLabel('اسم الدخول').fill(LOGIN);
  await page.getByLabel('كلمة المرور').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'دخول' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/admin/users/');
  await page.goto(`${site.base}/admin/`);
  assert.equal((await page.locator('h1').textContent()).trim(), 'لوحة التحكم');
  assert.match(await page.locator('.admin-user').textContent(), /رانيا/);
  assert.equal(await page.locator('nav a[aria-current="page"]').textContent(), 'لوحة التحكم');
  assert.equal(await page.locator('.cards li').count(), 4);
  // signing out leads back to the sign-in page, which says so
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'تسجيل الخروج' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/admin/login');
  assert.match(await page.locator('[role=status]').textContent(), /خرجت من حسابك/);
  assert.deepEqual(refused, []);
  await page.close();
});

test('axe-core and the Nu checker find nothing on the sign-in page and the dashboard', async () => {
  const page = await axeBrowser.context.newPage();
  const found = [];
  const html = {};
  html.login = await (await page.goto(`${site.base}/admin/login`)).text();
  for (const v of await axeViolations(page)) found.push({ url: 'login', ...v });
  // a refused sign-in: the notice shown
  await page.getByLabel('اسم الدخول').fill(LOGIN);
  await page.getByLabel('كلمة المرور').fill('not the password');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'دخول' }).click()]);
  for (const v of await axeViolations(page)) found.push({ url: 'login refused', ...v });
  await page.getByLabel('كلمة المرور').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'دخول' }).click()]);
  for (const path of ['/admin/', '/admin/users/', '/admin/profile']) {
    const resp = await page.goto(`${site.base}${path}`);
    assert.equal(resp.status(), 200, path);
    html[path.replaceAll('/', '_')] = await resp.text();
    for (const v of await axeViolations(page)) found.push({ url: path, ...v });
  }
  await page.close();
  assert.deepEqual(found, []);
  assert.deepEqual(vnuErrors(html), []);
});
