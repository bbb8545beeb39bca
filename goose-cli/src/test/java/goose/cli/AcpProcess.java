package goose.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real {@code goose acp} in its own JVM, driven as an editor drives it: newline-delimited
 * JSON-RPC on its stdin and stdout (raw lines, so the test sees exactly what an editor sees),
 * stderr to a file. Requests from the agent (permission requests) are not expected here and are
 * answered with an error.
 */
final class AcpProcess implements AutoCloseable {
  private final Process process;
  private final Path stderr;
  private final OutputStream stdin;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

  private AcpProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.stdin = process.getOutputStream();
    Thread.ofPlatform().daemon().name("acp-stdout-" + process.pid()).start(this::readLoop);
  }

  /** Starts {@code goose acp} with {@code env} added to this JVM's environment. */
  static AcpProcess start(Path home, Map<String, String> env) {
    List<String> command = CliProcess.command("acp");
    try {
      Files.createDirectories(home);
      Path err = Files.createTempFile(home, "acp-", ".stderr");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .redirectOutput(ProcessBuilder.Redirect.PIPE);
      pb.environment().put("HOME", home.toString());
      // A title is a side request to the fake provider that would take a scripted reply: off
      // unless the test asks (as CliProcess does).
      pb.environment().put("GOOSE_SESSION_TITLES", "false");
      pb.environment().putAll(env);
      return new AcpProcess(pb.start(), err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readLoop() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        JsonNode message = Json.parse(line);
        if (message.has("id") && message.has("method")) {
          ObjectNode refusal = Json.object().put("jsonrpc", "2.0");
          refusal.set("id", message.get("id"));
          refusal.set("error", Json.object().put("code", -32601).put("message", "not here"));
          write(refusal);
        } else if (message.has("id")) {
          CompletableFuture<JsonNode> f = pending.remove(message.get("id").asLong());
          if (f != null) f.complete(message);
        } else {
          notifications.add(message);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended: the pending calls fail below
    }
    pending.values().forEach(f -> f.completeExceptionally(new IOException("goose acp ended")));
  }

  /** Sends a request; its answer (the whole JSON-RPC message) when it comes. */
  CompletableFuture<JsonNode> send(String method, ObjectNode params) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    write(
        Json.object()
            .put("jsonrpc", "2.0")
            .put("id", id)
            .put("method", method)
            .set("params", params));
    return answer;
  }

  /** Sends a notification (no id, no answer). */
  void notify(String method, ObjectNode params) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0").put("method", method);
    message.set("params", params);
    write(message);
  }

  /** Sends a request and waits for its {@code result}; fails on an error answer. */
  JsonNode call(String method, ObjectNode params, Duration timeout) throws Exception {
    JsonNode answer = send(method, params).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!answer.has("result"))
      throw new AssertionError(method + " answered " + answer + "\nstderr:\n" + err());
    return answer.get("result");
  }

  /** initialize, then session/new in {@code cwd}: the new session's id. */
  String newSession(Path cwd, Duration timeout) throws Exception {
    call("initialize", Json.object().put("protocolVersion", 1), timeout);
    ObjectNode params = Json.object().put("cwd", cwd.toString());
    params.putArray("mcpServers");
    return call("session/new", params, timeout).get("sessionId").asText();
  }

  /** session/prompt with one text block; the answer when the turn ends. */
  CompletableFuture<JsonNode> prompt(String sessionId, String text) {
    ObjectNode params = Json.object().put("sessionId", sessionId);
    params.putArray("prompt").addObject().put("type", "text").put("text", text);
    return send("session/prompt", params);
  }

  List<JsonNode> notifications() {
    return List.copyOf(notifications);
  }

  private synchronized void write(JsonNode message) {
    try {
      stdin.write((Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  String err() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL, as a crash or an editor killed with its window: no shutdown hook runs. */
  void kill() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /** Ends stdin, as an editor closing the agent does; the exit code. */
  int endInput(Duration timeout) throws Exception {
    stdin.close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
      throw new AssertionError("goose acp did not exit within " + timeout + ":\n" + err());
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
