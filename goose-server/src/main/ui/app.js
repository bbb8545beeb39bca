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
  conversation.showSnapshot(detail);
  history.replaceState(null, '', `#/session/${encodeURIComponent(id)}`);
  const after = detail.running_turn ? detail.running_turn.first_seq - 1 : detail.last_event_seq;
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
async function send() {
  const input = $('composer-input');
  const text = input.value;
  if (!text.trim() || !state.sessionId || state.running) return;
  input.value = '';
  conversation.appendUser(text);
  conversation.setRunning(true);
  try {
    await api.json(`/sessions/${seg(state.sessionId)}/messages`, {
      method: 'POST',
      body: { content: text, request_id: crypto.randomUUID() },
      headers: { Accept: 'application/json' }, // 202: the turn runs on; the event follower shows it
    });
  } catch (e) {
    conversation.setRunning(false);
    showError(e);
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
$('new-session').addEventListener('click', () => {
  const current = sessions.find(state.sessionId);
  $('new-cwd').value = localStorage.getItem('goose.cwd') || current?.working_dir || '';
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
    localStorage.setItem('goose.cwd', body.cwd);
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
  const wanted = decodeURIComponent(location.hash.match(/^#\/session\/(.+)$/)?.[1] ?? '');
  const first = list.find((s) => s.id === wanted) ?? (wanted ? { id: wanted } : list[0]);
  if (first) await openSession(first.id);
  else closeSession();
  performance.mark('goose:first-render');
  document.body.dataset.ready = 'true';
}

if (api.needsCredential && !api.credential) showSignIn();
else boot();
