// Comments in a real browser: the form's messages with and without
// JavaScript, a comment shown at once or held for moderation, and a reply
// placed under the comment it answers (moved there by the script, or by
// ?replytocom=N without it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launch, axeViolations } from './server.mjs';

// Neither the form token's minimum age nor the rate limit is what these
// tests are about: off, so that nothing here waits on a clock.
const QUICK = { comment_min_seconds: 0, comment_rate_limit: 0 };
const SUBMIT = '#comment-form [type=submit]';
let shown, held, withJs, withoutJs;

before(async () => {
  [shown, held] = await Promise.all([startSite({ settings: { ...QUICK, comment_moderation: 'none' } }),
    startSite({ settings: { ...QUICK, comment_moderation: 'all' } })]);
  [withJs, withoutJs] = await Promise.all([launch(), launch({ javaScriptEnabled: false })]);
  // a missing element fails its test here rather than after playwright's 30 s
  for (const b of [withJs, withoutJs]) b.context.setDefaultTimeout(10000);
});

after(async () => {
  for (const b of [withJs, withoutJs]) if (b) await b.close();
  for (const s of [shown, held]) if (s) await s.stop();
});

// The seed article in a new page. Both sites are on 127.0.0.1, and cookies
// ignore ports: none left by an earlier test may reach this one.
async function article(browser, site) {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  const resp = await page.goto(site.seedUrl, { waitUntil: 'load' });
  assert.equal(resp.status(), 200);
  return page;
}

// Submits the comment form: the status of the POST itself, and where the
// browser ended (after a 303, the article).
async function submit(page) {
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(SUBMIT)]);
  let post = resp.request();
  while (post.redirectedFrom()) post = post.redirectedFrom();
  assert.equal(post.method(), 'POST');
  return { status: (await post.response()).status(), url: new URL(page.url()) };
}

// Fills and sends a comment that is stored: the id the browser was sent to
// on the article (#comment-N).
async function comment(page, site, text, author) {
  await page.fill('#comment', text);
  await page.fill('#author', author);
  const { status, url } = await submit(page);
  assert.equal(status, 303);
  assert.equal(decodeURIComponent(url.pathname), `/${site.slug}/`);
  const m = /^#comment-(\d+)$/.exec(url.hash);
  assert.ok(m, `landed on ${url}`);
  return m[1];
}

const visible = (page, sel) => page.locator(sel).isVisible();
const text = async (page, sel) => (await page.locator(sel).textContent()).trim();
// a value past the field's maxlength, as a script or an old browser could send it
const set = (page, sel, v) => page.$eval(sel, (el, v) => { el.value = v; }, v);

test('with JavaScript the form shows its messages and posts nothing', async () => {
  const page = await article(withJs, shown);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
  await page.click(SUBMIT);
  assert.equal(await text(page, '#comment-error'), 'من فضلك ادخل تعليقك');
  assert.equal(await text(page, '#author-error'), 'من فضلك ادخل اسمك هنا');
  assert.ok(await visible(page, '#comment-error') && await visible(page, '#author-error'));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'comment');

  // lengths in characters (code points): 100 letters outside the BMP are a
  // name of 100 characters, though 200 UTF-16 units
  await set(page, '#comment', 'ب'.repeat(5001));
  await set(page, '#author', '𝔸'.repeat(100));
  await page.click(SUBMIT);
  assert.equal(await text(page, '#comment-error'), 'التعليق أطول من 5000 حرف');
  assert.equal(await visible(page, '#author-error'), false);
  assert.equal(await page.getAttribute('#author', 'aria-invalid'), null);
  await set(page, '#comment', 'ب'.repeat(5000));
  await set(page, '#author', '𝔸'.repeat(101));
  await page.click(SUBMIT);
  assert.equal(await visible(page, '#comment-error'), false);
  assert.equal(await text(page, '#author-error'), 'الاسم أطول من 100 حرف');
  assert.equal(await page.getAttribute('#author', 'aria-invalid'), 'true');
  assert.deepEqual(posts, []);

  // what only the server checks (the address) comes back in its message;
  // the script, checking the other fields again, leaves that one shown
  await page.fill('#comment', 'تعليق ببريد غير صحيح');
  await page.fill('#author', 'كاتب');
  await page.fill('#email', 'ليس بريدا');
  assert.equal((await submit(page)).status, 422);
  assert.equal(await text(page, '#email-error'), 'البريد الإلكتروني غير صحيح');
  await page.fill('#author', '');
  await page.click(SUBMIT);
  assert.ok(await visible(page, '#author-error'));
  assert.ok(await visible(page, '#email-error'));
  assert.equal(posts.length, 1);
  await page.close();
});

test('without JavaScript the server answers 422 and keeps what was typed', async () => {
  const page = await article(withoutJs, shown);
  let res = await submit(page);
  assert.equal(res.status, 422);
  assert.ok(await visible(page, '#comment-error') && await visible(page, '#author-error'));
  assert.equal(await text(page, '#comment-error'), 'من فضلك ادخل تعليقك');
  assert.equal(await text(page, '#author-error'), 'من فضلك ادخل اسمك هنا');

  const kept = 'نص يبقى بعد الرفض\nوسطر ثان';
  await page.fill('#comment', kept);
  res = await submit(page);
  assert.equal(res.status, 422);
  assert.equal(await visible(page, '#comment-error'), false);
  assert.ok(await visible(page, '#author-error'));
  assert.equal(await page.inputValue('#comment'), kept);

  await page.fill('#comment', '');
  await page.fill('#author', 'قارئ بلا سكربت');
  res = await submit(page);
  assert.equal(res.status, 422);
  assert.ok(await visible(page, '#comment-error'));
  assert.equal(await visible(page, '#author-error'), false);
  assert.equal(await page.inputValue('#author'), 'قارئ بلا سكربت');

  // too long, as the server counts: its messages are the script's
  await set(page, '#comment', 'ب'.repeat(5001));
  await set(page, '#author', '𝔸'.repeat(101));
  res = await submit(page);
  assert.equal(res.status, 422);
  assert.equal(await text(page, '#comment-error'), 'التعليق أطول من 5000 حرف');
  assert.equal(await text(page, '#author-error'), 'الاسم أطول من 100 حرف');

  // nothing was stored: on this site every comment would show at once
  const after = await article(withoutJs, shown);
  assert.equal(await after.getByText('نص يبقى بعد الرفض').count(), 0);
  await after.close();
  await page.close();
});

test('a comment approved at once is on the article the browser lands on', async () => {
  const page = await article(withJs, shown);
  const author = 'سارة <i>ع</i>';
  const id = await comment(page, shown, 'أول تعليق من المتصفح\nوسطر ثان فيه', author);
  const li = page.locator(`li#comment-${id}`);
  assert.ok(await li.isVisible());
  assert.equal(await page.evaluate(() => document.querySelector(':target')?.id), `comment-${id}`);
  assert.equal(await li.locator('.comment-author').first().textContent(), author);
  assert.deepEqual(await li.locator('.comment-text p').allTextContents(), ['أول تعليق من المتصفح', 'وسطر ثان فيه']);
  assert.equal(await page.locator('.comment-notice').count(), 0);
  await page.close();
});

test('a comment held for moderation: its writer sees the notice, not the text', async () => {
  const page = await article(withJs, held);
  const body = 'تعليق ينتظر المراجعة من المتصفح';
  const id = await comment(page, held, body, 'منتظر');
  const notice = page.locator('.comment-notice');
  assert.ok(await notice.isVisible());
  assert.equal((await notice.textContent()).trim(), 'تعليقك بانتظار المراجعة');
  assert.equal(await notice.getAttribute('role'), 'status');
  assert.equal(await page.locator(`#comment-${id}`).count(), 0);
  assert.equal(await page.getByText(body).count(), 0);
  assert.deepEqual(await axeViolations(page), []);
  await page.close();

  const other = await article(withJs, held);   // without the writer's cookie
  assert.equal(await other.locator('.comment-notice').count(), 0);
  await other.close();
});

test('«رد» moves the form under the comment and the reply is nested there', async () => {
  const page = await article(withJs, shown);
  const author = 'هدى <b>م</b>';
  const id = await comment(page, shown, 'تعليق سيُرد عليه', author);
  const start = page.url();
  const home = await page.evaluateHandle(() => {
    const r = document.getElementById('respond');
    return { parent: r.parentElement, next: r.nextElementSibling };
  });
  const atHome = () => page.evaluate((h) => {
    const r = document.getElementById('respond');
    return r.parentElement === h.parent && r.nextElementSibling === h.next;
  }, home);
  const underComment = () => page.evaluate((id) => {
    const r = document.getElementById('respond');
    return r.parentElement.id === `comment-${id}` && r.previousElementSibling.classList.contains('comment-body');
  }, id);
  assert.equal(await visible(page, '#reply-to'), false);

  await page.click(`a.comment-reply[data-id="${id}"]`);
  assert.equal(page.url(), start);
  assert.ok(await underComment());
  assert.equal(await page.inputValue('#comment-parent'), id);
  assert.ok(await visible(page, '#reply-to'));
  // the name as text: its markup is characters, not elements
  assert.equal(await text(page, '#reply-to'), `رد على ${author} إلغاء الرد`);
  assert.equal(await page.locator('#reply-name').textContent(), author);
  assert.equal(await page.locator('#reply-name *').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'comment');
  assert.deepEqual(await axeViolations(page), []);

  await page.click('#cancel-reply');
  assert.equal(page.url(), start);
  assert.ok(await atHome());
  assert.equal(await page.inputValue('#comment-parent'), '');
  assert.equal(await visible(page, '#reply-to'), false);

  await page.click(`a.comment-reply[data-id="${id}"]`);
  assert.ok(await underComment());
  const reply = await comment(page, shown, 'رد من المتصفح', 'ليلى');
  assert.notEqual(reply, id);
  const nested = page.locator(`li#comment-${id} > ol.children > li#comment-${reply}`);
  assert.ok(await nested.isVisible());
  assert.equal((await nested.locator('.comment-text').textContent()).trim(), 'رد من المتصفح');
  assert.equal(await visible(page, '#reply-to'), false);

  // a page that carries the reply itself (?replytocom=N) shows the form under the comment too
  await page.goto(`${shown.seedUrl}?replytocom=${id}#respond`, { waitUntil: 'load' });
  assert.ok(await underComment());
  assert.equal(await page.inputValue('#comment-parent'), id);
  await page.close();
});

test('without JavaScript «رد» opens the form for that comment and the reply is nested', async () => {
  const page = await article(withoutJs, shown);
  const id = await comment(page, shown, 'تعليق بلا سكربت', 'قارئ');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(`a.comment-reply[data-id="${id}"]`)]);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('replytocom'), id);
  assert.ok(await visible(page, '#reply-to'));
  assert.ok((await text(page, '#reply-to')).startsWith('رد على قارئ'));
  assert.equal(await page.inputValue('#comment-parent'), id);
  const reply = await comment(page, shown, 'رد بلا سكربت', 'قارئ آخر');
  assert.ok(await page.locator(`li#comment-${id} > ol.children > li#comment-${reply}`).isVisible());
  await page.close();
});
