// Markdown to safe HTML. Model output is untrusted: marked turns it into HTML and DOMPurify removes
// everything that could run or load something (scripts, event handlers, style, forms, frames); an
// image may only be an inline data: URL (no request to another host), links open in a new tab
// without a referrer. Code blocks are highlighted and get a copy button.
//
// A streamed reply is rendered incrementally: the text up to its last paragraph break outside a code
// fence is rendered once and kept; only the tail after it is re-rendered, at most every
// RENDER_INTERVAL_MS. So a 3,000-chunk reply costs a few dozen small renders, never one per chunk,
// and nothing outside the block being written is touched.

import { marked } from './marked.esm.js';
import DOMPurify from './purify.es.mjs';

const RENDER_INTERVAL_MS = 80;

marked.setOptions({ gfm: true, breaks: false, async: false });
// Raw HTML in the model's Markdown is shown as text, never parsed: so even an inert parse never sees
// an event handler attribute (the browser reports those as CSP violations), and DOMPurify below is a
// second line, not the only one.
marked.use({ renderer: { html: ({ text }) => escapeHtml(text) } });

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

DOMPurify.addHook('uponSanitizeElement', (node, data) => {
  if (data.tagName === 'img') {
    const src = node.getAttribute('src') ?? '';
    if (!/^data:image\/(png|jpe?g|gif|webp);base64,/i.test(src)) {
      node.replaceWith(document.createTextNode(node.getAttribute('alt') || '[image]'));
    }
  }
});
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (/^https?:/i.test(href)) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    } else if (!href.startsWith('#')) {
      node.removeAttribute('href');
    }
  }
});

const PURIFY = {
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'svg', 'math'],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'background', 'ping'],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

/** Markdown text as a sanitized DocumentFragment, code highlighted when `highlight`. */
export function markdownFragment(text, { highlight = true } = {}) {
  const fragment = DOMPurify.sanitize(marked.parse(text), PURIFY);
  decorateCode(fragment, highlight);
  return fragment;
}

/** Adds the copy buttons (and highlighting) to the code blocks of a rendered fragment. */
function decorateCode(root, highlight) {
  for (const pre of root.querySelectorAll('pre')) {
    const code = pre.querySelector('code');
    if (code && highlight && globalThis.hljs) {
      const language = [...code.classList].find((c) => c.startsWith('language-'))?.slice(9);
      if (!language || globalThis.hljs.getLanguage(language)) {
        try {
          globalThis.hljs.highlightElement(code);
        } catch {
          // unknown language or a highlighter failure: keep the plain text
        }
      }
    }
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'copy';
    copy.textContent = 'Copy';
    copy.setAttribute('aria-label', 'Copy code');
    pre.prepend(copy);
  }
}

/** Copies a code block's text when its copy button is clicked (one listener for the page). */
export function installCopyButtons(root) {
  root.addEventListener('click', async (event) => {
    const button = event.target.closest('button.copy');
    if (!button) return;
    const code = button.parentElement.querySelector('code') ?? button.parentElement;
    try {
      await navigator.clipboard.writeText(code.textContent);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Copy failed';
    }
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  });
}

/**
 * One Markdown block being streamed into `element`: `append` text as it arrives; `finish` renders
 * the whole text once more so constructs that span paragraphs come out exactly as marked renders
 * them.
 */
export class StreamingMarkdown {
  constructor(element) {
    this.element = element;
    this.text = '';
    this.stableEnd = 0; // text before this index is rendered into `stable` and never again
    this.stable = document.createElement('div');
    this.stable.className = 'md-stable';
    this.tail = document.createElement('div');
    this.tail.className = 'md-tail';
    element.replaceChildren(this.stable, this.tail);
    this.timer = null;
    this.lastRender = 0;
  }

  append(text) {
    this.text += text;
    if (this.timer !== null) return;
    const wait = Math.max(0, RENDER_INTERVAL_MS - (performance.now() - this.lastRender));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.render();
    }, wait);
  }

  /** Renders what is new: completed paragraphs once into the stable part, the rest into the tail. */
  render() {
    this.lastRender = performance.now();
    const boundary = this.paragraphBoundary();
    if (boundary > this.stableEnd) {
      this.stable.append(markdownFragment(this.text.slice(this.stableEnd, boundary)));
      this.stableEnd = boundary;
    }
    this.tail.replaceChildren(markdownFragment(this.text.slice(this.stableEnd), { highlight: false }));
  }

  /** The end of the last blank line after stableEnd that is outside a code fence. */
  paragraphBoundary() {
    let inFence = false;
    let boundary = this.stableEnd;
    let lineStart = this.stableEnd;
    const text = this.text;
    while (lineStart < text.length) {
      const newline = text.indexOf('\n', lineStart);
      if (newline < 0) break; // the last line is still being written
      const line = text.slice(lineStart, newline);
      if (/^\s{0,3}(```|~~~)/.test(line)) inFence = !inFence;
      else if (!inFence && line.trim() === '' && lineStart > this.stableEnd) boundary = newline + 1;
      lineStart = newline + 1;
    }
    return boundary;
  }

  /** The reply is complete: one final render of the whole block. */
  finish() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.element.replaceChildren(markdownFragment(this.text));
  }
}
