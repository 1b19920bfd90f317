package io.slipway.build.cache;

import java.time.Instant;

/**
 * One operating-system process, named by its pid and start time so that a pid recycled after a
 * crash is not mistaken for the process that held a lease. Immutable.
 *
 * @param pid the process id
 * @param startedMillis the process start time in epoch milliseconds, 0 when the system does not
 *     report it (then only the pid is compared)
 */
public record ProcessIdentity(long pid, long startedMillis) {

  /** Start times read twice from {@code /proc} may differ by rounding; a recycled pid is later. */
  private static final long START_TOLERANCE_MILLIS = 1_000;

  /** This process. */
  public static ProcessIdentity current() {
    return of(ProcessHandle.current());
  }

  private static ProcessIdentity of(ProcessHandle handle) {
    return new ProcessIdentity(handle.pid(),
        handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
  }

  /** Whether this process is still running (and is the same process, not a recycled pid). */
  public boolean isAlive() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(ProcessIdentity::of)
        .map(now -> startedMillis == 0 || now.startedMillis == 0
            || Math.abs(now.startedMillis - startedMillis) < START_TOLERANCE_MILLIS)
        .orElse(false);
  }
}
