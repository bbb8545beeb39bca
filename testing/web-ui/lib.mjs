// Shared by the browser tests (ui.test.mjs) and the performance check (bench.mjs): Debian's chromium
// driven by playwright-core (never a downloaded browser), a fresh profile per run, and the line
// protocol with the Java side that owns the fake model provider.

import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A headless chromium with a fresh --user-data-dir; `close()` removes the profile. */
export async function launch({ viewport = { width: 1280, height: 800 } } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'goose-web-ui-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// ---- the fake provider, owned by the Java side ----------------------------------------------------
const waiting = [];
let lines;

/** Asks the Java side to queue the model reply called `name`; resolves once it is queued. */
export function fake(name) {
  if (!lines) {
    lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => waiting.shift()?.(line));
  }
  return new Promise((resolve, reject) => {
    waiting.push((line) => (line === `ok ${name}` ? resolve() : reject(new Error(`fake provider: ${line}`))));
    process.stdout.write(`@fake ${name}\n`);
  });
}

/** Stops reading stdin so node can exit. */
export function closeFake() {
  lines?.close();
}
