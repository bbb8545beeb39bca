package goose.agent;

import goose.provider.Provider;
import goose.provider.ProviderEvent;
import goose.provider.ProviderException;
import goose.provider.ProviderRequest;
import goose.provider.ProviderStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * A provider for agent-loop tests: each call takes the next scripted reply. The wire formats are
 * tested against fake HTTP servers in goose.provider; here only the loop's behaviour matters. A
 * reply can block until the stream is closed, to test cancellation.
 */
final class ScriptedProvider implements Provider {
  private final Deque<Supplier<ProviderStream>> replies = new ArrayDeque<>();
  final List<ProviderRequest> requests = new CopyOnWriteArrayList<>();
  final CountDownLatch blockedStreamOpened = new CountDownLatch(1);
  volatile boolean blockedStreamClosed;
  private final int contextLimit;

  ScriptedProvider(int contextLimit) {
    this.contextLimit = contextLimit;
  }

  ScriptedProvider() {
    this(200_000);
  }

  ScriptedProvider reply(ProviderEvent... events) {
    List<ProviderEvent> list = List.of(events);
    replies.add(() -> of(list.iterator()));
    return this;
  }

  ScriptedProvider fail(ProviderException e) {
    replies.add(
        () -> {
          throw e;
        });
    return this;
  }

  /** A reply that sends {@code first} and then blocks until closed. */
  ScriptedProvider blockAfter(ProviderEvent first) {
    replies.add(
        () ->
            new ProviderStream() {
              private boolean sent;
              private final CountDownLatch closed = new CountDownLatch(1);

              @Override
              public boolean hasNext() {
                if (!sent) return true;
                blockedStreamOpened.countDown();
                try {
                  closed.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                throw new ProviderException(ProviderException.Kind.NETWORK, 0, "stream closed");
              }

              @Override
              public ProviderEvent next() {
                sent = true;
                return first;
              }

              @Override
              public void close() {
                blockedStreamClosed = true;
                closed.countDown();
              }
            });
    return this;
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public String model() {
    return "scripted-model";
  }

  @Override
  public int contextLimit() {
    return contextLimit;
  }

  @Override
  public synchronized ProviderStream stream(ProviderRequest request) {
    requests.add(request);
    Supplier<ProviderStream> next = replies.poll();
    if (next == null)
      throw new AssertionError("no scripted reply left for call " + requests.size());
    return next.get();
  }

  private static ProviderStream of(Iterator<ProviderEvent> it) {
    return new ProviderStream() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public ProviderEvent next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }
}
