// A deliberately small MCP server (no SDK) for failure tests.
// argv[2]: "normal" (default), "garbage" (writes a non-JSON line to stdout at once) or "mute" (never
// answers initialize).
// Tools: ok, die (exits mid-call), hang (never answers), spawn (starts `sleep` and returns its pid),
// garbage (answers with a non-JSON line), grow (adds a tool 'extra' and announces tools/list_changed),
// cancels (answers {hung, cancelled}: the request ids of the hang calls and of notifications/cancelled).
// tools/list is paginated (two pages) to test cursors.
const readline = require('readline');
const { spawn } = require('child_process');
const mode = process.argv[2] || 'normal';
const send = (m) => process.stdout.write(JSON.stringify(m) + '\n');
if (mode === 'garbage') process.stdout.write('Server ready! (this line is not JSON-RPC)\n');
const tool = (name) => ({ name, description: 'test tool ' + name, inputSchema: { type: 'object', properties: {} } });
let grown = false;
const hung = [];
const cancelled = [];
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.id === undefined) {
    if (msg.method === 'notifications/cancelled') cancelled.push(msg.params.requestId);
    return;
  }
  const reply = (result) => send({ jsonrpc: '2.0', id: msg.id, result });
  switch (msg.method) {
    case 'initialize':
      if (mode === 'mute') return;
      return reply({ protocolVersion: msg.params.protocolVersion, capabilities: { tools: { listChanged: true } }, serverInfo: { name: 'misbehaving', version: '1.0.0' } });
    case 'ping':
      return reply({});
    case 'tools/list':
      if (!msg.params || !msg.params.cursor) return reply({ tools: [tool('ok'), tool('die'), tool('hang')], nextCursor: 'page-2' });
      return reply({ tools: [tool('spawn'), tool('garbage'), tool('grow'), tool('cancels')].concat(grown ? [tool('extra')] : []) });
    case 'tools/call': {
      const name = msg.params.name;
      if (name === 'die') { process.stderr.write('about to crash\n'); process.exit(3); }
      if (name === 'hang') { hung.push(msg.id); return; }
      if (name === 'cancels') return reply({ content: [{ type: 'text', text: JSON.stringify({ hung, cancelled }) }] });
      if (name === 'garbage') { process.stdout.write('oops <html>\n'); return; }
      if (name === 'grow') {
        grown = true;
        send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
        return reply({ content: [{ type: 'text', text: 'grown' }] });
      }
      if (name === 'spawn') {
        const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
        return reply({ content: [{ type: 'text', text: String(child.pid) }] });
      }
      return reply({ content: [{ type: 'text', text: 'ok' }] });
    }
    default:
      send({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'no method ' + msg.method } });
  }
});
