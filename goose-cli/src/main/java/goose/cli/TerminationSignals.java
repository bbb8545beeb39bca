package goose.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a graceful stop that ends with exit code 0. The JVM's default
 * handling runs shutdown hooks and exits 143, which service managers and CI read as a failure;
 * handling the signal ourselves lets the server close cleanly and {@code main} return normally. A
 * second signal while stopping halts at once, for the person pressing Ctrl-C twice. {@code
 * sun.misc.Signal} is the JDK's supported-but-unofficial API for this (module jdk.unsupported);
 * there is no public one.
 */
final class TerminationSignals {
  private TerminationSignals() {}

  static void onTerminate(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              if (stopping.compareAndSet(false, true)) {
                Thread.ofPlatform().name("goose-stop").start(stop);
              } else {
                Runtime.getRuntime().halt(128 + signal.getNumber());
              }
            });
      } catch (IllegalArgumentException e) {
        // The signal is reserved here (for example -Xrs): keep the JVM's default handling.
      }
    }
  }
}
