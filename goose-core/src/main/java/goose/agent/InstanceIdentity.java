package goose.agent;

import goose.config.ConfigException;
import goose.session.InstanceRegistry;
import goose.session.InstanceRegistry.Instance;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's instance id on a shared store, registered in the {@link InstanceRegistry} so that
 * it names one live process only. A generated id is the host name and 48 random bits (never time
 * bits: two instances started in the same minute must differ); one that happens to be taken is
 * drawn again. A configured id ({@code GOOSE_INSTANCE_ID}) that a live instance holds is refused
 * after waiting for that registration to lapse, which is what a restart after a crash with the same
 * id needs. The registration is refreshed with the turn-lease heartbeat ({@link #beat}) and removed
 * at a clean stop.
 */
public final class InstanceIdentity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InstanceIdentity.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final InstanceRegistry registry;
  private final String id;
  private final String bootId;
  private volatile boolean lost;

  private InstanceIdentity(InstanceRegistry registry, String id, String bootId) {
    this.registry = registry;
    this.id = id;
    this.bootId = bootId;
  }

  /**
   * Registers this process. {@code liveness}: a registration not refreshed for that long belongs to
   * a dead process (a few heartbeats). Throws {@link ConfigException} when {@code configured} stays
   * held by a live instance.
   */
  public static InstanceIdentity claim(
      InstanceRegistry registry, Optional<String> configured, Duration liveness) {
    String bootId = randomHex(16);
    String host = hostName();
    long pid = ProcessHandle.current().pid();
    if (configured.isEmpty()) {
      for (int attempt = 0; attempt < 5; attempt++) {
        String id = host + "-" + randomHex(6);
        Instant now = Instant.now();
        if (registry
            .register(new Instance(id, bootId, host, pid, now, now), now.minus(liveness))
            .isEmpty()) {
          log.info("instance id {} (generated) registered", id);
          return new InstanceIdentity(registry, id, bootId);
        }
      }
      throw new IllegalStateException("could not draw an unused instance id in 5 attempts");
    }
    String id = configured.get();
    Instant giveUp = Instant.now().plus(liveness).plus(liveness.dividedBy(2));
    boolean waited = false;
    while (true) {
      Instant now = Instant.now();
      Optional<Instance> holder =
          registry.register(new Instance(id, bootId, host, pid, now, now), now.minus(liveness));
      if (holder.isEmpty()) {
        log.info("instance id {} (GOOSE_INSTANCE_ID) registered", id);
        return new InstanceIdentity(registry, id, bootId);
      }
      Instance other = holder.get();
      if (now.isAfter(giveUp)) {
        throw new ConfigException(
            "GOOSE_INSTANCE_ID "
                + id
                + " is in use by a live instance (pid "
                + other.pid()
                + " on "
                + other.host()
                + ", last seen "
                + Duration.between(other.lastSeen(), now).toMillis()
                + " ms ago); give every instance its own id, or leave it unset for a generated one");
      }
      if (!waited) {
        log.warn(
            "instance id {} is registered to pid {} on {}; waiting up to {} s for that registration"
                + " to lapse (a restart after a crash) before refusing to start",
            id,
            other.pid(),
            other.host(),
            Duration.between(now, giveUp).toSeconds());
        waited = true;
      }
      sleep(liveness.dividedBy(8));
    }
  }

  public String id() {
    return id;
  }

  /** Refreshes the registration; says so loudly, once, if another process has taken the id. */
  void beat() {
    if (lost) return;
    if (!registry.heartbeat(id, bootId, Instant.now())) {
      lost = true;
      log.error(
          "instance id {} was taken over by another process (this one was not seen for too long);"
              + " the turns running here lose their leases and stop. Restart this server.",
          id);
    }
  }

  /** Removes the registration (clean stop): a restart with the same id need not wait. */
  @Override
  public void close() {
    try {
      registry.deregister(id, bootId);
    } catch (RuntimeException e) {
      log.warn("could not remove the registration of instance {}: {}", id, e.getMessage());
    }
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "goosed";
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an instance id", e);
    }
  }
}
