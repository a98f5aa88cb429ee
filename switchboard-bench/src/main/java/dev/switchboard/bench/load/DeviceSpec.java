package dev.switchboard.bench.load;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated device: its user, the channels it follows (subscribed as it connects), and the JWT
 * it presents ({@code ?token=}); without one it connects anonymously (development mode only).
 */
public record DeviceSpec(String userId, List<String> channels, Optional<String> token) {

  public DeviceSpec {
    Objects.requireNonNull(userId, "userId");
    channels = List.copyOf(channels);
    Objects.requireNonNull(token, "token");
  }
}
