package io.slipway.cli;

import picocli.CommandLine;

/** Supplies {@code slipway --version} from the jar manifest. Stateless and thread-safe. */
public final class SlipwayVersion implements CommandLine.IVersionProvider {

  /** The version of this build, or {@code dev} when running from classes rather than the jar. */
  public static String current() {
    String version = SlipwayVersion.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "slipway " + current(),
      "java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"
    };
  }
}
