// Shared helper for the e2e checker scripts in this folder.
// The npm packages live in e2e/node_modules (installed by e2e/install.sh:
// `npm ci --ignore-scripts` from e2e/package-lock.json), so plain Node module
// resolution from this folder finds them; `req` loads CommonJS packages and
// resolves files inside them (axe.min.js, partytime's category list, ...).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));

if (!fs.existsSync(path.join(E2E_DIR, 'node_modules'))) {
  process.stderr.write(`e2e: ${E2E_DIR}/node_modules not found; run "bash e2e/install.sh" first\n`);
  process.exit(70);
}

export const req = createRequire(import.meta.url);

// Chromium binary: env CHROMIUM, else Debian's /usr/bin/chromium (apt package
// "chromium"). playwright-core never downloads a browser of its own here.
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Flags that make Debian's chromium behave on a machine without internet
// (no background connections, no first-run UI, no sandbox as root).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

// Launches chromium through playwright-core with a fresh --user-data-dir.
// Returns { context, close }; close() also removes the profile dir.
// colorScheme: 'light' | 'dark' emulates prefers-color-scheme.
export async function launchChromium({ viewport = { width: 1280, height: 900 }, colorScheme = 'light' } = {}) {
  const { chromium } = req('playwright-core');
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found (apt-get install chromium, or set CHROMIUM)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shownotes-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    colorScheme,
  });
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}
