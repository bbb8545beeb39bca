package goose.conversation;

import com.fasterxml.jackson.annotation.JsonValue;

public enum Role {
  USER,
  ASSISTANT;

  @JsonValue
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role fromWire(String s) {
    return switch (s) {
      case "user" -> USER;
      case "assistant" -> ASSISTANT;
      default -> throw new IllegalArgumentException("unknown role: " + s);
    };
  }
}
