package goose.extension;

/**
 * A request about extensions that cannot be carried out. Sealed so the HTTP layer maps each kind to
 * one status in one exhaustive switch: not found (404), invalid (400), not allowed (403), not saved
 * (409).
 */
public sealed class ExtensionException extends RuntimeException
    permits ExtensionException.NotFound,
        ExtensionException.Invalid,
        ExtensionException.NotAllowed,
        ExtensionException.NotSaved {

  ExtensionException(String message) {
    super(message);
  }

  /** No extension of that name is configured. */
  public static final class NotFound extends ExtensionException {
    private final String name;

    public NotFound(String name) {
      super("no extension named '" + name + "'");
      this.name = name;
    }

    public String name() {
      return name;
    }
  }

  /** A configuration that fails validation; {@link #field()} names the offending field. */
  public static final class Invalid extends ExtensionException {
    private final String field;
    private final String problem;

    public Invalid(String field, String problem) {
      super(field + ": " + problem);
      this.field = field;
      this.problem = problem;
    }

    public String field() {
      return field;
    }

    /** What is wrong with the field, without its name. */
    public String problem() {
      return problem;
    }
  }

  /** Refused by the operator's allowlist (or because the allowlist could not be loaded). */
  public static final class NotAllowed extends ExtensionException {
    public NotAllowed(String reason) {
      super(reason);
    }
  }

  /**
   * The change could not be stored (a read-only config.yaml, as a ConfigMap mounts it): nothing was
   * changed. The message names the file.
   */
  public static final class NotSaved extends ExtensionException {
    public NotSaved(String reason) {
      super(reason);
    }
  }
}
