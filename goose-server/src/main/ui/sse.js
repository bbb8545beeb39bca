// Server-Sent Events over fetch(). EventSource cannot send an Authorization or X-Secret-Key header,
// so the page reads the stream itself. The parser follows the WHATWG rules: lines end with CRLF, LF
// or CR; "event", "data" (joined by LF), "id"; comment lines start with ":"; a blank line dispatches.
// Written here rather than taken from a library: it is forty lines and has no dependency.

import { ApiError } from './api.js';

const NEWLINE = /\r\n|\n|\r/g;

/** Yields {id, event, data} for each event of a fetch Response body. */
export async function* readEvents(response, signal) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const onAbort = () => reader.cancel().catch(() => {});
  signal?.addEventListener('abort', onAbort);
  let buffer = '';
  let event = { id: null, event: 'message', data: [] };
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (!done) buffer += value;
      let start = 0;
      while (true) {
        NEWLINE.lastIndex = start; // search in place: no copy of the buffer per line
        const match = NEWLINE.exec(buffer);
        if (!match) break;
        // A lone CR at the very end may be the first half of a CRLF: wait for the next chunk.
        if (match[0] === '\r' && match.index === buffer.length - 1 && !done) break;
        const line = buffer.slice(start, match.index);
        start = match.index + match[0].length;
        if (line === '') {
          if (event.data.length > 0) yield { id: event.id, event: event.event, data: event.data.join('\n') };
          event = { id: null, event: 'message', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') event.data.push(value);
        else if (field === 'event') event.event = value;
        else if (field === 'id' && !value.includes('\0')) event.id = value;
      }
      buffer = buffer.slice(start);
      if (done) return;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Follows a session's event log: GET /sessions/{id}/events with Last-Event-ID, re-attaching after a
 * dropped connection from the last event it saw, so every event is handed to `onEvent` exactly once
 * and in order. `onState` hears 'live', 'reconnecting' (with the error) and 'closed'.
 */
export class EventFollower {
  constructor(api, sessionId, afterSeq, { onEvent, onState, onGone }) {
    this.api = api;
    this.sessionId = sessionId;
    this.lastSeq = afterSeq;
    this.onEvent = onEvent;
    this.onState = onState;
    this.onGone = onGone;
    this.controller = new AbortController();
    this.stopped = false;
    this.run();
  }

  stop() {
    this.stopped = true;
    this.controller.abort();
  }

  async run() {
    let failures = 0;
    while (!this.stopped) {
      let retryAfter = 0;
      try {
        const response = await this.api.fetch(`/sessions/${encodeURIComponent(this.sessionId)}/events`, {
          headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(this.lastSeq) },
          signal: this.controller.signal,
        });
        this.onState('live');
        failures = 0;
        for await (const e of readEvents(response, this.controller.signal)) {
          const seq = Number(e.id);
          if (!Number.isFinite(seq) || seq <= this.lastSeq) continue; // never twice
          let data;
          try {
            data = JSON.parse(e.data);
          } catch {
            continue;
          }
          this.lastSeq = seq;
          try {
            this.onEvent(e.event, data, seq);
          } catch (error) {
            reportError(error); // a rendering bug must not look like a dropped connection
          }
        }
        if (this.stopped) return;
        // The server ended the stream (it is stopping): re-attach.
        this.onState('reconnecting', new ApiError(0, 'closed', 'The event stream ended.'));
      } catch (e) {
        if (this.stopped || e.name === 'AbortError') return;
        if (e instanceof ApiError && (e.status === 401 || e.status === 404)) {
          this.onState('closed', e);
          if (e.status === 404) this.onGone?.();
          return;
        }
        retryAfter = Number(e.retryAfter) || 0; // 429: too many streams or requests
        this.onState('reconnecting', e);
      }
      failures++;
      const delay = Math.max(retryAfter * 1000, Math.min(5000, 250 * 2 ** Math.min(failures, 5)));
      await sleep(delay, this.controller.signal);
    }
  }
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
