package io.slipway.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM and SIGINT for a server: the first starts an orderly exit (the JVM's shutdown hooks
 * drain and close), the second exits at once. Leaving at once is safe because the state is
 * crash-consistent at every instant; it only skips the drain and the WAL checkpoint.
 *
 * <p>The JDK offers no public API for this: after the first signal the JVM is exiting and further
 * signals are swallowed. The handler is installed through {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}, exported to everyone) by reflection, so compiling needs no internal API; where
 * it is missing the JVM's default handling stays, and a second signal merely waits for the first.
 * Safe for concurrent use: each signal is dispatched on a thread of its own and counted atomically.
 */
final class ShutdownSignals {
  private ShutdownSignals() {}

  /**
   * Installs the handler; {@code onSecond} runs (on the signal's thread) before the immediate
   * exit with status {@code 1}. Returns false when the platform does not allow it.
   */
  static boolean install(Runnable onSecond) {
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
                      // Runs the shutdown hooks (drain, close) and exits 0 when they finish.
                      Thread.ofPlatform().name("slipway-exit").start(() -> System.exit(0));
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
      for (String name : new String[] {"TERM", "INT"}) {
        handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
