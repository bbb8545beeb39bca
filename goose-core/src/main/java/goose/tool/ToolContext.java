package goose.tool;

import java.nio.file.Path;
import java.util.Objects;

/** Who calls a tool and where: the user, the session and its working directory. */
public record ToolContext(
    String userId, String sessionId, Path workingDir, ToolNotifications notifications) {
  public ToolContext {
    Objects.requireNonNull(userId, "user_id");
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(workingDir, "working_dir");
    notifications = notifications == null ? ToolNotifications.IGNORE : notifications;
  }
}
