package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.slipway.build.prune.ByteSize;
import io.slipway.build.prune.GcSettings;
import io.slipway.build.prune.PrunePolicy;
import io.slipway.build.prune.RecordFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the builder configuration, {@code builder.yaml} in the builder's state root (or the file
 * {@code slipway prune --config} names): automatic GC after builds and the policies it applies.
 *
 * <pre>
 * gc:
 *   enabled: true              # default true
 *   interval: 10m              # at most one automatic GC per interval (default 10m)
 *   policies:                  # applied in order; default: see docs/prune.md
 *     - keep-duration: 720h
 *     - all: true
 *       filters: ["type=source"]
 *       keep-duration: 48h
 *       reserved-space: 2GB
 *       max-used-space: 20GB
 *       min-free-space: 10GB
 * </pre>
 *
 * An unknown key or a bad value is an error naming the file and key. Stateless.
 */
final class BuilderConfigFile {

  /** The file's name in the state root. */
  static final String NAME = "builder.yaml";

  private static final Set<String> TOP = Set.of("gc");
  private static final Set<String> GC = Set.of("enabled", "interval", "policies");
  private static final Set<String> POLICY = Set.of("filters", "keep-duration", "reserved-space",
      "max-used-space", "min-free-space", "all");

  private BuilderConfigFile() {}

  /** The settings of {@code file}; the defaults when it does not exist. */
  static GcSettings read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return GcSettings.defaults();
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return GcSettings.defaults();
    }
    known(file, root, "", TOP);
    JsonNode gc = root.path("gc");
    if (gc.isMissingNode() || gc.isNull()) {
      return GcSettings.defaults();
    }
    known(file, gc, "gc.", GC);
    boolean enabled = true;
    if (gc.has("enabled")) {
      if (!gc.get("enabled").isBoolean()) {
        throw new IOException(file + ": gc.enabled must be true or false");
      }
      enabled = gc.get("enabled").booleanValue();
    }
    Duration interval = gc.has("interval")
        ? RegistryConfigFile.duration(file, "gc.interval", gc.get("interval").asText())
        : GcSettings.DEFAULT_INTERVAL;
    List<PrunePolicy> policies = GcSettings.defaultPolicies();
    if (gc.has("policies")) {
      JsonNode list = gc.get("policies");
      if (!list.isArray()) {
        throw new IOException(file + ": gc.policies must be a list of policies");
      }
      policies = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        policies.add(policy(file, "gc.policies[" + i + "]", list.get(i)));
      }
    }
    return new GcSettings(enabled, interval, policies);
  }

  private static PrunePolicy policy(Path file, String where, JsonNode node) throws IOException {
    if (!node.isObject()) {
      throw new IOException(file + ": " + where + " must be a mapping of policy keys");
    }
    known(file, node, where + ".", POLICY);
    PrunePolicy policy = PrunePolicy.unusedLayers();
    try {
      if (node.has("filters")) {
        JsonNode filters = node.get("filters");
        if (!filters.isArray()) {
          throw new IOException(file + ": " + where + ".filters must be a list such as"
              + " [\"type=cache-mount\"]");
        }
        for (JsonNode filter : filters) {
          policy = policy.withFilter(RecordFilter.parse(filter.asText()));
        }
      }
      if (node.has("keep-duration")) {
        policy = policy.withKeepDuration(RegistryConfigFile.duration(file,
            where + ".keep-duration", node.get("keep-duration").asText()));
      }
      if (node.has("reserved-space")) {
        policy = policy.withReservedSpace(size(node.get("reserved-space")));
      }
      if (node.has("max-used-space")) {
        policy = policy.withMaxUsedSpace(size(node.get("max-used-space")));
      }
      if (node.has("min-free-space")) {
        policy = policy.withMinFreeSpace(size(node.get("min-free-space")));
      }
      if (node.has("all")) {
        if (!node.get("all").isBoolean()) {
          throw new IOException(file + ": " + where + ".all must be true or false");
        }
        policy = policy.withAll(node.get("all").booleanValue());
      }
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + where + ": " + e.getMessage(), e);
    }
    return policy;
  }

  private static long size(JsonNode node) {
    return node.canConvertToLong() ? node.longValue() : ByteSize.parse(node.asText());
  }

  private static void known(Path file, JsonNode node, String prefix, Set<String> keys)
      throws IOException {
    if (!node.isObject()) {
      throw new IOException(file + ": " + (prefix.isEmpty() ? "the file" : prefix
          .substring(0, prefix.length() - 1)) + " must be a mapping");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!keys.contains(name)) {
        throw new IOException(file + ": unknown key " + prefix + name + " (known: "
            + String.join(", ", keys.stream().sorted().toList()) + ")");
      }
    }
  }
}
