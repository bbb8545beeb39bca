// The status codes of the ACP HTTP/WebSocket RFD's probes against an /acp endpoint:
//   node rfd-probes.mjs BASE_URL [HEADERS_JSON]
// Prints one JSON object {probe name: status}; the tests compare it between goosed and goose serve.
const base = process.argv[2];
const auth = JSON.parse(process.argv[3] || '{}');
const url = base + '/acp';
const json = { 'Content-Type': 'application/json' };
const out = {};
async function probe(name, init, where = url) {
  const res = await fetch(where, { ...init, headers: { ...auth, ...(init.headers || {}) } });
  out[name] = res.status;
  if ((res.headers.get('content-type') || '').includes('event-stream')) res.body.cancel().catch(() => {});
  else await res.text();
  return res;
}
const rpc = (id, method, params = {}) => JSON.stringify({ jsonrpc: '2.0', id, method, params });
const init = rpc(1, 'initialize', { protocolVersion: 1, clientCapabilities: {} });
await probe('GET /health', { method: 'GET' }, base + '/health');
await probe('POST wrong credentials', { method: 'POST', headers: { ...json, 'X-Secret-Key': 'not-the-secret-at-all', Authorization: 'Bearer not-a-token' }, body: init });
await probe('POST text/plain', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: init });
await probe('POST malformed JSON', { method: 'POST', headers: json, body: '{nope' });
await probe('POST without connection', { method: 'POST', headers: json, body: rpc(2, 'session/list') });
await probe('POST unknown connection', { method: 'POST', headers: { ...json, 'Acp-Connection-Id': 'no-such-connection' }, body: rpc(2, 'session/list') });
const made = await probe('POST initialize', { method: 'POST', headers: json, body: init });
const id = made.headers.get('acp-connection-id');
out['initialize Acp-Connection-Id'] = id ? 'present' : 'missing';
const conn = { 'Acp-Connection-Id': id };
await probe('GET without Accept', { method: 'GET', headers: { ...conn, Accept: 'application/json' } });
await probe('GET without connection', { method: 'GET', headers: { Accept: 'text/event-stream' } });
await probe('GET unknown connection', { method: 'GET', headers: { Accept: 'text/event-stream', 'Acp-Connection-Id': 'no-such-connection' } });
const held = new AbortController();
const first = await fetch(url, { method: 'GET', headers: { ...auth, ...conn, Accept: 'text/event-stream' }, signal: held.signal });
out['GET connection stream'] = first.status;
await probe('GET second receiver', { method: 'GET', headers: { ...conn, Accept: 'text/event-stream' } });
await probe('POST session/list', { method: 'POST', headers: { ...json, ...conn }, body: rpc(3, 'session/list') });
await probe('POST mismatched Acp-Session-Id', { method: 'POST', headers: { ...json, ...conn, 'Acp-Session-Id': 'b' }, body: rpc(4, 'session/cancel', { sessionId: 'a' }).replace('"id":4,', '') });
await probe('PUT', { method: 'PUT', headers: json, body: '{}' });
await probe('DELETE without connection', { method: 'DELETE' });
await probe('DELETE unknown connection', { method: 'DELETE', headers: { 'Acp-Connection-Id': 'no-such-connection' } });
await probe('DELETE', { method: 'DELETE', headers: conn });
await probe('POST after DELETE', { method: 'POST', headers: { ...json, ...conn }, body: rpc(5, 'session/list') });
held.abort();
process.stdout.write(JSON.stringify(out) + '\n');
