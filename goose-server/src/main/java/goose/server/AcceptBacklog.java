package goose.server;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * A deep accept queue for the listening socket. Jetty leaves it to Java's default of 50 pending
 * connections; when a thousand clients connect at once (a burst of streaming turns, clients
 * reconnecting after a restart) the kernel then drops or resets the excess. The kernel caps the
 * value at {@code net.core.somaxconn}.
 */
final class AcceptBacklog {
  static final int SIZE = 4096;

  private AcceptBacklog() {}

  /**
   * For {@code cfg.jetty.modifyServer}: sets the queue on every server connector as the server
   * starts.
   */
  static void apply(Server jetty) {
    jetty.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStarting(LifeCycle event) {
            for (Connector c : jetty.getConnectors()) {
              if (c instanceof ServerConnector sc) sc.setAcceptQueueSize(SIZE);
            }
          }
        });
  }
}
