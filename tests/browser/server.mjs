// Starts the real nashra binary on a throw-away demo site for the browser
// tests (like tests/e2e/nashra_e2e.py), launches Debian's chromium
// through playwright-core with no network beyond this machine, and runs
// axe-core in a page.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = resolve(ROOT, process.env.NASHRA_BIN || 'build/nashra');
// the repository's theme, wherever the binary under test was built
const ENV = { ...process.env, NASHRA_THEME_DIR: process.env.NASHRA_THEME_DIR || join(ROOT, 'themes', 'default') };
export const SEED_PREFIX = 'المئات من الجنود الروس';

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// settings: site settings (key → value) set with `nashra settings` before the server starts
export async function startSite({ settings = {} } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'nashra-browser-'));
  try {
    return await serveIn(tmp, settings);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

function nashra(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', env: ENV });
  if (r.status !== 0) throw new Error(`nashra ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

async function serveIn(tmp, settings) {
  const dir = join(tmp, 'site');
  nashra('init', dir, '--demo');
  for (const [key, value] of Object.entries(settings)) nashra('settings', dir, 'set', key, String(value));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(BIN, ['serve', dir, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'], env: ENV });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((ok) => proc.on('exit', (code, signal) => ok({ code, signal })));
  const deadline = Date.now() + 30000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited at start:\n${log}`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`no /healthz:\n${log}`); }
    await sleep(50);
  }
  const sqlite = (sql) => {
    const r = spawnSync('/usr/bin/python3', ['-c',
      'import sqlite3,sys,json; c=sqlite3.connect(sys.argv[1]); print(json.dumps(c.execute(sys.argv[2]).fetchall()))',
      join(dir, 'nashra.db'), sql], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };
  const [[slug]] = sqlite(`SELECT slug FROM articles WHERE title LIKE '${SEED_PREFIX}%'`);
  return {
    base, dir, slug,
    seedUrl: `${base}/${encodeURIComponent(slug)}/`,
    async stop() {
      proc.kill('SIGTERM');
      const { code, signal } = await exited;
      rmSync(tmp, { recursive: true, force: true });
      if (code !== 0) throw new Error(`server exit ${code} ${signal || ''} after SIGTERM:\n${log.slice(-4000)}`);
    },
  };
}

// options: more of playwright's context options (javaScriptEnabled: false)
export async function launch(options = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'nashra-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    ...options,
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// axe-core's violations on the page as it is now: id, impact, help and the first nodes
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })));
}

// A user of the site at dir made through the command line, the password
// given on standard input as a script would.
export function addUser(dir, role, login, password, displayName) {
  const args = ['user', dir, 'add', '--role', role, login];
  if (displayName) args.push('--display-name', displayName);
  const r = spawnSync(BIN, args, { input: `${password}\n`, encoding: 'utf8', env: ENV });
  if (r.status !== 0) throw new Error(`nashra user add: ${r.stderr}`);
}

// Sign in through the newsroom's form in page; fails if the sign-in page
// comes back.
export async function signIn(page, base, login, password) {
  await page.goto(`${base}/admin/login`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form.login [type=submit]')]);
  if (new URL(page.url()).pathname.startsWith('/admin/login'))
    throw new Error(`sign-in refused, still at ${page.url()}`);
}

// The Nu checker's errors in the pages (name → HTML).
export function vnuErrors(pages) {
  const jar = createRequire(import.meta.url).resolve('vnu-jar/build/dist/vnu.jar');
  const dir = mkdtempSync(join(tmpdir(), 'nashra-vnu-'));
  try {
    const files = Object.entries(pages).map(([name, html]) => {
      const f = join(dir, `${name}.html`);
      writeFileSync(f, html);
      return f;
    });
    const r = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8' });
    const out = (r.stderr || r.stdout || '').trim();
    const msgs = out ? JSON.parse(out).messages : [];
    return msgs.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
