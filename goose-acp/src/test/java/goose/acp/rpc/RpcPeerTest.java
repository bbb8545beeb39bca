package goose.acp.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import goose.acp.wire.AcpJson;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RpcPeerTest {
  private final List<JsonNode> sent = new CopyOnWriteArrayList<>();

  private JsonNode awaitSent(int n) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(() -> assertThat(sent).hasSizeGreaterThanOrEqualTo(n));
    return sent.get(n - 1);
  }

  private static JsonNode parse(String json) throws Exception {
    return AcpJson.parse(json);
  }

  @Test
  void answersRequestsAndErrors() throws Exception {
    RpcPeer peer =
        new RpcPeer(
            sent::add,
            new RpcHandler() {
              @Override
              public JsonNode request(String method, JsonNode params, RpcCall call) {
                if (method.equals("echo")) return params;
                throw RpcException.methodNotFound(method);
              }

              @Override
              public void notification(String method, JsonNode params) {}
            });
    peer.receive(parse("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":{\"a\":1}}"));
    assertThat(awaitSent(1).toString())
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"a\":1}}");
    peer.receive(parse("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"nope\"}"));
    assertThat(awaitSent(2).at("/error/code").asInt()).isEqualTo(-32601);
    peer.receive(parse("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}]"));
    assertThat(awaitSent(3).at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(awaitSent(3).get("id").isNull()).isTrue();
    peer.unparsable("bad");
    assertThat(awaitSent(4).at("/error/code").asInt()).isEqualTo(-32700);
    peer.receive(parse("{\"id\":1,\"method\":\"echo\"}"));
    assertThat(awaitSent(5).at("/error/code").asInt()).isEqualTo(-32600);
    peer.receive(parse("{\"jsonrpc\":2.0,\"id\":1,\"method\":\"echo\"}"));
    assertThat(awaitSent(6).at("/error/code").asInt()).as("the number 2.0").isEqualTo(-32600);
  }

  @Test
  void cancelRequestReachesTheRunningHandler() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    RpcPeer peer =
        new RpcPeer(
            sent::add,
            new RpcHandler() {
              @Override
              public JsonNode request(String method, JsonNode params, RpcCall call) {
                call.onCancel(cancelled::countDown);
                started.countDown();
                try {
                  cancelled.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return AcpJson.object().put("stopReason", "cancelled");
              }

              @Override
              public void notification(String method, JsonNode params) {}
            });
    peer.receive(parse("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"session/prompt\"}"));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    peer.receive(
        parse(
            "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancel_request\",\"params\":{\"requestId\":3}}"));
    assertThat(awaitSent(1).at("/result/stopReason").asText()).isEqualTo("cancelled");
  }

  @Test
  void ourRequestsAreMatchedToTheirAnswers() throws Exception {
    RpcPeer peer =
        new RpcPeer(
            sent::add,
            new RpcHandler() {
              @Override
              public JsonNode request(String method, JsonNode params, RpcCall call) {
                return params;
              }

              @Override
              public void notification(String method, JsonNode params) {}
            });
    var ok = peer.request("session/request_permission", AcpJson.object());
    var refused = peer.request("session/request_permission", AcpJson.object());
    String first = awaitSent(1).get("id").asText();
    String second = awaitSent(2).get("id").asText();
    peer.receive(
        parse(
            "{\"jsonrpc\":\"2.0\",\"id\":\""
                + second
                + "\",\"error\":{\"code\":-32603,\"message\":\"no\"}}"));
    peer.receive(
        parse("{\"jsonrpc\":\"2.0\",\"id\":\"" + first + "\",\"result\":{\"outcome\":1}}"));
    assertThat(ok.get(5, TimeUnit.SECONDS).get("outcome").asInt()).isEqualTo(1);
    assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RpcException.class);
    var afterClose = peer.request("x", AcpJson.object());
    peer.close();
    assertThatThrownBy(() -> afterClose.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void textAfterAMessageIsAParseErrorNotASecondMessageLostWithoutAnAnswer() {
    assertThatThrownBy(() -> parse("{\"jsonrpc\":\"2.0\",\"id\":1}{\"jsonrpc\":\"2.0\",\"id\":2}"))
        .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class)
        .hasMessageContaining("Trailing token");
    assertThatThrownBy(() -> parse("{\"jsonrpc\":\"2.0\",\"id\":1} xyz"))
        .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
  }
}
