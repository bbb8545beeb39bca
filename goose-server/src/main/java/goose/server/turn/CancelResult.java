package goose.server.turn;

import goose.server.http.Doc;

@Doc("Whether a running turn was cancelled")
public record CancelResult(@Doc("False when no turn was running") boolean cancelled) {}
