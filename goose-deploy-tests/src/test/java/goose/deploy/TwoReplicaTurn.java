package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import goose.provider.fake.FakeOpenAiServer;
import goose.testing.deploy.NginxProxy;
import goose.testing.deploy.ProxyClient;
import goose.testing.deploy.SelfSignedTls;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One turn across two goosed replicas behind nginx (its default round robin, one worker): started
 * through one replica, followed and cancelled through the other. Which replica served a request is
 * read from nginx's own {@code $upstream_addr} in the response, never assumed: a follow served by
 * the turn's own replica is closed and asked again, and before the cancel, requests for /status
 * (proxied to the same upstream) bring the rotation to the turn's replica so that the cancel goes
 * to the other one, which the cancel's own response then confirms.
 */
final class TwoReplicaTurn {
  private final ProxyClient alice;
  private final FakeOpenAiServer provider;

  TwoReplicaTurn(NginxProxy nginx, SelfSignedTls tls, FakeOpenAiServer provider, String key) {
    this.alice =
        new ProxyClient(
                tls.clientContext(),
                URI.create("https://127.0.0.1:" + nginx.httpsPort),
                Optional.of("alice"),
                "alice-password")
            .with("X-Secret-Key", key);
    this.provider = provider;
  }

  void startFollowAndCancel(String session) throws Exception {
    String messages = "/sessions/" + session + "/messages";
    // The role chunk and two words, then the provider goes silent with the turn running.
    provider.enqueue(FakeOpenAiServer.text("across", " replicas", " never sent").stallAfter(3));
    try (ProxyClient.EventStream turn =
        alice.stream(messages, Optional.of("{\"content\":\"start on one replica\"}"))) {
      assertThat(turn.status).isEqualTo(200);
      String owner = upstream(turn.header(NginxProxy.UPSTREAM_HEADER));
      assertThat(text(turn, "across replicas")).isEqualTo("across replicas");

      // The follower asks for the turn's events from its first one (without ?after= it would get
      // the session's earlier turns first).
      long after = turn.firstId() - 1;
      try (ProxyClient.EventStream follower = followOn(session, owner, after)) {
        assertThat(text(follower, "across replicas"))
            .as("the follower on the other replica gets the turn's events")
            .isEqualTo("across replicas");

        // Bring the rotation to the owner, so that the next request goes to the other replica.
        for (int i = 0; i < 4; i++) {
          ProxyClient.Reply status = alice.get("/status");
          if (upstream(status.response().headers().firstValue(NginxProxy.UPSTREAM_HEADER))
              .equals(owner)) break;
        }
        ProxyClient.Reply cancel = alice.post("/sessions/" + session + "/cancel", "{}");
        assertThat(upstream(cancel.response().headers().firstValue(NginxProxy.UPSTREAM_HEADER)))
            .as("the cancel went to the replica that does not run the turn")
            .isNotEqualTo(owner);
        assertThat(cancel.json().get("cancelled").asBoolean()).as(cancel.body()).isTrue();

        List<ProxyClient.EventStream.Event> followed = follower.untilComplete();
        assertThat(followed.getLast().data().get("stop_reason").asText()).isEqualTo("cancelled");
      }
      List<ProxyClient.EventStream.Event> ended = turn.untilComplete();
      assertThat(ended.getLast().data().get("stop_reason").asText()).isEqualTo("cancelled");
    }
  }

  /**
   * GET /sessions/{id}/events?after= through nginx until a replica other than {@code owner} serves
   * it.
   */
  private ProxyClient.EventStream followOn(String session, String owner, long after)
      throws Exception {
    for (int attempt = 0; attempt < 4; attempt++) {
      ProxyClient.EventStream follower =
          alice.stream("/sessions/" + session + "/events?after=" + after, Optional.empty());
      assertThat(follower.status).isEqualTo(200);
      if (!upstream(follower.header(NginxProxy.UPSTREAM_HEADER)).equals(owner)) return follower;
      follower.close();
    }
    throw new AssertionError(
        "nginx sent every follow request to " + owner + ", the turn's replica");
  }

  private static String upstream(Optional<String> header) {
    return header.orElseThrow(
        () -> new AssertionError("no " + NginxProxy.UPSTREAM_HEADER + " header from nginx"));
  }

  /**
   * The text of the message chunks that follow, read until it is as long as {@code expected}: the
   * server may merge chunks that arrive faster than it stores them, so their number is not fixed.
   */
  private static String text(ProxyClient.EventStream stream, String expected) throws Exception {
    StringBuilder text = new StringBuilder();
    List<ProxyClient.EventStream.Event> events = new ArrayList<>();
    while (text.length() < expected.length()) {
      ProxyClient.EventStream.Event e =
          stream
              .next()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "the stream ("
                              + stream.header(NginxProxy.UPSTREAM_HEADER).orElse("?")
                              + ") ended after "
                              + events));
      events.add(e);
      if (e.name().equals("message_chunk")) text.append(e.data().get("text").asText());
    }
    return text.toString();
  }
}
