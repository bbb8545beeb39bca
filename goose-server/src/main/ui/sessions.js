// The session sidebar: newest first, filtered by name on the server (?q=), rename in place, delete
// after a confirmation, and "New session" with a working directory.

import { el, relativeTime, setCurrent } from './dom.js';
import { seg } from './api.js';

export class SessionList {
  /**
   * @param {{list: HTMLElement, search: HTMLInputElement}} elements
   * @param {{onOpen: function(string), onDeleted: function(string), onError: function(Error)}} hooks
   */
  constructor(api, { list, search }, hooks) {
    this.api = api;
    this.list = list;
    this.search = search;
    this.hooks = hooks;
    this.sessions = [];
    this.selected = null;
    this.requests = 0; // refreshes asked for, to drop the answers of older ones
    let debounce;
    search.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => this.refresh(), 200);
    });
  }

  /** Reloads the list; an answer that arrives after a newer request's is dropped (it is older). */
  async refresh() {
    const q = this.search.value.trim();
    const request = ++this.requests;
    const page = await this.api.get(`/sessions?limit=100${q ? '&q=' + encodeURIComponent(q) : ''}`);
    if (request !== this.requests) return this.sessions;
    this.sessions = page.sessions;
    this.render();
    return this.sessions;
  }

  /** Forgets the list (the person was signed out): an answer still on its way is dropped. */
  clear() {
    this.requests++;
    this.sessions = [];
    this.selected = null;
    this.search.value = '';
    this.list.replaceChildren();
  }

  find(id) {
    return this.sessions.find((s) => s.id === id);
  }

  select(id) {
    this.selected = id;
    for (const item of this.list.children) {
      const current = item.dataset.sessionId === id;
      item.classList.toggle('selected', current);
      setCurrent(item.querySelector('.open'), current);
    }
  }

  render() {
    if (this.sessions.length === 0) {
      this.list.replaceChildren(el('li', { className: 'note' }, this.search.value ? 'No session matches.' : 'No sessions yet.'));
      return;
    }
    this.list.replaceChildren(...this.sessions.map((s) => this.item(s)));
    this.select(this.selected);
  }

  item(session) {
    const open = el('button', { type: 'button', className: 'open' },
      el('span', { className: 'name' }, session.name),
      el('span', { className: 'when' }, relativeTime(session.updated_at)));
    open.addEventListener('click', () => this.hooks.onOpen(session.id));
    const rename = el('button', { type: 'button', className: 'icon', 'aria-label': `Rename ${session.name}`, title: 'Rename' }, '✎');
    const remove = el('button', { type: 'button', className: 'icon danger', 'aria-label': `Delete ${session.name}`, title: 'Delete' }, '✕');
    const item = el('li', { 'data-session-id': session.id }, open, el('span', { className: 'actions' }, rename, remove));
    rename.addEventListener('click', () => this.startRename(item, session));
    remove.addEventListener('click', () => this.remove(session));
    return item;
  }

  startRename(item, session) {
    const input = el('input', { type: 'text', value: session.name, 'aria-label': 'New name', maxLength: 200 });
    const form = el('form', { className: 'rename' }, input);
    let done = false;
    const finish = async (save) => {
      if (done) return;
      done = true;
      const name = input.value.trim();
      if (save && name && name !== session.name) {
        try {
          await this.api.patch(`/sessions/${seg(session.id)}`, { name });
        } catch (e) {
          this.hooks.onError(e);
        }
      }
      await this.refresh().catch((e) => this.hooks.onError(e));
      this.hooks.onRenamed?.(session.id);
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      finish(true);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
    item.replaceChildren(form);
    input.focus();
    input.select();
  }

  async remove(session) {
    if (!confirm(`Delete the session "${session.name}" with its messages?`)) return;
    try {
      await this.api.delete(`/sessions/${seg(session.id)}`);
      this.hooks.onDeleted(session.id);
    } catch (e) {
      this.hooks.onError(e);
    }
    await this.refresh().catch((e) => this.hooks.onError(e));
  }
}
