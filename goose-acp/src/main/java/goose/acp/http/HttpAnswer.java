package goose.acp.http;

/** How the server answers one Streamable HTTP request: a status and a short plain-text reason. */
public record HttpAnswer(int status, String reason) {
  public static final HttpAnswer ACCEPTED = new HttpAnswer(202, "");

  public static HttpAnswer badRequest(String reason) {
    return new HttpAnswer(400, reason);
  }

  public static HttpAnswer unknownConnection() {
    return new HttpAnswer(404, "Unknown Acp-Connection-Id");
  }
}
