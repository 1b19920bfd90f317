package io.slipway.tools;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Build step: upgrades the old class files of each jar named on the command line so that the JVM's
 * class archives can hold them (see {@link ClassFileUpgrade}). The CLI module runs it on picocli
 * after copying its runtime dependencies. Stateless. Runs inside Maven's JVM, so it reports
 * failure by throwing, never by {@code System.exit}.
 */
public final class UpgradeClassFiles {
  private UpgradeClassFiles() {}

  /** Upgrades each jar in {@code args}, in place. */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: UpgradeClassFiles JAR...");
    }
    for (String arg : args) {
      JarUpgrade.upgradeInPlace(Path.of(arg));
    }
  }
}
