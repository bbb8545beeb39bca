package goose.server.http;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Optional;

/**
 * Enforces what the OpenAPI schema of a request record says: every component that is not an {@link
 * Optional} is required. Jackson leaves a missing field as {@code null}; this turns it into a 400
 * naming the field by its JSON path. Walks nested records and lists of records.
 */
final class RequiredFields {
  private RequiredFields() {}

  static void check(Object value) {
    check(value, "");
  }

  private static void check(Object value, String path) {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) check(item, path + "[" + i++ + "]");
      return;
    }
    if (value == null || !value.getClass().isRecord()) return;
    for (RecordComponent component : value.getClass().getRecordComponents()) {
      String field = join(path, snakeCase(component.getName()));
      Object child;
      try {
        child = component.getAccessor().invoke(value);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + field, e);
      }
      if (child == null) throw ApiException.badField(field, "is required");
      if (child instanceof Optional<?> opt) {
        if (opt.isPresent()) check(opt.get(), field);
      } else {
        check(child, field);
      }
    }
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  static String snakeCase(String camel) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) sb.append('_').append(Character.toLowerCase(c));
      else sb.append(c);
    }
    return sb.toString();
  }
}
