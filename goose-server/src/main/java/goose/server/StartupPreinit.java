package goose.server;

import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Class initialisations the server's start-up reaches later, begun on a background thread while the
 * main thread reads the configuration and sets up logging (what Spring Boot's {@code
 * BackgroundPreinitializer} does). Only initialisations without side effects: the main thread
 * either finds a class initialised or waits for its initialisation lock (JLS 12.4.2), so nothing
 * runs in another order. In a JFR profile of a start (docs/benchmarks.md, start-up) Jetty's {@code
 * MimeTypes}, which asks the JDK for every available locale, took ~6 % of the main thread's samples
 * before the first 200, and the Prometheus registry's set-up another few.
 */
public final class StartupPreinit {
  private static final String[] CLASSES = {
    "org.eclipse.jetty.http.MimeTypes",
    "org.eclipse.jetty.server.Server",
    "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
  };

  private StartupPreinit() {}

  /**
   * Starts the background initialisations and returns at once. SLF4J is initialised first, on the
   * calling thread: while one thread initialises it, SLF4J hands other threads a substitute logger
   * factory, which {@link goose.server.logging.LogSetup} cannot configure (seen as a failed start
   * when the background thread's first logger came first).
   */
  public static void inBackground() {
    LoggerFactory.getILoggerFactory();
    Thread.ofPlatform().name("goose-preinit").daemon().start(StartupPreinit::run);
  }

  private static void run() {
    Locale.getAvailableLocales();
    ClassLoader loader = StartupPreinit.class.getClassLoader();
    for (String name : CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // Only a head start: the main thread initialises what it needs itself, and reports.
      }
    }
  }
}
