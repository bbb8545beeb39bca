package goose.server.telemetry;

import goose.config.Config;
import goose.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What telemetry a server keeps, read once at start. Nothing leaves the process unless the operator
 * names a destination: traces go over OTLP only to {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}); there is no built-in third-party endpoint at all. {@code
 * GOOSE_DISABLE_TELEMETRY=true} (or the OpenTelemetry standard {@code OTEL_SDK_DISABLED=true})
 * turns everything off: no traces, and {@code /metrics} answers 404.
 *
 * @param disabled everything off
 * @param traces where spans are exported, when they are
 */
public record TelemetrySettings(boolean disabled, Optional<OtlpTraces> traces) {
  public static final String DISABLE = "GOOSE_DISABLE_TELEMETRY";
  public static final TelemetrySettings METRICS_ONLY =
      new TelemetrySettings(false, Optional.empty());

  /**
   * An OTLP/HTTP (protobuf) trace export: the full URL of the traces endpoint, extra headers, the
   * service name.
   */
  public record OtlpTraces(URI endpoint, Map<String, String> headers, String serviceName) {
    public OtlpTraces {
      headers = Map.copyOf(headers);
    }

    /** Never prints header values: they usually carry an API key of the tracing backend. */
    @Override
    public String toString() {
      return "OtlpTraces[endpoint="
          + endpoint
          + ", headers="
          + headers.keySet()
          + ", serviceName="
          + serviceName
          + "]";
    }
  }

  public static TelemetrySettings from(Config config) {
    boolean disabled =
        config.getBoolean(DISABLE, false) || config.getBoolean("OTEL_SDK_DISABLED", false);
    if (disabled) return new TelemetrySettings(true, Optional.empty());
    return new TelemetrySettings(false, traces(config));
  }

  private static Optional<OtlpTraces> traces(Config config) {
    Optional<String> signal = nonBlank(config, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    Optional<String> base = nonBlank(config, "OTEL_EXPORTER_OTLP_ENDPOINT");
    if (signal.isEmpty() && base.isEmpty()) return Optional.empty();
    String protocol =
        nonBlank(config, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
            .or(() -> nonBlank(config, "OTEL_EXPORTER_OTLP_PROTOCOL"))
            .orElse("http/protobuf")
            .toLowerCase(Locale.ROOT);
    if (!protocol.equals("http/protobuf")) {
      throw new ConfigException(
          "OTEL_EXPORTER_OTLP_PROTOCOL: goosed exports traces over http/protobuf only, got \""
              + protocol
              + "\" (point OTEL_EXPORTER_OTLP_ENDPOINT at the collector's OTLP/HTTP port, usually 4318)");
    }
    // As the OpenTelemetry specification says: the signal-specific URL is used as is, the base URL
    // gets /v1/traces.
    URI endpoint =
        signal.isPresent()
            ? url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", signal.get())
            : url("OTEL_EXPORTER_OTLP_ENDPOINT", base.get().replaceAll("/+$", "") + "/v1/traces");
    String service = nonBlank(config, "OTEL_SERVICE_NAME").orElse("goosed");
    return Optional.of(new OtlpTraces(endpoint, headers(config), service));
  }

  private static URI url(String key, String value) {
    try {
      URI uri = new URI(value.strip());
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new URISyntaxException(value, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(
          key + ": must be an http:// or https:// URL, got \"" + value + "\"");
    }
  }

  /** {@code OTEL_EXPORTER_OTLP_HEADERS=key1=value1,key2=value2} (values may be percent-encoded). */
  private static Map<String, String> headers(Config config) {
    Map<String, String> headers = new LinkedHashMap<>();
    Optional<String> raw =
        nonBlank(config, "OTEL_EXPORTER_OTLP_TRACES_HEADERS")
            .or(() -> nonBlank(config, "OTEL_EXPORTER_OTLP_HEADERS"));
    if (raw.isEmpty()) return headers;
    for (String pair : raw.get().split(",", -1)) {
      if (pair.isBlank()) continue;
      int eq = pair.indexOf('=');
      if (eq <= 0)
        throw new ConfigException(
            "OTEL_EXPORTER_OTLP_HEADERS: expected key=value pairs separated by commas");
      headers.put(
          pair.substring(0, eq).strip(),
          java.net.URLDecoder.decode(
              pair.substring(eq + 1).strip(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static Optional<String> nonBlank(Config config, String key) {
    return config.get(key).filter(v -> !v.isBlank());
  }
}
