package goose.extension;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * Where extension changes made through the API are kept when several replicas share one store: in
 * the database, so every replica serves the same set (each replica's config.yaml still provides its
 * base set). An entry overrides config.yaml's entry of the same name; an empty entry records a
 * deletion.
 */
public interface ExtensionStore {
  /** Every stored entry by name: its config (goose's config.yaml shape), or empty if deleted. */
  Map<String, Optional<JsonNode>> load();

  /** Stores one entry (empty: deleted). */
  void save(String name, Optional<JsonNode> config);
}
