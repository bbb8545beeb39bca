package goose.server.http;

import goose.ids.Ids;
import io.javalin.http.Context;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * A request id on every request: the client's {@code X-Request-Id} when it is sane (short,
 * printable, no spaces: it goes into log lines), otherwise a fresh one. It is put in the logging
 * MDC as {@code request_id} for the duration of the request and echoed in the response header.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "request_id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

  private RequestIds() {}

  public static void begin(Context ctx) {
    String id = idFor(ctx.header(HEADER));
    MDC.put(MDC_KEY, id);
    ctx.header(HEADER, id);
  }

  /** The id of a request that offered this {@code X-Request-Id} (or none). */
  public static String idFor(@Nullable String offered) {
    return offered != null && SANE.matcher(offered).matches() ? offered : Ids.newId();
  }

  public static void end() {
    MDC.remove(MDC_KEY);
  }
}
