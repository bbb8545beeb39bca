package goose.session;

import static goose.session.StoreRows.nanos;

import com.fasterxml.jackson.databind.JsonNode;
import goose.extension.ExtensionStore;
import goose.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@link ExtensionStore} in the sessions database (table extension_configs, migration V7). */
final class JdbcExtensionStore implements ExtensionStore {
  private final SqlDatabase db;

  JdbcExtensionStore(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public Map<String, Optional<JsonNode>> load() {
    return Stores.read(
        db,
        c -> {
          Map<String, Optional<JsonNode>> all = new LinkedHashMap<>();
          Sql.all(
                  c,
                  "SELECT name, config FROM extension_configs ORDER BY name",
                  rs ->
                      Map.entry(
                          rs.getString(1), Optional.ofNullable(rs.getString(2)).map(Json::parse)))
              .forEach(e -> all.put(e.getKey(), e.getValue()));
          return all;
        });
  }

  @Override
  public void save(String name, Optional<JsonNode> config) {
    Stores.write(
        db,
        c ->
            Sql.update(
                c,
                "INSERT INTO extension_configs (name, config, updated_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET config = excluded.config,"
                    + " updated_at = excluded.updated_at",
                name,
                config.map(Json::write).orElse(null),
                nanos(Instant.now())));
  }
}
