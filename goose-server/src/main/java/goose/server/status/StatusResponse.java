package goose.server.status;

/** {@code GET /status}: the server is up; {@code version} is the build's version. */
public record StatusResponse(String status, String version) {}
