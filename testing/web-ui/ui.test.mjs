// Browser scenarios of the web UI, run by goose-server's WebUiBrowserTest against real servers
// (GOOSE_URL: auth none; GOOSE_TOKENS_URL: auth tokens, users alice and bob; GOOSE_SECRET_URL: auth
// secret; GOOSE_PROXY_URL: auth proxy, without a provider) and a fake provider.
// Every page is watched: a console error, an uncaught exception, or a request to any host but the
// servers fails the run. Screenshots for the README go to SCREENSHOT_DIR.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import net from 'node:net';
import { launch, fake, stopServer, startServer, closeFake } from './lib.mjs';

const BASE = process.env.GOOSE_URL;
const TOKENS_BASE = process.env.GOOSE_TOKENS_URL;
const WORK_DIR = process.env.WORK_DIR;
const SHOTS = process.env.SCREENSHOT_DIR;
const WAIT = { timeout: 30_000 };

let browser;
let page;
const problems = []; // console errors, page errors, foreign requests
const SECRET_BASE = process.env.GOOSE_SECRET_URL;
const PROXY_BASE = process.env.GOOSE_PROXY_URL;
const allowedOrigins = new Set([BASE, TOKENS_BASE, SECRET_BASE, PROXY_BASE].map((u) => new URL(u).origin));
let expectedConsoleErrors = [];

// Chromium fails the requests in flight with net::ERR_NETWORK_CHANGED whenever a network interface
// appears or goes (Docker starts and stops containers beside this test in a full run: veth pairs,
// bridges), loopback included. That is the machine, not the page: such failures are not counted as
// the page's errors, and ready() loads the page again when one cut its loading short.
const NETWORK_CHANGED = /ERR_NETWORK_CHANGED/;
const networkChanges = new WeakMap(); // page -> requests it failed since it was last ready

function watch(p) {
  p.on('requestfailed', (request) => {
    if (NETWORK_CHANGED.test(request.failure()?.errorText ?? ''))
      networkChanges.set(p, (networkChanges.get(p) ?? 0) + 1);
  });
  p.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (NETWORK_CHANGED.test(text)) return;
    if (expectedConsoleErrors.some((pattern) => pattern.test(text))) return;
    const where = message.location()?.url || p.url();
    problems.push(`console error: ${text} (at ${where})`);
  });
  p.on('pageerror', (error) => problems.push(`uncaught: ${error.stack ?? error}`));
  p.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (!allowedOrigins.has(new URL(url).origin)) problems.push(`request to another host: ${url}`);
  });
  return p;
}

async function newPage(options = {}) {
  const p = watch(await browser.context.newPage());
  if (options.viewport) await p.setViewportSize(options.viewport);
  if (options.colorScheme) await p.emulateMedia({ colorScheme: options.colorScheme });
  return p;
}

async function ready(p) {
  for (let attempt = 1; ; attempt++) {
    try {
      await p.locator('body[data-ready="true"]').waitFor(WAIT);
      networkChanges.set(p, 0);
      return;
    } catch (error) {
      // Loading was cut short by a network change (see NETWORK_CHANGED): load it again.
      if (attempt === 3 || !networkChanges.get(p)) throw error;
      networkChanges.set(p, 0);
      await p.reload();
    }
  }
}

/** The last assistant message's text. */
function lastAssistant(p) {
  return p.locator('article.msg.assistant').last();
}

async function idle(p) {
  await p.locator('body:not(.turn-running)').waitFor(WAIT);
}

async function send(p, text) {
  const box = p.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

async function setMode(mode) {
  const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.ok());
  await page.getByLabel('Approval mode').selectOption(mode);
  await patched;
}

async function shot(p, name) {
  await mkdir(SHOTS, { recursive: true });
  await p.screenshot({ path: join(SHOTS, name) });
}

before(async () => {
  browser = await launch();
  page = await newPage({ colorScheme: 'light' });
});

after(async () => {
  await browser?.close();
  closeFake();
});

test('the page loads from the server alone, under a strict Content-Security-Policy', async () => {
  const response = await page.goto(BASE + '/');
  assert.equal(response.status(), 200);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  await ready(page);
  assert.equal(await page.getByRole('button', { name: 'New session' }).isVisible(), true);
  assert.match(await page.locator('#status-line').textContent(), /anthropic · claude-fake · sqlite/);
});

test('the API docs page works under its own Content-Security-Policy', async () => {
  const docs = await newPage();
  const response = await docs.goto(BASE + '/docs');
  assert.match(response.headers()['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(response.headers()['x-frame-options'], 'DENY');
  // Swagger UI rendered the document: a policy violation would also be a console error (problems).
  await docs.locator('.swagger-ui .info .title', { hasText: 'OAS 3.1' }).waitFor(WAIT);
  await docs.locator('.opblock-tag', { hasText: 'sessions' }).first().waitFor(WAIT);
  await docs.close();
});

test('a new session with a working directory, and a streamed Markdown reply', async () => {
  await page.getByRole('button', { name: 'New session' }).click();
  await page.getByLabel('Name (optional)').fill('Streaming demo');
  await page.getByLabel('Working directory').fill(WORK_DIR);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: 'Streaming demo' }).waitFor(WAIT);

  await fake('hello');
  await send(page, 'Say hello with some code');
  const reply = lastAssistant(page);
  await reply.getByText('That is all.').waitFor(WAIT);
  await idle(page);
  assert.equal(await reply.locator('strong').first().textContent(), 'goose');
  assert.equal(await reply.locator('pre code.hljs').count(), 1, 'the code block is highlighted');
  assert.equal(await reply.getByRole('button', { name: 'Copy code' }).count(), 1);
  assert.match(await reply.locator('pre code').textContent(), /return 42;/);
  assert.match(await reply.locator('.usage').textContent(), /25 in · 12 out tokens/);
  assert.equal(await page.locator('article.msg.user').last().textContent(), 'Say hello with some code');
});

test('Enter sends, Shift+Enter adds a line', async () => {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('first line');
  await box.press('Shift+Enter');
  await box.pressSequentially('second line');
  assert.equal(await box.inputValue(), 'first line\nsecond line');
  await box.fill('');
});

test('a tool call shows as a folded card with its arguments and output', async () => {
  await fake('tool');
  await send(page, 'Run the tool');
  await lastAssistant(page).getByText('The tool said tool-card-ok.').waitFor(WAIT);
  await idle(page);
  const card = page.locator('.tool-card[data-call-id="toolu_card"]');
  assert.equal(await card.getAttribute('data-state'), 'success');
  assert.equal(await card.locator('details').getAttribute('open'), null, 'folded');
  await card.locator('summary').click();
  assert.match(await card.locator('.tool-name').textContent(), /developer__shell/);
  assert.match(await card.locator('.tool-args').textContent(), /echo tool-card-ok/);
  assert.match(await card.locator('.tool-text').textContent(), /tool-card-ok/);
  await shot(page, 'web-ui-light.png');
});

test('screenshots: dark theme and phone width', async () => {
  const url = page.url();
  const dark = await newPage({ colorScheme: 'dark' });
  await dark.goto(url);
  await ready(dark);
  await dark.locator('.tool-card').first().waitFor(WAIT);
  await shot(dark, 'web-ui-dark.png');
  await dark.close();
  const phone = await newPage({ colorScheme: 'light', viewport: { width: 390, height: 844 } });
  await phone.goto(url);
  await ready(phone);
  assert.equal(await phone.locator('#sidebar').isVisible(), true); // present, moved off screen
  await shot(phone, 'web-ui-phone.png');
  await phone.getByRole('button', { name: 'Sessions' }).click();
  await phone.getByRole('button', { name: 'New session' }).waitFor(WAIT);
  await phone.close();
});

test('an approval is answered in the page, also after a reload while it is pending', async () => {
  await setMode('approve');
  await fake('approval');
  await send(page, 'Run it, but ask me first');
  const ask = page.getByRole('group', { name: 'Approve developer__shell' });
  await ask.waitFor(WAIT);
  await shot(page, 'web-ui-approval.png');

  await page.reload();
  await ready(page);
  await ask.waitFor(WAIT); // still pending: shown again from the event log
  assert.equal(await page.getByLabel('Approval mode').inputValue(), 'approve');
  await ask.getByRole('button', { name: 'Allow once' }).click();
  await lastAssistant(page).getByText('It ran after your approval.').waitFor(WAIT);
  await idle(page);
  const card = page.locator('.tool-card[data-call-id="toolu_approve"]');
  assert.equal(await card.getAttribute('data-state'), 'success');
  assert.match(await card.locator('.tool-text').textContent(), /approved-ok/);
  await setMode('auto');
});

test('an approval pending across a server restart: the banner, re-attached, answered, every part once', async () => {
  await setMode('approve');
  await fake('approval-restart');
  await send(page, 'Run it across a restart');
  const pending = (p) => p.locator('.tool-card[data-call-id="toolu_restart"]')
    .getByRole('group', { name: 'Approve developer__shell' });
  await pending(page).waitFor(WAIT);

  // The server stops while the call waits (the turn is suspended, not ended) and a new server
  // process starts on the same data directory and port; the page is neither reloaded nor told.
  expectedConsoleErrors = [/ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE|ERR_INCOMPLETE_CHUNKED_ENCODING|status of 503/];
  try {
    await stopServer();
    await page.locator('#banner[data-kind="connection"]').waitFor(WAIT);
    assert.match(await page.locator('#banner').textContent(), /Lost the connection/);
    assert.equal(await pending(page).isVisible(), true, 'the question stays while the server is away');
    await startServer();
    await page.locator('#banner').waitFor({ state: 'hidden', ...WAIT });
  } finally {
    expectedConsoleErrors = [];
  }
  assert.equal(await page.locator('body.turn-running').count(), 1, 'the turn still runs');

  // A page loaded after the restart shows the waiting call too (from the running turn's event log).
  const fresh = await newPage({ colorScheme: 'light' });
  await fresh.goto(page.url());
  await ready(fresh);
  await pending(fresh).waitFor(WAIT);
  await fresh.close();

  // Answered in the page that lived through the restart: the resumed turn runs the tool and goes on.
  await pending(page).getByRole('button', { name: 'Allow once' }).click();
  await lastAssistant(page).getByText('It ran after the restart.').waitFor(WAIT);
  await idle(page);
  const expected = [
    { cards: ['toolu_restart:success'], texts: [], notes: [] },
    { cards: [], texts: ['It ran after the restart.'], notes: [] },
  ];
  assert.deepEqual(await turnAfter(page, 'Run it across a restart'), expected, 'live: every part once');
  assert.match(await page.locator('.tool-card[data-call-id="toolu_restart"] .tool-text').textContent(), /restarted-ok/);
  await page.reload();
  await ready(page);
  assert.deepEqual(await turnAfter(page, 'Run it across a restart'), expected, 'stored: every part once');
  await setMode('auto');
});

/**
 * What the conversation shows after the user message `text`: per element, its tool cards (id and
 * state), text blocks and notes (Interrupted, Stopped...); a provider error or anything else by its class.
 */
function turnAfter(p, text) {
  return p.evaluate((text) => {
    const items = [...document.querySelectorAll('#conversation > *')];
    const users = items.filter((e) => e.matches('article.msg.user') && e.textContent === text);
    if (users.length !== 1) return `the message "${text}" shows ${users.length} times`;
    return items.slice(items.indexOf(users[0]) + 1).map((e) => e.matches('article.msg.assistant')
      ? {
        cards: [...e.querySelectorAll('.tool-card')].map((c) => `${c.dataset.callId}:${c.dataset.state}`),
        texts: [...e.querySelectorAll('.block.text')].map((b) => b.textContent.trim()),
        notes: [...e.querySelectorAll(':scope > .note')].map((n) => n.textContent),
      }
      : e.className);
  }, text);
}

test('a reload in the middle of a slow reply resumes it: nothing missing, nothing twice', async () => {
  await fake('slow');
  await send(page, 'Count slowly');
  await lastAssistant(page).getByText('w8', { exact: false }).waitFor(WAIT);
  await page.reload();
  await ready(page);
  await lastAssistant(page).getByText('w59').waitFor(WAIT);
  await idle(page);
  const expected = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
  assert.equal((await lastAssistant(page).locator('.md').textContent()).trim(), expected);
  assert.equal(await page.locator('article.msg.user', { hasText: 'Count slowly' }).count(), 1);
  // And a second reload after the end shows the stored message once.
  await page.reload();
  await ready(page);
  assert.equal((await lastAssistant(page).locator('.md').textContent()).trim(), expected);
});

test('a dropped connection shows a banner, then re-attaches with Last-Event-ID: nothing missing, nothing twice', async () => {
  // The page talks to the server through a TCP relay this test can cut, as a flaky network would.
  const relay = await tcpRelay(new URL(BASE));
  allowedOrigins.add(relay.url);
  const p = await newPage({ colorScheme: 'light' });
  const reattached = [];
  p.on('request', (r) => {
    if (r.url().includes('/events')) reattached.push(Number(r.headers()['last-event-id']));
  });
  try {
    await p.goto(`${relay.url}/${new URL(page.url()).hash}`);
    await ready(p);
    await fake('slow-v');
    await send(p, 'Count slowly again');
    await lastAssistant(p).getByText('v8', { exact: false }).waitFor(WAIT);
    expectedConsoleErrors = [/ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_REFUSED|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_SOCKET_NOT_CONNECTED/];
    relay.down = true;
    relay.cut();
    await p.locator('#banner[data-kind="connection"]').waitFor(WAIT);
    assert.match(await p.locator('#banner').textContent(), /Lost the connection/);
    relay.down = false;
    await p.locator('#banner').waitFor({ state: 'hidden', ...WAIT });
    await lastAssistant(p).getByText('v59').waitFor(WAIT);
    await idle(p);
    const expected = Array.from({ length: 60 }, (_, i) => `v${i}`).join(' ');
    assert.equal((await lastAssistant(p).locator('.md').textContent()).trim(), expected);
    assert.ok(reattached.some((seq) => seq > 0), `re-attached after an event it had: ${reattached}`);
  } finally {
    await p.close();
    relay.close();
    expectedConsoleErrors = [];
  }
  await page.reload(); // the main page saw the turn too; start the next scenarios from the stored state
  await ready(page);
});

/** A TCP relay to `target` on a free loopback port: `cut()` drops every connection; `down` refuses new ones. */
function tcpRelay(target) {
  const sockets = new Set();
  const relay = { down: false, url: '' };
  const server = net.createServer((client) => {
    if (relay.down) return client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', close);
      s.on('close', close);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  relay.cut = () => [...sockets].forEach((s) => s.destroy());
  relay.close = () => {
    relay.cut();
    server.close();
  };
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      relay.url = `http://127.0.0.1:${server.address().port}`;
      resolve(relay);
    }));
}

test('Stop cancels the running turn', async () => {
  await fake('stall');
  await send(page, 'Talk for a long time');
  await lastAssistant(page).getByText('s3', { exact: false }).waitFor(WAIT);
  await page.getByRole('button', { name: 'Stop' }).click();
  await lastAssistant(page).getByText('Stopped').waitFor(WAIT);
  await idle(page);
  assert.doesNotMatch(await lastAssistant(page).locator('.md').textContent(), /s399/);
  assert.equal(await page.getByRole('button', { name: 'Send' }).isVisible(), true);
});

test('a provider error shows as an alert, also after a reload, and the session stays usable', async () => {
  await fake('error');
  await send(page, 'This will fail');
  const alert = page.locator('.turn-error[role="alert"]');
  await alert.waitFor(WAIT);
  assert.match(await alert.textContent(), /the fake provider refused this/);
  await idle(page);
  // The messages do not say why the turn failed; the stored turn_error does, after its message.
  await page.reload();
  await ready(page);
  assert.deepEqual(await turnAfter(page, 'This will fail'), ['turn-error']);
  assert.match(await alert.textContent(), /the fake provider refused this/);
});

test('model output cannot run script, load from elsewhere or link to javascript:', async () => {
  await fake('hostile');
  await send(page, 'Try some tricks');
  const reply = lastAssistant(page);
  await reply.getByText('End of tricks.').waitFor(WAIT);
  await idle(page);
  await page.reload(); // rendered once more from the stored message
  await ready(page);
  await lastAssistant(page).getByText('End of tricks.').waitFor(WAIT);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('.conversation img, .conversation script, .conversation [onclick], .conversation [onerror]').count(), 0);
  assert.equal(await page.locator('.conversation a[href^="javascript:"]').count(), 0);
  assert.match(await lastAssistant(page).textContent(), /<img src=x onerror/); // shown as text
});

test('sessions: search by name, rename, delete', async () => {
  const search = page.getByRole('searchbox', { name: 'Search sessions' });
  await page.getByRole('button', { name: 'New session' }).click();
  await page.getByLabel('Name (optional)').fill('Throwaway');
  await page.getByLabel('Working directory').fill(WORK_DIR);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: 'Throwaway' }).waitFor(WAIT);
  const items = page.locator('#session-list li[data-session-id]');
  assert.equal(await items.count(), 2);
  assert.equal(await items.first().locator('.name').textContent(), 'Throwaway', 'newest first');

  // A session link followed in the open tab (same document: only the hash changes) opens it.
  const [throwaway, demo] = await items.evaluateAll((li) => li.map((e) => e.dataset.sessionId));
  const follow = (id) => page.evaluate((id) => { location.hash = `#/session/${encodeURIComponent(id)}`; }, id);
  await follow(demo);
  await page.getByRole('heading', { name: 'Streaming demo' }).waitFor(WAIT);
  await page.locator('article.msg.user', { hasText: 'Say hello with some code' }).waitFor(WAIT);
  await follow(throwaway);
  await page.getByRole('heading', { name: 'Throwaway' }).waitFor(WAIT);
  assert.equal(await page.locator('article.msg').count(), 0);

  await search.fill('stream');
  await page.waitForFunction(() => document.querySelectorAll('#session-list li[data-session-id]').length === 1);
  assert.equal(await items.first().locator('.name').textContent(), 'Streaming demo');
  await search.fill('');
  await page.waitForFunction(() => document.querySelectorAll('#session-list li[data-session-id]').length === 2);

  await page.getByRole('button', { name: 'Rename Throwaway' }).click();
  const name = page.getByRole('textbox', { name: 'New name' });
  await name.fill('Renamed one');
  await name.press('Enter');
  await page.getByRole('heading', { name: 'Renamed one' }).waitFor(WAIT);

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Delete Renamed one' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#session-list li[data-session-id]').length === 1);
  assert.equal(await page.getByText('No session open.').isVisible(), true);
});

test('extensions: listed with status and tools, one disabled and enabled again, the allowlist\'s refusal shown', async () => {
  await page.getByRole('button', { name: 'Extensions' }).click();
  const todo = page.getByRole('switch', { name: 'Enabled: todo' });
  await todo.waitFor(WAIT);
  assert.equal(await todo.isChecked(), true);
  await todo.uncheck();
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-extension="todo"] input[role="switch"]');
    return s && !s.checked && !s.disabled;
  });
  let list = await page.evaluate(() => fetch('/extensions').then((r) => r.json()));
  assert.equal(list.extensions.find((x) => x.name === 'todo').enabled, false);
  await page.getByRole('switch', { name: 'Enabled: todo' }).check();
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-extension="todo"] input[role="switch"]');
    return s && s.checked && !s.disabled;
  });
  list = await page.evaluate(() => fetch('/extensions').then((r) => r.json()));
  assert.equal(list.extensions.find((x) => x.name === 'todo').enabled, true);
  assert.doesNotMatch(await page.locator('#extensions-view').innerText(), /\bnull\b/);
  const developer = page.locator('[data-extension="developer"]');
  await developer.locator('summary').click();
  await developer.getByText('developer__shell').waitFor(WAIT);
  // Adding one: the allowlist's or the validator's refusal is shown, not swallowed.
  await page.getByLabel('Name', { exact: true }).fill('bad name!');
  await page.getByRole('button', { name: 'Add extension' }).click(); // the browser's own check stops it
  assert.equal(await page.locator('.add-extension .error').textContent(), '');
  expectedConsoleErrors = [/status of 403/];
  await page.getByLabel('Name', { exact: true }).fill('rogue');
  await page.getByLabel('Command').fill('/bin/sh');
  await page.getByLabel('Arguments (one per line)').fill('-c\necho hi');
  await page.getByRole('button', { name: 'Add extension' }).click();
  await page.locator('.add-extension .error', { hasText: 'Refused:' }).waitFor(WAIT);
  assert.match(await page.locator('.add-extension .error').textContent(), /allowlist/i);
  expectedConsoleErrors = [];
  assert.equal(await page.locator('[data-extension="rogue"]').count(), 0);
  await page.getByRole('button', { name: 'Chat' }).click();
});

test('tokens mode: sign in with a token; another user\'s sessions are absent; 401 asks again', async () => {
  const p = await newPage({ colorScheme: 'light' });
  await p.goto(TOKENS_BASE + '/');
  const dialog = p.getByRole('dialog', { name: 'Sign in to goose' });
  await dialog.waitFor(WAIT);
  await dialog.getByLabel('Your API token').fill(process.env.ALICE_TOKEN);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await ready(p);
  assert.equal(await p.locator('#user-name').textContent(), 'alice');
  await p.getByRole('heading', { name: 'Alice\'s notes' }).waitFor(WAIT);
  assert.equal(await p.locator('#session-list li[data-session-id]').count(), 1);
  assert.equal((await p.content()).includes('Bob'), false, 'nothing of bob shows');
  // The token is kept in this tab's sessionStorage and sent as a header, never as a cookie.
  assert.deepEqual(await browser.context.cookies(), []);
  assert.equal(await p.evaluate(() => document.cookie), '');
  assert.equal(await p.evaluate(() => sessionStorage.getItem('goose.credential')), process.env.ALICE_TOKEN);

  // A non-admin's extensions page: read-only, and no stray "null".
  await p.getByRole('button', { name: 'Extensions' }).click();
  await p.getByText('Only an admin can change extensions.').waitFor(WAIT);
  assert.doesNotMatch(await p.locator('#extensions-view').innerText(), /\bnull\b/);

  // A token that stops working (revoked, rotated) brings the form back, and nothing of alice's
  // stays on the page behind it.
  expectedConsoleErrors = [/status of 401/];
  await p.evaluate(() => sessionStorage.setItem('goose.credential', 'goose_not-a-valid-token'));
  await p.getByRole('button', { name: 'Extensions' }).click();
  await dialog.waitFor(WAIT);
  assert.deepEqual(await p.evaluate(() => ({
    sessions: document.querySelectorAll('#session-list li').length,
    conversation: document.querySelector('#conversation').children.length,
    extensions: document.querySelector('#extensions-view').children.length,
    user: document.querySelector('#user-name').textContent,
    hash: location.hash,
  })), { sessions: 0, conversation: 0, extensions: 0, user: '', hash: '' });
  assert.equal((await p.content()).includes('Alice'), false, 'nothing of alice shows');
  // So does a token that no longer works when the page loads.
  await p.evaluate(() => sessionStorage.setItem('goose.credential', 'goose_not-a-valid-token'));
  await p.reload();
  await dialog.waitFor(WAIT);
  await p.close();
  expectedConsoleErrors = [];
});

test('secret mode asks for the secret key; proxy mode needs nothing (the proxy names the user)', async () => {
  const p = await newPage({ colorScheme: 'light' });
  await p.goto(SECRET_BASE + '/');
  const dialog = p.getByRole('dialog', { name: 'Sign in to goose' });
  await dialog.getByLabel('The server\'s secret key').fill(process.env.SECRET_KEY);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await ready(p);
  assert.equal(await p.locator('#user-name').textContent(), 'local (admin)');
  assert.equal(await dialog.isVisible(), false);

  // This server titles sessions: the title of an unnamed one reaches the heading and the sidebar
  // by its session_renamed event, without a reload.
  await p.getByRole('button', { name: 'New session' }).click();
  await p.getByLabel('Working directory').fill(WORK_DIR);
  await p.getByRole('button', { name: 'Create' }).click();
  await p.getByRole('heading', { name: 'New session' }).waitFor(WAIT);
  await fake('titled');
  await send(p, 'Help me plan my garden');
  await lastAssistant(p).getByText('Start with tomatoes.').waitFor(WAIT);
  await p.getByRole('heading', { name: 'Garden Plans' }).waitFor(WAIT);
  await p.locator('#session-list .name', { hasText: 'Garden Plans' }).waitFor(WAIT);
  await p.close();

  const viaProxy = await newPage({ colorScheme: 'light' });
  await viaProxy.setExtraHTTPHeaders({ 'X-Remote-User': 'dave' }); // what the proxy adds
  await viaProxy.goto(PROXY_BASE + '/');
  await ready(viaProxy);
  assert.equal(await viaProxy.getByRole('dialog').count(), 0);
  assert.equal(await viaProxy.locator('#user-name').textContent(), 'dave');
  assert.equal(await viaProxy.getByRole('button', { name: 'Sign out' }).isVisible(), false);

  // This server has no provider: a message it refuses (503) is not shown as sent, and its text is
  // back in the box, with the reason.
  assert.match(await viaProxy.locator('#status-line').textContent(), /no provider configured/);
  await viaProxy.getByRole('button', { name: 'New session' }).click();
  await viaProxy.getByLabel('Working directory').fill(WORK_DIR);
  await viaProxy.getByRole('button', { name: 'Create' }).click();
  await viaProxy.getByText('No messages yet.').waitFor(WAIT);
  expectedConsoleErrors = [/status of 503/];
  const text = 'A long, carefully written prompt\nthat must not be lost';
  await send(viaProxy, text);
  await viaProxy.locator('#banner', { hasText: 'Not sent: No LLM provider is configured' }).waitFor(WAIT);
  expectedConsoleErrors = [];
  assert.equal(await viaProxy.getByRole('textbox', { name: 'Message' }).inputValue(), text);
  assert.equal(await viaProxy.locator('article.msg.user').count(), 0, 'not shown as sent');
  assert.equal(await viaProxy.getByText('No messages yet.').isVisible(), true);
  assert.equal(await viaProxy.getByRole('button', { name: 'Send' }).isVisible(), true);
  await viaProxy.close();
});

test('no console error, no uncaught exception, no request to another host', () => {
  assert.deepEqual(problems, []);
});
