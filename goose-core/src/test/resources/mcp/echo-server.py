# A minimal stdio MCP server (newline-delimited JSON-RPC) for the tests: one tool, echo, whose
# answer also says what the process sees of its environment (HOME, whether DEMO_TOKEN is set,
# whether HOME is writable), so a test can check where an extension runs and with what.
import json
import os
import sys


def answer(request_id, result):
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": request_id, "result": result}) + "\n")
    sys.stdout.flush()


def home_writable():
    try:
        with open(os.path.join(os.environ["HOME"], ".probe"), "w") as f:
            f.write("x")
        return True
    except OSError:
        return False


for line in sys.stdin:
    if not line.strip():
        continue
    message = json.loads(line)
    method = message.get("method")
    if "id" not in message:
        continue
    if method == "initialize":
        answer(
            message["id"],
            {
                "protocolVersion": message["params"]["protocolVersion"],
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "echo", "version": "1"},
            },
        )
    elif method == "tools/list":
        answer(
            message["id"],
            {
                "tools": [
                    {
                        "name": "echo",
                        "description": "echoes its text",
                        "inputSchema": {
                            "type": "object",
                            "properties": {"text": {"type": "string"}},
                        },
                    }
                ]
            },
        )
    elif method == "tools/call":
        text = "echo: %s; home=%s; token=%s; home-writable=%s" % (
            message["params"]["arguments"].get("text", ""),
            os.environ.get("HOME"),
            "set" if os.environ.get("DEMO_TOKEN") else "unset",
            home_writable(),
        )
        answer(message["id"], {"content": [{"type": "text", "text": text}]})
    else:
        answer(message["id"], {})
