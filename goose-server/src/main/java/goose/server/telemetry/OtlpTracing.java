package goose.server.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;

/**
 * The OTLP/HTTP span export, set up by hand rather than by the SDK's autoconfigure module: goosed
 * reads only the few standard variables it documents, and nothing is exported unless one names an
 * endpoint. Spans leave in batches from a background thread; a slow collector never delays a turn.
 */
final class OtlpTracing {
  private OtlpTracing() {}

  static SdkTracerProvider provider(TelemetrySettings.OtlpTraces settings, String version) {
    OtlpHttpSpanExporterBuilder exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.endpoint().toString())
            .setTimeout(Duration.ofSeconds(10));
    settings.headers().forEach(exporter::addHeader);
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        settings.serviceName(),
                        AttributeKey.stringKey("service.version"),
                        version)));
    return SdkTracerProvider.builder()
        .setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
        .build();
  }
}
