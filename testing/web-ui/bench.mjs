// The web UI's performance check, run by bin/bench (goose.bench.BrowserBench) against a running
// goosed whose provider is the bench fake: a 3,000-chunk reply streamed into the page (time from Send
// to the reply fully rendered, and the longest main-thread task meanwhile: a frozen page shows up as
// one long task), the same reply read by this process straight from the API (the server's share, after
// one unmeasured turn that warms the server up), then the first render of the page (navigation to the session list and the open
// conversation shown), median of five fresh loads. Prints one line: @result {json}.

import { launch } from './lib.mjs';

const BASE = process.env.GOOSE_URL;
const CHUNKS = Number(process.env.CHUNKS || 3000);
const LOADS = Number(process.env.LOADS || 5);
const WAIT = { timeout: 120_000 };

/** The same reply read straight from the API by this process (no browser): the server's share. */
async function serverAlone() {
  const started = performance.now();
  const response = await fetch(`${BASE}/sessions/${encodeURIComponent(process.env.SESSION_ID)}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify({ content: `[bench chunks=${CHUNKS}]` }),
  });
  if (!response.ok) throw new Error(`POST messages: ${response.status} ${await response.text()}`);
  const text = await response.text(); // the stream ends after message_complete
  if (!text.includes('event: message_complete')) throw new Error('no message_complete');
  return performance.now() - started;
}

const result = {};
await serverAlone(); // the first turn of a fresh server pays for class loading and JIT: not measured
const browser = await launch();
try {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}/#/session/${encodeURIComponent(process.env.SESSION_ID)}`);
  await page.locator('body[data-ready="true"]').waitFor(WAIT);
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(`[bench chunks=${CHUNKS}]`);
  const before = await page.locator('article.msg.assistant').count();
  const started = await page.evaluate(() => performance.now());
  await box.press('Enter');
  // Done when the reply's message is on the page and the turn no longer runs. (Waiting for the
  // running state first would race a short reply, which can start and end between two polls.)
  await page.waitForFunction(
    (n) => document.querySelectorAll('article.msg.assistant').length > n
      && !document.body.classList.contains('turn-running'),
    before, WAIT);
  const ended = await page.evaluate(() => performance.now());
  const words = await page.locator('article.msg.assistant').last().locator('.md').first().evaluate(
    (el) => el.textContent.trim().split(/\s+/).length);
  const longTasks = await page.evaluate(() => window.__longTasks);
  if (words !== CHUNKS) throw new Error(`the page shows ${words} words of ${CHUNKS}`);
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  result.reply_ms = ended - started;
  result.reply_chunks = CHUNKS;
  result.longest_task_ms = Math.max(0, ...longTasks);
  result.long_tasks = longTasks.length;
  await page.close();
  result.server_alone_ms = await serverAlone();

  const loads = [];
  for (let i = 0; i < LOADS; i++) {
    const p = await browser.context.newPage();
    await p.goto(`${BASE}/#/session/${encodeURIComponent(process.env.SESSION_ID)}`);
    await p.locator('body[data-ready="true"]').waitFor(WAIT);
    loads.push(await p.evaluate(() => performance.getEntriesByName('goose:first-render')[0].startTime));
    await p.close();
  }
  loads.sort((a, b) => a - b);
  result.first_render_ms = loads[Math.floor(loads.length / 2)];
  result.first_render_all_ms = loads;
} finally {
  await browser.close();
}
console.log('@result ' + JSON.stringify(result));
