package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.slipway.registry.gc.GcPolicy;
import io.slipway.registry.gc.MaintenanceConfig;
import io.slipway.registry.gc.RetentionRule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Slipway's maintenance sections of {@code registry.yaml}:
 *
 * <pre>
 * gc:
 *   every: 24h            # run on a schedule (default: never; `slipway registry gc` runs once)
 *   linkgrace: 1h         # layers pushed without a manifest are kept this long
 *   unlinkedgrace: 1h     # blob files nothing names are kept this long
 *   untagged:             # retention of untagged manifests, first matching rule wins
 *     - repositories: "ci/**"
 *       keeprecent: 10    # the 10 newest untagged manifests are kept ...
 *       keepyounger: 168h # ... and so is any younger than a week
 * shutdown:
 *   timeout: 30s          # how long SIGTERM lets uploads finish
 * </pre>
 *
 * A repository no rule matches keeps every untagged manifest. Durations use Go's notation.
 * Stateless.
 */
final class MaintenanceConfigFile {
  private MaintenanceConfigFile() {}

  /** Applies the file's settings on top of {@code base}. */
  static MaintenanceConfig read(Path file, MaintenanceConfig base) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return base;
    }
    GcPolicy gc = base.gc();
    Duration every = duration(file, root, "gc.every", "/gc/every");
    if (every != null) {
      gc = gc.withEvery(every);
    }
    Duration linkGrace = duration(file, root, "gc.linkgrace", "/gc/linkgrace");
    if (linkGrace != null) {
      gc = gc.withLinkGrace(linkGrace);
    }
    Duration unlinkedGrace = duration(file, root, "gc.unlinkedgrace", "/gc/unlinkedgrace");
    if (unlinkedGrace != null) {
      gc = gc.withUnlinkedGrace(unlinkedGrace);
    }
    JsonNode untagged = root.at("/gc/untagged");
    if (!untagged.isMissingNode()) {
      if (!untagged.isArray()) {
        throw new IOException(file + ": gc.untagged must be a list of rules");
      }
      List<RetentionRule> rules = new ArrayList<>();
      for (int i = 0; i < untagged.size(); i++) {
        rules.add(rule(file, untagged.get(i), "gc.untagged[" + i + "]"));
      }
      gc = gc.withUntagged(rules);
    }
    MaintenanceConfig config = base.withGc(gc);
    Duration shutdown = duration(file, root, "shutdown.timeout", "/shutdown/timeout");
    if (shutdown != null) {
      config = config.withShutdownTimeout(shutdown);
    }
    return config;
  }

  private static RetentionRule rule(Path file, JsonNode node, String where) throws IOException {
    JsonNode repositories = node.get("repositories");
    if (repositories == null || !repositories.isTextual()) {
      throw new IOException(file + ": " + where + ".repositories must be a pattern such as ci/**");
    }
    JsonNode recent = node.get("keeprecent");
    if (recent != null && (!recent.canConvertToInt() || recent.intValue() < 0)) {
      throw new IOException(file + ": " + where + ".keeprecent must be a count of at least 0");
    }
    JsonNode younger = node.get("keepyounger");
    Duration keepYounger =
        younger == null
            ? Duration.ZERO
            : RegistryConfigFile.duration(file, where + ".keepyounger", younger.asText());
    return new RetentionRule(
        repositories.asText(), recent == null ? 0 : recent.intValue(), keepYounger);
  }

  private static Duration duration(Path file, JsonNode root, String what, String pointer)
      throws IOException {
    JsonNode node = root.at(pointer);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    return RegistryConfigFile.duration(file, what, node.asText());
  }
}
