// Shared by the browser tests (ui.test.mjs) and the performance check (bench.mjs): Debian's chromium
// driven by playwright-core (never a downloaded browser), a fresh profile per run, and the line
// protocol with the Java side that owns the fake model provider and the servers.

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

// ---- requests to the Java side (the fake provider, the servers) -----------------------------------
const waiting = [];
let lines;

/**
 * Asks the Java side for `request` (a line `@REQUEST` on stdout); resolves once it answers
 * `ok REQUEST`, rejects on any other answer (`failed REQUEST: why`).
 */
function ask(request) {
  if (!lines) {
    lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => waiting.shift()?.(line));
  }
  return new Promise((resolve, reject) => {
    waiting.push((line) => (line === `ok ${request}` ? resolve() : reject(new Error(`@${request}: ${line}`))));
    process.stdout.write(`@${request}\n`);
  });
}

/** Asks the Java side to queue the model reply called `name`; resolves once it is queued. */
export function fake(name) {
  return ask(`fake ${name}`);
}

/** Stops the auth-none server (GOOSE_URL); resolves once it no longer answers. */
export function stopServer() {
  return ask('stop-server');
}

/** Starts a new auth-none server on the same data directory and port; resolves once it listens. */
export function startServer() {
  return ask('start-server');
}

/** Stops reading stdin so node can exit. */
export function closeFake() {
  lines?.close();
}
