package goose.provider.fake;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The handle of one scripted reply: the request it answered, and how it ended. {@code closedEarly}
 * completes with {@code true} when the client closed the connection before the reply was finished
 * (a cancel reached the provider), {@code false} when the reply was delivered (or reset by the
 * fake).
 */
public final class FakeExchange {
  final FakeReply reply;
  final CompletableFuture<RecordedRequest> request = new CompletableFuture<>();
  final CompletableFuture<Boolean> closedEarly = new CompletableFuture<>();
  final CompletableFuture<Void> released = new CompletableFuture<>();

  FakeExchange(FakeReply reply) {
    this.reply = reply;
  }

  public FakeReply reply() {
    return reply;
  }

  /** The request this reply answered; waits up to 10 s for it. */
  public RecordedRequest request() {
    return request.orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** Whether the client hung up before the end; waits up to 10 s for the exchange to end. */
  public boolean clientClosedEarly() {
    return closedEarly.orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** Lets a {@link FakeReply.Stream#heldBeforeEnding() held} reply go on to its ending. */
  public void release() {
    released.complete(null);
  }

  public CompletableFuture<Boolean> closedEarlyFuture() {
    return closedEarly;
  }
}
