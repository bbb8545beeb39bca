// The extensions page: every extension with its status, tools and last error; enable/disable; and,
// for admins, adding a stdio or URL extension (the server's allowlist refusals are shown as such).

import { el } from './dom.js';
import { seg } from './api.js';

export class ExtensionsView {
  constructor(api, root, hooks) {
    this.api = api;
    this.root = root;
    this.hooks = hooks;
    this.admin = false;
  }

  async show(admin) {
    this.admin = admin;
    const { extensions } = await this.api.get('/extensions');
    const rows = extensions.map((x) => this.row(x));
    // replaceChildren would show a null as the text "null": only the parts this person gets.
    this.root.replaceChildren(...[
      el('h2', { id: 'extensions-title' }, 'Extensions'),
      admin ? null : el('p', { className: 'note' }, 'Only an admin can change extensions.'),
      el('ul', { className: 'extensions', 'aria-labelledby': 'extensions-title' }, ...rows),
      admin ? this.addForm() : null,
    ].filter(Boolean));
  }

  /** Forgets what was shown (the person was signed out). */
  clear() {
    this.root.replaceChildren();
  }

  row(x) {
    const toggle = el('input', { type: 'checkbox', role: 'switch', checked: x.enabled, disabled: !this.admin, 'aria-label': `Enabled: ${x.name}` });
    const message = el('span', { className: 'row-message', role: 'status' });
    toggle.addEventListener('change', async () => {
      toggle.disabled = true;
      message.textContent = '';
      try {
        await this.api.post(`/extensions/${seg(x.name)}/${toggle.checked ? 'enable' : 'disable'}`);
        await this.show(this.admin);
      } catch (e) {
        toggle.checked = !toggle.checked;
        toggle.disabled = false;
        message.textContent = e.message;
      }
    });
    const tools = el('details', { className: 'ext-tools' }, el('summary', {}, `${x.tool_count} tools`));
    tools.addEventListener('toggle', async () => {
      if (!tools.open || tools.dataset.loaded) return;
      tools.dataset.loaded = 'yes';
      try {
        const list = await this.api.get(`/extensions/${seg(x.name)}/tools`);
        tools.append(el('ul', {}, ...list.tools.map((t) =>
          el('li', {}, el('code', {}, t.name), t.description ? ` — ${t.description}` : ''))));
      } catch (e) {
        tools.append(el('p', { className: 'error' }, e.message));
      }
    });
    const where = x.cmd ? [x.cmd, ...(x.args ?? [])].join(' ') : x.uri ?? '';
    return el('li', { className: 'extension', 'data-extension': x.name },
      el('div', { className: 'ext-head' },
        el('label', { className: 'switch' }, toggle, el('span', { className: 'ext-name' }, x.name)),
        el('span', { className: `badge ${x.status}` }, x.status),
        el('span', { className: 'ext-type' }, x.type)),
      x.description ? el('p', { className: 'ext-desc' }, x.description) : null,
      where ? el('p', { className: 'ext-where' }, el('code', {}, where)) : null,
      x.last_error ? el('p', { className: 'error', role: 'note' }, `Last error: ${x.last_error}`) : null,
      tools,
      message);
  }

  addForm() {
    const name = el('input', { type: 'text', name: 'name', required: true, pattern: '[A-Za-z0-9_\\-]+', title: 'Letters, digits, - and _', id: 'ext-name' });
    const type = el('select', { name: 'type', id: 'ext-type' },
      el('option', { value: 'stdio' }, 'stdio (a program)'),
      el('option', { value: 'streamable_http' }, 'Streamable HTTP (a URL)'),
      el('option', { value: 'sse' }, 'SSE (a URL)'));
    const cmd = el('input', { type: 'text', name: 'cmd', id: 'ext-cmd' });
    const args = el('textarea', { name: 'args', id: 'ext-args', rows: 3 });
    const uri = el('input', { type: 'url', name: 'uri', id: 'ext-uri' });
    const stdioFields = el('div', {}, field('Command', cmd, 'ext-cmd'), field('Arguments (one per line)', args, 'ext-args'));
    const urlFields = el('div', { hidden: true }, field('URL', uri, 'ext-uri'));
    type.addEventListener('change', () => {
      stdioFields.hidden = type.value !== 'stdio';
      urlFields.hidden = type.value === 'stdio';
    });
    const error = el('p', { className: 'error', role: 'alert' });
    const form = el('form', { className: 'add-extension', 'aria-labelledby': 'add-ext-title' },
      el('h3', { id: 'add-ext-title' }, 'Add an extension'),
      field('Name', name, 'ext-name'), field('Type', type, 'ext-type'), stdioFields, urlFields,
      el('button', { type: 'submit' }, 'Add extension'), error);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      const body = { name: name.value.trim(), type: type.value };
      if (type.value === 'stdio') {
        body.cmd = cmd.value.trim();
        body.args = args.value.split('\n').map((a) => a.trim()).filter(Boolean);
      } else {
        body.uri = uri.value.trim();
      }
      try {
        await this.api.post('/extensions', body);
        await this.show(this.admin);
      } catch (err) {
        error.textContent = err.status === 403 ? `Refused: ${err.message}` : err.message;
      }
    });
    return form;
  }
}

function field(label, input, id) {
  return el('div', { className: 'field' }, el('label', { for: id }, label), input);
}
