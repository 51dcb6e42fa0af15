#!/usr/bin/env node
// serve-e2e.mjs - the dev server, end to end, in headless Chromium.
//
//   node serve-e2e.mjs --url URL --file EPISODE.md
//
// With `shownotes serve` running on URL's host, it opens URL (an episode
// page) and, without ever reloading the page itself:
//   1. appends a paragraph to EPISODE.md and waits for it to appear;
//   2. breaks the front matter (a misspelt key) and waits for the error page
//      naming the file and line;
//   3. restores the file and waits for the episode page to come back.
// Beside it, a second tab on /guests/ (which the edit of step 1 does not
// change) must not reload in step 1.
// Prints one JSON object ({ok, steps: [{step, ms}], ...}); exit 0 when all
// three steps happened within --timeout ms each, 1 otherwise, 2 on setup
// problems. The file is always restored.
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './lib.mjs';

const args = process.argv.slice(2);
const opt = { timeout: 10000 };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--url') opt.url = args[++i];
  else if (a === '--file') opt.file = args[++i];
  else if (a === '--timeout') opt.timeout = Number(args[++i]);
  else if (a === '--screenshot-dir') opt.shots = args[++i];
  else { console.error(`serve-e2e: unknown argument ${a}`); process.exit(64); }
}
if (!opt.url || !opt.file) { console.error('usage: serve-e2e.mjs --url URL --file EPISODE.md'); process.exit(64); }

const original = fs.readFileSync(opt.file, 'utf8');
const rel = path.relative(process.cwd(), opt.file).split(path.sep).join('/');
const out = { ok: false, url: opt.url, file: rel, steps: [], consoleErrors: [] };
// Atomic writes, as editors do: the watcher must follow renames.
function write(text) {
  const tmp = opt.file + '.e2e-tmp';
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, opt.file);
}
const restore = () => { try { write(original); } catch { /* best effort */ } };
process.on('SIGINT', () => { restore(); process.exit(130); });

const { context, close } = await launchChromium();
let code = 1;
try {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(m.text()); });
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
  const res = await page.goto(opt.url, { waitUntil: 'load' });
  if (!res || !res.ok()) { out.error = `page did not load: ${res && res.status()}`; code = 2; throw new Error(out.error); }
  const title = (await page.textContent('h1'))?.trim();
  const other = await context.newPage();
  let otherNavigations = 0;
  other.on('framenavigated', (f) => { if (f === other.mainFrame()) otherNavigations++; });
  const otherRes = await other.goto(new URL('guests/', opt.url.replace(/episodes\/.*$/, '')).href, { waitUntil: 'load' });
  if (!otherRes || !otherRes.ok()) { out.error = `guests page did not load: ${otherRes && otherRes.status()}`; code = 2; throw new Error(out.error); }
  await page.waitForTimeout(500); // let the event streams connect
  const otherBefore = otherNavigations;

  async function step(name, edit, predicate) {
    const t0 = Date.now();
    edit();
    try {
      await page.waitForFunction(predicate.fn, predicate.arg, { timeout: opt.timeout, polling: 25 });
    } catch {
      out.steps.push({ step: name, ok: false, ms: Date.now() - t0, body: (await page.textContent('body').catch(() => '')).slice(0, 600) });
      throw new Error(`${name}: not seen within ${opt.timeout} ms`);
    }
    out.steps.push({ step: name, ok: true, ms: Date.now() - t0 });
    if (opt.shots) await page.screenshot({ path: path.join(opt.shots, `serve-${name}.png`) });
  }

  const probe = `Live edit probe ${Date.now().toString(36)}`;
  await step('edit', () => write(original.replace(/\s*$/, `\n\n${probe}\n`)),
    { fn: (p) => document.body.innerText.includes(p), arg: probe });
  // The full build that follows the episode's page changes no page the
  // guests tab shows: that tab keeps its page.
  await page.waitForTimeout(1500);
  out.otherTabReloads = otherNavigations - otherBefore;
  if (out.otherTabReloads !== 0) throw new Error(`the /guests/ tab reloaded ${out.otherTabReloads} time(s) after an edit to an episode's notes`);

  // Misspell the title key on its line: the error page must name file:line.
  const lines = original.split('\n');
  const idx = lines.findIndex((l) => /^title\s*:/.test(l));
  if (idx < 0) { out.error = 'no title: line in the file'; code = 2; throw new Error(out.error); }
  lines[idx] = lines[idx].replace(/^title/, 'titel');
  const where = `${path.basename(opt.file)}:${idx + 1}:1`;
  await step('break', () => write(lines.join('\n')),
    { fn: (w) => document.body.innerText.includes(w) && document.body.innerText.includes('unknown key'), arg: where });
  out.errorShown = where;

  await step('fix', () => write(original),
    { fn: (t) => { const h = document.querySelector('h1'); return !!h && h.textContent.trim() === t && !document.body.innerText.includes('unknown key'); }, arg: title });
  out.navigations = navigations;
  out.ok = true;
  code = 0;
} catch (e) {
  out.error = out.error || String(e.message || e);
} finally {
  restore();
  await close();
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
process.exit(code);
