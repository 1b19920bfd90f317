package io.slipway.client.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One challenge from a {@code WWW-Authenticate} header: a scheme such as {@code bearer} and its
 * parameters. Scheme and parameter names are lowercase (both are case-insensitive on the wire);
 * values are kept as sent, unquoted. Immutable.
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

  public AuthChallenge {
    Objects.requireNonNull(scheme, "scheme");
    scheme = scheme.toLowerCase(Locale.ROOT);
    Map<String, String> lowered = new LinkedHashMap<>();
    parameters.forEach((name, value) -> lowered.put(name.toLowerCase(Locale.ROOT), value));
    parameters = Collections.unmodifiableMap(lowered);
  }

  /** The value of parameter {@code name} (case-insensitive), if present. */
  public Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
  }

  /** True for the {@code Bearer} scheme. */
  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  /** True for the {@code Basic} scheme. */
  public boolean isBasic() {
    return scheme.equals("basic");
  }
}
