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
    Objects.requireNonNull(notifications, "notifications");
  }

  /** A context whose tools' progress and log notifications go nowhere. */
  public ToolContext(String userId, String sessionId, Path workingDir) {
    this(userId, sessionId, workingDir, ToolNotifications.IGNORE);
  }
}
