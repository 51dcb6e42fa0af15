#!/usr/bin/env node
// screenshots.mjs - screenshots of the built site for the README.
//
//   node e2e/screenshots.mjs [--serve public/] [--out docs/screenshots]
//
// Serves the built site on 127.0.0.1 (random port) and takes, in headless
// chromium, the home page, an episode and the search page (with results for
// "salt") at 390 px (phone) and 1280 px (desktop) wide, in the light and the
// dark colour scheme: 12 PNGs named PAGE-WIDTH-SCHEME.png. Each is one
// viewport (390x1100 or 1280x1000), so the files stay small.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { launchChromium } from './lib.mjs';

const o = { serve: 'public', out: 'docs/screenshots', episode: 'episodes/001-the-salt-roads/', query: 'salt' };
const a = process.argv.slice(2);
for (let i = 0; i < a.length; i++) {
  const k = a[i], v = a[++i];
  if (v === undefined) { console.error(`screenshots: ${k} needs a value`); process.exit(64); }
  if (k === '--serve') o.serve = v;
  else if (k === '--out') o.out = v;
  else if (k === '--episode') o.episode = v;
  else if (k === '--query') o.query = v;
  else { console.error(`screenshots: unknown option ${k}`); process.exit(64); }
}
const root = path.resolve(o.serve);
if (!fs.existsSync(path.join(root, 'index.html'))) {
  console.error(`screenshots: ${root}/index.html not found; run "go run . build" first`);
  process.exit(2);
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.xml': 'application/xml' };
const server = http.createServer((rq, rs) => {
  let f = path.join(root, decodeURIComponent(new URL(rq.url, 'http://x').pathname));
  if (!f.startsWith(root)) { rs.writeHead(403).end(); return; }
  try { if (fs.statSync(f).isDirectory()) f = path.join(f, 'index.html'); } catch {}
  fs.readFile(f, (e, data) => {
    if (e) { rs.writeHead(404).end('not found'); return; }
    rs.writeHead(200, { 'content-type': TYPES[path.extname(f)] || 'application/octet-stream' }).end(data);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}/`;

const sizes = [{ w: 390, h: 1100 }, { w: 1280, h: 1000 }];
const pages = [
  { name: 'home', path: '' },
  { name: 'episode', path: o.episode },
  { name: 'search', path: 'search/', query: o.query },
];
fs.mkdirSync(o.out, { recursive: true });
let failed = 0;
for (const scheme of ['light', 'dark']) {
  const b = await launchChromium({ colorScheme: scheme });
  try {
    const page = await b.context.newPage();
    for (const s of sizes) {
      await page.setViewportSize({ width: s.w, height: s.h });
      for (const p of pages) {
        const file = path.join(o.out, `${p.name}-${s.w}-${scheme}.png`);
        try {
          const resp = await page.goto(origin + p.path, { waitUntil: 'networkidle', timeout: 30000 });
          if (!resp || resp.status() >= 400) throw new Error(`HTTP ${resp && resp.status()}`);
          if (p.query) {
            await page.locator('input[type=search]').fill(p.query);
            await page.waitForSelector('#search-results li', { timeout: 10000 });
            await page.locator('input[type=search]').blur();
          }
          await page.evaluate(() => document.fonts.ready);
          await page.screenshot({ path: file });
          console.log(`wrote ${file} (${fs.statSync(file).size} bytes)`);
        } catch (e) {
          failed++;
          console.error(`FAIL ${file}: ${String(e.message || e).split('\n')[0]}`);
        }
      }
    }
  } finally {
    await b.close();
  }
}
server.close();
process.exit(failed ? 1 : 0);
