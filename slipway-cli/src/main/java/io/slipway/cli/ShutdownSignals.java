package io.slipway.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM and SIGINT for a long-running command: the first starts an orderly exit (for a server,
 * the JVM's shutdown hooks drain and close; for a build, the build is cancelled), the second exits
 * at once. Leaving at once is safe because the state is crash-consistent at every instant; it only
 * skips the drain or cancellation and the WAL checkpoint.
 *
 * <p>The JDK offers no public API for this: after the first signal the JVM is exiting and further
 * signals are swallowed. The handler is installed through {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}, exported to everyone) by reflection, so compiling needs no internal API; where
 * it is missing the JVM's default handling stays, and a second signal merely waits for the first.
 * Safe for concurrent use: each signal is dispatched on a thread of its own and counted atomically.
 */
final class ShutdownSignals {
  private static final String[] SIGNALS = {"TERM", "INT"};

  private ShutdownSignals() {}

  /** Puts back the handlers that were installed before; closing twice is harmless. */
  interface Installed extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Installs the server handler: the first signal runs the shutdown hooks and exits 0; {@code
   * onSecond} runs (on the signal's thread) before the immediate exit with status {@code 1}.
   * Returns false when the platform does not allow it.
   */
  static boolean install(Runnable onSecond) {
    return install(
            () -> Thread.ofPlatform().name("slipway-exit").start(() -> System.exit(0)), onSecond)
        .isPresent();
  }

  /**
   * Installs {@code onFirst} for the first signal and {@code onSecond} before the immediate exit
   * with status {@code 1} on the second, both run on the signal's thread. Empty when the platform
   * does not allow it; otherwise closing the result restores the previous handlers (a command run
   * in-process, as tests do, must not leave its handler in the JVM).
   */
  static java.util.Optional<Installed> install(Runnable onFirst, Runnable onSecond) {
    AtomicInteger received = new AtomicInteger();
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              ShutdownSignals.class.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "handle" -> {
                    if (received.incrementAndGet() == 1) {
                      onFirst.run();
                    } else {
                      onSecond.run();
                      Runtime.getRuntime().halt(1);
                    }
                    return null;
                  }
                  case "hashCode" -> {
                    return System.identityHashCode(proxy);
                  }
                  case "equals" -> {
                    return proxy == args[0];
                  }
                  default -> {
                    return "slipway shutdown signal handler";
                  }
                }
              });
      Method handle = signal.getMethod("handle", signal, handlerType);
      List<Object[]> previous = new ArrayList<>();
      for (String name : SIGNALS) {
        Object which = signal.getConstructor(String.class).newInstance(name);
        previous.add(new Object[] {which, handle.invoke(null, which, handler)});
      }
      return java.util.Optional.of(() -> {
        for (Object[] entry : previous) {
          try {
            handle.invoke(null, entry[0], entry[1]);
          } catch (ReflectiveOperationException | RuntimeException e) {
            // Restoring can only fail as installing did not; nothing better to do here.
          }
        }
      });
    } catch (ReflectiveOperationException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
