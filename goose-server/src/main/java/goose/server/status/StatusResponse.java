package goose.server.status;

import goose.server.http.Doc;

/** {@code GET /status}: the server is up; {@code version} is the build's version. */
public record StatusResponse(
    @Doc("Always \"ok\"") String status, @Doc("Version of this build") String version) {}
