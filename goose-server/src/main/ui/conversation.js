// The conversation of one session: rendered once from GET /sessions/{id} (the stored messages), then
// kept up to date event by event from the session's event log. Events of the running turn that the
// snapshot already holds are recognised by id (a chunk's message_id, a tool call's id) and skipped,
// so a reload in the middle of a turn shows every part once. Each event touches only its own block:
// a chunk appends to the block being written (see StreamingMarkdown), never re-rendering the rest.

import { StreamingMarkdown, markdownFragment } from './markdown.js';
import { el, formatTokens } from './dom.js';

const DECISION_LABELS = { allow_once: 'Allowed once', always_allow: 'Always allowed', deny: 'Denied' };

export class Conversation {
  /**
   * @param {HTMLElement} root the element that holds the messages
   * @param {{answerApproval: function(string, string): Promise<void>, onRunning: function(boolean),
   *   onComplete: function(object)}} hooks
   */
  constructor(root, hooks) {
    this.root = root;
    this.hooks = hooks;
    this.scroller = root.closest('.scroller') ?? root;
    this.stickToEnd = true;
    // Follow the newest part while the person is at the end; stop when they scroll up. Read here,
    // on scroll, never per chunk (reading the layout per chunk would force a layout per chunk).
    this.scroller.addEventListener('scroll', () => {
      const s = this.scroller;
      this.stickToEnd = s.scrollHeight - s.scrollTop - s.clientHeight < 120;
    }, { passive: true });
    this.reset();
  }

  reset() {
    this.messages = new Map(); // message id -> {element, complete, blocks: [{kind, md}]}
    this.cards = new Map(); // tool call id -> card
    this.lastAssistant = null;
    this.running = false;
    this.hooks.onRunning(false);
    this.root.replaceChildren();
  }

  /**
   * Renders the stored conversation of a GET /sessions/{id} answer, with why its failed turns
   * failed: each turn error (up to event `upToSeq`; later ones come as events) after the messages
   * stored before it.
   */
  showSnapshot(detail, upToSeq = detail.last_event_seq) {
    this.reset();
    const errors = (detail.turn_errors ?? []).filter((e) => e.seq <= upToSeq);
    let next = 0;
    const errorsBefore = (time) => {
      while (next < errors.length && (time === undefined || Date.parse(errors[next].created_at) < time)) {
        this.turnError(errors[next++]);
      }
    };
    for (const message of detail.messages) {
      if (!message.user_visible) continue;
      errorsBefore(Date.parse(message.created_at));
      if (message.role === 'user') this.renderUserMessage(message);
      else this.renderAssistantMessage(message);
    }
    errorsBefore(undefined);
    this.setRunning(Boolean(detail.running_turn));
    if (detail.messages.length === 0) {
      this.root.append(el('p', { className: 'empty' }, 'No messages yet. Say something below.'));
    }
    this.scrollToEnd(true);
  }

  renderUserMessage(message) {
    const texts = [];
    for (const part of message.content) {
      if (part.type === 'text') texts.push(part.text);
      else if (part.type === 'tool_response') this.toolResponse(part);
      else if (part.type === 'image') texts.push('[image]');
    }
    if (texts.length > 0) this.appendUser(texts.join('\n'), message.id);
  }

  /** A message the person sent (shown at once when sent, or from the snapshot). */
  appendUser(text, id) {
    this.root.querySelector('.empty')?.remove();
    const article = el('article', { className: 'msg user', 'aria-label': 'You' },
      el('div', { className: 'body' }, text));
    if (id) article.dataset.messageId = id;
    this.root.append(article);
    this.lastAssistant = null;
    this.scrollToEnd(true);
    return article;
  }

  /** Takes back a message shown as sent (appendUser) that the server refused. */
  unsend(article) {
    article.remove();
    if (!this.root.firstElementChild) {
      this.root.append(el('p', { className: 'empty' }, 'No messages yet. Say something below.'));
    }
  }

  renderAssistantMessage(message) {
    const entry = this.assistantEntry(message.id);
    entry.complete = true;
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
          entry.element.append(el('div', { className: 'block text md' }, markdownFragment(part.text)));
          break;
        case 'thinking':
          entry.element.append(thinkingBlock(markdownFragment(part.text)));
          break;
        case 'redacted_thinking':
          entry.element.append(thinkingBlock(document.createTextNode('(redacted by the provider)')));
          break;
        case 'tool_request':
          this.card(part.id, part.name, part.arguments, entry.element);
          break;
        case 'image':
          entry.element.append(image(part.data, part.mime_type));
          break;
      }
    }
    if (message.interrupted) entry.element.append(el('p', { className: 'note' }, 'Interrupted'));
    if (message.usage && (message.usage.input_tokens || message.usage.output_tokens)) {
      entry.element.append(usageLine(message.usage));
    }
  }

  assistantEntry(id) {
    let entry = id ? this.messages.get(id) : undefined;
    if (entry) return entry;
    this.root.querySelector('.empty')?.remove();
    const element = el('article', { className: 'msg assistant', 'aria-label': 'Assistant' });
    if (id) element.dataset.messageId = id;
    this.root.append(element);
    entry = { element, complete: false, blocks: [] };
    if (id) this.messages.set(id, entry);
    this.lastAssistant = entry;
    return entry;
  }

  /** One event of the session's log (in order, each once). */
  handleEvent(name, data) {
    switch (name) {
      case 'message_chunk':
        return this.chunk(data);
      case 'tool_call':
        return this.toolCall(data);
      case 'tool_result':
        return this.toolResult(data);
      case 'tool_approval_required':
        return this.approvalRequired(data);
      case 'notification':
        return this.notification(data);
      case 'turn_error':
      case 'error':
        return this.turnError(data);
      case 'message_complete':
        return this.complete(data);
      default:
        return undefined; // an event this page does not know yet: newer server
    }
  }

  chunk({ type, text, message_id: id }) {
    const known = this.messages.get(id);
    if (known?.complete) return; // the snapshot holds the whole message
    this.setRunning(true);
    if (!known) this.finishStreaming();
    const entry = known ?? this.assistantEntry(id);
    let block = entry.blocks.at(-1);
    if (!block || block.kind !== type) {
      const body = el('div', { className: 'md' });
      const holder = type === 'thinking' ? thinkingBlock(body) : body;
      if (type !== 'thinking') body.classList.add('block', 'text');
      entry.element.append(holder);
      block = { kind: type, md: new StreamingMarkdown(body) };
      entry.blocks.push(block);
    }
    block.md.append(text);
    this.scrollToEnd();
  }

  /** Renders the blocks still being streamed in full and marks their messages complete. */
  finishStreaming() {
    for (const entry of this.messages.values()) {
      if (entry.complete) continue;
      for (const block of entry.blocks) block.md.finish();
      entry.blocks = [];
      entry.complete = true;
    }
  }

  card(id, tool, args, parent) {
    let card = this.cards.get(id);
    if (card) return card;
    card = new ToolCard(id, tool, args, this.hooks.answerApproval);
    (parent ?? (this.lastAssistant ?? this.assistantEntry(null)).element).append(card.element);
    this.cards.set(id, card);
    return card;
  }

  toolCall({ id, tool, arguments: args }) {
    this.setRunning(true);
    this.finishStreaming();
    const card = this.card(id, tool, args);
    if (!card.done) card.setRunning();
    this.scrollToEnd();
  }

  toolResult({ id, tool, status, result }) {
    const card = this.card(id, tool, {});
    if (card.done) return; // the snapshot already shows it
    card.setResult(Array.isArray(result) ? result : [], status === 'error');
    this.scrollToEnd();
  }

  toolResponse(part) {
    const card = this.cards.get(part.id) ?? this.card(part.id, 'tool', {});
    card.setResult(part.content, part.is_error);
  }

  approvalRequired({ id, tool, arguments: args }) {
    this.setRunning(true);
    this.finishStreaming();
    const card = this.card(id, tool, args);
    if (!card.done) card.askApproval();
    this.scrollToEnd(true);
  }

  notification({ source, kind, payload }) {
    const running = [...this.cards.values()].reverse().find((c) => c.state === 'running');
    running?.note(`${source} ${kind}: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}`);
  }

  turnError({ code, message }) {
    this.finishStreaming();
    this.root.append(el('div', { className: 'turn-error', role: 'alert' },
      el('strong', {}, 'The turn failed: '), `${message} (${code})`));
    this.scrollToEnd(true);
  }

  complete({ stop_reason: reason, usage }) {
    this.finishStreaming();
    for (const card of this.cards.values()) card.turnEnded();
    const target = this.lastAssistant?.element ?? this.root;
    if (reason === 'cancelled') target.append(el('p', { className: 'note' }, 'Stopped'));
    if (reason === 'max_turns') target.append(el('p', { className: 'note' }, 'Stopped: the turn reached its limit of model calls'));
    if (usage && (usage.input_tokens || usage.output_tokens)) target.append(usageLine(usage));
    this.setRunning(false);
    this.hooks.onComplete({ reason, usage });
    this.scrollToEnd();
  }

  /** Whether a turn runs in this session: the composer shows Stop instead of Send meanwhile. */
  setRunning(running) {
    if (this.running === running) return;
    this.running = running;
    this.hooks.onRunning(running);
  }

  /** Keeps the newest part in view while the person has not scrolled up (once per frame). */
  scrollToEnd(force = false) {
    if (force) this.stickToEnd = true;
    if (!this.stickToEnd || this.scrollPending) return;
    this.scrollPending = true;
    requestAnimationFrame(() => {
      this.scrollPending = false;
      this.scroller.scrollTop = this.scroller.scrollHeight;
    });
  }
}

/** A tool call: folded card with the tool, its arguments, its output and how long it ran. */
class ToolCard {
  constructor(id, tool, args, answerApproval) {
    this.id = id;
    this.tool = tool;
    this.answerApproval = answerApproval;
    this.state = 'requested';
    this.done = false;
    this.status = el('span', { className: 'tool-status', role: 'img', 'aria-label': 'requested' });
    this.duration = el('span', { className: 'tool-duration' });
    this.output = el('div', { className: 'tool-output' });
    this.notes = el('ul', { className: 'tool-notes' });
    this.details = el('details', { className: 'tool' },
      el('summary', {},
        this.status,
        el('span', { className: 'tool-name' }, tool),
        el('span', { className: 'tool-brief' }, brief(args)),
        this.duration),
      el('h4', {}, 'Arguments'),
      el('pre', { className: 'tool-args' }, JSON.stringify(args ?? {}, null, 2)),
      this.notes,
      this.output);
    this.approval = el('div', { className: 'approval', hidden: true });
    this.element = el('div', { className: 'tool-card', 'data-call-id': id }, this.details, this.approval);
    this.setState('requested');
  }

  setState(state) {
    this.state = state;
    this.element.dataset.state = state;
    const labels = { requested: 'requested', approval: 'waits for approval', running: 'running', success: 'succeeded', error: 'failed' };
    this.status.setAttribute('aria-label', labels[state]);
    this.status.title = labels[state];
  }

  setRunning() {
    this.hideApproval();
    this.started = performance.now();
    this.setState('running');
  }

  askApproval() {
    this.setState('approval');
    const buttons = [
      ['allow_once', 'Allow once'],
      ['always_allow', 'Always allow'],
      ['deny', 'Deny'],
    ].map(([decision, label]) => {
      const button = el('button', { type: 'button', className: decision === 'deny' ? 'danger' : '' }, label);
      button.addEventListener('click', () => this.decide(decision));
      return button;
    });
    this.approvalMessage = el('span', { className: 'approval-message', role: 'status' });
    this.approval.replaceChildren(
      el('span', { className: 'approval-question' }, 'Run ', el('code', {}, this.tool), '?'),
      ...buttons,
      this.approvalMessage);
    this.approval.setAttribute('role', 'group');
    this.approval.setAttribute('aria-label', `Approve ${this.tool}`);
    this.approval.hidden = false;
    this.details.open = true;
  }

  async decide(decision) {
    const buttons = this.approval.querySelectorAll('button');
    buttons.forEach((b) => (b.disabled = true));
    try {
      await this.answerApproval(this.id, decision);
      this.approval.replaceChildren(el('span', { className: 'approval-done' }, DECISION_LABELS[decision]));
      this.approval.removeAttribute('role');
    } catch (e) {
      if (e.status === 409) {
        this.approval.replaceChildren(el('span', { className: 'approval-done' }, e.message));
      } else {
        buttons.forEach((b) => (b.disabled = false));
        this.approvalMessage.textContent = e.message;
      }
    }
  }

  hideApproval() {
    if (this.state === 'approval') this.approval.hidden = true;
  }

  note(text) {
    if (this.notes.children.length >= 50) this.notes.firstElementChild.remove();
    this.notes.append(el('li', {}, text));
  }

  setResult(parts, isError) {
    this.hideApproval();
    this.done = true;
    this.setState(isError ? 'error' : 'success');
    if (this.started !== undefined) {
      this.duration.textContent = formatDuration(performance.now() - this.started);
    }
    const content = [el('h4', {}, isError ? 'Error' : 'Output')];
    for (const part of parts) {
      if (part.type === 'text') content.push(el('pre', { className: isError ? 'tool-text error' : 'tool-text' }, part.text));
      else if (part.type === 'image') content.push(image(part.data, part.mime_type));
      else content.push(el('pre', { className: 'tool-text' }, JSON.stringify(part, null, 2)));
    }
    if (parts.length === 0) content.push(el('p', { className: 'note' }, '(no output)'));
    this.output.replaceChildren(...content);
  }

  /** The turn ended: a card still asking or running will not hear more. */
  turnEnded() {
    if (this.done) return;
    this.hideApproval();
    if (this.state === 'running' || this.state === 'approval') this.setState('error');
  }
}

function thinkingBlock(body) {
  return el('details', { className: 'block thinking' }, el('summary', {}, 'Thinking'), body);
}

function image(data, mime) {
  const safeMime = /^image\/(png|jpeg|gif|webp)$/.test(mime) ? mime : 'image/png';
  return el('img', { className: 'tool-image', src: `data:${safeMime};base64,${data}`, alt: 'Image from the tool' });
}

function usageLine(usage) {
  return el('p', { className: 'usage' },
    `${formatTokens(usage.input_tokens)} in · ${formatTokens(usage.output_tokens)} out tokens`);
}

function brief(args) {
  if (!args || typeof args !== 'object') return '';
  const first = Object.values(args).find((v) => typeof v === 'string');
  if (!first) return '';
  return first.length > 80 ? first.slice(0, 77) + '…' : first;
}

function formatDuration(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
