package goose.server.telemetry;

import goose.agent.TurnObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics and traces of one server: a Prometheus registry served at {@code GET /metrics}, and
 * an OpenTelemetry tracer provider when an OTLP endpoint is configured. {@link #observer()} is what
 * the agent reports turns to. Built once per server start; {@link #close()} flushes pending spans.
 */
public final class Telemetry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Telemetry.class);

  private final TelemetrySettings settings;
  private final Optional<PrometheusMeterRegistry> registry;
  private final Optional<SdkTracerProvider> tracing;
  private final TurnObserver observer;
  private final AtomicInteger turnStreams = new AtomicInteger();
  private final AtomicInteger followStreams = new AtomicInteger();
  private final List<JvmGcMetrics> closeables = new ArrayList<>();

  /**
   * @param version the build's version, for {@code goose_build_info} and the tracer
   */
  private Telemetry(
      TelemetrySettings settings, Optional<SdkTracerProvider> tracing, String version) {
    this.settings = settings;
    this.tracing = tracing;
    List<TurnObserver> observers = new ArrayList<>();
    if (settings.disabled()) {
      registry = Optional.empty();
    } else {
      PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      r.config().commonTags("service", "goosed");
      bindJvm(r);
      Gauge.builder("goose.sse.streams.active", turnStreams, AtomicInteger::get)
          .description("Open event streams")
          .tag("kind", "turn")
          .register(r);
      Gauge.builder("goose.sse.streams.active", followStreams, AtomicInteger::get)
          .description("Open event streams")
          .tag("kind", "follow")
          .register(r);
      Gauge.builder("goose.build.info", () -> 1)
          .description("The running build")
          .tag("version", version)
          .register(r);
      registry = Optional.of(r);
      observers.add(new TurnMetrics(r));
    }
    tracing.ifPresent(t -> observers.add(new TurnTracing(t.get("goose", version))));
    this.observer = TurnObserver.all(observers);
  }

  /** Telemetry as configured; with an OTLP endpoint set, spans are exported there. */
  public static Telemetry open(TelemetrySettings settings, String version) {
    Optional<SdkTracerProvider> tracing =
        settings.traces().map(t -> OtlpTracing.provider(t, version));
    settings.traces().ifPresent(t -> log.info("exporting traces over OTLP to {}", t.endpoint()));
    if (settings.disabled())
      log.info("telemetry is off ({}): no metrics, no traces", TelemetrySettings.DISABLE);
    return new Telemetry(settings, tracing, version);
  }

  /** For tests: metrics, and spans handed to the given tracer provider (an in-memory exporter). */
  public static Telemetry withTracing(SdkTracerProvider provider, String version) {
    return new Telemetry(TelemetrySettings.METRICS_ONLY, Optional.of(provider), version);
  }

  public TurnObserver observer() {
    return observer;
  }

  public boolean metricsEnabled() {
    return registry.isPresent();
  }

  /**
   * Gauges read at each scrape: stored sessions (when the store can count them) and running turns.
   */
  public void watch(Supplier<OptionalLong> sessions, IntSupplier runningTurns) {
    registry.ifPresent(
        r -> {
          Gauge.builder(
                  "goose.sessions",
                  () -> {
                    OptionalLong n = sessions.get();
                    return n.isPresent() ? n.getAsLong() : Double.NaN;
                  })
              .description("Sessions stored, of all users")
              .register(r);
          Gauge.builder("goose.turns.active", runningTurns::getAsInt)
              .description("Turns running on this instance")
              .register(r);
        });
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.map(PrometheusMeterRegistry::scrape).orElse("");
  }

  /** Counts an open SSE stream until the returned handle is closed. */
  public Stream streamOpened(boolean turn) {
    AtomicInteger counter = turn ? turnStreams : followStreams;
    counter.incrementAndGet();
    java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) counter.decrementAndGet();
    };
  }

  /** One open stream; closing it twice counts once. */
  @FunctionalInterface
  public interface Stream extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Records one HTTP request by its route template (never the raw path: ids would explode the label
   * set).
   */
  public void request(String method, String route, int status, long nanos) {
    registry.ifPresent(
        r ->
            Timer.builder("goose.http.server.requests")
                .description("HTTP requests by route and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(r)
                .record(Duration.ofNanos(nanos)));
  }

  public TelemetrySettings settings() {
    return settings;
  }

  private void bindJvm(PrometheusMeterRegistry r) {
    new ClassLoaderMetrics().bindTo(r);
    new JvmMemoryMetrics().bindTo(r);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(r);
    closeables.add(gc);
    new JvmThreadMetrics().bindTo(r);
    new ProcessorMetrics().bindTo(r);
    new UptimeMetrics().bindTo(r);
  }

  /** Flushes and stops the span export (up to a few seconds), then the metrics. */
  @Override
  public void close() {
    tracing.ifPresent(t -> t.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS));
    closeables.forEach(JvmGcMetrics::close);
    registry.ifPresent(PrometheusMeterRegistry::close);
  }
}
