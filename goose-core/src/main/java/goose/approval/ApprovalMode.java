package goose.approval;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How tool calls are approved ({@code GOOSE_MODE}, overridable per session): {@code auto} runs
 * every call, {@code approve} asks the user for every call, {@code smart_approve} runs tools that
 * declare themselves read-only and asks for the rest, {@code chat} offers the model no tools at
 * all.
 */
public enum ApprovalMode {
  AUTO,
  APPROVE,
  SMART_APPROVE,
  CHAT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ApprovalMode> parse(String text) {
    return Arrays.stream(values()).filter(m -> m.wire().equals(text)).findFirst();
  }

  /** "auto, approve, smart_approve or chat", for error messages. */
  public static String choices() {
    String all = Arrays.stream(values()).map(ApprovalMode::wire).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return all.substring(0, last) + " or " + all.substring(last + 2);
  }
}
