// The article editor in a real browser: sign in, write an Arabic article
// with harakat, a quote and a sub-heading, watch the live preview render
// it as the site will, schedule it a few seconds ahead and see it appear on
// the home page at its time; axe-core on the list and the editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startSite, launch, axeViolations, addUser, signIn as signInAs } from './server.mjs';

const PASSWORD = 'كلمة-سر-للمتصفح-2026';
let site, browser;

before(async () => {
  site = await startSite();
  addUser(site.dir, 'editor', 'layla', PASSWORD);
  // axe-core is injected as a script: the newsroom's policy refuses inline ones
  browser = await launch({ bypassCSP: true });
});

after(async () => {
  if (browser) await browser.close();
  if (site) await site.stop();
});

// a page of the browser signed in as the editor
async function signIn() {
  const page = await browser.context.newPage();
  await page.goto(`${site.base}/admin/login`);
  if (!(await page.locator('#login').count())) return page; // the browser's session goes on
  await signInAs(page, site.base, 'layla', PASSWORD);
  return page;
}

// the site's time zone: seconds east of UTC (the setting timezone_offset)
function siteOffset() {
  const r = spawnSync('/usr/bin/python3', ['-c',
    'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute("SELECT value FROM settings WHERE key=\'timezone_offset\'").fetchone(); print(r[0] if r else 0)',
    `${site.dir}/nashra.db`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

// "YYYY-MM-DD" and "HH:MM:SS" of a Unix time in the site's zone, as the form takes them
function localParts(t) {
  const iso = new Date((t + siteOffset()) * 1000).toISOString();
  return [iso.slice(0, 10), iso.slice(11, 19)];
}

test('write with a live preview, schedule, and see it on the home page at its time', async () => {
  const page = await signIn();
  await page.goto(`${site.base}/admin/articles/new`);
  const title = 'مَقالٌ مُجدوَلٌ من المتصفّح';
  await page.fill('#ed-title', title);
  await page.fill('#ed-body', 'فقرةٌ أولى مُشَكَّلة.\n\n> «اقتباسٌ من مصدر»\n\n## عنوانٌ فرعيّ\n\nفقرة أخيرة.');
  await page.locator('#ed-preview h2').waitFor({ timeout: 10000 });
  assert.equal((await page.textContent('#ed-preview h2')).trim(), 'عنوانٌ فرعيّ');
  assert.match(await page.textContent('#ed-preview blockquote'), /اقتباسٌ من مصدر/);
  const when = Math.floor(Date.now() / 1000) + 6;
  const [date, time] = localParts(when);
  await page.selectOption('#ed-status', 'scheduled');
  await page.fill('#ed-date', date);
  await page.fill('#ed-time', time);
  await Promise.all([page.waitForNavigation(), page.click('#editor-form button[type=submit]:not([name])')]);
  assert.match(page.url(), /\/admin\/articles\/\d+\/\?done=saved$/);
  const reader = await browser.context.newPage();
  await reader.goto(`${site.base}/`);
  if (Date.now() / 1000 < when - 1) assert.equal(await reader.locator(`text=${title}`).count(), 0);
  const deadline = Date.now() + 60000;
  for (;;) {
    await reader.goto(`${site.base}/`);
    if (await reader.locator(`text=${title}`).count()) break;
    assert.ok(Date.now() < deadline, 'the scheduled article never appeared on the home page');
    await reader.waitForTimeout(300);
  }
  assert.ok(Date.now() / 1000 >= when);
  await reader.close();
  await page.close();
});

test('axe-core finds no violation on the list and the editor', async () => {
  const page = await signIn();
  for (const path of ['/admin/articles/', '/admin/articles/new']) {
    await page.goto(`${site.base}${path}`);
    assert.deepEqual(await axeViolations(page), [], path);
  }
  await page.close();
});
