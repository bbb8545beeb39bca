package goose.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import goose.json.Json;
import goose.json.LoneSurrogates;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Reads a JSON request body into a wire record, turning every way it can be wrong into a 4xx {@link
 * ApiException}: 415 for a non-JSON content type, 413 past the size limit (checked against {@code
 * Content-Length} first, then while reading, so a lying or chunked client is cut off too), 400 for
 * malformed JSON or a wrong field type (naming the field by its JSON path), and 400 for a missing
 * required field ({@link RequiredFields}).
 */
public final class JsonBody {
  /**
   * Bodies come from clients, possibly through proxies that read them first: a key given twice is
   * refused rather than the last one silently winning (a proxy that checked the first would be
   * fooled).
   */
  private static final ObjectReader BODY_READER =
      Json.MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private JsonBody() {}

  public static <T> T read(Context ctx, Class<T> type, long maxBytes) {
    requireJsonContentType(ctx.contentType());
    return decode(readLimited(ctx, maxBytes), type);
  }

  /** Parses and checks a body already read; every problem is a 400 {@link ApiException}. */
  static <T> T decode(byte[] bytes, Class<T> type) {
    if (bytes.length == 0) {
      throw new ApiException(
          ErrorCode.INVALID_JSON, "request body is empty; expected a JSON object");
    }
    T value = parse(bytes, type);
    LoneSurrogates.find(bytes)
        .ifPresent(
            problem -> {
              throw new ApiException(ErrorCode.INVALID_JSON, "malformed JSON: " + problem);
            });
    if (value == null) {
      throw new ApiException(
          ErrorCode.INVALID_JSON, "request body must be a JSON object, not null");
    }
    RequiredFields.check(value);
    return value;
  }

  static void requireJsonContentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw new ApiException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be application/json (none was sent)");
    }
    String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/json")
        && !(mime.startsWith("application/") && mime.endsWith("+json"))) {
      throw new ApiException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be application/json, got " + Sanitize.shortText(mime, 100));
    }
  }

  private static byte[] readLimited(Context ctx, long maxBytes) {
    long declared = ctx.req().getContentLengthLong();
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared > maxBytes) throw tooLarge(in, maxBytes);
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) throw tooLarge(in, maxBytes);
      return bytes;
    } catch (IOException e) {
      // The client stalled past the idle timeout (also shortened while the server shuts down) or
      // hung up.
      throw new ApiException(
          ErrorCode.INVALID_JSON,
          "the request body could not be read completely (the client stalled or disconnected)");
    }
  }

  /**
   * The 413 for a body over the limit, after reading and dropping up to another {@code maxBytes} of
   * it. A client that is still sending when the server answers and closes gets a TCP reset instead
   * of the answer (the JDK's HttpClient reports "header parser received no bytes"), so a body up to
   * twice the limit is drained first and its sender reads a clean 413; a larger one is cut off, as
   * a client sending that much past the limit earns.
   */
  private static ApiException tooLarge(InputStream in, long maxBytes) {
    try {
      long left = maxBytes;
      while (left > 0) {
        long skipped = in.skip(left);
        if (skipped <= 0 && in.read() < 0) break;
        left -= Math.max(skipped, 1);
      }
    } catch (IOException e) {
      // The sender hung up or stalled: the 413 stands either way.
    }
    return tooLarge(maxBytes);
  }

  private static ApiException tooLarge(long maxBytes) {
    return new ApiException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "request body is larger than the limit of " + maxBytes + " bytes (GOOSE_MAX_BODY_BYTES)");
  }

  private static <T> T parse(byte[] bytes, Class<T> type) {
    try {
      return BODY_READER.forType(type).readValue(bytes);
    } catch (StreamReadException e) {
      throw new ApiException(
          ErrorCode.INVALID_JSON,
          "malformed JSON" + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()));
    } catch (DatabindException e) {
      throw fieldError((JsonMappingException) e);
    } catch (JacksonException e) {
      throw new ApiException(
          ErrorCode.INVALID_JSON, "malformed JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ApiException fieldError(JsonMappingException e) {
    String path = path(e.getPath());
    if (e instanceof InvalidTypeIdException t) {
      String id =
          t.getTypeId() == null ? "missing" : "'" + Sanitize.shortText(t.getTypeId(), 60) + "'";
      return ApiException.badField(
          path.isEmpty() ? "type" : path + ".type", "names an unknown or missing type: " + id);
    }
    if (e instanceof ValueInstantiationException v
        && v.getCause() instanceof NullPointerException npe
        && npe.getMessage() != null
        && npe.getMessage().matches("[a-z][a-z0-9_]*")) {
      // Records check their fields with Objects.requireNonNull(value, "json_name").
      String field = npe.getMessage();
      return ApiException.badField(path.isEmpty() ? field : path + "." + field, "is required");
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return path.isEmpty()
          ? new ApiException(
              ErrorCode.INVALID_JSON, "request body must be " + describe(m.getTargetType()))
          : ApiException.badField(
              path, "has the wrong type: expected " + describe(m.getTargetType()));
    }
    String problem =
        e.getCause() != null && e.getCause().getMessage() != null
            ? e.getCause().getMessage()
            : firstLine(e.getOriginalMessage());
    return path.isEmpty()
        ? new ApiException(
            ErrorCode.INVALID_JSON, "request body is invalid: " + Sanitize.shortText(problem, 200))
        : ApiException.badField(path, "is invalid: " + Sanitize.shortText(problem, 200));
  }

  /** A JSON path in the style {@code content[0].text}, from Jackson's reference chain. */
  static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) sb.append('.');
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String describe(Class<?> type) {
    if (type == String.class || type == java.nio.file.Path.class) return "a string";
    if (type.isEnum())
      return "one of "
          + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT);
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class)
      return "an integer";
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class)
      return "a number";
    if (type == Boolean.class || type == boolean.class) return "a boolean";
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) return "an array";
    if (type == java.time.Instant.class) return "an ISO-8601 timestamp string";
    return "an object";
  }

  private static String where(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 0
        ? ""
        : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String firstLine(String s) {
    if (s == null) return "unreadable input";
    int nl = s.indexOf('\n');
    return Sanitize.shortText(nl < 0 ? s : s.substring(0, nl), 200);
  }
}
