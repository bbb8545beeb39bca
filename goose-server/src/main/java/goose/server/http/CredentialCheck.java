package goose.server.http;

import io.javalin.http.Context;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the credentials a request was let in with still authenticate the same user, asked again
 * while a long-lived response stays open (an event stream, an ACP stream or WebSocket): a bearer
 * token that was rotated or whose user was removed ({@code goose users rotate/remove}, also from
 * another process or instance) ends the stream within {@link #INTERVAL}. Made by the authenticator
 * from the credentials it checked ({@code goose.server.auth.Authenticator}), so no stream repeats
 * its rules; the shared secret and a proxy's word cannot be revoked while the server runs, so they
 * are always still valid.
 */
@FunctionalInterface
public interface CredentialCheck {
  /** Credentials nothing can revoke while the server runs. */
  CredentialCheck ALWAYS = () -> true;

  /** How often an open stream asks again (one indexed store read in tokens mode). */
  Duration INTERVAL = Duration.ofSeconds(5);

  /** Whether the credentials still authenticate the same user (may read the store). */
  boolean stillValid();

  /** The check of this request's credentials; {@link #ALWAYS} for a public request. */
  static CredentialCheck of(Context ctx) {
    return ctx.attribute(Periodic.ATTRIBUTE) instanceof CredentialCheck check ? check : ALWAYS;
  }

  /** For the authentication filter, beside {@link RequestUser#set}. */
  static void set(Context ctx, CredentialCheck check) {
    ctx.attribute(Periodic.ATTRIBUTE, check);
  }

  /** {@code check} asked at most once per {@link #INTERVAL}, for one open stream. */
  final class Periodic {
    private static final String ATTRIBUTE = "goose.credentials";
    private static final Logger log = LoggerFactory.getLogger(Periodic.class);
    private final CredentialCheck check;
    private long nextNanos = System.nanoTime() + INTERVAL.toNanos();
    private boolean valid = true;

    public Periodic(CredentialCheck check) {
      this.check = check;
    }

    /**
     * False once the credentials no longer authenticate, asking again when {@link #INTERVAL} has
     * passed since the last time. A store that cannot answer counts as no: the client reconnects
     * and is asked as any request is.
     */
    public boolean valid() {
      if (!valid || check == ALWAYS) return valid;
      long now = System.nanoTime();
      if (now - nextNanos < 0) return true;
      nextNanos = now + INTERVAL.toNanos();
      try {
        valid = check.stillValid();
      } catch (RuntimeException e) {
        log.warn("cannot check the credentials of an open stream, closing it: {}", e.toString());
        valid = false;
      }
      return valid;
    }

    /** How long until {@link #valid()} asks again (zero when due); a stream's longest wait. */
    public Duration untilNext() {
      if (check == ALWAYS) return INTERVAL;
      return Duration.ofNanos(Math.max(0, nextNanos - System.nanoTime()));
    }
  }
}
