package goose.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.Config;
import goose.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which telemetry the standard variables turn on, and the errors for values that cannot work. */
class TelemetrySettingsTest {
  @TempDir Path home;

  private TelemetrySettings settings(Map<String, String> env) {
    java.util.HashMap<String, String> all = new java.util.HashMap<>(env);
    all.put("GOOSE_PATH_ROOT", home.toString());
    return TelemetrySettings.from(Config.load(all, home));
  }

  @Test
  void nothingLeavesTheProcessUnlessAnEndpointIsNamed() {
    TelemetrySettings none = settings(Map.of());
    assertThat(none.disabled()).isFalse();
    assertThat(none.traces()).isEmpty();
  }

  @Test
  void theBaseEndpointGetsTheTracesPathAndTheSignalEndpointIsUsedAsIs() {
    assertThat(
            settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"))
                .traces()
                .orElseThrow()
                .endpoint())
        .isEqualTo(URI.create("http://collector:4318/v1/traces"));
    assertThat(
            settings(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://collector:4318",
                        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                        "https://traces.example/otlp"))
                .traces()
                .orElseThrow()
                .endpoint())
        .isEqualTo(URI.create("https://traces.example/otlp"));
    assertThat(
            settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
                .traces()
                .orElseThrow()
                .serviceName())
        .isEqualTo("goosed");
  }

  @Test
  void headersAreParsedAndNeverPrinted() {
    TelemetrySettings.OtlpTraces traces =
        settings(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://c:4318",
                    "OTEL_EXPORTER_OTLP_HEADERS",
                    "api-key=s3cr%3Dt, tenant=acme"))
            .traces()
            .orElseThrow();
    assertThat(traces.headers())
        .containsExactlyInAnyOrderEntriesOf(Map.of("api-key", "s3cr=t", "tenant", "acme"));
    assertThat(traces.toString()).doesNotContain("s3cr").contains("api-key");
  }

  @Test
  void disableTelemetryWinsOverAnEndpoint() {
    for (String key : new String[] {"GOOSE_DISABLE_TELEMETRY", "OTEL_SDK_DISABLED"}) {
      TelemetrySettings off =
          settings(Map.of(key, "true", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"));
      assertThat(off.disabled()).as(key).isTrue();
      assertThat(off.traces()).as(key).isEmpty();
    }
  }

  @Test
  void unusableValuesStopTheStartNamingTheSetting() {
    assertThatThrownBy(
            () ->
                settings(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://c:4317",
                        "OTEL_EXPORTER_OTLP_PROTOCOL",
                        "grpc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL")
        .hasMessageContaining("http/protobuf");
    assertThatThrownBy(() -> settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT");
    assertThatThrownBy(
            () ->
                settings(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://c:4318",
                        "OTEL_EXPORTER_OTLP_HEADERS",
                        "novalue")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS");
    assertThatThrownBy(() -> settings(Map.of("GOOSE_DISABLE_TELEMETRY", "maybe")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GOOSE_DISABLE_TELEMETRY");
  }
}
