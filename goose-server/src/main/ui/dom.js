// Small DOM helpers: elements are built with textContent and properties, never from HTML strings
// (only sanitized Markdown becomes HTML, in markdown.js).

/** el('button', {type: 'button', className: 'x', 'aria-label': 'y'}, 'text', childNode, ...) */
export function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') element.className = value;
    else if (key === 'hidden') element.hidden = Boolean(value);
    else if (key.includes('-') || key === 'role' || key === 'for') element.setAttribute(key, value === true ? '' : value);
    else element[key] = value;
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Marks `element` as the current one of its group for screen readers (aria-current="page"). */
export function setCurrent(element, current) {
  if (!element) return;
  if (current) element.setAttribute('aria-current', 'page');
  else element.removeAttribute('aria-current');
}

export function formatTokens(n) {
  return Number(n ?? 0).toLocaleString('en-US');
}

/** "3 min ago", "yesterday", or a date. */
export function relativeTime(iso) {
  const then = new Date(iso).getTime();
  const seconds = Math.round((Date.now() - then) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  if (seconds < 172800) return 'yesterday';
  return new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
}
