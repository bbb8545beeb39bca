package goose.server.api;

/**
 * Who may call an operation; the authentication filter enforces it and the OpenAPI document shows
 * it.
 */
public enum Access {
  /** Anyone, without credentials, in every auth mode (/status, the API documentation). */
  PUBLIC,
  /** An authenticated user; what the operation touches is scoped to that user. The default. */
  USER,
  /** An authenticated user who administers the server (403 for others in the multi-user modes). */
  ADMIN
}
