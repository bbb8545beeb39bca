package goose.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Where a webjar (a front-end library packaged as a Maven artifact) keeps its files on the class
 * path. The version comes from the webjar's own {@code pom.properties}, so upgrading the dependency
 * needs no code change.
 */
public final class WebJars {
  private WebJars() {}

  /**
   * The class path directory of a webjar's files, ending in {@code /}: {@code
   * /META-INF/resources/webjars/ARTIFACT/VERSION/}. Fails at once when the webjar is missing.
   */
  public static String dir(String groupId, String artifactId) {
    String properties = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = WebJars.class.getResourceAsStream(properties)) {
      if (in == null)
        throw new IllegalStateException("the " + artifactId + " webjar is not on the classpath");
      Properties p = new Properties();
      p.load(in);
      return "/META-INF/resources/webjars/" + artifactId + "/" + p.getProperty("version") + "/";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
