package goose.deploy;

import goose.testing.Repo;
import java.util.ArrayList;
import java.util.List;

/**
 * The security options of the {@code docker run} example in docs/deployment.md, read from the
 * document itself: the container tests run the image with exactly what users are told to use.
 */
final class ContainerOptions {
  private static final String DOC = "docs/deployment.md";
  private static final String EXAMPLE = "docker run -d --name goosed";

  /** {@code --security-opt} and {@code --cap-drop} options with their values, in document order. */
  static final List<String> SECURITY = read();

  private ContainerOptions() {}

  private static List<String> read() {
    List<String> lines = Repo.read(DOC).lines().toList();
    int start = -1;
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(EXAMPLE)) start = i;
    if (start < 0) throw new AssertionError(DOC + " has no `" + EXAMPLE + "` example");
    StringBuilder command = new StringBuilder();
    for (int i = start; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      boolean continued = line.endsWith("\\");
      command.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
      if (!continued) break;
    }
    List<String> words = List.of(command.toString().trim().split("\\s+", -1));
    List<String> options = new ArrayList<>();
    for (int i = 0; i < words.size() - 1; i++) {
      if (words.get(i).equals("--security-opt") || words.get(i).equals("--cap-drop")) {
        options.add(words.get(i));
        options.add(words.get(i + 1));
      }
    }
    if (options.isEmpty()) throw new AssertionError(DOC + ": no security options in " + command);
    return List.copyOf(options);
  }
}
