package goose.agent;

import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * Carries the logging context (the request id the server put in the MDC) to the threads a request
 * starts: the turn's own virtual thread and its tool-call threads. Without it, the log lines of a
 * turn would lose the request id of the message that started it.
 */
final class LogContext {
  private LogContext() {}

  static Runnable carry(Runnable task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> previous = MDC.getCopyOfContextMap();
      set(context);
      try {
        task.run();
      } finally {
        set(previous);
      }
    };
  }

  static <T> Callable<T> carry(Callable<T> task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> previous = MDC.getCopyOfContextMap();
      set(context);
      try {
        return task.call();
      } finally {
        set(previous);
      }
    };
  }

  private static void set(Map<String, String> context) {
    if (context == null) MDC.clear();
    else MDC.setContextMap(context);
  }
}
