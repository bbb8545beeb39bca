package goose.server.ui;

import goose.server.http.WebJars;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The files of the web UI, read from the jar: our own (plain ES modules and CSS from {@code
 * src/main/ui}, copied as they are) and a few files of the vendored libraries (webjars). A name is
 * a flat file name, checked against a strict pattern before it reaches the class path, so no path
 * can leave the UI's directory. Files are read once and kept (the whole UI is a few hundred KB).
 */
final class UiAssets {
  /** A file with its type and a strong validator. */
  // Never compared or used as a key (the etag identifies the content), so the array's identity
  // equals() does not matter; the bytes are only read.
  @SuppressWarnings("ArrayRecordComponent")
  record Asset(byte[] bytes, String contentType, String etag) {}

  private static final String OWN_DIR = "/goose/server/ui/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*(\\.[a-z0-9]+)+");
  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "mjs", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "html", "text/html; charset=utf-8",
          "png", "image/png");

  /** Vendored files under the names the UI imports them by, mapped to their webjar paths. */
  private static final Map<String, String> VENDORED =
      Map.of(
          "marked.esm.js", WebJars.dir("org.webjars.npm", "marked") + "lib/marked.esm.js",
          "purify.es.mjs", WebJars.dir("org.webjars.npm", "dompurify") + "dist/purify.es.mjs",
          "highlight.min.js", WebJars.dir("org.webjars", "highlightjs") + "highlight.min.js",
          "hljs-light.css", WebJars.dir("org.webjars", "highlightjs") + "styles/github.min.css",
          "hljs-dark.css",
              WebJars.dir("org.webjars", "highlightjs") + "styles/github-dark.min.css");

  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  /** The file called {@code name}, or empty for a name that is not a file of the UI. */
  Optional<Asset> get(String name) {
    if (!NAME.matcher(name).matches()) return Optional.empty();
    return cache.computeIfAbsent(name, UiAssets::load);
  }

  private static Optional<Asset> load(String name) {
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    if (type == null) return Optional.empty();
    String path = VENDORED.getOrDefault(name, OWN_DIR + name);
    try (InputStream in = UiAssets.class.getResourceAsStream(path)) {
      if (in == null) return Optional.empty();
      byte[] bytes = in.readAllBytes();
      return Optional.of(new Asset(bytes, type, etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
