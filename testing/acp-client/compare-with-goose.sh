#!/usr/bin/env bash
# Runs the ACP client scenario (scenario.mjs, the official SDK) against the real goose 1.52.0
# (`goose acp`, from npm @aaif/goose-binary-linux-x64) and against this build's `goose acp`, each with
# an isolated HOME and its provider pointed at fake-anthropic.mjs, then the RFD probes against
# `goose serve` and goosed's /acp, and prints both side by side. docs/acp.md lists the differences.
# Needs `npm ci` here (bin/test does it) and a built goosed (bin/goose builds it); installs the reference
# goose into reference/ on first use. Uses loopback ports only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
goose="$here/reference/node_modules/@aaif/goose-binary-linux-x64/bin/goose"
if [[ ! -x "$goose" ]]; then
  echo "installing the reference goose (npm ci in reference/, about 290 MB)..." >&2
  npm ci --prefix "$here/reference" --no-audit --no-fund --loglevel=error
fi
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

start_fake() { # $1 = script JSON; sets FAKE_PORT
  node "$here/fake-anthropic.mjs" "$1" >"$work/fake.port" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 1 100); do [[ -s "$work/fake.port" ]] && break; sleep 0.1; done
  FAKE_PORT="$(awk '{print $2}' "$work/fake.port")"
  rm -f "$work/fake.port"
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_health() { for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$1/health" 2>/dev/null && return; sleep 0.2; done; echo "no /health on $1" >&2; exit 1; }

secret="compare-secret-0123456789abcdef"
for agent in goose goosed; do
  home="$work/$agent"; mkdir -p "$home/work"
  cwd="$(cd "$home/work" && pwd -P)"
  if [[ $agent == goose ]]; then
    script='["text", ["tool","developer__write",{"path":"'$cwd'/notes.txt","content":"one\ntwo\n"}], ["tool","todo__todo_write",{"content":"- [x] write notes\n- [ ] review them"}], "text", ["tool","developer__shell",{"command":"echo approved-run"}], "text", "stall"]'
    cmd=("$goose" acp --with-builtin developer,todo)
  else
    script='["text", ["tool","developer__text_editor",{"command":"write","path":"'$cwd'/notes.txt","file_text":"one\ntwo\n"}], ["tool","todo__todo_write",{"content":"- [x] write notes\n- [ ] review them"}], "text", ["tool","developer__shell",{"command":"echo approved-run"}], "text", "stall"]'
    cmd=("$repo/bin/goose" acp)
  fi
  start_fake "$script"
  env HOME="$home" GOOSE_PATH_ROOT="$home/root" GOOSE_DISABLE_KEYRING=true GOOSE_PROVIDER=anthropic \
    GOOSE_MODEL=claude-sonnet-4-5 ANTHROPIC_HOST="http://127.0.0.1:$FAKE_PORT" ANTHROPIC_API_KEY=sk-fake \
    node "$here/scenario.mjs" stdio --cwd "$cwd" -- "${cmd[@]}" >"$work/$agent.json" 2>"$work/$agent.err"

  port="$(free_port)"
  if [[ $agent == goose ]]; then
    env HOME="$home" GOOSE_DISABLE_KEYRING=true GOOSE_SERVER__SECRET_KEY="$secret" GOOSE_PROVIDER=anthropic \
      ANTHROPIC_HOST="http://127.0.0.1:$FAKE_PORT" ANTHROPIC_API_KEY=sk-fake "$goose" serve --host 127.0.0.1 --port "$port" >"$work/$agent-serve.log" 2>&1 &
  else
    env HOME="$home" GOOSE_PATH_ROOT="$home/root" GOOSE_AUTH=secret GOOSE_SERVER__SECRET_KEY="$secret" GOOSE_PROVIDER=anthropic \
      ANTHROPIC_HOST="http://127.0.0.1:$FAKE_PORT" ANTHROPIC_API_KEY=sk-fake "$repo/bin/goose" serve --host 127.0.0.1 --port "$port" >"$work/$agent-serve.log" 2>&1 &
  fi
  pids+=($!)
  wait_health "$port"
  node "$here/rfd-probes.mjs" "http://127.0.0.1:$port" '{"X-Secret-Key":"'$secret'"}' >"$work/$agent-probes.json"
done
echo "goose 1.52.0 (left) and goosed (right)"
node "$here/compare.mjs" "$work/goose.json" "$work/goosed.json" "$work/goose-probes.json" "$work/goosed-probes.json"
