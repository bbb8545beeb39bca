// The page's SSE parser (goose-server/src/main/ui/sse.js) in Node, byte stream by byte stream: line
// endings of every kind and split anywhere, multi-line data, comments, ids. Run by goose-server's
// WebUiSseParserTest (no browser needed).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEvents } from '../../goose-server/src/main/ui/sse.js';

/** A fetch Response whose body arrives in exactly these pieces (bytes, so UTF-8 can be split too). */
function responseOf(pieces) {
  const encoder = new TextEncoder();
  const bytes = pieces.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  return new Response(new ReadableStream({
    start(controller) {
      for (const b of bytes) controller.enqueue(b);
      controller.close();
    },
  }));
}

async function all(pieces) {
  const out = [];
  for await (const e of readEvents(responseOf(pieces))) out.push(e);
  return out;
}

const STREAM = 'id: 1\nevent: message_chunk\ndata: {"text":"héllo"}\n\n: keep-alive\n\nid: 2\nevent: message_complete\ndata: {}\n\n';
const EXPECTED = [
  { id: '1', event: 'message_chunk', data: '{"text":"héllo"}' },
  { id: '2', event: 'message_complete', data: '{}' },
];

test('events, ids and names; comments are skipped', async () => {
  assert.deepEqual(await all([STREAM]), EXPECTED);
});

test('split at every byte, including inside a multi-byte character', async () => {
  const bytes = new TextEncoder().encode(STREAM);
  assert.deepEqual(await all([...bytes].map((b) => new Uint8Array([b]))), EXPECTED);
});

test('CRLF and CR line endings, also a CRLF split between two reads', async () => {
  assert.deepEqual(await all([STREAM.replaceAll('\n', '\r\n')]), EXPECTED);
  assert.deepEqual(await all([STREAM.replaceAll('\n', '\r')]), EXPECTED);
  const crlf = STREAM.replaceAll('\n', '\r\n');
  const cut = crlf.indexOf('\r\n') + 1; // between the CR and the LF
  assert.deepEqual(await all([crlf.slice(0, cut), crlf.slice(cut)]), EXPECTED);
});

test('multi-line data is joined with LF; a field without a space after the colon works', async () => {
  const events = await all(['event:x\ndata:a\ndata: b\n\n']);
  assert.deepEqual(events, [{ id: null, event: 'x', data: 'a\nb' }]);
});

test('an event without data is not dispatched; an unfinished last event neither', async () => {
  assert.deepEqual(await all(['event: lonely\n\nid: 9\ndata: half']), []);
});
