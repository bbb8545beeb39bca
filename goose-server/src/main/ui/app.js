// The web UI's entry point: sign-in per auth mode, the session sidebar, the conversation of the open
// session followed live through its event log, the composer, and the extensions page.

import { Api, ApiError, seg } from './api.js';
import { EventFollower } from './sse.js';
import { Conversation } from './conversation.js';
import { SessionList } from './sessions.js';
import { ExtensionsView } from './extensions.js';
import { installCopyButtons } from './markdown.js';
import { formatTokens, setCurrent } from './dom.js';

const $ = (id) => document.getElementById(id);
const authMode = document.querySelector('meta[name="goose-auth"]')?.content ?? 'none';
const api = new Api(authMode);

const state = { info: null, sessionId: null, follower: null, running: false, booted: false };

// ---- banner -------------------------------------------------------------------------------------
function showBanner(message, kind = 'error') {
  const banner = $('banner');
  $('banner-text').textContent = message;
  banner.dataset.kind = kind;
  banner.hidden = false;
}
function hideBanner(kind) {
  const banner = $('banner');
  if (!kind || banner.dataset.kind === kind) banner.hidden = true;
}
function showError(e) {
  if (e instanceof ApiError && e.status === 401) return; // the sign-in form says it
  showBanner(e.message || String(e));
}
$('banner-close').addEventListener('click', () => hideBanner());

// ---- sign-in ------------------------------------------------------------------------------------
function showSignIn(message) {
  if (!api.needsCredential) {
    showBanner(`Not signed in: ${message ?? 'the server refused the request'}`);
    return;
  }
  state.follower?.stop();
  state.follower = null;
  if (state.info) forgetUser(); // a credential that worked stopped working: hide what it showed
  const dialog = $('signin-dialog');
  $('signin-label').textContent = authMode === 'tokens' ? 'Your API token' : 'The server\'s secret key';
  $('signin-hint').textContent = authMode === 'tokens'
    ? 'An admin creates it with "goose users add NAME"; it starts with goose_.'
    : 'The value of GOOSE_SERVER__SECRET_KEY.';
  $('signin-error').textContent = api.credential && message ? message : '';
  api.credential = '';
  if (!dialog.open) dialog.showModal();
  $('signin-input').focus();
}

/**
 * Clears everything the signed-in person saw (sessions, conversation, extensions, their name and
 * the open session's link), so that none of it stays behind the sign-in dialog for the next person.
 */
function forgetUser() {
  state.info = null;
  closeSession();
  sessions.clear();
  extensions.clear();
  showView('chat');
  $('user-name').textContent = '';
  $('composer-input').value = '';
  pendingSend = null;
  if ($('new-session-dialog').open) $('new-session-dialog').close();
  hideBanner();
}

$('signin-dialog').addEventListener('cancel', (e) => e.preventDefault()); // nothing works without it
$('signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const value = $('signin-input').value.trim();
  if (!value) return;
  api.credential = value;
  try {
    await api.get('/info');
  } catch (err) {
    $('signin-error').textContent = err.status === 401 ? 'That did not work: check it and try again.' : err.message;
    api.credential = '';
    return;
  }
  $('signin-input').value = '';
  $('signin-dialog').close();
  boot();
});
$('sign-out').addEventListener('click', () => {
  localStorage.removeItem(cwdKey());
  api.credential = '';
  location.hash = '';
  location.reload();
});
api.onUnauthorized = (message) => showSignIn(message);

// ---- views --------------------------------------------------------------------------------------
function showView(name) {
  $('chat-view').hidden = name !== 'chat';
  $('extensions-view').hidden = name !== 'extensions';
  setCurrent($('nav-chat'), name === 'chat');
  setCurrent($('nav-extensions'), name === 'extensions');
}
$('nav-chat').addEventListener('click', () => showView('chat'));
$('nav-extensions').addEventListener('click', async () => {
  showView('extensions');
  try {
    await extensions.show(state.info?.admin ?? false);
  } catch (e) {
    showError(e);
  }
});
$('menu').addEventListener('click', () => {
  const open = document.body.classList.toggle('sidebar-open');
  $('menu').setAttribute('aria-expanded', String(open));
});

// ---- sessions -----------------------------------------------------------------------------------
const sessions = new SessionList(api, { list: $('session-list'), search: $('session-search') }, {
  onOpen: (id) => {
    document.body.classList.remove('sidebar-open');
    $('menu').setAttribute('aria-expanded', 'false');
    showView('chat');
    openSession(id);
  },
  onDeleted: (id) => {
    if (id === state.sessionId) closeSession();
  },
  onRenamed: (id) => {
    if (id === state.sessionId) showSessionHead(sessions.find(id));
  },
  onError: showError,
});
const extensions = new ExtensionsView(api, $('extensions-view'), { onError: showError });

const conversation = new Conversation($('conversation'), {
  answerApproval: (callId, decision) =>
    api.post(`/sessions/${seg(state.sessionId)}/tool-approvals/${seg(callId)}`, { decision }),
  onRunning: (running) => setRunning(running),
  onComplete: async () => {
    try {
      await sessions.refresh();
      showSessionHead(sessions.find(state.sessionId));
    } catch (e) {
      showError(e);
    }
  },
});
installCopyButtons($('conversation'));

function setRunning(running) {
  state.running = running;
  $('send').hidden = running;
  $('stop').hidden = !running;
  $('stop').disabled = false;
  $('turn-status').textContent = running ? 'goose is working…' : '';
  document.body.classList.toggle('turn-running', running);
}

function showSessionHead(session) {
  if (!session) return;
  $('session-title').textContent = session.name;
  $('session-dir').textContent = session.working_dir;
  $('session-dir').title = session.working_dir;
  $('mode').value = session.mode;
  const total = session.total_usage ?? { input_tokens: 0, output_tokens: 0 };
  $('session-usage').textContent = `${formatTokens(total.input_tokens)} in · ${formatTokens(total.output_tokens)} out tokens`;
}

function closeSession() {
  state.follower?.stop();
  state.follower = null;
  state.sessionId = null;
  conversation.reset();
  $('chat-head').hidden = true;
  for (const id of ['session-title', 'session-dir', 'session-usage']) $(id).textContent = '';
  $('session-dir').title = '';
  $('composer').hidden = true;
  $('no-session').hidden = false;
  history.replaceState(null, '', location.pathname);
}

/**
 * A title came for a session (session_renamed, after its first exchange): the heading at once, the
 * sidebar from a new list (which also supersedes one asked for at message_complete, before it).
 */
async function renamed(id, name) {
  if (id === state.sessionId) $('session-title').textContent = name;
  try {
    await sessions.refresh();
    if (id === state.sessionId) showSessionHead(sessions.find(id));
  } catch (e) {
    showError(e);
  }
}

async function openSession(id) {
  state.follower?.stop();
  state.follower = null;
  state.sessionId = id;
  sessions.select(id);
  let detail;
  try {
    detail = await api.get(`/sessions/${seg(id)}`);
  } catch (e) {
    if (e.status === 404) {
      closeSession();
      showBanner('That session does not exist (any more).', 'info');
    } else showError(e);
    return;
  }
  if (state.sessionId !== id) return; // another session was opened meanwhile
  $('no-session').hidden = true;
  $('chat-head').hidden = false;
  $('composer').hidden = false;
  showSessionHead(detail);
  const after = detail.running_turn ? detail.running_turn.first_seq - 1 : detail.last_event_seq;
  conversation.showSnapshot(detail, after);
  history.replaceState(null, '', `#/session/${encodeURIComponent(id)}`);
  state.follower = new EventFollower(api, id, after, {
    onEvent: (name, data) =>
      name === 'session_renamed' ? renamed(id, data.name) : conversation.handleEvent(name, data),
    onState: (s, error) => connectionState(s, error),
    onGone: () => closeSession(),
  });
}

let statusCheck = null;
function connectionState(s, error) {
  if (s === 'live') {
    hideBanner('connection');
    return;
  }
  if (s !== 'reconnecting') return;
  // Is the whole server gone, or only this stream? /status needs no credentials.
  clearTimeout(statusCheck);
  statusCheck = setTimeout(async () => {
    try {
      const r = await fetch('/status', { cache: 'no-store' });
      if (!r.ok) throw new Error();
    } catch {
      showBanner('Lost the connection to the server. Reconnecting…', 'connection');
      return;
    }
    if (error?.status === 429) showBanner(`Too many open streams or requests: ${error.message}`, 'connection');
  }, 300);
}

// ---- composer -----------------------------------------------------------------------------------
// The last message the server did not take, put back into the composer: sent again unchanged, it
// keeps its request_id, so that a send whose answer was lost (a network failure after the server
// started the turn) re-attaches to that turn instead of starting a second one.
let pendingSend = null;

async function send() {
  const input = $('composer-input');
  const text = input.value;
  const sessionId = state.sessionId;
  if (!text.trim() || !sessionId || state.running) return;
  const requestId = pendingSend?.sessionId === sessionId && pendingSend.text === text
    ? pendingSend.requestId
    : crypto.randomUUID();
  pendingSend = null;
  input.value = '';
  const shown = conversation.appendUser(text);
  conversation.setRunning(true);
  try {
    await api.json(`/sessions/${seg(sessionId)}/messages`, {
      method: 'POST',
      body: { content: text, request_id: requestId },
      headers: { Accept: 'application/json' }, // 202: the turn runs on; the event follower shows it
    });
  } catch (e) {
    // Refused (no provider, a limit, a running turn, a network failure): not sent. The text goes
    // back into the composer, unless the person was signed out (the next person must not see it)
    // or has moved on to another session or typed something else meanwhile.
    if (state.sessionId === sessionId) {
      conversation.unsend(shown);
      conversation.setRunning(false);
      if (e.status !== 401 && !input.value) {
        input.value = text;
        pendingSend = { sessionId, text, requestId };
      }
    }
    showError(e.status === 401 ? e : new Error(`Not sent: ${e.message}`));
  }
}
$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});
$('composer-input').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  }
});
$('stop').addEventListener('click', async () => {
  $('stop').disabled = true;
  try {
    await api.post(`/sessions/${seg(state.sessionId)}/cancel`);
  } catch (e) {
    showError(e);
    $('stop').disabled = false;
  }
});
$('mode').addEventListener('change', async () => {
  try {
    const session = await api.patch(`/sessions/${seg(state.sessionId)}`, { mode: $('mode').value });
    showSessionHead(session);
  } catch (e) {
    showError(e);
  }
});

// ---- new session --------------------------------------------------------------------------------
// The last working directory, remembered per user of this browser (so that the next person who signs
// in here does not see it) and forgotten at sign-out.
const cwdKey = () => `goose.cwd.${state.info?.user ?? ''}`;
localStorage.removeItem('goose.cwd'); // kept for every user before: whose it was is unknown

$('new-session').addEventListener('click', () => {
  const current = sessions.find(state.sessionId);
  $('new-cwd').value = localStorage.getItem(cwdKey()) || current?.working_dir || '';
  $('new-name').value = '';
  $('new-error').textContent = '';
  $('new-session-dialog').showModal();
  ($('new-cwd').value ? $('new-name') : $('new-cwd')).focus();
});
$('new-cancel').addEventListener('click', () => $('new-session-dialog').close());
$('new-session-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = { cwd: $('new-cwd').value.trim() };
  const name = $('new-name').value.trim();
  if (name) body.name = name;
  try {
    const session = await api.post('/sessions', body);
    localStorage.setItem(cwdKey(), body.cwd);
    $('new-session-dialog').close();
    $('session-search').value = '';
    await sessions.refresh();
    showView('chat');
    await openSession(session.id);
    $('composer-input').focus();
  } catch (err) {
    $('new-error').textContent = err.message;
  }
});

// ---- start --------------------------------------------------------------------------------------
function showInfo(info) {
  const parts = [
    info.provider ? `${info.provider} · ${info.model}` : 'no provider configured',
    info.store,
    `v${info.version}`,
  ];
  $('status-line').textContent = parts.join(' · ');
  $('user-name').textContent = info.user + (info.admin ? ' (admin)' : '');
  $('sign-out').hidden = !api.needsCredential;
}

async function boot() {
  try {
    state.info = await api.get('/info');
  } catch (e) {
    if (e.status !== 401) showBanner(`Cannot start: ${e.message}`);
    return;
  }
  showInfo(state.info);
  let list = [];
  try {
    list = await sessions.refresh();
  } catch (e) {
    showError(e);
  }
  const wanted = sessionInHash();
  const first = list.find((s) => s.id === wanted) ?? (wanted ? { id: wanted } : list[0]);
  if (first) await openSession(first.id);
  else closeSession();
  performance.mark('goose:first-render');
  document.body.dataset.ready = 'true';
}

/** The session id a link to this page names (#/session/ID), or ''. */
function sessionInHash() {
  return decodeURIComponent(location.hash.match(/^#\/session\/(.+)$/)?.[1] ?? '');
}

// A session link followed in this tab (pasted into the address bar, or a link in a reply) is a
// navigation inside the page: open the session it names.
window.addEventListener('hashchange', () => {
  const wanted = sessionInHash();
  if (!state.info || !wanted || wanted === state.sessionId) return; // before boot: boot reads it
  showView('chat');
  openSession(wanted);
});

if (api.needsCredential && !api.credential) showSignIn();
else boot();
