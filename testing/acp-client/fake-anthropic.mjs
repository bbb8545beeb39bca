// A fake Anthropic Messages API for compare-with-goose.sh (the Java tests use the goose-core test-jar's
// FakeAnthropicServer): streams scripted replies in order to requests that offer tools, answers
// title requests (no tools: goose asks for a session title) with a fixed title, /v1/models with none.
//   node fake-anthropic.mjs SCRIPT_JSON      prints "PORT n" once listening on 127.0.0.1
// Script items: "text" (three text chunks), ["tool", NAME, INPUT] (a tool_use), "stall" (two chunks,
// then silence until the client hangs up).
import http from 'node:http';
const script = JSON.parse(process.argv[2] || '["text"]');
let next = 0;
http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url.startsWith('/v1/models')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"data":[]}'); return; }
    const request = JSON.parse(body || '{}');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const ev = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    ev('message_start', { message: { id: 'msg_fake', type: 'message', role: 'assistant', model: request.model, content: [], stop_reason: null, usage: { input_tokens: 25, output_tokens: 1 } } });
    const text = (chunks) => {
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      for (const t of chunks) ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: t } });
    };
    const end = (reason) => {
      ev('content_block_stop', { index: 0 });
      ev('message_delta', { delta: { stop_reason: reason }, usage: { output_tokens: 12 } });
      ev('message_stop', {});
      res.end();
    };
    if (!request.tools || request.tools.length === 0) { text(['A title']); end('end_turn'); return; }
    const item = script[Math.min(next++, script.length - 1)];
    if (item === 'text') { text(['Hello ', 'from ', 'the fake.']); end('end_turn'); }
    else if (item === 'stall') { text(['Once ', 'upon ']); }
    else {
      const [, name, input] = item;
      ev('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_' + next, name, input: {} } });
      ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(input) } });
      end('tool_use');
    }
  });
}).listen(0, '127.0.0.1', function () { console.log('PORT', this.address().port); });
