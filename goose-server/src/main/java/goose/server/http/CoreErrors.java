package goose.server.http;

import goose.agent.RequestIdReusedException;
import goose.agent.TurnLimitException;
import goose.error.ErrorMessages;
import goose.extension.ExtensionException;
import goose.provider.ProviderNotConfiguredException;
import goose.session.SessionNotFoundException;
import goose.session.TurnConflictException;
import java.util.Optional;

/**
 * How the core's own exceptions read over HTTP: the core knows nothing of status codes, so this is
 * where its failure kinds meet them. Used only by {@link ErrorMapping}.
 */
final class CoreErrors {
  /** A turn takes seconds to minutes; a client told to come back sooner would only spin. */
  static final long TURN_RETRY_SECONDS = 5;

  private CoreErrors() {}

  static Optional<ApiException> map(Exception e) {
    return Optional.ofNullable(
        switch (e) {
          case SessionNotFoundException notFound ->
              new ApiException(ErrorCode.NOT_FOUND, ErrorMessages.of(notFound));
          case TurnConflictException conflict ->
              new ApiException(
                  ErrorCode.CONFLICT,
                  conflict.getMessage()
                      + "; wait for its message_complete or POST /sessions/{id}/cancel");
          case RequestIdReusedException reused ->
              new ApiException(ErrorCode.REQUEST_ID_REUSED, ErrorMessages.of(reused));
          case TurnLimitException limit ->
              ApiException.tooManyRequests(
                  limit.getMessage() + " (" + limit.setting() + ")", TURN_RETRY_SECONDS);
          case ProviderNotConfiguredException missing ->
              new ApiException(ErrorCode.PROVIDER_NOT_CONFIGURED, ErrorMessages.of(missing));
          case ExtensionException ext ->
              switch (ext) {
                case ExtensionException.NotFound nf ->
                    new ApiException(ErrorCode.NOT_FOUND, ErrorMessages.of(nf));
                case ExtensionException.Invalid invalid ->
                    new ApiException(
                        ErrorCode.INVALID_FIELD,
                        "field '" + invalid.field() + "' " + invalid.problem());
                case ExtensionException.NotAllowed refused ->
                    new ApiException(ErrorCode.FORBIDDEN, ErrorMessages.of(refused));
                case ExtensionException.NotSaved notSaved ->
                    new ApiException(ErrorCode.CONFLICT, ErrorMessages.of(notSaved));
                default -> null;
              };
          default -> null;
        });
  }
}
