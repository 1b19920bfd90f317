package io.slipway.client;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** A request failed transiently on every attempt the retry budget allowed; lists each attempt. */
public final class RetriesExhaustedException extends ClientException {
  private static final long serialVersionUID = 1L;

  /** One failed attempt: its number, when it started relative to the first, and why it failed. */
  public record Attempt(int number, Duration at, String cause) {}

  private final transient List<Attempt> attempts;

  public RetriesExhaustedException(String request, List<Attempt> attempts, Throwable last) {
    super(request + " failed after " + attempts.size() + " attempt"
        + (attempts.size() == 1 ? "" : "s") + ": "
        + attempts.stream()
            .map(a -> "#" + a.number() + " (+" + a.at().toMillis() + " ms) " + a.cause())
            .collect(Collectors.joining("; ")), last);
    this.attempts = List.copyOf(attempts);
  }

  public List<Attempt> attempts() {
    return attempts;
  }
}
