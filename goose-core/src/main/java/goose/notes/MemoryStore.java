package goose.notes;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the memory built-in keeps its categories: one text per (owner, scope, category), in goose's
 * memory file format. A scope is {@link #GLOBAL} or {@link #directory(String)}. Kept with the
 * sessions, so every replica of a shared store sees the same memories.
 */
public interface MemoryStore {
  String GLOBAL = "global";

  /** The scope of the memories local to a working directory. */
  static String directory(String workingDir) {
    return "dir:" + workingDir;
  }

  Optional<String> read(String owner, String scope, String category);

  /** The categories of a scope that hold something, sorted. */
  List<String> categories(String owner, String scope);

  /**
   * Changes one category atomically, also against other replicas: {@code change} gets the current
   * text (empty when none) and returns the new one (empty: delete the category). It may run more
   * than once when another writer got in between, so it must not have side effects.
   */
  void update(String owner, String scope, String category, UnaryOperator<Optional<String>> change);
}
