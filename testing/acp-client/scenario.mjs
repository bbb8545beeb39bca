// The ACP client scenario the tests run, with the official SDK, against any ACP agent:
//   node scenario.mjs stdio [--cwd DIR] [--step S]... -- COMMAND ARGS...   (the agent as a child process)
//   node scenario.mjs http  URL [--header K:V]... [--cwd DIR] [--step S]...  (Streamable HTTP)
//   node scenario.mjs ws    URL [--header K:V]... [--cwd DIR] [--step S]...  (WebSocket, with the ws package)
// Steps (default: all, in this order): text, tools, permission, cancel, load, list, close, delete.
// Prints one JSON document: {"transcript": [every message, in order, with its direction], "results": {...}}.
// The agent's provider is the test's fake; it must answer the steps' prompts in order (see AcpScenario.java).
import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import { createHttpStream } from '@agentclientprotocol/sdk/experimental/http-client';
import { createWebSocketStream } from '@agentclientprotocol/sdk/experimental/ws-client';
import WebSocket from 'ws';

const argv = process.argv.slice(2);
const transport = argv.shift();
const dash = argv.indexOf('--');
const command = dash >= 0 ? argv.splice(dash).slice(1) : [];
const target = transport === 'stdio' ? null : argv.shift();
const headers = {};
const steps = [];
let cwd = process.cwd();
let permission = 'allow_once';
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--header') { const [k, ...v] = argv[++i].split(':'); headers[k] = v.join(':'); }
  else if (argv[i] === '--cwd') cwd = argv[++i];
  else if (argv[i] === '--step') steps.push(argv[++i]);
  else if (argv[i] === '--permission') permission = argv[++i];
  else throw new Error('unknown argument ' + argv[i]);
}
const all = ['text', 'tools', 'permission', 'cancel', 'load', 'list', 'close', 'delete'];
const run = steps.length ? steps : all;

let child;
let base;
if (transport === 'stdio') {
  child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  base = acp.ndJsonStream(Writable.toWeb(child.stdin), Readable.toWeb(child.stdout));
} else if (transport === 'http') {
  base = createHttpStream(target, { headers });
} else if (transport === 'ws') {
  base = createWebSocketStream(target, { headers, WebSocket });
} else {
  throw new Error('transport must be stdio, http or ws');
}

// Every message in both directions, in order.
const transcript = [];
const record = (dir) => new TransformStream({ transform(m, c) { transcript.push({ dir, message: m }); c.enqueue(m); } });
const outbound = record('out');
outbound.readable.pipeTo(base.writable).catch(() => {});
const stream = { readable: base.readable.pipeThrough(record('in')), writable: outbound.writable };

let onUpdate = () => {};
const app = acp.client({ name: 'goosed-acp-scenario' })
  .onRequest('session/request_permission', async ({ params }) => {
    if (permission === 'cancelled') return { outcome: { outcome: 'cancelled' } };
    return { outcome: { outcome: 'selected', optionId: params.options.find((o) => o.kind === permission).optionId } };
  })
  .onNotification('session/update', async ({ params }) => onUpdate(params));

const results = {};
const mark = (name) => transcript.push({ dir: 'step', message: { step: name } });
const attempt = async (name, fn) => {
  mark(name);
  try { results[name] = await fn(); } catch (e) { results[name] = { error: { message: e.message, code: e.code, data: e.data } }; }
};

try {
  await app.connectWith(stream, async (ctx) => {
    await attempt('initialize', () => ctx.request('initialize', { protocolVersion: 1, clientCapabilities: {}, clientInfo: { name: 'scenario', version: '1' } }));
    await attempt('new', () => ctx.request('session/new', { cwd, mcpServers: [] }));
    const sessionId = results.new.sessionId;
    const prompt = (text) => ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] });
    for (const step of run) {
      switch (step) {
        case 'text': await attempt('text', () => prompt('say hello')); break;
        case 'tools': await attempt('tools', () => prompt('write a file and plan')); break;
        case 'permission':
          await attempt('mode', () => ctx.request('session/set_config_option', { sessionId, configId: 'mode', value: 'approve' }));
          await attempt('permission', () => prompt('run a command'));
          break;
        case 'cancel': {
          let cancelled = false;
          onUpdate = (p) => {
            if (!cancelled && p.sessionId === sessionId && p.update.sessionUpdate === 'agent_message_chunk') {
              cancelled = true;
              ctx.notify('session/cancel', { sessionId });
            }
          };
          await attempt('cancel', () => prompt('talk for a long time'));
          onUpdate = () => {};
          break;
        }
        case 'load': await attempt('load', () => ctx.request('session/load', { sessionId, cwd, mcpServers: [] })); break;
        case 'list': await attempt('list', () => ctx.request('session/list', {})); break;
        case 'close': await attempt('close', () => ctx.request('session/close', { sessionId })); break;
        case 'delete': await attempt('delete', () => ctx.request('session/delete', { sessionId })); break;
        default: throw new Error('unknown step ' + step);
      }
    }
  });
} finally {
  process.stdout.write(JSON.stringify({ transcript, results }) + '\n');
  if (child) child.kill();
  setTimeout(() => process.exit(0), 200).unref();
}
