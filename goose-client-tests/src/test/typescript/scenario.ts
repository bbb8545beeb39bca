// A session scenario run by a TypeScript client generated from goosed's openapi.json:
// openapi-typescript makes the types (goosed-api.ts), openapi-fetch makes the calls, tsc
// compiles it all with strict checks, node runs it against the real server.
//   node build/scenario.js BASE_URL WORK_DIR
// The Java test queues the fake provider's replies in the order this script sends messages:
//   1. a text reply (streamed turn), 2. a text reply (202 turn), 3. a 401 (a turn_error).
// Any failed check throws: the process exits non-zero with the message.
import assert from "node:assert/strict";
import createClient from "openapi-fetch";
import type { components, paths } from "./goosed-api.js";

type TurnEvent = components["schemas"]["TurnEvent"];
type ApiError = components["schemas"]["ApiError"];

const [baseUrl, workDir] = process.argv.slice(2);
assert.ok(baseUrl && workDir, "usage: scenario.js BASE_URL WORK_DIR");

const client = createClient<paths>({ baseUrl });

/** One Server-Sent Event: its name and its data as the generated TurnEvent union. */
interface SseEvent {
  name: string;
  id: string;
  data: TurnEvent;
}

/** Reads an event stream up to the first message_complete. */
async function readEvents(body: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      let id = "";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue; // keep-alive comment
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") name = text;
        else if (field === "id") id = text;
        else if (field === "data") data.push(text);
      }
      if (data.length === 0) continue;
      const event: SseEvent = { name, id, data: JSON.parse(data.join("\n")) as TurnEvent };
      assert.equal(event.data.event, name, "the data's event discriminator is the SSE event name");
      events.push(event);
      if (event.data.event === "message_complete") {
        await reader.cancel();
        return events;
      }
    }
  }
  throw new Error(`stream ended before message_complete: ${JSON.stringify(events)}`);
}

/** What the events say, switching on the discriminator: tsc checks every case is a real variant. */
function describe(events: SseEvent[]): { text: string; errors: string[]; stop: string } {
  let text = "";
  const errors: string[] = [];
  let stop = "";
  for (const { data } of events) {
    switch (data.event) {
      case "message_chunk":
        if (data.type === "text") text += data.text;
        break;
      case "turn_error":
        errors.push(data.code);
        break;
      case "message_complete":
        stop = data.stop_reason;
        break;
      case "usage":
        assert.equal(typeof data.usage.cache_read_input_tokens, "number");
        break;
      case "session_renamed":
      case "tool_call":
      case "tool_result":
      case "notification":
      case "tool_approval_required":
        break;
      default: {
        const unknown: never = data; // a new event kind fails compilation here
        throw new Error(`unexpected event ${JSON.stringify(unknown)}`);
      }
    }
  }
  return { text, errors, stop };
}

function assertError(error: ApiError | undefined, code: ApiError["error"]["code"]): ApiError {
  assert.ok(error, `expected an error body with code ${code}`);
  assert.equal(error.error.code, code, JSON.stringify(error));
  return error;
}

// --- create ------------------------------------------------------------------------------------
const created = await client.POST("/sessions", { body: { cwd: workDir, name: "generated ts" } });
assert.equal(created.response.status, 201);
assert.ok(created.data);
const id = created.data.id;
assert.equal(created.data.name, "generated ts");

// --- send a message, streamed --------------------------------------------------------------------
const streamed = await client.POST("/sessions/{id}/messages", {
  params: { path: { id } },
  body: { content: "Say hello" },
  headers: { Accept: "text/event-stream" },
  parseAs: "stream",
});
assert.equal(streamed.response.status, 200);
assert.match(streamed.response.headers.get("content-type") ?? "", /^text\/event-stream/);
assert.ok(streamed.data);
const first = describe(await readEvents(streamed.data));
assert.deepEqual(first, { text: "Hello from TypeScript.", errors: [], stop: "end_turn" });

// --- send a message as JSON: 202, then follow the events ---------------------------------------------
const accepted = await client.POST("/sessions/{id}/messages", {
  params: { path: { id } },
  body: { content: "In the background" },
  headers: { Accept: "application/json" },
});
assert.equal(accepted.response.status, 202);
// data is typed as the union of the 2xx bodies (200: the stream, 202: TurnAccepted); the status
// says which one this is.
const turn = accepted.data as components["schemas"]["TurnAccepted"];
assert.equal(turn.session_id, id);
const followed = await client.GET("/sessions/{id}/events", {
  params: { path: { id }, query: { after: turn.first_seq - 1 } },
  headers: { Accept: "text/event-stream" },
  parseAs: "stream",
});
assert.ok(followed.data);
assert.deepEqual(describe(await readEvents(followed.data)), {
  text: "queued reply",
  errors: [],
  stop: "end_turn",
});

// --- a provider failure is a turn_error event, not EventSource's own "error" -----------------------
const failing = await client.POST("/sessions/{id}/messages", {
  params: { path: { id } },
  body: { content: "This one fails" },
  headers: { Accept: "text/event-stream" },
  parseAs: "stream",
});
assert.ok(failing.data);
const failed = await readEvents(failing.data);
assert.deepEqual(
  failed.map((e) => e.name),
  ["turn_error", "message_complete"],
);
assert.deepEqual(describe(failed), { text: "", errors: ["provider_auth"], stop: "error" });

// --- list, get, rename ------------------------------------------------------------------------------
const listed = await client.GET("/sessions", { params: { query: { q: "generated", limit: 10 } } });
assert.ok(listed.data);
assert.deepEqual(
  listed.data.sessions.map((s) => s.id),
  [id],
);
const got = await client.GET("/sessions/{id}", { params: { path: { id } } });
assert.ok(got.data);
// Two answered turns (user + assistant each) and the failed one's user message.
assert.equal(got.data.message_count, 5);
const renamed = await client.PATCH("/sessions/{id}", {
  params: { path: { id } },
  body: { name: "renamed by ts" },
});
assert.equal(renamed.data?.name, "renamed by ts");

// --- errors are the JSON error type ------------------------------------------------------------------
const bad = await client.POST("/sessions", { body: { cwd: "not/absolute" } });
assert.equal(bad.response.status, 400);
assertError(bad.error, "invalid_field");
const badLimit = await client.GET("/sessions", { params: { query: { limit: 100000 } } });
assert.equal(badLimit.response.status, 400);
assertError(badLimit.error, "invalid_parameter");

// --- delete ----------------------------------------------------------------------------------------
const deleted = await client.DELETE("/sessions/{id}", { params: { path: { id } } });
assert.equal(deleted.response.status, 204);
const gone = await client.GET("/sessions/{id}", { params: { path: { id } } });
assert.equal(gone.response.status, 404);
assert.match(assertError(gone.error, "not_found").error.message, new RegExp(id));

console.log(JSON.stringify({ ok: true, session: id, first, failed: failed.map((e) => e.name) }));
