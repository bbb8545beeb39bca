package goose.server.http;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Enforces what the OpenAPI schema of a request record says: every component that is not an {@link
 * Optional} is required. Jackson leaves a missing field as {@code null}; this turns it into a 400
 * naming the field by its JSON path. Walks nested records and lists of records.
 */
final class RequiredFields {
  /** A record component: its name in JSON and its accessor. */
  private record Component(String jsonName, Method accessor) {}

  /**
   * The components of each record class, looked up once: {@code getRecordComponents()} copies them
   * on every call, and a copied accessor made a new reflective accessor on its first invoke, i.e.
   * on every request (0.7 % of goosed's CPU at 1,000 concurrent turns).
   */
  private static final ClassValue<List<Component>> COMPONENTS =
      new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          return components == null
              ? List.of()
              : Arrays.stream(components)
                  .map(c -> new Component(snakeCase(c.getName()), c.getAccessor()))
                  .toList();
        }
      };

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
    for (Component component : COMPONENTS.get(value.getClass())) {
      String field = join(path, component.jsonName());
      Object child;
      try {
        child = component.accessor().invoke(value);
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
